//! Who may see an agenda, and who may act on it where it lives.
use sea_orm::{ConnectionTrait, EntityTrait};

use super::{AgendaStatus, withdraw_needs_managing};
use crate::{
    auth::Actor,
    concerns::party_kinds,
    entities::{agenda, compound},
    error::{AppError, AppResult},
    policy::{PartyKind, Permission, party_kinds_of},
};

/// An agenda with where it lives, as the caller may see it.
pub struct LoadedAgenda {
    pub agenda: agenda::Model,
    pub compound: Option<compound::Model>,
    /// The parties the caller speaks for where the agenda lives.
    pub kinds: Vec<PartyKind>,
}

impl LoadedAgenda {
    /// Where the agenda stands.
    pub fn status(&self) -> AgendaStatus {
        self.agenda.status
    }
}

/// Allow `p` where an agenda lives: its compound, or for a community-wide agenda, the community,
/// where only the community office manages it and everyone takes part.
pub fn authorize(actor: &Actor, a: &LoadedAgenda, p: Permission) -> AppResult<()> {
    match &a.compound {
        Some(c) => actor.authorize_compound(p, c),
        None => actor.authorize_community(p, a.agenda.community_id),
    }
}

/// Allow withdrawing: those who manage the agenda, or whoever opened a compound agenda.
pub fn authorize_withdraw(actor: &Actor, a: &LoadedAgenda) -> AppResult<()> {
    if withdraw_needs_managing(a.agenda.opened_by == actor.user.id, a.compound.is_none()) {
        authorize(actor, a, Permission::ManageAgendas)
    } else {
        Ok(())
    }
}

/// The parties an actor speaks for across a community (for community-wide agendas).
pub fn community_kinds(actor: &Actor, community_id: i64) -> Vec<PartyKind> {
    party_kinds_of(actor.roles().filter(|(_, m)| m.community_id == Some(community_id)).map(|(r, _)| r))
}

/// Load an agenda the caller may see.
pub async fn agenda_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoadedAgenda> {
    let agenda = agenda::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let compound = match agenda.compound_id {
        Some(c) => Some(compound::Entity::find_by_id(c).one(db).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let kinds = match &compound {
        Some(c) => party_kinds(actor, c),
        None => community_kinds(actor, agenda.community_id),
    };
    let a = LoadedAgenda { agenda, compound, kinds };
    authorize(actor, &a, Permission::ViewAgendas)?;
    Ok(a)
}
