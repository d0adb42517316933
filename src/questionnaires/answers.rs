//! Storing answers. Taking part and answering are written in one transaction but to two tables:
//! the participation row says who took part (and makes "one per holder" a unique index); the
//! answer row of an anonymous questionnaire says only what was answered. Nothing joins them: the
//! answer's id is random, it has no time, and every anonymous submission rewrites the
//! questionnaire's answers in the order of their random ids, so not even the order rows were
//! stored in (SQLite's rowid, PostgreSQL's heap order) follows the order people answered in.
//!
//! Nor does the order in which readers see them: an anonymous answer and its participation wait,
//! not released, until [`RELEASE_STEP`] have come in, and are then released together with one
//! audit event that says how many; whatever waits is released at close. Results, the response
//! rate and the count of respondents only ever count released rows, so they move in steps.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    prelude::Expr, sea_query::ExprTrait,
};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::model::{AnswerItem, AnswerPer, QuestionnaireStatus, RELEASE_STEP, answers_to_release, respondent_key};
use crate::{
    audit,
    entities::{questionnaire, questionnaire_answer, questionnaire_draft, questionnaire_participation},
    error::{AppError, AppResult, unique_conflict},
    msg,
};

fn to_json(answers: &[AnswerItem]) -> AppResult<String> {
    serde_json::to_string(answers).map_err(|e| AppError::Internal(e.into()))
}

/// Read stored answers (a damaged row reads as no answers rather than failing the results).
pub fn from_json(s: &str) -> Vec<AnswerItem> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Who is answering: the account, and the holder it answers for (per-holder questionnaires).
#[derive(Clone, Copy, Debug)]
pub struct Respondent {
    pub user_id: i64,
    pub holder_id: Option<i64>,
}

impl Respondent {
    pub fn key(&self, q: &questionnaire::Model) -> String {
        respondent_key(AnswerPer::parse(&q.answer_per), self.holder_id, self.user_id)
    }
}

/// Take part and store the answers, inside the caller's transaction. A second answer from the
/// same holder (or person) is refused by the unique index: 409. An anonymous answer waits for its
/// step and is released with it.
pub async fn submit(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    who: Respondent,
    answers: &[AnswerItem],
) -> AppResult<()> {
    // First, on the questionnaire's own row: parallel anonymous answers queue here one behind the
    // other, so each knows exactly how many wait, and none gets in once it has closed.
    let pending = if q.anonymous { Some(queue_anonymous(db, q).await?) } else { None };
    let key = who.key(q);
    let per_holder = AnswerPer::parse(&q.answer_per) == AnswerPer::Holder;
    questionnaire_participation::Entity::insert(questionnaire_participation::ActiveModel {
        questionnaire_id: Set(q.id),
        respondent_key: Set(key.clone()),
        holder_id: Set(if per_holder { who.holder_id } else { None }),
        user_id: Set(who.user_id),
        released: Set(!q.anonymous),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(unique_conflict(
        "already_answered",
        if per_holder { msg!("household_already_answered") } else { msg!("person_already_answered") },
    ))?;
    let body = to_json(answers)?;
    discard_draft(db, q.id, who.user_id).await?;
    if let Some(pending) = pending {
        // No audit event of its own: its time, next to named events, would point at its author.
        let release = answers_to_release(pending, false);
        rewrite_anonymous(db, q.id, Some(body), release > 0).await?;
        if release > 0 {
            released(db, q, release, false).await?;
        }
        return Ok(());
    }
    let digest = hex::encode(Sha256::digest(body.as_bytes()));
    questionnaire_answer::Entity::insert(questionnaire_answer::ActiveModel {
        id: Set(uuid::Uuid::new_v4().to_string()),
        questionnaire_id: Set(q.id),
        respondent_key: Set(Some(key.clone())),
        user_id: Set(Some(who.user_id)),
        holder_id: Set(who.holder_id),
        answers: Set(body),
        submitted_at: Set(Some(Utc::now())),
        released: Set(true),
    })
    .exec(db)
    .await?;
    let detail = json!({ "respondent": key, "sha256": digest });
    audit::note(db, Some(who.user_id), q, "questionnaire.answered", detail).await
}

/// Count one more waiting anonymous answer on a published questionnaire, with a conditional
/// update that also takes its row until the transaction ends. Returns how many wait, this one
/// included.
async fn queue_anonymous(db: &impl ConnectionTrait, q: &questionnaire::Model) -> AppResult<i64> {
    let rows = questionnaire::Entity::update_many()
        .col_expr(questionnaire::Column::PendingAnswers, Expr::col(questionnaire::Column::PendingAnswers).add(1))
        .filter(questionnaire::Column::Id.eq(q.id))
        .filter(questionnaire::Column::Status.eq(QuestionnaireStatus::Published))
        .exec_with_returning(db)
        .await?;
    match rows.first() {
        Some(row) => Ok(row.pending_answers),
        None => Err(AppError::conflict("questionnaire_not_open", msg!("questionnaire_closed"))),
    }
}

/// At close (the caller has just closed `q`, holding its row): release whatever anonymous answers
/// still wait, as one last step.
pub async fn release_at_close(db: &impl ConnectionTrait, q: &questionnaire::Model) -> AppResult<()> {
    let release = answers_to_release(q.pending_answers, true);
    if q.anonymous && release > 0 {
        rewrite_anonymous(db, q.id, None, true).await?;
        released(db, q, release, true).await?;
    }
    Ok(())
}

/// The answers were released (by the rewrite); release their participations with them, start the
/// count of waiting answers again, and record the step: how many, and nothing about whose.
async fn released(db: &impl ConnectionTrait, q: &questionnaire::Model, n: i64, closing: bool) -> AppResult<()> {
    let mine = questionnaire_participation::Column::QuestionnaireId.eq(q.id);
    questionnaire_participation::Entity::update_many()
        .col_expr(questionnaire_participation::Column::Released, Expr::value(true))
        .filter(mine.clone())
        .filter(questionnaire_participation::Column::Released.eq(false))
        .exec(db)
        .await?;
    questionnaire::Entity::update_many()
        .col_expr(questionnaire::Column::PendingAnswers, Expr::value(0i64))
        .filter(questionnaire::Column::Id.eq(q.id))
        .exec(db)
        .await?;
    let respondents = questionnaire_participation::Entity::find().filter(mine).count(db).await? as i64;
    let detail = json!({ "answers": n, "respondents": respondents, "at_close": closing, "step": RELEASE_STEP });
    audit::note(db, None, q, "questionnaire.answers_released", detail).await
}

/// Rewrite the questionnaire's anonymous answers in the order of their random ids, with `new`
/// added (waiting), so that the order of storage carries nothing; with `release`, every one of
/// them comes out released. Releasing in the rewrite, rather than by an update, also keeps
/// PostgreSQL from moving just the released rows to the end of the table.
async fn rewrite_anonymous(
    db: &impl ConnectionTrait,
    questionnaire_id: i64,
    new: Option<String>,
    release: bool,
) -> AppResult<()> {
    let mine = questionnaire_answer::Column::QuestionnaireId.eq(questionnaire_id);
    let mut rows = questionnaire_answer::Entity::find()
        .filter(mine.clone())
        .filter(questionnaire_answer::Column::RespondentKey.is_null())
        .all(db)
        .await?;
    questionnaire_answer::Entity::delete_many()
        .filter(mine)
        .filter(questionnaire_answer::Column::RespondentKey.is_null())
        .exec(db)
        .await?;
    if let Some(body) = new {
        rows.push(questionnaire_answer::Model {
            id: uuid::Uuid::new_v4().to_string(),
            questionnaire_id,
            respondent_key: None,
            user_id: None,
            holder_id: None,
            answers: body,
            submitted_at: None,
            released: false,
        });
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    for chunk in rows.chunks(500) {
        questionnaire_answer::Entity::insert_many(chunk.iter().map(|r| questionnaire_answer::ActiveModel {
            id: Set(r.id.clone()),
            questionnaire_id: Set(r.questionnaire_id),
            respondent_key: Set(None),
            user_id: Set(None),
            holder_id: Set(None),
            answers: Set(r.answers.clone()),
            submitted_at: Set(None),
            released: Set(release || r.released),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The named answer `who` gave, if any.
pub async fn named_answer(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    user_id: i64,
) -> AppResult<Option<questionnaire_answer::Model>> {
    if q.anonymous {
        return Ok(None);
    }
    Ok(questionnaire_answer::Entity::find()
        .filter(questionnaire_answer::Column::QuestionnaireId.eq(q.id))
        .filter(questionnaire_answer::Column::UserId.eq(user_id))
        .order_by_asc(questionnaire_answer::Column::SubmittedAt)
        .one(db)
        .await?)
}

/// Replace a named answer by its author (the caller has checked that editing is allowed).
pub async fn edit(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    previous: &questionnaire_answer::Model,
    answers: &[AnswerItem],
) -> AppResult<()> {
    let body = to_json(answers)?;
    let digest = hex::encode(Sha256::digest(body.as_bytes()));
    questionnaire_answer::Entity::update_many()
        .col_expr(questionnaire_answer::Column::Answers, Expr::value(body))
        .col_expr(questionnaire_answer::Column::SubmittedAt, Expr::value(Utc::now()))
        .filter(questionnaire_answer::Column::Id.eq(previous.id.clone()))
        .exec(db)
        .await?;
    let detail = json!({ "respondent": previous.respondent_key, "sha256": digest });
    audit::note(db, previous.user_id, q, "questionnaire.answer_changed", detail).await
}

/// Keep `user_id`'s unfinished answers, for them alone.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    questionnaire_id: i64,
    user_id: i64,
    answers: &[AnswerItem],
) -> AppResult<questionnaire_draft::Model> {
    let body = to_json(answers)?;
    let now = Utc::now();
    if let Some(d) = draft_of(db, questionnaire_id, user_id).await? {
        questionnaire_draft::Entity::update_many()
            .col_expr(questionnaire_draft::Column::Answers, Expr::value(body.clone()))
            .col_expr(questionnaire_draft::Column::UpdatedAt, Expr::value(now))
            .filter(questionnaire_draft::Column::Id.eq(d.id))
            .exec(db)
            .await?;
        return Ok(questionnaire_draft::Model { answers: body, updated_at: now, ..d });
    }
    Ok(questionnaire_draft::Entity::insert(questionnaire_draft::ActiveModel {
        questionnaire_id: Set(questionnaire_id),
        user_id: Set(user_id),
        answers: Set(body),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?)
}

async fn discard_draft(db: &impl ConnectionTrait, questionnaire_id: i64, user_id: i64) -> AppResult<()> {
    questionnaire_draft::Entity::delete_many()
        .filter(questionnaire_draft::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(questionnaire_draft::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every released answer to the questionnaire; named ones in the order given, anonymous ones in
/// the order of their random ids.
pub async fn all_answers(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
) -> AppResult<Vec<questionnaire_answer::Model>> {
    let find = questionnaire_answer::Entity::find()
        .filter(questionnaire_answer::Column::QuestionnaireId.eq(q.id))
        .filter(questionnaire_answer::Column::Released.eq(true));
    let find = if q.anonymous {
        find.order_by_asc(questionnaire_answer::Column::Id)
    } else {
        find.order_by_asc(questionnaire_answer::Column::SubmittedAt).order_by_asc(questionnaire_answer::Column::Id)
    };
    Ok(find.all(db).await?)
}

/// The unfinished answers `user_id` keeps for the questionnaire, if any.
pub async fn draft_of(
    db: &impl ConnectionTrait,
    questionnaire_id: i64,
    user_id: i64,
) -> AppResult<Option<questionnaire_draft::Model>> {
    Ok(questionnaire_draft::Entity::find()
        .filter(questionnaire_draft::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(questionnaire_draft::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}
