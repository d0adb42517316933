//! `/communities/{id}/meetings`, `/me/calendar`, `/calendar/{token}/meetings.ics`: the
//! community's calendar and each person's iCalendar feed.
use axum::{
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::meetings::{
    self, MeetingSummary,
    calendar::{self, FeedSecret, FeedStatus},
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
        .routes(routes!(list_community_meetings))
        .routes(routes!(feed_status, renew_feed))
        .routes(routes!(calendar_feed))
}

/// The community's meetings, soonest first: all of them to the community office; to the others,
/// those of their compounds and those they are invited to.
#[utoipa::path(get, path = "/communities/{id}/meetings", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<MeetingSummary>), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn list_community_meetings(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<MeetingSummary>>> {
    Ok(Json(meetings::list_in_community(&state.db, &actor, id).await?))
}

/// Whether I have a calendar feed, and since when (its address is shown only when made).
#[utoipa::path(get, path = "/me/calendar", tag = "meetings", security(("bearer" = [])),
    responses((status = 200, body = FeedStatus)))]
async fn feed_status(State(state): State<AppState>, actor: Actor) -> AppResult<Json<FeedStatus>> {
    Ok(Json(calendar::feed_status(&state.db, &actor).await?))
}

/// Make me a new calendar feed address (the old one stops working). Calendar apps subscribe to
/// it without signing in, so it is a secret: shown once, renewed when it leaks.
#[utoipa::path(post, path = "/me/calendar", tag = "meetings", security(("bearer" = [])),
    responses((status = 201, body = FeedSecret)))]
async fn renew_feed(State(state): State<AppState>, actor: Actor) -> AppResult<(StatusCode, Json<FeedSecret>)> {
    let txn = write_txn(&state.db).await?;
    let secret = calendar::renew_feed(&txn, &actor).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(secret)))
}

/// The origin the caller reached this server by, for the links in the feed.
fn origin(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let proto = headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()).unwrap_or("http");
    let proto = if proto == "https" { "https" } else { "http" };
    format!("{proto}://{host}")
}

/// A person's meetings as an iCalendar feed (RFC 5545), on the secret address made for them.
#[utoipa::path(get, path = "/calendar/{token}/meetings.ics", tag = "meetings", params(("token" = String, Path)),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
async fn calendar_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let ics = calendar::feed(&state.db, &token, &origin(&headers)).await?;
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], ics)
        .into_response())
}
