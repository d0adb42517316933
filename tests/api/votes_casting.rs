//! Binding votes: ballots cast online, entered on paper, and cast by a written proxy.
use std::collections::BTreeSet;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::{helpers::*, votes::*};

/// An open covenant vote in 太阳城二期, drafted and published by the committee chair.
async fn open_in_tyc(app: &TestApp, extra: Value) -> (i64, i64) {
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(app, &committee, tyc, with(motion("楼道堆物清理", "covenant"), extra)).await;
    (tyc, id)
}

#[track_caller]
fn is_receipt(r: &Value) -> String {
    let s = r.as_str().unwrap_or_else(|| panic!("no receipt: {r}")).to_owned();
    assert_eq!(s.len(), 11, "{s}");
    assert_eq!(&s[5..6], "-", "{s}");
    s
}

#[tokio::test]
async fn an_owner_casts_once_and_a_second_ballot_names_the_channel_that_counted() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let (h, login) = linked(&app, tyc).await.remove(3);
    let owner = app.token(&login).await;

    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    let receipt = is_receipt(&res.body["receipt"]);
    assert_eq!(res.body["channel"], "online");
    assert_eq!(res.body["status"], "counted");
    assert_eq!(res.body["vote_id"], id);
    assert_eq!(res.body["holder_key"], h["holder_key"]);
    assert_eq!(res.body["area"], h["area"]);

    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    let mine = &v.body["my"][0];
    assert_eq!(mine["holder_id"], h["id"]);
    assert!(mine["proxy_id"].is_null());
    assert_eq!(mine["ballot"]["receipt"], receipt);
    assert_eq!(mine["ballot"]["choice"], "agree");
    assert_eq!(mine["can_replace"], false, "without allow_change an online ballot stays");

    let res = cast(&app, &owner, id, json!({ "choice": "oppose" })).await;
    conflict(&res, "already_voted");
    assert!(res.body["error"]["message"].as_str().unwrap().contains("online"), "{}", res.body);
    let ballots = stored(&app, id).await;
    assert_eq!(ballots.len(), 1);
    assert_eq!((ballots[0].choice.as_deref(), ballots[0].channel.as_str()), (Some("agree"), "online"));
    assert_eq!(ballots[0].receipt, receipt);
}

#[tokio::test]
async fn an_owner_switched_off_while_holding_a_token_cannot_cast_with_it() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let (_, login) = linked(&app, tyc).await.remove(2);
    let owner = app.token(&login).await;
    let user_id = app.get("/api/v1/me", &owner).await.expect(StatusCode::OK).body["user"]["id"].as_i64().unwrap();
    let admin = app.token("admin").await;
    app.patch(&format!("/api/v1/users/{user_id}"), &admin, json!({ "is_active": false })).await.expect(StatusCode::OK);

    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "invalid_token");
    assert!(stored(&app, id).await.is_empty());
}

#[tokio::test]
async fn a_repeated_request_with_the_same_idempotency_key_gets_the_same_receipt_and_no_second_ballot() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let (_, login) = linked(&app, tyc).await.remove(1);
    let owner = app.token(&login).await;
    let body = json!({ "choice": "abstain", "idempotency_key": "phone-retry-1" });
    let first = cast(&app, &owner, id, body.clone()).await.expect(StatusCode::CREATED);
    let again = cast(&app, &owner, id, body).await.expect(StatusCode::CREATED);
    assert_eq!(again.body["receipt"], first.body["receipt"]);
    let other = cast(&app, &owner, id, json!({ "choice": "agree", "idempotency_key": "phone-retry-2" })).await;
    conflict(&other, "already_voted");
    field_error(&cast(&app, &owner, id, json!({ "choice": "agree", "idempotency_key": "" })).await, "idempotency_key");
    let ballots = stored(&app, id).await;
    assert_eq!(ballots.len(), 1);
    assert_eq!(ballots[0].choice.as_deref(), Some("abstain"));
}

#[tokio::test]
async fn a_vote_that_allows_change_takes_the_owners_new_ballot_with_a_new_receipt() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({ "allow_change": true })).await;
    let (_, login) = linked(&app, tyc).await.remove(0);
    let owner = app.token(&login).await;

    let first = cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(v.body["my"][0]["can_replace"], true);
    let second = cast(&app, &owner, id, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
    let (r1, r2) = (is_receipt(&first.body["receipt"]), is_receipt(&second.body["receipt"]));
    assert_ne!(r1, r2);
    let ballots = stored(&app, id).await;
    assert_eq!(ballots.len(), 1);
    assert_eq!((ballots[0].choice.as_deref(), ballots[0].receipt.as_str()), (Some("oppose"), r2.as_str()));
    let list = app.get(&format!("/api/v1/votes/{id}/ballots"), &owner).await.expect(StatusCode::OK);
    let receipts: Vec<&str> = list.body.as_array().unwrap().iter().map(|b| b["receipt"].as_str().unwrap()).collect();
    assert_eq!(receipts, [r2.as_str()]);
    // The replaced ballot stays on the record, and the stored one still matches the chain.
    let log = app.get(&format!("/api/v1/audit?compound_id={tyc}&limit=5"), &app.token("admin").await).await;
    let actions: Vec<&str> = log.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(&actions[..2], ["ballot.replaced", "ballot.cast"]);
    assert_eq!(sanfang::votes::verify_ballots(&app.db).await.unwrap(), None);
}

#[tokio::test]
async fn a_ballot_before_the_opening_or_after_the_closing_is_refused() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let (_, login) = linked(&app, tyc).await.remove(0);
    let owner = app.token(&login).await;

    let later = with(
        motion("下周开始的表决", "other"),
        json!({ "opens_at": at(Duration::hours(1)), "closes_at": at(Duration::hours(2)) }),
    );
    let v = publish_vote(&app, &committee, tyc, later).await;
    assert_eq!(v["status"], "published");
    let early = v["id"].as_i64().unwrap();
    let res = cast(&app, &owner, early, json!({ "choice": "agree" })).await;
    conflict(&res, "vote_not_open");
    assert!(stored(&app, early).await.is_empty());

    let id = open_vote(&app, &committee, tyc, motion("已截止的表决", "other")).await;
    set_closes_at(&app, id, -Duration::seconds(1)).await;
    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await;
    conflict(&res, "vote_closed");
    assert!(stored(&app, id).await.is_empty());
    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(v.body["status"], "closed");
    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await;
    conflict(&res, "vote_closed");
}

#[tokio::test]
async fn choices_stay_hidden_while_the_vote_is_open() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let owners = linked(&app, tyc).await;
    for ((_, login), choice) in owners.iter().zip(["agree", "oppose", "abstain"]) {
        let token = app.token(login).await;
        cast(&app, &token, id, json!({ "choice": choice })).await.expect(StatusCode::CREATED);
    }
    let reader = app.token(&owners[5].1).await;
    let list = app.get(&format!("/api/v1/votes/{id}/ballots"), &reader).await.expect(StatusCode::OK);
    let list = list.body.as_array().unwrap();
    assert_eq!(list.len(), 3);
    for b in list {
        assert!(b["choice"].is_null(), "{b}");
        assert!(!b["units"].as_array().unwrap().is_empty());
        let keys: BTreeSet<&str> = b.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["area", "candidates", "channel", "choice", "receipt", "status", "units"]));
    }
    let committee = app.token("committee").await;
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    let keys: BTreeSet<&str> = turnout.body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["delivered", "participating", "pending_paper", "quorum_met", "quorum_needed", "total"])
    );
    assert_eq!(turnout.body["participating"]["headcount"], 3);
    let v = app.get(&format!("/api/v1/votes/{id}"), &committee).await.expect(StatusCode::OK);
    assert!(v.body["result"].is_null());
    let res = app.get(&format!("/api/v1/votes/{id}/export/ballots.csv"), &committee).await;
    conflict(&res, "vote_not_closed");
    let votes = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &reader).await.expect(StatusCode::OK);
    let summary = votes.body.as_array().unwrap().iter().find(|v| v["id"] == id).unwrap().clone();
    assert!(summary["passed"].is_null());
}

#[tokio::test]
async fn an_owner_of_another_compound_can_neither_see_nor_vote() {
    let app = spawn_demo().await;
    let (_, id) = open_in_tyc(&app, json!({})).await;
    let shs = app.compound_id(SHS).await;
    let (_, login) = linked(&app, shs).await.remove(0);
    let stranger = app.token(&login).await;
    let res = cast(&app, &stranger, id, json!({ "choice": "oppose" })).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    app.get(&format!("/api/v1/votes/{id}"), &stranger).await.expect(StatusCode::NOT_FOUND);
    app.get(&format!("/api/v1/votes/{id}/ballots"), &stranger).await.expect(StatusCode::NOT_FOUND);
    assert!(stored(&app, id).await.is_empty());
}

#[tokio::test]
async fn the_property_company_and_owners_cannot_watch_turnout() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let (_, login) = linked(&app, tyc).await.remove(0);
    for (login, status) in [
        ("property", StatusCode::FORBIDDEN),
        (login.as_str(), StatusCode::FORBIDDEN),
        ("property2", StatusCode::NOT_FOUND),
        ("committee2", StatusCode::NOT_FOUND),
        ("committee", StatusCode::OK),
        ("member", StatusCode::OK),
        ("staff", StatusCode::OK),
    ] {
        let token = app.token(login).await;
        let res = app.get(&format!("/api/v1/votes/{id}/turnout"), &token).await;
        assert_eq!(res.status, status, "{login}: {}", res.body);
    }
    // Nor can the property manager cast a ballot: they hold no unit here.
    let property = app.token("property").await;
    let res = cast(&app, &property, id, json!({ "choice": "agree" })).await;
    conflict(&res, "not_eligible");
    assert!(stored(&app, id).await.is_empty());
}

#[tokio::test]
async fn an_owner_of_several_holdings_must_name_the_one_they_vote_for() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let free = app.unlinked_holders(tyc).await;
    let (a, b) = (hid(&free[0]), hid(&free[1]));
    app.create_user("twohomes").await;
    for h in [a, b] {
        app.link_owner(h, "twohomes").await;
    }
    let owner = app.token("twohomes").await;
    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    let mine: BTreeSet<i64> =
        v.body["my"].as_array().unwrap().iter().map(|m| m["holder_id"].as_i64().unwrap()).collect();
    assert_eq!(mine, BTreeSet::from([a, b]));

    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await;
    field_error(&res, "holder_id");
    let other = hid(&free[2]);
    let res = cast(&app, &owner, id, json!({ "holder_id": other, "choice": "agree" })).await;
    field_error(&res, "holder_id");
    assert!(stored(&app, id).await.is_empty());

    cast(&app, &owner, id, json!({ "holder_id": a, "choice": "agree" })).await.expect(StatusCode::CREATED);
    cast(&app, &owner, id, json!({ "holder_id": b, "choice": "oppose" })).await.expect(StatusCode::CREATED);
    let res = cast(&app, &owner, id, json!({ "holder_id": b, "choice": "agree" })).await;
    conflict(&res, "already_voted");
    let by: Vec<(i64, String)> =
        stored(&app, id).await.into_iter().map(|b| (b.holder_id, b.choice.unwrap_or_default())).collect();
    assert_eq!(by, [(a, "agree".to_owned()), (b, "oppose".to_owned())]);
}

#[tokio::test]
async fn the_demo_pact_vote_is_open_and_the_holder_of_three_units_votes_once_with_all_of_them() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let votes = app.get(&format!("/api/v1/compounds/{tyc}/votes"), &owner).await.expect(StatusCode::OK);
    let pact =
        votes.body.as_array().unwrap().iter().find(|v| v["title"] == "《太阳城二期文明养犬公约》表决").unwrap().clone();
    assert_eq!((pact["status"].as_str(), pact["matter"].as_str()), (Some("open"), Some("covenant")));
    let id = pact["id"].as_i64().unwrap();
    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    let my = v.body["my"].as_array().unwrap();
    assert_eq!(my.len(), 1, "three units, one holder");
    assert_eq!(my[0]["units"].as_array().unwrap().len(), 3);
    let holder = app.holders(tyc).await.into_iter().find(|h| h["id"] == my[0]["holder_id"]).unwrap();
    assert_eq!(my[0]["area"], holder["area"]);

    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["units"].as_array().unwrap().len(), 3);
    let committee = app.token("committee").await;
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["participating"], json!({ "area": holder["area"], "headcount": 1 }));
}

// Paper ballots.

#[tokio::test]
async fn a_paper_ballot_counts_only_once_a_second_clerk_confirms_it() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let holder = app.unlinked_holders(tyc).await.remove(0);
    let (staff, secretary, committee) =
        (app.token("staff").await, app.token("secretary").await, app.token("committee").await);

    let res = app
        .post(
            &format!("/api/v1/votes/{id}/paper-ballots"),
            Some(&staff),
            json!({ "holder_id": holder["id"], "serial": "TYC-0001", "choice": "agree" }),
        )
        .await
        .expect(StatusCode::CREATED);
    let ballot = res.id();
    assert_eq!(res.body["status"], "pending");
    assert_eq!(res.body["serial"], "TYC-0001");
    assert_eq!(res.body["holder_key"], holder["holder_key"]);
    assert_eq!(res.body["entered_by"], "张社工");
    assert!(res.body["confirmed_by"].is_null());

    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["participating"], json!({ "area": "0.00", "headcount": 0 }));
    assert_eq!(turnout.body["pending_paper"], 1);
    let public = app.get(&format!("/api/v1/votes/{id}/ballots"), &committee).await.expect(StatusCode::OK);
    assert_eq!(public.body, json!([]), "a pending slip is not listed as counted");

    let confirm = format!("/api/v1/votes/{id}/paper-ballots/{ballot}/confirm");
    let res = app.post(&confirm, Some(&staff), json!({})).await;
    conflict(&res, "second_person_required");
    assert_eq!(stored(&app, id).await[0].status.as_str(), "pending");

    let res = app.post(&confirm, Some(&secretary), json!({})).await.expect(StatusCode::OK);
    assert_eq!(res.body["status"], "counted");
    assert_eq!(res.body["confirmed_by"], "李书记");
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &committee).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["participating"], json!({ "area": holder["area"], "headcount": 1 }));
    assert_eq!(turnout.body["pending_paper"], 0);
    let res = app.post(&confirm, Some(&committee), json!({})).await;
    conflict(&res, "already_confirmed");

    let b = &stored(&app, id).await[0];
    assert_eq!((b.channel.as_str(), b.status.as_str(), b.choice.as_deref()), ("paper", "counted", Some("agree")));
    assert!(b.entered_by.is_some() && b.confirmed_by.is_some() && b.entered_by != b.confirmed_by);
    let list = app.get(&format!("/api/v1/votes/{id}/paper-ballots"), &secretary).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn paper_cannot_count_twice_for_a_holder_nor_reuse_a_serial_and_the_property_company_cannot_enter_it() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let owners = linked(&app, tyc).await;
    let free = app.unlinked_holders(tyc).await;
    let staff = app.token("staff").await;
    let paper =
        |holder: &Value, serial: &str| json!({ "holder_id": holder["id"], "serial": serial, "choice": "oppose" });
    let path = format!("/api/v1/votes/{id}/paper-ballots");

    // The owner voted online: a paper slip for the same holder is refused, naming the channel.
    let (voted, login) = &owners[0];
    let owner = app.token(login).await;
    cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    let res = app.post(&path, Some(&staff), paper(voted, "S-1")).await;
    conflict(&res, "already_voted");
    assert!(res.body["error"]["message"].as_str().unwrap().contains("online"), "{}", res.body);

    // A slip awaiting confirmation already stands for its holder: the owner cannot vote online too.
    let (pending, login) = &owners[1];
    app.post(&path, Some(&staff), paper(pending, "S-2")).await.expect(StatusCode::CREATED);
    let res = cast(&app, &app.token(login).await, id, json!({ "choice": "agree" })).await;
    conflict(&res, "already_voted");

    app.post(&path, Some(&staff), paper(&free[0], "S-3")).await.expect(StatusCode::CREATED);
    let res = app.post(&path, Some(&staff), paper(&free[1], "S-3")).await;
    conflict(&res, "serial_used");

    for (login, status) in [("property", StatusCode::FORBIDDEN), ("property2", StatusCode::NOT_FOUND)] {
        let token = app.token(login).await;
        let res = app.post(&path, Some(&token), paper(&free[2], "S-4")).await;
        assert_eq!(res.status, status, "{login}: {}", res.body);
        app.get(&path, &token).await.expect(status);
    }
    let by: Vec<(i64, String)> = stored(&app, id).await.into_iter().map(|b| (b.holder_id, b.channel)).collect();
    let expected = [(hid(voted), "online"), (hid(pending), "paper"), (hid(&free[0]), "paper")];
    assert_eq!(by, expected.map(|(h, c)| (h, c.to_owned())));
}

// Written proxies.

/// A proxy registered by the community office, confirmed by the committee, and past its
/// settling period.
pub async fn register_proxy(app: &TestApp, compound: i64, holder: i64, login: &str) -> i64 {
    let res = app
        .confirmed_proxy(
            compound,
            json!({ "holder_id": holder, "proxy_login": login, "valid_from": at(-Duration::hours(1)),
                    "valid_until": at(Duration::days(30)), "note": "书面委托书存居委会" }),
        )
        .await;
    assert_eq!(res.body["holder_id"], holder);
    assert!(res.body["revoked_at"].is_null());
    app.pass_settling().await;
    res.id()
}

#[tokio::test]
async fn a_proxy_votes_for_the_holder_and_the_holders_own_ballot_replaces_it() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let (h, login) = linked(&app, tyc).await.remove(2);
    let owner = app.token(&login).await;
    // The owner's daughter holds no unit and no role here.
    app.create_user("daughter").await;
    let proxy = register_proxy(&app, tyc, hid(&h), "daughter").await;
    let daughter = app.token("daughter").await;

    let v = app.get(&format!("/api/v1/votes/{id}"), &daughter).await.expect(StatusCode::OK);
    let my = v.body["my"].as_array().unwrap();
    assert_eq!(my.len(), 1);
    assert_eq!((my[0]["holder_id"].as_i64(), my[0]["proxy_id"].as_i64()), (Some(hid(&h)), Some(proxy)));
    let res = cast(&app, &daughter, id, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["channel"], "proxy");
    let b = &stored(&app, id).await[0];
    assert_eq!((b.channel.as_str(), b.proxy_id), ("proxy", Some(proxy)));

    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(v.body["my"][0]["ballot"]["channel"], "proxy");
    assert_eq!(v.body["my"][0]["can_replace"], true, "the holder's own ballot replaces their proxy's");
    let v = app.get(&format!("/api/v1/votes/{id}"), &daughter).await.expect(StatusCode::OK);
    assert_eq!(v.body["my"][0]["can_replace"], false, "the proxy cannot change the ballot it cast");
    let res = cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["channel"], "online");

    let ballots = stored(&app, id).await;
    assert_eq!(ballots.len(), 1, "one ballot per holder");
    let b = &ballots[0];
    assert_eq!((b.channel.as_str(), b.choice.as_deref(), b.proxy_id), ("online", Some("agree"), None));
    let res = cast(&app, &daughter, id, json!({ "choice": "oppose" })).await;
    conflict(&res, "already_voted");
    assert!(res.body["error"]["message"].as_str().unwrap().contains("online"), "{}", res.body);
    let public = app.get(&format!("/api/v1/votes/{id}/ballots"), &owner).await.expect(StatusCode::OK);
    assert_eq!(public.body.as_array().unwrap().len(), 1);
    assert_eq!(public.body[0]["channel"], "online");
}

#[tokio::test]
async fn a_revoked_proxy_can_no_longer_vote() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let owners = linked(&app, tyc).await;
    let ((x, x_login), (_, b_login)) = (&owners[0], &owners[1]);
    // B, an owner here, holds A's proxy; so does C, a neighbour's relative with no role here.
    let proxy = register_proxy(&app, tyc, hid(x), b_login).await;
    app.create_user("relative").await;
    let free = app.unlinked_holders(tyc).await;
    let other = register_proxy(&app, tyc, hid(&free[0]), "relative").await;
    let b = app.token(b_login).await;
    let v = app.get(&format!("/api/v1/votes/{id}"), &b).await.expect(StatusCode::OK);
    assert_eq!(v.body["my"].as_array().unwrap().len(), 2);

    // The holder revokes their own proxy; once only.
    let owner = app.token(x_login).await;
    let res = app.post(&format!("/api/v1/proxies/{proxy}/revoke"), Some(&owner), json!({})).await;
    assert!(res.expect(StatusCode::OK).body["revoked_at"].is_string());
    let res = app.post(&format!("/api/v1/proxies/{proxy}/revoke"), Some(&owner), json!({})).await;
    conflict(&res, "proxy_revoked");
    // Another owner cannot revoke a proxy that is not theirs.
    let res = app.post(&format!("/api/v1/proxies/{other}/revoke"), Some(&b), json!({})).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);

    let v = app.get(&format!("/api/v1/votes/{id}"), &b).await.expect(StatusCode::OK);
    let my = v.body["my"].as_array().unwrap();
    assert_eq!(my.len(), 1);
    assert!(my[0]["proxy_id"].is_null());
    let res = cast(&app, &b, id, json!({ "holder_id": hid(x), "choice": "agree" })).await;
    field_error(&res, "holder_id");

    let staff = app.token("staff").await;
    app.post(&format!("/api/v1/proxies/{other}/revoke"), Some(&staff), json!({})).await.expect(StatusCode::OK);
    let relative = app.token("relative").await;
    let res = cast(&app, &relative, id, json!({ "choice": "agree" })).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    app.get(&format!("/api/v1/votes/{id}"), &relative).await.expect(StatusCode::NOT_FOUND);
    assert!(stored(&app, id).await.is_empty());
}

#[tokio::test]
async fn only_the_community_office_and_the_committee_register_proxies() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let shs = app.compound_id(SHS).await;
    let owners = linked(&app, tyc).await;
    let (x, _) = &owners[0];
    let body = |holder: &Value, login: &str| {
        json!({ "holder_id": holder["id"], "proxy_login": login, "valid_from": at(-Duration::hours(1)),
                "valid_until": at(Duration::days(30)) })
    };
    let path = format!("/api/v1/compounds/{tyc}/proxies");
    for (login, status) in [
        ("committee2", StatusCode::NOT_FOUND),
        ("member2", StatusCode::NOT_FOUND),
        ("property", StatusCode::FORBIDDEN),
        (owners[1].1.as_str(), StatusCode::FORBIDDEN),
    ] {
        let token = app.token(login).await;
        let res = app.post(&path, Some(&token), body(x, "owner002")).await;
        assert_eq!(res.status, status, "{login}: {}", res.body);
    }

    let secretary = app.token("secretary").await;
    let shs_holder = linked(&app, shs).await.remove(0).0;
    field_error(&app.post(&path, Some(&secretary), body(&shs_holder, "owner002")).await, "holder_id");
    field_error(&app.post(&path, Some(&secretary), body(x, "nobody-here")).await, "proxy_login");
    let expired = with(body(x, "owner002"), json!({ "valid_until": at(-Duration::minutes(1)) }));
    field_error(&app.post(&path, Some(&secretary), expired).await, "valid_until");
    // Only the demo's proxy, registered before its vote.
    let list = app.get(&path, &secretary).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 1);

    let member = app.token("member").await;
    let p = app.post(&path, Some(&member), body(x, "owner002")).await.expect(StatusCode::CREATED);
    assert!(p.body["confirmed_at"].is_null() && p.body["counts_from"].is_null(), "{}", p.body);
    let list = app.get(&path, &secretary).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_ticker_keeps_exactly_the_open_votes_in_memory_with_their_rosters() {
    let app = spawn_demo().await;
    let (tyc, id) = open_in_tyc(&app, json!({})).await;
    let rosters = &app.state.rosters;
    rosters.warm(&app.db).await.unwrap();
    let v = rosters.opened(id).expect("an open vote is kept after a tick");
    // With its frozen roster: an owner of the compound is on it, and can cast.
    let holders = linked(&app, tyc).await;
    let (h, login) = &holders[0];
    let roster = rosters.get(&app.db, &v).await.unwrap();
    assert!(roster.contains_key(&h["id"].as_i64().unwrap()));
    let owner = app.token(login).await;
    cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);

    close_now(&app, id).await;
    rosters.warm(&app.db).await.unwrap();
    assert!(rosters.opened(id).is_none(), "a closed vote is let go");
    let late = app.token(&holders[1].1).await;
    conflict(&cast(&app, &late, id, json!({ "choice": "agree" })).await, "vote_closed");
}
