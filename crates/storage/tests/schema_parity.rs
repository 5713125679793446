//! The SQLite and PostgreSQL migration folders describe the same schema.
//!
//! Both backends are migrated from scratch and introspected from their own catalogues; the
//! result is normalised into one structure (tables, columns with a coarse type family,
//! nullability and primary-key position, indexes, foreign keys) and compared. Nothing about the
//! expected schema is written down here: whatever one folder adds, the other must add too.
//!
//! Not compared: CHECK constraints, defaults, triggers and the text of partial-index
//! predicates (only whether an index is partial), which each backend spells its own way.
//!
//! Needs PostgreSQL (`REGIE_TEST_POSTGRES`, see `regie_storage::testing`): skipped with a
//! message when it is unreachable, a failure under `CI=true`.
//!
//! Run with `cargo test -p regie-storage --features testing --test schema_parity`.

#![cfg(feature = "testing")]

use regie_storage::Db;
use regie_storage::testing::{TestBackend, TestDatabase};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A coarse type family: what a column holds, whatever the backend calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Integer,
    Text,
    Real,
    Boolean,
    Timestamp,
    Date,
    Blob,
    Json,
}

/// SQLite declared types (as written in `CREATE TABLE`) onto families. Unknown types fail the
/// test, so a new type gets mapped on purpose rather than guessed from SQLite's affinity rules.
fn sqlite_family(declared: &str) -> Family {
    match declared.trim().to_ascii_uppercase().as_str() {
        "INTEGER" | "INT" | "BIGINT" | "SMALLINT" => Family::Integer,
        "TEXT" | "VARCHAR" | "CHAR" | "CLOB" => Family::Text,
        "REAL" | "DOUBLE" | "DOUBLE PRECISION" | "FLOAT" | "NUMERIC" => Family::Real,
        "BOOLEAN" | "BOOL" => Family::Boolean,
        "TIMESTAMP" | "DATETIME" | "TIMESTAMPTZ" => Family::Timestamp,
        "DATE" => Family::Date,
        "BLOB" | "" => Family::Blob,
        "JSON" | "JSONB" => Family::Json,
        other => panic!("SQLite declared type {other:?} has no family: add it to sqlite_family"),
    }
}

/// PostgreSQL `information_schema.columns.data_type` onto families; unknown types fail.
fn postgres_family(data_type: &str) -> Family {
    match data_type {
        "bigint" | "integer" | "smallint" => Family::Integer,
        "text" | "character varying" | "character" => Family::Text,
        "real" | "double precision" | "numeric" => Family::Real,
        "boolean" => Family::Boolean,
        "timestamp with time zone" | "timestamp without time zone" => Family::Timestamp,
        "date" => Family::Date,
        "bytea" => Family::Blob,
        "json" | "jsonb" => Family::Json,
        other => {
            panic!("PostgreSQL data type {other:?} has no family: add it to postgres_family")
        }
    }
}

/// Whether a SQLite column type and a PostgreSQL column type store the same thing.
///
/// Equal families always do. The one difference by design: SQLite has no date, time or JSON
/// type, and sqlx stores `time::OffsetDateTime`, `time::Date` and JSON there as TEXT (RFC 3339
/// / ISO 8601 text), while PostgreSQL has `timestamptz`, `date` and `json(b)`. So a SQLite TEXT
/// column matches a PostgreSQL timestamp, date or JSON column. Nothing else is allowed: a
/// timestamp stored as INTEGER (Unix time) would not decode into the same Rust type, and is
/// reported.
fn types_match(sqlite: Family, postgres: Family) -> bool {
    sqlite == postgres
        || (sqlite == Family::Text
            && matches!(postgres, Family::Timestamp | Family::Date | Family::Json))
}

#[derive(Debug, Clone)]
struct Column {
    /// The type as the backend names it, for messages.
    declared: String,
    family: Family,
    nullable: bool,
    /// 1-based position in the primary key.
    primary_key: Option<i64>,
}

/// An index (or a UNIQUE constraint, which both backends back with an index) by what it
/// covers, not by name; primary-key indexes are left out (the primary key is on the columns).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct IndexKey {
    table: String,
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

impl fmt::Display for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.unique { "unique index" } else { "index" };
        let partial = if self.partial { " (partial)" } else { "" };
        write!(
            f,
            "{kind} on {} ({}){partial}",
            self.table,
            self.columns.join(", ")
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    table: String,
    columns: Vec<String>,
    references: String,
    referenced_columns: Vec<String>,
    on_update: String,
    on_delete: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "foreign key {} ({}) -> {} ({}) ON UPDATE {} ON DELETE {}",
            self.table,
            self.columns.join(", "),
            self.references,
            self.referenced_columns.join(", "),
            self.on_update,
            self.on_delete
        )
    }
}

#[derive(Debug, Default)]
struct Schema {
    /// Table -> column -> column.
    tables: BTreeMap<String, BTreeMap<String, Column>>,
    /// Index -> the names it has (several when an index is duplicated).
    indexes: BTreeMap<IndexKey, Vec<String>>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// Remarks that are not differences between the folders, printed for information.
    notes: Vec<String>,
}

/// `pragma_foreign_key_list`: id, seq, table, from, to, on_update, on_delete.
type SqliteForeignKeyRow = (i64, i64, String, String, Option<String>, String, String);

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("list SQLite tables");

    for table in &tables {
        let columns: Vec<(String, String, i64, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("SQLite columns");
        let pk_count = columns.iter().filter(|c| c.3 > 0).count();
        let mut normalised = BTreeMap::new();
        for (name, declared, not_null, pk) in columns {
            let primary_key = (pk > 0).then_some(pk);
            // PRIMARY KEY implies NOT NULL, as in PostgreSQL. SQLite enforces that only for an
            // INTEGER PRIMARY KEY (the rowid) or an explicit NOT NULL; any other primary-key
            // column accepts NULL there (a documented legacy quirk). That is a property of
            // SQLite, not a difference between the folders: noted, not failed.
            let rowid =
                pk_count == 1 && primary_key.is_some() && declared.eq_ignore_ascii_case("INTEGER");
            if primary_key.is_some() && not_null == 0 && !rowid {
                schema.notes.push(format!(
                    "{table}.{name} ({declared} PRIMARY KEY without NOT NULL): SQLite accepts NULL here, PostgreSQL does not"
                ));
            }
            let column = Column {
                family: sqlite_family(&declared),
                declared,
                nullable: not_null == 0 && primary_key.is_none(),
                primary_key,
            };
            normalised.insert(name, column);
        }
        schema.tables.insert(table.clone(), normalised);

        let indexes: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY name",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("SQLite indexes");
        for (name, unique, origin, partial) in indexes {
            if origin == "pk" {
                continue;
            }
            let columns: Vec<(i64, Option<String>)> =
                sqlx::query_as("SELECT seqno, name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(pool)
                    .await
                    .expect("SQLite index columns");
            let key = IndexKey {
                table: table.clone(),
                columns: columns
                    .into_iter()
                    .map(|(_, c)| c.unwrap_or_else(|| "<expression>".into()))
                    .collect(),
                unique: unique != 0,
                partial: partial != 0,
            };
            schema.indexes.entry(key).or_default().push(name);
        }
    }

    for table in &tables {
        let rows: Vec<SqliteForeignKeyRow> = sqlx::query_as(
            "SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete \
                 FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(table)
        .fetch_all(pool)
        .await
        .expect("SQLite foreign keys");
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for (id, _seq, references, from, to, on_update, on_delete) in rows {
            let fk = by_id.entry(id).or_insert_with(|| ForeignKey {
                table: table.clone(),
                columns: Vec::new(),
                references: references.clone(),
                referenced_columns: Vec::new(),
                on_update,
                on_delete,
            });
            fk.columns.push(from);
            if let Some(to) = to {
                fk.referenced_columns.push(to);
            }
        }
        for mut fk in by_id.into_values() {
            // `REFERENCES t` without columns means t's primary key.
            if fk.referenced_columns.is_empty() {
                let mut pk: Vec<(i64, String)> = schema
                    .tables
                    .get(&fk.references)
                    .map(|columns| {
                        columns
                            .iter()
                            .filter_map(|(n, c)| c.primary_key.map(|p| (p, n.clone())))
                            .collect()
                    })
                    .unwrap_or_default();
                pk.sort();
                fk.referenced_columns = pk.into_iter().map(|(_, n)| n).collect();
            }
            schema.foreign_keys.insert(fk);
        }
    }
    schema
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("list PostgreSQL tables");
    for table in tables {
        schema.tables.insert(table, BTreeMap::new());
    }

    let primary_keys: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT kcu.table_name::text, kcu.column_name::text, kcu.ordinal_position::int8 \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_schema = tc.constraint_schema \
          AND kcu.constraint_name = tc.constraint_name \
          AND kcu.table_name = tc.table_name \
         WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'",
    )
    .fetch_all(pool)
    .await
    .expect("PostgreSQL primary keys");
    let primary_keys: BTreeMap<(String, String), i64> = primary_keys
        .into_iter()
        .map(|(t, c, p)| ((t, c), p))
        .collect();

    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await
    .expect("PostgreSQL columns");
    for (table, name, data_type, is_nullable) in columns {
        let Some(table_columns) = schema.tables.get_mut(&table) else {
            continue; // _sqlx_migrations, views
        };
        let primary_key = primary_keys.get(&(table.clone(), name.clone())).copied();
        let column = Column {
            family: postgres_family(&data_type),
            declared: data_type,
            nullable: is_nullable == "YES",
            primary_key,
        };
        table_columns.insert(name, column);
    }

    let index_columns: Vec<(String, String, bool, bool, Option<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, ix.indisunique, ix.indpred IS NOT NULL, \
                a.attname::text \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0 \
         WHERE n.nspname = current_schema() AND NOT ix.indisprimary \
           AND t.relname <> '_sqlx_migrations' AND k.ord <= ix.indnkeyatts \
         ORDER BY t.relname, i.relname, k.ord",
    )
    .fetch_all(pool)
    .await
    .expect("PostgreSQL indexes");
    let mut indexes: BTreeMap<String, IndexKey> = BTreeMap::new();
    for (table, index, unique, partial, column) in index_columns {
        indexes
            .entry(index)
            .or_insert_with(|| IndexKey {
                table,
                columns: Vec::new(),
                unique,
                partial,
            })
            .columns
            .push(column.unwrap_or_else(|| "<expression>".into()));
    }
    for (name, key) in indexes {
        schema.indexes.entry(key).or_default().push(name);
    }

    let fk_columns: Vec<(String, String, String, String, String, String, String)> =
        sqlx::query_as(
            "SELECT t.relname::text, c.conname::text, a.attname::text, rt.relname::text, \
                    ra.attname::text, c.confupdtype::text, c.confdeltype::text \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_class rt ON rt.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(att, ref_att, ord) \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.att \
             JOIN pg_attribute ra ON ra.attrelid = rt.oid AND ra.attnum = k.ref_att \
             WHERE c.contype = 'f' AND n.nspname = current_schema() \
             ORDER BY t.relname, c.conname, k.ord",
        )
        .fetch_all(pool)
        .await
        .expect("PostgreSQL foreign keys");
    let mut foreign_keys: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for (table, name, column, references, referenced, on_update, on_delete) in fk_columns {
        let fk = foreign_keys
            .entry((table.clone(), name))
            .or_insert_with(|| ForeignKey {
                table,
                columns: Vec::new(),
                references,
                referenced_columns: Vec::new(),
                on_update: referential_action(&on_update),
                on_delete: referential_action(&on_delete),
            });
        fk.columns.push(column);
        fk.referenced_columns.push(referenced);
    }
    schema.foreign_keys = foreign_keys.into_values().collect();
    schema
}

/// `pg_constraint.confupdtype` / `confdeltype` as SQLite's `pragma_foreign_key_list` spells it.
fn referential_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => panic!("unknown referential action {other:?}"),
    }
    .to_string()
}

fn describe(column: &Column) -> String {
    let null = if column.nullable { "NULL" } else { "NOT NULL" };
    let pk = match column.primary_key {
        Some(position) => format!(", primary key #{position}"),
        None => String::new(),
    };
    format!("{} ({:?}), {null}{pk}", column.declared, column.family)
}

/// Every difference, one readable line each; empty when the schemas agree.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for table in names {
        let (s, p) = match (sqlite.tables.get(table), postgres.tables.get(table)) {
            (Some(s), Some(p)) => (s, p),
            (Some(_), None) => {
                out.push(format!("table {table}: only in SQLite"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("table {table}: only in PostgreSQL"));
                continue;
            }
            (None, None) => unreachable!(),
        };
        let columns: BTreeSet<&String> = s.keys().chain(p.keys()).collect();
        for column in columns {
            match (s.get(column), p.get(column)) {
                (Some(s), None) => out.push(format!(
                    "column {table}.{column}: only in SQLite ({})",
                    describe(s)
                )),
                (None, Some(p)) => out.push(format!(
                    "column {table}.{column}: only in PostgreSQL ({})",
                    describe(p)
                )),
                (Some(s), Some(p)) => {
                    if !types_match(s.family, p.family)
                        || s.nullable != p.nullable
                        || s.primary_key != p.primary_key
                    {
                        out.push(format!(
                            "column {table}.{column} differs: SQLite {} | PostgreSQL {}",
                            describe(s),
                            describe(p)
                        ));
                    }
                }
                (None, None) => unreachable!(),
            }
        }
    }

    let keys: BTreeSet<&IndexKey> = sqlite
        .indexes
        .keys()
        .chain(postgres.indexes.keys())
        .collect();
    for key in keys {
        let s = sqlite.indexes.get(key).map_or(&[][..], Vec::as_slice);
        let p = postgres.indexes.get(key).map_or(&[][..], Vec::as_slice);
        match (s.len(), p.len()) {
            (a, b) if a == b => {}
            (_, 0) => out.push(format!("{key}: only in SQLite [{}]", s.join(", "))),
            (0, _) => out.push(format!("{key}: only in PostgreSQL [{}]", p.join(", "))),
            _ => out.push(format!(
                "{key}: SQLite has {} [{}], PostgreSQL has {} [{}]",
                s.len(),
                s.join(", "),
                p.len(),
                p.join(", ")
            )),
        }
    }

    for fk in sqlite.foreign_keys.difference(&postgres.foreign_keys) {
        out.push(format!("{fk}: only in SQLite"));
    }
    for fk in postgres.foreign_keys.difference(&sqlite.foreign_keys) {
        out.push(format!("{fk}: only in PostgreSQL"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    // PostgreSQL first: when it is unreachable (outside CI) there is nothing to compare.
    let Some(postgres) = TestDatabase::create(TestBackend::Postgres).await else {
        return;
    };
    let sqlite = TestDatabase::create(TestBackend::Sqlite)
        .await
        .expect("SQLite is always available");

    let sqlite_schema = match &sqlite.db {
        Db::Sqlite(pool) => sqlite_schema(pool).await,
        Db::Postgres(_) => unreachable!("a SQLite test database"),
    };
    let postgres_schema = match &postgres.db {
        Db::Postgres(pool) => postgres_schema(pool).await,
        Db::Sqlite(_) => unreachable!("a PostgreSQL test database"),
    };

    // Guard against an introspection that silently finds nothing on either side.
    assert!(
        !sqlite_schema.tables.is_empty() && !postgres_schema.tables.is_empty(),
        "introspection found no tables (SQLite {}, PostgreSQL {})",
        sqlite_schema.tables.len(),
        postgres_schema.tables.len()
    );
    let columns = |s: &Schema| s.tables.values().map(BTreeMap::len).sum::<usize>();
    eprintln!(
        "compared: SQLite {} tables, {} columns, {} indexes, {} foreign keys; \
         PostgreSQL {} tables, {} columns, {} indexes, {} foreign keys",
        sqlite_schema.tables.len(),
        columns(&sqlite_schema),
        sqlite_schema.indexes.values().map(Vec::len).sum::<usize>(),
        sqlite_schema.foreign_keys.len(),
        postgres_schema.tables.len(),
        columns(&postgres_schema),
        postgres_schema
            .indexes
            .values()
            .map(Vec::len)
            .sum::<usize>(),
        postgres_schema.foreign_keys.len(),
    );
    for note in sqlite_schema.notes.iter().chain(&postgres_schema.notes) {
        eprintln!("note: {note}");
    }

    let differences = differences(&sqlite_schema, &postgres_schema);
    assert!(
        differences.is_empty(),
        "the SQLite and PostgreSQL migrations describe different schemas \
         ({} differences):\n  {}\n",
        differences.len(),
        differences.join("\n  ")
    );
}
