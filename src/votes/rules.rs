//! A vote's life as plain decisions: which status moves are allowed, the notice period, the
//! voting window, who may see a draft, and when a new ballot replaces a stored one.
use chrono::{DateTime, Duration, Utc};

use super::model::{BallotStatus, Channel, VoteStatus};
use crate::{
    error::{AppError, AppResult},
    i18n::Msg,
    msg,
};

/// A move in a vote's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// The convener changes the draft.
    Edit,
    /// The convener gives notice.
    Publish,
    /// The opening time has come: the roster freezes.
    Open,
    /// The convener moves the closing time of an open vote.
    Extend,
    /// The closing time has come: the vote is counted.
    Close,
    /// The convener calls the vote off.
    Cancel,
}

/// Why a move or a ballot was refused: the conflict code and message the caller is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: Msg,
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> Self {
        AppError::conflict(r.code, r.message)
    }
}

fn refusal(code: &'static str, message: Msg) -> Refusal {
    Refusal { code, message }
}

impl VoteStatus {
    /// The status after `step`, or why the step is refused from this status.
    pub fn next(self, step: Step) -> Result<VoteStatus, Refusal> {
        use VoteStatus::*;
        match (step, self) {
            (Step::Edit, Draft) => Ok(Draft),
            (Step::Edit, _) => Err(refusal("not_a_draft", msg!("vote_edit_not_draft"))),
            (Step::Publish, Draft) => Ok(Published),
            (Step::Publish, _) => Err(refusal("not_a_draft", msg!("vote_already_published"))),
            (Step::Open, Published) => Ok(Open),
            (Step::Open, _) => Err(refusal("vote_not_published", msg!("vote_open_not_published"))),
            (Step::Extend, Open) => Ok(Open),
            (Step::Extend, _) => Err(refusal("vote_not_open", msg!("vote_extend_not_open"))),
            (Step::Close, Open) => Ok(Closed),
            (Step::Close, _) => Err(refusal("vote_not_open", msg!("vote_close_not_open"))),
            (Step::Cancel, Draft | Published | Open) => Ok(Cancelled),
            (Step::Cancel, Closed | Cancelled) => Err(refusal("vote_finished", msg!("vote_cancel_finished"))),
        }
    }

    /// Closed or cancelled: nothing about the vote changes any more.
    pub fn is_finished(self) -> bool {
        matches!(self, VoteStatus::Closed | VoteStatus::Cancelled)
    }
}

impl BallotStatus {
    /// The status of a ballot once a second clerk confirms it: only a pending paper ballot is
    /// confirmed.
    pub fn confirm(self) -> Result<BallotStatus, Refusal> {
        match self {
            BallotStatus::Pending => Ok(BallotStatus::Counted),
            BallotStatus::Counted => Err(refusal("already_confirmed", msg!("ballot_paper_already_confirmed"))),
        }
    }
}

/// The move the clock makes at `now`, if any: a published vote opens at its opening time, an open
/// one closes at its closing time.
pub fn due(status: VoteStatus, opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<Step> {
    match status {
        VoteStatus::Published if now >= opens_at => Some(Step::Open),
        VoteStatus::Open if now >= closes_at => Some(Step::Close),
        _ => None,
    }
}

/// The earliest a vote published at `now` may open: the compound's notice period later.
pub fn earliest_opening(now: DateTime<Utc>, notice_days: i32) -> DateTime<Utc> {
    now + Duration::days(notice_days as i64)
}

/// Whether a draft with this window may be published at `now`: owners get the compound's notice
/// before it opens, and its closing time is still ahead.
pub fn check_notice(
    now: DateTime<Utc>,
    notice_days: i32,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> AppResult<()> {
    let earliest = earliest_opening(now, notice_days);
    // A minute's grace, so a form filled in at "now + notice" is not refused for the seconds it took.
    if opens_at + Duration::minutes(1) < earliest {
        // Without a notice period the only way to be too early is to open in the past.
        let problem = match notice_days {
            0 => msg!("vote_opens_past", at = earliest.to_rfc3339()),
            _ => msg!("vote_notice_too_short", days = notice_days, at = earliest.to_rfc3339()),
        };
        return Err(AppError::field("opens_at", problem));
    }
    if closes_at <= now {
        return Err(AppError::field("closes_at", msg!("vote_closes_past")));
    }
    Ok(())
}

/// Whether an open vote closing at `current` may be extended to `requested`: only to a later time.
pub fn check_extension(current: DateTime<Utc>, requested: DateTime<Utc>) -> AppResult<()> {
    if requested <= current {
        return Err(AppError::field("closes_at", msg!("vote_extension_not_later")));
    }
    Ok(())
}

/// Whether the vote takes ballots at `now` (the server's clock decides, whatever the app shows):
/// it is open, and `now` lies within `opens_at..closes_at`.
pub fn accepts_ballots(
    status: VoteStatus,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    let closed = refusal("vote_closed", msg!("vote_closed"));
    match status {
        VoteStatus::Closed => Err(closed),
        VoteStatus::Cancelled => Err(refusal("vote_not_open", msg!("vote_cancelled"))),
        VoteStatus::Open if now >= opens_at && now >= closes_at => Err(closed),
        VoteStatus::Open if now >= opens_at => Ok(()),
        _ => Err(refusal("vote_not_open", msg!("vote_not_open_for_ballots"))),
    }
}

/// Whether a caller sees a vote in this status: a draft only those who may manage votes.
pub fn may_see(status: VoteStatus, may_manage: bool) -> bool {
    status != VoteStatus::Draft || may_manage
}

/// Whether a closed vote's result is on public display at `now`, when objections are taken.
pub fn in_publicity(status: VoteStatus, publicity_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == VoteStatus::Closed && publicity_until.is_some_and(|t| now < t)
}

/// What the replacement rule needs to know of the ballot already stored for a holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stored {
    pub channel: Channel,
    /// Counted, rather than a paper slip awaiting its second clerk.
    pub counted: bool,
    pub cast_by: Option<i64>,
}

/// Whether a new ballot through `channel` by `caster` replaces the stored one: the holder's own
/// online ballot replaces one their proxy cast and, on a vote that allows it, an owner may change
/// their own online ballot before close. A paper ballot, or one awaiting confirmation, stays.
pub fn replaces(channel: Channel, caster: i64, stored: Stored, allow_change: bool) -> bool {
    channel == Channel::Online
        && stored.counted
        && (stored.channel == Channel::Proxy
            || (stored.channel == Channel::Online && allow_change && stored.cast_by == Some(caster)))
}

/// The holding a ballot is for, among the caller's (holder, proxy) pairs: the one named, or the
/// only one.
pub fn choose_holding<T: Copy>(mine: &[(i64, T)], wanted: Option<i64>) -> AppResult<(i64, T)> {
    match wanted {
        _ if mine.is_empty() => Err(AppError::conflict("not_eligible", msg!("ballot_no_unit_on_roster"))),
        Some(h) => mine
            .iter()
            .find(|m| m.0 == h)
            .copied()
            .ok_or_else(|| AppError::field("holder_id", msg!("ballot_cannot_vote_for_holder"))),
        None if mine.len() == 1 => Ok(mine[0]),
        None => Err(AppError::field("holder_id", msg!("ballot_choose_holding"))),
    }
}

/// Whether a written proxy lets `user` vote for `holder` at `now`.
pub fn proxy_valid(
    p: (i64, i64, bool),
    holder: i64,
    user: i64,
    valid: (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> bool {
    let (proxy_holder, proxy_user, revoked) = p;
    proxy_holder == holder && proxy_user == user && !revoked && valid.0 <= now && now <= valid.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use VoteStatus::*;

    const ALL: [VoteStatus; 5] = [Draft, Published, Open, Closed, Cancelled];
    const STEPS: [Step; 6] = [Step::Edit, Step::Publish, Step::Open, Step::Extend, Step::Close, Step::Cancel];

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn a_vote_goes_from_draft_to_published_to_open_to_closed() {
        assert_eq!(Draft.next(Step::Publish), Ok(Published));
        assert_eq!(Published.next(Step::Open), Ok(Open));
        assert_eq!(Open.next(Step::Extend), Ok(Open));
        assert_eq!(Open.next(Step::Close), Ok(Closed));
    }

    #[test]
    fn only_a_draft_is_changed_or_published() {
        assert_eq!(Draft.next(Step::Edit), Ok(Draft));
        for s in [Published, Open, Closed, Cancelled] {
            assert_eq!(s.next(Step::Edit).unwrap_err().code, "not_a_draft");
            assert_eq!(s.next(Step::Publish).unwrap_err().code, "not_a_draft");
        }
    }

    #[test]
    fn a_vote_is_cancelled_until_it_closes() {
        for s in [Draft, Published, Open] {
            assert_eq!(s.next(Step::Cancel), Ok(Cancelled));
        }
        for s in [Closed, Cancelled] {
            assert_eq!(s.next(Step::Cancel).unwrap_err().code, "vote_finished");
        }
    }

    #[test]
    fn only_an_open_vote_is_extended_or_closed() {
        for s in [Draft, Published, Closed, Cancelled] {
            assert_eq!(s.next(Step::Extend).unwrap_err().code, "vote_not_open");
            assert_eq!(s.next(Step::Close).unwrap_err().code, "vote_not_open");
        }
        for s in [Draft, Open, Closed, Cancelled] {
            assert!(s.next(Step::Open).is_err());
        }
    }

    #[test]
    fn a_pending_paper_ballot_counts_once_confirmed_and_is_confirmed_only_once() {
        assert_eq!(BallotStatus::Pending.confirm(), Ok(BallotStatus::Counted));
        assert_eq!(BallotStatus::Counted.confirm().unwrap_err().code, "already_confirmed");
    }

    #[test]
    fn the_clock_opens_a_published_vote_and_closes_an_open_one() {
        assert_eq!(due(Published, at(0), at(60), at(-1)), None);
        assert_eq!(due(Published, at(0), at(60), at(0)), Some(Step::Open));
        assert_eq!(due(Open, at(0), at(60), at(59)), None);
        assert_eq!(due(Open, at(0), at(60), at(60)), Some(Step::Close));
        for s in [Draft, Closed, Cancelled] {
            assert_eq!(due(s, at(0), at(60), at(120)), None);
        }
    }

    #[test]
    fn a_vote_opening_before_the_notice_period_is_refused() {
        let now = at(0);
        let days = Duration::days(7).num_minutes();
        assert!(check_notice(now, 7, at(days), at(days + 60)).is_ok());
        assert!(check_notice(now, 7, at(days - 1), at(days + 60)).is_ok(), "a minute's grace");
        assert!(check_notice(now, 7, at(days - 2), at(days + 60)).is_err());
        assert!(check_notice(now, 0, at(0), at(60)).is_ok());
    }

    #[test]
    fn without_a_notice_period_an_opening_in_the_past_is_named_as_such() {
        let key = |e: AppError| match e {
            AppError::Validation(fields) => fields["opens_at"].key,
            other => panic!("{other:?}"),
        };
        assert_eq!(key(check_notice(at(0), 7, at(0), at(60)).unwrap_err()), "vote_notice_too_short");
        assert_eq!(key(check_notice(at(10), 0, at(0), at(60)).unwrap_err()), "vote_opens_past");
    }

    #[test]
    fn a_vote_whose_closing_time_has_passed_is_not_published() {
        assert!(check_notice(at(0), 0, at(0), at(0)).is_err());
        assert!(check_notice(at(0), 0, at(0), at(1)).is_ok());
    }

    #[test]
    fn an_extension_must_move_the_closing_time_later() {
        assert!(check_extension(at(60), at(61)).is_ok());
        assert!(check_extension(at(60), at(60)).is_err());
        assert!(check_extension(at(60), at(59)).is_err());
    }

    #[test]
    fn ballots_are_taken_only_while_an_open_vote_is_within_its_window() {
        assert_eq!(accepts_ballots(Open, at(0), at(60), at(0)), Ok(()));
        assert_eq!(accepts_ballots(Open, at(0), at(60), at(59)), Ok(()));
        assert_eq!(accepts_ballots(Open, at(0), at(60), at(60)).unwrap_err().code, "vote_closed");
        assert_eq!(accepts_ballots(Open, at(0), at(60), at(-1)).unwrap_err().code, "vote_not_open");
        assert_eq!(accepts_ballots(Published, at(0), at(60), at(30)).unwrap_err().code, "vote_not_open");
        assert_eq!(accepts_ballots(Draft, at(0), at(60), at(30)).unwrap_err().code, "vote_not_open");
        assert_eq!(accepts_ballots(Closed, at(0), at(60), at(30)).unwrap_err().code, "vote_closed");
        assert_eq!(
            accepts_ballots(Cancelled, at(0), at(60), at(30)).unwrap_err().message.english(),
            "this vote has been cancelled"
        );
    }

    #[test]
    fn a_draft_is_seen_only_by_those_who_may_manage_votes() {
        assert!(!may_see(Draft, false));
        assert!(may_see(Draft, true));
        for s in [Published, Open, Closed, Cancelled] {
            assert!(may_see(s, false));
        }
    }

    #[test]
    fn objections_are_taken_while_a_closed_result_is_on_display() {
        assert!(in_publicity(Closed, Some(at(10)), at(0)));
        assert!(!in_publicity(Closed, Some(at(10)), at(10)));
        assert!(!in_publicity(Closed, None, at(0)));
        assert!(!in_publicity(Open, Some(at(10)), at(0)));
    }

    fn stored(channel: Channel, counted: bool, cast_by: Option<i64>) -> Stored {
        Stored { channel, counted, cast_by }
    }

    #[test]
    fn the_owners_own_ballot_replaces_their_proxys() {
        assert!(replaces(Channel::Online, 1, stored(Channel::Proxy, true, Some(2)), false));
        assert!(!replaces(Channel::Proxy, 2, stored(Channel::Proxy, true, Some(2)), true));
    }

    #[test]
    fn an_owner_changes_their_online_ballot_only_when_the_vote_allows_it() {
        assert!(replaces(Channel::Online, 1, stored(Channel::Online, true, Some(1)), true));
        assert!(!replaces(Channel::Online, 1, stored(Channel::Online, true, Some(1)), false));
        assert!(!replaces(Channel::Online, 3, stored(Channel::Online, true, Some(1)), true));
    }

    #[test]
    fn a_paper_ballot_is_never_replaced() {
        assert!(!replaces(Channel::Online, 1, stored(Channel::Paper, true, None), true));
        assert!(!replaces(Channel::Online, 1, stored(Channel::Paper, false, None), true));
        assert!(!replaces(Channel::Online, 1, stored(Channel::Proxy, false, Some(2)), true));
    }

    #[test]
    fn a_caller_with_several_holdings_must_name_one() {
        let mine = [(10, None), (11, Some(5))];
        assert_eq!(choose_holding(&mine, Some(11)).unwrap(), (11, Some(5)));
        assert!(choose_holding(&mine, None).is_err());
        assert!(choose_holding(&mine, Some(12)).is_err());
        assert_eq!(choose_holding(&mine[..1], None).unwrap(), (10, None));
        assert!(matches!(
            choose_holding::<Option<i64>>(&[], Some(10)),
            Err(AppError::Conflict { code: "not_eligible", .. })
        ));
    }

    #[test]
    fn a_proxy_counts_only_for_its_holder_and_user_within_its_period_unless_revoked() {
        let period = (at(0), at(60));
        assert!(proxy_valid((1, 2, false), 1, 2, period, at(30)));
        assert!(!proxy_valid((1, 2, true), 1, 2, period, at(30)));
        assert!(!proxy_valid((1, 2, false), 3, 2, period, at(30)));
        assert!(!proxy_valid((1, 2, false), 1, 3, period, at(30)));
        assert!(!proxy_valid((1, 2, false), 1, 2, period, at(-1)));
        assert!(!proxy_valid((1, 2, false), 1, 2, period, at(61)));
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        fn status() -> impl Strategy<Value = VoteStatus> {
            prop::sample::select(ALL.to_vec())
        }

        fn step() -> impl Strategy<Value = Step> {
            prop::sample::select(STEPS.to_vec())
        }

        fn channel() -> impl Strategy<Value = Channel> {
            prop::sample::select(vec![Channel::Online, Channel::Paper, Channel::Proxy])
        }

        proptest! {
            #[test]
            fn no_sequence_of_moves_takes_a_finished_vote_anywhere(start in status(), steps in prop::collection::vec(step(), 0..20)) {
                let mut s = start;
                let mut finished = None;
                for step in steps {
                    if let Ok(next) = s.next(step) {
                        s = next;
                    }
                    if let Some(f) = finished {
                        prop_assert_eq!(s, f);
                    } else if s.is_finished() {
                        finished = Some(s);
                    }
                }
            }

            #[test]
            fn no_move_returns_a_vote_to_draft_once_published(start in status(), steps in prop::collection::vec(step(), 0..20)) {
                let mut s = start;
                for step in steps {
                    let was = s;
                    if let Ok(next) = s.next(step) {
                        s = next;
                    }
                    prop_assert!(was == Draft || s != Draft);
                }
            }

            #[test]
            fn a_refused_move_is_refused_with_a_reason(s in status(), step in step()) {
                if let Err(r) = s.next(step) {
                    prop_assert!(!r.code.is_empty() && !r.message.english().is_empty());
                }
            }

            #[test]
            fn a_vote_takes_ballots_only_while_open_between_opening_and_closing(
                s in status(), opens in -100i64..100, length in 0i64..100, now in -200i64..300,
            ) {
                let (opens_at, closes_at, now) = (at(opens), at(opens + length), at(now));
                let taken = accepts_ballots(s, opens_at, closes_at, now).is_ok();
                prop_assert_eq!(taken, s == Open && opens_at <= now && now < closes_at);
            }

            #[test]
            fn the_clock_never_moves_a_finished_vote(s in status(), opens in -100i64..100, now in -200i64..300) {
                let step = due(s, at(opens), at(opens + 10), at(now));
                if s.is_finished() || s == Draft {
                    prop_assert_eq!(step, None);
                }
                if let Some(step) = step {
                    prop_assert!(s.next(step).is_ok());
                }
            }

            #[test]
            fn a_replacement_is_taken_only_when_the_rule_allows_and_the_vote_takes_ballots(
                s in status(), now in -100i64..200, new in channel(), old in channel(), counted in any::<bool>(),
                caster in 1i64..4, cast_by in prop::option::of(1i64..4), allow_change in any::<bool>(),
            ) {
                let taken = accepts_ballots(s, at(0), at(100), at(now)).is_ok()
                    && replaces(new, caster, stored(old, counted, cast_by), allow_change);
                if taken {
                    prop_assert!(!s.is_finished());
                    prop_assert_eq!(new, Channel::Online);
                    prop_assert!(counted && old != Channel::Paper);
                    prop_assert!(old == Channel::Proxy || (allow_change && cast_by == Some(caster)));
                }
            }
        }
    }
}
