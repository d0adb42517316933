//! Raising a concern in a compound.
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{ConcernStatus, ConcernStep, NewConcern, Notice, due_at, excerpt, party_members, tell, timeline_entry};
use crate::{
    audit,
    auth::Actor,
    entities::{building, compound, concern, concern_category, concern_event},
    error::{AppError, AppResult},
    msg,
    policy::{PartyKind, Permission},
    tenancy::compound_for,
    text::{optional_text, required_text},
};

/// Raise a concern in compound `compound_id`, in the caller's transaction. The community office
/// is told, and routes it.
pub async fn raise(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    req: NewConcern,
) -> AppResult<concern::Model> {
    let c = compound_for(db, actor, compound_id, Permission::RaiseConcern).await?;
    let text = required_text("text", &req.text, 2000)?;
    let location = optional_text("location", req.location.as_deref(), 200)?;
    let find = concern_category::Entity::find().filter(concern_category::Column::CommunityId.eq(c.community_id));
    let category = match (req.category_id, req.convention_id) {
        (Some(id), _) => find.filter(concern_category::Column::Id.eq(id)).one(db).await?,
        (None, Some(_)) => find.filter(concern_category::Column::Key.eq("other")).one(db).await?,
        (None, None) => None,
    };
    let category = category.ok_or_else(|| AppError::field("category_id", msg!("category_unknown")))?;
    if let Some(b) = req.building_id {
        building::Entity::find_by_id(b)
            .filter(building::Column::CompoundId.eq(c.id))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("building_id", msg!("building_outside_compound")))?;
    }
    let breach = match req.convention_id {
        Some(id) => Some(crate::conventions::breach_target(db, actor, &c, id, req.article_id.as_deref()).await?),
        None => None,
    };
    let now = Utc::now();
    let mut new =
        Raised { c: &c, category: &category, raised_by: actor.user.id, at: now }.row(text, location, req.building_id);
    if let Some(b) = &breach {
        new.convention_id = Set(Some(b.article.convention_id));
        new.article_id = Set(Some(b.article.article_id.clone()));
    }
    let row = concern::Entity::insert(new).exec_with_returning(db).await?;
    concern_event::Entity::insert(timeline_entry(row.id, ConcernStep::Raised, actor.user.id, now)).exec(db).await?;
    let detail = json!({ "category": category.key, "due_at": row.due_at });
    audit::note(db, Some(actor.user.id), &row, "concern.raised", detail).await?;
    let office = party_members(db, &c, PartyKind::CommunityOffice).await?;
    let notice = Notice {
        kind: "concern_raised",
        params: json!({
            "category": { "zh": category.name_zh, "en": category.name_en },
            "compound": c.name,
            "text": excerpt(&row.text, 80),
        }),
        to: office,
    };
    tell(db, &c, row.id, notice).await?;
    if let Some(b) = breach {
        // The convention names who enforces it: the report goes there at once, on the record.
        let note = format!("《{}》{}", b.article.title, b.article.article_label);
        super::steps::route_to(db, actor, row.id, b.enforcer, Some(note)).await?;
        return concern::Entity::find_by_id(row.id).one(db).await?.ok_or(AppError::NotFound);
    }
    Ok(row)
}

/// Where, what and when a concern is raised.
struct Raised<'a> {
    c: &'a compound::Model,
    category: &'a concern_category::Model,
    raised_by: i64,
    at: DateTime<Utc>,
}

impl Raised<'_> {
    /// The new row: submitted, routed to no one yet, due by the category's time limit.
    fn row(&self, text: String, location: Option<String>, building_id: Option<i64>) -> concern::ActiveModel {
        concern::ActiveModel {
            community_id: Set(self.c.community_id),
            compound_id: Set(self.c.id),
            building_id: Set(building_id),
            location: Set(location),
            category_id: Set(self.category.id),
            text: Set(text),
            raised_by: Set(self.raised_by),
            status: Set(ConcernStatus::Submitted),
            assigned_party_id: Set(None),
            assigned_kind: Set(None),
            due_at: Set(due_at(self.at, self.category.time_limit_hours)),
            created_at: Set(self.at),
            updated_at: Set(self.at),
            ..Default::default()
        }
    }
}
