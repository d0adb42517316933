//! `/communities/{id}/concern-dashboard`: the secretary's view of open concerns across the
//! community, what is overdue, and how satisfied residents were with each party, month by month.
use std::collections::BTreeMap;

use axum::extract::State;
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect, prelude::Expr,
    sea_query::ExprTrait,
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::concerns::dashboard::{CategoryCount, ConcernDashboard, DashboardFilter, PartyCount, monthly_satisfaction};
use crate::concerns::{ConcernStatus, categories::categories_of};
use crate::{
    auth::Actor,
    entities::{community, compound, concern},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path, Query},
    policy::{PartyKind, Permission},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

/// Open concerns by party and category, the overdue count, and satisfaction per party by month.
#[utoipa::path(get, path = "/communities/{id}/concern-dashboard", tag = "concerns", security(("bearer" = [])),
    params(("id" = i64, Path), DashboardFilter),
    responses((status = 200, body = ConcernDashboard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
async fn dashboard(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Query(f): Query<DashboardFilter>,
) -> AppResult<Json<ConcernDashboard>> {
    let c = community::Entity::find_by_id(id).one(&state.db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(Permission::ViewConcernDashboard, c.id)?;
    if let Some(cp) = f.compound_id {
        compound::Entity::find_by_id(cp)
            .filter(compound::Column::CommunityId.eq(c.id))
            .one(&state.db)
            .await?
            .ok_or_else(|| AppError::field("compound_id", "no such compound"))?;
    }
    let scoped = || {
        let q = concern::Entity::find().filter(concern::Column::CommunityId.eq(c.id));
        match f.compound_id {
            Some(cp) => q.filter(concern::Column::CompoundId.eq(cp)),
            None => q,
        }
    };
    let open_statuses = ConcernStatus::OPEN.map(|s| s.as_str());
    let now = Utc::now();
    #[derive(FromQueryResult)]
    struct ByParty {
        assigned_kind: Option<String>,
        n: i64,
    }
    let by_party = scoped()
        .select_only()
        .column(concern::Column::AssignedKind)
        .column_as(Expr::col(concern::Column::Id).count(), "n")
        .filter(concern::Column::Status.is_in(open_statuses))
        .group_by(concern::Column::AssignedKind)
        .into_model::<ByParty>()
        .all(&state.db)
        .await?;
    #[derive(FromQueryResult)]
    struct ByCategory {
        category_id: i64,
        n: i64,
    }
    let by_category: BTreeMap<i64, i64> = scoped()
        .select_only()
        .column(concern::Column::CategoryId)
        .column_as(Expr::col(concern::Column::Id).count(), "n")
        .filter(concern::Column::Status.is_in(open_statuses))
        .group_by(concern::Column::CategoryId)
        .into_model::<ByCategory>()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|r| (r.category_id, r.n))
        .collect();
    let overdue = scoped()
        .filter(concern::Column::Status.is_in(open_statuses))
        .filter(concern::Column::DueAt.lt(now))
        .count(&state.db)
        .await? as i64;
    #[derive(FromQueryResult)]
    struct Rated {
        rated_at: Option<DateTime<Utc>>,
        assigned_kind: Option<String>,
        rating: Option<i32>,
    }
    // A year of ratings, three small columns each: bounded by time.
    let rated: Vec<(DateTime<Utc>, PartyKind, i32)> = scoped()
        .select_only()
        .columns([concern::Column::RatedAt, concern::Column::AssignedKind, concern::Column::Rating])
        .filter(concern::Column::Rating.is_not_null())
        .filter(concern::Column::RatedAt.gte(now - Duration::days(366)))
        .into_model::<Rated>()
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|r| Some((r.rated_at?, PartyKind::parse(r.assigned_kind.as_deref()?)?, r.rating?)))
        .collect();
    let categories = categories_of(&state.db, c.id).await?;
    let mut open_by_party: Vec<PartyCount> = by_party
        .into_iter()
        .map(|r| PartyCount { party_kind: r.assigned_kind.as_deref().and_then(PartyKind::parse), count: r.n })
        .collect();
    open_by_party.sort_by_key(|p| p.party_kind.map(|k| k.as_str()));
    Ok(Json(ConcernDashboard {
        open: open_by_party.iter().map(|p| p.count).sum(),
        overdue,
        open_by_party,
        open_by_category: categories
            .iter()
            .map(|cat| CategoryCount { category: cat.into(), count: by_category.get(&cat.id).copied().unwrap_or(0) })
            .collect(),
        satisfaction: monthly_satisfaction(&rated),
    }))
}
