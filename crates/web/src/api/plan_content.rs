//! The plan as API clients see it: the API's own structs, converted from the domain's `Plan`,
//! so that the public JSON changes only when this file does, never with a rename in the domain.
//!
//! The shape is the one the API sent when the plan was the domain type's serde output, kept
//! field for field (dates as `[year, day of the year]`, support levels as words) so that
//! existing clients read it as before.

use regie_domain as domain;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;

/// An API code list: an enum of its own with the code written out for each variant, mapped
/// from the domain enum of the same name variant by variant (a domain rename fails to compile
/// here). The codes are `tt`, not `literal`: utoipa does not see through the invisible group a
/// `literal` fragment is wrapped in, and would describe the variant names instead.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident from $domain:ident { $($code:tt => $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl From<domain::$domain> for $name {
            fn from(value: domain::$domain) -> Self {
                match value {
                    $(domain::$domain::$variant => $name::$variant),+
                }
            }
        }
    };
}

codes! {
    /// Who put the goal into words.
    ExpressedBy from ExpressedBy {
        "client" => Client,
        "carer" => Carer,
        "together" => Together,
    }
}

codes! {
    GoalStatus from GoalStatus {
        "active" => Active,
        "achieved" => Achieved,
        "revised" => Revised,
        "stopped" => Stopped,
    }
}

codes! {
    /// Support on the 0–4 scale, as a word: `independent` (0, zelfstandig) … `full` (4,
    /// volledig overgenomen).
    SupportLevel from SupportLevel {
        "independent" => Independent,
        "light" => Light,
        "moderate" => Moderate,
        "substantial" => Substantial,
        "full" => Full,
    }
}

codes! {
    Discipline from Discipline {
        "wijkverpleegkundige" => Wijkverpleegkundige,
        "verzorgende" => Verzorgende,
        "ergotherapeut" => Ergotherapeut,
        "fysiotherapeut" => Fysiotherapeut,
        "hulp_bij_het_huishouden" => HulpBijHetHuishouden,
        "wmo_consulent" => WmoConsulent,
        "sociaal_werker" => SociaalWerker,
        "techcoach" => Techcoach,
        "casemanager" => Casemanager,
        "anders" => Anders,
    }
}

/// A date as the plan sends it: `[year, day of the year]`.
type YearDay = (i32, u16);

fn year_day(date: Date) -> YearDay {
    (date.year(), date.ordinal())
}

/// Goals (with their interventions), agreements per daily activity and planned care.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanContent {
    pub goals: Vec<PlanGoal>,
    pub agreements: Vec<PlanAgreement>,
    pub care: Vec<PlannedCare>,
    /// The last number given to a goal or intervention; numbers are never reused.
    pub next_id: u32,
}

/// A goal in the client's own words, with its interventions.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanGoal {
    /// The goal's number within the plan.
    pub id: u32,
    pub words: String,
    pub expressed_by: ExpressedBy,
    /// Life-domain item keys.
    pub life_domains: Vec<String>,
    /// Daily-activity item keys.
    pub activities: Vec<String>,
    pub baseline: CopmScores,
    pub gas: Option<GasScale>,
    /// `[year, day of the year]`.
    #[schema(value_type = Option<Vec<i32>>, min_items = 2, max_items = 2)]
    pub target_date: Option<YearDay>,
    pub status: GoalStatus,
    pub status_reason: Option<String>,
    pub interventions: Vec<PlanIntervention>,
}

/// Importance, performance and satisfaction at the start, each 1–10 when scored.
#[derive(Debug, Serialize, ToSchema)]
pub struct CopmScores {
    pub importance: Option<u8>,
    pub performance: Option<u8>,
    pub satisfaction: Option<u8>,
}

/// Goal Attainment Scaling for one goal.
#[derive(Debug, Serialize, ToSchema)]
pub struct GasScale {
    /// Descriptions of the levels −2, −1, 0 (expected), +1, +2, in that order.
    #[schema(min_items = 5, max_items = 5)]
    pub levels: [String; 5],
    pub weight: u8,
    /// The level (−2…+2) reached at the last scoring.
    pub attained: Option<i8>,
}

/// An intervention from the catalogue for a goal.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanIntervention {
    /// The intervention's number within the plan.
    pub id: u32,
    pub catalogue_id: i64,
    pub responsible: Responsible,
    pub frequency: String,
    /// `[year, day of the year]`.
    #[schema(value_type = Vec<i32>, min_items = 2, max_items = 2)]
    pub start: YearDay,
    /// `[year, day of the year]`; none while it runs on.
    #[schema(value_type = Option<Vec<i32>>, min_items = 2, max_items = 2)]
    pub end: Option<YearDay>,
}

/// Who carries out an intervention; names as they were when it was planned.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "kind")]
pub enum Responsible {
    #[serde(rename = "client")]
    Client,
    #[serde(rename = "network_member")]
    NetworkMember { id: i64, name: String },
    #[serde(rename = "discipline")]
    Discipline { discipline: Discipline },
    #[serde(rename = "professional")]
    Professional { user_id: i64, name: String },
}

/// What the client does and what the team supports for one daily activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanAgreement {
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

/// Planned care for one discipline: minutes per week, tapering from a first week to a last.
/// The taper in force applies from `from_week`; the weeks before keep the `earlier` tapers.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedCare {
    pub discipline: Discipline,
    pub start_minutes: u32,
    pub end_minutes: u32,
    pub weeks: u16,
    /// The trajectory week (1 = the week it started) the taper above applies from.
    pub from_week: u16,
    /// The tapers that applied before `from_week`, oldest first; a week follows the last taper
    /// that starts on or before it.
    pub earlier: Vec<CareTaper>,
    /// Minutes planned for trajectory week 1, 2, … through the last planned week, from all
    /// tapers together (0 where nothing is planned).
    pub minutes_per_week: Vec<u32>,
}

/// One taper of planned care: from `start_minutes` in week `from_week` to `end_minutes`, over
/// `weeks` weeks.
#[derive(Debug, Serialize, ToSchema)]
pub struct CareTaper {
    pub from_week: u16,
    pub start_minutes: u32,
    pub end_minutes: u32,
    pub weeks: u16,
}

impl From<&domain::Plan> for PlanContent {
    fn from(plan: &domain::Plan) -> Self {
        PlanContent {
            goals: plan.goals.iter().map(PlanGoal::from).collect(),
            agreements: plan.agreements.iter().map(PlanAgreement::from).collect(),
            care: plan.care.iter().map(PlannedCare::from).collect(),
            next_id: plan.last_id(),
        }
    }
}

impl From<&domain::Goal> for PlanGoal {
    fn from(goal: &domain::Goal) -> Self {
        PlanGoal {
            id: goal.id,
            words: goal.words.clone(),
            expressed_by: goal.expressed_by.into(),
            life_domains: goal.life_domains.clone(),
            activities: goal.activities.clone(),
            baseline: CopmScores {
                importance: goal.baseline.importance,
                performance: goal.baseline.performance,
                satisfaction: goal.baseline.satisfaction,
            },
            gas: goal.gas.as_ref().map(|gas| GasScale {
                levels: gas.levels.clone(),
                weight: gas.weight,
                attained: gas.attained,
            }),
            target_date: goal.target_date.map(year_day),
            status: goal.status.into(),
            status_reason: goal.status_reason.clone(),
            interventions: goal
                .interventions
                .iter()
                .map(PlanIntervention::from)
                .collect(),
        }
    }
}

impl From<&domain::PlannedIntervention> for PlanIntervention {
    fn from(intervention: &domain::PlannedIntervention) -> Self {
        PlanIntervention {
            id: intervention.id,
            catalogue_id: intervention.catalogue_id,
            responsible: match &intervention.responsible {
                domain::Responsible::Client => Responsible::Client,
                domain::Responsible::NetworkMember { id, name } => Responsible::NetworkMember {
                    id: *id,
                    name: name.clone(),
                },
                domain::Responsible::Discipline { discipline } => Responsible::Discipline {
                    discipline: (*discipline).into(),
                },
                domain::Responsible::Professional { user_id, name } => Responsible::Professional {
                    user_id: *user_id,
                    name: name.clone(),
                },
            },
            frequency: intervention.frequency.clone(),
            start: year_day(intervention.start),
            end: intervention.end.map(year_day),
        }
    }
}

impl From<&domain::Agreement> for PlanAgreement {
    fn from(agreement: &domain::Agreement) -> Self {
        PlanAgreement {
            activity: agreement.activity.clone(),
            support: agreement.support.into(),
            client_does: agreement.client_does.clone(),
            team_does: agreement.team_does.clone(),
            steps: agreement.steps.clone(),
            current_step: agreement.current_step,
            aid_ids: agreement.aid_ids.clone(),
        }
    }
}

impl From<&domain::PlannedCare> for PlannedCare {
    fn from(care: &domain::PlannedCare) -> Self {
        PlannedCare {
            discipline: care.discipline.into(),
            start_minutes: care.start_minutes,
            end_minutes: care.end_minutes,
            weeks: care.weeks,
            from_week: care.from_week,
            earlier: care
                .earlier
                .iter()
                .map(|t| CareTaper {
                    from_week: t.from_week,
                    start_minutes: t.start_minutes,
                    end_minutes: t.end_minutes,
                    weeks: t.weeks,
                })
                .collect(),
            minutes_per_week: care.schedule(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Agreement, CopmScores, Goal, Plan, PlannedIntervention, Responsible};
    use time::macros::date;

    fn intervention(id: u32, responsible: Responsible) -> PlannedIntervention {
        PlannedIntervention {
            id,
            catalogue_id: 7,
            responsible,
            frequency: "2× per week".into(),
            start: date!(2026 - 11 - 02),
            end: None,
        }
    }

    /// The JSON API clients got for a full plan when it was the domain type's serde output:
    /// every field set, every responsible kind, a scale and a null.
    #[test]
    fn a_full_plan_is_sent_in_the_shape_clients_know() {
        let goal = Goal {
            id: 1,
            words: "Zelf douchen".into(),
            expressed_by: domain::ExpressedBy::Together,
            life_domains: vec!["wonen".into()],
            activities: vec!["wassen".into()],
            baseline: CopmScores {
                importance: Some(9),
                performance: Some(3),
                satisfaction: None,
            },
            gas: Some(domain::GasScale {
                levels: ["a", "b", "c", "d", "e"].map(String::from),
                weight: 2,
                attained: Some(1),
            }),
            target_date: Some(date!(2027 - 01 - 15)),
            status: domain::GoalStatus::Revised,
            status_reason: Some("Anders verwoord".into()),
            interventions: vec![
                PlannedIntervention {
                    end: Some(date!(2026 - 12 - 31)),
                    ..intervention(2, Responsible::Client)
                },
                intervention(
                    3,
                    Responsible::NetworkMember {
                        id: 5,
                        name: "Kees".into(),
                    },
                ),
                intervention(
                    4,
                    Responsible::Discipline {
                        discipline: domain::Discipline::WmoConsulent,
                    },
                ),
                intervention(
                    5,
                    Responsible::Professional {
                        user_id: 2,
                        name: "Sanne".into(),
                    },
                ),
            ],
        };
        let plan = Plan::restore(
            vec![goal],
            vec![Agreement {
                activity: "wassen".into(),
                support: domain::SupportLevel::Substantial,
                client_does: "Gezicht".into(),
                team_does: "De rug".into(),
                steps: vec!["Armen".into()],
                current_step: Some(0),
                aid_ids: vec![3],
            }],
            vec![domain::PlannedCare::from_start(
                domain::Discipline::HulpBijHetHuishouden,
                240,
                60,
                6,
            )],
            5,
        );
        let json = serde_json::to_value(PlanContent::from(&plan)).unwrap();
        let start = serde_json::json!([2026, 306]);
        assert_eq!(
            json,
            serde_json::json!({
                "goals": [{
                    "id": 1,
                    "words": "Zelf douchen",
                    "expressed_by": "together",
                    "life_domains": ["wonen"],
                    "activities": ["wassen"],
                    "baseline": {"importance": 9, "performance": 3, "satisfaction": null},
                    "gas": {"levels": ["a", "b", "c", "d", "e"], "weight": 2, "attained": 1},
                    "target_date": [2027, 15],
                    "status": "revised",
                    "status_reason": "Anders verwoord",
                    "interventions": [
                        {"id": 2, "catalogue_id": 7, "responsible": {"kind": "client"},
                         "frequency": "2× per week", "start": start, "end": [2026, 365]},
                        {"id": 3, "catalogue_id": 7,
                         "responsible": {"kind": "network_member", "id": 5, "name": "Kees"},
                         "frequency": "2× per week", "start": start, "end": null},
                        {"id": 4, "catalogue_id": 7,
                         "responsible": {"kind": "discipline", "discipline": "wmo_consulent"},
                         "frequency": "2× per week", "start": start, "end": null},
                        {"id": 5, "catalogue_id": 7,
                         "responsible": {"kind": "professional", "user_id": 2, "name": "Sanne"},
                         "frequency": "2× per week", "start": start, "end": null},
                    ],
                }],
                "agreements": [{
                    "activity": "wassen",
                    "support": "substantial",
                    "client_does": "Gezicht",
                    "team_does": "De rug",
                    "steps": ["Armen"],
                    "current_step": 0,
                    "aid_ids": [3],
                }],
                "care": [{
                    "discipline": "hulp_bij_het_huishouden",
                    "start_minutes": 240,
                    "end_minutes": 60,
                    "weeks": 6,
                    "from_week": 1,
                    "earlier": [],
                    "minutes_per_week": [240, 210, 165, 135, 90, 60],
                }],
                "next_id": 5,
            })
        );
    }

    #[test]
    fn every_code_is_sent_as_the_domain_spells_it() {
        // The domain's own spelling is what clients got; these lists are now the API's.
        let word = |value: serde_json::Value| value.as_str().unwrap().to_string();
        for d in domain::Discipline::ALL {
            assert_eq!(
                word(serde_json::to_value(Discipline::from(d)).unwrap()),
                d.as_str()
            );
        }
        for s in domain::GoalStatus::ALL {
            assert_eq!(
                word(serde_json::to_value(GoalStatus::from(s)).unwrap()),
                s.as_str()
            );
        }
        for e in domain::ExpressedBy::ALL {
            assert_eq!(
                word(serde_json::to_value(ExpressedBy::from(e)).unwrap()),
                e.as_str()
            );
        }
        let levels: Vec<String> = domain::SupportLevel::ALL
            .into_iter()
            .map(|l| word(serde_json::to_value(SupportLevel::from(l)).unwrap()))
            .collect();
        assert_eq!(
            levels,
            ["independent", "light", "moderate", "substantial", "full"]
        );
    }
}
