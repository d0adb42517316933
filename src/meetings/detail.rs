//! A meeting as the caller sees it, and the lists of meetings.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    AnswerCounts, Capacity, InvitationView, ItemView, LoadedMeeting, MeetingCan, MeetingSummary, MeetingView, Person,
    answerable, may_manage, meeting_for, source_link,
};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{meeting, meeting_compound, meeting_invitation, meeting_item, party},
    error::AppResult,
    policy::{PartyKind, Permission},
    tenancy::compound_for,
};

fn person(names: &HashMap<i64, String>, id: i64) -> Person {
    Person { id, name: names.get(&id).cloned().unwrap_or_default() }
}

/// Count the answers.
pub fn count_answers<'a>(invitations: impl IntoIterator<Item = &'a meeting_invitation::Model>) -> AnswerCounts {
    use super::Answer::*;
    let mut c = AnswerCounts::default();
    for i in invitations {
        c.invited += 1;
        match i.answer {
            Attending => c.attending += 1,
            Deputy => c.deputies += 1,
            Absent => c.absent += 1,
            Pending => c.pending += 1,
        }
    }
    c
}

/// Show meeting `id` to the caller: its items, the invitations of those who speak for a party,
/// sit on the committee or are a side (owners and residents are counted, not listed), and the
/// caller's own.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<MeetingView> {
    let m = meeting_for(db, actor, id).await?;
    view(db, actor, &m).await
}

/// The view of a loaded meeting.
pub async fn view(db: &impl ConnectionTrait, actor: &Actor, m: &LoadedMeeting) -> AppResult<MeetingView> {
    let mt = &m.meeting;
    let items = meeting_item::Entity::find()
        .filter(meeting_item::Column::MeetingId.eq(mt.id))
        .order_by_asc(meeting_item::Column::Position)
        .all(db)
        .await?;
    let invitations = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(mt.id))
        .order_by_asc(meeting_invitation::Column::Id)
        .all(db)
        .await?;
    let listed: Vec<&meeting_invitation::Model> = invitations
        .iter()
        .filter(|i| !matches!(i.capacity, Capacity::Owner | Capacity::Resident) || i.user_id == actor.user.id)
        .collect();
    let mut ids: Vec<i64> = listed.iter().map(|i| i.user_id).collect();
    ids.extend([mt.chair_id, mt.recorder_id, mt.convened_by]);
    ids.extend(items.iter().filter_map(|i| i.presenter_id));
    let names = user_names(db, ids).await?;
    let party_ids: Vec<i64> = listed.iter().filter_map(|i| i.party_id).collect();
    let parties: HashMap<i64, party::Model> = party::Entity::find()
        .filter(party::Column::Id.is_in(party_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let invitation = |i: &meeting_invitation::Model| {
        let p = i.party_id.and_then(|id| parties.get(&id));
        InvitationView {
            id: i.id,
            person: person(&names, i.user_id),
            capacity: i.capacity,
            party_kind: p.and_then(|p| PartyKind::parse(&p.kind)),
            party_name: p.map(|p| p.name.clone()),
            answer: i.answer,
            deputy_name: i.deputy_name.clone(),
            answered_at: i.answered_at,
            signed_in_at: i.signed_in_at,
        }
    };
    let now = chrono::Utc::now();
    let can = MeetingCan {
        answer: m.mine.is_some() && answerable(mt.status, mt.starts_at, now),
        send_deputy: m.mine.as_ref().is_some_and(|i| super::may_answer(mt.kind, i.capacity, super::Answer::Deputy))
            && answerable(mt.status, mt.starts_at, now),
        manage: may_manage(actor, m) && super::changeable(mt.status),
    };
    Ok(MeetingView {
        id: mt.id,
        community_id: mt.community_id,
        compound_ids: m.compounds.iter().map(|c| c.id).collect(),
        kind: mt.kind,
        title: mt.title.clone(),
        description: mt.description.clone(),
        status: mt.status,
        starts_at: mt.starts_at,
        duration_minutes: mt.duration_minutes,
        place: mt.place.clone(),
        online_link: mt.online_link.clone(),
        chair: person(&names, mt.chair_id),
        recorder: person(&names, mt.recorder_id),
        convened_by: person(&names, mt.convened_by),
        convening_party: PartyKind::parse(&mt.convening_party).unwrap_or(PartyKind::CommunityOffice),
        cancel_reason: mt.cancel_reason.clone(),
        items: items
            .iter()
            .map(|i| ItemView {
                id: i.id,
                position: i.position,
                title: i.title.clone(),
                description: i.description.clone(),
                source: i.source_kind,
                source_id: i.source_id,
                source_link: source_link(i.source_kind, i.source_id),
                presenter: i.presenter_id.map(|p| person(&names, p)),
                minutes: i.minutes,
                status: i.status,
                outcome: i.outcome,
            })
            .collect(),
        invitations: listed.iter().map(|i| invitation(i)).collect(),
        answers: count_answers(&invitations),
        my_invitation: m.mine.as_ref().map(invitation),
        can,
        created_at: mt.created_at,
    })
}

/// The meetings compound `compound_id` takes part in, soonest first, that the caller may see (a
/// mediation only to its sides and the office).
pub async fn list_in_compound(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
) -> AppResult<Vec<MeetingSummary>> {
    let c = compound_for(db, actor, compound_id, Permission::ViewMeetings).await?;
    let ids: Vec<i64> = meeting_compound::Entity::find()
        .filter(meeting_compound::Column::CompoundId.eq(c.id))
        .all(db)
        .await?
        .into_iter()
        .map(|mc| mc.meeting_id)
        .collect();
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids.clone()))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let links =
        meeting_compound::Entity::find().filter(meeting_compound::Column::MeetingId.is_in(ids.clone())).all(db).await?;
    let mine: HashMap<i64, meeting_invitation::Model> = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.is_in(ids))
        .filter(meeting_invitation::Column::UserId.eq(actor.user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| (i.meeting_id, i))
        .collect();
    let office = super::is_office(actor, c.community_id);
    Ok(meetings
        .into_iter()
        .filter(|m| m.kind.rules().visibility == super::Visibility::Compounds || office || mine.contains_key(&m.id))
        .map(|m| MeetingSummary {
            id: m.id,
            community_id: m.community_id,
            kind: m.kind,
            title: m.title,
            status: m.status,
            starts_at: m.starts_at,
            duration_minutes: m.duration_minutes,
            place: m.place,
            compound_ids: links.iter().filter(|l| l.meeting_id == m.id).map(|l| l.compound_id).collect(),
            my_answer: mine.get(&m.id).map(|i| i.answer),
        })
        .collect())
}
