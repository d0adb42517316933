//! Display names: what a name may hold, and which names only the three parties' members may take.
//!
//! Names are shown beside every comment, concern and notice; a party member's name carries an
//! official badge computed from their memberships. An owner called "李书记" or "物业客服" would
//! pass for an official even without the badge, so accounts outside the parties may not take a
//! name holding an official title.
use crate::{error::AppError, i18n::Msg, msg, text, text::required_text};

/// The message of a display name that holds an official title.
pub const TITLE_MESSAGE: Msg = msg!("name_official_title");

/// Titles of the three parties and of the platform, simplified and traditional. Matched anywhere
/// in the name once spaces and punctuation are taken out ("李 书·记" is "李书记").
const CHINESE_TITLES: [&str; 22] = [
    "书记",
    "書記",
    "主任",
    "社区",
    "社區",
    "物业",
    "物業",
    "业委会",
    "業委會",
    "居委会",
    "居委會",
    "委员会",
    "委員會",
    "管理员",
    "管理員",
    "官方",
    "客服",
    "街道办",
    "街道辦",
    "工作人员",
    "工作人員",
    "网格员",
];

/// English titles, matched in the letters of the name, lower-cased ("Li-Secretary", "ADMIN").
const ENGLISH_TITLES: [&str; 5] = ["secretary", "official", "admin", "moderator", "staff"];

/// Whether `name` holds an official title. Full-width letters count as their ASCII forms.
pub fn impersonates_official(name: &str) -> bool {
    let folded: String = name
        .chars()
        .map(|c| match c as u32 {
            // Full-width ASCII (Ａ, ｄ …) to ASCII.
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    CHINESE_TITLES.iter().chain(ENGLISH_TITLES.iter()).any(|t| folded.contains(t))
}

/// A display name as given by `field`, checked: trimmed, at most 50 characters, no control or
/// hidden character (not even a zero-width joiner), and, unless the account is a party member, no
/// official title.
pub fn display_name(field: &str, value: &str, party_member: bool) -> Result<String, AppError> {
    let name = required_text(field, value, 50)?;
    if text::has_hidden_strict(&name) {
        return Err(AppError::field(field, text::HIDDEN_MESSAGE));
    }
    if !party_member && impersonates_official(&name) {
        return Err(AppError::field(field, TITLE_MESSAGE));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_an_official_title_impersonate_one() {
        for name in [
            "李书记",
            "书记",
            "王主任",
            "社区小王",
            "物业客服",
            "太阳城业委会",
            "居委会张阿姨",
            "业委会主任委员",
            "系统管理员",
            "官方通知",
            "李 书·记",
            "李書記",
            "Secretary Li",
            "li_secretary",
            "OFFICIAL",
            "Admin",
            "ａｄｍｉｎ",
            "Administrator",
        ] {
            assert!(impersonates_official(name), "{name}");
        }
    }

    #[test]
    fn ordinary_names_do_not() {
        for name in ["李明", "王芳", "张伟 3-101", "Zhang Wei", "业主001", "小区住户", "Secret garden", "老李"]
        {
            assert!(!impersonates_official(name), "{name}");
        }
    }

    #[test]
    fn only_party_members_take_a_title_and_no_one_a_hidden_character() {
        assert!(matches!(display_name("display_name", "李书记", false), Err(AppError::Validation(_))));
        assert_eq!(display_name("display_name", " 李书记 ", true).unwrap(), "李书记");
        assert_eq!(display_name("display_name", "李明", false).unwrap(), "李明");
        assert!(display_name("display_name", "👩\u{200D}💻", true).is_err());
        assert!(display_name("display_name", "李\u{202E}明", true).is_err());
    }
}
