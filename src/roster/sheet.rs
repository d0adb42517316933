//! Reading the roster sheet a property company keeps (CSV or XLSX) into checked rows.
//!
//! Every problem is reported with its line number and column, all at once, so the person
//! importing can fix the sheet in one go.
use std::collections::{HashMap, HashSet};

use super::area;
use super::keys::{ProposedHolder, propose_keys};
use crate::{
    error::RowError,
    i18n::Lang,
    i18n::{self, Msg},
    msg,
    text::normalize_phone,
};

/// How an area was established, in the order the law prefers them (法释〔2009〕7号 Art. 8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaSource {
    /// 不动产登记簿
    Registered,
    /// 测绘
    Surveyed,
    /// 买卖合同
    Contract,
}

impl AreaSource {
    pub fn as_str(self) -> &'static str {
        match self {
            AreaSource::Registered => "registered",
            AreaSource::Surveyed => "surveyed",
            AreaSource::Contract => "contract",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "registered" | "登记" | "不动产登记" | "产权登记" | "登记面积" => {
                Some(AreaSource::Registered)
            }
            "surveyed" | "测绘" | "实测" | "测绘面积" | "实测面积" => Some(AreaSource::Surveyed),
            "contract" | "合同" | "合同面积" | "买卖合同" => Some(AreaSource::Contract),
            _ => None,
        }
    }
}

/// One checked row of the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterRow {
    pub line: u64,
    pub building: String,
    pub unit: String,
    pub area_centi: i64,
    pub area_source: AreaSource,
    pub holder_name: String,
    pub holder_phone: Option<String>,
    pub holder_key: String,
}

impl RosterRow {
    /// The developer's unsold or undelivered units share one holder and count as one head.
    pub fn is_developer(&self) -> bool {
        is_developer_key(&self.holder_key)
    }
}

pub fn is_developer_key(key: &str) -> bool {
    matches!(key.trim().to_lowercase().as_str(), "developer" | "开发商")
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Col {
    Building,
    Entrance,
    Unit,
    Area,
    AreaSource,
    HolderName,
    HolderPhone,
    HolderKey,
}

// Headings are compared after `normalize_heading`, so "建筑面积（㎡）", "建筑面积(m²)" and
// "建筑 面积" all read as 建筑面积.
const COLUMNS: [(Col, &str, &[&str]); 8] = [
    (Col::Building, "building", &["building", "楼栋", "楼号", "楼栋号", "栋号", "幢", "幢号"]),
    (Col::Entrance, "entrance", &["entrance", "单元", "单元号"]),
    (Col::Unit, "unit", &["unit", "房号", "室号", "房间号", "门牌号", "户号"]),
    (
        Col::Area,
        "area",
        &[
            "area",
            "面积",
            "建筑面积",
            "套内面积",
            "套内建筑面积",
            "专有面积",
            "产权面积",
            "登记面积",
            "测绘面积",
            "实测面积",
            "合同面积",
        ],
    ),
    (Col::AreaSource, "area_source", &["area_source", "面积来源"]),
    (Col::HolderName, "holder_name", &["holder_name", "业主姓名", "业主", "姓名", "产权人", "权利人"]),
    (Col::HolderPhone, "holder_phone", &["holder_phone", "联系电话", "电话", "手机", "手机号", "手机号码"]),
    (Col::HolderKey, "holder_key", &["holder_key", "业主编号", "业主标识"]),
];

/// How far down the header row is looked for.
pub const HEADER_SEARCH_LINES: usize = 20;

/// Area headings that say where the area was established, so that a sheet without an
/// `area_source` column still says it. 建筑面积 and 套内面积 say how an area was measured, not
/// where it comes from, and imply nothing.
const AREA_HEADINGS_WITH_SOURCE: [(&str, AreaSource); 5] = [
    ("产权面积", AreaSource::Registered),
    ("登记面积", AreaSource::Registered),
    ("测绘面积", AreaSource::Surveyed),
    ("实测面积", AreaSource::Surveyed),
    ("合同面积", AreaSource::Contract),
];

/// Area headings that say how an area was measured (with or without the shared parts), which
/// the area source does not record.
const MEASURED_AREA_HEADINGS: [&str; 4] = ["建筑面积", "套内面积", "套内建筑面积", "专有面积"];

/// Units written after an area, in a heading or a cell.
const AREA_UNITS: [&str; 6] = ["㎡", "m²", "m2", "平方米", "平米", "sqm"];

/// A heading as it is compared: full-width forms folded, spaces, underscores and a unit of
/// area dropped, lower case.
fn normalize_heading(text: &str) -> String {
    let mut s: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    for unit in AREA_UNITS {
        for wrapped in [format!("({unit})"), format!("[{unit}]"), format!("【{unit}】"), unit.to_owned()] {
            if let Some(rest) = s.strip_suffix(wrapped.as_str()) {
                s = rest.to_owned();
            }
        }
    }
    s
}

/// Full-width ASCII (Ｈ, （, １) and the ideographic space as their half-width selves.
pub(crate) fn fold_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn column_of(heading: &str) -> Option<Col> {
    let heading = normalize_heading(heading);
    if heading.is_empty() {
        return None;
    }
    COLUMNS.iter().find(|(_, _, aliases)| aliases.iter().any(|a| normalize_heading(a) == heading)).map(|(c, _, _)| *c)
}

fn field_name(col: Col) -> &'static str {
    COLUMNS.iter().find(|(c, _, _)| *c == col).map(|(_, n, _)| *n).unwrap_or("")
}

/// A field as the reader knows it: 楼栋 in Chinese, building in English.
fn field_label(col: Col, lang: Lang) -> String {
    let name = field_name(col);
    i18n::render(lang, &format!("sheet_column.{name}"), |_| None).unwrap_or_else(|| name.to_owned())
}

/// Why a line of the sheet was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Title lines (and blank lines) above the header.
    Title,
    /// A 合计 / 小计 / 总计 line.
    Total,
}

/// Lines of the sheet that were passed over, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SkippedLines {
    /// First line passed over, as the sheet numbers it.
    pub from: u64,
    /// Last line passed over (the same as `from` for one line).
    pub to: u64,
    pub reason: SkipReason,
    pub message: String,
}

/// How one column of the sheet was understood.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ColumnReading {
    /// The column's letter in the sheet: A, B, … AA.
    pub column: String,
    /// The heading as the sheet writes it.
    pub heading: String,
    /// The roster field it is read as (`building`, `entrance`, `unit`, `area`, …); none when
    /// the column is not read.
    pub field: Option<String>,
    /// The column's cells on the first few rows below the header, as written.
    pub samples: Vec<String>,
}

/// Where the area source of the rows comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AreaBasisFrom {
    /// Each row's 面积来源 cell.
    Column,
    /// The area column's heading (产权面积 → registered, …).
    Heading,
    /// The secretary's choice for the whole sheet (`area_source`).
    Chosen,
    /// Nowhere yet: the sheet says nothing and nothing was chosen.
    #[default]
    Missing,
}

/// The area basis applied to the sheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AreaBasis {
    pub from: AreaBasisFrom,
    /// The source every row takes; none when each row says its own or nothing was chosen.
    pub source: Option<AreaSource>,
}

/// Where the holder keys of the rows come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolderKeysFrom {
    /// The sheet's 业主编号 column.
    #[default]
    Column,
    /// Proposed from names and phones, to be confirmed before importing.
    Proposed,
}

/// What the secretary chose in the preview, beside the file.
#[derive(Clone, Debug, Default)]
pub struct Choices {
    /// For each column of the header from A, the field it is read as (`building`, …) or `-` to
    /// leave it unread; none to read the headings.
    pub columns: Option<Vec<String>>,
    /// The area source of every row, for a sheet that names none.
    pub area_source: Option<AreaSource>,
}

/// Why a sheet is refused whole, before its rows are looked at.
#[derive(Debug)]
pub enum Refusal {
    /// Past one of the bounds on size.
    TooLarge(RowError),
    /// The chosen columns do not fit the header.
    Columns(String),
}

/// How the sheet was read: where its header is, what was passed over, how each column was understood.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct SheetLayout {
    /// The line the header was found on; none when the file has no lines.
    pub header_line: Option<u64>,
    pub columns: Vec<ColumnReading>,
    /// Title lines above the header and total lines, each with why.
    pub skipped: Vec<SkippedLines>,
    /// Blank lines between the header and the last row, passed over.
    pub blank_lines: u64,
    /// The area source every row takes from the area's heading (产权面积 → registered, …) when
    /// the sheet has no area_source column.
    pub area_source_from_heading: Option<AreaSource>,
    /// The columns were read as the secretary chose, not from their headings.
    pub columns_chosen: bool,
    pub area_basis: AreaBasis,
    pub holder_keys: HolderKeysFrom,
}

/// A column's letter: 0 → A, 26 → AA.
fn column_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The file kinds we read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

/// Raw cells per line, whatever the file kind.
type Lines = Vec<(u64, Vec<String>)>;

// What a sheet may hold. A file is read only within these counts, whatever it declares about
// itself (an XLSX's `<dimension>` or a zip entry's stated size are never trusted), so that no
// sheet costs more than about 64 MiB to read; beyond them it is refused saying which was passed.
/// The most lines (rows) a sheet may have, blank ones included: a compound of 50,000 units.
pub const MAX_SHEET_ROWS: u64 = 50_000;
/// The most columns read; a cell further right is refused.
pub const MAX_SHEET_COLUMNS: usize = 64;
/// The most cells, empty ones included, a sheet may hold.
pub const MAX_SHEET_CELLS: usize = 500_000;
/// The most bytes an XLSX may unpack to, all its parts together.
pub const MAX_XLSX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;
/// The most parts an XLSX file may have.
pub const MAX_XLSX_PARTS: usize = 1_000;

/// Why a file could not be read into lines.
#[derive(Debug)]
pub enum ReadError {
    /// Not a sheet we can read (not UTF-8, a broken zip, no worksheet, …).
    Unreadable(RowError),
    /// Past one of the bounds above: refused whole, even in a dry run.
    TooLarge(RowError),
}

impl ReadError {
    pub fn into_row(self) -> RowError {
        match self {
            ReadError::Unreadable(e) | ReadError::TooLarge(e) => e,
        }
    }
}

impl From<RowError> for ReadError {
    fn from(e: RowError) -> Self {
        ReadError::Unreadable(e)
    }
}

/// Counts the cells of a sheet as they are read, and refuses the sheet once a bound is passed.
struct Budget {
    lang: Lang,
    cells: usize,
}

impl Budget {
    fn new(lang: Lang) -> Self {
        Self { lang, cells: 0 }
    }

    /// Take one cell at `line` (1-based) and `column` (0-based). An empty cell (one only
    /// formatted, say) counts toward the cells but may lie further right than the columns read.
    fn take(&mut self, line: u64, column: usize, empty: bool) -> Result<(), ReadError> {
        let lang = self.lang;
        if line > MAX_SHEET_ROWS {
            return Err(ReadError::TooLarge(RowError {
                line,
                field: None,
                message: msg!("sheet_too_many_lines", max = MAX_SHEET_ROWS).render(lang),
            }));
        }
        if column >= MAX_SHEET_COLUMNS && !empty {
            return Err(ReadError::TooLarge(RowError {
                line,
                field: None,
                message: msg!("sheet_too_many_columns", column = column + 1, max = MAX_SHEET_COLUMNS).render(lang),
            }));
        }
        self.cells += 1;
        if self.cells > MAX_SHEET_CELLS {
            return Err(ReadError::TooLarge(too_many_cells(line, lang)));
        }
        Ok(())
    }
}

fn too_many_cells(line: u64, lang: Lang) -> RowError {
    RowError { line, field: None, message: msg!("sheet_too_many_cells", max = MAX_SHEET_CELLS).render(lang) }
}

/// Read a CSV (UTF-8, with or without BOM) or XLSX file into lines of cells, within the bounds above.
pub fn read_cells(bytes: &[u8], lang: Lang) -> Result<(SheetFormat, Lines), ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes, lang).map(|l| (SheetFormat::Xlsx, l));
    }
    read_csv(bytes, lang).map(|l| (SheetFormat::Csv, l))
}

fn file_error(message: impl Into<String>) -> RowError {
    RowError { line: 0, field: None, message: message.into() }
}

fn read_csv(bytes: &[u8], lang: Lang) -> Result<Lines, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
        RowError { line, field: None, message: msg!("sheet_not_utf8").render(lang) }
    })?;
    // A line of a million commas would cost the reader a million cell bounds before the budget
    // below sees it: count the separators first (a comma inside quotes counts too, erring safe).
    if bytes.iter().filter(|b| **b == b',').count() > MAX_SHEET_CELLS {
        return Err(ReadError::TooLarge(too_many_cells(0, lang)));
    }
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut budget = Budget::new(lang);
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(ReadError::Unreadable(RowError {
                    line,
                    field: None,
                    message: msg!("sheet_csv_unreadable", detail = e).render(lang),
                }));
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        for (column, cell) in rec.iter().enumerate() {
            budget.take(line, column, cell.trim().is_empty())?;
        }
        out.push((line, rec.iter().take(MAX_SHEET_COLUMNS).map(|c| c.trim().to_owned()).collect()));
    }
    Ok(out)
}

/// Unpack every part of an XLSX file once, counting what it really unpacks to, before the sheet
/// reader is let near it: a part that claims to be small but unpacks to gigabytes stops here.
fn check_xlsx_parts(bytes: &[u8], lang: Lang) -> Result<(), ReadError> {
    use std::io::Read;
    let cannot_open = |e: &dyn std::fmt::Display| file_error(msg!("sheet_xlsx_unopenable", detail = e).render(lang));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| cannot_open(&e))?;
    if zip.len() > MAX_XLSX_PARTS {
        let message = msg!("sheet_xlsx_too_many_parts", parts = zip.len(), max = MAX_XLSX_PARTS);
        return Err(ReadError::TooLarge(file_error(message.render(lang))));
    }
    let too_big = || {
        ReadError::TooLarge(file_error(msg!("sheet_xlsx_too_big", mib = MAX_XLSX_UNPACKED_BYTES >> 20).render(lang)))
    };
    let mut left = MAX_XLSX_UNPACKED_BYTES;
    let mut sink = [0u8; 16 * 1024];
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| cannot_open(&e))?;
        let mut part = part.take(left + 1);
        loop {
            let n = part.read(&mut sink).map_err(|e| cannot_open(&e))?;
            if n == 0 {
                break;
            }
            left = left.checked_sub(n as u64).ok_or_else(too_big)?;
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8], lang: Lang) -> Result<Lines, ReadError> {
    use calamine::{DataRef, Reader, Xlsx};
    check_xlsx_parts(bytes, lang)?;
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| file_error(msg!("sheet_xlsx_unopenable", detail = e).render(lang)))?;
    let first =
        wb.sheet_names().into_iter().next().ok_or_else(|| file_error(msg!("sheet_no_worksheet").render(lang)))?;
    let unreadable = |e: calamine::XlsxError| file_error(msg!("sheet_worksheet_unreadable", detail = e).render(lang));
    // Cells are read one by one as the sheet lists them, never into a grid of the size the
    // sheet declares: a declared A1:XFD1048576 costs nothing.
    let mut reader = wb.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut budget = Budget::new(lang);
    let mut rows: std::collections::BTreeMap<u64, Vec<String>> = std::collections::BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let (line, column) = (u64::from(row) + 1, column as usize);
        let value = cell.get_value();
        budget.take(line, column, *value == DataRef::Empty)?;
        let text = match value {
            DataRef::Empty => continue,
            DataRef::String(s) => s.trim().to_owned(),
            DataRef::SharedString(s) => s.trim().to_owned(),
            // Rust prints the shortest text that reads back as the same double, so a
            // cell typed as 89.45 comes back as "89.45".
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            other => calamine::Data::from(other.clone()).to_string(),
        };
        let cells = rows.entry(line).or_default();
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
    }
    Ok(rows.into_iter().collect())
}

/// A sheet's kind, and its good rows or every problem found.
pub type Parsed = (SheetFormat, Result<Vec<RosterRow>, Vec<RowError>>);

/// A sheet as read: its kind, how it was laid out, and its good rows or every problem found.
pub struct Sheet {
    pub format: SheetFormat,
    pub layout: SheetLayout,
    pub rows: Result<Vec<RosterRow>, Vec<RowError>>,
    /// The holders proposed when the sheet has no holder key column, from its good rows.
    pub holders: Vec<ProposedHolder>,
}

/// Check every row; return the good rows, or every problem found.
pub fn parse_roster(bytes: &[u8], lang: Lang) -> Parsed {
    match parse_roster_within_bounds(bytes, lang) {
        Ok(sheet) => (sheet.format, sheet.rows),
        Err(e) => (format_of(bytes), Err(vec![e])),
    }
}

/// As [`parse_roster`], with the sheet's layout; a file past the bounds is an error of its own.
pub fn parse_roster_within_bounds(bytes: &[u8], lang: Lang) -> Result<Sheet, RowError> {
    read_roster(bytes, &Choices::default(), lang).map_err(|r| match r {
        Refusal::TooLarge(e) => e,
        Refusal::Columns(message) => RowError { line: 1, field: Some("columns".into()), message },
    })
}

/// As [`parse_roster_within_bounds`], reading the columns and the area basis as `choices` say.
pub fn read_roster(bytes: &[u8], choices: &Choices, lang: Lang) -> Result<Sheet, Refusal> {
    match read_cells(bytes, lang) {
        Ok((format, lines)) => {
            let (layout, mut rows, errors) = check_lines(lines, choices, lang)?;
            let holders = match layout.holder_keys {
                HolderKeysFrom::Proposed => propose_keys(&mut rows, &[]),
                HolderKeysFrom::Column => Vec::new(),
            };
            let rows = if errors.is_empty() { Ok(rows) } else { Err(errors) };
            Ok(Sheet { format, layout, rows, holders })
        }
        Err(ReadError::Unreadable(e)) => Ok(Sheet {
            format: format_of(bytes),
            layout: SheetLayout::default(),
            rows: Err(vec![e]),
            holders: Vec::new(),
        }),
        Err(ReadError::TooLarge(e)) => Err(Refusal::TooLarge(e)),
    }
}

fn format_of(bytes: &[u8]) -> SheetFormat {
    if bytes.starts_with(b"PK") { SheetFormat::Xlsx } else { SheetFormat::Csv }
}

/// Where each column is found in a header row.
type Index = HashMap<Col, usize>;

fn index_of(header: &[String]) -> Index {
    let mut index = Index::new();
    for (i, heading) in header.iter().enumerate() {
        if let Some(col) = column_of(heading) {
            index.entry(col).or_insert(i);
        }
    }
    index
}

/// The columns of a header row: up to its last heading.
fn width_of(header: &[String]) -> usize {
    header.iter().rposition(|h| !h.trim().is_empty()).map_or(0, |i| i + 1)
}

/// The columns as the secretary chose them: `mapping` names, for each column of `header` from
/// A, a field or `-`. Every problem is named with the column's letter and heading.
fn index_from_mapping(mapping: &[String], header: &[String], header_line: u64, lang: Lang) -> Result<Index, String> {
    let width = width_of(header);
    let name = |i: usize| {
        let heading = header.get(i).map(|h| h.trim()).unwrap_or("");
        msg!("sheet_mapping_column", letter = column_letter(i), heading = heading).render(lang)
    };
    let mut problems = Vec::new();
    if mapping.len() != width {
        let headings: Vec<String> = (0..width).map(name).collect();
        let separator = msg!("sheet_alias_separator").render(lang);
        problems.push(
            msg!(
                "sheet_mapping_count",
                given = mapping.len(),
                line = header_line,
                width = width,
                columns = headings.join(&separator)
            )
            .render(lang),
        );
    }
    let mut index = Index::new();
    for (i, token) in mapping.iter().enumerate() {
        let token = token.trim();
        if token.is_empty() || token == "-" {
            continue;
        }
        let Some((col, _, _)) = COLUMNS.iter().find(|(_, n, _)| *n == token) else {
            let fields: Vec<&str> = COLUMNS.iter().map(|(_, n, _)| *n).collect();
            problems.push(
                msg!("sheet_mapping_unknown", column = name(i), field = token, fields = fields.join(", ")).render(lang),
            );
            continue;
        };
        if let Some(first) = index.get(col) {
            problems.push(
                msg!("sheet_mapping_twice", field = field_label(*col, lang), first = name(*first), other = name(i))
                    .render(lang),
            );
        } else {
            index.insert(*col, i);
        }
    }
    for col in REQUIRED {
        if !index.contains_key(&col) {
            problems.push(msg!("sheet_mapping_required", field = field_label(col, lang)).render(lang));
        }
    }
    if problems.is_empty() { Ok(index) } else { Err(problems.join(&msg!("list_separator").render(lang))) }
}

/// The area source the area column's heading names, when the sheet has no area_source column.
fn implied_source(header: &[String], index: &Index) -> Option<AreaSource> {
    if index.contains_key(&Col::AreaSource) {
        return None;
    }
    let heading = normalize_heading(header.get(*index.get(&Col::Area)?)?);
    AREA_HEADINGS_WITH_SOURCE.iter().find(|(h, _)| *h == heading).map(|(_, s)| *s)
}

/// The columns every sheet needs: the area source may be chosen for the whole sheet and holder
/// keys proposed, the entrance and the phone may be left out.
const REQUIRED: [Col; 4] = [Col::Building, Col::Unit, Col::Area, Col::HolderName];

/// The needed columns a header row lacks.
fn missing_columns(index: &Index) -> Vec<Col> {
    REQUIRED.into_iter().filter(|c| !index.contains_key(c)).collect()
}

/// The header: the first of the first lines in which every needed column is recognised; else
/// the line that recognises the most of them, for its missing columns to be named; else the
/// first line.
fn find_header(lines: &[(u64, Vec<String>)]) -> usize {
    let candidates = lines.iter().take(HEADER_SEARCH_LINES).enumerate();
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, cells)) in candidates {
        let index = index_of(cells);
        if missing_columns(&index).is_empty() {
            return i;
        }
        if index.len() > best.map(|(_, n)| n).unwrap_or(0) {
            best = Some((i, index.len()));
        }
    }
    best.map(|(i, _)| i).unwrap_or(0)
}

/// A 合计 / 小计 / 总计 line: one of its first cells says so.
fn is_total(cells: &[String]) -> bool {
    cells.iter().take(3).any(|c| {
        let c = normalize_heading(c);
        ["合计", "小计", "总计", "total", "subtotal"].iter().any(|t| c.starts_with(t))
    })
}

/// A room number within its entrance: 单元 2 and 房号 1201 make 2单元1201, as the demo names units.
fn unit_number(entrance: &str, room: &str) -> String {
    if entrance.is_empty() {
        return room.to_owned();
    }
    let entrance = if entrance.ends_with("单元") { entrance.to_owned() } else { format!("{entrance}单元") };
    if room.starts_with(&entrance) { room.to_owned() } else { format!("{entrance}{room}") }
}

/// An area cell as sheets write it: "1,234.50", "89.45㎡", "89.45 m²" read as plain metres.
/// A comma is read as a thousands separator only where it stands before three digits.
fn area_text(cell: &str) -> String {
    let mut s: String = fold_width(cell).chars().filter(|c| !c.is_whitespace()).collect();
    for unit in AREA_UNITS {
        if let Some(rest) = s.to_lowercase().strip_suffix(unit) {
            s = rest.to_owned();
        }
    }
    let mut groups = s.split(',');
    let first = groups.next().unwrap_or("");
    let thousands = !first.is_empty()
        && groups.all(|g| {
            let digits = g.split('.').next().unwrap_or("");
            digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit())
        });
    if thousands { s.replace(',', "") } else { s }
}

/// A phone cell as sheets write it: "139 1234 5678", "139-1234-5678", with full-width spaces.
fn phone_text(cell: &str) -> Option<String> {
    let s: String = fold_width(cell).chars().filter(|c| !c.is_whitespace() && !matches!(c, '—' | '－')).collect();
    normalize_phone(&s)
}

/// Rows below the header whose cells are shown as samples of each column.
const SAMPLE_ROWS: usize = 3;

fn layout_of(header_line: u64, header: &[String], index: &Index, lang: Lang) -> SheetLayout {
    let columns = header
        .iter()
        .take(width_of(header))
        .enumerate()
        .map(|(i, h)| ColumnReading {
            column: column_letter(i),
            heading: h.trim().to_owned(),
            field: index.iter().find(|(_, at)| **at == i).map(|(c, _)| field_name(*c).to_owned()),
            samples: Vec::new(),
        })
        .collect();
    let mut skipped = Vec::new();
    if header_line > 1 {
        let to = header_line - 1;
        let message = if to == 1 {
            msg!("sheet_title_line", header = header_line)
        } else {
            msg!("sheet_title_lines", to = to, header = header_line)
        };
        skipped.push(SkippedLines { from: 1, to, reason: SkipReason::Title, message: message.render(lang) });
    }
    SheetLayout {
        header_line: Some(header_line),
        columns,
        skipped,
        blank_lines: 0,
        area_source_from_heading: implied_source(header, index),
        columns_chosen: false,
        area_basis: AreaBasis::default(),
        holder_keys: if index.contains_key(&Col::HolderKey) {
            HolderKeysFrom::Column
        } else {
            HolderKeysFrom::Proposed
        },
    }
}

/// A sheet's layout, its good rows and every problem found in it.
type Checked = (SheetLayout, Vec<RosterRow>, Vec<RowError>);

fn check_lines(lines: Lines, choices: &Choices, lang: Lang) -> Result<Checked, Refusal> {
    let lines: Lines = lines.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty())).collect();
    let empty = || (SheetLayout::default(), Vec::new(), vec![file_error(msg!("sheet_empty").render(lang))]);
    if lines.is_empty() {
        return Ok(empty());
    }
    let at = find_header(&lines);
    let mut lines = lines.into_iter().skip(at);
    let Some((header_line, header)) = lines.next() else {
        return Ok(empty());
    };
    let index = match &choices.columns {
        Some(mapping) => index_from_mapping(mapping, &header, header_line, lang).map_err(Refusal::Columns)?,
        None => index_of(&header),
    };
    let mut layout = layout_of(header_line, &header, &index, lang);
    layout.columns_chosen = choices.columns.is_some();
    let lines: Lines = lines.collect();
    for (_, cells) in lines.iter().filter(|(_, cells)| !is_total(cells)).take(SAMPLE_ROWS) {
        for (i, column) in layout.columns.iter_mut().enumerate() {
            column.samples.push(cells.get(i).map(|c| c.trim().to_owned()).unwrap_or_default());
        }
    }
    let missing: Vec<RowError> = missing_columns(&index)
        .into_iter()
        .filter_map(|c| COLUMNS.iter().find(|(col, _, _)| *col == c))
        .map(|(c, name, aliases)| RowError {
            line: header_line,
            field: Some((*name).into()),
            message: missing_column(*c, name, aliases, &header, &index, lang),
        })
        .collect();
    if !missing.is_empty() {
        return Ok((layout, Vec::new(), missing));
    }
    let implied = layout.area_source_from_heading;
    layout.area_basis = match (index.contains_key(&Col::AreaSource), implied, choices.area_source) {
        (true, _, _) => AreaBasis { from: AreaBasisFrom::Column, source: None },
        (false, Some(s), _) => AreaBasis { from: AreaBasisFrom::Heading, source: Some(s) },
        (false, None, Some(s)) => AreaBasis { from: AreaBasisFrom::Chosen, source: Some(s) },
        (false, None, None) => AreaBasis { from: AreaBasisFrom::Missing, source: None },
    };

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    if layout.area_basis.from == AreaBasisFrom::Missing {
        let (c, name, aliases) = &COLUMNS[4];
        let message = missing_column(*c, name, aliases, &header, &index, lang);
        let choose = msg!("sheet_area_basis_choose").render(lang);
        errors.push(RowError { line: header_line, field: Some((*name).into()), message: format!("{message}{choose}") });
    }
    let proposing = layout.holder_keys == HolderKeysFrom::Proposed;
    let mut seen_units: HashMap<(String, String), u64> = HashMap::new();
    let mut holder_names: HashMap<String, (String, u64)> = HashMap::new();
    let mut last_line = header_line;
    for (line, cells) in lines {
        layout.blank_lines += line - last_line - 1;
        last_line = line;
        if is_total(&cells) {
            let message = msg!("sheet_total_line", line = line).render(lang);
            layout.skipped.push(SkippedLines { from: line, to: line, reason: SkipReason::Total, message });
            continue;
        }
        let cell = |c: Col| index.get(&c).and_then(|i| cells.get(*i)).map(|s| s.trim()).unwrap_or("");
        let mut err = |field: &str, message: Msg| {
            errors.push(RowError { line, field: Some(field.into()), message: message.render(lang) });
        };
        let building = cell(Col::Building);
        let room = cell(Col::Unit);
        let unit = unit_number(cell(Col::Entrance), room);
        let unit = unit.as_str();
        let mut ok = true;
        for (col, name, _) in COLUMNS.iter() {
            if crate::text::has_control(cell(*col)) {
                err(name, msg!("sheet_cell_control"));
                ok = false;
            } else if crate::text::has_hidden(cell(*col)) {
                err(name, msg!("sheet_cell_hidden"));
                ok = false;
            }
        }
        if building.is_empty() {
            err("building", msg!("sheet_building_missing"));
            ok = false;
        } else if building.chars().count() > 50 {
            err("building", msg!("sheet_building_too_long", max = 50));
            ok = false;
        }
        if room.is_empty() {
            err("unit", msg!("sheet_unit_missing"));
            ok = false;
        } else if unit.chars().count() > 50 {
            err("unit", msg!("sheet_unit_too_long", max = 50));
            ok = false;
        }
        let area_centi = match area::parse(&area_text(cell(Col::Area))) {
            Ok(a) => Some(a),
            Err(m) => {
                err("area", msg!("sheet_area_invalid", area = cell(Col::Area), problem = m.render(lang)));
                None
            }
        };
        let source_text = cell(Col::AreaSource);
        let area_source = if layout.area_basis.from != AreaBasisFrom::Column {
            // Missing was reported once, on the header line; the rows are still checked.
            Some(layout.area_basis.source.unwrap_or(AreaSource::Registered))
        } else if source_text.is_empty() {
            err("area_source", msg!("sheet_area_source_missing"));
            None
        } else {
            let s = AreaSource::parse(source_text);
            if s.is_none() {
                err("area_source", msg!("sheet_area_source_unknown", source = source_text));
            }
            s
        };
        let holder_name = cell(Col::HolderName);
        let holder_key = cell(Col::HolderKey);
        if holder_name.is_empty() {
            err("holder_name", msg!("sheet_holder_name_missing"));
            ok = false;
        } else if holder_name.chars().count() > 100 {
            err("holder_name", msg!("sheet_holder_name_too_long", max = 100));
            ok = false;
        }
        // Without a key column, keys are proposed from names and phones once every row is read.
        if !proposing && holder_key.is_empty() {
            err("holder_key", msg!("sheet_holder_key_missing"));
            ok = false;
        } else if !proposing && holder_key.chars().count() > 64 {
            err("holder_key", msg!("sheet_holder_key_too_long", max = 64));
            ok = false;
        }
        let phone = cell(Col::HolderPhone);
        let holder_phone = if phone.is_empty() {
            None
        } else {
            let p = phone_text(phone);
            if p.is_none() {
                err("holder_phone", msg!("sheet_phone_invalid", phone = phone));
                ok = false;
            }
            p
        };
        if !building.is_empty()
            && !room.is_empty()
            && let Some(first) = seen_units.insert((building.to_owned(), unit.to_owned()), line)
        {
            err("unit", msg!("sheet_unit_twice", building = building, unit = unit, first = first));
            ok = false;
        }
        if !holder_key.is_empty() && !holder_name.is_empty() {
            match holder_names.get(holder_key) {
                Some((name, first)) if name != holder_name => {
                    let m = msg!(
                        "sheet_holder_key_two_names",
                        key = holder_key,
                        name = name,
                        first = first,
                        other = holder_name
                    );
                    err("holder_name", m);
                    ok = false;
                }
                Some(_) => {}
                None => {
                    holder_names.insert(holder_key.to_owned(), (holder_name.to_owned(), line));
                }
            }
        }
        if let (true, Some(area_centi), Some(area_source)) = (ok, area_centi, area_source) {
            rows.push(RosterRow {
                line,
                building: building.to_owned(),
                unit: unit.to_owned(),
                area_centi,
                area_source,
                holder_name: holder_name.to_owned(),
                holder_phone,
                holder_key: holder_key.to_owned(),
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        let message = msg!("sheet_no_units").render(lang);
        errors.push(RowError { line: header_line, field: None, message });
    }
    Ok((layout, rows, errors))
}

/// The problem of a header without column `name`: the column as the reader knows it, and the
/// other headings it may have. A missing area_source beside an area heading that names no
/// source (建筑面积, 套内面积) says why that heading is not enough.
fn missing_column(col: Col, name: &str, aliases: &[&str], header: &[String], index: &Index, lang: Lang) -> String {
    let heading = i18n::render(lang, &format!("sheet_column.{name}"), |_| None).unwrap_or_else(|| name.to_owned());
    let others: Vec<&str> = aliases.iter().copied().filter(|a| *a != heading).collect();
    let separator = msg!("sheet_alias_separator").render(lang);
    let message = msg!("sheet_column_missing", column = heading, aliases = others.join(&separator)).render(lang);
    let area_heading = index.get(&Col::Area).and_then(|i| header.get(*i));
    match (col, area_heading) {
        (Col::AreaSource, Some(area)) if MEASURED_AREA_HEADINGS.contains(&normalize_heading(area).as_str()) => {
            let why = msg!("sheet_area_heading_names_no_source", heading = area.trim()).render(lang);
            format!("{message}{why}")
        }
        _ => message,
    }
}

/// Holder keys that appear in more than one row keep one identity; a set of them, for reports.
pub fn distinct_holders(rows: &[RosterRow]) -> usize {
    rows.iter().map(|r| r.holder_key.as_str()).collect::<HashSet<_>>().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "building,unit,area,area_source,holder_name,holder_phone,holder_key\n";

    fn parse_csv(body: &str) -> Result<Vec<RosterRow>, Vec<RowError>> {
        parse_roster(format!("{HEADER}{body}").as_bytes(), Lang::En).1
    }

    #[test]
    fn a_good_sheet_reads_into_rows() {
        let rows =
            parse_csv("1号楼,101,89.5,registered,张三,13800138000,H001\n1号楼,102,120,测绘,张三,,H001\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].area_centi, 8950);
        assert_eq!(rows[1].area_source, AreaSource::Surveyed);
        assert_eq!(rows[1].holder_phone, None);
        assert_eq!(distinct_holders(&rows), 1);
    }

    #[test]
    fn chinese_headers_and_a_bom_are_accepted() {
        let text = "\u{feff}楼栋,房号,面积,面积来源,业主姓名,联系电话,业主编号\n2号楼,201,66.66,合同,李四,,H9\n";
        let rows = parse_roster(text.as_bytes(), Lang::En).1.unwrap();
        assert_eq!(rows[0].building, "2号楼");
        assert_eq!(rows[0].area_source, AreaSource::Contract);
    }

    #[test]
    fn a_cell_with_a_control_character_is_refused_at_its_line() {
        let errs = parse_csv("1号楼,101,50,registered,张三,,H1\n1号楼,1\u{0}02,50,registered,李四,,H2\n").unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!((errs[0].line, errs[0].field.as_deref()), (3, Some("unit")));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let errs = parse_csv(
            "1号楼,101,89.5,registered,张三,,H1\n\
             1号楼,101,90,registered,张三,,H1\n\
             1号楼,102,-3,registered,王五,,H2\n\
             1号楼,103,70.123,registered,,,H3\n\
             1号楼,104,70,guess,赵六,,H4\n\
             1号楼,105,70,registered,钱七,,H2\n",
        )
        .unwrap_err();
        let lines: Vec<(u64, &str)> = errs.iter().map(|e| (e.line, e.field.as_deref().unwrap_or(""))).collect();
        assert_eq!(
            lines,
            [(3, "unit"), (4, "area"), (5, "area"), (5, "holder_name"), (6, "area_source"), (7, "holder_name")]
        );
        assert!(errs[0].message.contains("line 2"));
    }

    #[test]
    fn a_missing_column_is_named() {
        let errs = parse_roster(b"building,unit,area,holder_name,holder_key\n1,1,1,a,b\n", Lang::En).1.unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].field.as_deref(), Some("area_source"));
        assert_eq!(errs[0].line, 1);
    }

    #[test]
    fn a_missing_column_is_named_as_the_reader_knows_it() {
        let bytes = b"building,unit,area,holder_name,holder_key\n1,1,1,a,b\n";
        let en = parse_roster(bytes, Lang::En).1.unwrap_err();
        assert_eq!(
            en[0].message,
            "the header has no 'area_source' column (also accepted: 面积来源); or choose the area source for the whole sheet (registered, surveyed or contract)"
        );
        let zh = parse_roster(bytes, Lang::Zh).1.unwrap_err();
        assert_eq!(
            zh[0].message,
            "表头缺少“面积来源”列（也可写作：area_source）；或为整张表选择面积来源（产权登记、实测或合同）"
        );
    }

    #[test]
    fn an_empty_file_and_a_header_only_file_are_refused() {
        assert!(parse_roster(b"", Lang::En).1.is_err());
        assert!(parse_csv("").is_err());
    }

    #[test]
    fn non_utf8_text_is_refused_with_a_hint() {
        let errs = parse_roster(b"building,unit\n\xb0\xb2,1\n", Lang::En).1.unwrap_err();
        assert!(errs[0].message.contains("UTF-8"));
        assert_eq!(errs[0].line, 2);
    }

    #[test]
    fn chinese_readers_get_chinese_messages() {
        let errs =
            parse_roster(format!("{HEADER}1号楼,101,-3,registered,张三,,H1\n").as_bytes(), Lang::Zh).1.unwrap_err();
        assert_eq!(errs[0].message, "面积“-3”须为正数（平方米），最多两位小数");
    }

    #[test]
    fn the_developer_key_marks_unsold_units() {
        let rows = parse_csv("1号楼,101,89.5,registered,开发商,,developer\n").unwrap();
        assert!(rows[0].is_developer());
    }
    /// A sheet the way property companies keep it: a title and a blank line above the header,
    /// building, entrance and room in three columns, 建筑面积(㎡), spaced phones, a blank line
    /// between buildings and a total line at the bottom.
    const KEPT: &str = "\
河畔花园业主信息登记表（2026年11月更新）,,,,,,,
,,,,,,,
楼栋,单元,房号,建筑面积（㎡）,面积来源,业主姓名,联系电话,业主编号
3号楼,2,1201,\"1,089.45㎡\",登记,张三,139 1234 5678,H1
3号楼,2,1202,120 m²,登记,李四,139-1234-5679,H2
,,,,,,,
5号楼,1单元,101,66.6,合同,王五,,H3
合计,,,1276.05,,,,
";

    fn kept(lang: Lang) -> Sheet {
        parse_roster_within_bounds(KEPT.as_bytes(), lang).unwrap()
    }

    #[test]
    fn the_header_is_found_below_title_and_blank_lines() {
        let sheet = kept(Lang::Zh);
        let rows = sheet.rows.unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(sheet.layout.header_line, Some(3));
        assert_eq!(sheet.layout.skipped[0].reason, SkipReason::Title);
        assert_eq!((sheet.layout.skipped[0].from, sheet.layout.skipped[0].to), (1, 2));
        assert_eq!(sheet.layout.skipped[0].message, "第 1–2 行是标题，已跳过；表头在第 3 行");
        assert_eq!(rows[0].line, 4, "lines keep the sheet's own numbers");
        assert_eq!(rows[2].line, 7);
    }

    #[test]
    fn one_title_line_is_named_alone() {
        let text = format!("业主名册\n{HEADER}1号楼,101,50,registered,张三,,H1\n");
        let sheet = parse_roster_within_bounds(text.as_bytes(), Lang::En).unwrap();
        assert_eq!(sheet.layout.skipped[0].message, "line 1 is a title, skipped; the header is on line 2");
        assert_eq!(sheet.rows.unwrap()[0].line, 3);
    }

    #[test]
    fn a_header_on_line_one_skips_nothing() {
        let sheet =
            parse_roster_within_bounds(format!("{HEADER}1号楼,101,50,registered,张三,,H1\n").as_bytes(), Lang::En)
                .unwrap();
        assert_eq!(sheet.layout.header_line, Some(1));
        assert!(sheet.layout.skipped.is_empty());
    }

    #[test]
    fn errors_below_a_found_header_keep_the_sheet_line() {
        let text = format!("标题\n\n{HEADER}1号楼,101,-3,registered,张三,,H1\n");
        let errs = parse_roster(text.as_bytes(), Lang::En).1.unwrap_err();
        assert_eq!((errs[0].line, errs[0].field.as_deref()), (4, Some("area")));
    }

    #[test]
    fn headings_are_read_whatever_their_brackets_units_spaces_and_case() {
        for (heading, col) in [
            ("建筑面积(㎡)", Col::Area),
            ("建筑面积（㎡）", Col::Area),
            ("建筑面积（平方米）", Col::Area),
            ("套内面积(m²)", Col::Area),
            ("专有面积 m2", Col::Area),
            ("产权面积", Col::Area),
            ("Area", Col::Area),
            (" 楼 号 ", Col::Building),
            ("栋号", Col::Building),
            ("幢", Col::Building),
            ("单元", Col::Entrance),
            ("室号", Col::Unit),
            ("房间号", Col::Unit),
            ("产权人", Col::HolderName),
            ("手机号", Col::HolderPhone),
            ("Holder Key", Col::HolderKey),
            ("ＡＲＥＡ＿ＳＯＵＲＣＥ", Col::AreaSource),
        ] {
            assert_eq!(column_of(heading), Some(col), "{heading}");
        }
        assert_eq!(column_of("业主信息登记表（2026年11月更新）"), None);
    }

    #[test]
    fn each_column_is_reported_as_understood() {
        let layout = kept(Lang::En).layout;
        let read: Vec<(&str, &str, Option<&str>)> =
            layout.columns.iter().map(|c| (c.column.as_str(), c.heading.as_str(), c.field.as_deref())).collect();
        assert_eq!(read[0], ("A", "楼栋", Some("building")));
        assert_eq!(read[1], ("B", "单元", Some("entrance")));
        assert_eq!(read[2], ("C", "房号", Some("unit")));
        assert_eq!(read[3], ("D", "建筑面积（㎡）", Some("area")));
        assert_eq!(read[6], ("G", "联系电话", Some("holder_phone")));
        assert_eq!(column_letter(26), "AA");
    }

    #[test]
    fn a_column_read_twice_is_read_from_the_first_and_the_other_is_shown_unread() {
        let text = "楼栋,房号,建筑面积,套内面积,面积来源,业主姓名,业主编号\n1号楼,101,90,75,登记,张三,H1\n";
        let sheet = parse_roster_within_bounds(text.as_bytes(), Lang::En).unwrap();
        assert_eq!(sheet.rows.unwrap()[0].area_centi, 9000);
        assert_eq!(sheet.layout.columns[3].field, None);
    }

    #[test]
    fn the_entrance_is_joined_to_the_room_as_the_demo_names_units() {
        let rows = kept(Lang::En).rows.unwrap();
        assert_eq!((rows[0].building.as_str(), rows[0].unit.as_str()), ("3号楼", "2单元1201"));
        assert_eq!(rows[2].unit, "1单元101");
        assert_eq!(unit_number("", "301"), "301");
        assert_eq!(unit_number("2", "2单元301"), "2单元301");
    }

    #[test]
    fn areas_with_units_and_thousands_commas_and_spaced_phones_are_read() {
        let rows = kept(Lang::En).rows.unwrap();
        assert_eq!(rows[0].area_centi, 108_945);
        assert_eq!(rows[1].area_centi, 12_000);
        assert_eq!(rows[0].holder_phone.as_deref(), Some("13912345678"));
        assert_eq!(rows[1].holder_phone.as_deref(), Some("13912345679"));
        assert_eq!(phone_text("139\u{3000}1234\u{3000}5678").as_deref(), Some("13912345678"));
        assert_eq!(area_text("89.45 平方米"), "89.45");
        assert_eq!(area_text("89,45"), "89,45", "a decimal comma is not a thousands separator");
    }

    #[test]
    fn blank_lines_are_counted_and_total_lines_reported() {
        let layout = kept(Lang::Zh).layout;
        assert_eq!(layout.blank_lines, 1);
        let total = &layout.skipped[1];
        assert_eq!((total.from, total.reason), (8, SkipReason::Total));
        assert_eq!(total.message, "第 8 行是合计行，已跳过");
        for first in ["小计", "总 计", "合计：", "Total"] {
            assert!(is_total(&[String::new(), first.to_owned()]), "{first}");
        }
        assert!(!is_total(&["3号楼".to_owned(), "101".to_owned()]));
    }

    #[test]
    fn an_area_heading_naming_a_source_stands_for_the_missing_column() {
        let text = "楼栋,房号,产权面积,业主姓名,业主编号\n1号楼,101,90,张三,H1\n";
        let sheet = parse_roster_within_bounds(text.as_bytes(), Lang::En).unwrap();
        assert_eq!(sheet.layout.area_source_from_heading, Some(AreaSource::Registered));
        assert_eq!(sheet.rows.unwrap()[0].area_source, AreaSource::Registered);
    }

    #[test]
    fn a_building_area_heading_does_not_stand_for_the_area_source() {
        let text = "楼栋,房号,建筑面积(㎡),业主姓名,业主编号\n1号楼,101,90,张三,H1\n";
        let errs = parse_roster(text.as_bytes(), Lang::Zh).1.unwrap_err();
        assert_eq!((errs[0].line, errs[0].field.as_deref()), (1, Some("area_source")));
        assert!(errs[0].message.contains("“建筑面积(㎡)”只说明面积怎么量"), "{}", errs[0].message);
    }

    /// The sheet of the issue: a title, a blank line, 楼栋/单元/房号 numbers, 建筑面积(㎡), spaced
    /// phones, no area source and no holder key; 户主 is a heading the reader does not know.
    const BARE: &str = "\
阳光里小区业主名册,,,,,
,,,,,
楼栋,单元,房号,建筑面积(㎡),户主,联系电话
1,2,301,89.5,张三,139 1234 5678
1,2,302,90,张三,139 1234 5678
1,2,401,75,李四,
";

    fn choose(columns: &str, source: Option<AreaSource>) -> Choices {
        Choices { columns: Some(columns.split(',').map(str::to_owned).collect()), area_source: source }
    }

    #[test]
    fn a_chosen_mapping_reads_the_columns_as_chosen_below_the_found_header() {
        let choices = choose("building,entrance,unit,area,holder_name,holder_phone", Some(AreaSource::Surveyed));
        let sheet = read_roster(BARE.as_bytes(), &choices, Lang::En).unwrap();
        assert_eq!(sheet.layout.header_line, Some(3));
        assert!(sheet.layout.columns_chosen);
        assert_eq!(sheet.layout.columns[4].field.as_deref(), Some("holder_name"));
        assert_eq!(sheet.layout.columns[4].samples, ["张三", "张三", "李四"]);
        let rows = sheet.rows.unwrap();
        assert_eq!((rows[0].line, rows[0].unit.as_str(), rows[0].holder_name.as_str()), (4, "2单元301", "张三"));
        assert_eq!(rows[0].area_source, AreaSource::Surveyed);
        assert_eq!(
            sheet.layout.area_basis,
            AreaBasis { from: AreaBasisFrom::Chosen, source: Some(AreaSource::Surveyed) }
        );
        assert_eq!(sheet.layout.holder_keys, HolderKeysFrom::Proposed);
        assert_eq!(sheet.holders.len(), 2, "张三 twice with one phone is one holder");
    }

    #[test]
    fn a_bad_mapping_is_refused_naming_the_column() {
        let refused = |columns: &str| match read_roster(BARE.as_bytes(), &choose(columns, None), Lang::En) {
            Err(Refusal::Columns(m)) => m,
            _ => panic!("{columns} was accepted"),
        };
        let twice = refused("building,entrance,unit,area,holder_name,holder_name");
        assert!(twice.contains("column E '户主' and column F '联系电话' are both read as holder_name"), "{twice}");
        let short = refused("building,entrance,unit,area,holder_name");
        assert!(short.contains("name 5 column(s) but the header on line 3 has 6"), "{short}");
        assert!(short.contains("column F '联系电话'"), "{short}");
        let missing = refused("building,entrance,unit,-,holder_name,holder_phone");
        assert!(missing.contains("no column is read as area"), "{missing}");
        let unknown = refused("building,entrance,unit,area,owner,holder_phone");
        assert!(unknown.contains("column E '户主': 'owner' is not a roster field"), "{unknown}");
    }

    #[test]
    fn without_a_source_the_dry_run_asks_for_the_basis_and_a_chosen_one_is_applied() {
        let text = "楼栋,房号,建筑面积,业主姓名,业主编号\n1号楼,101,90,张三,H1\n";
        let sheet = read_roster(text.as_bytes(), &Choices::default(), Lang::En).unwrap();
        assert_eq!(sheet.layout.area_basis.from, AreaBasisFrom::Missing);
        let errs = sheet.rows.unwrap_err();
        assert_eq!((errs.len(), errs[0].line, errs[0].field.as_deref()), (1, 1, Some("area_source")));
        let choices = Choices { columns: None, area_source: Some(AreaSource::Contract) };
        let rows = read_roster(text.as_bytes(), &choices, Lang::En).unwrap().rows.unwrap();
        assert_eq!(rows[0].area_source, AreaSource::Contract);
        // A sheet that names its source keeps it, whatever was chosen.
        let text = "楼栋,房号,产权面积,业主姓名,业主编号\n1号楼,101,90,张三,H1\n";
        let sheet = read_roster(text.as_bytes(), &choices, Lang::En).unwrap();
        assert_eq!(sheet.layout.area_basis.from, AreaBasisFrom::Heading);
        assert_eq!(sheet.rows.unwrap()[0].area_source, AreaSource::Registered);
    }

    #[test]
    fn numeric_room_numbers_of_a_spreadsheet_read_as_written() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_number(0, 0, 1201.0).unwrap();
        ws.write_number(0, 1, 13912345678.0).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (_, lines) = read_cells(&bytes, Lang::En).unwrap();
        assert_eq!(lines[0].1, ["1201", "13912345678"]);
    }
}
