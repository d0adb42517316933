//! What the questionnaires API sends and receives, and how a questionnaire is shown to a caller.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, prelude::Expr,
    sea_query::ExprTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    answers::{self, from_json},
    lifecycle::{asked_holdings, parse_ids},
    model::{
        AnswerItem, AnswerPer, Audience, Question, QuestionResult, QuestionnaireStatus, ResultsVisibility,
        respondent_key,
    },
    ops::{Access, open_now, questions_of},
};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{compound, questionnaire, questionnaire_participation},
    error::AppResult,
};

#[derive(Deserialize, ToSchema)]
pub struct NewQuestionnaire {
    pub title: String,
    /// Markdown; the app renders it without HTML.
    #[serde(default)]
    pub description: String,
    pub questions: Vec<Question>,
    pub audience: Audience,
    /// The buildings whose owners are asked (a `buildings` audience only).
    pub building_ids: Option<Vec<i64>>,
    /// Answers are stored with no link to who gave them.
    #[serde(default)]
    pub anonymous: bool,
    pub answer_per: AnswerPer,
    /// Whether a named answer may be changed until close (never for anonymous questionnaires).
    #[serde(default)]
    pub allow_edit: bool,
    pub results_visibility: ResultsVisibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// The agenda this questionnaire helps settle.
    pub agenda_id: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireSummary {
    pub id: i64,
    pub compound_id: i64,
    pub title: String,
    pub status: QuestionnaireStatus,
    /// Published and taking answers now.
    pub open: bool,
    pub anonymous: bool,
    pub audience: Audience,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Holders (or people) who have answered.
    pub respondents: i64,
    /// Whether I (or my household, per holder) have answered.
    pub answered: bool,
}

/// One of my holdings that a per-holder questionnaire asks.
#[derive(Serialize, ToSchema)]
pub struct MyHoldingAsked {
    pub holder_id: i64,
    /// The rooms, e.g. "1号楼 1单元101".
    pub label: String,
    /// Someone of this household has answered.
    pub answered: bool,
}

/// Where I stand with a questionnaire.
#[derive(Serialize, ToSchema)]
pub struct MyAnswer {
    /// I am in its audience.
    pub eligible: bool,
    /// Per-holder questionnaires: my households it asks.
    pub holdings: Vec<MyHoldingAsked>,
    /// I (or, per holder, every household of mine) have answered.
    pub answered: bool,
    /// My named answer (anonymous answers cannot be shown back: nothing links them to me).
    pub answers: Option<Vec<AnswerItem>>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// What I saved without sending.
    pub draft: Option<Vec<AnswerItem>>,
    pub draft_saved_at: Option<DateTime<Utc>>,
    pub can_submit: bool,
    pub can_edit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireView {
    pub id: i64,
    pub compound_id: i64,
    pub compound_name: String,
    pub title: String,
    pub description: String,
    /// `description` (Markdown) as sanitized HTML, ready to show.
    pub description_html: String,
    pub questions: Vec<Question>,
    pub audience: Audience,
    pub building_ids: Option<Vec<i64>>,
    /// Names of the chosen buildings.
    pub buildings: Vec<String>,
    pub anonymous: bool,
    pub answer_per: AnswerPer,
    pub allow_edit: bool,
    pub results_visibility: ResultsVisibility,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub status: QuestionnaireStatus,
    pub open: bool,
    pub agenda_id: Option<i64>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub respondents: i64,
    /// I may change, publish and close it.
    pub can_manage: bool,
    /// I may read its results now.
    pub results_visible: bool,
    /// I may export its results.
    pub can_export: bool,
    pub my: MyAnswer,
}

#[derive(Deserialize, ToSchema)]
pub struct SubmitAnswers {
    /// The household answered for (per-holder questionnaires, when I hold more than one).
    pub holder_id: Option<i64>,
    /// One item per question, in order.
    pub answers: Vec<AnswerItem>,
}

#[derive(Deserialize, ToSchema)]
pub struct DraftAnswers {
    pub answers: Vec<AnswerItem>,
}

#[derive(Serialize, ToSchema)]
pub struct DraftSaved {
    pub saved_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerReceipt {
    pub questionnaire_id: i64,
    pub submitted: bool,
    /// Whether the answer can still be changed (named, allowed, and before close).
    pub can_edit: bool,
}

#[derive(Serialize, ToSchema)]
pub struct QuestionnaireResults {
    pub questionnaire_id: i64,
    pub status: QuestionnaireStatus,
    /// Holders (or people) who answered; for an anonymous questionnaire they, and the answers
    /// counted here, move in steps of 5 until close.
    pub respondents: i64,
    /// The audience's heads: households per holder, people per person (fixed at close).
    pub audience_heads: i64,
    /// Respondents over heads, in percent with one decimal.
    pub response_rate: f64,
    /// Free-text answers carry their authors (named questionnaires, for the three parties).
    pub named: bool,
    pub questions: Vec<QuestionResult>,
}

/// Respondents per questionnaire as readers see them (anonymous ones in steps), in one grouped
/// query.
pub async fn respondents_of(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, i64>> {
    #[derive(FromQueryResult)]
    struct KeyCount {
        key: i64,
        n: i64,
    }
    let rows = questionnaire_participation::Entity::find()
        .select_only()
        .column_as(questionnaire_participation::Column::QuestionnaireId, "key")
        .column_as(Expr::col(questionnaire_participation::Column::Id).count(), "n")
        .filter(questionnaire_participation::Column::QuestionnaireId.is_in(ids.iter().copied()))
        .filter(questionnaire_participation::Column::Released.eq(true))
        .group_by(questionnaire_participation::Column::QuestionnaireId)
        .into_model::<KeyCount>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.key, r.n)).collect())
}

/// A questionnaire in a list.
pub fn summary(q: &questionnaire::Model, respondents: i64, answered: bool) -> QuestionnaireSummary {
    QuestionnaireSummary {
        id: q.id,
        compound_id: q.compound_id,
        title: q.title.clone(),
        status: q.status,
        open: open_now(q),
        anonymous: q.anonymous,
        audience: Audience::parse(&q.audience),
        opens_at: q.opens_at,
        closes_at: q.closes_at,
        respondents,
        answered,
    }
}

/// Which of the keys `keys` have taken part in the questionnaire.
async fn taken_keys(db: &impl ConnectionTrait, questionnaire_id: i64, keys: &[String]) -> AppResult<HashSet<String>> {
    Ok(questionnaire_participation::Entity::find()
        .filter(questionnaire_participation::Column::QuestionnaireId.eq(questionnaire_id))
        .filter(questionnaire_participation::Column::RespondentKey.is_in(keys.iter().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.respondent_key)
        .collect())
}

/// Where `actor` stands with the questionnaire: asked or not, answered, their answer and draft.
async fn my_answer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    q: &questionnaire::Model,
    access: &Access,
) -> AppResult<MyAnswer> {
    let per = AnswerPer::parse(&q.answer_per);
    let eligible = access.asked;
    let holdings =
        if eligible && per == AnswerPer::Holder { asked_holdings(db, q, actor.user.id).await? } else { vec![] };
    let key = |holder: Option<i64>| respondent_key(per, holder, actor.user.id);
    let keys: Vec<String> = if per == AnswerPer::Holder {
        holdings.iter().map(|h| key(Some(h.holder_id))).collect()
    } else {
        vec![key(None)]
    };
    let taken = taken_keys(db, q.id, &keys).await?;
    let answered = eligible && !keys.is_empty() && keys.iter().all(|k| taken.contains(k));
    let named = answers::named_answer(db, q, actor.user.id).await?;
    let draft = answers::draft_of(db, q.id, actor.user.id).await?;
    let open = open_now(q);
    Ok(MyAnswer {
        eligible,
        holdings: holdings
            .into_iter()
            .map(|h| MyHoldingAsked {
                answered: taken.contains(&key(Some(h.holder_id))),
                holder_id: h.holder_id,
                label: h.label,
            })
            .collect(),
        answered,
        can_submit: open && eligible && !answered,
        can_edit: open && q.allow_edit && !q.anonymous && named.is_some(),
        answers: named.as_ref().map(|a| from_json(&a.answers)),
        submitted_at: named.and_then(|a| a.submitted_at),
        draft: draft.as_ref().map(|d| from_json(&d.answers)),
        draft_saved_at: draft.map(|d| d.updated_at),
    })
}

/// The names of the chosen buildings.
async fn building_names(db: &impl ConnectionTrait, ids: Option<&[i64]>) -> AppResult<Vec<String>> {
    let Some(ids) = ids else { return Ok(Vec::new()) };
    crate::tenancy::building_names(db, ids).await
}

/// A questionnaire whole, as `actor` may see it.
pub async fn view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    q: &questionnaire::Model,
    c: &compound::Model,
    access: &Access,
) -> AppResult<QuestionnaireView> {
    let ids = parse_ids(q.building_ids.as_deref());
    let buildings = building_names(db, ids.as_deref()).await?;
    let creator = user_names(db, [q.created_by]).await?.remove(&q.created_by).unwrap_or_default();
    let respondents = respondents_of(db, &[q.id]).await?.get(&q.id).copied().unwrap_or(0);
    Ok(QuestionnaireView {
        id: q.id,
        compound_id: q.compound_id,
        compound_name: c.name.clone(),
        title: q.title.clone(),
        description: q.description.clone(),
        description_html: crate::markdown::to_html(&q.description),
        questions: questions_of(q),
        audience: Audience::parse(&q.audience),
        building_ids: ids,
        buildings,
        anonymous: q.anonymous,
        answer_per: AnswerPer::parse(&q.answer_per),
        allow_edit: q.allow_edit,
        results_visibility: ResultsVisibility::parse(&q.results_visibility),
        opens_at: q.opens_at,
        closes_at: q.closes_at,
        status: q.status,
        open: open_now(q),
        agenda_id: q.agenda_id,
        created_by: creator,
        created_at: q.created_at,
        published_at: q.published_at,
        closed_at: q.closed_at,
        respondents,
        can_manage: access.manage,
        results_visible: access.results_visible(q),
        can_export: access.party,
        my: my_answer(db, actor, q, access).await?,
    })
}
