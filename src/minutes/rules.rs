//! The rules of minutes, with no database in sight: what a text's digest is, which passage a
//! correction changes and whether it still applies, whose signatures the minutes need, when they
//! may be published, and when a committee's decisions are late.
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::{
    entities::{
        meeting_invitation::{self, Capacity},
        minutes::MinutesStatus,
        minutes_signature::{Seat, SignAnswer},
    },
    error::AppError,
    meetings::MeetingKind,
    msg,
};

/// SHA-256 of a text, in lowercase hex: what a signature approves and the audit chain records.
pub fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The digest of an addendum: SHA-256 of the digest before it (the signed text's, for the first)
/// followed by its text, so that none can be removed or reordered unseen.
pub fn chain_digest(previous: &str, text: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(text.as_bytes());
    hex::encode(h.finalize())
}

/// The lines a correction replaces, and what it puts in their place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub original: String,
    pub replacement: String,
}

/// The passage that turns `base` into `proposed`: the lines between their common first and last
/// lines. An insertion takes the line before it (or after it, at the top) along, so that every
/// passage names lines it can be found by. `None` when nothing changes.
pub fn passage(base: &str, proposed: &str) -> Option<Passage> {
    if base == proposed {
        return None;
    }
    let a: Vec<&str> = base.split_inclusive('\n').collect();
    let b: Vec<&str> = proposed.split_inclusive('\n').collect();
    let mut head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - head;
    let mut tail = a.iter().rev().zip(b.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
    if head + tail == a.len() {
        // Nothing of the base is replaced: anchor on a neighbouring line.
        if head > 0 {
            head -= 1;
        } else {
            tail = tail.saturating_sub(1);
        }
    }
    Some(Passage { original: a[head..a.len() - tail].concat(), replacement: b[head..b.len() - tail].concat() })
}

/// `current` with the passage replaced, when its lines are found there exactly once.
pub fn apply(current: &str, p: &Passage) -> Option<String> {
    if p.original.is_empty() {
        return current.is_empty().then(|| p.replacement.clone());
    }
    if current.matches(p.original.as_str()).count() != 1 {
        return None;
    }
    let at = current.find(&p.original)?;
    Some(format!("{}{}{}", &current[..at], p.replacement, &current[at + p.original.len()..]))
}

/// One seat the minutes need signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatOf {
    pub seat: Seat,
    pub party_id: Option<i64>,
    pub user_id: Option<i64>,
}

/// Whose signatures the minutes of a meeting of `kind`, chaired by `chair_id`, need: the chair;
/// for a committee meeting every member who attended (指导规则 Art. 39 ¶2: 参会委员的签字确认), for a mediation both sides, otherwise one
/// representative of each party present (the chair's own party is signed for by the chair).
/// Parties absent are not asked, and cannot block.
pub fn seats(kind: MeetingKind, chair_id: i64, invitations: &[meeting_invitation::Model]) -> Vec<SeatOf> {
    let present = || invitations.iter().filter(|i| i.signed_in_at.is_some());
    let mut out = vec![SeatOf { seat: Seat::Chair, party_id: None, user_id: Some(chair_id) }];
    let person = |seat: Seat, capacity: Capacity| {
        present().filter(move |i| i.capacity == capacity && i.user_id != chair_id).map(move |i| SeatOf {
            seat,
            party_id: i.party_id,
            user_id: Some(i.user_id),
        })
    };
    match kind {
        MeetingKind::Committee => out.extend(person(Seat::Member, Capacity::Member)),
        MeetingKind::Mediation => out.extend(person(Seat::Side, Capacity::Side)),
        _ => {
            let chairs_party = present().find(|i| i.user_id == chair_id).and_then(|i| i.party_id);
            let mut parties: Vec<i64> = present()
                .filter(|i| i.capacity == Capacity::Party)
                .filter_map(|i| i.party_id)
                .filter(|p| Some(*p) != chairs_party)
                .collect();
            parties.sort_unstable();
            parties.dedup();
            out.extend(parties.into_iter().map(|p| SeatOf { seat: Seat::Party, party_id: Some(p), user_id: None }));
        }
    }
    out
}

/// Whether `user_id` may answer for a seat: its own person, or, for a party's seat, anyone of that
/// party who attended.
pub fn may_sign(seat: &SeatOf, user_id: i64, invitations: &[meeting_invitation::Model]) -> bool {
    match seat.user_id {
        Some(u) => u == user_id,
        None => invitations.iter().any(|i| {
            i.user_id == user_id
                && i.signed_in_at.is_some()
                && i.capacity == Capacity::Party
                && i.party_id.is_some()
                && i.party_id == seat.party_id
        }),
    }
}

/// Whether an answer signs the minutes (with or without a dissenting opinion).
pub fn signs(answer: SignAnswer) -> bool {
    matches!(answer, SignAnswer::Approved | SignAnswer::Dissent)
}

/// Whether minutes whose seats answered `answers` may be published at `now`: once every seat has
/// signed, or once the sign-off deadline has passed, whoever did not sign by then being printed
/// as such. Before the deadline a return holds them back until the text is changed.
pub fn check_publish(
    status: MinutesStatus,
    answers: &[SignAnswer],
    sign_by: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if status != MinutesStatus::Signing {
        return Err(AppError::conflict("minutes_not_signing", msg!("minutes_not_signing")));
    }
    if sign_by.is_some_and(|d| now >= d) || answers.iter().all(|a| signs(*a)) {
        return Ok(());
    }
    if answers.contains(&SignAnswer::Returned) {
        return Err(AppError::conflict("minutes_returned", msg!("minutes_returned")));
    }
    Err(AppError::conflict("minutes_unsigned", msg!("minutes_unsigned")))
}

/// The day by which a committee meeting's decisions are to be published: within 3 days of the
/// meeting (《业主大会和业主委员会指导规则》 Art. 39 ¶2: 业主委员会会议作出的决定，应当有参会委员的签字
/// 确认，并自作出决定之日起3日内在物业管理区域内公告). Other kinds have no such rule.
pub fn publish_due(kind: MeetingKind, held_at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (kind == MeetingKind::Committee).then(|| held_at + Duration::days(3))
}

/// Whether minutes published at `published_at` came later than the rule allows.
pub fn late(kind: MeetingKind, held_at: DateTime<Utc>, published_at: DateTime<Utc>) -> bool {
    publish_due(kind, held_at).is_some_and(|due| published_at > due)
}

/// The longest publicity period, in days, and the one used when none is asked.
pub const PUBLICITY_MAX_DAYS: i64 = 30;
pub const PUBLICITY_DEFAULT_DAYS: i64 = 7;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::meeting_invitation::Answer;

    #[test]
    fn the_digest_is_sha256_of_the_text() {
        assert_eq!(digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_ne!(chain_digest(&digest("a"), "b"), chain_digest(&digest("a"), "c"));
    }

    #[test]
    fn a_correction_names_the_lines_it_changes_and_applies_where_they_still_are() {
        let base = "出席：张三\n结论：同意\n督办：物业\n";
        let proposed = "出席：张三\n结论：原则同意，细则另议\n督办：物业\n";
        let p = passage(base, proposed).unwrap();
        assert_eq!(p.original, "结论：同意\n");
        assert_eq!(p.replacement, "结论：原则同意，细则另议\n");
        assert_eq!(apply(base, &p).unwrap(), proposed);
        // Another correction elsewhere does not stand in its way.
        let moved = "标题\n出席：张三\n结论：同意\n督办：物业\n";
        assert_eq!(apply(moved, &p).unwrap(), "标题\n出席：张三\n结论：原则同意，细则另议\n督办：物业\n");
        // Once its lines are gone it no longer applies.
        assert_eq!(apply("出席：张三\n结论：不同意\n", &p), None);
        assert_eq!(passage(base, base), None);
    }

    #[test]
    fn an_insertion_is_anchored_on_the_line_before_it() {
        let base = "一\n二\n";
        let p = passage(base, "一\n一点五\n二\n").unwrap();
        assert_eq!(p.original, "一\n");
        assert_eq!(p.replacement, "一\n一点五\n");
        assert_eq!(apply(base, &p).unwrap(), "一\n一点五\n二\n");
        let top = passage(base, "零\n一\n二\n").unwrap();
        assert_eq!(apply(base, &top).unwrap(), "零\n一\n二\n");
    }

    #[test]
    fn a_passage_found_twice_is_not_applied() {
        let p = Passage { original: "同意\n".into(), replacement: "不同意\n".into() };
        assert_eq!(apply("同意\n同意\n", &p), None);
    }

    fn invited(user_id: i64, party_id: Option<i64>, capacity: Capacity, present: bool) -> meeting_invitation::Model {
        meeting_invitation::Model {
            id: user_id,
            meeting_id: 7,
            user_id,
            party_id,
            capacity,
            answer: Answer::Attending,
            deputy_user_id: None,
            deputy_name: None,
            answered_at: None,
            signed_in_at: present.then(Utc::now),
            sign_in_method: None,
            signed_in_by: None,
        }
    }

    #[test]
    fn a_consultation_needs_the_chair_and_one_seat_per_party_present() {
        let inv = [
            invited(1, Some(10), Capacity::Party, true), // the secretary, chairing: office
            invited(2, Some(10), Capacity::Party, true),
            invited(3, Some(20), Capacity::Party, true), // property
            invited(4, Some(20), Capacity::Party, true),
            invited(5, Some(30), Capacity::Party, false), // committee, absent
        ];
        let s = seats(MeetingKind::Consultation, 1, &inv);
        assert_eq!(
            s,
            vec![
                SeatOf { seat: Seat::Chair, party_id: None, user_id: Some(1) },
                SeatOf { seat: Seat::Party, party_id: Some(20), user_id: None },
            ]
        );
        assert!(may_sign(&s[1], 3, &inv) && may_sign(&s[1], 4, &inv));
        assert!(!may_sign(&s[1], 2, &inv), "the office signs through its chair");
        assert!(!may_sign(&s[1], 5, &inv) && !may_sign(&s[0], 2, &inv));
    }

    #[test]
    fn a_committee_meeting_needs_every_member_who_attended_and_a_mediation_both_sides() {
        let inv = [
            invited(1, Some(30), Capacity::Member, true),
            invited(2, Some(30), Capacity::Member, true),
            invited(3, Some(30), Capacity::Member, false),
            invited(4, None, Capacity::Owner, true),
        ];
        let s = seats(MeetingKind::Committee, 1, &inv);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1], SeatOf { seat: Seat::Member, party_id: Some(30), user_id: Some(2) });
        let sides = [invited(5, None, Capacity::Side, true), invited(6, None, Capacity::Side, true)];
        let s = seats(MeetingKind::Mediation, 1, &sides);
        assert_eq!(s.iter().filter(|s| s.seat == Seat::Side).count(), 2);
    }

    #[test]
    fn minutes_are_published_once_every_seat_signed_or_the_deadline_passed() {
        use SignAnswer::*;
        let now = Utc::now();
        let later = Some(now + Duration::days(1));
        let code = |r: Result<(), AppError>| r.err().map(|e| e.code());
        assert_eq!(code(check_publish(MinutesStatus::Signing, &[Approved, Dissent], later, now)), None);
        assert_eq!(
            code(check_publish(MinutesStatus::Signing, &[Approved, Pending], later, now)),
            Some("minutes_unsigned")
        );
        assert_eq!(
            code(check_publish(MinutesStatus::Signing, &[Returned, Pending], later, now)),
            Some("minutes_returned")
        );
        assert_eq!(code(check_publish(MinutesStatus::Signing, &[Returned, Pending], Some(now), now)), None);
        assert_eq!(code(check_publish(MinutesStatus::Drafting, &[Approved], later, now)), Some("minutes_not_signing"));
    }

    #[test]
    fn a_committee_meetings_decisions_are_late_after_three_days() {
        let held: DateTime<Utc> = "2026-12-01T08:00:00Z".parse().unwrap();
        assert!(!late(MeetingKind::Committee, held, held + Duration::days(3)));
        assert!(late(MeetingKind::Committee, held, held + Duration::days(3) + Duration::minutes(1)));
        assert!(!late(MeetingKind::Consultation, held, held + Duration::days(30)));
    }
}
