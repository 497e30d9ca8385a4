//! `kezek`: serve the app, load the demo city, verify the event log, run the jobs, benchmark.

use app::engine::{Engine, SystemClock};
use app::state::AppState;
use clap::{Parser, Subcommand};
use server::config::Config;
use server::{http, seed};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

mod cli;
use cli::{audit_export, audit_verify, engine, role, seed_demo, tick};

#[derive(Parser)]
#[command(name = "kezek", about = "Kezek: the city's unified kindergarten queue")]
struct Cli {
    /// Database: `sqlite://path/to/file.db` or `postgres://user:pass@host/db`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Directory for the data: the default SQLite database, the dev CA's key.
    #[arg(long, env = "KEZEK_DATA_DIR", global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app (the default).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "KEZEK_ADDR")]
        addr: Option<SocketAddr>,
        /// Load the demo city first if the database is empty.
        #[arg(long, env = "KEZEK_SEED_DEMO", value_parser = clap::builder::FalseyValueParser::new())]
        seed_demo: bool,
        /// Dev mode: a dev CA, and sign-in as anyone (`POST /auth/dev/sign-in`); loopback only.
        #[arg(long, env = "KEZEK_DEV", value_parser = clap::builder::FalseyValueParser::new())]
        dev: bool,
        /// The site is served over HTTPS (behind a proxy): `Secure`, `__Host-` cookies.
        #[arg(long, env = "KEZEK_HTTPS", value_parser = clap::builder::FalseyValueParser::new())]
        https: bool,
    },
    /// Assign or revoke heads of kindergartens.
    Head {
        #[command(subcommand)]
        what: HeadCommand,
    },
    /// Grant or revoke the education department's role.
    Admin {
        #[command(subcommand)]
        what: AdminCommand,
    },
    /// Merge data from elsewhere into the queue.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Check the public event log: recompute its hash chain and name the first bad row.
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Deliver the notifications (SMS and e-mail) the engine queued, and look after them.
    Outbox {
        #[command(subcommand)]
        what: OutboxCommand,
    },
    /// Run the background jobs once (lapse invitations, expire referrals, fill seats, record
    /// positions), as the server does every minute.
    Tick,
    /// Compress the built site's files at the best levels (brotli, gzip), beside them; the
    /// server sends those as they are. Run after `cargo leptos build --release`.
    Precompress {
        /// The built site (`LEPTOS_SITE_ROOT`, default `target/site`).
        #[arg(long)]
        site_root: Option<PathBuf>,
    },
    /// Measure.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Load data into an empty database.
    Seed {
        /// The demo city: Almaty at real scale, generated from a fixed seed.
        #[arg(long, required = true)]
        demo: bool,
        /// Seed of the generator.
        #[arg(long, default_value_t = app::demo::DEMO_SEED)]
        seed: u64,
        /// Do nothing (successfully) when the database already holds a city.
        #[arg(long)]
        if_empty: bool,
    },
}

#[derive(Subcommand)]
enum HeadCommand {
    /// Make IIN a head of the kindergarten numbered KINDERGARTEN_NUMBER.
    Assign {
        iin: String,
        kindergarten_number: i64,
    },
    /// Take the head's role from IIN (their head sessions end).
    Revoke { iin: String },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Merge kindergartens' own waiting lists (CSV, UTF-8, comma or semicolon; header
    /// child_iin, child_name, birth_date, parent_iin, phone1, phone2, email, applied_at,
    /// priority, source_kindergarten, district, language) into the city queue, all or nothing.
    Legacy {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the report, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the whole report as JSON to this file too.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Why, for the public log (the department's decision).
        #[arg(long, default_value = "")]
        reason: String,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Give IIN the education department's role.
    Grant { iin: String },
    /// Take it away (their admin sessions end).
    Revoke { iin: String },
}

#[derive(Subcommand)]
enum OutboxCommand {
    /// Deliver until interrupted (as every `kezek serve` does), or with --once until nothing
    /// is due.
    Run {
        #[arg(long)]
        once: bool,
    },
    /// Deliveries by state: queued, pending, sending, retrying, sent, dead.
    Stats,
    /// The deliveries that failed for good, with the reason (recipients masked).
    Dead,
    /// Put dead deliveries back in the queue.
    Requeue {
        /// Delivery ids (from `kezek outbox dead`).
        ids: Vec<i64>,
        /// Every dead delivery.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the chain from the first event; exit 1 naming the first bad row.
    Verify,
    /// Check an open data export (a directory, or its URL such as
    /// `https://kezek.kz/open-data/2026-11-26/`) from its files alone: checksums, the hash
    /// chain, the checkpoints, every invitation and referral against the queue order, every
    /// position against the published queue. Prints each difference; exit 1 on any.
    Replay {
        /// The export's directory or URL.
        source: String,
        /// A checkpoint kept from before (a JSON file: one checkpoint or a list), to prove the
        /// log was not rewritten since. May be given many times.
        #[arg(long)]
        checkpoint: Vec<PathBuf>,
    },
    /// Make an open data export now, into the data directory's `open-data/NAME`.
    Export {
        #[arg(long, default_value = "now")]
        name: String,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Notification delivery on a fresh database (a temporary SQLite file, or a fresh database
    /// on the PostgreSQL server of --database-url): SMS through a loopback gateway, mails to
    /// files. Prints deliveries per second.
    Outbox {
        /// Notifications queued (each makes two SMS and one e-mail).
        #[arg(long, default_value_t = 2000)]
        notifications: usize,
        /// Workers delivering at once.
        #[arg(long, default_value_t = 1)]
        workers: usize,
        /// The gateway's answer time (ms).
        #[arg(long, default_value_t = 20)]
        latency_ms: u64,
    },
    /// A claim storm against a fresh database (a temporary SQLite file, or a fresh database on
    /// the PostgreSQL server of --database-url). The last line sums it up.
    Claims {
        /// Concurrent claimers.
        #[arg(long, default_value_t = 200)]
        clients: usize,
        /// Length of the storm.
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// Invited children waiting to claim in the storm (the baseline gets up to 40,000
        /// more of its own). Enough that SQLite's storm lasts its 20 s on this machine.
        #[arg(long, default_value_t = 600_000)]
        children: usize,
        /// Kindergartens the seats are spread over.
        #[arg(long, default_value_t = 100)]
        kindergartens: i64,
    },
    /// The parent's choice page and claim, over HTTP, against a running server in dev mode on
    /// a loopback address (`kezek serve --dev --seed-demo`); it adds children to its queue.
    Journey {
        /// The server.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        url: String,
        /// Parents who apply, are invited and claim.
        #[arg(long, default_value_t = 20)]
        parents: usize,
        /// Reads of the choice page per parent.
        #[arg(long, default_value_t = 10)]
        reads: usize,
    },
    /// Many open live maps on a running server in dev mode (loopback only): how fast a seat
    /// posting reaches each, and with --pid the server's memory and CPU.
    Map {
        /// The server.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        url: String,
        /// Open maps (connections to /events).
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        /// Seat postings, one at a time.
        #[arg(long, default_value_t = 40)]
        postings: usize,
        /// Time between postings (ms).
        #[arg(long, default_value_t = 250)]
        every_ms: u64,
        /// The server's process id, to read its memory and CPU from /proc.
        #[arg(long)]
        pid: Option<u32>,
    },
    /// The public pages (statistics, position look-up, protocols) and /healthz under many
    /// readers, against a running server on a loopback address seeded with the demo city.
    Pages {
        /// The server.
        #[arg(long, default_value = "http://127.0.0.1:3000")]
        url: String,
        /// Concurrent readers.
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// Seconds per page.
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Writes generated legacy queues (CSV files naming the database's kindergartens) into
    /// OUT, for the import's speed figure: `time kezek import legacy OUT/*.csv`.
    LegacyFiles {
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        #[arg(long, default_value_t = 20)]
        files: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Position look-ups by public number on a fresh database holding the demo city.
    Positions {
        /// Concurrent readers.
        #[arg(long, default_value_t = 8)]
        clients: usize,
        /// Length of the run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let mut cli = Cli::parse();
    if cli.command.is_none() {
        // No subcommand means `serve`, with its options read from the environment as usual.
        cli = Cli::parse_from(std::env::args().chain(["serve".to_owned()]));
    }
    let explicit_url = cli.database_url.clone();
    let data_dir = cli.data_dir.clone().unwrap_or_else(|| "data".into());
    let url = Config::database_url(cli.database_url, cli.data_dir);
    let Some(command) = cli.command else {
        unreachable!("the default subcommand is filled in above")
    };
    let result = match command {
        Command::Serve {
            addr,
            seed_demo,
            dev,
            https,
        } => serve(&url, &data_dir, Config::addr(addr), seed_demo, dev, https).await,
        Command::Head { what } => match what {
            HeadCommand::Assign {
                iin,
                kindergarten_number,
            } => {
                role(&url, &iin, |db, now, iin| async move {
                    app::auth::roles::assign_head(&db, now, &iin, kindergarten_number).await
                })
                .await
            }
            HeadCommand::Revoke { iin } => {
                role(&url, &iin, |db, now, iin| async move {
                    app::auth::roles::revoke(&db, now, &iin, "head").await
                })
                .await
            }
        },
        Command::Admin { what } => match what {
            AdminCommand::Grant { iin } => {
                role(&url, &iin, |db, now, iin| async move {
                    app::auth::roles::grant_admin(&db, now, &iin).await
                })
                .await
            }
            AdminCommand::Revoke { iin } => {
                role(&url, &iin, |db, now, iin| async move {
                    app::auth::roles::revoke(&db, now, &iin, "admin").await
                })
                .await
            }
        },
        Command::Import {
            what:
                ImportCommand::Legacy {
                    files,
                    dry_run,
                    report,
                    reason,
                },
        } => match engine(&url).await {
            Ok((_, engine)) => {
                server::import::legacy(&engine, &files, (dry_run, &reason), report.as_deref()).await
            }
            Err(e) => Err(e),
        },
        Command::Seed { seed, if_empty, .. } => seed_demo(&url, seed, if_empty).await,
        Command::Audit {
            what: AuditCommand::Verify,
        } => audit_verify(&url).await,
        Command::Audit {
            what: AuditCommand::Replay { source, checkpoint },
        } => server::open_data::replay(&source, &checkpoint).await,
        Command::Audit {
            what: AuditCommand::Export { name },
        } => audit_export(&url, &data_dir, &name).await,
        Command::Tick => tick(&url).await,
        Command::Outbox { what } => match app::store::Db::open(&url).await {
            Err(e) => Err(e.to_string()),
            Ok(db) => match what {
                OutboxCommand::Run { once } => server::outbox::run(db, once).await,
                OutboxCommand::Stats => server::outbox::stats(db).await,
                OutboxCommand::Dead => server::outbox::dead(db).await,
                OutboxCommand::Requeue { ids, all } => server::outbox::requeue(db, ids, all).await,
            },
        },
        Command::Precompress { site_root } => {
            let root = site_root.unwrap_or_else(|| Config::site_root().into());
            server::site::precompress(&root).map(|files| {
                for f in files {
                    println!(
                        "{}: {} bytes, brotli {}, gzip {}",
                        f.path.display(),
                        f.raw,
                        f.brotli,
                        f.gzip
                    );
                }
            })
        }
        Command::Bench {
            what:
                BenchCommand::Claims {
                    clients,
                    seconds,
                    children,
                    kindergartens,
                },
        } => {
            server::bench::claims(server::bench::Options {
                clients: clients.max(1),
                seconds: seconds.max(1),
                children: children.max(1),
                kindergartens: kindergartens.max(1),
                database_url: explicit_url,
            })
            .await
        }
        Command::Bench {
            what:
                BenchCommand::Pages {
                    url,
                    clients,
                    seconds,
                },
        } => server::bench::pages(url.trim_end_matches('/'), clients.max(1), seconds.max(1)).await,
        Command::Bench {
            what:
                BenchCommand::LegacyFiles {
                    rows,
                    files,
                    seed,
                    out,
                },
        } => match engine(&url).await {
            Ok((_, engine)) => {
                server::import::write_sample(&engine, (rows, files.max(1), seed), &out).await
            }
            Err(e) => Err(e),
        },
        Command::Bench {
            what: BenchCommand::Positions { clients, seconds },
        } => server::bench::positions(clients.max(1), seconds.max(1), explicit_url).await,
        Command::Bench {
            what:
                BenchCommand::Journey {
                    url,
                    parents,
                    reads,
                },
        } => server::bench::journey(url.trim_end_matches('/'), parents.max(1), reads.max(1)).await,
        Command::Bench {
            what:
                BenchCommand::Outbox {
                    notifications,
                    workers,
                    latency_ms,
                },
        } => {
            server::bench::outbox(
                explicit_url.as_deref(),
                notifications.max(1),
                workers.max(1),
                latency_ms,
            )
            .await
        }
        Command::Bench {
            what:
                BenchCommand::Map {
                    url,
                    clients,
                    postings,
                    every_ms,
                    pid,
                },
        } => {
            let options = server::bench::MapOptions {
                clients: clients.max(1),
                postings: postings.max(1),
                every_ms,
                pid,
            };
            server::bench::map(url.trim_end_matches('/'), options).await
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kezek: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(
    url: &str,
    data_dir: &std::path::Path,
    addr: SocketAddr,
    seed_demo: bool,
    dev: bool,
    https: bool,
) -> Result<(), String> {
    let auth = Arc::new(server::config::auth(dev, addr, https, data_dir)?);
    let store = app::store::Db::open(url).await.map_err(|e| e.to_string())?;
    if seed_demo && store.is_empty().await.map_err(|e| e.to_string())? {
        seed::load_demo(
            &store,
            app::demo::DEMO_SEED,
            app::clock::almaty_today(),
            true,
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    let config = Config {
        addr,
        site_root: Config::site_root(),
    };
    let engine = Arc::new(
        Engine::start(&store, Arc::new(SystemClock))
            .await
            .map_err(|e| e.to_string())?,
    );
    if dev {
        seed::dev_roles(&store, engine.ctx().now).await?;
    }
    tokio::spawn(server::jobs::every_minute(engine.clone()));
    let outbox = server::outbox::configured(store.clone(), &format!("http://{addr}"), dev)?;
    server::outbox::spawn(outbox, engine.writes());
    let referral_keys = Arc::new(app::tokens::ReferralKeys::configured(data_dir)?);
    let map_tiles = Arc::new(server::config::map_tiles()?);
    let open_data = Arc::new(app::opendata::export::OpenData::configured(data_dir)?);
    tokio::spawn(server::open_data::every_hour(
        store.clone(),
        open_data.clone(),
        engine.clone(),
    ));
    let state = AppState {
        leptos_options: config.leptos_options(),
        db: store,
        engine,
        auth,
        referral_keys,
        open_data,
        map_tiles,
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(%addr, backend = state.db.backend_name(), "Kezek is listening on http://{addr}");
    axum::serve(
        listener,
        http::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .map_err(|e| e.to_string())
}
