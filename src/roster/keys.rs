//! Holder keys proposed for a sheet that has none: one buyer, one key.
//!
//! Rows with the same name and phone are one holder. The same name with different phones is as
//! many holders, each flagged. Rows without a phone join the one holder of their name that has a
//! phone when the sheet gives that name exactly one phone; otherwise the rows of that name
//! without a phone are taken as one holder of their own, flagged, for the secretary to check.
//! A key is `P` and ten hex digits of SHA-256 over the name (spaces and full-width forms folded)
//! and the phone, so the same sheet gives the same keys on every import and a re-import updates
//! the holders instead of adding new ones; 开发商 is the developer's key. A proposed holder whose
//! name and phone (or, without a phone, whose name alone) match exactly one holder already in the
//! compound takes that holder's key instead.
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::sheet::{RosterRow, fold_width, is_developer_key};

/// Why a proposed holder wants a second look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolderNote {
    /// Another proposed holder has the same name with another phone: two buyers, or one with two phones.
    SameNameOtherPhone,
    /// No row of this holder has a phone: rows are joined by name alone.
    NoPhone,
    /// Rows without a phone were joined to this holder because the name has only this phone.
    JoinedByName,
    /// The key of a holder already in the roster with this name and phone.
    Existing,
}

/// A holder the import would create from the sheet's names and phones, for the secretary to confirm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProposedHolder {
    pub key: String,
    pub name: String,
    /// The phone with its middle four digits hidden: 139****5678.
    pub phone: Option<String>,
    /// Building and unit of each row this holder holds: `3号楼 2单元1201`.
    pub units: Vec<String>,
    /// The sheet's lines of those rows.
    pub lines: Vec<u64>,
    pub notes: Vec<HolderNote>,
}

/// A name as holders are matched by: full-width forms folded, spaces dropped.
pub fn name_key(name: &str) -> String {
    fold_width(name).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The key proposed for the holder named `name` with `phone`.
pub fn proposed_key(name: &str, phone: Option<&str>) -> String {
    let name = name_key(name);
    if is_developer_key(&name) {
        return "developer".into();
    }
    let digest = Sha256::digest(format!("{name}\u{1f}{}", phone.unwrap_or("")).as_bytes());
    format!("P{}", hex::encode_upper(&digest[..5]))
}

/// 13912345678 → 139****5678.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// The rows of one proposed holder: its first line, the rows' indexes, and whether rows without
/// a phone were joined to it by name.
type Group = (u64, Vec<usize>, bool);

/// Give every row a proposed holder key and list the holders they make, in the order of their
/// first line. `existing` maps each holder already in the compound to its key, by
/// ([`name_key`], phone).
pub fn propose_keys(rows: &mut [RosterRow], existing: &[(String, Option<String>, String)]) -> Vec<ProposedHolder> {
    // Phones each name is given in the sheet.
    let mut phones_of: HashMap<String, HashSet<String>> = HashMap::new();
    for r in rows.iter() {
        let set = phones_of.entry(name_key(&r.holder_name)).or_default();
        if let Some(p) = &r.holder_phone {
            set.insert(p.clone());
        }
    }
    // Group rows by (name, phone the holder is known by), keeping their first line's order.
    let mut groups: BTreeMap<(String, Option<String>), Group> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let name = name_key(&r.holder_name);
        let phones = &phones_of[&name];
        let (phone, joined) = match &r.holder_phone {
            Some(p) => (Some(p.clone()), false),
            None if phones.len() == 1 => (phones.iter().next().cloned(), true),
            None => (None, false),
        };
        let g = groups.entry((name, phone)).or_insert((r.line, Vec::new(), false));
        g.1.push(i);
        g.2 |= joined;
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut proposals: Vec<(u64, ProposedHolder)> = Vec::new();
    for ((name, phone), (first, members, joined)) in groups {
        let mut notes = Vec::new();
        let phones = &phones_of[&name];
        if phones.len() > 1 {
            notes.push(HolderNote::SameNameOtherPhone);
        }
        if phone.is_none() && !is_developer_key(&name) {
            notes.push(HolderNote::NoPhone);
        }
        if joined {
            notes.push(HolderNote::JoinedByName);
        }
        let matches: Vec<&String> = existing
            .iter()
            .filter(|(n, p, _)| *n == name && (phone.is_none() || *p == phone))
            .map(|(_, _, k)| k)
            .collect();
        let mut key = match matches.as_slice() {
            [k] if !taken.contains(*k) => {
                notes.push(HolderNote::Existing);
                (*k).clone()
            }
            _ => proposed_key(&name, phone.as_deref()),
        };
        // Two different holders hashing alike is all but impossible; keep them apart anyway.
        let base = key.clone();
        let mut n = 2;
        while taken.contains(&key) {
            key = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(key.clone());
        let first_row = &rows[members[0]];
        let holder = ProposedHolder {
            key: key.clone(),
            name: first_row.holder_name.clone(),
            phone: phone.as_deref().map(mask_phone),
            units: members.iter().map(|i| format!("{} {}", rows[*i].building, rows[*i].unit)).collect(),
            lines: members.iter().map(|i| rows[*i].line).collect(),
            notes,
        };
        for i in &members {
            rows[*i].holder_key = key.clone();
        }
        proposals.push((first, holder));
    }
    proposals.sort_by_key(|(first, _)| *first);
    proposals.into_iter().map(|(_, h)| h).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::AreaSource;

    fn row(line: u64, unit: &str, name: &str, phone: Option<&str>) -> RosterRow {
        RosterRow {
            line,
            building: "1号楼".into(),
            unit: unit.into(),
            area_centi: 9000,
            area_source: AreaSource::Registered,
            holder_name: name.into(),
            holder_phone: phone.map(str::to_owned),
            holder_key: String::new(),
        }
    }

    #[test]
    fn one_name_and_phone_is_one_holder_and_the_same_sheet_gives_the_same_keys() {
        let sheet = || {
            vec![
                row(2, "101", "张三", Some("13912345678")),
                row(3, "102", "张 三", Some("13912345678")),
                row(4, "103", "李四", Some("13900000001")),
            ]
        };
        let mut rows = sheet();
        let holders = propose_keys(&mut rows, &[]);
        assert_eq!(holders.len(), 2);
        assert_eq!(holders[0].units, ["1号楼 101", "1号楼 102"]);
        assert_eq!(holders[0].phone.as_deref(), Some("139****5678"));
        assert!(holders[0].notes.is_empty());
        assert_eq!(rows[0].holder_key, rows[1].holder_key);
        assert_ne!(rows[0].holder_key, rows[2].holder_key);
        let mut again = sheet();
        again.reverse();
        propose_keys(&mut again, &[]);
        assert_eq!(again[2].holder_key, rows[0].holder_key, "keys do not depend on row order");
        assert!(rows[0].holder_key.starts_with('P') && rows[0].holder_key.len() == 11);
    }

    #[test]
    fn the_same_name_with_two_phones_is_two_holders_flagged() {
        let mut rows = vec![row(2, "101", "王芳", Some("13912345678")), row(3, "102", "王芳", Some("13800000000"))];
        let holders = propose_keys(&mut rows, &[]);
        assert_eq!(holders.len(), 2);
        assert!(holders.iter().all(|h| h.notes == [HolderNote::SameNameOtherPhone]));
    }

    #[test]
    fn rows_without_a_phone_join_the_one_phone_of_their_name_else_stand_apart_flagged() {
        let mut rows = vec![row(2, "101", "张三", Some("13912345678")), row(3, "102", "张三", None)];
        let holders = propose_keys(&mut rows, &[]);
        assert_eq!(holders.len(), 1);
        assert_eq!(holders[0].notes, [HolderNote::JoinedByName]);

        let mut rows = vec![row(2, "101", "赵六", None), row(3, "102", "赵六", None)];
        let holders = propose_keys(&mut rows, &[]);
        assert_eq!((holders.len(), holders[0].notes.as_slice()), (1, &[HolderNote::NoPhone][..]));

        let mut rows = vec![
            row(2, "101", "王芳", Some("13912345678")),
            row(3, "102", "王芳", Some("13800000000")),
            row(4, "103", "王芳", None),
        ];
        let holders = propose_keys(&mut rows, &[]);
        assert_eq!(holders.len(), 3);
        assert_eq!(holders[2].notes, [HolderNote::SameNameOtherPhone, HolderNote::NoPhone]);
    }

    #[test]
    fn a_holder_already_in_the_roster_keeps_its_key() {
        let existing = [("张三".to_owned(), Some("13912345678".to_owned()), "H1".to_owned())];
        let mut rows = vec![row(2, "101", "张三", Some("13912345678")), row(3, "102", "李四", None)];
        let holders = propose_keys(&mut rows, &existing);
        assert_eq!(rows[0].holder_key, "H1");
        assert_eq!(holders[0].notes, [HolderNote::Existing]);
        assert_ne!(rows[1].holder_key, "H1");
    }

    #[test]
    fn the_developer_keeps_the_developer_key() {
        let mut rows = vec![row(2, "101", "开发商", None)];
        let holders = propose_keys(&mut rows, &[]);
        assert_eq!(rows[0].holder_key, "developer");
        assert!(holders[0].notes.is_empty());
        assert_eq!(mask_phone("13912345678"), "139****5678");
    }
}
