//! `/compounds/{id}/votes`, `/votes/{id}/…`, `/compounds/{id}/proxies`, `/proxies/{id}/revoke`.
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::votes::{balloting, export, ops, proxies, views::*};
use crate::{
    auth::{Actor, Caller},
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    i18n::Lang,
};

/// The routes of votes, ballots and written proxies.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_votes, create_vote))
        .routes(routes!(get_vote, update_vote))
        .routes(routes!(publish_vote))
        .routes(routes!(extend))
        .routes(routes!(cancel))
        .routes(routes!(cast))
        .routes(routes!(turnout))
        .routes(routes!(public_ballots))
        .routes(routes!(enter_paper, list_paper))
        .routes(routes!(confirm_paper))
        .routes(routes!(export_roster))
        .routes(routes!(export_ballots))
        .routes(routes!(vote_log))
        .routes(routes!(create_proxy, list_proxies))
        .routes(routes!(revoke_proxy))
        .routes(routes!(confirm_proxy))
        .routes(routes!(set_rules))
        .routes(routes!(object, list_objections))
}

/// The compound's votes, newest first, each with the caller's homes in it (`mine`). Drafts are
/// listed only for those who may manage votes.
#[utoipa::path(get, path = "/compounds/{id}/votes", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<VoteSummary>), (status = 404, body = ErrorBody)))]
async fn list_votes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<VoteSummary>>> {
    Ok(Json(ops::list(&state.db, &state.rosters, &actor, id).await?))
}

/// Draft a vote. Nothing is sent until it is published.
#[utoipa::path(post, path = "/compounds/{id}/votes", tag = "votes", request_body = NewVote, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = VoteView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn create_vote(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewVote>,
) -> AppResult<(StatusCode, Json<VoteView>)> {
    Ok((StatusCode::CREATED, Json(ops::create(&state.db, &state.rosters, &actor, id, &req).await?)))
}

/// A vote: its text, the rule that applies, my weight and ballot, and after close its result.
/// Opening it as an owner is recorded as delivery of the ballot.
#[utoipa::path(get, path = "/votes/{id}", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 404, body = ErrorBody)))]
async fn get_vote(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<VoteView>> {
    Ok(Json(ops::open_page(&state.db, &state.rosters, &actor, id).await?))
}

/// Change a draft.
#[utoipa::path(patch, path = "/votes/{id}", tag = "votes", request_body = NewVote, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_vote(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewVote>,
) -> AppResult<Json<VoteView>> {
    Ok(Json(ops::update(&state.db, &state.rosters, &actor, id, &req).await?))
}

/// Publish a draft: the notice goes to every eligible owner's inbox and to the community office.
/// The vote may not open sooner than the compound's notice period after this.
#[utoipa::path(post, path = "/votes/{id}/publish", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish_vote(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<VoteView>> {
    Ok(Json(ops::publish(&state.db, &state.rosters, &actor, id).await?))
}

/// Extend an open vote whose turnout is short, publicly and on the record.
#[utoipa::path(post, path = "/votes/{id}/extend", tag = "votes", request_body = ExtendRequest, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn extend(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<ExtendRequest>,
) -> AppResult<Json<VoteView>> {
    Ok(Json(ops::extend(&state.db, &state.rosters, &actor, id, &req).await?))
}

/// Cancel a vote that has not closed, with the reason, on the record.
#[utoipa::path(post, path = "/votes/{id}/cancel", tag = "votes", request_body = CancelRequest, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<CancelRequest>,
) -> AppResult<Json<VoteView>> {
    Ok(Json(ops::cancel(&state.db, &state.rosters, &actor, id, &req).await?))
}

/// Cast my ballot (or, holding a written proxy, the holder's). One ballot per holder, whatever
/// the channel; the answer comes only after the ballot is committed, with its receipt.
#[utoipa::path(post, path = "/votes/{id}/ballots", tag = "votes", request_body = CastRequest, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = BallotReceipt), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn cast(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(req): Json<CastRequest>,
) -> AppResult<(StatusCode, Json<BallotReceipt>)> {
    let receipt = balloting::cast(&state.db, &state.rosters, &state.ballots, &caller, id, req).await?;
    Ok((StatusCode::CREATED, Json(receipt)))
}

/// Live turnout against the quorum (area and heads). Choices stay hidden until close.
#[utoipa::path(get, path = "/votes/{id}/turnout", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Turnout), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn turnout(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<Turnout>> {
    Ok(Json(ops::turnout(&state.db, &actor, id).await?))
}

/// The public ballot list: room numbers, area, channel and receipt of every counted ballot —
/// never names; the choice only for named votes, after close.
#[utoipa::path(get, path = "/votes/{id}/ballots", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PublicBallot>), (status = 404, body = ErrorBody)))]
async fn public_ballots(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PublicBallot>>> {
    Ok(Json(balloting::public_ballots(&state.db, &actor, id).await?))
}

/// Enter a signed paper ballot. It counts only after a second clerk confirms it.
#[utoipa::path(post, path = "/votes/{id}/paper-ballots", tag = "votes", request_body = PaperBallotRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = PaperBallotView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn enter_paper(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<PaperBallotRequest>,
) -> AppResult<(StatusCode, Json<PaperBallotView>)> {
    Ok((StatusCode::CREATED, Json(balloting::enter_paper(&state.db, &state.ballots, &actor, id, req).await?)))
}

/// Paper ballots of a vote, those awaiting confirmation first.
#[utoipa::path(get, path = "/votes/{id}/paper-ballots", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PaperBallotView>), (status = 403, body = ErrorBody)))]
async fn list_paper(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PaperBallotView>>> {
    Ok(Json(balloting::paper_ballots(&state.db, &actor, id).await?))
}

/// Confirm a paper ballot as the second clerk (not the one who entered it).
#[utoipa::path(post, path = "/votes/{id}/paper-ballots/{ballot_id}/confirm", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path), ("ballot_id" = i64, Path)),
    responses((status = 200, body = PaperBallotView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn confirm_paper(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, ballot_id)): Path<(i64, i64)>,
) -> AppResult<Json<PaperBallotView>> {
    Ok(Json(balloting::confirm_paper(&state.db, &state.ballots, &actor, id, ballot_id).await?))
}

/// The frozen roster as `sanfang tally` reads it: `unit,holder,area`.
#[utoipa::path(get, path = "/votes/{id}/export/roster.csv", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 409, body = ErrorBody)))]
async fn export_roster(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(csv_response(export::roster(&state.db, &actor, id).await?))
}

/// The counted ballots as `sanfang tally` reads them: `unit,choice` (one line per holder, naming
/// one of their units). After close; for secret votes only the three parties may export it.
#[utoipa::path(get, path = "/votes/{id}/export/ballots.csv", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn export_ballots(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    Ok(csv_response(export::ballots(&state.db, &actor, id).await?))
}

/// The vote's public record: drafted, published, opened, extended, cancelled, closed.
#[utoipa::path(get, path = "/votes/{id}/log", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<VoteLogEntry>), (status = 404, body = ErrorBody)))]
async fn vote_log(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<VoteLogEntry>>> {
    Ok(Json(ops::log(&state.db, &actor, id, lang).await?))
}

/// Register a written proxy. It waits for a second person of another party to confirm it
/// (`/proxies/{id}/confirm`); then the proxy may vote for the holder in the period it names.
#[utoipa::path(post, path = "/compounds/{id}/proxies", tag = "votes", request_body = NewProxy, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = ProxyView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_proxy(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewProxy>,
) -> AppResult<(StatusCode, Json<ProxyView>)> {
    Ok((StatusCode::CREATED, Json(proxies::register(&state.db, &actor, id, &req).await?)))
}

/// The compound's proxy registry.
#[utoipa::path(get, path = "/compounds/{id}/proxies", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ProxyView>), (status = 403, body = ErrorBody)))]
async fn list_proxies(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ProxyView>>> {
    Ok(Json(proxies::registry(&state.db, &actor, id).await?))
}

/// Confirm a proxy as the second person: of another party than its registrar, and not the proxy.
/// It casts from `valid_from`, or 24 hours after confirmation when a vote of the compound is open
/// and the holder has accounts; the holder's accounts and the proxy are told.
#[utoipa::path(post, path = "/proxies/{id}/confirm", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProxyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn confirm_proxy(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<ProxyView>> {
    Ok(Json(proxies::confirm(&state.db, &actor, id).await?))
}

/// Revoke a proxy: by the holder (a verified owner of it) or by staff.
#[utoipa::path(post, path = "/proxies/{id}/revoke", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProxyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_proxy(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<ProxyView>> {
    Ok(Json(proxies::revoke(&state.db, &actor, id).await?))
}

/// Set a compound's notice period and publicity period (administrators).
#[utoipa::path(put, path = "/compounds/{id}/rules", tag = "votes", request_body = CompoundRules, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "saved"), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_rules(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<CompoundRules>,
) -> AppResult<StatusCode> {
    ops::set_compound_rules(&state.db, &actor, id, &req).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Object to a published result during its publicity period (an owner of the vote's roster).
#[utoipa::path(post, path = "/votes/{id}/objections", tag = "votes", request_body = NewObjection, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = ObjectionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn object(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewObjection>,
) -> AppResult<(StatusCode, Json<ObjectionView>)> {
    Ok((StatusCode::CREATED, Json(ops::object(&state.db, &state.rosters, &actor, id, &req).await?)))
}

/// Objections to a result (the three parties).
#[utoipa::path(get, path = "/votes/{id}/objections", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ObjectionView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_objections(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ObjectionView>>> {
    Ok(Json(ops::objections(&state.db, &actor, id).await?))
}

fn csv_response(csv: export::Csv) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", csv.name)),
        ],
        csv.body,
    )
        .into_response()
}
