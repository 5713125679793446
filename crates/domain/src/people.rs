//! Users, their roles and disciplines, and the validated values they are made of.

use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// What a user may do in Regie. Access to client records never follows from the role alone:
/// see [`crate::access`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    TeamLead,
    Professional,
    Analyst,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Professional,
        Role::TeamLead,
        Role::Analyst,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::TeamLead => "team_lead",
            Role::Professional => "professional",
            Role::Analyst => "analyst",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or(FieldError::new("role", "error-role-unknown"))
    }
}

/// The profession a user works in; shown next to their name in teams and records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Discipline {
    Wijkverpleegkundige,
    Verzorgende,
    Ergotherapeut,
    Fysiotherapeut,
    HulpBijHetHuishouden,
    WmoConsulent,
    SociaalWerker,
    Techcoach,
    Casemanager,
    Anders,
}

impl Discipline {
    pub const ALL: [Discipline; 10] = [
        Discipline::Wijkverpleegkundige,
        Discipline::Verzorgende,
        Discipline::Ergotherapeut,
        Discipline::Fysiotherapeut,
        Discipline::HulpBijHetHuishouden,
        Discipline::WmoConsulent,
        Discipline::SociaalWerker,
        Discipline::Techcoach,
        Discipline::Casemanager,
        Discipline::Anders,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Discipline::Wijkverpleegkundige => "wijkverpleegkundige",
            Discipline::Verzorgende => "verzorgende",
            Discipline::Ergotherapeut => "ergotherapeut",
            Discipline::Fysiotherapeut => "fysiotherapeut",
            Discipline::HulpBijHetHuishouden => "hulp_bij_het_huishouden",
            Discipline::WmoConsulent => "wmo_consulent",
            Discipline::SociaalWerker => "sociaal_werker",
            Discipline::Techcoach => "techcoach",
            Discipline::Casemanager => "casemanager",
            Discipline::Anders => "anders",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == value)
            .ok_or(FieldError::new("discipline", "error-discipline-unknown"))
    }
}

/// A login name: 2–64 characters, lower-case letters, digits, `.`, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Username(String);

impl Username {
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let value = value.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldError::new("username", "error-required"));
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c);
        if !(2..=64).contains(&value.len()) || !value.chars().all(allowed) {
            return Err(FieldError::new("username", "error-username-format"));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name: trimmed, not empty, at most 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &'static str, value: &str) -> Result<Self, FieldError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(FieldError::new(field, "error-required"));
        }
        if value.chars().count() > 200 || value.chars().any(char::is_control) {
            return Err(FieldError::new(field, "error-name-format"));
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A team's name follows the same rules as a person's name.
pub type TeamName = PersonName;

/// A new password as chosen by a user or an admin. Only its length is checked: long
/// pass phrases beat composition rules (NCSC and NIST guidance).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        let chars = value.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new("password", "error-password-short"));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new("password", "error-password-long"));
        }
        Ok(Self(value.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

// Never print a password, not even in debug output.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_disciplines_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        for discipline in Discipline::ALL {
            assert_eq!(Discipline::parse(discipline.as_str()), Ok(discipline));
        }
        assert_eq!(Role::parse("root").unwrap_err().key, "error-role-unknown");
        assert_eq!(Discipline::parse("").unwrap_err().field, "discipline");
    }

    #[test]
    fn usernames_are_normalised_and_restricted() {
        assert_eq!(
            Username::parse("  J.deVries ").unwrap().as_str(),
            "j.devries"
        );
        assert_eq!(Username::parse("").unwrap_err().key, "error-required");
        for bad in ["a", "met spatie", "émile", "x;drop", &"a".repeat(65)] {
            assert_eq!(
                Username::parse(bad).unwrap_err().key,
                "error-username-format",
                "{bad}"
            );
        }
    }

    #[test]
    fn person_names_are_trimmed_and_bounded() {
        assert_eq!(
            PersonName::parse("name", "  Anna  ").unwrap().as_str(),
            "Anna"
        );
        assert_eq!(
            PersonName::parse("name", "   ").unwrap_err().key,
            "error-required"
        );
        assert_eq!(
            PersonName::parse("name", &"x".repeat(201)).unwrap_err().key,
            "error-name-format"
        );
        assert_eq!(
            PersonName::parse("name", "a\u{0}b").unwrap_err().key,
            "error-name-format"
        );
    }

    #[test]
    fn passwords_need_ten_characters_and_never_print() {
        assert!(NewPassword::parse("regie-demo").is_ok());
        assert_eq!(
            NewPassword::parse("kort").unwrap_err().key,
            "error-password-short"
        );
        assert_eq!(
            NewPassword::parse(&"x".repeat(257)).unwrap_err().key,
            "error-password-long"
        );
        let password = NewPassword::parse("geheim-wachtwoord").unwrap();
        assert!(!format!("{password:?}").contains("geheim"));
    }
}
