//! Notices that keep in step: one that asks for something is read once its reader has done it,
//! and whoever raised a concern is told, in their language, each step someone else takes on it.
use axum::http::StatusCode;
use chrono::Duration;
use serde_json::{Value, json};

use crate::{
    agendas::open as open_agenda,
    concerns::raise,
    helpers::*,
    notices::{find, inbox_in},
    questionnaires::{create, survey},
    votes::*,
};

/// The inbox of the holder of `token`, in Chinese.
async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    inbox_in(app, token, "zh-CN").await
}

/// How many notices of an inbox are unread: the tab bar's badge.
fn unread(inbox: &[Value]) -> usize {
    inbox.iter().filter(|n| n["read_at"].is_null()).count()
}

/// Whether the notice of `kind` leading to `link` is read in the inbox of `token`.
async fn is_read(app: &TestApp, token: &str, kind: &str, link: &str) -> bool {
    find(&inbox(app, token).await, kind, link)["read_at"].is_string()
}

/// A questionnaire of the committee of 太阳城二期, published; answers its id.
async fn published_survey(app: &TestApp, body: Value) -> i64 {
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = create(app, &committee, tyc, body).await.expect(StatusCode::CREATED).id();
    app.post(&format!("/api/v1/questionnaires/{id}/publish"), Some(&committee), json!({})).await.expect(StatusCode::OK);
    id
}

fn an_answer() -> Value {
    json!({ "answers": [{ "choices": [0] }, {}, { "rating": 4 }, {}] })
}

#[tokio::test]
async fn answering_a_questionnaire_reads_its_notice_for_the_one_who_answered() {
    let app = spawn_demo().await;
    let id = published_survey(&app, survey()).await;
    let link = format!("/questionnaires/{id}");
    let (owner, neighbour) = (app.token("owner001").await, app.token("owner002").await);
    let before = inbox(&app, &owner).await;
    assert!(find(&before, "questionnaire", &link)["read_at"].is_null());

    app.post(&format!("/api/v1/questionnaires/{id}/answers"), Some(&owner), an_answer())
        .await
        .expect(StatusCode::CREATED);
    let after = inbox(&app, &owner).await;
    assert!(find(&after, "questionnaire", &link)["read_at"].is_string(), "read once answered");
    assert_eq!(unread(&after), unread(&before) - 1, "the badge drops by one");
    // A neighbour who has not answered still has it to do.
    assert!(!is_read(&app, &neighbour, "questionnaire", &link).await);
}

#[tokio::test]
async fn an_anonymous_questionnaires_notice_is_read_as_of_when_it_was_sent() {
    let app = spawn_demo().await;
    let mut body = survey();
    body["anonymous"] = json!(true);
    let id = published_survey(&app, body).await;
    let link = format!("/questionnaires/{id}");
    let owner = app.token("owner001").await;
    app.post(&format!("/api/v1/questionnaires/{id}/answers"), Some(&owner), an_answer())
        .await
        .expect(StatusCode::CREATED);
    let n = find(&inbox(&app, &owner).await, "questionnaire", &link);
    // No time is kept of when an anonymous answer came in, not even here.
    assert_eq!(n["read_at"], n["created_at"]);
}

#[tokio::test]
async fn casting_a_ballot_reads_the_votes_notice_for_the_voter_and_the_proxy() {
    let app = spawn_demo().await;
    let rows = "1号楼,101,90,registered,张一,,H1\n1号楼,102,90,registered,李二,,H2\n1号楼,103,90,registered,王三,,H3\n";
    let e = electorate(&app, "河畔花园", "hp", rows).await;
    // H3 gives H2's account a written proxy.
    app.confirmed_proxy(
        e.compound,
        json!({ "holder_id": e.holder["H3"], "proxy_login": "hph2", "valid_from": at(-Duration::hours(1)),
                "valid_until": at(Duration::days(30)), "note": "书面委托书存居委会" }),
    )
    .await;
    app.pass_settling().await;
    let secretary = app.token("secretary").await;
    let id = open_vote(&app, &secretary, e.compound, motion("河畔花园管理规约", "covenant")).await;
    let link = format!("/votes/{id}");
    let before = inbox(&app, e.owner("H1")).await;
    assert!(find(&before, "vote_notice", &link)["read_at"].is_null());

    cast(&app, e.owner("H1"), id, json!({ "choice": "agree" })).await.expect(StatusCode::CREATED);
    let after = inbox(&app, e.owner("H1")).await;
    assert!(find(&after, "vote_notice", &link)["read_at"].is_string(), "read once voted");
    assert_eq!(unread(&after), unread(&before) - 1);
    assert!(!is_read(&app, e.owner("H2"), "vote_notice", &link).await, "the others still have it to do");

    // A ballot cast as a proxy is the proxy's deed: their notice is read.
    let res = cast(&app, e.owner("H2"), id, json!({ "choice": "oppose", "holder_id": e.holder["H3"] })).await;
    assert_eq!(res.expect(StatusCode::CREATED).body["channel"], "proxy");
    assert!(is_read(&app, e.owner("H2"), "vote_notice", &link).await);
    assert!(!is_read(&app, e.owner("H3"), "vote_notice", &link).await);
}

#[tokio::test]
async fn co_signing_an_agenda_reads_its_notice() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.token("committee").await;
    let id = open_agenda(&app, &committee, tyc, "增设充电桩").await.expect(StatusCode::CREATED).id();
    let link = format!("/agendas/{id}");
    let owner = app.token("owner001").await;
    assert!(!is_read(&app, &owner, "agenda_opened", &link).await);
    app.post(&format!("/api/v1/agendas/{id}/cosign"), Some(&owner), json!({})).await.expect(StatusCode::OK);
    assert!(is_read(&app, &owner, "agenda_opened", &link).await);
    assert!(!is_read(&app, &app.token("owner002").await, "agenda_opened", &link).await);
}

/// The notices leading to `link` in an inbox, oldest first, as (kind, title, body).
fn about(inbox: &[Value], link: &str) -> Vec<(String, String, String)> {
    let text = |n: &Value, k: &str| n[k].as_str().unwrap().to_owned();
    let mut found: Vec<&Value> = inbox.iter().filter(|n| n["link"] == link).collect();
    found.sort_by_key(|n| n["id"].as_i64());
    found.into_iter().map(|n| (text(n, "kind"), text(n, "title"), text(n, "body"))).collect()
}

#[tokio::test]
async fn the_raiser_is_told_each_step_others_take_in_their_language_and_nobody_else_is() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let (secretary, property) = (app.token("secretary").await, app.token("property").await);
    let id = raise(&app, &owner, tyc, "repairs", "2单元电梯停运").await.expect(StatusCode::CREATED).id();
    let link = format!("/concerns/{id}");
    assert!(about(&inbox(&app, &owner).await, &link).is_empty(), "nobody is told of their own step");
    let step = |what: &str| format!("/api/v1/concerns/{id}/{what}");

    app.post(&step("route"), Some(&secretary), json!({})).await.expect(StatusCode::OK);
    assert!(is_read(&app, &secretary, "concern_raised", &link).await, "routing answers the raised concern");
    app.post(&step("acknowledge"), Some(&property), json!({ "note": "明早派人" })).await.expect(StatusCode::OK);
    assert!(is_read(&app, &property, "concern_routed", &link).await, "taking it on answers the routing");
    app.post(&step("replies"), Some(&property), json!({ "text": "维保单位明早到场" })).await.expect(StatusCode::OK);
    app.post(&step("escalations"), Some(&secretary), json!({ "department": "市场监管所", "request": "电梯年检" }))
        .await
        .expect(StatusCode::OK);
    app.post(&step("resolve"), Some(&property), json!({ "note": "已更换控制板" })).await.expect(StatusCode::OK);

    let s = |t: &str| t.to_owned();
    let en = about(&inbox_in(&app, &owner, "en").await, &link);
    assert_eq!(
        en,
        [
            (s("concern_passed_on"), s("Your concern was passed to the property company"), s("2单元电梯停运")),
            (s("concern_taken_on"), s("The property company has taken your concern on"), s("明早派人")),
            (s("concern_replied"), s("Your concern has a reply"), s("维保单位明早到场")),
            (s("concern_escalated"), s("Your concern was referred to 市场监管所"), s("2单元电梯停运")),
            (
                s("concern_resolved"),
                s("Your concern has been resolved"),
                s("已更换控制板. Please confirm and rate how satisfied you are.")
            ),
        ]
    );
    let zh: Vec<String> = about(&inbox_in(&app, &owner, "zh-CN").await, &link).into_iter().map(|n| n.1).collect();
    assert_eq!(
        zh,
        [
            "您的诉求已转交物业公司",
            "物业公司已受理您的诉求",
            "您的诉求有了答复",
            "您的诉求已提请市场监管所协助处理",
            "您的诉求已办结"
        ]
    );

    // Another owner of the compound and an owner of another compound hear nothing of it.
    let shs = app.compound_id(SHS).await;
    for other in [app.token("owner002").await, app.token(&app.owner_of(shs).await).await] {
        for lang in ["en", "zh-CN"] {
            assert!(about(&inbox_in(&app, &other, lang).await, &link).is_empty());
        }
    }

    // Closing it is the raiser's own step: it reads the request to confirm and tells them nothing.
    app.post(&step("confirm"), Some(&owner), json!({})).await.expect(StatusCode::OK);
    let after = inbox(&app, &owner).await;
    assert_eq!(about(&after, &link).len(), 5);
    assert!(find(&after, "concern_resolved", &link)["read_at"].is_string());
    assert!(find(&after, "concern_replied", &link)["read_at"].is_null(), "only what was asked is read");
}

#[tokio::test]
async fn the_raiser_hears_when_the_concern_is_routed_again_and_turned_into_an_agenda() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let secretary = app.token("secretary").await;
    let id = raise(&app, &owner, tyc, "repairs", "北门路灯不亮").await.expect(StatusCode::CREATED).id();
    let link = format!("/concerns/{id}");
    let step = |what: &str| format!("/api/v1/concerns/{id}/{what}");
    app.post(&step("route"), Some(&secretary), json!({ "party_kind": "owners_committee", "note": "请业委会协调" }))
        .await
        .expect(StatusCode::OK);
    let en = about(&inbox_in(&app, &owner, "en").await, &link);
    assert_eq!(en[0].1, "Your concern was passed to the owners' committee");
    assert_eq!(en[0].2, "请业委会协调");
    let zh = about(&inbox_in(&app, &owner, "zh-CN").await, &link);
    assert_eq!(zh[0].1, "您的诉求已转交业主委员会");

    app.post(&step("agenda"), Some(&secretary), json!({})).await.expect(StatusCode::CREATED);
    let en = about(&inbox_in(&app, &owner, "en").await, &link);
    assert_eq!(en.len(), 2);
    assert_eq!(
        (en[1].1.as_str(), en[1].2.as_str()),
        ("Your concern became an agenda item for the owners", "北门路灯不亮")
    );
    let zh = about(&inbox_in(&app, &owner, "zh-CN").await, &link);
    assert_eq!(zh[1].1, "您的诉求已转为业主议题");
}
