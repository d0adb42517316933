//! 知晓承诺: each household (one per holder; the developer's unsold homes are not asked) confirms
//! that it has read the convention in force and undertakes to keep it — on the phone, or on paper
//! entered by staff with a scan. The parties see the coverage by building and remind the rest.
use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{
    ops::{Loaded, compounds_of, load},
    rules,
    views::*,
};
use crate::{
    audit,
    auth::Actor,
    entities::{compound, convention_acknowledgement as ack, convention_adoption, file, holder, owner_link, unit},
    error::{AppError, AppResult, require, unique_conflict},
    msg,
    notices::{self, Deed, NewNotice, NoticeText},
    policy::{Permission, Role},
    tenancy::building_names_in,
};

/// The compounds where the version in force of `l` applies: its own, or for a community-wide
/// convention those where it was adopted (every compound, when adopted for the whole community).
pub(super) async fn applies_in(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<Vec<compound::Model>> {
    let Some(version) = l.c.in_force_version.filter(|_| l.c.status != ConventionStatus::Repealed) else {
        return Ok(Vec::new());
    };
    if let Some(c) = &l.compound {
        return Ok(vec![c.clone()]);
    }
    let adopted = convention_adoption::Entity::find()
        .filter(convention_adoption::Column::ConventionId.eq(l.c.id))
        .filter(convention_adoption::Column::Version.eq(version))
        .filter(convention_adoption::Column::Action.eq(AdoptionAction::Adopt))
        .filter(convention_adoption::Column::Status.eq(AdoptionStatus::Adopted))
        .all(db)
        .await?;
    let all = compounds_of(db, &l.c).await?;
    if adopted.iter().any(|a| a.compound_id.is_none()) {
        return Ok(all);
    }
    Ok(all.into_iter().filter(|c| adopted.iter().any(|a| a.compound_id == Some(c.id))).collect())
}

/// The households of `compounds` (the developer left out), with their homes' labels and the
/// building of their first home.
struct Households {
    rows: Vec<holder::Model>,
    homes: HashMap<i64, Vec<String>>,
    building: HashMap<i64, String>,
    compound_names: HashMap<i64, String>,
}

async fn households(db: &impl ConnectionTrait, compounds: &[compound::Model]) -> AppResult<Households> {
    let ids: Vec<i64> = compounds.iter().map(|c| c.id).collect();
    let rows = holder::Entity::find()
        .filter(holder::Column::CompoundId.is_in(ids.clone()))
        .filter(holder::Column::IsDeveloper.eq(false))
        .order_by_asc(holder::Column::HolderKey)
        .all(db)
        .await?;
    let units =
        unit::Entity::find().filter(unit::Column::CompoundId.is_in(ids)).order_by_asc(unit::Column::Id).all(db).await?;
    let mut names = HashMap::new();
    for c in compounds {
        names.extend(building_names_in(db, c.id).await?);
    }
    let (mut homes, mut building): (HashMap<i64, Vec<String>>, HashMap<i64, String>) = Default::default();
    for u in units {
        let b = names.get(&u.building_id).cloned().unwrap_or_default();
        building.entry(u.holder_id).or_insert_with(|| b.clone());
        homes.entry(u.holder_id).or_default().push(format!("{b} {}", u.number));
    }
    let compound_names = compounds.iter().map(|c| (c.id, c.name.clone())).collect();
    Ok(Households { rows, homes, building, compound_names })
}

impl Households {
    fn view(&self, h: &holder::Model, done: Option<&ack::Model>) -> HouseholdAck {
        HouseholdAck {
            holder_id: h.id,
            compound_name: self.compound_names.get(&h.compound_id).cloned().unwrap_or_default(),
            homes: self.homes.get(&h.id).cloned().unwrap_or_default(),
            acknowledged_at: done.map(|a| a.created_at),
            channel: done.map(|a| a.channel.clone()),
        }
    }
}

async fn acks(db: &impl ConnectionTrait, convention_id: i64, version: i32) -> AppResult<HashMap<i64, ack::Model>> {
    Ok(ack::Entity::find()
        .filter(ack::Column::ConventionId.eq(convention_id))
        .filter(ack::Column::Version.eq(version))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.holder_id, a))
        .collect())
}

/// Whether the caller records paper acknowledgements and sees coverage: a party where it applies.
fn records(actor: &Actor, compounds: &[compound::Model]) -> bool {
    compounds.iter().any(|c| actor.authorize_compound(Permission::DraftConventions, c).is_ok())
}

/// The caller's households where `l` applies, and whether each has acknowledged.
pub async fn show(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<AcknowledgementsView> {
    let l = load(db, actor, id).await?;
    let compounds = applies_in(db, &l).await?;
    let Some(version) = l.c.in_force_version.filter(|_| !compounds.is_empty()) else {
        return Ok(AcknowledgementsView { version: None, mine: Vec::new(), coverage: None });
    };
    let house = households(db, &compounds).await?;
    let done = acks(db, l.c.id, version).await?;
    let held: HashSet<i64> = mine(db, actor).await?;
    let my = house.rows.iter().filter(|h| held.contains(&h.id)).map(|h| house.view(h, done.get(&h.id))).collect();
    let coverage = records(actor, &compounds).then(|| {
        let acknowledged: HashSet<i64> = done.keys().copied().collect();
        let compound_of: HashMap<i64, i64> = house.rows.iter().map(|h| (h.id, h.compound_id)).collect();
        let place = |h: &holder::Model| {
            let compound = house.compound_names.get(&h.compound_id).map_or("", String::as_str);
            (compound, house.building.get(&h.id).map_or("", String::as_str))
        };
        let by_building = rules::coverage(house.rows.iter().map(|h| (h.id, place(h))), &acknowledged);
        let counted: Vec<&ack::Model> = done.values().filter(|a| compound_of.contains_key(&a.holder_id)).collect();
        Coverage {
            households: house.rows.len() as i64,
            acknowledged: counted.len() as i64,
            online: counted.iter().filter(|a| a.channel == "online").count() as i64,
            paper: counted.iter().filter(|a| a.channel == "paper").count() as i64,
            buildings: by_building
                .into_iter()
                .map(|((compound_name, building), (households, acknowledged))| BuildingCoverage {
                    compound_name: compound_name.to_owned(),
                    building: building.to_owned(),
                    households,
                    acknowledged,
                })
                .collect(),
            pending: house.rows.iter().filter(|h| !done.contains_key(&h.id)).map(|h| house.view(h, None)).collect(),
        }
    });
    Ok(AcknowledgementsView { version: Some(version), mine: my, coverage })
}

async fn mine(db: &impl ConnectionTrait, actor: &Actor) -> AppResult<HashSet<i64>> {
    Ok(crate::roster::holders_of_user(db, actor.user.id).await?.into_iter().collect())
}

/// The compounds `l` is for (its own, or every compound of the community): whoever records
/// acknowledgements in none of them is refused before anything else is looked at.
async fn reach(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<Vec<compound::Model>> {
    compounds_of(db, &l.c).await
}

/// The version in force of `l` and the households it applies to, or why none can acknowledge.
async fn in_force(db: &impl ConnectionTrait, l: &Loaded) -> AppResult<(i32, Vec<compound::Model>)> {
    let compounds = applies_in(db, l).await?;
    match l.c.in_force_version {
        Some(v) if !compounds.is_empty() => Ok((v, compounds)),
        _ => Err(AppError::conflict("convention_not_in_force", msg!("convention_acknowledge_not_in_force"))),
    }
}

async fn insert(
    db: &impl ConnectionTrait,
    actor: &Actor,
    l: &Loaded,
    version: i32,
    h: &holder::Model,
    row: ack::ActiveModel,
) -> AppResult<()> {
    let channel = match &row.channel {
        Set(c) => c.clone(),
        _ => String::new(),
    };
    ack::Entity::insert(row)
        .exec(db)
        .await
        .map_err(unique_conflict("convention_acknowledged", msg!("convention_acknowledged")))?;
    let detail = json!({ "version": version, "holder_id": h.id, "channel": channel });
    audit::note(db, Some(actor.user.id), &l.c, "convention.acknowledged", detail).await?;
    // The household has done what the reminders asked of each of its owners.
    let link = link_of(l);
    let owners: Vec<(i64, String)> = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.eq(h.id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.user_id, link.clone()))
        .collect();
    if let Some(s) = notices::done::done_statement(db.get_database_backend(), Deed::Acknowledge, &owners) {
        db.execute_raw(s).await?;
    }
    Ok(())
}

/// The link of the reminders to acknowledge `l`, by which acknowledging reads them.
fn link_of(l: &Loaded) -> String {
    format!("/conventions/{}", l.c.id)
}

fn base(l: &Loaded, version: i32, h: &holder::Model) -> ack::ActiveModel {
    ack::ActiveModel {
        convention_id: Set(l.c.id),
        version: Set(version),
        compound_id: Set(h.compound_id),
        holder_id: Set(h.id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// The caller acknowledges the version in force for one of their households: once per household.
pub async fn acknowledge(db: &impl ConnectionTrait, actor: &Actor, id: i64, req: Acknowledge) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    let (version, compounds) = in_force(db, &l).await?;
    let held = mine(db, actor).await?;
    let mut homes = holder::Entity::find()
        .filter(holder::Column::Id.is_in(held))
        .filter(holder::Column::CompoundId.is_in(compounds.iter().map(|c| c.id)))
        .order_by_asc(holder::Column::Id)
        .all(db)
        .await?;
    homes.retain(|h| !h.is_developer);
    let h = match req.holder_id {
        Some(id) => homes.into_iter().find(|h| h.id == id).ok_or(AppError::NotFound)?,
        None => {
            let done = acks(db, l.c.id, version).await?;
            let first = homes.iter().find(|h| !done.contains_key(&h.id)).or(homes.first()).cloned();
            first.ok_or_else(|| AppError::conflict("convention_no_home", msg!("convention_acknowledge_no_home")))?
        }
    };
    let mut row = base(&l, version, &h);
    row.user_id = Set(Some(actor.user.id));
    row.channel = Set("online".into());
    insert(db, actor, &l, version, &h, row).await
}

/// Staff enter a household's acknowledgement signed on paper, with its scan.
pub async fn record_paper(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: i64,
    req: PaperAcknowledgement,
) -> AppResult<()> {
    let l = load(db, actor, id).await?;
    require(records(actor, &reach(db, &l).await?))?;
    let (version, compounds) = in_force(db, &l).await?;
    let h = holder::Entity::find_by_id(req.holder_id).one(db).await?;
    let Some(h) = h.filter(|h| compounds.iter().any(|c| c.id == h.compound_id)) else {
        return Err(AppError::field("holder_id", msg!("convention_holder_elsewhere")));
    };
    if h.is_developer {
        return Err(AppError::field("holder_id", msg!("convention_acknowledge_developer")));
    }
    let c = compounds.iter().find(|c| c.id == h.compound_id).ok_or(AppError::NotFound)?;
    require(actor.authorize_compound(Permission::DraftConventions, c).is_ok())?;
    if let Some(f) = req.scan_file_id {
        let found = file::Entity::find_by_id(f).one(db).await?;
        if found.is_none_or(|f| f.compound_id != h.compound_id) {
            return Err(AppError::field("scan_file_id", msg!("vote_scan_not_in_compound")));
        }
    }
    if req.signed_on > crate::china_time::today() {
        return Err(AppError::field("signed_on", msg!("convention_signed_future")));
    }
    let mut row = base(&l, version, &h);
    row.channel = Set("paper".into());
    row.entered_by = Set(Some(actor.user.id));
    row.scan_file_id = Set(req.scan_file_id);
    row.signed_on = Set(Some(req.signed_on));
    insert(db, actor, &l, version, &h, row).await
}

/// Remind the owners of the households that have not acknowledged.
pub async fn remind(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> AppResult<Reminded> {
    let l = load(db, actor, id).await?;
    require(records(actor, &reach(db, &l).await?))?;
    let (version, compounds) = in_force(db, &l).await?;
    let house = households(db, &compounds).await?;
    let done = acks(db, l.c.id, version).await?;
    let pending: Vec<i64> = house.rows.iter().filter(|h| !done.contains_key(&h.id)).map(|h| h.id).collect();
    let owners: Vec<i64> = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.is_in(pending.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.user_id)
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !owners.is_empty() {
        let n = NewNotice {
            community_id: l.c.community_id,
            compound_id: l.c.compound_id,
            kind: "convention_acknowledge",
            text: NoticeText::Params(json!({ "title": l.c.title })),
            link: Some(link_of(&l)),
            created_by: Some(actor.user.id),
        };
        notices::publish(db, n, &owners).await?;
    }
    let detail = json!({ "version": version, "households": pending.len(), "recipients": owners.len() });
    audit::note(db, Some(actor.user.id), &l.c, "convention.acknowledgements_reminded", detail).await?;
    Ok(Reminded { households: pending.len() as i64, recipients: owners.len() as i64 })
}

/// What the caller may do with `l` in force: acknowledge it, record acknowledgements, and report
/// breaches in which compounds.
pub(super) async fn can(db: &impl ConnectionTrait, actor: &Actor, l: &Loaded) -> AppResult<(bool, bool, Vec<i64>)> {
    let compounds = applies_in(db, l).await?;
    let owner = compounds.iter().any(|c| actor.roles_in_compound(c).contains(&Role::Owner));
    let report = compounds
        .iter()
        .filter(|c| actor.authorize_compound(Permission::RaiseConcern, c).is_ok())
        .map(|c| c.id)
        .collect();
    Ok((owner, records(actor, &compounds), report))
}
