//! Agendas: opening, co-signing once per holder toward the statutory 20 %, discussion with
//! official badges and moderation, the way to a decision, and lists.
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::{concerns::raise, helpers::*};

pub async fn open(app: &TestApp, token: &str, compound: i64, title: &str) -> Res {
    app.post(
        &format!("/api/v1/compounds/{compound}/agendas"),
        Some(token),
        json!({ "title": title, "description": "**议题**说明" }),
    )
    .await
}

async fn cosign(app: &TestApp, login: &str, agenda: i64) -> Res {
    let t = app.token(login).await;
    app.post(&format!("/api/v1/agendas/{agenda}/cosign"), Some(&t), json!({})).await
}

async fn inbox_kinds(app: &TestApp, login: &str) -> Vec<String> {
    let token = app.token(login).await;
    let res = app.get("/api/v1/me/inbox", &token).await.expect(StatusCode::OK);
    res.body.as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_owned()).collect()
}

/// The demo agenda of 北门小院.
async fn north_gate_agenda(app: &TestApp) -> i64 {
    let bmx = app.compound_id(BMX).await;
    let t = app.token("owner-bm01").await;
    let res = app.get(&format!("/api/v1/compounds/{bmx}/agendas"), &t).await.expect(StatusCode::OK);
    res.body["items"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn the_parties_open_agendas_owners_do_not_and_everyone_in_the_compound_is_told() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let a = open(&app, &committee, tyc, "北门外垃圾清运").await.expect(StatusCode::CREATED);
    assert_eq!(a.body["party_kind"], "owners_committee");
    assert_eq!(a.body["status"], "open");
    assert_eq!(a.body["cosign"]["holders"], 0);
    for login in ["owner001", "property", "secretary", "member"] {
        assert!(inbox_kinds(&app, login).await.contains(&"agenda_opened".to_owned()), "{login}");
    }
    assert!(!inbox_kinds(&app, "property2").await.contains(&"agenda_opened".to_owned()));
    let property = app.token("property").await;
    let p = open(&app, &property, tyc, "物业费调整说明").await.expect(StatusCode::CREATED);
    assert_eq!(p.body["party_kind"], "property_company");
    let owner = app.token("owner001").await;
    open(&app, &owner, tyc, "业主自提").await.expect(StatusCode::FORBIDDEN);
    let p2 = app.token("property2").await;
    open(&app, &p2, tyc, "越界").await.expect(StatusCode::NOT_FOUND);
    let res = open(&app, &committee, tyc, " ").await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["title"].is_string());
    for login in ["property2", "committee2", "member2"] {
        let t = app.token(login).await;
        app.get(&format!("/api/v1/agendas/{}", a.id()), &t).await.expect(StatusCode::NOT_FOUND);
        app.get(&format!("/api/v1/agendas/{}/comments", a.id()), &t).await.expect(StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_holder_co_signs_once_whichever_of_its_accounts_signs() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open(&app, &committee, tyc, "增设充电桩").await.expect(StatusCode::CREATED).id();
    // owner001's holder gets a second account (a spouse, say).
    let holder = app.holders(tyc).await.into_iter().find(|h| h["linked_users"][0]["username"] == "owner001").unwrap();
    app.create_user("spouse001").await;
    app.link_owner(holder["id"].as_i64().unwrap(), "spouse001").await;

    let first = cosign(&app, "owner001", id).await.expect(StatusCode::OK);
    assert_eq!(first.body["cosign"]["holders"], 1);
    assert_eq!(first.body["cosign"]["mine"], true);
    assert_eq!(first.body["can"]["cosign"], false);
    // owner001 holds three flats: all three count, as one head.
    let areas: i64 =
        app.units(tyc).await.iter().filter(|u| u["holder_id"] == holder["id"]).map(|u| centi(&u["area"])).sum();
    assert_eq!(first.body["cosign"]["area_centi"], areas);
    let res = cosign(&app, "spouse001", id).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_cosigned");
    cosign(&app, "owner001", id).await.expect(StatusCode::CONFLICT);
    let seen = app.get(&format!("/api/v1/agendas/{id}"), &app.token("spouse001").await).await.expect(StatusCode::OK);
    assert_eq!(seen.body["cosign"]["mine"], true);
    assert_eq!(seen.body["cosign"]["holders"], 1);

    // Only owners co-sign; other compounds' owners do not reach it.
    cosign(&app, "property", id).await.expect(StatusCode::FORBIDDEN);
    cosign(&app, "committee", id).await.expect(StatusCode::FORBIDDEN);
    let shs = app.compound_id(SHS).await;
    let outsider = app.owner_of(shs).await;
    cosign(&app, &outsider, id).await.expect(StatusCode::NOT_FOUND);
    cosign(&app, "committee2", id).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn five_north_gate_owners_reach_the_statutory_fifth_and_four_do_not() {
    let app = spawn_demo().await;
    let id = north_gate_agenda(&app).await;
    for (i, login) in ["owner-bm01", "owner-bm02", "owner-bm03", "owner-bm04"].into_iter().enumerate() {
        let res = cosign(&app, login, id).await.expect(StatusCode::OK);
        assert_eq!(res.body["cosign"]["holders"], i as i64 + 1);
        assert_eq!(res.body["cosign"]["reached"], false);
        assert_eq!(res.body["statutory_at"], Value::Null);
    }
    assert!(!inbox_kinds(&app, "committee-bm").await.contains(&"agenda_statutory_request".to_owned()));
    let res = cosign(&app, "owner-bm05", id).await.expect(StatusCode::OK);
    let c = &res.body["cosign"];
    assert_eq!(c["reached"], true);
    assert_eq!(
        (c["holders"].clone(), c["total_holders"].clone(), c["needed_holders"].clone()),
        (json!(5), json!(22), json!(5))
    );
    assert_eq!(
        (c["area"].clone(), c["total_area"].clone(), c["needed_area"].clone()),
        (json!("600.00"), json!("2290.00"), json!("458.00"))
    );
    assert!(res.body["statutory_at"].is_string());
    assert!(inbox_kinds(&app, "committee-bm").await.contains(&"agenda_statutory_request".to_owned()));
    let admin = app.token("admin").await;
    let audit = app.get("/api/v1/audit?limit=20", &admin).await.expect(StatusCode::OK);
    let marked: Vec<&Value> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "agenda.statutory_request" && e["subject"] == format!("agenda:{id}"))
        .collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["detail"]["cosigned"]["area_centi"], 60000);
}

/// A compound of five holders with 100.00 m² between them; `accounts` are linked to the holders
/// with these keys. Returns the compound's id.
async fn five_holder_compound(app: &TestApp, accounts: &[(&str, &str)]) -> i64 {
    let admin = app.token("admin").await;
    let community = app.community_id().await;
    let c = app
        .post(
            &format!("/api/v1/communities/{community}/compounds"),
            Some(&admin),
            json!({ "name": "五户小区", "property_company_name": "五户物业" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = c.body["compound"]["id"].as_i64().unwrap();
    let csv = "building,unit,area,area_source,holder_name,holder_key\n\
               1号楼,101,20.00,registered,甲,H1\n1号楼,102,19.99,registered,乙,H2\n1号楼,103,20.01,registered,丙,H3\n\
               1号楼,104,20.00,registered,丁,H4\n1号楼,105,20.00,registered,戊,H5\n";
    app.upload(&format!("/api/v1/compounds/{id}/roster"), &admin, csv.as_bytes().to_vec(), "text/csv")
        .await
        .expect(StatusCode::OK);
    let holders = app.holders(id).await;
    for (login, key) in accounts {
        app.create_user(login).await;
        let h = holders.iter().find(|h| h["holder_key"] == *key).unwrap();
        app.link_owner(h["id"].as_i64().unwrap(), login).await;
    }
    id
}

#[tokio::test]
async fn exactly_twenty_percent_reaches_it_and_one_hundredth_of_a_square_metre_short_does_not() {
    let app = spawn_demo().await;
    let c = five_holder_compound(&app, &[("fiveh1", "H1"), ("fiveh2", "H2")]).await;
    let secretary = app.token("secretary").await;
    let exact = open(&app, &secretary, c, "恰好五分之一").await.expect(StatusCode::CREATED).id();
    let short = open(&app, &secretary, c, "差 0.01 平方米").await.expect(StatusCode::CREATED).id();
    // H1: 20.00 of 100.00 m² and one head of five — exactly 20 % of both.
    let res = cosign(&app, "fiveh1", exact).await.expect(StatusCode::OK);
    assert_eq!(res.body["cosign"]["reached"], true);
    assert_eq!(res.body["cosign"]["needed_area"], "20.00");
    // H2: 19.99 m², one hundredth short, though one head of five.
    let res = cosign(&app, "fiveh2", short).await.expect(StatusCode::OK);
    assert_eq!(res.body["cosign"]["reached"], false);
    assert_eq!(res.body["cosign"]["area_centi"], 1999);
    assert_eq!(res.body["statutory_at"], Value::Null);
}

#[tokio::test]
async fn the_discussion_badges_official_replies_and_moderators_hide_with_a_reason() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open(&app, &committee, tyc, "小区养犬").await.expect(StatusCode::CREATED).id();
    let path = format!("/api/v1/agendas/{id}/comments");
    let owner = app.token("owner001").await;
    let top = app.post(&path, Some(&owner), json!({ "body": "建议划定遛狗区域" })).await.expect(StatusCode::CREATED);
    assert_eq!(top.body["official_kind"], Value::Null);
    let property = app.token("property").await;
    let reply = app
        .post(&path, Some(&property), json!({ "body": "物业可配合设置", "parent_id": top.id() }))
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(reply.body["official_kind"], "property_company");
    let res = app
        .post(&path, Some(&owner), json!({ "body": "回复的回复", "parent_id": reply.id() }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["parent_id"].is_string());
    let spam = app.post(&path, Some(&app.token("owner002").await), json!({ "body": "出售二手车，电话…" })).await;
    let spam = spam.expect(StatusCode::CREATED).id();

    let hide = format!("{path}/{spam}/hide");
    app.post(&hide, Some(&property), json!({ "reason": "广告" })).await.expect(StatusCode::FORBIDDEN);
    app.post(&hide, Some(&owner), json!({ "reason": "广告" })).await.expect(StatusCode::FORBIDDEN);
    app.post(&hide, Some(&app.token("committee2").await), json!({ "reason": "广告" }))
        .await
        .expect(StatusCode::NOT_FOUND);
    let secretary = app.token("secretary").await;
    let res = app.post(&hide, Some(&secretary), json!({ "reason": "" })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["reason"].is_string());
    app.post(&hide, Some(&secretary), json!({ "reason": "与议题无关的广告" })).await.expect(StatusCode::NO_CONTENT);
    let res = app.post(&hide, Some(&committee), json!({ "reason": "again" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_hidden");

    let thread = app.get(&path, &owner).await.expect(StatusCode::OK).body;
    assert_eq!(thread.as_array().unwrap().len(), 2);
    assert_eq!(thread[0]["replies"][0]["official_kind"], "property_company");
    assert_eq!(thread[1]["body"], Value::Null);
    assert_eq!(thread[1]["hidden"]["by_name"], "李书记");
    assert_eq!(thread[1]["hidden"]["reason"], "与议题无关的广告");
    let moderated = app.get(&path, &committee).await.expect(StatusCode::OK).body;
    assert_eq!(moderated[1]["body"], "出售二手车，电话…");
    let list = app.get(&format!("/api/v1/compounds/{tyc}/agendas"), &owner).await.expect(StatusCode::OK);
    let item = list.body["items"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    assert_eq!(item["comments"], 2, "hidden comments are not counted");
}

#[tokio::test]
async fn an_agenda_is_deliberated_decided_and_closed_or_withdrawn_and_nothing_is_taken_after() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let committee = app.token("committee").await;
    let property = app.token("property").await;
    let owner = app.token("owner001").await;
    let id = open(&app, &committee, tyc, "北门垃圾").await.expect(StatusCode::CREATED).id();
    let go = |what: &'static str, token: String, body: Value| {
        let app = app.clone();
        async move { app.post(&format!("/api/v1/agendas/{id}/{what}"), Some(&token), body).await }
    };
    go("deliberate", owner.clone(), json!({})).await.expect(StatusCode::FORBIDDEN);
    go("deliberate", property.clone(), json!({})).await.expect(StatusCode::FORBIDDEN);
    let res = go("close", committee.clone(), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "agenda_not_decided");
    let d = go("deliberate", committee.clone(), json!({})).await.expect(StatusCode::OK);
    assert_eq!(d.body["status"], "deliberating");
    let res = go("decide", committee.clone(), json!({ "decision": "" })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["decision"].is_string());
    let admin = app.token("admin").await;
    let shs_vote = app
        .post(
            &format!("/api/v1/compounds/{shs}/votes"),
            Some(&app.token("committee2").await),
            crate::votes::motion("x", "other"),
        )
        .await;
    let shs_vote = shs_vote.expect(StatusCode::CREATED).id();
    let res = go("decide", committee.clone(), json!({ "decision": "清运", "vote_id": shs_vote }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["vote_id"].is_string());
    let tyc_vote = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &admin).await.body[0]["id"].as_i64().unwrap();
    // The questionnaire that informed it must live where the agenda does too.
    let survey = |compound: i64, token: String| {
        let app = app.clone();
        async move {
            let q = app.get(&format!("/api/v1/compounds/{compound}/questionnaires"), &token).await;
            q.expect(StatusCode::OK).body.as_array().and_then(|l| l.first()).map(|q| q["id"].as_i64().unwrap())
        }
    };
    let tyc_survey = survey(tyc, committee.clone()).await.expect("the demo's dog-keeping survey");
    let shs_survey =
        crate::questionnaires::create(&app, &app.token("committee2").await, shs, crate::questionnaires::survey())
            .await
            .expect(StatusCode::CREATED)
            .id();
    for wrong in [shs_survey, 999_999] {
        let res = go("decide", committee.clone(), json!({ "decision": "清运", "questionnaire_id": wrong }))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"]["questionnaire_id"].is_string());
    }
    let decided = go(
        "decide",
        committee.clone(),
        json!({ "decision": "由二期清运单位每日清运并消毒", "vote_id": tyc_vote, "questionnaire_id": tyc_survey }),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(decided.body["status"], "decided");
    assert_eq!(decided.body["vote_id"], tyc_vote);
    assert_eq!(decided.body["questionnaire_id"], tyc_survey);
    assert_eq!(decided.body["can"]["cosign"], false);
    let res = cosign(&app, "owner001", id).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "agenda_not_active");
    let res = app
        .post(&format!("/api/v1/agendas/{id}/comments"), Some(&owner), json!({ "body": "晚了" }))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "agenda_not_active");
    let res = go("withdraw", committee.clone(), json!({ "reason": "x" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "agenda_finished");
    let closed = go("close", committee.clone(), json!({})).await.expect(StatusCode::OK);
    assert_eq!(closed.body["status"], "closed");
    assert!(closed.body["can"]["moves"].as_array().unwrap().is_empty());

    // Whoever opened an agenda may withdraw it, with a reason.
    let mine = open(&app, &property, tyc, "物业提议").await.expect(StatusCode::CREATED).id();
    let w = format!("/api/v1/agendas/{mine}/withdraw");
    app.post(&w, Some(&owner), json!({ "reason": "x" })).await.expect(StatusCode::FORBIDDEN);
    let res = app.post(&w, Some(&property), json!({ "reason": "" })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["reason"].is_string());
    let done = app.post(&w, Some(&property), json!({ "reason": "已另行解决" })).await.expect(StatusCode::OK);
    assert_eq!(
        (done.body["status"].clone(), done.body["withdraw_reason"].clone()),
        (json!("withdrawn"), json!("已另行解决"))
    );
    let audit = app.get(&format!("/api/v1/audit?compound_id={tyc}&limit=30"), &admin).await.expect(StatusCode::OK);
    let actions: Vec<&str> = audit.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in ["agenda.deliberate", "agenda.decide", "agenda.close", "agenda.withdraw"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
}

#[tokio::test]
async fn lists_filter_by_status_category_and_party_and_search_by_words() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let committee = app.token("committee").await;
    let property = app.token("property").await;
    let secretary = app.token("secretary").await;
    let pets = crate::concerns::category(&app, "pets").await;
    let a = app
        .post(
            &format!("/api/v1/compounds/{tyc}/agendas"),
            Some(&committee),
            json!({ "title": "文明养犬公约", "description": "遛狗须牵绳", "category_id": pets }),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    let b = open(&app, &property, tyc, "电梯维修基金使用").await.expect(StatusCode::CREATED).id();
    let community = app.community_id().await;
    let whole = app
        .post(
            &format!("/api/v1/communities/{community}/agendas"),
            Some(&secretary),
            json!({ "title": "全社区垃圾分类", "description": "社区统一部署" }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(whole.body["compound_id"], Value::Null);
    assert_eq!(whole.body["cosign"], Value::Null);
    let res = cosign(&app, "owner001", whole.id()).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "cosign_needs_compound");
    app.post(
        &format!("/api/v1/communities/{community}/agendas"),
        Some(&property),
        json!({ "title": "x", "description": "" }),
    )
    .await
    .expect(StatusCode::FORBIDDEN);
    app.post(&format!("/api/v1/agendas/{b}/deliberate"), Some(&secretary), json!({})).await.expect(StatusCode::OK);

    let owner = app.token("owner001").await;
    let ids = |q: String| {
        let app = app.clone();
        let owner = owner.clone();
        async move {
            let res = app.get(&format!("/api/v1/compounds/{tyc}/agendas{q}"), &owner).await.expect(StatusCode::OK);
            res.body["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(String::new()).await, [whole.id(), b, a]);
    assert_eq!(ids("?status=deliberating".into()).await, [b]);
    assert_eq!(ids(format!("?category_id={pets}")).await, [a]);
    assert_eq!(ids("?party_kind=property_company".into()).await, [b]);
    assert_eq!(ids("?party_kind=community_office".into()).await, [whole.id()]);
    assert_eq!(ids("?q=养犬".into()).await, [a]);
    assert_eq!(ids("?q=牵绳%20公约".into()).await, [a], "every word, in the title or the description");
    assert_eq!(ids("?q=牵绳%20电梯".into()).await, Vec::<i64>::new());
    assert_eq!(ids("?q=100%25".into()).await, Vec::<i64>::new(), "wildcards are taken literally");
    let page =
        app.get(&format!("/api/v1/compounds/{tyc}/agendas?per_page=2&page=2"), &owner).await.expect(StatusCode::OK);
    assert_eq!(page.body["total"], 3);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    // The community-wide agenda shows in the other compound too; the compound's own do not.
    let other = app
        .get(&format!("/api/v1/compounds/{shs}/agendas"), &app.token("committee2").await)
        .await
        .expect(StatusCode::OK);
    let other: Vec<i64> = other.body["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(other, [whole.id()]);
}

#[tokio::test]
async fn a_concern_becomes_an_agenda_once() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let c = raise(&app, &owner, tyc, "pets", "夜间犬吠扰民，希望制定养犬公约").await.expect(StatusCode::CREATED).id();
    let path = format!("/api/v1/concerns/{c}/agenda");
    app.post(&path, Some(&owner), json!({})).await.expect(StatusCode::FORBIDDEN);
    app.post(&path, Some(&app.token("committee2").await), json!({})).await.expect(StatusCode::NOT_FOUND);
    let a = app.post(&path, Some(&secretary), json!({})).await.expect(StatusCode::CREATED);
    assert_eq!(a.body["concern_id"], c);
    assert_eq!(a.body["category"]["key"], "pets");
    assert!(a.body["title"].as_str().unwrap().starts_with("【养犬宠物】"));
    let res = app.post(&path, Some(&app.token("committee").await), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_an_agenda");
    let seen = app.get(&format!("/api/v1/concerns/{c}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(seen.body["agenda_id"], a.id());
    let last = seen.body["timeline"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["step"], "turned_into_agenda");
}

/// A community-wide agenda of the demo community, opened by the secretary.
async fn community_agenda(app: &TestApp) -> i64 {
    let community = app.community_id().await;
    app.post(
        &format!("/api/v1/communities/{community}/agendas"),
        Some(&app.token("secretary").await),
        json!({ "title": "全社区垃圾分类", "description": "社区统一部署" }),
    )
    .await
    .expect(StatusCode::CREATED)
    .id()
}

#[tokio::test]
async fn every_party_takes_part_in_a_community_wide_agenda_and_only_the_community_office_moderates_it() {
    let app = spawn_demo().await;
    let id = community_agenda(&app).await;
    let path = format!("/api/v1/agendas/{id}/comments");
    let owner_bm = app.token("owner-bm01").await;
    let spam = app.post(&path, Some(&owner_bm), json!({ "body": "出售二手车，电话…" })).await;
    let spam = spam.expect(StatusCode::CREATED).id();
    let member2 = app.token("member2").await;
    let official = app.post(&path, Some(&member2), json!({ "body": "上河时代业委会支持" })).await;
    assert_eq!(official.expect(StatusCode::CREATED).body["official_kind"], "owners_committee");

    // A compound's committee or property company is offered nothing to manage, and is refused.
    for login in ["member2", "committee", "committee-bm", "property-bm"] {
        let t = app.token(login).await;
        let view = app.get(&format!("/api/v1/agendas/{id}"), &t).await.expect(StatusCode::OK).body;
        assert_eq!(view["can"]["comment"], true, "{login}");
        assert_eq!(view["can"]["moderate"], false, "{login}");
        assert_eq!(view["can"]["moves"], json!([]), "{login}");
        let res = app.post(&format!("{path}/{spam}/hide"), Some(&t), json!({ "reason": "广告" })).await;
        res.expect(StatusCode::FORBIDDEN);
    }
    let thread = app.get(&path, &member2).await.expect(StatusCode::OK).body;
    assert_eq!(thread[0]["hidden"], Value::Null);

    let secretary = app.token("secretary").await;
    let view = app.get(&format!("/api/v1/agendas/{id}"), &secretary).await.expect(StatusCode::OK).body;
    assert_eq!(view["can"]["moderate"], true);
    assert_eq!(view["can"]["moves"], json!(["deliberate", "decide", "withdraw"]));
    app.post(&format!("{path}/{spam}/hide"), Some(&secretary), json!({ "reason": "与议题无关的广告" }))
        .await
        .expect(StatusCode::NO_CONTENT);
    let thread = app.get(&path, &member2).await.expect(StatusCode::OK).body;
    assert_eq!(thread[0]["body"], Value::Null);
    assert_eq!(thread[0]["hidden"]["by_name"], "李书记");
}

#[tokio::test]
async fn a_compound_party_cannot_decide_a_community_wide_agenda_and_the_office_cites_any_compound_of_it() {
    let app = spawn_demo().await;
    let id = community_agenda(&app).await;
    let shs = app.compound_id(SHS).await;
    let shs_vote = app
        .post(
            &format!("/api/v1/compounds/{shs}/votes"),
            Some(&app.token("committee2").await),
            crate::votes::motion("垃圾分类", "other"),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    let go = |what: &'static str, login: &'static str, body: Value| {
        let app = app.clone();
        async move {
            let t = app.token(login).await;
            app.post(&format!("/api/v1/agendas/{id}/{what}"), Some(&t), body).await
        }
    };
    let decision = json!({ "decision": "各小区按上河时代的表决执行", "vote_id": shs_vote });
    for login in ["committee-bm", "property-bm", "committee2", "member2", "committee", "property"] {
        go("decide", login, decision.clone()).await.expect(StatusCode::FORBIDDEN);
        go("deliberate", login, json!({})).await.expect(StatusCode::FORBIDDEN);
        go("withdraw", login, json!({ "reason": "越权" })).await.expect(StatusCode::FORBIDDEN);
    }
    go("decide", "owner-bm01", decision.clone()).await.expect(StatusCode::FORBIDDEN);
    let admin = app.token("admin").await;
    let audit = app.get("/api/v1/audit?limit=500", &admin).await.expect(StatusCode::OK);
    let subject = format!("agenda:{id}");
    let moves: Vec<&Value> = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == subject.as_str() && e["action"] != "agenda.opened")
        .collect();
    assert!(moves.is_empty(), "{moves:?}");

    // The community office decides it, citing a vote of any of the community's compounds.
    let decided = go("decide", "secretary", decision).await.expect(StatusCode::OK);
    assert_eq!(decided.body["status"], "decided");
    assert_eq!(decided.body["vote_id"], shs_vote);
    go("close", "committee-bm", json!({})).await.expect(StatusCode::FORBIDDEN);
    go("close", "staff", json!({})).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn lists_sort_by_title_status_or_age_and_refuse_an_unknown_order() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let secretary = app.token("secretary").await;
    let b = open(&app, &committee, tyc, "Bins by the gate").await.expect(StatusCode::CREATED).id();
    let a = open(&app, &committee, tyc, "Alley lights").await.expect(StatusCode::CREATED).id();
    let c = open(&app, &committee, tyc, "Canopy repair").await.expect(StatusCode::CREATED).id();
    app.post(&format!("/api/v1/agendas/{c}/deliberate"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    let ids = |q: &'static str| {
        let app = app.clone();
        let token = committee.clone();
        async move {
            let res = app.get(&format!("/api/v1/compounds/{tyc}/agendas{q}"), &token).await.expect(StatusCode::OK);
            let ids: Vec<i64> =
                res.body["items"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
            ids.into_iter().filter(|id| [a, b, c].contains(id)).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids("").await, [c, a, b], "newest first by default");
    assert_eq!(ids("?sort=-created_at").await, [c, a, b]);
    assert_eq!(ids("?sort=created_at").await, [b, a, c]);
    assert_eq!(ids("?sort=title").await, [a, b, c]);
    assert_eq!(ids("?sort=-title").await, [c, b, a]);
    assert_eq!(ids("?sort=status").await[0], c, "deliberating comes before open");
    assert_eq!(ids("?sort=-status&status=open").await, [a, b], "ties in the order of their ids, filters kept");

    let bad = app.get(&format!("/api/v1/compounds/{tyc}/agendas?sort=votes"), &committee).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.code(), "invalid_query");
    assert!(bad.body["error"]["message"].as_str().unwrap().contains("sort"), "{}", bad.body);
    let stranger = app.token("owner-bm01").await;
    let res = app.get(&format!("/api/v1/compounds/{tyc}/agendas?sort=title"), &stranger).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "another compound's list is not there for them: {}", res.body);
}
