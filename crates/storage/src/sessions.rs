//! Server-side session records, shared by every Regie instance on the same database.

use crate::{Db, Result, on_pool};
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

    /// Inserts a new session; `false` when the id is already taken.
    pub async fn session_insert(
        &self,
        id: &str,
        data: &str,
        expires_at: OffsetDateTime,
    ) -> Result<bool> {
        let inserted = on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }

    pub async fn session_save(
        &self,
        id: &str,
        data: &str,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            )
            .bind(id)
            .bind(data)
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
