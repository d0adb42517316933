//! Casting, entering and confirming ballots, and the single writer that commits them in batches.
//!
//! Every ballot goes through one task that takes whatever is queued, applies each in its own
//! savepoint of one transaction, commits once, and only then answers each caller. An answered
//! ballot is durable; many ballots share one commit (and one fsync) under load.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, QueryTrait,
};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

use super::{
    ballot::{digest, receipt},
    lifecycle::Rosters,
    model::{BallotStatus, Channel, VoteForm},
    rules::{Stored, accepts_ballots, choose_holding, proxy_valid, replaces},
    tally::Choice,
};
use std::{collections::HashMap, sync::Arc};

use crate::{
    audit::{Chain, Event},
    db::write_txn,
    entities::{ballot, owner_link, proxy, refresh_token, user, vote, vote_candidate},
    error::{AppError, AppResult, is_unique_violation},
    i18n::Msg,
    msg,
    notices::{self, Deed},
};

/// What a ballot says: a choice on a motion, or the candidates supported in an election.
#[derive(Clone, Debug)]
pub enum Marks {
    Choice(Choice),
    Picks(Vec<usize>),
}

impl Marks {
    fn columns(&self) -> (Option<String>, Option<String>) {
        match self {
            Marks::Choice(c) => (Some(c.as_str().to_owned()), None),
            Marks::Picks(p) => (None, Some(serde_json::to_string(p).unwrap_or_default())),
        }
    }
}

#[derive(Clone, Debug)]
pub enum Op {
    /// A caller votes for what they hold in the vote: their own holding, or a holder whose
    /// written proxy they hold — found by the writer, for the whole batch at once. A caller with
    /// nothing to vote for is refused with [`NO_HOLDING`].
    Own {
        vote_id: i64,
        user_id: i64,
        /// The caller's sign-in: an ended one holds nothing.
        session: String,
        holder_id: Option<i64>,
        marks: Marks,
        idempotency_key: Option<String>,
    },
    /// An owner votes for their holding, or a proxy votes for the holder they represent.
    Cast {
        vote_id: i64,
        holder_id: i64,
        user_id: i64,
        proxy_id: Option<i64>,
        marks: Marks,
        idempotency_key: Option<String>,
    },
    /// A clerk enters a signed paper slip; it counts once another clerk confirms it.
    Paper { vote_id: i64, holder_id: i64, entered_by: i64, serial: String, marks: Marks, scan_file_id: Option<i64> },
    /// A second clerk confirms a paper ballot.
    Confirm { vote_id: i64, ballot_id: i64, confirmed_by: i64 },
}

impl Op {
    fn vote_id(&self) -> i64 {
        match self {
            Op::Own { vote_id, .. }
            | Op::Cast { vote_id, .. }
            | Op::Paper { vote_id, .. }
            | Op::Confirm { vote_id, .. } => *vote_id,
        }
    }
}

struct Job {
    op: Op,
    reply: oneshot::Sender<AppResult<ballot::Model>>,
}

/// Handle to the ballot writer task.
#[derive(Clone)]
pub struct BallotWriter {
    tx: mpsc::Sender<Job>,
}

/// The refusal code of an [`Op::Own`] whose caller holds nothing in the vote, or whose account is
/// switched off: the caller's roles decide what they are told, so the handler answers it.
pub const NO_HOLDING: &str = "not_eligible";

/// What a caller may vote for: the holders they are verified for, and (holder, proxy, compound)
/// of the written proxies they hold that are valid now.
#[derive(Debug, Default)]
pub struct Holdings {
    pub own: Vec<i64>,
    pub proxies: Vec<(i64, i64, i64)>,
}

impl Holdings {
    /// (holder, proxy) pairs in `compound_id`, own holdings first, each holder once.
    pub fn in_compound(&self, compound_id: i64) -> Vec<(i64, Option<i64>)> {
        let mut seen = std::collections::HashSet::new();
        self.own
            .iter()
            .map(|h| (*h, None))
            .chain(self.proxies.iter().filter(|p| p.2 == compound_id).map(|p| (p.0, Some(p.1))))
            .filter(|(h, _)| seen.insert(*h))
            .collect()
    }
}

/// Whose holdings to read: accounts by id, or the sign-ins of a batch of ballots.
pub enum Callers<'a> {
    Users(&'a [i64]),
    /// A sign-in that has ended (signed out, password changed, refresh token reused) holds nothing.
    Sessions(&'a [String]),
}

/// The holdings of each caller whose account is active, by user id or by sign-in, in one query
/// (a switched-off account, or an ended sign-in, holds nothing).
pub async fn holdings_of(db: &impl ConnectionTrait, who: Callers<'_>) -> AppResult<HashMap<String, Holdings>> {
    use sea_orm::sea_query::{Alias, ColumnRef, Expr, ExprTrait, IntoColumnRef, Query, SelectStatement, UnionType};
    let mut out: HashMap<String, Holdings> = HashMap::new();
    let key = match &who {
        Callers::Users([]) | Callers::Sessions([]) => return Ok(out),
        // The key column: the user id as text, or the sign-in.
        Callers::Users(_) => Expr::col((user::Entity, user::Column::Id)).cast_as(Alias::new("TEXT")),
        Callers::Sessions(_) => Expr::col((refresh_token::Entity, refresh_token::Column::FamilyId)),
    };
    let callers = |q: &mut SelectStatement, user_id: ColumnRef| {
        q.inner_join(user::Entity, Expr::col((user::Entity, user::Column::Id)).equals(user_id.clone()))
            .and_where(Expr::col((user::Entity, user::Column::IsActive)).eq(true));
        match &who {
            Callers::Users(users) => {
                q.and_where(Expr::col(user_id).is_in(users.iter().copied()));
            }
            Callers::Sessions(sessions) => {
                q.inner_join(
                    refresh_token::Entity,
                    Expr::col((refresh_token::Entity, refresh_token::Column::UserId))
                        .equals((user::Entity, user::Column::Id))
                        .and(
                            Expr::col((refresh_token::Entity, refresh_token::Column::FamilyId))
                                .is_in(sessions.iter().cloned()),
                        )
                        .and(Expr::col((refresh_token::Entity, refresh_token::Column::RevokedAt)).is_null()),
                );
            }
        }
    };
    let null = |name: &str| (Expr::cust("NULL"), Alias::new(name));
    let mut links = Query::select();
    links
        .expr_as(key.clone(), Alias::new("caller"))
        .expr_as(Expr::col((owner_link::Entity, owner_link::Column::HolderId)), Alias::new("holder_id"));
    for (e, a) in [null("proxy_id"), null("compound_id")] {
        links.expr_as(e, a);
    }
    // A link confirmed while a vote was open casts only once its settling period is over.
    links.expr_as(Expr::col((owner_link::Entity, owner_link::Column::CountsFrom)), Alias::new("valid_from"));
    links.expr_as(Expr::cust("NULL"), Alias::new("valid_until"));
    links.from(owner_link::Entity);
    callers(&mut links, (owner_link::Entity, owner_link::Column::UserId).into_column_ref());
    let mut proxies = Query::select();
    proxies
        .expr_as(key, Alias::new("caller"))
        .expr_as(Expr::col((proxy::Entity, proxy::Column::HolderId)), Alias::new("holder_id"))
        .expr_as(Expr::col((proxy::Entity, proxy::Column::Id)), Alias::new("proxy_id"))
        .expr_as(Expr::col((proxy::Entity, proxy::Column::CompoundId)), Alias::new("compound_id"))
        // Unset until a second person confirmed it; then `valid_from` or the end of settling.
        .expr_as(Expr::col((proxy::Entity, proxy::Column::CountsFrom)), Alias::new("valid_from"))
        .expr_as(Expr::col((proxy::Entity, proxy::Column::ValidUntil)), Alias::new("valid_until"))
        .from(proxy::Entity);
    callers(&mut proxies, (proxy::Entity, proxy::Column::ProxyUserId).into_column_ref());
    proxies.and_where(Expr::col((proxy::Entity, proxy::Column::RevokedAt)).is_null());
    proxies.and_where(Expr::col((proxy::Entity, proxy::Column::CountsFrom)).is_not_null());
    // A sign-in has several refresh tokens (one per rotation): the distinct union keeps one row
    // per holding.
    links.union(UnionType::Distinct, proxies);
    let now = Utc::now();
    for row in db.query_all(&links).await? {
        let caller: String = row.try_get("", "caller")?;
        let holder: i64 = row.try_get("", "holder_id")?;
        let entry = out.entry(caller).or_default();
        let from: Option<chrono::DateTime<Utc>> = row.try_get("", "valid_from")?;
        match row.try_get::<Option<i64>>("", "proxy_id")? {
            None if from.is_none_or(|f| f <= now) => entry.own.push(holder),
            None => {}
            Some(proxy_id) => {
                let until: chrono::DateTime<Utc> = row.try_get("", "valid_until")?;
                if from.is_some_and(|f| f <= now) && now <= until {
                    entry.proxies.push((holder, proxy_id, row.try_get("", "compound_id")?));
                }
            }
        }
    }
    for h in out.values_mut() {
        h.own.sort_unstable();
    }
    Ok(out)
}

/// Most ballots committed together.
const MAX_BATCH: usize = 512;

impl BallotWriter {
    pub fn spawn(db: DatabaseConnection, rosters: Arc<Rosters>) -> Self {
        let (tx, rx) = mpsc::channel(4096);
        tokio::spawn(run(db, rosters, rx));
        Self { tx }
    }

    /// Apply `op` and return the stored ballot once it is committed. A new online or proxy
    /// ballot comes back with id 0: its receipt, not its row id, is what identifies it.
    pub async fn submit(&self, op: Op) -> AppResult<ballot::Model> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Job { op, reply }).await.map_err(|_| anyhow::anyhow!("ballot writer stopped"))?;
        rx.await.map_err(|_| anyhow::anyhow!("ballot writer dropped the request"))?
    }
}

async fn run(db: DatabaseConnection, rosters: Arc<Rosters>, mut rx: mpsc::Receiver<Job>) {
    let mut frozen = Frozen { rosters, candidates: HashMap::new() };
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        process(&db, &mut frozen, batch).await;
    }
}

/// What the writer keeps between batches: once a vote is open its frozen roster and its
/// candidates never change, so they are read once.
struct Frozen {
    rosters: Arc<Rosters>,
    candidates: HashMap<i64, usize>,
}

impl Frozen {
    async fn candidates(&mut self, db: &impl ConnectionTrait, vote_id: i64) -> AppResult<usize> {
        if let Some(n) = self.candidates.get(&vote_id) {
            return Ok(*n);
        }
        let n =
            vote_candidate::Entity::find().filter(vote_candidate::Column::VoteId.eq(vote_id)).count(db).await? as usize;
        self.candidates.insert(vote_id, n);
        Ok(n)
    }
}

/// What one batch shares: the chain head it appends to, and the votes it has read.
struct Batch {
    chain: Chain,
    votes: HashMap<i64, vote::Model>,
    /// The stored ballot of every (vote, holder) the batch touches, read in one query up front
    /// and kept current as the batch goes (a new ballot has id 0 until it is inserted).
    ballots: HashMap<(i64, i64), ballot::Model>,
    /// New ballots, inserted together when the batch is done.
    inserts: Vec<ballot::Model>,
    /// What the callers of the batch's `Own` ballots hold.
    holdings: HashMap<String, Holdings>,
    /// Who cast a ballot on their phone (for themselves or as a proxy), and where the vote's
    /// notices lead: those notices are read for them with the batch.
    voted: Vec<(i64, String)>,
}

/// Ballots per INSERT statement: 18 bound values each stays far below either database's limit.
const BALLOTS_PER_STATEMENT: usize = 200;

async fn process(db: &DatabaseConnection, frozen: &mut Frozen, jobs: Vec<Job>) {
    let fail_all = |jobs: Vec<Job>, msg: String| {
        for job in jobs {
            let _ = job.reply.send(Err(anyhow::anyhow!("the ballot was not stored: {msg}").into()));
        }
    };
    let txn = match write_txn(db).await {
        Ok(t) => t,
        Err(e) => return fail_all(jobs, e.to_string()),
    };
    let chain = match Chain::lock(&txn).await {
        Ok(c) => c,
        Err(e) => return fail_all(jobs, e.to_string()),
    };
    let holdings = match callers(&txn, &jobs).await {
        Ok(c) => c,
        Err(e) => return fail_all(jobs, e.to_string()),
    };
    let ballots = match stored_ballots(&txn, &jobs, &holdings).await {
        Ok(b) => b,
        Err(e) => return fail_all(jobs, e.to_string()),
    };
    let mut batch = Batch { chain, votes: HashMap::new(), ballots, inserts: Vec::new(), holdings, voted: Vec::new() };
    let mut results = Vec::with_capacity(jobs.len());
    let mut jobs = jobs.into_iter();
    // Checks write nothing, so a refused ballot needs no rollback; a failed write spoils the
    // transaction, and then nothing of this batch is stored.
    let mut broken = None;
    for job in jobs.by_ref() {
        let op = match resolve(&txn, &mut batch, frozen, job.op).await {
            Ok(op) => op,
            Err(e) => {
                results.push((job.reply, Err(e)));
                continue;
            }
        };
        let r = match check(&txn, &mut batch, frozen, &op).await {
            Ok(plan) => match write(&txn, &mut batch, plan).await {
                Ok(b) => Ok(b),
                Err(e) => {
                    broken = Some(e.to_string());
                    results.push((job.reply, Err(e)));
                    break;
                }
            },
            Err(e) => Err(e),
        };
        results.push((job.reply, r));
    }
    let committed = match broken {
        Some(msg) => Err(msg),
        None => finish(txn, batch).await,
    };
    match committed {
        Ok(ids) => {
            for (reply, r) in results {
                // A new paper ballot learns its id from the insert.
                let r = r.map(|mut b| {
                    if b.id == 0 {
                        b.id = ids.get(&(b.vote_id, b.holder_id)).copied().unwrap_or_default();
                    }
                    b
                });
                let _ = reply.send(r);
            }
        }
        Err(msg) => {
            // Nothing of this batch was stored: no caller may be told otherwise.
            for (reply, r) in results {
                let _ = reply.send(match r {
                    Ok(_) => Err(anyhow::anyhow!("the ballot was not stored: {msg}").into()),
                    Err(e) => Err(e),
                });
            }
            fail_all(jobs.collect(), msg);
        }
    }
}

/// Insert the batch's new ballots and its chain events, move the head and commit. Returns the
/// new paper ballots' ids by (vote, holder): a clerk confirms a paper ballot by its id, while
/// nothing that answers an online or proxy ballot needs its row id, so those are not read back.
async fn finish(txn: sea_orm::DatabaseTransaction, batch: Batch) -> Result<HashMap<(i64, i64), i64>, String> {
    let stored_at_once = |e: sea_orm::DbErr| {
        if is_unique_violation(&e) {
            "another ballot for one of these holders was stored at the same moment; try again".to_owned()
        } else {
            e.to_string()
        }
    };
    let (paper, online): (Vec<_>, Vec<_>) = batch.inserts.into_iter().partition(|b| b.paper_serial.is_some());
    let mut ids = HashMap::with_capacity(paper.len());
    for chunk in paper.chunks(BALLOTS_PER_STATEMENT) {
        let stored = ballot::Entity::insert_many(chunk.iter().cloned().map(new_row))
            .exec_with_returning(&txn)
            .await
            .map_err(stored_at_once)?;
        ids.extend(stored.into_iter().map(|b| ((b.vote_id, b.holder_id), b.id)));
    }
    // The online ballots, the chain events and the new head: on SQLite, one query.
    let backend = txn.get_database_backend();
    let mut writes: Vec<_> = online
        .chunks(BALLOTS_PER_STATEMENT)
        .map(|chunk| ballot::Entity::insert_many(chunk.iter().cloned().map(new_row)).build(backend))
        .collect();
    writes.extend(batch.chain.into_statements(backend));
    writes.extend(notices::done::done_statement(backend, Deed::Vote, &batch.voted));
    crate::db::execute_all(&txn, writes).await.map_err(stored_at_once)?;
    txn.commit().await.map_err(|e| e.to_string())?;
    Ok(ids)
}

fn refuse(code: &'static str, message: Msg) -> AppError {
    AppError::conflict(code, message)
}

/// The vote, read once per batch.
async fn load_vote(db: &impl ConnectionTrait, batch: &mut Batch, vote_id: i64) -> AppResult<vote::Model> {
    if let Some(v) = batch.votes.get(&vote_id) {
        return Ok(v.clone());
    }
    // Locked for the batch (PostgreSQL; SQLite's write lock already serialises): closing the vote
    // updates this row, so a close waits for the batch to commit and then counts its ballots, or
    // the batch waits for the close and then refuses them.
    let v = vote::Entity::find_by_id(vote_id).lock_exclusive().one(db).await?.ok_or(AppError::NotFound)?;
    batch.votes.insert(vote_id, v.clone());
    Ok(v)
}

/// The vote, checked to be open for ballots right now (the server's clock decides, whatever
/// the app shows).
async fn open_vote(db: &impl ConnectionTrait, batch: &mut Batch, vote_id: i64) -> AppResult<vote::Model> {
    let v = load_vote(db, batch, vote_id).await?;
    accepts_ballots(v.status, v.opens_at, v.closes_at, Utc::now())?;
    Ok(v)
}

fn check_marks(v: &vote::Model, marks: &Marks, candidates: usize) -> AppResult<()> {
    match (VoteForm::parse(&v.form), marks) {
        (VoteForm::Motion, Marks::Choice(_)) => Ok(()),
        (VoteForm::Election, Marks::Picks(p)) => {
            let seats = v.seats.unwrap_or(1).max(1) as usize;
            if p.len() > seats {
                return Err(AppError::field("candidates", msg!("ballot_too_many_candidates", seats = seats)));
            }
            let mut sorted = p.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() != p.len() {
                return Err(AppError::field("candidates", msg!("ballot_candidate_twice")));
            }
            if p.iter().any(|&c| c >= candidates) {
                return Err(AppError::field("candidates", msg!("ballot_no_such_candidate")));
            }
            Ok(())
        }
        (VoteForm::Motion, _) => Err(AppError::field("choice", msg!("ballot_choose_choice"))),
        (VoteForm::Election, _) => Err(AppError::field("candidates", msg!("ballot_list_candidates"))),
    }
}

/// What the callers of the batch's `Own` ballots hold (nothing for a switched-off account): one
/// query for the whole batch.
async fn callers(db: &impl ConnectionTrait, jobs: &[Job]) -> AppResult<HashMap<String, Holdings>> {
    let sessions: Vec<String> = jobs
        .iter()
        .filter_map(|j| match &j.op {
            Op::Own { session, .. } => Some(session.clone()),
            _ => None,
        })
        .collect::<std::collections::HashSet<_>>()
        .into_iter()
        .collect();
    holdings_of(db, Callers::Sessions(&sessions)).await
}

/// The stored ballots of the holders the jobs name or may vote for, by (vote, holder), in one
/// query.
async fn stored_ballots(
    db: &impl ConnectionTrait,
    jobs: &[Job],
    holdings: &HashMap<String, Holdings>,
) -> AppResult<HashMap<(i64, i64), ballot::Model>> {
    let mut pairs: Vec<(i64, i64)> = Vec::new();
    for j in jobs {
        match &j.op {
            Op::Cast { vote_id, holder_id, .. } | Op::Paper { vote_id, holder_id, .. } => {
                pairs.push((*vote_id, *holder_id))
            }
            Op::Own { vote_id, session, .. } => {
                if let Some(h) = holdings.get(session) {
                    pairs.extend(h.own.iter().chain(h.proxies.iter().map(|p| &p.0)).map(|h| (*vote_id, *h)));
                }
            }
            Op::Confirm { .. } => {}
        }
    }
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    let found = ballot::Entity::find()
        .filter(ballot::Column::VoteId.is_in(pairs.iter().map(|p| p.0)))
        .filter(ballot::Column::HolderId.is_in(pairs.iter().map(|p| p.1)))
        .all(db)
        .await?;
    Ok(found.into_iter().map(|b| ((b.vote_id, b.holder_id), b)).collect())
}

fn already_counted(b: &ballot::Model) -> AppError {
    if b.status == BallotStatus::Pending {
        refuse("already_voted", msg!("ballot_paper_pending"))
    } else {
        refuse("already_voted", Channel::parse(&b.channel).already_counted())
    }
}

/// Record `b` (not yet stored) in the chain and give it its receipt.
fn seal(batch: &mut Batch, b: &mut ballot::Model, action: &str, extra: serde_json::Value, actor: i64) {
    let d = digest(b);
    let compound_id = batch.votes.get(&b.vote_id).map(|v| v.compound_id);
    let mut detail =
        json!({ "vote": b.vote_id, "holder": b.holder_id, "channel": b.channel, "status": b.status, "digest": d });
    if let (Some(obj), Some(more)) = (detail.as_object_mut(), extra.as_object()) {
        obj.extend(more.clone());
    }
    let event = batch.chain.append(Event {
        actor_id: Some(actor),
        action,
        community_id: None,
        compound_id,
        subject: format!("vote:{}", b.vote_id),
        detail,
    });
    if b.receipt.is_empty() {
        b.receipt = receipt(&d, &event.hash);
    }
    b.audit_seq = event.seq;
}

fn unstored(vote_id: i64, holder_id: i64, channel: Channel, marks: &Marks) -> ballot::Model {
    let (choice, picks) = marks.columns();
    ballot::Model {
        id: 0,
        vote_id,
        holder_id,
        channel: channel.as_str().into(),
        choice,
        picks,
        status: BallotStatus::Counted,
        cast_by: None,
        entered_by: None,
        confirmed_by: None,
        proxy_id: None,
        paper_serial: None,
        idempotency_key: None,
        cast_at: now_micros(),
        confirmed_at: None,
        receipt: String::new(),
        audit_seq: 0,
        scan_file_id: None,
        salt: {
            let mut bytes = [0u8; 16];
            rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
            hex::encode(bytes)
        },
    }
}

/// The row for a new ballot (its id is the database's).
fn new_row(b: ballot::Model) -> ballot::ActiveModel {
    ballot::ActiveModel {
        vote_id: Set(b.vote_id),
        holder_id: Set(b.holder_id),
        channel: Set(b.channel),
        choice: Set(b.choice),
        picks: Set(b.picks),
        status: Set(b.status),
        cast_by: Set(b.cast_by),
        entered_by: Set(b.entered_by),
        confirmed_by: Set(b.confirmed_by),
        proxy_id: Set(b.proxy_id),
        paper_serial: Set(b.paper_serial),
        idempotency_key: Set(b.idempotency_key),
        cast_at: Set(b.cast_at),
        confirmed_at: Set(b.confirmed_at),
        receipt: Set(b.receipt),
        audit_seq: Set(b.audit_seq),
        scan_file_id: Set(b.scan_file_id),
        salt: Set(b.salt),
        ..Default::default()
    }
}

/// What a checked operation will write.
enum Plan {
    /// A retried request whose ballot is already stored.
    Done(ballot::Model),
    Insert {
        ballot: ballot::Model,
        action: &'static str,
        extra: serde_json::Value,
        actor: i64,
    },
    Replace {
        prev: Box<ballot::Model>,
        ballot: ballot::Model,
        actor: i64,
    },
    Confirm {
        ballot: ballot::Model,
        actor: i64,
    },
}

/// Turn an `Own` ballot into the holder's ballot it is: the caller must hold something on the
/// vote's frozen roster (asked before anything about the vote is told; a switched-off account
/// holds nothing, and the handler then finds why).
async fn resolve(db: &impl ConnectionTrait, batch: &mut Batch, frozen: &mut Frozen, op: Op) -> AppResult<Op> {
    let Op::Own { vote_id, user_id, session, holder_id, marks, idempotency_key } = op else { return Ok(op) };
    let v = load_vote(db, batch, vote_id).await?;
    let mine: Vec<(i64, Option<i64>)> = match (batch.holdings.get(&session), v.frozen_at) {
        (Some(h), Some(_)) => {
            let roster = frozen.rosters.get(db, &v).await?;
            h.in_compound(v.compound_id).into_iter().filter(|(h, _)| roster.contains_key(h)).collect()
        }
        _ => Vec::new(),
    };
    let (holder_id, proxy_id) = choose_holding(&mine, holder_id)?;
    Ok(Op::Cast { vote_id, holder_id, user_id, proxy_id, marks, idempotency_key })
}

/// Check an operation against the vote, its frozen roster and the ballots stored so far, writing
/// nothing.
async fn check(db: &impl ConnectionTrait, batch: &mut Batch, frozen: &mut Frozen, op: &Op) -> AppResult<Plan> {
    let v = open_vote(db, batch, op.vote_id()).await?;
    let roster = frozen.rosters.get(db, &v).await?;
    let eligible = |holder_id: i64| {
        if roster.contains_key(&holder_id) {
            Ok(())
        } else {
            Err(refuse("not_eligible", msg!("ballot_not_on_frozen_roster")))
        }
    };
    match op {
        Op::Own { .. } => Err(anyhow::anyhow!("a caller's ballot is checked only once resolved to a holder").into()),
        Op::Cast { vote_id, holder_id, user_id, proxy_id, marks, idempotency_key } => {
            eligible(*holder_id)?;
            check_marks(&v, marks, frozen.candidates(db, *vote_id).await?)?;
            if let Some(pid) = proxy_id {
                let p = proxy::Entity::find_by_id(*pid).one(db).await?.ok_or(AppError::NotFound)?;
                let issued = (p.holder_id, p.proxy_user_id, p.revoked_at.is_some());
                if !proxy_valid(issued, *holder_id, *user_id, (p.valid_from, p.valid_until), Utc::now()) {
                    return Err(refuse("proxy_invalid", msg!("ballot_proxy_not_valid")));
                }
            }
            let channel = if proxy_id.is_some() { Channel::Proxy } else { Channel::Online };
            let mut b = unstored(*vote_id, *holder_id, channel, marks);
            b.cast_by = Some(*user_id);
            b.idempotency_key = idempotency_key.clone();
            let Some(prev) = batch.ballots.get(&(*vote_id, *holder_id)).cloned() else {
                b.proxy_id = *proxy_id;
                return Ok(Plan::Insert { ballot: b, action: "ballot.cast", extra: json!({}), actor: *user_id });
            };
            if idempotency_key.is_some() && prev.idempotency_key == *idempotency_key && prev.cast_by == Some(*user_id) {
                return Ok(Plan::Done(prev));
            }
            let stored = Stored {
                channel: Channel::parse(&prev.channel),
                counted: prev.status == BallotStatus::Counted,
                cast_by: prev.cast_by,
            };
            if !replaces(channel, *user_id, stored, v.allow_change) {
                return Err(already_counted(&prev));
            }
            b.id = prev.id;
            Ok(Plan::Replace { prev: Box::new(prev), ballot: b, actor: *user_id })
        }
        Op::Paper { vote_id, holder_id, entered_by, serial, marks, scan_file_id } => {
            eligible(*holder_id)?;
            check_marks(&v, marks, frozen.candidates(db, *vote_id).await?)?;
            if let Some(prev) = batch.ballots.get(&(*vote_id, *holder_id)) {
                return Err(already_counted(prev));
            }
            let dup = ballot::Entity::find()
                .filter(ballot::Column::VoteId.eq(*vote_id))
                .filter(ballot::Column::PaperSerial.eq(serial.as_str()))
                .one(db)
                .await?;
            let in_batch =
                batch.inserts.iter().any(|b| b.vote_id == *vote_id && b.paper_serial.as_ref() == Some(serial));
            if dup.is_some() || in_batch {
                return Err(refuse("serial_used", msg!("ballot_serial_used", serial = serial)));
            }
            let mut b = unstored(*vote_id, *holder_id, Channel::Paper, marks);
            b.status = BallotStatus::Pending;
            b.entered_by = Some(*entered_by);
            b.paper_serial = Some(serial.clone());
            b.scan_file_id = *scan_file_id;
            Ok(Plan::Insert {
                ballot: b,
                action: "ballot.paper_entered",
                extra: json!({ "serial": serial }),
                actor: *entered_by,
            })
        }
        Op::Confirm { vote_id, ballot_id, confirmed_by } => {
            let prev = ballot::Entity::find_by_id(*ballot_id)
                .one(db)
                .await?
                .filter(|b| b.vote_id == *vote_id)
                .ok_or(AppError::NotFound)?;
            let status = prev.status.confirm()?;
            if prev.entered_by == Some(*confirmed_by) {
                return Err(refuse("second_person_required", msg!("ballot_paper_second_person")));
            }
            let mut b = prev;
            b.status = status;
            b.confirmed_by = Some(*confirmed_by);
            b.confirmed_at = Some(now_micros());
            Ok(Plan::Confirm { ballot: b, actor: *confirmed_by })
        }
    }
}

/// Carry out a checked plan: record it in the chain, then store the ballot (a new one when the
/// batch is done).
async fn write(db: &impl ConnectionTrait, batch: &mut Batch, plan: Plan) -> AppResult<ballot::Model> {
    let b = match plan {
        Plan::Done(b) => b,
        Plan::Insert { mut ballot, action, extra, actor } => {
            seal(batch, &mut ballot, action, extra, actor);
            batch.inserts.push(ballot.clone());
            ballot
        }
        Plan::Replace { prev, mut ballot, actor } => {
            let extra = json!({ "replaces": prev.receipt, "was": prev.channel });
            seal(batch, &mut ballot, "ballot.replaced", extra, actor);
            let next = ballot::Model {
                id: prev.id,
                channel: ballot.channel,
                choice: ballot.choice,
                picks: ballot.picks,
                cast_by: ballot.cast_by,
                proxy_id: None,
                idempotency_key: ballot.idempotency_key,
                cast_at: ballot.cast_at,
                receipt: ballot.receipt,
                audit_seq: ballot.audit_seq,
                salt: ballot.salt,
                ..*prev
            };
            if next.id == 0 {
                // Replacing a ballot of this same batch: it is not stored yet.
                let key = (next.vote_id, next.holder_id);
                if let Some(pending) = batch.inserts.iter_mut().find(|b| (b.vote_id, b.holder_id) == key) {
                    *pending = next.clone();
                }
                next
            } else {
                update(db, next).await?
            }
        }
        Plan::Confirm { mut ballot, actor } => {
            let serial = ballot.paper_serial.clone();
            seal(batch, &mut ballot, "ballot.paper_confirmed", json!({ "serial": serial }), actor);
            update(db, ballot).await?
        }
    };
    if let Some(voter) = b.cast_by.filter(|_| Channel::parse(&b.channel) != Channel::Paper) {
        batch.voted.push((voter, format!("/votes/{}", b.vote_id)));
    }
    batch.ballots.insert((b.vote_id, b.holder_id), b.clone());
    Ok(b)
}

/// Store every field of a ballot that already has its row.
async fn update(db: &impl ConnectionTrait, b: ballot::Model) -> AppResult<ballot::Model> {
    let mut am = new_row(b.clone());
    am.id = Set(b.id);
    Ok(ballot::Entity::update(am).exec(db).await?)
}

fn now_micros() -> chrono::DateTime<Utc> {
    // Microseconds: the precision both databases keep, so a digest survives a round trip.
    chrono::DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now)
}

/// Check every stored ballot against the chain event that last recorded it. Returns the first
/// ballot that does not match, with why.
pub async fn verify_ballots(db: &impl ConnectionTrait) -> AppResult<Option<(i64, Msg)>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut after = 0;
    loop {
        let page = ballot::Entity::find()
            .filter(ballot::Column::Id.gt(after))
            .order_by_asc(ballot::Column::Id)
            .limit(1000)
            .all(db)
            .await?;
        let Some(last) = page.last() else { return Ok(None) };
        after = last.id;
        let seqs: Vec<i64> = page.iter().map(|b| b.audit_seq).collect();
        let events: std::collections::HashMap<i64, crate::entities::audit_event::Model> =
            crate::entities::audit_event::Entity::find()
                .filter(crate::entities::audit_event::Column::Seq.is_in(seqs))
                .all(db)
                .await?
                .into_iter()
                .map(|e| (e.seq, e))
                .collect();
        for b in &page {
            let Some(e) = events.get(&b.audit_seq) else {
                return Ok(Some((b.id, msg!("ballot_event_missing", seq = b.audit_seq))));
            };
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            if detail["digest"].as_str() != Some(digest(b).as_str()) || detail["holder"].as_i64() != Some(b.holder_id) {
                return Ok(Some((b.id, msg!("ballot_event_mismatch", seq = e.seq))));
            }
        }
    }
}
