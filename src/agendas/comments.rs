use crate::agendas::{CommentView, HiddenNote};
use crate::{entities::agenda_comment, policy::PartyKind};
use std::collections::HashMap;

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
