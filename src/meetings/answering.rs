//! Answering an invitation, and changes of plan: postponing and cancelling.
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, IntoActiveModel};
use serde_json::json;

use super::{
    Answer, AnswerRequest, CancelRequest, LoadedMeeting, MeetingStatus, PostponeRequest, answerable, changeable,
    check_start, invitations_of, may_answer, may_manage, meeting_for, tell, where_text,
};
use crate::{
    audit,
    auth::Actor,
    entities::meeting,
    error::{AppError, AppResult},
    msg,
    notices::{self, Deed},
    text::{optional_text, required_text},
};

/// Answer the caller's invitation to meeting `id`: attending, not attending, or sending someone
/// in their place where the kind lets a party do so.
pub async fn answer(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: AnswerRequest) -> AppResult<LoadedMeeting> {
    let mut m = meeting_for(db, actor, id).await?;
    let Some(invitation) = m.mine.clone() else { return Err(AppError::Forbidden) };
    if !answerable(m.meeting.status, m.meeting.starts_at, Utc::now()) {
        return Err(AppError::conflict("meeting_not_answerable", msg!("meeting_not_answerable")));
    }
    if !may_answer(m.kind(), invitation.capacity, req.answer) {
        return Err(AppError::field("answer", msg!("meeting_answer_not_allowed")));
    }
    let deputy = match req.answer {
        Answer::Deputy => Some(
            optional_text("deputy_name", req.deputy_name.as_deref(), 50)?
                .ok_or_else(|| AppError::field("deputy_name", msg!("text_required")))?,
        ),
        _ => None,
    };
    let mut row = invitation.into_active_model();
    row.answer = Set(req.answer);
    row.deputy_name = Set(deputy.clone());
    row.answered_at = Set(Some(Utc::now()));
    let saved = row.update(db).await?;
    notices::done(db, actor.user.id, Deed::AnswerInvitation, &format!("/meetings/{}", m.meeting.id)).await?;
    let detail = json!({ "answer": saved.answer, "deputy": deputy });
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.answered", detail).await?;
    m.mine = Some(saved);
    Ok(m)
}

/// Allow a change of plan: by whoever may manage the meeting, before it opens.
fn check_change(actor: &Actor, m: &LoadedMeeting) -> AppResult<()> {
    if !may_manage(actor, m) {
        return Err(AppError::Forbidden);
    }
    if !changeable(m.meeting.status) {
        return Err(AppError::conflict("meeting_not_scheduled", msg!("meeting_not_scheduled")));
    }
    Ok(())
}

/// Everyone invited but the caller.
async fn others_invited(db: &impl ConnectionTrait, actor: &Actor, m: &meeting::Model) -> AppResult<Vec<i64>> {
    Ok(invitations_of(db, m.id).await?.into_keys().filter(|u| *u != actor.user.id).collect())
}

/// Move meeting `id` to a new time, with a reason that everyone invited is told. Answers given
/// stand; whoever can no longer come answers again.
pub async fn postpone(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: PostponeRequest,
) -> AppResult<LoadedMeeting> {
    let mut m = meeting_for(db, actor, id).await?;
    check_change(actor, &m)?;
    let reason = required_text("reason", &req.reason, 500)?;
    let now = Utc::now();
    check_start(m.kind(), now, req.starts_at)?;
    let from = m.meeting.starts_at;
    let mut row = m.meeting.clone().into_active_model();
    row.starts_at = Set(req.starts_at);
    row.updated_at = Set(now);
    m.meeting = row.update(db).await?;
    let recipients = others_invited(db, actor, &m.meeting).await?;
    let params = json!({ "title": m.meeting.title, "starts_at": req.starts_at.to_rfc3339(), "place": where_text(&m.meeting), "reason": reason });
    tell(db, &m.meeting, "meeting_postponed", params, &recipients).await?;
    let detail = json!({ "from": from.to_rfc3339(), "to": req.starts_at.to_rfc3339(), "reason": reason });
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.postponed", detail).await?;
    Ok(m)
}

/// Cancel meeting `id`, with a reason that everyone invited is told.
pub async fn cancel(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: CancelRequest) -> AppResult<LoadedMeeting> {
    let mut m = meeting_for(db, actor, id).await?;
    check_change(actor, &m)?;
    let reason = required_text("reason", &req.reason, 500)?;
    let mut row = m.meeting.clone().into_active_model();
    row.status = Set(MeetingStatus::Cancelled);
    row.cancel_reason = Set(Some(reason.clone()));
    row.updated_at = Set(Utc::now());
    m.meeting = row.update(db).await?;
    let recipients = others_invited(db, actor, &m.meeting).await?;
    tell(db, &m.meeting, "meeting_cancelled", json!({ "title": m.meeting.title, "reason": reason }), &recipients)
        .await?;
    audit::note(db, Some(actor.user.id), &m.meeting, "meeting.cancelled", json!({ "reason": reason })).await?;
    Ok(m)
}
