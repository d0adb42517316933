//! Concerns: raised from a phone, routed by duty, answered, resolved, confirmed and rated; photos
//! seen only by those who may see the concern; escalation; overdue flags; the dashboard.
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use sanfang::entities::concern;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, prelude::Expr};
use serde_json::{Value, json};

use crate::helpers::*;

/// The id of one of the demo community's concern categories.
pub async fn category(app: &TestApp, key: &str) -> i64 {
    let community = app.community_id().await;
    let secretary = app.token("secretary").await;
    let res = app
        .get(&format!("/api/v1/communities/{community}/concern-categories"), &secretary)
        .await
        .expect(StatusCode::OK);
    res.body.as_array().unwrap().iter().find(|c| c["key"] == key).unwrap()["id"].as_i64().unwrap()
}

/// Raise a concern; returns the response.
pub async fn raise(app: &TestApp, token: &str, compound: i64, key: &str, text: &str) -> Res {
    let category = category(app, key).await;
    app.post(
        &format!("/api/v1/compounds/{compound}/concerns"),
        Some(token),
        json!({ "category_id": category, "text": text, "location": "北门外" }),
    )
    .await
}

async fn step(app: &TestApp, token: &str, id: i64, what: &str, body: Value) -> Res {
    app.post(&format!("/api/v1/concerns/{id}/{what}"), Some(token), body).await
}

/// Kinds of the notices in a user's inbox.
async fn inbox_kinds(app: &TestApp, login: &str) -> Vec<String> {
    let token = app.token(login).await;
    let res = app.get("/api/v1/me/inbox", &token).await.expect(StatusCode::OK);
    res.body.as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_owned()).collect()
}

/// A JPEG whose Exif segment carries a GPS position.
pub fn jpeg_with_location() -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x07];
    j.extend_from_slice(b"JFIF\0");
    j.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x0C]);
    j.extend_from_slice(b"Exif\0\0GPS!");
    j.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x01, 0x01, 0x11, 0x00]);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
    j
}

#[tokio::test]
async fn a_concern_goes_to_the_party_its_category_names_and_that_party_is_told() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let c = raise(&app, &owner, tyc, "hygiene", "北门外垃圾无人清理").await.expect(StatusCode::CREATED);
    assert_eq!(c.body["status"], "submitted");
    assert_eq!(c.body["assigned_kind"], Value::Null);
    assert!(inbox_kinds(&app, "secretary").await.contains(&"concern_raised".to_owned()));
    let routed = step(&app, &secretary, c.id(), "route", json!({})).await.expect(StatusCode::OK);
    assert_eq!(routed.body["status"], "routed");
    assert_eq!(routed.body["assigned_kind"], "property_company");
    assert_eq!(routed.body["assigned_party_name"], "太阳城二期物业服务中心");
    assert!(inbox_kinds(&app, "property").await.contains(&"concern_routed".to_owned()));
    assert!(!inbox_kinds(&app, "committee").await.contains(&"concern_routed".to_owned()));

    // Pets go to the owners' committee by default; the secretary may name another party.
    let pets = raise(&app, &owner, tyc, "pets", "楼道里有狗粪").await.expect(StatusCode::CREATED);
    let routed = step(&app, &secretary, pets.id(), "route", json!({})).await.expect(StatusCode::OK);
    assert_eq!(routed.body["assigned_kind"], "owners_committee");
    assert!(inbox_kinds(&app, "member").await.contains(&"concern_routed".to_owned()));
    let rerouted = step(&app, &secretary, pets.id(), "route", json!({ "party_kind": "community_office" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(rerouted.body["assigned_kind"], "community_office");
}

#[tokio::test]
async fn every_step_from_raising_to_rating_is_on_the_timeline_and_the_audit_chain() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let property = app.token("property").await;
    let id = raise(&app, &owner, tyc, "repairs", "2单元电梯停运").await.expect(StatusCode::CREATED).id();
    step(&app, &secretary, id, "route", json!({ "note": "请物业尽快处理" })).await.expect(StatusCode::OK);
    step(&app, &property, id, "acknowledge", json!({})).await.expect(StatusCode::OK);
    let replied =
        step(&app, &property, id, "replies", json!({ "text": "维保单位明早到场" })).await.expect(StatusCode::OK);
    assert_eq!(replied.body["status"], "acknowledged");
    assert!(inbox_kinds(&app, "owner001").await.contains(&"concern_replied".to_owned()));
    step(&app, &property, id, "resolve", json!({ "note": "已更换控制板" })).await.expect(StatusCode::OK);
    assert!(inbox_kinds(&app, "owner001").await.contains(&"concern_resolved".to_owned()));

    // Not satisfied: reopened, and the property company is told.
    step(&app, &owner, id, "reopen", json!({ "reason": "今天又停了" })).await.expect(StatusCode::OK);
    assert!(inbox_kinds(&app, "property").await.contains(&"concern_reopened".to_owned()));
    step(&app, &property, id, "acknowledge", json!({})).await.expect(StatusCode::OK);
    step(&app, &property, id, "resolve", json!({})).await.expect(StatusCode::OK);
    let rated =
        step(&app, &owner, id, "rating", json!({ "rating": 4, "comment": "处理及时" })).await.expect(StatusCode::OK);
    assert_eq!(rated.body["rating"], 4);
    let done = step(&app, &owner, id, "confirm", json!({})).await.expect(StatusCode::OK);
    assert_eq!(done.body["status"], "confirmed");
    assert_eq!(done.body["overdue"], false);

    let steps: Vec<&str> =
        done.body["timeline"].as_array().unwrap().iter().map(|e| e["step"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        [
            "raised",
            "routed",
            "acknowledged",
            "replied",
            "resolved",
            "reopened",
            "acknowledged",
            "resolved",
            "rated",
            "confirmed"
        ]
    );
    let timeline = done.body["timeline"].as_array().unwrap();
    assert_eq!(timeline[1]["actor_name"], "李书记");
    assert_eq!(timeline[1]["actor_kind"], "community_office");
    assert_eq!(timeline[1]["party_kind"], "property_company");
    assert_eq!(timeline[3]["actor_kind"], "property_company");
    assert_eq!(timeline[3]["note"], "维保单位明早到场");
    assert_eq!(timeline[8]["rating"], 4);

    let admin = app.token("admin").await;
    let audit = app.get(&format!("/api/v1/audit?compound_id={tyc}&limit=50"), &admin).await.expect(StatusCode::OK);
    let mine: Vec<&Value> =
        audit.body.as_array().unwrap().iter().filter(|e| e["subject"] == format!("concern:{id}")).collect();
    let actions: Vec<&str> = mine.iter().rev().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "concern.raised",
            "concern.routed",
            "concern.acknowledged",
            "concern.replied",
            "concern.resolved",
            "concern.reopened",
            "concern.acknowledged",
            "concern.resolved",
            "concern.rated",
            "concern.confirmed"
        ]
    );
    assert!(mine.iter().all(|e| e["actor"].is_string()), "{mine:?}");
}

#[tokio::test]
async fn steps_are_refused_to_the_wrong_party_other_compounds_and_anyone_but_the_raiser() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let property = app.token("property").await;
    let committee = app.token("committee").await;
    let id = raise(&app, &owner, tyc, "hygiene", "垃圾").await.expect(StatusCode::CREATED).id();

    // Before routing there is nothing to acknowledge.
    let res = step(&app, &property, id, "acknowledge", json!({})).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "concern_not_routed");
    // Only the community office routes.
    step(&app, &owner, id, "route", json!({})).await.expect(StatusCode::FORBIDDEN);
    step(&app, &property, id, "route", json!({})).await.expect(StatusCode::FORBIDDEN);
    step(&app, &secretary, id, "route", json!({})).await.expect(StatusCode::OK);

    // The owners' committee is not the party it was routed to.
    step(&app, &committee, id, "acknowledge", json!({})).await.expect(StatusCode::FORBIDDEN);
    step(&app, &committee, id, "resolve", json!({})).await.expect(StatusCode::FORBIDDEN);
    step(&app, &committee, id, "replies", json!({ "text": "我们来办" })).await.expect(StatusCode::FORBIDDEN);
    // Other compounds' people, and other owners of the same compound, do not learn it exists.
    let shs = app.compound_id(SHS).await;
    let outsider = app.owner_of(shs).await;
    for login in ["property2", "committee2", outsider.as_str(), "owner002"] {
        let t = app.token(login).await;
        app.get(&format!("/api/v1/concerns/{id}"), &t).await.expect(StatusCode::NOT_FOUND);
        step(&app, &t, id, "acknowledge", json!({})).await.expect(StatusCode::NOT_FOUND);
        step(&app, &t, id, "rating", json!({ "rating": 1 })).await.expect(StatusCode::NOT_FOUND);
    }
    let other = app.token("owner002").await;
    let listed = app.get(&format!("/api/v1/compounds/{tyc}/concerns"), &other).await.expect(StatusCode::OK);
    assert!(listed.body["items"].as_array().unwrap().iter().all(|c| c["id"] != id));
    let p2 = app.token("property2").await;
    app.get(&format!("/api/v1/compounds/{tyc}/concerns"), &p2).await.expect(StatusCode::NOT_FOUND);

    // Only the raiser confirms, reopens and rates, and only once it is resolved.
    let res = step(&app, &owner, id, "rating", json!({ "rating": 5 })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "concern_not_resolved");
    step(&app, &property, id, "acknowledge", json!({})).await.expect(StatusCode::OK);
    step(&app, &property, id, "acknowledge", json!({})).await.expect(StatusCode::CONFLICT);
    step(&app, &property, id, "resolve", json!({})).await.expect(StatusCode::OK);
    step(&app, &property, id, "confirm", json!({})).await.expect(StatusCode::FORBIDDEN);
    step(&app, &secretary, id, "rating", json!({ "rating": 5 })).await.expect(StatusCode::FORBIDDEN);
    step(&app, &property, id, "reopen", json!({ "reason": "x" })).await.expect(StatusCode::FORBIDDEN);
    for bad in [0, 6, -1] {
        let res =
            step(&app, &owner, id, "rating", json!({ "rating": bad })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body["error"]["fields"]["rating"].is_string(), "{}", res.body);
    }
    let res = step(&app, &owner, id, "reopen", json!({ "reason": " " })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["reason"].is_string());
    step(&app, &owner, id, "rating", json!({ "rating": 5 })).await.expect(StatusCode::OK);
    let res = step(&app, &owner, id, "rating", json!({ "rating": 1 })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_rated");
    step(&app, &owner, id, "confirm", json!({})).await.expect(StatusCode::OK);
    let res = step(&app, &property, id, "replies", json!({ "text": "再补充" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "concern_settled");
    let stored = concern::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap();
    assert_eq!((stored.status.as_str(), stored.rating), ("confirmed", Some(5)));
}

#[tokio::test]
async fn photos_are_stripped_of_location_and_shown_only_to_those_who_may_see_the_concern() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let id = raise(&app, &owner, tyc, "hygiene", "垃圾堆").await.expect(StatusCode::CREATED).id();
    let up = app
        .upload(&format!("/api/v1/concerns/{id}/photos?name=north.jpg"), &owner, jpeg_with_location(), "image/jpeg")
        .await
        .expect(StatusCode::CREATED);
    let file = up.id();
    assert_eq!(up.body["content_type"], "image/jpeg");
    let path = format!("/api/v1/concerns/{id}/photos/{file}");
    for login in ["owner001", "property", "committee", "secretary", "staff"] {
        let t = app.token(login).await;
        let res = app.get(&path, &t).await.expect(StatusCode::OK);
        assert!(!res.bytes.windows(4).any(|w| w == b"Exif"), "the location is gone");
        assert!(res.bytes.ends_with(&[0x11, 0x22, 0xFF, 0xD9]));
    }
    let shs = app.compound_id(SHS).await;
    let outsider = app.owner_of(shs).await;
    for login in ["owner002", "property2", outsider.as_str()] {
        let t = app.token(login).await;
        app.get(&path, &t).await.expect(StatusCode::NOT_FOUND);
    }
    // Property staff cannot fetch it by file id either: concern photos are no vote attachments.
    let property = app.token("property").await;
    app.get(&format!("/api/v1/files/{file}"), &property).await.expect(StatusCode::NOT_FOUND);
    // Someone else's concern: no photos from them; only the raiser adds photos.
    app.upload(&format!("/api/v1/concerns/{id}/photos?name=x.jpg"), &property, jpeg_with_location(), "image/jpeg")
        .await
        .expect(StatusCode::FORBIDDEN);
    let res = app
        .upload(&format!("/api/v1/concerns/{id}/photos?name=x.pdf"), &owner, b"%PDF-1.4".to_vec(), "application/pdf")
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["file"].is_string());
    for _ in 1..6 {
        app.upload(&format!("/api/v1/concerns/{id}/photos?name=more.jpg"), &owner, jpeg_with_location(), "image/jpeg")
            .await
            .expect(StatusCode::CREATED);
    }
    let res = app
        .upload(&format!("/api/v1/concerns/{id}/photos?name=7.jpg"), &owner, jpeg_with_location(), "image/jpeg")
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "too_many_photos");
    let seen = app.get(&format!("/api/v1/concerns/{id}"), &owner).await.expect(StatusCode::OK);
    assert_eq!(seen.body["photos"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn the_secretary_whistles_in_a_department_and_records_its_response() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let property = app.token("property").await;
    let id = raise(&app, &owner, tyc, "safety", "北门外私搭乱建").await.expect(StatusCode::CREATED).id();
    let body = json!({ "department": "城管执法队", "request": "拆除违建" });
    step(&app, &property, id, "escalations", body.clone()).await.expect(StatusCode::FORBIDDEN);
    let res = step(&app, &secretary, id, "escalations", json!({ "department": "", "request": "x" }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["department"].is_string());
    let c = step(&app, &secretary, id, "escalations", body).await.expect(StatusCode::OK);
    let e = c.body["escalations"][0]["id"].as_i64().unwrap();
    assert_eq!(c.body["escalations"][0]["department"], "城管执法队");
    let path = format!("escalations/{e}/response");
    step(&app, &property, id, &path, json!({ "response": "已拆除" })).await.expect(StatusCode::FORBIDDEN);
    let c = step(&app, &secretary, id, &path, json!({ "response": "三日内拆除完毕" })).await.expect(StatusCode::OK);
    assert_eq!(c.body["escalations"][0]["response"], "三日内拆除完毕");
    assert_eq!(c.body["escalations"][0]["responded_by_name"], "李书记");
    let res = step(&app, &secretary, id, &path, json!({ "response": "again" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_responded");
    let steps: Vec<&str> = c.body["timeline"].as_array().unwrap().iter().map(|e| e["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["raised", "escalated", "department_responded"]);
    assert_eq!(c.body["timeline"][1]["department"], "城管执法队");
}

#[tokio::test]
async fn lists_filter_flag_overdue_and_show_owners_only_their_own() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let a = raise(&app, &owner, tyc, "hygiene", "甲").await.expect(StatusCode::CREATED).id();
    let b = raise(&app, &owner, tyc, "noise", "乙").await.expect(StatusCode::CREATED).id();
    let other = app.token("owner002").await;
    let c = raise(&app, &other, tyc, "hygiene", "丙").await.expect(StatusCode::CREATED).id();
    step(&app, &secretary, a, "route", json!({})).await.expect(StatusCode::OK);
    // `a` fell due an hour ago.
    concern::Entity::update_many()
        .col_expr(concern::Column::DueAt, Expr::value(Utc::now() - Duration::hours(1)))
        .filter(concern::Column::Id.eq(a))
        .exec(&app.db)
        .await
        .unwrap();
    let list = |token: String, q: String| {
        let app = app.clone();
        async move {
            let res = app.get(&format!("/api/v1/compounds/{tyc}/concerns{q}"), &token).await.expect(StatusCode::OK);
            res.body["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>()
        }
    };
    let all = list(secretary.clone(), "?per_page=50".to_owned()).await;
    assert!([a, b, c].iter().all(|id| all.contains(id)));
    assert_eq!(list(owner.clone(), "".to_owned()).await, [b, a], "owners see their own, newest first");
    assert_eq!(list(secretary.clone(), "?overdue=true".to_owned()).await, [a]);
    // Routed: this one, and the demo's breach report of the covenant, routed when it was made.
    let routed_ids = list(secretary.clone(), "?status=routed".to_owned()).await;
    assert_eq!(routed_ids.len(), 2, "{routed_ids:?}");
    assert_eq!(routed_ids[0], a);
    let property = list(secretary.clone(), "?party_kind=property_company".to_owned()).await;
    assert!(property.contains(&a) && !property.contains(&b) && !property.contains(&c));
    let noise = category(&app, "noise").await;
    let by_cat = list(secretary.clone(), format!("?category_id={noise}")).await;
    assert!(by_cat.contains(&b) && !by_cat.contains(&a) && !by_cat.contains(&c));
    let page = app
        .get(&format!("/api/v1/compounds/{tyc}/concerns?per_page=1&page=2"), &secretary)
        .await
        .expect(StatusCode::OK);
    assert_eq!(page.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["per_page"], 1);
    assert!(page.body["total"].as_u64().unwrap() >= 3);
    let flagged = app.get(&format!("/api/v1/compounds/{tyc}/concerns?overdue=true"), &secretary).await;
    assert_eq!(flagged.body["items"][0]["overdue"], true);
    app.get(&format!("/api/v1/compounds/{tyc}/concerns?per_page=1000"), &secretary)
        .await
        .expect(StatusCode::OK)
        .body["per_page"]
        .as_u64()
        .filter(|n| *n == 50)
        .expect("at most 50 a page");
    let bad = app.get(&format!("/api/v1/compounds/{tyc}/concerns?status=lost"), &secretary).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_secretary_edits_categories_and_sees_the_dashboard() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let community = app.community_id().await;
    let secretary = app.token("secretary").await;
    let hygiene = category(&app, "hygiene").await;
    let path = format!("/api/v1/communities/{community}/concern-categories/{hygiene}");
    for login in ["property", "committee", "owner001", "property2", "staff"] {
        let t = app.token(login).await;
        app.patch(&path, &t, json!({ "time_limit_hours": 1 })).await.expect(StatusCode::FORBIDDEN);
    }
    let res =
        app.patch(&path, &secretary, json!({ "time_limit_hours": 0 })).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["time_limit_hours"].is_string());
    let changed = app
        .patch(&path, &secretary, json!({ "default_party_kind": "community_office", "time_limit_hours": 12 }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed.body["default_party_kind"], "community_office");
    let added = app
        .post(
            &format!("/api/v1/communities/{community}/concern-categories"),
            Some(&secretary),
            json!({ "key": "greenery", "name_zh": "绿化", "name_en": "Greenery", "default_party_kind": "property_company",
                    "time_limit_hours": 48 }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(added.body["position"], 9);
    let again = app
        .post(
            &format!("/api/v1/communities/{community}/concern-categories"),
            Some(&secretary),
            json!({ "key": "greenery", "name_zh": "绿化", "name_en": "Greenery", "default_party_kind": "property_company",
                    "time_limit_hours": 48 }),
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(again.code(), "category_exists");

    let owner = app.token("owner001").await;
    let c = raise(&app, &owner, tyc, "hygiene", "垃圾").await.expect(StatusCode::CREATED);
    let due = chrono::DateTime::parse_from_rfc3339(c.body["due_at"].as_str().unwrap()).unwrap();
    let made = chrono::DateTime::parse_from_rfc3339(c.body["created_at"].as_str().unwrap()).unwrap();
    assert_eq!(due - made, Duration::hours(12));
    let routed = step(&app, &secretary, c.id(), "route", json!({})).await.expect(StatusCode::OK);
    assert_eq!(routed.body["assigned_kind"], "community_office");

    let dash = format!("/api/v1/communities/{community}/concern-dashboard");
    for login in ["property", "committee", "owner001"] {
        let t = app.token(login).await;
        app.get(&dash, &t).await.expect(StatusCode::FORBIDDEN);
    }
    let d = app.get(&dash, &secretary).await.expect(StatusCode::OK).body;
    // The demo's garbage concern and its breach report of the covenant (both the property
    // company's), a new noise one (not routed), and this one.
    let by_party = |k: Value| {
        d["open_by_party"].as_array().unwrap().iter().find(|p| p["party_kind"] == k).map(|p| p["count"].clone())
    };
    assert_eq!(by_party(json!("community_office")), Some(json!(1)));
    assert_eq!(by_party(json!("property_company")), Some(json!(2)));
    assert_eq!(by_party(Value::Null), Some(json!(1)));
    assert_eq!(d["open"], 4);
    let hygiene_open =
        d["open_by_category"].as_array().unwrap().iter().find(|c| c["category"]["key"] == "hygiene").unwrap();
    assert_eq!(hygiene_open["count"], 2);
    // The demo's lift repair was rated 4 for the property company.
    let sat = d["satisfaction"].as_array().unwrap();
    assert!(sat.iter().any(|s| s["party_kind"] == "property_company" && s["sum"] == 4 && s["ratings"] == 1), "{sat:?}");
    let shs = app.compound_id(SHS).await;
    let d = app.get(&format!("{dash}?compound_id={shs}"), &secretary).await.expect(StatusCode::OK).body;
    assert_eq!(d["open"], 0);
}

/// Concern `id` as `token`'s holder reads it, asking for `language`.
async fn concern_in(app: &TestApp, token: &str, id: i64, language: &str) -> Value {
    let auth = format!("Bearer {token}");
    let headers = [("authorization", auth.as_str()), ("accept-language", language)];
    let res =
        app.request_with(axum::http::Method::GET, &format!("/api/v1/concerns/{id}"), &headers, String::new()).await;
    res.expect(StatusCode::OK).body
}

fn timeline_texts(concern: &Value) -> Vec<String> {
    concern["timeline"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_timeline_is_told_in_the_saved_language_before_the_asked_one() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let c = raise(&app, &owner, tyc, "hygiene", "北门外垃圾无人清理").await.expect(StatusCode::CREATED);
    let raiser = c.body["raised_by_name"].as_str().unwrap().to_owned();
    step(&app, &secretary, c.id(), "route", json!({ "note": "请尽快清运" })).await.expect(StatusCode::OK);

    // The owner saved no language: the one asked for.
    let zh = concern_in(&app, &owner, c.id(), "zh-CN").await;
    assert_eq!(timeline_texts(&zh), [format!("{raiser}提出了诉求"), "社区居委会将诉求转交物业公司".to_owned()]);
    assert_eq!(zh["timeline"][1]["note"], "请尽快清运", "the note stays beside the sentence, as written");
    let en = concern_in(&app, &owner, c.id(), "en").await;
    assert_eq!(
        timeline_texts(&en),
        [
            format!("{raiser} raised the concern"),
            "The community office routed the concern to the property company".into()
        ]
    );

    // The secretary saved English: it wins over the Chinese their browser asks for.
    app.send(axum::http::Method::PUT, "/api/v1/me/language", Some(&secretary), json!({ "language": "en" }))
        .await
        .expect(StatusCode::NO_CONTENT);
    let seen = concern_in(&app, &secretary, c.id(), "zh-CN,zh;q=0.9").await;
    assert_eq!(timeline_texts(&seen)[1], "The community office routed the concern to the property company");
    let answered = step(&app, &secretary, c.id(), "replies", json!({ "text": "已安排" })).await.expect(StatusCode::OK);
    assert_eq!(answered.body["timeline"][2]["text"], "The community office replied");
}

#[tokio::test]
async fn lists_sort_by_due_date_status_or_age_and_refuse_an_unknown_order() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let a = raise(&app, &owner, tyc, "hygiene", "甲").await.expect(StatusCode::CREATED).id();
    let b = raise(&app, &owner, tyc, "noise", "乙").await.expect(StatusCode::CREATED).id();
    let c = raise(&app, &owner, tyc, "hygiene", "丙").await.expect(StatusCode::CREATED).id();
    step(&app, &secretary, b, "route", json!({})).await.expect(StatusCode::OK);
    // `c` fell due first, then `a`, then `b`.
    for (id, hours) in [(c, 3), (a, 2), (b, 1)] {
        concern::Entity::update_many()
            .col_expr(concern::Column::DueAt, Expr::value(Utc::now() - Duration::hours(hours)))
            .filter(concern::Column::Id.eq(id))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let ids = |q: &'static str| {
        let app = app.clone();
        let token = secretary.clone();
        async move {
            let res = app
                .get(&format!("/api/v1/compounds/{tyc}/concerns?per_page=50{q}"), &token)
                .await
                .expect(StatusCode::OK);
            let ids: Vec<i64> =
                res.body["items"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
            ids.into_iter().filter(|id| [a, b, c].contains(id)).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids("").await, [c, b, a], "newest first by default");
    assert_eq!(ids("&sort=created_at").await, [a, b, c]);
    assert_eq!(ids("&sort=due_at").await, [c, a, b]);
    assert_eq!(ids("&sort=-due_at").await, [b, a, c]);
    assert_eq!(ids("&sort=-status").await, [c, a, b], "submitted after routed, ties by id the same way");
    assert_eq!(ids("&sort=due_at&status=submitted").await, [c, a], "filters kept");
    let updated = ids("&sort=-updated_at").await;
    assert_eq!(updated[0], b, "the routed one changed last");

    let bad = app.get(&format!("/api/v1/compounds/{tyc}/concerns?sort=rating"), &secretary).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.code(), "invalid_query");
    assert!(bad.body["error"]["message"].as_str().unwrap().contains("sort"), "{}", bad.body);
    let stranger = app.token("owner-bm01").await;
    let res = app.get(&format!("/api/v1/compounds/{tyc}/concerns?sort=due_at"), &stranger).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "another compound's list is not there for them: {}", res.body);
}
