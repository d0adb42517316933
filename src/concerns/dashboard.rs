//! The secretary's dashboard of concerns: counts by party and category, and satisfaction by
//! month.
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{concerns::CategoryView, policy::PartyKind};

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
