use crate::{Result, StorageError, Tx, on_tx, placeholders};
use regie_domain::{Discipline, Language, Role};
use time::OffsetDateTime;

/// A user account as stored, with its domain-typed role and discipline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub discipline: Discipline,
    pub role: Role,
    pub password_hash: String,
    pub language: Option<Language>,
    pub active: bool,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    full_name: String,
    discipline: String,
    role: String,
    password_hash: String,
    language: Option<String>,
    active: bool,
    created_at: OffsetDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = StorageError;

    fn try_from(row: UserRow) -> Result<Self> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("user {}: {what}", row.id));
        Ok(User {
            id: row.id,
            discipline: Discipline::parse(&row.discipline).map_err(|_| corrupt("discipline"))?,
            role: Role::parse(&row.role).map_err(|_| corrupt("role"))?,
            language: row.language.as_deref().and_then(Language::parse),
            username: row.username,
            full_name: row.full_name,
            password_hash: row.password_hash,
            active: row.active,
            created_at: row.created_at,
        })
    }
}

const USER_COLUMNS: &str = "id, username, full_name, discipline, role, password_hash, language, \
    active, created_at";

pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub discipline: Discipline,
    pub role: Role,
    pub password_hash: &'a str,
    pub team_ids: &'a [i64],
}

pub struct UserUpdate<'a> {
    pub full_name: &'a str,
    pub discipline: Discipline,
    pub role: Role,
    pub team_ids: &'a [i64],
}

impl Tx {
    pub async fn user_create(&mut self, new: &NewUser<'_>, now: OffsetDateTime) -> Result<User> {
        let id: i64 = on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO users (username, full_name, discipline, role, password_hash, active, \
                 created_at) VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING id",
            )
            .bind(new.username)
            .bind(new.full_name)
            .bind(new.discipline.as_str())
            .bind(new.role.as_str())
            .bind(new.password_hash)
            .bind(now)
            .fetch_one(c)
            .await
            .map_err(StorageError::conflict_on("username"))?
        });
        self.set_user_teams(id, new.team_ids).await?;
        self.user_get(id).await?.ok_or(StorageError::NotFound)
    }

    pub async fn user_update(&mut self, id: i64, update: &UserUpdate<'_>) -> Result<User> {
        let changed = on_tx!(self, |c| {
            sqlx::query("UPDATE users SET full_name = $2, discipline = $3, role = $4 WHERE id = $1")
                .bind(id)
                .bind(update.full_name)
                .bind(update.discipline.as_str())
                .bind(update.role.as_str())
                .execute(c)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Err(StorageError::NotFound);
        }
        self.set_user_teams(id, update.team_ids).await?;
        self.user_get(id).await?.ok_or(StorageError::NotFound)
    }

    async fn set_user_teams(&mut self, user_id: i64, team_ids: &[i64]) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query("DELETE FROM team_members WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *c)
                .await?;
            for team_id in team_ids {
                sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
                    .bind(team_id)
                    .bind(user_id)
                    .execute(&mut *c)
                    .await?;
            }
        });
        Ok(())
    }

    pub async fn user_get(&mut self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(c)
                .await?
        });
        row.map(User::try_from).transpose()
    }

    pub async fn user_by_username(&mut self, username: &str) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        let row: Option<UserRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(username)
                .fetch_optional(c)
                .await?
        });
        row.map(User::try_from).transpose()
    }

    /// All users, active ones first, then by name.
    pub async fn users_list(&mut self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY active DESC, full_name, id");
        let rows: Vec<UserRow> = on_tx!(self, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_all(c)
            .await?);
        rows.into_iter().map(User::try_from).collect()
    }

    /// The ids of the active teams a user is a member of.
    pub async fn user_team_ids(&mut self, user_id: i64) -> Result<Vec<i64>> {
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "SELECT tm.team_id FROM team_members tm JOIN teams t ON t.id = tm.team_id \
                 WHERE tm.user_id = $1 AND t.active = TRUE ORDER BY tm.team_id",
            )
            .bind(user_id)
            .fetch_all(c)
            .await?
        }))
    }

    /// Every membership as (team id, user id); for listings.
    pub async fn team_memberships(&mut self) -> Result<Vec<(i64, i64)>> {
        Ok(on_tx!(self, |c| {
            sqlx::query_as("SELECT team_id, user_id FROM team_members ORDER BY team_id, user_id")
                .fetch_all(c)
                .await?
        }))
    }

    /// Active users in any of the given teams.
    pub async fn users_in_teams(&mut self, team_ids: &[i64]) -> Result<Vec<User>> {
        if team_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users WHERE active = TRUE AND id IN \
             (SELECT user_id FROM team_members WHERE team_id IN ({})) ORDER BY full_name",
            placeholders(1, team_ids.len())
        );
        let rows: Vec<UserRow> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in team_ids {
                query = query.bind(id);
            }
            query.fetch_all(c).await?
        });
        rows.into_iter().map(User::try_from).collect()
    }

    pub async fn user_set_active(&mut self, id: i64, active: bool) -> Result<()> {
        let affected = on_tx!(self, |c| {
            sqlx::query("UPDATE users SET active = $2 WHERE id = $1")
                .bind(id)
                .bind(active)
                .execute(c)
                .await?
                .rows_affected()
        });
        if affected == 0 {
            Err(StorageError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Sets a new password hash; also lifts any login lock on the user name.
    pub async fn user_set_password(&mut self, id: i64, password_hash: &str) -> Result<()> {
        let username: Option<String> = on_tx!(self, |c| {
            sqlx::query_scalar(
                "UPDATE users SET password_hash = $2 WHERE id = $1 RETURNING username",
            )
            .bind(id)
            .bind(password_hash)
            .fetch_optional(c)
            .await?
        });
        let username = username.ok_or(StorageError::NotFound)?;
        self.login_throttle_clear(&regie_domain::login::account_key(&username))
            .await
    }

    pub async fn user_set_language(&mut self, id: i64, language: Language) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query("UPDATE users SET language = $2 WHERE id = $1")
                .bind(id)
                .bind(language.code())
                .execute(c)
                .await?;
        });
        Ok(())
    }
}
