//! Visits reached through the client's access rule: recording (idempotent with a key),
//! corrections (free for a day, later with a reason, each earlier version kept), "entered in
//! error", and what the team sees from them: signals, trend, care hours and successes.

use super::conflict::Meanwhile;
use super::{Access, BasedOn, Opened, Target, change, stale};
use crate::Error;
use crate::{App, Caller};
use regie_domain::validation::text;
use regie_domain::visit::{self, Signal, SupportRecord, VisitInput, WeekTrend};
use regie_domain::{AuditEvent, Capabilities, Discipline, FieldError, Permission, Plan};
use regie_domain::{Client, ClientAccess, Relation, Trajectory, TrajectoryAccess};
use regie_storage::{StorageError, StoredVisit, Success};
use std::collections::BTreeMap;
use time::Date;

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
    pub access: Access,
    pub plan: Plan,
    pub visits: Vec<StoredVisit>,
    pub signals: Vec<Signal>,
    pub trend: Vec<WeekTrend>,
    pub care: Vec<visit::CareWeek>,
}

pub async fn open_visits(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<VisitsView, Error> {
    let mut opened = super::open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let granted = opened.in_trajectory();
    let loaded = load_visits(&mut opened.tx, &granted).await?;
    let read = opened.finish_read(app).await?;
    let trajectory = read.trajectory.expect("a trajectory target has one");
    Ok(VisitsView::compute(
        trajectory,
        read.client,
        read.access,
        loaded,
        app.today(),
    ))
}

/// What the visits of a trajectory are judged by, read in the use case's transaction.
pub(crate) struct LoadedVisits {
    plan: Plan,
    visits: Vec<StoredVisit>,
    takeover_threshold: usize,
}

pub(crate) async fn load_visits(
    tx: &mut regie_storage::Tx,
    granted: &TrajectoryAccess,
) -> Result<LoadedVisits, Error> {
    Ok(LoadedVisits {
        plan: tx.plan_current(granted).await?,
        visits: tx.visits_for_trajectory(granted).await?,
        takeover_threshold: tx.takeover_threshold().await?,
    })
}

impl VisitsView {
    /// The signals, the weekly trend and the care delivered, computed after the transaction.
    pub(crate) fn compute(
        trajectory: Trajectory,
        client: Client,
        access: Access,
        loaded: LoadedVisits,
        today: Date,
    ) -> Self {
        let LoadedVisits {
            plan,
            visits,
            takeover_threshold,
        } = loaded;
        let records = support_records(&visits);
        VisitsView {
            signals: visit::alignment_signals(&records, today, takeover_threshold),
            trend: visit::weekly_trend(&records, trajectory.start_date, today),
            care: visit::care_by_week(&plan, trajectory.start_date, &deliveries(&visits), today),
            trajectory,
            client,
            access,
            plan,
            visits,
        }
    }
}

/// Records a visit. With an idempotency key, a retry with the same request returns the visit
/// recorded the first time (`false`: nothing new written; the replay is audited) instead of a
/// duplicate; the same key with another request is refused.
pub async fn record_visit(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    input: &VisitInput,
    idempotency_key: Option<&str>,
) -> Result<(StoredVisit, bool), Error> {
    let now = app.now();
    let opened = change(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        Permission::RecordVisit,
    )
    .await?;
    let granted = opened.in_trajectory();
    let Opened {
        mut tx,
        trajectory,
        mut entry,
        ..
    } = opened;
    let trajectory = trajectory.expect("a trajectory target has one");
    entry.object_type = Some("visit".into());
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    let fingerprint = input.fingerprint(trajectory_id);
    if let Some(key) = key {
        if key.len() > 200 || !key.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(Error::Invalid(vec![FieldError::new(
                "idempotency_key",
                "error-text-too-long",
            )]));
        }
        if let Some(existing) = tx.visit_by_idempotency_key(caller.user.id, key).await? {
            if existing.trajectory_id != trajectory_id
                || existing
                    .idempotency_fingerprint
                    .as_ref()
                    .is_some_and(|f| *f != fingerprint)
            {
                return Err(Error::Invalid(vec![FieldError::new(
                    "idempotency_key",
                    "error-idempotency-reused",
                )]));
            }
            // The replay hands the visit out again: that is an access too.
            entry.event = AuditEvent::ClientRead.code().into();
            entry.object_id = Some(existing.id.to_string());
            entry.detail = Some("idempotent replay".into());
            tx.audit_append(&entry, now).await?;
            tx.commit().await?;
            return Ok((existing, false));
        }
    }
    trajectory.phase.check_accepts_changes()?;
    let plan = tx.plan_current(&granted).await?;
    let content = input
        .validate(
            &plan.agreements,
            visit::VisitWindow {
                started: trajectory.start_date,
                today: app.today(),
            },
        )
        .map_err(Error::Invalid)?;
    let id = match tx
        .visit_create(
            trajectory_id,
            caller.user.id,
            caller.user.discipline,
            &content,
            key.map(|k| (k, fingerprint.as_str())),
            now,
        )
        .await
    {
        Ok(id) => id,
        // The same key raced in from a parallel retry: answer as a retry would.
        Err(StorageError::Conflict(_)) => {
            drop(tx);
            return Box::pin(record_visit(app, caller, trajectory_id, input, key)).await;
        }
        Err(other) => return Err(other.into()),
    };
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    let visit = tx.visit_get(id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok((visit, true))
}

/// A visit with its trajectory, client and the plan as it stands now, checked through the
/// client's access rule (the read is audited).
pub struct VisitView {
    pub visit: StoredVisit,
    pub client: Client,
    pub plan: Plan,
    pub access: Access,
}

pub async fn open_visit(app: &App, caller: &Caller, visit_id: i64) -> Result<VisitView, Error> {
    open_visit_for(app, caller, visit_id, Permission::ReadRecord).await
}

/// A visit opened to show the form for `permission` (a correction): only to who may make it.
pub async fn open_visit_for(
    app: &App,
    caller: &Caller,
    visit_id: i64,
    permission: Permission,
) -> Result<VisitView, Error> {
    let mut opened = super::open(
        app,
        caller,
        Target::Visit(visit_id),
        permission,
        AuditEvent::ClientRead,
    )
    .await?;
    let plan = opened.tx.plan_current(&opened.in_trajectory()).await?;
    let read = opened.finish_read(app).await?;
    let visit = read.visit.expect("a visit target has one");
    Ok(VisitView {
        visit,
        client: read.client,
        plan,
        access: read.access,
    })
}

/// Corrects a visit: by the colleague who recorded it; after 24 hours only with a reason.
/// The version it replaces is kept; a correction of an older version than the stored one is
/// refused with who changed it.
pub async fn correct_visit(
    app: &App,
    caller: &Caller,
    visit_id: i64,
    input: &VisitInput,
    reason: &str,
    based_on: BasedOn,
) -> Result<(), Error> {
    let now = app.now();
    let opened = change(
        app,
        caller,
        Target::Visit(visit_id),
        Permission::CorrectVisit { author: false },
    )
    .await?;
    let granted = opened.in_trajectory();
    let Opened {
        mut tx,
        visit,
        trajectory,
        mut entry,
        ..
    } = opened;
    let visit = visit.expect("a visit target has one");
    let started = trajectory.expect("a visit has its trajectory").start_date;
    if visit.error_reason.is_some() {
        return Err(Error::Invalid(vec![FieldError::new(
            "form",
            "error-visit-in-error",
        )]));
    }
    based_on.present()?;
    let needs_reason = visit::correction_needs_reason(visit.recorded_at, now);
    let reason = text("reason", reason, needs_reason).map_err(|e| Error::Invalid(vec![e]))?;
    let plan = tx.plan_current(&granted).await?;
    // The agreements of then stay the yardstick for what the visit recorded.
    let agreements = visit::agreements_at_visit(&visit.content, &plan.agreements);
    let content = input
        .validate(
            &agreements,
            visit::VisitWindow {
                started,
                today: app.today(),
            },
        )
        .map_err(Error::Invalid)?;
    // The input is valid: was it based on the visit as it is?
    if let Some(base) = based_on.version()
        && base != visit.version
    {
        let meanwhile = Meanwhile::Visit {
            newest: visit.version,
            author: visit.author.clone(),
            at: visit.updated_at,
        };
        return Err(stale(meanwhile, based_on));
    }
    match tx
        .visit_correct(&visit, &content, reason.as_deref(), caller.user.id, now)
        .await
    {
        Err(StorageError::Conflict(_)) => return Err(Error::Conflict("visit version")),
        other => other?,
    }
    entry.object_id = Some(visit_id.to_string());
    entry.detail = Some(format!("corrected to version {}", visit.version + 1));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a visit as entered in error, with a reason, by its author or the coordinator; it stays
/// in the record.
pub async fn mark_visit_in_error(
    app: &App,
    caller: &Caller,
    visit_id: i64,
    reason: &str,
) -> Result<i64, Error> {
    let now = app.now();
    let Opened {
        mut tx,
        visit,
        mut entry,
        ..
    } = change(
        app,
        caller,
        Target::Visit(visit_id),
        Permission::MarkVisitInError { author: false },
    )
    .await?;
    let visit = visit.expect("a visit target has one");
    if visit.error_reason.is_some() {
        return Err(Error::Invalid(vec![FieldError::new(
            "error_reason",
            "error-visit-in-error",
        )]));
    }
    let reason = text("error_reason", reason, true)
        .map_err(|e| Error::Invalid(vec![e]))?
        .unwrap_or_default();
    tx.visit_mark_error(visit_id, &reason, now).await?;
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

pub async fn team_view(app: &App, caller: &Caller) -> Result<TeamView, Error> {
    let capabilities = Capabilities::of(&caller.actor);
    if !capabilities.team_signals {
        return Err(super::refuse_page(app, caller, "/team").await);
    }
    let today = app.today();
    let mut tx = app.begin().await?;
    let threshold = tx.takeover_threshold().await?;
    // The team's clients in execution, with the domain's rule asked per client; their visits
    // are then read in one query.
    let reached = tx
        .clients_in_execution(&caller.actor.team_ids, caller.user.id, false, 500)
        .await?;
    let granted = grant_each(caller, Permission::SeeTeamSignals, reached);
    let in_trajectories: Vec<TrajectoryAccess> = granted.iter().map(|g| g.access).collect();
    let visits = tx.visits_for_trajectories(&in_trajectories).await?;
    let mut out: Vec<(Client, i64, Vec<Signal>)> = granted
        .into_iter()
        .map(|g| {
            let own: Vec<StoredVisit> = visits
                .iter()
                .filter(|v| v.trajectory_id == g.trajectory.id)
                .cloned()
                .collect();
            let signals = visit::alignment_signals(&support_records(&own), today, threshold);
            (g.client, g.trajectory.id, signals)
        })
        .collect();
    let clients: Vec<ClientAccess> = in_trajectories.iter().map(|a| a.client()).collect();
    let successes = tx.successes(&clients, 20).await?;
    let names = if capabilities.signal_names {
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
    // Only clients with signals are shown, and those with a success in the feed: each such
    // client's record is read, so each gets a row of its own (it shows in who looked).
    out.retain(|(_, _, signals)| !signals.is_empty());
    let now = app.now();
    let mut entry = caller.audit(
        regie_domain::AuditEvent::ClientSearch,
        regie_domain::Outcome::Allowed,
    );
    entry.object_type = Some("team_signals".into());
    entry.detail = Some(format!("{} clients with signals", out.len()));
    tx.audit_append(&entry, now).await?;
    let mut shown: Vec<i64> = out
        .iter()
        .map(|(client, _, _)| client.id)
        .chain(successes.iter().map(|s| s.client_id))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    for client_id in shown {
        let mut read = caller.audit(
            regie_domain::AuditEvent::ClientRead,
            regie_domain::Outcome::Allowed,
        );
        read.client_id = Some(client_id);
        read.object_type = Some("team_signals".into());
        tx.audit_append(&read, now).await?;
    }
    tx.commit().await?;
    Ok(TeamView {
        clients: out,
        successes,
        names,
    })
}

/// The visit form: the client and the agreements in force, for someone who may record a visit
/// (or, after a refused save, read the record). One read, one audit row.
pub async fn visit_form(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    permission: Permission,
) -> Result<(Client, Plan), Error> {
    let mut opened = super::open(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        permission,
        AuditEvent::ClientRead,
    )
    .await?;
    let plan = opened.tx.plan_current(&opened.in_trajectory()).await?;
    let read = opened.finish_read(app).await?;
    Ok((read.client, plan))
}

/// One row of "my visits today": a client in execution the caller works with.
pub struct TodayVisit {
    pub trajectory_id: i64,
    pub client_name: String,
    /// The caller coordinates the trajectory or sits in its core team.
    pub mine: bool,
    pub visited_today: bool,
    pub agreements: usize,
}

/// "My visits today": the clients in execution the caller works with, theirs first; the list
/// is audited as one search.
pub async fn visits_today(app: &App, caller: &Caller) -> Result<Vec<TodayVisit>, Error> {
    let today = app.today();
    let capabilities = Capabilities::of(&caller.actor);
    if !capabilities.visits {
        return Err(super::refuse_page(app, caller, "/visits").await);
    }
    let mut tx = app.begin().await?;
    let reached = tx
        .clients_in_execution(&caller.actor.team_ids, caller.user.id, true, 200)
        .await?;
    // Only the clients the caller may record a visit for, asked per client; then their plans
    // and visits in one query each.
    let granted = grant_each(caller, Permission::RecordVisit, reached);
    let in_trajectories: Vec<TrajectoryAccess> = granted.iter().map(|g| g.access).collect();
    let plans = tx.plans_latest(&in_trajectories).await?;
    let visits = tx.visits_for_trajectories(&in_trajectories).await?;
    let mut entry = caller.audit(AuditEvent::ClientSearch, regie_domain::Outcome::Allowed);
    entry.object_type = Some("client".into());
    entry.detail = Some(format!("visits today: {} clients", granted.len()));
    tx.audit_append(&entry, app.now()).await?;
    tx.commit().await?;
    let mut rows: Vec<TodayVisit> = granted
        .into_iter()
        .map(|g| {
            let id = g.trajectory.id;
            TodayVisit {
                trajectory_id: id,
                mine: g.trajectory.coordinator_id == caller.user.id
                    || g.client.core_team_user_ids.contains(&caller.user.id),
                visited_today: visits.iter().any(|v| {
                    v.trajectory_id == id
                        && v.user_id == caller.user.id
                        && v.content.date == today
                        && v.error_reason.is_none()
                }),
                agreements: plans
                    .iter()
                    .find(|(t, _)| *t == id)
                    .map_or(0, |(_, v)| v.plan.agreements.len()),
                client_name: g.client.name,
            }
        })
        .collect();
    // Stable: by name within "mine first".
    rows.sort_by_key(|r| !r.mine);
    Ok(rows)
}

/// A client reached for a list, with the rule's yes for one permission.
struct Granted {
    client: Client,
    trajectory: Trajectory,
    access: TrajectoryAccess,
}

/// Asks the domain's rule for `permission` on each client (as [`super::open`] does for one);
/// those refused are left out of the list.
fn grant_each(
    caller: &Caller,
    permission: Permission,
    reached: Vec<(Client, Trajectory)>,
) -> Vec<Granted> {
    reached
        .into_iter()
        .filter_map(|(client, trajectory)| {
            let relation = Relation::of(
                &caller.actor,
                &client.team_ids,
                &client.core_team_user_ids,
                Some(trajectory.coordinator_id),
                false,
            );
            let access = permission
                .grant(caller.actor.role, relation, client.id)
                .ok()?
                .to_trajectory(&trajectory)?;
            Some(Granted {
                client,
                trajectory,
                access,
            })
        })
        .collect()
}
