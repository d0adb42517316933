//! HTTP plumbing around the API: the SPA, security headers, limits, panics.
use std::{path::PathBuf, time::Duration};

use axum::{
    Router,
    body::Body,
    extract::{DefaultBodyLimit, Request},
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

/// A client must send a request's whole head (request line and headers) within this time of
/// starting it, or of the previous response on a kept-alive connection; else the connection is
/// closed. Stops a client that trickles its headers from holding a connection open for ever.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A request (its body included) must be answered within this time, else 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

// No inline script anywhere; Vant sets inline style attributes, hence 'unsafe-inline' for styles only.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// `Cache-Control` of the SPA's built assets, whose names carry a hash of their content.
const HASHED_ASSET: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of `index.html` and the SPA's other files: checked with the server every time.
const ASK_AGAIN: &str = "no-cache";

/// Sets `value` on a file that was found; a 404 (an asset of an older build) is never cached.
fn cache_when_found<B>(value: &'static str) -> impl Fn(&axum::http::Response<B>) -> Option<HeaderValue> + Clone {
    move |res: &axum::http::Response<B>| {
        (res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED).then(|| HeaderValue::from_static(value))
    }
}

pub async fn api_not_found() -> AppError {
    AppError::NotFound
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
}

/// The built SPA under `router`: history fallback (non-API paths serve `index.html`). Hashed
/// assets (their file names change with their content) never change: a year, immutable.
/// Everything else, index.html above all, is asked for again each time.
fn with_spa(router: Router, dir: PathBuf) -> Router {
    let index = dir.join("index.html");
    if !index.exists() {
        tracing::warn!(dir = %dir.display(), "no built SPA here (run `make run`, or `npm run build` in frontend/)");
    }
    let assets = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, cache_when_found(HASHED_ASSET)))
        .service(ServeDir::new(dir.join("assets")));
    let pages = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, cache_when_found(ASK_AGAIN)))
        .service(ServeDir::new(&dir).fallback(ServeFile::new(index)));
    router.nest_service("/assets", assets).fallback_service(pages)
}

/// Add the SPA with history fallback (non-API paths serve `index.html`) and the layers every
/// response passes through.
///
/// The layers wrap the whole router once, rather than each route (as `Router::layer` does), so
/// a request clones one stack of them instead of one per layer.
pub fn finish(router: Router, static_dir: Option<PathBuf>) -> Router {
    let router = match static_dir {
        Some(dir) => with_spa(router, dir),
        None => router,
    };
    let h = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    // Outermost first.
    let stack = tower::ServiceBuilder::new()
        .layer(TraceLayer::new_for_http())
        .layer(h(HeaderName::from_static("permissions-policy"), "camera=(self), microphone=(), geolocation=()"))
        .layer(h(header::REFERRER_POLICY, "no-referrer"))
        .layer(h(header::X_FRAME_OPTIONS, "DENY"))
        .layer(h(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(h(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(super::language::in_reader_language))
        .service(router);
    Router::new().fallback_service(stack)
}

/// Serve `app` on `listener` over HTTP/1.1 until `shutdown` completes, then wait for the requests
/// in flight. Like `axum::serve`, plus [`HEADER_READ_TIMEOUT`] (which `axum::serve` cannot set).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    serve_with(listener, app, shutdown, HEADER_READ_TIMEOUT).await
}

async fn serve_with(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
    header_read_timeout: Duration,
) -> std::io::Result<()> {
    // Every connection holds a receiver; when the last one is dropped, every connection is done.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        tokio::spawn(connection(stream, remote, app.clone(), header_read_timeout, stop_rx.clone()));
    }
    drop(listener);
    drop(stop_rx);
    // Tell every connection to finish its request in flight, and wait for them.
    let _ = stop_tx.send(());
    stop_tx.closed().await;
    Ok(())
}

/// Serve one connection until it closes, or until `stop` says so (then finish the request in
/// flight).
async fn connection(
    stream: tokio::net::TcpStream,
    remote: std::net::SocketAddr,
    app: Router,
    header_read_timeout: Duration,
    mut stop: tokio::sync::watch::Receiver<()>,
) {
    use axum::extract::ConnectInfo;
    use hyper_util::{
        rt::{TokioIo, TokioTimer},
        service::TowerToHyperService,
    };
    use tower::ServiceExt as _;

    let _ = stream.set_nodelay(true);
    let service = app.map_request(move |mut req: Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnectInfo(remote));
        req.map(Body::new)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
    let conn = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)).with_upgrades();
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stop.changed() => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use axum::{extract::ConnectInfo, routing::get};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    async fn start(
        header_timeout: Duration,
    ) -> (SocketAddr, tokio::sync::oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
        let app =
            Router::new().route("/", get(|ConnectInfo(a): ConnectInfo<SocketAddr>| async move { a.ip().to_string() }));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve_with(listener, app, async { stopped.await.unwrap_or(()) }, header_timeout).await.unwrap();
        });
        (addr, stop, task)
    }

    async fn read_all(s: &mut tokio::net::TcpStream) -> String {
        let mut out = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
        String::from_utf8_lossy(&out).into_owned()
    }

    /// A built SPA in a fresh directory: index.html and one hashed asset.
    fn built_spa() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("sanfang-spa-{}-{}", std::process::id(), rand::random::<u64>()));
        std::fs::create_dir_all(dir.join("assets")).unwrap();
        std::fs::write(dir.join("index.html"), "<!doctype html><title>Sanfang</title>").unwrap();
        std::fs::write(dir.join("assets/index-3f9a1c.js"), "console.log(1)").unwrap();
        dir
    }

    async fn get_spa(app: Router, path: &str) -> Response {
        use tower::ServiceExt;
        app.oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap()
    }

    fn cache_control(res: &Response) -> Option<&str> {
        res.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok())
    }

    #[tokio::test]
    async fn hashed_assets_are_kept_for_a_year_and_pages_are_asked_for_again() {
        let dir = built_spa();
        let app = finish(Router::new(), Some(dir.clone()));

        let asset = get_spa(app.clone(), "/assets/index-3f9a1c.js").await;
        assert_eq!(asset.status(), StatusCode::OK);
        assert_eq!(cache_control(&asset), Some("public, max-age=31536000, immutable"));

        for page in ["/", "/index.html", "/votes/7"] {
            let res = get_spa(app.clone(), page).await;
            assert_eq!(res.status(), StatusCode::OK, "{page}");
            assert_eq!(cache_control(&res), Some("no-cache"), "{page}");
        }

        // An asset of an older build is missing: 404, not the page, and nothing cached.
        let gone = get_spa(app, "/assets/index-0ld.js").await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND);
        assert_eq!(cache_control(&gone), None);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_request_is_served_with_the_client_address() {
        let (addr, stop, task) = start(Duration::from_secs(5)).await;
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let answer = read_all(&mut s).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("127.0.0.1"), "{answer}");
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task).await.expect("shuts down").unwrap();
    }

    #[tokio::test]
    async fn a_client_trickling_its_headers_is_cut_off() {
        let (addr, stop, _task) = start(Duration::from_millis(300)).await;
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let started = std::time::Instant::now();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: a").await.unwrap();
        let answer = read_all(&mut s).await;
        let took = started.elapsed();
        assert!(!answer.contains("200 OK"), "{answer}");
        assert!(took >= Duration::from_millis(250) && took < Duration::from_secs(3), "closed after {took:?}");
        // A kept-alive connection that sends nothing more is closed too.
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let started = std::time::Instant::now();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let answer = read_all(&mut s).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(3), "an idle connection stayed open");
        let _ = stop.send(());
    }
}
