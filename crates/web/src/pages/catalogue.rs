//! The aids catalogue for everyone (search by word and activity), and the administrator's
//! pages for the intervention and aids catalogues and the "not too many at once" limit.

use super::{Choice, Form, FormErrors, PairsForm, render};
use crate::choice::Choosable;
use crate::context::{AdminUser, CurrentUser, Id, Layout};
use crate::i18n::Tr;
use crate::pages::save_or_show;
use crate::{AppError, AppState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use regie_app::{catalogue, records};

use regie_domain::catalogue::localised;
use regie_domain::{CatalogueInput, InterventionCategory, WorkingElement};
use regie_storage::StoredAid;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/aids", get(aids))
        .route("/admin/catalogue", get(admin_page))
        .route("/admin/catalogue/interventions", post(add_intervention))
        .route(
            "/admin/catalogue/interventions/{id}/retire",
            post(retire_intervention),
        )
        .route("/admin/catalogue/limit", post(set_limit))
        .route("/admin/aids/new", get(new_aid).post(create_aid))
        .route("/admin/aids/{id}", get(edit_aid).post(update_aid))
        .route("/admin/aids/{id}/retire", post(retire_aid))
}

struct AidView {
    id: i64,
    name: String,
    category: String,
    description: String,
    source: String,
    activities: String,
    retired: bool,
}

fn aid_view(tr: Tr, activities: &regie_domain::InstrumentDefinition, aid: &StoredAid) -> AidView {
    let e = &aid.entry;
    AidView {
        id: aid.id,
        name: localised(tr.lang, &e.name_nl, &e.name_en).into(),
        category: e.category.clone(),
        description: localised(tr.lang, &e.description_nl, &e.description_en).into(),
        source: localised(tr.lang, &e.source_nl, &e.source_en).into(),
        activities: e
            .activities
            .iter()
            .map(|k| super::item_name(activities, tr.lang, k))
            .collect::<Vec<_>>()
            .join(", "),
        retired: aid.retired,
    }
}

#[derive(Template)]
#[template(path = "aids.html")]
struct AidsPage {
    layout: Layout,
    query: String,
    activities: Vec<Choice>,
    aids: Vec<AidView>,
    count: String,
}

#[derive(serde::Deserialize, Default)]
struct AidsQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    activity: String,
}

async fn aids(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AidsQuery>,
) -> Result<Response, AppError> {
    let tr = user.tr;
    let instrument = records::daily_activity_instrument(&state.app).await?;
    let activity = Some(query.activity.trim()).filter(|a| instrument.item(a).is_some());
    let found = catalogue::search_aids(&state.app, &query.q, activity, false).await?;
    let page = AidsPage {
        layout: user.layout(tr.t("aids-title"), "/aids"),
        activities: instrument
            .items
            .iter()
            .map(|i| Choice {
                value: i.key.clone(),
                label: i.name.get(tr.lang).to_string(),
                selected: activity == Some(i.key.as_str()),
            })
            .collect(),
        count: tr.t_count("aids-count", "count", found.len() as i64),
        aids: found.iter().map(|a| aid_view(tr, &instrument, a)).collect(),
        query: query.q,
    };
    Ok(render(StatusCode::OK, &page))
}

struct InterventionView {
    id: i64,
    name: String,
    category: String,
    description: String,
    elements: String,
    retired: bool,
}

#[derive(Template)]
#[template(path = "admin/catalogue.html")]
struct CataloguePage {
    layout: Layout,
    interventions: Vec<InterventionView>,
    aids: Vec<AidView>,
    categories: Vec<Choice>,
    elements: Vec<Choice>,
    input: CatalogueInput,
    limit: String,
    takeover: String,
    errors: FormErrors,
}

async fn catalogue_page(
    state: &AppState,
    admin: &AdminUser,
    input: CatalogueInput,
    limits: Option<(String, String)>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let instrument = records::daily_activity_instrument(&state.app).await?;
    let catalogue::Catalogue {
        interventions,
        aids,
        max_concurrent_interventions: current_limit,
        takeover_threshold: current_takeover,
    } = catalogue::catalogue(&state.app).await?;
    let page = CataloguePage {
        layout: admin.0.layout(tr.t("catalogue-title"), "/admin/catalogue"),
        interventions: interventions
            .iter()
            .map(|i| InterventionView {
                id: i.id,
                name: localised(tr.lang, &i.entry.name_nl, &i.entry.name_en).into(),
                category: i.entry.category.label(tr),
                description: localised(tr.lang, &i.entry.description_nl, &i.entry.description_en)
                    .into(),
                elements: super::plan::elements_label(tr, &i.entry.working_elements),
                retired: i.retired,
            })
            .collect(),
        aids: aids.iter().map(|a| aid_view(tr, &instrument, a)).collect(),
        categories: InterventionCategory::choices(tr, &input.category),
        elements: WorkingElement::choices_where(tr, |code| input.tags.iter().any(|t| t == code)),
        input,
        limit: limits
            .as_ref()
            .map(|l| l.0.clone())
            .unwrap_or_else(|| current_limit.to_string()),
        takeover: limits
            .map(|l| l.1)
            .unwrap_or_else(|| current_takeover.to_string()),
        errors,
    };
    Ok(render(status, &page))
}

async fn admin_page(State(state): State<AppState>, admin: AdminUser) -> Result<Response, AppError> {
    catalogue_page(
        &state,
        &admin,
        CatalogueInput::default(),
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// Reads an entry form: repeated `tags` (working elements or activities) and the texts.
fn catalogue_input(pairs: &[(String, String)]) -> CatalogueInput {
    let mut input = CatalogueInput::default();
    for (key, value) in pairs {
        let value = value.clone();
        match key.as_str() {
            "name_nl" => input.name_nl = value,
            "name_en" => input.name_en = value,
            "category" => input.category = value,
            "description_nl" => input.description_nl = value,
            "description_en" => input.description_en = value,
            "source_nl" => input.source_nl = value,
            "source_en" => input.source_en = value,
            "tags" => input.tags.push(value),
            _ => {}
        }
    }
    input
}

async fn add_intervention(
    State(state): State<AppState>,
    admin: AdminUser,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    let input = catalogue_input(&pairs);
    save_or_show(
        catalogue::add_intervention(&state.app, &admin.by(), &input).await,
        |_| "/admin/catalogue".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            catalogue_page(&state, &admin, input, None, errors, refused.status()).await
        },
    )
    .await
}

#[derive(serde::Deserialize)]
struct RetireForm {
    /// `true` retires, anything else brings the entry back.
    #[serde(default)]
    retire: String,
}

async fn retire_intervention(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    Form(form): Form<RetireForm>,
) -> Result<Response, AppError> {
    catalogue::retire_intervention(&state.app, &admin.by(), id, form.retire == "true").await?;
    Ok(Redirect::to("/admin/catalogue").into_response())
}

#[derive(serde::Deserialize)]
struct LimitForm {
    #[serde(default)]
    limit: String,
    #[serde(default)]
    takeover: String,
}

async fn set_limit(
    State(state): State<AppState>,
    admin: AdminUser,
    Form(form): Form<LimitForm>,
) -> Result<Response, AppError> {
    let input = catalogue::LimitsInput {
        max_concurrent_interventions: form.limit,
        takeover_threshold: form.takeover,
    };
    save_or_show(
        catalogue::set_limits(&state.app, &admin.by(), &input).await,
        |()| "/admin/catalogue".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            let typed = Some((input.max_concurrent_interventions, input.takeover_threshold));
            catalogue_page(
                &state,
                &admin,
                CatalogueInput::default(),
                typed,
                errors,
                refused.status(),
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "admin/aid_form.html")]
struct AidFormPage {
    layout: Layout,
    id: Option<i64>,
    activities: Vec<Choice>,
    /// The text fields: name, label key, value.
    fields: Vec<(&'static str, &'static str, String)>,
    retired: bool,
    errors: FormErrors,
}

async fn aid_form(
    state: &AppState,
    admin: &AdminUser,
    id: Option<i64>,
    input: Option<CatalogueInput>,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let tr = admin.0.tr;
    let instrument = records::daily_activity_instrument(&state.app).await?;
    let existing = match id {
        Some(id) => Some(catalogue::aid(&state.app, id).await?),
        None => None,
    };
    let input = input.unwrap_or_else(|| match &existing {
        Some(aid) => CatalogueInput {
            name_nl: aid.entry.name_nl.clone(),
            name_en: aid.entry.name_en.clone(),
            category: aid.entry.category.clone(),
            description_nl: aid.entry.description_nl.clone(),
            description_en: aid.entry.description_en.clone(),
            tags: aid.entry.activities.clone(),
            source_nl: aid.entry.source_nl.clone(),
            source_en: aid.entry.source_en.clone(),
        },
        None => CatalogueInput::default(),
    });
    let page = AidFormPage {
        layout: admin.0.layout(
            tr.t(if id.is_some() {
                "aid-edit-title"
            } else {
                "aid-new-title"
            }),
            "/admin/catalogue",
        ),
        id,
        activities: instrument
            .items
            .iter()
            .map(|i| Choice {
                value: i.key.clone(),
                label: i.name.get(tr.lang).to_string(),
                selected: input.tags.contains(&i.key),
            })
            .collect(),
        retired: existing.is_some_and(|a| a.retired),
        fields: vec![
            ("name_nl", "catalogue-name-nl", input.name_nl.clone()),
            ("name_en", "catalogue-name-en", input.name_en.clone()),
            ("category", "catalogue-category", input.category.clone()),
            (
                "description_nl",
                "catalogue-description-nl",
                input.description_nl.clone(),
            ),
            (
                "description_en",
                "catalogue-description-en",
                input.description_en.clone(),
            ),
            ("source_nl", "aid-source-nl", input.source_nl.clone()),
            ("source_en", "aid-source-en", input.source_en.clone()),
        ],
        errors,
    };
    Ok(render(status, &page))
}

async fn new_aid(State(state): State<AppState>, admin: AdminUser) -> Result<Response, AppError> {
    aid_form(
        &state,
        &admin,
        None,
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn save_aid(
    state: &AppState,
    admin: &AdminUser,
    id: Option<i64>,
    pairs: &[(String, String)],
) -> Result<Response, AppError> {
    let input = catalogue_input(pairs);
    let saved = match id {
        Some(id) => catalogue::update_aid(&state.app, &admin.by(), id, &input).await,
        None => catalogue::add_aid(&state.app, &admin.by(), &input)
            .await
            .map(|_| ()),
    };
    save_or_show(
        saved,
        |()| "/admin/catalogue#aids".into(),
        async |refused| {
            let errors = refused.errors(admin.0.tr);
            aid_form(state, admin, id, Some(input), errors, refused.status()).await
        },
    )
    .await
}

async fn create_aid(
    State(state): State<AppState>,
    admin: AdminUser,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    save_aid(&state, &admin, None, &pairs).await
}

async fn edit_aid(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
) -> Result<Response, AppError> {
    aid_form(
        &state,
        &admin,
        Some(id),
        None,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn update_aid(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    PairsForm(pairs): PairsForm,
) -> Result<Response, AppError> {
    save_aid(&state, &admin, Some(id), &pairs).await
}

async fn retire_aid(
    State(state): State<AppState>,
    admin: AdminUser,
    Id(id): Id,
    Form(form): Form<RetireForm>,
) -> Result<Response, AppError> {
    catalogue::retire_aid(&state.app, &admin.by(), id, form.retire == "true").await?;
    Ok(Redirect::to("/admin/catalogue#aids").into_response())
}
