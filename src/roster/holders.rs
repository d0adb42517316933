//! Holders as the API shows them (with their units, areas and verified accounts), and the largest
//! roster file accepted.
use crate::area;
use crate::{
    accounts::UserView,
    entities::{compound, holder, owner_link, unit, user},
    error::AppResult,
    tenancy::CompoundRow,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// The largest roster file accepted.
pub const MAX_ROSTER_BYTES: usize = 10 * 1024 * 1024;

/// A holder of the roster: the unit of headcount.
#[derive(Serialize, ToSchema)]
pub struct HolderView {
    pub id: i64,
    pub compound_id: i64,
    pub holder_key: String,
    pub name: String,
    pub phone: Option<String>,
    /// The developer's unsold units, counted together as one head.
    pub is_developer: bool,
    pub units: i64,
    pub area: String,
    /// Accounts verified as this holder.
    pub linked_users: Vec<UserView>,
}

/// Holder `holder_id` of compound `c` as the audit trail names it (`holder:7`).
pub fn holder_subject(holder_id: i64, c: &compound::Model) -> CompoundRow<'_> {
    CompoundRow { table: "holder", id: holder_id, compound: c }
}

/// Describe holders with their units, area and verified accounts, in a fixed number of queries.
pub async fn holder_views(db: &impl ConnectionTrait, holders: Vec<holder::Model>) -> AppResult<Vec<HolderView>> {
    let ids: Vec<i64> = holders.iter().map(|h| h.id).collect();
    let units = unit::Entity::find().filter(unit::Column::HolderId.is_in(ids.clone())).all(db).await?;
    let mut per: HashMap<i64, (i64, i64)> = HashMap::new();
    for u in &units {
        let e = per.entry(u.holder_id).or_default();
        e.0 += 1;
        e.1 += u.area_centi;
    }
    let links = owner_link::Entity::find().filter(owner_link::Column::HolderId.is_in(ids)).all(db).await?;
    let users: HashMap<i64, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(links.iter().map(|l| l.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(holders
        .into_iter()
        .map(|h| {
            let (n, a) = per.get(&h.id).copied().unwrap_or_default();
            HolderView {
                linked_users: links
                    .iter()
                    .filter(|l| l.holder_id == h.id)
                    .filter_map(|l| users.get(&l.user_id).map(UserView::from))
                    .collect(),
                id: h.id,
                compound_id: h.compound_id,
                holder_key: h.holder_key,
                name: h.name,
                phone: h.phone,
                is_developer: h.is_developer,
                units: n,
                area: area::format(a),
            }
        })
        .collect())
}
