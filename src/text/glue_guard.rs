//! The guard against glued bilingual strings: no string literal in the core (all of `src/`
//! but the window, `src/gui/`) holds Chinese, then ` / ` or `/ `, then English, the shape of
//! `"载入已取消 / loading cancelled"`. Core messages are [`super::Text`] values instead. The few
//! literals that must show both languages at once are listed in [`ALLOWED`] with the reason.

use std::path::{Path, PathBuf};

/// Literals that stay bilingual on purpose: (file under `src/`, a piece of the literal, why).
const ALLOWED: &[(&str, &str, &str)] = &[];

/// Files whose glued literals are not converted yet, with how many they hold: the count must
/// match exactly (lower it as literals are converted, never raise it; the goal is none).
const PENDING: &[(&str, usize)] = &[
    ("analysis/measurement.rs", 1),
    ("cli.rs", 8),
    ("cli/convert.rs", 8),
    ("crs/crs_guess.rs", 10),
    ("crs/grid_transform.rs", 5),
    ("crs/local_grid.rs", 4),
    ("io/coord_check.rs", 15),
    ("io/corners/block_string.rs", 1),
    ("io/corners/common.rs", 1),
    ("io/corners/land_survey.rs", 2),
    ("io/corners/mod.rs", 1),
    ("io/corners/point_table.rs", 2),
    ("io/crs_decision.rs", 2),
    ("io/dxf/mod.rs", 13),
    ("io/geojson_in.rs", 16),
    ("io/gpkg/mod.rs", 1),
    ("io/kml_in.rs", 18),
    ("io/loader.rs", 6),
    ("io/shp/to_geo.rs", 1),
    ("io/write/atomic.rs", 1),
    ("io/write/dbf.rs", 1),
    ("io/write/findings.rs", 1),
    ("io/write/mod.rs", 2),
    ("io/write/shapefile.rs", 4),
    ("io/write/xlsx.rs", 1),
    ("io/zip_input.rs", 1),
    ("main.rs", 1),
    ("model/mod.rs", 1),
    ("output.rs", 6),
    ("plan/apply_database.rs", 1),
    ("plan/zone_match.rs", 9),
    ("render/check_report/finding_page.rs", 2),
    ("render/check_report/mod.rs", 1),
    ("render/check_report/sections.rs", 6),
    ("render/mod.rs", 1),
    ("tiles/local.rs", 4),
    ("tiles/source.rs", 1),
    ("user_config.rs", 5),
];

/// Whether `c` is a CJK ideograph.
fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Whether a literal's content reads "中文 / English": Chinese before a `/ `, a Latin letter
/// after it.
fn glued(literal: &str) -> bool {
    literal.match_indices("/ ").any(|(at, _)| {
        literal[..at].chars().any(is_han) && literal[at..].chars().any(|c| c.is_ascii_alphabetic())
    })
}

/// The string literals of one line of Rust (escaped quotes kept inside; comments skipped).
fn literals(line: &str) -> Vec<&str> {
    let code = line.trim_start();
    if code.starts_with("//") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (start, c) {
            (None, '/') if line[i..].starts_with("//") => break,
            (None, '"') => start = Some(i + 1),
            (Some(s), '"') if !escaped => {
                out.push(&line[s..i]);
                start = None;
            }
            _ => {}
        }
        escaped = c == '\\' && !escaped;
    }
    out
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
    let mut counts: Vec<(String, usize)> = Vec::new();
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
        for (n, line) in text.lines().enumerate() {
            for lit in literals(line).into_iter().filter(|l| glued(l)) {
                match ALLOWED
                    .iter()
                    .position(|(file, piece, _)| *file == rel && lit.contains(piece))
                {
                    Some(k) => used[k] = true,
                    None => {
                        found.push((rel.clone(), format!("src/{rel}:{}: \"{lit}\"", n + 1)));
                        match counts.last_mut() {
                            Some((f, c)) if *f == rel => *c += 1,
                            _ => counts.push((rel.clone(), 1)),
                        }
                    }
                }
            }
        }
    }
    let pending_count = |f: &str| PENDING.iter().find(|(p, _)| *p == f).map_or(0, |(_, c)| *c);
    let found: Vec<String> = found
        .into_iter()
        .filter(|(f, _)| pending_count(f) == 0)
        .map(|(_, l)| l)
        .collect();
    let miscounted: Vec<String> = PENDING
        .iter()
        .filter_map(|(p, c)| {
            let n = counts.iter().find(|(f, _)| f == p).map_or(0, |(_, n)| *n);
            (n != *c).then(|| format!("{p}: {n} glued, PENDING says {c}"))
        })
        .collect();
    assert!(miscounted.is_empty(), "update PENDING: {miscounted:?}");
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
    assert_eq!(
        literals(r#"f("甲 / A", "b\"c") // "乙 / B""#),
        vec!["甲 / A", r#"b\"c"#]
    );
    assert!(literals(r#"    /// "乙 / B""#).is_empty());
}
