//! HTTP plumbing around the API: the SPA, security headers, limits, panics.
use std::{path::PathBuf, time::Duration};

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{HeaderName, HeaderValue, StatusCode, header},
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

use crate::error::AppError;

/// Bodies of JSON requests; the roster import sets its own, larger limit.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

// No inline script anywhere; Vant sets inline style attributes, hence 'unsafe-inline' for styles only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub async fn api_not_found() -> AppError {
    AppError::NotFound
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
