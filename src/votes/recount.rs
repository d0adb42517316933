//! `sanfang tally`: recount a vote from the two CSV files the platform exports, so that anyone
//! can check a published result.
//!
//! * roster: header `unit,holder,area` — unit id, holder key (a holder's units share it),
//!   exclusive area in m² with at most 2 decimals.
//! * ballots: header `unit,choice` — choice `agree`/`oppose`/`abstain` (or 同意/反对/弃权). A holder
//!   takes part with all their units' area even when only one unit is named.
use std::collections::HashMap;

use serde::Serialize;

use super::tally::{Choice, Matter, Tally, Threshold, Weight, tally};
use crate::{
    i18n::Msg,
    msg,
    roster::{area, sheet::read_cells},
};

/// Why the files cannot be counted; `line` 0 means the file as a whole.
#[derive(Debug, PartialEq, Eq)]
pub struct RecountError {
    pub file: &'static str,
    pub line: u64,
    pub message: String,
}

impl std::fmt::Display for RecountError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{} line {}: {}", self.file, self.line, self.message)
        }
    }
}

#[derive(Serialize, serde::Deserialize, utoipa::ToSchema, Debug, Clone, PartialEq, Eq)]
pub struct WeightJson {
    /// m² with exactly two decimals.
    pub area: String,
    pub headcount: i64,
}

impl From<Weight> for WeightJson {
    fn from(w: Weight) -> Self {
        Self { area: area::format(w.area), headcount: w.heads }
    }
}

/// The printed result (the fixed format of `sanfang tally`).
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct TallyJson {
    pub matter: Matter,
    pub threshold: Threshold,
    pub total: WeightJson,
    pub participating: WeightJson,
    pub agree: WeightJson,
    pub oppose: WeightJson,
    pub abstain: WeightJson,
    pub quorum_met: bool,
    pub passed: bool,
}

impl From<Tally> for TallyJson {
    fn from(t: Tally) -> Self {
        Self {
            matter: t.matter,
            threshold: t.threshold,
            total: t.total.into(),
            participating: t.participating.into(),
            agree: t.agree.into(),
            oppose: t.oppose.into(),
            abstain: t.abstain.into(),
            quorum_met: t.quorum_met,
            passed: t.passed,
        }
    }
}

type Rows = Vec<(u64, Vec<String>)>;

fn read(file: &'static str, bytes: &[u8], columns: &[&str]) -> Result<(Vec<usize>, Rows), RecountError> {
    let (_, lines) = read_cells(bytes, crate::i18n::Lang::En).map_err(|e| {
        let e = e.into_row();
        RecountError { file, line: e.line, message: e.message }
    })?;
    let mut lines = lines.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let (hl, header) =
        lines.next().ok_or(RecountError { file, line: 0, message: msg!("recount_file_empty").english() })?;
    let idx = columns
        .iter()
        .map(|c| {
            header.iter().position(|h| h.trim().eq_ignore_ascii_case(c)).ok_or_else(|| RecountError {
                file,
                line: hl,
                message: msg!("recount_header_missing", column = c, columns = columns.join(",")).english(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((idx, lines.collect()))
}

/// Recount a motion from the roster and ballot files.
pub fn recount(matter: &str, roster: &[u8], ballots: &[u8]) -> Result<TallyJson, RecountError> {
    let matter = Matter::parse(matter).ok_or_else(|| RecountError {
        file: "--matter",
        line: 0,
        message: msg!(
            "recount_unknown_matter",
            matter = matter,
            matters = Matter::ALL.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
        )
        .english(),
    })?;

    let (idx, rows) = read("roster", roster, &["unit", "holder", "area"])?;
    let mut holders: HashMap<String, usize> = HashMap::new();
    let mut electorate: Vec<i64> = Vec::new();
    let mut units: HashMap<String, (usize, u64)> = HashMap::new();
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(idx[i]).map(|s| s.trim()).unwrap_or("");
        let err = |m: Msg| RecountError { file: "roster", line, message: m.english() };
        let (unit, holder) = (cell(0), cell(1));
        if unit.is_empty() {
            return Err(err(msg!("recount_unit_missing")));
        }
        if holder.is_empty() {
            return Err(err(msg!("recount_unit_no_holder", unit = unit)));
        }
        let a = area::parse(cell(2)).map_err(|m| err(msg!("recount_bad_area", value = cell(2), problem = m)))?;
        let h = *holders.entry(holder.to_owned()).or_insert_with(|| {
            electorate.push(0);
            electorate.len() - 1
        });
        electorate[h] += a;
        if let Some((_, first)) = units.insert(unit.to_owned(), (h, line)) {
            return Err(err(msg!("recount_unit_twice", unit = unit, first = first)));
        }
    }

    let (idx, rows) = read("ballots", ballots, &["unit", "choice"])?;
    let mut choice_of: HashMap<usize, (Choice, u64)> = HashMap::new();
    let mut seen_units: HashMap<String, u64> = HashMap::new();
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(idx[i]).map(|s| s.trim()).unwrap_or("");
        let err = |m: Msg| RecountError { file: "ballots", line, message: m.english() };
        let unit = cell(0);
        let &(h, _) = units.get(unit).ok_or_else(|| err(msg!("recount_unit_not_in_roster", unit = unit)))?;
        let choice = Choice::parse(cell(1)).ok_or_else(|| err(msg!("recount_unknown_choice", choice = cell(1))))?;
        if let Some(first) = seen_units.insert(unit.to_owned(), line) {
            return Err(err(msg!("recount_unit_twice", unit = unit, first = first)));
        }
        match choice_of.get(&h) {
            Some((c, first)) if *c != choice => {
                return Err(err(msg!(
                    "recount_holder_split",
                    earlier = c.as_str(),
                    first = first,
                    choice = choice.as_str()
                )));
            }
            Some(_) => {}
            None => {
                choice_of.insert(h, (choice, line));
            }
        }
    }
    let mut ballots: Vec<(usize, Choice)> = choice_of.into_iter().map(|(h, (c, _))| (h, c)).collect();
    ballots.sort_unstable_by_key(|(h, _)| *h);
    Ok(tally(matter, &electorate, &ballots).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROSTER: &str = "unit,holder,area\n1-101,H1,100.00\n1-102,H1,50\n1-201,H2,80.5\n1-202,H3,70\n";

    #[test]
    fn a_holder_takes_part_with_all_their_area() {
        let r = recount("covenant", ROSTER.as_bytes(), "unit,choice\n1-101,agree\n1-201,同意\n".as_bytes()).unwrap();
        assert_eq!(r.total, WeightJson { area: "300.50".into(), headcount: 3 });
        assert_eq!(r.participating, WeightJson { area: "230.50".into(), headcount: 2 });
        assert!(r.quorum_met);
        assert!(r.passed);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["matter"], "covenant");
        assert_eq!(json["threshold"], "ordinary");
        assert_eq!(json["agree"]["area"], "230.50");
    }

    #[test]
    fn a_bom_is_accepted() {
        let roster = format!("\u{feff}{ROSTER}");
        assert!(recount("rebuild", roster.as_bytes(), "\u{feff}unit,choice\n1-101,agree\n".as_bytes()).is_ok());
    }

    fn refused(matter: &str, roster: &str, ballots: &str) -> RecountError {
        recount(matter, roster.as_bytes(), ballots.as_bytes()).unwrap_err()
    }

    #[test]
    fn bad_input_is_refused_naming_the_line() {
        let ok_ballots = "unit,choice\n1-101,agree\n";
        assert_eq!(refused("lottery", ROSTER, ok_ballots).file, "--matter");
        let e = refused("covenant", ROSTER, "unit,choice\n1-101,agree\n9-999,agree\n");
        assert_eq!((e.file, e.line), ("ballots", 3));
        let e = refused("covenant", ROSTER, "unit,choice\n1-101,agree\n1-101,agree\n");
        assert_eq!((e.file, e.line), ("ballots", 3));
        let e = refused("covenant", ROSTER, "unit,choice\n1-101,agree\n1-102,oppose\n");
        assert_eq!((e.file, e.line), ("ballots", 3));
        let e = refused("covenant", ROSTER, "unit,choice\n1-101,maybe\n");
        assert_eq!((e.file, e.line), ("ballots", 2));
        let e = refused("covenant", "unit,holder,area\n1,H1,-5\n", ok_ballots);
        assert_eq!((e.file, e.line), ("roster", 2));
        let e = refused("covenant", "unit,holder,area\n1,H1,5.123\n", ok_ballots);
        assert_eq!((e.file, e.line), ("roster", 2));
        let e = refused("covenant", "unit,holder,area\n1,H1,5\n1,H2,6\n", ok_ballots);
        assert_eq!((e.file, e.line), ("roster", 3));
        let e = refused("covenant", "unit,area\n1,5\n", ok_ballots);
        assert_eq!((e.file, e.line), ("roster", 1));
    }

    #[test]
    fn the_same_choice_on_several_units_of_a_holder_is_fine() {
        let r = recount("covenant", ROSTER.as_bytes(), "unit,choice\n1-101,agree\n1-102,agree\n".as_bytes()).unwrap();
        assert_eq!(r.agree, WeightJson { area: "150.00".into(), headcount: 1 });
    }
}
