//! `/compounds/{id}/questionnaires`, `/questionnaires/{id}/…`.
use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::questionnaires::{
    ops::{self, Export},
    views::*,
};
use crate::{
    auth::Actor,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    i18n::Lang,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_questionnaires, create_questionnaire))
        .routes(routes!(get_questionnaire, update_questionnaire))
        .routes(routes!(publish_questionnaire))
        .routes(routes!(close_questionnaire))
        .routes(routes!(submit))
        .routes(routes!(edit_answer))
        .routes(routes!(save_draft))
        .routes(routes!(results))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
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
    Ok(Json(ops::list(&state.db, &actor, id).await?))
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
    Ok((StatusCode::CREATED, Json(ops::create(&state.db, &actor, id, &req).await?)))
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
    Ok(Json(ops::show(&state.db, &actor, id).await?))
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
    Ok(Json(ops::update(&state.db, &actor, id, &req).await?))
}

/// Publish a draft: everyone it asks finds it in their inbox.
#[utoipa::path(post, path = "/questionnaires/{id}/publish", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish_questionnaire(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<QuestionnaireView>> {
    Ok(Json(ops::publish(&state.db, &actor, id).await?))
}

/// Close a questionnaire before its time.
#[utoipa::path(post, path = "/questionnaires/{id}/close", tag = "questionnaires", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = QuestionnaireView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
async fn close_questionnaire(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<QuestionnaireView>> {
    Ok(Json(ops::close(&state.db, &actor, id).await?))
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
    Ok((StatusCode::CREATED, Json(ops::submit(&state.db, &actor, id, &req).await?)))
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
    Ok(Json(ops::edit_answer(&state.db, &actor, id, &req).await?))
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
    Ok(Json(ops::save_draft(&state.db, &actor, id, &req).await?))
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
    Ok(Json(ops::results(&state.db, &actor, id).await?))
}

/// Answer an export as a download under its own name.
fn file_response(content_type: &str, e: Export) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", e.name)),
        ],
        e.bytes,
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
    Ok(file_response("text/csv; charset=utf-8", ops::export_csv(&state.db, &actor, id, lang).await?))
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
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(file_response(xlsx, ops::export_xlsx(&state.db, &actor, id, lang).await?))
}
