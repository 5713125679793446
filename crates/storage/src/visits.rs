//! Visits: the support given per agreed activity, their corrections (each earlier version
//! kept) and the successes they record.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::Discipline;
use regie_domain::visit::VisitContent;
use regie_domain::{ClientAccess, TrajectoryAccess};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq)]
pub struct StoredVisit {
    pub id: i64,
    pub trajectory_id: i64,
    pub user_id: i64,
    pub author: String,
    pub discipline: Discipline,
    pub content: VisitContent,
    pub version: i64,
    pub error_reason: Option<String>,
    pub recorded_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// What the request that recorded it under an idempotency key looked like.
    pub idempotency_fingerprint: Option<String>,
}

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: i64,
    trajectory_id: i64,
    user_id: i64,
    author: String,
    discipline: String,
    content: String,
    version: i64,
    error_reason: Option<String>,
    recorded_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    idempotency_fingerprint: Option<String>,
}

impl VisitRow {
    fn into_visit(self) -> Result<StoredVisit> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("visit {}: {what}", self.id));
        Ok(StoredVisit {
            discipline: Discipline::parse(&self.discipline).map_err(|_| corrupt("discipline"))?,
            content: crate::formats::visit::from_json(&self.content).map_err(|e| corrupt(&e))?,
            id: self.id,
            trajectory_id: self.trajectory_id,
            user_id: self.user_id,
            author: self.author,
            version: self.version,
            error_reason: self.error_reason,
            recorded_at: self.recorded_at,
            updated_at: self.updated_at,
            idempotency_fingerprint: self.idempotency_fingerprint,
        })
    }
}

/// A success from a visit, for the client page and the team feed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Success {
    pub visit_id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub visit_date: Date,
    pub words: String,
}

const VISIT_COLUMNS: &str = "v.id, v.trajectory_id, v.user_id, u.full_name AS author, v.discipline, v.content, \
     v.version, v.error_reason, v.recorded_at, v.updated_at, v.idempotency_fingerprint FROM visits v JOIN users u ON u.id = v.user_id";

fn to_json(content: &VisitContent) -> Result<String> {
    crate::formats::visit::to_json(content)
        .map_err(|e| StorageError::Corrupt(format!("visit: {e}")))
}

impl Tx {
    /// The visit this user already recorded under `key`, if any (an idempotent retry).
    pub async fn visit_by_idempotency_key(
        &mut self,
        user_id: i64,
        key: &str,
    ) -> Result<Option<StoredVisit>> {
        let sql = format!("SELECT {VISIT_COLUMNS} WHERE v.user_id = $1 AND v.idempotency_key = $2");
        let row: Option<VisitRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(user_id)
                .bind(key)
                .fetch_optional(c)
                .await?
        });
        row.map(VisitRow::into_visit).transpose()
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn visit_create(
        &mut self,
        trajectory_id: i64,
        user_id: i64,
        discipline: Discipline,
        content: &VisitContent,
        idempotency: Option<(&str, &str)>,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let json = to_json(content)?;
        let (key, fingerprint) = idempotency.unzip();
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO visits (trajectory_id, user_id, discipline, visit_date, minutes, content, success, \
                 idempotency_key, recorded_at, updated_at, idempotency_fingerprint) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
            )
            .bind(trajectory_id)
            .bind(user_id)
            .bind(discipline.as_str())
            .bind(content.date)
            .bind(i64::from(content.minutes))
            .bind(&json)
            .bind(&content.success)
            .bind(key)
            .bind(now)
            .bind(fingerprint)
            .fetch_one(c)
            .await
            .map_err(StorageError::conflict_on("idempotency key"))?
        }))
    }

    pub async fn visit_get(&mut self, id: i64) -> Result<Option<StoredVisit>> {
        let sql = format!("SELECT {VISIT_COLUMNS} WHERE v.id = $1");
        let row: Option<VisitRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(c)
                .await?
        });
        row.map(VisitRow::into_visit).transpose()
    }

    /// A trajectory's visits, newest first (those entered in error included, marked).
    pub async fn visits_for_trajectory(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<StoredVisit>> {
        let trajectory_id = access.trajectory_id();
        let sql = format!(
            "SELECT {VISIT_COLUMNS} WHERE v.trajectory_id = $1 ORDER BY v.visit_date DESC, v.id DESC"
        );
        let rows: Vec<VisitRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(trajectory_id)
                .fetch_all(c)
                .await?
        });
        rows.into_iter().map(VisitRow::into_visit).collect()
    }

    /// The visits of all the trajectories `granted` opens, in one query; newest first.
    pub async fn visits_for_trajectories(
        &mut self,
        granted: &[TrajectoryAccess],
    ) -> Result<Vec<StoredVisit>> {
        if granted.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {VISIT_COLUMNS} WHERE v.trajectory_id IN ({}) ORDER BY v.visit_date DESC, v.id DESC",
            crate::placeholders(1, granted.len())
        );
        let rows: Vec<VisitRow> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for access in granted {
                query = query.bind(access.trajectory_id());
            }
            query.fetch_all(c).await?
        });
        rows.into_iter().map(VisitRow::into_visit).collect()
    }

    /// Replaces a visit's content, keeping the version it replaces; `expected` guards against
    /// a correction made meanwhile.
    pub async fn visit_correct(
        &mut self,
        visit: &StoredVisit,
        content: &VisitContent,
        reason: Option<&str>,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        let old = to_json(&visit.content)?;
        let new = to_json(content)?;
        let changed = on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO visit_versions (visit_id, version, visit_date, minutes, content, reason, changed_by, changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(visit.id)
            .bind(visit.version)
            .bind(visit.content.date)
            .bind(i64::from(visit.content.minutes))
            .bind(&old)
            .bind(reason)
            .bind(by)
            .bind(now)
            .execute(&mut *c)
            .await
            .map_err(StorageError::conflict_on("visit version"))?;
            sqlx::query(
                "UPDATE visits SET visit_date = $2, minutes = $3, content = $4, success = $5, version = version + 1, \
                 updated_at = $6 WHERE id = $1 AND version = $7",
            )
            .bind(visit.id)
            .bind(content.date)
            .bind(i64::from(content.minutes))
            .bind(&new)
            .bind(&content.success)
            .bind(now)
            .bind(visit.version)
            .execute(&mut *c)
            .await?
            .rows_affected()
        });
        if changed != 1 {
            return Err(StorageError::Conflict("visit version"));
        }
        Ok(())
    }

    /// Earlier versions of a visit, oldest first: (version, content, reason, changed at).
    /// The earlier versions of a visit of the trajectory `access` opens.
    pub async fn visit_versions(
        &mut self,
        access: &TrajectoryAccess,
        visit_id: i64,
    ) -> Result<Vec<(i64, VisitContent, Option<String>, OffsetDateTime)>> {
        let rows: Vec<(i64, String, Option<String>, OffsetDateTime)> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT vv.version, vv.content, vv.reason, vv.changed_at FROM visit_versions vv \
                 JOIN visits v ON v.id = vv.visit_id WHERE vv.visit_id = $1 AND v.trajectory_id = $2 \
                 ORDER BY vv.version",
            )
            .bind(visit_id)
            .bind(access.trajectory_id())
            .fetch_all(c)
            .await?
        });
        rows.into_iter()
            .map(|(version, content, reason, at)| {
                let content = crate::formats::visit::from_json(&content).map_err(|e| {
                    StorageError::Corrupt(format!("visit {visit_id} v{version}: {e}"))
                })?;
                Ok((version, content, reason, at))
            })
            .collect()
    }

    /// Marks a visit as entered in error (it stays, and no longer counts).
    pub async fn visit_mark_error(
        &mut self,
        id: i64,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query("UPDATE visits SET error_reason = $2, updated_at = $3 WHERE id = $1")
                .bind(id)
                .bind(reason)
                .bind(now)
                .execute(c)
                .await?;
        });
        Ok(())
    }

    /// Successes recorded at visits to the clients `granted` opens, newest first; visits
    /// entered in error are left out.
    pub async fn successes(
        &mut self,
        granted: &[ClientAccess],
        limit: i64,
    ) -> Result<Vec<Success>> {
        if granted.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT v.id AS visit_id, c.id AS client_id, c.name AS client_name, v.visit_date, v.success AS words \
             FROM visits v JOIN trajectories t ON t.id = v.trajectory_id JOIN clients c ON c.id = t.client_id \
             WHERE v.success IS NOT NULL AND v.error_reason IS NULL AND c.id IN ({}) \
             ORDER BY v.visit_date DESC, v.id DESC LIMIT $1",
            crate::placeholders(2, granted.len())
        );
        on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(limit);
            for access in granted {
                query = query.bind(access.client_id());
            }
            Ok(query.fetch_all(c).await?)
        })
    }
}
