//! `/compounds/{id}/notices`: notices a party publishes to everyone in the compound (or to chosen
//! buildings' owners), and how many of their recipients have read them.
use std::collections::HashMap;

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    prelude::Expr, sea_query::ExprTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::notices::{NewNotice, publish_for};
use crate::{
    accounts::{PersonName, person_names},
    audit::{self, Event},
    auth::Actor,
    db::write_txn,
    entities::{building, compound, notice, notice_recipient, party},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Path},
    policy::{PartyKind, Permission, Role, RoleScope},
    questionnaires::lifecycle::{owners_in, parse_ids, people_of_compound},
    tenancy::compound_for,
    text::required_text,
};

/// The kind of a notice a party wrote.
pub const PARTY_NOTICE: &str = "party_notice";
/// The most notices a list returns, newest first.
const LIST_LIMIT: u64 = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_published, publish_notice))
}

#[derive(Deserialize, ToSchema)]
pub struct NewPartyNotice {
    /// The party that speaks; the author must hold a role in it here.
    pub party: PartyKind,
    pub title: String,
    /// Markdown; the app renders it without HTML.
    pub body: String,
    /// Send only to the verified owners of these buildings; absent or empty for everyone with a
    /// role in the compound.
    pub building_ids: Option<Vec<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedNotice {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub party_kind: Option<PartyKind>,
    pub party_name: Option<String>,
    pub building_ids: Option<Vec<i64>>,
    pub author: Option<String>,
    /// The name with its official badge, from the person's memberships.
    pub author_person: Option<PersonName>,
    pub created_at: DateTime<Utc>,
    /// People it was delivered to.
    pub recipients: i64,
    /// Of them, how many have opened it.
    pub read: i64,
}

/// Whether any of `actor`'s roles in `c` belongs to party `kind`.
fn speaks_for(actor: &Actor, c: &compound::Model, kind: PartyKind) -> bool {
    actor.roles_in_compound(c).into_iter().any(|r| match (r.scope(), kind) {
        (RoleScope::Community, PartyKind::CommunityOffice) => matches!(r, Role::Secretary | Role::CommunityStaff),
        (RoleScope::Party(k), _) => k == kind,
        _ => false,
    })
}

/// The party of `kind` that serves compound `c` (the community office is the community's).
async fn party_of(db: &impl ConnectionTrait, c: &compound::Model, kind: PartyKind) -> AppResult<Option<party::Model>> {
    let find = party::Entity::find().filter(party::Column::Kind.eq(kind.as_str()));
    let find = match kind {
        PartyKind::CommunityOffice => {
            find.filter(party::Column::CommunityId.eq(c.community_id)).filter(party::Column::CompoundId.is_null())
        }
        _ => find.filter(party::Column::CompoundId.eq(c.id)),
    };
    Ok(find.one(db).await?)
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

async fn views(db: &impl ConnectionTrait, notices: Vec<notice::Model>) -> AppResult<Vec<PublishedNotice>> {
    let ids: Vec<i64> = notices.iter().map(|n| n.id).collect();
    let counts = read_counts(db, &ids).await?;
    let parties: HashMap<i64, party::Model> = party::Entity::find()
        .filter(party::Column::Id.is_in(notices.iter().filter_map(|n| n.party_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
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
                body: n.body,
                created_at: n.created_at,
                recipients,
                read,
            }
        })
        .collect())
}

/// The notices the parties published in the compound, newest first (at most 100), each with how
/// many of its recipients have read it.
#[utoipa::path(get, path = "/compounds/{id}/notices", tag = "notices", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PublishedNotice>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_published(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<PublishedNotice>>> {
    let c = compound_for(&state.db, &actor, id, Permission::ViewPublishedNotices).await?;
    let notices = notice::Entity::find()
        .filter(notice::Column::CompoundId.eq(c.id))
        .filter(notice::Column::Kind.eq(PARTY_NOTICE))
        .order_by_desc(notice::Column::Id)
        .limit(LIST_LIMIT)
        .all(&state.db)
        .await?;
    Ok(Json(views(&state.db, notices).await?))
}

/// Publish a notice as one's party: it lands in the inbox of everyone with a role in the compound,
/// or of the chosen buildings' verified owners.
#[utoipa::path(post, path = "/compounds/{id}/notices", tag = "notices", request_body = NewPartyNotice,
    security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = PublishedNotice), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish_notice(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<i64>,
    Json(req): Json<NewPartyNotice>,
) -> AppResult<(StatusCode, Json<PublishedNotice>)> {
    let c = compound_for(&state.db, &actor, id, Permission::PublishNotices).await?;
    if !speaks_for(&actor, &c, req.party) {
        return Err(AppError::Forbidden);
    }
    let title = required_text("title", &req.title, 200)?;
    let body = required_text("body", &req.body, 20_000)?;
    let mut buildings = req.building_ids.clone().unwrap_or_default();
    buildings.sort_unstable();
    buildings.dedup();
    if !buildings.is_empty() {
        let found = building::Entity::find()
            .filter(building::Column::CompoundId.eq(c.id))
            .filter(building::Column::Id.is_in(buildings.clone()))
            .count(&state.db)
            .await?;
        if found as usize != buildings.len() {
            return Err(AppError::field("building_ids", "a building is not in this compound"));
        }
    }
    let p = party_of(&state.db, &c, req.party).await?;
    let txn = write_txn(&state.db).await?;
    let mut recipients = if buildings.is_empty() {
        people_of_compound(&txn, &c).await?
    } else {
        owners_in(&txn, c.id, Some(&buildings)).await?
    };
    // The author wrote it; the count of readers is about everyone else.
    recipients.retain(|&u| u != actor.user.id);
    let scope =
        (!buildings.is_empty()).then(|| serde_json::to_string(&buildings)).transpose().map_err(anyhow::Error::from)?;
    let n = publish_for(
        &txn,
        NewNotice {
            community_id: c.community_id,
            compound_id: Some(c.id),
            kind: PARTY_NOTICE,
            title,
            body,
            link: None,
            created_by: Some(actor.user.id),
        },
        p.as_ref().map(|p| p.id),
        scope,
        &recipients,
    )
    .await?;
    audit::record(
        &txn,
        Event {
            actor_id: Some(actor.user.id),
            action: "notice.published",
            community_id: Some(c.community_id),
            compound_id: Some(c.id),
            subject: format!("notice:{}", n.id),
            detail: json!({ "party": req.party.as_str(), "title": n.title, "recipients": recipients.len(),
                            "buildings": buildings }),
        },
    )
    .await?;
    txn.commit().await?;
    let out = views(&state.db, vec![n]).await?.pop().ok_or(AppError::NotFound)?;
    Ok((StatusCode::CREATED, Json(out)))
}
