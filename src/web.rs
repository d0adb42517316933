//! HTTP plumbing around the API: the SPA, security headers, limits, panics.
use std::{path::PathBuf, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Request},
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tower_http::{
    catch_panic::CatchPanicLayer,
    compression::CompressionLayer,
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};

use crate::{error::AppError, extract::Lang, messages};

/// Bodies of JSON requests; the roster import sets its own, larger limit.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

// No inline script anywhere; Vant sets inline style attributes, hence 'unsafe-inline' for styles only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

/// Render error messages in Chinese for readers who put Chinese first (see [`crate::messages`]).
async fn localize_errors(req: Request, next: Next) -> Response {
    let lang = Lang::from_header(req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    let res = next.run(req).await;
    let is_json =
        res.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if lang != Lang::Zh || !(res.status().is_client_error() || res.status().is_server_error()) || !is_json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1024 * 1024).await else {
        return AppError::Internal(anyhow::anyhow!("error body unreadable")).into_response();
    };
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let error = &mut v["error"];
    let translate = |m: &str| messages::to_chinese(m).unwrap_or_else(|| m.to_owned());
    if let Some(fields) = error.get_mut("fields").and_then(|f| f.as_object_mut()) {
        let mut list = Vec::new();
        for (k, m) in fields.iter_mut() {
            if let Some(text) = m.as_str() {
                *m = translate(text).into();
                list.push((k.clone(), m.as_str().unwrap_or_default().to_owned()));
            }
        }
        error["message"] = messages::fields_message(&list).into();
    } else if let Some(m) = error.get("message").and_then(|m| m.as_str()) {
        error["message"] = translate(m).into();
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&v).unwrap_or_else(|_| bytes.to_vec())))
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// Add the SPA with history fallback (non-API paths serve `index.html`) and the layers every
/// response passes through.
pub fn finish(router: Router, static_dir: Option<PathBuf>) -> Router {
    let router = match static_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            if !index.exists() {
                tracing::warn!(dir = %dir.display(), "no built SPA here (run `make run`, or `npm run build` in frontend/)");
            }
            router.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => router,
    };
    let h = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    router
        .layer(axum::middleware::from_fn(localize_errors))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CompressionLayer::new())
        .layer(h(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(h(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(h(header::X_FRAME_OPTIONS, "DENY"))
        .layer(h(header::REFERRER_POLICY, "no-referrer"))
        .layer(h(HeaderName::from_static("permissions-policy"), "camera=(self), microphone=(), geolocation=()"))
        .layer(TraceLayer::new_for_http())
}
