//! A reablement trajectory's phases and the moves between them (seed 004, the national
//! definition): aanmelding → vraagverheldering → planvorming → uitvoering → afgesloten.

use crate::closure::{Closure, ClosureOption};
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

/// Where a question comes from: care, support or welfare (any combination per trajectory).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    Wijkverpleging,
    ParamedischeZorg,
    HulpBijHetHuishouden,
    Mantelzorgondersteuning,
    Vervoersvoorzieningen,
    Dagbesteding,
    Begeleiding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionDomain {
    Care,
    Support,
    Welfare,
}

impl QuestionType {
    pub const ALL: [QuestionType; 7] = [
        QuestionType::Wijkverpleging,
        QuestionType::ParamedischeZorg,
        QuestionType::HulpBijHetHuishouden,
        QuestionType::Mantelzorgondersteuning,
        QuestionType::Vervoersvoorzieningen,
        QuestionType::Dagbesteding,
        QuestionType::Begeleiding,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Wijkverpleging => "wijkverpleging",
            QuestionType::ParamedischeZorg => "paramedische_zorg",
            QuestionType::HulpBijHetHuishouden => "hulp_bij_het_huishouden",
            QuestionType::Mantelzorgondersteuning => "mantelzorgondersteuning",
            QuestionType::Vervoersvoorzieningen => "vervoersvoorzieningen",
            QuestionType::Dagbesteding => "dagbesteding",
            QuestionType::Begeleiding => "begeleiding",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|q| q.as_str() == value)
            .ok_or(FieldError::new(
                "question_types",
                "error-question-type-unknown",
            ))
    }

    pub fn domain(self) -> QuestionDomain {
        match self {
            QuestionType::Wijkverpleging | QuestionType::ParamedischeZorg => QuestionDomain::Care,
            QuestionType::HulpBijHetHuishouden
            | QuestionType::Mantelzorgondersteuning
            | QuestionType::Vervoersvoorzieningen => QuestionDomain::Support,
            QuestionType::Dagbesteding | QuestionType::Begeleiding => QuestionDomain::Welfare,
        }
    }

    /// Parses the checked boxes of a form: at least one, each known, no repeats.
    pub fn parse_set(values: &[&str]) -> Result<Vec<Self>, FieldError> {
        let mut types = Vec::new();
        for value in values {
            let parsed = Self::parse(value)?;
            if !types.contains(&parsed) {
                types.push(parsed);
            }
        }
        if types.is_empty() {
            return Err(FieldError::new(
                "question_types",
                "error-question-type-required",
            ));
        }
        types.sort_by_key(|t| Self::ALL.iter().position(|a| a == t));
        Ok(types)
    }
}

/// A trajectory as kept: the client's question, where it stands, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trajectory {
    pub id: i64,
    pub client_id: i64,
    pub question: String,
    pub question_types: Vec<QuestionType>,
    pub referral_source: Option<String>,
    pub start_date: time::Date,
    pub coordinator_id: i64,
    pub phase: Phase,
    pub closure: Option<Closure>,
    pub created_at: time::OffsetDateTime,
    /// Raised by every change of the core team.
    pub team_version: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Aanmelding,
    Vraagverheldering,
    Planvorming,
    Uitvoering,
    Afgesloten,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Aanmelding,
        Phase::Vraagverheldering,
        Phase::Planvorming,
        Phase::Uitvoering,
        Phase::Afgesloten,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Aanmelding => "aanmelding",
            Phase::Vraagverheldering => "vraagverheldering",
            Phase::Planvorming => "planvorming",
            Phase::Uitvoering => "uitvoering",
            Phase::Afgesloten => "afgesloten",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == value)
            .ok_or(FieldError::new("phase", "error-phase-unknown"))
    }

    pub fn is_active(self) -> bool {
        self != Phase::Afgesloten
    }

    /// A closed trajectory is the record of what happened: it takes no more changes to its
    /// plan, visits, assessments, daily activities or notes on what matters. A new question
    /// starts a new trajectory.
    pub fn accepts_changes(self) -> bool {
        self.is_active()
    }

    /// [`Phase::accepts_changes`] as the refusal a form shows.
    pub fn check_accepts_changes(self) -> Result<(), FieldError> {
        if self.accepts_changes() {
            Ok(())
        } else {
            Err(FieldError::new("form", "error-trajectory-closed"))
        }
    }

    /// The phases a trajectory may move to from here.
    ///
    /// Forward one step at a time; from execution back to planning, because an evaluation
    /// adjusts the plan; and from any open phase to closed (a trajectory can stop early).
    /// A closed trajectory stays closed: a new question starts a new trajectory.
    pub fn next_phases(self) -> &'static [Phase] {
        match self {
            Phase::Aanmelding => &[Phase::Vraagverheldering, Phase::Afgesloten],
            Phase::Vraagverheldering => &[Phase::Planvorming, Phase::Afgesloten],
            Phase::Planvorming => &[Phase::Uitvoering, Phase::Afgesloten],
            Phase::Uitvoering => &[Phase::Planvorming, Phase::Afgesloten],
            Phase::Afgesloten => &[],
        }
    }

    /// Checks a move. Closing needs a [`Closure`]; only stopping early is possible before the
    /// plan is carried out, because options A and B are outcomes of a completed trajectory.
    pub fn transition(self, to: Phase, closure: Option<&Closure>) -> Result<Phase, FieldError> {
        if !self.next_phases().contains(&to) {
            return Err(FieldError::new("phase", "error-phase-transition"));
        }
        if to == Phase::Afgesloten {
            match closure.map(|c| &c.option) {
                None => return Err(FieldError::new("closure", "error-closure-required")),
                Some(ClosureOption::StoppedEarly { .. }) => {}
                Some(_) if self != Phase::Uitvoering => {
                    return Err(FieldError::new(
                        "closure",
                        "error-closure-stopped-early-only",
                    ));
                }
                Some(_) => {}
            }
        } else if closure.is_some() {
            return Err(FieldError::new("closure", "error-closure-not-closing"));
        }
        Ok(to)
    }
}

/// What a "what matters" note is about (seed 002 and challenge 2 of seed 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MattersKind {
    /// What is important to the client.
    Important,
    /// What motivates the client.
    Motivation,
    /// Barriers and beliefs: "Wat maakt dat u het liever niet zelf doet?"
    Barrier,
}

impl MattersKind {
    pub const ALL: [MattersKind; 3] = [
        MattersKind::Important,
        MattersKind::Motivation,
        MattersKind::Barrier,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MattersKind::Important => "important",
            MattersKind::Motivation => "motivation",
            MattersKind::Barrier => "barrier",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
            .ok_or(FieldError::new("kind", "error-matters-kind-unknown"))
    }
}

/// A note on what matters, validated: a known kind and 1–2000 characters of text.
pub fn parse_matters_note(
    kind: &str,
    text: &str,
) -> Result<(MattersKind, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = crate::validation::collect(MattersKind::parse(kind), &mut errors);
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new("text", "error-required"));
    } else if text.chars().count() > 2000 {
        errors.push(FieldError::new("text", "error-text-too-long"));
    }
    match kind {
        Some(kind) if errors.is_empty() => Ok((kind, text.to_string())),
        _ => Err(errors),
    }
}

/// A new trajectory as typed: the question in the client's own words, what kind of help it
/// asks for, who referred, when it starts and who coordinates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrajectoryInput {
    pub question: String,
    pub question_types: Vec<String>,
    pub referral_source: String,
    /// `YYYY-MM-DD`
    pub start_date: String,
    pub coordinator_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTrajectory {
    pub question: String,
    pub question_types: Vec<QuestionType>,
    pub referral_source: Option<String>,
    pub start_date: time::Date,
    pub coordinator_id: i64,
}

impl TrajectoryInput {
    /// Checks the fields; whether the coordinator may coordinate is for the caller to check
    /// against the teams. `today` bounds the start date to within a year either way.
    pub fn validate(&self, today: time::Date) -> Result<NewTrajectory, Vec<FieldError>> {
        use crate::validation::collect;
        let mut errors = Vec::new();
        let question = self.question.trim();
        let stray = |text: &str| text.chars().any(crate::validation::is_stray_control);
        if question.is_empty() {
            errors.push(FieldError::new("question", "error-required"));
        } else if question.chars().count() > 4000 || stray(question) {
            errors.push(FieldError::new("question", "error-text-too-long"));
        }
        let types: Vec<&str> = self.question_types.iter().map(String::as_str).collect();
        let question_types = collect(QuestionType::parse_set(&types), &mut errors);
        let referral_source = self.referral_source.trim();
        if referral_source.chars().count() > 200 || stray(referral_source) {
            errors.push(FieldError::new("referral_source", "error-text-too-long"));
        }
        let start_date = collect(parse_start_date(&self.start_date, today), &mut errors);
        if self.coordinator_id.is_none() {
            errors.push(FieldError::new(
                "coordinator_id",
                "error-coordinator-required",
            ));
        }
        match (question_types, start_date, self.coordinator_id) {
            (Some(question_types), Some(start_date), Some(coordinator_id)) if errors.is_empty() => {
                Ok(NewTrajectory {
                    question: question.to_string(),
                    question_types,
                    referral_source: (!referral_source.is_empty())
                        .then(|| referral_source.to_string()),
                    start_date,
                    coordinator_id,
                })
            }
            _ => Err(errors),
        }
    }
}

fn parse_start_date(value: &str, today: time::Date) -> Result<time::Date, FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new("start_date", "error-required"));
    }
    let date = crate::validation::parse_date(value)
        .ok_or(FieldError::new("start_date", "error-date-format"))?;
    if (date - today).whole_days().abs() > 366 {
        return Err(FieldError::new("start_date", "error-start-date-range"));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closure(option: ClosureOption) -> Closure {
        Closure {
            option,
            date: None,
            summary: String::new(),
            care_now: Vec::new(),
        }
    }

    fn stopped() -> Closure {
        closure(ClosureOption::StoppedEarly {
            reason: crate::closure::StopReason::Moved,
            detail: None,
        })
    }

    #[test]
    fn the_happy_path_runs_forward_one_step_at_a_time() {
        let mut phase = Phase::Aanmelding;
        for next in [
            Phase::Vraagverheldering,
            Phase::Planvorming,
            Phase::Uitvoering,
        ] {
            phase = phase.transition(next, None).unwrap();
        }
        assert_eq!(
            phase.transition(
                Phase::Afgesloten,
                Some(&closure(ClosureOption::NoCareNeeded))
            ),
            Ok(Phase::Afgesloten)
        );
    }

    #[test]
    fn skipping_or_going_back_is_refused_except_execution_to_planning() {
        assert_eq!(
            Phase::Aanmelding
                .transition(Phase::Planvorming, None)
                .unwrap_err()
                .key,
            "error-phase-transition"
        );
        assert_eq!(
            Phase::Planvorming
                .transition(Phase::Vraagverheldering, None)
                .unwrap_err()
                .key,
            "error-phase-transition"
        );
        assert_eq!(
            Phase::Uitvoering.transition(Phase::Planvorming, None),
            Ok(Phase::Planvorming)
        );
        assert_eq!(
            Phase::Uitvoering
                .transition(Phase::Uitvoering, None)
                .unwrap_err()
                .key,
            "error-phase-transition"
        );
    }

    #[test]
    fn a_closed_trajectory_stays_closed() {
        for to in Phase::ALL {
            assert!(Phase::Afgesloten.transition(to, Some(&stopped())).is_err());
        }
        assert!(!Phase::Afgesloten.is_active());
        assert!(!Phase::Afgesloten.accepts_changes());
        assert_eq!(
            Phase::Afgesloten.check_accepts_changes().unwrap_err().key,
            "error-trajectory-closed"
        );
        for open in [
            Phase::Aanmelding,
            Phase::Vraagverheldering,
            Phase::Planvorming,
            Phase::Uitvoering,
        ] {
            assert!(open.accepts_changes() && open.check_accepts_changes().is_ok());
        }
    }

    #[test]
    fn closing_needs_a_closure_and_early_phases_can_only_stop_early() {
        assert_eq!(
            Phase::Uitvoering
                .transition(Phase::Afgesloten, None)
                .unwrap_err()
                .key,
            "error-closure-required"
        );
        for phase in [
            Phase::Aanmelding,
            Phase::Vraagverheldering,
            Phase::Planvorming,
        ] {
            assert_eq!(
                phase.transition(Phase::Afgesloten, Some(&stopped())),
                Ok(Phase::Afgesloten)
            );
            assert_eq!(
                phase
                    .transition(
                        Phase::Afgesloten,
                        Some(&closure(ClosureOption::NoCareNeeded))
                    )
                    .unwrap_err()
                    .key,
                "error-closure-stopped-early-only"
            );
        }
        let referral = closure(ClosureOption::Referred {
            to: crate::closure::ReferralTo::Wlz,
            detail: None,
            handover: "Wlz-zorg thuis".into(),
        });
        assert_eq!(
            Phase::Uitvoering.transition(Phase::Afgesloten, Some(&referral)),
            Ok(Phase::Afgesloten)
        );
        assert_eq!(
            Phase::Aanmelding
                .transition(Phase::Vraagverheldering, Some(&stopped()))
                .unwrap_err()
                .key,
            "error-closure-not-closing"
        );
    }

    #[test]
    fn question_types_parse_as_a_set_in_a_stable_order() {
        assert_eq!(
            QuestionType::parse_set(&["dagbesteding", "wijkverpleging", "dagbesteding"]),
            Ok(vec![
                QuestionType::Wijkverpleging,
                QuestionType::Dagbesteding
            ])
        );
        assert_eq!(
            QuestionType::parse_set(&[]).unwrap_err().key,
            "error-question-type-required"
        );
        assert_eq!(
            QuestionType::parse_set(&["huisarts"]).unwrap_err().key,
            "error-question-type-unknown"
        );
        let domains: Vec<_> = QuestionType::ALL.iter().map(|q| q.domain()).collect();
        assert_eq!(
            domains
                .iter()
                .filter(|d| **d == QuestionDomain::Care)
                .count(),
            2
        );
        assert_eq!(
            domains
                .iter()
                .filter(|d| **d == QuestionDomain::Support)
                .count(),
            3
        );
        assert_eq!(
            domains
                .iter()
                .filter(|d| **d == QuestionDomain::Welfare)
                .count(),
            2
        );
    }

    #[test]
    fn a_new_trajectory_needs_a_question_a_type_a_start_and_a_coordinator() {
        let today = time::macros::date!(2026 - 11 - 23);
        let input = TrajectoryInput {
            question: "  Ik wil weer zelf douchen en boodschappen doen.  ".into(),
            question_types: vec!["wijkverpleging".into(), "hulp_bij_het_huishouden".into()],
            referral_source: "huisarts".into(),
            start_date: "2026-11-24".into(),
            coordinator_id: Some(2),
        };
        let new = input.validate(today).unwrap();
        assert_eq!(
            new.question,
            "Ik wil weer zelf douchen en boodschappen doen."
        );
        assert_eq!(new.question_types.len(), 2);
        let empty = TrajectoryInput::default().validate(today).unwrap_err();
        let fields: Vec<_> = empty.iter().map(|e| (e.field, e.key)).collect();
        assert_eq!(
            fields,
            [
                ("question", "error-required"),
                ("question_types", "error-question-type-required"),
                ("start_date", "error-required"),
                ("coordinator_id", "error-coordinator-required")
            ]
        );
        let far = TrajectoryInput {
            start_date: "2028-01-01".into(),
            ..input.clone()
        };
        assert_eq!(
            far.validate(today).unwrap_err()[0].key,
            "error-start-date-range"
        );
    }

    #[test]
    fn notes_on_what_matters_have_a_kind_and_text() {
        assert_eq!(
            parse_matters_note("barrier", "  Bang om te vallen  "),
            Ok((MattersKind::Barrier, "Bang om te vallen".into()))
        );
        let errors = parse_matters_note("hobby", " ").unwrap_err();
        let keys: Vec<_> = errors.iter().map(|e| e.key).collect();
        assert_eq!(keys, ["error-matters-kind-unknown", "error-required"]);
        assert_eq!(
            parse_matters_note("important", &"x".repeat(2001)).unwrap_err()[0].key,
            "error-text-too-long"
        );
    }

    #[test]
    fn phases_round_trip_through_their_names() {
        for phase in Phase::ALL {
            assert_eq!(Phase::parse(phase.as_str()), Ok(phase));
        }
        for question in QuestionType::ALL {
            assert_eq!(QuestionType::parse(question.as_str()), Ok(question));
        }
    }
}
