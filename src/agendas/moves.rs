//! Moving an agenda to deliberation, a decision, its close, or withdrawing it.
use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait, Value};
use serde_json::json;

use super::{
    AgendaMove, DecideRequest, LoadedAgenda, WithdrawRequest, agenda_for, authorize, authorize_withdraw, may_cite,
    next_status,
};
use crate::{
    audit,
    auth::Actor,
    db::Transition,
    entities::{agenda, compound, questionnaire, vote},
    error::{AppError, AppResult},
    msg,
    notices::{self, Deed},
    policy::Permission,
    text::required_text,
};

/// Move the agenda by `m`, setting the columns `set`, only while it is still in the status read;
/// the move goes on the audit chain with `detail`.
async fn apply_move(
    db: &impl ConnectionTrait,
    actor: &Actor,
    a: &LoadedAgenda,
    m: AgendaMove,
    set: Vec<(agenda::Column, Value)>,
    detail: serde_json::Value,
) -> AppResult<()> {
    let from = a.status();
    let to = next_status(from, m).map_err(|(code, msg)| AppError::conflict(code, msg))?;
    let mut t = Transition::<agenda::Entity>::of(agenda::Column::Id, a.agenda.id, agenda::Column::Status, [from], to)
        .set(agenda::Column::UpdatedAt, Utc::now());
    for (col, v) in set {
        t = t.set(col, v);
    }
    t.apply(db, || AppError::conflict("agenda_changed", msg!("agenda_changed"))).await?;
    let mut detail = detail;
    detail["from"] = json!(from);
    detail["to"] = json!(to);
    audit::note(db, Some(actor.user.id), &a.agenda, &format!("agenda.{}", m.as_str()), detail).await?;
    // Deliberating or deciding answers the owners' call for an assembly, for whoever does it.
    if matches!(m, AgendaMove::Deliberate | AgendaMove::Decide) {
        notices::done(db, actor.user.id, Deed::TakeUpAgenda, &format!("/agendas/{}", a.agenda.id)).await?;
    }
    Ok(())
}

/// Put the agenda under deliberation (those who manage it).
pub async fn deliberate(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<()> {
    let a = agenda_for(db, actor, id).await?;
    authorize(actor, &a, Permission::ManageAgendas)?;
    apply_move(db, actor, &a, AgendaMove::Deliberate, Vec::new(), json!({})).await
}

/// Record the decision, with the vote or questionnaire that settled it (those who manage it).
pub async fn decide(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: DecideRequest) -> AppResult<()> {
    let a = agenda_for(db, actor, id).await?;
    authorize(actor, &a, Permission::ManageAgendas)?;
    let decision = required_text("decision", &req.decision, 20_000)?;
    if let Some(v) = req.vote_id {
        let held = vote::Entity::find_by_id(v).one(db).await?.map(|v| v.compound_id);
        if !citable(db, &a, held).await? {
            return Err(AppError::field("vote_id", msg!("agenda_vote_unknown")));
        }
    }
    if let Some(q) = req.questionnaire_id {
        let held = questionnaire::Entity::find_by_id(q).one(db).await?.map(|q| q.compound_id);
        if !citable(db, &a, held).await? {
            return Err(AppError::field("questionnaire_id", msg!("agenda_questionnaire_unknown")));
        }
    }
    let set = vec![
        (agenda::Column::Decision, Value::from(decision.clone())),
        (agenda::Column::VoteId, Value::from(req.vote_id)),
        (agenda::Column::QuestionnaireId, Value::from(req.questionnaire_id)),
        (agenda::Column::DecidedAt, Value::from(Utc::now())),
    ];
    let detail = json!({ "decision": decision, "vote_id": req.vote_id, "questionnaire_id": req.questionnaire_id });
    apply_move(db, actor, &a, AgendaMove::Decide, set, detail).await
}

/// Record in the caller's transaction what a meeting reached on agenda `id` (`detail` names the
/// meeting, the item and its outcome). Where `decides` (the kind of meeting decides agendas), the
/// caller may manage this agenda and it is still being discussed, the meeting's outcome is its
/// decision, in the words `decision`; otherwise the meeting's position goes on its record only.
/// Answers whether it decided the agenda; a chair who may not see the agenda records nothing.
pub async fn taken_up_at_meeting(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    decides: bool,
    decision: String,
    detail: serde_json::Value,
) -> AppResult<bool> {
    let a = match agenda_for(db, actor, id).await {
        Ok(a) => a,
        Err(AppError::NotFound | AppError::Forbidden) => return Ok(false),
        Err(e) => return Err(e),
    };
    if decides && a.status().is_active() && authorize(actor, &a, Permission::ManageAgendas).is_ok() {
        let set = vec![
            (agenda::Column::Decision, Value::from(decision.clone())),
            (agenda::Column::DecidedAt, Value::from(Utc::now())),
        ];
        let mut detail = detail;
        detail["decision"] = json!(decision);
        apply_move(db, actor, &a, AgendaMove::Decide, set, detail).await?;
        return Ok(true);
    }
    audit::note(db, Some(actor.user.id), &a.agenda, "agenda.discussed", detail).await?;
    Ok(false)
}

/// Whether a vote or questionnaire held in compound `held` (`None`: no such thing) may settle `a`.
async fn citable(db: &impl ConnectionTrait, a: &LoadedAgenda, held: Option<i64>) -> AppResult<bool> {
    let Some(held) = held else { return Ok(false) };
    let cited = compound::Entity::find_by_id(held).one(db).await?;
    Ok(cited.is_some_and(|c| may_cite(a.agenda.compound_id, a.agenda.community_id, &c)))
}

/// Close a decided agenda (those who manage it).
pub async fn close(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<()> {
    let a = agenda_for(db, actor, id).await?;
    authorize(actor, &a, Permission::ManageAgendas)?;
    let set = vec![(agenda::Column::ClosedAt, Value::from(Utc::now()))];
    apply_move(db, actor, &a, AgendaMove::Close, set, json!({})).await
}

/// Withdraw an agenda, with the reason: those who manage it, or whoever opened a compound agenda.
pub async fn withdraw(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: WithdrawRequest) -> AppResult<()> {
    let a = agenda_for(db, actor, id).await?;
    authorize_withdraw(actor, &a)?;
    let reason = required_text("reason", &req.reason, 1000)?;
    let set = vec![
        (agenda::Column::WithdrawReason, Value::from(reason.clone())),
        (agenda::Column::ClosedAt, Value::from(Utc::now())),
    ];
    apply_move(db, actor, &a, AgendaMove::Withdraw, set, json!({ "reason": reason })).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, template};

    #[test]
    fn every_move_has_a_sentence_on_the_trail() {
        for m in AgendaMove::ALL {
            for lang in [Lang::En, Lang::Zh] {
                let key = format!("audit.agenda.{}", m.as_str());
                assert!(template(lang, &key).is_some(), "{key} is missing in {lang:?}");
            }
        }
    }
}
