//! Meetings: convening by kind (who may, whom it invites, the notice it needs), answering
//! invitations (a party may send a deputy, a committee member may not), postponing and
//! cancelling with everyone told, and a mediation seen only by its sides and the office.
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

/// A meeting of `kind` for `compounds`, starting in `days` days, with one free item.
pub fn new_meeting(kind: &str, compounds: &[i64], days: i64) -> Value {
    json!({ "kind": kind, "title": "北门外垃圾清运协商", "description": "上河时代与太阳城二期物业共同商议",
            "compound_ids": compounds, "starts_at": in_days(days), "duration_minutes": 90,
            "place": "社区党群服务中心二楼会议室",
            "items": [{ "title": "垃圾清运分工", "minutes": 30 }] })
}

pub async fn convene(app: &TestApp, login: &str, body: Value) -> Res {
    let community = app.community_id().await;
    let token = app.token(login).await;
    app.post(&format!("/api/v1/communities/{community}/meetings"), Some(&token), body).await
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    let t = app.token(login).await;
    app.get("/api/v1/me", &t).await.expect(StatusCode::OK).body["user"]["id"].as_i64().unwrap()
}

async fn inbox_kinds(app: &TestApp, login: &str) -> Vec<String> {
    let token = app.token(login).await;
    let res = app.get("/api/v1/me/inbox", &token).await.expect(StatusCode::OK);
    res.body.as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_owned()).collect()
}

async fn answer(app: &TestApp, login: &str, meeting: i64, body: Value) -> Res {
    let t = app.token(login).await;
    app.post(&format!("/api/v1/meetings/{meeting}/answer"), Some(&t), body).await
}

#[tokio::test]
async fn the_secretary_convenes_a_consultation_of_two_compounds_and_their_three_parties_are_invited() {
    let app = spawn_demo().await;
    let (tyc, shs) = (app.compound_id(TYC).await, app.compound_id(SHS).await);
    let m = convene(&app, "secretary", new_meeting("consultation", &[tyc, shs], 3)).await.expect(StatusCode::CREATED);
    assert_eq!(m.body["kind"], "consultation");
    assert_eq!(m.body["status"], "scheduled");
    assert_eq!(m.body["convening_party"], "community_office");
    assert_eq!(m.body["chair"]["name"], "李书记");
    assert_eq!(m.body["items"][0]["title"], "垃圾清运分工");
    let invited: Vec<&str> =
        m.body["invitations"].as_array().unwrap().iter().map(|i| i["person"]["name"].as_str().unwrap()).collect();
    for name in ["李书记", "张社工", "赵经理", "刘主任", "陈委员", "孙经理", "周主任", "吴委员"]
    {
        assert!(invited.contains(&name), "{name} in {invited:?}");
    }
    assert!(m.body["invitations"].as_array().unwrap().iter().all(|i| i["capacity"] == "party"));
    assert_eq!(m.body["answers"]["attending"], 1, "the convener comes");
    for login in ["property", "property2", "committee2", "staff"] {
        assert!(inbox_kinds(&app, login).await.contains(&"meeting_invited".to_owned()), "{login}");
    }
    assert!(!inbox_kinds(&app, "owner001").await.contains(&"meeting_invited".to_owned()));
    assert!(
        !inbox_kinds(&app, "property-bm").await.contains(&"meeting_invited".to_owned()),
        "北门小院 is not taking part"
    );
    // Both compounds list it; 北门小院 does not.
    for (login, compound) in [("property", tyc), ("property2", shs)] {
        let t = app.token(login).await;
        let list = app.get(&format!("/api/v1/compounds/{compound}/meetings"), &t).await.expect(StatusCode::OK);
        assert!(list.body.as_array().unwrap().iter().any(|l| l["id"] == m.body["id"]), "{login}");
    }
    let bmx = app.compound_id(BMX).await;
    let t = app.token("property-bm").await;
    let list = app.get(&format!("/api/v1/compounds/{bmx}/meetings"), &t).await.expect(StatusCode::OK);
    assert_eq!(list.body, json!([]));
    app.get(&format!("/api/v1/meetings/{}", m.id()), &t).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_kind_is_convened_only_by_the_body_its_rules_name() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    // A consultation is the community office's.
    for login in ["committee", "property", "owner001"] {
        convene(&app, login, new_meeting("consultation", &[tyc], 3)).await.expect(StatusCode::FORBIDDEN);
    }
    // A committee meeting is the chair's, in their own compound.
    convene(&app, "member", new_meeting("committee", &[tyc], 8)).await.expect(StatusCode::FORBIDDEN);
    convene(&app, "secretary", new_meeting("committee", &[tyc], 8)).await.expect(StatusCode::FORBIDDEN);
    convene(&app, "committee2", new_meeting("committee", &[tyc], 8)).await.expect(StatusCode::NOT_FOUND);
    convene(&app, "committee", new_meeting("committee", &[tyc], 8)).await.expect(StatusCode::CREATED);
    // An assembly sitting is the committee's.
    convene(&app, "member", new_meeting("assembly_sitting", &[tyc], 20)).await.expect(StatusCode::CREATED);
    convene(&app, "secretary", new_meeting("assembly_sitting", &[tyc], 20)).await.expect(StatusCode::FORBIDDEN);
    // A community office of another community learns nothing of this one.
    let admin = app.token("admin").await;
    let other = app
        .post("/api/v1/communities", Some(&admin), json!({ "name": "七里河社区" }))
        .await
        .expect(StatusCode::CREATED);
    let other = other.body["community"]["id"].as_i64().unwrap();
    let id = app.create_user("qlh_secretary").await;
    app.post(
        &format!("/api/v1/users/{id}/memberships"),
        Some(&admin),
        json!({ "role": "secretary", "community_id": other }),
    )
    .await
    .expect(StatusCode::CREATED);
    convene(&app, "qlh_secretary", new_meeting("consultation", &[tyc], 3)).await.expect(StatusCode::NOT_FOUND);
    // Only one compound, except for the kinds that bring several together.
    let shs = app.compound_id(SHS).await;
    let res = convene(&app, "committee", new_meeting("committee", &[tyc, shs], 8))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["compound_ids"].is_string(), "{}", res.body);
}

#[tokio::test]
async fn a_committee_meeting_is_announced_to_the_owners_seven_days_ahead() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let res =
        convene(&app, "committee", new_meeting("committee", &[tyc], 6)).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let message = res.body["error"]["fields"]["starts_at"].as_str().unwrap();
    assert!(message.contains('7'), "{message}");
    let m = convene(&app, "committee", new_meeting("committee", &[tyc], 8)).await.expect(StatusCode::CREATED);
    let capacities: Vec<&str> =
        m.body["invitations"].as_array().unwrap().iter().map(|i| i["capacity"].as_str().unwrap()).collect();
    assert_eq!(capacities, ["member"; 5], "the five members, the chair among them, in person");
    assert!(inbox_kinds(&app, "member").await.contains(&"meeting_invited".to_owned()));
    assert!(inbox_kinds(&app, "owner001").await.contains(&"meeting_announced".to_owned()));
    assert!(!inbox_kinds(&app, "owner001").await.contains(&"meeting_invited".to_owned()));
    // Owners may see it and attend; they are not invited, so they have nothing to answer.
    let owner = app.token("owner001").await;
    let seen = app.get(&format!("/api/v1/meetings/{}", m.id()), &owner).await.expect(StatusCode::OK);
    assert_eq!(seen.body["can"]["answer"], false);
    answer(&app, "owner001", m.id(), json!({ "answer": "attending" })).await.expect(StatusCode::FORBIDDEN);
    // A member attends in person: no deputy.
    let res = answer(&app, "member", m.id(), json!({ "answer": "deputy", "deputy_name": "陈家属" })).await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["answer"].is_string());
    let ok = answer(&app, "member", m.id(), json!({ "answer": "absent" })).await.expect(StatusCode::OK);
    assert_eq!(ok.body["my_invitation"]["answer"], "absent");
    assert_eq!(ok.body["answers"]["absent"], 1);
}

#[tokio::test]
async fn a_party_sends_a_deputy_and_everyone_invited_hears_of_a_new_time_or_a_cancellation() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let m = convene(&app, "secretary", new_meeting("consultation", &[tyc], 3)).await.expect(StatusCode::CREATED);
    let id = m.id();
    let res =
        answer(&app, "property", id, json!({ "answer": "deputy" })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["deputy_name"].is_string());
    let sent = answer(&app, "property", id, json!({ "answer": "deputy", "deputy_name": "物业客服主管 王芳" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(sent.body["my_invitation"]["deputy_name"], "物业客服主管 王芳");
    assert_eq!(sent.body["answers"]["deputies"], 1);
    // Answering reads the invitation in the inbox.
    let t = app.token("property").await;
    let inbox = app.get("/api/v1/me/inbox", &t).await.expect(StatusCode::OK);
    let invitation = inbox.body.as_array().unwrap().iter().find(|n| n["kind"] == "meeting_invited").unwrap().clone();
    assert!(!invitation["read_at"].is_null(), "{invitation}");
    answer(&app, "property2", id, json!({ "answer": "attending" })).await.expect(StatusCode::NOT_FOUND);

    // Only the convening office moves or cancels it, with a reason.
    let committee = app.token("committee").await;
    let body = json!({ "starts_at": in_days(5), "reason": "物业负责人出差" });
    app.post(&format!("/api/v1/meetings/{id}/postpone"), Some(&committee), body.clone())
        .await
        .expect(StatusCode::FORBIDDEN);
    let staff = app.token("staff").await;
    let moved = app.post(&format!("/api/v1/meetings/{id}/postpone"), Some(&staff), body).await.expect(StatusCode::OK);
    assert_ne!(moved.body["starts_at"], m.body["starts_at"]);
    assert!(!moved.body["my_invitation"].is_null(), "the office's staff are invited");
    assert!(inbox_kinds(&app, "committee").await.contains(&"meeting_postponed".to_owned()));
    let res = app
        .post(&format!("/api/v1/meetings/{id}/cancel"), Some(&staff), json!({ "reason": " " }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["reason"].is_string());
    let cancelled = app
        .post(&format!("/api/v1/meetings/{id}/cancel"), Some(&staff), json!({ "reason": "双方已自行协商解决" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(cancelled.body["cancel_reason"], "双方已自行协商解决");
    assert!(inbox_kinds(&app, "property").await.contains(&"meeting_cancelled".to_owned()));
    let res = answer(&app, "committee", id, json!({ "answer": "attending" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "meeting_not_answerable");
    app.post(&format!("/api/v1/meetings/{id}/cancel"), Some(&staff), json!({ "reason": "再次" }))
        .await
        .expect(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_mediation_is_seen_only_by_its_sides_and_the_community_office() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let sides = [user_id(&app, "owner001").await, user_id(&app, "property").await];
    let mut body = new_meeting("mediation", &[tyc], 1);
    body["invitee_ids"] = json!(sides);
    body["title"] = json!("楼上漏水调解");
    let m = convene(&app, "secretary", body.clone()).await.expect(StatusCode::CREATED);
    let capacities: Vec<&str> =
        m.body["invitations"].as_array().unwrap().iter().map(|i| i["capacity"].as_str().unwrap()).collect();
    assert_eq!(capacities.iter().filter(|c| **c == "side").count(), 2);
    for login in ["owner001", "property", "secretary", "staff"] {
        let t = app.token(login).await;
        app.get(&format!("/api/v1/meetings/{}", m.id()), &t).await.expect(StatusCode::OK);
        let list = app.get(&format!("/api/v1/compounds/{tyc}/meetings"), &t).await.expect(StatusCode::OK);
        assert!(list.body.as_array().unwrap().iter().any(|x| x["id"] == m.body["id"]), "{login}");
    }
    for login in ["owner002", "committee", "member", "property2"] {
        let t = app.token(login).await;
        app.get(&format!("/api/v1/meetings/{}", m.id()), &t).await.expect(StatusCode::NOT_FOUND);
    }
    let t = app.token("committee").await;
    let list = app.get(&format!("/api/v1/compounds/{tyc}/meetings"), &t).await.expect(StatusCode::OK);
    assert!(!list.body.as_array().unwrap().iter().any(|x| x["id"] == m.body["id"]));
    // A mediation names two sides.
    body["invitee_ids"] = json!([sides[0]]);
    let res = convene(&app, "secretary", body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["invitee_ids"].is_string());
}

#[tokio::test]
async fn bad_meetings_are_refused_field_by_field_and_nothing_is_stored() {
    let app = spawn_demo().await;
    let (tyc, shs) = (app.compound_id(TYC).await, app.compound_id(SHS).await);
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change)> = vec![
        ("starts_at", Box::new(|b| b["starts_at"] = json!(in_days(-1)))),
        ("duration_minutes", Box::new(|b| b["duration_minutes"] = json!(5))),
        ("place", Box::new(|b| b["place"] = Value::Null)),
        ("online_link", Box::new(|b| b["online_link"] = json!("http://meet.example/x"))),
        ("title", Box::new(|b| b["title"] = json!(""))),
        ("items[0].minutes", Box::new(|b| b["items"][0]["minutes"] = json!(0))),
        ("items[0].source_id", Box::new(|b| b["items"][0]["source"] = json!("agenda"))),
        (
            "items[0].source_id",
            Box::new(|b| {
                b["items"][0]["source"] = json!("vote");
                b["items"][0]["source_id"] = json!(999_999)
            }),
        ),
        ("chair_id", Box::new(|b| b["chair_id"] = json!(999_999))),
        ("compound_ids", Box::new(|b| b["compound_ids"] = json!([]))),
        ("compound_ids", Box::new(|b| b["compound_ids"] = json!([999_999]))),
    ];
    let t = app.token("secretary").await;
    let before = app.get(&format!("/api/v1/compounds/{tyc}/meetings"), &t).await.expect(StatusCode::OK).body;
    for (field, change) in cases {
        let mut body = new_meeting("consultation", &[tyc, shs], 3);
        change(&mut body);
        let res = convene(&app, "secretary", body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"][field].is_string(), "{field}: {}", res.body);
    }
    let list = app.get(&format!("/api/v1/compounds/{tyc}/meetings"), &t).await.expect(StatusCode::OK);
    assert_eq!(list.body, before, "nothing stored");
    assert!(!inbox_kinds(&app, "property").await.contains(&"meeting_invited".to_owned()));
    // An item drawn from the demo's open vote of 太阳城二期 links back to it.
    let votes = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &t).await.expect(StatusCode::OK);
    let mut body = new_meeting("consultation", &[tyc], 3);
    body["items"][0]["source"] = json!("vote");
    body["items"][0]["source_id"] = votes.body[0]["id"].clone();
    let m = convene(&app, "secretary", body).await.expect(StatusCode::CREATED);
    assert_eq!(m.body["items"][0]["source_link"], format!("/votes/{}", votes.body[0]["id"]));
}
