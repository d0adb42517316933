//! Who may see a concern, who may take which step, and who speaks for a party.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{ConcernActions, ConcernStatus, ConcernStep, next_status, party_kinds, party_roles};
use crate::{
    auth::Actor,
    entities::{compound, concern, membership},
    error::{AppError, AppResult},
    msg,
    policy::{PartyKind, Permission},
};

/// A concern with its compound, as the caller may see it.
pub struct Loaded {
    pub concern: concern::Model,
    pub compound: compound::Model,
    /// The parties the caller speaks for in the compound.
    pub kinds: Vec<PartyKind>,
    /// The caller raised it.
    pub mine: bool,
}

impl Loaded {
    /// Where the concern stands.
    pub fn status(&self) -> ConcernStatus {
        self.concern.status
    }

    /// The party it is assigned to, once routed.
    pub fn assigned(&self) -> Option<PartyKind> {
        self.concern.assigned_kind.as_deref().and_then(PartyKind::parse)
    }

    /// The caller speaks for the party it is assigned to.
    fn speaks_for_assigned(&self) -> bool {
        self.assigned().is_some_and(|k| self.kinds.contains(&k))
    }
}

/// Load a concern the caller may see: its raiser, the three parties of its compound, the
/// community office. Anyone else — owners of the same compound included — is told it does not exist.
pub async fn concern_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Loaded> {
    let concern = concern::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let compound = compound::Entity::find_by_id(concern.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mine = concern.raised_by == actor.user.id;
    if !mine {
        actor.authorize_compound(Permission::ViewConcerns, &compound).map_err(|e| match e {
            AppError::Forbidden => AppError::NotFound,
            e => e,
        })?;
    }
    let kinds = party_kinds(actor, &compound);
    Ok(Loaded { concern, compound, kinds, mine })
}

/// A refused step as the API answers it.
pub fn refuse((code, message): crate::concerns::Refusal) -> AppError {
    AppError::conflict(code, message)
}

/// The caller must speak for the party the concern is assigned to.
pub fn require_assigned(actor: &Actor, l: &Loaded) -> AppResult<()> {
    actor.authorize_compound(Permission::HandleConcerns, &l.compound)?;
    match l.assigned() {
        None => Err(refuse(("concern_not_routed", msg!("concern_not_routed")))),
        Some(_) if l.speaks_for_assigned() => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// A reply comes from the assigned party, or from the community office at any time.
pub fn require_replier(actor: &Actor, l: &Loaded) -> AppResult<()> {
    actor.authorize_compound(Permission::HandleConcerns, &l.compound)?;
    if l.kinds.contains(&PartyKind::CommunityOffice) { Ok(()) } else { require_assigned(actor, l) }
}

/// Only the person who raised it confirms, reopens and rates.
pub fn require_raiser(l: &Loaded) -> AppResult<()> {
    if l.mine { Ok(()) } else { Err(AppError::Forbidden) }
}

/// What the caller may do now.
pub fn actions(actor: &Actor, l: &Loaded) -> ConcernActions {
    let status = l.status();
    let may = |p: Permission| actor.authorize_compound(p, &l.compound).is_ok();
    let ok = |step: ConcernStep| next_status(status, step).is_ok();
    let assigned = l.speaks_for_assigned() && may(Permission::HandleConcerns);
    let office = l.kinds.contains(&PartyKind::CommunityOffice);
    ConcernActions {
        route: may(Permission::RouteConcerns) && ok(ConcernStep::Routed),
        acknowledge: assigned && ok(ConcernStep::Acknowledged),
        reply: (assigned || (office && may(Permission::HandleConcerns))) && ok(ConcernStep::Replied),
        resolve: assigned && ok(ConcernStep::Resolved),
        confirm: l.mine && ok(ConcernStep::Confirmed),
        reopen: l.mine && ok(ConcernStep::Reopened),
        rate: l.mine && ok(ConcernStep::Rated) && l.concern.rating.is_none(),
        escalate: may(Permission::EscalateConcerns) && ok(ConcernStep::Escalated),
        add_photos: l.mine && ok(ConcernStep::PhotoAdded),
        open_agenda: may(Permission::OpenAgendas) && l.concern.agenda_id.is_none(),
    }
}

/// The accounts of a party of `c`: its compound's members, or for the community office, the
/// community-wide staff.
pub async fn party_members(db: &impl ConnectionTrait, c: &compound::Model, kind: PartyKind) -> AppResult<Vec<i64>> {
    let roles = party_roles(kind).map(|r| r.as_str());
    let mut find = membership::Entity::find().filter(membership::Column::Role.is_in(roles));
    find = match kind {
        PartyKind::CommunityOffice => find
            .filter(membership::Column::CommunityId.eq(c.community_id))
            .filter(membership::Column::CompoundId.is_null()),
        _ => find.filter(membership::Column::CompoundId.eq(c.id)),
    };
    Ok(find.all(db).await?.into_iter().map(|m| m.user_id).collect())
}
