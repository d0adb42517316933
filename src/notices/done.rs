//! A notice that asks someone to do something is read for them once they have done it, in the
//! same transaction as the deed: answering a questionnaire reads its notice, casting a ballot
//! reads the vote's, routing a concern reads the notice that it was raised.
//!
//! A notice is found by its kind and its link. The link of a notice the server writes names the
//! thing it is about (`/votes/3`, `/concerns/7`) and never changes, so it is a stable key that
//! every stored notice already carries; the kind says what the notice asks for, so a deed reads
//! only the notices that asked for it (casting a ballot reads the vote's notice, not its result).
//! A notice is read for the one who acted alone: the others it went to still have it to do.
use chrono::Utc;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryTrait, Statement,
    prelude::Expr,
    sea_query::{ExprTrait, Query, SubQueryStatement},
};

use crate::{
    entities::{notice, notice_recipient},
    error::AppResult,
};

/// Something a user does that a notice may have asked of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Deed {
    /// Answering a questionnaire. An anonymous one's notice is read as of when it was sent, so
    /// that no time is kept of when its reader answered (see `questionnaires::answers`).
    Answer { anonymous: bool },
    /// Casting a ballot, for oneself or as a proxy.
    Vote,
    /// Co-signing an agenda or joining its discussion.
    JoinAgenda,
    /// Taking up an agenda owners asked the committee to put to the assembly.
    TakeUpAgenda,
    /// Routing a raised concern to the party on duty.
    RouteConcern,
    /// Handling a concern routed (or reopened) to one's party: taking it on, replying, resolving.
    HandleConcern,
    /// The raiser's answer to a resolved concern: confirming, reopening or rating it.
    SettleConcern,
    /// Answering an invitation to a meeting.
    AnswerInvitation,
    /// Reporting an action item done, by the party responsible.
    ReportTask,
    /// Confirming an action item done or sending it back, by the convening office.
    ReviewTask,
    /// Answering for one's seat on a meeting's minutes: approving or returning them.
    SignMinutes,
    /// A household's acknowledgement of a convention in force, online or entered from paper: it
    /// is done for every owner of the household.
    Acknowledge,
}

impl Deed {
    /// The kinds of notice that ask for this deed.
    pub fn asked_by(self) -> &'static [&'static str] {
        match self {
            Deed::Answer { .. } => &["questionnaire"],
            // An extension moves the deadline of the same call to vote.
            Deed::Vote => &["vote_notice", "vote_extended"],
            Deed::JoinAgenda => &["agenda_opened"],
            Deed::TakeUpAgenda => &["agenda_statutory_request"],
            Deed::RouteConcern => &["concern_raised"],
            Deed::HandleConcern => &["concern_routed", "concern_reopened"],
            Deed::SettleConcern => &["concern_resolved"],
            Deed::AnswerInvitation => &["meeting_invited"],
            Deed::ReportTask => &["task_assigned", "task_returned", "task_overdue"],
            Deed::ReviewTask => &["task_reported"],
            Deed::SignMinutes => &["minutes_to_sign"],
            Deed::Acknowledge => &["convention_acknowledge"],
        }
    }

    /// Whether the time of the deed is kept as the time the notice was read.
    fn keeps_time(self) -> bool {
        !matches!(self, Deed::Answer { anonymous: true })
    }
}

/// `user_id` did `deed` on what `link` leads to: the notices of theirs that asked for it are read.
pub async fn done(db: &impl ConnectionTrait, user_id: i64, deed: Deed, link: &str) -> AppResult<()> {
    if let Some(s) = done_statement(db.get_database_backend(), deed, &[(user_id, link.to_owned())]) {
        db.execute_raw(s).await?;
    }
    Ok(())
}

/// [`done`] for many (user, link) pairs at once, as one statement for a caller that sends its
/// writes together; `None` when there are none.
pub fn done_statement(backend: DbBackend, deed: Deed, done: &[(i64, String)]) -> Option<Statement> {
    let mut links: Vec<&str> = done.iter().map(|(_, l)| l.as_str()).collect();
    links.sort_unstable();
    links.dedup();
    if links.is_empty() {
        return None;
    }
    // One branch per link, each with the users who acted on it: a batch of ballots is mostly one
    // vote, so this stays a few conditions however many cast.
    let mut any = Condition::any();
    for link in links {
        let users = done.iter().filter(|(_, l)| l == link).map(|(u, _)| *u);
        let asking = Query::select()
            .column(notice::Column::Id)
            .from(notice::Entity)
            .and_where(Expr::col(notice::Column::Link).eq(link))
            .and_where(Expr::col(notice::Column::Kind).is_in(deed.asked_by().iter().copied()))
            .to_owned();
        any = any.add(
            Condition::all()
                .add(notice_recipient::Column::NoticeId.in_subquery(asking))
                .add(notice_recipient::Column::UserId.is_in(users)),
        );
    }
    let at = if deed.keeps_time() {
        Expr::value(Utc::now())
    } else {
        let sent = Query::select()
            .column((notice::Entity, notice::Column::CreatedAt))
            .from(notice::Entity)
            .and_where(
                Expr::col((notice::Entity, notice::Column::Id))
                    .equals((notice_recipient::Entity, notice_recipient::Column::NoticeId)),
            )
            .to_owned();
        Expr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(sent)))
    };
    let read = notice_recipient::Entity::update_many()
        .col_expr(notice_recipient::Column::ReadAt, at)
        .filter(notice_recipient::Column::ReadAt.is_null())
        .filter(any);
    Some(read.build(backend))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    const ALL: [Deed; 12] = [
        Deed::Answer { anonymous: false },
        Deed::Vote,
        Deed::JoinAgenda,
        Deed::TakeUpAgenda,
        Deed::RouteConcern,
        Deed::HandleConcern,
        Deed::AnswerInvitation,
        Deed::SettleConcern,
        Deed::ReportTask,
        Deed::ReviewTask,
        Deed::SignMinutes,
        Deed::Acknowledge,
    ];

    /// Kinds that tell and ask for nothing: read only when their reader opens them.
    const TELLING: &[&str] = &[
        "meeting_announced",
        "meeting_postponed",
        "meeting_cancelled",
        "task_done",
        "vote_cancelled",
        "vote_result",
        "questionnaire_closed",
        "concern_passed_on",
        "concern_taken_on",
        "concern_replied",
        "concern_escalated",
        "concern_department_responded",
        "concern_became_agenda",
        "concern_discussed",
        "concern_task_done",
        "minutes_corrections_open",
        "minutes_published",
        "convention_consultation",
        "convention_answered",
        "convention_in_force",
        "convention_repealed",
        "convention_review_due",
        "holder_invitation",
        "holder_linked",
        "holder_unlinked",
        "account_recovered",
        "holder_proxy",
        "holder_proxy_revoked",
    ];

    #[test]
    fn every_kind_of_notice_either_asks_for_a_deed_or_only_tells() {
        let asking: Vec<&str> = ALL.iter().flat_map(|d| d.asked_by().iter().copied()).collect();
        for (key, _) in i18n::catalogue(Lang::En) {
            if let Some(kind) = key.strip_prefix("notice.").and_then(|k| k.strip_suffix(".title")) {
                let (asks, tells) = (asking.contains(&kind), TELLING.contains(&kind));
                assert!(asks != tells, "{kind}: asks for a deed {asks}, only tells {tells}");
            }
        }
        for kind in asking.iter().chain(TELLING) {
            assert!(i18n::template(Lang::En, &format!("notice.{kind}.title")).is_some(), "no notice {kind}");
        }
    }

    #[test]
    fn no_kind_is_read_by_two_deeds() {
        let mut kinds: Vec<&str> = ALL.iter().flat_map(|d| d.asked_by().iter().copied()).collect();
        let n = kinds.len();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), n);
    }

    #[test]
    fn a_batch_reads_with_one_statement_and_nothing_to_read_writes_nothing() {
        assert!(done_statement(DbBackend::Sqlite, Deed::Vote, &[]).is_none());
        let done = [(1, "/votes/3".to_owned()), (2, "/votes/3".to_owned()), (1, "/votes/4".to_owned())];
        let s = done_statement(DbBackend::Sqlite, Deed::Vote, &done).unwrap();
        assert!(s.sql.starts_with("UPDATE \"notice_recipients\""), "{}", s.sql);
        assert_eq!(s.sql.matches("\"link\" =").count(), 2, "one branch per link: {}", s.sql);
    }
}
