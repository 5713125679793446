//! Argon2id password hashing, off the async threads (it is deliberately slow).

use crate::Error;
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use regie_domain::NewPassword;
use std::sync::LazyLock;

pub async fn hash(password: &NewPassword) -> Result<String, Error> {
    let password = password.expose().to_string();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))?
}

/// Checks `password` against a stored hash; `None` checks against a dummy hash so that an
/// unknown user name takes as long to refuse as a wrong password.
pub async fn verify(password: &str, stored_hash: Option<&str>) -> bool {
    let password = password.to_string();
    let stored = stored_hash.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let hash = stored.as_deref().unwrap_or(&DUMMY_HASH);
        let Ok(parsed) = PasswordHash::new(hash) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
            && stored.is_some()
    })
    .await
    .unwrap_or(false)
}

static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"not-a-real-password")
        .map(|hash| hash.to_string())
        .unwrap_or_default()
});

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let password = NewPassword::parse("correct horse").unwrap();
        let hash = hash(&password).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(!hash.contains("correct horse"));
        assert!(verify("correct horse", Some(&hash)).await);
        assert!(!verify("wrong horse!", Some(&hash)).await);
        assert!(!verify("not-a-real-password", None).await);
    }
}
