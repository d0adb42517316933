//! Minutes of a held meeting: drafted from its record, corrected by those who attended, signed
//! seat by seat on the exact text, published to the compound's residents and added to only by
//! chained addenda; and every refusal on the way, with what was (not) stored.
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::*;
use crate::meetings::convene;

const TITLE: &str = "北门外垃圾清运协商";
/// The outcome of the first item, as the draft prints it.
const OUTCOME_LINE: &str = "- 结论：达成一致。太阳城二期物业每日清运，社区督办。";

async fn post(app: &TestApp, login: &str, path: &str, body: Value) -> Res {
    let t = app.token(login).await;
    app.post(path, Some(&t), body).await
}

async fn put(app: &TestApp, login: &str, path: &str, body: Value) -> Res {
    let t = app.token(login).await;
    app.send(Method::PUT, path, Some(&t), body).await
}

async fn get(app: &TestApp, login: &str, path: &str) -> Res {
    let t = app.token(login).await;
    app.get(path, &t).await
}

fn minutes(id: i64) -> String {
    format!("/api/v1/meetings/{id}/minutes")
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days)).to_rfc3339()
}

async fn user_id(app: &TestApp, login: &str) -> i64 {
    get(app, login, "/api/v1/me").await.expect(StatusCode::OK).body["user"]["id"].as_i64().unwrap()
}

/// The id and name of the party of `kind` at a meeting.
fn party(m: &Value, kind: &str) -> (i64, String) {
    let rows = m["attendance"]["parties"].as_array().unwrap();
    let p = rows.iter().find(|p| p["party_kind"] == kind).unwrap_or_else(|| panic!("{kind} in {rows:?}"));
    (p["party_id"].as_i64().unwrap(), p["party_name"].as_str().unwrap().to_owned())
}

/// The signature of the seat of `seat` (and, for a party's seat, of the party of `kind`).
fn seat<'a>(view: &'a Value, seat: &str, kind: Option<&str>) -> &'a Value {
    let sigs = view["signatures"].as_array().unwrap();
    sigs.iter()
        .find(|s| s["seat"] == seat && kind.is_none_or(|k| s["party_kind"] == k))
        .unwrap_or_else(|| panic!("{seat} {kind:?} in {sigs:?}"))
}

/// A meeting convened by `login`, its sign-in opened and `present` signed in, then opened.
async fn under_way(app: &TestApp, login: &str, body: Value, present: &[&str]) -> Value {
    let m = convene(app, login, body).await.expect(StatusCode::CREATED).body;
    let id = m["id"].as_i64().unwrap();
    let code = get(app, login, &format!("/api/v1/meetings/{id}/sign-in-code")).await.expect(StatusCode::OK).body;
    for who in present {
        post(app, who, &format!("/api/v1/meetings/{id}/sign-in"), json!({ "sign_in_code": code["code"] }))
            .await
            .expect(StatusCode::OK);
    }
    post(app, login, &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK).body
}

fn consultation(compound: i64) -> Value {
    let starts = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    json!({ "kind": "consultation", "title": TITLE, "compound_ids": [compound], "starts_at": starts,
            "duration_minutes": 90, "place": "社区党群服务中心二楼会议室",
            "items": [{ "title": "垃圾清运分工", "minutes": 30 }, { "title": "清运费用分担", "minutes": 20 }] })
}

/// A consultation of 太阳城二期 held now by the secretary (李书记 chairs and records): the office,
/// the property manager and the committee's chair signed in, with `also`; its first item
/// discussed, an action item set and agreed with the parties' positions, its second left. Closed.
pub(crate) async fn held_consultation(app: &TestApp, also: &[&str]) -> Value {
    let tyc = app.compound_id(TYC).await;
    let present: Vec<&str> = ["secretary", "property", "committee"].into_iter().chain(also.iter().copied()).collect();
    let m = under_way(app, "secretary", consultation(tyc), &present).await;
    let id = m["id"].as_i64().unwrap();
    let item = format!("/api/v1/meetings/{id}/items/{}", m["items"][0]["id"]);
    post(app, "secretary", &format!("{item}/open"), json!({})).await.expect(StatusCode::OK);
    let notes = json!({ "notes": "物业：北门外垃圾每日清运。\n业委会：要求社区督办。" });
    put(app, "secretary", &format!("{item}/notes"), notes).await.expect(StatusCode::OK);
    let due = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive().to_string();
    let task = json!({ "title": "清运北门外堆积垃圾", "party_id": party(&m, "property_company").0, "due_on": due });
    post(app, "secretary", &format!("{item}/tasks"), task).await.expect(StatusCode::CREATED);
    let agreed = json!({ "outcome": "agreed", "text": "太阳城二期物业每日清运，社区督办。", "positions": [
        { "party_id": party(&m, "community_office").0, "position": "agree" },
        { "party_id": party(&m, "property_company").0, "position": "reserve" },
        { "party_id": party(&m, "owners_committee").0, "position": "agree" } ] });
    post(app, "secretary", &format!("{item}/outcome"), agreed).await.expect(StatusCode::OK);
    let closed =
        post(app, "secretary", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);
    assert_eq!(closed.body["status"], "held");
    closed.body
}

/// A held consultation's minutes drafted by the secretary; returns the meeting and the minutes.
async fn drafted(app: &TestApp, also: &[&str]) -> (i64, Value) {
    let m = held_consultation(app, also).await;
    let id = m["id"].as_i64().unwrap();
    let v = post(app, "secretary", &minutes(id), json!({})).await.expect(StatusCode::CREATED).body;
    (id, v)
}

/// The minutes of a held consultation of 太阳城二期 under sign-off, after a correction by the
/// property manager was circulated for and declined: the meeting and the correction.
pub(crate) async fn under_sign_off(app: &TestApp) -> (i64, i64) {
    let (id, v) = drafted(app, &[]).await;
    post(app, "secretary", &format!("{}/circulate", minutes(id)), json!({ "until": in_days(2) }))
        .await
        .expect(StatusCode::OK);
    let text = v["text"].as_str().unwrap().replace(OUTCOME_LINE, "- 结论：达成一致。物业每日清运两次。");
    let proposed = json!({ "version": 1, "text": text, "reason": "清运次数记错了" });
    let c = post(app, "property", &format!("{}/corrections", minutes(id)), proposed).await.expect(StatusCode::CREATED);
    let correction = c.body["corrections"][0]["id"].as_i64().unwrap();
    let answer = json!({ "accept": false, "reason": "会上确定每日一次" });
    post(app, "secretary", &format!("{}/corrections/{correction}/answer", minutes(id)), answer)
        .await
        .expect(StatusCode::OK);
    post(app, "secretary", &format!("{}/sign-off", minutes(id)), json!({ "sign_by": in_days(3) }))
        .await
        .expect(StatusCode::OK);
    (id, correction)
}

async fn sign(app: &TestApp, login: &str, id: i64, digest: &str, answer: &str, opinion: Option<&str>) -> Res {
    let body = json!({ "digest": digest, "answer": answer, "opinion": opinion });
    post(app, login, &format!("{}/signatures", minutes(id)), body).await
}

async fn inbox(app: &TestApp, login: &str) -> Vec<Value> {
    get(app, login, "/api/v1/me/inbox").await.expect(StatusCode::OK).body.as_array().unwrap().clone()
}

/// The audit trail of meeting `id`, newest first.
async fn trail(app: &TestApp, id: i64) -> Vec<Value> {
    let tyc = app.compound_id(TYC).await;
    let res = get(app, "secretary", &format!("/api/v1/audit?compound_id={tyc}&limit=500")).await;
    let all = res.expect(StatusCode::OK).body.as_array().unwrap().clone();
    all.into_iter().filter(|e| e["subject"] == format!("meeting:{id}")).collect()
}

/// The notices of `kind` about meeting `id`'s minutes in the inbox of `login`.
async fn told(app: &TestApp, login: &str, kind: &str, id: i64) -> Vec<Value> {
    let link = format!("/meetings/{id}/minutes");
    inbox(app, login).await.into_iter().filter(|n| n["kind"] == kind && n["link"] == link).collect()
}

async fn set_column(app: &TestApp, sql: &str, at: chrono::DateTime<chrono::Utc>, meeting: i64) {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    app.db.execute_raw(Statement::from_sql_and_values(backend, sql, [at.into(), meeting.into()])).await.unwrap();
}

#[tokio::test]
async fn minutes_are_drafted_only_once_the_meeting_is_held_and_only_by_whoever_keeps_its_record() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let m = convene(&app, "secretary", consultation(tyc)).await.expect(StatusCode::CREATED).body;
    let id = m["id"].as_i64().unwrap();
    let res = post(&app, "secretary", &minutes(id), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_meeting_not_held");
    let code = get(&app, "secretary", &format!("/api/v1/meetings/{id}/sign-in-code")).await.body["code"].clone();
    for who in ["secretary", "property"] {
        post(&app, who, &format!("/api/v1/meetings/{id}/sign-in"), json!({ "sign_in_code": code }))
            .await
            .expect(StatusCode::OK);
    }
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/open"), json!({})).await.expect(StatusCode::OK);
    let res = post(&app, "secretary", &minutes(id), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_meeting_not_held", "not while it is in progress either");
    // Nothing was stored: there are no minutes to read, and nothing on the audit chain.
    get(&app, "secretary", &minutes(id)).await.expect(StatusCode::NOT_FOUND);
    get(&app, "secretary", &format!("{}/versions/1", minutes(id))).await.expect(StatusCode::NOT_FOUND);
    assert!(!trail(&app, id).await.iter().any(|e| e["action"].as_str().unwrap().starts_with("minutes.")));

    post(&app, "secretary", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);
    // Held: still only whoever keeps the record drafts; a stranger to the compound learns nothing.
    post(&app, "property", &minutes(id), json!({})).await.expect(StatusCode::FORBIDDEN);
    post(&app, "owner001", &minutes(id), json!({})).await.expect(StatusCode::FORBIDDEN);
    post(&app, "property2", &minutes(id), json!({})).await.expect(StatusCode::NOT_FOUND);
    get(&app, "secretary", &minutes(id)).await.expect(StatusCode::NOT_FOUND);
    let v = post(&app, "secretary", &minutes(id), json!({})).await.expect(StatusCode::CREATED).body;
    assert_eq!((v["status"].as_str(), v["version"].as_i64()), (Some("drafting"), Some(1)));
    let res = post(&app, "secretary", &minutes(id), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_exist");
    let again = get(&app, "secretary", &minutes(id)).await.expect(StatusCode::OK).body;
    assert_eq!(again["versions"].as_array().unwrap().len(), 1, "drafted once");
    assert_eq!(again["text"], v["text"]);
}

#[tokio::test]
async fn the_draft_is_written_from_the_record_with_every_party_present_each_item_its_positions_and_outcome() {
    let app = spawn_demo().await;
    let m = held_consultation(&app, &[]).await;
    let id = m["id"].as_i64().unwrap();
    let v = post(&app, "secretary", &minutes(id), json!({})).await.expect(StatusCode::CREATED).body;
    let text = v["text"].as_str().unwrap();
    let (office, property, committee) =
        (party(&m, "community_office").1, party(&m, "property_company").1, party(&m, "owners_committee").1);
    for line in [
        TITLE.to_owned(),
        "会议纪要".to_owned(),
        "- 会议类型：三方协同协商会议".to_owned(),
        "- 主持人：李书记；记录人：李书记".to_owned(),
        format!("- {office}：出席 李书记；缺席 张社工"),
        format!("- {property}：出席 赵经理"),
        format!("- {committee}：出席 刘主任；缺席 "),
        "### 一、垃圾清运分工".to_owned(),
        "- 讨论情况：物业：北门外垃圾每日清运。 业委会：要求社区督办。".to_owned(),
        format!("{office}：同意"),
        format!("{property}：保留意见"),
        format!("{committee}：同意"),
        OUTCOME_LINE.to_owned(),
        "### 二、清运费用分担".to_owned(),
        "- 结论：未作结论".to_owned(),
        format!("- 督办：清运北门外堆积垃圾——{property}"),
        "## 督办事项".to_owned(),
    ] {
        assert!(text.contains(&line), "{line:?} in\n{text}");
    }
    assert!(text.contains("陈委员"), "the absent member is named as absent:\n{text}");
    assert!(!text.contains("未到会的一方"), "all three parties came:\n{text}");
    // What a signature approves: SHA-256 of exactly this text.
    assert_eq!(v["digest"], sha256(text));
    assert_eq!(v["versions"][0]["digest"], sha256(text));
    assert_eq!(v["versions"][0]["reason"], "drafted");
    assert_eq!(v["drafted_by"]["name"], "李书记");
    assert_eq!(v["can"]["edit"], true);
    assert!(v["text_html"].as_str().unwrap().contains("<li>结论：达成一致。"), "{}", v["text_html"]);
    let saved = trail(&app, id).await.into_iter().find(|e| e["action"] == "minutes.saved").expect("on the audit chain");
    assert!(saved["text"].as_str().unwrap().contains(&sha256(text)), "{saved}");
}

#[tokio::test]
async fn an_owners_sitting_prints_the_owners_who_came_by_room_and_never_by_name() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let starts = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let body = json!({ "kind": "assembly_sitting", "title": "续聘物业服务企业业主大会", "compound_ids": [tyc],
        "starts_at": starts, "duration_minutes": 90, "place": "小区广场",
        "items": [{ "title": "续聘物业服务企业", "minutes": 30 }] });
    let m = under_way(&app, "committee", body, &["committee", "owner001"]).await;
    let id = m["id"].as_i64().unwrap();
    post(&app, "committee", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);
    let v = post(&app, "committee", &minutes(id), json!({})).await.expect(StatusCode::CREATED).body;
    let text = v["text"].as_str().unwrap();
    // owner001's rooms, as building-number; neither the holder's nor the account's name.
    let holder = app
        .holders(tyc)
        .await
        .into_iter()
        .find(|h| h["linked_users"].as_array().unwrap().iter().any(|u| u["username"] == "owner001"))
        .expect("owner001 holds a unit");
    let rooms: Vec<String> = app
        .units(tyc)
        .await
        .iter()
        .filter(|u| u["holder_id"] == holder["id"])
        .map(|u| format!("{}-{}", u["building_name"].as_str().unwrap(), u["number"].as_str().unwrap()))
        .collect();
    assert!(!rooms.is_empty());
    assert!(text.contains("- 到会业主（1 户，按房号）："), "one owner came:\n{text}");
    for room in &rooms {
        assert!(text.contains(room.as_str()), "{room} in\n{text}");
    }
    let me = get(&app, "owner001", "/api/v1/me").await.expect(StatusCode::OK).body;
    for name in [holder["name"].as_str().unwrap(), me["user"]["display_name"].as_str().unwrap()] {
        assert!(!text.contains(name), "{name} must not be printed:\n{text}");
    }
    assert!(text.contains("- 会议类型：业主大会现场会议") && text.contains("### 一、续聘物业服务企业"), "{text}");
    // The owner who attended reads the draft; one who did not, does not.
    get(&app, "owner001", &minutes(id)).await.expect(StatusCode::OK);
    get(&app, "owner002", &minutes(id)).await.expect(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn minutes_go_from_the_draft_through_a_correction_and_every_seats_signature_to_the_residents_and_take_chained_addenda()
 {
    let app = spawn_demo().await;
    let (id, v) = drafted(&app, &[]).await;
    let path = minutes(id);
    // Circulated to those who attended, who are told.
    let until = in_days(2);
    post(&app, "property", &format!("{path}/circulate"), json!({ "until": until })).await.expect(StatusCode::FORBIDDEN);
    let v2 = post(&app, "secretary", &format!("{path}/circulate"), json!({ "until": until })).await;
    let v2 = v2.expect(StatusCode::OK).body;
    assert_eq!(v2["status"], "correcting");
    for login in ["property", "committee"] {
        assert_eq!(told(&app, login, "minutes_corrections_open", id).await.len(), 1, "{login}");
    }
    assert!(told(&app, "staff", "minutes_corrections_open", id).await.is_empty(), "staff did not come");
    let property_view = get(&app, "property", &path).await.expect(StatusCode::OK).body;
    assert_eq!(
        (property_view["can"]["correct"].as_bool(), property_view["can"]["edit"].as_bool()),
        (Some(true), Some(false))
    );

    // The property manager proposes a correction on what they read; the recorder accepts it.
    let corrected_line = "- 结论：达成一致。太阳城二期物业每日清运，周末加派一次，社区督办。";
    let proposed = v["text"].as_str().unwrap().replace(OUTCOME_LINE, corrected_line);
    let body = json!({ "version": 1, "text": proposed, "reason": "会上说了周末加派" });
    let c = post(&app, "property", &format!("{path}/corrections"), body).await.expect(StatusCode::CREATED).body;
    let correction = &c["corrections"][0];
    assert_eq!(correction["original"], format!("{OUTCOME_LINE}\n"));
    assert_eq!(correction["replacement"], format!("{corrected_line}\n"));
    assert_eq!((correction["status"].as_str(), correction["stale"].as_bool()), (Some("proposed"), Some(false)));
    assert_eq!(correction["author"]["name"], "赵经理");
    let cid = correction["id"].as_i64().unwrap();
    let answer = json!({ "accept": true, "reason": "属实" });
    post(&app, "property", &format!("{path}/corrections/{cid}/answer"), answer.clone())
        .await
        .expect(StatusCode::FORBIDDEN);
    let v3 = post(&app, "secretary", &format!("{path}/corrections/{cid}/answer"), answer).await.expect(StatusCode::OK);
    let v3 = v3.body;
    assert_eq!(v3["version"], 2);
    assert_eq!(v3["text"], proposed, "the correction is the text now");
    assert_eq!(v3["corrections"][0]["status"], "accepted");
    assert_eq!(v3["versions"][1]["reason"], format!("correction:{cid}"));

    // Sign-off on version 2: the chair and one seat for each other party present.
    let sign_by = in_days(3);
    post(&app, "property", &format!("{path}/sign-off"), json!({ "sign_by": sign_by }))
        .await
        .expect(StatusCode::FORBIDDEN);
    let s = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": sign_by })).await;
    let s = s.expect(StatusCode::OK).body;
    assert_eq!((s["status"].as_str(), s["signing_version"].as_i64()), (Some("signing"), Some(2)));
    let seats: Vec<(&str, Option<&str>)> = s["signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["seat"].as_str().unwrap(), s["party_kind"].as_str()))
        .collect();
    assert_eq!(seats.len(), 3, "{seats:?}");
    assert!(seats.contains(&("chair", None)));
    assert!(
        seats.contains(&("party", Some("property_company"))) && seats.contains(&("party", Some("owners_committee")))
    );
    assert!(s["signatures"].as_array().unwrap().iter().all(|s| s["answer"] == "pending" && s["version"] == 2));
    assert_eq!(seat(&s, "chair", None)["person"]["name"], "李书记");
    for login in ["property", "committee"] {
        assert_eq!(told(&app, login, "minutes_to_sign", id).await.len(), 1, "{login}");
    }
    let digest = s["digest"].as_str().unwrap().to_owned();
    assert_eq!(digest, sha256(s["text"].as_str().unwrap()));

    // Approved by the property manager, approved with a dissent by the committee, then the chair.
    let p = get(&app, "property", &path).await.expect(StatusCode::OK).body;
    assert_eq!(p["can"]["sign"], true);
    assert_eq!(seat(&p, "party", Some("property_company"))["mine"], true);
    let p = sign(&app, "property", id, &digest, "approve", None).await.expect(StatusCode::OK).body;
    assert_eq!(p["can"]["sign"], false);
    let signed = seat(&p, "party", Some("property_company"));
    assert_eq!((signed["answer"].as_str(), signed["digest"].as_str()), (Some("approved"), Some(digest.as_str())));
    assert_eq!(signed["person"]["name"], "赵经理");
    let to_sign = told(&app, "property", "minutes_to_sign", id).await.remove(0);
    assert!(!to_sign["read_at"].is_null(), "signing settles the request: {to_sign}");
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_unsigned");
    let dissent = "第二项费用分担应另行协商，不同意列入督办。";
    sign(&app, "committee", id, &digest, "dissent", Some(dissent)).await.expect(StatusCode::OK);
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_unsigned", "the chair has not signed");
    let all = sign(&app, "secretary", id, &digest, "approve", None).await.expect(StatusCode::OK).body;
    assert_eq!(all["can"]["publish"], true);
    let c = seat(&all, "party", Some("owners_committee"));
    assert_eq!((c["answer"].as_str(), c["opinion"].as_str()), (Some("dissent"), Some(dissent)));
    let signed_on_chain = trail(&app, id).await.into_iter().filter(|e| e["action"] == "minutes.signed").count();
    assert_eq!(signed_on_chain, 3);

    // Published to the compound's residents, with the read count.
    post(&app, "property", &format!("{path}/publish"), json!({})).await.expect(StatusCode::FORBIDDEN);
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({ "publicity_days": 31 }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["publicity_days"].is_string(), "{}", res.body);
    get(&app, "owner001", &path).await.expect(StatusCode::NOT_FOUND);
    let published = post(&app, "secretary", &format!("{path}/publish"), json!({ "publicity_days": 10 }))
        .await
        .expect(StatusCode::OK);
    let published = published.body;
    assert_eq!(published["status"], "published");
    assert!(published["publicity_until"].is_string() && published["published_at"].is_string());
    let recipients = published["reads"]["recipients"].as_i64().unwrap();
    assert!(recipients > 3, "the compound's residents, not only those who came: {}", published["reads"]);
    assert_eq!(published["reads"]["read"], 0);
    let notice = told(&app, "owner001", "minutes_published", id).await.pop().expect("owner001 is told");
    assert_eq!(notice["link"], format!("/meetings/{id}/minutes"));
    assert!(told(&app, "property2", "minutes_published", id).await.is_empty(), "another compound's");
    let t = app.token("owner001").await;
    app.post(&format!("/api/v1/me/inbox/{}/read", notice["id"]), Some(&t), json!({}))
        .await
        .expect(StatusCode::NO_CONTENT);
    let read = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!(read["reads"], json!({ "recipients": recipients, "read": 1 }));
    // Now every resident reads them, and the compound lists them.
    let seen = get(&app, "owner001", &path).await.expect(StatusCode::OK).body;
    assert_eq!((seen["text"].as_str(), seen["can"]["add_addendum"].as_bool()), (Some(proposed.as_str()), Some(false)));
    let tyc = app.compound_id(TYC).await;
    let list = get(&app, "owner001", &format!("/api/v1/compounds/{tyc}/minutes")).await.expect(StatusCode::OK).body;
    let listed = list.as_array().unwrap().iter().find(|l| l["meeting_id"] == id).expect("listed");
    assert_eq!((listed["meeting_title"].as_str(), listed["addenda"].as_i64()), (Some(TITLE), Some(0)));

    // Final: edits are refused and nothing changes; addenda follow, each chained on the one before.
    let res = put(&app, "secretary", &path, json!({ "version": 2, "text": "改写" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_published");
    let same = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!((same["version"].as_i64(), same["text"].as_str()), (Some(2), Some(proposed.as_str())));
    post(&app, "property", &format!("{path}/addenda"), json!({ "text": "冒名补充" }))
        .await
        .expect(StatusCode::FORBIDDEN);
    let first = "补充说明：周末加派一次自12月起执行。";
    let a = post(&app, "secretary", &format!("{path}/addenda"), json!({ "text": first })).await;
    let a = a.expect(StatusCode::CREATED).body;
    assert_eq!(a["addenda"][0]["digest"], sha256(&format!("{digest}\n{first}")));
    let second = "补充说明：督办由张社工负责。";
    let b = post(&app, "secretary", &format!("{path}/addenda"), json!({ "text": second })).await;
    let b = b.expect(StatusCode::CREATED).body;
    let chained = sha256(&format!("{}\n{second}", a["addenda"][0]["digest"].as_str().unwrap()));
    assert_eq!(b["addenda"][1]["digest"], chained);
    assert_eq!(b["digest"], digest, "the signed text itself is untouched");
    let list = get(&app, "owner001", &format!("/api/v1/compounds/{tyc}/minutes")).await.expect(StatusCode::OK).body;
    assert_eq!(list.as_array().unwrap().iter().find(|l| l["meeting_id"] == id).unwrap()["addenda"], 2);
}

#[tokio::test]
async fn a_seat_is_signed_only_by_whoever_may_answer_for_it_once_and_a_dissent_or_return_needs_its_opinion() {
    let app = spawn_demo().await;
    // 陈委员 came too: either of the committee's two present may answer for its seat.
    let (id, _) = drafted(&app, &["member"]).await;
    let path = minutes(id);
    let s = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": in_days(3) })).await;
    let s = s.expect(StatusCode::OK).body;
    assert_eq!(s["signatures"].as_array().unwrap().len(), 3, "one seat for the committee however many came");
    let digest = s["digest"].as_str().unwrap().to_owned();
    let before = s["signatures"].clone();
    // 张社工 keeps the record with the office but did not come: no seat to sign for.
    let res = sign(&app, "staff", id, &digest, "approve", None).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    // Someone of the compound who did not come does not even see the draft; another compound's, nothing.
    sign(&app, "owner001", id, &digest, "approve", None).await.expect(StatusCode::NOT_FOUND);
    sign(&app, "property2", id, &digest, "approve", None).await.expect(StatusCode::NOT_FOUND);
    // A dissent or a return says why.
    for answer in ["dissent", "return"] {
        let res = sign(&app, "property", id, &digest, answer, None).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"]["opinion"].is_string(), "{}", res.body);
        let res =
            sign(&app, "property", id, &digest, answer, Some("  ")).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"]["opinion"].is_string(), "{}", res.body);
    }
    let res = sign(&app, "property", id, &"0".repeat(64), "approve", None).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_changed");
    assert_eq!(get(&app, "secretary", &path).await.expect(StatusCode::OK).body["signatures"], before, "nothing stored");
    assert!(!trail(&app, id).await.iter().any(|e| e["action"] == "minutes.signed"));
    // The member answers for the committee; its chair then has nothing left to sign.
    let m = sign(&app, "member", id, &digest, "approve", None).await.expect(StatusCode::OK).body;
    assert_eq!(seat(&m, "party", Some("owners_committee"))["person"]["name"], "陈委员");
    let res = sign(&app, "committee", id, &digest, "approve", None).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_already_signed");
    let res = sign(&app, "member", id, &digest, "dissent", Some("改主意")).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_already_signed");
    let now = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!(seat(&now, "party", Some("owners_committee"))["answer"], "approved");
    // Not everyone has signed: not yet published.
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_unsigned");
    let now = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!((now["status"].as_str(), now["published_at"].is_null()), (Some("signing"), true));
    assert!(told(&app, "owner001", "minutes_published", id).await.is_empty());
}

#[tokio::test]
async fn editing_under_sign_off_restarts_it_on_the_new_version_and_the_old_signatures_stay_readable() {
    let app = spawn_demo().await;
    let (id, v) = drafted(&app, &[]).await;
    let path = minutes(id);
    // Straight from the draft to sign-off: circulating is not required.
    let s = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": in_days(3) })).await;
    let s = s.expect(StatusCode::OK).body;
    let d1 = s["digest"].as_str().unwrap().to_owned();
    sign(&app, "property", id, &d1, "approve", None).await.expect(StatusCode::OK);
    let returned = "第二项议题未记录会上讨论情况。";
    sign(&app, "committee", id, &d1, "return", Some(returned)).await.expect(StatusCode::OK);
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_returned");

    // The recorder changes the text: version 2, and every seat is asked again.
    let text = format!("{}\n\n补记：第二项议题因时间关系未及讨论，留待下次会议。", v["text"].as_str().unwrap());
    put(&app, "property", &path, json!({ "version": 1, "text": text })).await.expect(StatusCode::FORBIDDEN);
    let e = put(&app, "secretary", &path, json!({ "version": 1, "text": text })).await.expect(StatusCode::OK).body;
    let d2 = sha256(&text);
    assert_eq!((e["version"].as_i64(), e["signing_version"].as_i64()), (Some(2), Some(2)));
    assert_eq!((e["status"].as_str(), e["digest"].as_str()), (Some("signing"), Some(d2.as_str())));
    let sigs = e["signatures"].as_array().unwrap();
    assert_eq!(sigs.len(), 3);
    assert!(sigs.iter().all(|s| s["version"] == 2 && s["answer"] == "pending"), "{sigs:?}");
    assert_eq!(e["versions"][0]["signed"], 1, "one approval of version 1; the return is no signature");
    assert_eq!(e["versions"][1]["signed"], 0);
    assert!(trail(&app, id).await.iter().any(|e| e["action"] == "minutes.sign_off_restarted"));

    // An edit made on the version before is refused, and stores nothing.
    let res = put(&app, "secretary", &path, json!({ "version": 1, "text": "另一版本" })).await;
    assert_eq!(res.expect(StatusCode::CONFLICT).code(), "minutes_changed");
    let now = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!((now["version"].as_i64(), now["text"].as_str()), (Some(2), Some(text.as_str())));
    assert_eq!(now["versions"].as_array().unwrap().len(), 2);

    // Version 1 stays readable with the answers given on it.
    let old = get(&app, "property", &format!("{path}/versions/1")).await.expect(StatusCode::OK).body;
    assert_eq!((old["text"].as_str(), old["digest"].as_str()), (v["text"].as_str(), Some(d1.as_str())));
    let p = seat(&old, "party", Some("property_company"));
    assert_eq!((p["answer"].as_str(), p["digest"].as_str()), (Some("approved"), Some(d1.as_str())));
    assert_eq!(p["mine"], false, "an old version is not signed any more");
    let c = seat(&old, "party", Some("owners_committee"));
    assert_eq!((c["answer"].as_str(), c["opinion"].as_str()), (Some("returned"), Some(returned)));
    let new = get(&app, "property", &format!("{path}/versions/2")).await.expect(StatusCode::OK).body;
    assert_eq!(new["digest"], d2);
    assert_eq!(seat(&new, "party", Some("property_company"))["mine"], true);
    get(&app, "property", &format!("{path}/versions/3")).await.expect(StatusCode::NOT_FOUND);

    // Approving the text read before the change is refused: the digest is version 1's.
    let res = sign(&app, "property", id, &d1, "approve", None).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_changed");
    let now = get(&app, "property", &path).await.expect(StatusCode::OK).body;
    assert_eq!(seat(&now, "party", Some("property_company"))["answer"], "pending");
    let ok = sign(&app, "property", id, &d2, "approve", None).await.expect(StatusCode::OK).body;
    assert_eq!(seat(&ok, "party", Some("property_company"))["digest"], d2);
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_unsigned");
}

#[tokio::test]
async fn corrections_come_from_those_who_attended_within_the_period_and_one_whose_lines_changed_is_refused() {
    let app = spawn_demo().await;
    let (id, v) = drafted(&app, &[]).await;
    let path = minutes(id);
    let base = v["text"].as_str().unwrap().to_owned();
    let propose = |login: &'static str, line: &'static str| {
        let app = app.clone();
        let (path, text) = (path.clone(), base.replace(OUTCOME_LINE, line));
        async move {
            let body = json!({ "version": 1, "text": text, "reason": "与会上所说不符" });
            post(&app, login, &format!("{path}/corrections"), body).await
        }
    };
    // Not before the draft is circulated.
    let res = propose("property", "- 结论：达成一致。每日清运两次。").await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_corrections_closed");
    // The period is in the future and within 30 days.
    for until in [in_days(-1), in_days(31)] {
        let res = post(&app, "secretary", &format!("{path}/circulate"), json!({ "until": until })).await;
        assert!(res.expect(StatusCode::UNPROCESSABLE_ENTITY).body["error"]["fields"]["until"].is_string());
    }
    post(&app, "secretary", &format!("{path}/circulate"), json!({ "until": in_days(2) })).await.expect(StatusCode::OK);
    // Only those who attended propose: the office's staff who did not come is refused, an owner
    // of the compound does not see the draft.
    propose("staff", "- 结论：达成一致。每日清运两次。").await.expect(StatusCode::FORBIDDEN);
    propose("owner001", "- 结论：达成一致。每日清运两次。").await.expect(StatusCode::NOT_FOUND);
    propose("property2", "- 结论：达成一致。每日清运两次。").await.expect(StatusCode::NOT_FOUND);
    let same = json!({ "version": 1, "text": base, "reason": "无" });
    let res = post(&app, "property", &format!("{path}/corrections"), same).await;
    assert!(res.expect(StatusCode::UNPROCESSABLE_ENTITY).body["error"]["fields"]["text"].is_string());
    let none = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!(none["corrections"], json!([]), "nothing stored");

    // Two corrections of the same line.
    let first = propose("property", "- 结论：达成一致。每日清运两次。").await.expect(StatusCode::CREATED).body;
    let second = propose("committee", "- 结论：达成一致。社区每周督办一次。").await.expect(StatusCode::CREATED).body;
    let (c1, c2) = (first["corrections"][0]["id"].as_i64().unwrap(), second["corrections"][1]["id"].as_i64().unwrap());
    // Sign-off waits for every correction to be answered.
    let res = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": in_days(3) })).await;
    assert_eq!(res.expect(StatusCode::CONFLICT).code(), "minutes_corrections_open");
    assert_eq!(get(&app, "secretary", &path).await.body["status"], "correcting");

    let answer = |c: i64, accept: bool| {
        let app = app.clone();
        let path = path.clone();
        async move {
            let body = json!({ "accept": accept, "reason": "经核对录音" });
            post(&app, "secretary", &format!("{path}/corrections/{c}/answer"), body).await
        }
    };
    let res =
        post(&app, "secretary", &format!("{path}/corrections/{c1}/answer"), json!({ "accept": true, "reason": "" }))
            .await;
    assert!(res.expect(StatusCode::UNPROCESSABLE_ENTITY).body["error"]["fields"]["reason"].is_string());
    let v2 = answer(c1, true).await.expect(StatusCode::OK).body;
    assert_eq!(v2["version"], 2);
    assert!(v2["text"].as_str().unwrap().contains("- 结论：达成一致。每日清运两次。"));
    let res = answer(c1, false).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_correction_answered");
    // The committee's correction replaced a line that is gone now: it is stale and cannot be accepted.
    assert_eq!(v2["corrections"][1]["stale"], true);
    let res = answer(c2, true).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_correction_stale");
    let kept = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!((kept["corrections"][1]["status"].as_str(), kept["version"].as_i64()), (Some("proposed"), Some(2)));
    assert_eq!(kept["text"], v2["text"], "nothing stored");
    assert!(kept["corrections"][1]["answered_at"].is_null());
    let declined = answer(c2, false).await.expect(StatusCode::OK).body;
    assert_eq!(declined["corrections"][1]["status"], "declined");
    assert_eq!(declined["corrections"][1]["answer"], "经核对录音");
    assert_eq!(declined["version"], 2);

    // Once the period has passed, corrections are closed.
    use chrono::{Duration, Utc};
    set_column(
        &app,
        "UPDATE minutes SET corrections_until = $1 WHERE meeting_id = $2",
        Utc::now() - Duration::hours(1),
        id,
    )
    .await;
    let res = propose("property", "- 结论：达成一致。每日清运三次。").await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_corrections_closed");
    assert_eq!(get(&app, "property", &path).await.body["can"]["correct"], false);
    // And under sign-off, too.
    post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": in_days(3) })).await.expect(StatusCode::OK);
    let res = propose("committee", "- 结论：达成一致。每日清运三次。").await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_corrections_closed");
    let last = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!(last["corrections"].as_array().unwrap().len(), 2, "nothing stored");
}

#[tokio::test]
async fn people_of_another_compound_or_who_did_not_attend_learn_nothing_of_the_draft_and_change_nothing() {
    let app = spawn_demo().await;
    let (id, correction) = under_sign_off(&app).await;
    let path = minutes(id);
    let before = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    let digest = before["digest"].as_str().unwrap().to_owned();
    let events = trail(&app, id).await.len();
    let writes = [
        (Method::POST, path.clone(), json!({})),
        (Method::PUT, path.clone(), json!({ "version": 1, "text": "冒名纪要" })),
        (Method::POST, format!("{path}/circulate"), json!({ "until": in_days(2) })),
        (Method::POST, format!("{path}/corrections"), json!({ "version": 1, "text": "冒名", "reason": "冒名" })),
        (Method::POST, format!("{path}/corrections/{correction}/answer"), json!({ "accept": true, "reason": "冒名" })),
        (Method::POST, format!("{path}/sign-off"), json!({ "sign_by": in_days(2) })),
        (Method::POST, format!("{path}/signatures"), json!({ "digest": digest, "answer": "approve" })),
        (Method::POST, format!("{path}/publish"), json!({})),
        (Method::POST, format!("{path}/addenda"), json!({ "text": "冒名补充" })),
    ];
    for login in ["property2", "committee2", "owner001", "owner002", "member"] {
        let t = app.token(login).await;
        for read in [path.clone(), format!("{path}/versions/1")] {
            let res = app.get(&read, &t).await;
            assert_eq!((res.status, res.code()), (StatusCode::NOT_FOUND, "not_found"), "GET {read} as {login}");
        }
        for (method, p, body) in &writes {
            let res = app.send(method.clone(), p, Some(&t), body.clone()).await;
            // Drafting asks first whether the caller keeps the record of a meeting they may see.
            let outside = !matches!(login, "property2" | "committee2");
            let expected = if outside && p == &path && *method == Method::POST {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(res.status, expected, "{method} {p} as {login}: {}", res.body);
        }
    }
    let tyc = app.compound_id(TYC).await;
    get(&app, "property2", &format!("/api/v1/compounds/{tyc}/minutes")).await.expect(StatusCode::NOT_FOUND);
    let list = get(&app, "owner001", &format!("/api/v1/compounds/{tyc}/minutes")).await.expect(StatusCode::OK).body;
    assert!(!list.as_array().unwrap().iter().any(|l| l["meeting_id"] == id), "not published yet");
    assert_eq!(get(&app, "secretary", &path).await.expect(StatusCode::OK).body, before, "nothing changed");
    assert_eq!(trail(&app, id).await.len(), events);
}

#[tokio::test]
async fn a_mediations_minutes_are_read_only_by_its_sides_and_the_community_office() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let sides = [user_id(&app, "owner001").await, user_id(&app, "property").await];
    let starts = (chrono::Utc::now() + chrono::Duration::minutes(10)).to_rfc3339();
    let body = json!({ "kind": "mediation", "title": "楼上漏水调解", "compound_ids": [tyc], "starts_at": starts,
        "duration_minutes": 60, "place": "社区调解室", "invitee_ids": sides,
        "items": [{ "title": "漏水损失赔偿", "minutes": 30 }] });
    let m = under_way(&app, "secretary", body, &["secretary", "owner001", "property"]).await;
    let id = m["id"].as_i64().unwrap();
    post(&app, "secretary", &format!("/api/v1/meetings/{id}/close"), json!({})).await.expect(StatusCode::OK);
    let path = minutes(id);
    let v = post(&app, "secretary", &path, json!({})).await.expect(StatusCode::CREATED).body;
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("- 会议类型：调解会") && text.contains("## 调解事项") && text.contains("当事双方："),
        "{text}"
    );
    let s = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": in_days(3) })).await;
    let s = s.expect(StatusCode::OK).body;
    let seats: Vec<&str> = s["signatures"].as_array().unwrap().iter().map(|s| s["seat"].as_str().unwrap()).collect();
    assert_eq!(seats, ["chair", "side", "side"]);
    let digest = s["digest"].as_str().unwrap().to_owned();
    for who in ["owner001", "property", "secretary"] {
        sign(&app, who, id, &digest, "approve", None).await.expect(StatusCode::OK);
    }
    let published = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::OK).body;
    assert_eq!(published["status"], "published");
    assert_eq!(published["reads"]["recipients"], 3, "the two sides and the office's staff");
    // Published, they are still the sides' and the office's only: a third party gets 404.
    for login in ["owner001", "property", "staff"] {
        get(&app, login, &path).await.expect(StatusCode::OK);
    }
    for login in ["committee", "member", "owner002", "property2"] {
        let res = get(&app, login, &path).await.expect(StatusCode::NOT_FOUND);
        assert_eq!(res.code(), "not_found");
        get(&app, login, &format!("{path}/versions/1")).await.expect(StatusCode::NOT_FOUND);
        post(&app, login, &format!("{path}/addenda"), json!({ "text": "冒名" })).await.expect(StatusCode::NOT_FOUND);
        assert!(told(&app, login, "minutes_published", id).await.is_empty(), "{login}");
    }
    assert_eq!(told(&app, "owner001", "minutes_published", id).await.len(), 1);
    // Never in the compound's list, whoever asks.
    for login in ["secretary", "owner001", "committee"] {
        let list = get(&app, login, &format!("/api/v1/compounds/{tyc}/minutes")).await.expect(StatusCode::OK).body;
        assert!(!list.as_array().unwrap().iter().any(|l| l["meeting_id"] == id), "{login}: {list}");
    }
}

#[tokio::test]
async fn an_addendum_waits_for_publication_and_sign_off_for_a_deadline_within_thirty_days() {
    let app = spawn_demo().await;
    let (id, _) = drafted(&app, &[]).await;
    let path = minutes(id);
    let res = post(&app, "secretary", &format!("{path}/addenda"), json!({ "text": "补充" })).await;
    assert_eq!(res.expect(StatusCode::CONFLICT).code(), "minutes_not_published");
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_not_signing");
    for sign_by in [in_days(-1), in_days(31)] {
        let res = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": sign_by })).await;
        assert!(res.expect(StatusCode::UNPROCESSABLE_ENTITY).body["error"]["fields"]["sign_by"].is_string());
    }
    let res = sign(&app, "property", id, &"0".repeat(64), "approve", None).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_not_signing");
    let v = get(&app, "secretary", &path).await.expect(StatusCode::OK).body;
    assert_eq!((v["status"].as_str(), v["addenda"].as_array().map(Vec::len)), (Some("drafting"), Some(0)));
    assert!(v["signatures"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn after_the_sign_off_deadline_the_minutes_are_published_with_who_did_not_sign() {
    let app = spawn_demo().await;
    let (id, _) = drafted(&app, &[]).await;
    let path = minutes(id);
    let s = post(&app, "secretary", &format!("{path}/sign-off"), json!({ "sign_by": in_days(3) })).await;
    let digest = s.expect(StatusCode::OK).body["digest"].as_str().unwrap().to_owned();
    sign(&app, "secretary", id, &digest, "approve", None).await.expect(StatusCode::OK);
    sign(&app, "committee", id, &digest, "return", Some("未记录费用分担")).await.expect(StatusCode::OK);
    let res = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "minutes_returned");
    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    set_column(&app, "UPDATE minutes SET sign_by = $1 WHERE meeting_id = $2", past, id).await;
    let p = post(&app, "secretary", &format!("{path}/publish"), json!({})).await.expect(StatusCode::OK).body;
    assert_eq!(p["status"], "published");
    assert_eq!(seat(&p, "party", Some("property_company"))["did_not_sign"], true);
    assert_eq!(seat(&p, "party", Some("owners_committee"))["did_not_sign"], true);
    assert_eq!(seat(&p, "chair", None)["did_not_sign"], false);
    let published = trail(&app, id).await.into_iter().find(|e| e["action"] == "minutes.published").unwrap();
    assert!(published["text"].as_str().unwrap().contains(&digest), "{published}");
}
