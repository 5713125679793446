#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A unique value is already taken; the name says which.
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    /// A stored value the domain does not recognise (a constraint should have prevented it).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("unsupported database URL (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StorageError {
    /// Maps a unique-constraint violation to [`StorageError::Conflict`].
    pub(crate) fn conflict_on(what: &'static str) -> impl FnOnce(sqlx::Error) -> StorageError {
        move |error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StorageError::Conflict(what),
            _ => StorageError::Database(error),
        }
    }
}
