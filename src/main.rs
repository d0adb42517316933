//! The `sanfang` command: serve, migrate, create-admin, verify.
use std::{net::SocketAddr, path::PathBuf};

use anyhow::Context;
use clap::{Parser, Subcommand};
use sanfang::{AppState, audit, auth, db, demo};

// glibc's allocator contends between the runtime's threads and the database's; this one does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "sanfang", version, about = "三方议事 · three-party deliberation and binding votes")]
struct Cli {
    /// Database URL: a SQLite file (default) or postgres://…
    #[arg(long, env = "DATABASE_URL", global = true, default_value = db::DEFAULT_DATABASE_URL)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the SPA.
    Serve {
        #[arg(long, env = "SANFANG_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// The built SPA (frontend/dist).
        #[arg(long, env = "SANFANG_STATIC_DIR", default_value = "frontend/dist")]
        static_dir: PathBuf,
        /// Signing secret for access tokens; when unset, one is created and kept in the database.
        #[arg(long, env = "SANFANG_JWT_SECRET", hide_env_values = true)]
        jwt_secret: Option<String>,
        /// Seed the demo community into an empty database.
        #[arg(long)]
        demo: bool,
        /// Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names
        /// the client; the login limits then count the client's address, not the proxy's.
        #[arg(long, env = "SANFANG_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxies: Vec<sanfang::auth::Network>,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Create an administrator account.
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "管理员")]
        display_name: String,
        /// The password; read from SANFANG_ADMIN_PASSWORD when not given.
        #[arg(long, env = "SANFANG_ADMIN_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Check the audit hash chain; exits non-zero naming the first broken event.
    Verify,
    /// Print the OpenAPI document.
    Openapi,
    /// Write a consistent copy of the live SQLite database to FILE (the server may keep running).
    Backup { file: PathBuf },
    /// Check a backup and put it in place of the SQLite database (stop the server first).
    Restore { file: PathBuf },
    /// Recount a vote offline from its exported roster and ballots (CSV) and print the result as JSON.
    Tally {
        /// CSV with header `unit,holder,area`.
        #[arg(long)]
        roster: PathBuf,
        /// CSV with header `unit,choice`.
        #[arg(long)]
        ballots: PathBuf,
        /// The matter kind: rules, covenant, committee, manager, fund_use, fund_raise, rebuild, common_use, other.
        #[arg(long)]
        matter: String,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "sanfang=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    use std::process::ExitCode;
    match cli.command {
        Command::Openapi => {
            println!("{}", sanfang::openapi().to_pretty_json()?);
        }
        Command::Tally { roster, ballots, matter } => {
            let read = |p: &PathBuf| std::fs::read(p).with_context(|| format!("reading {}", p.display()));
            match sanfang::votes::recount::recount(&matter, &read(&roster)?, &read(&ballots)?) {
                Ok(result) => println!("{}", serde_json::to_string_pretty(&result)?),
                Err(e) => {
                    eprintln!("error: {e}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Backup { file } => {
            let conn = db::connect(&cli.database_url).await?;
            sanfang::backup::backup(&conn, &file).await?;
            println!("backed up to {}", file.display());
        }
        Command::Restore { file } => {
            let report = sanfang::backup::restore(&cli.database_url, &file).await?;
            println!("restored {}: {report}", file.display());
        }
        Command::Migrate => {
            db::connect(&cli.database_url).await?;
            println!("database is up to date");
        }
        Command::CreateAdmin { username, display_name, password } => {
            let conn = db::connect(&cli.database_url).await?;
            sanfang::accounts::create_admin(&conn, &username, &display_name, &password).await?;
            println!("administrator {username} created");
        }
        Command::Verify => {
            let conn = db::connect(&cli.database_url).await?;
            match audit::verify(&conn).await? {
                audit::VerifyReport::Ok { events, head } => println!("audit chain ok: {events} events, head {head}"),
                audit::VerifyReport::Broken { seq, id, reason } => {
                    eprintln!("audit chain broken at event #{seq} (row id {id}): {reason}");
                    return Ok(ExitCode::FAILURE);
                }
            }
            match sanfang::votes::verify_ballots(&conn).await.map_err(|e| anyhow::anyhow!("{e}"))? {
                None => println!("every ballot matches the chain event that recorded it"),
                Some((id, reason)) => {
                    eprintln!("ballot {id} was altered: {reason}");
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
        Command::Serve { addr, static_dir, jwt_secret, demo: with_demo, trusted_proxies } => {
            let conn = db::connect(&cli.database_url).await.context("opening the database")?;
            if with_demo {
                if demo::seed(&conn).await? {
                    tracing::info!("demo community seeded; every demo account's password is {}", demo::DEMO_PASSWORD);
                } else {
                    tracing::info!("database already has data; demo not seeded");
                }
            }
            let secret = auth::jwt::load_secret(&conn, jwt_secret).await?;
            let state = AppState::behind(conn, &secret, trusted_proxies);
            let ticker = state.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
                loop {
                    every.tick().await;
                    if let Err(e) = sanfang::votes::lifecycle::tick(&ticker.db).await {
                        tracing::warn!(error = %e, "opening or closing due votes failed");
                    }
                    if let Err(e) = ticker.rosters.warm(&ticker.db).await {
                        tracing::warn!(error = %e, "reading the open votes' rosters failed");
                    }
                    if let Err(e) = sanfang::questionnaires::lifecycle::tick(&ticker.db).await {
                        tracing::warn!(error = %e, "closing due questionnaires failed");
                    }
                    if let Err(e) = sanfang::conventions::settle_due(&ticker.db).await {
                        tracing::warn!(error = %e, "settling conventions whose votes closed failed");
                    }
                    if let Err(e) = sanfang::conventions::remind_reviews(&ticker.db).await {
                        tracing::warn!(error = %e, "reminding of conventions due for review failed");
                    }
                    if let Err(e) = sanfang::meetings::tasks::remind_overdue(&ticker.db).await {
                        tracing::warn!(error = %e, "reminding of overdue action items failed");
                    }
                    if let Err(e) = auth::ratelimit::sweep(&ticker.db).await {
                        tracing::warn!(error = %e, "forgetting old sign-in attempts failed");
                    }
                }
            });
            let checkpoint_db = state.db.clone();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(std::time::Duration::from_secs(1));
                loop {
                    every.tick().await;
                    if let Err(e) = db::checkpoint(&checkpoint_db).await {
                        tracing::warn!(error = %e, "checkpointing the database failed");
                    }
                }
            });
            let app = sanfang::app(state, Some(static_dir));
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
            tracing::info!("serving on http://{addr}");
            sanfang::serve(listener, app, shutdown()).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
