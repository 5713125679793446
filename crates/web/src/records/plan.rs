//! The core team, the plan and Samen Beslissen, reached through the client's access rule.
//! Every change to the plan is a new version with who, when and why, in one transaction with
//! its audit row.

use super::{
    change_trajectory, daily_activity_instrument, life_domain_instrument, open_trajectory_as,
};
use crate::AppError;
use crate::context::Caller;
use regie_domain::validation::text;
use regie_domain::{
    AgreementInput, CareInput, CoreTeam, DecisionInput, Discipline, FieldError, GoalInput,
    GoalStatusInput, InstrumentDefinition, InterventionInput, Phase, Plan, Responsible, Role,
    TeamChange, TeamProfessional,
};
use regie_storage::{
    CatalogueIntervention, Client, CoreTeamMember, Db, Handover, PlanVersion, StorageError,
    StoredAid, StoredDecision, StoredNetworkMember, Trajectory, Tx,
};
use time::OffsetDateTime;

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

    fn core_team(&self) -> CoreTeam {
        CoreTeam {
            coordinator_id: self.trajectory.coordinator_id,
            professionals: self
                .team
                .iter()
                .filter_map(|m| {
                    Some(TeamProfessional {
                        user_id: m.user_id?,
                        discipline: m.discipline.unwrap_or(Discipline::Anders),
                    })
                })
                .collect(),
            network_member_id: self.team.iter().find_map(|m| m.network_member_id),
        }
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

async fn load_context(
    tx: &mut Tx,
    trajectory: Trajectory,
    client: Client,
    version: Option<i64>,
    life_domains: InstrumentDefinition,
    activities: InstrumentDefinition,
) -> Result<PlanContext, AppError> {
    let id = trajectory.id;
    let newest = tx.plan_latest(id).await?;
    let newest_number = newest.as_ref().map_or(0, |v| v.number);
    let version = match version {
        Some(number) if number != newest_number => Some(
            tx.plan_version(id, number)
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        _ => newest,
    };
    Ok(PlanContext {
        team: tx.core_team(id).await?,
        network: tx.network_for_client(client.id).await?,
        interventions: tx.interventions().await?,
        aids: tx.aids_search("", None, true).await?,
        handovers: tx.coordinator_handovers(id).await?,
        decisions: tx.decisions(id).await?,
        max_concurrent: tx.max_concurrent_interventions().await?,
        newest: newest_number,
        version,
        trajectory,
        client,
        life_domains,
        activities,
    })
}

/// Opens a trajectory's plan (a given version, or the newest) with its team, for reading or
/// printing; the access is audited as `event`.
pub async fn open_plan(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    version: Option<i64>,
    event: regie_domain::AuditEvent,
) -> Result<PlanContext, AppError> {
    let life_domains = life_domain_instrument(db).await?;
    let activities = daily_activity_instrument(db).await?;
    let (trajectory, client) = open_trajectory_as(db, caller, trajectory_id, event).await?;
    let mut tx = db.begin().await?;
    let context = load_context(
        &mut tx,
        trajectory,
        client,
        version,
        life_domains,
        activities,
    )
    .await?;
    tx.commit().await?;
    Ok(context)
}

fn closed(trajectory: &Trajectory) -> Result<(), AppError> {
    if trajectory.phase == Phase::Afgesloten {
        return Err(AppError::Invalid(vec![FieldError::new(
            "form",
            "error-trajectory-closed",
        )]));
    }
    Ok(())
}

/// Changes the plan: `change` edits a copy of the newest version; when it changed anything,
/// that copy is stored as the next version with `reason`. Returns the version number now
/// current. Access is checked before any input.
pub async fn change_plan<T>(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    reason: &str,
    change: impl FnOnce(&mut Plan, &PlanContext) -> Result<T, Vec<FieldError>>,
) -> Result<(i64, T), AppError> {
    let life_domains = life_domain_instrument(db).await?;
    let activities = daily_activity_instrument(db).await?;
    let now = OffsetDateTime::now_utc();
    let (mut tx, trajectory, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    closed(&trajectory)?;
    let client = tx
        .client_get(trajectory.client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let context = load_context(&mut tx, trajectory, client, None, life_domains, activities).await?;
    let reason = text("reason", reason, false)
        .map_err(|e| AppError::Invalid(vec![e]))?
        .unwrap_or_default();
    let before = context.plan();
    let mut plan = before.clone();
    let outcome = change(&mut plan, &context).map_err(AppError::Invalid)?;
    if plan == before {
        return Ok((context.newest, outcome));
    }
    let number = context.newest + 1;
    match tx
        .plan_save(trajectory_id, number, &plan, &reason, caller.user.id, now)
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
    entry.object_type = Some("plan".into());
    entry.object_id = Some(format!("{trajectory_id}/{number}"));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok((number, outcome))
}

/// Adds a goal in the client's words; returns the version and the goal's number.
pub async fn add_goal(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &GoalInput,
    reason: &str,
) -> Result<(i64, u32), AppError> {
    change_plan(db, caller, trajectory_id, reason, |plan, ctx| {
        let content = input.validate(&ctx.domain_keys(), &ctx.activity_keys())?;
        Ok(plan.add_goal(content))
    })
    .await
}

pub async fn rewrite_goal(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    goal_id: u32,
    input: &GoalInput,
    reason: &str,
) -> Result<i64, AppError> {
    change_plan(db, caller, trajectory_id, reason, |plan, ctx| {
        let content = input.validate(&ctx.domain_keys(), &ctx.activity_keys())?;
        plan.rewrite_goal(goal_id, content)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

pub async fn set_goal_status(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    goal_id: u32,
    input: &GoalStatusInput,
) -> Result<i64, AppError> {
    let reason = input.reason.clone();
    change_plan(db, caller, trajectory_id, &reason, |plan, _| {
        let change = input.validate()?;
        plan.set_goal_status(goal_id, change)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

/// Adds an intervention from the catalogue (not a retired one) to a goal.
pub async fn add_intervention(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    goal_id: u32,
    input: &InterventionInput,
    reason: &str,
) -> Result<(i64, u32), AppError> {
    let today = OffsetDateTime::now_utc().date();
    change_plan(db, caller, trajectory_id, reason, |plan, ctx| {
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

pub async fn end_intervention(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    intervention_id: u32,
    reason: &str,
) -> Result<i64, AppError> {
    let today = OffsetDateTime::now_utc().date();
    change_plan(db, caller, trajectory_id, reason, |plan, _| {
        plan.end_intervention(intervention_id, today)
            .map_err(|e| vec![e.field_error()])
    })
    .await
    .map(|(version, ())| version)
}

pub async fn set_agreement(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &AgreementInput,
    reason: &str,
) -> Result<i64, AppError> {
    change_plan(db, caller, trajectory_id, reason, |plan, ctx| {
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

pub async fn set_care(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &CareInput,
    reason: &str,
) -> Result<i64, AppError> {
    change_plan(db, caller, trajectory_id, reason, |plan, _| {
        plan.set_care(input.validate()?);
        Ok(())
    })
    .await
    .map(|(version, ())| version)
}

pub async fn remove_care(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    discipline: &str,
    reason: &str,
) -> Result<i64, AppError> {
    change_plan(db, caller, trajectory_id, reason, |plan, _| {
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

fn user_choice(field: &'static str, raw: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse()
        .map_err(|_| AppError::Invalid(vec![FieldError::new(field, "error-required")]))
}

pub async fn change_team(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    request: TeamRequest<'_>,
) -> Result<(), AppError> {
    let life_domains = life_domain_instrument(db).await?;
    let activities = daily_activity_instrument(db).await?;
    let now = OffsetDateTime::now_utc();
    let (mut tx, trajectory, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    closed(&trajectory)?;
    let client = tx
        .client_get(trajectory.client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let context = load_context(&mut tx, trajectory, client, None, life_domains, activities).await?;
    let mut team = context.core_team();
    let invalid = |e: FieldError| AppError::Invalid(vec![e]);
    let by = caller.user.id;
    let change = match request {
        TeamRequest::Add {
            user_id,
            discipline,
            contact,
        } => {
            let user_id = user_choice("user_id", user_id)?;
            let user = tx
                .user_get(user_id)
                .await?
                .filter(|u| u.active && u.role != Role::Analyst)
                .ok_or_else(|| invalid(FieldError::new("user_id", "error-choice-unknown")))?;
            let discipline = match discipline.trim() {
                "" => user.discipline,
                other => Discipline::parse(other).map_err(invalid)?,
            };
            let contact = text("contact", contact, false).map_err(invalid)?;
            let change = team
                .add_professional(user.id, discipline)
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
                        return Err(invalid(FieldError::new(
                            "to",
                            "error-plan-changed-meanwhile",
                        )));
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

/// Who can join a core team: active users who work with records (not analysts).
pub async fn team_candidates(db: &Db) -> Result<Vec<regie_storage::User>, AppError> {
    let mut tx = db.begin().await?;
    let users = tx.users_list().await?;
    tx.commit().await?;
    Ok(users
        .into_iter()
        .filter(|u| u.active && u.role != Role::Analyst)
        .collect())
}

pub async fn add_decision(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &DecisionInput,
) -> Result<i64, AppError> {
    let now = OffsetDateTime::now_utc();
    let (mut tx, _, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    let decision = input.validate().map_err(AppError::Invalid)?;
    let id = tx
        .decision_add(trajectory_id, &decision, caller.user.id, now)
        .await?;
    entry.object_type = Some("shared_decision".into());
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}
