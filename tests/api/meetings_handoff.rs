//! What a meeting reaches, carried on: an item handed to a binding vote (with the compound's
//! notice period) or a questionnaire, an outcome that decides the agenda where the body may
//! decide it and is told on a concern's timeline, and the papers attached for those invited.
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::concerns::raise;
use crate::helpers::*;
use crate::meetings::convene;

async fn post(app: &TestApp, login: &str, path: &str, body: Value) -> Res {
    let t = app.token(login).await;
    app.post(path, Some(&t), body).await
}

async fn get(app: &TestApp, login: &str, path: &str) -> Res {
    let t = app.token(login).await;
    app.get(path, &t).await
}

/// A meeting of `kind` convened by `login` in 太阳城二期, starting in ten minutes with `items`,
/// opened by its chair once the parties named in `present` have signed in.
async fn meeting_under_way(app: &TestApp, kind: &str, login: &str, items: Value, present: &[&str]) -> Value {
    let tyc = app.compound_id(TYC).await;
    let starts = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let body = json!({ "kind": kind, "title": "北门外垃圾清运协商", "compound_ids": [tyc],
        "starts_at": starts, "duration_minutes": 90, "place": "社区党群服务中心二楼会议室", "items": items });
    let m = convene(app, login, body).await.expect(StatusCode::CREATED).body;
    let id = m["id"].as_i64().unwrap();
    let code = get(app, login, &format!("/api/v1/meetings/{id}/sign-in-code")).await.expect(StatusCode::OK).body;
    for who in present {
        let path = format!("/api/v1/meetings/{id}/sign-in");
        post(app, who, &path, json!({ "sign_in_code": code["code"] })).await.expect(StatusCode::OK);
    }
    post(app, login, &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK).body
}

fn item_id(m: &Value, i: usize) -> i64 {
    m["items"][i]["id"].as_i64().unwrap()
}

fn positions(m: &Value, agree: &[&str]) -> Value {
    let rows = m["attendance"]["parties"].as_array().unwrap();
    let here = rows.iter().filter(|p| p["present"].as_i64().unwrap() > 0);
    let positions: Vec<Value> = here
        .map(|p| {
            let kind = p["party_kind"].as_str().unwrap();
            json!({ "party_id": p["party_id"], "position": if agree.contains(&kind) { "agree" } else { "reserve" } })
        })
        .collect();
    json!(positions)
}

#[tokio::test]
async fn the_chair_hands_an_item_to_a_binding_vote_drafted_with_its_text_and_the_notice_period() {
    let app = spawn_demo().await;
    let items = json!([{ "title": "增设北门外垃圾分类亭", "description": "在北门外设置一处四分类垃圾亭。", "minutes": 30 },
                       { "title": "清运费用分担", "minutes": 20 }]);
    let m = meeting_under_way(&app, "consultation", "secretary", items, &["secretary", "property", "committee"]).await;
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["can"]["hand_off"], true);
    let path = format!("/api/v1/meetings/{id}/items/{}/handoff", item_id(&m, 0));
    // Only the chair hands items on; a stranger to the compound learns nothing.
    post(&app, "property", &path, json!({ "to": "vote", "matter": "common_use" })).await.expect(StatusCode::FORBIDDEN);
    post(&app, "property-bm", &path, json!({ "to": "vote", "matter": "common_use" }))
        .await
        .expect(StatusCode::NOT_FOUND);
    let res = post(&app, "secretary", &path, json!({ "to": "vote" })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["matter"].is_string(), "{}", res.body);
    let res = post(&app, "secretary", &path, json!({ "to": "vote", "matter": "common_use", "compound_id": 999_999 }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["compound_id"].is_string(), "{}", res.body);

    let done =
        post(&app, "secretary", &path, json!({ "to": "vote", "matter": "common_use" })).await.expect(StatusCode::OK);
    let item = &done.body["items"][0];
    assert_eq!(item["status"], "done");
    assert_eq!(item["handed_to"], "vote");
    let vote_id = item["handed_to_id"].as_i64().unwrap();
    assert_eq!(item["handed_to_link"], format!("/votes/{vote_id}"));
    post(&app, "secretary", &path, json!({ "to": "questionnaire" })).await.expect(StatusCode::CONFLICT);

    // The draft carries the item's words and its way back, and opens after the notice period.
    let vote = get(&app, "secretary", &format!("/api/v1/votes/{vote_id}")).await.expect(StatusCode::OK).body;
    assert_eq!(vote["status"], "draft");
    assert_eq!(vote["title"], "增设北门外垃圾分类亭");
    let body = vote["body"].as_str().unwrap();
    assert!(body.contains("在北门外设置一处四分类垃圾亭。") && body.contains(&format!("(/meetings/{id})")), "{body}");
    let tyc = app.compound_id(TYC).await;
    let notice_days = app.compound_summary(tyc).await["notice_days"].as_i64().unwrap();
    let opens = chrono::DateTime::parse_from_rfc3339(vote["opens_at"].as_str().unwrap()).unwrap();
    assert!(opens > chrono::Utc::now() + chrono::Duration::days(notice_days), "{opens} after {notice_days} days");
    // As drafted, it can be published today: the owners get their notice in full.
    let committee = app.token("committee").await;
    app.post(&format!("/api/v1/votes/{vote_id}/publish"), Some(&committee), json!({})).await.expect(StatusCode::OK);

    // An item not agreed stays where it is.
    let second = format!("/api/v1/meetings/{id}/items/{}", item_id(&m, 1));
    post(&app, "secretary", &format!("{second}/open"), json!({})).await.expect(StatusCode::OK);
    let not = json!({ "outcome": "not_agreed", "positions": positions(&done.body, &[]) });
    let mut not = not;
    not["positions"][0]["position"] = json!("disagree");
    post(&app, "secretary", &format!("{second}/outcome"), not).await.expect(StatusCode::OK);
    let res = post(&app, "secretary", &format!("{second}/handoff"), json!({ "to": "questionnaire" }))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "meeting_item_done");
}

#[tokio::test]
async fn an_assembly_sitting_decides_through_a_vote_and_an_item_handed_on_is_not_carried_over() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let agenda = crate::agendas::open(&app, &committee, tyc, "小区停车收费调整").await.expect(StatusCode::CREATED).id();
    let items = json!([{ "title": "续聘物业服务企业", "minutes": 30 },
                       { "title": "业主意见征询", "minutes": 20, "source": "agenda", "source_id": agenda }]);
    let m = meeting_under_way(&app, "assembly_sitting", "committee", items, &["committee"]).await;
    let id = m["id"].as_i64().unwrap();
    let first = format!("/api/v1/meetings/{id}/items/{}", item_id(&m, 0));
    let res = post(&app, "committee", &format!("{first}/outcome"), json!({ "outcome": "agreed" }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["outcome"].as_str().unwrap().contains("vote"), "{}", res.body);
    let handed = post(&app, "committee", &format!("{first}/handoff"), json!({ "to": "vote", "matter": "manager" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(handed.body["items"][0]["handed_to"], "vote");
    let vote_id = handed.body["items"][0]["handed_to_id"].as_i64().unwrap();
    let vote = get(&app, "committee", &format!("/api/v1/votes/{vote_id}")).await.expect(StatusCode::OK).body;
    assert_eq!(vote["matter"], "manager");
    assert_eq!(vote["threshold"], "ordinary");

    // The second goes to a questionnaire: one question on it with the usual answers.
    let second = format!("/api/v1/meetings/{id}/items/{}", item_id(&m, 1));
    let q = post(&app, "committee", &format!("{second}/handoff"), json!({ "to": "questionnaire" }))
        .await
        .expect(StatusCode::OK);
    let q_id = q.body["items"][1]["handed_to_id"].as_i64().unwrap();
    assert_eq!(q.body["items"][1]["handed_to_link"], format!("/questionnaires/{q_id}"));
    let q = get(&app, "committee", &format!("/api/v1/questionnaires/{q_id}")).await.expect(StatusCode::OK).body;
    assert_eq!(q["status"], "draft");
    assert_eq!(q["questions"][0]["options"], json!(["赞成", "反对", "无意见"]));
    assert_eq!(q["agenda_id"], agenda, "tied to the item's agenda");

    // Closed, nothing is left for the next sitting: both items went on to be decided.
    post(&app, "committee", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);
    let community = app.community_id().await;
    let next = get(
        &app,
        "committee",
        &format!("/api/v1/communities/{community}/meetings/carry-over?kind=assembly_sitting&compound_ids={tyc}"),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(next.body["items"], json!([]), "{}", next.body);
}

#[tokio::test]
async fn an_outcome_decides_the_agenda_where_the_body_may_and_is_told_on_the_concerns_timeline() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let agenda =
        crate::agendas::open(&app, &committee, tyc, "北门外垃圾长期堆放").await.expect(StatusCode::CREATED).id();
    let other = crate::agendas::open(&app, &committee, tyc, "北门外增设路灯").await.expect(StatusCode::CREATED).id();
    let owner = app.token("owner001").await;
    let concern = raise(&app, &owner, tyc, "hygiene", "北门外垃圾三天没人清运").await.expect(StatusCode::CREATED).id();
    let items = json!([
        { "title": "垃圾清运分工", "minutes": 30, "source": "agenda", "source_id": agenda },
        { "title": "居民反映的垃圾问题", "minutes": 20, "source": "concern", "source_id": concern },
    ]);
    let m = meeting_under_way(&app, "consultation", "secretary", items, &["secretary", "property", "committee"]).await;
    let id = m["id"].as_i64().unwrap();
    for i in 0..2 {
        let item = format!("/api/v1/meetings/{id}/items/{}", item_id(&m, i));
        post(&app, "secretary", &format!("{item}/open"), json!({})).await.expect(StatusCode::OK);
        let agreed = json!({ "outcome": "agreed", "positions": positions(&m, &["community_office", "property_company", "owners_committee"]),
                             "text": "太阳城二期物业每日清运，社区督办。" });
        post(&app, "secretary", &format!("{item}/outcome"), agreed).await.expect(StatusCode::OK);
    }
    // A consultation decides the agenda: its decision names the meeting.
    let a = get(&app, "owner001", &format!("/api/v1/agendas/{agenda}")).await.expect(StatusCode::OK).body;
    assert_eq!(a["status"], "decided");
    let decision = a["decision"].as_str().unwrap();
    assert!(
        decision.contains(&format!("(/meetings/{id})")) && decision.contains("太阳城二期物业每日清运"),
        "{decision}"
    );
    assert_eq!(a["meetings"][0]["outcome"], "agreed");
    // The concern keeps its status; its timeline tells the meeting, and whoever raised it hears.
    let c = get(&app, "owner001", &format!("/api/v1/concerns/{concern}")).await.expect(StatusCode::OK).body;
    assert_eq!(c["status"], "submitted");
    let told = c["timeline"].as_array().unwrap().iter().find(|e| e["step"] == "discussed").expect("on the timeline");
    assert!(told["text"].as_str().unwrap().contains("北门外垃圾清运协商"), "{told}");
    let inbox = get(&app, "owner001", "/api/v1/me/inbox").await.expect(StatusCode::OK).body;
    assert!(inbox.as_array().unwrap().iter().any(|n| n["kind"] == "concern_discussed"), "{inbox}");
    // The action item it set closes the loop on the concern's timeline once the office confirms it.
    let property_party =
        m["attendance"]["parties"].as_array().unwrap().iter().find(|p| p["party_kind"] == "property_company").unwrap()
            ["party_id"]
            .clone();
    let due = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive().to_string();
    let set = json!({ "title": "北门外垃圾每日清运", "party_id": property_party, "due_on": due });
    let task = post(&app, "secretary", &format!("/api/v1/meetings/{id}/items/{}/tasks", item_id(&m, 1)), set)
        .await
        .expect(StatusCode::CREATED)
        .id();
    post(&app, "property", &format!("/api/v1/tasks/{task}/updates"), json!({ "body": "已清运", "done": true }))
        .await
        .expect(StatusCode::OK);
    post(&app, "secretary", &format!("/api/v1/tasks/{task}/review"), json!({ "accept": true }))
        .await
        .expect(StatusCode::OK);
    let c = get(&app, "owner001", &format!("/api/v1/concerns/{concern}")).await.expect(StatusCode::OK).body;
    let steps: Vec<&str> = c["timeline"].as_array().unwrap().iter().map(|e| e["step"].as_str().unwrap()).collect();
    assert!(steps.ends_with(&["discussed", "task_set", "task_done"]), "{steps:?}");
    let inbox = get(&app, "owner001", "/api/v1/me/inbox").await.expect(StatusCode::OK).body;
    assert!(inbox.as_array().unwrap().iter().any(|n| n["kind"] == "concern_task_done"), "{inbox}");

    // A residents' council only gives its view: the agenda stays open, its position on record.
    let items = json!([{ "title": "路灯位置", "minutes": 20, "source": "agenda", "source_id": other }]);
    let council = meeting_under_way(&app, "residents_council", "secretary", items, &["secretary"]).await;
    let cid = council["id"].as_i64().unwrap();
    let item = format!("/api/v1/meetings/{cid}/items/{}", item_id(&council, 0));
    post(&app, "secretary", &format!("{item}/open"), json!({})).await.expect(StatusCode::OK);
    post(&app, "secretary", &format!("{item}/outcome"), json!({ "outcome": "agreed" })).await.expect(StatusCode::OK);
    let a = get(&app, "owner001", &format!("/api/v1/agendas/{other}")).await.expect(StatusCode::OK).body;
    assert_eq!(a["status"], "open");
    assert_eq!(a["meetings"][0]["meeting_id"], cid);
    let secretary = app.token("secretary").await;
    let trail = app.get(&format!("/api/v1/audit?compound_id={tyc}&limit=500"), &secretary).await.expect(StatusCode::OK);
    let on_record = trail.body.as_array().unwrap().iter().find(|e| e["action"] == "agenda.discussed");
    assert!(on_record.is_some_and(|e| e["text"].as_str().unwrap().contains("北门外垃圾清运协商")), "{}", trail.body);
}

#[tokio::test]
async fn the_papers_of_a_meeting_are_read_by_those_who_may_see_it_and_changed_by_its_recorder() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let secretary = app.token("secretary").await;
    let pdf = b"%PDF-1.4\n% plan of the sorting kiosk\n".to_vec();
    let upload = |compound: i64, token: String, name: &'static str| {
        let app = &app;
        let pdf = pdf.clone();
        async move {
            app.upload(
                &format!("/api/v1/compounds/{compound}/files?name={name}"),
                &token,
                pdf,
                "application/octet-stream",
            )
            .await
            .expect(StatusCode::CREATED)
            .id()
        }
    };
    let plan = upload(tyc, secretary.clone(), "plan.pdf").await;
    let bmx = app.compound_id(BMX).await;
    let elsewhere = upload(bmx, secretary.clone(), "other.pdf").await;
    let starts = (chrono::Utc::now() + chrono::Duration::days(2)).to_rfc3339();
    let body = json!({ "kind": "consultation", "title": "垃圾分类亭选址", "compound_ids": [tyc], "starts_at": starts,
        "duration_minutes": 60, "place": "社区会议室", "attachment_ids": [plan, elsewhere] });
    let res = convene(&app, "secretary", body.clone()).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["attachment_ids[1]"].is_string(), "{}", res.body);
    let mut body = body;
    body["attachment_ids"] = json!([plan]);
    let m = convene(&app, "secretary", body).await.expect(StatusCode::CREATED).body;
    let id = m["id"].as_i64().unwrap();
    assert_eq!(m["attachments"][0]["name"], "plan.pdf");
    assert_eq!(m["can"]["attach"], true);

    // Everyone with a role in the compound reads it; another compound's people do not.
    let path = format!("/api/v1/meetings/{id}/attachments/{plan}");
    let read = get(&app, "owner001", &path).await.expect(StatusCode::OK);
    assert!(read.bytes.starts_with(b"%PDF"));
    get(&app, "property-bm", &path).await.expect(StatusCode::NOT_FOUND);
    get(&app, "owner001", &format!("/api/v1/meetings/{id}/attachments/{elsewhere}"))
        .await
        .expect(StatusCode::NOT_FOUND);

    // Only whoever keeps the record changes them.
    let put = format!("/api/v1/meetings/{id}/attachments");
    let property = app.token("property").await;
    app.send(Method::PUT, &put, Some(&property), json!({ "attachment_ids": [] })).await.expect(StatusCode::FORBIDDEN);
    let bm = app.token("property-bm").await;
    app.send(Method::PUT, &put, Some(&bm), json!({ "attachment_ids": [] })).await.expect(StatusCode::NOT_FOUND);
    let many: Vec<i64> = (1..=21).collect();
    let res = app
        .send(Method::PUT, &put, Some(&secretary), json!({ "attachment_ids": many }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["attachment_ids"].as_str().unwrap().contains("20"), "{}", res.body);
    let second = upload(tyc, secretary.clone(), "quote.pdf").await;
    let changed = app
        .send(Method::PUT, &put, Some(&secretary), json!({ "attachment_ids": [second, plan] }))
        .await
        .expect(StatusCode::OK);
    let names: Vec<&str> =
        changed.body["attachments"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["quote.pdf", "plan.pdf"]);
}

#[tokio::test]
async fn the_demo_committee_meeting_handed_the_pact_on_to_the_owners_open_vote() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let list = get(&app, "owner001", &format!("/api/v1/compounds/{tyc}/meetings")).await.expect(StatusCode::OK).body;
    let committee =
        list.as_array().unwrap().iter().find(|m| m["kind"] == "committee").expect("the demo's committee meeting");
    let m = get(&app, "owner001", &format!("/api/v1/meetings/{}", committee["id"])).await.expect(StatusCode::OK).body;
    let item = &m["items"][0];
    assert_eq!((item["outcome"].as_str(), item["handed_to"].as_str()), (Some("agreed"), Some("vote")));
    let vote = get(&app, "owner001", item["handed_to_link"].as_str().map(|l| format!("/api/v1{l}")).unwrap().as_str())
        .await
        .expect(StatusCode::OK)
        .body;
    assert!(vote["title"].as_str().unwrap().contains("文明养犬公约"), "{}", vote["title"]);
    assert_eq!(vote["status"], "open");
}
