//! Action items (督办): what a meeting's decision sets going, who answers for it and by when,
//! the progress the party responsible posts, and the convening office's confirmation.
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::{ItemSource, ItemStatus, LoadedMeeting, MeetingStatus, Person, may_manage, may_record, meeting_for};
pub use crate::entities::meeting_task::TaskStatus;
use crate::{
    accounts::user_names,
    audit::{self, Subject},
    auth::Actor,
    china_time,
    entities::{meeting_item, meeting_task, meeting_task_photo, meeting_task_update, membership, party},
    error::{AppError, AppResult},
    files::FileView,
    msg,
    notices::{self, Deed, NewNotice, NoticeText},
    policy::{PartyKind, Permission},
    text::required_text,
};

/// Photos a task may have at most.
pub const MAX_TASK_PHOTOS: u64 = 6;

impl Subject for meeting_task::Model {
    fn subject(&self) -> String {
        format!("task:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        Some(self.compound_id)
    }
}

/// A task to set going.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NewTask {
    /// What is to be done: at most 200 characters.
    pub title: String,
    /// The party responsible: one of the meeting's compounds, or the community office.
    pub party_id: i64,
    /// The person who answers for it, of that party.
    pub assignee_id: Option<i64>,
    /// Done by this day (not before the meeting's).
    pub due_on: NaiveDate,
}

/// Progress on a task, by the party responsible.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct TaskUpdateRequest {
    /// At most 2 000 characters.
    pub body: String,
    /// Report the task done: the convening office then confirms it.
    #[serde(default)]
    pub done: bool,
}

/// The convening office's answer to a task reported done.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct TaskReview {
    /// Confirm it done, or send it back.
    pub accept: bool,
    /// Why it goes back (required then): at most 500 characters.
    #[serde(default)]
    pub note: String,
}

/// Which tasks to list.
#[derive(Deserialize, IntoParams, Debug, Clone, Copy, Default)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    /// `open` (including reported), `overdue`, `reported` or `done`; all when left out.
    #[param(inline)]
    pub status: Option<TaskFilterStatus>,
}

#[derive(Deserialize, Serialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TaskFilterStatus {
    Open,
    Overdue,
    Reported,
    Done,
}

/// The party a task is for.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct TaskParty {
    pub id: i64,
    pub kind: Option<PartyKind>,
    pub name: String,
}

/// A task in a list.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct TaskSummary {
    pub id: i64,
    pub meeting_id: i64,
    pub item_id: i64,
    pub title: String,
    pub party: TaskParty,
    pub assignee: Option<Person>,
    pub due_on: NaiveDate,
    pub status: TaskStatus,
    /// Past its day and not confirmed done.
    pub overdue: bool,
}

/// Progress posted on a task.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct TaskUpdateView {
    pub id: i64,
    pub author: Person,
    pub body: String,
    pub marks_done: bool,
    pub created_at: chrono::DateTime<Utc>,
}

/// What the caller may do with a task.
#[derive(Serialize, ToSchema, Debug, Clone, Default)]
pub struct TaskCan {
    /// Post progress, add photos, report it done (the party responsible).
    pub report: bool,
    /// Confirm it done or send it back (the convening office).
    pub review: bool,
}

/// A task in full.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct TaskView {
    #[serde(flatten)]
    pub summary: TaskSummary,
    pub meeting_title: String,
    pub item_title: String,
    pub created_at: chrono::DateTime<Utc>,
    pub reported_at: Option<chrono::DateTime<Utc>>,
    pub confirmed_at: Option<chrono::DateTime<Utc>>,
    pub confirmed_by: Option<Person>,
    pub updates: Vec<TaskUpdateView>,
    pub photos: Vec<FileView>,
    pub can: TaskCan,
}

/// Whether a task is overdue on `today`: past its day and not confirmed done.
pub fn is_overdue(status: TaskStatus, due_on: NaiveDate, today: NaiveDate) -> bool {
    status != TaskStatus::Done && due_on < today
}

/// The people who speak for party `party_id`.
async fn people_of(db: &impl ConnectionTrait, party_id: i64) -> AppResult<Vec<i64>> {
    let mut ids: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::PartyId.eq(party_id))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Whether the caller speaks for the party responsible, or is the person named.
fn responsible(actor: &Actor, t: &meeting_task::Model) -> bool {
    t.assignee_id == Some(actor.user.id) || actor.memberships.iter().any(|m| m.party_id == Some(t.party_id))
}

async fn tell(db: &impl ConnectionTrait, t: &meeting_task::Model, kind: &'static str, to: &[i64]) -> AppResult<()> {
    if to.is_empty() {
        return Ok(());
    }
    let notice = NewNotice {
        community_id: t.community_id,
        compound_id: Some(t.compound_id),
        kind,
        text: NoticeText::Params(json!({ "title": t.title, "due_on": t.due_on.to_string() })),
        link: Some(format!("/tasks/{}", t.id)),
        created_by: None,
    };
    notices::publish(db, notice, to).await?;
    Ok(())
}

/// Set a task going from item `item_id` of meeting `id`: by whoever keeps the record or chairs,
/// once the meeting is open. The party responsible is told.
pub async fn create_task(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    item_id: i64,
    req: NewTask,
) -> AppResult<meeting_task::Model> {
    let m = meeting_for(db, actor, id).await?;
    if !may_record(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if !matches!(m.meeting.status, MeetingStatus::InProgress | MeetingStatus::Held) {
        return Err(AppError::conflict("meeting_not_in_progress", msg!("meeting_not_in_progress")));
    }
    let item = super::item_of(db, &m, item_id).await?;
    if item.status == ItemStatus::Pending {
        return Err(AppError::conflict("meeting_item_not_open", msg!("meeting_item_not_open")));
    }
    let title = required_text("title", &req.title, 200)?;
    let p = party_for(db, &m, req.party_id).await?;
    let people = people_of(db, p.id).await?;
    if let Some(a) = req.assignee_id
        && !people.contains(&a)
    {
        return Err(AppError::field("assignee_id", msg!("task_assignee_not_of_party")));
    }
    if req.due_on < m.meeting.starts_at.date_naive() {
        return Err(AppError::field("due_on", msg!("task_due_before_meeting")));
    }
    let compound_id = p.compound_id.or(m.compounds.first().map(|c| c.id)).ok_or(AppError::NotFound)?;
    let t = meeting_task::Entity::insert(meeting_task::ActiveModel {
        meeting_id: Set(id),
        item_id: Set(item.id),
        community_id: Set(m.meeting.community_id),
        compound_id: Set(compound_id),
        title: Set(title),
        party_id: Set(p.id),
        assignee_id: Set(req.assignee_id),
        due_on: Set(req.due_on),
        status: Set(TaskStatus::Open),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    tell(db, &t, "task_assigned", &people).await?;
    let detail = json!({ "meeting": id, "item": item.position, "title": t.title, "party_kind": p.kind, "party_name": p.name, "due_on": t.due_on });
    audit::note(db, Some(actor.user.id), &t, "task.created", detail).await?;
    Ok(t)
}

/// The concern task `t` was raised from (through its item), with what its timeline tells of the
/// task: the loop closes where whoever raised the concern looks. The edge records it there
/// (concerns import meetings, not the reverse). A mediation's task tells nothing outside.
pub async fn concern_of(
    db: &impl ConnectionTrait,
    t: &meeting_task::Model,
) -> AppResult<Option<(i64, serde_json::Value)>> {
    let item = meeting_item::Entity::find_by_id(t.item_id).one(db).await?;
    let Some(concern_id) = item.filter(|i| i.source_kind == Some(ItemSource::Concern)).and_then(|i| i.source_id) else {
        return Ok(None);
    };
    let m = crate::entities::meeting::Entity::find_by_id(t.meeting_id).one(db).await?;
    if m.is_none_or(|m| m.kind.rules().visibility != super::Visibility::Compounds) {
        return Ok(None);
    }
    let detail =
        json!({ "task": t.title, "task_id": t.id, "due_on": t.due_on.to_string(), "meeting_id": t.meeting_id });
    Ok(Some((concern_id, detail)))
}

/// Party `party_id`, if it may answer for a task of meeting `m`: a party of a compound taking
/// part, or of the whole community.
async fn party_for(db: &impl ConnectionTrait, m: &LoadedMeeting, party_id: i64) -> AppResult<party::Model> {
    let p = party::Entity::find_by_id(party_id).one(db).await?;
    p.filter(|p| {
        p.community_id == m.meeting.community_id
            && p.compound_id.is_none_or(|c| m.compounds.iter().any(|mc| mc.id == c))
    })
    .ok_or_else(|| AppError::field("party_id", msg!("task_party_unknown")))
}

/// A task and its meeting, if the caller may see the meeting.
async fn task_for(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
) -> AppResult<(meeting_task::Model, LoadedMeeting)> {
    let t = meeting_task::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let m = meeting_for(db, actor, t.meeting_id).await?;
    Ok((t, m))
}

/// Post progress on task `id`, or report it done: by the party responsible, until it is done.
pub async fn post_update(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: TaskUpdateRequest,
) -> AppResult<meeting_task::Model> {
    let (t, m) = task_for(db, actor, id).await?;
    if !responsible(actor, &t) {
        return Err(AppError::Forbidden);
    }
    // Progress may still be posted while the office checks a report; done is reported once.
    let open = match t.status {
        TaskStatus::Open => true,
        TaskStatus::Reported => !req.done,
        TaskStatus::Done => false,
    };
    if !open {
        return Err(AppError::conflict("task_not_open", msg!("task_not_open")));
    }
    let body = required_text("body", &req.body, 2_000)?;
    meeting_task_update::Entity::insert(meeting_task_update::ActiveModel {
        task_id: Set(t.id),
        author_id: Set(actor.user.id),
        body: Set(body),
        marks_done: Set(req.done),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let t = if req.done {
        let mut row = t.into_active_model();
        row.status = Set(TaskStatus::Reported);
        row.reported_at = Set(Some(Utc::now()));
        let t = row.update(db).await?;
        notices::done(db, actor.user.id, Deed::ReportTask, &format!("/tasks/{}", t.id)).await?;
        let mut office = vec![m.meeting.convened_by, m.meeting.chair_id];
        office.dedup();
        tell(db, &t, "task_reported", &office).await?;
        t
    } else {
        t
    };
    audit::note(db, Some(actor.user.id), &t, "task.updated", json!({ "done": req.done })).await?;
    Ok(t)
}

/// Add a photo to task `id` as evidence: by the party responsible, at most six.
pub async fn add_photo(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    name: &str,
    body: AppResult<impl AsRef<[u8]>>,
) -> AppResult<crate::entities::file::Model> {
    let (t, _) = task_for(db, actor, id).await?;
    if !responsible(actor, &t) {
        return Err(AppError::Forbidden);
    }
    if t.status == TaskStatus::Done {
        return Err(AppError::conflict("task_not_open", msg!("task_not_open")));
    }
    let body = body?;
    let name = required_text("name", name, 200)?;
    let count =
        meeting_task_photo::Entity::find().filter(meeting_task_photo::Column::TaskId.eq(t.id)).count(db).await?;
    if count >= MAX_TASK_PHOTOS {
        return Err(AppError::conflict("too_many_photos", msg!("task_too_many_photos", max = MAX_TASK_PHOTOS)));
    }
    let f = crate::files::store(db, t.compound_id, actor.user.id, name, body.as_ref(), true).await?;
    meeting_task_photo::Entity::insert(meeting_task_photo::ActiveModel {
        task_id: Set(t.id),
        file_id: Set(f.id),
        ..Default::default()
    })
    .exec(db)
    .await?;
    audit::note(db, Some(actor.user.id), &t, "task.photo", json!({ "file_id": f.id, "sha256": f.sha256 })).await?;
    Ok(f)
}

/// One of a task's photos, to those who may see it.
pub async fn photo(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    file_id: i64,
) -> AppResult<crate::entities::file::Model> {
    let (t, _) = task_for(db, actor, id).await?;
    meeting_task_photo::Entity::find()
        .filter(meeting_task_photo::Column::TaskId.eq(t.id))
        .filter(meeting_task_photo::Column::FileId.eq(file_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    crate::entities::file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)
}

/// Confirm task `id` done, or send it back with a reason: by the convening office, once the
/// party responsible has reported it done.
pub async fn review(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: TaskReview,
) -> AppResult<meeting_task::Model> {
    let (t, m) = task_for(db, actor, id).await?;
    if !may_manage(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if t.status != TaskStatus::Reported {
        return Err(AppError::conflict("task_not_reported", msg!("task_not_reported")));
    }
    let note = if req.accept { None } else { Some(required_text("note", &req.note, 500)?) };
    let mut row = t.into_active_model();
    if req.accept {
        row.status = Set(TaskStatus::Done);
        row.confirmed_at = Set(Some(Utc::now()));
        row.confirmed_by = Set(Some(actor.user.id));
    } else {
        row.status = Set(TaskStatus::Open);
        row.reported_at = Set(None);
    }
    let t = row.update(db).await?;
    notices::done(db, actor.user.id, Deed::ReviewTask, &format!("/tasks/{}", t.id)).await?;
    let kind = if req.accept { "task_done" } else { "task_returned" };
    tell(db, &t, kind, &people_of(db, t.party_id).await?).await?;
    audit::note(db, Some(actor.user.id), &t, "task.reviewed", json!({ "accept": req.accept, "note": note })).await?;
    Ok(t)
}

/// Remind the party responsible for each overdue task, once a day.
pub async fn remind_overdue(db: &impl ConnectionTrait) -> AppResult<usize> {
    let today = china_time::today();
    let due = meeting_task::Entity::find()
        .filter(meeting_task::Column::Status.eq(TaskStatus::Open))
        .filter(meeting_task::Column::DueOn.lt(today))
        .filter(
            sea_orm::Condition::any()
                .add(meeting_task::Column::RemindedOn.is_null())
                .add(meeting_task::Column::RemindedOn.lt(today)),
        )
        .all(db)
        .await?;
    if due.is_empty() {
        return Ok(0);
    }
    // The people of every party concerned, read at once.
    let mut people: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    let of_parties = membership::Entity::find()
        .filter(membership::Column::PartyId.is_in(due.iter().map(|t| t.party_id)))
        .all(db)
        .await?;
    for m in of_parties {
        if let Some(p) = m.party_id {
            people.entry(p).or_default().push(m.user_id);
        }
    }
    for ids in people.values_mut() {
        ids.sort_unstable();
        ids.dedup();
    }
    for t in &due {
        tell(db, t, "task_overdue", people.get(&t.party_id).map_or(&[][..], Vec::as_slice)).await?;
    }
    meeting_task::Entity::update_many()
        .col_expr(meeting_task::Column::RemindedOn, sea_orm::sea_query::Expr::value(today))
        .filter(meeting_task::Column::Id.is_in(due.iter().map(|t| t.id)))
        .exec(db)
        .await?;
    Ok(due.len())
}

/// The summaries of `tasks`, with their parties and people named.
pub async fn summaries(db: &impl ConnectionTrait, tasks: Vec<meeting_task::Model>) -> AppResult<Vec<TaskSummary>> {
    let names = user_names(db, tasks.iter().filter_map(|t| t.assignee_id).collect::<Vec<_>>()).await?;
    let parties: std::collections::HashMap<i64, party::Model> = party::Entity::find()
        .filter(party::Column::Id.is_in(tasks.iter().map(|t| t.party_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let today = china_time::today();
    Ok(tasks
        .into_iter()
        .map(|t| {
            let p = parties.get(&t.party_id);
            TaskSummary {
                id: t.id,
                meeting_id: t.meeting_id,
                item_id: t.item_id,
                title: t.title,
                party: TaskParty {
                    id: t.party_id,
                    kind: p.and_then(|p| PartyKind::parse(&p.kind)),
                    name: p.map(|p| p.name.clone()).unwrap_or_default(),
                },
                assignee: t.assignee_id.map(|id| Person { id, name: names.get(&id).cloned().unwrap_or_default() }),
                due_on: t.due_on,
                status: t.status,
                overdue: is_overdue(t.status, t.due_on, today),
            }
        })
        .collect())
}

/// The tasks of meeting `m`, in the order they were set.
pub async fn tasks_of_meeting(db: &impl ConnectionTrait, meeting_id: i64) -> AppResult<Vec<TaskSummary>> {
    let tasks = meeting_task::Entity::find()
        .filter(meeting_task::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_task::Column::Id)
        .all(db)
        .await?;
    summaries(db, tasks).await
}

/// The tasks of community `community_id`, soonest due first: all of them to the community
/// office, those of their own parties to the others.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    filter: TaskFilter,
) -> AppResult<Vec<TaskSummary>> {
    actor.authorize_community(Permission::ViewMeetings, community_id)?;
    let mut q = meeting_task::Entity::find().filter(meeting_task::Column::CommunityId.eq(community_id));
    if !super::is_office(actor, community_id) {
        let mine: Vec<i64> = actor.memberships.iter().filter_map(|m| m.party_id).collect();
        q = q.filter(
            sea_orm::Condition::any()
                .add(meeting_task::Column::PartyId.is_in(mine))
                .add(meeting_task::Column::AssigneeId.eq(actor.user.id)),
        );
    }
    let today = china_time::today();
    q = match filter.status {
        None => q,
        Some(TaskFilterStatus::Open) => q.filter(meeting_task::Column::Status.ne(TaskStatus::Done)),
        Some(TaskFilterStatus::Reported) => q.filter(meeting_task::Column::Status.eq(TaskStatus::Reported)),
        Some(TaskFilterStatus::Done) => q.filter(meeting_task::Column::Status.eq(TaskStatus::Done)),
        Some(TaskFilterStatus::Overdue) => {
            q.filter(meeting_task::Column::Status.ne(TaskStatus::Done)).filter(meeting_task::Column::DueOn.lt(today))
        }
    };
    let tasks = q.order_by_asc(meeting_task::Column::DueOn).order_by_asc(meeting_task::Column::Id).all(db).await?;
    summaries(db, tasks).await
}

/// How many tasks of community `community_id` (or of one compound of it) are overdue today.
pub async fn overdue_count(db: &impl ConnectionTrait, community_id: i64, compound_id: Option<i64>) -> AppResult<u64> {
    let mut q = meeting_task::Entity::find().filter(meeting_task::Column::CommunityId.eq(community_id));
    if let Some(c) = compound_id {
        q = q.filter(meeting_task::Column::CompoundId.eq(c));
    }
    Ok(q.filter(meeting_task::Column::Status.ne(TaskStatus::Done))
        .filter(meeting_task::Column::DueOn.lt(china_time::today()))
        .count(db)
        .await?)
}

/// Task `id` in full, to those who may see its meeting.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<TaskView> {
    let (t, m) = task_for(db, actor, id).await?;
    let updates = meeting_task_update::Entity::find()
        .filter(meeting_task_update::Column::TaskId.eq(t.id))
        .order_by_asc(meeting_task_update::Column::Id)
        .all(db)
        .await?;
    let photo_ids: Vec<i64> = meeting_task_photo::Entity::find()
        .filter(meeting_task_photo::Column::TaskId.eq(t.id))
        .order_by_asc(meeting_task_photo::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.file_id)
        .collect();
    let item = meeting_item::Entity::find_by_id(t.item_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut ids: Vec<i64> = updates.iter().map(|u| u.author_id).collect();
    ids.extend(t.confirmed_by);
    let names = user_names(db, ids).await?;
    let person = |id: i64| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
    let can = TaskCan {
        report: responsible(actor, &t) && t.status != TaskStatus::Done,
        review: may_manage(actor, &m) && t.status == TaskStatus::Reported,
    };
    let (created_at, reported_at, confirmed_at, confirmed_by) =
        (t.created_at, t.reported_at, t.confirmed_at, t.confirmed_by.map(person));
    let summary = summaries(db, vec![t]).await?.remove(0);
    Ok(TaskView {
        summary,
        meeting_title: m.meeting.title.clone(),
        item_title: item.title,
        created_at,
        reported_at,
        confirmed_at,
        confirmed_by,
        updates: updates
            .into_iter()
            .map(|u| TaskUpdateView {
                id: u.id,
                author: person(u.author_id),
                body: u.body,
                marks_done: u.marks_done,
                created_at: u.created_at,
            })
            .collect(),
        photos: crate::files::views_of(db, &photo_ids).await?,
        can,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_is_overdue_from_the_day_after_its_due_day_until_confirmed_done() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let next = due.succ_opt().unwrap();
        assert!(!is_overdue(TaskStatus::Open, due, due), "due today is not late");
        assert!(is_overdue(TaskStatus::Open, due, next));
        assert!(is_overdue(TaskStatus::Reported, due, next), "reported, not yet confirmed");
        assert!(!is_overdue(TaskStatus::Done, due, next));
    }
}
