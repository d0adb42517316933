//! Handing an item on to where it is decided: a binding vote of the owners, drafted with the
//! item's text and dated so that the compound's notice period is kept, or a questionnaire to
//! hear them first. The draft waits for whoever manages votes or questionnaires to check and
//! publish it; the item points to it, and it back to the meeting.
use chrono::{DateTime, Duration, DurationRound, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use super::{ItemOutcome, ItemSource, ItemStatus, LoadedMeeting, MeetingStatus, item_of, may_chair, meeting_for};
use crate::{
    audit,
    auth::Actor,
    entities::{agenda, compound, meeting_item},
    error::{AppError, AppResult},
    i18n::{Lang, render},
    msg,
    questionnaires::{
        model::{AnswerPer, Audience, Question, QuestionKind, ResultsVisibility},
        ops as questionnaires,
        views::NewQuestionnaire,
    },
    votes::{model::VoteForm, ops as votes, rules::earliest_opening, tally::Matter, views::NewVote},
};

/// Where an item goes on to be decided.
#[derive(Deserialize, ToSchema, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HandoffTarget {
    /// A binding vote of the owners (Civil Code Art. 278).
    Vote,
    /// A questionnaire, to hear the owners first.
    Questionnaire,
}

/// Hand an item on to a vote or a questionnaire, drafted from it.
#[derive(Deserialize, ToSchema, Debug, Clone)]
pub struct HandoffRequest {
    pub to: HandoffTarget,
    /// The compound whose owners decide: needed only when several take part.
    pub compound_id: Option<i64>,
    /// What the vote decides (Civil Code Art. 278), which sets its threshold: needed for a vote.
    pub matter: Option<Matter>,
}

/// The window a vote handed on at `now` is drafted with: it opens a day after the earliest the
/// compound's notice period allows (a day to check and publish the draft), on the hour, and runs
/// for 14 days.
pub fn vote_window(now: DateTime<Utc>, notice_days: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let opens = earliest_opening(now, notice_days) + Duration::days(1);
    let opens = opens.duration_trunc(Duration::hours(1)).unwrap_or(opens) + Duration::hours(1);
    (opens, opens + Duration::days(14))
}

/// Whether an item may be handed on: not already handed on, and either still without an outcome
/// or agreed (to put it to the owners); an item not agreed or deferred stays where it is.
pub fn may_hand_off(item: &meeting_item::Model) -> Result<(), AppError> {
    if item.handed_to_kind.is_some() {
        return Err(AppError::conflict("meeting_item_handed_off", msg!("meeting_item_handed_off")));
    }
    if item.status == ItemStatus::Done && item.outcome != Some(ItemOutcome::Agreed) {
        return Err(AppError::conflict("meeting_item_done", msg!("meeting_item_done")));
    }
    Ok(())
}

/// The compound whose owners decide: the one asked for, among those taking part, or the only one.
fn deciding_compound(m: &LoadedMeeting, asked: Option<i64>) -> AppResult<compound::Model> {
    match (asked, m.compounds.as_slice()) {
        (Some(id), all) => all.iter().find(|c| c.id == id).cloned(),
        (None, [only]) => Some(only.clone()),
        (None, _) => None,
    }
    .ok_or_else(|| AppError::field("compound_id", msg!("meeting_handoff_compound")))
}

/// The text of what is handed on: the item's description and outcome, and where it came from.
fn drafted_text(lang: Lang, m: &LoadedMeeting, item: &meeting_item::Model) -> String {
    let date = crate::china_time::date(m.meeting.starts_at).to_string();
    let source = render(lang, "meeting_handoff_source", |name| match name {
        "title" => Some(m.meeting.title.clone()),
        "id" => Some(m.meeting.id.to_string()),
        "date" => Some(date.clone()),
        "position" => Some(item.position.to_string()),
        _ => None,
    })
    .unwrap_or_default();
    let parts = [Some(item.description.trim()), item.outcome_text.as_deref().map(str::trim), Some(source.as_str())];
    parts.into_iter().flatten().filter(|p| !p.is_empty()).collect::<Vec<_>>().join("\n\n")
}

/// One message of the catalogue in `lang`, with no parameters.
fn word(lang: Lang, key: &str) -> String {
    render(lang, key, |_| None).unwrap_or_else(|| key.to_owned())
}

/// The questionnaire an item is handed on to: one question on the item with the usual three
/// answers, and room for other views; each household answers once, named, until it closes a week
/// after it opens, and the results are shown after it closes.
fn questionnaire_from(lang: Lang, item: &meeting_item::Model, text: String, now: DateTime<Utc>) -> NewQuestionnaire {
    let opens = now.duration_trunc(Duration::hours(1)).unwrap_or(now) + Duration::hours(1);
    let question = render(lang, "meeting_handoff_question", |n| (n == "title").then(|| item.title.clone()));
    NewQuestionnaire {
        title: item.title.clone(),
        description: text,
        questions: vec![
            Question {
                kind: QuestionKind::Single,
                text: question.unwrap_or_else(|| item.title.clone()),
                required: true,
                options: ["meeting_handoff_agree", "meeting_handoff_disagree", "meeting_handoff_no_view"]
                    .map(|k| word(lang, k))
                    .to_vec(),
                max_picks: None,
            },
            Question {
                kind: QuestionKind::Text,
                text: word(lang, "meeting_handoff_other_views"),
                required: false,
                options: Vec::new(),
                max_picks: None,
            },
        ],
        audience: Audience::Owners,
        building_ids: None,
        anonymous: false,
        answer_per: AnswerPer::Holder,
        allow_edit: true,
        results_visibility: ResultsVisibility::AfterClose,
        opens_at: opens,
        closes_at: opens + Duration::days(7),
        agenda_id: (item.source_kind == Some(ItemSource::Agenda)).then_some(item.source_id).flatten(),
    }
}

/// Hand item `item_id` of meeting `id` on to a binding vote or a questionnaire of a compound
/// taking part, drafted from the item: by whoever chairs, once the meeting has opened, if they
/// may also draft votes or questionnaires there. An item without an outcome is done with it.
pub async fn hand_off(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    item_id: i64,
    req: HandoffRequest,
) -> AppResult<LoadedMeeting> {
    let m = meeting_for(db, actor, id).await?;
    if !may_chair(actor, &m) {
        return Err(AppError::Forbidden);
    }
    if !matches!(m.meeting.status, MeetingStatus::InProgress | MeetingStatus::Held) {
        return Err(AppError::conflict("meeting_not_held", msg!("meeting_not_held")));
    }
    let item = item_of(db, &m, item_id).await?;
    may_hand_off(&item)?;
    let c = deciding_compound(&m, req.compound_id)?;
    let lang = actor.language().unwrap_or(Lang::Zh);
    let text = drafted_text(lang, &m, &item);
    let now = Utc::now();
    let (kind, drafted) = match req.to {
        HandoffTarget::Vote => {
            let matter = req.matter.ok_or_else(|| AppError::field("matter", msg!("meeting_handoff_matter")))?;
            let (opens_at, closes_at) = vote_window(now, c.notice_days);
            let vote = NewVote {
                title: item.title.clone(),
                body: text,
                matter,
                form: VoteForm::Motion,
                seats: None,
                candidates: Vec::new(),
                secret: false,
                allow_change: false,
                building_ids: None,
                opens_at,
                closes_at,
                attachment_ids: Vec::new(),
            };
            (ItemSource::Vote, votes::draft(db, actor, &c, &vote).await?.id)
        }
        HandoffTarget::Questionnaire => {
            let mut q = questionnaire_from(lang, &item, text, now);
            // Tied to the item's agenda only where that agenda is of the compound asked (or of the
            // whole community), as a questionnaire's agenda must be.
            if let Some(id) = q.agenda_id {
                let a = agenda::Entity::find_by_id(id).one(db).await?;
                if a.is_none_or(|a| a.compound_id.is_some_and(|own| own != c.id)) {
                    q.agenda_id = None;
                }
            }
            (ItemSource::Questionnaire, questionnaires::draft(db, actor, &c, &q).await?.id)
        }
    };
    let position = item.position;
    let mut row = item.clone().into_active_model();
    row.handed_to_kind = Set(Some(kind));
    row.handed_to_id = Set(Some(drafted));
    if item.status != ItemStatus::Done {
        row.status = Set(ItemStatus::Done);
        row.closed_at = Set(Some(now));
    }
    row.update(db).await?;
    let action = if kind == ItemSource::Vote { "meeting.handed_to_vote" } else { "meeting.handed_to_questionnaire" };
    audit::note(db, Some(actor.user.id), &m.meeting, action, json!({ "item": position, "target": drafted })).await?;
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::fixtures;

    #[test]
    fn a_vote_handed_on_opens_after_the_notice_period_and_a_day_on_the_hour() {
        let now = DateTime::parse_from_rfc3339("2026-12-06T10:20:00Z").unwrap().with_timezone(&Utc);
        let (opens, closes) = vote_window(now, 7);
        assert_eq!(opens.to_rfc3339(), "2026-12-14T11:00:00+00:00");
        assert_eq!(closes - opens, Duration::days(14));
        assert!(crate::votes::rules::check_notice(now, 7, opens, closes).is_ok());
        assert!(crate::votes::rules::check_notice(now + Duration::hours(23), 7, opens, closes).is_ok());
        let (opens, _) = vote_window(now, 0);
        assert_eq!(opens.to_rfc3339(), "2026-12-07T11:00:00+00:00");
    }

    fn item(status: ItemStatus, outcome: Option<ItemOutcome>) -> meeting_item::Model {
        meeting_item::Model { status, outcome, ..fixtures::item(1, "电梯加装") }
    }

    fn code(r: Result<(), AppError>) -> &'static str {
        match r {
            Err(AppError::Conflict { code, .. }) => code,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn only_an_item_still_open_or_agreed_is_handed_on_and_only_once() {
        assert!(may_hand_off(&item(ItemStatus::Pending, None)).is_ok());
        assert!(may_hand_off(&item(ItemStatus::Open, None)).is_ok());
        assert!(may_hand_off(&item(ItemStatus::Done, Some(ItemOutcome::Agreed))).is_ok());
        assert_eq!(code(may_hand_off(&item(ItemStatus::Done, Some(ItemOutcome::NotAgreed)))), "meeting_item_done");
        assert_eq!(code(may_hand_off(&item(ItemStatus::Done, Some(ItemOutcome::Deferred)))), "meeting_item_done");
        let mut handed = item(ItemStatus::Done, None);
        handed.handed_to_kind = Some(ItemSource::Vote);
        handed.handed_to_id = Some(9);
        assert_eq!(code(may_hand_off(&handed)), "meeting_item_handed_off");
    }
}
