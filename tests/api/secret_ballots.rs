//! Secret votes: no route shows a choice next to a holder once the two clerks are done with a
//! paper slip, and a signed slip's scan is sealed, opened only by an unsealing one party asks for
//! and another approves.
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sanfang::entities::scan_unseal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, prelude::Expr};
use serde_json::{Value, json};

use crate::{helpers::*, votes::*};

/// A secret vote of 太阳城二期 with two signed paper slips entered by 张社工 (staff), each with its
/// scan: slip A (oppose) confirmed by 李书记 (secretary), slip B (abstain) still pending; and an
/// owner's online ballot.
struct Slips {
    tyc: i64,
    vote: i64,
    slip_a: i64,
    slip_b: i64,
    scan_a: i64,
    scan_b: i64,
}

async fn upload_scan(app: &TestApp, tyc: i64, token: &str, text: &str) -> i64 {
    app.upload(
        &format!("/api/v1/compounds/{tyc}/files?name=slip.pdf"),
        token,
        format!("%PDF-1.4 {text}").into_bytes(),
        "application/pdf",
    )
    .await
    .expect(StatusCode::CREATED)
    .id()
}

async fn secret_slips(app: &TestApp) -> Slips {
    let tyc = app.compound_id(TYC).await;
    let (committee, staff, secretary) =
        (app.token("committee").await, app.token("staff").await, app.token("secretary").await);
    let vote =
        open_vote(app, &committee, tyc, with(motion("无记名表决：选聘物业", "other"), json!({ "secret": true }))).await;
    let free = app.unlinked_holders(tyc).await;
    let (scan_a, scan_b) =
        (upload_scan(app, tyc, &staff, "slip A").await, upload_scan(app, tyc, &staff, "slip B").await);
    let path = format!("/api/v1/votes/{vote}/paper-ballots");
    let slip = |h: &Value, serial: &str, choice: &str, scan: i64| json!({ "holder_id": h["id"], "serial": serial, "choice": choice, "scan_file_id": scan });
    let a = app.post(&path, Some(&staff), slip(&free[0], "MJ-1", "oppose", scan_a)).await.expect(StatusCode::CREATED);
    // The entering clerk sees what they entered.
    assert_eq!((a.body["choice"].as_str(), a.body["sealed"].as_bool()), (Some("oppose"), Some(false)), "{}", a.body);
    let b = app.post(&path, Some(&staff), slip(&free[1], "MJ-2", "abstain", scan_b)).await.expect(StatusCode::CREATED);

    // While slip A waits, a clerk who may confirm it reads its choice and its scan to check them.
    let list = app.get(&path, &committee).await.expect(StatusCode::OK);
    let row = list.body.as_array().unwrap().iter().find(|p| p["id"] == a.body["id"]).unwrap().clone();
    assert_eq!(row["choice"], "oppose", "{row}");
    app.get(&format!("/api/v1/files/{scan_a}"), &committee).await.expect(StatusCode::OK);

    let confirmed =
        app.post(&format!("{path}/{}/confirm", a.id()), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    assert_eq!(confirmed.body["status"], "counted");
    assert!(confirmed.body["choice"].is_null(), "confirmed, the choice is sealed: {}", confirmed.body);
    assert_eq!(confirmed.body["sealed"], true);

    let (_, login) = linked(app, tyc).await.remove(0);
    cast(app, &app.token(&login).await, vote, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    Slips { tyc, vote, slip_a: a.id(), slip_b: b.id(), scan_a, scan_b }
}

/// Every object in `v` that names a holder or a room, with a choice, marks or a digest beside it.
fn choices_by_holder(v: &Value) -> Vec<String> {
    let mut found = Vec::new();
    match v {
        Value::Object(o) => {
            let names_holder = ["holder", "holder_id", "holder_key", "units"].iter().any(|k| o.contains_key(*k));
            let tells =
                ["choice", "candidates", "picks", "digest"].iter().any(|k| o.get(*k).is_some_and(|x| !x.is_null()));
            if names_holder && tells {
                found.push(v.to_string());
            }
            o.values().for_each(|x| found.extend(choices_by_holder(x)));
        }
        Value::Array(a) => a.iter().for_each(|x| found.extend(choices_by_holder(x))),
        _ => {}
    }
    found
}

#[tokio::test]
async fn the_committee_chair_sees_no_choice_in_a_closed_secret_votes_paper_ballots() {
    let app = spawn_demo().await;
    let s = secret_slips(&app).await;
    close_now(&app, s.vote).await;
    let committee = app.token("committee").await;
    let list = app.get(&format!("/api/v1/votes/{}/paper-ballots", s.vote), &committee).await.expect(StatusCode::OK);
    let rows = list.body.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{}", list.body);
    for row in rows {
        assert!(row["choice"].is_null() && row["candidates"].is_null(), "a choice next to a room: {row}");
        assert_eq!(row["sealed"], true);
        // What the list is for stays: the room, the slip's number and status, its two clerks.
        assert!(row["holder_key"].is_string() && row["serial"].is_string() && row["status"].is_string(), "{row}");
    }
    let a = rows.iter().find(|r| r["id"] == s.slip_a).unwrap();
    assert_eq!((a["entered_by"].as_str(), a["confirmed_by"].as_str()), (Some("张社工"), Some("李书记")));
}

#[tokio::test]
async fn no_route_shows_a_secret_choice_next_to_a_holder() {
    let app = spawn_demo().await;
    let s = secret_slips(&app).await;
    let id = s.vote;
    let readers = ["committee", "member", "secretary", "staff", "admin", "property", "owner001"];

    // Confirmed but still open: slip A is sealed, slip B (pending) is shown to the clerks.
    let secretary = app.token("secretary").await;
    let list = app.get(&format!("/api/v1/votes/{id}/paper-ballots"), &secretary).await.expect(StatusCode::OK);
    let by_id = |id: i64| list.body.as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    assert!(by_id(s.slip_a)["choice"].is_null(), "{}", list.body);
    assert_eq!(by_id(s.slip_b)["choice"], "abstain", "{}", list.body);

    close_now(&app, id).await;
    for login in readers {
        let token = app.token(login).await;
        let mut bodies = Vec::new();
        for path in [
            format!("/api/v1/votes/{id}/paper-ballots"),
            format!("/api/v1/votes/{id}/ballots"),
            format!("/api/v1/votes/{id}/log"),
            format!("/api/v1/audit?compound_id={}&limit=500", s.tyc),
        ] {
            let res = app.get(&path, &token).await;
            if res.status.is_success() {
                bodies.push((path, res.body));
            } else {
                assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{path}: {}", res.body);
            }
        }
        // The vote page shows totals, and to an owner only their own ballot.
        let v = app.get(&format!("/api/v1/votes/{id}"), &token).await.expect(StatusCode::OK);
        for h in v.body["my"].as_array().unwrap() {
            assert!(h["ballot"].is_null() || h["ballot"]["channel"] == "online", "{h}");
        }
        for (path, body) in &bodies {
            let found = choices_by_holder(body);
            assert!(found.is_empty(), "{path} as {login}: {found:?}");
        }
        let csv = app.get(&format!("/api/v1/votes/{id}/export/ballots.csv"), &token).await;
        assert_eq!((csv.status, csv.code()), (StatusCode::CONFLICT, "secret_vote"), "{login}: {}", csv.body);
        for scan in [s.scan_a, s.scan_b] {
            let res = app.get(&format!("/api/v1/files/{scan}"), &token).await;
            assert!(!res.status.is_success(), "scan {scan} as {login}");
            if matches!(login, "committee" | "member" | "secretary" | "staff" | "admin") {
                assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "scan_sealed"), "{login}: {}", res.body);
            }
        }
    }
    // The trail still records each ballot, without what could tell its choice.
    let trail = app.get(&format!("/api/v1/audit?compound_id={}&limit=500", s.tyc), &secretary).await;
    let ballots: Vec<&Value> = trail
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == format!("vote:{id}"))
        .filter(|e| e["action"].as_str().unwrap().starts_with("ballot."))
        .collect();
    assert_eq!(ballots.len(), 4, "two slips entered, one confirmed, one cast online");
    assert!(ballots.iter().all(|e| e["detail"]["holder"].is_i64() && e["detail"].get("digest").is_none()));
}

async fn unseal(app: &TestApp, scan: i64, token: &str, reason: &str) -> Res {
    app.post(&format!("/api/v1/files/{scan}/unseal-requests"), Some(token), json!({ "reason": reason })).await
}

async fn approve(app: &TestApp, scan: i64, request: i64, token: &str) -> Res {
    app.post(&format!("/api/v1/files/{scan}/unseal-requests/{request}/approve"), Some(token), json!({})).await
}

#[tokio::test]
async fn a_sealed_scan_opens_only_to_the_two_people_of_an_unsealing_two_parties_recorded() {
    let app = spawn_demo().await;
    let s = secret_slips(&app).await;
    close_now(&app, s.vote).await;
    let [staff, secretary, committee, member, property, owner] =
        ["staff", "secretary", "committee", "member", "property", "owner001"].map(|l| app.token(l));
    let (staff, secretary, committee, member, property, owner) =
        (staff.await, secretary.await, committee.await, member.await, property.await, owner.await);
    let file = format!("/api/v1/files/{}", s.scan_a);
    let sealed =
        |res: Res| assert_eq!((res.status, res.code()), (StatusCode::FORBIDDEN, "scan_sealed"), "{}", res.body);

    // Neither the property company nor an owner may ask; a reason is required; only sealed scans.
    for token in [&property, &owner] {
        assert_eq!(unseal(&app, s.scan_a, token, "想看").await.status, StatusCode::FORBIDDEN);
    }
    unseal(&app, s.scan_a, &staff, " ").await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let plain = upload_scan(&app, s.tyc, &staff, "an ordinary attachment").await;
    conflict(&unseal(&app, plain, &staff, "核对").await, "not_sealed");

    // The community office asks: alone, it still cannot open the scan.
    let req = unseal(&app, s.scan_a, &staff, "业主对计票提出异议，需核对签名").await.expect(StatusCode::CREATED);
    assert_eq!(
        (req.body["requested_party"].as_str(), req.body["requested_by"].as_str()),
        (Some("community_office"), Some("张社工"))
    );
    assert!(req.body["approved_by"].is_null() && req.body["expires_at"].is_null());
    let request = req.id();
    sealed(app.get(&file, &staff).await);
    // Neither the requester nor another person of the same party may approve.
    conflict(&approve(&app, s.scan_a, request, &staff).await, "other_party_required");
    conflict(&approve(&app, s.scan_a, request, &secretary).await, "other_party_required");
    assert_eq!(approve(&app, s.scan_a, request, &property).await.status, StatusCode::FORBIDDEN);
    sealed(app.get(&file, &staff).await);

    // The owners' committee approves: the two of them may open it, for seven days.
    let ok = approve(&app, s.scan_a, request, &committee).await.expect(StatusCode::OK);
    assert_eq!(
        (ok.body["approved_party"].as_str(), ok.body["approved_by"].as_str()),
        (Some("owners_committee"), Some("刘主任"))
    );
    let expires: chrono::DateTime<Utc> = ok.body["expires_at"].as_str().unwrap().parse().unwrap();
    assert!((expires - Utc::now() - Duration::days(7)).num_minutes().abs() < 5, "{expires}");
    conflict(&approve(&app, s.scan_a, request, &member).await, "already_approved");
    for token in [&staff, &committee] {
        let res = app.get(&file, token).await.expect(StatusCode::OK);
        assert_eq!(res.bytes, b"%PDF-1.4 slip A");
    }
    for token in [&secretary, &member] {
        sealed(app.get(&file, token).await);
    }
    // The unsealing opens that scan only.
    sealed(app.get(&format!("/api/v1/files/{}", s.scan_b), &staff).await);
    let listed = app.get(&format!("{file}/unseal-requests"), &member).await.expect(StatusCode::OK);
    assert_eq!(listed.body.as_array().unwrap().len(), 1);

    // Every step is on the audit trail.
    let trail = app.get(&format!("/api/v1/audit?compound_id={}&limit=500", s.tyc), &secretary).await;
    let steps: Vec<(String, String)> = trail
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == format!("file:{}", s.scan_a))
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["actor"].as_str().unwrap_or("").to_owned()))
        .rev()
        .collect();
    let expected = [
        ("file.unseal_requested", "张社工"),
        ("file.unseal_approved", "刘主任"),
        ("file.unsealed_opened", "张社工"),
        ("file.unsealed_opened", "刘主任"),
    ];
    assert_eq!(steps, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    let requested = trail.body.as_array().unwrap().iter().find(|e| e["action"] == "file.unseal_requested").unwrap();
    assert_eq!(requested["detail"]["reason"], "业主对计票提出异议，需核对签名");

    // Once it expires the scan is sealed again.
    scan_unseal::Entity::update_many()
        .col_expr(scan_unseal::Column::ExpiresAt, Expr::value(Utc::now() - Duration::minutes(1)))
        .filter(scan_unseal::Column::Id.eq(request))
        .exec(&app.db)
        .await
        .unwrap();
    sealed(app.get(&file, &staff).await);
}

#[tokio::test]
async fn people_of_another_compound_reach_neither_the_slips_nor_their_scans() {
    let app = spawn_demo().await;
    let s = secret_slips(&app).await;
    close_now(&app, s.vote).await;
    let staff = app.token("staff").await;
    let request = unseal(&app, s.scan_a, &staff, "核对").await.expect(StatusCode::CREATED).id();
    let shs = app.compound_id(SHS).await;
    let outsider_owner = app.owner_of(shs).await;
    for login in ["committee2", "member2", "property2", outsider_owner.as_str()] {
        let token = app.token(login).await;
        let calls = [
            app.get(&format!("/api/v1/votes/{}/paper-ballots", s.vote), &token).await,
            app.get(&format!("/api/v1/files/{}", s.scan_a), &token).await,
            app.get(&format!("/api/v1/files/{}/unseal-requests", s.scan_a), &token).await,
            unseal(&app, s.scan_a, &token, "越界").await,
            approve(&app, s.scan_a, request, &token).await,
        ];
        for res in calls {
            assert!(matches!(res.status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{login}: {}", res.body);
            assert!(matches!(res.code(), "not_found" | "forbidden"), "{login}: {}", res.body);
        }
    }
}
