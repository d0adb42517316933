//! Notices and each user's inbox, with read receipts; a notice that asks for something is read
//! once it is done ([`done`]).
pub mod audience;
pub mod done;
pub mod ops;
pub mod text;
pub mod views;

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};

use crate::{
    audit::Subject,
    entities::{compound, notice, notice_recipient},
    error::AppResult,
    i18n::Lang,
};

pub use done::{Deed, done};
pub use text::NoticeText;

impl Subject for notice::Model {
    fn subject(&self) -> String {
        format!("notice:{}", self.id)
    }

    fn community_id(&self) -> Option<i64> {
        Some(self.community_id)
    }

    fn compound_id(&self) -> Option<i64> {
        self.compound_id
    }
}

/// A notice to deliver.
pub struct NewNotice<'a> {
    pub community_id: i64,
    pub compound_id: Option<i64>,
    /// What it is about, e.g. `vote_notice`, `vote_result`: a notice the server writes reads as
    /// the messages `notice.<kind>.title` and `notice.<kind>.body`.
    pub kind: &'a str,
    /// What it says: the parameters of the kind's messages, or a party's own words.
    pub text: NoticeText,
    /// Where in the app it leads, e.g. `/votes/3`.
    pub link: Option<String>,
    pub created_by: Option<i64>,
}

impl<'a> NewNotice<'a> {
    /// A notice the server writes in compound `c`: `kind`, read from the parameters of its
    /// messages, leading to `link`. Nobody wrote it, unless [`NewNotice::by`] names who acted.
    pub fn in_compound(c: &compound::Model, kind: &'a str, params: serde_json::Value, link: String) -> Self {
        NewNotice {
            community_id: c.community_id,
            compound_id: Some(c.id),
            kind,
            text: NoticeText::Params(params),
            link: Some(link),
            created_by: None,
        }
    }

    /// The same notice, sent because `user_id` acted.
    pub fn by(self, user_id: i64) -> Self {
        NewNotice { created_by: Some(user_id), ..self }
    }
}

/// Store a notice and put it in every recipient's inbox, inside the caller's transaction.
pub async fn publish(db: &impl ConnectionTrait, n: NewNotice<'_>, recipients: &[i64]) -> AppResult<notice::Model> {
    publish_for(db, n, None, None, recipients).await
}

/// The title and body stored with a notice (in Chinese), and its parameters as JSON.
fn stored_text(kind: &str, text: NoticeText) -> AppResult<(String, String, Option<String>)> {
    Ok(match text {
        NoticeText::Params(params) => {
            let (title, body) = text::render(Lang::Zh, kind, &params)
                .ok_or_else(|| anyhow::anyhow!("no messages for notices of kind {kind}"))?;
            (title, body, Some(params.to_string()))
        }
        NoticeText::Written { title, body } => (title, body, None),
    })
}

/// [`publish`], naming the party that speaks and the buildings it went to (JSON list).
pub async fn publish_for(
    db: &impl ConnectionTrait,
    n: NewNotice<'_>,
    party_id: Option<i64>,
    building_ids: Option<String>,
    recipients: &[i64],
) -> AppResult<notice::Model> {
    let (title, body, params) = stored_text(n.kind, n.text)?;
    let row = notice::Entity::insert(notice::ActiveModel {
        community_id: Set(n.community_id),
        compound_id: Set(n.compound_id),
        kind: Set(n.kind.into()),
        title: Set(title),
        body: Set(body),
        params: Set(params),
        link: Set(n.link),
        created_by: Set(n.created_by),
        created_at: Set(Utc::now()),
        party_id: Set(party_id),
        building_ids: Set(building_ids),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let mut ids: Vec<i64> = recipients.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        notice_recipient::Entity::insert_many(chunk.iter().map(|&user_id| notice_recipient::ActiveModel {
            notice_id: Set(row.id),
            user_id: Set(user_id),
            read_at: Set(None),
            ..Default::default()
        }))
        .exec(db)
        .await?;
    }
    Ok(row)
}
