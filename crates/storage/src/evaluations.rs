//! Evaluations and the dated goal scores beside the baseline. A score row is added, never
//! changed: the history of a goal is the list of its rows.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::evaluation::{Evaluation, GoalDecision, GoalScore, Participants, ScoreMoment};
use regie_domain::{ClientAccess, TrajectoryAccess};
use time::{Date, OffsetDateTime};

/// An evaluation as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvaluation {
    pub id: i64,
    pub held_on: Date,
    pub next_on: Date,
    pub participants: Participants,
    pub plan_version: i64,
    pub recorded_by: String,
    pub recorded_at: OffsetDateTime,
}

/// A goal score as kept, with the decision of the evaluation that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredScore {
    pub score: GoalScore,
    pub decision: Option<GoalDecision>,
    pub reason: Option<String>,
    pub evaluation_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct EvaluationRow {
    id: i64,
    held_on: Date,
    next_on: Date,
    client_took_part: bool,
    network_member_ids: String,
    professional_ids: String,
    plan_version: i64,
    recorded_by: String,
    recorded_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ScoreRow {
    id: i64,
    goal_id: i64,
    moment: String,
    scored_on: Date,
    performance: Option<i64>,
    satisfaction: Option<i64>,
    gas_attained: Option<i64>,
    words: Option<String>,
    decision: Option<String>,
    decision_reason: Option<String>,
    evaluation_id: Option<i64>,
}

impl EvaluationRow {
    fn into_evaluation(self) -> Result<StoredEvaluation> {
        let corrupt = || StorageError::Corrupt(format!("evaluation {}: participants", self.id));
        let ids = |json: &str| serde_json::from_str::<Vec<i64>>(json).map_err(|_| corrupt());
        Ok(StoredEvaluation {
            participants: Participants {
                client: self.client_took_part,
                network_member_ids: ids(&self.network_member_ids)?,
                professional_ids: ids(&self.professional_ids)?,
            },
            id: self.id,
            held_on: self.held_on,
            next_on: self.next_on,
            plan_version: self.plan_version,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
        })
    }
}

impl ScoreRow {
    fn into_score(self) -> Result<StoredScore> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("goal score {}: {what}", self.id));
        let small = |v: Option<i64>, what: &str| {
            v.map(|v| u8::try_from(v).map_err(|_| corrupt(what)))
                .transpose()
        };
        Ok(StoredScore {
            score: GoalScore {
                goal_id: u32::try_from(self.goal_id).map_err(|_| corrupt("goal"))?,
                moment: ScoreMoment::parse(&self.moment).map_err(|_| corrupt("moment"))?,
                scored_on: self.scored_on,
                performance: small(self.performance, "performance")?,
                satisfaction: small(self.satisfaction, "satisfaction")?,
                gas_attained: self
                    .gas_attained
                    .map(|v| i8::try_from(v).map_err(|_| corrupt("gas")))
                    .transpose()?,
                words: self.words,
            },
            decision: self
                .decision
                .as_deref()
                .map(|d| GoalDecision::parse(d).map_err(|_| corrupt("decision")))
                .transpose()?,
            reason: self.decision_reason,
            evaluation_id: self.evaluation_id,
        })
    }
}

const EVALUATION_COLUMNS: &str = "e.id, e.held_on, e.next_on, e.client_took_part, \
     e.network_member_ids, e.professional_ids, e.plan_version, u.full_name AS recorded_by, \
     e.recorded_at FROM evaluations e JOIN users u ON u.id = e.recorded_by";

const SCORE_COLUMNS: &str = "id, goal_id, moment, scored_on, performance, satisfaction, \
     gas_attained, words, decision, decision_reason, evaluation_id FROM goal_scores";

impl Tx {
    /// How often the trajectory is evaluated, in weeks.
    pub async fn evaluation_weeks(&mut self, access: &TrajectoryAccess) -> Result<u8> {
        let weeks: i64 = on_tx!(self, |c| {
            sqlx::query_scalar("SELECT evaluation_weeks FROM trajectories WHERE id = $1")
                .bind(access.trajectory_id())
                .fetch_one(c)
                .await?
        });
        u8::try_from(weeks).map_err(|_| StorageError::Corrupt("evaluation weeks".into()))
    }

    pub async fn set_evaluation_weeks(&mut self, trajectory_id: i64, weeks: u8) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query("UPDATE trajectories SET evaluation_weeks = $2 WHERE id = $1")
                .bind(trajectory_id)
                .bind(i64::from(weeks))
                .execute(c)
                .await?;
        });
        Ok(())
    }

    /// Keeps an evaluation and the goal scores it gave; returns its id.
    pub async fn evaluation_add(
        &mut self,
        trajectory_id: i64,
        evaluation: &Evaluation,
        plan_version: i64,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let json = |ids: &[i64]| serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let participants = &evaluation.participants;
        let id: i64 = on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO evaluations (trajectory_id, held_on, next_on, client_took_part, \
                 network_member_ids, professional_ids, plan_version, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(trajectory_id)
            .bind(evaluation.held_on)
            .bind(evaluation.next_on)
            .bind(participants.client)
            .bind(json(&participants.network_member_ids))
            .bind(json(&participants.professional_ids))
            .bind(plan_version)
            .bind(by)
            .bind(now)
            .fetch_one(c)
            .await?
        });
        for goal in &evaluation.goals {
            self.goal_score_add(
                trajectory_id,
                &goal.score,
                Some((id, goal.decision, goal.reason.as_deref())),
                by,
                now,
            )
            .await?;
        }
        Ok(id)
    }

    /// Adds one score row, with the evaluation and decision it belongs to if any.
    pub async fn goal_score_add(
        &mut self,
        trajectory_id: i64,
        score: &GoalScore,
        evaluation: Option<(i64, GoalDecision, Option<&str>)>,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO goal_scores (trajectory_id, goal_id, moment, scored_on, performance, \
                 satisfaction, gas_attained, words, decision, decision_reason, evaluation_id, \
                 recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(trajectory_id)
            .bind(i64::from(score.goal_id))
            .bind(score.moment.as_str())
            .bind(score.scored_on)
            .bind(score.performance.map(i64::from))
            .bind(score.satisfaction.map(i64::from))
            .bind(score.gas_attained.map(i64::from))
            .bind(&score.words)
            .bind(evaluation.map(|(_, d, _)| d.as_str()))
            .bind(evaluation.and_then(|(_, _, r)| r))
            .bind(evaluation.map(|(id, _, _)| id))
            .bind(by)
            .bind(now)
            .execute(c)
            .await?;
        });
        Ok(())
    }

    /// A trajectory's evaluations, oldest first.
    pub async fn evaluations(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<StoredEvaluation>> {
        let sql = format!(
            "SELECT {EVALUATION_COLUMNS} WHERE e.trajectory_id = $1 ORDER BY e.held_on, e.id"
        );
        let rows: Vec<EvaluationRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(access.trajectory_id())
                .fetch_all(c)
                .await?
        });
        rows.into_iter()
            .map(EvaluationRow::into_evaluation)
            .collect()
    }

    /// A trajectory's goal scores, oldest first.
    pub async fn goal_scores(&mut self, access: &TrajectoryAccess) -> Result<Vec<StoredScore>> {
        let sql = format!("SELECT {SCORE_COLUMNS} WHERE trajectory_id = $1 ORDER BY scored_on, id");
        let rows: Vec<ScoreRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(access.trajectory_id())
                .fetch_all(c)
                .await?
        });
        rows.into_iter().map(ScoreRow::into_score).collect()
    }

    /// For the worklist: per open trajectory in execution of the clients `granted` opens, its
    /// start, interval and the next date the last evaluation set, in one query.
    pub async fn evaluation_schedules(
        &mut self,
        granted: &[ClientAccess],
    ) -> Result<Vec<(i64, i64, Date, u8, Option<Date>)>> {
        if granted.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT t.client_id, t.id, t.start_date, t.evaluation_weeks, \
             (SELECT e.next_on FROM evaluations e WHERE e.trajectory_id = t.id \
              ORDER BY e.held_on DESC, e.id DESC LIMIT 1) AS next_on \
             FROM trajectories t WHERE t.phase = 'uitvoering' AND t.client_id IN ({})",
            crate::placeholders(1, granted.len())
        );
        let rows: Vec<(i64, i64, Date, i64, Option<Date>)> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for access in granted {
                query = query.bind(access.client_id());
            }
            query.fetch_all(c).await?
        });
        rows.into_iter()
            .map(|(client, trajectory, start, weeks, next)| {
                let weeks = u8::try_from(weeks)
                    .map_err(|_| StorageError::Corrupt("evaluation weeks".into()))?;
                Ok((client, trajectory, start, weeks, next))
            })
            .collect()
    }
}
