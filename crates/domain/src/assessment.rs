//! Life-domain self-reliance ratings from several perspectives, and the rule that flags where
//! the client's view and the professional's view differ (seed 003: clients are both over- and
//! underestimated, and self-reliance differs per life domain).

use crate::validation::{FieldError, happened_on};
use serde::{Deserialize, Serialize};
use time::Date;

/// Whose view a rating records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    Client,
    Professional,
    NetworkMember,
}

impl Perspective {
    pub const ALL: [Perspective; 3] = [
        Perspective::Client,
        Perspective::Professional,
        Perspective::NetworkMember,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Perspective::Client => "client",
            Perspective::Professional => "professional",
            Perspective::NetworkMember => "network_member",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == value)
            .ok_or(FieldError::new("perspective", "error-perspective-unknown"))
    }
}

/// A self-reliance level on a five-point scale (1 acute problematiek … 5 volledig
/// zelfredzaam). The labels and descriptions come from the instrument, which is data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Level(u8);

impl Level {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 5;

    pub fn new(value: u8) -> Result<Self, FieldError> {
        if (Self::MIN..=Self::MAX).contains(&value) {
            Ok(Self(value))
        } else {
            Err(FieldError::new("level", "error-level-range"))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }
}

/// One domain's rating: a level, or "niet besproken" (not discussed — not the same as unknown
/// or as a low level, so it never counts in comparisons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "level")]
pub enum DomainRating {
    NotDiscussed,
    Rated(Level),
}

impl DomainRating {
    /// Parses a form value: `"1"`–`"5"`, or `"niet_besproken"`.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        match value.trim() {
            "niet_besproken" => Ok(DomainRating::NotDiscussed),
            "" => Err(FieldError::new("level", "error-required")),
            number => {
                let n: u8 = number
                    .parse()
                    .map_err(|_| FieldError::new("level", "error-level-range"))?;
                Level::new(n).map(DomainRating::Rated)
            }
        }
    }

    pub fn level(self) -> Option<Level> {
        match self {
            DomainRating::Rated(level) => Some(level),
            DomainRating::NotDiscussed => None,
        }
    }
}

/// How a domain's self-reliance is carried, like the ZRM-Krachtenwijzer: by the client's own
/// strength, by their network, and by professional help, in whole percentages adding up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StrengthSplit {
    pub own: u8,
    pub network: u8,
    pub professional: u8,
}

impl StrengthSplit {
    pub fn new(own: u8, network: u8, professional: u8) -> Result<Self, FieldError> {
        let total = u16::from(own) + u16::from(network) + u16::from(professional);
        if own > 100 || network > 100 || professional > 100 || total != 100 {
            return Err(FieldError::new("split", "error-split-total"));
        }
        Ok(Self {
            own,
            network,
            professional,
        })
    }
}

/// Where the client and the professional see the same domain clearly differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Discrepancy {
    /// The professional rates the client as more self-reliant than the client does: the
    /// professional may overestimate the client (seed 003: 40% of clients feel this).
    ProfessionalRatesHigher { gap: u8 },
    /// The client rates themselves as more self-reliant than the professional does: the
    /// client may overestimate themselves, or the professional underestimate them.
    ClientRatesHigher { gap: u8 },
}

/// A difference of this many levels or more is worth talking about.
pub const DISCREPANCY_THRESHOLD: u8 = 2;

/// Compares the client's and the professional's rating of one domain at one moment. Only two
/// actual levels are compared; "niet besproken" on either side means there is nothing to flag.
pub fn discrepancy(client: DomainRating, professional: DomainRating) -> Option<Discrepancy> {
    let (client, professional) = (client.level()?, professional.level()?);
    let gap = client.value().abs_diff(professional.value());
    if gap < DISCREPANCY_THRESHOLD {
        return None;
    }
    Some(if professional > client {
        Discrepancy::ProfessionalRatesHigher { gap }
    } else {
        Discrepancy::ClientRatesHigher { gap }
    })
}

/// How much support a daily activity takes, on the 0–4 scale of the Danish FSIII.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportLevel {
    /// 0 — zelfstandig
    Independent,
    /// 1 — lichte hulp: the client is active, a little help
    Light,
    /// 2 — matige hulp
    Moderate,
    /// 3 — veel hulp: the client participates
    Substantial,
    /// 4 — volledig overgenomen
    Full,
}

impl SupportLevel {
    pub const ALL: [SupportLevel; 5] = [
        SupportLevel::Independent,
        SupportLevel::Light,
        SupportLevel::Moderate,
        SupportLevel::Substantial,
        SupportLevel::Full,
    ];

    pub fn value(self) -> u8 {
        self as u8
    }

    pub fn from_value(value: u8) -> Result<Self, FieldError> {
        Self::ALL
            .get(usize::from(value))
            .copied()
            .ok_or(FieldError::new("support", "error-support-range"))
    }
}

/// A daily activity's support: a level, or "niet van toepassing" (the activity does not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "level")]
pub enum SupportRating {
    NotApplicable,
    Level(SupportLevel),
}

impl SupportRating {
    /// Parses a form value: `"0"`–`"4"`, or `"nvt"`.
    pub fn parse(value: &str) -> Result<Self, FieldError> {
        match value.trim() {
            "nvt" => Ok(SupportRating::NotApplicable),
            "" => Err(FieldError::new("support", "error-required")),
            number => {
                let n: u8 = number
                    .parse()
                    .map_err(|_| FieldError::new("support", "error-support-range"))?;
                SupportLevel::from_value(n).map(SupportRating::Level)
            }
        }
    }
}

/// When in the trajectory an assessment is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    Intake,
    Evaluation,
    Closure,
}

impl Moment {
    pub const ALL: [Moment; 3] = [Moment::Intake, Moment::Evaluation, Moment::Closure];

    pub fn as_str(self) -> &'static str {
        match self {
            Moment::Intake => "intake",
            Moment::Evaluation => "evaluation",
            Moment::Closure => "closure",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == value)
            .ok_or(FieldError::new("moment", "error-moment-unknown"))
    }
}

/// One life domain as typed in the assessment form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DomainInput {
    pub item_key: String,
    /// `1`–`5` or `niet_besproken`.
    pub level: String,
    /// Percentages own strength / network / professional help: all empty, or adding up to 100.
    pub own: String,
    pub network: String,
    pub professional: String,
    pub wants_to_work_on: bool,
    pub strengths: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentInput {
    pub perspective: String,
    pub moment: String,
    /// Whose view, when a network member gives it.
    pub respondent: String,
    /// The day the view was given, `YYYY-MM-DD`; blank is today.
    pub date: String,
    pub domains: Vec<DomainInput>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainAssessment {
    pub item_key: String,
    pub rating: DomainRating,
    pub split: Option<StrengthSplit>,
    pub wants_to_work_on: bool,
    pub strengths: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssessment {
    pub perspective: Perspective,
    pub moment: Moment,
    pub respondent: Option<String>,
    /// The day the view was given (it may be typed in later than that).
    pub happened_on: Date,
    pub domains: Vec<DomainAssessment>,
}

fn text(value: &str, field: &'static str, errors: &mut Vec<FieldError>) -> Option<String> {
    let value = value.trim();
    if value.chars().count() > 2000 || value.chars().any(crate::validation::is_stray_control) {
        errors.push(FieldError::new(field, "error-text-too-long"));
    }
    (!value.is_empty()).then(|| value.to_string())
}

fn split(input: &DomainInput) -> Result<Option<StrengthSplit>, FieldError> {
    let parts = [&input.own, &input.network, &input.professional];
    if parts.iter().all(|p| p.trim().is_empty()) {
        return Ok(None);
    }
    let number = |p: &String| {
        p.trim()
            .parse::<u8>()
            .map_err(|_| FieldError::new("split", "error-split-total"))
    };
    StrengthSplit::new(number(parts[0])?, number(parts[1])?, number(parts[2])?).map(Some)
}

impl AssessmentInput {
    /// Checks an assessment against its instrument: every domain of the instrument answered
    /// (a level or "niet besproken"), nothing else. Errors name the domain's key as field. The
    /// day lies in `window` (the trajectory's start to today).
    pub fn validate(
        &self,
        instrument: &crate::InstrumentDefinition,
        window: DayWindow,
    ) -> Result<NewAssessment, Vec<FieldError>> {
        use crate::validation::collect;
        let mut errors = Vec::new();
        let date = collect(window.day("date", &self.date), &mut errors);
        let perspective = collect(Perspective::parse(&self.perspective), &mut errors);
        let moment = collect(Moment::parse(&self.moment), &mut errors);
        let respondent = text(&self.respondent, "respondent", &mut errors);
        if perspective == Some(Perspective::NetworkMember) && respondent.is_none() {
            errors.push(FieldError::new("respondent", "error-respondent-required"));
        }
        let mut domains = Vec::new();
        for item in &instrument.items {
            let Some(input) = self.domains.iter().find(|d| d.item_key == item.key) else {
                errors.push(FieldError::new("domains", "error-domain-missing"));
                continue;
            };
            let rating = DomainRating::parse(&input.level);
            let split = split(input);
            match (rating, split) {
                (Ok(rating), Ok(split)) => domains.push(DomainAssessment {
                    item_key: item.key.clone(),
                    rating,
                    split,
                    wants_to_work_on: input.wants_to_work_on,
                    strengths: text(&input.strengths, "strengths", &mut errors),
                    note: text(&input.note, "note", &mut errors),
                }),
                (rating, split) => {
                    // Field names carry the domain, so the message lands next to it.
                    if let Err(e) = rating {
                        errors.push(FieldError::new(leak_field("level", &item.key), e.key));
                    }
                    if let Err(e) = split {
                        errors.push(FieldError::new(leak_field("split", &item.key), e.key));
                    }
                }
            }
        }
        if self
            .domains
            .iter()
            .any(|d| instrument.item(&d.item_key).is_none())
        {
            errors.push(FieldError::new("domains", "error-domain-unknown"));
        }
        match (perspective, moment, date) {
            (Some(perspective), Some(moment), Some(happened_on)) if errors.is_empty() => {
                Ok(NewAssessment {
                    perspective,
                    moment,
                    respondent,
                    happened_on,
                    domains,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The days a record of a trajectory can be dated on: from its start to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayWindow {
    pub started: Date,
    pub today: Date,
}

impl DayWindow {
    /// The typed day, or today when blank; see [`happened_on`].
    pub fn day(self, field: &'static str, raw: &str) -> Result<Date, FieldError> {
        happened_on(field, raw, self.started, self.today)
    }
}

/// Field names of per-domain errors (`level-financien`). Instrument item keys are few and
/// fixed per installed version, so interning each name once for the process is bounded.
pub(crate) fn leak_field(prefix: &str, key: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let name = format!("{prefix}-{key}");
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(existing) = names.get(name.as_str()) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.into_boxed_str());
    names.insert(leaked);
    leaked
}

/// One daily activity as typed: the support given now, and whether the client wants to (re)learn it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityInput {
    pub item_key: String,
    /// `0`–`4` or `nvt`.
    pub support: String,
    pub wants_to_learn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityAssessment {
    pub item_key: String,
    pub support: SupportRating,
    pub wants_to_learn: bool,
}

/// A valid daily-activities record: the day the support was rated, and each activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivities {
    pub happened_on: Date,
    pub activities: Vec<ActivityAssessment>,
}

/// Checks a daily-activities record against its instrument: every activity answered, nothing
/// else, on a day (`date`, blank is today) in `window`.
pub fn validate_activities(
    activities: &[ActivityInput],
    date: &str,
    instrument: &crate::InstrumentDefinition,
    window: DayWindow,
) -> Result<NewActivities, Vec<FieldError>> {
    let mut errors = Vec::new();
    let happened_on = crate::validation::collect(window.day("date", date), &mut errors);
    let mut valid = Vec::new();
    for item in &instrument.items {
        match activities.iter().find(|a| a.item_key == item.key) {
            None => errors.push(FieldError::new("activities", "error-activity-missing")),
            Some(input) => match SupportRating::parse(&input.support) {
                Ok(support) => valid.push(ActivityAssessment {
                    item_key: item.key.clone(),
                    support,
                    wants_to_learn: input.wants_to_learn,
                }),
                Err(e) => errors.push(FieldError::new(leak_field("support", &item.key), e.key)),
            },
        }
    }
    if activities
        .iter()
        .any(|a| instrument.item(&a.item_key).is_none())
    {
        errors.push(FieldError::new("activities", "error-domain-unknown"));
    }
    match happened_on {
        Some(happened_on) if errors.is_empty() => Ok(NewActivities {
            happened_on,
            activities: valid,
        }),
        _ => Err(errors),
    }
}

/// One row of the side-by-side view: a domain, the client's and the professional's level, and
/// whether the difference is worth talking about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideBySide {
    pub item_key: String,
    pub client: Option<DomainRating>,
    pub professional: Option<DomainRating>,
    pub discrepancy: Option<Discrepancy>,
}

/// Puts the client's and the professional's ratings of the same domains next to each other,
/// in the instrument's order.
pub fn side_by_side(
    instrument: &crate::InstrumentDefinition,
    client: &[(String, DomainRating)],
    professional: &[(String, DomainRating)],
) -> Vec<SideBySide> {
    let find = |list: &[(String, DomainRating)], key: &str| {
        list.iter().find(|(k, _)| k == key).map(|(_, r)| *r)
    };
    instrument
        .items
        .iter()
        .map(|item| {
            let (c, p) = (find(client, &item.key), find(professional, &item.key));
            SideBySide {
                item_key: item.key.clone(),
                client: c,
                professional: p,
                discrepancy: match (c, p) {
                    (Some(c), Some(p)) => discrepancy(c, p),
                    _ => None,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(n: u8) -> DomainRating {
        DomainRating::Rated(Level::new(n).unwrap())
    }

    #[test]
    fn levels_run_from_one_to_five_or_not_discussed() {
        assert_eq!(DomainRating::parse("3"), Ok(rated(3)));
        assert_eq!(
            DomainRating::parse("niet_besproken"),
            Ok(DomainRating::NotDiscussed)
        );
        for bad in ["0", "6", "-1", "drie", "2.5", "256"] {
            assert_eq!(
                DomainRating::parse(bad).unwrap_err().key,
                "error-level-range",
                "{bad}"
            );
        }
        assert_eq!(DomainRating::parse(" ").unwrap_err().key, "error-required");
    }

    #[test]
    fn a_gap_of_two_or_more_levels_is_flagged_with_its_direction() {
        assert_eq!(
            discrepancy(rated(2), rated(4)),
            Some(Discrepancy::ProfessionalRatesHigher { gap: 2 })
        );
        assert_eq!(
            discrepancy(rated(5), rated(1)),
            Some(Discrepancy::ClientRatesHigher { gap: 4 })
        );
        assert_eq!(
            discrepancy(rated(3), rated(4)),
            None,
            "one level apart is not flagged"
        );
        assert_eq!(discrepancy(rated(4), rated(3)), None);
        assert_eq!(discrepancy(rated(3), rated(3)), None);
    }

    #[test]
    fn not_discussed_is_never_compared() {
        assert_eq!(discrepancy(DomainRating::NotDiscussed, rated(5)), None);
        assert_eq!(discrepancy(rated(1), DomainRating::NotDiscussed), None);
    }

    #[test]
    fn the_strength_split_adds_up_to_one_hundred() {
        assert_eq!(StrengthSplit::new(50, 30, 20).unwrap().own, 50);
        assert!(StrengthSplit::new(100, 0, 0).is_ok());
        for (own, network, professional) in [
            (50, 30, 30),
            (0, 0, 0),
            (99, 0, 0),
            (200, 0, 0),
            (255, 255, 2),
        ] {
            assert_eq!(
                StrengthSplit::new(own, network, professional)
                    .unwrap_err()
                    .key,
                "error-split-total"
            );
        }
    }

    #[test]
    fn support_runs_from_zero_to_four_or_not_applicable() {
        assert_eq!(
            SupportRating::parse("0"),
            Ok(SupportRating::Level(SupportLevel::Independent))
        );
        assert_eq!(
            SupportRating::parse("4"),
            Ok(SupportRating::Level(SupportLevel::Full))
        );
        assert_eq!(
            SupportRating::parse("nvt"),
            Ok(SupportRating::NotApplicable)
        );
        for bad in ["5", "-1", "veel", "1.5"] {
            assert_eq!(
                SupportRating::parse(bad).unwrap_err().key,
                "error-support-range",
                "{bad}"
            );
        }
        for level in SupportLevel::ALL {
            assert_eq!(SupportLevel::from_value(level.value()), Ok(level));
        }
        assert!(
            SupportLevel::Light < SupportLevel::Full,
            "more support compares higher"
        );
    }

    const WINDOW: DayWindow = DayWindow {
        started: time::macros::date!(2026 - 10 - 05),
        today: time::macros::date!(2026 - 12 - 01),
    };

    fn instrument() -> crate::InstrumentDefinition {
        crate::InstrumentDefinition::from_toml(crate::instrument::SHIPPED[0]).unwrap()
    }

    fn answered(level: &str) -> AssessmentInput {
        AssessmentInput {
            perspective: "client".into(),
            moment: "intake".into(),
            respondent: String::new(),
            date: String::new(),
            domains: instrument()
                .items
                .iter()
                .map(|i| DomainInput {
                    item_key: i.key.clone(),
                    level: level.into(),
                    ..Default::default()
                })
                .collect(),
        }
    }

    #[test]
    fn an_assessment_answers_every_domain_of_its_instrument() {
        let mut input = answered("4");
        input.domains[0].level = "niet_besproken".into();
        input.domains[1] = DomainInput {
            own: "60".into(),
            network: "30".into(),
            professional: "10".into(),
            wants_to_work_on: true,
            strengths: " Kan goed plannen ".into(),
            ..input.domains[1].clone()
        };
        let assessment = input.validate(&instrument(), WINDOW).unwrap();
        assert_eq!(assessment.domains.len(), 13);
        assert_eq!(assessment.domains[0].rating, DomainRating::NotDiscussed);
        assert_eq!(
            assessment.domains[1].split,
            Some(StrengthSplit {
                own: 60,
                network: 30,
                professional: 10
            })
        );
        assert_eq!(
            assessment.domains[1].strengths.as_deref(),
            Some("Kan goed plannen")
        );
    }

    #[test]
    fn missing_unknown_and_bad_domains_are_named() {
        let mut input = answered("3");
        input.domains.pop();
        input.domains[0].level = "7".into();
        input.domains[1].own = "50".into();
        input.domains.push(DomainInput {
            item_key: "astrologie".into(),
            level: "3".into(),
            ..Default::default()
        });
        let errors: Vec<_> = input
            .validate(&instrument(), WINDOW)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect();
        assert!(
            errors.contains(&("level-financien", "error-level-range")),
            "{errors:?}"
        );
        assert!(
            errors.contains(&("split-werk-opleiding", "error-split-total")),
            "{errors:?}"
        );
        assert!(errors.contains(&("domains", "error-domain-missing")));
        assert!(errors.contains(&("domains", "error-domain-unknown")));
    }

    #[test]
    fn an_assessment_is_dated_on_the_day_it_was_given() {
        let mut input = answered("3");
        assert_eq!(
            input.validate(&instrument(), WINDOW).unwrap().happened_on,
            WINDOW.today,
            "blank is today"
        );
        input.date = "2026-10-20".into();
        assert_eq!(
            input.validate(&instrument(), WINDOW).unwrap().happened_on,
            time::macros::date!(2026 - 10 - 20)
        );
        input.date = "2026-12-02".into();
        assert_eq!(
            input.validate(&instrument(), WINDOW).unwrap_err(),
            [FieldError::new("date", "error-date-future")]
        );
        input.date = "2026-10-01".into();
        assert_eq!(
            input.validate(&instrument(), WINDOW).unwrap_err(),
            [FieldError::new("date", "error-date-before-start")]
        );
        let activities: Vec<ActivityInput> = Vec::new();
        let shipped =
            crate::InstrumentDefinition::from_toml(crate::instrument::SHIPPED[1]).unwrap();
        assert!(
            validate_activities(&activities, "2030-01-01", &shipped, WINDOW)
                .unwrap_err()
                .contains(&FieldError::new("date", "error-date-future"))
        );
    }

    #[test]
    fn a_network_members_view_names_who_gave_it() {
        let mut input = answered("3");
        input.perspective = "network_member".into();
        let errors = input.validate(&instrument(), WINDOW).unwrap_err();
        assert_eq!(errors[0].key, "error-respondent-required");
        input.respondent = "dochter Anja".into();
        assert!(input.validate(&instrument(), WINDOW).is_ok());
    }

    #[test]
    fn side_by_side_flags_gaps_in_instrument_order() {
        let instrument = instrument();
        let client = vec![
            ("financien".to_string(), rated(2)),
            ("huisvesting".to_string(), rated(4)),
        ];
        let professional = vec![
            ("financien".to_string(), rated(4)),
            ("huisvesting".to_string(), DomainRating::NotDiscussed),
        ];
        let rows = side_by_side(&instrument, &client, &professional);
        assert_eq!(rows.len(), 13);
        assert_eq!(rows[0].item_key, "financien");
        assert_eq!(
            rows[0].discrepancy,
            Some(Discrepancy::ProfessionalRatesHigher { gap: 2 })
        );
        let housing = rows.iter().find(|r| r.item_key == "huisvesting").unwrap();
        assert_eq!(housing.discrepancy, None);
        assert_eq!(rows[1].client, None, "unrated domains stay empty");
    }

    #[test]
    fn every_daily_activity_gets_a_support_level_or_nvt() {
        let instrument =
            crate::InstrumentDefinition::from_toml(crate::instrument::SHIPPED[1]).unwrap();
        let mut input: Vec<ActivityInput> = instrument
            .items
            .iter()
            .map(|i| ActivityInput {
                item_key: i.key.clone(),
                support: "2".into(),
                wants_to_learn: false,
            })
            .collect();
        input[0] = ActivityInput {
            support: "nvt".into(),
            wants_to_learn: true,
            ..input[0].clone()
        };
        let valid = validate_activities(&input, "2026-11-20", &instrument, WINDOW).unwrap();
        assert_eq!(valid.happened_on, time::macros::date!(2026 - 11 - 20));
        let valid = valid.activities;
        assert_eq!(valid.len(), 16);
        assert_eq!(valid[0].support, SupportRating::NotApplicable);
        assert!(valid[0].wants_to_learn);
        input[1].support = "5".into();
        input.pop();
        let errors: Vec<_> = validate_activities(&input, "", &instrument, WINDOW)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.key))
            .collect();
        assert_eq!(
            errors,
            [
                ("support-aankleden", "error-support-range"),
                ("activities", "error-activity-missing")
            ]
        );
    }

    #[test]
    fn perspectives_round_trip() {
        for perspective in Perspective::ALL {
            assert_eq!(Perspective::parse(perspective.as_str()), Ok(perspective));
        }
        assert_eq!(
            Perspective::parse("buurman").unwrap_err().key,
            "error-perspective-unknown"
        );
    }
}
