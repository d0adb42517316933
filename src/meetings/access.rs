//! Who may see a meeting, and who may act on it.
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{Visibility, kinds::MeetingKind};
use crate::{
    auth::Actor,
    entities::{compound, meeting, meeting_compound, meeting_invitation},
    error::{AppError, AppResult},
    policy::{Permission, Role, RoleScope},
};

/// A meeting with the compounds taking part and the caller's invitation.
pub struct LoadedMeeting {
    pub meeting: meeting::Model,
    pub compounds: Vec<compound::Model>,
    pub mine: Option<meeting_invitation::Model>,
}

impl LoadedMeeting {
    pub fn kind(&self) -> MeetingKind {
        self.meeting.kind
    }
}

/// Whether the caller speaks for the community office of `community_id` (or is an administrator).
pub fn is_office(actor: &Actor, community_id: i64) -> bool {
    actor.is_admin() || actor.roles_in_community(community_id).into_iter().any(|r| r.scope() == RoleScope::Community)
}

/// Allow `p` on a meeting: in a compound taking part, or, for a meeting of no compound, in its
/// community. A mediation is shown only to those invited and to the community office: everyone
/// else gets 404, as if it did not exist.
pub fn authorize(actor: &Actor, m: &LoadedMeeting, p: Permission) -> AppResult<()> {
    if m.kind().rules().visibility == Visibility::SidesAndOffice
        && m.mine.is_none()
        && !is_office(actor, m.meeting.community_id)
    {
        return Err(AppError::NotFound);
    }
    if m.compounds.is_empty() {
        return actor.authorize_community(p, m.meeting.community_id);
    }
    // Allowed in one compound taking part is enough; otherwise the answer of the first (404 to
    // whoever has no role in any of them).
    let mut refusal = None;
    for c in &m.compounds {
        match actor.authorize_compound(p, c) {
            Ok(()) => return Ok(()),
            Err(AppError::Forbidden) => refusal = Some(AppError::Forbidden),
            Err(e) => refusal = refusal.or(Some(e)),
        }
    }
    Err(refusal.unwrap_or(AppError::NotFound))
}

/// Whether the caller may postpone or cancel: whoever convened it, or the convening body (the
/// community office for its kinds, the committee chair for the committee's). Administrators do
/// not run meetings.
pub fn may_manage(actor: &Actor, m: &LoadedMeeting) -> bool {
    if m.meeting.convened_by == actor.user.id {
        return true;
    }
    let conveners = m.kind().rules().convened_by;
    if conveners.iter().any(|r| r.scope() == RoleScope::Community) {
        return actor
            .roles_in_community(m.meeting.community_id)
            .into_iter()
            .any(|r| conveners.contains(&r) && r.scope() == RoleScope::Community);
    }
    m.compounds.iter().any(|c| actor.roles_in_compound(c).into_iter().any(|r| r == Role::CommitteeChair))
}

/// Load a meeting the caller may see.
pub async fn meeting_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoadedMeeting> {
    let meeting = meeting::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let ids: Vec<i64> = meeting_compound::Entity::find()
        .filter(meeting_compound::Column::MeetingId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|mc| mc.compound_id)
        .collect();
    let compounds = compound::Entity::find().filter(compound::Column::Id.is_in(ids)).all(db).await?;
    let mine = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(id))
        .filter(meeting_invitation::Column::UserId.eq(actor.user.id))
        .one(db)
        .await?;
    let m = LoadedMeeting { meeting, compounds, mine };
    authorize(actor, &m, Permission::ViewMeetings)?;
    Ok(m)
}
