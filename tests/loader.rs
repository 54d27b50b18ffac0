//! The file loader fed the way a surveyor's files arrive: GBK and UTF-8 attribute tables with and
//! without `.cpg`, every CRS seen at 洮南市, swapped X/Y, holes, parts, Z/M shapes and null
//! shapes, zips with Chinese (and GBK-encoded) member names, corner-coordinate lists in every
//! layout, and a corpus of broken files that must each give a message naming the file and the
//! problem — never a panic.
//!
//! Every fixture is written into a fresh temporary folder per test (some with Chinese names).

use std::io::{Cursor, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GBK, UTF_8};
use geo::{CoordsIter, Geometry, LineString, MultiPolygon, Point, Polygon};
use shapefile::PolygonRing;
use shapefile::record::EsriShape;
use taonan_map::analysis::measure::{area_km2, dms};
use taonan_map::crs::crs_guess::CrsSource;
use taonan_map::crs::{self, SurveyXY};
use taonan_map::io::dbf::{self, FieldSpec};
use taonan_map::io::loader::{LoadOptions, LoadedLayer, Progress, load_path};
use taonan_map::io::shp::{Attributes, ShapefileSet, encode};
use taonan_map::model::Value;
use taonan_map::plan::fixtures::PRJ_ZONE41;
use taonan_map::text::{Lang, Text};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// The attribute text every fixture carries.
const NAME: &str = "洮南市蛟流河乡建筑用砂矿";
/// The control point: near the city seat, EPSG:4529 in surveyors' notation (X northing, Y easting).
const CONTROL: SurveyXY = SurveyXY {
    x: 5_021_800.00,
    y: 41_481_600.00,
};
/// 1 cm, in metres.
const CM: f64 = 0.01;
const DATE: (u16, u8, u8) = (2026, 1, 1);

const PRJ_4550: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_123E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
const PRJ_4490: &str = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
const PRJ_2365: &str = r#"PROJCS["Xian_1980_3_Degree_GK_Zone_41",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",41500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
const PRJ_3857: &str = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;
const PRJ_UTM51N: &str = r#"PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
/// A projection PROJ does not know at all.
const PRJ_UNKNOWN: &str = r#"PROJCS["Taonan_Local_Grid",GEOGCS["GCS_Local",DATUM["D_Local",SPHEROID["Local",6378100.0,298.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Taonan_Secret_Projection"],PARAMETER["False_Easting",0.0],UNIT["Meter",1.0]]"#;

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// A fresh, empty folder for one test; `sub` (may be Chinese) is created inside it.
fn fresh_dir(test: &str, sub: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("taonan-loader-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join(sub);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn gbk(s: &str) -> Vec<u8> {
    let (b, _, bad) = GBK.encode(s);
    assert!(!bad, "{s} is not GBK");
    b.into_owned()
}

fn name_field(name: &str) -> [FieldSpec; 1] {
    [FieldSpec {
        name: name.into(),
        kind: 'C',
        length: 60,
        decimals: 0,
    }]
}

/// A DBF with one text field `field` holding `names`, in `enc`, stamped with language driver `ldid`.
fn names_dbf(field: &str, names: &[&str], enc: &'static Encoding, ldid: u8) -> Vec<u8> {
    let rows: Vec<Vec<Value>> = names
        .iter()
        .map(|n| vec![Value::Text((*n).into())])
        .collect();
    dbf::write(&name_field(field), &rows, enc, ldid, DATE).expect("dbf")
}

/// A set of `geoms` (all points or all (multi)polygons) with one KSMC value each, UTF-8 + `.cpg`.
fn geo_set(geoms: &[Geometry<f64>], names: &[&str], prj: Option<&str>) -> ShapefileSet {
    let rows: Vec<Vec<Value>> = names
        .iter()
        .map(|n| vec![Value::Text((*n).into())])
        .collect();
    let fields = name_field("KSMC");
    let attrs = Attributes {
        fields: &fields,
        rows: &rows,
    };
    let mut set = encode(geoms, attrs, prj.unwrap_or(""), DATE).expect("encode");
    set.prj = prj.map(str::to_owned);
    set
}

/// A set written with the `shapefile` crate's own writer (Z/M types, lines, multipoints…).
fn raw_set<S: EsriShape>(shapes: &[S], prj: Option<&str>) -> ShapefileSet {
    let mut shp = Cursor::new(Vec::new());
    let mut shx = Cursor::new(Vec::new());
    {
        let mut w = shapefile::ShapeWriter::with_shx(&mut shp, &mut shx);
        for s in shapes {
            w.write_shape(s).expect("write shape");
        }
        w.finalize().expect("finalize");
    }
    let names: Vec<String> = (1..=shapes.len()).map(|i| format!("{NAME}{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    ShapefileSet {
        shp: shp.into_inner(),
        shx: Some(shx.into_inner()),
        dbf: names_dbf("KSMC", &names, UTF_8, 0),
        prj: prj.map(str::to_owned),
        cpg: Some("UTF-8".into()),
    }
}

/// A point `.shp` + `.shx` built byte by byte: `None` is a null shape; any f64 (NaN, 1e30) is
/// written as is.
fn point_shp(points: &[Option<[f64; 2]>]) -> (Vec<u8>, Vec<u8>) {
    let mut body = Vec::new();
    let mut index = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let content: Vec<u8> = match p {
            Some([x, y]) => [&1i32.to_le_bytes()[..], &x.to_le_bytes(), &y.to_le_bytes()].concat(),
            None => 0i32.to_le_bytes().to_vec(),
        };
        index.extend_from_slice(&(((100 + body.len()) / 2) as i32).to_be_bytes());
        index.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
        body.extend_from_slice(&((i + 1) as i32).to_be_bytes());
        body.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
        body.extend_from_slice(&content);
    }
    let header = |total_bytes: usize| {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&9994i32.to_be_bytes());
        h[24..28].copy_from_slice(&((total_bytes / 2) as i32).to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&1i32.to_le_bytes());
        h
    };
    let shp = [header(100 + body.len()), body].concat();
    let shx = [header(100 + index.len()), index].concat();
    (shp, shx)
}

/// A point set from [`point_shp`], one KSMC value per record.
fn point_set(points: &[Option<[f64; 2]>], prj: Option<&str>) -> ShapefileSet {
    let (shp, shx) = point_shp(points);
    let names: Vec<&str> = points.iter().map(|_| NAME).collect();
    ShapefileSet {
        shp,
        shx: Some(shx),
        dbf: names_dbf("KSMC", &names, UTF_8, 0),
        prj: prj.map(str::to_owned),
        cpg: Some("UTF-8".into()),
    }
}

fn write_set(dir: &Path, stem: &str, set: &ShapefileSet) -> PathBuf {
    set.write(dir, stem).expect("write set");
    dir.join(format!("{stem}.shp"))
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write file");
    path
}

/// A square ring in map order (easting, northing) whose first corner is (e, n).
fn square(e: f64, n: f64, side: f64) -> LineString<f64> {
    LineString::from(vec![
        (e, n),
        (e, n + side),
        (e + side, n + side),
        (e + side, n),
        (e, n),
    ])
}

fn control_square(side: f64) -> Geometry<f64> {
    Geometry::Polygon(Polygon::new(square(CONTROL.y, CONTROL.x, side), vec![]))
}

/// A zone-41 polygon layer with one square at the control point.
fn control_set() -> ShapefileSet {
    geo_set(&[control_square(100.0)], &[NAME], Some(PRJ_ZONE41))
}

/// A zip of (raw member name, bytes); names are stored as given (no UTF-8 flag for GBK bytes).
fn zip_bytes(members: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in members {
        let opts =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        w.start_file_with_options(opts.name(name))
            .expect("zip member");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// The members of a set under `stem` (raw bytes, e.g. "成果资料/采矿权" or GBK).
fn set_members(stem: &[u8], set: &ShapefileSet) -> Vec<(Vec<u8>, Vec<u8>)> {
    let files = [
        ("shp", Some(set.shp.clone())),
        ("shx", set.shx.clone()),
        ("dbf", Some(set.dbf.clone())),
        ("prj", set.prj.clone().map(String::into_bytes)),
        ("cpg", set.cpg.clone().map(String::into_bytes)),
    ];
    files
        .into_iter()
        .filter_map(|(ext, bytes)| Some(([stem, b".", ext.as_bytes()].concat(), bytes?)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Loading and checking
// ---------------------------------------------------------------------------------------------

/// Load, turning a panic into a test failure that names the file.
fn try_load(path: &Path, opts: &LoadOptions) -> Result<Vec<LoadedLayer>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        load_path(path, opts, &Progress::default())
    }))
    .unwrap_or_else(|_| panic!("the loader panicked on {}", path.display()))
    .map_err(|e| e.words(Lang::En))
}

/// The English wording of messages.
fn en(texts: &[Text]) -> Vec<String> {
    texts
        .iter()
        .map(|t| t.in_lang(Lang::En).to_owned())
        .collect()
}

/// Whether some message's English wording holds `what`.
fn says(texts: &[Text], what: &str) -> bool {
    texts.iter().any(|t| t.in_lang(Lang::En).contains(what))
}

fn load_with(path: &Path, opts: &LoadOptions) -> LoadedLayer {
    let mut layers = try_load(path, opts).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(layers.len(), 1, "{}", path.display());
    layers.remove(0)
}

fn load(path: &Path) -> LoadedLayer {
    load_with(path, &LoadOptions::default())
}

fn text(l: &LoadedLayer, feature: usize, field: &str) -> String {
    l.layer.features[feature]
        .attr(field)
        .map(|v| v.display())
        .unwrap_or_else(|| panic!("{field} missing in {}", l.layer.source))
}

/// The control point in CGCS2000 lon/lat, from EPSG:4529 once.
fn control_lonlat() -> (f64, f64) {
    crs::transform("EPSG:4529", "EPSG:4490")
        .expect("PROJ")
        .convert((CONTROL.y, CONTROL.x))
        .expect("convert")
}

/// Ground distance in metres between two nearby lon/lat points.
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dx = (a.0 - b.0) * 111_320.0 * a.1.to_radians().cos();
    let dy = (a.1 - b.1) * 110_574.0;
    dx.hypot(dy)
}

/// Distance in metres from `want` (lon, lat) to the nearest vertex of `g`.
fn vertex_distance(g: &Geometry<f64>, want: (f64, f64)) -> f64 {
    g.coords_iter()
        .map(|c| metres((c.x, c.y), want))
        .fold(f64::INFINITY, f64::min)
}

/// Asserts that some vertex of the layer lies within `tol` metres of `want` (lon, lat).
fn assert_vertex_near(l: &LoadedLayer, want: (f64, f64), tol: f64) {
    let d = l
        .layer
        .features
        .iter()
        .map(|f| vertex_distance(&f.geometry, want))
        .fold(f64::INFINITY, f64::min);
    assert!(
        d < tol,
        "{}: nearest vertex {d} m from {want:?} (tolerance {tol} m); CRS {:?}",
        l.layer.source,
        l.crs
    );
}

/// Geometry kind and its number of parts (polygons, lines, points).
fn kind(g: &Geometry<f64>) -> (&'static str, usize) {
    match g {
        Geometry::Point(_) => ("Point", 1),
        Geometry::MultiPoint(m) => ("MultiPoint", m.0.len()),
        Geometry::MultiLineString(m) => ("MultiLineString", m.0.len()),
        Geometry::Polygon(_) => ("Polygon", 1),
        Geometry::MultiPolygon(m) => ("MultiPolygon", m.0.len()),
        _ => ("other", 0),
    }
}

/// A polygon feature's polygons (a single-part shape loads as a `Polygon`, as GDAL reads it).
fn multipolygon(l: &LoadedLayer, feature: usize) -> MultiPolygon<f64> {
    match &l.layer.features[feature].geometry {
        Geometry::MultiPolygon(mp) => mp.clone(),
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        g => panic!("{}: not a polygon: {g:?}", l.layer.source),
    }
}

/// A zone-41 ring (easting, northing) → CGCS2000 lon/lat polygon.
fn lonlat_polygon(ring: &LineString<f64>) -> Geometry<f64> {
    let pts: Vec<(f64, f64)> = ring
        .coords()
        .map(|c| crs::zone41_to_lonlat(SurveyXY { x: c.y, y: c.x }).expect("PROJ"))
        .collect();
    Geometry::Polygon(Polygon::new(LineString::from(pts), vec![]))
}

fn no_problems(l: &LoadedLayer) {
    assert!(
        l.problems.is_empty(),
        "{}: {:?}",
        l.layer.source,
        l.problems
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Encodings
// ---------------------------------------------------------------------------------------------

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one file set per case, checked case by case"
)]
fn attribute_encodings_are_detected_and_decoded_exactly() {
    let dir = fresh_dir("encoding", "编码测试");
    // (file stem, DBF encoding, LDID, .cpg, encoding expected, reason expected)
    type Case = (
        &'static str,
        &'static Encoding,
        u8,
        Option<&'static str>,
        &'static str,
        &'static str,
    );
    let cases: [Case; 5] = [
        ("GBK带cpg", GBK, 0, Some("GBK"), "GBK", ".cpg: GBK"),
        ("GBK_LDID4D", GBK, 0x4D, None, "GBK", "DBF LDID 0x4D"),
        ("GBK_LDID57", GBK, 0x57, None, "GBK", "not UTF-8; valid GBK"),
        ("UTF8带cpg", UTF_8, 0, Some("UTF-8"), "UTF-8", ".cpg: UTF-8"),
        (
            "UTF8无cpg",
            UTF_8,
            0,
            None,
            "UTF-8",
            "all text is valid UTF-8",
        ),
    ];
    for (stem, enc, ldid, cpg, want_enc, want_reason) in cases {
        let mut set = control_set();
        set.dbf = names_dbf("KSMC", &[NAME], enc, ldid);
        set.cpg = cpg.map(str::to_owned);
        let l = load(&write_set(&dir, stem, &set));
        assert_eq!(text(&l, 0, "KSMC"), NAME, "{stem}");
        let d = l.encoding.as_ref().expect("encoding reported");
        assert_eq!(
            (d.encoding.name(), d.reason.in_lang(Lang::En)),
            (want_enc, want_reason),
            "{stem}"
        );
        assert_eq!(l.layer.name_zh, stem);
        assert!(
            l.layer.encoding.in_both_languages().starts_with(want_enc),
            "{}",
            l.layer.encoding.in_both_languages()
        );
        no_problems(&l);
    }

    // A GBK field name: 名称 is 4 bytes in GBK (dBase names hold 10). Written as "MCXX", patched.
    let mut dbf = names_dbf("MCXX", &[NAME], GBK, 0x57);
    assert_eq!(&dbf[32..36], b"MCXX");
    dbf[32..36].copy_from_slice(&gbk("名称"));
    let mut set = control_set();
    set.dbf = dbf;
    set.cpg = None;
    let l = load(&write_set(&dir, "字段名GBK", &set));
    assert_eq!(l.layer.features[0].attributes.len(), 1);
    assert_eq!(&*l.layer.features[0].attributes.names()[0], "名称");
    assert_eq!(text(&l, 0, "名称"), NAME);
    assert_eq!(l.layer.features[0].display_name(0), NAME);
    no_problems(&l);

    // Upper-case extensions, as old Windows tools write them: every sidecar is still found.
    let mut set = control_set();
    set.dbf = names_dbf("KSMC", &[NAME], GBK, 0);
    set.cpg = Some("GBK".into());
    let lower = write_set(&dir, "大写扩展名", &set);
    for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
        let from = lower.with_extension(ext);
        std::fs::rename(&from, from.with_extension(ext.to_ascii_uppercase())).expect("rename");
    }
    let l = load(&lower.with_extension("SHP"));
    assert_eq!(text(&l, 0, "KSMC"), NAME);
    assert_eq!((l.crs.epsg, l.crs.source), (Some(4529), CrsSource::Prj));
    assert_eq!(
        l.encoding.as_ref().map(|d| d.reason.in_lang(Lang::En)),
        Some(".cpg: GBK")
    );

    // GBK bytes behind a wrong `.cpg` "UTF-8": reported, never silent U+FFFD; the override fixes it.
    let mut set = control_set();
    set.dbf = names_dbf("KSMC", &[NAME], GBK, 0);
    set.cpg = Some("UTF-8".into());
    let path = write_set(&dir, "错误cpg", &set);
    let wrong = load(&path);
    let shown = text(&wrong, 0, "KSMC");
    assert_ne!(shown, NAME);
    assert_eq!(
        en(&wrong.problems),
        vec!["1 text value(s) are not valid UTF-8 (first: record 1, field KSMC)".to_owned()],
        "shown as {shown:?}"
    );
    let fixed = load_with(
        &path,
        &LoadOptions {
            encoding: Some(GBK),
            ..LoadOptions::default()
        },
    );
    assert_eq!(text(&fixed, 0, "KSMC"), NAME);
    let d = fixed.encoding.as_ref().expect("encoding reported");
    assert_eq!(
        (d.encoding, d.reason.in_lang(Lang::En)),
        (GBK, "chosen by the user")
    );
    no_problems(&fixed);
}

// ---------------------------------------------------------------------------------------------
// 2–4. CRSs: .prj, inference, swapped axes
// ---------------------------------------------------------------------------------------------

/// A one-point layer at (x, y) as stored.
fn one_point(x: f64, y: f64, prj: Option<&str>) -> ShapefileSet {
    geo_set(&[Geometry::Point(Point::new(x, y))], &[NAME], prj)
}

#[test]
fn every_prj_brings_the_control_point_home() {
    let dir = fresh_dir("crs", "坐标系");
    let want = control_lonlat();
    for (epsg, prj) in [
        (4529, PRJ_ZONE41),
        (4550, PRJ_4550),
        (4490, PRJ_4490),
        (3857, PRJ_3857),
    ] {
        let (x, y) = crs::transform("EPSG:4490", &format!("EPSG:{epsg}"))
            .expect("PROJ")
            .convert(want)
            .expect("convert");
        let l = load(&write_set(
            &dir,
            &format!("控制点_{epsg}"),
            &one_point(x, y, Some(prj)),
        ));
        assert_eq!(l.crs.epsg, Some(epsg), "{:?}", l.crs);
        assert_eq!(l.crs.source, CrsSource::Prj, "{:?}", l.crs);
        assert!(
            l.crs
                .label
                .in_lang(Lang::En)
                .contains(&format!("EPSG:{epsg}")),
            "{:?}",
            l.crs
        );
        assert_vertex_near(&l, want, CM);
        assert!(l.warnings.is_empty(), "EPSG:{epsg}: {:?}", l.warnings);
        assert_eq!(l.swap_suggested, None);
        no_problems(&l);
    }

    // Xian 1980 zone 41: the surveyor's numbers for the same point (they differ from CGCS2000 by
    // tens of metres at most); PROJ's Xian → CGCS2000 is only a ballpark, and the loader says so.
    let l = load(&write_set(
        &dir,
        "控制点_西安80",
        &one_point(CONTROL.y, CONTROL.x, Some(PRJ_2365)),
    ));
    assert_eq!(
        (l.crs.epsg, l.crs.source),
        (Some(2365), CrsSource::Prj),
        "{:?}",
        l.crs
    );
    assert!(
        l.warnings
            .iter()
            .any(|w| w.in_lang(Lang::En).contains("Xian 1980")
                && w.in_lang(Lang::Zh).contains("西安1980")
                && w.in_lang(Lang::En).contains("+towgs84")),
        "{:?}",
        l.warnings
    );
    assert_vertex_near(&l, want, 200.0);

    // A CRS outside the app's list (UTM 51N): PROJ reads the .prj itself; no EPSG code claimed.
    let (x, y) = crs::transform("EPSG:4490", "EPSG:32651")
        .expect("PROJ")
        .convert(want)
        .expect("convert");
    let l = load(&write_set(
        &dir,
        "控制点_UTM",
        &one_point(x, y, Some(PRJ_UTM51N)),
    ));
    assert_eq!(
        (l.crs.epsg, l.crs.source, l.crs.label.in_lang(Lang::En)),
        (None, CrsSource::Prj, "WGS_1984_UTM_Zone_51N")
    );
    assert_vertex_near(&l, want, CM);
}

/// Layers in a CGCS2000 Gauss-Krüger CRS are placed by the closed-form series
/// (`taonan_map::crs::gauss_kruger`) instead of PROJ: every vertex lands where PROJ puts it, within
/// 1e-9° (0.1 mm), for a `.prj`, a guessed CRS and a user's choice, 3- and 6-degree zones.
#[test]
fn gauss_kruger_layers_match_proj_vertex_for_vertex() {
    let dir = fresh_dir("gk-vs-proj", "高斯克吕格");
    // Squares with holes and multipart polygons spread over ±150 km around Taonan, in
    // zone-41 numbers (easting with the 41 prefix).
    let geoms: Vec<Geometry<f64>> = (0..60)
        .map(|i| {
            let f = f64::from(i);
            let (e, n) = (
                CONTROL.y - 150_000.0 + f * 5_000.0,
                CONTROL.x - 90_000.0 + f * 3_000.0,
            );
            let outer = Polygon::new(
                square(e, n, 900.0),
                vec![square(e + 100.0, n + 100.0, 50.0)],
            );
            let second = Polygon::new(square(e + 2_000.0, n, 300.0), vec![]);
            Geometry::MultiPolygon(MultiPolygon(vec![outer, second]))
        })
        .collect();
    let shift = |g: &Geometry<f64>, de: f64| {
        use geo::MapCoords;
        g.map_coords(|c| geo::Coord {
            x: c.x + de,
            y: c.y,
        })
    };
    let names = vec![NAME; geoms.len()];
    // (file, options, the CRS the loader must decide, easting shift from zone-41 numbers).
    let zone41 = geo_set(&geoms, &names, Some(PRJ_ZONE41));
    let no_prefix: Vec<Geometry<f64>> = geoms.iter().map(|g| shift(g, -41_000_000.0)).collect();
    let six_degree: Vec<Geometry<f64>> = geoms.iter().map(|g| shift(g, -20_000_000.0)).collect();
    let cases = [
        ("prj_4529", zone41, LoadOptions::default(), 4529),
        (
            "prj_4550",
            geo_set(&no_prefix, &names, Some(PRJ_4550)),
            LoadOptions::default(),
            4550,
        ),
        (
            "guessed_4529",
            geo_set(&geoms, &names, None),
            LoadOptions::default(),
            4529,
        ),
        (
            "chosen_4499",
            geo_set(&six_degree, &names, None),
            LoadOptions {
                epsg: Some(4499),
                ..LoadOptions::default()
            },
            4499,
        ),
    ];
    for (stem, set, opts, epsg) in cases {
        let l = load_with(&write_set(&dir, stem, &set), &opts);
        assert_eq!(l.crs.epsg, Some(epsg), "{stem}: {:?}", l.crs);
        // The same file read and transformed by PROJ, through the batched PROJ path.
        let mut want: Vec<Geometry<f64>> = taonan_map::io::shp::decode(&set, None)
            .expect("decode")
            .records
            .into_iter()
            .filter_map(|(g, _)| g)
            .collect();
        let proj = crs::transform(&format!("EPSG:{epsg}"), "EPSG:4490").expect("PROJ");
        crs::transform_geometries(&proj, &mut want);
        assert_eq!(l.layer.features.len(), want.len(), "{stem}");
        let mut worst: f64 = 0.0;
        for (f, w) in l.layer.features.iter().zip(&want) {
            assert_eq!(f.geometry.coords_count(), w.coords_count(), "{stem}");
            for (a, b) in f.geometry.coords_iter().zip(w.coords_iter()) {
                worst = worst.max((a.x - b.x).abs()).max((a.y - b.y).abs());
            }
        }
        assert!(
            worst < 1e-9,
            "{stem}: vertices differ from PROJ by up to {worst:e}°"
        );
        no_problems(&l);
    }
}

#[test]
fn without_prj_the_numbers_decide() {
    let dir = fresh_dir("infer", "无prj");
    let want = control_lonlat();
    let cases = [
        ("带号米", CONTROL.y, CONTROL.x, 4529),
        ("无带号米", CONTROL.y - 41_000_000.0, CONTROL.x, 4550),
        ("经纬度", want.0, want.1, 4490),
    ];
    for (stem, x, y, epsg) in cases {
        let path = write_set(&dir, stem, &one_point(x, y, None));
        let l = load(&path);
        assert_eq!(
            (l.crs.epsg, l.crs.source),
            (Some(epsg), CrsSource::Inferred),
            "{stem}: {:?}",
            l.crs
        );
        assert!(
            l.crs
                .reason
                .in_lang(Lang::En)
                .contains(&format!("EPSG:{epsg}")),
            "{:?}",
            l.crs
        );
        assert_vertex_near(&l, want, CM);
        assert_eq!(l.swap_suggested, None, "{stem}");
        // The user's choice wins over the guess and says so.
        let chosen = load_with(
            &path,
            &LoadOptions {
                epsg: Some(epsg),
                ..LoadOptions::default()
            },
        );
        assert_eq!(
            (chosen.crs.epsg, chosen.crs.source),
            (Some(epsg), CrsSource::User)
        );
        assert_vertex_near(&chosen, want, CM);
    }

    // Numbers that fit no CRS: loaded unplaced (坐标系未知), listed and counted, not drawn.
    let garbage = geo_set(
        &[Geometry::Polygon(Polygon::new(
            square(1000.0, 2000.0, 10.0),
            vec![],
        ))],
        &[NAME],
        None,
    );
    let path = write_set(&dir, "乱数", &garbage);
    let l = load(&path);
    assert!(!l.layer.is_placed(), "{}", l.layer.crs.in_both_languages());
    assert_eq!((l.crs.epsg, l.layer.features.len()), (None, 1));
    assert_eq!(text(&l, 0, "KSMC"), NAME, "its attributes are there");
    assert!(l.layer.extent().is_none(), "nothing to draw");
    // Lon/lat outside China (Paris): taken as WGS 84, with a warning.
    let paris = write_set(&dir, "巴黎", &one_point(2.3522, 48.8566, None));
    let l = load(&paris);
    assert_eq!(
        (l.crs.epsg, l.crs.source),
        (Some(4326), CrsSource::Inferred)
    );
    assert!(says(&l.warnings, "WGS 84"), "{:?}", l.warnings);
    assert_vertex_near(&l, (2.3522, 48.8566), CM);
}

/// The control square stored the surveyors' way round (x = northing X, y = easting Y), with
/// `east_offset` taken off the easting (41 000 000 drops the zone prefix).
fn swapped_square(east_offset: f64, prj: Option<&str>) -> ShapefileSet {
    let ring = square(CONTROL.x, CONTROL.y - east_offset, 500.0);
    geo_set(
        &[Geometry::Polygon(Polygon::new(ring, vec![]))],
        &[NAME],
        prj,
    )
}

/// Loaded with the user's "swap X/Y", the control point is exact and nothing more is offered.
fn check_swap_fixes(path: &Path, epsg: u32) {
    let fixed = load_with(
        path,
        &LoadOptions {
            swap_xy: Some(true),
            ..LoadOptions::default()
        },
    );
    assert_eq!(fixed.crs.epsg, Some(epsg), "{:?}", fixed.crs);
    assert_eq!(fixed.swap_suggested, None);
    assert!(fixed.swapped);
    assert_vertex_near(&fixed, control_lonlat(), CM);
}

#[test]
fn swapped_xy_is_offered_or_undone() {
    let dir = fresh_dir("swap", "XY颠倒");
    // No zone prefix: as written the numbers are a place (in the Pacific), so the swap is offered.
    for (stem, prj) in [("无带号无prj", None), ("无带号有prj", Some(PRJ_4550))] {
        let path = write_set(&dir, stem, &swapped_square(41_000_000.0, prj));
        let l = load(&path);
        assert!(l.swap_suggested.is_some(), "{stem}: {:?}", l.warnings);
        assert!(!l.swapped, "{stem}");
        assert!(
            says(&l.warnings, "X and Y look swapped"),
            "{stem}: {:?}",
            l.warnings
        );
        assert_eq!(l.crs.epsg, Some(4550), "{stem}");
        check_swap_fixes(&path, 4550);
    }
    // With the 41 prefix, as written they are no place on Earth: swapped back on load, loudly.
    for (stem, prj) in [("带号无prj", None), ("带号有prj", Some(PRJ_ZONE41))] {
        let path = write_set(&dir, stem, &swapped_square(0.0, prj));
        let l = load(&path);
        assert!(l.swapped, "{stem}: {:?}", l.warnings);
        assert_eq!(l.swap_suggested, None, "{stem}");
        assert!(
            says(&l.warnings, "have been swapped back"),
            "{stem}: {:?}",
            l.warnings
        );
        assert_vertex_near(&l, control_lonlat(), CM);
        check_swap_fixes(&path, 4529);
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Geometry kinds
// ---------------------------------------------------------------------------------------------

#[allow(
    clippy::too_many_lines,
    reason = "one scenario: a shapefile with every shape kind, checked shape by shape"
)]
#[test]
fn holes_parts_z_m_lines_points_and_nulls() {
    let dir = fresh_dir("geometry", "几何类型");
    let want = control_lonlat();
    let (e, n) = (CONTROL.y, CONTROL.x);

    // A polygon with a hole: area = outer − hole, on the ellipsoid.
    let outer = square(e, n, 1000.0);
    let hole = square(e + 300.0, n + 300.0, 400.0);
    let set = geo_set(
        &[Geometry::Polygon(Polygon::new(
            outer.clone(),
            vec![hole.clone()],
        ))],
        &[NAME],
        Some(PRJ_ZONE41),
    );
    let l = load(&write_set(&dir, "带洞", &set));
    let mp = multipolygon(&l, 0);
    assert_eq!((mp.0.len(), mp.0[0].interiors().len()), (1, 1));
    let expected = area_km2(&lonlat_polygon(&outer)) - area_km2(&lonlat_polygon(&hole));
    let got = area_km2(&l.layer.features[0].geometry);
    assert!(
        ((got - expected) / expected).abs() < 1e-6,
        "{got} vs {expected}"
    );
    assert!((got - 0.84).abs() < 1e-4, "{got}");
    assert_vertex_near(&l, want, CM);

    // Two parts in one record.
    let parts = MultiPolygon(vec![
        Polygon::new(square(e, n, 500.0), vec![]),
        Polygon::new(square(e + 3000.0, n, 500.0), vec![]),
    ]);
    let set = geo_set(&[Geometry::MultiPolygon(parts)], &[NAME], Some(PRJ_ZONE41));
    let l = load(&write_set(&dir, "两部分", &set));
    assert_eq!(l.layer.features.len(), 1);
    assert_eq!(kind(&l.layer.features[0].geometry), ("MultiPolygon", 2));
    let a = area_km2(&l.layer.features[0].geometry);
    assert!((a - 0.5).abs() < 1e-4, "{a}");

    // Shapes written by the shapefile crate itself: Z and M dropped, x/y exact.
    let ring_z: Vec<shapefile::PointZ> = square(e, n, 200.0)
        .coords()
        .map(|c| shapefile::PointZ::new(c.x, c.y, 150.0, 7.0))
        .collect();
    let ring_m: Vec<shapefile::PointM> = square(e, n, 200.0)
        .coords()
        .map(|c| shapefile::PointM::new(c.x, c.y, 3.0))
        .collect();
    let pt = |de: f64, dn: f64| shapefile::Point::new(e + de, n + dn);
    let sets: [(&str, ShapefileSet, (&str, usize)); 5] = [
        (
            "PolygonZ",
            raw_set(
                &[shapefile::PolygonZ::new(PolygonRing::Outer(ring_z))],
                Some(PRJ_ZONE41),
            ),
            ("Polygon", 1),
        ),
        (
            "PolygonM",
            raw_set(
                &[shapefile::PolygonM::new(PolygonRing::Outer(ring_m))],
                Some(PRJ_ZONE41),
            ),
            ("Polygon", 1),
        ),
        (
            "PointZ",
            raw_set(
                &[shapefile::PointZ::new(e, n, 150.0, 0.0)],
                Some(PRJ_ZONE41),
            ),
            ("Point", 1),
        ),
        (
            "Polyline",
            raw_set(
                &[shapefile::Polyline::with_parts(vec![
                    vec![pt(0.0, 0.0), pt(100.0, 50.0)],
                    vec![pt(300.0, 0.0), pt(400.0, 80.0), pt(500.0, 0.0)],
                ])],
                Some(PRJ_ZONE41),
            ),
            ("MultiLineString", 2),
        ),
        (
            "Multipoint",
            raw_set(
                &[shapefile::Multipoint::new(vec![
                    pt(0.0, 0.0),
                    pt(10.0, 0.0),
                    pt(0.0, 10.0),
                ])],
                Some(PRJ_ZONE41),
            ),
            ("MultiPoint", 3),
        ),
    ];
    for (stem, set, want_kind) in sets {
        let l = load(&write_set(&dir, stem, &set));
        assert_eq!(l.layer.features.len(), 1, "{stem}");
        assert_eq!(kind(&l.layer.features[0].geometry), want_kind, "{stem}");
        assert_eq!(text(&l, 0, "KSMC"), format!("{NAME}1"), "{stem}");
        assert_vertex_near(&l, want, CM);
        no_problems(&l);
    }

    // Null shapes: skipped and reported by record number; the rest load with their attributes.
    let set = point_set(
        &[Some([e, n]), None, Some([e + 100.0, n]), None],
        Some(PRJ_ZONE41),
    );
    let l = load(&write_set(&dir, "空几何", &set));
    assert_eq!(l.layer.features.len(), 2);
    assert_eq!(
        en(&l.problems),
        vec![
            "record 2: null shape skipped".to_owned(),
            "record 4: null shape skipped".to_owned()
        ]
    );
    assert_vertex_near(&l, want, CM);
}

// ---------------------------------------------------------------------------------------------
// 6. Zips
// ---------------------------------------------------------------------------------------------

/// A point-table corner list around the control point (UTF-8).
fn corner_table() -> String {
    let mut s = "点号,X坐标,Y坐标\n".to_owned();
    for (name, x, y) in corners(0.0) {
        s.push_str(&format!("{name},{x:.2},{y:.2}\n"));
    }
    s
}

#[test]
fn zips_with_folders_gbk_names_and_missing_files() {
    let dir = fresh_dir("zip", "来件");
    let want = control_lonlat();
    let a = control_set();
    let mut b = geo_set(
        &[control_square(300.0)],
        &["洮南市万宝镇煤矿"],
        Some(PRJ_ZONE41),
    );
    b.dbf = names_dbf("KSMC", &["洮南市万宝镇煤矿"], GBK, 0x4D);
    b.cpg = None;

    // Two sets in a Chinese sub-folder, a corner list beside them, and junk.
    let mut members = set_members("成果资料/采矿权甲".as_bytes(), &a);
    members.extend(set_members("成果资料/采矿权乙".as_bytes(), &b));
    members.push((
        "成果资料/拐点坐标.txt".as_bytes().to_vec(),
        corner_table().into_bytes(),
    ));
    members.push((b"__MACOSX/._x.shp".to_vec(), b"junk".to_vec()));
    let path = write_file(&dir, "测量成果.zip", &zip_bytes(&members));
    let layers = try_load(&path, &LoadOptions::default()).expect("zip loads");
    let names: Vec<&str> = layers.iter().map(|l| l.layer.name_zh.as_str()).collect();
    assert_eq!(names, ["采矿权甲", "采矿权乙", "拐点坐标"]);
    assert!(
        layers[0]
            .layer
            .source
            .ends_with("测量成果.zip!成果资料/采矿权甲.shp"),
        "{}",
        layers[0].layer.source
    );
    assert_eq!(text(&layers[0], 0, "KSMC"), NAME);
    assert_eq!(text(&layers[1], 0, "KSMC"), "洮南市万宝镇煤矿");
    assert_eq!(text(&layers[2], 0, "DKMC"), "地块1");
    for l in &layers {
        assert_eq!(l.crs.epsg, Some(4529), "{:?}", l.crs);
        assert_vertex_near(l, want, CM);
        no_problems(l);
    }
    assert_eq!(layers[2].crs.source, CrsSource::Inferred);

    // GBK member names without the UTF-8 flag (Chinese Windows), backslash separators.
    let mut members = set_members(&gbk("资料\\采矿权"), &a);
    members.push((gbk("资料\\说明.doc"), b"doc".to_vec()));
    let path = write_file(&dir, "GBK名称.zip", &zip_bytes(&members));
    let l = load(&path);
    assert_eq!(l.layer.name_zh, "采矿权");
    assert!(
        l.layer.source.ends_with("GBK名称.zip!资料/采矿权.shp"),
        "{}",
        l.layer.source
    );
    assert_eq!(text(&l, 0, "KSMC"), NAME);

    // A set without its .dbf is skipped and said so; the other loads.
    let mut members = set_members("成果/好".as_bytes(), &a);
    let mut broken = set_members("成果/坏".as_bytes(), &a);
    broken.retain(|(name, _)| !name.ends_with(b".dbf"));
    members.extend(broken);
    let path = write_file(&dir, "缺dbf.zip", &zip_bytes(&members));
    let l = load(&path);
    assert_eq!(l.layer.name_zh, "好");
    assert_eq!(
        en(&l.problems),
        vec!["skipped in the zip: 成果/坏.shp: the .dbf is missing; skipped".to_owned()]
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Corner-coordinate lists
// ---------------------------------------------------------------------------------------------

/// Four corners (name, X northing, Y easting) with J1 at the control point, shifted `north` m.
fn corners(north: f64) -> [(&'static str, f64, f64); 4] {
    let (x, y) = (CONTROL.x + north, CONTROL.y);
    [
        ("J1", x, y),
        ("J2", x, y + 600.0),
        ("J3", x - 500.0, y + 600.0),
        ("J4", x - 500.0, y),
    ]
}

/// Point-table lines `name{sep}X{sep}Y` (with `extra(X, Y)` appended when given).
fn table_lines(north: f64, sep: &str, extra: Option<fn(f64, f64) -> String>) -> String {
    corners(north)
        .iter()
        .map(|(name, x, y)| {
            let tail = extra
                .map(|f| format!("{sep}{}", f(*x, *y)))
                .unwrap_or_default();
            format!("{name}{sep}{x:.2}{sep}{y:.2}{tail}\n")
        })
        .collect()
}

/// DMS latitude and longitude of a zone-41 corner, as surveyors print them.
fn dms_columns(x: f64, y: f64) -> String {
    let (lon, lat) = crs::zone41_to_lonlat(SurveyXY { x, y }).expect("PROJ");
    format!("{},{}", dms(lat, 'N', 'S'), dms(lon, 'E', 'W'))
}

fn land_survey() -> String {
    let mut s =
        "[属性描述]\n格式版本号=1.01\n数据产生单位=洮南市自然资源局\n坐标系=2000国家大地坐标系\n\
                 几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=41\n精度=0.01\n[地块坐标]\n"
            .to_owned();
    let ring = |ring_no: u32, pts: &[(&str, f64, f64)]| -> String {
        let mut out = String::new();
        for (name, x, y) in pts.iter().chain(pts.first()) {
            out.push_str(&format!("{name},{ring_no},{x:.2},{y:.2}\n"));
        }
        out
    };
    let (x, y) = (CONTROL.x, CONTROL.y);
    s.push_str("9,0.2850,2201,洮南某采石场,面,L51G012034,采矿用地,0602,@\n");
    s.push_str(&ring(1, &corners(0.0)));
    s.push_str(&ring(
        2,
        &[
            ("J5", x - 100.0, y + 100.0),
            ("J6", x - 100.0, y + 200.0),
            ("J7", x - 200.0, y + 200.0),
        ],
    ));
    s.push_str("5,0.3000,2202,洮南某砂场,面,L51G012034,采矿用地,0602,@\n");
    s.push_str(&ring(1, &corners(2000.0)));
    s
}

#[allow(
    clippy::too_many_lines,
    reason = "a table of corner-list texts, one per layout, each with its expected outcome"
)]
#[test]
fn corner_lists_in_every_layout() {
    let dir = fresh_dir("corners", "拐点坐标");
    let want = control_lonlat();
    let (x, y) = (CONTROL.x, CONTROL.y);
    let pairs: Vec<String> = corners(0.0)
        .iter()
        .map(|(_, x, y)| format!("{x:.2},{y:.2}"))
        .collect();
    let block = format!(
        "2,4,{},0,150,-200\n3,{:.2},{:.2},{:.2},{:.2},{:.2},{:.2},-1,150,-200\n",
        pairs.join(","),
        x - 100.0,
        y + 100.0,
        x - 100.0,
        y + 200.0,
        x - 200.0,
        y + 200.0
    );
    // (file, bytes, parcels, holes in parcel 1, CRS source)
    let cases: Vec<(&str, Vec<u8>, usize, usize, CrsSource)> = vec![
        (
            "表格带表头.txt",
            format!(
                "点号,X坐标,Y坐标\n{}\n地块2\n{}",
                table_lines(0.0, ",", None),
                table_lines(2000.0, ",", None)
            )
            .into_bytes(),
            2,
            0,
            CrsSource::Inferred,
        ),
        (
            "表格无表头.csv",
            table_lines(0.0, ",", None).into_bytes(),
            1,
            0,
            CrsSource::Inferred,
        ),
        (
            "制表符.txt",
            format!("点号\tX\tY\n{}", table_lines(0.0, "\t", None)).into_bytes(),
            1,
            0,
            CrsSource::Inferred,
        ),
        (
            "带经纬度.txt",
            format!(
                "点号,X,Y,纬度,经度\n{}",
                table_lines(0.0, ",", Some(dms_columns))
            )
            .into_bytes(),
            1,
            0,
            CrsSource::Inferred,
        ),
        (
            "土地勘测.txt",
            land_survey().into_bytes(),
            2,
            1,
            CrsSource::Prj,
        ),
        ("土地勘测GBK.txt", gbk(&land_survey()), 2, 1, CrsSource::Prj),
        ("区块串.txt", block.into_bytes(), 1, 1, CrsSource::Inferred),
        (
            "坐标串.txt",
            format!("GDZB={}", pairs.join(";")).into_bytes(),
            1,
            0,
            CrsSource::Inferred,
        ),
    ];
    for (file, bytes, parcels, holes, source) in cases {
        let l = load(&write_file(&dir, file, &bytes));
        assert_eq!(l.layer.features.len(), parcels, "{file}");
        assert_eq!(multipolygon(&l, 0).0[0].interiors().len(), holes, "{file}");
        assert_eq!(
            (l.crs.epsg, l.crs.source),
            (Some(4529), source),
            "{file}: {:?}",
            l.crs
        );
        assert_vertex_near(&l, want, CM);
        no_problems(&l);
        let enc = l.encoding.as_ref().expect("encoding reported");
        let want_enc = if file.contains("GBK") { GBK } else { UTF_8 };
        assert_eq!(enc.encoding, want_enc, "{file}");
        if source == CrsSource::Prj {
            assert_eq!(text(&l, 0, "DKMC"), "洮南某采石场", "{file}");
            assert!(
                l.crs.reason.in_lang(Lang::En).contains("[属性描述]"),
                "{:?}",
                l.crs
            );
        }
    }

    // A Xian 1980 header: the CRS follows it, and the datum caveat is given.
    let xian = land_survey().replace("2000国家大地坐标系", "1980西安坐标系");
    let l = load(&write_file(&dir, "土地勘测西安80.txt", xian.as_bytes()));
    assert_eq!((l.crs.epsg, l.crs.source), (Some(2365), CrsSource::Prj));
    assert!(says(&l.warnings, "Xian 1980"), "{:?}", l.warnings);
    assert_vertex_near(&l, want, 200.0);

    // One bad line: reported by its number; the good corners and parcels still load.
    let bad = format!(
        "点号,X,Y\n{}\n{}",
        table_lines(0.0, ",", None).replacen("J2,", "J2,4503x12,41452900.00\nJ2b,", 1),
        table_lines(2000.0, ",", None)
    );
    let l = load(&write_file(&dir, "坏行.txt", bad.as_bytes()));
    assert_eq!(l.layer.features.len(), 2);
    assert_eq!(l.problems.len(), 1, "{:?}", l.problems);
    assert!(
        l.problems[0].in_lang(Lang::En).contains("line 3")
            && l.problems[0].in_lang(Lang::En).contains("4503x12")
            && l.problems[0]
                .in_lang(Lang::Zh)
                .starts_with("第3行：坐标不是数字"),
        "{:?}",
        l.problems
    );
    assert_vertex_near(&l, want, CM);
}

// ---------------------------------------------------------------------------------------------
// 8. Broken files
// ---------------------------------------------------------------------------------------------

/// What a broken file must give: an error, or a layer with a problem; each with these substrings.
#[derive(Debug, Clone, Copy)]
enum Want {
    Err(&'static [&'static str]),
    Problem(&'static [&'static str]),
}

/// Writes the broken file(s) into the folder and returns the path to open.
type Make = fn(&Path) -> PathBuf;

/// The control set written as `stem` after `edit`.
fn edited(dir: &Path, stem: &str, edit: impl FnOnce(&mut ShapefileSet)) -> PathBuf {
    let mut set = control_set();
    edit(&mut set);
    write_set(dir, stem, &set)
}

/// Three control-area squares (for truncation cases).
fn three_squares() -> ShapefileSet {
    let geoms: Vec<Geometry<f64>> = (0..3)
        .map(|i| {
            let ring = square(CONTROL.y + 1000.0 * i as f64, CONTROL.x, 100.0);
            Geometry::Polygon(Polygon::new(ring, vec![]))
        })
        .collect();
    geo_set(&geoms, &[NAME, NAME, NAME], Some(PRJ_ZONE41))
}

#[allow(
    clippy::too_many_lines,
    reason = "a table of broken files, one entry per case"
)]
fn broken_cases() -> Vec<(Make, Want)> {
    vec![
        (
            |d| edited(d, "空文件", |s| s.shp.clear()),
            Want::Err(&["the .shp header cannot be read"]),
        ),
        (
            |d| {
                let mut set = three_squares();
                set.shp.truncate(set.shp.len() - 30);
                write_set(d, "截断", &set)
            },
            Want::Problem(&["shape 3 cannot be read", "reading stopped there"]),
        ),
        (
            |d| {
                edited(d, "文件码错", |s| {
                    s.shp[0..4].copy_from_slice(&1234i32.to_be_bytes())
                })
            },
            Want::Err(&["the .shp header cannot be read"]),
        ),
        (
            |d| {
                let path = write_set(d, "缺dbf", &control_set());
                std::fs::remove_file(path.with_extension("dbf")).expect("rm dbf");
                path
            },
            // Opened as GDAL and QGIS open it: the geometry, numbered, and a note.
            Want::Problem(&["the .dbf attribute file is missing", "FID"]),
        ),
        (
            |d| {
                let mut set = three_squares();
                let cut = set.dbf.len() - 30;
                set.dbf.truncate(cut);
                write_set(d, "dbf截断", &set)
            },
            Want::Problem(&["the .dbf ends after 2 of its 3 records"]),
        ),
        (
            |d| {
                edited(d, "记录长度错", |s| {
                    s.dbf[10] = s.dbf[10].wrapping_add(1)
                })
            },
            Want::Err(&["DBF record length", "does not match its fields"]),
        ),
        (
            |d| {
                edited(d, "无字段", |s| {
                    s.dbf = dbf::write(&[], &[vec![]], UTF_8, 0, DATE).expect("dbf")
                })
            },
            Want::Err(&["DBF declares no fields"]),
        ),
        (
            |d| edited(d, "短dbf", |s| s.dbf.truncate(10)),
            Want::Err(&["DBF too short"]),
        ),
        (
            |d| {
                edited(d, "乱码prj", |s| {
                    s.prj = Some("这不是坐标系 garbage ]][[".into())
                })
            },
            Want::Err(&["PROJ cannot transform"]),
        ),
        (
            |d| write_set(d, "零要素", &point_set(&[], Some(PRJ_ZONE41))),
            Want::Err(&["the file holds no features"]),
        ),
        (
            |d| {
                let pts = [Some([CONTROL.y, CONTROL.x]), Some([1e30, 1e30])];
                write_set(d, "坐标1e30", &point_set(&pts, Some(PRJ_ZONE41)))
            },
            Want::Problem(&["record 2, point 1", "outside the domain", "feature skipped"]),
        ),
        (
            |d| {
                let pts = [Some([CONTROL.y, CONTROL.x]), Some([f64::NAN, f64::NAN])];
                write_set(d, "坐标NaN", &point_set(&pts, Some(PRJ_ZONE41)))
            },
            Want::Problem(&["record 2: point 1", "not finite", "feature skipped"]),
        ),
        (
            |d| {
                let mp = shapefile::Multipatch::new(shapefile::Patch::TriangleStrip(vec![
                    shapefile::PointZ::new(CONTROL.y, CONTROL.x, 0.0, 0.0),
                    shapefile::PointZ::new(CONTROL.y + 10.0, CONTROL.x, 0.0, 0.0),
                    shapefile::PointZ::new(CONTROL.y, CONTROL.x, 10.0, 0.0),
                ]));
                write_set(d, "多面体", &raw_set(&[mp], Some(PRJ_ZONE41)))
            },
            // MultiPatch is read as polygons (tests/multipatch_in.rs); a wall alone has none.
            Want::Err(&["holds no features", "no footprint"]),
        ),
        (
            |d| write_file(d, "不是zip.zip", b"PK this is not a zip at all"),
            Want::Err(&["not a readable zip file"]),
        ),
        (
            |d| write_file(d, "空.zip", &zip_bytes(&[])),
            Want::Err(&["no features could be loaded", "no shapefile set"]),
        ),
        (
            |d| {
                let junk = [
                    (b"__MACOSX/._a.shp".to_vec(), b"j".to_vec()),
                    (b"__MACOSX/._a.dbf".to_vec(), b"j".to_vec()),
                    (b"Thumbs.db".to_vec(), b"j".to_vec()),
                ];
                write_file(d, "只有垃圾.zip", &zip_bytes(&junk))
            },
            Want::Err(&["no features could be loaded", "no shapefile set"]),
        ),
        (
            |d| {
                let mut set = control_set();
                set.dbf = dbf::write(&[], &[vec![]], UTF_8, 0, DATE).expect("dbf");
                write_file(d, "坏dbf.zip", &zip_bytes(&set_members(b"x/a", &set)))
            },
            Want::Err(&[
                "no features could be loaded",
                "x/a.shp",
                "DBF declares no fields",
            ]),
        ),
        (
            |d| write_file(d, "无坐标.txt", "洮南市矿产资源规划\n没有坐标\n".as_bytes()),
            Want::Err(&["no usable corner coordinates"]),
        ),
        (
            |d| write_file(d, "空.csv", b""),
            Want::Err(&["empty input"]),
        ),
        (
            |d| {
                let bytes: Vec<u8> = (0..512u32).map(|i| (i * 7919 % 251) as u8).collect();
                write_file(d, "二进制.txt", &bytes)
            },
            Want::Err(&["neither UTF-8 nor GBK"]),
        ),
        (
            |d| {
                write_file(
                    d,
                    "非GBK.txt",
                    b"J1,5021800.00,41481600.00\n\xff\xfe\x80\xff\n",
                )
            },
            Want::Err(&["neither UTF-8 nor GBK"]),
        ),
        (|d| d.join("不存在.shp"), Want::Err(&["cannot read"])),
        (
            |d| write_file(d, "图层.kml", b"<kml/>"),
            Want::Err(&["no Placemark"]),
        ),
        (
            |d| write_file(d, "图层.gml", b"<gml/>"),
            Want::Err(&["unsupported file type"]),
        ),
        (
            |d| write_file(d, "孤立.dbf", &names_dbf("KSMC", &[NAME], UTF_8, 0)),
            Want::Err(&["part of a shapefile set", ".shp"]),
        ),
    ]
}

#[test]
fn broken_files_say_which_file_and_what_is_wrong() {
    let dir = fresh_dir("broken", "坏文件");
    let cases = broken_cases();
    assert!(cases.len() >= 20);
    let mut failures = Vec::new();
    for (make, want) in cases {
        let path = make(&dir);
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("file name")
            .to_owned();
        let got = try_load(&path, &LoadOptions::default());
        let verdict = match (want, &got) {
            (Want::Err(subs), Err(e)) => {
                let missing: Vec<&&str> = subs.iter().filter(|s| !e.contains(**s)).collect();
                (e.contains(&file) && missing.is_empty())
                    .then_some(())
                    .ok_or_else(|| format!("error lacks the file name or {missing:?}: {e}"))
            }
            (Want::Problem(subs), Ok(layers)) => {
                let all = layers
                    .iter()
                    .flat_map(|l| en(&l.problems))
                    .collect::<Vec<_>>()
                    .join(" | ");
                let missing: Vec<&&str> = subs.iter().filter(|s| !all.contains(**s)).collect();
                let named = layers.iter().all(|l| l.layer.source.contains(&file));
                (named && missing.is_empty()).then_some(()).ok_or_else(|| {
                    format!("problems lack {missing:?} (or the source its file name): {all}")
                })
            }
            (Want::Err(_), Ok(layers)) => Err(format!(
                "loaded {} layer(s), problems {:?}",
                layers.len(),
                layers.iter().map(|l| &l.problems).collect::<Vec<_>>()
            )),
            (Want::Problem(_), Err(e)) => Err(format!("error instead of a partial load: {e}")),
        };
        if let Err(why) = verdict {
            failures.push(format!("{file}: {why}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// An unknown `.cpg` label must not vanish in silence: the user is told it was not understood.
#[test]

fn unknown_cpg_label_is_reported() {
    let dir = fresh_dir("cpg", "坏文件");
    let path = edited(&dir, "未知cpg", |s| s.cpg = Some("XYZ-PAGE-123".into()));
    let l = load(&path);
    assert_eq!(text(&l, 0, "KSMC"), NAME);
    let told = l
        .problems
        .iter()
        .chain(&l.warnings)
        .map(|t| t.in_lang(Lang::En))
        .chain(l.encoding.iter().map(|d| d.reason.in_lang(Lang::En)))
        .any(|m| m.contains("XYZ-PAGE-123"));
    assert!(
        told,
        "problems {:?}, warnings {:?}, encoding {:?}",
        l.problems, l.warnings, l.encoding
    );
}

/// Deleted records and null shapes are reported with their own record numbers.
#[test]

fn deleted_records_and_null_shapes_keep_their_numbers() {
    let dir = fresh_dir("deleted", "坏文件");
    let mut set = point_set(
        &[
            Some([CONTROL.y, CONTROL.x]),
            Some([CONTROL.y + 100.0, CONTROL.x]),
            None,
        ],
        Some(PRJ_ZONE41),
    );
    let header_len = u16::from_le_bytes([set.dbf[8], set.dbf[9]]) as usize;
    set.dbf[header_len] = b'*';
    let l = load(&write_set(&dir, "删除记录", &set));
    assert_eq!(l.layer.features.len(), 1);
    assert_eq!(
        en(&l.problems),
        vec![
            "record 1 is marked deleted and was skipped".to_owned(),
            "record 3: null shape skipped".to_owned()
        ]
    );
}

/// A `.shx` whose offsets disagree with the `.shp` must not give wrong shapes in silence, nor a
/// message blaming something else: either the `.shp` is read on its own (every square in its
/// place) or the `.shx` is named.
#[test]

fn shx_disagreeing_with_shp_is_caught() {
    let dir = fresh_dir("shx", "坏文件");
    type Edit = fn(usize, i32, i32) -> i32;
    let edits: [(&str, Edit); 2] = [
        ("索引偏移", |_, off, _| off + 2),
        ("索引重复", |_, _, first| first),
    ];
    for (stem, edit) in edits {
        let mut set = three_squares();
        let shx = set.shx.as_mut().expect("shx");
        let first = i32::from_be_bytes(shx[100..104].try_into().expect("4 bytes"));
        for i in 0..3 {
            let at = 100 + 8 * i;
            let off = i32::from_be_bytes(shx[at..at + 4].try_into().expect("4 bytes"));
            shx[at..at + 4].copy_from_slice(&edit(i, off, first).to_be_bytes());
        }
        let got = try_load(&write_set(&dir, stem, &set), &LoadOptions::default());
        let told = match &got {
            Err(e) => e.contains(".shx"),
            Ok(layers) => says(&layers[0].problems, ".shx"),
        };
        let right = got.as_ref().is_ok_and(|layers| {
            let f = &layers[0].layer.features;
            f.len() == 3
                && f.iter().enumerate().all(|(i, feat)| {
                    let corner = SurveyXY {
                        x: CONTROL.x,
                        y: CONTROL.y + 1000.0 * i as f64,
                    };
                    let want = crs::zone41_to_lonlat(corner).expect("PROJ");
                    vertex_distance(&feat.geometry, want) < CM
                })
        });
        let shown = got.as_ref().map(|ls| {
            (
                ls[0].problems.clone(),
                ls[0]
                    .layer
                    .features
                    .iter()
                    .map(|f| f.geometry.coords_iter().next())
                    .collect::<Vec<_>>(),
            )
        });
        assert!(told || right, "{stem}: {shown:?}");
    }
}

/// A `.prj` naming a projection PROJ cannot compute: the message must name the `.prj` / its CRS.
#[test]

fn unknown_projection_in_prj_is_named() {
    let dir = fresh_dir("prj", "坏文件");
    let path = edited(&dir, "未知坐标系", |s| {
        s.prj = Some(PRJ_UNKNOWN.into())
    });
    let err = try_load(&path, &LoadOptions::default()).expect_err("cannot be placed");
    assert!(
        err.contains("未知坐标系.shp")
            && (err.contains("Taonan_Local_Grid") || err.contains(".prj")),
        "{err}"
    );
}

/// A large file is parsed and projected in parallel parts: every feature keeps its place, its
/// attributes and its coordinates, and a file cut short still says where reading stopped.
#[test]
fn large_files_load_in_parallel_parts_in_order() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = fresh_dir("large", "大文件");
    let names: Vec<String> = (0..5000).map(|i| format!("区块{i}")).collect();
    let squares: Vec<Square> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Square {
            x: 5_040_000.0 + (i / 100) as f64 * 200.0,
            y: 41_440_000.0 + (i % 100) as f64 * 200.0,
            side: 100.0,
            name,
            mineral: "建筑用砂",
        })
        .collect();
    let path = write_zone41_squares(&dir, "五千块", &squares).expect("fixture");
    let l = load(&path);
    assert_eq!(l.layer.features.len(), 5000);
    for i in [0usize, 2499, 2500, 4999] {
        let f = &l.layer.features[i];
        assert_eq!(f.attr("KSMC").map(|v| v.display()), Some(names[i].clone()));
        let s = &squares[i];
        let want = taonan_map::plan::datagen::rectangle(s.x, s.y, s.side, s.side).expect("PROJ");
        let got = f.geometry.coords_iter().next().expect("a vertex");
        let w = want.exterior().0[0];
        let near = want
            .exterior()
            .0
            .iter()
            .any(|c| (c.x - got.x).abs() < 1e-9 && (c.y - got.y).abs() < 1e-9);
        assert!(near, "feature {i}: {got:?} vs {w:?}");
    }
    // Cut the .shp in the second half: the first records load, the note names where it stopped.
    let shp = std::fs::read(&path).expect("read");
    std::fs::write(&path, &shp[..shp.len() * 3 / 4]).expect("cut");
    let l = load(&path);
    let n = l.layer.features.len();
    assert!((3000..4000).contains(&n), "{n}");
    assert!(
        l.problems
            .iter()
            .map(|p| p.in_lang(Lang::En))
            .any(|p| p.contains(&format!("shape {}", n + 1)) && p.contains("reading stopped")),
        "{:?}",
        l.problems
    );
}

/// One NaN vertex inside an otherwise good polygon (a mangled file): the feature is skipped and
/// said so, the rest load, and no measure panics on it.
#[test]
fn a_nan_vertex_skips_its_feature_and_nothing_panics() {
    let ring = |x0: f64, bad: bool| {
        let mut pts = vec![
            (x0, 45.5),
            (x0 + 0.01, 45.5),
            (x0 + 0.01, 45.51),
            (x0, 45.51),
            (x0, 45.5),
        ];
        if bad {
            pts[2] = (f64::NAN, 45.51);
        }
        Geometry::Polygon(Polygon::new(LineString::from(pts), vec![]))
    };
    let set = geo_set(
        &[ring(122.3, false), ring(122.4, true), ring(122.5, false)],
        &["好一", "坏", "好二"],
        None,
    );
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        taonan_map::io::loader::from_set(
            set,
            "坏点.shp",
            &LoadOptions::default(),
            &Progress::default(),
        )
    }))
    .expect("no panic")
    .expect("the good features load");
    assert_eq!(loaded.layer.features.len(), 2);
    assert!(
        says(&loaded.problems, "not finite"),
        "{:?}",
        loaded.problems
    );
    for f in loaded.layer.features.iter() {
        assert!(area_km2(&f.geometry) > 0.5);
    }
}

/// A `.shp` without its `.dbf` opens as in GDAL and QGIS: every shape, numbered (FID 1, 2, …),
/// in its place, and a note that the attributes are missing.
#[test]
fn a_shp_without_its_dbf_loads_numbered() {
    let dir = fresh_dir("nodbf", "缺属性");
    let path = write_set(&dir, "缺属性表", &three_squares());
    let with = load(&path);
    std::fs::remove_file(path.with_extension("dbf")).expect("rm dbf");
    let without = load(&path);
    assert_eq!(without.layer.features.len(), with.layer.features.len());
    for (i, (a, b)) in without
        .layer
        .features
        .iter()
        .zip(with.layer.features.iter())
        .enumerate()
    {
        assert_eq!(a.geometry, b.geometry);
        assert_eq!(
            a.attr("FID"),
            Some(taonan_map::model::ValueRef::Number((i + 1) as f64))
        );
    }
    assert!(
        says(&without.problems, "the .dbf attribute file is missing"),
        "{:?}",
        without.problems
    );
}

// ---------------------------------------------------------------------------------------------
// Coordinates checked where they enter (issue 11): one-parcel lists, CRSs outside the list
// ---------------------------------------------------------------------------------------------

/// One parcel of five corners in surveyors' notation (`点号,X 北坐标,Y 东坐标`), each Y typed
/// through `y` (point number 1..5, the Y as it should be written).
fn one_parcel_list(y: impl Fn(usize, &str) -> String) -> String {
    [
        ("J1", "5043400.12", "41452400.55"),
        ("J2", "5043400.12", "41453600.30"),
        ("J3", "5042250.75", "41453600.30"),
        ("J4", "5042250.75", "41452900.00"),
        ("J5", "5042250.75", "41452400.55"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (p, x, good))| format!("{p},{x},{}\n", y(i + 1, good)))
    .collect()
}

fn load_corners(text: &str, opts: &LoadOptions) -> Result<LoadedLayer, String> {
    catch_unwind(AssertUnwindSafe(|| {
        taonan_map::io::loader::from_corner_bytes(text.as_bytes(), "唯一地块.txt", opts)
    }))
    .expect("no panic")
    .map_err(|e| e.words(Lang::En))
}

const PREFIX_CAUSE: &str = "missing zone prefix (41457390.25 written as 57390.25)";

/// A one-parcel corner list whose only parcel lost its zone prefix: the message names the
/// points and the likely cause, not only that the CRS does not fit.
#[test]
fn a_one_parcel_list_that_lost_its_zone_prefix_names_its_points() {
    // The list as written loads.
    let good = load_corners(
        &one_parcel_list(|_, y| y.to_owned()),
        &LoadOptions::default(),
    )
    .expect("loads");
    assert_eq!(good.crs.epsg, Some(4529));
    // Points 2 and 3 typed without "41": the rest of the ring says which and why.
    let some = one_parcel_list(|i, y| {
        if i == 2 || i == 3 {
            y[2..].to_owned()
        } else {
            y.to_owned()
        }
    });
    let e = load_corners(&some, &LoadOptions::default()).expect_err("nothing loads");
    assert_eq!(
        e,
        format!(
            "唯一地块.txt: no features could be loaded: record 1 (地块1), points 2, 3 lie outside \
             the domain of the layer's CRS (the first: (453600.3, 5043400.12)) — likely cause: \
             {PREFIX_CAUSE}; feature skipped"
        )
    );
    // Every point without "41", the CRS chosen (or declared) as zone 41: named, with the
    // doubt about the CRS.
    let all = one_parcel_list(|_, y| y[2..].to_owned());
    let zone41 = LoadOptions {
        epsg: Some(4529),
        ..LoadOptions::default()
    };
    let e = load_corners(&all, &zone41).expect_err("nothing loads");
    assert_eq!(
        e,
        format!(
            "唯一地块.txt: no features could be loaded: record 1 (地块1), points 1–5 lie outside \
             the domain of the layer's CRS (the first: (452400.55, 5043400.12)) — likely cause: \
             {PREFIX_CAUSE}; feature skipped; if the numbers are right, the chosen \
             CRS (CGCS2000 / 3-degree Gauss-Kruger zone 41 (EPSG:4529)) does not fit them — \
             choose another"
        )
    );
    // The issue's example (41457390.25 typed as 47390.25) with the zone in a land-survey
    // header: the same, and the CRS is said to be the file's.
    let header = "[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n带号=41\n[地块坐标]\n\
                  5,0.1,K1,唯一地块,面,,,,@\n\
                  J1,1,5043400.12,47390.25\nJ2,1,5043400.12,48590.30\nJ3,1,5042250.75,48590.30\n\
                  J4,1,5042250.75,47890.00\nJ5,1,5042250.75,47390.25\n";
    let e = load_corners(header, &LoadOptions::default()).expect_err("nothing loads");
    assert!(
        e.contains("record 1 (唯一地块), points 1–5 lie outside the domain")
            && e.contains("(the first: (47390.25, 5043400.12))")
            && e.contains(PREFIX_CAUSE)
            && e.ends_with(
                "if the numbers are right, the file's CRS (.prj or its own statement) \
                 (CGCS2000 / 3-degree Gauss-Kruger zone 41 (EPSG:4529)) does not fit them — \
                 choose another"
            ),
        "{e}"
    );
    // No CRS declared or chosen: the numbers fit none, the layer is loaded unplaced and the
    // reason says what the eastings probably lost.
    let unplaced = load_corners(
        &one_parcel_list(|_, y| y[3..].to_owned()),
        &LoadOptions::default(),
    )
    .expect("loaded unplaced");
    assert_eq!(unplaced.crs.epsg, None);
    assert!(
        unplaced.warnings[0].in_lang(Lang::En).contains(
            "the eastings have too few digits: a missing zone prefix (41457390.25 typed as \
             47390.25) or a dropped digit?"
        ),
        "{:?}",
        unplaced.warnings
    );
}

/// A `.prj` of a CRS outside the known list (UTM zone 51N, EPSG:32651): its vertices are
/// checked against the CRS's area of use from PROJ (the EPSG registry's 120°E–126°E, equator
/// to 84°N), widened by the margin; a record far outside is skipped and named, a vertex that
/// lands nowhere on Earth too; when every record is outside, the layer loads with a warning
/// that the CRS does not fit.
#[test]
fn a_prj_outside_the_known_list_is_checked_against_its_area_of_use() {
    use taonan_map::crs::area_of_use::area_of_use;
    use taonan_map::io::coord_check::AREA_MARGIN;
    let area = area_of_use("EPSG:32651").expect("PROJ knows UTM 51N");
    assert_eq!(
        (area.west, area.south, area.east, area.north),
        (120.0, 0.0, 126.0, 84.0)
    );
    let utm = crs::transform("EPSG:32651", "EPSG:4326").expect("PROJ");
    // Near Taonan; in the southern hemisphere (northing negative: a sign lost); far beyond
    // any place on Earth.
    let good = [500_000.0, 5_000_000.0];
    let south = [500_000.0, -3_000_000.0];
    let (lon, lat) = utm.convert((south[0], south[1])).expect("convert");
    assert!(lat < area.south - AREA_MARGIN, "{lat}");
    let pts = [Some(good), Some(south), Some([1e12, 1e12]), Some(good)];
    let set = point_set(&pts, Some(PRJ_UTM51N));
    let l = taonan_map::io::loader::from_set(
        set,
        "UTM.shp",
        &LoadOptions::default(),
        &Progress::default(),
    )
    .expect("the good records load");
    assert_eq!(l.crs.epsg, None);
    assert_eq!(l.layer.features.len(), 2);
    assert_eq!(
        en(&l.problems),
        [
            format!(
                "record 2, point 1: lies far outside the area of use of the layer's CRS, Between 120°E and 126°E, \
                 northern hemisphere between equator and 84°N, onshore and offshore. (lon \
                 120..126, lat 0..84) (the first at lon {lon:.4}, lat {lat:.4}); feature skipped"
            ),
            "record 3, point 1: does not land on Earth after transforming to lon/lat (not finite, or beyond ±180° / ±90°); feature skipped"
                .to_owned(),
        ]
    );
    // Every record in the southern hemisphere: the CRS is wrong, not the records.
    let set = point_set(
        &[Some(south), Some([600_000.0, -3_100_000.0])],
        Some(PRJ_UTM51N),
    );
    let l = taonan_map::io::loader::from_set(
        set,
        "南半球.shp",
        &LoadOptions::default(),
        &Progress::default(),
    )
    .expect("loads");
    assert_eq!(l.layer.features.len(), 2);
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    assert!(
        says(
            &l.warnings,
            "every feature lies far outside the area of use of WGS_1984_UTM_Zone_51N"
        ),
        "{:?}",
        l.warnings
    );
}
