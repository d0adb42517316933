//! What text the API accepts: the characters that hide or reorder what a reader sees.
//!
//! A bidi override (U+202E) makes `gpj.exe` read as `exe.jpg`; a zero-width space makes two
//! names that look alike compare different; a soft hyphen or a tag character is invisible. None of
//! them is typed on purpose in a residents' forum, so every text the API takes refuses them.
//! The other checks every text field passes (length, control characters), search words, page
//! windows, phone numbers and the reader's language live here too.

use crate::{error::AppError, i18n::Msg, msg};

/// The message of a field holding an invisible or direction-changing character.
pub const HIDDEN_MESSAGE: Msg = msg!("text_hidden");

/// Whether `c` is a format character (Unicode category Cf) or another character drawn as
/// nothing: bidi marks, embeddings, overrides and isolates, zero-width characters, the soft
/// hyphen, the byte-order mark, tag characters, invisible operators, Hangul fillers.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c as u32,
        0x00AD                      // soft hyphen
        | 0x034F                    // combining grapheme joiner
        | 0x0600..=0x0605           // Arabic number signs
        | 0x061C                    // Arabic letter mark
        | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2
        | 0x115F..=0x1160           // Hangul fillers
        | 0x17B4..=0x17B5           // Khmer inherent vowels, drawn as nothing
        | 0x180B..=0x180F           // Mongolian free variation selectors and vowel separator
        | 0x200B..=0x200F           // zero-width space, non-joiner, joiner; LRM, RLM
        | 0x202A..=0x202E           // bidi embeddings and overrides
        | 0x2060..=0x206F           // word joiner, invisible operators, bidi isolates, deprecated
        | 0x3164 | 0xFFA0           // Hangul fillers
        | 0xFEFF                    // byte-order mark, zero-width no-break space
        | 0xFFF9..=0xFFFB           // interlinear annotation
        | 0x110BD | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0000..=0xE007F // tag characters
    )
}

/// Whether `c` may stand on either side of a zero-width joiner in an emoji sequence
/// (👩‍💻, 👨‍👩‍👧, ❤️‍🔥): a pictograph, a skin tone or the emoji variation selector.
fn is_emoji_part(c: char) -> bool {
    matches!(
        c as u32,
        0x2190..=0x21FF | 0x2300..=0x23FF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x1F000..=0x1FAFF
    )
}

/// Whether free text holds a hidden character. The one exception is the zero-width joiner
/// between two emoji, which is how phones write 👩‍💻: it joins pictures and cannot hide or
/// reorder letters. Names take [`has_hidden_strict`] instead.
pub fn has_hidden(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        if c != '\u{200D}' {
            return is_hidden(c);
        }
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + 1).copied();
        !(before.is_some_and(is_emoji_part) && after.is_some_and(is_emoji_part))
    })
}

/// Whether text holds any hidden character, zero-width joiners included (for names).
pub fn has_hidden_strict(text: &str) -> bool {
    text.chars().any(is_hidden)
}

/// Trimmed, non-empty text of at most `max` characters, or a validation error naming `field`.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::field(field, msg!("text_required")));
    }
    if v.chars().count() > max {
        return Err(AppError::field(field, msg!("text_too_long", max = max)));
    }
    if has_control(v) {
        return Err(AppError::field(field, msg!("text_control")));
    }
    if has_hidden(v) {
        return Err(AppError::field(field, HIDDEN_MESSAGE));
    }
    Ok(v.to_owned())
}

/// The one cap on every search parameter of the API: at most this many words …
pub const SEARCH_MAX_WORDS: usize = 5;
/// … and this many characters in all.
pub const SEARCH_MAX_CHARS: usize = 100;

/// The words of search parameter `param`; refused with 400 `search_too_long` naming
/// the parameter beyond [`SEARCH_MAX_WORDS`] words or [`SEARCH_MAX_CHARS`] characters, so that no
/// search costs more than a handful of conditions.
pub fn search_words(param: &str, text: Option<&str>) -> Result<Vec<String>, AppError> {
    let text = text.unwrap_or("").trim();
    let words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    if text.chars().count() > SEARCH_MAX_CHARS || words.len() > SEARCH_MAX_WORDS {
        let message = msg!("search_too_long", param = param, words = SEARCH_MAX_WORDS, chars = SEARCH_MAX_CHARS);
        return Err(AppError::bad_request("search_too_long", message));
    }
    if words.iter().any(|w| has_control(w)) {
        return Err(AppError::bad_request("invalid_query", msg!("search_control", param = param)));
    }
    if words.iter().any(|w| has_hidden(w)) {
        return Err(AppError::bad_request("invalid_query", msg!("search_hidden", param = param)));
    }
    Ok(words)
}

/// Whether text holds a control character other than tab and line breaks. PostgreSQL cannot
/// store NUL in text at all; the others are never typed on purpose.
pub fn has_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Like [`required_text`] for optional fields: blank becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_text(field, v, max).map(Some),
    }
}

/// One page of a list, from the `page` (1-based) and `per_page` query values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageWindow {
    pub page: u64,
    pub per_page: u64,
    /// Rows to skip; saturates, so no page number overflows (a page past the end is empty).
    pub offset: u64,
}

/// Bring `page` and `per_page` into range (`per_page` defaults to `default` and is at most `max`).
pub fn page_window(page: Option<i64>, per_page: Option<i64>, default: u64, max: u64) -> PageWindow {
    let per_page = per_page.map_or(default, |p| p.clamp(1, max as i64) as u64);
    let page = page.map_or(1, |p| p.max(1) as u64);
    let offset = (page - 1).saturating_mul(per_page).min(i64::MAX as u64);
    PageWindow { page, per_page, offset }
}

/// A mainland mobile number in canonical form: 11 digits starting with 1 (a leading +86 or 86,
/// spaces and dashes are dropped).
pub fn normalize_phone(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let digits = if digits.len() == 13 { digits.strip_prefix("86").unwrap_or(digits) } else { digits };
    (digits.len() == 11 && digits.starts_with('1') && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bidi_controls_and_invisible_characters_are_hidden() {
        for c in [
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200E}',
            '\u{200F}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{061C}',
            '\u{180E}',
            '\u{00AD}',
            '\u{E0001}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{2064}',
            '\u{3164}',
        ] {
            assert!(is_hidden(c), "U+{:04X}", c as u32);
            assert!(has_hidden(&format!("李{c}书记")), "U+{:04X}", c as u32);
            assert!(has_hidden_strict(&format!("a{c}")), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn ordinary_text_is_not_hidden() {
        for text in
            ["李书记", "Zhang Wei", "三号楼 1-101，漏水！", "第一行\n第二行\t。", "café", "😀👍", "☎️ 110", "नमस्ते"]
        {
            assert!(!has_hidden(text), "{text}");
            assert!(!has_hidden_strict(text), "{text}");
        }
    }

    #[test]
    fn a_zero_width_joiner_is_allowed_only_between_emoji_and_never_in_names() {
        for emoji in ["👩\u{200D}💻", "👨\u{200D}👩\u{200D}👧", "❤\u{FE0F}\u{200D}🔥", "👩🏽\u{200D}💻 好"]
        {
            assert!(!has_hidden(emoji), "{emoji}");
            assert!(has_hidden_strict(emoji), "{emoji}");
        }
        for text in ["李\u{200D}书记", "\u{200D}👩", "👩\u{200D}", "👩\u{200D}a", "a\u{200D}👩", "\u{200D}"]
        {
            assert!(has_hidden(text), "{text:?}");
        }
    }
    #[test]
    fn text_with_a_control_character_is_refused_naming_the_field() {
        assert!(matches!(required_text("title", "a\0b", 10), Err(AppError::Validation(_))));
        assert!(optional_text("note", Some("\u{7}"), 10).is_err());
        assert_eq!(required_text("title", " 第一行\n第二行\t。 ", 10).unwrap(), "第一行\n第二行\t。");
        assert!(has_control("\u{1b}[31m") && !has_control("业主\r\n"));
    }

    #[test]
    fn phones_are_brought_to_eleven_digits() {
        assert_eq!(normalize_phone("138 0013 8000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("+86 138-0013-8000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("8613800138000").as_deref(), Some("13800138000"));
        assert_eq!(normalize_phone("2380013800"), None);
        assert_eq!(normalize_phone("1380013800x"), None);
    }

    #[test]
    fn pages_are_brought_into_range_and_never_overflow() {
        assert_eq!(page_window(None, None, 20, 50), PageWindow { page: 1, per_page: 20, offset: 0 });
        assert_eq!(page_window(Some(3), Some(10), 20, 50), PageWindow { page: 3, per_page: 10, offset: 20 });
        assert_eq!(page_window(Some(-5), Some(0), 20, 50), PageWindow { page: 1, per_page: 1, offset: 0 });
        assert_eq!(page_window(Some(2), Some(1000), 20, 50).per_page, 50);
        let far = page_window(Some(i64::MAX), Some(50), 20, 50);
        assert_eq!(far.offset, i64::MAX as u64);
    }

    #[test]
    fn blank_text_is_required_and_long_text_refused() {
        assert!(required_text("name", "  ", 10).is_err());
        assert!(required_text("name", "12345678901", 10).is_err());
        assert_eq!(required_text("name", " 太阳城 ", 10).unwrap(), "太阳城");
        assert_eq!(optional_text("x", Some("  "), 10).unwrap(), None);
    }
}
