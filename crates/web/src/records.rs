//! Reaching client records: the access rule from the domain applied on the server, with the
//! audit row written in the same transaction. Pages and API both go through here.

use crate::AppError;
use crate::context::Caller;
use regie_domain::audit::{AuditEvent, Outcome};
use regie_domain::{AccessDecision, Bsn, ClientScope};
use regie_domain::{ClientDetails, FieldError};
use regie_storage::{Client, ClientSummary, Db, StorageError};
use time::OffsetDateTime;

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
        Some(client) => caller.actor.client_access(&client.team_ids),
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
            tx.clients_search(team_ids, query, bsn, limit, offset)
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
        StorageError::Conflict(_) => {
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
    let allowed = caller.actor.client_access(&client.team_ids).is_allowed();
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
