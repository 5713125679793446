//! Who is asking, and which clients a search may return for them. Whether they may do
//! something with one client's record is decided in [`crate::permissions`].

use crate::people::Role;

/// Who is asking: the signed-in user with the teams they are a member of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub team_ids: Vec<i64>,
}

/// Which clients a list or search may return for an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientScope {
    None,
    /// Clients served by these teams, and those whose core team the actor is in.
    ServedByTeams(Vec<i64>),
}

impl Actor {
    /// The clients a search by this actor may find: those it may reach through a serving team
    /// or the core team (see [`crate::permissions::may_read_record`]); analysts none.
    pub fn client_scope(&self) -> ClientScope {
        if self.role == Role::Analyst {
            ClientScope::None
        } else {
            ClientScope::ServedByTeams(self.team_ids.clone())
        }
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
    fn an_analyst_finds_no_client() {
        assert_eq!(actor(Role::Analyst, &[1]).client_scope(), ClientScope::None);
    }

    #[test]
    fn a_search_covers_the_actors_teams() {
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
}
