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
    TokenRevoke,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 24] = [
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
        AuditEvent::TokenRevoke,
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
            AuditEvent::TokenRevoke => "token.revoke",
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

/// The chain head written to a file outside the database (one JSON line per anchor).
///
/// Someone who can write to the database can delete the newest rows *and* set the head back:
/// the chain then verifies, just shorter. An anchor kept elsewhere still names the sequence
/// and hash the log had reached, so the loss shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditAnchor {
    pub sequence: i64,
    pub hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// Why an anchor file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct AnchorFileError {
    pub line: usize,
    pub message: String,
}

impl AuditAnchor {
    /// The anchor as one line of the file, without the newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("an anchor always serialises")
    }

    /// Every anchor in a file's text; blank lines are skipped, anything else must parse.
    pub fn parse_lines(text: &str) -> Result<Vec<AuditAnchor>, AnchorFileError> {
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                let anchor: AuditAnchor =
                    serde_json::from_str(line).map_err(|e| AnchorFileError {
                        line: i + 1,
                        message: e.to_string(),
                    })?;
                if anchor.sequence < 0 || anchor.hash.len() != 64 {
                    return Err(AnchorFileError {
                        line: i + 1,
                        message: "not an audit anchor (sequence or hash out of shape)".into(),
                    });
                }
                Ok(anchor)
            })
            .collect()
    }
}

fn anchor_time(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| at.to_string())
}

/// What the log lacks compared with its anchors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorBreak {
    #[error(
        "the log ends at row {last}, but the anchor of {at} recorded row {anchored}: \
         {missing} rows are missing after row {last}"
    )]
    RowsMissing {
        last: i64,
        anchored: i64,
        missing: i64,
        at: String,
    },
    #[error("row {seq} is not the row the anchor of {at} recorded (its hash differs)")]
    HashDiffers { seq: i64, at: String },
}

impl AnchorBreak {
    /// The first row that is missing or different.
    pub fn seq(&self) -> i64 {
        match self {
            AnchorBreak::RowsMissing { last, .. } => last + 1,
            AnchorBreak::HashDiffers { seq, .. } => *seq,
        }
    }
}

/// Compares the log with its anchors. Feed every row (the same walk as [`ChainVerifier`]), then
/// call [`AnchorVerifier::finish`] with the last sequence found.
#[derive(Debug)]
pub struct AnchorVerifier {
    /// Oldest first.
    anchors: Vec<AuditAnchor>,
    found: std::collections::HashMap<i64, String>,
}

impl AnchorVerifier {
    pub fn new(mut anchors: Vec<AuditAnchor>) -> Self {
        anchors.sort_by_key(|a| (a.sequence, a.at));
        Self {
            anchors,
            found: Default::default(),
        }
    }

    pub fn observe(&mut self, row: &ChainedEntry) {
        if self.anchors.iter().any(|a| a.sequence == row.seq) {
            self.found.insert(row.seq, row.hash.clone());
        }
    }

    /// `Ok` with the newest anchor when every anchored row is there with its hash.
    pub fn finish(self, last: i64) -> Result<Option<AuditAnchor>, AnchorBreak> {
        for anchor in &self.anchors {
            // Sequence 0 is the empty log: nothing to compare.
            if anchor.sequence == 0 || anchor.sequence > last {
                continue;
            }
            if self.found.get(&anchor.sequence) != Some(&anchor.hash) {
                return Err(AnchorBreak::HashDiffers {
                    seq: anchor.sequence,
                    at: anchor_time(anchor.at),
                });
            }
        }
        let newest = self.anchors.last().cloned();
        if let Some(newest) = &newest
            && newest.sequence > last
        {
            return Err(AnchorBreak::RowsMissing {
                last,
                anchored: newest.sequence,
                missing: newest.sequence - last,
                at: anchor_time(newest.at),
            });
        }
        Ok(newest)
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
    fn anchor(rows: &[ChainedEntry], seq: i64) -> AuditAnchor {
        AuditAnchor {
            sequence: seq,
            hash: rows[(seq - 1) as usize].hash.clone(),
            at: datetime!(2026-11-23 10:00 UTC),
        }
    }

    fn against_anchors(
        anchors: Vec<AuditAnchor>,
        rows: &[ChainedEntry],
    ) -> Result<Option<AuditAnchor>, AnchorBreak> {
        let mut verifier = AnchorVerifier::new(anchors);
        for row in rows {
            verifier.observe(row);
        }
        verifier.finish(rows.last().map_or(0, |r| r.seq))
    }

    #[test]
    fn a_log_that_reaches_its_anchors_passes() {
        let rows = chain(6);
        let anchors = vec![anchor(&rows, 5), anchor(&rows, 2)];
        assert_eq!(
            against_anchors(anchors.clone(), &rows),
            Ok(Some(anchors[0].clone()))
        );
        assert_eq!(against_anchors(vec![], &rows), Ok(None));
        let empty = AuditAnchor {
            sequence: 0,
            hash: GENESIS_HASH.into(),
            at: datetime!(2026-11-23 08:00 UTC),
        };
        assert!(against_anchors(vec![empty], &[]).is_ok());
    }

    #[test]
    fn rows_removed_with_the_head_verify_as_a_chain_but_not_against_the_anchor() {
        let rows = chain(6);
        let anchors = vec![anchor(&rows, 3), anchor(&rows, 6)];
        let shortened = &rows[..4];
        // The chain alone cannot tell: the head was set back with the rows.
        assert_eq!(verify(shortened, 4), Ok(4));
        let broken = against_anchors(anchors, shortened).unwrap_err();
        assert_eq!(
            broken,
            AnchorBreak::RowsMissing {
                last: 4,
                anchored: 6,
                missing: 2,
                at: "2026-11-23T10:00:00Z".into()
            }
        );
        assert_eq!(broken.seq(), 5);
        assert!(
            broken
                .to_string()
                .contains("2 rows are missing after row 4")
        );
    }

    #[test]
    fn rows_replaced_after_an_anchor_are_reported() {
        let rows = chain(5);
        let anchors = vec![anchor(&rows, 4)];
        // Rebuild rows 3.. with other content: a valid chain of the same length.
        let mut forged = rows[..2].to_vec();
        let mut prev = forged[1].hash.clone();
        for seq in 3..=5 {
            let mut entry = AuditEntry::new(AuditEvent::ClientRead, Outcome::Allowed);
            entry.detail = Some("forged".into());
            let at = datetime!(2026-11-23 09:30 UTC);
            let hash = chain_hash(seq, at, &entry, &prev);
            forged.push(ChainedEntry {
                seq,
                occurred_at: at,
                entry,
                prev_hash: prev.clone(),
                hash: hash.clone(),
            });
            prev = hash;
        }
        assert_eq!(verify(&forged, 5), Ok(5));
        assert_eq!(
            against_anchors(anchors, &forged),
            Err(AnchorBreak::HashDiffers {
                seq: 4,
                at: "2026-11-23T10:00:00Z".into()
            })
        );
    }

    #[test]
    fn anchor_lines_round_trip_and_bad_lines_are_named() {
        let rows = chain(2);
        let a = anchor(&rows, 2);
        let line = a.to_line();
        assert!(line.starts_with(r#"{"sequence":2,"hash":""#), "{line}");
        assert!(line.ends_with(r#""at":"2026-11-23T10:00:00Z"}"#), "{line}");
        let text = format!("{line}\n\n{line}\n");
        assert_eq!(AuditAnchor::parse_lines(&text), Ok(vec![a.clone(), a]));
        let bad = format!("{line}\nnot json\n");
        assert_eq!(AuditAnchor::parse_lines(&bad).unwrap_err().line, 2);
        let short = r#"{"sequence":1,"hash":"abc","at":"2026-11-23T10:00:00Z"}"#;
        assert_eq!(AuditAnchor::parse_lines(short).unwrap_err().line, 1);
    }
}
