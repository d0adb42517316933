use axum::http::StatusCode;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sanfang::{auth::jwt::Claims, entities::refresh_token};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn health_answers_ok() {
    let app = spawn_app().await;
    let res = app.get_anon("/api/v1/health").await.expect(StatusCode::OK);
    assert_eq!(res.body, json!({"status": "ok"}));
}

#[tokio::test]
async fn an_owner_logs_in_by_user_name_or_phone_and_sees_their_units() {
    let app = spawn_demo().await;
    let res = app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::OK);
    assert_eq!(res.body["token_type"], "Bearer");
    assert_eq!(res.body["expires_in"], 900);
    let token = res.body["access_token"].as_str().unwrap().to_owned();
    let me = app.get("/api/v1/me", &token).await.expect(StatusCode::OK);
    assert_eq!(me.body["user"]["username"], "owner001");
    assert!(me.body["user"].get("password_hash").is_none());
    let holding = &me.body["holdings"][0];
    assert_eq!(holding["compound_name"], "太阳城二期");
    assert_eq!(holding["units"].as_array().unwrap().len(), 3);

    let phone = me.body["user"]["phone"].as_str().unwrap().to_owned();
    app.login(&phone, DEMO_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn unknown_user_and_wrong_password_get_the_same_answer() {
    let app = spawn_demo().await;
    let a = app.login("nobody", "whatever-password").await.expect(StatusCode::UNAUTHORIZED);
    let b = app.login("owner001", "whatever-password").await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(a.body, b.body);
    assert_eq!(a.code(), "invalid_credentials");
}

/// Claims for `token`'s user and sign-in, expiring at `exp`.
fn claims_for(token: &str, exp: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    let payload = token.split('.').nth(1).unwrap();
    let issued: serde_json::Value = serde_json::from_slice(&B64.decode(payload).unwrap()).unwrap();
    Claims {
        sub: issued["sub"].as_str().unwrap().to_owned(),
        sid: issued["sid"].as_str().unwrap().to_owned(),
        exp,
        iat: now,
        iss: "sanfang".into(),
        aud: "sanfang-api".into(),
    }
}

fn sign(claims: &impl serde::Serialize, secret: &[u8]) -> String {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret)).unwrap()
}

async fn my_id(app: &TestApp, token: &str) -> i64 {
    app.get("/api/v1/me", token).await.expect(StatusCode::OK).body["user"]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_refresh_spends_the_old_refresh_token_and_the_new_one_works() {
    let app = spawn_demo().await;
    let first = app.sign_in("owner001", DEMO_PASSWORD).await;
    let res = app.refresh(&first.refresh).await.expect(StatusCode::OK);
    let second = res.body["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(second, first.refresh);
    let access = res.body["access_token"].as_str().unwrap();
    app.get("/api/v1/me", access).await.expect(StatusCode::OK);

    let third = app.refresh(&second).await.expect(StatusCode::OK);
    assert!(third.body["refresh_token"].is_string());
    let again = app.refresh(&first.refresh).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(again.code(), "refresh_token_reused");
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_revokes_its_whole_family() {
    let app = spawn_demo().await;
    let first = app.sign_in("owner001", DEMO_PASSWORD).await;
    let other = app.sign_in("owner001", DEMO_PASSWORD).await;
    let res = app.refresh(&first.refresh).await.expect(StatusCode::OK);
    let newer = res.body["refresh_token"].as_str().unwrap().to_owned();

    let reuse = app.refresh(&first.refresh).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(reuse.code(), "refresh_token_reused");
    let res = app.refresh(&newer).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");

    let family = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(sanfang::auth::refresh::token_hash(&newer)))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .family_id;
    let rows =
        refresh_token::Entity::find().filter(refresh_token::Column::FamilyId.eq(family)).all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.revoked_at.is_some()));
    // Another sign-in of the same account is a family of its own and lives on.
    app.refresh(&other.refresh).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn logging_out_revokes_the_refresh_token() {
    let app = spawn_demo().await;
    let s = app.sign_in("owner001", DEMO_PASSWORD).await;
    let res = app.refresh(&s.refresh).await.expect(StatusCode::OK);
    let rotated = res.body["refresh_token"].as_str().unwrap().to_owned();
    app.post("/api/v1/auth/logout", None, json!({ "refresh_token": rotated })).await.expect(StatusCode::NO_CONTENT);
    let res = app.refresh(&rotated).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
    // An unknown token signs nobody out and says nothing.
    app.post("/api/v1/auth/logout", None, json!({ "refresh_token": "nonsense" })).await.expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_even_against_the_right_one() {
    let app = spawn_demo().await;
    for _ in 0..5 {
        let res = app.login("owner001", "wrong-password").await.expect(StatusCode::UNAUTHORIZED);
        assert_eq!(res.code(), "invalid_credentials");
    }
    let res = app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.code(), "too_many_requests");
    let wait: u64 = res.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    // The same account by another spelling is the same account.
    app.login("OWNER001", DEMO_PASSWORD).await.expect(StatusCode::TOO_MANY_REQUESTS);
    // Other accounts are not locked.
    app.login("owner002", DEMO_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn one_address_failing_on_many_accounts_is_locked_but_others_are_not() {
    let app = spawn_demo().await;
    for i in 0..30 {
        app.login(&format!("nobody{i}"), "wrong-password").await.expect(StatusCode::UNAUTHORIZED);
    }
    let res = app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::TOO_MANY_REQUESTS);
    assert!(res.header("retry-after").is_some());
    app.with_client([10, 0, 0, 7]).login("owner001", DEMO_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_token_with_alg_none_is_refused() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let claims = serde_json::to_string(&claims_for(&admin, chrono::Utc::now().timestamp() + 600)).unwrap();
    let token = format!("{}.{}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#), B64.encode(claims));
    let res = app.get("/api/v1/me", &token).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
}

#[tokio::test]
async fn a_token_signed_with_another_secret_is_refused() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let claims = claims_for(&admin, chrono::Utc::now().timestamp() + 600);
    // The same claims under the server's own secret pass, so only the signature is wrong.
    app.get("/api/v1/me", &sign(&claims, JWT_SECRET)).await.expect(StatusCode::OK);
    let id = my_id(&app, &admin).await;
    app.get("/api/v1/me", &app.state.jwt.issue(id, &claims.sid).unwrap()).await.expect(StatusCode::OK);
    let forged = sign(&claims, b"another-secret-another-secret-another");
    let res = app.get("/api/v1/me", &forged).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
}

#[tokio::test]
async fn a_token_whose_expiry_is_a_string_is_refused() {
    let app = spawn_demo().await;
    let id = my_id(&app, &app.token("admin").await).await;
    let now = chrono::Utc::now().timestamp();
    let claims = json!({
        "sub": id.to_string(), "exp": (now + 600).to_string(), "iat": now, "iss": "sanfang", "aud": "sanfang-api"
    });
    let res = app.get("/api/v1/me", &sign(&claims, JWT_SECRET)).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
}

#[tokio::test]
async fn an_expired_token_is_refused_as_expired() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let token = sign(&claims_for(&admin, chrono::Utc::now().timestamp() - 3600), JWT_SECRET);
    let res = app.get("/api/v1/me", &token).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "token_expired");
}

#[tokio::test]
async fn a_deactivated_account_loses_its_access_token_at_once() {
    let app = spawn_demo().await;
    let id = app.create_user("leaving").await;
    let s = app.sign_in("leaving", DEMO_PASSWORD).await;
    app.get("/api/v1/me", &s.access).await.expect(StatusCode::OK);

    let admin = app.token("admin").await;
    let res =
        app.patch(&format!("/api/v1/users/{id}"), &admin, json!({ "is_active": false })).await.expect(StatusCode::OK);
    assert_eq!(res.body["is_active"], false);

    let res = app.get("/api/v1/me", &s.access).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
    app.refresh(&s.refresh).await.expect(StatusCode::UNAUTHORIZED);
    let res = app.login("leaving", DEMO_PASSWORD).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_credentials");
}

#[tokio::test]
async fn a_removed_membership_stops_working_on_the_next_request() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let property = app.token("property").await;
    let units = format!("/api/v1/compounds/{tyc}/units");
    app.get(&units, &property).await.expect(StatusCode::OK);

    let admin = app.token("admin").await;
    let users = app.get("/api/v1/users?q=property", &admin).await.expect(StatusCode::OK);
    let item = users.body.as_array().unwrap().iter().find(|u| u["user"]["username"] == "property").unwrap();
    let membership = item["memberships"][0]["id"].as_i64().unwrap();
    app.delete(&format!("/api/v1/memberships/{membership}"), &admin).await.expect(StatusCode::NO_CONTENT);

    let res = app.get(&units, &property).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    let me = app.get("/api/v1/me", &property).await.expect(StatusCode::OK);
    assert_eq!(me.body["memberships"], json!([]));
}

#[tokio::test]
async fn a_wrong_current_password_is_refused_and_changes_nothing() {
    let app = spawn_demo().await;
    let token = app.token("owner001").await;
    let res = app
        .post(
            "/api/v1/me/password",
            Some(&token),
            json!({ "current_password": "not-my-password", "new_password": "brand-new-password" }),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "validation_failed");
    assert!(res.body["error"]["fields"]["current_password"].is_string());
    app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::OK);
    app.login("owner001", "brand-new-password").await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_too_short_new_password_is_refused() {
    let app = spawn_demo().await;
    let token = app.token("owner001").await;
    let res = app
        .post(
            "/api/v1/me/password",
            Some(&token),
            json!({ "current_password": DEMO_PASSWORD, "new_password": "short" }),
        )
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["new_password"].is_string());
    app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn changing_the_password_retires_the_old_one_and_signs_out_other_sessions() {
    let app = spawn_demo().await;
    let elsewhere = app.sign_in("owner001", DEMO_PASSWORD).await;
    let here = app.sign_in("owner001", DEMO_PASSWORD).await;
    app.post(
        "/api/v1/me/password",
        Some(&here.access),
        json!({ "current_password": DEMO_PASSWORD, "new_password": "brand-new-password" }),
    )
    .await
    .expect(StatusCode::NO_CONTENT);

    let res = app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_credentials");
    app.login("owner001", "brand-new-password").await.expect(StatusCode::OK);
    let res = app.refresh(&elsewhere.refresh).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
}

#[tokio::test]
async fn registering_with_an_invitation_code_creates_a_verified_owner() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let holder = app.unlinked_holders(tyc).await.remove(0);
    let hid = holder["id"].as_i64().unwrap();
    let code = app.confirmed_invitation(hid).await;

    let body = json!({ "code": code.to_lowercase(), "display_name": "新业主", "phone": "137 0000 1234", "password": "my-own-password" });
    let res = app.post("/api/v1/auth/register", None, body.clone()).await.expect(StatusCode::CREATED);
    let access = res.body["access_token"].as_str().unwrap();
    let me = app.get("/api/v1/me", access).await.expect(StatusCode::OK);
    assert_eq!(me.body["user"]["phone"], "13700001234");
    assert_eq!(me.body["user"]["display_name"], "新业主");
    assert_eq!(me.body["holdings"][0]["holder_id"], hid);
    assert_eq!(me.body["holdings"][0]["compound_id"], tyc);
    let roles: Vec<(&str, i64)> = me.body["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["role"].as_str().unwrap(), m["compound_id"].as_i64().unwrap()))
        .collect();
    assert_eq!(roles, [("owner", tyc)]);
    app.login("13700001234", "my-own-password").await.expect(StatusCode::OK);

    let holder = app.holders(tyc).await.into_iter().find(|h| h["id"] == hid).unwrap();
    assert_eq!(holder["linked_users"][0]["phone"], "13700001234");

    let again =
        json!({ "code": code, "display_name": "另一人", "phone": "13700005678", "password": "my-own-password" });
    let res = app.post("/api/v1/auth/register", None, again).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "invitation_used");
    app.login("13700005678", "my-own-password").await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn registering_with_a_wrong_code_creates_no_account() {
    let app = spawn_demo().await;
    let body =
        json!({ "code": "AAAA-BBBB", "display_name": "某人", "phone": "13700001234", "password": "my-own-password" });
    let res = app.post("/api/v1/auth/register", None, body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["code"].is_string());
    let admin = app.token("admin").await;
    let users = app.get("/api/v1/users?q=13700001234", &admin).await.expect(StatusCode::OK);
    assert_eq!(users.body, json!([]));
}

#[tokio::test]
async fn wrong_invitation_codes_from_one_address_do_not_lock_out_registration_elsewhere() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let hid = app.unlinked_holders(tyc).await[0]["id"].as_i64().unwrap();
    let code = app.confirmed_invitation(hid).await;

    let guess =
        json!({ "code": "AAAA-BBBB", "display_name": "某人", "phone": "13700001111", "password": "my-own-password" });
    for _ in 0..5 {
        app.post("/api/v1/auth/register", None, guess.clone()).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = app.post("/api/v1/auth/register", None, guess).await.expect(StatusCode::TOO_MANY_REQUESTS);
    assert!(res.header("retry-after").is_some());

    let real = json!({ "code": code, "display_name": "新业主", "phone": "13700001234", "password": "my-own-password" });
    app.with_client([10, 0, 0, 8]).post("/api/v1/auth/register", None, real).await.expect(StatusCode::CREATED);
}
