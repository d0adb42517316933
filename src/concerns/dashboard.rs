//! `/communities/{id}/concern-dashboard`: the secretary's view of open concerns across the
//! community, what is overdue, and how satisfied residents were with each party, month by month.
use std::collections::BTreeMap;

use axum::extract::State;
use chrono::{DateTime, Duration, FixedOffset, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect, prelude::Expr,
    sea_query::ExprTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{CategoryView, ConcernStatus, categories::categories_of};
use crate::{
    auth::Actor,
    entities::{community, compound, concern},
    error::{AppError, AppResult, ErrorBody},
    extract::{Json, Path, Query},
    policy::{PartyKind, Permission},
    state::AppState,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard))
}

#[derive(Serialize, ToSchema)]
pub struct PartyCount {
    /// `null`: not routed yet.
    pub party_kind: Option<PartyKind>,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CategoryCount {
    pub category: CategoryView,
    pub count: i64,
}

#[derive(Serialize, ToSchema, Debug, PartialEq)]
pub struct MonthlySatisfaction {
    /// `YYYY-MM`, Beijing time.
    pub month: String,
    pub party_kind: PartyKind,
    pub ratings: i64,
    /// Sum of the ratings; the average is `sum / ratings`.
    pub sum: i64,
    /// The average rating, two decimals, for display.
    pub average: f64,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernDashboard {
    pub open: i64,
    pub overdue: i64,
    pub open_by_party: Vec<PartyCount>,
    pub open_by_category: Vec<CategoryCount>,
    /// The last twelve months, oldest first.
    pub satisfaction: Vec<MonthlySatisfaction>,
}

#[derive(Deserialize, IntoParams)]
pub struct DashboardFilter {
    /// One compound of the community only.
    pub compound_id: Option<i64>,
}

/// Average ratings per (month, party), from (rated at, party, rating). Months are Beijing time.
pub fn monthly_satisfaction(rows: &[(DateTime<Utc>, PartyKind, i32)]) -> Vec<MonthlySatisfaction> {
    let tz = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let mut groups: BTreeMap<(String, &'static str), (PartyKind, i64, i64)> = BTreeMap::new();
    for (at, kind, rating) in rows {
        let month = at.with_timezone(&tz).format("%Y-%m").to_string();
        let e = groups.entry((month, kind.as_str())).or_insert((*kind, 0, 0));
        e.1 += 1;
        e.2 += *rating as i64;
    }
    groups
        .into_iter()
        .map(|((month, _), (party_kind, ratings, sum))| MonthlySatisfaction {
            month,
            party_kind,
            ratings,
            sum,
            average: ((sum * 100 / ratings) as f64 + if (sum * 100) % ratings * 2 >= ratings { 1.0 } else { 0.0 })
                / 100.0,
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn ratings_are_averaged_per_party_and_beijing_month() {
        // 2026-10-31 20:00 UTC is already November in Beijing.
        let late_oct = Utc.with_ymd_and_hms(2026, 10, 31, 20, 0, 0).unwrap();
        let mid_oct = Utc.with_ymd_and_hms(2026, 10, 15, 8, 0, 0).unwrap();
        let rows = [
            (mid_oct, PartyKind::PropertyCompany, 2),
            (mid_oct, PartyKind::PropertyCompany, 3),
            (late_oct, PartyKind::PropertyCompany, 5),
            (mid_oct, PartyKind::OwnersCommittee, 4),
        ];
        let out = monthly_satisfaction(&rows);
        let find = |m: &str, k: PartyKind| out.iter().find(|s| s.month == m && s.party_kind == k).unwrap();
        assert_eq!(find("2026-10", PartyKind::PropertyCompany).ratings, 2);
        assert_eq!(find("2026-10", PartyKind::PropertyCompany).average, 2.5);
        assert_eq!(find("2026-11", PartyKind::PropertyCompany).average, 5.0);
        assert_eq!(find("2026-10", PartyKind::OwnersCommittee).sum, 4);
        assert_eq!(out.len(), 3);
        assert!(out.windows(2).all(|w| w[0].month <= w[1].month));
    }

    #[test]
    fn averages_round_to_two_decimals() {
        let t = Utc::now();
        let rows = [
            (t, PartyKind::PropertyCompany, 5),
            (t, PartyKind::PropertyCompany, 4),
            (t, PartyKind::PropertyCompany, 4),
        ];
        assert_eq!(monthly_satisfaction(&rows)[0].average, 4.33);
        let rows = [
            (t, PartyKind::PropertyCompany, 5),
            (t, PartyKind::PropertyCompany, 5),
            (t, PartyKind::PropertyCompany, 4),
        ];
        assert_eq!(monthly_satisfaction(&rows)[0].average, 4.67);
    }
}
