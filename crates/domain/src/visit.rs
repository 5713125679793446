//! Visits (seed 000): per agreed activity the support actually given, so that the difference
//! between agreed and given support becomes visible to the team. More than agreed asks why;
//! less than agreed (the client did more) is a success.

use crate::assessment::SupportLevel;
use crate::plan::Agreement;
use crate::validation::{FieldError, collect, optional_date, text};
use std::collections::BTreeMap;
use time::{Date, Duration, OffsetDateTime};

/// Why more support was given than agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverReason {
    Pain,
    Fatigue,
    ClientAnxious,
    TimePressure,
    ClientAsked,
    Safety,
    Other,
}

impl OverReason {
    pub const ALL: [OverReason; 7] = [
        OverReason::Pain,
        OverReason::Fatigue,
        OverReason::ClientAnxious,
        OverReason::TimePressure,
        OverReason::ClientAsked,
        OverReason::Safety,
        OverReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OverReason::Pain => "pain",
            OverReason::Fatigue => "fatigue",
            OverReason::ClientAnxious => "client_anxious",
            OverReason::TimePressure => "time_pressure",
            OverReason::ClientAsked => "client_asked",
            OverReason::Safety => "safety",
            OverReason::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// The support given for one activity at one visit, compared with the agreement then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenSupport {
    pub activity: String,
    pub agreed: SupportLevel,
    pub given: SupportLevel,
    pub reason: Option<OverReason>,
    pub reason_text: Option<String>,
}

impl GivenSupport {
    /// The client did more than agreed: a success to name.
    pub fn did_more(&self) -> bool {
        self.given < self.agreed
    }

    pub fn took_over(&self) -> bool {
        self.given > self.agreed
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitContent {
    pub date: Date,
    pub minutes: u16,
    pub given: Vec<GivenSupport>,
    /// Agreed activities that were not part of this visit.
    pub not_done: Vec<String>,
    pub note: Option<String>,
    /// A success in the client's own words.
    pub success: Option<String>,
}

/// One activity as tapped on the visit screen: the level `0`–`4`, or [`NOT_DONE`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GivenInput {
    pub activity: String,
    pub level: String,
    pub reason: String,
    pub reason_text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitInput {
    /// `YYYY-MM-DD`; today when empty.
    pub date: String,
    pub minutes: String,
    pub given: Vec<GivenInput>,
    pub note: String,
    pub success: String,
}

/// Visits last at most this long.
pub const MAX_MINUTES: u16 = 600;

/// Per-activity field names for messages, bounded by the agreements' activity keys.
pub fn level_field(activity: &str) -> &'static str {
    crate::assessment::leak_field("level", activity)
}

pub fn reason_field(activity: &str) -> &'static str {
    crate::assessment::leak_field("reason", activity)
}

/// The days a visit of a trajectory can fall on: from its start to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitWindow {
    pub started: Date,
    pub today: Date,
}

/// What the visit screen sends for an agreed activity that was not part of this visit.
pub const NOT_DONE: &str = "not_done";

impl VisitInput {
    /// Checks a visit against the agreements in force: every agreed activity answered once,
    /// with the support given or "not done at this visit", none without an agreement, and a
    /// reason when more support was given than agreed. The date may not lie in the future.
    pub fn validate(
        &self,
        agreements: &[Agreement],
        window: VisitWindow,
    ) -> Result<VisitContent, Vec<FieldError>> {
        let VisitWindow { started, today } = window;
        let mut errors = Vec::new();
        let date = collect(optional_date("date", &self.date), &mut errors)
            .flatten()
            .unwrap_or(today);
        if date > today {
            errors.push(FieldError::new("date", "error-visit-future"));
        } else if date < started {
            errors.push(FieldError::new("date", "error-visit-before-start"));
        }
        let minutes = match self.minutes.trim().parse::<u16>() {
            Ok(m @ 1..=MAX_MINUTES) => Some(m),
            _ => {
                errors.push(FieldError::new("minutes", "error-visit-minutes"));
                None
            }
        };
        if self
            .given
            .iter()
            .any(|g| !agreements.iter().any(|a| a.activity == g.activity))
        {
            errors.push(FieldError::new("given", "error-visit-no-agreement"));
        }
        let mut given = Vec::new();
        let mut not_done = Vec::new();
        for agreement in agreements {
            let mut entries = self
                .given
                .iter()
                .filter(|g| g.activity == agreement.activity);
            let (Some(input), None) = (entries.next(), entries.next()) else {
                let key = if self.given.iter().any(|g| g.activity == agreement.activity) {
                    "error-visit-activity-twice"
                } else {
                    "error-visit-activity-missing"
                };
                errors.push(FieldError::new(level_field(&agreement.activity), key));
                continue;
            };
            let level = match input.level.trim() {
                NOT_DONE => {
                    not_done.push(agreement.activity.clone());
                    continue;
                }
                "" => {
                    errors.push(FieldError::new(
                        level_field(&agreement.activity),
                        "error-visit-activity-missing",
                    ));
                    continue;
                }
                raw => match raw.parse::<u8>().map(SupportLevel::from_value) {
                    Ok(Ok(level)) => level,
                    _ => {
                        errors.push(FieldError::new(
                            level_field(&agreement.activity),
                            "error-support-range",
                        ));
                        continue;
                    }
                },
            };
            let mut record = GivenSupport {
                activity: agreement.activity.clone(),
                agreed: agreement.support,
                given: level,
                reason: None,
                reason_text: None,
            };
            let field = reason_field(&agreement.activity);
            // A reason given is checked whether or not it is needed, so nothing unreadable is
            // silently dropped; whether it is needed depends on the agreement.
            let before = errors.len();
            let reason = match input.reason.trim() {
                "" => None,
                raw => OverReason::parse(raw).or_else(|| {
                    errors.push(FieldError::new(field, "error-choice-unknown"));
                    None
                }),
            };
            let reason_text =
                collect(text(field, &input.reason_text, false), &mut errors).flatten();
            if record.took_over() && errors.len() == before {
                match reason {
                    None => errors.push(FieldError::new(field, "error-visit-reason")),
                    Some(OverReason::Other) if reason_text.is_none() => {
                        errors.push(FieldError::new(field, "error-required"));
                    }
                    Some(reason) => {
                        record.reason = Some(reason);
                        record.reason_text = reason_text;
                    }
                }
            }
            given.push(record);
        }
        let note = collect(text("note", &self.note, false), &mut errors).flatten();
        let success = collect(text("success", &self.success, false), &mut errors).flatten();
        if errors.is_empty() && given.is_empty() && success.is_none() && note.is_none() {
            errors.push(FieldError::new("given", "error-visit-empty"));
        }
        match minutes {
            Some(minutes) if errors.is_empty() => Ok(VisitContent {
                date,
                minutes,
                given,
                not_done,
                note,
                success,
            }),
            _ => Err(errors),
        }
    }
}

impl VisitInput {
    /// A fingerprint of this request for `trajectory_id`: a retry under the same idempotency
    /// key must carry the same one, or it is a different request reusing the key.
    pub fn fingerprint(&self, trajectory_id: i64) -> String {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        // Length-prefixed, so no value can be shifted into its neighbour.
        let mut field = |value: &str| hasher.update(format!("{}:{value};", value.len()));
        field(&trajectory_id.to_string());
        field(self.date.trim());
        field(self.minutes.trim());
        for g in &self.given {
            field(&g.activity);
            field(g.level.trim());
            field(g.reason.trim());
            field(g.reason_text.trim());
        }
        field(self.note.trim());
        field(self.success.trim());
        hex::encode(hasher.finalize())
    }
}

/// The agreements a visit was recorded against, the yardstick for correcting it: the
/// activities it answered, with the support agreed then for those given, and the agreement in
/// `plan_agreements` (the plan now) for the rest of what it says about them.
pub fn agreements_at_visit(visit: &VisitContent, plan_agreements: &[Agreement]) -> Vec<Agreement> {
    let now = |activity: &str| plan_agreements.iter().find(|a| a.activity == activity);
    let given = visit.given.iter().map(|g| Agreement {
        support: g.agreed,
        ..now(&g.activity).cloned().unwrap_or_else(|| Agreement {
            activity: g.activity.clone(),
            support: g.agreed,
            client_does: String::new(),
            team_does: String::new(),
            steps: vec![],
            current_step: None,
            aid_ids: vec![],
        })
    });
    let not_done = visit.not_done.iter().filter_map(|a| now(a).cloned());
    given.chain(not_done).collect()
}

/// A visit may be corrected freely this long after it was recorded; later only with a reason.
pub const FREE_CORRECTION: Duration = Duration::hours(24);

pub fn correction_needs_reason(recorded_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now - recorded_at > FREE_CORRECTION
}

/// One recorded support level, as the signal rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRecord {
    pub activity: String,
    pub user_id: i64,
    pub date: Date,
    pub agreed: SupportLevel,
    pub given: SupportLevel,
}

/// The window the alignment signals look back over.
pub const SIGNAL_WINDOW_DAYS: i64 = 14;
/// Colleagues differ when their recorded support for the same activity is this far apart.
pub const INCONSISTENT_LEVELS: u8 = 2;
/// Support above the agreement recurring this often in the window is a pattern.
pub const DEFAULT_TAKEOVER_THRESHOLD: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    /// Colleagues gave clearly different support: the lowest and highest level, and by whom.
    Inconsistent {
        lowest: SupportLevel,
        highest: SupportLevel,
        low_users: Vec<i64>,
        high_users: Vec<i64>,
    },
    /// More support than agreed, this many times, by these colleagues.
    AboveAgreement { times: usize, users: Vec<i64> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub activity: String,
    pub pattern: Pattern,
}

/// The team alignment signals over the last 14 days up to `today`, per activity: colleagues
/// differing by 2 levels or more, and support above the agreement recurring `threshold` times.
pub fn alignment_signals(records: &[SupportRecord], today: Date, threshold: usize) -> Vec<Signal> {
    let since = today - Duration::days(SIGNAL_WINDOW_DAYS - 1);
    let mut by_activity: BTreeMap<&str, Vec<&SupportRecord>> = BTreeMap::new();
    for record in records
        .iter()
        .filter(|r| r.date >= since && r.date <= today)
    {
        by_activity
            .entry(&record.activity)
            .or_default()
            .push(record);
    }
    let mut signals = Vec::new();
    for (activity, records) in by_activity {
        // Per colleague the lowest and highest level they gave; two different colleagues
        // differ when one's highest and the other's lowest lie 2 or more apart.
        let mut per_user: BTreeMap<i64, (SupportLevel, SupportLevel)> = BTreeMap::new();
        for r in &records {
            let entry = per_user.entry(r.user_id).or_insert((r.given, r.given));
            entry.0 = entry.0.min(r.given);
            entry.1 = entry.1.max(r.given);
        }
        let widest = per_user
            .iter()
            .flat_map(|(a, (_, high))| {
                per_user
                    .iter()
                    .filter(move |(b, _)| *b != a)
                    .map(move |(_, (low, _))| (*low, *high))
            })
            // The widest gap; between equal gaps, the one reaching the most support.
            .max_by_key(|(low, high)| (high.value() as i16 - low.value() as i16, high.value()));
        if let Some((lowest, highest)) = widest
            && highest.value() >= lowest.value() + INCONSISTENT_LEVELS
        {
            let users = |pick: &dyn Fn(&(SupportLevel, SupportLevel)) -> bool| -> Vec<i64> {
                per_user
                    .iter()
                    .filter(|(_, range)| pick(range))
                    .map(|(id, _)| *id)
                    .collect()
            };
            signals.push(Signal {
                activity: activity.to_string(),
                pattern: Pattern::Inconsistent {
                    lowest,
                    highest,
                    low_users: users(&|r| r.0 == lowest),
                    high_users: users(&|r| r.1 == highest),
                },
            });
        }
        let above: Vec<&&SupportRecord> = records.iter().filter(|r| r.given > r.agreed).collect();
        if above.len() >= threshold.max(1) {
            let mut users: Vec<i64> = above.iter().map(|r| r.user_id).collect();
            users.sort_unstable();
            users.dedup();
            signals.push(Signal {
                activity: activity.to_string(),
                pattern: Pattern::AboveAgreement {
                    times: above.len(),
                    users,
                },
            });
        }
    }
    signals
}

/// One week of the trend: the share of recorded activities done at or below the agreed
/// support, and the average support given per activity.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekTrend {
    pub week_start: Date,
    pub recorded: usize,
    pub at_or_below: usize,
    pub average: BTreeMap<String, f64>,
}

impl WeekTrend {
    pub fn share(&self) -> Option<f64> {
        (self.recorded > 0).then(|| self.at_or_below as f64 / self.recorded as f64)
    }
}

/// Weeks counted from `start` (week 1 begins on `start`), up to the week containing `today`.
pub fn weekly_trend(records: &[SupportRecord], start: Date, today: Date) -> Vec<WeekTrend> {
    let weeks = ((today - start).whole_days().max(0) / 7 + 1) as usize;
    (0..weeks)
        .map(|w| {
            let week_start = start + Duration::weeks(w as i64);
            let week_end = week_start + Duration::days(6);
            let in_week: Vec<&SupportRecord> = records
                .iter()
                .filter(|r| r.date >= week_start && r.date <= week_end)
                .collect();
            let mut sums: BTreeMap<String, (u32, u32)> = BTreeMap::new();
            for r in &in_week {
                let entry = sums.entry(r.activity.clone()).or_default();
                entry.0 += u32::from(r.given.value());
                entry.1 += 1;
            }
            WeekTrend {
                week_start,
                recorded: in_week.len(),
                at_or_below: in_week.iter().filter(|r| r.given <= r.agreed).count(),
                average: sums
                    .into_iter()
                    .map(|(k, (sum, n))| (k, f64::from(sum) / f64::from(n)))
                    .collect(),
            }
        })
        .collect()
}

/// One week of care: planned minutes (from the taper) and delivered minutes, per discipline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CareWeek {
    pub week: u16,
    pub start: Date,
    pub planned: BTreeMap<crate::Discipline, u32>,
    pub delivered: BTreeMap<crate::Discipline, u32>,
}

/// Delivered minutes per week and discipline next to the planned taper, from the trajectory's
/// start through the planned weeks or the current week, whichever is later (at most a year).
pub fn care_by_week(
    plan: &crate::Plan,
    start: Date,
    deliveries: &[(Date, crate::Discipline, u16)],
    today: Date,
) -> Vec<CareWeek> {
    let planned_weeks = plan.care.iter().map(|c| c.last_week()).max().unwrap_or(0);
    let elapsed = u16::try_from((today - start).whole_days().max(0) / 7 + 1).unwrap_or(u16::MAX);
    let weeks = planned_weeks.max(elapsed.min(crate::plan::MAX_WEEKS));
    (1..=weeks)
        .map(|week| {
            let from = crate::plan::week_start(start, week);
            let mut delivered = BTreeMap::new();
            for (day, discipline, minutes) in deliveries {
                if *day >= from && *day < from + Duration::weeks(1) {
                    *delivered.entry(*discipline).or_insert(0) += u32::from(*minutes);
                }
            }
            CareWeek {
                week,
                start: from,
                planned: plan
                    .care
                    .iter()
                    .filter_map(|c| Some((c.discipline, c.minutes_in_week_of(start, from)?)))
                    .collect(),
                delivered,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// A trajectory started a year before `today`.
    fn window(today: Date) -> VisitWindow {
        VisitWindow {
            started: today - Duration::days(365),
            today,
        }
    }

    fn agreement(activity: &str, support: u8) -> Agreement {
        Agreement {
            activity: activity.into(),
            support: SupportLevel::from_value(support).unwrap(),
            client_does: "zelf".into(),
            team_does: "rug".into(),
            steps: vec![],
            current_step: None,
            aid_ids: vec![],
        }
    }

    fn given(activity: &str, level: &str, reason: &str) -> GivenInput {
        GivenInput {
            activity: activity.into(),
            level: level.into(),
            reason: reason.into(),
            reason_text: String::new(),
        }
    }

    #[test]
    fn more_than_agreed_asks_why_and_less_is_a_success() {
        let agreements = [agreement("wassen", 1), agreement("aankleden", 2)];
        let today = date!(2026 - 11 - 23);
        let mut input = VisitInput {
            minutes: "25".into(),
            given: vec![given("wassen", "3", ""), given("aankleden", "1", "")],
            ..Default::default()
        };
        assert_eq!(
            input.validate(&agreements, window(today)).unwrap_err(),
            vec![FieldError::new("reason-wassen", "error-visit-reason")]
        );
        input.given[0].reason = "time_pressure".into();
        let visit = input.validate(&agreements, window(today)).unwrap();
        assert_eq!(visit.date, today);
        assert!(visit.given[0].took_over());
        assert_eq!(visit.given[0].reason, Some(OverReason::TimePressure));
        assert!(visit.given[1].did_more(), "the client did more: a success");
        // "Other" needs words; an activity not part of this visit says so.
        input.given[0].reason = "other".into();
        input.given[1].level = NOT_DONE.into();
        let errors = input.validate(&agreements, window(today)).unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("reason-wassen", "error-required")]
        );
        input.given[0].reason_text = "de kousen knelden".into();
        let visit = input.validate(&agreements, window(today)).unwrap();
        assert_eq!(visit.not_done, vec!["aankleden".to_string()]);
        assert_eq!(visit.given.len(), 1);
    }

    #[test]
    fn every_agreed_activity_is_answered_once_and_only_agreed_ones() {
        let agreements = [agreement("wassen", 1), agreement("aankleden", 2)];
        let today = date!(2026 - 11 - 23);
        let keys = |given: Vec<GivenInput>| -> Vec<(&'static str, &'static str)> {
            VisitInput {
                minutes: "25".into(),
                given,
                ..Default::default()
            }
            .validate(&agreements, window(today))
            .unwrap_err()
            .iter()
            .map(|e| (e.field, e.key))
            .collect()
        };
        // Twice the same activity.
        assert_eq!(
            keys(vec![
                given("wassen", "1", ""),
                given("wassen", "0", ""),
                given("aankleden", "2", "")
            ]),
            vec![("level-wassen", "error-visit-activity-twice")]
        );
        // An activity without an agreement.
        assert_eq!(
            keys(vec![
                given("wassen", "1", ""),
                given("aankleden", "2", ""),
                given("koken", "0", "")
            ]),
            vec![("given", "error-visit-no-agreement")]
        );
        // An agreed activity left out, or left without an answer.
        assert_eq!(
            keys(vec![given("wassen", "1", "")]),
            vec![("level-aankleden", "error-visit-activity-missing")]
        );
        assert_eq!(
            keys(vec![given("wassen", "1", ""), given("aankleden", "", "")]),
            vec![("level-aankleden", "error-visit-activity-missing")]
        );
    }

    #[test]
    fn a_retry_is_recognised_by_its_fingerprint() {
        let input = VisitInput {
            minutes: "25".into(),
            given: vec![given("wassen", "1", "")],
            ..Default::default()
        };
        assert_eq!(input.fingerprint(7), input.clone().fingerprint(7));
        assert_ne!(input.fingerprint(7), input.fingerprint(8));
        let mut other = input.clone();
        other.minutes = "30".into();
        assert_ne!(input.fingerprint(7), other.fingerprint(7));
        // Values cannot be shifted between fields to collide.
        let mut shifted = input.clone();
        shifted.note = "a".into();
        let mut shifted_back = input.clone();
        shifted_back.success = "a".into();
        assert_ne!(shifted.fingerprint(7), shifted_back.fingerprint(7));
    }

    #[test]
    fn a_correction_is_measured_against_the_agreements_of_then() {
        let then = VisitContent {
            date: date!(2026 - 11 - 20),
            minutes: 30,
            given: vec![GivenSupport {
                activity: "wassen".into(),
                agreed: SupportLevel::Moderate,
                given: SupportLevel::Moderate,
                reason: None,
                reason_text: None,
            }],
            not_done: vec!["aankleden".into()],
            note: None,
            success: None,
        };
        // Since then washing was tapered and a cooking agreement was added.
        let now = [
            agreement("wassen", 1),
            agreement("aankleden", 2),
            agreement("koken", 0),
        ];
        let yardstick = agreements_at_visit(&then, &now);
        assert_eq!(
            yardstick
                .iter()
                .map(|a| (a.activity.as_str(), a.support.value()))
                .collect::<Vec<_>>(),
            vec![("wassen", 2), ("aankleden", 2)]
        );
        assert_eq!(yardstick[0].client_does, "zelf", "the rest from the plan");
    }

    #[test]
    fn a_reason_that_is_given_is_checked_even_when_not_needed() {
        let agreements = [agreement("wassen", 2)];
        let today = date!(2026 - 11 - 23);
        let input = VisitInput {
            minutes: "25".into(),
            given: vec![given("wassen", "1", "weet niet")],
            ..Default::default()
        };
        assert_eq!(
            input.validate(&agreements, window(today)).unwrap_err(),
            vec![FieldError::new("reason-wassen", "error-choice-unknown")]
        );
        let mut input = input;
        input.given[0].reason = "pain".into();
        input.given[0].reason_text = "a\u{0}".into();
        assert_eq!(
            input.validate(&agreements, window(today)).unwrap_err(),
            vec![FieldError::new("reason-wassen", "error-text-too-long")]
        );
        input.given[0].reason_text = "rug".into();
        let visit = input.validate(&agreements, window(today)).unwrap();
        assert_eq!(visit.given[0].reason, None, "not needed, so not kept");
    }

    #[test]
    fn a_visit_needs_sane_minutes_a_past_date_and_something_recorded() {
        let agreements = [agreement("wassen", 1)];
        let today = date!(2026 - 11 - 23);
        let input = VisitInput {
            date: "2026-11-24".into(),
            minutes: "0".into(),
            given: vec![given("vliegen", "1", "")],
            ..Default::default()
        };
        let fields: Vec<_> = input
            .validate(&agreements, window(today))
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["date", "minutes", "given", "level-wassen"]);
        // Nor before the trajectory started.
        let early = VisitInput {
            date: "2025-01-01".into(),
            minutes: "20".into(),
            given: vec![given("wassen", "1", "")],
            ..Default::default()
        };
        let started = VisitWindow {
            started: date!(2026 - 11 - 01),
            today,
        };
        assert_eq!(
            early.validate(&agreements, started).unwrap_err(),
            vec![FieldError::new("date", "error-visit-before-start")]
        );
    }

    fn record(activity: &str, user: i64, day: u8, agreed: u8, given: u8) -> SupportRecord {
        SupportRecord {
            activity: activity.into(),
            user_id: user,
            date: Date::from_calendar_date(2026, time::Month::November, day).unwrap(),
            agreed: SupportLevel::from_value(agreed).unwrap(),
            given: SupportLevel::from_value(given).unwrap(),
        }
    }

    #[test]
    fn colleagues_two_levels_apart_raise_a_signal_within_fourteen_days() {
        let today = date!(2026 - 11 - 23);
        let records = [
            record("wassen", 1, 20, 1, 1),
            record("wassen", 2, 21, 1, 3),
            // Outside the window: ignored.
            record("aankleden", 1, 1, 2, 0),
            record("aankleden", 2, 2, 2, 4),
            // One colleague varying alone is no team difference.
            record("medicatie", 3, 22, 1, 0),
            record("medicatie", 3, 23, 1, 2),
        ];
        let signals = alignment_signals(&records, today, 3);
        assert_eq!(
            signals,
            vec![Signal {
                activity: "wassen".into(),
                pattern: Pattern::Inconsistent {
                    lowest: SupportLevel::Light,
                    highest: SupportLevel::Substantial,
                    low_users: vec![1],
                    high_users: vec![2],
                }
            }]
        );
    }

    #[test]
    fn a_colleague_far_above_the_others_is_seen_even_if_they_also_gave_little() {
        let today = date!(2026 - 11 - 23);
        let records = [
            record("wassen", 1, 20, 1, 0),
            record("wassen", 1, 23, 1, 4),
            record("wassen", 2, 21, 1, 1),
        ];
        let signals = alignment_signals(&records, today, 3);
        assert_eq!(
            signals[0].pattern,
            Pattern::Inconsistent {
                lowest: SupportLevel::Light,
                highest: SupportLevel::Full,
                low_users: vec![2],
                high_users: vec![1],
            }
        );
    }

    #[test]
    fn recurring_support_above_the_agreement_is_a_pattern() {
        let today = date!(2026 - 11 - 23);
        let records = [
            record("aankleden", 1, 18, 2, 3),
            record("aankleden", 1, 20, 2, 3),
            record("aankleden", 2, 22, 2, 3),
        ];
        assert_eq!(
            alignment_signals(&records, today, 3),
            vec![Signal {
                activity: "aankleden".into(),
                pattern: Pattern::AboveAgreement {
                    times: 3,
                    users: vec![1, 2]
                }
            }]
        );
        assert!(alignment_signals(&records, today, 4).is_empty());
    }

    #[test]
    fn the_weekly_trend_counts_support_at_or_below_the_agreement() {
        let start = date!(2026 - 11 - 02);
        let records = [
            record("wassen", 1, 2, 2, 3),
            record("wassen", 1, 4, 2, 2),
            record("aankleden", 1, 4, 2, 1),
            record("wassen", 2, 10, 2, 1),
        ];
        let trend = weekly_trend(&records, start, date!(2026 - 11 - 17));
        assert_eq!(trend.len(), 3);
        assert_eq!((trend[0].recorded, trend[0].at_or_below), (3, 2));
        assert_eq!(trend[0].average["wassen"], 2.5);
        assert_eq!(trend[1].share(), Some(1.0));
        assert_eq!(trend[2].share(), None);
    }

    #[test]
    fn delivered_care_is_set_against_the_planned_taper_per_week() {
        use crate::{Discipline, Plan, PlannedCare};
        let mut plan = Plan::default();
        plan.set_care(PlannedCare::from_start(Discipline::Verzorgende, 240, 60, 3));
        let start = date!(2026 - 11 - 02);
        let deliveries = [
            (date!(2026 - 11 - 02), Discipline::Verzorgende, 120),
            (date!(2026 - 11 - 08), Discipline::Verzorgende, 90),
            (date!(2026 - 11 - 09), Discipline::Verzorgende, 60),
            (date!(2026 - 11 - 10), Discipline::Fysiotherapeut, 30),
        ];
        let weeks = care_by_week(&plan, start, &deliveries, date!(2026 - 11 - 25));
        assert_eq!(
            weeks.len(),
            4,
            "the planned weeks, and the current week after them"
        );
        assert_eq!(weeks[0].planned[&Discipline::Verzorgende], 240);
        assert_eq!(weeks[0].delivered[&Discipline::Verzorgende], 210);
        assert_eq!(weeks[1].planned[&Discipline::Verzorgende], 150);
        assert_eq!(weeks[1].delivered[&Discipline::Fysiotherapeut], 30);
        assert_eq!(weeks[2].planned[&Discipline::Verzorgende], 60);
        assert!(weeks[3].planned.is_empty() && weeks[3].delivered.is_empty());
    }

    #[test]
    fn a_visit_is_corrected_freely_for_a_day() {
        let recorded = OffsetDateTime::from_unix_timestamp(1_800_000_000).unwrap();
        assert!(!correction_needs_reason(
            recorded,
            recorded + Duration::hours(23)
        ));
        assert!(correction_needs_reason(
            recorded,
            recorded + Duration::hours(25)
        ));
    }
}
