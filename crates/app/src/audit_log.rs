//! Reading the NEN 7513 audit log: the administrator's view (itself audited), and the chain
//! walk and anchors of `regie audit`.

use crate::admin::Operator;
use crate::{App, Error, Result};
use regie_domain::audit::{AuditAnchor, AuditEvent, ChainedEntry, Outcome};
use regie_storage::{AuditFilter, AuditRow};

/// One page of the log, newest first, with the number of matching rows. Reading the log is
/// itself an access worth recording: the row commits with the read.
pub async fn page(
    app: &App,
    by: &Operator,
    filter: &AuditFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<AuditRow>, i64)> {
    let Operator::Admin(caller) = by else {
        return Err(Error::Forbidden);
    };
    let mut tx = app.begin().await?;
    let page = tx.audit_list(filter, limit, offset).await?;
    let mut entry = caller.audit(AuditEvent::AuditRead, Outcome::Allowed);
    entry.client_id = filter.client_id;
    entry.detail = Some(format!("{filter:?}"));
    tx.audit_append(&entry, app.now()).await?;
    tx.commit().await?;
    Ok(page)
}

/// The sequence number of the newest row.
pub async fn head_sequence(app: &App) -> Result<i64> {
    let mut tx = app.db().read().await?;
    let head = tx.audit_head_seq().await?;
    tx.commit().await?;
    Ok(head)
}

/// Up to `limit` rows after `after`, oldest first: the verifier walks the chain in pages.
pub async fn rows_after(app: &App, after: i64, limit: i64) -> Result<Vec<ChainedEntry>> {
    let mut tx = app.db().read().await?;
    let rows = tx.audit_rows_after(after, limit).await?;
    tx.commit().await?;
    Ok(rows)
}

/// The current head of the chain as an anchor, stamped with the clock's time.
pub async fn anchor(app: &App) -> Result<AuditAnchor> {
    let mut tx = app.db().read().await?;
    let (sequence, hash) = tx.audit_head().await?;
    tx.commit().await?;
    Ok(AuditAnchor {
        sequence,
        hash,
        at: app.now(),
    })
}
