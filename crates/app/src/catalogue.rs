//! The catalogues of interventions and aids, and the organisation's limits: read by everyone
//! who plans, kept by administrators.

use crate::admin::Operator;
use crate::{App, Error, Result};
use regie_domain::audit::AuditEvent;
use regie_storage::{CatalogueIntervention, StorageError, StoredAid, Tx};

/// Aids matching `query` (and an activity), for whoever plans.
pub async fn search_aids(
    app: &App,
    query: &str,
    activity: Option<&str>,
    include_retired: bool,
) -> Result<Vec<StoredAid>> {
    let mut tx = app.db().read().await?;
    let found = tx.aids_search(query, activity, include_retired).await?;
    tx.commit().await?;
    Ok(found)
}

pub async fn aid(app: &App, id: i64) -> Result<StoredAid> {
    let mut tx = app.db().read().await?;
    let aid = tx.aid_get(id).await?;
    tx.commit().await?;
    aid.ok_or(Error::NotFound)
}

/// Everything the administrator's catalogue page shows.
pub struct Catalogue {
    pub interventions: Vec<CatalogueIntervention>,
    pub aids: Vec<StoredAid>,
    pub max_concurrent_interventions: u32,
    pub takeover_threshold: usize,
}

pub async fn catalogue(app: &App) -> Result<Catalogue> {
    let mut tx = app.db().read().await?;
    let catalogue = Catalogue {
        interventions: tx.interventions().await?,
        aids: tx.aids_search("", None, true).await?,
        max_concurrent_interventions: tx.max_concurrent_interventions().await?,
        takeover_threshold: tx.takeover_threshold().await?,
    };
    tx.commit().await?;
    Ok(catalogue)
}

/// Writes a catalogue change (`change`, described by `detail`) with its audit row, in one
/// transaction.
pub async fn change(
    app: &App,
    by: &Operator,
    detail: String,
    change: impl AsyncFnOnce(&mut Tx) -> Result<(), StorageError>,
) -> Result<(), StorageError> {
    let mut tx = app.db().begin().await?;
    change(&mut tx).await?;
    let entry = by.entry(AuditEvent::CatalogueUpdate, None, detail);
    tx.audit_append(&entry, app.now()).await?;
    tx.commit().await
}

/// The organisation's name, shown on every home page.
pub async fn organisation_name(app: &App) -> Result<Option<String>> {
    let mut tx = app.db().read().await?;
    let name = tx.organisation_name().await?;
    tx.commit().await?;
    Ok(name)
}
