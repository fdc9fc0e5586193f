use std::path::PathBuf;

use clap::{Parser, Subcommand};

use sistema_vendas::cli::{self, PasswordArgs};
use sistema_vendas::config::Config;
use sistema_vendas::transfer::{backup, demo, first_version, portable};
use sistema_vendas::{App, connect, shutdown_signal, telemetry};

/// Sistema de Vendas: API + interface web + PDV.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web UI (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Create an administrator.
    CreateAdmin(PasswordArgs),
    /// Set a user's password (their open sessions end).
    ResetPassword(PasswordArgs),
    /// Show the configuration (secrets masked) and check the database, Redis and production rules.
    Check,
    /// Exit 0 when the server on this machine answers /healthz (the container health check).
    Healthcheck,
    /// Print the API's OpenAPI document (what `/api/openapi.json` serves) and exit; the web UI's
    /// types are generated from it.
    Openapi,
    /// Write a consistent backup of the database to FILE while the server keeps selling
    /// (SQLite: a copy of the database; PostgreSQL: pg_dump, or the portable export without it).
    Backup { file: PathBuf },
    /// Bring a backup (or an export) back into an empty database, in one transaction.
    Restore {
        file: PathBuf,
        /// Replace whatever the database holds.
        #[arg(long)]
        force: bool,
    },
    /// Write every row to FILE in the portable format (JSON; gzip when FILE ends in .gz), to
    /// move the shop to another database with `import`.
    Export { file: PathBuf },
    /// Read a portable export into an empty database (SQLite or PostgreSQL), keeping ids, in
    /// one transaction, and verify counts and totals.
    Import {
        file: PathBuf,
        /// Replace whatever the database holds.
        #[arg(long)]
        force: bool,
    },
    /// Compute the dashboard's and the reports' totals again from the sales (they are kept with
    /// every sale; this is for a database changed by other means).
    RebuildReports,
    /// Fill an empty database with a demo shop: a few hundred products, three users and 90 days
    /// of sales, so that a first look is not an empty screen.
    Demo,
    /// Import a first-version (Flask) shop into an empty database: SOURCE is its SQLite file
    /// or a postgres:// URL.
    #[command(name = "import-v1")]
    ImportV1 {
        source: String,
        /// Only read, check and report; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    sistema_vendas::install_crypto();
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("Configuração inválida: {error:#}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(config.environment);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(config).await,
        Command::CreateAdmin(args) => cli::create_admin(config, args).await,
        Command::ResetPassword(args) => cli::reset_password(config, args).await,
        Command::Check => {
            return if cli::check(config).await {
                std::process::ExitCode::SUCCESS
            } else {
                std::process::ExitCode::FAILURE
            };
        }
        Command::Healthcheck => cli::healthcheck(&config).await,
        Command::Openapi => cli::print_openapi(),
        Command::Backup { file } => backup::run_backup(&config, &file).await,
        Command::Restore { file, force } => backup::run_restore(&config, &file, force).await,
        Command::Export { file } => portable::run_export(&config, &file).await,
        Command::Import { file, force } => portable::run_import(&config, &file, force).await,
        Command::Demo => demo::run(&config).await,
        Command::RebuildReports => cli::rebuild_reports(config).await,
        Command::ImportV1 { source, dry_run } => {
            first_version::run(&config, &first_version::Source::parse(&source), dry_run).await
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("Erro: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let database = config.database.to_string();
    let app = App::build(config).await?;
    tracing::info!(address = %app.local_addr(), %database, "Sistema de Vendas no ar");
    app.run_until(shutdown_signal()).await
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let db = connect(&config).await?;
    db.migrate().await?;
    tracing::info!(database = %config.database, "migrações aplicadas");
    Ok(())
}
