//! The people around a client (seed 003): who helps with what, whether the client asks them,
//! and whether a carer's load exceeds what they can carry.

use crate::validation::{FieldError, collect};
use serde::{Deserialize, Serialize};

/// Whether the client asks this person for help when needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asks {
    Asks,
    CouldButDoesNot,
}

/// The client's own summary of their network (seed 003: 22% have nobody to ask).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NetworkSummary {
    AsksEnough,
    HasPeopleButDoesNotAsk,
    TooFewPeople,
}

/// Whether giving and receiving help feel in balance to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Balance {
    InBalance,
    ReceivesMore,
    GivesMore,
}

macro_rules! string_enum {
    ($ty:ident, $field:literal, $key:literal, [$($variant:ident => $code:literal),+ $(,)?]) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }

            pub fn parse(value: &str) -> Result<Self, FieldError> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value).ok_or(FieldError::new($field, $key))
            }
        }
    };
}

string_enum!(Asks, "asks", "error-choice-unknown", [Asks => "asks", CouldButDoesNot => "could_but_does_not"]);
string_enum!(NetworkSummary, "summary", "error-choice-unknown", [
    AsksEnough => "asks_enough",
    HasPeopleButDoesNotAsk => "has_people_but_does_not_ask",
    TooFewPeople => "too_few_people",
]);
string_enum!(Balance, "balance", "error-choice-unknown", [InBalance => "in_balance", ReceivesMore => "receives_more", GivesMore => "gives_more"]);

/// A person as typed in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NetworkMemberInput {
    pub name: String,
    pub relation: String,
    pub contact: String,
    pub helps_with: String,
    pub how_often: String,
    pub asks: String,
    pub is_carer: bool,
    /// 0–10, only for a mantelzorger.
    pub load: String,
    pub capacity: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkMember {
    pub name: String,
    pub relation: String,
    pub contact: Option<String>,
    pub helps_with: Option<String>,
    pub how_often: Option<String>,
    pub asks: Asks,
    /// Load and capacity (0–10) of a mantelzorger.
    pub carer: Option<(u8, u8)>,
}

impl NetworkMember {
    /// A carer whose load exceeds their capacity risks overload (overbelasting).
    pub fn overloaded(&self) -> bool {
        self.carer.is_some_and(|(load, capacity)| load > capacity)
    }
}

fn score(field: &'static str, value: &str) -> Result<u8, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, "error-required"));
    }
    value
        .parse::<u8>()
        .ok()
        .filter(|v| *v <= 10)
        .ok_or(FieldError::new(field, "error-score-range"))
}

fn text(
    field: &'static str,
    value: &str,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.push(FieldError::new(field, "error-required"));
        }
        return None;
    }
    if value.chars().count() > 500 || value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "error-text-too-long"));
        return None;
    }
    Some(value.to_string())
}

impl NetworkMemberInput {
    pub fn validate(&self) -> Result<NetworkMember, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = text("name", &self.name, true, &mut errors);
        let relation = text("relation", &self.relation, true, &mut errors);
        let contact = text("contact", &self.contact, false, &mut errors);
        let helps_with = text("helps_with", &self.helps_with, false, &mut errors);
        let how_often = text("how_often", &self.how_often, false, &mut errors);
        let asks = collect(Asks::parse(&self.asks), &mut errors);
        let carer = if self.is_carer {
            let load = collect(score("load", &self.load), &mut errors);
            let capacity = collect(score("capacity", &self.capacity), &mut errors);
            load.zip(capacity)
        } else {
            None
        };
        match (name, relation, asks) {
            (Some(name), Some(relation), Some(asks)) if errors.is_empty() => Ok(NetworkMember {
                name,
                relation,
                contact,
                helps_with,
                how_often,
                asks,
                carer,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daughter() -> NetworkMemberInput {
        NetworkMemberInput {
            name: "Anja".into(),
            relation: "dochter".into(),
            helps_with: "boodschappen, administratie".into(),
            how_often: "drie keer per week".into(),
            asks: "asks".into(),
            is_carer: true,
            load: "8".into(),
            capacity: "5".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_carer_whose_load_exceeds_capacity_is_flagged() {
        let member = daughter().validate().unwrap();
        assert_eq!(member.carer, Some((8, 5)));
        assert!(member.overloaded());
        let balanced = NetworkMemberInput {
            load: "5".into(),
            ..daughter()
        }
        .validate()
        .unwrap();
        assert!(
            !balanced.overloaded(),
            "load equal to capacity is not overload"
        );
        let neighbour = NetworkMemberInput {
            is_carer: false,
            relation: "buurman".into(),
            ..daughter()
        }
        .validate()
        .unwrap();
        assert_eq!(neighbour.carer, None);
        assert!(!neighbour.overloaded());
    }

    #[test]
    fn bad_input_is_named_per_field() {
        let input = NetworkMemberInput {
            name: " ".into(),
            asks: "soms".into(),
            load: "11".into(),
            capacity: String::new(),
            ..daughter()
        };
        let keys: Vec<_> = input
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect();
        assert_eq!(
            keys,
            [
                ("name", "error-required"),
                ("asks", "error-choice-unknown"),
                ("load", "error-score-range"),
                ("capacity", "error-required")
            ]
        );
    }

    #[test]
    fn choices_round_trip() {
        for v in NetworkSummary::ALL {
            assert_eq!(NetworkSummary::parse(v.as_str()), Ok(*v));
        }
        for v in Balance::ALL {
            assert_eq!(Balance::parse(v.as_str()), Ok(*v));
        }
        for v in Asks::ALL {
            assert_eq!(Asks::parse(v.as_str()), Ok(*v));
        }
    }
}
