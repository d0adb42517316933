//! Meetings live: signing in by the room's code (and only with a fresh one), the chair's steps,
//! outcomes checked against how the kind decides, the room following by server-sent events,
//! action items from set to confirmed, and each person's calendar feed.
use std::time::Duration;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use sanfang::meetings::SignInKey;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::concerns::jpeg_with_location;
use crate::helpers::*;
use crate::meetings::convene;

/// A consultation of 太阳城二期 starting in ten minutes, with two items; convened by the secretary.
async fn consultation_soon(app: &TestApp) -> Value {
    let tyc = app.compound_id(TYC).await;
    let starts = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let body = json!({ "kind": "consultation", "title": "北门外垃圾清运协商", "compound_ids": [tyc],
        "starts_at": starts, "duration_minutes": 90, "place": "社区党群服务中心二楼会议室",
        "items": [{ "title": "垃圾清运分工", "minutes": 30 }, { "title": "清运费用分担", "minutes": 20 }] });
    convene(app, "secretary", body).await.expect(StatusCode::CREATED).body
}

async fn code(app: &TestApp, login: &str, meeting: i64) -> Res {
    let t = app.token(login).await;
    app.get(&format!("/api/v1/meetings/{meeting}/sign-in-code"), &t).await
}

async fn post(app: &TestApp, login: &str, path: &str, body: Value) -> Res {
    let t = app.token(login).await;
    app.post(path, Some(&t), body).await
}

async fn sign_in(app: &TestApp, login: &str, meeting: i64, code: &str) -> Res {
    post(app, login, &format!("/api/v1/meetings/{meeting}/sign-in"), json!({ "sign_in_code": code })).await
}

fn party_id(m: &Value, kind: &str) -> i64 {
    let rows = m["attendance"]["parties"].as_array().unwrap();
    rows.iter().find(|p| p["party_kind"] == kind).unwrap_or_else(|| panic!("{kind} in {rows:?}"))["party_id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn people_sign_in_with_the_rooms_current_code_and_a_photo_of_an_old_one_is_refused() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    // The code is shown to whoever keeps the record or chairs.
    code(&app, "property", id).await.expect(StatusCode::FORBIDDEN);
    code(&app, "property-bm", id).await.expect(StatusCode::NOT_FOUND);
    let shown = code(&app, "secretary", id).await.expect(StatusCode::OK);
    let c = shown.body["code"].as_str().unwrap().to_owned();
    assert_eq!(shown.body["path"], format!("/meetings/{id}/sign-in?code={c}"));
    // A code of two minutes ago, sealed with the server's own key, no longer works.
    let old = SignInKey::derive(JWT_SECRET).code(id, chrono::Utc::now() - chrono::Duration::minutes(2)).0;
    let res = sign_in(&app, "property", id, &old).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["sign_in_code"].as_str().unwrap().contains("scan the code"), "{}", res.body);
    assert!(res.body["error"]["message"].as_str().unwrap().starts_with("Sign-in code"), "{}", res.body);
    sign_in(&app, "property", id, "1.00").await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    // Another meeting's code does not open this one.
    let other = SignInKey::derive(JWT_SECRET).code(id + 1, chrono::Utc::now()).0;
    sign_in(&app, "property", id, &other).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    // Only those invited sign in; a stranger to the compound learns nothing.
    sign_in(&app, "owner001", id, &c).await.expect(StatusCode::FORBIDDEN);
    sign_in(&app, "property-bm", id, &c).await.expect(StatusCode::NOT_FOUND);
    let before = sign_in(&app, "committee", id, &c).await.expect(StatusCode::OK);
    assert_eq!(before.body["attendance"]["absent_parties"], json!(["community_office", "property_company"]));
    let after = sign_in(&app, "property", id, &c).await.expect(StatusCode::OK);
    let mine = &after.body["my_invitation"];
    assert!(mine["signed_in_at"].is_string());
    assert_eq!(mine["sign_in_method"], "qr");
    assert_eq!(after.body["attendance"]["absent_parties"], json!(["community_office"]));
    assert_eq!(after.body["can"]["sign_in"], false, "signed in once");
}

#[tokio::test]
async fn staff_tick_names_and_the_paper_sheet_and_only_the_recorder_or_chair_may() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    let property_inv =
        m["invitations"].as_array().unwrap().iter().find(|i| i["person"]["name"] == "赵经理").unwrap()["id"]
            .as_i64()
            .unwrap();
    let path = format!("/api/v1/meetings/{id}/attendance");
    let tick = json!({ "invitation_ids": [property_inv], "present": true, "method": "staff" });
    post(&app, "property", &path, tick.clone()).await.expect(StatusCode::FORBIDDEN);
    post(&app, "owner001", &path, tick.clone()).await.expect(StatusCode::FORBIDDEN);
    post(&app, "property2", &path, tick.clone()).await.expect(StatusCode::NOT_FOUND);
    let bad = json!({ "invitation_ids": [property_inv, 999_999], "present": true, "method": "staff" });
    let res = post(&app, "secretary", &path, bad).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["invitation_ids[1]"].is_string(), "{}", res.body);
    let sheet = json!({ "invitation_ids": [property_inv], "present": true, "method": "sheet" });
    post(&app, "secretary", &path, sheet.clone()).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let secretary = app.token("secretary").await;
    let upload = format!("/api/v1/meetings/{id}/sign-in-sheet?name=sheet.jpg");
    app.upload(&upload, &secretary, jpeg_with_location(), "application/octet-stream").await.expect(StatusCode::CREATED);
    let done = post(&app, "secretary", &path, sheet).await.expect(StatusCode::OK);
    let zhao = done.body["invitations"].as_array().unwrap().iter().find(|i| i["id"] == property_inv).unwrap().clone();
    assert_eq!(zhao["sign_in_method"], "sheet");
    assert!(done.body["sign_in_sheet"]["sha256"].is_string());
    let photo = app.get(&format!("/api/v1/meetings/{id}/sign-in-sheet"), &secretary).await.expect(StatusCode::OK);
    assert!(!String::from_utf8_lossy(&photo.bytes).contains("GPS"), "the sheet's location is stripped");
    let property2 = app.token("property2").await;
    app.get(&format!("/api/v1/meetings/{id}/sign-in-sheet"), &property2).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_chair_runs_the_consultation_and_an_outcome_must_match_the_parties_positions() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    let items: Vec<i64> = m["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    let c = code(&app, "secretary", id).await.body["code"].as_str().unwrap().to_owned();
    for login in ["secretary", "property", "committee"] {
        sign_in(&app, login, id, &c).await.expect(StatusCode::OK);
    }
    let open_item = format!("/api/v1/meetings/{id}/items/{}/open", items[0]);
    // Nothing runs before the chair opens the meeting, and only the chair opens it.
    post(&app, "secretary", &open_item, json!({})).await.expect(StatusCode::CONFLICT);
    post(&app, "property", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::FORBIDDEN);
    let opened =
        post(&app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(opened.body["status"], "in_progress");
    post(&app, "committee", &open_item, json!({})).await.expect(StatusCode::FORBIDDEN);
    let taken = post(&app, "secretary", &open_item, json!({})).await.expect(StatusCode::OK);
    assert_eq!(taken.body["current_item_id"], items[0]);
    let t = app.token("secretary").await;
    let notes = json!({ "notes": "上河时代物业：北门外归属存在争议。太阳城二期物业：同意先行清运。" });
    app.send(Method::PUT, &format!("/api/v1/meetings/{id}/items/{}/notes", items[0]), Some(&t), notes)
        .await
        .expect(StatusCode::OK);
    let office = party_id(&taken.body, "community_office");
    let property = party_id(&taken.body, "property_company");
    let committee = party_id(&taken.body, "owners_committee");
    let outcome = format!("/api/v1/meetings/{id}/items/{}/outcome", items[0]);
    // The outcome must be what the positions give, and every party present states one.
    let disagreeing = json!({ "outcome": "agreed", "positions": [
        { "party_id": office, "position": "agree" }, { "party_id": property, "position": "disagree" },
        { "party_id": committee, "position": "agree" } ] });
    let res = post(&app, "secretary", &outcome, disagreeing).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["outcome"].is_string(), "{}", res.body);
    let missing = json!({ "outcome": "agreed", "positions": [{ "party_id": office, "position": "agree" }] });
    post(&app, "secretary", &outcome, missing).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let agreed = json!({ "outcome": "agreed", "positions": [
        { "party_id": office, "position": "agree" }, { "party_id": property, "position": "reserve" },
        { "party_id": committee, "position": "agree" } ] });
    post(&app, "property", &outcome, agreed.clone()).await.expect(StatusCode::FORBIDDEN);
    let done = post(&app, "secretary", &outcome, agreed.clone()).await.expect(StatusCode::OK);
    let item = &done.body["items"][0];
    assert_eq!((item["status"].as_str(), item["outcome"].as_str()), (Some("done"), Some("agreed")));
    assert!(item["notes"].as_str().unwrap().contains("先行清运"));
    let positions: Vec<(&str, &str)> = item["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["party_kind"].as_str().unwrap(), p["position"].as_str().unwrap()))
        .collect();
    assert_eq!(
        positions,
        [("community_office", "agree"), ("property_company", "reserve"), ("owners_committee", "agree")]
    );
    post(&app, "secretary", &outcome, agreed).await.expect(StatusCode::CONFLICT);
    // Closing leaves the second item unresolved; the meeting is then held and runs no more.
    let closed =
        post(&app, "secretary", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(closed.body["status"], "held");
    assert_eq!(closed.body["items"][1]["status"], "pending");
    let open_second = format!("/api/v1/meetings/{id}/items/{}/open", items[1]);
    post(&app, "secretary", &open_second, json!({})).await.expect(StatusCode::CONFLICT);
    sign_in(&app, "staff", id, &c).await.expect(StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_committee_decides_by_half_of_all_its_members_and_only_members_present_vote() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(8)).to_rfc3339();
    let body = json!({ "kind": "committee", "title": "文明养犬公约草案审议", "compound_ids": [tyc],
        "starts_at": starts, "duration_minutes": 60, "place": "业委会办公室",
        "items": [{ "title": "审议公约草案", "minutes": 30 }] });
    let m = convene(&app, "committee", body).await.expect(StatusCode::CREATED).body;
    let id = m["id"].as_i64().unwrap();
    // Signing in opens an hour before the start: a week ahead it is closed.
    code(&app, "committee", id).await.expect(StatusCode::CONFLICT);
    // The meeting is brought forward to ten minutes from now, as if the week had passed.
    use sea_orm::{ConnectionTrait, Statement};
    let soon = chrono::Utc::now() + chrono::Duration::minutes(10);
    app.db
        .execute_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            "UPDATE meetings SET starts_at = $1 WHERE id = $2",
            [soon.into(), id.into()],
        ))
        .await
        .unwrap();
    let c = code(&app, "committee", id).await.expect(StatusCode::OK).body["code"].as_str().unwrap().to_owned();
    let here = sign_in(&app, "committee", id, &c).await.expect(StatusCode::OK).body;
    let members: Vec<(i64, String)> = here["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["capacity"] == "member")
        .map(|i| (i["person"]["id"].as_i64().unwrap(), i["person"]["name"].as_str().unwrap().to_owned()))
        .collect();
    let total = members.len() as i64;
    assert_eq!(here["attendance"]["quorum_expected"], total);
    assert_eq!(here["attendance"]["quorum_met"], total < 2, "one of {total} is not more than half");
    post(&app, "committee", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    let item = here["items"][0]["id"].as_i64().unwrap();
    post(&app, "committee", &format!("/api/v1/meetings/{id}/items/{item}/open"), json!({}))
        .await
        .expect(StatusCode::OK);
    let chair = here["my_invitation"]["person"]["id"].as_i64().unwrap();
    let absent = members.iter().find(|(u, _)| *u != chair).unwrap().0;
    let outcome = format!("/api/v1/meetings/{id}/items/{item}/outcome");
    let with_absent = json!({ "outcome": "agreed", "votes": [
        { "user_id": chair, "position": "agree" }, { "user_id": absent, "position": "agree" } ] });
    let res = post(&app, "committee", &outcome, with_absent).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["votes[1].user_id"].is_string(), "{}", res.body);
    // One vote in favour is agreement only where it is at least half of all the members.
    let one = json!({ "outcome": "agreed", "votes": [{ "user_id": chair, "position": "agree" }] });
    if 2 >= total {
        post(&app, "committee", &outcome, one).await.expect(StatusCode::OK);
    } else {
        post(&app, "committee", &outcome, one).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        let not = json!({ "outcome": "not_agreed", "votes": [{ "user_id": chair, "position": "agree" }] });
        let done = post(&app, "committee", &outcome, not).await.expect(StatusCode::OK);
        assert_eq!(done.body["items"][0]["positions"][0]["person"]["id"], chair);
    }
}

/// The `state` events of the live stream as they arrive, until `want` of them came.
async fn live_events(
    app: &TestApp,
    token: &str,
    meeting: i64,
    want: usize,
    act: impl std::future::Future<Output = ()>,
) -> Vec<Value> {
    let req = Request::builder()
        .method(Method::GET)
        .uri(format!("/api/v1/meetings/{meeting}/live"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .extension(ConnectInfo(app.client))
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = res.into_body();
    let mut text = String::new();
    let mut events = Vec::new();
    let mut act = Some(Box::pin(act));
    while events.len() < want {
        let frame = tokio::time::timeout(Duration::from_secs(10), body.frame()).await.expect("an event within 10 s");
        let Some(Ok(frame)) = frame else { break };
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).unwrap());
        }
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ").or_else(|| l.strip_prefix("data:")))
            {
                assert!(block.contains("event: state") || block.contains("event:state"), "{block}");
                events.push(serde_json::from_str(data).unwrap());
            }
        }
        // Once the first state is in, the chair acts.
        if let Some(a) = act.take() {
            a.await;
        }
    }
    events
}

#[tokio::test]
async fn the_room_follows_the_chair_as_it_happens() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    let item = m["items"][1]["id"].as_i64().unwrap();
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    let phone = app.token("property").await;
    let chair = app.clone();
    let events = live_events(&app, &phone, id, 2, async move {
        post(&chair, "secretary", &format!("/api/v1/meetings/{id}/items/{item}/open"), json!({}))
            .await
            .expect(StatusCode::OK);
    })
    .await;
    assert_eq!(events.len(), 2, "the state at once, then the change");
    assert_eq!(events[0]["status"], "in_progress");
    assert!(events[0]["current"].is_null());
    assert_eq!(events[1]["current"]["id"], item);
    assert_eq!(events[1]["current"]["title"], "清运费用分担");
    assert_eq!(events[1]["items"][1]["status"], "open");
    // Those who may not see the meeting may not follow it.
    let outsider = app.token("property-bm").await;
    app.get(&format!("/api/v1/meetings/{id}/live"), &outsider).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_action_item_goes_from_the_meeting_to_the_party_and_back_to_the_office() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    let item = m["items"][0]["id"].as_i64().unwrap();
    let tasks = format!("/api/v1/meetings/{id}/items/{item}/tasks");
    let due = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive().to_string();
    let office_party = party_id(&m, "community_office");
    let property_party = party_id(&m, "property_company");
    let new = json!({ "title": "清运北门外堆积垃圾", "party_id": property_party, "due_on": due });
    // Set going only once the meeting is open, by whoever records or chairs.
    post(&app, "secretary", &tasks, new.clone()).await.expect(StatusCode::CONFLICT);
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    post(&app, "secretary", &tasks, new.clone()).await.expect(StatusCode::CONFLICT);
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{item}/open"), json!({}))
        .await
        .expect(StatusCode::OK);
    post(&app, "property", &tasks, new.clone()).await.expect(StatusCode::FORBIDDEN);
    let early = json!({ "title": "x", "party_id": property_party, "due_on": "2020-01-01" });
    let res = post(&app, "secretary", &tasks, early).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["due_on"].is_string());
    let t = post(&app, "secretary", &tasks, new).await.expect(StatusCode::CREATED).body;
    let task = t["id"].as_i64().unwrap();
    assert_eq!(t["party"]["kind"], "property_company");
    assert_eq!(t["can"]["report"], false, "the office does not report its own task done");
    let inbox = app.token("property").await;
    let notices = app.get("/api/v1/me/inbox", &inbox).await.expect(StatusCode::OK);
    assert!(
        notices
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "task_assigned" && n["link"] == format!("/tasks/{task}"))
    );
    // The party responsible reports progress and a photo; no one else may.
    let update = format!("/api/v1/tasks/{task}/updates");
    post(&app, "committee", &update, json!({ "body": "已清运", "done": true })).await.expect(StatusCode::FORBIDDEN);
    post(&app, "property-bm", &update, json!({ "body": "已清运", "done": true })).await.expect(StatusCode::NOT_FOUND);
    let property = app.token("property").await;
    app.upload(
        &format!("/api/v1/tasks/{task}/photos?name=after.jpg"),
        &property,
        jpeg_with_location(),
        "application/octet-stream",
    )
    .await
    .expect(StatusCode::CREATED);
    let reported = post(&app, "property", &update, json!({ "body": "北门外垃圾已全部清运，附照片。", "done": true }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(reported.body["status"], "reported");
    assert_eq!(reported.body["photos"].as_array().unwrap().len(), 1);
    // The convening office confirms it; the party responsible cannot.
    let review = format!("/api/v1/tasks/{task}/review");
    post(&app, "property", &review, json!({ "accept": true })).await.expect(StatusCode::FORBIDDEN);
    let res =
        post(&app, "secretary", &review, json!({ "accept": false })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["note"].is_string());
    let done = post(&app, "secretary", &review, json!({ "accept": true })).await.expect(StatusCode::OK);
    assert_eq!(done.body["status"], "done");
    assert_eq!(done.body["confirmed_by"]["name"], "李书记");
    post(&app, "property", &update, json!({ "body": "again" })).await.expect(StatusCode::CONFLICT);
    // The community's list: all of it to the office, its own to a party, nothing to a stranger.
    let community = app.community_id().await;
    let list = |login: &'static str| {
        let app = app.clone();
        async move {
            let t = app.token(login).await;
            app.get(&format!("/api/v1/communities/{community}/tasks"), &t).await
        }
    };
    let ids = |v: Value| -> Vec<i64> { v.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect() };
    assert!(ids(list("secretary").await.expect(StatusCode::OK).body).contains(&task));
    assert!(ids(list("property").await.expect(StatusCode::OK).body).contains(&task), "its own party's");
    assert!(!ids(list("committee").await.expect(StatusCode::OK).body).contains(&task), "not the committee's");
    let theirs = list("property2").await.expect(StatusCode::OK).body;
    assert!(theirs.as_array().unwrap().iter().all(|t| t["party"]["name"] != done.body["party"]["name"]));
    let _ = office_party;
}

#[tokio::test]
async fn an_overdue_action_item_is_flagged_counted_on_the_dashboard_and_its_party_reminded_once_a_day() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    let item = m["items"][0]["id"].as_i64().unwrap();
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{item}/open"), json!({}))
        .await
        .expect(StatusCode::OK);
    let due = (chrono::Utc::now() + chrono::Duration::days(3)).date_naive();
    let new =
        json!({ "title": "修复北门照明", "party_id": party_id(&m, "property_company"), "due_on": due.to_string() });
    let task = post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{item}/tasks"), new)
        .await
        .expect(StatusCode::CREATED)
        .id();
    use sea_orm::{ConnectionTrait, Statement};
    let past = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    app.db
        .execute_raw(Statement::from_sql_and_values(
            app.db.get_database_backend(),
            "UPDATE meeting_tasks SET due_on = $1 WHERE id = $2",
            [past.into(), task.into()],
        ))
        .await
        .unwrap();
    let community = app.community_id().await;
    let t = app.token("secretary").await;
    let overdue =
        app.get(&format!("/api/v1/communities/{community}/tasks?status=overdue"), &t).await.expect(StatusCode::OK);
    let listed = overdue.body.as_array().unwrap();
    assert!(listed.iter().any(|o| o["id"] == task), "listed as overdue");
    assert!(listed.iter().all(|o| o["overdue"] == true && o["status"] != "done"));
    let dash = app.get(&format!("/api/v1/communities/{community}/concern-dashboard"), &t).await.expect(StatusCode::OK);
    assert_eq!(dash.body["overdue_tasks"].as_u64().unwrap() as usize, listed.len());
    assert_eq!(sanfang::meetings::tasks::remind_overdue(&app.db).await.unwrap(), listed.len());
    assert_eq!(sanfang::meetings::tasks::remind_overdue(&app.db).await.unwrap(), 0, "once a day");
    let property = app.token("property").await;
    let inbox = app.get("/api/v1/me/inbox", &property).await.expect(StatusCode::OK);
    assert!(inbox.body.as_array().unwrap().iter().any(|n| n["kind"] == "task_overdue"));
}

#[tokio::test]
async fn a_calendar_feed_lists_my_meetings_without_a_login_until_i_renew_it() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let t = app.token("property").await;
    assert!(app.get("/api/v1/me/calendar", &t).await.expect(StatusCode::OK).body["created_at"].is_null());
    let first = app.post("/api/v1/me/calendar", Some(&t), json!({})).await.expect(StatusCode::CREATED);
    let path = first.body["path"].as_str().unwrap().to_owned();
    let ics = app.get_anon(&path).await.expect(StatusCode::OK);
    assert!(ics.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/calendar"));
    let text = String::from_utf8(ics.bytes).unwrap().replace("\r\n ", "");
    assert!(text.contains("SUMMARY:三方协同协商会议：北门外垃圾清运协商\r\n"), "{text}");
    assert!(text.contains(&format!("/meetings/{}\r\n", m["id"])), "{text}");
    let again = app.post("/api/v1/me/calendar", Some(&t), json!({})).await.expect(StatusCode::CREATED);
    assert_ne!(again.body["path"], first.body["path"]);
    app.get_anon(&path).await.expect(StatusCode::NOT_FOUND);
    app.get_anon(again.body["path"].as_str().unwrap()).await.expect(StatusCode::OK);
    // Someone of another compound does not see it in their feed.
    let bm = app.token("property-bm").await;
    let theirs = app.post("/api/v1/me/calendar", Some(&bm), json!({})).await.expect(StatusCode::CREATED);
    let text = String::from_utf8(app.get_anon(theirs.body["path"].as_str().unwrap()).await.bytes).unwrap();
    assert!(!text.contains("北门外垃圾清运协商"));
}

/// An action item for 太阳城二期's property company, set at a consultation under way.
pub async fn task_under_way(app: &TestApp) -> i64 {
    let m = consultation_soon(app).await;
    let id = m["id"].as_i64().unwrap();
    let item = m["items"][0]["id"].as_i64().unwrap();
    post(app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    post(app, "secretary", &format!("/api/v1/meetings/{id}/items/{item}/open"), json!({})).await.expect(StatusCode::OK);
    let due = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive().to_string();
    let new = json!({ "title": "清运北门外堆积垃圾", "party_id": party_id(&m, "property_company"), "due_on": due });
    post(app, "secretary", &format!("/api/v1/meetings/{id}/items/{item}/tasks"), new)
        .await
        .expect(StatusCode::CREATED)
        .id()
}

#[tokio::test]
async fn what_a_consultation_leaves_unsettled_is_offered_to_the_next_and_taken_up_once() {
    let app = spawn_demo().await;
    let m = consultation_soon(&app).await;
    let id = m["id"].as_i64().unwrap();
    let (first, second) = (m["items"][0]["id"].as_i64().unwrap(), m["items"][1]["id"].as_i64().unwrap());
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{first}/open"), json!({}))
        .await
        .expect(StatusCode::OK);
    let due = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive().to_string();
    let task = json!({ "title": "清运北门外堆积垃圾", "party_id": party_id(&m, "property_company"), "due_on": due });
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{first}/tasks"), task)
        .await
        .expect(StatusCode::CREATED);
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{first}/outcome"), json!({ "outcome": "deferred" }))
        .await
        .expect(StatusCode::OK);
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);

    let (community, tyc) = (app.community_id().await, app.compound_id(TYC).await);
    let t = app.token("secretary").await;
    let path = format!("/api/v1/communities/{community}/meetings/carry-over?kind=consultation&compound_ids={tyc}");
    let left = app.get(&path, &t).await.expect(StatusCode::OK).body;
    let carried: Vec<(i64, bool)> =
        left["items"].as_array().unwrap().iter().map(|i| (i["id"].as_i64().unwrap(), i["deferred"] == true)).collect();
    assert!(carried.contains(&(first, true)) && carried.contains(&(second, false)), "{carried:?}");
    assert!(left["tasks"].as_array().unwrap().iter().any(|t| t["title"] == "清运北门外堆积垃圾"), "{}", left["tasks"]);
    // Another kind of meeting is another body; another compound's people learn nothing.
    let other =
        format!("/api/v1/communities/{community}/meetings/carry-over?kind=residents_council&compound_ids={tyc}");
    assert_eq!(app.get(&other, &t).await.expect(StatusCode::OK).body["items"], json!([]));
    let outsider = app.token("property2").await;
    app.get(&path, &outsider).await.expect(StatusCode::NOT_FOUND);

    let starts = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let next = json!({ "kind": "consultation", "title": "北门外垃圾问题再协商", "compound_ids": [tyc],
        "starts_at": starts, "duration_minutes": 60, "place": "社区党群服务中心",
        "items": [{ "title": "垃圾清运分工（续）", "minutes": 30, "carried_from": first }] });
    let again = convene(&app, "secretary", next.clone()).await.expect(StatusCode::CREATED).body;
    assert_eq!(again["items"][0]["carried_from"], first);
    let open: Vec<&str> =
        again["open_tasks"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
    assert!(open.contains(&"清运北门外堆积垃圾"), "reviewed at the next meeting: {open:?}");
    let res = convene(&app, "secretary", next).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["items[0].carried_from"].is_string(), "taken up once: {}", res.body);
    let left = app.get(&path, &t).await.expect(StatusCode::OK).body;
    assert!(!left["items"].as_array().unwrap().iter().any(|i| i["id"] == first));
}
