//! `make bench` (second part): how fast a live meeting reaches the room.
//!
//! Starts the release server on the demo, convenes a three-party consultation, opens it and
//! connects 500 phones and one room screen to its live stream; then the chair takes up an item
//! twenty times, and for each click the time until the last of the 501 screens shows it is
//! measured. Once with one server on SQLite, once with two server processes on one PostgreSQL
//! (the phones split between them, the chair on the first), where every change passes through the
//! database's LISTEN/NOTIFY. Prints p50/p99 and asserts none: speed is read, not tested.
mod support;

use std::{
    process::Command,
    time::{Duration, Instant},
};

use http_body_util::BodyExt;
use hyper::{Method, Request, body::Bytes};
use support::{Http, Server, free_port, percentile, post, send};
use tokio::sync::mpsc;

const PHONES: usize = 500;
const CLICKS: usize = 20;
const DEMO_PASSWORD: &str = "sanfang-demo";

async fn token(http: &Http, base: &str, login: &str) -> String {
    let (status, bytes) = support::sign_in(http, base, "127.0.0.1", login, DEMO_PASSWORD).await;
    assert_eq!(status, 200, "sign-in of {login}: {}", String::from_utf8_lossy(&bytes));
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    v["access_token"].as_str().expect("token").to_owned()
}

/// Follow meeting `id` on `base`, reporting the current item of every state that arrives.
async fn follow(
    http: Http,
    base: String,
    token: String,
    id: i64,
    screen: usize,
    tx: mpsc::UnboundedSender<(usize, Instant, Option<i64>)>,
) {
    let req = Request::builder()
        .method(Method::GET)
        .uri(format!("{base}/meetings/{id}/live"))
        .header("authorization", format!("Bearer {token}"))
        .body(http_body_util::Full::new(Bytes::new()))
        .expect("request");
    let res = http.request(req).await.expect("live stream");
    assert_eq!(res.status(), 200);
    let mut body = res.into_body();
    let mut text = String::new();
    while let Some(Ok(frame)) = body.frame().await {
        let Ok(data) = frame.into_data() else { continue };
        text.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            if let Some(json) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                let v: serde_json::Value = serde_json::from_str(json.trim()).expect("state");
                if tx.send((screen, Instant::now(), v["current"]["id"].as_i64())).is_err() {
                    return;
                }
            }
        }
    }
}

/// Convene and open a consultation of the demo's first compound starting in five minutes.
async fn meeting(http: &Http, base: &str, chair: &str) -> (i64, Vec<i64>) {
    let (status, bytes) =
        send(http, Method::GET, &format!("{base}/communities"), Some(chair), Bytes::new()).await.expect("communities");
    assert_eq!(status, 200);
    let communities: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let community = communities[0]["id"].as_i64().expect("community");
    let (_, bytes) = send(http, Method::GET, &format!("{base}/communities/{community}"), Some(chair), Bytes::new())
        .await
        .expect("community");
    let detail: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let compound = detail["compounds"][0]["id"].as_i64().expect("compound");
    let starts = (chrono::Utc::now() + chrono::Duration::minutes(5)).to_rfc3339();
    let body = serde_json::json!({ "kind": "consultation", "title": "北门外垃圾清运协商", "compound_ids": [compound],
        "starts_at": starts, "duration_minutes": 90, "place": "社区党群服务中心",
        "items": [{ "title": "清运分工", "minutes": 30 }, { "title": "费用分担", "minutes": 30 }] });
    let (status, bytes) =
        post(http, &format!("{base}/communities/{community}/meetings"), Some(chair), body.to_string()).await;
    assert_eq!(status, 201, "{}", String::from_utf8_lossy(&bytes));
    let m: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let id = m["id"].as_i64().expect("id");
    let (status, _) = post(http, &format!("{base}/meetings/{id}/open"), Some(chair), "{}".into()).await;
    assert_eq!(status, 200);
    (id, m["items"].as_array().expect("items").iter().map(|i| i["id"].as_i64().expect("item")).collect())
}

/// Connect the screens (phones spread over `bases`, the room on the first), click, and print.
async fn measure(label: &str, bases: &[String]) {
    let http = support::client(PHONES + 16);
    let chair = token(&http, &bases[0], "secretary").await;
    let phone = token(&http, &bases[0], "owner001").await;
    let (id, items) = meeting(&http, &bases[0], &chair).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let screens = PHONES + 1;
    for screen in 0..screens {
        let (base, who) = if screen == PHONES {
            (bases[0].clone(), chair.clone())
        } else {
            (bases[screen % bases.len()].clone(), phone.clone())
        };
        tokio::spawn(follow(support::client(1), base, who, id, screen, tx.clone()));
    }
    let mut connected = vec![false; screens];
    while connected.iter().any(|c| !c) {
        let (screen, _, _) =
            tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("screens connect").expect("stream");
        connected[screen] = true;
    }
    let mut last = Vec::with_capacity(CLICKS);
    let mut every = Vec::with_capacity(CLICKS * screens);
    for click in 0..CLICKS {
        let item = items[click % items.len()];
        let start = Instant::now();
        let (status, _) =
            post(&http, &format!("{}/meetings/{id}/items/{item}/open", bases[0]), Some(&chair), "{}".into()).await;
        assert_eq!(status, 200);
        let mut seen = vec![false; screens];
        let mut slowest = Duration::ZERO;
        while seen.iter().any(|s| !s) {
            let (screen, at, current) = tokio::time::timeout(Duration::from_secs(30), rx.recv())
                .await
                .expect("every screen follows")
                .expect("stream");
            if current == Some(item) && !seen[screen] {
                seen[screen] = true;
                let took = at.saturating_duration_since(start);
                every.push(took);
                slowest = slowest.max(took);
            }
        }
        last.push(slowest);
    }
    last.sort();
    every.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "live meeting, {label}: {PHONES} phones + 1 room screen, {CLICKS} clicks; click to last screen p50 {:.0} ms, p99 {:.0} ms; to each screen p50 {:.0} ms, p99 {:.0} ms",
        ms(percentile(&last, 0.5)),
        ms(percentile(&last, 0.99)),
        ms(percentile(&every, 0.5)),
        ms(percentile(&every, 0.99)),
    );
}

fn start(url: &str, demo: bool) -> (Server, String) {
    let port = free_port();
    let mut cmd = Command::new(support::binary());
    cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")]);
    if demo {
        cmd.arg("--demo");
    }
    cmd.env("DATABASE_URL", url).env("RUST_LOG", "error").stdout(std::process::Stdio::null());
    (Server(cmd.spawn().expect("start the server")), format!("http://127.0.0.1:{port}/api/v1"))
}

async fn healthy(base: &str) {
    assert!(support::wait_healthy(&support::client(1), base).await, "the server at {base} did not start");
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("sanfang-live-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("live.db").display());
    {
        let (_server, base) = start(&url, true);
        healthy(&base).await;
        measure("one server on SQLite", &[base]).await;
    }
    let pg_dir = dir.join("pg");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(format!("{root}/scripts/pg.sh"))
        .args(["start", &pg_dir.display().to_string(), &free_port().to_string()])
        .output();
    match out {
        Ok(o) if o.status.success() => {
            let pg = String::from_utf8_lossy(&o.stdout).trim().to_owned();
            {
                let (_first, a) = start(&pg, true);
                healthy(&a).await;
                let (_second, b) = start(&pg, false);
                healthy(&b).await;
                measure("two server processes on PostgreSQL", &[a, b]).await;
            }
            let _ =
                Command::new(format!("{root}/scripts/pg.sh")).args(["stop", &pg_dir.display().to_string()]).status();
        }
        _ => println!(
            "live meeting on PostgreSQL: not measured, no PostgreSQL server here (scripts/ensure-tools.sh installs one)"
        ),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
