//! Bad input: arbitrary bytes and near-valid rows thrown at the roster reader
//! (`roster::sheet::parse_roster`) and at `sanfang tally`'s recount (`votes::recount`).
//! Nothing may panic, and every refusal names its line. Each property prints a figure line on
//! stderr (`bad input: …`) that scripts/test.sh shows.
use std::{
    cell::Cell,
    io::Write,
    panic::{AssertUnwindSafe, catch_unwind},
};

use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use sanfang::{
    i18n::Lang,
    roster::sheet::{Choices, Refusal, parse_roster, read_roster},
    votes::recount::recount,
};

#[path = "support/sheets.rs"]
mod sheets;
use sheets::*;

const CASES: u32 = 2000;

/// Run a property, counting cases and panics; prints the figure line and fails on any panic.
fn run<S: Strategy>(name: &str, strategy: S, check: impl Fn(&S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let (cases, panics) = (Cell::new(0u32), Cell::new(0u32));
    let mut runner = TestRunner::new(Config { cases: CASES, failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |v| {
        cases.set(cases.get() + 1);
        match catch_unwind(AssertUnwindSafe(|| check(&v))) {
            Ok(r) => r,
            Err(_) => {
                panics.set(panics.get() + 1);
                Err(TestCaseError::fail("panicked"))
            }
        }
    });
    let figure = format!("bad input: {name}: {} cases run, {} panics", cases.get(), panics.get());
    println!("{figure}");
    // Straight to stderr, past the test harness's capture, for scripts/test.sh.
    let _ = writeln!(std::io::stderr(), "{figure}");
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn the_roster_reader_refuses_arbitrary_bytes_without_panicking() {
    run("roster sheet, arbitrary bytes", arbitrary_sheet(), |bytes| {
        let (_, parsed) = parse_roster(bytes, Lang::En);
        if let Err(errs) = parsed {
            prop_assert!(!errs.is_empty());
            for e in &errs {
                prop_assert!(!e.message.trim().is_empty());
                if !bytes.starts_with(b"PK") {
                    prop_assert!(e.line <= lines_in(bytes), "line {} of {}", e.line, lines_in(bytes));
                }
            }
        }
        Ok(())
    });
}

#[test]
fn a_near_valid_roster_is_refused_at_the_line_that_is_wrong() {
    run("roster sheet, near-valid rows", near_valid_roster(), |(text, touched)| {
        let (_, parsed) = parse_roster(text.as_bytes(), Lang::En);
        match parsed {
            Ok(rows) => prop_assert!(!rows.is_empty()),
            Err(errs) => {
                for e in &errs {
                    prop_assert!(!e.message.trim().is_empty());
                    prop_assert!(e.line >= 2 && e.line <= lines_in(text.as_bytes()), "{e:?}");
                }
                let named = errs.iter().any(|e| e.line == *touched || e.message.contains(&touched.to_string()));
                prop_assert!(named, "no error names line {touched}: {errs:?}");
            }
        }
        Ok(())
    });
}

/// A reading of the columns as a secretary might send it: fields, `-`, blanks and junk, in any
/// number.
fn arbitrary_mapping() -> impl Strategy<Value = Vec<String>> {
    let token = prop_oneof![
        prop::sample::select(vec![
            "building",
            "entrance",
            "unit",
            "area",
            "area_source",
            "holder_name",
            "holder_phone",
            "holder_key",
            "-",
            "",
        ])
        .prop_map(str::to_owned),
        ".{0,8}",
    ];
    prop::collection::vec(token, 0..12)
}

#[test]
fn a_roster_read_with_an_arbitrary_column_mapping_is_refused_naming_a_column_or_read_without_panicking() {
    let strategy =
        (prop_oneof![near_valid_roster().prop_map(|(t, _)| t.into_bytes()), arbitrary_sheet()], arbitrary_mapping());
    run("roster sheet, arbitrary column mapping", strategy, |(bytes, mapping)| {
        let choices = Choices { columns: Some(mapping.clone()), area_source: None };
        match read_roster(bytes, &choices, Lang::En) {
            Err(Refusal::Columns(message)) => {
                prop_assert!(message.contains("column"), "{message}");
            }
            Err(Refusal::TooLarge(e)) => prop_assert!(!e.message.trim().is_empty()),
            Ok(sheet) => {
                if let Err(errs) = sheet.rows {
                    prop_assert!(errs.iter().all(|e| !e.message.trim().is_empty()));
                }
            }
        }
        Ok(())
    });
}

/// `unit,holder,area` for `n` units, and `unit,choice` for some of them.
fn tally_files(n: usize) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let roster = (0..n).map(|i| vec![format!("U{i}"), format!("H{}", i / 2), format!("{}.5", 60 + i)]).collect();
    let ballots = (0..n)
        .step_by(2)
        .map(|i| vec![format!("U{i}"), ["agree", "oppose", "abstain", "同意"][i % 4].to_owned()])
        .collect();
    (roster, ballots)
}

fn csv(header: &str, rows: &[Vec<String>]) -> String {
    let body: Vec<String> = rows.iter().map(|r| r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",")).collect();
    format!("{header}\n{}\n", body.join("\n"))
}

#[test]
fn the_tally_refuses_arbitrary_files_without_panicking() {
    let (roster, ballots) = tally_files(6);
    let (roster, ballots) = (csv("unit,holder,area", &roster), csv("unit,choice", &ballots));
    let strategy = (
        prop_oneof![Just("covenant".to_owned()), Just("major_works".to_owned()), ".{0,12}"],
        prop_oneof![Just(roster.clone().into_bytes()), arbitrary_sheet()],
        prop_oneof![Just(ballots.clone().into_bytes()), arbitrary_sheet()],
    );
    run("tally, arbitrary files", strategy, |(matter, roster, ballots)| {
        if let Err(e) = recount(matter, roster, ballots) {
            prop_assert!(!e.message.trim().is_empty());
            let text = e.to_string();
            prop_assert!(text.starts_with(e.file), "{text}");
        }
        Ok(())
    });
}

#[test]
fn a_near_valid_tally_is_refused_at_the_line_that_is_wrong() {
    let strategy = (2usize..10, any::<bool>(), any::<prop::sample::Index>(), 0usize..4, bad_cell());
    run("tally, near-valid rows", strategy, |(n, in_roster, row, col, cell)| {
        let (mut roster, mut ballots) = tally_files(*n);
        let rows = if *in_roster { &mut roster } else { &mut ballots };
        let row = row.index(rows.len());
        match col {
            2 if !*in_roster => rows[row].push(cell.clone()),
            3 => {
                rows[row].pop();
            }
            c => {
                let c = (*c).min(rows[row].len() - 1);
                rows[row][c] = cell.clone();
            }
        }
        let touched = row as u64 + 2;
        let (r, b) = (csv("unit,holder,area", &roster), csv("unit,choice", &ballots));
        match recount("covenant", r.as_bytes(), b.as_bytes()) {
            Ok(t) => prop_assert!(t.total.headcount >= 1),
            Err(e) => {
                let file = if *in_roster { "roster" } else { "ballots" };
                let text = e.to_string();
                prop_assert!(!e.message.trim().is_empty());
                // The line named is the one touched, or one whose message names the touched
                // line, or a ballot that a touched roster line no longer fits.
                let named = (e.file == file && e.line == touched)
                    || text.contains(&format!("line {touched}"))
                    || (*in_roster && e.file == "ballots" && e.line >= 2);
                prop_assert!(named, "{text} (line {touched} of {file} was touched)");
            }
        }
        Ok(())
    });
}
