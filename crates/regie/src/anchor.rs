//! Audit anchors: the chain head appended to a file outside the database, durably, so that
//! rows deleted together with the head still show as missing (`regie audit verify --anchor`).

use regie_app::{App, audit_log};
use regie_domain::audit::AuditAnchor;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Appends one anchor line and waits until it is on disk (earlier anchors stay).
pub async fn append(path: &Path, anchor: &AuditAnchor) -> Result<(), String> {
    let line = format!("{}\n", anchor.to_line());
    let path_buf = path.to_path_buf();
    tokio::task::spawn_blocking(move || append_durably(&path_buf, line.as_bytes()))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot write the anchor to {}: {e}", path.display()))
}

fn append_durably(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let created = !path.exists();
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    if created {
        // A new file's name lives in its directory: sync that too, or a crash can lose the file.
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Reads every anchor in a file.
pub fn read(path: &Path) -> Result<Vec<AuditAnchor>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let anchors =
        AuditAnchor::parse_lines(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if anchors.is_empty() {
        return Err(format!("{} holds no anchors", path.display()));
    }
    Ok(anchors)
}

/// Anchors the head every `interval` while `serve` runs, when it has moved since the last
/// anchor written here. Failures are logged and retried at the next tick; the server goes on.
pub fn spawn_periodic(app: App, path: PathBuf, interval: Duration) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(interval);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_written: Option<i64> = None;
        loop {
            every.tick().await;
            let anchor = match audit_log::anchor(&app).await {
                Ok(anchor) => anchor,
                Err(error) => {
                    tracing::error!(%error, "audit anchor not written");
                    continue;
                }
            };
            if last_written == Some(anchor.sequence) {
                continue;
            }
            match append(&path, &anchor).await {
                Ok(()) => {
                    tracing::info!(sequence = anchor.sequence, file = %path.display(), "audit anchor written");
                    last_written = Some(anchor.sequence);
                }
                Err(error) => tracing::error!(%error, "audit anchor not written"),
            }
        }
    });
}
