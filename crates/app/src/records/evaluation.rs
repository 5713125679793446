//! Evaluating with the client: the guided page's data, saving an evaluation (scores, decisions,
//! support going forward: one new plan version), the interval, and the evaluations due.

use super::plan::{PlanContext, closed, open_plan_for_change};
use super::{BasedOn, Target, change, open};
use crate::Error;
use crate::{App, Caller};
use regie_domain::evaluation::{
    self, DEFAULT_EVALUATION_WEEKS, Due, EvaluationContext, EvaluationInput,
};
use regie_domain::{AuditEvent, Permission, Relation, SupportLevel};
use regie_storage::{StorageError, StoredEvaluation, StoredScore};
use std::collections::BTreeMap;
use time::Date;

/// Everything the evaluation page shows.
pub struct EvaluationView {
    pub context: PlanContext,
    pub evaluations: Vec<StoredEvaluation>,
    pub scores: Vec<StoredScore>,
    pub every_weeks: u8,
    /// When this evaluation is due.
    pub due_on: Date,
    /// Per agreed activity, the support levels visits recorded since the last evaluation (or
    /// the start), oldest first.
    pub given_since: BTreeMap<String, Vec<SupportLevel>>,
    pub today: Date,
}

/// Opens the evaluation page: for the core team, who change the plan. One read, one row.
pub async fn evaluation_form(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<EvaluationView, Error> {
    let mut opened = open(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        Permission::ChangePlan,
        AuditEvent::ClientRead,
    )
    .await?;
    let granted = opened.in_trajectory();
    let context = super::plan::load_plan(&mut opened, None)
        .await?
        .ok_or(Error::NotFound)?;
    let tx = &mut opened.tx;
    let evaluations = tx.evaluations(&granted).await?;
    let scores = tx.goal_scores(&granted).await?;
    let every_weeks = tx.evaluation_weeks(&granted).await?;
    let visits = tx.visits_for_trajectory(&granted).await?;
    opened.finish_read(app).await?;
    let last = evaluations.last();
    let since = last.map_or(context.trajectory.start_date, |e| e.held_on);
    let due_on = evaluation::next_evaluation(
        context.trajectory.start_date,
        every_weeks,
        last.map(|e| e.next_on),
    );
    let mut given_since: BTreeMap<String, Vec<SupportLevel>> = BTreeMap::new();
    let mut recent: Vec<_> = visits
        .iter()
        .filter(|v| v.error_reason.is_none() && v.content.date >= since)
        .collect();
    recent.sort_by_key(|v| (v.content.date, v.id));
    for visit in recent {
        for given in &visit.content.given {
            given_since
                .entry(given.activity.clone())
                .or_default()
                .push(given.given);
        }
    }
    Ok(EvaluationView {
        context,
        evaluations,
        scores,
        every_weeks,
        due_on,
        given_since,
        today: app.today(),
    })
}

/// Saves an evaluation held with the client: the score rows beside the baseline, the
/// decisions per goal and the support going forward as one new plan version ("evaluatie van
/// <date>"), and the date of the next evaluation. One transaction, one audit row.
pub async fn record_evaluation(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    input: &EvaluationInput,
) -> Result<i64, Error> {
    let now = app.now();
    let (mut tx, mut entry, context) = open_plan_for_change(
        app,
        caller,
        trajectory_id,
        Permission::ChangePlan,
        BasedOn::Unknown,
    )
    .await?;
    let granted = context.granted;
    let every_weeks = tx.evaluation_weeks(&granted).await?;
    let network_ids: Vec<i64> = context.network.iter().map(|m| m.id).collect();
    let professional_ids: Vec<i64> = context.team.iter().filter_map(|m| m.user_id).collect();
    let mut plan = context.plan();
    let checked = input
        .validate(&EvaluationContext {
            plan: &plan,
            trajectory_start: context.trajectory.start_date,
            today: app.today(),
            every_weeks,
            network_member_ids: &network_ids,
            professional_ids: &professional_ids,
        })
        .map_err(Error::Invalid)?;
    checked
        .apply(&mut plan)
        .map_err(|e| Error::Invalid(vec![e.field_error()]))?;
    let number = context.newest + 1;
    match tx
        .plan_save(
            trajectory_id,
            number,
            &plan,
            &checked.plan_reason(),
            caller.user.id,
            now,
        )
        .await
    {
        Err(StorageError::Conflict(_)) => return Err(Error::Conflict("plan version")),
        other => other?,
    }
    let id = tx
        .evaluation_add(trajectory_id, &checked, number, caller.user.id, now)
        .await?;
    entry.object_type = Some("evaluation".into());
    entry.object_id = Some(id.to_string());
    entry.detail = Some(format!(
        "held {}, {} goals scored, plan version {number}",
        checked.held_on,
        checked.goals.len()
    ));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets how often the trajectory is evaluated: the coordinator's call.
pub async fn set_evaluation_weeks(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    raw: &str,
) -> Result<(), Error> {
    let now = app.now();
    let opened = change(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        Permission::ManageTrajectory,
    )
    .await?;
    let (mut tx, mut entry) = (opened.tx, opened.entry);
    closed(
        opened
            .trajectory
            .as_ref()
            .expect("a trajectory target has one"),
    )?;
    let weeks = evaluation::parse_evaluation_weeks(raw)?;
    tx.set_evaluation_weeks(trajectory_id, weeks).await?;
    entry.object_type = Some("evaluation_interval".into());
    entry.object_id = Some(trajectory_id.to_string());
    entry.detail = Some(format!("every {weeks} weeks"));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// One line of the coordinator's worklist.
pub struct EvaluationDue {
    pub trajectory_id: i64,
    pub client_name: String,
    pub due_on: Date,
    pub overdue: bool,
}

/// The evaluations due this week (and overdue ones) of the trajectories the caller
/// coordinates; the list is audited as one search.
pub async fn evaluations_due(app: &App, caller: &Caller) -> Result<Vec<EvaluationDue>, Error> {
    let today = app.today();
    let mut tx = app.begin().await?;
    let reached = tx
        .clients_in_execution(&caller.actor.team_ids, caller.user.id, true, 500)
        .await?;
    let mine: Vec<_> = reached
        .into_iter()
        .filter(|(_, t)| t.coordinator_id == caller.user.id)
        .filter_map(|(client, trajectory)| {
            let relation = Relation::of(
                &caller.actor,
                &client.team_ids,
                &client.core_team_user_ids,
                Some(trajectory.coordinator_id),
                false,
            );
            let granted = Permission::ReadRecord
                .grant(caller.actor.role, relation, client.id)
                .ok()?;
            Some((client, granted))
        })
        .collect();
    let granted: Vec<_> = mine.iter().map(|(_, g)| *g).collect();
    let schedules = tx.evaluation_schedules(&granted).await?;
    let mut due: Vec<EvaluationDue> = schedules
        .into_iter()
        .filter_map(|(client_id, trajectory_id, start, weeks, next)| {
            let due_on = evaluation::next_evaluation(start, weeks, next);
            let state = Due::of(due_on, today);
            let name = mine.iter().find(|(c, _)| c.id == client_id)?.0.name.clone();
            (state != Due::Later).then_some(EvaluationDue {
                trajectory_id,
                client_name: name,
                due_on,
                overdue: state == Due::Overdue,
            })
        })
        .collect();
    due.sort_by_key(|d| d.due_on);
    if !due.is_empty() {
        let mut entry = caller.audit(AuditEvent::ClientSearch, regie_domain::Outcome::Allowed);
        entry.object_type = Some("evaluations_due".into());
        entry.detail = Some(format!("{} evaluations due", due.len()));
        tx.audit_append(&entry, app.now()).await?;
    }
    tx.commit().await?;
    Ok(due)
}

/// The default interval, for pages that show it before anything was set.
pub const DEFAULT_WEEKS: u8 = DEFAULT_EVALUATION_WEEKS;

/// A trajectory's evaluations and goal scores, for reading (the API): one read, one row.
pub struct EvaluationHistory {
    pub evaluations: Vec<StoredEvaluation>,
    pub scores: Vec<StoredScore>,
    pub every_weeks: u8,
    pub next_due: Date,
}

pub async fn evaluation_history(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<EvaluationHistory, Error> {
    let mut opened = super::open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let granted = opened.in_trajectory();
    let tx = &mut opened.tx;
    let evaluations = tx.evaluations(&granted).await?;
    let scores = tx.goal_scores(&granted).await?;
    let every_weeks = tx.evaluation_weeks(&granted).await?;
    let read = opened.finish_read(app).await?;
    let start = read
        .trajectory
        .as_ref()
        .expect("a trajectory target has one")
        .start_date;
    let next_due =
        evaluation::next_evaluation(start, every_weeks, evaluations.last().map(|e| e.next_on));
    Ok(EvaluationHistory {
        evaluations,
        scores,
        every_weeks,
        next_due,
    })
}
