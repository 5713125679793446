//! The plan (seed 004 step 5): goals, the interventions for them with who does what, an
//! agreement per daily activity, and planned care that tapers off.
//!
//! A plan is kept as versions. Every change produces a new, complete [`Plan`]; storage keeps each
//! one with who, when and why, so an earlier version reads exactly as it was and two versions
//! can be compared with [`compare`].

use crate::assessment::SupportLevel;
use crate::goal::{Goal, GoalContent, GoalStatus, GoalStatusChange};
use crate::people::Discipline;
use crate::validation::{FieldError, collect, optional_date, text};
use time::{Date, Duration};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    pub goals: Vec<Goal>,
    pub agreements: Vec<Agreement>,
    pub care: Vec<PlannedCare>,
    /// Goals and interventions are numbered within the plan and keep their number for good.
    next_id: u32,
}

/// Who carries out an intervention. Names are kept as they were, so old versions read right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Responsible {
    Client,
    NetworkMember { id: i64, name: String },
    Discipline { discipline: Discipline },
    Professional { user_id: i64, name: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedIntervention {
    pub id: u32,
    /// The catalogue entry; retired entries stay readable.
    pub catalogue_id: i64,
    pub responsible: Responsible,
    pub frequency: String,
    pub start: Date,
    pub end: Option<Date>,
}

impl PlannedIntervention {
    pub fn runs_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}

/// An intervention as typed into a form; `responsible` is resolved by the caller, which knows
/// the team and the network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterventionInput {
    pub catalogue_id: String,
    pub responsible: String,
    pub frequency: String,
    pub start: String,
    pub end: String,
}

/// The checked parts of an intervention, before it gets its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionContent {
    pub catalogue_id: i64,
    pub frequency: String,
    pub start: Date,
    pub end: Option<Date>,
}

impl InterventionInput {
    /// Checks the parts that need no lookup; an empty start means `today`.
    pub fn validate(&self, today: Date) -> Result<InterventionContent, Vec<FieldError>> {
        let mut errors = Vec::new();
        let catalogue_id = match self.catalogue_id.trim().parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                errors.push(FieldError::new("catalogue_id", "error-required"));
                None
            }
        };
        let frequency = collect(text("frequency", &self.frequency, true), &mut errors).flatten();
        let start = collect(optional_date("start", &self.start), &mut errors).flatten();
        let end = collect(optional_date("end", &self.end), &mut errors).flatten();
        let start = start.unwrap_or(today);
        if end.is_some_and(|end| end < start) {
            errors.push(FieldError::new("end", "error-end-before-start"));
        }
        match (catalogue_id, frequency) {
            (Some(catalogue_id), Some(frequency)) if errors.is_empty() => Ok(InterventionContent {
                catalogue_id,
                frequency,
                start,
                end,
            }),
            _ => Err(errors),
        }
    }
}

/// What the client does and what the team supports for one daily activity, so that every
/// colleague works the same way ("alleen de rug wassen, de rest doet meneer zelf").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// The daily-activity item key.
    pub activity: String,
    pub support: SupportLevel,
    pub client_does: String,
    pub team_does: String,
    /// Graded steps towards doing it alone, in order.
    pub steps: Vec<String>,
    /// Index into `steps` of the step the client is on now.
    pub current_step: Option<usize>,
    pub aid_ids: Vec<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgreementInput {
    pub activity: String,
    pub support: String,
    pub client_does: String,
    pub team_does: String,
    /// Step texts in order; empty ones are dropped.
    pub steps: Vec<String>,
    /// Position (0-based) in `steps` as given, blanks included.
    pub current_step: Option<usize>,
    pub aid_ids: Vec<i64>,
}

/// At most this many graded steps per agreement.
pub const MAX_STEPS: usize = 8;

impl AgreementInput {
    /// Checks an agreement for one of `activities` (item keys) with aids from `known_aids`.
    pub fn validate(
        &self,
        activities: &[&str],
        known_aids: &[i64],
    ) -> Result<Agreement, Vec<FieldError>> {
        let mut errors = Vec::new();
        let activity = self.activity.trim();
        if !activities.contains(&activity) {
            errors.push(FieldError::new("activity", "error-choice-unknown"));
        }
        let support = match self.support.trim().parse::<u8>() {
            Ok(n) => collect(SupportLevel::from_value(n), &mut errors),
            Err(_) => {
                errors.push(FieldError::new("support", "error-support-range"));
                None
            }
        };
        let client_does =
            collect(text("client_does", &self.client_does, true), &mut errors).flatten();
        // The team does nothing when the client does it alone; otherwise say what.
        let team_required = support.is_some_and(|s| s != SupportLevel::Independent);
        let team_does = collect(
            text("team_does", &self.team_does, team_required),
            &mut errors,
        )
        .flatten();
        let mut steps = Vec::new();
        let mut current_step = None;
        for (position, raw) in self.steps.iter().enumerate() {
            if let Some(step) = collect(text("steps", raw, false), &mut errors).flatten() {
                if self.current_step == Some(position) {
                    current_step = Some(steps.len());
                }
                steps.push(step);
            }
        }
        // Counted as sent, blanks included: the form never offers more rows, and a bound on
        // the positions is what lets the API state where `current_step` may point.
        if self.steps.len() > MAX_STEPS {
            errors.push(FieldError::new("steps", "error-too-many-steps"));
        }
        if self.current_step.is_some() && current_step.is_none() {
            errors.push(FieldError::new("current_step", "error-current-step"));
        }
        if self.aid_ids.iter().any(|id| !known_aids.contains(id)) {
            errors.push(FieldError::new("aid_ids", "error-choice-unknown"));
        }
        let mut aid_ids = self.aid_ids.clone();
        aid_ids.sort_unstable();
        aid_ids.dedup();
        match (support, client_does) {
            (Some(support), Some(client_does)) if errors.is_empty() => Ok(Agreement {
                activity: activity.to_string(),
                support,
                client_does,
                team_does: team_does.unwrap_or_default(),
                steps,
                current_step,
                aid_ids,
            }),
            _ => Err(errors),
        }
    }
}

/// Planned care for one discipline: minutes per week, tapering linearly from a first week to a
/// last.
///
/// A change applies from a chosen week on, and the weeks before keep what was planned then.
/// So a care line is a list of tapers, each starting at its own trajectory week (week 1 is
/// the week the trajectory started): `earlier` holds the tapers that applied before
/// `from_week`, oldest first, and `start_minutes`/`end_minutes`/`weeks` are the taper in force
/// from `from_week` on. A week is planned by the last taper that starts on or before it; a
/// week before the first taper, or past a taper's last week, has nothing planned. The taper in
/// force stays in the plain fields because it is what the plan shows and a form changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCare {
    pub discipline: Discipline,
    pub start_minutes: u32,
    pub end_minutes: u32,
    pub weeks: u16,
    /// The trajectory week the taper above applies from.
    pub from_week: u16,
    /// What applied before `from_week`, oldest first.
    pub earlier: Vec<CareTaper>,
}

/// One taper of a care line: from `start_minutes` in week `from_week` to `end_minutes` in its
/// last week, over `weeks` weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CareTaper {
    pub from_week: u16,
    pub start_minutes: u32,
    pub end_minutes: u32,
    pub weeks: u16,
}

/// Planned minutes are rounded to whole quarters of an hour.
const QUARTER: u32 = 15;
pub const MAX_WEEKS: u16 = 52;

impl CareTaper {
    /// Minutes for each of its weeks: the first at the start level, the last at the end
    /// level, the weeks between on the straight line, to the nearest quarter hour.
    pub fn schedule(&self) -> Vec<u32> {
        let weeks = u32::from(self.weeks.max(1));
        if weeks == 1 {
            return vec![self.start_minutes];
        }
        let (start, end) = (i64::from(self.start_minutes), i64::from(self.end_minutes));
        (0..weeks)
            .map(|week| {
                let exact = start * i64::from(weeks - 1 - week) + end * i64::from(week);
                let span = i64::from(weeks - 1);
                // Round half up to a quarter: exact/span minutes → quarters.
                let quarters =
                    (2 * exact + i64::from(QUARTER) * span) / (2 * i64::from(QUARTER) * span);
                u32::try_from(quarters).unwrap_or(0) * QUARTER
            })
            .collect()
    }

    /// Minutes in trajectory week `week`, if it is one of this taper's weeks.
    fn minutes_in(&self, week: u16) -> Option<u32> {
        let index = week.checked_sub(self.from_week.max(1))?;
        self.schedule().get(usize::from(index)).copied()
    }
}

impl PlannedCare {
    /// One taper from week 1: care as planned when the trajectory starts.
    pub fn from_start(
        discipline: Discipline,
        start_minutes: u32,
        end_minutes: u32,
        weeks: u16,
    ) -> Self {
        PlannedCare {
            discipline,
            start_minutes,
            end_minutes,
            weeks,
            from_week: 1,
            earlier: Vec::new(),
        }
    }

    /// The taper in force from `from_week`.
    pub fn current(&self) -> CareTaper {
        CareTaper {
            from_week: self.from_week,
            start_minutes: self.start_minutes,
            end_minutes: self.end_minutes,
            weeks: self.weeks,
        }
    }

    /// Every taper, oldest first, the one in force last.
    pub fn tapers(&self) -> impl Iterator<Item = CareTaper> + '_ {
        self.earlier
            .iter()
            .copied()
            .chain(std::iter::once(self.current()))
    }

    /// The last trajectory week anything is planned in.
    pub fn last_week(&self) -> u16 {
        self.from_week.max(1) - 1 + self.weeks.max(1)
    }

    /// Minutes planned in trajectory week `week` (1-based): by the last taper starting on or
    /// before it.
    pub fn minutes_in_week(&self, week: u16) -> Option<u32> {
        self.tapers()
            .filter(|t| t.from_week.max(1) <= week)
            .last()?
            .minutes_in(week)
    }

    /// Minutes per week for week 1…[`Self::last_week`], nothing planned counting as 0.
    pub fn schedule(&self) -> Vec<u32> {
        (1..=self.last_week())
            .map(|week| self.minutes_in_week(week).unwrap_or(0))
            .collect()
    }

    /// Minutes planned in the week that contains `day`, counting weeks from `start`; none
    /// before the start or outside every taper.
    pub fn minutes_in_week_of(&self, start: Date, day: Date) -> Option<u32> {
        let days = (day - start).whole_days();
        if days < 0 {
            return None;
        }
        let week = u16::try_from(days / 7 + 1).ok()?;
        self.minutes_in_week(week)
    }
}

/// The trajectory week (1-based) that contains `day`, for a trajectory that started on
/// `start`; week 1 for days before the start.
pub fn week_of(start: Date, day: Date) -> u16 {
    u16::try_from((day - start).whole_days().max(0) / 7 + 1).unwrap_or(u16::MAX)
}

/// Hours as typed in Dutch or English ("3,5", "3.5", "2") to whole minutes.
pub fn parse_hours(field: &'static str, raw: &str) -> Result<u32, FieldError> {
    let raw = raw.trim().replace(',', ".");
    let hours: f64 = raw
        .parse()
        .map_err(|_| FieldError::new(field, "error-hours"))?;
    if !(0.0..=168.0).contains(&hours) || !hours.is_finite() {
        return Err(FieldError::new(field, "error-hours"));
    }
    Ok((hours * 60.0).round() as u32)
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CareInput {
    pub discipline: String,
    pub start_hours: String,
    pub end_hours: String,
    pub weeks: String,
    /// The trajectory week the change applies from; blank is the current week.
    pub from_week: String,
}

impl CareInput {
    /// A taper from the week chosen: never a week before `current_week`, so what was planned
    /// for weeks already past stays as it was.
    pub fn validate(&self, current_week: u16) -> Result<PlannedCare, Vec<FieldError>> {
        let mut errors = Vec::new();
        let from_week = match self.from_week.trim() {
            "" => Some(current_week),
            typed => match typed.parse::<u16>() {
                Ok(w) if w < current_week => {
                    errors.push(FieldError::new("from_week", "error-from-week-past"));
                    None
                }
                Ok(w @ 1..=MAX_WEEKS) => Some(w),
                _ => {
                    errors.push(FieldError::new("from_week", "error-from-week"));
                    None
                }
            },
        };
        let discipline = collect(
            Discipline::parse(self.discipline.trim())
                .map_err(|_| FieldError::new("discipline", "error-discipline-unknown")),
            &mut errors,
        );
        let start = collect(parse_hours("start_hours", &self.start_hours), &mut errors);
        let end = collect(parse_hours("end_hours", &self.end_hours), &mut errors);
        let weeks = match self.weeks.trim().parse::<u16>() {
            Ok(w @ 1..=MAX_WEEKS) => Some(w),
            _ => {
                errors.push(FieldError::new("weeks", "error-weeks"));
                None
            }
        };
        if let (Some(start), Some(end)) = (start, end)
            && end > start
        {
            errors.push(FieldError::new("end_hours", "error-taper-increases"));
        }
        match (discipline, start, end, weeks, from_week) {
            (
                Some(discipline),
                Some(start_minutes),
                Some(end_minutes),
                Some(weeks),
                Some(from_week),
            ) if errors.is_empty() => Ok(PlannedCare {
                from_week,
                ..PlannedCare::from_start(discipline, start_minutes, end_minutes, weeks)
            }),
            _ => Err(errors),
        }
    }
}

/// A change a plan operation refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    NoSuchGoal,
    NoSuchIntervention,
    NoSuchCare,
    /// The baseline scores of a goal stay as they were once it has been evaluated.
    BaselineKept,
}

impl PlanError {
    pub fn field_error(self) -> FieldError {
        match self {
            PlanError::NoSuchGoal => FieldError::new("goal", "error-goal-unknown"),
            PlanError::NoSuchIntervention => {
                FieldError::new("intervention", "error-intervention-unknown")
            }
            PlanError::NoSuchCare => FieldError::new("discipline", "error-discipline-unknown"),
            PlanError::BaselineKept => FieldError::new("performance", "error-baseline-kept"),
        }
    }
}

impl Plan {
    /// A plan put back together from its parts, as storage kept them. `last_id` is the last
    /// number handed out; numbers in use count too, so a plan kept without its counter never
    /// hands a number out twice.
    pub fn restore(
        goals: Vec<Goal>,
        agreements: Vec<Agreement>,
        care: Vec<PlannedCare>,
        last_id: u32,
    ) -> Self {
        let in_use = goals
            .iter()
            .flat_map(|g| std::iter::once(g.id).chain(g.interventions.iter().map(|i| i.id)))
            .max()
            .unwrap_or(0);
        Plan {
            goals,
            agreements,
            care,
            next_id: last_id.max(in_use),
        }
    }

    /// The last number handed out to a goal or intervention (0: none yet).
    pub fn last_id(&self) -> u32 {
        self.next_id
    }

    fn next_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    pub fn goal(&self, id: u32) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    fn goal_mut(&mut self, id: u32) -> Result<&mut Goal, PlanError> {
        self.goals
            .iter_mut()
            .find(|g| g.id == id)
            .ok_or(PlanError::NoSuchGoal)
    }

    /// Adds an active goal; returns its number.
    pub fn add_goal(&mut self, content: GoalContent) -> u32 {
        let id = self.next_id();
        self.goals.push(Goal {
            id,
            words: content.words,
            expressed_by: content.expressed_by,
            life_domains: content.life_domains,
            activities: content.activities,
            baseline: content.baseline,
            gas: content.gas,
            target_date: content.target_date,
            status: GoalStatus::Active,
            status_reason: None,
            interventions: Vec::new(),
        });
        id
    }

    /// Rewrites a goal's content, keeping its number, status, interventions and GAS score.
    /// Once the trajectory has been `evaluated`, the baseline scores no longer change: later
    /// scores are rows of their own beside it.
    pub fn rewrite_goal(
        &mut self,
        id: u32,
        content: GoalContent,
        evaluated: bool,
    ) -> Result<(), PlanError> {
        let goal = self.goal_mut(id)?;
        if evaluated && content.baseline != goal.baseline {
            return Err(PlanError::BaselineKept);
        }
        let attained = goal.gas.as_ref().and_then(|g| g.attained);
        goal.words = content.words;
        goal.expressed_by = content.expressed_by;
        goal.life_domains = content.life_domains;
        goal.activities = content.activities;
        goal.baseline = content.baseline;
        goal.gas = content.gas.map(|mut gas| {
            gas.attained = attained;
            gas
        });
        goal.target_date = content.target_date;
        Ok(())
    }

    pub fn set_goal_status(&mut self, id: u32, change: GoalStatusChange) -> Result<(), PlanError> {
        let goal = self.goal_mut(id)?;
        goal.status = change.status;
        goal.status_reason = change.reason;
        if let (Some(gas), Some(level)) = (goal.gas.as_mut(), change.attained) {
            gas.attained = Some(level);
        }
        Ok(())
    }

    pub fn add_intervention(
        &mut self,
        goal_id: u32,
        content: InterventionContent,
        responsible: Responsible,
    ) -> Result<u32, PlanError> {
        self.goal_mut(goal_id)?;
        let id = self.next_id();
        self.goal_mut(goal_id)?
            .interventions
            .push(PlannedIntervention {
                id,
                catalogue_id: content.catalogue_id,
                responsible,
                frequency: content.frequency,
                start: content.start,
                end: content.end,
            });
        Ok(id)
    }

    /// Ends a running intervention on `day` (it stays in the plan, ended).
    pub fn end_intervention(&mut self, id: u32, day: Date) -> Result<(), PlanError> {
        let intervention = self
            .goals
            .iter_mut()
            .flat_map(|g| g.interventions.iter_mut())
            .find(|i| i.id == id)
            .ok_or(PlanError::NoSuchIntervention)?;
        let end = day.max(intervention.start);
        intervention.end = Some(intervention.end.map_or(end, |e| e.min(end)));
        Ok(())
    }

    /// Sets the agreement for an activity, replacing an earlier one for the same activity.
    pub fn set_agreement(&mut self, agreement: Agreement) {
        match self
            .agreements
            .iter_mut()
            .find(|a| a.activity == agreement.activity)
        {
            Some(existing) => *existing = agreement,
            None => self.agreements.push(agreement),
        }
    }

    pub fn agreement(&self, activity: &str) -> Option<&Agreement> {
        self.agreements.iter().find(|a| a.activity == activity)
    }

    /// Sets the planned care of a discipline from `care.from_week` on: the tapers of an
    /// earlier plan for it keep the weeks before that week, and what they planned from that
    /// week on is replaced. (`care.earlier` is ignored: the plan's own history counts.)
    pub fn set_care(&mut self, mut care: PlannedCare) {
        let from = care.from_week.max(1);
        care.from_week = from;
        match self
            .care
            .iter_mut()
            .find(|c| c.discipline == care.discipline)
        {
            Some(existing) => {
                care.earlier = existing
                    .tapers()
                    .filter(|t| t.from_week.max(1) < from)
                    .collect();
                *existing = care;
            }
            None => {
                care.earlier = Vec::new();
                self.care.push(care);
            }
        }
    }

    pub fn remove_care(&mut self, discipline: Discipline) -> Result<(), PlanError> {
        let before = self.care.len();
        self.care.retain(|c| c.discipline != discipline);
        if self.care.len() == before {
            return Err(PlanError::NoSuchCare);
        }
        Ok(())
    }

    /// Interventions of active goals that run on `day`.
    pub fn running_on(&self, day: Date) -> usize {
        self.goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
            .flat_map(|g| &g.interventions)
            .filter(|i| i.runs_on(day))
            .count()
    }

    /// The most interventions of active goals running at once from `from` on, and the first
    /// day that happens (seed 001: not too many at once). The busiest day is always a day on
    /// which some intervention starts, or `from` itself.
    pub fn peak_load(&self, from: Date) -> (usize, Date) {
        let mut days: Vec<Date> = self
            .goals
            .iter()
            .filter(|g| g.status == GoalStatus::Active)
            .flat_map(|g| &g.interventions)
            .map(|i| i.start.max(from))
            .collect();
        days.push(from);
        days.sort_unstable();
        days.dedup();
        days.into_iter()
            .map(|day| (self.running_on(day), day))
            .fold(
                (0, from),
                |best, next| if next.0 > best.0 { next } else { best },
            )
    }

    /// The GAS T-score over goals with a GAS scale that have been scored.
    pub fn gas_t_score(&self) -> Option<f64> {
        let scored: Vec<(f64, i8)> = self
            .goals
            .iter()
            .filter_map(|g| g.gas.as_ref())
            .filter_map(|gas| gas.attained.map(|x| (f64::from(gas.weight), x)))
            .collect();
        crate::goal::gas_t_score(&scored)
    }

    /// Planned minutes in the week containing `day`, per discipline, for a trajectory that
    /// started on `start`.
    pub fn planned_minutes(&self, start: Date, day: Date) -> u32 {
        self.care
            .iter()
            .filter_map(|c| c.minutes_in_week_of(start, day))
            .sum()
    }
}

/// The first day of week `week` (1-based) of a trajectory starting on `start`.
pub fn week_start(start: Date, week: u16) -> Date {
    start + Duration::weeks(i64::from(week.saturating_sub(1)))
}

/// What a change between two versions touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Goal { id: u32 },
    Intervention { goal_id: u32, id: u32 },
    Agreement { activity: String },
    Care { discipline: Discipline },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    /// Which fields differ, by name.
    Changed(Vec<&'static str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanChange {
    pub subject: Subject,
    pub kind: ChangeKind,
}

/// Names the fields that differ between two values, from `(name, equal?)` pairs.
fn differing(fields: &[(&'static str, bool)]) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|(_, same)| !same)
        .map(|(name, _)| *name)
        .collect()
}

fn goal_fields(a: &Goal, b: &Goal) -> Vec<&'static str> {
    differing(&[
        ("words", a.words == b.words),
        ("expressed_by", a.expressed_by == b.expressed_by),
        ("life_domains", a.life_domains == b.life_domains),
        ("activities", a.activities == b.activities),
        ("baseline", a.baseline == b.baseline),
        ("gas", a.gas == b.gas),
        ("target_date", a.target_date == b.target_date),
        (
            "status",
            a.status == b.status && a.status_reason == b.status_reason,
        ),
    ])
}

fn intervention_fields(a: &PlannedIntervention, b: &PlannedIntervention) -> Vec<&'static str> {
    differing(&[
        ("catalogue_id", a.catalogue_id == b.catalogue_id),
        ("responsible", a.responsible == b.responsible),
        ("frequency", a.frequency == b.frequency),
        ("start", a.start == b.start),
        ("end", a.end == b.end),
    ])
}

fn agreement_fields(a: &Agreement, b: &Agreement) -> Vec<&'static str> {
    differing(&[
        ("support", a.support == b.support),
        ("client_does", a.client_does == b.client_does),
        ("team_does", a.team_does == b.team_does),
        ("steps", a.steps == b.steps),
        ("current_step", a.current_step == b.current_step),
        ("aid_ids", a.aid_ids == b.aid_ids),
    ])
}

fn care_fields(a: &PlannedCare, b: &PlannedCare) -> Vec<&'static str> {
    differing(&[
        ("start_hours", a.start_minutes == b.start_minutes),
        ("end_hours", a.end_minutes == b.end_minutes),
        ("weeks", a.weeks == b.weeks),
        ("from_week", a.from_week == b.from_week),
    ])
}

/// Pairs up items of two lists by key and reports what was added, removed or changed.
fn compare_lists<T, K: PartialEq>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> K,
    subject: impl Fn(&T) -> Subject,
    fields: impl Fn(&T, &T) -> Vec<&'static str>,
    changes: &mut Vec<PlanChange>,
) {
    for item in new {
        match old.iter().find(|o| key(o) == key(item)) {
            None => changes.push(PlanChange {
                subject: subject(item),
                kind: ChangeKind::Added,
            }),
            Some(before) => {
                let differ = fields(before, item);
                if !differ.is_empty() {
                    changes.push(PlanChange {
                        subject: subject(item),
                        kind: ChangeKind::Changed(differ),
                    });
                }
            }
        }
    }
    for item in old {
        if !new.iter().any(|n| key(n) == key(item)) {
            changes.push(PlanChange {
                subject: subject(item),
                kind: ChangeKind::Removed,
            });
        }
    }
}

/// Everything that differs from `old` to `new`: goals, their interventions, agreements and
/// planned care, in the order of the newer version.
pub fn compare(old: &Plan, new: &Plan) -> Vec<PlanChange> {
    let mut changes = Vec::new();
    compare_lists(
        &old.goals,
        &new.goals,
        |g| g.id,
        |g| Subject::Goal { id: g.id },
        goal_fields,
        &mut changes,
    );
    let interventions = |plan: &Plan| -> Vec<(u32, PlannedIntervention)> {
        plan.goals
            .iter()
            .flat_map(|g| g.interventions.iter().map(move |i| (g.id, i.clone())))
            .collect()
    };
    compare_lists(
        &interventions(old),
        &interventions(new),
        |(_, i)| i.id,
        |(goal_id, i)| Subject::Intervention {
            goal_id: *goal_id,
            id: i.id,
        },
        |(_, a), (_, b)| intervention_fields(a, b),
        &mut changes,
    );
    compare_lists(
        &old.agreements,
        &new.agreements,
        |a| a.activity.clone(),
        |a| Subject::Agreement {
            activity: a.activity.clone(),
        },
        agreement_fields,
        &mut changes,
    );
    compare_lists(
        &old.care,
        &new.care,
        |c| c.discipline,
        |c| Subject::Care {
            discipline: c.discipline,
        },
        care_fields,
        &mut changes,
    );
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goal::{CopmScores, ExpressedBy};
    use time::macros::date;

    fn goal(words: &str) -> GoalContent {
        GoalContent {
            words: words.into(),
            expressed_by: ExpressedBy::Client,
            life_domains: vec![],
            activities: vec!["wassen".into()],
            baseline: CopmScores::default(),
            gas: None,
            target_date: None,
        }
    }

    fn intervention(catalogue_id: i64, start: Date, end: Option<Date>) -> InterventionContent {
        InterventionContent {
            catalogue_id,
            frequency: "2× per week".into(),
            start,
            end,
        }
    }

    fn agreement(support: &str, steps: &[&str], current: Option<usize>) -> AgreementInput {
        AgreementInput {
            activity: "wassen".into(),
            support: support.into(),
            client_does: "Wast gezicht, armen en benen zelf".into(),
            team_does: "Wast alleen de rug".into(),
            steps: steps.iter().map(|s| s.to_string()).collect(),
            current_step: current,
            aid_ids: vec![],
        }
    }

    #[test]
    fn goals_and_interventions_keep_their_numbers_across_versions() {
        let mut plan = Plan::default();
        let shower = plan.add_goal(goal("Zelf douchen"));
        let shop = plan.add_goal(goal("Zelf boodschappen doen"));
        let walk = plan
            .add_intervention(
                shop,
                intervention(1, date!(2026 - 11 - 01), None),
                Responsible::Client,
            )
            .unwrap();
        assert_eq!((shower, shop, walk), (1, 2, 3));
        // A version put back together from storage continues the numbering.
        let mut next = Plan::restore(
            plan.goals.clone(),
            plan.agreements.clone(),
            plan.care.clone(),
            plan.last_id(),
        );
        assert_eq!(next, plan);
        assert_eq!(next.add_goal(goal("Naar de markt")), 4);
        // Also when it was kept without its counter: numbers in use are not handed out again.
        let mut forgetful = Plan::restore(plan.goals.clone(), vec![], vec![], 0);
        assert_eq!(forgetful.add_goal(goal("Naar de markt")), 4);
        assert_eq!(
            plan.add_intervention(
                99,
                intervention(1, date!(2026 - 11 - 01), None),
                Responsible::Client
            ),
            Err(PlanError::NoSuchGoal)
        );
    }

    #[test]
    fn comparing_versions_names_what_was_added_removed_and_changed() {
        let mut v1 = Plan::default();
        let shower = v1.add_goal(goal("Zelf douchen"));
        v1.set_agreement(
            agreement("2", &[], None)
                .validate(&["wassen"], &[])
                .unwrap(),
        );
        let mut v2 = v1.clone();
        v2.set_goal_status(
            shower,
            GoalStatusChange {
                status: GoalStatus::Achieved,
                reason: None,
                attained: None,
            },
        )
        .unwrap();
        let coffee = v2.add_goal(goal("Zelf koffie zetten"));
        let int = v2
            .add_intervention(
                coffee,
                intervention(7, date!(2026 - 11 - 02), None),
                Responsible::Discipline {
                    discipline: Discipline::Ergotherapeut,
                },
            )
            .unwrap();
        v2.set_agreement(
            agreement("1", &["Eerst de armen", "Dan ook de benen"], Some(0))
                .validate(&["wassen"], &[])
                .unwrap(),
        );
        v2.set_care(PlannedCare::from_start(Discipline::Verzorgende, 300, 60, 6));
        let changes = compare(&v1, &v2);
        assert_eq!(
            changes,
            vec![
                PlanChange {
                    subject: Subject::Goal { id: shower },
                    kind: ChangeKind::Changed(vec!["status"])
                },
                PlanChange {
                    subject: Subject::Goal { id: coffee },
                    kind: ChangeKind::Added
                },
                PlanChange {
                    subject: Subject::Intervention {
                        goal_id: coffee,
                        id: int
                    },
                    kind: ChangeKind::Added
                },
                PlanChange {
                    subject: Subject::Agreement {
                        activity: "wassen".into()
                    },
                    kind: ChangeKind::Changed(vec!["support", "steps", "current_step"])
                },
                PlanChange {
                    subject: Subject::Care {
                        discipline: Discipline::Verzorgende
                    },
                    kind: ChangeKind::Added
                },
            ]
        );
        // The other way round, the same things were removed.
        let back = compare(&v2, &v1);
        assert!(back.contains(&PlanChange {
            subject: Subject::Goal { id: coffee },
            kind: ChangeKind::Removed
        }));
        assert!(compare(&v2, &v2).is_empty());
    }

    #[test]
    fn an_agreement_keeps_its_steps_and_knows_the_current_one() {
        let agreed = agreement("1", &["Eerst de armen", " ", "Dan de benen"], Some(2))
            .validate(&["wassen"], &[])
            .unwrap();
        assert_eq!(agreed.steps, vec!["Eerst de armen", "Dan de benen"]);
        assert_eq!(agreed.current_step, Some(1));
        assert_eq!(agreed.support, SupportLevel::Light);
        // Pointing at a blank step, or with support but no word on what the team does.
        let mut wrong = agreement("3", &["a", ""], Some(1));
        wrong.team_does = String::new();
        wrong.aid_ids = vec![5];
        let fields: Vec<_> = wrong
            .validate(&["wassen"], &[1])
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["team_does", "current_step", "aid_ids"]);
        // Doing it alone needs no team part.
        let mut alone = agreement("0", &[], None);
        alone.team_does = String::new();
        assert!(alone.validate(&["wassen"], &[]).is_ok());
        assert!(
            agreement("5", &[], None)
                .validate(&["wassen"], &[])
                .is_err()
        );
    }

    #[test]
    fn steps_are_counted_as_sent_blanks_included() {
        let eight = ["a", "", "b", "", "c", "", "d", ""];
        assert!(
            agreement("1", &eight, Some(6))
                .validate(&["wassen"], &[])
                .is_ok()
        );
        let nine = ["a", "", "b", "", "c", "", "d", "", ""];
        let errors = agreement("1", &nine, None)
            .validate(&["wassen"], &[])
            .unwrap_err();
        assert_eq!(
            errors,
            vec![FieldError::new("steps", "error-too-many-steps")]
        );
    }

    #[test]
    fn care_tapers_in_quarter_hours_from_first_to_last_week() {
        let care = PlannedCare::from_start(Discipline::Verzorgende, 7 * 60, 60, 6);
        // 420 → 60 in 5 steps of 72 minutes (348, 276, 204, 132), each to the nearest quarter.
        assert_eq!(care.schedule(), vec![420, 345, 270, 210, 135, 60]);
        let start = date!(2026 - 11 - 02);
        assert_eq!(
            care.minutes_in_week_of(start, date!(2026 - 11 - 08)),
            Some(420)
        );
        assert_eq!(
            care.minutes_in_week_of(start, date!(2026 - 11 - 09)),
            Some(345)
        );
        assert_eq!(care.minutes_in_week_of(start, date!(2026 - 12 - 14)), None);
        assert_eq!(care.minutes_in_week_of(start, date!(2026 - 11 - 01)), None);
        let flat = PlannedCare {
            weeks: 1,
            ..care.clone()
        };
        assert_eq!(flat.schedule(), vec![420]);
        assert_eq!(week_start(start, 3), date!(2026 - 11 - 16));
    }

    #[test]
    fn care_input_takes_dutch_decimals_and_refuses_a_rising_taper() {
        let input = CareInput {
            discipline: "verzorgende".into(),
            start_hours: "3,5".into(),
            end_hours: "0.5".into(),
            weeks: "8".into(),
            from_week: String::new(),
        };
        let care = input.validate(1).unwrap();
        assert_eq!(
            (care.start_minutes, care.end_minutes, care.weeks),
            (210, 30, 8)
        );
        let rising = CareInput {
            end_hours: "4".into(),
            weeks: "0".into(),
            ..input
        };
        let fields: Vec<_> = rising
            .validate(1)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["weeks", "end_hours"]);
    }

    #[test]
    fn a_care_change_applies_from_the_week_chosen_never_an_earlier_one() {
        let input = CareInput {
            discipline: "verzorgende".into(),
            start_hours: "3".into(),
            end_hours: "1".into(),
            weeks: "4".into(),
            from_week: String::new(),
        };
        assert_eq!(input.validate(3).unwrap().from_week, 3, "blank is now");
        let later = CareInput {
            from_week: "5".into(),
            ..input.clone()
        };
        assert_eq!(later.validate(3).unwrap().from_week, 5);
        for (typed, key) in [
            ("2", "error-from-week-past"),
            ("0", "error-from-week-past"),
            ("53", "error-from-week"),
            ("vijf", "error-from-week"),
        ] {
            let input = CareInput {
                from_week: typed.into(),
                ..input.clone()
            };
            assert_eq!(
                input.validate(3).unwrap_err(),
                vec![FieldError::new("from_week", key)],
                "{typed}"
            );
        }
    }

    #[test]
    fn weeks_before_a_care_change_keep_what_was_planned_then() {
        let mut plan = Plan::default();
        // 6 → 1 hours over 6 weeks: 360, 300, 240, 180, 120, 60.
        plan.set_care(PlannedCare::from_start(Discipline::Verzorgende, 360, 60, 6));
        let before = plan.care[0].schedule();
        assert_eq!(before, vec![360, 300, 240, 180, 120, 60]);
        // In week 3 the team plans 4 → 2 hours over 4 weeks from week 4.
        plan.set_care(PlannedCare {
            from_week: 4,
            ..PlannedCare::from_start(Discipline::Verzorgende, 240, 120, 4)
        });
        let care = &plan.care[0];
        assert_eq!(care.schedule()[..3], before[..3], "past weeks never change");
        assert_eq!(care.schedule(), vec![360, 300, 240, 240, 195, 165, 120]);
        assert_eq!(care.last_week(), 7);
        assert_eq!(care.minutes_in_week(8), None);
        assert_eq!(care.earlier.len(), 1);
        // Changed again from week 6: weeks 1-5 stay; the week-4 taper keeps weeks 4 and 5.
        let so_far = care.schedule();
        plan.set_care(PlannedCare {
            from_week: 6,
            ..PlannedCare::from_start(Discipline::Verzorgende, 60, 60, 2)
        });
        let care = &plan.care[0];
        assert_eq!(care.schedule()[..5], so_far[..5]);
        assert_eq!(care.schedule()[5..], [60, 60]);
        assert_eq!(care.earlier.len(), 2);
        // Changing from week 4 again replaces the taper that started there and the later one.
        plan.set_care(PlannedCare {
            from_week: 4,
            ..PlannedCare::from_start(Discipline::Verzorgende, 180, 180, 1)
        });
        assert_eq!(plan.care[0].schedule(), vec![360, 300, 240, 180]);
        assert_eq!(plan.care[0].earlier.len(), 1);
        // New care from a later week plans nothing before it.
        plan.set_care(PlannedCare {
            from_week: 3,
            ..PlannedCare::from_start(Discipline::Fysiotherapeut, 60, 60, 2)
        });
        let start = date!(2026 - 11 - 02);
        assert_eq!(
            plan.care[1].minutes_in_week_of(start, date!(2026 - 11 - 10)),
            None
        );
        assert_eq!(
            plan.care[1].minutes_in_week_of(start, date!(2026 - 11 - 16)),
            Some(60)
        );
        assert_eq!(plan.care[1].schedule(), vec![0, 0, 60, 60]);
        assert_eq!(week_of(start, date!(2026 - 11 - 16)), 3);
        assert_eq!(week_of(start, date!(2026 - 10 - 16)), 1);
    }

    #[test]
    fn the_load_counts_interventions_of_active_goals_running_at_once() {
        let mut plan = Plan::default();
        let a = plan.add_goal(goal("A"));
        let b = plan.add_goal(goal("B"));
        let day = |d: u8| Date::from_calendar_date(2026, time::Month::November, d).unwrap();
        plan.add_intervention(
            a,
            intervention(1, day(1), Some(day(10))),
            Responsible::Client,
        )
        .unwrap();
        plan.add_intervention(a, intervention(2, day(5), None), Responsible::Client)
            .unwrap();
        let third = plan
            .add_intervention(b, intervention(3, day(8), None), Responsible::Client)
            .unwrap();
        plan.add_intervention(b, intervention(4, day(11), None), Responsible::Client)
            .unwrap();
        assert_eq!(plan.running_on(day(9)), 3);
        assert_eq!(plan.peak_load(day(1)), (3, day(8)));
        plan.end_intervention(third, day(9)).unwrap();
        assert_eq!(plan.running_on(day(11)), 2);
        // A stopped goal's interventions no longer count.
        plan.set_goal_status(
            a,
            GoalStatusChange {
                status: GoalStatus::Stopped,
                reason: Some("Te zwaar".into()),
                attained: None,
            },
        )
        .unwrap();
        assert_eq!(plan.running_on(day(9)), 1);
    }

    #[test]
    fn the_plan_scores_gas_over_the_goals_that_were_scored() {
        let mut plan = Plan::default();
        assert_eq!(plan.gas_t_score(), None);
        let levels = ["a", "b", "c", "d", "e"].map(String::from);
        for (weight, attained) in [(3, 1), (2, 0), (1, -1)] {
            let mut content = goal("G");
            content.gas = Some(crate::goal::GasScale {
                levels: levels.clone(),
                weight,
                attained: None,
            });
            let id = plan.add_goal(content);
            plan.set_goal_status(
                id,
                GoalStatusChange {
                    status: GoalStatus::Active,
                    reason: None,
                    attained: Some(attained),
                },
            )
            .unwrap();
        }
        plan.add_goal(goal("Without GAS"));
        let t = plan.gas_t_score().unwrap();
        assert_eq!((t * 10.0).round() / 10.0, 54.4);
    }
}
