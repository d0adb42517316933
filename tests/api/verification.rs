use axum::http::StatusCode;
use sanfang::entities::invitation;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::*;

async fn invite(app: &TestApp, login: &str, holder: i64) -> Res {
    let token = app.token(login).await;
    app.post(&format!("/api/v1/holders/{holder}/invitations"), Some(&token), json!({})).await
}

async fn me(app: &TestApp, login: &str) -> Value {
    let token = app.token(login).await;
    app.get("/api/v1/me", &token).await.expect(StatusCode::OK).body
}

fn roles(me: &Value) -> Vec<(String, Option<i64>)> {
    me["memberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["role"].as_str().unwrap().to_owned(), m["compound_id"].as_i64()))
        .collect()
}

/// The id of the newest invitation for a holder.
async fn res_id(app: &TestApp, holder: i64) -> i64 {
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    invitation::Entity::find()
        .filter(invitation::Column::HolderId.eq(holder))
        .order_by_desc(invitation::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn invitations(app: &TestApp) -> u64 {
    invitation::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn an_invited_account_redeems_its_code_and_becomes_the_holders_owner() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let holder = app.unlinked_holders(tyc).await.remove(0);
    let hid = holder["id"].as_i64().unwrap();

    let res = invite(&app, "member", hid).await.expect(StatusCode::CREATED);
    let code = res.body["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 9);
    assert_eq!(&code[4..5], "-");
    assert_eq!(res.body["holder_id"], hid);
    assert_eq!(res.body["holder_key"], holder["holder_key"]);
    assert_eq!(res.body["compound_name"], TYC);
    assert_eq!(res.body["confirmed"], false);

    app.create_user("newowner").await;
    let token = app.token("newowner").await;
    // Not before a second person of another party confirms it.
    let res = app
        .post("/api/v1/invitations/redeem", Some(&token), json!({ "code": code }))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "invitation_unconfirmed");
    let secretary = app.token("secretary").await;
    app.post(&format!("/api/v1/invitations/{}/confirm", res_id(&app, hid).await), Some(&secretary), json!({}))
        .await
        .expect(StatusCode::OK);
    let res =
        app.post("/api/v1/invitations/redeem", Some(&token), json!({ "code": code })).await.expect(StatusCode::OK);
    assert_eq!(res.body["holder_id"], hid);
    assert_eq!(res.body["compound_id"], tyc);
    assert_eq!(res.body["compound_name"], TYC);
    assert_eq!(res.body["units"].as_array().unwrap().len() as i64, holder["units"].as_i64().unwrap());
    assert_eq!(res.body["total_area"], holder["area"]);

    let me = me(&app, "newowner").await;
    assert_eq!(me["holdings"].as_array().unwrap().len(), 1);
    assert_eq!(me["holdings"][0]["holder_id"], hid);
    assert_eq!(roles(&me), [("owner".to_owned(), Some(tyc))]);
    // The new owner now sees their compound.
    app.get(&format!("/api/v1/compounds/{tyc}"), &token).await.expect(StatusCode::OK);

    let linked = app.holders(tyc).await.into_iter().find(|h| h["id"] == hid).unwrap();
    assert_eq!(linked["linked_users"][0]["username"], "newowner");
}

#[tokio::test]
async fn a_used_code_cannot_be_redeemed_again() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let hid = app.unlinked_holders(tyc).await[0]["id"].as_i64().unwrap();
    let code = app.confirmed_invitation(hid).await;
    app.create_user("first").await;
    app.create_user("second").await;
    let first = app.token("first").await;
    app.post("/api/v1/invitations/redeem", Some(&first), json!({ "code": code })).await.expect(StatusCode::OK);

    let second = app.token("second").await;
    let res = app
        .post("/api/v1/invitations/redeem", Some(&second), json!({ "code": code }))
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "invitation_used");
    let me = me(&app, "second").await;
    assert_eq!(me["holdings"], json!([]));
    assert_eq!(me["memberships"], json!([]));
}

#[tokio::test]
async fn a_wrong_code_answers_422_on_the_code_field() {
    let app = spawn_demo().await;
    app.create_user("guesser").await;
    let token = app.token("guesser").await;
    let res = app
        .post("/api/v1/invitations/redeem", Some(&token), json!({ "code": "ZZZZ-ZZZZ" }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "validation_failed");
    assert!(res.body["error"]["fields"]["code"].is_string());
    assert_eq!(me(&app, "guesser").await["holdings"], json!([]));
}

#[tokio::test]
async fn guessing_codes_is_rate_limited_per_account() {
    let app = spawn_demo().await;
    app.create_user("guesser").await;
    let token = app.token("guesser").await;
    for _ in 0..5 {
        app.post("/api/v1/invitations/redeem", Some(&token), json!({ "code": "ZZZZ-ZZZZ" }))
            .await
            .expect(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = app
        .post("/api/v1/invitations/redeem", Some(&token), json!({ "code": "ZZZZ-ZZZZ" }))
        .await
        .expect(StatusCode::TOO_MANY_REQUESTS);
    assert!(res.header("retry-after").is_some());
}

#[tokio::test]
async fn staff_link_an_account_by_its_login_and_twice_is_a_conflict() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let hid = app.unlinked_holders(tyc).await[0]["id"].as_i64().unwrap();
    app.create_user("walkin").await;
    let staff = app.token("staff").await;
    let path = format!("/api/v1/holders/{hid}/links");

    let asked = app.post(&path, Some(&staff), json!({ "login": "walkin" })).await.expect(StatusCode::ACCEPTED);
    assert_eq!(asked.body["kind"], "link");
    assert_eq!(asked.body["holder_id"], hid);
    assert_eq!(asked.body["account_name"], "walkin");
    assert_eq!(asked.body["requested_party"], "community_office");
    assert_eq!(asked.body["can_confirm"], false);
    assert_eq!(asked.body["refusal"], "own_request");
    // Nothing is linked until the owners' committee confirms.
    assert_eq!(me(&app, "walkin").await["holdings"], json!([]));
    let res = app.post(&path, Some(&staff), json!({ "login": "walkin" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "link_pending");
    let member = app.token("member").await;
    let res = app
        .post(&format!("/api/v1/link-requests/{}/confirm", asked.id()), Some(&member), json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(res.body["id"], hid);
    let linked: Vec<&str> =
        res.body["linked_users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    assert_eq!(linked, ["walkin"]);
    assert_eq!(roles(&me(&app, "walkin").await), [("owner".to_owned(), Some(tyc))]);

    let res = app.post(&path, Some(&staff), json!({ "login": "walkin" })).await.expect(StatusCode::CONFLICT);
    assert_eq!(res.code(), "already_linked");
    let res = app
        .post(&path, Some(&staff), json!({ "login": "nobody-at-all" }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["login"].is_string());
    let holder = app.holders(tyc).await.into_iter().find(|h| h["id"] == hid).unwrap();
    assert_eq!(holder["linked_users"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unlinking_the_last_holding_in_a_compound_takes_the_owner_role_away() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let free = app.unlinked_holders(tyc).await;
    let (a, b) = (free[0]["id"].as_i64().unwrap(), free[1]["id"].as_i64().unwrap());
    let user = app.create_user("twohomes").await;
    let secretary = app.token("secretary").await;
    for h in [a, b] {
        app.link_owner(h, "twohomes").await;
    }
    assert_eq!(me(&app, "twohomes").await["holdings"].as_array().unwrap().len(), 2);

    app.delete(&format!("/api/v1/holders/{a}/links/{user}"), &secretary).await.expect(StatusCode::NO_CONTENT);
    let now = me(&app, "twohomes").await;
    assert_eq!(now["holdings"].as_array().unwrap().len(), 1);
    assert_eq!(roles(&now), [("owner".to_owned(), Some(tyc))], "still holds a unit here");

    app.delete(&format!("/api/v1/holders/{b}/links/{user}"), &secretary).await.expect(StatusCode::NO_CONTENT);
    let now = me(&app, "twohomes").await;
    assert_eq!(now["holdings"], json!([]));
    assert_eq!(now["memberships"], json!([]));
    let token = app.token("twohomes").await;
    app.get(&format!("/api/v1/compounds/{tyc}"), &token).await.expect(StatusCode::NOT_FOUND);

    let res = app.delete(&format!("/api/v1/holders/{b}/links/{user}"), &secretary).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
}

#[tokio::test]
async fn the_property_manager_cannot_print_invitations() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let hid = app.unlinked_holders(tyc).await[0]["id"].as_i64().unwrap();
    let before = invitations(&app).await;
    let res = invite(&app, "property", hid).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    let property = app.token("property").await;
    let res = app
        .post(&format!("/api/v1/holders/{hid}/links"), Some(&property), json!({ "login": "property" }))
        .await
        .expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "forbidden");
    assert_eq!(invitations(&app).await, before);
    assert_eq!(me(&app, "property").await["holdings"], json!([]));
}

#[tokio::test]
async fn the_committee_of_another_compound_does_not_see_this_compounds_holders() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let hid = app.unlinked_holders(tyc).await[0]["id"].as_i64().unwrap();
    let before = invitations(&app).await;
    let res = invite(&app, "committee2", hid).await.expect(StatusCode::NOT_FOUND);
    assert_eq!(res.code(), "not_found");
    let committee2 = app.token("committee2").await;
    app.post(&format!("/api/v1/holders/{hid}/links"), Some(&committee2), json!({ "login": "committee2" }))
        .await
        .expect(StatusCode::NOT_FOUND);
    assert_eq!(invitations(&app).await, before);
    assert_eq!(me(&app, "committee2").await["holdings"], json!([]));
}
