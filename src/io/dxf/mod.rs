//! AutoCAD DXF input (R12–2018, ASCII and binary, read by the `dxf` crate): closed polylines
//! become polygons (with holes, see [`assemble`]), open ones and LINE/ARC lines, POINT and
//! INSERT points; attributes are the CAD layer, the entity type, the block name and the texts
//! lying inside each polygon; a text inside no polygon is a point with its text. A DXF stores no CRS: it is inferred from the numbers as for
//! corner lists (zone-prefixed eastings, swapped X/Y; CAD x is the easting, the surveyor's Y)
//! and shown as a guess the user confirms or changes in the layer's settings. A drawing whose
//! numbers fit no CRS of the region (millimetres, a local 0..1000 drawing) gets a message that
//! says what its units and extent are.
//!
//! HATCH entities: the `dxf` crate (0.6) skips them, so their boundary paths are read from the
//! group codes of the drawing, ASCII or binary ([`hatch`]).
//!
//! - [`shapes`]: entities as paths, points and labels (bulges as arcs).
//! - [`hatch`]: HATCH boundary paths of ASCII drawings as polygons.
//! - [`assemble`]: paths into polygons with holes, lines and points; texts to their polygons.
//! - [`text`]: code page, `\U+` escapes, MTEXT formatting.

pub mod assemble;
pub mod hatch;
pub mod shapes;
pub mod text;

use std::path::Path;

use ::dxf::Drawing;
use ::dxf::entities::EntityType;
use ::dxf::enums::Units;

use crate::crs::crs_guess;
use crate::io::loader::{self, LoadError, LoadErrorKind, LoadOptions, LoadedLayer, Progress};
use crate::text::{Lang, Text};

/// Read a DXF file's drawing. The `dxf` crate is given the whole file from memory (it reads the
/// whole file anyway); a panic inside it becomes an error.
fn read_drawing(bytes: &[u8], opts: &LoadOptions) -> Result<Drawing, Text> {
    let head = &bytes[..bytes.len().min(22)];
    let binary = head.starts_with(b"AutoCAD Binary DXF");
    let looks_dxf = binary || {
        let t = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        t.lines().take(2).map(str::trim).eq(["0", "SECTION"])
            || t.lines().next().is_some_and(|l| l.trim() == "999")
    };
    if !looks_dxf {
        return Err(Text::fixed(
            "不是 DXF 图形（开头既不是 \"0 SECTION\"，也不是二进制 DXF 的标记）",
            "not a DXF drawing (it starts neither with \"0 SECTION\" nor with the binary DXF sentinel)",
        ));
    }
    let enc = opts.encoding.unwrap_or_else(|| text::code_page(bytes));
    let result = std::panic::catch_unwind(|| {
        let mut cursor = std::io::Cursor::new(bytes);
        Drawing::load_with_encoding(&mut cursor, enc)
    });
    match result {
        Ok(Ok(mut d)) => {
            if binary {
                redecode_strings(&mut d, enc);
            }
            Ok(d)
        }
        Ok(Err(e)) => Err(crate::text!(
            "DXF 已损坏或不完整：{e}",
            "damaged or truncated DXF: {e}"
        )),
        Err(_) => Err(Text::fixed(
            "DXF 已损坏：DXF 读取程序在此文件上中止",
            "damaged DXF: the DXF reader stopped on it",
        )),
    }
}

/// Fix the strings the features use (layer, text, block names) of a binary drawing.
fn redecode_strings(d: &mut Drawing, enc: &'static encoding_rs::Encoding) {
    let fix = |s: &mut String| *s = text::redecode_binary(s, enc);
    for e in d.entities_mut() {
        fix(&mut e.common.layer);
        match &mut e.specific {
            EntityType::Text(t) => fix(&mut t.value),
            EntityType::MText(t) => {
                fix(&mut t.text);
                t.extended_text.iter_mut().for_each(fix);
            }
            EntityType::Insert(i) => fix(&mut i.name),
            _ => {}
        }
    }
}

/// The drawing's units in words (`$INSUNITS`).
fn units_name(u: Units) -> Text {
    match u {
        Units::Millimeters => Text::fixed("毫米", "millimetres"),
        Units::Centimeters => Text::fixed("厘米", "centimetres"),
        Units::Meters => Text::fixed("米", "metres"),
        Units::Kilometers => Text::fixed("千米", "kilometres"),
        Units::Inches | Units::Feet => Text::fixed("英制", "imperial"),
        Units::Unitless => Text::fixed("未指定", "unitless"),
        _ => Text::fixed("其他", "other"),
    }
}

/// When no CRS fits the numbers: a message saying what the drawing looks like.
fn extent_message(bbox: [f64; 4], units: Units) -> Text {
    let [x0, y0, x1, y1] = bbox;
    let span = (x1 - x0).max(y1 - y0);
    let why = if units == Units::Millimeters || x1.abs().max(y1.abs()) > 1e9 {
        Text::fixed(
            "数值像是以毫米为单位：请在 CAD 中把图形缩放为米（SCALE 0.001）",
            "the numbers look like millimetres: scale the drawing to metres (SCALE 0.001) in CAD",
        )
    } else if x1.abs().max(y1.abs()) < 200_000.0 {
        Text::fixed(
            "这是一个未配准的局部图（独立坐标）：请在 CAD 中把它移到 CGCS2000 坐标上，或选择坐标系",
            "a local drawing not placed in survey coordinates: move it to its CGCS2000 coordinates in CAD, or choose the CRS",
        )
    } else {
        Text::fixed(
            "坐标不属于本地区常用的坐标系：请选择坐标系",
            "the coordinates fit none of the region's CRSs: choose the CRS",
        )
    };
    let units = units_name(units);
    Text::by_lang(|l| {
        let (units, why) = (units.in_lang(l), why.in_lang(l));
        match l {
            Lang::Zh => format!(
                "无法确定图形的坐标系：范围 x {x0:.3}..{x1:.3}，y {y0:.3}..{y1:.3}（大小 {span:.3}），单位{units}；{why}（命令行：--crs EPSG）"
            ),
            Lang::En => format!(
                "cannot place this drawing: extent x {x0:.3}..{x1:.3}, y {y0:.3}..{y1:.3} (size {span:.3}), units {units}; {why} (command line: --crs EPSG)"
            ),
        }
    })
}

/// Load a DXF drawing as one layer. `shown` names the file in messages.
pub fn load(
    path: &Path,
    shown: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let bytes = std::fs::read(path)
        .map_err(|e| LoadError::new(shown, LoadErrorKind::CannotRead(e.to_string())))?;
    let drawing = read_drawing(&bytes, opts).map_err(|e| LoadError::invalid(shown, e))?;
    let mut problems = Vec::new();
    let mut shapes = hatches(&bytes, opts, &mut problems);
    drop(bytes);
    let mut other: std::collections::BTreeMap<String, usize> = Default::default();
    for e in drawing.entities() {
        match shapes::of_entity(e) {
            Some(s) => shapes.push(s),
            None => {
                let name = match &e.specific {
                    EntityType::ProxyEntity(_) => "PROXY".to_owned(),
                    s => format!("{s:?}")
                        .split(['(', ' ', '{'])
                        .next()
                        .unwrap_or("?")
                        .to_ascii_uppercase(),
                };
                *other.entry(name).or_default() += 1;
            }
        }
    }
    let units = drawing.header.default_drawing_units;
    let a = assemble::assemble(shapes);
    if a.loose_texts > 0 {
        let n = a.loose_texts;
        problems.push(crate::text!(
            "{n} 个注记不在任何多边形内，已作为点载入（TEXT 字段）",
            "{n} text(s) inside no polygon loaded as points (field TEXT)"
        ));
    }
    if a.degenerate > 0 {
        let n = a.degenerate;
        problems.push(crate::text!(
            "{n} 条多段线的不同顶点少于两个，已跳过",
            "{n} polyline(s) with fewer than two distinct vertices skipped"
        ));
    }
    if !other.is_empty() {
        let list: Vec<String> = other.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        let (zh, en) = (list.join("、"), list.join(", "));
        problems.push(crate::text!(
            "未读取的实体（不是地图要素）：{zh}",
            "entities not read (no map feature): {en}"
        ));
    }
    if a.records.is_empty() {
        let last = problems.last();
        let why = Text::by_lang(|l| match (l, last) {
            (Lang::Zh, Some(p)) => format!("图形中没有多段线、直线或点（{}）", p.in_lang(l)),
            (Lang::En, Some(p)) => format!(
                "the drawing holds no polyline, line or point ({})",
                p.in_lang(l)
            ),
            (Lang::Zh, None) => "图形中没有多段线、直线或点".to_owned(),
            (Lang::En, None) => "the drawing holds no polyline, line or point".to_owned(),
        });
        return Err(LoadError::new(shown, LoadErrorKind::NothingLoaded(why)));
    }
    if opts.epsg.is_none() {
        check_placeable(&a.records, units).map_err(|e| LoadError::invalid(shown, e))?;
    }
    let mut loaded = loader::finish(shown, a.records, None, opts, problems, None, progress)?;
    loaded.warnings.push(Text::fixed(
        "DXF 不含坐标系：已按数值推断，请在图层设置中确认",
        "a DXF stores no CRS: it was inferred from the numbers; confirm it in the layer settings",
    ));
    Ok(loaded)
}

/// The HATCH boundaries of a drawing (ASCII or binary) as closed paths; what was left out goes
/// to `problems`.
fn hatches(bytes: &[u8], opts: &LoadOptions, problems: &mut Vec<Text>) -> Vec<shapes::Shape> {
    let binary = bytes.starts_with(b"AutoCAD Binary DXF");
    let has_hatch = if binary {
        bytes.windows(6).any(|w| w == b"HATCH\0")
    } else {
        bytes.windows(6).any(|w| w == b"HATCH\n" || w == b"HATCH\r")
    };
    if !has_hatch {
        return Vec::new();
    }
    let enc = opts.encoding.unwrap_or_else(|| text::code_page(bytes));
    let h = if binary {
        match hatch::read_binary(bytes, enc) {
            Some(h) => h,
            None => {
                problems.push(Text::fixed(
                    "未读取 HATCH 实体：二进制图形的数值无法读到结尾",
                    "HATCH entities not read: the binary drawing's values could not be followed to its end",
                ));
                return Vec::new();
            }
        }
    } else {
        let (t, _, _) = enc.decode(bytes);
        hatch::read(&t)
    };
    if h.associative > 0 {
        let n = h.associative;
        problems.push(crate::text!(
            "{n} 个关联 HATCH 未载入：已载入它们的边界对象",
            "{n} associative HATCH(es) left out: their boundary objects are loaded"
        ));
    }
    if h.unreadable > 0 {
        let n = h.unreadable;
        problems.push(crate::text!(
            "{n} 个 HATCH 无法读取",
            "{n} HATCH(es) could not be read"
        ));
    }
    h.paths
}

/// Whether the numbers fit a CRS of the region; if not, why (units and extent).
fn check_placeable(records: &[loader::Record], units: Units) -> Result<(), Text> {
    use geo::CoordsIter;
    let coords = || {
        records
            .iter()
            .filter_map(|(g, _)| g.as_ref())
            .flat_map(|g| g.coords_iter().map(|c| [c.x, c.y]))
    };
    if crs_guess::infer(coords()).epsg.is_some() {
        return Ok(());
    }
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for [x, y] in coords().filter(|[x, y]| x.is_finite() && y.is_finite()) {
        bbox = [
            bbox[0].min(x),
            bbox[1].min(y),
            bbox[2].max(x),
            bbox[3].max(y),
        ];
    }
    Err(extent_message(bbox, units))
}
