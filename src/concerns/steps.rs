//! Every step after raising, as one operation: check the step may follow the concern's status,
//! move the status with a compare-and-set (two clicks cannot both pass), put the step on the
//! timeline and the audit chain, read the notices that asked its taker for it, and tell whoever
//! must know: the party it concerns, and the raiser of every step someone else takes. Each step
//! of the API checks who may take it and what it carries, then takes it.
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, prelude::Expr,
};
use serde_json::json;

use super::{
    ConcernStatus, ConcernStep, DepartmentResponse, EscalateRequest, Loaded, MAX_PHOTOS, Moved, NoteRequest,
    RateRequest, ReopenRequest, ReplyRequest, RouteRequest, check_rating, concern_for, excerpt, main_party,
    next_status, party_members, raiser_notice, refuse, require_assigned, require_raiser, require_replier, settles,
};
use crate::{
    audit,
    auth::Actor,
    db::{Transition, claim},
    entities::{compound, concern, concern_category, concern_escalation, concern_event, concern_photo, file, party},
    error::{AppError, AppResult},
    msg,
    notices::{self, NewNotice},
    policy::{PartyKind, Permission},
    text::{optional_text, required_text},
};

/// A notice about a concern (its kind and the parameters of its messages), and whose inboxes it
/// goes to.
pub struct Notice {
    pub kind: &'static str,
    pub params: serde_json::Value,
    pub to: Vec<i64>,
}

/// One step to take: what it is, what it carries, whom it tells.
pub struct Step<'a> {
    step: ConcernStep,
    note: Option<String>,
    party: Option<&'a party::Model>,
    rating: Option<i32>,
    detail: serde_json::Value,
    notice: Option<Notice>,
    /// Taken by the platform following a rule the caller set off, not by the caller's hand.
    by_rule: bool,
}

impl<'a> Step<'a> {
    /// The step `step`, carrying nothing yet.
    pub fn new(step: ConcernStep) -> Self {
        Step { step, note: None, party: None, rating: None, detail: json!({}), notice: None, by_rule: false }
    }

    /// With a note on the timeline.
    pub fn note(mut self, note: Option<String>) -> Self {
        self.note = note;
        self
    }

    /// With more for the timeline and the audit chain.
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }

    /// Routing to `party`.
    pub fn routing_to(mut self, party: &'a party::Model) -> Self {
        self.party = Some(party);
        self
    }

    /// Rating satisfaction `rating`.
    pub fn rating(mut self, rating: i32) -> Self {
        self.rating = Some(rating);
        self
    }

    /// Telling with `notice`, when there is one.
    pub fn telling(mut self, notice: Option<Notice>) -> Self {
        self.notice = notice;
        self
    }

    /// Taken by the platform, by a rule (a breach report goes to the party its convention
    /// names): the timeline and the audit chain name no person, and no one's deed is done by it.
    pub fn by_rule(mut self) -> Self {
        self.by_rule = true;
        self
    }

    /// What the timeline keeps beside the note: the detail, the party routed to, the rating.
    fn event_detail(&self) -> serde_json::Value {
        let mut detail = self.detail.clone();
        if let Some(p) = self.party {
            detail["party_kind"] = json!(p.kind);
        }
        if let Some(r) = self.rating {
            detail["rating"] = json!(r);
        }
        detail
    }
}

/// Take `s` on the loaded concern, in the caller's transaction; answers the new status.
pub async fn take_step(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded, s: Step<'_>) -> AppResult<ConcernStatus> {
    let from = l.status();
    let to = next_status(from, s.step).map_err(refuse)?;
    let now = Utc::now();
    move_status(db, l, &s, to, now).await?;
    let detail = s.event_detail();
    let party = s.party.and_then(|p| PartyKind::parse(&p.kind)).or_else(|| l.assigned());
    let text = &l.concern.text;
    let moved = Moved { step: s.step, by_raiser: l.mine, note: s.note.as_deref(), party, detail: &detail, text };
    let news = raiser_notice(&moved);
    let actor_kind = if s.step.by_raiser() || s.by_rule { None } else { main_party(&l.kinds) };
    let taker = (!s.by_rule).then_some(actor.user.id);
    concern_event::Entity::insert(concern_event::ActiveModel {
        actor_id: Set(taker),
        actor_kind: Set(actor_kind.map(|k| k.as_str().into())),
        note: Set(s.note.clone()),
        detail: Set(Some(detail.to_string())),
        ..timeline_entry(l.concern.id, s.step, actor.user.id, now)
    })
    .exec(db)
    .await?;
    let mut audit_detail = detail;
    audit_detail["from"] = json!(from.as_str());
    audit_detail["to"] = json!(to.as_str());
    if let Some(n) = &s.note {
        audit_detail["note"] = json!(n);
    }
    let action = format!("concern.{}", s.step.as_str());
    audit::note(db, taker, &l.concern, &action, audit_detail).await?;
    if let Some(deed) = settles(s.step).filter(|_| !s.by_rule) {
        notices::done(db, actor.user.id, deed, &link(l.concern.id)).await?;
    }
    if let Some(mut n) = s.notice {
        // Nobody is told of their own step.
        n.to.retain(|&u| u != actor.user.id);
        tell(db, &l.compound, l.concern.id, n).await?;
    }
    if let Some((kind, params)) = news {
        tell(db, &l.compound, l.concern.id, Notice { kind, params, to: vec![l.concern.raised_by] }).await?;
    }
    Ok(to)
}

/// A timeline entry for `step` by `actor_id` at `at`, with no party, note or detail.
pub(super) fn timeline_entry(
    concern_id: i64,
    step: ConcernStep,
    actor_id: i64,
    at: chrono::DateTime<Utc>,
) -> concern_event::ActiveModel {
    concern_event::ActiveModel {
        concern_id: Set(concern_id),
        kind: Set(step.as_str().into()),
        actor_id: Set(Some(actor_id)),
        actor_kind: Set(None),
        note: Set(None),
        detail: Set(None),
        at: Set(at),
        ..Default::default()
    }
}

/// Move the concern from the status read to `to`, with the columns the step sets, only while it
/// is still in the status read.
async fn move_status(
    db: &impl ConnectionTrait,
    l: &Loaded,
    s: &Step<'_>,
    to: ConcernStatus,
    now: chrono::DateTime<Utc>,
) -> AppResult<()> {
    use concern::Column as C;
    let never: Option<chrono::DateTime<Utc>> = None;
    let t = Transition::<concern::Entity>::of(C::Id, l.concern.id, C::Status, [l.status()], to).set(C::UpdatedAt, now);
    let t = match (s.step, s.party) {
        (ConcernStep::Routed, Some(p)) => t
            .set(C::AssignedPartyId, p.id)
            .set(C::AssignedKind, p.kind.clone())
            .set(C::RoutedAt, now)
            .set(C::AcknowledgedAt, never),
        (ConcernStep::Routed, None) => return Err(anyhow::anyhow!("routing without a party").into()),
        (ConcernStep::Acknowledged, _) => t.set(C::AcknowledgedAt, now),
        (ConcernStep::Resolved, _) => t.set(C::ResolvedAt, now),
        (ConcernStep::Confirmed, _) => t.set(C::ConfirmedAt, now),
        (ConcernStep::Reopened, _) => t.set(C::ResolvedAt, never).set(C::AcknowledgedAt, never),
        (ConcernStep::Rated, _) => t.set(C::Rating, s.rating).set(C::RatedAt, now).when(C::Rating.is_null()),
        _ => t,
    };
    let rated_before = s.step == ConcernStep::Rated && l.concern.rating.is_some();
    t.apply(db, || {
        if rated_before {
            AppError::conflict("already_rated", msg!("concern_already_rated"))
        } else {
            AppError::conflict("concern_changed", msg!("concern_changed"))
        }
    })
    .await
}

/// Where a concern's notices lead.
fn link(concern_id: i64) -> String {
    format!("/concerns/{concern_id}")
}

/// Put a notice about concern `concern_id` of compound `c` in some inboxes.
pub(super) async fn tell(db: &impl ConnectionTrait, c: &compound::Model, concern_id: i64, n: Notice) -> AppResult<()> {
    if n.to.is_empty() {
        return Ok(());
    }
    let notice = NewNotice::in_compound(c, n.kind, n.params, link(concern_id));
    notices::publish(db, notice, &n.to).await?;
    Ok(())
}

/// Route a concern to the party on duty (the category's default unless another is named), or
/// to the community office itself; the party's members are told.
pub async fn route(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: RouteRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    actor.authorize_compound(Permission::RouteConcerns, &l.compound)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    let kind = match req.party_kind {
        Some(k) => k,
        None => default_party(db, &l.concern).await?,
    };
    send_to(db, actor, &l, kind, note, false).await
}

/// Route a breach report just raised to the party that enforces the convention: the platform
/// does it, by the convention's rule, when the raiser names the article — the raiser has no
/// routing right of their own and is not named as having routed it.
pub(super) async fn route_to(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    kind: PartyKind,
    note: Option<String>,
) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    send_to(db, actor, &l, kind, note, true).await
}

async fn send_to(
    db: &impl ConnectionTrait,
    actor: &Actor,
    l: &Loaded,
    kind: PartyKind,
    note: Option<String>,
    by_rule: bool,
) -> AppResult<()> {
    let p = party_of(db, &l.compound, kind).await?;
    let members = party_members(db, &l.compound, kind).await?;
    let notice = Notice {
        kind: "concern_routed",
        params: json!({ "party_name": p.name, "text": note.clone().unwrap_or_else(|| excerpt(&l.concern.text, 80)) }),
        to: members,
    };
    let step = Step::new(ConcernStep::Routed).note(note).routing_to(&p).telling(Some(notice));
    take_step(db, actor, l, if by_rule { step.by_rule() } else { step }).await?;
    Ok(())
}

/// The party a concern's category sends it to.
async fn default_party(db: &impl ConnectionTrait, c: &concern::Model) -> AppResult<PartyKind> {
    let cat = concern_category::Entity::find_by_id(c.category_id).one(db).await?.ok_or(AppError::NotFound)?;
    Ok(PartyKind::parse(&cat.default_party_kind).unwrap_or(PartyKind::CommunityOffice))
}

/// The party of kind `kind` in compound `c`: the compound's own, or the community office.
async fn party_of(db: &impl ConnectionTrait, c: &compound::Model, kind: PartyKind) -> AppResult<party::Model> {
    let party = crate::tenancy::party_of(db, c, kind).await?;
    party.ok_or_else(|| AppError::field("party_kind", msg!("concern_party_unknown")))
}

/// The assigned party takes the concern on.
pub async fn acknowledge(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: NoteRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    require_assigned(actor, &l)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    take_step(db, actor, &l, Step::new(ConcernStep::Acknowledged).note(note)).await?;
    Ok(())
}

/// Answer the raiser: the assigned party, or the community office.
pub async fn reply(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: ReplyRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    require_replier(actor, &l)?;
    let text = required_text("text", &req.text, 2000)?;
    take_step(db, actor, &l, Step::new(ConcernStep::Replied).note(Some(text))).await?;
    Ok(())
}

/// The assigned party marks the concern resolved; the raiser is asked to confirm and rate (see
/// [`raiser_notice`]).
pub async fn resolve(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: NoteRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    require_assigned(actor, &l)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    take_step(db, actor, &l, Step::new(ConcernStep::Resolved).note(note)).await?;
    Ok(())
}

/// The raiser confirms that the concern is settled.
pub async fn confirm(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: NoteRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    require_raiser(&l)?;
    let note = optional_text("note", req.note.as_deref(), 1000)?;
    take_step(db, actor, &l, Step::new(ConcernStep::Confirmed).note(note)).await?;
    Ok(())
}

/// The raiser says it is not settled; the assigned party is told.
pub async fn reopen(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: ReopenRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    require_raiser(&l)?;
    let reason = required_text("reason", &req.reason, 1000)?;
    let members = match l.assigned() {
        Some(k) => party_members(db, &l.compound, k).await?,
        None => Vec::new(),
    };
    let notice = Notice { kind: "concern_reopened", params: json!({ "reason": reason }), to: members };
    take_step(db, actor, &l, Step::new(ConcernStep::Reopened).note(Some(reason)).telling(Some(notice))).await?;
    Ok(())
}

/// The raiser rates satisfaction, 1 to 5, once the concern is resolved.
pub async fn rate(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: RateRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    require_raiser(&l)?;
    let rating = check_rating(req.rating).map_err(|m| AppError::field("rating", m))?;
    let comment = optional_text("comment", req.comment.as_deref(), 1000)?;
    take_step(db, actor, &l, Step::new(ConcernStep::Rated).note(comment).rating(rating)).await?;
    Ok(())
}

/// Escalate to an outside department (吹哨): which one, and what it was asked.
pub async fn escalate(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: EscalateRequest) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    actor.authorize_compound(Permission::EscalateConcerns, &l.compound)?;
    let department = required_text("department", &req.department, 100)?;
    let request = required_text("request", &req.request, 2000)?;
    let e = concern_escalation::Entity::insert(concern_escalation::ActiveModel {
        concern_id: Set(l.concern.id),
        department: Set(department.clone()),
        request: Set(request.clone()),
        escalated_by: Set(actor.user.id),
        escalated_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let detail = json!({ "department": department, "escalation_id": e.id });
    take_step(db, actor, &l, Step::new(ConcernStep::Escalated).note(Some(request)).detail(detail)).await?;
    Ok(())
}

/// Record the department's response (报到) to escalation `escalation_id`, once.
pub async fn record_department_response(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    escalation_id: i64,
    req: DepartmentResponse,
) -> AppResult<()> {
    let l = concern_for(db, actor, id).await?;
    actor.authorize_compound(Permission::EscalateConcerns, &l.compound)?;
    let response = required_text("response", &req.response, 2000)?;
    let e = concern_escalation::Entity::find_by_id(escalation_id)
        .filter(concern_escalation::Column::ConcernId.eq(l.concern.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let answered = concern_escalation::Entity::update_many()
        .col_expr(concern_escalation::Column::Response, Expr::value(response.clone()))
        .col_expr(concern_escalation::Column::RespondedBy, Expr::value(actor.user.id))
        .col_expr(concern_escalation::Column::RespondedAt, Expr::value(Utc::now()))
        .filter(concern_escalation::Column::Id.eq(e.id))
        .filter(concern_escalation::Column::RespondedAt.is_null());
    claim(db, answered, || AppError::conflict("already_responded", msg!("concern_already_responded"))).await?;
    let detail = json!({ "department": e.department, "escalation_id": e.id });
    take_step(db, actor, &l, Step::new(ConcernStep::DepartmentResponded).note(Some(response)).detail(detail)).await?;
    Ok(())
}

/// Add a photo to my concern (at most six), stored with its location and other metadata
/// stripped. `body` is the upload as read, or why it could not be: only someone who may add a
/// photo learns which.
pub async fn add_photo(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    name: &str,
    body: AppResult<impl AsRef<[u8]>>,
) -> AppResult<file::Model> {
    let l = concern_for(db, actor, id).await?;
    require_raiser(&l)?;
    next_status(l.status(), ConcernStep::PhotoAdded).map_err(refuse)?;
    let body = body?;
    let name = required_text("name", name, 200)?;
    let count =
        concern_photo::Entity::find().filter(concern_photo::Column::ConcernId.eq(l.concern.id)).count(db).await?;
    if count as usize >= MAX_PHOTOS {
        return Err(AppError::conflict("too_many_photos", msg!("concern_too_many_photos")));
    }
    let f = crate::files::store(db, l.compound.id, actor.user.id, name, body.as_ref(), true).await?;
    let photo = concern_photo::ActiveModel { concern_id: Set(l.concern.id), file_id: Set(f.id), ..Default::default() };
    concern_photo::Entity::insert(photo).exec(db).await?;
    let detail = json!({ "file_id": f.id, "sha256": f.sha256 });
    take_step(db, actor, &l, Step::new(ConcernStep::PhotoAdded).detail(detail)).await?;
    Ok(f)
}

/// Record in the caller's transaction that a concern was turned into agenda `agenda_id`.
pub async fn turned_into_agenda(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded, agenda_id: i64) -> AppResult<()> {
    let linked = concern::Entity::update_many()
        .col_expr(concern::Column::AgendaId, Expr::value(agenda_id))
        .filter(concern::Column::Id.eq(l.concern.id))
        .filter(concern::Column::AgendaId.is_null());
    claim(db, linked, || AppError::conflict("already_an_agenda", msg!("concern_already_an_agenda"))).await?;
    let detail = json!({ "agenda_id": agenda_id });
    take_step(db, actor, l, Step::new(ConcernStep::TurnedIntoAgenda).detail(detail)).await?;
    Ok(())
}

/// Record in the caller's transaction what a meeting did about concern `id`: what it reached
/// (`Discussed`), an action item it set (`TaskSet`), that item confirmed done (`TaskDone`); `detail`
/// names the meeting or the task. A step on the timeline that leaves the status as it is, with news
/// to whoever raised it where the step tells them. A caller who may not see the concern records
/// nothing on it.
pub async fn from_meeting(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    step: ConcernStep,
    detail: serde_json::Value,
) -> AppResult<()> {
    let l = match concern_for(db, actor, id).await {
        Ok(l) => l,
        Err(AppError::NotFound | AppError::Forbidden) => return Ok(()),
        Err(e) => return Err(e),
    };
    take_step(db, actor, &l, Step::new(step).detail(detail)).await?;
    Ok(())
}

/// One step on a concern, with what its taker sent.
pub enum Act {
    Route(RouteRequest),
    Acknowledge(NoteRequest),
    Reply(ReplyRequest),
    Resolve(NoteRequest),
    Confirm(NoteRequest),
    Reopen(ReopenRequest),
    Rate(RateRequest),
    Escalate(EscalateRequest),
}

/// Take step `act` on concern `id` as `actor`.
pub async fn act(db: &impl ConnectionTrait, actor: &Actor, id: i64, act: Act) -> AppResult<()> {
    match act {
        Act::Route(req) => route(db, actor, id, req).await,
        Act::Acknowledge(req) => acknowledge(db, actor, id, req).await,
        Act::Reply(req) => reply(db, actor, id, req).await,
        Act::Resolve(req) => resolve(db, actor, id, req).await,
        Act::Confirm(req) => confirm(db, actor, id, req).await,
        Act::Reopen(req) => reopen(db, actor, id, req).await,
        Act::Rate(req) => rate(db, actor, id, req).await,
        Act::Escalate(req) => escalate(db, actor, id, req).await,
    }
}
