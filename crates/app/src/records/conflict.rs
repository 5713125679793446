//! No silent overwrites: what someone else changed since the version a form or request was
//! based on. A save that would overwrite it is refused with these changes, so the user sees
//! them next to their own input and decides.

use regie_domain::PlanChange;
use regie_storage::StoredTeamChange;
use time::OffsetDateTime;

/// What changed meanwhile, per kind of versioned thing.
#[derive(Debug, Clone, PartialEq)]
pub enum Meanwhile {
    /// Plan versions after the one the form was based on, each with what it changed of the
    /// thing being edited.
    Plan {
        newest: i64,
        versions: Vec<PlanVersionChange>,
    },
    /// Versions of the client's record after the one the form was based on.
    Client {
        newest: i64,
        versions: Vec<ClientVersionChange>,
    },
    /// Changes of the core team after the version the form was based on.
    Team {
        newest: i64,
        changes: Vec<StoredTeamChange>,
    },
    /// A visit corrected (or marked in error) after the version the form showed.
    Visit {
        newest: i64,
        author: String,
        at: OffsetDateTime,
    },
}

impl Meanwhile {
    /// The version the user's input should be based on when they save again.
    pub fn newest(&self) -> i64 {
        match self {
            Meanwhile::Plan { newest, .. }
            | Meanwhile::Client { newest, .. }
            | Meanwhile::Team { newest, .. }
            | Meanwhile::Visit { newest, .. } => *newest,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanVersionChange {
    pub number: i64,
    pub author: String,
    pub at: OffsetDateTime,
    pub reason: String,
    pub changes: Vec<PlanChange>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClientVersionChange {
    pub version: i64,
    pub author: Option<String>,
    pub at: OffsetDateTime,
    /// The fields this version changed, with their value since (the BSN masked).
    pub fields: Vec<(&'static str, String)>,
    /// Whether it changed the serving teams.
    pub teams: bool,
}
