//! KML and KMZ in (OGC KML 2.2, as Google Earth and 奥维互动地图 write it): every Placemark with
//! a Point, LineString, LinearRing, Polygon (outer and inner boundaries), MultiGeometry or
//! `gx:Track`; its `<name>`, `<description>`, `ExtendedData` (`<Data name><value>` and
//! `<SchemaData><SimpleData name>`) as text attributes, and the names of the Folders it sits in
//! as a `folder` attribute ("外业/第一批"). KML coordinates are always WGS 84 lon/lat; the layer
//! says so in its CRS text. A KMZ is the zipped form: its main `.kml` (`doc.kml`, else the first
//! one) is read under the zip's size budgets ([`crate::io::zip_input`]).
//!
//! Parsed with `roxmltree` (a read-only XML tree; DTDs refused, so no entity expansion). The
//! georust `kml` crate was not used: it keeps `ExtendedData`/`SchemaData` only as untyped child
//! elements, so the glue would be the same size. The walk is iterative over the document;
//! MultiGeometry nesting is bounded.

use geo::{Coord, Geometry, GeometryCollection, LineString, Point, Polygon};
use roxmltree::{Document, Node, ParsingOptions};

use crate::io::crs_decision::{Declared, DeclaredCrs};
use crate::io::loader::{
    self, LoadError, LoadErrorKind, LoadOptions, LoadedLayer, Progress, Record, finish_declared,
};
use crate::io::zip_input;
use crate::model::{FieldName, Value};
use crate::text;
use crate::text::{Lang, Text};

/// The reason shown for KML's fixed CRS.
const KML_WGS84: Text = Text::fixed(
    "KML 坐标总是 WGS 84 经纬度（OGC KML 2.2）",
    "KML coordinates are always WGS 84 lon/lat (OGC KML 2.2)",
);

/// Deepest MultiGeometry nesting accepted.
const MAX_DEPTH: usize = 32;

/// Load a KMZ: its main `.kml` document. `source` names the file in messages.
pub fn load_kmz(
    bytes: &[u8],
    source: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let contents =
        zip_input::read_zip(bytes, source).map_err(|e| loader::reader_error(source, &e))?;
    let kmls: Vec<&String> = contents
        .other_files
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".kml"))
        .collect();
    let main = kmls
        .iter()
        .find(|n| n.eq_ignore_ascii_case("doc.kml"))
        .or_else(|| kmls.first())
        .ok_or_else(|| {
            LoadError::invalid(
                source,
                Text::fixed("KMZ 中没有 .kml 文档", "the KMZ holds no .kml document"),
            )
        })?;
    let doc = zip_input::read_member(bytes, main).map_err(|e| loader::reader_error(source, &e))?;
    let mut loaded = load(&doc, &format!("{source}!{main}"), opts, progress)?;
    let name = loader::stem(source);
    loaded.layer.name_zh.clone_from(&name);
    loaded.layer.name_en = name;
    if kmls.len() > 1 {
        let others = kmls.len() - 1;
        loaded.problems.push(text!(
            "KMZ 中另有 {others} 个 .kml 未读取",
            "{others} other .kml document(s) in the KMZ not read"
        ));
    }
    Ok(loaded)
}

/// Load a KML document from its bytes (UTF-8, or GBK). `source` names the file in messages.
pub fn load(
    bytes: &[u8],
    source: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let invalid = |why: Text| LoadError::invalid(source, why);
    let (text, detected) = loader::decode_text(bytes, opts).map_err(invalid)?;
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&text, options).map_err(|e| {
        invalid(text!(
            "不是有效的 KML（XML 错误）：{e}",
            "not valid KML (XML error): {e}"
        ))
    })?;
    let root = doc.root_element();
    let tag = root.tag_name().name();
    if tag != "kml" {
        return Err(invalid(text!(
            "不是 KML：根元素为 <{tag}>",
            "not KML: the root element is <{tag}>"
        )));
    }
    let mut problems = Vec::new();
    let mut records = Vec::new();
    let mut no_geometry = 0;
    // Placemarks with the same fields share one list of names.
    let mut schema = None;
    for (i, pm) in doc.descendants().filter(|n| is(n, "Placemark")).enumerate() {
        let attrs = attributes(pm);
        match placemark_geometry(pm) {
            Ok(Some(g)) => records.push((
                Some(g),
                crate::model::Attributes::from_pairs_in(&attrs, &mut schema),
            )),
            Ok(None) => no_geometry += 1,
            Err(e) => {
                let name = child_text(pm, "name").map(|n| format!(" {n}"));
                let (n, name) = (i + 1, name.unwrap_or_default());
                problems.push(Text::by_lang(|l| match l {
                    Lang::Zh => format!("Placemark #{n}{name}：{}；已跳过", e.in_lang(l)),
                    Lang::En => format!("Placemark #{n}{name}: {}; skipped", e.in_lang(l)),
                }));
            }
        }
    }
    if no_geometry > 0 {
        problems.push(text!(
            "{no_geometry} 个 Placemark 没有几何，未载入",
            "{no_geometry} Placemark(s) without geometry skipped"
        ));
    }
    if records.is_empty() {
        let first = problems.first();
        let why = Text::by_lang(|l| match (l, first) {
            (Lang::Zh, Some(p)) => format!("文件中没有带几何的 Placemark（{}）", p.in_lang(l)),
            (Lang::En, Some(p)) => format!(
                "the file holds no Placemark with geometry ({})",
                p.in_lang(l)
            ),
            (Lang::Zh, None) => "文件中没有带几何的 Placemark".to_owned(),
            (Lang::En, None) => "the file holds no Placemark with geometry".to_owned(),
        });
        return Err(LoadError::new(source, LoadErrorKind::NothingLoaded(why)));
    }
    let declared = DeclaredCrs::wgs84(KML_WGS84);
    let records: Vec<Record> = records;
    finish_declared(
        source,
        records,
        Declared::File(&declared),
        opts,
        problems,
        Some(detected),
        progress,
    )
}

/// Whether a node is the element `name` (any namespace: KML 2.2, Google's older ones, `gx:`).
fn is(n: &Node<'_, '_>, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name
}

fn children<'a, 'i>(n: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is(c, name))
}

/// All the text inside an element (CDATA included), trimmed; `None` when empty or absent.
fn child_text(n: Node<'_, '_>, name: &'static str) -> Option<String> {
    let c = children(n, name).next()?;
    let t: String = c
        .descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect();
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// name, description, folder, then ExtendedData in file order.
fn attributes(pm: Node<'_, '_>) -> Vec<(FieldName, Value)> {
    let text = |t: Option<String>| t.map_or(Value::Null, Value::Text);
    let mut folders: Vec<String> = pm
        .ancestors()
        .filter(|a| is(a, "Folder"))
        .map(|f| child_text(f, "name").unwrap_or_else(|| "?".into()))
        .collect();
    folders.reverse();
    let folder = (!folders.is_empty()).then(|| folders.join("/"));
    let mut out: Vec<(FieldName, Value)> = vec![
        ("name".into(), text(child_text(pm, "name"))),
        ("description".into(), text(child_text(pm, "description"))),
        ("folder".into(), text(folder)),
    ];
    for ext in children(pm, "ExtendedData") {
        for d in ext.children().filter(|c| c.is_element()) {
            match d.tag_name().name() {
                "Data" => {
                    if let Some(k) = d.attribute("name") {
                        out.push((k.into(), text(child_text(d, "value"))));
                    }
                }
                "SchemaData" => {
                    for s in children(d, "SimpleData") {
                        if let Some(k) = s.attribute("name") {
                            let v: String = s.children().filter_map(|c| c.text()).collect();
                            let v = v.trim();
                            let v = (!v.is_empty()).then(|| v.to_owned());
                            out.push((k.into(), text(v)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The geometry of a Placemark: its first geometry element (`None` when it has none).
fn placemark_geometry(pm: Node<'_, '_>) -> Result<Option<Geometry<f64>>, Text> {
    for c in pm.children().filter(|c| c.is_element()) {
        if let Some(g) = geometry(c, 0)? {
            return Ok(Some(g));
        }
    }
    Ok(None)
}

/// A KML geometry element as `geo` geometry; `None` when the element is no geometry.
fn geometry(n: Node<'_, '_>, depth: usize) -> Result<Option<Geometry<f64>>, Text> {
    let coords = |n: Node<'_, '_>| -> Result<Vec<Coord<f64>>, Text> {
        let t = child_text(n, "coordinates").ok_or(NO_COORDINATES)?;
        parse_coordinates(&t)
    };
    Ok(Some(match n.tag_name().name() {
        "Point" => {
            let c = coords(n)?;
            Geometry::Point(Point(
                *c.first().ok_or(Text::fixed("空的点", "an empty Point"))?,
            ))
        }
        "LineString" | "LinearRing" => {
            let c = coords(n)?;
            if c.len() < 2 {
                return Err(Text::fixed(
                    "线少于两个点",
                    "a line with fewer than 2 points",
                ));
            }
            Geometry::LineString(LineString::new(c))
        }
        "Polygon" => Geometry::Polygon(polygon(n)?),
        "Track" => {
            let c = children(n, "coord")
                .map(|c| {
                    let t = c.text().unwrap_or_default();
                    parse_tuple(&t.split_whitespace().collect::<Vec<_>>().join(","))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if c.len() < 2 {
                return Err(Text::fixed(
                    "轨迹少于两个点",
                    "a track with fewer than 2 points",
                ));
            }
            Geometry::LineString(LineString::new(c))
        }
        "MultiGeometry" | "MultiTrack" => {
            if depth >= MAX_DEPTH {
                return Err(Text::fixed(
                    "MultiGeometry 嵌套过深",
                    "MultiGeometry nested too deep",
                ));
            }
            let mut parts = Vec::new();
            for c in n.children().filter(|c| c.is_element()) {
                if let Some(g) = geometry(c, depth + 1)? {
                    parts.push(g);
                }
            }
            if parts.is_empty() {
                return Err(Text::fixed("空的 MultiGeometry", "an empty MultiGeometry"));
            }
            homogeneous(parts)
        }
        _ => return Ok(None),
    }))
}

/// A geometry element without its coordinates.
const NO_COORDINATES: Text = Text::fixed("没有 <coordinates>", "no <coordinates>");

fn ring(boundary: Node<'_, '_>) -> Result<LineString<f64>, Text> {
    let lr = boundary
        .descendants()
        .find(|d| is(d, "LinearRing"))
        .ok_or(Text::fixed(
            "边界没有 <LinearRing>",
            "a boundary without <LinearRing>",
        ))?;
    ring_of_linear_ring(lr)
}

fn polygon(n: Node<'_, '_>) -> Result<Polygon<f64>, Text> {
    let outer = children(n, "outerBoundaryIs").next().ok_or(Text::fixed(
        "多边形没有外边界 <outerBoundaryIs>",
        "a Polygon without <outerBoundaryIs>",
    ))?;
    let mut holes = Vec::new();
    for inner in children(n, "innerBoundaryIs") {
        // Some writers put several rings in one innerBoundaryIs.
        for lr in inner.children().filter(|c| is(c, "LinearRing")) {
            holes.push(ring_of_linear_ring(lr)?);
        }
    }
    Ok(Polygon::new(ring(outer)?, holes))
}

fn ring_of_linear_ring(lr: Node<'_, '_>) -> Result<LineString<f64>, Text> {
    let t = child_text(lr, "coordinates").ok_or(NO_COORDINATES)?;
    let c = parse_coordinates(&t)?;
    let n = c.len();
    if n < 3 {
        return Err(text!("多边形的环只有 {n} 个点", "a ring with {n} point(s)"));
    }
    Ok(LineString::new(c))
}

/// Parts of one kind become a Multi* geometry; mixed parts a GeometryCollection.
fn homogeneous(parts: Vec<Geometry<f64>>) -> Geometry<f64> {
    let all = |f: fn(&Geometry<f64>) -> bool| parts.iter().all(f);
    if all(|g| matches!(g, Geometry::Polygon(_))) {
        let polys = parts.into_iter().filter_map(|g| match g {
            Geometry::Polygon(p) => Some(p),
            _ => None,
        });
        Geometry::MultiPolygon(polys.collect())
    } else if all(|g| matches!(g, Geometry::LineString(_))) {
        let lines = parts.into_iter().filter_map(|g| match g {
            Geometry::LineString(l) => Some(l),
            _ => None,
        });
        Geometry::MultiLineString(lines.collect())
    } else if all(|g| matches!(g, Geometry::Point(_))) {
        let points = parts.into_iter().filter_map(|g| match g {
            Geometry::Point(p) => Some(p),
            _ => None,
        });
        Geometry::MultiPoint(points.collect())
    } else {
        Geometry::GeometryCollection(GeometryCollection(parts))
    }
}

/// `lon,lat[,alt]` tuples separated by white space (a space after a comma is tolerated).
pub fn parse_coordinates(text: &str) -> Result<Vec<Coord<f64>>, Text> {
    let mut tuples: Vec<String> = Vec::new();
    for token in text.split_whitespace() {
        match tuples.last_mut() {
            Some(last) if last.ends_with(',') || token.starts_with(',') => last.push_str(token),
            _ => tuples.push(token.to_owned()),
        }
    }
    tuples.iter().map(|t| parse_tuple(t)).collect()
}

fn parse_tuple(t: &str) -> Result<Coord<f64>, Text> {
    let bad = || {
        let shown: String = t.chars().take(40).collect();
        text!("坐标无法识别：{shown:?}", "bad coordinate {shown:?}")
    };
    let mut it = t.split(',').map(|v| v.trim().parse::<f64>());
    let (Some(Ok(x)), Some(Ok(y))) = (it.next(), it.next()) else {
        return Err(bad());
    };
    if !(x.is_finite() && y.is_finite()) {
        return Err(bad());
    }
    Ok(Coord { x, y })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinate_text() {
        let c = parse_coordinates(" 122.1,45.2,0\n\t122.3, 45.4 122.5,45.6,10 ").expect("parses");
        assert_eq!(
            c,
            vec![
                Coord { x: 122.1, y: 45.2 },
                Coord { x: 122.3, y: 45.4 },
                Coord { x: 122.5, y: 45.6 }
            ]
        );
        for bad in ["122.1", "a,b", "1e999,2", "122.1;45.2"] {
            assert!(parse_coordinates(bad).is_err(), "{bad}");
        }
    }
}
