//! `/compounds/{id}/agendas`, `/communities/{id}/agendas`, `/agendas/{id}/…`,
//! `/concerns/{id}/agenda`: opening agendas, co-signing them and moving them to a decision.
mod comments;

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::agendas::Place;
use crate::agendas::{
    self, AgendaFilter, AgendaFromConcern, AgendaPage, AgendaView, DecideRequest, NewAgenda, WithdrawRequest,
};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query},
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
        .routes(routes!(close_agenda))
        .routes(routes!(withdraw))
}

/// Reload after a change and answer the agenda.
async fn answer(state: &AppState, actor: &Actor, id: i64) -> AppResult<Json<AgendaView>> {
    Ok(Json(agendas::show(&state.db, actor, id).await?))
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
    Ok(Json(agendas::list(&state.db, &actor, id, f).await?))
}

/// Open an agenda at `place` in a write transaction, and answer it.
async fn open(
    state: &AppState,
    actor: &Actor,
    place: Place,
    req: NewAgenda,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let txn = write_txn(&state.db).await?;
    let g = agendas::open_at(&txn, actor, place, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(state, actor, g.id).await?))
}

// jscpd:ignore-start: the two places to open an agenda declare their own OpenAPI operations.
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
    open(&state, &actor, Place::Compound(id), req).await
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
    open(&state, &actor, Place::Community(id), req).await
}
// jscpd:ignore-end

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
    let txn = write_txn(&state.db).await?;
    let g = agendas::open_from_concern(&txn, &actor, id, req).await?;
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
    let txn = write_txn(&state.db).await?;
    agendas::cosign(&txn, &actor, id).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Put the agenda under deliberation.
#[utoipa::path(post, path = "/agendas/{id}/deliberate", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn deliberate(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let txn = write_txn(&state.db).await?;
    agendas::deliberate(&txn, &actor, id).await?;
    txn.commit().await?;
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
    let txn = write_txn(&state.db).await?;
    agendas::decide(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Close a decided agenda.
#[utoipa::path(post, path = "/agendas/{id}/close", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn close_agenda(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let txn = write_txn(&state.db).await?;
    agendas::close(&txn, &actor, id).await?;
    txn.commit().await?;
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
    let txn = write_txn(&state.db).await?;
    agendas::withdraw(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}
