//! Coordinate reference systems through PROJ, made immune to a stale `PROJ_DATA`.
//!
//! The bundled PROJ (built from source by the `proj` crate) embeds its own `proj.db`. When
//! `PROJ_DATA` / `PROJ_LIB` point at an older PROJ installation (common where QGIS or GDAL is
//! installed), PROJ would open that older database first and every EPSG lookup would fail. Before
//! the first transform is made, PROJ's default context (which every later context copies) is
//! given an explicit search path that holds no `proj.db`: PROJ then ignores the environment
//! variables and falls back to the embedded database. (The `proj` crate's own
//! `set_search_paths` appends to the existing paths, which include `PROJ_DATA`, so it cannot do
//! this; hence the one call through `proj-sys`.)
//!
//! All transforms are normalised for visualisation: input and output are (longitude, latitude) or
//! (easting, northing), whatever axis order the EPSG definition declares.
//!
//! The CRS folder:
//! - this module: PROJ transforms, zone-41 helpers, reprojecting whole layers.
//! - [`gauss_kruger`]: the closed-form Krüger series for the CGCS2000 Gauss-Krüger CRSs
//!   (EPSG:4491–4554), used instead of PROJ for them.
//! - [`area_of_use`]: a CRS's area of use from PROJ's database (for the domain check of a
//!   `.prj` outside the CRSs this viewer knows).
//! - [`crs_guess`]: the CRSs offered, a layer's CRS from its `.prj` or from its numbers, and
//!   the swapped-X/Y check.
//! - `wkt` (private): the WKT reader and the identification of a `.prj` that
//!   [`crs_guess::identify_prj`] gives.
//! - [`gcj02`]: the GCJ-02 offset of AMap's tiles (drawing only).
//! - [`local_grid`]: local mine grids (矿区独立坐标系): the plane four-parameter and the
//!   seven-parameter Bursa-Wolf transforms, typed in or solved from control points.
//! - [`grid_transform`]: the transform of a local grid as the `--transform FILE` file, the
//!   window's dialog and the session give it (four parameters to an EPSG CRS, or seven through
//!   a geocentric PROJ pipeline to CGCS2000).
//! - [`pipeline`]: a PROJ operation string on 3-D coordinates (the geocentric steps).

pub mod area_of_use;
pub mod crs_guess;
pub mod gauss_kruger;
pub mod gcj02;
pub mod grid_transform;
pub mod local_grid;
pub mod pipeline;
mod wkt;

use std::cell::RefCell;
use std::ffi::CString;
use std::fmt;
use std::sync::Once;

use proj::{Proj, ProjBuilder};

use crate::crs::gauss_kruger::GaussKruger;

/// CGCS2000 geographic (EPSG:4490); treated as equal to WGS84 at map scale.
pub const EPSG_CGCS2000: &str = "EPSG:4490";
/// CGCS2000 / 3-degree Gauss-Krüger zone 41 (central meridian 123° E, Y with the "41" prefix).
pub const EPSG_ZONE41: &str = "EPSG:4529";

/// Error from PROJ with what was being attempted.
#[derive(Debug, Clone, PartialEq)]
pub struct CrsError(pub String);

impl fmt::Display for CrsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CrsError {}

static ISOLATE: Once = Once::new();

/// Point PROJ's default context at a search path without `proj.db` (once per process).
fn isolate_from_proj_data() {
    ISOLATE.call_once(|| {
        // A folder that holds no proj.db: PROJ then uses the database embedded in the library.
        let empty = std::env::temp_dir().join("taonan-map-no-proj-data");
        let Ok(path) = CString::new(empty.to_string_lossy().into_owned()) else {
            return;
        };
        let paths = [path.as_ptr()];
        // SAFETY: a null context means PROJ's default context; `paths` holds one valid
        // NUL-terminated string that outlives the call (PROJ copies it). This runs once, before
        // any other context is created from the default one.
        unsafe { proj_sys::proj_context_set_search_paths(std::ptr::null_mut(), 1, paths.as_ptr()) };
    });
}

/// A PROJ context whose resource search path excludes `PROJ_DATA` / `PROJ_LIB`.
fn isolated_builder() -> Result<ProjBuilder, CrsError> {
    isolate_from_proj_data();
    Ok(ProjBuilder::new())
}

/// Build a transform between two CRS definitions (EPSG codes, WKT or PROJ strings), with
/// (x=easting/longitude, y=northing/latitude) axis order on both sides.
///
/// The pair is first tried in a PROJ context of this module's own, destroyed whatever the
/// outcome: the `proj` crate leaks its context (a copy of the embedded database, about 3 MB)
/// when a definition cannot be used, and a file's `.prj` is any text.
pub fn transform(from: &str, to: &str) -> Result<Proj, CrsError> {
    isolate_from_proj_data();
    let fail = |why: &str| {
        CrsError(format!(
            "PROJ cannot transform {} → {to}: {why}",
            short(from)
        ))
    };
    let (from_c, to_c) = match (CString::new(from), CString::new(to)) {
        (Ok(f), Ok(t)) => (f, t),
        _ => return Err(fail("the definition holds a NUL character")),
    };
    // SAFETY: the context is created here and destroyed below on every path; the two strings
    // are valid NUL-terminated strings that outlive the call; the PJ returned (if any) is
    // destroyed before its context.
    let usable = unsafe {
        let ctx = proj_sys::proj_context_create();
        if ctx.is_null() {
            return Err(fail("no PROJ context"));
        }
        let pj = proj_sys::proj_create_crs_to_crs(
            ctx,
            from_c.as_ptr(),
            to_c.as_ptr(),
            std::ptr::null_mut(),
        );
        let usable = !pj.is_null();
        if usable {
            proj_sys::proj_destroy(pj);
        }
        proj_sys::proj_context_destroy(ctx);
        usable
    };
    if !usable {
        return Err(fail(
            "the definition is not understood or no transformation exists",
        ));
    }
    isolated_builder()?
        .proj_known_crs(from, to, None)
        .map_err(|e| fail(&e.to_string()))
}

fn short(def: &str) -> String {
    let s: String = def.chars().take(60).collect();
    if s.len() < def.len() {
        format!("{s}…")
    } else {
        s
    }
}

/// Gauss-Krüger plane coordinates in Chinese surveying notation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurveyXY {
    /// Northing in metres (7 integer digits at Taonan).
    pub x: f64,
    /// Easting in metres with the zone prefix (8 integer digits, "41…").
    pub y: f64,
}

thread_local! {
    static TO_ZONE41: RefCell<Option<Proj>> = const { RefCell::new(None) };
    static FROM_ZONE41: RefCell<Option<Proj>> = const { RefCell::new(None) };
}

fn with_cached<R>(
    cell: &'static std::thread::LocalKey<RefCell<Option<Proj>>>,
    from: &str,
    to: &str,
    f: impl FnOnce(&Proj) -> R,
) -> Result<R, CrsError> {
    cell.with(|slot| {
        let mut slot = slot.borrow_mut();
        if slot.is_none() {
            *slot = Some(transform(from, to)?);
        }
        match slot.as_ref() {
            Some(p) => Ok(f(p)),
            None => Err(CrsError("PROJ transform missing".into())),
        }
    })
}

/// CGCS2000 lon/lat (degrees) → zone-41 X (northing) / Y (easting with prefix).
pub fn lonlat_to_zone41(lon: f64, lat: f64) -> Result<SurveyXY, CrsError> {
    with_cached(&TO_ZONE41, EPSG_CGCS2000, EPSG_ZONE41, |p| {
        p.convert((lon, lat))
    })?
    .map(|(e, n)| SurveyXY { x: n, y: e })
    .map_err(|e| CrsError(format!("({lon}, {lat}) → EPSG:4529: {e}")))
}

/// Zone-41 X (northing) / Y (easting with prefix) → CGCS2000 lon/lat (degrees).
pub fn zone41_to_lonlat(xy: SurveyXY) -> Result<(f64, f64), CrsError> {
    with_cached(&FROM_ZONE41, EPSG_ZONE41, EPSG_CGCS2000, |p| {
        p.convert((xy.y, xy.x))
    })?
    .map_err(|e| CrsError(format!("X {} Y {} → EPSG:4490: {e}", xy.x, xy.y)))
}

/// Transform a buffer with PROJ's array transform; when some point is outside the projection's
/// domain (PROJ then leaves the buffer as it was), convert one by one and make rejected points NaN.
fn convert_or_nan(proj: &Proj, buf: &mut [(f64, f64)]) {
    if proj.convert_array(buf).is_err() {
        for c in buf.iter_mut() {
            *c = proj.convert(*c).unwrap_or((f64::NAN, f64::NAN));
        }
    }
}

/// Join PROJ worker threads, keeping the first error.
fn join_workers(
    handles: Vec<std::thread::ScopedJoinHandle<'_, Result<(), CrsError>>>,
) -> Result<(), CrsError> {
    handles.into_iter().try_for_each(|h| {
        h.join()
            .unwrap_or_else(|_| Err(CrsError("a PROJ worker thread failed".into())))
    })
}

/// Worker threads for a bulk transform: every core, at most 8.
fn worker_threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// Transform geometries (any `geo` type) from `from` to CGCS2000 lon/lat in place, on every
/// core. From a CGCS2000 Gauss-Krüger CRS (`"EPSG:4491"`…`"EPSG:4554"`) through the closed-form
/// series of [`crate::crs::gauss_kruger`] (no PROJ, see [`gauss_kruger_geometries`]); from anything
/// else the geometries are split over the cores, each thread with its own PROJ transform (see
/// [`transform_geometries`]). Points PROJ cannot transform become NaN.
pub fn geometries_to_cgcs2000(
    from: &str,
    geoms: &mut [geo::Geometry<f64>],
) -> Result<(), CrsError> {
    if let Some(gk) = GaussKruger::from_definition(from) {
        gauss_kruger_geometries(&gk, from, geoms);
        return Ok(());
    }
    transform(from, EPSG_CGCS2000)?;
    let threads = worker_threads();
    let per_thread = geoms.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = geoms
            .chunks_mut(per_thread)
            .map(|part| {
                scope.spawn(move || -> Result<(), CrsError> {
                    transform_geometries(&transform(from, EPSG_CGCS2000)?, part);
                    Ok(())
                })
            })
            .collect();
        join_workers(handles)
    })
}

/// Transform geometries from the Gauss-Krüger CRS `from` (described by `gk`) to CGCS2000
/// lon/lat in place, with the closed-form series on every core (runs of geometries handed out
/// to the threads as they finish; the coordinates of each ring or line string in blocks, see
/// [`GaussKruger::inverse_in_place`]). A point outside the series' domain (not finite, or
/// farther than [`crate::crs::gauss_kruger::MAX_EASTING_OFFSET`] from the central meridian, which
/// real data never is) is handed to PROJ on its own, created only then, so it ends exactly as
/// on the PROJ path: transformed, or NaN when PROJ refuses it.
pub fn gauss_kruger_geometries(gk: &GaussKruger, from: &str, geoms: &mut [geo::Geometry<f64>]) {
    /// Geometries per unit of work.
    const RUN: usize = 256;
    // No more threads than runs (a small layer is done on one).
    let threads = worker_threads().min(geoms.len().div_ceil(RUN));
    let runs = std::sync::Mutex::new(geoms.chunks_mut(RUN));
    let next_run = || runs.lock().unwrap_or_else(|e| e.into_inner()).next();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // PROJ, for the odd point outside the series' domain.
                let fallback: RefCell<Option<Option<Proj>>> = RefCell::new(None);
                let by_proj = |c: &mut geo::Coord<f64>| {
                    let mut slot = fallback.borrow_mut();
                    let proj = slot.get_or_insert_with(|| transform(from, EPSG_CGCS2000).ok());
                    let (x, y) = proj
                        .as_ref()
                        .and_then(|p| p.convert((c.x, c.y)).ok())
                        .unwrap_or((f64::NAN, f64::NAN));
                    *c = geo::Coord { x, y };
                };
                let mut coords = |run: &mut [geo::Coord<f64>]| gk.inverse_in_place(run, by_proj);
                while let Some(run) = next_run() {
                    for g in run {
                        for_each_coord_run(g, &mut coords);
                    }
                }
            });
        }
    });
}

/// Hand every ring and line string of a geometry to `f` as one slice of coordinates, in the
/// order of [`geo::MapCoordsInPlace`] (rings through `exterior_mut` / `interiors_mut`, so
/// they are closed again afterwards exactly as `map_coords_in_place` does); other coordinates
/// (points, lines, rectangles, triangles) one at a time.
fn for_each_coord_run(g: &mut geo::Geometry<f64>, f: &mut impl FnMut(&mut [geo::Coord<f64>])) {
    use geo::{Geometry, MapCoordsInPlace};
    let polygon = |p: &mut geo::Polygon<f64>, f: &mut dyn FnMut(&mut [geo::Coord<f64>])| {
        p.exterior_mut(|ring| f(&mut ring.0));
        p.interiors_mut(|rings| {
            for ring in rings {
                f(&mut ring.0);
            }
        });
    };
    match g {
        Geometry::LineString(ls) => f(&mut ls.0),
        Geometry::MultiLineString(m) => {
            for ls in &mut m.0 {
                f(&mut ls.0);
            }
        }
        Geometry::Polygon(p) => polygon(p, f),
        Geometry::MultiPolygon(m) => {
            for p in &mut m.0 {
                polygon(p, f);
            }
        }
        Geometry::GeometryCollection(c) => {
            for g in &mut c.0 {
                for_each_coord_run(g, f);
            }
        }
        other => {
            // `map_coords_in_place` wants a `Fn`; the coordinates go through `f` in turn.
            let f = RefCell::new(f);
            other.map_coords_in_place(|c| {
                let mut one = [c];
                (f.borrow_mut())(&mut one);
                one[0]
            });
        }
    }
}

/// Transform geometries in place with one PROJ transform, on this thread: the coordinates of a
/// run of geometries are gathered into one buffer, transformed with PROJ's array transform and
/// written back. Points PROJ cannot transform become NaN.
pub fn transform_geometries(proj: &Proj, geoms: &mut [geo::Geometry<f64>]) {
    use geo::MapCoordsInPlace;
    const BATCH: usize = 1 << 14;
    let mut buf: Vec<(f64, f64)> = Vec::with_capacity(BATCH * 2);
    let mut start = 0;
    while start < geoms.len() {
        buf.clear();
        let mut end = start;
        while end < geoms.len() && (buf.is_empty() || buf.len() < BATCH) {
            gather_in_map_order(&geoms[end], &mut buf);
            end += 1;
        }
        convert_or_nan(proj, &mut buf);
        let next = std::cell::Cell::new(0usize);
        let done = &buf;
        for g in &mut geoms[start..end] {
            // `map_coords_in_place` visits coordinates in the order they were gathered.
            g.map_coords_in_place(|_| {
                let k = next.get();
                next.set(k + 1);
                let (x, y) = done[k];
                geo::Coord { x, y }
            });
        }
        start = end;
    }
}

/// Append a geometry's coordinates in the order `map_coords_in_place` visits them: that of
/// `coords_iter`, except for a rectangle (its two corners min and max, where `coords_iter`
/// gives four).
fn gather_in_map_order(g: &geo::Geometry<f64>, buf: &mut Vec<(f64, f64)>) {
    use geo::{CoordsIter, Geometry};
    match g {
        Geometry::Rect(r) => buf.extend([(r.min().x, r.min().y), (r.max().x, r.max().y)]),
        Geometry::GeometryCollection(c) => {
            for g in &c.0 {
                gather_in_map_order(g, buf);
            }
        }
        other => buf.extend(other.coords_iter().map(|c| (c.x, c.y))),
    }
}

/// The WKT of an EPSG CRS as PROJ writes it: `esri` the ESRI dialect of a `.prj` (what
/// ArcGIS and the bureau's tools read), else OGC WKT 1 as GDAL writes it (a GeoPackage's
/// `gpkg_spatial_ref_sys.definition`). One line.
pub fn wkt_of(epsg: u32, esri: bool) -> Result<String, CrsError> {
    use proj::wkt::WktVersion;
    let crs = isolated_builder()?
        .proj(&format!("EPSG:{epsg}"))
        .map_err(|e| CrsError(format!("PROJ does not know EPSG:{epsg}: {e}")))?;
    let version = if esri {
        WktVersion::Wkt1_Esri
    } else {
        WktVersion::Wkt1_Gdal
    };
    let wkt = crs
        .as_wkt(Some(version), None)
        .map_err(|e| CrsError(format!("PROJ cannot write EPSG:{epsg} as WKT: {e}")))?;
    // PROJ breaks lines only between tokens: joining the trimmed lines gives one line.
    Ok(wkt.lines().map(str::trim).collect())
}

/// PROJ's own version string, e.g. "9.6.0".
pub fn proj_version() -> String {
    isolate_from_proj_data();
    ProjBuilder::new()
        .lib_info()
        .map(|i| i.version)
        .unwrap_or_else(|_| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fuzz finding (shp_shx, 2026-11-30: out of memory after ~10⁴ inputs): every `.prj` PROJ
    /// could not use leaked a PROJ context (~3 MB) inside the `proj` crate. Now the memory stays
    /// flat over many bad definitions.
    #[cfg(target_os = "linux")]
    #[test]
    fn unusable_definitions_do_not_leak() {
        let rss_kb = || {
            std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmRSS:"))
                        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                })
                .unwrap_or(0)
        };
        assert!(transform("PROJCS[\"X\",GEOGCS[", EPSG_CGCS2000).is_err());
        let before = rss_kb();
        for i in 0..60 {
            let def = format!("PROJCS[\"X{i}\",GEOGCS[");
            assert!(transform(&def, EPSG_CGCS2000).is_err());
            assert!(transform("EPSG:4490\0", EPSG_CGCS2000).is_err());
        }
        let grown = rss_kb().saturating_sub(before);
        assert!(grown < 40_000, "{grown} kB more after 60 bad definitions");
    }

    #[test]
    fn taonan_seat_in_zone41() {
        // domain.md: city seat (团结街道) ≈ X 5 021 800, Y 41 481 600.
        let xy = lonlat_to_zone41(122.765899, 45.331682).expect("PROJ");
        assert!((xy.x - 5_021_800.0).abs() < 1_000.0, "{xy:?}");
        assert!((xy.y - 41_481_600.0).abs() < 1_000.0, "{xy:?}");
        let (lon, lat) = zone41_to_lonlat(xy).expect("PROJ");
        assert!(
            (lon - 122.765899).abs() < 1e-9 && (lat - 45.331682).abs() < 1e-9,
            "{lon} {lat}"
        );
    }

    #[test]
    fn geometries_keep_their_shape_through_the_batched_transform() {
        use geo::{CoordsIter, Geometry, LineString, Polygon};
        let ring = |x0: f64, y0: f64| {
            LineString::from(vec![
                (x0, y0),
                (x0 + 100.0, y0),
                (x0 + 100.0, y0 + 100.0),
                (x0, y0),
            ])
        };
        let mut geoms: Vec<Geometry<f64>> = (0..5000)
            .map(|i| {
                let (x, y) = (41_450_000.0 + i as f64 * 10.0, 5_040_000.0 + i as f64);
                Geometry::Polygon(Polygon::new(ring(x, y), vec![ring(x + 10.0, y + 10.0)]))
            })
            .collect();
        let before: Vec<Vec<(f64, f64)>> = geoms
            .iter()
            .map(|g| g.coords_iter().map(|c| (c.x, c.y)).collect())
            .collect();
        geometries_to_cgcs2000(EPSG_ZONE41, &mut geoms).expect("PROJ");
        for (g, orig) in geoms.iter().zip(before).step_by(499) {
            for (c, o) in g.coords_iter().zip(orig) {
                let (lon, lat) = zone41_to_lonlat(SurveyXY { x: o.1, y: o.0 }).expect("PROJ");
                assert!((c.x - lon).abs() < 1e-12 && (c.y - lat).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn central_meridian_has_false_easting() {
        let xy = lonlat_to_zone41(123.0, 45.0).expect("PROJ");
        assert!((xy.y - 41_500_000.0).abs() < 1e-3, "{xy:?}");
    }

    /// The Gauss-Krüger fast path gives what PROJ gives, for every kind of geometry, with
    /// points outside the series' domain going through PROJ (a far easting PROJ still accepts,
    /// one it refuses, NaN): same number of coordinates, NaN in the same places, the rest
    /// within 1e-12°.
    #[test]
    fn gauss_kruger_path_matches_proj_for_every_geometry() {
        use geo::{
            Coord, CoordsIter, Geometry, GeometryCollection, Line, LineString, MultiLineString,
            MultiPoint, MultiPolygon, Point, Polygon, Rect, Triangle,
        };
        let c = |de: f64, dn: f64| Coord {
            x: 41_500_000.0 + de,
            y: 5_020_000.0 + dn,
        };
        let ring = |de: f64, dn: f64, side: f64| {
            LineString::from(vec![
                c(de, dn),
                c(de + side, dn),
                c(de + side, dn + side),
                c(de, dn + side),
                c(de, dn),
            ])
        };
        let mut odd = ring(0.0, 0.0, 500.0);
        odd.0[1] = c(3_000_000.0, 0.0); // outside the series' domain, inside PROJ's
        odd.0[2] = c(40_000_000.0, 0.0); // outside both
        odd.0[3].y = f64::NAN;
        let one = Geometry::Polygon(Polygon::new(
            ring(-20_000.0, 0.0, 900.0),
            vec![ring(-19_900.0, 100.0, 100.0)],
        ));
        let mut geoms: Vec<Geometry<f64>> = vec![
            one.clone(),
            Geometry::MultiPolygon(MultiPolygon(vec![
                Polygon::new(ring(0.0, 0.0, 10.0), vec![]),
                Polygon::new(odd.clone(), vec![ring(1.0, 1.0, 2.0)]),
            ])),
            Geometry::LineString(ring(5.0, 5.0, 1000.0)),
            Geometry::MultiLineString(MultiLineString(vec![odd.clone(), ring(9.0, 9.0, 9.0)])),
            Geometry::Point(Point(c(-300_000.0, 1_000_000.0))),
            Geometry::MultiPoint(MultiPoint(vec![Point(c(1.0, 2.0)), Point(c(3e6, 2.0))])),
            Geometry::Line(Line::new(c(0.0, 0.0), c(100.0, -100.0))),
            Geometry::Rect(Rect::new(c(0.0, 0.0), c(250.0, 250.0))),
            Geometry::Triangle(Triangle::new(c(0.0, 0.0), c(10.0, 0.0), c(0.0, 10.0))),
            Geometry::GeometryCollection(GeometryCollection(vec![one, Geometry::LineString(odd)])),
        ];
        // Many geometries, so that several threads share the work.
        for k in 0..2000 {
            geoms.push(Geometry::Polygon(Polygon::new(
                ring(f64::from(k) * 37.0, f64::from(k) * -11.0, 50.0),
                vec![],
            )));
        }
        let mut fast = geoms.clone();
        geometries_to_cgcs2000(EPSG_ZONE41, &mut fast).expect("fast path");
        let mut slow = geoms;
        transform_geometries(
            &transform(EPSG_ZONE41, EPSG_CGCS2000).expect("PROJ"),
            &mut slow,
        );
        let mut far_seen = false;
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(f.coords_count(), s.coords_count(), "{f:?} vs {s:?}");
            for (a, b) in f.coords_iter().zip(s.coords_iter()) {
                assert_eq!(
                    (a.x.is_nan(), a.y.is_nan()),
                    (b.x.is_nan(), b.y.is_nan()),
                    "{a:?} vs {b:?}"
                );
                if !a.x.is_nan() {
                    assert!(
                        (a.x - b.x).abs() < 1e-12 && (a.y - b.y).abs() < 1e-12,
                        "{a:?} vs {b:?}"
                    );
                }
                far_seen |= a.x > 150.0 && a.x.is_finite();
            }
        }
        assert!(far_seen, "the far point PROJ accepts went through PROJ");
    }
}
