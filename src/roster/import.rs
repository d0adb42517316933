//! Importing a roster sheet: a dry run that shows every bad row and writes nothing, and a real
//! run that applies the whole sheet in one transaction or nothing at all.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::keys::{ProposedHolder, name_key, propose_keys};
use super::sheet::{Choices, HolderKeysFrom, Refusal, RosterRow, SheetFormat, SheetLayout, read_roster};
use crate::{
    audit,
    db::write_txn,
    entities::{building, compound, holder, unit, unit_change},
    error::{AppError, AppResult, RowError},
    i18n::Lang,
    msg,
};

/// What an import did, or (for a dry run) would do.
#[derive(Serialize, ToSchema, Debug, Default)]
pub struct ImportReport {
    pub dry_run: bool,
    pub format: Option<SheetFormat>,
    /// Unit rows read from the file.
    pub rows: u64,
    pub units_created: u64,
    pub units_updated: u64,
    pub units_unchanged: u64,
    /// Units already in the roster that the file does not list; they are kept as they are.
    pub units_not_in_file: u64,
    pub holders_created: u64,
    pub holders_updated: u64,
    pub buildings_created: u64,
    /// Where the header was found, which lines were passed over and why, and how each column
    /// of the sheet was understood.
    pub layout: SheetLayout,
    /// The holders proposed from names and phones when the sheet has no holder key column: whom
    /// the headcount will count. Empty when the sheet has its own keys.
    pub proposed_holders: Vec<ProposedHolder>,
    /// The proposed holder keys were confirmed for this import.
    pub holder_keys_confirmed: bool,
    /// Every bad row; a non-empty list means nothing was (or would be) written.
    pub errors: Vec<RowError>,
}

/// Rows per multi-row INSERT: well inside SQLite's limit on bound parameters.
const CHUNK: usize = 500;

/// The compound's roster as it stands, keyed the way the sheet names things.
struct Current {
    buildings: HashMap<String, building::Model>,
    holders: HashMap<String, holder::Model>,
    units: HashMap<(i64, String), unit::Model>,
}

async fn load(db: &impl ConnectionTrait, compound_id: i64) -> AppResult<Current> {
    let buildings = building::Entity::find().filter(building::Column::CompoundId.eq(compound_id)).all(db).await?;
    let holders = holder::Entity::find().filter(holder::Column::CompoundId.eq(compound_id)).all(db).await?;
    let units = unit::Entity::find().filter(unit::Column::CompoundId.eq(compound_id)).all(db).await?;
    Ok(Current {
        buildings: buildings.into_iter().map(|b| (b.name.clone(), b)).collect(),
        holders: holders.into_iter().map(|h| (h.holder_key.clone(), h)).collect(),
        units: units.into_iter().map(|u| ((u.building_id, u.number.clone()), u)).collect(),
    })
}

fn holder_changed(h: &holder::Model, r: &RosterRow) -> bool {
    h.name != r.holder_name || (r.holder_phone.is_some() && h.phone != r.holder_phone)
}

fn unit_changed(u: &unit::Model, r: &RosterRow, holder_id: i64) -> bool {
    u.area_centi != r.area_centi || u.area_source != r.area_source.as_str() || u.holder_id != holder_id
}

/// Count what applying `rows` to `cur` would do, without writing.
fn plan(cur: &Current, rows: &[RosterRow], report: &mut ImportReport) {
    let mut new_buildings = std::collections::HashSet::new();
    let mut seen_holders = std::collections::HashSet::new();
    let mut listed = std::collections::HashSet::new();
    for r in rows {
        if seen_holders.insert(r.holder_key.as_str()) {
            match cur.holders.get(&r.holder_key) {
                None => report.holders_created += 1,
                Some(h) if holder_changed(h, r) => report.holders_updated += 1,
                Some(_) => {}
            }
        }
        let existing = match cur.buildings.get(&r.building) {
            None => {
                new_buildings.insert(r.building.as_str());
                None
            }
            Some(b) => cur.units.get(&(b.id, r.unit.clone())),
        };
        match existing {
            None => report.units_created += 1,
            Some(u) => {
                listed.insert(u.id);
                let holder_id = cur.holders.get(&r.holder_key).map(|h| h.id).unwrap_or(-1);
                if unit_changed(u, r, holder_id) {
                    report.units_updated += 1;
                } else {
                    report.units_unchanged += 1;
                }
            }
        }
    }
    report.buildings_created = new_buildings.len() as u64;
    report.units_not_in_file = cur.units.values().filter(|u| !listed.contains(&u.id)).count() as u64;
}

/// What the secretary chose in the preview of a sheet.
#[derive(Clone, Debug, Default)]
pub struct ImportChoices {
    pub sheet: Choices,
    /// She checked the proposed holders and confirms their keys.
    pub confirm_proposed_keys: bool,
}

/// Check and (unless `dry_run`) apply a roster sheet to `compound`.
///
/// Re-importing updates units in place; every change of a unit's area, area source or holder is
/// kept in its history with who and when. Units the file no longer lists are left alone. A sheet
/// without holder keys is imported with the proposed ones only when they are confirmed.
pub async fn import_roster(
    db: &DatabaseConnection,
    compound: &compound::Model,
    actor_id: i64,
    bytes: &[u8],
    dry_run: bool,
    choices: &ImportChoices,
    lang: Lang,
) -> AppResult<ImportReport> {
    let sheet = read_roster(bytes, &choices.sheet, lang).map_err(|r| match r {
        Refusal::TooLarge(e) => AppError::Rows { message: msg!("roster_too_large"), rows: vec![e] },
        Refusal::Columns(message) => AppError::field("columns", msg!("roster_columns_invalid", detail = message)),
    })?;
    let proposing = sheet.layout.holder_keys == HolderKeysFrom::Proposed;
    let mut report = ImportReport { dry_run, format: Some(sheet.format), layout: sheet.layout, ..Default::default() };
    let mut rows = match sheet.rows {
        Ok(rows) => rows,
        Err(errors) if dry_run => {
            report.errors = errors;
            report.proposed_holders = sheet.holders;
            return Ok(report);
        }
        Err(errors) => {
            let n = errors.iter().map(|e| e.line).collect::<std::collections::HashSet<_>>().len();
            return Err(AppError::Rows { message: msg!("roster_rows_invalid", lines = n), rows: errors });
        }
    };
    report.rows = rows.len() as u64;
    if proposing {
        if !dry_run && !choices.confirm_proposed_keys {
            return Err(AppError::field("holder_keys", msg!("roster_holder_keys_unconfirmed")));
        }
        // Holders already in the roster keep their keys when their name and phone match.
        let existing: Vec<(String, Option<String>, String)> = holder::Entity::find()
            .filter(holder::Column::CompoundId.eq(compound.id))
            .all(db)
            .await?
            .into_iter()
            .map(|h| (name_key(&h.name), h.phone, h.holder_key))
            .collect();
        report.proposed_holders = propose_keys(&mut rows, &existing);
        report.holder_keys_confirmed = !dry_run;
    }
    if dry_run {
        let cur = load(db, compound.id).await?;
        plan(&cur, &rows, &mut report);
        return Ok(report);
    }

    let txn = write_txn(db).await?;
    apply(&txn, compound, actor_id, bytes, &rows, &mut report).await?;
    if report.holder_keys_confirmed {
        // The keys follow from the file, whose hash the import's own entry keeps.
        let detail = json!({ "holders": report.proposed_holders.len() });
        audit::note(&txn, Some(actor_id), compound, "roster.holder_keys_confirmed", detail).await?;
    }
    txn.commit().await?;
    Ok(report)
}

/// Apply checked rows inside the caller's transaction, filling in `report`.
pub async fn apply(
    txn: &impl ConnectionTrait,
    compound: &compound::Model,
    actor_id: i64,
    bytes: &[u8],
    rows: &[RosterRow],
    report: &mut ImportReport,
) -> AppResult<()> {
    let mut cur = load(txn, compound.id).await?;
    plan(&cur, rows, report);
    let now = Utc::now();

    for r in rows {
        if !cur.buildings.contains_key(&r.building) {
            let b = building::Entity::insert(building::ActiveModel {
                compound_id: Set(compound.id),
                name: Set(r.building.clone()),
                ..Default::default()
            })
            .exec_with_returning(txn)
            .await?;
            cur.buildings.insert(b.name.clone(), b);
        }
    }

    let mut new_holders: Vec<holder::ActiveModel> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for r in rows {
        if !seen.insert(r.holder_key.as_str()) {
            continue;
        }
        match cur.holders.get(&r.holder_key) {
            None => new_holders.push(holder::ActiveModel {
                compound_id: Set(compound.id),
                holder_key: Set(r.holder_key.clone()),
                name: Set(r.holder_name.clone()),
                phone: Set(r.holder_phone.clone()),
                is_developer: Set(r.is_developer()),
                ..Default::default()
            }),
            Some(h) if holder_changed(h, r) => {
                let mut am: holder::ActiveModel = h.clone().into();
                am.name = Set(r.holder_name.clone());
                if r.holder_phone.is_some() {
                    am.phone = Set(r.holder_phone.clone());
                }
                let h = am.update(txn).await?;
                cur.holders.insert(h.holder_key.clone(), h);
            }
            Some(_) => {}
        }
    }
    for chunk in new_holders.chunks(CHUNK) {
        holder::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    if !new_holders.is_empty() {
        cur.holders = holder::Entity::find()
            .filter(holder::Column::CompoundId.eq(compound.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|h| (h.holder_key.clone(), h))
            .collect();
    }

    let mut new_units = Vec::new();
    let mut changes = Vec::new();
    for r in rows {
        let building_id = cur.buildings[&r.building].id;
        let holder_id = cur.holders[&r.holder_key].id;
        match cur.units.get(&(building_id, r.unit.clone())) {
            None => new_units.push(unit::ActiveModel {
                compound_id: Set(compound.id),
                building_id: Set(building_id),
                number: Set(r.unit.clone()),
                area_centi: Set(r.area_centi),
                area_source: Set(r.area_source.as_str().into()),
                holder_id: Set(holder_id),
                updated_at: Set(now),
                ..Default::default()
            }),
            Some(u) if unit_changed(u, r, holder_id) => {
                changes.push(change(u.id, actor_id, Some(u), r, holder_id));
                let mut am: unit::ActiveModel = u.clone().into();
                am.area_centi = Set(r.area_centi);
                am.area_source = Set(r.area_source.as_str().into());
                am.holder_id = Set(holder_id);
                am.updated_at = Set(now);
                am.update(txn).await?;
            }
            Some(_) => {}
        }
    }
    for chunk in new_units.chunks(CHUNK) {
        unit::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }
    if !new_units.is_empty() {
        let units = unit::Entity::find().filter(unit::Column::CompoundId.eq(compound.id)).all(txn).await?;
        let by_key: HashMap<(i64, String), unit::Model> =
            units.into_iter().map(|u| ((u.building_id, u.number.clone()), u)).collect();
        for r in rows {
            let building_id = cur.buildings[&r.building].id;
            if cur.units.contains_key(&(building_id, r.unit.clone())) {
                continue;
            }
            if let Some(u) = by_key.get(&(building_id, r.unit.clone())) {
                changes.push(change(u.id, actor_id, None, r, u.holder_id));
            }
        }
    }
    for chunk in changes.chunks(CHUNK) {
        unit_change::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
    }

    let detail = json!({
        "file_sha256": hex::encode(Sha256::digest(bytes)),
        "format": report.format,
        "rows": report.rows,
        "units_created": report.units_created,
        "units_updated": report.units_updated,
        "units_unchanged": report.units_unchanged,
        "holders_created": report.holders_created,
        "holders_updated": report.holders_updated,
        "buildings_created": report.buildings_created,
        "columns_chosen": report.layout.columns_chosen,
        "area_basis": report.layout.area_basis,
        "holder_keys": report.layout.holder_keys,
        "holder_keys_confirmed_by": report.holder_keys_confirmed.then_some(actor_id),
    });
    audit::note(txn, Some(actor_id), compound, "roster.imported", detail).await?;
    Ok(())
}

fn change(
    unit_id: i64,
    actor_id: i64,
    before: Option<&unit::Model>,
    r: &RosterRow,
    holder_id: i64,
) -> unit_change::ActiveModel {
    unit_change::ActiveModel {
        unit_id: Set(unit_id),
        at: Set(Utc::now()),
        by_user_id: Set(Some(actor_id)),
        source: Set("import".into()),
        area_before: Set(before.map(|u| u.area_centi)),
        area_after: Set(Some(r.area_centi)),
        holder_before: Set(before.map(|u| u.holder_id)),
        holder_after: Set(Some(holder_id)),
        area_source: Set(r.area_source.as_str().into()),
        ..Default::default()
    }
}
