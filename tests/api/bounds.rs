//! Bounds on what one request may cost: every reader of uploaded files reads within counts
//! (cells, rows, unpacked bytes, pixels) whatever the file declares, and every search parameter
//! has one cap on words and length.
use std::io::{Read, Write};

use axum::http::StatusCode;
use rust_xlsxwriter::Workbook;
use sanfang::{
    roster::sheet::{MAX_SHEET_CELLS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_XLSX_UNPACKED_BYTES},
    text::{SEARCH_MAX_CHARS, SEARCH_MAX_WORDS},
};

use crate::helpers::*;

/// A real XLSX workbook whose first worksheet is replaced by `sheet_data` (the rows inside
/// `<sheetData>`), declaring `dimension`, with `extra` parts added.
fn xlsx_with_sheet(dimension: &str, sheet_data: &str, extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut wb = Workbook::new();
    wb.add_worksheet().write_string(0, 0, "building").unwrap();
    let base = wb.save_to_buffer().unwrap();
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(base)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..from.len() {
        let mut part = from.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            bytes = format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>"#
            )
            .into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    for (name, bytes) in extra {
        out.start_file(*name, opts).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn inline(cell: &str, text: &str) -> String {
    format!(r#"<c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c>"#)
}

async fn import(app: &TestApp, bytes: Vec<u8>, dry_run: bool) -> Res {
    let secretary = app.token("secretary").await;
    let bmx = app.compound_id(BMX).await;
    let path = format!("/api/v1/compounds/{bmx}/roster{}", if dry_run { "?dry_run=true" } else { "" });
    app.upload(&path, &secretary, bytes, "application/octet-stream").await
}

/// The sheet is refused with 422 and a row message containing `says`; the roster is unchanged.
async fn refused(app: &TestApp, bytes: Vec<u8>, says: &str) {
    let bmx = app.compound_id(BMX).await;
    let before = app.units(bmx).await;
    for dry_run in [true, false] {
        let res = import(app, bytes.clone(), dry_run).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.code(), "roster_invalid");
        let rows = res.body["error"]["rows"].as_array().unwrap();
        assert!(rows.iter().any(|r| r["message"].as_str().unwrap().contains(says)), "{}", res.body);
    }
    assert_eq!(app.units(bmx).await, before, "a refused sheet changed the roster");
}

#[tokio::test]
async fn a_tiny_xlsx_spanning_a1_to_xfd1048576_is_refused_without_reading_the_grid() {
    let app = spawn_demo().await;
    let data =
        format!(r#"<row r="1">{}</row><row r="1048576">{}</row>"#, inline("A1", "building"), inline("XFD1048576", "x"));
    let bytes = xlsx_with_sheet("A1:XFD1048576", &data, &[]);
    assert!(bytes.len() < 8 * 1024, "the attack file is small: {} bytes", bytes.len());
    refused(&app, bytes, &format!("more than {MAX_SHEET_ROWS} lines")).await;
    // The server is still there, and a declared dimension alone costs nothing.
    let data = format!(r#"<row r="1">{}</row>"#, inline("A1", "building"));
    let res = import(&app, xlsx_with_sheet("A1:XFD1048576", &data, &[]), true).await.expect(StatusCode::OK);
    assert_eq!(res.body["errors"][0]["line"], 1, "the header is checked as usual: {}", res.body);
}

#[tokio::test]
async fn an_xlsx_that_unpacks_past_the_bound_is_refused_before_it_is_parsed() {
    let app = spawn_demo().await;
    let padding = vec![b' '; MAX_XLSX_UNPACKED_BYTES as usize + 1];
    let bytes = xlsx_with_sheet("A1", "", &[("xl/padding.xml", &padding)]);
    assert!(bytes.len() < 256 * 1024, "the bomb is small packed: {} bytes", bytes.len());
    refused(&app, bytes, &format!("unpacks to more than {} MiB", MAX_XLSX_UNPACKED_BYTES >> 20)).await;
}

#[tokio::test]
async fn an_xlsx_with_content_past_the_last_column_or_too_many_cells_is_refused() {
    let app = spawn_demo().await;
    let far = format!(r#"<row r="1">{}</row>"#, inline("BM1", "x"));
    assert_eq!(MAX_SHEET_COLUMNS, 64, "BM is column 65");
    refused(&app, xlsx_with_sheet("A1:BM1", &far, &[]), "at most 64 columns").await;

    // Empty cells count too: a sheet of formatted but empty cells is bounded like any other.
    let per_row = 20;
    let rows = MAX_SHEET_CELLS / per_row + 1;
    let mut data = String::with_capacity(rows * per_row * 16);
    for r in 1..=rows {
        data.push_str(&format!(r#"<row r="{r}">"#));
        for c in 0..per_row {
            data.push_str(&format!(r#"<c r="{}{r}" s="0"/>"#, (b'A' + c as u8) as char));
        }
        data.push_str("</row>");
    }
    refused(&app, xlsx_with_sheet("A1:T25001", &data, &[]), &format!("more than {MAX_SHEET_CELLS} cells")).await;
}

#[tokio::test]
async fn a_csv_past_the_row_or_cell_bounds_is_refused() {
    let app = spawn_demo().await;
    let long = "x\n".repeat(MAX_SHEET_ROWS as usize + 1);
    refused(&app, long.into_bytes(), &format!("more than {MAX_SHEET_ROWS} lines")).await;
    let wide = ",".repeat(MAX_SHEET_CELLS + 1);
    refused(&app, wide.into_bytes(), &format!("more than {MAX_SHEET_CELLS} cells")).await;
}

/// A PNG that declares `width` × `height` pixels (the pixels themselves are never read).
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut header = width.to_be_bytes().to_vec();
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], &header[..]), (b"IDAT", &[0u8; 16][..]), (b"IEND", &[][..])] {
        p.extend_from_slice(&(data.len() as u32).to_be_bytes());
        p.extend_from_slice(kind);
        p.extend_from_slice(data);
        p.extend_from_slice(&[0, 0, 0, 0]);
    }
    p
}

/// A JPEG whose frame header declares `width` × `height` pixels.
fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08];
    j.extend_from_slice(&height.to_be_bytes());
    j.extend_from_slice(&width.to_be_bytes());
    j.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 0x11, 0x22, 0xFF, 0xD9]);
    j
}

#[tokio::test]
async fn every_image_reader_refuses_a_picture_past_the_pixel_bound() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await;
    let owner = app.token("owner001").await;
    let committee = app.token("committee").await;
    let concern =
        crate::concerns::raise(&app, &owner, tyc, "hygiene", "北门垃圾").await.expect(StatusCode::CREATED).id();
    let photos = format!("/api/v1/concerns/{concern}/photos?name=p");
    let files = format!("/api/v1/compounds/{tyc}/files?name=p");
    for (path, token) in [(&photos, &owner), (&files, &committee)] {
        for (bytes, ct) in [(png(8192, 8192), "image/png"), (jpeg(65_000, 65_000), "image/jpeg")] {
            let res = app.upload(path, token, bytes, ct).await.expect(StatusCode::UNPROCESSABLE_ENTITY);
            let says = res.body["error"]["fields"]["file"].as_str().unwrap();
            assert!(says.contains("megapixels"), "{path}: {says}");
        }
        app.upload(path, token, png(4032, 3024), "image/png").await.expect(StatusCode::CREATED);
    }
}

/// Every query parameter named `q` in the API document, with the path it belongs to.
async fn search_parameters(app: &TestApp) -> Vec<String> {
    let doc = app.get_anon("/api/v1/openapi.json").await.expect(StatusCode::OK).body;
    let mut found = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            if params.iter().any(|p| p["in"] == "query" && p["name"] == "q") {
                assert_eq!(method, "get", "{path}: a search is a GET");
                let doc = params.iter().find(|p| p["name"] == "q").unwrap()["description"].as_str().unwrap_or("");
                assert!(doc.contains("at most 5 words and 100 characters"), "{path}: q documents its cap");
                found.push(path.clone());
            }
        }
    }
    found
}

#[tokio::test]
async fn every_search_parameter_refuses_more_words_or_characters_than_its_cap_naming_it() {
    let app = spawn_demo().await;
    let tyc = app.compound_id(TYC).await.to_string();
    let paths = search_parameters(&app).await;
    assert!(paths.len() >= 4, "units, holders, users and agendas are searched: {paths:?}");
    let admin = app.token("admin").await;
    let secretary = app.token("secretary").await;
    let six = ["楼"; SEARCH_MAX_WORDS + 1].join(" ");
    let five = ["楼"; SEARCH_MAX_WORDS].join(" ");
    let long = "楼".repeat(SEARCH_MAX_CHARS + 1);
    let many = (0..8_000).map(|i| i.to_string()).collect::<Vec<_>>().join(" ");
    for path in paths {
        let path = path.replace("{id}", &tyc);
        let token = if path.contains("/users") { &admin } else { &secretary };
        let q = |text: &str| format!("{path}?q={}", encode(text));
        let res = app.get(&q(&five), token).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        for text in [&six, &long, &many] {
            let res = app.get(&q(text), token).await.expect(StatusCode::BAD_REQUEST);
            assert_eq!(res.code(), "search_too_long", "{path}");
            assert!(res.body["error"]["message"].as_str().unwrap().starts_with("q:"), "{path} names q");
        }
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b' ' => "+".to_owned(),
            b if b.is_ascii_alphanumeric() => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}
