//! Guessing limits hold under parallel attack and across server processes: every attempt is
//! counted in the database before the work; an account is one key however it is named; failures
//! back off, doubling, instead of shutting anyone out; a device that signed in before is spared
//! the account's back-off; behind a trusted proxy the client's own address is counted.
use std::net::SocketAddr;

use axum::http::{Method, StatusCode};
use sanfang::auth::ratelimit::{ACCOUNT, ADDRESS, CODE, backoff_secs};
use sea_orm::ConnectionTrait;
use serde_json::json;

use crate::helpers::*;

fn statuses(results: &[Res]) -> (usize, usize) {
    let of = |s: StatusCode| results.iter().filter(|r| r.status == s).count();
    assert_eq!(
        of(StatusCode::UNAUTHORIZED) + of(StatusCode::UNPROCESSABLE_ENTITY) + of(StatusCode::TOO_MANY_REQUESTS),
        results.len()
    );
    (results.len() - of(StatusCode::TOO_MANY_REQUESTS), of(StatusCode::TOO_MANY_REQUESTS))
}

#[tokio::test]
async fn a_hundred_parallel_wrong_logins_from_one_address_are_counted_before_the_password_check() {
    let app = spawn_demo().await;
    let guesses = (0..100).map(|i| {
        let app = app.clone();
        tokio::spawn(async move { app.login(&format!("nobody{i}"), "wrong-password").await })
    });
    let results: Vec<Res> = futures_join(guesses).await;
    let (evaluated, refused) = statuses(&results);
    assert!(
        evaluated <= ADDRESS.free as usize,
        "{evaluated} wrong passwords were checked, the limit is {}",
        ADDRESS.free
    );
    assert_eq!(evaluated + refused, 100);
    assert!(
        results.iter().filter(|r| r.status == StatusCode::TOO_MANY_REQUESTS).all(|r| r.header("retry-after").is_some())
    );
    figure(&format!(
        "limits: 100 parallel wrong logins from one address, {evaluated} checked, {refused} refused with 429"
    ));
}

#[tokio::test]
async fn a_hundred_parallel_wrong_invitation_codes_are_counted_before_the_lookup() {
    let app = spawn_demo().await;
    app.create_user("guesser").await;
    let token = app.token("guesser").await;
    let guesses = (0..100).map(|_| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move {
            app.post("/api/v1/invitations/redeem", Some(&token), json!({ "code": "ZZZZ-ZZZZ" })).await
        })
    });
    let results: Vec<Res> = futures_join(guesses).await;
    let (evaluated, refused) = statuses(&results);
    assert!(evaluated <= CODE.free as usize, "{evaluated} codes were looked up, the limit is {}", CODE.free);
    figure(&format!(
        "limits: 100 parallel wrong invitation codes from one account, {evaluated} looked up, {refused} refused"
    ));
}

#[tokio::test]
async fn a_hundred_parallel_wrong_recovery_codes_are_counted_before_the_lookup() {
    let app = spawn_demo().await;
    let guesses = (0..100).map(|_| {
        let app = app.clone();
        tokio::spawn(async move {
            let body =
                json!({ "login": "owner001", "recovery_code": "ZZZZ-ZZZZ", "new_password": "a-new-long-password" });
            app.post("/api/v1/auth/recover", None, body).await
        })
    });
    let results: Vec<Res> = futures_join(guesses).await;
    let (evaluated, refused) = statuses(&results);
    assert!(evaluated <= CODE.free as usize, "{evaluated} codes were looked up, the limit is {}", CODE.free);
    figure(&format!(
        "limits: 100 parallel wrong recovery codes for one account, {evaluated} looked up, {refused} refused"
    ));
    // The account's own password still works: guessing its recovery code locks nobody out.
    app.login("owner001", DEMO_PASSWORD).await.expect(StatusCode::OK);
}

async fn futures_join(handles: impl Iterator<Item = tokio::task::JoinHandle<Res>>) -> Vec<Res> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await.unwrap());
    }
    out
}

/// The demo phone number of `login`'s account.
async fn phone_of(app: &TestApp, login: &str) -> String {
    let token = app.token(login).await;
    app.get("/api/v1/me", &token).await.expect(StatusCode::OK).body["user"]["phone"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_account_is_one_key_by_user_name_and_by_phone_number() {
    let app = spawn_demo().await;
    let phone = phone_of(&app, "owner001").await;
    let spaced = format!("{} {} {}", &phone[..3], &phone[3..7], &phone[7..]);
    for (i, login) in ["owner001", spaced.as_str(), "OWNER001", phone.as_str(), " owner001"].iter().enumerate() {
        // Each from another address: only the account's own limit is in play.
        let res = app.with_client([10, 1, 0, i as u8]).login(login, "wrong-password").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{login}");
    }
    let res = app.with_client([10, 1, 1, 1]).login(&phone, DEMO_PASSWORD).await.expect(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.code(), "too_many_requests");
}

#[tokio::test]
async fn failures_back_off_doubling_as_the_rule_says_and_nobody_is_shut_out_for_good() {
    let app = spawn_demo().await;
    let mut waits = Vec::new();
    for n in 1..=ACCOUNT.free + 3 {
        let res = app.login("secretary", "wrong-password").await.expect(StatusCode::UNAUTHORIZED);
        assert_eq!(res.code(), "invalid_credentials");
        let row = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT blocked_until - last_at AS wait FROM throttles WHERE key LIKE 'account:%'",
            ))
            .await
            .unwrap()
            .unwrap();
        let wait: i64 = row.try_get("", "wait").unwrap();
        assert_eq!(wait, backoff_secs(ACCOUNT, n), "after failure {n}");
        if wait > 0 {
            waits.push(wait);
            let res = app.login("secretary", DEMO_PASSWORD).await.expect(StatusCode::TOO_MANY_REQUESTS);
            let told: i64 = res.header("retry-after").unwrap().parse().unwrap();
            assert!((wait - 2..=wait).contains(&told), "Retry-After {told} for a back-off of {wait}");
            // The back-off runs out: the next attempt is counted again.
            app.db.execute_unprepared("UPDATE throttles SET blocked_until = 0").await.unwrap();
        }
    }
    assert_eq!(waits, [30, 60, 120, 240]);
    app.login("secretary", DEMO_PASSWORD).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_device_that_signed_in_before_is_spared_the_accounts_back_off_but_not_its_addresss() {
    let app = spawn_demo().await;
    let phone = app.with_client([10, 2, 0, 1]);
    let res = phone.login("secretary", DEMO_PASSWORD).await.expect(StatusCode::OK);
    let device = res.body["device"].as_str().unwrap().to_owned();
    let attacker = app.with_client([10, 2, 0, 2]);
    for _ in 0..ACCOUNT.free {
        attacker.login("secretary", "wrong-password").await.expect(StatusCode::UNAUTHORIZED);
    }
    attacker.login("secretary", DEMO_PASSWORD).await.expect(StatusCode::TOO_MANY_REQUESTS);
    let with = |device: &str| json!({ "login": "secretary", "password": DEMO_PASSWORD, "device": device });
    // A device the account never saw, or another account's device, is no pass.
    phone.post("/api/v1/auth/login", None, with("made-up")).await.expect(StatusCode::TOO_MANY_REQUESTS);
    let other = app.with_client([10, 2, 0, 3]).login("owner001", DEMO_PASSWORD).await.expect(StatusCode::OK);
    let other_device = other.body["device"].as_str().unwrap();
    phone.post("/api/v1/auth/login", None, with(other_device)).await.expect(StatusCode::TOO_MANY_REQUESTS);
    let again = phone.post("/api/v1/auth/login", None, with(&device)).await.expect(StatusCode::OK);
    assert_eq!(again.body["device"], device.as_str(), "a known device keeps its token");
    // The address's limit still holds for a known device.
    for i in 0..ADDRESS.free {
        attacker.login(&format!("nobody{i}"), "wrong-password").await;
    }
    attacker.post("/api/v1/auth/login", None, with(&device)).await.expect(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_clients_own_address_is_counted_and_a_forged_header_is_not() {
    let base = spawn_demo().await;
    let state = sanfang::AppState::behind(base.db.clone(), JWT_SECRET, vec!["10.9.0.0/16".parse().unwrap()]);
    let proxied = TestApp {
        router: sanfang::app(state.clone(), None),
        state,
        client: SocketAddr::from(([10, 9, 0, 1], 40000)),
        ..base.clone()
    };
    let from = |client: &str, i: i64| {
        let proxied = proxied.clone();
        let client = client.to_owned();
        async move {
            let body = json!({ "login": format!("nobody{i}"), "password": "wrong-password" }).to_string();
            proxied.request_with(Method::POST, "/api/v1/auth/login", &[("x-forwarded-for", &client)], body).await
        }
    };
    for i in 0..ADDRESS.free {
        from("198.51.100.1", i).await.expect(StatusCode::UNAUTHORIZED);
    }
    from("198.51.100.1", 100).await.expect(StatusCode::TOO_MANY_REQUESTS);
    // Another client behind the same proxy is not held back by the first.
    from("198.51.100.2", 101).await.expect(StatusCode::UNAUTHORIZED);
    // A client that is not a trusted proxy cannot choose the address it is counted by.
    let direct = base.with_client([203, 0, 113, 5]);
    for i in 0..ADDRESS.free {
        let body = json!({ "login": format!("nobody{i}"), "password": "x" }).to_string();
        direct
            .request_with(Method::POST, "/api/v1/auth/login", &[("x-forwarded-for", &format!("192.0.2.{i}"))], body)
            .await;
    }
    let body = json!({ "login": "nobody-else", "password": "x" }).to_string();
    direct
        .request_with(Method::POST, "/api/v1/auth/login", &[("x-forwarded-for", "192.0.2.200")], body)
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS);
}
