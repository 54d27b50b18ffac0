//! ESRI shapefile sets (`.shp`, `.shx`, `.dbf`, `.prj`, `.cpg`) in memory and on disk, with
//! geometry converted to and from `geo` types. Attribute tables go through [`crate::io::dbf`];
//! a `.shp` over [`STREAM_ABOVE`] bytes is read from disk in chunks (the private `stream`
//! module). Shapes become `geo` geometry in [`to_geo`] (its own module); MultiPatch shapes are
//! read as polygons (the private `multipatch` module).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use encoding_rs::Encoding;
use geo::{Geometry, LineString, Polygon};
use shapefile::{PolygonRing, ReadableShape, Shape, ShapeReader, ShapeWriter};

use crate::io::dbf::{self, FieldSpec};
use crate::io::encoding::{self, Detected};
use crate::model::Value;
use crate::text;
use crate::text::{Lang, Text};

/// The files of one shapefile set, held in memory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShapefileSet {
    /// `.shp` geometry.
    pub shp: Vec<u8>,
    /// `.shx` index, if present.
    pub shx: Option<Vec<u8>>,
    /// `.dbf` attributes.
    pub dbf: Vec<u8>,
    /// `.prj` WKT, if present.
    pub prj: Option<String>,
    /// `.cpg` code page, if present.
    pub cpg: Option<String>,
}

/// Find a sidecar next to `shp` with extension `ext`, in either letter case.
fn sidecar(shp: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .into_iter()
        .map(|e| shp.with_extension(e))
        .find(|p| p.is_file())
}

mod multipatch;
mod stream;
mod to_geo;

pub use to_geo::to_geo;

/// A `.shp` larger than this is read from disk in chunks ([`ShapefileSet::read_sidecars`],
/// [`decode_from_file`]) rather than held whole in memory while it is parsed.
pub const STREAM_ABOVE: u64 = 16 << 20;

/// Bytes of a `.shp` read at a time when it is read in chunks.
const CHUNK: usize = 8 << 20;

/// A file of a set that could not be read: its path and the system's reason (in the system's
/// words).
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    /// The file.
    pub path: std::path::PathBuf,
    /// Why.
    pub reason: String,
}

impl Unreadable {
    fn new(path: &Path, e: &std::io::Error) -> Self {
        Self {
            path: path.to_path_buf(),
            reason: e.to_string(),
        }
    }
}

impl ShapefileSet {
    /// Read a set from disk, given the path of its `.shp`. `.dbf` is required; `.shx`, `.prj`
    /// and `.cpg` are optional. Errors name the file and the problem.
    pub fn read(shp_path: &Path) -> Result<Self, Unreadable> {
        let shp = std::fs::read(shp_path).map_err(|e| Unreadable::new(shp_path, &e))?;
        Ok(Self {
            shp,
            ..Self::read_sidecars(shp_path)?
        })
    }

    /// Read every file of a set but the `.shp` itself (left empty), for [`decode_from_file`].
    /// A missing `.dbf` leaves `dbf` empty: the geometry is read without attributes (as GDAL
    /// and QGIS do), and [`decode`] says so.
    pub fn read_sidecars(shp_path: &Path) -> Result<Self, Unreadable> {
        let shp = Vec::new();
        let dbf = match sidecar(shp_path, "dbf") {
            Some(dbf_path) => {
                std::fs::read(&dbf_path).map_err(|e| Unreadable::new(&dbf_path, &e))?
            }
            None => Vec::new(),
        };
        let read_opt = |ext: &str| sidecar(shp_path, ext).and_then(|p| std::fs::read(p).ok());
        let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
        Ok(Self {
            shp,
            shx: read_opt("shx"),
            dbf,
            prj: read_opt("prj").map(text),
            cpg: read_opt("cpg").map(text),
        })
    }

    /// Write every file of the set into `dir` as `stem.*`.
    pub fn write(&self, dir: &Path, stem: &str) -> Result<(), String> {
        let put = |ext: &str, bytes: &[u8]| {
            let path = dir.join(format!("{stem}.{ext}"));
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))
        };
        put("shp", &self.shp)?;
        if let Some(shx) = &self.shx {
            put("shx", shx)?;
        }
        put("dbf", &self.dbf)?;
        if let Some(prj) = &self.prj {
            put("prj", prj.as_bytes())?;
        }
        if let Some(cpg) = &self.cpg {
            put("cpg", cpg.as_bytes())?;
        }
        Ok(())
    }
}

/// What is needed to write one attribute table: the field layout and the rows.
pub struct Attributes<'a> {
    /// Field layout.
    pub fields: &'a [FieldSpec],
    /// One row per geometry.
    pub rows: &'a [Vec<Value>],
}

/// Encode geometries and attributes as a shapefile set in UTF-8 with a `.cpg`.
///
/// All geometries must be of one kind: points, or (multi)polygons. `date` is stamped into the
/// DBF header so that the bytes are reproducible.
pub fn encode(
    geometries: &[Geometry<f64>],
    attributes: Attributes<'_>,
    prj: &str,
    date: (u16, u8, u8),
) -> Result<ShapefileSet, String> {
    let mut shp = Cursor::new(Vec::new());
    let mut shx = Cursor::new(Vec::new());
    {
        let mut writer = ShapeWriter::with_shx(&mut shp, &mut shx);
        let all_points = geometries.iter().all(|g| matches!(g, Geometry::Point(_)));
        if all_points {
            let pts: Vec<shapefile::Point> = geometries
                .iter()
                .filter_map(|g| match g {
                    Geometry::Point(p) => Some(shapefile::Point::new(p.x(), p.y())),
                    _ => None,
                })
                .collect();
            for p in &pts {
                writer
                    .write_shape(p)
                    .map_err(|e| format!("writing points: {e}"))?;
            }
        } else {
            let polys = geometries
                .iter()
                .map(to_shp_polygon)
                .collect::<Result<Vec<_>, _>>()?;
            for p in &polys {
                writer
                    .write_shape(p)
                    .map_err(|e| format!("writing polygons: {e}"))?;
            }
        }
        writer
            .finalize()
            .map_err(|e| format!("finishing .shp: {e}"))?;
    }
    let dbf = dbf::write(
        attributes.fields,
        attributes.rows,
        encoding_rs::UTF_8,
        0,
        date,
    )?;
    Ok(ShapefileSet {
        shp: shp.into_inner(),
        shx: Some(shx.into_inner()),
        dbf,
        prj: Some(prj.to_owned()),
        cpg: Some("UTF-8".into()),
    })
}

fn ring_points(ls: &LineString<f64>) -> Vec<shapefile::Point> {
    ls.0.iter()
        .map(|c| shapefile::Point::new(c.x, c.y))
        .collect()
}

fn to_shp_polygon(g: &Geometry<f64>) -> Result<shapefile::Polygon, String> {
    let polys: Vec<&Polygon<f64>> = match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(mp) => mp.0.iter().collect(),
        other => return Err(format!("cannot write {other:?} in a polygon layer")),
    };
    let mut rings = Vec::new();
    for p in polys {
        rings.push(PolygonRing::Outer(ring_points(p.exterior())));
        rings.extend(
            p.interiors()
                .iter()
                .map(|r| PolygonRing::Inner(ring_points(r))),
        );
    }
    if rings.is_empty() {
        return Err("empty polygon".into());
    }
    Ok(shapefile::Polygon::with_rings(rings))
}

/// What reading the `.shp` gave.
struct ShapesRead {
    shape_type: String,
    /// Per record: the geometry (None for a null shape) or why it could not be used.
    geoms: Vec<Result<Option<Geometry<f64>>, Text>>,
    /// A note when reading stopped early (a truncated or damaged record).
    stopped: Option<Text>,
}

/// The byte offsets of the records of a `.shp`, from their headers.
fn record_offsets(shp: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut at = 100usize;
    while let Some(len) = shp
        .get(at + 4..at + 8)
        .map(|x| i32::from_be_bytes([x[0], x[1], x[2], x[3]]))
    {
        if len < 0 {
            break;
        }
        offsets.push(at);
        at += 8 + len as usize * 2;
    }
    offsets
}

/// The geometries of one run of records, and a note when reading stopped early.
type Run = (Vec<Result<Option<Geometry<f64>>, Text>>, Option<Text>);

/// Parse the records at `offsets` (byte offsets of their headers in `shp`; `first` is the
/// number of the first, from 0) in place, without copying the file.
fn parse_records(shp: &[u8], offsets: &[usize], first: usize) -> Run {
    let mut out = Vec::with_capacity(offsets.len());
    for (k, &at) in offsets.iter().enumerate() {
        let stop = |why: Text| Some(stopped_at(first + k + 1, Some(&why)));
        let len = shp
            .get(at + 4..at + 8)
            .map(|x| i64::from(i32::from_be_bytes([x[0], x[1], x[2], x[3]])) * 2);
        let Some(size) = len.and_then(|l| i32::try_from(l).ok()) else {
            return (out, stop(Text::fixed("记录长度", "record length")));
        };
        let body = shp
            .get(at + 8..)
            .map(|rest| &rest[..rest.len().min(size.max(0) as usize)])
            .unwrap_or_default();
        if let Err(why) = counts_fit(body) {
            return (out, stop(why));
        }
        match Shape::read_from(&mut Cursor::new(body), size) {
            Ok(shape) => out.push(to_geo(shape)),
            // The shapefile crate's message has one wording.
            Err(e) => return (out, stop(Text::same(e.to_string()))),
        }
    }
    (out, None)
}

/// The note of a reading stopped at shape `n` (from 1), and why when known.
fn stopped_at(n: usize, why: Option<&Text>) -> Text {
    Text::by_lang(|l| match (l, why) {
        (Lang::Zh, Some(w)) => format!("第 {n} 个图形无法读取（{}），读取到此为止", w.in_lang(l)),
        (Lang::En, Some(w)) => {
            format!(
                "shape {n} cannot be read ({}); reading stopped there",
                w.in_lang(l)
            )
        }
        (Lang::Zh, None) => format!("第 {n} 个图形无法读取，读取到此为止"),
        (Lang::En, None) => format!("shape {n} cannot be read; reading stopped there"),
    })
}

/// Whether the part and point counts a record declares fit in its bytes (the shapefile crate
/// allocates them as declared: 2³¹ points in a 100-byte record asked for 4 GB).
pub(crate) fn counts_fit(body: &[u8]) -> Result<(), Text> {
    let i32_at = |at: usize| {
        body.get(at..at + 4)
            .map(|x| i32::from_le_bytes([x[0], x[1], x[2], x[3]]))
    };
    let Some(kind) = i32_at(0) else {
        return Ok(());
    };
    // (offset of the part count or None, offset of the point count, bytes before the points)
    let (parts_at, points_at, fixed) = match kind {
        3 | 5 | 13 | 15 | 23 | 25 | 31 => (Some(36), 40, 44),
        8 | 18 | 28 => (None, 36, 40),
        _ => return Ok(()),
    };
    let parts = parts_at.map_or(Some(0), i32_at).unwrap_or(0);
    let points = i32_at(points_at).unwrap_or(0);
    let need = i64::from(parts.max(0)) * 4 + i64::from(points.max(0)) * 16 + fixed;
    if parts < 0 || points < 0 || need > body.len() as i64 {
        let bytes = body.len();
        return Err(text!(
            "记录声明 {parts} 个部分、{points} 个点，超过它的 {bytes} 字节所能容纳",
            "it declares {parts} part(s) and {points} point(s), more than its {bytes} bytes hold"
        ));
    }
    Ok(())
}

/// Parse the records of a `.shp` in which no record header was found (a header and garbage):
/// through the shapefile crate's reader, which says what is wrong.
fn parse_headerless(shp: &[u8]) -> Run {
    let mut out = Vec::new();
    let Ok(mut reader) = ShapeReader::new(Cursor::new(shp)) else {
        return (out, Some(stopped_at(1, None)));
    };
    for (k, shape) in reader.iter_shapes().enumerate() {
        match shape {
            Ok(s) => out.push(to_geo(s)),
            Err(e) => {
                let note = stopped_at(k + 1, Some(&Text::same(e.to_string())));
                return (out, Some(note));
            }
        }
    }
    (out, None)
}

/// Parse the records at `offsets` of `shp` (numbered from `first`) in `threads` runs at once,
/// appending them to `geoms` in order; reading stops at the first record that cannot be read,
/// and `stopped` says why.
fn parse_in_parallel(
    shp: &[u8],
    offsets: &[usize],
    first: usize,
    threads: usize,
    geoms: &mut Vec<Result<Option<Geometry<f64>>, Text>>,
    stopped: &mut Option<Text>,
) {
    let per = offsets.len().div_ceil(threads.max(1)).max(1);
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = offsets
            .chunks(per)
            .enumerate()
            .map(|(k, part)| scope.spawn(move || parse_records(shp, part, first + k * per)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| (Vec::new(), Some(READER_FAILED)))
            })
            .collect()
    });
    for (g, s) in runs {
        if stopped.is_some() {
            break;
        }
        geoms.extend(g);
        *stopped = s;
    }
}

/// Parse every shape of a `.shp` in order, split into runs of records over every core for large
/// files.
fn read_geometries(shp: &[u8]) -> Result<ShapesRead, Text> {
    let reader = ShapeReader::new(Cursor::new(shp)).map_err(|e| header_unreadable(&e))?;
    let shape_type = format!("{:?}", reader.header().shape_type);
    let offsets = record_offsets(shp);
    let threads = if offsets.len() < 4096 {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
    };
    let mut geoms = Vec::with_capacity(offsets.len());
    let mut stopped = None;
    if offsets.is_empty() {
        (geoms, stopped) = parse_headerless(shp);
    } else {
        parse_in_parallel(shp, &offsets, 0, threads, &mut geoms, &mut stopped);
    }
    Ok(ShapesRead {
        shape_type,
        geoms,
        stopped,
    })
}

/// The `.shp` reader (a thread) failed.
const READER_FAILED: Text = Text::fixed(".shp 读取线程失败", "a .shp reader thread failed");

/// The `.shp`'s header could not be read; the shapefile crate's reason.
fn header_unreadable(e: &dyn std::fmt::Display) -> Text {
    text!(
        ".shp 的文件头无法读取：{e}",
        "the .shp header cannot be read: {e}"
    )
}

/// Compare a `.shx` with the record offsets actually found in the `.shp`; a note when they
/// disagree (the `.shp` is then read on its own).
pub fn shx_disagreement(shp: &[u8], shx: &[u8]) -> Option<Text> {
    shx_disagrees_with(&record_offsets(shp), shx)
}

/// [`shx_disagreement`] given the `.shp`'s record offsets.
fn shx_disagrees_with(offsets: &[usize], shx: &[u8]) -> Option<Text> {
    let be = |b: &[u8], at: usize| {
        b.get(at..at + 4)
            .map(|x| i32::from_be_bytes([x[0], x[1], x[2], x[3]]))
    };
    let entries = shx.len().saturating_sub(100) / 8;
    if entries != offsets.len() {
        let held = offsets.len();
        return Some(text!(
            ".shx 列出 {entries} 条记录，而 .shp 有 {held} 条；已单独读取 .shp",
            "the .shx lists {entries} records but the .shp holds {held}; the .shp was read on its own"
        ));
    }
    for (i, off) in offsets.iter().enumerate() {
        let listed = be(shx, 100 + 8 * i)? as i64 * 2;
        if listed != *off as i64 {
            let n = i + 1;
            return Some(text!(
                ".shx 与 .shp 在第 {n} 条记录处不一致（偏移 {listed}，实际 {off}）；已单独读取 .shp",
                "the .shx disagrees with the .shp at record {n} (offset {listed}, actual {off}); the .shp was read on its own"
            ));
        }
    }
    None
}

/// What to say about record `n` (from 1) whose shape read as `shape`: a null shape is
/// skipped, an unusable one named with why; nothing for a geometry.
fn shape_problem(n: usize, shape: &Result<Option<Geometry<f64>>, Text>) -> Option<Text> {
    match shape {
        Ok(None) => Some(text!(
            "第 {n} 条记录：空图形，已跳过",
            "record {n}: null shape skipped"
        )),
        Ok(Some(_)) => None,
        Err(e) => Some(Text::by_lang(|l| match l {
            Lang::Zh => format!("第 {n} 条记录：{}", e.in_lang(l)),
            Lang::En => format!("record {n}: {}", e.in_lang(l)),
        })),
    }
}

/// One decoded record: geometry (None for a null shape) and attributes.
pub type Record = (Option<Geometry<f64>>, crate::model::Attributes);

/// A decoded set, with everything that went wrong on the way.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Records in file order (geometry in the file's own CRS).
    pub records: Vec<Record>,
    /// The attribute encoding used and why.
    pub encoding: Detected,
    /// The shape type declared in the header, e.g. "Polygon".
    pub shape_type: String,
    /// Notes on what was skipped or could not be decoded.
    pub problems: Vec<Text>,
}

/// Decode a set. `encoding_override` replaces the detected encoding when given. The `.shp` is
/// parsed on every core (in runs of records) while the `.dbf` is decoded.
pub fn decode(
    set: &ShapefileSet,
    encoding_override: Option<&'static Encoding>,
) -> Result<Decoded, Text> {
    decode_with(set, encoding_override, None)
}

/// [`decode`] for a set read by [`ShapefileSet::read_sidecars`]: its geometry is read from the
/// `.shp` at `shp_path` in chunks instead of from `set.shp`.
pub fn decode_from_file(
    set: &ShapefileSet,
    shp_path: &Path,
    encoding_override: Option<&'static Encoding>,
) -> Result<Decoded, Text> {
    decode_with(set, encoding_override, Some(shp_path))
}

#[allow(
    clippy::too_many_lines,
    reason = "decoding a shapefile set step by step; to be split once the io readers being changed in parallel (hardening) are merged"
)]
fn decode_with(
    set: &ShapefileSet,
    encoding_override: Option<&'static Encoding>,
    shp_file: Option<&Path>,
) -> Result<Decoded, Text> {
    let detected = match encoding_override {
        Some(enc) => Detected::chosen(enc),
        None => encoding::detect(set.cpg.as_deref(), &set.dbf),
    };
    // The .shp is parsed on another core while the .dbf is decoded here.
    std::thread::scope(|scope| {
        let shapes_job = scope.spawn(|| match shp_file {
            Some(path) => {
                // The .shx's record count sizes the list of shapes (no doubling growth).
                let expected = set
                    .shx
                    .as_ref()
                    .map_or(0, |x| x.len().saturating_sub(100) / 8);
                stream::stream_geometries(path, CHUNK, expected).map(|(r, o)| (r, Some(o)))
            }
            None => read_geometries(&set.shp).map(|r| (r, None)),
        });
        let mut problems = Vec::new();
        if set.shx.is_none() {
            // GDAL and pyshp read such a set as well: the .shp alone gives every record in order.
            problems.push(Text::fixed(
                "缺少 .shx 索引文件：已按顺序从 .shp 读取记录",
                "the .shx index file is missing: the records were read in order from the .shp",
            ));
        }
        // No .dbf at all: the shapes are read and numbered (FID), with no other attribute.
        let table = if set.dbf.is_empty() {
            problems.push(Text::fixed(
                "缺少 .dbf 属性文件：要素只带编号（FID）载入",
                "the .dbf attribute file is missing: the features are loaded with their numbers (FID) only",
            ));
            None
        } else {
            Some(dbf::read(&set.dbf, detected.encoding)?)
        };
        let table = match table {
            Some(t) => t,
            None => {
                let (read, _) = shapes_job.join().map_err(|_| READER_FAILED)??;
                problems.extend(read.stopped);
                let fid: crate::model::Schema = vec![crate::model::FieldName::from("FID")].into();
                let mut records = Vec::with_capacity(read.geoms.len());
                for (i, shape) in read.geoms.into_iter().enumerate() {
                    let number = crate::model::ValueRef::Number((i + 1) as f64);
                    let attrs = crate::model::Attributes::new(fid.clone(), [number]);
                    problems.extend(shape_problem(i + 1, &shape));
                    records.push((shape.ok().flatten(), attrs));
                }
                return Ok(Decoded {
                    records,
                    encoding: detected,
                    shape_type: read.shape_type,
                    problems,
                });
            }
        };
        if let Some(cpg) = set
            .cpg
            .as_deref()
            .filter(|c| encoding::from_cpg(c).is_none() && !c.trim().is_empty())
        {
            let cpg = cpg.trim();
            problems.push(text!(
                ".cpg 写的代码页 \"{cpg}\" 无法识别；已根据数据判断编码",
                "the .cpg names an unknown code page \"{cpg}\"; the encoding was decided from the data instead"
            ));
        }
        if table.records.len() < table.declared_records {
            let (read, declared) = (table.records.len(), table.declared_records);
            problems.push(text!(
                ".dbf 在 {declared} 条记录中的第 {read} 条之后就结束了",
                "the .dbf ends after {read} of its {declared} records"
            ));
        }
        if !table.undecodable.is_empty() {
            let (n, enc) = (table.undecodable.len(), detected.encoding.name());
            let (record, field) = (table.undecodable[0].record + 1, &table.undecodable[0].field);
            problems.push(text!(
                "{n} 个文本值不是有效的 {enc}（第一个：第 {record} 条记录，字段 {field}）",
                "{n} text value(s) are not valid {enc} (first: record {record}, field {field})"
            ));
        }
        // The .shp is read on its own, record after record; the .shx is only checked against it
        // (a disagreeing index must not silently give wrong or repeated shapes).
        let (read, offsets) = shapes_job.join().map_err(|_| READER_FAILED)??;
        if let Some(shx) = &set.shx {
            let note = match &offsets {
                Some(o) => shx_disagrees_with(o, shx),
                None => shx_disagreement(&set.shp, shx),
            };
            problems.extend(note);
        }
        let ShapesRead {
            shape_type,
            geoms: shapes,
            stopped,
        } = read;
        problems.extend(stopped);
        if shapes.len() != table.records.len() && problems.is_empty() {
            let (shp, dbf) = (shapes.len(), table.records.len());
            problems.push(text!(
                ".shp 有 {shp} 个图形而 .dbf 有 {dbf} 条记录；按较少的数目读取",
                ".shp has {shp} shapes but .dbf has {dbf} records; the shorter count is used"
            ));
        }
        let mut records = Vec::with_capacity(shapes.len().min(table.records.len()));
        for (i, (shape, row)) in shapes.into_iter().zip(table.records).enumerate() {
            // Skipped records stay in place without geometry, so that later messages can name
            // a record by its position.
            let Some(row) = row else {
                let n = i + 1;
                problems.push(text!(
                    "第 {n} 条记录标记为已删除，已跳过",
                    "record {n} is marked deleted and was skipped"
                ));
                records.push((None, Default::default()));
                continue;
            };
            let attrs = row;
            problems.extend(shape_problem(i + 1, &shape));
            records.push((shape.ok().flatten(), attrs));
        }
        Ok(Decoded {
            records,
            encoding: detected,
            shape_type,
            problems,
        })
    })
}
