//! `/compounds/{id}/agendas`, `/communities/{id}/agendas`, `/agendas/{id}/…`,
//! `/concerns/{id}/agenda`: opening agendas, co-signing them and moving them to a decision.
mod comments;

use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    prelude::Expr,
    sea_query::{ExprTrait, Func, LikeExpr},
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::agendas::{
    AgendaFilter, AgendaFromConcern, AgendaMove, AgendaPage, AgendaStatus, AgendaSummary, AgendaView, DecideRequest,
    NewAgenda, WithdrawRequest, may_cite, next_status,
};
use crate::agendas::{
    LoadedAgenda, Opening, agenda_for, authorize, authorize_withdraw, cosign_weights, escape_like, insert_agenda,
    my_holders, record, view,
};
use crate::{
    auth::Actor,
    concerns::{self, categories_of, main_party, party_kinds, party_members},
    db::write_txn,
    entities::{agenda, agenda_comment, agenda_cosign, community, compound, concern_category, vote},
    error::{AppError, AppResult, ErrorBody, is_unique_violation},
    http::AppState,
    http::extract::{Json, Path, Query},
    notices::{self, NewNotice},
    policy::{PartyKind, Permission},
    tenancy::compound_for,
    text::{PageWindow, optional_text, page_window, required_text, search_words},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(comments::router())
        .routes(routes!(list_agendas, open_agenda))
        .routes(routes!(open_community_agenda))
        .routes(routes!(from_concern))
        .routes(routes!(get_agenda))
        .routes(routes!(cosign))
        .routes(routes!(deliberate))
        .routes(routes!(decide))
        .routes(routes!(close))
        .routes(routes!(withdraw))
}

async fn answer(state: &AppState, actor: &Actor, id: i64) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, actor, id).await?;
    Ok(Json(view(&state.db, actor, &a).await?))
}

/// A compound's agendas and the community-wide ones, newest first, a page at a time.
#[utoipa::path(get, path = "/compounds/{id}/agendas", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path), AgendaFilter),
    responses((status = 200, body = AgendaPage), (status = 422, body = ErrorBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_agendas(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(f): Query<AgendaFilter>,
) -> AppResult<Json<AgendaPage>> {
    let c = compound_for(&state.db, &actor, id, Permission::ViewAgendas).await?;
    let mut find = agenda::Entity::find()
        .filter(agenda::Column::CommunityId.eq(c.community_id))
        .filter(Condition::any().add(agenda::Column::CompoundId.eq(c.id)).add(agenda::Column::CompoundId.is_null()));
    if let Some(s) = f.status {
        find = find.filter(agenda::Column::Status.eq(s.as_str()));
    }
    if let Some(cat) = f.category_id {
        find = find.filter(agenda::Column::CategoryId.eq(cat));
    }
    if let Some(k) = f.party_kind {
        find = find.filter(agenda::Column::PartyKind.eq(k.as_str()));
    }
    let words = search_words("q", f.q.as_deref())?;
    for w in words.iter().map(|w| w.to_lowercase()) {
        let like = || LikeExpr::new(format!("%{}%", escape_like(&w))).escape('\\');
        find = find.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(agenda::Column::Title))).like(like()))
                .add(Expr::expr(Func::lower(Expr::col(agenda::Column::Description))).like(like())),
        );
    }
    let PageWindow { page, per_page, offset } = page_window(f.page, f.per_page, 20, 50);
    let total = find.clone().count(&state.db).await?;
    let rows = find
        .order_by_desc(agenda::Column::CreatedAt)
        .order_by_desc(agenda::Column::Id)
        .offset(offset)
        .limit(per_page)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    #[derive(FromQueryResult)]
    struct Count {
        agenda_id: i64,
        n: i64,
    }
    let cosigners: HashMap<i64, i64> = agenda_cosign::Entity::find()
        .select_only()
        .column(agenda_cosign::Column::AgendaId)
        .column_as(Expr::col(agenda_cosign::Column::Id).count(), "n")
        .filter(agenda_cosign::Column::AgendaId.is_in(ids.clone()))
        .group_by(agenda_cosign::Column::AgendaId)
        .into_model::<Count>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.agenda_id, c.n))
        .collect();
    let comments: HashMap<i64, i64> = agenda_comment::Entity::find()
        .select_only()
        .column(agenda_comment::Column::AgendaId)
        .column_as(Expr::col(agenda_comment::Column::Id).count(), "n")
        .filter(agenda_comment::Column::AgendaId.is_in(ids))
        .filter(agenda_comment::Column::HiddenAt.is_null())
        .group_by(agenda_comment::Column::AgendaId)
        .into_model::<Count>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.agenda_id, c.n))
        .collect();
    let categories: HashMap<i64, concern_category::Model> =
        categories_of(&state.db, c.community_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let items = rows
        .iter()
        .map(|g| AgendaSummary {
            id: g.id,
            compound_id: g.compound_id,
            title: g.title.clone(),
            category: g.category_id.and_then(|id| categories.get(&id)).map(Into::into),
            party_kind: PartyKind::parse(&g.party_kind).unwrap_or(PartyKind::CommunityOffice),
            status: AgendaStatus::parse(&g.status),
            statutory_at: g.statutory_at,
            cosigners: cosigners.get(&g.id).copied().unwrap_or(0),
            comments: comments.get(&g.id).copied().unwrap_or(0),
            created_at: g.created_at,
        })
        .collect();
    Ok(Json(AgendaPage { items, total, page, per_page }))
}

fn checked_text(req: &NewAgenda) -> AppResult<(String, String)> {
    Ok((
        required_text("title", &req.title, 200)?,
        optional_text("description", Some(&req.description), 20_000)?.unwrap_or_default(),
    ))
}

/// Open an agenda in a compound: a committee member, the community office or the property
/// company. Its owners and parties are told.
#[utoipa::path(post, path = "/compounds/{id}/agendas", tag = "agendas", request_body = NewAgenda,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AgendaView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn open_agenda(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewAgenda>,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let c = compound_for(&state.db, &actor, id, Permission::OpenAgendas).await?;
    let (title, description) = checked_text(&req)?;
    let party = main_party(&party_kinds(&actor, &c)).ok_or(AppError::Forbidden)?;
    let txn = write_txn(&state.db).await?;
    let g = insert_agenda(
        &txn,
        Opening {
            opened_by: actor.user.id,
            community_id: c.community_id,
            compound: Some(c),
            title,
            description,
            category_id: req.category_id,
            party,
            concern_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, g.id).await?))
}

/// Open an agenda for the whole community: the community office.
#[utoipa::path(post, path = "/communities/{id}/agendas", tag = "agendas", request_body = NewAgenda,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AgendaView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn open_community_agenda(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewAgenda>,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let c = community::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    // A matter of the whole community is the community office's to table.
    actor.authorize_community(Permission::OpenAgendas, c.id)?;
    let (title, description) = checked_text(&req)?;
    let txn = write_txn(&state.db).await?;
    let g = insert_agenda(
        &txn,
        Opening {
            opened_by: actor.user.id,
            community_id: c.id,
            compound: None,
            title,
            description,
            category_id: req.category_id,
            party: PartyKind::CommunityOffice,
            concern_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, g.id).await?))
}

/// Turn a concern into an agenda of its compound, carrying its category and text over.
#[utoipa::path(post, path = "/concerns/{id}/agenda", tag = "agendas", request_body = AgendaFromConcern,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AgendaView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn from_concern(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<AgendaFromConcern>,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let l = concerns::concern_for(&state.db, &actor, id).await?;
    actor.authorize_compound(Permission::OpenAgendas, &l.compound)?;
    if l.concern.agenda_id.is_some() {
        return Err(AppError::conflict("already_an_agenda", "this concern has already been turned into an agenda"));
    }
    let party = main_party(&l.kinds).ok_or(AppError::Forbidden)?;
    let category =
        concern_category::Entity::find_by_id(l.concern.category_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let title = match req.title.as_deref() {
        Some(t) => required_text("title", t, 200)?,
        None => {
            let head: String = l.concern.text.chars().take(40).collect();
            format!("【{}】{}", category.name_zh, head)
        }
    };
    let description = match req.description.as_deref() {
        Some(d) => optional_text("description", Some(d), 20_000)?.unwrap_or_default(),
        None => l.concern.text.lines().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n"),
    };
    let txn = write_txn(&state.db).await?;
    let g = insert_agenda(
        &txn,
        Opening {
            opened_by: actor.user.id,
            community_id: l.compound.community_id,
            compound: Some(l.compound.clone()),
            title,
            description,
            category_id: Some(category.id),
            party,
            concern_id: Some(l.concern.id),
        },
    )
    .await?;
    concerns::turned_into_agenda(&txn, &actor, &l, g.id).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, g.id).await?))
}

/// An agenda with its co-signing progress and what the caller may do.
#[utoipa::path(get, path = "/agendas/{id}", tag = "agendas", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 404, body = ErrorBody)))]
async fn get_agenda(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    answer(&state, &actor, id).await
}

/// Co-sign (附议) for my holding — once per holder, whichever of its accounts signs. When the
/// co-signers reach 20 % of the area and of the heads, the agenda becomes a statutory request for
/// a temporary owners' assembly and the owners' committee is told.
#[utoipa::path(post, path = "/agendas/{id}/cosign", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn cosign(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::CosignAgendas)?;
    let Some(c) = a.compound.clone() else {
        return Err(AppError::conflict("cosign_needs_compound", "co-signing counts the owners of one compound"));
    };
    if !a.status().is_active() {
        return Err(AppError::conflict("agenda_not_active", "this agenda no longer takes co-signs"));
    }
    let holders = my_holders(&state.db, &actor, c.id).await?;
    if holders.is_empty() {
        return Err(AppError::Forbidden);
    }
    let already_cosigned = || AppError::conflict("already_cosigned", "this holding has already co-signed the agenda");
    let txn = write_txn(&state.db).await?;
    let signed: Vec<i64> = agenda_cosign::Entity::find()
        .filter(agenda_cosign::Column::AgendaId.eq(a.agenda.id))
        .filter(agenda_cosign::Column::HolderId.is_in(holders.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.holder_id)
        .collect();
    let new: Vec<i64> = holders.into_iter().filter(|h| !signed.contains(h)).collect();
    if new.is_empty() {
        return Err(already_cosigned());
    }
    let now = Utc::now();
    agenda_cosign::Entity::insert_many(new.iter().map(|&h| agenda_cosign::ActiveModel {
        agenda_id: Set(a.agenda.id),
        holder_id: Set(h),
        user_id: Set(actor.user.id),
        created_at: Set(now),
        ..Default::default()
    }))
    .exec(&txn)
    .await
    .map_err(|e| if is_unique_violation(&e) { already_cosigned() } else { e.into() })?;
    let (cosigned, total) = cosign_weights(&txn, a.agenda.id, c.id).await?;
    record(
        &txn,
        Some(&actor),
        &a.agenda,
        "agenda.cosigned",
        json!({ "holders": new, "cosigned": { "heads": cosigned.heads, "area_centi": cosigned.area } }),
    )
    .await?;
    if crate::agendas::statutory_request_reached(cosigned, total) && a.agenda.statutory_at.is_none() {
        let marked = agenda::Entity::update_many()
            .col_expr(agenda::Column::StatutoryAt, Expr::value(now))
            .col_expr(agenda::Column::UpdatedAt, Expr::value(now))
            .filter(agenda::Column::Id.eq(a.agenda.id))
            .filter(agenda::Column::StatutoryAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected == 1 {
            record(
                &txn,
                None,
                &a.agenda,
                "agenda.statutory_request",
                json!({
                    "cosigned": { "heads": cosigned.heads, "area_centi": cosigned.area },
                    "total": { "heads": total.heads, "area_centi": total.area },
                    "rule": "业主大会和业主委员会指导规则 第二十一条",
                }),
            )
            .await?;
            let committee = party_members(&txn, &c, PartyKind::OwnersCommittee).await?;
            notices::publish(
                &txn,
                NewNotice {
                    community_id: c.community_id,
                    compound_id: Some(c.id),
                    kind: "agenda_statutory_request",
                    title: format!("业主提议召开临时业主大会：{}", a.agenda.title),
                    body: format!(
                        "附议业主 {} 人、专有部分面积 {} ㎡，已达总人数和总面积的 20%。依《业主大会和业主委员会指导规则》第二十一条，业主委员会应组织召开业主大会临时会议。",
                        cosigned.heads,
                        crate::roster::area::format(cosigned.area)
                    ),
                    link: Some(format!("/agendas/{}", a.agenda.id)),
                    created_by: None,
                },
                &committee,
            )
            .await?;
        }
    }
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Apply a status move with its extra columns, conditional on the status read.
async fn apply_move(
    state: &AppState,
    actor: &Actor,
    a: &LoadedAgenda,
    m: AgendaMove,
    set: Vec<(agenda::Column, sea_orm::Value)>,
    detail: serde_json::Value,
) -> AppResult<()> {
    let from = a.status();
    let to = next_status(from, m).map_err(|(code, msg)| AppError::conflict(code, msg))?;
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let mut update = agenda::Entity::update_many()
        .col_expr(agenda::Column::Status, Expr::value(to.as_str()))
        .col_expr(agenda::Column::UpdatedAt, Expr::value(now));
    for (col, v) in set {
        update = update.col_expr(col, Expr::value(v));
    }
    let moved = update
        .filter(agenda::Column::Id.eq(a.agenda.id))
        .filter(agenda::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("agenda_changed", "the agenda changed meanwhile; reload it"));
    }
    let mut detail = detail;
    detail["from"] = json!(from.as_str());
    detail["to"] = json!(to.as_str());
    record(&txn, Some(actor), &a.agenda, &format!("agenda.{}", m.as_str()), detail).await?;
    txn.commit().await?;
    Ok(())
}

/// Put the agenda under deliberation.
#[utoipa::path(post, path = "/agendas/{id}/deliberate", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn deliberate(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ManageAgendas)?;
    apply_move(&state, &actor, &a, AgendaMove::Deliberate, Vec::new(), json!({})).await?;
    answer(&state, &actor, id).await
}

/// Record the decision, with the vote or questionnaire that settled it.
#[utoipa::path(post, path = "/agendas/{id}/decide", tag = "agendas", request_body = DecideRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<DecideRequest>,
) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ManageAgendas)?;
    let decision = required_text("decision", &req.decision, 20_000)?;
    if let Some(v) = req.vote_id {
        let held = vote::Entity::find_by_id(v).one(&state.db).await?.map(|v| v.compound_id);
        if !citable(&state, &a, held).await? {
            return Err(AppError::field("vote_id", "no such vote where this agenda lives"));
        }
    }
    if let Some(q) = req.questionnaire_id {
        let held = crate::entities::questionnaire::Entity::find_by_id(q).one(&state.db).await?.map(|q| q.compound_id);
        if !citable(&state, &a, held).await? {
            return Err(AppError::field("questionnaire_id", "no such questionnaire"));
        }
    }
    let set = vec![
        (agenda::Column::Decision, sea_orm::Value::from(decision.clone())),
        (agenda::Column::VoteId, sea_orm::Value::from(req.vote_id)),
        (agenda::Column::QuestionnaireId, sea_orm::Value::from(req.questionnaire_id)),
        (agenda::Column::DecidedAt, sea_orm::Value::from(Utc::now())),
    ];
    let detail = json!({ "decision": decision, "vote_id": req.vote_id, "questionnaire_id": req.questionnaire_id });
    apply_move(&state, &actor, &a, AgendaMove::Decide, set, detail).await?;
    answer(&state, &actor, id).await
}

/// Whether a vote or questionnaire held in compound `held` (`None`: no such thing) may settle `a`.
async fn citable(state: &AppState, a: &LoadedAgenda, held: Option<i64>) -> AppResult<bool> {
    let Some(held) = held else { return Ok(false) };
    let cited = compound::Entity::find_by_id(held).one(&state.db).await?;
    Ok(cited.is_some_and(|c| may_cite(a.agenda.compound_id, a.agenda.community_id, &c)))
}

/// Close a decided agenda.
#[utoipa::path(post, path = "/agendas/{id}/close", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn close(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ManageAgendas)?;
    let set = vec![(agenda::Column::ClosedAt, sea_orm::Value::from(Utc::now()))];
    apply_move(&state, &actor, &a, AgendaMove::Close, set, json!({})).await?;
    answer(&state, &actor, id).await
}

/// Withdraw an agenda, with the reason: those who manage it, or whoever opened a compound agenda.
#[utoipa::path(post, path = "/agendas/{id}/withdraw", tag = "agendas", request_body = WithdrawRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<WithdrawRequest>,
) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize_withdraw(&actor, &a)?;
    let reason = required_text("reason", &req.reason, 1000)?;
    let set = vec![
        (agenda::Column::WithdrawReason, sea_orm::Value::from(reason.clone())),
        (agenda::Column::ClosedAt, sea_orm::Value::from(Utc::now())),
    ];
    apply_move(&state, &actor, &a, AgendaMove::Withdraw, set, json!({ "reason": reason })).await?;
    answer(&state, &actor, id).await
}
