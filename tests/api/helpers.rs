//! `spawn_app()` and the request helpers every test uses.
use std::net::SocketAddr;

use axum::{
    Router,
    body::Body,
    extract::ConnectInfo,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use sanfang::AppState;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use tower::ServiceExt;

pub const DEMO_PASSWORD: &str = sanfang::demo::DEMO_PASSWORD;

/// The secret the test app signs access tokens with.
pub const JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret!";

/// Names of the demo compounds.
pub const TYC: &str = "太阳城二期";
pub const SHS: &str = "上河时代";
/// The small third compound, sized for co-signing to reach 20 %.
pub const BMX: &str = "北门小院";

#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub db: DatabaseConnection,
    pub state: AppState,
    /// The client address requests come from, as the server would see it.
    pub client: SocketAddr,
}

/// An access token and its refresh token.
pub struct Session {
    pub access: String,
    pub refresh: String,
}

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
    pub bytes: Vec<u8>,
}

impl Res {
    /// The `error.code` of an error response.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    #[track_caller]
    pub fn expect(self, status: StatusCode) -> Self {
        assert_eq!(self.status, status, "unexpected status; body: {}", self.body);
        self
    }
}

/// A fresh database: in-memory SQLite, or a new database on the PostgreSQL server that
/// `DATABASE_URL` names.
pub async fn fresh_db() -> DatabaseConnection {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let admin = Database::connect(&url).await.expect("connect to PostgreSQL");
            let name = format!("t_{}", uuid::Uuid::new_v4().simple());
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
            admin.close().await.ok();
            let (base, _) = url.rsplit_once('/').expect("DATABASE_URL has a database name");
            sanfang::db::connect(&format!("{base}/{name}")).await.expect("migrate test database")
        }
        _ => sanfang::db::connect("sqlite::memory:").await.expect("migrate in-memory database"),
    }
}

/// The app over a fresh, empty database.
pub async fn spawn_app() -> TestApp {
    let db = fresh_db().await;
    let state = AppState::new(db.clone(), JWT_SECRET);
    let router = sanfang::app(state.clone(), None);
    TestApp { router, db, state, client: SocketAddr::from(([127, 0, 0, 1], 40000)) }
}

/// The app over the demo community (see `sanfang::demo`).
pub async fn spawn_demo() -> TestApp {
    let app = spawn_app().await;
    assert!(sanfang::demo::seed(&app.db).await.expect("seed demo"));
    app
}

impl TestApp {
    /// The same app, with requests coming from another client address.
    pub fn with_client(&self, ip: [u8; 4]) -> TestApp {
        TestApp { client: SocketAddr::from((ip, 40000)), ..self.clone() }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Body>,
        content_type: Option<&str>,
    ) -> Res {
        // What `into_make_service_with_connect_info` gives each request in production.
        let mut req = Request::builder().method(method).uri(path).extension(ConnectInfo(self.client));
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let res = self.router.clone().oneshot(req.body(body.unwrap_or_else(Body::empty)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res { status, headers, body, bytes }
    }

    /// A JSON `body` sent with extra `headers`, as a reverse proxy would pass it on.
    pub async fn request_with(&self, method: Method, path: &str, headers: &[(&str, &str)], body: String) -> Res {
        let mut req = Request::builder().method(method).uri(path).extension(ConnectInfo(self.client));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        req = req.header(header::CONTENT_TYPE, "application/json");
        let res = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Res { status, headers, body, bytes }
    }

    pub async fn get(&self, path: &str, token: &str) -> Res {
        self.request(Method::GET, path, Some(token), None, None).await
    }

    pub async fn get_anon(&self, path: &str) -> Res {
        self.request(Method::GET, path, None, None, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.send(Method::POST, path, token, body).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Res {
        self.send(Method::PATCH, path, Some(token), body).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Res {
        self.request(Method::DELETE, path, Some(token), None, None).await
    }

    pub async fn send(&self, method: Method, path: &str, token: Option<&str>, body: Value) -> Res {
        self.request(method, path, token, Some(Body::from(body.to_string())), Some("application/json")).await
    }

    /// Upload raw bytes (a roster file).
    pub async fn upload(&self, path: &str, token: &str, bytes: Vec<u8>, content_type: &str) -> Res {
        self.request(Method::POST, path, Some(token), Some(Body::from(bytes)), Some(content_type)).await
    }

    pub async fn login(&self, login: &str, password: &str) -> Res {
        self.post("/api/v1/auth/login", None, json!({ "login": login, "password": password })).await
    }

    /// Sign in as a demo account and return the access token.
    pub async fn token(&self, login: &str) -> String {
        self.token_with(login, DEMO_PASSWORD).await
    }

    /// Sign in and return the access token.
    pub async fn token_with(&self, login: &str, password: &str) -> String {
        let res = self.login(login, password).await.expect(StatusCode::OK);
        res.body["access_token"].as_str().unwrap().to_owned()
    }

    /// The id of a demo compound by name.
    pub async fn compound_id(&self, name: &str) -> i64 {
        let admin = self.token("admin").await;
        let communities = self.get("/api/v1/communities", &admin).await.expect(StatusCode::OK);
        for c in communities.body.as_array().unwrap() {
            let d = self.get(&format!("/api/v1/communities/{}", c["id"]), &admin).await.expect(StatusCode::OK);
            for cp in d.body["compounds"].as_array().unwrap() {
                if cp["name"] == name {
                    return cp["id"].as_i64().unwrap();
                }
            }
        }
        panic!("no compound named {name}");
    }
}

impl TestApp {
    /// Sign in and keep both tokens.
    pub async fn sign_in(&self, login: &str, password: &str) -> Session {
        let res = self.login(login, password).await.expect(StatusCode::OK);
        Session {
            access: res.body["access_token"].as_str().unwrap().to_owned(),
            refresh: res.body["refresh_token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn refresh(&self, refresh_token: &str) -> Res {
        self.post("/api/v1/auth/refresh", None, json!({ "refresh_token": refresh_token })).await
    }

    /// An administrator creates an account with the demo password; returns its id.
    pub async fn create_user(&self, username: &str) -> i64 {
        let admin = self.token("admin").await;
        let res = self
            .post(
                "/api/v1/users",
                Some(&admin),
                json!({ "username": username, "display_name": username, "password": DEMO_PASSWORD }),
            )
            .await
            .expect(StatusCode::CREATED);
        res.id()
    }

    /// The id of the community the demo compounds belong to.
    pub async fn community_id(&self) -> i64 {
        let admin = self.token("admin").await;
        let res = self.get("/api/v1/communities", &admin).await.expect(StatusCode::OK);
        res.body[0]["id"].as_i64().unwrap()
    }

    /// A compound's summary (units, holders, area, …) as an administrator sees it.
    pub async fn compound_summary(&self, id: i64) -> Value {
        let admin = self.token("admin").await;
        self.get(&format!("/api/v1/compounds/{id}"), &admin).await.expect(StatusCode::OK).body["compound"].clone()
    }

    /// Every holder of a compound, as an administrator sees them.
    pub async fn holders(&self, compound_id: i64) -> Vec<Value> {
        let admin = self.token("admin").await;
        let res = self.get(&format!("/api/v1/compounds/{compound_id}/holders"), &admin).await.expect(StatusCode::OK);
        res.body.as_array().unwrap().clone()
    }

    /// Every unit of a compound, as an administrator sees them.
    pub async fn units(&self, compound_id: i64) -> Vec<Value> {
        let admin = self.token("admin").await;
        let res = self.get(&format!("/api/v1/compounds/{compound_id}/units"), &admin).await.expect(StatusCode::OK);
        res.body.as_array().unwrap().clone()
    }

    /// Holders of a compound that no account is verified for (the demo leaves a few), developer aside.
    pub async fn unlinked_holders(&self, compound_id: i64) -> Vec<Value> {
        let holders = self.holders(compound_id).await;
        let free: Vec<Value> = holders
            .into_iter()
            .filter(|h| h["is_developer"] == false && h["linked_users"].as_array().unwrap().is_empty())
            .collect();
        assert!(!free.is_empty(), "the demo leaves some holders unlinked");
        free
    }

    /// The user name of a verified owner of a compound.
    pub async fn owner_of(&self, compound_id: i64) -> String {
        let holders = self.holders(compound_id).await;
        let linked = holders.iter().find_map(|h| h["linked_users"].as_array().unwrap().first().cloned());
        linked.expect("a linked owner")["username"].as_str().unwrap().to_owned()
    }
}

impl Res {
    /// The `id` of a created object.
    #[track_caller]
    pub fn id(&self) -> i64 {
        self.body["id"].as_i64().unwrap_or_else(|| panic!("no id in {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Total of area strings ("89.45") in hundredths of m².
pub fn centi(area: &Value) -> i64 {
    let s = area.as_str().expect("area is a string");
    let (whole, frac) = s.split_once('.').expect("area has decimals");
    assert_eq!(frac.len(), 2, "area {s} has two decimals");
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

/// Print a check's figure line on stdout and straight to stderr, past the test harness's
/// capture, so that scripts/test.sh finds it in cargo's log.
pub fn figure(line: &str) {
    use std::io::Write;
    println!("{line}");
    let _ = writeln!(std::io::stderr(), "{line}");
}

impl TestApp {
    /// A person of the owners' committee of a compound: its chair or a member, or, in a compound
    /// that has none yet, a new committee member.
    pub async fn committee_token(&self, compound_id: i64) -> String {
        use sanfang::{
            accounts::{Scope, grant},
            entities::{compound, membership, party, user},
            policy::{PartyKind, Role},
        };
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let seat = membership::Entity::find()
            .filter(membership::Column::CompoundId.eq(compound_id))
            .filter(membership::Column::Role.is_in(["committee_chair", "committee_member"]))
            .order_by_asc(membership::Column::Id)
            .one(&self.db)
            .await
            .unwrap();
        let user_id = match seat {
            Some(m) => m.user_id,
            None => {
                let c = compound::Entity::find_by_id(compound_id).one(&self.db).await.unwrap().unwrap();
                let p = party::Entity::find()
                    .filter(party::Column::CompoundId.eq(compound_id))
                    .filter(party::Column::Kind.eq(PartyKind::OwnersCommittee.as_str()))
                    .one(&self.db)
                    .await
                    .unwrap();
                let id = self.create_user(&format!("committee-of-{compound_id}")).await;
                let scope =
                    Scope { community_id: Some(c.community_id), compound_id: Some(c.id), party_id: p.map(|p| p.id) };
                grant(&self.db, id, Role::CommitteeMember, scope).await.unwrap();
                id
            }
        };
        let u = user::Entity::find_by_id(user_id).one(&self.db).await.unwrap().unwrap();
        self.token(&u.username).await
    }

    /// As if the 24 hours of settling had passed for every confirmed link and proxy.
    pub async fn pass_settling(&self) {
        use sanfang::entities::{owner_link, proxy};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, prelude::Expr};
        owner_link::Entity::update_many()
            .col_expr(owner_link::Column::CountsFrom, Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None))
            .exec(&self.db)
            .await
            .unwrap();
        proxy::Entity::update_many()
            .col_expr(proxy::Column::CountsFrom, Expr::col(proxy::Column::ValidFrom))
            .filter(proxy::Column::ConfirmedAt.is_not_null())
            .exec(&self.db)
            .await
            .unwrap();
    }

    /// The compound a holder belongs to.
    pub async fn compound_of_holder(&self, holder_id: i64) -> i64 {
        use sea_orm::EntityTrait;
        sanfang::entities::holder::Entity::find_by_id(holder_id).one(&self.db).await.unwrap().unwrap().compound_id
    }

    /// Link an account to a holder as staff do: the community office asks after checking the
    /// documents, and the compound's owners' committee confirms. Returns the holder.
    pub async fn link_owner(&self, holder_id: i64, login: &str) -> Res {
        let secretary = self.token("secretary").await;
        let asked = self
            .post(&format!("/api/v1/holders/{holder_id}/links"), Some(&secretary), json!({ "login": login }))
            .await
            .expect(StatusCode::ACCEPTED);
        let committee = self.committee_token(self.compound_of_holder(holder_id).await).await;
        self.post(&format!("/api/v1/link-requests/{}/confirm", asked.id()), Some(&committee), json!({}))
            .await
            .expect(StatusCode::OK)
    }

    /// An invitation code for a holder, issued by the owners' committee and confirmed by the
    /// community office.
    pub async fn confirmed_invitation(&self, holder_id: i64) -> String {
        let committee = self.committee_token(self.compound_of_holder(holder_id).await).await;
        let inv = self
            .post(&format!("/api/v1/holders/{holder_id}/invitations"), Some(&committee), json!({}))
            .await
            .expect(StatusCode::CREATED);
        let secretary = self.token("secretary").await;
        self.post(&format!("/api/v1/invitations/{}/confirm", inv.id()), Some(&secretary), json!({}))
            .await
            .expect(StatusCode::OK);
        inv.body["code"].as_str().unwrap().to_owned()
    }

    /// Register a written proxy as the community office and have the owners' committee confirm
    /// it; returns the confirmed proxy.
    pub async fn confirmed_proxy(&self, compound_id: i64, body: Value) -> Res {
        let secretary = self.token("secretary").await;
        let p = self
            .post(&format!("/api/v1/compounds/{compound_id}/proxies"), Some(&secretary), body)
            .await
            .expect(StatusCode::CREATED);
        let committee = self.committee_token(compound_id).await;
        self.post(&format!("/api/v1/proxies/{}/confirm", p.id()), Some(&committee), json!({}))
            .await
            .expect(StatusCode::OK)
    }
}
