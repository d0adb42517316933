//! The `sanfang` command on a SQLite file: migrate, create an administrator, verify the audit chain.
use std::{
    path::PathBuf,
    process::{Command, Output},
};

use sea_orm::ConnectionTrait;

/// A fresh directory under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("sanfang-cli-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn sanfang(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sanfang"))
        .args(args)
        .env("DATABASE_URL", url)
        .env_remove("SANFANG_ADMIN_PASSWORD")
        .output()
        .expect("run sanfang")
}

#[track_caller]
fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test]
async fn verify_passes_on_a_fresh_database_and_names_the_event_that_was_tampered_with() {
    let dir = TempDir::new();
    let url = format!("sqlite://{}?mode=rwc", dir.0.join("x.db").display());

    succeeded(&sanfang(&url, &["migrate"]));
    let out = succeeded(&sanfang(&url, &["create-admin", "--username", "root", "--password", "root-password-1"]));
    assert!(out.contains("root"), "{out}");
    let out = succeeded(&sanfang(&url, &["verify"]));
    assert!(out.contains("audit chain ok: 1 events"), "{out}");

    // A second administrator makes a second event; then the first is altered behind the server's back.
    succeeded(&sanfang(&url, &["create-admin", "--username", "root2", "--password", "root-password-2"]));
    let short = sanfang(&url, &["create-admin", "--username", "root3", "--password", "short"]);
    assert!(!short.status.success(), "a weak password is refused");
    succeeded(&sanfang(&url, &["verify"]));

    let db = sanfang::db::connect(&url).await.unwrap();
    db.execute_unprepared("UPDATE audit_events SET detail = '{\"username\":\"mallory\"}' WHERE seq = 1").await.unwrap();
    db.close().await.unwrap();

    let out = sanfang(&url, &["verify"]);
    assert!(!out.status.success(), "verify passed a tampered chain");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("event #1"), "{stderr}");
}

#[tokio::test]
async fn a_taken_admin_user_name_fails_without_a_second_account() {
    let dir = TempDir::new();
    let url = format!("sqlite://{}?mode=rwc", dir.0.join("x.db").display());
    succeeded(&sanfang(&url, &["create-admin", "--username", "root", "--password", "root-password-1"]));
    let again = sanfang(&url, &["create-admin", "--username", "root", "--password", "root-password-2"]);
    assert!(!again.status.success());
    let out = succeeded(&sanfang(&url, &["verify"]));
    assert!(out.contains("audit chain ok: 1 events"), "{out}");
}

#[test]
fn openapi_prints_the_document() {
    let out = succeeded(&sanfang("sqlite::memory:", &["openapi"]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(doc["paths"]["/api/v1/auth/login"].is_object());
}

/// Run `sanfang tally` on the given file contents.
fn tally(matter: &str, roster: &str, ballots: &str) -> Output {
    let dir = TempDir::new();
    let (r, b) = (dir.0.join("roster.csv"), dir.0.join("ballots.csv"));
    std::fs::write(&r, roster).unwrap();
    std::fs::write(&b, ballots).unwrap();
    Command::new(env!("CARGO_BIN_EXE_sanfang"))
        .arg("tally")
        .arg("--roster")
        .arg(&r)
        .arg("--ballots")
        .arg(&b)
        .args(["--matter", matter])
        .env_remove("DATABASE_URL")
        .output()
        .expect("run sanfang tally")
}

/// H1 holds two units; 300.75 m² and three heads in all.
const ROSTER: &str = "unit,holder,area\n1-101,H1,100\n1-102,H1,50.5\n1-201,H2,80\n1-202,H3,70.25\n";

#[test]
fn tally_refuses_bad_files_with_exit_code_2_naming_the_line() {
    let ok = "unit,choice\n1-101,agree\n";
    for (matter, roster, ballots, expected) in [
        ("lottery", ROSTER, ok, "--matter: unknown matter 'lottery'"),
        (
            "covenant",
            ROSTER,
            "unit,choice\n1-101,agree\n9-999,agree\n",
            "ballots line 3: unit '9-999' is not in the roster",
        ),
        ("covenant", ROSTER, "unit,choice\n1-101,agree\n1-101,agree\n", "ballots line 3: unit 1-101 is listed twice"),
        (
            "covenant",
            ROSTER,
            "unit,choice\n1-101,agree\n1-102,oppose\n",
            "ballots line 3: this unit's holder chose 'agree' on line 2",
        ),
        ("covenant", ROSTER, "unit,choice\n1-101,maybe\n", "ballots line 2: unknown choice 'maybe'"),
        ("covenant", "unit,holder,area\n1,H1,abc\n", ok, "roster line 2: the area 'abc'"),
        ("covenant", "unit,holder,area\n1,H1,-5\n", ok, "roster line 2: the area '-5'"),
        ("covenant", "unit,holder,area\n1,H1,5.123\n", ok, "roster line 2: the area '5.123'"),
        (
            "covenant",
            "unit,holder,area\n1,H1,5\n2,H2,6\n1,H3,7\n",
            ok,
            "roster line 4: unit 1 is listed twice (first on line 2)",
        ),
        ("covenant", "unit,area\n1,5\n", ok, "roster line 1: the header has no 'holder' column"),
        ("covenant", ROSTER, "unit\n1-101\n", "ballots line 1: the header has no 'choice' column"),
    ] {
        let out = tally(matter, roster, ballots);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{expected}: exit {:?}, stderr {stderr}", out.status);
        assert!(stderr.contains(expected), "expected '{expected}' in: {stderr}");
        assert!(out.stdout.is_empty(), "nothing printed on a refusal");
    }
}

#[test]
fn tally_reads_files_with_a_bom_and_prints_the_fixed_json_format() {
    let roster = format!("\u{feff}{ROSTER}");
    let ballots = "\u{feff}unit,choice\n1-101,agree\n1-102,同意\n1-201,agree\n1-202,弃权\n";
    let out = tally("covenant", &roster, ballots);
    let text = succeeded(&out);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "matter": "covenant",
            "threshold": "ordinary",
            "total": { "area": "300.75", "headcount": 3 },
            "participating": { "area": "300.75", "headcount": 3 },
            "agree": { "area": "230.50", "headcount": 2 },
            "oppose": { "area": "0.00", "headcount": 0 },
            "abstain": { "area": "70.25", "headcount": 1 },
            "quorum_met": true,
            "passed": true
        })
    );
    // The keys come in the documented order.
    let keys = [
        "\"matter\"",
        "\"threshold\"",
        "\"total\"",
        "\"participating\"",
        "\"agree\"",
        "\"oppose\"",
        "\"abstain\"",
        "\"quorum_met\"",
        "\"passed\"",
    ];
    let at: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap_or_else(|| panic!("{k} missing"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn tally_never_passes_a_matter_without_the_quorum() {
    // Everyone who took part agreed, but one head of three and half the area is no quorum.
    for matter in ["covenant", "rebuild"] {
        let out = tally(matter, ROSTER, "unit,choice\n1-101,agree\n");
        let json: serde_json::Value = serde_json::from_str(&succeeded(&out)).unwrap();
        assert_eq!(json["agree"], serde_json::json!({ "area": "150.50", "headcount": 1 }));
        assert_eq!((json["quorum_met"].as_bool(), json["passed"].as_bool()), (Some(false), Some(false)), "{json}");
    }
    // Exactly three quarters passes a special matter: four equal holders, three agree.
    let roster = "unit,holder,area\n1,A,10\n2,B,10\n3,C,10\n4,D,10\n";
    let out = tally("fund_raise", roster, "unit,choice\n1,agree\n2,agree\n3,agree\n4,oppose\n");
    let json: serde_json::Value = serde_json::from_str(&succeeded(&out)).unwrap();
    assert_eq!((json["threshold"].as_str(), json["passed"].as_bool()), (Some("special"), Some(true)));
    // Exactly half fails an ordinary one.
    let out = tally("manager", roster, "unit,choice\n1,agree\n2,agree\n3,oppose\n4,oppose\n");
    let json: serde_json::Value = serde_json::from_str(&succeeded(&out)).unwrap();
    assert_eq!((json["quorum_met"].as_bool(), json["passed"].as_bool()), (Some(true), Some(false)));
}

/// A request to the in-process app; returns the status and the JSON body.
async fn call(
    app: &axum::Router,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: serde_json::Value,
) -> (axum::http::StatusCode, serde_json::Value) {
    use axum::{body::Body, extract::ConnectInfo, http::Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .extension(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 40000))));
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn verify_names_a_ballot_changed_in_the_database() {
    use axum::http::StatusCode;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    use serde_json::json;

    let dir = TempDir::new();
    let url = format!("sqlite://{}?mode=rwc", dir.0.join("x.db").display());
    let db = sanfang::db::connect(&url).await.unwrap();
    assert!(sanfang::demo::seed(&db).await.unwrap());
    let app = sanfang::app(sanfang::AppState::new(db.clone(), b"cli-test-secret-cli-test-secret-cli!"), None);

    let login = json!({ "login": "owner001", "password": sanfang::demo::DEMO_PASSWORD });
    let (status, body) = call(&app, "POST", "/api/v1/auth/login", None, login).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (_, me) = call(&app, "GET", "/api/v1/me", Some(&token), json!(null)).await;
    let compound = me["holdings"][0]["compound_id"].as_i64().unwrap();
    let (_, votes) = call(&app, "GET", &format!("/api/v1/compounds/{compound}/votes"), Some(&token), json!(null)).await;
    let vote = votes[0]["id"].as_i64().unwrap();
    let (status, body) =
        call(&app, "POST", &format!("/api/v1/votes/{vote}/ballots"), Some(&token), json!({ "choice": "agree" })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let ballot = sanfang::entities::ballot::Entity::find()
        .filter(sanfang::entities::ballot::Column::VoteId.eq(vote))
        .one(&db)
        .await
        .unwrap()
        .expect("the ballot is stored")
        .id;
    drop(app);

    let out = succeeded(&sanfang(&url, &["verify"]));
    assert!(out.contains("every ballot matches"), "{out}");

    db.execute_unprepared(&format!("UPDATE ballots SET choice = 'oppose' WHERE id = {ballot}")).await.unwrap();
    db.close().await.unwrap();
    let out = sanfang(&url, &["verify"]);
    assert!(!out.status.success(), "verify passed a changed ballot");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("ballot {ballot} was altered")), "{stderr}");
}

#[tokio::test]
async fn a_backup_taken_during_voting_restores_and_verifies_and_a_tampered_one_is_refused() {
    use axum::http::StatusCode;
    use serde_json::json;

    let dir = TempDir::new();
    let live = format!("sqlite://{}?mode=rwc", dir.0.join("live.db").display());
    let db = sanfang::db::connect(&live).await.unwrap();
    assert!(sanfang::demo::seed(&db).await.unwrap());
    let app = sanfang::app(sanfang::AppState::new(db.clone(), b"cli-test-secret-cli-test-secret-cli!"), None);
    let login = json!({ "login": "owner002", "password": sanfang::demo::DEMO_PASSWORD });
    let (_, body) = call(&app, "POST", "/api/v1/auth/login", None, login).await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    let (_, me) = call(&app, "GET", "/api/v1/me", Some(&token), json!(null)).await;
    let compound = me["holdings"][0]["compound_id"].as_i64().unwrap();
    let (_, votes) = call(&app, "GET", &format!("/api/v1/compounds/{compound}/votes"), Some(&token), json!(null)).await;
    let vote = votes[0]["id"].as_i64().unwrap();
    let (status, receipt) =
        call(&app, "POST", &format!("/api/v1/votes/{vote}/ballots"), Some(&token), json!({ "choice": "agree" })).await;
    assert_eq!(status, StatusCode::CREATED, "{receipt}");

    // Taken while the database is open and the vote is running.
    let copy = dir.0.join("copy.db");
    let out = succeeded(&sanfang(&live, &["backup", &copy.display().to_string()]));
    assert!(out.contains("backed up"), "{out}");
    assert!(!sanfang(&live, &["backup", &copy.display().to_string()]).status.success(), "overwrote a file");
    drop(app);
    db.close().await.unwrap();

    let restored = format!("sqlite://{}?mode=rwc", dir.0.join("restored.db").display());
    let out = succeeded(&sanfang(&restored, &["restore", &copy.display().to_string()]));
    assert!(out.contains("every ballot matches"), "{out}");
    let out = succeeded(&sanfang(&restored, &["verify"]));
    assert!(out.contains("every ballot matches"), "{out}");
    let db = sanfang::db::connect(&restored).await.unwrap();
    let v =
        <sanfang::entities::vote::Entity as sea_orm::EntityTrait>::find_by_id(vote).one(&db).await.unwrap().unwrap();
    let stored = sanfang::votes::lifecycle::turnout(&db, &v).await.unwrap();
    assert_eq!(stored.1.heads, 1, "the ballot cast before the backup is there");
    db.close().await.unwrap();

    // A backup whose ballot was changed is refused, and the database in place is left as it was.
    let bad = sanfang::db::connect(&format!("sqlite://{}?mode=rw", copy.display())).await.unwrap();
    bad.execute_unprepared("UPDATE ballots SET choice = 'oppose'").await.unwrap();
    bad.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
    bad.close().await.unwrap();
    let out = sanfang(&restored, &["restore", &copy.display().to_string()]);
    assert!(!out.status.success(), "restored a tampered backup");
    assert!(String::from_utf8_lossy(&out.stderr).contains("was altered"), "{}", String::from_utf8_lossy(&out.stderr));
    succeeded(&sanfang(&restored, &["verify"]));
}
