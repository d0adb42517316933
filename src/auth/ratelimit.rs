//! Failed-login limits per account and per client address, kept in memory.
use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

/// A sliding window of failures per key.
struct Window {
    limit: usize,
    period: Duration,
    hits: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Window {
    fn new(limit: usize, period: Duration) -> Self {
        Self { limit, period, hits: Mutex::new(HashMap::new()) }
    }

    /// Seconds until another attempt is allowed, or `None` when one is allowed now.
    fn blocked_for(&self, key: &str, now: Instant) -> Option<u64> {
        let mut map = self.hits.lock().expect("limiter lock");
        let q = map.get_mut(key)?;
        while q.front().is_some_and(|t| now.duration_since(*t) >= self.period) {
            q.pop_front();
        }
        if q.len() < self.limit {
            return None;
        }
        let oldest = *q.front()?;
        Some((self.period - now.duration_since(oldest)).as_secs().max(1))
    }

    fn hit(&self, key: &str, now: Instant) {
        let mut map = self.hits.lock().expect("limiter lock");
        // Keep the map from growing without bound under a spray of distinct keys.
        if map.len() > 100_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < self.period));
        }
        let q = map.entry(key.to_owned()).or_default();
        q.push_back(now);
        while q.len() > self.limit {
            q.pop_front();
        }
    }

    fn clear(&self, key: &str) {
        self.hits.lock().expect("limiter lock").remove(key);
    }
}

pub struct LoginLimiter {
    per_account: Window,
    per_address: Window,
}

impl LoginLimiter {
    /// `account_limit` failures per account and `address_limit` failures per client address
    /// within `period`.
    pub fn new(account_limit: usize, address_limit: usize, period: Duration) -> Self {
        Self { per_account: Window::new(account_limit, period), per_address: Window::new(address_limit, period) }
    }

    /// Seconds to wait before trying again, when either limit is reached.
    pub fn check(&self, account: &str, addr: Option<IpAddr>) -> Option<u64> {
        let now = Instant::now();
        let a = self.per_account.blocked_for(&account.to_lowercase(), now);
        let b = addr.and_then(|ip| self.per_address.blocked_for(&ip.to_string(), now));
        a.max(b)
    }

    /// Count an attempt on an account before its outcome is known.
    pub fn attempt(&self, account: &str) {
        self.per_account.hit(&account.to_lowercase(), Instant::now());
    }

    /// Count a failure from an address.
    pub fn failed_from(&self, addr: Option<IpAddr>) {
        if let Some(ip) = addr {
            self.per_address.hit(&ip.to_string(), Instant::now());
        }
    }

    pub fn failed(&self, account: &str, addr: Option<IpAddr>) {
        let now = Instant::now();
        self.per_account.hit(&account.to_lowercase(), now);
        if let Some(ip) = addr {
            self.per_address.hit(&ip.to_string(), now);
        }
    }

    pub fn succeeded(&self, account: &str) {
        self.per_account.clear(&account.to_lowercase());
    }
}

impl Default for LoginLimiter {
    /// 5 failures per account and 30 per address in 15 minutes.
    fn default() -> Self {
        Self::new(5, 30, Duration::from_secs(15 * 60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_is_blocked_after_its_limit_and_freed_by_success() {
        let l = LoginLimiter::new(3, 100, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(l.check("Alice", None), None);
            l.failed("alice", None);
        }
        let wait = l.check("ALICE", None).expect("blocked");
        assert!((1..=60).contains(&wait));
        l.succeeded("alice");
        assert_eq!(l.check("alice", None), None);
    }

    #[test]
    fn an_address_spraying_many_accounts_is_blocked() {
        let l = LoginLimiter::new(100, 4, Duration::from_secs(60));
        let ip: IpAddr = "127.0.0.9".parse().unwrap();
        for i in 0..4 {
            l.failed(&format!("user{i}"), Some(ip));
        }
        assert!(l.check("someone-new", Some(ip)).is_some());
        assert!(l.check("someone-new", Some("127.0.0.10".parse().unwrap())).is_none());
    }
}
