//! Reaching client records: the access rule from the domain applied on the server, with the
//! audit row written in the same transaction. Pages and API both go through here.

pub mod plan;
pub mod visits;

use crate::AppError;
use crate::context::Caller;
use regie_domain::audit::AuditEntry;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::{AccessDecision, Bsn, ClientScope};
use regie_domain::{
    AssessmentInput, ClientDetails, Closure, FieldError, InstrumentDefinition, Phase, Role,
    TrajectoryInput,
};
use regie_storage::{Client, ClientSummary, Db, StorageError, StoredAssessment, Trajectory, Tx};
use time::OffsetDateTime;

/// The access rule for this caller and client: serving teams and the open core team.
fn access(caller: &Caller, client: &Client) -> AccessDecision {
    caller
        .actor
        .client_access(&client.team_ids, &client.core_team_user_ids)
}

/// Opens one client's record for `event` (read, print, export, …).
pub async fn open_client(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    event: AuditEvent,
) -> Result<Client, AppError> {
    let mut tx = db.begin().await?;
    let client = tx.client_get(client_id).await?;
    let decision = match &client {
        Some(client) => access(caller, client),
        None => AccessDecision::DeniedNotOnTeam,
    };
    let outcome = match (&client, decision) {
        (None, _) => Outcome::Failed,
        (Some(_), AccessDecision::Allowed) => Outcome::Allowed,
        (Some(_), _) => Outcome::Denied,
    };
    let mut entry = caller.audit(event, outcome);
    entry.client_id = client.as_ref().map(|c| c.id);
    entry.object_type = Some("client".into());
    entry.object_id = Some(client_id.to_string());
    entry.detail = match decision {
        AccessDecision::DeniedAggregatesOnly => Some("analysts see aggregates only".into()),
        AccessDecision::DeniedNotOnTeam if client.is_some() => {
            Some("not on a team serving this client".into())
        }
        _ => None,
    };
    tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    match (client, outcome) {
        (Some(client), Outcome::Allowed) => Ok(client),
        (None, _) => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// One page of the clients the caller may see whose name contains `query`.
pub async fn search_clients(
    db: &Db,
    caller: &Caller,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClientSummary>, i64), AppError> {
    let scope = caller.actor.client_scope();
    // A search term that is a valid BSN also finds the client with exactly that number.
    let bsn = Bsn::parse(query).ok();
    let bsn = bsn.as_ref().map(Bsn::as_str);
    let mut tx = db.begin().await?;
    let result = match &scope {
        ClientScope::ServedByTeams(team_ids) => Some(
            tx.clients_search(team_ids, query, bsn, caller.user.id, limit, offset)
                .await?,
        ),
        ClientScope::None => None,
    };
    let outcome = if result.is_some() {
        Outcome::Allowed
    } else {
        Outcome::Denied
    };
    let mut entry = caller.audit(AuditEvent::ClientSearch, outcome);
    entry.object_type = Some("client".into());
    // The search term is part of what NEN 7513 asks to record about a search; a BSN is not
    // written out in full.
    entry.detail = Some(match bsn {
        Some(_) => format!("bsn search offset={offset}"),
        None => format!("query={query:?} offset={offset}"),
    });
    tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    result.ok_or(AppError::Forbidden)
}

/// Teams a caller may put a client under: their own, plus those already serving the client.
fn check_teams(caller: &Caller, details: &ClientDetails, already: &[i64]) -> Result<(), AppError> {
    let allowed = |team: &i64| caller.actor.team_ids.contains(team) || already.contains(team);
    if details.team_ids.iter().all(allowed) {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::new(
            "team_ids",
            "error-client-team-not-yours",
        )]))
    }
}

fn bsn_taken(error: StorageError) -> AppError {
    match error {
        StorageError::Conflict("bsn") => {
            AppError::Invalid(vec![FieldError::new("bsn", "error-bsn-taken")])
        }
        other => other.into(),
    }
}

/// Registers a client under teams the caller is in; the audit row commits with it.
pub async fn create_client(
    db: &Db,
    caller: &Caller,
    details: &ClientDetails,
) -> Result<i64, AppError> {
    if caller.actor.client_scope() == ClientScope::None {
        return Err(AppError::Forbidden);
    }
    check_teams(caller, details, &[])?;
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    let id = tx.client_create(details, now).await.map_err(bsn_taken)?;
    let mut entry = caller.audit(AuditEvent::ClientCreate, Outcome::Allowed);
    entry.client_id = Some(id);
    entry.object_type = Some("client".into());
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a client's details, if the caller may reach the client; refusals are audited too.
pub async fn update_client(
    db: &Db,
    caller: &Caller,
    id: i64,
    details: &ClientDetails,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    let client = tx.client_get(id).await?.ok_or(AppError::NotFound)?;
    let allowed = access(caller, &client).is_allowed();
    let mut entry = caller.audit(
        AuditEvent::ClientUpdate,
        if allowed {
            Outcome::Allowed
        } else {
            Outcome::Denied
        },
    );
    entry.client_id = Some(id);
    entry.object_type = Some("client".into());
    entry.object_id = Some(id.to_string());
    if !allowed {
        tx.audit_append(&entry, now).await?;
        tx.commit().await?;
        return Err(AppError::Forbidden);
    }
    check_teams(caller, details, &client.team_ids)?;
    tx.client_update(id, details, now)
        .await
        .map_err(bsn_taken)?;
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a refused access and answers 403: the refusal commits even though nothing else does.
async fn refuse(mut tx: Tx, mut entry: AuditEntry) -> AppError {
    entry.outcome = Outcome::Denied.code().into();
    let written = async {
        tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
        tx.commit().await
    };
    match written.await {
        Ok(()) => AppError::Forbidden,
        Err(error) => error.into(),
    }
}

fn trajectory_entry(caller: &Caller, event: AuditEvent, trajectory: &Trajectory) -> AuditEntry {
    let mut entry = caller.audit(event, Outcome::Allowed);
    entry.client_id = Some(trajectory.client_id);
    entry.object_type = Some("trajectory".into());
    entry.object_id = Some(trajectory.id.to_string());
    entry
}

/// Starts a change to a trajectory: the trajectory, if the caller may reach its client (checked
/// before any input, so someone off the team learns nothing; a refusal is audited and answered
/// 403), with the transaction and the audit entry the change commits with.
async fn change_trajectory(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<(Tx, Trajectory, AuditEntry), AppError> {
    let mut tx = db.begin().await?;
    let trajectory = tx
        .trajectory_get(trajectory_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let client = tx
        .client_get(trajectory.client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = trajectory_entry(caller, AuditEvent::ClientUpdate, &trajectory);
    if !access(caller, &client).is_allowed() {
        return Err(refuse(tx, entry).await);
    }
    Ok((tx, trajectory, entry))
}

/// Opens a trajectory, reached through its client's access rule, with its client.
pub async fn open_trajectory(
    db: &Db,
    caller: &Caller,
    id: i64,
) -> Result<(Trajectory, Client), AppError> {
    open_trajectory_as(db, caller, id, AuditEvent::ClientRead).await
}

/// Opens a trajectory for `event` (a read, a print), audited as such.
pub async fn open_trajectory_as(
    db: &Db,
    caller: &Caller,
    id: i64,
    event: AuditEvent,
) -> Result<(Trajectory, Client), AppError> {
    let mut tx = db.begin().await?;
    let trajectory = tx.trajectory_get(id).await?.ok_or(AppError::NotFound)?;
    let client = tx
        .client_get(trajectory.client_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = trajectory_entry(caller, event, &trajectory);
    if !access(caller, &client).is_allowed() {
        return Err(refuse(tx, entry).await);
    }
    tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok((trajectory, client))
}

/// Who may coordinate a client's trajectory: active professionals, team leads and admins in a
/// team that serves the client (analysts never see records).
pub async fn coordinator_candidates(
    db: &Db,
    client: &Client,
) -> Result<Vec<regie_storage::User>, AppError> {
    let mut tx = db.begin().await?;
    let users = tx.users_in_teams(&client.team_ids).await?;
    tx.commit().await?;
    Ok(users
        .into_iter()
        .filter(|u| u.role != Role::Analyst)
        .collect())
}

/// Starts a trajectory for a client the caller may reach (checked before the input, so someone
/// off the team learns nothing from validation); one open trajectory at a time.
pub async fn start_trajectory(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    input: &TrajectoryInput,
) -> Result<i64, AppError> {
    let now = OffsetDateTime::now_utc();
    let client = {
        let (tx, client, _) = change_client(db, caller, client_id, "trajectory").await?;
        tx.commit().await?;
        client
    };
    let new = input.validate(now.date()).map_err(AppError::Invalid)?;
    if !coordinator_candidates(db, &client)
        .await?
        .iter()
        .any(|u| u.id == new.coordinator_id)
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "coordinator_id",
            "error-coordinator-not-on-team",
        )]));
    }
    let mut tx = db.begin().await?;
    let id = match tx
        .trajectory_create(client_id, &new, caller.user.id, now)
        .await
    {
        Ok(id) => id,
        Err(StorageError::Conflict(_)) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "form",
                "error-trajectory-active",
            )]));
        }
        Err(other) => return Err(other.into()),
    };
    let mut entry = caller.audit(AuditEvent::ClientUpdate, Outcome::Allowed);
    entry.client_id = Some(client_id);
    entry.object_type = Some("trajectory".into());
    entry.object_id = Some(id.to_string());
    entry.detail = Some("started".into());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves a trajectory to another phase, as the domain allows; the step lands on the timeline.
pub async fn change_phase(
    db: &Db,
    caller: &Caller,
    id: i64,
    to: Phase,
    closure: Option<Closure>,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let (mut tx, trajectory, mut entry) = change_trajectory(db, caller, id).await?;
    let closure = closure.map(Closure::validate).transpose()?;
    let to = trajectory.phase.transition(to, closure.as_ref())?;
    match tx
        .trajectory_set_phase(
            id,
            trajectory.phase,
            to,
            closure.as_ref(),
            caller.user.id,
            now,
        )
        .await
    {
        Err(StorageError::Conflict(_)) => {
            return Err(AppError::Invalid(vec![FieldError::new(
                "phase",
                "error-phase-changed-meanwhile",
            )]));
        }
        other => other?,
    }
    entry.detail = Some(format!("{} -> {}", trajectory.phase.as_str(), to.as_str()));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The instrument for life-domain self-reliance.
pub const LIFE_DOMAINS: &str = "zelfredzaamheid";

/// The instrument new life-domain assessments are given on: its newest installed version.
pub async fn life_domain_instrument(db: &Db) -> Result<InstrumentDefinition, AppError> {
    let mut tx = db.begin().await?;
    let instrument = tx.instrument_latest(LIFE_DOMAINS).await?;
    tx.commit().await?;
    instrument
        .ok_or_else(|| AppError::Internal("the life-domain instrument is not installed".into()))
}

/// A trajectory's assessments, reached through its client's access rule (the read is audited).
pub async fn trajectory_assessments(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<(Trajectory, Client, Vec<StoredAssessment>), AppError> {
    let (trajectory, client) = open_trajectory(db, caller, trajectory_id).await?;
    let mut tx = db.begin().await?;
    let assessments = tx.assessments_for_trajectory(trajectory_id).await?;
    tx.commit().await?;
    Ok((trajectory, client, assessments))
}

/// Records one perspective's view of every life domain; returns its id and the instrument
/// version it was given on.
pub async fn record_assessment(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &AssessmentInput,
) -> Result<(i64, InstrumentDefinition), AppError> {
    let instrument = life_domain_instrument(db).await?;
    let now = OffsetDateTime::now_utc();
    let (mut tx, _, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    let assessment = input.validate(&instrument).map_err(AppError::Invalid)?;
    let id = tx
        .assessment_create(
            trajectory_id,
            (&instrument.key, &instrument.version),
            &assessment,
            caller.user.id,
            now,
        )
        .await?;
    entry.object_type = Some("assessment".into());
    entry.object_id = Some(id.to_string());
    entry.detail = Some(format!(
        "{} {}",
        assessment.perspective.as_str(),
        assessment.moment.as_str()
    ));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok((id, instrument))
}

/// Adds a note on what matters to the client of a trajectory the caller may reach.
pub async fn add_matters_note(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    kind: &str,
    text: &str,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let (mut tx, _, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    let (kind, text) = regie_domain::parse_matters_note(kind, text).map_err(AppError::Invalid)?;
    let id = tx
        .matters_add(trajectory_id, kind, &text, caller.user.id, now)
        .await?;
    entry.object_type = Some("what_matters".into());
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The instrument for daily activities.
pub const DAILY_ACTIVITIES: &str = "dagelijkse-activiteiten";

pub async fn daily_activity_instrument(db: &Db) -> Result<InstrumentDefinition, AppError> {
    let mut tx = db.begin().await?;
    let instrument = tx.instrument_latest(DAILY_ACTIVITIES).await?;
    tx.commit().await?;
    instrument.ok_or_else(|| {
        AppError::Internal("the daily-activities instrument is not installed".into())
    })
}

/// Records the support the client gets now per daily activity, and what they want to (re)learn.
pub async fn record_activities(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    input: &[regie_domain::ActivityInput],
) -> Result<i64, AppError> {
    let instrument = daily_activity_instrument(db).await?;
    let now = OffsetDateTime::now_utc();
    let (mut tx, _, mut entry) = change_trajectory(db, caller, trajectory_id).await?;
    let activities =
        regie_domain::validate_activities(input, &instrument).map_err(AppError::Invalid)?;
    let id = tx
        .activities_create(
            trajectory_id,
            (&instrument.key, &instrument.version),
            &activities,
            caller.user.id,
            now,
        )
        .await?;
    entry.object_type = Some("daily_activities".into());
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Starts a change to a client's record: the client, if the caller may reach them (a refusal is
/// audited and answered 403), with the transaction the change and its audit row commit in.
async fn change_client(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    object_type: &str,
) -> Result<(Tx, Client, AuditEntry), AppError> {
    let mut tx = db.begin().await?;
    let client = tx.client_get(client_id).await?.ok_or(AppError::NotFound)?;
    let mut entry = caller.audit(AuditEvent::ClientUpdate, Outcome::Allowed);
    entry.client_id = Some(client_id);
    entry.object_type = Some(object_type.into());
    if !access(caller, &client).is_allowed() {
        return Err(refuse(tx, entry).await);
    }
    Ok((tx, client, entry))
}

/// The people around a client, with the client's own summary and balance (the read is audited).
pub async fn client_network(
    db: &Db,
    caller: &Caller,
    client_id: i64,
) -> Result<
    (
        Client,
        Vec<regie_storage::StoredNetworkMember>,
        Option<regie_domain::NetworkSummary>,
        Option<regie_domain::Balance>,
    ),
    AppError,
> {
    let client = open_client(db, caller, client_id, AuditEvent::ClientRead).await?;
    let mut tx = db.begin().await?;
    let members = tx.network_for_client(client_id).await?;
    let (summary, balance) = tx.client_network_summary(client_id).await?;
    tx.commit().await?;
    Ok((client, members, summary, balance))
}

pub async fn add_network_member(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    input: &regie_domain::NetworkMemberInput,
) -> Result<i64, AppError> {
    let (mut tx, _, mut entry) = change_client(db, caller, client_id, "network_member").await?;
    let member = input.validate().map_err(AppError::Invalid)?;
    let now = OffsetDateTime::now_utc();
    let id = tx
        .network_add(client_id, &member, caller.user.id, now)
        .await?;
    entry.object_id = Some(id.to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the client's summary of their network and balance; an empty choice clears it.
pub async fn set_network_summary(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    summary: &str,
    balance: &str,
) -> Result<(), AppError> {
    let (mut tx, _, entry) = change_client(db, caller, client_id, "network_summary").await?;
    let mut problems = Vec::new();
    let summary = (!summary.is_empty())
        .then(|| {
            regie_domain::validation::collect(
                regie_domain::NetworkSummary::parse(summary),
                &mut problems,
            )
        })
        .flatten();
    let balance = (!balance.is_empty())
        .then(|| {
            regie_domain::validation::collect(regie_domain::Balance::parse(balance), &mut problems)
        })
        .flatten();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let now = OffsetDateTime::now_utc();
    tx.client_set_network_summary(client_id, summary, balance)
        .await?;
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}
