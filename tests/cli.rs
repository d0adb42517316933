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
