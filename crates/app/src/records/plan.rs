//! The core team, the plan and Samen Beslissen, reached through the client's access rule.
//! Every change to the plan is a new version with who, when and why, in one transaction with
//! its audit row.

use super::conflict::{Meanwhile, PlanVersionChange};
use super::{
    Access, BasedOn, DAILY_ACTIVITIES, LIFE_DOMAINS, Opened, Target, change_trajectory,
    instrument_in, not_found_in, open, open_to_read, stale,
};
use crate::Error;
use crate::{App, Caller};
use regie_domain::validation::text;
use regie_domain::{
    AgreementInput, AuditEvent, CareInput, Client, CoreTeam, DecisionInput, Discipline, FieldError,
    GoalInput, GoalStatusInput, InstrumentDefinition, InterventionInput, Permission, Plan,
    Responsible, Subject, TeamChange, TeamProfessional, Trajectory, TrajectoryAccess,
};
use regie_storage::{
    CatalogueIntervention, CoreTeamMember, Handover, PlanVersion, StorageError, StoredAid,
    StoredDecision, StoredNetworkMember, Tx,
};

/// Everything the plan pages show and the plan operations check against.
pub struct PlanContext {
    pub trajectory: Trajectory,
    pub client: Client,
    pub team: Vec<CoreTeamMember>,
    pub network: Vec<StoredNetworkMember>,
    pub interventions: Vec<CatalogueIntervention>,
    pub aids: Vec<StoredAid>,
    pub life_domains: InstrumentDefinition,
    pub activities: InstrumentDefinition,
    /// The version shown (the newest unless an older one was asked for).
    pub version: Option<PlanVersion>,
    pub newest: i64,
    pub handovers: Vec<Handover>,
    pub decisions: Vec<StoredDecision>,
    pub max_concurrent: u32,
    /// What the caller may do with this plan.
    pub access: Access,
    /// The rule's yes to the trajectory, for what the use case reads next.
    pub granted: TrajectoryAccess,
    /// Whether the trajectory has been evaluated: from then on the baseline scores stay.
    pub evaluated: bool,
    /// The goals' scores after the baseline (evaluations, closure, follow-ups), oldest first.
    pub scores: Vec<regie_storage::StoredScore>,
}

impl PlanContext {
    pub fn plan(&self) -> Plan {
        self.version
            .as_ref()
            .map(|v| v.plan.clone())
            .unwrap_or_default()
    }

    pub fn activity_keys(&self) -> Vec<&str> {
        self.activities
            .items
            .iter()
            .map(|i| i.key.as_str())
            .collect()
    }

    pub fn domain_keys(&self) -> Vec<&str> {
        self.life_domains
            .items
            .iter()
            .map(|i| i.key.as_str())
            .collect()
    }

    pub fn intervention(&self, id: i64) -> Option<&CatalogueIntervention> {
        self.interventions.iter().find(|i| i.id == id)
    }

    pub fn aid(&self, id: i64) -> Option<&StoredAid> {
        self.aids.iter().find(|a| a.id == id)
    }

    /// Aids that may be linked to a new agreement: those not retired.
    pub fn linkable_aid_ids(&self) -> Vec<i64> {
        self.aids
            .iter()
            .filter(|a| !a.retired)
            .map(|a| a.id)
            .collect()
    }

    fn core_team(&self) -> Result<CoreTeam, Error> {
        let professionals = self
            .team
            .iter()
            .filter_map(|m| {
                Some(TeamProfessional {
                    user_id: m.user_id?,
                    discipline: m.discipline.unwrap_or(Discipline::Anders),
                })
            })
            .collect();
        let network_member_id = self.team.iter().find_map(|m| m.network_member_id);
        CoreTeam::restore(
            self.trajectory.coordinator_id,
            professionals,
            network_member_id,
        )
        .map_err(|e| Error::Storage(StorageError::Corrupt(e.to_string())))
    }

    /// Resolves who carries out an intervention: `client`, `network:ID` (someone in the
    /// client's network), `discipline:KEY` or `user:ID` (a professional in the core team).
    pub fn responsible(&self, value: &str) -> Result<Responsible, FieldError> {
        let unknown = FieldError::new("responsible", "error-choice-unknown");
        // Well formed, but nobody of that id in the network or the core team.
        let absent = FieldError::new("responsible", "error-responsible-absent");
        let (kind, id) = value.trim().split_once(':').unwrap_or((value.trim(), ""));
        match kind {
            "client" if value.trim() == "client" => Ok(Responsible::Client),
            "discipline" => Ok(Responsible::Discipline {
                discipline: Discipline::parse(id).map_err(|_| unknown)?,
            }),
            "network" => {
                let id: i64 = id.parse().map_err(|_| unknown)?;
                let member = self.network.iter().find(|m| m.id == id).ok_or(absent)?;
                Ok(Responsible::NetworkMember {
                    id,
                    name: member.member.name.clone(),
                })
            }
            "user" => {
                let id: i64 = id.parse().map_err(|_| unknown)?;
                let member = self
                    .team
                    .iter()
                    .find(|m| m.user_id == Some(id))
                    .ok_or(absent)?;
                Ok(Responsible::Professional {
                    user_id: id,
                    name: member.name.clone(),
                })
            }
            "" => Err(FieldError::new("responsible", "error-required")),
            _ => Err(unknown),
        }
    }
}

/// Everything a plan page or change needs besides the record itself.
pub(super) struct Loaded {
    pub(super) trajectory: Trajectory,
    pub(super) client: Client,
    pub(super) access: Access,
    pub(super) granted: TrajectoryAccess,
    pub(super) life_domains: InstrumentDefinition,
    pub(super) activities: InstrumentDefinition,
}

/// Loads the plan context; `Ok(None)` when the version asked for does not exist.
pub(super) async fn load_context(
    tx: &mut Tx,
    loaded: Loaded,
    version: Option<i64>,
) -> Result<Option<PlanContext>, Error> {
    let Loaded {
        trajectory,
        client,
        access,
        granted,
        life_domains,
        activities,
    } = loaded;
    let newest = tx.plan_latest(&granted).await?;
    let newest_number = newest.as_ref().map_or(0, |v| v.number);
    let version = match version {
        Some(number) if number != newest_number => match tx.plan_version(&granted, number).await? {
            Some(version) => Some(version),
            None => return Ok(None),
        },
        _ => newest,
    };
    Ok(Some(PlanContext {
        team: tx.core_team(&granted).await?,
        network: tx.network_for_client(&granted.client()).await?,
        interventions: tx.interventions().await?,
        aids: tx.aids_search("", None, true).await?,
        handovers: tx.coordinator_handovers(&granted).await?,
        decisions: tx.decisions(&granted).await?,
        max_concurrent: tx.max_concurrent_interventions().await?,
        newest: newest_number,
        version,
        trajectory,
        client,
        life_domains,
        activities,
        access,
        evaluated: !tx.evaluations(&granted).await?.is_empty(),
        scores: tx.goal_scores(&granted).await?,
        granted,
    }))
}

/// Opens a trajectory's plan (a given version, or the newest) with its team, for reading or
/// printing; the access is audited as `event`.
pub async fn open_plan(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    version: Option<i64>,
    event: regie_domain::AuditEvent,
) -> Result<PlanContext, Error> {
    open_plan_for(
        app,
        caller,
        trajectory_id,
        version,
        Permission::ReadRecord,
        event,
    )
    .await
}

/// Opens the newest plan to show a form for `permission` (a plan change, a team change): only
/// to those who may make it.
pub async fn open_plan_to(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    permission: Permission,
) -> Result<PlanContext, Error> {
    open_plan_for(
        app,
        caller,
        trajectory_id,
        None,
        permission,
        AuditEvent::ClientRead,
    )
    .await
}

async fn open_plan_for(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    version: Option<i64>,
    permission: Permission,
    event: regie_domain::AuditEvent,
) -> Result<PlanContext, Error> {
    let mut opened = open(
        app,
        caller,
        Target::Trajectory(trajectory_id),
        permission,
        event,
    )
    .await?;
    match load_plan(&mut opened, version).await? {
        Some(context) => {
            opened.finish_read(app).await?;
            Ok(context)
        }
        None => {
            let object = format!("{trajectory_id}/{}", version.unwrap_or_default());
            Err(opened.not_found(app, "plan", &object).await)
        }
    }
}

/// Opens a trajectory's newest plan for a change asking `permission`: the transaction, the
/// change's audit row (to be appended with the change) and the plan with what surrounds it.
/// A closed trajectory takes no change; a form must say which version it was based on.
pub(super) async fn open_plan_for_change(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    permission: Permission,
    based_on: BasedOn,
) -> Result<(Tx, regie_domain::AuditEntry, PlanContext), Error> {
    let opened = super::change(app, caller, Target::Trajectory(trajectory_id), permission).await?;
    let granted = opened.in_trajectory();
    let (mut tx, entry) = (opened.tx, opened.entry);
    let trajectory = opened.trajectory.expect("a trajectory target has one");
    closed(&trajectory)?;
    let life_domains = instrument_in(&mut tx, LIFE_DOMAINS).await?;
    let activities = instrument_in(&mut tx, DAILY_ACTIVITIES).await?;
    based_on.present()?;
    let loaded = Loaded {
        trajectory,
        client: opened.client,
        access: opened.access,
        granted,
        life_domains,
        activities,
    };
    let context = load_context(&mut tx, loaded, None)
        .await?
        .expect("the newest version exists");
    Ok((tx, entry, context))
}

/// Loads the plan of an opened trajectory within its transaction; `None` when the version
/// asked for does not exist.
pub(crate) async fn load_plan(
    opened: &mut Opened,
    version: Option<i64>,
) -> Result<Option<PlanContext>, Error> {
    let loaded = Loaded {
        trajectory: opened
            .trajectory
            .clone()
            .expect("a trajectory target has one"),
        client: opened.client.clone(),
        access: opened.access,
        granted: opened.in_trajectory(),
        life_domains: instrument_in(&mut opened.tx, LIFE_DOMAINS).await?,
        activities: instrument_in(&mut opened.tx, DAILY_ACTIVITIES).await?,
    };
    load_context(&mut opened.tx, loaded, version).await
}

pub(super) fn closed(trajectory: &Trajectory) -> Result<(), Error> {
    Ok(trajectory.phase.check_accepts_changes()?)
}

/// What a change to the plan touches: nothing that exists yet (a new goal), something inside
/// an existing part (an intervention for a goal: the goal must exist), or one part it edits
/// (a save based on an older version is refused when someone changed that part meanwhile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touches {
    New,
    Within(Subject),
    Edits(Subject),
    /// Ends or removes a part named in the URL: it must exist, and is checked like an edit.
    Removes(Subject),
    /// The URL names a part no plan can have (a discipline that does not exist): a 404.
    Unknown(String),
}

/// How a part of the plan is named in the audit log: `goal/3`, `agreement/wassen`, ….
fn object_path(subject: &Subject) -> String {
    match subject {
        Subject::Goal { id } => format!("goal/{id}"),
        Subject::Intervention { id, .. } => format!("intervention/{id}"),
        Subject::Agreement { activity } => format!("agreement/{activity}"),
        Subject::Care { discipline } => format!("care/{}", discipline.as_str()),
    }
}

/// Whether `subject` exists in `plan`.
fn has(plan: &Plan, subject: &Subject) -> bool {
    match subject {
        Subject::Goal { id } => plan.goal(*id).is_some(),
        Subject::Intervention { id, .. } => plan
            .goals
            .iter()
            .any(|g| g.interventions.iter().any(|i| i.id == *id)),
        Subject::Agreement { activity } => plan.agreement(activity).is_some(),
        Subject::Care { discipline } => plan.care.iter().any(|c| c.discipline == *discipline),
    }
}

/// Goals and interventions are named in URLs: one that is not there is a 404.
fn must_exist(subject: &Subject) -> bool {
    matches!(subject, Subject::Goal { .. } | Subject::Intervention { .. })
}

/// The versions after `base` that changed `subject`, if any did: what a save based on `base`
/// would silently overwrite.
async fn plan_changed_meanwhile(
    tx: &mut Tx,
    granted: &TrajectoryAccess,
    base: i64,
    newest: i64,
    subject: Option<&Subject>,
) -> Result<Vec<PlanVersionChange>, Error> {
    let versions = tx.plan_versions(granted).await?;
    let plan_at = |number: i64| {
        versions
            .iter()
            .find(|v| v.number == number)
            .map(|v| v.plan.clone())
            .unwrap_or_default()
    };
    let mut changed = Vec::new();
    for number in (base + 1)..=newest {
        let Some(version) = versions.iter().find(|v| v.number == number) else {
            continue;
        };
        let changes: Vec<_> = regie_domain::plan::compare(&plan_at(number - 1), &version.plan)
            .into_iter()
            .filter(|c| subject.is_none_or(|s| same_part(&c.subject, s)))
            .collect();
        if !changes.is_empty() || subject.is_none() {
            changed.push(PlanVersionChange {
                number,
                author: version.author.clone(),
                at: version.created_at,
                reason: version.reason.clone(),
                changes,
            });
        }
    }
    Ok(changed)
}

/// Whether a change to `changed` touches the part `edited` (an intervention by its number).
fn same_part(changed: &Subject, edited: &Subject) -> bool {
    match (changed, edited) {
        (Subject::Intervention { id: a, .. }, Subject::Intervention { id: b, .. }) => a == b,
        (a, b) => a == b,
    }
}

/// A change to the plan by the core team.
pub struct PlanWrite<'a> {
    pub trajectory_id: i64,
    pub reason: &'a str,
    pub touches: Touches,
    pub based_on: BasedOn,
}

/// Changes the plan: `change` edits a copy of the newest version; when it changed anything,
/// that copy is stored as the next version with the reason. Returns the version number now
/// current. Access is checked before any input (the core team only); a save based on an
/// older version is refused when it would overwrite what someone changed meanwhile.
pub async fn change_plan<T>(
    app: &App,
    caller: &Caller,
    write: PlanWrite<'_>,
    change: impl FnOnce(&mut Plan, &PlanContext) -> Result<T, Vec<FieldError>>,
) -> Result<(i64, T), Error> {
    let PlanWrite {
        trajectory_id,
        reason,
        touches,
        based_on,
    } = write;
    let now = app.now();
    let (mut tx, mut entry, context) =
        open_plan_for_change(app, caller, trajectory_id, Permission::ChangePlan, based_on).await?;
    let before = context.plan();
    let missing = match &touches {
        Touches::New => None,
        Touches::Unknown(what) => Some(what.clone()),
        Touches::Within(s) | Touches::Removes(s) if !has(&before, s) => Some(object_path(s)),
        Touches::Edits(s) if must_exist(s) && !has(&before, s) => Some(object_path(s)),
        Touches::Within(_) | Touches::Removes(_) | Touches::Edits(_) => None,
    };
    if let Some(what) = missing {
        drop(tx);
        let object = format!("{trajectory_id}/{what}");
        return Err(not_found_in(app, caller, context.client.id, "plan", &object).await);
    }
    let reason = text("reason", reason, false)
        .map_err(|e| Error::Invalid(vec![e]))?
        .unwrap_or_default();
    let mut plan = before.clone();
    let outcome = change(&mut plan, &context).map_err(Error::Invalid)?;
    // The input is valid: would saving it overwrite what someone changed meanwhile?
    if let Some(base) = based_on.version()
        && base != context.newest
    {
        let edited = match &touches {
            Touches::Edits(subject) | Touches::Removes(subject) => Some(subject),
            _ => None,
        };
        let strict = matches!(based_on, BasedOn::IfMatch(_));
        let versions = plan_changed_meanwhile(
            &mut tx,
            &context.granted,
            base,
            context.newest,
            if strict { None } else { edited },
        )
        .await?;
        if strict || (edited.is_some() && !versions.is_empty()) {
            let meanwhile = Meanwhile::Plan {
                newest: context.newest,
                versions,
            };
            return Err(stale(meanwhile, based_on));
        }
    }
    if plan == before {
        return Ok((context.newest, outcome));
    }
    let number = context.newest + 1;
    match tx
        .plan_save(trajectory_id, number, &plan, &reason, caller.user.id, now)
        .await
    {
        // Someone saved the same version number in between (PostgreSQL: both read the same
        // newest version): the other save won.
        Err(StorageError::Conflict(_)) => {
            return Err(match based_on {
                BasedOn::IfMatch(_) => Error::Stale {
                    meanwhile: Box::new(Meanwhile::Plan {
                        newest: number,
                        versions: Vec::new(),
                    }),
                    precondition: true,
                },
                _ => Error::Conflict("plan version"),
            });
        }
        other => other?,
    }
    entry.object_type = Some("plan".into());
    entry.object_id = Some(format!("{trajectory_id}/{number}"));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok((number, outcome))
}

/// Where and why a plan changes: the trajectory, the reason given, and the version the
/// change is based on.
#[derive(Debug, Clone, Copy)]
pub struct PlanEdit<'a> {
    pub trajectory_id: i64,
    pub reason: &'a str,
    pub based_on: BasedOn,
}

impl<'a> PlanEdit<'a> {
    fn write(self, touches: Touches) -> PlanWrite<'a> {
        PlanWrite {
            trajectory_id: self.trajectory_id,
            reason: self.reason,
            touches,
            based_on: self.based_on,
        }
    }
}

/// Adds a goal in the client's words; returns the version and the goal's number.
pub async fn add_goal(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    input: &GoalInput,
) -> Result<(i64, u32), Error> {
    change_plan(app, caller, edit.write(Touches::New), |plan, ctx| {
        let content = input.validate(&ctx.domain_keys(), &ctx.activity_keys())?;
        Ok(plan.add_goal(content))
    })
    .await
}

pub async fn rewrite_goal(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    goal_id: u32,
    input: &GoalInput,
) -> Result<i64, Error> {
    let touches = Touches::Edits(Subject::Goal { id: goal_id });
    change_plan(app, caller, edit.write(touches), |plan, ctx| {
        let content = input.validate(&ctx.domain_keys(), &ctx.activity_keys())?;
        plan.rewrite_goal(goal_id, content, ctx.evaluated)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

pub async fn set_goal_status(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    goal_id: u32,
    input: &GoalStatusInput,
) -> Result<i64, Error> {
    let edit = PlanEdit {
        reason: &input.reason,
        ..edit
    };
    let touches = Touches::Edits(Subject::Goal { id: goal_id });
    change_plan(app, caller, edit.write(touches), |plan, _| {
        let change = input.validate()?;
        plan.set_goal_status(goal_id, change)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

/// Adds an intervention from the catalogue (not a retired one) to a goal.
pub async fn add_intervention(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    goal_id: u32,
    input: &InterventionInput,
) -> Result<(i64, u32), Error> {
    let today = app.today();
    let touches = Touches::Within(Subject::Goal { id: goal_id });
    change_plan(app, caller, edit.write(touches), |plan, ctx| {
        let mut errors = Vec::new();
        let responsible = ctx
            .responsible(&input.responsible)
            .map_err(|e| errors.push(e))
            .ok();
        let content = input.validate(today).map_err(|e| errors.extend(e)).ok();
        if let Some(content) = &content
            && ctx
                .intervention(content.catalogue_id)
                .is_none_or(|i| i.retired)
        {
            errors.push(FieldError::new("catalogue_id", "error-choice-unknown"));
        }
        match (content, responsible) {
            (Some(content), Some(responsible)) if errors.is_empty() => plan
                .add_intervention(goal_id, content, responsible)
                .map_err(|e| vec![e.field_error()]),
            _ => Err(errors),
        }
    })
    .await
}

/// Ends an intervention on the day it stopped (`date`, blank is today): not in the future, not
/// before the trajectory started.
pub async fn end_intervention(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    intervention_id: u32,
    date: &str,
) -> Result<i64, Error> {
    let today = app.today();
    let touches = Touches::Removes(Subject::Intervention {
        goal_id: 0,
        id: intervention_id,
    });
    change_plan(app, caller, edit.write(touches), |plan, ctx| {
        let window = regie_domain::DayWindow {
            started: ctx.trajectory.start_date,
            today,
        };
        let day = window.day("date", date).map_err(|e| vec![e])?;
        plan.end_intervention(intervention_id, day)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

pub async fn set_agreement(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    input: &AgreementInput,
) -> Result<i64, Error> {
    let touches = Touches::Edits(Subject::Agreement {
        activity: input.activity.trim().to_string(),
    });
    change_plan(app, caller, edit.write(touches), |plan, ctx| {
        // An aid already linked stays linkable even if retired since.
        let mut known = ctx.linkable_aid_ids();
        if let Some(existing) = plan.agreement(input.activity.trim()) {
            known.extend(&existing.aid_ids);
        }
        let agreement = input.validate(&ctx.activity_keys(), &known)?;
        plan.set_agreement(agreement);
        Ok(())
    })
    .await
    .map(|(version, ())| version)
}

/// Sets a discipline's planned care from the week the input names (blank: the current week of
/// the trajectory); the weeks before keep what was planned for them.
pub async fn set_care(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    input: &CareInput,
) -> Result<i64, Error> {
    let touches = match Discipline::parse(input.discipline.trim()) {
        Ok(discipline) => Touches::Edits(Subject::Care { discipline }),
        // Not a discipline: the change itself explains what is wrong.
        Err(_) => Touches::New,
    };
    let today = app.today();
    change_plan(app, caller, edit.write(touches), |plan, ctx| {
        let current_week = regie_domain::week_of(ctx.trajectory.start_date, today);
        plan.set_care(input.validate(current_week)?);
        Ok(())
    })
    .await
    .map(|(version, ())| version)
}

pub async fn remove_care(
    app: &App,
    caller: &Caller,
    edit: PlanEdit<'_>,
    discipline: &str,
) -> Result<i64, Error> {
    let touches = match Discipline::parse(discipline) {
        Ok(discipline) => Touches::Removes(Subject::Care { discipline }),
        Err(_) => Touches::Unknown(format!("care/{discipline}")),
    };
    change_plan(app, caller, edit.write(touches), |plan, _| {
        let discipline = Discipline::parse(discipline).map_err(|e| vec![e])?;
        plan.remove_care(discipline)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

/// A change to the core team, checked by the domain's invariant and stored with its audit row.
pub enum TeamRequest<'a> {
    Add {
        user_id: &'a str,
        discipline: &'a str,
        contact: &'a str,
    },
    Remove {
        user_id: &'a str,
    },
    HandOver {
        to: &'a str,
        reason: &'a str,
    },
    NetworkMember {
        member: &'a str,
    },
}

fn user_choice(field: &'static str, raw: &str) -> Result<i64, Error> {
    raw.trim()
        .parse()
        .map_err(|_| Error::Invalid(vec![FieldError::new(field, "error-required")]))
}

/// Changes the core team (coordinator or a team lead of a serving team), based on the team
/// version the form showed: a change on an older version is refused with what changed.
pub async fn change_team(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    request: TeamRequest<'_>,
    based_on: BasedOn,
) -> Result<(), Error> {
    let now = app.now();
    let (mut tx, mut entry, context) = open_plan_for_change(
        app,
        caller,
        trajectory_id,
        Permission::ManageTrajectory,
        based_on,
    )
    .await?;
    let (access, granted) = (context.access, context.granted);
    let team_version = context.trajectory.team_version;
    let mut team = context.core_team()?;
    let invalid = |e: FieldError| Error::Invalid(vec![e]);
    let by = caller.user.id;
    let change = match request {
        TeamRequest::Add {
            user_id,
            discipline,
            contact,
        } => {
            let user_id = user_choice("user_id", user_id)?;
            let appoints_self = user_id == caller.user.id;
            if let Err(refusal) =
                regie_domain::permissions::may_appoint(access.role, access.relation, appoints_self)
            {
                let client_id = context.client.id;
                return Err(super::refuse_within(app, tx, entry, refusal, client_id).await);
            }
            let user = tx
                .user_get(user_id)
                .await?
                .filter(|u| u.active)
                .ok_or_else(|| invalid(FieldError::new("user_id", "error-choice-unknown")))?;
            let discipline = match discipline.trim() {
                "" => user.discipline,
                other => Discipline::parse(other).map_err(invalid)?,
            };
            let contact = text("contact", contact, false).map_err(invalid)?;
            let change = team
                .add_professional(user.id, user.role, discipline)
                .map_err(invalid)?;
            tx.core_team_add_user(
                trajectory_id,
                user.id,
                discipline,
                contact.as_deref(),
                by,
                now,
            )
            .await?;
            change
        }
        TeamRequest::Remove { user_id } => {
            let user_id = user_choice("user_id", user_id)?;
            let change = team.remove_professional(user_id).map_err(invalid)?;
            tx.core_team_end_user(trajectory_id, user_id, by, now)
                .await?;
            change
        }
        TeamRequest::HandOver { to, reason } => {
            let to = user_choice("to", to)?;
            let reason = text("reason", reason, false).map_err(invalid)?;
            let change = team.hand_over(to).map_err(invalid)?;
            if let TeamChange::HandedOver { from, to } = change {
                match tx
                    .coordinator_hand_over(trajectory_id, from, to, reason.as_deref(), by, now)
                    .await
                {
                    Err(StorageError::Conflict(_)) => {
                        return Err(Error::Conflict("coordinator"));
                    }
                    other => other?,
                }
            }
            change
        }
        TeamRequest::NetworkMember { member } => {
            let member = match member.trim() {
                "" => None,
                raw => Some(
                    raw.parse::<i64>()
                        .ok()
                        .filter(|id| context.network.iter().any(|m| m.id == *id))
                        .ok_or_else(|| {
                            invalid(FieldError::new("member", "error-choice-unknown"))
                        })?,
                ),
            };
            match team.choose_network_member(member) {
                Some(change) => {
                    tx.core_team_set_network_member(trajectory_id, member, by, now)
                        .await?;
                    change
                }
                None => return Ok(()),
            }
        }
    };
    debug_assert!(team.is_consistent());
    // The input is valid: was it based on the team as it is? (Nothing above commits if not.)
    if let Some(base) = based_on.version()
        && base != team_version
    {
        let meanwhile = Meanwhile::Team {
            newest: team_version,
            changes: tx.core_team_changes_after(&granted, base).await?,
        };
        return Err(stale(meanwhile, based_on));
    }
    match tx
        .core_team_record_change(trajectory_id, team_version, &change, by, now)
        .await
    {
        Err(StorageError::Conflict(_)) => return Err(Error::Conflict("core team version")),
        other => other?,
    };
    entry.object_type = Some("core_team".into());
    entry.detail = Some(match change {
        TeamChange::Joined(member) => format!("joined user {}", member.user_id),
        TeamChange::Left { user_id } => format!("left user {user_id}"),
        TeamChange::HandedOver { from, to } => format!("coordinator {from} -> {to}"),
        TeamChange::NetworkMember { to, .. } => format!(
            "network member {}",
            to.map_or("none".to_string(), |id| id.to_string())
        ),
    });
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Who can join a core team: active users who work with records (professionals and team
/// leads; never analysts or administrators).
pub async fn team_candidates(app: &App) -> Result<Vec<regie_storage::User>, Error> {
    let mut tx = app.begin().await?;
    let users = tx.users_list().await?;
    tx.commit().await?;
    Ok(users
        .into_iter()
        .filter(|u| u.active && regie_domain::permissions::works_with_records(u.role))
        .collect())
}

pub async fn add_decision(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    input: &DecisionInput,
) -> Result<i64, Error> {
    let now = app.now();
    let (mut tx, trajectory, mut entry) =
        change_trajectory(app, caller, trajectory_id, Permission::ChangePlan).await?;
    closed(&trajectory)?;
    let decision = input.validate().map_err(Error::Invalid)?;
    let id = tx
        .decision_add(trajectory_id, &decision, caller.user.id, now)
        .await?;
    entry.object_type = Some("shared_decision".into());
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The plan with all its versions, to read and compare them: one read, one audit row.
pub async fn plan_with_versions(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<(PlanContext, Vec<PlanVersion>), Error> {
    let mut opened = open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let context = load_plan(&mut opened, None).await?.ok_or(Error::NotFound)?;
    let versions = opened.tx.plan_versions(&context.granted).await?;
    opened.finish_read(app).await?;
    Ok((context, versions))
}
