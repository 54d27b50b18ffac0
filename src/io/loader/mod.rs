//! Loading the files surveyors send: shapefile sets (`.shp`), zips of them, GeoPackages
//! ([`crate::io::gpkg`]), DXF drawings ([`crate::io::dxf`]) and corner-coordinate lists
//! (`.txt`/`.csv`, 拐点坐标). Decides each layer's CRS (the `.prj`, else inferred from the
//! numbers, or the user's choice) and text encoding (see [`crate::io::encoding`]), offers the X/Y
//! swap fix, warns about datums PROJ cannot transform exactly, reprojects to CGCS2000 on every
//! core, and reports what was skipped and why. Runs anywhere (a worker thread in the window),
//! reports progress and can be cancelled between files and records.
//!
//! - `finish`: the end every reader's records share (CRS decision, reprojection, swap, provenance).

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use encoding_rs::Encoding;
use geo::{
    BoundingRect, Coord, CoordsIter, Geometry, LineString, MapCoordsInPlace, MultiPolygon, Polygon,
};

use crate::crs::crs_guess::{self, CrsSource};
use crate::crs::{self, EPSG_CGCS2000};
use crate::io::corners::{self, CornerFile};
use crate::io::crs_decision::{self, Declared};
use crate::io::encoding::{self, Detected};
pub use crate::io::load_error::{LoadError, LoadErrorKind};
use crate::io::shp::{self, ShapefileSet};
use crate::io::{geojson_in, kml_in, unplaced, unsupported, zip_input};
use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};
use crate::text;
use crate::text::{Lang, Text};

/// What the user chose for a file (kept between runs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// Text encoding instead of the detected one.
    pub encoding: Option<&'static Encoding>,
    /// CRS (EPSG code) instead of the `.prj` or the inferred one.
    pub epsg: Option<u32>,
    /// Swap the two coordinates of every point before transforming: `Some` is the user's
    /// choice; `None` reads the numbers as written unless they can only be placed swapped.
    pub swap_xy: Option<bool>,
    /// A local grid's four- or seven-parameter transform (`--transform FILE`, or the window's
    /// transform dialog), applied to the numbers before anything else; the CRS it gives is then
    /// the layer's.
    pub transform: Option<std::sync::Arc<crate::crs::grid_transform::TransformSpec>>,
    /// The tables to load from a file holding several (a GeoPackage's feature tables, picked
    /// in the window or named by `--table`); `None` loads them all.
    pub tables: Option<Vec<String>>,
}

pub use crate::io::crs_decision::{CrsDecision, DeclaredCrs};

mod finish;
pub(crate) use finish::{Record, finish, finish_declared};

/// One loaded layer with everything the user should be told about it.
#[derive(Debug, Clone)]
pub struct LoadedLayer {
    /// The layer (geometry in CGCS2000 lon/lat).
    pub layer: Layer,
    /// Records or lines skipped, undecodable text…
    pub problems: Vec<Text>,
    /// The CRS decision.
    pub crs: CrsDecision,
    /// The encoding used (shapefiles and text files), and why.
    pub encoding: Option<Detected>,
    /// Warnings: datum accuracy, a likely X/Y swap.
    pub warnings: Vec<Text>,
    /// Set when the numbers look swapped: the explanation of the offered fix.
    pub swap_suggested: Option<Text>,
    /// Whether X/Y were swapped on load (asked for, or applied because nothing else placed it).
    pub swapped: bool,
}

/// Progress of a load, shared with the window: counts and a cancel flag.
#[derive(Debug, Default)]
pub struct Progress {
    /// Units of work in all (files, then records).
    pub total: AtomicUsize,
    /// Units done.
    pub done: AtomicUsize,
    /// Set by the user to stop.
    pub cancel: AtomicBool,
}

impl Progress {
    /// Fraction done, 0..=1.
    pub fn fraction(&self) -> f32 {
        let t = self.total.load(Ordering::Relaxed);
        if t == 0 {
            0.0
        } else {
            (self.done.load(Ordering::Relaxed) as f32 / t as f32).min(1.0)
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The first quoted name of a WKT string (the CRS's own name).
pub fn wkt_name(wkt: &str) -> Option<&str> {
    let start = wkt.find('"')? + 1;
    let len = wkt[start..].find('"')?;
    Some(&wkt[start..start + len])
}

/// Provenance from the `SJXZ`/`SJLY` fields when present (the bundled data), else "surveyed"
/// with the file's name (shared, not copied, by the features of a file).
pub fn provenance_of(
    attributes: &crate::model::Attributes,
    file_name: &std::sync::Arc<str>,
) -> Provenance {
    let get = |k: &str| attributes.get(k).and_then(|v| v.as_text());
    match get("SJXZ").and_then(ProvenanceKind::parse) {
        Some(kind) => Provenance {
            kind,
            source: get("SJLY").map_or_else(|| file_name.clone(), std::sync::Arc::from),
        },
        None => Provenance {
            kind: ProvenanceKind::Surveyed,
            source: file_name.clone(),
        },
    }
}

/// Load one file (a zip may give several layers). Errors name the file and the problem.
pub fn load_path(
    path: &Path,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<Vec<LoadedLayer>, LoadError> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    progress.total.fetch_add(1, Ordering::Relaxed);
    let result = match ext.as_str() {
        "shp" => {
            let big = std::fs::metadata(path).is_ok_and(|m| m.len() > shp::STREAM_ABOVE);
            let unread = |e: shp::Unreadable| {
                LoadError::new(
                    &e.path.display().to_string(),
                    LoadErrorKind::CannotRead(e.reason),
                )
            };
            if big {
                // Read in chunks: the .shp is never held whole.
                let set = ShapefileSet::read_sidecars(path).map_err(unread)?;
                from_set_streamed(set, path, &shown, opts, progress).map(|l| vec![l])
            } else {
                let set = ShapefileSet::read(path).map_err(unread)?;
                from_set(set, &shown, opts, progress).map(|l| vec![l])
            }
        }
        "zip" => {
            let bytes = read_whole(path, &shown)?;
            from_zip(&bytes, &shown, opts, progress)
        }
        "txt" | "csv" => {
            let bytes = read_whole(path, &shown)?;
            from_corner_bytes(&bytes, &shown, opts).map(|l| vec![l])
        }
        "gpkg" => crate::io::gpkg::load(path, &shown, opts, progress),
        "dxf" => crate::io::dxf::load(path, &shown, opts, progress).map(|l| vec![l]),
        "geojson" | "json" => read_whole(path, &shown)
            .and_then(|b| geojson_in::load(&b, &shown, opts, progress))
            .map(|l| vec![l]),
        "kml" => read_whole(path, &shown)
            .and_then(|b| kml_in::load(&b, &shown, opts, progress))
            .map(|l| vec![l]),
        "kmz" => read_whole(path, &shown)
            .and_then(|b| kml_in::load_kmz(&b, &shown, opts, progress))
            .map(|l| vec![l]),
        x if unsupported::advice(path, x).is_some() => Err(LoadError::new(
            &shown,
            LoadErrorKind::Unsupported(unsupported::advice(path, x)),
        )),
        "dbf" | "shx" | "prj" | "cpg" => {
            let shp = path.with_extension("shp");
            if shp.is_file() {
                return load_path(&shp, opts, progress);
            }
            Err(LoadError::new(&shown, LoadErrorKind::PartOfShapefileSet))
        }
        _ => Err(LoadError::new(&shown, LoadErrorKind::Unsupported(None))),
    };
    progress.done.fetch_add(1, Ordering::Relaxed);
    result
}

/// The zip reader's message (which names the zip or the member itself) as an error about
/// `file`, the name not repeated when the message begins with it.
pub(crate) fn reader_error(file: &str, e: &Text) -> LoadError {
    let why = Text::by_lang(|l| {
        let said = e.in_lang(l);
        [l.t("：", ": ")]
            .iter()
            .find_map(|sep| said.strip_prefix(file)?.strip_prefix(sep))
            .unwrap_or(said)
            .to_owned()
    });
    LoadError::invalid(file, why)
}

/// A local grid's transform that could not be made or applied.
fn transform_failed(e: &Text) -> Text {
    Text::by_lang(|l| match l {
        Lang::Zh => format!("坐标转换：{}", e.in_lang(l)),
        Lang::En => format!("transform: {}", e.in_lang(l)),
    })
}

/// The whole file, or an error naming it.
fn read_whole(path: &Path, shown: &str) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| LoadError::new(shown, LoadErrorKind::CannotRead(e.to_string())))
}

fn from_zip(
    bytes: &[u8],
    shown: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<Vec<LoadedLayer>, LoadError> {
    let contents = zip_input::read_zip(bytes, shown).map_err(|e| reader_error(shown, &e))?;
    let had_sets = !contents.sets.is_empty();
    let mut out = Vec::new();
    let mut skipped: Vec<Text> = contents.skipped;
    let other_files = contents.other_files;
    for zs in contents.sets {
        if progress.cancelled() {
            return Err(LoadError::cancelled(shown));
        }
        let label = format!("{shown}!{}", zs.member);
        match from_set(zs.set, &label, opts, progress) {
            Ok(l) => out.push(l),
            Err(e) => skipped.push(e.text()),
        }
    }
    for name in &other_files {
        let lower = name.to_ascii_lowercase();
        let read: fn(&[u8], &str, &LoadOptions) -> Result<LoadedLayer, LoadError> =
            match lower.rsplit('.').next().unwrap_or_default() {
                "txt" | "csv" => from_corner_bytes,
                "geojson" | "json" => |b, l, o| geojson_in::load(b, l, o, &Progress::default()),
                "kml" => |b, l, o| kml_in::load(b, l, o, &Progress::default()),
                _ => continue,
            };
        let label = format!("{shown}!{name}");
        let member = zip_input::read_member(bytes, name).map_err(|e| reader_error(&label, &e));
        match member.and_then(|b| read(&b, &label, opts)) {
            Ok(l) => out.push(l),
            Err(e) => skipped.push(e.text()),
        }
    }
    if out.is_empty() {
        let listed = Text::join(&skipped);
        let why = match (had_sets, skipped.is_empty()) {
            (_, true) => Text::fixed(
                "其中没有 shapefile 文件组，也没有拐点坐标表",
                "it holds no shapefile set and no corner-coordinate list",
            ),
            (true, false) => listed,
            // Said first: what the other members gave is only why they were not lists either.
            (false, false) => Text::by_lang(|l| match l {
                Lang::Zh => format!(
                    "其中没有 shapefile 文件组，其他文件也都无法读取（{}）",
                    listed.in_lang(l)
                ),
                Lang::En => format!(
                    "it holds no shapefile set, and no other member could be read ({})",
                    listed.in_lang(l)
                ),
            }),
        };
        return Err(LoadError::new(shown, LoadErrorKind::NothingLoaded(why)));
    }
    if let Some(first) = out.first_mut() {
        first.problems.extend(skipped.into_iter().map(|s| {
            Text::by_lang(|l| match l {
                Lang::Zh => format!("压缩包中跳过：{}", s.in_lang(l)),
                Lang::En => format!("skipped in the zip: {}", s.in_lang(l)),
            })
        }));
    }
    Ok(out)
}

pub(crate) fn file_name(source: &str) -> String {
    let tail = source.rsplit(['/', '\\', '!']).next().unwrap_or(source);
    tail.to_owned()
}

pub(crate) fn stem(source: &str) -> String {
    let name = file_name(source);
    match name.rfind('.') {
        Some(i) if i > 0 => name[..i].to_owned(),
        _ => name,
    }
}

/// Load a shapefile set (in memory). `source` names it in messages. The set's bytes are let go
/// as soon as they are decoded, before the geometry is reprojected (a county layer's `.shp` is
/// half a gigabyte).
pub fn from_set(
    set: ShapefileSet,
    source: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    from_decoded(set, None, source, opts, progress)
}

/// [`from_set`] for a set read without its `.shp` ([`ShapefileSet::read_sidecars`]), whose
/// geometry is read from `shp_path` in chunks.
pub fn from_set_streamed(
    set: ShapefileSet,
    shp_path: &Path,
    source: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    from_decoded(set, Some(shp_path), source, opts, progress)
}

fn from_decoded(
    set: ShapefileSet,
    shp_path: Option<&Path>,
    source: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    // The shapefile reader's messages have one wording.
    let decoded = match shp_path {
        Some(p) => shp::decode_from_file(&set, p, opts.encoding),
        None => shp::decode(&set, opts.encoding),
    }
    .map_err(|e| LoadError::invalid(source, e))?;
    let prj = set.prj;
    drop(set.shp);
    drop(set.dbf);
    progress
        .total
        .fetch_add(decoded.records.len(), Ordering::Relaxed);
    if decoded.records.iter().all(|(g, _)| g.is_none()) {
        return Err(LoadError::no_features(
            source,
            false,
            decoded.problems.first(),
        ));
    }
    let n = decoded.records.len();
    let out = finish(
        source,
        decoded.records,
        prj.as_deref(),
        opts,
        decoded.problems,
        Some(decoded.encoding),
        progress,
    );
    progress.done.fetch_add(n, Ordering::Relaxed);
    out
}

/// Decode a text file: strict UTF-8 (with or without BOM), else GBK, else GB18030.
pub fn decode_text(bytes: &[u8], opts: &LoadOptions) -> Result<(String, Detected), Text> {
    if let Some(enc) = opts.encoding {
        return encoding::decode_strict(enc, bytes)
            .map(|t| (t, Detected::chosen(enc)))
            .ok_or_else(|| {
                let name = enc.name();
                text!("文本不是有效的 {name}", "the text is not valid {name}")
            });
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(t) = std::str::from_utf8(body) {
        return Ok((
            t.to_owned(),
            Detected {
                encoding: encoding_rs::UTF_8,
                reason: Text::fixed("有效的 UTF-8", "valid UTF-8"),
            },
        ));
    }
    for enc in [encoding_rs::GBK, encoding_rs::GB18030] {
        if let Some(t) = encoding::decode_strict(enc, body) {
            return Ok((
                t,
                Detected {
                    encoding: enc,
                    reason: Text::fixed("不是 UTF-8", "not UTF-8"),
                },
            ));
        }
    }
    Err(Text::fixed(
        "文本既不是 UTF-8，也不是 GBK/GB18030",
        "the text is neither UTF-8 nor GBK/GB18030",
    ))
}

fn ring_of(points: &[[f64; 2]]) -> LineString<f64> {
    // Corner lists write X = northing, Y = easting: as map coordinates that is (Y, X).
    points.iter().map(|p| Coord { x: p[1], y: p[0] }).collect()
}

/// Turn parsed corner lists into polygon records (attributes: the parcel's, plus its name and
/// point count), in the file's own coordinates.
fn corner_records(file: &CornerFile) -> Vec<Record> {
    let mut schema = None;
    file.parcels
        .iter()
        .map(|p| {
            let mut polys: Vec<Polygon<f64>> = Vec::new();
            for r in &p.rings {
                if r.hole
                    && let Some(last) = polys.last_mut()
                {
                    last.interiors_push(ring_of(&r.points));
                    continue;
                }
                polys.push(Polygon::new(ring_of(&r.points), vec![]));
            }
            let mut attrs = vec![("DKMC".into(), Value::Text(p.name.clone()))];
            attrs.extend(
                p.attributes
                    .iter()
                    .map(|(k, v)| (k.as_str().into(), v.clone())),
            );
            attrs.push(("JZDS".into(), Value::Number(p.point_names.len() as f64)));
            let geom = (!polys.is_empty()).then_some(Geometry::MultiPolygon(MultiPolygon(polys)));
            (
                geom,
                crate::model::Attributes::from_pairs_in(&attrs, &mut schema),
            )
        })
        .collect()
}

/// Load a corner-coordinate list from its bytes. `source` names it in messages.
pub fn from_corner_bytes(
    bytes: &[u8],
    source: &str,
    opts: &LoadOptions,
) -> Result<LoadedLayer, LoadError> {
    let (text, detected) = decode_text(bytes, opts).map_err(|e| LoadError::invalid(source, e))?;
    let file = corners::parse(&text).map_err(|e| LoadError::invalid(source, e))?;
    let problems: Vec<Text> = file.problems.iter().map(|p| p.message.clone()).collect();
    let records = corner_records(&file);
    // A [属性描述] header naming the zone and datum decides the CRS like a .prj would.
    let header = header_crs(&file.header).map(|code| DeclaredCrs {
        epsg: code,
        label: crs_decision::label_of(code),
        reason: Text::fixed(
            "来自文件的 [属性描述]（坐标系、带号）",
            "from the file's [属性描述] (坐标系, 带号)",
        ),
    });
    let declared = header.as_ref().map_or(Declared::Nothing, Declared::File);
    let mut loaded = finish_declared(
        source,
        records,
        declared,
        opts,
        problems,
        Some(detected),
        &Progress::default(),
    )?;
    // The layer was just made: its features are not shared yet, nothing is copied.
    let name: std::sync::Arc<str> = file_name(source).into();
    for f in std::sync::Arc::make_mut(&mut loaded.layer.features) {
        f.provenance = Provenance {
            kind: ProvenanceKind::Surveyed,
            source: name.clone(),
        };
    }
    Ok(loaded)
}

/// The CRS named by a land-survey file's `[属性描述]` (坐标系 + 几度分带 + 带号).
pub fn header_crs(header: &[(String, String)]) -> Option<u32> {
    let get = |k: &str| {
        header
            .iter()
            .find(|(key, _)| key.trim() == k)
            .map(|(_, v)| v.trim().to_owned())
    };
    let datum = get("坐标系")?;
    let width = get("几度分带").unwrap_or_else(|| "3".into());
    let zone: u32 = get("带号")?.parse().ok()?;
    let cgcs = datum.contains("2000");
    let xian = datum.contains("80") || datum.contains("西安");
    let beijing = datum.contains("54") || datum.contains("北京");
    match (width.as_str(), zone) {
        ("3", 41) if cgcs => Some(4529),
        ("3", 41) if xian => Some(2365),
        ("3", 41) if beijing => Some(2417),
        ("6", 21) if cgcs => Some(4499),
        ("6", 21) if xian => Some(2335),
        ("6", 21) if beijing => Some(21421),
        _ => None,
    }
}
