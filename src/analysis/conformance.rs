//! Plan conformance of a surveyed mining right: is it inside a mining planning block of the same
//! mineral, does it touch an exploration block, is it in a key or concentrated zone, does it
//! cross the city boundary — and the plan's targets that apply to its mineral (专栏3, 8, 9 and
//! the concentrated-zone rule), quoted from the plan.

use crate::analysis::overlap::{Finding, Findings, analysis_role, mineral};
use crate::model::catalog::{Catalog, FeatureRef};

/// One line of the verdict.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Whether this check is passed (true) or fails / needs attention (false).
    pub ok: bool,
    /// What was checked and what was found, in Chinese.
    pub text: String,
}

/// The conformance of one feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Conformance {
    /// The feature.
    pub feature: FeatureRef,
    /// Its mineral, if its attributes name one.
    pub mineral: Option<String>,
    /// The checks, in a fixed order.
    pub checks: Vec<Check>,
    /// The plan's targets for its mineral, quoted.
    pub targets: Vec<String>,
}

fn name(catalog: &Catalog, r: FeatureRef) -> String {
    catalog
        .feature(r)
        .map(|f| f.display_name(r.feature))
        .unwrap_or_default()
}

fn role_of(catalog: &Catalog, r: FeatureRef) -> String {
    catalog
        .layers
        .get(r.layer)
        .map(|l| analysis_role(l))
        .unwrap_or_default()
}

/// The plan's targets that apply to a mineral (the plan's words, with their table).
pub fn targets_for(mineral: Option<&str>) -> Vec<String> {
    let m = mineral.unwrap_or("");
    let mut t =
        vec!["专栏3：矿山总数量 2025年 27 个（约束性）；大中型矿山比例 93%（预期性）".to_owned()];
    if m.contains('煤') {
        t.push("专栏9：煤炭最低开采规模 大 120、中 60 万吨/年；技改提能矿山不得低于30万吨".into());
    } else if m.contains('铜') {
        t.push("专栏9：铜矿最低开采规模 大 100、中 30、小 3 万吨/年".into());
    } else if m.contains("砂") {
        t.push("专栏9：建筑用砂最低开采规模 大 30、中 10 万立方米/年".into());
        t.push("专栏8：建筑用砂 2025年 产量 200 万立方米、矿山数 11（预期性）".into());
    } else if m.contains("石料") || m.contains("凝灰岩") || m.contains("玄武岩") || m.contains("石")
    {
        t.push("专栏9：建筑用石料最低开采规模 大 30 万立方米/年".into());
        t.push("专栏8：建筑用石料 2025年 产量 300 万立方米、矿山数 10（预期性）".into());
    }
    t
}

/// The feature other than `r` in a finding about `r`.
fn other_than(f: &Finding, r: FeatureRef) -> Option<FeatureRef> {
    if f.a == r { f.b } else { Some(f.a) }
}

/// Does feature `r` lie inside a mining planning block of its mineral (`blocks`: its findings
/// with such blocks)?
fn mining_block_check(catalog: &Catalog, r: FeatureRef, blocks: &[&Finding]) -> Check {
    let inside_same: Vec<String> = blocks
        .iter()
        .filter(|f| f.rule == "containment")
        .filter_map(|f| other_than(f, r))
        .map(|o| name(catalog, o))
        .collect();
    if let Some(b) = inside_same.first() {
        Check {
            ok: true,
            text: format!("位于同矿种开采规划区块内：{b}"),
        }
    } else if let Some(f) = blocks.first() {
        let o = other_than(f, r)
            .map(|o| name(catalog, o))
            .unwrap_or_default();
        Check {
            ok: false,
            text: format!("与开采规划区块「{o}」关系：{}", f.relation),
        }
    } else {
        Check {
            ok: false,
            text: "不在任何开采规划区块内".into(),
        }
    }
}

/// Does feature `r` stay clear of the exploration planning blocks (`expl`: its findings with
/// them)?
fn exploration_check(catalog: &Catalog, r: FeatureRef, expl: &[&Finding]) -> Check {
    match expl.first() {
        Some(f) => Check {
            ok: false,
            text: format!(
                "与勘查规划区块「{}」重叠 {:.1} m²",
                other_than(f, r)
                    .map(|o| name(catalog, o))
                    .unwrap_or_default(),
                f.area_m2
            ),
        },
        None => Check {
            ok: true,
            text: "不与勘查规划区块重叠".into(),
        },
    }
}

/// The conformance of a feature from the analysis's findings.
pub fn of(catalog: &Catalog, findings: &Findings, r: FeatureRef) -> Conformance {
    let m = catalog.feature(r).and_then(mineral);
    let related: Vec<_> = findings.of(r).collect();
    let other = |f: &Finding| other_than(f, r);
    let with_role = |role: &str| -> Vec<&Finding> {
        related
            .iter()
            .copied()
            .filter(|f| other(f).is_some_and(|o| role_of(catalog, o) == role))
            .collect()
    };
    let mut checks = Vec::new();

    checks.push(mining_block_check(catalog, r, &with_role("mining_blocks")));
    checks.push(exploration_check(
        catalog,
        r,
        &with_role("exploration_blocks"),
    ));

    for (role, label) in [
        ("key_zones", "重点开采区"),
        ("concentrated_zones", "集中开采区"),
    ] {
        let zones = with_role(role);
        let text = match zones.iter().find(|f| f.rule == "containment") {
            Some(f) => format!(
                "位于{label}「{}」内",
                other(f).map(|o| name(catalog, o)).unwrap_or_default()
            ),
            None if zones.is_empty() => format!("不在{label}内"),
            None => format!("与{label}关系：{}", zones[0].relation),
        };
        let ok = zones.iter().all(|f| f.rule == "containment");
        checks.push(Check { ok, text });
    }
    let in_concentrated = with_role("concentrated_zones")
        .iter()
        .any(|f| f.rule == "containment");

    let outside: Vec<_> = related.iter().filter(|f| f.rule == "boundary").collect();
    checks.push(match outside.first() {
        Some(f) => Check {
            ok: false,
            text: format!("{}，界外面积 {:.1} m²", f.relation, f.area_m2),
        },
        None => Check {
            ok: true,
            text: "位于洮南市界内".into(),
        },
    });

    let mut targets = targets_for(m);
    if in_concentrated {
        targets.push("集中开采区：新建、扩建矿山最低开采规模不低于30万立方米/年".into());
    }
    Conformance {
        feature: r,
        mineral: m.map(str::to_owned),
        checks,
        targets,
    }
}

/// Conformance of every surveyed mining right in the catalog.
pub fn all(catalog: &Catalog, findings: &Findings) -> Vec<Conformance> {
    catalog
        .layers
        .iter()
        .enumerate()
        .filter(|(_, l)| analysis_role(l) == "surveyed_mining_right")
        .flat_map(|(li, l)| {
            (0..l.features.len()).map(move |fi| FeatureRef {
                layer: li,
                feature: fi,
            })
        })
        .map(|r| of(catalog, findings, r))
        .collect()
}
