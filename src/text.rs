//! What text the API accepts: the characters that hide or reorder what a reader sees.
//!
//! A bidi override (U+202E) makes `gpj.exe` read as `exe.jpg`; a zero-width space makes two
//! names that look alike compare different; a soft hyphen or a tag character is invisible. None of
//! them is typed on purpose in a residents' forum, so every text the API takes refuses them.

/// The message of a field holding an invisible or direction-changing character.
pub const HIDDEN_MESSAGE: &str = "must not contain invisible or direction-changing characters";

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
}
