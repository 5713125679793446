//! API bearer tokens. Only a SHA-256 hash of each token is stored.

use crate::{Result, Tx, on_tx};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: OffsetDateTime,
}

impl Tx {
    pub async fn token_create(
        &mut self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<ApiToken> {
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) \
                 RETURNING id, user_id, name, created_at",
            )
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }

    /// The user a live token belongs to; marks the token as used.
    pub async fn token_user_id(
        &mut self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL \
                 RETURNING user_id",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(c)
            .await?
        }))
    }
}
