//! Racing writes: many requests for the same thing released at the same instant.
//!
//! Each test prints a figure line on stderr (`races: …`) that scripts/test.sh shows.
use std::sync::Arc;

use axum::http::StatusCode;
use sanfang::entities::refresh_token;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use tokio::sync::Barrier;

use crate::{helpers::*, votes::*};

/// Casts released together per round.
const CASTS: usize = 200;
/// Rounds, each for a holder that has not voted yet.
const ROUNDS: usize = 50;

/// Send `n` copies of one POST at the same instant; the statuses and bodies, in no order.
async fn race(app: &TestApp, path: &str, tokens: &[Option<String>], body: Value) -> Vec<(StatusCode, Value)> {
    let barrier = Arc::new(Barrier::new(tokens.len()));
    let tasks: Vec<_> = tokens
        .iter()
        .map(|token| {
            let (app, path, token, body, barrier) =
                (app.clone(), path.to_owned(), token.clone(), body.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let res = app.post(&path, token.as_deref(), body).await;
                (res.status, res.body)
            })
        })
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("a racing request panicked"));
    }
    out
}

fn server_errors(results: &[(StatusCode, Value)]) -> usize {
    results.iter().filter(|(s, _)| s.is_server_error()).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_simultaneous_casts_for_one_holder_store_exactly_one_ballot_every_round() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    // Holders whose account holds that one unit only, each with a token of its own.
    let mut owners: Vec<(i64, String)> = Vec::new();
    let all = linked(&app, tyc).await;
    for (h, login) in &all {
        if all.iter().filter(|(_, l)| l == login).count() == 1 {
            owners.push((hid(h), app.token(login).await));
        }
    }
    assert!(owners.len() >= 5, "the demo has {} single-unit owners", owners.len());

    let (mut stored_per_round, mut five_xx) = (Vec::new(), 0);
    let mut vote = 0;
    for round in 0..ROUNDS {
        // A fresh vote whenever every owner has voted on the current one.
        if round % owners.len() == 0 {
            vote = open_vote(&app, &committee, tyc, motion(&format!("并发表决 {round}"), "covenant")).await;
        }
        let (holder, token) = &owners[round % owners.len()];
        let choice = ["agree", "oppose", "abstain"][round % 3];
        let results = race(
            &app,
            &format!("/api/v1/votes/{vote}/ballots"),
            &vec![Some(token.clone()); CASTS],
            json!({ "choice": choice, "holder_id": holder }),
        )
        .await;
        five_xx += server_errors(&results);
        let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
        for (status, body) in &results {
            let refused = *status == StatusCode::CONFLICT && body["error"]["code"] == "already_voted";
            assert!(*status == StatusCode::CREATED || refused, "round {round}: {status} {body}");
        }
        assert_eq!(created, 1, "round {round}: {created} casts were accepted");
        let mine: Vec<_> = stored(&app, vote).await.into_iter().filter(|b| b.holder_id == *holder).collect();
        assert_eq!(mine.len(), 1, "round {round}: {} ballots stored", mine.len());
        assert_eq!(mine[0].choice.as_deref(), Some(choice));
        stored_per_round.push(mine.len());
    }
    let exactly_one = stored_per_round.iter().filter(|n| **n == 1).count();
    let line = format!(
        "races: casts: {ROUNDS} rounds x {CASTS} casts, {exactly_one}/{ROUNDS} rounds stored exactly 1 ballot, {five_xx} 5xx"
    );
    figure(&line);
    assert_eq!(five_xx, 0);
    assert_eq!(exactly_one, ROUNDS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn clerks_confirming_the_same_paper_ballot_at_once_confirm_it_once() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let vote = open_vote(&app, &committee, tyc, motion("纸质票并发确认", "covenant")).await;
    let secretary = app.token("secretary").await;
    // Every clerk but the one who entered the slip.
    let clerks: Vec<Option<String>> = vec![
        Some(app.token("staff").await),
        Some(committee.clone()),
        Some(app.token("member").await),
        Some(app.token("staff").await),
    ];
    let holders = app.unlinked_holders(tyc).await;
    let (mut rounds, mut five_xx) = (0, 0);
    for (i, h) in holders.iter().enumerate().take(20) {
        let slip = app
            .post(
                &format!("/api/v1/votes/{vote}/paper-ballots"),
                Some(&secretary),
                json!({ "holder_id": h["id"], "serial": format!("RACE-{i:04}"), "choice": "agree" }),
            )
            .await
            .expect(StatusCode::CREATED)
            .id();
        let results =
            race(&app, &format!("/api/v1/votes/{vote}/paper-ballots/{slip}/confirm"), &clerks, json!({})).await;
        five_xx += server_errors(&results);
        let won = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
        for (status, body) in &results {
            let lost = *status == StatusCode::CONFLICT && body["error"]["code"] == "already_confirmed";
            assert!(*status == StatusCode::OK || lost, "slip {i}: {status} {body}");
        }
        assert_eq!(won, 1, "slip {i}: {won} confirmations won");
        let b: Vec<_> = stored(&app, vote).await.into_iter().filter(|b| b.id == slip).collect();
        assert_eq!((b.len(), b[0].status.as_str()), (1, "counted"));
        rounds += 1;
    }
    assert!(rounds >= 3, "only {rounds} unlinked holders to enter slips for");
    let line =
        format!("races: paper confirmations: {rounds} slips x {} clerks, 1 winner each, {five_xx} 5xx", clerks.len());
    figure(&line);
    assert_eq!(five_xx, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_refresh_token_presented_fifty_times_at_once_is_honoured_once_and_its_family_revoked() {
    const TASKS: usize = 50;
    const ROUNDS: usize = 10;
    let app = spawn_demo().await;
    let mut five_xx = 0;
    for round in 0..ROUNDS {
        let session = app.sign_in("owner002", DEMO_PASSWORD).await;
        let results =
            race(&app, "/api/v1/auth/refresh", &vec![None; TASKS], json!({ "refresh_token": session.refresh })).await;
        five_xx += server_errors(&results);
        let winners: Vec<&Value> = results.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
        assert_eq!(winners.len(), 1, "round {round}: {} refreshes succeeded", winners.len());
        for (status, body) in &results {
            let refused = *status == StatusCode::UNAUTHORIZED
                && matches!(body["error"]["code"].as_str(), Some("refresh_token_reused" | "invalid_token"));
            assert!(*status == StatusCode::OK || refused, "round {round}: {status} {body}");
        }
        // The spent token was presented again, so the whole family is revoked, the winner's
        // new token included.
        let newer = winners[0]["refresh_token"].as_str().unwrap();
        app.refresh(newer).await.expect(StatusCode::UNAUTHORIZED);
        let family = refresh_token::Entity::find()
            .filter(refresh_token::Column::TokenHash.eq(sanfang::auth::refresh::token_hash(&session.refresh)))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .family_id;
        let rows = refresh_token::Entity::find()
            .filter(refresh_token::Column::FamilyId.eq(family))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2, "round {round}: one token was issued");
        assert!(rows.iter().all(|r| r.revoked_at.is_some()), "round {round}: the family lives on");
    }
    let line = format!("races: refresh reuse: {ROUNDS} rounds x {TASKS} presentations, 1 honoured each, {five_xx} 5xx");
    figure(&line);
    assert_eq!(five_xx, 0);
}
