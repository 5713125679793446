//! tower-sessions store over Regie's own database, so several instances share sessions.

use async_trait::async_trait;
use regie_storage::Db;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

/// The signed-in user a session belongs to, stored beside it so that all of one user's
/// sessions can be ended at once.
fn user_of(record: &Record) -> Option<i64> {
    record
        .data
        .get(crate::context::SESSION_USER_ID)
        .and_then(|v| v.as_i64())
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        // A fresh random id colliding is vanishingly rare; pick another if it ever happens.
        while !self
            .db
            .session_insert(
                &record.id.to_string(),
                &data,
                user_of(record),
                record.expiry_date,
            )
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = serde_json::to_string(&record.data).map_err(backend)?;
        self.db
            .session_save(
                &record.id.to_string(),
                &data,
                user_of(record),
                record.expiry_date,
            )
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        // tower-sessions sets expiry dates by the wall clock, so they are read by it too (the
        // app's clock decides separately whether a signed-in session is still valid).
        let now = OffsetDateTime::now_utc();
        let Some(data) = self
            .db
            .session_load(&id.to_string(), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(backend)?;
        // The stored expiry is refreshed on save; the layer recomputes it from its own policy.
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: now,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.db
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}
