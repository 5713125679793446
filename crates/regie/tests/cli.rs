//! The `regie` command as an operator uses it: the real binary against real databases.

use regie_storage::testing::{TestBackend, TestDatabase};
use regie_storage::{Db, Tx};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

fn regie(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(args)
        .env_remove("REGIE_DATABASE_URL")
        .env_remove("REGIE_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("regie runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_shows_commands_and_environment_variables() {
    let help = stdout(&regie(&["--help"], ""));
    for expected in [
        "serve",
        "migrate",
        "user",
        "token",
        "audit",
        "REGIE_DATA",
        "REGIE_DATABASE_URL",
        "REGIE_CONFIG",
    ] {
        assert!(
            help.contains(expected),
            "--help mentions {expected}:\n{help}"
        );
    }
    let serve = stdout(&regie(&["serve", "--help"], ""));
    for expected in [
        "--addr",
        "REGIE_ADDR",
        "--demo",
        "REGIE_DEMO",
        "REGIE_SECURE_COOKIES",
        "REGIE_SESSION_IDLE_MINUTES",
        "REGIE_SESSION_MAX_HOURS",
        "REGIE_AUDIT_ANCHOR_FILE",
        "REGIE_AUDIT_ANCHOR_MINUTES",
    ] {
        assert!(
            serve.contains(expected),
            "serve --help mentions {expected}:\n{serve}"
        );
    }
}

async fn tx(db: &Db) -> Tx {
    db.begin().await.unwrap()
}

/// Alters an audit row behind the application's back, as an intruder with database access would.
async fn tamper(db: &Db, seq: i64) {
    let mut conn_tx = tx(db).await;
    let statements: &[&str] = match db {
        Db::Sqlite(_) => &["DROP TRIGGER audit_log_no_update"],
        Db::Postgres(_) => &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"],
    };
    match &mut conn_tx {
        Tx::Sqlite(t) => {
            for s in statements {
                sqlx::query(*s).execute(&mut **t).await.unwrap();
            }
            sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = $1")
                .bind(seq)
                .execute(&mut **t)
                .await
                .unwrap();
        }
        Tx::Postgres(t) => {
            for s in statements {
                sqlx::query(*s).execute(&mut **t).await.unwrap();
            }
            sqlx::query("UPDATE audit_log SET detail = 'nothing to see' WHERE seq = $1")
                .bind(seq)
                .execute(&mut **t)
                .await
                .unwrap();
        }
    }
    conn_tx.commit().await.unwrap();
}

async fn the_audit_log_is_append_only(db: &Db) {
    let mut conn_tx = tx(db).await;
    let refused = match &mut conn_tx {
        Tx::Sqlite(t) => sqlx::query("UPDATE audit_log SET detail = 'x'")
            .execute(&mut **t)
            .await
            .is_err(),
        Tx::Postgres(t) => sqlx::query("DELETE FROM audit_log")
            .execute(&mut **t)
            .await
            .is_err(),
    };
    assert!(refused, "the database itself refuses to change the log");
    conn_tx.rollback().await.ok();
}

async fn users_tokens_and_audit_verification(backend: TestBackend) {
    let Some(test) = TestDatabase::create(backend).await else {
        return;
    };
    let url = test.url.clone();
    let db = test.db.clone();
    let mut t = tx(&db).await;
    t.team_create("Team A", time::OffsetDateTime::now_utc())
        .await
        .unwrap();
    t.commit().await.unwrap();
    let run = |args: &[&str], stdin: &str| {
        let mut all = vec!["--database", url.as_str()];
        all.extend_from_slice(args);
        regie(&all, stdin)
    };

    let migrated = run(&["migrate"], "");
    assert!(migrated.status.success(), "{}", stderr(&migrated));
    // The newest migration is the schema version: the highest number among the files.
    let migrations =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../storage/migrations/sqlite");
    let newest = std::fs::read_dir(migrations)
        .unwrap()
        .filter_map(|f| {
            let name = f.unwrap().file_name().into_string().unwrap();
            name.split('_').next()?.parse::<u32>().ok()
        })
        .max()
        .unwrap();
    assert!(
        stdout(&migrated).contains(&format!("schema version {newest}")),
        "{}",
        stdout(&migrated)
    );

    let add = [
        "user",
        "add",
        "--username",
        "jdoe",
        "--name",
        "J. Doe",
        "--role",
        "professional",
        "--discipline",
        "verzorgende",
        "--team",
        "Team A",
    ];
    let short = run(&add, "kort\n");
    assert_eq!(short.status.code(), Some(2));
    assert!(stderr(&short).contains("password needs 10"));
    let added = run(&add, "een lang wachtwoord\n");
    assert!(added.status.success(), "{}", stderr(&added));
    let again = run(&add, "een lang wachtwoord\n");
    assert_eq!(again.status.code(), Some(2), "a taken user name is refused");
    let unknown_team = run(
        &[
            "user",
            "add",
            "--username",
            "x1",
            "--name",
            "X",
            "--team",
            "Geen",
        ],
        "een lang wachtwoord\n",
    );
    assert!(stderr(&unknown_team).contains("no team named"));

    let token = stdout(&run(&["token", "create", "--user", "jdoe"], ""));
    let token = token.trim();
    assert!(token.starts_with("regie_"), "{token}");
    let mut t = tx(&db).await;
    let user = t.user_by_username("jdoe").await.unwrap().unwrap();
    assert_eq!(t.user_team_ids(user.id).await.unwrap().len(), 1);
    let owner = t
        .token_user_id(
            &regie_app::accounts::token_hash(token),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .unwrap();
    t.commit().await.unwrap();
    assert_eq!(owner, Some(user.id));

    assert!(
        run(&["user", "passwd", "jdoe"], "nog een lang wachtwoord\n")
            .status
            .success()
    );
    assert!(run(&["user", "deactivate", "jdoe"], "").status.success());
    let mut t = tx(&db).await;
    assert!(!t.user_by_username("jdoe").await.unwrap().unwrap().active);
    t.commit().await.unwrap();

    let intact = run(&["audit", "verify"], "");
    assert!(
        intact.status.success(),
        "{}{}",
        stdout(&intact),
        stderr(&intact)
    );
    assert!(
        stdout(&intact).contains("Audit log intact: 4 rows verified."),
        "{}",
        stdout(&intact)
    );
    // Neither password reached the log.
    let mut t = tx(&db).await;
    let (rows, _) = t.audit_list(&Default::default(), 100, 0).await.unwrap();
    t.commit().await.unwrap();
    assert!(!format!("{rows:?}").contains("wachtwoord") && !format!("{rows:?}").contains(token));

    the_audit_log_is_append_only(&db).await;
    tamper(&db, 2).await;
    let broken = run(&["audit", "verify"], "");
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        stdout(&broken).contains("BROKEN at row 2"),
        "{}",
        stdout(&broken)
    );
    drop(test);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_tokens_and_audit_verification_on_sqlite() {
    users_tokens_and_audit_verification(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_tokens_and_audit_verification_on_postgres() {
    users_tokens_and_audit_verification(TestBackend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_with_demo_and_a_config_file_prints_the_url_and_serves_the_login_page() {
    let dir = std::env::temp_dir().join(format!("regie_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("regie.toml");
    std::fs::write(
        &config,
        format!(
            "addr = \"127.0.0.1:0\"\ndata_dir = {:?}\n",
            dir.join("data")
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(["--config", config.to_str().unwrap(), "serve", "--demo"])
        .env_remove("REGIE_DATABASE_URL")
        .env_remove("REGIE_DATA")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let url = loop {
        let line = lines.next().expect("regie prints its URL").unwrap();
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("Regie draait op ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    let logins = lines.next().unwrap().unwrap();
    let page = reqwest::get(format!("{url}login")).await.unwrap();
    let status = page.status();
    let text = page.text().await.unwrap();
    child.kill().ok();
    child.wait().ok();
    let database_created = dir.join("data").join("regie.db").exists();
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        database_created,
        "the embedded database is created in data_dir from the config file"
    );
    assert!(
        printed
            .iter()
            .any(|l| l.contains("Demo-organisatie geladen")),
        "{printed:?}"
    );
    for user in [
        "admin",
        "coordinator",
        "verzorgende",
        "ergotherapeut",
        "teamleider",
        "analist",
        "regie-demo",
    ] {
        assert!(logins.contains(user), "demo logins name {user}: {logins}");
    }
    assert_eq!(status, 200);
    assert!(text.contains("Inloggen"));
}

async fn instruments_are_shipped_imported_and_never_silently_changed(backend: TestBackend) {
    let Some(test) = TestDatabase::create(backend).await else {
        return;
    };
    let run = |args: &[&str]| {
        let mut all = vec!["--database", test.url.as_str()];
        all.extend_from_slice(args);
        regie(&all, "")
    };
    let listed = stdout(&run(&["instrument", "list"]));
    assert!(
        listed.contains("zelfredzaamheid\tregie-2026.1\tlife_domains\t13 items"),
        "{listed}"
    );
    assert!(
        listed.contains("dagelijkse-activiteiten\tregie-2026.1\tdaily_activities\t16 items"),
        "{listed}"
    );

    let dir = std::env::temp_dir().join(format!(
        "regie_instruments_{}_{backend:?}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let shipped = regie_domain::instrument::SHIPPED[0];
    let licensed = shipped
        .replace("version = \"regie-2026.1\"", "version = \"ggd-2017\"")
        .replace(
            "Het lukt helemaal zelf; er is geen hulp nodig.",
            "Officiële tekst van de licentiehouder.",
        );
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let new_version = write("licensed.toml", &licensed);
    let imported = run(&["instrument", "import", &new_version]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(stdout(&imported).contains("Imported zelfredzaamheid version ggd-2017: 13 items."));
    let again = run(&["instrument", "import", &new_version]);
    assert!(again.status.success());
    assert!(stdout(&again).contains("already installed"));

    let changed = write(
        "changed.toml",
        &licensed.replace("Officiële tekst", "Andere tekst"),
    );
    let refused = run(&["instrument", "import", &changed]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("new version"),
        "{}",
        stderr(&refused)
    );

    let broken = write("broken.toml", &shipped.replace("value = 5", "value = 6"));
    let invalid = run(&["instrument", "import", &broken]);
    assert_eq!(invalid.status.code(), Some(2));
    assert!(
        stderr(&invalid).contains("levels must be exactly"),
        "{}",
        stderr(&invalid)
    );
    std::fs::remove_dir_all(&dir).ok();

    let listed = stdout(&run(&["instrument", "list"]));
    assert_eq!(listed.lines().count(), 3, "{listed}");
    let mut t = tx(&test.db).await;
    let installed = t
        .instrument_get("zelfredzaamheid", "ggd-2017")
        .await
        .unwrap()
        .unwrap();
    let (imports, _) = t
        .audit_list(
            &regie_storage::AuditFilter {
                event: Some("instrument.import".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    t.commit().await.unwrap();
    assert_eq!(
        installed.level(5).unwrap().description.nl,
        "Officiële tekst van de licentiehouder."
    );
    assert_eq!(imports.len(), 1, "only the real import is audited");
    assert_eq!(
        imports[0].object_id.as_deref(),
        Some("zelfredzaamheid@ggd-2017")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instruments_on_sqlite() {
    instruments_are_shipped_imported_and_never_silently_changed(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instruments_on_postgres() {
    instruments_are_shipped_imported_and_never_silently_changed(TestBackend::Postgres).await;
}

/// Runs SQL behind the application's back (and behind the append-only triggers), as an
/// intruder with database access would.
async fn intrude(db: &Db, statements: &[&'static str]) {
    let mut conn_tx = tx(db).await;
    let disable: &[&'static str] = match db {
        Db::Sqlite(_) => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Db::Postgres(_) => &["ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"],
    };
    for s in disable.iter().chain(statements) {
        match &mut conn_tx {
            Tx::Sqlite(t) => {
                sqlx::query(*s).execute(&mut **t).await.unwrap();
            }
            Tx::Postgres(t) => {
                sqlx::query(*s).execute(&mut **t).await.unwrap();
            }
        }
    }
    conn_tx.commit().await.unwrap();
}

fn scratch_dir(what: &str, backend: TestBackend) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("regie_{what}_{}_{backend:?}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn a_new_password_or_deactivation_ends_the_users_sessions(backend: TestBackend) {
    let Some(test) = TestDatabase::create(backend).await else {
        return;
    };
    let run = |args: &[&str], stdin: &str| {
        let mut all = vec!["--database", test.url.as_str()];
        all.extend_from_slice(args);
        regie(&all, stdin)
    };
    let add = ["user", "add", "--username", "jdoe", "--name", "J. Doe"];
    assert!(run(&add, "een lang wachtwoord\n").status.success());
    let now = time::OffsetDateTime::now_utc();
    let mut t = tx(&test.db).await;
    let user = t.user_by_username("jdoe").await.unwrap().unwrap();
    t.commit().await.unwrap();
    let sign_in = |id: &'static str| {
        let db = test.db.clone();
        async move {
            let data = format!(r#"{{"user_id":{}}}"#, user.id);
            let later = now + time::Duration::hours(1);
            assert!(
                db.session_insert(id, &data, Some(user.id), later)
                    .await
                    .unwrap()
            );
        }
    };
    // Two signed-in sessions of jdoe end with a new password.
    sign_in("phone").await;
    sign_in("laptop").await;
    let passwd = run(&["user", "passwd", "jdoe"], "nog een lang wachtwoord\n");
    assert!(passwd.status.success(), "{}", stderr(&passwd));
    assert!(
        stdout(&passwd).contains("2 sessions ended"),
        "{}",
        stdout(&passwd)
    );
    assert_eq!(test.db.session_load("phone", now).await.unwrap(), None);
    let mut t = tx(&test.db).await;
    assert_eq!(t.sessions_count_for_user(user.id, now).await.unwrap(), 0);
    t.commit().await.unwrap();
    // Deactivation signs out too.
    sign_in("tablet").await;
    let deactivated = run(&["user", "deactivate", "jdoe"], "");
    assert!(stdout(&deactivated).contains("1 sessions ended"));
    assert_eq!(test.db.session_load("tablet", now).await.unwrap(), None);
    assert!(
        run(&["audit", "verify"], "").status.success(),
        "every change above is in an intact chain"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_on_sqlite() {
    a_new_password_or_deactivation_ends_the_users_sessions(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_on_postgres() {
    a_new_password_or_deactivation_ends_the_users_sessions(TestBackend::Postgres).await;
}

async fn tokens_are_listed_and_revoked_on_the_command_line(backend: TestBackend) {
    let Some(test) = TestDatabase::create(backend).await else {
        return;
    };
    let run = |args: &[&str], stdin: &str| {
        let mut all = vec!["--database", test.url.as_str()];
        all.extend_from_slice(args);
        regie(&all, stdin)
    };
    let add = ["user", "add", "--username", "jdoe", "--name", "J. Doe"];
    assert!(run(&add, "een lang wachtwoord\n").status.success());
    let first = stdout(&run(
        &["token", "create", "--user", "jdoe", "--name", "rooster"],
        "",
    ));
    let second = stdout(&run(&["token", "create", "--user", "jdoe"], ""));
    let (first, second) = (first.trim().to_string(), second.trim().to_string());

    let listed = run(&["token", "list"], "");
    assert!(listed.status.success(), "{}", stderr(&listed));
    let listed = stdout(&listed);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "{listed}");
    assert_eq!(lines[0], "id\tuser\tlabel\tcreated\tlast used\tstatus");
    assert!(lines[1].starts_with("2\tjdoe\tcli\t") && lines[1].ends_with("\tnever\tactive"));
    assert!(lines[2].starts_with("1\tjdoe\trooster\t"), "{listed}");
    assert!(!listed.contains(&first[6..20]) && !listed.contains(&second[6..20]));

    let revoked = run(&["token", "revoke", "1"], "");
    assert!(revoked.status.success(), "{}", stderr(&revoked));
    assert!(stdout(&revoked).contains("Token 1 (rooster) of jdoe revoked."));
    let now = time::OffsetDateTime::now_utc();
    let mut t = tx(&test.db).await;
    let hash = |token: &str| regie_app::accounts::token_hash(token);
    assert_eq!(t.token_user_id(&hash(&first), now).await.unwrap(), None);
    assert!(
        t.token_user_id(&hash(&second), now)
            .await
            .unwrap()
            .is_some()
    );
    t.commit().await.unwrap();
    let listed = stdout(&run(&["token", "list"], ""));
    assert!(
        listed.lines().nth(1).unwrap().contains("\tactive"),
        "active first: {listed}"
    );
    assert!(
        listed.lines().nth(2).unwrap().contains("\trevoked 2"),
        "{listed}"
    );
    let again = run(&["token", "revoke", "1"], "");
    assert!(again.status.success());
    assert!(stdout(&again).contains("already revoked"));
    let unknown = run(&["token", "revoke", "42"], "");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no token with id 42"));
    let mut t = tx(&test.db).await;
    let (revocations, _) = t
        .audit_list(
            &regie_storage::AuditFilter {
                event: Some("token.revoke".into()),
                ..Default::default()
            },
            10,
            0,
        )
        .await
        .unwrap();
    t.commit().await.unwrap();
    assert_eq!(revocations.len(), 1, "revoked once, recorded once");
    assert_eq!(revocations[0].object_type.as_deref(), Some("api_token"));
    assert_eq!(revocations[0].object_id.as_deref(), Some("1"));
    assert_eq!(revocations[0].source.as_deref(), Some("cli"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_on_sqlite() {
    tokens_are_listed_and_revoked_on_the_command_line(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_on_postgres() {
    tokens_are_listed_and_revoked_on_the_command_line(TestBackend::Postgres).await;
}

async fn an_anchor_reveals_rows_deleted_with_the_chain_head(backend: TestBackend) {
    let Some(test) = TestDatabase::create(backend).await else {
        return;
    };
    let run = |args: &[&str]| {
        let mut all = vec!["--database", test.url.as_str()];
        all.extend_from_slice(args);
        regie(&all, "een lang wachtwoord\n")
    };
    for name in ["aa", "bb", "cc", "dd", "ee"] {
        assert!(
            run(&["user", "add", "--username", name, "--name", name])
                .status
                .success()
        );
    }
    let dir = scratch_dir("anchor", backend);
    let file = dir.join("anchors.jsonl");
    let file_arg = file.to_str().unwrap();
    let anchored = run(&["audit", "anchor", "--file", file_arg]);
    assert!(anchored.status.success(), "{}", stderr(&anchored));
    assert!(
        stdout(&anchored).starts_with("Anchored row 5 ("),
        "{}",
        stdout(&anchored)
    );
    let anchors = std::fs::read_to_string(&file).unwrap();
    assert_eq!(anchors.lines().count(), 1);
    let line: serde_json::Value = serde_json::from_str(anchors.lines().next().unwrap()).unwrap();
    assert_eq!(line["sequence"], 5);
    assert_eq!(line["hash"].as_str().unwrap().len(), 64);
    assert!(line["at"].as_str().unwrap().ends_with('Z'));
    // Appending keeps earlier anchors.
    assert!(
        run(&["audit", "anchor", "--file", file_arg])
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 2);

    let intact = run(&["audit", "verify", "--anchor", file_arg]);
    assert!(intact.status.success(), "{}", stdout(&intact));
    assert!(
        stdout(&intact).contains(
            "Audit log intact: 5 rows verified; every anchored row is there (newest: row 5"
        ),
        "{}",
        stdout(&intact)
    );

    // Rows 4 and 5 are deleted and the head is set back to row 3.
    intrude(
        &test.db,
        &[
            "DELETE FROM audit_log WHERE seq > 3",
            "UPDATE audit_head SET seq = 3, \
             last_hash = (SELECT hash FROM audit_log WHERE seq = 3) WHERE id = 1",
        ],
    )
    .await;
    // The chain alone cannot tell…
    let plain = run(&["audit", "verify"]);
    assert!(plain.status.success(), "{}", stdout(&plain));
    assert!(stdout(&plain).contains("Audit log intact: 3 rows verified."));
    // …the anchor can.
    let short = run(&["audit", "verify", "--anchor", file_arg]);
    assert_eq!(short.status.code(), Some(1), "{}", stdout(&short));
    let report = stdout(&short);
    assert!(report.contains("Audit log BROKEN at row 4"), "{report}");
    assert!(
        report.contains("2 rows are missing after row 3"),
        "{report}"
    );

    // Filling the gap with other rows does not fool it either.
    assert!(
        run(&["user", "add", "--username", "ff", "--name", "ff"])
            .status
            .success()
    );
    assert!(
        run(&["user", "add", "--username", "gg", "--name", "gg"])
            .status
            .success()
    );
    assert!(run(&["audit", "verify"]).status.success());
    let replaced = run(&["audit", "verify", "--anchor", file_arg]);
    assert_eq!(replaced.status.code(), Some(1));
    assert!(
        stdout(&replaced).contains("row 5 is not the row the anchor"),
        "{}",
        stdout(&replaced)
    );

    // An anchor file that cannot be used is an error, not a pass.
    let missing = run(&[
        "audit",
        "verify",
        "--anchor",
        dir.join("none").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let garbled = dir.join("garbled.jsonl");
    std::fs::write(&garbled, "{\"sequence\": 1}\n").unwrap();
    let bad = run(&["audit", "verify", "--anchor", garbled.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("line 1"), "{}", stderr(&bad));
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_anchor_on_sqlite() {
    an_anchor_reveals_rows_deleted_with_the_chain_head(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_anchor_on_postgres() {
    an_anchor_reveals_rows_deleted_with_the_chain_head(TestBackend::Postgres).await;
}

fn anchor_sequences(file: &std::path::Path) -> Vec<i64> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["sequence"]
                .as_i64()
                .unwrap()
        })
        .collect()
}

/// Polls until `done` holds, for at most 15 seconds.
async fn eventually(mut done: impl FnMut() -> bool) -> bool {
    for _ in 0..150 {
        if done() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

async fn serve_writes_anchors_on_its_interval(backend: TestBackend) {
    let Some(test) = TestDatabase::create(backend).await else {
        return;
    };
    let dir = scratch_dir("serve_anchor", backend);
    let file = dir.join("anchors.jsonl");
    let mut child = Command::new(env!("CARGO_BIN_EXE_regie"))
        .args(["--database", &test.url, "serve", "--addr", "127.0.0.1:0"])
        .args(["--audit-anchor-file", file.to_str().unwrap()])
        .args(["--audit-anchor-seconds", "1"])
        .env_remove("REGIE_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("regie prints its URL").unwrap();
        if let Some(rest) = line.strip_prefix("Regie draait op ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    // The first anchor is written at start: the empty log.
    let first = eventually(|| !anchor_sequences(&file).is_empty()).await;
    // A failed sign-in adds an audit row; the next tick anchors the new head.
    let login = reqwest::Client::new()
        .post(format!("{url}login"))
        .form(&[("username", "niemand"), ("password", "fout-wachtwoord")])
        .send()
        .await
        .unwrap();
    let moved = eventually(|| anchor_sequences(&file).last() == Some(&1)).await;
    // An unchanged head is not written again.
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    let written = anchor_sequences(&file);
    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
    assert!(first, "an anchor is written at start");
    assert_eq!(login.status(), 401);
    assert!(moved, "the new head is anchored: {written:?}");
    assert_eq!(written, [0, 1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_anchors_on_sqlite() {
    serve_writes_anchors_on_its_interval(TestBackend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_anchors_on_postgres() {
    serve_writes_anchors_on_its_interval(TestBackend::Postgres).await;
}
