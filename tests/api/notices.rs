//! Notices a party publishes: who receives them, who may speak for which party, read counts.
use std::collections::BTreeSet;

use axum::http::StatusCode;
use sanfang::entities::membership;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::*;

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
