//! A vote's life: opening freezes the eligible roster; closing counts it and fixes a checkpoint
//! of the audit chain. Both happen at the first request after their time (and from the server's
//! ticker), each exactly once: the status change is a conditional update.
use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, prelude::Expr, sea_query::ExprTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::{
    model::{BallotStatus, VoteForm, VoteStatus},
    recount::WeightJson,
    rules::{Step, due},
    tally::{Choice, Matter, Threshold, Weight, elect, quorum_met, tally},
};
use crate::{
    audit::{self, Event, Subject},
    db::{Transition, write_txn},
    entities::{ballot, compound, holder, owner_link, unit, vote, vote_candidate, vote_electorate},
    error::{AppError, AppResult},
    notices::{self, NewNotice},
};

/// One candidate's line in an election result.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct CandidateResultView {
    pub position: i32,
    pub name: String,
    pub support: WeightJson,
    /// Supporters hold more than half of the participating area and heads.
    pub qualified: bool,
    pub elected: bool,
}

/// The counted result of a vote.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct VoteResult {
    pub matter: Matter,
    pub threshold: Threshold,
    pub total: WeightJson,
    pub participating: WeightJson,
    /// Area and heads needed for the quorum (two thirds of the total, rounded up).
    pub quorum_needed: WeightJson,
    pub quorum_met: bool,
    /// For motions.
    pub agree: Option<WeightJson>,
    pub oppose: Option<WeightJson>,
    pub abstain: Option<WeightJson>,
    pub passed: Option<bool>,
    /// For elections, in rank order.
    pub candidates: Option<Vec<CandidateResultView>>,
    /// Candidates tied for the last seat: reported, never broken silently.
    pub tied: Option<Vec<String>>,
    /// Ballots counted.
    pub ballots: i64,
    /// Paper ballots entered but never confirmed by a second person: not counted.
    pub unconfirmed_paper: i64,
}

/// Two thirds of `total`, rounded up: the least that meets the quorum.
pub fn quorum_needed(total: Weight) -> Weight {
    let up = |x: i64| (x * 2 + 2) / 3;
    Weight { area: up(total.area), heads: up(total.heads) }
}

/// Parse the building scope stored on a vote.
pub fn building_ids(v: &vote::Model) -> Option<Vec<i64>> {
    v.building_ids.as_deref().and_then(|s| serde_json::from_str(s).ok())
}

/// The units a vote counts: the whole compound, or the chosen buildings.
pub async fn units_in_scope(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<Vec<unit::Model>> {
    let mut find = unit::Entity::find().filter(unit::Column::CompoundId.eq(v.compound_id));
    if let Some(ids) = building_ids(v) {
        find = find.filter(unit::Column::BuildingId.is_in(ids));
    }
    Ok(find.all(db).await?)
}

/// Whether `v` counts unit `u`: [`units_in_scope`] for units already read.
pub fn counts_unit(v: &vote::Model, u: &unit::Model) -> bool {
    u.compound_id == v.compound_id && building_ids(v).is_none_or(|ids| ids.contains(&u.building_id))
}

/// Users verified as holders of the given units.
pub async fn owners_of(db: &impl ConnectionTrait, units: &[unit::Model]) -> AppResult<Vec<i64>> {
    let links = owner_link::Entity::find()
        .filter(owner_link::Column::HolderId.is_in(units.iter().map(|u| u.holder_id)))
        .all(db)
        .await?;
    Ok(links.into_iter().map(|l| l.user_id).collect())
}

/// Bring a vote up to date with the clock.
pub async fn advance(db: &DatabaseConnection, v: vote::Model) -> AppResult<vote::Model> {
    let mut v = v;
    while let Some(step) = due(v.status, v.opens_at, v.closes_at, Utc::now()) {
        let txn = write_txn(db).await?;
        match step {
            Step::Open => open(&txn, &v).await?,
            _ => close(&txn, &v).await?,
        }
        txn.commit().await?;
        let Some(now) = vote::Entity::find_by_id(v.id).one(db).await? else { break };
        if now.status == v.status {
            break;
        }
        v = now;
    }
    Ok(v)
}

/// Open and close whatever votes are due; the server runs this every few seconds so that a vote
/// opens and closes on time even when nobody is looking at it.
pub async fn tick(db: &DatabaseConnection) -> AppResult<usize> {
    let now = Utc::now();
    let due = vote::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(vote::Column::Status.eq(VoteStatus::Published).and(vote::Column::OpensAt.lte(now)))
                .add(vote::Column::Status.eq(VoteStatus::Open).and(vote::Column::ClosesAt.lte(now))),
        )
        .all(db)
        .await?;
    let n = due.len();
    for v in due {
        advance(db, v).await?;
    }
    Ok(n)
}

/// The answer of a clock move that another request made first.
fn moved_meanwhile() -> AppError {
    AppError::conflict("vote_moved_meanwhile", crate::msg!("vote_moved_meanwhile"))
}

/// Whether this request made a clock move: another having made it first is no error.
fn made_here(r: AppResult<()>) -> AppResult<bool> {
    match r {
        Ok(()) => Ok(true),
        Err(AppError::Conflict { code: "vote_moved_meanwhile", .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Open the vote and freeze its eligible roster, once.
async fn open(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<()> {
    let step = Transition::<vote::Entity>::of(
        vote::Column::Id,
        v.id,
        vote::Column::Status,
        [VoteStatus::Published],
        VoteStatus::Open,
    )
    .set(vote::Column::FrozenAt, Utc::now());
    if !made_here(step.apply(db, moved_meanwhile).await)? {
        return Ok(());
    }
    let units = units_in_scope(db, v).await?;
    let buildings = crate::tenancy::building_names_in(db, v.compound_id).await?;
    let keys: HashMap<i64, String> = holder::Entity::find()
        .filter(holder::Column::CompoundId.eq(v.compound_id))
        .all(db)
        .await?
        .into_iter()
        .map(|h| (h.id, h.holder_key))
        .collect();
    let rows: Vec<vote_electorate::ActiveModel> = units
        .iter()
        .map(|u| vote_electorate::ActiveModel {
            vote_id: Set(v.id),
            holder_id: Set(u.holder_id),
            holder_key: Set(keys.get(&u.holder_id).cloned().unwrap_or_default()),
            unit_id: Set(u.id),
            unit_label: Set(format!(
                "{} {}",
                buildings.get(&u.building_id).map(String::as_str).unwrap_or(""),
                u.number
            )),
            area_centi: Set(u.area_centi),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        vote_electorate::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    let total = electorate(db, v.id).await?.total();
    let detail = json!({ "units": units.len(), "holders": total.heads, "area_centi": total.area });
    audit::note(db, None, v, "vote.opened", detail).await
}

/// The frozen roster of a vote, by holder.
pub struct Electorate {
    /// Holder id → index into `areas`.
    pub index: HashMap<i64, usize>,
    pub holders: Vec<i64>,
    pub areas: Vec<i64>,
    pub rows: Vec<vote_electorate::Model>,
}

impl Electorate {
    pub fn total(&self) -> Weight {
        Weight { area: self.areas.iter().sum(), heads: self.areas.len() as i64 }
    }
}

pub async fn electorate(db: &impl ConnectionTrait, vote_id: i64) -> AppResult<Electorate> {
    let rows = vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(vote_id))
        .order_by_asc(vote_electorate::Column::Id)
        .all(db)
        .await?;
    let mut per: BTreeMap<i64, i64> = BTreeMap::new();
    for r in &rows {
        *per.entry(r.holder_id).or_default() += r.area_centi;
    }
    let holders: Vec<i64> = per.keys().copied().collect();
    let areas: Vec<i64> = per.values().copied().collect();
    let index = holders.iter().enumerate().map(|(i, h)| (*h, i)).collect();
    Ok(Electorate { index, holders, areas, rows })
}

/// One holder on a frozen roster: their key, and their rooms with each room's area.
pub struct HolderUnits {
    pub key: String,
    pub units: Vec<(String, i64)>,
}

/// Frozen rosters, read from the database once per vote and kept: a roster never changes after
/// its vote opens, and every ballot needs it.
#[derive(Default)]
pub struct Rosters {
    map: std::sync::Mutex<HashMap<i64, std::sync::Arc<HashMap<i64, HolderUnits>>>>,
    opened: std::sync::Mutex<HashMap<i64, vote::Model>>,
    /// Held by the one request reading a vote that is not in memory yet.
    loading: tokio::sync::Mutex<()>,
}

impl Rosters {
    /// A vote as it was when last seen open. What stays fixed once a vote opens (its compound,
    /// form, seats, scope and frozen roster) can be read from it; its status and window cannot,
    /// and the ballot writer reads those fresh for every batch.
    pub fn opened(&self, vote_id: i64) -> Option<vote::Model> {
        self.opened.lock().expect("votes lock").get(&vote_id).cloned()
    }

    /// Keep `v` if it is open.
    pub fn seen(&self, v: &vote::Model) {
        if v.status == VoteStatus::Open && v.frozen_at.is_some() {
            self.opened.lock().expect("votes lock").insert(v.id, v.clone());
        }
    }

    /// The vote if it is open: from memory, or read by one request (bringing it up to date with
    /// the clock, and its roster with it) while any others asking meanwhile wait for that read.
    /// When a vote opens, or the server restarts during one, hundreds of ballots arrive at once.
    pub async fn open_vote(&self, db: &DatabaseConnection, vote_id: i64) -> AppResult<Option<vote::Model>> {
        if let Some(v) = self.opened(vote_id) {
            return Ok(Some(v));
        }
        let _only_me = self.loading.lock().await;
        if let Some(v) = self.opened(vote_id) {
            return Ok(Some(v));
        }
        let Some(v) = vote::Entity::find_by_id(vote_id).one(db).await? else { return Ok(None) };
        let v = advance(db, v).await?;
        if v.status != VoteStatus::Open || v.frozen_at.is_none() {
            return Ok(None);
        }
        self.get(db, &v).await?;
        self.seen(&v);
        Ok(Some(v))
    }

    /// Keep in memory exactly the votes open now, each with its roster, reading any not there
    /// yet. The server's ticker calls this, so that the rush of ballots when a vote opens (or
    /// when the server restarts during one) finds it ready; a vote no longer open is let go.
    pub async fn warm(&self, db: &DatabaseConnection) -> AppResult<()> {
        let open: Vec<i64> = vote::Entity::find()
            .select_only()
            .column(vote::Column::Id)
            .filter(vote::Column::Status.eq(VoteStatus::Open))
            .into_tuple()
            .all(db)
            .await?;
        let keep: std::collections::HashSet<i64> = open.iter().copied().collect();
        self.opened.lock().expect("votes lock").retain(|id, _| keep.contains(id));
        self.map.lock().expect("rosters lock").retain(|id, _| keep.contains(id));
        for id in open {
            self.open_vote(db, id).await?;
        }
        Ok(())
    }

    /// The frozen roster of vote `vote_id` if it is in memory already.
    pub fn cached(&self, vote_id: i64) -> Option<std::sync::Arc<HashMap<i64, HolderUnits>>> {
        self.map.lock().expect("rosters lock").get(&vote_id).cloned()
    }

    /// The frozen roster of `v`, by holder. Only for a vote that has opened.
    pub async fn get(
        &self,
        db: &impl ConnectionTrait,
        v: &vote::Model,
    ) -> AppResult<std::sync::Arc<HashMap<i64, HolderUnits>>> {
        debug_assert!(v.frozen_at.is_some(), "only an opened vote has a frozen roster");
        if let Some(r) = self.map.lock().expect("rosters lock").get(&v.id) {
            return Ok(r.clone());
        }
        let mut by_holder: HashMap<i64, HolderUnits> = HashMap::new();
        for e in electorate(db, v.id).await?.rows {
            let h = by_holder
                .entry(e.holder_id)
                .or_insert_with(|| HolderUnits { key: e.holder_key.clone(), units: Vec::new() });
            h.units.push((e.unit_label, e.area_centi));
        }
        let r = std::sync::Arc::new(by_holder);
        self.map.lock().expect("rosters lock").insert(v.id, r.clone());
        Ok(r)
    }
}

/// Counted area and heads so far (for live turnout: no choices involved).
pub async fn turnout(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<(Weight, Weight, i64)> {
    let e = electorate(db, v.id).await?;
    let ballots = ballot::Entity::find().filter(ballot::Column::VoteId.eq(v.id)).all(db).await?;
    let mut part = Weight::default();
    let mut pending = 0;
    for b in &ballots {
        if b.status == BallotStatus::Pending {
            pending += 1;
        } else if let Some(&i) = e.index.get(&b.holder_id) {
            part.area += e.areas[i];
            part.heads += 1;
        }
    }
    Ok((e.total(), part, pending))
}

/// Count the vote from its frozen roster and counted ballots.
pub async fn count(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<VoteResult> {
    let matter = Matter::parse(&v.matter).unwrap_or(Matter::Other);
    let e = electorate(db, v.id).await?;
    let ballots = ballot::Entity::find().filter(ballot::Column::VoteId.eq(v.id)).all(db).await?;
    let counted: Vec<&ballot::Model> = ballots.iter().filter(|b| b.status == BallotStatus::Counted).collect();
    let unconfirmed = ballots.len() as i64 - counted.len() as i64;
    let total = e.total();
    let base = |participating: Weight| VoteResult {
        matter,
        threshold: matter.threshold(),
        total: total.into(),
        participating: participating.into(),
        quorum_needed: quorum_needed(total).into(),
        quorum_met: quorum_met(participating, total),
        agree: None,
        oppose: None,
        abstain: None,
        passed: None,
        candidates: None,
        tied: None,
        ballots: counted.len() as i64,
        unconfirmed_paper: unconfirmed,
    };
    match VoteForm::parse(&v.form) {
        VoteForm::Motion => {
            let list: Vec<(usize, Choice)> = counted
                .iter()
                .filter_map(|b| Some((*e.index.get(&b.holder_id)?, Choice::parse(b.choice.as_deref()?)?)))
                .collect();
            let t = tally(matter, &e.areas, &list);
            Ok(VoteResult {
                agree: Some(t.agree.into()),
                oppose: Some(t.oppose.into()),
                abstain: Some(t.abstain.into()),
                passed: Some(t.passed),
                ..base(t.participating)
            })
        }
        VoteForm::Election => {
            let cands = vote_candidate::Entity::find()
                .filter(vote_candidate::Column::VoteId.eq(v.id))
                .order_by_asc(vote_candidate::Column::Position)
                .all(db)
                .await?;
            let list: Vec<(usize, Vec<usize>)> = counted
                .iter()
                .filter_map(|b| {
                    let picks: Vec<usize> = serde_json::from_str(b.picks.as_deref()?).ok()?;
                    Some((*e.index.get(&b.holder_id)?, picks))
                })
                .collect();
            let seats = Ord::max(v.seats.unwrap_or(1), 1) as usize;
            let r = elect(&e.areas, cands.len(), seats, &list);
            let name = |i: usize| cands.get(i).map(|c| c.name.clone()).unwrap_or_default();
            Ok(VoteResult {
                candidates: Some(
                    r.candidates
                        .iter()
                        .map(|c| CandidateResultView {
                            position: c.candidate as i32,
                            name: name(c.candidate),
                            support: c.support.into(),
                            qualified: c.qualified,
                            elected: c.elected,
                        })
                        .collect(),
                ),
                tied: Some(r.tied.iter().map(|&i| name(i)).collect()),
                ..base(r.participating)
            })
        }
    }
}

/// Close the vote, once: count it, record the result in the chain, keep the chain head as the
/// checkpoint, open the publicity period and tell the owners.
async fn close(db: &impl ConnectionTrait, v: &vote::Model) -> AppResult<()> {
    let now = Utc::now();
    let step = Transition::<vote::Entity>::of(
        vote::Column::Id,
        v.id,
        vote::Column::Status,
        [VoteStatus::Open],
        VoteStatus::Closed,
    )
    .set(vote::Column::ClosedAt, now);
    if !made_here(step.apply(db, moved_meanwhile).await)? {
        return Ok(());
    }
    let result = count(db, v).await?;
    let result_json = serde_json::to_string(&result).map_err(anyhow::Error::from)?;
    let event = audit::record(
        db,
        Event {
            actor_id: None,
            action: "vote.closed",
            community_id: v.community_id(),
            compound_id: v.compound_id(),
            subject: v.subject(),
            detail: serde_json::from_str(&result_json).map_err(anyhow::Error::from)?,
        },
    )
    .await?;
    let publicity_days =
        compound::Entity::find_by_id(v.compound_id).one(db).await?.map(|c| c.publicity_days).unwrap_or(7);
    vote::Entity::update_many()
        .col_expr(vote::Column::Result, Expr::value(result_json))
        .col_expr(vote::Column::CheckpointSeq, Expr::value(event.seq))
        .col_expr(vote::Column::CheckpointHash, Expr::value(event.hash.clone()))
        .col_expr(vote::Column::PublicityUntil, Expr::value(now + Duration::days(publicity_days as i64)))
        .filter(vote::Column::Id.eq(v.id))
        .exec(db)
        .await?;
    let c = compound::Entity::find_by_id(v.compound_id).one(db).await?;
    if let Some(c) = c {
        let units = units_in_scope(db, v).await?;
        let recipients = owners_of(db, &units).await?;
        let outcome = match (result.passed, result.quorum_met) {
            (Some(true), _) => "passed",
            (Some(false), true) => "not_passed",
            (Some(false), false) => "quorum_not_met",
            (None, _) => "election_published",
        };
        notices::publish(
            db,
            NewNotice::in_compound(
                &c,
                "vote_result",
                serde_json::json!({ "title": v.title, "result": outcome, "days": publicity_days }),
                format!("/votes/{}", v.id),
            ),
            &recipients,
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quorum_needed_rounds_up() {
        assert_eq!(quorum_needed(Weight { area: 300, heads: 3 }), Weight { area: 200, heads: 2 });
        assert_eq!(quorum_needed(Weight { area: 301, heads: 4 }), Weight { area: 201, heads: 3 });
    }
}
