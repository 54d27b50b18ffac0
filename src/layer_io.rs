//! Turning shapefile sets into layers: decoding, CRS from the `.prj` through PROJ (or a guess from
//! the numbers when there is none), and provenance per feature.

use std::path::Path;

use geo::{BoundingRect, Geometry, MapCoords};

use crate::crs::{self, CrsError};
use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};
use crate::shp::{self, ShapefileSet};

/// Known ESRI CRS names → EPSG codes (the common ones for Taonan's data; see docs/domain.md).
const KNOWN_CRS: &[(&str, u32)] = &[
    ("GCS_China_Geodetic_Coordinate_System_2000", 4490),
    ("China Geodetic Coordinate System 2000", 4490),
    ("GCS_WGS_1984", 4326),
    ("WGS 84", 4326),
    ("CGCS2000_3_Degree_GK_Zone_41", 4529),
    ("CGCS2000 / 3-degree Gauss-Kruger zone 41", 4529),
    ("CGCS2000_3_Degree_GK_CM_123E", 4550),
    ("CGCS2000 / 3-degree Gauss-Kruger CM 123E", 4550),
    ("CGCS2000_GK_Zone_21", 4499),
    ("CGCS2000_GK_CM_123E", 4510),
    ("Xian_1980_3_Degree_GK_Zone_41", 2365),
    ("Xian_1980_3_Degree_GK_CM_123E", 2386),
    ("Beijing_1954_3_Degree_GK_Zone_41", 2417),
    ("WGS_1984_Web_Mercator_Auxiliary_Sphere", 3857),
    ("WGS 84 / Pseudo-Mercator", 3857),
];

/// The first quoted name of a WKT string (the CRS's own name).
pub fn wkt_name(wkt: &str) -> Option<&str> {
    let start = wkt.find('"')? + 1;
    let len = wkt[start..].find('"')?;
    Some(&wkt[start..start + len])
}

/// A CRS description for reports: "name (EPSG:code)" where the code is known.
pub fn describe_prj(wkt: &str) -> String {
    let name = wkt_name(wkt).unwrap_or("unnamed CRS");
    match KNOWN_CRS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some((_, code)) => format!("{name} (EPSG:{code})"),
        None => name.to_owned(),
    }
}

/// Whether a `.prj` is geographic CGCS2000 or WGS84, i.e. needs no transform for display.
fn is_geographic_lonlat(wkt: &str) -> bool {
    let t = wkt.trim_start();
    (t.starts_with("GEOGCS") || t.starts_with("GEOGCRS"))
        && wkt_name(wkt)
            .is_some_and(|n| n.contains("2000") || n.contains("WGS") || n.contains("84"))
}

/// Guess a CRS from the coordinates when there is no `.prj`. Returns (PROJ definition, text).
fn guess_crs(records: &[shp::Record]) -> Option<(&'static str, &'static str)> {
    let rect = records
        .iter()
        .filter_map(|(g, _)| g.as_ref().and_then(|g| g.bounding_rect()))
        .reduce(crate::model::union_rect)?;
    let (min, max) = (rect.min(), rect.max());
    if (-180.0..=180.0).contains(&min.x)
        && (-180.0..=180.0).contains(&max.x)
        && (-90.0..=90.0).contains(&min.y)
        && (-90.0..=90.0).contains(&max.y)
    {
        Some((
            "EPSG:4490",
            "no .prj; degrees → guessed CGCS2000 (EPSG:4490)",
        ))
    } else if (41_000_000.0..42_000_000.0).contains(&min.x)
        && (41_000_000.0..42_000_000.0).contains(&max.x)
    {
        Some((
            "EPSG:4529",
            "no .prj; 8-digit Y with prefix 41 → guessed EPSG:4529",
        ))
    } else {
        None
    }
}

/// Build a layer from a set. `source` names the file in messages and provenance; the layer role
/// is [`LayerRole::Loaded`] until the caller says otherwise. Returns the layer and the
/// problems met (skipped records, undecodable text…); an error when nothing can be loaded.
pub fn layer_from_set(
    set: &ShapefileSet,
    source: &str,
    encoding_override: Option<&'static encoding_rs::Encoding>,
) -> Result<(Layer, Vec<String>), String> {
    let decoded = shp::decode(set, encoding_override).map_err(|e| format!("{source}: {e}"))?;
    let mut problems = decoded.problems.clone();
    let (crs_name, proj_def): (String, Option<String>) = match &set.prj {
        Some(wkt) if is_geographic_lonlat(wkt) => (describe_prj(wkt), None),
        Some(wkt) => (describe_prj(wkt), Some(wkt.clone())),
        None => match guess_crs(&decoded.records) {
            Some((def, text)) => (
                text.to_owned(),
                (def != "EPSG:4490").then(|| def.to_owned()),
            ),
            None => {
                return Err(format!(
                    "{source}: no .prj, and the coordinates fit no known CRS"
                ));
            }
        },
    };
    let transform = proj_def
        .as_deref()
        .map(|def| crs::transform(def, crs::EPSG_CGCS2000))
        .transpose()
        .map_err(|e: CrsError| format!("{source}: {e}"))?;
    let file_name = Path::new(source)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| source.to_owned());
    let mut features = Vec::new();
    for (i, (geom, attributes)) in decoded.records.into_iter().enumerate() {
        let Some(geom) = geom else {
            problems.push(format!("record {}: null shape skipped", i + 1));
            continue;
        };
        let geom: Geometry<f64> = match &transform {
            None => geom,
            Some(p) => match geom
                .try_map_coords(|c| p.convert((c.x, c.y)).map(|(x, y)| geo::Coord { x, y }))
            {
                Ok(g) => g,
                Err(e) => {
                    problems.push(format!("record {}: cannot transform ({e}); skipped", i + 1));
                    continue;
                }
            },
        };
        let provenance = provenance_of(&attributes, &file_name);
        features.push(Feature {
            attributes,
            geometry: geom,
            provenance,
        });
    }
    let stem = Path::new(&file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((
        Layer {
            name_zh: stem.clone(),
            name_en: stem,
            role: LayerRole::Loaded,
            source: source.to_owned(),
            crs: crs_name,
            encoding: decoded.encoding.describe(),
            features,
            kind: None,
        },
        problems,
    ))
}

/// Provenance from the `SJXZ`/`SJLY` fields when present, else "surveyed" from the file.
pub fn provenance_of(attributes: &[(String, Value)], file_name: &str) -> Provenance {
    let get = |k: &str| {
        attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .and_then(|(_, v)| v.as_text())
    };
    match get("SJXZ").and_then(ProvenanceKind::parse) {
        Some(kind) => Provenance {
            kind,
            source: get("SJLY").unwrap_or(file_name).to_owned(),
        },
        None => Provenance {
            kind: ProvenanceKind::Surveyed,
            source: file_name.to_owned(),
        },
    }
}

/// Load a shapefile from disk (the `.shp` path). Returns the layer and the problems met.
pub fn load_shapefile(path: &Path) -> Result<(Layer, Vec<String>), String> {
    let set = ShapefileSet::read(path)?;
    let (layer, problems) = layer_from_set(&set, &path.display().to_string(), None)?;
    if layer.features.is_empty() {
        return Err(format!(
            "{}: no features could be loaded{}",
            path.display(),
            problems
                .first()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        ));
    }
    Ok((layer, problems))
}
