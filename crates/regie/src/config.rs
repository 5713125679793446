//! Where the settings come from: flags and `REGIE_*` variables (parsed by clap) first, then the
//! optional TOML file, then defaults.

use regie_storage::Db;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub addr: Option<SocketAddr>,
    pub database: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub secure_cookies: Option<bool>,
    pub session_idle_minutes: Option<i64>,
    pub session_max_hours: Option<i64>,
    pub audit_anchor_file: Option<PathBuf>,
    pub audit_anchor_minutes: Option<u64>,
}

pub struct Settings {
    pub file: FileConfig,
    pub data_dir: PathBuf,
    pub database: Option<String>,
}

impl Settings {
    pub fn load(
        config: Option<&Path>,
        data_dir: Option<PathBuf>,
        database: Option<String>,
    ) -> Result<Self, String> {
        let file = match config {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = data_dir
            .or_else(|| file.data_dir.clone())
            .unwrap_or_else(|| PathBuf::from("regie-data"));
        let database = database
            .or_else(|| file.database.clone())
            .filter(|url| !url.trim().is_empty());
        Ok(Settings {
            file,
            data_dir,
            database,
        })
    }

    /// PostgreSQL when a URL is given, else the embedded SQLite file, created on first run.
    pub async fn open_database(&self) -> Result<Db, String> {
        match &self.database {
            Some(url) => Db::connect(url)
                .await
                .map_err(|e| format!("cannot open the database: {e}")),
            None => {
                std::fs::create_dir_all(&self.data_dir)
                    .map_err(|e| format!("cannot create {}: {e}", self.data_dir.display()))?;
                let path = self.data_dir.join("regie.db");
                Db::open_sqlite_file(&path)
                    .await
                    .map_err(|e| format!("cannot open {}: {e}", path.display()))
            }
        }
    }
}
