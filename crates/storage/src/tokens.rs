//! API bearer tokens. Only a SHA-256 hash of each token is stored.

use crate::{Result, Tx, on_tx};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

/// A token with the account it belongs to, for listings. Never the secret.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenListing {
    #[sqlx(flatten)]
    pub token: ApiToken,
    pub username: String,
    pub full_name: String,
}

const LISTING: &str = "SELECT t.id, t.user_id, t.name, t.created_at, t.last_used_at, t.revoked_at, \
    u.username, u.full_name FROM api_tokens t JOIN users u ON u.id = t.user_id";

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
                 RETURNING id, user_id, name, created_at, last_used_at, revoked_at",
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

    /// Every token, active ones first, newest first.
    pub async fn tokens_list(&mut self) -> Result<Vec<TokenListing>> {
        let sql = format!("{LISTING} ORDER BY t.revoked_at IS NOT NULL, t.id DESC");
        Ok(on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(c)
                .await?
        }))
    }

    pub async fn token_get(&mut self, id: i64) -> Result<Option<TokenListing>> {
        let sql = format!("{LISTING} WHERE t.id = $1");
        Ok(on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(c)
                .await?
        }))
    }

    /// Revokes a token; `false` when there is no such active token (unknown or revoked before).
    pub async fn token_revoke(&mut self, id: i64, now: OffsetDateTime) -> Result<bool> {
        let affected = on_tx!(self, |c| {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            )
            .bind(id)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected()
        });
        Ok(affected == 1)
    }
}
