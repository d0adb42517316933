//! The pure rules of agendas: which move may follow which status, who withdraws, what may settle
//! an agenda, and when co-signers make a statutory request.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::CosignProgress;
pub use crate::entities::agenda::AgendaStatus;
use crate::{
    entities::compound,
    i18n::Msg,
    msg,
    roster::area,
    votes::tally::{Weight, at_least},
};

impl AgendaStatus {
    /// Still being discussed: co-signs and comments are taken.
    pub fn is_active(self) -> bool {
        matches!(self, AgendaStatus::Open | AgendaStatus::Deliberating)
    }
}

/// A move of an agenda's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgendaMove {
    Deliberate,
    Decide,
    Close,
    Withdraw,
}

impl AgendaMove {
    /// Every move, in the order of an agenda's life.
    pub const ALL: [AgendaMove; 4] =
        [AgendaMove::Deliberate, AgendaMove::Decide, AgendaMove::Close, AgendaMove::Withdraw];

    /// The move as named on the audit chain.
    pub fn as_str(self) -> &'static str {
        match self {
            AgendaMove::Deliberate => "deliberate",
            AgendaMove::Decide => "decide",
            AgendaMove::Close => "close",
            AgendaMove::Withdraw => "withdraw",
        }
    }
}

/// The status after `m`, or why it cannot be made: (code, message).
pub fn next_status(status: AgendaStatus, m: AgendaMove) -> Result<AgendaStatus, (&'static str, Msg)> {
    use AgendaStatus as S;
    match (m, status) {
        (AgendaMove::Deliberate, S::Open) => Ok(S::Deliberating),
        (AgendaMove::Decide, S::Open | S::Deliberating) => Ok(S::Decided),
        (AgendaMove::Close, S::Decided) => Ok(S::Closed),
        (AgendaMove::Withdraw, S::Open | S::Deliberating) => Ok(S::Withdrawn),
        (AgendaMove::Deliberate, _) => Err(("agenda_not_open", msg!("agenda_not_open"))),
        (AgendaMove::Close, _) => Err(("agenda_not_decided", msg!("agenda_not_decided"))),
        (AgendaMove::Decide | AgendaMove::Withdraw, _) => Err(("agenda_finished", msg!("agenda_finished"))),
    }
}

/// The moves open from `status`.
pub fn moves_from(status: AgendaStatus) -> Vec<AgendaMove> {
    AgendaMove::ALL.into_iter().filter(|m| next_status(status, *m).is_ok()).collect()
}

/// Whether withdrawing needs the right to manage the agenda. Whoever opened a compound agenda
/// may withdraw it; a community-wide agenda belongs to the whole community, so only those who
/// manage it (the community office) withdraw it, its author included only while still there.
pub fn withdraw_needs_managing(is_author: bool, community_wide: bool) -> bool {
    !is_author || community_wide
}

/// Whether a vote or questionnaire of compound `cited` may be recorded as what settled an agenda
/// of compound `agenda_compound` (`None`: community-wide) in `agenda_community`: one of the same
/// compound, or for a community-wide agenda, one of any compound of the same community.
pub fn may_cite(agenda_compound: Option<i64>, agenda_community: i64, cited: &compound::Model) -> bool {
    match agenda_compound {
        Some(c) => cited.id == c,
        None => cited.community_id == agenda_community,
    }
}

/// The title of an agenda turned from a concern: its category, then the beginning of its text.
pub fn title_from_concern(category_name: &str, text: &str) -> String {
    format!("【{category_name}】{}", text.chars().take(40).collect::<String>())
}

/// `text` as a Markdown quotation, line by line.
pub fn quoted(text: &str) -> String {
    text.lines().map(|line| format!("> {line}")).collect::<Vec<_>>().join("\n")
}

/// The share of area and of heads that makes a statutory request: one fifth.
const STATUTORY: (i64, i64) = (1, 5);

/// Co-signers reach 20 % of the area **and** 20 % of the heads ("以上" includes the figure).
pub fn statutory_request_reached(cosigned: Weight, total: Weight) -> bool {
    let (num, den) = STATUTORY;
    total.heads > 0 && at_least(cosigned.area, total.area, num, den) && at_least(cosigned.heads, total.heads, num, den)
}

/// The least area and headcount that reach 20 %: a fifth of the total, rounded up.
pub fn statutory_needed(total: Weight) -> Weight {
    let (num, den) = STATUTORY;
    let up = |x: i64| (x * num + den - 1) / den;
    Weight { area: up(total.area), heads: up(total.heads) }
}

/// Co-signing so far.
pub fn progress(cosigned: Weight, total: Weight, mine: bool) -> CosignProgress {
    let needed = statutory_needed(total);
    CosignProgress {
        holders: cosigned.heads,
        area: area::format(cosigned.area),
        area_centi: cosigned.area,
        total_holders: total.heads,
        total_area: area::format(total.area),
        total_area_centi: total.area,
        needed_holders: needed.heads,
        needed_area: area::format(needed.area),
        needed_area_centi: needed.area,
        reached: statutory_request_reached(cosigned, total),
        mine,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AgendaStatus as S;

    fn w(area: i64, heads: i64) -> Weight {
        Weight { area, heads }
    }

    #[test]
    fn exactly_twenty_percent_of_both_reaches_it() {
        assert!(statutory_request_reached(w(2000, 2), w(10000, 10)));
        assert!(statutory_request_reached(w(10000, 10), w(10000, 10)));
    }

    #[test]
    fn one_hundredth_of_a_square_metre_short_does_not() {
        assert!(!statutory_request_reached(w(1999, 2), w(10000, 10)));
        // Area is there but one head is missing.
        assert!(!statutory_request_reached(w(5000, 1), w(10000, 10)));
    }

    #[test]
    fn totals_that_do_not_divide_by_five_need_the_rounded_up_fifth() {
        let total = w(10001, 11);
        let needed = statutory_needed(total);
        assert_eq!(needed, w(2001, 3));
        assert!(statutory_request_reached(needed, total));
        assert!(!statutory_request_reached(w(needed.area - 1, needed.heads), total));
        assert!(!statutory_request_reached(w(needed.area, needed.heads - 1), total));
    }

    #[test]
    fn an_empty_roster_never_reaches_it() {
        assert!(!statutory_request_reached(w(0, 0), w(0, 0)));
    }

    #[test]
    fn large_compounds_do_not_overflow() {
        let total = w(i64::MAX / 2, 1_000_000);
        assert!(statutory_request_reached(w(total.area / 5 + 1, 200_000), total));
    }

    #[test]
    fn agendas_move_from_open_to_closed_or_withdrawn() {
        assert_eq!(next_status(S::Open, AgendaMove::Deliberate), Ok(S::Deliberating));
        assert_eq!(next_status(S::Deliberating, AgendaMove::Decide), Ok(S::Decided));
        assert_eq!(next_status(S::Open, AgendaMove::Decide), Ok(S::Decided));
        assert_eq!(next_status(S::Decided, AgendaMove::Close), Ok(S::Closed));
        assert_eq!(next_status(S::Open, AgendaMove::Withdraw), Ok(S::Withdrawn));
        assert_eq!(next_status(S::Deliberating, AgendaMove::Withdraw), Ok(S::Withdrawn));
    }

    #[test]
    fn moves_out_of_order_are_refused_with_a_reason() {
        assert_eq!(next_status(S::Decided, AgendaMove::Withdraw).unwrap_err().0, "agenda_finished");
        assert_eq!(next_status(S::Closed, AgendaMove::Decide).unwrap_err().0, "agenda_finished");
        assert_eq!(next_status(S::Withdrawn, AgendaMove::Withdraw).unwrap_err().0, "agenda_finished");
        assert_eq!(next_status(S::Open, AgendaMove::Close).unwrap_err().0, "agenda_not_decided");
        assert_eq!(next_status(S::Withdrawn, AgendaMove::Close).unwrap_err().0, "agenda_not_decided");
        assert_eq!(next_status(S::Deliberating, AgendaMove::Deliberate).unwrap_err().0, "agenda_not_open");
        assert_eq!(next_status(S::Decided, AgendaMove::Deliberate).unwrap_err().0, "agenda_not_open");
    }

    #[test]
    fn a_closed_or_withdrawn_agenda_is_finished() {
        assert!(moves_from(S::Closed).is_empty());
        assert!(moves_from(S::Withdrawn).is_empty());
        assert_eq!(moves_from(S::Decided), vec![AgendaMove::Close]);
        assert_eq!(moves_from(S::Open), vec![AgendaMove::Deliberate, AgendaMove::Decide, AgendaMove::Withdraw]);
        assert!(S::Deliberating.is_active() && !S::Decided.is_active());
    }

    #[test]
    fn statuses_are_stored_under_their_names() {
        use sea_orm::ActiveEnum;
        for (s, name) in [
            (S::Open, "open"),
            (S::Deliberating, "deliberating"),
            (S::Decided, "decided"),
            (S::Closed, "closed"),
            (S::Withdrawn, "withdrawn"),
        ] {
            assert_eq!(s.to_value(), name);
            assert_eq!(serde_json::to_value(s).unwrap(), name);
        }
    }

    #[test]
    fn authors_withdraw_their_compound_agendas_but_the_office_withdraws_community_wide_ones() {
        assert!(!withdraw_needs_managing(true, false));
        assert!(withdraw_needs_managing(false, false));
        assert!(withdraw_needs_managing(true, true));
        assert!(withdraw_needs_managing(false, true));
    }

    #[test]
    fn an_agenda_from_a_concern_is_titled_by_its_category_and_quotes_its_text() {
        let text = "北门外垃圾".repeat(10);
        let title = title_from_concern("环境卫生", &text);
        assert_eq!(title, format!("【环境卫生】{}", text.chars().take(40).collect::<String>()));
        assert_eq!(quoted("一\n二"), "> 一\n> 二");
    }

    fn compound(id: i64, community_id: i64) -> compound::Model {
        compound::Model {
            id,
            community_id,
            name: format!("c{id}"),
            address: None,
            created_at: chrono::Utc::now(),
            notice_days: 7,
            publicity_days: 7,
        }
    }

    #[test]
    fn a_decision_cites_a_vote_of_its_compound_or_for_the_community_of_its_community() {
        assert!(may_cite(Some(1), 10, &compound(1, 10)));
        assert!(!may_cite(Some(1), 10, &compound(2, 10)), "another compound's vote");
        assert!(may_cite(None, 10, &compound(2, 10)));
        assert!(!may_cite(None, 10, &compound(3, 11)), "another community's vote");
    }
}
