//! The papers attached to a meeting (the plan, the quote, the draft to discuss), uploaded to a
//! compound taking part and read by whoever may see the meeting, a mediation's by its sides and
//! the office only.
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{LoadedMeeting, MeetingStatus, may_record, meeting_for};
use crate::{
    audit,
    auth::Actor,
    entities::{file, meeting_attachment},
    error::{AppError, AppResult},
    files::FileView,
    msg,
};

/// Papers a meeting may have at most.
pub const ATTACHMENTS_MAX: usize = 20;

/// The papers of a meeting, replacing those before.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct AttachmentsRequest {
    /// Files uploaded to a compound taking part (`POST /compounds/{id}/files`), in the order
    /// shown: at most 20.
    pub attachment_ids: Vec<i64>,
}

/// The files `ids`, checked: each once, at most [`ATTACHMENTS_MAX`], each uploaded to one of
/// `compound_ids`. A file that is not is named by its place in the list.
pub async fn checked_attachments(db: &impl ConnectionTrait, compound_ids: &[i64], ids: &[i64]) -> AppResult<Vec<i64>> {
    // In the order given, each once; counted as it goes, so a list of any length costs one pass.
    let mut seen = std::collections::HashSet::new();
    let mut unique: Vec<i64> = Vec::new();
    for id in ids {
        if seen.insert(*id) {
            unique.push(*id);
        }
        if unique.len() > ATTACHMENTS_MAX {
            break;
        }
    }
    if unique.len() > ATTACHMENTS_MAX {
        return Err(AppError::field("attachment_ids", msg!("meeting_attachments_too_many", max = ATTACHMENTS_MAX)));
    }
    let found: Vec<i64> = file::Entity::find()
        .filter(file::Column::Id.is_in(unique.clone()))
        .filter(file::Column::CompoundId.is_in(compound_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.id)
        .collect();
    if let Some(i) = ids.iter().position(|id| !found.contains(id)) {
        return Err(AppError::field(&format!("attachment_ids[{i}]"), msg!("meeting_attachment_unknown")));
    }
    Ok(unique)
}

/// Attach the files `ids` (already checked) to meeting `meeting_id`, in place of those before.
pub async fn write_attachments(db: &impl ConnectionTrait, meeting_id: i64, ids: &[i64]) -> AppResult<()> {
    meeting_attachment::Entity::delete_many()
        .filter(meeting_attachment::Column::MeetingId.eq(meeting_id))
        .exec(db)
        .await?;
    if !ids.is_empty() {
        meeting_attachment::Entity::insert_many(ids.iter().map(|&file_id| meeting_attachment::ActiveModel {
            meeting_id: Set(meeting_id),
            file_id: Set(file_id),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// The papers of meeting `meeting_id`, in the order attached.
pub async fn attachments_of(db: &impl ConnectionTrait, meeting_id: i64) -> AppResult<Vec<FileView>> {
    let ids: Vec<i64> = meeting_attachment::Entity::find()
        .filter(meeting_attachment::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_attachment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.file_id)
        .collect();
    crate::files::views_of(db, &ids).await
}

/// Replace the papers of meeting `id`: by whoever keeps the record, chairs or manages it, until
/// it is cancelled. The files' digests go on the audit trail, so what was circulated is known.
pub async fn set_attachments(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: AttachmentsRequest,
) -> AppResult<LoadedMeeting> {
    let m = meeting_for(db, actor, id).await?;
    if !may_record(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if m.meeting.status == MeetingStatus::Cancelled {
        return Err(AppError::conflict("meeting_is_cancelled", msg!("meeting_is_cancelled")));
    }
    let compound_ids: Vec<i64> = m.compounds.iter().map(|c| c.id).collect();
    let ids = checked_attachments(db, &compound_ids, &req.attachment_ids).await?;
    write_attachments(db, id, &ids).await?;
    let files: Vec<_> = crate::files::views_of(db, &ids)
        .await?
        .into_iter()
        .map(|f| json!({ "id": f.id, "name": f.name, "sha256": f.sha256 }))
        .collect();
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.attachments", json!({ "files": files })).await?;
    Ok(m)
}

/// Paper `file_id` of meeting `id`, to whoever may see the meeting.
pub async fn attachment(db: &impl ConnectionTrait, actor: &Actor, id: i64, file_id: i64) -> AppResult<file::Model> {
    meeting_for(db, actor, id).await?;
    meeting_attachment::Entity::find()
        .filter(meeting_attachment::Column::MeetingId.eq(id))
        .filter(meeting_attachment::Column::FileId.eq(file_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)
}
