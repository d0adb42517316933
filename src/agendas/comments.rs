//! An agenda's discussion, with one level of replies. Comments by the three parties' members are
//! badged official; moderators hide a comment with a reason, and the thread shows who hid it
//! and why.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Expr,
};
use serde_json::json;

use crate::agendas::{CommentView, HiddenNote, HideRequest, NewComment, agenda_for, authorize};
use crate::{
    accounts::user_names,
    audit,
    auth::Actor,
    concerns::main_party,
    db::claim,
    entities::agenda_comment,
    error::{AppError, AppResult},
    msg,
    notices::{self, Deed},
    policy::{PartyKind, Permission},
    text::required_text,
};

/// The most comments a thread shows.
pub const MAX_COMMENTS: u64 = 1000;

/// One comment as `viewer` sees it; hidden bodies are kept only for moderators.
pub fn comment_view(
    c: &agenda_comment::Model,
    names: &HashMap<i64, String>,
    viewer: i64,
    moderator: bool,
) -> CommentView {
    CommentView {
        id: c.id,
        parent_id: c.parent_id,
        author_name: names.get(&c.author_id).cloned().unwrap_or_default(),
        official_kind: c.official_kind.as_deref().and_then(PartyKind::parse),
        official: c.official_kind.as_deref().and_then(PartyKind::parse).is_some(),
        body: if c.hidden_at.is_none() || moderator { Some(c.body.clone()) } else { None },
        created_at: c.created_at,
        hidden: c.hidden_at.map(|at| HiddenNote {
            by_name: c.hidden_by.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
            reason: c.hidden_reason.clone().unwrap_or_default(),
            at,
        }),
        mine: c.author_id == viewer,
        replies: Vec::new(),
    }
}

/// Nest replies under their comments, oldest first.
pub fn thread(
    rows: Vec<agenda_comment::Model>,
    names: &HashMap<i64, String>,
    viewer: i64,
    moderator: bool,
) -> Vec<CommentView> {
    let view = |c: &agenda_comment::Model| comment_view(c, names, viewer, moderator);
    let mut top: Vec<CommentView> = rows.iter().filter(|c| c.parent_id.is_none()).map(view).collect();
    let index: HashMap<i64, usize> = top.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    for r in rows.iter().filter(|c| c.parent_id.is_some()) {
        if let Some(&i) = r.parent_id.and_then(|p| index.get(&p)) {
            top[i].replies.push(view(r));
        }
    }
    top
}

/// The discussion of agenda `id`, oldest first, replies under their comments.
pub async fn list_comments(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vec<CommentView>> {
    let a = agenda_for(db, actor, id).await?;
    let rows = agenda_comment::Entity::find()
        .filter(agenda_comment::Column::AgendaId.eq(a.agenda.id))
        .order_by_asc(agenda_comment::Column::Id)
        .limit(MAX_COMMENTS)
        .all(db)
        .await?;
    let people: Vec<i64> = rows.iter().flat_map(|c| [Some(c.author_id), c.hidden_by]).flatten().collect();
    let names = user_names(db, people).await?;
    let moderator = authorize(actor, &a, Permission::ModerateAgendas).is_ok();
    Ok(thread(rows, &names, actor.user.id, moderator))
}

/// Add a comment to agenda `id`, or a reply to a top-level comment, while it is discussed. A
/// party member's comment is official.
pub async fn add_comment(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: NewComment) -> AppResult<CommentView> {
    let a = agenda_for(db, actor, id).await?;
    authorize(actor, &a, Permission::CommentAgendas)?;
    if !a.status().is_active() {
        return Err(AppError::conflict("agenda_not_active", msg!("agenda_discussion_closed")));
    }
    let body = required_text("body", &req.body, 5000)?;
    if let Some(p) = req.parent_id {
        let parent = agenda_comment::Entity::find_by_id(p)
            .filter(agenda_comment::Column::AgendaId.eq(a.agenda.id))
            .one(db)
            .await?
            .ok_or_else(|| AppError::field("parent_id", msg!("agenda_comment_unknown")))?;
        if parent.parent_id.is_some() {
            return Err(AppError::field("parent_id", msg!("agenda_reply_to_top")));
        }
    }
    let row = agenda_comment::Entity::insert(agenda_comment::ActiveModel {
        agenda_id: Set(a.agenda.id),
        parent_id: Set(req.parent_id),
        author_id: Set(actor.user.id),
        body: Set(body),
        official_kind: Set(main_party(&a.kinds).map(|k| k.as_str().into())),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let detail = json!({ "comment_id": row.id, "parent_id": row.parent_id, "official": row.official_kind });
    audit::note(db, Some(actor.user.id), &a.agenda, "agenda.commented", detail).await?;
    notices::done(db, actor.user.id, Deed::JoinAgenda, &format!("/agendas/{}", a.agenda.id)).await?;
    let names = HashMap::from([(actor.user.id, actor.user.display_name.clone())]);
    Ok(comment_view(&row, &names, actor.user.id, false))
}

/// Hide comment `comment_id` of agenda `id` from the discussion, with the reason: the secretary,
/// or the owners' committee of the agenda's compound (a community-wide agenda is moderated by
/// the secretary alone).
pub async fn hide_comment(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    comment_id: i64,
    req: HideRequest,
) -> AppResult<()> {
    let a = agenda_for(db, actor, id).await?;
    authorize(actor, &a, Permission::ModerateAgendas)?;
    let reason = required_text("reason", &req.reason, 500)?;
    let c = agenda_comment::Entity::find_by_id(comment_id)
        .filter(agenda_comment::Column::AgendaId.eq(a.agenda.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let hidden = agenda_comment::Entity::update_many()
        .col_expr(agenda_comment::Column::HiddenAt, Expr::value(Utc::now()))
        .col_expr(agenda_comment::Column::HiddenBy, Expr::value(actor.user.id))
        .col_expr(agenda_comment::Column::HiddenReason, Expr::value(reason.clone()))
        .filter(agenda_comment::Column::Id.eq(c.id))
        .filter(agenda_comment::Column::HiddenAt.is_null());
    claim(db, hidden, || AppError::conflict("already_hidden", msg!("comment_already_hidden"))).await?;
    let detail = json!({ "comment_id": c.id, "author_id": c.author_id, "reason": reason });
    audit::note(db, Some(actor.user.id), &a.agenda, "agenda.comment_hidden", detail).await
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn row(id: i64, parent: Option<i64>, hidden: bool) -> agenda_comment::Model {
        agenda_comment::Model {
            id,
            agenda_id: 1,
            parent_id: parent,
            author_id: 7,
            body: format!("c{id}"),
            official_kind: None,
            created_at: Utc::now(),
            hidden_at: hidden.then(Utc::now),
            hidden_by: hidden.then_some(8),
            hidden_reason: hidden.then(|| "广告".into()),
        }
    }

    #[test]
    fn replies_nest_under_their_comment_and_hidden_bodies_are_withheld() {
        let names = HashMap::from([(7, "王".to_owned()), (8, "李书记".to_owned())]);
        let t = thread(vec![row(1, None, false), row(2, None, true), row(3, Some(1), false)], &names, 7, false);
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].replies.len(), 1);
        assert_eq!(t[0].replies[0].id, 3);
        assert_eq!(t[1].body, None);
        let h = t[1].hidden.as_ref().unwrap();
        assert_eq!((h.by_name.as_str(), h.reason.as_str()), ("李书记", "广告"));
        let m = thread(vec![row(2, None, true)], &names, 8, true);
        assert_eq!(m[0].body.as_deref(), Some("c2"));
    }
}
