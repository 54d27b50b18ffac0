//! The matching table between a plan database's polygons and the plan's zones: each polygon
//! is matched to a zone by code when both have one, else by name (normal forms of
//! [`crate::plan::zone_names`]), else left unmatched; a zone given two polygons is a conflict;
//! the user's overrides (a polygon set to a zone, or to none) come last and win.

use std::collections::BTreeMap;

use geo::Geometry;
use serde_json::{Value as Json, json};

use crate::plan::database::{PlanDatabase, PlanSide};
use crate::plan::zone_names::{
    code_of, name_of, normalise_code, normalise_name, role_named, role_of,
};
use crate::text;
use crate::text::{Lang, Text};

/// One polygon of the database: (layer index in [`PlanDatabase::layers`], feature index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PolygonRef {
    /// Index of the database layer.
    pub layer: usize,
    /// Index of the feature in it.
    pub feature: usize,
}

/// How a polygon was matched to its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Same code (`GHQBH`, 区块编号 …) on both sides.
    Code,
    /// Same name after normalising.
    Name,
    /// Chosen by the user.
    Manual,
}

impl How {
    /// Machine-readable key (JSON).
    pub fn key(self) -> &'static str {
        match self {
            How::Code => "code",
            How::Name => "name",
            How::Manual => "manual",
        }
    }

    /// Chinese word, as stored in the matched zone's `PPFS` field.
    pub fn zh(self) -> &'static str {
        match self {
            How::Code => "按编号",
            How::Name => "按名称",
            How::Manual => "手动指定",
        }
    }

    /// The value stored by [`How::zh`] read back.
    pub fn parse_zh(s: &str) -> Option<Self> {
        [How::Code, How::Name, How::Manual]
            .into_iter()
            .find(|h| h.zh() == s)
    }
}

/// A manual fix of one row: the polygon goes to this zone (`Some(id)`), or to none.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The database polygon.
    pub polygon: PolygonRef,
    /// The zone's identifier ([`PlanSide::id`]), or `None`: match it to nothing.
    pub zone: Option<String>,
}

/// A polygon matched to a zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Matched {
    /// The zone's identifier.
    pub zone: String,
    /// The polygon.
    pub polygon: PolygonRef,
    /// How.
    pub how: How,
}

/// A polygon that matches no zone, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unplaced {
    /// The polygon.
    pub polygon: PolygonRef,
    /// Why.
    pub reason: Text,
}

/// Two or more polygons for one zone: none of them is applied until the user settles it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// The zone's identifier.
    pub zone: String,
    /// The polygons that claim it, with how each did.
    pub polygons: Vec<(PolygonRef, How)>,
}

/// The matching table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatchTable {
    /// One polygon per zone.
    pub matched: Vec<Matched>,
    /// Zones no polygon claims (they stay schematic), by identifier.
    pub unmatched_zones: Vec<String>,
    /// Polygons that match no zone.
    pub unmatched_polygons: Vec<Unplaced>,
    /// Zones claimed by more than one polygon.
    pub conflicts: Vec<Conflict>,
}

impl MatchTable {
    /// The polygon applied to a zone, if any.
    pub fn matched_for(&self, zone: &str) -> Option<&Matched> {
        self.matched.iter().find(|m| m.zone == zone)
    }

    /// Where a polygon went: its zone and how, when it is matched or in a conflict.
    pub fn zone_of(&self, polygon: PolygonRef) -> Option<(&str, How)> {
        self.matched
            .iter()
            .find(|m| m.polygon == polygon)
            .map(|m| (m.zone.as_str(), m.how))
            .or_else(|| {
                self.conflicts.iter().find_map(|c| {
                    c.polygons
                        .iter()
                        .find(|(p, _)| *p == polygon)
                        .map(|(_, h)| (c.zone.as_str(), *h))
                })
            })
    }
}

/// Whether a geometry is areal (only polygons can stand for a zone).
fn areal(g: &Geometry<f64>) -> bool {
    matches!(g, Geometry::Polygon(_) | Geometry::MultiPolygon(_))
}

/// What the automatic matching makes of one polygon: a zone and how, or why not.
fn auto_match(plan: &[PlanSide], db: &PlanDatabase, r: PolygonRef) -> Result<(String, How), Text> {
    let (Some(layer), Some(f)) = (db.layers.get(r.layer), db.feature(r)) else {
        return Err(Text::fixed("无此要素", "no such feature"));
    };
    if !areal(&f.geometry) {
        return Err(Text::fixed("不是面要素", "not a polygon"));
    }
    // The plan layer the polygon says it belongs to (its kind field, else its layer's name).
    let file = std::path::Path::new(&layer.source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // A GeoPackage's layer is named by its table, a shapefile's by its file.
    let role = role_of(f)
        .or_else(|| role_named(&layer.name_zh))
        .or_else(|| role_named(&file));
    let candidates: Vec<&PlanSide> = plan
        .iter()
        .filter(|p| role.is_none_or(|r| r == p.role))
        .collect();
    let code = code_of(f).map(|c| normalise_code(&c));
    if let Some(c) = &code {
        let by_code: Vec<&&PlanSide> = candidates
            .iter()
            .filter(|p| p.code.as_deref().map(normalise_code).as_ref() == Some(c))
            .collect();
        match by_code[..] {
            [one] => return Ok((one.id.clone(), How::Code)),
            [] => {}
            _ => {
                return Err(text!(
                    "编号 {c} 对应多个规划区",
                    "code {c} names several zones"
                ));
            }
        }
    }
    let Some(name) = name_of(f)
        .map(|n| normalise_name(&n))
        .filter(|n| !n.is_empty())
    else {
        return Err(match code {
            Some(c) => text!(
                "编号 {c} 不在规划中，且无名称",
                "code {c} is not the plan's, no name"
            ),
            None => Text::fixed("无编号、无名称", "no code, no name"),
        });
    };
    let by_name: Vec<&&PlanSide> = candidates
        .iter()
        .filter(|p| normalise_name(&p.name) == name)
        .collect();
    match by_name[..] {
        [one] => match (&code, &one.code) {
            // Both sides have a code and they differ: the same name is not enough.
            (Some(c), Some(pc)) if normalise_code(pc) != *c => {
                let id = &one.id;
                Err(text!(
                    "名称与 {id} 相同，但编号 {c} ≠ {pc}",
                    "same name as {id}, but code {c} ≠ {pc}"
                ))
            }
            _ => Ok((one.id.clone(), How::Name)),
        },
        [] => Err(Text::fixed(
            "规划中没有此编号或名称的规划区",
            "no zone of this code or name",
        )),
        _ => Err(Text::fixed(
            "名称对应多个规划区",
            "the name fits several zones",
        )),
    }
}

/// Match every polygon of the database to the plan's zones, then apply the overrides (the last
/// override of a polygon wins; one naming an unknown zone is ignored).
pub fn match_zones(plan: &[PlanSide], db: &PlanDatabase, overrides: &[Override]) -> MatchTable {
    let mut claims: BTreeMap<String, Vec<(PolygonRef, How)>> = BTreeMap::new();
    let mut table = MatchTable::default();
    for r in db.refs() {
        let fix = overrides.iter().rev().find(|o| o.polygon == r);
        let outcome = match fix {
            Some(Override { zone: Some(z), .. }) if plan.iter().any(|p| &p.id == z) => {
                Ok((z.clone(), How::Manual))
            }
            Some(Override { zone: None, .. }) => {
                Err(Text::fixed("已手动设为不匹配", "set to no zone by hand"))
            }
            _ => auto_match(plan, db, r),
        };
        match outcome {
            Ok((zone, how)) => claims.entry(zone).or_default().push((r, how)),
            Err(reason) => table
                .unmatched_polygons
                .push(Unplaced { polygon: r, reason }),
        }
    }
    for p in plan {
        match claims.remove(&p.id) {
            None => table.unmatched_zones.push(p.id.clone()),
            Some(c) if c.len() == 1 => table.matched.push(Matched {
                zone: p.id.clone(),
                polygon: c[0].0,
                how: c[0].1,
            }),
            Some(c) => table.conflicts.push(Conflict {
                zone: p.id.clone(),
                polygons: c,
            }),
        }
    }
    table
}

/// The matching table as JSON: `matched` (zone, polygon, how), `unmatched_zones`,
/// `unmatched_polygons` (with the reason) and `conflicts`; polygons are given by their file,
/// number (from 1), code and name. Messages (errors, notes, reasons) are worded in `lang`.
pub fn table_json(plan: &[PlanSide], db: &PlanDatabase, table: &MatchTable, lang: Lang) -> Json {
    let worded = |texts: &[Text]| -> Vec<String> {
        texts.iter().map(|t| t.in_lang(lang).to_owned()).collect()
    };
    let zone = |id: &str| {
        let p = plan.iter().find(|p| p.id == id);
        json!({
            "id": id,
            "layer": p.map(|p| p.role.key()),
            "name": p.map(|p| p.name.clone()),
        })
    };
    let polygon = |r: PolygonRef| {
        let f = db.feature(r);
        json!({
            "file": db.layers.get(r.layer).map(|l| l.source.clone()),
            "feature": r.feature + 1,
            "code": f.and_then(code_of),
            "name": f.and_then(name_of),
        })
    };
    json!({
        "files": db.files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
        "errors": worded(&db.errors),
        "notes": worded(&db.notes),
        "matched": table.matched.iter().map(|m| json!({
            "zone": zone(&m.zone), "polygon": polygon(m.polygon), "how": m.how.key(),
        })).collect::<Vec<_>>(),
        "unmatched_zones": table.unmatched_zones.iter().map(|z| zone(z)).collect::<Vec<_>>(),
        "unmatched_polygons": table.unmatched_polygons.iter().map(|u| json!({
            "polygon": polygon(u.polygon), "reason": u.reason.in_lang(lang),
        })).collect::<Vec<_>>(),
        "conflicts": table.conflicts.iter().map(|c| json!({
            "zone": zone(&c.zone),
            "polygons": c.polygons.iter().map(|(p, h)| json!({"polygon": polygon(*p), "how": h.key()})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use geo::{Geometry, Point, polygon};

    use super::*;
    use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};

    fn side(id: &str, role: LayerRole, code: Option<&str>, name: &str) -> PlanSide {
        PlanSide {
            id: id.into(),
            role,
            index: 0,
            code: code.map(str::to_owned),
            name: name.into(),
        }
    }

    fn feature(geometry: Geometry<f64>, attrs: &[(&str, &str)]) -> Feature {
        Feature {
            attributes: attrs
                .iter()
                .map(|(k, v)| ((*k).into(), Value::Text((*v).into())))
                .collect(),
            geometry,
            provenance: Provenance {
                kind: ProvenanceKind::Surveyed,
                source: "db".into(),
            },
        }
    }

    fn db(source: &str, features: Vec<Feature>) -> PlanDatabase {
        PlanDatabase {
            files: vec![source.into()],
            layers: vec![Layer {
                name_zh: "x".into(),
                name_en: "x".into(),
                role: LayerRole::Loaded,
                source: source.into(),
                crs: Default::default(),
                encoding: Default::default(),
                features: Arc::new(features),
                analysis_role: None,
            }],
            ..Default::default()
        }
    }

    fn square() -> Geometry<f64> {
        Geometry::Polygon(
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)],
        )
    }

    /// A point cannot stand for a zone; a name fitting two zones and a name whose codes
    /// differ are refused with the reason; a polygon's layer (by its file name) narrows the
    /// zones its name is compared with.
    #[test]
    fn refusals_say_why_and_the_layer_narrows_the_names() {
        let plan = [
            side("A", LayerRole::ConcentratedZones, Some("CS001"), "甲区"),
            side("B", LayerRole::KeyZones, None, "乙区"),
            side("C", LayerRole::MiningBlocks, None, "乙区"),
        ];
        let d = db(
            "库/集中开采区.shp",
            vec![
                feature(Geometry::Point(Point::new(0.0, 0.0)), &[("GHQMC", "甲区")]),
                feature(square(), &[("GHQBH", "CS009"), ("GHQMC", "甲区")]),
                feature(square(), &[("GHQMC", "乙区")]),
            ],
        );
        let t = match_zones(&plan, &d, &[]);
        let reasons: Vec<&str> = t
            .unmatched_polygons
            .iter()
            .map(|u| u.reason.in_lang(Lang::En))
            .collect();
        assert!(reasons[0].contains("not a polygon"), "{reasons:?}");
        assert!(reasons[1].contains("CS009 ≠ CS001"), "{reasons:?}");
        // 乙区 is a key zone and a mining block, but not a concentrated zone.
        assert!(reasons[2].contains("no zone"), "{reasons:?}");
        assert_eq!(t.unmatched_zones, ["A", "B", "C"]);

        // Without the layer from the file name the same name fits two zones.
        let d = db("库/其他.shp", vec![feature(square(), &[("GHQMC", "乙区")])]);
        let t = match_zones(&plan, &d, &[]);
        let reason = &t.unmatched_polygons[0].reason;
        assert!(reason.in_lang(Lang::En).contains("several"), "{t:?}");
        assert!(reason.in_lang(Lang::Zh).contains("多个"), "{t:?}");
        // A fix by hand naming a zone that does not exist is ignored.
        let p = PolygonRef {
            layer: 0,
            feature: 0,
        };
        let fix = Override {
            polygon: p,
            zone: Some("Z9".into()),
        };
        assert_eq!(match_zones(&plan, &d, &[fix]), t);
        let fix = Override {
            polygon: p,
            zone: Some("C".into()),
        };
        assert_eq!(
            match_zones(&plan, &d, &[fix])
                .matched_for("C")
                .map(|m| m.how),
            Some(How::Manual)
        );
    }
}
