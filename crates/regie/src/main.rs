//! The `regie` command: serve the application, migrate, manage users and tokens, verify the
//! audit log. Settings come from flags, `REGIE_*` environment variables and an optional TOML
//! file, in that order of precedence.

mod anchor;
mod config;

use clap::{Args, Parser, Subcommand};
use config::Settings;
use regie_app::admin::{self, Operator};
use regie_app::{App, Clock, audit_log, demo};
use regie_domain::audit::{AnchorVerifier, ChainVerifier};
use regie_domain::{Discipline, InstrumentDefinition, NewPassword, Role, Username};
use regie_storage::{Db, InstallOutcome};
use regie_web::{AppState, WebConfig};
use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use time::OffsetDateTime;

#[derive(Parser)]
#[command(
    name = "regie",
    version,
    about = "Regie — reablement trajectories for Dutch care and welfare teams."
)]
struct Cli {
    /// Optional TOML configuration file (keys: addr, database, data_dir, secure_cookies,
    /// session_idle_minutes, session_max_hours, audit_anchor_file, audit_anchor_minutes).
    #[arg(long, env = "REGIE_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Directory for the embedded SQLite database [default: ./regie-data].
    #[arg(long, env = "REGIE_DATA", global = true)]
    data_dir: Option<PathBuf>,
    /// Database URL, e.g. postgres://user@host/regie. Without it Regie uses the embedded SQLite file in the data directory.
    #[arg(long, env = "REGIE_DATABASE_URL", global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application.
    Serve(ServeArgs),
    /// Apply database migrations and exit (serve also does this at start).
    Migrate,
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check the NEN 7513 audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage assessment instruments (versioned definition files).
    #[command(subcommand)]
    Instrument(InstrumentCommand),
}

#[derive(Subcommand)]
enum InstrumentCommand {
    /// Import an instrument definition file (TOML), e.g. a licensed ZRM version. An installed
    /// version never changes: give a changed definition a new version.
    Import { file: PathBuf },
    /// List the installed instruments and their versions.
    List,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "REGIE_ADDR")]
    addr: Option<SocketAddr>,
    /// Load the demo organisation on first start (an empty database) and print the demo logins.
    #[arg(long, env = "REGIE_DEMO")]
    demo: bool,
    /// Mark cookies Secure; use when Regie is reached over HTTPS.
    #[arg(long, env = "REGIE_SECURE_COOKIES")]
    secure_cookies: Option<bool>,
    /// Sign users out after this many minutes without activity [default: 30].
    #[arg(long, env = "REGIE_SESSION_IDLE_MINUTES")]
    session_idle_minutes: Option<i64>,
    /// Sign users out this many hours after they signed in, however active [default: 12].
    #[arg(long, env = "REGIE_SESSION_MAX_HOURS")]
    session_max_hours: Option<i64>,
    /// Append the audit chain head to this file (outside the database) at an interval, for
    /// `regie audit verify --anchor` [default: off].
    #[arg(long, env = "REGIE_AUDIT_ANCHOR_FILE")]
    audit_anchor_file: Option<PathBuf>,
    /// Minutes between audit anchors [default: 15].
    #[arg(long, env = "REGIE_AUDIT_ANCHOR_MINUTES")]
    audit_anchor_minutes: Option<u64>,
    /// Seconds between audit anchors; for tests, which cannot wait minutes.
    #[arg(long, hide = true, conflicts_with = "audit_anchor_minutes")]
    audit_anchor_seconds: Option<u64>,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. The password is read from standard input (one line).
    Add {
        #[arg(long)]
        username: String,
        /// Full name, as shown to colleagues.
        #[arg(long)]
        name: String,
        /// admin, team_lead, professional or analyst.
        #[arg(long, default_value = "professional")]
        role: String,
        /// wijkverpleegkundige, verzorgende, ergotherapeut, fysiotherapeut, hulp_bij_het_huishouden,
        /// wmo_consulent, sociaal_werker, techcoach, casemanager or anders.
        #[arg(long, default_value = "anders")]
        discipline: String,
        /// Team name; repeat for several teams.
        #[arg(long = "team")]
        teams: Vec<String>,
    },
    /// Set a new password (read from standard input); also lifts a login lock and signs the
    /// user out everywhere.
    Passwd { username: String },
    /// Deactivate a user: they are signed out and can no longer sign in; their history stays.
    Deactivate { username: String },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token for a user and print it (it is shown only once).
    Create {
        #[arg(long)]
        user: String,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// List every API token: id, user, label, created, last used, status. Never the secret.
    List,
    /// Revoke an API token by its id (from `token list`); it is refused from then on.
    Revoke { id: i64 },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report the first row that was changed or removed.
    Verify {
        /// Also check against the anchors in this file: reports rows missing after an anchor,
        /// even when the chain head was set back together with them.
        #[arg(long)]
        anchor: Option<PathBuf>,
    },
    /// Append the current chain head (sequence, hash, time) to a file outside the database.
    Anchor {
        #[arg(long)]
        file: PathBuf,
    },
}

/// Any failure of a command: reported on standard error with exit code 2.
type CliResult<T> = Result<T, Box<dyn std::error::Error>>;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "regie=info,regie_web=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("regie: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> CliResult<ExitCode> {
    let settings = Settings::load(cli.config.as_deref(), cli.data_dir, cli.database)?;
    let db = settings.open_database().await?;
    db.migrate()
        .await
        .map_err(|e| format!("migrating the database failed: {e}"))?;
    let app = App::new(db.clone(), Clock::system());
    admin::install_shipped_instruments(&app).await?;
    let result = match cli.command {
        Command::Serve(args) => serve(db.clone(), &settings, args).await,
        Command::Migrate => {
            let version = db.schema_version().await?;
            println!("Database is up to date (schema version {version}).");
            Ok(ExitCode::SUCCESS)
        }
        Command::User(command) => user(&app, command).await,
        Command::Token(TokenCommand::Create { user, name }) => {
            create_token(&app, &user, &name).await
        }
        Command::Token(TokenCommand::List) => list_tokens(&app).await,
        Command::Token(TokenCommand::Revoke { id }) => revoke_token(&app, id).await,
        Command::Audit(AuditCommand::Verify { anchor }) => {
            verify_audit(&app, anchor.as_deref()).await
        }
        Command::Audit(AuditCommand::Anchor { file }) => {
            let anchor = audit_log::anchor(&app).await?;
            anchor::append(&file, &anchor).await?;
            println!(
                "Anchored row {} ({}) in {}.",
                anchor.sequence,
                anchor.hash,
                file.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Instrument(InstrumentCommand::Import { file }) => {
            import_instrument(&app, &file).await
        }
        Command::Instrument(InstrumentCommand::List) => list_instruments(&app).await,
    };
    db.close().await;
    result
}

async fn serve(db: Db, settings: &Settings, args: ServeArgs) -> CliResult<ExitCode> {
    let addr = args
        .addr
        .or(settings.file.addr)
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080)));
    let idle = args
        .session_idle_minutes
        .or(settings.file.session_idle_minutes)
        .unwrap_or(30);
    if idle < 1 {
        return Err("--session-idle-minutes must be at least 1".into());
    }
    let max_hours = args
        .session_max_hours
        .or(settings.file.session_max_hours)
        .unwrap_or(12);
    if max_hours < 1 {
        return Err("--session-max-hours must be at least 1".into());
    }
    let config = WebConfig {
        secure_cookies: args
            .secure_cookies
            .or(settings.file.secure_cookies)
            .unwrap_or(false),
        session_idle: time::Duration::minutes(idle),
        session_max_age: time::Duration::hours(max_hours),
        ..WebConfig::default()
    };
    let anchor_file = args
        .audit_anchor_file
        .or_else(|| settings.file.audit_anchor_file.clone());
    let anchor_every = match (args.audit_anchor_seconds, args.audit_anchor_minutes) {
        (Some(seconds), _) => std::time::Duration::from_secs(seconds),
        (None, minutes) => {
            let minutes = minutes.or(settings.file.audit_anchor_minutes).unwrap_or(15);
            std::time::Duration::from_secs(minutes.saturating_mul(60))
        }
    };
    if anchor_every.is_zero() {
        return Err("the audit anchor interval must be at least 1".into());
    }
    if args.demo {
        let loaded = demo::load_if_empty(&App::new(db.clone(), config.clock.clone()))
            .await
            .map_err(|e| format!("loading the demo failed: {e}"))?;
        if loaded {
            println!("Demo-organisatie geladen: {}.", demo::ORGANISATION);
        }
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;
    println!(
        "Regie draait op http://{local}/ (database: {})",
        db.backend().name()
    );
    if args.demo {
        let names: Vec<&str> = demo::DEMO_USERS.iter().map(|u| u.0).collect();
        println!(
            "Demo-logins (alleen om te proberen): {} — wachtwoord: {}",
            names.join(", "),
            demo::DEMO_PASSWORD
        );
    }
    if let Some(file) = anchor_file {
        println!(
            "Audit-anker elke {} s naar {}",
            anchor_every.as_secs(),
            file.display()
        );
        anchor::spawn_periodic(
            App::new(db.clone(), config.clock.clone()),
            file,
            anchor_every,
        );
    }
    std::io::stdout().flush().ok();
    regie_web::serve(listener, AppState::new(db, config)).await?;
    Ok(ExitCode::SUCCESS)
}

/// Reads one line from standard input without printing it back to the log.
fn read_password() -> CliResult<NewPassword> {
    if std::io::stdin().is_terminal() {
        eprint!(
            "Wachtwoord / password (min. {} tekens): ",
            NewPassword::MIN_CHARS
        );
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']);
    let message = format!(
        "the password needs {} to {} characters",
        NewPassword::MIN_CHARS,
        NewPassword::MAX_CHARS
    );
    Ok(NewPassword::parse(password).map_err(|_| message)?)
}

fn no_user(username: &str) -> impl Fn(regie_app::Error) -> Box<dyn std::error::Error> + '_ {
    move |error| match error {
        regie_app::Error::NotFound => format!("no user named {username:?}").into(),
        other => other.into(),
    }
}

async fn user(app: &App, command: UserCommand) -> CliResult<ExitCode> {
    let by = Operator::command_line();
    match command {
        UserCommand::Add {
            username,
            name,
            role,
            discipline,
            teams,
        } => {
            let username = Username::parse(&username).map_err(|_| {
                "invalid user name: use 2–64 of a-z, 0-9, '.', '-', '_'".to_string()
            })?;
            let full_name = regie_domain::PersonName::parse("name", &name)
                .map_err(|_| "invalid name".to_string())?;
            let role = Role::parse(&role).map_err(|_| {
                "unknown role (admin, team_lead, professional, analyst)".to_string()
            })?;
            let discipline =
                Discipline::parse(&discipline).map_err(|_| "unknown discipline".to_string())?;
            let team_ids = admin::team_ids_named(app, &teams).await?;
            let password = read_password()?;
            let account = admin::NewAccount {
                username,
                full_name,
                role,
                discipline,
                team_ids,
                password,
            };
            let user = admin::create_user(app, &by, &account).await?;
            println!("User {} created.", user.username);
        }
        UserCommand::Passwd { username } => {
            let user = admin::user_named(app, &username)
                .await
                .map_err(no_user(&username))?;
            let password = read_password()?;
            let ended = admin::set_password(app, &by, user.id, &password, None).await?;
            println!(
                "Password of {} changed; {ended} sessions ended.",
                user.username
            );
        }
        UserCommand::Deactivate { username } => {
            let user = admin::user_named(app, &username)
                .await
                .map_err(no_user(&username))?;
            let ended = admin::set_user_active(app, &by, user.id, false).await?;
            println!(
                "User {} deactivated; {ended} sessions ended.",
                user.username
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn create_token(app: &App, username: &str, name: &str) -> CliResult<ExitCode> {
    let user = admin::user_named(app, username)
        .await
        .ok()
        .filter(|u| u.active)
        .ok_or(format!("no active user named {username:?}"))?;
    let label = regie_domain::PersonName::parse("label", name)
        .map_err(|_| "invalid token name".to_string())?;
    let (token, _, _) =
        admin::create_token(app, &Operator::command_line(), user.id, &label).await?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

async fn list_tokens(app: &App) -> CliResult<ExitCode> {
    let tokens = admin::tokens(app).await?;
    println!("id\tuser\tlabel\tcreated\tlast used\tstatus");
    for listing in tokens {
        let t = &listing.token;
        let status = match t.revoked_at {
            Some(at) => format!("revoked {}", rfc3339(at)),
            None => "active".to_string(),
        };
        println!(
            "{}\t{}\t{}\t{}\t{}\t{status}",
            t.id,
            listing.username,
            t.name,
            rfc3339(t.created_at),
            t.last_used_at.map_or_else(|| "never".to_string(), rfc3339),
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn revoke_token(app: &App, id: i64) -> CliResult<ExitCode> {
    let (revoked, listing) = match admin::revoke_token(app, &Operator::command_line(), id).await {
        Err(regie_app::Error::NotFound) => return Err(format!("no token with id {id}").into()),
        other => other?,
    };
    if revoked {
        println!(
            "Token {id} ({}) of {} revoked.",
            listing.token.name, listing.username
        );
    } else {
        println!("Token {id} was already revoked; nothing changed.");
    }
    Ok(ExitCode::SUCCESS)
}

async fn import_instrument(app: &App, file: &std::path::Path) -> CliResult<ExitCode> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let definition =
        InstrumentDefinition::from_toml(&text).map_err(|e| format!("{}: {e}", file.display()))?;
    let source = file.display().to_string();
    let label = format!("{} version {}", definition.key, definition.version);
    match admin::import_instrument(app, &Operator::command_line(), &definition, &source).await {
        Err(regie_app::Error::Conflict(_)) => {
            return Err(format!(
                "{} version {} is already installed with other content; give the changed definition a new version",
                definition.key, definition.version
            )
            .into());
        }
        Ok(InstallOutcome::Installed) => {
            println!("Imported {label}: {} items.", definition.items.len());
        }
        Ok(_) => println!("{label} is already installed; nothing changed."),
        Err(other) => return Err(other.into()),
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_instruments(app: &App) -> CliResult<ExitCode> {
    for installed in admin::instruments(app).await? {
        let d = &installed.definition;
        println!(
            "{}\t{}\t{}\t{} items\t{}",
            d.key,
            d.version,
            d.kind.as_str(),
            d.items.len(),
            d.name.nl
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Walks the chain (and, with `anchor_file`, compares it with the anchors written outside
/// the database). Exit code 1 when anything is missing or changed, 2 when it cannot be read.
async fn verify_audit(app: &App, anchor_file: Option<&std::path::Path>) -> CliResult<ExitCode> {
    const PAGE: i64 = 1_000;
    let mut anchors = match anchor_file {
        Some(path) => Some(AnchorVerifier::new(anchor::read(path)?)),
        None => None,
    };
    let mut verifier = ChainVerifier::default();
    let mut last = 0;
    let head = audit_log::head_sequence(app).await?;
    let broken = |seq: i64, why: &dyn std::fmt::Display| {
        println!("Audit log BROKEN at row {seq}: {why}");
        Ok(ExitCode::FAILURE)
    };
    loop {
        let rows = audit_log::rows_after(app, last, PAGE).await?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            if let Err(why) = verifier.check(row) {
                return broken(why.seq(), &why);
            }
            if let Some(anchors) = &mut anchors {
                anchors.observe(row);
            }
            last = row.seq;
        }
    }
    let count = match verifier.finish(head) {
        Ok(count) => count,
        Err(why) => return broken(why.seq(), &why),
    };
    match anchors.map(|a| a.finish(last)) {
        None => println!("Audit log intact: {count} rows verified."),
        Some(Err(why)) => return broken(why.seq(), &why),
        Some(Ok(newest)) => {
            let newest = newest.map_or_else(String::new, |a| {
                format!(" (newest: row {} at {})", a.sequence, rfc3339(a.at))
            });
            println!(
                "Audit log intact: {count} rows verified; every anchored row is there{newest}."
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
