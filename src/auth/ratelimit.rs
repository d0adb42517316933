//! Limits on guessing — passwords per account and per client address, invitation codes per
//! account and per address — kept in the database, so that every server process on one database
//! counts the same attempts.
//!
//! An attempt is counted before the work it guards (the slow password check, the code lookup), in
//! one conditional statement, so that parallel guesses are counted as surely as serial ones. The
//! first `free` failures in a window cost nothing; each one after that doubles a back-off, up to
//! a ceiling, and is answered 429 with `Retry-After` while it runs. Nobody is shut out for good,
//! and the server never sleeps on a request.
use std::net::IpAddr;

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::error::{AppError, AppResult};

/// How many failures a key may have, and how it backs off after them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Attempts in a row that may follow one another at once; the last of them starts the back-off.
    pub free: i64,
    /// The first back-off, doubled with each further failure …
    pub base_secs: i64,
    /// … up to this.
    pub max_secs: i64,
    /// A key left alone this long starts afresh.
    pub window_secs: i64,
}

/// Wrong passwords for one account, however it is named (user name or phone number).
pub const ACCOUNT: Limit = Limit { free: 5, base_secs: 30, max_secs: 15 * 60, window_secs: 15 * 60 };
/// Wrong passwords from one client address (one person, or many behind one carrier's NAT).
pub const ADDRESS: Limit = Limit { free: 30, base_secs: 2, max_secs: 15 * 60, window_secs: 15 * 60 };
/// Wrong invitation codes, per account and per address.
pub const CODE: Limit = Limit { free: 5, base_secs: 60, max_secs: 60 * 60, window_secs: 60 * 60 };

/// The wait imposed after the `failures`-th failure in a row: none before the last free one, then
/// doubling. (The statement below computes the same in SQL; a test holds the two together.)
pub fn backoff_secs(limit: Limit, failures: i64) -> i64 {
    if failures < limit.free {
        return 0;
    }
    let doublings = (failures - limit.free).min(32) as u32;
    limit.base_secs.saturating_mul(1_i64 << doublings).min(limit.max_secs)
}

/// The key of a client address: an IPv6 client is one /64 network (one household's line).
pub fn address_key(prefix: &str, ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{prefix}:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("{prefix}:{v4}"),
            None => {
                let s = v6.segments();
                format!("{prefix}:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

// One statement: count the attempt unless the key is backing off. On PostgreSQL the conflicting
// row is locked and re-read, on SQLite writes are serial, so of parallel attempts each sees the
// count the one before it left. The back-off doubles in SQL, so no second statement is needed.
const ATTEMPT: &str = "\
INSERT INTO throttles (key, failures, backoff_secs, blocked_until, last_at) \
VALUES ($1, 1, CASE WHEN 1 >= $3 THEN $4 ELSE 0 END, $2 + CASE WHEN 1 >= $3 THEN $4 ELSE 0 END, $2) \
ON CONFLICT (key) DO UPDATE SET \
  failures = CASE WHEN throttles.last_at < $2 - $6 THEN 1 ELSE throttles.failures + 1 END, \
  backoff_secs = CASE WHEN throttles.last_at < $2 - $6 OR throttles.failures + 1 < $3 THEN 0 \
    WHEN throttles.backoff_secs = 0 THEN $4 WHEN throttles.backoff_secs * 2 > $5 THEN $5 \
    ELSE throttles.backoff_secs * 2 END, \
  blocked_until = $2 + CASE WHEN throttles.last_at < $2 - $6 OR throttles.failures + 1 < $3 THEN 0 \
    WHEN throttles.backoff_secs = 0 THEN $4 WHEN throttles.backoff_secs * 2 > $5 THEN $5 \
    ELSE throttles.backoff_secs * 2 END, \
  last_at = $2 \
WHERE throttles.blocked_until <= $2 \
RETURNING failures";

fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => sql.to_owned(),
        _ => sql.replace('$', "?"),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Count an attempt at a one-time code under the account's key (when the account is known) and
/// the client address's, refusing when either is over [`CODE`]; the keys, to clear on success.
pub async fn code_attempt(
    db: &impl ConnectionTrait,
    account_key: Option<String>,
    addr: Option<std::net::IpAddr>,
) -> AppResult<Vec<String>> {
    let keys: Vec<String> = account_key.into_iter().chain(addr.map(|ip| address_key("code", ip))).collect();
    for key in &keys {
        attempt(db, key, CODE).await?;
    }
    Ok(keys)
}

/// Count an attempt on `key` before doing the work it guards; refused with 429 and the seconds
/// to wait while the key is backing off (and then not counted).
pub async fn attempt(db: &impl ConnectionTrait, key: &str, limit: Limit) -> AppResult<()> {
    let now = Utc::now().timestamp();
    let values = vec![
        key.into(),
        now.into(),
        limit.free.into(),
        limit.base_secs.into(),
        limit.max_secs.into(),
        limit.window_secs.into(),
    ];
    if db.query_one_raw(statement(db, ATTEMPT, values)).await?.is_some() {
        return Ok(());
    }
    let until = db
        .query_one_raw(statement(db, "SELECT blocked_until FROM throttles WHERE key = $1", vec![key.into()]))
        .await?
        .map(|row| row.try_get::<i64>("", "blocked_until"))
        .transpose()?
        .unwrap_or(now);
    Err(AppError::TooManyRequests { retry_after_secs: (until - now).max(1) as u64 })
}

/// The attempt on `key` succeeded: it was no failure. `reset` starts the key afresh (the account
/// itself proved who it is); otherwise only this attempt is taken back (an address shared by many).
pub async fn succeeded(db: &impl ConnectionTrait, key: &str, reset: bool) -> AppResult<()> {
    let sql = if reset {
        "DELETE FROM throttles WHERE key = $1"
    } else {
        "UPDATE throttles SET failures = failures - 1 WHERE key = $1 AND failures > 0"
    };
    db.execute_raw(statement(db, sql, vec![key.into()])).await?;
    Ok(())
}

/// Forget keys left alone for longer than every window (the server's ticker calls this).
pub async fn sweep(db: &impl ConnectionTrait) -> AppResult<u64> {
    let now = Utc::now().timestamp();
    let longest = [ACCOUNT, ADDRESS, CODE].iter().map(|l| l.window_secs.max(l.max_secs)).max().unwrap_or(0);
    let sql = "DELETE FROM throttles WHERE last_at < $1 AND blocked_until < $2";
    Ok(db.execute_raw(statement(db, sql, vec![(now - longest).into(), now.into()])).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_free_attempts_cost_nothing_and_then_the_back_off_doubles_to_its_ceiling() {
        let l = Limit { free: 3, base_secs: 10, max_secs: 60, window_secs: 600 };
        let waits: Vec<i64> = (1..=8).map(|n| backoff_secs(l, n)).collect();
        assert_eq!(waits, [0, 0, 10, 20, 40, 60, 60, 60]);
        assert_eq!(backoff_secs(l, i64::MAX), 60);
    }

    #[test]
    fn an_ipv6_client_is_keyed_by_its_network_and_a_mapped_ipv4_by_itself() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(address_key("addr", a), address_key("addr", b));
        assert_ne!(address_key("addr", a), address_key("addr", "2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(address_key("addr", "::ffff:10.0.0.1".parse().unwrap()), "addr:10.0.0.1");
    }
}
