//! Reading one's inbox, and the notices a party publishes to a compound (to everyone with a role
//! in it, or to chosen buildings' owners) with how many of their recipients have read them.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, prelude::Expr, sea_query::ExprTrait,
};
use serde_json::json;

use super::{
    NewNotice, NoticeText,
    audience::{owners_in, parse_ids, people_of_compound},
    publish_for, text,
    views::{InboxItem, NewPartyNotice, PublishedNotice},
};
use crate::{
    accounts::person_names,
    audit,
    auth::Actor,
    db::write_txn,
    entities::{building, compound, notice, notice_recipient, party},
    error::{AppError, AppResult},
    i18n::Lang,
    msg,
    policy::{self, PartyKind, Permission},
    tenancy::compound_for,
    text::required_text,
};

/// The kind of a notice a party wrote.
pub const PARTY_NOTICE: &str = "party_notice";
/// The most notices a compound's list returns, newest first.
const LIST_LIMIT: u64 = 100;
/// The most notices an inbox returns, newest first.
const INBOX_LIMIT: u64 = 200;

/// The names of the parties `ids`.
async fn parties(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, party::Model>> {
    crate::tenancy::parties_by_id(db, ids).await
}

/// `user_id`'s inbox, newest first (the latest [`INBOX_LIMIT`]), in `lang`.
pub async fn inbox(db: &impl ConnectionTrait, user_id: i64, lang: Lang) -> AppResult<Vec<InboxItem>> {
    let mine = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::UserId.eq(user_id))
        .order_by_desc(notice_recipient::Column::NoticeId)
        .limit(INBOX_LIMIT)
        .all(db)
        .await?;
    let notices: HashMap<i64, notice::Model> = notice::Entity::find()
        .filter(notice::Column::Id.is_in(mine.iter().map(|r| r.notice_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let parties = parties(db, notices.values().filter_map(|n| n.party_id)).await?;
    Ok(mine
        .into_iter()
        .filter_map(|r| {
            let n = notices.get(&r.notice_id)?;
            let (title, body) = text::shown(n, lang);
            let body_html = (n.kind == PARTY_NOTICE).then(|| crate::markdown::to_html(&body));
            Some(InboxItem {
                id: n.id,
                kind: n.kind.clone(),
                title,
                body,
                body_html,
                link: n.link.clone(),
                compound_id: n.compound_id,
                created_at: n.created_at,
                read_at: r.read_at,
                party_name: n.party_id.and_then(|p| parties.get(&p)).map(|p| p.name.clone()),
            })
        })
        .collect())
}

/// Mark notice `notice_id` in `user_id`'s inbox as read (the first reading is kept).
pub async fn mark_read(db: &impl ConnectionTrait, user_id: i64, notice_id: i64) -> AppResult<()> {
    let r = notice_recipient::Entity::find()
        .filter(notice_recipient::Column::NoticeId.eq(notice_id))
        .filter(notice_recipient::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.read_at.is_none() {
        notice_recipient::Entity::update_many()
            .col_expr(notice_recipient::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notice_recipient::Column::Id.eq(r.id))
            .filter(notice_recipient::Column::ReadAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Whether any of `actor`'s roles in `c` belongs to party `kind`.
fn speaks_for(actor: &Actor, c: &compound::Model, kind: PartyKind) -> bool {
    policy::speaks_for(&actor.roles_in_compound(c), kind)
}

#[derive(FromQueryResult)]
struct ReadCount {
    notice_id: i64,
    recipients: i64,
    read: i64,
}

/// Recipients and readers of each notice, in one grouped query.
async fn read_counts(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, (i64, i64)>> {
    let rows = notice_recipient::Entity::find()
        .select_only()
        .column(notice_recipient::Column::NoticeId)
        .column_as(Expr::col(notice_recipient::Column::Id).count(), "recipients")
        .column_as(Expr::col(notice_recipient::Column::ReadAt).count(), "read")
        .filter(notice_recipient::Column::NoticeId.is_in(ids.iter().copied()))
        .group_by(notice_recipient::Column::NoticeId)
        .into_model::<ReadCount>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.notice_id, (r.recipients, r.read))).collect())
}

/// The published notices as their readers see them.
async fn views(db: &impl ConnectionTrait, notices: Vec<notice::Model>) -> AppResult<Vec<PublishedNotice>> {
    let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
    let counts = read_counts(db, &ids).await?;
    let parties = parties(db, notices.iter().filter_map(|n| n.party_id)).await?;
    let authors = person_names(db, notices.iter().filter_map(|n| n.created_by)).await?;
    Ok(notices
        .into_iter()
        .map(|n| {
            let p = n.party_id.and_then(|id| parties.get(&id));
            let (recipients, read) = counts.get(&n.id).copied().unwrap_or((0, 0));
            PublishedNotice {
                id: n.id,
                party_kind: p.and_then(|p| PartyKind::parse(&p.kind)),
                party_name: p.map(|p| p.name.clone()),
                building_ids: parse_ids(n.building_ids.as_deref()),
                author: n.created_by.and_then(|u| authors.get(&u)).map(|p| p.name.clone()),
                author_person: n.created_by.and_then(|u| authors.get(&u).cloned()),
                title: n.title,
                body_html: crate::markdown::to_html(&n.body),
                body: n.body,
                created_at: n.created_at,
                recipients,
                read,
            }
        })
        .collect())
}

/// The notices the parties published in compound `compound_id`, newest first (at most
/// [`LIST_LIMIT`]), each with how many of its recipients have read it.
pub async fn list_published(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
) -> AppResult<Vec<PublishedNotice>> {
    let c = compound_for(db, actor, compound_id, Permission::ViewPublishedNotices).await?;
    let notices = notice::Entity::find()
        .filter(notice::Column::CompoundId.eq(c.id))
        .filter(notice::Column::Kind.eq(PARTY_NOTICE))
        .order_by_desc(notice::Column::Id)
        .limit(LIST_LIMIT)
        .all(db)
        .await?;
    views(db, notices).await
}

/// The buildings chosen, sorted and each once, when every one of them is in compound `c`.
async fn chosen_buildings(db: &impl ConnectionTrait, c: &compound::Model, ids: Option<&[i64]>) -> AppResult<Vec<i64>> {
    let mut buildings = ids.unwrap_or_default().to_vec();
    buildings.sort_unstable();
    buildings.dedup();
    if !buildings.is_empty() {
        let found = building::Entity::find()
            .filter(building::Column::CompoundId.eq(c.id))
            .filter(building::Column::Id.is_in(buildings.clone()))
            .count(db)
            .await?;
        if found as usize != buildings.len() {
            return Err(AppError::field("building_ids", msg!("building_outside_compound")));
        }
    }
    Ok(buildings)
}

/// Everyone with a role in `c`, or the chosen buildings' verified owners, but the author: the
/// count of readers is about everyone else.
async fn recipients(
    db: &impl ConnectionTrait,
    c: &compound::Model,
    buildings: &[i64],
    author: i64,
) -> AppResult<Vec<i64>> {
    let mut recipients = if buildings.is_empty() {
        people_of_compound(db, c).await?
    } else {
        owners_in(db, c.id, Some(buildings)).await?
    };
    recipients.retain(|&u| u != author);
    Ok(recipients)
}

/// Publish a notice as one's party: it lands in the inbox of everyone with a role in the compound,
/// or of the chosen buildings' verified owners.
pub async fn publish_party_notice(
    db: &DatabaseConnection,
    actor: &Actor,
    compound_id: i64,
    req: &NewPartyNotice,
) -> AppResult<PublishedNotice> {
    let c = compound_for(db, actor, compound_id, Permission::PublishNotices).await?;
    if !speaks_for(actor, &c, req.party) {
        return Err(AppError::Forbidden);
    }
    let title = required_text("title", &req.title, 200)?;
    let body = required_text("body", &req.body, 20_000)?;
    let buildings = chosen_buildings(db, &c, req.building_ids.as_deref()).await?;
    let p = crate::tenancy::party_of(db, &c, req.party).await?;
    let txn = write_txn(db).await?;
    let recipients = recipients(&txn, &c, &buildings, actor.user.id).await?;
    let scope =
        (!buildings.is_empty()).then(|| serde_json::to_string(&buildings)).transpose().map_err(anyhow::Error::from)?;
    let (community_id, compound_id, created_by) = (c.community_id, Some(c.id), Some(actor.user.id));
    let text = NoticeText::Written { title, body };
    let new = NewNotice { community_id, compound_id, kind: PARTY_NOTICE, text, link: None, created_by };
    let n = publish_for(&txn, new, p.as_ref().map(|p| p.id), scope, &recipients).await?;
    let detail = json!({ "party": req.party.as_str(), "title": n.title, "recipients": recipients.len(),
                         "buildings": buildings });
    audit::note(&txn, Some(actor.user.id), &n, "notice.published", detail).await?;
    txn.commit().await?;
    views(db, vec![n]).await?.pop().ok_or(AppError::NotFound)
}
