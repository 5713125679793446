//! The people around a client.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::ClientAccess;
use regie_domain::{Asks, Balance, NetworkMember, NetworkSummary};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNetworkMember {
    pub id: i64,
    pub member: NetworkMember,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    name: String,
    relation: String,
    contact: Option<String>,
    helps_with: Option<String>,
    how_often: Option<String>,
    asks: String,
    carer_load: Option<i64>,
    carer_capacity: Option<i64>,
    created_at: OffsetDateTime,
}

impl Tx {
    pub async fn network_add(
        &mut self,
        client_id: i64,
        member: &NetworkMember,
        user_id: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO network_members (client_id, name, relation, contact, helps_with, how_often, asks, \
                 carer_load, carer_capacity, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(client_id)
            .bind(&member.name)
            .bind(&member.relation)
            .bind(&member.contact)
            .bind(&member.helps_with)
            .bind(&member.how_often)
            .bind(member.asks.as_str())
            .bind(member.carer.map(|(load, _)| i64::from(load)))
            .bind(member.carer.map(|(_, capacity)| i64::from(capacity)))
            .bind(user_id)
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }

    /// The people around a client, in the order they were added.
    pub async fn network_for_client(
        &mut self,
        access: &ClientAccess,
    ) -> Result<Vec<StoredNetworkMember>> {
        let client_id = access.client_id();
        let rows: Vec<MemberRow> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT id, name, relation, contact, helps_with, how_often, asks, carer_load, carer_capacity, created_at \
                 FROM network_members WHERE client_id = $1 ORDER BY id",
            )
            .bind(client_id)
            .fetch_all(c)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                let corrupt = || StorageError::Corrupt(format!("network member {}", r.id));
                let score = |v: i64| u8::try_from(v).map_err(|_| corrupt());
                let carer = match (r.carer_load, r.carer_capacity) {
                    (Some(load), Some(capacity)) => Some((score(load)?, score(capacity)?)),
                    _ => None,
                };
                Ok(StoredNetworkMember {
                    id: r.id,
                    created_at: r.created_at,
                    member: NetworkMember {
                        asks: Asks::parse(&r.asks).map_err(|_| corrupt())?,
                        name: r.name,
                        relation: r.relation,
                        contact: r.contact,
                        helps_with: r.helps_with,
                        how_often: r.how_often,
                        carer,
                    },
                })
            })
            .collect()
    }

    pub async fn client_network_summary(
        &mut self,
        access: &ClientAccess,
    ) -> Result<(Option<NetworkSummary>, Option<Balance>)> {
        let client_id = access.client_id();
        let row: Option<(Option<String>, Option<String>)> = on_tx!(self, |c| {
            sqlx::query_as("SELECT network_summary, network_balance FROM clients WHERE id = $1")
                .bind(client_id)
                .fetch_optional(c)
                .await?
        });
        let (summary, balance) = row.ok_or(StorageError::NotFound)?;
        Ok((
            summary
                .as_deref()
                .and_then(|s| NetworkSummary::parse(s).ok()),
            balance.as_deref().and_then(|b| Balance::parse(b).ok()),
        ))
    }

    pub async fn client_set_network_summary(
        &mut self,
        client_id: i64,
        summary: Option<NetworkSummary>,
        balance: Option<Balance>,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "UPDATE clients SET network_summary = $2, network_balance = $3 WHERE id = $1",
            )
            .bind(client_id)
            .bind(summary.map(NetworkSummary::as_str))
            .bind(balance.map(Balance::as_str))
            .execute(c)
            .await?;
        });
        Ok(())
    }
}
