//! Results as a spreadsheet: a summary table (CSV, and the first sheet of the XLSX file) and one
//! row per answer (the second sheet).
use rust_xlsxwriter::{Format, Workbook};

use super::model::{AnswerItem, Question, QuestionKind, QuestionResult};
use crate::{error::AppError, i18n::Lang};

/// One cell of an export.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Num(f64),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

fn kind_name(kind: QuestionKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (QuestionKind::Single, Lang::Zh) => "单选",
        (QuestionKind::Multiple, Lang::Zh) => "多选",
        (QuestionKind::Rating, Lang::Zh) => "评分",
        (QuestionKind::Text, Lang::Zh) => "文本",
        (QuestionKind::Single, Lang::En) => "single choice",
        (QuestionKind::Multiple, Lang::En) => "multiple choice",
        (QuestionKind::Rating, Lang::En) => "rating",
        (QuestionKind::Text, Lang::En) => "free text",
    }
}

fn pct(p: f64) -> String {
    format!("{p:.1}%")
}

/// The summary table: a response-rate line, then per question its options (or ratings, or
/// texts) with counts and percentages.
pub fn summary_rows(results: &[QuestionResult], respondents: i64, heads: i64, rate: f64, lang: Lang) -> Vec<Vec<Cell>> {
    let zh = lang == Lang::Zh;
    let mut rows: Vec<Vec<Cell>> = vec![
        if zh {
            vec!["题号".into(), "题目".into(), "题型".into(), "选项或回答".into(), "人数".into(), "百分比".into()]
        } else {
            vec![
                "No.".into(),
                "Question".into(),
                "Kind".into(),
                "Option or answer".into(),
                "Count".into(),
                "Percent".into(),
            ]
        },
        vec![
            Cell::Empty,
            (if zh { "回收率" } else { "Response rate" }).into(),
            Cell::Empty,
            if zh { format!("答卷 {respondents} / 应答 {heads}") } else { format!("{respondents} of {heads}") }.into(),
            Cell::Int(respondents),
            pct(rate).into(),
        ],
    ];
    for r in results {
        let no = Cell::Int(r.index as i64 + 1);
        let head = |rest: [Cell; 3]| {
            let [a, b, c] = rest;
            vec![no.clone(), r.text.clone().into(), kind_name(r.kind, lang).into(), a, b, c]
        };
        match r.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                for o in &r.options {
                    rows.push(head([o.option.clone().into(), Cell::Int(o.count), pct(o.percent).into()]));
                }
            }
            QuestionKind::Rating => {
                if let Some(s) = &r.rating {
                    for (i, n) in s.distribution.iter().enumerate() {
                        let label = if zh { format!("{} 分", i + 1) } else { format!("{} star(s)", i + 1) };
                        let share = super::model::percent(*n, r.answered);
                        rows.push(head([label.into(), Cell::Int(*n), pct(share).into()]));
                    }
                    let avg = s.average.map(Cell::Num).unwrap_or(Cell::Empty);
                    rows.push(head([(if zh { "平均分" } else { "Average" }).into(), avg, Cell::Empty]));
                }
            }
            QuestionKind::Text => {
                for t in &r.texts {
                    rows.push(head([t.text.clone().into(), Cell::Empty, Cell::Empty]));
                }
            }
        }
    }
    rows
}

/// The answer to one question as a reader of the sheet would write it down.
fn answer_cell(q: &Question, a: Option<&AnswerItem>) -> Cell {
    let Some(a) = a else { return Cell::Empty };
    match q.kind {
        QuestionKind::Single | QuestionKind::Multiple => {
            let picks: Vec<&str> = a
                .choices
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .filter_map(|&i| q.options.get(i as usize).map(String::as_str))
                .collect();
            if picks.is_empty() { Cell::Empty } else { Cell::Text(picks.join("；")) }
        }
        QuestionKind::Rating => a.rating.map(|r| Cell::Int(r as i64)).unwrap_or(Cell::Empty),
        QuestionKind::Text => a.text.clone().filter(|t| !t.is_empty()).map(Cell::Text).unwrap_or(Cell::Empty),
    }
}

/// One row per answer: its number, its author (named questionnaires only), then each question.
pub fn response_rows(
    questions: &[Question],
    answers: &[(Vec<AnswerItem>, Option<String>)],
    named: bool,
    lang: Lang,
) -> Vec<Vec<Cell>> {
    let zh = lang == Lang::Zh;
    let mut header: Vec<Cell> = vec![(if zh { "序号" } else { "No." }).into()];
    if named {
        header.push((if zh { "答题人" } else { "Respondent" }).into());
    }
    header.extend(questions.iter().enumerate().map(|(i, q)| Cell::Text(format!("{}. {}", i + 1, q.text))));
    let mut rows = vec![header];
    for (n, (a, who)) in answers.iter().enumerate() {
        let mut row = vec![Cell::Int(n as i64 + 1)];
        if named {
            row.push(who.clone().map(Cell::Text).unwrap_or(Cell::Empty));
        }
        row.extend(questions.iter().enumerate().map(|(i, q)| answer_cell(q, a.get(i))));
        rows.push(row);
    }
    rows
}

/// A CSV field that a spreadsheet will show as text: a leading `=`, `+`, `-` or `@` would make it
/// run the cell as a formula, so such text gets a leading apostrophe.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// The rows as CSV: UTF-8 with a byte-order mark (so that Excel reads the Chinese right), CRLF.
pub fn to_csv(rows: &[Vec<Cell>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .map(|c| match c {
                Cell::Text(t) => csv_field(t),
                Cell::Int(n) => n.to_string(),
                Cell::Num(x) => x.to_string(),
                Cell::Empty => String::new(),
            })
            .collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// An XLSX workbook with one sheet per table. Text goes in as text cells, never as formulas.
pub fn to_xlsx(sheets: &[(&str, &[Vec<Cell>])]) -> Result<Vec<u8>, AppError> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("writing the XLSX file: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).map_err(xlsx)?;
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) if r == 0 => sheet.write_string_with_format(r, c, t, &bold).map(|_| ()),
                    Cell::Text(t) => sheet.write_string(r, c, t).map(|_| ()),
                    Cell::Int(n) => sheet.write_number(r, c, *n as f64).map(|_| ()),
                    Cell::Num(x) => sheet.write_number(r, c, *x).map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(xlsx)?;
            }
        }
        sheet.set_column_width(1, 30).map_err(xlsx)?;
        sheet.set_column_width(3, 24).map_err(xlsx)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaires::model::{OptionCount, TextAnswer};

    #[test]
    fn formulas_are_defused_and_fields_quoted() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("养犬"), "养犬");
    }

    #[test]
    fn the_csv_starts_with_a_bom_and_lists_every_option() {
        let r = QuestionResult {
            index: 0,
            kind: QuestionKind::Single,
            text: "您家是否养犬？".into(),
            answered: 3,
            options: vec![
                OptionCount { option: "是".into(), count: 2, percent: 66.7 },
                OptionCount { option: "否".into(), count: 1, percent: 33.3 },
            ],
            rating: None,
            texts: vec![],
        };
        let t = QuestionResult {
            index: 1,
            kind: QuestionKind::Text,
            text: "意见".into(),
            answered: 1,
            options: vec![],
            rating: None,
            texts: vec![TextAnswer { text: "=1+1".into(), author: None }],
        };
        let csv = to_csv(&summary_rows(&[r, t], 3, 10, 30.0, Lang::Zh));
        assert!(csv.starts_with("\u{feff}题号,题目"));
        assert!(csv.contains(",回收率,,答卷 3 / 应答 10,3,30.0%\r\n"));
        assert!(csv.contains("1,您家是否养犬？,单选,是,2,66.7%\r\n"));
        assert!(csv.contains("2,意见,文本,'=1+1,,\r\n"));
    }

    #[test]
    fn responses_name_options_and_authors_only_when_named() {
        let q = Question {
            kind: QuestionKind::Multiple,
            text: "问题".into(),
            required: false,
            options: vec!["甲".into(), "乙".into()],
            max_picks: None,
        };
        let a = vec![(vec![AnswerItem { choices: Some(vec![0, 1]), ..Default::default() }], Some("李".to_owned()))];
        let named = response_rows(std::slice::from_ref(&q), &a, true, Lang::Zh);
        assert_eq!(named[1], vec![Cell::Int(1), Cell::Text("李".into()), Cell::Text("甲；乙".into())]);
        let anon = response_rows(&[q], &a, false, Lang::Zh);
        assert_eq!(anon[1].len(), 2);
    }
}
