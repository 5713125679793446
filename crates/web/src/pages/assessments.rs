//! The broad assessment of life domains: each perspective's view, side by side, over time.

use super::{Choice, FormErrors, PairsForm, render};
use crate::chart::{ChartAssessment, life_domain_chart};
use crate::choice::Choosable;
use crate::context::Id;
use crate::context::{CurrentUser, Layout};
use crate::i18n::Tr;
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use regie_app::records;
use regie_domain::{
    AssessmentInput, Discrepancy, DomainInput, DomainRating, InstrumentDefinition, Moment,
    Perspective, side_by_side,
};
use regie_storage::StoredAssessment;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trajectories/{id}/assessments", get(overview).post(create))
        .route("/trajectories/{id}/assessments/new", get(new_assessment))
}

fn level_text(instrument: &InstrumentDefinition, tr: Tr, rating: Option<DomainRating>) -> String {
    match rating {
        None => "—".into(),
        Some(DomainRating::NotDiscussed) => tr.t("assessment-not-discussed"),
        Some(DomainRating::Rated(level)) => {
            let label = instrument
                .level(level.value())
                .map(|l| l.label.get(tr.lang).to_string())
                .unwrap_or_default();
            format!("{} — {label}", level.value())
        }
    }
}

struct CompareRow {
    domain: String,
    client: String,
    professional: String,
    flag: Option<String>,
}

struct HistoryColumn {
    heading: String,
}

struct HistoryRow {
    domain: String,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct OverviewPage {
    layout: Layout,
    trajectory_id: i64,
    client_name: String,
    compare: Vec<CompareRow>,
    compared_moment: Option<String>,
    flags: usize,
    has_assessments: bool,
    chart: String,
    columns: Vec<HistoryColumn>,
    history: Vec<HistoryRow>,
    perspectives: Vec<Choice>,
}

fn ratings(assessment: Option<&StoredAssessment>) -> Vec<(String, DomainRating)> {
    assessment
        .map(|a| {
            a.domains
                .iter()
                .map(|d| (d.item_key.clone(), d.rating))
                .collect()
        })
        .unwrap_or_default()
}

async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let (read, assessments, instrument) =
        records::trajectory_assessments(&state.app, &user.caller, id).await?;
    let may_record = read
        .access
        .may(regie_domain::Permission::ChangeClientDetails)
        && read
            .trajectory
            .as_ref()
            .is_some_and(|t| t.phase.accepts_changes());
    let client = read.client;
    // Compare views of the same moment: the most recent moment both the client and a
    // professional gave a view on (else simply the latest of each).
    let shared_moment = assessments.iter().rev().map(|a| a.moment).find(|m| {
        [Perspective::Client, Perspective::Professional]
            .iter()
            .all(|p| {
                assessments
                    .iter()
                    .any(|a| a.moment == *m && a.perspective == *p)
            })
    });
    let latest = |p: Perspective| {
        assessments
            .iter()
            .rev()
            .find(|a| a.perspective == p && shared_moment.is_none_or(|m| a.moment == m))
    };
    let domain_name = |key: &str| {
        instrument
            .item(key)
            .map(|i| i.name.get(tr.lang).to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let compare: Vec<CompareRow> = side_by_side(
        &instrument,
        &ratings(latest(Perspective::Client)),
        &ratings(latest(Perspective::Professional)),
    )
    .into_iter()
    .map(|row| CompareRow {
        domain: domain_name(&row.item_key),
        client: level_text(&instrument, tr, row.client),
        professional: level_text(&instrument, tr, row.professional),
        flag: row.discrepancy.map(|d| match d {
            Discrepancy::ProfessionalRatesHigher { gap } => {
                tr.t_count("assessment-flag-professional-higher", "gap", i64::from(gap))
            }
            Discrepancy::ClientRatesHigher { gap } => {
                tr.t_count("assessment-flag-client-higher", "gap", i64::from(gap))
            }
        }),
    })
    .collect();
    let domains: Vec<String> = instrument
        .items
        .iter()
        .map(|i| i.name.get(tr.lang).to_string())
        .collect();
    let level_of = |a: &StoredAssessment, key: &str| {
        a.domains
            .iter()
            .find(|d| d.item_key == key)
            .map(|d| d.rating)
    };
    let chart_data: Vec<ChartAssessment> = assessments
        .iter()
        .map(|a| ChartAssessment {
            perspective: a.perspective,
            levels: instrument
                .items
                .iter()
                .map(|i| {
                    level_of(a, &i.key)
                        .and_then(|r| r.level())
                        .map(|l| l.value())
                })
                .collect(),
        })
        .collect();
    let legend: Vec<(Perspective, String)> =
        Perspective::ALL.iter().map(|p| (*p, p.label(tr))).collect();
    let level_labels: Vec<String> = instrument
        .levels
        .iter()
        .map(|l| l.label.get(tr.lang).to_string())
        .collect();
    let chart = life_domain_chart(
        &tr.t("assessment-chart-title"),
        &tr.t("assessment-chart-description"),
        &domains,
        &level_labels,
        &chart_data,
        &legend,
    );
    let page = OverviewPage {
        layout: user.layout(
            tr.t("assessment-title"),
            &format!("/trajectories/{id}/assessments"),
        ),
        trajectory_id: id,
        client_name: client.name,
        flags: compare.iter().filter(|r| r.flag.is_some()).count(),
        compared_moment: shared_moment.map(|m| m.label(tr)),
        compare,
        has_assessments: !assessments.is_empty(),
        chart,
        columns: assessments
            .iter()
            .map(|a| HistoryColumn {
                heading: format!(
                    "{} · {} · {}",
                    a.perspective.label(tr),
                    a.moment.label(tr),
                    crate::format::date(a.happened_on)
                ),
            })
            .collect(),
        history: instrument
            .items
            .iter()
            .map(|item| HistoryRow {
                domain: item.name.get(tr.lang).to_string(),
                cells: assessments
                    .iter()
                    .map(|a| level_text(&instrument, tr, level_of(a, &item.key)))
                    .collect(),
            })
            .collect(),
        // Offered only to those who may record an assessment.
        perspectives: if may_record {
            Perspective::choices(tr, "")
        } else {
            Vec::new()
        },
    };
    Ok(render(StatusCode::OK, &page))
}

/// One domain in the form, with what was typed.
struct DomainRow {
    key: String,
    name: String,
    input: DomainInput,
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct FormPage {
    layout: Layout,
    trajectory_id: i64,
    client_name: String,
    perspective: String,
    respondent: String,
    date: String,
    moments: Vec<Choice>,
    levels: Vec<Choice>,
    domains: Vec<DomainRow>,
    errors: FormErrors,
}

impl FormPage {
    /// Whether `value` is the chosen level of a domain (askama compares strings this way).
    fn is_level(&self, domain: &DomainRow, value: &str) -> bool {
        domain.input.level == value
    }

    fn error(&self, prefix: &str, key: &str) -> Option<&String> {
        self.errors.get(&format!("{prefix}-{key}"))
    }
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    user: &CurrentUser,
    trajectory_id: i64,
    client_name: String,
    input: AssessmentInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let instrument = records::life_domain_instrument(&state.app).await?;
    let perspective = Perspective::parse(&input.perspective).unwrap_or(Perspective::Client);
    let mut levels: Vec<Choice> = instrument
        .levels
        .iter()
        .map(|l| Choice {
            value: l.value.to_string(),
            label: format!(
                "{} — {}: {}",
                l.value,
                l.label.get(tr.lang),
                l.description.get(tr.lang)
            ),
            selected: false,
        })
        .collect();
    levels.push(Choice {
        value: "niet_besproken".into(),
        label: tr.t("assessment-not-discussed"),
        selected: false,
    });
    let page = FormPage {
        layout: user.layout(
            tr.t_args(
                "assessment-new-title",
                &[("perspective", perspective.label(tr))],
            ),
            &format!("/trajectories/{trajectory_id}/assessments/new"),
        ),
        trajectory_id,
        client_name,
        perspective: perspective.as_str().into(),
        respondent: input.respondent.clone(),
        date: input.date.clone(),
        moments: Moment::choices(tr, &input.moment),
        levels,
        domains: instrument
            .items
            .iter()
            .map(|item| DomainRow {
                key: item.key.clone(),
                name: item.name.get(tr.lang).to_string(),
                input: input
                    .domains
                    .iter()
                    .find(|d| d.item_key == item.key)
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
        errors,
    };
    Ok(render(status, &page))
}

#[derive(serde::Deserialize)]
struct NewQuery {
    #[serde(default)]
    perspective: String,
    /// The closing page links here with `closure`; otherwise the intake.
    #[serde(default)]
    moment: String,
}

async fn new_assessment(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Query(query): Query<NewQuery>,
) -> Result<Response, AppError> {
    let (_, client) = records::open_trajectory_to(
        &state.app,
        &user.caller,
        id,
        regie_domain::Permission::ChangeClientDetails,
    )
    .await?;
    let perspective = Perspective::parse(&query.perspective).unwrap_or(Perspective::Client);
    let input = AssessmentInput {
        perspective: perspective.as_str().into(),
        moment: Moment::parse(&query.moment)
            .unwrap_or(Moment::Intake)
            .as_str()
            .into(),
        date: crate::format::form_date(state.app.today()),
        ..Default::default()
    };
    form_page(
        &state,
        &user,
        id,
        client.name,
        input,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

fn input_from_pairs(pairs: Vec<(String, String)>) -> AssessmentInput {
    let mut input = AssessmentInput::default();
    for (key, value) in pairs {
        match key.as_str() {
            "perspective" => input.perspective = value,
            "moment" => input.moment = value,
            "respondent" => input.respondent = value,
            "date" => input.date = value,
            _ => {
                let Some((field, item)) = key.split_once('-') else {
                    continue;
                };
                let index = match input.domains.iter().position(|d| d.item_key == item) {
                    Some(index) => index,
                    None => {
                        input.domains.push(DomainInput {
                            item_key: item.to_string(),
                            ..Default::default()
                        });
                        input.domains.len() - 1
                    }
                };
                let domain = &mut input.domains[index];
                match field {
                    "level" => domain.level = value,
                    "own" => domain.own = value,
                    "network" => domain.network = value,
                    "professional" => domain.professional = value,
                    "wants" => domain.wants_to_work_on = value == "true",
                    "strengths" => domain.strengths = value,
                    "note" => domain.note = value,
                    _ => {}
                }
            }
        }
    }
    input
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let (_, client) = records::open_trajectory_to(
        &state.app,
        &user.caller,
        id,
        regie_domain::Permission::ChangeClientDetails,
    )
    .await?;
    let input = input_from_pairs(pairs);
    save_or_show(
        records::record_assessment(&state.app, &user.caller, id, &input).await,
        |_| format!("/trajectories/{id}/assessments"),
        async |refused| {
            let errors = refused.errors(user.tr);
            form_page(
                &state,
                &user,
                id,
                client.name,
                input,
                errors,
                refused.status(),
            )
            .await
        },
    )
    .await
}
