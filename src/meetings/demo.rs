//! The demo's meetings: the seed 001 consultation on the garbage outside the north gate (held,
//! with its two action items, one done and one overdue), the owners' committee of 太阳城二期
//! deciding on the dog-keeping pact (with the five members the rules require), and a residents'
//! council ahead whose invitations are answered.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use serde_json::json;

use super::{
    Answer, Capacity, ItemOutcome, ItemSource, ItemStatus, MeetingKind, MeetingStatus, Position, SignInMethod,
    tasks::TaskStatus,
};
use crate::{
    accounts::{Scope, grant},
    audit,
    entities::{
        compound, meeting, meeting_compound, meeting_invitation, meeting_item, meeting_position, meeting_task,
        meeting_task_update, membership, party, user, vote,
    },
    error::{AppError, AppResult},
    policy::{PartyKind, Role},
};

/// The owners of 太阳城二期 who also sit on its owners' committee, beside 刘主任 and 陈委员.
pub const DEMO_COMMITTEE_OWNERS: [&str; 3] = ["owner020", "owner030", "owner040"];

async fn user_named(db: &impl ConnectionTrait, username: &str) -> AppResult<user::Model> {
    user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?.ok_or(AppError::NotFound)
}

async fn party_of(
    db: &impl ConnectionTrait,
    community_id: i64,
    compound_id: Option<i64>,
    kind: PartyKind,
) -> AppResult<party::Model> {
    let q = party::Entity::find()
        .filter(party::Column::CommunityId.eq(community_id))
        .filter(party::Column::Kind.eq(kind.as_str()));
    let q = match compound_id {
        Some(c) => q.filter(party::Column::CompoundId.eq(c)),
        None => q.filter(party::Column::CompoundId.is_null()),
    };
    q.one(db).await?.ok_or(AppError::NotFound)
}

/// A meeting as it was held (or will be), with its items: `(title, outcome)`.
struct Plan<'a> {
    kind: MeetingKind,
    title: &'a str,
    description: &'a str,
    compounds: Vec<i64>,
    starts_at: DateTime<Utc>,
    place: &'a str,
    convened_by: i64,
    party: PartyKind,
    status: MeetingStatus,
    items: Vec<(&'a str, Option<ItemOutcome>)>,
}

async fn insert_meeting(
    db: &impl ConnectionTrait,
    community_id: i64,
    p: &Plan<'_>,
) -> AppResult<(meeting::Model, Vec<meeting_item::Model>)> {
    let held = p.status == MeetingStatus::Held;
    let m = meeting::Entity::insert(meeting::ActiveModel {
        community_id: Set(community_id),
        compound_id: Set((p.compounds.len() == 1).then(|| p.compounds[0])),
        kind: Set(p.kind),
        title: Set(p.title.into()),
        description: Set(p.description.into()),
        status: Set(p.status),
        starts_at: Set(p.starts_at),
        duration_minutes: Set(90),
        place: Set(Some(p.place.into())),
        chair_id: Set(p.convened_by),
        recorder_id: Set(p.convened_by),
        convened_by: Set(p.convened_by),
        convening_party: Set(p.party.as_str().into()),
        created_at: Set(p.starts_at - Duration::days(8)),
        updated_at: Set(p.starts_at - Duration::days(8)),
        opened_at: Set(held.then_some(p.starts_at)),
        closed_at: Set(held.then(|| p.starts_at + Duration::minutes(85))),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    meeting_compound::Entity::insert_many(
        p.compounds.iter().map(|c| meeting_compound::ActiveModel { meeting_id: Set(m.id), compound_id: Set(*c) }),
    )
    .exec(db)
    .await?;
    let mut items = Vec::new();
    for (i, (title, outcome)) in p.items.iter().enumerate() {
        let done = outcome.is_some();
        items.push(
            meeting_item::Entity::insert(meeting_item::ActiveModel {
                meeting_id: Set(m.id),
                position: Set(i as i32 + 1),
                title: Set((*title).into()),
                description: Set(String::new()),
                minutes: Set(30),
                status: Set(if done { ItemStatus::Done } else { ItemStatus::Pending }),
                notes: Set(String::new()),
                outcome: Set(*outcome),
                opened_at: Set(done.then(|| p.starts_at + Duration::minutes(30 * i as i64))),
                closed_at: Set(done.then(|| p.starts_at + Duration::minutes(30 * i as i64 + 25))),
                ..Default::default()
            })
            .exec_with_returning(db)
            .await?,
        );
    }
    let detail = json!({ "title": m.title, "kind": m.kind.as_str(), "starts_at": m.starts_at.to_rfc3339(), "invited": 0, "announced": 0 });
    audit::note(db, Some(p.convened_by), &m, "meeting.convened", detail).await?;
    if held {
        audit::note(db, Some(p.convened_by), &m, "meeting.closed", json!({})).await?;
    }
    Ok((m, items))
}

/// Invite `people` (user, party, capacity, answer), signed in at the start where `here`.
async fn invite(
    db: &impl ConnectionTrait,
    m: &meeting::Model,
    people: &[(i64, Option<i64>, Capacity, Answer, bool)],
) -> AppResult<()> {
    meeting_invitation::Entity::insert_many(people.iter().map(|(user_id, party_id, capacity, answer, here)| {
        meeting_invitation::ActiveModel {
            meeting_id: Set(m.id),
            user_id: Set(*user_id),
            party_id: Set(*party_id),
            capacity: Set(*capacity),
            answer: Set(*answer),
            deputy_name: Set((*answer == Answer::Deputy).then(|| "王副经理".to_owned())),
            answered_at: Set((*answer != Answer::Pending).then(|| m.created_at + Duration::days(1))),
            signed_in_at: Set(here.then_some(m.starts_at)),
            sign_in_method: Set(here.then_some(SignInMethod::Qr)),
            signed_in_by: Set(here.then_some(*user_id)),
            ..Default::default()
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Seed the demo's meetings in community `community_id` (its first two compounds are 太阳城二期
/// and 上河时代).
pub async fn seed_demo(
    db: &impl ConnectionTrait,
    community_id: i64,
    tyc: &compound::Model,
    shs: &compound::Model,
) -> AppResult<()> {
    let now = Utc::now();
    let secretary = user_named(db, "secretary").await?;
    let office = party_of(db, community_id, None, PartyKind::CommunityOffice).await?;
    let tyc_property = party_of(db, community_id, Some(tyc.id), PartyKind::PropertyCompany).await?;
    let tyc_committee = party_of(db, community_id, Some(tyc.id), PartyKind::OwnersCommittee).await?;
    let shs_property = party_of(db, community_id, Some(shs.id), PartyKind::PropertyCompany).await?;
    let shs_committee = party_of(db, community_id, Some(shs.id), PartyKind::OwnersCommittee).await?;

    // The committee of 太阳城二期 gets the size the rules require: five members.
    let mut members = vec![user_named(db, "committee").await?.id, user_named(db, "member").await?.id];
    for username in DEMO_COMMITTEE_OWNERS {
        let u = user_named(db, username).await?;
        let scope =
            Scope { community_id: Some(community_id), compound_id: Some(tyc.id), party_id: Some(tyc_committee.id) };
        grant(db, u.id, Role::CommitteeMember, scope).await?;
        members.push(u.id);
    }

    // Seed 001: the garbage outside the north gate, between the two compounds' property companies.
    let held_at = now - Duration::days(10);
    let (consultation, items) = insert_meeting(db, community_id, &Plan {
        kind: MeetingKind::Consultation,
        title: "北门外垃圾堆放问题三方协同协商会议",
        description: "上河时代与太阳城二期北门之间的空地长期堆放垃圾，居民多次反映。请两个小区的物业、业委会与社区共同商定清运分工和长效管理办法。",
        compounds: vec![tyc.id, shs.id],
        starts_at: held_at,
        place: "太阳城社区党群服务中心二楼会议室",
        convened_by: secretary.id,
        party: PartyKind::CommunityOffice,
        status: MeetingStatus::Held,
        items: vec![("北门外垃圾清运分工", Some(ItemOutcome::Agreed)), ("北门外空地的长效管理", Some(ItemOutcome::Agreed))],
    })
    .await?;
    let parties = [
        (secretary.id, office.id),
        (user_named(db, "property").await?.id, tyc_property.id),
        (user_named(db, "committee").await?.id, tyc_committee.id),
        (user_named(db, "property2").await?.id, shs_property.id),
        (user_named(db, "committee2").await?.id, shs_committee.id),
    ];
    let people: Vec<_> =
        parties.iter().map(|(u, p)| (*u, Some(*p), Capacity::Party, Answer::Attending, true)).collect();
    invite(db, &consultation, &people).await?;
    let mut positions = Vec::new();
    for item in &items {
        for (_, p) in parties {
            positions.push(meeting_position::ActiveModel {
                item_id: Set(item.id),
                party_id: Set(Some(p)),
                position: Set(Position::Agree),
                ..Default::default()
            });
        }
    }
    meeting_position::Entity::insert_many(positions).exec(db).await?;
    let notes = "上河时代物业：北门外空地不在本小区红线内，但同意承担清运。太阳城二期物业：同意加装围挡和提示牌。两个业委会：同意，由业委会向业主宣传垃圾分类投放。";
    meeting_item::Entity::update_many()
        .col_expr(meeting_item::Column::Notes, sea_orm::sea_query::Expr::value(notes))
        .filter(meeting_item::Column::Id.eq(items[0].id))
        .exec(db)
        .await?;
    let task =
        |title: &str, party: i64, compound: i64, due: DateTime<Utc>, status: TaskStatus| meeting_task::ActiveModel {
            meeting_id: Set(consultation.id),
            item_id: Set(items[0].id),
            community_id: Set(community_id),
            compound_id: Set(compound),
            title: Set(title.into()),
            party_id: Set(party),
            due_on: Set(due.date_naive()),
            status: Set(status),
            created_by: Set(secretary.id),
            created_at: Set(held_at),
            reported_at: Set((status == TaskStatus::Done).then(|| due - Duration::days(1))),
            confirmed_at: Set((status == TaskStatus::Done).then_some(due)),
            confirmed_by: Set((status == TaskStatus::Done).then_some(secretary.id)),
            ..Default::default()
        };
    let done = meeting_task::Entity::insert(task(
        "每日 18 时前清运北门外堆放的垃圾",
        shs_property.id,
        shs.id,
        now - Duration::days(4),
        TaskStatus::Done,
    ))
    .exec_with_returning(db)
    .await?;
    meeting_task_update::Entity::insert(meeting_task_update::ActiveModel {
        task_id: Set(done.id),
        author_id: Set(parties[3].0),
        body: Set("已安排保洁每日 17:30 清运，连续一周无堆积。".into()),
        marks_done: Set(true),
        created_at: Set(now - Duration::days(5)),
        ..Default::default()
    })
    .exec(db)
    .await?;
    meeting_task::Entity::insert(task(
        "在北门外空地加装围挡和“禁止倾倒垃圾”提示牌",
        tyc_property.id,
        tyc.id,
        now - Duration::days(2),
        TaskStatus::Open,
    ))
    .exec(db)
    .await?;

    // The owners' committee of 太阳城二期 decides on the dog-keeping pact's draft.
    let (committee_meeting, items) = insert_meeting(
        db,
        community_id,
        &Plan {
            kind: MeetingKind::Committee,
            title: "业委会会议：审议《太阳城二期文明养犬公约》草案",
            description: "依据养犬情况调查的结果，审议公约草案，决定是否提请业主大会表决。",
            compounds: vec![tyc.id],
            starts_at: now - Duration::days(5),
            place: "太阳城二期业委会办公室",
            convened_by: members[0],
            party: PartyKind::OwnersCommittee,
            status: MeetingStatus::Held,
            items: vec![("审议公约草案并提请业主大会表决", Some(ItemOutcome::Agreed))],
        },
    )
    .await?;
    let people: Vec<_> = members
        .iter()
        .enumerate()
        .map(|(i, u)| {
            (
                *u,
                Some(tyc_committee.id),
                Capacity::Member,
                if i == 4 { Answer::Absent } else { Answer::Attending },
                i != 4,
            )
        })
        .collect();
    invite(db, &committee_meeting, &people).await?;
    let votes = members.iter().take(4).map(|u| meeting_position::ActiveModel {
        item_id: Set(items[0].id),
        user_id: Set(Some(*u)),
        position: Set(Position::Agree),
        ..Default::default()
    });
    meeting_position::Entity::insert_many(votes).exec(db).await?;
    // It handed the draft on to the owners' vote on the pact, which is open now.
    let pact = vote::Entity::find()
        .filter(vote::Column::CompoundId.eq(tyc.id))
        .filter(vote::Column::Title.contains("文明养犬公约"))
        .one(db)
        .await?;
    if let Some(pact) = pact {
        let mut item = items[0].clone().into_active_model();
        item.handed_to_kind = Set(Some(ItemSource::Vote));
        item.handed_to_id = Set(Some(pact.id));
        item.update(db).await?;
    }

    // A residents' council ahead, on parking in 太阳城二期, its invitations answered.
    let (council, _) = insert_meeting(
        db,
        community_id,
        &Plan {
            kind: MeetingKind::ResidentsCouncil,
            title: "居民议事会：太阳城二期停车秩序",
            description: "小区内车位紧张、消防通道被占。请物业、业委会和居民代表共同商议。",
            compounds: vec![tyc.id],
            starts_at: now + Duration::days(5),
            place: "太阳城社区党群服务中心一楼议事厅",
            convened_by: secretary.id,
            party: PartyKind::CommunityOffice,
            status: MeetingStatus::Scheduled,
            items: vec![("消防通道占用的处理", None), ("临时停车收费办法", None)],
        },
    )
    .await?;
    let residents: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::CompoundId.eq(tyc.id))
        .filter(membership::Column::Role.eq(Role::Owner.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .filter(|u| !members.contains(u))
        .take(3)
        .collect();
    let mut people = vec![
        (secretary.id, Some(office.id), Capacity::Party, Answer::Attending, false),
        (parties[1].0, Some(tyc_property.id), Capacity::Party, Answer::Deputy, false),
        (members[0], Some(tyc_committee.id), Capacity::Party, Answer::Attending, false),
    ];
    for (i, r) in residents.iter().enumerate() {
        let answer = [Answer::Attending, Answer::Absent, Answer::Pending][i % 3];
        people.push((*r, None, Capacity::Resident, answer, false));
    }
    invite(db, &council, &people).await?;
    Ok(())
}
