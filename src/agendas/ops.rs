use crate::agendas::{
    AgendaActions, AgendaMove, AgendaStatus, AgendaView, CosignProgress, moves_from, progress, withdraw_needs_managing,
};
use crate::{
    accounts::person_names,
    audit::{self, Event},
    auth::Actor,
    concerns::party_kinds,
    entities::{agenda, agenda_cosign, compound, concern_category, holder, membership, owner_link, unit},
    error::{AppError, AppResult},
    notices::{self, NewNotice},
    policy::{PartyKind, Permission, Role, RoleScope},
    votes::tally::Weight,
};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect,
    prelude::Expr,
    sea_query::{ExprTrait, Query as SqlQuery},
};
use serde_json::json;

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
pub fn authorize_withdraw(actor: &Actor, a: &LoadedAgenda) -> AppResult<()> {
    if withdraw_needs_managing(a.agenda.opened_by == actor.user.id, a.compound.is_none()) {
        authorize(actor, a, Permission::ManageAgendas)
    } else {
        Ok(())
    }
}

/// The parties an actor speaks for across a community (for community-wide agendas).
pub fn community_kinds(actor: &Actor, community_id: i64) -> Vec<PartyKind> {
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

pub async fn view(db: &impl ConnectionTrait, actor: &Actor, a: &LoadedAgenda) -> AppResult<AgendaView> {
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

pub async fn record(
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
pub async fn audience(db: &impl ConnectionTrait, g: &agenda::Model) -> AppResult<Vec<i64>> {
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

pub fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
