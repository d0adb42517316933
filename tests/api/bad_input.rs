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
pub mod sheets;
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
    let mut failures = Vec::new();
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
            failures.push(format!("{shown:?}: {} {}", res.status, res.body));
            continue;
        }
        if res.status.is_success() {
            continue;
        }
        refused += 1;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{shown:?}: {}", res.body);
        // An empty upload is no sheet at all: the refusal names the file, not a line.
        if bytes.is_empty() {
            assert!(res.body["error"]["fields"]["file"].is_string(), "an empty upload: {}", res.body);
            continue;
        }
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
    assert_eq!(five_xx, 0, "server errors:\n{}", failures.join("\n"));
}

#[tokio::test]
async fn a_nul_or_control_character_in_text_or_a_roster_cell_is_refused_rather_than_failing_on_postgresql() {
    let app = spawn_demo().await;
    let (secretary, committee) = (app.token("secretary").await, app.token("committee").await);
    let tyc = app.compound_id(TYC).await;
    // A NUL anywhere in a JSON body is refused before the handler; other control characters
    // in text are refused naming the field.
    let vote = crate::votes::motion("表决\u{0}标题", "covenant");
    let res = crate::votes::draft(&app, &committee, tyc, vote).await.expect(StatusCode::BAD_REQUEST);
    assert_eq!(res.code(), "invalid_body", "{}", res.body);
    let res = app.login("owner\u{0}001", DEMO_PASSWORD).await.expect(StatusCode::BAD_REQUEST);
    assert_eq!(res.code(), "invalid_body", "{}", res.body);
    let agenda = crate::agendas::open(&app, &committee, tyc, "议题\u{7}").await;
    crate::votes::field_error(&agenda, "title");

    let bmx = app.compound_id(BMX).await;
    let before = app.compound_summary(bmx).await;
    let sheet = format!("{ROSTER_HEADER}\n1号楼,101,50.00,registered,业主\u{0},,H001\n");
    let res = app.upload(&format!("/api/v1/compounds/{bmx}/roster"), &secretary, sheet.into_bytes(), "text/csv").await;
    let res = res.expect(StatusCode::UNPROCESSABLE_ENTITY);
    let rows = &res.body["error"]["rows"];
    assert_eq!((rows[0]["line"].as_u64(), rows[0]["field"].as_str()), (Some(2), Some("holder_name")), "{}", res.body);
    assert_eq!(app.compound_summary(bmx).await, before);
}
