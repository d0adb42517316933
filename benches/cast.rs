//! `make bench`: how fast owners can vote, and how fast anyone can recount.
//!
//! 1. Seeds a SQLite file with a compound of 2,000 owners, each verified for one unit, and an open
//!    vote; starts the release server on it.
//! 2. Signs the 2,000 owners in, then casts their ballots over 200 concurrent connections — in
//!    each of five open votes, so that the measured stretch lasts long enough to mean something —
//!    and prints ballots/s and p50/p99 latency. Then checks the chain with `sanfang verify`.
//! 3. Times `sanfang tally` on a generated roster of 100,000 units.
//!
//! It prints figures and asserts none: speed is read, not tested.
use std::{
    fmt::Write as _,
    process::{Child, Command, Stdio},
    sync::Arc,
    time::{Duration, Instant},
};

use http_body_util::{BodyExt, Full};
use hyper::{Request, body::Bytes};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
use tokio::sync::Mutex;

const OWNERS: usize = 2_000;
const VOTES: usize = 5;
const CONNECTIONS: usize = 200;
const TALLY_UNITS: usize = 100_000;
const PASSWORD: &str = "bench-password";

type Http = Client<HttpConnector, Full<Bytes>>;

fn binary() -> std::path::PathBuf {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("target/release/sanfang");
    assert!(bin.exists(), "build the release binary first: cargo build --release");
    bin
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A compound of `OWNERS` single-unit holders, each with a verified account, and `VOTES` open votes.
async fn seed(url: &str) -> Vec<i64> {
    use sanfang::{
        accounts::{Scope, grant, insert_user},
        entities::{compound, holder, owner_link, vote},
        policy::Role,
        roster::import_roster,
        tenancy::{insert_community, insert_compound},
    };
    let db = sanfang::db::connect(url).await.expect("database");
    let community = insert_community(&db, "压测社区", None, "压测社区居委会").await.expect("community");
    let c = insert_compound(&db, community.id, "压测小区", None, "压测物业", "压测业委会").await.expect("compound");
    let mut am: compound::ActiveModel = c.clone().into();
    am.notice_days = Set(0);
    am.update(&db).await.expect("rules");
    let mut csv = String::from("building,unit,area,area_source,holder_name,holder_key\n");
    for i in 0..OWNERS {
        let _ = writeln!(
            csv,
            "{}号楼,{},{}.{:02},registered,业主{i},B{i:05}",
            i / 100 + 1,
            i % 100 + 101,
            60 + i % 90,
            i % 100
        );
    }
    let clerk = insert_user(&db, "bench-clerk", "压测", None, "x").await.expect("clerk");
    import_roster(&db, &c, clerk.id, csv.as_bytes(), false, sanfang::extract::Lang::En).await.expect("roster");
    let hash = sanfang::auth::password::hash_blocking(PASSWORD).expect("hash");
    let holders = holder::Entity::find().all(&db).await.expect("holders");
    let txn = sanfang::db::write_txn(&db).await.expect("txn");
    for h in holders.iter().filter(|h| h.compound_id == c.id) {
        let u = insert_user(&txn, &format!("bench{}", &h.holder_key[1..]), &h.name, None, &hash).await.expect("user");
        grant(
            &txn,
            u.id,
            Role::Owner,
            Scope { community_id: Some(community.id), compound_id: Some(c.id), party_id: None },
        )
        .await
        .expect("role");
        owner_link::Entity::insert(owner_link::ActiveModel {
            user_id: Set(u.id),
            holder_id: Set(h.id),
            method: Set("staff".into()),
            verified_by: Set(None),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        })
        .exec(&txn)
        .await
        .expect("link");
    }
    let now = chrono::Utc::now();
    let mut votes = Vec::new();
    for n in 1..=VOTES {
        let v = vote::Entity::insert(vote::ActiveModel {
            compound_id: Set(c.id),
            title: Set(format!("压测表决 {n}")),
            body: Set(String::new()),
            matter: Set("other".into()),
            form: Set("motion".into()),
            seats: Set(None),
            secret: Set(false),
            allow_change: Set(false),
            building_ids: Set(None),
            opens_at: Set(now),
            closes_at: Set(now + chrono::Duration::hours(2)),
            status: Set("published".into()),
            created_by: Set(clerk.id),
            created_at: Set(now),
            published_at: Set(Some(now)),
            ..Default::default()
        })
        .exec_with_returning(&txn)
        .await
        .expect("vote");
        votes.push(v.id);
    }
    txn.commit().await.expect("commit");
    db.close().await.ok();
    votes
}

async fn post(http: &Http, url: &str, token: Option<&str>, body: String) -> (u16, Bytes) {
    let mut req = Request::post(url).header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = http.request(req.body(Full::new(Bytes::from(body))).expect("request")).await.expect("response");
    let status = res.status().as_u16();
    (status, res.into_body().collect().await.expect("body").to_bytes())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

struct Server(Child);

/// CPU seconds (user + system) a process has used so far, where /proc tells.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ, 100 on Linux
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("sanfang-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let t = Instant::now();
    let votes = seed(&url).await;
    println!("seeded {OWNERS} owners and {VOTES} open votes in {:.1} s", t.elapsed().as_secs_f64());

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let _server = Server(
        Command::new(binary())
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the server"),
    );
    let mut http_builder = Client::builder(TokioExecutor::new());
    http_builder.pool_max_idle_per_host(CONNECTIONS);
    let http: Http = http_builder.build_http();
    for _ in 0..100 {
        let ok = http.get(format!("{base}/health").parse().expect("uri")).await.is_ok_and(|r| r.status().is_success());
        if ok {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Sign everyone in (argon2id on two cores: this is the slow part, and not what is measured).
    let t = Instant::now();
    let queue = Arc::new(Mutex::new((0..OWNERS).collect::<Vec<_>>()));
    let tokens = Arc::new(Mutex::new(Vec::with_capacity(OWNERS)));
    let mut workers = Vec::new();
    for _ in 0..16 {
        let (http, base, queue, tokens) = (http.clone(), base.clone(), queue.clone(), tokens.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let Some(i) = queue.lock().await.pop() else { break };
                let body = format!(r#"{{"login":"bench{i:05}","password":"{PASSWORD}"}}"#);
                let (status, bytes) = post(&http, &format!("{base}/auth/login"), None, body).await;
                assert_eq!(status, 200, "login failed: {}", String::from_utf8_lossy(&bytes));
                let v: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
                tokens.lock().await.push(v["access_token"].as_str().expect("token").to_owned());
            }
        }));
    }
    for w in workers {
        w.await.expect("login worker");
    }
    let tokens: Vec<String> = std::mem::take(&mut *tokens.lock().await);
    println!("signed in {} owners in {:.1} s", tokens.len(), t.elapsed().as_secs_f64());

    // Cast: 200 connections, each owner once in each vote.
    let jobs: Vec<(i64, String)> = votes.iter().flat_map(|v| tokens.iter().map(move |t| (*v, t.clone()))).collect();
    let queue = Arc::new(Mutex::new(jobs));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(OWNERS)));
    let failures = Arc::new(Mutex::new(0usize));
    let server_pid = _server.0.id();
    let cpu_before = cpu_seconds(server_pid);
    let t = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..CONNECTIONS {
        let (http, base, queue, latencies, failures) =
            (http.clone(), base.clone(), queue.clone(), latencies.clone(), failures.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let Some((vote_id, token)) = queue.lock().await.pop() else { break };
                let start = Instant::now();
                let (status, _) = post(
                    &http,
                    &format!("{base}/votes/{vote_id}/ballots"),
                    Some(&token),
                    r#"{"choice":"agree"}"#.into(),
                )
                .await;
                let took = start.elapsed();
                if status == 201 {
                    latencies.lock().await.push(took);
                } else {
                    *failures.lock().await += 1;
                }
            }
        }));
    }
    for w in workers {
        w.await.expect("cast worker");
    }
    let elapsed = t.elapsed();
    let cpu = cpu_seconds(server_pid).zip(cpu_before).map(|(after, before)| after - before);
    let mut lat = std::mem::take(&mut *latencies.lock().await);
    lat.sort();
    let failed = *failures.lock().await;
    println!(
        "cast {} ballots over {CONNECTIONS} connections in {:.2} s: {:.0} ballots/s, p50 {:.1} ms, p99 {:.1} ms, {failed} refused",
        lat.len(),
        elapsed.as_secs_f64(),
        lat.len() as f64 / elapsed.as_secs_f64(),
        percentile(&lat, 0.50).as_secs_f64() * 1e3,
        percentile(&lat, 0.99).as_secs_f64() * 1e3,
    );
    if let Some(cpu) = cpu {
        // Steadier than ballots/s on a busy machine: what one ballot costs the server in CPU time.
        println!("server CPU per ballot: {:.0} µs", cpu / lat.len().max(1) as f64 * 1e6);
    }
    drop(_server);

    let out = Command::new(binary()).arg("verify").env("DATABASE_URL", &url).output().expect("verify");
    println!("sanfang verify: {}", String::from_utf8_lossy(&out.stdout).trim().replace('\n', "; "));

    // The offline recount on 100,000 units (one holder per 4 units; two thirds vote).
    let mut roster = String::from("unit,holder,area\n");
    let mut ballots = String::from("unit,choice\n");
    for i in 0..TALLY_UNITS {
        let _ = writeln!(roster, "U{i},H{},{}.{:02}", i / 4, 50 + i % 100, i % 100);
        if i % 4 == 0 && (i / 4) % 3 != 0 {
            let _ = writeln!(ballots, "U{i},{}", ["agree", "oppose", "abstain"][i % 3]);
        }
    }
    let (r, b) = (dir.join("roster.csv"), dir.join("ballots.csv"));
    std::fs::write(&r, roster).expect("write roster");
    std::fs::write(&b, ballots).expect("write ballots");
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        let out = Command::new(binary())
            .args(["tally", "--roster", &r.to_string_lossy(), "--ballots", &b.to_string_lossy(), "--matter", "rebuild"])
            .output()
            .expect("tally");
        best = best.min(t.elapsed());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    println!("sanfang tally on {TALLY_UNITS} units: best of 5 runs {:.0} ms", best.as_secs_f64() * 1e3);
    let _ = std::fs::remove_dir_all(&dir);
}

fn main() {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(run());
}
