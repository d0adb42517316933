//! `/meetings/{id}/minutes…`, `/compounds/{id}/minutes`: a held meeting's minutes from the draft
//! to publication.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::minutes::{
    self, CirculateRequest, CorrectionAnswerRequest, EditMinutes, MinutesView, NewAddendum, NewCorrection,
    PublishRequest, PublishedMinutes, SignOffRequest, SignRequest, VersionView,
};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(draft_minutes, get_minutes, edit_minutes))
        .routes(routes!(circulate_minutes))
        .routes(routes!(propose_correction))
        .routes(routes!(answer_correction))
        .routes(routes!(sign_off_minutes))
        .routes(routes!(sign_minutes))
        .routes(routes!(publish_minutes))
        .routes(routes!(add_addendum))
        .routes(routes!(minutes_version))
        .routes(routes!(list_compound_minutes))
}

/// The minutes as the caller now sees them, after a change.
async fn answer(state: &AppState, actor: &Actor, id: i64) -> AppResult<Json<MinutesView>> {
    Ok(Json(minutes::show(&state.db, actor, id).await?))
}

/// Draft the minutes from the meeting's record (attendance by party, each item's notes, positions
/// or votes, hands, outcome, linked vote results and tasks), by the kind's template: by whoever
/// keeps the record, once the meeting has been held; once.
#[utoipa::path(post, path = "/meetings/{id}/minutes", tag = "minutes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = MinutesView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn draft_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<MinutesView>)> {
    let txn = write_txn(&state.db).await?;
    minutes::draft(&txn, &actor, id).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, id).await?))
}

/// The meeting's minutes: once published, to whoever may see the meeting (a mediation's only to
/// its sides and the community office); before, only to those who keep the record and those who
/// attended.
#[utoipa::path(get, path = "/meetings/{id}/minutes", tag = "minutes", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = MinutesView), (status = 403, body = ErrorBody)))]
async fn get_minutes(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<MinutesView>> {
    answer(&state, &actor, id).await
}

/// Save the recorder's text as a new version. Under sign-off, every seat is asked again to sign
/// the new version; the versions signed stay readable.
#[utoipa::path(put, path = "/meetings/{id}/minutes", tag = "minutes", request_body = EditMinutes,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn edit_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<EditMinutes>,
) -> AppResult<Json<MinutesView>> {
    let txn = write_txn(&state.db).await?;
    minutes::edit(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Open the draft to corrections by those who attended, until a time; they are told.
#[utoipa::path(post, path = "/meetings/{id}/minutes/circulate", tag = "minutes", request_body = CirculateRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn circulate_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<CirculateRequest>,
) -> AppResult<Json<MinutesView>> {
    let txn = write_txn(&state.db).await?;
    minutes::circulate(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Propose a correction: the text as the attendee would have it read, on the version they read,
/// and why. It is kept as the lines it changes, shown as a diff.
#[utoipa::path(post, path = "/meetings/{id}/minutes/corrections", tag = "minutes", request_body = NewCorrection,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn propose_correction(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewCorrection>,
) -> AppResult<(StatusCode, Json<MinutesView>)> {
    let txn = write_txn(&state.db).await?;
    minutes::propose(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, id).await?))
}

/// Accept a correction into the text (a new version) or decline it, with a reason: by the
/// recorder. A correction whose lines have since changed is refused (409).
#[utoipa::path(post, path = "/meetings/{id}/minutes/corrections/{correction_id}/answer", tag = "minutes",
    request_body = CorrectionAnswerRequest, security(("bearer" = [])),
    params(("id" = i64, Path), ("correction_id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn answer_correction(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, correction_id)): Path<(i64, i64)>,
    Json(req): Json<CorrectionAnswerRequest>,
) -> AppResult<Json<MinutesView>> {
    let txn = write_txn(&state.db).await?;
    minutes::answer_correction(&txn, &actor, id, correction_id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Ask the chair and each seat (a representative of each party present; every attending member
/// at a committee meeting; both sides at a mediation) to sign the current version by a deadline.
#[utoipa::path(post, path = "/meetings/{id}/minutes/sign-off", tag = "minutes", request_body = SignOffRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn sign_off_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<SignOffRequest>,
) -> AppResult<Json<MinutesView>> {
    let txn = write_txn(&state.db).await?;
    minutes::sign_off(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Approve the text read (named by its SHA-256), approve it with a dissenting opinion, or return
/// it with a comment, for the caller's seat. A text changed since it was read is refused (409);
/// the digest goes on the audit chain.
#[utoipa::path(post, path = "/meetings/{id}/minutes/signatures", tag = "minutes", request_body = SignRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn sign_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<SignRequest>,
) -> AppResult<Json<MinutesView>> {
    let txn = write_txn(&state.db).await?;
    minutes::sign(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Publish the minutes to the residents' inbox for a publicity period: once every seat has
/// signed, or once the sign-off deadline has passed (whoever did not answer is printed as "did
/// not sign").
#[utoipa::path(post, path = "/meetings/{id}/minutes/publish", tag = "minutes", request_body = PublishRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn publish_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<PublishRequest>,
) -> AppResult<Json<MinutesView>> {
    let txn = write_txn(&state.db).await?;
    minutes::publish(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Add to published minutes, chained on the digest before: by the recorder.
#[utoipa::path(post, path = "/meetings/{id}/minutes/addenda", tag = "minutes", request_body = NewAddendum,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = MinutesView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn add_addendum(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewAddendum>,
) -> AppResult<(StatusCode, Json<MinutesView>)> {
    let txn = write_txn(&state.db).await?;
    minutes::add_addendum(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, id).await?))
}

/// One version of the minutes in full, with the signatures given on it.
#[utoipa::path(get, path = "/meetings/{id}/minutes/versions/{version}", tag = "minutes", security(("bearer" = [])),
    params(("id" = i64, Path), ("version" = i32, Path)),
    responses((status = 200, body = VersionView), (status = 403, body = ErrorBody)))]
async fn minutes_version(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, version)): Path<(i64, i32)>,
) -> AppResult<Json<VersionView>> {
    Ok(Json(minutes::version(&state.db, &actor, id, version).await?))
}

/// The minutes published in the compound, newest first (a mediation's are never listed).
#[utoipa::path(get, path = "/compounds/{id}/minutes", tag = "minutes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PublishedMinutes>), (status = 403, body = ErrorBody)))]
async fn list_compound_minutes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PublishedMinutes>>> {
    Ok(Json(minutes::list_published(&state.db, &actor, id).await?))
}
