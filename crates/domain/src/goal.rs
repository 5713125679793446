//! Goals in the client's own words (seed 004 step 3), scored COPM-style and, when the team wants,
//! with Goal Attainment Scaling.

use crate::validation::{FieldError, collect, optional_date as parse_optional_date, text};
use time::Date;

/// Who put the goal into words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpressedBy {
    Client,
    Carer,
    Together,
}

impl ExpressedBy {
    pub const ALL: [ExpressedBy; 3] = [
        ExpressedBy::Client,
        ExpressedBy::Carer,
        ExpressedBy::Together,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExpressedBy::Client => "client",
            ExpressedBy::Carer => "carer",
            ExpressedBy::Together => "together",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == value)
            .ok_or(FieldError::new("expressed_by", "error-choice-unknown"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalStatus {
    Active,
    Achieved,
    Revised,
    Stopped,
}

impl GoalStatus {
    pub const ALL: [GoalStatus; 4] = [
        GoalStatus::Active,
        GoalStatus::Achieved,
        GoalStatus::Revised,
        GoalStatus::Stopped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Active => "active",
            GoalStatus::Achieved => "achieved",
            GoalStatus::Revised => "revised",
            GoalStatus::Stopped => "stopped",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == value)
            .ok_or(FieldError::new("status", "error-choice-unknown"))
    }
}

/// Importance, performance and satisfaction, each 1–10 (COPM-style); any may be left open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CopmScores {
    pub importance: Option<u8>,
    pub performance: Option<u8>,
    pub satisfaction: Option<u8>,
}

/// A change of this many points on a COPM score is clinically relevant.
pub const COPM_RELEVANT_CHANGE: i16 = 2;

/// Goal Attainment Scaling for one goal: what each level −2…+2 looks like, and its weight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GasScale {
    /// Descriptions of the levels −2, −1, 0 (expected), +1, +2, in that order.
    pub levels: [String; 5],
    pub weight: u8,
    /// The level reached at the last scoring, if any.
    pub attained: Option<i8>,
}

/// Correlation between goals the Kiresuk–Sherman formula assumes.
pub const GAS_RHO: f64 = 0.3;

/// The Kiresuk–Sherman GAS T-score over `(weight, attained level)` pairs:
/// T = 50 + 10·Σwᵢxᵢ / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²), ρ = 0.3. `None` without goals.
pub fn gas_t_score(goals: &[(f64, i8)]) -> Option<f64> {
    if goals.is_empty() {
        return None;
    }
    let weighted: f64 = goals.iter().map(|(w, x)| w * f64::from(*x)).sum();
    let sum_w: f64 = goals.iter().map(|(w, _)| w).sum();
    let sum_w2: f64 = goals.iter().map(|(w, _)| w * w).sum();
    let denominator = ((1.0 - GAS_RHO) * sum_w2 + GAS_RHO * sum_w * sum_w).sqrt();
    (denominator > 0.0).then(|| 50.0 + 10.0 * weighted / denominator)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub id: u32,
    /// The goal as the client (or their carer) said it.
    pub words: String,
    pub expressed_by: ExpressedBy,
    pub life_domains: Vec<String>,
    pub activities: Vec<String>,
    pub baseline: CopmScores,
    pub gas: Option<GasScale>,
    pub target_date: Option<Date>,
    pub status: GoalStatus,
    pub status_reason: Option<String>,
    pub interventions: Vec<crate::plan::PlannedIntervention>,
}

/// A goal as typed into a form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalInput {
    pub words: String,
    pub expressed_by: String,
    pub life_domains: Vec<String>,
    pub activities: Vec<String>,
    pub importance: String,
    pub performance: String,
    pub satisfaction: String,
    /// Level descriptions −2…+2; all empty means no GAS for this goal.
    pub gas_levels: [String; 5],
    pub gas_weight: String,
    pub target_date: String,
}

/// The checked content of a new or rewritten goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalContent {
    pub words: String,
    pub expressed_by: ExpressedBy,
    pub life_domains: Vec<String>,
    pub activities: Vec<String>,
    pub baseline: CopmScores,
    pub gas: Option<GasScale>,
    pub target_date: Option<Date>,
}

pub const GAS_FIELDS: [&str; 5] = ["gas_m2", "gas_m1", "gas_0", "gas_p1", "gas_p2"];

/// A COPM score as typed: blank is none, else a whole number 1–10.
pub(crate) fn score(field: &'static str, raw: &str) -> Result<Option<u8>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<u8>() {
        Ok(n @ 1..=10) => Ok(Some(n)),
        _ => Err(FieldError::new(field, "error-score-1-10")),
    }
}

/// Keys that name items of an instrument; unknown keys are refused rather than dropped.
fn known_keys(
    field: &'static str,
    chosen: &[String],
    known: &[&str],
) -> Result<Vec<String>, FieldError> {
    let mut keys = Vec::new();
    for key in chosen.iter().map(|k| k.trim()).filter(|k| !k.is_empty()) {
        if !known.contains(&key) {
            return Err(FieldError::new(field, "error-choice-unknown"));
        }
        if !keys.iter().any(|k| k == key) {
            keys.push(key.to_string());
        }
    }
    Ok(keys)
}

impl GoalInput {
    /// Checks a goal against the instruments' keys for life domains and daily activities.
    pub fn validate(
        &self,
        life_domains: &[&str],
        activities: &[&str],
    ) -> Result<GoalContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let words = collect(text("words", &self.words, true), &mut errors).flatten();
        let expressed_by = collect(ExpressedBy::parse(&self.expressed_by), &mut errors);
        let domains = collect(
            known_keys("life_domains", &self.life_domains, life_domains),
            &mut errors,
        );
        let chosen_activities = collect(
            known_keys("activities", &self.activities, activities),
            &mut errors,
        );
        let importance = collect(score("importance", &self.importance), &mut errors);
        let performance = collect(score("performance", &self.performance), &mut errors);
        let satisfaction = collect(score("satisfaction", &self.satisfaction), &mut errors);
        let target_date = collect(
            parse_optional_date("target_date", &self.target_date),
            &mut errors,
        );
        let gas = self.gas(&mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(GoalContent {
            words: words.unwrap_or_default(),
            expressed_by: expressed_by.unwrap_or(ExpressedBy::Client),
            life_domains: domains.unwrap_or_default(),
            activities: chosen_activities.unwrap_or_default(),
            baseline: CopmScores {
                importance: importance.flatten(),
                performance: performance.flatten(),
                satisfaction: satisfaction.flatten(),
            },
            gas,
            target_date: target_date.flatten(),
        })
    }

    /// GAS is optional, but once begun every level needs a description and the weight is 1–10.
    fn gas(&self, errors: &mut Vec<FieldError>) -> Option<GasScale> {
        let started = self.gas_levels.iter().any(|l| !l.trim().is_empty())
            || !self.gas_weight.trim().is_empty();
        if !started {
            return None;
        }
        let mut levels: [String; 5] = Default::default();
        let mut complete = true;
        for (i, raw) in self.gas_levels.iter().enumerate() {
            match text(GAS_FIELDS[i], raw, true) {
                Ok(Some(value)) => levels[i] = value,
                Ok(None) => complete = false,
                Err(error) => {
                    errors.push(error);
                    complete = false;
                }
            }
        }
        let weight = match self.gas_weight.trim() {
            "" => Some(1),
            raw => match raw.parse::<u8>() {
                Ok(w @ 1..=10) => Some(w),
                _ => {
                    errors.push(FieldError::new("gas_weight", "error-gas-weight"));
                    None
                }
            },
        };
        match (complete, weight) {
            (true, Some(weight)) => Some(GasScale {
                levels,
                weight,
                attained: None,
            }),
            _ => None,
        }
    }
}

/// A status change, with the reason a stop or revision needs and an optional GAS score.
///
/// Deserialize stays: the goal-status form on the plan page reads straight into it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct GoalStatusInput {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub reason: String,
    /// `-2`…`2`, or empty.
    #[serde(default)]
    pub attained: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalStatusChange {
    pub status: GoalStatus,
    pub reason: Option<String>,
    pub attained: Option<i8>,
}

impl GoalStatusInput {
    pub fn validate(&self) -> Result<GoalStatusChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let status = collect(GoalStatus::parse(&self.status), &mut errors);
        let needs_reason = matches!(status, Some(GoalStatus::Stopped | GoalStatus::Revised));
        let reason = collect(text("reason", &self.reason, needs_reason), &mut errors).flatten();
        let attained = match self.attained.trim() {
            "" => None,
            raw => match raw.parse::<i8>() {
                Ok(x @ -2..=2) => Some(x),
                _ => {
                    errors.push(FieldError::new("attained", "error-choice-unknown"));
                    None
                }
            },
        };
        match status {
            Some(status) if errors.is_empty() => Ok(GoalStatusChange {
                status,
                reason,
                attained,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(goals: &[(f64, i8)]) -> f64 {
        (gas_t_score(goals).unwrap() * 10.0).round() / 10.0
    }

    #[test]
    fn gas_t_score_matches_the_published_check_values() {
        assert_eq!(t(&[(1.0, -2)]), 30.0);
        assert_eq!(t(&[(1.0, -1)]), 40.0);
        assert_eq!(t(&[(1.0, 0)]), 50.0);
        assert_eq!(t(&[(1.0, 1)]), 60.0);
        assert_eq!(t(&[(1.0, 2)]), 70.0);
        assert_eq!(t(&[(1.0, -1), (1.0, -1), (1.0, -1)]), 36.3);
        assert_eq!(t(&[(3.0, 1), (2.0, 0), (1.0, -1)]), 54.4);
        assert_eq!(gas_t_score(&[]), None);
    }

    fn input() -> GoalInput {
        GoalInput {
            words: "  Zelf weer douchen, op mijn eigen tijd  ".into(),
            expressed_by: "client".into(),
            activities: vec!["wassen".into()],
            importance: "9".into(),
            performance: "3".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_goal_keeps_the_clients_words_and_scores() {
        let goal = input().validate(&["basale-adl"], &["wassen"]).unwrap();
        assert_eq!(goal.words, "Zelf weer douchen, op mijn eigen tijd");
        assert_eq!(goal.expressed_by, ExpressedBy::Client);
        assert_eq!(goal.activities, vec!["wassen".to_string()]);
        assert_eq!(goal.baseline.importance, Some(9));
        assert_eq!(goal.baseline.satisfaction, None);
        assert_eq!(goal.gas, None);
    }

    #[test]
    fn a_goal_without_words_or_with_scores_out_of_range_is_refused() {
        let mut bad = input();
        bad.words = " ".into();
        bad.importance = "11".into();
        bad.performance = "0".into();
        bad.activities = vec!["vliegen".into()];
        bad.target_date = "31-12-2026".into();
        let fields: Vec<_> = bad
            .validate(&[], &["wassen"])
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec![
                "words",
                "activities",
                "importance",
                "performance",
                "target_date"
            ]
        );
    }

    #[test]
    fn gas_once_begun_needs_every_level_and_a_sane_weight() {
        let mut goal = input();
        goal.gas_levels[2] = "Douchen met hulp bij de rug".into();
        goal.gas_weight = "12".into();
        let fields: Vec<_> = goal
            .validate(&[], &["wassen"])
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec!["gas_m2", "gas_m1", "gas_p1", "gas_p2", "gas_weight"]
        );
        goal.gas_levels = ["a", "b", "c", "d", "e"].map(String::from);
        goal.gas_weight = String::new();
        let gas = goal.validate(&[], &["wassen"]).unwrap().gas.unwrap();
        assert_eq!(gas.weight, 1);
        assert_eq!(gas.levels[4], "e");
    }

    #[test]
    fn stopping_or_revising_a_goal_needs_a_reason() {
        let stop = GoalStatusInput {
            status: "stopped".into(),
            ..Default::default()
        };
        assert_eq!(
            stop.validate().unwrap_err(),
            vec![FieldError::new("reason", "error-required")]
        );
        let achieved = GoalStatusInput {
            status: "achieved".into(),
            attained: "1".into(),
            ..Default::default()
        };
        assert_eq!(achieved.validate().unwrap().attained, Some(1));
        let wrong = GoalStatusInput {
            status: "achieved".into(),
            attained: "3".into(),
            ..Default::default()
        };
        assert!(wrong.validate().is_err());
    }
}
