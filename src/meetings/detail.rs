//! A meeting as the caller sees it, and the lists of meetings.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{
    AnswerCounts, Capacity, Hands, ItemSource, ItemView, LoadedMeeting, MeetingCan, MeetingInvitationView,
    MeetingStatus, MeetingSummary, MeetingView, Person, PositionView, answerable, attendance, may_chair, may_manage,
    may_record, meeting_for, room::parties_of, sign_in_open, source_link, tasks::tasks_of_meeting,
};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{meeting, meeting_compound, meeting_invitation, meeting_item, meeting_position},
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
    let on_agenda: Vec<i64> =
        items.iter().filter(|i| i.source_kind == Some(ItemSource::Convention)).filter_map(|i| i.source_id).collect();
    let consultations = crate::conventions::on_agenda(db, &on_agenda).await?;
    let listed: Vec<&meeting_invitation::Model> = invitations
        .iter()
        .filter(|i| !matches!(i.capacity, Capacity::Owner | Capacity::Resident) || i.user_id == actor.user.id)
        .collect();
    let mut ids: Vec<i64> = listed.iter().map(|i| i.user_id).collect();
    ids.extend([mt.chair_id, mt.recorder_id, mt.convened_by]);
    ids.extend(items.iter().filter_map(|i| i.presenter_id));
    let positions = meeting_position::Entity::find()
        .filter(meeting_position::Column::ItemId.is_in(items.iter().map(|i| i.id)))
        .order_by_asc(meeting_position::Column::Id)
        .all(db)
        .await?;
    ids.extend(positions.iter().filter_map(|p| p.user_id));
    let names = user_names(db, ids).await?;
    let parties = parties_of(db, &invitations).await?;
    let tasks = tasks_of_meeting(db, mt.id).await?;
    let open_tasks = if mt.status == MeetingStatus::Held {
        Vec::new()
    } else {
        super::open_tasks(db, actor, mt.community_id, mt.kind, &m.compounds).await?
    };
    let sheet = match mt.sign_in_sheet_file_id {
        Some(id) => crate::files::views_of(db, &[id]).await?.into_iter().next(),
        None => None,
    };
    let position_view = |p: &meeting_position::Model| {
        let party = p.party_id.and_then(|id| parties.get(&id));
        PositionView {
            party_id: p.party_id,
            party_kind: party.and_then(|p| PartyKind::parse(&p.kind)),
            party_name: party.map(|p| p.name.clone()),
            person: p.user_id.map(|id| person(&names, id)),
            position: p.position,
        }
    };
    let invitation = |i: &meeting_invitation::Model| {
        let p = i.party_id.and_then(|id| parties.get(&id));
        MeetingInvitationView {
            id: i.id,
            person: person(&names, i.user_id),
            capacity: i.capacity,
            party_kind: p.and_then(|p| PartyKind::parse(&p.kind)),
            party_name: p.map(|p| p.name.clone()),
            answer: i.answer,
            deputy_name: i.deputy_name.clone(),
            answered_at: i.answered_at,
            signed_in_at: i.signed_in_at,
            sign_in_method: i.sign_in_method,
        }
    };
    let now = chrono::Utc::now();
    let can = MeetingCan {
        answer: m.mine.is_some() && answerable(mt.status, mt.starts_at, now),
        send_deputy: m.mine.as_ref().is_some_and(|i| super::may_answer(mt.kind, i.capacity, super::Answer::Deputy))
            && answerable(mt.status, mt.starts_at, now),
        manage: may_manage(actor, m) && super::changeable(mt.status),
        chair: may_chair(actor, m),
        record: may_record(actor, m),
        sign_in: m.mine.as_ref().is_some_and(|i| i.signed_in_at.is_none())
            && sign_in_open(mt.status, mt.starts_at, now),
        hand_off: may_chair(actor, m)
            && matches!(mt.status, MeetingStatus::InProgress | MeetingStatus::Held)
            && m.compounds.iter().any(|c| {
                [Permission::ManageVotes, Permission::ManageQuestionnaires]
                    .into_iter()
                    .any(|p| actor.authorize_compound(p, c).is_ok())
            }),
        attach: may_record(actor, m) && mt.status != MeetingStatus::Cancelled,
    };
    Ok(MeetingView {
        id: mt.id,
        community_id: mt.community_id,
        compound_ids: m.compounds.iter().map(|c| c.id).collect(),
        kind: mt.kind,
        title: mt.title.clone(),
        description: mt.description.clone(),
        description_html: crate::markdown::to_html(&mt.description),
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
                description_html: crate::markdown::to_html(&i.description),
                source: i.source_kind,
                source_id: i.source_id,
                source_link: source_link(i.source_kind, i.source_id),
                presenter: i.presenter_id.map(|p| person(&names, p)),
                minutes: i.minutes,
                status: i.status,
                outcome: i.outcome,
                notes: i.notes.clone(),
                outcome_text: i.outcome_text.clone(),
                positions: positions.iter().filter(|p| p.item_id == i.id).map(position_view).collect(),
                hands: i.hands_for.map(|in_favour| Hands {
                    in_favour,
                    against: i.hands_against.unwrap_or(0),
                    abstaining: i.hands_abstaining.unwrap_or(0),
                }),
                tasks: tasks.iter().filter(|t| t.item_id == i.id).cloned().collect(),
                carried_from: i.carried_from,
                handed_to: i.handed_to_kind,
                handed_to_id: i.handed_to_id,
                handed_to_link: source_link(i.handed_to_kind, i.handed_to_id),
                consultation: (i.source_kind == Some(ItemSource::Convention))
                    .then(|| i.source_id.and_then(|id| consultations.get(&id).cloned()))
                    .flatten(),
            })
            .collect(),
        invitations: listed.iter().map(|i| invitation(i)).collect(),
        answers: count_answers(&invitations),
        my_invitation: m.mine.as_ref().map(invitation),
        attendance: attendance(mt.kind, &invitations, &parties),
        current_item_id: mt.current_item_id,
        opened_at: mt.opened_at,
        closed_at: mt.closed_at,
        sign_in_sheet: sheet,
        attachments: super::attachments_of(db, mt.id).await?,
        open_tasks,
        can,
        created_at: mt.created_at,
    })
}

/// The ids of the meetings compound `compound_id` takes part in.
pub async fn meetings_of_compound(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<Vec<i64>> {
    Ok(meeting_compound::Entity::find()
        .filter(meeting_compound::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|mc| mc.meeting_id)
        .collect())
}

/// The meetings compound `compound_id` takes part in, soonest first, that the caller may see (a
/// mediation only to its sides and the office).
pub async fn list_in_compound(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
) -> AppResult<Vec<MeetingSummary>> {
    let c = compound_for(db, actor, compound_id, Permission::ViewMeetings).await?;
    let ids = meetings_of_compound(db, c.id).await?;
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(ids))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    summaries(db, actor, c.community_id, meetings, |_| true).await
}

/// The meetings of community `community_id`, soonest first, that the caller may see: all of them
/// to the community office; to the others, those of the compounds where they have a role and
/// those they are invited to (a mediation only to its sides and the office).
pub async fn list_in_community(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
) -> AppResult<Vec<MeetingSummary>> {
    actor.authorize_community(Permission::ViewMeetings, community_id)?;
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::CommunityId.eq(community_id))
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    let mine: Vec<i64> = actor.memberships.iter().filter_map(|m| m.compound_id).collect();
    let office = super::is_office(actor, community_id);
    let links = meeting_compound::Entity::find()
        .filter(meeting_compound::Column::MeetingId.is_in(meetings.iter().map(|m| m.id)))
        .all(db)
        .await?;
    let in_mine = |id: i64| office || links.iter().any(|l| l.meeting_id == id && mine.contains(&l.compound_id));
    summaries(db, actor, community_id, meetings, |m| in_mine(m.id)).await
}

/// The summaries of `meetings` the caller may see: those `in_scope` for them, a mediation only
/// to its sides and the office; and those the caller is invited to.
async fn summaries(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    meetings: Vec<meeting::Model>,
    in_scope: impl Fn(&meeting::Model) -> bool,
) -> AppResult<Vec<MeetingSummary>> {
    let ids: Vec<i64> = meetings.iter().map(|m| m.id).collect();
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
    let office = super::is_office(actor, community_id);
    let visible = |m: &meeting::Model| {
        mine.contains_key(&m.id)
            || (in_scope(m) && (m.kind.rules().visibility == super::Visibility::Compounds || office))
    };
    Ok(meetings
        .into_iter()
        .filter(|m| visible(m))
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
