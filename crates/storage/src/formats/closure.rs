//! How a trajectory ended, as stored (`trajectories.closure`, and the closing step's
//! `trajectory_events.detail`).
//!
//! Format 1 is what the domain's three-variant `Closure` wrote before closures had a date:
//! `{"kind": "no_care_needed"}`, `{"kind": "referred", "to": …}`,
//! `{"kind": "stopped_early", "reason": …}`. Those rows read as the matching option, their
//! free text kept as the detail ("other"), without a date, summary or care hours.
//! Format 2 adds the date, the summary, the care hours now and the option's details.

use super::{DisciplineV1, codes, date_v1};
use regie_domain::{CareNow, Closure, ClosureOption, ReferralTo, StopReason};
use serde::{Deserialize, Serialize};

/// The format closures are written in.
const CURRENT: u64 = 2;

pub(crate) fn to_json(closure: &Closure) -> Result<String, String> {
    super::write(CURRENT, &ClosureV2::from(closure))
}

pub(crate) fn from_json(json: &str) -> Result<Closure, String> {
    match super::open(json)? {
        (1, fields) => Ok(super::fields::<ClosureV1>(fields)?.into()),
        (2, fields) => Ok(super::fields::<ClosureV2>(fields)?.into()),
        (format, _) => Err(super::unknown(format, CURRENT)),
    }
}

/// Format 1: the option only, with free text for a referral or a reason to stop.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum ClosureV1 {
    NoCareNeeded,
    Referred { to: String },
    StoppedEarly { reason: String },
}

impl From<ClosureV1> for Closure {
    fn from(stored: ClosureV1) -> Self {
        let option = match stored {
            ClosureV1::NoCareNeeded => ClosureOption::NoCareNeeded,
            ClosureV1::Referred { to } => ClosureOption::Referred {
                to: ReferralTo::Other,
                detail: Some(to),
                handover: String::new(),
            },
            ClosureV1::StoppedEarly { reason } => ClosureOption::StoppedEarly {
                reason: StopReason::Other,
                detail: Some(reason),
            },
        };
        Closure {
            option,
            date: None,
            summary: String::new(),
            care_now: Vec::new(),
        }
    }
}

codes! {
    ReferralToV2 <=> ReferralTo {
        "wijkverpleging" => Wijkverpleging,
        "wlz" => Wlz,
        "wmo_maatwerk" => WmoMaatwerk,
        "huishoudelijke_hulp" => HuishoudelijkeHulp,
        "dagbesteding" => Dagbesteding,
        "other" => Other,
    }
}

codes! {
    StopReasonV2 <=> StopReason {
        "client_declined" => ClientDeclined,
        "admission" => Admission,
        "moved" => Moved,
        "deceased" => Deceased,
        "other" => Other,
    }
}

/// Format 2: the option with its details, the date, the summary and the care hours now.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ClosureV2 {
    option: OptionV2,
    #[serde(default, with = "date_v1::option")]
    date: Option<time::Date>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    care_now: Vec<CareNowV2>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum OptionV2 {
    NoCareNeeded,
    Referred {
        to: ReferralToV2,
        #[serde(default)]
        detail: Option<String>,
        #[serde(default)]
        handover: String,
    },
    StoppedEarly {
        reason: StopReasonV2,
        #[serde(default)]
        detail: Option<String>,
    },
}

#[derive(Debug, Serialize, Deserialize)]
struct CareNowV2 {
    discipline: DisciplineV1,
    minutes: u32,
}

impl From<&Closure> for ClosureV2 {
    fn from(closure: &Closure) -> Self {
        ClosureV2 {
            option: match &closure.option {
                ClosureOption::NoCareNeeded => OptionV2::NoCareNeeded,
                ClosureOption::Referred {
                    to,
                    detail,
                    handover,
                } => OptionV2::Referred {
                    to: (*to).into(),
                    detail: detail.clone(),
                    handover: handover.clone(),
                },
                ClosureOption::StoppedEarly { reason, detail } => OptionV2::StoppedEarly {
                    reason: (*reason).into(),
                    detail: detail.clone(),
                },
            },
            date: closure.date,
            summary: closure.summary.clone(),
            care_now: closure
                .care_now
                .iter()
                .map(|c| CareNowV2 {
                    discipline: c.discipline.into(),
                    minutes: c.minutes,
                })
                .collect(),
        }
    }
}

impl From<ClosureV2> for Closure {
    fn from(stored: ClosureV2) -> Self {
        Closure {
            option: match stored.option {
                OptionV2::NoCareNeeded => ClosureOption::NoCareNeeded,
                OptionV2::Referred {
                    to,
                    detail,
                    handover,
                } => ClosureOption::Referred {
                    to: to.into(),
                    detail,
                    handover,
                },
                OptionV2::StoppedEarly { reason, detail } => ClosureOption::StoppedEarly {
                    reason: reason.into(),
                    detail,
                },
            },
            date: stored.date,
            summary: stored.summary,
            care_now: stored
                .care_now
                .into_iter()
                .map(|c| CareNow {
                    discipline: c.discipline.into(),
                    minutes: c.minutes,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regie_domain::Discipline;

    #[test]
    fn old_rows_read_as_the_matching_option() {
        let a = from_json(r#"{"kind":"no_care_needed"}"#).unwrap();
        assert_eq!(a.option, ClosureOption::NoCareNeeded);
        assert_eq!((a.date, a.summary.as_str()), (None, ""));
        let b = from_json(r#"{"kind":"referred","to":"Wlz-zorg thuis"}"#).unwrap();
        assert_eq!(
            b.option,
            ClosureOption::Referred {
                to: ReferralTo::Other,
                detail: Some("Wlz-zorg thuis".into()),
                handover: String::new()
            }
        );
        let stopped = from_json(r#"{"kind":"stopped_early","reason":"verhuisd"}"#).unwrap();
        assert_eq!(
            stopped.option,
            ClosureOption::StoppedEarly {
                reason: StopReason::Other,
                detail: Some("verhuisd".into())
            }
        );
        assert!(
            from_json(r#"{"format":3,"option":{}}"#)
                .unwrap_err()
                .contains("format 3")
        );
    }

    #[test]
    fn format_2_is_written_as_it_stands_and_reads_back() {
        let closure = Closure {
            option: ClosureOption::Referred {
                to: ReferralTo::WmoMaatwerk,
                detail: None,
                handover: "Graag 's ochtends bellen.".into(),
            },
            date: Some(time::macros::date!(2026 - 11 - 01)),
            summary: "Douchet zelf.".into(),
            care_now: vec![CareNow {
                discipline: Discipline::Verzorgende,
                minutes: 90,
            }],
        };
        let json = to_json(&closure).unwrap();
        assert_eq!(
            json,
            r#"{"format":2,"option":{"kind":"referred","to":"wmo_maatwerk","detail":null,"handover":"Graag 's ochtends bellen."},"date":[2026,305],"summary":"Douchet zelf.","care_now":[{"discipline":"verzorgende","minutes":90}]}"#
        );
        assert_eq!(from_json(&json).unwrap(), closure);
        for reason in StopReason::ALL {
            let code = serde_json::to_value(StopReasonV2::from(reason)).unwrap();
            assert_eq!(code, reason.as_str());
        }
        for to in ReferralTo::ALL {
            let code = serde_json::to_value(ReferralToV2::from(to)).unwrap();
            assert_eq!(code, to.as_str());
        }
    }
}
