//! `sanfang serve --demo`: a demo community modelled on 太阳城社区 (seed 001), with two compounds,
//! the three parties, a few hundred units and an account for every role.
//!
//! Every demo account's password is [`DEMO_PASSWORD`].
use std::fmt::Write as _;

use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::json;

use crate::{
    accounts::{Scope, grant, insert_user},
    audit::{self, Event},
    auth::password,
    db::write_txn,
    entities::{community, compound, holder, owner_link, party, vote},
    error::AppResult,
    policy::{PartyKind, Role},
    roster::{ImportReport, apply_rows, sheet::parse_roster},
    tenancy::{insert_community, insert_compound},
};
use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};

pub const DEMO_PASSWORD: &str = "sanfang-demo";

/// Holders at the end of each compound's roster are left without an account, so that linking
/// and invitation codes can be tried on them.
const UNLINKED_PER_COMPOUND: usize = 10;

/// A small deterministic generator, so every demo database is the same.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
    "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂兰", "志强", "丽华", "国庆", "淑珍", "海燕", "文明", "玉梅", "立新", "春花", "德明", "晓东",
    "红梅", "振华", "美玲", "永刚", "雪梅", "卫东", "静", "伟", "芳", "敏", "磊", "娜", "勇", "艳", "杰", "涛",
];

struct CompoundPlan {
    name: &'static str,
    address: &'static str,
    property: &'static str,
    committee: &'static str,
    buildings: u32,
    floors: u32,
    key_prefix: &'static str,
    /// Units at the top of the last building still held by the developer.
    unsold: u32,
}

const PLANS: [CompoundPlan; 2] = [
    CompoundPlan {
        name: "太阳城二期",
        address: "平城区北街街道太阳城路",
        property: "太阳城二期物业服务中心",
        committee: "太阳城二期业主委员会",
        buildings: 5,
        floors: 11,
        key_prefix: "TYC",
        unsold: 12,
    },
    CompoundPlan {
        name: "上河时代",
        address: "平城区北街街道上河路",
        property: "上河时代物业服务中心",
        committee: "上河时代业主委员会",
        buildings: 3,
        floors: 9,
        key_prefix: "SHS",
        unsold: 6,
    },
];

/// The roster sheet of a demo compound, as a property company would keep it.
fn roster_csv(plan: &CompoundPlan, rng: &mut Lcg) -> String {
    let mut csv = String::from("楼栋,房号,面积,面积来源,业主姓名,联系电话,业主编号\n");
    let layouts = [8956_i64, 10532, 12678, 14321];
    let mut holder_no = 0;
    let mut first: Option<(String, String, String)> = None;
    for b in 1..=plan.buildings {
        for entrance in 1..=2u32 {
            for floor in 1..=plan.floors {
                for room in 1..=2u32 {
                    let layout = layouts[((entrance - 1) * 2 + room - 1) as usize];
                    // Registered areas differ a little from the drawings, flat by flat.
                    let area = layout + rng.next(60) as i64 - 30;
                    let source = match rng.next(20) {
                        0 => "surveyed",
                        1 => "contract",
                        _ => "registered",
                    };
                    let number = format!("{entrance}单元{floor}{room:02}");
                    let unsold = b == plan.buildings && entrance == 2 && floor > plan.floors - plan.unsold.div_ceil(2);
                    // The first holder owns two flats side by side and one in the next building:
                    // three units, one head.
                    let first_holders =
                        (b == 1 && entrance == 1 && floor == 1) || (b == 2 && entrance == 1 && floor == 3 && room == 1);
                    let (name, phone, key) = match (&first, unsold) {
                        (_, true) => ("开发商（未售）".to_owned(), String::new(), "developer".to_owned()),
                        (Some((n, p, k)), false) if first_holders => (n.clone(), p.clone(), k.clone()),
                        _ => {
                            holder_no += 1;
                            let name = format!(
                                "{}{}",
                                SURNAMES[rng.next(SURNAMES.len() as u64) as usize],
                                GIVEN[rng.next(GIVEN.len() as u64) as usize]
                            );
                            let phone = format!("139{:08}", 10_000_000 + rng.next(89_999_999));
                            let key = format!("{}{:04}", plan.key_prefix, holder_no);
                            if first.is_none() {
                                first = Some((name.clone(), phone.clone(), key.clone()));
                            }
                            (name, phone, key)
                        }
                    };
                    let _ =
                        writeln!(csv, "{b}号楼,{number},{},{source},{name},{phone},{key}", crate::area::format(area));
                }
            }
        }
    }
    csv
}

/// Seed the demo into an empty database; a database that already has a community is left alone.
/// Returns whether it seeded.
pub async fn seed(db: &DatabaseConnection) -> AppResult<bool> {
    if community::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    // One hash for every demo account: they share the published demo password, and hashing it
    // hundreds of times would only slow the start.
    let hash =
        tokio::task::spawn_blocking(|| password::hash_blocking(DEMO_PASSWORD)).await.map_err(anyhow::Error::from)??;
    let txn = write_txn(db).await?;
    let admin = insert_user(&txn, "admin", "系统管理员", None, &hash).await?;
    grant(&txn, admin.id, Role::Admin, Scope { community_id: None, compound_id: None, party_id: None }).await?;

    let community = insert_community(&txn, "太阳城社区", Some("平城区北街街道"), "太阳城社区居委会").await?;
    crate::concerns::seed_categories(&txn, community.id).await?;
    let office = party::Entity::find()
        .filter(party::Column::CommunityId.eq(community.id))
        .filter(party::Column::Kind.eq(PartyKind::CommunityOffice.as_str()))
        .one(&txn)
        .await?;
    let office_scope =
        || Scope { community_id: Some(community.id), compound_id: None, party_id: office.as_ref().map(|p| p.id) };
    let secretary = insert_user(&txn, "secretary", "李书记", Some("13900000001"), &hash).await?;
    grant(&txn, secretary.id, Role::Secretary, office_scope()).await?;
    let staff = insert_user(&txn, "staff", "张社工", Some("13900000002"), &hash).await?;
    grant(&txn, staff.id, Role::CommunityStaff, office_scope()).await?;

    let mut rng = Lcg(20261122);
    let mut owner_no = 0;
    let staff_accounts: [[(&str, &str, Role); 3]; 2] = [
        [
            ("property", "赵经理", Role::PropertyManager),
            ("committee", "刘主任", Role::CommitteeChair),
            ("member", "陈委员", Role::CommitteeMember),
        ],
        [
            ("property2", "孙经理", Role::PropertyManager),
            ("committee2", "周主任", Role::CommitteeChair),
            ("member2", "吴委员", Role::CommitteeMember),
        ],
    ];
    for (plan, accounts) in PLANS.iter().zip(staff_accounts) {
        let c =
            insert_compound(&txn, community.id, plan.name, Some(plan.address), plan.property, plan.committee).await?;
        for (username, name, role) in accounts {
            let u = insert_user(&txn, username, name, None, &hash).await?;
            let kind =
                if role == Role::PropertyManager { PartyKind::PropertyCompany } else { PartyKind::OwnersCommittee };
            let p = party::Entity::find()
                .filter(party::Column::CompoundId.eq(c.id))
                .filter(party::Column::Kind.eq(kind.as_str()))
                .one(&txn)
                .await?;
            grant(
                &txn,
                u.id,
                role,
                Scope { community_id: Some(community.id), compound_id: Some(c.id), party_id: p.map(|p| p.id) },
            )
            .await?;
        }
        let csv = roster_csv(plan, &mut rng);
        let (_, rows) = parse_roster(csv.as_bytes(), crate::i18n::Lang::En);
        let rows = rows.map_err(|e| anyhow::anyhow!("demo roster is invalid: {:?}", e.first()))?;
        let mut report = ImportReport::default();
        apply_rows(&txn, &c, secretary.id, csv.as_bytes(), &rows, &mut report).await?;
        link_demo_owners(&txn, &c, &hash, &mut owner_no).await?;
        if plan.name == PLANS[0].name {
            pact_vote(&txn, &c).await?;
            demo_concerns(&txn, &c).await?;
            crate::questionnaires::seed_demo(&txn, &c).await?;
        }
    }
    north_gate_yard(&txn, community.id, &hash, secretary.id).await?;
    let compounds = compound::Entity::find()
        .filter(compound::Column::CommunityId.eq(community.id))
        .order_by_asc(compound::Column::Id)
        .all(&txn)
        .await?;
    crate::meetings::seed_demo(&txn, community.id, &compounds[0], &compounds[1]).await?;
    crate::minutes::seed_demo(&txn, community.id).await?;
    crate::conventions::seed_demo(&txn, &compounds[0], &compounds[1]).await?;
    covenant_breach(&txn, &compounds[0]).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(admin.id),
            action: "demo.seeded",
            community_id: Some(community.id),
            compound_id: None,
            subject: format!("community:{}", community.id),
            detail: json!({ "owners": owner_no }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// One breach report on the pet article of 太阳城二期's management covenant, made by an owner and
/// routed by the covenant to the property company.
async fn covenant_breach(txn: &impl ConnectionTrait, c: &compound::Model) -> AppResult<()> {
    use crate::entities::{concern_category, convention, membership, user};
    let who = |name: &'static str| async move {
        let user = user::Entity::find()
            .filter(user::Column::Username.eq(name))
            .one(txn)
            .await?
            .ok_or(crate::error::AppError::NotFound)?;
        let memberships = membership::Entity::find().filter(membership::Column::UserId.eq(user.id)).all(txn).await?;
        AppResult::Ok(crate::auth::Actor { user, memberships })
    };
    let owner = who("owner008").await?;
    let covenant = convention::Entity::find()
        .filter(convention::Column::CompoundId.eq(c.id))
        .filter(convention::Column::Title.eq("太阳城二期管理规约"))
        .one(txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let l = crate::conventions::load(txn, &owner, covenant.id).await?;
    let pets = l.body.chapters.iter().flat_map(|ch| &ch.articles).find(|a| a.text.contains("饲养动物"));
    let pets = pets.ok_or(crate::error::AppError::NotFound)?.id.clone();
    let category = concern_category::Entity::find()
        .filter(concern_category::Column::CommunityId.eq(c.community_id))
        .filter(concern_category::Column::Key.eq("pets"))
        .one(txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let report = crate::concerns::NewConcern {
        category_id: Some(category.id),
        text: "3号楼有住户每天早晚在楼下草坪遛大型犬不牵绳，孩子们不敢下楼玩，劝过几次没有改。".into(),
        building_id: None,
        location: Some("3号楼南侧草坪".into()),
        convention_id: Some(covenant.id),
        article_id: Some(pets),
    };
    crate::concerns::raise(txn, &owner, c.id, report).await?;
    Ok(())
}

const PACT: &str = "## 太阳城二期文明养犬公约（草案）\n\n\
经社区、物业、业主委员会三方协商，并参考业主问卷意见，拟定本公约，提请业主大会表决。\n\n\
1. 依法为犬只办理登记和免疫，犬只佩戴犬牌。\n\
2. 出户遛犬须束犬链，由完全民事行为能力人牵领；乘坐电梯时主动避让他人。\n\
3. 及时清理犬只粪便，不在楼道、绿地、儿童游乐区内遛犬。\n\
4. 晚 22 时至早 7 时，采取措施避免犬吠扰民。\n\
5. 禁止饲养烈性犬、大型犬；发现流浪犬及时告知物业。\n\n\
违反本公约的，由业主委员会、物业服务中心劝导；屡劝不改的，报告社区和有关部门处理。";

/// The demo's open vote: the civilized dog-keeping pact of seed 001, put to the owners of
/// 太阳城二期 as a management-covenant matter. The demo compound gives no notice period, so that
/// votes drafted in the demo can open at once.
/// A written proxy registered and confirmed three days before the pact vote opened: owner005
/// votes for owner004's home (TYC0004). The committee registered it and the community office
/// confirmed it, as every proxy must be.
async fn demo_proxy(txn: &impl ConnectionTrait, c: &compound::Model, committee: i64) -> AppResult<()> {
    use crate::entities::{proxy, user};
    use sea_orm::ActiveValue::Set;
    let find = |name: &'static str| user::Entity::find().filter(user::Column::Username.eq(name)).one(txn);
    let (Some(secretary), Some(proxy_user)) = (find("secretary").await?, find("owner005").await?) else {
        return Err(crate::error::AppError::NotFound);
    };
    let h = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(c.id))
        .filter(holder::Column::HolderKey.eq("TYC0004"))
        .one(txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let then = chrono::Utc::now() - chrono::Duration::days(3);
    let p = proxy::Entity::insert(proxy::ActiveModel {
        compound_id: Set(c.id),
        holder_id: Set(h.id),
        proxy_user_id: Set(proxy_user.id),
        valid_from: Set(then),
        valid_until: Set(then + chrono::Duration::days(60)),
        note: Set(Some("书面委托书原件存社区居委会".into())),
        created_by: Set(committee),
        created_at: Set(then),
        registrar_party: Set(Some(PartyKind::OwnersCommittee.as_str().into())),
        confirmed_by: Set(Some(secretary.id)),
        confirmed_at: Set(Some(then)),
        counts_from: Set(Some(then)),
        ..Default::default()
    })
    .exec_with_returning(txn)
    .await?;
    for (actor, action) in [(committee, "proxy.registered"), (secretary.id, "proxy.confirmed")] {
        audit::record(
            txn,
            Event {
                actor_id: Some(actor),
                action,
                community_id: Some(c.community_id),
                compound_id: Some(c.id),
                subject: format!("holder:{}", h.id),
                detail: json!({ "proxy": p.id, "proxy_user": proxy_user.id, "from": p.valid_from, "until": p.valid_until }),
            },
        )
        .await?;
    }
    crate::verification::tell_holder(
        txn,
        c,
        h.id,
        &[proxy_user.id],
        "holder_proxy",
        json!({ "holder": h.holder_key, "proxy": proxy_user.display_name, "counts_from": p.counts_from,
                "valid_until": p.valid_until }),
    )
    .await
}

async fn pact_vote(txn: &impl ConnectionTrait, c: &compound::Model) -> AppResult<()> {
    use sea_orm::ActiveValue::Set;
    let mut am: compound::ActiveModel = c.clone().into();
    am.notice_days = Set(0);
    sea_orm::ActiveModelTrait::update(am, txn).await?;
    let committee = crate::entities::user::Entity::find()
        .filter(crate::entities::user::Column::Username.eq("committee"))
        .one(txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let now = chrono::Utc::now();
    demo_proxy(txn, c, committee.id).await?;
    let v = vote::Entity::insert(vote::ActiveModel {
        compound_id: Set(c.id),
        title: Set("《太阳城二期文明养犬公约》表决".into()),
        body: Set(PACT.into()),
        matter: Set("covenant".into()),
        form: Set("motion".into()),
        seats: Set(None),
        secret: Set(false),
        allow_change: Set(false),
        building_ids: Set(None),
        opens_at: Set(now),
        closes_at: Set(now + chrono::Duration::days(14)),
        status: Set(crate::entities::vote::VoteStatus::Published),
        created_by: Set(committee.id),
        created_at: Set(now),
        published_at: Set(Some(now)),
        ..Default::default()
    })
    .exec_with_returning(txn)
    .await?;
    let units = crate::votes::lifecycle::units_in_scope(txn, &v).await?;
    let owners = crate::votes::lifecycle::owners_of(txn, &units).await?;
    crate::notices::publish(txn, crate::votes::ops::vote_notice(c, &v).by(committee.id), &owners).await?;
    audit::record(
        txn,
        Event {
            actor_id: Some(committee.id),
            action: "vote.published",
            community_id: None,
            compound_id: Some(c.id),
            subject: format!("vote:{}", v.id),
            detail: json!({ "recipients": owners.len(), "opens_at": v.opens_at, "closes_at": v.closes_at }),
        },
    )
    .await?;
    Ok(())
}

/// Give each holder of `c` (but the developer and the last few) an account `ownerNNN`, verified.
async fn link_demo_owners(
    txn: &impl ConnectionTrait,
    c: &compound::Model,
    hash: &str,
    owner_no: &mut usize,
) -> AppResult<()> {
    let holders = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(c.id))
        .filter(holder::Column::IsDeveloper.eq(false))
        .order_by_asc(holder::Column::HolderKey)
        .all(txn)
        .await?;
    let linked = holders.len().saturating_sub(UNLINKED_PER_COMPOUND);
    let mut links = Vec::with_capacity(linked);
    for h in holders.into_iter().take(linked) {
        *owner_no += 1;
        let username = format!("owner{:03}", *owner_no);
        let u = insert_user(txn, &username, &h.name, h.phone.as_deref(), hash).await?;
        grant(
            txn,
            u.id,
            Role::Owner,
            Scope { community_id: Some(c.community_id), compound_id: Some(c.id), party_id: None },
        )
        .await?;
        links.push(owner_link::ActiveModel {
            user_id: sea_orm::ActiveValue::Set(u.id),
            holder_id: sea_orm::ActiveValue::Set(h.id),
            method: sea_orm::ActiveValue::Set("staff".into()),
            verified_by: sea_orm::ActiveValue::Set(None),
            created_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
            ..Default::default()
        });
    }
    for chunk in links.chunks(500) {
        owner_link::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    Ok(())
}

/// 北门小院, a small third compound: one building of 24 flats and 22 holders (one holds two
/// flats, the developer two unsold ones). Its five demo owners `owner-bm01` … `owner-bm05` hold
/// 120 m² flats: together 22.7 % of the heads and 26.2 % of the area, enough for a statutory
/// request (指导规则 Art. 21); any four are 18.2 % of the heads, not enough.
fn north_gate_roster() -> String {
    let mut csv = String::from("楼栋,房号,面积,面积来源,业主姓名,联系电话,业主编号\n");
    let mut plain = 5;
    for floor in 1..=6u32 {
        for room in 1..=4u32 {
            let n = (floor - 1) * 4 + room;
            let (area, name, key) = match n {
                1..=5 => ("120.00", NORTH_GATE_OWNERS[n as usize - 1].1.to_owned(), format!("BM{n:04}")),
                21 | 22 => ("90.00", "赵长河".to_owned(), "BM0021".to_owned()),
                23 | 24 => ("95.00", "开发商（未售）".to_owned(), "developer".to_owned()),
                _ => {
                    plain += 1;
                    let name = format!("{}{}", SURNAMES[plain % SURNAMES.len()], GIVEN[(plain * 7) % GIVEN.len()]);
                    ("88.00", name, format!("BM{plain:04}"))
                }
            };
            let _ = writeln!(csv, "1号楼,{floor}{room:02},{area},registered,{name},,{key}");
        }
    }
    csv
}

/// The five demo owners of 北门小院: (user name, name).
pub const NORTH_GATE_OWNERS: [(&str, &str); 5] = [
    ("owner-bm01", "孟庆华"),
    ("owner-bm02", "田玉兰"),
    ("owner-bm03", "邱国栋"),
    ("owner-bm04", "范丽娟"),
    ("owner-bm05", "石永强"),
];

async fn north_gate_yard(txn: &impl ConnectionTrait, community_id: i64, hash: &str, secretary: i64) -> AppResult<()> {
    let c = insert_compound(
        txn,
        community_id,
        "北门小院",
        Some("平城区北街街道太阳城路北"),
        "北门小院物业服务站",
        "北门小院业主委员会",
    )
    .await?;
    let mut staff = Vec::new();
    for (username, name, role, kind) in [
        ("property-bm", "钱站长", Role::PropertyManager, PartyKind::PropertyCompany),
        ("committee-bm", "郑主任", Role::CommitteeChair, PartyKind::OwnersCommittee),
    ] {
        let u = insert_user(txn, username, name, None, hash).await?;
        let p = party::Entity::find()
            .filter(party::Column::CompoundId.eq(c.id))
            .filter(party::Column::Kind.eq(kind.as_str()))
            .one(txn)
            .await?;
        grant(
            txn,
            u.id,
            role,
            Scope { community_id: Some(community_id), compound_id: Some(c.id), party_id: p.map(|p| p.id) },
        )
        .await?;
        staff.push(u);
    }
    let csv = north_gate_roster();
    let (_, rows) = parse_roster(csv.as_bytes(), crate::i18n::Lang::En);
    let rows = rows.map_err(|e| anyhow::anyhow!("demo roster is invalid: {:?}", e.first()))?;
    let mut report = ImportReport::default();
    apply_rows(txn, &c, secretary, csv.as_bytes(), &rows, &mut report).await?;
    let holders = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(c.id))
        .order_by_asc(holder::Column::HolderKey)
        .all(txn)
        .await?;
    for (i, (username, name)) in NORTH_GATE_OWNERS.iter().enumerate() {
        let key = format!("BM{:04}", i + 1);
        let h = holders.iter().find(|h| h.holder_key == key).ok_or(crate::error::AppError::NotFound)?;
        let u = insert_user(txn, username, name, None, hash).await?;
        grant(
            txn,
            u.id,
            Role::Owner,
            Scope { community_id: Some(community_id), compound_id: Some(c.id), party_id: None },
        )
        .await?;
        owner_link::Entity::insert(owner_link::ActiveModel {
            user_id: sea_orm::ActiveValue::Set(u.id),
            holder_id: sea_orm::ActiveValue::Set(h.id),
            method: sea_orm::ActiveValue::Set("staff".into()),
            verified_by: sea_orm::ActiveValue::Set(Some(secretary)),
            created_at: sea_orm::ActiveValue::Set(chrono::Utc::now()),
            ..Default::default()
        })
        .exec(txn)
        .await?;
    }
    let facilities =
        crate::concerns::categories_of(txn, community_id).await?.into_iter().find(|c| c.key == "facilities");
    crate::agendas::insert_agenda(
        txn,
        crate::agendas::Opening {
            opened_by: staff[1].id,
            community_id,
            compound: Some(c),
            title: "在北门小院增设电动自行车集中充电棚".into(),
            description: "楼道内给电动自行车充电的情况屡禁不止，存在火灾隐患。\n\n\
                          业主委员会提议在 1 号楼东侧空地增设集中充电棚，费用和收费办法另行协商。\n\n\
                          **附议**达到专有部分面积和业主人数各 20% 的，业主委员会将组织召开业主大会临时会议。"
                .into(),
            category_id: facilities.map(|c| c.id),
            party: PartyKind::OwnersCommittee,
            concern_id: None,
        },
    )
    .await?;
    Ok(())
}

/// Concerns of 太阳城二期 as seed 001 tells them: the garbage outside the north gate, routed to the
/// property company; a lift repair that was resolved and rated; a new one waiting to be routed.
async fn demo_concerns(txn: &impl ConnectionTrait, c: &compound::Model) -> AppResult<()> {
    use crate::{
        concerns::{ConcernStatus, ConcernStep, categories_of, due_at},
        entities::{concern, concern_event},
    };
    use sea_orm::ActiveValue::Set;
    let categories = categories_of(txn, c.community_id).await?;
    let category =
        |key: &str| categories.iter().find(|c| c.key == key).cloned().ok_or(crate::error::AppError::NotFound);
    let user = |name: &'static str| async move {
        crate::entities::user::Entity::find()
            .filter(crate::entities::user::Column::Username.eq(name))
            .one(txn)
            .await?
            .ok_or(crate::error::AppError::NotFound)
    };
    let property_party = party::Entity::find()
        .filter(party::Column::CompoundId.eq(c.id))
        .filter(party::Column::Kind.eq(PartyKind::PropertyCompany.as_str()))
        .one(txn)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    let (secretary, property) = (user("secretary").await?, user("property").await?);
    let now = chrono::Utc::now();
    let h = chrono::Duration::hours;
    // (raiser, category, text, location, hours ago, status, steps after raising, rating)
    type Plan = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        i64,
        ConcernStatus,
        &'static [ConcernStep],
        Option<i32>,
    );
    let plans: [Plan; 3] = [
        (
            "owner005",
            "hygiene",
            "北门外路面有生活垃圾堆放，无人清理，气味刺鼻，请尽快清运并消毒。",
            "北门外路面",
            30,
            ConcernStatus::Acknowledged,
            &[ConcernStep::Routed, ConcernStep::Acknowledged],
            None,
        ),
        (
            "owner012",
            "repairs",
            "3号楼2单元电梯这周停了两次，老人上下楼很不方便。",
            "3号楼2单元",
            24 * 20,
            ConcernStatus::Confirmed,
            &[
                ConcernStep::Routed,
                ConcernStep::Acknowledged,
                ConcernStep::Resolved,
                ConcernStep::Confirmed,
                ConcernStep::Rated,
            ],
            Some(4),
        ),
        (
            "owner020",
            "noise",
            "夜里十一点后楼下广场舞音响声音仍然很大。",
            "中心广场",
            2,
            ConcernStatus::Submitted,
            &[],
            None,
        ),
    ];
    for (raiser, key, text, location, ago, status, steps, rating) in plans {
        let raiser = user(raiser).await?;
        let cat = category(key)?;
        let at = now - h(ago);
        let routed = !steps.is_empty();
        let row = concern::Entity::insert(concern::ActiveModel {
            community_id: Set(c.community_id),
            compound_id: Set(c.id),
            building_id: Set(None),
            location: Set(Some(location.into())),
            category_id: Set(cat.id),
            text: Set(text.into()),
            raised_by: Set(raiser.id),
            status: Set(status),
            assigned_party_id: Set(routed.then_some(property_party.id)),
            assigned_kind: Set(routed.then(|| PartyKind::PropertyCompany.as_str().into())),
            due_at: Set(due_at(at, cat.time_limit_hours)),
            created_at: Set(at),
            updated_at: Set(at),
            routed_at: Set(routed.then(|| at + h(1))),
            acknowledged_at: Set(steps.contains(&ConcernStep::Acknowledged).then(|| at + h(2))),
            resolved_at: Set(steps.contains(&ConcernStep::Resolved).then(|| at + h(20))),
            confirmed_at: Set(steps.contains(&ConcernStep::Confirmed).then(|| at + h(22))),
            rating: Set(rating),
            rated_at: Set(rating.map(|_| at + h(22))),
            agenda_id: Set(None),
            ..Default::default()
        })
        .exec_with_returning(txn)
        .await?;
        let mut events = vec![(ConcernStep::Raised, raiser.id, None, at)];
        for (i, step) in steps.iter().enumerate() {
            let who = match step {
                ConcernStep::Routed => secretary.id,
                ConcernStep::Confirmed | ConcernStep::Rated => raiser.id,
                _ => property.id,
            };
            let kind = match step {
                ConcernStep::Routed => Some(PartyKind::CommunityOffice),
                ConcernStep::Confirmed | ConcernStep::Rated => None,
                _ => Some(PartyKind::PropertyCompany),
            };
            events.push((*step, who, kind, at + h(i as i64 + 1)));
        }
        for (step, who, kind, when) in events {
            let detail = match step {
                ConcernStep::Routed => Some(json!({ "party_kind": "property_company" }).to_string()),
                ConcernStep::Rated => Some(json!({ "rating": rating }).to_string()),
                _ => None,
            };
            concern_event::Entity::insert(concern_event::ActiveModel {
                concern_id: Set(row.id),
                kind: Set(step.as_str().into()),
                actor_id: Set(Some(who)),
                actor_kind: Set(kind.map(|k| k.as_str().into())),
                note: Set(None),
                detail: Set(detail),
                at: Set(when),
                ..Default::default()
            })
            .exec(txn)
            .await?;
        }
        audit::record(
            txn,
            Event {
                actor_id: Some(raiser.id),
                action: "concern.raised",
                community_id: Some(c.community_id),
                compound_id: Some(c.id),
                subject: format!("concern:{}", row.id),
                detail: json!({ "category": key, "demo_status": status.as_str() }),
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::sheet::distinct_holders;

    #[test]
    fn five_north_gate_owners_reach_the_statutory_fifth_and_four_do_not() {
        use crate::{agendas::statutory_request_reached, votes::tally::Weight};
        let rows = parse_roster(north_gate_roster().as_bytes(), crate::i18n::Lang::En).1.expect("valid roster");
        assert_eq!(rows.len(), 24);
        let total = Weight { area: rows.iter().map(|r| r.area_centi).sum(), heads: distinct_holders(&rows) as i64 };
        assert_eq!(total.heads, 22);
        let of = |n: i64| Weight {
            area: rows
                .iter()
                .filter(|r| (1..=n).any(|i| r.holder_key == format!("BM{i:04}")))
                .map(|r| r.area_centi)
                .sum(),
            heads: n,
        };
        assert!(statutory_request_reached(of(5), total));
        assert!(!statutory_request_reached(of(4), total));
    }

    #[test]
    fn the_demo_roster_is_valid_and_has_the_interesting_holders() {
        let mut rng = Lcg(1);
        let csv = roster_csv(&PLANS[0], &mut rng);
        let rows = parse_roster(csv.as_bytes(), crate::i18n::Lang::En).1.expect("valid demo roster");
        assert_eq!(rows.len(), 5 * 2 * 11 * 2);
        let first = rows.iter().filter(|r| r.holder_key == "TYC0001").count();
        assert_eq!(first, 3, "the first holder holds three units");
        let dev = rows.iter().filter(|r| r.is_developer()).count();
        assert_eq!(dev, 12);
        assert_eq!(distinct_holders(&rows), rows.len() - 2 - dev + 1);
    }
}
