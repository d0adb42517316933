//! What conveners, owners and the three parties do with a vote: draft, change, publish, extend
//! and cancel it, open its page, watch turnout, read its record, object to its result.
use std::collections::HashSet;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use serde_json::json;

use super::{
    access::{allowed, vote_for},
    lifecycle::{self, Rosters, advance, owners_of, quorum_needed, units_in_scope},
    model::{VoteForm, VoteStatus},
    reading::{my_holdings, my_holdings_in, my_homes, summary, view},
    rules::{Step, check_extension, check_notice, in_publicity},
    tally::{Matter, quorum_met},
    views::*,
};
use crate::{
    accounts::person_names,
    audit::{self, Event},
    auth::Actor,
    db::{Transition, write_txn},
    entities::{
        audit_event, building, compound, convention, convention_version, file, membership, vote, vote_attachment,
        vote_candidate, vote_delivery, vote_objection,
    },
    error::{AppError, AppResult, is_unique_violation},
    i18n::Lang,
    notices::{self, NewNotice},
    policy::{Permission, Role},
    tenancy::compound_for,
    text::{optional_text, required_text},
};

/// The compound's votes, newest first, each with the caller's homes in it. Drafts are listed
/// only for those who may manage votes.
pub async fn list(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    compound_id: i64,
) -> AppResult<Vec<VoteSummary>> {
    let c = compound_for(db, actor, compound_id, Permission::ViewVotes).await?;
    let mut find =
        vote::Entity::find().filter(vote::Column::CompoundId.eq(compound_id)).order_by_desc(vote::Column::Id);
    if !allowed(actor, &c, Permission::ManageVotes) {
        find = find.filter(vote::Column::Status.ne(VoteStatus::Draft));
    }
    let mut votes = Vec::new();
    for v in find.all(db).await? {
        votes.push(advance(db, v).await?);
    }
    let mut mine = my_holdings_in(db, rosters, actor, compound_id, &votes, true).await?;
    Ok(votes.iter().map(|v| summary(v, my_homes(&mine.remove(&v.id).unwrap_or_default()))).collect())
}

/// Draft a vote. Nothing is sent until it is published.
pub async fn create(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    compound_id: i64,
    req: &NewVote,
) -> AppResult<VoteView> {
    let c = compound_for(db, actor, compound_id, Permission::ManageVotes).await?;
    let txn = write_txn(db).await?;
    let v = draft(&txn, actor, &c, req).await?;
    txn.commit().await?;
    view(db, rosters, actor, &v, &c).await
}

/// Draft vote `req` in compound `c`, for whoever may manage its votes, in the caller's
/// transaction: the vote, its candidates and attachments, and the record of it.
pub async fn draft(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    req: &NewVote,
) -> AppResult<vote::Model> {
    draft_bound(db, actor, c, req, None).await
}

/// The text a vote is bound to: a convention's version, by its SHA-256.
pub struct BoundText {
    pub convention_id: i64,
    pub digest: String,
}

/// Draft vote `req` as [`draft`] does, bound (when `bound` is given) to a convention's text: its
/// body is then that text, which cannot be edited here, and it cannot be published once the
/// convention's text has changed.
pub async fn draft_bound(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    req: &NewVote,
    bound: Option<&BoundText>,
) -> AppResult<vote::Model> {
    actor.authorize_compound(Permission::ManageVotes, c)?;
    let checked = check_new_vote(db, c, req).await?;
    let v = vote::Entity::insert(vote::ActiveModel {
        compound_id: Set(c.id),
        title: Set(checked.title),
        body: Set(checked.body),
        matter: Set(req.matter.as_str().into()),
        form: Set(req.form.as_str().into()),
        seats: Set(checked.seats),
        secret: Set(req.secret),
        allow_change: Set(req.allow_change),
        building_ids: Set(checked.building_ids),
        opens_at: Set(req.opens_at),
        closes_at: Set(req.closes_at),
        status: Set(VoteStatus::Draft),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        convention_id: Set(bound.map(|b| b.convention_id)),
        text_digest: Set(bound.map(|b| b.digest.clone())),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    write_candidates(db, v.id, &checked.candidates).await?;
    write_attachments(db, v.id, &checked.attachments).await?;
    let detail = json!({ "title": v.title, "matter": v.matter });
    audit::note(db, Some(actor.user.id), &v, "vote.drafted", detail).await?;
    Ok(v)
}

/// A vote's page. Opening it as an owner is recorded as delivery of the ballot.
pub async fn open_page(db: &DatabaseConnection, rosters: &Rosters, actor: &Actor, id: i64) -> AppResult<VoteView> {
    let (v, c) = vote_for(db, actor, id, Permission::ViewVotes).await?;
    let out = view(db, rosters, actor, &v, &c).await?;
    if v.status != VoteStatus::Draft && !out.my.is_empty() {
        let res = vote_delivery::Entity::insert(vote_delivery::ActiveModel {
            vote_id: Set(v.id),
            user_id: Set(actor.user.id),
            opened_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(db)
        .await;
        // Delivery is recorded the first time only: a second opening finds its row there.
        if let Err(e) = res
            && !is_unique_violation(&e)
        {
            return Err(e.into());
        }
    }
    Ok(out)
}

/// Change a draft.
pub async fn update(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    id: i64,
    req: &NewVote,
) -> AppResult<VoteView> {
    let (v, c) = vote_for(db, actor, id, Permission::ManageVotes).await?;
    v.status.next(Step::Edit)?;
    let checked = check_new_vote(db, &c, req).await?;
    if v.convention_id.is_some() && checked.body != v.body {
        return Err(AppError::field("body", crate::msg!("vote_convention_text")));
    }
    let txn = write_txn(db).await?;
    let mut am: vote::ActiveModel = v.into();
    am.title = Set(checked.title);
    am.body = Set(checked.body);
    am.matter = Set(req.matter.as_str().into());
    am.form = Set(req.form.as_str().into());
    am.seats = Set(checked.seats);
    am.secret = Set(req.secret);
    am.allow_change = Set(req.allow_change);
    am.building_ids = Set(checked.building_ids);
    am.opens_at = Set(req.opens_at);
    am.closes_at = Set(req.closes_at);
    let v = am.update(&txn).await?;
    write_candidates(&txn, v.id, &checked.candidates).await?;
    write_attachments(&txn, v.id, &checked.attachments).await?;
    audit::note(&txn, Some(actor.user.id), &v, "vote.draft_changed", json!({ "title": v.title })).await?;
    txn.commit().await?;
    view(db, rosters, actor, &v, &c).await
}

/// The move of `v` by `step` to the status the rules give, guarded against a concurrent move.
fn transition(v: &vote::Model, step: Step) -> AppResult<Transition<vote::Entity>> {
    let to = v.status.next(step)?;
    Ok(Transition::of(vote::Column::Id, v.id, vote::Column::Status, [v.status], to))
}

/// Publish a draft: the notice goes to every eligible owner's inbox and to the community office.
/// The vote may not open sooner than the compound's notice period after this.
pub async fn publish(db: &DatabaseConnection, rosters: &Rosters, actor: &Actor, id: i64) -> AppResult<VoteView> {
    let (v, c) = vote_for(db, actor, id, Permission::ManageVotes).await?;
    let step = transition(&v, Step::Publish)?;
    let now = Utc::now();
    check_notice(now, c.notice_days, v.opens_at, v.closes_at)?;
    check_bound_text(db, &v).await?;
    let txn = write_txn(db).await?;
    step.set(vote::Column::PublishedAt, now)
        .apply(&txn, || AppError::conflict("not_a_draft", crate::msg!("vote_already_published")))
        .await?;
    let recipients = give_notice(&txn, &c, &v, actor).await?;
    let detail = json!({ "recipients": recipients, "opens_at": v.opens_at, "closes_at": v.closes_at });
    audit::note(&txn, Some(actor.user.id), &v, "vote.published", detail).await?;
    txn.commit().await?;
    let v = vote::Entity::find_by_id(v.id).one(db).await?.ok_or(AppError::NotFound)?;
    let v = advance(db, v).await?;
    view(db, rosters, actor, &v, &c).await
}

/// A vote on a convention's text may be published only while that text is the convention's
/// current one, to the character: the digest it carries must be the current version's.
async fn check_bound_text(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<()> {
    let (Some(convention_id), Some(digest)) = (v.convention_id, v.text_digest.as_deref()) else { return Ok(()) };
    let current = match convention::Entity::find_by_id(convention_id).one(db).await? {
        Some(c) => {
            convention_version::Entity::find()
                .filter(convention_version::Column::ConventionId.eq(c.id))
                .filter(convention_version::Column::Version.eq(c.version))
                .one(db)
                .await?
        }
        None => None,
    };
    match current {
        Some(cv) if cv.digest == digest => Ok(()),
        _ => Err(AppError::conflict("vote_text_changed", crate::msg!("vote_text_changed"))),
    }
}

/// Send the notice of `v` to its owners and the community office; returns how many it went to.
async fn give_notice(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    v: &vote::Model,
    actor: &Actor,
) -> AppResult<usize> {
    let units = units_in_scope(db, v).await?;
    let mut recipients = owners_of(db, &units).await?;
    let office: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::CommunityId.eq(c.community_id))
        .filter(membership::Column::CompoundId.is_null())
        .filter(membership::Column::Role.is_in([Role::Secretary.as_str(), Role::CommunityStaff.as_str()]))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    recipients.extend(office);
    notices::publish(db, vote_notice(c, v).by(actor.user.id), &recipients).await?;
    Ok(recipients.len())
}

/// The notice that tells the owners a vote is coming: when it opens and closes.
pub fn vote_notice<'a>(c: &compound::Model, v: &vote::Model) -> NewNotice<'a> {
    let params = json!({ "title": v.title, "opens_at": v.opens_at, "closes_at": v.closes_at });
    NewNotice::in_compound(c, "vote_notice", params, format!("/votes/{}", v.id))
}

/// Put a notice about `v` in the inbox of every owner it concerns: a notice of `kind` with the
/// parameters of its messages.
async fn tell_owners(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    v: &vote::Model,
    kind: &str,
    params: serde_json::Value,
) -> AppResult<()> {
    let units = units_in_scope(db, v).await?;
    let recipients = owners_of(db, &units).await?;
    notices::publish(db, NewNotice::in_compound(c, kind, params, format!("/votes/{}", v.id)), &recipients).await?;
    Ok(())
}

/// Extend an open vote whose turnout is short, publicly and on the record.
pub async fn extend(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    id: i64,
    req: &ExtendRequest,
) -> AppResult<VoteView> {
    let (v, c) = vote_for(db, actor, id, Permission::ManageVotes).await?;
    let reason = required_text("reason", &req.reason, 500)?;
    let step = transition(&v, Step::Extend)?;
    check_extension(v.closes_at, req.closes_at)?;
    // The convener may extend only while turnout stays under the quorum.
    let (total, part, _) = lifecycle::turnout(db, &v).await?;
    if quorum_met(part, total) {
        return Err(AppError::conflict("quorum_met", crate::msg!("vote_quorum_met")));
    }
    let txn = write_txn(db).await?;
    step.set(vote::Column::ClosesAt, req.closes_at)
        .apply(&txn, || AppError::conflict("vote_not_open", crate::msg!("vote_extend_not_open")))
        .await?;
    let detail = json!({ "from": v.closes_at, "to": req.closes_at, "reason": reason });
    audit::note(&txn, Some(actor.user.id), &v, "vote.extended", detail).await?;
    let params = json!({ "title": v.title, "closes_at": req.closes_at, "reason": reason });
    tell_owners(&txn, &c, &v, "vote_extended", params).await?;
    txn.commit().await?;
    let v = vote::Entity::find_by_id(v.id).one(db).await?.ok_or(AppError::NotFound)?;
    view(db, rosters, actor, &v, &c).await
}

/// Cancel a vote that has not closed, with the reason, on the record.
pub async fn cancel(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    id: i64,
    req: &CancelRequest,
) -> AppResult<VoteView> {
    let (v, c) = vote_for(db, actor, id, Permission::ManageVotes).await?;
    let reason = required_text("reason", &req.reason, 500)?;
    let step = transition(&v, Step::Cancel)?;
    let txn = write_txn(db).await?;
    step.set(vote::Column::CancelledAt, Utc::now())
        .set(vote::Column::CancelReason, reason.clone())
        .apply(&txn, || AppError::conflict("vote_finished", crate::msg!("vote_changed_meanwhile")))
        .await?;
    let detail = json!({ "reason": reason, "was": v.status.as_str() });
    audit::note(&txn, Some(actor.user.id), &v, "vote.cancelled", detail).await?;
    if v.status != VoteStatus::Draft {
        tell_owners(&txn, &c, &v, "vote_cancelled", json!({ "title": v.title, "reason": reason })).await?;
    }
    txn.commit().await?;
    let v = vote::Entity::find_by_id(v.id).one(db).await?.ok_or(AppError::NotFound)?;
    view(db, rosters, actor, &v, &c).await
}

/// Live turnout against the quorum (area and heads). Choices stay hidden until close.
pub async fn turnout(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Turnout> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewTurnout).await?;
    let (total, part, pending) = lifecycle::turnout(db, &v).await?;
    let delivered =
        vote_delivery::Entity::find().filter(vote_delivery::Column::VoteId.eq(v.id)).count(db).await? as i64;
    Ok(Turnout {
        total: total.into(),
        participating: part.into(),
        quorum_needed: quorum_needed(total).into(),
        quorum_met: quorum_met(part, total),
        pending_paper: pending,
        delivered,
    })
}

/// The vote's public record: drafted, published, opened, extended, cancelled, closed; each step
/// told in `lang`.
pub async fn log(db: &DatabaseConnection, actor: &Actor, id: i64, lang: Lang) -> AppResult<Vec<VoteLogEntry>> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewVotes).await?;
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("vote:{}", v.id)))
        .filter(audit_event::Column::Action.starts_with("vote."))
        .order_by_asc(audit_event::Column::Seq)
        .all(db)
        .await?;
    Ok(events
        .into_iter()
        .map(|e| {
            let detail = serde_json::from_str(&e.detail).unwrap_or_default();
            VoteLogEntry { seq: e.seq, at: e.at, text: record_line(lang, &e.action, &detail), action: e.action, detail }
        })
        .collect())
}

/// Object to a published result during its publicity period (an owner of the vote's roster).
pub async fn object(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    id: i64,
    req: &NewObjection,
) -> AppResult<ObjectionView> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewVotes).await?;
    let text = required_text("text", &req.text, 2000)?;
    if !in_publicity(v.status, v.publicity_until, Utc::now()) {
        return Err(AppError::conflict("not_in_publicity", crate::msg!("objection_not_in_publicity")));
    }
    if !my_holdings(db, rosters, actor, &v, false).await?.iter().any(|h| h.proxy_id.is_none()) {
        return Err(AppError::conflict("not_eligible", crate::msg!("objection_not_on_roster")));
    }
    let txn = write_txn(db).await?;
    let o = vote_objection::Entity::insert(vote_objection::ActiveModel {
        vote_id: Set(v.id),
        user_id: Set(actor.user.id),
        text: Set(text),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    audit::note(&txn, Some(actor.user.id), &v, "vote.objection", json!({ "objection": o.id })).await?;
    txn.commit().await?;
    Ok(ObjectionView {
        id: o.id,
        by: actor.user.display_name.clone(),
        by_person: person_names(db, [actor.user.id]).await?.remove(&actor.user.id).unwrap_or_default(),
        text: o.text,
        created_at: o.created_at,
    })
}

/// Objections to a result (the three parties).
pub async fn objections(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Vec<ObjectionView>> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewTurnout).await?;
    let os = vote_objection::Entity::find()
        .filter(vote_objection::Column::VoteId.eq(v.id))
        .order_by_asc(vote_objection::Column::Id)
        .all(db)
        .await?;
    let names = person_names(db, os.iter().map(|o| o.user_id).collect::<Vec<_>>()).await?;
    Ok(os
        .into_iter()
        .map(|o| ObjectionView {
            id: o.id,
            by: names.get(&o.user_id).map(|p| p.name.clone()).unwrap_or_default(),
            by_person: names.get(&o.user_id).cloned().unwrap_or_default(),
            text: o.text,
            created_at: o.created_at,
        })
        .collect())
}

/// Set a compound's notice period and publicity period (administrators).
pub async fn set_compound_rules(db: &DatabaseConnection, actor: &Actor, id: i64, req: &CompoundRules) -> AppResult<()> {
    actor.authorize_global(Permission::ManageTenancy)?;
    if !(0..=90).contains(&req.notice_days) {
        return Err(AppError::field("notice_days", crate::msg!("vote_days_range")));
    }
    if !(0..=90).contains(&req.publicity_days) {
        return Err(AppError::field("publicity_days", crate::msg!("vote_days_range")));
    }
    let txn = write_txn(db).await?;
    let c = compound::Entity::find_by_id(id).one(&txn).await?.ok_or(AppError::NotFound)?;
    let mut am: compound::ActiveModel = c.clone().into();
    am.notice_days = Set(req.notice_days);
    am.publicity_days = Set(req.publicity_days);
    am.update(&txn).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "tenancy.rules_changed",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("compound:{}", c.id),
            detail: json!({ "notice_days": req.notice_days, "publicity_days": req.publicity_days }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A new or changed vote, checked.
struct Checked {
    title: String,
    body: String,
    seats: Option<i32>,
    candidates: Vec<String>,
    building_ids: Option<String>,
    attachments: Vec<i64>,
}

/// Check a vote's text, form, scope and attachments against its compound.
async fn check_new_vote(db: &impl ConnectionTrait, c: &compound::Model, req: &NewVote) -> AppResult<Checked> {
    let title = required_text("title", &req.title, 200)?;
    let body = optional_text("body", Some(&req.body), 20_000)?.unwrap_or_default();
    if req.closes_at <= req.opens_at {
        return Err(AppError::field("closes_at", crate::msg!("vote_closes_before_opens")));
    }
    let (seats, candidates) = match req.form {
        VoteForm::Motion => (None, Vec::new()),
        VoteForm::Election => {
            if req.matter != Matter::Committee {
                return Err(AppError::field("matter", crate::msg!("vote_election_matter")));
            }
            let names: Vec<String> = req
                .candidates
                .iter()
                .enumerate()
                .map(|(i, n)| required_text(&format!("candidates[{i}]"), n, 50))
                .collect::<Result<_, _>>()?;
            if names.is_empty() || names.len() > 50 {
                return Err(AppError::field("candidates", crate::msg!("vote_candidates_count")));
            }
            let seats = req.seats.unwrap_or(0);
            if seats < 1 || seats as usize > names.len() {
                return Err(AppError::field("seats", crate::msg!("vote_seats_range")));
            }
            (Some(seats), names)
        }
    };
    let building_ids = match req.building_ids.as_deref() {
        None | Some([]) => None,
        Some(ids) => {
            let found = building::Entity::find()
                .filter(building::Column::CompoundId.eq(c.id))
                .filter(building::Column::Id.is_in(ids.iter().copied()))
                .all(db)
                .await?;
            if found.len() != ids.iter().collect::<HashSet<_>>().len() {
                return Err(AppError::field("building_ids", crate::msg!("vote_building_not_in_compound")));
            }
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            Some(serde_json::to_string(&ids).map_err(anyhow::Error::from)?)
        }
    };
    let mut attachments = req.attachment_ids.clone();
    attachments.sort_unstable();
    attachments.dedup();
    if attachments.len() > 20 {
        return Err(AppError::field("attachment_ids", crate::msg!("vote_too_many_attachments")));
    }
    let found = file::Entity::find()
        .filter(file::Column::CompoundId.eq(c.id))
        .filter(file::Column::Id.is_in(attachments.clone()))
        .all(db)
        .await?;
    if found.len() != attachments.len() {
        return Err(AppError::field("attachment_ids", crate::msg!("vote_attachment_not_in_compound")));
    }
    Ok(Checked { title, body, seats, candidates, building_ids, attachments })
}

/// Replace the files attached to a vote.
async fn write_attachments(db: &impl ConnectionTrait, vote_id: i64, files: &[i64]) -> AppResult<()> {
    vote_attachment::Entity::delete_many().filter(vote_attachment::Column::VoteId.eq(vote_id)).exec(db).await?;
    if !files.is_empty() {
        vote_attachment::Entity::insert_many(files.iter().map(|&f| vote_attachment::ActiveModel {
            vote_id: Set(vote_id),
            file_id: Set(f),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Replace the candidates of a vote, in ballot order.
async fn write_candidates(db: &impl ConnectionTrait, vote_id: i64, names: &[String]) -> AppResult<()> {
    vote_candidate::Entity::delete_many().filter(vote_candidate::Column::VoteId.eq(vote_id)).exec(db).await?;
    if !names.is_empty() {
        vote_candidate::Entity::insert_many(names.iter().enumerate().map(|(i, n)| vote_candidate::ActiveModel {
            vote_id: Set(vote_id),
            position: Set(i as i32),
            name: Set(n.clone()),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}
