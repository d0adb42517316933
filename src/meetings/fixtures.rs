//! A meeting and an item as the unit tests of meetings (and of what is drawn from them) build
//! them: a consultation held on 2026-12-06 at 14:00 China time, chaired and recorded by user 1.
use chrono::{DateTime, Utc};

use super::{ItemStatus, LoadedMeeting, MeetingKind, MeetingStatus};
use crate::entities::{meeting, meeting_item};

/// Meeting 7 of kind `kind`, in progress, in compound 2 of community 1.
pub fn meeting(kind: MeetingKind) -> LoadedMeeting {
    let at: DateTime<Utc> = "2026-12-06T06:00:00Z".parse().expect("a valid time");
    LoadedMeeting {
        meeting: meeting::Model {
            id: 7,
            community_id: 1,
            compound_id: Some(2),
            kind,
            title: "北门外垃圾清运协商".into(),
            description: String::new(),
            status: MeetingStatus::InProgress,
            starts_at: at,
            duration_minutes: 90,
            place: None,
            online_link: None,
            chair_id: 1,
            recorder_id: 1,
            convened_by: 1,
            convening_party: "community_office".into(),
            cancel_reason: None,
            previous_meeting_id: None,
            current_item_id: None,
            created_at: at,
            updated_at: at,
            opened_at: Some(at),
            closed_at: None,
            sign_in_sheet_file_id: None,
        },
        compounds: Vec::new(),
        mine: None,
    }
}

/// Item `id` of meeting 7, pending, with no source, notes or outcome.
pub fn item(id: i64, title: &str) -> meeting_item::Model {
    meeting_item::Model {
        id,
        meeting_id: 7,
        position: id as i32,
        title: title.into(),
        description: String::new(),
        source_kind: None,
        source_id: None,
        presenter_id: None,
        minutes: 30,
        status: ItemStatus::Pending,
        notes: String::new(),
        outcome: None,
        outcome_text: None,
        hands_for: None,
        hands_against: None,
        hands_abstaining: None,
        carried_from: None,
        handed_to_kind: None,
        handed_to_id: None,
        opened_at: None,
        closed_at: None,
    }
}
