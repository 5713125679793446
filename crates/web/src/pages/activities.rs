//! Daily activities at intake: the support the client gets now, and what they want to (re)learn.

use super::{Choice, FormErrors, PairsForm, render};
use crate::context::Id;
use crate::context::{CurrentUser, Layout};
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use regie_app::records;
use regie_domain::{ActivityInput, SupportRating};

pub fn router() -> Router<AppState> {
    Router::new().route("/trajectories/{id}/activities", get(show).post(save))
}

struct ActivityRow {
    key: String,
    name: String,
    support: String,
    wants_to_learn: bool,
}

#[derive(Template)]
#[template(path = "activities.html")]
struct ActivitiesPage {
    layout: Layout,
    trajectory_id: i64,
    client_name: String,
    last_recorded: Option<String>,
    levels: Vec<Choice>,
    rows: Vec<ActivityRow>,
    /// The day the support was rated, as typed (today unless typed otherwise).
    date: String,
    /// Whether the form can be saved; others see the latest record only.
    may_record: bool,
    errors: FormErrors,
}

impl ActivitiesPage {
    fn error(&self, key: &str) -> Option<&String> {
        self.errors.get(&format!("support-{key}"))
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    trajectory_id: i64,
    typed: Option<Typed>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let (typed, date) = match typed {
        Some(Typed { activities, date }) => (Some(activities), date),
        None => (None, crate::format::form_date(state.app.today())),
    };
    let records::ActivitiesView {
        read,
        instrument,
        latest,
        users,
    } = records::activities_page(&state.app, &user.caller, trajectory_id).await?;
    let client = read.client;
    let may_record = read
        .access
        .may(regie_domain::Permission::ChangeClientDetails)
        && read
            .trajectory
            .as_ref()
            .is_some_and(|t| t.phase.accepts_changes());
    // What to show: what was just typed, else the latest record, else nothing chosen yet.
    let current: Vec<ActivityInput> = typed.unwrap_or_else(|| {
        latest
            .as_ref()
            .map(|r| {
                r.activities
                    .iter()
                    .map(|a| ActivityInput {
                        item_key: a.item_key.clone(),
                        support: match a.support {
                            SupportRating::NotApplicable => "nvt".into(),
                            SupportRating::Level(level) => level.value().to_string(),
                        },
                        wants_to_learn: a.wants_to_learn,
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    let mut levels: Vec<Choice> = instrument
        .levels
        .iter()
        .map(|l| Choice {
            value: l.value.to_string(),
            label: format!("{} — {}", l.value, l.label.get(tr.lang)),
            selected: false,
        })
        .collect();
    levels.push(Choice {
        value: "nvt".into(),
        label: tr.t("activities-not-applicable"),
        selected: false,
    });
    let page = ActivitiesPage {
        layout: user.layout(
            tr.t("activities-title"),
            &format!("/trajectories/{trajectory_id}/activities"),
        ),
        trajectory_id,
        client_name: client.name,
        may_record,
        last_recorded: latest.map(|r| {
            let who = users
                .iter()
                .find(|u| u.id == r.recorded_by)
                .map(|u| u.full_name.clone())
                .unwrap_or_default();
            let when = crate::format::date(r.happened_on);
            tr.t_args("activities-last-recorded", &[("date", when), ("name", who)])
        }),
        levels,
        rows: instrument
            .items
            .iter()
            .map(|item| {
                let typed = current.iter().find(|a| a.item_key == item.key);
                ActivityRow {
                    key: item.key.clone(),
                    name: item.name.get(tr.lang).to_string(),
                    support: typed.map(|a| a.support.clone()).unwrap_or_default(),
                    wants_to_learn: typed.is_some_and(|a| a.wants_to_learn),
                }
            })
            .collect(),
        date,
        errors,
    };
    Ok(render(status, &page))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    page(
        &state,
        &user,
        id,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// What was typed in the form: each activity, and the day.
struct Typed {
    activities: Vec<ActivityInput>,
    date: String,
}

fn from_pairs(pairs: Vec<(String, String)>) -> Typed {
    let mut activities: Vec<ActivityInput> = Vec::new();
    let mut date = String::new();
    for (key, value) in pairs {
        if key == "date" {
            date = value;
            continue;
        }
        let Some((field, item)) = key.split_once('-') else {
            continue;
        };
        let index = match activities.iter().position(|a| a.item_key == item) {
            Some(index) => index,
            None => {
                activities.push(ActivityInput {
                    item_key: item.to_string(),
                    ..Default::default()
                });
                activities.len() - 1
            }
        };
        match field {
            "support" => activities[index].support = value,
            "learn" => activities[index].wants_to_learn = value == "true",
            _ => {}
        }
    }
    Typed { activities, date }
}

async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let input = from_pairs(pairs);
    save_or_show(
        records::record_activities(&state.app, &user.caller, id, &input.activities, &input.date)
            .await,
        |_| format!("/trajectories/{id}/activities"),
        async |refused| {
            let errors = refused.errors(user.tr);
            page(&state, &user, id, Some(input), errors, refused.status()).await
        },
    )
    .await
}
