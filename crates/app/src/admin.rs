//! Setting up the organisation: teams, user accounts, API tokens and instruments. The same use
//! cases serve the administrator's pages and the `regie` command line; only who is named in
//! the audit row differs.

use crate::{App, Caller, Error, Result, accounts, passwords};
use regie_domain::audit::{AuditEntry, AuditEvent, Outcome};
use regie_domain::{
    Capabilities, Discipline, FieldError, InstrumentDefinition, NewPassword, PersonName, Role,
    Username,
};
use regie_storage::{
    ApiToken, InstallOutcome, InstalledInstrument, NewUser, StorageError, Team, TokenListing, Tx,
    User, UserUpdate,
};

/// Who carries out an administrative action.
#[derive(Debug, Clone)]
pub enum Operator {
    /// A signed-in administrator (checked by [`authorize`]).
    Admin(Caller),
    /// Someone with access to the server, on the command line; named by their operating-system
    /// account.
    CommandLine { os_user: String },
}

impl Operator {
    /// The command line, as the operating-system user running it.
    pub fn command_line() -> Self {
        Operator::CommandLine {
            os_user: std::env::var("USER").unwrap_or_else(|_| "unknown".into()),
        }
    }

    fn admin_id(&self) -> Option<i64> {
        match self {
            Operator::Admin(caller) => Some(caller.user.id),
            Operator::CommandLine { .. } => None,
        }
    }

    /// The audit row of an action on `object`.
    pub(crate) fn entry(
        &self,
        event: AuditEvent,
        object: Option<(&str, String)>,
        detail: String,
    ) -> AuditEntry {
        let mut entry = match self {
            Operator::Admin(caller) => caller.audit(event, Outcome::Allowed),
            Operator::CommandLine { .. } => AuditEntry {
                source: Some("cli".into()),
                ..AuditEntry::new(event, Outcome::Allowed)
            },
        };
        entry.detail = Some(match self {
            Operator::Admin(_) => detail,
            Operator::CommandLine { os_user } => {
                format!("{detail} (command line, os user {os_user})")
            }
        });
        if let Some((object_type, object_id)) = object {
            entry.object_type = Some(object_type.into());
            entry.object_id = Some(object_id);
        }
        entry
    }
}

async fn append(app: &App, tx: &mut Tx, entry: &AuditEntry) -> Result<()> {
    tx.audit_append(entry, app.now()).await?;
    Ok(())
}

/// Lets an administrator through; anyone else is refused, and the refusal (naming `path`) is
/// audited.
pub async fn authorize(app: &App, caller: Caller, path: &str) -> Result<Operator> {
    if Capabilities::of(&caller.actor).administration {
        return Ok(Operator::Admin(caller));
    }
    let mut entry = caller.audit(AuditEvent::AdminAccess, Outcome::Denied);
    entry.detail = Some(path.to_string());
    let mut tx = app.begin().await?;
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Err(Error::Forbidden)
}

// ---- teams and the organisation ----

/// The teams with their number of members, and the organisation's name.
pub struct TeamsOverview {
    pub teams: Vec<(Team, i64)>,
    pub organisation: String,
}

pub async fn teams_overview(app: &App) -> Result<TeamsOverview> {
    let mut tx = app.db().read().await?;
    let counts = tx.team_member_counts().await?;
    let teams = tx
        .teams_list()
        .await?
        .into_iter()
        .map(|team| {
            let members = counts
                .iter()
                .find(|(id, _)| *id == team.id)
                .map_or(0, |(_, n)| *n);
            (team, members)
        })
        .collect();
    let organisation = tx.organisation_name().await?.unwrap_or_default();
    tx.commit().await?;
    Ok(TeamsOverview {
        teams,
        organisation,
    })
}

/// Every team, active or not.
pub async fn teams(app: &App) -> Result<Vec<Team>> {
    let mut tx = app.db().read().await?;
    let teams = tx.teams_list().await?;
    tx.commit().await?;
    Ok(teams)
}

pub async fn team(app: &App, id: i64) -> Result<Team> {
    let mut tx = app.db().read().await?;
    let team = tx.team_get(id).await?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    Ok(team)
}

fn team_name_taken(error: StorageError) -> Error {
    match error {
        StorageError::Conflict(_) => FieldError::new("name", "error-team-exists").into(),
        other => other.into(),
    }
}

pub async fn create_team(app: &App, by: &Operator, name: &PersonName) -> Result<Team> {
    let mut tx = app.begin().await?;
    let team = tx
        .team_create(name.as_str(), app.now())
        .await
        .map_err(team_name_taken)?;
    let entry = by.entry(
        AuditEvent::TeamCreate,
        Some(("team", team.id.to_string())),
        team.name.clone(),
    );
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(team)
}

pub async fn update_team(
    app: &App,
    by: &Operator,
    id: i64,
    name: &PersonName,
    active: bool,
) -> Result<Team> {
    let mut tx = app.begin().await?;
    let team = tx
        .team_update(id, name.as_str(), active)
        .await
        .map_err(team_name_taken)?;
    let state = if active { "active" } else { "inactive" };
    let entry = by.entry(
        AuditEvent::TeamUpdate,
        Some(("team", id.to_string())),
        format!("{} ({state})", team.name),
    );
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(team)
}

pub async fn set_organisation_name(app: &App, by: &Operator, name: &PersonName) -> Result<()> {
    let mut tx = app.begin().await?;
    tx.set_organisation_name(name.as_str()).await?;
    let entry = by.entry(AuditEvent::OrganisationUpdate, None, name.as_str().into());
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The ids of the teams named `names`; an unknown name is an error naming it.
pub async fn team_ids_named(app: &App, names: &[String]) -> Result<Vec<i64>> {
    let all = teams(app).await?;
    names
        .iter()
        .map(|name| {
            all.iter()
                .find(|t| &t.name == name)
                .map(|t| t.id)
                .ok_or_else(|| Error::Internal(format!("no team named {name:?}")))
        })
        .collect()
}

// ---- users ----

/// Every user with the ids of their teams.
pub async fn users(app: &App) -> Result<Vec<(User, Vec<i64>)>> {
    let mut tx = app.db().read().await?;
    let memberships = tx.team_memberships().await?;
    let users = tx.users_list().await?;
    tx.commit().await?;
    Ok(users
        .into_iter()
        .map(|user| {
            let team_ids = memberships
                .iter()
                .filter(|(_, u)| *u == user.id)
                .map(|(t, _)| *t)
                .collect();
            (user, team_ids)
        })
        .collect())
}

/// One user with the ids of their teams.
pub async fn user(app: &App, id: i64) -> Result<(User, Vec<i64>)> {
    let mut tx = app.db().read().await?;
    let user = tx.user_get(id).await?.ok_or(Error::NotFound)?;
    let team_ids = tx.user_team_ids(id).await?;
    tx.commit().await?;
    Ok((user, team_ids))
}

pub async fn user_named(app: &App, username: &str) -> Result<User> {
    let mut tx = app.db().read().await?;
    let user = tx.user_by_username(username).await?;
    tx.commit().await?;
    user.ok_or(Error::NotFound)
}

/// A new account, as checked input.
pub struct NewAccount {
    pub username: Username,
    pub full_name: PersonName,
    pub role: Role,
    pub discipline: Discipline,
    pub team_ids: Vec<i64>,
    pub password: NewPassword,
}

pub async fn create_user(app: &App, by: &Operator, account: &NewAccount) -> Result<User> {
    // Hashing is slow on purpose: not while holding the database's write lock.
    let hash = passwords::hash(&account.password).await?;
    let mut tx = app.begin().await?;
    let new = NewUser {
        username: account.username.as_str(),
        full_name: account.full_name.as_str(),
        discipline: account.discipline,
        role: account.role,
        password_hash: &hash,
        team_ids: &account.team_ids,
    };
    let user = match tx.user_create(&new, app.now()).await {
        Err(StorageError::Conflict(_)) => {
            return Err(FieldError::new("username", "error-username-taken").into());
        }
        other => other?,
    };
    let entry = by.entry(
        AuditEvent::UserCreate,
        Some(("user", user.id.to_string())),
        format!("{} ({})", user.username, user.role.as_str()),
    );
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(user)
}

/// A change to an account, as checked input.
pub struct AccountChange {
    pub full_name: PersonName,
    pub role: Role,
    pub discipline: Discipline,
    pub team_ids: Vec<i64>,
}

/// An administrator cannot take away their own admin role: someone must be able to manage
/// users.
pub fn keeps_own_admin_role(by: &Operator, user_id: i64, role: Role) -> Result<(), FieldError> {
    if by.admin_id() == Some(user_id) && role != Role::Admin {
        return Err(FieldError::new("role", "error-own-admin-role"));
    }
    Ok(())
}

pub async fn update_user(
    app: &App,
    by: &Operator,
    id: i64,
    change: &AccountChange,
) -> Result<User> {
    keeps_own_admin_role(by, id, change.role)?;
    let mut tx = app.begin().await?;
    let update = UserUpdate {
        full_name: change.full_name.as_str(),
        discipline: change.discipline,
        role: change.role,
        team_ids: &change.team_ids,
    };
    let updated = tx.user_update(id, &update).await?;
    let entry = by.entry(
        AuditEvent::UserUpdate,
        Some(("user", id.to_string())),
        format!(
            "{} ({}; teams {:?})",
            updated.username,
            updated.role.as_str(),
            change.team_ids
        ),
    );
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(updated)
}

/// Deactivates (signing the user out everywhere at once) or reactivates an account; returns
/// the number of sessions ended.
pub async fn set_user_active(app: &App, by: &Operator, id: i64, active: bool) -> Result<u64> {
    if by.admin_id() == Some(id) && !active {
        return Err(FieldError::new("active", "error-own-deactivate").into());
    }
    let mut tx = app.begin().await?;
    let user = tx.user_get(id).await?.ok_or(Error::NotFound)?;
    tx.user_set_active(id, active).await?;
    let (event, ended, detail) = if active {
        (
            AuditEvent::UserUpdate,
            0,
            format!("{}; reactivated", user.username),
        )
    } else {
        let ended = tx.sessions_end_for_user(id, None).await?;
        (
            AuditEvent::UserDeactivate,
            ended,
            format!("{}; deactivated; {ended} sessions ended", user.username),
        )
    };
    let entry = by.entry(event, Some(("user", id.to_string())), detail);
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Sets a new password and ends the user's sessions (whoever knew the old one is signed out),
/// except `keep_session`: an administrator changing their own keeps the one they are using.
/// Returns the number of sessions ended.
pub async fn set_password(
    app: &App,
    by: &Operator,
    id: i64,
    password: &NewPassword,
    keep_session: Option<&str>,
) -> Result<u64> {
    let hash = passwords::hash(password).await?;
    let mut tx = app.begin().await?;
    let user = tx.user_get(id).await?.ok_or(Error::NotFound)?;
    tx.user_set_password(id, &hash).await?;
    let ended = tx.sessions_end_for_user(id, keep_session).await?;
    let entry = by.entry(
        AuditEvent::UserPasswordChange,
        Some(("user", id.to_string())),
        format!("{}; {ended} sessions ended", user.username),
    );
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok(ended)
}

// ---- API tokens ----

pub async fn tokens(app: &App) -> Result<Vec<TokenListing>> {
    let mut tx = app.db().read().await?;
    let tokens = tx.tokens_list().await?;
    tx.commit().await?;
    Ok(tokens)
}

pub async fn token(app: &App, id: i64) -> Result<TokenListing> {
    let mut tx = app.db().read().await?;
    let token = tx.token_get(id).await?;
    tx.commit().await?;
    token.ok_or(Error::NotFound)
}

/// Hands out a new token for an active user: the secret (shown once, never stored) and what
/// is stored.
pub async fn create_token(
    app: &App,
    by: &Operator,
    user_id: i64,
    label: &PersonName,
) -> Result<(String, ApiToken, User)> {
    let mut tx = app.begin().await?;
    let Some(user) = tx.user_get(user_id).await?.filter(|u| u.active) else {
        return Err(FieldError::new("user", "error-token-user").into());
    };
    let (secret, hash) = accounts::new_api_token();
    let stored = tx
        .token_create(user.id, label.as_str(), &hash, app.now())
        .await?;
    let entry = by.entry(
        AuditEvent::TokenCreate,
        Some(("api_token", stored.id.to_string())),
        format!(
            "token {} ({}) for {}",
            stored.id, stored.name, user.username
        ),
    );
    append(app, &mut tx, &entry).await?;
    tx.commit().await?;
    Ok((secret, stored, user))
}

/// Revokes a token; `false` when it already was (nothing changes, nothing is recorded twice).
pub async fn revoke_token(app: &App, by: &Operator, id: i64) -> Result<(bool, TokenListing)> {
    let mut tx = app.begin().await?;
    let listing = tx.token_get(id).await?.ok_or(Error::NotFound)?;
    let revoked = tx.token_revoke(id, app.now()).await?;
    if revoked {
        let entry = by.entry(
            AuditEvent::TokenRevoke,
            Some(("api_token", id.to_string())),
            format!(
                "token {id} ({}) of {}",
                listing.token.name, listing.username
            ),
        );
        append(app, &mut tx, &entry).await?;
    }
    tx.commit().await?;
    Ok((revoked, listing))
}

// ---- instruments ----

pub async fn instruments(app: &App) -> Result<Vec<InstalledInstrument>> {
    let mut tx = app.db().read().await?;
    let list = tx.instruments_list().await?;
    tx.commit().await?;
    Ok(list)
}

/// Installs an instrument version (`source` names where it came from, for the audit row). An
/// installed version never changes: the same content again changes nothing, other content
/// under the same version is a conflict.
pub async fn import_instrument(
    app: &App,
    by: &Operator,
    definition: &InstrumentDefinition,
    source: &str,
) -> Result<InstallOutcome> {
    let mut tx = app.begin().await?;
    let outcome = tx.instrument_install(definition, app.now()).await?;
    if outcome == InstallOutcome::Installed {
        let entry = by.entry(
            AuditEvent::InstrumentImport,
            Some((
                "instrument",
                format!("{}@{}", definition.key, definition.version),
            )),
            source.to_string(),
        );
        append(app, &mut tx, &entry).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}

/// Installs the instruments shipped with Regie (as every start does); an installed version is
/// never changed.
pub async fn install_shipped_instruments(app: &App) -> Result<()> {
    let mut tx = app.begin().await?;
    tx.install_shipped(app.now()).await?;
    tx.commit().await?;
    Ok(())
}
