//! The shape of `src/`, checked: only the edge (`src/http/`, `main.rs`, `lib.rs`) knows HTTP,
//! no area imports one of a higher layer, and no areas import each other in a circle.
//!
//! An area is a folder of `src/` or a file at its top. Imports are read from the source text:
//! every `crate::area` path and every name in a `use crate::{…}` group.
use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
};

/// The layers, lowest first. An area may import areas of its own layer (without a circle) and of
/// lower layers, never of a higher one.
const LAYERS: &[(&str, &[&str])] = &[
    ("kernel", &["error", "i18n", "text", "china_time", "markdown", "area", "entities", "policy", "db", "audit"]),
    ("community", &["auth", "accounts", "tenancy", "roster", "notices", "files"]),
    (
        "deliberation",
        &["verification", "votes", "questionnaires", "concerns", "agendas", "conventions", "meetings", "minutes"],
    ),
    ("operations", &["backup", "demo"]),
    ("edge", &["http"]),
    ("entry", &["lib", "main"]),
];

/// Crates that speak HTTP: only the edge and the entry points may name them.
const HTTP_CRATES: &[&str] = &["axum", "utoipa_axum", "utoipa_swagger_ui", "tower", "tower_http", "hyper"];

/// Files that may use the HTTP crates, relative to `src/`.
fn may_use_http(rel: &str) -> bool {
    rel.starts_with("http/") || rel == "main.rs" || rel == "lib.rs"
}

/// One import: the importing file, its line, the imported area.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Import {
    file: String,
    line: usize,
    area: String,
}

/// Source text with comments, strings and character literals blanked (lines kept), so that
/// only code is read.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    out.extend(b"  ");
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    out.extend(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && !ident(b, i) {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                out.push(b[i]);
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            let start = i + 2 + hashes;
            let end =
                b[start..].windows(close.len()).position(|w| w == close.as_slice()).map_or(b.len(), |p| start + p);
            for &c in &b[i..(end + close.len()).min(b.len())] {
                blank(&mut out, c);
            }
            i = (end + close.len()).min(b.len());
        } else if b[i] == b'"' {
            blank(&mut out, b[i]);
            i += 1;
            while i < b.len() && b[i] != b'"' {
                let step = if b[i] == b'\\' { 2 } else { 1 };
                for &c in &b[i..(i + step).min(b.len())] {
                    blank(&mut out, c);
                }
                i += step;
            }
            if i < b.len() {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if b[i] == b'\'' && char_literal_len(&b[i..]).is_some() {
            let n = char_literal_len(&b[i..]).unwrap_or(1);
            out.extend(std::iter::repeat_n(b' ', n));
            i += n;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether the byte before `i` continues an identifier (so `r"` there is not a raw string).
fn ident(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// The length of a character literal at the start of `b` (`'a'`, `'\n'`, `'"'`, `'业'`), or
/// `None` for a lifetime.
fn char_literal_len(b: &[u8]) -> Option<usize> {
    if b.get(1) == Some(&b'\\') {
        return b[2..].iter().position(|&c| c == b'\'').map(|p| p + 3);
    }
    let len = match b.get(1)? {
        c if *c < 0x80 => 1,
        c if *c >= 0xF0 => 4,
        c if *c >= 0xE0 => 3,
        _ => 2,
    };
    (b.get(1 + len) == Some(&b'\'')).then_some(len + 2)
}

/// The areas `code` imports, each with its line.
fn imports(code: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let line_of = |pos: usize| code[..pos].matches('\n').count() + 1;
    for (pos, _) in code.match_indices("crate::") {
        if pos > 0 && code[..pos].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[pos + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            let offset = pos + "crate::{".len();
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        push_head(&mut found, &group[start..k], line_of(offset + start));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        push_head(&mut found, &group[start..k], line_of(offset + start));
                        start = k + 1;
                    }
                    _ => {}
                }
            }
        } else {
            push_head(&mut found, rest, line_of(pos));
        }
    }
    found
}

/// The first path segment of `path`, when it names an area.
fn push_head(found: &mut Vec<(usize, String)>, path: &str, line: usize) {
    let head: String = path.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    if !head.is_empty() && head != "self" && head.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        let blank_lines = path.chars().take_while(|c| c.is_whitespace()).filter(|&c| c == '\n').count();
        found.push((line + blank_lines, head));
    }
}

/// Where `code` names an HTTP crate, with its line.
fn http_uses(code: &str) -> Vec<(usize, &'static str)> {
    let mut found = Vec::new();
    for (n, line) in code.lines().enumerate() {
        for krate in HTTP_CRATES {
            let named = line.match_indices(krate).any(|(p, _)| {
                let before = line[..p].chars().next_back();
                let after = &line[p + krate.len()..];
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                    && (after.starts_with("::")
                        || (line.trim_start().starts_with("use ") && after.starts_with([';', ' '])))
            });
            if named {
                found.push((n + 1, *krate));
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The area of a file, from its path relative to `src/`.
fn area_of(rel: &str) -> String {
    match rel.split_once('/') {
        Some((folder, _)) => folder.to_owned(),
        None => rel.trim_end_matches(".rs").to_owned(),
    }
}

fn layer_of(area: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, areas)| areas.contains(&area))
}

/// Every breach of the shape in the files `(relative path, text)`, as sentences.
fn breaches(files: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut graph: BTreeMap<String, BTreeMap<String, Import>> = BTreeMap::new();
    for (rel, text) in files {
        let code = code_only(text);
        let area = area_of(rel);
        if !may_use_http(rel) {
            for (line, krate) in http_uses(&code) {
                problems.push(format!("src/{rel}:{line} uses {krate}: only src/http/ speaks HTTP"));
            }
        }
        let Some(mine) = layer_of(&area) else {
            problems.push(format!("src/{rel}: area `{area}` is in no layer; add it to LAYERS in tests/layers.rs"));
            continue;
        };
        for (line, target) in imports(&code) {
            if target == area {
                continue;
            }
            let Some(theirs) = layer_of(&target) else { continue };
            if theirs > mine {
                problems.push(format!(
                    "src/{rel}:{line} imports `{target}` ({}) from `{area}` ({}): a lower layer never imports a higher one",
                    LAYERS[theirs].0, LAYERS[mine].0
                ));
            }
            graph.entry(area.clone()).or_default().entry(target.clone()).or_insert(Import {
                file: rel.clone(),
                line,
                area: target,
            });
        }
    }
    if let Some(circle) = find_circle(&graph) {
        let steps: Vec<String> = circle
            .windows(2)
            .map(|w| {
                let i = &graph[&w[0]][&w[1]];
                format!("{} → {} (src/{}:{})", w[0], i.area, i.file, i.line)
            })
            .collect();
        problems.push(format!("areas import each other in a circle: {}", steps.join(", ")));
    }
    problems
}

/// A circle in the import graph, as the areas along it (the first repeated at the end).
fn find_circle(graph: &BTreeMap<String, BTreeMap<String, Import>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeMap<String, Import>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flat_map(|m| m.keys()) {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|start| visit(start, graph, &mut Vec::new(), &mut done))
}

#[test]
fn src_keeps_http_at_the_edge_and_imports_only_downward() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(&root).expect("under src").to_string_lossy().replace('\\', "/");
            (rel, fs::read_to_string(p).expect("read"))
        })
        .collect();
    assert!(files.len() > 50, "read the whole of src/");
    let problems = breaches(&files);
    assert!(problems.is_empty(), "the shape of src/ is broken:\n  {}", problems.join("\n  "));
}

fn file(rel: &str, text: &str) -> (String, String) {
    (rel.to_owned(), text.to_owned())
}

#[test]
fn a_domain_area_using_axum_is_named_with_its_line() {
    let problems = breaches(&[file("votes/ops.rs", "//! votes\nuse axum::Json;\n")]);
    assert_eq!(problems, ["src/votes/ops.rs:2 uses axum: only src/http/ speaks HTTP"]);
    assert!(breaches(&[file("http/votes.rs", "use axum::Json;\n")]).is_empty());
    assert!(breaches(&[file("votes/ops.rs", "// axum::Json in a comment\nlet s = \"axum::x\";\n")]).is_empty());
}

#[test]
fn an_import_from_a_higher_layer_is_refused() {
    let problems = breaches(&[file("tenancy/mod.rs", "fn f() {\n    crate::concerns::seed_categories();\n}\n")]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("src/tenancy/mod.rs:2 imports `concerns` (deliberation) from `tenancy`"));
    let grouped = breaches(&[file("roster/mod.rs", "use crate::{\n    error::AppError,\n    http::AppState,\n};\n")]);
    assert_eq!(grouped.len(), 1, "{grouped:?}");
    assert!(grouped[0].starts_with("src/roster/mod.rs:3 imports `http`"), "{grouped:?}");
}

#[test]
fn areas_of_one_layer_importing_each_other_make_a_circle() {
    let problems = breaches(&[
        file("votes/mod.rs", "use crate::concerns::X;\n"),
        file("concerns/mod.rs", "use crate::{agendas::Y};\n"),
        file("agendas/mod.rs", "use crate::votes::Z;\n"),
    ]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("areas import each other in a circle: "), "{problems:?}");
    assert!(problems[0].contains("agendas → votes (src/agendas/mod.rs:1)"), "{problems:?}");
}

#[test]
fn an_area_in_no_layer_must_be_placed() {
    let problems = breaches(&[file("pledges/mod.rs", "")]);
    assert_eq!(problems, ["src/pledges/mod.rs: area `pledges` is in no layer; add it to LAYERS in tests/layers.rs"]);
}

#[test]
fn strings_lifetimes_and_char_literals_do_not_hide_code() {
    let code = code_only("fn f<'a>(x: &'a str) -> char { let _ = \"crate::http\"; '\"' }\nuse crate::votes::X;\n");
    assert_eq!(imports(&code), [(2, "votes".to_owned())]);
    let raw = code_only("let s = r#\"crate::http \"quoted\"\"#;\nuse crate::db;\n");
    assert_eq!(imports(&raw), [(2, "db".to_owned())]);
}
