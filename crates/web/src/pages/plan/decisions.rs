//! Samen Beslissen: a decision with its options, what matters to the client, and who decided.

use crate::choice::Choosable;
use crate::context::{CurrentUser, Id, Layout};
use crate::pages::save_or_show;
use crate::pages::{Choice, FormErrors, PairsForm, render};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use regie_app::records::plan::{self as plans};
use regie_domain::{DecisionInput, DecisionOption, Permission};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "decision_form.html")]
struct DecisionFormPage {
    layout: Layout,
    id: i64,
    client_name: String,
    input: DecisionInput,
    decided_by: Vec<Choice>,
    errors: FormErrors,
}

async fn decision_form(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    mut input: DecisionInput,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let ctx = plans::open_plan_to(&state.app, &user.caller, id, Permission::ChangePlan).await?;
    while input.options.len() < 3 {
        input.options.push(DecisionOption {
            name: String::new(),
            pros: String::new(),
            cons: String::new(),
        });
    }
    let page = DecisionFormPage {
        layout: user.layout(tr.t("decision-title"), &format!("/trajectories/{id}/plan")),
        id,
        client_name: ctx.client.name.clone(),
        decided_by: regie_domain::DecidedBy::choices(tr, &input.decided_by),
        input,
        errors,
    };
    Ok(render(status, &page))
}

pub(super) async fn new_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    decision_form(
        &state,
        &user,
        id,
        DecisionInput::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

fn decision_input_from(pairs: &[(String, String)]) -> DecisionInput {
    let mut input = DecisionInput::default();
    let mut options: HashMap<usize, DecisionOption> = HashMap::new();
    for (key, value) in pairs {
        match key.as_str() {
            "question" => input.question = value.clone(),
            "what_matters" => input.what_matters = value.clone(),
            "decision" => input.decision = value.clone(),
            "decided_by" => input.decided_by = value.clone(),
            other => {
                // option-N-name, option-N-pros, option-N-cons
                let mut parts = other.splitn(3, '-');
                if let (Some("option"), Some(n), Some(part)) =
                    (parts.next(), parts.next(), parts.next())
                    && let Ok(n) = n.parse::<usize>()
                    && n < 10
                {
                    let option = options.entry(n).or_insert(DecisionOption {
                        name: String::new(),
                        pros: String::new(),
                        cons: String::new(),
                    });
                    match part {
                        "name" => option.name = value.clone(),
                        "pros" => option.pros = value.clone(),
                        "cons" => option.cons = value.clone(),
                        _ => {}
                    }
                }
            }
        }
    }
    let mut numbered: Vec<_> = options.into_iter().collect();
    numbered.sort_by_key(|(n, _)| *n);
    input.options = numbered.into_iter().map(|(_, o)| o).collect();
    input
}

pub(super) async fn add_decision(
    State(state): State<AppState>,
    user: CurrentUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let input = decision_input_from(&pairs);
    save_or_show(
        plans::add_decision(&state.app, &user.caller, id, &input).await,
        |_| format!("/trajectories/{id}/plan#decisions"),
        async |refused| {
            let errors = refused.errors(user.tr);
            decision_form(&state, &user, id, input, errors, refused.status()).await
        },
    )
    .await
}
