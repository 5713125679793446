//! Client records: personal details and the teams that serve the client.

use crate::{Result, StorageError, Tx, on_tx, placeholders};
use regie_domain::ClientDetails;
use time::{Date, OffsetDateTime};

/// A client as stored. Details are optional only for records from before they were asked.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Client {
    pub id: i64,
    pub name: String,
    #[sqlx(skip)]
    pub team_ids: Vec<i64>,
    /// Professionals in the core team of the client's open trajectory: they reach the client
    /// through it even when not in a serving team.
    #[sqlx(skip)]
    pub core_team_user_ids: Vec<i64>,
    pub created_at: OffsetDateTime,
    pub date_of_birth: Option<Date>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub street: Option<String>,
    pub house_number: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub bsn: Option<String>,
    pub living_situation: Option<String>,
    pub referrer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ClientSummary {
    pub id: i64,
    pub name: String,
    /// The searching user coordinates this client's open trajectory.
    pub mine: bool,
}

const CLIENT_COLUMNS: &str = "id, name, created_at, date_of_birth, phone, email, street, house_number, \
    postcode, city, bsn, living_situation, referrer";

/// The stored column values of validated details, in `CLIENT_COLUMNS` order after the name.
struct Columns {
    date_of_birth: Date,
    phone: Option<String>,
    email: Option<String>,
    street: Option<String>,
    house_number: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    bsn: Option<String>,
    living_situation: &'static str,
    referrer: Option<String>,
}

impl From<&ClientDetails> for Columns {
    fn from(d: &ClientDetails) -> Self {
        let address = d.address.as_ref();
        Columns {
            date_of_birth: d.date_of_birth,
            phone: d.phone.clone(),
            email: d.email.clone(),
            street: address.map(|a| a.street.clone()),
            house_number: address.map(|a| a.house_number.clone()),
            postcode: address.map(|a| a.postcode.as_str().to_string()),
            city: address.map(|a| a.city.clone()),
            bsn: d.bsn.as_ref().map(|b| b.as_str().to_string()),
            living_situation: d.living_situation.as_str(),
            referrer: d.referrer.clone(),
        }
    }
}

impl Tx {
    /// Registers a client served by `details.team_ids`. A BSN already on record is a conflict.
    pub async fn client_create(
        &mut self,
        details: &ClientDetails,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let v = Columns::from(details);
        let id: i64 = on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO clients (name, created_at, updated_at, date_of_birth, phone, email, street, \
                 house_number, postcode, city, bsn, living_situation, referrer) \
                 VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(details.name.as_str())
            .bind(now)
            .bind(v.date_of_birth)
            .bind(&v.phone)
            .bind(&v.email)
            .bind(&v.street)
            .bind(&v.house_number)
            .bind(&v.postcode)
            .bind(&v.city)
            .bind(&v.bsn)
            .bind(v.living_situation)
            .bind(&v.referrer)
            .fetch_one(c)
            .await
            .map_err(StorageError::conflict_on("bsn"))?
        });
        self.set_client_teams(id, &details.team_ids).await?;
        Ok(id)
    }

    pub async fn client_update(
        &mut self,
        id: i64,
        details: &ClientDetails,
        now: OffsetDateTime,
    ) -> Result<()> {
        let v = Columns::from(details);
        let affected = on_tx!(self, |c| {
            sqlx::query(
                "UPDATE clients SET name = $2, updated_at = $3, date_of_birth = $4, phone = $5, email = $6, \
                 street = $7, house_number = $8, postcode = $9, city = $10, bsn = $11, living_situation = $12, \
                 referrer = $13 WHERE id = $1",
            )
            .bind(id)
            .bind(details.name.as_str())
            .bind(now)
            .bind(v.date_of_birth)
            .bind(&v.phone)
            .bind(&v.email)
            .bind(&v.street)
            .bind(&v.house_number)
            .bind(&v.postcode)
            .bind(&v.city)
            .bind(&v.bsn)
            .bind(v.living_situation)
            .bind(&v.referrer)
            .execute(c)
            .await
            .map_err(StorageError::conflict_on("bsn"))?
            .rows_affected()
        });
        if affected == 0 {
            return Err(StorageError::NotFound);
        }
        self.set_client_teams(id, &details.team_ids).await
    }

    async fn set_client_teams(&mut self, client_id: i64, team_ids: &[i64]) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query("DELETE FROM client_teams WHERE client_id = $1")
                .bind(client_id)
                .execute(&mut *c)
                .await?;
            for team_id in team_ids {
                // A team named twice is a conflict for the caller to explain, not a crash.
                sqlx::query("INSERT INTO client_teams (client_id, team_id) VALUES ($1, $2)")
                    .bind(client_id)
                    .bind(team_id)
                    .execute(&mut *c)
                    .await
                    .map_err(StorageError::conflict_on("client team"))?;
            }
        });
        Ok(())
    }

    pub async fn client_get(&mut self, id: i64) -> Result<Option<Client>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1");
        on_tx!(self, |c| {
            let client: Option<Client> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(&mut *c)
                .await?;
            let Some(mut client) = client else {
                return Ok(None);
            };
            client.team_ids = sqlx::query_scalar(
                "SELECT team_id FROM client_teams WHERE client_id = $1 ORDER BY team_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            client.core_team_user_ids = sqlx::query_scalar(
                "SELECT m.user_id FROM core_team_members m JOIN trajectories t ON t.id = m.trajectory_id \
                 WHERE t.client_id = $1 AND t.phase <> 'afgesloten' AND m.ended_at IS NULL \
                 AND m.user_id IS NOT NULL ORDER BY m.user_id",
            )
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            Ok(Some(client))
        })
    }

    /// Clients served by any of `team_ids`, or whose open trajectory has `user_id` in its core
    /// team, whose name contains `query` (case-insensitive) or
    /// whose BSN equals it exactly; the clients `user_id` coordinates come first, then by name.
    /// One page at a time, with the total number of matches.
    #[allow(clippy::too_many_arguments)]
    pub async fn clients_search(
        &mut self,
        team_ids: &[i64],
        query: &str,
        bsn: Option<&str>,
        user_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ClientSummary>, i64)> {
        let pattern = format!("%{}%", escape_like(query.trim()));
        // A BSN matches only exactly and whole; without one ($4 is NULL) that arm never matches.
        let filter = format!(
            "FROM clients c WHERE (LOWER(c.name) LIKE LOWER($1) ESCAPE '\\' OR (c.bsn = $4)) AND (EXISTS \
             (SELECT 1 FROM client_teams ct WHERE ct.client_id = c.id AND ct.team_id IN ({})) OR EXISTS \
             (SELECT 1 FROM core_team_members m JOIN trajectories t ON t.id = m.trajectory_id \
              WHERE t.client_id = c.id AND t.phase <> 'afgesloten' AND m.ended_at IS NULL AND m.user_id = $5))",
            // No teams: a list that matches nothing, so only core-team membership counts.
            if team_ids.is_empty() {
                "NULL".to_string()
            } else {
                placeholders(6, team_ids.len())
            }
        );
        let mine = "EXISTS (SELECT 1 FROM trajectories t WHERE t.client_id = c.id AND t.coordinator_id = $5 \
                    AND t.phase <> 'afgesloten')";
        let page_sql = format!(
            "SELECT c.id, c.name, {mine} AS mine {filter} ORDER BY CASE WHEN {mine} THEN 0 ELSE 1 END, c.name, c.id \
             LIMIT $2 OFFSET $3"
        );
        // The count binds the same parameters, so it keeps the same numbering.
        let count_sql = format!("SELECT COUNT(*) {filter} AND $2 >= 0 AND $3 >= 0 AND $5 = $5");
        on_tx!(self, |c| {
            let mut page = sqlx::query_as(sqlx::AssertSqlSafe(page_sql))
                .bind(&pattern)
                .bind(limit)
                .bind(offset)
                .bind(bsn)
                .bind(user_id);
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(&pattern)
                .bind(limit)
                .bind(offset)
                .bind(bsn)
                .bind(user_id);
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
pub(crate) fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
