//! The room: every screen following a live meeting (the chair's, the projector's, each phone).
//!
//! A change to a meeting is announced after its transaction commits. On PostgreSQL the
//! announcement is a `NOTIFY` on [`CHANNEL`], so every server process on the database hears it
//! (its own included) and tells the screens connected to it; on SQLite, which one process
//! serves, it goes straight to them. Each process loads the meeting's live state once per change
//! and hands the same bytes to all its screens.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Statement,
};
use serde::Serialize;
use tokio::sync::broadcast;
use utoipa::ToSchema;

use super::{Attendance, ItemOutcome, ItemStatus, MeetingKind, MeetingStatus, attendance};
use crate::{
    entities::{meeting, meeting_invitation, meeting_item, party},
    error::{AppError, AppResult},
};

/// The PostgreSQL channel that carries the ids of meetings that changed.
pub const CHANNEL: &str = "sanfang_meeting";
/// How many changes a slow screen may fall behind before it skips to the latest.
const BACKLOG: usize = 16;

/// An item as the room follows it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct LiveItem {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub minutes: i32,
    pub status: ItemStatus,
    pub outcome: Option<ItemOutcome>,
}

/// The item the chair has open, in full.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct LiveCurrent {
    pub id: i64,
    pub position: i32,
    pub title: String,
    pub description_html: String,
    /// The recorder's notes so far.
    pub notes: String,
    pub opened_at: Option<DateTime<Utc>>,
}

/// What every screen in the room shows: the same for everyone who may see the meeting.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct LiveState {
    pub meeting_id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub status: MeetingStatus,
    pub current: Option<LiveCurrent>,
    pub items: Vec<LiveItem>,
    pub attendance: Attendance,
    /// When this state was read.
    pub at: DateTime<Utc>,
}

/// The live state of meeting `id` (whoever asks has been allowed to see it).
pub async fn live_state(db: &impl ConnectionTrait, id: i64) -> AppResult<LiveState> {
    let m = meeting::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let items = meeting_item::Entity::find()
        .filter(meeting_item::Column::MeetingId.eq(id))
        .order_by_asc(meeting_item::Column::Position)
        .all(db)
        .await?;
    let invitations =
        meeting_invitation::Entity::find().filter(meeting_invitation::Column::MeetingId.eq(id)).all(db).await?;
    let parties = parties_of(db, &invitations).await?;
    let current = items.iter().find(|i| Some(i.id) == m.current_item_id).map(|i| LiveCurrent {
        id: i.id,
        position: i.position,
        title: i.title.clone(),
        description_html: crate::markdown::to_html(&i.description),
        notes: i.notes.clone(),
        opened_at: i.opened_at,
    });
    Ok(LiveState {
        meeting_id: m.id,
        kind: m.kind,
        title: m.title,
        status: m.status,
        current,
        items: items
            .iter()
            .map(|i| LiveItem {
                id: i.id,
                position: i.position,
                title: i.title.clone(),
                minutes: i.minutes,
                status: i.status,
                outcome: i.outcome,
            })
            .collect(),
        attendance: attendance(m.kind, &invitations, &parties),
        at: Utc::now(),
    })
}

/// The parties the invitations name.
pub async fn parties_of(
    db: &impl ConnectionTrait,
    invitations: &[meeting_invitation::Model],
) -> AppResult<HashMap<i64, party::Model>> {
    crate::tenancy::parties_by_id(db, invitations.iter().filter_map(|i| i.party_id)).await
}

/// The screens following each meeting in this process.
pub struct Room {
    db: DatabaseConnection,
    screens: Mutex<HashMap<i64, broadcast::Sender<Arc<str>>>>,
}

impl Room {
    /// A room over `db`; on PostgreSQL it starts listening for the changes every process
    /// announces.
    pub fn start(db: DatabaseConnection) -> Arc<Room> {
        let room = Arc::new(Room { db, screens: Mutex::new(HashMap::new()) });
        if room.db.get_database_backend() == DatabaseBackend::Postgres {
            tokio::spawn(listen(Arc::downgrade(&room)));
        }
        room
    }

    /// Follow meeting `id`: every change from now on, as the JSON of its [`LiveState`].
    pub fn follow(&self, id: i64) -> broadcast::Receiver<Arc<str>> {
        let mut screens = self.screens.lock().expect("room lock");
        screens.entry(id).or_insert_with(|| broadcast::channel(BACKLOG).0).subscribe()
    }

    /// Announce that meeting `id` changed, once its transaction has committed.
    pub async fn changed(&self, id: i64) {
        if self.db.get_database_backend() == DatabaseBackend::Postgres {
            let notify = Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), id.to_string().into()],
            );
            match self.db.execute_raw(notify).await {
                Ok(_) => return,
                // The database will not carry it: at least this process's screens hear of it.
                Err(e) => tracing::warn!(error = %e, meeting = id, "announcing a meeting's change failed"),
            }
        }
        self.deliver(id).await;
    }

    /// Tell this process's screens following meeting `id` its new state.
    async fn deliver(&self, id: i64) {
        let sender = {
            let mut screens = self.screens.lock().expect("room lock");
            match screens.get(&id) {
                Some(s) if s.receiver_count() == 0 => {
                    screens.remove(&id);
                    return;
                }
                Some(s) => s.clone(),
                None => return,
            }
        };
        match live_state(&self.db, id)
            .await
            .and_then(|s| serde_json::to_string(&s).map_err(|e| AppError::Internal(e.into())))
        {
            Ok(json) => {
                let _ = sender.send(Arc::from(json));
            }
            Err(e) => tracing::warn!(error = %e, meeting = id, "reading a meeting's live state failed"),
        }
    }
}

/// Hear the changes announced on PostgreSQL by every process and deliver them here, for as long
/// as the room exists; reconnect after a lost connection.
async fn listen(room: std::sync::Weak<Room>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let Some(pool) = room.upgrade().map(|r| r.db.get_postgres_connection_pool().clone()) else { return };
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "listening for meeting changes failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if let Err(e) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %e, "listening for meeting changes failed; retrying");
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        }
        loop {
            let n = match listener.recv().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "the meeting-change listener lost its connection; reconnecting");
                    break;
                }
            };
            let Some(room) = room.upgrade() else { return };
            if let Ok(id) = n.payload().parse::<i64>() {
                room.deliver(id).await;
            }
        }
    }
}
