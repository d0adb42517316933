//! Notices a party publishes: who receives them, who may speak for which party, read counts.
//! Notices the server writes, read in each reader's language.
use std::collections::BTreeSet;

use axum::http::{Method, StatusCode};
use chrono::{DateTime, FixedOffset, Utc};
use sanfang::entities::{membership, notice, notice_recipient};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::{concerns::raise, helpers::*, votes::*};

fn notice(party: &str) -> Value {
    json!({ "party": party, "title": "电梯停运检修通知", "body": "**3号楼**电梯周六 9:00–12:00 停运检修。" })
}

async fn publish(app: &TestApp, token: &str, compound: i64, body: Value) -> Res {
    app.post(&format!("/api/v1/compounds/{compound}/notices"), Some(token), body).await
}

async fn published(app: &TestApp, token: &str, compound: i64) -> Vec<Value> {
    let res = app.get(&format!("/api/v1/compounds/{compound}/notices"), token).await.expect(StatusCode::OK);
    res.body.as_array().unwrap().clone()
}

/// Everyone with a role in the compound, and the community office, but `but`.
async fn people_of(app: &TestApp, compound: i64, but: &str) -> usize {
    let community = app.community_id().await;
    let ms = membership::Entity::find().all(&app.db).await.unwrap();
    let office: BTreeSet<&str> = ["secretary", "community_staff"].into();
    let ids: BTreeSet<i64> = ms
        .iter()
        .filter(|m| {
            m.compound_id == Some(compound)
                || (m.compound_id.is_none() && m.community_id == Some(community) && office.contains(m.role.as_str()))
        })
        .map(|m| m.user_id)
        .collect();
    let author = sanfang::entities::user::Entity::find()
        .filter(sanfang::entities::user::Column::Username.eq(but))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    ids.len() - usize::from(ids.contains(&author.id))
}

#[tokio::test]
async fn a_party_publishes_to_everyone_in_the_compound_and_sees_how_many_have_read_it() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let property = app.token("property").await;
    let res = publish(&app, &property, tyc, notice("property_company")).await.expect(StatusCode::CREATED);
    let id = res.id();
    assert_eq!(res.body["party_kind"], "property_company");
    assert_eq!(res.body["party_name"], "太阳城二期物业服务中心");
    let everyone = people_of(&app, tyc, "property").await;
    assert_eq!((res.body["recipients"].as_u64(), res.body["read"].as_u64()), (Some(everyone as u64), Some(0)));

    // It lands in owners', the committee's and the community office's inboxes.
    for login in ["owner001", "owner002", "committee", "secretary"] {
        let t = app.token(login).await;
        let inbox = app.get("/api/v1/me/inbox", &t).await.expect(StatusCode::OK);
        let item = inbox.body.as_array().unwrap().iter().find(|n| n["id"] == id).cloned();
        let item = item.unwrap_or_else(|| panic!("{login} did not get it"));
        assert_eq!(item["kind"], "party_notice");
        assert_eq!(item["party_name"], "太阳城二期物业服务中心");
    }
    // Not to another compound's people.
    let other = app.token("property2").await;
    let inbox = app.get("/api/v1/me/inbox", &other).await.expect(StatusCode::OK);
    assert!(!inbox.body.as_array().unwrap().iter().any(|n| n["id"] == id));

    for login in ["owner001", "owner002"] {
        let t = app.token(login).await;
        app.post(&format!("/api/v1/me/inbox/{id}/read"), Some(&t), json!({})).await.expect(StatusCode::NO_CONTENT);
        // Reading twice counts once.
        app.post(&format!("/api/v1/me/inbox/{id}/read"), Some(&t), json!({})).await.expect(StatusCode::NO_CONTENT);
    }
    // Every party sees the list with its read counts.
    for login in ["property", "committee", "secretary"] {
        let list = published(&app, &app.token(login).await, tyc).await;
        let n = list.iter().find(|n| n["id"] == id).unwrap();
        assert_eq!((n["recipients"].as_u64(), n["read"].as_u64()), (Some(everyone as u64), Some(2)), "{login}");
    }
    let events = app.get("/api/v1/audit?limit=100", &app.token("admin").await).await.expect(StatusCode::OK);
    assert!(events.body.as_array().unwrap().iter().any(|e| e["action"] == "notice.published"));
}

#[tokio::test]
async fn a_notice_to_chosen_buildings_reaches_only_their_owners() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let admin = app.token("admin").await;
    let d = app.get(&format!("/api/v1/compounds/{tyc}"), &admin).await.expect(StatusCode::OK);
    let b3 =
        d.body["buildings"].as_array().unwrap().iter().find(|b| b["name"] == "3号楼").unwrap()["id"].as_i64().unwrap();
    let committee = app.token("committee").await;
    let body = json!({ "party": "owners_committee", "title": "3号楼电梯", "body": "停运", "building_ids": [b3] });
    let res = publish(&app, &committee, tyc, body).await.expect(StatusCode::CREATED);
    let id = res.id();

    let in_b3: BTreeSet<i64> = app
        .units(tyc)
        .await
        .iter()
        .filter(|u| u["building_id"] == b3)
        .map(|u| u["holder_id"].as_i64().unwrap())
        .collect();
    let mut owners_b3 = BTreeSet::new();
    let mut owners_elsewhere = Vec::new();
    for h in app.holders(tyc).await {
        for u in h["linked_users"].as_array().unwrap() {
            let login = u["username"].as_str().unwrap().to_owned();
            if in_b3.contains(&h["id"].as_i64().unwrap()) {
                owners_b3.insert(login);
            } else {
                owners_elsewhere.push(login);
            }
        }
    }
    assert_eq!(res.body["recipients"].as_u64(), Some(owners_b3.len() as u64));
    assert_eq!(res.body["building_ids"], json!([b3]));
    let inbox = app.get("/api/v1/me/inbox", &app.token(owners_b3.iter().next().unwrap()).await).await;
    assert!(inbox.expect(StatusCode::OK).body.as_array().unwrap().iter().any(|n| n["id"] == id));
    let inbox = app.get("/api/v1/me/inbox", &app.token(&owners_elsewhere[0]).await).await;
    assert!(!inbox.expect(StatusCode::OK).body.as_array().unwrap().iter().any(|n| n["id"] == id));
    let inbox = app.get("/api/v1/me/inbox", &app.token("property").await).await;
    assert!(!inbox.expect(StatusCode::OK).body.as_array().unwrap().iter().any(|n| n["id"] == id));

    let shs = app.compound_id(SHS).await;
    let d = app.get(&format!("/api/v1/compounds/{shs}"), &admin).await.expect(StatusCode::OK);
    let foreign = d.body["buildings"][0]["id"].as_i64().unwrap();
    let body = json!({ "party": "owners_committee", "title": "x", "body": "y", "building_ids": [foreign] });
    let res = publish(&app, &committee, tyc, body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["building_ids"].is_string());
}

#[tokio::test]
async fn only_a_party_one_belongs_to_may_speak_and_other_compounds_reach_nothing() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    // A role of the wrong party.
    let property = app.token("property").await;
    let res = publish(&app, &property, tyc, notice("owners_committee")).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    publish(&app, &app.token("committee").await, tyc, notice("community_office")).await.expect(StatusCode::FORBIDDEN);
    // The community office speaks for itself in each of its compounds.
    let staff = app.token("staff").await;
    let res = publish(&app, &staff, tyc, notice("community_office")).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["party_name"], "太阳城社区居委会");
    // Owners and administrators do not publish as a party, nor do owners see the parties' list.
    let owner = app.token("owner001").await;
    publish(&app, &owner, tyc, notice("owners_committee")).await.expect(StatusCode::FORBIDDEN);
    app.get(&format!("/api/v1/compounds/{tyc}/notices"), &owner).await.expect(StatusCode::FORBIDDEN);
    publish(&app, &app.token("admin").await, tyc, notice("community_office")).await.expect(StatusCode::FORBIDDEN);
    // Another compound's people: not found.
    let shs = app.compound_id(SHS).await;
    let shs_owner = app.owner_of(shs).await;
    for login in ["property2", "committee2", "member2", shs_owner.as_str()] {
        let t = app.token(login).await;
        publish(&app, &t, tyc, notice("property_company")).await.expect(StatusCode::NOT_FOUND);
        app.get(&format!("/api/v1/compounds/{tyc}/notices"), &t).await.expect(StatusCode::NOT_FOUND);
    }
    // Bad input names the field.
    let res = publish(&app, &property, tyc, json!({ "party": "property_company", "title": " ", "body": "x" })).await;
    assert_eq!(res.expect(StatusCode::UNPROCESSABLE_ENTITY).body["error"]["fields"]["title"], "is required");
    assert_eq!(published(&app, &property, tyc).await.len(), 1);
}

/// The inbox of the holder of `token`, asking for `lang` (an `Accept-Language`).
pub async fn inbox_in(app: &TestApp, token: &str, lang: &str) -> Vec<Value> {
    let auth = format!("Bearer {token}");
    let headers = [("authorization", auth.as_str()), ("accept-language", lang)];
    let res = app.request_with(Method::GET, "/api/v1/me/inbox", &headers, String::new()).await;
    res.expect(StatusCode::OK).body.as_array().unwrap().clone()
}

/// The notice of `kind` in an inbox that leads to `link`.
pub fn find(inbox: &[Value], kind: &str, link: &str) -> Value {
    let n = inbox.iter().find(|n| n["kind"] == kind && n["link"] == link).cloned();
    n.unwrap_or_else(|| panic!("no {kind} for {link} in {inbox:?}"))
}

/// A time as the API sends it, as a notice shows it: China time, to the minute.
fn china(t: &Value) -> String {
    let t: DateTime<Utc> = t.as_str().unwrap().parse().unwrap();
    t.with_timezone(&FixedOffset::east_opt(8 * 3600).unwrap()).format("%Y-%m-%d %H:%M").to_string()
}

#[tokio::test]
async fn a_vote_notice_reads_in_the_readers_language_and_a_saved_language_wins() {
    let app = spawn_demo().await;
    let owner = app.token("owner001").await;
    let inbox = inbox_in(&app, &owner, "en").await;
    let link = inbox.iter().find(|n| n["kind"] == "vote_notice").expect("the demo vote's notice")["link"].clone();
    let link = link.as_str().unwrap().to_owned();
    let v = app.get(&format!("/api/v1{link}"), &owner).await.expect(StatusCode::OK).body;
    let (title, opens, closes) = (v["title"].as_str().unwrap(), china(&v["opens_at"]), china(&v["closes_at"]));

    let en = find(&inbox, "vote_notice", &link);
    assert_eq!(en["title"], format!("Owners' assembly vote: {title}"));
    assert_eq!(
        en["body"],
        format!("Voting is open from {opens} to {closes}. Read what is put to the vote and vote on your phone.")
    );
    let zh = find(&inbox_in(&app, &owner, "zh-CN,zh;q=0.9").await, "vote_notice", &link);
    assert_eq!(zh["title"], format!("业主大会表决通知：{title}"));
    assert_eq!(zh["body"], format!("投票时间 {opens} 至 {closes}。请在手机上查看表决事项并投票。"));
    assert_eq!(zh["id"], en["id"]);

    // The language saved on the account wins over the browser's.
    let saved = app.send(Method::PUT, "/api/v1/me/language", Some(&owner), json!({ "language": "en" })).await;
    saved.expect(StatusCode::NO_CONTENT);
    let again = find(&inbox_in(&app, &owner, "zh-CN").await, "vote_notice", &link);
    assert_eq!(again["title"], en["title"]);
    assert_eq!(again["body"], en["body"]);

    // An owner of another compound has no such notice, in any language.
    let shs = app.compound_id(SHS).await;
    let other = app.token(&app.owner_of(shs).await).await;
    for lang in ["en", "zh-CN"] {
        assert!(!inbox_in(&app, &other, lang).await.iter().any(|n| n["id"] == en["id"]));
    }
    let id = en["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/me/inbox/{id}/read"), Some(&other), json!({})).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn concern_notices_read_in_the_readers_language_with_what_people_wrote_unchanged() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let (secretary, property) = (app.token("secretary").await, app.token("property").await);
    let id = raise(&app, &owner, tyc, "repairs", "2单元电梯停运").await.expect(StatusCode::CREATED).id();
    let link = format!("/concerns/{id}");

    let raised = find(&inbox_in(&app, &secretary, "en").await, "concern_raised", &link);
    assert_eq!(
        (raised["title"].as_str(), raised["body"].as_str()),
        (Some("New concern (Repairs): 太阳城二期"), Some("2单元电梯停运"))
    );
    let raised = find(&inbox_in(&app, &secretary, "zh-CN").await, "concern_raised", &link);
    assert_eq!(raised["title"], "新诉求（维修）：太阳城二期");

    let step = |what: &str| format!("/api/v1/concerns/{id}/{what}");
    app.post(&step("route"), Some(&secretary), json!({ "note": "请物业尽快处理" })).await.expect(StatusCode::OK);
    let routed = find(&inbox_in(&app, &property, "en").await, "concern_routed", &link);
    assert_eq!(routed["title"], "Concern passed to 太阳城二期物业服务中心");
    assert_eq!(routed["body"], "请物业尽快处理");
    app.post(&step("acknowledge"), Some(&property), json!({})).await.expect(StatusCode::OK);
    app.post(&step("replies"), Some(&property), json!({ "text": "维保单位明早到场" })).await.expect(StatusCode::OK);
    app.post(&step("resolve"), Some(&property), json!({ "note": "已更换控制板" })).await.expect(StatusCode::OK);

    let en = inbox_in(&app, &owner, "en").await;
    let replied = find(&en, "concern_replied", &link);
    assert_eq!(
        (replied["title"].as_str(), replied["body"].as_str()),
        (Some("Your concern has a reply"), Some("维保单位明早到场"))
    );
    let resolved = find(&en, "concern_resolved", &link);
    assert_eq!(resolved["title"], "Your concern has been resolved");
    assert_eq!(resolved["body"], "已更换控制板. Please confirm and rate how satisfied you are.");
    let zh = inbox_in(&app, &owner, "zh-CN").await;
    assert_eq!(find(&zh, "concern_replied", &link)["title"], "您的诉求有了答复");
    assert_eq!(find(&zh, "concern_resolved", &link)["body"], "已更换控制板。请确认并评价满意度。");

    // Nobody of another compound is told.
    let shs = app.compound_id(SHS).await;
    let other = app.token(&app.owner_of(shs).await).await;
    assert!(!inbox_in(&app, &other, "en").await.iter().any(|n| n["link"] == link.as_str()));
}

#[tokio::test]
async fn a_vote_result_names_the_outcome_in_the_readers_language() {
    let app = spawn_demo().await;
    let rows = "1号楼,101,90,registered,张一,,H1\n1号楼,102,90,registered,李二,,H2\n";
    let e = electorate(&app, "河畔花园", "hp", rows).await;
    let secretary = app.token("secretary").await;
    let id = open_vote(&app, &secretary, e.compound, motion("河畔花园管理规约", "covenant")).await;
    for key in ["H1", "H2"] {
        cast(&app, e.owner(key), id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    }
    close_now(&app, id).await;
    let link = format!("/votes/{id}");
    let en = find(&inbox_in(&app, e.owner("H1"), "en").await, "vote_result", &link);
    assert_eq!(en["title"], "Vote result on display: 河畔花园管理规约");
    assert_eq!(en["body"], "Passed. The result is on display for 7 days, during which objections may be raised.");
    let zh = find(&inbox_in(&app, e.owner("H2"), "zh-CN").await, "vote_result", &link);
    assert_eq!(zh["title"], "表决结果公示：河畔花园管理规约");
    assert_eq!(zh["body"], "通过。公示期 7 天，期间可提出异议。");
    // Stored for older readers and backups: the Chinese text.
    let row = notice::Entity::find_by_id(en["id"].as_i64().unwrap()).one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.title.as_str(), row.body.as_str()), (zh["title"].as_str().unwrap(), zh["body"].as_str().unwrap()));
    let params: Value = serde_json::from_str(row.params.as_deref().unwrap()).unwrap();
    assert_eq!(params, json!({ "title": "河畔花园管理规约", "result": "passed", "days": 7 }));
    // Not to the demo compound's owners.
    let owner = app.token("owner001").await;
    assert!(!inbox_in(&app, &owner, "en").await.iter().any(|n| n["link"] == link.as_str()));
}

#[tokio::test]
async fn a_notice_stored_without_parameters_and_a_partys_words_show_as_written() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let me = app.get("/api/v1/me", &owner).await.expect(StatusCode::OK).body["user"]["id"].as_i64().unwrap();
    let old = notice::Entity::insert(notice::ActiveModel {
        community_id: Set(app.community_id().await),
        compound_id: Set(Some(tyc)),
        kind: Set("vote_result".into()),
        title: Set("表决结果公示：旧公约".into()),
        body: Set("通过 passed. 公示期 7 天，期间可提出异议。".into()),
        link: Set(None),
        created_by: Set(None),
        created_at: Set(Utc::now()),
        party_id: Set(None),
        building_ids: Set(None),
        params: Set(None),
        ..Default::default()
    })
    .exec_with_returning(&app.db)
    .await
    .unwrap();
    let to = notice_recipient::ActiveModel {
        notice_id: Set(old.id),
        user_id: Set(me),
        read_at: Set(None),
        ..Default::default()
    };
    notice_recipient::Entity::insert(to).exec(&app.db).await.unwrap();
    let property = app.token("property").await;
    let party = publish(&app, &property, tyc, notice("property_company")).await.expect(StatusCode::CREATED).id();
    for lang in ["en", "zh-CN"] {
        let inbox = inbox_in(&app, &owner, lang).await;
        let n = inbox.iter().find(|n| n["id"] == old.id).expect("the old notice");
        assert_eq!((n["title"].as_str(), n["body"].as_str()), (Some(old.title.as_str()), Some(old.body.as_str())));
        let n = inbox.iter().find(|n| n["id"] == party).expect("the party's notice");
        assert_eq!(n["title"], "电梯停运检修通知");
    }
}
