//! Conventions, step by step: drafted by their party from a template, a text of their own or a
//! Word file; saved version by version; put to a consultation announced in the audience's inbox;
//! commented and amended article by article; every comment and amendment answered. Every step
//! writes in the caller's transaction and leaves its trace on the audit chain.
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use serde_json::json;

use super::{
    rules::{self, PeriodError},
    templates,
    text::{self, Body, EntryKind},
    views::*,
};
use crate::{
    accounts::person_names,
    audit,
    auth::Actor,
    db::{Transition, claim},
    entities::{
        community, compound, convention, convention_comment, convention_support, convention_version, notice_recipient,
        party, questionnaire,
    },
    error::{AppError, AppResult, require, unique_conflict},
    i18n::Lang,
    msg,
    notices::{self, NewNotice, NoticeText, audience::people_of_compound},
    policy::{PartyKind, Permission, party_kinds_of},
    tenancy::{compounds_by_id, parties_by_id, party_of},
    text::{optional_text, required_text},
};

/// The longest title, comment, reason or wording, in characters.
const TITLE_MAX: usize = 100;
const REASON_MAX: usize = 2_000;
const VERSION_REASON_MAX: usize = 200;

/// Where a new convention is for.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Compound(i64),
    Community(i64),
}

/// A convention with where it lives, as the caller may see it.
pub struct Loaded {
    pub c: convention::Model,
    pub compound: Option<compound::Model>,
    pub body: Body,
    /// The drafting party.
    pub party: party::Model,
    /// Whether the caller speaks for the drafting party.
    pub drafter: bool,
    /// The last version the caller may read: all of them for the drafters and the community
    /// office; for everyone else, while an amendment of the text in force is being drafted, the
    /// version in force.
    pub readable: i32,
}

impl Loaded {
    pub(super) fn phase(&self, now: DateTime<Utc>) -> ConventionPhase {
        rules::phase(self.c.status, self.c.consult_from, self.c.consult_until, now)
    }

    fn may_comment(&self, actor: &Actor) -> bool {
        self.phase(Utc::now()) == ConventionPhase::Consulting
            && authorize(actor, self, Permission::CommentConventions).is_ok()
    }

    /// A draft not yet shown to anyone (no consultation, never in force): only its drafters and
    /// the community office see it, unless it has been put to a vote or a decision before.
    fn private_draft(&self) -> bool {
        self.c.status == ConventionStatus::Drafting
            && self.c.consult_from.is_none()
            && self.c.in_force_version.is_none()
    }

    pub(super) fn link(&self) -> String {
        format!("/conventions/{}", self.c.id)
    }
}

pub(super) fn changed() -> AppError {
    AppError::conflict("convention_changed", msg!("convention_changed"))
}

/// Allow `p` where a convention lives: its compound, or the community for a community-wide one.
pub(super) fn authorize(actor: &Actor, l: &Loaded, p: Permission) -> AppResult<()> {
    match &l.compound {
        Some(c) => actor.authorize_compound(p, c),
        None => actor.authorize_community(p, l.c.community_id),
    }
}

/// The parties the caller speaks for where a convention of `compound` (or of the community) lives.
pub(super) fn kinds_where(actor: &Actor, compound: Option<&compound::Model>, community_id: i64) -> Vec<PartyKind> {
    match compound {
        Some(c) => party_kinds_of(actor.roles_in_compound(c)),
        None => party_kinds_of(actor.roles().filter(|(_, m)| m.community_id == Some(community_id)).map(|(r, _)| r)),
    }
}

pub(super) fn parse_body(json: &str) -> AppResult<Body> {
    serde_json::from_str(json).map_err(|e| anyhow::anyhow!("a stored convention text does not read: {e}").into())
}

pub(super) fn party_kind_of(p: &party::Model) -> PartyKind {
    PartyKind::parse(&p.kind).unwrap_or(PartyKind::CommunityOffice)
}

/// Load a convention the caller may see: drafts only to the drafting party and the community
/// office; from the consultation on, to everyone with a role where it lives. Anyone else is
/// told there is none (404).
pub async fn load(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Loaded> {
    let c = convention::Entity::find_by_id(id).one(db).await?.ok_or(AppError::NotFound)?;
    let compound = match c.compound_id {
        Some(cid) => Some(compound::Entity::find_by_id(cid).one(db).await?.ok_or(AppError::NotFound)?),
        None => None,
    };
    let party = party::Entity::find_by_id(c.party_id).one(db).await?.ok_or(AppError::NotFound)?;
    let kinds = kinds_where(actor, compound.as_ref(), c.community_id);
    let body = parse_body(&c.body)?;
    let drafter = kinds.contains(&party_kind_of(&party));
    let sees_drafts = drafter || kinds.contains(&PartyKind::CommunityOffice);
    let readable = match (c.status, c.in_force_version) {
        (ConventionStatus::Drafting, Some(v)) if !sees_drafts => v,
        _ => c.version,
    };
    let mut l = Loaded { drafter, c, compound, body, party, readable };
    if l.readable != l.c.version {
        let row = versions(db, id).await?.into_iter().find(|v| v.version == l.readable).ok_or(AppError::NotFound)?;
        l.body = parse_body(&row.body)?;
        l.c.title = row.title;
        l.c.version = row.version;
    }
    authorize(actor, &l, Permission::ViewConventions)?;
    if l.private_draft() && !sees_drafts && !super::adoption::was_put(db, l.c.id).await? {
        return Err(AppError::NotFound);
    }
    Ok(l)
}

/// The chapters of `body` with their numbers, and the comment counts of each article.
fn chapters(body: &Body, counts: &HashMap<String, (i64, i64, i64)>) -> Vec<ChapterView> {
    let numbers: HashMap<String, String> = text::numbered(body).into_iter().map(|n| (n.id, n.label)).collect();
    let mut chapter_no = 0;
    body.chapters
        .iter()
        .map(|ch| ChapterView {
            id: ch.id.clone(),
            label: (!ch.title.is_empty()).then(|| {
                chapter_no += 1;
                text::chapter_number(chapter_no)
            }),
            title: ch.title.clone(),
            articles: ch
                .articles
                .iter()
                .map(|a| {
                    let (comments, amendments, unanswered) = counts.get(&a.id).copied().unwrap_or_default();
                    ArticleView {
                        id: a.id.clone(),
                        label: numbers.get(&a.id).cloned().unwrap_or_default(),
                        text: a.text.clone(),
                        comments,
                        amendments,
                        unanswered,
                    }
                })
                .collect(),
        })
        .collect()
}

pub(super) async fn versions(db: &impl ConnectionTrait, id: i64) -> AppResult<Vec<convention_version::Model>> {
    Ok(convention_version::Entity::find()
        .filter(convention_version::Column::ConventionId.eq(id))
        .order_by_asc(convention_version::Column::Version)
        .all(db)
        .await?)
}

async fn version_summaries(
    db: &impl ConnectionTrait,
    rows: &[convention_version::Model],
) -> AppResult<Vec<ConventionVersionSummary>> {
    let names = person_names(db, rows.iter().map(|v| v.author_id)).await?;
    Ok(rows
        .iter()
        .map(|v| ConventionVersionSummary {
            version: v.version,
            title: v.title.clone(),
            digest: v.digest.clone(),
            author: names.get(&v.author_id).map(|n| n.name.clone()).unwrap_or_default(),
            reason: v.reason.clone(),
            created_at: v.created_at,
        })
        .collect())
}

async fn comment_rows(db: &impl ConnectionTrait, id: i64) -> AppResult<Vec<convention_comment::Model>> {
    Ok(convention_comment::Entity::find()
        .filter(convention_comment::Column::ConventionId.eq(id))
        .order_by_asc(convention_comment::Column::Id)
        .all(db)
        .await?)
}

/// Comments, amendments and unanswered ones per article.
fn counts(rows: &[convention_comment::Model]) -> HashMap<String, (i64, i64, i64)> {
    let mut out: HashMap<String, (i64, i64, i64)> = HashMap::new();
    for r in rows {
        let e = out.entry(r.article_id.clone()).or_default();
        match r.kind {
            CommentKind::Comment => e.0 += 1,
            CommentKind::Amendment => e.1 += 1,
        }
        if r.status == CommentStatus::Open {
            e.2 += 1;
        }
    }
    out
}

async fn scope_name(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<String> {
    Ok(match &l.compound {
        Some(c) => c.name.clone(),
        None => community::Entity::find_by_id(l.c.community_id).one(db).await?.map(|c| c.name).unwrap_or_default(),
    })
}

async fn consultation(db: &impl ConnectionTrait, c: &convention::Model) -> AppResult<Option<ConsultationView>> {
    let (Some(from), Some(until)) = (c.consult_from, c.consult_until) else { return Ok(None) };
    let questionnaire_title = match c.questionnaire_id {
        Some(q) => questionnaire::Entity::find_by_id(q).one(db).await?.map(|q| q.title),
        None => None,
    };
    let (told, read) = match c.notice_id {
        Some(n) => {
            let rows =
                notice_recipient::Entity::find().filter(notice_recipient::Column::NoticeId.eq(n)).all(db).await?;
            (rows.len() as i64, rows.iter().filter(|r| r.read_at.is_some()).count() as i64)
        }
        None => (0, 0),
    };
    Ok(Some(ConsultationView { from, until, questionnaire_id: c.questionnaire_id, questionnaire_title, told, read }))
}

/// The convention as the caller sees it.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<ConventionView> {
    let l = load(db, actor, id).await?;
    let rows = comment_rows(db, id).await?;
    let mut vs = versions(db, id).await?;
    vs.retain(|v| v.version <= l.readable);
    let phase = l.phase(Utc::now());
    let adoptions = super::adoption::adoption_views(db, &l.c).await?;
    let (acknowledge, record_acknowledgements, report_breach_in) = super::acknowledgement::can(db, actor, &l).await?;
    Ok(ConventionView {
        id: l.c.id,
        community_id: l.c.community_id,
        compound_id: l.c.compound_id,
        scope_name: scope_name(db, &l).await?,
        kind: l.c.kind,
        title: l.c.title.clone(),
        status: l.c.status,
        phase,
        party_kind: party_kind_of(&l.party),
        party_name: l.party.name.clone(),
        enforcer: enforcer_of(&l.c),
        version: l.c.version,
        digest: text::digest(&l.body),
        preamble: l.body.preamble.clone(),
        chapters: chapters(&l.body, &counts(&rows)),
        body: l.body.clone(),
        consultation: consultation(db, &l.c).await?,
        versions: version_summaries(db, &vs).await?,
        comments: rows.len() as i64,
        unanswered: rows.iter().filter(|r| r.status == CommentStatus::Open).count() as i64,
        can: ConventionCan {
            edit: l.drafter && l.c.status != ConventionStatus::Repealed,
            answer: l.drafter,
            comment: l.may_comment(actor),
            put: super::adoption::may_put(actor, &l)
                && (rules::may_put(phase, l.c.in_force_version, l.c.version, AdoptionAction::Adopt).is_ok()
                    || rules::may_put(phase, l.c.in_force_version, l.c.version, AdoptionAction::Repeal).is_ok()),
            acknowledge,
            record_acknowledgements,
            report_breach_in,
        },
        routes: rules::routes(l.c.kind).to_vec(),
        in_force: super::adoption::in_force(&l.c, &adoptions),
        repealed_at: l.c.repealed_at,
        review_on: l.c.review_on,
        adoptions,
        created_at: l.c.created_at,
        updated_at: l.c.updated_at,
    })
}

/// Conventions in a list, with their compound's name and their comment counts, in two queries.
pub(super) async fn summaries(
    db: &impl ConnectionTrait,
    actor: &Actor,
    rows: Vec<convention::Model>,
) -> AppResult<Vec<ConventionSummary>> {
    let ids: Vec<i64> = rows.iter().map(|c| c.id).collect();
    let compounds = compounds_by_id(db, rows.iter().filter_map(|c| c.compound_id).collect::<Vec<_>>()).await?;
    let parties = parties_by_id(db, rows.iter().map(|c| c.party_id).collect::<Vec<_>>()).await?;
    let mut tallies: HashMap<i64, (i64, i64)> = HashMap::new();
    for r in
        convention_comment::Entity::find().filter(convention_comment::Column::ConventionId.is_in(ids)).all(db).await?
    {
        let t = tallies.entry(r.convention_id).or_default();
        t.0 += 1;
        if r.status == CommentStatus::Open {
            t.1 += 1;
        }
    }
    let now = Utc::now();
    let mut out = Vec::new();
    for c in rows {
        let compound = c.compound_id.and_then(|id| compounds.get(&id));
        let Some(party) = parties.get(&c.party_id) else { continue };
        let kind = party_kind_of(party);
        let kinds = kinds_where(actor, compound, c.community_id);
        if c.status == ConventionStatus::Drafting
            && c.in_force_version.is_none()
            && c.consult_from.is_none()
            && !kinds.contains(&kind)
            && !kinds.contains(&PartyKind::CommunityOffice)
        {
            continue;
        }
        let (comments, unanswered) = tallies.get(&c.id).copied().unwrap_or_default();
        out.push(summary(&c, compound, kind, (comments, unanswered), now));
    }
    Ok(out)
}

/// Convention `c` of `compound` in a list, with its comments and the unanswered ones.
pub(super) fn summary(
    c: &convention::Model,
    compound: Option<&compound::Model>,
    party_kind: PartyKind,
    (comments, unanswered): (i64, i64),
    now: DateTime<Utc>,
) -> ConventionSummary {
    ConventionSummary {
        id: c.id,
        kind: c.kind,
        title: c.title.clone(),
        phase: rules::phase(c.status, c.consult_from, c.consult_until, now),
        compound_id: c.compound_id,
        compound_name: compound.map(|c| c.name.clone()),
        party_kind,
        version: c.version,
        consult_from: c.consult_from,
        consult_until: c.consult_until,
        comments,
        unanswered,
        updated_at: c.updated_at,
    }
}

/// The conventions of a compound and those of its whole community, newest first: drafts only
/// to their drafters and the community office.
pub async fn list_compound(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vec<ConventionSummary>> {
    let c = crate::tenancy::compound_for(db, actor, id, Permission::ViewConventions).await?;
    let rows = convention::Entity::find()
        .filter(
            Condition::any().add(convention::Column::CompoundId.eq(c.id)).add(
                Condition::all()
                    .add(convention::Column::CommunityId.eq(c.community_id))
                    .add(convention::Column::CompoundId.is_null()),
            ),
        )
        .order_by_desc(convention::Column::UpdatedAt)
        .all(db)
        .await?;
    summaries(db, actor, rows).await
}

/// The conventions of a community's compounds the caller has a role in, and the community-wide
/// ones, newest first.
pub async fn list_community(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vec<ConventionSummary>> {
    actor.authorize_community(Permission::ViewConventions, id)?;
    let rows = convention::Entity::find()
        .filter(convention::Column::CommunityId.eq(id))
        .order_by_desc(convention::Column::UpdatedAt)
        .all(db)
        .await?;
    let mut visible = Vec::new();
    let compounds: HashMap<i64, compound::Model> = compound::Entity::find()
        .filter(compound::Column::CommunityId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    for r in rows {
        let reach = match r.compound_id.and_then(|c| compounds.get(&c)) {
            Some(c) => actor.authorize_compound(Permission::ViewConventions, c).is_ok(),
            None => r.compound_id.is_none(),
        };
        if reach {
            visible.push(r);
        }
    }
    summaries(db, actor, visible).await
}

/// The templates to start from, with their numbered text.
pub fn template_views() -> AppResult<Vec<ConventionTemplate>> {
    templates::templates()
        .iter()
        .map(|t| {
            let (body, _) = text::settle(templates::draft_of(t), None, 0)?;
            Ok(ConventionTemplate {
                key: t.key.to_owned(),
                kind: kind_of(t.kind),
                title: t.title.to_owned(),
                summary: t.summary.to_owned(),
                preamble: body.preamble.clone(),
                chapters: chapters(&body, &HashMap::new()),
            })
        })
        .collect()
}

fn kind_of(key: &str) -> ConventionKind {
    match key {
        "covenant" => ConventionKind::Covenant,
        "rules" => ConventionKind::Rules,
        _ => ConventionKind::Residents,
    }
}

/// Read the numbered articles of a Word file, for a draft, with notes in `lang`: nothing is
/// stored.
pub fn import_docx(bytes: &[u8], lang: Lang) -> AppResult<Parsed> {
    Ok(super::docx::import(bytes)?.in_lang(lang))
}

/// Insert version `version` of the text and put it on the audit chain.
async fn save_version(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &convention::Model,
    version: i32,
    title: &str,
    body: &Body,
    reason: &str,
) -> AppResult<()> {
    let row = convention_version::ActiveModel {
        convention_id: Set(c.id),
        version: Set(version),
        title: Set(title.to_owned()),
        body: Set(serde_json::to_string(body).map_err(anyhow::Error::from)?),
        digest: Set(text::digest(body)),
        author_id: Set(actor.user.id),
        reason: Set(reason.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    // Two saves over the same version at once: the unique index refuses the second.
    let saved = convention_version::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(unique_conflict("convention_changed", msg!("convention_changed")))?;
    let detail = json!({ "version": version, "digest": saved.digest, "reason": reason });
    audit::note(db, Some(actor.user.id), c, "convention.saved", detail).await
}

/// Start a convention as the caller's party: from a template or a text of its own; version 1.
pub async fn create(db: &impl ConnectionTrait, actor: &Actor, scope: Scope, req: NewConvention) -> AppResult<i64> {
    let (community_id, compound) = match scope {
        Scope::Compound(id) => {
            let c = crate::tenancy::compound_for(db, actor, id, Permission::DraftConventions).await?;
            (c.community_id, Some(c))
        }
        Scope::Community(id) => {
            actor.authorize_community(Permission::DraftConventions, id)?;
            (id, None)
        }
    };
    let kinds = kinds_where(actor, compound.as_ref(), community_id);
    let kind = rules::drafting_party(req.kind, compound.is_none(), &kinds).ok_or(AppError::Forbidden)?;
    let title = required_text("title", &req.title, TITLE_MAX)?;
    let (draft, reason) = match (&req.template, req.body) {
        (_, Some(body)) => (body, "drafted"),
        (Some(key), None) => {
            let t = templates::template(key).ok_or_else(|| AppError::field("template", msg!("convention_template")))?;
            (templates::draft_of(t), "template")
        }
        (None, None) => return Err(AppError::field("body", msg!("text_required"))),
    };
    let (body, issued) = text::settle(draft, None, 0)?;
    let party = match &compound {
        Some(c) => party_of(db, c, kind).await?,
        None => {
            party::Entity::find()
                .filter(party::Column::CommunityId.eq(community_id))
                .filter(party::Column::CompoundId.is_null())
                .filter(party::Column::Kind.eq(PartyKind::CommunityOffice.as_str()))
                .one(db)
                .await?
        }
    }
    .ok_or(AppError::Forbidden)?;
    let now = Utc::now();
    let row = convention::Entity::insert(convention::ActiveModel {
        community_id: Set(community_id),
        compound_id: Set(compound.as_ref().map(|c| c.id)),
        kind: Set(req.kind),
        title: Set(title.clone()),
        status: Set(ConventionStatus::Drafting),
        party_id: Set(party.id),
        version: Set(1),
        body: Set(serde_json::to_string(&body).map_err(anyhow::Error::from)?),
        issued: Set(issued as i32),
        enforcer_kind: Set(req.enforcer.map(|k| k.as_str().to_owned())),
        created_by: Set(actor.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    save_version(db, actor, &row, 1, &title, &body, reason).await?;
    Ok(row.id)
}

/// The party that enforces `c`: the one it names, or the property company, which manages the
/// common parts and answers most reports.
pub(super) fn enforcer_of(c: &convention::Model) -> PartyKind {
    c.enforcer_kind.as_deref().and_then(PartyKind::parse).unwrap_or(PartyKind::PropertyCompany)
}

/// Name `kind` as the party that enforces `c`, on the audit chain: reports from now go there.
async fn set_enforcer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    c: &convention::Model,
    kind: PartyKind,
) -> AppResult<()> {
    convention::Entity::update_many()
        .col_expr(convention::Column::EnforcerKind, Expr::value(kind.as_str()))
        .filter(convention::Column::Id.eq(c.id))
        .exec(db)
        .await?;
    let detail = json!({ "from": enforcer_of(c).as_str(), "party": kind.as_str() });
    audit::note(db, Some(actor.user.id), c, "convention.enforcer", detail).await
}

/// Save `body` (and `title`) as the version after `from`.
#[allow(clippy::too_many_arguments)]
async fn revise(
    db: &impl ConnectionTrait,
    actor: &Actor,
    l: &Loaded,
    from: i32,
    title: &str,
    body: &Body,
    issued: u32,
    reason: &str,
) -> AppResult<i32> {
    let next = from + 1;
    // A change to the text in force is an amendment: it goes through the cycle again.
    let status = if l.c.status == ConventionStatus::InForce { ConventionStatus::Drafting } else { l.c.status };
    let update = convention::Entity::update_many()
        .col_expr(convention::Column::Version, Expr::value(next))
        .col_expr(convention::Column::Status, Expr::value(status))
        .col_expr(convention::Column::Title, Expr::value(title.to_owned()))
        .col_expr(convention::Column::Body, Expr::value(serde_json::to_string(body).map_err(anyhow::Error::from)?))
        .col_expr(convention::Column::Issued, Expr::value(issued as i32))
        .col_expr(convention::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(convention::Column::Id.eq(l.c.id))
        .filter(convention::Column::Version.eq(from));
    claim(db, update, changed).await?;
    save_version(db, actor, &l.c, next, title, body, reason).await?;
    Ok(next)
}

/// The drafters' edit, saved as a new version; articles keep their ids, new ones get the next.
pub async fn edit(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: EditConvention) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    require(l.drafter)?;
    match l.c.status {
        ConventionStatus::Repealed => {
            return Err(AppError::conflict("convention_repealed", msg!("convention_repealed")));
        }
        _ if super::adoption::under_vote(db, &l.c).await? => {
            return Err(AppError::conflict("convention_under_vote", msg!("convention_under_vote")));
        }
        _ => {}
    }
    let title = required_text("title", &req.title, TITLE_MAX)?;
    let reason = optional_text("reason", req.reason.as_deref(), VERSION_REASON_MAX)?;
    if req.version != l.c.version {
        return Err(changed());
    }
    let (body, issued) = text::settle(req.body, Some(&l.body), l.c.issued.max(0) as u32)?;
    if let Some(k) = req.enforcer.filter(|k| *k != enforcer_of(&l.c)) {
        set_enforcer(db, actor, &l.c, k).await?;
    }
    if body == l.body && title == l.c.title {
        return Ok(());
    }
    revise(db, actor, &l, req.version, &title, &body, issued, reason.as_deref().unwrap_or("edited")).await?;
    Ok(())
}

fn period_error(field: &'static str, e: PeriodError) -> AppError {
    let m = match e {
        PeriodError::Past => msg!("convention_period_past"),
        PeriodError::TooFarAhead => msg!("convention_period_ahead", days = rules::ANNOUNCE_MAX_DAYS),
        PeriodError::TooShort => msg!("convention_period_short"),
        PeriodError::TooLong => msg!("convention_period_long", days = rules::CONSULT_MAX_DAYS),
    };
    AppError::field(field, m)
}

/// The compounds where convention `c` lives: its own, or every compound of its community for a
/// community-wide one, in the order they were added.
pub(super) async fn compounds_of(db: &impl ConnectionTrait, c: &convention::Model) -> AppResult<Vec<compound::Model>> {
    let find = match c.compound_id {
        Some(id) => compound::Entity::find().filter(compound::Column::Id.eq(id)),
        None => compound::Entity::find().filter(compound::Column::CommunityId.eq(c.community_id)),
    };
    Ok(find.order_by_asc(compound::Column::Id).all(db).await?)
}

/// Everyone with a role where the convention lives: the compound's people, or for a
/// community-wide convention, every compound's and the community office.
async fn audience(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<Vec<i64>> {
    people_of(db, &compounds_of(db, &l.c).await?).await
}

/// Everyone with a role in `compounds`, once each.
pub(super) async fn people_of(db: &impl ConnectionTrait, compounds: &[compound::Model]) -> AppResult<Vec<i64>> {
    let mut ids = BTreeSet::new();
    for c in compounds {
        ids.extend(people_of_compound(db, c).await?);
    }
    Ok(ids.into_iter().collect())
}

/// Open the consultation for a period, announced in the audience's inbox.
pub async fn open_consultation(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: OpenConsultation,
) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    require(l.drafter)?;
    let now = Utc::now();
    let from = req.from.unwrap_or(now);
    rules::check_period(from, req.until, now).map_err(|(f, e)| period_error(f, e))?;
    if let Some(q) = req.questionnaire_id {
        let found = questionnaire::Entity::find_by_id(q).one(db).await?;
        let same_place = found.is_some_and(|q| match l.c.compound_id {
            Some(c) => q.compound_id == c,
            None => false,
        });
        if !same_place {
            return Err(AppError::field("questionnaire_id", msg!("convention_questionnaire")));
        }
    }
    let recipients = audience(db, &l).await?;
    let params =
        json!({ "title": l.c.title, "consult_from": from.to_rfc3339(), "consult_until": req.until.to_rfc3339() });
    let notice = notices::publish(
        db,
        NewNotice {
            community_id: l.c.community_id,
            compound_id: l.c.compound_id,
            kind: "convention_consultation",
            text: NoticeText::Params(params),
            link: Some(l.link()),
            created_by: Some(actor.user.id),
        },
        &recipients,
    )
    .await?;
    Transition::<convention::Entity>::of(
        convention::Column::Id,
        l.c.id,
        convention::Column::Status,
        [ConventionStatus::Drafting],
        ConventionStatus::Consulting,
    )
    .set(convention::Column::ConsultFrom, from)
    .set(convention::Column::ConsultUntil, req.until)
    .set(convention::Column::QuestionnaireId, req.questionnaire_id)
    .set(convention::Column::NoticeId, notice.id)
    .set(convention::Column::UpdatedAt, now)
    .apply(db, || AppError::conflict("convention_not_drafting", msg!("convention_not_drafting")))
    .await?;
    let detail = json!({ "from": from, "until": req.until, "version": l.c.version, "recipients": recipients.len() });
    audit::note(db, Some(actor.user.id), &l.c, "convention.consultation_opened", detail).await
}

/// The text of every version, by version.
async fn bodies(db: &impl ConnectionTrait, id: i64) -> AppResult<HashMap<i32, Body>> {
    versions(db, id).await?.iter().map(|v| Ok((v.version, parse_body(&v.body)?))).collect()
}

fn article_text<'a>(bodies: &'a HashMap<i32, Body>, version: i32, article: &str) -> Option<&'a str> {
    bodies.get(&version).and_then(|b| text::article(b, article)).map(|a| a.text.as_str())
}

/// Comment on an article, or propose new wording for it, on the version read: while the
/// consultation is open, by its audience.
pub async fn comment(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: NewConventionComment) -> AppResult<i64> {
    let l = load(db, actor, id).await?;
    authorize(actor, &l, Permission::CommentConventions)?;
    if l.phase(Utc::now()) != ConventionPhase::Consulting {
        return Err(AppError::conflict("convention_not_open", msg!("convention_not_open")));
    }
    if req.version < 1 || req.version > l.c.version {
        return Err(AppError::field("version", msg!("convention_no_version")));
    }
    let bodies = bodies(db, id).await?;
    let original = article_text(&bodies, req.version, &req.article_id)
        .ok_or_else(|| AppError::field("article_id", msg!("convention_no_article")))?;
    let text = required_text("text", &req.text, REASON_MAX)?;
    let wording = match req.kind {
        CommentKind::Comment => None,
        CommentKind::Amendment => {
            let w = text::wording("wording", req.wording.as_deref().unwrap_or_default())?;
            if w == original {
                return Err(AppError::field("wording", msg!("convention_wording_same")));
            }
            Some(w)
        }
    };
    let now = Utc::now();
    let row = convention_comment::Entity::insert(convention_comment::ActiveModel {
        convention_id: Set(id),
        article_id: Set(req.article_id.clone()),
        version: Set(req.version),
        author_id: Set(actor.user.id),
        kind: Set(req.kind),
        text: Set(text),
        wording: Set(wording),
        status: Set(CommentStatus::Open),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec_with_returning(db)
    .await?;
    let detail = json!({ "comment_id": row.id, "article_id": req.article_id, "version": req.version,
                         "kind": req.kind });
    audit::note(db, Some(actor.user.id), &l.c, "convention.commented", detail).await?;
    Ok(row.id)
}

async fn comment_of(db: &impl ConnectionTrait, l: &Loaded, comment_id: i64) -> AppResult<convention_comment::Model> {
    convention_comment::Entity::find_by_id(comment_id)
        .one(db)
        .await?
        .filter(|c| c.convention_id == l.c.id)
        .ok_or(AppError::NotFound)
}

/// Support an amendment (or withdraw the support): by its audience, while the consultation is
/// open; not one's own.
pub async fn support(db: &impl ConnectionTrait, actor: &Actor, id: i64, comment_id: i64, on: bool) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    authorize(actor, &l, Permission::CommentConventions)?;
    let c = comment_of(db, &l, comment_id).await?;
    if l.phase(Utc::now()) != ConventionPhase::Consulting {
        return Err(AppError::conflict("convention_not_open", msg!("convention_not_open")));
    }
    if c.kind != CommentKind::Amendment {
        return Err(AppError::conflict("convention_support_comment", msg!("convention_support_comment")));
    }
    if c.author_id == actor.user.id {
        return Err(AppError::conflict("convention_support_own", msg!("convention_support_own")));
    }
    if on {
        convention_support::Entity::insert(convention_support::ActiveModel {
            comment_id: Set(c.id),
            user_id: Set(actor.user.id),
            created_at: Set(Utc::now()),
            ..Default::default()
        })
        .exec(db)
        .await
        .map_err(unique_conflict("convention_supported", msg!("convention_supported")))?;
    } else {
        let gone = convention_support::Entity::delete_many()
            .filter(convention_support::Column::CommentId.eq(c.id))
            .filter(convention_support::Column::UserId.eq(actor.user.id))
            .exec(db)
            .await?;
        if gone.rows_affected == 0 {
            return Ok(());
        }
    }
    let action = if on { "convention.supported" } else { "convention.support_withdrawn" };
    audit::note(db, Some(actor.user.id), &l.c, action, json!({ "comment_id": c.id })).await
}

/// The drafters' answer to a comment or an amendment: adopted, partly adopted or not, with a
/// reason. An amendment adopted (in full, or in part with the drafters' wording) makes a new
/// version; one whose article changed since it was written is refused until it is rebased.
pub async fn answer(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    comment_id: i64,
    req: AnswerComment,
) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    require(l.drafter)?;
    let c = comment_of(db, &l, comment_id).await?;
    if l.c.status == ConventionStatus::Drafting {
        return Err(AppError::conflict("convention_not_open", msg!("convention_not_open")));
    }
    let reason = required_text("reason", &req.reason, REASON_MAX)?;
    let given = match req.wording.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        Some(w) => Some(text::wording("wording", w)?),
        None => None,
    };
    if c.status != CommentStatus::Open {
        return Err(AppError::conflict("convention_answered", msg!("convention_answered")));
    }
    if req.version != l.c.version {
        return Err(changed());
    }
    let wording = match (req.outcome, c.kind) {
        (AnswerOutcome::NotAdopted, _) => None,
        (AnswerOutcome::Adopted, CommentKind::Amendment) => c.wording.clone(),
        (AnswerOutcome::Partly, CommentKind::Amendment) => {
            Some(given.ok_or_else(|| AppError::field("wording", msg!("convention_partly_wording")))?)
        }
        (_, CommentKind::Comment) => given,
    };
    let mut applied = None;
    if let Some(wording) = &wording {
        let now_text = text::article(&l.body, &c.article_id).map(|a| a.text.as_str());
        if now_text.is_none() {
            return Err(AppError::conflict("convention_article_removed", msg!("convention_article_removed")));
        }
        // An amendment the drafters have already written into the text is adopted as it stands.
        let written_in = now_text == Some(wording.as_str());
        if c.kind == CommentKind::Amendment && !written_in {
            let bodies = bodies(db, id).await?;
            if rules::stale(article_text(&bodies, c.version, &c.article_id), now_text) {
                return Err(AppError::conflict("convention_amendment_stale", msg!("convention_amendment_stale")));
            }
        }
        if now_text != Some(wording.as_str()) {
            let body = text::with_article(&l.body, &c.article_id, wording)?;
            let why = format!("{} #{}", outcome_word(req.outcome), c.id);
            applied =
                Some(revise(db, actor, &l, l.c.version, &l.c.title, &body, l.c.issued.max(0) as u32, &why).await?);
        }
    }
    let status = match req.outcome {
        AnswerOutcome::Adopted => CommentStatus::Adopted,
        AnswerOutcome::Partly => CommentStatus::Partly,
        AnswerOutcome::NotAdopted => CommentStatus::NotAdopted,
    };
    let now = Utc::now();
    Transition::<convention_comment::Entity>::of(
        convention_comment::Column::Id,
        c.id,
        convention_comment::Column::Status,
        [CommentStatus::Open],
        status,
    )
    .set(convention_comment::Column::Answer, reason.clone())
    .set(convention_comment::Column::AnsweredBy, actor.user.id)
    .set(convention_comment::Column::AnsweredAt, now)
    .set(convention_comment::Column::AppliedVersion, applied)
    .set(convention_comment::Column::UpdatedAt, now)
    .apply(db, || AppError::conflict("convention_answered", msg!("convention_answered")))
    .await?;
    let params = json!({ "title": l.c.title, "outcome": outcome_word(req.outcome) });
    let n = NewNotice {
        community_id: l.c.community_id,
        compound_id: l.c.compound_id,
        kind: "convention_answered",
        text: NoticeText::Params(params),
        link: Some(l.link()),
        created_by: Some(actor.user.id),
    };
    if c.author_id != actor.user.id {
        notices::publish(db, n, &[c.author_id]).await?;
    }
    let detail = json!({ "comment_id": c.id, "outcome": outcome_word(req.outcome), "reason": reason,
                         "version": applied });
    audit::note(db, Some(actor.user.id), &l.c, "convention.answered", detail).await
}

fn outcome_word(o: AnswerOutcome) -> &'static str {
    match o {
        AnswerOutcome::Adopted => "adopted",
        AnswerOutcome::Partly => "partly",
        AnswerOutcome::NotAdopted => "not_adopted",
    }
}

/// Carry an open amendment whose article has changed onto the current text, with its wording as
/// it should now read: by its author or the drafters.
pub async fn rebase(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    comment_id: i64,
    req: RebaseAmendment,
) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    let c = comment_of(db, &l, comment_id).await?;
    require(l.drafter || c.author_id == actor.user.id)?;
    if c.kind != CommentKind::Amendment || c.status != CommentStatus::Open {
        return Err(AppError::conflict("convention_answered", msg!("convention_answered")));
    }
    let now_text = text::article(&l.body, &c.article_id)
        .map(|a| a.text.clone())
        .ok_or_else(|| AppError::conflict("convention_article_removed", msg!("convention_article_removed")))?;
    let bodies = bodies(db, id).await?;
    if !rules::stale(article_text(&bodies, c.version, &c.article_id), Some(&now_text)) {
        return Err(AppError::conflict("convention_not_stale", msg!("convention_not_stale")));
    }
    let wording = text::wording("wording", &req.wording)?;
    if wording == now_text {
        return Err(AppError::field("wording", msg!("convention_wording_same")));
    }
    let update = convention_comment::Entity::update_many()
        .col_expr(convention_comment::Column::Version, Expr::value(l.c.version))
        .col_expr(convention_comment::Column::Wording, Expr::value(wording))
        .col_expr(convention_comment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(convention_comment::Column::Id.eq(c.id))
        .filter(convention_comment::Column::Version.eq(c.version))
        .filter(convention_comment::Column::Status.eq(CommentStatus::Open));
    claim(db, update, changed).await?;
    let detail = json!({ "comment_id": c.id, "from": c.version, "to": l.c.version });
    audit::note(db, Some(actor.user.id), &l.c, "convention.rebased", detail).await
}

/// Comments and amendments as the caller sees them, with the article's number now and its text
/// on the version each was written on.
async fn comment_views(
    db: &impl ConnectionTrait,
    actor: &Actor,
    l: &Loaded,
    rows: &[convention_comment::Model],
) -> AppResult<Vec<ConventionCommentView>> {
    let bodies = bodies(db, l.c.id).await?;
    let now_labels: HashMap<String, String> = text::numbered(&l.body).into_iter().map(|n| (n.id, n.label)).collect();
    let mut old_labels: HashMap<String, String> = HashMap::new();
    for b in bodies.values() {
        for n in text::numbered(b) {
            old_labels.entry(n.id).or_insert(n.label);
        }
    }
    let ids: Vec<i64> = rows.iter().flat_map(|r| [Some(r.author_id), r.answered_by]).flatten().collect();
    let people = person_names(db, ids).await?;
    let supports = convention_support::Entity::find()
        .filter(convention_support::Column::CommentId.is_in(rows.iter().map(|r| r.id)))
        .all(db)
        .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let original = article_text(&bodies, r.version, &r.article_id).map(str::to_owned);
            let now_text = text::article(&l.body, &r.article_id).map(|a| a.text.as_str());
            let stale = r.kind == CommentKind::Amendment
                && r.status == CommentStatus::Open
                && rules::stale(original.as_deref(), now_text);
            let author = people.get(&r.author_id);
            let mine_supports = supports.iter().filter(|s| s.comment_id == r.id);
            ConventionCommentView {
                id: r.id,
                article_id: r.article_id.clone(),
                article_label: now_labels
                    .get(&r.article_id)
                    .or_else(|| old_labels.get(&r.article_id))
                    .cloned()
                    .unwrap_or_default(),
                article_removed: now_text.is_none(),
                version: r.version,
                kind: r.kind,
                author: author.map(|p| p.name.clone()).unwrap_or_default(),
                author_party: author.and_then(|p| p.party_kind),
                mine: r.author_id == actor.user.id,
                text: r.text.clone(),
                wording: r.wording.clone(),
                original,
                status: r.status,
                answer: r.answer.clone(),
                answered_by: r.answered_by.and_then(|id| people.get(&id)).map(|p| p.name.clone()),
                answered_at: r.answered_at,
                applied_version: r.applied_version,
                stale,
                supports: mine_supports.clone().count() as i64,
                supported: mine_supports.clone().any(|s| s.user_id == actor.user.id),
                can_rebase: stale && now_text.is_some() && (l.drafter || r.author_id == actor.user.id),
                created_at: r.created_at,
            }
        })
        .collect())
}

/// Every comment and amendment on the convention, oldest first.
pub async fn comments(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Vec<ConventionCommentView>> {
    let l = load(db, actor, id).await?;
    let rows = comment_rows(db, id).await?;
    comment_views(db, actor, &l, &rows).await
}

/// One comment as the caller sees it, after a change.
pub async fn comment_view(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    comment_id: i64,
) -> AppResult<ConventionCommentView> {
    let l = load(db, actor, id).await?;
    let c = comment_of(db, &l, comment_id).await?;
    Ok(comment_views(db, actor, &l, &[c]).await?.remove(0))
}

fn version_row(rows: &[convention_version::Model], n: i32) -> AppResult<&convention_version::Model> {
    rows.iter().find(|v| v.version == n).ok_or(AppError::NotFound)
}

/// One version in full.
pub async fn version(db: &impl ConnectionTrait, actor: &Actor, id: i64, n: i32) -> AppResult<ConventionVersionView> {
    let l = load(db, actor, id).await?;
    let mut rows = versions(db, id).await?;
    rows.retain(|v| v.version <= l.readable);
    let row = version_row(&rows, n)?;
    let body = parse_body(&row.body)?;
    Ok(ConventionVersionView {
        version: version_summaries(db, std::slice::from_ref(row)).await?.remove(0),
        preamble: body.preamble.clone(),
        chapters: chapters(&body, &HashMap::new()),
    })
}

/// Two versions compared article by article.
pub async fn compare(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    p: CompareParams,
) -> AppResult<ConventionComparison> {
    let l = load(db, actor, id).await?;
    let mut rows = versions(db, id).await?;
    rows.retain(|v| v.version <= l.readable);
    let (a, b) = (version_row(&rows, p.from)?, version_row(&rows, p.to)?);
    let entries = text::compare(&parse_body(&a.body)?, &parse_body(&b.body)?);
    let mut s = version_summaries(db, &[a.clone(), b.clone()]).await?;
    let to = s.remove(1);
    Ok(ConventionComparison { from: s.remove(0), to, entries })
}

/// The consultation report: per article, the comments, amendments, supports and answers, and
/// the change from the first draft to the current one.
pub async fn report(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<ConsultationReport> {
    let l = load(db, actor, id).await?;
    let rows = versions(db, id).await?;
    let (first, last) = (version_row(&rows, 1)?, version_row(&rows, l.c.version)?);
    let (first_body, last_body) = (parse_body(&first.body)?, parse_body(&last.body)?);
    let comments = comment_views(db, actor, &l, &comment_rows(db, id).await?).await?;
    let supports_total: i64 = comments.iter().map(|c| c.supports).sum();
    let chapter_of = |b: &Body, article: &str| {
        b.chapters.iter().find(|ch| ch.articles.iter().any(|a| a.id == article)).map(|ch| ch.title.clone())
    };
    let articles = text::compare(&first_body, &last_body)
        .into_iter()
        .filter(|e| e.kind == EntryKind::Article)
        .map(|e| ReportArticle {
            id: e.id.clone(),
            label: e.label_to.clone().or_else(|| e.label_from.clone()).unwrap_or_default(),
            chapter: chapter_of(&last_body, &e.id).or_else(|| chapter_of(&first_body, &e.id)).filter(|t| !t.is_empty()),
            comments: comments.iter().filter(|c| c.article_id == e.id).cloned().collect(),
            change: e,
        })
        .collect();
    let count = |s: CommentStatus| comments.iter().filter(|c| c.status == s).count() as i64;
    let totals = ReportTotals {
        comments: comments.iter().filter(|c| c.kind == CommentKind::Comment).count() as i64,
        amendments: comments.iter().filter(|c| c.kind == CommentKind::Amendment).count() as i64,
        supports: supports_total,
        adopted: count(CommentStatus::Adopted),
        partly: count(CommentStatus::Partly),
        not_adopted: count(CommentStatus::NotAdopted),
        unanswered: count(CommentStatus::Open),
    };
    let vs = version_summaries(db, &[first.clone(), last.clone()]).await?;
    let said = (comments.len() as i64, totals.unanswered);
    Ok(ConsultationReport {
        convention: summary(&l.c, l.compound.as_ref(), party_kind_of(&l.party), said, Utc::now()),
        scope_name: scope_name(db, &l).await?,
        party_name: l.party.name.clone(),
        consultation: consultation(db, &l.c).await?,
        first: vs[0].clone(),
        last: vs[1].clone(),
        articles,
        totals,
    })
}

/// The consultations of conventions `ids` on a meeting's agenda, by convention: counts and every
/// comment and amendment with its article's number and its answer (drafts are left out).
pub async fn on_agenda(db: &impl ConnectionTrait, ids: &[i64]) -> AppResult<HashMap<i64, AgendaConsultation>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = convention::Entity::find()
        .filter(convention::Column::Id.is_in(ids.to_vec()))
        .filter(convention::Column::Status.ne(ConventionStatus::Drafting))
        .all(db)
        .await?;
    let said = convention_comment::Entity::find()
        .filter(convention_comment::Column::ConventionId.is_in(rows.iter().map(|c| c.id)))
        .order_by_asc(convention_comment::Column::Id)
        .all(db)
        .await?;
    let now = Utc::now();
    let mut out = HashMap::new();
    for c in rows {
        let labels: HashMap<String, String> =
            text::numbered(&parse_body(&c.body)?).into_iter().map(|n| (n.id, n.label)).collect();
        let mine: Vec<&convention_comment::Model> = said.iter().filter(|s| s.convention_id == c.id).collect();
        let n = |k: CommentKind| mine.iter().filter(|s| s.kind == k).count() as i64;
        out.insert(
            c.id,
            AgendaConsultation {
                convention_id: c.id,
                title: c.title.clone(),
                phase: rules::phase(c.status, c.consult_from, c.consult_until, now),
                version: c.version,
                comments: n(CommentKind::Comment),
                amendments: n(CommentKind::Amendment),
                unanswered: mine.iter().filter(|s| s.status == CommentStatus::Open).count() as i64,
                said: mine
                    .iter()
                    .map(|s| AgendaComment {
                        article_label: labels.get(&s.article_id).cloned().unwrap_or_default(),
                        kind: s.kind,
                        text: s.text.clone(),
                        wording: s.wording.clone(),
                        status: s.status,
                        answer: s.answer.clone(),
                    })
                    .collect(),
            },
        );
    }
    Ok(out)
}
