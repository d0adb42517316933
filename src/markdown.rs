//! Markdown written by people (vote texts, notices, agendas, questionnaires) turned into HTML the
//! app may put in a page as it is, so no Markdown parser has to reach the owner's phone.
//!
//! Raw HTML in the source is shown as text, never run; images are not loaded (a picture from
//! elsewhere would tell a third party who read the notice) and are kept as a link to their address;
//! links go only to http, https and mailto addresses and open with `rel="noopener noreferrer"`.
//! Headings are moved down to `h3`–`h6` so a text never adds a second page title.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::{error::AppError, msg};

/// The longest text the preview renders, in characters (longer than any body a form takes).
pub const PREVIEW_MAX_CHARS: usize = 20_000;

/// An editor's live preview of `text`: [`to_html`], refused with a validation error on `text`
/// beyond [`PREVIEW_MAX_CHARS`] or holding what no saved text may (control or hidden characters),
/// so the preview says so before saving does.
pub fn preview(text: &str) -> Result<String, AppError> {
    if text.chars().count() > PREVIEW_MAX_CHARS {
        return Err(AppError::field("text", msg!("text_too_long", max = PREVIEW_MAX_CHARS)));
    }
    if crate::text::has_control(text) {
        return Err(AppError::field("text", msg!("text_control")));
    }
    if crate::text::has_hidden(text) {
        return Err(AppError::field("text", crate::text::HIDDEN_MESSAGE));
    }
    Ok(to_html(text))
}

/// The tags the app's text blocks show; everything else is dropped (its text kept).
const TAGS: &[&str] = &[
    "p",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "del",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
    "br",
];

/// `source` as sanitized HTML: see the module's notes for what is kept.
pub fn to_html(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(source, options).map(|event| match event {
        // Raw HTML is text the author typed: show it, never run it.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        // A single line break inside a paragraph is a break, as people writing in a textarea mean.
        Event::SoftBreak => Event::HardBreak,
        Event::Start(Tag::Heading { level, .. }) => {
            Event::Start(Tag::Heading { level: lowered(level), id: None, classes: Vec::new(), attrs: Vec::new() })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(lowered(level))),
        Event::Start(Tag::Image { dest_url, .. }) => Event::Start(Tag::Link {
            link_type: pulldown_cmark::LinkType::Inline,
            dest_url,
            title: CowStr::Borrowed(""),
            id: CowStr::Borrowed(""),
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default()
        .tags(TAGS.iter().copied().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(
            [("a", ["href"].into_iter().collect()), ("ol", ["start"].into_iter().collect())].into_iter().collect(),
        )
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string()
}

/// h1 → h3, h2 → h4, h3 → h5, the rest h6.
fn lowered(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

#[cfg(test)]
mod tests {
    use super::{PREVIEW_MAX_CHARS, preview, to_html};
    use crate::error::AppError;

    #[test]
    fn a_preview_is_refused_beyond_its_length_and_empty_text_is_nothing() {
        assert!(
            matches!(preview(&"字".repeat(PREVIEW_MAX_CHARS + 1)), Err(AppError::Validation(f)) if f.contains_key("text"))
        );
        assert!(preview(&"字".repeat(PREVIEW_MAX_CHARS)).is_ok());
        assert_eq!(preview("").unwrap(), "");
        assert!(matches!(preview("a\u{202E}b"), Err(AppError::Validation(f)) if f.contains_key("text")));
        assert!(matches!(preview("a\u{7}b"), Err(AppError::Validation(f)) if f.contains_key("text")));
    }

    #[test]
    fn lists_emphasis_and_headings_are_kept_and_headings_moved_down() {
        let html = to_html("# 公约\n\n## 细则\n\n1. 束犬链\n2. 清理粪便\n\n- 一\n\n**违反**的*劝导*");
        assert!(html.contains("<h3>公约</h3>"), "{html}");
        assert!(html.contains("<h4>细则</h4>"), "{html}");
        assert!(html.contains("<ol>\n<li>束犬链</li>"), "{html}");
        assert!(html.contains("<ul>\n<li>一</li>"), "{html}");
        assert!(html.contains("<strong>违反</strong>的<em>劝导</em>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
    }

    #[test]
    fn script_tags_and_raw_html_are_shown_as_text() {
        let html = to_html("<script>alert(1)</script>\n\n前 <img src=x onerror=alert(1)> 后");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
    }

    #[test]
    fn javascript_and_data_links_lose_their_address() {
        let html = to_html("[点我](javascript:alert(1)) [数据](data:text/html,x) [相对](/api/v1/me)");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("href=\"/api"), "{html}");
        assert!(html.contains("点我"), "{html}");
    }

    #[test]
    fn web_and_mail_links_open_without_telling_the_page_that_opened_them() {
        let html = to_html("[规约](https://example.com/rules) [信](mailto:a@example.com)");
        assert!(html.contains(r#"<a href="https://example.com/rules" rel="noopener noreferrer">规约</a>"#), "{html}");
        assert!(html.contains(r#"href="mailto:a@example.com""#), "{html}");
    }

    #[test]
    fn images_are_kept_as_links_and_never_loaded() {
        let html = to_html("![平面图](https://example.com/plan.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/plan.png" rel="noopener noreferrer">平面图</a>"#),
            "{html}"
        );
    }

    #[test]
    fn tables_quotes_code_and_line_breaks_are_kept() {
        let html = to_html("| 楼 | 户 |\n| --- | --- |\n| 1 | 20 |\n\n> 引用\n\n`码`\n\n第一行\n第二行\n\n---");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<td>20</td>"), "{html}");
        assert!(html.contains("<blockquote>"), "{html}");
        assert!(html.contains("<code>码</code>"), "{html}");
        assert!(html.contains("第一行<br>"), "{html}");
        assert!(html.contains("<hr>"), "{html}");
    }
}
