//! Binding votes: closing, the counted result at the legal boundaries, its publication, the
//! offline recount with `sanfang tally`, elections, and extending or cancelling a vote.
use std::path::PathBuf;

use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::{helpers::*, votes::*};

/// Seven units of six holders; 张一 (H1) holds two of them. 591.67 m² in all.
const RIVERSIDE: &str = "1号楼,101,89.45,registered,张一,,H1\n\
                         1号楼,102,120,registered,张一,,H1\n\
                         1号楼,201,66.66,surveyed,李二,,H2\n\
                         2号楼,101,75.50,registered,王三,,H3\n\
                         2号楼,102,100.01,contract,赵四,,H4\n\
                         2号楼,201,90,registered,钱五,,H5\n\
                         2号楼,202,50.05,registered,孙六,,H6\n";

/// A covenant vote in 河畔花园, closed after H1 and H2 agreed online, H3 opposed, H4 abstained,
/// H5 agreed on a confirmed paper slip, and a slip for H6 was entered but never confirmed.
async fn counted_covenant(app: &TestApp) -> (Electorate, i64, Value) {
    let e = electorate(app, "河畔花园", "hp", RIVERSIDE).await;
    let secretary = app.token("secretary").await;
    let staff = app.token("staff").await;
    let id = open_vote(app, &secretary, e.compound, motion("河畔花园管理规约", "covenant")).await;
    for (key, choice) in [("H1", "agree"), ("H2", "agree"), ("H3", "oppose"), ("H4", "abstain")] {
        cast(app, e.owner(key), id, json!({ "choice": choice })).await.expect(StatusCode::CREATED);
    }
    let path = format!("/api/v1/votes/{id}/paper-ballots");
    let slip = |key: &str, serial: &str| json!({ "holder_id": e.holder[key], "serial": serial, "choice": "agree" });
    let paper = app.post(&path, Some(&staff), slip("H5", "HP-5")).await.expect(StatusCode::CREATED).id();
    app.post(&format!("{path}/{paper}/confirm"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    app.post(&path, Some(&staff), slip("H6", "HP-6")).await.expect(StatusCode::CREATED);
    let v = close_now(app, id).await;
    (e, id, v)
}

/// Run `sanfang tally` on the two files and read the JSON it prints.
fn recount(roster: &[u8], ballots: &[u8], matter: &str) -> Value {
    let dir = std::env::temp_dir().join(format!("sanfang-votes-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let (r, b): (PathBuf, PathBuf) = (dir.join("roster.csv"), dir.join("ballots.csv"));
    std::fs::write(&r, roster).unwrap();
    std::fs::write(&b, ballots).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sanfang"))
        .arg("tally")
        .arg("--roster")
        .arg(&r)
        .arg("--ballots")
        .arg(&b)
        .args(["--matter", matter])
        .output()
        .expect("run sanfang tally");
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "sanfang tally failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("sanfang tally prints JSON")
}

/// Export a closed motion's files and check `sanfang tally` counts them as the platform did.
async fn round_trip(app: &TestApp, token: &str, id: i64, result: &Value) -> Value {
    let roster = app.get(&format!("/api/v1/votes/{id}/export/roster.csv"), token).await.expect(StatusCode::OK);
    let ballots = app.get(&format!("/api/v1/votes/{id}/export/ballots.csv"), token).await.expect(StatusCode::OK);
    assert!(roster.header("content-type").unwrap().starts_with("text/csv"));
    assert!(ballots.header("content-disposition").unwrap().contains("ballots.csv"));
    let offline = recount(&roster.bytes, &ballots.bytes, result["matter"].as_str().unwrap());
    for key in ["matter", "threshold", "total", "participating", "agree", "oppose", "abstain", "quorum_met", "passed"] {
        assert_eq!(offline[key], result[key], "{key}: offline {offline} vs platform {result}");
    }
    offline
}

fn weight(area: &str, headcount: i64) -> Value {
    json!({ "area": area, "headcount": headcount })
}

#[tokio::test]
async fn a_closed_vote_shows_its_exact_result_and_the_chain_checkpoint_that_recorded_it() {
    let app = spawn_demo().await;
    let (e, id, v) = counted_covenant(&app).await;
    let r = &v["result"];
    assert_eq!(r["matter"], "covenant");
    assert_eq!(r["threshold"], "ordinary");
    assert_eq!(r["total"], weight("591.67", 6));
    assert_eq!(r["participating"], weight("541.62", 5));
    assert_eq!(r["quorum_needed"], weight("394.45", 4));
    assert_eq!(r["agree"], weight("366.11", 3));
    assert_eq!(r["oppose"], weight("75.50", 1));
    assert_eq!(r["abstain"], weight("100.01", 1));
    assert_eq!(r["quorum_met"], true);
    assert_eq!(r["passed"], true);
    assert_eq!(r["ballots"], 5);
    assert_eq!(r["unconfirmed_paper"], 1, "the slip nobody confirmed is reported, not counted");
    assert!(r["candidates"].is_null() && r["tied"].is_null());
    assert!(v["closed_at"].is_string() && v["publicity_until"].is_string());

    let seq = v["checkpoint"]["seq"].as_i64().expect("a checkpoint");
    let hash = v["checkpoint"]["hash"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    let admin = app.token("admin").await;
    let events = app
        .get(&format!("/api/v1/audit?compound_id={}&before={}&limit=1", e.compound, seq + 1), &admin)
        .await
        .expect(StatusCode::OK);
    let event = &events.body[0];
    assert_eq!(event["seq"], seq);
    assert_eq!(event["action"], "vote.closed");
    assert_eq!(event["subject"], format!("vote:{id}"));
    assert_eq!(event["hash"], hash);
    assert_eq!(event["detail"]["agree"], r["agree"]);

    let owner = e.owner("H6");
    let list = app.get(&format!("/api/v1/compounds/{}/votes", e.compound), owner).await.expect(StatusCode::OK);
    assert_eq!(list.body[0]["status"], "closed");
    assert_eq!(list.body[0]["passed"], true);
    let inbox = app.get("/api/v1/me/inbox", owner).await.expect(StatusCode::OK);
    assert!(
        inbox
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "vote_result" && n["link"] == format!("/votes/{id}"))
    );
    let log = app.get(&format!("/api/v1/votes/{id}/log"), owner).await.expect(StatusCode::OK);
    let actions: Vec<&str> = log.body.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["vote.drafted", "vote.published", "vote.opened", "vote.closed"]);
    // Closing twice does nothing: the result and its checkpoint stay.
    let again = app.get(&format!("/api/v1/votes/{id}"), owner).await.expect(StatusCode::OK);
    assert_eq!(again.body["checkpoint"], v["checkpoint"]);
    assert_eq!(again.body["result"], v["result"]);
}

#[tokio::test]
async fn the_exported_files_recount_offline_to_the_platforms_result() {
    let app = spawn_demo().await;
    let (e, id, v) = counted_covenant(&app).await;
    let offline = round_trip(&app, e.owner("H2"), id, &v["result"]).await;
    assert_eq!(offline["agree"], weight("366.11", 3));

    let roster = app.get(&format!("/api/v1/votes/{id}/export/roster.csv"), e.owner("H2")).await;
    let roster = String::from_utf8(roster.bytes).unwrap();
    assert_eq!(roster.lines().next(), Some("unit,holder,area"));
    assert_eq!(roster.lines().count(), 1 + 7);
    assert!(roster.lines().filter(|l| l.contains(",H1,")).count() == 2, "{roster}");
    let ballots = app.get(&format!("/api/v1/votes/{id}/export/ballots.csv"), e.owner("H2")).await;
    let ballots = String::from_utf8(ballots.bytes).unwrap();
    assert_eq!(ballots.lines().next(), Some("unit,choice"));
    assert_eq!(ballots.lines().count(), 1 + 5, "one line per counted holder: {ballots}");
}

#[tokio::test]
async fn named_votes_list_choices_after_close_and_secret_votes_never_do() {
    let app = spawn_demo().await;
    let e = electorate(
        &app,
        "公开花园",
        "gk",
        "1号楼,101,100,registered,甲,,G1\n1号楼,102,100,registered,乙,,G2\n1号楼,103,100,registered,丙,,G3\n",
    )
    .await;
    let secretary = app.token("secretary").await;
    let named = open_vote(&app, &secretary, e.compound, motion("实名表决", "other")).await;
    let secret =
        open_vote(&app, &secretary, e.compound, with(motion("无记名表决", "other"), json!({ "secret": true }))).await;
    for id in [named, secret] {
        cast(&app, e.owner("G1"), id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
        cast(&app, e.owner("G2"), id, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
        close_now(&app, id).await;
    }
    let reader = e.owner("G3");
    let list = app.get(&format!("/api/v1/votes/{named}/ballots"), reader).await.expect(StatusCode::OK);
    let shown: Vec<(Value, Value)> =
        list.body.as_array().unwrap().iter().map(|b| (b["units"].clone(), b["choice"].clone())).collect();
    assert_eq!(shown, [(json!(["1号楼 101"]), json!("agree")), (json!(["1号楼 102"]), json!("oppose"))]);
    assert!(!list.body.to_string().contains('甲'), "never names: {}", list.body);

    let list = app.get(&format!("/api/v1/votes/{secret}/ballots"), reader).await.expect(StatusCode::OK);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    assert!(list.body.as_array().unwrap().iter().all(|b| b["choice"].is_null()), "{}", list.body);
    // A secret ballot's choice is never exported by room, not even to the conveners.
    for token in [reader, secretary.as_str()] {
        let res = app.get(&format!("/api/v1/votes/{secret}/export/ballots.csv"), token).await;
        assert_eq!((res.status, res.code()), (StatusCode::CONFLICT, "secret_vote"), "{}", res.body);
    }
    // The secret result itself is public.
    let v = app.get(&format!("/api/v1/votes/{secret}"), reader).await.expect(StatusCode::OK);
    assert_eq!(v.body["result"]["agree"], weight("100.00", 1));
    let named_result = app.get(&format!("/api/v1/votes/{named}"), reader).await.expect(StatusCode::OK);
    round_trip(&app, &secretary, named, &named_result.body["result"]).await;
    app.get(&format!("/api/v1/votes/{named}/export/ballots.csv"), reader).await.expect(StatusCode::OK);
}

/// Three holders of 100 m² each.
const THREE: &str =
    "1号楼,101,100,registered,甲,,Q1\n1号楼,102,100,registered,乙,,Q2\n1号楼,103,100,registered,丙,,Q3\n";

#[tokio::test]
async fn exactly_two_thirds_of_the_area_and_the_heads_meets_the_quorum() {
    let app = spawn_demo().await;
    let e = electorate(&app, "三户花园", "sh", THREE).await;
    let secretary = app.token("secretary").await;
    let two = open_vote(&app, &secretary, e.compound, motion("两户参与", "covenant")).await;
    let one = open_vote(&app, &secretary, e.compound, motion("一户参与", "covenant")).await;
    for key in ["Q1", "Q2"] {
        cast(&app, e.owner(key), two, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    }
    cast(&app, e.owner("Q1"), one, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);

    let turnout = app.get(&format!("/api/v1/votes/{two}/turnout"), &secretary).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["quorum_needed"], weight("200.00", 2));
    assert_eq!(turnout.body["quorum_met"], true);

    let r = close_now(&app, two).await["result"].clone();
    assert_eq!(r["participating"], weight("200.00", 2));
    assert_eq!(r["quorum_needed"], weight("200.00", 2));
    assert_eq!((r["quorum_met"].as_bool(), r["passed"].as_bool()), (Some(true), Some(true)));
    round_trip(&app, &secretary, two, &r).await;

    // Everyone who took part agreed, but one of three is no quorum, so nothing passes.
    let r = close_now(&app, one).await["result"].clone();
    assert_eq!(r["agree"], weight("100.00", 1));
    assert_eq!((r["quorum_met"].as_bool(), r["passed"].as_bool()), (Some(false), Some(false)));
    round_trip(&app, &secretary, one, &r).await;
}

/// Four holders of 100 m² each; 王甲 (F1) holds two units, of 60 and 40 m².
const FOUR: &str = "1号楼,101,60,registered,王甲,,F1\n\
                    1号楼,102,40,registered,王甲,,F1\n\
                    1号楼,201,100,registered,李乙,,F2\n\
                    2号楼,101,100,registered,张丙,,F3\n\
                    2号楼,102,100,registered,赵丁,,F4\n";

#[tokio::test]
async fn exactly_half_fails_an_ordinary_matter_and_exactly_three_quarters_passes_a_special_one() {
    let app = spawn_demo().await;
    let e = electorate(&app, "四户花园", "sf", FOUR).await;
    let secretary = app.token("secretary").await;
    let ordinary = open_vote(&app, &secretary, e.compound, motion("选聘物业", "manager")).await;
    let special = open_vote(&app, &secretary, e.compound, motion("续筹维修资金", "fund_raise")).await;
    let under = open_vote(&app, &secretary, e.compound, motion("拆除重建车棚", "rebuild")).await;
    let plan = [
        (ordinary, [Some("agree"), Some("agree"), Some("oppose"), Some("oppose")]),
        (special, [Some("agree"), Some("agree"), Some("agree"), Some("oppose")]),
        (under, [Some("agree"), Some("agree"), Some("oppose"), None]),
    ];
    for (id, choices) in plan {
        for (key, choice) in ["F1", "F2", "F3", "F4"].into_iter().zip(choices) {
            if let Some(choice) = choice {
                cast(&app, e.owner(key), id, json!({ "choice": choice })).await.expect(StatusCode::CREATED);
            }
        }
    }

    let r = close_now(&app, ordinary).await["result"].clone();
    assert_eq!(r["threshold"], "ordinary");
    assert_eq!(r["agree"], weight("200.00", 2));
    assert_eq!(r["participating"], weight("400.00", 4));
    assert_eq!((r["quorum_met"].as_bool(), r["passed"].as_bool()), (Some(true), Some(false)));
    round_trip(&app, &secretary, ordinary, &r).await;

    let r = close_now(&app, special).await["result"].clone();
    assert_eq!(r["threshold"], "special");
    assert_eq!(r["agree"], weight("300.00", 3));
    assert_eq!((r["quorum_met"].as_bool(), r["passed"].as_bool()), (Some(true), Some(true)));
    round_trip(&app, &secretary, special, &r).await;

    // Two of three participants is short of three quarters.
    let r = close_now(&app, under).await["result"].clone();
    assert_eq!(r["participating"], weight("300.00", 3));
    assert_eq!(r["agree"], weight("200.00", 2));
    assert_eq!((r["quorum_met"].as_bool(), r["passed"].as_bool()), (Some(true), Some(false)));
    round_trip(&app, &secretary, under, &r).await;
}

#[tokio::test]
async fn a_holder_of_several_units_is_one_head_with_all_their_area() {
    let app = spawn_demo().await;
    let e = electorate(&app, "四户花园", "sf", FOUR).await;
    let secretary = app.token("secretary").await;
    let id = open_vote(&app, &secretary, e.compound, motion("一户两套", "other")).await;
    let turnout = app.get(&format!("/api/v1/votes/{id}/turnout"), &secretary).await.expect(StatusCode::OK);
    assert_eq!(turnout.body["total"], weight("400.00", 4), "five units, four heads");

    let res = cast(&app, e.owner("F1"), id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["units"], json!(["1号楼 101", "1号楼 102"]));
    assert_eq!(res.body["area"], "100.00");
    for key in ["F2", "F3"] {
        cast(&app, e.owner(key), id, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
    }
    let r = close_now(&app, id).await["result"].clone();
    assert_eq!(r["agree"], weight("100.00", 1));
    assert_eq!(r["oppose"], weight("200.00", 2));
    assert_eq!(r["participating"], weight("300.00", 3));
    let public = app.get(&format!("/api/v1/votes/{id}/ballots"), e.owner("F4")).await.expect(StatusCode::OK);
    assert_eq!(public.body[0]["units"], json!(["1号楼 101", "1号楼 102"]));
    assert_eq!(public.body[0]["area"], "100.00");
    assert_eq!(public.body[0]["choice"], "agree");
    round_trip(&app, &secretary, id, &r).await;
}

/// Five holders: E3 and E4 hold 200 m², the others 100 m².
const FIVE: &str = "1号楼,101,100,registered,甲,,E1\n\
                    1号楼,102,100,registered,乙,,E2\n\
                    1号楼,201,200,registered,丙,,E3\n\
                    1号楼,202,200,registered,丁,,E4\n\
                    1号楼,301,100,registered,戊,,E5\n";

fn election(title: &str) -> Value {
    with(
        motion(title, "committee"),
        json!({ "form": "election", "seats": 2, "candidates": ["王委员", "李委员", "张委员"] }),
    )
}

/// (name, supporting heads, elected) in rank order.
fn standings(r: &Value) -> Vec<(String, i64, bool)> {
    r["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (c["name"].as_str().unwrap().to_owned(), c["support"]["headcount"].as_i64().unwrap(), c["elected"] == true)
        })
        .collect()
}

#[tokio::test]
async fn an_election_fills_seats_by_heads_then_area_and_reports_a_tie_for_the_last_seat() {
    let app = spawn_demo().await;
    let e = electorate(&app, "选举花园", "xj", FIVE).await;
    let secretary = app.token("secretary").await;
    let by_area = open_vote(&app, &secretary, e.compound, election("第一届业委会选举")).await;
    let tie = open_vote(&app, &secretary, e.compound, election("业委会补选")).await;

    // Malformed ballots are refused, naming the field.
    let owner = e.owner("E1");
    for body in [
        json!({ "candidates": [0, 1, 2] }),
        json!({ "candidates": [1, 1] }),
        json!({ "candidates": [3] }),
        json!({ "candidates": [-1] }),
        json!({ "choice": "agree" }),
    ] {
        field_error(&cast(&app, owner, by_area, body).await, "candidates");
    }
    assert!(stored(&app, by_area).await.is_empty());

    let picks = [(by_area, [[0, 1], [0, 1], [0, 2], [1, 2], [0, 2]]), (tie, [[1, 2], [2, 0], [1, 0], [2, 0], [1, 0]])];
    for (id, picks) in picks {
        for (key, p) in ["E1", "E2", "E3", "E4", "E5"].into_iter().zip(picks) {
            cast(&app, e.owner(key), id, json!({ "candidates": p })).await.expect(StatusCode::CREATED);
        }
    }

    // 王 4 heads; 张 and 李 3 heads each, 张 with 500 m² against 李's 400: 张 takes the second seat.
    let r = close_now(&app, by_area).await["result"].clone();
    assert_eq!(r["participating"], weight("700.00", 5));
    assert_eq!(standings(&r), [("王委员".into(), 4, true), ("张委员".into(), 3, true), ("李委员".into(), 3, false)]);
    assert_eq!(r["candidates"][1]["support"]["area"], "500.00");
    assert_eq!(r["candidates"][2]["support"]["area"], "400.00");
    assert!(r["candidates"].as_array().unwrap().iter().all(|c| c["qualified"] == true));
    assert_eq!(r["tied"], json!([]));
    assert!(r["passed"].is_null());
    let res = app.get(&format!("/api/v1/votes/{by_area}/export/ballots.csv"), &secretary).await;
    conflict(&res, "not_a_motion");

    // 李 and 张 level on heads and area for the last seat: neither is elected, the tie is reported.
    let r = close_now(&app, tie).await["result"].clone();
    assert_eq!(standings(&r), [("王委员".into(), 4, true), ("李委员".into(), 3, false), ("张委员".into(), 3, false)]);
    assert_eq!(r["candidates"][1]["support"], r["candidates"][2]["support"]);
    assert_eq!(r["tied"], json!(["李委员", "张委员"]));

    let list = app.get(&format!("/api/v1/votes/{tie}/ballots"), owner).await.expect(StatusCode::OK);
    assert_eq!(list.body[0]["candidates"], json!([1, 2]));
}

#[tokio::test]
async fn an_extension_needs_a_later_time_and_a_reason_and_goes_on_the_record() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(&app, &committee, tyc, motion("参与不足的表决", "fund_use")).await;
    let v = app.get(&format!("/api/v1/votes/{id}"), &committee).await.expect(StatusCode::OK);
    let closes = v.body["closes_at"].clone();
    let path = format!("/api/v1/votes/{id}/extend");

    let earlier = json!({ "closes_at": at(Duration::minutes(30)), "reason": "参与人数不足" });
    field_error(&app.post(&path, Some(&committee), earlier).await, "closes_at");
    let no_reason = json!({ "closes_at": at(Duration::days(3)), "reason": " " });
    field_error(&app.post(&path, Some(&committee), no_reason).await, "reason");
    let (_, login) = linked(&app, tyc).await.remove(0);
    let owner = app.token(&login).await;
    let res = app.post(&path, Some(&owner), json!({ "closes_at": at(Duration::days(3)), "reason": "我想延期" })).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let v = app.get(&format!("/api/v1/votes/{id}"), &committee).await.expect(StatusCode::OK);
    assert_eq!(v.body["closes_at"], closes);

    let later = at(Duration::days(3));
    let res = app
        .post(&path, Some(&committee), json!({ "closes_at": later, "reason": "参与人数未达三分之二，延长三天" }))
        .await
        .expect(StatusCode::OK);
    assert_ne!(res.body["closes_at"], closes);
    assert_eq!(res.body["status"], "open");
    let log = app.get(&format!("/api/v1/votes/{id}/log"), &owner).await.expect(StatusCode::OK);
    let extended = log.body.as_array().unwrap().iter().find(|e| e["action"] == "vote.extended").unwrap().clone();
    assert_eq!(extended["detail"]["reason"], "参与人数未达三分之二，延长三天");
    assert_eq!(extended["detail"]["from"], closes);
    // Publicly: every owner it concerns is told in their inbox, with the reason.
    let inbox = app.get("/api/v1/me/inbox", &owner).await.expect(StatusCode::OK);
    let notice = inbox.body.as_array().unwrap().iter().find(|n| n["kind"] == "vote_extended").unwrap().clone();
    assert!(notice["body"].as_str().unwrap().contains("参与人数未达三分之二"));
    assert_eq!(notice["link"], format!("/votes/{id}"));
}

#[tokio::test]
async fn turnout_counts_the_owners_who_opened_the_vote() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(&app, &committee, tyc, motion("送达统计", "other")).await;
    let turnout = format!("/api/v1/votes/{id}/turnout");
    assert_eq!(app.get(&turnout, &committee).await.expect(StatusCode::OK).body["delivered"], 0);
    let owners = linked(&app, tyc).await;
    for (_, login) in owners.iter().take(2) {
        let token = app.token(login).await;
        // Opening it twice is one delivery.
        app.get(&format!("/api/v1/votes/{id}"), &token).await.expect(StatusCode::OK);
        app.get(&format!("/api/v1/votes/{id}"), &token).await.expect(StatusCode::OK);
    }
    assert_eq!(app.get(&turnout, &committee).await.expect(StatusCode::OK).body["delivered"], 2);
}

#[tokio::test]
async fn a_cancelled_vote_refuses_ballots() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_vote(&app, &committee, tyc, motion("将被撤销的表决", "other")).await;
    let (_, login) = linked(&app, tyc).await.remove(0);
    let owner = app.token(&login).await;
    cast(&app, &owner, id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    let path = format!("/api/v1/votes/{id}/cancel");

    field_error(&app.post(&path, Some(&committee), json!({ "reason": "" })).await, "reason");
    let res = app.post(&path, Some(&owner), json!({ "reason": "不想表决" })).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app.post(&path, Some(&committee), json!({ "reason": "表决事项有误，重新起草" })).await;
    let res = res.expect(StatusCode::OK);
    assert_eq!(res.body["status"], "cancelled");
    assert_eq!(res.body["cancel_reason"], "表决事项有误，重新起草");
    assert!(res.body["cancelled_at"].is_string());

    let (_, other) = linked(&app, tyc).await.remove(1);
    let res = cast(&app, &app.token(&other).await, id, json!({ "choice": "oppose" })).await;
    conflict(&res, "vote_not_open");
    assert_eq!(stored(&app, id).await.len(), 1);
    let staff = app.token("staff").await;
    let free = app.unlinked_holders(tyc).await;
    let res = app
        .post(
            &format!("/api/v1/votes/{id}/paper-ballots"),
            Some(&staff),
            json!({ "holder_id": free[0]["id"], "serial": "X-1", "choice": "agree" }),
        )
        .await;
    conflict(&res, "vote_not_open");

    conflict(&app.post(&path, Some(&committee), json!({ "reason": "再撤一次" })).await, "vote_finished");
    let res = app
        .post(
            &format!("/api/v1/votes/{id}/extend"),
            Some(&committee),
            json!({ "closes_at": at(Duration::days(1)), "reason": "延期" }),
        )
        .await;
    conflict(&res, "vote_not_open");
    let log = app.get(&format!("/api/v1/votes/{id}/log"), &owner).await.expect(StatusCode::OK);
    let cancelled = log.body.as_array().unwrap().iter().find(|e| e["action"] == "vote.cancelled").unwrap().clone();
    assert_eq!(cancelled["detail"]["reason"], "表决事项有误，重新起草");
    assert_eq!(cancelled["detail"]["was"], "open");
    // A cancelled vote is never counted.
    let v = app.get(&format!("/api/v1/votes/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(v.body["status"], "cancelled");
    assert!(v.body["result"].is_null());
}

#[tokio::test]
async fn a_vote_whose_turnout_meets_the_quorum_cannot_be_extended() {
    let app = spawn_demo().await;
    let e = electorate(
        &app,
        "延期小区",
        "ext",
        "1号楼,101,100,registered,甲,,E1\n1号楼,102,100,registered,乙,,E2\n1号楼,103,100,registered,丙,,E3\n",
    )
    .await;
    let secretary = app.token("secretary").await;
    let id = open_vote(&app, &secretary, e.compound, motion("达到法定人数的表决", "other")).await;
    cast(&app, e.owner("E1"), id, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
    cast(&app, e.owner("E2"), id, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
    let res = app
        .post(
            &format!("/api/v1/votes/{id}/extend"),
            Some(&secretary),
            json!({ "closes_at": at(Duration::days(3)), "reason": "想等更多人同意" }),
        )
        .await;
    conflict(&res, "quorum_met");
}

#[tokio::test]
async fn nobody_verifies_themselves_or_names_themselves_as_a_proxy() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let member = app.token("member").await;
    let holder = hid(&app.unlinked_holders(tyc).await[0]);
    let res = app.post(&format!("/api/v1/holders/{holder}/links"), Some(&member), json!({ "login": "member" })).await;
    field_error(&res, "login");
    let res = app
        .post(
            &format!("/api/v1/compounds/{tyc}/proxies"),
            Some(&member),
            json!({ "holder_id": holder, "proxy_login": "member", "valid_from": at(Duration::zero()),
                    "valid_until": at(Duration::days(30)) }),
        )
        .await;
    field_error(&res, "proxy_login");
    let me = app.get("/api/v1/me", &member).await.expect(StatusCode::OK);
    assert!(me.body["holdings"].as_array().unwrap().is_empty());
}
