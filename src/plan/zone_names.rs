//! How a plan database's polygon is recognised as a zone of the plan: the fields that carry a
//! zone's code or name, and the normal forms they are compared in.
//!
//! Names are compared after [`normalise_name`]: full-width letters, digits and brackets become
//! half-width, spaces go, the leading "吉林省 / 白城市 / 洮南市 / 洮南" goes (a database often
//! writes the zone's name without the province or the city, or "洮南" for "洮南市"), and the
//! plan's own spelling variants (see `data/README.md`) are made one: 大通河乡 = 大通乡,
//! "…一带…" = "…", 建筑用石料 = 建筑用砂. Codes are compared after [`normalise_code`].

use crate::model::{Feature, LayerRole, ValueRef};

/// Fields that carry a zone's code, in the order they are tried (the bundled layers use
/// `GHQBH`; county databases use 区块编号 / `QKBH` and similar).
pub const CODE_FIELDS: &[&str] = &[
    "GHQBH",
    "QKBH",
    "GHKQBH",
    "KQBH",
    "XMBH",
    "规划区编号",
    "区块编号",
    "编号",
    "BH",
    "CODE",
];

/// Fields that carry a zone's name, in the order they are tried.
pub const NAME_FIELDS: &[&str] = &[
    "GHQMC",
    "QKMC",
    "KQMC",
    "XMMC",
    "规划区名称",
    "区块名称",
    "名称",
    "MC",
    "NAME",
];

/// Fields that say which kind of zone a polygon is (e.g. `GHQLB` = 重点开采区).
pub const KIND_FIELDS: &[&str] = &["GHQLB", "规划区类别", "QKLB", "区块类别", "LB"];

/// The plan's spelling variants, each written as (variant, the form both sides are made into).
pub const SPELLING_VARIANTS: &[(&str, &str)] = &[
    ("大通河乡", "大通乡"),
    ("一带", ""),
    ("建筑用石料", "建筑用砂"),
];

/// Prefixes dropped from the start of a name (in this order, each at most once).
const ADMIN_PREFIXES: &[&[&str]] = &[
    &["吉林省", "吉林"],
    &["白城市", "白城"],
    &["洮南市", "洮南"],
];

/// Full-width ASCII (U+FF01–U+FF5E) to half-width, the ideographic space to a space.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// The form a zone's name is compared in (see the module's doc). Empty for a blank name.
pub fn normalise_name(name: &str) -> String {
    let mut s: String = half_width(name)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '・' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    for group in ADMIN_PREFIXES {
        if let Some(p) = group.iter().find(|p| s.starts_with(**p)) {
            s = s[p.len()..].to_owned();
        }
    }
    s = s.replace("洮南市", "洮南");
    for (variant, common) in SPELLING_VARIANTS {
        s = s.replace(variant, common);
    }
    s
}

/// The form a zone's code is compared in: half-width, no spaces, upper case.
pub fn normalise_code(code: &str) -> String {
    half_width(code)
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

fn first_text(f: &Feature, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|k| {
        f.attr(k).and_then(|v| match v {
            ValueRef::Text(t) if !t.trim().is_empty() => Some(t.trim().to_owned()),
            // A numeric code field (区块编号 stored as N) is still a code.
            ValueRef::Number(n) => Some(crate::model::format_number(n)),
            _ => None,
        })
    })
}

/// A feature's code, as written (first non-empty [`CODE_FIELDS`] value).
pub fn code_of(f: &Feature) -> Option<String> {
    first_text(f, CODE_FIELDS)
}

/// A feature's name, as written (first non-empty [`NAME_FIELDS`] value).
pub fn name_of(f: &Feature) -> Option<String> {
    NAME_FIELDS
        .iter()
        .find_map(|k| f.attr(k).and_then(|v| v.as_text()))
        .map(|s| s.trim().to_owned())
}

/// The plan layer a text names (a kind field's value, or a file or layer name), if any:
/// 重点开采区, 集中开采区, 勘查规划区块, 开采规划区块 (or the bundled layers' English stems).
pub fn role_named(text: &str) -> Option<LayerRole> {
    let t = half_width(text).to_lowercase();
    if t.contains("重点开采") || t.contains("key_zone") {
        Some(LayerRole::KeyZones)
    } else if t.contains("集中开采") || t.contains("concentrated") {
        Some(LayerRole::ConcentratedZones)
    } else if t.contains("勘查") || t.contains("exploration") {
        Some(LayerRole::ExplorationBlocks)
    } else if t.contains("开采规划区块") || t.contains("开采区块") || t.contains("mining_block")
    {
        Some(LayerRole::MiningBlocks)
    } else {
        None
    }
}

/// The plan layer a feature says it belongs to, by its kind field ([`KIND_FIELDS`]).
pub fn role_of(f: &Feature) -> Option<LayerRole> {
    KIND_FIELDS
        .iter()
        .find_map(|k| f.attr(k).and_then(|v| v.as_text()))
        .and_then(role_named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_across_width_spaces_city_and_the_plans_variants() {
        let plan = normalise_name("吉林省白城市洮南市万宝镇一带煤炭重点开采区");
        assert_eq!(plan, "万宝镇煤炭重点开采区");
        assert_eq!(normalise_name("洮南 万宝镇煤炭重点开采区"), plan);
        assert_eq!(normalise_name("洮南市万宝镇一带煤炭　重点开采区"), plan);
        // 万宝乡 and 万宝镇 are two zones of the plan: never made one.
        assert_ne!(normalise_name("洮南市万宝乡一带煤炭重点开采区"), plan);
        assert_eq!(
            normalise_name("建筑用砂开采规划区块１（大通河乡）"),
            normalise_name("建筑用砂开采规划区块1(大通乡)")
        );
        assert_eq!(
            normalise_name("洮南市蛟流河乡建筑用石料集中开采区"),
            normalise_name("洮南蛟流河乡建筑用砂集中开采区")
        );
        assert_eq!(normalise_code(" ｃｓ００２ "), "CS002");
    }

    #[test]
    fn layer_names_give_the_plan_layer() {
        assert_eq!(
            role_named("规划数据库/重点开采区.shp"),
            Some(LayerRole::KeyZones)
        );
        assert_eq!(role_named("开采规划区块"), Some(LayerRole::MiningBlocks));
        assert_eq!(
            role_named("勘查规划区块"),
            Some(LayerRole::ExplorationBlocks)
        );
        assert_eq!(role_named("集中开采区"), Some(LayerRole::ConcentratedZones));
        assert_eq!(role_named("roads"), None);
    }
}
