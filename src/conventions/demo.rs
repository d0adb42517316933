//! The demo's conventions: 太阳城二期's 文明养犬公约 after its consultation — a comment adopted
//! by a change, one amendment adopted and one not, a final version — and 上河时代's 停车管理公约
//! under consultation now, with a comment and a supported amendment still to be answered.
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

use super::{ops, text, views::*};
use crate::{
    auth::Actor,
    entities::{
        compound, convention, convention_acknowledgement, holder,
        meeting::{self, MeetingKind, MeetingStatus},
        membership, owner_link, user, vote,
    },
    error::{AppError, AppResult},
    policy::Role,
};

/// The pact as the owners' committee first drafted it, after the phone questionnaire of seed 001.
const DOG_PACT: &str = "文明养犬公约
为营造整洁、安全、和谐的居住环境，经业主委员会在问卷调查基础上协商议定，本小区养犬居民共同遵守以下公约。
第一条 养犬居民应当依法为犬只办理登记、按时接种狂犬病疫苗，并随身携带养犬证明。
第二条 犬只出户应当束犬链，由成年人牵领，主动避让老人、儿童和孕妇。
第三条 犬只在小区内排泄的粪便，牵领人应当立即清理。
第四条 不得携犬进入儿童游乐场、健身器材区和电梯轿厢以外的封闭公共场所。
第五条 夜间应当管好犬只，避免犬吠影响邻居休息。
第六条 烈性犬、大型犬不得在小区内饲养。
第七条 违反本公约的，由业主委员会和物业服务企业劝导；劝导无效的，报请有关部门依法处理。";

/// The community's pledge on sorting household waste, after the garbage dispute of seed 001.
const SORTING: &str = "垃圾分类倡议
为减少垃圾、美化家园，社区居委会、物业服务企业和业主委员会共同倡议：
第一条 按照可回收物、有害垃圾、厨余垃圾和其他垃圾分类投放。
第二条 厨余垃圾破袋投放，袋子投入其他垃圾桶。
第三条 大件垃圾和装修垃圾预约清运，不堆放在楼道和绿地。
第四条 在规定时段到指定地点投放，不在楼下随意堆放。
第五条 邻里互相提醒，共同维护干净整洁的家园。";

/// The parking convention 上河时代's property company put to its owners.
const PARKING: &str = "停车管理公约
为维护小区道路畅通和消防安全，物业服务企业会同业主委员会拟定本公约，征求全体业主意见。
第一条 机动车应当停放在划定的车位内，不得占用消防通道、绿地和人行道。
第二条 外来车辆进入小区应当登记，临时停放不超过四小时。
第三条 电动自行车应当在集中充电区充电，不得飞线充电或者推入楼道、电梯。
第四条 占用他人车位的，物业服务企业应当及时联系车主挪车。
第五条 新能源汽车充电桩的安装，由业主向物业服务企业申请，按照安全规范施工。";

async fn actor(db: &impl ConnectionTrait, username: &str) -> AppResult<Actor> {
    let user =
        user::Entity::find().filter(user::Column::Username.eq(username)).one(db).await?.ok_or(AppError::NotFound)?;
    let memberships = membership::Entity::find().filter(membership::Column::UserId.eq(user.id)).all(db).await?;
    Ok(Actor { user, memberships })
}

/// The `n`-th verified owner (0-based) of compound `c`, by account.
async fn owner(db: &impl ConnectionTrait, c: &compound::Model, n: usize) -> AppResult<Actor> {
    let m = membership::Entity::find()
        .filter(membership::Column::CompoundId.eq(c.id))
        .filter(membership::Column::Role.eq(Role::Owner.as_str()))
        .order_by_asc(membership::Column::UserId)
        .all(db)
        .await?;
    let user_id = m.get(n).map(|m| m.user_id).ok_or(AppError::NotFound)?;
    let user = user::Entity::find_by_id(user_id).one(db).await?.ok_or(AppError::NotFound)?;
    let memberships = membership::Entity::find().filter(membership::Column::UserId.eq(user.id)).all(db).await?;
    Ok(Actor { user, memberships })
}

fn draft(source: &str) -> AppResult<DraftBody> {
    let lines: Vec<String> = source.lines().map(str::to_owned).collect();
    Ok(text::parse_text(&lines)?.draft)
}

/// The id of article number `n` (1-based) in the convention's current text.
async fn article(db: &impl ConnectionTrait, who: &Actor, id: i64, n: usize) -> AppResult<(String, i32)> {
    let l = ops::load(db, who, id).await?;
    let a = text::numbered(&l.body).get(n - 1).map(|a| a.id.clone()).ok_or(AppError::NotFound)?;
    Ok((a, l.c.version))
}

async fn say(
    db: &impl ConnectionTrait,
    who: &Actor,
    id: i64,
    n: usize,
    wording: Option<&str>,
    text: &str,
) -> AppResult<i64> {
    let (article_id, version) = article(db, who, id, n).await?;
    let kind = if wording.is_some() { CommentKind::Amendment } else { CommentKind::Comment };
    let req =
        NewConventionComment { article_id, version, kind, text: text.into(), wording: wording.map(str::to_owned) };
    ops::comment(db, who, id, req).await
}

async fn reply(
    db: &impl ConnectionTrait,
    who: &Actor,
    id: i64,
    comment_id: i64,
    outcome: AnswerOutcome,
    reason: &str,
    wording: Option<&str>,
) -> AppResult<()> {
    let version = ops::load(db, who, id).await?.c.version;
    let req = AnswerComment { outcome, reason: reason.into(), wording: wording.map(str::to_owned), version };
    ops::answer(db, who, id, comment_id, req).await
}

/// Seed the demo's conventions in 太阳城二期 (`first`) and 上河时代 (`second`).
pub async fn seed_demo(db: &impl ConnectionTrait, first: &compound::Model, second: &compound::Model) -> AppResult<()> {
    let now = Utc::now();
    let committee = actor(db, "committee").await?;
    let new = NewConvention {
        kind: ConventionKind::Residents,
        title: "文明养犬公约".into(),
        template: None,
        body: Some(draft(DOG_PACT)?),
        enforcer: None,
    };
    let pact = ops::create(db, &committee, ops::Scope::Compound(first.id), new).await?;
    let period = OpenConsultation { from: None, until: now + Duration::days(14), questionnaire_id: None };
    ops::open_consultation(db, &committee, pact, period).await?;
    let (a, b, c, d) = (
        owner(db, first, 9).await?,
        owner(db, first, 10).await?,
        owner(db, first, 11).await?,
        owner(db, first, 12).await?,
    );
    let leash = say(db, &a, pact, 2, None, "“束犬链”最好写明长度，太长的绳子在电梯口一样吓人。").await?;
    let waste = say(
        db,
        &b,
        pact,
        3,
        Some("犬只在小区内排泄的粪便，牵领人应当立即清理；犬只在楼道、电梯内便溺的，还应当清洗干净。"),
        "楼道和电梯里的尿渍没人清洗，光清理粪便不够。",
    )
    .await?;
    let large = say(db, &c, pact, 6, Some("本小区禁止饲养犬只。"), "小区老人孩子多，建议干脆不许养犬。").await?;
    ops::support(db, &d, pact, waste, true).await?;
    ops::support(db, &a, pact, waste, true).await?;
    reply(
        db,
        &committee,
        pact,
        leash,
        AnswerOutcome::Adopted,
        "采纳。参照多地养犬管理规定，写明犬链长度不超过一点五米。",
        Some("犬只出户应当束犬链，犬链长度不超过一点五米，由成年人牵领，主动避让老人、儿童和孕妇。"),
    )
    .await?;
    reply(db, &committee, pact, waste, AnswerOutcome::Adopted, "采纳。楼道、电梯属共有部分，便溺应当清洗。", None)
        .await?;
    reply(
        db,
        &committee,
        pact,
        large,
        AnswerOutcome::NotAdopted,
        "不予采纳。问卷中多数住户赞成文明养犬而非禁养，禁养也超出公约可以约束的范围；第六条已禁止烈性犬、大型犬。",
        None,
    )
    .await?;
    // The consultation ran for two weeks and ended a week ago.
    convention::Entity::update_many()
        .col_expr(convention::Column::ConsultFrom, Expr::value(now - Duration::days(21)))
        .col_expr(convention::Column::ConsultUntil, Expr::value(now - Duration::days(7)))
        .filter(convention::Column::Id.eq(pact))
        .exec(db)
        .await?;

    // The committee put the final version to the owners: the demo's open vote is on it.
    let pact_vote = vote::Entity::find()
        .filter(vote::Column::CompoundId.eq(first.id))
        .filter(vote::Column::Title.contains("文明养犬公约"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    super::adoption::bind_vote(db, &committee, pact, &pact_vote).await?;

    let property2 = actor(db, "property2").await?;
    let new = NewConvention {
        kind: ConventionKind::Residents,
        title: "停车管理公约".into(),
        template: None,
        body: Some(draft(PARKING)?),
        enforcer: None,
    };
    let parking = ops::create(db, &property2, ops::Scope::Compound(second.id), new).await?;
    let period = OpenConsultation { from: None, until: now + Duration::days(10), questionnaire_id: None };
    ops::open_consultation(db, &property2, parking, period).await?;
    let (e, f) = (owner(db, second, 0).await?, owner(db, second, 1).await?);
    say(db, &e, parking, 2, None, "四小时太短，来看望老人的亲戚常常要待一整天。").await?;
    let charge = say(
        db,
        &f,
        parking,
        3,
        Some(
            "电动自行车应当在集中充电区充电，不得飞线充电或者推入楼道、电梯；物业服务企业应当在每栋楼附近设置充电桩。",
        ),
        "集中充电区离后排楼太远，不增设充电桩，飞线充电禁不住。",
    )
    .await?;
    ops::support(db, &e, parking, charge, true).await?;
    covenant_in_force(db, first, &committee).await?;
    sorting_pledge(db, first.community_id).await
}

/// 太阳城二期's management covenant, adopted by the owners' assembly on paper before the compound
/// came onto the platform, in force for a year and acknowledged by part of the households: some
/// on the phone, some on paper entered by the property company.
async fn covenant_in_force(db: &impl ConnectionTrait, c: &compound::Model, committee: &Actor) -> AppResult<()> {
    let now = Utc::now();
    let new = NewConvention {
        kind: ConventionKind::Covenant,
        title: "太阳城二期管理规约".into(),
        template: Some("covenant".into()),
        body: None,
        enforcer: None,
    };
    let id = ops::create(db, committee, ops::Scope::Compound(c.id), new).await?;
    let from = now - Duration::days(365);
    let record = "2025年第一次业主大会会议书面表决通过，表决结果公告及计票记录原件存业主委员会档案。";
    super::adoption::record_earlier_vote(db, committee, id, record, crate::china_time::date(from), from).await?;
    convention::Entity::update_many()
        .col_expr(convention::Column::ReviewOn, Expr::value(crate::china_time::date(now + Duration::days(30))))
        .filter(convention::Column::Id.eq(id))
        .exec(db)
        .await?;
    let property = actor(db, "property").await?;
    let version = ops::load(db, committee, id).await?.c.in_force_version.unwrap_or(1);
    let holders = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(c.id))
        .filter(holder::Column::IsDeveloper.eq(false))
        .order_by_asc(holder::Column::HolderKey)
        .all(db)
        .await?;
    let links: std::collections::HashMap<i64, i64> = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.is_in(holders.iter().map(|h| h.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.holder_id, l.user_id))
        .collect();
    // The first households (owner001 and the next few) have not yet: the demo shows them the button.
    let rows: Vec<convention_acknowledgement::ActiveModel> = holders
        .iter()
        .enumerate()
        .filter(|(i, _)| *i >= 6 && i % 5 < 3)
        .map(|(i, h)| {
            let online = i % 5 != 2 && links.contains_key(&h.id);
            let at = now - Duration::days(300 - (i as i64 % 200));
            convention_acknowledgement::ActiveModel {
                convention_id: Set(id),
                version: Set(version),
                compound_id: Set(c.id),
                holder_id: Set(h.id),
                user_id: Set(if online { links.get(&h.id).copied() } else { None }),
                channel: Set(if online { "online" } else { "paper" }.into()),
                entered_by: Set((!online).then_some(property.user.id)),
                signed_on: Set((!online).then(|| crate::china_time::date(at))),
                created_at: Set(at),
                ..Default::default()
            }
        })
        .collect();
    for chunk in rows.chunks(300) {
        convention_acknowledgement::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    Ok(())
}

/// The community's 垃圾分类倡议, a residents' pledge adopted by a three-party consultation.
async fn sorting_pledge(db: &impl ConnectionTrait, community_id: i64) -> AppResult<()> {
    let secretary = actor(db, "secretary").await?;
    let new = NewConvention {
        kind: ConventionKind::Residents,
        title: "垃圾分类倡议".into(),
        template: None,
        body: Some(draft(SORTING)?),
        enforcer: None,
    };
    let id = ops::create(db, &secretary, ops::Scope::Community(community_id), new).await?;
    let version = ops::load(db, &secretary, id).await?.c.version;
    // Decided at the three-party consultation on the garbage outside the north gate.
    let consultation = meeting::Entity::find()
        .filter(meeting::Column::CommunityId.eq(community_id))
        .filter(meeting::Column::Kind.eq(MeetingKind::Consultation))
        .filter(meeting::Column::Status.eq(MeetingStatus::Held))
        .filter(meeting::Column::Title.contains("垃圾"))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let req = PutConvention {
        action: AdoptionAction::Adopt,
        route: AdoptionRoute::Pledge,
        version,
        in_force_from: Some(consultation.starts_at + Duration::days(1)),
        review_on: None,
        opens_at: None,
        closes_at: None,
        compound_ids: Vec::new(),
        decided_by: Some("three_party".into()),
        decided_on: None,
        record: Some("社区、物业、业主委员会三方协商会议议定：在全社区倡议垃圾分类，由社区居委会组织宣传，物业服务企业落实分类收集。".into()),
        filed_on: None,
        filing_ref: None,
        meeting_id: Some(consultation.id),
    };
    super::adoption::put(db, &secretary, id, req).await
}
