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
use crate::io::loader::{self, LoadOptions, LoadedLayer, Progress};

/// Read a DXF file's drawing. The `dxf` crate is given the whole file from memory (it reads the
/// whole file anyway); a panic inside it becomes an error.
fn read_drawing(bytes: &[u8], opts: &LoadOptions) -> Result<Drawing, String> {
    let head = &bytes[..bytes.len().min(22)];
    let binary = head.starts_with(b"AutoCAD Binary DXF");
    let looks_dxf = binary || {
        let t = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        t.lines().take(2).map(str::trim).eq(["0", "SECTION"])
            || t.lines().next().is_some_and(|l| l.trim() == "999")
    };
    if !looks_dxf {
        return Err("not a DXF drawing (it starts neither with \"0 SECTION\" nor with the binary DXF sentinel)".into());
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
        Ok(Err(e)) => Err(format!("damaged or truncated DXF: {e}")),
        Err(_) => Err("damaged DXF: the DXF reader stopped on it".into()),
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
fn units_name(u: Units) -> &'static str {
    match u {
        Units::Millimeters => "毫米 / millimetres",
        Units::Centimeters => "厘米 / centimetres",
        Units::Meters => "米 / metres",
        Units::Kilometers => "千米 / kilometres",
        Units::Inches | Units::Feet => "英制 / imperial",
        Units::Unitless => "未指定 / unitless",
        _ => "其他 / other",
    }
}

/// When no CRS fits the numbers: a message saying what the drawing looks like.
fn extent_message(bbox: [f64; 4], units: Units) -> String {
    let [x0, y0, x1, y1] = bbox;
    let span = (x1 - x0).max(y1 - y0);
    let why = if units == Units::Millimeters || x1.abs().max(y1.abs()) > 1e9 {
        "数值像是以毫米为单位 / the numbers look like millimetres: scale the drawing to metres (SCALE 0.001) in CAD"
    } else if x1.abs().max(y1.abs()) < 200_000.0 {
        "这是一个未配准的局部图（独立坐标） / a local drawing not placed in survey coordinates: move it to its CGCS2000 coordinates in CAD, or choose the CRS"
    } else {
        "坐标不属于本地区常用的坐标系 / the coordinates fit none of the region's CRSs: choose the CRS"
    };
    format!(
        "无法确定图形的坐标系 / cannot place this drawing: extent x {x0:.3}..{x1:.3}, y {y0:.3}..{y1:.3} (size {span:.3}), units {}; {why} (command line: --crs EPSG)",
        units_name(units)
    )
}

/// Load a DXF drawing as one layer. `shown` names the file in messages.
pub fn load(
    path: &Path,
    shown: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{shown}: cannot read: {e}"))?;
    let drawing = read_drawing(&bytes, opts).map_err(|e| format!("{shown}: {e}"))?;
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
        problems.push(format!(
            "{} 个注记不在任何多边形内，已作为点载入（TEXT 字段） / {} text(s) inside no polygon loaded as points (field TEXT)",
            a.loose_texts, a.loose_texts
        ));
    }
    if a.degenerate > 0 {
        problems.push(format!(
            "{} polyline(s) with fewer than two distinct vertices skipped",
            a.degenerate
        ));
    }
    if !other.is_empty() {
        let list: Vec<String> = other.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
        problems.push(format!(
            "entities not read (no map feature): {}",
            list.join(", ")
        ));
    }
    if a.records.is_empty() {
        return Err(format!(
            "{shown}: the drawing holds no polyline, line or point{}",
            problems
                .last()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        ));
    }
    if opts.epsg.is_none() {
        check_placeable(&a.records, units).map_err(|e| format!("{shown}: {e}"))?;
    }
    let mut loaded = loader::finish(shown, a.records, None, opts, problems, None, progress)?;
    loaded.warnings.push(
        "DXF 不含坐标系：已按数值推断，请在图层设置中确认 / a DXF stores no CRS: it was inferred from the numbers; confirm it in the layer settings".into(),
    );
    Ok(loaded)
}

/// The HATCH boundaries of a drawing (ASCII or binary) as closed paths; what was left out goes
/// to `problems`.
fn hatches(bytes: &[u8], opts: &LoadOptions, problems: &mut Vec<String>) -> Vec<shapes::Shape> {
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
                problems.push(
                    "HATCH entities not read: the binary drawing's values could not be followed to its end"
                        .into(),
                );
                return Vec::new();
            }
        }
    } else {
        let (t, _, _) = enc.decode(bytes);
        hatch::read(&t)
    };
    if h.associative > 0 {
        problems.push(format!(
            "{} associative HATCH(es) left out: their boundary objects are loaded",
            h.associative
        ));
    }
    if h.unreadable > 0 {
        problems.push(format!("{} HATCH(es) could not be read", h.unreadable));
    }
    h.paths
}

/// Whether the numbers fit a CRS of the region; if not, why (units and extent).
fn check_placeable(records: &[loader::Record], units: Units) -> Result<(), String> {
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
