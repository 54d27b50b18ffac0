//! Shapefile sets: `.shp` and `.shx` by the `shapefile` crate's writer, the `.dbf` by
//! [`super::dbf`] in the chosen encoding, the `.prj` in ESRI WKT (from PROJ) and a `.cpg`
//! naming the encoding (`GBK` — what the bureau's other tools read — or `UTF-8`).
//!
//! A shapefile holds one kind of shape: a table that mixes points, lines and polygons is
//! written as one set per kind, named `NAME_point`, `NAME_line`, `NAME_polygon` (a note says
//! so); a collection is written as its parts of the highest kind. Rows without geometry are
//! left out (a shapefile's null shapes are not written by the crate), with a note. Polygons'
//! rings are ordered as the format wants (outer clockwise, holes counter-clockwise). All the
//! members of all the sets are put in place together ([`super::atomic::FileSet`]).

use crate::text;
use crate::text::Text;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use geo::Geometry;
use shapefile::{Point, PolygonRing, ShapeWriter};

use super::table::{Table, normalized};
use super::{WriteOptions, Written, atomic::FileSet, dbf};

/// The three kinds of shapefile geometry, in increasing rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Point,
    Line,
    Polygon,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Kind::Point => "point",
            Kind::Line => "line",
            Kind::Polygon => "polygon",
        }
    }
}

/// The highest kind a geometry can be written as (`None`: nothing writable: no coordinates,
/// or only rings of fewer than 3 points and lines of fewer than 2).
fn kind_of(g: &Geometry<f64>) -> Option<Kind> {
    if !rings(g).is_empty() {
        Some(Kind::Polygon)
    } else if !parts(g).is_empty() {
        Some(Kind::Line)
    } else if !points(g).is_empty() {
        Some(Kind::Point)
    } else {
        None
    }
}

/// Write `table` as a shapefile set at `path` (`….shp`).
pub fn write(table: &Table, path: &Path, opts: &WriteOptions) -> Result<Written, Text> {
    let mut groups: [Vec<usize>; 3] = Default::default();
    let mut no_geometry = 0;
    for (i, row) in table.rows().enumerate() {
        match kind_of(&normalized(&row.geometry)) {
            Some(k) => groups[k as usize].push(i),
            None => no_geometry += 1,
        }
    }
    let kinds: Vec<Kind> = [Kind::Point, Kind::Line, Kind::Polygon]
        .into_iter()
        .filter(|k| !groups[*k as usize].is_empty())
        .collect();
    let mut notes = Vec::new();
    if no_geometry > 0 {
        notes.push(text!(
            "{no_geometry} 个要素没有几何，未写入 shapefile",
            "{no_geometry} features without geometry were left out"
        ));
    }
    let prj = crate::crs::wkt_of(table.epsg, true).map_err(|e| super::atomic::failed(path, &e))?;
    let kind_list = if kinds.is_empty() {
        vec![Kind::Polygon]
    } else {
        kinds.clone()
    };
    let mut set = FileSet::new(opts.force);
    let mut rows = 0;
    for kind in kind_list {
        let base = if kinds.len() > 1 {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            path.with_file_name(format!("{stem}_{}.shp", kind.suffix()))
        } else {
            path.to_path_buf()
        };
        let indices = &groups[kind as usize];
        let (n, more) = write_set(table, &base, kind, indices, &prj, opts, &mut set)?;
        rows += n;
        notes.extend(more);
    }
    if kinds.len() > 1 {
        let n = kinds.len();
        notes.push(text!(
            "图层含多种几何类型，按类型分 {n} 个 shapefile 写出",
            "the layer mixes geometry kinds: one shapefile per kind ({n} in all)"
        ));
    }
    let files = set.commit()?;
    Ok(Written { files, rows, notes })
}

/// The member paths of a set: `.shp`, `.shx`, `.dbf`, `.prj`, `.cpg`.
fn members(shp: &Path) -> [PathBuf; 5] {
    ["shp", "shx", "dbf", "prj", "cpg"].map(|e| shp.with_extension(e))
}

fn write_set(
    table: &Table,
    shp: &Path,
    kind: Kind,
    indices: &[usize],
    prj: &str,
    opts: &WriteOptions,
    set: &mut FileSet,
) -> Result<(usize, Vec<Text>), Text> {
    let [shp_path, shx_path, dbf_path, prj_path, cpg_path] = members(shp);
    for p in [&shp_path, &shx_path, &dbf_path, &prj_path, &cpg_path] {
        set.check_free(p)?;
    }
    let err = |e: shapefile::Error| super::atomic::failed(&shp_path, &e);
    let (mut shp_buf, mut shx_buf) = (Cursor::new(Vec::new()), Cursor::new(Vec::new()));
    {
        let mut w = ShapeWriter::with_shx(&mut shp_buf, &mut shx_buf);
        let multipoint = kind == Kind::Point
            && indices.iter().any(|&i| {
                !matches!(
                    normalized(&table.row(i).geometry).as_ref(),
                    Geometry::Point(_)
                )
            });
        for &i in indices {
            let g = table.row(i).geometry;
            let g = normalized(&g);
            match kind {
                Kind::Polygon => w.write_shape(&shapefile::Polygon::with_rings(rings(&g))),
                Kind::Line => w.write_shape(&shapefile::Polyline::with_parts(parts(&g))),
                Kind::Point if multipoint => w.write_shape(&shapefile::Multipoint::new(points(&g))),
                Kind::Point => {
                    let p = points(&g).first().copied().unwrap_or(Point::new(0.0, 0.0));
                    w.write_shape(&p)
                }
            }
            .map_err(err)?;
        }
        w.finalize().map_err(err)?;
    }
    let kinds = table.field_kinds();
    let (fields, mut notes, encoded) = dbf::layout(table, indices, &kinds, opts.encoding);
    let mut dbf_bytes = Vec::new();
    dbf::write(&mut dbf_bytes, table, indices, &fields, &encoded)
        .map_err(|e| super::atomic::failed(&dbf_path, &e))?;
    let losses = encoded.losses;
    if losses.unmappable > 0 {
        let (n, enc) = (losses.unmappable, opts.encoding.name());
        notes.push(text!(
            "{n} 个属性值含 {enc} 无法表示的字符（写为 &#NNNN;），可改用 --encoding UTF-8",
            "{n} values hold characters {enc} cannot represent (written as &#NNNN;); use --encoding UTF-8"
        ));
    }
    if losses.truncated > 0 {
        let n = losses.truncated;
        notes.push(text!(
            "{n} 个属性值超过 254 字节被截断",
            "{n} values cut to the DBF's 254 bytes"
        ));
    }
    set.write_bytes(&shp_path, shp_buf.get_ref())?;
    set.write_bytes(&shx_path, shx_buf.get_ref())?;
    set.write_bytes(&dbf_path, &dbf_bytes)?;
    set.write_bytes(&prj_path, prj.as_bytes())?;
    let cpg = if opts.encoding == encoding_rs::UTF_8 {
        "UTF-8"
    } else {
        opts.encoding.name()
    };
    set.write_bytes(&cpg_path, cpg.as_bytes())?;
    Ok((indices.len(), notes))
}

fn pt(c: geo::Coord<f64>) -> Point {
    Point::new(c.x, c.y)
}

/// Every polygon's rings (outer, then its holes); the crate orders their winding.
fn rings(g: &Geometry<f64>) -> Vec<PolygonRing<Point>> {
    let mut out = Vec::new();
    let mut add = |p: &geo::Polygon<f64>| {
        if p.exterior().0.len() < 3 {
            return;
        }
        out.push(PolygonRing::Outer(
            p.exterior().0.iter().copied().map(pt).collect(),
        ));
        for h in p.interiors().iter().filter(|h| h.0.len() >= 3) {
            out.push(PolygonRing::Inner(h.0.iter().copied().map(pt).collect()));
        }
    };
    visit(g, &mut |g| match g {
        Geometry::Polygon(p) => add(p),
        Geometry::MultiPolygon(m) => m.0.iter().for_each(&mut add),
        _ => {}
    });
    out
}

/// Every line's points.
fn parts(g: &Geometry<f64>) -> Vec<Vec<Point>> {
    let mut out = Vec::new();
    visit(g, &mut |g| match g {
        Geometry::LineString(l) if l.0.len() >= 2 => {
            out.push(l.0.iter().copied().map(pt).collect())
        }
        Geometry::MultiLineString(m) => out.extend(
            m.0.iter()
                .filter(|l| l.0.len() >= 2)
                .map(|l| l.0.iter().copied().map(pt).collect()),
        ),
        _ => {}
    });
    out
}

/// Every point.
fn points(g: &Geometry<f64>) -> Vec<Point> {
    let mut out = Vec::new();
    visit(g, &mut |g| match g {
        Geometry::Point(p) => out.push(pt(p.0)),
        Geometry::MultiPoint(m) => out.extend(m.0.iter().map(|p| pt(p.0))),
        _ => {}
    });
    out
}

/// Call `f` on a geometry, or on each member of a collection (recursively).
fn visit(g: &Geometry<f64>, f: &mut dyn FnMut(&Geometry<f64>)) {
    match g {
        Geometry::GeometryCollection(c) => c.0.iter().for_each(|g| visit(g, f)),
        g => f(g),
    }
}
