//! Conventions adopted by the route the law gives them: the final text bound by its SHA-256 to a
//! binding vote that cannot be published once the text has changed, in force when the vote
//! passes and back to drafting when it fails; pledges and residents' meetings recorded; the
//! registers; amendment and repeal; each household's acknowledgement, once; and every refusal.
use axum::http::{Method, StatusCode};
use chrono::Duration;
use sanfang::audit::{VerifyReport, verify};
use serde_json::{Value, json};

use crate::{helpers::*, votes::*};

/// Three holders of 100 m² each.
const THREE: &str =
    "1号楼,101,100,registered,甲,,Q1\n1号楼,102,100,registered,乙,,Q2\n2号楼,101,100,registered,丙,,Q3\n";

fn conv(id: i64) -> String {
    format!("/api/v1/conventions/{id}")
}

fn text() -> Value {
    json!({ "preamble": "为维护小区公共秩序，制定本公约。", "chapters": [
        { "title": "", "articles": [
            { "text": "晚上十点以后不得在公共区域大声喧哗。" },
            { "text": "不得在楼道内堆放杂物。" } ] } ] })
}

/// A residents' convention drafted by the community office for `compound`; returns it.
async fn drafted(app: &TestApp, token: &str, compound: i64) -> Value {
    let new = json!({ "kind": "residents", "title": "邻里公约", "body": text() });
    app.post(&format!("/api/v1/compounds/{compound}/conventions"), Some(token), new)
        .await
        .expect(StatusCode::CREATED)
        .body
}

/// Put convention `c`'s current version to a vote that opens now and closes in an hour.
async fn put_to_vote(app: &TestApp, token: &str, c: &Value) -> Res {
    let body = json!({ "action": "adopt", "route": "vote", "version": c["version"],
                       "opens_at": at(Duration::zero()), "closes_at": at(Duration::hours(1)) });
    app.post(&format!("{}/adoptions", conv(c["id"].as_i64().unwrap())), Some(token), body).await
}

fn pledge(version: &Value, action: &str) -> Value {
    json!({ "action": action, "route": "pledge", "version": version, "decided_by": "three_party",
            "decided_on": "2026-11-20", "record": "三方协商会议纪要第二项" })
}

#[track_caller]
fn conflict(res: Res, code: &str) {
    let res = res.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), code, "{}", res.body);
}

#[track_caller]
fn refused_at(res: Res, field: &str) {
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        res.body["error"]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default();
    assert_eq!(fields, [field], "{}", res.body);
}

async fn show(app: &TestApp, token: &str, id: i64) -> Value {
    app.get(&conv(id), token).await.expect(StatusCode::OK).body
}

async fn inbox_kinds(app: &TestApp, token: &str) -> Vec<String> {
    let inbox = app.get("/api/v1/me/inbox", token).await.expect(StatusCode::OK).body;
    inbox.as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn the_final_text_goes_to_a_vote_bound_to_its_digest_and_is_in_force_when_the_vote_passes() {
    let app = spawn_demo().await;
    let e = electorate(&app, "三户花园", "sh", THREE).await;
    let secretary = app.token("secretary").await;
    let c = drafted(&app, &secretary, e.compound).await;
    let id = c["id"].as_i64().unwrap();

    let v = put_to_vote(&app, &secretary, &c).await.expect(StatusCode::OK).body;
    assert_eq!((v["status"].as_str(), v["phase"].as_str()), (Some("adopting"), Some("adopting")));
    let a = &v["adoptions"][0];
    assert_eq!(
        (a["status"].as_str(), a["route"].as_str(), a["digest"].as_str()),
        (Some("pending"), Some("vote"), c["digest"].as_str())
    );
    let vote_id = a["vote_id"].as_i64().unwrap();

    // The vote carries the exact text and its digest, as a motion on the covenant's matter.
    let vote = app.get(&format!("/api/v1/votes/{vote_id}"), &secretary).await.expect(StatusCode::OK).body;
    assert_eq!(vote["convention"]["digest"], c["digest"]);
    assert_eq!(vote["convention"]["id"], id);
    assert_eq!((vote["matter"].as_str(), vote["status"].as_str()), (Some("covenant"), Some("draft")));
    let body = vote["body"].as_str().unwrap();
    assert!(
        body.contains("第一条 晚上十点以后不得在公共区域大声喧哗。") && body.contains("第二条 不得在楼道内堆放杂物。"),
        "{body}"
    );
    // Its text is the convention's, not the vote's to change.
    let edited = with(motion("邻里公约表决", "covenant"), json!({ "body": "另一段文字" }));
    refused_at(app.patch(&format!("/api/v1/votes/{vote_id}"), &secretary, edited).await, "body");

    let published = app.post(&format!("/api/v1/votes/{vote_id}/publish"), Some(&secretary), json!({})).await;
    assert_eq!(published.expect(StatusCode::OK).body["status"], "open");
    for key in ["Q1", "Q2"] {
        cast(&app, e.owner(key), vote_id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    }
    close_now(&app, vote_id).await;

    let v = show(&app, e.owner("Q3"), id).await;
    assert_eq!(v["status"], "in_force", "{v}");
    assert_eq!((v["in_force"]["version"].as_i64(), v["in_force"]["route"].as_str()), (Some(1), Some("vote")));
    assert_eq!(v["in_force"]["digest"], c["digest"]);
    assert_eq!(v["adoptions"][0]["status"], "adopted");
    assert_eq!(v["adoptions"][0]["result"], json!({ "passed": true, "quorum_met": true }));
    assert!(inbox_kinds(&app, e.owner("Q3")).await.contains(&"convention_in_force".to_owned()));
    let told = v["adoptions"][0]["told"].as_i64().unwrap();
    assert!(told >= 3 && v["adoptions"][0]["read"] == 0, "every owner is told: {}", v["adoptions"][0]);

    // The compound's register lists it, with the vote that adopted it.
    let register = app.get(&format!("/api/v1/compounds/{}/convention-register", e.compound), e.owner("Q1")).await;
    let register = register.expect(StatusCode::OK).body;
    let entry = register.as_array().unwrap().iter().find(|r| r["convention"]["id"] == id).cloned().unwrap();
    assert_eq!(entry["history"][0]["vote_id"], vote_id);

    // Each household acknowledges once: online, or on paper entered by the office.
    let acks = format!("{}/acknowledgements", conv(id));
    let mine = app.post(&acks, Some(e.owner("Q1")), json!({})).await.expect(StatusCode::CREATED).body;
    assert_eq!(mine["mine"][0]["channel"], "online");
    assert!(mine["coverage"].is_null(), "an owner sees no coverage");
    conflict(app.post(&acks, Some(e.owner("Q1")), json!({})).await, "convention_acknowledged");
    let paper = json!({ "holder_id": e.holder["Q2"], "signed_on": "2026-12-01" });
    let seen =
        app.post(&format!("{acks}/paper"), Some(&secretary), paper.clone()).await.expect(StatusCode::CREATED).body;
    let cov = &seen["coverage"];
    assert_eq!((cov["households"].as_i64(), cov["acknowledged"].as_i64()), (Some(3), Some(2)));
    assert_eq!((cov["online"].as_i64(), cov["paper"].as_i64()), (Some(1), Some(1)));
    let b1 = cov["buildings"].as_array().unwrap().iter().find(|b| b["building"] == "1号楼").unwrap();
    assert_eq!((b1["households"].as_i64(), b1["acknowledged"].as_i64()), (Some(2), Some(2)));
    assert_eq!(cov["pending"].as_array().unwrap().len(), 1);
    conflict(app.post(&format!("{acks}/paper"), Some(&secretary), paper).await, "convention_acknowledged");
    let future = json!({ "holder_id": e.holder["Q3"], "signed_on": "2099-01-01" });
    refused_at(app.post(&format!("{acks}/paper"), Some(&secretary), future).await, "signed_on");
    // An owner does not enter paper ones.
    let by_owner = json!({ "holder_id": e.holder["Q3"], "signed_on": "2026-12-01" });
    app.post(&format!("{acks}/paper"), Some(e.owner("Q1")), by_owner).await.expect(StatusCode::FORBIDDEN);

    let reminded = app.post(&format!("{acks}/remind"), Some(&secretary), json!({})).await.expect(StatusCode::OK).body;
    assert_eq!((reminded["households"].as_i64(), reminded["recipients"].as_i64()), (Some(1), Some(1)));
    let reminder = |inbox: Value| {
        inbox.as_array().unwrap().iter().find(|n| n["kind"] == "convention_acknowledge").cloned().unwrap()
    };
    let inbox = app.get("/api/v1/me/inbox", e.owner("Q3")).await.expect(StatusCode::OK).body;
    assert!(reminder(inbox)["read_at"].is_null());
    // Acknowledging (here entered from paper) is what the reminder asked: it is done.
    let paper = json!({ "holder_id": e.holder["Q3"], "signed_on": "2026-12-01" });
    app.post(&format!("{acks}/paper"), Some(&secretary), paper).await.expect(StatusCode::CREATED);
    let inbox = app.get("/api/v1/me/inbox", e.owner("Q3")).await.expect(StatusCode::OK).body;
    assert!(reminder(inbox)["read_at"].is_string());
    assert!(matches!(verify(&app.db).await.unwrap(), VerifyReport::Ok { .. }));
}

#[tokio::test]
async fn a_vote_on_a_changed_text_is_not_published_and_the_text_is_fixed_once_a_vote_is_announced() {
    let app = spawn_demo().await;
    let e = electorate(&app, "三户花园", "sh", THREE).await;
    let secretary = app.token("secretary").await;
    let c = drafted(&app, &secretary, e.compound).await;
    let id = c["id"].as_i64().unwrap();
    let v = put_to_vote(&app, &secretary, &c).await.expect(StatusCode::OK).body;
    let first_vote = v["adoptions"][0]["vote_id"].as_i64().unwrap();

    // The drafters change the text while the vote is still a draft: it can no longer be published.
    let edit = json!({ "version": 1, "title": "邻里公约", "body": { "chapters": [{ "articles": [
        { "id": "a2", "text": "晚上十点以后不得在公共区域大声喧哗或者播放音乐。" }, { "id": "a3", "text": "不得在楼道内堆放杂物。" } ] }] } });
    app.send(Method::PUT, &conv(id), Some(&secretary), edit).await.expect(StatusCode::OK);
    conflict(
        app.post(&format!("/api/v1/votes/{first_vote}/publish"), Some(&secretary), json!({})).await,
        "vote_text_changed",
    );
    // Nor may a second adoption be put while the first is pending.
    let again = json!({ "action": "adopt", "route": "vote", "version": 2,
                        "opens_at": at(Duration::zero()), "closes_at": at(Duration::hours(1)) });
    conflict(
        app.post(&format!("{}/adoptions", conv(id)), Some(&secretary), again.clone()).await,
        "convention_adopting",
    );

    // Cancelling the vote withdraws the adoption: the convention is back to drafting.
    let cancel = json!({ "reason": "文本已修改，按定稿重新发起" });
    app.post(&format!("/api/v1/votes/{first_vote}/cancel"), Some(&secretary), cancel).await.expect(StatusCode::OK);
    let v = show(&app, &secretary, id).await;
    assert_eq!((v["status"].as_str(), v["adoptions"][0]["status"].as_str()), (Some("drafting"), Some("withdrawn")));

    // Put again on version 2; announced, the text is fixed.
    let v = app.post(&format!("{}/adoptions", conv(id)), Some(&secretary), again).await.expect(StatusCode::OK).body;
    let second = v["adoptions"][0]["vote_id"].as_i64().unwrap();
    let vote = app.get(&format!("/api/v1/votes/{second}"), &secretary).await.expect(StatusCode::OK).body;
    assert_eq!(vote["convention"]["digest"], v["digest"]);
    assert!(vote["body"].as_str().unwrap().contains("或者播放音乐"));
    app.post(&format!("/api/v1/votes/{second}/publish"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    let edit = json!({ "version": 2, "title": "邻里公约（改）", "body": { "chapters": [{ "articles": [
        { "id": "a2", "text": "晚上十点以后保持安静。" } ] }] } });
    conflict(app.send(Method::PUT, &conv(id), Some(&secretary), edit).await, "convention_under_vote");
    assert_eq!(show(&app, &secretary, id).await["version"], 2);
}

#[tokio::test]
async fn a_failed_vote_returns_the_convention_to_drafting_with_its_result() {
    let app = spawn_demo().await;
    let e = electorate(&app, "三户花园", "sh", THREE).await;
    let secretary = app.token("secretary").await;
    let c = drafted(&app, &secretary, e.compound).await;
    let id = c["id"].as_i64().unwrap();
    let v = put_to_vote(&app, &secretary, &c).await.expect(StatusCode::OK).body;
    let vote_id = v["adoptions"][0]["vote_id"].as_i64().unwrap();
    app.post(&format!("/api/v1/votes/{vote_id}/publish"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    cast(&app, e.owner("Q1"), vote_id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    close_now(&app, vote_id).await;

    let v = show(&app, &secretary, id).await;
    assert_eq!(v["status"], "drafting");
    assert!(v["in_force"].is_null());
    assert_eq!(v["adoptions"][0]["status"], "failed");
    assert_eq!(v["adoptions"][0]["result"], json!({ "passed": false, "quorum_met": false }));
    // Not in force: nothing to acknowledge, nothing in the register.
    conflict(
        app.post(&format!("{}/acknowledgements", conv(id)), Some(e.owner("Q1")), json!({})).await,
        "convention_not_in_force",
    );
    let register = app.get(&format!("/api/v1/compounds/{}/convention-register", e.compound), &secretary).await;
    assert!(!register.expect(StatusCode::OK).body.as_array().unwrap().iter().any(|r| r["convention"]["id"] == id));
}

#[tokio::test]
async fn the_covenant_is_adopted_only_by_a_vote_and_only_once_its_consultation_is_over() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let new = json!({ "kind": "covenant", "title": "管理规约（修订）", "template": "covenant" });
    let c = app.post(&format!("/api/v1/compounds/{tyc}/conventions"), Some(&committee), new).await;
    let c = c.expect(StatusCode::CREATED).body;
    let id = c["id"].as_i64().unwrap();
    assert_eq!(c["routes"], json!(["vote"]));
    let path = format!("{}/adoptions", conv(id));
    refused_at(app.post(&path, Some(&committee), pledge(&c["version"], "adopt")).await, "route");
    let meeting = json!({ "action": "adopt", "route": "residents_meeting", "version": 1, "decided_on": "2026-11-20",
                          "record": "居民会议决议", "filed_on": "2026-11-25", "filing_ref": "备2026-3" });
    refused_at(app.post(&path, Some(&committee), meeting).await, "route");
    // Not while the consultation is open; not without the vote's times; not on an older version.
    let open = json!({ "until": at(Duration::days(7)) });
    app.post(&format!("{}/consultation", conv(id)), Some(&committee), open).await.expect(StatusCode::OK);
    conflict(put_to_vote(&app, &committee, &c).await, "convention_consultation_open");
    assert_eq!(show(&app, &committee, id).await["status"], "consulting");
    // Nothing was stored by the refusals.
    assert!(show(&app, &committee, id).await["adoptions"].as_array().unwrap().is_empty());
    // Repealing what is not in force is refused too.
    let repeal = json!({ "action": "repeal", "route": "vote", "version": 1 });
    let res = app.post(&path, Some(&committee), repeal).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    // An owner may not put it at all.
    app.post(&path, Some(&app.token("owner001").await), pledge(&c["version"], "adopt"))
        .await
        .expect(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_pledge_is_recorded_in_force_at_once_amended_and_repealed_the_same_way() {
    let app = spawn_demo().await;
    let community = app.community_id().await;
    let secretary = app.token("secretary").await;
    let new = json!({ "kind": "residents", "title": "节约用水倡议", "body": text() });
    let c = app.post(&format!("/api/v1/communities/{community}/conventions"), Some(&secretary), new).await;
    let c = c.expect(StatusCode::CREATED).body;
    let id = c["id"].as_i64().unwrap();
    let path = format!("{}/adoptions", conv(id));

    let mut no_body = pledge(&c["version"], "adopt");
    no_body["decided_by"] = json!("street_office");
    refused_at(app.post(&path, Some(&secretary), no_body).await, "decided_by");
    let mut no_record = pledge(&c["version"], "adopt");
    no_record["record"] = json!("");
    refused_at(app.post(&path, Some(&secretary), no_record).await, "record");
    let meeting = json!({ "action": "adopt", "route": "residents_meeting", "version": 1, "decided_on": "2026-11-20",
                          "record": "居民会议决议" });
    refused_at(app.post(&path, Some(&secretary), meeting).await, "filed_on");

    let v = app.post(&path, Some(&secretary), pledge(&c["version"], "adopt")).await.expect(StatusCode::OK).body;
    assert_eq!((v["status"].as_str(), v["in_force"]["route"].as_str()), (Some("in_force"), Some("pledge")));
    assert_eq!(v["adoptions"][0]["decided_by"], "three_party");
    // Every compound's people are told and see it in their register.
    let owner = app.token("owner001").await;
    assert!(inbox_kinds(&app, &owner).await.contains(&"convention_in_force".to_owned()));
    let tyc = app.compound_id(TYC).await;
    let register = app.get(&format!("/api/v1/compounds/{tyc}/convention-register"), &owner).await;
    assert!(register.expect(StatusCode::OK).body.as_array().unwrap().iter().any(|r| r["convention"]["id"] == id));
    conflict(app.post(&path, Some(&secretary), pledge(&c["version"], "adopt")).await, "convention_nothing_new");

    // An amendment is drafted out of the readers' sight: they keep reading the text in force.
    let edit = json!({ "version": 1, "title": "节约用水倡议", "body": { "chapters": [{ "articles": [
        { "id": "a2", "text": "晚上十点以后保持安静。" } ] }] } });
    app.send(Method::PUT, &conv(id), Some(&secretary), edit).await.expect(StatusCode::OK);
    let seen = show(&app, &owner, id).await;
    assert_eq!((seen["version"].as_i64(), seen["in_force"]["version"].as_i64()), (Some(1), Some(1)));
    app.get(&format!("{}/versions/2", conv(id)), &owner).await.expect(StatusCode::NOT_FOUND);
    let v = app.post(&path, Some(&secretary), pledge(&json!(2), "adopt")).await.expect(StatusCode::OK).body;
    assert_eq!(v["in_force"]["version"], 2);
    assert!(v["adoptions"][1]["superseded_at"].is_string(), "{}", v["adoptions"]);

    let v = app.post(&path, Some(&secretary), pledge(&json!(2), "repeal")).await.expect(StatusCode::OK).body;
    assert_eq!(v["status"], "repealed");
    assert!(v["repealed_at"].is_string());
    conflict(app.post(&path, Some(&secretary), pledge(&json!(2), "adopt")).await, "convention_repealed");
    let edit = json!({ "version": 2, "title": "节约用水倡议", "body": text() });
    conflict(app.send(Method::PUT, &conv(id), Some(&secretary), edit).await, "convention_repealed");
    // The register keeps it, repealed, with both versions' adoptions.
    let register = app.get(&format!("/api/v1/communities/{community}/convention-register"), &secretary).await;
    let register = register.expect(StatusCode::OK).body;
    let entry = register.as_array().unwrap().iter().find(|r| r["convention"]["id"] == id).cloned().unwrap();
    assert!(entry["repealed_at"].is_string());
    assert_eq!(entry["history"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_decision_is_recorded_by_the_minutes_of_the_meeting_that_made_it() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let secretary = app.token("secretary").await;
    let meetings = app.get(&format!("/api/v1/compounds/{tyc}/meetings"), &secretary).await.expect(StatusCode::OK).body;
    let find = |kind: &str, status: &str| {
        let m = meetings.as_array().unwrap().iter().find(|m| m["kind"] == kind && m["status"] == status);
        m.unwrap_or_else(|| panic!("a {status} {kind} in {meetings}"))["id"].as_i64().unwrap()
    };
    let (consultation, committee, council) =
        (find("consultation", "held"), find("committee", "held"), find("residents_council", "scheduled"));
    let c = drafted(&app, &secretary, tyc).await;
    let path = format!("{}/adoptions", conv(c["id"].as_i64().unwrap()));
    let with = |meeting: i64, by: &str| {
        json!({ "action": "adopt", "route": "pledge", "version": c["version"], "decided_by": by,
                "meeting_id": meeting })
    };
    // Only the meeting of the body that decided, once it has been held, and only one of this
    // compound or community: the committee's meeting did not decide a three-party pledge, the
    // council has not met, and a meeting that does not exist is refused as one elsewhere is.
    refused_at(app.post(&path, Some(&secretary), with(committee, "three_party")).await, "meeting_id");
    refused_at(app.post(&path, Some(&secretary), with(council, "residents_council")).await, "meeting_id");
    refused_at(app.post(&path, Some(&secretary), with(consultation + 10_000, "three_party")).await, "meeting_id");
    // 太阳城二期's committee meeting decided nothing for 上河时代.
    let shs = app.compound_id("上河时代").await;
    let theirs = drafted(&app, &secretary, shs).await;
    let elsewhere = json!({ "action": "adopt", "route": "pledge", "version": theirs["version"],
                            "decided_by": "owners_committee", "meeting_id": committee });
    let their_path = format!("{}/adoptions", conv(theirs["id"].as_i64().unwrap()));
    refused_at(app.post(&their_path, Some(&secretary), elsewhere.clone()).await, "meeting_id");
    // Nor the consultation of 太阳城二期 and 上河时代 for 北门小院, which did not take part.
    let bm = app.compound_id("北门小院").await;
    let bm_pact = drafted(&app, &secretary, bm).await;
    let not_there = json!({ "action": "adopt", "route": "pledge", "version": bm_pact["version"],
                            "decided_by": "three_party", "meeting_id": consultation });
    let bm_path = format!("{}/adoptions", conv(bm_pact["id"].as_i64().unwrap()));
    refused_at(app.post(&bm_path, Some(&secretary), not_there).await, "meeting_id");
    // The same meeting names a pledge of its own compound.
    let ours = drafted(&app, &secretary, tyc).await;
    let mut here = elsewhere;
    here["version"] = ours["version"].clone();
    let v = app.post(&format!("{}/adoptions", conv(ours["id"].as_i64().unwrap())), Some(&secretary), here).await;
    let v = v.expect(StatusCode::OK).body;
    assert_eq!(v["adoptions"][0]["meeting_title"], "业委会会议：审议《太阳城二期文明养犬公约》草案");
    let mut vote_with_meeting = with(consultation, "three_party");
    vote_with_meeting["route"] = json!("vote");
    vote_with_meeting["opens_at"] = json!(at(Duration::zero()));
    vote_with_meeting["closes_at"] = json!(at(Duration::hours(1)));
    refused_at(app.post(&path, Some(&secretary), vote_with_meeting).await, "meeting_id");
    assert_eq!(show(&app, &secretary, c["id"].as_i64().unwrap()).await["adoptions"], json!([]), "nothing stored");

    // The consultation's minutes are the record, and its day the day decided.
    let v = app.post(&path, Some(&secretary), with(consultation, "three_party")).await.expect(StatusCode::OK).body;
    let a = &v["adoptions"][0];
    assert_eq!((v["status"].as_str(), a["meeting_id"].as_i64()), (Some("in_force"), Some(consultation)));
    assert_eq!(a["meeting_title"], "北门外垃圾堆放问题三方协同协商会议");
    let m = app.get(&format!("/api/v1/meetings/{consultation}"), &secretary).await.expect(StatusCode::OK).body;
    assert_eq!(a["decided_on"].as_str(), m["starts_at"].as_str().map(|s| &s[..10]), "{a} {m}");
    assert_eq!(a["record"], json!(null));
    // The demo's sorting pledge was decided at the same consultation.
    let register = app.get(&format!("/api/v1/compounds/{tyc}/convention-register"), &secretary).await;
    let register = register.expect(StatusCode::OK).body;
    let sorting = register.as_array().unwrap().iter().find(|r| r["convention"]["title"] == "垃圾分类倡议").cloned();
    assert_eq!(sorting.unwrap()["history"][0]["meeting_id"].as_i64(), Some(consultation));
}

#[tokio::test]
async fn the_drafters_are_reminded_once_when_the_review_day_comes_and_again_for_a_new_one() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let secretary = app.token("secretary").await;
    let today = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap()).date_naive();
    let adopted = |c: &Value, review_on: chrono::NaiveDate| {
        let mut adopt = pledge(&c["version"], "adopt");
        adopt["review_on"] = json!(review_on.to_string());
        adopt
    };
    let (due, later) = (drafted(&app, &secretary, tyc).await, drafted(&app, &secretary, tyc).await);
    for (c, day) in [(&due, today), (&later, today + Duration::days(30))] {
        let path = format!("{}/adoptions", conv(c["id"].as_i64().unwrap()));
        app.post(&path, Some(&secretary), adopted(c, day)).await.expect(StatusCode::OK);
    }
    let reminders = |app: &TestApp, login: &'static str| {
        let app = app.clone();
        async move {
            let kinds = inbox_kinds(&app, &app.token(login).await).await;
            kinds.iter().filter(|k| *k == "convention_review_due").count()
        }
    };

    // The convention whose day has come, once however often the server looks; only the drafters.
    for _ in 0..2 {
        sanfang::conventions::remind_reviews(&app.db).await.unwrap();
    }
    assert_eq!(reminders(&app, "secretary").await, 1, "the one due today, not the one in 30 days");
    assert_eq!(reminders(&app, "owner001").await, 0);

    // Amended and adopted again with a new review day: reminded again when it comes.
    let id = due["id"].as_i64().unwrap();
    let edit = json!({ "version": 1, "title": "邻里公约", "body": { "chapters": [{ "articles": [
        { "id": "a2", "text": "晚上十点以后保持安静。" } ] }] } });
    app.send(Method::PUT, &conv(id), Some(&secretary), edit).await.expect(StatusCode::OK);
    let v2 = show(&app, &secretary, id).await;
    app.post(&format!("{}/adoptions", conv(id)), Some(&secretary), adopted(&v2, today)).await.expect(StatusCode::OK);
    sanfang::conventions::remind_reviews(&app.db).await.unwrap();
    assert_eq!(reminders(&app, "secretary").await, 2);
}

#[tokio::test]
async fn the_demo_pact_vote_is_on_the_final_text_and_the_covenant_is_in_force_and_partly_acknowledged() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let list = app.get(&format!("/api/v1/compounds/{tyc}/conventions"), &owner).await.expect(StatusCode::OK).body;
    let find = |title: &str| list.as_array().unwrap().iter().find(|c| c["title"] == title).cloned().unwrap();
    let pact = show(&app, &owner, find("文明养犬公约")["id"].as_i64().unwrap()).await;
    assert_eq!(pact["status"], "adopting");
    let vote_id = pact["adoptions"][0]["vote_id"].as_i64().unwrap();
    let vote = app.get(&format!("/api/v1/votes/{vote_id}"), &owner).await.expect(StatusCode::OK).body;
    assert_eq!(vote["status"], "open");
    assert_eq!(vote["convention"]["digest"], pact["digest"]);

    let covenant = show(&app, &owner, find("太阳城二期管理规约")["id"].as_i64().unwrap()).await;
    assert_eq!((covenant["status"].as_str(), covenant["in_force"]["route"].as_str()), (Some("in_force"), Some("vote")));
    assert_eq!(covenant["can"]["acknowledge"], true);
    let acks = format!("{}/acknowledgements", conv(covenant["id"].as_i64().unwrap()));
    let property = app.token("property").await;
    let cov = app.get(&acks, &property).await.expect(StatusCode::OK).body["coverage"].clone();
    let (households, done) = (cov["households"].as_i64().unwrap(), cov["acknowledged"].as_i64().unwrap());
    assert!(done > 0 && done < households, "{done} of {households}");
    // owner001 holds three homes as one household, and acknowledges once for all of them.
    let mine = app.post(&acks, Some(&owner), json!({})).await.expect(StatusCode::CREATED).body;
    assert_eq!(mine["mine"].as_array().unwrap().len(), 1);
    conflict(app.post(&acks, Some(&owner), json!({})).await, "convention_acknowledged");
    let after = app.get(&acks, &property).await.expect(StatusCode::OK).body["coverage"]["acknowledged"].clone();
    assert_eq!(after.as_i64(), Some(done + 1));

    // Another compound's people see none of it.
    let other = app.token("property2").await;
    app.get(&acks, &other).await.expect(StatusCode::NOT_FOUND);
    app.post(&acks, Some(&other), json!({})).await.expect(StatusCode::NOT_FOUND);
    let res = app.get(&format!("/api/v1/compounds/{tyc}/convention-register"), &other).await;
    assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", res.status);
    let committee2 = app.token("committee2").await;
    let pledge_body = pledge(&covenant["version"], "repeal");
    app.post(&format!("{}/adoptions", conv(covenant["id"].as_i64().unwrap())), Some(&committee2), pledge_body)
        .await
        .expect(StatusCode::NOT_FOUND);

    // The community's pledge on sorting waste reads as a pledge adopted by three-party consultation.
    let community = app.community_id().await;
    let register = app.get(&format!("/api/v1/communities/{community}/convention-register"), &owner).await;
    let register = register.expect(StatusCode::OK).body;
    let sorting = register.as_array().unwrap().iter().find(|r| r["convention"]["title"] == "垃圾分类倡议").cloned();
    let sorting = sorting.unwrap();
    assert_eq!(
        (sorting["in_force"]["route"].as_str(), sorting["history"][0]["decided_by"].as_str()),
        (Some("pledge"), Some("three_party"))
    );
}

#[tokio::test]
async fn a_breach_of_an_article_in_force_goes_to_the_property_company_and_is_counted_for_the_secretary() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let list = app.get(&format!("/api/v1/compounds/{tyc}/conventions"), &owner).await.expect(StatusCode::OK).body;
    let find =
        |title: &str| list.as_array().unwrap().iter().find(|c| c["title"] == title).unwrap()["id"].as_i64().unwrap();
    let (covenant, pact) = (find("太阳城二期管理规约"), find("文明养犬公约"));
    let c = show(&app, &owner, covenant).await;
    assert_eq!(c["can"]["report_breach_in"], json!([tyc]));
    let pets = c["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|ch| ch["articles"].as_array().unwrap().clone())
        .find(|a| a["text"].as_str().unwrap().contains("饲养动物"))
        .unwrap();
    let path = format!("/api/v1/compounds/{tyc}/concerns");
    let report = |convention: i64, article: &str| {
        json!({ "text": "有住户在草坪遛狗不牵绳。", "location": "3号楼南侧", "convention_id": convention,
                "article_id": article })
    };

    // Not on a convention that is not in force, nor on an article it does not have.
    let before = app
        .get(
            &format!("/api/v1/communities/{}/concern-dashboard", app.community_id().await),
            &app.token("secretary").await,
        )
        .await;
    let reported_before = before.expect(StatusCode::OK).body["breaches"].as_array().unwrap().len();
    refused_at(app.post(&path, Some(&owner), report(pact, "a2")).await, "convention_id");
    refused_at(app.post(&path, Some(&owner), report(covenant, "a999")).await, "article_id");
    // Nor by someone of another compound, in theirs or in this one.
    let shs = app.compound_id("上河时代").await;
    let outsider = app.token(&app.owner_of(shs).await).await;
    let theirs = format!("/api/v1/compounds/{shs}/concerns");
    refused_at(
        app.post(&theirs, Some(&outsider), report(covenant, pets["id"].as_str().unwrap())).await,
        "convention_id",
    );
    let res = app.post(&path, Some(&outsider), report(covenant, pets["id"].as_str().unwrap())).await;
    assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", res.status);

    let id = app
        .post(&path, Some(&owner), report(covenant, pets["id"].as_str().unwrap()))
        .await
        .expect(StatusCode::CREATED)
        .id();
    let property = app.token("property").await;
    let seen = app.get(&format!("/api/v1/concerns/{id}"), &property).await.expect(StatusCode::OK).body;
    assert_eq!((seen["status"].as_str(), seen["assigned_kind"].as_str()), (Some("routed"), Some("property_company")));
    assert_eq!(seen["breach"]["article_label"], pets["label"]);
    assert_eq!(seen["breach"]["title"], "太阳城二期管理规约");
    assert_eq!(seen["category"]["key"], "other");
    // The platform routed it by the convention's rule: the reporter is not named as routing it.
    let routed = seen["timeline"].as_array().unwrap().iter().find(|e| e["step"] == "routed").cloned().unwrap();
    assert_eq!((routed["actor_name"].clone(), routed["actor_kind"].clone()), (json!(null), json!(null)), "{routed}");
    assert_eq!(routed["party_kind"], "property_company");
    // The property company takes it through the concern steps.
    app.post(&format!("/api/v1/concerns/{id}/acknowledge"), Some(&property), json!({})).await.expect(StatusCode::OK);
    let reply = json!({ "text": "已联系该住户，承诺遛狗牵绳。" });
    app.post(&format!("/api/v1/concerns/{id}/replies"), Some(&property), reply).await.expect(StatusCode::OK);

    let secretary = app.token("secretary").await;
    let dash =
        app.get(&format!("/api/v1/communities/{}/concern-dashboard", app.community_id().await), &secretary).await;
    let breaches = dash.expect(StatusCode::OK).body["breaches"].clone();
    let row = breaches.as_array().unwrap().iter().find(|b| b["article"]["article_id"] == pets["id"]).cloned().unwrap();
    assert_eq!(row["count"], 2, "the demo's report and this one: {breaches}");
    assert_eq!(breaches.as_array().unwrap().len(), reported_before);

    // The committee names itself to enforce the covenant: the text stays as adopted, the next
    // report goes to the committee, and the change is on the audit chain.
    let committee = app.token("committee").await;
    let c = show(&app, &committee, covenant).await;
    assert_eq!(c["enforcer"], "property_company");
    let edit =
        json!({ "version": c["version"], "title": c["title"], "body": c["body"], "enforcer": "owners_committee" });
    app.send(Method::PUT, &conv(covenant), Some(&committee), edit.clone()).await.expect(StatusCode::OK);
    let c2 = show(&app, &committee, covenant).await;
    assert_eq!(
        (c2["enforcer"].as_str(), &c2["version"], &c2["phase"]),
        (Some("owners_committee"), &c["version"], &c["phase"])
    );
    // Only the drafters name it.
    let res = app.send(Method::PUT, &conv(covenant), Some(&property), edit).await;
    assert!(matches!(res.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", res.status);
    let id = app
        .post(&path, Some(&owner), report(covenant, pets["id"].as_str().unwrap()))
        .await
        .expect(StatusCode::CREATED)
        .id();
    let seen = app.get(&format!("/api/v1/concerns/{id}"), &committee).await.expect(StatusCode::OK).body;
    assert_eq!(seen["assigned_kind"], "owners_committee");
}
