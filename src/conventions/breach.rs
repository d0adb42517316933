//! Breach reports: a concern that names the article of a convention in force it says was broken,
//! routed to the party the convention names for enforcement (by default the property company).
//! The concern steps, mediation and escalation are the concerns'; here is only what the
//! convention answers: whether the article is in force where the report is made, and its number.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::{
    acknowledgement::applies_in,
    ops::{enforcer_of, load, parse_body},
    text,
    views::BreachRef,
};
use crate::{
    auth::Actor,
    entities::{compound, convention, convention_version},
    error::{AppError, AppResult},
    msg,
    policy::PartyKind,
};

/// The article a report is about, and the party that enforces it.
pub struct BreachTarget {
    pub article: BreachRef,
    pub enforcer: PartyKind,
}

/// The article `article_id` of convention `id` in force in compound `c`, as the caller reports a
/// breach of it: refused by field when the convention is not one the caller may see in force
/// there, or the article is not in its text in force.
pub async fn breach_target(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &compound::Model,
    id: i64,
    article_id: Option<&str>,
) -> AppResult<BreachTarget> {
    let unknown = || AppError::field("convention_id", msg!("convention_breach_not_in_force"));
    let l = match load(db, actor, id).await {
        Ok(l) => l,
        Err(AppError::NotFound | AppError::Forbidden) => return Err(unknown()),
        Err(e) => return Err(e),
    };
    let version = l.c.in_force_version.ok_or_else(unknown)?;
    if !applies_in(db, &l).await?.iter().any(|x| x.id == c.id) {
        return Err(unknown());
    }
    let article_id = article_id.ok_or_else(|| AppError::field("article_id", msg!("convention_no_article")))?;
    let labels = labels_of(db, &[(l.c.id, version)]).await?;
    let label = labels
        .get(&(l.c.id, article_id.to_owned()))
        .cloned()
        .ok_or_else(|| AppError::field("article_id", msg!("convention_no_article")))?;
    Ok(BreachTarget {
        article: BreachRef {
            convention_id: l.c.id,
            title: l.c.title.clone(),
            article_id: article_id.to_owned(),
            article_label: label,
        },
        enforcer: enforcer_of(&l.c),
    })
}

/// The numbers of every article of the given versions, by (convention, article id).
async fn labels_of(db: &impl ConnectionTrait, versions: &[(i64, i32)]) -> AppResult<HashMap<(i64, String), String>> {
    let mut out = HashMap::new();
    let rows = convention_version::Entity::find()
        .filter(convention_version::Column::ConventionId.is_in(versions.iter().map(|v| v.0)))
        .all(db)
        .await?;
    for r in rows.iter().filter(|r| versions.contains(&(r.convention_id, r.version))) {
        for n in text::numbered(&parse_body(&r.body)?) {
            out.insert((r.convention_id, n.id), n.label);
        }
    }
    Ok(out)
}

/// The articles reports point to, named as in the text in force (or last in force), in two queries.
pub async fn breach_refs(
    db: &impl ConnectionTrait,
    pairs: &[(i64, String)],
) -> AppResult<HashMap<(i64, String), BreachRef>> {
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    let conventions =
        convention::Entity::find().filter(convention::Column::Id.is_in(pairs.iter().map(|p| p.0))).all(db).await?;
    let versions: Vec<(i64, i32)> =
        conventions.iter().map(|c| (c.id, c.in_force_version.unwrap_or(c.version))).collect();
    let labels = labels_of(db, &versions).await?;
    Ok(pairs
        .iter()
        .filter_map(|(cid, aid)| {
            let c = conventions.iter().find(|c| c.id == *cid)?;
            let label = labels.get(&(*cid, aid.clone())).cloned().unwrap_or_else(|| aid.clone());
            Some((
                (*cid, aid.clone()),
                BreachRef {
                    convention_id: *cid,
                    title: c.title.clone(),
                    article_id: aid.clone(),
                    article_label: label,
                },
            ))
        })
        .collect())
}
