//! A sign-in ends everywhere at once: after signing out, a password change or a reused refresh
//! token, the access tokens of that sign-in stop working on the next request — casting included —
//! on every server process over the same database.
use axum::http::StatusCode;
use serde_json::json;

use crate::{helpers::*, votes::*};

/// A second server process over the same database: nothing it knows comes from the first's memory.
fn second_process(app: &TestApp) -> TestApp {
    let state = sanfang::AppState::new(app.db.clone(), JWT_SECRET);
    TestApp { router: sanfang::app(state.clone(), None), state, ..app.clone() }
}

#[tokio::test]
async fn signing_out_ends_that_sign_ins_access_tokens_at_once_on_every_process_and_no_other() {
    let app = spawn_demo().await;
    let other = second_process(&app);
    let phone = app.sign_in("owner001", DEMO_PASSWORD).await;
    let desk = app.sign_in("owner001", DEMO_PASSWORD).await;
    other.get("/api/v1/me", &phone.access).await.expect(StatusCode::OK);

    app.post("/api/v1/auth/logout", None, json!({ "refresh_token": phone.refresh }))
        .await
        .expect(StatusCode::NO_CONTENT);
    for process in [&app, &other] {
        let res = process.get("/api/v1/me", &phone.access).await.expect(StatusCode::UNAUTHORIZED);
        assert_eq!(res.code(), "invalid_token");
        process.get("/api/v1/me", &desk.access).await.expect(StatusCode::OK);
    }
}

#[tokio::test]
async fn a_password_change_ends_every_other_sign_in_at_once_and_keeps_its_own() {
    let app = spawn_demo().await;
    let other = second_process(&app);
    let phone = app.sign_in("owner001", DEMO_PASSWORD).await;
    let stolen = app.sign_in("owner001", DEMO_PASSWORD).await;
    app.post(
        "/api/v1/me/password",
        Some(&phone.access),
        json!({ "current_password": DEMO_PASSWORD, "new_password": "a-new-long-password" }),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    for process in [&app, &other] {
        process.get("/api/v1/me", &stolen.access).await.expect(StatusCode::UNAUTHORIZED);
        process.get("/api/v1/me", &phone.access).await.expect(StatusCode::OK);
    }
    app.refresh(&stolen.refresh).await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_reused_refresh_token_ends_the_access_tokens_of_its_sign_in() {
    let app = spawn_demo().await;
    let s = app.sign_in("owner001", DEMO_PASSWORD).await;
    let next = app.refresh(&s.refresh).await.expect(StatusCode::OK);
    let access = next.body["access_token"].as_str().unwrap().to_owned();
    app.get("/api/v1/me", &access).await.expect(StatusCode::OK);
    app.refresh(&s.refresh).await.expect(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/me", &access).await.expect(StatusCode::UNAUTHORIZED);
    app.get("/api/v1/me", &s.access).await.expect(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_ended_sign_in_cannot_cast_even_on_the_fast_path() {
    let app = spawn_demo().await;
    let other = second_process(&app);
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let first = open_vote(&app, &committee, tyc, motion("楼道堆物清理", "covenant")).await;
    let second = open_vote(&app, &committee, tyc, motion("北门绿化", "other")).await;
    let owner = app.sign_in("owner001", DEMO_PASSWORD).await;
    // The vote is in memory on both processes, so the cast takes the path without a query of its own.
    cast(&other, &owner.access, first, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);

    app.post("/api/v1/auth/logout", None, json!({ "refresh_token": owner.refresh }))
        .await
        .expect(StatusCode::NO_CONTENT);
    for process in [&app, &other] {
        let res = cast(process, &owner.access, second, json!({ "choice": "agree" })).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    }
    assert!(stored(&app, second).await.is_empty());
}
