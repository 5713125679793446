//! Who may do what: the rule table of `PRODUCT.md`, one function per permission.
//!
//! A decision depends on two things only: the actor's role, and how the actor stands to the
//! client ([`Relation`]: serving team, core team, coordinator, a stated reason). Pages, the API
//! and the command line ask these functions; nothing else decides. An organisation may narrow
//! these rules, never widen them.

use crate::access::Actor;
use crate::people::Role;
use crate::trajectory::Trajectory;
use crate::validation::{FieldError, is_stray_control};
use time::{Duration, OffsetDateTime};

/// How an actor stands to one client's record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    /// The actor is in a team that serves the client.
    pub serving_team: bool,
    /// The actor is a professional in the core team of the client's open trajectory.
    pub core_team: bool,
    /// The actor coordinates the trajectory concerned (the open one, or the one acted on).
    pub coordinator: bool,
    /// The actor stated a reason to open this record that is still valid (break the glass).
    pub stated_reason: bool,
}

impl Relation {
    /// The relation of `actor` to a client served by `serving_team_ids`, whose open
    /// trajectory's core team has the professionals `core_team_user_ids`, for the trajectory
    /// coordinated by `coordinator_id`.
    pub fn of(
        actor: &Actor,
        serving_team_ids: &[i64],
        core_team_user_ids: &[i64],
        coordinator_id: Option<i64>,
        stated_reason: bool,
    ) -> Self {
        Relation {
            serving_team: serving_team_ids
                .iter()
                .any(|team| actor.team_ids.contains(team)),
            core_team: core_team_user_ids.contains(&actor.user_id),
            coordinator: coordinator_id == Some(actor.user_id),
            stated_reason,
        }
    }
}

/// Why something was refused; each has its own message and audit detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Analysts see aggregates only, never an individual record.
    AggregatesOnly,
    /// Not in a team serving the client, nor in its core team.
    NotOnTeam,
    /// A team lead of a serving team may open the record after stating why.
    ReasonRequired,
    /// Reserved for the coordinator of the trajectory (or a team lead of a serving team).
    CoordinatorOnly,
    /// Reserved for the members of the core team.
    CoreTeamOnly,
    /// Not something this role does (an administrator recording a visit, say).
    NotForRole,
    /// Only the colleague who recorded it (or, to mark it in error, the coordinator).
    AuthorOnly,
    /// Nobody gives themselves access they would not have otherwise: a team lead who opened a
    /// record with a stated reason does not make themselves coordinator or core-team member.
    SelfAppointment,
    /// A client is registered under the registering professional's own teams only.
    NotYourTeam,
}

impl Refusal {
    /// The short English reason written in the audit log.
    pub fn audit_detail(self) -> &'static str {
        match self {
            Refusal::AggregatesOnly => "analysts see aggregates only",
            Refusal::NotOnTeam => "not on a team serving this client",
            Refusal::ReasonRequired => "a reason is required to open this record",
            Refusal::CoordinatorOnly => "reserved for the coordinator or a team lead",
            Refusal::CoreTeamOnly => "reserved for the core team",
            Refusal::NotForRole => "not permitted for this role",
            Refusal::AuthorOnly => "reserved for the author",
            Refusal::SelfAppointment => "no one appoints themselves",
            Refusal::NotYourTeam => "registering under a team one is not in",
        }
    }

    /// The message key (`error-refused-…`) shown to the user.
    pub fn message_key(self) -> &'static str {
        match self {
            Refusal::AggregatesOnly => "error-refused-aggregates-only",
            Refusal::NotOnTeam => "error-refused-not-on-team",
            Refusal::ReasonRequired => "error-refused-reason-required",
            Refusal::CoordinatorOnly => "error-refused-coordinator-only",
            Refusal::CoreTeamOnly => "error-refused-core-team-only",
            Refusal::NotForRole => "error-refused-not-for-role",
            Refusal::AuthorOnly => "error-refused-author-only",
            Refusal::SelfAppointment => "error-refused-self-appointment",
            Refusal::NotYourTeam => "error-client-team-not-yours",
        }
    }
}

/// The outcome of asking a rule.
pub type Decision = Result<(), Refusal>;

/// Something done to one client's record. Each has its own rule below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    ReadRecord,
    /// Details (not teams) and what the team records about the client: network, what matters,
    /// life-domain and daily-activity assessments.
    ChangeClientDetails,
    ChangeServingTeams,
    StartTrajectory,
    /// Phase, closure, core team and coordination hand-over.
    ManageTrajectory,
    /// Goals, interventions, agreements, care hours, Samen Beslissen.
    ChangePlan,
    RecordVisit,
    /// Correct a visit; `author` is whether the actor recorded it.
    CorrectVisit {
        author: bool,
    },
    /// Mark a visit entered in error; `author` is whether the actor recorded it.
    MarkVisitInError {
        author: bool,
    },
    /// State a reason to open a record one may not open otherwise (break the glass).
    StateReason,
    /// See the signals and successes of a client of one's team on the team page.
    SeeTeamSignals,
}

/// Proof that the access rule allowed a permission on one client's record. Only
/// [`Permission::grant`] makes one, and storage asks for one before it hands out anything in
/// the record, so a read that skipped the check does not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAccess {
    client_id: i64,
    permission: Permission,
}

/// [`ClientAccess`] narrowed to one of the client's trajectories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrajectoryAccess {
    client: ClientAccess,
    trajectory_id: i64,
}

impl ClientAccess {
    pub fn client_id(&self) -> i64 {
        self.client_id
    }

    pub fn permission(&self) -> Permission {
        self.permission
    }

    /// The same access to one of this client's trajectories; none for another client's.
    pub fn to_trajectory(&self, trajectory: &Trajectory) -> Option<TrajectoryAccess> {
        (trajectory.client_id == self.client_id).then_some(TrajectoryAccess {
            client: *self,
            trajectory_id: trajectory.id,
        })
    }
}

impl TrajectoryAccess {
    pub fn trajectory_id(&self) -> i64 {
        self.trajectory_id
    }

    pub fn client_id(&self) -> i64 {
        self.client.client_id
    }

    pub fn client(&self) -> ClientAccess {
        self.client
    }
}

impl Permission {
    /// Asks the rule for this permission on the record of `client_id`, and hands out the proof
    /// that it said yes.
    pub fn grant(
        self,
        role: Role,
        relation: Relation,
        client_id: i64,
    ) -> Result<ClientAccess, Refusal> {
        self.decide(role, relation)?;
        Ok(ClientAccess {
            client_id,
            permission: self,
        })
    }

    /// Asks the rule for this permission.
    pub fn decide(self, role: Role, relation: Relation) -> Decision {
        match self {
            Permission::ReadRecord => may_read_record(role, relation),
            Permission::SeeTeamSignals => may_see_team_signals(role, relation),
            Permission::ChangeClientDetails => may_change_client_details(role, relation),
            Permission::ChangeServingTeams => may_change_serving_teams(role, relation),
            Permission::StartTrajectory => may_start_trajectory(role, relation),
            Permission::ManageTrajectory => may_manage_trajectory(role, relation),
            Permission::ChangePlan => may_change_plan(role, relation),
            Permission::RecordVisit => may_record_visit(role, relation),
            Permission::CorrectVisit { author } => may_correct_visit(role, relation, author),
            Permission::MarkVisitInError { author } => {
                may_mark_visit_in_error(role, relation, author)
            }
            Permission::StateReason => may_state_reason(role, relation),
        }
    }

    /// Whether it changes the record (audited as a change) or only reads it.
    pub fn is_change(self) -> bool {
        !matches!(
            self,
            Permission::ReadRecord | Permission::StateReason | Permission::SeeTeamSignals
        )
    }
}

/// Someone who works with records: professionals and team leads (not analysts or admins).
/// Only they coordinate a trajectory or sit in a core team.
pub fn works_with_records(role: Role) -> bool {
    matches!(role, Role::Professional | Role::TeamLead)
}

/// The refusal for someone without any way to this client.
fn outsider(role: Role) -> Refusal {
    if role == Role::Analyst {
        Refusal::AggregatesOnly
    } else {
        Refusal::NotOnTeam
    }
}

/// Read a client's record: the coordinator, the core team, professionals of a serving team;
/// an administrator only on a serving team; a team lead only in the core team or after
/// stating a reason; an analyst never.
pub fn may_read_record(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        _ if r.coordinator || r.core_team => Ok(()),
        Role::Professional | Role::Admin if r.serving_team => Ok(()),
        Role::TeamLead if r.serving_team && r.stated_reason => Ok(()),
        Role::TeamLead if r.serving_team => Err(Refusal::ReasonRequired),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// See a client's signals and successes on the team page: the professionals and team leads
/// of a team that serves the client (patterns, not the record).
pub fn may_see_team_signals(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        Role::Professional | Role::TeamLead if r.serving_team => Ok(()),
        Role::Admin if r.serving_team => Err(Refusal::NotForRole),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Change client details (not the serving teams) and what the team records about the client.
pub fn may_change_client_details(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        _ if r.coordinator || r.core_team => Ok(()),
        Role::Professional if r.serving_team => Ok(()),
        Role::TeamLead | Role::Admin if r.serving_team => Err(Refusal::NotForRole),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Change which teams serve a client: it widens or narrows who can read the record, so only
/// the coordinator of the open trajectory or a team lead of a serving team may.
pub fn may_change_serving_teams(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        _ if r.coordinator => Ok(()),
        Role::TeamLead if r.serving_team => Ok(()),
        _ if r.serving_team || r.core_team => Err(Refusal::CoordinatorOnly),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Start a trajectory: a professional of a serving team; a team lead of a serving team once
/// the record is open to them (it is started on what the record says).
pub fn may_start_trajectory(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        Role::Professional if r.serving_team => Ok(()),
        Role::TeamLead if r.serving_team && (r.stated_reason || r.core_team) => Ok(()),
        Role::TeamLead if r.serving_team => Err(Refusal::ReasonRequired),
        Role::Admin if r.serving_team => Err(Refusal::NotForRole),
        _ if r.core_team => Err(Refusal::NotForRole),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Change the phase, close, manage the core team, hand over coordination. A team lead of a
/// serving team may, once the record is open to them (core team, or a stated reason): these
/// decisions are taken on what the record says.
pub fn may_manage_trajectory(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        _ if r.coordinator => Ok(()),
        Role::TeamLead if r.serving_team && (r.stated_reason || r.core_team) => Ok(()),
        Role::TeamLead if r.serving_team => Err(Refusal::ReasonRequired),
        _ if r.serving_team || r.core_team => Err(Refusal::CoordinatorOnly),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Change the plan: the members of the core team (the coordinator is one).
pub fn may_change_plan(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        _ if r.coordinator || r.core_team => Ok(()),
        _ if r.serving_team => Err(Refusal::CoreTeamOnly),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Record a visit: professionals who may read the record (team leads, admins and analysts do
/// not visit clients).
pub fn may_record_visit(role: Role, r: Relation) -> Decision {
    match role {
        Role::Analyst => Err(Refusal::AggregatesOnly),
        Role::Professional if r.coordinator || r.core_team || r.serving_team => Ok(()),
        Role::TeamLead if r.coordinator || r.core_team => Ok(()),
        _ if r.serving_team || r.core_team || r.coordinator => Err(Refusal::NotForRole),
        _ => Err(Refusal::NotOnTeam),
    }
}

/// Correct a visit: only the colleague who recorded it, while they may still record visits.
pub fn may_correct_visit(role: Role, r: Relation, author: bool) -> Decision {
    may_record_visit(role, r)?;
    if author {
        Ok(())
    } else {
        Err(Refusal::AuthorOnly)
    }
}

/// Mark a visit entered in error: its author (while they may record visits) or the
/// coordinator of the trajectory.
pub fn may_mark_visit_in_error(role: Role, r: Relation, author: bool) -> Decision {
    if role != Role::Analyst && r.coordinator {
        return Ok(());
    }
    may_correct_visit(role, r, author)
}

/// State a reason to open a record (break the glass): a team lead of a serving team who may
/// not open it otherwise.
pub fn may_state_reason(role: Role, r: Relation) -> Decision {
    match role {
        Role::TeamLead if r.serving_team => Ok(()),
        _ => Err(outsider(role)),
    }
}

/// Register a client served by `team_ids`: under the actor's own teams only (registering under
/// another team would open the record to that team).
pub fn may_register_under(actor: &Actor, team_ids: &[i64]) -> Decision {
    if team_ids.iter().all(|team| actor.team_ids.contains(team)) {
        Ok(())
    } else {
        Err(Refusal::NotYourTeam)
    }
}

/// Appoint someone coordinator or core-team member (starting a trajectory, adding to the core
/// team): a relation that opens the record for good. A team lead whose access rests on a
/// stated reason does not appoint themselves: the reason opens the record for a working day,
/// not for ever. Anyone else appointing themselves gains nothing they did not have.
pub fn may_appoint(role: Role, r: Relation, appointee_is_actor: bool) -> Decision {
    if appointee_is_actor && role == Role::TeamLead && !r.core_team && !r.coordinator {
        Err(Refusal::SelfAppointment)
    } else {
        Ok(())
    }
}

/// What an actor may open at all, whatever the client: the menu shows exactly these, so no
/// menu item ends in a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// The client list and search.
    pub clients: bool,
    /// Registering a client (under one of the actor's own teams).
    pub register_clients: bool,
    /// "My visits today".
    pub visits: bool,
    /// Signals and the successes feed of the actor's teams.
    pub team_signals: bool,
    /// Colleagues' names in the signals.
    pub signal_names: bool,
    /// The aids catalogue (no client data).
    pub aids: bool,
    /// Users, teams, catalogues, instruments, the audit log.
    pub administration: bool,
}

impl Capabilities {
    pub fn of(actor: &Actor) -> Self {
        let has_teams = !actor.team_ids.is_empty();
        match actor.role {
            Role::Professional => Capabilities {
                clients: true,
                register_clients: has_teams,
                visits: true,
                team_signals: has_teams,
                signal_names: false,
                aids: true,
                administration: false,
            },
            Role::TeamLead => Capabilities {
                clients: true,
                register_clients: has_teams,
                visits: false,
                team_signals: has_teams,
                signal_names: true,
                aids: true,
                administration: false,
            },
            // An administrator reads records only on a serving team, and changes none.
            Role::Admin => Capabilities {
                clients: has_teams,
                register_clients: false,
                visits: false,
                team_signals: false,
                signal_names: false,
                aids: true,
                administration: true,
            },
            Role::Analyst => Capabilities {
                clients: false,
                register_clients: false,
                visits: false,
                team_signals: false,
                signal_names: false,
                aids: true,
                administration: false,
            },
        }
    }
}

/// How long a stated reason opens a record: one working day.
pub const STATED_REASON_VALIDITY: Duration = Duration::hours(8);

/// Characters that take no room on the page: zero-width spaces and joiners, the word joiner,
/// the byte-order mark, the soft hyphen. (The API's schema names the same.)
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}'
    )
}

/// Why a team lead opens a record they may not otherwise open; recorded in the audit log and
/// later shown to the client among who looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedReason(String);

impl StatedReason {
    /// At least a few words: 10 characters that are neither spaces nor invisible (a
    /// zero-width space, say); at most 500 once trimmed, like any text; no control characters
    /// other than tabs and line breaks. Kept with its spaces collapsed and invisible
    /// characters left out.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.chars().count() > 500 || trimmed.chars().any(is_stray_control) {
            return Err(FieldError::new("reason", "error-text-too-long"));
        }
        let visible = trimmed
            .chars()
            .filter(|c| !c.is_whitespace() && !is_invisible(*c))
            .count();
        match visible {
            0 => Err(FieldError::new("reason", "error-required")),
            1..10 => Err(FieldError::new("reason", "error-reason-too-short")),
            _ => {
                let kept: String = trimmed.chars().filter(|c| !is_invisible(*c)).collect();
                Ok(Self(kept.split_whitespace().collect::<Vec<_>>().join(" ")))
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Until when the record stays open with this reason.
    pub fn valid_until(stated_at: OffsetDateTime) -> OffsetDateTime {
        stated_at + STATED_REASON_VALIDITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COORDINATOR: Relation = Relation {
        serving_team: true,
        core_team: true,
        coordinator: true,
        stated_reason: false,
    };
    const CORE: Relation = Relation {
        serving_team: true,
        core_team: true,
        coordinator: false,
        stated_reason: false,
    };
    /// In the core team through another team (an ergotherapeut from Zuid, say).
    const CORE_ONLY: Relation = Relation {
        serving_team: false,
        core_team: true,
        coordinator: false,
        stated_reason: false,
    };
    const SERVING: Relation = Relation {
        serving_team: true,
        core_team: false,
        coordinator: false,
        stated_reason: false,
    };
    const SERVING_WITH_REASON: Relation = Relation {
        serving_team: true,
        core_team: false,
        coordinator: false,
        stated_reason: true,
    };
    const NONE: Relation = Relation {
        serving_team: false,
        core_team: false,
        coordinator: false,
        stated_reason: false,
    };

    use Refusal::*;
    use Role::*;

    const OK: Decision = Ok(());

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role,
            team_ids: vec![1],
        }
    }

    /// The rule table of PRODUCT.md, row by row: role × relation × action → decision.
    #[test]
    fn the_rule_table() {
        use Permission::*;
        #[rustfmt::skip]
        let table: &[(Role, Relation, Permission, Decision)] = &[
            // read the client's record
            (Professional, COORDINATOR, ReadRecord, OK),
            (Professional, CORE, ReadRecord, OK),
            (Professional, CORE_ONLY, ReadRecord, OK),
            (Professional, SERVING, ReadRecord, OK),
            (Professional, NONE, ReadRecord, Err(NotOnTeam)),
            (TeamLead, SERVING, ReadRecord, Err(ReasonRequired)),
            (TeamLead, SERVING_WITH_REASON, ReadRecord, OK),
            (TeamLead, CORE_ONLY, ReadRecord, OK),
            (TeamLead, COORDINATOR, ReadRecord, OK),
            (TeamLead, NONE, ReadRecord, Err(NotOnTeam)),
            (Analyst, SERVING, ReadRecord, Err(AggregatesOnly)),
            (Analyst, CORE, ReadRecord, Err(AggregatesOnly)),
            (Admin, NONE, ReadRecord, Err(NotOnTeam)),
            (Admin, SERVING, ReadRecord, OK),
            // change client details (not teams)
            (Professional, COORDINATOR, ChangeClientDetails, OK),
            (Professional, CORE_ONLY, ChangeClientDetails, OK),
            (Professional, SERVING, ChangeClientDetails, OK),
            (Professional, NONE, ChangeClientDetails, Err(NotOnTeam)),
            (TeamLead, SERVING_WITH_REASON, ChangeClientDetails, Err(NotForRole)),
            (Analyst, SERVING, ChangeClientDetails, Err(AggregatesOnly)),
            (Admin, SERVING, ChangeClientDetails, Err(NotForRole)),
            // change serving teams
            (Professional, COORDINATOR, ChangeServingTeams, OK),
            (Professional, CORE, ChangeServingTeams, Err(CoordinatorOnly)),
            (Professional, CORE_ONLY, ChangeServingTeams, Err(CoordinatorOnly)),
            (Professional, SERVING, ChangeServingTeams, Err(CoordinatorOnly)),
            (Professional, NONE, ChangeServingTeams, Err(NotOnTeam)),
            (TeamLead, SERVING, ChangeServingTeams, OK),
            (TeamLead, NONE, ChangeServingTeams, Err(NotOnTeam)),
            (Analyst, SERVING, ChangeServingTeams, Err(AggregatesOnly)),
            (Admin, SERVING, ChangeServingTeams, Err(CoordinatorOnly)),
            // phase, closure, core team, hand-over
            (Professional, COORDINATOR, ManageTrajectory, OK),
            (Professional, CORE, ManageTrajectory, Err(CoordinatorOnly)),
            (Professional, SERVING, ManageTrajectory, Err(CoordinatorOnly)),
            (Professional, NONE, ManageTrajectory, Err(NotOnTeam)),
            (TeamLead, SERVING, ManageTrajectory, Err(ReasonRequired)),
            (TeamLead, SERVING_WITH_REASON, ManageTrajectory, OK),
            (TeamLead, NONE, ManageTrajectory, Err(NotOnTeam)),
            (Analyst, COORDINATOR, ManageTrajectory, Err(AggregatesOnly)),
            (Admin, SERVING, ManageTrajectory, Err(CoordinatorOnly)),
            // plan: goals, interventions, agreements, care hours
            (Professional, COORDINATOR, ChangePlan, OK),
            (Professional, CORE, ChangePlan, OK),
            (Professional, CORE_ONLY, ChangePlan, OK),
            (Professional, SERVING, ChangePlan, Err(CoreTeamOnly)),
            (Professional, NONE, ChangePlan, Err(NotOnTeam)),
            (TeamLead, SERVING_WITH_REASON, ChangePlan, Err(CoreTeamOnly)),
            (TeamLead, CORE_ONLY, ChangePlan, OK),
            (Analyst, CORE, ChangePlan, Err(AggregatesOnly)),
            (Admin, SERVING, ChangePlan, Err(CoreTeamOnly)),
            // record a visit
            (Professional, COORDINATOR, RecordVisit, OK),
            (Professional, CORE_ONLY, RecordVisit, OK),
            (Professional, SERVING, RecordVisit, OK),
            (Professional, NONE, RecordVisit, Err(NotOnTeam)),
            (TeamLead, SERVING_WITH_REASON, RecordVisit, Err(NotForRole)),
            (Analyst, SERVING, RecordVisit, Err(AggregatesOnly)),
            (Admin, SERVING, RecordVisit, Err(NotForRole)),
            // correct a visit: the author only
            (Professional, SERVING, CorrectVisit { author: true }, OK),
            (Professional, SERVING, CorrectVisit { author: false }, Err(AuthorOnly)),
            (Professional, COORDINATOR, CorrectVisit { author: false }, Err(AuthorOnly)),
            (Professional, NONE, CorrectVisit { author: true }, Err(NotOnTeam)),
            // mark a visit in error: the author or the coordinator
            (Professional, SERVING, MarkVisitInError { author: true }, OK),
            (Professional, SERVING, MarkVisitInError { author: false }, Err(AuthorOnly)),
            (Professional, COORDINATOR, MarkVisitInError { author: false }, OK),
            (Professional, CORE, MarkVisitInError { author: false }, Err(AuthorOnly)),
            (Professional, NONE, MarkVisitInError { author: true }, Err(NotOnTeam)),
            (Analyst, COORDINATOR, MarkVisitInError { author: false }, Err(AggregatesOnly)),
            // start a trajectory
            (Professional, SERVING, StartTrajectory, OK),
            (TeamLead, SERVING, StartTrajectory, Err(ReasonRequired)),
            (TeamLead, SERVING_WITH_REASON, StartTrajectory, OK),
            (Professional, CORE_ONLY, StartTrajectory, Err(NotForRole)),
            (Professional, NONE, StartTrajectory, Err(NotOnTeam)),
            (Analyst, SERVING, StartTrajectory, Err(AggregatesOnly)),
            (Admin, SERVING, StartTrajectory, Err(NotForRole)),
            // break the glass
            (TeamLead, SERVING, StateReason, OK),
            (TeamLead, NONE, StateReason, Err(NotOnTeam)),
            (Professional, NONE, StateReason, Err(NotOnTeam)),
            (Analyst, SERVING, StateReason, Err(AggregatesOnly)),
            // the team page's signals and successes
            (Professional, SERVING, SeeTeamSignals, OK),
            (TeamLead, SERVING, SeeTeamSignals, OK),
            (Professional, CORE_ONLY, SeeTeamSignals, Err(NotOnTeam)),
            (Admin, SERVING, SeeTeamSignals, Err(NotForRole)),
            (Analyst, SERVING, SeeTeamSignals, Err(AggregatesOnly)),
        ];
        for (role, relation, permission, expected) in table {
            assert_eq!(
                permission.decide(*role, *relation),
                *expected,
                "{role:?} {relation:?} {permission:?}"
            );
        }
    }

    #[test]
    fn access_is_granted_only_by_the_rule_and_only_to_that_clients_trajectories() {
        assert_eq!(
            Permission::ReadRecord.grant(TeamLead, SERVING, 4),
            Err(ReasonRequired)
        );
        let access = Permission::ReadRecord
            .grant(Professional, SERVING, 4)
            .unwrap();
        assert_eq!(
            (access.client_id(), access.permission()),
            (4, Permission::ReadRecord)
        );
        let trajectory = |id, client_id| Trajectory {
            id,
            client_id,
            question: String::new(),
            question_types: vec![],
            referral_source: None,
            start_date: time::macros::date!(2026 - 01 - 05),
            coordinator_id: 1,
            phase: crate::Phase::Uitvoering,
            closure: None,
            created_at: OffsetDateTime::UNIX_EPOCH,
            team_version: 1,
        };
        let narrowed = access.to_trajectory(&trajectory(9, 4)).unwrap();
        assert_eq!((narrowed.client_id(), narrowed.trajectory_id()), (4, 9));
        assert_eq!(narrowed.client(), access);
        assert_eq!(access.to_trajectory(&trajectory(10, 5)), None);
    }

    /// Whatever the relation, an analyst never reaches a record and an administrator never
    /// changes one.
    #[test]
    fn analysts_never_and_admins_never_change() {
        let relations = [
            COORDINATOR,
            CORE,
            CORE_ONLY,
            SERVING,
            SERVING_WITH_REASON,
            NONE,
        ];
        let permissions = [
            Permission::ReadRecord,
            Permission::ChangeClientDetails,
            Permission::ChangeServingTeams,
            Permission::StartTrajectory,
            Permission::ManageTrajectory,
            Permission::ChangePlan,
            Permission::RecordVisit,
            Permission::CorrectVisit { author: true },
            Permission::MarkVisitInError { author: true },
            Permission::StateReason,
        ];
        for relation in relations {
            for permission in permissions {
                assert_eq!(permission.decide(Analyst, relation), Err(AggregatesOnly));
                // Admins are never coordinator or core-team member (they are not offered).
                if permission.is_change() && !relation.coordinator && !relation.core_team {
                    assert!(permission.decide(Admin, relation).is_err());
                }
            }
        }
    }

    #[test]
    fn a_client_is_registered_under_ones_own_teams() {
        let professional = Actor {
            team_ids: vec![1, 2],
            ..actor(Professional)
        };
        assert_eq!(may_register_under(&professional, &[2]), OK);
        assert_eq!(may_register_under(&professional, &[1, 3]), Err(NotYourTeam));
    }

    #[test]
    fn a_team_lead_does_not_appoint_themselves_on_a_stated_reason() {
        assert_eq!(
            may_appoint(TeamLead, SERVING_WITH_REASON, true),
            Err(SelfAppointment)
        );
        assert_eq!(may_appoint(TeamLead, SERVING_WITH_REASON, false), OK);
        assert_eq!(may_appoint(TeamLead, CORE_ONLY, true), OK);
        assert_eq!(may_appoint(Professional, SERVING, true), OK);
        assert_eq!(may_appoint(Professional, COORDINATOR, true), OK);
    }

    #[test]
    fn the_menu_shows_only_what_may_be_opened() {
        let analyst = Capabilities::of(&actor(Analyst));
        assert!(!analyst.clients && !analyst.visits && !analyst.team_signals);
        assert!(!analyst.administration);
        let lead = Capabilities::of(&actor(TeamLead));
        assert!(lead.clients && lead.team_signals && lead.signal_names && !lead.visits);
        let professional = Capabilities::of(&actor(Professional));
        assert!(professional.visits && !professional.signal_names);
        let admin = Capabilities::of(&Actor {
            team_ids: vec![],
            ..actor(Admin)
        });
        assert!(admin.administration && !admin.clients && !admin.visits);
    }

    #[test]
    fn a_stated_reason_needs_a_few_words_and_lasts_a_working_day() {
        assert_eq!(
            StatedReason::parse("  "),
            Err(FieldError::new("reason", "error-required"))
        );
        assert_eq!(
            StatedReason::parse("zomaar"),
            Err(FieldError::new("reason", "error-reason-too-short"))
        );
        assert_eq!(
            StatedReason::parse("Overdracht   coördinatie\nwegens ziekte")
                .unwrap()
                .as_str(),
            "Overdracht coördinatie wegens ziekte"
        );
        assert!(StatedReason::parse(&"x".repeat(501)).is_err());
        // Invisible characters are no reason.
        assert_eq!(
            StatedReason::parse(&"\u{200B}".repeat(12)),
            Err(FieldError::new("reason", "error-required"))
        );
        assert_eq!(
            StatedReason::parse("kijk\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}"),
            Err(FieldError::new("reason", "error-reason-too-short"))
        );
        assert_eq!(
            StatedReason::parse("Over\u{200B}dracht   regelen")
                .unwrap()
                .as_str(),
            "Overdracht regelen"
        );
        assert!(StatedReason::parse("even kijken\u{0}").is_err());
        let at = time::macros::datetime!(2026-12-01 09:00 UTC);
        assert_eq!(
            StatedReason::valid_until(at),
            time::macros::datetime!(2026-12-01 17:00 UTC)
        );
    }
}
