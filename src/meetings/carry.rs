//! What a body's earlier meetings leave to its next one: the items they did not settle (no
//! outcome, or deferred) and the action items not yet done, offered when it convenes again and
//! reviewed at the meeting.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ItemSource, MeetingKind, MeetingStatus, NewItem, Visibility, is_office, source_link,
    tasks::{TaskStatus, TaskSummary, summaries},
    unresolved,
};
use crate::{
    auth::Actor,
    entities::{meeting, meeting_compound, meeting_item, meeting_task},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
};

/// Which body's earlier meetings to look at: the kind and the compounds taking part.
#[derive(Deserialize, IntoParams, Debug, Clone)]
#[into_params(parameter_in = Query)]
pub struct CarryOverQuery {
    #[param(inline)]
    pub kind: MeetingKind,
    /// The compounds taking part, comma-separated (e.g. `1,2`).
    pub compound_ids: String,
}

/// An item an earlier meeting left unsettled.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct CarriedItem {
    /// The item itself: give it as `carried_from` of a new item.
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_title: String,
    pub meeting_starts_at: DateTime<Utc>,
    pub title: String,
    pub description: String,
    pub source: Option<ItemSource>,
    pub source_id: Option<i64>,
    pub source_link: Option<String>,
    /// Deferred by the meeting, rather than not reached.
    pub deferred: bool,
}

/// What the body's earlier meetings leave.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct CarryOver {
    pub items: Vec<CarriedItem>,
    /// Their action items not yet confirmed done, soonest due first.
    pub tasks: Vec<TaskSummary>,
}

fn parse_ids(raw: &str) -> AppResult<Vec<i64>> {
    let ids: Result<Vec<i64>, _> = raw.split(',').filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse()).collect();
    match ids {
        Ok(ids) if !ids.is_empty() && ids.len() <= 20 => Ok(ids),
        _ => Err(AppError::field("compound_ids", msg!("meeting_compound_unknown"))),
    }
}

/// The held meetings of `kind` in community `community_id` that share a compound with
/// `compounds`, and that the caller may see.
async fn earlier(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    kind: MeetingKind,
    compounds: &[i64],
) -> AppResult<Vec<meeting::Model>> {
    let ids: Vec<i64> = meeting_compound::Entity::find()
        .filter(meeting_compound::Column::CompoundId.is_in(compounds.to_vec()))
        .all(db)
        .await?
        .into_iter()
        .map(|mc| mc.meeting_id)
        .collect();
    let found = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids))
        .filter(meeting::Column::CommunityId.eq(community_id))
        .filter(meeting::Column::Kind.eq(kind))
        .filter(meeting::Column::Status.eq(MeetingStatus::Held))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let office = is_office(actor, community_id);
    Ok(found.into_iter().filter(|m| m.kind.rules().visibility == Visibility::Compounds || office).collect())
}

/// What the earlier meetings of the body (`kind` with `compounds`) leave to its next meeting:
/// for those who may see meetings in every one of the compounds.
pub async fn carry_over(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    q: CarryOverQuery,
) -> AppResult<CarryOver> {
    let compounds = parse_ids(&q.compound_ids)?;
    let found = crate::entities::compound::Entity::find()
        .filter(crate::entities::compound::Column::Id.is_in(compounds.clone()))
        .filter(crate::entities::compound::Column::CommunityId.eq(community_id))
        .all(db)
        .await?;
    if found.len() != compounds.len() {
        return Err(AppError::NotFound);
    }
    for c in &found {
        actor.authorize_compound(Permission::ViewMeetings, c)?;
    }
    let meetings = earlier(db, actor, community_id, q.kind, &compounds).await?;
    let by_id: HashMap<i64, &meeting::Model> = meetings.iter().map(|m| (m.id, m)).collect();
    let items = meeting_item::Entity::find()
        .filter(meeting_item::Column::MeetingId.is_in(by_id.keys().copied()))
        .order_by_asc(meeting_item::Column::MeetingId)
        .order_by_asc(meeting_item::Column::Position)
        .all(db)
        .await?;
    let taken_up: Vec<i64> = meeting_item::Entity::find()
        .filter(meeting_item::Column::CarriedFrom.is_in(items.iter().map(|i| i.id)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|i| i.carried_from)
        .collect();
    let tasks = tasks_left(db, by_id.keys().copied()).await?;
    Ok(CarryOver {
        items: items
            .into_iter()
            .filter(|i| unresolved(i.status, i.outcome) && !taken_up.contains(&i.id))
            .map(|i| {
                let m = by_id[&i.meeting_id];
                CarriedItem {
                    id: i.id,
                    meeting_id: m.id,
                    meeting_title: m.title.clone(),
                    meeting_starts_at: m.starts_at,
                    deferred: i.outcome.is_some(),
                    source_link: source_link(i.source_kind, i.source_id),
                    title: i.title,
                    description: i.description,
                    source: i.source_kind,
                    source_id: i.source_id,
                }
            })
            .collect(),
        tasks,
    })
}

/// The action items of `meetings` not yet confirmed done, soonest due first.
async fn tasks_left(db: &impl ConnectionTrait, meetings: impl IntoIterator<Item = i64>) -> AppResult<Vec<TaskSummary>> {
    let tasks = meeting_task::Entity::find()
        .filter(meeting_task::Column::MeetingId.is_in(meetings))
        .filter(meeting_task::Column::Status.ne(TaskStatus::Done))
        .order_by_asc(meeting_task::Column::DueOn)
        .all(db)
        .await?;
    summaries(db, tasks).await
}

/// The action items the earlier meetings of the body (`kind` with `compounds`) left open, to
/// review at its next meeting: for whoever may see meetings in every one of the compounds, and
/// none for anyone else.
pub async fn open_tasks(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    kind: MeetingKind,
    compounds: &[crate::entities::compound::Model],
) -> AppResult<Vec<TaskSummary>> {
    if compounds.iter().any(|c| actor.authorize_compound(Permission::ViewMeetings, c).is_err()) {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = compounds.iter().map(|c| c.id).collect();
    let meetings = earlier(db, actor, community_id, kind, &ids).await?;
    tasks_left(db, meetings.iter().map(|m| m.id)).await
}

/// Check the items carried from earlier meetings: each an unsettled item of a held meeting of the
/// same kind that shares a compound, not yet taken up elsewhere.
pub async fn check_carried(
    db: &impl ConnectionTrait,
    community_id: i64,
    kind: MeetingKind,
    compounds: &[i64],
    items: &[NewItem],
) -> AppResult<()> {
    for (i, item) in items.iter().enumerate() {
        let Some(from) = item.carried_from else { continue };
        let refuse = || AppError::field(&format!("items[{i}].carried_from"), msg!("meeting_item_not_carried"));
        let earlier = meeting_item::Entity::find_by_id(from).one(db).await?.ok_or_else(refuse)?;
        let m = meeting::Entity::find_by_id(earlier.meeting_id).one(db).await?.ok_or_else(refuse)?;
        let shares = meeting_compound::Entity::find()
            .filter(meeting_compound::Column::MeetingId.eq(m.id))
            .filter(meeting_compound::Column::CompoundId.is_in(compounds.to_vec()))
            .one(db)
            .await?
            .is_some();
        let taken = meeting_item::Entity::find().filter(meeting_item::Column::CarriedFrom.eq(from)).one(db).await?;
        if m.community_id != community_id
            || m.kind != kind
            || m.status != MeetingStatus::Held
            || !shares
            || !unresolved(earlier.status, earlier.outcome)
            || taken.is_some()
            || items[..i].iter().any(|o| o.carried_from == Some(from))
        {
            return Err(refuse());
        }
    }
    Ok(())
}
