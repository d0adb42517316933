//! argon2id password hashing, off the async runtime and bounded in parallelism.
use std::sync::Arc;

use anyhow::Context;
use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher, PasswordVerifier},
};
use tokio::sync::Semaphore;

use crate::{i18n::Msg, msg};

/// OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes and verifies passwords on the blocking pool. The semaphore caps how many run at once,
/// so a login storm queues instead of claiming 19 MiB per request.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so that an unknown user costs the same
    /// time as a wrong password.
    dummy: Arc<str>,
}

impl Hasher {
    pub fn new() -> Self {
        let parallel = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2);
        let dummy = hash_blocking("sanfang-dummy-password").expect("hashing a constant succeeds");
        Self { permits: Arc::new(Semaphore::new(parallel)), dummy: dummy.into() }
    }

    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_blocking(&password)).await?
    }

    /// True when `password` matches `hash`; with no hash, spends the same effort and says no.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> anyhow::Result<bool> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let password = password.to_owned();
        let (hash, real) = match hash {
            Some(h) => (h.to_owned(), true),
            None => (self.dummy.to_string(), false),
        };
        let ok =
            tokio::task::spawn_blocking(move || argon2().verify_password(password.as_bytes(), hash.as_str()).is_ok())
                .await?;
        Ok(ok && real)
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Self::new()
    }
}

/// Hash on the current thread; for the CLI and for seeding.
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    argon2()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

/// The fewest characters a password may have …
pub const PASSWORD_MIN_CHARS: usize = 8;
/// … and the most.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// Our password rule: long enough to resist guessing, short enough to bound the hashing cost.
pub fn check_strength(password: &str) -> Result<(), Msg> {
    let n = password.chars().count();
    if n < PASSWORD_MIN_CHARS {
        return Err(msg!("password_too_short", min = PASSWORD_MIN_CHARS));
    }
    if n > PASSWORD_MAX_CHARS {
        return Err(msg!("password_too_long", max = PASSWORD_MAX_CHARS));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_own_password_only() {
        let h = Hasher::new();
        let hash = h.hash("correct horse").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify("correct horse", Some(&hash)).await.unwrap());
        assert!(!h.verify("wrong horse", Some(&hash)).await.unwrap());
    }

    #[tokio::test]
    async fn no_hash_never_verifies_even_the_dummy_password() {
        let h = Hasher::new();
        assert!(!h.verify("sanfang-dummy-password", None).await.unwrap());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(check_strength("1234567").unwrap_err().english(), "must be at least 8 characters");
        assert_eq!(check_strength(&"x".repeat(129)).unwrap_err().english(), "must be at most 128 characters");
        assert!(check_strength("12345678").is_ok());
    }
}
