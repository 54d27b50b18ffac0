//! GeoJSON in (RFC 7946, and the 2008 draft's `crs` member): a FeatureCollection, a single
//! Feature or a bare geometry, every geometry kind. Parsed by the georust `geojson` crate (one
//! feature at a time, so a broken feature is skipped with its number, not the whole file);
//! positions are checked here (two or more numbers) before they become `geo` geometry.
//!
//! CRS: the `crs` member when there is one (`urn:ogc:def:crs:EPSG::4490`, `EPSG:4529`,
//! `CRS84`, or `{"type":"EPSG","properties":{"code":…}}`); else RFC 7946's WGS 84 lon/lat; but
//! numbers outside lon/lat range with no `crs` member (projected data written without it, as
//! some tools do) are handed to the CRS guess like a shapefile without `.prj`, with a note.
//!
//! Properties become attributes in file order: numbers as numbers, strings as text, `true` /
//! `false` as that text (the model has no boolean), `null` as empty, arrays and objects as
//! their JSON text. A feature's `id` comes first as `id` unless a property has that name.

use geo::{Coord, Geometry, GeometryCollection, LineString, MultiPoint, Point, Polygon};
use geojson::{GeometryValue, Position};
use serde_json::Value as Json;

use crate::io::crs_decision::{Declared, DeclaredCrs, label_of};
use crate::io::loader::{
    self, LoadError, LoadOptions, LoadedLayer, Progress, Record, finish_declared,
};
use crate::model::{FieldName, Value};
use crate::text;
use crate::text::{Lang, Text};

/// The reason shown for RFC 7946's fixed CRS.
const RFC7946: Text = Text::fixed(
    "GeoJSON（RFC 7946）坐标为 WGS 84 经纬度",
    "GeoJSON (RFC 7946) coordinates are WGS 84 lon/lat",
);

/// Load a GeoJSON document from its bytes (UTF-8, or GBK as some Chinese tools write it).
/// `source` names the file in messages.
pub fn load(
    bytes: &[u8],
    source: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let invalid = |why: Text| LoadError::invalid(source, why);
    let (text, detected) = loader::decode_text(bytes, opts).map_err(invalid)?;
    let root: Json = serde_json::from_str(&text)
        .map_err(|e| invalid(text!("不是有效的 JSON：{e}", "not valid JSON: {e}")))?;
    drop(text);
    let Json::Object(top) = &root else {
        return Err(invalid(Text::fixed(
            "不是 GeoJSON：顶层不是对象",
            "not GeoJSON: the top level is not an object",
        )));
    };
    let mut problems = Vec::new();
    let records = records(&root, &mut problems).map_err(invalid)?;
    let crs = top.get("crs").filter(|c| !c.is_null()).cloned();
    drop(root);
    if records.is_empty() {
        return Err(LoadError::no_features(source, false, problems.first()));
    }
    let declared = match crs {
        Some(crs) => match declared_crs(&crs) {
            Ok(d) => Some(d),
            Err(e) => {
                problems.push(Text::by_lang(|l| match l {
                    Lang::Zh => format!(
                        "crs 成员无法识别（{}），坐标系由数值推测",
                        e.in_lang(l)
                    ),
                    Lang::En => format!(
                        "the crs member is not understood ({}); the CRS is guessed from the numbers",
                        e.in_lang(l)
                    ),
                }));
                None
            }
        },
        None if lonlat(&records) => Some(DeclaredCrs::wgs84(RFC7946)),
        None => {
            problems.push(Text::fixed(
                "坐标不是经纬度，而文件未声明坐标系（RFC 7946 要求 WGS 84 经纬度），坐标系由数值推测",
                "the coordinates are not lon/lat and the file declares no CRS (RFC 7946 wants WGS 84 \
                 lon/lat): the CRS is guessed from the numbers",
            ));
            None
        }
    };
    let declared = match &declared {
        Some(d) => Declared::File(d),
        None => Declared::Nothing,
    };
    finish_declared(
        source,
        records,
        declared,
        opts,
        problems,
        Some(detected),
        progress,
    )
}

/// Whether every coordinate of the records is within ±180 / ±90.
fn lonlat(records: &[Record]) -> bool {
    use geo::CoordsIter;
    records
        .iter()
        .filter_map(|(g, _)| g.as_ref())
        .flat_map(|g| g.coords_iter())
        .all(|c| (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y))
}

/// The records of the document; problems with single features are pushed to `problems`.
fn records(root: &Json, problems: &mut Vec<Text>) -> Result<Vec<Record>, Text> {
    let kind = root.get("type").and_then(Json::as_str).unwrap_or("");
    match kind {
        "FeatureCollection" => {
            let Some(features) = root.get("features").and_then(Json::as_array) else {
                return Err(Text::fixed(
                    "FeatureCollection 没有 features 数组",
                    "a FeatureCollection without a features array",
                ));
            };
            let mut out = Vec::with_capacity(features.len());
            let mut empty = Vec::new();
            // Features with the same properties share one list of names.
            let mut schema = None;
            for (i, f) in features.iter().enumerate() {
                match feature_record(f, &mut schema) {
                    Ok(r) => {
                        if r.0.is_none() {
                            empty.push(i + 1);
                        }
                        out.push(r);
                    }
                    Err(e) => {
                        let n = i + 1;
                        problems.push(Text::by_lang(|l| match l {
                            Lang::Zh => format!("要素 #{n}：{}；已跳过", e.in_lang(l)),
                            Lang::En => format!("feature #{n}: {}; skipped", e.in_lang(l)),
                        }));
                    }
                }
            }
            if !empty.is_empty() {
                let shown: Vec<String> = empty.iter().take(20).map(|n| format!("#{n}")).collect();
                let (n, more) = (empty.len(), empty.len() > 20);
                let (zh, en) = (shown.join("、"), shown.join(", "));
                let (more_zh, more_en) = if more { ("……", ", …") } else { ("", "") };
                problems.push(text!(
                    "{n} 个要素没有几何，未载入：{zh}{more_zh}",
                    "{n} feature(s) without geometry skipped: {en}{more_en}"
                ));
            }
            Ok(out)
        }
        "Feature" => Ok(vec![feature_record(root, &mut None)?]),
        "Point" | "MultiPoint" | "LineString" | "MultiLineString" | "Polygon" | "MultiPolygon"
        | "GeometryCollection" => {
            let g: geojson::Geometry = serde_json::from_value(root.clone())
                .map_err(|e| text!("几何无效：{e}", "bad geometry: {e}"))?;
            Ok(vec![(Some(geometry(&g.value, 0)?), Default::default())])
        }
        "" => Err(Text::fixed(
            "不是 GeoJSON：没有 type 成员",
            "not GeoJSON: no \"type\" member",
        )),
        other => Err(text!(
            "不是 GeoJSON：未知的 type {other:?}",
            "not GeoJSON: unknown type {other:?}"
        )),
    }
}

/// One feature: its geometry (`None` when `null`) and attributes; an error for a feature that
/// is not one or whose coordinates are bad.
fn feature_record(value: &Json, schema: &mut Option<crate::model::Schema>) -> Result<Record, Text> {
    // The JSON library's message has one wording.
    let f: geojson::Feature =
        serde_json::from_value(value.clone()).map_err(|e| Text::same(e.to_string()))?;
    let geometry = match &f.geometry {
        Some(g) => Some(geometry(&g.value, 0)?),
        None => None,
    };
    let mut attrs: Vec<(FieldName, Value)> = Vec::new();
    let has_id_property = f.properties.as_ref().is_some_and(|p| p.contains_key("id"));
    if let (Some(id), false) = (&f.id, has_id_property) {
        let v = match id {
            geojson::feature::Id::String(s) => Value::Text(s.clone()),
            geojson::feature::Id::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        };
        attrs.push(("id".into(), v));
    }
    for (k, v) in f.properties.iter().flatten() {
        attrs.push((k.as_str().into(), value_of(v)));
    }
    Ok((
        geometry,
        crate::model::Attributes::from_pairs_in(&attrs, schema),
    ))
}

/// A property value as an attribute value.
fn value_of(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Text(b.to_string()),
        Json::Number(n) => n.as_f64().map_or(Value::Null, Value::Number),
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(_) | Json::Object(_) => Value::Text(v.to_string()),
    }
}

/// Deepest GeometryCollection nesting accepted.
const MAX_DEPTH: usize = 32;

fn coord(p: &Position) -> Result<Coord<f64>, Text> {
    match p.as_slice() {
        [x, y, ..] => Ok(Coord { x: *x, y: *y }),
        s => {
            let n = s.len();
            Err(text!(
                "坐标只有 {n} 个数值（至少需要两个）",
                "a position with {n} number(s) (two or more needed)"
            ))
        }
    }
}

fn line(ps: &[Position]) -> Result<LineString<f64>, Text> {
    ps.iter()
        .map(coord)
        .collect::<Result<Vec<_>, _>>()
        .map(LineString::new)
}

fn polygon(rings: &[Vec<Position>]) -> Result<Polygon<f64>, Text> {
    let mut rings = rings.iter().map(|r| {
        let n = r.len();
        if n < 3 {
            return Err(text!(
                "多边形的环只有 {n} 个点",
                "a polygon ring with {n} position(s)"
            ));
        }
        line(r)
    });
    let outer = rings
        .next()
        .ok_or(Text::fixed("空多边形（没有环）", "a polygon without rings"))??;
    Ok(Polygon::new(outer, rings.collect::<Result<Vec<_>, _>>()?))
}

/// A GeoJSON geometry as `geo` geometry (z and m values are dropped).
fn geometry(v: &GeometryValue, depth: usize) -> Result<Geometry<f64>, Text> {
    Ok(match v {
        GeometryValue::Point { coordinates } => Geometry::Point(Point(coord(coordinates)?)),
        GeometryValue::MultiPoint { coordinates } => Geometry::MultiPoint(MultiPoint(
            coordinates
                .iter()
                .map(|p| coord(p).map(Point))
                .collect::<Result<_, _>>()?,
        )),
        GeometryValue::LineString { coordinates } => {
            if coordinates.len() < 2 {
                return Err(Text::fixed(
                    "线少于两个点",
                    "a line with fewer than 2 positions",
                ));
            }
            Geometry::LineString(line(coordinates)?)
        }
        GeometryValue::MultiLineString { coordinates } => {
            Geometry::MultiLineString(geo::MultiLineString(
                coordinates
                    .iter()
                    .map(|l| line(l))
                    .collect::<Result<_, _>>()?,
            ))
        }
        GeometryValue::Polygon { coordinates } => Geometry::Polygon(polygon(coordinates)?),
        GeometryValue::MultiPolygon { coordinates } => Geometry::MultiPolygon(geo::MultiPolygon(
            coordinates
                .iter()
                .map(|p| polygon(p))
                .collect::<Result<_, _>>()?,
        )),
        GeometryValue::GeometryCollection { geometries } => {
            if depth >= MAX_DEPTH {
                return Err(Text::fixed(
                    "GeometryCollection 嵌套过深",
                    "GeometryCollection nested too deep",
                ));
            }
            Geometry::GeometryCollection(GeometryCollection(
                geometries
                    .iter()
                    .map(|g| geometry(&g.value, depth + 1))
                    .collect::<Result<_, _>>()?,
            ))
        }
    })
}

/// The CRS named by a `crs` member: `{"type":"name","properties":{"name":…}}` (an OGC URN,
/// `EPSG:code` or `CRS84`) or `{"type":"EPSG","properties":{"code":…}}`.
pub fn declared_crs(crs: &Json) -> Result<DeclaredCrs, Text> {
    let props = crs.get("properties");
    let kind = crs.get("type").and_then(Json::as_str).unwrap_or("");
    let (code, named) = match kind.to_ascii_lowercase().as_str() {
        "name" => {
            let name = props
                .and_then(|p| p.get("name"))
                .and_then(Json::as_str)
                .ok_or(Text::fixed("没有 properties.name", "no properties.name"))?;
            (
                code_of_name(name).ok_or_else(|| {
                    text!("未知的坐标系名称 {name:?}", "unknown CRS name {name:?}")
                })?,
                name.to_owned(),
            )
        }
        "epsg" => {
            let code = props
                .and_then(|p| p.get("code"))
                .and_then(|c| c.as_u64().or_else(|| c.as_str()?.trim().parse().ok()))
                .and_then(|c| u32::try_from(c).ok())
                .ok_or(Text::fixed("没有 properties.code", "no properties.code"))?;
            (code, format!("EPSG:{code}"))
        }
        other => {
            return Err(text!(
                "crs 类型 {other:?}（只读取 \"name\" 与 \"EPSG\"）",
                "crs type {other:?} (only \"name\" and \"EPSG\" are read)"
            ));
        }
    };
    let label = if code == 4326 {
        crate::io::crs_decision::WGS84_LABEL
    } else {
        label_of(code)
    };
    Ok(DeclaredCrs {
        epsg: code,
        label,
        reason: text!(
            "GeoJSON 的 crs 成员：{named}",
            "the GeoJSON's crs member: {named}"
        ),
    })
}

/// The EPSG code of a CRS name: `urn:ogc:def:crs:EPSG::4490`, `urn:ogc:def:crs:EPSG:6.3:4490`,
/// `EPSG:4490`, `urn:ogc:def:crs:OGC:1.3:CRS84` / `CRS84` (→ 4326).
fn code_of_name(name: &str) -> Option<u32> {
    let n = name.trim();
    let upper = n.to_ascii_uppercase();
    if upper.ends_with("CRS84") {
        return Some(4326);
    }
    if !upper.contains("EPSG") {
        return None;
    }
    n.rsplit(':').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crs_names() {
        for (name, code) in [
            ("urn:ogc:def:crs:EPSG::4490", Some(4490)),
            ("urn:ogc:def:crs:EPSG:6.3:4529", Some(4529)),
            ("EPSG:4550", Some(4550)),
            ("urn:ogc:def:crs:OGC:1.3:CRS84", Some(4326)),
            ("urn:ogc:def:crs:OGC::CRS84", Some(4326)),
            ("+proj=longlat", None),
            ("EPSG:", None),
        ] {
            assert_eq!(code_of_name(name), code, "{name}");
        }
        let old = serde_json::json!({"type": "EPSG", "properties": {"code": 4529}});
        assert_eq!(declared_crs(&old).map(|d| d.epsg), Ok(4529));
        let link = serde_json::json!({"type": "link", "properties": {"href": "x"}});
        assert!(declared_crs(&link).is_err());
    }

    #[test]
    fn short_positions_are_errors_not_panics() {
        let short = GeometryValue::LineString {
            coordinates: vec![Position::from(vec![1.0]), Position::from([2.0, 3.0])],
        };
        assert!(geometry(&short, 0).is_err());
    }
}
