//! What the load drivers share: seeding a compound of owners with open votes, starting the
//! release server, and talking HTTP to it.
// Each driver uses a part of this module.
#![allow(dead_code)]

use std::{
    fmt::Write as _,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::Duration,
};

use http_body_util::{BodyExt, Full};
use hyper::{Method, Request, body::Bytes};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

pub type Http = Client<HttpConnector, Full<Bytes>>;

/// Every seeded account's password.
pub const PASSWORD: &str = "bench-password";

/// The release binary; the Makefile builds it before running a driver.
pub fn binary() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = root.join("target/release/sanfang");
    assert!(bin.exists(), "build the release binary first: cargo build --release");
    bin
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A client keeping up to `connections` connections open.
pub fn client(connections: usize) -> Http {
    let mut b = Client::builder(TokioExecutor::new());
    // Shorter than the server's idle cut-off, so that no request goes out on a closing connection.
    b.pool_max_idle_per_host(connections).pool_idle_timeout(Duration::from_secs(5));
    b.build_http()
}

/// One seeded owner: the account `login` holds the single unit of holder `holder_key`.
pub struct Owner {
    pub user_id: i64,
    /// A sign-in of the owner's, for access tokens issued without the password.
    pub session: String,
    pub holder_id: i64,
    pub login: String,
    pub holder_key: String,
    /// The unit's area in hundredths of a m².
    pub area_centi: i64,
}

pub struct Seeded {
    pub community_id: i64,
    pub compound_id: i64,
    /// A committee member of the compound (may view, export and upload).
    pub clerk_id: i64,
    /// A sign-in of the clerk's.
    pub clerk_session: String,
    pub owners: Vec<Owner>,
    pub votes: Vec<i64>,
}

/// A compound of `owners` single-unit holders, each with a verified account whose password is
/// [`PASSWORD`], and `votes` open motions (closing in two hours), in the database at `url`.
pub async fn seed(url: &str, owners: usize, votes: usize) -> Seeded {
    use sanfang::{
        accounts::{Scope, grant, insert_user},
        entities::{compound, holder, owner_link, party, vote},
        policy::{PartyKind, Role},
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
    let area_centi = |i: usize| ((60 + i % 90) * 100 + i % 100) as i64;
    for i in 0..owners {
        let a = area_centi(i);
        let _ = writeln!(
            csv,
            "{}号楼,{},{}.{:02},registered,业主{i},B{i:05}",
            i / 100 + 1,
            i % 100 + 101,
            a / 100,
            a % 100
        );
    }
    let hash = sanfang::auth::password::hash_blocking(PASSWORD).expect("hash");
    let clerk = insert_user(&db, "bench-clerk", "压测", None, &hash).await.expect("clerk");
    let committee = party::Entity::find()
        .filter(party::Column::CompoundId.eq(c.id))
        .filter(party::Column::Kind.eq(PartyKind::OwnersCommittee.as_str()))
        .one(&db)
        .await
        .expect("party");
    grant(
        &db,
        clerk.id,
        Role::CommitteeMember,
        Scope { community_id: Some(community.id), compound_id: Some(c.id), party_id: committee.map(|p| p.id) },
    )
    .await
    .expect("clerk role");
    import_roster(&db, &c, clerk.id, csv.as_bytes(), false, &Default::default(), sanfang::i18n::Lang::En)
        .await
        .expect("roster");
    let holders = holder::Entity::find().filter(holder::Column::CompoundId.eq(c.id)).all(&db).await.expect("holders");
    let txn = sanfang::db::write_txn(&db).await.expect("txn");
    let mut seeded = Vec::with_capacity(owners);
    for h in &holders {
        let i: usize = h.holder_key[1..].parse().expect("holder number");
        let login = format!("bench{i:05}");
        let u = insert_user(&txn, &login, &h.name, None, &hash).await.expect("user");
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
        let (_, session) = sanfang::auth::refresh::issue(&txn, u.id, None).await.expect("sign-in");
        seeded.push((
            i,
            Owner {
                user_id: u.id,
                session,
                holder_id: h.id,
                login,
                holder_key: h.holder_key.clone(),
                area_centi: area_centi(i),
            },
        ));
    }
    seeded.sort_by_key(|(i, _)| *i);
    let now = chrono::Utc::now();
    let mut vote_ids = Vec::new();
    for n in 1..=votes {
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
            status: Set(sanfang::entities::vote::VoteStatus::Published),
            created_by: Set(clerk.id),
            created_at: Set(now),
            published_at: Set(Some(now)),
            ..Default::default()
        })
        .exec_with_returning(&txn)
        .await
        .expect("vote");
        vote_ids.push(v.id);
    }
    txn.commit().await.expect("commit");
    let clerk_session = sanfang::auth::refresh::issue(&db, clerk.id, None).await.expect("sign-in").1;
    db.close().await.ok();
    Seeded {
        community_id: community.id,
        compound_id: c.id,
        clerk_id: clerk.id,
        clerk_session,
        owners: seeded.into_iter().map(|(_, o)| o).collect(),
        votes: vote_ids,
    }
}

/// One request; a transport failure (the server is gone, say) is an `Err`.
pub async fn send(
    http: &Http,
    method: Method,
    url: &str,
    token: Option<&str>,
    body: impl Into<Bytes>,
) -> Result<(u16, Bytes), String> {
    let mut req = Request::builder().method(method).uri(url).header("content-type", "application/json");
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res =
        http.request(req.body(Full::new(body.into())).map_err(|e| e.to_string())?).await.map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((status, body))
}

/// Sign `login` in from `client`, the address a trusted reverse proxy in front of the server
/// reports (as in production, where each owner's phone has its own address).
pub async fn sign_in(http: &Http, base: &str, client: &str, login: &str, password: &str) -> (u16, Bytes) {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    let req = Request::post(format!("{base}/auth/login"))
        .header("content-type", "application/json")
        .header("x-forwarded-for", client)
        .body(Full::new(Bytes::from(body)))
        .expect("request");
    let res = http.request(req).await.expect("response");
    let status = res.status().as_u16();
    (status, res.into_body().collect().await.expect("body").to_bytes())
}

pub async fn post(http: &Http, url: &str, token: Option<&str>, body: String) -> (u16, Bytes) {
    send(http, Method::POST, url, token, body).await.expect("response")
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The release server, killed (SIGKILL) when dropped.
pub struct Server(pub Child);

impl Server {
    /// `sanfang serve` on `port` over the database at `url`, with extra environment `env`.
    pub fn start(url: &str, port: u16, env: &[(&str, &str)]) -> Self {
        let mut cmd = Command::new(binary());
        cmd.args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", url)
            .env("RUST_LOG", "error")
            .stdout(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Server(cmd.spawn().expect("start the server"))
    }

    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// SIGKILL: no shutdown, no flush, nothing.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Wait until `/health` answers (at most 30 s).
pub async fn wait_healthy(http: &Http, base: &str) -> bool {
    for _ in 0..300 {
        if matches!(send(http, Method::GET, &format!("{base}/health"), None, Bytes::new()).await, Ok((200, _))) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}
