//! A visit's content as stored (`visits.content`, `visit_versions.content`).

use super::{SupportV1, codes, date_v1};
use regie_domain::visit::{GivenSupport, OverReason, VisitContent};
use serde::{Deserialize, Serialize};
use time::Date;

/// The format visits are written in.
const CURRENT: u64 = 1;

pub(crate) fn to_json(visit: &VisitContent) -> Result<String, String> {
    super::write(CURRENT, &VisitV1::from(visit))
}

pub(crate) fn from_json(json: &str) -> Result<VisitContent, String> {
    match super::open(json)? {
        (1, fields) => Ok(super::fields::<VisitV1>(fields)?.into()),
        (format, _) => Err(super::unknown(format, CURRENT)),
    }
}

/// Format 1, as the domain's `VisitContent` serialised itself until formats were numbered.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct VisitV1 {
    #[serde(with = "date_v1")]
    date: Date,
    minutes: u16,
    given: Vec<GivenV1>,
    #[serde(default)]
    not_done: Vec<String>,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    success: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct GivenV1 {
    activity: String,
    agreed: SupportV1,
    given: SupportV1,
    #[serde(default)]
    reason: Option<OverReasonV1>,
    #[serde(default)]
    reason_text: Option<String>,
}

codes! {
    OverReasonV1 <=> OverReason {
        "pain" => Pain,
        "fatigue" => Fatigue,
        "client_anxious" => ClientAnxious,
        "time_pressure" => TimePressure,
        "client_asked" => ClientAsked,
        "safety" => Safety,
        "other" => Other,
    }
}

impl From<&VisitContent> for VisitV1 {
    fn from(visit: &VisitContent) -> Self {
        VisitV1 {
            date: visit.date,
            minutes: visit.minutes,
            given: visit
                .given
                .iter()
                .map(|g| GivenV1 {
                    activity: g.activity.clone(),
                    agreed: g.agreed.into(),
                    given: g.given.into(),
                    reason: g.reason.map(OverReasonV1::from),
                    reason_text: g.reason_text.clone(),
                })
                .collect(),
            not_done: visit.not_done.clone(),
            note: visit.note.clone(),
            success: visit.success.clone(),
        }
    }
}

impl From<VisitV1> for VisitContent {
    fn from(stored: VisitV1) -> Self {
        VisitContent {
            date: stored.date,
            minutes: stored.minutes,
            given: stored
                .given
                .into_iter()
                .map(|g| GivenSupport {
                    activity: g.activity,
                    agreed: g.agreed.into(),
                    given: g.given.into(),
                    reason: g.reason.map(OverReason::from),
                    reason_text: g.reason_text,
                })
                .collect(),
            not_done: stored.not_done,
            note: stored.note,
            success: stored.success,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regie_domain::SupportLevel;
    use time::macros::date;

    fn given(activity: &str, agreed: SupportLevel, given: SupportLevel) -> GivenSupport {
        GivenSupport {
            activity: activity.into(),
            agreed,
            given,
            reason: None,
            reason_text: None,
        }
    }

    /// A visit with every field set.
    fn full_visit() -> VisitContent {
        VisitContent {
            date: date!(2026 - 11 - 23),
            minutes: 45,
            given: vec![
                GivenSupport {
                    reason: Some(OverReason::Other),
                    reason_text: Some("Viel bijna".into()),
                    ..given("wassen", SupportLevel::Light, SupportLevel::Substantial)
                },
                given(
                    "aankleden",
                    SupportLevel::Moderate,
                    SupportLevel::Independent,
                ),
            ],
            not_done: vec!["koken".into()],
            note: Some("Rustig".into()),
            success: Some("Zelf de sokken aan".into()),
        }
    }

    /// Format 1 of [`full_visit`]: any change to what is stored for a visit shows up here.
    const FULL_VISIT_V1: &str = concat!(
        r#"{"format":1,"date":[2026,327],"minutes":45,"given":["#,
        r#"{"activity":"wassen","agreed":"light","given":"substantial","reason":"other","reason_text":"Viel bijna"},"#,
        r#"{"activity":"aankleden","agreed":"moderate","given":"independent","reason":null,"reason_text":null}],"#,
        r#""not_done":["koken"],"note":"Rustig","success":"Zelf de sokken aan"}"#
    );

    #[test]
    fn a_full_visit_is_written_in_format_1_exactly() {
        assert_eq!(to_json(&full_visit()).unwrap(), FULL_VISIT_V1);
        assert_eq!(from_json(FULL_VISIT_V1).unwrap(), full_visit());
    }

    #[test]
    fn every_variant_reads_back_as_it_was_written() {
        let mut visit = full_visit();
        for reason in OverReason::ALL {
            for level in SupportLevel::ALL {
                visit.given.push(GivenSupport {
                    reason: Some(reason),
                    ..given(reason.as_str(), level, SupportLevel::Full)
                });
            }
        }
        assert_eq!(from_json(&to_json(&visit).unwrap()).unwrap(), visit);
        let bare = VisitContent {
            given: vec![],
            not_done: vec![],
            note: None,
            success: None,
            ..full_visit()
        };
        assert_eq!(from_json(&to_json(&bare).unwrap()).unwrap(), bare);
    }

    #[test]
    fn a_row_written_before_formats_were_numbered_reads_as_format_1() {
        let unnumbered = FULL_VISIT_V1.replacen(r#""format":1,"#, "", 1);
        assert_eq!(from_json(&unnumbered).unwrap(), full_visit());
        let sparse = r#"{"date":[2026,327],"minutes":10,"given":[]}"#;
        assert_eq!(
            from_json(sparse).unwrap(),
            VisitContent {
                date: date!(2026 - 11 - 23),
                minutes: 10,
                given: vec![],
                not_done: vec![],
                note: None,
                success: None,
            }
        );
    }

    #[test]
    fn an_unknown_format_is_refused_with_its_number() {
        let error = from_json(r#"{"format":3,"date":[2026,327]}"#).unwrap_err();
        assert_eq!(
            error,
            "format 3 is unknown (this version reads formats 1 to 1)"
        );
        assert!(from_json(r#"{"format":1,"date":[2026,327],"given":[]}"#).is_err());
    }
}
