//! Binding votes: every ballot stays checkable against the audit chain, and one holder gets one
//! ballot however many requests race for it.
use std::sync::Arc;

use axum::http::StatusCode;
use sanfang::{audit::VerifyReport, entities::ballot};
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::json;
use tokio::sync::Barrier;

use crate::{helpers::*, votes::*};

#[tokio::test]
async fn the_chain_and_the_ballots_verify_until_a_ballot_is_changed_behind_the_servers_back() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(&app, &committee, tyc, motion("完整性", "covenant")).await;
    let owners = linked(&app, tyc).await;
    for ((_, login), choice) in owners.iter().zip(["agree", "oppose", "agree"]) {
        let token = app.token(login).await;
        cast(&app, &token, id, json!({ "choice": choice })).await.expect(StatusCode::CREATED);
    }
    let (staff, secretary) = (app.token("staff").await, app.token("secretary").await);
    let free = app.unlinked_holders(tyc).await;
    let paper = app
        .post(
            &format!("/api/v1/votes/{id}/paper-ballots"),
            Some(&staff),
            json!({ "holder_id": free[0]["id"], "serial": "V-1", "choice": "abstain" }),
        )
        .await
        .expect(StatusCode::CREATED)
        .id();
    app.post(&format!("/api/v1/votes/{id}/paper-ballots/{paper}/confirm"), Some(&secretary), json!({}))
        .await
        .expect(StatusCode::OK);

    assert!(matches!(sanfang::audit::verify(&app.db).await.unwrap(), VerifyReport::Ok { .. }));
    assert_eq!(sanfang::votes::verify_ballots(&app.db).await.unwrap(), None);

    // Someone with database access turns an opposing ballot into an agreeing one.
    let ballots = stored(&app, id).await;
    let victim = ballots.iter().find(|b| b.choice.as_deref() == Some("oppose")).unwrap().clone();
    let mut am: ballot::ActiveModel = victim.clone().into();
    am.choice = Set(Some("agree".into()));
    am.update(&app.db).await.unwrap();

    // The chain itself is intact: only the ballot check sees it, and names the ballot.
    assert!(matches!(sanfang::audit::verify(&app.db).await.unwrap(), VerifyReport::Ok { .. }));
    let (bad, reason) = sanfang::votes::verify_ballots(&app.db).await.unwrap().expect("the change is caught");
    assert_eq!(bad, victim.id, "{reason}");
}

/// Many requests for one holder, released together.
const RACERS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_ballots_for_one_holder_store_exactly_one() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(&app, &committee, tyc, motion("并发投票", "covenant")).await;
    let (_, login) = linked(&app, tyc).await.remove(0);
    let owner = Arc::new(app.token(&login).await);

    let barrier = Arc::new(Barrier::new(RACERS));
    let mut tasks = Vec::with_capacity(RACERS);
    for i in 0..RACERS {
        let (app, owner, barrier) = (app.clone(), owner.clone(), barrier.clone());
        let choice = ["agree", "oppose", "abstain"][i % 3];
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let res = cast(&app, &owner, id, json!({ "choice": choice })).await;
            (res.status, res.code().to_owned())
        }));
    }
    let mut created = 0;
    let mut refused = 0;
    for t in tasks {
        let (status, code) = t.await.unwrap();
        assert!(!status.is_server_error(), "{status} {code}");
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert_eq!(code, "already_voted");
                refused += 1;
            }
            other => panic!("unexpected {other} {code}"),
        }
    }
    assert_eq!((created, refused), (1, RACERS - 1));
    let ballots = stored(&app, id).await;
    assert_eq!(ballots.len(), 1);
    assert_eq!(sanfang::votes::verify_ballots(&app.db).await.unwrap(), None);
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["participating"]["headcount"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_owner_racing_their_own_proxy_leaves_one_ballot_and_the_owners_own_wins() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(&app, &committee, tyc, motion("委托人与代理人同时投票", "covenant")).await;
    let (h, login) = linked(&app, tyc).await.remove(0);
    app.create_user("son").await;
    app.confirmed_proxy(
        tyc,
        json!({ "holder_id": h["id"], "proxy_login": "son", "valid_from": at(-chrono::Duration::hours(1)),
                "valid_until": at(chrono::Duration::days(1)) }),
    )
    .await;
    app.pass_settling().await;
    let tokens = [Arc::new(app.token(&login).await), Arc::new(app.token("son").await)];

    let barrier = Arc::new(Barrier::new(RACERS));
    let mut tasks = Vec::with_capacity(RACERS);
    for i in 0..RACERS {
        let (app, token, barrier) = (app.clone(), tokens[i % 2].clone(), barrier.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            let res = cast(&app, &token, id, json!({ "choice": if i % 2 == 0 { "agree" } else { "oppose" } })).await;
            (i % 2 == 0, res.status, res.code().to_owned())
        }));
    }
    let mut owner_won = 0;
    let mut proxy_won = 0;
    for t in tasks {
        let (by_owner, status, code) = t.await.unwrap();
        match status {
            StatusCode::CREATED if by_owner => owner_won += 1,
            StatusCode::CREATED => proxy_won += 1,
            StatusCode::CONFLICT => assert_eq!(code, "already_voted"),
            other => panic!("unexpected {other} {code}"),
        }
    }
    // The owner's ballot counts exactly once; the proxy's counted only if it came first and
    // was then replaced.
    assert_eq!(owner_won, 1);
    assert!(proxy_won <= 1);
    let ballots = stored(&app, id).await;
    assert_eq!(ballots.len(), 1);
    assert_eq!((ballots[0].channel.as_str(), ballots[0].choice.as_deref()), ("online", Some("agree")));
    assert_eq!(sanfang::votes::verify_ballots(&app.db).await.unwrap(), None);
}
