//! A vote's frozen roster and counted ballots as CSV, in the form `sanfang tally` reads.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{
    access::vote_for,
    model::{VoteForm, VoteStatus},
};
use crate::{
    auth::Actor,
    entities::vote_electorate,
    error::{AppError, AppResult},
    msg,
    policy::Permission,
    roster::area,
};

/// A CSV file: its name and its text.
pub struct Csv {
    pub name: String,
    pub body: String,
}

/// The frozen roster as `sanfang tally` reads it: `unit,holder,area`.
pub async fn roster(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Csv> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewVotes).await?;
    if v.frozen_at.is_none() {
        return Err(AppError::conflict("vote_not_open", msg!("vote_roster_not_frozen")));
    }
    let rows = vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(v.id))
        .order_by_asc(vote_electorate::Column::Id)
        .all(db)
        .await?;
    let mut body = String::from("unit,holder,area\n");
    for r in rows {
        body.push_str(&format!("{},{},{}\n", r.unit_id, csv_field(&r.holder_key), area::format(r.area_centi)));
    }
    Ok(Csv { name: format!("vote-{}-roster.csv", v.id), body })
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would make a spreadsheet run the cell as a formula.
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// The counted ballots as `sanfang tally` reads them: `unit,choice` (one line per holder, naming
/// one of their units). After close; for secret votes only the three parties may export it.
pub async fn ballots(db: &DatabaseConnection, actor: &Actor, id: i64) -> AppResult<Csv> {
    let (v, _) = vote_for(db, actor, id, Permission::ViewVotes).await?;
    if v.status != VoteStatus::Closed {
        return Err(AppError::conflict("vote_not_closed", msg!("vote_choices_after_close")));
    }
    if VoteForm::parse(&v.form) != VoteForm::Motion {
        return Err(AppError::conflict("not_a_motion", msg!("vote_recount_motions_only")));
    }
    // A secret ballot's choice is never published next to its room, not even to the conveners.
    if v.secret {
        return Err(AppError::conflict("secret_vote", msg!("vote_secret_not_exported")));
    }
    let first_unit: HashMap<i64, i64> = vote_electorate::Entity::find()
        .filter(vote_electorate::Column::VoteId.eq(v.id))
        .order_by_desc(vote_electorate::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.holder_id, e.unit_id))
        .collect();
    let ballots = super::balloting::counted_ballots(db, v.id).await?;
    let mut body = String::from("unit,choice\n");
    for b in ballots {
        if let (Some(unit), Some(choice)) = (first_unit.get(&b.holder_id), b.choice) {
            body.push_str(&format!("{unit},{choice}\n"));
        }
    }
    Ok(Csv { name: format!("vote-{}-ballots.csv", v.id), body })
}
