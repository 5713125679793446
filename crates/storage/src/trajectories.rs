//! Trajectories, their question types, and the events that make up their timeline.

use crate::{Result, StorageError, Tx, on_tx, placeholders};
use regie_domain::ClientAccess;
use regie_domain::TrajectoryAccess;
use regie_domain::{Closure, NewTrajectory, Phase, QuestionType, Trajectory};
use time::{Date, OffsetDateTime};

#[derive(sqlx::FromRow)]
struct TrajectoryRow {
    id: i64,
    client_id: i64,
    question: String,
    referral_source: Option<String>,
    start_date: Date,
    coordinator_id: i64,
    phase: String,
    closure: Option<String>,
    created_at: OffsetDateTime,
    team_version: i64,
}

/// One entry on a trajectory's timeline.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TrajectoryEvent {
    pub id: i64,
    pub occurred_at: OffsetDateTime,
    pub user_id: i64,
    /// `started` or `phase`.
    pub kind: String,
    pub from_phase: Option<String>,
    pub to_phase: Option<String>,
    pub detail: Option<String>,
}

impl TrajectoryEvent {
    /// The closure a closing step recorded, in any stored format.
    pub fn closure(&self) -> Option<Closure> {
        let detail = self.detail.as_deref()?;
        crate::formats::closure::from_json(detail).ok()
    }
}

const TRAJECTORY_COLUMNS: &str = "id, client_id, question, referral_source, start_date, coordinator_id, phase, closure, created_at, team_version";

impl TrajectoryRow {
    fn into_trajectory(self, question_types: Vec<String>) -> Result<Trajectory> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("trajectory {}: {what}", self.id));
        let closure = match &self.closure {
            Some(json) => {
                Some(crate::formats::closure::from_json(json).map_err(|_| corrupt("closure"))?)
            }
            None => None,
        };
        Ok(Trajectory {
            phase: Phase::parse(&self.phase).map_err(|_| corrupt("phase"))?,
            question_types: {
                let mut types = question_types
                    .iter()
                    .map(|t| QuestionType::parse(t).map_err(|_| corrupt("question type")))
                    .collect::<Result<Vec<_>>>()?;
                types.sort_by_key(|t| QuestionType::ALL.iter().position(|a| a == t));
                types
            },
            closure,
            id: self.id,
            client_id: self.client_id,
            question: self.question,
            referral_source: self.referral_source,
            start_date: self.start_date,
            coordinator_id: self.coordinator_id,
            created_at: self.created_at,
            team_version: self.team_version,
        })
    }
}

impl Tx {
    /// Starts a trajectory in `aanmelding`. A client with an active trajectory gives a
    /// [`StorageError::Conflict`].
    pub async fn trajectory_create(
        &mut self,
        client_id: i64,
        new: &NewTrajectory,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let id: i64 = on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO trajectories (client_id, question, referral_source, start_date, coordinator_id, \
                 phase, created_at) VALUES ($1, $2, $3, $4, $5, 'aanmelding', $6) RETURNING id",
            )
            .bind(client_id)
            .bind(&new.question)
            .bind(&new.referral_source)
            .bind(new.start_date)
            .bind(new.coordinator_id)
            .bind(now)
            .fetch_one(&mut *c)
            .await
            .map_err(StorageError::conflict_on("active trajectory"))?
        });
        on_tx!(self, |c| {
            for question_type in &new.question_types {
                sqlx::query("INSERT INTO trajectory_question_types (trajectory_id, question_type) VALUES ($1, $2)")
                    .bind(id)
                    .bind(question_type.as_str())
                    .execute(&mut *c)
                    .await?;
            }
        });
        // The coordinator is the first professional of the core team.
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO core_team_members (trajectory_id, user_id, discipline, added_by, added_at) \
                 SELECT $1, id, discipline, $3, $4 FROM users WHERE id = $2",
            )
            .bind(id)
            .bind(new.coordinator_id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *c)
            .await?;
        });
        self.trajectory_event(
            id,
            user_id,
            "started",
            None,
            Some(Phase::Aanmelding),
            None,
            now,
        )
        .await?;
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn trajectory_event(
        &mut self,
        trajectory_id: i64,
        user_id: i64,
        kind: &str,
        from: Option<Phase>,
        to: Option<Phase>,
        detail: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO trajectory_events (trajectory_id, occurred_at, user_id, kind, from_phase, to_phase, detail) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(trajectory_id)
            .bind(now)
            .bind(user_id)
            .bind(kind)
            .bind(from.map(Phase::as_str))
            .bind(to.map(Phase::as_str))
            .bind(detail)
            .execute(c)
            .await?;
        });
        Ok(())
    }

    /// Moves a trajectory from `from` to `to`, which the domain has already allowed. Fails
    /// with [`StorageError::Conflict`] when someone else moved it meanwhile.
    pub async fn trajectory_set_phase(
        &mut self,
        id: i64,
        from: Phase,
        to: Phase,
        closure: Option<&Closure>,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        let closure_json = closure
            .map(crate::formats::closure::to_json)
            .transpose()
            .map_err(StorageError::Corrupt)?;
        let affected = on_tx!(self, |c| {
            sqlx::query(
                "UPDATE trajectories SET phase = $3, closure = $4 WHERE id = $1 AND phase = $2",
            )
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(&closure_json)
            .execute(c)
            .await?
            .rows_affected()
        });
        if affected == 0 {
            return Err(StorageError::Conflict("phase"));
        }
        self.trajectory_event(
            id,
            user_id,
            "phase",
            Some(from),
            Some(to),
            closure_json.as_deref(),
            now,
        )
        .await
    }

    pub async fn trajectory_get(&mut self, id: i64) -> Result<Option<Trajectory>> {
        let sql = format!("SELECT {TRAJECTORY_COLUMNS} FROM trajectories WHERE id = $1");
        let row: Option<TrajectoryRow> = on_tx!(self, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(c)
            .await?);
        let Some(row) = row else { return Ok(None) };
        let types = self.trajectory_question_types(id).await?;
        row.into_trajectory(types).map(Some)
    }

    async fn trajectory_question_types(&mut self, id: i64) -> Result<Vec<String>> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "SELECT question_type FROM trajectory_question_types WHERE trajectory_id = $1",
            )
            .bind(id)
            .fetch_all(c)
            .await?
        }))
    }

    /// A client's trajectories, newest first.
    pub async fn trajectories_for_client(
        &mut self,
        access: &ClientAccess,
    ) -> Result<Vec<Trajectory>> {
        let client_id = access.client_id();
        let sql = format!(
            "SELECT {TRAJECTORY_COLUMNS} FROM trajectories WHERE client_id = $1 ORDER BY created_at DESC, id DESC"
        );
        let rows: Vec<TrajectoryRow> = on_tx!(self, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(client_id)
            .fetch_all(c)
            .await?);
        self.with_question_types(rows).await
    }

    /// The trajectories in `uitvoering` of the clients `client_ids` (at most one each).
    pub(crate) async fn trajectories_in_execution(
        &mut self,
        client_ids: &[i64],
    ) -> Result<Vec<Trajectory>> {
        if client_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {TRAJECTORY_COLUMNS} FROM trajectories WHERE phase = 'uitvoering' \
             AND client_id IN ({})",
            placeholders(1, client_ids.len())
        );
        let rows: Vec<TrajectoryRow> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in client_ids {
                query = query.bind(id);
            }
            query.fetch_all(c).await?
        });
        self.with_question_types(rows).await
    }

    /// Types the rows, with the question types of all of them read in one query.
    async fn with_question_types(&mut self, rows: Vec<TrajectoryRow>) -> Result<Vec<Trajectory>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT trajectory_id, question_type FROM trajectory_question_types \
             WHERE trajectory_id IN ({})",
            placeholders(1, rows.len())
        );
        let types: Vec<(i64, String)> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for row in &rows {
                query = query.bind(row.id);
            }
            query.fetch_all(c).await?
        });
        rows.into_iter()
            .map(|row| {
                let own = types
                    .iter()
                    .filter(|(id, _)| *id == row.id)
                    .map(|(_, t)| t.clone())
                    .collect();
                row.into_trajectory(own)
            })
            .collect()
    }

    /// The timeline, oldest first.
    pub async fn trajectory_events(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<TrajectoryEvent>> {
        let id = access.trajectory_id();
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT id, occurred_at, user_id, kind, from_phase, to_phase, detail FROM trajectory_events \
                 WHERE trajectory_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(c)
            .await?
        }))
    }
}

/// A note on what matters to the client, with who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MattersNote {
    pub id: i64,
    pub kind: String,
    pub text: String,
    pub recorded_by: i64,
    pub recorded_at: OffsetDateTime,
}

impl Tx {
    pub async fn matters_add(
        &mut self,
        trajectory_id: i64,
        kind: regie_domain::MattersKind,
        text: &str,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO what_matters (trajectory_id, kind, text, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(trajectory_id)
            .bind(kind.as_str())
            .bind(text)
            .bind(user_id)
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }

    /// Notes on what matters, newest first.
    pub async fn matters_for_trajectory(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<MattersNote>> {
        let trajectory_id = access.trajectory_id();
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT id, kind, text, recorded_by, recorded_at FROM what_matters WHERE trajectory_id = $1 \
                 ORDER BY recorded_at DESC, id DESC",
            )
            .bind(trajectory_id)
            .fetch_all(c)
            .await?
        }))
    }
}
