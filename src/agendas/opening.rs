//! Opening an agenda: in a compound by one of its parties, for the whole community by the
//! community office, or from a concern. Everyone it concerns is told.
use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{AgendaFromConcern, AgendaStatus, NewAgenda, quoted, title_from_concern};
use crate::{
    audit,
    auth::Actor,
    concerns::{self, main_party, party_kinds},
    entities::{agenda, community, compound, concern_category, membership},
    error::{AppError, AppResult},
    msg,
    notices::{self, NewNotice},
    policy::{PartyKind, Permission, Role},
    tenancy::compound_for,
    text::{optional_text, required_text},
};

/// A new agenda, before it is stored.
pub struct Opening {
    pub opened_by: i64,
    pub community_id: i64,
    pub compound: Option<compound::Model>,
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub party: PartyKind,
    pub concern_id: Option<i64>,
}

/// Everyone an agenda concerns: the owners and the parties of its compound and the community
/// office, or for a community-wide agenda, everyone with a role in the community.
pub async fn audience(db: &impl ConnectionTrait, g: &agenda::Model) -> AppResult<Vec<i64>> {
    let mut find = membership::Entity::find()
        .filter(membership::Column::CommunityId.eq(g.community_id))
        .filter(membership::Column::Role.ne(Role::Admin.as_str()));
    if let Some(c) = g.compound_id {
        find = find.filter(
            Condition::any().add(membership::Column::CompoundId.eq(c)).add(membership::Column::CompoundId.is_null()),
        );
    }
    Ok(find.all(db).await?.into_iter().map(|m| m.user_id).collect())
}

/// Insert an agenda and tell everyone it concerns (one notice, its inbox rows in batches).
pub async fn insert_agenda(db: &impl ConnectionTrait, o: Opening) -> AppResult<agenda::Model> {
    if let Some(cat) = o.category_id {
        concern_category::Entity::find_by_id(cat)
            .filter(concern_category::Column::CommunityId.eq(o.community_id))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("category_id", msg!("category_unknown")))?;
    }
    let now = Utc::now();
    let g = agenda::Entity::insert(agenda::ActiveModel {
        community_id: Set(o.community_id),
        compound_id: Set(o.compound.as_ref().map(|c| c.id)),
        title: Set(o.title),
        description: Set(o.description),
        category_id: Set(o.category_id),
        opened_by: Set(o.opened_by),
        party_kind: Set(o.party.as_str().into()),
        concern_id: Set(o.concern_id),
        status: Set(AgendaStatus::Open),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let recipients = announce(db, &g, o.compound.as_ref()).await?;
    let detail =
        json!({ "title": g.title, "party": g.party_kind, "concern_id": g.concern_id, "recipients": recipients });
    audit::note(db, Some(o.opened_by), &g, "agenda.opened", detail).await?;
    Ok(g)
}

/// Tell everyone the new agenda concerns, in one notice; answers how many were told.
async fn announce(
    db: &impl ConnectionTrait,
    g: &agenda::Model,
    compound: Option<&compound::Model>,
) -> AppResult<usize> {
    let recipients = audience(db, g).await?;
    let place = compound.map(|c| c.name.clone());
    let params = json!({ "title": g.title, "compound": place, "community_wide": place.is_none() });
    let notice = NewNotice {
        community_id: g.community_id,
        compound_id: g.compound_id,
        kind: "agenda_opened",
        text: notices::NoticeText::Params(params),
        link: Some(format!("/agendas/{}", g.id)),
        created_by: Some(g.opened_by),
    };
    notices::publish(db, notice, &recipients).await?;
    Ok(recipients.len())
}

/// The title and description of a new agenda, checked.
fn checked_text(req: &NewAgenda) -> AppResult<(String, String)> {
    Ok((
        required_text("title", &req.title, 200)?,
        optional_text("description", Some(&req.description), 20_000)?.unwrap_or_default(),
    ))
}

/// Open an agenda in compound `compound_id`: a committee member, the community office or the
/// property company, speaking for their party.
pub async fn open_in_compound(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    req: NewAgenda,
) -> AppResult<agenda::Model> {
    let c = compound_for(db, actor, compound_id, Permission::OpenAgendas).await?;
    let (title, description) = checked_text(&req)?;
    let party = main_party(&party_kinds(actor, &c)).ok_or(AppError::Forbidden)?;
    let opening = Opening {
        opened_by: actor.user.id,
        community_id: c.community_id,
        compound: Some(c),
        title,
        description,
        category_id: req.category_id,
        party,
        concern_id: None,
    };
    insert_agenda(db, opening).await
}

/// Open an agenda for the whole community `community_id`: the community office.
pub async fn open_in_community(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    req: NewAgenda,
) -> AppResult<agenda::Model> {
    let c = community::Entity::find_by_id(community_id).one(db).await?.ok_or(AppError::NotFound)?;
    // A matter of the whole community is the community office's to table.
    actor.authorize_community(Permission::OpenAgendas, c.id)?;
    let (title, description) = checked_text(&req)?;
    let opening = Opening {
        opened_by: actor.user.id,
        community_id: c.id,
        compound: None,
        title,
        description,
        category_id: req.category_id,
        party: PartyKind::CommunityOffice,
        concern_id: None,
    };
    insert_agenda(db, opening).await
}

/// Turn concern `concern_id` into an agenda of its compound, once, carrying its category and
/// text over unless others are given.
pub async fn open_from_concern(
    db: &impl ConnectionTrait,
    actor: &Actor,
    concern_id: i64,
    req: AgendaFromConcern,
) -> AppResult<agenda::Model> {
    let l = concerns::concern_for(db, actor, concern_id).await?;
    actor.authorize_compound(Permission::OpenAgendas, &l.compound)?;
    if l.concern.agenda_id.is_some() {
        return Err(AppError::conflict("already_an_agenda", msg!("concern_already_an_agenda")));
    }
    let party = main_party(&l.kinds).ok_or(AppError::Forbidden)?;
    let category =
        concern_category::Entity::find_by_id(l.concern.category_id).one(db).await?.ok_or(AppError::NotFound)?;
    let title = match req.title.as_deref() {
        Some(t) => required_text("title", t, 200)?,
        None => title_from_concern(&category.name_zh, &l.concern.text),
    };
    let description = match req.description.as_deref() {
        Some(d) => optional_text("description", Some(d), 20_000)?.unwrap_or_default(),
        None => quoted(&l.concern.text),
    };
    let opening = Opening {
        opened_by: actor.user.id,
        community_id: l.compound.community_id,
        compound: Some(l.compound.clone()),
        title,
        description,
        category_id: Some(category.id),
        party,
        concern_id: Some(l.concern.id),
    };
    let g = insert_agenda(db, opening).await?;
    concerns::turned_into_agenda(db, actor, &l, g.id).await?;
    Ok(g)
}

/// Where an agenda is opened: in one compound, or for the whole community.
#[derive(Clone, Copy)]
pub enum Place {
    Compound(i64),
    Community(i64),
}

/// Open an agenda at `place` as `actor`.
pub async fn open_at(
    db: &impl ConnectionTrait,
    actor: &Actor,
    place: Place,
    req: NewAgenda,
) -> AppResult<agenda::Model> {
    match place {
        Place::Compound(id) => open_in_compound(db, actor, id, req).await,
        Place::Community(id) => open_in_community(db, actor, id, req).await,
    }
}
