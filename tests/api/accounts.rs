use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::*;

/// The administrator creates the account `cleaner` (password `cleaner-password`).
async fn create_cleaner(app: &TestApp, admin: &str) -> Res {
    let body = json!({ "username": "cleaner", "display_name": "王保洁", "phone": "+86 136-0000-0001", "password": "cleaner-password" });
    app.post("/api/v1/users", Some(admin), body).await.expect(StatusCode::CREATED)
}

/// Make account `id` property staff of compound `compound`.
async fn grant_property_staff(app: &TestApp, admin: &str, id: i64, compound: i64) -> Res {
    let body = json!({ "role": "property_staff", "compound_id": compound });
    app.post(&format!("/api/v1/users/{id}/memberships"), Some(admin), body).await.expect(StatusCode::CREATED)
}

#[tokio::test]
async fn a_new_account_answers_its_phone_in_stored_form_and_never_its_password_hash() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let res = create_cleaner(&app, &admin).await;
    assert_eq!(res.body["username"], "cleaner");
    assert_eq!(res.body["phone"], "13600000001");
    assert_eq!(res.body["is_active"], true);
    assert!(res.body.get("password_hash").is_none());
}

#[tokio::test]
async fn a_property_staff_role_is_held_in_the_compounds_property_company() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let tyc = app.compound_id(TYC).await;
    let id = create_cleaner(&app, &admin).await.id();
    let detail = app.get(&format!("/api/v1/compounds/{tyc}"), &admin).await.expect(StatusCode::OK);
    let property_party =
        detail.body["parties"].as_array().unwrap().iter().find(|p| p["kind"] == "property_company").unwrap()["id"]
            .clone();
    let res = grant_property_staff(&app, &admin, id, tyc).await;
    assert_eq!(res.body["role"], "property_staff");
    assert_eq!(res.body["user_id"], id);
    assert_eq!(res.body["compound_id"], tyc);
    assert_eq!(res.body["compound_name"], TYC);
    assert_eq!(res.body["party_kind"], "property_company");
    assert_eq!(res.body["party_id"], property_party);
}

#[tokio::test]
async fn property_staff_read_only_their_compounds_roster_and_may_not_import_it() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let id = create_cleaner(&app, &admin).await.id();
    grant_property_staff(&app, &admin, id, tyc).await;

    let staff = app.token_with("cleaner", "cleaner-password").await;
    let units = app.get(&format!("/api/v1/compounds/{tyc}/units"), &staff).await.expect(StatusCode::OK);
    assert_eq!(units.body.as_array().unwrap().len(), 220);
    let res = app.get(&format!("/api/v1/compounds/{shs}/units"), &staff).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    let res = app
        .upload(&format!("/api/v1/compounds/{tyc}/roster"), &staff, b"building,unit\n".to_vec(), "text/csv")
        .await
        .expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");

    let me = app.get("/api/v1/me", &staff).await.expect(StatusCode::OK);
    assert_eq!(me.body["memberships"].as_array().unwrap().len(), 1);
    assert_eq!(me.body["memberships"][0]["role"], "property_staff");
}

#[tokio::test]
async fn granting_the_same_role_twice_keeps_one_membership_and_one_record() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let community = app.community_id().await;
    let id = app.create_user("helper").await;
    let path = format!("/api/v1/users/{id}/memberships");
    let body = json!({ "role": "community_staff", "community_id": community });
    let first = app.post(&path, Some(&admin), body.clone()).await.expect(StatusCode::CREATED);
    let second = app.post(&path, Some(&admin), body).await.expect(StatusCode::OK);
    assert_eq!(first.id(), second.id());
    assert_eq!(first.body["party_kind"], "community_office");
    let me = app.get("/api/v1/me", &app.token("helper").await).await.expect(StatusCode::OK);
    assert_eq!(me.body["memberships"].as_array().unwrap().len(), 1);
    let events = app.get("/api/v1/audit?limit=50", &admin).await.expect(StatusCode::OK);
    let grants = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "role.granted" && e["subject"] == format!("user:{id}"))
        .count();
    assert_eq!(grants, 1);
}

#[tokio::test]
async fn the_owner_role_cannot_be_granted_by_hand() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let tyc = app.compound_id(TYC).await;
    let id = app.create_user("pretender").await;
    let res = app
        .post(&format!("/api/v1/users/{id}/memberships"), Some(&admin), json!({ "role": "owner", "compound_id": tyc }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "validation_failed");
    assert!(res.body["error"]["fields"]["role"].is_string());
    let me = app.get("/api/v1/me", &app.token("pretender").await).await.expect(StatusCode::OK);
    assert_eq!(me.body["memberships"], json!([]));
}

#[tokio::test]
async fn a_scoped_role_needs_its_scope() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let id = app.create_user("drifter").await;
    let path = format!("/api/v1/users/{id}/memberships");
    let res =
        app.post(&path, Some(&admin), json!({ "role": "secretary" })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["community_id"].is_string());
    let res = app
        .post(&path, Some(&admin), json!({ "role": "committee_member", "compound_id": 999999 }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["compound_id"].is_string());
    let res = app.post(&path, Some(&admin), json!({ "role": "emperor" })).await.expect(StatusCode::BAD_REQUEST);
    assert_eq!(res.code(), "invalid_body");
    let me = app.get("/api/v1/me", &app.token("drifter").await).await.expect(StatusCode::OK);
    assert_eq!(me.body["memberships"], json!([]));
}

#[tokio::test]
async fn only_administrators_manage_accounts() {
    let app = spawn_demo().await;
    let new_user = json!({ "username": "sneaky", "display_name": "某人", "password": "sneaky-password" });
    for login in ["secretary", "staff", "property", "committee", "owner001"] {
        let token = app.token(login).await;
        let res = app.get("/api/v1/users", &token).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "forbidden", "{login}");
        let res = app.post("/api/v1/users", Some(&token), new_user.clone()).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "forbidden", "{login}");
    }
    app.login("sneaky", "sneaky-password").await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_taken_user_name_answers_409_username_taken() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let res = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({ "username": "secretary", "display_name": "冒名者", "password": "impostor-password" }),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "username_taken");
    let res = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({ "username": "newbie", "display_name": "新人", "phone": "13900000001", "password": "newbie-password" }),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "phone_taken");

    let users = app.get("/api/v1/users?q=secretary", &admin).await.expect(StatusCode::OK);
    assert_eq!(users.body.as_array().unwrap().len(), 1);
    assert_eq!(users.body[0]["user"]["display_name"], "李书记");
    app.login("secretary", "impostor-password").await.expect(StatusCode::UNAUTHORIZED);
    let users = app.get("/api/v1/users?q=newbie", &admin).await.expect(StatusCode::OK);
    assert_eq!(users.body, json!([]));
}

#[tokio::test]
async fn a_bad_user_name_or_weak_password_is_refused_by_field() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let res = app
        .post(
            "/api/v1/users",
            Some(&admin),
            json!({ "username": "两 个", "display_name": "x", "password": "long-enough" }),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["username"].is_string());
    let res = app
        .post("/api/v1/users", Some(&admin), json!({ "username": "shorty", "display_name": "x", "password": "short" }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["password"].is_string());
    let users = app.get("/api/v1/users?q=shorty", &admin).await.expect(StatusCode::OK);
    assert_eq!(users.body, json!([]));
}

#[tokio::test]
async fn administrators_cannot_lock_themselves_out() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let users = app.get("/api/v1/users?q=admin", &admin).await.expect(StatusCode::OK);
    let me = users.body.as_array().unwrap().iter().find(|u| u["user"]["username"] == "admin").unwrap().clone();
    let id = me["user"]["id"].as_i64().unwrap();
    let res = app
        .patch(&format!("/api/v1/users/{id}"), &admin, json!({ "is_active": false }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["is_active"].is_string());
    let membership = me["memberships"][0]["id"].as_i64().unwrap();
    app.delete(&format!("/api/v1/memberships/{membership}"), &admin).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    app.get("/api/v1/users", &admin).await.expect(StatusCode::OK);
}
