//! A client's personal details as recorded at registration, validated as a whole so a form
//! can show every problem at once.

use crate::identifiers::{Bsn, Postcode};
use crate::people::PersonName;
use crate::validation::{FieldError, collect};
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LivingSituation {
    Alone,
    WithPartner,
    WithOthers,
    Institution,
}

impl LivingSituation {
    pub const ALL: [LivingSituation; 4] = [
        LivingSituation::Alone,
        LivingSituation::WithPartner,
        LivingSituation::WithOthers,
        LivingSituation::Institution,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LivingSituation::Alone => "alone",
            LivingSituation::WithPartner => "with_partner",
            LivingSituation::WithOthers => "with_others",
            LivingSituation::Institution => "institution",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == value)
            .ok_or(FieldError::new(
                "living_situation",
                "error-living-situation-unknown",
            ))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub street: String,
    pub house_number: String,
    pub postcode: Postcode,
    pub city: String,
}

/// A client's record as kept. The details are optional only for records from before they
/// were asked; the BSN is a [`Bsn`], so debug output never shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: i64,
    pub name: String,
    /// The teams that serve the client.
    pub team_ids: Vec<i64>,
    /// Professionals in the core team of the client's open trajectory: they reach the client
    /// through it even when not in a serving team.
    pub core_team_user_ids: Vec<i64>,
    /// The coordinator of the client's open trajectory, if there is one.
    pub open_coordinator_id: Option<i64>,
    /// Raised by every change of the details or the serving teams.
    pub version: i64,
    pub created_at: time::OffsetDateTime,
    pub date_of_birth: Option<Date>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<Address>,
    pub bsn: Option<Bsn>,
    pub living_situation: Option<LivingSituation>,
    pub referrer: Option<String>,
}

impl Client {
    /// The record as form text, BSN included: what a version keeps and compares.
    pub fn as_input(&self) -> ClientInput {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let address = self.address.as_ref();
        let address_text = |f: fn(&Address) -> &str| address.map(f).unwrap_or_default().to_string();
        ClientInput {
            name: self.name.clone(),
            date_of_birth: self
                .date_of_birth
                .map(crate::validation::iso_date)
                .unwrap_or_default(),
            phone: text(&self.phone),
            email: text(&self.email),
            street: address_text(|a| &a.street),
            house_number: address_text(|a| &a.house_number),
            postcode: address_text(|a| a.postcode.as_str()),
            city: address_text(|a| &a.city),
            bsn: self
                .bsn
                .as_ref()
                .map(|b| b.as_str().to_string())
                .unwrap_or_default(),
            living_situation: self
                .living_situation
                .map(|l| l.as_str().to_string())
                .unwrap_or_default(),
            referrer: text(&self.referrer),
            team_ids: self.team_ids.clone(),
        }
    }
}

/// Validated client details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDetails {
    pub name: PersonName,
    pub date_of_birth: Date,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<Address>,
    pub bsn: Option<Bsn>,
    pub living_situation: LivingSituation,
    pub referrer: Option<String>,
    pub team_ids: Vec<i64>,
}

/// The details as typed in a form or sent to the API: every field text, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientInput {
    pub name: String,
    /// `YYYY-MM-DD`, as a date input sends it.
    pub date_of_birth: String,
    pub phone: String,
    pub email: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub bsn: String,
    pub living_situation: String,
    pub referrer: String,
    pub team_ids: Vec<i64>,
}

fn optional(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn bounded(
    field: &'static str,
    value: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = optional(value)?;
    if value.chars().count() > max || value.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "error-text-too-long"));
        return None;
    }
    Some(value)
}

fn parse_birth_date(value: &str, today: Date) -> Result<Date, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new("date_of_birth", "error-required"));
    }
    let date = crate::validation::parse_date(value)
        .ok_or(FieldError::new("date_of_birth", "error-date-format"))?;
    if date > today || today.year() - date.year() > 120 {
        return Err(FieldError::new(
            "date_of_birth",
            "error-date-of-birth-range",
        ));
    }
    Ok(date)
}

fn parse_phone(value: &str) -> Result<Option<String>, FieldError> {
    let Some(value) = optional(value) else {
        return Ok(None);
    };
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if !allowed || !(10..=15).contains(&digits) {
        return Err(FieldError::new("phone", "error-phone-format"));
    }
    Ok(Some(value))
}

fn parse_email(value: &str) -> Result<Option<String>, FieldError> {
    let Some(value) = optional(value) else {
        return Ok(None);
    };
    // Characters, not bytes, like every other limit here, so that the API can state it.
    let valid = value.chars().count() <= 254
        && !value.contains(|c: char| c.is_whitespace() || c.is_control())
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(Some(value))
    } else {
        Err(FieldError::new("email", "error-email-format"))
    }
}

/// The teams that serve a client: at least one, each once.
pub fn serving_teams(team_ids: &[i64]) -> Result<Vec<i64>, FieldError> {
    if team_ids.is_empty() {
        return Err(FieldError::new("team_ids", "error-client-team-required"));
    }
    let mut unique = team_ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != team_ids.len() {
        return Err(FieldError::new("team_ids", "error-client-team-duplicate"));
    }
    if unique.iter().any(|id| *id < 1) {
        return Err(FieldError::new("team_ids", "error-choice-unknown"));
    }
    Ok(unique)
}

impl ClientInput {
    /// The fields of the details (not the teams) whose trimmed text differs from `other`:
    /// what someone else changed meanwhile, or what a save would change.
    pub fn changed_fields(&self, other: &ClientInput) -> Vec<&'static str> {
        let pairs: [(&'static str, &str, &str); 11] = [
            ("name", &self.name, &other.name),
            ("date_of_birth", &self.date_of_birth, &other.date_of_birth),
            ("bsn", &self.bsn, &other.bsn),
            (
                "living_situation",
                &self.living_situation,
                &other.living_situation,
            ),
            ("street", &self.street, &other.street),
            ("house_number", &self.house_number, &other.house_number),
            ("postcode", &self.postcode, &other.postcode),
            ("city", &self.city, &other.city),
            ("phone", &self.phone, &other.phone),
            ("email", &self.email, &other.email),
            ("referrer", &self.referrer, &other.referrer),
        ];
        pairs
            .into_iter()
            .filter(|(_, a, b)| a.trim() != b.trim())
            .map(|(field, _, _)| field)
            .collect()
    }

    /// Checks every field; `today` bounds the date of birth.
    pub fn validate(&self, today: Date) -> Result<ClientDetails, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = collect(PersonName::parse("name", &self.name), &mut errors);
        let date_of_birth = collect(parse_birth_date(&self.date_of_birth, today), &mut errors);
        let phone = collect(parse_phone(&self.phone), &mut errors).flatten();
        let email = collect(parse_email(&self.email), &mut errors).flatten();
        let bsn = if self.bsn.trim().is_empty() {
            None
        } else {
            collect(Bsn::parse(&self.bsn), &mut errors)
        };
        let living_situation = if self.living_situation.is_empty() {
            collect(
                Err(FieldError::new("living_situation", "error-required")),
                &mut errors,
            )
        } else {
            collect(LivingSituation::parse(&self.living_situation), &mut errors)
        };
        let address = self.address(&mut errors);
        let referrer = bounded("referrer", &self.referrer, 200, &mut errors);
        collect(serving_teams(&self.team_ids), &mut errors);
        match (name, date_of_birth, living_situation) {
            (Some(name), Some(date_of_birth), Some(living_situation)) if errors.is_empty() => {
                Ok(ClientDetails {
                    name,
                    date_of_birth,
                    phone,
                    email,
                    address,
                    bsn,
                    living_situation,
                    referrer,
                    team_ids: self.team_ids.clone(),
                })
            }
            _ => Err(errors),
        }
    }

    /// An address is optional, but once begun it must be complete.
    fn address(&self, errors: &mut Vec<FieldError>) -> Option<Address> {
        let parts = [&self.street, &self.house_number, &self.postcode, &self.city];
        if parts.iter().all(|p| p.trim().is_empty()) {
            return None;
        }
        let before = errors.len();
        let mut required = |field: &'static str, value: &str, max: usize| {
            if value.trim().is_empty() {
                errors.push(FieldError::new(field, "error-address-incomplete"));
                None
            } else {
                bounded(field, value, max, errors)
            }
        };
        let street = required("street", &self.street, 200);
        let house_number = required("house_number", &self.house_number, 20);
        let city = required("city", &self.city, 100);
        let postcode = match Postcode::parse(&self.postcode) {
            Ok(postcode) => Some(postcode),
            Err(error) if error.key == "error-required" => {
                errors.push(FieldError::new("postcode", "error-address-incomplete"));
                None
            }
            Err(error) => {
                errors.push(error);
                None
            }
        };
        if errors.len() > before {
            return None;
        }
        Some(Address {
            street: street?,
            house_number: house_number?,
            postcode: postcode?,
            city: city?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn complete() -> ClientInput {
        ClientInput {
            name: "Mevrouw J. de Boer".into(),
            date_of_birth: "1941-03-12".into(),
            phone: "06 1234 5678".into(),
            email: "j.deboer@example.nl".into(),
            street: "Lindelaan".into(),
            house_number: "12a".into(),
            postcode: "1234ab".into(),
            city: "Zwolle".into(),
            bsn: "111 222 333".into(),
            living_situation: "alone".into(),
            referrer: "huisarts Van Dam".into(),
            team_ids: vec![1],
        }
    }

    #[test]
    fn an_email_address_is_at_most_254_characters_without_controls() {
        let mut input = complete();
        // 254 characters, more bytes than that.
        input.email = format!("{}@voorbeeld.nl", "é".repeat(241));
        assert!(input.validate(TODAY).is_ok());
        input.email = format!("{}@voorbeeld.nl", "é".repeat(242));
        assert_eq!(keys(&input), vec![("email", "error-email-format")]);
        input.email = "j.de\u{1}boer@example.nl".into();
        assert_eq!(keys(&input), vec![("email", "error-email-format")]);
    }

    #[test]
    fn a_kept_client_never_prints_its_bsn_and_gives_back_the_form_it_was_made_from() {
        let details = complete().validate(TODAY).unwrap();
        let client = Client {
            id: 7,
            name: details.name.as_str().to_string(),
            team_ids: details.team_ids.clone(),
            core_team_user_ids: vec![],
            open_coordinator_id: None,
            version: 1,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            date_of_birth: Some(details.date_of_birth),
            phone: details.phone.clone(),
            email: details.email.clone(),
            address: details.address.clone(),
            bsn: details.bsn.clone(),
            living_situation: Some(details.living_situation),
            referrer: details.referrer.clone(),
        };
        let debug = format!("{client:?}");
        assert!(!debug.contains("111222333"), "{debug}");
        assert!(debug.contains("******333"), "{debug}");
        let input = client.as_input();
        assert_eq!(input.bsn, "111222333");
        assert_eq!(input.postcode, "1234 AB");
        assert_eq!(input.date_of_birth, "1941-03-12");
        assert!(
            input
                .changed_fields(&complete())
                .iter()
                .all(|f| *f == "bsn" || *f == "postcode")
        );
    }

    #[test]
    fn a_date_of_birth_is_exactly_a_day() {
        let mut input = complete();
        input.date_of_birth = " 1941-03-12".into();
        assert_eq!(keys(&input), vec![("date_of_birth", "error-date-format")]);
    }

    fn keys(input: &ClientInput) -> Vec<(&'static str, &'static str)> {
        input
            .validate(TODAY)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect()
    }

    #[test]
    fn serving_teams_are_at_least_one_and_each_once() {
        assert_eq!(serving_teams(&[2, 1]), Ok(vec![1, 2]));
        assert_eq!(
            serving_teams(&[]),
            Err(FieldError::new("team_ids", "error-client-team-required"))
        );
        assert_eq!(
            serving_teams(&[1, 1]),
            Err(FieldError::new("team_ids", "error-client-team-duplicate"))
        );
        assert_eq!(
            serving_teams(&[0]),
            Err(FieldError::new("team_ids", "error-choice-unknown"))
        );
        let duplicated = ClientInput {
            team_ids: vec![1, 1],
            ..complete()
        };
        assert_eq!(
            keys(&duplicated),
            vec![("team_ids", "error-client-team-duplicate")]
        );
    }

    #[test]
    fn changed_fields_name_what_differs_but_not_the_teams() {
        let before = complete();
        let mut after = complete();
        after.phone = "06 9999 0000".into();
        after.city = " Zwolle ".into();
        after.team_ids = vec![1, 2];
        assert_eq!(before.changed_fields(&after), vec!["phone"]);
        assert!(before.changed_fields(&before).is_empty());
    }

    #[test]
    fn complete_details_are_normalised() {
        let details = complete().validate(TODAY).unwrap();
        assert_eq!(details.address.unwrap().postcode.as_str(), "1234 AB");
        assert_eq!(details.bsn.unwrap().as_str(), "111222333");
        assert_eq!(details.date_of_birth, date!(1941 - 03 - 12));
        assert_eq!(details.living_situation, LivingSituation::Alone);
    }

    #[test]
    fn only_name_birth_date_living_situation_and_a_team_are_required() {
        let minimal = ClientInput {
            name: "Meneer Kaya".into(),
            date_of_birth: "1950-01-01".into(),
            living_situation: "with_partner".into(),
            team_ids: vec![2],
            ..Default::default()
        };
        let details = minimal.validate(TODAY).unwrap();
        assert_eq!(
            (details.address, details.bsn, details.phone),
            (None, None, None)
        );
        let empty = ClientInput::default();
        assert_eq!(
            keys(&empty),
            [
                ("name", "error-required"),
                ("date_of_birth", "error-required"),
                ("living_situation", "error-required"),
                ("team_ids", "error-client-team-required")
            ]
        );
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let input = ClientInput {
            date_of_birth: "2030-01-01".into(),
            phone: "12345".into(),
            email: "geen-adres".into(),
            bsn: "123456789".into(),
            postcode: "0123 AB".into(),
            living_situation: "boot".into(),
            ..complete()
        };
        let found = keys(&input);
        for expected in [
            ("date_of_birth", "error-date-of-birth-range"),
            ("phone", "error-phone-format"),
            ("email", "error-email-format"),
            ("bsn", "error-bsn-invalid"),
            ("postcode", "error-postcode-invalid"),
            ("living_situation", "error-living-situation-unknown"),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
    }

    #[test]
    fn a_begun_address_must_be_complete() {
        let input = ClientInput {
            street: String::new(),
            city: String::new(),
            ..complete()
        };
        assert_eq!(
            keys(&input),
            [
                ("street", "error-address-incomplete"),
                ("city", "error-address-incomplete")
            ]
        );
        let no_postcode = ClientInput {
            postcode: " ".into(),
            ..complete()
        };
        assert_eq!(
            keys(&no_postcode),
            [("postcode", "error-address-incomplete")]
        );
    }

    #[test]
    fn birth_dates_are_real_and_plausible() {
        for (value, key) in [
            ("12-03-1941", "error-date-format"),
            ("1941-02-30", "error-date-format"),
            ("1890-01-01", "error-date-of-birth-range"),
        ] {
            let input = ClientInput {
                date_of_birth: value.into(),
                ..complete()
            };
            assert_eq!(keys(&input), [("date_of_birth", key)], "{value}");
        }
    }
}
