//! DXF input, on drawings the tests write as ASCII text (GBK, as a Chinese AutoCAD writes for
//! code page ANSI_936) and as binary DXF through the `dxf` crate's writer: parcels with holes,
//! R12 POLYLINEs, bulges, lines, points, blocks, the texts inside each parcel, the CRS inferred
//! from zone-prefixed numbers (and from swapped ones), a control point checked against PROJ;
//! and broken drawings that must each give a message naming the file, never a panic.

#[path = "support/gpkg_dxf.rs"]
mod fixtures;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use fixtures::{
    CONTROL_E, CONTROL_N, dxf_text, insert, line, lwpolyline, mtext, point, polyline, text,
    write_gbk,
};
use geo::{Area, Geometry};
use taonan_map::crs::{self, crs_guess::CrsSource};
use taonan_map::io::loader::{LoadOptions, LoadedLayer, Progress, load_path};
use taonan_map::text::Lang;

fn fresh_dir(test: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("taonan-dxf-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("图纸");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn load(path: &Path, opts: &LoadOptions) -> Result<LoadedLayer, String> {
    catch_unwind(AssertUnwindSafe(|| {
        load_path(path, opts, &Progress::default())
    }))
    .unwrap_or_else(|_| panic!("the loader panicked on {}", path.display()))
    .map_err(|e| e.words(Lang::En))
    .map(|mut v| {
        assert_eq!(v.len(), 1, "a drawing is one layer");
        v.remove(0)
    })
}

fn attr(l: &LoadedLayer, i: usize, k: &str) -> String {
    l.layer.features[i]
        .attributes
        .iter()
        .find(|(n, _)| &***n == k)
        .map(|(_, v)| v.display())
        .unwrap_or_else(|| panic!("no {k}"))
}

fn sq(e: f64, n: f64, s: f64) -> Vec<(f64, f64, f64)> {
    vec![
        (e, n, 0.0),
        (e + s, n, 0.0),
        (e + s, n + s, 0.0),
        (e, n + s, 0.0),
    ]
}

/// The parcel drawing, in CAD x = easting (zone-prefixed), y = northing.
fn parcels(swap: bool) -> Vec<String> {
    let (e, n) = (CONTROL_E, CONTROL_N);
    let p = |x: f64, y: f64| if swap { (y, x) } else { (x, y) };
    let s3 = |e: f64, n: f64, s: f64| -> Vec<(f64, f64, f64)> {
        sq(e, n, s)
            .into_iter()
            .map(|(x, y, b)| {
                let (x, y) = p(x, y);
                (x, y, b)
            })
            .collect()
    };
    let mut half_round = s3(e + 1000.0, n, 200.0);
    // The parcel's south edge bulges out: a half circle (bulge 1) from its first vertex.
    half_round[0].2 = if swap { -1.0 } else { 1.0 };
    let (cx, cy) = p(e, n);
    let t = |de: f64, dn: f64| p(e + de, n + dn);
    vec![
        lwpolyline("宗地", &s3(e, n, 400.0), true),
        lwpolyline("宗地", &s3(e + 100.0, n + 100.0, 100.0), true),
        polyline(
            "宗地",
            &[
                t(500.0, 0.0),
                t(700.0, 0.0),
                t(700.0, 200.0),
                t(500.0, 200.0),
            ],
            true,
        ),
        lwpolyline("宗地", &half_round, true),
        lwpolyline(
            "道路",
            &[
                (t(0.0, -50.0).0, t(0.0, -50.0).1, 0.0),
                (t(900.0, -50.0).0, t(900.0, -50.0).1, 0.0),
            ],
            false,
        ),
        line("沟渠", t(0.0, -80.0), t(900.0, -80.0)),
        point("控制点", cx, cy),
        insert("界址点", "JZD", t(400.0, 400.0).0, t(400.0, 400.0).1),
        text("注记", t(20.0, 20.0).0, t(20.0, 20.0).1, "洮南市一号地块"),
        mtext(
            "注记",
            t(20.0, 380.0).0,
            t(20.0, 380.0).1,
            "{\\fSimSun;J1\\PJ2}",
        ),
        text("注记", t(150.0, 150.0).0, t(150.0, 150.0).1, "洞内"),
        text(
            "注记",
            t(600.0, 100.0).0,
            t(600.0, 100.0).1,
            "\\U+4E8C\\U+53F7",
        ),
        text("注记", t(5000.0, 5000.0).0, t(5000.0, 5000.0).1, "图外"),
    ]
}

#[allow(
    clippy::too_many_lines,
    reason = "one drawing with every entity kind, checked entity by entity"
)]
fn check_parcels(l: &LoadedLayer) {
    assert_eq!(l.crs.epsg, Some(4529), "{:?}", l.crs);
    assert_eq!(l.crs.source, CrsSource::Inferred);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.in_lang(Lang::En).contains("DXF")),
        "{:?}",
        l.warnings
    );
    // Polygons (largest first), lines, points.
    let kinds: Vec<&str> = l
        .layer
        .features
        .iter()
        .map(|f| match f.geometry {
            Geometry::Polygon(_) => "polygon",
            Geometry::LineString(_) => "line",
            Geometry::Point(_) => "point",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "polygon", "polygon", "polygon", "line", "line", "point", "point", "point", "point"
        ]
    );
    // The big parcel: its hole, its name and point numbers; the text in the hole is not its.
    let Geometry::Polygon(big) = &l.layer.features[0].geometry else {
        panic!("polygon")
    };
    assert_eq!(big.interiors().len(), 1);
    assert_eq!(attr(l, 0, "LAYER"), "宗地");
    assert_eq!(attr(l, 0, "ENTITY"), "LWPOLYLINE");
    assert_eq!(attr(l, 0, "TEXT"), "洮南市一号地块；J1 J2");
    // The bulged parcel: 200 × 200 plus a half disc of radius 100 (π·100²/2).
    let want = 200.0 * 200.0 + std::f64::consts::PI * 100.0 * 100.0 / 2.0;
    let bulged = l
        .layer
        .features
        .iter()
        .position(|f| {
            let km2 = taonan_map::analysis::measure::area_km2(&f.geometry) * 1e6;
            (km2 - want).abs() < want * 2e-3
        })
        .expect("a polygon with the bulge's area");
    assert_eq!(attr(l, bulged, "TEXT"), "");
    let r12 = (0..3)
        .find(|&i| attr(l, i, "ENTITY") == "POLYLINE")
        .expect("R12 polyline");
    assert_eq!(attr(l, r12, "TEXT"), "二号");
    assert_eq!(attr(l, 6, "BLOCK"), "JZD");
    assert_eq!(attr(l, 6, "ENTITY"), "INSERT");
    assert!(
        l.problems.iter().any(|p| p
            .in_lang(Lang::En)
            .contains("2 text(s) inside no polygon loaded as points")),
        "{:?}",
        l.problems
    );
    // The texts inside no polygon (the one in the hole, the one beside the drawing) are points
    // with their text, CAD layer and entity, where they were typed.
    assert_eq!([attr(l, 7, "TEXT"), attr(l, 8, "TEXT")], ["洞内", "图外"]);
    assert_eq!(
        [attr(l, 8, "LAYER"), attr(l, 8, "ENTITY")],
        ["注记", "TEXT"]
    );
    let Geometry::Point(far) = l.layer.features[8].geometry else {
        panic!("point")
    };
    let proj = crs::transform("EPSG:4529", "EPSG:4490").expect("PROJ");
    let (lon, lat) = proj
        .convert((CONTROL_E + 5000.0, CONTROL_N + 5000.0))
        .expect("PROJ converts");
    assert!((far.x() - lon).abs() < 1e-9 && (far.y() - lat).abs() < 1e-9);
    // The control point against PROJ.
    let proj = crs::transform("EPSG:4529", "EPSG:4490").expect("PROJ");
    let (lon, lat) = proj.convert((CONTROL_E, CONTROL_N)).expect("PROJ converts");
    let Geometry::Point(c) = l.layer.features[5].geometry else {
        panic!("point")
    };
    assert_eq!(attr(l, 5, "LAYER"), "控制点");
    assert!(
        (c.x() - lon).abs() < 1e-9 && (c.y() - lat).abs() < 1e-9,
        "{c:?} vs {lon},{lat}"
    );
    let back = crs::transform("EPSG:4490", "EPSG:4529").expect("PROJ");
    let (e, n) = back.convert((c.x(), c.y())).expect("PROJ");
    assert!((e - CONTROL_E).abs() < 0.01 && (n - CONTROL_N).abs() < 0.01);
    assert!(l.layer.features[0].geometry.unsigned_area() > 0.0);
}

#[test]
fn an_ascii_gbk_drawing_loads_with_holes_texts_and_the_inferred_crs() {
    let dir = fresh_dir("ascii");
    let path = dir.join("宗地图.dxf");
    write_gbk(&path, &dxf_text("AC1015", 6, &parcels(false)));
    let l = load(&path, &LoadOptions::default()).expect("loads");
    check_parcels(&l);
    assert!(l.swap_suggested.is_none() && !l.swapped);
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn a_drawing_with_x_and_y_swapped_is_swapped_back_loudly() {
    let dir = fresh_dir("swapped");
    let path = dir.join("颠倒.dxf");
    write_gbk(&path, &dxf_text("AC1015", 6, &parcels(true)));
    let l = load(&path, &LoadOptions::default()).expect("loads");
    assert!(l.swapped, "{:?}", l.warnings);
    assert!(
        l.warnings
            .iter()
            .any(|w| w.in_lang(Lang::En).contains("X and Y")
                && w.in_lang(Lang::Zh).contains("X/Y 颠倒")),
        "{:?}",
        l.warnings
    );
    check_parcels(&l);
    // The user can say "as written": then nothing lands on Earth, and the message says so.
    let opts = LoadOptions {
        swap_xy: Some(false),
        ..LoadOptions::default()
    };
    let e = load(&path, &opts).expect_err("as written it is nowhere");
    assert!(e.contains("颠倒.dxf"), "{e}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn a_binary_drawing_written_by_the_dxf_crate_loads() {
    use dxf::LwPolylineVertex;
    use dxf::entities::{Entity, EntityType, LwPolyline, ModelPoint};
    let dir = fresh_dir("binary");
    let path = dir.join("二进制.dxf");
    let mut d = dxf::Drawing::new();
    d.header.version = dxf::enums::AcadVersion::R2018;
    let mut pl = LwPolyline::default();
    for (x, y, _) in sq(CONTROL_E, CONTROL_N, 300.0) {
        pl.vertices.push(LwPolylineVertex {
            x,
            y,
            ..Default::default()
        });
    }
    pl.set_is_closed(true);
    let mut e = Entity::new(EntityType::LwPolyline(pl));
    e.common.layer = "采矿权".into();
    d.add_entity(e);
    let t = dxf::entities::Text {
        location: dxf::Point::new(CONTROL_E + 10.0, CONTROL_N + 10.0, 0.0),
        value: "洮南市某砂矿".into(),
        ..Default::default()
    };
    d.add_entity(Entity::new(EntityType::Text(t)));
    let p = ModelPoint::new(dxf::Point::new(CONTROL_E, CONTROL_N, 0.0));
    d.add_entity(Entity::new(EntityType::ModelPoint(p)));
    d.save_file_binary(&path).expect("binary dxf");
    assert!(
        std::fs::read(&path)
            .expect("read")
            .starts_with(b"AutoCAD Binary DXF")
    );
    let l = load(&path, &LoadOptions::default()).expect("loads");
    assert_eq!(l.crs.epsg, Some(4529));
    assert_eq!(l.layer.features.len(), 2);
    assert_eq!(attr(&l, 0, "LAYER"), "采矿权");
    assert_eq!(attr(&l, 0, "TEXT"), "洮南市某砂矿");
    let proj = crs::transform("EPSG:4529", "EPSG:4490").expect("PROJ");
    let (lon, lat) = proj.convert((CONTROL_E, CONTROL_N)).expect("PROJ converts");
    let Geometry::Point(c) = l.layer.features[1].geometry else {
        panic!("point")
    };
    assert!((c.x() - lon).abs() < 1e-9 && (c.y() - lat).abs() < 1e-9);
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn drawings_that_make_no_sense_here_or_are_broken_say_so_naming_the_file() {
    let dir = fresh_dir("broken");
    let good = dxf_text("AC1015", 6, &parcels(false));
    let mut cases: Vec<(PathBuf, Vec<u8>, &str)> = Vec::new();
    let mut case = |name: &str, bytes: Vec<u8>, says: &'static str| {
        cases.push((dir.join(name), bytes, says));
    };
    // Millimetres: the control point × 1000.
    let mm: Vec<String> = vec![lwpolyline(
        "宗地",
        &sq(CONTROL_E * 1000.0, CONTROL_N * 1000.0, 400_000.0),
        true,
    )];
    case(
        "毫米.dxf",
        dxf_text("AC1015", 4, &mm).into_bytes(),
        "millimetres",
    );
    // A local drawing 0..100.
    let local = vec![lwpolyline("0", &sq(0.0, 0.0, 100.0), true)];
    case(
        "局部.dxf",
        dxf_text("AC1015", 6, &local).into_bytes(),
        "local drawing",
    );
    // Truncated in the middle of the entities.
    case("截断.dxf", good.as_bytes()[..good.len() / 2].to_vec(), "");
    // Not a DXF at all.
    case(
        "图片.dxf",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
        "not a DXF",
    );
    // No entities.
    case(
        "空图.dxf",
        dxf_text("AC1015", 6, &[]).into_bytes(),
        "no polyline",
    );
    // A coordinate that is not a number.
    let bad = good.replacen(&format!("{:.4}", CONTROL_E), "四一四四", 1);
    case("坏坐标.dxf", bad.into_bytes(), "");
    // Only text: nothing to draw.
    case(
        "只有字.dxf",
        dxf_text("AC1015", 6, &[text("0", 1.0, 1.0, "字")]).into_bytes(),
        "no polyline",
    );
    for (path, bytes, says) in cases {
        std::fs::write(&path, bytes).expect("write");
        let e = load(&path, &LoadOptions::default()).expect_err("an error");
        let file = path.file_name().and_then(|f| f.to_str()).expect("name");
        eprintln!("{file}: {e}");
        assert!(e.contains(file), "{e} names {file}");
        assert!(e.contains(says), "{e} says {says}");
    }
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn a_user_chosen_crs_places_a_local_drawing_anyway() {
    // With --crs the numbers are taken as given: no refusal for a drawing the guess cannot
    // place (here 0..10 read as degrees).
    let dir = fresh_dir("chosen");
    let path = dir.join("局部.dxf");
    write_gbk(
        &path,
        &dxf_text("AC1015", 6, &[lwpolyline("0", &sq(0.0, 0.0, 10.0), true)]),
    );
    let opts = LoadOptions {
        epsg: Some(4490),
        ..LoadOptions::default()
    };
    let l = load(&path, &opts).expect("0..10 degrees is on Earth");
    assert_eq!(l.crs.source, CrsSource::User);
    assert!(matches!(
        l.layer.features[0].attributes.at(0),
        Some((_, taonan_map::model::ValueRef::Text("0")))
    ));
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

#[test]
fn a_hatch_boundary_becomes_a_polygon_with_its_text() {
    let dir = fresh_dir("hatch");
    let path = dir.join("地类图斑.dxf");
    let (e, n) = (CONTROL_E, CONTROL_N);
    let hatch = format!(
        "  0\nHATCH\n  8\n地类\n 10\n0.0\n 20\n0.0\n 30\n0.0\n  2\nSOLID\n 70\n1\n 71\n0\n 91\n1\n 92\n2\n 72\n0\n 73\n1\n 93\n4\n 10\n{e}\n 20\n{n}\n 10\n{}\n 20\n{n}\n 10\n{}\n 20\n{}\n 10\n{e}\n 20\n{}\n 97\n0\n 75\n0\n 76\n1\n 98\n1\n 10\n{}\n 20\n{}\n",
        e + 250.0,
        e + 250.0,
        n + 250.0,
        n + 250.0,
        e + 5.0,
        n + 5.0
    );
    write_gbk(
        &path,
        &dxf_text(
            "AC1015",
            6,
            &[hatch, text("注记", e + 100.0, n + 100.0, "旱地")],
        ),
    );
    let l = load(&path, &LoadOptions::default()).expect("loads");
    assert_eq!(l.layer.features.len(), 1);
    assert_eq!(attr(&l, 0, "ENTITY"), "HATCH");
    assert_eq!(attr(&l, 0, "LAYER"), "地类");
    assert_eq!(attr(&l, 0, "TEXT"), "旱地");
    let m2 = taonan_map::analysis::measure::area_km2(&l.layer.features[0].geometry) * 1e6;
    assert!((m2 - 62_500.0).abs() < 62.5, "{m2}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("root"));
}

/// A binary DXF written by another library (ezdxf 1.4.5, `tests/data/dxf/make_binary_hatch.py`):
/// its HATCH boundaries (a polyline path and an edge path with an arc) become polygons, the
/// text inside the first is its attribute, and the areas are those the script drew.
#[test]
fn a_binary_drawings_hatches_become_polygons() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dxf/hatch_binary.dxf");
    let l = load(&path, &LoadOptions::default()).expect("loads");
    assert_eq!(l.crs.epsg, Some(4529), "{:?}", l.crs);
    assert_eq!(l.layer.features.len(), 2);
    assert!(
        !l.problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("HATCH")),
        "{:?}",
        l.problems
    );
    for i in 0..2 {
        assert_eq!(attr(&l, i, "ENTITY"), "HATCH");
        assert_eq!(attr(&l, i, "LAYER"), "地类");
    }
    assert_eq!(attr(&l, 0, "TEXT"), "旱地");
    let m2 =
        |i: usize| taonan_map::analysis::measure::area_km2(&l.layer.features[i].geometry) * 1e6;
    // A 250 m square, and a half disc of radius 100 m (its arc drawn in short chords).
    assert!((m2(0) - 62_500.0).abs() < 62.5, "{}", m2(0));
    let half_disc = std::f64::consts::PI * 100.0 * 100.0 / 2.0;
    assert!((m2(1) - half_disc).abs() < 0.005 * half_disc, "{}", m2(1));
}
