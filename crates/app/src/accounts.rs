//! Signing in and API tokens: the login throttle per typed name and per address, and who a
//! session or token belongs to.

use crate::{App, Caller, Result, passwords};
use rand::RngCore;
use regie_domain::Username;
use regie_domain::audit::{AuditEntry, AuditEvent, Outcome};
use regie_domain::login::{self, LoginGate, LoginThrottle, ThrottledBy};
use regie_storage::User;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use time::OffsetDateTime;

/// An active user and the active teams they belong to; `None` when unknown or deactivated.
pub async fn load_active_user(app: &App, user_id: i64) -> Result<Option<(User, Vec<i64>)>> {
    let mut tx = app.begin().await?;
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

/// Checks a user name and password from `peer`, applying the throttle per typed name and per
/// address, and writes the audit row in the same transaction as the bookkeeping.
///
/// A name without an account goes through exactly the same steps as a real one (its failures
/// are counted under the same kind of key, its password is checked against a dummy hash), so
/// status, wait, timing and audit detail do not reveal whether the account exists.
pub async fn attempt_login(
    app: &App,
    throttle: LoginThrottle,
    typed_name: &str,
    password: &str,
    peer: IpAddr,
) -> Result<LoginOutcome> {
    let clock = app.clock();
    let name_key = login::account_key(typed_name);
    let address_key = login::address_key(peer);
    let source = Some(peer.to_string());
    // The typed name is not logged for unknown accounts: people sometimes type their password
    // in that field.
    let failed = |detail: &str, user: Option<&User>, outcome: Outcome| AuditEntry {
        user_id: user.map(|u| u.id),
        username: user.map(|u| u.username.clone()),
        user_role: user.map(|u| u.role.as_str().to_string()),
        source: source.clone(),
        detail: Some(detail.to_string()),
        ..AuditEntry::new(AuditEvent::LoginFailed, outcome)
    };

    let now = clock.now();
    let mut tx = app.begin().await?;
    let user = match Username::parse(typed_name) {
        Ok(name) => tx.user_by_username(name.as_str()).await?,
        Err(_) => None,
    }
    .filter(|u| u.active);
    let by_name = tx.login_throttle_get(&name_key).await?;
    let by_address = tx.login_throttle_get(&address_key).await?;
    if let Some(refusal) = throttle.check(&by_name, &by_address, now) {
        let detail = match (refusal.by, refusal.gate) {
            (ThrottledBy::Account, LoginGate::Locked { .. }) => "account locked",
            (ThrottledBy::Account, _) => "throttled",
            (ThrottledBy::Address, _) => "address throttled",
        };
        tx.audit_append(&failed(detail, user.as_ref(), Outcome::Denied), now)
            .await?;
        tx.commit().await?;
        return Ok(match refusal.gate {
            LoginGate::Locked { until } => LoginOutcome::Locked { until },
            LoginGate::Wait { seconds } => LoginOutcome::Wait { seconds },
            LoginGate::Open => LoginOutcome::Rejected,
        });
    }
    // Do not hold the database's write lock while hashing.
    tx.commit().await?;
    let valid = passwords::verify(password, user.as_ref().map(|u| u.password_hash.as_str())).await;

    let now = clock.now();
    let mut tx = app.begin().await?;
    // Re-read: the account may have been deactivated meanwhile.
    let fresh = match &user {
        Some(user) => tx.user_get(user.id).await?.filter(|u| u.active),
        None => None,
    };
    let outcome = match fresh {
        Some(fresh) if valid => {
            // The name's run of failures ends; the address's does not: one good sign-in must
            // not let an address carry on guessing other names.
            tx.login_throttle_clear(&name_key).await?;
            let entry = AuditEntry {
                user_id: Some(fresh.id),
                username: Some(fresh.username.clone()),
                user_role: Some(fresh.role.as_str().to_string()),
                source: source.clone(),
                ..AuditEntry::new(AuditEvent::LoginSucceeded, Outcome::Allowed)
            };
            tx.audit_append(&entry, now).await?;
            LoginOutcome::SignedIn(Box::new(fresh))
        }
        _ => {
            let by_name = tx.login_throttle_lock(&name_key).await?;
            let by_address = tx.login_throttle_lock(&address_key).await?;
            let name_after = throttle.account.after_failure(&by_name, now);
            let address_after = throttle.address.after_failure(&by_address, now);
            tx.login_throttle_set(&name_key, &name_after).await?;
            tx.login_throttle_set(&address_key, &address_after).await?;
            let reason = if user.is_some() {
                "wrong password"
            } else {
                "unknown or inactive account"
            };
            let detail = match name_after.locked_until {
                Some(_) => format!("{reason}; account locked"),
                None => reason.to_string(),
            };
            tx.audit_append(&failed(&detail, user.as_ref(), Outcome::Failed), now)
                .await?;
            match name_after.locked_until {
                Some(until) => LoginOutcome::Locked { until },
                None => LoginOutcome::Rejected,
            }
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

/// The caller behind an API token, if it is valid and its user active; the token's last use is
/// recorded.
pub async fn caller_for_token(
    app: &App,
    token: &str,
    source: Option<String>,
) -> Result<Option<Caller>> {
    let mut tx = app.begin().await?;
    let Some(user_id) = tx.token_user_id(&token_hash(token), app.now()).await? else {
        tx.commit().await?;
        return Ok(None);
    };
    let user = tx.user_get(user_id).await?.filter(|u| u.active);
    let team_ids = tx.user_team_ids(user_id).await?;
    tx.commit().await?;
    Ok(user.map(|user| Caller::new(user, team_ids, source)))
}

/// The caller behind a signed-in session, if the user is still active.
pub async fn caller_for_session(
    app: &App,
    user_id: i64,
    source: Option<String>,
) -> Result<Option<Caller>> {
    Ok(load_active_user(app, user_id)
        .await?
        .map(|(user, team_ids)| Caller::new(user, team_ids, source)))
}

/// Signing out, audited.
pub async fn sign_out(app: &App, caller: &Caller) -> Result<()> {
    let mut tx = app.begin().await?;
    tx.audit_append(
        &caller.audit(AuditEvent::Logout, Outcome::Allowed),
        app.now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Remembers the language a user chose, for their next sign-in.
pub async fn set_language(
    app: &App,
    caller: &Caller,
    language: regie_domain::Language,
) -> Result<()> {
    let mut tx = app.begin().await?;
    tx.user_set_language(caller.user.id, language).await?;
    tx.commit().await?;
    Ok(())
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
