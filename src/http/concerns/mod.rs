//! `/compounds/{id}/concerns` and `/concerns/{id}/…`: raising a concern and every step after.
mod categories;
mod dashboard;

use std::collections::HashMap;

use axum::{extract::State, http::StatusCode, response::Response};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    prelude::Expr, sea_query::ExprTrait,
};
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::concerns::{
    ConcernFilter, ConcernPage, ConcernStatus, ConcernStep, ConcernSummary, ConcernView, DepartmentResponse,
    EscalateRequest, MAX_PHOTOS, NewConcern, NoteRequest, RateRequest, ReopenRequest, ReplyRequest, RouteRequest,
    categories::categories_of, check_rating, due_at, is_overdue, next_status, party_kinds, party_members,
};
use crate::concerns::{
    Loaded, Step, concern_for, excerpt, refuse, require_assigned, require_raiser, take_step, tell, view,
};
use crate::{
    accounts::person_names,
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{
        building, compound, concern, concern_category, concern_escalation, concern_event, concern_photo, file, party,
    },
    error::{AppError, AppResult, ErrorBody},
    files::{FileView, MAX_FILE_BYTES},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    policy::{PartyKind, Permission},
    text::{PageWindow, optional_text, page_window, required_text},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(categories::router())
        .merge(dashboard::router())
        .routes(routes!(list_concerns, raise))
        .routes(routes!(get_concern))
        .routes(routes!(route))
        .routes(routes!(acknowledge))
        .routes(routes!(reply))
        .routes(routes!(resolve))
        .routes(routes!(confirm))
        .routes(routes!(reopen))
        .routes(routes!(rate))
        .routes(routes!(escalate))
        .routes(routes!(department_response))
        .routes(routes!(photo))
        // Only the photo upload takes a large body.
        .merge(
            OpenApiRouter::new().routes(routes!(add_photo)).layer(axum::extract::DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
}

/// Reload after a change and answer the concern.
async fn answer(state: &AppState, actor: &Actor, id: i64) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, actor, id).await?;
    Ok(Json(view(&state.db, actor, &l).await?))
}

/// A compound's concerns, newest first, a page at a time. The three parties and the community
/// office see them all; anyone else sees their own.
#[utoipa::path(get, path = "/compounds/{id}/concerns", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), ConcernFilter),
    responses((status = 200, body = ConcernPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn list_concerns(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(f): Query<ConcernFilter>,
) -> AppResult<Json<ConcernPage>> {
    let c = compound::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let all = actor.authorize_compound(Permission::ViewConcerns, &c).is_ok();
    if !all {
        actor.authorize_compound(Permission::RaiseConcern, &c)?;
    }
    let now = Utc::now();
    let mut find = concern::Entity::find().filter(concern::Column::CompoundId.eq(c.id));
    if !all || f.mine == Some(true) {
        find = find.filter(concern::Column::RaisedBy.eq(actor.user.id));
    }
    if let Some(s) = f.status {
        find = find.filter(concern::Column::Status.eq(s.as_str()));
    }
    if let Some(cat) = f.category_id {
        find = find.filter(concern::Column::CategoryId.eq(cat));
    }
    if let Some(k) = f.party_kind {
        find = find.filter(concern::Column::AssignedKind.eq(k.as_str()));
    }
    if f.overdue == Some(true) {
        find = find
            .filter(concern::Column::Status.is_in(ConcernStatus::OPEN.map(|s| s.as_str())))
            .filter(concern::Column::DueAt.lt(now));
    }
    let PageWindow { page, per_page, offset } = page_window(f.page, f.per_page, 20, 50);
    let total = find.clone().count(&state.db).await?;
    let rows = find
        .order_by_desc(concern::Column::CreatedAt)
        .order_by_desc(concern::Column::Id)
        .offset(offset)
        .limit(per_page)
        .all(&state.db)
        .await?;
    let categories: HashMap<i64, concern_category::Model> =
        categories_of(&state.db, c.community_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let names = person_names(&state.db, rows.iter().map(|r| r.raised_by)).await?;
    #[derive(FromQueryResult)]
    struct Count {
        concern_id: i64,
        n: i64,
    }
    let photos: HashMap<i64, i64> = concern_photo::Entity::find()
        .select_only()
        .column(concern_photo::Column::ConcernId)
        .column_as(Expr::col(concern_photo::Column::Id).count(), "n")
        .filter(concern_photo::Column::ConcernId.is_in(rows.iter().map(|r| r.id)))
        .group_by(concern_photo::Column::ConcernId)
        .into_model::<Count>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.concern_id, c.n))
        .collect();
    let items = rows
        .iter()
        .filter_map(|r| {
            let status = ConcernStatus::parse(&r.status);
            Some(ConcernSummary {
                id: r.id,
                compound_id: r.compound_id,
                category: categories.get(&r.category_id)?.into(),
                excerpt: excerpt(&r.text, 80),
                status,
                assigned_kind: r.assigned_kind.as_deref().and_then(PartyKind::parse),
                overdue: is_overdue(status, r.due_at, now),
                due_at: r.due_at,
                created_at: r.created_at,
                updated_at: r.updated_at,
                raised_by_name: names.get(&r.raised_by).map(|p| p.name.clone()).unwrap_or_default(),
                raised_by_person: names.get(&r.raised_by).cloned().unwrap_or_default(),
                mine: r.raised_by == actor.user.id,
                photos: photos.get(&r.id).copied().unwrap_or(0),
                rating: r.rating,
            })
        })
        .collect();
    Ok(Json(ConcernPage { items, total, page, per_page }))
}

/// Raise a concern in a compound. The community office is told, and routes it.
#[utoipa::path(post, path = "/compounds/{id}/concerns", tag = "concerns", request_body = NewConcern,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = ConcernView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn raise(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewConcern>,
) -> AppResult<(StatusCode, Json<ConcernView>)> {
    let c = crate::tenancy::compound_for(&state.db, &actor, id, Permission::RaiseConcern).await?;
    let text = required_text("text", &req.text, 2000)?;
    let location = optional_text("location", req.location.as_deref(), 200)?;
    let category = concern_category::Entity::find_by_id(req.category_id)
        .filter(concern_category::Column::CommunityId.eq(c.community_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::field("category_id", "no such category in this community"))?;
    if let Some(b) = req.building_id {
        building::Entity::find_by_id(b)
            .filter(building::Column::CompoundId.eq(c.id))
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::field("building_id", "a building is not in this compound"))?;
    }
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let row = concern::Entity::insert(concern::ActiveModel {
        community_id: Set(c.community_id),
        compound_id: Set(c.id),
        building_id: Set(req.building_id),
        location: Set(location),
        category_id: Set(category.id),
        text: Set(text),
        raised_by: Set(actor.user.id),
        status: Set(ConcernStatus::Submitted.as_str().into()),
        assigned_party_id: Set(None),
        assigned_kind: Set(None),
        due_at: Set(due_at(now, category.time_limit_hours)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    let kinds = party_kinds(&actor, &c);
    concern_event::Entity::insert(concern_event::ActiveModel {
        concern_id: Set(row.id),
        kind: Set(ConcernStep::Raised.as_str().into()),
        actor_id: Set(Some(actor.user.id)),
        actor_kind: Set(None),
        note: Set(None),
        detail: Set(None),
        at: Set(now),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "concern.raised",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("concern:{}", row.id),
            detail: json!({ "category": category.key, "due_at": row.due_at }),
        },
    )
    .await?;
    let l = Loaded { concern: row, compound: c, kinds, mine: true };
    let office = party_members(&txn, &l.compound, PartyKind::CommunityOffice).await?;
    tell(
        &txn,
        &l,
        "concern_raised",
        format!("新诉求（{}）：{}", category.name_zh, l.compound.name),
        excerpt(&l.concern.text, 80),
        &office,
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(view(&state.db, &actor, &l).await?)))
}

/// A concern with its photos, timeline and escalations, and what the caller may do with it.
#[utoipa::path(get, path = "/concerns/{id}", tag = "concerns", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 404, body = ErrorBody)))]
async fn get_concern(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<ConcernView>> {
    answer(&state, &actor, id).await
}

/// Route a concern to the party on duty (the category's default unless another is named), or
/// to the community office itself. The party's members are told.
#[utoipa::path(post, path = "/concerns/{id}/route", tag = "concerns", request_body = RouteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn route(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<RouteRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    actor.authorize_compound(Permission::RouteConcerns, &l.compound)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    let kind = match req.party_kind {
        Some(k) => k,
        None => {
            let cat = concern_category::Entity::find_by_id(l.concern.category_id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            PartyKind::parse(&cat.default_party_kind).unwrap_or(PartyKind::CommunityOffice)
        }
    };
    let mut find = party::Entity::find().filter(party::Column::Kind.eq(kind.as_str()));
    find = match kind {
        PartyKind::CommunityOffice => find
            .filter(party::Column::CommunityId.eq(l.compound.community_id))
            .filter(party::Column::CompoundId.is_null()),
        _ => find.filter(party::Column::CompoundId.eq(l.compound.id)),
    };
    let p =
        find.one(&state.db).await?.ok_or_else(|| AppError::field("party_kind", "this compound has no such party"))?;
    let txn = write_txn(&state.db).await?;
    let step = Step {
        step: ConcernStep::Routed,
        note: note.clone(),
        as_party: true,
        party: Some(&p),
        rating: None,
        detail: json!({}),
    };
    take_step(&txn, &actor, &l, step).await?;
    let members = party_members(&txn, &l.compound, kind).await?;
    let body = note.unwrap_or_else(|| excerpt(&l.concern.text, 80));
    tell(&txn, &l, "concern_routed", format!("诉求转交{}处理", p.name), body, &members).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// The assigned party takes the concern on.
#[utoipa::path(post, path = "/concerns/{id}/acknowledge", tag = "concerns", request_body = NoteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn acknowledge(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NoteRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    require_assigned(&actor, &l)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    let txn = write_txn(&state.db).await?;
    let step =
        Step { step: ConcernStep::Acknowledged, note, as_party: true, party: None, rating: None, detail: json!({}) };
    take_step(&txn, &actor, &l, step).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Answer the raiser: the assigned party, or the community office. The raiser is told.
#[utoipa::path(post, path = "/concerns/{id}/replies", tag = "concerns", request_body = ReplyRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reply(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<ReplyRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    actor.authorize_compound(Permission::HandleConcerns, &l.compound)?;
    let office = l.kinds.contains(&PartyKind::CommunityOffice);
    if !office {
        require_assigned(&actor, &l)?;
    }
    let text = required_text("text", &req.text, 2000)?;
    let txn = write_txn(&state.db).await?;
    let step = Step {
        step: ConcernStep::Replied,
        note: Some(text.clone()),
        as_party: true,
        party: None,
        rating: None,
        detail: json!({}),
    };
    take_step(&txn, &actor, &l, step).await?;
    if !l.mine {
        tell(&txn, &l, "concern_replied", "您的诉求有了答复".into(), excerpt(&text, 120), &[l.concern.raised_by])
            .await?;
    }
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// The assigned party marks the concern resolved; the raiser is asked to confirm and rate.
#[utoipa::path(post, path = "/concerns/{id}/resolve", tag = "concerns", request_body = NoteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn resolve(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NoteRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    require_assigned(&actor, &l)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    let txn = write_txn(&state.db).await?;
    let step = Step {
        step: ConcernStep::Resolved,
        note: note.clone(),
        as_party: true,
        party: None,
        rating: None,
        detail: json!({}),
    };
    take_step(&txn, &actor, &l, step).await?;
    let body = format!("{}请确认并评价满意度。", note.map(|n| format!("{n}。")).unwrap_or_default());
    tell(&txn, &l, "concern_resolved", "您的诉求已办结".into(), body, &[l.concern.raised_by]).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// The raiser confirms that the concern is settled.
#[utoipa::path(post, path = "/concerns/{id}/confirm", tag = "concerns", request_body = NoteRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn confirm(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NoteRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    require_raiser(&l)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    let txn = write_txn(&state.db).await?;
    let step =
        Step { step: ConcernStep::Confirmed, note, as_party: false, party: None, rating: None, detail: json!({}) };
    take_step(&txn, &actor, &l, step).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// The raiser says it is not settled; the assigned party is told.
#[utoipa::path(post, path = "/concerns/{id}/reopen", tag = "concerns", request_body = ReopenRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn reopen(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<ReopenRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    require_raiser(&l)?;
    let reason = required_text("reason", &req.reason, 1000)?;
    let txn = write_txn(&state.db).await?;
    let step = Step {
        step: ConcernStep::Reopened,
        note: Some(reason.clone()),
        as_party: false,
        party: None,
        rating: None,
        detail: json!({}),
    };
    take_step(&txn, &actor, &l, step).await?;
    if let Some(k) = l.assigned() {
        let members = party_members(&txn, &l.compound, k).await?;
        tell(&txn, &l, "concern_reopened", "诉求被重新打开".into(), reason, &members).await?;
    }
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// The raiser rates satisfaction, 1 to 5, once the concern is resolved.
#[utoipa::path(post, path = "/concerns/{id}/rating", tag = "concerns", request_body = RateRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<RateRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    require_raiser(&l)?;
    let rating = check_rating(req.rating).map_err(|m| AppError::field("rating", m))?;
    let comment = optional_text("comment", req.comment.as_deref(), 1000)?;
    let txn = write_txn(&state.db).await?;
    let step = Step {
        step: ConcernStep::Rated,
        note: comment,
        as_party: false,
        party: None,
        rating: Some(rating),
        detail: json!({}),
    };
    take_step(&txn, &actor, &l, step).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Escalate to an outside department (吹哨): which one, and what it was asked.
#[utoipa::path(post, path = "/concerns/{id}/escalations", tag = "concerns", request_body = EscalateRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn escalate(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<EscalateRequest>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    actor.authorize_compound(Permission::EscalateConcerns, &l.compound)?;
    let department = required_text("department", &req.department, 100)?;
    let request = required_text("request", &req.request, 2000)?;
    let txn = write_txn(&state.db).await?;
    let e = concern_escalation::Entity::insert(concern_escalation::ActiveModel {
        concern_id: Set(l.concern.id),
        department: Set(department.clone()),
        request: Set(request.clone()),
        escalated_by: Set(actor.user.id),
        escalated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    let detail = json!({ "department": department, "escalation_id": e.id });
    let step =
        Step { step: ConcernStep::Escalated, note: Some(request), as_party: true, party: None, rating: None, detail };
    take_step(&txn, &actor, &l, step).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Record the department's response (报到).
#[utoipa::path(post, path = "/concerns/{id}/escalations/{escalation_id}/response", tag = "concerns",
    request_body = DepartmentResponse, security(("bearer" = [])),
    params(("id" = i64, Path), ("escalation_id" = i64, Path)),
    responses((status = 200, body = ConcernView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn department_response(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, escalation_id)): Path<(i64, i64)>,
    Json(req): Json<DepartmentResponse>,
) -> AppResult<Json<ConcernView>> {
    let l = concern_for(&state.db, &actor, id).await?;
    actor.authorize_compound(Permission::EscalateConcerns, &l.compound)?;
    let response = required_text("response", &req.response, 2000)?;
    let e = concern_escalation::Entity::find_by_id(escalation_id)
        .filter(concern_escalation::Column::ConcernId.eq(l.concern.id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = write_txn(&state.db).await?;
    let moved = concern_escalation::Entity::update_many()
        .col_expr(concern_escalation::Column::Response, Expr::value(response.clone()))
        .col_expr(concern_escalation::Column::RespondedBy, Expr::value(actor.user.id))
        .col_expr(concern_escalation::Column::RespondedAt, Expr::value(Utc::now()))
        .filter(concern_escalation::Column::Id.eq(e.id))
        .filter(concern_escalation::Column::RespondedAt.is_null())
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("already_responded", "the department's response is already on record"));
    }
    let detail = json!({ "department": e.department, "escalation_id": e.id });
    let step = Step {
        step: ConcernStep::DepartmentResponded,
        note: Some(response),
        as_party: true,
        party: None,
        rating: None,
        detail,
    };
    take_step(&txn, &actor, &l, step).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

#[derive(Deserialize, IntoParams)]
struct PhotoParams {
    /// The photo's file name on the phone.
    name: String,
}

/// Add a photo (JPEG or PNG, at most 10 MiB; location and other metadata are stripped) to my
/// concern: at most six.
#[utoipa::path(post, path = "/concerns/{id}/photos", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), PhotoParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the photo as it is"),
    responses((status = 201, body = FileView), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn add_photo(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(p): Query<PhotoParams>,
    body: Upload,
) -> AppResult<(StatusCode, Json<FileView>)> {
    let l = concern_for(&state.db, &actor, id).await?;
    require_raiser(&l)?;
    next_status(l.status(), ConcernStep::PhotoAdded).map_err(refuse)?;
    let body = body.bytes()?;
    let name = required_text("name", &p.name, 200)?;
    let txn = write_txn(&state.db).await?;
    let count =
        concern_photo::Entity::find().filter(concern_photo::Column::ConcernId.eq(l.concern.id)).count(&txn).await?;
    if count as usize >= MAX_PHOTOS {
        return Err(AppError::conflict("too_many_photos", "a concern carries at most 6 photos"));
    }
    let f = crate::files::store(&txn, l.compound.id, actor.user.id, name, &body, true).await?;
    concern_photo::Entity::insert(concern_photo::ActiveModel {
        concern_id: Set(l.concern.id),
        file_id: Set(f.id),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    let detail = json!({ "file_id": f.id, "sha256": f.sha256 });
    let step = Step { step: ConcernStep::PhotoAdded, note: None, as_party: false, party: None, rating: None, detail };
    take_step(&txn, &actor, &l, step).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json((&f).into())))
}

/// One of a concern's photos, to those who may see the concern.
#[utoipa::path(get, path = "/concerns/{id}/photos/{file_id}", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn photo(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    let l = concern_for(&state.db, &actor, id).await?;
    concern_photo::Entity::find()
        .filter(concern_photo::Column::ConcernId.eq(l.concern.id))
        .filter(concern_photo::Column::FileId.eq(file_id))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = file::Entity::find_by_id(file_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(crate::http::files::serve(f))
}
