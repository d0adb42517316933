//! `/audit`: reading the trail.
use std::collections::{HashMap, HashSet};

use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{audit_event, vote},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Query},
    policy::{Permission, Role},
    tenancy::compound_for,
    votes::secrecy,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize, IntoParams)]
struct AuditQuery {
    compound_id: Option<i64>,
    /// At most this many events, newest first (default 100, at most 500).
    limit: Option<i64>,
    /// Only events older than this sequence number (for paging).
    before: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEventView {
    pub id: i64,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub community_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub subject: String,
    pub detail: serde_json::Value,
    pub hash: String,
}

/// The audit trail, newest first: all of it for administrators, their community's for secretaries.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEventView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Vec<AuditEventView>>> {
    let mut find = audit_event::Entity::find().order_by_desc(audit_event::Column::Seq);
    if let Some(cid) = q.compound_id {
        compound_for(&state.db, &actor, cid, Permission::ViewAudit).await?;
        find = find.filter(audit_event::Column::CompoundId.eq(cid));
    } else if !actor.is_admin() {
        let communities: Vec<i64> = actor
            .roles()
            .filter(|(r, m)| *r == Role::Secretary && m.compound_id.is_none())
            .filter_map(|(_, m)| m.community_id)
            .collect();
        if communities.is_empty() {
            return Err(AppError::Forbidden);
        }
        find = find.filter(audit_event::Column::CommunityId.is_in(communities));
    }
    if let Some(b) = q.before {
        find = find.filter(audit_event::Column::Seq.lt(b));
    }
    let events = find.limit(q.limit.unwrap_or(100).clamp(1, 500) as u64).all(&state.db).await?;
    let names: HashMap<i64, String> = user_names(&state.db, events.iter().filter_map(|e| e.actor_id)).await?;
    // A secret vote's ballot events lose what could tell a choice, whenever they were written.
    let ballot_votes: Vec<i64> = events
        .iter()
        .filter(|e| secrecy::is_ballot_event(&e.action))
        .filter_map(|e| e.subject.strip_prefix("vote:")?.parse().ok())
        .collect();
    let secret: HashSet<i64> = if ballot_votes.is_empty() {
        HashSet::new()
    } else {
        vote::Entity::find()
            .select_only()
            .column(vote::Column::Id)
            .filter(vote::Column::Id.is_in(ballot_votes))
            .filter(vote::Column::Secret.eq(true))
            .into_tuple::<i64>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect()
    };
    let redact = |e: &audit_event::Model| {
        secrecy::is_ballot_event(&e.action)
            && e.subject.strip_prefix("vote:").and_then(|v| v.parse().ok()).is_some_and(|v: i64| secret.contains(&v))
    };
    Ok(Json(
        events
            .into_iter()
            .map(|e| {
                let mut detail = serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null);
                if redact(&e) {
                    secrecy::redact_ballot_detail(&mut detail);
                }
                (e, detail)
            })
            .map(|(e, detail)| AuditEventView {
                id: e.id,
                seq: e.seq,
                at: e.at,
                actor: e.actor_id.and_then(|a| names.get(&a).cloned()),
                action: e.action,
                community_id: e.community_id,
                compound_id: e.compound_id,
                subject: e.subject,
                detail,
                hash: e.hash,
            })
            .collect(),
    ))
}
