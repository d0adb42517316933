//! Binding votes: drafting and publishing, the scope of a vote, and the roster frozen at opening.
//! The fixtures here serve the other `votes_*` modules too.
use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use sanfang::entities::{ballot, vote};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, prelude::Expr};
use serde_json::{Value, json};

use crate::helpers::*;

/// The header of a roster sheet.
pub const HEADER: &str = "building,unit,area,area_source,holder_name,holder_phone,holder_key\n";

/// `d` from now, as the API takes times.
pub fn at(d: Duration) -> String {
    (Utc::now() + d).to_rfc3339()
}

/// A motion that opens now and closes in an hour.
pub fn motion(title: &str, matter: &str) -> Value {
    json!({ "title": title, "body": "表决事项全文", "matter": matter, "form": "motion",
            "opens_at": at(Duration::zero()), "closes_at": at(Duration::hours(1)) })
}

/// `base` with the fields of `extra` set.
pub fn with(mut base: Value, extra: Value) -> Value {
    for (k, v) in extra.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

pub async fn draft(app: &TestApp, token: &str, compound: i64, body: Value) -> Res {
    app.post(&format!("/api/v1/compounds/{compound}/votes"), Some(token), body).await
}

/// Draft `body` in `compound` and publish it; returns the vote as publishing answers it.
pub async fn publish_vote(app: &TestApp, token: &str, compound: i64, body: Value) -> Value {
    let id = draft(app, token, compound, body).await.expect(StatusCode::CREATED).id();
    app.post(&format!("/api/v1/votes/{id}/publish"), Some(token), json!({})).await.expect(StatusCode::OK).body
}

/// Draft and publish a vote that opens now; returns its id.
pub async fn open_vote(app: &TestApp, token: &str, compound: i64, body: Value) -> i64 {
    let v = publish_vote(app, token, compound, body).await;
    assert_eq!(v["status"], "open", "{v}");
    assert!(v["frozen_at"].is_string(), "{v}");
    v["id"].as_i64().unwrap()
}

pub async fn cast(app: &TestApp, token: &str, vote: i64, body: Value) -> Res {
    app.post(&format!("/api/v1/votes/{vote}/ballots"), Some(token), body).await
}

/// Move a vote's closing time to now behind the server's back, then look at it as an
/// administrator: the server closes it on that first look.
pub async fn close_now(app: &TestApp, vote_id: i64) -> Value {
    set_closes_at(app, vote_id, Duration::zero()).await;
    let admin = app.token("admin").await;
    let v = app.get(&format!("/api/v1/votes/{vote_id}"), &admin).await.expect(StatusCode::OK).body;
    assert_eq!(v["status"], "closed", "{v}");
    v
}

/// Set a vote's closing time directly in the database, `d` from now.
pub async fn set_closes_at(app: &TestApp, vote_id: i64, d: Duration) {
    vote::Entity::update_many()
        .col_expr(vote::Column::ClosesAt, Expr::value(Utc::now() + d))
        .filter(vote::Column::Id.eq(vote_id))
        .exec(&app.db)
        .await
        .unwrap();
}

/// The ballots stored for a vote, in the order they were first stored.
pub async fn stored(app: &TestApp, vote_id: i64) -> Vec<ballot::Model> {
    ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(vote_id))
        .order_by_asc(ballot::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

pub async fn votes_stored(app: &TestApp) -> u64 {
    vote::Entity::find().count(&app.db).await.unwrap()
}

/// Set a compound's notice period (administrators).
pub async fn set_notice(app: &TestApp, compound: i64, days: i32) {
    let admin = app.token("admin").await;
    app.send(
        Method::PUT,
        &format!("/api/v1/compounds/{compound}/rules"),
        Some(&admin),
        json!({ "notice_days": days, "publicity_days": 7 }),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
}

/// Holders of a compound with a verified account: (holder, its first account's user name), in the
/// order the roster lists them.
pub async fn linked(app: &TestApp, compound: i64) -> Vec<(Value, String)> {
    app.holders(compound)
        .await
        .into_iter()
        .filter_map(|h| {
            let user = h["linked_users"].as_array().unwrap().first()?["username"].as_str()?.to_owned();
            Some((h, user))
        })
        .collect()
}

/// A holder's id.
pub fn hid(h: &Value) -> i64 {
    h["id"].as_i64().unwrap()
}

/// A small compound whose every holder has one verified account.
pub struct Electorate {
    pub compound: i64,
    /// Holder key → holder id.
    pub holder: BTreeMap<String, i64>,
    /// Holder key → access token of the holder's account.
    pub owner: BTreeMap<String, String>,
}

impl Electorate {
    pub fn owner(&self, key: &str) -> &str {
        &self.owner[key]
    }
}

/// A new compound of the demo community, with `rows` (roster lines without the header) for its
/// roster, no notice period, and an account `{tag}{key}` (lower case) verified for each holder.
pub async fn electorate(app: &TestApp, name: &str, tag: &str, rows: &str) -> Electorate {
    let admin = app.token("admin").await;
    let community = app.community_id().await;
    let res = app
        .post(
            &format!("/api/v1/communities/{community}/compounds"),
            Some(&admin),
            json!({ "name": name, "property_company_name": format!("{name}物业") }),
        )
        .await
        .expect(StatusCode::CREATED);
    let compound = res.body["compound"]["id"].as_i64().unwrap();
    set_notice(app, compound, 0).await;
    import(app, compound, rows).await;
    let mut holder = BTreeMap::new();
    let mut owner = BTreeMap::new();
    for h in app.holders(compound).await {
        let key = h["holder_key"].as_str().unwrap().to_owned();
        let username = format!("{tag}{}", key.to_lowercase());
        app.post(
            "/api/v1/users",
            Some(&admin),
            json!({ "username": username, "display_name": username, "password": DEMO_PASSWORD }),
        )
        .await
        .expect(StatusCode::CREATED);
        app.link_owner(hid(&h), &username).await;
        owner.insert(key.clone(), app.token(&username).await);
        holder.insert(key, hid(&h));
    }
    Electorate { compound, holder, owner }
}

/// Import roster lines (without the header) into a compound as the secretary.
pub async fn import(app: &TestApp, compound: i64, rows: &str) {
    let secretary = app.token("secretary").await;
    let res = app
        .upload(
            &format!("/api/v1/compounds/{compound}/roster"),
            &secretary,
            format!("{HEADER}{rows}").into_bytes(),
            "text/csv",
        )
        .await;
    assert!(res.status.is_success(), "{} {}", res.status, res.body);
}

#[track_caller]
pub fn field_error(res: &Res, field: &str) {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert_eq!(res.code(), "validation_failed", "{}", res.body);
    assert!(res.body["error"]["fields"][field].is_string(), "no error on {field}: {}", res.body);
}

#[track_caller]
pub fn conflict(res: &Res, code: &str) {
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(res.code(), code, "{}", res.body);
}

#[tokio::test]
async fn the_committee_drafts_a_vote_and_the_matter_sets_its_threshold() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let before = votes_stored(&app).await;

    let res = draft(&app, &committee, tyc, motion("电梯更新", "covenant")).await.expect(StatusCode::CREATED);
    let id = res.id();
    assert_eq!(res.body["status"], "draft");
    assert_eq!(res.body["matter"], "covenant");
    assert_eq!(res.body["threshold"], "ordinary");
    assert_eq!(res.body["form"], "motion");
    assert_eq!(res.body["compound_id"], tyc);
    assert_eq!(res.body["notice_days"], 0);
    assert_eq!(res.body["can_manage"], true);
    assert!(res.body["published_at"].is_null() && res.body["frozen_at"].is_null());
    assert!(res.body["result"].is_null());

    for (matter, threshold) in [
        ("rules", "ordinary"),
        ("committee", "ordinary"),
        ("manager", "ordinary"),
        ("fund_use", "ordinary"),
        ("fund_raise", "special"),
        ("rebuild", "special"),
        ("common_use", "special"),
        ("other", "ordinary"),
    ] {
        let res = draft(&app, &committee, tyc, motion(matter, matter)).await.expect(StatusCode::CREATED);
        assert_eq!(res.body["threshold"], threshold, "{matter}");
    }
    assert_eq!(votes_stored(&app).await, before + 9);
    let row = vote::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.status.as_str(), row.title.as_str()), ("draft", "电梯更新"));

    let log = app.get(&format!("/api/v1/votes/{id}/log"), &committee).await.expect(StatusCode::OK);
    let actions: Vec<&str> = log.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["vote.drafted"]);
}

#[tokio::test]
async fn owners_and_the_property_company_do_not_see_drafts() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = draft(&app, &committee, tyc, motion("草稿", "other")).await.expect(StatusCode::CREATED).id();
    let (_, owner) = linked(&app, tyc).await.remove(0);
    let owner = app.token(&owner).await;
    let property = app.token("property").await;

    for token in [&owner, &property] {
        let res = app.get(&format!("/api/v1/votes/{id}"), token).await.expect(StatusCode::NOT_FOUND);
        assert_eq!(res.code(), "not_found");
        let list = app.get(&format!("/api/v1/compounds/{tyc}/votes"), token).await.expect(StatusCode::OK);
        let ids: Vec<i64> = list.body.as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).collect();
        assert!(!ids.contains(&id), "{ids:?}");
        assert!(!ids.is_empty(), "the demo's open vote is listed");
    }
    // Casting on it, or reading its ballots, does not reveal it either.
    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    app.get(&format!("/api/v1/votes/{id}/ballots"), &owner).await.expect(StatusCode::NOT_FOUND);
    assert!(stored(&app, id).await.is_empty());

    let list = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &committee).await.expect(StatusCode::OK);
    assert!(list.body.as_array().unwrap().iter().any(|v| v["id"] == id && v["status"] == "draft"));
    app.get(&format!("/api/v1/votes/{id}"), &app.token("secretary").await).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn property_roles_and_owners_cannot_draft_a_vote() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let before = votes_stored(&app).await;
    let (_, owner) = linked(&app, tyc).await.remove(0);
    for (login, status) in [
        ("property", StatusCode::FORBIDDEN),
        (owner.as_str(), StatusCode::FORBIDDEN),
        ("property2", StatusCode::NOT_FOUND),
        ("committee2", StatusCode::NOT_FOUND),
    ] {
        let token = app.token(login).await;
        let res = draft(&app, &token, tyc, motion("越权", "manager")).await;
        assert_eq!(res.status, status, "{login}: {}", res.body);
    }
    assert_eq!(votes_stored(&app).await, before);
}

#[tokio::test]
async fn a_draft_with_bad_input_is_refused_naming_the_field() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let committee = app.token("committee").await;
    let admin = app.token("admin").await;
    let detail = app.get(&format!("/api/v1/compounds/{shs}"), &admin).await.expect(StatusCode::OK);
    let shs_building = detail.body["buildings"][0]["id"].as_i64().unwrap();
    let before = votes_stored(&app).await;

    let base = motion("表决", "covenant");
    let election = json!({ "form": "election", "matter": "committee" });
    for (body, field) in [
        (with(base.clone(), json!({ "closes_at": at(-Duration::hours(1)) })), "closes_at"),
        (with(base.clone(), json!({ "closes_at": base["opens_at"] })), "closes_at"),
        (with(base.clone(), json!({ "title": "  " })), "title"),
        (with(base.clone(), election.clone()), "candidates"),
        (with(base.clone(), with(election.clone(), json!({ "seats": 2 }))), "candidates"),
        (with(base.clone(), with(election.clone(), json!({ "candidates": ["甲", "乙"] }))), "seats"),
        (with(base.clone(), with(election.clone(), json!({ "candidates": ["甲", "乙"], "seats": 3 }))), "seats"),
        (with(base.clone(), with(election.clone(), json!({ "candidates": ["甲", "乙"], "seats": 0 }))), "seats"),
        (with(base.clone(), json!({ "form": "election", "candidates": ["甲"], "seats": 1 })), "matter"),
        (with(base.clone(), json!({ "building_ids": [shs_building] })), "building_ids"),
    ] {
        let res = draft(&app, &committee, tyc, body.clone()).await;
        field_error(&res, field);
    }
    assert_eq!(votes_stored(&app).await, before);
}

#[tokio::test]
async fn publishing_gives_shanghes_fifteen_days_notice_to_its_owners_and_the_secretary() {
    let app = spawn_demo().await;
    let shs = app.compound_id(SHS).await;
    let tyc = app.compound_id(TYC).await;
    let committee2 = app.token("committee2").await;

    let soon = with(
        motion("更换物业公司", "manager"),
        json!({ "opens_at": at(Duration::days(1)), "closes_at": at(Duration::days(20)) }),
    );
    let id = draft(&app, &committee2, shs, soon.clone()).await.expect(StatusCode::CREATED).id();
    assert_eq!(app.get(&format!("/api/v1/votes/{id}"), &committee2).await.body["notice_days"], 15);
    let res = app.post(&format!("/api/v1/votes/{id}/publish"), Some(&committee2), json!({})).await;
    field_error(&res, "opens_at");
    let v = app.get(&format!("/api/v1/votes/{id}"), &committee2).await.expect(StatusCode::OK);
    assert_eq!(v.body["status"], "draft");
    assert!(v.body["published_at"].is_null());

    let later = with(soon, json!({ "opens_at": at(Duration::days(16)), "closes_at": at(Duration::days(30)) }));
    app.patch(&format!("/api/v1/votes/{id}"), &committee2, later.clone()).await.expect(StatusCode::OK);
    let res = app.post(&format!("/api/v1/votes/{id}/publish"), Some(&committee2), json!({})).await;
    let res = res.expect(StatusCode::OK);
    assert_eq!(res.body["status"], "published");
    assert!(res.body["published_at"].is_string());
    assert!(res.body["frozen_at"].is_null(), "the roster freezes only at opening");

    let notice_of = |inbox: &Value| {
        inbox.as_array().unwrap().iter().any(|n| n["kind"] == "vote_notice" && n["link"] == format!("/votes/{id}"))
    };
    let shs_owners = linked(&app, shs).await;
    let (_, tyc_owner) = linked(&app, tyc).await.remove(0);
    for login in [shs_owners[0].1.as_str(), shs_owners.last().unwrap().1.as_str(), "secretary"] {
        let token = app.token(login).await;
        let inbox = app.get("/api/v1/me/inbox", &token).await.expect(StatusCode::OK);
        assert!(notice_of(&inbox.body), "{login} has no notice: {}", inbox.body);
    }
    for login in [tyc_owner.as_str(), "property2"] {
        let token = app.token(login).await;
        let inbox = app.get("/api/v1/me/inbox", &token).await.expect(StatusCode::OK);
        assert!(!notice_of(&inbox.body), "{login} was told: {}", inbox.body);
    }
    // Every verified owner of the compound, the secretary and the community staff.
    let log = app.get(&format!("/api/v1/votes/{id}/log"), &committee2).await.expect(StatusCode::OK);
    let published = log.body.as_array().unwrap().iter().find(|e| e["action"] == "vote.published").unwrap().clone();
    let owners: BTreeSet<String> = shs_owners.iter().map(|(_, u)| u.clone()).collect();
    assert_eq!(published["detail"]["recipients"], owners.len() + 2);

    let res = app.post(&format!("/api/v1/votes/{id}/publish"), Some(&committee2), json!({})).await;
    conflict(&res, "not_a_draft");
    let res = app.patch(&format!("/api/v1/votes/{id}"), &committee2, later).await;
    conflict(&res, "not_a_draft");
    let log = app.get(&format!("/api/v1/votes/{id}/log"), &committee2).await.expect(StatusCode::OK);
    let n = log.body.as_array().unwrap().iter().filter(|e| e["action"] == "vote.published").count();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_vote_limited_to_one_building_counts_only_that_buildings_units() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let admin = app.token("admin").await;
    let committee = app.token("committee").await;
    let detail = app.get(&format!("/api/v1/compounds/{tyc}"), &admin).await.expect(StatusCode::OK);
    let building = |name: &str| {
        detail.body["buildings"].as_array().unwrap().iter().find(|b| b["name"] == name).unwrap()["id"].as_i64().unwrap()
    };
    let (b1, b3) = (building("1号楼"), building("3号楼"));
    let units = app.units(tyc).await;
    let in_b1: Vec<&Value> = units.iter().filter(|u| u["building_id"] == b1).collect();
    let area: i64 = in_b1.iter().map(|u| centi(&u["area"])).sum();
    let heads = in_b1.iter().map(|u| u["holder_id"].as_i64().unwrap()).collect::<BTreeSet<_>>().len();

    let body = with(motion("1号楼加装电梯", "common_use"), json!({ "building_ids": [b1] }));
    let id = open_vote(&app, &committee, tyc, body).await;
    let v = app.get(&format!("/api/v1/votes/{id}"), &committee).await.expect(StatusCode::OK);
    assert_eq!(v.body["buildings"], json!(["1号楼"]));
    assert_eq!(v.body["building_ids"], json!([b1]));
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    assert_eq!(centi(&turnout.body["total"]["area"]), area);
    assert_eq!(turnout.body["total"]["headcount"], heads);
    assert_eq!(turnout.body["participating"]["headcount"], 0);

    // An owner whose units are all in 3号楼 is not on this vote's roster.
    let unit_buildings = |holder: i64| -> BTreeSet<i64> {
        units.iter().filter(|u| u["holder_id"] == holder).map(|u| u["building_id"].as_i64().unwrap()).collect()
    };
    let owners = linked(&app, tyc).await;
    let (_, outsider) = owners.iter().find(|(h, _)| unit_buildings(hid(h)) == BTreeSet::from([b3])).unwrap();
    let outsider = app.token(outsider).await;
    let res = cast(&app, &outsider, id, json!({ "choice": "agree" })).await;
    conflict(&res, "not_eligible");
    assert!(app.get(&format!("/api/v1/votes/{id}"), &outsider).await.body["my"].as_array().unwrap().is_empty());

    // The holder of three units in 1号楼 and 2号楼 takes part with the 1号楼 units only.
    let (multi, multi_owner) = owners.iter().find(|(h, _)| unit_buildings(hid(h)).len() == 2).unwrap();
    let b1_area: i64 = in_b1.iter().filter(|u| u["holder_id"] == multi["id"]).map(|u| centi(&u["area"])).sum::<i64>();
    let token = app.token(multi_owner).await;
    let v = app.get(&format!("/api/v1/votes/{id}"), &token).await.expect(StatusCode::OK);
    let my = &v.body["my"][0];
    assert_eq!(centi(&my["area"]), b1_area);
    assert!(my["units"].as_array().unwrap().iter().all(|u| u.as_str().unwrap().starts_with("1号楼")), "{my}");
    let res = cast(&app, &token, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(centi(&res.body["area"]), b1_area);

    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["participating"]["headcount"], 1);
    assert_eq!(centi(&turnout.body["participating"]["area"]), b1_area);
    assert_eq!(stored(&app, id).await.len(), 1);
}

const FROZEN: &str = "1号楼,101,100,registered,甲,,K1\n\
                      1号楼,102,100,registered,乙,,K2\n\
                      1号楼,103,100,registered,丙,,K3\n";

#[tokio::test]
async fn reimporting_the_roster_after_opening_changes_neither_the_total_nor_who_may_vote() {
    let app = spawn_demo().await;
    let e = electorate(&app, "冻结花园", "fz", FROZEN).await;
    let secretary = app.token("secretary").await;
    let id = open_vote(&app, &secretary, e.compound, motion("冻结名册", "covenant")).await;
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &secretary).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["total"], json!({ "area": "300.00", "headcount": 3 }));

    // Unit 101 grows, and unit 103 changes hands to a new holder K4.
    import(
        &app,
        e.compound,
        "1号楼,101,150,registered,甲,,K1\n\
         1号楼,102,100,registered,乙,,K2\n\
         1号楼,103,100,registered,丁,,K4\n",
    )
    .await;
    let units = app.units(e.compound).await;
    let unit = |n: &str| units.iter().find(|u| u["number"] == n).unwrap().clone();
    assert_eq!(unit("101")["area"], "150.00");
    assert_eq!(unit("103")["holder_key"], "K4");
    let k4 = unit("103")["holder_id"].as_i64().unwrap();
    app.create_user("fzk4").await;
    app.link_owner(k4, "fzk4").await;

    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &secretary).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["total"], json!({ "area": "300.00", "headcount": 3 }));
    let newcomer = app.token("fzk4").await;
    let res = cast(&app, &newcomer, id, json!({ "choice": "oppose" })).await;
    conflict(&res, "not_eligible");

    let v = app.get(&format!("/api/v1/votes/{id}"), e.owner("K1")).await.expect(StatusCode::OK);
    assert_eq!(v.body["my"][0]["area"], "100.00");
    cast(&app, e.owner("K1"), id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    let res = cast(&app, e.owner("K3"), id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["area"], "100.00");
    let holders: Vec<i64> = stored(&app, id).await.iter().map(|b| b.holder_id).collect();
    assert_eq!(holders, [e.holder["K1"], e.holder["K3"]]);

    let v = close_now(&app, id).await;
    assert_eq!(v["result"]["total"], json!({ "area": "300.00", "headcount": 3 }));
    assert_eq!(v["result"]["agree"], json!({ "area": "200.00", "headcount": 2 }));
    assert_eq!(v["result"]["passed"], true);
}

/// The vote's public record tells each step in the reader's language and never names who took it.
#[tokio::test]
async fn the_public_record_of_a_vote_reads_in_the_readers_language() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let list = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &owner).await.expect(StatusCode::OK);
    let id = list.body.as_array().unwrap().iter().find(|v| v["status"] == "open").expect("the demo's open vote")["id"]
        .as_i64()
        .unwrap();
    let record = |lang: &'static str| {
        let auth = format!("Bearer {owner}");
        let app = &app;
        async move {
            let headers = [("authorization", auth.as_str()), ("accept-language", lang)];
            let res = app.request_with(Method::GET, &format!("/api/v1/votes/{id}/log"), &headers, String::new()).await;
            res.expect(StatusCode::OK).body.as_array().unwrap().clone()
        }
    };
    let (en, zh) = (record("en").await, record("zh-CN").await);
    let published = |log: &[Value]| log.iter().find(|e| e["action"] == "vote.published").unwrap()["text"].clone();
    let recipients = en.iter().find(|e| e["action"] == "vote.published").unwrap()["detail"]["recipients"].clone();
    assert_eq!(published(&en), format!("Notice given to {recipients} people"));
    assert_eq!(published(&zh), format!("发出公告，通知 {recipients} 人"));
    assert_eq!(en.len(), zh.len());
    for e in &en {
        let text = e["text"].as_str().unwrap();
        assert!(!text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{text} is not English");
        assert_ne!(text, e["action"], "{} has no sentence", e["action"]);
    }

    let shs = app.compound_id(SHS).await;
    let other = app.token(&app.owner_of(shs).await).await;
    app.get(&format!("/api/v1/votes/{id}/log"), &other).await.expect(StatusCode::NOT_FOUND);
}
