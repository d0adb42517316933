//! `/audit`: reading the trail.
use std::collections::{HashMap, HashSet};

use axum::extract::State;
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    accounts::user_names,
    audit::{Told, sentence},
    auth::Actor,
    entities::{audit_event, vote},
    error::{AppError, AppResult, ErrorBody},
    http::AppState,
    http::extract::{Json, Query},
    i18n::Lang,
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
    /// The event as a sentence in the reader's language, with names and titles as written.
    pub text: String,
    pub action: String,
    pub community_id: Option<i64>,
    pub compound_id: Option<i64>,
    pub subject: String,
    pub detail: serde_json::Value,
    pub hash: String,
}

/// The audit trail, newest first: all of it for administrators, their community's for secretaries.
/// Each event is told as a sentence in the reader's language.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditEventView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    lang: Lang,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Vec<AuditEventView>>> {
    let events = events_in_scope(&state.db, &actor, &q).await?;
    let names: HashMap<i64, String> = user_names(&state.db, events.iter().filter_map(|e| e.actor_id)).await?;
    let secret = secret_ballot_votes(&state.db, &events).await?;
    Ok(Json(events.into_iter().map(|e| view(e, &names, &secret, lang)).collect()))
}

// The trail is read at the edge: what it may show depends on tenancy (whose compound) and on the
// votes (whose ballots are secret), both above the audit kernel.

/// The events `actor` may read, newest first: a compound's, their communities' as secretary, or
/// all of them for an administrator.
async fn events_in_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
    q: &AuditQuery,
) -> AppResult<Vec<audit_event::Model>> {
    let mut find = audit_event::Entity::find().order_by_desc(audit_event::Column::Seq);
    if let Some(cid) = q.compound_id {
        compound_for(db, actor, cid, Permission::ViewAudit).await?;
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
    Ok(find.limit(q.limit.unwrap_or(100).clamp(1, 500) as u64).all(db).await?)
}

/// The vote a ballot event is about.
fn ballot_vote(e: &audit_event::Model) -> Option<i64> {
    if !secrecy::is_ballot_event(&e.action) {
        return None;
    }
    e.subject.strip_prefix("vote:")?.parse().ok()
}

/// The secret votes among those the ballot events of `events` are about.
async fn secret_ballot_votes(db: &impl ConnectionTrait, events: &[audit_event::Model]) -> AppResult<HashSet<i64>> {
    let ballot_votes: Vec<i64> = events.iter().filter_map(ballot_vote).collect();
    if ballot_votes.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(vote::Entity::find()
        .select_only()
        .column(vote::Column::Id)
        .filter(vote::Column::Id.is_in(ballot_votes))
        .filter(vote::Column::Secret.eq(true))
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// An event as read, with its actor's name, told in `lang`. A secret vote's ballot events lose
/// what could tell a choice, whenever they were written, and are told from what is left.
fn view(e: audit_event::Model, names: &HashMap<i64, String>, secret: &HashSet<i64>, lang: Lang) -> AuditEventView {
    let mut detail = serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::Null);
    if ballot_vote(&e).is_some_and(|v| secret.contains(&v)) {
        secrecy::redact_ballot_detail(&mut detail);
    }
    let actor = e.actor_id.and_then(|a| names.get(&a).cloned());
    let told = Told { action: &e.action, subject: &e.subject, detail: &detail };
    AuditEventView {
        id: e.id,
        seq: e.seq,
        at: e.at,
        text: sentence(lang, &told, actor.as_deref()),
        actor,
        action: e.action,
        community_id: e.community_id,
        compound_id: e.compound_id,
        subject: e.subject,
        detail,
        hash: e.hash,
    }
}
