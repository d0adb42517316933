//! `/meetings/{id}/…`: signing in, the chair's and the recorder's steps, and the live room as
//! server-sent events.
use std::{convert::Infallible, time::Duration};

use axum::{
    extract::State,
    http::StatusCode,
    response::{
        Response,
        sse::{Event, KeepAlive, Sse},
    },
};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::answer;
use crate::meetings::{
    self, AttachmentsRequest, AttendanceRequest, HandoffRequest, LiveState, LoadedMeeting, MeetingView, NotesRequest,
    OutcomeRequest, Reached, SignInCode, SignInRequest,
};
use sea_orm::DatabaseTransaction;

use crate::{
    agendas,
    auth::{Actor, jwt::ACCESS_TTL_SECS},
    concerns::{self, ConcernStep},
    db::write_txn,
    error::{AppResult, ErrorBody},
    files::FileView,
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_in_code))
        .routes(routes!(sign_in_meeting))
        .routes(routes!(mark_attendance))
        .routes(routes!(attach_sign_in_sheet, sign_in_sheet))
        .routes(routes!(open_meeting))
        .routes(routes!(open_item))
        .routes(routes!(note_item))
        .routes(routes!(record_outcome))
        .routes(routes!(hand_off_item))
        .routes(routes!(set_attachments))
        .routes(routes!(meeting_attachment))
        .routes(routes!(close_meeting))
        .routes(routes!(follow_meeting))
}

/// Run one step of a meeting in a write transaction, tell the room once it has committed, and
/// answer the meeting as the caller now sees it.
async fn step(
    state: &AppState,
    actor: &Actor,
    run: impl AsyncFnOnce(&DatabaseTransaction) -> AppResult<LoadedMeeting>,
) -> AppResult<Json<MeetingView>> {
    let txn = write_txn(&state.db).await?;
    let m = run(&txn).await?;
    txn.commit().await?;
    state.room.changed(m.meeting.id).await;
    answer(state, actor, &m).await
}

/// The code the room shows for signing in now (it changes every 30 seconds; a code works for
/// at most a minute), for whoever keeps the record or chairs, from an hour before the start.
#[utoipa::path(get, path = "/meetings/{id}/sign-in-code", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = SignInCode), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn sign_in_code(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<SignInCode>> {
    Ok(Json(meetings::sign_in_code(&state.db, &actor, &state.sign_in_key, id).await?))
}

/// Sign myself in with the code the room shows: only someone invited, only with a code of the
/// last minute.
#[utoipa::path(post, path = "/meetings/{id}/sign-in", tag = "meetings", request_body = SignInRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn sign_in_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<SignInRequest>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::sign_in(txn, &actor, &state.sign_in_key, id, req).await).await
}

/// Mark people present or not, by ticking their names or from the paper sheet's photo.
#[utoipa::path(post, path = "/meetings/{id}/attendance", tag = "meetings", request_body = AttendanceRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn mark_attendance(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<AttendanceRequest>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::mark_attendance(txn, &actor, id, req).await).await
}

#[derive(Deserialize, IntoParams)]
struct SheetParams {
    /// The photo's file name.
    name: String,
}

/// Keep the photo of the paper sign-in sheet with the meeting (JPEG or PNG, at most 10 MiB).
#[utoipa::path(post, path = "/meetings/{id}/sign-in-sheet", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), SheetParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the photo as it is"),
    responses((status = 201, body = FileView), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn attach_sign_in_sheet(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(p): Query<SheetParams>,
    body: Upload,
) -> AppResult<(StatusCode, Json<FileView>)> {
    let txn = write_txn(&state.db).await?;
    let f = meetings::attach_sheet(&txn, &actor, id, &p.name, body.bytes()).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json((&f).into())))
}

/// The photo of the paper sign-in sheet.
#[utoipa::path(get, path = "/meetings/{id}/sign-in-sheet", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 404, body = ErrorBody)))]
async fn sign_in_sheet(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(crate::http::files::serve(meetings::sheet(&state.db, &actor, id).await?))
}

/// Open the meeting (the chair, from an hour before its start).
#[utoipa::path(post, path = "/meetings/{id}/open", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn open_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::open(txn, &actor, id).await).await
}

/// Take up an item: the room and everyone's phones follow it.
#[utoipa::path(post, path = "/meetings/{id}/items/{item_id}/open", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), ("item_id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn open_item(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(i64, i64)>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::open_item(txn, &actor, id, item_id).await).await
}

/// The recorder's notes on an item (replacing the notes so far).
#[utoipa::path(put, path = "/meetings/{id}/items/{item_id}/notes", tag = "meetings", request_body = NotesRequest,
    security(("bearer" = [])), params(("id" = i64, Path), ("item_id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn note_item(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(i64, i64)>,
    Json(req): Json<NotesRequest>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::note_item(txn, &actor, id, item_id, req).await).await
}

/// Record an item's outcome with the parties' positions, the members' votes or a show of hands,
/// as the kind decides: refused when they do not give that outcome.
#[utoipa::path(post, path = "/meetings/{id}/items/{item_id}/outcome", tag = "meetings", request_body = OutcomeRequest,
    security(("bearer" = [])), params(("id" = i64, Path), ("item_id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn record_outcome(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(i64, i64)>,
    Json(req): Json<OutcomeRequest>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| {
        let (m, reached) = meetings::record_outcome(txn, &actor, id, item_id, req).await?;
        // What the outcome means for the agenda or concern the item is drawn from, recorded there.
        match reached {
            Some(Reached::Agenda { id, decides, decision, detail }) => {
                agendas::taken_up_at_meeting(txn, &actor, id, decides, decision, detail).await?;
            }
            Some(Reached::Concern { id, detail }) => {
                concerns::from_meeting(txn, &actor, id, ConcernStep::Discussed, detail).await?;
            }
            None => {}
        }
        Ok(m)
    })
    .await
}

/// Hand an item on to a binding vote (drafted with the item's text and dated to keep the
/// compound's notice period) or a questionnaire of a compound taking part: by the chair, once
/// the meeting has opened, where they may draft one. The draft waits to be checked and published.
#[utoipa::path(post, path = "/meetings/{id}/items/{item_id}/handoff", tag = "meetings", request_body = HandoffRequest,
    security(("bearer" = [])), params(("id" = i64, Path), ("item_id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn hand_off_item(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, item_id)): Path<(i64, i64)>,
    Json(req): Json<HandoffRequest>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::hand_off(txn, &actor, id, item_id, req).await).await
}

/// Replace the papers to read before the meeting with files uploaded to a compound taking part:
/// by whoever keeps the record, until the meeting is cancelled.
#[utoipa::path(put, path = "/meetings/{id}/attachments", tag = "meetings", request_body = AttachmentsRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 422, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn set_attachments(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<AttachmentsRequest>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::set_attachments(txn, &actor, id, req).await).await
}

/// One of the meeting's papers, to whoever may see the meeting.
#[utoipa::path(get, path = "/meetings/{id}/attachments/{file_id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>),
              (status = 404, body = ErrorBody)))]
async fn meeting_attachment(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, file_id)): Path<(i64, i64)>,
) -> AppResult<Response> {
    Ok(crate::http::files::serve(meetings::attachment(&state.db, &actor, id, file_id).await?))
}

/// Close the meeting; items without an outcome are left for the next meeting of the same body.
#[utoipa::path(post, path = "/meetings/{id}/close", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = MeetingView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn close_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<MeetingView>> {
    step(&state, &actor, async |txn| meetings::close(txn, &actor, id).await).await
}

/// Follow the meeting live: server-sent events, each `state` event the JSON of a [`LiveState`]
/// (the first at once, then one per change). The stream ends when the caller's access token
/// would have expired; reconnect with a fresh one.
#[utoipa::path(get, path = "/meetings/{id}/live", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/event-stream", body = LiveState), (status = 404, body = ErrorBody)))]
async fn follow_meeting(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    meetings::meeting_for(&state.db, &actor, id).await?;
    let rx = state.room.follow(id);
    let first = serde_json::to_string(&meetings::live_state(&state.db, id).await?)
        .map_err(|e| crate::error::AppError::Internal(e.into()))?;
    let until = tokio::time::Instant::now() + Duration::from_secs(ACCESS_TTL_SECS as u64);
    let events = stream::unfold((Some(first), rx), move |(first, mut rx)| async move {
        if let Some(json) = first {
            return Some((Ok(Event::default().event("state").data(json)), (None, rx)));
        }
        loop {
            match tokio::time::timeout_at(until, rx.recv()).await {
                Ok(Ok(json)) => return Some((Ok(Event::default().event("state").data(&*json)), (None, rx))),
                // Fell behind: the next state carries everything.
                Ok(Err(RecvError::Lagged(_))) => continue,
                Ok(Err(RecvError::Closed)) | Err(_) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
