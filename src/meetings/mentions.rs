//! Where an agenda or a concern was taken up at a meeting: the body that met, what it reached,
//! each party's position, and the action items it set going. An agenda's or concern's page
//! shows them, so that a body that may not decide it still has its position on record, and a
//! task raised from a concern closes the loop where the owner looks.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ItemOutcome, ItemSource, MeetingKind, MeetingStatus, Position, Visibility, tasks::TaskSummary};
use crate::{
    entities::{meeting, meeting_item, meeting_position, meeting_task, party},
    error::AppResult,
    policy::PartyKind,
};

/// A party's position, as a mention shows it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct MentionPosition {
    pub party_kind: Option<PartyKind>,
    pub party_name: String,
    pub position: Position,
}

/// One meeting that took the thing up.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct MeetingMention {
    pub meeting_id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub status: MeetingStatus,
    pub item_title: String,
    pub outcome: Option<ItemOutcome>,
    pub positions: Vec<MentionPosition>,
    /// How many members agreed, of those who voted (a committee meeting).
    pub members_agreeing: Option<i64>,
    pub tasks: Vec<TaskSummary>,
}

/// The meetings that took up `source` #`id`, in the order they met. A mediation stays private to
/// its sides and is never mentioned.
pub async fn mentions(db: &impl ConnectionTrait, source: ItemSource, id: i64) -> AppResult<Vec<MeetingMention>> {
    let items = meeting_item::Entity::find()
        .filter(meeting_item::Column::SourceKind.eq(source))
        .filter(meeting_item::Column::SourceId.eq(id))
        .all(db)
        .await?;
    if items.is_empty() {
        return Ok(Vec::new());
    }
    let meetings: HashMap<i64, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(items.iter().map(|i| i.meeting_id)))
        .filter(meeting::Column::Status.ne(MeetingStatus::Cancelled))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|m| m.kind.rules().visibility == Visibility::Compounds)
        .map(|m| (m.id, m))
        .collect();
    let item_ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let positions = meeting_position::Entity::find()
        .filter(meeting_position::Column::ItemId.is_in(item_ids.clone()))
        .all(db)
        .await?;
    let parties: HashMap<i64, party::Model> = party::Entity::find()
        .filter(party::Column::Id.is_in(positions.iter().filter_map(|p| p.party_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let tasks = meeting_task::Entity::find()
        .filter(meeting_task::Column::ItemId.is_in(item_ids))
        .order_by_asc(meeting_task::Column::Id)
        .all(db)
        .await?;
    let tasks = super::tasks::summaries(db, tasks).await?;
    let mut out: Vec<MeetingMention> = items
        .into_iter()
        .filter_map(|i| {
            let m = meetings.get(&i.meeting_id)?;
            let of_item: Vec<&meeting_position::Model> = positions.iter().filter(|p| p.item_id == i.id).collect();
            let votes: Vec<&&meeting_position::Model> = of_item.iter().filter(|p| p.user_id.is_some()).collect();
            Some(MeetingMention {
                meeting_id: m.id,
                kind: m.kind,
                title: m.title.clone(),
                starts_at: m.starts_at,
                status: m.status,
                item_title: i.title.clone(),
                outcome: i.outcome,
                positions: of_item
                    .iter()
                    .filter_map(|p| {
                        let party = parties.get(&p.party_id?)?;
                        Some(MentionPosition {
                            party_kind: PartyKind::parse(&party.kind),
                            party_name: party.name.clone(),
                            position: p.position,
                        })
                    })
                    .collect(),
                members_agreeing: (!votes.is_empty())
                    .then(|| votes.iter().filter(|v| v.position == Position::Agree).count() as i64),
                tasks: tasks.iter().filter(|t| t.item_id == i.id).cloned().collect(),
            })
        })
        .collect();
    out.sort_by_key(|m| m.starts_at);
    Ok(out)
}
