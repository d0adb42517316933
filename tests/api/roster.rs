use axum::http::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::helpers::*;

const HEADER: &str = "building,unit,area,area_source,holder_name,holder_phone,holder_key\n";

/// Five units in two buildings; 张三 (H1) holds two of them.
const GOOD: &str = "1号楼,101,89.45,registered,张三,13800138000,H1\n\
                    1号楼,102,120,surveyed,张三,,H1\n\
                    2号楼,201,66.66,contract,李四,,H2\n\
                    2号楼,202,75.50,registered,王五,13800138001,H3\n\
                    2号楼,203,100.01,registered,赵六,,H4\n";

fn csv(rows: &str) -> Vec<u8> {
    format!("{HEADER}{rows}").into_bytes()
}

/// A sheet whose line 4 (the header is line 1) has a negative area.
fn bad_csv() -> Vec<u8> {
    csv("1号楼,101,89.45,registered,张三,13800138000,H1\n\
         1号楼,102,120,surveyed,张三,,H1\n\
         2号楼,201,-3,contract,李四,,H2\n\
         2号楼,202,75.50,registered,王五,,H3\n")
}

/// A cell of an XLSX sheet.
enum Cell<'a> {
    S(&'a str),
    N(f64),
}

fn xlsx(rows: &[Vec<Cell<'_>>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (col, name) in HEADER.trim().split(',').enumerate() {
        ws.write_string(0, col as u16, name).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::S("") => {}
                Cell::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                Cell::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// [`GOOD`] as a spreadsheet: unit numbers and areas are numeric cells.
fn good_xlsx() -> Vec<u8> {
    use Cell::*;
    xlsx(&[
        vec![S("1号楼"), N(101.0), N(89.45), S("registered"), S("张三"), S("13800138000"), S("H1")],
        vec![S("1号楼"), N(102.0), N(120.0), S("surveyed"), S("张三"), S(""), S("H1")],
        vec![S("2号楼"), N(201.0), N(66.66), S("contract"), S("李四"), S(""), S("H2")],
        vec![S("2号楼"), N(202.0), N(75.5), S("registered"), S("王五"), S("13800138001"), S("H3")],
        vec![S("2号楼"), N(203.0), N(100.01), S("registered"), S("赵六"), S(""), S("H4")],
    ])
}

/// A fresh, empty compound in the demo community.
async fn new_compound(app: &TestApp, name: &str) -> i64 {
    let admin = app.token("admin").await;
    let community = app.community_id().await;
    let res = app
        .post(
            &format!("/api/v1/communities/{community}/compounds"),
            Some(&admin),
            json!({ "name": name, "property_company_name": "河畔物业" }),
        )
        .await
        .expect(StatusCode::CREATED);
    res.body["compound"]["id"].as_i64().unwrap()
}

async fn import(app: &TestApp, compound: i64, bytes: Vec<u8>, dry_run: bool) -> Res {
    let secretary = app.token("secretary").await;
    let path = format!("/api/v1/compounds/{compound}/roster{}", if dry_run { "?dry_run=true" } else { "" });
    app.upload(&path, &secretary, bytes, "application/octet-stream").await
}

/// What a compound's roster says, in a form two imports can be compared by.
async fn roster_of(app: &TestApp, compound: i64) -> Vec<Value> {
    app.units(compound)
        .await
        .iter()
        .map(|u| {
            json!([u["building_name"], u["number"], u["area"], u["area_source"], u["holder_key"], u["holder_name"]])
        })
        .collect()
}

#[track_caller]
fn assert_counts(summary: &Value, buildings: i64, units: i64, holders: i64) {
    assert_eq!(
        (summary["buildings"].as_i64(), summary["units"].as_i64(), summary["holders"].as_i64()),
        (Some(buildings), Some(units), Some(holders)),
        "{summary}"
    );
}

#[tokio::test]
async fn a_dry_run_reports_the_bad_row_and_writes_nothing() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, bad_csv(), true).await.expect(StatusCode::OK);
    assert_eq!(res.body["dry_run"], true);
    assert_eq!(res.body["format"], "csv");
    let errors = res.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["line"], 4);
    assert_eq!(errors[0]["field"], "area");
    assert!(errors[0]["message"].as_str().unwrap().contains("-3"));
    assert_counts(&app.compound_summary(c).await, 0, 0, 0);
}

#[tokio::test]
async fn a_dry_run_of_a_good_sheet_counts_what_it_would_do_and_writes_nothing() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, csv(GOOD), true).await.expect(StatusCode::OK);
    assert_eq!(res.body["errors"], json!([]));
    assert_eq!(res.body["rows"], 5);
    assert_eq!(res.body["units_created"], 5);
    assert_eq!(res.body["holders_created"], 4);
    assert_eq!(res.body["buildings_created"], 2);
    assert_counts(&app.compound_summary(c).await, 0, 0, 0);
}

#[tokio::test]
async fn importing_a_sheet_with_a_bad_row_is_refused_whole() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, bad_csv(), false).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "roster_invalid");
    let rows = res.body["error"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["line"].as_i64(), rows[0]["field"].as_str()), (Some(4), Some("area")));
    assert_counts(&app.compound_summary(c).await, 0, 0, 0);
    assert!(app.holders(c).await.is_empty());
}

#[tokio::test]
async fn a_good_sheet_creates_buildings_units_and_holders() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, csv(GOOD), false).await.expect(StatusCode::OK);
    assert_eq!(res.body["dry_run"], false);
    assert_eq!(res.body["rows"], 5);
    assert_eq!(res.body["units_created"], 5);
    assert_eq!(res.body["units_updated"], 0);
    assert_eq!(res.body["holders_created"], 4);
    assert_eq!(res.body["buildings_created"], 2);
    assert_eq!(res.body["errors"], json!([]));

    let summary = app.compound_summary(c).await;
    assert_counts(&summary, 2, 5, 4);
    assert_eq!(summary["total_area"], "451.62");
    let units = app.units(c).await;
    let u101 = units.iter().find(|u| u["number"] == "101").unwrap();
    assert_eq!(u101["area"], "89.45");
    assert_eq!(u101["area_source"], "registered");
    assert_eq!(u101["building_name"], "1号楼");
    assert_eq!(u101["holder_name"], "张三");
    let h1 = app.holders(c).await.into_iter().find(|h| h["holder_key"] == "H1").unwrap();
    assert_eq!(h1["phone"], "13800138000");
    assert_eq!(h1["units"], 2);
    assert_eq!(h1["area"], "209.45");
}

#[tokio::test]
async fn a_holder_of_several_units_counts_as_one_holder() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let rows = "1号楼,101,80,registered,张三,,H1\n1号楼,102,80,registered,张三,,H1\n2号楼,101,80,registered,张三,,H1\n\
                2号楼,102,80,registered,李四,,H2\n";
    import(&app, c, csv(rows), false).await.expect(StatusCode::OK);
    assert_counts(&app.compound_summary(c).await, 2, 4, 2);
    let holders = app.holders(c).await;
    assert_eq!(holders.len(), 2);
    assert_eq!(holders[0]["units"], 3);
}

#[tokio::test]
async fn a_re_import_updates_units_in_place_and_keeps_their_history() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    import(&app, c, csv(GOOD), false).await.expect(StatusCode::OK);
    let before = app.units(c).await;

    let changed = GOOD
        .replace("1号楼,101,89.45", "1号楼,101,90.10")
        .replace("2号楼,201,66.66,contract,李四,,H2", "2号楼,201,66.66,contract,钱七,,H9");
    let res = import(&app, c, csv(&changed), false).await.expect(StatusCode::OK);
    assert_eq!(res.body["units_created"], 0);
    assert_eq!(res.body["units_updated"], 2);
    assert_eq!(res.body["units_unchanged"], 3);
    assert_eq!(res.body["holders_created"], 1);
    assert_eq!(res.body["buildings_created"], 0);

    let after = app.units(c).await;
    let ids = |us: &[Value]| us.iter().map(|u| u["id"].as_i64().unwrap()).collect::<Vec<_>>();
    assert_eq!(ids(&before), ids(&after), "units are updated in place");
    assert_counts(&app.compound_summary(c).await, 2, 5, 4);
    let find = |n: &str| after.iter().find(|u| u["number"] == n).unwrap().clone();
    assert_eq!(find("101")["area"], "90.10");
    assert_eq!(find("201")["holder_key"], "H9");

    let secretary = app.token("secretary").await;
    let id = find("101")["id"].as_i64().unwrap();
    let h = app.get(&format!("/api/v1/units/{id}/history"), &secretary).await.expect(StatusCode::OK);
    let h = h.body.as_array().unwrap();
    assert_eq!(h.len(), 2, "{h:?}");
    assert_eq!((&h[0]["area_before"], &h[0]["area_after"]), (&Value::Null, &json!("89.45")));
    assert_eq!((&h[1]["area_before"], &h[1]["area_after"]), (&json!("89.45"), &json!("90.10")));
    assert_eq!((&h[1]["holder_before"], &h[1]["holder_after"]), (&json!("H1"), &json!("H1")));
    assert!(h.iter().all(|c| c["by"] == "李书记" && c["source"] == "import"));

    let id = find("201")["id"].as_i64().unwrap();
    let h = app.get(&format!("/api/v1/units/{id}/history"), &secretary).await.expect(StatusCode::OK);
    let h = h.body.as_array().unwrap();
    assert_eq!(h.len(), 2, "{h:?}");
    assert_eq!((&h[1]["holder_before"], &h[1]["holder_after"]), (&json!("H2"), &json!("H9")));
    assert_eq!((&h[1]["area_before"], &h[1]["area_after"]), (&json!("66.66"), &json!("66.66")));
    assert_eq!(h[1]["by"], "李书记");

    let id = find("203")["id"].as_i64().unwrap();
    let h = app.get(&format!("/api/v1/units/{id}/history"), &secretary).await.expect(StatusCode::OK);
    assert_eq!(h.body.as_array().unwrap().len(), 1, "an unchanged unit gains no history");
}

#[tokio::test]
async fn an_xlsx_sheet_imports_the_same_as_csv() {
    let app = spawn_demo().await;
    let from_csv = new_compound(&app, "河畔花园").await;
    let from_xlsx = new_compound(&app, "河畔花园二期").await;
    let a = import(&app, from_csv, csv(GOOD), false).await.expect(StatusCode::OK);
    let b = import(&app, from_xlsx, good_xlsx(), false).await.expect(StatusCode::OK);
    assert_eq!(b.body["format"], "xlsx");
    for k in ["rows", "units_created", "holders_created", "buildings_created"] {
        assert_eq!(a.body[k], b.body[k], "{k}");
    }
    assert_eq!(roster_of(&app, from_csv).await, roster_of(&app, from_xlsx).await);
    assert_eq!(app.compound_summary(from_xlsx).await["total_area"], "451.62");
    let units = app.units(from_xlsx).await;
    assert_eq!(units.iter().find(|u| u["number"] == "101").unwrap()["area"], "89.45");
}

#[tokio::test]
async fn a_bad_row_of_an_xlsx_sheet_is_reported_by_its_line() {
    use Cell::*;
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let sheet = xlsx(&[
        vec![S("1号楼"), N(101.0), N(89.45), S("registered"), S("张三"), S(""), S("H1")],
        vec![S("1号楼"), N(102.0), N(120.0), S("registered"), S("李四"), S(""), S("H2")],
        vec![S("1号楼"), N(103.0), N(-3.0), S("registered"), S("王五"), S(""), S("H3")],
        vec![S("1号楼"), N(104.0), N(89.456), S("registered"), S("赵六"), S(""), S("H4")],
    ]);
    let res = import(&app, c, sheet.clone(), true).await.expect(StatusCode::OK);
    assert_eq!(res.body["format"], "xlsx");
    let lines: Vec<(i64, &str)> = res.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(lines, [(4, "area"), (5, "area")]);
    let res = import(&app, c, sheet, false).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "roster_invalid");
    assert_counts(&app.compound_summary(c).await, 0, 0, 0);
}

#[tokio::test]
async fn chinese_headers_with_a_utf8_bom_are_understood() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let text = "\u{feff}楼栋,房号,面积,面积来源,业主姓名,联系电话,业主编号\n\
                1号楼,1单元101,89.45,登记,张三,138 0013 8000,H1\n\
                1号楼,1单元102,66.6,测绘,李四,,H2\n";
    let res = import(&app, c, text.as_bytes().to_vec(), false).await.expect(StatusCode::OK);
    assert_eq!(res.body["units_created"], 2);
    let units = app.units(c).await;
    assert_eq!(units[0]["building_name"], "1号楼");
    assert_eq!(units[0]["number"], "1单元101");
    assert_eq!(units[1]["area"], "66.60");
    assert_eq!(units[1]["area_source"], "surveyed");
    let holders = app.holders(c).await;
    assert_eq!(holders[0]["phone"], "13800138000");
}

#[tokio::test]
async fn a_sheet_larger_than_the_json_limit_is_accepted() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let mut rows = String::new();
    for i in 0..1500 {
        rows.push_str(&format!(
            "{}号楼,{}单元{},88.88,registered,业主{i},,K{i:05}\n",
            i / 100 + 1,
            i % 2 + 1,
            1000 + i
        ));
    }
    let body = csv(&rows);
    assert!(body.len() > 64 * 1024);
    let res = import(&app, c, body, false).await.expect(StatusCode::OK);
    assert_eq!(res.body["units_created"], 1500);
    assert_counts(&app.compound_summary(c).await, 15, 1500, 1500);
}

#[tokio::test]
async fn owners_and_property_staff_may_not_import_and_other_compounds_do_not_see_it() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let path = format!("/api/v1/compounds/{tyc}/roster");
    for (login, status) in
        [("owner001", StatusCode::FORBIDDEN), ("property", StatusCode::FORBIDDEN), ("property2", StatusCode::NOT_FOUND)]
    {
        let token = app.token(login).await;
        let res = app.upload(&path, &token, csv("9号楼,901,50,registered,新人,,N1\n"), "text/csv").await.expect(status);
        assert_eq!(res.code(), if status == StatusCode::FORBIDDEN { "forbidden" } else { "not_found" }, "{login}");
    }
    assert_counts(&app.compound_summary(tyc).await, 5, 220, 207);
}

#[tokio::test]
async fn committee_members_may_import_their_own_compound() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let member = app.token("member").await;
    let res = app
        .upload(
            &format!("/api/v1/compounds/{tyc}/roster"),
            &member,
            csv("9号楼,901,50,registered,新人,,N1\n"),
            "text/csv",
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(res.body["units_created"], 1);
    assert_eq!(res.body["units_not_in_file"], 220);
    assert_counts(&app.compound_summary(tyc).await, 6, 221, 208);
}

#[tokio::test]
async fn an_empty_upload_answers_422() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, Vec::new(), false).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "validation_failed");
    assert!(res.body["error"]["fields"]["file"].is_string());
    let res = import(&app, c, HEADER.as_bytes().to_vec(), false).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "roster_invalid");
    assert_counts(&app.compound_summary(c).await, 0, 0, 0);
}

#[tokio::test]
async fn a_sheet_without_a_required_column_names_it() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, b"building,unit,area,holder_name,holder_key\n1,1,1,a,b\n".to_vec(), true)
        .await
        .expect(StatusCode::OK);
    assert_eq!(res.body["errors"][0]["line"], 1);
    assert_eq!(res.body["errors"][0]["field"], "area_source");
}

/// A roster sheet the way property companies keep it: a merged title line and a blank line
/// above the header, 楼栋 / 单元 / 房号 in three columns with room numbers stored as numbers,
/// 建筑面积(㎡), phones written with spaces, a blank line between buildings and a 合计 line with
/// a SUM formula at the bottom.
fn kept_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Formula};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = ["楼栋", "单元", "房号", "建筑面积(㎡)", "面积来源", "业主姓名", "联系电话", "业主编号"];
    let title = "河畔花园业主信息登记表（2026年11月更新）";
    ws.merge_range(0, 0, 0, header.len() as u16 - 1, title, &Format::new().set_bold()).unwrap();
    for (c, name) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *name).unwrap();
    }
    let owners: [(u32, &str, u32, f64, &str, &str); 5] = [
        (3, "3号楼", 1201, 89.45, "139 1234 5678", "H1"),
        (4, "3号楼", 1202, 120.0, "139 1234 5679", "H2"),
        (5, "3号楼", 1301, 66.66, "", "H1"),
        // line 7 is blank, between the buildings
        (7, "5号楼", 101, 75.5, "138 0013 8001", "H3"),
        (8, "5号楼", 102, 100.01, "", "H4"),
    ];
    let names = [("H1", "张三"), ("H2", "李四"), ("H3", "王五"), ("H4", "赵六")];
    for (r, building, room, area, phone, key) in owners {
        let name = names.iter().find(|(k, _)| *k == key).unwrap().1;
        ws.write_string(r, 0, building).unwrap();
        ws.write_number(r, 1, if building == "3号楼" { 2.0 } else { 1.0 }).unwrap();
        ws.write_number(r, 2, f64::from(room)).unwrap();
        ws.write_number(r, 3, area).unwrap();
        ws.write_string(r, 4, "不动产登记").unwrap();
        ws.write_string(r, 5, name).unwrap();
        if !phone.is_empty() {
            ws.write_string(r, 6, phone).unwrap();
        }
        ws.write_string(r, 7, key).unwrap();
    }
    ws.write_string(9, 0, "合计").unwrap();
    ws.write_formula(9, 3, Formula::new("=SUM(D4:D9)").set_result("451.62")).unwrap();
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn a_sheet_as_property_companies_keep_it_reads_every_owner_row_and_imports() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    let res = import(&app, c, kept_xlsx(), true).await.expect(StatusCode::OK);
    let report = &res.body;
    assert_eq!(report["errors"], json!([]), "{report}");
    assert_eq!(report["rows"], 5);
    let layout = &report["layout"];
    assert_eq!(layout["header_line"], 3);
    assert_eq!(layout["blank_lines"], 1);
    assert_eq!(layout["skipped"][0]["reason"], "title");
    assert_eq!((layout["skipped"][0]["from"].as_u64(), layout["skipped"][0]["to"].as_u64()), (Some(1), Some(2)));
    assert_eq!(layout["skipped"][1]["reason"], "total");
    assert_eq!(layout["skipped"][1]["from"], 10);
    let fields: Vec<(&str, &str)> = layout["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["heading"].as_str().unwrap(), c["field"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(fields[..4], [("楼栋", "building"), ("单元", "entrance"), ("房号", "unit"), ("建筑面积(㎡)", "area")]);
    assert!(app.units(c).await.is_empty(), "a dry run writes nothing");

    import(&app, c, kept_xlsx(), false).await.expect(StatusCode::OK);
    let roster = roster_of(&app, c).await;
    assert_eq!(roster.len(), 5);
    assert_eq!(roster[0], json!(["3号楼", "2单元1201", "89.45", "registered", "H1", "张三"]));
    assert_eq!(roster[4], json!(["5号楼", "1单元102", "100.01", "registered", "H4", "赵六"]));
    let holders = app.get(&format!("/api/v1/compounds/{c}/holders?q=H1"), &app.token("secretary").await).await;
    assert!(holders.body.to_string().contains("13912345678"), "{}", holders.body);
}

#[tokio::test]
async fn users_of_another_compound_cannot_import_a_kept_sheet_there() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let path = format!("/api/v1/compounds/{tyc}/roster?dry_run=true");
    for (login, status) in [("property", StatusCode::FORBIDDEN), ("property2", StatusCode::NOT_FOUND)] {
        let token = app.token(login).await;
        let res = app.upload(&path, &token, kept_xlsx(), "application/octet-stream").await.expect(status);
        assert_eq!(res.code(), if status == StatusCode::FORBIDDEN { "forbidden" } else { "not_found" }, "{login}");
    }
}
