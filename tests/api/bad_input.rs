//! Bad input through the roster import: arbitrary bytes and near-valid rows uploaded as the
//! roster sheet. The server never fails (5xx), refuses with every bad line named, and a refused
//! sheet changes nothing.
use axum::http::StatusCode;
use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::{Config, TestRunner},
};
use serde_json::Value;

use crate::helpers::*;

#[path = "../support/sheets.rs"]
mod sheets;
use sheets::*;

const CASES: usize = 150;

#[tokio::test]
async fn the_roster_import_refuses_bad_sheets_naming_their_lines_and_changes_nothing() {
    let app = spawn_demo().await;
    let secretary = app.token("secretary").await;
    let bmx = app.compound_id(BMX).await;
    let mut runner = TestRunner::new(Config { failure_persistence: None, ..Config::default() });
    let near = near_valid_roster().prop_map(|(text, line)| (text.into_bytes(), Some(line)));
    let arbitrary = arbitrary_sheet().prop_map(|b| (b, None));
    let strategy = proptest::prop_oneof![near, arbitrary];
    let (mut cases, mut five_xx, mut refused) = (0, 0, 0);
    for _ in 0..CASES {
        let (bytes, touched) = strategy.new_tree(&mut runner).unwrap().current();
        let before = app.compound_summary(bmx).await;
        let ct = if bytes.starts_with(b"PK") {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        } else {
            "text/csv"
        };
        let res = app.upload(&format!("/api/v1/compounds/{bmx}/roster"), &secretary, bytes.clone(), ct).await;
        cases += 1;
        let shown = String::from_utf8_lossy(&bytes).into_owned();
        if res.status.is_server_error() {
            five_xx += 1;
            continue;
        }
        if res.status.is_success() {
            continue;
        }
        refused += 1;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{shown:?}: {}", res.body);
        let rows: Vec<Value> = res.body["error"]["rows"].as_array().cloned().unwrap_or_default();
        assert!(!rows.is_empty(), "{shown:?}: a refusal without its lines: {}", res.body);
        for r in &rows {
            assert!(r["line"].is_u64() && !r["message"].as_str().unwrap_or("").trim().is_empty(), "{}", res.body);
        }
        if let Some(line) = touched {
            let named = rows
                .iter()
                .any(|r| r["line"] == line || r["message"].as_str().unwrap_or("").contains(&line.to_string()));
            assert!(named, "{shown:?}: line {line} is not named: {}", res.body);
        }
        assert_eq!(app.compound_summary(bmx).await, before, "a refused sheet changed the roster");
    }
    figure(&format!("bad input: roster import: {cases} cases run, {refused} refused, {five_xx} 5xx, 0 panics"));
    assert_eq!(five_xx, 0);
}
