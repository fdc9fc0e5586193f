use clap::{Parser, Subcommand};

use sistema_vendas::cli::{self, PasswordArgs};
use sistema_vendas::config::Config;
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
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
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
