use axum::http::{Method, StatusCode};
use sanfang::audit::{VerifyReport, verify};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::helpers::*;

/// Some of everything: a sign-in, a role grant, a roster import, an invitation.
async fn activity(app: &TestApp) {
    let tyc = app.compound_id(TYC).await;
    let admin = app.token("admin").await;
    let id = app.create_user("newstaff").await;
    app.post(
        &format!("/api/v1/users/{id}/memberships"),
        Some(&admin),
        json!({ "role": "property_staff", "compound_id": tyc }),
    )
    .await
    .expect(StatusCode::CREATED);
    let secretary = app.token("secretary").await;
    app.upload(
        &format!("/api/v1/compounds/{tyc}/roster"),
        &secretary,
        "楼栋,房号,面积,面积来源,业主姓名,业主编号\n9号楼,901,50,registered,新人,N1\n".into(),
        "text/csv",
    )
    .await
    .expect(StatusCode::OK);
    let hid = app.unlinked_holders(tyc).await[0]["id"].as_i64().unwrap();
    let member = app.token("member").await;
    app.post(&format!("/api/v1/holders/{hid}/invitations"), Some(&member), json!({})).await.expect(StatusCode::CREATED);
}

async fn trail(app: &TestApp, login: &str, query: &str) -> Vec<Value> {
    let token = app.token(login).await;
    let res = app.get(&format!("/api/v1/audit{query}"), &token).await.expect(StatusCode::OK);
    res.body.as_array().unwrap().clone()
}

fn seq_of(events: &[Value], action: &str) -> i64 {
    events.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("no {action}"))["seq"].as_i64().unwrap()
}

#[tokio::test]
async fn the_administrator_sees_every_action_in_the_trail() {
    let app = spawn_demo().await;
    activity(&app).await;
    let events = trail(&app, "admin", "?limit=500").await;
    for action in ["auth.sign_in", "account.created", "role.granted", "roster.imported", "owner.invitation_created"] {
        assert!(events.iter().any(|e| e["action"] == action), "{action} is missing");
    }
    let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] == w[1] + 1), "newest first, without gaps: {seqs:?}");

    let import = events.iter().find(|e| e["action"] == "roster.imported").unwrap();
    assert_eq!(import["actor"], "李书记");
    assert_eq!(import["detail"]["units_created"], 1);
    assert_eq!(import["detail"]["file_sha256"].as_str().unwrap().len(), 64);
    let invitation = events.iter().find(|e| e["action"] == "owner.invitation_created").unwrap();
    assert_eq!(invitation["actor"], "陈委员");
    assert!(invitation["detail"].get("code").is_none(), "the code itself is never logged");

    let page = trail(&app, "admin", &format!("?limit=2&before={}", seqs[0])).await;
    let page: Vec<i64> = page.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(page, [seqs[1], seqs[2]]);
}

#[tokio::test]
async fn the_secretary_sees_only_their_communitys_events() {
    let app = spawn_demo().await;
    activity(&app).await;
    let community = app.community_id().await;
    let admin = app.token("admin").await;
    let other = app
        .post("/api/v1/communities", Some(&admin), json!({ "name": "七里河社区" }))
        .await
        .expect(StatusCode::CREATED)
        .body["community"]["id"]
        .as_i64()
        .unwrap();

    let events = trail(&app, "secretary", "?limit=500").await;
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["community_id"] == community), "{events:?}");
    assert!(events.iter().any(|e| e["action"] == "roster.imported"));
    assert!(events.iter().any(|e| e["action"] == "owner.invitation_created"));
    let all = trail(&app, "admin", "?limit=500").await;
    assert!(all.iter().any(|e| e["community_id"] == other));

    let tyc = app.compound_id(TYC).await;
    let events = trail(&app, "secretary", &format!("?compound_id={tyc}&limit=500")).await;
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["compound_id"] == tyc));
}

#[tokio::test]
async fn owners_and_party_staff_cannot_read_the_trail() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let by_compound = format!("/api/v1/audit?compound_id={tyc}");
    for (login, path, status) in [
        ("owner001", "/api/v1/audit", StatusCode::FORBIDDEN),
        ("owner001", by_compound.as_str(), StatusCode::FORBIDDEN),
        ("property", "/api/v1/audit", StatusCode::FORBIDDEN),
        ("committee", by_compound.as_str(), StatusCode::FORBIDDEN),
        ("staff", "/api/v1/audit", StatusCode::FORBIDDEN),
        ("property2", by_compound.as_str(), StatusCode::NOT_FOUND),
    ] {
        let token = app.token(login).await;
        let res = app.get(path, &token).await;
        assert_eq!(res.status, status, "{login} {path}: {}", res.body);
        assert_eq!(res.code(), if status == StatusCode::FORBIDDEN { "forbidden" } else { "not_found" });
    }
}

#[tokio::test]
async fn the_chain_verifies_after_activity() {
    let app = spawn_demo().await;
    activity(&app).await;
    let events = trail(&app, "admin", "?limit=1").await;
    let newest = events[0]["seq"].as_i64().unwrap();
    match verify(&app.db).await.unwrap() {
        VerifyReport::Ok { events, head } => {
            assert_eq!(events as i64, newest);
            assert_eq!(head.len(), 64);
        }
        broken => panic!("{broken:?}"),
    }
}

#[tokio::test]
async fn an_altered_event_breaks_the_chain_at_that_event() {
    let app = spawn_demo().await;
    activity(&app).await;
    let n = seq_of(&trail(&app, "admin", "?limit=500").await, "role.granted");
    app.db.execute_unprepared(&format!("UPDATE audit_events SET detail = '{{}}' WHERE seq = {n}")).await.unwrap();
    match verify(&app.db).await.unwrap() {
        VerifyReport::Broken { seq, reason, .. } => {
            assert_eq!(seq, n);
            assert!(reason.contains("altered"), "{reason}");
        }
        ok => panic!("tampering went unnoticed: {ok:?}"),
    }
}

#[tokio::test]
async fn a_deleted_event_in_the_middle_is_reported() {
    let app = spawn_demo().await;
    activity(&app).await;
    let n = seq_of(&trail(&app, "admin", "?limit=500").await, "roster.imported");
    app.db.execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {n}")).await.unwrap();
    match verify(&app.db).await.unwrap() {
        VerifyReport::Broken { seq, reason, .. } => {
            assert_eq!(seq, n);
            assert!(reason.contains("missing"), "{reason}");
        }
        ok => panic!("deletion went unnoticed: {ok:?}"),
    }
}

#[tokio::test]
async fn a_deleted_last_event_is_reported() {
    let app = spawn_demo().await;
    activity(&app).await;
    let n = trail(&app, "admin", "?limit=1").await[0]["seq"].as_i64().unwrap();
    app.db.execute_unprepared(&format!("DELETE FROM audit_events WHERE seq = {n}")).await.unwrap();
    assert!(matches!(verify(&app.db).await.unwrap(), VerifyReport::Broken { seq, .. } if seq == n));
}

/// The trail as `token`'s holder reads it, asking for `language`.
async fn trail_in(app: &TestApp, token: &str, query: &str, language: &str) -> Vec<Value> {
    let auth = format!("Bearer {token}");
    let headers = [("authorization", auth.as_str()), ("accept-language", language)];
    let res = app.request_with(Method::GET, &format!("/api/v1/audit{query}"), &headers, String::new()).await;
    res.expect(StatusCode::OK).body.as_array().unwrap().clone()
}

fn text_of<'a>(events: &'a [Value], action: &str) -> &'a str {
    events.iter().find(|e| e["action"] == action).unwrap_or_else(|| panic!("no {action}"))["text"].as_str().unwrap()
}

#[tokio::test]
async fn each_event_is_told_in_the_readers_language_with_titles_as_written() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let c = crate::concerns::raise(&app, &owner, tyc, "hygiene", "北门外垃圾无人清理")
        .await
        .expect(StatusCode::CREATED)
        .id();
    app.post(&format!("/api/v1/concerns/{c}/route"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    let title = "北门垃圾清运 & “分类”";
    let a = app
        .post(&format!("/api/v1/concerns/{c}/agenda"), Some(&secretary), json!({ "title": title }))
        .await
        .expect(StatusCode::CREATED)
        .id();

    let en = trail_in(&app, &secretary, "?limit=20", "en-GB,en;q=0.8").await;
    assert_eq!(text_of(&en, "concern.routed"), format!("李书记 routed concern #{c} to the property company"));
    assert_eq!(text_of(&en, "agenda.opened"), format!("李书记 opened agenda #{a} “{title}”"));
    assert_eq!(text_of(&en, "concern.turned_into_agenda"), format!("李书记 turned concern #{c} into agenda #{a}"));
    let routed = en.iter().find(|e| e["action"] == "concern.routed").unwrap();
    assert_eq!(routed["detail"]["party_kind"], "property_company", "the detail is sent as stored");

    let zh = trail_in(&app, &secretary, "?limit=20", "zh-CN,zh;q=0.9").await;
    assert_eq!(text_of(&zh, "concern.routed"), format!("李书记将诉求 #{c} 转交物业公司"));
    assert_eq!(text_of(&zh, "agenda.opened"), format!("李书记发起了议题 #{a}“{title}”"));
    // Every event, the demo's included, has its own sentence rather than the generic one.
    for e in trail_in(&app, &app.token("admin").await, "?limit=500", "en").await {
        let text = e["text"].as_str().unwrap();
        assert!(!text.is_empty() && !text.contains(e["action"].as_str().unwrap()), "{e}");
    }
}

#[tokio::test]
async fn a_secretary_of_another_community_reads_none_of_this_ones_trail() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let admin = app.token("admin").await;
    let other = app
        .post("/api/v1/communities", Some(&admin), json!({ "name": "七里河社区" }))
        .await
        .expect(StatusCode::CREATED)
        .body["community"]["id"]
        .as_i64()
        .unwrap();
    let id = app.create_user("qlh_secretary").await;
    app.post(
        &format!("/api/v1/users/{id}/memberships"),
        Some(&admin),
        json!({ "role": "secretary", "community_id": other }),
    )
    .await
    .expect(StatusCode::CREATED);
    let token = app.token("qlh_secretary").await;
    let res = app.get(&format!("/api/v1/audit?compound_id={tyc}"), &token).await;
    assert!([StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&res.status), "{}", res.body);
    let own = trail_in(&app, &token, "?limit=500", "en").await;
    assert!(own.iter().all(|e| e["community_id"] == other), "{own:?}");
}
