//! Regie's storage: one repository API over embedded SQLite and PostgreSQL.
//!
//! [`Db`] holds a concrete pool for one backend; [`Tx`] is a transaction on it and carries
//! every repository method, so a change and the audit row that records it always commit
//! together. The same portable SQL runs on both backends (`$1` placeholders, `RETURNING`,
//! no backend-specific functions); each backend has its own migration folder.
//!
//! What is in a client's record is handed out only for a [`regie_domain::ClientAccess`] or
//! [`regie_domain::TrajectoryAccess`], which only the domain's access rule mints: a read that
//! skipped the check does not compile. The lookups the check itself starts from
//! (`client_get`, `trajectory_get`, `visit_get`) ask for none.

mod assessments;
mod audit;
mod catalogue;
mod clients;
mod db;
mod error;
mod evaluations;
mod formats;
mod instruments;
mod network;
mod plan;
mod sessions;
mod settings;
mod teams;
#[cfg(feature = "testing")]
pub mod testing;
mod throttle;
mod tokens;
mod trajectories;
mod users;
mod visits;

pub use assessments::{ActivityRecord, StoredAssessment};
pub use audit::{AuditFilter, AuditRow};
pub use catalogue::{CatalogueIntervention, StoredAid};
pub use clients::{ClientSummary, ClientVersion, StoredReason};
pub use db::{Backend, Db, Tx};
pub use error::StorageError;
pub use evaluations::{StoredEvaluation, StoredScore};
pub use instruments::{InstallOutcome, InstalledInstrument};
pub use network::StoredNetworkMember;
pub use plan::{CoreTeamMember, Handover, PlanVersion, StoredDecision, StoredTeamChange};
pub use teams::Team;
pub use tokens::{ApiToken, TokenListing};
pub use trajectories::{MattersNote, TrajectoryEvent};
pub use users::{NewUser, User, UserUpdate};
pub use visits::{StoredVisit, Success};

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// Runs the same query code against whichever backend the transaction is on.
///
/// Each arm is compiled for its own database type, so `sqlx::query_as` and `bind` resolve to
/// the concrete driver; the SQL text must be portable.
macro_rules! on_tx {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::db::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

/// The same, for queries that need no transaction (sessions, health).
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Placeholders `$first, $first+1, …` for an `IN (…)` list of `count` values.
/// Rows of two ids for `sql`, whose `{ids}` becomes a list of `ids` (bound from `$1`): the
/// batch lookups behind pages that show many clients in a fixed number of queries.
pub(crate) async fn id_pairs(tx: &mut Tx, sql: &str, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sql.replace("{ids}", &placeholders(1, ids.len()));
    on_tx!(tx, |c| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(c).await?)
    })
}

pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}
