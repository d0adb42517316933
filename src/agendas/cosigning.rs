//! Co-signing (附议) a compound agenda, once per holder, and the statutory request for a
//! temporary owners' assembly it becomes at 20 % of the area and of the heads.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect,
    prelude::Expr,
    sea_query::{ExprTrait, Query as SqlQuery},
};
use serde_json::json;

use super::{CosignProgress, LoadedAgenda, agenda_for, authorize, progress, statutory_request_reached};
use crate::{
    audit,
    auth::Actor,
    concerns::party_members,
    entities::{agenda, agenda_cosign, compound, holder, owner_link, unit},
    error::{AppError, AppResult, unique_conflict},
    msg,
    notices::{self, Deed, NewNotice},
    policy::{PartyKind, Permission},
    roster::area,
    votes::tally::Weight,
};

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
pub async fn my_holders(db: &impl ConnectionTrait, actor: &Actor, compound_id: i64) -> AppResult<Vec<i64>> {
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

/// Co-signing so far of a compound agenda, and whether one of the caller's holdings signed;
/// none for a community-wide agenda.
pub async fn cosign_progress(
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

/// Co-sign agenda `id` for the caller's holdings that have not yet, in the caller's transaction.
/// When the co-signers reach 20 % of the area and of the heads, the agenda becomes a statutory
/// request and the owners' committee is told.
pub async fn cosign(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<()> {
    let a = agenda_for(db, actor, id).await?;
    authorize(actor, &a, Permission::CosignAgendas)?;
    let Some(c) = a.compound.clone() else {
        return Err(AppError::conflict("cosign_needs_compound", msg!("cosign_needs_compound")));
    };
    if !a.status().is_active() {
        return Err(AppError::conflict("agenda_not_active", msg!("agenda_cosigning_closed")));
    }
    let holders = my_holders(db, actor, c.id).await?;
    if holders.is_empty() {
        return Err(AppError::Forbidden);
    }
    let now = Utc::now();
    let new = sign(db, &a.agenda, actor.user.id, holders, now).await?;
    let (cosigned, total) = cosign_weights(db, a.agenda.id, c.id).await?;
    let detail = json!({ "holders": new, "cosigned": { "heads": cosigned.heads, "area_centi": cosigned.area } });
    audit::note(db, Some(actor.user.id), &a.agenda, "agenda.cosigned", detail).await?;
    notices::done(db, actor.user.id, Deed::JoinAgenda, &format!("/agendas/{}", a.agenda.id)).await?;
    if statutory_request_reached(cosigned, total) && a.agenda.statutory_at.is_none() {
        mark_statutory(db, &a.agenda, &c, (cosigned, total), now).await?;
    }
    Ok(())
}

/// Sign for those of `holders` that have not signed; answers them, or refuses when none is left.
async fn sign(
    db: &impl ConnectionTrait,
    g: &agenda::Model,
    user_id: i64,
    holders: Vec<i64>,
    now: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    let signed: Vec<i64> = agenda_cosign::Entity::find()
        .filter(agenda_cosign::Column::AgendaId.eq(g.id))
        .filter(agenda_cosign::Column::HolderId.is_in(holders.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.holder_id)
        .collect();
    let new: Vec<i64> = holders.into_iter().filter(|h| !signed.contains(h)).collect();
    if new.is_empty() {
        return Err(AppError::conflict("already_cosigned", msg!("agenda_already_cosigned")));
    }
    let rows = new.iter().map(|&h| agenda_cosign::ActiveModel {
        agenda_id: Set(g.id),
        holder_id: Set(h),
        user_id: Set(user_id),
        created_at: Set(now),
        ..Default::default()
    });
    agenda_cosign::Entity::insert_many(rows)
        .exec(db)
        .await
        .map_err(unique_conflict("already_cosigned", msg!("agenda_already_cosigned")))?;
    Ok(new)
}

/// Mark the agenda a statutory request, once (《业主大会和业主委员会指导规则》 Art. 21), and tell
/// the owners' committee that it must call a temporary owners' assembly.
async fn mark_statutory(
    db: &impl ConnectionTrait,
    g: &agenda::Model,
    c: &compound::Model,
    (cosigned, total): (Weight, Weight),
    now: DateTime<Utc>,
) -> AppResult<()> {
    let marked = agenda::Entity::update_many()
        .col_expr(agenda::Column::StatutoryAt, Expr::value(now))
        .col_expr(agenda::Column::UpdatedAt, Expr::value(now))
        .filter(agenda::Column::Id.eq(g.id))
        .filter(agenda::Column::StatutoryAt.is_null());
    // Another co-sign reached the fifth first: the request is on record and the committee told.
    if marked.exec(db).await?.rows_affected == 0 {
        return Ok(());
    }
    let detail = json!({
        "cosigned": { "heads": cosigned.heads, "area_centi": cosigned.area },
        "total": { "heads": total.heads, "area_centi": total.area },
        "rule": "业主大会和业主委员会指导规则 第二十一条",
    });
    audit::note(db, None, g, "agenda.statutory_request", detail).await?;
    let committee = party_members(db, c, PartyKind::OwnersCommittee).await?;
    let params = json!({ "title": g.title, "heads": cosigned.heads, "area": area::format(cosigned.area) });
    let notice = NewNotice::in_compound(c, "agenda_statutory_request", params, format!("/agendas/{}", g.id));
    notices::publish(db, notice, &committee).await?;
    Ok(())
}
