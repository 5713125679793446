//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database, per test, removed
//! again when the test ends (also when it panics).
//!
//! PostgreSQL is found at `REGIE_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`).
//! When it cannot be reached the test is skipped with a message, except under `CI=true`, where
//! that is a failure: CI never silently skips a backend.

use crate::Db;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestBackend {
    Sqlite,
    Postgres,
}

pub const DEFAULT_TEST_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDatabase {
    /// A URL `Db::connect` (and `regie --database`) accepts.
    pub url: String,
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Directory(PathBuf),
    Postgres { admin_url: String, name: String },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "regie_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

impl TestDatabase {
    /// A fresh, migrated database; `None` when PostgreSQL is unreachable outside CI.
    pub async fn create(backend: TestBackend) -> Option<Self> {
        let test = match backend {
            TestBackend::Sqlite => Self::sqlite().await,
            TestBackend::Postgres => Self::postgres().await?,
        };
        test.db
            .migrate()
            .await
            .expect("migrations apply to a fresh database");
        Some(test)
    }

    async fn sqlite() -> Self {
        let dir = std::env::temp_dir().join(unique_name());
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let path = dir.join("regie.db");
        let db = Db::open_sqlite_file(&path).await.expect("open SQLite file");
        TestDatabase {
            url: format!("sqlite://{}", path.display()),
            db,
            cleanup: Cleanup::Directory(dir),
        }
    }

    async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("REGIE_TEST_POSTGRES")
            .unwrap_or_else(|_| DEFAULT_TEST_POSTGRES.to_string());
        let admin = match Db::connect(&admin_url).await {
            Ok(Db::Postgres(pool)) => pool,
            Ok(_) => panic!("REGIE_TEST_POSTGRES must be a postgres:// URL"),
            Err(error) if in_ci() => {
                panic!("PostgreSQL at {admin_url} is unreachable and CI=true: {error}")
            }
            Err(error) => {
                eprintln!(
                    "skipping PostgreSQL test: {admin_url} unreachable ({error}); set CI=true to make this fail"
                );
                return None;
            }
        };
        let name = unique_name();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create test database");
        admin.close().await;
        let url = database_url(&admin_url, &name);
        let db = Db::connect(&url).await.expect("connect to test database");
        Some(TestDatabase {
            url,
            db,
            cleanup: Cleanup::Postgres { admin_url, name },
        })
    }
}

/// The same server URL with another database name (keeps any query string).
fn database_url(admin_url: &str, name: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (admin_url, None),
    };
    let authority_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin_url, name } => {
                // Drop runs outside async context; use a short-lived runtime on its own thread.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let pool = self.db.clone();
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async move {
                        if let Db::Postgres(p) = pool {
                            p.close().await;
                        }
                        let admin = sqlx::postgres::PgPool::connect(&admin_url).await.ok()?;
                        let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        sqlx::query(sqlx::AssertSqlSafe(drop))
                            .execute(&admin)
                            .await
                            .ok()?;
                        admin.close().await;
                        Some(())
                    })
                })
                .join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn test_database_urls_keep_server_and_options() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            database_url("postgres://h/test?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(database_url("postgres://h", "x"), "postgres://h/x");
    }
}
