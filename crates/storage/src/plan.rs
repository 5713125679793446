//! The core team, the versioned plan and Samen Beslissen records of a trajectory.

use crate::{Result, StorageError, Tx, on_tx};
use regie_domain::TrajectoryAccess;
use regie_domain::{Discipline, Plan, SharedDecision, TeamChange};
use time::OffsetDateTime;

/// An active member of a core team: a professional (with discipline) or the client's chosen
/// network member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreTeamMember {
    pub user_id: Option<i64>,
    pub network_member_id: Option<i64>,
    pub name: String,
    pub discipline: Option<Discipline>,
    /// How to reach them: the contact given when they joined, else the network member's.
    pub contact: Option<String>,
    pub added_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: Option<i64>,
    network_member_id: Option<i64>,
    name: String,
    discipline: Option<String>,
    contact: Option<String>,
    added_at: OffsetDateTime,
}

/// One numbered change of a core team, with the names involved.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredTeamChange {
    pub version: i64,
    /// `joined`, `left`, `handed_over` or `network_member`.
    pub kind: String,
    /// Who joined or left, or who handed coordination over.
    pub user_name: Option<String>,
    /// Who took over coordination.
    pub other_user_name: Option<String>,
    /// The network member chosen (none: nobody from the network any more).
    pub network_member_name: Option<String>,
    pub author: String,
    pub changed_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Handover {
    pub from_name: String,
    pub to_name: String,
    pub reason: Option<String>,
    pub created_at: OffsetDateTime,
}

/// One stored version of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanVersion {
    pub number: i64,
    pub plan: Plan,
    pub reason: String,
    pub author: String,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    number: i64,
    content: String,
    reason: String,
    author: String,
    created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct LatestRow {
    trajectory_id: i64,
    #[sqlx(flatten)]
    version: VersionRow,
}

impl VersionRow {
    fn into_version(self) -> Result<PlanVersion> {
        let plan = crate::formats::plan::from_json(&self.content)
            .map_err(|e| StorageError::Corrupt(format!("plan version {}: {e}", self.number)))?;
        Ok(PlanVersion {
            number: self.number,
            plan,
            reason: self.reason,
            author: self.author,
            created_at: self.created_at,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredDecision {
    pub id: i64,
    pub decision: SharedDecision,
    pub author: String,
    pub created_at: OffsetDateTime,
}

const VERSION_COLUMNS: &str = "v.number, v.content, v.reason, u.full_name AS author, v.created_at \
     FROM plan_versions v JOIN users u ON u.id = v.created_by";

impl Tx {
    /// The active core team, professionals first (in the order they joined).
    pub async fn core_team(&mut self, access: &TrajectoryAccess) -> Result<Vec<CoreTeamMember>> {
        let trajectory_id = access.trajectory_id();
        let rows: Vec<MemberRow> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT m.user_id, m.network_member_id, COALESCE(u.full_name, n.name) AS name, m.discipline, \
                 COALESCE(m.contact, n.contact) AS contact, m.added_at \
                 FROM core_team_members m LEFT JOIN users u ON u.id = m.user_id \
                 LEFT JOIN network_members n ON n.id = m.network_member_id \
                 WHERE m.trajectory_id = $1 AND m.ended_at IS NULL \
                 ORDER BY CASE WHEN m.user_id IS NULL THEN 1 ELSE 0 END, m.id",
            )
            .bind(trajectory_id)
            .fetch_all(c)
            .await?
        });
        rows.into_iter()
            .map(|r| {
                let discipline = r
                    .discipline
                    .as_deref()
                    .map(|d| {
                        Discipline::parse(d)
                            .map_err(|_| StorageError::Corrupt(format!("discipline {d}")))
                    })
                    .transpose()?;
                Ok(CoreTeamMember {
                    user_id: r.user_id,
                    network_member_id: r.network_member_id,
                    name: r.name,
                    discipline,
                    contact: r.contact,
                    added_at: r.added_at,
                })
            })
            .collect()
    }

    pub async fn core_team_add_user(
        &mut self,
        trajectory_id: i64,
        user_id: i64,
        discipline: Discipline,
        contact: Option<&str>,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO core_team_members (trajectory_id, user_id, discipline, contact, added_by, added_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(trajectory_id)
            .bind(user_id)
            .bind(discipline.as_str())
            .bind(contact)
            .bind(by)
            .bind(now)
            .execute(c)
            .await
            .map_err(StorageError::conflict_on("core team member"))?;
        });
        Ok(())
    }

    /// Ends a professional's membership (the row stays, with when and by whom).
    pub async fn core_team_end_user(
        &mut self,
        trajectory_id: i64,
        user_id: i64,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "UPDATE core_team_members SET ended_at = $3, ended_by = $4 \
                 WHERE trajectory_id = $1 AND user_id = $2 AND ended_at IS NULL",
            )
            .bind(trajectory_id)
            .bind(user_id)
            .bind(now)
            .bind(by)
            .execute(c)
            .await?;
        });
        Ok(())
    }

    /// Sets the network member the client chose (or none), ending the earlier choice.
    pub async fn core_team_set_network_member(
        &mut self,
        trajectory_id: i64,
        member: Option<i64>,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, |c| {
            sqlx::query(
                "UPDATE core_team_members SET ended_at = $2, ended_by = $3 \
                 WHERE trajectory_id = $1 AND network_member_id IS NOT NULL AND ended_at IS NULL",
            )
            .bind(trajectory_id)
            .bind(now)
            .bind(by)
            .execute(&mut *c)
            .await?;
            if let Some(member) = member {
                sqlx::query(
                    "INSERT INTO core_team_members (trajectory_id, network_member_id, added_by, added_at) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(trajectory_id)
                .bind(member)
                .bind(by)
                .bind(now)
                .execute(&mut *c)
                .await?;
            }
        });
        Ok(())
    }

    /// Counts a change of the core team made on `expected_version`: the next version, or a
    /// conflict when someone changed the team meanwhile. Returns the new version.
    pub async fn core_team_record_change(
        &mut self,
        trajectory_id: i64,
        expected_version: i64,
        change: &TeamChange,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let (kind, user, other, network) = match change {
            TeamChange::Joined(member) => ("joined", Some(member.user_id), None, None),
            TeamChange::Left { user_id } => ("left", Some(*user_id), None, None),
            TeamChange::HandedOver { from, to } => ("handed_over", Some(*from), Some(*to), None),
            TeamChange::NetworkMember { to, .. } => ("network_member", None, None, *to),
        };
        let version = expected_version + 1;
        on_tx!(self, |c| {
            let changed = sqlx::query(
                "UPDATE trajectories SET team_version = $3 WHERE id = $1 AND team_version = $2",
            )
            .bind(trajectory_id)
            .bind(expected_version)
            .bind(version)
            .execute(&mut *c)
            .await?
            .rows_affected();
            if changed != 1 {
                return Err(StorageError::Conflict("core team version"));
            }
            sqlx::query(
                "INSERT INTO core_team_changes (trajectory_id, version, kind, user_id, other_user_id, \
                 network_member_id, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(trajectory_id)
            .bind(version)
            .bind(kind)
            .bind(user)
            .bind(other)
            .bind(network)
            .bind(by)
            .bind(now)
            .execute(&mut *c)
            .await
            .map_err(StorageError::conflict_on("core team version"))?;
        });
        Ok(version)
    }

    /// The changes of a core team after `version`, oldest first.
    pub async fn core_team_changes_after(
        &mut self,
        access: &TrajectoryAccess,
        version: i64,
    ) -> Result<Vec<StoredTeamChange>> {
        let trajectory_id = access.trajectory_id();
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT ch.version, ch.kind, u.full_name AS user_name, o.full_name AS other_user_name, \
                 n.name AS network_member_name, a.full_name AS author, ch.changed_at \
                 FROM core_team_changes ch JOIN users a ON a.id = ch.changed_by \
                 LEFT JOIN users u ON u.id = ch.user_id LEFT JOIN users o ON o.id = ch.other_user_id \
                 LEFT JOIN network_members n ON n.id = ch.network_member_id \
                 WHERE ch.trajectory_id = $1 AND ch.version > $2 ORDER BY ch.version",
            )
            .bind(trajectory_id)
            .bind(version)
            .fetch_all(c)
            .await?
        }))
    }

    /// Hands coordination from `from` to `to`; a conflict when someone handed over meanwhile.
    pub async fn coordinator_hand_over(
        &mut self,
        trajectory_id: i64,
        from: i64,
        to: i64,
        reason: Option<&str>,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        let changed = on_tx!(self, |c| {
            let changed = sqlx::query(
                "UPDATE trajectories SET coordinator_id = $3 WHERE id = $1 AND coordinator_id = $2",
            )
            .bind(trajectory_id)
            .bind(from)
            .bind(to)
            .execute(&mut *c)
            .await?
            .rows_affected();
            sqlx::query(
                "INSERT INTO coordinator_handovers (trajectory_id, from_user_id, to_user_id, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(trajectory_id)
            .bind(from)
            .bind(to)
            .bind(reason)
            .bind(by)
            .bind(now)
            .execute(&mut *c)
            .await?;
            changed
        });
        if changed != 1 {
            return Err(StorageError::Conflict("coordinator"));
        }
        self.trajectory_event(trajectory_id, by, "handover", None, None, reason, now)
            .await
    }

    pub async fn coordinator_handovers(
        &mut self,
        access: &TrajectoryAccess,
    ) -> Result<Vec<Handover>> {
        let trajectory_id = access.trajectory_id();
        Ok(on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT f.full_name AS from_name, t.full_name AS to_name, h.reason, h.created_at \
                 FROM coordinator_handovers h JOIN users f ON f.id = h.from_user_id \
                 JOIN users t ON t.id = h.to_user_id WHERE h.trajectory_id = $1 ORDER BY h.id",
            )
            .bind(trajectory_id)
            .fetch_all(c)
            .await?
        }))
    }

    /// The newest version of a trajectory's plan, if one was made.
    pub async fn plan_latest(&mut self, access: &TrajectoryAccess) -> Result<Option<PlanVersion>> {
        let trajectory_id = access.trajectory_id();
        let sql = format!(
            "SELECT {VERSION_COLUMNS} WHERE v.trajectory_id = $1 ORDER BY v.number DESC LIMIT 1"
        );
        let row: Option<VersionRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(trajectory_id)
                .fetch_optional(c)
                .await?
        });
        row.map(VersionRow::into_version).transpose()
    }

    /// The newest plan version of each trajectory `granted` opens that has one, in one query.
    pub async fn plans_latest(
        &mut self,
        granted: &[TrajectoryAccess],
    ) -> Result<Vec<(i64, PlanVersion)>> {
        if granted.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT v.trajectory_id, {VERSION_COLUMNS} WHERE v.trajectory_id IN ({}) AND v.number = \
             (SELECT MAX(n.number) FROM plan_versions n WHERE n.trajectory_id = v.trajectory_id)",
            crate::placeholders(1, granted.len())
        );
        let rows: Vec<LatestRow> = on_tx!(self, |c| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for access in granted {
                query = query.bind(access.trajectory_id());
            }
            query.fetch_all(c).await?
        });
        rows.into_iter()
            .map(|row| Ok((row.trajectory_id, row.version.into_version()?)))
            .collect()
    }

    /// The plan as it stands: the newest version, or an empty plan when none was made.
    pub async fn plan_current(&mut self, access: &TrajectoryAccess) -> Result<Plan> {
        Ok(self
            .plan_latest(access)
            .await?
            .map(|v| v.plan)
            .unwrap_or_default())
    }

    pub async fn plan_version(
        &mut self,
        access: &TrajectoryAccess,
        number: i64,
    ) -> Result<Option<PlanVersion>> {
        let trajectory_id = access.trajectory_id();
        let sql = format!("SELECT {VERSION_COLUMNS} WHERE v.trajectory_id = $1 AND v.number = $2");
        let row: Option<VersionRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(trajectory_id)
                .bind(number)
                .fetch_optional(c)
                .await?
        });
        row.map(VersionRow::into_version).transpose()
    }

    /// Every version, newest first.
    pub async fn plan_versions(&mut self, access: &TrajectoryAccess) -> Result<Vec<PlanVersion>> {
        let trajectory_id = access.trajectory_id();
        let sql =
            format!("SELECT {VERSION_COLUMNS} WHERE v.trajectory_id = $1 ORDER BY v.number DESC");
        let rows: Vec<VersionRow> = on_tx!(self, |c| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(trajectory_id)
                .fetch_all(c)
                .await?
        });
        rows.into_iter().map(VersionRow::into_version).collect()
    }

    /// Stores version `number` of a plan; a conflict when that number was taken meanwhile.
    pub async fn plan_save(
        &mut self,
        trajectory_id: i64,
        number: i64,
        plan: &Plan,
        reason: &str,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        let content = crate::formats::plan::to_json(plan)
            .map_err(|e| StorageError::Corrupt(format!("plan: {e}")))?;
        on_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO plan_versions (trajectory_id, number, content, reason, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(trajectory_id)
            .bind(number)
            .bind(&content)
            .bind(reason)
            .bind(by)
            .bind(now)
            .execute(c)
            .await
            .map_err(StorageError::conflict_on("plan version"))?;
        });
        let detail = format!("{number}: {reason}");
        self.trajectory_event(trajectory_id, by, "plan", None, None, Some(&detail), now)
            .await
    }

    pub async fn decision_add(
        &mut self,
        trajectory_id: i64,
        decision: &SharedDecision,
        by: i64,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let content = crate::formats::decision::to_json(decision)
            .map_err(|e| StorageError::Corrupt(format!("decision: {e}")))?;
        Ok(on_tx!(self, |c| {
            sqlx::query_scalar(
                "INSERT INTO shared_decisions (trajectory_id, content, created_by, created_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(trajectory_id)
            .bind(&content)
            .bind(by)
            .bind(now)
            .fetch_one(c)
            .await?
        }))
    }

    /// Samen Beslissen records, newest first.
    pub async fn decisions(&mut self, access: &TrajectoryAccess) -> Result<Vec<StoredDecision>> {
        let trajectory_id = access.trajectory_id();
        let rows: Vec<(i64, String, String, OffsetDateTime)> = on_tx!(self, |c| {
            sqlx::query_as(
                "SELECT d.id, d.content, u.full_name, d.created_at FROM shared_decisions d \
                 JOIN users u ON u.id = d.created_by WHERE d.trajectory_id = $1 ORDER BY d.id DESC",
            )
            .bind(trajectory_id)
            .fetch_all(c)
            .await?
        });
        rows.into_iter()
            .map(|(id, content, author, created_at)| {
                Ok(StoredDecision {
                    id,
                    decision: crate::formats::decision::from_json(&content)
                        .map_err(|e| StorageError::Corrupt(format!("decision {id}: {e}")))?,
                    author,
                    created_at,
                })
            })
            .collect()
    }
}
