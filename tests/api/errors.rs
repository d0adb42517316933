use axum::{
    body::Body,
    http::{Method, StatusCode},
};
use serde_json::json;

use crate::helpers::*;

/// The error shape: `{"error":{"code","message"}}` and nothing else at the top.
#[track_caller]
fn assert_error_shape(res: &Res, code: &str) {
    assert_eq!(res.code(), code, "body: {}", res.body);
    assert!(res.body["error"]["message"].is_string(), "body: {}", res.body);
    assert_eq!(res.body.as_object().unwrap().len(), 1, "body: {}", res.body);
    assert!(res.header("content-type").unwrap().starts_with("application/json"));
}

#[tokio::test]
async fn malformed_json_answers_400_invalid_json_in_the_error_shape() {
    let app = spawn_app().await;
    let res = app
        .request(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(Body::from(r#"{"login": "admin", "#)),
            Some("application/json"),
        )
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert_error_shape(&res, "invalid_json");
}

#[tokio::test]
async fn json_of_the_wrong_shape_answers_400_invalid_body() {
    let app = spawn_app().await;
    let res = app.post("/api/v1/auth/login", None, json!({ "login": 7 })).await.expect(StatusCode::BAD_REQUEST);
    assert_error_shape(&res, "invalid_body");
}

#[tokio::test]
async fn an_unknown_api_route_answers_404_in_the_error_shape() {
    let app = spawn_app().await;
    for path in ["/api/v1/nothing-here", "/api/v1", "/api/v2/auth/login", "/api"] {
        let res = app.get_anon(path).await.expect(StatusCode::NOT_FOUND);
        assert_error_shape(&res, "not_found");
    }
    let res = app.post("/api/v1/nothing-here", None, json!({})).await.expect(StatusCode::NOT_FOUND);
    assert_error_shape(&res, "not_found");
}

#[tokio::test]
async fn a_malformed_id_in_the_path_answers_404() {
    let app = spawn_demo().await;
    let admin = app.token("admin").await;
    let res = app.get("/api/v1/compounds/not-a-number", &admin).await.expect(StatusCode::NOT_FOUND);
    assert_error_shape(&res, "not_found");
}

#[tokio::test]
async fn a_json_body_without_content_type_answers_400() {
    let app = spawn_app().await;
    let body = json!({ "login": "admin", "password": "whatever-password" }).to_string();
    let res = app
        .request(Method::POST, "/api/v1/auth/login", None, Some(Body::from(body)), None)
        .await
        .expect(StatusCode::BAD_REQUEST);
    assert_error_shape(&res, "unsupported_media_type");
}

#[tokio::test]
async fn a_body_over_64_kib_answers_413_payload_too_large() {
    let app = spawn_app().await;
    let body = json!({ "login": "admin", "password": "x".repeat(65 * 1024) });
    let res = app.post("/api/v1/auth/login", None, body).await.expect(StatusCode::PAYLOAD_TOO_LARGE);
    assert_error_shape(&res, "payload_too_large");
}

#[tokio::test]
async fn a_protected_route_without_a_token_answers_401() {
    let app = spawn_app().await;
    let res = app.get_anon("/api/v1/me").await.expect(StatusCode::UNAUTHORIZED);
    assert_error_shape(&res, "unauthorized");
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    let res = app.get("/api/v1/me", "not-a-jwt").await.expect(StatusCode::UNAUTHORIZED);
    assert_error_shape(&res, "invalid_token");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for res in [app.get_anon("/api/v1/health").await, app.get_anon("/api/v1/nothing-here").await] {
        let csp = res.header("content-security-policy").expect("CSP");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(res.header("x-frame-options"), Some("DENY"));
        assert_eq!(res.header("referrer-policy"), Some("no-referrer"));
    }
}

#[tokio::test]
async fn the_openapi_document_is_openapi_3_1_and_lists_the_api() {
    let app = spawn_app().await;
    let res = app.get_anon("/api/v1/openapi.json").await.expect(StatusCode::OK);
    assert!(res.body["openapi"].as_str().unwrap().starts_with("3.1"), "{}", res.body["openapi"]);
    let paths = res.body["paths"].as_object().unwrap();
    for p in ["/api/v1/auth/login", "/api/v1/me", "/api/v1/compounds/{id}/roster", "/api/v1/audit"] {
        assert!(paths.contains_key(p), "{p} is missing");
    }
    assert!(res.body["components"]["securitySchemes"]["bearer"].is_object());
    assert_eq!(res.body, serde_json::to_value(sanfang::openapi()).unwrap());
}

#[tokio::test]
async fn the_api_docs_are_served_as_html() {
    let app = spawn_app().await;
    let res = app.get_anon("/api/docs/").await.expect(StatusCode::OK);
    assert!(res.header("content-type").unwrap().starts_with("text/html"));
    let html = String::from_utf8_lossy(&res.bytes);
    assert!(html.to_lowercase().contains("swagger"), "{html}");
}

#[tokio::test]
async fn people_who_read_chinese_get_chinese_error_messages() {
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let app = spawn_demo().await;
    let ask = |lang: Option<&'static str>| {
        let mut req = Request::post("/api/v1/auth/register").header("content-type", "application/json");
        if let Some(l) = lang {
            req = req.header("accept-language", l);
        }
        let body = json!({ "code": "AAAA-AAAA", "display_name": " ", "phone": "12", "password": "x" }).to_string();
        app.router.clone().oneshot(req.body(Body::from(body)).unwrap())
    };
    let res = ask(Some("zh-CN,zh;q=0.9")).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(body["error"]["fields"]["display_name"], "不能为空");
    assert_eq!(body["error"]["message"], "姓名：不能为空");

    let res = ask(None).await.unwrap();
    let body: serde_json::Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["error"]["fields"]["display_name"], "is required");

    let res = app.login("owner001", "wrong-password").await;
    assert_eq!(res.body["error"]["message"], "wrong user name, phone number or password");
}

/// A reader's saved language wins over what their browser asks for; until they choose, the
/// browser's `Accept-Language` decides.
#[tokio::test]
async fn errors_are_written_in_the_language_the_account_saved() {
    let app = spawn_demo().await;
    let owner = app.token("owner001").await;
    let wrong_password = |lang: &'static str| {
        let body = json!({ "current_password": "not-it", "new_password": "a-long-new-password" }).to_string();
        let auth = format!("Bearer {owner}");
        let app = &app;
        async move {
            let headers = [("authorization", auth.as_str()), ("accept-language", lang)];
            app.request_with(Method::POST, "/api/v1/me/password", &headers, body).await
        }
    };
    let me = app.get("/api/v1/me", &owner).await.expect(StatusCode::OK);
    assert_eq!(me.body["language"], serde_json::Value::Null, "no choice saved yet");
    let res = wrong_password("zh-CN").await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["fields"]["current_password"], "与当前密码不符");

    app.send(Method::PUT, "/api/v1/me/language", Some(&owner), json!({ "language": "en" }))
        .await
        .expect(StatusCode::NO_CONTENT);
    let me = app.get("/api/v1/me", &owner).await.expect(StatusCode::OK);
    assert_eq!(me.body["language"], "en");
    let res = wrong_password("zh-CN").await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["fields"]["current_password"], "is not your current password");
    assert_eq!(res.body["error"]["message"], "Current password: is not your current password");

    app.send(Method::PUT, "/api/v1/me/language", Some(&owner), json!({ "language": "zh-CN" }))
        .await
        .expect(StatusCode::NO_CONTENT);
    let res = wrong_password("en").await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.body["error"]["message"], "当前密码：与当前密码不符");
}

#[tokio::test]
async fn only_chinese_or_english_can_be_saved_and_only_by_a_signed_in_user() {
    let app = spawn_demo().await;
    let owner = app.token("owner001").await;
    let res = app
        .send(Method::PUT, "/api/v1/me/language", Some(&owner), json!({ "language": "fr" }))
        .await
        .expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["language"].as_str().unwrap().contains("zh-CN"), "{}", res.body);
    app.send(Method::PUT, "/api/v1/me/language", None, json!({ "language": "en" }))
        .await
        .expect(StatusCode::UNAUTHORIZED);
    let me = app.get("/api/v1/me", &owner).await.expect(StatusCode::OK);
    assert_eq!(me.body["language"], serde_json::Value::Null, "a refused choice changes nothing");
}

/// Each operation of the document has its own operationId: the SPA's client is typed by them, and
/// two of one name would lend one path the other's types.
#[test]
fn every_operation_of_the_document_has_its_own_id() {
    let doc = serde_json::to_value(sanfang::openapi()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            if let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}")) {
                panic!("{id} names both {other} and {method} {path}");
            }
        }
    }
    assert!(seen.len() > 100, "the document lists {} operations", seen.len());
}
