//! Minutes, step by step: drafted from the record by the recorder, corrected by those who
//! attended, signed seat by seat on one version's exact text, published to the compound and
//! added to only by chained addenda. Every step writes in the caller's transaction and leaves its
//! trace, with the text's SHA-256, on the audit chain.
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use serde_json::json;

use super::{
    draft::{self, Counted, Record, VoteFigures},
    rules::{self, SeatOf},
    views::*,
};
use crate::{
    accounts::user_names,
    audit,
    auth::Actor,
    db::Transition,
    entities::{
        community, meeting, meeting_invitation, minutes, minutes_addendum, minutes_correction, minutes_signature,
        minutes_version, notice_recipient, owner_link, unit, vote,
    },
    error::{AppError, AppResult, require, unique_conflict},
    meetings::{
        self, Capacity, ItemSource, LoadedMeeting, MeetingKind, MeetingStatus, Person, Visibility, may_record,
        meeting_for, room::parties_of,
    },
    msg,
    notices::{self, Deed, NewNotice, NoticeText, audience::people_of_compound},
    policy::{PartyKind, Permission},
    roster::building_names,
    tenancy::compound_for,
    text::{optional_text, required_text},
};

/// The longest text of minutes, in characters.
const TEXT_MAX: usize = 100_000;
/// The longest reason, opinion or comment.
const REASON_MAX: usize = 2_000;
/// How far ahead a correction period or a sign-off deadline may be set.
const PERIOD_MAX_DAYS: i64 = 30;

/// A meeting's minutes, with the meeting and its invitations.
pub struct Loaded {
    pub m: LoadedMeeting,
    pub minutes: minutes::Model,
    pub invitations: Vec<meeting_invitation::Model>,
}

impl Loaded {
    fn attended(&self, user_id: i64) -> bool {
        self.invitations.iter().any(|i| i.user_id == user_id && i.signed_in_at.is_some())
    }

    fn link(&self) -> String {
        format!("/meetings/{}/minutes", self.m.meeting.id)
    }
}

fn changed() -> AppError {
    AppError::conflict("minutes_changed", msg!("minutes_changed"))
}

fn person(names: &HashMap<i64, String>, id: i64) -> Person {
    Person { id, name: names.get(&id).cloned().unwrap_or_default() }
}

async fn invitations(db: &impl ConnectionTrait, meeting_id: i64) -> AppResult<Vec<meeting_invitation::Model>> {
    Ok(meeting_invitation::Entity::find()
        .filter(meeting_invitation::Column::MeetingId.eq(meeting_id))
        .order_by_asc(meeting_invitation::Column::Id)
        .all(db)
        .await?)
}

/// The minutes of meeting `meeting_id`, to the caller: published ones to whoever may see the
/// meeting (a mediation's only to its sides and the community office), the draft only to those
/// who keep the record and those who attended. Anyone else is told there are none (404).
pub async fn load(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64) -> AppResult<Loaded> {
    let m = meeting_for(db, actor, meeting_id).await?;
    let minutes = minutes::Entity::find()
        .filter(minutes::Column::MeetingId.eq(meeting_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let invitations = invitations(db, meeting_id).await?;
    let l = Loaded { m, minutes, invitations };
    if l.minutes.status != MinutesStatus::Published && !may_record(actor, &l.m) && !l.attended(actor.user.id) {
        return Err(AppError::NotFound);
    }
    Ok(l)
}

/// Whether someone came to the meeting as an owner or resident rather than for a party: the
/// minutes show them by room, never by name.
fn by_room(inv: &[meeting_invitation::Model], user_id: i64) -> bool {
    inv.iter().any(|i| i.user_id == user_id && matches!(i.capacity, Capacity::Owner | Capacity::Resident))
}

/// The rooms of `users` in the compounds taking part, as `3栋-1201` (several joined with 、).
async fn rooms_of(db: &impl ConnectionTrait, m: &LoadedMeeting, users: &[i64]) -> AppResult<HashMap<i64, String>> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let links = owner_link::Entity::find().filter(owner_link::Column::UserId.is_in(users.to_vec())).all(db).await?;
    let compounds: Vec<i64> = m.compounds.iter().map(|c| c.id).collect();
    let units = unit::Entity::find()
        .filter(unit::Column::HolderId.is_in(links.iter().map(|l| l.holder_id)))
        .filter(unit::Column::CompoundId.is_in(compounds))
        .all(db)
        .await?;
    let buildings = building_names(db, units.iter().map(|u| u.building_id)).await?;
    let mut rooms: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for l in &links {
        for u in units.iter().filter(|u| u.holder_id == l.holder_id) {
            let b = buildings.get(&u.building_id).map(String::as_str).unwrap_or_default();
            rooms.entry(l.user_id).or_default().insert(format!("{b}-{}", u.number));
        }
    }
    Ok(rooms.into_iter().map(|(u, r)| (u, r.into_iter().collect::<Vec<_>>().join("、"))).collect())
}

/// The rooms of the owners and residents who signed in, sorted: the minutes print them, never
/// their names.
async fn rooms_present(
    db: &impl ConnectionTrait,
    m: &LoadedMeeting,
    inv: &[meeting_invitation::Model],
) -> AppResult<Vec<String>> {
    let users: Vec<i64> =
        inv.iter().filter(|i| by_room(inv, i.user_id) && i.signed_in_at.is_some()).map(|i| i.user_id).collect();
    let rooms: BTreeSet<String> = rooms_of(db, m, &users).await?.into_values().collect();
    Ok(rooms.into_iter().collect())
}

/// The votes the items are drawn from or handed on to, with their arithmetic once counted.
async fn vote_figures(db: &impl ConnectionTrait, view: &meetings::MeetingView) -> AppResult<HashMap<i64, VoteFigures>> {
    let ids: Vec<i64> = view
        .items
        .iter()
        .flat_map(|i| [(i.source, i.source_id), (i.handed_to, i.handed_to_id)])
        .filter_map(|(k, id)| (k == Some(ItemSource::Vote)).then_some(id).flatten())
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let votes = vote::Entity::find().filter(vote::Column::Id.is_in(ids)).all(db).await?;
    Ok(votes
        .into_iter()
        .map(|v| {
            let r: Option<serde_json::Value> = v.result.as_deref().and_then(|r| serde_json::from_str(r).ok());
            let counted = r.and_then(|r| {
                let area = |k: &str| r[k]["area"].as_str().map(str::to_owned);
                let heads = |k: &str| r[k]["headcount"].as_i64();
                Some(Counted {
                    total_area: area("total")?,
                    total_heads: heads("total")?,
                    participating_area: area("participating")?,
                    participating_heads: heads("participating")?,
                    agree_area: area("agree")?,
                    agree_heads: heads("agree")?,
                    passed: r["passed"].as_bool()?,
                })
            });
            (v.id, VoteFigures { title: v.title, counted })
        })
        .collect())
}

/// Insert version `version` of the minutes and put it on the audit chain.
async fn save_version(
    db: &impl ConnectionTrait,
    actor: &Actor,
    mt: &meeting::Model,
    minutes_id: i64,
    version: i32,
    text: &str,
    reason: &str,
) -> AppResult<String> {
    let digest = rules::digest(text);
    minutes_version::Entity::insert(minutes_version::ActiveModel {
        minutes_id: Set(minutes_id),
        version: Set(version),
        text: Set(text.to_owned()),
        digest: Set(digest.clone()),
        author_id: Set(actor.user.id),
        reason: Set(reason.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(unique_conflict("minutes_changed", msg!("minutes_changed")))?;
    let detail = json!({ "version": version, "digest": digest, "reason": reason });
    audit::note(db, Some(actor.user.id), mt, "minutes.saved", detail).await?;
    Ok(digest)
}

/// Draft the minutes of meeting `meeting_id` from its record: by whoever keeps the record, once
/// the meeting has been held; once.
pub async fn draft(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64) -> AppResult<()> {
    let m = meeting_for(db, actor, meeting_id).await?;
    require(may_record(actor, &m))?;
    if m.meeting.status != MeetingStatus::Held {
        return Err(AppError::conflict("minutes_meeting_not_held", msg!("minutes_meeting_not_held")));
    }
    let view = meetings::view(db, actor, &m).await?;
    let inv = invitations(db, meeting_id).await?;
    let community = community::Entity::find_by_id(m.meeting.community_id).one(db).await?.map(|c| c.name);
    let record = Record {
        meeting: &view,
        community: community.unwrap_or_default(),
        compounds: m.compounds.iter().map(|c| c.name.clone()).collect(),
        rooms_present: rooms_present(db, &m, &inv).await?,
        votes: vote_figures(db, &view).await?,
    };
    let text = draft::draft(&record).trim().to_owned();
    let now = Utc::now();
    let row = minutes::Entity::insert(minutes::ActiveModel {
        meeting_id: Set(meeting_id),
        status: Set(MinutesStatus::Drafting),
        version: Set(1),
        text: Set(text.clone()),
        drafted_by: Set(actor.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await
    .map_err(unique_conflict("minutes_exist", msg!("minutes_exist")))?;
    save_version(db, actor, &m.meeting, row.id, 1, &text, "drafted").await?;
    Ok(())
}

/// Save `text` as the next version, in place of version `from`; under sign-off, the seats are
/// asked again to sign the new version (every signed version stays readable).
async fn revise(
    db: &impl ConnectionTrait,
    actor: &Actor,
    l: &Loaded,
    from: i32,
    text: &str,
    reason: &str,
) -> AppResult<()> {
    let next = from + 1;
    let signing = l.minutes.status == MinutesStatus::Signing;
    let mut update = minutes::Entity::update_many()
        .col_expr(minutes::Column::Version, Expr::value(next))
        .col_expr(minutes::Column::Text, Expr::value(text.to_owned()))
        .col_expr(minutes::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(minutes::Column::Id.eq(l.minutes.id))
        .filter(minutes::Column::Version.eq(from))
        .filter(minutes::Column::Status.ne(MinutesStatus::Published));
    if signing {
        update = update.col_expr(minutes::Column::SigningVersion, Expr::value(next));
    }
    crate::db::claim(db, update, changed).await?;
    save_version(db, actor, &l.m.meeting, l.minutes.id, next, text, reason).await?;
    if signing {
        ask_to_sign(db, l, next).await?;
        audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.sign_off_restarted", json!({ "version": next }))
            .await?;
    }
    Ok(())
}

/// The recorder's edit of the text, saved as a new version.
pub async fn edit(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64, req: EditMinutes) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(may_record(actor, &l.m))?;
    not_published(&l.minutes)?;
    let text = required_text("text", &req.text, TEXT_MAX)?;
    if req.version != l.minutes.version {
        return Err(changed());
    }
    if text == l.minutes.text {
        return Ok(());
    }
    revise(db, actor, &l, req.version, &text, "edited").await
}

fn not_published(m: &minutes::Model) -> AppResult<()> {
    if m.status == MinutesStatus::Published {
        Err(AppError::conflict("minutes_published", msg!("minutes_published")))
    } else {
        Ok(())
    }
}

/// A deadline `field` set at `now`: in the future, and at most 30 days ahead.
fn check_period(field: &str, at: DateTime<Utc>, now: DateTime<Utc>) -> AppResult<()> {
    if at <= now || at > now + Duration::days(PERIOD_MAX_DAYS) {
        return Err(AppError::field(field, msg!("minutes_period", days = PERIOD_MAX_DAYS)));
    }
    Ok(())
}

/// Open the draft to corrections by those who attended, until `until`; they are told.
pub async fn circulate(
    db: &impl ConnectionTrait,
    actor: &Actor,
    meeting_id: i64,
    req: CirculateRequest,
) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(may_record(actor, &l.m))?;
    check_period("until", req.until, Utc::now())?;
    Transition::<minutes::Entity>::of(
        minutes::Column::Id,
        l.minutes.id,
        minutes::Column::Status,
        [MinutesStatus::Drafting, MinutesStatus::Correcting],
        MinutesStatus::Correcting,
    )
    .set(minutes::Column::CorrectionsUntil, req.until)
    .set(minutes::Column::UpdatedAt, Utc::now())
    .apply(db, || AppError::conflict("minutes_not_drafting", msg!("minutes_not_drafting")))
    .await?;
    let attendees: Vec<i64> = l
        .invitations
        .iter()
        .filter(|i| i.signed_in_at.is_some() && i.user_id != actor.user.id)
        .map(|i| i.user_id)
        .collect();
    let params = json!({ "title": l.m.meeting.title, "open_until": req.until });
    tell(db, &l, "minutes_corrections_open", params, &attendees).await?;
    audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.circulated", json!({ "until": req.until })).await
}

/// A notice about the minutes, leading to them.
async fn tell(
    db: &impl ConnectionTrait,
    l: &Loaded,
    kind: &'static str,
    params: serde_json::Value,
    recipients: &[i64],
) -> AppResult<Option<i64>> {
    if recipients.is_empty() {
        return Ok(None);
    }
    let mt = &l.m.meeting;
    let notice = NewNotice {
        community_id: mt.community_id,
        compound_id: l.m.compounds.first().map(|c| c.id),
        kind,
        text: NoticeText::Params(params),
        link: Some(l.link()),
        created_by: Some(mt.recorder_id),
    };
    Ok(Some(notices::publish(db, notice, recipients).await?.id))
}

/// Propose a correction, written on version `req.version`: by someone who attended, while
/// corrections are open.
pub async fn propose(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64, req: NewCorrection) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(l.attended(actor.user.id))?;
    let open =
        l.minutes.status == MinutesStatus::Correcting && l.minutes.corrections_until.is_some_and(|u| Utc::now() < u);
    if !open {
        return Err(AppError::conflict("minutes_corrections_closed", msg!("minutes_corrections_closed")));
    }
    let reason = required_text("reason", &req.reason, REASON_MAX)?;
    let text = required_text("text", &req.text, TEXT_MAX)?;
    let base = minutes_version::Entity::find()
        .filter(minutes_version::Column::MinutesId.eq(l.minutes.id))
        .filter(minutes_version::Column::Version.eq(req.version))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("version", msg!("minutes_no_version")))?;
    let p =
        rules::passage(&base.text, &text).ok_or_else(|| AppError::field("text", msg!("minutes_correction_same")))?;
    let row = minutes_correction::Entity::insert(minutes_correction::ActiveModel {
        minutes_id: Set(l.minutes.id),
        version: Set(req.version),
        author_id: Set(actor.user.id),
        original: Set(p.original),
        replacement: Set(p.replacement),
        reason: Set(reason),
        status: Set(CorrectionStatus::Proposed),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let detail = json!({ "correction": row.id, "version": req.version });
    audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.correction_proposed", detail).await
}

/// Accept or decline correction `correction_id`, with a reason: by the recorder. Accepting puts
/// its passage into the text as it now stands (a new version); a correction whose lines are no
/// longer there is refused (409) until proposed again on the current text.
pub async fn answer_correction(
    db: &impl ConnectionTrait,
    actor: &Actor,
    meeting_id: i64,
    correction_id: i64,
    req: CorrectionAnswerRequest,
) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(may_record(actor, &l.m))?;
    not_published(&l.minutes)?;
    let reason = required_text("reason", &req.reason, REASON_MAX)?;
    let c = minutes_correction::Entity::find_by_id(correction_id)
        .filter(minutes_correction::Column::MinutesId.eq(l.minutes.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let to = if req.accept { CorrectionStatus::Accepted } else { CorrectionStatus::Declined };
    Transition::<minutes_correction::Entity>::of(
        minutes_correction::Column::Id,
        c.id,
        minutes_correction::Column::Status,
        [CorrectionStatus::Proposed],
        to,
    )
    .set(minutes_correction::Column::Answer, reason)
    .set(minutes_correction::Column::AnsweredBy, actor.user.id)
    .set(minutes_correction::Column::AnsweredAt, Utc::now())
    .apply(db, || AppError::conflict("minutes_correction_answered", msg!("minutes_correction_answered")))
    .await?;
    if req.accept {
        let p = rules::Passage { original: c.original.clone(), replacement: c.replacement.clone() };
        let text = rules::apply(&l.minutes.text, &p)
            .ok_or_else(|| AppError::conflict("minutes_correction_stale", msg!("minutes_correction_stale")))?;
        revise(db, actor, &l, l.minutes.version, text.trim(), &format!("correction:{}", c.id)).await?;
    }
    let detail = json!({ "correction": c.id, "accepted": req.accept });
    audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.correction_answered", detail).await
}

/// The seats of `l`'s meeting, asked to sign `version`, and told.
async fn ask_to_sign(db: &impl ConnectionTrait, l: &Loaded, version: i32) -> AppResult<()> {
    let seats = rules::seats(l.m.kind(), l.m.meeting.chair_id, &l.invitations);
    minutes_signature::Entity::insert_many(seats.iter().map(|s| minutes_signature::ActiveModel {
        minutes_id: Set(l.minutes.id),
        version: Set(version),
        seat: Set(s.seat),
        party_id: Set(s.party_id),
        user_id: Set(s.user_id),
        answer: Set(SignAnswer::Pending),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    let mut signers: Vec<i64> =
        l.invitations.iter().map(|i| i.user_id).filter(|&u| may_sign_any(&seats, u, &l.invitations)).collect();
    signers.push(l.m.meeting.chair_id);
    signers.sort_unstable();
    signers.dedup();
    let params = json!({ "title": l.m.meeting.title, "version": version });
    tell(db, l, "minutes_to_sign", params, &signers).await?;
    Ok(())
}

fn may_sign_any(seats: &[SeatOf], user_id: i64, inv: &[meeting_invitation::Model]) -> bool {
    seats.iter().any(|s| rules::may_sign(s, user_id, inv))
}

/// Ask the chair and each seat to sign the current version by `sign_by`: by the recorder, once
/// every correction has been answered.
pub async fn sign_off(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64, req: SignOffRequest) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(may_record(actor, &l.m))?;
    check_period("sign_by", req.sign_by, Utc::now())?;
    let open = minutes_correction::Entity::find()
        .filter(minutes_correction::Column::MinutesId.eq(l.minutes.id))
        .filter(minutes_correction::Column::Status.eq(CorrectionStatus::Proposed))
        .count(db)
        .await?;
    if open > 0 {
        return Err(AppError::conflict("minutes_corrections_open", msg!("minutes_corrections_open", count = open)));
    }
    Transition::<minutes::Entity>::of(
        minutes::Column::Id,
        l.minutes.id,
        minutes::Column::Status,
        [MinutesStatus::Drafting, MinutesStatus::Correcting],
        MinutesStatus::Signing,
    )
    .set(minutes::Column::SignBy, req.sign_by)
    .set(minutes::Column::SigningVersion, l.minutes.version)
    .set(minutes::Column::UpdatedAt, Utc::now())
    .when(minutes::Column::Version.eq(l.minutes.version))
    .apply(db, || AppError::conflict("minutes_not_drafting", msg!("minutes_not_drafting")))
    .await?;
    ask_to_sign(db, &l, l.minutes.version).await?;
    let detail =
        json!({ "version": l.minutes.version, "digest": rules::digest(&l.minutes.text), "sign_by": req.sign_by });
    audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.sign_off", detail).await
}

async fn signatures_of(
    db: &impl ConnectionTrait,
    minutes_id: i64,
    version: Option<i32>,
) -> AppResult<Vec<minutes_signature::Model>> {
    let mut q = minutes_signature::Entity::find().filter(minutes_signature::Column::MinutesId.eq(minutes_id));
    if let Some(v) = version {
        q = q.filter(minutes_signature::Column::Version.eq(v));
    }
    Ok(q.order_by_asc(minutes_signature::Column::Id).all(db).await?)
}

fn seat_of(s: &minutes_signature::Model) -> SeatOf {
    SeatOf { seat: s.seat, party_id: s.party_id, user_id: s.user_id }
}

/// Approve the text whose SHA-256 is `req.digest` (with a dissenting opinion, or not), or return
/// it with a comment: for each seat under sign-off the caller may answer for.
pub async fn sign(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64, req: SignRequest) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    if l.minutes.status != MinutesStatus::Signing {
        return Err(AppError::conflict("minutes_not_signing", msg!("minutes_not_signing")));
    }
    let sigs = signatures_of(db, l.minutes.id, l.minutes.signing_version).await?;
    let mine: Vec<&minutes_signature::Model> =
        sigs.iter().filter(|s| rules::may_sign(&seat_of(s), actor.user.id, &l.invitations)).collect();
    require(!mine.is_empty())?;
    let pending: Vec<&&minutes_signature::Model> = mine.iter().filter(|s| s.answer == SignAnswer::Pending).collect();
    if pending.is_empty() {
        return Err(AppError::conflict("minutes_already_signed", msg!("minutes_already_signed")));
    }
    let digest = rules::digest(&l.minutes.text);
    if req.digest != digest {
        return Err(changed());
    }
    let opinion = optional_text("opinion", req.opinion.as_deref(), REASON_MAX)?;
    let answer = match req.answer {
        SignChoice::Approve => SignAnswer::Approved,
        SignChoice::Dissent => SignAnswer::Dissent,
        SignChoice::Return => SignAnswer::Returned,
    };
    if answer != SignAnswer::Approved && opinion.is_none() {
        return Err(AppError::field("opinion", msg!("minutes_opinion_required")));
    }
    let now = Utc::now();
    for s in pending {
        Transition::<minutes_signature::Entity>::of(
            minutes_signature::Column::Id,
            s.id,
            minutes_signature::Column::Answer,
            [SignAnswer::Pending],
            answer,
        )
        .set(minutes_signature::Column::SignerId, actor.user.id)
        .set(minutes_signature::Column::Opinion, opinion.clone())
        .set(minutes_signature::Column::Digest, digest.clone())
        .set(minutes_signature::Column::AnsweredAt, now)
        .apply(db, || AppError::conflict("minutes_already_signed", msg!("minutes_already_signed")))
        .await?;
        let detail = json!({ "version": s.version, "digest": digest, "seat": s.seat, "party_id": s.party_id,
                             "answer": answer, "opinion": opinion });
        audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.signed", detail).await?;
    }
    notices::done(db, actor.user.id, Deed::SignMinutes, &l.link()).await
}

/// Publish the minutes: once every seat has signed, or once the sign-off deadline has passed.
/// They go to the residents' inbox of the compounds taking part (a mediation's only to its sides
/// and the community office), to be read for `publicity_days`.
pub async fn publish(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64, req: PublishRequest) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(may_record(actor, &l.m))?;
    let days = req.publicity_days.unwrap_or(rules::PUBLICITY_DEFAULT_DAYS);
    if !(1..=rules::PUBLICITY_MAX_DAYS).contains(&days) {
        return Err(AppError::field("publicity_days", msg!("minutes_publicity_days", max = rules::PUBLICITY_MAX_DAYS)));
    }
    let sigs = signatures_of(db, l.minutes.id, l.minutes.signing_version).await?;
    let now = Utc::now();
    let answers: Vec<SignAnswer> = sigs.iter().map(|s| s.answer).collect();
    rules::check_publish(l.minutes.status, &answers, l.minutes.sign_by, now)?;
    if l.minutes.signing_version != Some(l.minutes.version) {
        return Err(changed());
    }
    let recipients = readers(db, &l).await?;
    let until = now + Duration::days(days);
    let params = json!({ "title": l.m.meeting.title, "days": days });
    let notice = tell(db, &l, "minutes_published", params, &recipients).await?;
    Transition::<minutes::Entity>::of(
        minutes::Column::Id,
        l.minutes.id,
        minutes::Column::Status,
        [MinutesStatus::Signing],
        MinutesStatus::Published,
    )
    .set(minutes::Column::PublishedAt, now)
    .set(minutes::Column::PublicityUntil, until)
    .set(minutes::Column::NoticeId, notice)
    .set(minutes::Column::UpdatedAt, now)
    .when(minutes::Column::Version.eq(l.minutes.version))
    .apply(db, changed)
    .await?;
    let held = l.m.meeting.closed_at.unwrap_or(l.m.meeting.starts_at);
    let detail = json!({ "version": l.minutes.version, "digest": rules::digest(&l.minutes.text),
                         "recipients": recipients.len(), "late": rules::late(l.m.kind(), held, now),
                         "unsigned": answers.iter().filter(|a| !rules::signs(**a)).count() });
    audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.published", detail).await
}

/// Who published minutes go to: everyone with a role in the compounds taking part, or, for a
/// kind kept to its sides and the office, those invited.
async fn readers(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<Vec<i64>> {
    let mut ids: BTreeSet<i64> = BTreeSet::new();
    if l.m.kind().rules().visibility == Visibility::SidesAndOffice {
        ids.extend(l.invitations.iter().map(|i| i.user_id));
    } else {
        for c in &l.m.compounds {
            ids.extend(people_of_compound(db, c).await?);
        }
    }
    ids.remove(&l.m.meeting.recorder_id);
    Ok(ids.into_iter().collect())
}

/// Add to published minutes: by the recorder, chained on the digest before it.
pub async fn add_addendum(
    db: &impl ConnectionTrait,
    actor: &Actor,
    meeting_id: i64,
    req: NewAddendum,
) -> AppResult<()> {
    let l = load(db, actor, meeting_id).await?;
    require(may_record(actor, &l.m))?;
    if l.minutes.status != MinutesStatus::Published {
        return Err(AppError::conflict("minutes_not_published", msg!("minutes_not_published")));
    }
    let text = required_text("text", &req.text, 20_000)?;
    let last = minutes_addendum::Entity::find()
        .filter(minutes_addendum::Column::MinutesId.eq(l.minutes.id))
        .order_by_desc(minutes_addendum::Column::Id)
        .one(db)
        .await?;
    let previous = last.map(|a| a.digest).unwrap_or_else(|| rules::digest(&l.minutes.text));
    let digest = rules::chain_digest(&previous, &text);
    let row = minutes_addendum::Entity::insert(minutes_addendum::ActiveModel {
        minutes_id: Set(l.minutes.id),
        text: Set(text),
        digest: Set(digest.clone()),
        author_id: Set(actor.user.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let detail = json!({ "addendum": row.id, "digest": digest, "previous": previous });
    audit::note(db, Some(actor.user.id), &l.m.meeting, "minutes.addendum", detail).await
}

/// The signatures as the caller reads them.
fn signature_views(
    sigs: &[minutes_signature::Model],
    l: &Loaded,
    actor: &Actor,
    names: &HashMap<i64, String>,
    parties: &HashMap<i64, crate::entities::party::Model>,
) -> Vec<SignatureView> {
    let closed = l.minutes.status == MinutesStatus::Published || l.minutes.sign_by.is_some_and(|d| Utc::now() >= d);
    let signing = l.minutes.status == MinutesStatus::Signing;
    sigs.iter()
        .map(|s| {
            let party = s.party_id.and_then(|p| parties.get(&p));
            let current = Some(s.version) == l.minutes.signing_version;
            SignatureView {
                id: s.id,
                version: s.version,
                seat: s.seat,
                party_kind: party.and_then(|p| PartyKind::parse(&p.kind)),
                party_name: party.map(|p| p.name.clone()),
                person: s.signer_id.or(s.user_id).map(|u| person(names, u)),
                answer: s.answer,
                opinion: s.opinion.clone(),
                digest: s.digest.clone(),
                answered_at: s.answered_at,
                did_not_sign: current && closed && !rules::signs(s.answer),
                mine: signing
                    && current
                    && s.answer == SignAnswer::Pending
                    && rules::may_sign(&seat_of(s), actor.user.id, &l.invitations),
            }
        })
        .collect()
}

/// The minutes of meeting `meeting_id`, as the caller sees them.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, meeting_id: i64) -> AppResult<MinutesView> {
    let l = load(db, actor, meeting_id).await?;
    let mn = &l.minutes;
    let versions = minutes_version::Entity::find()
        .filter(minutes_version::Column::MinutesId.eq(mn.id))
        .order_by_asc(minutes_version::Column::Version)
        .all(db)
        .await?;
    let corrections = minutes_correction::Entity::find()
        .filter(minutes_correction::Column::MinutesId.eq(mn.id))
        .order_by_asc(minutes_correction::Column::Id)
        .all(db)
        .await?;
    let addenda = minutes_addendum::Entity::find()
        .filter(minutes_addendum::Column::MinutesId.eq(mn.id))
        .order_by_asc(minutes_addendum::Column::Id)
        .all(db)
        .await?;
    let all_sigs = signatures_of(db, mn.id, None).await?;
    let mut ids: Vec<i64> = vec![mn.drafted_by];
    ids.extend(versions.iter().map(|v| v.author_id));
    ids.extend(corrections.iter().flat_map(|c| [Some(c.author_id), c.answered_by]).flatten());
    ids.extend(addenda.iter().map(|a| a.author_id));
    ids.extend(all_sigs.iter().flat_map(|s| [s.user_id, s.signer_id]).flatten());
    let mut names = user_names(db, ids).await?;
    let owners: Vec<i64> = corrections.iter().map(|c| c.author_id).filter(|&u| by_room(&l.invitations, u)).collect();
    let rooms = rooms_of(db, &l.m, &owners).await?;
    for u in owners {
        names.insert(u, rooms.get(&u).cloned().unwrap_or_else(|| "业主".to_owned()));
    }
    let parties = parties_of(db, &l.invitations).await?;
    let current: Vec<minutes_signature::Model> =
        all_sigs.iter().filter(|s| Some(s.version) == mn.signing_version).cloned().collect();
    let signatures = signature_views(&current, &l, actor, &names, &parties);
    let reads = match mn.notice_id {
        Some(n) => {
            let all = notice_recipient::Entity::find().filter(notice_recipient::Column::NoticeId.eq(n));
            let recipients = all.clone().count(db).await? as i64;
            let read = all.filter(notice_recipient::Column::ReadAt.is_not_null()).count(db).await? as i64;
            Some(Reads { recipients, read })
        }
        None => None,
    };
    let now = Utc::now();
    let recorder = may_record(actor, &l.m);
    let held = l.m.meeting.closed_at.unwrap_or(l.m.meeting.starts_at);
    let answers: Vec<SignAnswer> = current.iter().map(|s| s.answer).collect();
    let can = MinutesCan {
        edit: recorder && mn.status != MinutesStatus::Published,
        correct: l.attended(actor.user.id)
            && mn.status == MinutesStatus::Correcting
            && mn.corrections_until.is_some_and(|u| now < u),
        sign: signatures.iter().any(|s| s.mine),
        publish: recorder
            && mn.signing_version == Some(mn.version)
            && rules::check_publish(mn.status, &answers, mn.sign_by, now).is_ok(),
        add_addendum: recorder && mn.status == MinutesStatus::Published,
    };
    Ok(MinutesView {
        id: mn.id,
        meeting_id: l.m.meeting.id,
        meeting_title: l.m.meeting.title.clone(),
        meeting_kind: l.m.kind(),
        meeting_starts_at: l.m.meeting.starts_at,
        status: mn.status,
        version: mn.version,
        text_html: crate::markdown::to_html(&mn.text),
        text: mn.text.clone(),
        digest: rules::digest(&mn.text),
        drafted_by: person(&names, mn.drafted_by),
        corrections_until: mn.corrections_until,
        sign_by: mn.sign_by,
        signing_version: mn.signing_version,
        signatures,
        corrections: corrections
            .iter()
            .map(|c| CorrectionView {
                id: c.id,
                version: c.version,
                author: person(&names, c.author_id),
                original: c.original.clone(),
                replacement: c.replacement.clone(),
                reason: c.reason.clone(),
                status: c.status,
                answer: c.answer.clone(),
                answered_by: c.answered_by.map(|u| person(&names, u)),
                answered_at: c.answered_at,
                created_at: c.created_at,
                stale: c.status == CorrectionStatus::Proposed
                    && rules::apply(
                        &mn.text,
                        &rules::Passage { original: c.original.clone(), replacement: String::new() },
                    )
                    .is_none(),
            })
            .collect(),
        versions: versions
            .iter()
            .map(|v| VersionSummary {
                version: v.version,
                digest: v.digest.clone(),
                reason: v.reason.clone(),
                author: person(&names, v.author_id),
                created_at: v.created_at,
                signed: all_sigs.iter().filter(|s| s.version == v.version && rules::signs(s.answer)).count() as i64,
            })
            .collect(),
        addenda: addenda
            .iter()
            .map(|a| AddendumView {
                id: a.id,
                text_html: crate::markdown::to_html(&a.text),
                text: a.text.clone(),
                digest: a.digest.clone(),
                author: person(&names, a.author_id),
                created_at: a.created_at,
            })
            .collect(),
        published_at: mn.published_at,
        publicity_until: mn.publicity_until,
        publish_due: rules::publish_due(l.m.kind(), held),
        late: rules::late(l.m.kind(), held, mn.published_at.unwrap_or(now)),
        reads,
        can,
        updated_at: mn.updated_at,
    })
}

/// Version `version` of the minutes of meeting `meeting_id` in full, with the signatures on it.
pub async fn version(
    db: &impl ConnectionTrait,
    actor: &Actor,
    meeting_id: i64,
    version: i32,
) -> AppResult<VersionView> {
    let l = load(db, actor, meeting_id).await?;
    let v = minutes_version::Entity::find()
        .filter(minutes_version::Column::MinutesId.eq(l.minutes.id))
        .filter(minutes_version::Column::Version.eq(version))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let sigs = signatures_of(db, l.minutes.id, Some(version)).await?;
    let mut ids = vec![v.author_id];
    ids.extend(sigs.iter().flat_map(|s| [s.user_id, s.signer_id]).flatten());
    let names = user_names(db, ids).await?;
    let parties = parties_of(db, &l.invitations).await?;
    Ok(VersionView {
        version: v.version,
        text_html: crate::markdown::to_html(&v.text),
        text: v.text,
        digest: v.digest,
        reason: v.reason,
        author: person(&names, v.author_id),
        created_at: v.created_at,
        signatures: signature_views(&sigs, &l, actor, &names, &parties),
    })
}

/// The minutes published in compound `compound_id`, newest first (a mediation's never listed).
pub async fn list_published(
    db: &impl ConnectionTrait,
    actor: &Actor,
    compound_id: i64,
) -> AppResult<Vec<PublishedMinutes>> {
    let c = compound_for(db, actor, compound_id, Permission::ViewMeetings).await?;
    let meeting_ids = meetings::meetings_of_compound(db, c.id).await?;
    let rows = minutes::Entity::find()
        .filter(minutes::Column::MeetingId.is_in(meeting_ids))
        .filter(minutes::Column::Status.eq(MinutesStatus::Published))
        .order_by_desc(minutes::Column::PublishedAt)
        .all(db)
        .await?;
    let meetings: HashMap<i64, meeting::Model> = meeting::Entity::find()
        .filter(meeting::Column::Id.is_in(rows.iter().map(|r| r.meeting_id)))
        .filter(meeting::Column::Kind.ne(MeetingKind::Mediation))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut addenda: HashMap<i64, i64> = HashMap::new();
    for a in minutes_addendum::Entity::find()
        .filter(minutes_addendum::Column::MinutesId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?
    {
        *addenda.entry(a.minutes_id).or_default() += 1;
    }
    Ok(rows
        .iter()
        .filter_map(|r| {
            let m = meetings.get(&r.meeting_id)?;
            let published_at = r.published_at?;
            Some(PublishedMinutes {
                meeting_id: m.id,
                meeting_title: m.title.clone(),
                meeting_kind: m.kind,
                meeting_starts_at: m.starts_at,
                published_at,
                publicity_until: r.publicity_until,
                late: rules::late(m.kind, m.closed_at.unwrap_or(m.starts_at), published_at),
                addenda: addenda.get(&r.id).copied().unwrap_or(0),
            })
        })
        .collect())
}
