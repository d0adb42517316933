//! The secretary's dashboard of concerns: counts by party and category, and satisfaction by
//! month.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect, Select,
    prelude::Expr, sea_query::ExprTrait,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    auth::Actor,
    concerns::{CategoryView, ConcernStatus, categories_of},
    entities::{community, compound, concern},
    error::{AppError, AppResult},
    msg,
    policy::{PartyKind, Permission},
};

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

/// Breach reports of one article in one month.
#[derive(Serialize, ToSchema, Debug, PartialEq)]
pub struct BreachCount {
    /// `YYYY-MM`, Beijing time.
    pub month: String,
    pub article: crate::conventions::BreachRef,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ConcernDashboard {
    pub open: i64,
    pub overdue: i64,
    /// Meetings' action items past their day and not confirmed done.
    pub overdue_tasks: i64,
    pub open_by_party: Vec<PartyCount>,
    pub open_by_category: Vec<CategoryCount>,
    /// The last twelve months, oldest first.
    pub satisfaction: Vec<MonthlySatisfaction>,
    /// Breach reports per convention article and month, the last twelve months, newest month
    /// first and the most reported article first within it.
    pub breaches: Vec<BreachCount>,
}

#[derive(Deserialize, IntoParams)]
pub struct DashboardFilter {
    /// One compound of the community only.
    pub compound_id: Option<i64>,
}

/// Open concerns of community `community_id` (or of one of its compounds) by party and category,
/// the overdue count, and satisfaction per party by month: the secretary's dashboard.
pub async fn dashboard(
    db: &impl ConnectionTrait,
    actor: &Actor,
    community_id: i64,
    f: DashboardFilter,
) -> AppResult<ConcernDashboard> {
    let c = community::Entity::find_by_id(community_id).one(db).await?.ok_or(AppError::NotFound)?;
    actor.authorize_community(Permission::ViewConcernDashboard, c.id)?;
    if let Some(cp) = f.compound_id {
        compound::Entity::find_by_id(cp)
            .filter(compound::Column::CommunityId.eq(c.id))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("compound_id", msg!("dashboard_compound_unknown")))?;
    }
    let scope = Scope { community_id: c.id, compound_id: f.compound_id, now: Utc::now() };
    let open_by_party = scope.open_by_party(db).await?;
    let by_category = scope.open_by_category(db).await?;
    let overdue = scope.overdue(db).await?;
    let overdue_tasks = crate::meetings::tasks::overdue_count(db, c.id, f.compound_id).await? as i64;
    let rated = scope.ratings_of_the_year(db).await?;
    let open_by_category = categories_of(db, c.id)
        .await?
        .iter()
        .map(|cat| CategoryCount { category: cat.into(), count: by_category.get(&cat.id).copied().unwrap_or(0) })
        .collect();
    Ok(ConcernDashboard {
        open: open_by_party.iter().map(|p| p.count).sum(),
        overdue,
        overdue_tasks,
        open_by_party,
        open_by_category,
        satisfaction: monthly_satisfaction(&rated),
        breaches: scope.breaches(db).await?,
    })
}

/// Reports counted by (month, convention, article), newest month first, most reported first.
fn breach_counts(reports: &[(DateTime<Utc>, i64, String)]) -> Vec<((String, i64, String), i64)> {
    let mut counts: BTreeMap<(String, i64, String), i64> = BTreeMap::new();
    for (at, convention, article) in reports {
        let month = crate::china_time::local(*at).format("%Y-%m").to_string();
        *counts.entry((month, *convention, article.clone())).or_default() += 1;
    }
    let mut out: Vec<_> = counts.into_iter().collect();
    out.sort_by(|(a, n), (b, m)| b.0.cmp(&a.0).then(m.cmp(n)).then(a.cmp(b)));
    out
}

/// The concerns a dashboard counts: a community's, or one compound's of it.
struct Scope {
    community_id: i64,
    compound_id: Option<i64>,
    now: DateTime<Utc>,
}

impl Scope {
    fn concerns(&self) -> Select<concern::Entity> {
        let q = concern::Entity::find().filter(concern::Column::CommunityId.eq(self.community_id));
        match self.compound_id {
            Some(cp) => q.filter(concern::Column::CompoundId.eq(cp)),
            None => q,
        }
    }

    fn open(&self) -> Select<concern::Entity> {
        self.concerns().filter(concern::Column::Status.is_in(ConcernStatus::OPEN))
    }

    /// Open concerns per party they are assigned to (`None`: not routed yet), in party order.
    async fn open_by_party(&self, db: &impl ConnectionTrait) -> AppResult<Vec<PartyCount>> {
        #[derive(FromQueryResult)]
        struct ByParty {
            assigned_kind: Option<String>,
            n: i64,
        }
        let rows = self
            .open()
            .select_only()
            .column(concern::Column::AssignedKind)
            .column_as(Expr::col(concern::Column::Id).count(), "n")
            .group_by(concern::Column::AssignedKind)
            .into_model::<ByParty>()
            .all(db)
            .await?;
        let mut counts: Vec<PartyCount> = rows
            .into_iter()
            .map(|r| PartyCount { party_kind: r.assigned_kind.as_deref().and_then(PartyKind::parse), count: r.n })
            .collect();
        counts.sort_by_key(|p| p.party_kind.map(|k| k.as_str()));
        Ok(counts)
    }

    /// Open concerns per category.
    async fn open_by_category(&self, db: &impl ConnectionTrait) -> AppResult<BTreeMap<i64, i64>> {
        #[derive(FromQueryResult)]
        struct ByCategory {
            category_id: i64,
            n: i64,
        }
        Ok(self
            .open()
            .select_only()
            .column(concern::Column::CategoryId)
            .column_as(Expr::col(concern::Column::Id).count(), "n")
            .group_by(concern::Column::CategoryId)
            .into_model::<ByCategory>()
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.category_id, r.n))
            .collect())
    }

    /// Open concerns past their time limit.
    async fn overdue(&self, db: &impl ConnectionTrait) -> AppResult<i64> {
        Ok(self.open().filter(concern::Column::DueAt.lt(self.now)).count(db).await? as i64)
    }

    /// The ratings of the last year: (rated at, party, rating).
    /// A year of breach reports, counted per article and month.
    async fn breaches(&self, db: &impl ConnectionTrait) -> AppResult<Vec<BreachCount>> {
        #[derive(FromQueryResult)]
        struct Reported {
            created_at: DateTime<Utc>,
            convention_id: Option<i64>,
            article_id: Option<String>,
        }
        let rows: Vec<(DateTime<Utc>, i64, String)> = self
            .concerns()
            .select_only()
            .columns([concern::Column::CreatedAt, concern::Column::ConventionId, concern::Column::ArticleId])
            .filter(concern::Column::ConventionId.is_not_null())
            .filter(concern::Column::CreatedAt.gte(self.now - Duration::days(366)))
            .into_model::<Reported>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.created_at, r.convention_id?, r.article_id?)))
            .collect();
        let counts = breach_counts(&rows);
        let pairs: Vec<(i64, String)> = counts.iter().map(|((_, c, a), _)| (*c, a.clone())).collect();
        let refs = crate::conventions::breach_refs(db, &pairs).await?;
        Ok(counts
            .into_iter()
            .filter_map(|((month, c, a), count)| {
                let article = refs.get(&(c, a.clone())).cloned()?;
                Some(BreachCount { month, article, count })
            })
            .collect())
    }

    async fn ratings_of_the_year(&self, db: &impl ConnectionTrait) -> AppResult<Vec<(DateTime<Utc>, PartyKind, i32)>> {
        #[derive(FromQueryResult)]
        struct Rated {
            rated_at: Option<DateTime<Utc>>,
            assigned_kind: Option<String>,
            rating: Option<i32>,
        }
        // A year of ratings, three small columns each: bounded by time.
        Ok(self
            .concerns()
            .select_only()
            .columns([concern::Column::RatedAt, concern::Column::AssignedKind, concern::Column::Rating])
            .filter(concern::Column::Rating.is_not_null())
            .filter(concern::Column::RatedAt.gte(self.now - Duration::days(366)))
            .into_model::<Rated>()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|r| Some((r.rated_at?, PartyKind::parse(r.assigned_kind.as_deref()?)?, r.rating?)))
            .collect())
    }
}

/// Average ratings per (month, party), from (rated at, party, rating). Months are Beijing time.
pub fn monthly_satisfaction(rows: &[(DateTime<Utc>, PartyKind, i32)]) -> Vec<MonthlySatisfaction> {
    let tz = crate::china_time::zone();
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn breach_reports_are_counted_per_article_and_beijing_month_newest_first() {
        let late_oct = Utc.with_ymd_and_hms(2026, 10, 31, 20, 0, 0).unwrap();
        let mid_oct = Utc.with_ymd_and_hms(2026, 10, 15, 4, 0, 0).unwrap();
        let reports = [
            (late_oct, 3, "a9".to_owned()),
            (late_oct, 3, "a9".to_owned()),
            (late_oct, 3, "a2".to_owned()),
            (mid_oct, 3, "a9".to_owned()),
            (mid_oct, 4, "a9".to_owned()),
        ];
        let counts = breach_counts(&reports);
        let key = |m: &str, c: i64, a: &str| (m.to_owned(), c, a.to_owned());
        assert_eq!(
            counts,
            vec![
                (key("2026-11", 3, "a9"), 2),
                (key("2026-11", 3, "a2"), 1),
                (key("2026-10", 3, "a9"), 1),
                (key("2026-10", 4, "a9"), 1),
            ]
        );
        assert!(breach_counts(&[]).is_empty());
    }

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
