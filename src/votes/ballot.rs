//! A ballot's digest and receipt, and the check that a stored ballot still matches the audit
//! event that recorded it.
use sha2::{Digest, Sha256};

use crate::entities::ballot;

/// SHA-256 over every field of a ballot that matters, and its random salt. The audit event that
/// records the ballot keeps this digest, so editing the ballot row afterwards is caught by
/// `sanfang verify`; the salt keeps anyone who can read the chain from testing a secret ballot's
/// digest against the three possible choices.
pub fn digest(b: &ballot::Model) -> String {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut h = Sha256::new();
    for part in [
        b.vote_id.to_string(),
        b.holder_id.to_string(),
        b.channel.clone(),
        b.choice.clone().unwrap_or_default(),
        b.picks.clone().unwrap_or_default(),
        b.status.as_str().to_owned(),
        opt(b.cast_by),
        opt(b.entered_by),
        opt(b.confirmed_by),
        opt(b.proxy_id),
        b.paper_serial.clone().unwrap_or_default(),
        b.cast_at.timestamp_micros().to_string(),
        b.confirmed_at.map(|t| t.timestamp_micros().to_string()).unwrap_or_default(),
        opt(b.scan_file_id),
        b.salt.clone(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// The receipt an owner keeps: derived from the ballot's digest and the hash of the chain event
/// that recorded it, so it names both the ballot and its place in the chain.
pub fn receipt(digest: &str, event_hash: &str) -> String {
    let h = Sha256::digest(format!("{event_hash}:{digest}").as_bytes());
    let s: String = h.iter().take(10).map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect();
    format!("{}-{}", &s[..5], &s[5..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn sample() -> ballot::Model {
        ballot::Model {
            id: 1,
            vote_id: 2,
            holder_id: 3,
            channel: "online".into(),
            choice: Some("agree".into()),
            picks: None,
            status: ballot::BallotStatus::Counted,
            cast_by: Some(4),
            entered_by: None,
            confirmed_by: None,
            proxy_id: None,
            paper_serial: None,
            idempotency_key: None,
            cast_at: Utc::now(),
            confirmed_at: None,
            receipt: String::new(),
            audit_seq: 0,
            scan_file_id: None,
            salt: "s".into(),
        }
    }

    #[test]
    fn a_changed_choice_changes_the_digest() {
        let a = sample();
        let mut b = a.clone();
        b.choice = Some("oppose".into());
        assert_ne!(digest(&a), digest(&b));
        let mut salted = a.clone();
        salted.salt = "t".into();
        assert_ne!(digest(&a), digest(&salted));
        // Fields outside the ballot's content (its id, its receipt) do not.
        let mut c = a.clone();
        c.id = 99;
        assert_eq!(digest(&a), digest(&c));
    }

    #[test]
    fn receipts_are_short_and_differ() {
        let r = receipt("d1", "h1");
        assert_eq!(r.len(), 11);
        assert_ne!(r, receipt("d1", "h2"));
        assert_ne!(r, receipt("d2", "h1"));
    }
}
