//! Field codes → human labels (Chinese and English), through a table that can grow.
//!
//! The built-in table (`assets/fields.csv`) follows the spirit of DZ/T 0226 (GHQBH, GHQMC, SZXZQ,
//! GHQMJ …). Users may add or override rows with a `fields.csv` of the same layout
//! (`code,zh,en`) in their configuration folder; unknown codes are shown as they are.

use std::collections::HashMap;

const BUILTIN: &str = include_str!("../../assets/fields.csv");

/// Chinese and English labels for a field code.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldLabel {
    /// Chinese label, e.g. 规划区名称.
    pub zh: String,
    /// English label.
    pub en: String,
}

/// The mapping table from field codes (case-insensitive) to labels.
#[derive(Debug, Clone, Default)]
pub struct FieldLabels {
    map: HashMap<String, FieldLabel>,
}

impl FieldLabels {
    /// The built-in table.
    pub fn builtin() -> Self {
        let mut labels = Self::default();
        // The built-in table is part of the program; a malformed row is a programming error
        // caught by the unit test below, so the count of problems is ignored here.
        let _ = labels.merge_csv(BUILTIN);
        labels
    }

    /// Add or override rows from CSV text `code,zh,en` (a header row starting with `code` is
    /// skipped). Returns the 1-based line numbers of rows that could not be used.
    pub fn merge_csv(&mut self, text: &str) -> Vec<usize> {
        let mut bad = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') || (i == 0 && line.starts_with("code,")) {
                continue;
            }
            let mut parts = line.splitn(3, ',');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(code), Some(zh), en) if !code.trim().is_empty() && !zh.trim().is_empty() => {
                    self.map.insert(
                        code.trim().to_ascii_uppercase(),
                        FieldLabel {
                            zh: zh.trim().to_owned(),
                            en: en.unwrap_or(zh).trim().to_owned(),
                        },
                    );
                }
                _ => bad.push(i + 1),
            }
        }
        bad
    }

    /// The built-in table with the user's `fields.csv` in `config_dir` merged in, and a message
    /// naming the file and the problem when it is there but unusable (unreadable, too large, not
    /// UTF-8: the built-in table alone) or has rows that are not `code,zh,en` (the good rows
    /// are used; the first bad line numbers are named).
    pub fn load_from(config_dir: Option<&std::path::Path>) -> (Self, Option<crate::text::Text>) {
        use crate::text::{Lang, Text};
        let mut labels = Self::builtin();
        let Some(path) = config_dir.map(|d| d.join("fields.csv")) else {
            return (labels, None);
        };
        match crate::user_config::read_user_file(&path) {
            Ok(None) => (labels, None),
            Err(e) => {
                let p = path.display();
                let note = Text::by_lang(|l| match l {
                    Lang::Zh => format!("{p}：{}；已使用内置字段名", e.in_lang(l)),
                    Lang::En => format!("{p}: {}; the built-in field names are used", e.in_lang(l)),
                });
                (labels, Some(note))
            }
            Ok(Some(text)) => {
                let bad = labels.merge_csv(&text);
                let note = (!bad.is_empty()).then(|| {
                    let first: Vec<String> = bad.iter().take(10).map(usize::to_string).collect();
                    let (p, n) = (path.display(), bad.len());
                    let (zh, en) = (first.join("、"), first.join(", "));
                    let (more_zh, more_en) = if n > 10 {
                        ("……", ", …")
                    } else {
                        ("", "")
                    };
                    crate::text!(
                        "{p}：{n} 行不是 `code,zh,en` 格式（第 {zh}{more_zh} 行）",
                        "{p}: {n} line(s) are not `code,zh,en` (lines {en}{more_en})"
                    )
                });
                (labels, note)
            }
        }
    }

    /// The label for a code, if known.
    pub fn get(&self, code: &str) -> Option<&FieldLabel> {
        self.map.get(&code.trim().to_ascii_uppercase())
    }

    /// The label in the chosen language, or the code itself when unknown.
    pub fn label(&self, code: &str, chinese: bool) -> String {
        match self.get(code) {
            Some(l) if chinese => l.zh.clone(),
            Some(l) => l.en.clone(),
            None => code.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses_cleanly() {
        let mut labels = FieldLabels::default();
        assert!(labels.merge_csv(BUILTIN).is_empty());
        assert_eq!(labels.label("GHQMC", true), "规划区名称");
        assert_eq!(labels.label("ghqmc", false), "Planning zone name");
        assert_eq!(labels.label("FOO", true), "FOO");
    }

    #[test]
    fn user_rows_extend_and_override() {
        let mut labels = FieldLabels::builtin();
        let bad =
            labels.merge_csv("code,zh,en\nKSMC,矿山名称,Mine name\nGHQMC,区名,Zone\nbroken\n");
        assert_eq!(bad, vec![4]);
        assert_eq!(labels.label("KSMC", true), "矿山名称");
        assert_eq!(labels.label("GHQMC", true), "区名");
    }

    #[test]
    fn bad_fields_files_are_named_and_never_fatal() {
        let dir = std::env::temp_dir().join(format!("taonan-fields-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("fields.csv");
        let builtin_zh = FieldLabels::builtin().label("GHQMC", true);
        std::fs::write(&path, b"code,zh,en\nGHQMC,\xff\xfe,x\n").expect("write");
        let (l, msg) = FieldLabels::load_from(Some(&dir));
        let en =
            |m: Option<crate::text::Text>| m.map(|m| m.in_lang(crate::text::Lang::En).to_owned());
        assert!(en(msg).is_some_and(|m| m.contains("fields.csv") && m.contains("UTF-8")));
        assert_eq!(l.label("GHQMC", true), builtin_zh);
        std::fs::write(&path, "x\n".repeat(600_000)).expect("write");
        let (_, msg) = FieldLabels::load_from(Some(&dir));
        assert!(en(msg).is_some_and(|m| m.contains("larger than")));
        std::fs::write(&path, "ABC,甲,A\nbad\n,,\n".repeat(20)).expect("write");
        let (l, msg) = FieldLabels::load_from(Some(&dir));
        let msg = en(msg).expect("a note");
        assert!(
            msg.contains("40 line(s)") && msg.contains("lines 2, 3, 5"),
            "{msg}"
        );
        assert_eq!(l.label("abc", true), "甲");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
