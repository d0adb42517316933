use crate::concerns::{
    ConcernActions, ConcernEventView, ConcernStatus, ConcernStep, ConcernView, EscalationView, is_overdue, main_party,
    next_status, party_kinds,
};
use crate::{
    accounts::person_names,
    audit::{self, Event},
    auth::Actor,
    entities::{
        building, compound, concern, concern_category, concern_escalation, concern_event, concern_photo, file, party,
    },
    error::{AppError, AppResult},
    files::FileView,
    notices::{self, NewNotice},
    policy::{PartyKind, Permission},
};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, prelude::Expr,
};
use serde_json::json;

/// A concern with its compound, as the caller may see it.
pub struct Loaded {
    pub concern: concern::Model,
    pub compound: compound::Model,
    /// The parties the caller speaks for in the compound.
    pub kinds: Vec<PartyKind>,
    /// The caller raised it.
    pub mine: bool,
}

impl Loaded {
    pub fn status(&self) -> ConcernStatus {
        ConcernStatus::parse(&self.concern.status)
    }

    pub fn assigned(&self) -> Option<PartyKind> {
        self.concern.assigned_kind.as_deref().and_then(PartyKind::parse)
    }
}

/// Load a concern the caller may see: its raiser, the three parties of its compound, the
/// community office. Anyone else — owners of the same compound included — is told it does not exist.
pub async fn concern_for(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Loaded> {
    let concern = concern::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let compound = compound::Entity::find_by_id(concern.compound_id).one(db).await?.ok_or(AppError::NotFound)?;
    let mine = concern.raised_by == actor.user.id;
    if !mine {
        actor.authorize_compound(Permission::ViewConcerns, &compound).map_err(|e| match e {
            AppError::Forbidden => AppError::NotFound,
            e => e,
        })?;
    }
    let kinds = party_kinds(actor, &compound);
    Ok(Loaded { concern, compound, kinds, mine })
}

pub fn refuse((code, message): crate::concerns::Refusal) -> AppError {
    AppError::conflict(code, message)
}

/// The caller must speak for the party the concern is assigned to.
pub fn require_assigned(actor: &Actor, l: &Loaded) -> AppResult<()> {
    actor.authorize_compound(Permission::HandleConcerns, &l.compound)?;
    match l.assigned() {
        None => Err(refuse(("concern_not_routed", "this concern has not been routed yet"))),
        Some(k) if l.kinds.contains(&k) => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Only the person who raised it confirms, reopens and rates.
pub fn require_raiser(l: &Loaded) -> AppResult<()> {
    if l.mine { Ok(()) } else { Err(AppError::Forbidden) }
}

/// One step, in the caller's transaction: the status change (conditional on the status read, so
/// two clicks cannot both pass), the timeline entry and the audit event.
pub struct Step<'a> {
    pub step: ConcernStep,
    pub note: Option<String>,
    /// Speaks for a party (staff actions), or as the raiser.
    pub as_party: bool,
    /// Routing: the party and its row.
    pub party: Option<&'a party::Model>,
    pub rating: Option<i32>,
    pub detail: serde_json::Value,
}

pub async fn take_step(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded, s: Step<'_>) -> AppResult<ConcernStatus> {
    let from = l.status();
    let to = next_status(from, s.step).map_err(refuse)?;
    let now = Utc::now();
    let mut update = concern::Entity::update_many()
        .col_expr(concern::Column::Status, Expr::value(to.as_str()))
        .col_expr(concern::Column::UpdatedAt, Expr::value(now));
    update = match s.step {
        ConcernStep::Routed => {
            let p = s.party.ok_or_else(|| anyhow::anyhow!("routing without a party"))?;
            update
                .col_expr(concern::Column::AssignedPartyId, Expr::value(p.id))
                .col_expr(concern::Column::AssignedKind, Expr::value(p.kind.clone()))
                .col_expr(concern::Column::RoutedAt, Expr::value(now))
                .col_expr(concern::Column::AcknowledgedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        }
        ConcernStep::Acknowledged => update.col_expr(concern::Column::AcknowledgedAt, Expr::value(now)),
        ConcernStep::Resolved => update.col_expr(concern::Column::ResolvedAt, Expr::value(now)),
        ConcernStep::Confirmed => update.col_expr(concern::Column::ConfirmedAt, Expr::value(now)),
        ConcernStep::Reopened => update
            .col_expr(concern::Column::ResolvedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
            .col_expr(concern::Column::AcknowledgedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None)),
        ConcernStep::Rated => update
            .col_expr(concern::Column::Rating, Expr::value(s.rating))
            .col_expr(concern::Column::RatedAt, Expr::value(now)),
        _ => update,
    };
    let mut update =
        update.filter(concern::Column::Id.eq(l.concern.id)).filter(concern::Column::Status.eq(from.as_str()));
    if s.step == ConcernStep::Rated {
        update = update.filter(concern::Column::Rating.is_null());
    }
    if update.exec(db).await?.rows_affected != 1 {
        return Err(if s.step == ConcernStep::Rated && l.concern.rating.is_some() {
            AppError::conflict("already_rated", "this concern has already been rated")
        } else {
            AppError::conflict("concern_changed", "the concern changed meanwhile; reload it")
        });
    }
    let actor_kind = if s.as_party { main_party(&l.kinds) } else { None };
    let mut detail = s.detail;
    if let Some(p) = s.party {
        detail["party_kind"] = json!(p.kind);
    }
    if let Some(r) = s.rating {
        detail["rating"] = json!(r);
    }
    concern_event::Entity::insert(concern_event::ActiveModel {
        concern_id: Set(l.concern.id),
        kind: Set(s.step.as_str().into()),
        actor_id: Set(Some(actor.user.id)),
        actor_kind: Set(actor_kind.map(|k| k.as_str().into())),
        note: Set(s.note.clone()),
        detail: Set(Some(detail.to_string())),
        at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    let mut audit_detail = detail;
    audit_detail["from"] = json!(from.as_str());
    audit_detail["to"] = json!(to.as_str());
    if let Some(n) = &s.note {
        audit_detail["note"] = json!(n);
    }
    audit::record(
        db,
        Event {
            actor_id: Some(actor.user.id),
            action: &format!("concern.{}", s.step.as_str()),
            community_id: Some(l.concern.community_id),
            compound_id: Some(l.concern.compound_id),
            subject: format!("concern:{}", l.concern.id),
            detail: audit_detail,
        },
    )
    .await?;
    Ok(to)
}

/// Put a notice about a concern in some inboxes.
pub async fn tell(
    db: &impl ConnectionTrait,
    l: &Loaded,
    kind: &str,
    title: String,
    body: String,
    to: &[i64],
) -> AppResult<()> {
    if to.is_empty() {
        return Ok(());
    }
    notices::publish(
        db,
        NewNotice {
            community_id: l.compound.community_id,
            compound_id: Some(l.compound.id),
            kind,
            title,
            body,
            link: Some(format!("/concerns/{}", l.concern.id)),
            created_by: None,
        },
        to,
    )
    .await?;
    Ok(())
}

pub fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// What the caller may do now.
pub fn actions(actor: &Actor, l: &Loaded) -> ConcernActions {
    let status = l.status();
    let may = |p: Permission| actor.authorize_compound(p, &l.compound).is_ok();
    let ok = |step: ConcernStep| next_status(status, step).is_ok();
    let assigned = l.assigned().is_some_and(|k| l.kinds.contains(&k)) && may(Permission::HandleConcerns);
    let office = l.kinds.contains(&PartyKind::CommunityOffice);
    ConcernActions {
        route: may(Permission::RouteConcerns) && ok(ConcernStep::Routed),
        acknowledge: assigned && ok(ConcernStep::Acknowledged),
        reply: (assigned || (office && may(Permission::HandleConcerns))) && ok(ConcernStep::Replied),
        resolve: assigned && ok(ConcernStep::Resolved),
        confirm: l.mine && ok(ConcernStep::Confirmed),
        reopen: l.mine && ok(ConcernStep::Reopened),
        rate: l.mine && ok(ConcernStep::Rated) && l.concern.rating.is_none(),
        escalate: may(Permission::EscalateConcerns) && ok(ConcernStep::Escalated),
        add_photos: l.mine && ok(ConcernStep::PhotoAdded),
        open_agenda: may(Permission::OpenAgendas) && l.concern.agenda_id.is_none(),
    }
}

pub async fn view(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded) -> AppResult<ConcernView> {
    let c = &l.concern;
    let category = concern_category::Entity::find_by_id(c.category_id).one(db).await?.ok_or(AppError::NotFound)?;
    let building = match c.building_id {
        Some(b) => building::Entity::find_by_id(b).one(db).await?.map(|b| b.name),
        None => None,
    };
    let party_name = match c.assigned_party_id {
        Some(p) => party::Entity::find_by_id(p).one(db).await?.map(|p| p.name),
        None => None,
    };
    let photo_ids: Vec<i64> = concern_photo::Entity::find()
        .filter(concern_photo::Column::ConcernId.eq(c.id))
        .order_by_asc(concern_photo::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.file_id)
        .collect();
    // Names and sizes only: the photos' bytes stay in the database.
    let mut photos: Vec<FileView> = file::Entity::find()
        .select_only()
        .columns([
            file::Column::Id,
            file::Column::Name,
            file::Column::ContentType,
            file::Column::Size,
            file::Column::Sha256,
        ])
        .filter(file::Column::Id.is_in(photo_ids.clone()))
        .into_model::<FileView>()
        .all(db)
        .await?;
    photos.sort_by_key(|f| photo_ids.iter().position(|p| *p == f.id));
    let events = concern_event::Entity::find()
        .filter(concern_event::Column::ConcernId.eq(c.id))
        .order_by_asc(concern_event::Column::Id)
        .all(db)
        .await?;
    let escalations = concern_escalation::Entity::find()
        .filter(concern_escalation::Column::ConcernId.eq(c.id))
        .order_by_asc(concern_escalation::Column::Id)
        .all(db)
        .await?;
    let people: Vec<i64> = events
        .iter()
        .filter_map(|e| e.actor_id)
        .chain(escalations.iter().flat_map(|e| [Some(e.escalated_by), e.responded_by]).flatten())
        .chain([c.raised_by])
        .collect();
    let names = person_names(db, people).await?;
    let person = |id: i64| names.get(&id).cloned().unwrap_or_default();
    let name = |id: i64| person(id).name;
    let timeline = events
        .iter()
        .filter_map(|e| {
            let detail: serde_json::Value =
                e.detail.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
            Some(ConcernEventView {
                id: e.id,
                step: ConcernStep::parse(&e.kind)?,
                actor_name: e.actor_id.map(name),
                actor_person: e.actor_id.map(person),
                actor_kind: e.actor_kind.as_deref().and_then(PartyKind::parse),
                note: e.note.clone(),
                party_kind: detail["party_kind"].as_str().and_then(PartyKind::parse),
                rating: detail["rating"].as_i64().map(|r| r as i32),
                department: detail["department"].as_str().map(str::to_owned),
                at: e.at,
            })
        })
        .collect();
    Ok(ConcernView {
        id: c.id,
        community_id: c.community_id,
        compound_id: c.compound_id,
        compound_name: l.compound.name.clone(),
        building_id: c.building_id,
        building_name: building,
        location: c.location.clone(),
        category: (&category).into(),
        text: c.text.clone(),
        raised_by_name: name(c.raised_by),
        raised_by_person: person(c.raised_by),
        mine: l.mine,
        status: l.status(),
        assigned_kind: l.assigned(),
        assigned_party_name: party_name,
        due_at: c.due_at,
        overdue: is_overdue(l.status(), c.due_at, Utc::now()),
        created_at: c.created_at,
        updated_at: c.updated_at,
        rating: c.rating,
        agenda_id: c.agenda_id,
        photos,
        timeline,
        escalations: escalations
            .iter()
            .map(|e| EscalationView {
                id: e.id,
                department: e.department.clone(),
                request: e.request.clone(),
                escalated_by_name: name(e.escalated_by),
                escalated_by_person: person(e.escalated_by),
                escalated_at: e.escalated_at,
                response: e.response.clone(),
                responded_by_name: e.responded_by.map(name),
                responded_by_person: e.responded_by.map(person),
                responded_at: e.responded_at,
            })
            .collect(),
        can: actions(actor, l),
    })
}

/// Record in the caller's transaction that a concern was turned into agenda `agenda_id`.
pub async fn turned_into_agenda(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded, agenda_id: i64) -> AppResult<()> {
    let moved = concern::Entity::update_many()
        .col_expr(concern::Column::AgendaId, Expr::value(agenda_id))
        .filter(concern::Column::Id.eq(l.concern.id))
        .filter(concern::Column::AgendaId.is_null())
        .exec(db)
        .await?;
    if moved.rows_affected != 1 {
        return Err(AppError::conflict("already_an_agenda", "this concern has already been turned into an agenda"));
    }
    let detail = json!({ "agenda_id": agenda_id });
    let step =
        Step { step: ConcernStep::TurnedIntoAgenda, note: None, as_party: true, party: None, rating: None, detail };
    take_step(db, actor, l, step).await?;
    Ok(())
}
