//! The plan's zones as published in 《洮南市矿产资源规划（2021-2025年）》 (`seeds/`), with their
//! attributes in the plan's own words, and the schematic placement the plan does not give.
//!
//! Every attribute below is copied from the plan's tables 专栏4–7 (or its running text where
//! noted), including its own inconsistencies (建筑用石料 vs 建筑用砂, 大通河乡 vs 大通乡, the
//! 勘查矿种 header of 专栏7). What the plan does not say (a block's township when a table lists
//! several, a block's size, any position) is a schematic choice documented in `data/README.md`
//! and flagged on each feature.
//!
//! The plan folder:
//! - this module: the zones' attributes from the plan's tables.
//! - [`placement`]: where the schematic squares go (by township seat).
//! - `datagen`: writes the bundled layers in `data/` from the sources and the plan (feature
//!   `test-support`: the `gen-data` tool and the tests).
//! - [`sources`]: the real boundaries and township seats (`data/sources/`, GCJ-02 → CGCS2000).
//! - [`bundled`]: the layers in `data/`, embedded in the program.
//! - `fixtures`: small surveyors' files for tests, demos and bug reports (feature
//!   `test-support`).
//! - [`database`]: the plan's own database (县级矿产资源规划数据库) read as the plan, in place
//!   of the schematic zones.
//! - [`zone_names`]: the code and name fields of a database polygon and their normal forms.
//! - [`zone_match`]: the matching table (by code, by name, unmatched, conflicts, overrides).
//! - [`apply_database`]: matched zones take the database's geometry and provenance.
//! - [`database_fixture`]: a plan database made from the bundled zones, for tests and demos.

pub mod apply_database;
pub mod bundled;
pub mod database;
#[cfg(any(test, feature = "test-support"))]
pub mod database_fixture;
#[cfg(any(test, feature = "test-support"))]
pub mod datagen;
#[cfg(any(test, feature = "test-support"))]
pub mod fixtures;
pub mod placement;
pub mod sources;
pub mod zone_match;
pub mod zone_names;

use crate::model::{LayerRole, Value};

/// A zone of the plan: its layer, attributes, the township seat it is placed by, its
/// schematic rectangle on the zone-41 grid, and the area the rectangle must have.
#[derive(Debug, Clone)]
pub struct PlanZone {
    /// Schematic identifier used by the generator and tests (e.g. `Z1`, `CS002`, `M16`).
    pub id: &'static str,
    /// The layer it belongs to.
    pub role: LayerRole,
    /// Township seat (name in `townships-gcj02.csv`) it is placed by.
    pub seat: &'static str,
    /// Attributes in layer field order (see [`fields_for`]), before the provenance fields.
    pub attributes: Vec<Value>,
    /// Rectangle centre, zone-41 X (northing, m).
    pub centre_x: f64,
    /// Rectangle centre, zone-41 Y (easting with the "41" prefix, m).
    pub centre_y: f64,
    /// Width (easting) : height (northing) ratio of the rectangle.
    pub aspect: f64,
    /// Ellipsoidal area the rectangle is sized to, km².
    pub area_km2: f64,
    /// The zone it must lie inside, if the plan implies nesting.
    pub inside: Option<&'static str>,
    /// How the schematic shape was placed (written to `SYSM`).
    pub placement_note: String,
}

/// Field codes of each plan layer, before the common provenance fields.
pub fn fields_for(role: LayerRole) -> &'static [&'static str] {
    match role {
        LayerRole::KeyZones => &[
            "XH", "GHQMC", "SZXZQ", "KCKZ", "GHQMJ", "GHQLB", "ZLBH", "BZ",
        ],
        LayerRole::ConcentratedZones => &[
            "GHQBH", "GHQMC", "SZXZQ", "GHQMJ", "KCKZ", "YSCKQ", "NSCKQ", "GHQLB", "ZLBH", "BZ",
        ],
        LayerRole::ExplorationBlocks => &[
            "QKMC", "XH", "KTKZ", "KZSL", "KCCD", "ZLXZQ", "SZXZQ", "HJMJ", "GHQLB", "ZLBH", "BZ",
        ],
        LayerRole::MiningBlocks => &[
            "QKMC", "XH", "KCKZ", "KZSL", "ZLXZQ", "SZXZQ", "GHJB", "GHQLB", "ZLBH", "BZ",
        ],
        _ => &[],
    }
}

/// Numeric fields (written as dBase `N`); everything else is text.
pub fn is_numeric_field(code: &str) -> bool {
    matches!(
        code,
        "XH" | "GHQMJ" | "HJMJ" | "SYMJ" | "YSCKQ" | "NSCKQ" | "KZSL"
    )
}

fn t(s: &str) -> Value {
    Value::Text(s.to_owned())
}

fn n(x: f64) -> Value {
    Value::Number(x)
}

/// The plan's total exploration area (专栏6 text: 勘查面积116.4平方千米).
pub const EXPLORATION_TOTAL_KM2: f64 = 116.4;

/// Schematic size of each mining block by mineral, km² (see `data/README.md` for the reasons).
pub fn mining_block_km2(mineral: &str) -> f64 {
    match mineral {
        "煤" => 3.0,
        "水泥用石灰岩" => 0.5,
        "建筑用玄武岩" => 0.2,
        "建筑用凝灰岩" => 0.15,
        _ => 0.3, // 建筑用砂
    }
}

const KEY_NOTE_3: &str =
    "正文第三节作“蛟流河乡一带煤炭重点开采区”，专栏4作“蛟流河乡煤炭重点开采区”（原文如此）";
const CS_NOTE: &str =
    "专栏5标题为“建筑用石料集中开采区规划表”，表中名称与矿种为“建筑用砂”（原文如此）";
const EXPL_NOTE: &str = "均为落实省勘查规划区块；专栏6只列矿种、数量、勘查程度和乡镇，未给出各区块面积和位置；116.4平方千米为5个区块合计";
const MINE_NOTE: &str = "专栏7列名为“勘查矿种”（原文如此），指开采矿种；专栏只列矿种、数量和乡镇，未给出各区块面积和位置";
const DATONG_NOTE: &str = "；专栏7作“大通河乡”，官方名称为大通乡（原文如此）";

/// Every zone of the plan, in layer order then plan order.
#[allow(
    clippy::too_many_lines,
    reason = "a data table: the plan's zones as published (专栏4-7), one entry per zone"
)]
pub fn zones() -> Vec<PlanZone> {
    let mut z = Vec::new();
    // Placement table: (id, centre X, centre Y, aspect). Produced by a documented search for
    // rectangles near each seat, inside the boundary, nearest to their own seat, not overlapping
    // except where the plan implies nesting (see data/README.md).
    let place = |id: &str| -> (f64, f64, f64) {
        crate::plan::placement::PLACEMENTS
            .iter()
            .find(|p| p.0 == id)
            .map(|p| (p.1, p.2, p.3))
            .unwrap_or((0.0, 0.0, 1.0))
    };
    let seat_note = |seat: &str| {
        format!(
            "示意：2000国家大地坐标系3度带第41带网格上的矩形，置于{seat}驻地附近，面积按规划值或示意规格；规划未公布坐标"
        )
    };

    // 专栏4 重点开采区
    for (i, (name, town, area)) in [
        ("吉林省白城市洮南市万宝乡一带煤炭重点开采区", "万宝乡", 8.20),
        (
            "吉林省白城市洮南市万宝镇一带煤炭重点开采区",
            "万宝镇",
            10.02,
        ),
        (
            "吉林省白城市洮南市蛟流河乡煤炭重点开采区",
            "蛟流河乡",
            19.89,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let id = ["Z1", "Z2", "Z3"][i];
        let (x, y, a) = place(id);
        z.push(PlanZone {
            id,
            role: LayerRole::KeyZones,
            seat: town,
            attributes: vec![
                n((i + 1) as f64),
                t(name),
                t(town),
                t("煤"),
                n(area),
                t("重点开采区"),
                t("专栏4"),
                if i == 2 { t(KEY_NOTE_3) } else { Value::Null },
            ],
            centre_x: x,
            centre_y: y,
            aspect: a,
            area_km2: area,
            inside: None,
            placement_note: seat_note(town),
        });
    }

    // 专栏5 建筑用石料集中开采区
    for (code, name, district, area, existing, planned, seat) in [
        (
            "CS001",
            "洮南市瓦房镇林海村建筑用砂集中开采区",
            "洮南市",
            1.08,
            n(1.0),
            n(0.0),
            "瓦房镇",
        ),
        (
            "CS002",
            "洮南市蛟流河乡建筑用砂集中开采区",
            "蛟流河乡",
            29.617,
            Value::Null,
            n(5.0),
            "蛟流河乡",
        ),
    ] {
        let (x, y, a) = place(code);
        let note = if code == "CS001" {
            "示意：林海村（瓦房镇）无公开位置，置于瓦房镇驻地附近；2000国家大地坐标系3度带第41带网格矩形，面积按规划值；规划未公布坐标".to_owned()
        } else {
            seat_note(seat)
        };
        z.push(PlanZone {
            id: code,
            role: LayerRole::ConcentratedZones,
            seat,
            attributes: vec![
                t(code),
                t(name),
                t(district),
                n(area),
                t("建筑用砂"),
                existing,
                planned,
                t("集中开采区"),
                t("专栏5"),
                t(CS_NOTE),
            ],
            centre_x: x,
            centre_y: y,
            aspect: a,
            area_km2: area,
            inside: None,
            placement_note: note,
        });
    }

    // 专栏6 勘查规划区块: rows (序号, 矿种, 数量, 乡镇列表); one block per listed township.
    let each = EXPLORATION_TOTAL_KM2 / 5.0;
    let mut k = 0;
    for (xh, mineral, count, list) in [
        (1.0, "煤", 1.0, "万宝镇"),
        (2.0, "金", 3.0, "胡力吐蒙古族乡、万宝镇、野马乡"),
        (3.0, "铜", 1.0, "野马乡"),
    ] {
        for (j, town) in list.split('、').enumerate() {
            k += 1;
            let id = ["E1", "E2", "E3", "E4", "E5"][k - 1];
            let (x, y, a) = place(id);
            z.push(PlanZone {
                id,
                role: LayerRole::ExplorationBlocks,
                seat: town,
                attributes: vec![
                    t(&format!("{mineral}勘查规划区块{}（{town}）", j + 1)),
                    n(xh),
                    t(mineral),
                    n(count),
                    t("普查"),
                    t(list),
                    t(town),
                    n(EXPLORATION_TOTAL_KM2),
                    t("勘查规划区块"),
                    t("专栏6"),
                    t(EXPL_NOTE),
                ],
                centre_x: x,
                centre_y: y,
                aspect: a,
                area_km2: each,
                inside: None,
                placement_note: format!(
                    "{}；面积按116.4平方千米五等分（每块23.28平方千米）",
                    seat_note(town)
                ),
            });
        }
    }

    // 专栏7 开采规划区块: rows (序号, 矿种, 数量, 乡镇列表, split of blocks over the list).
    // Split rule: blocks are dealt to the listed townships in the plan's order, one each in turn
    // (6 tuff blocks over 4 townships → 2, 2, 1, 1; 7 sand blocks over 3 → 3, 2, 2).
    let mut m = 0;
    for (xh, mineral, count, list) in [
        (1.0, "煤", 2usize, "万宝镇、蛟流河乡"),
        (2.0, "水泥用石灰岩", 1, "那金镇"),
        (3.0, "建筑用玄武岩", 1, "野马乡"),
        (4.0, "建筑用凝灰岩", 6, "野马乡、蛟流河乡、东升乡、瓦房镇"),
        (5.0, "建筑用砂", 7, "永茂乡、大通河乡、蛟流河乡"),
    ] {
        let towns: Vec<&str> = list.split('、').collect();
        let mut per_town: Vec<Vec<usize>> = vec![Vec::new(); towns.len()];
        for b in 0..count {
            per_town[b % towns.len()].push(b);
        }
        for (ti, blocks) in per_town.iter().enumerate() {
            let town = towns[ti];
            for (bj, _) in blocks.iter().enumerate() {
                m += 1;
                let id = crate::plan::placement::MINING_IDS[m - 1];
                let (x, y, a) = place(id);
                let seat = if town == "大通河乡" {
                    "大通乡"
                } else {
                    town
                };
                let level = if mineral == "煤" { "省级" } else { "市级" };
                let inside = match (mineral, town) {
                    ("煤", "万宝镇") => Some("Z2"),
                    ("煤", "蛟流河乡") => Some("Z3"),
                    ("建筑用砂", "蛟流河乡") => Some("CS002"),
                    _ => None,
                };
                let mut note = MINE_NOTE.to_owned();
                if mineral == "煤" {
                    note.push_str("；落实省开采规划区块");
                } else {
                    note.push_str("；本级设置开采规划区块");
                }
                if town == "大通河乡" {
                    note.push_str(DATONG_NOTE);
                }
                let suffix = if blocks.len() > 1 {
                    format!("{}", bj + 1)
                } else {
                    String::new()
                };
                z.push(PlanZone {
                    id,
                    role: LayerRole::MiningBlocks,
                    seat,
                    attributes: vec![
                        t(&format!("{mineral}开采规划区块{suffix}（{town}）")),
                        n(xh),
                        t(mineral),
                        n(count as f64),
                        t(list),
                        t(town),
                        t(level),
                        t("开采规划区块"),
                        t("专栏7"),
                        t(&note),
                    ],
                    centre_x: x,
                    centre_y: y,
                    aspect: a,
                    area_km2: mining_block_km2(mineral),
                    inside,
                    placement_note: match inside {
                        Some(c) => format!("{}；按规划所示嵌套于{c}内", seat_note(seat)),
                        None => seat_note(seat),
                    },
                });
            }
        }
    }
    z
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_layer() {
        let z = zones();
        let count = |r| z.iter().filter(|p| p.role == r).count();
        assert_eq!(count(LayerRole::KeyZones), 3);
        assert_eq!(count(LayerRole::ConcentratedZones), 2);
        assert_eq!(count(LayerRole::ExplorationBlocks), 5);
        assert_eq!(count(LayerRole::MiningBlocks), 17);
        for p in &z {
            assert_eq!(p.attributes.len(), fields_for(p.role).len(), "{}", p.id);
        }
    }

    #[test]
    fn split_of_blocks_over_townships_is_as_documented() {
        let z = zones();
        let towns = |mineral: &str| -> Vec<String> {
            z.iter()
                .filter(|p| p.role == LayerRole::MiningBlocks && p.attributes[2] == t(mineral))
                .map(|p| p.attributes[5].display())
                .collect()
        };
        assert_eq!(
            towns("建筑用凝灰岩"),
            [
                "野马乡",
                "野马乡",
                "蛟流河乡",
                "蛟流河乡",
                "东升乡",
                "瓦房镇"
            ]
        );
        assert_eq!(
            towns("建筑用砂"),
            [
                "永茂乡",
                "永茂乡",
                "永茂乡",
                "大通河乡",
                "大通河乡",
                "蛟流河乡",
                "蛟流河乡"
            ]
        );
    }
}
