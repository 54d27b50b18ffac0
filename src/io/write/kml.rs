//! KML 2.2 for 奥维互动地图 and Google Earth.
//!
//! One `Document` named after the layer, with one shared style (a translucent fill and a
//! visible outline, so polygons show on satellite imagery), then one `Placemark` per row:
//! `<name>` (the display name), `<styleUrl>`, `<ExtendedData>` with one `<Data>` per
//! non-empty attribute (provenance included, so 示意 shapes stay marked), and the geometry —
//! `Point`, `LineString`, `Polygon` with `outerBoundaryIs`/`innerBoundaryIs`, and
//! `MultiGeometry` for multi-parts and collections. Elements come in the order the OGC KML 2.2
//! schema requires. Coordinates are lon/lat (CGCS2000 ≈ WGS84 to centimetres), each `f64` in
//! its shortest exact form; the file is UTF-8.

use std::io::Write;
use std::path::Path;

use geo::{Coord, Geometry, LineString, Polygon};

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

/// Text with the five XML special characters escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The KML document of `table` into `w`.
pub fn write_to(w: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(w, r#"<kml xmlns="http://www.opengis.net/kml/2.2">"#)?;
    writeln!(w, "<Document>")?;
    writeln!(w, "<name>{}</name>", escape(&table.name))?;
    writeln!(
        w,
        "<Style id=\"s\"><LineStyle><color>ff0000ff</color><width>2</width></LineStyle>\
         <PolyStyle><color>400000ff</color></PolyStyle></Style>"
    )?;
    for row in table.rows() {
        writeln!(w, "<Placemark>")?;
        writeln!(w, "<name>{}</name>", escape(&row.name))?;
        writeln!(w, "<styleUrl>#s</styleUrl>")?;
        writeln!(w, "<ExtendedData>")?;
        for (k, v) in table.fields.iter().zip(&row.values) {
            if *v == Value::Null {
                continue;
            }
            writeln!(
                w,
                "<Data name=\"{}\"><value>{}</value></Data>",
                escape(k),
                escape(&v.display())
            )?;
        }
        writeln!(w, "</ExtendedData>")?;
        if !is_empty(&row.geometry) {
            geometry(w, &normalized(&row.geometry))?;
        }
        writeln!(w, "</Placemark>")?;
    }
    writeln!(w, "</Document>")?;
    writeln!(w, "</kml>")
}

fn coords(w: &mut dyn Write, cs: impl Iterator<Item = Coord<f64>>) -> std::io::Result<()> {
    w.write_all(b"<coordinates>")?;
    for (i, c) in cs.enumerate() {
        if i > 0 {
            w.write_all(b" ")?;
        }
        write!(w, "{},{}", c.x, c.y)?;
    }
    w.write_all(b"</coordinates>")
}

fn ring(w: &mut dyn Write, tag: &str, l: &LineString<f64>) -> std::io::Result<()> {
    write!(w, "<{tag}><LinearRing>")?;
    coords(w, l.0.iter().copied())?;
    write!(w, "</LinearRing></{tag}>")
}

fn polygon(w: &mut dyn Write, p: &Polygon<f64>) -> std::io::Result<()> {
    w.write_all(b"<Polygon>")?;
    ring(w, "outerBoundaryIs", p.exterior())?;
    for h in p.interiors() {
        ring(w, "innerBoundaryIs", h)?;
    }
    w.write_all(b"</Polygon>")
}

fn linestring(w: &mut dyn Write, l: &LineString<f64>) -> std::io::Result<()> {
    w.write_all(b"<LineString>")?;
    coords(w, l.0.iter().copied())?;
    w.write_all(b"</LineString>")
}

fn point(w: &mut dyn Write, c: Coord<f64>) -> std::io::Result<()> {
    w.write_all(b"<Point>")?;
    coords(w, std::iter::once(c))?;
    w.write_all(b"</Point>")
}

/// A geometry as KML (after [`normalized`]).
fn geometry(w: &mut dyn Write, g: &Geometry<f64>) -> std::io::Result<()> {
    match g {
        Geometry::Point(p) => point(w, p.0)?,
        Geometry::LineString(l) => linestring(w, l)?,
        Geometry::Polygon(p) => polygon(w, p)?,
        Geometry::MultiPoint(m) => {
            w.write_all(b"<MultiGeometry>")?;
            for p in &m.0 {
                point(w, p.0)?;
            }
            w.write_all(b"</MultiGeometry>")?;
        }
        Geometry::MultiLineString(m) => {
            w.write_all(b"<MultiGeometry>")?;
            for l in &m.0 {
                linestring(w, l)?;
            }
            w.write_all(b"</MultiGeometry>")?;
        }
        Geometry::MultiPolygon(m) => {
            w.write_all(b"<MultiGeometry>")?;
            for p in &m.0 {
                polygon(w, p)?;
            }
            w.write_all(b"</MultiGeometry>")?;
        }
        Geometry::GeometryCollection(c) => {
            w.write_all(b"<MultiGeometry>")?;
            for g in &c.0 {
                geometry(w, g)?;
            }
            w.write_all(b"</MultiGeometry>")?;
        }
        other => geometry(w, &normalized(other))?,
    }
    w.write_all(b"\n")
}
