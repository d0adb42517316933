//! No one person can gain the right to cast, answer or act for a holder: a staff link, an
//! invitation code, a proxy and a password recovery code each take a second person of another
//! party (of the community office, for recovery), neither of them the account that gains the
//! right; while a vote is open, what they confirm for a holder with accounts casts only after
//! those accounts were told and 24 hours passed.
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use sanfang::entities::{audit_event, owner_link};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

use crate::{
    helpers::*,
    votes::{at, cast, conflict, hid, linked, motion, open_vote},
};

async fn open_in_tyc(app: &TestApp) -> (i64, i64) {
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    (tyc, open_vote(app, &committee, tyc, motion("增设电梯", "covenant")).await)
}

async fn inbox(app: &TestApp, login: &str) -> Vec<Value> {
    let token = app.token(login).await;
    app.get("/api/v1/me/inbox", &token).await.expect(StatusCode::OK).body.as_array().unwrap().clone()
}

fn kinds(items: &[Value]) -> Vec<&str> {
    items.iter().map(|n| n["kind"].as_str().unwrap()).collect()
}

async fn actions(app: &TestApp, holder: i64) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("holder:{holder}")))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

fn about_a_day_from_now(t: &Value) {
    let t: DateTime<Utc> = t.as_str().unwrap_or_else(|| panic!("not a time: {t}")).parse().unwrap();
    let ahead = t - Utc::now();
    assert!(ahead > Duration::hours(23) && ahead <= Duration::hours(24), "{t}");
}

async fn redeem(app: &TestApp, token: &str, code: &str) -> Res {
    app.post("/api/v1/invitations/redeem", Some(token), json!({ "code": code })).await
}

async fn register(app: &TestApp, code: &str, phone: &str) -> Res {
    let body = json!({ "code": code, "display_name": "王小二", "phone": phone, "password": "my-own-password" });
    app.post("/api/v1/auth/register", None, body).await
}

/// An invitation code for `holder` printed by committee member `member`: its id and code.
async fn printed_code(app: &TestApp, member: &str, holder: i64) -> (i64, String) {
    let inv = app
        .post(&format!("/api/v1/holders/{holder}/invitations"), Some(member), json!({}))
        .await
        .expect(StatusCode::CREATED);
    (inv.id(), inv.body["code"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn an_insider_cannot_use_or_confirm_the_invitation_code_they_printed() {
    let app = spawn_demo().await;
    let (tyc, _) = open_in_tyc(&app).await;
    let (h, _) = linked(&app, tyc).await.remove(0);
    let member = app.token("member").await;
    // A committee member prints a code for an owner who already has an account…
    let (id, code) = printed_code(&app, &member, hid(&h)).await;
    // …and can use it neither on their own account nor on a new one until someone else confirms.
    conflict(&redeem(&app, &member, &code).await, "invitation_unconfirmed");
    conflict(&register(&app, &code, "13700009999").await, "invitation_unconfirmed");
    // Neither they nor a colleague of their own party may confirm it.
    let confirm = format!("/api/v1/invitations/{id}/confirm");
    let res = app.post(&confirm, Some(&member), json!({})).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "own_request");
    let committee = app.token("committee").await;
    let res = app.post(&confirm, Some(&committee), json!({})).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "same_party");
    let pending = app.get(&format!("/api/v1/compounds/{tyc}/confirmations"), &committee).await.expect(StatusCode::OK);
    let item = pending.body.as_array().unwrap().iter().find(|p| p["id"] == id).unwrap().clone();
    assert_eq!((item["kind"].as_str(), item["can_confirm"].as_bool()), (Some("invitation"), Some(false)));
    // The community office confirms; then neither of the two may take the code.
    let secretary = app.token("secretary").await;
    app.post(&confirm, Some(&secretary), json!({})).await.expect(StatusCode::OK);
    conflict(&app.post(&confirm, Some(&secretary), json!({})).await, "already_confirmed");
    for token in [&member, &secretary] {
        let res = redeem(&app, token, &code).await.expect(StatusCode::FORBIDDEN);
        assert_eq!(res.code(), "own_account");
    }
}

#[tokio::test]
async fn an_account_registered_with_a_confirmed_code_waits_while_a_vote_is_open_and_the_owner_votes_first() {
    let app = spawn_demo().await;
    let (tyc, vote) = open_in_tyc(&app).await;
    let (h, owner) = linked(&app, tyc).await.remove(0);
    let holder = hid(&h);
    let member = app.token("member").await;
    let (id, code) = printed_code(&app, &member, holder).await;
    let secretary = app.token("secretary").await;
    app.post(&format!("/api/v1/invitations/{id}/confirm"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    // A second account the insider registers with it gets the holder, but not this vote: the
    // owner is told and has 24 hours, and votes first.
    let res = register(&app, &code, "13700009999").await.expect(StatusCode::CREATED);
    let sock = res.body["access_token"].as_str().unwrap().to_owned();
    conflict(&cast(&app, &sock, vote, json!({ "choice": "agree" })).await, "not_eligible");
    let told = inbox(&app, &owner).await;
    assert!(kinds(&told).contains(&"holder_invitation"), "{told:?}");
    let linked_notice = told.iter().find(|n| n["kind"] == "holder_linked").expect("the owner is told of the link");
    assert!(linked_notice["body"].as_str().unwrap().contains("may vote for this home only from"), "{linked_notice}");
    let owner_token = app.token(&owner).await;
    cast(&app, &owner_token, vote, json!({ "choice": "oppose" })).await.expect(StatusCode::CREATED);
    let trail = actions(&app, holder).await;
    for a in ["owner.invitation_created", "owner.invitation_confirmed", "owner.linked"] {
        assert!(trail.iter().any(|t| t == a), "{a} missing from {trail:?}");
    }
    // The trail names the account that took the code as the one who acted.
    let sock_id = app.get("/api/v1/me", &sock).await.expect(StatusCode::OK).body["user"]["id"].as_i64();
    let linked = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("holder:{holder}")))
        .filter(audit_event::Column::Action.eq("owner.linked"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(linked.actor_id, sock_id);
}

#[tokio::test]
async fn a_staff_link_takes_a_second_party_and_waits_while_a_vote_is_open() {
    let app = spawn_demo().await;
    let (tyc, vote) = open_in_tyc(&app).await;
    let (h, owner) = linked(&app, tyc).await.remove(1);
    let holder = hid(&h);
    let relative = app.create_user("relative").await;
    let staff = app.token("staff").await;
    let asked = app
        .post(&format!("/api/v1/holders/{holder}/links"), Some(&staff), json!({ "login": "relative" }))
        .await
        .expect(StatusCode::ACCEPTED);
    let confirm = format!("/api/v1/link-requests/{}/confirm", asked.id());
    let secretary = app.token("secretary").await;
    let res = app.post(&confirm, Some(&secretary), json!({})).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "same_party");
    // The account itself has no say (it holds no role here yet).
    let own = app.token("relative").await;
    app.post(&confirm, Some(&own), json!({})).await.expect(StatusCode::NOT_FOUND);
    // Another compound's committee does not reach it.
    let committee2 = app.token("committee2").await;
    app.post(&confirm, Some(&committee2), json!({})).await.expect(StatusCode::NOT_FOUND);
    let member = app.token("member").await;
    app.post(&confirm, Some(&member), json!({})).await.expect(StatusCode::OK);
    let link =
        owner_link::Entity::find().filter(owner_link::Column::UserId.eq(relative)).one(&app.db).await.unwrap().unwrap();
    assert_eq!((link.verified_by.is_some(), link.confirmed_by.is_some()), (true, true));
    about_a_day_from_now(&json!(link.counts_from.unwrap()));
    conflict(&cast(&app, &own, vote, json!({ "choice": "agree" })).await, "not_eligible");
    assert!(kinds(&inbox(&app, &owner).await).contains(&"holder_linked"));
    app.pass_settling().await;
    cast(&app, &own, vote, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);

    // A home with no account at all is linked at once, by the two people.
    let free = hid(&app.unlinked_holders(tyc).await[0]);
    app.create_user("newcomer").await;
    app.link_owner(free, "newcomer").await;
    let newcomer = app.token("newcomer").await;
    cast(&app, &newcomer, vote, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
}

#[tokio::test]
async fn unlinking_the_owner_and_linking_someone_else_waits_as_well() {
    let app = spawn_demo().await;
    let (tyc, vote) = open_in_tyc(&app).await;
    let (h, owner) = linked(&app, tyc).await.remove(2);
    let holder = hid(&h);
    let owner_id = h["linked_users"][0]["id"].as_i64().unwrap();
    let secretary = app.token("secretary").await;
    app.delete(&format!("/api/v1/holders/{holder}/links/{owner_id}"), &secretary).await.expect(StatusCode::NO_CONTENT);
    assert!(kinds(&inbox(&app, &owner).await).contains(&"holder_unlinked"));
    app.create_user("taker").await;
    app.link_owner(holder, "taker").await;
    let taker = app.token("taker").await;
    conflict(&cast(&app, &taker, vote, json!({ "choice": "agree" })).await, "not_eligible");
    let trail = actions(&app, holder).await;
    assert!(trail.iter().any(|a| a == "owner.unlinked") && trail.iter().any(|a| a == "owner.link_requested"));
}

#[tokio::test]
async fn a_proxy_takes_a_second_party_and_waits_while_a_vote_is_open() {
    let app = spawn_demo().await;
    let (tyc, vote) = open_in_tyc(&app).await;
    let (h, owner) = linked(&app, tyc).await.remove(3);
    app.create_user("cousin").await;
    let secretary = app.token("secretary").await;
    let p = app
        .post(
            &format!("/api/v1/compounds/{tyc}/proxies"),
            Some(&secretary),
            json!({ "holder_id": hid(&h), "proxy_login": "cousin", "valid_from": at(-Duration::hours(1)),
                    "valid_until": at(Duration::days(30)) }),
        )
        .await
        .expect(StatusCode::CREATED);
    assert!(p.body["confirmed_at"].is_null());
    let cousin = app.token("cousin").await;
    cast(&app, &cousin, vote, json!({ "choice": "agree" })).await.expect(StatusCode::NOT_FOUND);
    let confirm = format!("/api/v1/proxies/{}/confirm", p.id());
    let staff = app.token("staff").await;
    let res = app.post(&confirm, Some(&staff), json!({})).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "same_party");
    let member2 = app.token("member2").await;
    app.post(&confirm, Some(&member2), json!({})).await.expect(StatusCode::NOT_FOUND);
    let member = app.token("member").await;
    let res = app.post(&confirm, Some(&member), json!({})).await.expect(StatusCode::OK);
    assert_eq!(res.body["confirmed_by_name"], "陈委员");
    about_a_day_from_now(&res.body["counts_from"]);
    cast(&app, &cousin, vote, json!({ "choice": "agree" })).await.expect(StatusCode::NOT_FOUND);
    let told = inbox(&app, &owner).await;
    assert!(kinds(&told).contains(&"holder_proxy"), "{told:?}");
    assert!(kinds(&inbox(&app, "cousin").await).contains(&"holder_proxy"));
    assert!(actions(&app, hid(&h)).await.iter().any(|a| a == "proxy.confirmed"));
    app.pass_settling().await;
    let res = cast(&app, &cousin, vote, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    assert_eq!(res.body["channel"], "proxy");
}

#[tokio::test]
async fn a_proxy_confirmed_before_the_vote_opened_votes_at_once_as_the_demos_does() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let secretary = app.token("secretary").await;
    let proxies = app.get(&format!("/api/v1/compounds/{tyc}/proxies"), &secretary).await.expect(StatusCode::OK);
    let seeded = proxies.body.as_array().unwrap().iter().find(|p| p["holder_key"] == "TYC0004").unwrap().clone();
    assert_eq!(
        seeded["proxy_name"],
        app.get("/api/v1/me", &app.token("owner005").await).await.body["user"]["display_name"]
    );
    assert_eq!(seeded["confirmed_by_name"], "李书记");
    let (counts, opened): (DateTime<Utc>, DateTime<Utc>) =
        (seeded["counts_from"].as_str().unwrap().parse().unwrap(), Utc::now() - Duration::days(2));
    assert!(counts < opened, "{seeded}");

    let (_, vote) = open_in_tyc(&app).await;
    let proxy = app.token("owner005").await;
    let v = app.get(&format!("/api/v1/votes/{vote}"), &proxy).await.expect(StatusCode::OK);
    let theirs = v.body["my"].as_array().unwrap().iter().find(|m| m["proxy_id"] == seeded["id"]).cloned();
    let theirs = theirs.expect("the proxy may vote for TYC0004");
    let res = cast(&app, &proxy, vote, json!({ "holder_id": theirs["holder_id"], "choice": "agree" })).await;
    assert_eq!(res.expect(StatusCode::CREATED).body["channel"], "proxy");
}

/// Ask to set `login`'s password to `a-new-long-password` with recovery code `code`.
async fn recover(app: &TestApp, code: &str, login: &str) -> Res {
    let body = json!({ "login": login, "recovery_code": code, "new_password": "a-new-long-password" });
    app.post("/api/v1/auth/recover", None, body).await
}

#[tokio::test]
async fn one_clerk_alone_can_neither_issue_nor_confirm_a_recovery_code() {
    let app = spawn_demo().await;
    let (tyc, _) = open_in_tyc(&app).await;
    let owners = linked(&app, tyc).await;
    let (h, login) = &owners[0];
    let user = h["linked_users"][0]["id"].as_i64().unwrap();
    let issue = format!("/api/v1/users/{user}/recovery-codes");
    // Only the community office issues codes.
    let committee = app.token("committee").await;
    app.post(&issue, Some(&committee), json!({})).await.expect(StatusCode::FORBIDDEN);
    let secretary = app.token("secretary").await;
    let issued = app.post(&issue, Some(&secretary), json!({})).await.expect(StatusCode::CREATED);
    let code = issued.body["code"].as_str().unwrap().to_owned();
    // Unconfirmed, the code opens nothing, and its issuer cannot confirm it.
    conflict(&recover(&app, &code, login).await, "recovery_unconfirmed");
    let confirm = format!("/api/v1/recovery-codes/{}/confirm", issued.id());
    let res = app.post(&confirm, Some(&secretary), json!({})).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "own_request");
    app.post(&confirm, Some(&committee), json!({})).await.expect(StatusCode::FORBIDDEN);
    let community = app.community_id().await;
    let staff = app.token("staff").await;
    let pending =
        app.get(&format!("/api/v1/communities/{community}/recovery-codes"), &staff).await.expect(StatusCode::OK);
    assert_eq!(pending.body[0]["can_confirm"], true);
    assert!(pending.body[0]["code"].is_null(), "the code is shown once, to its issuer");
    app.post(&confirm, Some(&staff), json!({})).await.expect(StatusCode::OK);
}

#[tokio::test]
async fn a_confirmed_recovery_code_resets_its_own_accounts_password_once_and_ends_every_session() {
    let app = spawn_demo().await;
    let (tyc, vote) = open_in_tyc(&app).await;
    let owners = linked(&app, tyc).await;
    let (h, login) = &owners[0];
    let user = h["linked_users"][0]["id"].as_i64().unwrap();
    let before = app.sign_in(login, DEMO_PASSWORD).await;
    let secretary = app.token("secretary").await;
    let issue = format!("/api/v1/users/{user}/recovery-codes");
    let issued = app.post(&issue, Some(&secretary), json!({})).await.expect(StatusCode::CREATED);
    let code = issued.body["code"].as_str().unwrap().to_owned();
    let staff = app.token("staff").await;
    let confirm = format!("/api/v1/recovery-codes/{}/confirm", issued.id());
    app.post(&confirm, Some(&staff), json!({})).await.expect(StatusCode::OK);

    // It belongs to one account only.
    let res = recover(&app, &code, &owners[1].1).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["recovery_code"].is_string());
    recover(&app, &code, login).await.expect(StatusCode::NO_CONTENT);
    conflict(&recover(&app, &code, login).await, "recovery_spent");
    // Every earlier sign-in has ended; the old password is gone.
    app.get("/api/v1/me", &before.access).await.expect(StatusCode::UNAUTHORIZED);
    app.refresh(&before.refresh).await.expect(StatusCode::UNAUTHORIZED);
    app.login(login, DEMO_PASSWORD).await.expect(StatusCode::UNAUTHORIZED);
    let after = app.token_with(login, "a-new-long-password").await;
    // A vote is open: the recovered account votes for its home only after 24 hours.
    conflict(&cast(&app, &after, vote, json!({ "choice": "agree" })).await, "not_eligible");
    let told = app.get("/api/v1/me/inbox", &after).await.expect(StatusCode::OK);
    assert!(kinds(told.body.as_array().unwrap()).contains(&"account_recovered"));
    let trail: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("user:{user}")))
        .order_by_asc(audit_event::Column::Seq)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| a.starts_with("account."))
        .collect();
    assert_eq!(trail, ["account.recovery_issued", "account.recovery_confirmed", "account.recovered"]);
}

#[tokio::test]
async fn a_clerk_who_shares_the_home_takes_no_part_in_its_recovery() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let (h, _) = linked(&app, tyc).await.remove(0);
    let user = h["linked_users"][0]["id"].as_i64().unwrap();
    // 张社工 of the community office lives there too.
    app.link_owner(hid(&h), "staff").await;
    let staff = app.token("staff").await;
    let issue = format!("/api/v1/users/{user}/recovery-codes");
    let res = app.post(&issue, Some(&staff), json!({})).await.expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "linked_to_holder");
    let secretary = app.token("secretary").await;
    let issued = app.post(&issue, Some(&secretary), json!({})).await.expect(StatusCode::CREATED);
    let res = app
        .post(&format!("/api/v1/recovery-codes/{}/confirm", issued.id()), Some(&staff), json!({}))
        .await
        .expect(StatusCode::FORBIDDEN);
    assert_eq!(res.code(), "linked_to_holder");
    // An office of another community does not reach the account at all.
    let other = app.create_user("outsider").await;
    let res = app.post(&format!("/api/v1/users/{other}/recovery-codes"), Some(&secretary), json!({})).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND, "{}", res.body);
}
