//! Operations commands of the binary besides `serve`: creating an administrator, resetting a
//! password, checking a configuration, and the container health check. `main.rs` parses the
//! command line and calls these.

use std::io::{BufRead, IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::app;
use crate::config::{Config, DatabaseUrl, KNOWN_DEFAULT_PASSWORDS};
use crate::db::{self, Backend};
use crate::domain::DomainError;
use crate::domain::users::{Actor, NewUser, Role, check_new_password, check_username};
use crate::{admins_with_default_passwords, connect, context};

/// Who, and the new password: from `--password`, the `NEW_PASSWORD` variable, one line of
/// standard input (`--password-stdin`), or typed at a prompt (asked twice, not echoed).
#[derive(clap::Args, Debug)]
pub struct PasswordArgs {
    /// The user's name.
    #[arg(long, short)]
    pub username: String,
    /// The new password (visible to other users of the machine in the process list: prefer
    /// --password-stdin or the prompt).
    #[arg(long, env = "NEW_PASSWORD", hide_env_values = true, conflicts_with = "password_stdin")]
    pub password: Option<String>,
    /// Read the new password from the first line of standard input.
    #[arg(long)]
    pub password_stdin: bool,
}

impl PasswordArgs {
    fn password(&self) -> anyhow::Result<String> {
        let password = if let Some(password) = &self.password {
            password.clone()
        } else if self.password_stdin {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).context("não foi possível ler a senha da entrada padrão")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        } else if std::io::stdin().is_terminal() {
            let first = rpassword::prompt_password(format!("Nova senha de {}: ", self.username))?;
            let second = rpassword::prompt_password("Repita a senha: ")?;
            anyhow::ensure!(first == second, "as senhas digitadas não conferem");
            first
        } else {
            bail!("informe a senha com --password, --password-stdin ou a variável NEW_PASSWORD");
        };
        check_new_password(&password)?;
        anyhow::ensure!(
            !KNOWN_DEFAULT_PASSWORDS.contains(&password.as_str()),
            "essa é uma senha padrão conhecida: escolha outra"
        );
        Ok(password)
    }
}

/// Creates an administrator (bringing the schema up to date first).
pub async fn create_admin(config: Config, args: PasswordArgs) -> anyhow::Result<()> {
    let username = check_username(&args.username)?;
    let password = args.password()?;
    let db = connect(&config).await?;
    db.migrate().await?;
    let ctx = context(db.clone(), &config).await?;
    let created = app::users::create(
        &ctx,
        &Actor::Operator,
        NewUser { username: username.clone(), password, role: Role::Admin, stores: None },
    )
    .await;
    db.close().await;
    let user = match created {
        Err(app::Error::Refused(DomainError::UserExists)) => {
            bail!("o usuário {username:?} já existe: use `sistema-vendas reset-password --username {username}`")
        }
        other => other?,
    };
    println!("Administrador {username:?} criado (id {}).", user.id);
    Ok(())
}

/// Sets a user's password; their open sessions end.
pub async fn reset_password(config: Config, args: PasswordArgs) -> anyhow::Result<()> {
    let password = args.password()?;
    let db = connect(&config).await?;
    db.migrate().await?;
    let ctx = context(db.clone(), &config).await?;
    let reset = app::users::reset_password(&ctx, &Actor::Operator, &args.username, password).await;
    db.close().await;
    let user = match reset {
        Err(app::Error::Refused(DomainError::UserNotFound)) => {
            bail!("usuário {:?} não encontrado", args.username.trim())
        }
        other => other?,
    };
    let inactive = if user.active { "" } else { " (a conta está desativada: reative-a na tela de usuários)" };
    println!("Senha de {:?} alterada; as sessões abertas foram encerradas{inactive}.", user.username);
    Ok(())
}

/// Prints the configuration (secrets masked) and checks what `serve` needs: production rules,
/// the database, its schema, the administrators' passwords, Redis. True when nothing failed.
pub async fn check(config: Config) -> bool {
    let mut failures = 0;
    let mut report = |ok: Option<bool>, text: &str| {
        let tag = match ok {
            Some(true) => "[ok]    ",
            Some(false) => "[falha] ",
            None => "[aviso] ",
        };
        if ok == Some(false) {
            failures += 1;
        }
        println!("{tag}{text}");
    };
    println!("Sistema de Vendas {} — configuração", env!("CARGO_PKG_VERSION"));
    for (name, value) in config.settings() {
        println!("  {name:<26} {value}");
    }
    println!();
    if config.is_production() {
        let problems = config.production_problems();
        for problem in &problems {
            report(Some(false), problem);
        }
        if problems.is_empty() {
            report(Some(true), "segredos de produção");
        }
    } else {
        report(None, "modo desenvolvimento (APP_ENV=production liga as verificações de produção)");
    }

    let started = Instant::now();
    let database = match &config.database {
        // Not created by a check: `serve` creates it.
        DatabaseUrl::Sqlite { path } if !path.exists() => {
            report(None, &format!("o arquivo {} ainda não existe: será criado ao iniciar", path.display()));
            None
        }
        _ => Some(connect(&config).await),
    };
    match database {
        None => {}
        Some(Err(error)) => report(Some(false), &format!("banco de dados: {error:#}")),
        Some(Ok(db)) => {
            let version = db.server_version().await.unwrap_or_else(|e| format!("versão desconhecida: {e}"));
            report(Some(true), &format!("banco de dados conectado em {} ms: {version}", started.elapsed().as_millis()));
            match db.migration_status().await {
                Ok((applied, known)) if applied >= known => {
                    report(Some(true), &format!("esquema atualizado ({known} migrações)"));
                    let unbalanced = match db.read.acquire().await {
                        Ok(mut conn) => db::inventory::unbalanced(&mut conn).await,
                        Err(error) => Err(error.into()),
                    };
                    match unbalanced {
                        Ok(products) if products.is_empty() => report(
                            Some(true),
                            "o estoque de cada produto, em cada loja e no total, é a soma dos seus movimentos",
                        ),
                        Ok(products) => {
                            for found in products {
                                let place = found.store_id.map_or("no total".into(), |id| format!("na loja {id}"));
                                report(
                                    Some(false),
                                    &format!(
                                        "produto {} {place}: estoque {}, mas os movimentos somam {} (diferença {})",
                                        found.product_id,
                                        found.stock,
                                        found.moved,
                                        found.stock - found.moved
                                    ),
                                );
                            }
                        }
                        Err(error) => report(Some(false), &format!("movimentos de estoque: {error:#}")),
                    }
                    match crate::app::audit::verify(&db).await {
                        Ok(Ok(chain)) => match chain.head() {
                            Some((id, hash)) => report(
                                Some(true),
                                &format!(
                                    "registro de auditoria íntegro: {} entradas encadeadas; a última é a {id}, hash \
                                     {hash} (guarde-o: uma cópia dele mostra se entradas novas foram apagadas depois)",
                                    chain.entries
                                ),
                            ),
                            None => report(Some(true), "registro de auditoria vazio"),
                        },
                        Ok(Err((chain, broken))) => report(
                            Some(false),
                            &format!(
                                "registro de auditoria adulterado: {broken} ({} entradas conferem antes)",
                                chain.entries
                            ),
                        ),
                        Err(error) => report(Some(false), &format!("registro de auditoria: {error:#}")),
                    }
                }
                Ok((applied, known)) => report(
                    None,
                    &format!(
                        "{} migrações pendentes: serão aplicadas ao iniciar (ou rode `sistema-vendas migrate`)",
                        known - applied
                    ),
                ),
                Err(error) => report(Some(false), &format!("migrações: {error:#}")),
            }
            let users = db::users::count_live(&db.read).await.unwrap_or(0);
            if users == 0 && config.is_production() && config.admin_password.is_none() {
                report(
                    Some(false),
                    "o banco não tem usuários: defina ADMIN_PASSWORD ou rode `sistema-vendas create-admin`",
                );
            }
            if config.is_production() && users > 0 {
                let problems = match context(db.clone(), &config).await {
                    Ok(ctx) => admins_with_default_passwords(&ctx).await,
                    Err(error) => Err(error),
                };
                match problems {
                    Ok(problems) if problems.is_empty() => report(Some(true), "nenhum administrador com senha padrão"),
                    Ok(problems) => problems.iter().for_each(|p| report(Some(false), p)),
                    Err(error) => report(Some(false), &format!("usuários: {error:#}")),
                }
            }
            if db.backend == Backend::Sqlite && config.is_production() {
                report(None, "SQLite em produção: os dados ficam no disco desta máquina (faça backups)");
            }
            db.close().await;
        }
    }
    if let Some(url) = &config.redis_url {
        match crate::ratelimit::connect_redis(url).await {
            Ok(_) => report(Some(true), "Redis acessível (limite de login compartilhado)"),
            Err(error) => report(Some(false), &format!("{error:#}")),
        }
    }
    println!();
    if failures == 0 {
        println!("Tudo certo.");
    } else {
        println!("{failures} problema(s) encontrado(s).");
    }
    std::io::stdout().flush().ok();
    failures == 0
}

/// The container health check: the server on this machine answers `/healthz` with 200.
/// (The runtime image has no curl; the binary checks itself.)
pub async fn healthcheck(config: &Config) -> anyhow::Result<()> {
    let host = match config.host.as_str() {
        "0.0.0.0" | "" => "127.0.0.1",
        "::" | "[::]" => "::1",
        other => other,
    };
    let address =
        if host.contains(':') { format!("[{host}]:{}", config.port) } else { format!("{host}:{}", config.port) };
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(&address).await?;
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await?;
        let mut head = vec![0; 64];
        let read = stream.read(&mut head).await?;
        head.truncate(read);
        std::io::Result::Ok(head)
    };
    let head = tokio::time::timeout(Duration::from_secs(3), exchange)
        .await
        .with_context(|| format!("{address}: sem resposta em 3 s"))?
        .with_context(|| format!("{address}: conexão recusada"))?;
    let status_line = String::from_utf8_lossy(&head);
    anyhow::ensure!(status_line.starts_with("HTTP/1.1 200"), "{address}/healthz respondeu {status_line:?}");
    Ok(())
}

/// Prints the OpenAPI document, as `/api/openapi.json` serves it.
pub fn print_openapi() -> anyhow::Result<()> {
    let mut json = serde_json::to_vec_pretty(&crate::http::openapi())?;
    json.push(b'\n');
    match std::io::stdout().lock().write_all(&json) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Computes the dashboard's and the reports' totals again from the sales, in one transaction
/// (sales keep being made meanwhile on PostgreSQL; SQLite's writer waits for it).
pub async fn rebuild_reports(config: Config) -> anyhow::Result<()> {
    let db = connect(&config).await?;
    db.migrate().await?;
    let started = Instant::now();
    let calendar = crate::domain::time::BusinessCalendar::new(config.timezone);
    let mut tx = db.begin().await?;
    db::reports::rebuild_aggregates(&mut tx, calendar).await?;
    tx.commit().await?;
    println!("Totais dos relatórios recalculados a partir das vendas em {:.1} s.", started.elapsed().as_secs_f64());
    db.close().await;
    Ok(())
}
