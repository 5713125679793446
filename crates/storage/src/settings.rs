use crate::{Result, Tx, on_tx};

const ORGANISATION_NAME: &str = "organisation_name";

impl Tx {
    pub async fn organisation_name(&mut self) -> Result<Option<String>> {
        self.setting(ORGANISATION_NAME).await
    }

    pub async fn set_organisation_name(&mut self, name: &str) -> Result<()> {
        self.set_setting(ORGANISATION_NAME, name).await
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
