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
use sanfang::{extract::Lang, roster::sheet::parse_roster, votes::recount::recount};

const CASES: u32 = 2000;

const ROSTER_HEADER: &str = "building,unit,area,area_source,holder_name,holder_phone,holder_key";

/// A good roster line, for unit `i`.
fn roster_line(i: usize) -> Vec<String> {
    vec![
        format!("{}号楼", i % 3 + 1),
        format!("{}", 101 + i),
        format!("{}.{:02}", 50 + i, i % 100),
        "registered".into(),
        format!("业主{i}"),
        String::new(),
        format!("H{i:03}"),
    ]
}

/// Something a person might type into a cell by mistake.
fn bad_cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("-3".to_owned()),
        Just("0".to_owned()),
        Just("1e9".to_owned()),
        Just("89.456".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("NaN".to_owned()),
        Just("\"unterminated".to_owned()),
        Just("=cmd|' /C calc'!A0".to_owned()),
        Just("开发商".to_owned()),
        Just("developer".to_owned()),
        Just("H000".to_owned()),
        Just("101".to_owned()),
        ".{0,40}",
        any::<String>(),
    ]
}

/// CSV text: the header and `rows` good lines, one of whose cells is replaced, or cells added or
/// removed. Returns the text and the line (1-based) that was touched.
fn near_valid_roster() -> impl Strategy<Value = (String, u64)> {
    (1usize..12, any::<prop::sample::Index>(), 0usize..9, bad_cell()).prop_map(|(rows, row, col, cell)| {
        let row = row.index(rows);
        let mut lines: Vec<Vec<String>> = (0..rows).map(roster_line).collect();
        match col {
            7 => lines[row].push(cell),
            8 => {
                lines[row].pop();
            }
            c => lines[row][c] = cell,
        }
        let body: Vec<String> =
            lines.iter().map(|l| l.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",")).collect();
        (format!("{ROSTER_HEADER}\n{}\n", body.join("\n")), row as u64 + 2)
    })
}

fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.to_owned() }
}

/// Bytes: random, random after a CSV header, or random after a ZIP signature (read as XLSX).
fn arbitrary_sheet() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(any::<u8>(), 0..512).prop_map(|b| [ROSTER_HEADER.as_bytes(), b"\n", &b].concat()),
        prop::collection::vec(any::<u8>(), 0..512).prop_map(|b| [b"PK\x03\x04".as_slice(), &b].concat()),
        good_xlsx_corrupted(),
    ]
}

/// A real XLSX roster with a few bytes overwritten.
fn good_xlsx_corrupted() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6).prop_map(|flips| {
        let mut bytes = xlsx_roster();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        bytes
    })
}

fn xlsx_roster() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ROSTER_HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for r in 0..3 {
        for (c, v) in roster_line(r).iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1
}

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
