//! The NEN 7513 access log: what is recorded for every access, and the hash chain that makes
//! tampering evident.
//!
//! Each entry's hash covers its own content and the previous entry's hash, so changing or
//! removing any row breaks the chain from that row on.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// The kinds of event the log records. The code strings are stored; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditEvent {
    LoginSucceeded,
    LoginFailed,
    Logout,
    ClientSearch,
    ClientRead,
    ClientCreate,
    ClientUpdate,
    ClientPrint,
    ClientExport,
    /// A team lead stated a reason to open a record (break the glass).
    ClientBreakGlass,
    /// A page the caller's role may not open (not a client record, not administration).
    PageAccess,
    UserCreate,
    UserUpdate,
    UserDeactivate,
    UserPasswordChange,
    TeamCreate,
    TeamUpdate,
    TokenCreate,
    AuditRead,
    AdminAccess,
    OrganisationUpdate,
    InstrumentImport,
    CatalogueUpdate,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 23] = [
        AuditEvent::LoginSucceeded,
        AuditEvent::LoginFailed,
        AuditEvent::Logout,
        AuditEvent::ClientSearch,
        AuditEvent::ClientRead,
        AuditEvent::ClientCreate,
        AuditEvent::ClientUpdate,
        AuditEvent::ClientPrint,
        AuditEvent::ClientExport,
        AuditEvent::ClientBreakGlass,
        AuditEvent::PageAccess,
        AuditEvent::UserCreate,
        AuditEvent::UserUpdate,
        AuditEvent::UserDeactivate,
        AuditEvent::UserPasswordChange,
        AuditEvent::TeamCreate,
        AuditEvent::TeamUpdate,
        AuditEvent::TokenCreate,
        AuditEvent::AuditRead,
        AuditEvent::AdminAccess,
        AuditEvent::OrganisationUpdate,
        AuditEvent::InstrumentImport,
        AuditEvent::CatalogueUpdate,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditEvent::LoginSucceeded => "login.succeeded",
            AuditEvent::LoginFailed => "login.failed",
            AuditEvent::Logout => "logout",
            AuditEvent::ClientSearch => "client.search",
            AuditEvent::ClientRead => "client.read",
            AuditEvent::ClientCreate => "client.create",
            AuditEvent::ClientUpdate => "client.update",
            AuditEvent::ClientPrint => "client.print",
            AuditEvent::ClientExport => "client.export",
            AuditEvent::ClientBreakGlass => "client.break_glass",
            AuditEvent::PageAccess => "page.access",
            AuditEvent::UserCreate => "user.create",
            AuditEvent::UserUpdate => "user.update",
            AuditEvent::UserDeactivate => "user.deactivate",
            AuditEvent::UserPasswordChange => "user.password",
            AuditEvent::TeamCreate => "team.create",
            AuditEvent::TeamUpdate => "team.update",
            AuditEvent::TokenCreate => "token.create",
            AuditEvent::AuditRead => "audit.read",
            AuditEvent::AdminAccess => "admin.access",
            AuditEvent::OrganisationUpdate => "organisation.update",
            AuditEvent::InstrumentImport => "instrument.import",
            AuditEvent::CatalogueUpdate => "catalogue.update",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Allowed,
    Denied,
    Failed,
}

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Allowed, Outcome::Denied, Outcome::Failed];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Allowed => "allowed",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// One access to record, before it has a place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditEntry {
    pub event: String,
    pub outcome: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub user_role: Option<String>,
    /// NEN 7513 "namens wie": the person on whose behalf the user acts, when not themselves.
    pub on_behalf_of: Option<String>,
    pub client_id: Option<i64>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub source: Option<String>,
    pub detail: Option<String>,
}

impl AuditEntry {
    pub fn new(event: AuditEvent, outcome: Outcome) -> Self {
        Self {
            event: event.code().into(),
            outcome: outcome.code().into(),
            ..Self::default()
        }
    }
}

/// The hash the first entry links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Audit times are kept to whole microseconds: the precision both databases store exactly,
/// so the hash of a row read back equals the hash computed when it was written.
pub fn audit_time(now: OffsetDateTime) -> OffsetDateTime {
    let nanos = now.nanosecond();
    now.replace_nanosecond(nanos - nanos % 1_000)
        .expect("nanosecond stays in range")
}

/// The chain hash of an entry at position `seq` written at `at`, linked to `prev_hash`.
pub fn chain_hash(seq: i64, at: OffsetDateTime, entry: &AuditEntry, prev_hash: &str) -> String {
    let micros = at.unix_timestamp_nanos() / 1_000;
    let mut hasher = Sha256::new();
    // Length-prefixed fields: no value can be shifted into its neighbour without changing the hash.
    let mut field = |value: Option<&str>| match value {
        Some(v) => hasher.update(format!("{}:{};", v.len(), v)),
        None => hasher.update("-;"),
    };
    field(Some(&seq.to_string()));
    field(Some(&micros.to_string()));
    field(Some(&entry.event));
    field(Some(&entry.outcome));
    field(entry.user_id.map(|id| id.to_string()).as_deref());
    field(entry.username.as_deref());
    field(entry.user_role.as_deref());
    field(entry.on_behalf_of.as_deref());
    field(entry.client_id.map(|id| id.to_string()).as_deref());
    field(entry.object_type.as_deref());
    field(entry.object_id.as_deref());
    field(entry.source.as_deref());
    field(entry.detail.as_deref());
    field(Some(prev_hash));
    hex::encode(hasher.finalize())
}

/// A stored entry, as read back for verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainedEntry {
    pub seq: i64,
    pub occurred_at: OffsetDateTime,
    pub entry: AuditEntry,
    pub prev_hash: String,
    pub hash: String,
}

/// Where and why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("row {seq}: its content does not match its hash (changed after it was written)")]
    ContentChanged { seq: i64 },
    #[error("row {seq}: it does not link to the row before it (a row was removed or inserted)")]
    LinkBroken { seq: i64 },
    #[error("row {seq}: expected row {expected} here (rows are missing)")]
    Gap { seq: i64, expected: i64 },
    #[error(
        "the log ends at row {last}, but {head} rows were written (rows were removed at the end)"
    )]
    Truncated { last: i64, head: i64 },
}

impl ChainBreak {
    pub fn seq(&self) -> i64 {
        match self {
            ChainBreak::ContentChanged { seq }
            | ChainBreak::LinkBroken { seq }
            | ChainBreak::Gap { seq, .. } => *seq,
            ChainBreak::Truncated { last, .. } => last + 1,
        }
    }
}

/// Walks the chain in order and reports the first broken row.
///
/// Verification is incremental: feed entries in `seq` order, then call [`ChainVerifier::finish`]
/// with the number of rows the log says it has written.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, row: &ChainedEntry) -> Result<(), ChainBreak> {
        if row.seq != self.expected_seq {
            return Err(ChainBreak::Gap {
                seq: row.seq,
                expected: self.expected_seq,
            });
        }
        if row.prev_hash != self.prev_hash {
            return Err(ChainBreak::LinkBroken { seq: row.seq });
        }
        if chain_hash(row.seq, row.occurred_at, &row.entry, &row.prev_hash) != row.hash {
            return Err(ChainBreak::ContentChanged { seq: row.seq });
        }
        self.expected_seq += 1;
        self.prev_hash = row.hash.clone();
        Ok(())
    }

    /// Finishes the walk; `head_seq` is the last sequence number the log recorded writing.
    pub fn finish(self, head_seq: i64) -> Result<i64, ChainBreak> {
        let last = self.expected_seq - 1;
        if last < head_seq {
            return Err(ChainBreak::Truncated {
                last,
                head: head_seq,
            });
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn chain(n: i64) -> Vec<ChainedEntry> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let mut entry = AuditEntry::new(AuditEvent::ClientRead, Outcome::Allowed);
                entry.user_id = Some(seq);
                entry.client_id = Some(100 + seq);
                let at = datetime!(2026-11-23 09:00:00.123456 UTC);
                let hash = chain_hash(seq, at, &entry, &prev);
                let row = ChainedEntry {
                    seq,
                    occurred_at: at,
                    entry,
                    prev_hash: prev.clone(),
                    hash,
                };
                prev = row.hash.clone();
                row
            })
            .collect()
    }

    fn verify(rows: &[ChainedEntry], head: i64) -> Result<i64, ChainBreak> {
        let mut verifier = ChainVerifier::default();
        for row in rows {
            verifier.check(row)?;
        }
        verifier.finish(head)
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(verify(&chain(5), 5), Ok(5));
        assert_eq!(verify(&[], 0), Ok(0));
    }

    #[test]
    fn a_changed_row_is_reported() {
        let mut rows = chain(5);
        rows[2].entry.client_id = Some(999);
        assert_eq!(verify(&rows, 5), Err(ChainBreak::ContentChanged { seq: 3 }));
    }

    #[test]
    fn a_changed_time_is_reported() {
        let mut rows = chain(3);
        rows[1].occurred_at += time::Duration::microseconds(1);
        assert_eq!(verify(&rows, 3).unwrap_err().seq(), 2);
    }

    #[test]
    fn a_rehashed_row_still_breaks_the_link_after_it() {
        let mut rows = chain(4);
        rows[1].entry.outcome = "denied".into();
        rows[1].hash = chain_hash(2, rows[1].occurred_at, &rows[1].entry, &rows[1].prev_hash);
        assert_eq!(verify(&rows, 4), Err(ChainBreak::LinkBroken { seq: 3 }));
    }

    #[test]
    fn removed_rows_are_reported() {
        let mut rows = chain(5);
        rows.remove(1);
        assert_eq!(
            verify(&rows, 5),
            Err(ChainBreak::Gap {
                seq: 3,
                expected: 2
            })
        );
        let rows = chain(5);
        assert_eq!(
            verify(&rows[..4], 5),
            Err(ChainBreak::Truncated { last: 4, head: 5 })
        );
    }

    #[test]
    fn fields_cannot_be_shifted_into_each_other() {
        let at = datetime!(2026-11-23 09:00 UTC);
        let mut a = AuditEntry::new(AuditEvent::ClientRead, Outcome::Allowed);
        a.object_type = Some("client".into());
        a.object_id = Some("1".into());
        let mut b = a.clone();
        b.object_type = Some("client1".into());
        b.object_id = None;
        assert_ne!(
            chain_hash(1, at, &a, GENESIS_HASH),
            chain_hash(1, at, &b, GENESIS_HASH)
        );
    }

    #[test]
    fn audit_time_keeps_whole_microseconds() {
        let t = datetime!(2026-11-23 09:00:00.123456789 UTC);
        assert_eq!(audit_time(t), datetime!(2026-11-23 09:00:00.123456 UTC));
    }

    #[test]
    fn event_and_outcome_codes_round_trip() {
        for event in AuditEvent::ALL {
            assert_eq!(AuditEvent::parse(event.code()), Some(event));
        }
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.code()), Some(outcome));
        }
    }
}
