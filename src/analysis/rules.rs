//! The overlap-check rules (`assets/rules.toml`, which users may copy to their configuration
//! folder and edit): which roles conflict, which containments are expected, tolerances.

use crate::text::{Lang, Text};
use serde::Deserialize;

const BUILTIN: &str = include_str!("../../assets/rules.toml");

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// 错误.
    Error,
    /// 警告.
    Warning,
    /// 提示.
    Info,
}

impl Severity {
    /// Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }

    /// English key (JSON).
    pub fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Most rules a rules file may hold (same-layer, containment and conflict rules together).
pub const MAX_RULES: usize = 1000;

/// Sliver tolerances.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
pub struct Tolerance {
    /// Overlaps below this many m² are dropped.
    pub min_area_m2: f64,
    /// Overlaps below this share of the smaller feature are dropped.
    pub min_share: f64,
}

/// Features that must lie inside the city boundary.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BoundaryRule {
    /// Severity of a feature leaving the boundary.
    pub severity: Severity,
    /// Roles checked.
    pub roles: Vec<String>,
}

/// Same-layer overlaps of one role.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SameLayerRule {
    /// Role.
    pub role: String,
    /// Severity.
    pub severity: Severity,
    /// Relation text.
    pub relation: String,
}

/// An expected containment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ContainmentRule {
    /// Role of the contained feature.
    pub inner: String,
    /// Role of the container.
    pub outer: String,
    /// Whether the minerals must match.
    #[serde(default)]
    pub same_mineral: bool,
    /// Relation text.
    pub relation: String,
}

/// A conflict between two roles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ConflictRule {
    /// One role.
    pub a: String,
    /// The other role.
    pub b: String,
    /// Severity.
    pub severity: Severity,
    /// Relation text.
    pub relation: String,
}

/// The whole rule table.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Rules {
    /// Sliver tolerances.
    pub tolerance: Tolerance,
    /// Boundary rule.
    pub boundary: BoundaryRule,
    /// Same-layer rules.
    #[serde(default)]
    pub same_layer: Vec<SameLayerRule>,
    /// Expected containments.
    #[serde(default)]
    pub containment: Vec<ContainmentRule>,
    /// Conflicts.
    #[serde(default)]
    pub conflict: Vec<ConflictRule>,
}

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Self {
        // The built-in file is part of the program and checked by a unit test.
        Self::parse(BUILTIN).unwrap_or_else(|_| Self::empty())
    }

    /// Parse a rules file; the error names the problem and its place.
    pub fn parse(text: &str) -> Result<Self, Text> {
        // The TOML reader's own message (which names the line) has one wording.
        let rules: Self =
            toml::from_str(text).map_err(|e| crate::text!("规则文件：{e}", "rules file: {e}"))?;
        rules.check()?;
        Ok(rules)
    }

    /// Values the analysis cannot use: a tolerance that is not a finite number ≥ 0 (a share
    /// over 1), or more than [`MAX_RULES`] rules.
    fn check(&self) -> Result<(), Text> {
        let t = self.tolerance;
        let (area, share) = (t.min_area_m2, t.min_share);
        if !(area.is_finite() && area >= 0.0) {
            return Err(crate::text!(
                "规则文件：[tolerance] min_area_m2 = {area} 不是 ≥ 0 的有限数值",
                "rules file: [tolerance] min_area_m2 = {area} is not a finite number ≥ 0"
            ));
        }
        if !(0.0..=1.0).contains(&share) {
            return Err(crate::text!(
                "规则文件：[tolerance] min_share = {share} 不是 0 到 1 之间的比例",
                "rules file: [tolerance] min_share = {share} is not a share between 0 and 1"
            ));
        }
        let n = self.same_layer.len() + self.containment.len() + self.conflict.len();
        if n > MAX_RULES {
            return Err(crate::text!(
                "规则文件：{n} 条规则，超过分析所能接受的 {MAX_RULES} 条",
                "rules file: {n} rules, more than the {MAX_RULES} the analysis takes"
            ));
        }
        Ok(())
    }

    /// Rules that find nothing.
    pub fn empty() -> Self {
        Self {
            tolerance: Tolerance {
                min_area_m2: 5.0,
                min_share: 1e-4,
            },
            boundary: BoundaryRule {
                severity: Severity::Warning,
                roles: Vec::new(),
            },
            same_layer: Vec::new(),
            containment: Vec::new(),
            conflict: Vec::new(),
        }
    }

    /// The user's rules file (`<config>/taonan-map/rules.toml`) if present, else the built-in.
    pub fn load_user_or_builtin() -> (Self, Option<Text>) {
        Self::load_from(crate::user_config::default_dir().as_deref())
    }

    /// The rules in `config_dir/rules.toml` if there is such a file, else the built-in ones
    /// (with a note when the file is there but unusable).
    pub fn load_from(config_dir: Option<&std::path::Path>) -> (Self, Option<Text>) {
        let Some(path) = config_dir.map(|d| d.join("rules.toml")) else {
            return (Self::builtin(), None);
        };
        match crate::user_config::read_user_file(&path).and_then(|t| match t {
            Some(text) => Self::parse(&text).map(Some),
            None => Ok(None),
        }) {
            Ok(Some(r)) => (r, None),
            Ok(None) => (Self::builtin(), None),
            Err(e) => {
                let p = path.display();
                let note = Text::by_lang(|l| match l {
                    Lang::Zh => format!("{p}：{}；已使用内置规则", e.in_lang(l)),
                    Lang::En => format!("{p}: {}; the built-in rules are used", e.in_lang(l)),
                });
                (Self::builtin(), Some(note))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_parse() {
        let r = Rules::parse(BUILTIN).expect("built-in rules parse");
        assert!(
            r.same_layer
                .iter()
                .any(|s| s.role == "mining_blocks" && s.severity == Severity::Error)
        );
        assert!(
            r.containment
                .iter()
                .any(|c| c.inner == "mining_blocks" && c.outer == "key_zones")
        );
        assert!(
            r.conflict
                .iter()
                .any(|c| c.a == "exploration_blocks" && c.b == "mining_blocks")
        );
    }

    #[test]
    fn a_broken_rules_file_says_where() {
        let e = Rules::parse("[tolerance]\nmin_area_m2 = \"five\"\n").expect_err("must fail");
        assert!(
            e.in_lang(crate::text::Lang::En).contains("min_area_m2"),
            "{e:?}"
        );
        assert!(
            e.in_lang(crate::text::Lang::Zh).starts_with("规则文件："),
            "{e:?}"
        );
    }

    /// Bad, huge and overflowing rules files: the built-in rules and a message naming the file
    /// and the problem.
    #[test]
    fn bad_rules_files_give_the_builtin_rules_and_say_why() {
        let dir = std::env::temp_dir().join(format!("taonan-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let tol = |a: &str, s: &str| {
            format!(
                "[tolerance]\nmin_area_m2 = {a}\nmin_share = {s}\n[boundary]\nseverity = \"warning\"\nroles = []\n"
            )
        };
        let many: String = tol("5.0", "0.0001")
            + &"[[conflict]]\na = \"x\"\nb = \"y\"\nseverity = \"error\"\nrelation = \"r\"\n"
                .repeat(MAX_RULES + 1);
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (tol("nan", "0.1").into_bytes(), "min_area_m2"),
            (tol("-inf", "0.1").into_bytes(), "min_area_m2"),
            (tol("5", "2.5").into_bytes(), "min_share"),
            (tol("1e999", "0.1").into_bytes(), "min_area_m2"),
            (
                tol("99999999999999999999", "0.1").into_bytes(),
                "min_area_m2",
            ),
            (many.into_bytes(), "more than"),
            (vec![0xff, 0xfe, 0x00], "UTF-8"),
            (
                vec![b' '; (crate::user_config::MAX_USER_FILE + 1) as usize],
                "larger than",
            ),
        ];
        for (bytes, want) in cases {
            std::fs::write(dir.join("rules.toml"), &bytes).expect("write");
            let (rules, msg) = Rules::load_from(Some(&dir));
            assert_eq!(rules, Rules::builtin());
            let msg = msg.expect("a message");
            let en = msg.in_lang(crate::text::Lang::En);
            assert!(
                en.contains("rules.toml") && en.contains(want),
                "{want}: {en}"
            );
            assert!(
                msg.in_lang(crate::text::Lang::Zh)
                    .ends_with("已使用内置规则")
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
