//! Visits reached through the client's access rule: recording (idempotent with a key),
//! corrections (free for a day, later with a reason, each earlier version kept), "entered in
//! error", and what the team sees from them: signals, trend, care hours and successes.

use super::{change_trajectory, open_trajectory};
use crate::AppError;
use crate::context::Caller;
use regie_domain::validation::text;
use regie_domain::visit::{self, Signal, SupportRecord, VisitInput, WeekTrend};
use regie_domain::{Discipline, FieldError, Phase, Plan, Role};
use regie_storage::{Client, Db, StorageError, StoredVisit, Success, Trajectory};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// The support records the signal rules and the trend read: visits not entered in error.
pub fn support_records(visits: &[StoredVisit]) -> Vec<SupportRecord> {
    visits
        .iter()
        .filter(|v| v.error_reason.is_none())
        .flat_map(|v| {
            v.content.given.iter().map(move |g| SupportRecord {
                activity: g.activity.clone(),
                user_id: v.user_id,
                date: v.content.date,
                agreed: g.agreed,
                given: g.given,
            })
        })
        .collect()
}

/// Delivered care per visit (visits entered in error do not count).
pub fn deliveries(visits: &[StoredVisit]) -> Vec<(Date, Discipline, u16)> {
    visits
        .iter()
        .filter(|v| v.error_reason.is_none())
        .map(|v| (v.content.date, v.discipline, v.content.minutes))
        .collect()
}

/// Everything the visits page shows for one trajectory.
pub struct VisitsView {
    pub trajectory: Trajectory,
    pub client: Client,
    pub plan: Plan,
    pub visits: Vec<StoredVisit>,
    pub signals: Vec<Signal>,
    pub trend: Vec<WeekTrend>,
    pub care: Vec<visit::CareWeek>,
}

pub async fn open_visits(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<VisitsView, AppError> {
    let (trajectory, client) = open_trajectory(db, caller, trajectory_id).await?;
    let mut tx = db.begin().await?;
    let plan = tx.plan_current(trajectory_id).await?;
    let visits = tx.visits_for_trajectory(trajectory_id).await?;
    let threshold = tx.takeover_threshold().await?;
    tx.commit().await?;
    let today = OffsetDateTime::now_utc().date();
    let records = support_records(&visits);
    Ok(VisitsView {
        signals: visit::alignment_signals(&records, today, threshold),
        trend: visit::weekly_trend(&records, trajectory.start_date, today),
        care: visit::care_by_week(&plan, trajectory.start_date, &deliveries(&visits), today),
        trajectory,
        client,
        plan,
        visits,
    })
}

/// Records a visit. With an idempotency key, a retry returns the visit recorded the first
/// time (`false`: nothing new written) instead of a duplicate.
pub async fn record_visit(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &VisitInput,
    idempotency_key: Option<&str>,
) -> Result<(i64, bool), AppError> {
    let now = OffsetDateTime::now_utc();
    let (mut tx, trajectory, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    if let Some(key) = key {
        if key.len() > 200 || !key.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(AppError::Invalid(vec![FieldError::new(
                "idempotency_key",
                "error-text-too-long",
            )]));
        }
        if let Some(existing) = tx.visit_by_idempotency_key(caller.user.id, key).await? {
            if existing.trajectory_id != trajectory_id {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "idempotency_key",
                    "error-idempotency-reused",
                )]));
            }
            return Ok((existing.id, false));
        }
    }
    if trajectory.phase == Phase::Afgesloten {
        return Err(AppError::Invalid(vec![FieldError::new(
            "form",
            "error-trajectory-closed",
        )]));
    }
    let plan = tx.plan_current(trajectory_id).await?;
    let content = input
        .validate(&plan.agreements, now.date())
        .map_err(AppError::Invalid)?;
    let id = match tx
        .visit_create(
            trajectory_id,
            caller.user.id,
            caller.user.discipline,
            &content,
            key,
            now,
        )
        .await
    {
        Ok(id) => id,
        // The same key raced in from a parallel retry: answer with that visit.
        Err(StorageError::Conflict(_)) => {
            drop(tx);
            let mut tx = db.begin().await?;
            let existing = tx
                .visit_by_idempotency_key(caller.user.id, key.unwrap_or_default())
                .await?
                .ok_or(AppError::Conflict("idempotency key"))?;
            tx.commit().await?;
            return Ok((existing.id, false));
        }
        Err(other) => return Err(other.into()),
    };
    entry.object_type = Some("visit".into());
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok((id, true))
}

/// A visit with its trajectory, checked through the client's access rule.
pub async fn open_visit(
    db: &Db,
    caller: &Caller,
    visit_id: i64,
) -> Result<(StoredVisit, Plan), AppError> {
    let mut tx = db.begin().await?;
    let visit = tx.visit_get(visit_id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    open_trajectory(db, caller, visit.trajectory_id).await?;
    let mut tx = db.begin().await?;
    let plan = tx.plan_current(visit.trajectory_id).await?;
    tx.commit().await?;
    Ok((visit, plan))
}

/// Corrects a visit: by the colleague who recorded it; after 24 hours only with a reason.
/// The version it replaces is kept.
pub async fn correct_visit(
    db: &Db,
    caller: &Caller,
    visit_id: i64,
    input: &VisitInput,
    reason: &str,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let visit = {
        let mut tx = db.begin().await?;
        let visit = tx.visit_get(visit_id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        visit
    };
    let (mut tx, _, mut entry) = change_trajectory(db, caller, visit.trajectory_id).await?;
    if visit.user_id != caller.user.id {
        return Err(AppError::Invalid(vec![FieldError::new(
            "form",
            "error-visit-not-yours",
        )]));
    }
    if visit.error_reason.is_some() {
        return Err(AppError::Invalid(vec![FieldError::new(
            "form",
            "error-visit-in-error",
        )]));
    }
    let needs_reason = visit::correction_needs_reason(visit.recorded_at, now);
    let reason = text("reason", reason, needs_reason).map_err(|e| AppError::Invalid(vec![e]))?;
    let plan = tx.plan_current(visit.trajectory_id).await?;
    // The agreements of then stay the yardstick for activities already recorded.
    let mut agreements = plan.agreements.clone();
    for given in &visit.content.given {
        if let Some(a) = agreements.iter_mut().find(|a| a.activity == given.activity) {
            a.support = given.agreed;
        }
    }
    let content = input
        .validate(&agreements, now.date())
        .map_err(AppError::Invalid)?;
    match tx
        .visit_correct(&visit, &content, reason.as_deref(), caller.user.id, now)
        .await
    {
        Err(StorageError::Conflict(_)) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "form",
                "error-plan-changed-meanwhile",
            )]));
        }
        other => other?,
    }
    entry.object_type = Some("visit".into());
    entry.object_id = Some(visit_id.to_string());
    entry.detail = Some(format!("corrected to version {}", visit.version + 1));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a visit as entered in error, with a reason, by its author or the coordinator; it stays
/// in the record.
pub async fn mark_visit_in_error(
    db: &Db,
    caller: &Caller,
    visit_id: i64,
    reason: &str,
) -> Result<i64, AppError> {
    let now = OffsetDateTime::now_utc();
    let visit = {
        let mut tx = db.begin().await?;
        let visit = tx.visit_get(visit_id).await?.ok_or(AppError::NotFound)?;
        tx.commit().await?;
        visit
    };
    let (mut tx, trajectory, mut entry) =
        change_trajectory(db, caller, visit.trajectory_id).await?;
    // The colleague who recorded it, or the coordinator, may say a visit was entered in error.
    if visit.user_id != caller.user.id && trajectory.coordinator_id != caller.user.id {
        return Err(AppError::Invalid(vec![FieldError::new(
            "error_reason",
            "error-visit-not-yours",
        )]));
    }
    let reason = text("error_reason", reason, true)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or_default();
    tx.visit_mark_error(visit_id, &reason, now).await?;
    entry.object_type = Some("visit".into());
    entry.object_id = Some(visit_id.to_string());
    entry.detail = Some("entered in error".into());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(visit.trajectory_id)
}

/// The team page: per client of the caller's teams the signals, and the successes feed.
/// Colleagues' names are for the team lead; the team-wide view shows patterns only.
pub struct TeamView {
    pub clients: Vec<(Client, i64, Vec<Signal>)>,
    pub successes: Vec<Success>,
    pub names: Option<BTreeMap<i64, String>>,
}

pub async fn team_view(db: &Db, caller: &Caller) -> Result<TeamView, AppError> {
    if caller.actor.role == Role::Analyst {
        return Err(AppError::Forbidden);
    }
    let today = OffsetDateTime::now_utc().date();
    let mut tx = db.begin().await?;
    let threshold = tx.takeover_threshold().await?;
    let (clients, _) = tx
        .clients_search(&caller.actor.team_ids, "", None, caller.user.id, 500, 0)
        .await?;
    let mut out = Vec::new();
    for summary in clients {
        let Some(open) = tx
            .trajectories_for_client(summary.id)
            .await?
            .into_iter()
            .find(|t| t.phase == Phase::Uitvoering)
        else {
            continue;
        };
        let visits = tx.visits_for_trajectory(open.id).await?;
        let signals = visit::alignment_signals(&support_records(&visits), today, threshold);
        if let Some(client) = tx.client_get(summary.id).await? {
            out.push((client, open.id, signals));
        }
    }
    let successes = tx.successes(&caller.actor.team_ids, None, 20).await?;
    let names = if caller.actor.role == Role::TeamLead {
        Some(
            tx.users_list()
                .await?
                .into_iter()
                .map(|u| (u.id, u.full_name))
                .collect(),
        )
    } else {
        None
    };
    let mut entry = caller.audit(
        regie_domain::AuditEvent::ClientSearch,
        regie_domain::Outcome::Allowed,
    );
    entry.object_type = Some("team_signals".into());
    entry.detail = Some(format!("{} clients", out.len()));
    tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(TeamView {
        clients: out,
        successes,
        names,
    })
}
