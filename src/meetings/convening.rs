//! Convening a meeting: checked against its kind's rules, its items and invitations stored with
//! it in one go, and everyone invited told.
use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::json;

use super::{Answer, Capacity, Invitees, ItemStatus, MeetingStatus, NewItem, NewMeeting, check_start};
use crate::{
    audit,
    auth::Actor,
    entities::{community, compound, meeting, meeting_compound, meeting_invitation, meeting_item, membership},
    error::{AppError, AppResult},
    msg,
    notices::{self, NewNotice, NoticeText},
    policy::{PartyKind, Permission, Role, RoleScope},
    text::{optional_text, required_text},
};

/// Items a meeting may have at most.
pub const ITEMS_MAX: usize = 30;

/// Someone to invite, and in what capacity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invitee {
    pub user_id: i64,
    pub party_id: Option<i64>,
    pub capacity: Capacity,
}

/// Whom a meeting of these invitees asks, from the memberships of its community: the parties'
/// people of the compounds taking part (and the community office), committee members, owners or
/// residents, and the people named. One invitation per person, in the first capacity found
/// (speaking for a party before anything else).
pub fn invitees_of(
    invitees: Invitees,
    compounds: &[i64],
    memberships: &[membership::Model],
    named: &[i64],
) -> Vec<Invitee> {
    let in_scope = |m: &membership::Model| match m.compound_id {
        Some(c) => compounds.contains(&c),
        None => true,
    };
    let role = |m: &membership::Model| Role::parse(&m.role);
    let party = |m: &membership::Model| {
        role(m).filter(|r| r.party_kind().is_some()).map(|_| Invitee {
            user_id: m.user_id,
            party_id: m.party_id,
            capacity: Capacity::Party,
        })
    };
    let office = |m: &membership::Model| role(m).is_some_and(|r| r.scope() == RoleScope::Community);
    let mut out: Vec<Invitee> = Vec::new();
    let mut add = |i: Invitee| {
        if !out.iter().any(|o| o.user_id == i.user_id) {
            out.push(i);
        }
    };
    let scoped = memberships.iter().filter(|m| in_scope(m));
    match invitees {
        Invitees::Parties => scoped.filter_map(party).for_each(&mut add),
        Invitees::CommitteeMembers => scoped
            .filter(|m| role(m).is_some_and(|r| r.party_kind() == Some(PartyKind::OwnersCommittee)))
            .for_each(|m| add(Invitee { user_id: m.user_id, party_id: m.party_id, capacity: Capacity::Member })),
        Invitees::Owners | Invitees::Residents => {
            let capacity = if invitees == Invitees::Owners { Capacity::Owner } else { Capacity::Resident };
            let list: Vec<&membership::Model> = scoped.collect();
            // The body that convenes speaks for its party; the others come as owners or residents.
            let convening =
                if invitees == Invitees::Owners { PartyKind::OwnersCommittee } else { PartyKind::CommunityOffice };
            list.iter()
                .filter(|m| {
                    role(m).and_then(Role::party_kind) == Some(convening)
                        || (convening == PartyKind::CommunityOffice && office(m))
                })
                .filter_map(|m| party(m))
                .for_each(&mut add);
            list.iter()
                .filter(|m| role(m) == Some(Role::Owner))
                .for_each(|m| add(Invitee { user_id: m.user_id, party_id: None, capacity }));
        }
        Invitees::Chosen => {
            let list: Vec<&membership::Model> = scoped.collect();
            list.iter().filter_map(|m| party(m)).for_each(&mut add);
            named_people(memberships, named, Capacity::Resident).into_iter().for_each(&mut add);
        }
        Invitees::Sides => {
            named_people(memberships, named, Capacity::Side).into_iter().for_each(&mut add);
            memberships.iter().filter(|m| office(m)).filter_map(party).for_each(&mut add);
        }
    }
    out
}

/// The people named, each once, in `capacity`.
fn named_people(memberships: &[membership::Model], named: &[i64], capacity: Capacity) -> Vec<Invitee> {
    let mut out: Vec<Invitee> = Vec::new();
    for id in named {
        if memberships.iter().any(|m| m.user_id == *id) && !out.iter().any(|o| o.user_id == *id) {
            out.push(Invitee { user_id: *id, party_id: None, capacity });
        }
    }
    out
}

/// The compounds taking part, checked: known, in the community, and as many as the kind allows.
async fn compounds_of(
    db: &impl ConnectionTrait,
    community_id: i64,
    req: &NewMeeting,
) -> AppResult<Vec<compound::Model>> {
    let mut ids = req.compound_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    let several = matches!(req.kind.rules().invitees, Invitees::Parties | Invitees::Chosen | Invitees::Residents);
    if ids.is_empty() || (ids.len() > 1 && !several) {
        return Err(AppError::field("compound_ids", msg!("meeting_compounds_count")));
    }
    let found = compound::Entity::find()
        .filter(compound::Column::Id.is_in(ids.clone()))
        .filter(compound::Column::CommunityId.eq(community_id))
        .all(db)
        .await?;
    if found.len() != ids.len() {
        return Err(AppError::field("compound_ids", msg!("meeting_compound_unknown")));
    }
    Ok(found)
}

/// The party that convenes a meeting of this kind, if the caller may: the community office for
/// its kinds (anywhere in the community), the owners' committee in its own compound.
fn convening_party(
    actor: &Actor,
    req: &NewMeeting,
    community_id: i64,
    compounds: &[compound::Model],
) -> AppResult<PartyKind> {
    let rules = req.kind.rules();
    let office_kind = rules.convened_by.iter().any(|r| r.scope() == RoleScope::Community);
    let held = if office_kind {
        actor.roles_in_community(community_id)
    } else {
        compounds.iter().flat_map(|c| actor.roles_in_compound(c)).collect()
    };
    held.into_iter()
        .find(|r| rules.convened_by.contains(r) && (!office_kind || r.scope() == RoleScope::Community))
        .and_then(Role::party_kind)
        .ok_or(AppError::Forbidden)
}

/// The place and link, checked: at least one of them; a link is https.
fn where_held(req: &NewMeeting) -> AppResult<(Option<String>, Option<String>)> {
    let place = optional_text("place", req.place.as_deref(), 200)?;
    let link = optional_text("online_link", req.online_link.as_deref(), 200)?;
    if let Some(l) = &link
        && !(l.starts_with("https://") && l.len() > "https://".len())
    {
        return Err(AppError::field("online_link", msg!("meeting_link_https")));
    }
    if place.is_none() && link.is_none() {
        return Err(AppError::field("place", msg!("meeting_place_required")));
    }
    Ok((place, link))
}

/// The items, checked (titles, time boxes, at most [`ITEMS_MAX`]); their sources are looked up
/// in [`super::sources::check_sources`].
fn checked_items(items: &[NewItem]) -> AppResult<Vec<(String, String, i32)>> {
    if items.len() > ITEMS_MAX {
        return Err(AppError::field("items", msg!("meeting_items_too_many", max = ITEMS_MAX)));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let title = required_text(&format!("items[{i}].title"), &item.title, 200)?;
            let description =
                optional_text(&format!("items[{i}].description"), Some(&item.description), 20_000)?.unwrap_or_default();
            if !(1..=240).contains(&item.minutes) {
                return Err(AppError::field(&format!("items[{i}].minutes"), msg!("meeting_item_minutes")));
            }
            if item.source.is_some() != item.source_id.is_some() {
                return Err(AppError::field(&format!("items[{i}].source_id"), msg!("meeting_item_source")));
            }
            Ok((title, description, item.minutes))
        })
        .collect()
}

/// Convene a meeting in community `community_id`, with its items and invitations, and tell
/// everyone invited (and, for a committee meeting, announce it to the compound's owners).
pub async fn convene(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    req: NewMeeting,
) -> AppResult<meeting::Model> {
    community::Entity::find_by_id(community_id).one(db).await?.ok_or(AppError::NotFound)?;
    // Anyone with no role in the community learns nothing; a role without the right is 403.
    if let Err(AppError::NotFound) = actor.authorize_community(Permission::ViewMeetings, community_id) {
        return Err(AppError::NotFound);
    }
    let compounds = compounds_of(db, community_id, &req).await?;
    for c in &compounds {
        actor.authorize_compound(Permission::ConveneMeetings, c)?;
    }
    let party = convening_party(actor, &req, community_id, &compounds)?;
    let title = required_text("title", &req.title, 200)?;
    let description = optional_text("description", Some(&req.description), 20_000)?.unwrap_or_default();
    let now = Utc::now();
    check_start(req.kind, now, req.starts_at)?;
    if !(15..=480).contains(&req.duration_minutes) {
        return Err(AppError::field("duration_minutes", msg!("meeting_duration")));
    }
    let (place, online_link) = where_held(&req)?;
    let items = checked_items(&req.items)?;
    let compound_ids: Vec<i64> = compounds.iter().map(|c| c.id).collect();
    super::sources::check_sources(db, &compound_ids, &req.items).await?;
    super::check_carried(db, community_id, req.kind, &compound_ids, &req.items).await?;
    let attachments = super::checked_attachments(db, &compound_ids, &req.attachment_ids).await?;

    let memberships = membership::Entity::find()
        .filter(membership::Column::CommunityId.eq(community_id))
        .filter(membership::Column::Role.ne(Role::Admin.as_str()))
        .all(db)
        .await?;
    if req.kind.rules().invitees == Invitees::Sides
        && named_people(&memberships, &req.invitee_ids, Capacity::Side).len() < 2
    {
        return Err(AppError::field("invitee_ids", msg!("meeting_sides_required")));
    }
    let mut invitees = invitees_of(req.kind.rules().invitees, &compound_ids, &memberships, &req.invitee_ids);
    // The convener is always there, speaking for their party.
    if !invitees.iter().any(|i| i.user_id == actor.user.id) {
        let party_id = memberships.iter().find(|m| m.user_id == actor.user.id).and_then(|m| m.party_id);
        invitees.insert(0, Invitee { user_id: actor.user.id, party_id, capacity: Capacity::Party });
    }
    let person_ok = |id: i64| invitees.iter().any(|i| i.user_id == id);
    let chair_id = req.chair_id.unwrap_or(actor.user.id);
    let recorder_id = req.recorder_id.unwrap_or(actor.user.id);
    if !person_ok(chair_id) {
        return Err(AppError::field("chair_id", msg!("meeting_person_not_invited")));
    }
    if !person_ok(recorder_id) {
        return Err(AppError::field("recorder_id", msg!("meeting_person_not_invited")));
    }
    for (i, item) in req.items.iter().enumerate() {
        if let Some(p) = item.presenter_id
            && !person_ok(p)
        {
            return Err(AppError::field(&format!("items[{i}].presenter_id"), msg!("meeting_person_not_invited")));
        }
    }

    let m = meeting::Entity::insert(meeting::ActiveModel {
        community_id: Set(community_id),
        compound_id: Set((compound_ids.len() == 1).then(|| compound_ids[0])),
        kind: Set(req.kind),
        title: Set(title),
        description: Set(description),
        status: Set(MeetingStatus::Scheduled),
        starts_at: Set(req.starts_at),
        duration_minutes: Set(req.duration_minutes),
        place: Set(place),
        online_link: Set(online_link),
        chair_id: Set(chair_id),
        recorder_id: Set(recorder_id),
        convened_by: Set(actor.user.id),
        convening_party: Set(party.as_str().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    meeting_compound::Entity::insert_many(
        compound_ids.iter().map(|c| meeting_compound::ActiveModel { meeting_id: Set(m.id), compound_id: Set(*c) }),
    )
    .exec(db)
    .await?;
    if !items.is_empty() {
        meeting_item::Entity::insert_many(items.into_iter().zip(&req.items).enumerate().map(
            |(i, ((title, description, minutes), item))| meeting_item::ActiveModel {
                meeting_id: Set(m.id),
                position: Set(i as i32 + 1),
                title: Set(title),
                description: Set(description),
                source_kind: Set(item.source),
                source_id: Set(item.source_id),
                presenter_id: Set(item.presenter_id),
                minutes: Set(minutes),
                status: Set(ItemStatus::Pending),
                notes: Set(String::new()),
                carried_from: Set(item.carried_from),
                ..Default::default()
            },
        ))
        .exec(db)
        .await?;
    }
    super::write_attachments(db, m.id, &attachments).await?;
    for chunk in invitees.chunks(500) {
        meeting_invitation::Entity::insert_many(chunk.iter().map(|i| meeting_invitation::ActiveModel {
            meeting_id: Set(m.id),
            user_id: Set(i.user_id),
            party_id: Set(i.party_id),
            capacity: Set(i.capacity),
            answer: Set(if i.user_id == actor.user.id { Answer::Attending } else { Answer::Pending }),
            answered_at: Set((i.user_id == actor.user.id).then_some(now)),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    let recipients: Vec<i64> = invitees.iter().map(|i| i.user_id).filter(|u| *u != actor.user.id).collect();
    tell(
        db,
        &m,
        "meeting_invited",
        json!({ "title": m.title, "starts_at": m.starts_at.to_rfc3339(), "place": where_text(&m) }),
        &recipients,
    )
    .await?;
    let announced = announce_to_owners(db, &m, &memberships, &recipients).await?;
    let detail = json!({ "title": m.title, "kind": m.kind.as_str(), "starts_at": m.starts_at.to_rfc3339(),
                         "invited": invitees.len(), "announced": announced });
    audit::note(db, Some(actor.user.id), &m, "meeting.convened", detail).await?;
    Ok(m)
}

/// Where a meeting is held, as one line.
pub fn where_text(m: &meeting::Model) -> String {
    match (&m.place, &m.online_link) {
        (Some(p), Some(l)) => format!("{p} / {l}"),
        (Some(p), None) => p.clone(),
        (None, Some(l)) => l.clone(),
        (None, None) => String::new(),
    }
}

/// A committee meeting's content and agenda are announced in the compound 7 days ahead, so that
/// owners may give their views and attend (指导规则 Art. 39): every owner not already invited is
/// told. Answers how many.
async fn announce_to_owners(
    db: &impl ConnectionTrait,
    m: &meeting::Model,
    memberships: &[membership::Model],
    invited: &[i64],
) -> AppResult<usize> {
    if m.kind.rules().invitees != Invitees::CommitteeMembers {
        return Ok(0);
    }
    let mut owners: Vec<i64> = memberships
        .iter()
        .filter(|ms| ms.compound_id == m.compound_id && ms.role == Role::Owner.as_str())
        .map(|ms| ms.user_id)
        .filter(|u| !invited.contains(u) && *u != m.convened_by)
        .collect();
    owners.sort_unstable();
    owners.dedup();
    tell(
        db,
        m,
        "meeting_announced",
        json!({ "title": m.title, "starts_at": m.starts_at.to_rfc3339(), "place": where_text(m) }),
        &owners,
    )
    .await?;
    Ok(owners.len())
}

/// One notice about meeting `m` to `recipients`.
pub async fn tell(
    db: &impl ConnectionTrait,
    m: &meeting::Model,
    kind: &'static str,
    params: serde_json::Value,
    recipients: &[i64],
) -> AppResult<()> {
    if recipients.is_empty() {
        return Ok(());
    }
    let notice = NewNotice {
        community_id: m.community_id,
        compound_id: m.compound_id,
        kind,
        text: NoticeText::Params(params),
        link: Some(format!("/meetings/{}", m.id)),
        created_by: Some(m.convened_by),
    };
    notices::publish(db, notice, recipients).await?;
    Ok(())
}

/// The invitations of a meeting, by user.
pub async fn invitations_of(
    db: &impl ConnectionTrait,
    meeting_id: i64,
) -> AppResult<BTreeMap<i64, meeting_invitation::Model>> {
    Ok(meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.user_id, i))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(user_id: i64, role: Role, compound_id: Option<i64>, party_id: Option<i64>) -> membership::Model {
        membership::Model {
            id: user_id * 10,
            user_id,
            role: role.as_str().into(),
            community_id: Some(1),
            compound_id,
            party_id,
            scope_key: String::new(),
            created_at: Utc::now(),
        }
    }

    /// The community office (1, 2), compound 10's property (3), committee (4 chair, 5 member) and
    /// owners (6, 7; 4 is an owner too), and compound 20's committee (8) and owner (9).
    fn community() -> Vec<membership::Model> {
        vec![
            ms(1, Role::Secretary, None, Some(100)),
            ms(2, Role::CommunityStaff, None, Some(100)),
            ms(3, Role::PropertyManager, Some(10), Some(101)),
            ms(4, Role::CommitteeChair, Some(10), Some(102)),
            ms(5, Role::CommitteeMember, Some(10), Some(102)),
            ms(4, Role::Owner, Some(10), None),
            ms(6, Role::Owner, Some(10), None),
            ms(7, Role::Owner, Some(10), None),
            ms(8, Role::CommitteeMember, Some(20), Some(202)),
            ms(9, Role::Owner, Some(20), None),
        ]
    }

    fn users(list: &[Invitee]) -> Vec<(i64, Capacity)> {
        list.iter().map(|i| (i.user_id, i.capacity)).collect()
    }

    #[test]
    fn a_consultation_asks_the_three_parties_of_the_compounds_taking_part() {
        let asked = invitees_of(Invitees::Parties, &[10], &community(), &[]);
        assert_eq!(
            users(&asked),
            [
                (1, Capacity::Party),
                (2, Capacity::Party),
                (3, Capacity::Party),
                (4, Capacity::Party),
                (5, Capacity::Party)
            ]
        );
        let both = invitees_of(Invitees::Parties, &[10, 20], &community(), &[]);
        assert!(both.iter().any(|i| i.user_id == 8) && !both.iter().any(|i| i.user_id == 9));
    }

    #[test]
    fn a_committee_meeting_asks_its_members_once_each() {
        let asked = invitees_of(Invitees::CommitteeMembers, &[10], &community(), &[]);
        assert_eq!(users(&asked), [(4, Capacity::Member), (5, Capacity::Member)]);
    }

    #[test]
    fn an_assembly_sitting_asks_the_committee_as_a_party_and_every_owner() {
        let asked = invitees_of(Invitees::Owners, &[10], &community(), &[]);
        assert_eq!(
            users(&asked),
            [(4, Capacity::Party), (5, Capacity::Party), (6, Capacity::Owner), (7, Capacity::Owner)]
        );
    }

    #[test]
    fn a_mediation_asks_the_sides_named_and_the_office_and_no_one_else() {
        let asked = invitees_of(Invitees::Sides, &[10], &community(), &[6, 3, 6, 999]);
        assert_eq!(
            users(&asked),
            [(6, Capacity::Side), (3, Capacity::Side), (1, Capacity::Party), (2, Capacity::Party)]
        );
    }

    #[test]
    fn a_residents_council_asks_the_parties_and_the_residents_chosen() {
        let asked = invitees_of(Invitees::Chosen, &[10], &community(), &[7]);
        assert!(asked.contains(&Invitee { user_id: 7, party_id: None, capacity: Capacity::Resident }));
        assert!(asked.iter().any(|i| i.user_id == 3 && i.capacity == Capacity::Party));
        assert!(!asked.iter().any(|i| i.user_id == 6));
    }
}
