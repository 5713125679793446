//! The one rule for reaching a client's record, enforced by the server on every request.
//!
//! A user reaches a client through a team that serves that client, or as a professional in the
//! core team of the client's open trajectory (an ergotherapeut from another team, say). The
//! role adds no
//! rights to records: an admin manages users but reads care records only when on the team,
//! and an analyst never reaches an individual record, only aggregates.

use crate::people::Role;

/// Who is asking: the signed-in user with the teams they are a member of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub team_ids: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessDecision {
    Allowed,
    /// Analysts see aggregates only, never an individual record.
    DeniedAggregatesOnly,
    /// The user is not in any team that serves this client, nor in its core team.
    DeniedNotOnTeam,
}

impl AccessDecision {
    pub fn is_allowed(self) -> bool {
        self == AccessDecision::Allowed
    }
}

/// Which clients a list or search may return for an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientScope {
    None,
    /// Clients served by these teams, and those whose core team the actor is in.
    ServedByTeams(Vec<i64>),
}

impl Actor {
    /// May this actor open the record of a client served by `serving_team_ids`, whose open
    /// trajectory's core team has the professionals `core_team_user_ids`?
    pub fn client_access(
        &self,
        serving_team_ids: &[i64],
        core_team_user_ids: &[i64],
    ) -> AccessDecision {
        if self.role == Role::Analyst {
            return AccessDecision::DeniedAggregatesOnly;
        }
        if serving_team_ids
            .iter()
            .any(|team| self.team_ids.contains(team))
            || core_team_user_ids.contains(&self.user_id)
        {
            AccessDecision::Allowed
        } else {
            AccessDecision::DeniedNotOnTeam
        }
    }

    /// The clients a search by this actor may find: the same rule as [`Actor::client_access`].
    pub fn client_scope(&self) -> ClientScope {
        if self.role == Role::Analyst {
            ClientScope::None
        } else {
            ClientScope::ServedByTeams(self.team_ids.clone())
        }
    }

    pub fn may_administer(&self) -> bool {
        self.role == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, team_ids: &[i64]) -> Actor {
        Actor {
            user_id: 1,
            username: "u".into(),
            role,
            team_ids: team_ids.to_vec(),
        }
    }

    #[test]
    fn a_professional_reaches_a_client_only_through_a_serving_team() {
        let professional = actor(Role::Professional, &[1, 2]);
        assert_eq!(
            professional.client_access(&[2, 7], &[]),
            AccessDecision::Allowed
        );
        assert_eq!(
            professional.client_access(&[3], &[]),
            AccessDecision::DeniedNotOnTeam
        );
        assert_eq!(
            professional.client_access(&[], &[]),
            AccessDecision::DeniedNotOnTeam
        );
    }

    #[test]
    fn an_admin_or_team_lead_needs_team_membership_too() {
        for role in [Role::Admin, Role::TeamLead] {
            assert_eq!(
                actor(role, &[]).client_access(&[1], &[]),
                AccessDecision::DeniedNotOnTeam
            );
            assert_eq!(
                actor(role, &[1]).client_access(&[1], &[]),
                AccessDecision::Allowed
            );
        }
    }

    #[test]
    fn an_analyst_never_reaches_an_individual_record() {
        let analyst = actor(Role::Analyst, &[1]);
        assert_eq!(
            analyst.client_access(&[1], &[1]),
            AccessDecision::DeniedAggregatesOnly
        );
        assert_eq!(analyst.client_scope(), ClientScope::None);
    }

    #[test]
    fn search_scope_follows_the_same_rule() {
        assert_eq!(
            actor(Role::Professional, &[4]).client_scope(),
            ClientScope::ServedByTeams(vec![4])
        );
        // Without teams, only core-team membership can still reach a client.
        assert_eq!(
            actor(Role::Admin, &[]).client_scope(),
            ClientScope::ServedByTeams(vec![])
        );
    }

    #[test]
    fn a_core_team_member_reaches_the_client_without_serving_the_client() {
        let ergotherapist = actor(Role::Professional, &[9]);
        assert_eq!(
            ergotherapist.client_access(&[1], &[1]),
            AccessDecision::Allowed
        );
        assert_eq!(
            ergotherapist.client_access(&[1], &[2, 3]),
            AccessDecision::DeniedNotOnTeam
        );
    }
}
