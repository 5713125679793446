use crate::{Result, Tx, on_tx};

const ORGANISATION_NAME: &str = "organisation_name";
const MAX_CONCURRENT_INTERVENTIONS: &str = "max_concurrent_interventions";
const TAKEOVER_THRESHOLD: &str = "takeover_threshold";

/// Seed 001: not too many interventions at once; above this many, the plan warns.
pub const DEFAULT_MAX_CONCURRENT_INTERVENTIONS: u32 = 3;

impl Tx {
    pub async fn organisation_name(&mut self) -> Result<Option<String>> {
        self.setting(ORGANISATION_NAME).await
    }

    pub async fn set_organisation_name(&mut self, name: &str) -> Result<()> {
        self.set_setting(ORGANISATION_NAME, name).await
    }

    pub async fn max_concurrent_interventions(&mut self) -> Result<u32> {
        Ok(self
            .setting(MAX_CONCURRENT_INTERVENTIONS)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(DEFAULT_MAX_CONCURRENT_INTERVENTIONS))
    }

    pub async fn set_max_concurrent_interventions(&mut self, limit: u32) -> Result<()> {
        self.set_setting(MAX_CONCURRENT_INTERVENTIONS, &limit.to_string())
            .await
    }

    /// How often support above the agreement may recur in 14 days before the team sees a
    /// signal.
    pub async fn takeover_threshold(&mut self) -> Result<usize> {
        Ok(self
            .setting(TAKEOVER_THRESHOLD)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(regie_domain::visit::DEFAULT_TAKEOVER_THRESHOLD))
    }

    pub async fn set_takeover_threshold(&mut self, times: usize) -> Result<()> {
        self.set_setting(TAKEOVER_THRESHOLD, &times.to_string())
            .await
    }

    async fn setting(&mut self, key: &str) -> Result<Option<String>> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
                .bind(key)
                .fetch_optional(c)
                .await?
        }))
    }

    async fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO settings (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(c)
            .await?;
        });
        Ok(())
    }
}
