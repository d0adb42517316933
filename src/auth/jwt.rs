//! Short-lived access tokens: HS256 JWTs with every registered claim required.
use anyhow::Context;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use rand::RngCore;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::{Deserialize, Serialize};

use crate::entities::setting;

pub const ACCESS_TTL_SECS: i64 = 15 * 60;
const ISSUER: &str = "sanfang";
const AUDIENCE: &str = "sanfang-api";
const SECRET_SETTING: &str = "jwt_secret";

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    /// The sign-in (refresh-token family) the token belongs to: signing out, a password change or
    /// a reused refresh token ends it, and every access token of it stops working at once.
    pub sid: String,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub aud: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

/// Why a token was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        // Only HS256 is accepted: a token naming another algorithm (or "none") is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        validation.validate_exp = true;
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation }
    }

    /// Sign an access token for `user_id`'s sign-in `session`, valid for [`ACCESS_TTL_SECS`].
    pub fn issue(&self, user_id: i64, session: &str) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session.to_owned(),
            iat: now,
            exp: now + ACCESS_TTL_SECS,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).context("signing token")
    }

    /// The user id and sign-in of a valid token (whether the sign-in is still live is for the
    /// database to say).
    pub fn verify(&self, token: &str) -> Result<(i64, String), TokenError> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        let user_id = data.claims.sub.parse().map_err(|_| TokenError::Invalid)?;
        Ok((user_id, data.claims.sid))
    }
}

/// The signing secret: `SANFANG_JWT_SECRET` when set, else a random 256-bit secret created on
/// first start and kept in the database (so tokens survive restarts). Never logged.
pub async fn load_secret(db: &impl ConnectionTrait, from_env: Option<String>) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = from_env.filter(|s| !s.is_empty()) {
        anyhow::ensure!(s.len() >= 32, "SANFANG_JWT_SECRET must be at least 32 characters");
        return Ok(s.into_bytes());
    }
    if let Some(row) = setting::Entity::find_by_id(SECRET_SETTING.to_owned()).one(db).await? {
        return hex::decode(row.value).context("stored JWT secret is not hex");
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let row = setting::ActiveModel { key: Set(SECRET_SETTING.into()), value: Set(hex::encode(secret)) };
    // Two servers starting at once on one database: whoever inserts first wins, the other reads it.
    if setting::Entity::insert(row).exec(db).await.is_err() {
        let row =
            setting::Entity::find_by_id(SECRET_SETTING.to_owned()).one(db).await?.context("JWT secret vanished")?;
        return hex::decode(row.value).context("stored JWT secret is not hex");
    }
    Ok(secret.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD as B64};

    fn keys() -> JwtKeys {
        JwtKeys::new(b"0123456789abcdef0123456789abcdef")
    }

    fn forge(header: &str, claims: serde_json::Value, sig: &str) -> String {
        format!("{}.{}.{}", B64.encode(header), B64.encode(claims.to_string()), sig)
    }

    #[test]
    fn a_fresh_token_names_its_user() {
        let k = keys();
        assert_eq!(k.verify(&k.issue(42, "s1").unwrap()), Ok((42, "s1".to_owned())));
    }

    #[test]
    fn alg_none_is_refused() {
        let now = chrono::Utc::now().timestamp();
        let t = forge(
            r#"{"alg":"none","typ":"JWT"}"#,
            serde_json::json!({"sub":"1","exp":now+60,"iat":now,"iss":ISSUER,"aud":AUDIENCE}),
            "",
        );
        assert_eq!(keys().verify(&t), Err(TokenError::Invalid));
    }

    #[test]
    fn a_token_signed_with_another_key_is_refused() {
        let other = JwtKeys::new(b"another-secret-another-secret-xx");
        assert_eq!(keys().verify(&other.issue(1, "s").unwrap()), Err(TokenError::Invalid));
    }

    #[test]
    fn expired_tokens_say_so() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: "1".into(),
            sid: "s".into(),
            exp: now - 60,
            iat: now - 960,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
        };
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &k.encoding).unwrap();
        assert_eq!(k.verify(&t), Err(TokenError::Expired));
    }

    #[test]
    fn a_token_without_audience_is_refused() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({"sub":"1","sid":"s","exp":now+60,"iat":now,"iss":ISSUER});
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &k.encoding).unwrap();
        assert_eq!(k.verify(&t), Err(TokenError::Invalid));
    }

    #[test]
    fn a_token_without_a_sign_in_is_refused() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({"sub":"1","exp":now+60,"iat":now,"iss":ISSUER,"aud":AUDIENCE});
        let t = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &k.encoding).unwrap();
        assert_eq!(k.verify(&t), Err(TokenError::Invalid));
    }
}
