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
                    let _ = writeln!(
                        csv,
                        "{b}号楼,{number},{},{source},{name},{phone},{key}",
                        crate::roster::area::format(area)
                    );
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
        let (_, rows) = parse_roster(csv.as_bytes(), crate::extract::Lang::En);
        let rows = rows.map_err(|e| anyhow::anyhow!("demo roster is invalid: {:?}", e.first()))?;
        let mut report = ImportReport::default();
        apply_rows(&txn, &c, secretary.id, csv.as_bytes(), &rows, &mut report).await?;
        link_demo_owners(&txn, &c, &hash, &mut owner_no).await?;
        if plan.name == PLANS[0].name {
            pact_vote(&txn, &c, community.id).await?;
            crate::questionnaires::seed_demo(&txn, &c).await?;
        }
    }
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
async fn pact_vote(txn: &impl ConnectionTrait, c: &compound::Model, community_id: i64) -> AppResult<()> {
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
        status: Set("published".into()),
        created_by: Set(committee.id),
        created_at: Set(now),
        published_at: Set(Some(now)),
        ..Default::default()
    })
    .exec_with_returning(txn)
    .await?;
    let units = crate::votes::lifecycle::units_in_scope(txn, &v).await?;
    let owners = crate::votes::lifecycle::owners_of(txn, &units).await?;
    crate::notices::publish(
        txn,
        crate::notices::NewNotice {
            community_id,
            compound_id: Some(c.id),
            kind: "vote_notice",
            title: format!("业主大会表决通知：{}", v.title),
            body: "请在手机上查看公约全文并投票。".into(),
            link: Some(format!("/votes/{}", v.id)),
            created_by: Some(committee.id),
        },
        &owners,
    )
    .await?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::sheet::distinct_holders;

    #[test]
    fn the_demo_roster_is_valid_and_has_the_interesting_holders() {
        let mut rng = Lcg(1);
        let csv = roster_csv(&PLANS[0], &mut rng);
        let rows = parse_roster(csv.as_bytes(), crate::extract::Lang::En).1.expect("valid demo roster");
        assert_eq!(rows.len(), 5 * 2 * 11 * 2);
        let first = rows.iter().filter(|r| r.holder_key == "TYC0001").count();
        assert_eq!(first, 3, "the first holder holds three units");
        let dev = rows.iter().filter(|r| r.is_developer()).count();
        assert_eq!(dev, 12);
        assert_eq!(distinct_holders(&rows), rows.len() - 2 - dev + 1);
    }
}
