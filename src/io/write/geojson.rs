//! GeoJSON (RFC 7946): a `FeatureCollection` written one feature at a time.
//!
//! Coordinates are the table's lon/lat: CGCS2000 (EPSG:4490), the model's CRS, which RFC 7946's
//! WGS84 equals to a few centimetres; no `crs` member is written (RFC 7946 removed it), and the
//! collection's `name` is the layer's (a foreign member GDAL/QGIS read). Polygons follow the
//! right-hand rule (exterior counter-clockwise, holes clockwise); numbers are written in the
//! shortest form that reads back to the same `f64`. Values keep their type (text, number,
//! `null`).

use std::io::Write;
use std::path::Path;

use geo::{Geometry, LineString, Polygon};
use serde_json::{Value as Json, json};

use super::table::{Table, is_empty, normalized};
use super::{Written, atomic};
use crate::model::Value;

/// Write `table` (lon/lat) to `path`; `force`: replace an existing file.
pub fn write(table: &Table, path: &Path, force: bool) -> Result<Written, crate::text::Text> {
    atomic::FileSet::new(force).check_free(path)?;
    atomic::write_with(path, force, |w| write_to(w, table))?;
    Ok(Written {
        files: vec![path.to_path_buf()],
        rows: table.len,
        notes: Vec::new(),
    })
}

/// The GeoJSON document of `table` into `w`.
pub fn write_to(w: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    write!(w, "{{\"type\":\"FeatureCollection\",\"name\":")?;
    serde_json::to_writer(&mut *w, &table.name)?;
    w.write_all(b",\"features\":[")?;
    for (i, row) in table.rows().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let props: serde_json::Map<String, Json> = table
            .fields
            .iter()
            .zip(&row.values)
            .map(|(k, v)| (k.clone(), value_json(v)))
            .collect();
        let geometry = if is_empty(&row.geometry) {
            Json::Null
        } else {
            geometry_json(&normalized(&row.geometry))
        };
        let feature = json!({"type": "Feature", "properties": props, "geometry": geometry});
        serde_json::to_writer(&mut *w, &feature)?;
    }
    w.write_all(b"\n]}\n")
}

/// An attribute value as JSON.
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Text(s) => Json::String(s.clone()),
        Value::Number(n) => serde_json::Number::from_f64(*n).map_or(Json::Null, Json::Number),
        Value::Null => Json::Null,
    }
}

fn position(c: geo::Coord<f64>) -> Json {
    json!([c.x, c.y])
}

fn line(l: &LineString<f64>) -> Json {
    Json::Array(l.0.iter().copied().map(position).collect())
}

fn polygon(p: &Polygon<f64>) -> Json {
    use geo::orient::{Direction, Orient};
    let p = p.orient(Direction::Default);
    Json::Array(
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(line)
            .collect(),
    )
}

/// A geometry as a GeoJSON geometry object (after [`normalized`]).
pub fn geometry_json(g: &Geometry<f64>) -> Json {
    match g {
        Geometry::Point(p) => json!({"type": "Point", "coordinates": position(p.0)}),
        Geometry::MultiPoint(m) => json!({"type": "MultiPoint",
            "coordinates": m.0.iter().map(|p| position(p.0)).collect::<Vec<_>>()}),
        Geometry::LineString(l) => json!({"type": "LineString", "coordinates": line(l)}),
        Geometry::MultiLineString(m) => json!({"type": "MultiLineString",
            "coordinates": m.0.iter().map(line).collect::<Vec<_>>()}),
        Geometry::Polygon(p) => json!({"type": "Polygon", "coordinates": polygon(p)}),
        Geometry::MultiPolygon(m) => json!({"type": "MultiPolygon",
            "coordinates": m.0.iter().map(polygon).collect::<Vec<_>>()}),
        Geometry::GeometryCollection(c) => json!({"type": "GeometryCollection",
            "geometries": c.0.iter().map(geometry_json).collect::<Vec<_>>()}),
        other => geometry_json(&normalized(other)),
    }
}
