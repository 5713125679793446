//! Who is acting: the signed-in user (by session or API token) with what the access rule and
//! the audit log need.

use regie_domain::Actor;
use regie_domain::audit::{AuditEntry, AuditEvent, Outcome};
use regie_storage::User;

#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub actor: Actor,
    /// The address the request came from, for the audit log.
    pub source: Option<String>,
}

impl Caller {
    pub fn new(user: User, team_ids: Vec<i64>, source: Option<String>) -> Self {
        let actor = Actor {
            user_id: user.id,
            username: user.username.clone(),
            role: user.role,
            team_ids,
        };
        Self {
            user,
            actor,
            source,
        }
    }

    /// An audit entry for something this caller did.
    pub fn audit(&self, event: AuditEvent, outcome: Outcome) -> AuditEntry {
        AuditEntry {
            user_id: Some(self.user.id),
            username: Some(self.user.username.clone()),
            user_role: Some(self.user.role.as_str().to_string()),
            source: self.source.clone(),
            ..AuditEntry::new(event, outcome)
        }
    }
}
