//! Reading a convention from a Word document (.docx): the text of its paragraphs in order, with
//! automatic 第…条 / 第…章 numbering written out so that [`parse_text`] sees it.

use std::{
    collections::HashMap,
    io::{Cursor, Read},
};

use quick_xml::{
    Reader,
    escape::resolve_predefined_entity,
    events::{BytesRef, BytesStart, Event},
};
use zip::{ZipArchive, result::ZipError};

use crate::{
    conventions::text::{Parsed, numerals, parse_text},
    error::{AppError, AppResult},
    i18n::Msg,
    msg,
};

/// The most bytes a part of the document (its text, its numbering) may unpack to: a guard
/// against a small file that unpacks to gigabytes.
pub const MAX_PART_BYTES: u64 = 20 << 20;

/// The namespaces WordprocessingML elements are in (transitional and strict).
const WORD_NAMESPACES: [&str; 2] = [
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
];

fn file_error(message: Msg) -> AppError {
    AppError::field("file", message)
}

fn unreadable() -> AppError {
    file_error(msg!("convention_docx_unreadable"))
}

/// The text of one part of the package, none when it has no such part.
fn part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> AppResult<Option<String>> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(unreadable()),
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1).read_to_end(&mut bytes).map_err(|_| unreadable())?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(file_error(msg!("convention_docx_too_large", mib = MAX_PART_BYTES >> 20)));
    }
    let text = String::from_utf8(bytes).map_err(|_| unreadable())?;
    Ok(Some(text.strip_prefix('\u{FEFF}').map(str::to_owned).unwrap_or(text)))
}

/// An element's name as prefix and local name.
fn split(name: &str) -> (&str, &str) {
    name.split_once(':').unwrap_or(("", name))
}

/// The value of the Word attribute `local` (`w:val`).
fn attr(e: &BytesStart<'_>, prefix: &str, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| split(a.key.0) == (prefix, local))
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// The prefix the root element binds to Word's namespace (`w` in every document seen so far).
fn word_prefix(root: &BytesStart<'_>) -> String {
    root.attributes()
        .flatten()
        .find_map(|a| {
            let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok()?;
            if !WORD_NAMESPACES.contains(&value.as_ref()) {
                return None;
            }
            match a.key.0 {
                "xmlns" => Some(String::new()),
                key => key.strip_prefix("xmlns:").map(str::to_owned),
            }
        })
        .unwrap_or_else(|| "w".to_owned())
}

/// The text an entity or character reference stands for.
fn reference(r: &BytesRef<'_>) -> Option<String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c.to_string()),
        Ok(None) => resolve_predefined_entity(r).map(str::to_owned),
        Err(_) => None,
    }
}

/// One level of a numbering definition.
#[derive(Clone, Debug)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

impl Default for Level {
    fn default() -> Self {
        Level { format: "decimal".to_owned(), text: String::new(), start: 1 }
    }
}

/// A Word part's XML, event by event, with the prefix its root element binds to Word's namespace.
struct WordXml<'a> {
    reader: Reader<&'a [u8]>,
    /// Set by the first element read.
    root: Option<String>,
}

impl<'a> WordXml<'a> {
    fn new(xml: &'a str) -> Self {
        WordXml { reader: Reader::from_str(xml), root: None }
    }

    fn next(&mut self) -> AppResult<Event<'a>> {
        let event = self.reader.read_event().map_err(|_| unreadable())?;
        if let (None, Event::Start(e) | Event::Empty(e)) = (&self.root, &event) {
            self.root = Some(word_prefix(e));
        }
        Ok(event)
    }

    /// Word's prefix (`w` until the root is read).
    fn prefix(&self) -> &str {
        self.root.as_deref().unwrap_or("w")
    }
}

/// What `word/numbering.xml` says: each list (`w:num`) with its definition's levels.
#[derive(Default, Debug)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u32, Level>>,
    /// numId → (abstractNumId, start overrides by level).
    nums: HashMap<String, (String, HashMap<u32, u32>)>,
}

impl Numbering {
    fn read(xml: &str) -> AppResult<Numbering> {
        let mut numbering = Numbering::default();
        let mut reader = WordXml::new(xml);
        let mut abstract_id: Option<String> = None;
        let mut level: Option<(u32, Level)> = None;
        let mut num: Option<(String, String, HashMap<u32, u32>)> = None;
        let mut override_level: Option<u32> = None;
        loop {
            let event = reader.next()?;
            let prefix = reader.prefix();
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let p = prefix;
                    let val = || attr(e, p, "val");
                    let number = |v: Option<String>| v.and_then(|v| v.trim().parse::<u32>().ok());
                    match split(e.name().0) {
                        (x, "abstractNum") if x == p => abstract_id = attr(e, p, "abstractNumId"),
                        (x, "lvl") if x == p && abstract_id.is_some() => {
                            level = Some((number(attr(e, p, "ilvl")).unwrap_or(0), Level::default()));
                        }
                        (x, "numFmt") if x == p => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), val()) {
                                l.format = v;
                            }
                        }
                        (x, "lvlText") if x == p => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), val()) {
                                l.text = v;
                            }
                        }
                        (x, "start") if x == p => {
                            if let (Some((_, l)), Some(v)) = (level.as_mut(), number(val())) {
                                l.start = v;
                            }
                        }
                        (x, "num") if x == p => {
                            num = attr(e, p, "numId").map(|id| (id, String::new(), HashMap::new()));
                        }
                        (x, "abstractNumId") if x == p => {
                            if let (Some(n), Some(v)) = (num.as_mut(), val()) {
                                n.1 = v;
                            }
                        }
                        (x, "lvlOverride") if x == p => override_level = number(attr(e, p, "ilvl")),
                        (x, "startOverride") if x == p => {
                            if let (Some(n), Some(l), Some(v)) = (num.as_mut(), override_level, number(val())) {
                                n.2.insert(l, v);
                            }
                        }
                        _ => {}
                    }
                    if matches!(event, Event::Empty(_)) {
                        numbering.close(e.name().0, prefix, &mut abstract_id, &mut level, &mut num);
                    }
                }
                Event::End(ref e) => {
                    numbering.close(e.name().0, prefix, &mut abstract_id, &mut level, &mut num);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(numbering)
    }

    /// Store what an element that ends was defining.
    fn close(
        &mut self,
        name: &str,
        prefix: &str,
        abstract_id: &mut Option<String>,
        level: &mut Option<(u32, Level)>,
        num: &mut Option<(String, String, HashMap<u32, u32>)>,
    ) {
        let (p, local) = split(name);
        if p != prefix {
            return;
        }
        match local {
            "lvl" => {
                if let (Some(id), Some((ilvl, l))) = (abstract_id.as_ref(), level.take()) {
                    self.abstracts.entry(id.clone()).or_default().insert(ilvl, l);
                }
            }
            "abstractNum" => *abstract_id = None,
            "num" => {
                if let Some((id, abstract_id, overrides)) = num.take() {
                    self.nums.insert(id, (abstract_id, overrides));
                }
            }
            _ => {}
        }
    }

    /// The level `ilvl` of list `num_id` with its start, when the document defines it.
    fn level(&self, num_id: &str, ilvl: u32) -> Option<Level> {
        let (abstract_id, overrides) = self.nums.get(num_id)?;
        let mut level = self.abstracts.get(abstract_id)?.get(&ilvl)?.clone();
        if let Some(start) = overrides.get(&ilvl) {
            level.start = *start;
        }
        Some(level)
    }
}

/// A number in a list's format: Chinese numerals for the East Asian counting formats, else digits.
fn format_number(n: u32, format: &str) -> String {
    let east_asian = ["chinese", "ideograph", "japanese", "taiwanese", "korean"];
    if east_asian.iter().any(|p| format.starts_with(p)) { numerals(n) } else { n.to_string() }
}

/// Counts the paragraphs of each list and level as Word does, to write out their labels.
#[derive(Default)]
struct Counters {
    by_list: HashMap<String, [Option<u32>; 9]>,
}

impl Counters {
    /// The label of the next paragraph of list `num_id` at level `ilvl`, when it is a
    /// 第…条 / 第…章 label.
    fn next(&mut self, numbering: &Numbering, num_id: &str, ilvl: u32) -> Option<String> {
        let level = numbering.level(num_id, ilvl)?;
        let ilvl = usize::try_from(ilvl).ok().filter(|l| *l < 9)?;
        let counters = self.by_list.entry(num_id.to_owned()).or_default();
        counters[ilvl] = Some(counters[ilvl].map_or(level.start, |c| c.saturating_add(1)));
        counters[ilvl + 1..].iter_mut().for_each(|c| *c = None);
        if !level.text.contains(['条', '章']) {
            return None;
        }
        let mut label = level.text.clone();
        for (k, counter) in counters.iter().enumerate().rev() {
            let placeholder = format!("%{}", k + 1);
            if !label.contains(&placeholder) {
                continue;
            }
            let at = u32::try_from(k).unwrap_or_default();
            let (n, format) = match numbering.level(num_id, at) {
                Some(l) => (counter.unwrap_or(l.start), l.format),
                None => (counter.unwrap_or(1), String::new()),
            };
            label = label.replace(&placeholder, &format_number(n, &format));
        }
        Some(label)
    }
}

/// One paragraph being read.
#[derive(Default)]
struct Paragraph {
    text: String,
    num_id: Option<String>,
    ilvl: Option<u32>,
}

/// The paragraphs of `word/document.xml`, in order, tables' included.
fn read_document(xml: &str, numbering: &Numbering) -> AppResult<Vec<String>> {
    let mut reader = WordXml::new(xml);
    let mut out = Vec::new();
    let mut counters = Counters::default();
    let mut paragraph: Option<Paragraph> = None;
    // Inside text boxes (whose paragraphs Word also writes a second time as a fallback),
    // deleted or moved-away text and earlier paragraph properties: read none of it.
    let mut skipping = 0u32;
    let (mut in_run, mut in_text, mut in_properties, mut in_numbering) = (0u32, false, false, false);
    let finish = |p: Paragraph, counters: &mut Counters, out: &mut Vec<String>| {
        let label = match (p.num_id.as_deref(), p.ilvl) {
            (Some(id), ilvl) if id != "0" => counters.next(numbering, id, ilvl.unwrap_or(0)),
            _ => None,
        };
        out.push(match label {
            Some(label) => format!("{label} {}", p.text),
            None => p.text,
        });
    };
    const SKIPPED: [&str; 4] = ["txbxContent", "del", "moveFrom", "pPrChange"];
    loop {
        let event = reader.next()?;
        let prefix = reader.prefix();
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let (p, local) = split(e.name().0);
                if p != prefix {
                    continue;
                }
                if SKIPPED.contains(&local) {
                    skipping += u32::from(!empty);
                    continue;
                }
                if skipping > 0 {
                    continue;
                }
                match local {
                    "p" if empty => out.push(String::new()),
                    "p" => paragraph = Some(Paragraph::default()),
                    "pPr" => in_properties = !empty,
                    "numPr" if in_properties => in_numbering = !empty,
                    "numId" if in_numbering => {
                        if let Some(par) = paragraph.as_mut() {
                            par.num_id = attr(e, prefix, "val");
                        }
                    }
                    "ilvl" if in_numbering => {
                        if let Some(par) = paragraph.as_mut() {
                            par.ilvl = attr(e, prefix, "val").and_then(|v| v.trim().parse().ok());
                        }
                    }
                    "r" => in_run += u32::from(!empty),
                    "t" => in_text = !empty,
                    "tab" | "br" | "cr" | "noBreakHyphen" if in_run > 0 => {
                        if let Some(par) = paragraph.as_mut() {
                            par.text.push(match local {
                                "tab" => ' ',
                                "noBreakHyphen" => '-',
                                _ => '\n',
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let (p, local) = split(e.name().0);
                if p != prefix {
                    continue;
                }
                if SKIPPED.contains(&local) {
                    skipping = skipping.saturating_sub(1);
                    continue;
                }
                if skipping > 0 {
                    continue;
                }
                match local {
                    "p" => {
                        if let Some(par) = paragraph.take() {
                            finish(par, &mut counters, &mut out);
                        }
                        in_run = 0;
                        in_text = false;
                    }
                    "pPr" => in_properties = false,
                    "numPr" => in_numbering = false,
                    "r" => in_run = in_run.saturating_sub(1),
                    "t" => in_text = false,
                    _ => {}
                }
            }
            Event::Text(ref t) if in_text && skipping == 0 => {
                if let Some(par) = paragraph.as_mut() {
                    par.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(ref t) if in_text && skipping == 0 => {
                if let Some(par) = paragraph.as_mut() {
                    par.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(ref r) if in_text && skipping == 0 => {
                if let (Some(par), Some(text)) = (paragraph.as_mut(), reference(r)) {
                    par.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if reader.root.is_none() {
        return Err(file_error(msg!("convention_docx_not_word")));
    }
    Ok(out)
}

/// The paragraphs of a .docx file, one string each (a line break inside a paragraph is `\n`, a
/// tab a space), with automatic 第…条 / 第…章 numbering written out in front.
pub fn paragraphs(bytes: &[u8]) -> AppResult<Vec<String>> {
    // The signature of an OLE compound file: a .doc from Word 97–2003.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(file_error(msg!("convention_docx_legacy")));
    }
    let not_word = || file_error(msg!("convention_docx_not_word"));
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_word())?;
    let document = part(&mut zip, "word/document.xml")?.ok_or_else(not_word)?;
    let numbering = match part(&mut zip, "word/numbering.xml")? {
        Some(xml) => Numbering::read(&xml)?,
        None => Numbering::default(),
    };
    read_document(&document, &numbering)
}

/// A convention read from a .docx file; line numbers in notes and errors are paragraph numbers.
pub fn import(bytes: &[u8]) -> AppResult<Parsed> {
    parse_text(&paragraphs(bytes)?)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use zip::{ZipWriter, write::SimpleFileOptions};

    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>"#;
    const TAIL: &str = "<w:sectPr/></w:body></w:document>";

    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in parts {
            zip.start_file(*name, SimpleFileOptions::default()).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    fn docx(body: &str) -> Vec<u8> {
        package(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", &format!("{HEAD}{body}{TAIL}"))])
    }

    fn para(text: &str) -> String {
        format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
    }

    fn error_key(e: AppError) -> (String, &'static str) {
        match e {
            AppError::Validation(f) => {
                let (k, m) = f.into_iter().next().unwrap();
                (k, m.key)
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn paragraphs_are_read_in_order_with_tables_tabs_and_breaks() {
        let body = format!(
            r#"{}<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>第一条</w:t></w:r><w:r><w:tab/><w:t>甲&amp;乙</w:t><w:br/><w:t>丙&#x4E01;</w:t></w:r></w:p><w:p/><w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>{}"#,
            para("标题"),
            para("格一"),
            para("格二"),
            para(" 末尾 ")
        );
        let lines = paragraphs(&docx(&body)).unwrap();
        assert_eq!(lines, ["标题", "第一条 甲&乙\n丙丁", "", "格一", "格二", " 末尾 "]);
    }

    #[test]
    fn deleted_text_and_text_boxes_are_left_out() {
        let body = r#"<w:p><w:r><w:t>留</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice></mc:AlternateContent></w:r><w:r><w:t>下</w:t></w:r></w:p>"#;
        assert_eq!(paragraphs(&docx(body)).unwrap(), ["留下"]);
    }

    const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1条"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
</w:numbering>"#;

    fn numbered_para(num_id: u32, ilvl: u32, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    #[test]
    fn automatic_numbering_of_articles_and_chapters_is_written_out() {
        let body = [
            numbered_para(2, 0, "总则"),
            numbered_para(1, 0, "甲"),
            numbered_para(1, 1, "列项"),
            numbered_para(1, 0, "乙"),
            numbered_para(0, 0, "无编号"),
        ]
        .concat();
        let bytes =
            package(&[("word/document.xml", &format!("{HEAD}{body}{TAIL}")), ("word/numbering.xml", NUMBERING)]);
        let lines = paragraphs(&bytes).unwrap();
        assert_eq!(lines, ["第3章 总则", "第一条 甲", "列项", "第二条 乙", "无编号"]);
        let parsed = import(&bytes).unwrap();
        assert_eq!(parsed.draft.chapters[0].title, "总则");
        assert_eq!(parsed.draft.chapters[0].articles[0].text, "甲\n列项");
        assert_eq!(parsed.notes.len(), 1, "the chapter numbered 3 is renumbered");
        assert_eq!(parsed.notes[0].line, 1);
    }

    #[test]
    fn numbering_without_its_definitions_is_ignored() {
        let lines = paragraphs(&docx(&numbered_para(7, 0, "甲"))).unwrap();
        assert_eq!(lines, ["甲"]);
    }

    #[test]
    fn an_import_reports_problems_by_paragraph() {
        let body = [para("章程"), para(""), para("第一条"), para("第二条 乙")].concat();
        let (field, key) = error_key(import(&docx(&body)).unwrap_err());
        assert_eq!((field.as_str(), key), ("line 3", "convention_article_empty"));
    }

    #[test]
    fn an_old_word_document_is_asked_to_be_saved_as_docx() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.resize(512, 0);
        assert_eq!(error_key(paragraphs(&bytes).unwrap_err()), ("file".into(), "convention_docx_legacy"));
    }

    #[test]
    fn other_files_are_not_word_documents() {
        assert_eq!(error_key(paragraphs(b"plain text").unwrap_err()), ("file".into(), "convention_docx_not_word"));
        let zip = package(&[("xl/workbook.xml", "<workbook/>")]);
        assert_eq!(error_key(paragraphs(&zip).unwrap_err()), ("file".into(), "convention_docx_not_word"));
        let broken = package(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]);
        assert_eq!(error_key(paragraphs(&broken).unwrap_err()), ("file".into(), "convention_docx_unreadable"));
    }

    #[test]
    fn a_document_that_unpacks_too_large_is_refused() {
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..=(MAX_PART_BYTES >> 20) {
            zip.write_all(&chunk).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 1 << 20, "the test file itself is small");
        assert_eq!(error_key(paragraphs(&bytes).unwrap_err()), ("file".into(), "convention_docx_too_large"));
    }
}
