//! How a trajectory ends (seed 004, issue 11): option A, option B with a warm handover, or
//! stopped early; on a date, with a short summary and the care hours per week at that point.
//! Closing also settles the plan: every goal still active gets its outcome, and every
//! intervention still running ends on the closure date.

use crate::evaluation::{GoalScore, ScoreMoment};
use crate::goal::score;
use crate::people::Discipline;
use crate::plan::{Plan, parse_hours};
use crate::trajectory::Phase;
use crate::validation::{FieldError, collect, happened_on, text};
use crate::{GoalStatus, GoalStatusChange};
use time::Date;

/// Where option B refers the client to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferralTo {
    /// Long-term district nursing.
    Wijkverpleging,
    Wlz,
    WmoMaatwerk,
    HuishoudelijkeHulp,
    Dagbesteding,
    Other,
}

impl ReferralTo {
    pub const ALL: [ReferralTo; 6] = [
        ReferralTo::Wijkverpleging,
        ReferralTo::Wlz,
        ReferralTo::WmoMaatwerk,
        ReferralTo::HuishoudelijkeHulp,
        ReferralTo::Dagbesteding,
        ReferralTo::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralTo::Wijkverpleging => "wijkverpleging",
            ReferralTo::Wlz => "wlz",
            ReferralTo::WmoMaatwerk => "wmo_maatwerk",
            ReferralTo::HuishoudelijkeHulp => "huishoudelijke_hulp",
            ReferralTo::Dagbesteding => "dagbesteding",
            ReferralTo::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value.trim())
            .ok_or(FieldError::new("referral_to", "error-choice-unknown"))
    }
}

/// Why a trajectory stopped before its plan was completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopReason {
    ClientDeclined,
    Admission,
    Moved,
    Deceased,
    Other,
}

impl StopReason {
    pub const ALL: [StopReason; 5] = [
        StopReason::ClientDeclined,
        StopReason::Admission,
        StopReason::Moved,
        StopReason::Deceased,
        StopReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::ClientDeclined => "client_declined",
            StopReason::Admission => "admission",
            StopReason::Moved => "moved",
            StopReason::Deceased => "deceased",
            StopReason::Other => "other",
        }
    }

    pub fn parse(value: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == value.trim())
            .ok_or(FieldError::new("stop_reason", "error-choice-unknown"))
    }
}

/// The option a trajectory closes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClosureOption {
    /// Option A: no care or support needed any more.
    NoCareNeeded,
    /// Option B: referred on, in the same spirit, with a warm handover note for the receiver.
    /// `detail` names the receiver when `to` is [`ReferralTo::Other`] (and may add to others).
    Referred {
        to: ReferralTo,
        detail: Option<String>,
        handover: String,
    },
    /// Stopped before the plan was completed; `detail` says more (required for "other").
    StoppedEarly {
        reason: StopReason,
        detail: Option<String>,
    },
}

impl ClosureOption {
    pub fn as_str(&self) -> &'static str {
        match self {
            ClosureOption::NoCareNeeded => "no_care_needed",
            ClosureOption::Referred { .. } => "referred",
            ClosureOption::StoppedEarly { .. } => "stopped_early",
        }
    }
}

/// Care still given at closure for one discipline, in minutes per week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareNow {
    pub discipline: Discipline,
    pub minutes: u32,
}

/// How a trajectory ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub option: ClosureOption,
    /// The day it closed; `None` only for closures recorded before the date was asked.
    pub date: Option<Date>,
    /// A short summary; empty only for closures recorded before it was asked.
    pub summary: String,
    /// Care hours per week at closure, per discipline (none listed: no care any more).
    pub care_now: Vec<CareNow>,
}

/// A goal's outcome at closure: achieved, or stopped with a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct GoalOutcomeInput {
    pub goal_id: u32,
    /// `achieved` or `stopped`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub reason: String,
    /// GAS level reached, `-2`…`2`, or empty.
    #[serde(default)]
    pub attained: String,
}

/// Care hours now as typed: a discipline and hours per week.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CareNowInput {
    #[serde(default)]
    pub discipline: String,
    #[serde(default)]
    pub hours: String,
}

/// A goal's final COPM scores as typed at closure; both may be left open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinalScoreInput {
    pub goal_id: u32,
    pub performance: String,
    pub satisfaction: String,
}

/// A closure as typed into the closing page or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosureInput {
    /// `no_care_needed`, `referred` or `stopped_early`.
    pub option: String,
    pub referral_to: String,
    pub referral_detail: String,
    pub handover: String,
    pub stop_reason: String,
    pub stop_detail: String,
    /// `YYYY-MM-DD`; empty means today.
    pub date: String,
    pub summary: String,
    /// Rows with an empty discipline and hours are skipped (a blank row of the form).
    pub care_now: Vec<CareNowInput>,
    /// Outcomes for the goals still active.
    pub goals: Vec<GoalOutcomeInput>,
    /// The final scores of any goal of the plan: the closure's measurement beside the baseline.
    pub scores: Vec<FinalScoreInput>,
}

/// A checked closure and what it does to the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureDecision {
    pub closure: Closure,
    pub date: Date,
    pub goals: Vec<(u32, GoalStatusChange)>,
    /// Score rows dated on the closure day, kept beside the baseline.
    pub scores: Vec<GoalScore>,
}

impl ClosureInput {
    /// Checks the closure against the trajectory: its phase (only stopping early before
    /// execution, see [`Phase::transition`]), its start date (the closure is not before it,
    /// nor after `today`), and its plan: every active goal needs an outcome.
    pub fn validate(
        &self,
        phase: Phase,
        start: Date,
        today: Date,
        plan: &Plan,
    ) -> Result<ClosureDecision, Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(e) = phase.check_accepts_changes() {
            return Err(vec![e]);
        }
        let option = match self.option.trim() {
            "no_care_needed" => Some(ClosureOption::NoCareNeeded),
            "referred" => {
                let to = collect(ReferralTo::parse(&self.referral_to), &mut errors);
                let required = to == Some(ReferralTo::Other);
                let detail = collect(
                    text("referral_detail", &self.referral_detail, required),
                    &mut errors,
                )
                .flatten();
                let handover = collect(text("handover", &self.handover, true), &mut errors)
                    .flatten()
                    .unwrap_or_default();
                to.map(|to| ClosureOption::Referred {
                    to,
                    detail,
                    handover,
                })
            }
            "stopped_early" => {
                let reason = collect(StopReason::parse(&self.stop_reason), &mut errors);
                let required = reason == Some(StopReason::Other);
                let detail = collect(
                    text("stop_detail", &self.stop_detail, required),
                    &mut errors,
                )
                .flatten();
                reason.map(|reason| ClosureOption::StoppedEarly { reason, detail })
            }
            "" => {
                errors.push(FieldError::new("option", "error-closure-required"));
                None
            }
            _ => {
                errors.push(FieldError::new("option", "error-choice-unknown"));
                None
            }
        };
        // The day it closed, like every other day something happened.
        let date = collect(happened_on("date", &self.date, start, today), &mut errors);
        let summary = collect(text("summary", &self.summary, true), &mut errors).flatten();
        let care_now = parse_care_now(&self.care_now, &mut errors);
        let goals = goal_outcomes(&self.goals, plan, &mut errors);
        let scores = final_scores(&self.scores, plan, &goals, &mut errors);
        let (Some(option), Some(date), Some(summary)) = (option, date, summary) else {
            return Err(errors);
        };
        let closure = Closure {
            option,
            date: Some(date),
            summary,
            care_now,
        };
        if let Err(e) = phase.transition(Phase::Afgesloten, Some(&closure)) {
            // The phase rule is about the option chosen.
            errors.push(FieldError::new("option", e.key));
        }
        if errors.is_empty() {
            Ok(ClosureDecision {
                closure,
                scores: scores
                    .into_iter()
                    .map(|score| GoalScore {
                        scored_on: date,
                        ..score
                    })
                    .collect(),
                date,
                goals,
            })
        } else {
            Err(errors)
        }
    }
}

fn parse_care_now(rows: &[CareNowInput], errors: &mut Vec<FieldError>) -> Vec<CareNow> {
    let mut care: Vec<CareNow> = Vec::new();
    for row in rows {
        if row.discipline.trim().is_empty() && row.hours.trim().is_empty() {
            continue;
        }
        let discipline = collect(
            Discipline::parse(row.discipline.trim())
                .map_err(|_| FieldError::new("care_now", "error-discipline-unknown")),
            errors,
        );
        let minutes = collect(parse_hours("care_now", &row.hours), errors);
        if let (Some(discipline), Some(minutes)) = (discipline, minutes) {
            if care.iter().any(|c| c.discipline == discipline) {
                errors.push(FieldError::new("care_now", "error-care-now-twice"));
            } else if minutes > 0 {
                care.push(CareNow {
                    discipline,
                    minutes,
                });
            }
        }
    }
    care
}

/// The final scores typed for goals of the plan (1–10, either may be open; a row with both
/// open is no measurement), with the GAS level the closure settles for that goal. Errors name
/// the goal.
fn final_scores(
    rows: &[FinalScoreInput],
    plan: &Plan,
    outcomes: &[(u32, GoalStatusChange)],
    errors: &mut Vec<FieldError>,
) -> Vec<GoalScore> {
    let mut scores: Vec<GoalScore> = Vec::new();
    for row in rows {
        if plan.goal(row.goal_id).is_none() || scores.iter().any(|s| s.goal_id == row.goal_id) {
            errors.push(FieldError::new("scores", "error-goal-unknown"));
            continue;
        }
        let performance = collect(
            score("performance", &row.performance).map_err(|e| e.in_item(row.goal_id)),
            errors,
        );
        let satisfaction = collect(
            score("satisfaction", &row.satisfaction).map_err(|e| e.in_item(row.goal_id)),
            errors,
        );
        if let (Some(performance), Some(satisfaction)) = (performance, satisfaction)
            && (performance.is_some() || satisfaction.is_some())
        {
            let attained = outcomes
                .iter()
                .find(|(id, _)| *id == row.goal_id)
                .and_then(|(_, change)| change.attained);
            scores.push(GoalScore {
                goal_id: row.goal_id,
                moment: ScoreMoment::Closure,
                // Dated on the closure day once that is known to be valid.
                scored_on: Date::MIN,
                performance,
                satisfaction,
                gas_attained: attained,
                words: None,
            });
        }
    }
    scores
}

/// Every goal still active needs an outcome at closure; outcomes for other goals are refused
/// so that closing never rewrites a goal settled earlier.
fn goal_outcomes(
    rows: &[GoalOutcomeInput],
    plan: &Plan,
    errors: &mut Vec<FieldError>,
) -> Vec<(u32, GoalStatusChange)> {
    let mut outcomes = Vec::new();
    for row in rows {
        match plan.goal(row.goal_id) {
            Some(goal) if goal.status == GoalStatus::Active => {}
            _ => {
                errors.push(FieldError::new("goals", "error-goal-unknown"));
                continue;
            }
        }
        if outcomes.iter().any(|(id, _)| *id == row.goal_id) {
            errors.push(FieldError::new("goals", "error-goal-unknown"));
            continue;
        }
        let status = match row.status.trim() {
            "achieved" => GoalStatus::Achieved,
            "stopped" => GoalStatus::Stopped,
            "" => {
                errors.push(FieldError::new("goals", "error-closure-goal-open"));
                continue;
            }
            _ => {
                errors.push(FieldError::new("goals", "error-choice-unknown"));
                continue;
            }
        };
        let reason = match text("goals", &row.reason, status == GoalStatus::Stopped) {
            Ok(reason) => reason,
            Err(e) => {
                errors.push(FieldError::new(
                    "goals",
                    match e.key {
                        "error-required" => "error-closure-goal-reason",
                        other => other,
                    },
                ));
                continue;
            }
        };
        let attained = match row.attained.trim() {
            "" => None,
            raw => match raw.parse::<i8>() {
                Ok(x @ -2..=2) => Some(x),
                _ => {
                    errors.push(FieldError::new("goals", "error-choice-unknown"));
                    continue;
                }
            },
        };
        outcomes.push((
            row.goal_id,
            GoalStatusChange {
                status,
                reason,
                attained,
            },
        ));
    }
    let open = plan
        .goals
        .iter()
        .filter(|g| g.status == GoalStatus::Active)
        .any(|g| !outcomes.iter().any(|(id, _)| *id == g.id));
    if open && !errors.iter().any(|e| e.field == "goals") {
        errors.push(FieldError::new("goals", "error-closure-goal-open"));
    }
    outcomes
}

impl Plan {
    /// What closing on `date` would leave unsettled: the active goals and the interventions
    /// still running on or after that day.
    pub fn open_at(&self, date: Date) -> (Vec<u32>, Vec<u32>) {
        let goals = self
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
            .map(|g| g.id)
            .collect();
        let interventions = self
            .goals
            .iter()
            .flat_map(|g| &g.interventions)
            .filter(|i| i.end.is_none_or(|end| end > date))
            .map(|i| i.id)
            .collect();
        (goals, interventions)
    }

    /// Settles the plan at closure: the goals get their outcomes and every intervention still
    /// running ends on the closure date.
    pub fn close(&mut self, decision: &ClosureDecision) {
        for (id, change) in &decision.goals {
            // Checked in validation: each id is an active goal of this plan.
            let _ = self.set_goal_status(*id, change.clone());
        }
        let (_, running) = self.open_at(decision.date);
        for id in running {
            let _ = self.end_intervention(id, decision.date);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::GoalInput;
    use time::macros::date;

    const START: Date = date!(2026 - 09 - 01);
    const TODAY: Date = date!(2026 - 12 - 01);

    fn plan_with_goal() -> (Plan, u32) {
        let mut plan = Plan::default();
        let content = GoalInput {
            words: "Zelf douchen".into(),
            expressed_by: "client".into(),
            importance: "8".into(),
            performance: "3".into(),
            satisfaction: "2".into(),
            ..GoalInput::default()
        }
        .validate(&[], &[])
        .unwrap();
        let id = plan.add_goal(content);
        (plan, id)
    }

    fn option_a() -> ClosureInput {
        ClosureInput {
            option: "no_care_needed".into(),
            date: "2026-11-30".into(),
            summary: "Douchet weer zelf.".into(),
            ..ClosureInput::default()
        }
    }

    fn keys(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field, e.key)).collect()
    }

    #[test]
    fn final_scores_are_dated_on_the_closure_day_beside_the_baseline() {
        let (plan, goal) = plan_with_goal();
        let outcome = GoalOutcomeInput {
            goal_id: goal,
            status: "achieved".into(),
            ..GoalOutcomeInput::default()
        };
        let with_scores = |performance: &str, satisfaction: &str| ClosureInput {
            goals: vec![outcome.clone()],
            scores: vec![FinalScoreInput {
                goal_id: goal,
                performance: performance.into(),
                satisfaction: satisfaction.into(),
            }],
            ..option_a()
        };
        let decision = with_scores("8", "")
            .validate(Phase::Uitvoering, START, TODAY, &plan)
            .unwrap();
        assert_eq!(decision.scores.len(), 1);
        let score = &decision.scores[0];
        assert_eq!(score.moment, ScoreMoment::Closure);
        assert_eq!(score.scored_on, date!(2026 - 11 - 30));
        assert_eq!((score.performance, score.satisfaction), (Some(8), None));
        // Both left open: no measurement, no row.
        let none = with_scores("", "")
            .validate(Phase::Uitvoering, START, TODAY, &plan)
            .unwrap();
        assert!(none.scores.is_empty());
        // Out of range: refused, naming the goal.
        let errors = with_scores("11", "3")
            .validate(Phase::Uitvoering, START, TODAY, &plan)
            .unwrap_err();
        assert_eq!(errors[0].name(), format!("performance-{goal}"));
        assert_eq!(errors[0].key, "error-score-1-10");
        // A goal that is not in the plan.
        let mut unknown = with_scores("5", "5");
        unknown.scores[0].goal_id = goal + 7;
        let errors = unknown
            .validate(Phase::Uitvoering, START, TODAY, &plan)
            .unwrap_err();
        assert_eq!(keys(&errors), [("scores", "error-goal-unknown")]);
    }

    #[test]
    fn option_a_closes_from_execution_with_date_summary_and_care_now() {
        let input = ClosureInput {
            care_now: vec![
                CareNowInput {
                    discipline: "verzorgende".into(),
                    hours: "1,5".into(),
                },
                CareNowInput::default(),
            ],
            ..option_a()
        };
        let decision = input
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
            .unwrap();
        assert_eq!(decision.date, date!(2026 - 11 - 30));
        assert_eq!(decision.closure.option, ClosureOption::NoCareNeeded);
        assert_eq!(decision.closure.summary, "Douchet weer zelf.");
        assert_eq!(
            decision.closure.care_now,
            [CareNow {
                discipline: Discipline::Verzorgende,
                minutes: 90
            }]
        );
        let today = ClosureInput {
            date: String::new(),
            ..option_a()
        };
        let decision = today
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
            .unwrap();
        assert_eq!(decision.closure.date, Some(TODAY));
    }

    #[test]
    fn only_stopping_early_closes_before_execution() {
        for phase in [
            Phase::Aanmelding,
            Phase::Vraagverheldering,
            Phase::Planvorming,
        ] {
            let errors = option_a()
                .validate(phase, START, TODAY, &Plan::default())
                .unwrap_err();
            assert_eq!(
                keys(&errors),
                [("option", "error-closure-stopped-early-only")]
            );
            let stopped = ClosureInput {
                option: "stopped_early".into(),
                stop_reason: "moved".into(),
                ..option_a()
            };
            assert!(
                stopped
                    .validate(phase, START, TODAY, &Plan::default())
                    .is_ok()
            );
        }
        let closed = option_a()
            .validate(Phase::Afgesloten, START, TODAY, &Plan::default())
            .unwrap_err();
        assert_eq!(keys(&closed), [("form", "error-trajectory-closed")]);
    }

    #[test]
    fn the_date_is_not_in_the_future_nor_before_the_start() {
        let at = |date: &str| {
            ClosureInput {
                date: date.into(),
                ..option_a()
            }
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
        };
        assert_eq!(
            keys(&at("2026-12-02").unwrap_err()),
            [("date", "error-date-future")]
        );
        assert_eq!(
            keys(&at("2026-08-31").unwrap_err()),
            [("date", "error-date-before-start")]
        );
        assert_eq!(
            keys(&at("1-12-2026").unwrap_err()),
            [("date", "error-date-format")]
        );
        assert!(at("2026-09-01").is_ok() && at("2026-12-01").is_ok());
    }

    #[test]
    fn a_referral_names_where_and_carries_a_handover_note() {
        let referred = |to: &str, detail: &str, handover: &str| ClosureInput {
            option: "referred".into(),
            referral_to: to.into(),
            referral_detail: detail.into(),
            handover: handover.into(),
            ..option_a()
        };
        let errors = referred("other", "", "")
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
            .unwrap_err();
        assert_eq!(
            keys(&errors),
            [
                ("referral_detail", "error-required"),
                ("handover", "error-required")
            ]
        );
        let errors = referred("huisarts", "", "Let op de trap.")
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
            .unwrap_err();
        assert_eq!(keys(&errors), [("referral_to", "error-choice-unknown")]);
        let decision = referred("wlz", "", "Mevrouw wil graag 's ochtends.")
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
            .unwrap();
        assert_eq!(
            decision.closure.option,
            ClosureOption::Referred {
                to: ReferralTo::Wlz,
                detail: None,
                handover: "Mevrouw wil graag 's ochtends.".into()
            }
        );
    }

    #[test]
    fn stopping_early_names_a_reason_and_other_needs_words() {
        let stopped = |reason: &str, detail: &str| ClosureInput {
            option: "stopped_early".into(),
            stop_reason: reason.into(),
            stop_detail: detail.into(),
            ..option_a()
        };
        let check = |input: ClosureInput| {
            input.validate(Phase::Planvorming, START, TODAY, &Plan::default())
        };
        assert_eq!(
            keys(&check(stopped("other", " ")).unwrap_err()),
            [("stop_detail", "error-required")]
        );
        assert_eq!(
            keys(&check(stopped("", "")).unwrap_err()),
            [("stop_reason", "error-choice-unknown")]
        );
        for reason in StopReason::ALL {
            assert_eq!(StopReason::parse(reason.as_str()), Ok(reason));
            assert!(check(stopped(reason.as_str(), "toelichting")).is_ok());
        }
        for to in ReferralTo::ALL {
            assert_eq!(ReferralTo::parse(to.as_str()), Ok(to));
        }
        let nothing = ClosureInput::default()
            .validate(Phase::Uitvoering, START, TODAY, &Plan::default())
            .unwrap_err();
        assert_eq!(
            keys(&nothing),
            [
                ("option", "error-closure-required"),
                ("summary", "error-required")
            ]
        );
    }

    #[test]
    fn active_goals_need_an_outcome_and_running_interventions_end_on_the_date() {
        let (mut plan, goal) = plan_with_goal();
        let intervention = plan
            .add_intervention(
                goal,
                crate::plan::InterventionContent {
                    catalogue_id: 1,
                    frequency: "dagelijks".into(),
                    start: START,
                    end: None,
                },
                crate::Responsible::Client,
            )
            .unwrap();
        assert_eq!(plan.open_at(TODAY), (vec![goal], vec![intervention]));
        let errors = option_a()
            .validate(Phase::Uitvoering, START, TODAY, &plan)
            .unwrap_err();
        assert_eq!(keys(&errors), [("goals", "error-closure-goal-open")]);
        let stopped_without_reason = ClosureInput {
            goals: vec![GoalOutcomeInput {
                goal_id: goal,
                status: "stopped".into(),
                ..GoalOutcomeInput::default()
            }],
            ..option_a()
        };
        assert_eq!(
            keys(
                &stopped_without_reason
                    .validate(Phase::Uitvoering, START, TODAY, &plan)
                    .unwrap_err()
            ),
            [("goals", "error-closure-goal-reason")]
        );
        let unknown = ClosureInput {
            goals: vec![GoalOutcomeInput {
                goal_id: 99,
                status: "achieved".into(),
                ..GoalOutcomeInput::default()
            }],
            ..option_a()
        };
        assert!(
            keys(
                &unknown
                    .validate(Phase::Uitvoering, START, TODAY, &plan)
                    .unwrap_err()
            )
            .contains(&("goals", "error-goal-unknown"))
        );
        let achieved = ClosureInput {
            goals: vec![GoalOutcomeInput {
                goal_id: goal,
                status: "achieved".into(),
                ..GoalOutcomeInput::default()
            }],
            ..option_a()
        };
        let decision = achieved
            .validate(Phase::Uitvoering, START, TODAY, &plan)
            .unwrap();
        plan.close(&decision);
        assert_eq!(plan.goal(goal).unwrap().status, GoalStatus::Achieved);
        let ended = plan.goal(goal).unwrap().interventions[0].end;
        assert_eq!(ended, Some(date!(2026 - 11 - 30)));
        assert_eq!(plan.open_at(date!(2026 - 11 - 30)), (vec![], vec![]));
    }
}
