//! What the verification screens send and receive: links and codes waiting for a second person,
//! with whether the caller may confirm them.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::rules::{self, PendingKind};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{compound, holder, invitation, link_request, proxy},
    error::AppResult,
    policy::PartyKind,
};

#[derive(Deserialize, ToSchema)]
pub struct LinkRequest {
    /// The account's user name or phone number.
    pub login: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    /// Shown once: only its hash is kept. It can be used once a second person of another party
    /// has confirmed it.
    pub code: String,
    pub confirmed: bool,
    pub holder_id: i64,
    pub holder_key: String,
    pub holder_name: String,
    pub compound_name: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
pub struct RedeemRequest {
    pub code: String,
}

/// An invitation code's state, without the code.
#[derive(Serialize, ToSchema)]
pub struct InvitationState {
    pub id: i64,
    pub holder_id: i64,
    pub holder_key: String,
    pub expires_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A link, code or proxy started by one person and waiting for a second of another party.
#[derive(Serialize, ToSchema)]
pub struct PendingConfirmation {
    pub kind: PendingKind,
    /// The link request's, invitation's or proxy's id.
    pub id: i64,
    pub compound_id: i64,
    pub holder_id: i64,
    pub holder_key: String,
    pub holder_name: String,
    /// The account that would gain the right: the one to link, or the proxy. A code names none
    /// until it is used.
    pub account_id: Option<i64>,
    pub account_name: Option<String>,
    pub requested_by: i64,
    pub requested_by_name: String,
    pub requested_party: Option<PartyKind>,
    pub requested_at: DateTime<Utc>,
    /// A proxy's period.
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
    /// Whether the caller may confirm it; when not, `refusal` says why (`own_request`,
    /// `same_party`, `own_account`, `party_required`).
    pub can_confirm: bool,
    pub refusal: Option<String>,
}

/// One pending item before names are attached.
pub struct Pending {
    pub kind: PendingKind,
    pub id: i64,
    pub holder_id: i64,
    pub account_id: Option<i64>,
    pub requested_by: i64,
    pub requested_party: Option<String>,
    pub requested_at: DateTime<Utc>,
    pub period: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Pending {
    pub fn of_link(r: &link_request::Model) -> Self {
        Pending {
            kind: PendingKind::Link,
            id: r.id,
            holder_id: r.holder_id,
            account_id: Some(r.user_id),
            requested_by: r.requested_by,
            requested_party: Some(r.requested_party.clone()),
            requested_at: r.requested_at,
            period: None,
        }
    }

    pub fn of_invitation(i: &invitation::Model) -> Self {
        Pending {
            kind: PendingKind::Invitation,
            id: i.id,
            holder_id: i.holder_id,
            account_id: None,
            requested_by: i.created_by,
            requested_party: i.issuer_party.clone(),
            requested_at: i.created_at,
            period: None,
        }
    }

    pub fn of_proxy(p: &proxy::Model) -> Self {
        Pending {
            kind: PendingKind::Proxy,
            id: p.id,
            holder_id: p.holder_id,
            account_id: Some(p.proxy_user_id),
            requested_by: p.created_by,
            requested_party: p.registrar_party.clone(),
            requested_at: p.created_at,
            period: Some((p.valid_from, p.valid_until)),
        }
    }
}

/// Describe pending items of compound `c` for `actor`, in a fixed number of queries.
pub async fn pending_views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    items: Vec<Pending>,
) -> AppResult<Vec<PendingConfirmation>> {
    let holders: HashMap<i64, holder::Model> = holder::Entity::find()
        .filter(holder::Column::Id.is_in(items.iter().map(|i| i.holder_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let people: Vec<i64> = items.iter().flat_map(|i| std::iter::once(i.requested_by).chain(i.account_id)).collect();
    let names = user_names(db, people).await?;
    let roles = actor.roles_in_compound(c);
    Ok(items
        .into_iter()
        .map(|i| {
            let party = i.requested_party.as_deref().and_then(PartyKind::parse);
            let mine = rules::parties(&roles, i.kind.permission());
            let verdict = match party {
                Some(k) => rules::second_person(i.requested_by, k, actor.user.id, &mine, i.account_id),
                None => Err(rules::Refusal::SameParty),
            };
            let h = holders.get(&i.holder_id);
            PendingConfirmation {
                kind: i.kind,
                id: i.id,
                compound_id: c.id,
                holder_id: i.holder_id,
                holder_key: h.map(|h| h.holder_key.clone()).unwrap_or_default(),
                holder_name: h.map(|h| h.name.clone()).unwrap_or_default(),
                account_id: i.account_id,
                account_name: i.account_id.and_then(|a| names.get(&a).cloned()),
                requested_by: i.requested_by,
                requested_by_name: names.get(&i.requested_by).cloned().unwrap_or_default(),
                requested_party: party,
                requested_at: i.requested_at,
                valid_from: i.period.map(|p| p.0),
                valid_until: i.period.map(|p| p.1),
                can_confirm: verdict.is_ok(),
                refusal: verdict.err().map(|r| r.code().to_owned()),
            }
        })
        .collect())
}
