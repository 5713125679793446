//! Client records: personal details and the teams that serve the client. Both carry one
//! version; every version is kept as it was, so a save based on an older one can be refused
//! with what changed meanwhile.

use crate::{Result, StorageError, Tx, id_pairs, on_tx, placeholders};
use regie_domain::ClientAccess;
use regie_domain::{
    Address, Bsn, Client, ClientDetails, ClientInput, LivingSituation, Postcode, Trajectory,
};
use time::{Date, OffsetDateTime};

/// A client's row; [`ClientRow::into_client`] types its columns.
#[derive(sqlx::FromRow)]
struct ClientRow {
    id: i64,
    name: String,
    version: i64,
    created_at: OffsetDateTime,
    date_of_birth: Option<Date>,
    phone: Option<String>,
    email: Option<String>,
    street: Option<String>,
    house_number: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    bsn: Option<String>,
    living_situation: Option<String>,
    referrer: Option<String>,
}

impl ClientRow {
    /// Every value was validated by the domain before it was written, so one that no longer
    /// parses is a corrupt row, not user input.
    fn into_client(self) -> Result<Client> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("client {}: {what}", self.id));
        let address = match (self.street, self.house_number, self.postcode, self.city) {
            (Some(street), Some(house_number), Some(postcode), Some(city)) => Some(Address {
                street,
                house_number,
                postcode: Postcode::parse(&postcode).map_err(|_| corrupt("postcode"))?,
                city,
            }),
            _ => None,
        };
        Ok(Client {
            bsn: match &self.bsn {
                Some(bsn) => Some(Bsn::parse(bsn).map_err(|_| corrupt("bsn"))?),
                None => None,
            },
            living_situation: match &self.living_situation {
                Some(l) => {
                    Some(LivingSituation::parse(l).map_err(|_| corrupt("living situation"))?)
                }
                None => None,
            },
            id: self.id,
            name: self.name,
            team_ids: Vec::new(),
            core_team_user_ids: Vec::new(),
            open_coordinator_id: None,
            version: self.version,
            created_at: self.created_at,
            date_of_birth: self.date_of_birth,
            phone: self.phone,
            email: self.email,
            address,
            referrer: self.referrer,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct ClientSummary {
    pub id: i64,
    pub name: String,
    /// The searching user coordinates this client's open trajectory.
    pub mine: bool,
}

const CLIENT_COLUMNS: &str = "id, name, version, created_at, date_of_birth, phone, email, street, \
    house_number, postcode, city, bsn, living_situation, referrer";

/// One kept version of a client's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientVersion {
    pub version: i64,
    pub record: ClientInput,
    /// `created`, `details` or `teams`.
    pub kind: String,
    pub author: Option<String>,
    pub changed_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ClientVersionRow {
    version: i64,
    content: String,
    kind: String,
    author: Option<String>,
    changed_at: OffsetDateTime,
}

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
        by: Option<i64>,
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
        self.client_keep_version(id, "created", by, now).await?;
        Ok(id)
    }

    /// Changes the details (not the teams) of a client at `expected_version`; returns the new
    /// version. Another version than expected is a conflict: someone saved in between.
    pub async fn client_update(
        &mut self,
        id: i64,
        details: &ClientDetails,
        expected_version: i64,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let v = Columns::from(details);
        let affected = on_tx!(self, |c| {
            sqlx::query(
                "UPDATE clients SET name = $2, updated_at = $3, date_of_birth = $4, phone = $5, email = $6, \
                 street = $7, house_number = $8, postcode = $9, city = $10, bsn = $11, living_situation = $12, \
                 referrer = $13, version = version + 1 WHERE id = $1 AND version = $14",
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
            .bind(expected_version)
            .execute(c)
            .await
            .map_err(StorageError::conflict_on("bsn"))?
            .rows_affected()
        });
        if affected == 0 {
            return Err(StorageError::Conflict("client version"));
        }
        self.client_keep_version(id, "details", Some(by), now).await
    }

    /// Sets the teams that serve a client at `expected_version`; returns the new version.
    pub async fn client_set_serving_teams(
        &mut self,
        id: i64,
        team_ids: &[i64],
        expected_version: i64,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let affected = on_tx!(self, |c| {
            sqlx::query(
                "UPDATE clients SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2",
            )
            .bind(id)
            .bind(expected_version)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected()
        });
        if affected == 0 {
            return Err(StorageError::Conflict("client version"));
        }
        self.set_client_teams(id, team_ids).await?;
        self.client_keep_version(id, "teams", Some(by), now).await
    }

    /// Keeps the record as it is now as its current version; returns that version.
    async fn client_keep_version(
        &mut self,
        id: i64,
        kind: &str,
        by: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let client = self.client_get(id).await?.ok_or(StorageError::NotFound)?;
        let content = serde_json::to_string(&client.as_input())
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO client_versions (client_id, version, content, kind, changed_by, changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(client.version)
            .bind(&content)
            .bind(kind)
            .bind(by)
            .bind(now)
            .execute(c)
            .await
            .map_err(StorageError::conflict_on("client version"))?;
        });
        Ok(client.version)
    }

    /// The kept versions of a client from `from` on (inclusive), oldest first.
    pub async fn client_versions_from(
        &mut self,
        access: &ClientAccess,
        from: i64,
    ) -> Result<Vec<ClientVersion>> {
        let id = access.client_id();
        let rows: Vec<ClientVersionRow> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT v.version, v.content, v.kind, u.full_name AS author, v.changed_at \
                 FROM client_versions v LEFT JOIN users u ON u.id = v.changed_by \
                 WHERE v.client_id = $1 AND v.version >= $2 ORDER BY v.version",
            )
            .bind(id)
            .bind(from)
            .fetch_all(c)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(ClientVersion {
                    record: serde_json::from_str(&r.content).map_err(|e| {
                        StorageError::Corrupt(format!("client {id} version {}: {e}", r.version))
                    })?,
                    version: r.version,
                    kind: r.kind,
                    author: r.author,
                    changed_at: r.changed_at,
                })
            })
            .collect()
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

    /// The client `id`, with what the access rule asks about them: this is what the access
    /// check itself starts from, so it asks for no grant.
    pub async fn client_get(&mut self, id: i64) -> Result<Option<Client>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM clients WHERE id = $1");
        let row: Option<ClientRow> = on_tx!(self, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(c)
            .await?);
        let clients = self.with_access_inputs(row.into_iter().collect()).await?;
        Ok(clients.into_iter().next())
    }

    /// Clients in execution (their open trajectory in `uitvoering`) that `user_id` reaches:
    /// served by one of `team_ids`, or, `through_core_team`, with `user_id` in the core team.
    /// By name, at most `limit`, each with its open trajectory and what the access rule asks
    /// about it: a fixed number of queries however many clients there are. The caller asks
    /// the rule per client before reading anything else of theirs.
    pub async fn clients_in_execution(
        &mut self,
        team_ids: &[i64],
        user_id: i64,
        through_core_team: bool,
        limit: i64,
    ) -> Result<Vec<(Client, Trajectory)>> {
        let columns = CLIENT_COLUMNS
            .split(", ")
            .map(|column| format!("c.{column}"))
            .collect::<Vec<_>>()
            .join(", ");
        let teams = if team_ids.is_empty() {
            "NULL".to_string()
        } else {
            placeholders(4, team_ids.len())
        };
        let sql = format!(
            "SELECT {columns} FROM clients c JOIN trajectories t ON t.client_id = c.id \
             WHERE t.phase = 'uitvoering' AND (EXISTS (SELECT 1 FROM client_teams ct \
             WHERE ct.client_id = c.id AND ct.team_id IN ({teams})) OR ($2 = 1 AND EXISTS \
             (SELECT 1 FROM core_team_members m WHERE m.trajectory_id = t.id \
             AND m.ended_at IS NULL AND m.user_id = $1))) ORDER BY c.name, c.id LIMIT $3"
        );
        let rows: Vec<ClientRow> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(user_id)
                .bind(i64::from(through_core_team))
                .bind(limit);
            for id in team_ids {
                query = query.bind(id);
            }
            query.fetch_all(c).await?
        });
        let clients = self.with_access_inputs(rows).await?;
        let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
        let mut open = self.trajectories_in_execution(&ids).await?;
        Ok(clients
            .into_iter()
            .filter_map(|client| {
                let at = open.iter().position(|t| t.client_id == client.id)?;
                Some((client, open.swap_remove(at)))
            })
            .collect())
    }

    /// Types the rows and adds, for all of them at once, the serving teams and the open
    /// trajectory's core team and coordinator.
    async fn with_access_inputs(&mut self, rows: Vec<ClientRow>) -> Result<Vec<Client>> {
        let mut clients = rows
            .into_iter()
            .map(ClientRow::into_client)
            .collect::<Result<Vec<_>>>()?;
        let ids: Vec<i64> = clients.iter().map(|c| c.id).collect();
        let teams = id_pairs(
            self,
            "SELECT client_id, team_id FROM client_teams WHERE client_id IN ({ids}) ORDER BY team_id",
            &ids,
        )
        .await?;
        let core_team = id_pairs(
            self,
            "SELECT t.client_id, m.user_id FROM core_team_members m \
             JOIN trajectories t ON t.id = m.trajectory_id WHERE t.client_id IN ({ids}) \
             AND t.phase <> 'afgesloten' AND m.ended_at IS NULL AND m.user_id IS NOT NULL \
             ORDER BY m.user_id",
            &ids,
        )
        .await?;
        let coordinators = id_pairs(
            self,
            "SELECT client_id, coordinator_id FROM trajectories WHERE client_id IN ({ids}) \
             AND phase <> 'afgesloten'",
            &ids,
        )
        .await?;
        for client in &mut clients {
            let of = |pairs: &[(i64, i64)]| -> Vec<i64> {
                pairs
                    .iter()
                    .filter(|(id, _)| *id == client.id)
                    .map(|(_, value)| *value)
                    .collect()
            };
            client.team_ids = of(&teams);
            client.core_team_user_ids = of(&core_team);
            client.open_coordinator_id = of(&coordinators).first().copied();
        }
        Ok(clients)
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

/// A reason a team lead stated to open a record (break the glass).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredReason {
    pub user_id: i64,
    pub user_name: String,
    pub reason: String,
    pub stated_at: OffsetDateTime,
    pub valid_until: OffsetDateTime,
}

impl Tx {
    pub async fn stated_reason_add(
        &mut self,
        user_id: i64,
        client_id: i64,
        reason: &str,
        stated_at: OffsetDateTime,
        valid_until: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO stated_reasons (user_id, client_id, reason, stated_at, valid_until) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(user_id)
            .bind(client_id)
            .bind(reason)
            .bind(stated_at)
            .bind(valid_until)
            .execute(c)
            .await?;
        });
        Ok(())
    }

    /// Whether `user_id` stated a reason for this client that is still valid at `now`.
    pub async fn stated_reason_valid(
        &mut self,
        user_id: i64,
        client_id: i64,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let found: Option<i64> = on_tx!(self, |c| {
            sqlx::query_scalar(
                "SELECT id FROM stated_reasons WHERE client_id = $1 AND user_id = $2 AND valid_until > $3 \
                 LIMIT 1",
            )
            .bind(client_id)
            .bind(user_id)
            .bind(now)
            .fetch_optional(c)
            .await?
        });
        Ok(found.is_some())
    }

    /// Every reason stated to open this client's record, newest first.
    pub async fn stated_reasons_for_client(
        &mut self,
        access: &ClientAccess,
    ) -> Result<Vec<StoredReason>> {
        let client_id = access.client_id();
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT r.user_id, u.full_name AS user_name, r.reason, r.stated_at, r.valid_until \
                 FROM stated_reasons r JOIN users u ON u.id = r.user_id WHERE r.client_id = $1 \
                 ORDER BY r.stated_at DESC, r.id DESC",
            )
            .bind(client_id)
            .fetch_all(c)
            .await?
        }))
    }
}

/// Makes `%`, `_` and `\` in a search term match themselves.
pub(crate) fn escape_like(term: &str) -> String {
    term.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
