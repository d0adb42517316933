//! What the compatibility tests and the fixture writer share: the fixture's paths, a client
//! over the real router, and the records kept of audit events and ballots.
#![allow(dead_code)]

pub(crate) use std::{
    collections::BTreeMap,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Command,
};

pub(crate) use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, StatusCode, header},
};
pub(crate) use chrono::{Duration, Utc};
pub(crate) use http_body_util::BodyExt;
pub(crate) use sanfang::{
    AppState,
    audit::VerifyReport,
    entities::{audit_event, ballot},
};
pub(crate) use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryOrder, Statement};
pub(crate) use serde_json::{Value, json};
pub(crate) use tower::ServiceExt;

/// Every account in the fixture signs in with this password, except `owner-2`, who recovered
/// theirs as [`RECOVERED_PASSWORD`].
pub(crate) const PASSWORD: &str = "fixture-password-1";
pub(crate) const RECOVERED_PASSWORD: &str = "fixture-password-2";
/// The phone number the owner of holder H4 registered with (their user name too).
pub(crate) const REGISTERED_PHONE: &str = "13800000004";
pub(crate) const JWT_SECRET: &[u8] = b"compat-secret-compat-secret-compat!";

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

/// A fresh directory under the system's temporary directory, removed when dropped.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("sanfang-compat-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub(crate) fn url(&self, file: &str) -> String {
        format!("sqlite://{}?mode=rwc", self.0.join(file).display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A copy of the fixture database in a fresh directory (opening it switches the file to WAL
/// and migrates it, so the fixture itself is never opened); returns the directory and the copy's URL.
pub(crate) fn copy_of_fixture() -> (TempDir, String) {
    let dir = TempDir::new();
    std::fs::copy(fixture("before-refactor.db"), dir.0.join("old.db")).expect("the fixture database is present");
    let url = dir.url("old.db");
    (dir, url)
}

pub(crate) fn recorded() -> Value {
    let text = std::fs::read_to_string(fixture("before-refactor.json")).expect("the fixture record is present");
    serde_json::from_str(&text).expect("the fixture record is JSON")
}

/// The router over a database, and requests to it.
pub(crate) struct Client {
    pub(crate) router: Router,
    pub(crate) tokens: BTreeMap<String, String>,
}

pub(crate) struct Res {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

impl Res {
    #[track_caller]
    pub(crate) fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        self
    }

    #[track_caller]
    pub(crate) fn id(&self) -> i64 {
        self.body["id"].as_i64().unwrap_or_else(|| panic!("no id in {}", self.body))
    }
}

impl Client {
    pub(crate) fn new(db: &DatabaseConnection) -> Self {
        let state = AppState::new(db.clone(), JWT_SECRET);
        Client { router: sanfang::app(state, None), tokens: BTreeMap::new() }
    }

    pub(crate) async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Body,
        content_type: &str,
    ) -> Res {
        let client = SocketAddr::from(([127, 0, 0, 1], 40000));
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .extension(ConnectInfo(client))
            .header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let res = self.router.clone().oneshot(req.body(body).unwrap()).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Res { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
    }

    pub(crate) async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Value) -> Res {
        self.request(method, path, token, Body::from(body.to_string()), "application/json").await
    }

    pub(crate) async fn get(&self, path: &str, token: &str) -> Res {
        self.request(Method::GET, path, Some(token), Body::empty(), "application/json").await
    }

    pub(crate) async fn post(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::POST, path, Some(token), body).await
    }

    pub(crate) async fn upload(&self, path: &str, token: &str, bytes: Vec<u8>, content_type: &str) -> Res {
        self.request(Method::POST, path, Some(token), Body::from(bytes), content_type).await
    }

    pub(crate) async fn sign_in(&self, login: &str, password: &str) -> Res {
        self.send(Method::POST, "/api/v1/auth/login", None, json!({ "login": login, "password": password })).await
    }

    /// An access token for `login`, signing in with `password` the first time.
    pub(crate) async fn token_with(&mut self, login: &str, password: &str) -> String {
        if let Some(t) = self.tokens.get(login) {
            return t.clone();
        }
        let res = self.sign_in(login, password).await.expect(StatusCode::OK);
        let token = res.body["access_token"].as_str().unwrap().to_owned();
        self.tokens.insert(login.to_owned(), token.clone());
        token
    }

    pub(crate) async fn token(&mut self, login: &str) -> String {
        self.token_with(login, PASSWORD).await
    }
}

/// `d` from now, as the API takes times.
pub(crate) fn at(d: Duration) -> String {
    (Utc::now() + d).to_rfc3339()
}

/// What the fixture record keeps of every audit event.
pub(crate) fn audit_record(e: &audit_event::Model) -> Value {
    json!({ "seq": e.seq, "action": e.action, "prev_hash": e.prev_hash, "hash": e.hash })
}

/// What the fixture record keeps of every ballot.
pub(crate) fn ballot_record(b: &ballot::Model) -> Value {
    json!({ "id": b.id, "vote_id": b.vote_id, "holder_id": b.holder_id, "channel": b.channel, "status": b.status,
            "receipt": b.receipt, "audit_seq": b.audit_seq })
}

pub(crate) async fn audit_events(db: &DatabaseConnection) -> Vec<audit_event::Model> {
    audit_event::Entity::find().order_by_asc(audit_event::Column::Seq).all(db).await.unwrap()
}

pub(crate) async fn ballots(db: &DatabaseConnection) -> Vec<ballot::Model> {
    ballot::Entity::find().order_by_asc(ballot::Column::Id).all(db).await.unwrap()
}

/// The migrations a database has applied, in order.
pub(crate) async fn migrations(db: &DatabaseConnection) -> Vec<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT version FROM seaql_migrations ORDER BY version",
        ))
        .await
        .unwrap();
    rows.iter().map(|r| r.try_get::<String>("", "version").unwrap()).collect()
}

/// Rows in every table of the database, by table.
pub(crate) async fn table_rows(db: &DatabaseConnection) -> BTreeMap<String, i64> {
    let names = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        ))
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for row in names {
        let name: String = row.try_get("", "name").unwrap();
        let sql = format!("SELECT COUNT(*) AS n FROM \"{name}\"");
        let n = db.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await.unwrap().unwrap();
        out.insert(name, n.try_get::<i64>("", "n").unwrap());
    }
    out
}

/// The closed votes the fixture record keeps, with their results as the old code reported them.
pub(crate) fn recorded_votes(rec: &Value) -> Vec<&Value> {
    rec["votes"].as_array().expect("votes are recorded").iter().collect()
}
