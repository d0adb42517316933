//! Ballots as callers hand them in: an owner's or a proxy's on their phone, a paper slip entered
//! by a clerk and confirmed by a second; and the public list of counted ballots.
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    access::{allowed, check_scan, vote_for},
    cast::{self, BallotWriter, Marks, Op},
    lifecycle::{Rosters, advance},
    model::{BallotStatus, Channel, VoteForm, VoteStatus},
    reading::{labels_by_holder, my_holdings, paper_view, picks_of},
    rules::{choose_holding, may_see},
    tally::Choice,
    views::*,
};
use crate::{
    auth::{Actor, Caller},
    entities::{ballot, compound, vote},
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    roster::area,
    text::required_text,
};

/// What a ballot of a vote of this form says, from the request's choice or candidates.
fn marks(form: VoteForm, choice: Option<Choice>, candidates: Option<Vec<i32>>) -> AppResult<Marks> {
    match form {
        VoteForm::Motion => {
            choice.map(Marks::Choice).ok_or_else(|| AppError::field("choice", msg!("ballot_choose_choice")))
        }
        VoteForm::Election => {
            let picks = candidates.ok_or_else(|| AppError::field("candidates", msg!("ballot_list_candidates")))?;
            if picks.iter().any(|p| *p < 0) {
                return Err(AppError::field("candidates", msg!("ballot_no_such_candidate")));
            }
            Ok(Marks::Picks(picks.into_iter().map(|p| p as usize).collect()))
        }
    }
}

/// Whether an idempotency key, if given, is 1 to 100 characters.
fn key_ok(key: Option<&String>) -> bool {
    key.is_none_or(|k| !k.is_empty() && k.len() <= 100)
}

/// Cast the caller's ballot (or, holding a written proxy, the holder's). One ballot per holder,
/// whatever the channel; the answer comes only after the ballot is committed, with its receipt.
pub async fn cast(
    db: &DatabaseConnection,
    rosters: &Rosters,
    writer: &BallotWriter,
    caller: &Caller,
    id: i64,
    req: CastRequest,
) -> AppResult<BallotReceipt> {
    // The hot path: an open vote's fixed parts are kept in memory, and the ballot writer finds
    // the caller's account and holdings with the rest of its batch and checks, against the
    // database, that the vote is still open — this request makes no query of its own. A caller
    // with nothing to vote for, or a request with something wrong in it, takes the path below,
    // which tells each exactly what is wrong.
    if let Some(v) = rosters.open_vote(db, id).await?
        && key_ok(req.idempotency_key.as_ref())
        && let Ok(marks) = marks(VoteForm::parse(&v.form), req.choice, req.candidates.clone())
    {
        let op = Op::Own {
            vote_id: v.id,
            user_id: caller.user_id,
            session: caller.session.clone(),
            holder_id: req.holder_id,
            marks,
            idempotency_key: req.idempotency_key.clone(),
        };
        match writer.submit(op).await {
            Err(AppError::Conflict { code: cast::NO_HOLDING, .. }) => {}
            r => return receipt(db, rosters, &v, r?).await,
        }
    }
    cast_explained(db, rosters, writer, caller, id, req).await
}

/// Cast a ballot the hot path could not: find the caller's holding here, telling them exactly
/// why when there is none or the request is wrong.
async fn cast_explained(
    db: &DatabaseConnection,
    rosters: &Rosters,
    writer: &BallotWriter,
    caller: &Caller,
    id: i64,
    req: CastRequest,
) -> AppResult<BallotReceipt> {
    let actor = Actor::load(db, caller).await?;
    let v = match rosters.opened(id) {
        Some(v) => v,
        None => {
            let v = vote::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
            let v = advance(db, v).await?;
            rosters.seen(&v);
            v
        }
    };
    // The compound is read only when the caller may not simply vote: the hot path skips it.
    let compound = || async { compound::Entity::find_by_id(v.compound_id).one(db).await?.ok_or(AppError::NotFound) };
    // A draft is not there for those who may not manage it, whatever holdings they have (only a
    // draft needs the compound read to tell).
    if v.status == VoteStatus::Draft && !may_see(v.status, allowed(&actor, &compound().await?, Permission::ManageVotes))
    {
        return Err(AppError::NotFound);
    }
    let mine = my_holdings(db, rosters, &actor, &v, false).await?;
    if mine.is_empty() {
        // Someone with a role here but nothing to vote for is refused; anyone else learns nothing.
        actor.authorize_compound(Permission::ViewVotes, &compound().await?)?;
        if v.status == VoteStatus::Draft {
            return Err(AppError::NotFound);
        }
        return Err(AppError::conflict("not_eligible", msg!("ballot_no_unit_on_roster")));
    }
    let pairs: Vec<(i64, Option<i64>)> = mine.iter().map(|m| (m.holder_id, m.proxy_id)).collect();
    let (holder_id, proxy_id) = choose_holding(&pairs, req.holder_id)?;
    if !key_ok(req.idempotency_key.as_ref()) {
        return Err(AppError::field("idempotency_key", msg!("ballot_key_length")));
    }
    let op = Op::Cast {
        vote_id: v.id,
        holder_id,
        user_id: actor.user.id,
        proxy_id,
        marks: marks(VoteForm::parse(&v.form), req.choice, req.candidates)?,
        idempotency_key: req.idempotency_key,
    };
    let b = writer.submit(op).await?;
    receipt(db, rosters, &v, b).await
}

/// The answer to a stored ballot: its receipt, and what it counted for on the frozen roster.
async fn receipt(
    db: &DatabaseConnection,
    rosters: &Rosters,
    v: &vote::Model,
    b: ballot::Model,
) -> AppResult<BallotReceipt> {
    let roster = rosters.get(db, v).await?;
    let (holder_key, units, area) = match roster.get(&b.holder_id) {
        Some(h) => (h.key.clone(), h.units.iter().map(|u| u.0.clone()).collect(), h.units.iter().map(|u| u.1).sum()),
        None => (String::new(), Vec::new(), 0),
    };
    Ok(BallotReceipt {
        receipt: b.receipt,
        vote_id: v.id,
        holder_key,
        units,
        area: area::format(area),
        channel: Channel::parse(&b.channel),
        status: b.status.as_str().into(),
        cast_at: b.cast_at,
    })
}

/// The public ballot list: room numbers, area, channel and receipt of every counted ballot —
/// never names; the choice only for named votes, after close.
pub async fn public_ballots(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Vec<PublicBallot>> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewVotes).await?;
    let show_choice = !v.secret && v.status == VoteStatus::Closed;
    let labels = labels_by_holder(db, v.id).await?;
    let ballots = counted_ballots(db, v.id).await?;
    Ok(ballots
        .iter()
        .map(|b| {
            let (units, area_centi, _) = labels.get(&b.holder_id).cloned().unwrap_or_default();
            PublicBallot {
                receipt: b.receipt.clone(),
                units,
                area: area::format(area_centi),
                channel: Channel::parse(&b.channel),
                status: b.status.as_str().into(),
                choice: if show_choice { b.choice.as_deref().and_then(Choice::parse) } else { None },
                candidates: if show_choice { picks_of(b) } else { None },
            }
        })
        .collect())
}

/// Enter a signed paper ballot. It counts only after a second clerk confirms it.
pub async fn enter_paper(
    db: &DatabaseConnection,
    writer: &BallotWriter,
    actor: &Actor,
    id: i64,
    req: PaperBallotRequest,
) -> AppResult<PaperBallotView> {
    let (v, _) = vote_for(db, actor, id, Permission::CountPaper).await?;
    let serial = required_text("serial", &req.serial, 40)?;
    check_scan(db, v.compound_id, req.scan_file_id).await?;
    let op = Op::Paper {
        scan_file_id: req.scan_file_id,
        vote_id: v.id,
        holder_id: req.holder_id,
        entered_by: actor.user.id,
        serial,
        marks: marks(VoteForm::parse(&v.form), req.choice, req.candidates)?,
    };
    let b = writer.submit(op).await?;
    paper_view(db, &v, std::slice::from_ref(&b)).await?.pop().ok_or(AppError::NotFound)
}

/// Paper ballots of a vote, those awaiting confirmation first.
pub async fn paper_ballots(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Vec<PaperBallotView>> {
    let (v, _) = vote_for(db, actor, id, Permission::CountPaper).await?;
    let mut bs = ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(v.id))
        .filter(ballot::Column::Channel.eq(Channel::Paper.as_str()))
        .order_by_asc(ballot::Column::Id)
        .all(db)
        .await?;
    bs.sort_by_key(|b| b.status == BallotStatus::Counted);
    paper_view(db, &v, &bs).await
}

/// Confirm a paper ballot as the second clerk (not the one who entered it).
pub async fn confirm_paper(
    db: &DatabaseConnection,
    writer: &BallotWriter,
    actor: &Actor,
    id: i64,
    ballot_id: i64,
) -> AppResult<PaperBallotView> {
    let (v, _) = vote_for(db, actor, id, Permission::CountPaper).await?;
    let b = writer.submit(Op::Confirm { vote_id: v.id, ballot_id, confirmed_by: actor.user.id }).await?;
    paper_view(db, &v, std::slice::from_ref(&b)).await?.pop().ok_or(AppError::NotFound)
}

/// The counted ballots of vote `vote_id`, in the order they were cast.
pub async fn counted_ballots(db: &impl sea_orm::ConnectionTrait, vote_id: i64) -> AppResult<Vec<ballot::Model>> {
    Ok(ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(vote_id))
        .filter(ballot::Column::Status.eq(BallotStatus::Counted))
        .order_by_asc(ballot::Column::Id)
        .all(db)
        .await?)
}
