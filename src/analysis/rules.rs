//! The overlap-check rules (`assets/rules.toml`, which users may copy to their configuration
//! folder and edit): which roles conflict, which containments are expected, tolerances.

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
    pub fn parse(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| format!("rules file: {e}"))
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
    pub fn load_user_or_builtin() -> (Self, Option<String>) {
        Self::load_from(crate::user_config::default_dir().as_deref())
    }

    /// The rules in `config_dir/rules.toml` if there is such a file, else the built-in ones
    /// (with a note when the file is there but unusable).
    pub fn load_from(config_dir: Option<&std::path::Path>) -> (Self, Option<String>) {
        let Some(path) = config_dir.map(|d| d.join("rules.toml")) else {
            return (Self::builtin(), None);
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => match Self::parse(&text) {
                Ok(r) => (r, None),
                Err(e) => (
                    Self::builtin(),
                    Some(format!(
                        "{}: {e}; the built-in rules are used",
                        path.display()
                    )),
                ),
            },
            Err(_) => (Self::builtin(), None),
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
        assert!(e.contains("min_area_m2"), "{e}");
    }
}
