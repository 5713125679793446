//! The core team (kernteam) of a trajectory: professionals with their discipline, the client
//! (always a member), optionally one person from the client's network, and exactly one
//! coordinator at any moment.

use crate::people::{Discipline, Role};
use crate::permissions::works_with_records;
use crate::validation::FieldError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamProfessional {
    pub user_id: i64,
    pub discipline: Discipline,
}

/// Built only through [`CoreTeam::new`] or [`CoreTeam::restore`] and changed only through its
/// methods, so the invariant (one coordinator, who is in the team) always holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreTeam {
    coordinator_id: i64,
    professionals: Vec<TeamProfessional>,
    /// The network member the client chose to sit in the team, if any.
    network_member_id: Option<i64>,
}

/// A stored team that breaks the invariant: its coordinator is not one of its professionals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the coordinator {coordinator_id} is not in the core team")]
pub struct CoordinatorOutsideTeam {
    pub coordinator_id: i64,
}

/// What a change to the team amounts to, for storage to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TeamChange {
    Joined(TeamProfessional),
    Left { user_id: i64 },
    HandedOver { from: i64, to: i64 },
    NetworkMember { from: Option<i64>, to: Option<i64> },
}

impl CoreTeam {
    /// A team as started with a trajectory: the coordinator is its first professional.
    pub fn new(coordinator_id: i64, discipline: Discipline) -> Self {
        CoreTeam {
            coordinator_id,
            professionals: vec![TeamProfessional {
                user_id: coordinator_id,
                discipline,
            }],
            network_member_id: None,
        }
    }

    /// A team as kept: refused when its coordinator is not among its professionals.
    pub fn restore(
        coordinator_id: i64,
        professionals: Vec<TeamProfessional>,
        network_member_id: Option<i64>,
    ) -> Result<Self, CoordinatorOutsideTeam> {
        let team = CoreTeam {
            coordinator_id,
            professionals,
            network_member_id,
        };
        if team.is_consistent() {
            Ok(team)
        } else {
            Err(CoordinatorOutsideTeam { coordinator_id })
        }
    }

    pub fn coordinator_id(&self) -> i64 {
        self.coordinator_id
    }

    pub fn professionals(&self) -> &[TeamProfessional] {
        &self.professionals
    }

    pub fn network_member_id(&self) -> Option<i64> {
        self.network_member_id
    }

    pub fn is_member(&self, user_id: i64) -> bool {
        self.professionals.iter().any(|p| p.user_id == user_id)
    }

    /// The invariant: one coordinator, who is a professional in the team.
    pub fn is_consistent(&self) -> bool {
        self.is_member(self.coordinator_id)
    }

    /// Who may join: someone who works with records (a professional or team lead, not an
    /// analyst or administrator), once.
    pub fn add_professional(
        &mut self,
        user_id: i64,
        role: Role,
        discipline: Discipline,
    ) -> Result<TeamChange, FieldError> {
        if !works_with_records(role) {
            return Err(FieldError::new("user_id", "error-choice-unknown"));
        }
        if self.is_member(user_id) {
            return Err(FieldError::new("user_id", "error-team-member-already"));
        }
        let member = TeamProfessional {
            user_id,
            discipline,
        };
        self.professionals.push(member.clone());
        Ok(TeamChange::Joined(member))
    }

    /// Takes a professional off the team; the coordinator hands over first.
    pub fn remove_professional(&mut self, user_id: i64) -> Result<TeamChange, FieldError> {
        if user_id == self.coordinator_id {
            return Err(FieldError::new(
                "user_id",
                "error-coordinator-hand-over-first",
            ));
        }
        if !self.is_member(user_id) {
            return Err(FieldError::new("user_id", "error-team-member-unknown"));
        }
        self.professionals.retain(|p| p.user_id != user_id);
        Ok(TeamChange::Left { user_id })
    }

    /// Hands coordination to another professional of the team.
    pub fn hand_over(&mut self, to: i64) -> Result<TeamChange, FieldError> {
        if to == self.coordinator_id {
            return Err(FieldError::new("to", "error-coordinator-same"));
        }
        if !self.is_member(to) {
            return Err(FieldError::new("to", "error-team-member-unknown"));
        }
        let from = self.coordinator_id;
        self.coordinator_id = to;
        Ok(TeamChange::HandedOver { from, to })
    }

    /// The client chooses (or no longer wants) someone from their network in the team.
    pub fn choose_network_member(&mut self, member: Option<i64>) -> Option<TeamChange> {
        if self.network_member_id == member {
            return None;
        }
        let from = self.network_member_id;
        self.network_member_id = member;
        Some(TeamChange::NetworkMember { from, to: member })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_always_exactly_one_coordinator_in_the_team() {
        let mut team = CoreTeam::new(1, Discipline::Wijkverpleegkundige);
        assert!(team.is_consistent());
        team.add_professional(2, Role::Professional, Discipline::Ergotherapeut)
            .unwrap();
        assert_eq!(
            team.add_professional(2, Role::Professional, Discipline::Ergotherapeut)
                .unwrap_err()
                .key,
            "error-team-member-already"
        );
        // The coordinator cannot leave before handing over, nor hand over to an outsider.
        assert_eq!(
            team.remove_professional(1).unwrap_err().key,
            "error-coordinator-hand-over-first"
        );
        assert_eq!(
            team.hand_over(9).unwrap_err().key,
            "error-team-member-unknown"
        );
        assert_eq!(team.hand_over(1).unwrap_err().key, "error-coordinator-same");
        assert_eq!(
            team.hand_over(2).unwrap(),
            TeamChange::HandedOver { from: 1, to: 2 }
        );
        assert_eq!(
            team.remove_professional(1).unwrap(),
            TeamChange::Left { user_id: 1 }
        );
        assert!(team.is_consistent());
        assert_eq!(team.coordinator_id, 2);
    }

    #[test]
    fn only_those_who_work_with_records_join_and_a_kept_team_keeps_its_coordinator() {
        let mut team = CoreTeam::new(1, Discipline::Verzorgende);
        for role in [Role::Analyst, Role::Admin] {
            assert_eq!(
                team.add_professional(3, role, Discipline::Anders)
                    .unwrap_err()
                    .key,
                "error-choice-unknown"
            );
        }
        assert!(
            team.add_professional(3, Role::TeamLead, Discipline::Anders)
                .is_ok()
        );
        let member = |user_id| TeamProfessional {
            user_id,
            discipline: Discipline::Anders,
        };
        assert_eq!(
            CoreTeam::restore(1, vec![member(2)], None),
            Err(CoordinatorOutsideTeam { coordinator_id: 1 })
        );
        let kept = CoreTeam::restore(2, vec![member(1), member(2)], Some(7)).unwrap();
        assert_eq!(kept.coordinator_id(), 2);
        assert_eq!(kept.network_member_id(), Some(7));
        assert_eq!(kept.professionals().len(), 2);
    }

    #[test]
    fn the_client_may_choose_one_person_from_their_network() {
        let mut team = CoreTeam::new(1, Discipline::Verzorgende);
        assert_eq!(
            team.choose_network_member(Some(5)),
            Some(TeamChange::NetworkMember {
                from: None,
                to: Some(5)
            })
        );
        assert_eq!(team.choose_network_member(Some(5)), None);
        assert_eq!(
            team.choose_network_member(Some(6)),
            Some(TeamChange::NetworkMember {
                from: Some(5),
                to: Some(6)
            })
        );
        assert_eq!(team.network_member_id, Some(6));
    }
}
