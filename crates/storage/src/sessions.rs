//! Server-side session records, shared by every Regie instance on the same database.

use crate::{Db, Result, Tx, on_pool, on_tx};
use time::OffsetDateTime;

impl Db {
    /// The session's data, unless it has expired.
    pub async fn session_load(&self, id: &str, now: OffsetDateTime) -> Result<Option<String>> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(id)
                .bind(now)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Inserts a new session; `false` when the id is already taken. `user_id` is the signed-in
    /// user, if any.
    pub async fn session_insert(
        &self,
        id: &str,
        data: &str,
        user_id: Option<i64>,
        expires_at: OffsetDateTime,
    ) -> Result<bool> {
        let inserted = on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, data, user_id, expires_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(data)
            .bind(user_id)
            .bind(expires_at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }

    /// Updates an existing session. A session deleted meanwhile (signed out elsewhere, ended by
    /// a password change) stays deleted: a request that was already running cannot revive it.
    pub async fn session_save(
        &self,
        id: &str,
        data: &str,
        user_id: Option<i64>,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query(
                "UPDATE sessions SET data = $2, user_id = $3, expires_at = $4 WHERE id = $1",
            )
            .bind(id)
            .bind(data)
            .bind(user_id)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    pub async fn session_delete(&self, id: &str) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn sessions_purge_expired(&self, now: OffsetDateTime) -> Result<u64> {
        Ok(on_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}

impl Tx {
    /// Ends every session of a user except `keep` (the caller's own, when they change their own
    /// password); returns how many ended.
    pub async fn sessions_end_for_user(&mut self, user_id: i64, keep: Option<&str>) -> Result<u64> {
        Ok(on_tx!(self, |c| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
                .bind(user_id)
                .bind(keep.unwrap_or(""))
                .execute(c)
                .await?
                .rows_affected()
        }))
    }

    /// How many live sessions a user has.
    pub async fn sessions_count_for_user(
        &mut self,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expires_at > $2",
            )
            .bind(user_id)
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }
}
