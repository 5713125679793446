//! Planned care per discipline: hours per week, tapering over the weeks.

use super::{ReasonForm, Shown, after_change, form_version};
use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, IdAnd, Layout};
use crate::format::hours_number;
use crate::pages::{Choice, Form, FormErrors, render, save_or_show};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use regie_app::records::plan::{self as plans, PlanEdit};
use regie_domain::{CareInput, Discipline, Permission};

#[derive(Template)]
#[template(path = "care_form.html")]
struct CareFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    disciplines: Vec<Choice>,
    input: CareInput,
    reason: String,
    based_on: i64,
    errors: FormErrors,
    /// Says what the week numbers mean: the current week and the day week 1 began.
    from_week_hint: String,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct DisciplineQuery {
    discipline: Option<String>,
}

async fn care_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    input: Option<CareInput>,
    discipline: Option<String>,
    shown: Shown,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    let plan = ctx.plan();
    let status = shown.status();
    let (based_on, errors, reason) = shown.settle(tr, &ctx);
    let start = ctx.trajectory.start_date;
    let current_week = regie_domain::week_of(start, state.app.today());
    let input = input.unwrap_or_else(|| {
        let existing = discipline
            .as_deref()
            .and_then(|d| Discipline::parse(d).ok())
            .and_then(|d| plan.care.iter().find(|c| c.discipline == d));
        match existing {
            Some(c) => CareInput {
                discipline: c.discipline.as_str().into(),
                start_hours: hours_number(c.start_minutes),
                end_hours: hours_number(c.end_minutes),
                weeks: c.weeks.to_string(),
                from_week: current_week.to_string(),
            },
            None => CareInput {
                discipline: discipline.unwrap_or_default(),
                weeks: "6".into(),
                from_week: current_week.to_string(),
                ..Default::default()
            },
        }
    });
    let from_week_hint = tr.t_args(
        "care-from-week-hint",
        &[
            ("current", current_week.to_string()),
            ("date", crate::format::date(start)),
        ],
    );
    let page = CareFormPage {
        layout: user.layout(tr.t("care-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_name: ctx.client.name.clone(),
        disciplines: Discipline::choices(tr, &input.discipline),
        input,
        reason,
        based_on,
        errors,
        from_week_hint,
    };
    Ok(render(status, &page))
}

pub(super) async fn edit_care(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Query(query): Query<DisciplineQuery>,
) -> Result<Response, AppError> {
    care_form(&state, &user, id, None, query.discipline, Shown::fresh()).await
}

#[derive(serde::Deserialize)]
pub(super) struct CareForm {
    #[serde(default)]
    discipline: String,
    #[serde(default)]
    start_hours: String,
    #[serde(default)]
    end_hours: String,
    #[serde(default)]
    weeks: String,
    #[serde(default)]
    from_week: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    based_on: String,
}

pub(super) async fn save_care(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    Form(form): Form<CareForm>,
) -> Result<Response, AppError> {
    let input = CareInput {
        discipline: form.discipline,
        start_hours: form.start_hours,
        end_hours: form.end_hours,
        weeks: form.weeks,
        from_week: form.from_week,
    };
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    save_or_show(
        plans::set_care(&state.app, &user.caller, edit, &input).await,
        |_| format!("/trajectories/{id}/plan#care"),
        async |refused| {
            let shown = Shown::after(refused, form.reason, based_on);
            care_form(&state, &user, id, Some(input), None, shown).await
        },
    )
    .await
}

pub(super) async fn remove_care(
    State(state): State<AppState>,
    user: CurrentUser,
    IdAnd(id, discipline): IdAnd<String>,
    Form(form): Form<ReasonForm>,
) -> Result<Response, AppError> {
    let based_on = form_version(&form.based_on);
    let edit = PlanEdit {
        trajectory_id: id,
        reason: &form.reason,
        based_on,
    };
    let result = plans::remove_care(&state.app, &user.caller, edit, &discipline).await;
    after_change(&state, &user, id, result, based_on, "#care").await
}
