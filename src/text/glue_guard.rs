//! The guard against glued bilingual strings: no string literal in the core (all of `src/`
//! but the window, `src/gui/`) holds Chinese, then ` / ` or `/ `, then English, the shape of
//! `"载入已取消 / loading cancelled"`. Core messages are [`super::Text`] values instead. The few
//! literals that must show both languages at once are listed in [`ALLOWED`] with the reason.

use std::path::{Path, PathBuf};

/// Literals that stay bilingual on purpose: (file under `src/`, a piece of the literal, why).
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "io/zip_input.rs",
        "名称编码无法识别",
        "part of a zip member's name, not a message: the name is the member's key (the reader \
         finds the member by it) and its layer's source in every language",
    ),
    (
        "analysis/measurement.rs",
        "量测",
        "the provenance source of a measured feature, stored with it and exported as its SJLY \
         attribute: data read in either language",
    ),
    (
        "cli.rs",
        "--lang 只能是",
        "the error of a bad --lang value: the language is not known yet, so both are said",
    ),
    (
        "render/mod.rs",
        "图中规划区块位置为示意",
        "printed on exported maps and report pages (PNG, SVG, PDF), documents read in either \
         language",
    ),
    (
        "render/check_report/finding_page.rs",
        "位置总图",
        "a heading of the PDF check report, one document for readers of either language",
    ),
    (
        "render/check_report/sections.rs",
        " / ",
        "the headings of the PDF check report, one document for readers of either language",
    ),
];

/// Whether `c` is a CJK ideograph.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Whether a literal's content reads "中文 / English": Chinese before a `/ `, a Latin letter
/// after it.
fn glued(literal: &str) -> bool {
    literal
        .match_indices("/ ")
        .any(|(at, _)| literal[..at].chars().any(is_han) && words_after(&literal[at..]))
}

/// Whether `rest` holds a Latin letter outside `{…}` format placeholders (`{total}` is no word).
fn words_after(rest: &str) -> bool {
    let mut depth = 0usize;
    rest.chars().any(|c| {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0 && c.is_ascii_alphabetic()
    })
}

/// The string literals of a Rust file with the line each begins on (1-based): plain, raw and
/// byte strings, over several lines too; comments and character literals are skipped.
fn literals(code: &str) -> Vec<(usize, &str)> {
    let bytes = code.as_bytes();
    let line_at = |i: usize| code[..i].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = code[i..].find('\n').map_or(bytes.len(), |n| i + n);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = code[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
            }
            b'\'' => {
                // A character literal ('"', '\'', '\u{..}'), else a lifetime.
                let close = match bytes.get(i + 1) {
                    Some(b'\\') => code[i + 2..].find('\'').map(|n| i + 2 + n),
                    Some(_) => {
                        let c = code[i + 1..].chars().next().map_or(1, char::len_utf8);
                        (bytes.get(i + 1 + c) == Some(&b'\'')).then_some(i + 1 + c)
                    }
                    None => None,
                };
                i = close.map_or(i + 1, |c| c + 1);
            }
            b'r' if !ident_before(bytes, i) && matches!(bytes.get(i + 1), Some(b'"' | b'#')) => {
                let hashes = bytes[i + 1..].iter().take_while(|b| **b == b'#').count();
                let open = i + 1 + hashes;
                if bytes.get(open) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let end = format!("\"{}", "#".repeat(hashes));
                let close = code[open + 1..]
                    .find(&end)
                    .map_or(bytes.len(), |n| open + 1 + n);
                out.push((line_at(i), &code[open + 1..close]));
                i = close + end.len();
            }
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = j.min(bytes.len());
                out.push((line_at(i), &code[start..end]));
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// Whether the byte before `i` continues an identifier (so an `r` there is no raw string).
fn ident_before(bytes: &[u8], i: usize) -> bool {
    i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_')
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_core_glues_no_two_languages_into_one_string() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut found = Vec::new();
    let mut used = vec![false; ALLOWED.len()];
    for f in &files {
        let rel = f.strip_prefix(&src).map_or_else(
            |_| f.display().to_string(),
            |r| r.to_string_lossy().replace('\\', "/"),
        );
        if rel.starts_with("gui/") || rel == "text/glue_guard.rs" {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (n, lit) in literals(&text) {
            if glued(lit) {
                match ALLOWED
                    .iter()
                    .position(|(file, piece, _)| *file == rel && lit.contains(piece))
                {
                    Some(k) => used[k] = true,
                    None => found.push(format!("src/{rel}:{n}: \"{lit}\"")),
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "{} glued bilingual string(s); make them `text!` values (or list them in ALLOWED with \
         the reason):\n{}",
        found.len(),
        found.join("\n")
    );
    let stale: Vec<_> = ALLOWED
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|((f, p, _), _)| format!("{f}: {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "ALLOWED entries no longer found: {stale:?}"
    );
}

#[test]
fn the_guard_sees_glue_and_nothing_else() {
    assert!(glued("载入已取消 / loading cancelled"));
    assert!(glued("{shown}: 不支持的文件类型 / unsupported file type"));
    assert!(!glued("载入已取消"));
    assert!(!glued("a / b"));
    assert!(!glued("吉林省 / 白城市"));
    assert!(!glued("发现 {n} / {total}　［{}］{}"));
    assert_eq!(
        literals("f(\"甲 / A\", \"b\\\"c\", '\"', 'x) // \"乙 / B\""),
        vec![(1, "甲 / A"), (1, r#"b\"c"#)]
    );
    assert!(literals("    /// \"乙 / B\"\n/* \"丙 / C\" */").is_empty());
    assert_eq!(
        literals("x\nr#\"丁 \"/ D\"#; \"戊\\\n / E\""),
        vec![(2, "丁 \"/ D"), (2, "戊\\\n / E")]
    );
}
