//! Reaching client records: the access rule from the domain applied on the server, with the
//! audit row written in the same transaction. Pages and API both go through here.

pub mod closure;
pub mod conflict;
pub mod evaluation;
pub mod plan;
pub mod visits;

use crate::Error;
use crate::{App, Caller};
use conflict::{ClientVersionChange, Meanwhile};
use regie_domain::audit::AuditEntry;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::{
    AssessmentInput, Bsn, Capabilities, Client, ClientAccess, ClientInput, ClientScope, FieldError,
    InstrumentDefinition, Permission, Phase, Refusal, Relation, Role, StatedReason, Trajectory,
    TrajectoryAccess, TrajectoryInput,
};
use regie_storage::{ClientSummary, StorageError, StoredAssessment, StoredVisit, Tx};
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
    /// The rule's yes, which storage asks for before it hands out the record's contents.
    pub granted: ClientAccess,
}

impl Opened {
    /// The grant for the trajectory the target named (or the visit's trajectory).
    pub fn in_trajectory(&self) -> TrajectoryAccess {
        let trajectory = self
            .trajectory
            .as_ref()
            .expect("a trajectory or visit target has a trajectory");
        self.granted
            .to_trajectory(trajectory)
            .expect("the trajectory is the client's: the client was found through it")
    }
}

/// Writes the audit row of a refused or failed access and answers with `error`: the row
/// commits even though nothing else does.
async fn audited(app: &App, mut tx: Tx, entry: AuditEntry, error: Error) -> Error {
    let written = async {
        tx.audit_append(&entry, app.now()).await?;
        tx.commit().await
    };
    match written.await {
        Ok(()) => error,
        Err(storage) => storage.into(),
    }
}

/// Opens a record for a change (`permission`), audited as `client.update`: see [`open`].
pub async fn change(
    app: &App,
    caller: &Caller,
    target: Target,
    permission: Permission,
) -> Result<Opened, Error> {
    open(app, caller, target, permission, AuditEvent::ClientUpdate).await
}

/// Refuses, within a use case that passed the access check, what the input asks for (someone
/// appointing themselves, say): the refusal is audited and nothing else commits.
pub(crate) async fn refuse_within(
    app: &App,
    tx: Tx,
    mut entry: AuditEntry,
    refusal: Refusal,
    client_id: i64,
) -> Error {
    entry.outcome = Outcome::Denied.code().into();
    entry.detail = Some(refusal.audit_detail().into());
    let error = Error::Refused {
        refusal,
        client_id: Some(client_id),
    };
    audited(app, tx, entry, error).await
}

/// Opens the record `target` belongs to for `permission`, asking the domain's rule with the
/// caller's relation to the client. Anything not found, and every refusal, is audited as
/// `event` before the error is returned; nothing else is read or written before the decision.
pub async fn open(
    app: &App,
    caller: &Caller,
    target: Target,
    permission: Permission,
    event: AuditEvent,
) -> Result<Opened, Error> {
    let now = app.now();
    let mut tx = app.begin().await?;
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
            None => return Err(audited(app, tx, missing(entry), Error::NotFound).await),
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
            None => return Err(audited(app, tx, missing(entry), Error::NotFound).await),
        },
        None => None,
    };
    let client_id = match (&target, &trajectory) {
        (_, Some(trajectory)) => trajectory.client_id,
        (_, None) => object_id,
    };
    let Some(client) = tx.client_get(client_id).await? else {
        return Err(audited(app, tx, missing(entry), Error::NotFound).await);
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
    let granted = match permission.grant(actor.role, relation, client.id) {
        Ok(granted) => granted,
        Err(refusal) => {
            entry.outcome = Outcome::Denied.code().into();
            entry.detail = Some(refusal.audit_detail().into());
            let error = Error::Refused {
                refusal,
                client_id: Some(client.id),
            };
            return Err(audited(app, tx, entry, error).await);
        }
    };
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
        granted,
    })
}

impl Opened {
    /// Ends a read: its audit row commits (and nothing else), and the record is handed on.
    /// Whatever the page computes from it happens after this, without the write lock.
    pub(crate) async fn finish_read(mut self, app: &App) -> Result<Read, Error> {
        self.tx.audit_append(&self.entry, app.now()).await?;
        self.tx.commit().await?;
        Ok(Read {
            client: self.client,
            trajectory: self.trajectory,
            visit: self.visit,
            access: self.access,
        })
    }

    /// Ends a read of something inside the record that does not exist (a plan version, a
    /// goal): the audit row says so, and the answer is 404.
    pub(crate) async fn not_found(self, app: &App, object_type: &str, object_id: &str) -> Error {
        let mut entry = self.entry;
        entry.outcome = Outcome::Failed.code().into();
        entry.object_type = Some(object_type.into());
        entry.object_id = Some(object_id.into());
        entry.detail = Some("not found".into());
        audited(app, self.tx, entry, Error::NotFound).await
    }
}

/// Opens a record to read it; [`Opened::finish_read`] writes its `client.read` row.
pub(crate) async fn open_to_read(
    app: &App,
    caller: &Caller,
    target: Target,
) -> Result<Opened, Error> {
    open(
        app,
        caller,
        target,
        Permission::ReadRecord,
        AuditEvent::ClientRead,
    )
    .await
}

/// Asks the rule before a request's input is read (the API reads its body after this): a
/// refusal or a missing record is audited and answered here; when allowed, nothing is written
/// (the use case that follows writes its own row).
pub async fn check(
    app: &App,
    caller: &Caller,
    target: Target,
    permission: Permission,
) -> Result<(), Error> {
    let event = if permission.is_change() {
        AuditEvent::ClientUpdate
    } else {
        AuditEvent::ClientRead
    };
    let opened = open(app, caller, target, permission, event).await?;
    opened.tx.rollback().await?;
    Ok(())
}

/// [`check`] for registering a client: whether the caller's role registers clients at all.
pub async fn check_register(app: &App, caller: &Caller) -> Result<(), Error> {
    if Capabilities::of(&caller.actor).register_clients {
        return Ok(());
    }
    let (entry, error) = registration_refused(caller, role_refusal(caller));
    Err(audited(app, app.begin().await?, entry, error).await)
}

/// [`check`] for searching clients: whether the caller's role sees client lists at all.
pub async fn check_search(app: &App, caller: &Caller) -> Result<(), Error> {
    if Capabilities::of(&caller.actor).clients {
        return Ok(());
    }
    let mut entry = caller.audit(AuditEvent::ClientSearch, Outcome::Denied);
    entry.object_type = Some("client".into());
    let refusal = role_refusal(caller);
    entry.detail = Some(refusal.audit_detail().into());
    let error = Error::Refused {
        refusal,
        client_id: None,
    };
    Err(audited(app, app.begin().await?, entry, error).await)
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

fn registration_refused(caller: &Caller, refusal: Refusal) -> (AuditEntry, Error) {
    let mut entry = caller.audit(AuditEvent::ClientCreate, Outcome::Denied);
    entry.object_type = Some("client".into());
    entry.detail = Some(refusal.audit_detail().into());
    let error = Error::Refused {
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
    app: &App,
    caller: &Caller,
    target: Target,
    event: AuditEvent,
) -> Result<Read, Error> {
    read_for(app, caller, target, Permission::ReadRecord, event).await
}

/// Opens a record to show the form for a change: only to those who may make the change (a
/// form they could not send is refused, and audited, before it is shown). The read is audited.
pub async fn read_for(
    app: &App,
    caller: &Caller,
    target: Target,
    permission: Permission,
    event: AuditEvent,
) -> Result<Read, Error> {
    open(app, caller, target, permission, event)
        .await?
        .finish_read(app)
        .await
}

/// Writes a failed-access row for something inside a record that does not exist (a goal, a
/// plan version, an intervention) and answers 404.
pub async fn not_found_in(
    app: &App,
    caller: &Caller,
    client_id: i64,
    object_type: &str,
    object_id: &str,
) -> Error {
    let mut entry = caller.audit(AuditEvent::ClientRead, Outcome::Failed);
    entry.client_id = Some(client_id);
    entry.object_type = Some(object_type.into());
    entry.object_id = Some(object_id.into());
    entry.detail = Some("not found".into());
    match app.begin().await {
        Ok(tx) => audited(app, tx, entry, Error::NotFound).await,
        Err(error) => error,
    }
}

/// Refuses something the caller's role may not open at all (a page of the menu they do not
/// have), audited as `page.access` with the path.
pub async fn refuse_page(app: &App, caller: &Caller, path: &str) -> Error {
    let mut entry = caller.audit(AuditEvent::PageAccess, Outcome::Denied);
    entry.detail = Some(path.to_string());
    match app.begin().await {
        Ok(tx) => {
            audited(
                app,
                tx,
                entry,
                Error::Refused {
                    refusal: Refusal::NotForRole,
                    client_id: None,
                },
            )
            .await
        }
        Err(error) => error,
    }
}

/// Opens one client's record for `event` (read, print, export, …).
pub async fn open_client(
    app: &App,
    caller: &Caller,
    client_id: i64,
    event: AuditEvent,
) -> Result<Client, Error> {
    Ok(read(app, caller, Target::Client(client_id), event)
        .await?
        .client)
}

/// One page of the clients the caller may see whose name contains `query`.
pub async fn search_clients(
    app: &App,
    caller: &Caller,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClientSummary>, i64), Error> {
    let mut tx = app.begin().await?;
    let result = search_within(app, &mut tx, caller, query, limit, offset).await;
    match result {
        Ok(found) => {
            tx.commit().await?;
            Ok(found)
        }
        Err(refused) => {
            // The refusal's audit row commits on its own.
            tx.commit().await?;
            Err(refused)
        }
    }
}

/// Searches and writes the search's audit row (allowed or denied) into `tx`.
async fn search_within(
    app: &App,
    tx: &mut Tx,
    caller: &Caller,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ClientSummary>, i64), Error> {
    // A search term that is a valid BSN also finds the client with exactly that number.
    let bsn = Bsn::parse(query).ok();
    let bsn = bsn.as_ref().map(Bsn::as_str);
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
            tx.audit_append(&entry, app.now()).await?;
            return Err(Error::Refused {
                refusal: role_refusal(caller),
                client_id: None,
            });
        }
    };
    let result = tx
        .clients_search(&team_ids, query, bsn, caller.user.id, limit, offset)
        .await?;
    tx.audit_append(&entry, app.now()).await?;
    Ok(result)
}

fn bsn_taken(error: StorageError) -> Error {
    match error {
        StorageError::Conflict("bsn") => {
            Error::Invalid(vec![FieldError::new("bsn", "error-bsn-taken")])
        }
        other => other.into(),
    }
}

/// Registers a client under teams the caller is in; the audit row commits with it.
pub async fn create_client(app: &App, caller: &Caller, input: &ClientInput) -> Result<i64, Error> {
    let now = app.now();
    let refused = |refusal: Refusal| {
        let mut entry = caller.audit(AuditEvent::ClientCreate, Outcome::Denied);
        entry.object_type = Some("client".into());
        entry.detail = Some(refusal.audit_detail().into());
        let error = Error::Refused {
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
        return Err(audited(app, app.begin().await?, entry, error).await);
    }
    let details = input.validate(app.today()).map_err(Error::Invalid)?;
    if let Err(refusal) =
        regie_domain::permissions::may_register_under(&caller.actor, &details.team_ids)
    {
        let (entry, error) = refused(refusal);
        return Err(audited(app, app.begin().await?, entry, error).await);
    }
    let mut tx = app.begin().await?;
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
    pub(crate) fn present(self) -> Result<Self, Error> {
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
    granted: &ClientAccess,
    client: &Client,
    part: ClientPart,
    based_on: BasedOn,
) -> Result<Option<Meanwhile>, Error> {
    let Some(base) = based_on.version() else {
        return Ok(None);
    };
    if base == client.version {
        return Ok(None);
    }
    let versions = tx.client_versions_from(granted, base).await?;
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
    app: &App,
    caller: &Caller,
    id: i64,
    input: &ClientInput,
    based_on: BasedOn,
) -> Result<i64, Error> {
    let now = app.now();
    let Opened {
        mut tx,
        client,
        mut entry,
        granted,
        ..
    } = change(
        app,
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
        checked.bsn = client
            .bsn
            .as_ref()
            .map(|b| b.as_str().to_string())
            .unwrap_or_default();
    }
    let details = checked.validate(app.today()).map_err(Error::Invalid)?;
    if let Some(meanwhile) =
        client_changed_meanwhile(&mut tx, &granted, &client, ClientPart::Details, based_on).await?
    {
        return Err(stale(meanwhile, based_on));
    }
    let version = match tx
        .client_update(id, &details, client.version, caller.user.id, now)
        .await
    {
        Err(StorageError::Conflict("client version")) => {
            return Err(Error::Conflict("client version"));
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

fn stale(meanwhile: Meanwhile, based_on: BasedOn) -> Error {
    Error::Stale {
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
    app: &App,
    caller: &Caller,
    id: i64,
    team_ids: &[i64],
    based_on: BasedOn,
) -> Result<ServingTeams, Error> {
    let now = app.now();
    let Opened {
        mut tx,
        client,
        mut entry,
        granted,
        ..
    } = change(
        app,
        caller,
        Target::Client(id),
        Permission::ChangeServingTeams,
    )
    .await?;
    based_on.present()?;
    let teams = regie_domain::serving_teams(team_ids).map_err(Error::from)?;
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
        client_changed_meanwhile(&mut tx, &granted, &client, ClientPart::Teams, based_on).await?
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
        Err(StorageError::Conflict(_)) => return Err(Error::Conflict("client version")),
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
    app: &App,
    caller: &Caller,
    client_id: i64,
    reason: &str,
) -> Result<(), Error> {
    let now = app.now();
    let Opened {
        mut tx, mut entry, ..
    } = open(
        app,
        caller,
        Target::Client(client_id),
        Permission::StateReason,
        AuditEvent::ClientBreakGlass,
    )
    .await?;
    let reason = StatedReason::parse(reason).map_err(Error::from)?;
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
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    permission: Permission,
) -> Result<(Tx, Trajectory, AuditEntry), Error> {
    let opened = change(app, caller, Target::Trajectory(trajectory_id), permission).await?;
    let trajectory = opened.trajectory.expect("a trajectory target has one");
    Ok((opened.tx, trajectory, opened.entry))
}

/// Opens a trajectory, reached through its client's access rule, with its client.
pub async fn open_trajectory(
    app: &App,
    caller: &Caller,
    id: i64,
) -> Result<(Trajectory, Client), Error> {
    open_trajectory_as(app, caller, id, AuditEvent::ClientRead).await
}

/// Opens a trajectory to show the form for `permission`, audited as a read.
pub async fn open_trajectory_to(
    app: &App,
    caller: &Caller,
    id: i64,
    permission: Permission,
) -> Result<(Trajectory, Client), Error> {
    let read = read_for(
        app,
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
    app: &App,
    caller: &Caller,
    id: i64,
    event: AuditEvent,
) -> Result<(Trajectory, Client), Error> {
    let read = read(app, caller, Target::Trajectory(id), event).await?;
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
) -> Result<Vec<regie_storage::User>, Error> {
    Ok(tx
        .users_in_teams(&client.team_ids)
        .await?
        .into_iter()
        .filter(|u| regie_domain::permissions::works_with_records(u.role))
        .collect())
}

pub async fn coordinator_candidates(
    app: &App,
    client: &Client,
) -> Result<Vec<regie_storage::User>, Error> {
    let mut tx = app.begin().await?;
    let users = coordinator_candidates_in(&mut tx, client).await?;
    tx.commit().await?;
    Ok(users)
}

/// Starts a trajectory for a client the caller may reach (checked before the input, so someone
/// off the team learns nothing from validation); one open trajectory at a time.
pub async fn start_trajectory(
    app: &App,
    caller: &Caller,
    client_id: i64,
    input: &TrajectoryInput,
) -> Result<i64, Error> {
    let now = app.now();
    let Opened {
        mut tx,
        client,
        mut entry,
        access,
        ..
    } = change(
        app,
        caller,
        Target::Client(client_id),
        Permission::StartTrajectory,
    )
    .await?;
    let new = input.validate(app.today()).map_err(Error::Invalid)?;
    let appoints_self = new.coordinator_id == caller.user.id;
    if let Err(refusal) =
        regie_domain::permissions::may_appoint(access.role, access.relation, appoints_self)
    {
        return Err(refuse_within(app, tx, entry, refusal, client.id).await);
    }
    if !coordinator_candidates_in(&mut tx, &client)
        .await?
        .iter()
        .any(|u| u.id == new.coordinator_id)
    {
        return Err(Error::Invalid(vec![FieldError::new(
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
            return Err(Error::Invalid(vec![FieldError::new(
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
pub async fn change_phase(app: &App, caller: &Caller, id: i64, to: &str) -> Result<(), Error> {
    let now = app.now();
    let (mut tx, trajectory, mut entry) =
        change_trajectory(app, caller, id, Permission::ManageTrajectory).await?;
    let to = Phase::parse(to)?;
    // Closing has its own step with its own questions (`closure::close_trajectory`).
    let to = trajectory.phase.transition(to, None)?;
    match tx
        .trajectory_set_phase(id, trajectory.phase, to, None, caller.user.id, now)
        .await
    {
        Err(StorageError::Conflict(_)) => {
            return Err(Error::Invalid(vec![FieldError::new(
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
/// The newest installed version of the instrument `key`: new ratings are given on it.
pub(crate) async fn instrument_in(tx: &mut Tx, key: &str) -> Result<InstrumentDefinition, Error> {
    tx.instrument_latest(key)
        .await?
        .ok_or_else(|| Error::Internal(format!("the instrument {key} is not installed")))
}

pub async fn life_domain_instrument(app: &App) -> Result<InstrumentDefinition, Error> {
    let mut tx = app.db().read().await?;
    let instrument = instrument_in(&mut tx, LIFE_DOMAINS).await?;
    tx.commit().await?;
    Ok(instrument)
}

/// A trajectory's assessments, reached through its client's access rule (the read is audited).
pub async fn trajectory_assessments(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<(Read, Vec<StoredAssessment>, InstrumentDefinition), Error> {
    let mut opened = open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let assessments = opened
        .tx
        .assessments_for_trajectory(&opened.in_trajectory())
        .await?;
    let instrument = instrument_in(&mut opened.tx, LIFE_DOMAINS).await?;
    Ok((opened.finish_read(app).await?, assessments, instrument))
}

/// Records one perspective's view of every life domain; returns its id and the instrument
/// version it was given on.
pub async fn record_assessment(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    input: &AssessmentInput,
) -> Result<(i64, InstrumentDefinition), Error> {
    let now = app.now();
    let (mut tx, trajectory, mut entry) =
        change_trajectory(app, caller, trajectory_id, Permission::ChangeClientDetails).await?;
    trajectory.phase.check_accepts_changes()?;
    let instrument = instrument_in(&mut tx, LIFE_DOMAINS).await?;
    let window = regie_domain::DayWindow {
        started: trajectory.start_date,
        today: app.today(),
    };
    let assessment = input
        .validate(&instrument, window)
        .map_err(Error::Invalid)?;
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
        "{} {} {}",
        assessment.perspective.as_str(),
        assessment.moment.as_str(),
        regie_domain::validation::iso_date(assessment.happened_on)
    ));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok((id, instrument))
}

/// Adds a note on what matters to the client of a trajectory the caller may reach.
pub async fn add_matters_note(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    kind: &str,
    text: &str,
) -> Result<(), Error> {
    let now = app.now();
    let (mut tx, trajectory, mut entry) =
        change_trajectory(app, caller, trajectory_id, Permission::ChangeClientDetails).await?;
    trajectory.phase.check_accepts_changes()?;
    let (kind, text) = regie_domain::parse_matters_note(kind, text).map_err(Error::Invalid)?;
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

pub async fn daily_activity_instrument(app: &App) -> Result<InstrumentDefinition, Error> {
    let mut tx = app.db().read().await?;
    let instrument = instrument_in(&mut tx, DAILY_ACTIVITIES).await?;
    tx.commit().await?;
    Ok(instrument)
}

/// Records the support the client got per daily activity on a day (`date`, blank is today), and
/// what they want to (re)learn.
pub async fn record_activities(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
    input: &[regie_domain::ActivityInput],
    date: &str,
) -> Result<i64, Error> {
    let now = app.now();
    let (mut tx, trajectory, mut entry) =
        change_trajectory(app, caller, trajectory_id, Permission::ChangeClientDetails).await?;
    trajectory.phase.check_accepts_changes()?;
    let instrument = instrument_in(&mut tx, DAILY_ACTIVITIES).await?;
    let window = regie_domain::DayWindow {
        started: trajectory.start_date,
        today: app.today(),
    };
    let activities = regie_domain::validate_activities(input, date, &instrument, window)
        .map_err(Error::Invalid)?;
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
    entry.detail = Some(regie_domain::validation::iso_date(activities.happened_on));
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Starts a change to what the team records about a client (network, summary): the client,
/// if the caller may change it (a refusal is audited and answered 403), with the transaction
/// the change and its audit row commit in.
async fn change_client(
    app: &App,
    caller: &Caller,
    client_id: i64,
    object_type: &str,
) -> Result<(Tx, Client, AuditEntry), Error> {
    let Opened {
        tx,
        client,
        mut entry,
        ..
    } = change(
        app,
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
    app: &App,
    caller: &Caller,
    client_id: i64,
) -> Result<NetworkView, Error> {
    let mut opened = open_to_read(app, caller, Target::Client(client_id)).await?;
    let members = opened.tx.network_for_client(&opened.granted).await?;
    let (summary, balance) = opened.tx.client_network_summary(&opened.granted).await?;
    Ok(NetworkView {
        read: opened.finish_read(app).await?,
        members,
        summary,
        balance,
    })
}

pub async fn add_network_member(
    app: &App,
    caller: &Caller,
    client_id: i64,
    input: &regie_domain::NetworkMemberInput,
) -> Result<i64, Error> {
    let (mut tx, _, mut entry) = change_client(app, caller, client_id, "network_member").await?;
    let member = input.validate().map_err(Error::Invalid)?;
    let now = app.now();
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
    app: &App,
    caller: &Caller,
    client_id: i64,
    summary: &str,
    balance: &str,
) -> Result<(), Error> {
    let (mut tx, _, entry) = change_client(app, caller, client_id, "network_summary").await?;
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
        return Err(Error::Invalid(problems));
    }
    let now = app.now();
    tx.client_set_network_summary(client_id, summary, balance)
        .await?;
    tx.audit_append(&entry, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Everything a client's page shows, read in one transaction with one audit row.
pub struct ClientView {
    pub read: Read,
    /// The teams that serve the client.
    pub teams: Vec<regie_storage::Team>,
    pub trajectories: Vec<Trajectory>,
    pub stated_reasons: Vec<regie_storage::StoredReason>,
    /// The plan of the open trajectory, if there is one.
    pub plan: Option<plan::PlanContext>,
    /// The visits of the open trajectory while it is being carried out.
    pub visits: Option<visits::VisitsView>,
}

/// Opens a client's page: the record, its teams, trajectories and stated reasons, the open
/// trajectory's plan and, while it is carried out, its visits — one read, one audit row.
pub async fn client_page(app: &App, caller: &Caller, client_id: i64) -> Result<ClientView, Error> {
    let mut opened = open_to_read(app, caller, Target::Client(client_id)).await?;
    let tx = &mut opened.tx;
    let teams = tx
        .teams_list()
        .await?
        .into_iter()
        .filter(|t| opened.client.team_ids.contains(&t.id))
        .collect();
    let trajectories = tx.trajectories_for_client(&opened.granted).await?;
    let stated_reasons = tx.stated_reasons_for_client(&opened.granted).await?;
    let open_trajectory = trajectories.iter().find(|t| t.phase.is_active()).cloned();
    let mut plan = None;
    let mut loaded_visits = None;
    if let Some(trajectory) = &open_trajectory {
        // The plan is read as part of this client's record: same transaction, same row.
        opened.trajectory = Some(trajectory.clone());
        plan = plan::load_plan(&mut opened, None).await?;
        if trajectory.phase == Phase::Uitvoering {
            let in_trajectory = opened.in_trajectory();
            loaded_visits = Some(visits::load_visits(&mut opened.tx, &in_trajectory).await?);
        }
        opened.trajectory = None;
    }
    let read = opened.finish_read(app).await?;
    let visits = match (open_trajectory, loaded_visits) {
        (Some(trajectory), Some(loaded)) => Some(visits::VisitsView::compute(
            trajectory,
            read.client.clone(),
            read.access,
            loaded,
            app.today(),
        )),
        _ => None,
    };
    Ok(ClientView {
        read,
        teams,
        trajectories,
        stated_reasons,
        plan,
        visits,
    })
}

/// Everything a trajectory's page shows: its timeline, notes and assessments.
pub struct TrajectoryView {
    pub read: Read,
    pub events: Vec<regie_storage::TrajectoryEvent>,
    pub notes: Vec<regie_storage::MattersNote>,
    pub assessments: Vec<StoredAssessment>,
    /// The day each daily-activities rating happened, when it was written, by whom.
    pub activity_times: Vec<(time::Date, OffsetDateTime, i64)>,
    /// Everyone who may be named on the timeline.
    pub users: Vec<regie_storage::User>,
}

/// A client's trajectories, newest first: one read of the record, one audit row.
pub async fn client_trajectories(
    app: &App,
    caller: &Caller,
    client_id: i64,
) -> Result<Vec<Trajectory>, Error> {
    let mut opened = open_to_read(app, caller, Target::Client(client_id)).await?;
    let trajectories = opened.tx.trajectories_for_client(&opened.granted).await?;
    opened.finish_read(app).await?;
    Ok(trajectories)
}

/// Opens a trajectory's page: one read, one audit row.
pub async fn trajectory_page(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<TrajectoryView, Error> {
    let mut opened = open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let granted = opened.in_trajectory();
    let tx = &mut opened.tx;
    let events = tx.trajectory_events(&granted).await?;
    let notes = tx.matters_for_trajectory(&granted).await?;
    let assessments = tx.assessments_for_trajectory(&granted).await?;
    let activity_times = tx.activity_record_times(&granted).await?;
    let users = tx.users_list().await?;
    Ok(TrajectoryView {
        read: opened.finish_read(app).await?,
        events,
        notes,
        assessments,
        activity_times,
        users,
    })
}

/// What the daily-activities page shows: the newest record and the instrument it is given on.
pub struct ActivitiesView {
    pub read: Read,
    pub instrument: InstrumentDefinition,
    pub latest: Option<regie_storage::ActivityRecord>,
    pub users: Vec<regie_storage::User>,
}

pub async fn activities_page(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<ActivitiesView, Error> {
    let mut opened = open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let instrument = instrument_in(&mut opened.tx, DAILY_ACTIVITIES).await?;
    let latest = opened.tx.activities_latest(&opened.in_trajectory()).await?;
    let users = opened.tx.users_list().await?;
    Ok(ActivitiesView {
        read: opened.finish_read(app).await?,
        instrument,
        latest,
        users,
    })
}

/// A trajectory with its timeline (the API's trajectory document): one read, one audit row.
pub async fn trajectory_with_timeline(
    app: &App,
    caller: &Caller,
    trajectory_id: i64,
) -> Result<(Trajectory, Vec<regie_storage::TrajectoryEvent>), Error> {
    let mut opened = open_to_read(app, caller, Target::Trajectory(trajectory_id)).await?;
    let events = opened.tx.trajectory_events(&opened.in_trajectory()).await?;
    let read = opened.finish_read(app).await?;
    Ok((
        read.trajectory.expect("a trajectory target has one"),
        events,
    ))
}
