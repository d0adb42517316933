//! The calendar: the meetings of a community, and each person's iCalendar feed (RFC 5545) on a
//! secret address that calendar apps can fetch without signing in, and that its owner can renew
//! (the old address then stops working).
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::OnConflict,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{MeetingKind, MeetingStatus, Visibility};
use crate::{
    auth::Actor,
    entities::{calendar_feed, meeting, meeting_compound, meeting_invitation, membership},
    error::{AppError, AppResult},
    i18n::Lang,
    policy::RoleScope,
};

/// Whether the caller has a feed, and since when.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct FeedStatus {
    pub created_at: Option<DateTime<Utc>>,
}

/// A new feed address: shown once; only its digest is kept.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct FeedSecret {
    /// The path of the feed on this server, e.g. `/api/v1/calendar/…/meetings.ics`.
    pub path: String,
    pub created_at: DateTime<Utc>,
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether the caller has a feed.
pub async fn feed_status(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<FeedStatus> {
    let row = calendar_feed::Entity::find_by_id(actor.user.id).one(db).await?;
    Ok(FeedStatus { created_at: row.map(|r| r.created_at) })
}

/// Give the caller a new feed address; the old one, if any, stops working.
pub async fn renew_feed(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<FeedSecret> {
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let now = Utc::now();
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        user_id: Set(actor.user.id),
        token_hash: Set(digest(&token)),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([calendar_feed::Column::TokenHash, calendar_feed::Column::CreatedAt])
            .to_owned(),
    )
    .exec(db)
    .await?;
    crate::audit::note(db, Some(actor.user.id), &actor.user, "calendar.renewed", serde_json::json!({})).await?;
    Ok(FeedSecret { path: format!("/api/v1/calendar/{token}/meetings.ics"), created_at: now })
}

/// One event of a feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    pub minutes: i64,
    pub summary: String,
    pub location: Option<String>,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
    pub updated_at: DateTime<Utc>,
}

/// Escape a text value (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line at 75 octets, never inside a character (RFC 5545 §3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The feed of `events` as an iCalendar document.
pub fn render(events: &[Event], name: &str) -> String {
    let mut out = String::new();
    let mut line = |l: String| fold(&l, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Sanfang//Meetings//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", text(name)));
    for e in events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", e.uid));
        line(format!("DTSTAMP:{}", stamp(e.updated_at)));
        line(format!("LAST-MODIFIED:{}", stamp(e.updated_at)));
        line(format!("DTSTART:{}", stamp(e.starts_at)));
        line(format!("DTEND:{}", stamp(e.starts_at + Duration::minutes(e.minutes))));
        line(format!("SUMMARY:{}", text(&e.summary)));
        if let Some(l) = &e.location {
            line(format!("LOCATION:{}", text(l)));
        }
        line(format!("DESCRIPTION:{}", text(&e.description)));
        line(format!("URL:{}", e.url));
        line(format!("STATUS:{}", if e.cancelled { "CANCELLED" } else { "CONFIRMED" }));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

/// The meetings person `user_id` may see from 90 days ago on: those they are invited to, and
/// those of the compounds (or, for the community office, the communities) where they have a role
/// — a mediation only to its sides and the office.
async fn meetings_seen(db: &impl ConnectionTrait, user_id: i64) -> AppResult<Vec<meeting::Model>> {
    let roles = membership::Entity::find().filter(membership::Column::UserId.eq(user_id)).all(db).await?;
    let office: Vec<i64> = roles
        .iter()
        .filter(|m| crate::policy::Role::parse(&m.role).is_some_and(|r| r.scope() == RoleScope::Community))
        .filter_map(|m| m.community_id)
        .collect();
    let compounds: Vec<i64> = roles.iter().filter_map(|m| m.compound_id).collect();
    let invited: Vec<i64> = meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|i| i.meeting_id)
        .collect();
    let in_compounds: Vec<i64> = meeting_compound::Entity::find()
        .filter(meeting_compound::Column::CompoundId.is_in(compounds))
        .all(db)
        .await?
        .into_iter()
        .map(|mc| mc.meeting_id)
        .collect();
    let from = Utc::now() - Duration::days(90);
    let found = meeting::Entity::find()
        .filter(meeting::Column::StartsAt.gte(from))
        .filter(
            sea_orm::Condition::any()
                .add(meeting::Column::Id.is_in(invited.clone()))
                .add(meeting::Column::Id.is_in(in_compounds))
                .add(meeting::Column::CommunityId.is_in(office.clone())),
        )
        .order_by_asc(meeting::Column::StartsAt)
        .all(db)
        .await?;
    Ok(found
        .into_iter()
        .filter(|m| {
            m.kind.rules().visibility == Visibility::Compounds
                || invited.contains(&m.id)
                || office.contains(&m.community_id)
        })
        .collect())
}

/// The kind's name, as a calendar shows it.
pub fn kind_name(kind: MeetingKind, lang: Lang) -> String {
    crate::audit::sentence::word(lang, &format!("meeting_kind.{}", kind.as_str()))
}

/// The feed behind secret `token`, with links to the app at `origin` (e.g. `https://example.org`).
pub async fn feed(db: &impl ConnectionTrait, token: &str, origin: &str) -> AppResult<String> {
    let row = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(digest(token)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let user = crate::entities::user::Entity::find_by_id(row.user_id).one(db).await?.ok_or(AppError::NotFound)?;
    let lang = user.language.as_deref().and_then(Lang::from_tag).unwrap_or(Lang::Zh);
    let events: Vec<Event> = meetings_seen(db, row.user_id)
        .await?
        .into_iter()
        .map(|m| Event {
            uid: format!("meeting-{}@sanfang", m.id),
            starts_at: m.starts_at,
            minutes: i64::from(m.duration_minutes),
            summary: format!("{}：{}", kind_name(m.kind, lang), m.title),
            location: match (&m.place, &m.online_link) {
                (Some(p), _) => Some(p.clone()),
                (None, link) => link.clone(),
            },
            description: m.description.clone(),
            url: format!("{origin}/meetings/{}", m.id),
            cancelled: m.status == MeetingStatus::Cancelled,
            updated_at: m.updated_at,
        })
        .collect();
    Ok(render(&events, &crate::audit::sentence::word(lang, "meeting_calendar_name")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        let at = DateTime::from_timestamp(1_796_000_000, 0).unwrap();
        Event {
            uid: "meeting-1@sanfang".into(),
            starts_at: at,
            minutes: 90,
            summary: "三方协同协商会议：北门外垃圾堆放, 清运分工".into(),
            location: Some("社区党群服务中心 2 楼; 会议室".into()),
            description: "第一行\n第二行：".to_owned() + &"很长的说明".repeat(20),
            url: "https://example.org/meetings/1".into(),
            cancelled: false,
            updated_at: at,
        }
    }

    #[test]
    fn a_feed_is_crlf_lines_of_at_most_75_octets_with_escaped_text() {
        let ics = render(&[event()], "三方议事 · 会议");
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
            assert!(!line.contains('\n'));
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:三方协同协商会议：北门外垃圾堆放\\, 清运分工\r\n"));
        assert!(unfolded.contains("LOCATION:社区党群服务中心 2 楼\\; 会议室\r\n"));
        assert!(unfolded.contains("DESCRIPTION:第一行\\n第二行："));
        assert!(unfolded.contains("DTSTART:20261130T"));
        assert!(unfolded.contains("URL:https://example.org/meetings/1\r\n"));
        assert!(unfolded.contains("STATUS:CONFIRMED"));
    }

    #[test]
    fn a_cancelled_meeting_stays_in_the_feed_as_cancelled_and_ends_after_its_duration() {
        let mut e = event();
        e.cancelled = true;
        let ics = render(&[e.clone()], "x").replace("\r\n ", "");
        assert!(ics.contains("STATUS:CANCELLED"));
        let end = stamp(e.starts_at + Duration::minutes(90));
        assert!(ics.contains(&format!("DTEND:{end}")));
    }
}
