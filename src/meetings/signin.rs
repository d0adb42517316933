//! Signing in at a meeting: by scanning the code shown in the room, ticked by staff, or from
//! the photo of the paper sign-in sheet.
//!
//! The room's code is a signed token that changes every [`WINDOW_SECS`] seconds: the meeting and
//! the time window, sealed with the server's key. A code is accepted in its own window and the
//! next, so a photo of it is useless a minute later.
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::MeetingStatus;

/// How long one code is shown.
pub const WINDOW_SECS: i64 = 30;
/// How early before the start the room opens for signing in.
pub const SIGN_IN_OPENS_MINUTES: i64 = 60;

/// The key that seals the room's codes, derived from the server's secret.
#[derive(Clone)]
pub struct SignInKey([u8; 32]);

impl SignInKey {
    pub fn derive(secret: &[u8]) -> Self {
        let mut h = Sha256::new();
        h.update(b"sanfang meeting sign-in\0");
        h.update(secret);
        Self(h.finalize().into())
    }

    fn mac(&self, meeting_id: i64, window: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length");
        mac.update(format!("{meeting_id}:{window}").as_bytes());
        mac
    }

    /// The code shown for meeting `meeting_id` at `now`, and when it stops being shown.
    pub fn code(&self, meeting_id: i64, now: DateTime<Utc>) -> (String, DateTime<Utc>) {
        let window = now.timestamp().div_euclid(WINDOW_SECS);
        let tag = self.mac(meeting_id, window).finalize().into_bytes();
        let next = DateTime::from_timestamp((window + 1) * WINDOW_SECS, 0).unwrap_or(now);
        (format!("{window}.{}", hex::encode(&tag[..16])), next)
    }

    /// Whether `code` is one this server showed for meeting `meeting_id`, in the window of `now`
    /// or the one before.
    pub fn accepts(&self, meeting_id: i64, code: &str, now: DateTime<Utc>) -> bool {
        let Some((window, tag)) = code.split_once('.') else { return false };
        let (Ok(window), Ok(tag)) = (window.parse::<i64>(), hex::decode(tag)) else { return false };
        let current = now.timestamp().div_euclid(WINDOW_SECS);
        if !(current - 1..=current).contains(&window) || tag.len() != 16 {
            return false;
        }
        self.mac(meeting_id, window).verify_truncated_left(&tag).is_ok()
    }
}

/// Whether people may sign in now: from an hour before the start until the meeting is closed.
pub fn sign_in_open(status: MeetingStatus, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    match status {
        MeetingStatus::Scheduled => now >= starts_at - Duration::minutes(SIGN_IN_OPENS_MINUTES),
        MeetingStatus::InProgress => true,
        MeetingStatus::Held | MeetingStatus::Cancelled => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn a_code_works_for_its_meeting_in_its_window_and_the_next_and_never_after() {
        let key = SignInKey::derive(b"secret");
        let (code, until) = key.code(7, at(0));
        assert!(until > at(0) && until <= at(WINDOW_SECS));
        assert!(key.accepts(7, &code, at(0)));
        assert!(key.accepts(7, &code, until), "scanned just as the code changed");
        assert!(!key.accepts(7, &code, until + Duration::seconds(WINDOW_SECS)), "a photo taken a minute ago");
        assert!(!key.accepts(8, &code, at(0)), "another meeting's code");
        assert!(!SignInKey::derive(b"other").accepts(7, &code, at(0)), "another server's code");
    }

    #[test]
    fn a_forged_or_mangled_code_is_refused() {
        let key = SignInKey::derive(b"secret");
        let (code, _) = key.code(7, at(0));
        let (window, tag) = code.split_once('.').unwrap();
        let next: i64 = window.parse::<i64>().unwrap() + 1;
        assert!(!key.accepts(7, &format!("{next}.{tag}"), at(WINDOW_SECS)), "the tag seals the window");
        for bad in ["", ".", "1.zz", &format!("{window}."), &format!("{window}.{}", &tag[..30]), &code[1..]] {
            assert!(!key.accepts(7, bad, at(0)), "{bad:?}");
        }
    }

    #[test]
    fn the_room_opens_an_hour_ahead_and_closes_with_the_meeting() {
        let start = at(3600 * 2);
        assert!(!sign_in_open(MeetingStatus::Scheduled, start, at(0)));
        assert!(sign_in_open(MeetingStatus::Scheduled, start, at(3600)));
        assert!(sign_in_open(MeetingStatus::InProgress, start, at(0)));
        assert!(!sign_in_open(MeetingStatus::Held, start, start));
        assert!(!sign_in_open(MeetingStatus::Cancelled, start, start));
    }
}
