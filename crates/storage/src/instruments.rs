//! Installed assessment instruments. A version, once installed, never changes: ratings refer
//! to it. A changed definition needs a new version.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::instrument::{InstrumentDefinition, SHIPPED};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstallOutcome {
    Installed,
    /// The same key and version with the same content was already there.
    AlreadyPresent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledInstrument {
    pub id: i64,
    pub definition: InstrumentDefinition,
    pub installed_at: OffsetDateTime,
}

fn parse(id: i64, json: &str) -> Result<InstrumentDefinition> {
    serde_json::from_str(json).map_err(|e| StorageError::Corrupt(format!("instrument {id}: {e}")))
}

impl Tx {
    /// Installs a validated definition. The same key and version with other content is a
    /// [`StorageError::Conflict`].
    pub async fn instrument_install(
        &mut self,
        definition: &InstrumentDefinition,
        now: OffsetDateTime,
    ) -> Result<InstallOutcome> {
        if let Some(existing) = self
            .instrument_get(&definition.key, &definition.version)
            .await?
        {
            return if &existing == definition {
                Ok(InstallOutcome::AlreadyPresent)
            } else {
                Err(StorageError::Conflict("instrument version"))
            };
        }
        let json =
            serde_json::to_string(definition).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO instruments (key, version, kind, definition, installed_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&definition.key)
            .bind(&definition.version)
            .bind(definition.kind.as_str())
            .bind(&json)
            .bind(now)
            .execute(c)
            .await
            .map_err(StorageError::conflict_on("instrument version"))?;
        });
        Ok(InstallOutcome::Installed)
    }

    /// Installs what ships with Regie where missing: the instruments and the starter
    /// catalogues of interventions and aids.
    pub async fn install_shipped(&mut self, now: OffsetDateTime) -> Result<()> {
        for text in SHIPPED {
            let definition = InstrumentDefinition::from_toml(text)
                .map_err(|e| StorageError::Corrupt(format!("shipped instrument: {e}")))?;
            self.instrument_install(&definition, now).await?;
        }
        self.install_starter_catalogue(now).await
    }

    pub async fn instrument_get(
        &mut self,
        key: &str,
        version: &str,
    ) -> Result<Option<InstrumentDefinition>> {
        let row: Option<(i64, String)> = on_tx!(self, |c| {
            sqlx::query_as("SELECT id, definition FROM instruments WHERE key = $1 AND version = $2")
                .bind(key)
                .bind(version)
                .fetch_optional(c)
                .await?
        });
        row.map(|(id, json)| parse(id, &json)).transpose()
    }

    /// The most recently installed version of an instrument: what new ratings use.
    pub async fn instrument_latest(&mut self, key: &str) -> Result<Option<InstrumentDefinition>> {
        let row: Option<(i64, String)> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT id, definition FROM instruments WHERE key = $1 ORDER BY installed_at DESC, id DESC LIMIT 1",
            )
            .bind(key)
            .fetch_optional(c)
            .await?
        });
        row.map(|(id, json)| parse(id, &json)).transpose()
    }

    /// Every installed version, by key and then oldest first.
    pub async fn instruments_list(&mut self) -> Result<Vec<InstalledInstrument>> {
        let rows: Vec<(i64, String, OffsetDateTime)> = on_tx!(self, |c| {
            sqlx::query_as("SELECT id, definition, installed_at FROM instruments ORDER BY key, installed_at, id")
                .fetch_all(c)
                .await?
        });
        rows.into_iter()
            .map(|(id, json, installed_at)| {
                Ok(InstalledInstrument {
                    id,
                    definition: parse(id, &json)?,
                    installed_at,
                })
            })
            .collect()
    }
}
