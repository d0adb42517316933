//! One agenda in full, with its co-signing progress and what the caller may do.
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{
    AgendaActions, AgendaMove, AgendaView, LoadedAgenda, agenda_for, authorize, authorize_withdraw, cosign_progress,
    moves_from,
};
use crate::{
    accounts::person_names,
    auth::Actor,
    entities::concern_category,
    error::AppResult,
    policy::{PartyKind, Permission},
};

/// An agenda the caller may see, in full.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<AgendaView> {
    let a = agenda_for(db, actor, id).await?;
    view(db, actor, &a).await
}

/// The loaded agenda in full, with what the caller may do with it.
pub async fn view(db: &impl ConnectionTrait, actor: &Actor, a: &LoadedAgenda) -> AppResult<AgendaView> {
    let g = &a.agenda;
    let category = match g.category_id {
        Some(id) => concern_category::Entity::find_by_id(id).one(db).await?.map(|c| (&c).into()),
        None => None,
    };
    let names = person_names(db, [g.opened_by]).await?;
    let cosign = cosign_progress(db, actor, a).await?;
    let can = actions(actor, a, cosign.as_ref().is_some_and(|c| !c.mine));
    Ok(AgendaView {
        id: g.id,
        community_id: g.community_id,
        compound_id: g.compound_id,
        compound_name: a.compound.as_ref().map(|c| c.name.clone()),
        title: g.title.clone(),
        description: g.description.clone(),
        description_html: crate::markdown::to_html(&g.description),
        category,
        opened_by_name: names.get(&g.opened_by).map(|p| p.name.clone()).unwrap_or_default(),
        opened_by_person: names.get(&g.opened_by).cloned().unwrap_or_default(),
        party_kind: PartyKind::parse(&g.party_kind).unwrap_or(PartyKind::CommunityOffice),
        concern_id: g.concern_id,
        status: a.status(),
        decision_html: g.decision.as_deref().map(crate::markdown::to_html),
        decision: g.decision.clone(),
        vote_id: g.vote_id,
        questionnaire_id: g.questionnaire_id,
        withdraw_reason: g.withdraw_reason.clone(),
        statutory_at: g.statutory_at,
        created_at: g.created_at,
        updated_at: g.updated_at,
        decided_at: g.decided_at,
        closed_at: g.closed_at,
        cosign,
        meetings: crate::meetings::mentions(db, crate::meetings::ItemSource::Agenda, g.id).await?,
        can,
    })
}

/// What the caller may do now; `may_cosign`: a holding of theirs has not co-signed yet.
fn actions(actor: &Actor, a: &LoadedAgenda, may_cosign: bool) -> AgendaActions {
    let status = a.status();
    let may = |p: Permission| authorize(actor, a, p).is_ok();
    let mut moves = if may(Permission::ManageAgendas) { moves_from(status) } else { Vec::new() };
    // Whoever opened a compound agenda may also withdraw it.
    if authorize_withdraw(actor, a).is_ok() && status.is_active() && !moves.contains(&AgendaMove::Withdraw) {
        moves.push(AgendaMove::Withdraw);
    }
    AgendaActions {
        cosign: status.is_active() && may(Permission::CosignAgendas) && may_cosign && a.compound.is_some(),
        comment: status.is_active() && may(Permission::CommentAgendas),
        moderate: may(Permission::ModerateAgendas),
        moves,
    }
}
