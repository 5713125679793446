//! Assessment instruments are data, never hard-coded: versioned definition files (TOML) with
//! the items (life domains or daily activities) and the level set, in Dutch and English.
//!
//! Every rating stores the instrument's key and version, so old ratings keep their meaning
//! when an organisation imports a new version — or the licensed official wording.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Text in both interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    pub fn get(&self, language: crate::Language) -> &str {
        match language {
            crate::Language::Nl => &self.nl,
            crate::Language::En => &self.en,
        }
    }

    fn is_complete(&self) -> bool {
        !self.nl.trim().is_empty() && !self.en.trim().is_empty()
    }
}

/// What an instrument measures, which fixes its scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstrumentKind {
    /// Self-reliance per life domain, levels 1–5 ("niet besproken" is always possible).
    LifeDomains,
    /// Support per daily activity, levels 0–4 ("niet van toepassing" is always possible).
    DailyActivities,
}

impl InstrumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentKind::LifeDomains => "life_domains",
            InstrumentKind::DailyActivities => "daily_activities",
        }
    }

    /// The level values the scale must define, in order.
    pub fn scale(self) -> std::ops::RangeInclusive<u8> {
        match self {
            InstrumentKind::LifeDomains => 1..=5,
            InstrumentKind::DailyActivities => 0..=4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleLevel {
    pub value: u8,
    pub label: Text,
    pub description: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Stable identifier stored with every rating; never reuse one for something else.
    pub key: String,
    pub name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentDefinition {
    pub key: String,
    pub version: String,
    pub kind: InstrumentKind,
    pub name: Text,
    /// Where the wording comes from, and under which licence.
    pub source: Text,
    pub levels: Vec<ScaleLevel>,
    pub items: Vec<Item>,
}

/// The instruments that ship with Regie, as the files in `instruments/` at the repository root.
/// They are installed on every start when missing.
pub const SHIPPED: [&str; 2] = [
    include_str!("../../../instruments/zelfredzaamheid-per-levensgebied.toml"),
    include_str!("../../../instruments/dagelijkse-activiteiten.toml"),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstrumentError {
    #[error("the file is not a valid instrument definition: {0}")]
    Syntax(String),
    #[error("{0} must be 1–64 characters: a-z, 0-9, '-' or '_'")]
    BadKey(String),
    #[error("the version must not be empty")]
    EmptyVersion,
    #[error("{0} needs both a Dutch (nl) and an English (en) text")]
    MissingTranslation(String),
    #[error("the levels must be exactly {expected} in order, found {found}")]
    WrongScale { expected: String, found: String },
    #[error("there must be at least one item")]
    NoItems,
    #[error("item key {0:?} appears more than once")]
    DuplicateItem(String),
}

fn valid_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl InstrumentDefinition {
    /// Reads and checks a definition file's text.
    pub fn from_toml(text: &str) -> Result<Self, InstrumentError> {
        let definition: Self =
            toml::from_str(text).map_err(|e| InstrumentError::Syntax(e.message().to_string()))?;
        definition.validate()?;
        Ok(definition)
    }

    pub fn validate(&self) -> Result<(), InstrumentError> {
        if !valid_key(&self.key) {
            return Err(InstrumentError::BadKey(format!("the key {:?}", self.key)));
        }
        if self.version.trim().is_empty() {
            return Err(InstrumentError::EmptyVersion);
        }
        let complete = |text: &Text, what: String| {
            if text.is_complete() {
                Ok(())
            } else {
                Err(InstrumentError::MissingTranslation(what))
            }
        };
        complete(&self.name, "the name".into())?;
        complete(&self.source, "the source".into())?;
        let expected: Vec<u8> = self.kind.scale().collect();
        let found: Vec<u8> = self.levels.iter().map(|l| l.value).collect();
        if expected != found {
            return Err(InstrumentError::WrongScale {
                expected: format!("{expected:?}"),
                found: format!("{found:?}"),
            });
        }
        for level in &self.levels {
            complete(&level.label, format!("the label of level {}", level.value))?;
            complete(
                &level.description,
                format!("the description of level {}", level.value),
            )?;
        }
        if self.items.is_empty() {
            return Err(InstrumentError::NoItems);
        }
        let mut seen = HashSet::new();
        for item in &self.items {
            if !valid_key(&item.key) {
                return Err(InstrumentError::BadKey(format!(
                    "the item key {:?}",
                    item.key
                )));
            }
            if !seen.insert(item.key.as_str()) {
                return Err(InstrumentError::DuplicateItem(item.key.clone()));
            }
            complete(&item.name, format!("the name of item {}", item.key))?;
            if let Some(description) = &item.description {
                complete(description, format!("the description of item {}", item.key))?;
            }
        }
        Ok(())
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.key == key)
    }

    pub fn level(&self, value: u8) -> Option<&ScaleLevel> {
        self.levels.iter().find(|l| l.value == value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
key = "test"
version = "1"
kind = "daily_activities"
name = { nl = "Proef", en = "Test" }
source = { nl = "Eigen tekst", en = "Own wording" }
levels = [
  { value = 0, label = { nl = "zelfstandig", en = "independent" }, description = { nl = "a", en = "a" } },
  { value = 1, label = { nl = "lichte hulp", en = "light help" }, description = { nl = "b", en = "b" } },
  { value = 2, label = { nl = "matige hulp", en = "moderate help" }, description = { nl = "c", en = "c" } },
  { value = 3, label = { nl = "veel hulp", en = "much help" }, description = { nl = "d", en = "d" } },
  { value = 4, label = { nl = "volledig overgenomen", en = "fully taken over" }, description = { nl = "e", en = "e" } },
]
items = [ { key = "wassen", name = { nl = "Wassen", en = "Washing" } } ]
"#;

    #[test]
    fn a_complete_definition_is_accepted() {
        let definition = InstrumentDefinition::from_toml(MINIMAL).unwrap();
        assert_eq!(definition.kind, InstrumentKind::DailyActivities);
        assert_eq!(
            definition
                .item("wassen")
                .unwrap()
                .name
                .get(crate::Language::En),
            "Washing"
        );
        assert_eq!(
            definition.level(4).unwrap().label.nl,
            "volledig overgenomen"
        );
    }

    #[test]
    fn the_shipped_instruments_are_valid_and_complete() {
        let definitions: Vec<_> = SHIPPED
            .iter()
            .map(|t| InstrumentDefinition::from_toml(t).unwrap())
            .collect();
        let zrm = &definitions[0];
        assert_eq!(zrm.kind, InstrumentKind::LifeDomains);
        assert_eq!(zrm.items.len(), 13);
        let level_names: Vec<&str> = zrm.levels.iter().map(|l| l.label.nl.as_str()).collect();
        assert_eq!(
            level_names,
            [
                "Acute problematiek",
                "Niet zelfredzaam",
                "Beperkt zelfredzaam",
                "Voldoende zelfredzaam",
                "Volledig zelfredzaam"
            ]
        );
        assert_eq!(
            zrm.item("instrumentele-adl").unwrap().name.nl,
            "Instrumentele ADL"
        );
        let daily = &definitions[1];
        assert_eq!(daily.kind, InstrumentKind::DailyActivities);
        assert_eq!(daily.items.len(), 16);
        assert_eq!(daily.level(4).unwrap().label.nl, "Volledig overgenomen");
        assert!(daily.item("sociale-contacten").is_some());
    }

    #[test]
    fn broken_definitions_say_what_is_wrong() {
        let cases = [
            (
                MINIMAL.replace("key = \"test\"", "key = \"Test Set\""),
                "key",
            ),
            (
                MINIMAL.replace("version = \"1\"", "version = \" \""),
                "version",
            ),
            (
                MINIMAL.replace("en = \"Washing\"", "en = \"\""),
                "item wassen",
            ),
            (MINIMAL.replace("value = 4", "value = 5"), "levels"),
            (
                MINIMAL.replace("kind = \"daily_activities\"", "kind = \"life_domains\""),
                "levels",
            ),
            (
                MINIMAL.replace(
                    "items = [ {",
                    "items = [ { key = \"wassen\", name = { nl = \"x\", en = \"x\" } }, {",
                ),
                "more than once",
            ),
            (
                MINIMAL.replace("kind =", "colour = \"red\"\nkind ="),
                "unknown field",
            ),
            ("key = ".to_string(), "not a valid"),
        ];
        for (text, expected) in cases {
            let error = InstrumentDefinition::from_toml(&text)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains(expected),
                "expected {expected:?} in {error:?}"
            );
        }
    }
}
