//! Bugs the API fuzzing step (scripts/fuzz.sh) found, kept from coming back.
use axum::http::StatusCode;

use crate::helpers::*;

/// A page number near the top of its type made the offset overflow: 500 instead of an empty page.
#[tokio::test]
async fn a_page_far_past_the_end_is_empty_not_an_error() {
    let app = spawn_demo().await;
    let tyc = app.compound_id("太阳城二期").await;
    let secretary = app.token("secretary").await;
    for list in ["agendas", "concerns"] {
        for q in ["page=9223372036854775807", "page=9223372036854775807&per_page=50", "page=-3&per_page=-1"] {
            let res = app.get(&format!("/api/v1/compounds/{tyc}/{list}?{q}"), &secretary).await.expect(StatusCode::OK);
            assert!(res.body["page"].as_u64().unwrap() >= 1, "{list}?{q}");
            assert!((1..=50).contains(&res.body["per_page"].as_u64().unwrap()), "{list}?{q}");
        }
        let far = app.get(&format!("/api/v1/compounds/{tyc}/{list}?page=9223372036854775807"), &secretary).await;
        assert_eq!(far.body["items"].as_array().unwrap().len(), 0, "{list}");
    }
}

/// Numbers beyond the documented int64 were accepted (and wrapped or clamped); they are refused.
#[tokio::test]
async fn numbers_beyond_int64_in_a_query_are_refused() {
    let app = spawn_demo().await;
    let tyc = app.compound_id("太阳城二期").await;
    let admin = app.token("admin").await;
    let secretary = app.token("secretary").await;
    let res = app.get("/api/v1/audit?limit=9223372036854775808", &admin).await.expect(StatusCode::BAD_REQUEST);
    assert_eq!(res.code(), "invalid_query");
    let res = app.get("/api/v1/audit?limit=9223372036854775807", &admin).await.expect(StatusCode::OK);
    assert!(res.body.as_array().unwrap().len() <= 500);
    for list in ["agendas", "concerns"] {
        app.get(&format!("/api/v1/compounds/{tyc}/{list}?page=18446744073709551615"), &secretary)
            .await
            .expect(StatusCode::BAD_REQUEST);
    }
}

/// What the document promises for every operation of a kind, checked on the real router: no token
/// is 401, a malformed id is 404, a body that is not JSON is 400.
#[tokio::test]
async fn the_common_responses_in_the_document_are_what_the_server_answers() {
    let app = spawn_demo().await;
    let token = app.token("secretary").await;
    let res = app.get_anon("/api/v1/me").await.expect(StatusCode::UNAUTHORIZED);
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    app.get("/api/v1/votes/not-a-number", &token).await.expect(StatusCode::NOT_FOUND);
    let compound = app.compound_id("太阳城二期").await;
    let res = app
        .request(
            axum::http::Method::POST,
            &format!("/api/v1/compounds/{compound}/notices"),
            Some(&token),
            Some(axum::body::Body::from("{")),
            Some("application/json"),
        )
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert_eq!(res.code(), "invalid_json");
}
