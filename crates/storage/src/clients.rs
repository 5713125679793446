//! The minimal client entity of the foundation: a name and the teams that serve the client.
//! The full dossier builds on it.

use crate::{Result, Tx, on_tx, placeholders};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Client {
    pub id: i64,
    pub name: String,
    pub team_ids: Vec<i64>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ClientSummary {
    pub id: i64,
    pub name: String,
}

impl Tx {
    pub async fn client_create(
        &mut self,
        name: &str,
        team_ids: &[i64],
        now: OffsetDateTime,
    ) -> Result<i64> {
        on_tx!(self, |c| {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO clients (name, created_at) VALUES ($1, $2) RETURNING id",
            )
            .bind(name)
            .bind(now)
            .fetch_one(&mut *c)
            .await?;
            for team_id in team_ids {
                sqlx::query("INSERT INTO client_teams (client_id, team_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(team_id)
                    .execute(&mut *c)
                    .await?;
            }
            Ok(id)
        })
    }

    pub async fn client_get(&mut self, id: i64) -> Result<Option<Client>> {
        on_tx!(self, |c| {
            let row: Option<(i64, String, OffsetDateTime)> =
                sqlx::query_as("SELECT id, name, created_at FROM clients WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *c)
                    .await?;
            let Some((id, name, created_at)) = row else {
                return Ok(None);
            };
            let team_ids = sqlx::query_scalar(
                "SELECT team_id FROM client_teams WHERE client_id = $1 ORDER BY team_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            Ok(Some(Client {
                id,
                name,
                team_ids,
                created_at,
            }))
        })
    }

    /// Clients served by any of `team_ids` whose name contains `query` (case-insensitive),
    /// by name, one page at a time; with the total number of matches.
    pub async fn clients_search(
        &mut self,
        team_ids: &[i64],
        query: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ClientSummary>, i64)> {
        if team_ids.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let pattern = format!("%{}%", escape_like(query.trim()));
        let filter = format!(
            "FROM clients c WHERE LOWER(c.name) LIKE LOWER($1) ESCAPE '\\' AND EXISTS \
             (SELECT 1 FROM client_teams ct WHERE ct.client_id = c.id AND ct.team_id IN ({}))",
            placeholders(4, team_ids.len())
        );
        let page_sql =
            format!("SELECT c.id, c.name {filter} ORDER BY c.name, c.id LIMIT $2 OFFSET $3");
        // The count binds the same parameters, so it keeps the same numbering.
        let count_sql = format!("SELECT COUNT(*) {filter} AND $2 >= 0 AND $3 >= 0");
        on_tx!(self, |c| {
            let mut page = sqlx::query_as(sqlx::AssertSqlSafe(page_sql))
                .bind(&pattern)
                .bind(limit)
                .bind(offset);
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(&pattern)
                .bind(limit)
                .bind(offset);
            for id in team_ids {
                page = page.bind(id);
                count = count.bind(id);
            }
            let rows = page.fetch_all(&mut *c).await?;
            let total: i64 = count.fetch_one(&mut *c).await?;
            Ok((rows, total))
        })
    }
}

/// Makes `%`, `_` and `\` in a search term match themselves.
fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
