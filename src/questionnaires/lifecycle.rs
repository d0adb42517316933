//! Who a questionnaire asks, and its closing: at the first request after its closing time, or
//! from the server's ticker beside the votes', exactly once (a conditional update).
use std::collections::{BTreeMap, HashMap};

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

use super::{
    answers,
    model::{AnswerPer, Audience, QuestionnaireStatus},
    rules::Step,
};
use crate::{
    audit,
    db::{Transition, write_txn},
    entities::{building, compound, questionnaire, questionnaire_participation, unit},
    error::{AppError, AppResult},
    notices::{
        self, NewNotice,
        audience::{owning_holders, units_in_scope},
    },
};

pub use crate::notices::audience::{owners_in, parse_ids, people_of_compound};

/// The accounts a questionnaire goes to.
pub async fn audience_users(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    c: &compound::Model,
) -> AppResult<Vec<i64>> {
    match Audience::parse(&q.audience) {
        Audience::Residents => people_of_compound(db, c).await,
        Audience::Owners => owners_in(db, q.compound_id, None).await,
        Audience::Buildings => owners_in(db, q.compound_id, parse_ids(q.building_ids.as_deref()).as_deref()).await,
    }
}

/// How many heads the audience has: households (holders) when it answers per holder, people
/// otherwise. The response rate is respondents over this.
pub async fn audience_heads(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    c: &compound::Model,
) -> AppResult<i64> {
    let audience = Audience::parse(&q.audience);
    if AnswerPer::parse(&q.answer_per) == AnswerPer::Holder && audience != Audience::Residents {
        let buildings = parse_ids(q.building_ids.as_deref());
        let buildings = if audience == Audience::Buildings { buildings.as_deref() } else { None };
        let units = units_in_scope(db, q.compound_id, buildings).await?;
        return Ok(owning_holders(db, &units).await?.len() as i64);
    }
    Ok(audience_users(db, q, c).await?.len() as i64)
}

/// One of a user's holdings a questionnaire asks, with the rooms that name it.
#[derive(Clone, Debug)]
pub struct AskedHolding {
    pub holder_id: i64,
    pub label: String,
}

/// The holdings of `user_id` that an owners' questionnaire asks (none for a residents' one).
pub async fn asked_holdings(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    user_id: i64,
) -> AppResult<Vec<AskedHolding>> {
    let audience = Audience::parse(&q.audience);
    if audience == Audience::Residents {
        return Ok(Vec::new());
    }
    let mine = crate::roster::holders_of_user(db, user_id).await?;
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    let mut find = unit::Entity::find()
        .filter(unit::Column::CompoundId.eq(q.compound_id))
        .filter(unit::Column::HolderId.is_in(mine));
    if audience == Audience::Buildings {
        find = find.filter(unit::Column::BuildingId.is_in(parse_ids(q.building_ids.as_deref()).unwrap_or_default()));
    }
    let units = find.all(db).await?;
    let asked = owning_holders(db, &units).await?;
    let names: HashMap<i64, String> = building::Entity::find()
        .filter(building::Column::CompoundId.eq(q.compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let mut rooms: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for u in units.iter().filter(|u| asked.contains(&u.holder_id)) {
        let b = names.get(&u.building_id).map(String::as_str).unwrap_or("");
        rooms.entry(u.holder_id).or_default().push(format!("{b} {}", u.number));
    }
    Ok(rooms.into_iter().map(|(holder_id, rooms)| AskedHolding { holder_id, label: rooms.join("、") }).collect())
}

/// Whether `user_id` (with some role in the compound, or none) is asked by the questionnaire.
pub async fn is_asked(
    db: &impl ConnectionTrait,
    q: &questionnaire::Model,
    user_id: i64,
    has_role_here: bool,
) -> AppResult<bool> {
    Ok(match Audience::parse(&q.audience) {
        Audience::Residents => has_role_here,
        _ => !asked_holdings(db, q, user_id).await?.is_empty(),
    })
}

/// Bring a questionnaire up to date with the clock: close it when its time has come.
pub async fn advance(db: &DatabaseConnection, q: questionnaire::Model) -> AppResult<questionnaire::Model> {
    if q.status == QuestionnaireStatus::Published && Utc::now() >= q.closes_at {
        let txn = write_txn(db).await?;
        match close(&txn, &q, None).await {
            Ok(()) => txn.commit().await?,
            // Someone closed it first: nothing of this transaction is kept.
            Err(AppError::Conflict { code: "questionnaire_not_published", .. }) => {}
            Err(e) => return Err(e),
        }
        return Ok(questionnaire::Entity::find_by_id(q.id).one(db).await?.unwrap_or(q));
    }
    Ok(q)
}

/// Close whatever questionnaires are due; the server's ticker runs this beside the votes' tick.
pub async fn tick(db: &DatabaseConnection) -> AppResult<usize> {
    let due = questionnaire::Entity::find()
        .filter(questionnaire::Column::Status.eq(QuestionnaireStatus::Published))
        .filter(questionnaire::Column::ClosesAt.lte(Utc::now()))
        .all(db)
        .await?;
    let n = due.len();
    for q in due {
        advance(db, q).await?;
    }
    Ok(n)
}

/// Close the questionnaire, once: fix the audience's heads, release the anonymous answers still
/// waiting for their step, record it and tell the audience. `by` is whoever closed it early;
/// `None` when its time came. When it had already left `published`, answers the refusal of
/// [`Step::Close`] and changes nothing.
pub async fn close(db: &impl ConnectionTrait, q: &questionnaire::Model, by: Option<i64>) -> AppResult<()> {
    use questionnaire::Column;
    let c = compound::Entity::find_by_id(q.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let heads = audience_heads(db, q, &c).await?;
    Transition::<questionnaire::Entity>::of(
        Column::Id,
        q.id,
        Column::Status,
        [Step::Close.starts_from()],
        Step::Close.leads_to(),
    )
    .set(Column::ClosedAt, Utc::now())
    .set(Column::AudienceHeads, heads)
    .apply(db, || Step::Close.refused())
    .await?;
    // Read as the update left it: no anonymous answer can be queued behind it any more.
    let closed = questionnaire::Entity::find_by_id(q.id).one(db).await?.ok_or(AppError::NotFound)?;
    answers::release_at_close(db, &closed).await?;
    let respondents = questionnaire_participation::Entity::find()
        .filter(questionnaire_participation::Column::QuestionnaireId.eq(q.id))
        .count(db)
        .await? as i64;
    let detail = json!({ "respondents": respondents, "audience_heads": heads, "early": by.is_some() });
    audit::note(db, by, q, "questionnaire.closed", detail).await?;
    let recipients = audience_users(db, q, &c).await?;
    notices::publish(
        db,
        NewNotice::in_compound(
            &c,
            "questionnaire_closed",
            json!({ "title": q.title, "respondents": respondents }),
            format!("/questionnaires/{}", q.id),
        ),
        &recipients,
    )
    .await?;
    Ok(())
}
