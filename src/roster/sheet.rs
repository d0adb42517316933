//! Reading the roster sheet a property company keeps (CSV or XLSX) into checked rows.
//!
//! Every problem is reported with its line number and column, all at once, so the person
//! importing can fix the sheet in one go.
use std::collections::{HashMap, HashSet};

use super::area;
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
    Unit,
    Area,
    AreaSource,
    HolderName,
    HolderPhone,
    HolderKey,
}

const COLUMNS: [(Col, &str, &[&str]); 7] = [
    (Col::Building, "building", &["building", "楼栋", "楼号", "楼栋号"]),
    (Col::Unit, "unit", &["unit", "房号", "房间号", "门牌号", "户号"]),
    (Col::Area, "area", &["area", "面积", "建筑面积", "专有面积", "面积(m²)", "面积（m²）", "面积(㎡)", "面积（㎡）"]),
    (Col::AreaSource, "area_source", &["area_source", "面积来源"]),
    (Col::HolderName, "holder_name", &["holder_name", "业主姓名", "业主", "姓名"]),
    (Col::HolderPhone, "holder_phone", &["holder_phone", "联系电话", "电话", "手机", "手机号"]),
    (Col::HolderKey, "holder_key", &["holder_key", "业主编号", "业主标识"]),
];

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

/// Check every row; return the good rows, or every problem found.
pub fn parse_roster(bytes: &[u8], lang: Lang) -> Parsed {
    match parse_roster_within_bounds(bytes, lang) {
        Ok(parsed) => parsed,
        Err(e) => (format_of(bytes), Err(vec![e])),
    }
}

/// As [`parse_roster`], but a file past the bounds is an error of its own.
pub fn parse_roster_within_bounds(bytes: &[u8], lang: Lang) -> Result<Parsed, RowError> {
    match read_cells(bytes, lang) {
        Ok((format, lines)) => Ok((format, check_lines(lines, lang))),
        Err(ReadError::Unreadable(e)) => Ok((format_of(bytes), Err(vec![e]))),
        Err(ReadError::TooLarge(e)) => Err(e),
    }
}

fn format_of(bytes: &[u8]) -> SheetFormat {
    if bytes.starts_with(b"PK") { SheetFormat::Xlsx } else { SheetFormat::Csv }
}

fn check_lines(lines: Lines, lang: Lang) -> Result<Vec<RosterRow>, Vec<RowError>> {
    let mut lines = lines.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![file_error(msg!("sheet_empty").render(lang))]);
    };
    let mut index: HashMap<Col, usize> = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().to_lowercase();
        if let Some((col, _, _)) =
            COLUMNS.iter().find(|(_, _, aliases)| aliases.iter().any(|a| a.to_lowercase() == name))
        {
            index.entry(*col).or_insert(i);
        }
    }
    let missing: Vec<RowError> = COLUMNS
        .iter()
        .filter(|(c, _, _)| !index.contains_key(c) && *c != Col::HolderPhone)
        .map(|(_, name, aliases)| RowError {
            line: header_line,
            field: Some((*name).into()),
            message: missing_column(name, aliases, lang),
        })
        .collect();
    if !missing.is_empty() {
        return Err(missing);
    }

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen_units: HashMap<(String, String), u64> = HashMap::new();
    let mut holder_names: HashMap<String, (String, u64)> = HashMap::new();
    for (line, cells) in lines {
        let cell = |c: Col| index.get(&c).and_then(|i| cells.get(*i)).map(|s| s.trim()).unwrap_or("");
        let mut err = |field: &str, message: Msg| {
            errors.push(RowError { line, field: Some(field.into()), message: message.render(lang) });
        };
        let building = cell(Col::Building);
        let unit = cell(Col::Unit);
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
        if unit.is_empty() {
            err("unit", msg!("sheet_unit_missing"));
            ok = false;
        } else if unit.chars().count() > 50 {
            err("unit", msg!("sheet_unit_too_long", max = 50));
            ok = false;
        }
        let area_centi = match area::parse(cell(Col::Area)) {
            Ok(a) => Some(a),
            Err(m) => {
                err("area", msg!("sheet_area_invalid", area = cell(Col::Area), problem = m.render(lang)));
                None
            }
        };
        let source_text = cell(Col::AreaSource);
        let area_source = if source_text.is_empty() {
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
        if holder_key.is_empty() {
            err("holder_key", msg!("sheet_holder_key_missing"));
            ok = false;
        } else if holder_key.chars().count() > 64 {
            err("holder_key", msg!("sheet_holder_key_too_long", max = 64));
            ok = false;
        }
        let phone_text = cell(Col::HolderPhone);
        let holder_phone = if phone_text.is_empty() {
            None
        } else {
            let p = normalize_phone(phone_text);
            if p.is_none() {
                err("holder_phone", msg!("sheet_phone_invalid", phone = phone_text));
                ok = false;
            }
            p
        };
        if !building.is_empty()
            && !unit.is_empty()
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
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// The problem of a header without column `name`: the column as the reader knows it, and the
/// other headings it may have.
fn missing_column(name: &str, aliases: &[&str], lang: Lang) -> String {
    let heading = i18n::render(lang, &format!("sheet_column.{name}"), |_| None).unwrap_or_else(|| name.to_owned());
    let others: Vec<&str> = aliases.iter().copied().filter(|a| *a != heading).collect();
    let separator = msg!("sheet_alias_separator").render(lang);
    msg!("sheet_column_missing", column = heading, aliases = others.join(&separator)).render(lang)
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
        assert_eq!(en[0].message, "the header has no 'area_source' column (also accepted: 面积来源)");
        let zh = parse_roster(bytes, Lang::Zh).1.unwrap_err();
        assert_eq!(zh[0].message, "表头缺少“面积来源”列（也可写作：area_source）");
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
}
