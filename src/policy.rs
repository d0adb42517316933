//! Who may do what, in one place.
//!
//! Every handler names the [`Permission`] it needs and the compound or community it acts on;
//! [`roles_for`] is the whole table. A user with no role at all where the object lives gets 404
//! (they may not even learn it exists); a user with some role there, but not one of these, gets 403.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Secretary,
    CommunityStaff,
    PropertyManager,
    PropertyStaff,
    CommitteeChair,
    CommitteeMember,
    Owner,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    CommunityOffice,
    PropertyCompany,
    OwnersCommittee,
}

/// Where a role is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleScope {
    Global,
    /// Held in a community office: reaches every compound of the community.
    Community,
    /// Held in a party of one compound.
    Party(PartyKind),
    /// Held in one compound as a verified owner.
    Compound,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Secretary,
        Role::CommunityStaff,
        Role::PropertyManager,
        Role::PropertyStaff,
        Role::CommitteeChair,
        Role::CommitteeMember,
        Role::Owner,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Secretary => "secretary",
            Role::CommunityStaff => "community_staff",
            Role::PropertyManager => "property_manager",
            Role::PropertyStaff => "property_staff",
            Role::CommitteeChair => "committee_chair",
            Role::CommitteeMember => "committee_member",
            Role::Owner => "owner",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The party whose member holds this role: the role's holder speaks officially for it.
    pub fn party_kind(self) -> Option<PartyKind> {
        match self {
            Role::Secretary | Role::CommunityStaff => Some(PartyKind::CommunityOffice),
            Role::PropertyManager | Role::PropertyStaff => Some(PartyKind::PropertyCompany),
            Role::CommitteeChair | Role::CommitteeMember => Some(PartyKind::OwnersCommittee),
            Role::Admin | Role::Owner => None,
        }
    }

    pub fn scope(self) -> RoleScope {
        match self {
            Role::Admin => RoleScope::Global,
            Role::Secretary | Role::CommunityStaff => RoleScope::Community,
            Role::PropertyManager | Role::PropertyStaff => RoleScope::Party(PartyKind::PropertyCompany),
            Role::CommitteeChair | Role::CommitteeMember => RoleScope::Party(PartyKind::OwnersCommittee),
            Role::Owner => RoleScope::Compound,
        }
    }
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::CommunityOffice => "community_office",
            PartyKind::PropertyCompany => "property_company",
            PartyKind::OwnersCommittee => "owners_committee",
        }
    }

    pub fn parse(s: &str) -> Option<PartyKind> {
        [PartyKind::CommunityOffice, PartyKind::PropertyCompany, PartyKind::OwnersCommittee]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// Something a handler does that not everyone may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// See a community: its compounds and parties.
    ViewCommunity,
    /// See a compound's summary: buildings, parties, totals.
    ViewCompound,
    /// See the owner roster: units, areas, holders and their history.
    ViewRoster,
    /// Import or re-import the roster sheet.
    ImportRoster,
    /// Link a user to a holder, or print an invitation code for one.
    VerifyOwners,
    /// Read the audit trail.
    ViewAudit,
    /// Create communities, compounds, buildings; rename parties; manage accounts and roles.
    ManageTenancy,
    /// See the compound's votes and their public ballot lists and results.
    ViewVotes,
    /// Draft, publish, extend or cancel a vote.
    ManageVotes,
    /// Watch live turnout of an open vote.
    ViewTurnout,
    /// Enter or confirm paper ballots; register written proxies.
    CountPaper,
    /// Cast a ballot for one's own holding.
    CastBallot,
    /// Upload files (attachments, scans) and read any file of the compound.
    UploadFiles,
    /// Raise a concern (诉求) in a compound.
    RaiseConcern,
    /// See every concern of a compound (the raiser always sees their own).
    ViewConcerns,
    /// Route a concern to the party on duty, or take it on as the community office.
    RouteConcerns,
    /// Acknowledge, answer and resolve concerns routed to one's own party.
    HandleConcerns,
    /// Escalate a concern to an outside department (吹哨) and record its response (报到).
    EscalateConcerns,
    /// Edit a community's concern categories, their default party and time limit.
    ManageConcernCategories,
    /// The secretary's dashboard of concerns across the community.
    ViewConcernDashboard,
    /// See agendas and their discussion.
    ViewAgendas,
    /// Open an agenda (议题).
    OpenAgendas,
    /// Move an agenda through deliberation to its decision, close or withdraw it.
    ManageAgendas,
    /// Co-sign (附议) an agenda for one's own holding.
    CosignAgendas,
    /// Take part in an agenda's discussion.
    CommentAgendas,
    /// Hide a comment from the discussion, with a reason.
    ModerateAgendas,
    /// See the compound's questionnaires (the audience decides which).
    ViewQuestionnaires,
    /// Build, publish and close questionnaires.
    ManageQuestionnaires,
    /// See a questionnaire's results at any time, and export them.
    SeeQuestionnaireResults,
    /// Answer a questionnaire one is asked.
    AnswerQuestionnaires,
    /// Issue or confirm a password recovery code for an account of the community.
    RecoverAccounts,
    /// Publish a notice as one's party to everyone in the compound.
    PublishNotices,
    /// See the notices published in the compound and how many have read them.
    ViewPublishedNotices,
    /// See the meetings held where one has a role (a mediation only to its sides and the office).
    ViewMeetings,
    /// Convene a meeting: each kind narrows who (see `meetings::kinds`).
    ConveneMeetings,
    /// See the conventions in consultation and after (drafts: their drafters and the office).
    ViewConventions,
    /// Draft a convention as one's party: each kind narrows which party (see `conventions::rules`).
    DraftConventions,
    /// Comment on a convention's articles, propose amendments and support them.
    CommentConventions,
}

/// The roles that hold a permission (within the scope of the object acted on).
pub fn roles_for(p: Permission) -> &'static [Role] {
    use Role::*;
    match p {
        Permission::ViewCommunity => &Role::ALL,
        Permission::ViewCompound => &Role::ALL,
        Permission::ViewRoster => {
            &[Admin, Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
        Permission::ImportRoster | Permission::VerifyOwners => {
            &[Admin, Secretary, CommunityStaff, CommitteeChair, CommitteeMember]
        }
        Permission::ViewAudit => &[Admin, Secretary],
        Permission::ManageTenancy => &[Admin],
        Permission::ViewVotes => &Role::ALL,
        // The owners' committee convenes the assembly; the secretary, for three-party matters.
        Permission::ManageVotes => &[Admin, Secretary, CommitteeChair, CommitteeMember],
        Permission::ViewTurnout => &[Admin, Secretary, CommunityStaff, CommitteeChair, CommitteeMember],
        // The property company may be a party to the matter (hiring or dismissing it), so it
        // never handles ballots.
        Permission::CountPaper => &[Secretary, CommunityStaff, CommitteeChair, CommitteeMember],
        Permission::CastBallot => &[Owner],
        Permission::UploadFiles => &[Admin, Secretary, CommunityStaff, CommitteeChair, CommitteeMember],
        Permission::RaiseConcern | Permission::CommentAgendas => {
            &[Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember, Owner]
        }
        Permission::ViewConcerns => {
            &[Admin, Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
        // Routing by duty (分类解决) and escalation (吹哨) are the community office's.
        Permission::RouteConcerns | Permission::EscalateConcerns => &[Secretary, CommunityStaff],
        Permission::HandleConcerns | Permission::OpenAgendas => {
            &[Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
        Permission::ManageConcernCategories => &[Admin, Secretary],
        // Two clerks of the community office, who check the owner's documents in person.
        Permission::RecoverAccounts => &[Secretary, CommunityStaff],
        Permission::ViewConcernDashboard => &[Admin, Secretary, CommunityStaff],
        Permission::ViewAgendas => &Role::ALL,
        Permission::ManageAgendas => &[Secretary, CommunityStaff, CommitteeChair, CommitteeMember],
        // Co-signing counts holdings toward the statutory 20 % (指导规则 Art. 21): owners only.
        Permission::CosignAgendas => &[Owner],
        Permission::ModerateAgendas => &[Secretary, CommitteeChair, CommitteeMember],
        Permission::ViewQuestionnaires => &Role::ALL,
        // The committee, the secretary or the property company runs a questionnaire (seed 001).
        Permission::ManageQuestionnaires => {
            &[Admin, Secretary, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
        Permission::SeeQuestionnaireResults | Permission::ViewPublishedNotices => {
            &[Admin, Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
        Permission::AnswerQuestionnaires => {
            &[Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember, Owner]
        }
        // A notice speaks for a party; an administrator is none of them.
        Permission::ViewMeetings => &Role::ALL,
        // The community office convenes its kinds; the owners' committee its own and the
        // assembly's sittings.
        Permission::ConveneMeetings => &[Secretary, CommunityStaff, CommitteeChair, CommitteeMember],
        Permission::ViewConventions => &Role::ALL,
        // The kind narrows it further: the covenant and the rules are the committee's.
        Permission::DraftConventions => {
            &[Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
        Permission::CommentConventions => {
            &[Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember, Owner]
        }
        Permission::PublishNotices => {
            &[Secretary, CommunityStaff, PropertyManager, PropertyStaff, CommitteeChair, CommitteeMember]
        }
    }
}

/// Whether `p` manages the object it is used on (tables it, steers its course, keeps order in
/// its discussion) rather than takes part in it.
pub fn manages(p: Permission) -> bool {
    matches!(
        p,
        Permission::OpenAgendas
            | Permission::ManageAgendas
            | Permission::ModerateAgendas
            | Permission::ManageVotes
            | Permission::ManageQuestionnaires
            | Permission::ConveneMeetings
            | Permission::DraftConventions
    )
}

/// Whether `role`, held somewhere in a community, holds `p` on an object of the whole community
/// (a community-wide agenda).
///
/// Taking part is for everyone the table lets in, whichever compound their role is in. Managing
/// is the community office's alone: a compound's property company or owners' committee speaks
/// for its own compound, not for the others, so it neither moderates nor decides for them all.
pub fn holds_community_wide(p: Permission, role: Role) -> bool {
    roles_for(p).contains(&role) && (!manages(p) || matches!(role.scope(), RoleScope::Community | RoleScope::Global))
}

/// Whether one of the roles `held` in a compound speaks for its party of `kind`: the community
/// office's staff for the office, a party's members for their party.
pub fn speaks_for(held: &[Role], kind: PartyKind) -> bool {
    held.iter().any(|r| match (r.scope(), kind) {
        (RoleScope::Community, PartyKind::CommunityOffice) => matches!(r, Role::Secretary | Role::CommunityStaff),
        (RoleScope::Party(k), _) => k == kind,
        _ => false,
    })
}

/// The parties the roles `held` speak for: the community office for its staff, the property
/// company or the owners' committee for theirs; each once, in a fixed order.
pub fn party_kinds_of(held: impl IntoIterator<Item = Role>) -> Vec<PartyKind> {
    let mut kinds: Vec<PartyKind> = held
        .into_iter()
        .filter_map(|r| match r.scope() {
            RoleScope::Community => Some(PartyKind::CommunityOffice),
            RoleScope::Party(k) => Some(k),
            _ => None,
        })
        .collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn owners_and_property_staff_cannot_touch_the_roster_import() {
        let importers = roles_for(Permission::ImportRoster);
        assert!(!importers.contains(&Role::Owner));
        assert!(!importers.contains(&Role::PropertyStaff));
        assert!(importers.contains(&Role::Secretary));
        assert!(importers.contains(&Role::CommitteeMember));
    }

    #[test]
    fn the_property_company_never_handles_ballots() {
        for p in [Permission::CountPaper, Permission::ManageVotes] {
            assert!(!roles_for(p).contains(&Role::PropertyManager));
            assert!(!roles_for(p).contains(&Role::PropertyStaff));
        }
    }

    #[test]
    fn only_owners_cosign_and_only_the_community_office_routes_concerns() {
        assert_eq!(roles_for(Permission::CosignAgendas), &[Role::Owner]);
        for r in roles_for(Permission::RouteConcerns) {
            assert_eq!(r.scope(), RoleScope::Community);
        }
        assert!(!roles_for(Permission::ModerateAgendas).contains(&Role::PropertyManager));
    }

    #[test]
    fn owners_answer_questionnaires_but_neither_build_them_nor_publish_notices() {
        assert!(roles_for(Permission::AnswerQuestionnaires).contains(&Role::Owner));
        for p in [Permission::ManageQuestionnaires, Permission::PublishNotices, Permission::SeeQuestionnaireResults] {
            assert!(!roles_for(p).contains(&Role::Owner));
        }
        assert!(!roles_for(Permission::PublishNotices).contains(&Role::Admin));
    }

    #[test]
    fn each_party_speaks_for_itself_only() {
        assert!(speaks_for(&[Role::Secretary], PartyKind::CommunityOffice));
        assert!(!speaks_for(&[Role::Secretary], PartyKind::OwnersCommittee));
        assert!(speaks_for(&[Role::PropertyStaff], PartyKind::PropertyCompany));
        assert!(!speaks_for(&[Role::PropertyStaff, Role::Owner, Role::Admin], PartyKind::CommunityOffice));
        assert!(speaks_for(&[Role::Owner, Role::CommitteeMember], PartyKind::OwnersCommittee));
    }

    #[test]
    fn only_admins_manage_tenancy() {
        assert_eq!(roles_for(Permission::ManageTenancy), &[Role::Admin]);
    }

    #[test]
    fn only_the_community_office_manages_a_community_wide_object() {
        for p in [Permission::OpenAgendas, Permission::ManageAgendas, Permission::ModerateAgendas] {
            assert!(manages(p));
            assert!(holds_community_wide(p, Role::Secretary));
            for r in
                [Role::PropertyManager, Role::PropertyStaff, Role::CommitteeChair, Role::CommitteeMember, Role::Owner]
            {
                assert!(!holds_community_wide(p, r), "{r:?} must not {p:?} a community-wide object");
            }
        }
        // Still as the table says: staff of the office do not moderate.
        assert!(holds_community_wide(Permission::ManageAgendas, Role::CommunityStaff));
        assert!(!holds_community_wide(Permission::ModerateAgendas, Role::CommunityStaff));
    }

    #[test]
    fn everyone_of_the_community_takes_part_in_a_community_wide_object() {
        for p in [Permission::ViewAgendas, Permission::CommentAgendas] {
            assert!(!manages(p));
            for r in roles_for(p) {
                assert!(holds_community_wide(p, *r));
            }
        }
        assert!(holds_community_wide(Permission::CommentAgendas, Role::CommitteeMember));
        assert!(holds_community_wide(Permission::CommentAgendas, Role::Owner));
        assert!(!holds_community_wide(Permission::CommentAgendas, Role::Admin));
    }
}
