//! `make soak`: does an acknowledged ballot survive the server being killed, and does the server
//! stand up to abuse? Everything runs on loopback, in a temporary directory, and stops by itself.
//!
//! Crash test, on SQLite and then on PostgreSQL (a throw-away server from `scripts/pg.sh`):
//! seeds 3,000 owners and an open vote, starts the release server, casts every owner's ballot with
//! an idempotency key over 100 connections and `kill -9`s the server 20 times, each time after a
//! random number (seeded RNG) of that round's ballots were acknowledged, so that casts are in
//! flight when it dies; it prints each kill, and fails when fewer than 15 kills land in flight. It
//! restarts the server each time and retries whatever was not acknowledged with the same key
//! (and some acknowledged ones, whose receipt must not change). At the end every acknowledged
//! ballot must be stored exactly once with its choice, `sanfang verify` must pass, the database
//! must pass its own integrity check, and `sanfang tally` on the exported roster and ballots
//! must equal the driver's own count of what it cast.
//!
//! Abuse, on the SQLite server behind a trusted reverse proxy: 500 simultaneous logins from 500
//! addresses while `/health` is timed; the server's
//! memory before and after; a credential-stuffing run from one address until 429; oversized
//! bodies (413); a client trickling its headers and one never finishing its body (cut off).
mod support;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::Command,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use http_body_util::Full;
use hyper::{Method, Request, body::Bytes};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, prelude::Expr};
use support::{Http, Owner, PASSWORD, Seeded, Server, binary, free_port, percentile, seed, send, wait_healthy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const OWNERS: usize = 3_000;
const KILLS: usize = 20;
const CONNECTIONS: usize = 100;
const RNG_SEED: u64 = 20_261_203;
/// The soak fails when fewer kills than this land while casts are in flight.
const MIN_KILLS_IN_FLIGHT: usize = 15;
/// Passed to the server, so that the driver can sign its owners' tokens instead of signing
/// 3,000 owners in with argon2id.
const SECRET: &str = "soak-signing-secret-for-this-test-only-0123456789";
const LOGIN_STORM: usize = 500;
const CHOICES: [&str; 3] = ["agree", "oppose", "abstain"];

/// Problems found; any of them fails the run.
#[derive(Default)]
struct Problems(Mutex<Vec<String>>);

impl Problems {
    fn add(&self, p: impl Into<String>) {
        let p = p.into();
        eprintln!("PROBLEM: {p}");
        self.0.lock().expect("problems").push(p);
    }

    fn count(&self) -> usize {
        self.0.lock().expect("problems").len()
    }
}

/// A temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A throw-away PostgreSQL server, stopped when dropped.
struct Postgres {
    dir: PathBuf,
    url: String,
}

impl Postgres {
    fn start(dir: PathBuf) -> Result<Self, String> {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/pg.sh");
        let out = Command::new(script)
            .args(["start", &dir.to_string_lossy(), &free_port().to_string()])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        Ok(Self { dir, url: String::from_utf8_lossy(&out.stdout).trim().to_owned() })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/pg.sh");
        let _ = Command::new(script).args(["stop", &self.dir.to_string_lossy()]).output();
    }
}

/// What the driver knows of one owner's ballot.
#[derive(Clone)]
struct Entry {
    choice: &'static str,
    key: String,
    receipt: Option<String>,
    /// Requests sent for it.
    attempts: u32,
}

#[derive(Default)]
struct Tallies {
    /// Acknowledged ballots whose answer came on a retry, with a receipt stored by an earlier
    /// attempt whose answer the kill swallowed.
    stored_before_ack: AtomicUsize,
    /// Retries of acknowledged ballots, each answered with the same receipt.
    repeats: AtomicUsize,
    /// Requests that got no answer (connection refused or cut by a kill) or a 5xx.
    unanswered: AtomicUsize,
}

struct CrashReport {
    kills: usize,
    acknowledged: usize,
    lost: usize,
    duplicated: usize,
}

fn main() {
    let ok = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime").block_on(run());
    if !ok {
        std::process::exit(1);
    }
}

async fn run() -> bool {
    let started = Instant::now();
    let tmp = TempDir(std::env::temp_dir().join(format!("sanfang-soak-{}", std::process::id())));
    std::fs::create_dir_all(&tmp.0).expect("temp dir");
    let problems = Problems::default();

    let sqlite_url = format!("sqlite://{}?mode=rwc", tmp.0.join("soak.db").display());
    let (sqlite, seeded) = crash("sqlite", &sqlite_url, &tmp.0, &problems).await;
    let abuse_checks = abuse(&sqlite_url, &seeded, &problems).await;

    let mut reports = vec![sqlite];
    match Postgres::start(tmp.0.join("pg")) {
        Ok(pg) => reports.push(crash("postgres", &pg.url, &tmp.0, &problems).await.0),
        Err(e) => problems.add(format!("could not start PostgreSQL: {e}")),
    }

    let kills: usize = reports.iter().map(|r| r.kills).sum();
    let acked: usize = reports.iter().map(|r| r.acknowledged).sum();
    let lost: usize = reports.iter().map(|r| r.lost).sum();
    let dup: usize = reports.iter().map(|r| r.duplicated).sum();
    let n = problems.count();
    println!(
        "soak: {} databases, {kills} kills, {acked} acknowledged, {lost} lost, {dup} duplicated; {abuse_checks} abuse checks; \
         {n} problems in {:.0} s",
        reports.len(),
        started.elapsed().as_secs_f64()
    );
    n == 0 && reports.len() == 2
}

fn base_of(port: u16) -> String {
    format!("http://127.0.0.1:{port}/api/v1")
}

fn tokens(owners: &[Owner]) -> Vec<String> {
    let keys = sanfang::auth::jwt::JwtKeys::new(SECRET.as_bytes());
    owners.iter().map(|o| keys.issue(o.user_id, &o.session).expect("token")).collect()
}

fn clerk_token(seeded: &Seeded) -> String {
    sanfang::auth::jwt::JwtKeys::new(SECRET.as_bytes()).issue(seeded.clerk_id, &seeded.clerk_session).expect("token")
}

/// The crash test on one database. Returns its report and what was seeded.
async fn crash(name: &str, url: &str, dir: &Path, problems: &Problems) -> (CrashReport, Seeded) {
    let t = Instant::now();
    let seeded = seed(url, OWNERS, 1).await;
    let vote_id = seeded.votes[0];
    println!("soak {name}: seeded {OWNERS} owners and an open vote in {:.1} s", t.elapsed().as_secs_f64());

    let mut rng = StdRng::seed_from_u64(RNG_SEED);
    let log: Arc<Mutex<Vec<Entry>>> = Arc::new(Mutex::new(
        (0..OWNERS)
            .map(|i| Entry {
                choice: CHOICES[rng.random_range(0..3)],
                key: format!("soak-{name}-{i}"),
                receipt: None,
                attempts: 0,
            })
            .collect(),
    ));
    let tallies = Arc::new(Tallies::default());
    let http = support::client(CONNECTIONS);
    let (mut kills, mut kills_in_flight) = (0, 0);
    // New owners join in every round, so that there is traffic to interrupt at every kill.
    let per_round = OWNERS.div_ceil(KILLS + 1);
    let t = Instant::now();
    for round in 0.. {
        let released = OWNERS.min((round + 1) * per_round);
        let mut todo: Vec<usize>;
        {
            let log = log.lock().expect("log");
            todo = (0..released).filter(|&i| log[i].receipt.is_none()).collect();
            if round > KILLS && todo.is_empty() {
                break;
            }
            let mut acked: Vec<usize> = (0..released).filter(|&i| log[i].receipt.is_some()).collect();
            acked.shuffle(&mut rng);
            todo.extend(acked.into_iter().take(25));
        }
        if round > KILLS + 10 {
            problems.add(format!("{name}: {} ballots still unacknowledged after 10 rounds without kills", todo.len()));
            break;
        }
        todo.shuffle(&mut rng);
        let port = free_port();
        let base = base_of(port);
        let mut server = Server::start(url, port, &[("SANFANG_JWT_SECRET", SECRET)]);
        if !wait_healthy(&http, &base).await {
            problems.add(format!("{name}: the server did not come back after kill {kills}"));
            break;
        }
        let tokens = Arc::new(tokens(&seeded.owners));
        let round_len = todo.len();
        let queue = Arc::new(Mutex::new(todo));
        let in_flight = Arc::new(AtomicUsize::new(0));
        // Ballots acknowledged in this round: the kill waits for a chosen number of them, so that
        // it lands in the middle of the traffic rather than after it.
        let answered = Arc::new(AtomicUsize::new(0));
        let mut workers = Vec::new();
        for _ in 0..CONNECTIONS {
            let (http, base, queue, in_flight, answered, tokens, log, tallies) = (
                http.clone(),
                base.clone(),
                queue.clone(),
                in_flight.clone(),
                answered.clone(),
                tokens.clone(),
                log.clone(),
                tallies.clone(),
            );
            let name = name.to_owned();
            // With no kill coming, every request must be answered.
            let calm = round >= KILLS;
            workers.push(tokio::spawn(async move {
                let mut found = Vec::new();
                loop {
                    let Some(i) = queue.lock().expect("queue").pop() else { break };
                    let entry = {
                        let mut log = log.lock().expect("log");
                        log[i].attempts += 1;
                        log[i].clone()
                    };
                    let body = serde_json::json!({ "choice": entry.choice, "idempotency_key": entry.key }).to_string();
                    let sent_at = Utc::now();
                    in_flight.fetch_add(1, Ordering::SeqCst);
                    let res =
                        send(&http, Method::POST, &format!("{base}/votes/{vote_id}/ballots"), Some(&tokens[i]), body)
                            .await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    match res {
                        Ok((201, bytes)) => {
                            answered.fetch_add(1, Ordering::SeqCst);
                            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
                            let receipt = v["receipt"].as_str().unwrap_or_default().to_owned();
                            let cast_at: Option<DateTime<Utc>> = v["cast_at"].as_str().and_then(|s| s.parse().ok());
                            let mut log = log.lock().expect("log");
                            match &log[i].receipt {
                                Some(r) if *r != receipt => {
                                    found.push(format!("{name}: owner {i}'s retry got receipt {receipt}, not {r}"))
                                }
                                Some(_) => {
                                    tallies.repeats.fetch_add(1, Ordering::Relaxed);
                                }
                                None => {
                                    if entry.attempts > 1 && cast_at.is_some_and(|c| c < sent_at) {
                                        tallies.stored_before_ack.fetch_add(1, Ordering::Relaxed);
                                    }
                                    log[i].receipt = Some(receipt);
                                }
                            }
                        }
                        Ok((status, bytes)) if status >= 500 => {
                            tallies.unanswered.fetch_add(1, Ordering::Relaxed);
                            if calm {
                                found.push(format!(
                                    "{name}: owner {i}'s ballot answered {status} with no kill: {}",
                                    String::from_utf8_lossy(&bytes)
                                ));
                            }
                        }
                        Ok((status, bytes)) => found.push(format!(
                            "{name}: owner {i}'s ballot (attempt {}) answered {status}: {}",
                            entry.attempts,
                            String::from_utf8_lossy(&bytes)
                        )),
                        Err(e) => {
                            tallies.unanswered.fetch_add(1, Ordering::Relaxed);
                            if calm {
                                found.push(format!("{name}: owner {i}'s ballot got no answer with no kill: {e}"));
                            }
                        }
                    }
                }
                found
            }));
        }
        if round < KILLS {
            // Kill after between one and half of this round's ballots have been acknowledged:
            // the other half are queued or in flight.
            let target = rng.random_range(1..=(round_len / 2).max(1));
            let give_up = Instant::now() + Duration::from_secs(60);
            while answered.load(Ordering::SeqCst) < target
                && Instant::now() < give_up
                && workers.iter().any(|w| !w.is_finished())
            {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let flying = in_flight.load(Ordering::SeqCst);
            let before = answered.load(Ordering::SeqCst);
            server.kill();
            kills += 1;
            if flying > 0 {
                kills_in_flight += 1;
            }
            let acked_so_far = log.lock().expect("log").iter().filter(|e| e.receipt.is_some()).count();
            println!(
                "soak {name}: kill {kills} after {before} acknowledged this round ({acked_so_far} in all), {flying} casts in flight"
            );
        }
        for w in workers {
            for p in w.await.expect("cast worker") {
                problems.add(p);
            }
        }
        drop(server);
    }
    if kills_in_flight < MIN_KILLS_IN_FLIGHT {
        problems.add(format!(
            "{name}: only {kills_in_flight} of {kills} kills landed with casts in flight (at least {MIN_KILLS_IN_FLIGHT} must)"
        ));
    }
    let log: Vec<Entry> = log.lock().expect("log").clone();
    let acknowledged = log.iter().filter(|e| e.receipt.is_some()).count();
    let attempts: u32 = log.iter().map(|e| e.attempts).sum();
    println!(
        "soak {name}: {attempts} requests for {OWNERS} ballots in {:.1} s, {kills} kills ({kills_in_flight} with ballots in \
         flight), {} unanswered and retried, {} stored before the answer was lost (the retry got the stored receipt), \
         {} retries of acknowledged ballots got the same receipt",
        t.elapsed().as_secs_f64(),
        tallies.unanswered.load(Ordering::Relaxed),
        tallies.stored_before_ack.load(Ordering::Relaxed),
        tallies.repeats.load(Ordering::Relaxed),
    );

    let (lost, duplicated, stored_ok) = check_stored(name, url, vote_id, &seeded.owners, &log, problems).await;
    let recount_ok = check_published(name, url, dir, &seeded, &log, problems).await;
    let verify = Command::new(binary()).arg("verify").env("DATABASE_URL", url).output().expect("sanfang verify");
    let verify_ok = verify.status.success();
    if !verify_ok {
        problems.add(format!("{name}: sanfang verify failed: {}", String::from_utf8_lossy(&verify.stderr).trim()));
    }
    let integrity = integrity_check(url).await;
    if integrity != "ok" {
        problems.add(format!("{name}: integrity check: {integrity}"));
    }
    println!(
        "soak {name}: {kills} kills, {acknowledged} acknowledged, {lost} lost, {duplicated} duplicated, verify {}, \
         integrity {integrity}, recount {}",
        if verify_ok { "ok" } else { "FAILED" },
        if recount_ok && stored_ok { "equal" } else { "DIFFERENT" },
    );
    (CrashReport { kills, acknowledged, lost, duplicated }, seeded)
}

/// Every acknowledged ballot is stored exactly once, with its choice and receipt (read from the
/// database). Returns (lost, duplicated, everything matched).
async fn check_stored(
    name: &str,
    url: &str,
    vote_id: i64,
    owners: &[Owner],
    log: &[Entry],
    problems: &Problems,
) -> (usize, usize, bool) {
    use sanfang::entities::ballot;
    let db = sanfang::db::connect(url).await.expect("database");
    let stored = ballot::Entity::find().filter(ballot::Column::VoteId.eq(vote_id)).all(&db).await.expect("ballots");
    db.close().await.ok();
    let mut by_holder: HashMap<i64, Vec<&ballot::Model>> = HashMap::new();
    for b in &stored {
        by_holder.entry(b.holder_id).or_default().push(b);
    }
    let duplicated: usize = by_holder.values().map(|v| v.len().saturating_sub(1)).sum();
    let (mut lost, mut wrong) = (0, 0);
    for (o, e) in owners.iter().zip(log) {
        let Some(receipt) = &e.receipt else { continue };
        match by_holder.get(&o.holder_id).map(|v| v.as_slice()) {
            Some([b]) if b.receipt == *receipt && b.choice.as_deref() == Some(e.choice) => {}
            Some([b]) => {
                wrong += 1;
                problems.add(format!(
                    "{name}: {}'s ballot is stored as {:?} with receipt {}, acknowledged as {} with {receipt}",
                    o.login, b.choice, b.receipt, e.choice
                ));
            }
            Some(_) => {}
            None => {
                lost += 1;
                problems.add(format!("{name}: {}'s acknowledged ballot {receipt} is not stored", o.login));
            }
        }
    }
    if duplicated > 0 {
        problems.add(format!("{name}: {duplicated} holders have more than one ballot"));
    }
    let acked: std::collections::HashSet<i64> =
        owners.iter().zip(log).filter(|(_, e)| e.receipt.is_some()).map(|(o, _)| o.holder_id).collect();
    let strays = by_holder.keys().filter(|h| !acked.contains(h)).count();
    if strays > 0 {
        problems.add(format!("{name}: {strays} holders have a stored ballot that was never acknowledged"));
    }
    (lost, duplicated, wrong == 0)
}

/// Close the vote, then compare the public ballot list, the server's result and `sanfang tally`
/// on the CSV exports with what the driver cast.
async fn check_published(
    name: &str,
    url: &str,
    dir: &Path,
    seeded: &Seeded,
    log: &[Entry],
    problems: &Problems,
) -> bool {
    use sanfang::entities::vote;
    let vote_id = seeded.votes[0];
    let db = sanfang::db::connect(url).await.expect("database");
    vote::Entity::update_many()
        .col_expr(vote::Column::ClosesAt, Expr::value(Utc::now() - chrono::Duration::seconds(1)))
        .filter(vote::Column::Id.eq(vote_id))
        .exec(&db)
        .await
        .expect("move the close");
    db.close().await.ok();
    let port = free_port();
    let base = base_of(port);
    let _server = Server::start(url, port, &[("SANFANG_JWT_SECRET", SECRET)]);
    let http = support::client(4);
    assert!(wait_healthy(&http, &base).await, "the server did not start");
    let token = clerk_token(seeded);
    let get = |path: String| {
        let (http, token) = (http.clone(), token.clone());
        async move {
            match send(&http, Method::GET, &path, Some(&token), Bytes::new()).await {
                Ok((200, b)) => Ok(b),
                Ok((s, b)) => Err(format!("{path}: {s} {}", String::from_utf8_lossy(&b))),
                Err(e) => Err(format!("{path}: {e}")),
            }
        }
    };
    let result = async {
        let v: serde_json::Value =
            serde_json::from_slice(&get(format!("{base}/votes/{vote_id}")).await?).map_err(|e| e.to_string())?;
        if v["status"] != "closed" {
            return Err(format!("the vote is {} after its close", v["status"]));
        }
        let list: Vec<serde_json::Value> =
            serde_json::from_slice(&get(format!("{base}/votes/{vote_id}/ballots")).await?)
                .map_err(|e| e.to_string())?;
        let mut published: HashMap<String, (usize, String)> = HashMap::new();
        for b in &list {
            let e = published.entry(b["receipt"].as_str().unwrap_or_default().to_owned()).or_default();
            e.0 += 1;
            e.1 = b["choice"].as_str().unwrap_or_default().to_owned();
        }
        let mut mismatched = 0;
        for e in log {
            let Some(r) = &e.receipt else { continue };
            if !matches!(published.get(r), Some((1, c)) if c == e.choice) {
                mismatched += 1;
            }
        }
        if mismatched > 0 || list.len() != log.iter().filter(|e| e.receipt.is_some()).count() {
            return Err(format!(
                "the public ballot list has {} entries; {mismatched} acknowledged receipts are missing, repeated or \
                 show another choice",
                list.len()
            ));
        }
        let roster = get(format!("{base}/votes/{vote_id}/export/roster.csv")).await?;
        let ballots = get(format!("{base}/votes/{vote_id}/export/ballots.csv")).await?;
        let (r, b) = (dir.join(format!("{name}-roster.csv")), dir.join(format!("{name}-ballots.csv")));
        std::fs::write(&r, &roster).map_err(|e| e.to_string())?;
        std::fs::write(&b, &ballots).map_err(|e| e.to_string())?;
        let out = Command::new(binary())
            .args(["tally", "--roster", &r.to_string_lossy(), "--ballots", &b.to_string_lossy(), "--matter", "other"])
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("sanfang tally: {}", String::from_utf8_lossy(&out.stderr)));
        }
        let recount: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        for choice in CHOICES {
            let (mut heads, mut area) = (0i64, 0i64);
            for (o, e) in seeded.owners.iter().zip(log) {
                if e.receipt.is_some() && e.choice == choice {
                    heads += 1;
                    area += o.area_centi;
                }
            }
            let mine = serde_json::json!({ "area": format!("{}.{:02}", area / 100, area % 100), "headcount": heads });
            if recount[choice] != mine || v["result"][choice] != mine {
                return Err(format!(
                    "{choice}: the driver cast {mine}, sanfang tally counts {}, the server's result says {}",
                    recount[choice], v["result"][choice]
                ));
            }
        }
        Ok(())
    }
    .await;
    if let Err(e) = &result {
        problems.add(format!("{name}: {e}"));
    }
    result.is_ok()
}

/// SQLite's `PRAGMA integrity_check`; on PostgreSQL, amcheck over every index of the schema.
async fn integrity_check(url: &str) -> String {
    let db = sanfang::db::connect(url).await.expect("database");
    let backend = db.get_database_backend();
    let answer = if url.starts_with("sqlite") {
        match db.query_one_raw(sea_orm::Statement::from_string(backend, "PRAGMA integrity_check")).await {
            Ok(Some(row)) => row.try_get_by_index::<String>(0).unwrap_or_else(|e| e.to_string()),
            Ok(None) => "no answer".into(),
            Err(e) => e.to_string(),
        }
    } else {
        let checks = async {
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS amcheck").await?;
            db.execute_unprepared(
                "SELECT bt_index_check(c.oid, true) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
                 JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'btree' AND c.relnamespace = 'public'::regnamespace",
            )
            .await?;
            Ok::<_, sea_orm::DbErr>(())
        };
        match checks.await {
            Ok(()) => "ok".into(),
            Err(e) => e.to_string(),
        }
    };
    db.close().await.ok();
    answer
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Sign in from `client`, the address the trusted reverse proxy in front of the server reports.
async fn login(http: &Http, base: &str, client: &str, login: &str, password: &str) -> Result<u16, String> {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    let req = Request::post(format!("{base}/auth/login"))
        .header("content-type", "application/json")
        .header("x-forwarded-for", client)
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    http.request(req).await.map(|r| r.status().as_u16()).map_err(|e| e.to_string())
}

/// Where the stuffing run comes from; the storm's residents each have their own address.
const STUFFER: &str = "203.0.113.7";

/// The abuse checks against a fresh server over the crash test's SQLite database. Returns how
/// many checks ran.
async fn abuse(url: &str, seeded: &Seeded, problems: &Problems) -> usize {
    let port = free_port();
    let base = base_of(port);
    // As in production, behind a reverse proxy on loopback that reports each client's address.
    let server = Server::start(url, port, &[("SANFANG_JWT_SECRET", SECRET), ("SANFANG_TRUSTED_PROXIES", "127.0.0.1")]);
    let pid = server.pid();
    let probe = support::client(1);
    assert!(wait_healthy(&probe, &base).await, "the server did not start");
    let mut checks = 0;

    // 500 simultaneous logins of 500 residents, each on its own connection and from its own
    // address, while /health is timed.
    checks += 1;
    let (rss_before, _) = rss_kib(pid);
    let storming = Arc::new(AtomicBool::new(true));
    let prober = {
        let (probe, base, storming) = (probe.clone(), base.clone(), storming.clone());
        tokio::spawn(async move {
            let (mut lat, mut failed) = (Vec::new(), 0);
            while storming.load(Ordering::SeqCst) {
                let t = Instant::now();
                match send(&probe, Method::GET, &format!("{base}/health"), None, Bytes::new()).await {
                    Ok((200, _)) => lat.push(t.elapsed()),
                    _ => failed += 1,
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            (lat, failed)
        })
    };
    let storm = support::client(LOGIN_STORM);
    let gate = Arc::new(tokio::sync::Barrier::new(LOGIN_STORM));
    let t = Instant::now();
    let mut logins = Vec::new();
    for (i, o) in seeded.owners.iter().take(LOGIN_STORM).enumerate() {
        let (storm, base, gate, name) = (storm.clone(), base.clone(), gate.clone(), o.login.clone());
        let client = format!("10.0.{}.{}", i / 250, i % 250 + 1);
        logins.push(tokio::spawn(async move {
            gate.wait().await;
            login(&storm, &base, &client, &name, PASSWORD).await
        }));
    }
    let mut statuses: HashMap<String, usize> = HashMap::new();
    for l in logins {
        let s = match l.await.expect("login task") {
            Ok(s) => s.to_string(),
            Err(e) => format!("error ({e})"),
        };
        *statuses.entry(s).or_default() += 1;
    }
    let storm_took = t.elapsed();
    storming.store(false, Ordering::SeqCst);
    let (mut lat, health_failed) = prober.await.expect("prober");
    lat.sort();
    let (rss_after, rss_peak) = rss_kib(pid);
    let ok = statuses.get("200").copied().unwrap_or(0);
    println!(
        "abuse logins: {LOGIN_STORM} simultaneous logins in {:.1} s: {ok} signed in, {} other ({statuses:?}); \
         /health answered {} times during the storm, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {health_failed} failed; \
         server RSS {} MiB before, {} MiB after, {} MiB peak",
        storm_took.as_secs_f64(),
        LOGIN_STORM - ok,
        lat.len(),
        lat.get(lat.len() / 2).map_or(0.0, |d| d.as_secs_f64() * 1e3),
        if lat.is_empty() { 0.0 } else { percentile(&lat, 0.99).as_secs_f64() * 1e3 },
        lat.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        rss_before / 1024,
        rss_after / 1024,
        rss_peak / 1024,
    );
    if ok != LOGIN_STORM {
        problems.add(format!("{} of {LOGIN_STORM} simultaneous logins failed: {statuses:?}", LOGIN_STORM - ok));
    }
    if health_failed > 0 || lat.is_empty() {
        problems.add(format!("/health failed {health_failed} times during the login storm"));
    }
    if rss_after > rss_before + 200 * 1024 {
        problems.add(format!(
            "the server grew from {} to {} MiB in the login storm",
            rss_before / 1024,
            rss_after / 1024
        ));
    }

    // The slow clients run while the rest goes on.
    checks += 2;
    let addr = format!("127.0.0.1:{port}");
    let trickle = tokio::spawn(trickle_headers(addr.clone()));
    let stalled = tokio::spawn(stalled_body(addr));

    // Oversized bodies.
    checks += 2;
    let http = support::client(4);
    let big_json = serde_json::json!({ "login": "x", "password": "a".repeat(100 * 1024) }).to_string();
    let json_status = send(&http, Method::POST, &format!("{base}/auth/login"), None, big_json).await;
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(11 * 1024 * 1024, b' ');
    let upload = Request::post(format!("{base}/compounds/{}/files?name=big.pdf", seeded.compound_id))
        .header("content-type", "application/octet-stream")
        .header("authorization", format!("Bearer {}", clerk_token(seeded)))
        .body(Full::new(Bytes::from(pdf)))
        .expect("request");
    let upload_status = http.request(upload).await.map(|r| r.status().as_u16()).map_err(|e| e.to_string());
    println!(
        "abuse bodies: a 100 KiB JSON body (limit {} KiB) answered {json_status:?}; an 11 MiB upload (limit {} MiB) \
         answered {upload_status:?}",
        sanfang::MAX_BODY_BYTES / 1024,
        sanfang::files::MAX_FILE_BYTES / 1024 / 1024,
        json_status = json_status.as_ref().map(|(s, _)| *s),
    );
    if !matches!(json_status, Ok((413, _))) {
        problems.add(format!("an oversized JSON body was not refused with 413: {:?}", json_status.map(|(s, _)| s)));
    }
    if upload_status != Ok(413) {
        problems.add(format!("an oversized upload was not refused with 413: {upload_status:?}"));
    }

    // Credential stuffing: wrong passwords for many accounts from one address.
    checks += 1;
    let mut blocked_at = None;
    for n in 1..=200 {
        let who = &seeded.owners[LOGIN_STORM + n % 50].login;
        match login(&http, &base, STUFFER, who, &format!("guess-{n}")).await {
            Ok(429) => {
                blocked_at = Some(n);
                break;
            }
            Ok(401) => {}
            other => {
                problems.add(format!("credential stuffing: attempt {n} answered {other:?}"));
                break;
            }
        }
    }
    let real = login(&http, &base, STUFFER, &seeded.owners[0].login, PASSWORD).await;
    println!(
        "abuse stuffing: wrong passwords for 50 accounts from one address: 429 at attempt {}, after {} refusals \
         (by design: 30 failures per address free, then a doubling back-off); a right password from that address \
         then answers {real:?}",
        blocked_at.map_or("never".into(), |n| n.to_string()),
        blocked_at.map_or(0, |n| n - 1),
    );
    if blocked_at.is_none_or(|n| n > 31) {
        problems.add(format!("credential stuffing was not stopped by attempt 31: {blocked_at:?}"));
    }

    let trickle = trickle.await.expect("trickle");
    let stalled = stalled.await.expect("stalled");
    println!(
        "abuse slow clients: headers sent a byte every 200 ms: {}; a body that never finishes: {}",
        describe_cut(&trickle),
        describe_cut(&stalled),
    );
    match trickle {
        Ok((took, _)) if took <= sanfang::HEADER_READ_TIMEOUT + Duration::from_secs(3) => {}
        other => problems.add(format!("a client trickling its headers was not cut off in time: {other:?}")),
    }
    match stalled {
        Ok((took, _)) if took <= sanfang::REQUEST_TIMEOUT + Duration::from_secs(3) => {}
        other => problems.add(format!("a client that never finishes its body was not cut off in time: {other:?}")),
    }
    let (rss_end, rss_peak) = rss_kib(pid);
    println!("abuse memory: server RSS {} MiB at the end, {} MiB peak", rss_end / 1024, rss_peak / 1024);
    drop(server);
    checks
}

fn describe_cut(r: &Result<(Duration, String), String>) -> String {
    match r {
        Ok((took, answer)) if answer.is_empty() => {
            format!("closed after {:.1} s without an answer", took.as_secs_f64())
        }
        Ok((took, answer)) => format!("answered \"{answer}\" and closed after {:.1} s", took.as_secs_f64()),
        Err(e) => format!("NOT cut off: {e}"),
    }
}

/// Read until the server closes the connection; returns how long that took from `start` and the
/// status line of any answer.
async fn until_closed(mut r: tokio::net::tcp::OwnedReadHalf, start: Instant) -> (Duration, String) {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match r.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&got);
    (start.elapsed(), text.lines().next().unwrap_or_default().trim().to_owned())
}

/// A client that sends its request head one byte every 200 ms, for at most 60 s.
async fn trickle_headers(addr: String) -> Result<(Duration, String), String> {
    let stream = tokio::net::TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
    let (r, mut w) = stream.into_split();
    let start = Instant::now();
    let mut closed = tokio::spawn(until_closed(r, start));
    let head = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let mut bytes = head.iter().copied().chain(std::iter::repeat(b'a'));
    while start.elapsed() < Duration::from_secs(60) {
        tokio::select! {
            done = &mut closed => return done.map_err(|e| e.to_string()),
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
        }
        if w.write_all(&[bytes.next().unwrap_or(b'a')]).await.is_err() {
            break;
        }
    }
    match tokio::time::timeout(Duration::from_secs(5), closed).await {
        Ok(done) => done.map_err(|e| e.to_string()),
        Err(_) => Err("still open after 60 s".into()),
    }
}

/// A client that sends a request head announcing 1,000 bytes of body, sends ten, and waits.
async fn stalled_body(addr: String) -> Result<(Duration, String), String> {
    let mut stream = tokio::net::TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
    let start = Instant::now();
    stream
        .write_all(
            b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{\"login\":",
        )
        .await
        .map_err(|e| e.to_string())?;
    let (r, _w) = stream.into_split();
    match tokio::time::timeout(Duration::from_secs(60), until_closed(r, start)).await {
        Ok(done) => Ok(done),
        Err(_) => Err("still open after 60 s".into()),
    }
}
