//! Hostile files: each is written by this test into a temporary folder, opened as the viewer
//! opens it, and must end exactly as stated — loaded, loaded in part with the named reason, or
//! an error naming the file — within a time bound and a peak-memory bound. Peak memory is the
//! allocation peak counted by this binary's global allocator (one test, the cases one after
//! another, so that the peak is the case's own). `cargo test --test hostile -- --nocapture`
//! prints each case's time and peak.

#![allow(
    clippy::too_many_lines,
    reason = "the corpus is one table of cases, each with its outcome and bounds"
)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Cursor, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use encoding_rs::UTF_8;
use shapefile::{Point as ShpPoint, PolygonRing};
use taonan_map::io::dbf::{self, FieldSpec};
use taonan_map::io::loader::{LoadOptions, LoadedLayer, Progress, load_path};
use taonan_map::model::Value;
use taonan_map::plan::fixtures::PRJ_ZONE41;
use taonan_map::text::Lang;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        // SAFETY: same layout, as the caller guarantees.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the pointer came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let now = LIVE.fetch_add(new, Ordering::Relaxed) + new;
        PEAK.fetch_max(now, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// What a case must end in.
enum Want {
    /// Loaded: this many features in all layers, no problem containing any of the texts.
    Loaded(usize),
    /// Loaded in part: this many features, and a problem or warning holding every text.
    Part(usize, &'static [&'static str]),
    /// An error holding every text (the file's name is checked too).
    Error(&'static [&'static str]),
}

/// One hostile file: its name, how to write it, what it must end in, and the bounds.
struct Case {
    name: &'static str,
    write: fn(&Path) -> PathBuf,
    want: Want,
    max_secs: u64,
    max_mb: usize,
}

const DATE: (u16, u8, u8) = (2026, 1, 1);

fn name_dbf(n: usize) -> Vec<u8> {
    let fields = [FieldSpec {
        name: "KSMC".into(),
        kind: 'C',
        length: 20,
        decimals: 0,
    }];
    let rows: Vec<Vec<Value>> = (0..n)
        .map(|i| vec![Value::Text(format!("矿{i}"))])
        .collect();
    dbf::write(&fields, &rows, UTF_8, 0, DATE).expect("dbf")
}

fn write_shapes<S: shapefile::record::EsriShape>(dir: &Path, stem: &str, shapes: &[S]) -> PathBuf {
    let mut shp = Cursor::new(Vec::new());
    let mut shx = Cursor::new(Vec::new());
    {
        let mut w = shapefile::ShapeWriter::with_shx(&mut shp, &mut shx);
        for s in shapes {
            w.write_shape(s).expect("shape");
        }
        w.finalize().expect("finalize");
    }
    let path = dir.join(format!("{stem}.shp"));
    std::fs::write(&path, shp.into_inner()).expect("shp");
    std::fs::write(path.with_extension("shx"), shx.into_inner()).expect("shx");
    std::fs::write(path.with_extension("dbf"), name_dbf(shapes.len())).expect("dbf");
    std::fs::write(path.with_extension("prj"), PRJ_ZONE41).expect("prj");
    std::fs::write(path.with_extension("cpg"), "UTF-8").expect("cpg");
    path
}

/// A square in zone 41 (easting with prefix, northing), clockwise (an outer ring), or
/// counter-clockwise (a hole).
fn square(e: f64, n: f64, side: f64, hole: bool) -> Vec<ShpPoint> {
    let mut pts = vec![
        ShpPoint::new(e, n),
        ShpPoint::new(e, n + side),
        ShpPoint::new(e + side, n + side),
        ShpPoint::new(e + side, n),
        ShpPoint::new(e, n),
    ];
    if hole {
        pts.reverse();
    }
    pts
}

const E: f64 = 41_481_600.0;
const N: f64 = 5_021_800.0;

fn good_polygon() -> shapefile::Polygon {
    shapefile::Polygon::new(PolygonRing::Outer(square(E, N, 100.0, false)))
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn zip_of(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        z.start_file(*name, SimpleFileOptions::default())
            .expect("member");
        z.write_all(bytes).expect("bytes");
    }
    z.finish().expect("zip").into_inner()
}

fn set_members(dir: &Path, prefix: &str) -> Vec<(String, Vec<u8>)> {
    let shp = write_shapes(dir, "内层", &[good_polygon()]);
    ["shp", "shx", "dbf", "prj", "cpg"]
        .iter()
        .map(|ext| {
            (
                format!("{prefix}内层.{ext}"),
                std::fs::read(shp.with_extension(ext)).expect("read"),
            )
        })
        .collect()
}

fn corner_lines(n: usize) -> String {
    // A ring of n points on a circle of 500 m around the control point (X northing, Y easting).
    let mut s = String::from("点号,X,Y\n");
    for i in 0..n {
        let a = i as f64 / n as f64 * std::f64::consts::TAU;
        s.push_str(&format!(
            "J{},{:.2},{:.2}\n",
            i + 1,
            N + 500.0 * a.sin(),
            E + 500.0 * a.cos()
        ));
    }
    s
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "zero-length .shp set",
            write: |d| {
                write(d, "空.dbf", b"");
                write(d, "空.shp", b"")
            },
            want: Want::Error(&["空.shp"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "zero-length .zip",
            write: |d| write(d, "空.zip", b""),
            want: Want::Error(&["空.zip"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "zero-length corner list",
            write: |d| write(d, "空.txt", b""),
            want: Want::Error(&["空.txt", "empty"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "wrong magic .shp",
            write: |d| {
                let p = write_shapes(d, "假", &[good_polygon()]);
                std::fs::write(&p, b"<html>not a shapefile</html>").expect("write");
                p
            },
            want: Want::Error(&["假.shp"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "wrong magic .zip",
            write: |d| write(d, "假.zip", b"PK\x05\x06 this is not a zip at all"),
            want: Want::Error(&["假.zip"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "one shape with 10^5 parts (1 outer ring, 99 999 holes)",
            write: |d| {
                let mut rings = vec![PolygonRing::Outer(square(E, N, 40_000.0, false))];
                for i in 0..99_999 {
                    let (e, n) = ((i % 316) as f64 * 120.0, (i / 316) as f64 * 120.0);
                    rings.push(PolygonRing::Inner(square(
                        E + 100.0 + e,
                        N + 100.0 + n,
                        50.0,
                        true,
                    )));
                }
                write_shapes(d, "十万洞", &[shapefile::Polygon::with_rings(rings)])
            },
            want: Want::Loaded(1),
            max_secs: 60,
            max_mb: 256,
        },
        Case {
            name: "10^5 parts as 50 000 squares each with a hole",
            write: |d| {
                let mut rings = Vec::new();
                for i in 0..50_000 {
                    let (e, n) = ((i % 224) as f64 * 200.0, (i / 224) as f64 * 200.0);
                    rings.push(PolygonRing::Outer(square(E + e, N + n, 100.0, false)));
                    rings.push(PolygonRing::Inner(square(
                        E + e + 25.0,
                        N + n + 25.0,
                        50.0,
                        true,
                    )));
                }
                write_shapes(d, "五万环", &[shapefile::Polygon::with_rings(rings)])
            },
            want: Want::Loaded(1),
            max_secs: 60,
            max_mb: 256,
        },
        Case {
            name: "rings of 1 and 2 points",
            write: |d| {
                let one = shapefile::Polygon::new(PolygonRing::Outer(vec![ShpPoint::new(E, N)]));
                let two = shapefile::Polygon::new(PolygonRing::Outer(vec![
                    ShpPoint::new(E, N),
                    ShpPoint::new(E + 10.0, N),
                ]));
                write_shapes(d, "短环", &[one, two, good_polygon()])
            },
            want: Want::Part(1, &["record 1: ", "record 2: ", "encloses no area"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "NaN and infinite coordinates",
            write: |d| {
                let mut nan = square(E, N, 100.0, false);
                nan[2].y = f64::NAN;
                let mut inf = square(E, N, 100.0, false);
                inf[1].x = f64::INFINITY;
                let polys = [
                    shapefile::Polygon::new(PolygonRing::Outer(nan)),
                    shapefile::Polygon::new(PolygonRing::Outer(inf)),
                    good_polygon(),
                ];
                write_shapes(d, "非数", &polys)
            },
            want: Want::Part(1, &["record 1: point 3", "record 2: point 2", "not finite"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "NaN and inf in a corner list",
            write: |d| {
                let text = corner_lines(8).replace("J3,", "J3,NaN,inf\nJ3b,");
                write(d, "非数.txt", text.as_bytes())
            },
            want: Want::Part(1, &["line 4", "unrecognised"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: ".shx disagreeing with the .shp",
            write: |d| {
                let p = write_shapes(d, "错索引", &[good_polygon(), good_polygon()]);
                let mut shx = std::fs::read(p.with_extension("shx")).expect("shx");
                shx[100..104].copy_from_slice(&7777i32.to_be_bytes());
                std::fs::write(p.with_extension("shx"), shx).expect("shx");
                p
            },
            want: Want::Part(2, &[".shx disagrees"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "records overlapping each other",
            write: |d| {
                let p = write_shapes(d, "重叠", &[good_polygon(), good_polygon(), good_polygon()]);
                let mut shp = std::fs::read(&p).expect("shp");
                // Record 1 claims to run 40 bytes into record 2.
                let len = i32::from_be_bytes([shp[104], shp[105], shp[106], shp[107]]);
                shp[104..108].copy_from_slice(&(len + 20).to_be_bytes());
                std::fs::write(&p, shp).expect("shp");
                p
            },
            want: Want::Part(1, &["shape 2 cannot be read", "more than its"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "nested zips",
            write: |d| {
                let inner: Vec<(String, Vec<u8>)> = set_members(d, "");
                let inner: Vec<(&str, Vec<u8>)> =
                    inner.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
                let mut zip = zip_of(&inner);
                for level in 0..3 {
                    zip = zip_of(&[(if level == 0 { "内.zip" } else { "外.zip" }, zip)]);
                }
                write(d, "套娃.zip", &zip)
            },
            want: Want::Error(&["套娃.zip"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "zip-slip member path",
            write: |d| {
                let m = set_members(d, "../../../../tmp/逃逸/");
                let m: Vec<(&str, Vec<u8>)> =
                    m.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
                write(d, "逃逸.zip", &zip_of(&m))
            },
            want: Want::Loaded(1),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "invalid UTF-8 and GBK sequences in field names",
            write: |d| {
                let p = write_shapes(d, "乱码字段", &[good_polygon()]);
                let mut dbf = std::fs::read(p.with_extension("dbf")).expect("dbf");
                // Field name bytes (32..43): an invalid UTF-8 and an unfinished GBK sequence.
                dbf[32..43].copy_from_slice(b"\xff\xfe\xc0\x81\xd6\x00\x00\x00\x00\x00\x00");
                std::fs::write(p.with_extension("dbf"), dbf).expect("dbf");
                std::fs::remove_file(p.with_extension("cpg")).expect("cpg");
                p
            },
            want: Want::Part(1, &[]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "a .dbf declaring 2 046 zero-width fields and 4 294 967 295 records",
            write: |d| {
                let p = write_shapes(d, "巨表", &[good_polygon()]);
                let header_len = 32 + 32 * 2046 + 1;
                let mut dbf = vec![0u8; header_len + 1024];
                dbf[0] = 3;
                dbf[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
                dbf[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
                dbf[10..12].copy_from_slice(&1u16.to_le_bytes());
                for f in 0..2046 {
                    let at = 32 + 32 * f;
                    dbf[at..at + 2].copy_from_slice(b"F0");
                    dbf[at + 11] = b'C';
                }
                dbf[header_len - 1] = 0x0d;
                std::fs::write(p.with_extension("dbf"), dbf).expect("dbf");
                p
            },
            want: Want::Error(&["巨表"]),
            max_secs: 5,
            max_mb: 64,
        },
        Case {
            name: "a corner list of 200 000 points",
            write: |d| write(d, "二十万点.txt", corner_lines(200_000).as_bytes()),
            want: Want::Loaded(1),
            max_secs: 60,
            max_mb: 512,
        },
        Case {
            name: "a corner list with a lost zone prefix",
            write: |d| {
                let good = corner_lines(12);
                let line = good.lines().nth(4).expect("line").to_owned();
                let lost = good.replace(&line, &line.replace(",41", ","));
                let text = format!("{good}\n地块2\n{}", lost.replacen("点号,X,Y\n", "", 1));
                write(d, "缺带号.txt", text.as_bytes())
            },
            want: Want::Part(
                1,
                &[
                    "record 2 (地块2), point 4",
                    "missing zone prefix",
                    "outside the domain",
                ],
            ),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "a PMTiles header pointing past the file",
            write: |d| {
                let mut h = vec![0u8; 127];
                h[..7].copy_from_slice(b"PMTiles");
                h[7] = 3;
                h[8..16].copy_from_slice(&127u64.to_le_bytes());
                h[16..24].copy_from_slice(&4096u64.to_le_bytes());
                write(d, "半截.pmtiles", &h)
            },
            want: Want::Error(&["半截.pmtiles", "root directory"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "a tile image 16 385 pixels wide",
            write: |d| {
                let wide = taonan_map::tiles::raster::solid(16_385, 1, [9, 9, 9, 255]);
                write(d, "宽.png", &taonan_map::tiles::raster::encode_png(&wide))
            },
            want: Want::Error(&["宽.png", "limit"]),
            max_secs: 5,
            max_mb: 16,
        },
        Case {
            name: "config.toml values that overflow",
            write: |d| {
                write(
                    d,
                    "config.toml",
                    b"tile_cache_mb = 99999999999999999999999\n",
                );
                d.join("config.toml")
            },
            want: Want::Error(&["config.toml", "tile_cache_mb"]),
            max_secs: 5,
            max_mb: 16,
        },
    ]
}

/// Open a file as the viewer does: layers through the loader; a tile file or tile image, and
/// config.toml, through what reads them.
fn open(path: &Path) -> Result<Vec<LoadedLayer>, String> {
    let name = path.display().to_string();
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "pmtiles" => taonan_map::tiles::local::LocalTiles::open_pmtiles(path)
            .map(|_| Vec::new())
            .map_err(|e| e.in_lang(Lang::En).to_owned()),
        "png" => {
            let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
            taonan_map::tiles::raster::decode(&bytes)
                .map(|_| Vec::new())
                .map_err(|e| format!("{name}: {e}"))
        }
        "toml" => {
            let dir = path.parent().expect("folder");
            match taonan_map::user_config::UserConfig::load(dir) {
                (_, Some(msg)) => Err(msg.in_lang(Lang::En).to_owned()),
                (_, None) => Ok(Vec::new()),
            }
        }
        _ => load_path(path, &LoadOptions::default(), &Progress::default())
            .map_err(|e| e.words(Lang::En)),
    }
}

fn verdict(
    name: &str,
    path: &Path,
    want: &Want,
    got: &Result<Vec<LoadedLayer>, String>,
) -> Result<(), String> {
    let file = path
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default();
    match (want, got) {
        (Want::Error(subs), Err(e)) => {
            let missing: Vec<&&str> = subs.iter().filter(|s| !e.contains(**s)).collect();
            (missing.is_empty() && e.contains(file))
                .then_some(())
                .ok_or(format!("{name}: error lacks {missing:?} or {file}: {e}"))
        }
        (Want::Loaded(n) | Want::Part(n, _), Ok(layers)) => {
            let features: usize = layers.iter().map(|l| l.layer.features.len()).sum();
            let said: Vec<&str> = layers
                .iter()
                .flat_map(|l| l.problems.iter().chain(l.warnings.iter()))
                .map(|t| t.in_lang(Lang::En))
                .collect();
            let all = said.join(" | ");
            let ok = match want {
                Want::Loaded(_) => said.is_empty(),
                Want::Part(_, subs) => !said.is_empty() && subs.iter().all(|s| all.contains(s)),
                Want::Error(_) => false,
            };
            (features == *n && ok)
                .then_some(())
                .ok_or(format!("{name}: {features} feature(s), said: {all}"))
        }
        (_, got) => Err(format!("{name}: got {:?}", got.as_ref().map(|l| l.len()))),
    }
}

#[test]
fn hostile_files_end_as_stated_within_time_and_memory() {
    let root = std::env::temp_dir().join(format!("taonan-hostile-{}", std::process::id()));
    let mut failures = Vec::new();
    for (i, case) in cases().into_iter().enumerate() {
        let dir = root.join(i.to_string());
        std::fs::create_dir_all(&dir).expect("dir");
        let path = (case.write)(&dir);
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let start = Instant::now();
        let got = catch_unwind(AssertUnwindSafe(|| open(&path)));
        let took = start.elapsed();
        let peak_mb = (PEAK.load(Ordering::Relaxed).saturating_sub(base)) as f64 / 1048576.0;
        println!(
            "{:<66} {:>8.3} s {:>9.1} MB",
            case.name,
            took.as_secs_f64(),
            peak_mb
        );
        let Ok(got) = got else {
            failures.push(format!("{}: panicked", case.name));
            continue;
        };
        if let Err(why) = verdict(case.name, &path, &case.want, &got) {
            failures.push(why);
        }
        if took > Duration::from_secs(case.max_secs) {
            failures.push(format!(
                "{}: took {took:?}, bound {} s",
                case.name, case.max_secs
            ));
        }
        if peak_mb > case.max_mb as f64 {
            failures.push(format!(
                "{}: peak {peak_mb:.1} MB, bound {} MB",
                case.name, case.max_mb
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
