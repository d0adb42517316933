//! `/compounds/{id}/agendas`, `/communities/{id}/agendas`, `/agendas/{id}/…`,
//! `/concerns/{id}/agenda`: opening agendas, co-signing them and moving them to a decision.
use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
    prelude::Expr,
    sea_query::{ExprTrait, Func, LikeExpr, Query as SqlQuery},
};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    AgendaActions, AgendaFilter, AgendaFromConcern, AgendaMove, AgendaPage, AgendaStatus, AgendaSummary, AgendaView,
    CosignProgress, DecideRequest, NewAgenda, WithdrawRequest, may_cite, moves_from, next_status, progress,
    withdraw_needs_managing,
};
use crate::{
    accounts::person_names,
    audit::{self, Event},
    auth::Actor,
    concerns::{self, categories_of, main_party, party_kinds, party_members},
    db::write_txn,
    entities::{
        agenda, agenda_comment, agenda_cosign, community, compound, concern_category, holder, membership, owner_link,
        unit, vote,
    },
    error::{AppError, AppResult, ErrorBody, is_unique_violation},
    extract::{Json, PageWindow, Path, Query, optional_text, page_window, required_text, search_words},
    notices::{self, NewNotice},
    policy::{PartyKind, Permission, Role, RoleScope},
    state::AppState,
    tenancy::compound_for,
    votes::tally::Weight,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agendas, open_agenda))
        .routes(routes!(open_community_agenda))
        .routes(routes!(from_concern))
        .routes(routes!(get_agenda))
        .routes(routes!(cosign))
        .routes(routes!(deliberate))
        .routes(routes!(decide))
        .routes(routes!(close))
        .routes(routes!(withdraw))
}

/// An agenda with where it lives, as the caller may see it.
pub struct LoadedAgenda {
    pub agenda: agenda::Model,
    pub compound: Option<compound::Model>,
    /// The parties the caller speaks for where the agenda lives.
    pub kinds: Vec<PartyKind>,
}

impl LoadedAgenda {
    pub fn status(&self) -> AgendaStatus {
        AgendaStatus::parse(&self.agenda.status)
    }
}

/// Allow `p` where an agenda lives: its compound, or for a community-wide agenda, the community,
/// where only the community office manages it and everyone takes part.
pub fn authorize(actor: &Actor, a: &LoadedAgenda, p: Permission) -> AppResult<()> {
    match &a.compound {
        Some(c) => actor.authorize_compound(p, c),
        None => actor.authorize_community(p, a.agenda.community_id),
    }
}

/// Allow withdrawing: those who manage the agenda, or whoever opened a compound agenda.
fn authorize_withdraw(actor: &Actor, a: &LoadedAgenda) -> AppResult<()> {
    if withdraw_needs_managing(a.agenda.opened_by == actor.user.id, a.compound.is_none()) {
        authorize(actor, a, Permission::ManageAgendas)
    } else {
        Ok(())
    }
}

/// The parties an actor speaks for across a community (for community-wide agendas).
fn community_kinds(actor: &Actor, community_id: i64) -> Vec<PartyKind> {
    let mut kinds: Vec<PartyKind> = actor
        .roles()
        .filter(|(_, m)| m.community_id == Some(community_id))
        .filter_map(|(r, _)| match r.scope() {
            RoleScope::Community => Some(PartyKind::CommunityOffice),
            RoleScope::Party(k) => Some(k),
            _ => None,
        })
        .collect();
    kinds.sort_by_key(|k| k.as_str());
    kinds.dedup();
    kinds
}

/// Load an agenda the caller may see.
pub async fn agenda_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<LoadedAgenda> {
    let agenda = agenda::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let compound = match agenda.compound_id {
        Some(c) => Some(compound::Entity::find_by_id(c).one(db).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let kinds = match &compound {
        Some(c) => party_kinds(actor, c),
        None => community_kinds(actor, agenda.community_id),
    };
    let a = LoadedAgenda { agenda, compound, kinds };
    authorize(actor, &a, Permission::ViewAgendas)?;
    Ok(a)
}

/// Co-signed and total weight of a compound agenda: area in 0.01 m² and distinct holders, over
/// the compound's present roster (the developer's unsold units are one holder, hence one head).
pub async fn cosign_weights(
    db: &impl ConnectionTrait,
    agenda_id: i64,
    compound_id: i64,
) -> AppResult<(Weight, Weight)> {
    #[derive(FromQueryResult)]
    struct Totals {
        heads: i64,
        area: Option<i64>,
    }
    let totals = |cosigned: bool| {
        let mut q = unit::Entity::find()
            .select_only()
            .column_as(Expr::col(unit::Column::HolderId).count_distinct(), "heads")
            .column_as(Expr::col(unit::Column::AreaCenti).sum().cast_as("bigint"), "area")
            .filter(unit::Column::CompoundId.eq(compound_id));
        if cosigned {
            q = q.filter(
                Expr::col(unit::Column::HolderId).in_subquery(
                    SqlQuery::select()
                        .column(agenda_cosign::Column::HolderId)
                        .from(agenda_cosign::Entity)
                        .and_where(Expr::col(agenda_cosign::Column::AgendaId).eq(agenda_id))
                        .to_owned(),
                ),
            );
        }
        q.into_model::<Totals>().one(db)
    };
    let w = |t: Option<Totals>| t.map(|t| Weight { area: t.area.unwrap_or(0), heads: t.heads }).unwrap_or_default();
    Ok((w(totals(true).await?), w(totals(false).await?)))
}

/// The holders of `compound_id` the actor is verified for.
async fn my_holders(db: &impl ConnectionTrait, actor: &Actor, compound_id: i64) -> AppResult<Vec<i64>> {
    let linked: Vec<i64> = owner_link::Entity::find()
        .filter(owner_link::Column::UserId.eq(actor.user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.holder_id)
        .collect();
    Ok(holder::Entity::find()
        .filter(holder::Column::Id.is_in(linked))
        .filter(holder::Column::CompoundId.eq(compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| h.id)
        .collect())
}

async fn cosign_progress(
    db: &impl ConnectionTrait,
    actor: &Actor,
    a: &LoadedAgenda,
) -> AppResult<Option<CosignProgress>> {
    let Some(c) = &a.compound else { return Ok(None) };
    let (cosigned, total) = cosign_weights(db, a.agenda.id, c.id).await?;
    let mine = my_holders(db, actor, c.id).await?;
    let mine = !mine.is_empty()
        && agenda_cosign::Entity::find()
            .filter(agenda_cosign::Column::AgendaId.eq(a.agenda.id))
            .filter(agenda_cosign::Column::HolderId.is_in(mine))
            .count(db)
            .await?
            > 0;
    Ok(Some(progress(cosigned, total, mine)))
}

async fn view(db: &impl ConnectionTrait, actor: &Actor, a: &LoadedAgenda) -> AppResult<AgendaView> {
    let g = &a.agenda;
    let category = match g.category_id {
        Some(id) => concern_category::Entity::find_by_id(id).one(db).await?.map(|c| (&c).into()),
        None => None,
    };
    let names = person_names(db, [g.opened_by]).await?;
    let cosign = cosign_progress(db, actor, a).await?;
    let status = a.status();
    let may = |p: Permission| authorize(actor, a, p).is_ok();
    let mut moves = if may(Permission::ManageAgendas) { moves_from(status) } else { Vec::new() };
    // Whoever opened a compound agenda may also withdraw it.
    if authorize_withdraw(actor, a).is_ok() && status.is_active() && !moves.contains(&AgendaMove::Withdraw) {
        moves.push(AgendaMove::Withdraw);
    }
    let can = AgendaActions {
        cosign: status.is_active()
            && may(Permission::CosignAgendas)
            && cosign.as_ref().is_some_and(|c| !c.mine)
            && a.compound.is_some(),
        comment: status.is_active() && may(Permission::CommentAgendas),
        moderate: may(Permission::ModerateAgendas),
        moves,
    };
    Ok(AgendaView {
        id: g.id,
        community_id: g.community_id,
        compound_id: g.compound_id,
        compound_name: a.compound.as_ref().map(|c| c.name.clone()),
        title: g.title.clone(),
        description: g.description.clone(),
        category,
        opened_by_name: names.get(&g.opened_by).map(|p| p.name.clone()).unwrap_or_default(),
        opened_by_person: names.get(&g.opened_by).cloned().unwrap_or_default(),
        party_kind: PartyKind::parse(&g.party_kind).unwrap_or(PartyKind::CommunityOffice),
        concern_id: g.concern_id,
        status,
        decision: g.decision.clone(),
        vote_id: g.vote_id,
        questionnaire_id: g.questionnaire_id,
        withdraw_reason: g.withdraw_reason.clone(),
        statutory_at: g.statutory_at,
        created_at: g.created_at,
        updated_at: g.updated_at,
        decided_at: g.decided_at,
        closed_at: g.closed_at,
        cosign,
        can,
    })
}

async fn answer(state: &AppState, actor: &Actor, id: i64) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, actor, id).await?;
    Ok(Json(view(&state.db, actor, &a).await?))
}

async fn record(
    db: &impl ConnectionTrait,
    actor: Option<&Actor>,
    g: &agenda::Model,
    action: &str,
    detail: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        db,
        Event {
            actor_id: actor.map(|a| a.user.id),
            action,
            community_id: Some(g.community_id),
            compound_id: g.compound_id,
            subject: format!("agenda:{}", g.id),
            detail,
        },
    )
    .await?;
    Ok(())
}

/// Everyone an agenda concerns: the owners and the parties of its compound and the community
/// office, or for a community-wide agenda, everyone with a role in the community.
async fn audience(db: &impl ConnectionTrait, g: &agenda::Model) -> AppResult<Vec<i64>> {
    let mut find = membership::Entity::find()
        .filter(membership::Column::CommunityId.eq(g.community_id))
        .filter(membership::Column::Role.ne(Role::Admin.as_str()));
    if let Some(c) = g.compound_id {
        find = find.filter(
            Condition::any().add(membership::Column::CompoundId.eq(c)).add(membership::Column::CompoundId.is_null()),
        );
    }
    Ok(find.all(db).await?.into_iter().map(|m| m.user_id).collect())
}

/// A new agenda, before it is stored.
pub struct Opening {
    pub opened_by: i64,
    pub community_id: i64,
    pub compound: Option<compound::Model>,
    pub title: String,
    pub description: String,
    pub category_id: Option<i64>,
    pub party: PartyKind,
    pub concern_id: Option<i64>,
}

/// Insert an agenda and tell everyone it concerns (one notice, its inbox rows in batches).
pub async fn insert_agenda(db: &impl ConnectionTrait, o: Opening) -> AppResult<agenda::Model> {
    if let Some(cat) = o.category_id {
        concern_category::Entity::find_by_id(cat)
            .filter(concern_category::Column::CommunityId.eq(o.community_id))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("category_id", "no such category in this community"))?;
    }
    let now = Utc::now();
    let g = agenda::Entity::insert(agenda::ActiveModel {
        community_id: Set(o.community_id),
        compound_id: Set(o.compound.as_ref().map(|c| c.id)),
        title: Set(o.title),
        description: Set(o.description),
        category_id: Set(o.category_id),
        opened_by: Set(o.opened_by),
        party_kind: Set(o.party.as_str().into()),
        concern_id: Set(o.concern_id),
        status: Set(AgendaStatus::Open.as_str().into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let recipients = audience(db, &g).await?;
    let place = o.compound.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "全社区".into());
    notices::publish(
        db,
        NewNotice {
            community_id: g.community_id,
            compound_id: g.compound_id,
            kind: "agenda_opened",
            title: format!("新议题（{place}）：{}", g.title),
            body: "欢迎查看、附议并参与讨论。".into(),
            link: Some(format!("/agendas/{}", g.id)),
            created_by: Some(o.opened_by),
        },
        &recipients,
    )
    .await?;
    audit::record(
        db,
        Event {
            actor_id: Some(o.opened_by),
            action: "agenda.opened",
            community_id: Some(g.community_id),
            compound_id: g.compound_id,
            subject: format!("agenda:{}", g.id),
            detail: json!({ "title": g.title, "party": g.party_kind, "concern_id": g.concern_id, "recipients": recipients.len() }),
        },
    )
    .await?;
    Ok(g)
}

fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A compound's agendas and the community-wide ones, newest first, a page at a time.
#[utoipa::path(get, path = "/compounds/{id}/agendas", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path), AgendaFilter),
    responses((status = 200, body = AgendaPage), (status = 422, body = ErrorBody), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_agendas(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(f): Query<AgendaFilter>,
) -> AppResult<Json<AgendaPage>> {
    let c = compound_for(&state.db, &actor, id, Permission::ViewAgendas).await?;
    let mut find = agenda::Entity::find()
        .filter(agenda::Column::CommunityId.eq(c.community_id))
        .filter(Condition::any().add(agenda::Column::CompoundId.eq(c.id)).add(agenda::Column::CompoundId.is_null()));
    if let Some(s) = f.status {
        find = find.filter(agenda::Column::Status.eq(s.as_str()));
    }
    if let Some(cat) = f.category_id {
        find = find.filter(agenda::Column::CategoryId.eq(cat));
    }
    if let Some(k) = f.party_kind {
        find = find.filter(agenda::Column::PartyKind.eq(k.as_str()));
    }
    let words = search_words("q", f.q.as_deref())?;
    for w in words.iter().map(|w| w.to_lowercase()) {
        let like = || LikeExpr::new(format!("%{}%", escape_like(&w))).escape('\\');
        find = find.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(agenda::Column::Title))).like(like()))
                .add(Expr::expr(Func::lower(Expr::col(agenda::Column::Description))).like(like())),
        );
    }
    let PageWindow { page, per_page, offset } = page_window(f.page, f.per_page, 20, 50);
    let total = find.clone().count(&state.db).await?;
    let rows = find
        .order_by_desc(agenda::Column::CreatedAt)
        .order_by_desc(agenda::Column::Id)
        .offset(offset)
        .limit(per_page)
        .all(&state.db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    #[derive(FromQueryResult)]
    struct Count {
        agenda_id: i64,
        n: i64,
    }
    let cosigners: HashMap<i64, i64> = agenda_cosign::Entity::find()
        .select_only()
        .column(agenda_cosign::Column::AgendaId)
        .column_as(Expr::col(agenda_cosign::Column::Id).count(), "n")
        .filter(agenda_cosign::Column::AgendaId.is_in(ids.clone()))
        .group_by(agenda_cosign::Column::AgendaId)
        .into_model::<Count>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.agenda_id, c.n))
        .collect();
    let comments: HashMap<i64, i64> = agenda_comment::Entity::find()
        .select_only()
        .column(agenda_comment::Column::AgendaId)
        .column_as(Expr::col(agenda_comment::Column::Id).count(), "n")
        .filter(agenda_comment::Column::AgendaId.is_in(ids))
        .filter(agenda_comment::Column::HiddenAt.is_null())
        .group_by(agenda_comment::Column::AgendaId)
        .into_model::<Count>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.agenda_id, c.n))
        .collect();
    let categories: HashMap<i64, concern_category::Model> =
        categories_of(&state.db, c.community_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let items = rows
        .iter()
        .map(|g| AgendaSummary {
            id: g.id,
            compound_id: g.compound_id,
            title: g.title.clone(),
            category: g.category_id.and_then(|id| categories.get(&id)).map(Into::into),
            party_kind: PartyKind::parse(&g.party_kind).unwrap_or(PartyKind::CommunityOffice),
            status: AgendaStatus::parse(&g.status),
            statutory_at: g.statutory_at,
            cosigners: cosigners.get(&g.id).copied().unwrap_or(0),
            comments: comments.get(&g.id).copied().unwrap_or(0),
            created_at: g.created_at,
        })
        .collect();
    Ok(Json(AgendaPage { items, total, page, per_page }))
}

fn checked_text(req: &NewAgenda) -> AppResult<(String, String)> {
    Ok((
        required_text("title", &req.title, 200)?,
        optional_text("description", Some(&req.description), 20_000)?.unwrap_or_default(),
    ))
}

/// Open an agenda in a compound: a committee member, the community office or the property
/// company. Its owners and parties are told.
#[utoipa::path(post, path = "/compounds/{id}/agendas", tag = "agendas", request_body = NewAgenda,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AgendaView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn open_agenda(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewAgenda>,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let c = compound_for(&state.db, &actor, id, Permission::OpenAgendas).await?;
    let (title, description) = checked_text(&req)?;
    let party = main_party(&party_kinds(&actor, &c)).ok_or(AppError::Forbidden)?;
    let txn = write_txn(&state.db).await?;
    let g = insert_agenda(
        &txn,
        Opening {
            opened_by: actor.user.id,
            community_id: c.community_id,
            compound: Some(c),
            title,
            description,
            category_id: req.category_id,
            party,
            concern_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, g.id).await?))
}

/// Open an agenda for the whole community: the community office.
#[utoipa::path(post, path = "/communities/{id}/agendas", tag = "agendas", request_body = NewAgenda,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AgendaView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn open_community_agenda(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewAgenda>,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let c = community::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    // A matter of the whole community is the community office's to table.
    actor.authorize_community(Permission::OpenAgendas, c.id)?;
    let (title, description) = checked_text(&req)?;
    let txn = write_txn(&state.db).await?;
    let g = insert_agenda(
        &txn,
        Opening {
            opened_by: actor.user.id,
            community_id: c.id,
            compound: None,
            title,
            description,
            category_id: req.category_id,
            party: PartyKind::CommunityOffice,
            concern_id: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, g.id).await?))
}

/// Turn a concern into an agenda of its compound, carrying its category and text over.
#[utoipa::path(post, path = "/concerns/{id}/agenda", tag = "agendas", request_body = AgendaFromConcern,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = AgendaView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn from_concern(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<AgendaFromConcern>,
) -> AppResult<(StatusCode, Json<AgendaView>)> {
    let l = concerns::concern_for(&state.db, &actor, id).await?;
    actor.authorize_compound(Permission::OpenAgendas, &l.compound)?;
    if l.concern.agenda_id.is_some() {
        return Err(AppError::conflict("already_an_agenda", "this concern has already been turned into an agenda"));
    }
    let party = main_party(&l.kinds).ok_or(AppError::Forbidden)?;
    let category =
        concern_category::Entity::find_by_id(l.concern.category_id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    let title = match req.title.as_deref() {
        Some(t) => required_text("title", t, 200)?,
        None => {
            let head: String = l.concern.text.chars().take(40).collect();
            format!("【{}】{}", category.name_zh, head)
        }
    };
    let description = match req.description.as_deref() {
        Some(d) => optional_text("description", Some(d), 20_000)?.unwrap_or_default(),
        None => l.concern.text.lines().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n"),
    };
    let txn = write_txn(&state.db).await?;
    let g = insert_agenda(
        &txn,
        Opening {
            opened_by: actor.user.id,
            community_id: l.compound.community_id,
            compound: Some(l.compound.clone()),
            title,
            description,
            category_id: Some(category.id),
            party,
            concern_id: Some(l.concern.id),
        },
    )
    .await?;
    concerns::turned_into_agenda(&txn, &actor, &l, g.id).await?;
    txn.commit().await?;
    Ok((StatusCode::CREATED, answer(&state, &actor, g.id).await?))
}

/// An agenda with its co-signing progress and what the caller may do.
#[utoipa::path(get, path = "/agendas/{id}", tag = "agendas", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 404, body = ErrorBody)))]
async fn get_agenda(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    answer(&state, &actor, id).await
}

/// Co-sign (附议) for my holding — once per holder, whichever of its accounts signs. When the
/// co-signers reach 20 % of the area and of the heads, the agenda becomes a statutory request for
/// a temporary owners' assembly and the owners' committee is told.
#[utoipa::path(post, path = "/agendas/{id}/cosign", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn cosign(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::CosignAgendas)?;
    let Some(c) = a.compound.clone() else {
        return Err(AppError::conflict("cosign_needs_compound", "co-signing counts the owners of one compound"));
    };
    if !a.status().is_active() {
        return Err(AppError::conflict("agenda_not_active", "this agenda no longer takes co-signs"));
    }
    let holders = my_holders(&state.db, &actor, c.id).await?;
    if holders.is_empty() {
        return Err(AppError::Forbidden);
    }
    let already_cosigned = || AppError::conflict("already_cosigned", "this holding has already co-signed the agenda");
    let txn = write_txn(&state.db).await?;
    let signed: Vec<i64> = agenda_cosign::Entity::find()
        .filter(agenda_cosign::Column::AgendaId.eq(a.agenda.id))
        .filter(agenda_cosign::Column::HolderId.is_in(holders.clone()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| s.holder_id)
        .collect();
    let new: Vec<i64> = holders.into_iter().filter(|h| !signed.contains(h)).collect();
    if new.is_empty() {
        return Err(already_cosigned());
    }
    let now = Utc::now();
    agenda_cosign::Entity::insert_many(new.iter().map(|&h| agenda_cosign::ActiveModel {
        agenda_id: Set(a.agenda.id),
        holder_id: Set(h),
        user_id: Set(actor.user.id),
        created_at: Set(now),
        ..Default::default()
    }))
    .exec(&txn)
    .await
    .map_err(|e| if is_unique_violation(&e) { already_cosigned() } else { e.into() })?;
    let (cosigned, total) = cosign_weights(&txn, a.agenda.id, c.id).await?;
    record(
        &txn,
        Some(&actor),
        &a.agenda,
        "agenda.cosigned",
        json!({ "holders": new, "cosigned": { "heads": cosigned.heads, "area_centi": cosigned.area } }),
    )
    .await?;
    if super::statutory_request_reached(cosigned, total) && a.agenda.statutory_at.is_none() {
        let marked = agenda::Entity::update_many()
            .col_expr(agenda::Column::StatutoryAt, Expr::value(now))
            .col_expr(agenda::Column::UpdatedAt, Expr::value(now))
            .filter(agenda::Column::Id.eq(a.agenda.id))
            .filter(agenda::Column::StatutoryAt.is_null())
            .exec(&txn)
            .await?;
        if marked.rows_affected == 1 {
            record(
                &txn,
                None,
                &a.agenda,
                "agenda.statutory_request",
                json!({
                    "cosigned": { "heads": cosigned.heads, "area_centi": cosigned.area },
                    "total": { "heads": total.heads, "area_centi": total.area },
                    "rule": "业主大会和业主委员会指导规则 第二十一条",
                }),
            )
            .await?;
            let committee = party_members(&txn, &c, PartyKind::OwnersCommittee).await?;
            notices::publish(
                &txn,
                NewNotice {
                    community_id: c.community_id,
                    compound_id: Some(c.id),
                    kind: "agenda_statutory_request",
                    title: format!("业主提议召开临时业主大会：{}", a.agenda.title),
                    body: format!(
                        "附议业主 {} 人、专有部分面积 {} ㎡，已达总人数和总面积的 20%。依《业主大会和业主委员会指导规则》第二十一条，业主委员会应组织召开业主大会临时会议。",
                        cosigned.heads,
                        crate::roster::area::format(cosigned.area)
                    ),
                    link: Some(format!("/agendas/{}", a.agenda.id)),
                    created_by: None,
                },
                &committee,
            )
            .await?;
        }
    }
    txn.commit().await?;
    answer(&state, &actor, id).await
}

/// Apply a status move with its extra columns, conditional on the status read.
async fn apply_move(
    state: &AppState,
    actor: &Actor,
    a: &LoadedAgenda,
    m: AgendaMove,
    set: Vec<(agenda::Column, sea_orm::Value)>,
    detail: serde_json::Value,
) -> AppResult<()> {
    let from = a.status();
    let to = next_status(from, m).map_err(|(code, msg)| AppError::conflict(code, msg))?;
    let now = Utc::now();
    let txn = write_txn(&state.db).await?;
    let mut update = agenda::Entity::update_many()
        .col_expr(agenda::Column::Status, Expr::value(to.as_str()))
        .col_expr(agenda::Column::UpdatedAt, Expr::value(now));
    for (col, v) in set {
        update = update.col_expr(col, Expr::value(v));
    }
    let moved = update
        .filter(agenda::Column::Id.eq(a.agenda.id))
        .filter(agenda::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("agenda_changed", "the agenda changed meanwhile; reload it"));
    }
    let mut detail = detail;
    detail["from"] = json!(from.as_str());
    detail["to"] = json!(to.as_str());
    record(&txn, Some(actor), &a.agenda, &format!("agenda.{}", m.as_str()), detail).await?;
    txn.commit().await?;
    Ok(())
}

/// Put the agenda under deliberation.
#[utoipa::path(post, path = "/agendas/{id}/deliberate", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn deliberate(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ManageAgendas)?;
    apply_move(&state, &actor, &a, AgendaMove::Deliberate, Vec::new(), json!({})).await?;
    answer(&state, &actor, id).await
}

/// Record the decision, with the vote or questionnaire that settled it.
#[utoipa::path(post, path = "/agendas/{id}/decide", tag = "agendas", request_body = DecideRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<DecideRequest>,
) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ManageAgendas)?;
    let decision = required_text("decision", &req.decision, 20_000)?;
    if let Some(v) = req.vote_id {
        let held = vote::Entity::find_by_id(v).one(&state.db).await?.map(|v| v.compound_id);
        if !citable(&state, &a, held).await? {
            return Err(AppError::field("vote_id", "no such vote where this agenda lives"));
        }
    }
    if let Some(q) = req.questionnaire_id {
        let held = crate::entities::questionnaire::Entity::find_by_id(q).one(&state.db).await?.map(|q| q.compound_id);
        if !citable(&state, &a, held).await? {
            return Err(AppError::field("questionnaire_id", "no such questionnaire"));
        }
    }
    let set = vec![
        (agenda::Column::Decision, sea_orm::Value::from(decision.clone())),
        (agenda::Column::VoteId, sea_orm::Value::from(req.vote_id)),
        (agenda::Column::QuestionnaireId, sea_orm::Value::from(req.questionnaire_id)),
        (agenda::Column::DecidedAt, sea_orm::Value::from(Utc::now())),
    ];
    let detail = json!({ "decision": decision, "vote_id": req.vote_id, "questionnaire_id": req.questionnaire_id });
    apply_move(&state, &actor, &a, AgendaMove::Decide, set, detail).await?;
    answer(&state, &actor, id).await
}

/// Whether a vote or questionnaire held in compound `held` (`None`: no such thing) may settle `a`.
async fn citable(state: &AppState, a: &LoadedAgenda, held: Option<i64>) -> AppResult<bool> {
    let Some(held) = held else { return Ok(false) };
    let cited = compound::Entity::find_by_id(held).one(&state.db).await?;
    Ok(cited.is_some_and(|c| may_cite(a.agenda.compound_id, a.agenda.community_id, &c)))
}

/// Close a decided agenda.
#[utoipa::path(post, path = "/agendas/{id}/close", tag = "agendas", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
async fn close(State(state): State<AppState>, actor: Actor, Path(id): Path<i64>) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize(&actor, &a, Permission::ManageAgendas)?;
    let set = vec![(agenda::Column::ClosedAt, sea_orm::Value::from(Utc::now()))];
    apply_move(&state, &actor, &a, AgendaMove::Close, set, json!({})).await?;
    answer(&state, &actor, id).await
}

/// Withdraw an agenda, with the reason: those who manage it, or whoever opened a compound agenda.
#[utoipa::path(post, path = "/agendas/{id}/withdraw", tag = "agendas", request_body = WithdrawRequest,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AgendaView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn withdraw(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<WithdrawRequest>,
) -> AppResult<Json<AgendaView>> {
    let a = agenda_for(&state.db, &actor, id).await?;
    authorize_withdraw(&actor, &a)?;
    let reason = required_text("reason", &req.reason, 1000)?;
    let set = vec![
        (agenda::Column::WithdrawReason, sea_orm::Value::from(reason.clone())),
        (agenda::Column::ClosedAt, sea_orm::Value::from(Utc::now())),
    ];
    apply_move(&state, &actor, &a, AgendaMove::Withdraw, set, json!({ "reason": reason })).await?;
    answer(&state, &actor, id).await
}
