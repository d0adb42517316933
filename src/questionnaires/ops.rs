//! What one can do with questionnaires, each an operation on the database: list, build, change,
//! publish and close them, answer them, read and export their results.
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use super::{
    answers::{self, Respondent, from_json},
    export,
    lifecycle::{self, advance, asked_holdings, audience_heads, audience_users, is_asked, parse_ids},
    model::{
        AnswerItem, AnswerPer, Audience, Question, QuestionnaireStatus, ResultsVisibility, check_answers,
        check_questions, percent, tally,
    },
    rules::{self, Step},
    views::*,
};
use crate::{
    accounts::user_names,
    audit,
    auth::Actor,
    db::{Transition, write_txn},
    entities::{agenda, building, compound, questionnaire, questionnaire_participation, unit},
    error::{AppError, AppResult},
    i18n::Lang,
    msg,
    notices::{self, Deed, NewNotice},
    policy::Permission,
    tenancy::compound_for,
    text::{optional_text, required_text},
};

/// The most questionnaires a list returns, newest first.
const LIST_LIMIT: u64 = 100;

/// What the caller may do with one questionnaire.
pub struct Access {
    /// One of the three parties (or an administrator): sees it whole, results included.
    pub party: bool,
    pub manage: bool,
    /// In its audience.
    pub asked: bool,
}

impl Access {
    /// Whether the caller may read the results now.
    pub fn results_visible(&self, q: &questionnaire::Model) -> bool {
        self.party
            || (self.asked && rules::audience_sees_results(q.status, ResultsVisibility::parse(&q.results_visibility)))
    }
}

/// A questionnaire as loaded for one caller: itself, its compound and what the caller may do.
pub struct Loaded {
    pub questionnaire: questionnaire::Model,
    pub compound: compound::Model,
    pub access: Access,
}

fn allowed(actor: &Actor, c: &compound::Model, p: Permission) -> bool {
    actor.authorize_compound(p, c).is_ok()
}

/// Published and within its answering time now.
pub fn open_now(q: &questionnaire::Model) -> bool {
    rules::is_open(q.status, q.opens_at, q.closes_at, Utc::now())
}

/// The questions as stored (a damaged row reads as none).
pub fn questions_of(q: &questionnaire::Model) -> Vec<Question> {
    serde_json::from_str(&q.questions).unwrap_or_default()
}

/// Load a questionnaire, brought up to date with the clock, and check `p`. Drafts are seen only by
/// those who manage questionnaires; a published one only by the three parties and its audience.
pub async fn load(db: &DatabaseConnection, actor: &Actor, id: i64, p: Permission) -> AppResult<Loaded> {
    let q = questionnaire::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(q.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_compound(Permission::ViewQuestionnaires, &c)?;
    let manage = allowed(actor, &c, Permission::ManageQuestionnaires);
    let party = allowed(actor, &c, Permission::SeeQuestionnaireResults);
    if q.status == QuestionnaireStatus::Draft && !manage {
        return Err(AppError::NotFound);
    }
    let has_role = !actor.roles_in_compound(&c).is_empty();
    let asked = q.status != QuestionnaireStatus::Draft && is_asked(db, &q, actor.user.id, has_role).await?;
    if !party && !asked {
        return Err(AppError::NotFound);
    }
    actor.authorize_compound(p, &c)?;
    let questionnaire = advance(db, q).await?;
    Ok(Loaded { questionnaire, compound: c, access: Access { party, manage, asked } })
}

/// The caller's (holder, building) pairs in compound `c`, for deciding which questionnaires ask them.
async fn my_units(db: &impl ConnectionTrait, user_id: i64, c: &compound::Model) -> AppResult<Vec<(i64, i64)>> {
    let holders = crate::roster::holders_of_user(db, user_id).await?;
    if holders.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unit::Entity::find()
        .filter(unit::Column::CompoundId.eq(c.id))
        .filter(unit::Column::HolderId.is_in(holders))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.holder_id, u.building_id))
        .collect())
}

/// Which of the questionnaires `ids` the user, or one of the households `holders`, has answered.
async fn answered_among(
    db: &impl ConnectionTrait,
    ids: &[i64],
    user_id: i64,
    holders: Vec<i64>,
) -> AppResult<HashSet<i64>> {
    Ok(questionnaire_participation::Entity::find()
        .filter(questionnaire_participation::Column::QuestionnaireId.is_in(ids.iter().copied()))
        .filter(
            sea_orm::Condition::any()
                .add(questionnaire_participation::Column::UserId.eq(user_id))
                .add(questionnaire_participation::Column::HolderId.is_in(holders)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.questionnaire_id)
        .collect())
}

/// The compound's questionnaires, newest first (at most [`LIST_LIMIT`]): drafts for those who
/// build them, and to everyone else those that ask them.
pub async fn list(db: &DatabaseConnection, actor: &Actor, compound_id: i64) -> AppResult<Vec<QuestionnaireSummary>> {
    let c = compound_for(db, actor, compound_id, Permission::ViewQuestionnaires).await?;
    let party = allowed(actor, &c, Permission::SeeQuestionnaireResults);
    let mut find = questionnaire::Entity::find()
        .filter(questionnaire::Column::CompoundId.eq(c.id))
        .order_by_desc(questionnaire::Column::Id)
        .limit(LIST_LIMIT);
    if !allowed(actor, &c, Permission::ManageQuestionnaires) {
        find = find.filter(questionnaire::Column::Status.ne(QuestionnaireStatus::Draft));
    }
    let units = my_units(db, actor.user.id, &c).await?;
    let my_buildings: Vec<i64> = units.iter().map(|(_, b)| *b).collect();
    let has_role = !actor.roles_in_compound(&c).is_empty();
    let mut list = Vec::new();
    for q in find.all(db).await? {
        let chosen = parse_ids(q.building_ids.as_deref()).unwrap_or_default();
        if party || rules::asks(Audience::parse(&q.audience), &chosen, &my_buildings, has_role) {
            list.push(advance(db, q).await?);
        }
    }
    let ids: Vec<i64> = list.iter().map(|q| q.id).collect();
    let counts = respondents_of(db, &ids).await?;
    let mine = answered_among(db, &ids, actor.user.id, units.iter().map(|(h, _)| *h).collect()).await?;
    Ok(list.iter().map(|q| summary(q, counts.get(&q.id).copied().unwrap_or(0), mine.contains(&q.id))).collect())
}

/// A new questionnaire's fields, checked and ready to store.
struct Checked {
    title: String,
    description: String,
    questions: String,
    building_ids: Option<String>,
}

/// The agenda a questionnaire informs lives in its compound, or is its community's as a whole.
async fn check_agenda(db: &impl ConnectionTrait, c: &compound::Model, agenda_id: Option<i64>) -> AppResult<()> {
    let Some(id) = agenda_id else { return Ok(()) };
    let found = agenda::Entity::find_by_id(id).one(db).await?;
    let here = found.is_some_and(|a| match a.compound_id {
        Some(id) => id == c.id,
        None => a.community_id == c.community_id,
    });
    if here { Ok(()) } else { Err(AppError::field("agenda_id", msg!("questionnaire_agenda_unknown"))) }
}

/// The buildings a buildings audience chose (all of them in `c`), as the JSON list to store.
async fn check_buildings(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    req: &NewQuestionnaire,
) -> AppResult<Option<String>> {
    let mut ids: Vec<i64> = req.building_ids.clone().unwrap_or_default();
    match (req.audience, ids.is_empty()) {
        (Audience::Buildings, true) => Err(AppError::field("building_ids", msg!("questionnaire_buildings_required"))),
        (Audience::Buildings, false) => {
            ids.sort_unstable();
            ids.dedup();
            let found = building::Entity::find()
                .filter(building::Column::CompoundId.eq(c.id))
                .filter(building::Column::Id.is_in(ids.clone()))
                .count(db)
                .await?;
            if found as usize != ids.len() {
                return Err(AppError::field("building_ids", msg!("building_outside_compound")));
            }
            Ok(Some(serde_json::to_string(&ids).map_err(anyhow::Error::from)?))
        }
        (_, true) => Ok(None),
        (_, false) => Err(AppError::field("building_ids", msg!("questionnaire_buildings_unexpected"))),
    }
}

async fn check_new(db: &impl ConnectionTrait, c: &compound::Model, req: &NewQuestionnaire) -> AppResult<Checked> {
    let title = required_text("title", &req.title, 200)?;
    let description = optional_text("description", Some(&req.description), 20_000)?.unwrap_or_default();
    let questions = check_questions(&req.questions)?;
    rules::check_settings(req.audience, req.answer_per, req.anonymous, req.allow_edit, req.opens_at, req.closes_at)?;
    check_agenda(db, c, req.agenda_id).await?;
    let building_ids = check_buildings(db, c, req).await?;
    let questions = serde_json::to_string(&questions).map_err(anyhow::Error::from)?;
    Ok(Checked { title, description, questions, building_ids })
}

/// Set what the author chose on a questionnaire being built or changed.
fn fill(am: &mut questionnaire::ActiveModel, checked: Checked, req: &NewQuestionnaire) {
    am.title = Set(checked.title);
    am.description = Set(checked.description);
    am.questions = Set(checked.questions);
    am.audience = Set(req.audience.as_str().into());
    am.building_ids = Set(checked.building_ids);
    am.anonymous = Set(req.anonymous);
    am.answer_per = Set(req.answer_per.as_str().into());
    am.allow_edit = Set(req.allow_edit);
    am.results_visibility = Set(req.results_visibility.as_str().into());
    am.opens_at = Set(req.opens_at);
    am.closes_at = Set(req.closes_at);
    am.agenda_id = Set(req.agenda_id);
}

/// Build a questionnaire in compound `compound_id`. Nobody is asked until it is published.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    compound_id: i64,
    req: &NewQuestionnaire,
) -> AppResult<QuestionnaireView> {
    let c = compound_for(db, actor, compound_id, Permission::ManageQuestionnaires).await?;
    let txn = write_txn(db).await?;
    let q = draft(&txn, actor, &c, req).await?;
    txn.commit().await?;
    let access = Access { party: allowed(actor, &c, Permission::SeeQuestionnaireResults), manage: true, asked: false };
    view(db, actor, &q, &c, &access).await
}

/// Build questionnaire `req` in compound `c`, for whoever may manage its questionnaires, in the
/// caller's transaction.
pub async fn draft(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    req: &NewQuestionnaire,
) -> AppResult<questionnaire::Model> {
    actor.authorize_compound(Permission::ManageQuestionnaires, c)?;
    let checked = check_new(db, c, req).await?;
    let mut am = questionnaire::ActiveModel {
        compound_id: Set(c.id),
        status: Set(QuestionnaireStatus::Draft),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    fill(&mut am, checked, req);
    let q = questionnaire::Entity::insert(am).exec_with_returning(db).await?;
    audit::note(db, Some(actor.user.id), &q, "questionnaire.drafted", json!({ "title": q.title })).await?;
    Ok(q)
}

/// A questionnaire: its questions, and where `actor` stands with it.
pub async fn show(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<QuestionnaireView> {
    let l = load(db, actor, id, Permission::ViewQuestionnaires).await?;
    view(db, actor, &l.questionnaire, &l.compound, &l.access).await
}

/// Change a draft.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    req: &NewQuestionnaire,
) -> AppResult<QuestionnaireView> {
    let l = load(db, actor, id, Permission::ManageQuestionnaires).await?;
    rules::may_change(l.questionnaire.status)?;
    let checked = check_new(db, &l.compound, req).await?;
    let txn = write_txn(db).await?;
    let mut am: questionnaire::ActiveModel = l.questionnaire.into();
    fill(&mut am, checked, req);
    let q = am.update(&txn).await?;
    audit::note(&txn, Some(actor.user.id), &q, "questionnaire.draft_changed", json!({ "title": q.title })).await?;
    txn.commit().await?;
    view(db, actor, &q, &l.compound, &l.access).await
}

/// The notice that tells the audience a questionnaire is out.
pub(super) fn published_notice<'a>(q: &questionnaire::Model, c: &compound::Model, by: i64) -> NewNotice<'a> {
    let params = json!({ "title": q.title, "closes_at": q.closes_at, "anonymous": q.anonymous });
    NewNotice::in_compound(c, "questionnaire", params, format!("/questionnaires/{}", q.id)).by(by)
}

/// Publish a draft: everyone it asks finds it in their inbox.
pub async fn publish(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<QuestionnaireView> {
    use questionnaire::Column;
    let Loaded { questionnaire: q, compound: c, access } =
        load(db, actor, id, Permission::ManageQuestionnaires).await?;
    let to = q.status.next(Step::Publish)?;
    let now = Utc::now();
    if q.closes_at <= now {
        return Err(AppError::field("closes_at", msg!("questionnaire_closes_in_past")));
    }
    let txn = write_txn(db).await?;
    Transition::<questionnaire::Entity>::of(Column::Id, q.id, Column::Status, [Step::Publish.starts_from()], to)
        .set(Column::PublishedAt, now)
        .apply(&txn, || Step::Publish.refused())
        .await?;
    let recipients = audience_users(&txn, &q, &c).await?;
    notices::publish(&txn, published_notice(&q, &c, actor.user.id), &recipients).await?;
    let detail = json!({ "recipients": recipients.len(), "audience": q.audience, "anonymous": q.anonymous,
                         "opens_at": q.opens_at, "closes_at": q.closes_at });
    audit::note(&txn, Some(actor.user.id), &q, "questionnaire.published", detail).await?;
    txn.commit().await?;
    let q = questionnaire::Entity::find_by_id(q.id).one(db).await?.ok_or(AppError::NotFound)?;
    view(db, actor, &q, &c, &access).await
}

/// Close a questionnaire before its time.
pub async fn close(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<QuestionnaireView> {
    let l = load(db, actor, id, Permission::ManageQuestionnaires).await?;
    l.questionnaire.status.next(Step::Close)?;
    let txn = write_txn(db).await?;
    lifecycle::close(&txn, &l.questionnaire, Some(actor.user.id)).await?;
    txn.commit().await?;
    let q = questionnaire::Entity::find_by_id(l.questionnaire.id).one(db).await?.ok_or(AppError::NotFound)?;
    view(db, actor, &q, &l.compound, &l.access).await
}

/// The questionnaire open for answers and its questions, when the caller is asked.
async fn answerable(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
) -> AppResult<(questionnaire::Model, Vec<Question>)> {
    let l = load(db, actor, id, Permission::AnswerQuestionnaires).await?;
    if !open_now(&l.questionnaire) {
        return Err(rules::not_open(l.questionnaire.status));
    }
    if !l.access.asked {
        return Err(AppError::Forbidden);
    }
    let questions = questions_of(&l.questionnaire);
    Ok((l.questionnaire, questions))
}

/// Send `actor`'s answers. Per holder, one answer per household: a second account of the same
/// holder gets 409.
pub async fn submit(db: &DatabaseConnection, actor: &Actor, id: i64, req: &SubmitAnswers) -> AppResult<AnswerReceipt> {
    let (q, questions) = answerable(db, actor, id).await?;
    let answers = check_answers(&questions, &req.answers, true)?;
    let holder_id = if AnswerPer::parse(&q.answer_per) == AnswerPer::Holder {
        let mine: Vec<i64> = asked_holdings(db, &q, actor.user.id).await?.iter().map(|h| h.holder_id).collect();
        Some(rules::answering_holder(req.holder_id, &mine)?)
    } else {
        None
    };
    let txn = write_txn(db).await?;
    answers::submit(&txn, &q, Respondent { user_id: actor.user.id, holder_id }, &answers).await?;
    let answered = Deed::Answer { anonymous: q.anonymous };
    notices::done(&txn, actor.user.id, answered, &format!("/questionnaires/{}", q.id)).await?;
    txn.commit().await?;
    Ok(AnswerReceipt { questionnaire_id: q.id, submitted: true, can_edit: q.allow_edit && !q.anonymous })
}

/// Change `actor`'s named answer, while the questionnaire is open and its creator allows it.
pub async fn edit_answer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: i64,
    req: &SubmitAnswers,
) -> AppResult<AnswerReceipt> {
    let (q, questions) = answerable(db, actor, id).await?;
    if q.anonymous || !q.allow_edit {
        return Err(AppError::conflict("answer_not_editable", msg!("questionnaire_answers_fixed")));
    }
    let previous = answers::named_answer(db, &q, actor.user.id).await?.ok_or(AppError::NotFound)?;
    let answers = check_answers(&questions, &req.answers, true)?;
    let txn = write_txn(db).await?;
    answers::edit(&txn, &q, &previous, &answers).await?;
    txn.commit().await?;
    Ok(AnswerReceipt { questionnaire_id: q.id, submitted: true, can_edit: true })
}

/// Keep `actor`'s unfinished answers (only they see them), to finish later.
pub async fn save_draft(db: &DatabaseConnection, actor: &Actor, id: i64, req: &DraftAnswers) -> AppResult<DraftSaved> {
    let (q, questions) = answerable(db, actor, id).await?;
    let answers = check_answers(&questions, &req.answers, false)?;
    let d = answers::save_draft(db, q.id, actor.user.id, &answers).await?;
    Ok(DraftSaved { saved_at: d.updated_at })
}

/// Every released answer, with its author's name where the reader may know it.
type NamedAnswers = Vec<(Vec<AnswerItem>, Option<String>)>;

async fn answers_for_results(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    with_authors: bool,
) -> AppResult<NamedAnswers> {
    let rows = answers::all_answers(db, q).await?;
    let names =
        if with_authors { user_names(db, rows.iter().filter_map(|r| r.user_id)).await? } else { HashMap::new() };
    Ok(rows
        .into_iter()
        .map(|r| {
            let who = r.user_id.and_then(|u| names.get(&u).cloned());
            (from_json(&r.answers), who)
        })
        .collect())
}

async fn compute_results(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<(QuestionnaireResults, NamedAnswers)> {
    let q = &l.questionnaire;
    let named = !q.anonymous && l.access.party;
    let answers = answers_for_results(db, q, named).await?;
    let respondents = respondents_of(db, &[q.id]).await?.get(&q.id).copied().unwrap_or(0);
    let heads = match q.audience_heads {
        Some(h) => h,
        None => audience_heads(db, q, &l.compound).await?,
    };
    let results = QuestionnaireResults {
        questionnaire_id: q.id,
        status: q.status,
        respondents,
        audience_heads: heads,
        response_rate: percent(respondents, heads),
        named,
        questions: tally(&questions_of(q), &answers),
    };
    Ok((results, answers))
}

/// The results: per question counts and percentages, ratings, free-text answers, response rate.
/// The three parties see them at any time; the audience live or after close, as the creator chose.
pub async fn results(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<QuestionnaireResults> {
    let l = load(db, actor, id, Permission::ViewQuestionnaires).await?;
    if !l.access.results_visible(&l.questionnaire) {
        return Err(AppError::conflict("results_after_close", msg!("results_after_close")));
    }
    Ok(compute_results(db, &l).await?.0)
}

/// A file of results to download.
pub struct Export {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The results summary as CSV (UTF-8 with BOM), for the three parties.
pub async fn export_csv(db: &DatabaseConnection, actor: &Actor, id: i64, lang: Lang) -> AppResult<Export> {
    let l = load(db, actor, id, Permission::SeeQuestionnaireResults).await?;
    let (r, _) = compute_results(db, &l).await?;
    let rows = export::summary_rows(&r.questions, r.respondents, r.audience_heads, r.response_rate, lang);
    let name = format!("questionnaire-{}.csv", l.questionnaire.id);
    Ok(Export { name, bytes: export::to_csv(&rows).into_bytes() })
}

/// The results as an XLSX workbook: the summary, and one row per answer, for the three parties.
pub async fn export_xlsx(db: &DatabaseConnection, actor: &Actor, id: i64, lang: Lang) -> AppResult<Export> {
    let l = load(db, actor, id, Permission::SeeQuestionnaireResults).await?;
    let (r, answers) = compute_results(db, &l).await?;
    let summary = export::summary_rows(&r.questions, r.respondents, r.audience_heads, r.response_rate, lang);
    let responses = export::response_rows(&questions_of(&l.questionnaire), &answers, r.named, lang);
    let (a, b) = if lang == Lang::Zh { ("汇总", "答卷") } else { ("Summary", "Answers") };
    let bytes = export::to_xlsx(&[(a, &summary), (b, &responses)])?;
    Ok(Export { name: format!("questionnaire-{}.xlsx", l.questionnaire.id), bytes })
}
