//! A reablement trajectory's phases and the moves between them (seed 004, the national
//! definition): aanmelding → vraagverheldering → planvorming → uitvoering → afgesloten.

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Aanmelding,
    Vraagverheldering,
    Planvorming,
    Uitvoering,
    Afgesloten,
}

/// How a trajectory ended (seed 004): option A, option B, or stopped early.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Closure {
    /// Option A: no care or support needed any more.
    NoCareNeeded,
    /// Option B: referred to (long-term) care or support, in the same spirit.
    Referred { to: String },
    /// Stopped before the plan was completed.
    StoppedEarly { reason: String },
}

impl Closure {
    /// A referral names where to, and stopping early names why.
    pub fn validate(self) -> Result<Self, FieldError> {
        match &self {
            Closure::Referred { to } if to.trim().is_empty() => {
                Err(FieldError::new("referred_to", "error-required"))
            }
            Closure::StoppedEarly { reason } if reason.trim().is_empty() => {
                Err(FieldError::new("reason", "error-required"))
            }
            _ => Ok(self),
        }
    }
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
            match closure {
                None => return Err(FieldError::new("closure", "error-closure-required")),
                Some(Closure::StoppedEarly { .. }) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    fn stopped() -> Closure {
        Closure::StoppedEarly {
            reason: "verhuisd naar verpleeghuis".into(),
        }
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
            phase.transition(Phase::Afgesloten, Some(&Closure::NoCareNeeded)),
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
                    .transition(Phase::Afgesloten, Some(&Closure::NoCareNeeded))
                    .unwrap_err()
                    .key,
                "error-closure-stopped-early-only"
            );
        }
        let referral = Closure::Referred {
            to: "Wlz-zorg thuis".into(),
        };
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
    fn a_closure_names_its_reason_or_destination() {
        assert_eq!(
            Closure::StoppedEarly { reason: " ".into() }
                .validate()
                .unwrap_err()
                .field,
            "reason"
        );
        assert_eq!(
            Closure::Referred { to: String::new() }
                .validate()
                .unwrap_err()
                .field,
            "referred_to"
        );
        assert!(stopped().validate().is_ok());
        assert!(Closure::NoCareNeeded.validate().is_ok());
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
    fn phases_round_trip_through_their_names() {
        for phase in Phase::ALL {
            assert_eq!(Phase::parse(phase.as_str()), Ok(phase));
        }
        for question in QuestionType::ALL {
            assert_eq!(QuestionType::parse(question.as_str()), Ok(question));
        }
    }
}
