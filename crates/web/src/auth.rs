//! Signing in and out, API tokens, and the per-account login throttle.

use crate::context::{Caller, source_address};
use crate::{AppError, AppState, passwords};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use rand::RngCore;
use regie_domain::audit::{AuditEntry, AuditEvent, Outcome};
use regie_domain::{LoginGate, Username};
use regie_storage::{Db, User};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// An active user and the active teams they belong to; `None` when unknown or deactivated.
pub async fn load_active_user(db: &Db, user_id: i64) -> Result<Option<(User, Vec<i64>)>, AppError> {
    let mut tx = db.begin().await?;
    let user = tx.user_get(user_id).await?;
    let team_ids = tx.user_team_ids(user_id).await?;
    tx.commit().await?;
    Ok(user.filter(|u| u.active).map(|u| (u, team_ids)))
}

/// How a sign-in attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    SignedIn(Box<User>),
    /// Wrong user name or password; which of the two is not revealed.
    Rejected,
    /// Too many failures just now: try again after this many seconds.
    Wait {
        seconds: i64,
    },
    Locked {
        until: OffsetDateTime,
    },
}

/// Checks a user name and password, applying the throttle and writing the audit row.
pub async fn attempt_login(
    state: &AppState,
    username: &str,
    password: &str,
    source: Option<String>,
) -> Result<LoginOutcome, AppError> {
    let policy = state.config.login_policy;
    let now = OffsetDateTime::now_utc();
    let failed = |detail: &str, user: Option<&User>, outcome: Outcome| AuditEntry {
        user_id: user.map(|u| u.id),
        username: user.map(|u| u.username.clone()),
        user_role: user.map(|u| u.role.as_str().to_string()),
        source: source.clone(),
        detail: Some(detail.to_string()),
        ..AuditEntry::new(AuditEvent::LoginFailed, outcome)
    };

    let username = Username::parse(username).ok();
    let mut tx = state.db.begin().await?;
    let user = match &username {
        Some(name) => tx.user_by_username(name.as_str()).await?,
        None => None,
    };
    let Some(user) = user.filter(|u| u.active) else {
        // Spend the same time as a real check so the response does not reveal the account exists.
        tx.commit().await?;
        passwords::verify(password, None).await;
        let mut tx = state.db.begin().await?;
        // The typed name is not logged: people sometimes type their password in that field.
        tx.audit_append(
            &failed("unknown or inactive account", None, Outcome::Failed),
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok(LoginOutcome::Rejected);
    };
    match policy.gate(&user.failed_logins, now) {
        LoginGate::Open => {}
        LoginGate::Wait { seconds } => {
            tx.audit_append(&failed("throttled", Some(&user), Outcome::Denied), now)
                .await?;
            tx.commit().await?;
            return Ok(LoginOutcome::Wait { seconds });
        }
        LoginGate::Locked { until } => {
            tx.audit_append(&failed("account locked", Some(&user), Outcome::Denied), now)
                .await?;
            tx.commit().await?;
            return Ok(LoginOutcome::Locked { until });
        }
    }
    // Do not hold the database's write lock while hashing.
    tx.commit().await?;
    let valid = passwords::verify(password, Some(&user.password_hash)).await;

    let now = OffsetDateTime::now_utc();
    let mut tx = state.db.begin().await?;
    // Re-read: another attempt may have failed meanwhile.
    let fresh = tx.user_get(user.id).await?.ok_or(AppError::NotFound)?;
    let outcome = if valid {
        if fresh.failed_logins.count > 0 {
            tx.user_set_failed_logins(user.id, &Default::default())
                .await?;
        }
        let entry = AuditEntry {
            user_id: Some(user.id),
            username: Some(user.username.clone()),
            user_role: Some(user.role.as_str().to_string()),
            source: source.clone(),
            ..AuditEntry::new(AuditEvent::LoginSucceeded, Outcome::Allowed)
        };
        tx.audit_append(&entry, now).await?;
        LoginOutcome::SignedIn(Box::new(fresh))
    } else {
        let state_after = policy.after_failure(&fresh.failed_logins, now);
        tx.user_set_failed_logins(user.id, &state_after).await?;
        let detail = if state_after.locked_until.is_some() {
            "wrong password; account locked"
        } else {
            "wrong password"
        };
        tx.audit_append(&failed(detail, Some(&fresh), Outcome::Failed), now)
            .await?;
        match state_after.locked_until {
            Some(until) => LoginOutcome::Locked { until },
            None => LoginOutcome::Rejected,
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// A new API token: the secret to hand out once, and the hash to store.
pub fn new_api_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("regie_{}", hex::encode(bytes));
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A caller of the JSON API, identified by `Authorization: Bearer <token>`.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(AppError::Unauthenticated)?;
        let mut tx = state.db.begin().await?;
        let user_id = tx
            .token_user_id(&token_hash(token), OffsetDateTime::now_utc())
            .await?;
        tx.commit().await?;
        let user_id = user_id.ok_or(AppError::Unauthenticated)?;
        let (user, team_ids) = load_active_user(&state.db, user_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(ApiCaller(Caller::new(
            user,
            team_ids,
            source_address(parts),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_api_token();
        let (b, _) = new_api_token();
        assert_ne!(a, b);
        assert!(a.starts_with("regie_") && a.len() == 6 + 64);
        assert_eq!(token_hash(&a), hash_a);
        assert!(!hash_a.contains(&a[6..]));
    }
}
