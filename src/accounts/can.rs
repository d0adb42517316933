//! What the caller may do in each compound and community they reach, for the screens to offer
//! only that: read from the same [`Actor`] checks the handlers make, never from a second table.
use std::collections::BTreeSet;

use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::Actor,
    entities::compound,
    error::AppResult,
    policy::{PartyKind, Permission, Role, RoleScope, speaks_for},
};

/// What the caller may do in one compound.
#[derive(Serialize, ToSchema, Clone, Debug, Default, PartialEq, Eq)]
pub struct CompoundCan {
    /// See the owner roster: units and holders.
    pub view_roster: bool,
    /// Import the roster sheet.
    pub import_roster: bool,
    /// Link owners to holders, print invitations, confirm others' links.
    pub verify_owners: bool,
    /// Read the compound's audit trail.
    pub view_audit: bool,
    /// Draft, publish, extend or cancel votes.
    pub manage_votes: bool,
    /// Enter and confirm paper ballots, keep the proxy registry.
    pub count_paper: bool,
    /// Raise a concern.
    pub raise_concern: bool,
    /// See every concern of the compound, not only one's own.
    pub view_concerns: bool,
    /// Open an agenda.
    pub open_agendas: bool,
    /// Build, publish and close questionnaires.
    pub manage_questionnaires: bool,
    /// See the notices published in the compound and how many read them.
    pub view_published_notices: bool,
    /// The parties the caller may publish a notice for; empty when none.
    pub publish_as: Vec<PartyKind>,
}

/// What the caller may do in one community as a whole.
#[derive(Serialize, ToSchema, Clone, Debug, Default, PartialEq, Eq)]
pub struct CommunityCan {
    /// See the community: its compounds and parties.
    pub view_community: bool,
    /// Read the audit trail of the community.
    pub view_audit: bool,
    /// The concern dashboard of the whole community.
    pub view_concern_dashboard: bool,
    /// Edit the community's concern categories.
    pub manage_concern_categories: bool,
    /// Open an agenda for the whole community.
    pub open_agendas: bool,
    /// Issue or confirm password recovery codes for the community's accounts.
    pub recover_accounts: bool,
}

/// What the caller may do whatever their roles in a place: an administrator's reach.
#[derive(Serialize, ToSchema, Clone, Debug, Default, PartialEq, Eq)]
pub struct GlobalCan {
    /// Manage communities, compounds, accounts and roles.
    pub manage_tenancy: bool,
    /// Read an audit trail beyond one compound: all of it, or one's communities'.
    pub view_audit: bool,
    /// The roles the caller may grant, and where each is held; empty for all but administrators.
    pub grant_roles: Vec<GrantableRole>,
    /// What the caller may do in any compound, also one not listed in `compounds`.
    pub compound: CompoundCan,
    /// What the caller may do in any community, also one not listed in `communities`.
    pub community: CommunityCan,
}

/// Where a granted role is held: the scope a grant names.
#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HeldIn {
    /// Everywhere: no place to name.
    Global,
    /// A community's office: a community to name.
    Community,
    /// A party of one compound: a compound to name.
    Compound,
}

/// A role an administrator may grant.
#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrantableRole {
    pub role: Role,
    pub held_in: HeldIn,
}

/// The roles that are granted, and where each is held; owners are made by linking them to a
/// holder instead.
pub fn grantable_roles() -> Vec<GrantableRole> {
    Role::ALL
        .into_iter()
        .filter_map(|role| {
            let held_in = match role.scope() {
                RoleScope::Global => HeldIn::Global,
                RoleScope::Community => HeldIn::Community,
                RoleScope::Party(_) => HeldIn::Compound,
                RoleScope::Compound => return None,
            };
            Some(GrantableRole { role, held_in })
        })
        .collect()
}

/// A compound the caller holds a role in, or that a community-office role of theirs reaches.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct CompoundAccess {
    pub compound_id: i64,
    pub community_id: i64,
    pub can: CompoundCan,
}

/// A community the caller holds a role in (in its office or in one of its compounds).
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct CommunityAccess {
    pub community_id: i64,
    pub can: CommunityCan,
}

const PARTIES: [PartyKind; 3] = [PartyKind::CommunityOffice, PartyKind::PropertyCompany, PartyKind::OwnersCommittee];

/// The flags of one compound from `may`, the answer to "may the caller do this here?".
fn compound_flags(may: impl Fn(Permission) -> bool, speaks: impl Fn(PartyKind) -> bool) -> CompoundCan {
    let publish = may(Permission::PublishNotices);
    CompoundCan {
        view_roster: may(Permission::ViewRoster),
        import_roster: may(Permission::ImportRoster),
        verify_owners: may(Permission::VerifyOwners),
        view_audit: may(Permission::ViewAudit),
        manage_votes: may(Permission::ManageVotes),
        count_paper: may(Permission::CountPaper),
        raise_concern: may(Permission::RaiseConcern),
        view_concerns: may(Permission::ViewConcerns),
        open_agendas: may(Permission::OpenAgendas),
        manage_questionnaires: may(Permission::ManageQuestionnaires),
        view_published_notices: may(Permission::ViewPublishedNotices),
        publish_as: PARTIES.into_iter().filter(|k| publish && speaks(*k)).collect(),
    }
}

fn community_flags(may: impl Fn(Permission) -> bool) -> CommunityCan {
    CommunityCan {
        view_community: may(Permission::ViewCommunity),
        view_audit: may(Permission::ViewAudit),
        view_concern_dashboard: may(Permission::ViewConcernDashboard),
        manage_concern_categories: may(Permission::ManageConcernCategories),
        open_agendas: may(Permission::OpenAgendas),
        recover_accounts: may(Permission::RecoverAccounts),
    }
}

/// What `actor` may do in compound `c`, as [`Actor::authorize_compound`] decides.
pub fn compound_can(actor: &Actor, c: &compound::Model) -> CompoundCan {
    let held = actor.roles_in_compound(c);
    compound_flags(|p| actor.authorize_compound(p, c).is_ok(), |k| speaks_for(&held, k))
}

/// What `actor` may do in community `id` as a whole, as [`Actor::authorize_community`] decides.
pub fn community_can(actor: &Actor, id: i64) -> CommunityCan {
    community_flags(|p| actor.authorize_community(p, id).is_ok())
}

/// What `actor` may do everywhere.
pub fn global_can(actor: &Actor) -> GlobalCan {
    let manage_tenancy = actor.authorize_global(Permission::ManageTenancy).is_ok();
    GlobalCan {
        manage_tenancy,
        grant_roles: if manage_tenancy { grantable_roles() } else { Vec::new() },
        view_audit: actor.is_admin() || communities_of(actor).iter().any(|id| community_can(actor, *id).view_audit),
        compound: compound_flags(|p| actor.admin_holds(p), |_| false),
        community: community_flags(|p| actor.admin_holds_community_wide(p)),
    }
}

/// The communities `actor` holds a role in, in their office or in one of their compounds.
pub fn communities_of(actor: &Actor) -> Vec<i64> {
    let ids: BTreeSet<i64> = actor.roles().filter_map(|(_, m)| m.community_id).collect();
    ids.into_iter().collect()
}

/// The communities whose every compound a community-office role of `actor` reaches.
fn office_communities(actor: &Actor) -> Vec<i64> {
    let ids: BTreeSet<i64> = actor
        .roles()
        .filter(|(r, m)| r.scope() == RoleScope::Community && m.compound_id.is_none())
        .filter_map(|(_, m)| m.community_id)
        .collect();
    ids.into_iter().collect()
}

/// Every compound `actor` reaches and every community they hold a role in, with what they may do
/// there, in one query.
pub async fn access_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> AppResult<(Vec<CompoundAccess>, Vec<CommunityAccess>)> {
    let own: Vec<i64> = actor.roles().filter_map(|(_, m)| m.compound_id).collect();
    let compounds = compound::Entity::find()
        .filter(
            Condition::any()
                .add(compound::Column::Id.is_in(own))
                .add(compound::Column::CommunityId.is_in(office_communities(actor))),
        )
        .order_by_asc(compound::Column::Id)
        .all(db)
        .await?;
    let compounds = compounds
        .iter()
        .map(|c| CompoundAccess { compound_id: c.id, community_id: c.community_id, can: compound_can(actor, c) })
        .collect();
    let communities = communities_of(actor)
        .into_iter()
        .map(|id| CommunityAccess { community_id: id, can: community_can(actor, id) })
        .collect();
    Ok((compounds, communities))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::{membership, user};

    fn actor(roles: &[(Role, Option<i64>, Option<i64>)]) -> Actor {
        let now = chrono::Utc::now();
        let user = user::Model {
            id: 1,
            username: "u".into(),
            phone: None,
            display_name: "u".into(),
            password_hash: String::new(),
            is_active: true,
            created_at: now,
            language: None,
        };
        let memberships = roles
            .iter()
            .enumerate()
            .map(|(i, (r, community_id, compound_id))| membership::Model {
                id: i as i64 + 1,
                user_id: 1,
                role: r.as_str().into(),
                community_id: *community_id,
                compound_id: *compound_id,
                party_id: None,
                scope_key: String::new(),
                created_at: now,
            })
            .collect();
        Actor { user, memberships }
    }

    fn compound(id: i64, community_id: i64) -> compound::Model {
        compound::Model {
            id,
            community_id,
            name: "c".into(),
            address: None,
            created_at: chrono::Utc::now(),
            notice_days: 15,
            publicity_days: 7,
        }
    }

    #[test]
    fn the_committee_manages_votes_in_its_own_compound_only() {
        let chair = actor(&[(Role::CommitteeChair, Some(1), Some(2))]);
        let own = compound_can(&chair, &compound(2, 1));
        assert!(own.manage_votes && own.count_paper && own.import_roster && own.open_agendas);
        assert!(!own.view_audit);
        assert_eq!(own.publish_as, vec![PartyKind::OwnersCommittee]);
        assert_eq!(compound_can(&chair, &compound(3, 1)), CompoundCan::default());
    }

    #[test]
    fn the_property_company_never_handles_ballots_but_builds_questionnaires() {
        let manager = actor(&[(Role::PropertyManager, Some(1), Some(2))]);
        let can = compound_can(&manager, &compound(2, 1));
        assert!(!can.manage_votes && !can.count_paper && !can.import_roster);
        assert!(can.view_roster && can.manage_questionnaires && can.view_concerns);
        assert_eq!(can.publish_as, vec![PartyKind::PropertyCompany]);
    }

    #[test]
    fn a_secretary_reaches_every_compound_of_their_community_and_no_other() {
        let secretary = actor(&[(Role::Secretary, Some(1), None)]);
        let can = compound_can(&secretary, &compound(9, 1));
        assert!(can.view_audit && can.manage_votes && can.verify_owners);
        assert_eq!(can.publish_as, vec![PartyKind::CommunityOffice]);
        assert_eq!(compound_can(&secretary, &compound(9, 2)), CompoundCan::default());
        let office = community_can(&secretary, 1);
        assert!(
            office.view_audit && office.manage_concern_categories && office.recover_accounts && office.open_agendas
        );
        assert_eq!(community_can(&secretary, 2), CommunityCan::default());
        assert_eq!(office_communities(&secretary), vec![1]);
        assert!(global_can(&secretary).view_audit && !global_can(&secretary).manage_tenancy);
    }

    #[test]
    fn a_compound_party_sees_its_community_but_does_not_act_for_it() {
        let member = actor(&[(Role::CommitteeMember, Some(1), Some(2))]);
        let can = community_can(&member, 1);
        assert!(can.view_community);
        assert!(!can.open_agendas && !can.view_audit && !can.recover_accounts && !can.view_concern_dashboard);
        assert_eq!(communities_of(&member), vec![1]);
        assert!(office_communities(&member).is_empty());
    }

    #[test]
    fn owners_only_take_part() {
        let owner = actor(&[(Role::Owner, Some(1), Some(2))]);
        let can = compound_can(&owner, &compound(2, 1));
        assert_eq!(can, CompoundCan { raise_concern: true, ..CompoundCan::default() });
        assert!(!compound_can(&owner, &compound(3, 1)).raise_concern);
        assert_eq!(global_can(&owner), GlobalCan::default());
    }

    #[test]
    fn an_administrator_holds_what_the_table_gives_them_everywhere() {
        let admin = actor(&[(Role::Admin, None, None)]);
        let g = global_can(&admin);
        assert!(g.manage_tenancy && g.view_audit);
        assert_eq!(g.grant_roles.len(), Role::ALL.len() - 1, "all but the owner");
        assert!(g.grant_roles.contains(&GrantableRole { role: Role::Secretary, held_in: HeldIn::Community }));
        assert!(g.grant_roles.contains(&GrantableRole { role: Role::CommitteeChair, held_in: HeldIn::Compound }));
        assert!(global_can(&actor(&[(Role::Secretary, Some(1), None)])).grant_roles.is_empty());
        assert!(g.compound.manage_votes && g.compound.view_roster && g.compound.view_audit);
        assert!(!g.compound.count_paper && !g.compound.raise_concern && g.compound.publish_as.is_empty());
        assert!(g.community.view_concern_dashboard && !g.community.recover_accounts);
        assert_eq!(compound_can(&admin, &compound(5, 5)), g.compound);
        assert_eq!(community_can(&admin, 5), g.community);
    }
}
