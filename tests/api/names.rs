//! Names: no text hides or reorders characters, an owner's display name cannot hold an official
//! title, and a party member's name is badged official from their memberships.
use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn user_id(app: &TestApp, login: &str) -> i64 {
    let token = app.token(login).await;
    app.get("/api/v1/me", &token).await.expect(StatusCode::OK).body["user"]["id"].as_i64().unwrap()
}

async fn invitation(app: &TestApp) -> String {
    let tyc = app.compound_id(TYC).await;
    let hid = app.unlinked_holders(tyc).await.remove(0)["id"].as_i64().unwrap();
    app.confirmed_invitation(hid).await
}

#[tokio::test]
async fn an_owner_cannot_register_as_li_shuji_or_any_official_title() {
    let app = spawn_demo().await;
    let code = invitation(&app).await;
    for name in ["李书记", "物业客服", "业委会 王主任", "Secretary Li", "ａｄｍｉｎ"] {
        let body = json!({ "code": code, "display_name": name, "phone": "13700001234", "password": "my-own-password" });
        let res = app.post("/api/v1/auth/register", None, body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            res.body["error"]["fields"]["display_name"],
            sanfang::accounts::names::TITLE_MESSAGE.english().as_str(),
            "{name}"
        );
    }
    let body =
        json!({ "code": code, "display_name": "李\u{200D}明", "phone": "13700001234", "password": "my-own-password" });
    let res = app.post("/api/v1/auth/register", None, body).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["fields"]["display_name"], sanfang::text::HIDDEN_MESSAGE.english().as_str());
    // The invitation is still unused: an ordinary name takes it.
    let body = json!({ "code": code, "display_name": "李明", "phone": "13700001234", "password": "my-own-password" });
    app.post("/api/v1/auth/register", None, body).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn only_a_party_members_name_may_be_changed_to_an_official_title() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let (owner, secretary) = (user_id(&app, "owner001").await, user_id(&app, "secretary").await);
    let res = app.patch(&format!("/api/v1/users/{owner}"), &admin, json!({ "display_name": "李书记" })).await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["display_name"].is_string(), "{}", res.body);
    let res = app.patch(&format!("/api/v1/users/{secretary}"), &admin, json!({ "display_name": "李书记" })).await;
    assert_eq!(res.expect(StatusCode::OK).body["display_name"], "李书记");
    // An administrator creating a party account names it as the office asks.
    let body = json!({ "username": "wang-zhuren", "display_name": "王主任", "password": DEMO_PASSWORD });
    app.post("/api/v1/users", Some(&admin), body).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn an_owners_comment_is_not_official_and_the_secretarys_is() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let agenda = crate::agendas::open(&app, &committee, tyc, "小区停车").await.expect(StatusCode::CREATED);
    let agenda_id = agenda.id();
    assert_eq!(agenda.body["opened_by_person"]["official"], true, "{}", agenda.body);
    assert_eq!(agenda.body["opened_by_person"]["party_kind"], "owners_committee");
    let path = format!("/api/v1/agendas/{agenda_id}/comments");
    let (owner, secretary) = (app.token("owner001").await, app.token("secretary").await);
    let mine = app.post(&path, Some(&owner), json!({ "body": "我是业主" })).await.expect(StatusCode::CREATED);
    assert_eq!((&mine.body["official"], &mine.body["official_kind"]), (&json!(false), &json!(null)));
    let theirs = app.post(&path, Some(&secretary), json!({ "body": "社区回复" })).await.expect(StatusCode::CREATED);
    assert_eq!((&theirs.body["official"], &theirs.body["official_kind"]), (&json!(true), &json!("community_office")));
    let list = app.get(&path, &owner).await.expect(StatusCode::OK).body;
    let official: Vec<_> = list.as_array().unwrap().iter().map(|c| c["official"].clone()).collect();
    assert_eq!(official, [json!(false), json!(true)]);
}

#[tokio::test]
async fn a_concern_timeline_badges_the_party_not_the_owner() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let raised = crate::concerns::raise(&app, &owner, tyc, "hygiene", "北门外垃圾无人清理").await;
    let id = raised.expect(StatusCode::CREATED).id();
    let secretary = app.token("secretary").await;
    let c = app.get(&format!("/api/v1/concerns/{id}"), &secretary).await.expect(StatusCode::OK).body;
    assert_eq!(c["raised_by_person"]["official"], false, "{c}");
    assert_eq!(c["raised_by_person"]["party_kind"], json!(null));
    let raised = &c["timeline"][0]["actor_person"];
    assert_eq!(raised["official"], false, "{c}");
    let list = app.get(&format!("/api/v1/compounds/{tyc}/concerns"), &secretary).await.expect(StatusCode::OK).body;
    assert!(list["items"].as_array().unwrap().iter().all(|i| i["raised_by_person"]["official"].is_boolean()), "{list}");
}

#[tokio::test]
async fn a_roster_cell_or_a_file_name_with_a_hidden_character_is_refused_naming_it() {
    let app = spawn_demo().await;
    let secretary = app.token("secretary").await;
    let bmx = app.compound_id(BMX).await;
    let before = app.compound_summary(bmx).await;
    let sheet =
        format!("{}\n1号楼,101,50.00,registered,业主\u{202E}甲,,H001\n", crate::bad_input::sheets::ROSTER_HEADER);
    let res = app.upload(&format!("/api/v1/compounds/{bmx}/roster"), &secretary, sheet.into_bytes(), "text/csv").await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let rows = &res.body["error"]["rows"];
    assert_eq!((rows[0]["line"].as_u64(), rows[0]["field"].as_str()), (Some(2), Some("holder_name")), "{}", res.body);
    assert!(rows[0]["message"].as_str().unwrap().contains("invisible or direction-changing"), "{}", res.body);
    assert_eq!(app.compound_summary(bmx).await, before);

    let name = "invoice\u{202E}fdp.exe";
    let path = format!("/api/v1/compounds/{bmx}/files?name={}", urlencode(name));
    let res = app.upload(&path, &secretary, b"%PDF-1.4 x".to_vec(), "application/pdf").await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["fields"]["name"], sanfang::text::HIDDEN_MESSAGE.english().as_str(), "{}", res.body);
}

/// Percent-encode a query value.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'.' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}
