//! The JSON storage keeps for plans, visits, closures and Samen Beslissen decisions: storage's own
//! format, numbered, and not the domain's types.
//!
//! Stored rows must stay readable for as long as the record is kept, while the domain's types
//! change with the product. So each stored shape is a `…V1` struct here, converted to and from
//! the domain type field by field, and each code (a discipline, a support level) is written
//! from a list of its own. A rename in the domain then fails to compile or fails a golden test
//! here, instead of silently changing what is written and leaving old rows unreadable.
//!
//! A row is an envelope: `{"format": 1, …the fields of that format…}`. The number sits beside
//! the fields rather than around them because rows written before formats were numbered are
//! format 1 without the key, so one reader serves both and no migration has to rewrite them.
//! Writing always writes the current format; reading accepts every known one and refuses an
//! unknown number as corrupt (a row from a newer Regie, say), naming the number.
//!
//! A new format: add `…V2` structs and write those; keep the V1 structs and their conversion
//! to the domain type so that old rows still read.

pub(crate) mod closure;
pub(crate) mod decision;
pub(crate) mod plan;
pub(crate) mod visit;

use regie_domain::{Discipline, SupportLevel};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// A stored row with its format number in front of its fields.
#[derive(Serialize)]
struct Envelope<'a, T> {
    format: u64,
    #[serde(flatten)]
    fields: &'a T,
}

/// The JSON text of `fields` in format `format`.
fn write<T: Serialize>(format: u64, fields: &T) -> Result<String, String> {
    serde_json::to_string(&Envelope { format, fields }).map_err(|e| e.to_string())
}

/// A stored row's format number and its fields; a row without a number is format 1.
fn open(json: &str) -> Result<(u64, Value), String> {
    let mut value: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let Some(object) = value.as_object_mut() else {
        return Err("not a JSON object".into());
    };
    let format = match object.remove("format") {
        None => 1,
        Some(number) => number
            .as_u64()
            .ok_or_else(|| format!("format {number} is not a whole number"))?,
    };
    Ok((format, value))
}

/// The fields of a row as format `V`.
fn fields<V: DeserializeOwned>(fields: Value) -> Result<V, String> {
    serde_json::from_value(fields).map_err(|e| e.to_string())
}

/// The message for a row in a format this build does not know.
fn unknown(format: u64, current: u64) -> String {
    format!("format {format} is unknown (this version reads formats 1 to {current})")
}

/// A stored list of codes: an enum of its own, mapped one to one onto a domain enum, with the
/// code written out for each variant. Renaming a domain variant breaks the mapping at compile
/// time; it cannot change the codes in the database.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident <=> $domain:ident { $($code:tt => $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub(crate) enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl From<$domain> for $name {
            fn from(value: $domain) -> Self {
                match value {
                    $($domain::$variant => $name::$variant),+
                }
            }
        }

        impl From<$name> for $domain {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => $domain::$variant),+
                }
            }
        }
    };
}
pub(crate) use codes;

codes! {
    /// A discipline, in plans (planned care, who carries out an intervention).
    DisciplineV1 <=> Discipline {
        "wijkverpleegkundige" => Wijkverpleegkundige,
        "verzorgende" => Verzorgende,
        "ergotherapeut" => Ergotherapeut,
        "fysiotherapeut" => Fysiotherapeut,
        "hulp_bij_het_huishouden" => HulpBijHetHuishouden,
        "wmo_consulent" => WmoConsulent,
        "sociaal_werker" => SociaalWerker,
        "techcoach" => Techcoach,
        "casemanager" => Casemanager,
        "anders" => Anders,
    }
}

codes! {
    /// A support level (0–4), in agreements and visits; written as a word, not a number.
    SupportV1 <=> SupportLevel {
        "independent" => Independent,
        "light" => Light,
        "moderate" => Moderate,
        "substantial" => Substantial,
        "full" => Full,
    }
}

/// Dates as format 1 writes them: `[year, day of the year]`. This is how the `time` crate's
/// serde wrote a `Date` when format 1 came about; it is spelled out here because that crate
/// writes `"YYYY-MM-DD"` instead once any crate in the build enables its
/// `serde-human-readable` feature, which would otherwise change stored data unnoticed.
pub(crate) mod date_v1 {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        (date.year(), date.ordinal()).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let (year, day) = <(i32, u16)>::deserialize(deserializer)?;
        Date::from_ordinal_date(year, day).map_err(serde::de::Error::custom)
    }

    /// The same for an optional date (`null` for none).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(
            date: &Option<Date>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match date {
                Some(date) => super::serialize(date, serializer),
                None => serializer.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Date>, D::Error> {
            #[derive(Deserialize)]
            struct Wrapped(#[serde(with = "super")] Date);
            Ok(Option::<Wrapped>::deserialize(deserializer)?.map(|Wrapped(date)| date))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn a_row_without_a_number_is_format_1_and_a_number_must_be_whole() {
        let (format, fields) = open(r#"{"question": "?"}"#).unwrap();
        assert_eq!((format, fields["question"].as_str()), (1, Some("?")));
        let (format, fields) = open(r#"{"format": 2, "question": "?"}"#).unwrap();
        assert_eq!(format, 2);
        assert!(fields.get("format").is_none(), "the number is not a field");
        assert!(
            open(r#"{"format": "1"}"#)
                .unwrap_err()
                .contains("whole number")
        );
        assert!(open(r#"{"format": -1}"#).is_err());
        assert!(open("[1, 2]").unwrap_err().contains("object"));
        assert!(open("{").is_err());
    }

    #[test]
    fn every_discipline_and_support_level_has_its_stored_code() {
        // The codes are those the domain used when format 1 came about.
        for discipline in Discipline::ALL {
            let code = serde_json::to_value(DisciplineV1::from(discipline)).unwrap();
            assert_eq!(code, discipline.as_str());
            let back: DisciplineV1 = serde_json::from_value(code).unwrap();
            assert_eq!(Discipline::from(back), discipline);
        }
        let codes: Vec<Value> = SupportLevel::ALL
            .into_iter()
            .map(|level| serde_json::to_value(SupportV1::from(level)).unwrap())
            .collect();
        assert_eq!(
            codes,
            ["independent", "light", "moderate", "substantial", "full"]
        );
        for level in SupportLevel::ALL {
            let back: SupportV1 =
                serde_json::from_value(serde_json::to_value(SupportV1::from(level)).unwrap())
                    .unwrap();
            assert_eq!(SupportLevel::from(back), level);
        }
    }

    #[test]
    fn dates_are_year_and_day_of_the_year() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Dated {
            #[serde(with = "date_v1")]
            on: time::Date,
            #[serde(default, with = "date_v1::option")]
            until: Option<time::Date>,
        }
        let dated = Dated {
            on: time::macros::date!(2026 - 11 - 01),
            until: None,
        };
        let json = serde_json::to_string(&dated).unwrap();
        assert_eq!(json, r#"{"on":[2026,305],"until":null}"#);
        assert_eq!(serde_json::from_str::<Dated>(&json).unwrap(), dated);
        let without_until: Dated = serde_json::from_str(r#"{"on":[2026,305]}"#).unwrap();
        assert_eq!(without_until, dated);
        assert!(serde_json::from_str::<Dated>(r#"{"on":[2026,367]}"#).is_err());
    }
}
