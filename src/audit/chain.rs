use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement,
    prelude::Expr,
    sea_query::{ExprTrait, Query},
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::entities::{audit_event, audit_head};

/// One thing that happened, before it joins the chain.
pub struct Event<'a> {
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub community_id: Option<i64>,
    pub compound_id: Option<i64>,
    /// What it happened to, e.g. `user:12` or `compound:3`.
    pub subject: String,
    pub detail: Value,
}

/// The hash of an event: SHA-256 over the previous hash and every stored field, so that
/// changing, inserting or deleting any event breaks the chain from that point on.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev_hash: &str,
    seq: i64,
    at: &DateTime<Utc>,
    actor_id: Option<i64>,
    action: &str,
    community_id: Option<i64>,
    compound_id: Option<i64>,
    subject: &str,
    detail: &str,
) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq.to_string(),
        &at.to_rfc3339_opts(SecondsFormat::Micros, true),
        &opt(actor_id),
        action,
        &opt(community_id),
        &opt(compound_id),
        subject,
        detail,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The chain's head, held for appending inside one transaction.
///
/// [`Chain::lock`] touches the head row first: that takes the row lock on PostgreSQL (and the
/// write lock on SQLite), so concurrent transactions append one after another instead of forking
/// the chain. Append any number of events, then [`Chain::save`] them and the new head before
/// committing: the events are written together, in as few statements as the database allows.
pub struct Chain {
    seq: i64,
    hash: String,
    pending: Vec<audit_event::ActiveModel>,
}

/// Where an appended event sits in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    pub seq: i64,
    pub hash: String,
}

/// Events per INSERT statement: 10 bound values each stays far below either database's limit.
const EVENTS_PER_STATEMENT: usize = 500;

impl Chain {
    pub async fn lock(db: &impl ConnectionTrait) -> Result<Chain, sea_orm::DbErr> {
        let touch = Query::update()
            .table(audit_head::Entity)
            .value(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
            .and_where(Expr::col(audit_head::Column::Id).eq(1))
            .returning(Query::returning().columns([audit_head::Column::Seq, audit_head::Column::Hash]))
            .to_owned();
        let head = db.query_one(&touch).await?.ok_or_else(|| sea_orm::DbErr::RecordNotFound("audit head".into()))?;
        Ok(Chain { seq: head.try_get("", "seq")?, hash: head.try_get("", "hash")?, pending: Vec::new() })
    }

    /// Add an event after the current head; it is written by [`Chain::save`].
    pub fn append(&mut self, ev: Event<'_>) -> Appended {
        let seq = self.seq + 1;
        // Stored at microsecond precision, the precision both databases keep.
        let at = DateTime::from_timestamp_micros(Utc::now().timestamp_micros()).unwrap_or_else(Utc::now);
        let detail = ev.detail.to_string();
        let hash = event_hash(
            &self.hash,
            seq,
            &at,
            ev.actor_id,
            ev.action,
            ev.community_id,
            ev.compound_id,
            &ev.subject,
            &detail,
        );
        self.pending.push(audit_event::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            actor_id: Set(ev.actor_id),
            action: Set(ev.action.to_owned()),
            community_id: Set(ev.community_id),
            compound_id: Set(ev.compound_id),
            subject: Set(ev.subject),
            detail: Set(detail),
            prev_hash: Set(std::mem::replace(&mut self.hash, hash.clone())),
            hash: Set(hash.clone()),
            ..Default::default()
        });
        self.seq = seq;
        Appended { seq, hash }
    }

    /// Write the appended events and the new head.
    pub async fn save(self, db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
        crate::db::execute_all(db, self.into_statements(db.get_database_backend())).await
    }

    /// The statements that write the appended events and the new head, for a caller that runs
    /// them with its own (see [`crate::db::execute_all`]).
    pub fn into_statements(mut self, backend: DbBackend) -> Vec<Statement> {
        let mut out = Vec::new();
        while !self.pending.is_empty() {
            let rest = self.pending.split_off(self.pending.len().min(EVENTS_PER_STATEMENT));
            let chunk = std::mem::replace(&mut self.pending, rest);
            out.push(audit_event::Entity::insert_many(chunk).build(backend));
        }
        out.push(
            backend.build(
                &Query::update()
                    .table(audit_head::Entity)
                    .value(audit_head::Column::Seq, self.seq)
                    .value(audit_head::Column::Hash, self.hash)
                    .and_where(Expr::col(audit_head::Column::Id).eq(1))
                    .to_owned(),
            ),
        );
        out
    }
}

/// Append one event to the chain inside the caller's transaction.
pub async fn record(db: &impl ConnectionTrait, ev: Event<'_>) -> Result<Appended, sea_orm::DbErr> {
    let mut chain = Chain::lock(db).await?;
    let e = chain.append(ev);
    chain.save(db).await?;
    Ok(e)
}

/// What `verify` found.
#[derive(Debug, PartialEq, Eq)]
pub enum VerifyReport {
    Ok { events: u64, head: String },
    Broken { seq: i64, id: i64, reason: String },
}

/// Walk the chain from the start and report the first event that does not hold.
pub async fn verify(db: &impl ConnectionTrait) -> Result<VerifyReport, sea_orm::DbErr> {
    let mut prev = "0".repeat(64);
    let mut expected_seq = 1;
    let mut count = 0;
    // Read in pages so a long chain never sits in memory whole.
    loop {
        let page = audit_event::Entity::find()
            .filter(audit_event::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_event::Column::Seq)
            .limit(1000)
            .all(db)
            .await?;
        if page.is_empty() {
            break;
        }
        for e in page {
            if e.seq != expected_seq {
                return Ok(VerifyReport::Broken {
                    seq: expected_seq,
                    id: e.id,
                    reason: format!("event {} is missing (next stored is {})", expected_seq, e.seq),
                });
            }
            if e.prev_hash != prev {
                return Ok(VerifyReport::Broken {
                    seq: e.seq,
                    id: e.id,
                    reason: "its previous-hash does not match the event before it".into(),
                });
            }
            let h = event_hash(
                &e.prev_hash,
                e.seq,
                &e.at,
                e.actor_id,
                &e.action,
                e.community_id,
                e.compound_id,
                &e.subject,
                &e.detail,
            );
            if h != e.hash {
                return Ok(VerifyReport::Broken {
                    seq: e.seq,
                    id: e.id,
                    reason: "its content does not match its hash (the row was altered)".into(),
                });
            }
            prev = e.hash;
            expected_seq += 1;
            count += 1;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(db).await?;
    if let Some(head) = head
        && (head.seq != expected_seq - 1 || head.hash != prev)
    {
        return Ok(VerifyReport::Broken {
            seq: expected_seq,
            id: 0,
            reason: format!(
                "the chain head says {} events ending in {}, but {} events end in {}",
                head.seq, head.hash, count, prev
            ),
        });
    }
    Ok(VerifyReport::Ok { events: count, head: prev })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_changes_with_every_field() {
        let at = Utc::now();
        let base = event_hash("p", 1, &at, Some(1), "a", Some(2), Some(3), "s", "{}");
        assert_ne!(base, event_hash("q", 1, &at, Some(1), "a", Some(2), Some(3), "s", "{}"));
        assert_ne!(base, event_hash("p", 2, &at, Some(1), "a", Some(2), Some(3), "s", "{}"));
        assert_ne!(base, event_hash("p", 1, &at, None, "a", Some(2), Some(3), "s", "{}"));
        assert_ne!(base, event_hash("p", 1, &at, Some(1), "b", Some(2), Some(3), "s", "{}"));
        assert_ne!(base, event_hash("p", 1, &at, Some(1), "a", Some(2), Some(3), "s", "{\"x\":1}"));
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let at = Utc::now();
        assert_ne!(
            event_hash("p", 1, &at, None, "ab", None, None, "c", "{}"),
            event_hash("p", 1, &at, None, "a", None, None, "bc", "{}")
        );
    }
}
