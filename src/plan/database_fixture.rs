//! A plan database (县级矿产资源规划数据库) made from the bundled zones, for tests and demos: four
//! shapefile sets in CGCS2000 zone 41 (EPSG:4529), one per plan layer, named in Chinese
//! (`重点开采区.shp`, `集中开采区.shp`, `勘查规划区块.shp`, `开采规划区块.shp`).
//!
//! Each zone's polygon is an irregular 12-gon of about the zone's area, moved 180 m east and
//! 95 m north of the schematic square (as a real database's shapes would differ from it). What
//! it holds, on purpose ([`EXPECTED`] says it in data):
//! - key zones: no plan code to match (the plan gives none), names written "洮南市…",
//!   "…洮南…" and with spaces → matched by name;
//! - CS001 with its code and a name that is not the plan's → matched by code;
//! - CS002 twice: by code, and by the plan's 建筑用石料 variant of its name → a conflict;
//! - exploration blocks E1–E4 with full-width digits and half-width brackets, E5 left out (an
//!   unmatched zone), and an iron block the plan does not have (an unmatched polygon);
//! - the 17 mining blocks, 大通河乡 written 大通乡, and 野马乡's first tuff block drawn over its
//!   second (a same-layer overlap the schematic squares do not have).

use std::path::{Path, PathBuf};

use geo::{
    BoundingRect, Centroid, ConvexHull, Coord, Geometry, LineString, MultiPoint, Point, Polygon,
};

use crate::crs::lonlat_to_zone41;
use crate::io::dbf::FieldSpec;
use crate::io::shp::{Attributes, encode};
use crate::model::{Layer, LayerRole, Value};
use crate::plan::fixtures::PRJ_ZONE41;
use crate::plan::zone_names::name_of;

/// What matching the fixture must give (zone identifiers of [`crate::plan::zones`]).
pub struct Expected {
    /// Zones matched by code.
    pub by_code: &'static [&'static str],
    /// Zones matched by name (every other zone but the conflict and the unmatched one).
    pub by_name_count: usize,
    /// The zone no polygon claims.
    pub unmatched_zone: &'static str,
    /// The name of the polygon that matches no zone.
    pub unmatched_polygon: &'static str,
    /// The zone two polygons claim.
    pub conflict: &'static str,
    /// The mining blocks drawn over each other (their `QKMC` in the plan).
    pub overlapping: [&'static str; 2],
}

/// See the module's doc.
pub const EXPECTED: Expected = Expected {
    by_code: &["CS001"],
    by_name_count: 3 + 4 + 17,
    unmatched_zone: "E5",
    unmatched_polygon: "铁勘查规划区块1（那金镇）",
    conflict: "CS002",
    overlapping: [
        "建筑用凝灰岩开采规划区块1（野马乡）",
        "建筑用凝灰岩开采规划区块2（野马乡）",
    ],
};

/// Shift of every shape from the schematic square, metres (east, north).
const SHIFT: (f64, f64) = (180.0, 95.0);

/// One record to write: zone-41 polygon (x = easting, y = northing), code, name, kind.
struct Record {
    shape: Polygon<f64>,
    code: Option<String>,
    name: String,
}

/// A polygon's ring in zone-41 metres (x = easting, y = northing).
fn to_zone41(p: &Polygon<f64>) -> Result<Vec<Coord<f64>>, String> {
    p.exterior()
        .coords()
        .map(|c| {
            lonlat_to_zone41(c.x, c.y)
                .map(|xy| Coord { x: xy.y, y: xy.x })
                .map_err(|e| e.to_string())
        })
        .collect()
}

/// An irregular 12-gon of about the rectangle's area, on the rectangle's centre, shifted.
fn wobbly(ring: &[Coord<f64>]) -> Result<Polygon<f64>, String> {
    let poly = Polygon::new(LineString(ring.to_vec()), vec![]);
    let c = poly.centroid().ok_or("empty shape")?;
    let r = poly.bounding_rect().ok_or("empty shape")?;
    let (hx, hy) = (r.width() / 2.0, r.height() / 2.0);
    let scale = (4.0 / std::f64::consts::PI).sqrt();
    let mut pts: Vec<Coord<f64>> = (0..12)
        .map(|k| {
            let t = k as f64 * std::f64::consts::TAU / 12.0;
            let f = scale * (1.0 + 0.06 * (3.0 * t + 0.4).sin());
            Coord {
                x: c.x() + SHIFT.0 + hx * f * t.cos(),
                y: c.y() + SHIFT.1 + hy * f * t.sin(),
            }
        })
        .collect();
    pts.push(pts[0]);
    Ok(Polygon::new(LineString(pts), vec![]))
}

fn plan_polygon(layer: &Layer, i: usize) -> Result<Vec<Coord<f64>>, String> {
    match layer.features.get(i).map(|f| &f.geometry) {
        Some(Geometry::Polygon(p)) => to_zone41(p),
        Some(Geometry::MultiPolygon(m)) if !m.0.is_empty() => to_zone41(&m.0[0]),
        _ => Err(format!("{} #{i}: no polygon", layer.name_zh)),
    }
}

/// Full-width digits, half-width brackets.
fn full_width_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            _ => c,
        })
        .collect()
}

fn write(
    dir: &Path,
    stem: &str,
    kind: Option<&str>,
    records: &[Record],
) -> Result<PathBuf, String> {
    let field = |name: &str, kind: char, length: u8, decimals: u8| FieldSpec {
        name: name.into(),
        kind,
        length,
        decimals,
    };
    let mut fields = vec![
        field("GHQBH", 'C', 20, 0),
        field("GHQMC", 'C', 160, 0),
        field("MJ", 'N', 16, 4),
    ];
    if kind.is_some() {
        fields.push(field("GHQLB", 'C', 40, 0));
    }
    let mut rows = Vec::new();
    let mut geoms = Vec::new();
    for r in records {
        let lonlat = geo::MapCoords::try_map_coords(&r.shape, |c| {
            crate::crs::zone41_to_lonlat(crate::crs::SurveyXY { x: c.y, y: c.x })
                .map(|(lon, lat)| Coord { x: lon, y: lat })
        })
        .map_err(|e| e.to_string())?;
        let km2 = crate::analysis::measure::area_km2(&Geometry::Polygon(lonlat));
        let mut row = vec![
            r.code.clone().map_or(Value::Null, Value::Text),
            Value::Text(r.name.clone()),
            Value::Number((km2 * 1e4).round() / 1e4),
        ];
        if let Some(k) = kind {
            row.push(Value::Text(k.into()));
        }
        rows.push(row);
        geoms.push(Geometry::Polygon(r.shape.clone()));
    }
    let set = encode(
        &geoms,
        Attributes {
            fields: &fields,
            rows: &rows,
        },
        PRJ_ZONE41,
        (2026, 1, 1),
    )?;
    set.write(dir, stem)?;
    Ok(dir.join(format!("{stem}.shp")))
}

fn layer_of(bundled: &[Layer], role: LayerRole) -> Result<&Layer, String> {
    bundled
        .iter()
        .find(|l| l.role == role)
        .ok_or_else(|| format!("no bundled {} layer", role.key()))
}

fn name(layer: &Layer, i: usize) -> String {
    layer.features.get(i).and_then(name_of).unwrap_or_default()
}

/// Write the fixture database into `dir` (created); returns its four `.shp` files.
pub fn write_plan_database(dir: &Path) -> Result<Vec<PathBuf>, String> {
    write_database(dir, false)
}

/// The fixture database with every zone given once (E5 too, no second CS002, no iron
/// block): every zone matches, none stays schematic.
pub fn write_complete_plan_database(dir: &Path) -> Result<Vec<PathBuf>, String> {
    write_database(dir, true)
}

fn write_database(dir: &Path, complete: bool) -> Result<Vec<PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let bundled = crate::plan::bundled::load_all()
        .map_err(|e| e.in_lang(crate::text::Lang::En).to_owned())?;
    let rec =
        |layer: &Layer, i: usize, code: Option<&str>, name: String| -> Result<Record, String> {
            Ok(Record {
                shape: wobbly(&plan_polygon(layer, i)?)?,
                code: code.map(str::to_owned),
                name,
            })
        };

    let key = layer_of(&bundled, LayerRole::KeyZones)?;
    let key_names = [
        name(key, 0).replace("吉林省白城市", ""),
        name(key, 1).replace("洮南市", "洮南"),
        name(key, 2).replace("煤炭", " 煤炭 "),
    ];
    let mut key_recs = Vec::new();
    for (i, n) in key_names.into_iter().enumerate() {
        key_recs.push(rec(key, i, Some(&format!("ZD22088100{}", i + 1)), n)?);
    }

    let cs = layer_of(&bundled, LayerRole::ConcentratedZones)?;
    let mut cs_recs = vec![
        rec(cs, 0, Some("CS001"), "林海村砂场".into())?,
        rec(cs, 1, Some("ＣＳ００２"), String::new())?,
    ];
    if !complete {
        cs_recs.push(rec(
            cs,
            1,
            None,
            name(cs, 1).replace("建筑用砂", "建筑用石料"),
        )?);
    }

    let ex = layer_of(&bundled, LayerRole::ExplorationBlocks)?;
    let mut ex_recs = Vec::new();
    let given = if complete { ex.features.len() } else { 4 };
    for i in 0..given {
        ex_recs.push(rec(ex, i, None, full_width_digits(&name(ex, i)))?);
    }
    if !complete {
        let mut iron = rec(ex, 0, None, EXPECTED.unmatched_polygon.into())?;
        iron.shape = geo::Translate::translate(&iron.shape, 0.0, -6000.0);
        ex_recs.push(iron);
    }

    let mb = layer_of(&bundled, LayerRole::MiningBlocks)?;
    let mut mb_recs = Vec::new();
    for i in 0..mb.features.len() {
        let n = name(mb, i).replace("大通河乡", "大通乡");
        let n = match i % 3 {
            0 => full_width_digits(&n),
            1 => format!("洮南市 {n}"),
            _ => n,
        };
        mb_recs.push(rec(mb, i, None, n)?);
    }
    let find = |n: &str| (0..mb.features.len()).find(|&i| name(mb, i) == n);
    if let (Some(a), Some(b)) = (find(EXPECTED.overlapping[0]), find(EXPECTED.overlapping[1])) {
        // The first drawn over the second: the hull of both shapes.
        let pts: Vec<Point<f64>> = mb_recs[a]
            .shape
            .exterior()
            .points()
            .chain(mb_recs[b].shape.exterior().points())
            .collect();
        mb_recs[a].shape = MultiPoint(pts).convex_hull();
    }

    Ok(vec![
        write(dir, "重点开采区", Some("重点开采区"), &key_recs)?,
        write(dir, "集中开采区", None, &cs_recs)?,
        write(dir, "勘查规划区块", None, &ex_recs)?,
        write(dir, "开采规划区块", None, &mb_recs)?,
    ])
}
