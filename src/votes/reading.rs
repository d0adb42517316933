//! What a caller reads of a vote: its page with their holdings and ballots, the list entry, and
//! the clerks' view of paper slips.
use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{
    access::allowed,
    cast,
    lifecycle::{Rosters, VoteResult, building_ids, counts_unit},
    model::{BallotStatus, Channel, VoteForm, VoteStatus},
    rules::{Stored, in_publicity, replaces},
    secrecy,
    tally::{Choice, Matter},
    views::*,
};
use crate::{
    accounts::user_names,
    auth::Actor,
    entities::{
        ballot, compound, holder, unit, vote, vote_attachment, vote_candidate, vote_electorate, vote_objection,
    },
    error::AppResult,
    policy::Permission,
    roster::area,
};

/// A vote as the list of a compound's votes shows it, with the caller's homes in it.
pub fn summary(v: &vote::Model, mine: Option<MyHomes>) -> VoteSummary {
    let matter = Matter::parse(&v.matter).unwrap_or(Matter::Other);
    let result: Option<VoteResult> = v.result.as_deref().and_then(|r| serde_json::from_str(r).ok());
    VoteSummary {
        id: v.id,
        compound_id: v.compound_id,
        title: v.title.clone(),
        matter,
        threshold: matter.threshold(),
        form: VoteForm::parse(&v.form),
        status: v.status,
        secret: v.secret,
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        passed: result.and_then(|r| r.passed),
        mine,
    }
}

/// How many of the holdings on a vote's page have a ballot in; `None` when there are none.
pub fn my_homes(my: &[MyHolding]) -> Option<MyHomes> {
    if my.is_empty() {
        return None;
    }
    Some(MyHomes { homes: my.len() as i64, voted: my.iter().filter(|h| h.ballot.is_some()).count() as i64 })
}

/// (holder, room label, area in 0.01 m²) of one unit.
type UnitLine = (i64, String, i64);

/// Whether `v` reads its frozen roster rather than the units as they are now.
fn reads_frozen(v: &vote::Model) -> bool {
    v.status != VoteStatus::Draft && v.frozen_at.is_some()
}

/// The holdings `actor` may vote for in `v`: their verified holders in scope, and holders whose
/// written proxy they hold. With the roster frozen, the frozen one decides.
pub async fn my_holdings(
    db: &impl ConnectionTrait,
    rosters: &Rosters,
    actor: &Actor,
    v: &vote::Model,
    with_ballots: bool,
) -> AppResult<Vec<MyHolding>> {
    let mut by_vote = my_holdings_in(db, rosters, actor, v.compound_id, std::slice::from_ref(v), with_ballots).await?;
    Ok(by_vote.remove(&v.id).unwrap_or_default())
}

/// [`my_holdings`] for each of `votes` (all of compound `compound_id`), by vote id, read in the
/// same few queries however many votes there are.
pub async fn my_holdings_in(
    db: &impl ConnectionTrait,
    rosters: &Rosters,
    actor: &Actor,
    compound_id: i64,
    votes: &[vote::Model],
    with_ballots: bool,
) -> AppResult<HashMap<i64, Vec<MyHolding>>> {
    let pairs = cast::holdings_of(db, cast::Callers::Users(&[actor.user.id]))
        .await?
        .remove(&actor.user.id.to_string())
        .map(|h| h.in_compound(compound_id))
        .unwrap_or_default();
    if pairs.is_empty() || votes.is_empty() {
        return Ok(HashMap::new());
    }
    let wanted: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    // (holder, unit label, area) of the caller's units in each vote's scope, and the holders' keys.
    let mut units: HashMap<i64, Vec<UnitLine>> = HashMap::new();
    let mut keys: HashMap<i64, String> = HashMap::new();
    let (frozen, live): (Vec<&vote::Model>, Vec<&vote::Model>) = votes.iter().partition(|v| reads_frozen(v));
    // A frozen roster in memory is read there; the others' rows of these holders in one query.
    let mut unread = Vec::new();
    for v in frozen {
        let Some(roster) = rosters.cached(v.id) else {
            unread.push(v.id);
            continue;
        };
        for h in &wanted {
            if let Some(r) = roster.get(h) {
                keys.insert(*h, r.key.clone());
                units.entry(v.id).or_default().extend(r.units.iter().map(|(label, area)| (*h, label.clone(), *area)));
            }
        }
    }
    if !unread.is_empty() {
        for e in vote_electorate::Entity::find()
            .filter(vote_electorate::Column::VoteId.is_in(unread))
            .filter(vote_electorate::Column::HolderId.is_in(wanted.clone()))
            .order_by_asc(vote_electorate::Column::Id)
            .all(db)
            .await?
        {
            keys.insert(e.holder_id, e.holder_key);
            units.entry(e.vote_id).or_default().push((e.holder_id, e.unit_label, e.area_centi));
        }
    }
    if !live.is_empty() {
        let mine = unit::Entity::find()
            .filter(unit::Column::CompoundId.eq(compound_id))
            .filter(unit::Column::HolderId.is_in(wanted.clone()))
            .order_by_asc(unit::Column::Id)
            .all(db)
            .await?;
        let names = crate::tenancy::building_names_in(db, compound_id).await?;
        for v in live {
            let lines = units.entry(v.id).or_default();
            for u in mine.iter().filter(|u| counts_unit(v, u)) {
                let label = format!("{} {}", names.get(&u.building_id).cloned().unwrap_or_default(), u.number);
                lines.push((u.holder_id, label, u.area_centi));
            }
        }
        for h in holder::Entity::find().filter(holder::Column::Id.is_in(wanted.clone())).all(db).await? {
            keys.entry(h.id).or_insert(h.holder_key);
        }
    }
    let ballots: HashMap<(i64, i64), ballot::Model> = if with_ballots {
        ballot::Entity::find()
            .filter(ballot::Column::VoteId.is_in(votes.iter().map(|v| v.id)))
            .filter(ballot::Column::HolderId.is_in(wanted.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|b| ((b.vote_id, b.holder_id), b))
            .collect()
    } else {
        HashMap::new()
    };
    let mut out = HashMap::new();
    for v in votes {
        let lines = units.get(&v.id).map(Vec::as_slice).unwrap_or_default();
        let mut holdings = Vec::new();
        for &(h, proxy_id) in &pairs {
            let mine: Vec<&UnitLine> = lines.iter().filter(|u| u.0 == h).collect();
            if mine.is_empty() {
                continue;
            }
            let stored = ballots.get(&(v.id, h));
            holdings.push(MyHolding {
                holder_id: h,
                holder_key: keys.get(&h).cloned().unwrap_or_default(),
                units: mine.iter().map(|u| u.1.clone()).collect(),
                area: area::format(mine.iter().map(|u| u.2).sum()),
                proxy_id,
                ballot: stored.map(|b| my_ballot(b, actor.user.id, proxy_id.is_none())),
                can_replace: stored.is_some_and(|b| may_replace(b, actor.user.id, proxy_id, v.allow_change)),
            });
        }
        out.insert(v.id, holdings);
    }
    Ok(out)
}

/// The candidates a ballot supports.
pub fn picks_of(b: &ballot::Model) -> Option<Vec<i32>> {
    b.picks.as_deref().and_then(|p| serde_json::from_str(p).ok())
}

/// Whether a ballot `caster` casts now, as proxy `proxy_id` or for their own holding, replaces
/// the stored `b` ([`replaces`]).
fn may_replace(b: &ballot::Model, caster: i64, proxy_id: Option<i64>, allow_change: bool) -> bool {
    let channel = if proxy_id.is_some() { Channel::Proxy } else { Channel::Online };
    let stored =
        Stored { channel: Channel::parse(&b.channel), counted: b.status == BallotStatus::Counted, cast_by: b.cast_by };
    replaces(channel, caster, stored, allow_change)
}

/// A ballot as the caller sees it: its choice only if they cast it, or signed it on paper for
/// their own holding — a proxy never learns what the holder chose.
fn my_ballot(b: &ballot::Model, viewer: i64, own_holding: bool) -> MyBallot {
    let own = b.cast_by == Some(viewer) || (own_holding && b.channel == Channel::Paper.as_str());
    MyBallot {
        receipt: b.receipt.clone(),
        channel: Channel::parse(&b.channel),
        status: b.status.as_str().into(),
        cast_at: b.cast_at,
        choice: if own { b.choice.as_deref().and_then(Choice::parse) } else { None },
        candidates: if own { picks_of(b) } else { None },
    }
}

/// A vote's page as `actor` sees it.
pub async fn view(
    db: &DatabaseConnection,
    rosters: &Rosters,
    actor: &Actor,
    v: &vote::Model,
    c: &compound::Model,
) -> AppResult<VoteView> {
    let matter = Matter::parse(&v.matter).unwrap_or(Matter::Other);
    let cands = vote_candidate::Entity::find()
        .filter(vote_candidate::Column::VoteId.eq(v.id))
        .order_by_asc(vote_candidate::Column::Position)
        .all(db)
        .await?;
    let ids = building_ids(v);
    let buildings = match &ids {
        Some(ids) => crate::tenancy::building_names(db, ids).await?,
        None => Vec::new(),
    };
    let attached = vote_attachment::Entity::find().filter(vote_attachment::Column::VoteId.eq(v.id)).all(db).await?;
    let attachments = crate::files::views_of(db, &attached.iter().map(|a| a.file_id).collect::<Vec<_>>()).await?;
    let objections =
        vote_objection::Entity::find().filter(vote_objection::Column::VoteId.eq(v.id)).count(db).await? as i64;
    let my = my_holdings(db, rosters, actor, v, true).await?;
    let on_display = in_publicity(v.status, v.publicity_until, Utc::now());
    let convention = match (v.convention_id, &v.text_digest) {
        (Some(id), Some(digest)) => crate::entities::convention::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|c| VoteConvention { id: c.id, title: c.title, digest: digest.clone() }),
        _ => None,
    };
    Ok(VoteView {
        convention,
        attachments,
        objections,
        can_object: on_display && my.iter().any(|h| h.proxy_id.is_none()),
        id: v.id,
        compound_id: v.compound_id,
        compound_name: c.name.clone(),
        title: v.title.clone(),
        body: v.body.clone(),
        body_html: crate::markdown::to_html(&v.body),
        matter,
        threshold: matter.threshold(),
        form: VoteForm::parse(&v.form),
        seats: v.seats,
        candidates: cands.into_iter().map(|c| CandidateView { position: c.position, name: c.name }).collect(),
        secret: v.secret,
        allow_change: v.allow_change,
        building_ids: ids,
        buildings,
        status: v.status,
        opens_at: v.opens_at,
        closes_at: v.closes_at,
        published_at: v.published_at,
        frozen_at: v.frozen_at,
        closed_at: v.closed_at,
        cancelled_at: v.cancelled_at,
        cancel_reason: v.cancel_reason.clone(),
        publicity_until: v.publicity_until,
        notice_days: c.notice_days,
        checkpoint: v.checkpoint_seq.zip(v.checkpoint_hash.clone()).map(|(seq, hash)| Checkpoint { seq, hash }),
        result: v.result.as_deref().and_then(|r| serde_json::from_str(r).ok()),
        can_manage: allowed(actor, c, Permission::ManageVotes),
        can_count: allowed(actor, c, Permission::CountPaper),
        my,
    })
}

/// (room labels, area in 0.01 m², holder key) of every holder on a vote's frozen roster.
pub async fn labels_by_holder(
    db: &impl ConnectionTrait,
    vote_id: i64,
) -> AppResult<HashMap<i64, (Vec<String>, i64, String)>> {
    let mut map: HashMap<i64, (Vec<String>, i64, String)> = HashMap::new();
    for e in vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(vote_id))
        .order_by_asc(vote_electorate::Column::Id)
        .all(db)
        .await?
    {
        let entry = map.entry(e.holder_id).or_insert_with(|| (Vec::new(), 0, e.holder_key.clone()));
        entry.0.push(e.unit_label);
        entry.1 += e.area_centi;
    }
    Ok(map)
}

/// Paper slips as the clerks see them. A secret vote's choice only while the slip awaits its
/// second clerk on an open vote: once confirmed, or once the vote has closed, it is `null`.
pub async fn paper_view(
    db: &impl ConnectionTrait,
    v: &vote::Model,
    bs: &[ballot::Model],
) -> AppResult<Vec<PaperBallotView>> {
    let labels = labels_by_holder(db, v.id).await?;
    let now = Utc::now();
    let clerks: Vec<i64> = bs.iter().flat_map(|b| [b.entered_by, b.confirmed_by]).flatten().collect();
    let names = user_names(db, clerks).await?;
    Ok(bs
        .iter()
        .map(|b| {
            let (units, _, key) = labels.get(&b.holder_id).cloned().unwrap_or_default();
            let shown = secrecy::paper_choice_shown(v.secret, secrecy::slip_in_hand(v, b.status, now));
            PaperBallotView {
                id: b.id,
                serial: b.paper_serial.clone().unwrap_or_default(),
                holder_id: b.holder_id,
                holder_key: key,
                units,
                choice: if shown { b.choice.as_deref().and_then(Choice::parse) } else { None },
                candidates: if shown { picks_of(b) } else { None },
                sealed: !shown,
                status: b.status.as_str().into(),
                entered_by: b.entered_by.and_then(|u| names.get(&u).cloned()),
                confirmed_by: b.confirmed_by.and_then(|u| names.get(&u).cloned()),
                cast_at: b.cast_at,
                receipt: b.receipt.clone(),
                scan_file_id: b.scan_file_id,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(holder_id: i64, voted: bool) -> MyHolding {
        MyHolding {
            holder_id,
            holder_key: format!("K{holder_id}"),
            units: vec!["1号楼 101".into()],
            area: "90.00".into(),
            proxy_id: None,
            ballot: voted.then(|| MyBallot {
                receipt: "K7QMA-4XPBZ".into(),
                channel: Channel::Online,
                status: "counted".into(),
                cast_at: Utc::now(),
                choice: None,
                candidates: None,
            }),
            can_replace: false,
        }
    }

    #[test]
    fn no_home_on_the_page_means_no_count() {
        assert_eq!(my_homes(&[]), None);
    }

    #[test]
    fn every_home_on_the_page_counts_and_those_with_a_ballot_count_as_voted() {
        assert_eq!(my_homes(&[home(1, false)]), Some(MyHomes { homes: 1, voted: 0 }));
        assert_eq!(my_homes(&[home(1, true), home(2, false), home(3, true)]), Some(MyHomes { homes: 3, voted: 2 }));
    }
}
