//! Casting, entering and confirming ballots, and the single writer that commits them in batches.
//!
//! Every ballot goes through one task that takes whatever is queued, applies each in its own
//! savepoint of one transaction, commits once, and only then answers each caller. An answered
//! ballot is durable; many ballots share one commit (and one fsync) under load.
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::json;
use tokio::sync::{mpsc, oneshot};

use super::{
    ballot::{digest, receipt},
    model::{BALLOT_COUNTED, BALLOT_PENDING, Channel, VoteForm, VoteStatus},
    tally::Choice,
};
use crate::{
    audit::{self, Event},
    db::write_txn,
    entities::{ballot, proxy, vote, vote_electorate},
    error::{AppError, AppResult, is_unique_violation},
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
            Op::Cast { vote_id, .. } | Op::Paper { vote_id, .. } | Op::Confirm { vote_id, .. } => *vote_id,
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

/// Most ballots committed together.
const MAX_BATCH: usize = 512;

impl BallotWriter {
    pub fn spawn(db: DatabaseConnection) -> Self {
        let (tx, rx) = mpsc::channel(4096);
        tokio::spawn(run(db, rx));
        Self { tx }
    }

    /// Apply `op` and return the stored ballot once it is committed.
    pub async fn submit(&self, op: Op) -> AppResult<ballot::Model> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Job { op, reply }).await.map_err(|_| anyhow::anyhow!("ballot writer stopped"))?;
        rx.await.map_err(|_| anyhow::anyhow!("ballot writer dropped the request"))?
    }
}

async fn run(db: DatabaseConnection, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        process(&db, batch).await;
    }
}

async fn process(db: &DatabaseConnection, batch: Vec<Job>) {
    let txn = match write_txn(db).await {
        Ok(t) => t,
        Err(e) => {
            let msg = e.to_string();
            for job in batch {
                let _ = job.reply.send(Err(anyhow::anyhow!("could not start the ballot transaction: {msg}").into()));
            }
            return;
        }
    };
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        let r = match txn.begin().await {
            Ok(sp) => match apply(&sp, &job.op).await {
                Ok(b) => sp.commit().await.map(|_| b).map_err(AppError::from),
                Err(e) => {
                    let _ = sp.rollback().await;
                    Err(e)
                }
            },
            Err(e) => Err(e.into()),
        };
        results.push((job.reply, r));
    }
    match txn.commit().await {
        Ok(()) => {
            for (reply, r) in results {
                let _ = reply.send(r);
            }
        }
        Err(e) => {
            // Nothing of this batch was stored: no caller may be told otherwise.
            let msg = e.to_string();
            for (reply, r) in results {
                let _ = reply.send(match r {
                    Ok(_) => Err(anyhow::anyhow!("commit failed: {msg}").into()),
                    Err(e) => Err(e),
                });
            }
        }
    }
}

fn refuse(code: &'static str, message: impl Into<String>) -> AppError {
    AppError::conflict(code, message)
}

/// The vote, checked to be open for ballots right now (the server's clock decides, whatever
/// the app shows).
async fn open_vote(db: &impl ConnectionTrait, vote_id: i64) -> AppResult<vote::Model> {
    let v = vote::Entity::find_by_id(vote_id).one(db).await?.ok_or(AppError::NotFound)?;
    let now = Utc::now();
    match VoteStatus::parse(&v.status) {
        VoteStatus::Closed => return Err(refuse("vote_closed", "this vote has closed")),
        VoteStatus::Cancelled => return Err(refuse("vote_not_open", "this vote has been cancelled")),
        VoteStatus::Open if now >= v.opens_at => {}
        _ => return Err(refuse("vote_not_open", "this vote is not open for ballots")),
    }
    if now >= v.closes_at {
        return Err(refuse("vote_closed", "this vote has closed"));
    }
    Ok(v)
}

async fn check_eligible(db: &impl ConnectionTrait, vote_id: i64, holder_id: i64) -> AppResult<()> {
    let found = vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(vote_id))
        .filter(vote_electorate::Column::HolderId.eq(holder_id))
        .one(db)
        .await?;
    found.map(|_| ()).ok_or_else(|| refuse("not_eligible", "this holder is not on the vote's frozen roster"))
}

fn check_marks(v: &vote::Model, marks: &Marks, candidates: usize) -> AppResult<()> {
    match (VoteForm::parse(&v.form), marks) {
        (VoteForm::Motion, Marks::Choice(_)) => Ok(()),
        (VoteForm::Election, Marks::Picks(p)) => {
            let seats = v.seats.unwrap_or(1).max(1) as usize;
            if p.len() > seats {
                return Err(AppError::field("candidates", format!("support at most {seats} candidate(s)")));
            }
            let mut sorted = p.clone();
            sorted.sort_unstable();
            sorted.dedup();
            if sorted.len() != p.len() {
                return Err(AppError::field("candidates", "a candidate is listed twice"));
            }
            if p.iter().any(|&c| c >= candidates) {
                return Err(AppError::field("candidates", "no such candidate"));
            }
            Ok(())
        }
        (VoteForm::Motion, _) => Err(AppError::field("choice", "choose agree, oppose or abstain")),
        (VoteForm::Election, _) => Err(AppError::field("candidates", "list the candidates you support")),
    }
}

async fn candidate_count(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<usize> {
    use sea_orm::PaginatorTrait;
    Ok(crate::entities::vote_candidate::Entity::find()
        .filter(crate::entities::vote_candidate::Column::VoteId.eq(v.id))
        .count(db)
        .await? as usize)
}

async fn existing(db: &impl ConnectionTrait, vote_id: i64, holder_id: i64) -> AppResult<Option<ballot::Model>> {
    Ok(ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(vote_id))
        .filter(ballot::Column::HolderId.eq(holder_id))
        .one(db)
        .await?)
}

fn already_counted(b: &ballot::Model) -> AppError {
    if b.status == BALLOT_PENDING {
        refuse("already_voted", "a paper ballot for this holder is awaiting a second clerk's confirmation")
    } else {
        refuse(
            "already_voted",
            format!("this holder's ballot has already been counted {}", Channel::parse(&b.channel).describe()),
        )
    }
}

/// Record `b` (not yet stored) in the chain and give it its receipt.
async fn seal(
    db: &impl ConnectionTrait,
    b: &mut ballot::Model,
    action: &str,
    extra: serde_json::Value,
    actor: i64,
) -> AppResult<()> {
    let d = digest(b);
    let v = vote::Entity::find_by_id(b.vote_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mut detail =
        json!({ "vote": b.vote_id, "holder": b.holder_id, "channel": b.channel, "status": b.status, "digest": d });
    if let (Some(obj), Some(more)) = (detail.as_object_mut(), extra.as_object()) {
        obj.extend(more.clone());
    }
    let event = audit::record(
        db,
        Event {
            actor_id: Some(actor),
            action,
            community_id: None,
            compound_id: Some(v.compound_id),
            subject: format!("vote:{}", b.vote_id),
            detail,
        },
    )
    .await?;
    if b.receipt.is_empty() {
        b.receipt = receipt(&d, &event.hash);
    }
    b.audit_seq = event.seq;
    Ok(())
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
        status: BALLOT_COUNTED.into(),
        cast_by: None,
        entered_by: None,
        confirmed_by: None,
        proxy_id: None,
        paper_serial: None,
        idempotency_key: None,
        // Microseconds: the precision both databases keep, so the digest survives a round trip.
        cast_at: chrono::DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now),
        confirmed_at: None,
        receipt: String::new(),
        audit_seq: 0,
        scan_file_id: None,
    }
}

async fn insert(db: &impl ConnectionTrait, b: ballot::Model) -> AppResult<ballot::Model> {
    let am = ballot::ActiveModel {
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
        ..Default::default()
    };
    ballot::Entity::insert(am).exec_with_returning(db).await.map_err(|e| {
        if is_unique_violation(&e) {
            refuse("already_voted", "this holder's ballot has already been counted")
        } else {
            e.into()
        }
    })
}

/// Apply one operation inside the caller's transaction.
pub async fn apply(db: &impl ConnectionTrait, op: &Op) -> AppResult<ballot::Model> {
    let v = open_vote(db, op.vote_id()).await?;
    match op {
        Op::Cast { vote_id, holder_id, user_id, proxy_id, marks, idempotency_key } => {
            check_eligible(db, *vote_id, *holder_id).await?;
            check_marks(&v, marks, candidate_count(db, &v).await?)?;
            if let Some(pid) = proxy_id {
                let p = proxy::Entity::find_by_id(*pid).one(db).await?.ok_or(AppError::NotFound)?;
                let now = Utc::now();
                if p.holder_id != *holder_id
                    || p.proxy_user_id != *user_id
                    || p.revoked_at.is_some()
                    || now < p.valid_from
                    || now > p.valid_until
                {
                    return Err(refuse("proxy_invalid", "the written proxy is not valid now"));
                }
            }
            let channel = if proxy_id.is_some() { Channel::Proxy } else { Channel::Online };
            if let Some(prev) = existing(db, *vote_id, *holder_id).await? {
                if idempotency_key.is_some()
                    && prev.idempotency_key == *idempotency_key
                    && prev.cast_by == Some(*user_id)
                {
                    return Ok(prev);
                }
                let prev_channel = Channel::parse(&prev.channel);
                // The holder's own ballot replaces one their proxy cast; with a vote that allows it,
                // an owner may change their own ballot before close.
                let replaces = channel == Channel::Online
                    && prev.status == BALLOT_COUNTED
                    && (prev_channel == Channel::Proxy
                        || (prev_channel == Channel::Online && v.allow_change && prev.cast_by == Some(*user_id)));
                if !replaces {
                    return Err(already_counted(&prev));
                }
                let old_receipt = prev.receipt.clone();
                let mut b = unstored(*vote_id, *holder_id, channel, marks);
                b.id = prev.id;
                b.cast_by = Some(*user_id);
                b.idempotency_key = idempotency_key.clone();
                seal(
                    db,
                    &mut b,
                    "ballot.replaced",
                    json!({ "replaces": old_receipt, "was": prev_channel.as_str() }),
                    *user_id,
                )
                .await?;
                let mut am: ballot::ActiveModel = prev.into();
                am.channel = Set(b.channel.clone());
                am.choice = Set(b.choice.clone());
                am.picks = Set(b.picks.clone());
                am.cast_by = Set(b.cast_by);
                am.proxy_id = Set(None);
                am.idempotency_key = Set(b.idempotency_key.clone());
                am.cast_at = Set(b.cast_at);
                am.receipt = Set(b.receipt.clone());
                am.audit_seq = Set(b.audit_seq);
                return Ok(am.update(db).await?);
            }
            let mut b = unstored(*vote_id, *holder_id, channel, marks);
            b.cast_by = Some(*user_id);
            b.proxy_id = *proxy_id;
            b.idempotency_key = idempotency_key.clone();
            seal(db, &mut b, "ballot.cast", json!({}), *user_id).await?;
            insert(db, b).await
        }
        Op::Paper { vote_id, holder_id, entered_by, serial, marks, scan_file_id } => {
            check_eligible(db, *vote_id, *holder_id).await?;
            check_marks(&v, marks, candidate_count(db, &v).await?)?;
            if let Some(prev) = existing(db, *vote_id, *holder_id).await? {
                return Err(already_counted(&prev));
            }
            let dup = ballot::Entity::find()
                .filter(ballot::Column::VoteId.eq(*vote_id))
                .filter(ballot::Column::PaperSerial.eq(serial.as_str()))
                .one(db)
                .await?;
            if dup.is_some() {
                return Err(refuse("serial_used", format!("paper ballot number {serial} has already been entered")));
            }
            let mut b = unstored(*vote_id, *holder_id, Channel::Paper, marks);
            b.status = BALLOT_PENDING.into();
            b.entered_by = Some(*entered_by);
            b.paper_serial = Some(serial.clone());
            b.scan_file_id = *scan_file_id;
            seal(db, &mut b, "ballot.paper_entered", json!({ "serial": serial }), *entered_by).await?;
            insert(db, b).await
        }
        Op::Confirm { vote_id, ballot_id, confirmed_by } => {
            let prev = ballot::Entity::find_by_id(*ballot_id)
                .one(db)
                .await?
                .filter(|b| b.vote_id == *vote_id)
                .ok_or(AppError::NotFound)?;
            if prev.status != BALLOT_PENDING {
                return Err(refuse("already_confirmed", "this paper ballot has already been confirmed"));
            }
            if prev.entered_by == Some(*confirmed_by) {
                return Err(refuse(
                    "second_person_required",
                    "the clerk who entered a paper ballot cannot confirm it: a second person must",
                ));
            }
            let mut b = prev.clone();
            b.status = BALLOT_COUNTED.into();
            b.confirmed_by = Some(*confirmed_by);
            b.confirmed_at =
                Some(chrono::DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now));
            let serial = b.paper_serial.clone();
            seal(db, &mut b, "ballot.paper_confirmed", json!({ "serial": serial }), *confirmed_by).await?;
            // Conditional on still pending, so two racing confirmations count it once.
            let done = ballot::Entity::update_many()
                .col_expr(ballot::Column::Status, sea_orm::prelude::Expr::value(BALLOT_COUNTED))
                .col_expr(ballot::Column::ConfirmedBy, sea_orm::prelude::Expr::value(*confirmed_by))
                .col_expr(ballot::Column::ConfirmedAt, sea_orm::prelude::Expr::value(b.confirmed_at))
                .col_expr(ballot::Column::AuditSeq, sea_orm::prelude::Expr::value(b.audit_seq))
                .filter(ballot::Column::Id.eq(prev.id))
                .filter(ballot::Column::Status.eq(BALLOT_PENDING))
                .exec(db)
                .await?;
            if done.rows_affected != 1 {
                return Err(refuse("already_confirmed", "this paper ballot has already been confirmed"));
            }
            Ok(b)
        }
    }
}

/// Check every stored ballot against the chain event that last recorded it. Returns the first
/// ballot that does not match, with why.
pub async fn verify_ballots(db: &impl ConnectionTrait) -> AppResult<Option<(i64, String)>> {
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
                return Ok(Some((b.id, format!("its chain event #{} is missing", b.audit_seq))));
            };
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            if detail["digest"].as_str() != Some(digest(b).as_str()) || detail["holder"].as_i64() != Some(b.holder_id) {
                return Ok(Some((b.id, format!("it no longer matches chain event #{} that recorded it", e.seq))));
            }
        }
    }
}
