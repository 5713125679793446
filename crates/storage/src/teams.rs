use crate::{Result, StorageError, Tx, on_tx};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct Team {
    pub id: i64,
    pub name: String,
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

const TEAM_COLUMNS: &str = "id, name, active, created_at";

impl Tx {
    pub async fn team_create(&mut self, name: &str, now: OffsetDateTime) -> Result<Team> {
        on_tx!(self, |c| {
            sqlx::query_as("INSERT INTO teams (name, active, created_at) VALUES ($1, TRUE, $2) RETURNING id, name, active, created_at")
                .bind(name)
                .bind(now)
                .fetch_one(c)
                .await
                .map_err(StorageError::conflict_on("team"))
        })
    }

    pub async fn team_update(&mut self, id: i64, name: &str, active: bool) -> Result<Team> {
        on_tx!(self, |c| {
            sqlx::query_as("UPDATE teams SET name = $2, active = $3 WHERE id = $1 RETURNING id, name, active, created_at")
                .bind(id)
                .bind(name)
                .bind(active)
                .fetch_optional(c)
                .await
                .map_err(StorageError::conflict_on("team"))?
                .ok_or(StorageError::NotFound)
        })
    }

    pub async fn team_get(&mut self, id: i64) -> Result<Option<Team>> {
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams WHERE id = $1");
        Ok(on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(c)
                .await?
        }))
    }

    /// All teams, active ones first, then by name.
    pub async fn teams_list(&mut self) -> Result<Vec<Team>> {
        let sql = format!("SELECT {TEAM_COLUMNS} FROM teams ORDER BY active DESC, name");
        Ok(on_tx!(self, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(c)
            .await?))
    }

    /// How many users are in each team, by team id.
    pub async fn team_member_counts(&mut self) -> Result<Vec<(i64, i64)>> {
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT tm.team_id, COUNT(*) FROM team_members tm \
                 JOIN users u ON u.id = tm.user_id WHERE u.active = TRUE GROUP BY tm.team_id",
            )
            .fetch_all(c)
            .await?
        }))
    }
}
