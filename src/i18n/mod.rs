//! Text the server writes for people (error messages, inbox notices, the audit trail) is a key
//! with parameters, rendered in the reader's language from one catalogue per language: [`en`]
//! and [`zh`]. Nothing is ever translated by matching text.
//!
//! A template names its parameters in braces, `must be at most {max} characters`. [`msg!`]
//! checks when the code compiles that its key is in the catalogue and that it is given exactly
//! the parameters the template names; a unit test checks that both catalogues hold the same keys
//! with the same parameters.
//!
//! [`msg!`]: crate::msg
pub mod en;
pub mod zh;

/// A language the server writes in. A reader's is the one their account saved, else the first
/// choice of their `Accept-Language` (Chinese when it is Chinese, English otherwise).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_header(value: Option<&str>) -> Lang {
        let first = value.unwrap_or("").split(',').next().unwrap_or("").trim().to_ascii_lowercase();
        if first.starts_with("zh") { Lang::Zh } else { Lang::En }
    }

    /// The language a saved tag (`zh-CN`, `en`) names.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.to_ascii_lowercase().split(['-', '_']).next() {
            Some("zh") => Some(Lang::Zh),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    /// The tag a language is saved as.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A message to show someone: a catalogue key and the values of its parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

/// A [`Msg`] whose key is checked against the catalogue when the code compiles:
/// `msg!("text_too_long", max = 200)`.
#[macro_export]
macro_rules! msg {
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        const _: () = $crate::i18n::check($key, &[$(stringify!($name)),*]);
        $crate::i18n::Msg { key: $key, args: vec![$((stringify!($name), ($value).to_string())),*] }
    }};
}

impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

impl Msg {
    /// The message in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        render(lang, self.key, |name| self.args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone()))
            .unwrap_or_else(|| self.key.to_owned())
    }

    /// The message in English, the API's reference language.
    pub fn english(&self) -> String {
        self.render(Lang::En)
    }
}

/// Every key and template of a language.
pub fn catalogue(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    let sections = match lang {
        Lang::En => en::CATALOGUE,
        Lang::Zh => zh::CATALOGUE,
    };
    sections.iter().flat_map(|s| s.iter().copied())
}

/// The template of `key` in `lang`.
pub fn template(lang: Lang, key: &str) -> Option<&'static str> {
    catalogue(lang).find(|(k, _)| *k == key).map(|(_, t)| t)
}

/// `key`'s template in `lang` with each `{name}` replaced by `arg(name)`; a parameter `arg`
/// has no value for is left as it is written.
pub fn render(lang: Lang, key: &str, arg: impl Fn(&str) -> Option<String>) -> Option<String> {
    let template = template(lang, key)?;
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        match arg(name) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The names of a template's parameters, sorted, each once.
pub fn params(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> =
        template.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name)).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// For [`msg!`]: stop the build unless `key` is in the English catalogue with exactly the
/// parameters `names`.
pub const fn check(key: &str, names: &[&str]) {
    let mut s = 0;
    while s < en::CATALOGUE.len() {
        let section = en::CATALOGUE[s];
        let mut i = 0;
        while i < section.len() {
            let (k, template) = section[i];
            if same(k.as_bytes(), 0, k.len(), key.as_bytes()) {
                assert!(names_match(template.as_bytes(), names), "the parameters differ from the template's");
                return;
            }
            i += 1;
        }
        s += 1;
    }
    panic!("no such key in the message catalogue");
}

/// Whether `t[from..to]` is `s`.
const fn same(t: &[u8], from: usize, to: usize, s: &[u8]) -> bool {
    if to - from != s.len() {
        return false;
    }
    let mut i = 0;
    while i < s.len() {
        if t[from + i] != s[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Whether the template's `{parameters}` are exactly `names`.
const fn names_match(t: &[u8], names: &[&str]) -> bool {
    let mut used = [false; 16];
    if names.len() > used.len() {
        return false;
    }
    let mut i = 0;
    while i < t.len() {
        if t[i] == b'{' {
            let mut end = i + 1;
            while end < t.len() && t[end] != b'}' {
                end += 1;
            }
            let mut n = 0;
            let mut found = false;
            while n < names.len() {
                if same(t, i + 1, end, names[n].as_bytes()) {
                    used[n] = true;
                    found = true;
                }
                n += 1;
            }
            if !found {
                return false;
            }
            i = end;
        }
        i += 1;
    }
    let mut n = 0;
    while n < names.len() {
        if !used[n] {
            return false;
        }
        n += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn both_languages_have_every_key_with_the_same_parameters() {
        let keys = |lang| catalogue(lang).map(|(k, _)| k).collect::<BTreeSet<_>>();
        let (en_keys, zh_keys) = (keys(Lang::En), keys(Lang::Zh));
        let only_en: Vec<_> = en_keys.difference(&zh_keys).collect();
        let only_zh: Vec<_> = zh_keys.difference(&en_keys).collect();
        assert!(only_en.is_empty() && only_zh.is_empty(), "only in English: {only_en:?}; only in Chinese: {only_zh:?}");
        for (key, en) in catalogue(Lang::En) {
            let zh = template(Lang::Zh, key).unwrap();
            assert_eq!(params(en), params(zh), "{key}: English and Chinese name different parameters");
            assert!(!en.trim().is_empty() && !zh.trim().is_empty(), "{key} is empty");
        }
    }

    #[test]
    fn chinese_is_chosen_when_it_comes_first() {
        assert_eq!(Lang::from_header(Some("zh-CN,zh;q=0.9,en;q=0.8")), Lang::Zh);
        assert_eq!(Lang::from_header(Some("en-US,zh-CN;q=0.5")), Lang::En);
        assert_eq!(Lang::from_header(None), Lang::En);
    }

    #[test]
    fn a_saved_tag_names_its_language() {
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::from_tag("EN"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(Lang::Zh.tag()), Some(Lang::Zh));
    }

    #[test]
    fn each_key_is_written_once() {
        for lang in [Lang::En, Lang::Zh] {
            let mut seen = BTreeSet::new();
            for (key, _) in catalogue(lang) {
                assert!(seen.insert(key), "{key} is written twice in {lang:?}");
            }
        }
    }

    #[test]
    fn a_message_renders_its_parameters_in_either_language() {
        let m = crate::msg!("text_too_long", max = 200);
        assert_eq!(m.render(Lang::En), "must be at most 200 characters");
        assert_eq!(m.render(Lang::Zh), "最多 200 个字");
    }

    #[test]
    fn a_missing_parameter_is_left_as_written() {
        assert_eq!(render(Lang::En, "text_too_long", |_| None).unwrap(), "must be at most {max} characters");
        assert_eq!(render(Lang::En, "no_such_key", |_| None), None);
    }

    #[test]
    fn the_compile_time_check_compares_parameters_as_sets() {
        assert!(names_match(b"{a} and {b} and {a}", &["b", "a"]));
        assert!(!names_match(b"{a} and {b}", &["a"]));
        assert!(!names_match(b"{a}", &["a", "c"]));
        assert!(names_match(b"no parameters", &[]));
        assert_eq!(params("{b} {a} {b}"), vec!["a", "b"]);
    }
}
