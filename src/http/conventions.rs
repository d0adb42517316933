//! `/conventions…`, `/compounds/{id}/conventions`, `/communities/{id}/conventions`: conventions
//! drafted in articles and put to a consultation.
use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::conventions::{
    self, Acknowledge, AcknowledgementsView, AnswerComment, CompareParams, ConsultationReport, ConventionCommentView,
    ConventionComparison, ConventionSummary, ConventionTemplate, ConventionVersionView, ConventionView, EditConvention,
    NewConvention, NewConventionComment, OpenConsultation, PaperAcknowledgement, Parsed, PutConvention,
    RebaseAmendment, RegisterEntry, Reminded, Scope,
};
use crate::{
    auth::Actor,
    db::write_txn,
    error::{AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query, Upload},
    i18n::Lang,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_templates))
        .routes(routes!(import_docx))
        .routes(routes!(list_compound_conventions, create_compound_convention))
        .routes(routes!(list_community_conventions, create_community_convention))
        .routes(routes!(get_convention, edit_convention))
        .routes(routes!(convention_version))
        .routes(routes!(compare_versions))
        .routes(routes!(open_consultation))
        .routes(routes!(list_convention_comments, add_convention_comment))
        .routes(routes!(support_amendment, withdraw_support))
        .routes(routes!(answer_convention_comment))
        .routes(routes!(rebase_amendment))
        .routes(routes!(consultation_report))
        .routes(routes!(put_convention))
        .routes(routes!(compound_register))
        .routes(routes!(community_register))
        .routes(routes!(list_acknowledgements, acknowledge_convention))
        .routes(routes!(enter_paper_acknowledgement))
        .routes(routes!(remind_acknowledgements))
}

async fn answer(state: &AppState, actor: &Actor, id: i64) -> AppResult<Json<ConventionView>> {
    // A vote on it may have closed since: settle it first, so that what is shown is where it stands.
    conventions::settle_due(&state.db).await?;
    Ok(Json(conventions::show(&state.db, actor, id).await?))
}

/// Start a convention where `scope` says, then show it.
async fn create(
    state: &AppState,
    actor: &Actor,
    scope: Scope,
    req: NewConvention,
) -> AppResult<(StatusCode, Json<ConventionView>)> {
    let txn = write_txn(&state.db).await?;
    let id = conventions::create(&txn, actor, scope, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(state, actor, id).await?))
}

/// Give (`on`) or withdraw the caller's support of an amendment, then show it.
async fn support(
    state: &AppState,
    actor: &Actor,
    id: i64,
    comment_id: i64,
    on: bool,
) -> AppResult<Json<ConventionCommentView>> {
    let txn = write_txn(&state.db).await?;
    conventions::support(&txn, actor, id, comment_id, on).await?;
    txn.commit().await?;
    comment_answer(state, actor, id, comment_id).await
}

async fn comment_answer(
    state: &AppState,
    actor: &Actor,
    id: i64,
    comment_id: i64,
) -> AppResult<Json<ConventionCommentView>> {
    Ok(Json(conventions::comment_view(&state.db, actor, id, comment_id).await?))
}

/// The templates a draft may start from: the management covenant, the rules of procedure and a
/// residents' convention, each numbered as it would be.
#[utoipa::path(get, path = "/convention-templates", tag = "conventions", security(("bearer" = [])),
    responses((status = 200, body = Vec<ConventionTemplate>)))]
async fn list_templates(_actor: Actor) -> AppResult<Json<Vec<ConventionTemplate>>> {
    Ok(Json(conventions::template_views()?))
}

/// Read the numbered chapters (第一章) and articles (第一条) of a Word file (.docx), typed or
/// numbered automatically, for a draft: the title, preamble and articles, with notes on what was
/// renumbered. Nothing is stored; errors name the paragraph (`line 12`).
#[utoipa::path(post, path = "/conventions/import", tag = "conventions", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "the .docx file as it is"),
    responses((status = 200, body = Parsed), (status = 422, body = ErrorBody), (status = 413, body = ErrorBody)))]
async fn import_docx(_actor: Actor, lang: Lang, body: Upload) -> AppResult<Json<Parsed>> {
    let bytes = body.bytes()?;
    let parsed = tokio::task::spawn_blocking(move || conventions::import_docx(&bytes, lang));
    Ok(Json(parsed.await.map_err(anyhow::Error::from)??))
}

/// The conventions of the compound and those of its whole community, newest first (drafts only
/// to their drafters and the community office).
#[utoipa::path(get, path = "/compounds/{id}/conventions", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<ConventionSummary>), (status = 403, body = ErrorBody)))]
async fn list_compound_conventions(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ConventionSummary>>> {
    Ok(Json(conventions::list_compound(&state.db, &actor, id).await?))
}

/// Start a convention for the compound as one's party, from a template or a text of one's own:
/// the management covenant and the rules of procedure by the owners' committee, a residents'
/// convention by any of the three parties.
#[utoipa::path(post, path = "/compounds/{id}/conventions", tag = "conventions", request_body = NewConvention,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = ConventionView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_compound_convention(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewConvention>,
) -> AppResult<(StatusCode, Json<ConventionView>)> {
    create(&state, &actor, Scope::Compound(id), req).await
}

/// The conventions of the community the caller may see, newest first.
#[utoipa::path(get, path = "/communities/{id}/conventions", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<ConventionSummary>), (status = 403, body = ErrorBody)))]
async fn list_community_conventions(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ConventionSummary>>> {
    Ok(Json(conventions::list_community(&state.db, &actor, id).await?))
}

/// Start a residents' convention for the whole community: by the community office.
#[utoipa::path(post, path = "/communities/{id}/conventions", tag = "conventions", request_body = NewConvention,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = ConventionView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_community_convention(
    State(state): State<AppState>,
    actor: Actor,
    Path(community_id): Path<i64>,
    Json(req): Json<NewConvention>,
) -> AppResult<(StatusCode, Json<ConventionView>)> {
    create(&state, &actor, Scope::Community(community_id), req).await
}

/// The convention with its current text numbered, its consultation, versions and what the caller
/// may do.
#[utoipa::path(get, path = "/conventions/{id}", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ConventionView), (status = 403, body = ErrorBody)))]
async fn get_convention(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<ConventionView>> {
    answer(&state, &actor, id).await
}

/// Save the drafters' text as a new version: articles sent with their id keep it, new ones get
/// the next; numbering follows the order.
#[utoipa::path(put, path = "/conventions/{id}", tag = "conventions", request_body = EditConvention,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConventionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn edit_convention(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<EditConvention>,
) -> AppResult<Json<ConventionView>> {
    let txn = write_txn(&state.db).await?;
    conventions::edit(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// One saved version in full.
#[utoipa::path(get, path = "/conventions/{id}/versions/{version}", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path), ("version" = i32, Path)),
    responses((status = 200, body = ConventionVersionView), (status = 403, body = ErrorBody)))]
async fn convention_version(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, version)): Path<(i64, i32)>,
) -> AppResult<Json<ConventionVersionView>> {
    Ok(Json(conventions::version(&state.db, &actor, id, version).await?))
}

/// Two versions compared article by article, with the characters changed marked.
#[utoipa::path(get, path = "/conventions/{id}/compare", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path), CompareParams),
    responses((status = 200, body = ConventionComparison), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn compare_versions(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(p): Query<CompareParams>,
) -> AppResult<Json<ConventionComparison>> {
    Ok(Json(conventions::compare(&state.db, &actor, id, p).await?))
}

/// Open the consultation (征求意见) for a period, announced in the audience's inbox: the owners
/// and parties of the compound, or everyone with a role in the community.
#[utoipa::path(post, path = "/conventions/{id}/consultation", tag = "conventions", request_body = OpenConsultation,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConventionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn open_consultation(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<OpenConsultation>,
) -> AppResult<Json<ConventionView>> {
    let txn = write_txn(&state.db).await?;
    conventions::open_consultation(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Every comment and amendment, with the drafters' answers, oldest first.
#[utoipa::path(get, path = "/conventions/{id}/comments", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ConventionCommentView>), (status = 403, body = ErrorBody)))]
async fn list_convention_comments(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ConventionCommentView>>> {
    Ok(Json(conventions::comments(&state.db, &actor, id).await?))
}

/// Comment on an article, or propose its new wording with a reason, on the version read: while
/// the consultation is open.
#[utoipa::path(post, path = "/conventions/{id}/comments", tag = "conventions", request_body = NewConventionComment,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = ConventionCommentView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn add_convention_comment(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewConventionComment>,
) -> AppResult<(StatusCode, Json<ConventionCommentView>)> {
    let txn = write_txn(&state.db).await?;
    let cid = conventions::comment(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, comment_answer(&state, &actor, id, cid).await?))
}

/// Support an amendment (not one's own), while the consultation is open.
#[utoipa::path(post, path = "/conventions/{id}/comments/{comment_id}/support", tag = "conventions",
    security(("bearer" = [])), params(("id" = i64, Path), ("comment_id" = i64, Path)),
    responses((status = 200, body = ConventionCommentView), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn support_amendment(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment_id)): Path<(i64, i64)>,
) -> AppResult<Json<ConventionCommentView>> {
    support(&state, &actor, id, comment_id, true).await
}

/// Withdraw one's support of an amendment, while the consultation is open.
#[utoipa::path(delete, path = "/conventions/{id}/comments/{comment_id}/support", tag = "conventions",
    security(("bearer" = [])), params(("id" = i64, Path), ("comment_id" = i64, Path)),
    responses((status = 200, body = ConventionCommentView), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn withdraw_support(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment_id)): Path<(i64, i64)>,
) -> AppResult<Json<ConventionCommentView>> {
    support(&state, &actor, id, comment_id, false).await
}

/// The drafters' answer: adopted, partly adopted or not adopted, with a reason. An amendment
/// adopted makes a new version; one written on an older text of its article is refused (409
/// `convention_amendment_stale`) until it is rebased.
#[utoipa::path(post, path = "/conventions/{id}/comments/{comment_id}/answer", tag = "conventions",
    request_body = AnswerComment, security(("bearer" = [])), params(("id" = i64, Path), ("comment_id" = i64, Path)),
    responses((status = 200, body = ConventionCommentView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn answer_convention_comment(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment_id)): Path<(i64, i64)>,
    Json(req): Json<AnswerComment>,
) -> AppResult<Json<ConventionCommentView>> {
    let txn = write_txn(&state.db).await?;
    conventions::answer(&txn, &actor, id, comment_id, req).await?;
    txn.commit().await?;
    comment_answer(&state, &actor, id, comment_id).await
}

/// Carry an amendment whose article has changed onto the current text: by its author or the
/// drafters.
#[utoipa::path(post, path = "/conventions/{id}/comments/{comment_id}/rebase", tag = "conventions",
    request_body = RebaseAmendment, security(("bearer" = [])), params(("id" = i64, Path), ("comment_id" = i64, Path)),
    responses((status = 200, body = ConventionCommentView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn rebase_amendment(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, comment_id)): Path<(i64, i64)>,
    Json(req): Json<RebaseAmendment>,
) -> AppResult<Json<ConventionCommentView>> {
    let txn = write_txn(&state.db).await?;
    conventions::rebase(&txn, &actor, id, comment_id, req).await?;
    txn.commit().await?;
    comment_answer(&state, &actor, id, comment_id).await
}

/// The consultation report (征求意见反馈): per article, the comments, amendments, supports and
/// answers, and the change from the first draft to the current one.
#[utoipa::path(get, path = "/conventions/{id}/report", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ConsultationReport), (status = 403, body = ErrorBody)))]
async fn consultation_report(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<ConsultationReport>> {
    Ok(Json(conventions::report(&state.db, &actor, id).await?))
}

/// Put the final version for adoption, or the convention for repeal, by a route the law gives:
/// a binding vote drafted in each compound (bound to the text's SHA-256, for its convener to
/// publish), a residents' meeting filed with the street office, or a recorded decision making it
/// a pledge (adopted at once).
#[utoipa::path(post, path = "/conventions/{id}/adoptions", tag = "conventions", request_body = PutConvention,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConventionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn put_convention(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<PutConvention>,
) -> AppResult<Json<ConventionView>> {
    let txn = write_txn(&state.db).await?;
    conventions::put(&txn, &actor, id, req).await?;
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// The compound's register: its conventions and the community's that are in force or repealed,
/// each with how every version was adopted and what it superseded.
#[utoipa::path(get, path = "/compounds/{id}/convention-register", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<RegisterEntry>), (status = 403, body = ErrorBody)))]
async fn compound_register(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<RegisterEntry>>> {
    Ok(Json(conventions::register_compound(&state.db, &actor, id).await?))
}

/// The community's register: the conventions of the compounds the caller has a role in and the
/// community's own, in force or repealed.
#[utoipa::path(get, path = "/communities/{id}/convention-register", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<RegisterEntry>), (status = 403, body = ErrorBody)))]
async fn community_register(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<RegisterEntry>>> {
    Ok(Json(conventions::register_community(&state.db, &actor, id).await?))
}

/// The caller's households and whether each has acknowledged the version in force (知晓承诺);
/// for the parties, the coverage by building and the households still to acknowledge.
#[utoipa::path(get, path = "/conventions/{id}/acknowledgements", tag = "conventions", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AcknowledgementsView), (status = 403, body = ErrorBody)))]
async fn list_acknowledgements(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<AcknowledgementsView>> {
    Ok(Json(conventions::acknowledgement::show(&state.db, &actor, id).await?))
}

/// Acknowledge the version in force for one of the caller's households: it has read it and
/// undertakes to keep it. Once per household.
#[utoipa::path(post, path = "/conventions/{id}/acknowledgements", tag = "conventions", request_body = Acknowledge,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AcknowledgementsView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn acknowledge_convention(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<Acknowledge>,
) -> AppResult<(StatusCode, Json<AcknowledgementsView>)> {
    let txn = write_txn(&state.db).await?;
    conventions::acknowledgement::acknowledge(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, list_acknowledgements(State(state), actor, Path(id)).await?))
}

/// Enter a household's acknowledgement signed on paper, with the day it was signed and its scan:
/// the parties where it applies.
#[utoipa::path(post, path = "/conventions/{id}/acknowledgements/paper", tag = "conventions",
    request_body = PaperAcknowledgement, security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AcknowledgementsView), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn enter_paper_acknowledgement(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<PaperAcknowledgement>,
) -> AppResult<(StatusCode, Json<AcknowledgementsView>)> {
    let txn = write_txn(&state.db).await?;
    conventions::acknowledgement::record_paper(&txn, &actor, id, req).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, list_acknowledgements(State(state), actor, Path(id)).await?))
}

/// Remind, in their inbox, the owners of the households that have not acknowledged yet.
#[utoipa::path(post, path = "/conventions/{id}/acknowledgements/remind", tag = "conventions",
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Reminded), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn remind_acknowledgements(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Reminded>> {
    let txn = write_txn(&state.db).await?;
    let out = conventions::acknowledgement::remind(&txn, &actor, id).await?;
    txn.commit().await?;
    Ok(Json(out))
}
