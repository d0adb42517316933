//! `make bench`: how fast owners can vote, and how fast anyone can recount.
//!
//! 1. Seeds a SQLite file with a compound of 2,000 owners, each verified for one unit, and an open
//!    vote; starts the release server on it.
//! 2. Signs the 2,000 owners in, then casts their ballots over 200 concurrent connections — in
//!    each of ten open votes, so that the measured stretch lasts long enough to mean something —
//!    and prints ballots/s and p50/p99 latency. Then checks the chain with `sanfang verify`.
//! 3. Times `sanfang tally` on a generated roster as large as a sheet may be: 49,999 units and
//!    its header line.
//!
//! It prints figures and asserts none: speed is read, not tested.
mod support;

use std::{
    fmt::Write as _,
    process::Command,
    sync::Arc,
    time::{Duration, Instant},
};

use support::{PASSWORD, Server, binary, free_port, percentile, post, seed, sign_in};
use tokio::sync::Mutex;

const OWNERS: usize = 2_000;
const VOTES: usize = 10;
const CONNECTIONS: usize = 200;
const TALLY_UNITS: usize = sanfang::roster::sheet::MAX_SHEET_ROWS as usize - 1;
/// CPU seconds (user + system) a process has used so far, where /proc tells.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ, 100 on Linux
}

async fn run() {
    let dir = std::env::temp_dir().join(format!("sanfang-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let t = Instant::now();
    let votes = seed(&url, OWNERS, VOTES).await.votes;
    println!("seeded {OWNERS} owners and {VOTES} open votes in {:.1} s", t.elapsed().as_secs_f64());

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}/api/v1");
    // Behind a reverse proxy on loopback, as in production: each owner signs in from their own
    // address, so the per-address sign-in limit sees 2,000 phones, not one attacker.
    let server = Server::start(&url, port, &[("RUST_LOG", "warn"), ("SANFANG_TRUSTED_PROXIES", "127.0.0.1")]);
    let http = support::client(CONNECTIONS);
    assert!(support::wait_healthy(&http, &base).await, "the server did not start");

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
                let client = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
                let (status, bytes) = sign_in(&http, &base, &client, &format!("bench{i:05}"), PASSWORD).await;
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

    // Open the 200 connections first (signing in used 16): what is measured is casting, not
    // connecting.
    let warm: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (http, base) = (http.clone(), base.clone());
            tokio::spawn(async move {
                support::send(&http, hyper::Method::GET, &format!("{base}/health"), None, hyper::body::Bytes::new())
                    .await
                    .expect("health")
            })
        })
        .collect();
    for w in warm {
        w.await.expect("warm-up");
    }

    // Cast: 200 connections, each owner once in each vote.
    let jobs: Vec<(i64, String)> = votes.iter().flat_map(|v| tokens.iter().map(move |t| (*v, t.clone()))).collect();
    let queue = Arc::new(Mutex::new(jobs));
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(OWNERS)));
    let failures = Arc::new(Mutex::new(0usize));
    let server_pid = server.pid();
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
    drop(server);

    let out = Command::new(binary()).arg("verify").env("DATABASE_URL", &url).output().expect("verify");
    println!("sanfang verify: {}", String::from_utf8_lossy(&out.stdout).trim().replace('\n', "; "));

    // The offline recount on the largest roster a sheet may hold (one holder per 4 units; two
    // thirds vote).
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
