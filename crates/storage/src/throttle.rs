//! Failed sign-in bookkeeping per key (a hashed user name or a source address); the rule that
//! reads it lives in `regie_domain::login`.

use crate::{Db, Result, Tx, on_pool, on_tx};
use regie_domain::login::FailedLogins;
use time::OffsetDateTime;

#[derive(sqlx::FromRow)]
struct ThrottleRow {
    failures: i64,
    last_failed_at: Option<OffsetDateTime>,
    locked_until: Option<OffsetDateTime>,
}

impl From<ThrottleRow> for FailedLogins {
    fn from(row: ThrottleRow) -> Self {
        FailedLogins {
            count: u32::try_from(row.failures.max(0)).unwrap_or(u32::MAX),
            last_failed_at: row.last_failed_at,
            locked_until: row.locked_until,
        }
    }
}

const SELECT: &str =
    "SELECT failures, last_failed_at, locked_until FROM login_throttle WHERE key = $1";

impl Tx {
    /// The state of `key`; no row means no failures.
    pub async fn login_throttle_get(&mut self, key: &str) -> Result<FailedLogins> {
        let row: Option<ThrottleRow> = on_tx!(self, |c| {
            sqlx::query_as(SELECT).bind(key).fetch_optional(c).await?
        });
        Ok(row.map(FailedLogins::from).unwrap_or_default())
    }

    /// The state of `key`, held until this transaction ends, so that failures arriving at the
    /// same moment are counted one after the other instead of overwriting each other.
    pub async fn login_throttle_lock(&mut self, key: &str) -> Result<FailedLogins> {
        let row: ThrottleRow = match self {
            // SQLite transactions here begin IMMEDIATE: the whole database is already held.
            Tx::Sqlite(c) => {
                sqlx::query_as(SELECT)
                    .bind(key)
                    .fetch_optional(&mut **c)
                    .await?
            }
            Tx::Postgres(c) => {
                // A row to lock must exist; a concurrent insert of the same key waits for ours.
                sqlx::query(
                    "INSERT INTO login_throttle (key, failures) VALUES ($1, 0) \
                     ON CONFLICT (key) DO NOTHING",
                )
                .bind(key)
                .execute(&mut **c)
                .await?;
                let sql = format!("{SELECT} FOR UPDATE");
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(key)
                    .fetch_optional(&mut **c)
                    .await?
            }
        }
        .unwrap_or(ThrottleRow {
            failures: 0,
            last_failed_at: None,
            locked_until: None,
        });
        Ok(row.into())
    }

    pub async fn login_throttle_set(&mut self, key: &str, state: &FailedLogins) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO login_throttle (key, failures, last_failed_at, locked_until) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET \
                 failures = excluded.failures, last_failed_at = excluded.last_failed_at, \
                 locked_until = excluded.locked_until",
            )
            .bind(key)
            .bind(i64::from(state.count))
            .bind(state.last_failed_at)
            .bind(state.locked_until)
            .execute(c)
            .await?;
        });
        Ok(())
    }

    /// Forgets the failures of `key` (after a correct password, or a new one).
    pub async fn login_throttle_clear(&mut self, key: &str) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                .bind(key)
                .execute(c)
                .await?;
        });
        Ok(())
    }
}

impl Db {
    /// Deletes states with no failure since `quiet_since` and no lock running at `now`: they no
    /// longer affect anything (unknown names would otherwise pile up).
    pub async fn login_throttle_purge(
        &self,
        quiet_since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<u64> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "DELETE FROM login_throttle WHERE (last_failed_at IS NULL OR last_failed_at < $1) \
                 AND (locked_until IS NULL OR locked_until <= $2)",
            )
            .bind(quiet_since)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }
}
