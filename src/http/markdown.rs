//! `/markdown`: an editor's live preview.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::Json,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(preview))
}

#[derive(Deserialize, ToSchema)]
pub struct PreviewRequest {
    /// Markdown, at most 20 000 characters.
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewView {
    /// `text` as sanitized HTML, exactly as the app will show it once saved.
    pub html: String,
}

/// Markdown rendered as the app shows it, for an editor's live preview (signed in).
#[utoipa::path(post, path = "/markdown", tag = "markdown", request_body = PreviewRequest, security(("bearer" = [])),
    responses((status = 200, body = PreviewView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn preview(_actor: Actor, Json(req): Json<PreviewRequest>) -> AppResult<Json<PreviewView>> {
    Ok(Json(PreviewView { html: crate::markdown::preview(&req.text)? }))
}
