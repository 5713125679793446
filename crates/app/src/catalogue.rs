//! The catalogues of interventions and aids, and the organisation's limits: read by everyone
//! who plans, kept by administrators.

use crate::admin::Operator;
use crate::records::{DAILY_ACTIVITIES, instrument_in};
use crate::{App, Error, Result};
use regie_domain::FieldError;
use regie_domain::audit::AuditEvent;
use regie_domain::catalogue::{AidEntry, CatalogueInput};
use regie_domain::validation::collect;
use regie_storage::{CatalogueIntervention, StoredAid, Tx};

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

// ---- the administrator's changes: each its own use case, audited as a catalogue update in
// the same transaction as the write.

/// A name already in the catalogue: a message next to the Dutch name, the one that must be
/// unique (entries are keyed by it).
fn name_taken(error: Error) -> Error {
    match error {
        Error::Conflict(_) => FieldError::new("name_nl", "error-catalogue-name-taken").into(),
        other => other,
    }
}

/// Writes the audit row of a catalogue change and commits it with the change.
async fn commit(app: &App, mut tx: Tx, by: &Operator, detail: String) -> Result<()> {
    let entry = by.entry(AuditEvent::CatalogueUpdate, None, detail);
    tx.audit_append(&entry, app.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds an intervention to the catalogue; its id.
pub async fn add_intervention(app: &App, by: &Operator, input: &CatalogueInput) -> Result<i64> {
    let entry = input.validate_intervention().map_err(Error::Invalid)?;
    let mut tx = app.begin().await?;
    let id = tx
        .intervention_add(&entry, app.now())
        .await
        .map_err(|e| name_taken(e.into()))?;
    commit(app, tx, by, format!("intervention added: {}", entry.key)).await?;
    Ok(id)
}

/// Retires an intervention (plans keep it, new plans cannot choose it), or brings it back.
pub async fn retire_intervention(app: &App, by: &Operator, id: i64, retire: bool) -> Result<()> {
    let mut tx = app.begin().await?;
    tx.intervention_retire(id, retire.then(|| app.now()))
        .await?;
    commit(app, tx, by, format!("intervention {id} retired={retire}")).await
}

/// The organisation's limits as typed: how many interventions may run at once, and after how
/// many visits above the agreement the team is signalled.
#[derive(Debug, Clone, Default)]
pub struct LimitsInput {
    pub max_concurrent_interventions: String,
    pub takeover_threshold: String,
}

/// Sets the organisation's limits, each a whole number from 1 to 20.
pub async fn set_limits(app: &App, by: &Operator, input: &LimitsInput) -> Result<()> {
    let in_range = |field: &'static str, raw: &str| match raw.trim().parse::<u32>() {
        Ok(n @ 1..=20) => Ok(n),
        _ => Err(FieldError::new(field, "error-limit-range")),
    };
    let mut problems = Vec::new();
    let limit = collect(
        in_range("limit", &input.max_concurrent_interventions),
        &mut problems,
    );
    let takeover = collect(
        in_range("takeover", &input.takeover_threshold),
        &mut problems,
    );
    let (Some(limit), Some(takeover)) = (limit, takeover) else {
        return Err(Error::Invalid(problems));
    };
    let mut tx = app.begin().await?;
    tx.set_max_concurrent_interventions(limit).await?;
    tx.set_takeover_threshold(takeover as usize).await?;
    let detail = format!("max concurrent interventions {limit}, takeover signal after {takeover}");
    commit(app, tx, by, detail).await
}

/// Validates an aid against the daily activities it may be linked to.
async fn valid_aid(tx: &mut Tx, input: &CatalogueInput) -> Result<AidEntry> {
    let activities = instrument_in(tx, DAILY_ACTIVITIES).await?;
    let keys: Vec<&str> = activities.items.iter().map(|i| i.key.as_str()).collect();
    input.validate_aid(&keys).map_err(Error::Invalid)
}

/// Adds an aid to the catalogue; its id.
pub async fn add_aid(app: &App, by: &Operator, input: &CatalogueInput) -> Result<i64> {
    let mut tx = app.begin().await?;
    let aid = valid_aid(&mut tx, input).await?;
    let id = tx
        .aid_add(&aid, app.now())
        .await
        .map_err(|e| name_taken(e.into()))?;
    commit(app, tx, by, format!("aid added: {}", aid.key)).await?;
    Ok(id)
}

/// Changes an aid's texts and activities; its key stays, so plans keep their links.
pub async fn update_aid(app: &App, by: &Operator, id: i64, input: &CatalogueInput) -> Result<()> {
    let mut tx = app.begin().await?;
    let aid = valid_aid(&mut tx, input).await?;
    tx.aid_update(id, &aid, app.now())
        .await
        .map_err(|e| name_taken(e.into()))?;
    commit(app, tx, by, format!("aid {id} changed")).await
}

/// Retires an aid (plans keep it, the search no longer offers it), or brings it back.
pub async fn retire_aid(app: &App, by: &Operator, id: i64, retire: bool) -> Result<()> {
    let mut tx = app.begin().await?;
    tx.aid_retire(id, retire.then(|| app.now())).await?;
    commit(app, tx, by, format!("aid {id} retired={retire}")).await
}

/// The organisation's name, shown on every home page.
pub async fn organisation_name(app: &App) -> Result<Option<String>> {
    let mut tx = app.db().read().await?;
    let name = tx.organisation_name().await?;
    tx.commit().await?;
    Ok(name)
}
