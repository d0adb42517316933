//! Markdown texts reach the app as sanitized HTML; editors preview theirs through the API.
use axum::http::StatusCode;
use serde_json::json;

use crate::{helpers::*, votes::*};

#[tokio::test]
async fn the_preview_answers_sanitized_html_to_the_signed_in_only() {
    let app = spawn_demo().await;
    let text = json!({ "text": "**3号楼**停水\n\n<script>alert(1)</script> [看](javascript:alert(1))" });
    let res = app.post("/api/v1/markdown", None, text.clone()).await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.code(), "unauthorized");

    let owner = app.token("owner001").await;
    let res = app.post("/api/v1/markdown", Some(&owner), text).await.expect(StatusCode::OK);
    let html = res.body["html"].as_str().unwrap();
    assert!(html.contains("<strong>3号楼</strong>停水"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("href=\"javascript"), "{html}");

    let long = "字".repeat(20_001);
    let res = app.post("/api/v1/markdown", Some(&owner), json!({ "text": long })).await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["text"].is_string(), "{}", res.body);
}

#[tokio::test]
async fn a_vote_and_a_party_notice_carry_their_text_as_html_and_only_to_their_compound() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let committee = app.committee_token(tyc).await;
    let body = with(motion("更换电梯", "common_use"), json!({ "body": "# 方案\n\n<b>粗</b> **两台**" }));
    let id = draft(&app, &committee, tyc, body).await.expect(StatusCode::CREATED).id();
    let vote = app.get(&format!("/api/v1/votes/{id}"), &committee).await.expect(StatusCode::OK).body;
    assert_eq!(vote["body"], "# 方案\n\n<b>粗</b> **两台**");
    assert_eq!(vote["body_html"], "<h3>方案</h3>\n<p>&lt;b&gt;粗&lt;/b&gt; <strong>两台</strong></p>\n");
    app.get(&format!("/api/v1/votes/{id}"), &app.token("property2").await).await.expect(StatusCode::NOT_FOUND);

    let property = app.token("property").await;
    let notice = json!({ "party": "property_company", "title": "停水", "body": "周六 **9:00** 停水" });
    let res = app.post(&format!("/api/v1/compounds/{tyc}/notices"), Some(&property), notice).await;
    let published = res.expect(StatusCode::CREATED).body;
    assert_eq!(published["body_html"], "<p>周六 <strong>9:00</strong> 停水</p>\n");
    let inbox = app.get("/api/v1/me/inbox", &app.token("owner001").await).await.expect(StatusCode::OK).body;
    let item = inbox.as_array().unwrap().iter().find(|n| n["id"] == published["id"]).unwrap();
    assert_eq!(item["body_html"], "<p>周六 <strong>9:00</strong> 停水</p>\n");
    let other = app.get("/api/v1/me/inbox", &app.token("property2").await).await.expect(StatusCode::OK).body;
    assert!(!other.as_array().unwrap().iter().any(|n| n["id"] == published["id"]));
}
