//! `/compounds/{id}/votes`, `/votes/{id}/…`, `/compounds/{id}/proxies`, `/proxies/{id}/revoke`.
use std::collections::HashMap;

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, prelude::Expr,
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::votes::{
    cast::{self, Marks, Op},
    lifecycle::{self, Rosters, VoteResult, advance, building_ids, owners_of, quorum_needed, units_in_scope},
    model::{BALLOT_COUNTED, Channel, VoteForm, VoteStatus},
    secrecy,
    tally::{Choice, Matter, quorum_met},
    views::*,
};
use crate::{
    accounts::{person_names, user_names},
    audit::{self, Event},
    auth::{Actor, Caller, find_by_login},
    db::write_txn,
    entities::{
        audit_event, ballot, building, compound, file, holder, membership, owner_link, proxy, vote, vote_attachment,
        vote_candidate, vote_delivery, vote_electorate, vote_objection,
    },
    error::{AppError, AppResult, ErrorBody, is_unique_violation},
    files::FileView,
    http::AppState,
    http::extract::{Json, Path},
    notices::{self, NewNotice},
    policy::{Permission, Role},
    roster::area,
    tenancy::compound_for,
    text::{optional_text, required_text},
    verification,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_votes, create_vote))
        .routes(routes!(get_vote, update_vote))
        .routes(routes!(publish))
        .routes(routes!(extend))
        .routes(routes!(cancel))
        .routes(routes!(cast))
        .routes(routes!(turnout))
        .routes(routes!(public_ballots))
        .routes(routes!(enter_paper, list_paper))
        .routes(routes!(confirm_paper))
        .routes(routes!(export_roster))
        .routes(routes!(export_ballots))
        .routes(routes!(vote_log))
        .routes(routes!(create_proxy, list_proxies))
        .routes(routes!(revoke_proxy))
        .routes(routes!(confirm_proxy))
        .routes(routes!(set_rules))
        .routes(routes!(object, list_objections))
}

fn allowed(actor: &Actor, c: &compound::Model, p: Permission) -> bool {
    actor.authorize_compound(p, c).is_ok()
}

/// Load a vote with its compound, brought up to date with the clock, and check `p`. Drafts are
/// seen only by those who may manage votes.
async fn vote_for(
    state: &AppState,
    actor: &Actor,
    id: i64,
    p: Permission,
) -> AppResult<(vote::Model, compound::Model)> {
    let v = vote::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(v.compound_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    // A written proxy may vote for a holder here without a role of their own (a relative, say),
    // so they may also read what they vote on.
    let proxy_reader = p == Permission::ViewVotes
        && actor.roles_in_compound(&c).is_empty()
        && !actor.is_admin()
        && holds_valid_proxy(&state.db, actor, c.id).await?;
    if !proxy_reader {
        actor.authorize_compound(Permission::ViewVotes, &c)?;
    }
    if VoteStatus::parse(&v.status) == VoteStatus::Draft && !allowed(actor, &c, Permission::ManageVotes) {
        return Err(AppError::NotFound);
    }
    if !proxy_reader {
        actor.authorize_compound(p, &c)?;
    }
    let v = advance(&state.db, v).await?;
    Ok((v, c))
}

/// Whether `actor` holds a written proxy for a holder of the compound that is valid now.
async fn holds_valid_proxy(db: &impl ConnectionTrait, actor: &Actor, compound_id: i64) -> AppResult<bool> {
    let now = Utc::now();
    Ok(proxy::Entity::find()
        .filter(proxy::Column::ProxyUserId.eq(actor.user.id))
        .filter(proxy::Column::CompoundId.eq(compound_id))
        .filter(proxy::Column::RevokedAt.is_null())
        // Unset until a second person confirmed it.
        .filter(proxy::Column::CountsFrom.lte(now))
        .filter(proxy::Column::ValidUntil.gte(now))
        .one(db)
        .await?
        .is_some())
}

struct Checked {
    title: String,
    body: String,
    seats: Option<i32>,
    candidates: Vec<String>,
    building_ids: Option<String>,
    attachments: Vec<i64>,
}

async fn check_new_vote(db: &impl ConnectionTrait, c: &compound::Model, req: &NewVote) -> AppResult<Checked> {
    let title = required_text("title", &req.title, 200)?;
    let body = optional_text("body", Some(&req.body), 20_000)?.unwrap_or_default();
    if req.closes_at <= req.opens_at {
        return Err(AppError::field("closes_at", "must be after opens_at"));
    }
    let (seats, candidates) = match req.form {
        VoteForm::Motion => (None, Vec::new()),
        VoteForm::Election => {
            if req.matter != Matter::Committee {
                return Err(AppError::field("matter", "an election is a 'committee' matter"));
            }
            let names: Vec<String> = req
                .candidates
                .iter()
                .enumerate()
                .map(|(i, n)| required_text(&format!("candidates[{i}]"), n, 50))
                .collect::<Result<_, _>>()?;
            if names.is_empty() || names.len() > 50 {
                return Err(AppError::field("candidates", "list between 1 and 50 candidates"));
            }
            let seats = req.seats.unwrap_or(0);
            if seats < 1 || seats as usize > names.len() {
                return Err(AppError::field("seats", "must be at least 1 and at most the number of candidates"));
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
            if found.len() != ids.iter().collect::<std::collections::HashSet<_>>().len() {
                return Err(AppError::field("building_ids", "a building is not in this compound"));
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
        return Err(AppError::field("attachment_ids", "attach at most 20 files"));
    }
    let found = file::Entity::find()
        .filter(file::Column::CompoundId.eq(c.id))
        .filter(file::Column::Id.is_in(attachments.clone()))
        .all(db)
        .await?;
    if found.len() != attachments.len() {
        return Err(AppError::field("attachment_ids", "a file was not uploaded to this compound"));
    }
    Ok(Checked { title, body, seats, candidates, building_ids, attachments })
}

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

fn summary(v: &vote::Model) -> VoteSummary {
    let matter = Matter::parse(&v.matter).unwrap_or(Matter::Other);
    let result: Option<VoteResult> = v.result.as_deref().and_then(|r| serde_json::from_str(r).ok());
    VoteSummary {
        id: v.id,
        compound_id: v.compound_id,
        title: v.title.clone(),
        matter,
        threshold: matter.threshold(),
        form: VoteForm::parse(&v.form),
        status: VoteStatus::parse(&v.status),
        secret: v.secret,
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        passed: result.and_then(|r| r.passed),
    }
}

/// The holdings `actor` may vote for in `v`: their verified holders in scope, and holders whose
/// written proxy they hold. With the roster frozen, the frozen one decides.
/// (holder, room label, area in 0.01 m²) of one unit.
type UnitLine = (i64, String, i64);

async fn my_holdings(
    db: &impl ConnectionTrait,
    rosters: &Rosters,
    actor: &Actor,
    v: &vote::Model,
    with_ballots: bool,
) -> AppResult<Vec<MyHolding>> {
    let pairs = cast::holdings_of(db, cast::Callers::Users(&[actor.user.id]))
        .await?
        .remove(&actor.user.id.to_string())
        .map(|h| h.in_compound(v.compound_id))
        .unwrap_or_default();
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let frozen = VoteStatus::parse(&v.status) != VoteStatus::Draft && v.frozen_at.is_some();
    let wanted: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    // (holder, unit label, area) of the units in scope, and the holders' keys.
    let (units, keys): (Vec<UnitLine>, HashMap<i64, String>) = if frozen {
        let roster = rosters.get(db, v).await?;
        let mut units = Vec::new();
        let mut keys = HashMap::new();
        for h in &wanted {
            if let Some(r) = roster.get(h) {
                keys.insert(*h, r.key.clone());
                units.extend(r.units.iter().map(|(label, area)| (*h, label.clone(), *area)));
            }
        }
        (units, keys)
    } else {
        let us: Vec<_> = units_in_scope(db, v).await?.into_iter().filter(|u| wanted.contains(&u.holder_id)).collect();
        let names: HashMap<i64, String> = building::Entity::find()
            .filter(building::Column::CompoundId.eq(v.compound_id))
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        let keys = holder::Entity::find()
            .filter(holder::Column::Id.is_in(wanted.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|h| (h.id, h.holder_key))
            .collect();
        let units = us
            .into_iter()
            .map(|u| {
                let label = format!("{} {}", names.get(&u.building_id).cloned().unwrap_or_default(), u.number);
                (u.holder_id, label, u.area_centi)
            })
            .collect();
        (units, keys)
    };
    let ballots: HashMap<i64, ballot::Model> = if with_ballots {
        ballot::Entity::find()
            .filter(ballot::Column::VoteId.eq(v.id))
            .filter(ballot::Column::HolderId.is_in(wanted.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.holder_id, b))
            .collect()
    } else {
        HashMap::new()
    };
    let mut out = Vec::new();
    for (h, proxy_id) in pairs {
        let mine: Vec<&UnitLine> = units.iter().filter(|u| u.0 == h).collect();
        if mine.is_empty() {
            continue;
        }
        out.push(MyHolding {
            holder_id: h,
            holder_key: keys.get(&h).cloned().unwrap_or_default(),
            units: mine.iter().map(|u| u.1.clone()).collect(),
            area: area::format(mine.iter().map(|u| u.2).sum()),
            proxy_id,
            ballot: ballots.get(&h).map(|b| my_ballot(b, actor.user.id, proxy_id.is_none())),
        });
    }
    Ok(out)
}

fn picks_of(b: &ballot::Model) -> Option<Vec<i32>> {
    b.picks.as_deref().and_then(|p| serde_json::from_str(p).ok())
}

/// A ballot as the caller sees it: its choice only if they cast it, or signed it on paper for
/// their own holding — a proxy never learns what the holder chose.
fn my_ballot(b: &ballot::Model, viewer: i64, own_holding: bool) -> MyBallot {
    let own = b.cast_by == Some(viewer) || (own_holding && b.channel == Channel::Paper.as_str());
    MyBallot {
        receipt: b.receipt.clone(),
        channel: Channel::parse(&b.channel),
        status: b.status.clone(),
        cast_at: b.cast_at,
        choice: if own { b.choice.as_deref().and_then(Choice::parse) } else { None },
        candidates: if own { picks_of(b) } else { None },
    }
}

async fn view(state: &AppState, actor: &Actor, v: &vote::Model, c: &compound::Model) -> AppResult<VoteView> {
    let matter = Matter::parse(&v.matter).unwrap_or(Matter::Other);
    let cands = vote_candidate::Entity::find()
        .filter(vote_candidate::Column::VoteId.eq(v.id))
        .order_by_asc(vote_candidate::Column::Position)
        .all(&state.db)
        .await?;
    let ids = building_ids(v);
    let buildings = match &ids {
        Some(ids) => building::Entity::find()
            .filter(building::Column::Id.is_in(ids.iter().copied()))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|b| b.name)
            .collect(),
        None => Vec::new(),
    };
    let attached =
        vote_attachment::Entity::find().filter(vote_attachment::Column::VoteId.eq(v.id)).all(&state.db).await?;
    // Names and sizes only: the files' bytes stay in the database.
    let attachments: Vec<FileView> = file::Entity::find()
        .select_only()
        .columns([
            file::Column::Id,
            file::Column::Name,
            file::Column::ContentType,
            file::Column::Size,
            file::Column::Sha256,
        ])
        .filter(file::Column::Id.is_in(attached.iter().map(|a| a.file_id)))
        .into_model::<FileView>()
        .all(&state.db)
        .await?;
    let objections =
        vote_objection::Entity::find().filter(vote_objection::Column::VoteId.eq(v.id)).count(&state.db).await? as i64;
    let my = my_holdings(&state.db, &state.rosters, actor, v, true).await?;
    let in_publicity =
        VoteStatus::parse(&v.status) == VoteStatus::Closed && v.publicity_until.is_some_and(|t| Utc::now() < t);
    Ok(VoteView {
        attachments,
        objections,
        can_object: in_publicity && my.iter().any(|h| h.proxy_id.is_none()),
        id: v.id,
        compound_id: v.compound_id,
        compound_name: c.name.clone(),
        title: v.title.clone(),
        body: v.body.clone(),
        matter,
        threshold: matter.threshold(),
        form: VoteForm::parse(&v.form),
        seats: v.seats,
        candidates: cands.into_iter().map(|c| CandidateView { position: c.position, name: c.name }).collect(),
        secret: v.secret,
        allow_change: v.allow_change,
        building_ids: ids,
        buildings,
        status: VoteStatus::parse(&v.status),
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        published_at: v.published_at,
        frozen_at: v.frozen_at,
        closed_at: v.closed_at,
        cancelled_at: v.cancelled_at,
        cancel_reason: v.cancel_reason.clone(),
        publicity_until: v.publicity_until,
        notice_days: c.notice_days,
        checkpoint: v.checkpoint_seq.zip(v.checkpoint_hash.clone()).map(|(seq, hash)| Checkpoint { seq, hash }),
        result: v.result.as_deref().and_then(|r| serde_json::from_str(r).ok()),
        can_manage: allowed(actor, c, Permission::ManageVotes),
        can_count: allowed(actor, c, Permission::CountPaper),
        my,
    })
}

async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    v: &vote::Model,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        db,
        Event {
            actor_id: Some(actor.user.id),
            action,
            community_id: None,
            compound_id: Some(v.compound_id),
            subject: format!("vote:{}", v.id),
            detail,
        },
    )
    .await?;
    Ok(())
}

/// The compound's votes, newest first. Drafts are listed only for those who may manage votes.
#[utoipa::path(get, path = "/compounds/{id}/votes", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<VoteSummary>), (status = 404, body = ErrorBody)))]
async fn list_votes(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<VoteSummary>>> {
    let c = compound_for(&state.db, &actor, id, Permission::ViewVotes).await?;
    let mut find = vote::Entity::find().filter(vote::Column::CompoundId.eq(id)).order_by_desc(vote::Column::Id);
    if !allowed(&actor, &c, Permission::ManageVotes) {
        find = find.filter(vote::Column::Status.ne(VoteStatus::Draft.as_str()));
    }
    let mut out = Vec::new();
    for v in find.all(&state.db).await? {
        out.push(summary(&advance(&state.db, v).await?));
    }
    Ok(Json(out))
}

/// Draft a vote. Nothing is sent until it is published.
#[utoipa::path(post, path = "/compounds/{id}/votes", tag = "votes", request_body = NewVote, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = VoteView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn create_vote(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewVote>,
) -> AppResult<(StatusCode, Json<VoteView>)> {
    let c = compound_for(&state.db, &actor, id, Permission::ManageVotes).await?;
    let checked = check_new_vote(&state.db, &c, &req).await?;
    let txn = write_txn(&state.db).await?;
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
        status: Set(VoteStatus::Draft.as_str().into()),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    write_candidates(&txn, v.id, &checked.candidates).await?;
    write_attachments(&txn, v.id, &checked.attachments).await?;
    record(&txn, &actor, &v, "vote.drafted", json!({ "title": v.title, "matter": v.matter })).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, Json(view(&state, &actor, &v, &c).await?)))
}

/// A vote: its text, the rule that applies, my weight and ballot, and after close its result.
/// Opening it as an owner is recorded as delivery of the ballot.
#[utoipa::path(get, path = "/votes/{id}", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 404, body = ErrorBody)))]
async fn get_vote(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<VoteView>> {
    let (v, c) = vote_for(&state, &actor, id, Permission::ViewVotes).await?;
    let out = view(&state, &actor, &v, &c).await?;
    if VoteStatus::parse(&v.status) != VoteStatus::Draft && !out.my.is_empty() {
        let res = vote_delivery::Entity::insert(vote_delivery::ActiveModel {
            vote_id: Set(v.id),
            user_id: Set(actor.user.id),
            opened_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(&state.db)
        .await;
        if let Err(e) = res
            && !is_unique_violation(&e)
        {
            return Err(e.into());
        }
    }
    Ok(Json(out))
}

/// Change a draft.
#[utoipa::path(patch, path = "/votes/{id}", tag = "votes", request_body = NewVote, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn update_vote(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewVote>,
) -> AppResult<Json<VoteView>> {
    let (v, c) = vote_for(&state, &actor, id, Permission::ManageVotes).await?;
    if VoteStatus::parse(&v.status) != VoteStatus::Draft {
        return Err(AppError::conflict("not_a_draft", "only a draft can be changed"));
    }
    let checked = check_new_vote(&state.db, &c, &req).await?;
    let txn = write_txn(&state.db).await?;
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
    record(&txn, &actor, &v, "vote.draft_changed", json!({ "title": v.title })).await?;
    txn.commit().await?;
    Ok(Json(view(&state, &actor, &v, &c).await?))
}

/// Publish a draft: the notice goes to every eligible owner's inbox and to the community office.
/// The vote may not open sooner than the compound's notice period after this.
#[utoipa::path(post, path = "/votes/{id}/publish", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<VoteView>> {
    let (v, c) = vote_for(&state, &actor, id, Permission::ManageVotes).await?;
    if VoteStatus::parse(&v.status) != VoteStatus::Draft {
        return Err(AppError::conflict("not_a_draft", "this vote has already been published"));
    }
    let now = Utc::now();
    let earliest = now + Duration::days(c.notice_days as i64);
    // A minute's grace, so a form filled in at "now + notice" is not refused for the seconds it took.
    if v.opens_at + Duration::minutes(1) < earliest {
        return Err(AppError::field(
            "opens_at",
            format!(
                "owners must have {} days' notice: the vote may open at {} at the earliest",
                c.notice_days,
                earliest.to_rfc3339()
            ),
        ));
    }
    if v.closes_at <= now {
        return Err(AppError::field("closes_at", "is already past"));
    }
    let txn = write_txn(&state.db).await?;
    let moved = vote::Entity::update_many()
        .col_expr(vote::Column::Status, Expr::value(VoteStatus::Published.as_str()))
        .col_expr(vote::Column::PublishedAt, Expr::value(now))
        .filter(vote::Column::Id.eq(v.id))
        .filter(vote::Column::Status.eq(VoteStatus::Draft.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("not_a_draft", "this vote has already been published"));
    }
    let units = units_in_scope(&txn, &v).await?;
    let mut recipients = owners_of(&txn, &units).await?;
    let office: Vec<i64> = membership::Entity::find()
        .filter(membership::Column::CommunityId.eq(c.community_id))
        .filter(membership::Column::CompoundId.is_null())
        .filter(membership::Column::Role.is_in([Role::Secretary.as_str(), Role::CommunityStaff.as_str()]))
        .all(&txn)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    recipients.extend(office);
    notices::publish(
        &txn,
        NewNotice {
            community_id: c.community_id,
            compound_id: Some(c.id),
            kind: "vote_notice",
            title: format!("业主大会表决通知：{}", v.title),
            body: format!(
                "投票时间 {} 至 {}。请在手机上查看表决事项并投票。",
                beijing(v.opens_at),
                beijing(v.closes_at)
            ),
            link: Some(format!("/votes/{}", v.id)),
            created_by: Some(actor.user.id),
        },
        &recipients,
    )
    .await?;
    record(
        &txn,
        &actor,
        &v,
        "vote.published",
        json!({ "recipients": recipients.len(), "opens_at": v.opens_at, "closes_at": v.closes_at }),
    )
    .await?;
    txn.commit().await?;
    let v = vote::Entity::find_by_id(v.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let v = advance(&state.db, v).await?;
    Ok(Json(view(&state, &actor, &v, &c).await?))
}

/// The time as owners read it: Beijing time.
fn beijing(t: chrono::DateTime<Utc>) -> String {
    t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8")).format("%Y-%m-%d %H:%M").to_string()
}

/// Put a notice about `v` in the inbox of every owner it concerns.
async fn tell_owners(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    v: &vote::Model,
    kind: &str,
    title: String,
    body: String,
) -> AppResult<()> {
    let units = units_in_scope(db, v).await?;
    let recipients = owners_of(db, &units).await?;
    notices::publish(
        db,
        NewNotice {
            community_id: c.community_id,
            compound_id: Some(c.id),
            kind,
            title,
            body,
            link: Some(format!("/votes/{}", v.id)),
            created_by: None,
        },
        &recipients,
    )
    .await?;
    Ok(())
}

/// Extend an open vote whose turnout is short, publicly and on the record.
#[utoipa::path(post, path = "/votes/{id}/extend", tag = "votes", request_body = ExtendRequest, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn extend(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<ExtendRequest>,
) -> AppResult<Json<VoteView>> {
    let (v, c) = vote_for(&state, &actor, id, Permission::ManageVotes).await?;
    let reason = required_text("reason", &req.reason, 500)?;
    if VoteStatus::parse(&v.status) != VoteStatus::Open {
        return Err(AppError::conflict("vote_not_open", "only an open vote can be extended"));
    }
    if req.closes_at <= v.closes_at {
        return Err(AppError::field("closes_at", "must be later than the current closing time"));
    }
    // The convener may extend only while turnout stays under the quorum.
    let (total, part, _) = lifecycle::turnout(&state.db, &v).await?;
    if quorum_met(part, total) {
        return Err(AppError::conflict("quorum_met", "turnout already meets the quorum; the vote closes as announced"));
    }
    let txn = write_txn(&state.db).await?;
    let moved = vote::Entity::update_many()
        .col_expr(vote::Column::ClosesAt, Expr::value(req.closes_at))
        .filter(vote::Column::Id.eq(v.id))
        .filter(vote::Column::Status.eq(VoteStatus::Open.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("vote_not_open", "only an open vote can be extended"));
    }
    record(&txn, &actor, &v, "vote.extended", json!({ "from": v.closes_at, "to": req.closes_at, "reason": reason }))
        .await?;
    let body = format!("投票截止时间延至 {}。原因：{reason}", beijing(req.closes_at));
    tell_owners(&txn, &c, &v, "vote_extended", format!("表决延期：{}", v.title), body).await?;
    txn.commit().await?;
    let v = vote::Entity::find_by_id(v.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(view(&state, &actor, &v, &c).await?))
}

/// Cancel a vote that has not closed, with the reason, on the record.
#[utoipa::path(post, path = "/votes/{id}/cancel", tag = "votes", request_body = CancelRequest, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = VoteView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<CancelRequest>,
) -> AppResult<Json<VoteView>> {
    let (v, c) = vote_for(&state, &actor, id, Permission::ManageVotes).await?;
    let reason = required_text("reason", &req.reason, 500)?;
    let status = VoteStatus::parse(&v.status);
    if matches!(status, VoteStatus::Closed | VoteStatus::Cancelled) {
        return Err(AppError::conflict("vote_finished", "a closed or cancelled vote cannot be cancelled"));
    }
    let txn = write_txn(&state.db).await?;
    let moved = vote::Entity::update_many()
        .col_expr(vote::Column::Status, Expr::value(VoteStatus::Cancelled.as_str()))
        .col_expr(vote::Column::CancelledAt, Expr::value(Utc::now()))
        .col_expr(vote::Column::CancelReason, Expr::value(reason.clone()))
        .filter(vote::Column::Id.eq(v.id))
        .filter(vote::Column::Status.eq(status.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("vote_finished", "the vote changed meanwhile; reload it"));
    }
    record(&txn, &actor, &v, "vote.cancelled", json!({ "reason": reason, "was": status.as_str() })).await?;
    if status != VoteStatus::Draft {
        tell_owners(&txn, &c, &v, "vote_cancelled", format!("表决取消：{}", v.title), format!("原因：{reason}"))
            .await?;
    }
    txn.commit().await?;
    let v = vote::Entity::find_by_id(v.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(view(&state, &actor, &v, &c).await?))
}

fn marks(form: VoteForm, choice: Option<Choice>, candidates: Option<Vec<i32>>) -> AppResult<Marks> {
    match form {
        VoteForm::Motion => {
            choice.map(Marks::Choice).ok_or_else(|| AppError::field("choice", "choose agree, oppose or abstain"))
        }
        VoteForm::Election => {
            let picks = candidates.ok_or_else(|| AppError::field("candidates", "list the candidates you support"))?;
            if picks.iter().any(|p| *p < 0) {
                return Err(AppError::field("candidates", "no such candidate"));
            }
            Ok(Marks::Picks(picks.into_iter().map(|p| p as usize).collect()))
        }
    }
}

/// Cast my ballot (or, holding a written proxy, the holder's). One ballot per holder, whatever
/// the channel; the answer comes only after the ballot is committed, with its receipt.
#[utoipa::path(post, path = "/votes/{id}/ballots", tag = "votes", request_body = CastRequest, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = BallotReceipt), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn cast(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(req): Json<CastRequest>,
) -> AppResult<(StatusCode, Json<BallotReceipt>)> {
    let key_ok = req.idempotency_key.as_ref().is_none_or(|k| !k.is_empty() && k.len() <= 100);
    // The hot path: an open vote's fixed parts are kept in memory, and the ballot writer finds
    // the caller's account and holdings with the rest of its batch and checks, against the
    // database, that the vote is still open — this request makes no query of its own. A caller
    // with nothing to vote for, or a request with something wrong in it, takes the path below,
    // which tells each exactly what is wrong.
    if let Some(v) = state.rosters.open_vote(&state.db, id).await?
        && key_ok
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
        match state.ballots.submit(op).await {
            Err(AppError::Conflict { code: cast::NO_HOLDING, .. }) => {}
            r => return receipt(&state, &v, r?).await,
        }
    }
    let actor = Actor::load(&state.db, &caller).await?;
    let v = match state.rosters.opened(id) {
        Some(v) => v,
        None => {
            let v = vote::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
            let v = advance(&state.db, v).await?;
            state.rosters.seen(&v);
            v
        }
    };
    // The compound is read only when the caller may not simply vote: the hot path skips it.
    let compound =
        || async { compound::Entity::find_by_id(v.compound_id).one(&state.db).await?.ok_or(AppError::NotFound) };
    // A draft is not there for those who may not manage it, whatever holdings they have.
    if VoteStatus::parse(&v.status) == VoteStatus::Draft
        && !allowed(&actor, &compound().await?, Permission::ManageVotes)
    {
        return Err(AppError::NotFound);
    }
    let mine = my_holdings(&state.db, &state.rosters, &actor, &v, false).await?;
    if mine.is_empty() {
        let c = compound().await?;
        // Someone with a role here but nothing to vote for is refused; anyone else learns nothing.
        actor.authorize_compound(Permission::ViewVotes, &c)?;
        if VoteStatus::parse(&v.status) == VoteStatus::Draft {
            return Err(AppError::NotFound);
        }
        return Err(AppError::conflict("not_eligible", "you hold no unit on this vote's roster"));
    }
    let holding = match req.holder_id {
        Some(h) => mine
            .iter()
            .find(|m| m.holder_id == h)
            .ok_or_else(|| AppError::field("holder_id", "you cannot vote for this holder"))?,
        None if mine.len() == 1 => &mine[0],
        None => return Err(AppError::field("holder_id", "you may vote for several holdings: choose one")),
    };
    if !key_ok {
        return Err(AppError::field("idempotency_key", "must be 1 to 100 characters"));
    }
    let op = Op::Cast {
        vote_id: v.id,
        holder_id: holding.holder_id,
        user_id: actor.user.id,
        proxy_id: holding.proxy_id,
        marks: marks(VoteForm::parse(&v.form), req.choice, req.candidates)?,
        idempotency_key: req.idempotency_key.clone(),
    };
    let b = state.ballots.submit(op).await?;
    receipt(&state, &v, b).await
}

/// The answer to a stored ballot: its receipt, and what it counted for on the frozen roster.
async fn receipt(state: &AppState, v: &vote::Model, b: ballot::Model) -> AppResult<(StatusCode, Json<BallotReceipt>)> {
    let roster = state.rosters.get(&state.db, v).await?;
    let (holder_key, units, area) = match roster.get(&b.holder_id) {
        Some(h) => (h.key.clone(), h.units.iter().map(|u| u.0.clone()).collect(), h.units.iter().map(|u| u.1).sum()),
        None => (String::new(), Vec::new(), 0),
    };
    Ok((
        StatusCode::CREATED,
        Json(BallotReceipt {
            receipt: b.receipt,
            vote_id: v.id,
            holder_key,
            units,
            area: area::format(area),
            channel: Channel::parse(&b.channel),
            status: b.status,
            cast_at: b.cast_at,
        }),
    ))
}

/// Live turnout against the quorum (area and heads). Choices stay hidden until close.
#[utoipa::path(get, path = "/votes/{id}/turnout", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Turnout), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn turnout(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<Turnout>> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewTurnout).await?;
    let (total, part, pending) = lifecycle::turnout(&state.db, &v).await?;
    let delivered =
        vote_delivery::Entity::find().filter(vote_delivery::Column::VoteId.eq(v.id)).count(&state.db).await? as i64;
    Ok(Json(Turnout {
        total: total.into(),
        participating: part.into(),
        quorum_needed: quorum_needed(total).into(),
        quorum_met: quorum_met(part, total),
        pending_paper: pending,
        delivered,
    }))
}

async fn labels_by_holder(
    db: &impl ConnectionTrait,
    vote_id: i64,
) -> AppResult<HashMap<i64, (Vec<String>, i64, String)>> {
    let mut map: HashMap<i64, (Vec<String>, i64, String)> = HashMap::new();
    for e in vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(vote_id))
        .order_by_asc(vote_electorate::Column::Id)
        .all(db)
        .await?
    {
        let entry = map.entry(e.holder_id).or_insert_with(|| (Vec::new(), 0, e.holder_key.clone()));
        entry.0.push(e.unit_label);
        entry.1 += e.area_centi;
    }
    Ok(map)
}

/// The public ballot list: room numbers, area, channel and receipt of every counted ballot —
/// never names; the choice only for named votes, after close.
#[utoipa::path(get, path = "/votes/{id}/ballots", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PublicBallot>), (status = 404, body = ErrorBody)))]
async fn public_ballots(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PublicBallot>>> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewVotes).await?;
    let show_choice = !v.secret && VoteStatus::parse(&v.status) == VoteStatus::Closed;
    let labels = labels_by_holder(&state.db, v.id).await?;
    let ballots = ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(v.id))
        .filter(ballot::Column::Status.eq(BALLOT_COUNTED))
        .order_by_asc(ballot::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(
        ballots
            .iter()
            .map(|b| {
                let (units, area_centi, _) = labels.get(&b.holder_id).cloned().unwrap_or_default();
                PublicBallot {
                    receipt: b.receipt.clone(),
                    units,
                    area: area::format(area_centi),
                    channel: Channel::parse(&b.channel),
                    status: b.status.clone(),
                    choice: if show_choice { b.choice.as_deref().and_then(Choice::parse) } else { None },
                    candidates: if show_choice { picks_of(b) } else { None },
                }
            })
            .collect(),
    ))
}

/// Paper slips as the clerks see them. A secret vote's choice only while the slip awaits its
/// second clerk on an open vote: once confirmed, or once the vote has closed, it is `null`.
async fn paper_view(
    db: &impl ConnectionTrait,
    v: &vote::Model,
    bs: &[ballot::Model],
) -> AppResult<Vec<PaperBallotView>> {
    let labels = labels_by_holder(db, v.id).await?;
    let now = Utc::now();
    let clerks: Vec<i64> = bs.iter().flat_map(|b| [b.entered_by, b.confirmed_by]).flatten().collect();
    let names = user_names(db, clerks).await?;
    Ok(bs
        .iter()
        .map(|b| {
            let (units, _, key) = labels.get(&b.holder_id).cloned().unwrap_or_default();
            let shown = secrecy::paper_choice_shown(v.secret, secrecy::slip_in_hand(v, &b.status, now));
            PaperBallotView {
                id: b.id,
                serial: b.paper_serial.clone().unwrap_or_default(),
                holder_id: b.holder_id,
                holder_key: key,
                units,
                choice: if shown { b.choice.as_deref().and_then(Choice::parse) } else { None },
                candidates: if shown { picks_of(b) } else { None },
                sealed: !shown,
                status: b.status.clone(),
                entered_by: b.entered_by.and_then(|u| names.get(&u).cloned()),
                confirmed_by: b.confirmed_by.and_then(|u| names.get(&u).cloned()),
                cast_at: b.cast_at,
                receipt: b.receipt.clone(),
                scan_file_id: b.scan_file_id,
            }
        })
        .collect())
}

/// A scan must be a file uploaded to the same compound.
async fn check_scan(state: &AppState, compound_id: i64, scan: Option<i64>) -> AppResult<()> {
    if let Some(id) = scan {
        file::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .filter(|f| f.compound_id == compound_id)
            .ok_or_else(|| AppError::field("scan_file_id", "no such file in this compound"))?;
    }
    Ok(())
}

/// Enter a signed paper ballot. It counts only after a second clerk confirms it.
#[utoipa::path(post, path = "/votes/{id}/paper-ballots", tag = "votes", request_body = PaperBallotRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = PaperBallotView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn enter_paper(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<PaperBallotRequest>,
) -> AppResult<(StatusCode, Json<PaperBallotView>)> {
    let (v, _) = vote_for(&state, &actor, id, Permission::CountPaper).await?;
    let serial = required_text("serial", &req.serial, 40)?;
    check_scan(&state, v.compound_id, req.scan_file_id).await?;
    let op = Op::Paper {
        scan_file_id: req.scan_file_id,
        vote_id: v.id,
        holder_id: req.holder_id,
        entered_by: actor.user.id,
        serial,
        marks: marks(VoteForm::parse(&v.form), req.choice, req.candidates)?,
    };
    let b = state.ballots.submit(op).await?;
    let out = paper_view(&state.db, &v, std::slice::from_ref(&b)).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// Paper ballots of a vote, those awaiting confirmation first.
#[utoipa::path(get, path = "/votes/{id}/paper-ballots", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PaperBallotView>), (status = 403, body = ErrorBody)))]
async fn list_paper(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PaperBallotView>>> {
    let (v, _) = vote_for(&state, &actor, id, Permission::CountPaper).await?;
    let mut bs = ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(v.id))
        .filter(ballot::Column::Channel.eq(Channel::Paper.as_str()))
        .order_by_asc(ballot::Column::Id)
        .all(&state.db)
        .await?;
    bs.sort_by_key(|b| b.status == BALLOT_COUNTED);
    Ok(Json(paper_view(&state.db, &v, &bs).await?))
}

/// Confirm a paper ballot as the second clerk (not the one who entered it).
#[utoipa::path(post, path = "/votes/{id}/paper-ballots/{ballot_id}/confirm", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path), ("ballot_id" = i64, Path)),
    responses((status = 200, body = PaperBallotView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn confirm_paper(
    State(state): State<AppState>,
    actor: Actor,
    Path((id, ballot_id)): Path<(i64, i64)>,
) -> AppResult<Json<PaperBallotView>> {
    let (v, _) = vote_for(&state, &actor, id, Permission::CountPaper).await?;
    let b = state.ballots.submit(Op::Confirm { vote_id: v.id, ballot_id, confirmed_by: actor.user.id }).await?;
    let out = paper_view(&state.db, &v, std::slice::from_ref(&b)).await?.pop().ok_or(AppError::NotFound)?;
    Ok(Json(out))
}

fn csv_response(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        body,
    )
        .into_response()
}

/// The frozen roster as `sanfang tally` reads it: `unit,holder,area`.
#[utoipa::path(get, path = "/votes/{id}/export/roster.csv", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 409, body = ErrorBody)))]
async fn export_roster(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewVotes).await?;
    if v.frozen_at.is_none() {
        return Err(AppError::conflict("vote_not_open", "the roster is frozen when the vote opens"));
    }
    let rows = vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(v.id))
        .order_by_asc(vote_electorate::Column::Id)
        .all(&state.db)
        .await?;
    let mut out = String::from("unit,holder,area\n");
    for r in rows {
        out.push_str(&format!("{},{},{}\n", r.unit_id, csv_field(&r.holder_key), area::format(r.area_centi)));
    }
    Ok(csv_response(&format!("vote-{}-roster.csv", v.id), out))
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would make a spreadsheet run the cell as a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// The counted ballots as `sanfang tally` reads them: `unit,choice` (one line per holder, naming
/// one of their units). After close; for secret votes only the three parties may export it.
#[utoipa::path(get, path = "/votes/{id}/export/ballots.csv", tag = "votes", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 409, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn export_ballots(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Response> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewVotes).await?;
    if VoteStatus::parse(&v.status) != VoteStatus::Closed {
        return Err(AppError::conflict("vote_not_closed", "choices are revealed only after the vote closes"));
    }
    if VoteForm::parse(&v.form) != VoteForm::Motion {
        return Err(AppError::conflict("not_a_motion", "only motions can be recounted with sanfang tally"));
    }
    // A secret ballot's choice is never published next to its room, not even to the conveners.
    if v.secret {
        return Err(AppError::conflict(
            "secret_vote",
            "a secret vote's choices are never exported by room; its totals are on the vote page",
        ));
    }
    let first_unit: HashMap<i64, i64> = vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(v.id))
        .order_by_desc(vote_electorate::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| (e.holder_id, e.unit_id))
        .collect();
    let ballots = ballot::Entity::find()
        .filter(ballot::Column::VoteId.eq(v.id))
        .filter(ballot::Column::Status.eq(BALLOT_COUNTED))
        .order_by_asc(ballot::Column::Id)
        .all(&state.db)
        .await?;
    let mut out = String::from("unit,choice\n");
    for b in ballots {
        if let (Some(unit), Some(choice)) = (first_unit.get(&b.holder_id), b.choice) {
            out.push_str(&format!("{unit},{choice}\n"));
        }
    }
    Ok(csv_response(&format!("vote-{}-ballots.csv", v.id), out))
}

/// The vote's public record: drafted, published, opened, extended, cancelled, closed.
#[utoipa::path(get, path = "/votes/{id}/log", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<VoteLogEntry>), (status = 404, body = ErrorBody)))]
async fn vote_log(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<VoteLogEntry>>> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewVotes).await?;
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("vote:{}", v.id)))
        .filter(audit_event::Column::Action.starts_with("vote."))
        .order_by_asc(audit_event::Column::Seq)
        .all(&state.db)
        .await?;
    Ok(Json(
        events
            .into_iter()
            .map(|e| VoteLogEntry {
                seq: e.seq,
                at: e.at,
                action: e.action,
                detail: serde_json::from_str(&e.detail).unwrap_or_default(),
            })
            .collect(),
    ))
}

async fn proxy_views(db: &impl ConnectionTrait, ps: Vec<proxy::Model>) -> AppResult<Vec<ProxyView>> {
    let names =
        user_names(db, ps.iter().flat_map(|p| [p.proxy_user_id].into_iter().chain(p.confirmed_by)).collect::<Vec<_>>())
            .await?;
    let keys: HashMap<i64, String> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(ps.iter().map(|p| p.holder_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.holder_key))
        .collect();
    Ok(ps
        .into_iter()
        .map(|p| ProxyView {
            id: p.id,
            compound_id: p.compound_id,
            holder_id: p.holder_id,
            holder_key: keys.get(&p.holder_id).cloned().unwrap_or_default(),
            proxy_user_id: p.proxy_user_id,
            proxy_name: names.get(&p.proxy_user_id).cloned().unwrap_or_default(),
            valid_from: p.valid_from,
            valid_until: p.valid_until,
            note: p.note,
            scan_file_id: p.scan_file_id,
            revoked_at: p.revoked_at,
            confirmed_at: p.confirmed_at,
            confirmed_by_name: p.confirmed_by.and_then(|u| names.get(&u).cloned()),
            counts_from: p.counts_from,
        })
        .collect())
}

/// Register a written proxy. It waits for a second person of another party to confirm it
/// (`/proxies/{id}/confirm`); then the proxy may vote for the holder in the period it names.
#[utoipa::path(post, path = "/compounds/{id}/proxies", tag = "votes", request_body = NewProxy, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = ProxyView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_proxy(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewProxy>,
) -> AppResult<(StatusCode, Json<ProxyView>)> {
    let c = compound_for(&state.db, &actor, id, Permission::CountPaper).await?;
    let party = verification::acting_party(&actor, &c, Permission::CountPaper)?;
    let h = holder::Entity::find_by_id(req.holder_id)
        .one(&state.db)
        .await?
        .filter(|h| h.compound_id == c.id)
        .ok_or_else(|| AppError::field("holder_id", "no such holder in this compound"))?;
    let proxy_user = find_by_login(&state.db, &req.proxy_login)
        .await?
        .ok_or_else(|| AppError::field("proxy_login", "no account has this user name or phone number"))?;
    // A clerk never registers a proxy that makes themselves the voter.
    if proxy_user.id == actor.user.id {
        return Err(AppError::field("proxy_login", "you cannot register a proxy naming yourself; another person must"));
    }
    if req.valid_until <= req.valid_from || req.valid_until <= Utc::now() {
        return Err(AppError::field("valid_until", "must be after valid_from and in the future"));
    }
    let note = optional_text("note", req.note.as_deref(), 500)?;
    check_scan(&state, c.id, req.scan_file_id).await?;
    let txn = write_txn(&state.db).await?;
    let p = proxy::Entity::insert(proxy::ActiveModel {
        compound_id: Set(c.id),
        holder_id: Set(h.id),
        proxy_user_id: Set(proxy_user.id),
        valid_from: Set(req.valid_from),
        valid_until: Set(req.valid_until),
        note: Set(note),
        created_by: Set(actor.user.id),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        revoked_by: Set(None),
        scan_file_id: Set(req.scan_file_id),
        registrar_party: Set(Some(party.as_str().into())),
        confirmed_by: Set(None),
        confirmed_at: Set(None),
        counts_from: Set(None),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "proxy.registered",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{}", h.id),
            detail: json!({
                "proxy": p.id, "proxy_user": proxy_user.id, "from": p.valid_from, "until": p.valid_until,
                "party": party.as_str(),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    let out = proxy_views(&state.db, vec![p]).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(out)))
}

/// The compound's proxy registry.
#[utoipa::path(get, path = "/compounds/{id}/proxies", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ProxyView>), (status = 403, body = ErrorBody)))]
async fn list_proxies(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ProxyView>>> {
    let c = compound_for(&state.db, &actor, id, Permission::CountPaper).await?;
    let ps = proxy::Entity::find()
        .filter(proxy::Column::CompoundId.eq(c.id))
        .order_by_desc(proxy::Column::Id)
        .all(&state.db)
        .await?;
    Ok(Json(proxy_views(&state.db, ps).await?))
}

/// Confirm a proxy as the second person: of another party than its registrar, and not the proxy.
/// It casts from `valid_from`, or 24 hours after confirmation when a vote of the compound is open
/// and the holder has accounts; the holder's accounts and the proxy are told.
#[utoipa::path(post, path = "/proxies/{id}/confirm", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProxyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn confirm_proxy(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<ProxyView>> {
    let p = proxy::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound_for(&state.db, &actor, p.compound_id, Permission::CountPaper).await?;
    if p.revoked_at.is_some() {
        return Err(AppError::conflict("proxy_revoked", "this proxy has already been revoked"));
    }
    if p.confirmed_at.is_some() {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    verification::check_second_person(
        &actor,
        &c,
        Permission::CountPaper,
        p.created_by,
        p.registrar_party.as_deref(),
        Some(p.proxy_user_id),
    )?;
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let counts_from =
        verification::settling(&txn, c.id, p.holder_id).await?.map_or(p.valid_from, |t| t.max(p.valid_from));
    let done = proxy::Entity::update_many()
        .col_expr(proxy::Column::ConfirmedAt, Expr::value(now))
        .col_expr(proxy::Column::ConfirmedBy, Expr::value(actor.user.id))
        .col_expr(proxy::Column::CountsFrom, Expr::value(counts_from))
        .filter(proxy::Column::Id.eq(p.id))
        .filter(proxy::Column::ConfirmedAt.is_null())
        .filter(proxy::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("already_confirmed", "this has already been confirmed"));
    }
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "proxy.confirmed",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{}", p.holder_id),
            detail: json!({ "proxy": p.id, "registered_by": p.created_by, "counts_from": counts_from }),
        },
    )
    .await?;
    let key = holder::Entity::find_by_id(p.holder_id).one(&txn).await?.map(|h| h.holder_key).unwrap_or_default();
    let proxy_name = user_names(&txn, [p.proxy_user_id]).await?.remove(&p.proxy_user_id).unwrap_or_default();
    verification::tell_holder(
        &txn,
        &c,
        p.holder_id,
        &[p.proxy_user_id],
        "holder_proxy",
        format!("{key} 已登记书面委托：受托人“{proxy_name}”"),
        format!(
            "受托人自 {} 起、至 {} 止可代表本户投票；业主本人投票将取代受托人的投票。如非本户委托，请立即联系社区居委会。",
            verification::beijing(counts_from),
            verification::beijing(p.valid_until)
        ),
    )
    .await?;
    txn.commit().await?;
    let p = proxy::Entity::find_by_id(p.id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    Ok(Json(proxy_views(&state.db, vec![p]).await?.pop().ok_or(AppError::NotFound)?))
}

/// Revoke a proxy: by the holder (a verified owner of it) or by staff.
#[utoipa::path(post, path = "/proxies/{id}/revoke", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProxyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn revoke_proxy(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<ProxyView>> {
    let p = proxy::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let c = compound::Entity::find_by_id(p.compound_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let is_holder = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(actor.user.id))
        .filter(owner_link::Column::HolderId.eq(p.holder_id))
        .one(&state.db)
        .await?
        .is_some();
    if !is_holder {
        actor.authorize_compound(Permission::CountPaper, &c)?;
    }
    if p.revoked_at.is_some() {
        return Err(AppError::conflict("proxy_revoked", "this proxy has already been revoked"));
    }
    let txn = write_txn(&state.db).await?;
    let mut am: proxy::ActiveModel = p.clone().into();
    am.revoked_at = Set(Some(Utc::now()));
    am.revoked_by = Set(Some(actor.user.id));
    let p = am.update(&txn).await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "proxy.revoked",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("holder:{}", p.holder_id),
            detail: json!({ "proxy": p.id, "by_holder": is_holder }),
        },
    )
    .await?;
    let key = holder::Entity::find_by_id(p.holder_id).one(&txn).await?.map(|h| h.holder_key).unwrap_or_default();
    verification::tell_holder(
        &txn,
        &c,
        p.holder_id,
        &[p.proxy_user_id],
        "holder_proxy_revoked",
        format!("{key} 的投票委托已撤销"),
        "受托人不能再代表本户投票。".into(),
    )
    .await?;
    txn.commit().await?;
    Ok(Json(proxy_views(&state.db, vec![p]).await?.pop().ok_or(AppError::NotFound)?))
}

/// Set a compound's notice period and publicity period (administrators).
#[utoipa::path(put, path = "/compounds/{id}/rules", tag = "votes", request_body = CompoundRules, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "saved"), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_rules(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<CompoundRules>,
) -> AppResult<StatusCode> {
    actor.authorize_global(Permission::ManageTenancy)?;
    if !(0..=90).contains(&req.notice_days) {
        return Err(AppError::field("notice_days", "must be between 0 and 90"));
    }
    if !(0..=90).contains(&req.publicity_days) {
        return Err(AppError::field("publicity_days", "must be between 0 and 90"));
    }
    let txn = write_txn(&state.db).await?;
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
    Ok(StatusCode::NO_CONTENT)
}

/// Object to a published result during its publicity period (an owner of the vote's roster).
#[utoipa::path(post, path = "/votes/{id}/objections", tag = "votes", request_body = NewObjection, security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 201, body = ObjectionView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn object(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewObjection>,
) -> AppResult<(StatusCode, Json<ObjectionView>)> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewVotes).await?;
    let text = required_text("text", &req.text, 2000)?;
    let in_publicity =
        VoteStatus::parse(&v.status) == VoteStatus::Closed && v.publicity_until.is_some_and(|t| Utc::now() < t);
    if !in_publicity {
        return Err(AppError::conflict(
            "not_in_publicity",
            "objections are taken while the result is on public display",
        ));
    }
    if !my_holdings(&state.db, &state.rosters, &actor, &v, false).await?.iter().any(|h| h.proxy_id.is_none()) {
        return Err(AppError::conflict("not_eligible", "only owners on this vote's roster may object"));
    }
    let txn = write_txn(&state.db).await?;
    let o = vote_objection::Entity::insert(vote_objection::ActiveModel {
        vote_id: Set(v.id),
        user_id: Set(actor.user.id),
        text: Set(text),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(&txn)
    .await?;
    record(&txn, &actor, &v, "vote.objection", json!({ "objection": o.id })).await?;
    txn.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(ObjectionView {
            id: o.id,
            by: actor.user.display_name.clone(),
            by_person: person_names(&state.db, [actor.user.id]).await?.remove(&actor.user.id).unwrap_or_default(),
            text: o.text,
            created_at: o.created_at,
        }),
    ))
}

/// Objections to a result (the three parties).
#[utoipa::path(get, path = "/votes/{id}/objections", tag = "votes", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ObjectionView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_objections(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ObjectionView>>> {
    let (v, _) = vote_for(&state, &actor, id, Permission::ViewTurnout).await?;
    let os = vote_objection::Entity::find()
        .filter(vote_objection::Column::VoteId.eq(v.id))
        .order_by_asc(vote_objection::Column::Id)
        .all(&state.db)
        .await?;
    let names = person_names(&state.db, os.iter().map(|o| o.user_id).collect::<Vec<_>>()).await?;
    Ok(Json(
        os.into_iter()
            .map(|o| ObjectionView {
                id: o.id,
                by: names.get(&o.user_id).map(|p| p.name.clone()).unwrap_or_default(),
                by_person: names.get(&o.user_id).cloned().unwrap_or_default(),
                text: o.text,
                created_at: o.created_at,
            })
            .collect(),
    ))
}
