//! Appending to and reading the NEN 7513 audit log.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::audit::{AuditEntry, ChainedEntry, audit_time, chain_hash};
use time::OffsetDateTime;

/// A stored audit row, for the admin page and the API.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub event: String,
    pub outcome: String,
    pub user_id: Option<i64>,
    pub username: Option<String>,
    pub user_role: Option<String>,
    pub on_behalf_of: Option<String>,
    pub client_id: Option<i64>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub source: Option<String>,
    pub detail: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<AuditRow> for ChainedEntry {
    fn from(row: AuditRow) -> Self {
        ChainedEntry {
            seq: row.seq,
            occurred_at: row.occurred_at,
            entry: AuditEntry {
                event: row.event,
                outcome: row.outcome,
                user_id: row.user_id,
                username: row.username,
                user_role: row.user_role,
                on_behalf_of: row.on_behalf_of,
                client_id: row.client_id,
                object_type: row.object_type,
                object_id: row.object_id,
                source: row.source,
                detail: row.detail,
            },
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

const AUDIT_COLUMNS: &str = "seq, occurred_at, event, outcome, user_id, username, user_role, \
    on_behalf_of, client_id, object_type, object_id, source, detail, prev_hash, hash";

/// Filters for browsing the log; every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub event: Option<String>,
    pub outcome: Option<String>,
    pub username: Option<String>,
    pub client_id: Option<i64>,
    pub from: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
}

enum Param {
    Text(String),
    Int(i64),
    Time(OffsetDateTime),
}

impl AuditFilter {
    /// The WHERE clause and its parameters, numbered from `$1`.
    fn to_sql(&self) -> (String, Vec<Param>) {
        let mut conditions = Vec::new();
        let mut params = Vec::new();
        let mut add = |column: &str, op: &str, param: Param| {
            params.push(param);
            conditions.push(format!("{column} {op} ${}", params.len()));
        };
        if let Some(event) = &self.event {
            add("event", "=", Param::Text(event.clone()));
        }
        if let Some(outcome) = &self.outcome {
            add("outcome", "=", Param::Text(outcome.clone()));
        }
        if let Some(username) = &self.username {
            add("username", "=", Param::Text(username.clone()));
        }
        if let Some(client_id) = self.client_id {
            add("client_id", "=", Param::Int(client_id));
        }
        if let Some(from) = self.from {
            add("occurred_at", ">=", Param::Time(from));
        }
        if let Some(until) = self.until {
            add("occurred_at", "<", Param::Time(until));
        }
        let clause = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        };
        (clause, params)
    }
}

macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(v) => query.bind(v.clone()),
                Param::Int(v) => query.bind(*v),
                Param::Time(v) => query.bind(*v),
            };
        }
        query
    }};
}

impl Tx {
    /// Appends one entry to the chain and returns its sequence number.
    ///
    /// The first statement updates the single head row, which locks it until this transaction
    /// ends: concurrent appends queue up and the chain stays linear on both backends.
    pub async fn audit_append(&mut self, entry: &AuditEntry, now: OffsetDateTime) -> Result<i64> {
        let at = audit_time(now);
        on_tx!(self, |c| {
            let (seq, prev_hash): (i64, String) = sqlx::query_as(
                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, last_hash",
            )
            .fetch_one(&mut *c)
            .await?;
            let hash = chain_hash(seq, at, entry, &prev_hash);
            sqlx::query(
                "INSERT INTO audit_log (seq, occurred_at, event, outcome, user_id, username, user_role, \
                 on_behalf_of, client_id, object_type, object_id, source, detail, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(seq)
            .bind(at)
            .bind(&entry.event)
            .bind(&entry.outcome)
            .bind(entry.user_id)
            .bind(&entry.username)
            .bind(&entry.user_role)
            .bind(&entry.on_behalf_of)
            .bind(entry.client_id)
            .bind(&entry.object_type)
            .bind(&entry.object_id)
            .bind(&entry.source)
            .bind(&entry.detail)
            .bind(&prev_hash)
            .bind(&hash)
            .execute(&mut *c)
            .await?;
            sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
                .bind(&hash)
                .execute(&mut *c)
                .await?;
            Ok::<_, StorageError>(seq)
        })
    }

    /// One page of the log, newest first, with the number of matching rows.
    pub async fn audit_list(
        &mut self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<AuditRow>, i64)> {
        let (clause, params) = filter.to_sql();
        let n = params.len();
        let page_sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log {clause} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM audit_log {clause}");
        on_tx!(self, |c| {
            let page = bind_params!(sqlx::query_as(sqlx::AssertSqlSafe(page_sql)), &params);
            let rows = page.bind(limit).bind(offset).fetch_all(&mut *c).await?;
            let count = bind_params!(sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)), &params);
            let total: i64 = count.fetch_one(&mut *c).await?;
            Ok((rows, total))
        })
    }

    /// Rows with `seq` greater than `after`, oldest first: the verifier walks the chain in pages.
    pub async fn audit_rows_after(&mut self, after: i64, limit: i64) -> Result<Vec<ChainedEntry>> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
        let rows: Vec<AuditRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(after)
                .bind(limit)
                .fetch_all(c)
                .await?
        });
        Ok(rows.into_iter().map(ChainedEntry::from).collect())
    }

    /// How many rows the log has recorded writing.
    pub async fn audit_head_seq(&mut self) -> Result<i64> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
                .fetch_one(c)
                .await?
        }))
    }

    /// The chain head: the last sequence written and its hash (what an anchor records).
    pub async fn audit_head(&mut self) -> Result<(i64, String)> {
        Ok(on_tx!(self, |c| {
            sqlx::query_as("SELECT seq, last_hash FROM audit_head WHERE id = 1")
                .fetch_one(c)
                .await?
        }))
    }
}
