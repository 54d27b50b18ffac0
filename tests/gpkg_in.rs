//! GeoPackage input, on GeoPackages the tests build with rusqlite following the spec: several
//! feature tables (Chinese names), every geometry kind (ISO Z too), holes, multi-parts, typed
//! attributes, CRS from EPSG and from a WKT definition, a control point checked against PROJ;
//! and broken files (truncated, not SQLite, SQLite but no GeoPackage, no features, lying blob
//! sizes, bad coordinates) that must each give a message naming the file, never a panic.

#![allow(
    clippy::too_many_lines,
    reason = "fixture writers and table-driven checks read best in one piece"
)]

#[path = "support/gpkg_dxf.rs"]
mod fixtures;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use fixtures::{CONTROL_E, CONTROL_N, Table, gp_blob, wkb, write_gpkg};
use geo::{Area, CoordsIter, Geometry};
use rusqlite::types::Value as Sql;
use taonan_map::crs::{self, crs_guess::CrsSource};
use taonan_map::io::loader::{LoadOptions, LoadedLayer, Progress, load_path};
use taonan_map::model::Value;
use taonan_map::plan::fixtures::PRJ_ZONE41;
use taonan_map::text::Lang;

const NAME: &str = "洮南市蛟流河乡建筑用砂矿";

fn fresh_dir(test: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("taonan-gpkg-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("地理包");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn load(path: &Path, opts: &LoadOptions) -> Result<Vec<LoadedLayer>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        load_path(path, opts, &Progress::default())
    }))
    .unwrap_or_else(|_| panic!("the loader panicked on {}", path.display()))
    .map_err(|e| e.words(Lang::En))
}

fn attr(l: &LoadedLayer, i: usize, k: &str) -> Value {
    l.layer.features[i]
        .attributes
        .iter()
        .find(|(n, _)| &***n == k)
        .unwrap_or_else(|| panic!("no {k}"))
        .1
        .to_value()
}

/// A square ring (closed) of side `s` at easting `e`, northing `n`.
fn square(e: f64, n: f64, s: f64) -> Vec<(f64, f64)> {
    vec![(e, n), (e + s, n), (e + s, n + s), (e, n + s), (e, n)]
}

/// The fixture: 地块 (zone 41, EPSG srs), 界址点 (CGCS2000 lon/lat), 线状地物 (WKT srs), 空表.
fn write_fixture(path: &Path) {
    let outer = square(CONTROL_E, CONTROL_N, 400.0);
    let hole = square(CONTROL_E + 100.0, CONTROL_N + 100.0, 100.0);
    let second = square(CONTROL_E + 1000.0, CONTROL_N, 200.0);
    let third = square(CONTROL_E + 2000.0, CONTROL_N, 200.0);
    let poly = wkb::polygon(&[&outer, &hole], false);
    // ISO MultiPolygon Z (1006): Z is dropped.
    let multi = wkb::multi(
        1006,
        &[
            wkb::polygon(&[&second], true),
            wkb::polygon(&[&third], true),
        ],
    );
    let env = Some([CONTROL_E, CONTROL_E + 400.0, CONTROL_N, CONTROL_N + 400.0]);
    let parcels = Table {
        name: "地块",
        srs_id: 4529,
        geom_type: "GEOMETRY",
        columns: &[
            ("名称", "TEXT"),
            ("面积", "REAL"),
            ("编号", "INTEGER"),
            ("有效", "BOOLEAN"),
            ("日期", "DATE"),
            ("照片", "BLOB"),
        ],
        rows: vec![
            (
                Some(gp_blob(4529, env, &poly)),
                vec![
                    Sql::Text(NAME.into()),
                    Sql::Real(150000.25),
                    Sql::Integer(9_007_199_254_740_993),
                    Sql::Integer(1),
                    Sql::Text("2026-01-01".into()),
                    Sql::Blob(vec![0xFF; 10]),
                ],
            ),
            (
                Some(gp_blob(4529, None, &multi)),
                vec![
                    Sql::Text("二号".into()),
                    Sql::Null,
                    Sql::Integer(2),
                    Sql::Integer(0),
                    Sql::Null,
                    Sql::Null,
                ],
            ),
            // A NULL geometry: counted, not loaded.
            (
                None,
                vec![
                    Sql::Text("无图形".into()),
                    Sql::Null,
                    Sql::Integer(3),
                    Sql::Null,
                    Sql::Null,
                    Sql::Null,
                ],
            ),
        ],
    };
    let lon_lat = (122.812_345_678_9, 45.345_678_912_3);
    let points = Table {
        name: "界址点",
        srs_id: 4490,
        geom_type: "GEOMETRY",
        columns: &[("点号", "TEXT")],
        rows: vec![
            (
                Some(gp_blob(4490, None, &wkb::point(lon_lat.0, lon_lat.1))),
                vec![Sql::Text("J1".into())],
            ),
            (
                Some(gp_blob(4490, None, &wkb::point_z(122.8, 45.3))),
                vec![Sql::Text("J2".into())],
            ),
            (
                Some(gp_blob(
                    4490,
                    None,
                    &wkb::multi(4, &[wkb::point(122.81, 45.31), wkb::point(122.82, 45.32)]),
                )),
                vec![Sql::Text("J3,J4".into())],
            ),
            (
                Some(gp_blob(
                    4490,
                    None,
                    &wkb::multi(
                        7,
                        &[
                            wkb::point(122.83, 45.33),
                            wkb::line(&[(122.8, 45.3), (122.9, 45.4)]),
                        ],
                    ),
                )),
                vec![Sql::Text("集合".into())],
            ),
        ],
    };
    let lines = Table {
        name: "线状地物",
        srs_id: 990_041,
        geom_type: "GEOMETRY",
        columns: &[("名称", "TEXT")],
        rows: vec![
            (
                Some(gp_blob(
                    990_041,
                    None,
                    &wkb::line(&[
                        (CONTROL_E, CONTROL_N),
                        (CONTROL_E + 500.0, CONTROL_N + 500.0),
                    ]),
                )),
                vec![Sql::Text("道路".into())],
            ),
            (
                Some(gp_blob(
                    990_041,
                    None,
                    &wkb::multi(
                        5,
                        &[
                            wkb::line(&[(CONTROL_E, CONTROL_N), (CONTROL_E, CONTROL_N + 10.0)]),
                            wkb::line(&[
                                (CONTROL_E + 5.0, CONTROL_N),
                                (CONTROL_E + 5.0, CONTROL_N + 10.0),
                            ]),
                        ],
                    ),
                )),
                vec![Sql::Text("水渠".into())],
            ),
        ],
    };
    let empty = Table {
        name: "空表",
        srs_id: 4490,
        geom_type: "POINT",
        columns: &[],
        rows: vec![],
    };
    write_gpkg(
        path,
        &[
            (
                4529,
                "CGCS2000 / 3-degree Gauss-Kruger zone 41",
                "EPSG",
                4529,
                "PROJCS[\"CGCS2000 / 3-degree Gauss-Kruger zone 41\"]",
            ),
            (
                4490,
                "China Geodetic Coordinate System 2000",
                "EPSG",
                4490,
                "GEOGCS[\"China Geodetic Coordinate System 2000\"]",
            ),
            (990_041, "zone 41 by WKT", "NONE", 990_041, PRJ_ZONE41),
        ],
        &[parcels, points, lines, empty],
    );
}

#[test]
fn every_feature_table_loads_with_its_crs_types_and_a_control_point_matching_proj() {
    let dir = fresh_dir("all");
    let path = dir.join("洮南测试.gpkg");
    write_fixture(&path);
    let layers = load(&path, &LoadOptions::default()).expect("loads");
    let names: Vec<&str> = layers.iter().map(|l| l.layer.name_zh.as_str()).collect();
    assert_eq!(
        names,
        ["地块", "界址点", "线状地物"],
        "the empty table is skipped"
    );
    let first = &layers[0];
    assert!(
        first
            .problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("空表")
                && p.in_lang(Lang::En).contains("no features")),
        "{:?}",
        first.problems
    );
    assert!(
        first
            .warnings
            .iter()
            .any(|w| w.in_lang(Lang::En).contains("4 feature tables")),
        "{:?}",
        first.warnings
    );
    assert!(
        first
            .problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("without geometry")),
        "{:?}",
        first.problems
    );

    // 地块: EPSG from gpkg_spatial_ref_sys; typed attributes read back exactly.
    assert_eq!(first.crs.epsg, Some(4529));
    assert_eq!(first.crs.source, CrsSource::Prj);
    assert!(
        first
            .crs
            .reason
            .in_lang(Lang::En)
            .contains("gpkg_spatial_ref_sys")
    );
    assert_eq!(first.layer.features.len(), 2);
    assert_eq!(attr(first, 0, "名称"), Value::Text(NAME.into()));
    assert_eq!(attr(first, 0, "面积"), Value::Number(150000.25));
    assert_eq!(
        attr(first, 0, "编号"),
        Value::Text("9007199254740993".into()),
        "every digit"
    );
    assert_eq!(attr(first, 1, "编号"), Value::Number(2.0));
    assert_eq!(attr(first, 0, "有效"), Value::Text("true".into()));
    assert_eq!(attr(first, 1, "有效"), Value::Text("false".into()));
    assert_eq!(attr(first, 0, "日期"), Value::Text("2026-01-01".into()));
    assert_eq!(
        attr(first, 0, "照片"),
        Value::Text("<BLOB 10 bytes>".into())
    );
    assert_eq!(&*first.layer.features[0].provenance.source, "地块");
    // The hole and the two parts.
    let Geometry::Polygon(p) = &first.layer.features[0].geometry else {
        panic!("polygon")
    };
    assert_eq!(p.interiors().len(), 1);
    let Geometry::MultiPolygon(mp) = &first.layer.features[1].geometry else {
        panic!("multipolygon")
    };
    assert_eq!(mp.0.len(), 2);
    // The control point against PROJ: to 1e-7° (far better in fact), and back to 1 cm.
    let proj = crs::transform("EPSG:4529", "EPSG:4490").expect("PROJ");
    let (lon, lat) = proj.convert((CONTROL_E, CONTROL_N)).expect("PROJ converts");
    let c = p.exterior().0[0];
    assert!(
        (c.x - lon).abs() < 1e-9 && (c.y - lat).abs() < 1e-9,
        "{c:?} vs {lon},{lat}"
    );
    let back = crs::transform("EPSG:4490", "EPSG:4529").expect("PROJ");
    let (e, n) = back.convert((c.x, c.y)).expect("PROJ converts");
    assert!(
        (e - CONTROL_E).abs() < 0.01 && (n - CONTROL_N).abs() < 0.01,
        "{e},{n}"
    );

    // 界址点: lon/lat read as written; Z dropped; multi-point and collection kept.
    let pts = &layers[1];
    assert_eq!(pts.crs.epsg, Some(4490));
    assert_eq!(pts.layer.features.len(), 4);
    let Geometry::Point(j1) = pts.layer.features[0].geometry else {
        panic!("point")
    };
    assert!(
        (j1.x() - 122.812_345_678_9).abs() < 1e-12 && (j1.y() - 45.345_678_912_3).abs() < 1e-12
    );
    assert!(
        matches!(pts.layer.features[2].geometry, Geometry::MultiPoint(ref m) if m.0.len() == 2)
    );
    assert!(
        matches!(pts.layer.features[3].geometry, Geometry::GeometryCollection(ref g) if g.0.len() == 2)
    );
    assert_eq!(attr(pts, 0, "点号"), Value::Text("J1".into()));

    // 线状地物: the CRS from the WKT definition (identified as zone 41).
    let lines = &layers[2];
    assert_eq!(lines.crs.epsg, Some(4529));
    assert!(
        lines.crs.reason.in_lang(Lang::En).contains("WKT"),
        "{:?}",
        lines.crs.reason
    );
    assert!(
        matches!(lines.layer.features[1].geometry, Geometry::MultiLineString(ref m) if m.0.len() == 2)
    );
    let first_vertex = lines.layer.features[0]
        .geometry
        .coords_iter()
        .next()
        .expect("vertex");
    assert!((first_vertex.x - lon).abs() < 1e-9 && (first_vertex.y - lat).abs() < 1e-9);
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn one_table_is_picked_by_name_and_an_unknown_name_lists_the_tables() {
    let dir = fresh_dir("pick");
    let path = dir.join("多表.gpkg");
    write_fixture(&path);
    let opts = LoadOptions {
        tables: Some(vec!["界址点".into()]),
        ..LoadOptions::default()
    };
    let layers = load(&path, &opts).expect("loads");
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].layer.name_zh, "界址点");
    assert!(
        layers[0]
            .warnings
            .iter()
            .all(|w| !w.in_lang(Lang::En).contains("feature tables"))
    );
    let opts = LoadOptions {
        tables: Some(vec!["没有".into()]),
        ..LoadOptions::default()
    };
    let e = load(&path, &opts).expect_err("unknown table");
    assert!(
        e.contains("多表.gpkg") && e.contains("没有") && e.contains("地块, 界址点"),
        "{e}"
    );
    // The user's CRS wins over the file's.
    let opts = LoadOptions {
        tables: Some(vec!["地块".into()]),
        epsg: Some(4529),
        ..LoadOptions::default()
    };
    let l = load(&path, &opts).expect("loads");
    assert_eq!(l[0].crs.source, CrsSource::User);
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn lying_blobs_and_bad_coordinates_cost_only_their_feature() {
    let dir = fresh_dir("lying");
    let path = dir.join("坏要素.gpkg");
    // A linestring claiming a billion points in 16 bytes; a polygon whose envelope is not there;
    // a point far outside the globe; one good point.
    let mut liar = vec![1u8];
    liar.extend_from_slice(&2u32.to_le_bytes());
    liar.extend_from_slice(&1_000_000_000u32.to_le_bytes());
    liar.extend_from_slice(&[0u8; 16]);
    let mut no_envelope = vec![b'G', b'P', 0, 1 | (4 << 1)];
    no_envelope.extend_from_slice(&4490i32.to_le_bytes());
    let rows = vec![
        (
            Some(gp_blob(4490, None, &liar)),
            vec![Sql::Text("谎报".into())],
        ),
        (Some(no_envelope), vec![Sql::Text("无包络".into())]),
        (Some(b"not a blob".to_vec()), vec![Sql::Text("乱码".into())]),
        (
            Some(gp_blob(4490, None, &wkb::point(9e300, 45.0))),
            vec![Sql::Text("天外".into())],
        ),
        (
            Some(gp_blob(4490, None, &wkb::point(122.8, 45.3))),
            vec![Sql::Text("好点".into())],
        ),
    ];
    let t = Table {
        name: "点",
        srs_id: 4490,
        geom_type: "POINT",
        columns: &[("名称", "TEXT")],
        rows,
    };
    write_gpkg(
        &path,
        &[(4490, "CGCS2000", "EPSG", 4490, "GEOGCS[\"CGCS2000\"]")],
        &[t],
    );
    let layers = load(&path, &LoadOptions::default()).expect("the good point loads");
    let l = &layers[0];
    assert_eq!(l.layer.features.len(), 1);
    assert_eq!(attr(l, 0, "名称"), Value::Text("好点".into()));
    let all: Vec<&str> = l.problems.iter().map(|p| p.in_lang(Lang::En)).collect();
    let all = all.join("\n");
    assert!(
        all.contains("feature 1") && all.contains("feature 2") && all.contains("feature 3"),
        "{all}"
    );
    // Checked where they enter (io::coord_check): named by record and point.
    assert!(all.contains("outside the domain"), "{all}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn broken_geopackages_give_a_message_naming_the_file() {
    let dir = fresh_dir("broken");
    let good = dir.join("好.gpkg");
    write_fixture(&good);
    let bytes = std::fs::read(&good).expect("read");
    let mut cases: Vec<(PathBuf, &str)> = Vec::new();
    // Truncated: only the first page (the schema) survives, or a few bytes.
    let cut = dir.join("截断.gpkg");
    std::fs::write(&cut, &bytes[..4096.min(bytes.len())]).expect("write");
    cases.push((cut, ""));
    let stub = dir.join("残片.gpkg");
    std::fs::write(&stub, &bytes[..100]).expect("write");
    cases.push((stub, ""));
    // Not SQLite at all.
    let png = dir.join("图片.gpkg");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n not a database at all, just bytes").expect("write");
    cases.push((png, "not a GeoPackage"));
    // SQLite, but not a GeoPackage.
    let plain = dir.join("普通数据库.gpkg");
    let c = rusqlite::Connection::open(&plain).expect("sqlite");
    c.execute_batch("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1);")
        .expect("table");
    drop(c);
    cases.push((plain, "no gpkg_contents"));
    // A GeoPackage with no feature table.
    let none = dir.join("无要素.gpkg");
    write_gpkg(&none, &[], &[]);
    cases.push((none, "no feature table"));
    // Only bad coordinates.
    let bad = dir.join("坏坐标.gpkg");
    let t = Table {
        name: "点",
        srs_id: 4490,
        geom_type: "POINT",
        columns: &[],
        rows: vec![(
            Some(gp_blob(4490, None, &wkb::point(f64::INFINITY, 45.0))),
            vec![],
        )],
    };
    write_gpkg(
        &bad,
        &[(4490, "CGCS2000", "EPSG", 4490, "GEOGCS[\"CGCS2000\"]")],
        &[t],
    );
    cases.push((bad, "no features could be loaded"));
    // Missing file.
    cases.push((dir.join("不存在.gpkg"), ""));
    for (path, says) in cases {
        let e = load(&path, &LoadOptions::default()).expect_err("an error");
        let file = path.file_name().and_then(|f| f.to_str()).expect("name");
        assert!(e.contains(file), "{e} names {file}");
        assert!(e.contains(says), "{e} says {says}");
    }
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn the_file_is_opened_read_only() {
    let dir = fresh_dir("readonly");
    let path = dir.join("只读.gpkg");
    write_fixture(&path);
    let before = std::fs::read(&path).expect("read");
    load(&path, &LoadOptions::default()).expect("loads");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        before,
        "not a byte changed"
    );
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["只读.gpkg"], "no journal or WAL left behind");
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn areas_survive_the_trip() {
    // The 400 m square with its 100 m hole: 150 000 m² (ellipsoidal area of the lon/lat shape
    // agrees to 0.1 %, the Gauss-Krüger scale error near the central meridian).
    let dir = fresh_dir("area");
    let path = dir.join("面积.gpkg");
    write_fixture(&path);
    let layers = load(&path, &LoadOptions::default()).expect("loads");
    let g = &layers[0].layer.features[0].geometry;
    let km2 = taonan_map::analysis::measure::area_km2(g);
    assert!((km2 - 0.15).abs() < 0.15 * 1e-3, "{km2}");
    assert!(g.unsigned_area() > 0.0);
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn the_command_line_reads_a_geopackage_and_picks_a_table() {
    use std::process::Command;
    let dir = fresh_dir("cli");
    let path = dir.join("命令行.gpkg");
    write_fixture(&path);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let file = path.to_str().expect("utf-8 path");
    let (code, out) = run(&["info", "--json", file]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let text = v.to_string();
    assert!(text.contains("地块") && text.contains("界址点") && text.contains("线状地物"));
    let (code, out) = run(&["info", "--json", "--table", "界址点", file]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("界址点") && !out.contains("线状地物"), "{out}");
    let (code, _) = run(&["check", "--table", "地块", file]);
    assert!(code == 0 || code == 1, "check runs: {code}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}
