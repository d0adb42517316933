//! A compound's agendas and its community's, a page at a time.
use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QuerySelect, Select,
    prelude::Expr,
    sea_query::{ExprTrait, Func, LikeExpr},
};

use super::{AgendaFilter, AgendaPage, AgendaSort, AgendaSummary};
use crate::{
    auth::Actor,
    concerns::categories_of,
    db::sorted_page,
    entities::{agenda, agenda_comment, agenda_cosign, concern_category},
    error::AppResult,
    policy::{PartyKind, Permission},
    tenancy::compound_for,
    text::{PageWindow, page_window, search_words},
};

/// A compound's agendas and the community-wide ones, newest first, a page at a time.
pub async fn list(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
    f: AgendaFilter,
) -> AppResult<AgendaPage> {
    let c = compound_for(db, actor, compound_id, Permission::ViewAgendas).await?;
    let find = filtered(c.community_id, c.id, &f)?;
    let window = page_window(f.page, f.per_page, 20, 50);
    let (rows, total) = sorted_page(db, find, sort_key(f.sort.unwrap_or_default()), agenda::Column::Id, window).await?;
    let PageWindow { page, per_page, .. } = window;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let cosigners = cosigner_counts(db, ids.clone()).await?;
    let comments = comment_counts(db, ids).await?;
    let categories: HashMap<i64, concern_category::Model> =
        categories_of(db, c.community_id).await?.into_iter().map(|c| (c.id, c)).collect();
    let items = rows
        .iter()
        .map(|g| AgendaSummary {
            id: g.id,
            compound_id: g.compound_id,
            title: g.title.clone(),
            category: g.category_id.and_then(|id| categories.get(&id)).map(Into::into),
            party_kind: PartyKind::parse(&g.party_kind).unwrap_or(PartyKind::CommunityOffice),
            status: g.status,
            statutory_at: g.statutory_at,
            cosigners: cosigners.get(&g.id).copied().unwrap_or(0),
            comments: comments.get(&g.id).copied().unwrap_or(0),
            created_at: g.created_at,
        })
        .collect();
    Ok(AgendaPage { items, total, page, per_page })
}

/// The column an agenda list is ordered by, and which way; ties go by id the same way.
fn sort_key(sort: AgendaSort) -> (agenda::Column, Order) {
    use AgendaSort::*;
    let column = match sort {
        CreatedAt | CreatedAtDesc => agenda::Column::CreatedAt,
        Title | TitleDesc => agenda::Column::Title,
        Status | StatusDesc => agenda::Column::Status,
    };
    let descending = matches!(sort, CreatedAtDesc | TitleDesc | StatusDesc);
    (column, if descending { Order::Desc } else { Order::Asc })
}

/// The agendas of compound `compound_id` and the community-wide ones of `community_id` that pass
/// the filter; every search word must appear in the title or the description.
fn filtered(community_id: i64, compound_id: i64, f: &AgendaFilter) -> AppResult<Select<agenda::Entity>> {
    let mut find = agenda::Entity::find().filter(agenda::Column::CommunityId.eq(community_id)).filter(
        Condition::any().add(agenda::Column::CompoundId.eq(compound_id)).add(agenda::Column::CompoundId.is_null()),
    );
    if let Some(s) = f.status {
        find = find.filter(agenda::Column::Status.eq(s));
    }
    if let Some(cat) = f.category_id {
        find = find.filter(agenda::Column::CategoryId.eq(cat));
    }
    if let Some(k) = f.party_kind {
        find = find.filter(agenda::Column::PartyKind.eq(k.as_str()));
    }
    for w in search_words("q", f.q.as_deref())?.iter().map(|w| w.to_lowercase()) {
        let like = || LikeExpr::new(format!("%{}%", escape_like(&w))).escape('\\');
        find = find.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(agenda::Column::Title))).like(like()))
                .add(Expr::expr(Func::lower(Expr::col(agenda::Column::Description))).like(like())),
        );
    }
    Ok(find)
}

/// A word to look for with `LIKE`, its wildcards and escape character taken literally.
pub fn escape_like(word: &str) -> String {
    word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

#[derive(FromQueryResult)]
struct Count {
    agenda_id: i64,
    n: i64,
}

/// How many holders co-signed each of the agendas.
async fn cosigner_counts(db: &impl ConnectionTrait, ids: Vec<i64>) -> AppResult<HashMap<i64, i64>> {
    let rows = agenda_cosign::Entity::find().filter(agenda_cosign::Column::AgendaId.is_in(ids));
    count_per_agenda(db, rows, agenda_cosign::Column::AgendaId, agenda_cosign::Column::Id).await
}

/// How many comments, not hidden, each of the agendas has.
async fn comment_counts(db: &impl ConnectionTrait, ids: Vec<i64>) -> AppResult<HashMap<i64, i64>> {
    let rows = agenda_comment::Entity::find()
        .filter(agenda_comment::Column::AgendaId.is_in(ids))
        .filter(agenda_comment::Column::HiddenAt.is_null());
    count_per_agenda(db, rows, agenda_comment::Column::AgendaId, agenda_comment::Column::Id).await
}

/// How many of `rows` each agenda has, in one grouped query.
async fn count_per_agenda<E: EntityTrait>(
    db: &impl ConnectionTrait,
    rows: Select<E>,
    agenda: E::Column,
    id: E::Column,
) -> AppResult<HashMap<i64, i64>> {
    let counts = rows
        .select_only()
        .column_as(agenda, "agenda_id")
        .column_as(Expr::col(id).count(), "n")
        .group_by(agenda)
        .into_model::<Count>()
        .all(db)
        .await?;
    Ok(counts.into_iter().map(|c| (c.agenda_id, c.n)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_in_search_words_are_taken_literally() {
        assert_eq!(escape_like("50%_off\\"), "50\\%\\_off\\\\");
        assert_eq!(escape_like("北门"), "北门");
    }

    #[test]
    fn newest_first_unless_asked_otherwise() {
        assert!(matches!(sort_key(AgendaSort::default()), (agenda::Column::CreatedAt, Order::Desc)));
        assert!(matches!(sort_key(AgendaSort::Title), (agenda::Column::Title, Order::Asc)));
        assert!(matches!(sort_key(AgendaSort::StatusDesc), (agenda::Column::Status, Order::Desc)));
    }
}
