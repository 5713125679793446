//! Reaching client records: the access rule from the domain applied on the server, with the
//! audit row written in the same transaction. Pages and API both go through here.

pub mod conflict;
pub mod plan;
pub mod visits;

use crate::AppError;
use crate::context::Caller;
use conflict::{ClientVersionChange, Meanwhile};
use regie_domain::audit::AuditEntry;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::{
    AssessmentInput, Bsn, Capabilities, ClientInput, ClientScope, Closure, FieldError,
    InstrumentDefinition, Permission, Phase, Refusal, Relation, Role, StatedReason,
    TrajectoryInput,
};
use regie_storage::{
    Client, ClientSummary, Db, StorageError, StoredAssessment, StoredVisit, Trajectory, Tx,
};
use time::OffsetDateTime;

/// Which record a request is about, as its URL names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Client(i64),
    Trajectory(i64),
    Visit(i64),
}

impl Target {
    fn object(self) -> (&'static str, i64) {
        match self {
            Target::Client(id) => ("client", id),
            Target::Trajectory(id) => ("trajectory", id),
            Target::Visit(id) => ("visit", id),
        }
    }
}

/// How the caller stands to one client's record: pages show only what it permits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Access {
    pub role: Role,
    pub relation: Relation,
}

impl Access {
    pub fn may(&self, permission: Permission) -> bool {
        permission.decide(self.role, self.relation).is_ok()
    }
}

/// A client's record opened for one permission: the domain rule said yes, and the
/// transaction the use case continues in. `entry` is this use case's audit row (allowed,
/// naming the client and the object); a change fills in its detail and appends it with the
/// change.
pub struct Opened {
    pub tx: Tx,
    pub client: Client,
    pub trajectory: Option<Trajectory>,
    pub visit: Option<StoredVisit>,
    pub access: Access,
    pub entry: AuditEntry,
}

/// Writes the audit row of a refused or failed access and answers with `error`: the row
/// commits even though nothing else does.
async fn audited(mut tx: Tx, entry: AuditEntry, error: AppError) -> AppError {
    let written = async {
        tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
        tx.commit().await
    };
    match written.await {
        Ok(()) => error,
        Err(storage) => storage.into(),
    }
}

/// Opens a record for a change (`permission`), audited as `client.update`: see [`open`].
pub async fn change(
    db: &Db,
    caller: &Caller,
    target: Target,
    permission: Permission,
) -> Result<Opened, AppError> {
    open(db, caller, target, permission, AuditEvent::ClientUpdate).await
}

/// Refuses, within a use case that passed the access check, what the input asks for (someone
/// appointing themselves, say): the refusal is audited and nothing else commits.
pub(crate) async fn refuse_within(
    tx: Tx,
    mut entry: AuditEntry,
    refusal: Refusal,
    client_id: i64,
) -> AppError {
    entry.outcome = Outcome::Denied.code().into();
    entry.detail = Some(refusal.audit_detail().into());
    let error = AppError::Refused {
        refusal,
        client_id: Some(client_id),
    };
    audited(tx, entry, error).await
}

/// Opens the record `target` belongs to for `permission`, asking the domain's rule with the
/// caller's relation to the client. Anything not found, and every refusal, is audited as
/// `event` before the error is returned; nothing else is read or written before the decision.
pub async fn open(
    db: &Db,
    caller: &Caller,
    target: Target,
    permission: Permission,
    event: AuditEvent,
) -> Result<Opened, AppError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db.begin().await?;
    let (object_type, object_id) = target.object();
    let mut entry = caller.audit(event, Outcome::Allowed);
    entry.object_type = Some(object_type.into());
    entry.object_id = Some(object_id.to_string());
    let missing = |mut entry: AuditEntry| {
        entry.outcome = Outcome::Failed.code().into();
        entry.detail = Some("not found".into());
        entry
    };
    let visit = match target {
        Target::Visit(id) => match tx.visit_get(id).await? {
            Some(visit) => Some(visit),
            None => return Err(audited(tx, missing(entry), AppError::NotFound).await),
        },
        _ => None,
    };
    let trajectory_id = match target {
        Target::Trajectory(id) => Some(id),
        _ => visit.as_ref().map(|v| v.trajectory_id),
    };
    let trajectory = match trajectory_id {
        Some(id) => match tx.trajectory_get(id).await? {
            Some(trajectory) => Some(trajectory),
            None => return Err(audited(tx, missing(entry), AppError::NotFound).await),
        },
        None => None,
    };
    let client_id = match (&target, &trajectory) {
        (_, Some(trajectory)) => trajectory.client_id,
        (_, None) => object_id,
    };
    let Some(client) = tx.client_get(client_id).await? else {
        return Err(audited(tx, missing(entry), AppError::NotFound).await);
    };
    entry.client_id = Some(client.id);
    let coordinator = trajectory
        .as_ref()
        .map(|t| t.coordinator_id)
        .or(client.open_coordinator_id);
    let actor = &caller.actor;
    let mut relation = Relation::of(
        actor,
        &client.team_ids,
        &client.core_team_user_ids,
        coordinator,
        false,
    );
    // Only a team lead outside the core team depends on a stated reason: ask only then.
    if actor.role == Role::TeamLead
        && relation.serving_team
        && !relation.core_team
        && !relation.coordinator
    {
        relation.stated_reason = tx
            .stated_reason_valid(caller.user.id, client.id, now)
            .await?;
    }
    let permission = match (permission, &visit) {
        (Permission::CorrectVisit { .. }, Some(v)) => Permission::CorrectVisit {
            author: v.user_id == caller.user.id,
        },
        (Permission::MarkVisitInError { .. }, Some(v)) => Permission::MarkVisitInError {
            author: v.user_id == caller.user.id,
        },
        (other, _) => other,
    };
    if let Err(refusal) = permission.decide(actor.role, relation) {
        entry.outcome = Outcome::Denied.code().into();
        entry.detail = Some(refusal.audit_detail().into());
        let error = AppError::Refused {
            refusal,
            client_id: Some(client.id),
        };
        return Err(audited(tx, entry, error).await);
    }
    if relation.stated_reason {
        entry.detail = Some("opened with a stated reason".into());
    }
    Ok(Opened {
        tx,
        client,
        trajectory,
        visit,
        access: Access {
            role: actor.role,
            relation,
        },
        entry,
    })
}

/// Asks the rule before a request's input is read (the API reads its body after this): a
/// refusal or a missing record is audited and answered here; when allowed, nothing is written
/// (the use case that follows writes its own row).
pub async fn check(
    db: &Db,
    caller: &Caller,
    target: Target,
    permission: Permission,
) -> Result<(), AppError> {
    let event = if permission.is_change() {
        AuditEvent::ClientUpdate
    } else {
        AuditEvent::ClientRead
    };
    let opened = open(db, caller, target, permission, event).await?;
    opened.tx.rollback().await?;
    Ok(())
}

/// [`check`] for registering a client: whether the caller's role registers clients at all.
pub async fn check_register(db: &Db, caller: &Caller) -> Result<(), AppError> {
    if Capabilities::of(&caller.actor).register_clients {
        return Ok(());
    }
    let (entry, error) = registration_refused(caller, role_refusal(caller));
    Err(audited(db.begin().await?, entry, error).await)
}

/// [`check`] for searching clients: whether the caller's role sees client lists at all.
pub async fn check_search(db: &Db, caller: &Caller) -> Result<(), AppError> {
    if Capabilities::of(&caller.actor).clients {
        return Ok(());
    }
    let mut entry = caller.audit(AuditEvent::ClientSearch, Outcome::Denied);
    entry.object_type = Some("client".into());
    let refusal = role_refusal(caller);
    entry.detail = Some(refusal.audit_detail().into());
    let error = AppError::Refused {
        refusal,
        client_id: None,
    };
    Err(audited(db.begin().await?, entry, error).await)
}

/// Why a role is refused what it never does: analysts see aggregates only; others it is not
/// theirs to do.
fn role_refusal(caller: &Caller) -> Refusal {
    if caller.actor.role == Role::Analyst {
        Refusal::AggregatesOnly
    } else {
        Refusal::NotForRole
    }
}

fn registration_refused(caller: &Caller, refusal: Refusal) -> (AuditEntry, AppError) {
    let mut entry = caller.audit(AuditEvent::ClientCreate, Outcome::Denied);
    entry.object_type = Some("client".into());
    entry.detail = Some(refusal.audit_detail().into());
    let error = AppError::Refused {
        refusal,
        client_id: None,
    };
    (entry, error)
}

/// What a read returns: the record, and what the caller may do with it.
pub struct Read {
    pub client: Client,
    pub trajectory: Option<Trajectory>,
    pub visit: Option<StoredVisit>,
    pub access: Access,
}

/// Opens a record for reading (or printing, exporting: `event`); the read is audited.
pub async fn read(
    db: &Db,
    caller: &Caller,
    target: Target,
    event: AuditEvent,
) -> Result<Read, AppError> {
    read_for(db, caller, target, Permission::ReadRecord, event).await
}

/// Opens a record to show the form for a change: only to those who may make the change (a
/// form they could not send is refused, and audited, before it is shown). The read is audited.
pub async fn read_for(
    db: &Db,
    caller: &Caller,
    target: Target,
    permission: Permission,
    event: AuditEvent,
) -> Result<Read, AppError> {
    let Opened {
        mut tx,
        client,
        trajectory,
        visit,
        access,
        entry,
    } = open(db, caller, target, permission, event).await?;
    tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Read {
        client,
        trajectory,
        visit,
        access,
    })
}

/// Writes a failed-access row for something inside a record that does not exist (a goal, a
/// plan version, an intervention) and answers 404.
pub async fn not_found_in(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    object_type: &str,
    object_id: &str,
) -> AppError {
    let mut entry = caller.audit(AuditEvent::ClientRead, Outcome::Failed);
    entry.client_id = Some(client_id);
    entry.object_type = Some(object_type.into());
    entry.object_id = Some(object_id.into());
    entry.detail = Some("not found".into());
    match db.begin().await {
        Ok(tx) => audited(tx, entry, AppError::NotFound).await,
        Err(error) => error.into(),
    }
}

/// Refuses something the caller's role may not open at all (a page of the menu they do not
/// have), audited as `page.access` with the path.
pub async fn refuse_page(db: &Db, caller: &Caller, path: &str) -> AppError {
    let mut entry = caller.audit(AuditEvent::PageAccess, Outcome::Denied);
    entry.detail = Some(path.to_string());
    match db.begin().await {
        Ok(tx) => {
            audited(
                tx,
                entry,
                AppError::Refused {
                    refusal: Refusal::NotForRole,
                    client_id: None,
                },
            )
            .await
        }
        Err(error) => error.into(),
    }
}

/// Opens one client's record for `event` (read, print, export, …).
pub async fn open_client(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    event: AuditEvent,
) -> Result<Client, AppError> {
    Ok(read(db, caller, Target::Client(client_id), event)
        .await?
        .client)
}

/// One page of the clients the caller may see whose name contains `query`.
pub async fn search_clients(
    db: &Db,
    caller: &Caller,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClientSummary>, i64), AppError> {
    // A search term that is a valid BSN also finds the client with exactly that number.
    let bsn = Bsn::parse(query).ok();
    let bsn = bsn.as_ref().map(Bsn::as_str);
    let mut tx = db.begin().await?;
    let mut entry = caller.audit(AuditEvent::ClientSearch, Outcome::Allowed);
    entry.object_type = Some("client".into());
    // The search term is part of what NEN 7513 asks to record about a search; a BSN is not
    // written out in full.
    entry.detail = Some(match bsn {
        Some(_) => format!("bsn search offset={offset}"),
        None => format!("query={query:?} offset={offset}"),
    });
    let team_ids = match caller.actor.client_scope() {
        ClientScope::ServedByTeams(team_ids) if Capabilities::of(&caller.actor).clients => team_ids,
        _ => {
            entry.outcome = Outcome::Denied.code().into();
            let refusal = role_refusal(caller);
            let error = AppError::Refused {
                refusal,
                client_id: None,
            };
            return Err(audited(tx, entry, error).await);
        }
    };
    let result = tx
        .clients_search(&team_ids, query, bsn, caller.user.id, limit, offset)
        .await?;
    tx.audit_append(&entry, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(result)
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
pub async fn create_client(db: &Db, caller: &Caller, input: &ClientInput) -> Result<i64, AppError> {
    let now = OffsetDateTime::now_utc();
    let refused = |refusal: Refusal| {
        let mut entry = caller.audit(AuditEvent::ClientCreate, Outcome::Denied);
        entry.object_type = Some("client".into());
        entry.detail = Some(refusal.audit_detail().into());
        let error = AppError::Refused {
            refusal,
            client_id: None,
        };
        (entry, error)
    };
    if !Capabilities::of(&caller.actor).register_clients {
        let (entry, error) = refused(if caller.actor.role == Role::Analyst {
            Refusal::AggregatesOnly
        } else {
            Refusal::NotForRole
        });
        return Err(audited(db.begin().await?, entry, error).await);
    }
    let details = input.validate(now.date()).map_err(AppError::Invalid)?;
    if let Err(refusal) =
        regie_domain::permissions::may_register_under(&caller.actor, &details.team_ids)
    {
        let (entry, error) = refused(refusal);
        return Err(audited(db.begin().await?, entry, error).await);
    }
    let mut tx = db.begin().await?;
    let id = tx
        .client_create(&details, Some(caller.user.id), now)
        .await
        .map_err(bsn_taken)?;
    let mut entry = caller.audit(AuditEvent::ClientCreate, Outcome::Allowed);
    entry.client_id = Some(id);
    entry.object_type = Some("client".into());
    entry.object_id = Some(id.to_string());
    entry.detail = Some(format!("teams {:?}", details.team_ids));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The version a change is based on: from a form (a stale one may still go through when it
/// overwrites nothing) or from `If-Match` (any other version fails the precondition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasedOn {
    /// Not said (an API call without `If-Match` where none is required).
    Unknown,
    /// A form that should have said, but did not (or not as a number): refused, so that
    /// leaving the field out is no way around the check.
    Missing,
    Form(i64),
    IfMatch(i64),
}

impl BasedOn {
    fn version(self) -> Option<i64> {
        match self {
            BasedOn::Unknown | BasedOn::Missing => None,
            BasedOn::Form(v) | BasedOn::IfMatch(v) => Some(v),
        }
    }

    /// Refuses a form without the version it was based on.
    pub(crate) fn present(self) -> Result<Self, AppError> {
        match self {
            BasedOn::Missing => Err(FieldError::new("form", "error-version-missing").into()),
            other => Ok(other),
        }
    }

    /// What a form sent as its version: a number, or missing.
    pub fn from_form(raw: Option<&str>) -> Self {
        raw.and_then(|v| v.trim().parse().ok())
            .map_or(BasedOn::Missing, BasedOn::Form)
    }
}

/// The part of a client's record a form edits: its details, or its serving teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientPart {
    Details,
    Teams,
}

/// What changed in a client's record since `based_on`, if a save on it would overwrite
/// something: for a form, a change meanwhile of the part it edits (a change of teams does not
/// conflict with the details form, nor the other way round); with `If-Match`, any change.
async fn client_changed_meanwhile(
    tx: &mut Tx,
    client: &Client,
    part: ClientPart,
    based_on: BasedOn,
) -> Result<Option<Meanwhile>, AppError> {
    let Some(base) = based_on.version() else {
        return Ok(None);
    };
    if base == client.version {
        return Ok(None);
    }
    let versions = tx.client_versions_from(client.id, base).await?;
    let current = client.as_input();
    let base_record = versions
        .iter()
        .find(|v| v.version == base)
        .map(|v| v.record.clone());
    let part_changed = base_record.as_ref().is_none_or(|b| match part {
        ClientPart::Details => !b.changed_fields(&current).is_empty(),
        ClientPart::Teams => b.team_ids != current.team_ids,
    });
    if !part_changed && !matches!(based_on, BasedOn::IfMatch(_)) {
        return Ok(None);
    }
    let shown = |record: &ClientInput, field: &str| -> String {
        match field {
            "bsn" => Bsn::parse(&record.bsn)
                .map(|b| b.masked())
                .unwrap_or_default(),
            "name" => record.name.clone(),
            "date_of_birth" => record.date_of_birth.clone(),
            "living_situation" => record.living_situation.clone(),
            "street" => record.street.clone(),
            "house_number" => record.house_number.clone(),
            "postcode" => record.postcode.clone(),
            "city" => record.city.clone(),
            "phone" => record.phone.clone(),
            "email" => record.email.clone(),
            _ => record.referrer.clone(),
        }
    };
    let mut previous = base_record;
    let mut changes = Vec::new();
    for version in versions.iter().filter(|v| v.version > base) {
        let fields = match &previous {
            Some(before) => before
                .changed_fields(&version.record)
                .into_iter()
                .map(|f| (f, shown(&version.record, f)))
                .collect(),
            None => Vec::new(),
        };
        let teams = previous
            .as_ref()
            .is_some_and(|before| before.team_ids != version.record.team_ids);
        changes.push(ClientVersionChange {
            version: version.version,
            author: version.author.clone(),
            at: version.changed_at,
            fields,
            teams,
        });
        previous = Some(version.record.clone());
    }
    Ok(Some(Meanwhile::Client {
        newest: client.version,
        versions: changes,
    }))
}

/// Changes a client's details (not the teams), if the caller may; a save based on a version
/// whose details someone changed meanwhile is refused with those changes. Returns the new
/// version.
pub async fn update_client(
    db: &Db,
    caller: &Caller,
    id: i64,
    input: &ClientInput,
    based_on: BasedOn,
) -> Result<i64, AppError> {
    let now = OffsetDateTime::now_utc();
    let Opened {
        mut tx,
        client,
        mut entry,
        ..
    } = change(
        db,
        caller,
        Target::Client(id),
        Permission::ChangeClientDetails,
    )
    .await?;
    based_on.present()?;
    // The teams are not part of this form: they stay as they are.
    let mut checked = ClientInput {
        team_ids: client.team_ids.clone(),
        ..input.clone()
    };
    // An empty BSN field keeps the number on record (it is never shown in full).
    if checked.bsn.trim().is_empty() {
        checked.bsn = client.bsn.clone().unwrap_or_default();
    }
    let details = checked.validate(now.date()).map_err(AppError::Invalid)?;
    if let Some(meanwhile) =
        client_changed_meanwhile(&mut tx, &client, ClientPart::Details, based_on).await?
    {
        return Err(stale(meanwhile, based_on));
    }
    let version = match tx
        .client_update(id, &details, client.version, caller.user.id, now)
        .await
    {
        Err(StorageError::Conflict("client version")) => {
            return Err(AppError::Conflict("client version"));
        }
        other => other.map_err(bsn_taken)?,
    };
    entry.detail = Some(format!(
        "details: {}",
        client.as_input().changed_fields(&checked).join(", ")
    ));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(version)
}

fn stale(meanwhile: Meanwhile, based_on: BasedOn) -> AppError {
    AppError::Stale {
        meanwhile: Box::new(meanwhile),
        precondition: matches!(based_on, BasedOn::IfMatch(_)),
    }
}

/// The teams serving a client after a change, and the client's version.
pub struct ServingTeams {
    pub team_ids: Vec<i64>,
    pub version: i64,
}

/// Changes which teams serve a client: the coordinator of the open trajectory or a team lead
/// of a serving team; audited with the teams before and after.
pub async fn change_serving_teams(
    db: &Db,
    caller: &Caller,
    id: i64,
    team_ids: &[i64],
    based_on: BasedOn,
) -> Result<ServingTeams, AppError> {
    let now = OffsetDateTime::now_utc();
    let Opened {
        mut tx,
        client,
        mut entry,
        ..
    } = change(
        db,
        caller,
        Target::Client(id),
        Permission::ChangeServingTeams,
    )
    .await?;
    based_on.present()?;
    let teams = regie_domain::serving_teams(team_ids).map_err(AppError::from)?;
    let active: Vec<i64> = tx
        .teams_list()
        .await?
        .into_iter()
        .filter(|t| t.active || client.team_ids.contains(&t.id))
        .map(|t| t.id)
        .collect();
    if teams.iter().any(|t| !active.contains(t)) {
        return Err(FieldError::new("team_ids", "error-choice-unknown").into());
    }
    if let Some(meanwhile) =
        client_changed_meanwhile(&mut tx, &client, ClientPart::Teams, based_on).await?
    {
        return Err(stale(meanwhile, based_on));
    }
    if teams == client.team_ids {
        tx.rollback().await?;
        return Ok(ServingTeams {
            team_ids: teams,
            version: client.version,
        });
    }
    let version = match tx
        .client_set_serving_teams(id, &teams, client.version, caller.user.id, now)
        .await
    {
        Err(StorageError::Conflict(_)) => return Err(AppError::Conflict("client version")),
        other => other?,
    };
    entry.object_type = Some("serving_teams".into());
    entry.detail = Some(format!("teams {:?} -> {:?}", client.team_ids, teams));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(ServingTeams {
        team_ids: teams,
        version,
    })
}

/// A team lead of a serving team states why they open a record (break the glass); the
/// reason is audited and kept, and opens the record for a working day.
pub async fn state_reason(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    reason: &str,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let Opened {
        mut tx, mut entry, ..
    } = open(
        db,
        caller,
        Target::Client(client_id),
        Permission::StateReason,
        AuditEvent::ClientBreakGlass,
    )
    .await?;
    let reason = StatedReason::parse(reason).map_err(AppError::from)?;
    tx.stated_reason_add(
        caller.user.id,
        client_id,
        reason.as_str(),
        now,
        StatedReason::valid_until(now),
    )
    .await?;
    entry.detail = Some(reason.as_str().to_string());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a change to a trajectory for `permission`: the trajectory, with the transaction and
/// the audit entry the change commits with (checked before any input, so someone without the
/// right learns nothing; a refusal is audited and answered 403).
async fn change_trajectory(
    db: &Db,
    caller: &Caller,
    trajectory_id: i64,
    permission: Permission,
) -> Result<(Tx, Trajectory, AuditEntry), AppError> {
    let opened = change(db, caller, Target::Trajectory(trajectory_id), permission).await?;
    let trajectory = opened.trajectory.expect("a trajectory target has one");
    Ok((opened.tx, trajectory, opened.entry))
}

/// Opens a trajectory, reached through its client's access rule, with its client.
pub async fn open_trajectory(
    db: &Db,
    caller: &Caller,
    id: i64,
) -> Result<(Trajectory, Client), AppError> {
    open_trajectory_as(db, caller, id, AuditEvent::ClientRead).await
}

/// Opens a trajectory to show the form for `permission`, audited as a read.
pub async fn open_trajectory_to(
    db: &Db,
    caller: &Caller,
    id: i64,
    permission: Permission,
) -> Result<(Trajectory, Client), AppError> {
    let read = read_for(
        db,
        caller,
        Target::Trajectory(id),
        permission,
        AuditEvent::ClientRead,
    )
    .await?;
    Ok((
        read.trajectory.expect("a trajectory target has one"),
        read.client,
    ))
}

/// Opens a trajectory for `event` (a read, a print), audited as such.
pub async fn open_trajectory_as(
    db: &Db,
    caller: &Caller,
    id: i64,
    event: AuditEvent,
) -> Result<(Trajectory, Client), AppError> {
    let read = read(db, caller, Target::Trajectory(id), event).await?;
    Ok((
        read.trajectory.expect("a trajectory target has one"),
        read.client,
    ))
}

/// Who may coordinate a client's trajectory: active users who work with records (professionals
/// and team leads) in a team that serves the client.
async fn coordinator_candidates_in(
    tx: &mut Tx,
    client: &Client,
) -> Result<Vec<regie_storage::User>, AppError> {
    Ok(tx
        .users_in_teams(&client.team_ids)
        .await?
        .into_iter()
        .filter(|u| regie_domain::permissions::works_with_records(u.role))
        .collect())
}

pub async fn coordinator_candidates(
    db: &Db,
    client: &Client,
) -> Result<Vec<regie_storage::User>, AppError> {
    let mut tx = db.begin().await?;
    let users = coordinator_candidates_in(&mut tx, client).await?;
    tx.commit().await?;
    Ok(users)
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
    let Opened {
        mut tx,
        client,
        mut entry,
        access,
        ..
    } = change(
        db,
        caller,
        Target::Client(client_id),
        Permission::StartTrajectory,
    )
    .await?;
    let new = input.validate(now.date()).map_err(AppError::Invalid)?;
    let appoints_self = new.coordinator_id == caller.user.id;
    if let Err(refusal) =
        regie_domain::permissions::may_appoint(access.role, access.relation, appoints_self)
    {
        return Err(refuse_within(tx, entry, refusal, client.id).await);
    }
    if !coordinator_candidates_in(&mut tx, &client)
        .await?
        .iter()
        .any(|u| u.id == new.coordinator_id)
    {
        return Err(AppError::Invalid(vec![FieldError::new(
            "coordinator_id",
            "error-coordinator-not-on-team",
        )]));
    }
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
    entry.object_type = Some("trajectory".into());
    entry.object_id = Some(id.to_string());
    entry.detail = Some("started".into());
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves a trajectory to another phase (`to`, as typed), as the domain allows; the step lands
/// on the timeline.
pub async fn change_phase(
    db: &Db,
    caller: &Caller,
    id: i64,
    to: &str,
    closure: Option<Closure>,
) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    let (mut tx, trajectory, mut entry) =
        change_trajectory(db, caller, id, Permission::ManageTrajectory).await?;
    let to = Phase::parse(to)?;
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
) -> Result<(Read, Vec<StoredAssessment>), AppError> {
    let read = read(
        db,
        caller,
        Target::Trajectory(trajectory_id),
        AuditEvent::ClientRead,
    )
    .await?;
    let mut tx = db.begin().await?;
    let assessments = tx.assessments_for_trajectory(trajectory_id).await?;
    tx.commit().await?;
    Ok((read, assessments))
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
    let (mut tx, _, mut entry) =
        change_trajectory(db, caller, trajectory_id, Permission::ChangeClientDetails).await?;
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
    let (mut tx, _, mut entry) =
        change_trajectory(db, caller, trajectory_id, Permission::ChangeClientDetails).await?;
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
    let (mut tx, _, mut entry) =
        change_trajectory(db, caller, trajectory_id, Permission::ChangeClientDetails).await?;
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

/// Starts a change to what the team records about a client (network, summary): the client,
/// if the caller may change it (a refusal is audited and answered 403), with the transaction
/// the change and its audit row commit in.
async fn change_client(
    db: &Db,
    caller: &Caller,
    client_id: i64,
    object_type: &str,
) -> Result<(Tx, Client, AuditEntry), AppError> {
    let Opened {
        tx,
        client,
        mut entry,
        ..
    } = change(
        db,
        caller,
        Target::Client(client_id),
        Permission::ChangeClientDetails,
    )
    .await?;
    entry.object_type = Some(object_type.into());
    entry.object_id = None;
    Ok((tx, client, entry))
}

/// The people around a client, with the client's own summary and balance (the read is audited).
pub struct NetworkView {
    pub read: Read,
    pub members: Vec<regie_storage::StoredNetworkMember>,
    pub summary: Option<regie_domain::NetworkSummary>,
    pub balance: Option<regie_domain::Balance>,
}

pub async fn client_network(
    db: &Db,
    caller: &Caller,
    client_id: i64,
) -> Result<NetworkView, AppError> {
    let read = read(
        db,
        caller,
        Target::Client(client_id),
        AuditEvent::ClientRead,
    )
    .await?;
    let mut tx = db.begin().await?;
    let members = tx.network_for_client(client_id).await?;
    let (summary, balance) = tx.client_network_summary(client_id).await?;
    tx.commit().await?;
    Ok(NetworkView {
        read,
        members,
        summary,
        balance,
    })
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
