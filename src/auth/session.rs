//! The tokens a sign-in answers with, and finding an account by user name or phone number.
use crate::auth::jwt::ACCESS_TTL_SECS;
use crate::{audit::Subject, entities::user, error::AppResult, text::normalize_phone};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: i64,
    /// After signing in with a password: this device's token for the account, to keep and send
    /// with later sign-ins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// The tokens of a new sign-in: an access token for `session`, signed with `jwt`.
pub fn tokens_for(
    jwt: &super::jwt::JwtKeys,
    user_id: i64,
    (refresh_token, session): (String, String),
) -> AppResult<TokenResponse> {
    Ok(TokenResponse {
        access_token: jwt.issue(user_id, &session)?,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TTL_SECS,
        device: None,
    })
}

/// Find an account by user name or phone number.
pub async fn find_by_login(db: &impl sea_orm::ConnectionTrait, login: &str) -> AppResult<Option<user::Model>> {
    let login = login.trim();
    let mut cond = Condition::any().add(user::Column::Username.eq(login));
    if let Some(phone) = normalize_phone(login) {
        cond = cond.add(user::Column::Phone.eq(phone));
    }
    Ok(user::Entity::find().filter(cond).one(db).await?)
}

impl Subject for user::Model {
    fn subject(&self) -> String {
        format!("user:{}", self.id)
    }
}
