//! One concern in full: its photos, timeline and escalations, with the names of everyone on them.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    ConcernEventView, ConcernStep, ConcernView, EscalationView, Loaded, Taker, actions, concern_for, is_overdue,
    step_sentence,
};
use crate::{
    accounts::{PersonName, person_names},
    auth::Actor,
    entities::{building, concern, concern_category, concern_escalation, concern_event, concern_photo, file, party},
    error::{AppError, AppResult},
    files::FileView,
    i18n::Lang,
    policy::PartyKind,
};

/// A concern the caller may see, in full, its timeline told in `lang`.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, id: i64, lang: Lang) -> AppResult<ConcernView> {
    let l = concern_for(db, actor, id).await?;
    view(db, actor, &l, lang).await
}

/// The loaded concern in full, with what the caller may do with it, its timeline told in `lang`.
pub async fn view(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded, lang: Lang) -> AppResult<ConcernView> {
    let c = &l.concern;
    let category = concern_category::Entity::find_by_id(c.category_id).one(db).await?.ok_or(AppError::NotFound)?;
    let (building_name, assigned_party_name) = place_names(db, c).await?;
    let (events, escalations) = history(db, c.id).await?;
    let names = Names::of(db, c, &events, &escalations).await?;
    let photos = photos_of(db, c.id).await?;
    Ok(ConcernView {
        id: c.id,
        community_id: c.community_id,
        compound_id: c.compound_id,
        compound_name: l.compound.name.clone(),
        building_id: c.building_id,
        building_name,
        location: c.location.clone(),
        category: (&category).into(),
        text: c.text.clone(),
        raised_by_name: names.name(c.raised_by),
        raised_by_person: names.person(c.raised_by),
        mine: l.mine,
        status: l.status(),
        assigned_kind: l.assigned(),
        assigned_party_name,
        due_at: c.due_at,
        overdue: is_overdue(l.status(), c.due_at, Utc::now()),
        created_at: c.created_at,
        updated_at: c.updated_at,
        rating: c.rating,
        agenda_id: c.agenda_id,
        breach: match (c.convention_id, &c.article_id) {
            (Some(id), Some(article)) => {
                let key = (id, article.clone());
                crate::conventions::breach_refs(db, std::slice::from_ref(&key)).await?.remove(&key)
            }
            _ => None,
        },
        photos,
        timeline: events.iter().filter_map(|e| names.event(e, lang)).collect(),
        escalations: escalations.iter().map(|e| names.escalation(e)).collect(),
        meetings: crate::meetings::mentions(db, crate::meetings::ItemSource::Concern, c.id).await?,
        can: actions(actor, l),
    })
}

/// A concern's timeline and escalations, oldest first.
async fn history(
    db: &impl ConnectionTrait,
    concern_id: i64,
) -> AppResult<(Vec<concern_event::Model>, Vec<concern_escalation::Model>)> {
    let events = concern_event::Entity::find()
        .filter(concern_event::Column::ConcernId.eq(concern_id))
        .order_by_asc(concern_event::Column::Id)
        .all(db)
        .await?;
    let escalations = concern_escalation::Entity::find()
        .filter(concern_escalation::Column::ConcernId.eq(concern_id))
        .order_by_asc(concern_escalation::Column::Id)
        .all(db)
        .await?;
    Ok((events, escalations))
}

/// The name of the building a concern is about and of the party it is assigned to, if any.
async fn place_names(db: &impl ConnectionTrait, c: &concern::Model) -> AppResult<(Option<String>, Option<String>)> {
    let building = match c.building_id {
        Some(b) => building::Entity::find_by_id(b).one(db).await?.map(|b| b.name),
        None => None,
    };
    let party = match c.assigned_party_id {
        Some(p) => party::Entity::find_by_id(p).one(db).await?.map(|p| p.name),
        None => None,
    };
    Ok((building, party))
}

/// The names of the people on a concern, by account.
struct Names(HashMap<i64, PersonName>);

impl Names {
    /// The names of the raiser and of everyone on the timeline and the escalations.
    async fn of(
        db: &impl ConnectionTrait,
        c: &concern::Model,
        events: &[concern_event::Model],
        escalations: &[concern_escalation::Model],
    ) -> AppResult<Names> {
        let people: Vec<i64> = events
            .iter()
            .filter_map(|e| e.actor_id)
            .chain(escalations.iter().flat_map(|e| [Some(e.escalated_by), e.responded_by]).flatten())
            .chain([c.raised_by])
            .collect();
        Ok(Names(person_names(db, people).await?))
    }

    fn person(&self, id: i64) -> PersonName {
        self.0.get(&id).cloned().unwrap_or_default()
    }

    fn name(&self, id: i64) -> String {
        self.person(id).name
    }

    /// A timeline entry as shown, told in `lang`; none for a step this version does not know.
    fn event(&self, e: &concern_event::Model, lang: Lang) -> Option<ConcernEventView> {
        let detail: serde_json::Value =
            e.detail.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
        let step = ConcernStep::parse(&e.kind)?;
        let actor_name = e.actor_id.map(|id| self.name(id));
        let actor_kind = e.actor_kind.as_deref().and_then(PartyKind::parse);
        let taker = Taker { kind: actor_kind, name: actor_name.as_deref() };
        Some(ConcernEventView {
            id: e.id,
            step,
            text: step_sentence(lang, step, &taker, &detail),
            actor_person: e.actor_id.map(|id| self.person(id)),
            actor_name,
            actor_kind,
            note: e.note.clone(),
            party_kind: detail["party_kind"].as_str().and_then(PartyKind::parse),
            rating: detail["rating"].as_i64().map(|r| r as i32),
            department: detail["department"].as_str().map(str::to_owned),
            at: e.at,
        })
    }

    fn escalation(&self, e: &concern_escalation::Model) -> EscalationView {
        EscalationView {
            id: e.id,
            department: e.department.clone(),
            request: e.request.clone(),
            escalated_by_name: self.name(e.escalated_by),
            escalated_by_person: self.person(e.escalated_by),
            escalated_at: e.escalated_at,
            response: e.response.clone(),
            responded_by_name: e.responded_by.map(|id| self.name(id)),
            responded_by_person: e.responded_by.map(|id| self.person(id)),
            responded_at: e.responded_at,
        }
    }
}

/// A concern's photos in the order they were added: names and sizes only, the bytes stay in the
/// database.
async fn photos_of(db: &impl ConnectionTrait, concern_id: i64) -> AppResult<Vec<FileView>> {
    let photo_ids: Vec<i64> = concern_photo::Entity::find()
        .filter(concern_photo::Column::ConcernId.eq(concern_id))
        .order_by_asc(concern_photo::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.file_id)
        .collect();
    crate::files::views_of(db, &photo_ids).await
}

/// One of a concern's photos, to those who may see the concern.
pub async fn photo(db: &impl ConnectionTrait, actor: &Actor, id: i64, file_id: i64) -> AppResult<file::Model> {
    let l = concern_for(db, actor, id).await?;
    concern_photo::Entity::find()
        .filter(concern_photo::Column::ConcernId.eq(l.concern.id))
        .filter(concern_photo::Column::FileId.eq(file_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)
}
