//! Running a meeting: signing in, opening it and each item in turn, the recorder's notes, the
//! outcome of each item, closing it. Each operation runs in the caller's transaction; the room
//! is told once it commits (see [`super::room`]).
use chrono::Utc;
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{
    Capacity, ItemOutcome, ItemSource, ItemStatus, LoadedMeeting, MeetingStatus, OutcomeRequest, Present, SignInKey,
    SignInMethod, Visibility, check_outcome, may_manage, meeting_for, sign_in_open,
};
use crate::{
    audit,
    audit::sentence::kind_word,
    auth::Actor,
    entities::{file, meeting, meeting_invitation, meeting_item, meeting_position},
    error::{AppError, AppResult},
    i18n::{Lang, render},
    msg,
    text::optional_text,
};

/// The code the room shows, and when the next one replaces it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct SignInCode {
    pub code: String,
    pub expires_at: chrono::DateTime<Utc>,
    /// The page a phone opens by scanning it, relative to the app: `/meetings/{id}/sign-in?code=…`.
    pub path: String,
}

/// Signing oneself in with the room's code.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct SignInRequest {
    /// The code the room shows (in the scanned link's `code`).
    pub sign_in_code: String,
}

/// Staff marking people present or not, by ticking names or from the paper sheet.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct AttendanceRequest {
    pub invitation_ids: Vec<i64>,
    pub present: bool,
    /// `staff` (ticked) or `sheet` (from the photo of the paper sheet).
    pub method: SignInMethod,
}

/// The recorder's notes on an item.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct NotesRequest {
    /// At most 20 000 characters; replaces the notes so far.
    pub notes: String,
}

/// Whether the caller chairs the meeting; whoever may manage it stands in for an absent chair.
pub fn may_chair(actor: &Actor, m: &LoadedMeeting) -> bool {
    m.meeting.chair_id == actor.user.id || may_manage(actor, m)
}

/// Whether the caller keeps the record: the recorder, or whoever chairs.
pub fn may_record(actor: &Actor, m: &LoadedMeeting) -> bool {
    m.meeting.recorder_id == actor.user.id || may_chair(actor, m)
}

fn require(allowed: bool) -> AppResult<()> {
    if allowed { Ok(()) } else { Err(AppError::Forbidden) }
}

fn require_sign_in_open(m: &meeting::Model) -> AppResult<()> {
    if sign_in_open(m.status, m.starts_at, Utc::now()) {
        Ok(())
    } else {
        Err(AppError::conflict("meeting_sign_in_closed", msg!("meeting_sign_in_closed")))
    }
}

fn require_in_progress(m: &meeting::Model) -> AppResult<()> {
    if m.status == MeetingStatus::InProgress {
        Ok(())
    } else {
        Err(AppError::conflict("meeting_not_in_progress", msg!("meeting_not_in_progress")))
    }
}

/// The code the room shows now, to whoever keeps the record or chairs.
pub async fn sign_in_code(db: &impl ConnectionTrait, actor: &Actor, key: &SignInKey, id: i64) -> AppResult<SignInCode> {
    let m = meeting_for(db, actor, id).await?;
    require(may_record(actor, &m))?;
    require_sign_in_open(&m.meeting)?;
    let (code, expires_at) = key.code(id, Utc::now());
    Ok(SignInCode { path: format!("/meetings/{id}/sign-in?code={code}"), code, expires_at })
}

/// Sign the caller in with the code the room shows: only someone invited, only with a code of
/// this meeting from the last minute. Signing in twice keeps the first time.
pub async fn sign_in(
    db: &impl ConnectionTrait,
    actor: &Actor,
    key: &SignInKey,
    id: i64,
    req: SignInRequest,
) -> AppResult<LoadedMeeting> {
    let mut m = meeting_for(db, actor, id).await?;
    let Some(mine) = m.mine.clone() else { return Err(AppError::Forbidden) };
    require_sign_in_open(&m.meeting)?;
    if !key.accepts(id, req.sign_in_code.trim(), Utc::now()) {
        return Err(AppError::field("sign_in_code", msg!("meeting_code_expired")));
    }
    if mine.signed_in_at.is_none() {
        let mut row = mine.into_active_model();
        row.signed_in_at = Set(Some(Utc::now()));
        row.sign_in_method = Set(Some(SignInMethod::Qr));
        row.signed_in_by = Set(Some(actor.user.id));
        m.mine = Some(row.update(db).await?);
        audit::note(db, Some(actor.user.id), &m.meeting, "meeting.signed_in", json!({ "method": "qr" })).await?;
    }
    Ok(m)
}

/// Mark people present (or not) by ticking their names or from the paper sheet: by whoever keeps
/// the record or chairs, while the room is open.
pub async fn mark_attendance(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: AttendanceRequest,
) -> AppResult<LoadedMeeting> {
    let m = meeting_for(db, actor, id).await?;
    require(may_record(actor, &m))?;
    require_sign_in_open(&m.meeting)?;
    if req.method == SignInMethod::Qr {
        return Err(AppError::field("method", msg!("meeting_attendance_method")));
    }
    if req.method == SignInMethod::Sheet && m.meeting.sign_in_sheet_file_id.is_none() {
        return Err(AppError::field("method", msg!("meeting_sheet_missing")));
    }
    if req.invitation_ids.is_empty() || req.invitation_ids.len() > 2000 {
        return Err(AppError::field("invitation_ids", msg!("meeting_attendance_count")));
    }
    let found = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(id))
        .filter(meeting_invitation::Column::Id.is_in(req.invitation_ids.clone()))
        .all(db)
        .await?;
    if let Some(i) = req.invitation_ids.iter().position(|want| !found.iter().any(|f| f.id == *want)) {
        return Err(AppError::field(&format!("invitation_ids[{i}]"), msg!("meeting_invitation_unknown")));
    }
    let now = Utc::now();
    let (at, method, by) =
        if req.present { (Some(now), Some(req.method), Some(actor.user.id)) } else { (None, None, None) };
    meeting_invitation::Entity::update_many()
        .col_expr(meeting_invitation::Column::SignedInAt, Expr::value(at))
        .col_expr(meeting_invitation::Column::SignInMethod, Expr::value(method.map(|m| m.to_value())))
        .col_expr(meeting_invitation::Column::SignedInBy, Expr::value(by))
        .filter(meeting_invitation::Column::MeetingId.eq(id))
        .filter(meeting_invitation::Column::Id.is_in(req.invitation_ids.clone()))
        .exec(db)
        .await?;
    let detail = json!({ "invitations": req.invitation_ids, "present": req.present, "method": req.method });
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.attendance", detail).await?;
    meeting_for(db, actor, id).await
}

/// Keep the photo of the paper sign-in sheet with the meeting (replacing an earlier one).
pub async fn attach_sheet(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    name: &str,
    body: AppResult<impl AsRef<[u8]>>,
) -> AppResult<file::Model> {
    let m = meeting_for(db, actor, id).await?;
    require(may_record(actor, &m))?;
    require_sign_in_open(&m.meeting)?;
    let body = body?;
    let name = crate::text::required_text("name", name, 200)?;
    let compound = m.compounds.first().ok_or(AppError::NotFound)?;
    let f = crate::files::store(db, compound.id, actor.user.id, name, body.as_ref(), true).await?;
    let mut row = m.meeting.clone().into_active_model();
    row.sign_in_sheet_file_id = Set(Some(f.id));
    row.update(db).await?;
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.sheet", json!({ "file_id": f.id, "sha256": f.sha256 }))
        .await?;
    Ok(f)
}

/// The photo of the paper sign-in sheet, to those who may see the meeting.
pub async fn sheet(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<file::Model> {
    let m = meeting_for(db, actor, id).await?;
    let file_id = m.meeting.sign_in_sheet_file_id.ok_or(AppError::NotFound)?;
    file::Entity::find_by_id(file_id).one(db).await?.ok_or(AppError::NotFound)
}

/// Open the meeting: by the chair, from an hour before its start.
pub async fn open(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoadedMeeting> {
    let mut m = meeting_for(db, actor, id).await?;
    require(may_chair(actor, &m))?;
    if m.meeting.status != MeetingStatus::Scheduled || !sign_in_open(m.meeting.status, m.meeting.starts_at, Utc::now())
    {
        return Err(AppError::conflict("meeting_not_openable", msg!("meeting_not_openable")));
    }
    let mut row = m.meeting.clone().into_active_model();
    row.status = Set(MeetingStatus::InProgress);
    row.opened_at = Set(Some(Utc::now()));
    row.updated_at = Set(Utc::now());
    m.meeting = row.update(db).await?;
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.opened", json!({})).await?;
    Ok(m)
}

/// An item of meeting `m`.
pub async fn item_of(db: &impl ConnectionTrait, m: &LoadedMeeting, item_id: i64) -> AppResult<meeting_item::Model> {
    meeting_item::Entity::find_by_id(item_id)
        .filter(meeting_item::Column::MeetingId.eq(m.meeting.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Meeting `id` under way and its item `item_id` without an outcome yet, for whoever chairs.
async fn chaired_item(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    item_id: i64,
) -> AppResult<(LoadedMeeting, meeting_item::Model)> {
    let m = meeting_for(db, actor, id).await?;
    require(may_chair(actor, &m))?;
    require_in_progress(&m.meeting)?;
    let item = item_of(db, &m, item_id).await?;
    if item.status == ItemStatus::Done {
        return Err(AppError::conflict("meeting_item_done", msg!("meeting_item_done")));
    }
    Ok((m, item))
}

/// Put the item of meeting `id` left open without an outcome back to waiting.
async fn back_to_waiting(db: &impl ConnectionTrait, id: i64) -> AppResult<()> {
    meeting_item::Entity::update_many()
        .col_expr(meeting_item::Column::Status, Expr::value(ItemStatus::Pending.to_value()))
        .filter(meeting_item::Column::MeetingId.eq(id))
        .filter(meeting_item::Column::Status.eq(ItemStatus::Open.to_value()))
        .exec(db)
        .await?;
    Ok(())
}

/// Open item `item_id`: the room follows it. An item left open without an outcome goes back to
/// waiting.
pub async fn open_item(db: &impl ConnectionTrait, actor: &Actor, id: i64, item_id: i64) -> AppResult<LoadedMeeting> {
    let (mut m, item) = chaired_item(db, actor, id, item_id).await?;
    back_to_waiting(db, id).await?;
    let mut row = item.into_active_model();
    row.status = Set(ItemStatus::Open);
    row.opened_at = Set(Some(Utc::now()));
    let item = row.update(db).await?;
    let mut row = m.meeting.clone().into_active_model();
    row.current_item_id = Set(Some(item.id));
    m.meeting = row.update(db).await?;
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.item_opened", json!({ "item": item.position })).await?;
    Ok(m)
}

/// Replace the notes on item `item_id`: by the recorder (or the chair), while the meeting runs.
pub async fn note_item(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    item_id: i64,
    req: NotesRequest,
) -> AppResult<LoadedMeeting> {
    let m = meeting_for(db, actor, id).await?;
    require(may_record(actor, &m))?;
    require_in_progress(&m.meeting)?;
    let item = item_of(db, &m, item_id).await?;
    let notes = optional_text("notes", Some(&req.notes), 20_000)?.unwrap_or_default();
    let mut row = item.into_active_model();
    row.notes = Set(notes);
    row.update(db).await?;
    Ok(m)
}

/// Who is in the room, as the outcome's check needs it.
async fn present(db: &impl ConnectionTrait, m: &LoadedMeeting) -> AppResult<Present> {
    let invitations = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(m.meeting.id))
        .all(db)
        .await?;
    let here = |i: &&meeting_invitation::Model| i.signed_in_at.is_some();
    let mut parties: Vec<i64> = invitations
        .iter()
        .filter(here)
        .filter(|i| matches!(i.capacity, Capacity::Party | Capacity::Member))
        .filter_map(|i| i.party_id)
        .collect();
    parties.sort_unstable();
    parties.dedup();
    let members = invitations.iter().filter(|i| i.capacity == Capacity::Member);
    Ok(Present {
        parties,
        members: members.clone().filter(here).map(|i| i.user_id).collect(),
        members_total: members.count() as i64,
        people: invitations.iter().filter(here).count() as i64,
    })
}

/// Record the outcome of item `item_id`: by the chair, while the meeting runs, checked against
/// how the kind decides (see [`check_outcome`]). The positions or votes are kept with it. Answers
/// what the outcome means for the agenda or concern the item is drawn from, for the caller to
/// record there in the same transaction (see [`Reached`]).
pub async fn record_outcome(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    item_id: i64,
    req: OutcomeRequest,
) -> AppResult<(LoadedMeeting, Option<Reached>)> {
    let (m, item) = chaired_item(db, actor, id, item_id).await?;
    let text = optional_text("text", req.text.as_deref(), 5_000)?;
    check_outcome(m.kind(), &OutcomeRequest { text: text.clone(), ..req.clone() }, &present(db, &m).await?)?;
    let positions = req.positions.iter().map(|p| (Some(p.party_id), None, p.position));
    let votes = req.votes.iter().map(|v| (None, Some(v.user_id), v.position));
    let rows: Vec<meeting_position::ActiveModel> = positions
        .chain(votes)
        .map(|(party_id, user_id, position)| meeting_position::ActiveModel {
            item_id: Set(item.id),
            party_id: Set(party_id),
            user_id: Set(user_id),
            position: Set(position),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        meeting_position::Entity::insert_many(rows).exec(db).await?;
    }
    let position = item.position;
    let reached = reached(actor.language().unwrap_or(Lang::Zh), &m, &item, req.outcome, text.as_deref());
    let mut row = item.into_active_model();
    row.status = Set(ItemStatus::Done);
    row.outcome = Set(Some(req.outcome));
    row.outcome_text = Set(text);
    row.hands_for = Set(req.hands.map(|h| h.in_favour));
    row.hands_against = Set(req.hands.map(|h| h.against));
    row.hands_abstaining = Set(req.hands.map(|h| h.abstaining));
    row.closed_at = Set(Some(Utc::now()));
    row.update(db).await?;
    let detail = json!({ "item": position, "outcome": req.outcome, "hands": req.hands });
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.outcome", detail).await?;
    Ok((m, reached))
}

/// What an outcome means for the agenda or concern its item is drawn from. Agendas and concerns
/// show the meetings that took them up, so they import meetings and not the reverse: the edge
/// records this on them, in the same transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Reached {
    /// The meeting's outcome on agenda `id`: its decision, in the words `decision`, where the kind
    /// `decides` agendas (and the chair may manage this one); otherwise its position on record.
    Agenda { id: i64, decides: bool, decision: String, detail: serde_json::Value },
    /// The meeting's outcome, for concern `id`'s timeline.
    Concern { id: i64, detail: serde_json::Value },
}

/// What the outcome of `item` at meeting `m` means for the agenda or concern it is drawn from,
/// written in `lang`. A deferred item, and a mediation, mean nothing outside.
pub fn reached(
    lang: Lang,
    m: &LoadedMeeting,
    item: &meeting_item::Model,
    outcome: ItemOutcome,
    text: Option<&str>,
) -> Option<Reached> {
    let rules = m.kind().rules();
    let (source, id) = (item.source_kind?, item.source_id?);
    if outcome == ItemOutcome::Deferred || rules.visibility != Visibility::Compounds {
        return None;
    }
    let mt = &m.meeting;
    let detail = json!({ "meeting": mt.title, "meeting_id": mt.id, "item": item.position, "outcome": outcome });
    match source {
        ItemSource::Agenda => {
            let outcome_word = kind_word(lang, "meeting_outcome", detail.get("outcome")).unwrap_or_default();
            let date = crate::china_time::date(mt.starts_at).to_string();
            let line = render(lang, "meeting_agenda_decision", |name| match name {
                "title" => Some(mt.title.clone()),
                "id" => Some(mt.id.to_string()),
                "date" => Some(date.clone()),
                "position" => Some(item.position.to_string()),
                "outcome" => Some(outcome_word.clone()),
                _ => None,
            })
            .unwrap_or_default();
            let decision = [Some(line.as_str()), text].into_iter().flatten().collect::<Vec<_>>().join("\n\n");
            Some(Reached::Agenda { id, decides: rules.decides_agendas, decision, detail })
        }
        ItemSource::Concern => Some(Reached::Concern { id, detail }),
        ItemSource::Questionnaire | ItemSource::Vote | ItemSource::Convention => None,
    }
}

/// Close the meeting: by the chair. Items without an outcome stay unresolved, to be taken up at
/// the next meeting of the same body.
pub async fn close(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoadedMeeting> {
    let mut m = meeting_for(db, actor, id).await?;
    require(may_chair(actor, &m))?;
    require_in_progress(&m.meeting)?;
    back_to_waiting(db, id).await?;
    let mut row = m.meeting.clone().into_active_model();
    row.status = Set(MeetingStatus::Held);
    row.current_item_id = Set(None);
    row.closed_at = Set(Some(Utc::now()));
    row.updated_at = Set(Utc::now());
    m.meeting = row.update(db).await?;
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.closed", json!({})).await?;
    Ok(m)
}

/// Whether an outcome leaves its item for a later meeting.
pub fn unresolved(status: ItemStatus, outcome: Option<ItemOutcome>) -> bool {
    status != ItemStatus::Done || outcome == Some(ItemOutcome::Deferred)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::{
        MeetingKind,
        fixtures::{self, meeting},
    };

    fn item(source: Option<ItemSource>) -> meeting_item::Model {
        meeting_item::Model {
            position: 2,
            source_kind: source,
            source_id: source.map(|_| 11),
            status: ItemStatus::Open,
            ..fixtures::item(3, "垃圾清运分工")
        }
    }

    #[test]
    fn an_outcome_decides_an_agenda_in_words_that_name_the_meeting_where_the_kind_decides_agendas() {
        let agenda = Some(ItemSource::Agenda);
        let said = reached(
            Lang::Zh,
            &meeting(MeetingKind::Consultation),
            &item(agenda),
            ItemOutcome::Agreed,
            Some("物业每日清运"),
        );
        let Some(Reached::Agenda { id: 11, decides: true, decision, detail }) = said else { panic!("{said:?}") };
        assert_eq!(
            decision,
            "经会议 [北门外垃圾清运协商](/meetings/7)（2026-12-06）第 2 项议定：达成一致。\n\n物业每日清运"
        );
        assert_eq!(detail["outcome"], "agreed");
        let council =
            reached(Lang::En, &meeting(MeetingKind::ResidentsCouncil), &item(agenda), ItemOutcome::NotAgreed, None);
        assert!(matches!(council, Some(Reached::Agenda { decides: false, .. })), "{council:?}");
    }

    #[test]
    fn a_deferred_item_a_mediation_and_an_item_of_no_agenda_or_concern_mean_nothing_outside() {
        let concern = Some(ItemSource::Concern);
        let m = meeting(MeetingKind::Consultation);
        assert!(matches!(
            reached(Lang::Zh, &m, &item(concern), ItemOutcome::NotAgreed, None),
            Some(Reached::Concern { id: 11, .. })
        ));
        assert_eq!(reached(Lang::Zh, &m, &item(concern), ItemOutcome::Deferred, None), None);
        assert_eq!(
            reached(Lang::Zh, &meeting(MeetingKind::Mediation), &item(concern), ItemOutcome::Agreed, None),
            None
        );
        assert_eq!(reached(Lang::Zh, &m, &item(Some(ItemSource::Vote)), ItemOutcome::Agreed, None), None);
        assert_eq!(reached(Lang::Zh, &m, &item(None), ItemOutcome::Agreed, None), None);
    }
}
