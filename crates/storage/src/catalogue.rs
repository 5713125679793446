//! The intervention and aids catalogues. Entries are retired, never deleted, so plans that
//! used them keep reading right.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::catalogue::{starter_aids, starter_interventions};
use regie_domain::{AidEntry, InterventionCategory, InterventionEntry, WorkingElement};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueIntervention {
    pub id: i64,
    pub entry: InterventionEntry,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAid {
    pub id: i64,
    pub entry: AidEntry,
    pub retired: bool,
}

#[derive(sqlx::FromRow)]
struct InterventionRow {
    id: i64,
    key: String,
    category: String,
    name_nl: String,
    name_en: String,
    description_nl: String,
    description_en: String,
    working_elements: String,
    retired_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct AidRow {
    id: i64,
    key: String,
    category: String,
    name_nl: String,
    name_en: String,
    activities: String,
    description_nl: String,
    description_en: String,
    source_nl: String,
    source_en: String,
    retired_at: Option<OffsetDateTime>,
}

impl AidRow {
    fn into_aid(self) -> StoredAid {
        StoredAid {
            id: self.id,
            retired: self.retired_at.is_some(),
            entry: AidEntry {
                key: self.key,
                category: self.category,
                name_nl: self.name_nl,
                name_en: self.name_en,
                activities: self
                    .activities
                    .split(',')
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect(),
                description_nl: self.description_nl,
                description_en: self.description_en,
                source_nl: self.source_nl,
                source_en: self.source_en,
            },
        }
    }
}

const AID_COLUMNS: &str = "id, key, category, name_nl, name_en, activities, description_nl, description_en, \
     source_nl, source_en, retired_at";

impl Tx {
    /// Adds the starter entries we ship that are not there yet (matched by key); an entry an
    /// administrator changed or retired is left as it is.
    pub async fn install_starter_catalogue(&mut self, now: OffsetDateTime) -> Result<()> {
        for entry in starter_interventions() {
            match self.intervention_add(&entry, now).await {
                Ok(_) | Err(StorageError::Conflict(_)) => {}
                Err(other) => return Err(other),
            }
        }
        for aid in starter_aids() {
            match self.aid_add(&aid, now).await {
                Ok(_) | Err(StorageError::Conflict(_)) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// Adds an intervention; a conflict when its key exists. On PostgreSQL a failed insert
    /// would abort the transaction, so the key is checked first.
    pub async fn intervention_add(
        &mut self,
        entry: &InterventionEntry,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let exists: Option<i64> = on_tx!(self, |c| {
            sqlx::query_scalar("SELECT id FROM intervention_catalogue WHERE key = $1")
                .bind(&entry.key)
                .fetch_optional(c)
                .await?
        });
        if exists.is_some() {
            return Err(StorageError::Conflict("intervention"));
        }
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO intervention_catalogue (key, category, name_nl, name_en, description_nl, \
                 description_en, working_elements, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&entry.key)
            .bind(entry.category.as_str())
            .bind(&entry.name_nl)
            .bind(&entry.name_en)
            .bind(&entry.description_nl)
            .bind(&entry.description_en)
            .bind(WorkingElement::join(&entry.working_elements))
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }

    /// The whole intervention catalogue, retired entries included, by category and name.
    pub async fn interventions(&mut self) -> Result<Vec<CatalogueIntervention>> {
        let rows: Vec<InterventionRow> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT id, key, category, name_nl, name_en, description_nl, description_en, working_elements, \
                 retired_at FROM intervention_catalogue ORDER BY id",
            )
            .fetch_all(c)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(CatalogueIntervention {
                    id: r.id,
                    retired: r.retired_at.is_some(),
                    entry: InterventionEntry {
                        category: InterventionCategory::parse(&r.category)
                            .map_err(|_| StorageError::Corrupt(format!("intervention {}", r.id)))?,
                        working_elements: WorkingElement::parse_list(&r.working_elements),
                        key: r.key,
                        name_nl: r.name_nl,
                        name_en: r.name_en,
                        description_nl: r.description_nl,
                        description_en: r.description_en,
                    },
                })
            })
            .collect()
    }

    /// Retires (or, with `None`, brings back) an intervention.
    pub async fn intervention_retire(
        &mut self,
        id: i64,
        retired_at: Option<OffsetDateTime>,
    ) -> Result<()> {
        let changed = on_tx!(self, |c| {
            sqlx::query("UPDATE intervention_catalogue SET retired_at = $2 WHERE id = $1")
                .bind(id)
                .bind(retired_at)
                .execute(c)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    pub async fn aid_add(&mut self, aid: &AidEntry, now: OffsetDateTime) -> Result<i64> {
        let exists: Option<i64> = on_tx!(self, |c| {
            sqlx::query_scalar("SELECT id FROM aids WHERE key = $1")
                .bind(&aid.key)
                .fetch_optional(c)
                .await?
        });
        if exists.is_some() {
            return Err(StorageError::Conflict("aid"));
        }
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO aids (key, category, name_nl, name_en, activities, description_nl, description_en, \
                 source_nl, source_en, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
            )
            .bind(&aid.key)
            .bind(&aid.category)
            .bind(&aid.name_nl)
            .bind(&aid.name_en)
            .bind(aid.activities.join(","))
            .bind(&aid.description_nl)
            .bind(&aid.description_en)
            .bind(&aid.source_nl)
            .bind(&aid.source_en)
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }

    /// Changes an aid's text and links; its key stays, so links from plans hold.
    pub async fn aid_update(&mut self, id: i64, aid: &AidEntry, now: OffsetDateTime) -> Result<()> {
        let changed = on_tx!(self, |c| {
            sqlx::query(
                "UPDATE aids SET category = $2, name_nl = $3, name_en = $4, activities = $5, description_nl = $6, \
                 description_en = $7, source_nl = $8, source_en = $9, updated_at = $10 WHERE id = $1",
            )
            .bind(id)
            .bind(&aid.category)
            .bind(&aid.name_nl)
            .bind(&aid.name_en)
            .bind(aid.activities.join(","))
            .bind(&aid.description_nl)
            .bind(&aid.description_en)
            .bind(&aid.source_nl)
            .bind(&aid.source_en)
            .bind(now)
            .execute(c)
            .await?
            .rows_affected()
        });
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    pub async fn aid_retire(&mut self, id: i64, retired_at: Option<OffsetDateTime>) -> Result<()> {
        let changed = on_tx!(self, |c| {
            sqlx::query("UPDATE aids SET retired_at = $2 WHERE id = $1")
                .bind(id)
                .bind(retired_at)
                .execute(c)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        Ok(())
    }

    pub async fn aid_get(&mut self, id: i64) -> Result<Option<StoredAid>> {
        let sql = format!("SELECT {AID_COLUMNS} FROM aids WHERE id = $1");
        let row: Option<AidRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(c)
                .await?
        });
        Ok(row.map(AidRow::into_aid))
    }

    /// Aids whose name, category or description contains `query` (either language) and that
    /// help with `activity` (when given); retired aids only when asked.
    pub async fn aids_search(
        &mut self,
        query: &str,
        activity: Option<&str>,
        include_retired: bool,
    ) -> Result<Vec<StoredAid>> {
        let pattern = format!("%{}%", crate::clients::escape_like(query.trim()));
        let activity_pattern = activity.map(|a| format!("%,{},%", crate::clients::escape_like(a)));
        let sql = format!(
            "SELECT {AID_COLUMNS} FROM aids WHERE \
             (LOWER(name_nl) LIKE LOWER($1) ESCAPE '\\' OR LOWER(name_en) LIKE LOWER($1) ESCAPE '\\' \
              OR LOWER(category) LIKE LOWER($1) ESCAPE '\\' OR LOWER(description_nl) LIKE LOWER($1) ESCAPE '\\' \
              OR LOWER(description_en) LIKE LOWER($1) ESCAPE '\\') \
             AND ($2 IS NULL OR (',' || activities || ',') LIKE $2 ESCAPE '\\') \
             AND ($3 OR retired_at IS NULL) ORDER BY category, name_nl"
        );
        let rows: Vec<AidRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(&pattern)
                .bind(&activity_pattern)
                .bind(include_retired)
                .fetch_all(c)
                .await?
        });
        Ok(rows.into_iter().map(AidRow::into_aid).collect())
    }
}
