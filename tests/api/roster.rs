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

/// The sheet of the issue: a title and a blank line, 楼栋 / 单元 / 房号 as numbers, 建筑面积(㎡),
/// spaced phones, no area source and no holder key; 户主 is a heading the reader does not know.
/// 张三 holds two units with one phone, 王芳 appears with two phones, 赵六 has none.
const BARE: &str = "\
阳光里小区业主名册（2026年12月）,,,,,
,,,,,
楼栋,单元,房号,建筑面积(㎡),户主,联系电话
1,2,301,89.5,张三,139 1234 5678
1,2,302,90,张三,139 1234 5678
1,2,401,75,王芳,138 0000 0001
2,1,101,66.6,王芳,138 0000 0002
2,1,102,70,赵六,
";

/// How [`BARE`]'s columns are read once the secretary corrects 户主.
const BARE_COLUMNS: &str = "building,entrance,unit,area,holder_name,holder_phone";

async fn import_with(app: &TestApp, login: &str, compound: i64, bytes: &[u8], query: &str) -> Res {
    let token = app.token(login).await;
    let path = format!("/api/v1/compounds/{compound}/roster?{query}");
    app.upload(&path, &token, bytes.to_vec(), "text/csv").await
}

#[tokio::test]
async fn a_corrected_column_mapping_imports_a_sheet_whose_heading_was_not_understood() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "阳光里").await;
    let guessed = import_with(&app, "secretary", c, BARE.as_bytes(), "dry_run=true").await.expect(StatusCode::OK);
    let columns = guessed.body["layout"]["columns"].as_array().unwrap();
    assert_eq!((columns[4]["heading"].as_str(), columns[4]["field"].as_str()), (Some("户主"), None));
    assert_eq!(columns[4]["samples"], json!(["张三", "张三", "王芳"]));
    assert_eq!(guessed.body["errors"][0]["field"], "holder_name", "{}", guessed.body);

    let query = format!("dry_run=true&columns={BARE_COLUMNS}&area_source=registered");
    let res = import_with(&app, "secretary", c, BARE.as_bytes(), &query).await.expect(StatusCode::OK);
    assert_eq!(res.body["errors"], json!([]), "{}", res.body);
    assert_eq!(res.body["layout"]["columns_chosen"], true);
    assert_eq!(res.body["layout"]["columns"][4]["field"], "holder_name");
    assert_eq!(res.body["layout"]["header_line"], 3);
    assert_eq!(res.body["units_created"], 5);
    assert!(app.units(c).await.is_empty(), "a dry run writes nothing");

    let query = format!("columns={BARE_COLUMNS}&area_source=registered&holder_keys=proposed");
    import_with(&app, "secretary", c, BARE.as_bytes(), &query).await.expect(StatusCode::OK);
    let roster = roster_of(&app, c).await;
    assert_eq!(roster.len(), 5);
    assert_eq!(
        roster[0].as_array().unwrap()[..4],
        json!(["1", "2单元301", "89.50", "registered"]).as_array().unwrap()[..]
    );
}

#[tokio::test]
async fn a_bad_column_mapping_is_refused_naming_the_column() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "阳光里").await;
    for (columns, says) in [
        ("building,entrance,unit,area,holder_name,holder_name", "column E '户主' and column F '联系电话'"),
        ("building,entrance,unit,area,holder_name", "the header on line 3 has 6"),
        ("building,entrance,unit,-,holder_name,holder_phone", "no column is read as area"),
        ("building,entrance,unit,area,owner,holder_phone", "column E '户主': 'owner'"),
    ] {
        for dry_run in [true, false] {
            let query = format!("dry_run={dry_run}&columns={columns}&area_source=registered&holder_keys=proposed");
            let res = import_with(&app, "secretary", c, BARE.as_bytes(), &query)
                .await
                .expect(StatusCode::UNPROCESSABLE_ENTITY);
            let message = res.body["error"]["fields"]["columns"].as_str().unwrap_or_default();
            assert!(message.contains(says), "{columns}: {}", res.body);
        }
    }
    assert!(app.units(c).await.is_empty());
}

#[tokio::test]
async fn without_an_area_source_the_import_asks_for_the_basis_then_applies_the_one_chosen() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "阳光里").await;
    let base = format!("columns={BARE_COLUMNS}&holder_keys=proposed");
    let dry = import_with(&app, "secretary", c, BARE.as_bytes(), &format!("dry_run=true&{base}")).await;
    let dry = dry.expect(StatusCode::OK);
    assert_eq!(dry.body["layout"]["area_basis"], json!({ "from": "missing", "source": null }));
    assert_eq!(
        (dry.body["errors"][0]["line"].as_i64(), dry.body["errors"][0]["field"].as_str()),
        (Some(3), Some("area_source"))
    );

    let res = import_with(&app, "secretary", c, BARE.as_bytes(), &base).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.code(), "roster_invalid");
    assert_eq!(res.body["error"]["rows"][0]["field"], "area_source");
    assert!(app.units(c).await.is_empty());

    let res = import_with(&app, "secretary", c, BARE.as_bytes(), &format!("{base}&area_source=surveyed")).await;
    let res = res.expect(StatusCode::OK);
    assert_eq!(res.body["layout"]["area_basis"], json!({ "from": "chosen", "source": "surveyed" }));
    assert!(app.units(c).await.iter().all(|u| u["area_source"] == "surveyed"));
}

#[tokio::test]
async fn proposed_holder_keys_are_imported_only_once_confirmed_and_count_one_head_per_name_and_phone() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "阳光里").await;
    let base = format!("columns={BARE_COLUMNS}&area_source=registered");
    let dry = import_with(&app, "secretary", c, BARE.as_bytes(), &format!("dry_run=true&{base}")).await;
    let dry = dry.expect(StatusCode::OK);
    assert_eq!(dry.body["layout"]["holder_keys"], "proposed");
    let holders = dry.body["proposed_holders"].as_array().unwrap();
    let seen: Vec<(&str, &str, usize)> = holders
        .iter()
        .map(|h| (h["name"].as_str().unwrap(), h["phone"].as_str().unwrap_or(""), h["units"].as_array().unwrap().len()))
        .collect();
    assert_eq!(
        seen,
        [("张三", "139****5678", 2), ("王芳", "138****0001", 1), ("王芳", "138****0002", 1), ("赵六", "", 1)]
    );
    assert_eq!(holders[1]["notes"], json!(["same_name_other_phone"]));
    assert_eq!(holders[3]["notes"], json!(["no_phone"]));
    assert_eq!(holders[0]["units"], json!(["1 2单元301", "1 2单元302"]));

    let res = import_with(&app, "secretary", c, BARE.as_bytes(), &base).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body["error"]["fields"]["holder_keys"].is_string(), "{}", res.body);
    assert!(app.units(c).await.is_empty());

    let res = import_with(&app, "secretary", c, BARE.as_bytes(), &format!("{base}&holder_keys=proposed")).await;
    let res = res.expect(StatusCode::OK);
    assert_eq!(res.body["holder_keys_confirmed"], true);
    assert_counts(&app.compound_summary(c).await, 2, 5, 4);
    let keys: Vec<Value> = holders.iter().map(|h| h["key"].clone()).collect();
    let mut stored: Vec<Value> = app.holders(c).await.iter().map(|h| h["holder_key"].clone()).collect();
    stored.sort_by_key(|k| k.to_string());
    let mut proposed = keys.clone();
    proposed.sort_by_key(|k| k.to_string());
    assert_eq!(stored, proposed, "the keys imported are the keys shown");

    let token = app.token("admin").await;
    let trail = app.get(&format!("/api/v1/audit?compound_id={c}&limit=50"), &token).await.expect(StatusCode::OK);
    let events = trail.body.as_array().unwrap();
    let confirmed = events.iter().find(|e| e["action"] == "roster.holder_keys_confirmed").expect("confirmation noted");
    assert_eq!(confirmed["detail"]["holders"], 4);
    assert!(confirmed["actor"].as_str().is_some());
    let imported = events.iter().find(|e| e["action"] == "roster.imported").unwrap();
    assert_eq!(imported["detail"]["holder_keys"], "proposed");
    assert!(imported["detail"]["holder_keys_confirmed_by"].is_i64());
}

#[tokio::test]
async fn re_importing_the_same_sheet_without_keys_updates_rather_than_duplicates() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "阳光里").await;
    let query = format!("columns={BARE_COLUMNS}&area_source=registered&holder_keys=proposed");
    import_with(&app, "secretary", c, BARE.as_bytes(), &query).await.expect(StatusCode::OK);
    let first = roster_of(&app, c).await;
    let again = BARE.replace("1,2,302,90,", "1,2,302,91,");
    let res = import_with(&app, "secretary", c, again.as_bytes(), &query).await.expect(StatusCode::OK);
    assert_eq!((res.body["holders_created"].as_i64(), res.body["units_updated"].as_i64()), (Some(0), Some(1)));
    assert_counts(&app.compound_summary(c).await, 2, 5, 4);
    let second = roster_of(&app, c).await;
    assert_eq!(
        first.iter().map(|u| u[4].clone()).collect::<Vec<_>>(),
        second.iter().map(|u| u[4].clone()).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_sheet_without_keys_matches_holders_already_in_the_roster_by_name_and_phone() {
    let app = spawn_demo().await;
    let c = new_compound(&app, "河畔花园").await;
    import(&app, c, csv(GOOD), false).await.expect(StatusCode::OK);
    let without_keys = "building,unit,area,area_source,holder_name,holder_phone\n\
                        1号楼,101,89.45,registered,张三,13800138000\n\
                        1号楼,103,50,registered,张三,13800138000\n";
    let res = import_with(&app, "secretary", c, without_keys.as_bytes(), "dry_run=true").await.expect(StatusCode::OK);
    assert_eq!(res.body["proposed_holders"][0]["key"], "H1");
    assert_eq!(res.body["proposed_holders"][0]["notes"], json!(["existing"]));
    assert_eq!(res.body["holders_created"], 0);
}

#[tokio::test]
async fn the_preview_choices_do_not_open_another_compound_or_an_owner_to_import() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let query = format!("dry_run=true&columns={BARE_COLUMNS}&area_source=registered&holder_keys=proposed");
    for (login, status) in
        [("owner001", StatusCode::FORBIDDEN), ("property", StatusCode::FORBIDDEN), ("property2", StatusCode::NOT_FOUND)]
    {
        let res = import_with(&app, login, tyc, BARE.as_bytes(), &query).await.expect(status);
        assert_eq!(res.code(), if status == StatusCode::FORBIDDEN { "forbidden" } else { "not_found" }, "{login}");
    }
    // A bad mapping tells a stranger nothing either.
    let bad = "dry_run=true&columns=building";
    import_with(&app, "property2", tyc, BARE.as_bytes(), bad).await.expect(StatusCode::NOT_FOUND);
}
