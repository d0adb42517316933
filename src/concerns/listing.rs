//! A compound's concerns, a page at a time.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QuerySelect, Select, prelude::Expr,
    sea_query::ExprTrait,
};

use super::{
    ConcernFilter, ConcernPage, ConcernSort, ConcernStatus, ConcernSummary, categories_of, excerpt, is_overdue,
};
use crate::{
    accounts::{PersonName, person_names},
    auth::Actor,
    db::sorted_page,
    entities::{compound, concern, concern_category, concern_photo},
    error::{AppError, AppResult},
    policy::{PartyKind, Permission},
    text::{PageWindow, page_window},
};

/// A compound's concerns, newest first, a page at a time. The three parties and the community
/// office see them all; anyone else sees their own.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    f: ConcernFilter,
) -> AppResult<ConcernPage> {
    let c = compound::Entity::find_by_id(compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let all = actor.authorize_compound(Permission::ViewConcerns, &c).is_ok();
    if !all {
        actor.authorize_compound(Permission::RaiseConcern, &c)?;
    }
    let now = Utc::now();
    let mine_only = (!all || f.mine == Some(true)).then_some(actor.user.id);
    let find = filtered(c.id, mine_only, &f, now);
    let window = page_window(f.page, f.per_page, 20, 50);
    let (rows, total) =
        sorted_page(db, find, sort_key(f.sort.unwrap_or_default()), concern::Column::Id, window).await?;
    let PageWindow { page, per_page, .. } = window;
    let categories: HashMap<i64, concern_category::Model> =
        categories_of(db, c.community_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let raisers: Vec<i64> = rows.iter().map(|r| r.raised_by).collect();
    let names = person_names(db, raisers).await?;
    let photos = photo_counts(db, rows.iter().map(|r| r.id).collect()).await?;
    let row = Row { viewer: actor.user.id, now, categories: &categories, names: &names, photos: &photos };
    let items = rows.iter().filter_map(|r| row.summary(r)).collect();
    Ok(ConcernPage { items, total, page, per_page })
}

/// The column a concern list is ordered by, and which way; ties go by id the same way.
fn sort_key(sort: ConcernSort) -> (concern::Column, Order) {
    use ConcernSort::*;
    let column = match sort {
        CreatedAt | CreatedAtDesc => concern::Column::CreatedAt,
        UpdatedAt | UpdatedAtDesc => concern::Column::UpdatedAt,
        DueAt | DueAtDesc => concern::Column::DueAt,
        Status | StatusDesc => concern::Column::Status,
    };
    let descending = matches!(sort, CreatedAtDesc | UpdatedAtDesc | DueAtDesc | StatusDesc);
    (column, if descending { Order::Desc } else { Order::Asc })
}

/// The concerns of compound `compound_id` that pass the filter (only those raised by
/// `raised_by`, when given).
fn filtered(
    compound_id: i64,
    raised_by: Option<i64>,
    f: &ConcernFilter,
    now: DateTime<Utc>,
) -> Select<concern::Entity> {
    let mut find = concern::Entity::find().filter(concern::Column::CompoundId.eq(compound_id));
    if let Some(u) = raised_by {
        find = find.filter(concern::Column::RaisedBy.eq(u));
    }
    if let Some(s) = f.status {
        find = find.filter(concern::Column::Status.eq(s));
    }
    if let Some(cat) = f.category_id {
        find = find.filter(concern::Column::CategoryId.eq(cat));
    }
    if let Some(k) = f.party_kind {
        find = find.filter(concern::Column::AssignedKind.eq(k.as_str()));
    }
    if f.overdue == Some(true) {
        find = find.filter(concern::Column::Status.is_in(ConcernStatus::OPEN)).filter(concern::Column::DueAt.lt(now));
    }
    find
}

/// How many photos each of the concerns carries.
async fn photo_counts(db: &impl ConnectionTrait, ids: Vec<i64>) -> AppResult<HashMap<i64, i64>> {
    #[derive(FromQueryResult)]
    struct Count {
        concern_id: i64,
        n: i64,
    }
    Ok(concern_photo::Entity::find()
        .select_only()
        .column(concern_photo::Column::ConcernId)
        .column_as(Expr::col(concern_photo::Column::Id).count(), "n")
        .filter(concern_photo::Column::ConcernId.is_in(ids))
        .group_by(concern_photo::Column::ConcernId)
        .into_model::<Count>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.concern_id, c.n))
        .collect())
}

/// What a line of the list is made from.
struct Row<'a> {
    viewer: i64,
    now: DateTime<Utc>,
    categories: &'a HashMap<i64, concern_category::Model>,
    names: &'a HashMap<i64, PersonName>,
    photos: &'a HashMap<i64, i64>,
}

impl Row<'_> {
    fn summary(&self, r: &concern::Model) -> Option<ConcernSummary> {
        Some(ConcernSummary {
            id: r.id,
            compound_id: r.compound_id,
            category: self.categories.get(&r.category_id)?.into(),
            excerpt: excerpt(&r.text, 80),
            status: r.status,
            assigned_kind: r.assigned_kind.as_deref().and_then(PartyKind::parse),
            overdue: is_overdue(r.status, r.due_at, self.now),
            due_at: r.due_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            raised_by_name: self.names.get(&r.raised_by).map(|p| p.name.clone()).unwrap_or_default(),
            raised_by_person: self.names.get(&r.raised_by).cloned().unwrap_or_default(),
            mine: r.raised_by == self.viewer,
            photos: self.photos.get(&r.id).copied().unwrap_or(0),
            rating: r.rating,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_unless_asked_otherwise() {
        assert!(matches!(sort_key(ConcernSort::default()), (concern::Column::CreatedAt, Order::Desc)));
        assert!(matches!(sort_key(ConcernSort::DueAt), (concern::Column::DueAt, Order::Asc)));
        assert!(matches!(sort_key(ConcernSort::StatusDesc), (concern::Column::Status, Order::Desc)));
    }
}
