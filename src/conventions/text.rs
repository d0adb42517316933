//! The text of a convention (管理规约, 议事规则, 居民公约): its chapters and articles with stable
//! ids, their numbering, the canonical plain text and its digest, reading it from plain text, and
//! the article-by-article comparison of two versions.
//!
//! Numbers are never stored: an article is 第五条 because four articles come before it. What
//! stays is its id, so an amendment, a comment or a vote about an article still points at the same
//! article after others are inserted or removed around it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::{
    error::{AppError, AppResult},
    i18n::{Lang, Msg},
    msg,
    text::{HIDDEN_MESSAGE, has_control, has_hidden, is_hidden},
};

/// The most characters an article's text may have.
pub const ARTICLE_MAX_CHARS: usize = 2_000;
/// The most characters a chapter's title may have.
pub const CHAPTER_TITLE_MAX_CHARS: usize = 100;
/// The most characters the preamble may have.
pub const PREAMBLE_MAX_CHARS: usize = 5_000;
/// The most articles a convention may have.
pub const ARTICLES_MAX: usize = 300;
/// The most characters one line of an imported text may have.
pub const LINE_MAX_CHARS: usize = 2_000;
/// The longest first line taken as the convention's title when reading plain text.
const TITLE_LINE_MAX_CHARS: usize = 40;
/// Above this many cells (product of the changed middles' lengths), a changed text is marked
/// changed whole rather than compared character by character, to bound time and memory.
const DIFF_MAX_CELLS: usize = 250_000;

/// The text of a convention: a preamble, then chapters of articles.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Body {
    #[serde(default)]
    pub preamble: String,
    pub chapters: Vec<Chapter>,
}

/// A chapter (第一章 …); the first chapter may have an empty title: articles before any chapter heading, or a convention without chapters.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Chapter {
    pub id: String,
    pub title: String,
    pub articles: Vec<Article>,
}

/// An article (第一条 …) with its stable id.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: String,
    pub text: String,
}

/// A convention's text as a client sends it: chapters and articles it keeps carry their ids, new ones none.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default, PartialEq, Eq)]
pub struct DraftBody {
    #[serde(default)]
    pub preamble: String,
    pub chapters: Vec<DraftChapter>,
}

/// A chapter of a draft; `id` names a chapter of the previous version, none for a new one.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct DraftChapter {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub title: String,
    pub articles: Vec<DraftArticle>,
}

/// An article of a draft; `id` names an article of the previous version, none for a new one.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct DraftArticle {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
}

/// Collects every problem of a text before answering, keeping the first one of each field.
#[derive(Default)]
struct Errors(BTreeMap<String, Msg>);

impl Errors {
    fn add(&mut self, field: impl Into<String>, message: Msg) {
        self.0.entry(field.into()).or_insert(message);
    }

    fn finish<T>(self, value: T) -> AppResult<T> {
        if self.0.is_empty() { Ok(value) } else { Err(AppError::Validation(self.0)) }
    }
}

/// `value` trimmed with its line breaks made `\n`, or why it cannot be taken.
fn clean_text(value: &str, max: usize, required: bool) -> Result<String, Msg> {
    let v = value.replace("\r\n", "\n").replace('\r', "\n");
    let v = v.trim();
    if required && v.is_empty() {
        return Err(msg!("text_required"));
    }
    if v.chars().count() > max {
        return Err(msg!("text_too_long", max = max));
    }
    if has_control(v) {
        return Err(msg!("text_control"));
    }
    if has_hidden(v) {
        return Err(HIDDEN_MESSAGE);
    }
    Ok(v.to_owned())
}

/// A chapter's title, trimmed, on one line.
fn clean_title(value: &str) -> Result<String, Msg> {
    let title = clean_text(value, CHAPTER_TITLE_MAX_CHARS, false)?;
    if title.contains('\n') {
        return Err(msg!("convention_title_one_line"));
    }
    Ok(title)
}

/// Which of the two kinds of numbered parts an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Chapter,
    Article,
}

impl Kind {
    fn prefix(self) -> char {
        match self {
            Kind::Chapter => 'c',
            Kind::Article => 'a',
        }
    }
}

/// Hands out ids: those the previous version issued may be kept, each once; new ones come from the counter.
struct Ids<'a> {
    known: HashMap<&'a str, Kind>,
    used: HashSet<String>,
    issued: u32,
}

impl Ids<'_> {
    /// The id of a part of `kind` that gave `given`, or the message for `field`.
    fn settle(&mut self, given: Option<String>, kind: Kind) -> AppResult<Result<String, Msg>> {
        let id = match given.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()) {
            Some(id) => {
                if self.known.get(id.as_str()) != Some(&kind) {
                    return Ok(Err(msg!("convention_id_unknown", id = id)));
                }
                id
            }
            None => {
                self.issued = self
                    .issued
                    .checked_add(1)
                    .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a convention ran out of ids")))?;
                format!("{}{}", kind.prefix(), self.issued)
            }
        };
        if !self.used.insert(id.clone()) {
            return Ok(Err(msg!("convention_id_repeated", id = id)));
        }
        Ok(Ok(id))
    }
}

/// Validate a draft and give every new chapter and article the next id after `issued`; ids the
/// draft gives must be ones `previous` holds, for the same kind of part, each once. Every problem
/// is reported at once, at its field (`chapters[1].articles[2].text`). Returns the text and the
/// new highest id issued.
pub fn settle(draft: DraftBody, previous: Option<&Body>, issued: u32) -> AppResult<(Body, u32)> {
    let mut errors = Errors::default();
    let mut known = HashMap::new();
    if let Some(previous) = previous {
        for chapter in &previous.chapters {
            known.insert(chapter.id.as_str(), Kind::Chapter);
            for article in &chapter.articles {
                known.insert(article.id.as_str(), Kind::Article);
            }
        }
    }
    let mut ids = Ids { known, used: HashSet::new(), issued };
    let preamble = clean_text(&draft.preamble, PREAMBLE_MAX_CHARS, false).unwrap_or_else(|m| {
        errors.add("preamble", m);
        String::new()
    });
    let total: usize = draft.chapters.iter().map(|c| c.articles.len()).sum();
    if total == 0 {
        errors.add("chapters", msg!("convention_no_articles"));
    } else if total > ARTICLES_MAX {
        errors.add("chapters", msg!("convention_too_many_articles", max = ARTICLES_MAX));
    }
    let mut chapters = Vec::with_capacity(draft.chapters.len());
    for (i, chapter) in draft.chapters.into_iter().enumerate() {
        let id = ids.settle(chapter.id, Kind::Chapter)?.unwrap_or_else(|m| {
            errors.add(format!("chapters[{i}].id"), m);
            String::new()
        });
        let title = clean_title(&chapter.title).unwrap_or_else(|m| {
            errors.add(format!("chapters[{i}].title"), m);
            String::new()
        });
        // Only the first chapter may go without a heading: articles before any chapter.
        if title.is_empty() && i > 0 {
            errors.add(format!("chapters[{i}].title"), msg!("convention_chapter_title_required"));
        }
        if chapter.articles.is_empty() && total > 0 {
            errors.add(format!("chapters[{i}].articles"), msg!("convention_chapter_empty"));
        }
        let mut articles = Vec::with_capacity(chapter.articles.len());
        for (j, article) in chapter.articles.into_iter().enumerate() {
            let id = ids.settle(article.id, Kind::Article)?.unwrap_or_else(|m| {
                errors.add(format!("chapters[{i}].articles[{j}].id"), m);
                String::new()
            });
            let text = clean_text(&article.text, ARTICLE_MAX_CHARS, true).unwrap_or_else(|m| {
                errors.add(format!("chapters[{i}].articles[{j}].text"), m);
                String::new()
            });
            articles.push(Article { id, text });
        }
        chapters.push(Chapter { id, title, articles });
    }
    errors.finish((Body { preamble, chapters }, ids.issued))
}

/// A body as a draft that keeps every id.
#[cfg(test)]
fn draft_of_body(body: &Body) -> DraftBody {
    DraftBody {
        preamble: body.preamble.clone(),
        chapters: body
            .chapters
            .iter()
            .map(|c| DraftChapter {
                id: Some(c.id.clone()),
                title: c.title.clone(),
                articles: c
                    .articles
                    .iter()
                    .map(|a| DraftArticle { id: Some(a.id.clone()), text: a.text.clone() })
                    .collect(),
            })
            .collect(),
    }
}

const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// One group of four digits (1..=9999) in Chinese; `inner` when a higher group came before, so a
/// leading ten is written 一十 rather than 十.
fn numerals_group(n: u32, inner: bool, out: &mut String) {
    const UNITS: [&str; 4] = ["千", "百", "十", ""];
    let digits = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let (mut any, mut zero) = (false, false);
    for (k, &d) in digits.iter().enumerate() {
        if d == 0 {
            zero |= any;
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        // 十一, not 一十一, at the very start of a number.
        let bare_ten = k == 2 && d == 1 && !any && !inner;
        if !bare_ten {
            out.push(DIGITS[d as usize]);
        }
        out.push_str(UNITS[k]);
        any = true;
    }
}

/// Chinese numerals as article numbers are written: 1 一, 10 十, 11 十一, 101 一百零一, 110 一百一十.
pub fn numerals(n: u32) -> String {
    if n == 0 {
        return "零".to_owned();
    }
    const UNITS: [&str; 3] = ["", "万", "亿"];
    let groups = [n % 10_000, n / 10_000 % 10_000, n / 100_000_000];
    let mut out = String::new();
    let mut started = false;
    let mut gap = false;
    for k in (0..3).rev() {
        let g = groups[k];
        if g == 0 {
            gap |= started;
            continue;
        }
        if started && (gap || g < 1000) {
            out.push('零');
        }
        numerals_group(g, started, &mut out);
        out.push_str(UNITS[k]);
        started = true;
        gap = false;
    }
    out
}

/// 第一条, 第二条 …
pub fn article_number(n: u32) -> String {
    format!("第{}条", numerals(n))
}

/// 第一章, 第二章 …
pub fn chapter_number(n: u32) -> String {
    format!("第{}章", numerals(n))
}

/// The value of a digit written in Chinese, ASCII or full-width.
fn digit_value(c: char) -> Option<u64> {
    match c {
        '0'..='9' => Some(u64::from(c) - u64::from('0')),
        '０'..='９' => Some(u64::from(c) - u64::from('０')),
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

fn unit_value(c: char) -> Option<u64> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1_000),
        '万' => Some(10_000),
        _ => None,
    }
}

/// The number a heading writes, in Chinese numerals (十一, 一百零一, 一〇一) or digits (11, １１).
fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if !s.chars().any(|c| unit_value(c).is_some()) {
        let mut n: u64 = 0;
        for c in s.chars() {
            n = n.checked_mul(10)?.checked_add(digit_value(c)?)?;
        }
        return u32::try_from(n).ok();
    }
    let (mut total, mut section): (u64, u64) = (0, 0);
    let mut digit: Option<u64> = None;
    for c in s.chars() {
        if let Some(d) = digit_value(c) {
            if digit.is_some_and(|p| p != 0) {
                return None;
            }
            digit = Some(d);
        } else if c == '万' {
            section += digit.take().unwrap_or(0);
            total = total.checked_add(section.max(1).checked_mul(10_000)?)?;
            section = 0;
        } else {
            let unit = unit_value(c)?;
            section = section.checked_add(digit.take().unwrap_or(1).checked_mul(unit)?)?;
        }
    }
    u32::try_from(total.checked_add(section)?.checked_add(digit.unwrap_or(0))?).ok()
}

/// One article with its number.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Numbered {
    pub id: String,
    /// The chapter the article stands in.
    pub chapter_id: String,
    /// 1-based across the whole text: chapters do not restart the count.
    pub number: u32,
    /// 第一条 …
    pub label: String,
}

/// Every article in order with its number.
pub fn numbered(body: &Body) -> Vec<Numbered> {
    let mut n = 0;
    let mut out = Vec::new();
    for chapter in &body.chapters {
        for article in &chapter.articles {
            n += 1;
            out.push(Numbered {
                id: article.id.clone(),
                chapter_id: chapter.id.clone(),
                number: n,
                label: article_number(n),
            });
        }
    }
    out
}

/// Each chapter's heading (第二章 总则), empty for one without a title; only chapters with a title are numbered.
fn chapter_headings(body: &Body) -> Vec<String> {
    let mut n = 0;
    body.chapters
        .iter()
        .map(|c| {
            if c.title.is_empty() {
                String::new()
            } else {
                n += 1;
                format!("{} {}", chapter_number(n), c.title)
            }
        })
        .collect()
}

/// The canonical plain text: the preamble, then `第一章 总则` and `第一条 …` lines; a chapter
/// heading is preceded by an empty line. What the digest is taken of and what is printed.
pub fn render(body: &Body) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !body.preamble.is_empty() {
        lines.push(body.preamble.clone());
    }
    let mut n = 0;
    for (chapter, heading) in body.chapters.iter().zip(chapter_headings(body)) {
        if !heading.is_empty() {
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(heading);
        }
        for article in &chapter.articles {
            n += 1;
            lines.push(format!("{} {}", article_number(n), article.text));
        }
    }
    lines.join("\n")
}

/// The text a vote on version `version` of convention `title` shows the owners, in Markdown: the
/// heading, what is decided, then the text exactly as rendered, chapter headings as subheadings.
pub fn vote_text(title: &str, body: &Body, version: i32, repeal: bool) -> String {
    let mut out = if repeal {
        format!("## 废止《{title}》\n\n提请业主大会决定废止下列公约（第 {version} 版）。\n\n")
    } else {
        format!("## {title}\n\n提请业主大会表决通过下列文本（第 {version} 版）。\n\n")
    };
    let headings: Vec<String> = chapter_headings(body);
    for line in render(body).lines() {
        if line.is_empty() {
            continue;
        }
        if headings.iter().any(|h| h == line) {
            out.push_str(&format!("### {line}\n\n"));
        } else {
            out.push_str(line);
            out.push_str("\n\n");
        }
    }
    out.trim_end().to_owned()
}

/// Hex SHA-256 of [`render`]: what signatures and votes are about.
pub fn digest(body: &Body) -> String {
    hex::encode(Sha256::digest(render(body).as_bytes()))
}

/// The article with `id`.
pub fn article<'a>(body: &'a Body, id: &str) -> Option<&'a Article> {
    body.chapters.iter().flat_map(|c| &c.articles).find(|a| a.id == id)
}

/// The body with article `id`'s text replaced by `text` (validated as in [`settle`]), for an accepted amendment.
pub fn with_article(body: &Body, id: &str, text: &str) -> AppResult<Body> {
    if article(body, id).is_none() {
        return Err(AppError::field("article_id", msg!("convention_id_unknown", id = id)));
    }
    let text = clean_text(text, ARTICLE_MAX_CHARS, true).map_err(|m| AppError::field("text", m))?;
    let mut out = body.clone();
    for a in out.chapters.iter_mut().flat_map(|c| c.articles.iter_mut()) {
        if a.id == id {
            a.text.clone_from(&text);
        }
    }
    Ok(out)
}

/// A remark about an imported text that did not stop it being read.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct ParseNote {
    /// 1-based line (paragraph) of the text.
    pub line: usize,
    pub message: String,
    /// The message itself, to render in the reader's language with [`Parsed::in_lang`].
    #[serde(skip)]
    pub note: Msg,
}

/// A convention read from plain text.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The first line, when it reads as a title rather than a sentence.
    pub title: Option<String>,
    pub draft: DraftBody,
    /// Remarks in line order (renumbered articles, removed invisible characters); messages in English until [`Parsed::in_lang`].
    pub notes: Vec<ParseNote>,
}

impl Parsed {
    /// The same with the notes' messages in `lang`.
    pub fn in_lang(mut self, lang: Lang) -> Parsed {
        for note in &mut self.notes {
            note.message = note.note.render(lang);
        }
        self
    }
}

/// A heading line: 第<number>章 or 第<number>条 and the rest of the line.
fn heading(line: &str) -> Option<(Kind, u32, &str)> {
    let rest = line.strip_prefix('第')?.trim_start();
    let end = rest
        .char_indices()
        .find(|(_, c)| digit_value(*c).is_none() && unit_value(*c).is_none())
        .map_or(rest.len(), |(i, _)| i);
    if end == 0 || rest[..end].chars().count() > 12 {
        return None;
    }
    let number = parse_number(&rest[..end])?;
    let after = rest[end..].trim_start();
    let (kind, tail) = if let Some(t) = after.strip_prefix('章') {
        (Kind::Chapter, t)
    } else {
        (Kind::Article, after.strip_prefix('条')?)
    };
    let tail = tail.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '：' | ':' | '、' | '.' | '．'));
    Some((kind, number, tail.trim_end()))
}

/// Whether a first line reads as a title: short, and not a sentence.
fn is_title(line: &str) -> bool {
    line.chars().count() <= TITLE_LINE_MAX_CHARS && !line.contains(['。', '；', '：', '，'])
}

/// The line without invisible and control characters (a tab becomes a space), and whether any went.
fn visible(line: &str) -> (String, bool) {
    let mut removed = false;
    let text = line
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() || is_hidden(c) => {
                removed = true;
                None
            }
            c => Some(c),
        })
        .collect();
    (text, removed)
}

struct ParsedArticle {
    line: usize,
    lines: Vec<String>,
}

struct ParsedChapter {
    /// The heading's line; none for articles before any chapter heading.
    line: Option<usize>,
    title: String,
    articles: Vec<ParsedArticle>,
}

/// Keeps count of the headings of one kind and remarks on those not numbered in sequence.
#[derive(Default)]
struct Sequence {
    count: u32,
    last: Option<u32>,
}

impl Sequence {
    fn next(&mut self, kind: Kind, found: u32) -> Option<Msg> {
        self.count += 1;
        let label = |n| if kind == Kind::Article { article_number(n) } else { chapter_number(n) };
        let note = (found != self.count).then(|| match (kind, self.last) {
            (Kind::Article, Some(p)) => {
                msg!(
                    "convention_article_renumbered",
                    found = label(found),
                    previous = label(p),
                    number = label(self.count)
                )
            }
            (Kind::Article, None) => msg!("convention_article_first", found = label(found), number = label(self.count)),
            (Kind::Chapter, Some(p)) => {
                msg!(
                    "convention_chapter_renumbered",
                    found = label(found),
                    previous = label(p),
                    number = label(self.count)
                )
            }
            (Kind::Chapter, None) => msg!("convention_chapter_first", found = label(found), number = label(self.count)),
        });
        self.last = Some(found);
        note
    }
}

/// Read a convention from plain text, one entry per line (or paragraph, which may hold line
/// breaks): `第一章 总则` starts a chapter, `第一条 …` an article, and other lines continue the
/// article. Before the first heading, a short first line is the title and the rest the preamble.
/// Numbers need not run in sequence (numbering is automatic; each renumbered heading gets a
/// note). Every problem is reported at once, at field `line <n>` (1-based), or `text` when no
/// article is found at all.
pub fn parse_text(lines: &[String]) -> AppResult<Parsed> {
    let mut errors = Errors::default();
    let mut notes: Vec<ParseNote> = Vec::new();
    let note = |line: usize, note: Msg| ParseNote { line, message: note.english(), note };
    let mut title = None;
    let mut preamble: Vec<String> = Vec::new();
    let mut preamble_line = None;
    let mut chapters: Vec<ParsedChapter> = Vec::new();
    let (mut chapter_seq, mut article_seq) = (Sequence::default(), Sequence::default());
    let mut seen_any = false;
    let mut hidden_at = None;
    for (i, entry) in lines.iter().enumerate() {
        let n = i + 1;
        for raw in entry.split('\n') {
            let (text, removed) = visible(raw);
            if removed {
                hidden_at.get_or_insert(n);
            }
            let line = text.trim();
            if line.is_empty() {
                continue;
            }
            if line.chars().count() > LINE_MAX_CHARS {
                errors.add(format!("line {n}"), msg!("convention_line_too_long", max = LINE_MAX_CHARS));
                continue;
            }
            let first = !seen_any;
            seen_any = true;
            match heading(line) {
                Some((Kind::Chapter, number, rest)) => {
                    if let Some(m) = chapter_seq.next(Kind::Chapter, number) {
                        notes.push(note(n, m));
                    }
                    chapters.push(ParsedChapter { line: Some(n), title: rest.to_owned(), articles: Vec::new() });
                }
                Some((Kind::Article, number, rest)) => {
                    if let Some(m) = article_seq.next(Kind::Article, number) {
                        notes.push(note(n, m));
                    }
                    if chapters.is_empty() {
                        chapters.push(ParsedChapter { line: None, title: String::new(), articles: Vec::new() });
                    }
                    let lines = if rest.is_empty() { Vec::new() } else { vec![rest.to_owned()] };
                    if let Some(chapter) = chapters.last_mut() {
                        chapter.articles.push(ParsedArticle { line: n, lines });
                    }
                }
                None => match chapters.last_mut() {
                    None if first && is_title(line) => title = Some(line.to_owned()),
                    None => {
                        preamble_line.get_or_insert(n);
                        preamble.push(line.to_owned());
                    }
                    Some(chapter) => match chapter.articles.last_mut() {
                        Some(article) => article.lines.push(line.to_owned()),
                        // A heading split over two lines, 第一章 then 总则, as Word documents often have.
                        None if chapter.title.is_empty() && chapter.line.is_some() => chapter.title = line.to_owned(),
                        None => errors.add(format!("line {n}"), msg!("convention_text_outside_article")),
                    },
                },
            }
        }
    }
    if let Some(line) = hidden_at {
        notes.push(note(line, msg!("convention_hidden_removed")));
    }
    notes.sort_by_key(|n| n.line);
    let preamble = preamble.join("\n");
    if let Some(line) = preamble_line
        && preamble.chars().count() > PREAMBLE_MAX_CHARS
    {
        errors.add(format!("line {line}"), msg!("convention_preamble_too_long", max = PREAMBLE_MAX_CHARS));
    }
    let total: usize = chapters.iter().map(|c| c.articles.len()).sum();
    if total == 0 {
        errors.add("text", msg!("convention_no_articles_found"));
    } else if total > ARTICLES_MAX {
        errors.add("text", msg!("convention_too_many_articles", max = ARTICLES_MAX));
    }
    let mut draft = DraftBody { preamble, chapters: Vec::with_capacity(chapters.len()) };
    for chapter in chapters {
        if let Some(line) = chapter.line {
            let field = format!("line {line}");
            if chapter.title.is_empty() {
                errors.add(field.clone(), msg!("convention_chapter_title_missing"));
            } else if chapter.title.chars().count() > CHAPTER_TITLE_MAX_CHARS {
                errors.add(field.clone(), msg!("text_too_long", max = CHAPTER_TITLE_MAX_CHARS));
            }
            if chapter.articles.is_empty() {
                errors.add(field, msg!("convention_chapter_empty"));
            }
        }
        let mut articles = Vec::with_capacity(chapter.articles.len());
        for article in chapter.articles {
            let text = article.lines.join("\n");
            let field = format!("line {}", article.line);
            if text.is_empty() {
                errors.add(field, msg!("convention_article_empty"));
            } else if text.chars().count() > ARTICLE_MAX_CHARS {
                errors.add(field, msg!("convention_article_too_long", max = ARTICLE_MAX_CHARS));
            }
            articles.push(DraftArticle { id: None, text });
        }
        draft.chapters.push(DraftChapter { id: None, title: chapter.title, articles });
    }
    errors.finish(Parsed { title, draft, notes })
}

/// What part of the text an entry of a comparison is about.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Preamble,
    Chapter,
    Article,
}

/// How a part of the text changed; an article renumbered with the same text is `same`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Same,
    Changed,
    Added,
    Removed,
}

/// A run of characters, changed or kept.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub changed: bool,
}

/// One chapter, article or the preamble, as it was and as it is.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// The chapter's or article's id; empty for the preamble.
    pub id: String,
    /// 第三条, or 第二章 总则 for a chapter (empty for a chapter without a title), in the earlier
    /// version; none when added, and always none for the preamble.
    pub label_from: Option<String>,
    /// The same in the later version; none when removed.
    pub label_to: Option<String>,
    pub change: Change,
    /// The earlier text (a chapter's title); empty when added.
    pub before: Vec<Part>,
    /// The later text; empty when removed.
    pub after: Vec<Part>,
    /// Where the chapter or article stood in the earlier version, 0-based over its chapters and
    /// articles in order; none when added and for the preamble. Shows what moved.
    pub from_position: Option<u32>,
}

/// A chapter or article flattened out of a body, with its label.
struct Item<'a> {
    kind: EntryKind,
    id: &'a str,
    label: String,
    text: &'a str,
}

fn items(body: &Body) -> Vec<Item<'_>> {
    let mut out = Vec::new();
    let mut n = 0;
    for (chapter, heading) in body.chapters.iter().zip(chapter_headings(body)) {
        out.push(Item { kind: EntryKind::Chapter, id: &chapter.id, label: heading, text: &chapter.title });
        for article in &chapter.articles {
            n += 1;
            out.push(Item { kind: EntryKind::Article, id: &article.id, label: article_number(n), text: &article.text });
        }
    }
    out
}

/// Consecutive characters with the same mark joined into parts.
fn runs(chars: &[char], changed: &[bool]) -> Vec<Part> {
    let mut parts: Vec<Part> = Vec::new();
    for (&c, &ch) in chars.iter().zip(changed) {
        match parts.last_mut() {
            Some(p) if p.changed == ch => p.text.push(c),
            _ => parts.push(Part { text: c.to_string(), changed: ch }),
        }
    }
    parts
}

/// Mark the characters of `a` and `b` outside one longest common subsequence as changed.
fn lcs_marks(a: &[char], b: &[char], changed_a: &mut [bool], changed_b: &mut [bool]) {
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    // table[i * width + j]: the longest common subsequence of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * width + j] = if a[i] == b[j] {
                table[(i + 1) * width + j + 1] + 1
            } else {
                table[(i + 1) * width + j].max(table[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            i += 1;
            j += 1;
        } else if table[(i + 1) * width + j] >= table[i * width + j + 1] {
            changed_a[i] = true;
            i += 1;
        } else {
            changed_b[j] = true;
            j += 1;
        }
    }
    changed_a[i..].iter_mut().for_each(|c| *c = true);
    changed_b[j..].iter_mut().for_each(|c| *c = true);
}

/// The two texts as parts: the common prefix and suffix kept, the middle compared character by
/// character when small enough, else marked changed whole.
fn diff(before: &str, after: &str) -> (Vec<Part>, Vec<Part>) {
    let a: Vec<char> = before.chars().collect();
    let b: Vec<char> = after.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (a_end, b_end) = (a.len() - suffix, b.len() - suffix);
    let mut changed_a = vec![false; a.len()];
    let mut changed_b = vec![false; b.len()];
    let (mid_a, mid_b) = (a_end - prefix, b_end - prefix);
    if mid_a.saturating_mul(mid_b) <= DIFF_MAX_CELLS {
        lcs_marks(&a[prefix..a_end], &b[prefix..b_end], &mut changed_a[prefix..a_end], &mut changed_b[prefix..b_end]);
    } else {
        changed_a[prefix..a_end].iter_mut().for_each(|c| *c = true);
        changed_b[prefix..b_end].iter_mut().for_each(|c| *c = true);
    }
    (runs(&a, &changed_a), runs(&b, &changed_b))
}

/// The text as one part, or none when empty.
fn whole(text: &str, changed: bool) -> Vec<Part> {
    if text.is_empty() { Vec::new() } else { vec![Part { text: text.to_owned(), changed }] }
}

/// An entry for a part present on both sides, or on one.
fn entry(
    kind: EntryKind,
    id: &str,
    from: Option<(&str, Option<String>)>,
    to: Option<(&str, Option<String>)>,
    from_position: Option<u32>,
) -> Entry {
    let (label_from, label_to) = (from.as_ref().and_then(|f| f.1.clone()), to.as_ref().and_then(|t| t.1.clone()));
    let (change, before, after) = match (from, to) {
        (Some((a, _)), Some((b, _))) if a == b => (Change::Same, whole(a, false), whole(b, false)),
        (Some((a, _)), Some((b, _))) => {
            let (before, after) = diff(a, b);
            (Change::Changed, before, after)
        }
        (Some((a, _)), None) => (Change::Removed, whole(a, true), Vec::new()),
        (None, Some((b, _))) => (Change::Added, Vec::new(), whole(b, true)),
        (None, None) => (Change::Same, Vec::new(), Vec::new()),
    };
    Entry { kind, id: id.to_owned(), label_from, label_to, change, before, after, from_position }
}

/// Compare two versions article by article (matched by id): the preamble first when either has
/// one, then the later version's chapters and articles in order, each chapter before its
/// articles; a part removed stands right after the part that preceded it in the earlier version
/// (or at the start).
pub fn compare(from: &Body, to: &Body) -> Vec<Entry> {
    let mut out = Vec::new();
    if !from.preamble.is_empty() || !to.preamble.is_empty() {
        fn side(p: &str) -> Option<(&str, Option<String>)> {
            (!p.is_empty()).then_some((p, None))
        }
        out.push(entry(EntryKind::Preamble, "", side(&from.preamble), side(&to.preamble), None));
    }
    let from_items = items(from);
    let to_items = items(to);
    let position: HashMap<(EntryKind, &str), usize> =
        from_items.iter().enumerate().map(|(i, item)| ((item.kind, item.id), i)).collect();
    let kept: HashSet<(EntryKind, &str)> = to_items.iter().map(|item| (item.kind, item.id)).collect();
    // Runs of removed parts, keyed by the part of the earlier version just before the run.
    let mut removed_after: HashMap<Option<usize>, Vec<Entry>> = HashMap::new();
    let mut anchor = None;
    for (i, item) in from_items.iter().enumerate() {
        if kept.contains(&(item.kind, item.id)) {
            anchor = Some(i);
            continue;
        }
        let position = u32::try_from(i).ok();
        let e = entry(item.kind, item.id, Some((item.text, Some(item.label.clone()))), None, position);
        removed_after.entry(anchor).or_default().push(e);
    }
    out.extend(removed_after.remove(&None).unwrap_or_default());
    for item in &to_items {
        let found = position.get(&(item.kind, item.id)).copied();
        let from_side = found.map(|i| (from_items[i].text, Some(from_items[i].label.clone())));
        let position = found.and_then(|i| u32::try_from(i).ok());
        out.push(entry(item.kind, item.id, from_side, Some((item.text, Some(item.label.clone()))), position));
        if let Some(i) = found {
            out.extend(removed_after.remove(&Some(i)).unwrap_or_default());
        }
    }
    out
}

/// The earlier text of an entry, whole.
pub fn before_text(entry: &Entry) -> String {
    entry.before.iter().map(|p| p.text.as_str()).collect()
}

/// The later text of an entry, whole.
pub fn after_text(entry: &Entry) -> String {
    entry.after.iter().map(|p| p.text.as_str()).collect()
}

/// Which version of a comparison to rebuild.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

/// One version of the text, back from its comparison with the other.
pub fn rebuild(entries: &[Entry], side: Side) -> Body {
    let mut body = Body { preamble: String::new(), chapters: Vec::new() };
    let mut parts: Vec<(&Entry, String)> = Vec::new();
    for e in entries {
        let text = match side {
            Side::Before => before_text(e),
            Side::After => after_text(e),
        };
        if e.kind == EntryKind::Preamble {
            body.preamble = text;
            continue;
        }
        let present = match side {
            Side::Before => e.change != Change::Added,
            Side::After => e.change != Change::Removed,
        };
        if present {
            parts.push((e, text));
        }
    }
    if side == Side::Before {
        parts.sort_by_key(|(e, _)| e.from_position);
    }
    for (e, text) in parts {
        match e.kind {
            EntryKind::Chapter => body.chapters.push(Chapter { id: e.id.clone(), title: text, articles: Vec::new() }),
            _ => {
                if body.chapters.is_empty() {
                    body.chapters.push(Chapter { id: String::new(), title: String::new(), articles: Vec::new() });
                }
                if let Some(chapter) = body.chapters.last_mut() {
                    chapter.articles.push(Article { id: e.id.clone(), text });
                }
            }
        }
    }
    body
}

/// An article's wording as the text would hold it (line breaks made `\n`, trimmed), or why it
/// cannot be: the error names `field`.
pub fn wording(field: &str, value: &str) -> AppResult<String> {
    clean_text(value, ARTICLE_MAX_CHARS, true).map_err(|m| AppError::field(field, m))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    fn fields(e: AppError) -> BTreeMap<String, Msg> {
        match e {
            AppError::Validation(f) => f,
            other => panic!("not a validation error: {other:?}"),
        }
    }

    fn art(id: &str, text: &str) -> Article {
        Article { id: id.into(), text: text.into() }
    }

    fn chap(id: &str, title: &str, articles: Vec<Article>) -> Chapter {
        Chapter { id: id.into(), title: title.into(), articles }
    }

    fn sample() -> Body {
        Body {
            preamble: "为维护全体业主的共同利益，制定本规约。".into(),
            chapters: vec![
                chap("c1", "总则", vec![art("a1", "本规约适用于本小区。"), art("a2", "业主应当遵守本规约。")]),
                chap("c2", "附则", vec![art("a3", "本规约自通过之日起施行。")]),
            ],
        }
    }

    fn draft_article(id: Option<&str>, text: &str) -> DraftArticle {
        DraftArticle { id: id.map(str::to_owned), text: text.into() }
    }

    #[test]
    fn numerals_are_written_as_in_article_numbers() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (101, "一百零一"),
            (110, "一百一十"),
            (111, "一百一十一"),
            (999, "九百九十九"),
            (1000, "一千"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
            (10_000, "一万"),
            (10_010, "一万零一十"),
            (100_000, "十万"),
            (1_000_010, "一百万零一十"),
        ];
        for (n, text) in cases {
            assert_eq!(numerals(n), text, "{n}");
        }
        assert_eq!(article_number(278), "第二百七十八条");
        assert_eq!(chapter_number(3), "第三章");
    }

    #[test]
    fn numbers_are_read_in_every_way_they_are_written() {
        for (text, n) in [("十二", 12), ("两百", 200), ("一〇一", 101), ("12", 12), ("１２", 12), ("二百零五", 205)]
        {
            assert_eq!(parse_number(text), Some(n), "{text}");
        }
        assert_eq!(parse_number("一二十"), None);
        assert_eq!(parse_number(""), None);
    }

    proptest! {
        #[test]
        fn numerals_read_back_to_the_same_number(n in 1u32..2_000_000) {
            let text = numerals(n);
            prop_assert_eq!(parse_number(&text), Some(n));
            prop_assert!(!text.starts_with("一十"));
            prop_assert!(!text.ends_with('零'));
        }
    }

    #[test]
    fn settle_issues_ids_in_order_after_the_counter() {
        let draft = DraftBody {
            preamble: "  序言  ".into(),
            chapters: vec![
                DraftChapter { id: None, title: "".into(), articles: vec![draft_article(None, " 一 ")] },
                DraftChapter { id: None, title: " 总则 ".into(), articles: vec![draft_article(None, "二\r\n续")] },
            ],
        };
        let (body, issued) = settle(draft, None, 0).unwrap();
        assert_eq!(issued, 4);
        assert_eq!(body.preamble, "序言");
        assert_eq!(body.chapters[0].id, "c1");
        assert_eq!(body.chapters[0].articles[0], art("a2", "一"));
        assert_eq!(body.chapters[1].id, "c3");
        assert_eq!(body.chapters[1].title, "总则");
        assert_eq!(body.chapters[1].articles[0], art("a4", "二\n续"));
    }

    #[test]
    fn an_article_keeps_its_id_whatever_is_inserted_around_it() {
        let previous = sample();
        let mut draft = draft_of_body(&previous);
        draft.chapters[0].articles.insert(0, draft_article(None, "新增的一条。"));
        draft.chapters[1].articles.remove(0);
        draft.chapters[1].articles.push(draft_article(None, "另一条。"));
        let (body, issued) = settle(draft, Some(&previous), 5).unwrap();
        assert_eq!(issued, 7);
        let ids: Vec<_> = numbered(&body).into_iter().map(|n| n.id).collect();
        assert_eq!(ids, ["a6", "a1", "a2", "a7"]);
        assert_eq!(numbered(&body)[1].label, "第二条");
    }

    #[test]
    fn ids_must_be_known_of_the_right_kind_and_used_once() {
        let previous = sample();
        let draft = DraftBody {
            preamble: String::new(),
            chapters: vec![
                DraftChapter {
                    id: Some("a1".into()),
                    title: "总则".into(),
                    articles: vec![
                        draft_article(Some("a2"), "x"),
                        draft_article(Some("a2"), "y"),
                        draft_article(Some("c2"), "z"),
                        draft_article(Some("a9"), "w"),
                    ],
                },
                DraftChapter {
                    id: Some("c1".into()), title: "附则".into(), articles: vec![draft_article(None, "v")]
                },
            ],
        };
        let f = fields(settle(draft, Some(&previous), 3).unwrap_err());
        let keys: Vec<_> = f.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "chapters[0].articles[1].id",
                "chapters[0].articles[2].id",
                "chapters[0].articles[3].id",
                "chapters[0].id"
            ]
        );
        assert_eq!(f["chapters[0].articles[1].id"].key, "convention_id_repeated");
        assert_eq!(f["chapters[0].articles[3].id"].key, "convention_id_unknown");
    }

    #[test]
    fn settle_collects_every_problem_with_its_field() {
        let draft = DraftBody {
            preamble: "序".repeat(PREAMBLE_MAX_CHARS + 1),
            chapters: vec![
                DraftChapter { id: None, title: "总则".into(), articles: vec![draft_article(None, "  ")] },
                DraftChapter { id: None, title: "".into(), articles: vec![draft_article(None, "好")] },
                DraftChapter { id: None, title: "两\n行".into(), articles: vec![] },
                DraftChapter {
                    id: None,
                    title: "附则".into(),
                    articles: vec![draft_article(None, &"长".repeat(ARTICLE_MAX_CHARS + 1))],
                },
            ],
        };
        let f = fields(settle(draft, None, 0).unwrap_err());
        assert_eq!(f["preamble"].key, "text_too_long");
        assert_eq!(f["chapters[0].articles[0].text"].key, "text_required");
        assert_eq!(f["chapters[1].title"].key, "convention_chapter_title_required");
        assert_eq!(f["chapters[2].title"].key, "convention_title_one_line");
        assert_eq!(f["chapters[2].articles"].key, "convention_chapter_empty");
        assert_eq!(f["chapters[3].articles[0].text"].key, "text_too_long");
        assert_eq!(f.len(), 6);
    }

    #[test]
    fn a_text_without_articles_or_with_too_many_is_refused() {
        let f = fields(settle(DraftBody::default(), None, 0).unwrap_err());
        assert_eq!(f["chapters"].key, "convention_no_articles");
        let many = (0..=ARTICLES_MAX).map(|_| draft_article(None, "条")).collect();
        let draft = DraftBody {
            preamble: String::new(),
            chapters: vec![DraftChapter { id: None, title: String::new(), articles: many }],
        };
        let f = fields(settle(draft, None, 0).unwrap_err());
        assert_eq!(f["chapters"].key, "convention_too_many_articles");
    }

    #[test]
    fn hidden_characters_are_refused_in_a_draft() {
        let draft = DraftBody {
            preamble: String::new(),
            chapters: vec![DraftChapter {
                id: None,
                title: String::new(),
                articles: vec![draft_article(None, "a\u{202E}b")],
            }],
        };
        let f = fields(settle(draft, None, 0).unwrap_err());
        assert_eq!(f["chapters[0].articles[0].text"].key, "text_hidden");
    }

    #[test]
    fn articles_are_numbered_across_chapters() {
        let numbers: Vec<_> =
            numbered(&sample()).into_iter().map(|n| (n.id, n.chapter_id, n.number, n.label)).collect();
        assert_eq!(
            numbers,
            [
                ("a1".into(), "c1".into(), 1, "第一条".into()),
                ("a2".into(), "c1".into(), 2, "第二条".into()),
                ("a3".into(), "c2".into(), 3, "第三条".into()),
            ]
        );
    }

    #[test]
    fn render_writes_the_canonical_text() {
        let mut body = sample();
        body.chapters[0].articles[1].text = "业主应当遵守本规约。\n（一）按时交费；".into();
        assert_eq!(
            render(&body),
            "为维护全体业主的共同利益，制定本规约。\n\n第一章 总则\n第一条 本规约适用于本小区。\n\
             第二条 业主应当遵守本规约。\n（一）按时交费；\n\n第二章 附则\n第三条 本规约自通过之日起施行。"
        );
        let untitled =
            Body { preamble: String::new(), chapters: vec![chap("c1", "", vec![art("a1", "甲"), art("a2", "乙")])] };
        assert_eq!(render(&untitled), "第一条 甲\n第二条 乙");
        let mixed = Body {
            preamble: String::new(),
            chapters: vec![chap("c1", "", vec![art("a1", "甲")]), chap("c2", "附则", vec![art("a2", "乙")])],
        };
        assert_eq!(render(&mixed), "第一条 甲\n\n第一章 附则\n第二条 乙");
    }

    #[test]
    fn the_digest_is_of_the_rendered_text() {
        let body = sample();
        assert_eq!(digest(&body), hex::encode(Sha256::digest(render(&body).as_bytes())));
        assert_eq!(digest(&body).len(), 64);
        let mut renamed = body.clone();
        renamed.chapters[0].articles[0].id = "a9".into();
        assert_eq!(digest(&renamed), digest(&body), "ids are not part of the text");
    }

    #[test]
    fn an_amendment_replaces_one_article() {
        let body = with_article(&sample(), "a2", "  业主应当遵守本规约和议事规则。 ").unwrap();
        assert_eq!(article(&body, "a2").unwrap().text, "业主应当遵守本规约和议事规则。");
        assert_eq!(article(&body, "a1"), article(&sample(), "a1"));
        assert_eq!(fields(with_article(&sample(), "a7", "x").unwrap_err())["article_id"].key, "convention_id_unknown");
        assert_eq!(fields(with_article(&sample(), "c1", "x").unwrap_err())["article_id"].key, "convention_id_unknown");
        assert_eq!(fields(with_article(&sample(), "a1", " ").unwrap_err())["text"].key, "text_required");
    }

    #[test]
    fn plain_text_is_read_into_title_preamble_chapters_and_articles() {
        let text = "  小区管理规约  \n\n为了维护业主的合法权益，\n制定本规约。\n第一章　总则\n第一条　本规约适用于本小区。\n\
                    第 2 条 业主应当：\n（一）遵守规约；\n\n（二）按时交费。\n第二章\n附则\n第３条：本规约自通过之日起施行。";
        let parsed = parse_text(&lines(text)).unwrap();
        assert_eq!(parsed.title.as_deref(), Some("小区管理规约"));
        assert!(parsed.notes.is_empty(), "{:?}", parsed.notes);
        let draft = parsed.draft;
        assert_eq!(draft.preamble, "为了维护业主的合法权益，\n制定本规约。");
        assert_eq!(draft.chapters.len(), 2);
        assert_eq!(draft.chapters[0].title, "总则");
        assert_eq!(draft.chapters[0].articles[1].text, "业主应当：\n（一）遵守规约；\n（二）按时交费。");
        assert_eq!(draft.chapters[1].title, "附则");
        assert_eq!(draft.chapters[1].articles[0].text, "本规约自通过之日起施行。");
    }

    #[test]
    fn a_sentence_on_the_first_line_is_preamble_not_title() {
        let parsed = parse_text(&lines("为了规范本小区的管理，制定本公约。\n第一条 甲")).unwrap();
        assert_eq!(parsed.title, None);
        assert_eq!(parsed.draft.preamble, "为了规范本小区的管理，制定本公约。");
        assert_eq!(parsed.draft.chapters[0].title, "");
    }

    #[test]
    fn numbers_out_of_sequence_are_renumbered_with_a_note() {
        let parsed = parse_text(&lines("第二条 甲\n第二条 乙\n第五条 丙\n第一百零一条 丁")).unwrap();
        let notes: Vec<_> = parsed.notes.iter().map(|n| (n.line, n.message.as_str())).collect();
        assert_eq!(
            notes,
            [
                (1, "第二条 is the first article; numbered as 第一条"),
                (3, "第五条 follows 第二条; renumbered as 第三条"),
                (4, "第一百零一条 follows 第五条; renumbered as 第四条"),
            ]
        );
        let zh = parsed.in_lang(Lang::Zh);
        assert_eq!(zh.notes[1].message, "第五条接在第二条之后，已重新编为第三条");
    }

    #[test]
    fn chapters_out_of_sequence_get_a_note() {
        let parsed = parse_text(&lines("第一章 总则\n第一条 甲\n第三章 附则\n第二条 乙")).unwrap();
        assert_eq!(parsed.notes.len(), 1);
        assert_eq!(parsed.notes[0].line, 3);
        assert_eq!(parsed.notes[0].note.key, "convention_chapter_renumbered");
    }

    #[test]
    fn invisible_characters_are_removed_with_a_note() {
        let parsed = parse_text(&lines("第一条 软\u{00AD}连字\n第二条 零\u{200B}宽")).unwrap();
        assert_eq!(parsed.draft.chapters[0].articles[0].text, "软连字");
        assert_eq!(parsed.draft.chapters[0].articles[1].text, "零宽");
        assert_eq!(parsed.notes.len(), 1);
        assert_eq!((parsed.notes[0].line, parsed.notes[0].note.key), (1, "convention_hidden_removed"));
    }

    #[test]
    fn every_problem_of_a_text_is_reported_with_its_line() {
        let long = "长".repeat(LINE_MAX_CHARS + 1);
        let text = format!("标题\n第一章\n第二章 总则\n第一条\n第二条 好\n{long}\n第三章 空\n");
        let f = fields(parse_text(&lines(&text)).unwrap_err());
        assert_eq!(f["line 2"].key, "convention_chapter_title_missing");
        assert_eq!(f["line 4"].key, "convention_article_empty");
        assert_eq!(f["line 6"].key, "convention_line_too_long");
        assert_eq!(f["line 7"].key, "convention_chapter_empty");
        assert_eq!(f.len(), 4, "{f:?}");
    }

    #[test]
    fn text_between_a_chapter_title_and_its_first_article_is_refused() {
        let f = fields(parse_text(&lines("第一章 总则\n本章说明\n第一条 甲")).unwrap_err());
        assert_eq!(f["line 2"].key, "convention_text_outside_article");
    }

    #[test]
    fn a_text_without_articles_is_refused_at_text() {
        let f = fields(parse_text(&lines("通知\n请各位业主注意。")).unwrap_err());
        assert_eq!(f["text"].key, "convention_no_articles_found");
        assert!(fields(parse_text(&[]).unwrap_err()).contains_key("text"));
    }

    #[test]
    fn a_paragraph_with_line_breaks_keeps_its_number() {
        let parsed = parse_text(&["第一条 甲\n乙".to_owned(), "第三条 丙".to_owned()]).unwrap();
        assert_eq!(parsed.draft.chapters[0].articles[0].text, "甲\n乙");
        assert_eq!(parsed.notes[0].line, 2);
    }

    #[test]
    fn a_sentence_starting_with_di_is_not_a_heading() {
        assert_eq!(heading("第一次会议"), None);
        assert_eq!(heading("第三方"), None);
        assert_eq!(heading("第 十二 条 甲"), Some((Kind::Article, 12, "甲")));
        assert_eq!(heading("第二章总则"), Some((Kind::Chapter, 2, "总则")));
    }

    #[test]
    fn characters_are_compared_within_a_changed_text() {
        let (before, after) = diff("业主应当按时交纳物业费", "业主须按时交纳物业服务费");
        let show = |parts: &[Part]| parts.iter().map(|p| (p.text.clone(), p.changed)).collect::<Vec<_>>();
        assert_eq!(show(&before), [("业主".into(), false), ("应当".into(), true), ("按时交纳物业费".into(), false)]);
        assert_eq!(
            show(&after),
            [
                ("业主".into(), false),
                ("须".into(), true),
                ("按时交纳物业".into(), false),
                ("服务".into(), true),
                ("费".into(), false)
            ]
        );
        let (before, after) = diff("", "新");
        assert!(before.is_empty());
        assert_eq!(after, [Part { text: "新".into(), changed: true }]);
    }

    #[test]
    fn a_large_change_is_marked_whole() {
        let a = format!("头{}尾", "甲".repeat(600));
        let b = format!("头{}尾", "乙".repeat(600));
        let (before, after) = diff(&a, &b);
        assert_eq!(before.len(), 3);
        assert!(before[1].changed && after[1].changed);
        assert_eq!(after[1].text.chars().count(), 600);
    }

    #[test]
    fn the_comparison_places_removed_parts_where_they_stood() {
        let from = sample();
        let mut to = sample();
        to.preamble.clear();
        to.chapters[0].articles.remove(0);
        to.chapters[0].articles.push(art("a9", "新增。"));
        to.chapters[1].articles[0].text = "本规约自业主大会通过之日起施行。".into();
        let entries = compare(&from, &to);
        let summary: Vec<_> =
            entries.iter().map(|e| (e.id.as_str(), e.change, e.label_from.as_deref(), e.label_to.as_deref())).collect();
        assert_eq!(
            summary,
            [
                ("", Change::Removed, None, None),
                ("c1", Change::Same, Some("第一章 总则"), Some("第一章 总则")),
                ("a1", Change::Removed, Some("第一条"), None),
                ("a2", Change::Same, Some("第二条"), Some("第一条")),
                ("a9", Change::Added, None, Some("第二条")),
                ("c2", Change::Same, Some("第二章 附则"), Some("第二章 附则")),
                ("a3", Change::Changed, Some("第三条"), Some("第三条")),
            ]
        );
        assert_eq!(after_text(&entries[6]), to.chapters[1].articles[0].text);
        assert_eq!(before_text(&entries[6]), from.chapters[1].articles[0].text);
        assert!(entries[2].after.is_empty() && entries[4].before.is_empty());
        assert_eq!(rebuild(&entries, Side::After), to);
        assert_eq!(rebuild(&entries, Side::Before), from);
    }

    #[test]
    fn compare_serializes_in_snake_case() {
        let entries = compare(&sample(), &sample());
        let json = serde_json::to_value(&entries[0]).unwrap();
        assert_eq!(json["kind"], "preamble");
        assert_eq!(json["change"], "same");
    }

    /// Text of letters and CJK characters, spaces and line breaks.
    fn any_text() -> impl Strategy<Value = String> {
        "[ab 甲乙丙\n]{0,8}"
    }

    /// A body whose chapter and article ids are unique within it but drawn from small ranges,
    /// so that two bodies share some.
    fn any_body() -> impl Strategy<Value = Body> {
        (
            any_text(),
            Just((1u32..=6).collect::<Vec<_>>()).prop_shuffle(),
            prop::collection::vec(prop_oneof![Just(String::new()), "[总则附]{1,3}"], 1..=4),
            prop::collection::vec((0usize..4, 1u32..=16, any_text()), 0..12),
        )
            .prop_map(|(preamble, chapter_ids, titles, articles)| {
                let mut chapters: Vec<Chapter> = titles
                    .into_iter()
                    .zip(chapter_ids)
                    .map(|(title, id)| Chapter { id: format!("c{id}"), title, articles: Vec::new() })
                    .collect();
                let mut seen = HashSet::new();
                for (slot, id, text) in articles {
                    if seen.insert(id) {
                        let k = slot % chapters.len();
                        chapters[k].articles.push(Article { id: format!("a{id}"), text });
                    }
                }
                Body { preamble, chapters }
            })
    }

    /// A body as a person writes it: lines that are not headings, a preamble that is a sentence,
    /// titled chapters after a possibly untitled first one, none of them empty.
    fn written_body() -> impl Strategy<Value = Body> {
        let line = "[甲乙丙物业业主公约ab0-9]{1,10}";
        let article = prop::collection::vec(line, 1..3).prop_map(|l| l.join("\n"));
        let chapter = ("[总则附管理]{1,6}", prop::collection::vec(article, 1..4));
        (
            prop_oneof![Just(String::new()), "[甲乙丙]{1,10}".prop_map(|s| format!("{s}。"))],
            any::<bool>(),
            prop::collection::vec(chapter, 1..4),
        )
            .prop_map(|(preamble, untitled, chapters)| {
                let mut n = 0;
                let mut id = |p: char| {
                    n += 1;
                    format!("{p}{n}")
                };
                let chapters = chapters
                    .into_iter()
                    .enumerate()
                    .map(|(i, (title, articles))| Chapter {
                        id: id('c'),
                        title: if untitled && i == 0 { String::new() } else { title },
                        articles: articles.into_iter().map(|text| Article { id: id('a'), text }).collect(),
                    })
                    .collect();
                Body { preamble, chapters }
            })
    }

    proptest! {
        #[test]
        fn a_text_compared_with_itself_has_no_change(a in any_body()) {
            for e in compare(&a, &a) {
                prop_assert_eq!(e.change, Change::Same);
                prop_assert!(e.before.iter().chain(&e.after).all(|p| !p.changed));
                prop_assert_eq!(e.label_from, e.label_to);
            }
        }

        #[test]
        fn both_versions_can_be_rebuilt_from_their_comparison(a in any_body(), b in any_body()) {
            let entries = compare(&a, &b);
            prop_assert_eq!(rebuild(&entries, Side::After), b);
            prop_assert_eq!(rebuild(&entries, Side::Before), a);
        }

        #[test]
        fn parts_never_split_a_character_and_runs_alternate(a in "[ab甲乙😀]{0,20}", b in "[ab甲乙😀]{0,20}") {
            let (before, after) = diff(&a, &b);
            prop_assert_eq!(before.iter().map(|p| p.text.as_str()).collect::<String>(), a.clone());
            prop_assert_eq!(after.iter().map(|p| p.text.as_str()).collect::<String>(), b.clone());
            for parts in [&before, &after] {
                prop_assert!(parts.windows(2).all(|w| w[0].changed != w[1].changed));
                prop_assert!(parts.iter().all(|p| !p.text.is_empty()));
            }
            let kept = |parts: &[Part]| parts.iter().filter(|p| !p.changed).map(|p| p.text.as_str()).collect::<String>();
            prop_assert_eq!(kept(&before), kept(&after));
        }

        #[test]
        fn the_rendered_text_reads_back_to_the_same_body(body in written_body()) {
            let parsed = parse_text(&lines(&render(&body))).unwrap();
            prop_assert!(parsed.notes.is_empty());
            prop_assert_eq!(parsed.title, None);
            let (settled, _) = settle(parsed.draft, None, 0).unwrap();
            prop_assert_eq!(render(&settled), render(&body));
            prop_assert_eq!(settled.chapters.len(), body.chapters.len());
            for (x, y) in settled.chapters.iter().zip(&body.chapters) {
                prop_assert_eq!(&x.title, &y.title);
                let texts = |c: &Chapter| c.articles.iter().map(|a| a.text.clone()).collect::<Vec<_>>();
                prop_assert_eq!(texts(x), texts(y));
            }
        }

        #[test]
        fn settling_a_settled_body_keeps_it(body in written_body()) {
            let issued = 100;
            let (again, after) = settle(draft_of_body(&body), Some(&body), issued).unwrap();
            prop_assert_eq!(again, body);
            prop_assert_eq!(after, issued);
        }
    }
}
