//! A plan version as stored (`plan_versions.content`).

use super::{DisciplineV1, SupportV1, codes, date_v1};
use regie_domain::{
    Agreement, CareTaper, CopmScores, ExpressedBy, GasScale, Goal, GoalStatus, Plan, PlannedCare,
    PlannedIntervention, Responsible,
};
use serde::{Deserialize, Serialize};
use time::Date;

/// The newest format plans are written in.
const CURRENT: u64 = 2;

/// Format 2 is format 1 plus care lines whose taper applies from a later week, with the
/// tapers before it (`from_week`, `earlier`). A plan without those is still written as format
/// 1, unchanged; one with them is format 2, so a build that knows only format 1 refuses it
/// instead of reading the newest taper as if it ran from week 1.
pub(crate) fn to_json(plan: &Plan) -> Result<String, String> {
    let stored = PlanV1::from(plan);
    let format = if stored.care.iter().any(CareV1::has_weeks) {
        2
    } else {
        1
    };
    super::write(format, &stored)
}

pub(crate) fn from_json(json: &str) -> Result<Plan, String> {
    match super::open(json)? {
        (1 | 2, fields) => Ok(super::fields::<PlanV1>(fields)?.into()),
        (format, _) => Err(super::unknown(format, CURRENT)),
    }
}

/// Format 1, as the domain's `Plan` serialised itself until formats were numbered; the
/// defaults are the ones it read with.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct PlanV1 {
    #[serde(default)]
    goals: Vec<GoalV1>,
    #[serde(default)]
    agreements: Vec<AgreementV1>,
    #[serde(default)]
    care: Vec<CareV1>,
    /// The last number handed out to a goal or intervention.
    #[serde(default)]
    next_id: u32,
}

#[derive(Debug, Serialize, Deserialize)]
struct GoalV1 {
    id: u32,
    words: String,
    expressed_by: ExpressedByV1,
    #[serde(default)]
    life_domains: Vec<String>,
    #[serde(default)]
    activities: Vec<String>,
    #[serde(default)]
    baseline: CopmV1,
    #[serde(default)]
    gas: Option<GasV1>,
    #[serde(default, with = "date_v1::option")]
    target_date: Option<Date>,
    status: GoalStatusV1,
    #[serde(default)]
    status_reason: Option<String>,
    #[serde(default)]
    interventions: Vec<InterventionV1>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CopmV1 {
    importance: Option<u8>,
    performance: Option<u8>,
    satisfaction: Option<u8>,
}

#[derive(Debug, Serialize, Deserialize)]
struct GasV1 {
    levels: [String; 5],
    weight: u8,
    #[serde(default)]
    attained: Option<i8>,
}

#[derive(Debug, Serialize, Deserialize)]
struct InterventionV1 {
    id: u32,
    catalogue_id: i64,
    responsible: ResponsibleV1,
    frequency: String,
    #[serde(with = "date_v1")]
    start: Date,
    #[serde(default, with = "date_v1::option")]
    end: Option<Date>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind")]
enum ResponsibleV1 {
    #[serde(rename = "client")]
    Client,
    #[serde(rename = "network_member")]
    NetworkMember { id: i64, name: String },
    #[serde(rename = "discipline")]
    Discipline { discipline: DisciplineV1 },
    #[serde(rename = "professional")]
    Professional { user_id: i64, name: String },
}

#[derive(Debug, Serialize, Deserialize)]
struct AgreementV1 {
    activity: String,
    support: SupportV1,
    client_does: String,
    #[serde(default)]
    team_does: String,
    #[serde(default)]
    steps: Vec<String>,
    #[serde(default)]
    current_step: Option<usize>,
    #[serde(default)]
    aid_ids: Vec<i64>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CareV1 {
    discipline: DisciplineV1,
    start_minutes: u32,
    end_minutes: u32,
    weeks: u16,
    /// Format 2: the week the taper applies from; week 1 when absent.
    #[serde(default = "week_one", skip_serializing_if = "is_week_one")]
    from_week: u16,
    /// Format 2: the tapers before `from_week`, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    earlier: Vec<TaperV2>,
}

#[derive(Debug, Serialize, Deserialize)]
struct TaperV2 {
    from_week: u16,
    start_minutes: u32,
    end_minutes: u32,
    weeks: u16,
}

fn week_one() -> u16 {
    1
}

fn is_week_one(week: &u16) -> bool {
    *week == 1
}

impl CareV1 {
    /// Whether it needs format 2.
    fn has_weeks(&self) -> bool {
        self.from_week != 1 || !self.earlier.is_empty()
    }
}

codes! {
    ExpressedByV1 <=> ExpressedBy {
        "client" => Client,
        "carer" => Carer,
        "together" => Together,
    }
}

codes! {
    GoalStatusV1 <=> GoalStatus {
        "active" => Active,
        "achieved" => Achieved,
        "revised" => Revised,
        "stopped" => Stopped,
    }
}

impl From<&Plan> for PlanV1 {
    fn from(plan: &Plan) -> Self {
        PlanV1 {
            goals: plan.goals.iter().map(GoalV1::from).collect(),
            agreements: plan.agreements.iter().map(AgreementV1::from).collect(),
            care: plan.care.iter().map(CareV1::from).collect(),
            next_id: plan.last_id(),
        }
    }
}

impl From<PlanV1> for Plan {
    fn from(stored: PlanV1) -> Self {
        Plan::restore(
            stored.goals.into_iter().map(Goal::from).collect(),
            stored.agreements.into_iter().map(Agreement::from).collect(),
            stored.care.into_iter().map(PlannedCare::from).collect(),
            stored.next_id,
        )
    }
}

impl From<&Goal> for GoalV1 {
    fn from(goal: &Goal) -> Self {
        GoalV1 {
            id: goal.id,
            words: goal.words.clone(),
            expressed_by: goal.expressed_by.into(),
            life_domains: goal.life_domains.clone(),
            activities: goal.activities.clone(),
            baseline: CopmV1 {
                importance: goal.baseline.importance,
                performance: goal.baseline.performance,
                satisfaction: goal.baseline.satisfaction,
            },
            gas: goal.gas.as_ref().map(|gas| GasV1 {
                levels: gas.levels.clone(),
                weight: gas.weight,
                attained: gas.attained,
            }),
            target_date: goal.target_date,
            status: goal.status.into(),
            status_reason: goal.status_reason.clone(),
            interventions: goal
                .interventions
                .iter()
                .map(InterventionV1::from)
                .collect(),
        }
    }
}

impl From<GoalV1> for Goal {
    fn from(stored: GoalV1) -> Self {
        Goal {
            id: stored.id,
            words: stored.words,
            expressed_by: stored.expressed_by.into(),
            life_domains: stored.life_domains,
            activities: stored.activities,
            baseline: CopmScores {
                importance: stored.baseline.importance,
                performance: stored.baseline.performance,
                satisfaction: stored.baseline.satisfaction,
            },
            gas: stored.gas.map(|gas| GasScale {
                levels: gas.levels,
                weight: gas.weight,
                attained: gas.attained,
            }),
            target_date: stored.target_date,
            status: stored.status.into(),
            status_reason: stored.status_reason,
            interventions: stored
                .interventions
                .into_iter()
                .map(PlannedIntervention::from)
                .collect(),
        }
    }
}

impl From<&PlannedIntervention> for InterventionV1 {
    fn from(intervention: &PlannedIntervention) -> Self {
        InterventionV1 {
            id: intervention.id,
            catalogue_id: intervention.catalogue_id,
            responsible: match &intervention.responsible {
                Responsible::Client => ResponsibleV1::Client,
                Responsible::NetworkMember { id, name } => ResponsibleV1::NetworkMember {
                    id: *id,
                    name: name.clone(),
                },
                Responsible::Discipline { discipline } => ResponsibleV1::Discipline {
                    discipline: (*discipline).into(),
                },
                Responsible::Professional { user_id, name } => ResponsibleV1::Professional {
                    user_id: *user_id,
                    name: name.clone(),
                },
            },
            frequency: intervention.frequency.clone(),
            start: intervention.start,
            end: intervention.end,
        }
    }
}

impl From<InterventionV1> for PlannedIntervention {
    fn from(stored: InterventionV1) -> Self {
        PlannedIntervention {
            id: stored.id,
            catalogue_id: stored.catalogue_id,
            responsible: match stored.responsible {
                ResponsibleV1::Client => Responsible::Client,
                ResponsibleV1::NetworkMember { id, name } => {
                    Responsible::NetworkMember { id, name }
                }
                ResponsibleV1::Discipline { discipline } => Responsible::Discipline {
                    discipline: discipline.into(),
                },
                ResponsibleV1::Professional { user_id, name } => {
                    Responsible::Professional { user_id, name }
                }
            },
            frequency: stored.frequency,
            start: stored.start,
            end: stored.end,
        }
    }
}

impl From<&Agreement> for AgreementV1 {
    fn from(agreement: &Agreement) -> Self {
        AgreementV1 {
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

impl From<AgreementV1> for Agreement {
    fn from(stored: AgreementV1) -> Self {
        Agreement {
            activity: stored.activity,
            support: stored.support.into(),
            client_does: stored.client_does,
            team_does: stored.team_does,
            steps: stored.steps,
            current_step: stored.current_step,
            aid_ids: stored.aid_ids,
        }
    }
}

impl From<&PlannedCare> for CareV1 {
    fn from(care: &PlannedCare) -> Self {
        CareV1 {
            discipline: care.discipline.into(),
            start_minutes: care.start_minutes,
            end_minutes: care.end_minutes,
            weeks: care.weeks,
            from_week: care.from_week,
            earlier: care
                .earlier
                .iter()
                .map(|t| TaperV2 {
                    from_week: t.from_week,
                    start_minutes: t.start_minutes,
                    end_minutes: t.end_minutes,
                    weeks: t.weeks,
                })
                .collect(),
        }
    }
}

impl From<CareV1> for PlannedCare {
    fn from(stored: CareV1) -> Self {
        PlannedCare {
            discipline: stored.discipline.into(),
            start_minutes: stored.start_minutes,
            end_minutes: stored.end_minutes,
            weeks: stored.weeks,
            from_week: stored.from_week,
            earlier: stored
                .earlier
                .into_iter()
                .map(|t| CareTaper {
                    from_week: t.from_week,
                    start_minutes: t.start_minutes,
                    end_minutes: t.end_minutes,
                    weeks: t.weeks,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regie_domain::{Discipline, SupportLevel};
    use time::macros::date;

    fn goal(id: u32, status: GoalStatus, expressed_by: ExpressedBy) -> Goal {
        Goal {
            id,
            words: "Zelf douchen".into(),
            expressed_by,
            life_domains: vec![],
            activities: vec![],
            baseline: CopmScores::default(),
            gas: None,
            target_date: None,
            status,
            status_reason: None,
            interventions: vec![],
        }
    }

    fn intervention(id: u32, responsible: Responsible) -> PlannedIntervention {
        PlannedIntervention {
            id,
            catalogue_id: 7,
            responsible,
            frequency: "2× per week".into(),
            start: date!(2026 - 11 - 02),
            end: Some(date!(2026 - 12 - 31)),
        }
    }

    /// A plan with every field set and every responsible kind.
    fn full_plan() -> Plan {
        let mut shower = goal(1, GoalStatus::Active, ExpressedBy::Client);
        shower.life_domains = vec!["wonen".into()];
        shower.activities = vec!["wassen".into()];
        shower.baseline = CopmScores {
            importance: Some(9),
            performance: Some(3),
            satisfaction: None,
        };
        shower.gas = Some(GasScale {
            levels: ["−2", "−1", "0", "+1", "+2"].map(String::from),
            weight: 3,
            attained: Some(-1),
        });
        shower.target_date = Some(date!(2027 - 01 - 15));
        shower.status_reason = Some("Gaat goed".into());
        shower.interventions = vec![
            intervention(3, Responsible::Client),
            intervention(
                4,
                Responsible::NetworkMember {
                    id: 5,
                    name: "Kees".into(),
                },
            ),
            intervention(
                5,
                Responsible::Discipline {
                    discipline: Discipline::Ergotherapeut,
                },
            ),
            PlannedIntervention {
                end: None,
                ..intervention(
                    6,
                    Responsible::Professional {
                        user_id: 2,
                        name: "Sanne".into(),
                    },
                )
            },
        ];
        let agreement = Agreement {
            activity: "wassen".into(),
            support: SupportLevel::Light,
            client_does: "Gezicht en armen".into(),
            team_does: "De rug".into(),
            steps: vec!["Armen".into(), "Benen".into()],
            current_step: Some(1),
            aid_ids: vec![2, 4],
        };
        let care = PlannedCare::from_start(Discipline::HulpBijHetHuishouden, 240, 60, 6);
        Plan::restore(
            vec![shower, goal(2, GoalStatus::Stopped, ExpressedBy::Carer)],
            vec![agreement],
            vec![care],
            7,
        )
    }

    /// Format 1 of [`full_plan`]: any change to what is stored for a plan shows up here.
    const FULL_PLAN_V1: &str = concat!(
        r#"{"format":1,"goals":[{"id":1,"words":"Zelf douchen","expressed_by":"client","#,
        r#""life_domains":["wonen"],"activities":["wassen"],"#,
        r#""baseline":{"importance":9,"performance":3,"satisfaction":null},"#,
        r#""gas":{"levels":["−2","−1","0","+1","+2"],"weight":3,"attained":-1},"#,
        r#""target_date":[2027,15],"status":"active","status_reason":"Gaat goed","interventions":["#,
        r#"{"id":3,"catalogue_id":7,"responsible":{"kind":"client"},"frequency":"2× per week","start":[2026,306],"end":[2026,365]},"#,
        r#"{"id":4,"catalogue_id":7,"responsible":{"kind":"network_member","id":5,"name":"Kees"},"frequency":"2× per week","start":[2026,306],"end":[2026,365]},"#,
        r#"{"id":5,"catalogue_id":7,"responsible":{"kind":"discipline","discipline":"ergotherapeut"},"frequency":"2× per week","start":[2026,306],"end":[2026,365]},"#,
        r#"{"id":6,"catalogue_id":7,"responsible":{"kind":"professional","user_id":2,"name":"Sanne"},"frequency":"2× per week","start":[2026,306],"end":null}]},"#,
        r#"{"id":2,"words":"Zelf douchen","expressed_by":"carer","life_domains":[],"activities":[],"#,
        r#""baseline":{"importance":null,"performance":null,"satisfaction":null},"gas":null,"target_date":null,"#,
        r#""status":"stopped","status_reason":null,"interventions":[]}],"#,
        r#""agreements":[{"activity":"wassen","support":"light","client_does":"Gezicht en armen","#,
        r#""team_does":"De rug","steps":["Armen","Benen"],"current_step":1,"aid_ids":[2,4]}],"#,
        r#""care":[{"discipline":"hulp_bij_het_huishouden","start_minutes":240,"end_minutes":60,"weeks":6}],"#,
        r#""next_id":7}"#
    );

    #[test]
    fn a_full_plan_is_written_in_format_1_exactly() {
        assert_eq!(to_json(&full_plan()).unwrap(), FULL_PLAN_V1);
        assert_eq!(from_json(FULL_PLAN_V1).unwrap(), full_plan());
    }

    /// [`full_plan`] after its care was changed from week 4, and again from week 6.
    fn plan_with_tapers() -> Plan {
        let mut plan = full_plan();
        plan.care[0] = PlannedCare {
            from_week: 6,
            earlier: vec![
                CareTaper {
                    from_week: 1,
                    start_minutes: 240,
                    end_minutes: 60,
                    weeks: 6,
                },
                CareTaper {
                    from_week: 4,
                    start_minutes: 180,
                    end_minutes: 120,
                    weeks: 3,
                },
            ],
            ..PlannedCare::from_start(Discipline::HulpBijHetHuishouden, 90, 30, 2)
        };
        plan
    }

    #[test]
    fn care_changed_from_a_later_week_is_written_in_format_2_exactly() {
        let care = concat!(
            r#""care":[{"discipline":"hulp_bij_het_huishouden","start_minutes":90,"end_minutes":30,"weeks":2,"#,
            r#""from_week":6,"earlier":[{"from_week":1,"start_minutes":240,"end_minutes":60,"weeks":6},"#,
            r#"{"from_week":4,"start_minutes":180,"end_minutes":120,"weeks":3}]}],"#,
        );
        let expected = FULL_PLAN_V1
            .replacen(r#""format":1,"#, r#""format":2,"#, 1)
            .replacen(
                r#""care":[{"discipline":"hulp_bij_het_huishouden","start_minutes":240,"end_minutes":60,"weeks":6}],"#,
                care,
                1,
            );
        assert_eq!(to_json(&plan_with_tapers()).unwrap(), expected);
        assert_eq!(from_json(&expected).unwrap(), plan_with_tapers());
    }

    #[test]
    fn stored_care_without_weeks_reads_as_one_taper_from_week_one() {
        let care = &from_json(FULL_PLAN_V1).unwrap().care[0];
        assert_eq!((care.from_week, care.earlier.len()), (1, 0));
        assert_eq!(care.schedule(), vec![240, 210, 165, 135, 90, 60]);
    }

    #[test]
    fn every_variant_reads_back_as_it_was_written() {
        let mut plan = full_plan();
        // Every status and author of a goal, every support level, every discipline.
        let mut id = 10;
        for status in GoalStatus::ALL {
            for expressed_by in ExpressedBy::ALL {
                plan.goals.push(goal(id, status, expressed_by));
                id += 1;
            }
        }
        for (n, support) in SupportLevel::ALL.into_iter().enumerate() {
            plan.agreements.push(Agreement {
                activity: format!("activity-{n}"),
                support,
                ..plan.agreements[0].clone()
            });
        }
        for discipline in Discipline::ALL {
            plan.care.push(PlannedCare {
                discipline,
                ..plan.care[0].clone()
            });
        }
        let plan = Plan::restore(plan.goals, plan.agreements, plan.care, id);
        assert_eq!(from_json(&to_json(&plan).unwrap()).unwrap(), plan);
        assert_eq!(
            from_json(&to_json(&Plan::default()).unwrap()).unwrap(),
            Plan::default()
        );
    }

    #[test]
    fn a_row_written_before_formats_were_numbered_reads_as_format_1() {
        let unnumbered = FULL_PLAN_V1.replacen(r#""format":1,"#, "", 1);
        assert_eq!(from_json(&unnumbered).unwrap(), full_plan());
        // The defaults format 1 was read with: an empty plan, a goal with only what it needs.
        let sparse =
            r#"{"goals":[{"id":4,"words":"Koken","expressed_by":"together","status":"achieved"}]}"#;
        let plan = from_json(sparse).unwrap();
        assert_eq!(
            plan.goals,
            vec![Goal {
                words: "Koken".into(),
                ..goal(4, GoalStatus::Achieved, ExpressedBy::Together)
            }]
        );
        // Without its counter, numbering goes on after the numbers in use.
        assert_eq!(plan.last_id(), 4);
        assert_eq!(from_json("{}").unwrap(), Plan::default());
    }

    #[test]
    fn an_unknown_format_is_refused_with_its_number() {
        let error = from_json(r#"{"format":3,"goals":[]}"#).unwrap_err();
        assert_eq!(
            error,
            "format 3 is unknown (this version reads formats 1 to 2)"
        );
        assert!(from_json(r#"{"format":1,"goals":[{"id":1}]}"#).is_err());
    }
}
