//! A convention adopted by the route the law gives it, and in force with its history.
//!
//! The drafters (or the compound's owners' committee, or the community office) put the final
//! version — fixed by its SHA-256 — to a binding vote of each compound's owners, or record the
//! residents' meeting or the decision that adopted it. A vote settles when it closes: passed, the
//! version is in force from the day set, on the audit chain and in the audience's inbox; failed,
//! the convention goes back to drafting with the result kept. Repeal takes the same roads.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use serde_json::json;

use super::{
    ops::{Loaded, changed, compounds_of, kinds_where, load, parse_body, people_of, summaries, versions},
    rules::{self, PutError},
    text,
    views::*,
};
use crate::{
    audit,
    auth::Actor,
    db::{claim, write_txn},
    entities::{
        compound, convention, convention_adoption,
        meeting::{self, MeetingStatus},
        meeting_compound, membership, notice_recipient, vote,
    },
    error::{AppError, AppResult, require},
    msg,
    notices::{self, NewNotice, NoticeText},
    policy::{PartyKind, Permission},
    tenancy::compounds_by_id,
    text::required_text,
    votes::{
        model::{VoteForm, VoteStatus},
        ops::{BoundText, draft_bound},
        tally::Matter,
        views::NewVote,
    },
};

/// The longest decision record or filing reference, in characters.
const RECORD_MAX: usize = 2_000;
const FILING_MAX: usize = 100;

fn put_error(e: PutError) -> AppError {
    let (code, m) = match e {
        PutError::Consulting => ("convention_consultation_open", msg!("convention_consultation_open")),
        PutError::Pending => ("convention_adopting", msg!("convention_adopting")),
        PutError::NothingNew => ("convention_nothing_new", msg!("convention_nothing_new")),
        PutError::NotInForce => ("convention_not_in_force", msg!("convention_not_in_force")),
        PutError::Repealed => ("convention_repealed", msg!("convention_repealed")),
    };
    AppError::conflict(code, m)
}

/// Whether the caller may put `l` for adoption or repeal: its drafters, the owners' committee of
/// its compound (which convenes the owners' assembly), or the community office.
pub(super) fn may_put(actor: &Actor, l: &Loaded) -> bool {
    let kinds = kinds_where(actor, l.compound.as_ref(), l.c.community_id);
    l.drafter
        || kinds.contains(&PartyKind::CommunityOffice)
        || (l.compound.is_some() && kinds.contains(&PartyKind::OwnersCommittee))
}

/// The compounds a vote on `l` is held in: its own, or for a community-wide convention those
/// asked for (every compound of the community by default), one vote each.
async fn vote_compounds(db: &impl ConnectionTrait, l: &Loaded, asked: &[i64]) -> AppResult<Vec<compound::Model>> {
    if let Some(c) = &l.compound {
        return Ok(vec![c.clone()]);
    }
    let all = compounds_of(db, &l.c).await?;
    if asked.is_empty() {
        return Ok(all);
    }
    asked
        .iter()
        .enumerate()
        .map(|(i, id)| {
            all.iter()
                .find(|c| c.id == *id)
                .cloned()
                .ok_or_else(|| AppError::field(&format!("compound_ids[{i}]"), msg!("convention_compound_elsewhere")))
        })
        .collect()
}

/// Put convention `id` for adoption (its final version) or repeal (its version in force), by
/// `req.route`. A vote is drafted in each compound, bound to the text's digest, for its convener
/// to publish; a residents' meeting or a pledge is adopted as recorded, at once.
pub async fn put(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: PutConvention) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    require(may_put(actor, &l))?;
    if !rules::routes(l.c.kind).contains(&req.route) {
        return Err(AppError::field("route", msg!("convention_route")));
    }
    let now = Utc::now();
    rules::may_put(l.phase(now), l.c.in_force_version, l.c.version, req.action).map_err(put_error)?;
    let version = match req.action {
        AdoptionAction::Adopt => l.c.version,
        AdoptionAction::Repeal => l.c.in_force_version.unwrap_or(l.c.version),
    };
    if req.version != version {
        return Err(changed());
    }
    let row = versions(db, id).await?.into_iter().find(|v| v.version == version).ok_or_else(changed)?;
    let body = parse_body(&row.body)?;
    let meeting = match req.meeting_id {
        Some(m) => Some(minuting_meeting(db, &l, &req, m).await?),
        None => None,
    };
    let decided = decision(&req, meeting.as_ref())?;
    let base = convention_adoption::ActiveModel {
        convention_id: Set(l.c.id),
        version: Set(version),
        digest: Set(row.digest.clone()),
        action: Set(req.action),
        route: Set(req.route),
        in_force_from: Set(req.in_force_from.unwrap_or(now)),
        created_by: Set(actor.user.id),
        created_at: Set(now),
        ..Default::default()
    };
    let mut votes = Vec::new();
    let mut round = Vec::new();
    if req.route == AdoptionRoute::Vote {
        let (Some(opens_at), Some(closes_at)) = (req.opens_at, req.closes_at) else {
            let field = if req.opens_at.is_none() { "opens_at" } else { "closes_at" };
            return Err(AppError::field(field, msg!("convention_vote_dates")));
        };
        let prefix = if req.action == AdoptionAction::Repeal { "废止" } else { "" };
        let new_vote = NewVote {
            title: format!("{prefix}《{}》表决", row.title),
            body: text::vote_text(&row.title, &body, version, req.action == AdoptionAction::Repeal),
            matter: if l.c.kind == ConventionKind::Rules { Matter::Rules } else { Matter::Covenant },
            form: VoteForm::Motion,
            seats: None,
            candidates: Vec::new(),
            secret: false,
            allow_change: false,
            building_ids: None,
            opens_at,
            closes_at,
            attachment_ids: Vec::new(),
        };
        let bound = BoundText { convention_id: l.c.id, digest: row.digest.clone() };
        for c in vote_compounds(db, &l, &req.compound_ids).await? {
            let v = draft_bound(db, actor, &c, &new_vote, Some(&bound)).await?;
            let mut a = base.clone();
            a.compound_id = Set(Some(c.id));
            a.vote_id = Set(Some(v.id));
            a.status = Set(AdoptionStatus::Pending);
            a.in_force_from = Set(req.in_force_from.unwrap_or(closes_at).max(closes_at));
            round.push(convention_adoption::Entity::insert(a).exec_with_returning(db).await?);
            votes.push(v.id);
        }
    } else {
        let mut a = base;
        a.decided_by = Set(decided.by);
        a.record = Set(decided.record);
        a.decided_on = Set(decided.on);
        a.filed_on = Set(req.filed_on);
        a.filing_ref = Set(decided.filing_ref);
        a.meeting_id = Set(meeting.as_ref().map(|m| m.id));
        a.status = Set(AdoptionStatus::Adopted);
        a.settled_at = Set(Some(now));
        round.push(convention_adoption::Entity::insert(a).exec_with_returning(db).await?);
    }
    // The text is fixed now: a save over it from here on is refused as a change.
    let status = if votes.is_empty() { l.c.status } else { ConventionStatus::Adopting };
    let update = convention::Entity::update_many()
        .col_expr(convention::Column::Status, Expr::value(status))
        .col_expr(convention::Column::ReviewOn, Expr::value(req.review_on.or(l.c.review_on)))
        .col_expr(
            convention::Column::ReviewRemindedAt,
            Expr::value(if req.review_on.is_some() { None } else { l.c.review_reminded_at }),
        )
        .col_expr(convention::Column::UpdatedAt, Expr::value(now))
        .filter(convention::Column::Id.eq(l.c.id))
        .filter(convention::Column::Version.eq(l.c.version))
        .filter(convention::Column::Status.eq(l.c.status));
    claim(db, update, changed).await?;
    let detail = json!({ "action": req.action, "route": req.route, "version": version, "digest": row.digest,
                         "votes": votes, "meeting": req.meeting_id });
    audit::note(db, Some(actor.user.id), &l.c, "convention.put", detail).await?;
    if votes.is_empty() {
        let c = convention::Entity::find_by_id(l.c.id).one(db).await?.ok_or(AppError::NotFound)?;
        conclude(db, &c, &round, Some(actor.user.id)).await?;
    }
    Ok(())
}

/// The meeting `id` whose minutes record the decision put in `req`: held, of the kind the route
/// (and the body deciding a pledge) calls for, of the convention's community and, for a convention
/// of one compound, one that compound took part in.
/// Refused on `meeting_id` otherwise — a meeting elsewhere reads as one that does not exist.
async fn minuting_meeting(
    db: &impl ConnectionTrait,
    l: &Loaded,
    req: &PutConvention,
    id: i64,
) -> AppResult<meeting::Model> {
    let Some(kind) = rules::meeting_kind(req.route, req.decided_by.as_deref()) else {
        return Err(AppError::field("meeting_id", msg!("convention_meeting_kind")));
    };
    let unknown = || AppError::field("meeting_id", msg!("convention_meeting_unknown"));
    let m = meeting::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|m| m.community_id == l.c.community_id)
        .ok_or_else(unknown)?;
    // A convention of one compound: a meeting that compound took part in.
    if let Some(c) = l.c.compound_id {
        let took_part = meeting_compound::Entity::find()
            .filter(meeting_compound::Column::MeetingId.eq(m.id))
            .filter(meeting_compound::Column::CompoundId.eq(c))
            .one(db)
            .await?;
        if m.compound_id != Some(c) && took_part.is_none() {
            return Err(unknown());
        }
    }
    if m.kind != kind {
        return Err(AppError::field("meeting_id", msg!("convention_meeting_kind")));
    }
    if m.status != MeetingStatus::Held {
        return Err(AppError::field("meeting_id", msg!("convention_meeting_not_held")));
    }
    Ok(m)
}

/// What a decision route records, checked.
struct Decided {
    by: Option<String>,
    record: Option<String>,
    on: Option<chrono::NaiveDate>,
    filing_ref: Option<String>,
}

fn decision(req: &PutConvention, meeting: Option<&meeting::Model>) -> AppResult<Decided> {
    // The day decided, and the record: a meeting's minutes stand for the record, and its day for
    // the day, when they are not written out.
    let on = req.decided_on.or(meeting.map(|m| crate::china_time::date(m.starts_at)));
    let record = |req: &PutConvention| -> AppResult<Option<String>> {
        if on.is_none() {
            return Err(AppError::field("decided_on", msg!("convention_decided_on")));
        }
        let written = req.record.as_deref().unwrap_or_default();
        if meeting.is_some() && written.trim().is_empty() {
            return Ok(None);
        }
        required_text("record", written, RECORD_MAX).map(Some)
    };
    Ok(match req.route {
        AdoptionRoute::Vote => Decided { by: None, record: None, on: None, filing_ref: None },
        AdoptionRoute::Pledge => {
            let by = req.decided_by.as_deref().unwrap_or_default();
            if !rules::PLEDGE_BODIES.contains(&by) {
                return Err(AppError::field("decided_by", msg!("convention_decided_by")));
            }
            Decided { by: Some(by.to_owned()), record: record(req)?, on, filing_ref: None }
        }
        AdoptionRoute::ResidentsMeeting => {
            let record = record(req)?;
            if req.filed_on.is_none() {
                return Err(AppError::field("filed_on", msg!("convention_filed_on")));
            }
            let filing = required_text("filing_ref", req.filing_ref.as_deref().unwrap_or_default(), FILING_MAX)?;
            Decided { by: Some("residents_meeting".into()), record, on, filing_ref: Some(filing) }
        }
    })
}

/// Record a version adopted by a vote held before the compound came onto the platform (a paper
/// assembly, kept in the archive): adopted, and in force from `from`.
pub(super) async fn record_earlier_vote(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    record: &str,
    decided_on: chrono::NaiveDate,
    from: DateTime<Utc>,
) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    let row = versions(db, id).await?.into_iter().find(|v| v.version == l.c.version).ok_or_else(changed)?;
    let now = Utc::now();
    let a = convention_adoption::Entity::insert(convention_adoption::ActiveModel {
        convention_id: Set(l.c.id),
        version: Set(row.version),
        digest: Set(row.digest),
        action: Set(AdoptionAction::Adopt),
        route: Set(AdoptionRoute::Vote),
        compound_id: Set(l.c.compound_id),
        record: Set(Some(record.to_owned())),
        decided_on: Set(Some(decided_on)),
        status: Set(AdoptionStatus::Adopted),
        in_force_from: Set(from),
        result: Set(Some(
            serde_json::to_string(&AdoptionResult { passed: true, quorum_met: true }).map_err(anyhow::Error::from)?,
        )),
        settled_at: Set(Some(now)),
        created_by: Set(actor.user.id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    conclude(db, &l.c, &[a], Some(actor.user.id)).await
}

/// Bind vote `v`, drafted before, to the final version of convention `id`: its text becomes the
/// vote's, fixed by the version's digest, and the convention is before the owners.
pub(super) async fn bind_vote(db: &impl ConnectionTrait, actor: &Actor, id: i64, v: &vote::Model) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    let row = versions(db, id).await?.into_iter().find(|r| r.version == l.c.version).ok_or_else(changed)?;
    let body = text::vote_text(&row.title, &parse_body(&row.body)?, row.version, false);
    vote::Entity::update_many()
        .col_expr(vote::Column::Body, Expr::value(body))
        .col_expr(vote::Column::ConventionId, Expr::value(l.c.id))
        .col_expr(vote::Column::TextDigest, Expr::value(row.digest.clone()))
        .filter(vote::Column::Id.eq(v.id))
        .exec(db)
        .await?;
    convention_adoption::Entity::insert(convention_adoption::ActiveModel {
        convention_id: Set(l.c.id),
        version: Set(row.version),
        digest: Set(row.digest.clone()),
        action: Set(AdoptionAction::Adopt),
        route: Set(AdoptionRoute::Vote),
        compound_id: Set(Some(v.compound_id)),
        vote_id: Set(Some(v.id)),
        status: Set(AdoptionStatus::Pending),
        in_force_from: Set(v.closes_at),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await?;
    convention::Entity::update_many()
        .col_expr(convention::Column::Status, Expr::value(ConventionStatus::Adopting))
        .filter(convention::Column::Id.eq(l.c.id))
        .exec(db)
        .await?;
    let detail = json!({ "action": AdoptionAction::Adopt, "route": AdoptionRoute::Vote, "version": row.version,
                         "digest": row.digest, "votes": [v.id] });
    audit::note(db, Some(actor.user.id), &l.c, "convention.put", detail).await
}

/// Settle the adoptions whose votes have closed or been cancelled (closing the votes that are
/// due first): the server runs this every few seconds, and reading a convention runs it too.
/// Returns how many conventions moved.
pub async fn settle_due(db: &DatabaseConnection) -> AppResult<usize> {
    let pending = convention_adoption::Entity::find()
        .filter(convention_adoption::Column::Status.eq(AdoptionStatus::Pending))
        .all(db)
        .await?;
    let vote_ids: Vec<i64> = pending.iter().filter_map(|a| a.vote_id).collect();
    if vote_ids.is_empty() {
        return Ok(0);
    }
    let mut done: HashMap<i64, vote::Model> = HashMap::new();
    for v in vote::Entity::find().filter(vote::Column::Id.is_in(vote_ids)).all(db).await? {
        let v = crate::votes::lifecycle::advance(db, v).await?;
        if matches!(v.status, VoteStatus::Closed | VoteStatus::Cancelled) {
            done.insert(v.id, v);
        }
    }
    let mut moved = Vec::new();
    for a in pending {
        let Some(v) = a.vote_id.and_then(|id| done.get(&id)) else { continue };
        let txn = write_txn(db).await?;
        let passed = v.result.as_deref().and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok());
        let result = passed.as_ref().map(|r| AdoptionResult {
            passed: r["passed"].as_bool().unwrap_or(false),
            quorum_met: r["quorum_met"].as_bool().unwrap_or(false),
        });
        let status = rules::outcome(v.status == VoteStatus::Cancelled, result.as_ref().map(|r| r.passed));
        let step = convention_adoption::Entity::update_many()
            .col_expr(convention_adoption::Column::Status, Expr::value(status))
            .col_expr(
                convention_adoption::Column::Result,
                Expr::value(result.map(|r| serde_json::to_string(&r)).transpose().map_err(anyhow::Error::from)?),
            )
            .col_expr(convention_adoption::Column::SettledAt, Expr::value(Utc::now()))
            .filter(convention_adoption::Column::Id.eq(a.id))
            .filter(convention_adoption::Column::Status.eq(AdoptionStatus::Pending));
        // Another server settled it first: nothing to do here.
        if step.exec(&txn).await?.rows_affected == 0 {
            continue;
        }
        let c = convention::Entity::find_by_id(a.convention_id).one(&txn).await?.ok_or(AppError::NotFound)?;
        let round = round_of(&txn, &a).await?;
        conclude(&txn, &c, &round, None).await?;
        txn.commit().await?;
        moved.push(a.convention_id);
    }
    moved.dedup();
    Ok(moved.len())
}

/// The adoptions put together with `a`: one vote per compound, put at once.
async fn round_of(
    db: &impl ConnectionTrait,
    a: &convention_adoption::Model,
) -> AppResult<Vec<convention_adoption::Model>> {
    Ok(convention_adoption::Entity::find()
        .filter(convention_adoption::Column::ConventionId.eq(a.convention_id))
        .filter(convention_adoption::Column::CreatedAt.eq(a.created_at))
        .all(db)
        .await?)
}

/// When nothing of `round` is pending any more, bring convention `c` where the round leaves it:
/// in force (or repealed) where it was adopted, else back where it was, with the result kept.
async fn conclude(
    db: &impl ConnectionTrait,
    c: &convention::Model,
    round: &[convention_adoption::Model],
    actor: Option<i64>,
) -> AppResult<()> {
    let statuses: Vec<AdoptionStatus> = round.iter().map(|a| a.status).collect();
    let Some(any) = rules::round(&statuses) else { return Ok(()) };
    let Some(first) = round.first() else { return Ok(()) };
    let now = Utc::now();
    let adopted: Vec<&convention_adoption::Model> =
        round.iter().filter(|a| a.status == AdoptionStatus::Adopted).collect();
    let from = adopted.iter().map(|a| a.in_force_from).min().unwrap_or(now);
    let ids: Vec<i64> = round.iter().map(|a| a.id).collect();
    let mut update = convention::Entity::update_many()
        .col_expr(convention::Column::UpdatedAt, Expr::value(now))
        .filter(convention::Column::Id.eq(c.id));
    let action = match (any, first.action) {
        (true, AdoptionAction::Adopt) => {
            update = update
                .col_expr(convention::Column::Status, Expr::value(ConventionStatus::InForce))
                .col_expr(convention::Column::InForceVersion, Expr::value(first.version))
                .col_expr(convention::Column::InForceFrom, Expr::value(from));
            "convention.in_force"
        }
        (true, AdoptionAction::Repeal) => {
            update = update
                .col_expr(convention::Column::Status, Expr::value(ConventionStatus::Repealed))
                .col_expr(convention::Column::RepealedAt, Expr::value(from));
            "convention.repealed"
        }
        (false, AdoptionAction::Adopt) => {
            update = update.col_expr(convention::Column::Status, Expr::value(ConventionStatus::Drafting));
            "convention.not_adopted"
        }
        (false, AdoptionAction::Repeal) => {
            update = update.col_expr(convention::Column::Status, Expr::value(ConventionStatus::InForce));
            "convention.not_repealed"
        }
    };
    update.exec(db).await?;
    if any {
        // The version adopted before (or the one repealed) is superseded from now.
        convention_adoption::Entity::update_many()
            .col_expr(convention_adoption::Column::SupersededAt, Expr::value(from))
            .filter(convention_adoption::Column::ConventionId.eq(c.id))
            .filter(convention_adoption::Column::Action.eq(AdoptionAction::Adopt))
            .filter(convention_adoption::Column::Status.eq(AdoptionStatus::Adopted))
            .filter(convention_adoption::Column::SupersededAt.is_null())
            .filter(convention_adoption::Column::Id.is_not_in(ids.clone()))
            .exec(db)
            .await?;
        if first.action == AdoptionAction::Repeal {
            convention_adoption::Entity::update_many()
                .col_expr(convention_adoption::Column::SupersededAt, Expr::value(from))
                .filter(convention_adoption::Column::Id.is_in(ids.clone()))
                .exec(db)
                .await?;
        }
        announce(db, c, &adopted, first, from, actor).await?;
    }
    let places: Vec<Option<i64>> = adopted.iter().map(|a| a.compound_id).collect();
    let detail = json!({ "version": first.version, "digest": first.digest, "route": first.route,
                         "from": from, "adoptions": ids, "where": places });
    audit::note(db, actor, c, action, detail).await
}

/// Publish the adoption (or repeal) to the audience where it took effect, for the publicity period.
async fn announce(
    db: &impl ConnectionTrait,
    c: &convention::Model,
    adopted: &[&convention_adoption::Model],
    first: &convention_adoption::Model,
    from: DateTime<Utc>,
    actor: Option<i64>,
) -> AppResult<()> {
    let compounds = if adopted.iter().any(|a| a.compound_id.is_none()) {
        compounds_of(db, c).await?
    } else {
        compound::Entity::find()
            .filter(compound::Column::Id.is_in(adopted.iter().filter_map(|a| a.compound_id)))
            .all(db)
            .await?
    };
    let days = compounds.iter().map(|c| c.publicity_days).max().unwrap_or(7);
    let kind = match first.action {
        AdoptionAction::Adopt => "convention_in_force",
        AdoptionAction::Repeal => "convention_repealed",
    };
    let params = json!({ "title": c.title, "version": first.version, "in_force_from": from.to_rfc3339(),
                         "route": first.route, "days": days });
    let recipients = people_of(db, &compounds).await?;
    let n = NewNotice {
        community_id: c.community_id,
        compound_id: c.compound_id,
        kind,
        text: NoticeText::Params(params),
        link: Some(format!("/conventions/{}", c.id)),
        created_by: actor,
    };
    let notice = notices::publish(db, n, &recipients).await?;
    convention_adoption::Entity::update_many()
        .col_expr(convention_adoption::Column::NoticeId, Expr::value(notice.id))
        .filter(convention_adoption::Column::Id.is_in(adopted.iter().map(|a| a.id)))
        .exec(db)
        .await?;
    Ok(())
}

/// Every adoption and repeal of convention `c`, newest first, in five queries.
pub(super) async fn adoption_views(db: &impl ConnectionTrait, c: &convention::Model) -> AppResult<Vec<AdoptionView>> {
    let rows = convention_adoption::Entity::find()
        .filter(convention_adoption::Column::ConventionId.eq(c.id))
        .order_by_desc(convention_adoption::Column::Id)
        .all(db)
        .await?;
    views_of(db, rows).await
}

async fn views_of(db: &impl ConnectionTrait, rows: Vec<convention_adoption::Model>) -> AppResult<Vec<AdoptionView>> {
    let compounds = compounds_by_id(db, rows.iter().filter_map(|a| a.compound_id).collect::<Vec<_>>()).await?;
    let mut receipts: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in notice_recipient::Entity::find()
        .filter(notice_recipient::Column::NoticeId.is_in(rows.iter().filter_map(|a| a.notice_id)))
        .all(db)
        .await?
    {
        let e = receipts.entry(r.notice_id).or_default();
        e.0 += 1;
        e.1 += i64::from(r.read_at.is_some());
    }
    let meetings: HashMap<i64, String> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(rows.iter().filter_map(|a| a.meeting_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.title))
        .collect();
    let titles: HashMap<i64, String> = vote::Entity::find()
        .filter(vote::Column::Id.is_in(rows.iter().filter_map(|a| a.vote_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.title))
        .collect();
    Ok(rows
        .into_iter()
        .map(|a| AdoptionView {
            id: a.id,
            action: a.action,
            route: a.route,
            version: a.version,
            digest: a.digest,
            compound_id: a.compound_id,
            compound_name: a.compound_id.and_then(|id| compounds.get(&id)).map(|c| c.name.clone()),
            vote_id: a.vote_id,
            vote_title: a.vote_id.and_then(|id| titles.get(&id).cloned()),
            decided_by: a.decided_by,
            decided_on: a.decided_on,
            record: a.record,
            filed_on: a.filed_on,
            filing_ref: a.filing_ref,
            meeting_id: a.meeting_id,
            meeting_title: a.meeting_id.and_then(|id| meetings.get(&id).cloned()),
            status: a.status,
            in_force_from: a.in_force_from,
            result: a.result.as_deref().and_then(|r| serde_json::from_str(r).ok()),
            settled_at: a.settled_at,
            superseded_at: a.superseded_at,
            told: a.notice_id.and_then(|n| receipts.get(&n)).map_or(0, |r| r.0),
            read: a.notice_id.and_then(|n| receipts.get(&n)).map_or(0, |r| r.1),
            created_at: a.created_at,
        })
        .collect())
}

/// The version in force of `c`, read from its adoptions (newest first): how it was adopted and
/// where.
pub(super) fn in_force(c: &convention::Model, adoptions: &[AdoptionView]) -> Option<InForceView> {
    let (version, from) = (c.in_force_version?, c.in_force_from?);
    let adopted: Vec<&AdoptionView> = adoptions
        .iter()
        .filter(|a| a.action == AdoptionAction::Adopt && a.status == AdoptionStatus::Adopted && a.version == version)
        .collect();
    let first = adopted.first()?;
    Some(InForceView {
        version,
        digest: first.digest.clone(),
        from,
        route: first.route,
        compounds: adopted.iter().filter_map(|a| a.compound_name.clone()).collect(),
    })
}

/// Whether convention `id` has ever been put for adoption: then its text has been public.
pub(super) async fn was_put(db: &impl ConnectionTrait, id: i64) -> AppResult<bool> {
    let any =
        convention_adoption::Entity::find().filter(convention_adoption::Column::ConventionId.eq(id)).one(db).await?;
    Ok(any.is_some())
}

/// Whether an edit of `c` must be refused: a vote on its fixed text has been announced or is open.
pub(super) async fn under_vote(db: &impl ConnectionTrait, c: &convention::Model) -> AppResult<bool> {
    if c.status != ConventionStatus::Adopting {
        return Ok(false);
    }
    let votes: Vec<i64> = convention_adoption::Entity::find()
        .filter(convention_adoption::Column::ConventionId.eq(c.id))
        .filter(convention_adoption::Column::Status.eq(AdoptionStatus::Pending))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| a.vote_id)
        .collect();
    let announced = vote::Entity::find()
        .filter(vote::Column::Id.is_in(votes))
        .filter(vote::Column::Status.ne(VoteStatus::Draft))
        .one(db)
        .await?;
    Ok(announced.is_some())
}

/// The register of conventions in force and repealed where `compounds` are (and the community's
/// own), each with how every version was adopted.
async fn register(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    compound_ids: Option<Vec<i64>>,
) -> AppResult<Vec<RegisterEntry>> {
    let mut find = convention::Entity::find()
        .filter(convention::Column::CommunityId.eq(community_id))
        .filter(convention::Column::InForceVersion.is_not_null());
    if let Some(ids) = &compound_ids {
        find = find.filter(
            Condition::any()
                .add(convention::Column::CompoundId.is_in(ids.clone()))
                .add(convention::Column::CompoundId.is_null()),
        );
    }
    let rows = find.order_by_desc(convention::Column::InForceFrom).all(db).await?;
    let adoptions = convention_adoption::Entity::find()
        .filter(convention_adoption::Column::ConventionId.is_in(rows.iter().map(|c| c.id)))
        .filter(convention_adoption::Column::Status.ne(AdoptionStatus::Pending))
        .order_by_desc(convention_adoption::Column::Id)
        .all(db)
        .await?;
    let owners: Vec<i64> = adoptions.iter().map(|a| a.convention_id).collect();
    let mut by_convention: HashMap<i64, Vec<AdoptionView>> = HashMap::new();
    for (owner, a) in owners.into_iter().zip(views_of(db, adoptions).await?) {
        by_convention.entry(owner).or_default().push(a);
    }
    let summaries = summaries(db, actor, rows.clone()).await?;
    let mut out = Vec::new();
    for c in rows {
        let Some(summary) = summaries.iter().find(|s| s.id == c.id).cloned() else { continue };
        let history = by_convention.remove(&c.id).unwrap_or_default();
        // A community-wide convention voted on per compound is in force only where it passed.
        let here = |a: &AdoptionView| match (&compound_ids, a.compound_id) {
            (Some(ids), Some(id)) => ids.contains(&id),
            _ => true,
        };
        let history: Vec<AdoptionView> = history.into_iter().filter(here).collect();
        let in_force = in_force(&c, &history);
        if in_force.is_none() && c.repealed_at.is_none() {
            continue;
        }
        out.push(RegisterEntry {
            convention: summary,
            in_force,
            repealed_at: c.repealed_at,
            review_on: c.review_on,
            history,
        });
    }
    Ok(out)
}

/// The register of compound `id`: its conventions and the community's, in force or repealed.
pub async fn register_compound(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vec<RegisterEntry>> {
    let c = crate::tenancy::compound_for(db, actor, id, Permission::ViewConventions).await?;
    register(db, actor, c.community_id, Some(vec![c.id])).await
}

/// The register of community `id`: every compound's conventions the caller may see, and the
/// community's own.
pub async fn register_community(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Vec<RegisterEntry>> {
    settle_due(db).await?;
    let reach: Vec<i64> = compound::Entity::find()
        .filter(compound::Column::CommunityId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .filter(|c| actor.authorize_compound(Permission::ViewConventions, c).is_ok())
        .map(|c| c.id)
        .collect();
    // An owner reads it through their compound; the community office through the community.
    if reach.is_empty() {
        actor.authorize_community(Permission::ViewConventions, id)?;
    }
    register(db, actor, id, Some(reach)).await
}

/// Remind the drafters of the conventions whose review day has come, once.
pub async fn remind_reviews(db: &DatabaseConnection) -> AppResult<usize> {
    let today = crate::china_time::today();
    let due = convention::Entity::find()
        .filter(convention::Column::ReviewOn.lte(today))
        .filter(convention::Column::ReviewRemindedAt.is_null())
        .filter(convention::Column::Status.ne(ConventionStatus::Repealed))
        .all(db)
        .await?;
    let n = due.len();
    for c in due {
        let txn = write_txn(db).await?;
        let claimed = convention::Entity::update_many()
            .col_expr(convention::Column::ReviewRemindedAt, Expr::value(Utc::now()))
            .filter(convention::Column::Id.eq(c.id))
            .filter(convention::Column::ReviewRemindedAt.is_null())
            .exec(&txn)
            .await?;
        if claimed.rows_affected == 1 {
            let drafters: Vec<i64> = membership::Entity::find()
                .filter(membership::Column::PartyId.eq(c.party_id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|m| m.user_id)
                .collect();
            let params = json!({ "title": c.title, "review_on": c.review_on.map(|d| d.to_string()) });
            let n = NewNotice {
                community_id: c.community_id,
                compound_id: c.compound_id,
                kind: "convention_review_due",
                text: NoticeText::Params(params),
                link: Some(format!("/conventions/{}", c.id)),
                created_by: None,
            };
            notices::publish(&txn, n, &drafters).await?;
        }
        txn.commit().await?;
    }
    Ok(n)
}
