//! `/compounds/{id}/questionnaires`, `/questionnaires/{id}/…`.
use std::collections::{HashMap, HashSet};

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, prelude::Expr, sea_query::ExprTrait,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::questionnaires::{
    answers::{self, Respondent, from_json},
    export,
    lifecycle::{self, advance, asked_holdings, audience_heads, audience_users, is_asked, parse_ids},
    model::{
        AnswerItem, AnswerPer, Audience, Question, QuestionnaireStatus, ResultsVisibility, check_answers,
        check_questions, percent, respondent_key, tally,
    },
    views::*,
};
use crate::{
    accounts::user_names,
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{building, compound, owner_link, questionnaire, questionnaire_draft, questionnaire_participation, unit},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    notices::{self, NewNotice},
    policy::Permission,
    tenancy::compound_for,
    text::{Lang, optional_text, required_text},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_questionnaires, create_questionnaire))
        .routes(routes!(get_questionnaire, update_questionnaire))
        .routes(routes!(publish))
        .routes(routes!(close))
        .routes(routes!(submit))
        .routes(routes!(edit_answer))
        .routes(routes!(save_draft))
        .routes(routes!(results))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
}

/// The most questionnaires a list returns, newest first.
const LIST_LIMIT: u64 = 100;

fn allowed(actor: &Actor, c: &compound::Model, p: Permission) -> bool {
    actor.authorize_compound(p, c).is_ok()
}

fn status(q: &questionnaire::Model) -> QuestionnaireStatus {
    QuestionnaireStatus::parse(&q.status)
}

/// Published and within its answering time.
fn is_open(q: &questionnaire::Model) -> bool {
    let now = Utc::now();
    status(q) == QuestionnaireStatus::Published && q.opens_at <= now && now < q.closes_at
}

fn questions_of(q: &questionnaire::Model) -> Vec<Question> {
    serde_json::from_str(&q.questions).unwrap_or_default()
}

/// What the caller may do with one questionnaire.
struct Access {
    /// One of the three parties (or an administrator): sees it whole, results included.
    party: bool,
    manage: bool,
    /// In its audience.
    asked: bool,
}

/// Load a questionnaire, brought up to date with the clock, and check `p`. Drafts are seen only by
/// those who manage questionnaires; a published one only by the three parties and its audience.
async fn load(
    state: &AppState,
    actor: &Actor,
    id: i64,
    p: Permission,
) -> AppResult<(questionnaire::Model, compound::Model, Access)> {
    let q = questionnaire::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(q.compound_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_compound(Permission::ViewQuestionnaires, &c)?;
    let manage = allowed(actor, &c, Permission::ManageQuestionnaires);
    let party = allowed(actor, &c, Permission::SeeQuestionnaireResults);
    if status(&q) == QuestionnaireStatus::Draft && !manage {
        return Err(AppError::NotFound);
    }
    let has_role = !actor.roles_in_compound(&c).is_empty();
    let asked = status(&q) != QuestionnaireStatus::Draft && is_asked(&state.db, &q, actor.user.id, has_role).await?;
    if !party && !asked {
        return Err(AppError::NotFound);
    }
    actor.authorize_compound(p, &c)?;
    let q = advance(&state.db, q).await?;
    Ok((q, c, Access { party, manage, asked }))
}

struct Checked {
    title: String,
    description: String,
    questions: String,
    building_ids: Option<String>,
}

async fn check_new(db: &impl ConnectionTrait, c: &compound::Model, req: &NewQuestionnaire) -> AppResult<Checked> {
    let title = required_text("title", &req.title, 200)?;
    let description = optional_text("description", Some(&req.description), 20_000)?.unwrap_or_default();
    let questions = check_questions(&req.questions)?;
    if req.closes_at <= req.opens_at {
        return Err(AppError::field("closes_at", "must be after opens_at"));
    }
    if req.audience == Audience::Residents && req.answer_per == AnswerPer::Holder {
        return Err(AppError::field("answer_per", "everyone with a role answers for themselves: choose per person"));
    }
    // Editing would need a way back to one's answer: that is the very link anonymity forbids.
    if req.anonymous && req.allow_edit {
        return Err(AppError::field("allow_edit", "answers to an anonymous questionnaire cannot be changed"));
    }
    if let Some(a) = req.agenda_id {
        // The agenda it informs lives in this compound, or is one of its community's as a whole.
        let found = crate::entities::agenda::Entity::find_by_id(a).one(db).await?;
        let here = found.is_some_and(|a| match a.compound_id {
            Some(id) => id == c.id,
            None => a.community_id == c.community_id,
        });
        if !here {
            return Err(AppError::field("agenda_id", "is not an agenda"));
        }
    }
    let ids: Vec<i64> = req.building_ids.clone().unwrap_or_default();
    let building_ids = match (req.audience, ids.is_empty()) {
        (Audience::Buildings, true) => return Err(AppError::field("building_ids", "choose at least one building")),
        (Audience::Buildings, false) => {
            let mut ids = ids;
            ids.sort_unstable();
            ids.dedup();
            let found = building::Entity::find()
                .filter(building::Column::CompoundId.eq(c.id))
                .filter(building::Column::Id.is_in(ids.clone()))
                .count(db)
                .await?;
            if found as usize != ids.len() {
                return Err(AppError::field("building_ids", "a building is not in this compound"));
            }
            Some(serde_json::to_string(&ids).map_err(anyhow::Error::from)?)
        }
        (_, true) => None,
        (_, false) => return Err(AppError::field("building_ids", "only a buildings audience lists buildings")),
    };
    Ok(Checked {
        title,
        description,
        questions: serde_json::to_string(&questions).map_err(anyhow::Error::from)?,
        building_ids,
    })
}

async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    q: &questionnaire::Model,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        db,
        Event {
            actor_id: Some(actor.user.id),
            action,
            community_id: None,
            compound_id: Some(q.compound_id),
            subject: format!("questionnaire:{}", q.id),
            detail,
        },
    )
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct KeyCount {
    key: i64,
    n: i64,
}

/// Respondents per questionnaire as readers see them (anonymous ones in steps), in one grouped
/// query.
async fn respondents_of(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let rows = questionnaire_participation::Entity::find()
        .select_only()
        .column_as(questionnaire_participation::Column::QuestionnaireId, "key")
        .column_as(Expr::col(questionnaire_participation::Column::Id).count(), "n")
        .filter(questionnaire_participation::Column::QuestionnaireId.is_in(ids.iter().copied()))
        .filter(questionnaire_participation::Column::Released.eq(true))
        .group_by(questionnaire_participation::Column::QuestionnaireId)
        .into_model::<KeyCount>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.key, r.n)).collect())
}

/// The caller's (holder, building) pairs in compound `c`, for deciding which questionnaires ask them.
async fn my_units(db: &impl ConnectionTrait, user_id: i64, c: &compound::Model) -> AppResult<Vec<(i64, i64)>> {
    let holders: Vec<i64> = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.holder_id)
        .collect();
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::CompoundId.eq(c.id))
        .filter(unit::Column::HolderId.is_in(holders))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.holder_id, u.building_id))
        .collect())
}

/// Whether a questionnaire asks someone with these units (and, for residents, any role here).
fn asks(q: &questionnaire::Model, units: &[(i64, i64)], has_role: bool) -> bool {
    match Audience::parse(&q.audience) {
        Audience::Residents => has_role,
        Audience::Owners => !units.is_empty(),
        Audience::Buildings => {
            let chosen = parse_ids(q.building_ids.as_deref()).unwrap_or_default();
            units.iter().any(|(_, b)| chosen.contains(b))
        }
    }
}

fn summary(q: &questionnaire::Model, respondents: i64, answered: bool) -> QuestionnaireSummary {
    QuestionnaireSummary {
        id: q.id,
        compound_id: q.compound_id,
        title: q.title.clone(),
        status: status(q),
        open: is_open(q),
        anonymous: q.anonymous,
        audience: Audience::parse(&q.audience),
        opens_at: q.opens_at,
        closes_at: q.closes_at,
        respondents,
        answered,
    }
}

/// Whether the caller may read the results now.
fn results_visible(q: &questionnaire::Model, access: &Access) -> bool {
    access.party
        || (access.asked
            && match status(q) {
                QuestionnaireStatus::Closed => true,
                QuestionnaireStatus::Published => {
                    ResultsVisibility::parse(&q.results_visibility) == ResultsVisibility::Live
                }
                QuestionnaireStatus::Draft => false,
            })
}

async fn my_answer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    q: &questionnaire::Model,
    access: &Access,
) -> AppResult<MyAnswer> {
    let per = AnswerPer::parse(&q.answer_per);
    let eligible = access.asked;
    let holdings =
        if eligible && per == AnswerPer::Holder { asked_holdings(db, q, actor.user.id).await? } else { vec![] };
    let keys: Vec<String> = if per == AnswerPer::Holder {
        holdings.iter().map(|h| respondent_key(per, Some(h.holder_id), actor.user.id)).collect()
    } else {
        vec![respondent_key(per, None, actor.user.id)]
    };
    let taken: HashSet<String> = questionnaire_participation::Entity::find()
        .filter(questionnaire_participation::Column::QuestionnaireId.eq(q.id))
        .filter(questionnaire_participation::Column::RespondentKey.is_in(keys.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.respondent_key)
        .collect();
    let answered = eligible && !keys.is_empty() && keys.iter().all(|k| taken.contains(k));
    let named = answers::named_answer(db, q, actor.user.id).await?;
    let draft = questionnaire_draft::Entity::find()
        .filter(questionnaire_draft::Column::QuestionnaireId.eq(q.id))
        .filter(questionnaire_draft::Column::UserId.eq(actor.user.id))
        .one(db)
        .await?;
    let open = is_open(q);
    Ok(MyAnswer {
        eligible,
        holdings: holdings
            .into_iter()
            .map(|h| MyHoldingAsked {
                answered: taken.contains(&respondent_key(per, Some(h.holder_id), actor.user.id)),
                holder_id: h.holder_id,
                label: h.label,
            })
            .collect(),
        answered,
        can_submit: open && eligible && !answered,
        can_edit: open && q.allow_edit && !q.anonymous && named.is_some(),
        answers: named.as_ref().map(|a| from_json(&a.answers)),
        submitted_at: named.and_then(|a| a.submitted_at),
        draft: draft.as_ref().map(|d| from_json(&d.answers)),
        draft_saved_at: draft.map(|d| d.updated_at),
    })
}

async fn view(
    state: &AppState,
    actor: &Actor,
    q: &questionnaire::Model,
    c: &compound::Model,
    access: &Access,
) -> AppResult<QuestionnaireView> {
    let ids = parse_ids(q.building_ids.as_deref());
    let buildings = match &ids {
        Some(ids) => building::Entity::find()
            .filter(building::Column::Id.is_in(ids.iter().copied()))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|b| b.name)
            .collect(),
        None => Vec::new(),
    };
    let creator = user_names(&state.db, [q.created_by]).await?.remove(&q.created_by).unwrap_or_default();
    let respondents = respondents_of(&state.db, &[q.id]).await?.get(&q.id).copied().unwrap_or(0);
    Ok(QuestionnaireView {
        id: q.id,
        compound_id: q.compound_id,
        compound_name: c.name.clone(),
        title: q.title.clone(),
        description: q.description.clone(),
        questions: questions_of(q),
        audience: Audience::parse(&q.audience),
        building_ids: ids,
        buildings,
        anonymous: q.anonymous,
        answer_per: AnswerPer::parse(&q.answer_per),
        allow_edit: q.allow_edit,
        results_visibility: ResultsVisibility::parse(&q.results_visibility),
        opens_at: q.opens_at,
        closes_at: q.closes_at,
        status: status(q),
        open: is_open(q),
        agenda_id: q.agenda_id,
        created_by: creator,
        created_at: q.created_at,
        published_at: q.published_at,
        closed_at: q.closed_at,
        respondents,
        can_manage: access.manage,
        results_visible: results_visible(q, access),
        can_export: access.party,
        my: my_answer(&state.db, actor, q, access).await?,
    })
}

/// The compound's questionnaires, newest first (at most 100): drafts for those who build them,
/// and to everyone else those that ask them.
#[utoipa::path(get, path = "/compounds/{id}/questionnaires", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<QuestionnaireSummary>), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn list_questionnaires(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<QuestionnaireSummary>>> {
    let c = compound_for(&state.db, &actor, id, Permission::ViewQuestionnaires).await?;
    let manage = allowed(&actor, &c, Permission::ManageQuestionnaires);
    let party = allowed(&actor, &c, Permission::SeeQuestionnaireResults);
    let mut find = questionnaire::Entity::find()
        .filter(questionnaire::Column::CompoundId.eq(c.id))
        .order_by_desc(questionnaire::Column::Id)
        .limit(LIST_LIMIT);
    if !manage {
        find = find.filter(questionnaire::Column::Status.ne(QuestionnaireStatus::Draft.as_str()));
    }
    let units = my_units(&state.db, actor.user.id, &c).await?;
    let has_role = !actor.roles_in_compound(&c).is_empty();
    let mut list = Vec::new();
    for q in find.all(&state.db).await? {
        if party || asks(&q, &units, has_role) {
            list.push(advance(&state.db, q).await?);
        }
    }
    let ids: Vec<i64> = list.iter().map(|q| q.id).collect();
    let counts = respondents_of(&state.db, &ids).await?;
    let holders: Vec<i64> = units.iter().map(|(h, _)| *h).collect();
    let mine: HashSet<i64> = questionnaire_participation::Entity::find()
        .filter(questionnaire_participation::Column::QuestionnaireId.is_in(ids))
        .filter(
            sea_orm::Condition::any()
                .add(questionnaire_participation::Column::UserId.eq(actor.user.id))
                .add(questionnaire_participation::Column::HolderId.is_in(holders)),
        )
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| p.questionnaire_id)
        .collect();
    Ok(Json(list.iter().map(|q| summary(q, counts.get(&q.id).copied().unwrap_or(0), mine.contains(&q.id))).collect()))
}

/// Build a questionnaire. Nobody is asked until it is published.
#[utoipa::path(post, path = "/compounds/{id}/questionnaires", tag = "questionnaires", request_body = NewQuestionnaire,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = QuestionnaireView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create_questionnaire(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewQuestionnaire>,
) -> AppResult<(StatusCode, Json<QuestionnaireView>)> {
    let c = compound_for(&state.db, &actor, id, Permission::ManageQuestionnaires).await?;
    let checked = check_new(&state.db, &c, &req).await?;
    let txn = write_txn(&state.db).await?;
    let q = questionnaire::Entity::insert(questionnaire::ActiveModel {
        compound_id: Set(c.id),
        title: Set(checked.title),
        description: Set(checked.description),
        questions: Set(checked.questions),
        audience: Set(req.audience.as_str().into()),
        building_ids: Set(checked.building_ids),
        anonymous: Set(req.anonymous),
        answer_per: Set(req.answer_per.as_str().into()),
        allow_edit: Set(req.allow_edit),
        results_visibility: Set(req.results_visibility.as_str().into()),
        opens_at: Set(req.opens_at),
        closes_at: Set(req.closes_at),
        status: Set(QuestionnaireStatus::Draft.as_str().into()),
        agenda_id: Set(req.agenda_id),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    record(&txn, &actor, &q, "questionnaire.drafted", json!({ "title": q.title })).await?;
    txn.commit().await?;
    let access = Access { party: allowed(&actor, &c, Permission::SeeQuestionnaireResults), manage: true, asked: false };
    Ok((StatusCode::CREATED, Json(view(&state, &actor, &q, &c, &access).await?)))
}

/// A questionnaire: its questions, and where I stand with it (my draft, my answer).
#[utoipa::path(get, path = "/questionnaires/{id}", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_questionnaire(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<QuestionnaireView>> {
    let (q, c, access) = load(&state, &actor, id, Permission::ViewQuestionnaires).await?;
    Ok(Json(view(&state, &actor, &q, &c, &access).await?))
}

/// Change a draft.
#[utoipa::path(patch, path = "/questionnaires/{id}", tag = "questionnaires", request_body = NewQuestionnaire,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_questionnaire(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewQuestionnaire>,
) -> AppResult<Json<QuestionnaireView>> {
    let (q, c, access) = load(&state, &actor, id, Permission::ManageQuestionnaires).await?;
    if status(&q) != QuestionnaireStatus::Draft {
        return Err(AppError::conflict("not_a_draft", "only a draft can be changed"));
    }
    let checked = check_new(&state.db, &c, &req).await?;
    let txn = write_txn(&state.db).await?;
    let mut am: questionnaire::ActiveModel = q.into();
    am.title = Set(checked.title);
    am.description = Set(checked.description);
    am.questions = Set(checked.questions);
    am.audience = Set(req.audience.as_str().into());
    am.building_ids = Set(checked.building_ids);
    am.anonymous = Set(req.anonymous);
    am.answer_per = Set(req.answer_per.as_str().into());
    am.allow_edit = Set(req.allow_edit);
    am.results_visibility = Set(req.results_visibility.as_str().into());
    am.opens_at = Set(req.opens_at);
    am.closes_at = Set(req.closes_at);
    am.agenda_id = Set(req.agenda_id);
    let q = am.update(&txn).await?;
    record(&txn, &actor, &q, "questionnaire.draft_changed", json!({ "title": q.title })).await?;
    txn.commit().await?;
    Ok(Json(view(&state, &actor, &q, &c, &access).await?))
}

/// The time as owners read it: Beijing time.
fn beijing(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).format("%Y-%m-%d %H:%M").to_string()
}

/// Publish a draft: everyone it asks finds it in their inbox.
#[utoipa::path(post, path = "/questionnaires/{id}/publish", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<QuestionnaireView>> {
    let (q, c, access) = load(&state, &actor, id, Permission::ManageQuestionnaires).await?;
    if status(&q) != QuestionnaireStatus::Draft {
        return Err(AppError::conflict("not_a_draft", "this questionnaire has already been published"));
    }
    let now = Utc::now();
    if q.closes_at <= now {
        return Err(AppError::field("closes_at", "is already past"));
    }
    let txn = write_txn(&state.db).await?;
    let moved = questionnaire::Entity::update_many()
        .col_expr(questionnaire::Column::Status, Expr::value(QuestionnaireStatus::Published.as_str()))
        .col_expr(questionnaire::Column::PublishedAt, Expr::value(now))
        .filter(questionnaire::Column::Id.eq(q.id))
        .filter(questionnaire::Column::Status.eq(QuestionnaireStatus::Draft.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("not_a_draft", "this questionnaire has already been published"));
    }
    let recipients = audience_users(&txn, &q, &c).await?;
    notices::publish(
        &txn,
        NewNotice {
            community_id: c.community_id,
            compound_id: Some(c.id),
            kind: "questionnaire",
            title: format!("问卷调查：{}", q.title),
            body: format!(
                "请于 {} 前在手机上填写。{}",
                beijing(q.closes_at),
                if q.anonymous { "本问卷匿名。" } else { "" }
            ),
            link: Some(format!("/questionnaires/{}", q.id)),
            created_by: Some(actor.user.id),
        },
        &recipients,
    )
    .await?;
    record(
        &txn,
        &actor,
        &q,
        "questionnaire.published",
        json!({ "recipients": recipients.len(), "audience": q.audience, "anonymous": q.anonymous,
                "opens_at": q.opens_at, "closes_at": q.closes_at }),
    )
    .await?;
    txn.commit().await?;
    let q = questionnaire::Entity::find_by_id(q.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(view(&state, &actor, &q, &c, &access).await?))
}

/// Close a questionnaire before its time.
#[utoipa::path(post, path = "/questionnaires/{id}/close", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn close(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<QuestionnaireView>> {
    let (q, c, access) = load(&state, &actor, id, Permission::ManageQuestionnaires).await?;
    if status(&q) != QuestionnaireStatus::Published {
        return Err(AppError::conflict("questionnaire_not_published", "only a published questionnaire can be closed"));
    }
    let txn = write_txn(&state.db).await?;
    let closed = lifecycle::close(&txn, &q, Some(actor.user.id)).await?;
    txn.commit().await?;
    if !closed {
        return Err(AppError::conflict("questionnaire_not_published", "only a published questionnaire can be closed"));
    }
    let q = questionnaire::Entity::find_by_id(q.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(view(&state, &actor, &q, &c, &access).await?))
}

/// The questionnaire open for answers, its questions, and that the caller is asked.
async fn answerable(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> AppResult<(questionnaire::Model, Vec<Question>, Access)> {
    let (q, _, access) = load(state, actor, id, Permission::AnswerQuestionnaires).await?;
    if !is_open(&q) {
        let message = match status(&q) {
            QuestionnaireStatus::Closed => "this questionnaire has closed",
            _ => "this questionnaire is not taking answers now",
        };
        return Err(AppError::conflict("questionnaire_not_open", message));
    }
    if !access.asked {
        return Err(AppError::Forbidden);
    }
    let questions = questions_of(&q);
    Ok((q, questions, access))
}

/// Send my answers. Per holder, one answer per household: a second account of the same holder
/// gets 409.
#[utoipa::path(post, path = "/questionnaires/{id}/answers", tag = "questionnaires", request_body = SubmitAnswers,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AnswerReceipt), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn submit(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<SubmitAnswers>,
) -> AppResult<(StatusCode, Json<AnswerReceipt>)> {
    let (q, questions, _) = answerable(&state, &actor, id).await?;
    let answers = check_answers(&questions, &req.answers, true)?;
    let holder_id = if AnswerPer::parse(&q.answer_per) == AnswerPer::Holder {
        let mine = asked_holdings(&state.db, &q, actor.user.id).await?;
        match (req.holder_id, mine.as_slice()) {
            (Some(h), _) if mine.iter().any(|m| m.holder_id == h) => Some(h),
            (Some(_), _) => return Err(AppError::field("holder_id", "you cannot answer for this holder")),
            (None, [only]) => Some(only.holder_id),
            (None, _) => {
                return Err(AppError::field("holder_id", "you hold several households here: choose one"));
            }
        }
    } else {
        None
    };
    let txn = write_txn(&state.db).await?;
    answers::submit(&txn, &q, Respondent { user_id: actor.user.id, holder_id }, &answers).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(AnswerReceipt { questionnaire_id: q.id, submitted: true, can_edit: q.allow_edit && !q.anonymous }),
    ))
}

/// Change my named answer, while the questionnaire is open and its creator allows it.
#[utoipa::path(put, path = "/questionnaires/{id}/answers/mine", tag = "questionnaires", request_body = SubmitAnswers,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AnswerReceipt), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn edit_answer(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<SubmitAnswers>,
) -> AppResult<Json<AnswerReceipt>> {
    let (q, questions, _) = answerable(&state, &actor, id).await?;
    if q.anonymous || !q.allow_edit {
        return Err(AppError::conflict("answer_not_editable", "answers to this questionnaire cannot be changed"));
    }
    let previous = answers::named_answer(&state.db, &q, actor.user.id).await?.ok_or(AppError::NotFound)?;
    let answers = check_answers(&questions, &req.answers, true)?;
    let txn = write_txn(&state.db).await?;
    answers::edit(&txn, &q, &previous, &answers).await?;
    txn.commit().await?;
    Ok(Json(AnswerReceipt { questionnaire_id: q.id, submitted: true, can_edit: true }))
}

/// Keep my unfinished answers (only I see them), to finish later.
#[utoipa::path(put, path = "/questionnaires/{id}/draft", tag = "questionnaires", request_body = DraftAnswers,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DraftSaved), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_draft(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<DraftAnswers>,
) -> AppResult<Json<DraftSaved>> {
    let (q, questions, _) = answerable(&state, &actor, id).await?;
    let answers = check_answers(&questions, &req.answers, false)?;
    let d = answers::save_draft(&state.db, q.id, actor.user.id, &answers).await?;
    Ok(Json(DraftSaved { saved_at: d.updated_at }))
}

/// The answers with their authors' names where the reader may know them.
async fn answers_for_results(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    with_authors: bool,
) -> AppResult<Vec<(Vec<AnswerItem>, Option<String>)>> {
    let rows = answers::all_answers(db, q).await?;
    let names =
        if with_authors { user_names(db, rows.iter().filter_map(|r| r.user_id)).await? } else { HashMap::new() };
    Ok(rows
        .into_iter()
        .map(|r| {
            let who = r.user_id.and_then(|u| names.get(&u).cloned());
            (from_json(&r.answers), who)
        })
        .collect())
}

async fn compute_results(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    c: &compound::Model,
    access: &Access,
) -> AppResult<(QuestionnaireResults, Vec<(Vec<AnswerItem>, Option<String>)>)> {
    let named = !q.anonymous && access.party;
    let answers = answers_for_results(db, q, named).await?;
    let respondents = respondents_of(db, &[q.id]).await?.get(&q.id).copied().unwrap_or(0);
    let heads = match q.audience_heads {
        Some(h) => h,
        None => audience_heads(db, q, c).await?,
    };
    let questions = questions_of(q);
    Ok((
        QuestionnaireResults {
            questionnaire_id: q.id,
            status: status(q),
            respondents,
            audience_heads: heads,
            response_rate: percent(respondents, heads),
            named,
            questions: tally(&questions, &answers),
        },
        answers,
    ))
}

/// The results: per question counts and percentages, ratings, free-text answers, response rate.
/// The three parties see them at any time; the audience live or after close, as the creator chose.
#[utoipa::path(get, path = "/questionnaires/{id}/results", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireResults), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn results(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<QuestionnaireResults>> {
    let (q, c, access) = load(&state, &actor, id, Permission::ViewQuestionnaires).await?;
    if !results_visible(&q, &access) {
        return Err(AppError::conflict("results_after_close", "the results are shown when the questionnaire closes"));
    }
    Ok(Json(compute_results(&state.db, &q, &c, &access).await?.0))
}

fn file_response(content_type: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

/// The results summary as CSV (UTF-8 with BOM), for the three parties.
#[utoipa::path(get, path = "/questionnaires/{id}/export.csv", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn export_csv(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (q, c, access) = load(&state, &actor, id, Permission::SeeQuestionnaireResults).await?;
    let (r, _) = compute_results(&state.db, &q, &c, &access).await?;
    let rows = export::summary_rows(&r.questions, r.respondents, r.audience_heads, r.response_rate, lang);
    let csv = export::to_csv(&rows);
    Ok(file_response("text/csv; charset=utf-8", &format!("questionnaire-{}.csv", q.id), csv.into_bytes()))
}

/// The results as an XLSX workbook: the summary, and one row per answer, for the three parties.
#[utoipa::path(get, path = "/questionnaires/{id}/export.xlsx", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               body = Vec<u8>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn export_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let (q, c, access) = load(&state, &actor, id, Permission::SeeQuestionnaireResults).await?;
    let (r, answers) = compute_results(&state.db, &q, &c, &access).await?;
    let summary = export::summary_rows(&r.questions, r.respondents, r.audience_heads, r.response_rate, lang);
    let responses = export::response_rows(&questions_of(&q), &answers, r.named, lang);
    let (a, b) = if lang == Lang::Zh { ("汇总", "答卷") } else { ("Summary", "Answers") };
    let bytes = export::to_xlsx(&[(a, &summary), (b, &responses)])?;
    Ok(file_response(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("questionnaire-{}.xlsx", q.id),
        bytes,
    ))
}
