//! `/communities/{id}/meetings`, `/compounds/{id}/meetings`, `/meetings/{id}/…`: convening
//! meetings, answering invitations, postponing and cancelling.
mod calendar;
mod live;
mod tasks;

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::meetings::{
    self, AnswerRequest, CancelRequest, CarryOver, CarryOverQuery, LoadedMeeting, MeetingSummary, MeetingView,
    NewMeeting, PostponeRequest,
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
        .routes(routes!(convene))
        .routes(routes!(list_compound_meetings))
        .routes(routes!(carry_over))
        .routes(routes!(get_meeting))
        .routes(routes!(answer_invitation))
        .routes(routes!(postpone_meeting))
        .routes(routes!(cancel_meeting))
        .merge(live::router())
        .merge(tasks::router())
        .merge(calendar::router())
}

/// Answer a meeting after a change, as the caller now sees it.
async fn answer(state: &AppState, actor: &Actor, m: &LoadedMeeting) -> AppResult<Json<MeetingView>> {
    Ok(Json(meetings::view(&state.db, actor, m).await?))
}

/// Convene a meeting in the community: its kind decides who may (the community office for a
/// consultation, residents' council, residents' meeting or mediation; the committee chair for a
/// committee meeting; the owners' committee for an assembly sitting), whom it invites, and the
/// notice it needs. Everyone invited is told; a committee meeting is also announced to the
/// compound's owners.
#[utoipa::path(post, path = "/communities/{id}/meetings", tag = "meetings", request_body = NewMeeting,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = MeetingView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn convene(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewMeeting>,
) -> AppResult<(StatusCode, Json<MeetingView>)> {
    let txn = write_txn(&state.db).await?;
    let m = meetings::convene(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(meetings::show(&state.db, &actor, m.id).await?)))
}

/// The meetings the compound takes part in, soonest first (a mediation only to its sides and the
/// community office).
#[utoipa::path(get, path = "/compounds/{id}/meetings", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MeetingSummary>), (status = 404, body = ErrorBody)))]
async fn list_compound_meetings(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<MeetingSummary>>> {
    Ok(Json(meetings::list_in_compound(&state.db, &actor, id).await?))
}

/// What the earlier meetings of a body (a kind, with the compounds taking part) leave to its
/// next one: the items they did not settle, to take up again (`carried_from`), and the action
/// items not yet done, to review.
#[utoipa::path(get, path = "/communities/{id}/meetings/carry-over", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), CarryOverQuery),
    responses((status = 200, body = CarryOver), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn carry_over(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(q): Query<CarryOverQuery>,
) -> AppResult<Json<CarryOver>> {
    Ok(Json(meetings::carry_over(&state.db, &actor, id, q).await?))
}

/// A meeting with its items, the invitations of the parties, members and sides (owners and
/// residents are counted), the caller's own invitation and what the caller may do.
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
async fn get_meeting(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<MeetingView>> {
    Ok(Json(meetings::show(&state.db, &actor, id).await?))
}

/// Answer my invitation: attending, absent, or (for a party, where the kind allows) a deputy in
/// my place. A deputy is never a ballot proxy.
#[utoipa::path(post, path = "/meetings/{id}/answer", tag = "meetings", request_body = AnswerRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn answer_invitation(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<AnswerRequest>,
) -> AppResult<Json<MeetingView>> {
    let txn = write_txn(&state.db).await?;
    let m = meetings::answer(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, &m).await
}

/// Move a meeting to a new time, with a reason everyone invited is told.
#[utoipa::path(post, path = "/meetings/{id}/postpone", tag = "meetings", request_body = PostponeRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn postpone_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<PostponeRequest>,
) -> AppResult<Json<MeetingView>> {
    let txn = write_txn(&state.db).await?;
    let m = meetings::postpone(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, &m).await
}

/// Cancel a meeting, with a reason everyone invited is told.
#[utoipa::path(post, path = "/meetings/{id}/cancel", tag = "meetings", request_body = CancelRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn cancel_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<CancelRequest>,
) -> AppResult<Json<MeetingView>> {
    let txn = write_txn(&state.db).await?;
    let m = meetings::cancel(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, &m).await
}
