//! Roster sheets for the bad-input properties: good lines, near-valid ones and arbitrary bytes.
#![allow(dead_code)]
use proptest::prelude::*;

pub const ROSTER_HEADER: &str = "building,unit,area,area_source,holder_name,holder_phone,holder_key";

/// A good roster line, for unit `i`.
pub fn roster_line(i: usize) -> Vec<String> {
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
pub fn bad_cell() -> impl Strategy<Value = String> {
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
pub fn near_valid_roster() -> impl Strategy<Value = (String, u64)> {
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

pub fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.to_owned() }
}

/// Bytes: random, random after a CSV header, or random after a ZIP signature (read as XLSX).
pub fn arbitrary_sheet() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(any::<u8>(), 0..512).prop_map(|b| [ROSTER_HEADER.as_bytes(), b"\n", &b].concat()),
        prop::collection::vec(any::<u8>(), 0..512).prop_map(|b| [b"PK\x03\x04".as_slice(), &b].concat()),
        good_xlsx_corrupted(),
    ]
}

/// A real XLSX roster with a few bytes overwritten.
pub fn good_xlsx_corrupted() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6).prop_map(|flips| {
        let mut bytes = xlsx_roster();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        bytes
    })
}

pub fn xlsx_roster() -> Vec<u8> {
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

pub fn lines_in(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| **b == b'\n').count() as u64 + 1
}
