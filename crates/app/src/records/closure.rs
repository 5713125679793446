//! Closing a trajectory (issue 11): one step that settles the plan (goals get their outcome,
//! running interventions end on the closure date), records how it ended, and closes the
//! trajectory, in one transaction with its audit row.

use super::plan::{PlanContext, load_plan};
use super::{Opened, Target, change, open};
use crate::Error;
use crate::{App, Caller};
use regie_domain::audit::AuditEvent;
use regie_domain::{ClosureInput, FieldError, Moment, Permission, Perspective, Phase, Plan};
use regie_storage::StorageError;
use time::{Date, OffsetDateTime};

/// What the closing page shows: the plan as it stands (what is still open), and whether the
/// final measurements were taken.
pub struct ClosingView {
    pub context: PlanContext,
    /// The perspectives whose life-domain rating at closure was recorded.
    pub closure_ratings: Vec<Perspective>,
    /// When the support per daily activity was last recorded.
    pub activities_at: Option<OffsetDateTime>,
}

/// Opens the closing page: only for those who may close (a refusal is audited), one read.
pub async fn closing_page(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<ClosingView, Error> {
    let mut opened = open(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        Permission::ManageTrajectory,
        AuditEvent::ClientRead,
    )
    .await?;
    let view = closing_view(&mut opened).await?;
    opened.finish_read(app).await?;
    Ok(view)
}

async fn closing_view(opened: &mut Opened) -> Result<ClosingView, Error> {
    let context = load_plan(opened, None)
        .await?
        .expect("the newest version exists");
    let granted = opened.in_trajectory();
    let mut closure_ratings: Vec<Perspective> = opened
        .tx
        .assessments_for_trajectory(&granted)
        .await?
        .into_iter()
        .filter(|a| a.moment == Moment::Closure)
        .map(|a| a.perspective)
        .collect();
    closure_ratings.dedup();
    let activities_at = opened
        .tx
        .activities_latest(&granted)
        .await?
        .map(|r| r.recorded_at);
    Ok(ClosingView {
        context,
        closure_ratings,
        activities_at,
    })
}

/// Opens a closed trajectory's summary to print, audited as a print; a trajectory not closed
/// yet has no summary (404).
pub async fn closure_print(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<PlanContext, Error> {
    let mut opened = open(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        Permission::ReadRecord,
        AuditEvent::ClientPrint,
    )
    .await?;
    let context = load_plan(&mut opened, None)
        .await?
        .expect("the newest version exists");
    if context.trajectory.closure.is_none() {
        let object = format!("{trajectory_id}/closure");
        return Err(opened.not_found(app, "closure", &object).await);
    }
    opened.finish_read(app).await?;
    Ok(context)
}

/// The reason of the plan version a closure writes: "afsluiting van 30-11-2026".
pub fn closure_reason(date: Date) -> String {
    format!(
        "afsluiting van {}-{}-{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// Closes a trajectory: checks the closure against its phase, start and plan; settles the plan
/// in a new version (when anything was open) with the reason "afsluiting van <date>"; records
/// the closure. Nothing is written when anything is invalid.
pub async fn close_trajectory(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    input: &ClosureInput,
) -> Result<(), Error> {
    let now = app.now();
    let opened = change(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        Permission::ManageTrajectory,
    )
    .await?;
    let granted = opened.in_trajectory();
    let trajectory = opened.trajectory.expect("a trajectory target has one");
    let (mut tx, mut entry) = (opened.tx, opened.entry);
    let (newest, before) = match tx.plan_latest(&granted).await? {
        Some(version) => (version.number, version.plan),
        None => (0, Plan::default()),
    };
    let decision = input
        .validate(
            trajectory.phase,
            trajectory.start_date,
            app.today(),
            &before,
        )
        .map_err(Error::Invalid)?;
    let mut plan = before.clone();
    plan.close(&decision);
    if plan != before {
        let reason = closure_reason(decision.date);
        match tx
            .plan_save(
                trajectory_id,
                newest + 1,
                &plan,
                &reason,
                caller.user.id,
                now,
            )
            .await
        {
            Err(StorageError::Conflict(_)) => return Err(Error::Conflict("plan version")),
            other => other?,
        }
    }
    match tx
        .trajectory_set_phase(
            trajectory_id,
            trajectory.phase,
            Phase::Afgesloten,
            Some(&decision.closure),
            caller.user.id,
            now,
        )
        .await
    {
        Err(StorageError::Conflict(_)) => {
            return Err(Error::Invalid(vec![FieldError::new(
                "form",
                "error-phase-changed-meanwhile",
            )]));
        }
        other => other?,
    }
    for score in &decision.scores {
        tx.goal_score_add(trajectory_id, score, None, caller.user.id, now)
            .await?;
    }
    entry.detail = Some(format!(
        "{} -> {} ({})",
        trajectory.phase.as_str(),
        Phase::Afgesloten.as_str(),
        decision.closure.option.as_str()
    ));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}
