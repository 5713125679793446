//! Evaluating with the client (seed 004 step 6): when evaluations fall due, the goal scores
//! they add beside the baseline, what is decided per goal and how support goes on per
//! activity (afschalen). An evaluation never rewrites the baseline: it adds a dated row.

use crate::assessment::SupportLevel;
use crate::goal::{COPM_RELEVANT_CHANGE, GoalStatus, GoalStatusChange, score};
use crate::plan::{Plan, PlanError};
use crate::validation::{FieldError, collect, happened_on, parse_date, text};
use time::{Date, Duration};

/// Every two weeks, unless the coordinator sets otherwise.
pub const DEFAULT_EVALUATION_WEEKS: u8 = 2;
/// At most half a year between evaluations.
pub const MAX_EVALUATION_WEEKS: u8 = 26;

/// How often a trajectory is evaluated, in weeks (1–26).
pub fn parse_evaluation_weeks(raw: &str) -> Result<u8, FieldError> {
    match raw.trim().parse::<u8>() {
        Ok(weeks @ 1..=MAX_EVALUATION_WEEKS) => Ok(weeks),
        _ => Err(FieldError::new(
            "evaluation_weeks",
            "error-evaluation-weeks",
        )),
    }
}

/// When the next evaluation is due: the date the last evaluation set, or one interval after
/// the trajectory started when there has been none.
pub fn next_evaluation(start: Date, every_weeks: u8, last_set: Option<Date>) -> Date {
    last_set.unwrap_or(start + Duration::weeks(i64::from(every_weeks)))
}

/// Where a due date stands for the worklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Past its date.
    Overdue,
    /// Today or within the coming seven days.
    ThisWeek,
    Later,
}

impl Due {
    pub fn of(due_on: Date, today: Date) -> Due {
        if due_on < today {
            Due::Overdue
        } else if due_on < today + Duration::days(7) {
            Due::ThisWeek
        } else {
            Due::Later
        }
    }
}

/// When a goal was scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreMoment {
    Baseline,
    Evaluation,
    Closure,
    FollowUp,
}

impl ScoreMoment {
    pub const ALL: [ScoreMoment; 4] = [
        ScoreMoment::Baseline,
        ScoreMoment::Evaluation,
        ScoreMoment::Closure,
        ScoreMoment::FollowUp,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ScoreMoment::Baseline => "baseline",
            ScoreMoment::Evaluation => "evaluation",
            ScoreMoment::Closure => "closure",
            ScoreMoment::FollowUp => "follow_up",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == value)
            .ok_or(FieldError::new("moment", "error-choice-unknown"))
    }
}

/// One dated score of one goal: COPM performance and satisfaction (1–10), the GAS level
/// reached (−2…+2) and the client's own words about progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalScore {
    pub goal_id: u32,
    pub moment: ScoreMoment,
    pub scored_on: Date,
    pub performance: Option<u8>,
    pub satisfaction: Option<u8>,
    pub gas_attained: Option<i8>,
    pub words: Option<String>,
}

/// Which way a score moved, counting only a clinically relevant change (≥ 2 COPM points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Improved,
    Declined,
    Unchanged,
}

/// The change of one COPM score from an earlier moment to a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreChange {
    pub points: i16,
    pub trend: Trend,
}

impl ScoreChange {
    /// `None` when either score is missing: no change can be told.
    pub fn between(earlier: Option<u8>, later: Option<u8>) -> Option<Self> {
        let points = i16::from(later?) - i16::from(earlier?);
        let trend = if points >= COPM_RELEVANT_CHANGE {
            Trend::Improved
        } else if points <= -COPM_RELEVANT_CHANGE {
            Trend::Declined
        } else {
            Trend::Unchanged
        };
        Some(ScoreChange { points, trend })
    }
}

/// What the evaluation decides for a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoalDecision {
    Continue,
    /// Keep working on it, differently: the reason says how.
    Adjust,
    Achieved,
    Stop,
}

impl GoalDecision {
    pub const ALL: [GoalDecision; 4] = [
        GoalDecision::Continue,
        GoalDecision::Adjust,
        GoalDecision::Achieved,
        GoalDecision::Stop,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GoalDecision::Continue => "continue",
            GoalDecision::Adjust => "adjust",
            GoalDecision::Achieved => "achieved",
            GoalDecision::Stop => "stop",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == value)
            .ok_or(FieldError::new("decision", "error-required"))
    }

    /// Adjusting and stopping say why.
    pub fn needs_reason(self) -> bool {
        matches!(self, GoalDecision::Adjust | GoalDecision::Stop)
    }

    /// The goal's status after the decision: adjusted goals stay active.
    pub fn status(self) -> GoalStatus {
        match self {
            GoalDecision::Continue | GoalDecision::Adjust => GoalStatus::Active,
            GoalDecision::Achieved => GoalStatus::Achieved,
            GoalDecision::Stop => GoalStatus::Stopped,
        }
    }
}

/// One goal in the evaluation form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalEvaluationInput {
    pub goal_id: u32,
    pub performance: String,
    pub satisfaction: String,
    pub gas_attained: String,
    pub words: String,
    pub decision: String,
    pub reason: String,
}

/// One agreement going forward, as typed: the support level and the step from now on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementForwardInput {
    pub activity: String,
    pub support: String,
    /// 1-based step number; blank for none.
    pub step: String,
}

/// The evaluation form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvaluationInput {
    pub held_on: String,
    pub next_on: String,
    pub client_took_part: bool,
    pub network_member_ids: Vec<String>,
    pub professional_ids: Vec<String>,
    pub goals: Vec<GoalEvaluationInput>,
    pub agreements: Vec<AgreementForwardInput>,
}

/// Who sat at the table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participants {
    pub client: bool,
    pub network_member_ids: Vec<i64>,
    pub professional_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalEvaluation {
    pub score: GoalScore,
    pub decision: GoalDecision,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementForward {
    pub activity: String,
    pub support: SupportLevel,
    /// Index into the agreement's steps.
    pub current_step: Option<usize>,
}

/// A checked evaluation, ready to be kept and applied to the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub held_on: Date,
    pub next_on: Date,
    pub participants: Participants,
    pub goals: Vec<GoalEvaluation>,
    pub agreements: Vec<AgreementForward>,
}

/// What an evaluation is checked against besides the plan.
pub struct EvaluationContext<'a> {
    pub plan: &'a Plan,
    pub trajectory_start: Date,
    pub today: Date,
    pub every_weeks: u8,
    pub network_member_ids: &'a [i64],
    pub professional_ids: &'a [i64],
}

fn ids(field: &'static str, raw: &[String], known: &[i64]) -> Result<Vec<i64>, FieldError> {
    let mut chosen = Vec::new();
    for value in raw.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id: i64 = value
            .parse()
            .ok()
            .filter(|id| known.contains(id))
            .ok_or(FieldError::new(field, "error-choice-unknown"))?;
        if !chosen.contains(&id) {
            chosen.push(id);
        }
    }
    Ok(chosen)
}

impl EvaluationInput {
    /// Checks the whole form at once: the date it was held (not in the future, not before the
    /// trajectory started), the next date (after it; one interval later when left open), who
    /// took part (someone must have), a decision for every active goal with scores in range,
    /// and support going forward for agreements of the plan. Errors in a goal's or an
    /// agreement's part name it (`FieldError::item`: the goal's number, the agreement's
    /// position).
    pub fn validate(&self, context: &EvaluationContext) -> Result<Evaluation, Vec<FieldError>> {
        let mut errors = Vec::new();
        // Blank is today, like every other day something happened.
        let held_on = collect(
            happened_on(
                "held_on",
                &self.held_on,
                context.trajectory_start,
                context.today,
            ),
            &mut errors,
        );
        let next_on = match (self.next_on.trim(), held_on) {
            ("", Some(held)) => Some(held + Duration::weeks(i64::from(context.every_weeks))),
            ("", None) => None,
            (raw, held) => match parse_date(raw) {
                None => {
                    errors.push(FieldError::new("next_on", "error-date-format"));
                    None
                }
                Some(next) if held.is_some_and(|h| next <= h) => {
                    errors.push(FieldError::new("next_on", "error-next-after-held"));
                    None
                }
                Some(next) => Some(next),
            },
        };
        let network = collect(
            ids(
                "participants",
                &self.network_member_ids,
                context.network_member_ids,
            ),
            &mut errors,
        );
        let professionals = collect(
            ids(
                "participants",
                &self.professional_ids,
                context.professional_ids,
            ),
            &mut errors,
        );
        let participants = Participants {
            client: self.client_took_part,
            network_member_ids: network.unwrap_or_default(),
            professional_ids: professionals.unwrap_or_default(),
        };
        if !participants.client
            && participants.network_member_ids.is_empty()
            && participants.professional_ids.is_empty()
        {
            errors.push(FieldError::new(
                "participants",
                "error-participants-required",
            ));
        }
        let mut goals = Vec::new();
        for goal in context
            .plan
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
        {
            let input = self.goals.iter().find(|i| i.goal_id == goal.id);
            let input = input.cloned().unwrap_or_default();
            let mut local = Vec::new();
            let performance = collect(score("performance", &input.performance), &mut local);
            let satisfaction = collect(score("satisfaction", &input.satisfaction), &mut local);
            let gas_attained = match (input.gas_attained.trim(), &goal.gas) {
                ("", _) => Some(None),
                (_, None) => {
                    local.push(FieldError::new("gas_attained", "error-choice-unknown"));
                    None
                }
                (raw, Some(_)) => match raw.parse::<i8>() {
                    Ok(level @ -2..=2) => Some(Some(level)),
                    _ => {
                        local.push(FieldError::new("gas_attained", "error-gas-level"));
                        None
                    }
                },
            };
            let words = collect(text("words", &input.words, false), &mut local).flatten();
            let decision = collect(GoalDecision::parse(input.decision.trim()), &mut local);
            let reason = collect(
                text(
                    "reason",
                    &input.reason,
                    decision.is_some_and(GoalDecision::needs_reason),
                ),
                &mut local,
            )
            .flatten();
            errors.extend(local.iter().map(|e| e.in_item(goal.id)));
            if let (true, Some(day), Some(p), Some(s), Some(g), Some(d)) = (
                local.is_empty(),
                held_on,
                performance,
                satisfaction,
                gas_attained,
                decision,
            ) {
                goals.push(GoalEvaluation {
                    score: GoalScore {
                        goal_id: goal.id,
                        moment: ScoreMoment::Evaluation,
                        scored_on: day,
                        performance: p,
                        satisfaction: s,
                        gas_attained: g,
                        words,
                    },
                    decision: d,
                    reason,
                });
            }
        }
        let mut agreements = Vec::new();
        for (position, agreement) in context.plan.agreements.iter().enumerate() {
            let item = u32::try_from(position).unwrap_or(u32::MAX);
            let Some(input) = self
                .agreements
                .iter()
                .find(|a| a.activity == agreement.activity)
            else {
                continue;
            };
            let support = input
                .support
                .trim()
                .parse::<u8>()
                .map_err(|_| FieldError::new("support", "error-support-range"))
                .and_then(SupportLevel::from_value);
            let support = collect(support.map_err(|e| e.in_item(item)), &mut errors);
            let step = match input.step.trim() {
                "" => Some(None),
                raw => match raw.parse::<usize>() {
                    Ok(n @ 1..) if n <= agreement.steps.len() => Some(Some(n - 1)),
                    _ => {
                        errors.push(FieldError::new("step", "error-choice-unknown").in_item(item));
                        None
                    }
                },
            };
            if let (Some(support), Some(current_step)) = (support, step) {
                agreements.push(AgreementForward {
                    activity: agreement.activity.clone(),
                    support,
                    current_step,
                });
            }
        }
        match (errors.is_empty(), held_on, next_on) {
            (true, Some(held_on), Some(next_on)) => Ok(Evaluation {
                held_on,
                next_on,
                participants,
                goals,
                agreements,
            }),
            _ => Err(errors),
        }
    }
}

impl Evaluation {
    /// The plan after the evaluation: goal statuses and GAS levels as decided, support and
    /// steps going forward. Scores themselves are kept as rows, not in the plan.
    pub fn apply(&self, plan: &mut Plan) -> Result<(), PlanError> {
        for goal in &self.goals {
            plan.set_goal_status(
                goal.score.goal_id,
                GoalStatusChange {
                    status: goal.decision.status(),
                    reason: goal.reason.clone(),
                    attained: goal.score.gas_attained,
                },
            )?;
        }
        for forward in &self.agreements {
            if let Some(mut agreement) = plan.agreement(&forward.activity).cloned() {
                agreement.support = forward.support;
                agreement.current_step = forward.current_step;
                plan.set_agreement(agreement);
            }
        }
        Ok(())
    }

    /// The reason of the plan version it makes: "evaluatie van 1-12-2026".
    pub fn plan_reason(&self) -> String {
        format!(
            "evaluatie van {}-{}-{}",
            self.held_on.day(),
            self.held_on.month() as u8,
            self.held_on.year()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goal::{CopmScores, ExpressedBy, GasScale, GoalContent};
    use crate::plan::Agreement;
    use time::macros::date;

    const START: Date = date!(2026 - 11 - 02);
    const TODAY: Date = date!(2026 - 11 - 30);

    fn plan() -> Plan {
        let mut plan = Plan::default();
        let content = |words: &str, gas: bool| GoalContent {
            words: words.into(),
            expressed_by: ExpressedBy::Client,
            life_domains: vec![],
            activities: vec![],
            baseline: CopmScores {
                importance: Some(9),
                performance: Some(3),
                satisfaction: Some(2),
            },
            gas: gas.then(|| GasScale {
                levels: Default::default(),
                weight: 1,
                attained: None,
            }),
            target_date: None,
        };
        plan.add_goal(content("Zelf douchen", true));
        plan.add_goal(content("Boodschappen doen", false));
        plan.set_agreement(Agreement {
            activity: "wassen".into(),
            support: SupportLevel::Moderate,
            client_does: String::new(),
            team_does: String::new(),
            steps: vec!["Armen".into(), "Benen".into(), "Alles".into()],
            current_step: Some(0),
            aid_ids: vec![],
        });
        plan
    }

    fn input() -> EvaluationInput {
        EvaluationInput {
            held_on: "2026-11-30".into(),
            next_on: String::new(),
            client_took_part: true,
            network_member_ids: vec![],
            professional_ids: vec!["7".into()],
            goals: vec![
                GoalEvaluationInput {
                    goal_id: 1,
                    performance: "6".into(),
                    satisfaction: "7".into(),
                    gas_attained: "0".into(),
                    words: "Het gaat steeds beter".into(),
                    decision: "continue".into(),
                    reason: String::new(),
                },
                GoalEvaluationInput {
                    goal_id: 2,
                    performance: "8".into(),
                    satisfaction: "9".into(),
                    gas_attained: String::new(),
                    words: String::new(),
                    decision: "achieved".into(),
                    reason: String::new(),
                },
            ],
            agreements: vec![AgreementForwardInput {
                activity: "wassen".into(),
                support: "1".into(),
                step: "2".into(),
            }],
        }
    }

    fn check(input: &EvaluationInput, plan: &Plan) -> Result<Evaluation, Vec<FieldError>> {
        input.validate(&EvaluationContext {
            plan,
            trajectory_start: START,
            today: TODAY,
            every_weeks: 2,
            network_member_ids: &[3],
            professional_ids: &[7, 8],
        })
    }

    #[test]
    fn a_change_of_two_points_or_more_is_relevant_either_way() {
        let change = |a, b| ScoreChange::between(Some(a), Some(b)).unwrap();
        assert_eq!(change(3, 5).trend, Trend::Improved);
        assert_eq!(change(3, 4).trend, Trend::Unchanged);
        assert_eq!(change(6, 4).trend, Trend::Declined);
        assert_eq!(change(6, 5).trend, Trend::Unchanged);
        assert_eq!(change(6, 4).points, -2);
        assert_eq!(ScoreChange::between(None, Some(5)), None);
        assert_eq!(ScoreChange::between(Some(5), None), None);
    }

    #[test]
    fn evaluations_fall_due_every_interval_and_overdue_ones_are_told_apart() {
        assert_eq!(next_evaluation(START, 2, None), date!(2026 - 11 - 16));
        assert_eq!(
            next_evaluation(START, 2, Some(date!(2026 - 12 - 10))),
            date!(2026 - 12 - 10)
        );
        assert_eq!(Due::of(date!(2026 - 11 - 29), TODAY), Due::Overdue);
        assert_eq!(Due::of(TODAY, TODAY), Due::ThisWeek);
        assert_eq!(Due::of(date!(2026 - 12 - 06), TODAY), Due::ThisWeek);
        assert_eq!(Due::of(date!(2026 - 12 - 07), TODAY), Due::Later);
        assert_eq!(parse_evaluation_weeks("3"), Ok(3));
        for bad in ["0", "27", "twee", ""] {
            assert_eq!(
                parse_evaluation_weeks(bad).unwrap_err().key,
                "error-evaluation-weeks"
            );
        }
    }

    #[test]
    fn an_evaluation_adds_dated_scores_decides_per_goal_and_tapers_support() {
        let mut plan = plan();
        let evaluation = check(&input(), &plan).unwrap();
        assert_eq!(evaluation.next_on, date!(2026 - 12 - 14), "one interval on");
        assert_eq!(evaluation.goals.len(), 2);
        assert_eq!(evaluation.goals[0].score.performance, Some(6));
        assert_eq!(evaluation.goals[0].score.scored_on, TODAY);
        assert_eq!(evaluation.goals[0].score.moment, ScoreMoment::Evaluation);
        evaluation.apply(&mut plan).unwrap();
        assert_eq!(plan.goal(1).unwrap().status, GoalStatus::Active);
        assert_eq!(
            plan.goal(1).unwrap().gas.as_ref().unwrap().attained,
            Some(0)
        );
        assert_eq!(plan.goal(2).unwrap().status, GoalStatus::Achieved);
        // The baseline stays as it was: scores are rows beside it.
        assert_eq!(plan.goal(1).unwrap().baseline.performance, Some(3));
        let washing = plan.agreement("wassen").unwrap();
        assert_eq!(
            (washing.support, washing.current_step),
            (SupportLevel::Light, Some(1))
        );
        assert_eq!(evaluation.plan_reason(), "evaluatie van 30-11-2026");
    }

    #[test]
    fn every_problem_is_named_with_its_goal_or_agreement() {
        let plan = plan();
        let mut bad = input();
        bad.held_on = "2026-12-01".into();
        bad.client_took_part = false;
        bad.professional_ids = vec!["99".into()];
        bad.goals[0].performance = "11".into();
        bad.goals[0].decision = "stop".into();
        bad.goals[1].gas_attained = "1".into();
        bad.agreements[0].step = "4".into();
        let errors = check(&bad, &plan).unwrap_err();
        let named: Vec<(String, &str)> = errors.iter().map(|e| (e.name(), e.key)).collect();
        assert!(named.contains(&("held_on".into(), "error-date-future")));
        assert!(named.contains(&("participants".into(), "error-choice-unknown")));
        assert!(named.contains(&("participants".into(), "error-participants-required")));
        assert!(named.contains(&("performance-1".into(), "error-score-1-10")));
        assert!(named.contains(&("reason-1".into(), "error-required")));
        assert!(named.contains(&("gas_attained-2".into(), "error-choice-unknown")));
        assert!(named.contains(&("step-0".into(), "error-choice-unknown")));
        let mut early = input();
        early.held_on = "2026-11-01".into();
        early.next_on = "2026-10-01".into();
        early.goals[1].decision = String::new();
        let errors = check(&early, &plan).unwrap_err();
        let named: Vec<(String, &str)> = errors.iter().map(|e| (e.name(), e.key)).collect();
        assert!(named.contains(&("held_on".into(), "error-date-before-start")));
        assert!(named.contains(&("decision-2".into(), "error-required")));
    }

    #[test]
    fn the_baseline_stays_once_the_trajectory_was_evaluated() {
        let mut plan = plan();
        let goal = plan.goal(1).unwrap().clone();
        let mut content = GoalContent {
            words: "Zelf douchen, ook de rug".into(),
            expressed_by: goal.expressed_by,
            life_domains: goal.life_domains.clone(),
            activities: goal.activities.clone(),
            baseline: goal.baseline,
            gas: goal.gas.clone(),
            target_date: None,
        };
        assert_eq!(plan.rewrite_goal(1, content.clone(), true), Ok(()));
        content.baseline.performance = Some(5);
        assert_eq!(
            plan.rewrite_goal(1, content.clone(), true),
            Err(PlanError::BaselineKept)
        );
        assert_eq!(plan.rewrite_goal(1, content, false), Ok(()));
        assert_eq!(plan.goal(1).unwrap().baseline.performance, Some(5));
    }

    #[test]
    fn goals_no_longer_active_are_not_evaluated() {
        let mut plan = plan();
        plan.set_goal_status(
            2,
            GoalStatusChange {
                status: GoalStatus::Achieved,
                reason: None,
                attained: None,
            },
        )
        .unwrap();
        let mut only_first = input();
        only_first.goals.truncate(1);
        let evaluation = check(&only_first, &plan).unwrap();
        assert_eq!(evaluation.goals.len(), 1);
    }
}
