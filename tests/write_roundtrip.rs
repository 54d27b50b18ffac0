//! Files out, read back by other readers: shapefiles made here with the `shapefile` and
//! `dbase` crates (Chinese names and values, a polygon with a hole, a multi-part polygon, a
//! two-part line, points) are loaded as a user's files, written to every output format, and
//! read back with an independent reader of each (the `shapefile` crate and the raw GBK bytes
//! of the DBF, serde_json, roxmltree, SQLite with a WKB parser written here, calamine):
//! the same text exactly and the same coordinates to 1e-7°.

#![allow(
    clippy::too_many_lines,
    reason = "fixture writers and table-driven checks read best in one piece"
)]

use taonan_map::io::write;
use taonan_map::text::Lang;

mod write_support;
use write_support::*;

#[test]
fn shapefile_gbk_round_trip_with_prj_cpg_and_gbk_bytes() {
    let dir = tempfile::tempdir().expect("tmp");
    let [poly, line, points] = fixtures(dir.path());
    for (src, want) in [
        (
            &poly,
            polygons().into_iter().map(|p| p.3).collect::<Vec<_>>(),
        ),
        (&line, vec![lines().into_iter().map(|l| vec![l]).collect()]),
        (
            &points,
            points_fixture()
                .into_iter()
                .map(|p| vec![vec![vec![p]]])
                .collect(),
        ),
    ] {
        let layer = load(src);
        let out = dir.path().join("出").join(src.file_name().expect("name"));
        std::fs::create_dir_all(out.parent().expect("dir")).expect("mkdir");
        let w = write::write_layer(&layer, &out, None, &opts(encoding_rs::GBK)).expect("written");
        assert_eq!(w.files.len(), 5, "{:?}", w.files);
        assert_eq!(
            std::fs::read_to_string(out.with_extension("cpg")).expect("cpg"),
            "GBK"
        );
        let prj = std::fs::read_to_string(out.with_extension("prj")).expect("prj");
        assert!(
            prj.starts_with("GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\""),
            "{prj}"
        );
        let got = shp_rings(&out);
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_close(g, w, &out.display().to_string());
        }
        let (ldid, fields, rows) = raw_dbf(&out.with_extension("dbf"), encoding_rs::GBK);
        assert_eq!(ldid, 0x4D, "code page 936");
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["MC", "名称", "BH", "MJ", "SJXZ", "SJLY"]);
        assert_eq!(fields[3].1, b'N');
        let first = &layer.features[0];
        assert_eq!(rows[0][0], first.attr("MC").expect("MC").display());
        assert_eq!(rows[0][1], format!("{}（示例）", rows[0][0]));
        assert_eq!(rows[0][4], "实测");
    }
    // The GBK bytes themselves: 名称 is B3 FB B3 C6 in GBK.
    let b = std::fs::read(dir.path().join("出").join("采矿权.dbf")).expect("dbf");
    assert_eq!(&b[64..68], &[0xC3, 0xFB, 0xB3, 0xC6]);
    let (_, _, rows) = raw_dbf(&dir.path().join("出").join("采矿权.dbf"), encoding_rs::GBK);
    assert_eq!(rows[1][0], "乙矿区·二");
    assert_eq!(rows[0][3].parse::<f64>().expect("number"), 12.3456789);
    // The file reads back through the loader as the same layer.
    let back = load(&dir.path().join("出").join("拐点.shp"));
    assert_eq!(
        back.features[1].attr("MC").expect("MC").display(),
        "J2 \"界桩\" & <二>"
    );
}

#[test]
fn shapefile_utf8_on_request_and_long_names_cut_and_unique() {
    use taonan_map::io::write::table::{Row, Table};
    use taonan_map::model::Value;
    let dir = tempfile::tempdir().expect("tmp");
    let fields = vec!["规划区块名称一".to_string(), "规划区块名称二".to_string()];
    let t = Table::new("t".into(), fields, 1, |_| Row {
        name: "a".into(),
        values: vec![Value::Text("甲".into()), Value::Number(3.0)],
        geometry: std::borrow::Cow::Owned(geo::Geometry::Point(geo::Point::new(122.5, 45.5))),
    });
    let out = dir.path().join("u.shp");
    let w = write::write_table(&t, &out, &opts(encoding_rs::UTF_8)).expect("written");
    assert_eq!(
        std::fs::read_to_string(out.with_extension("cpg")).expect("cpg"),
        "UTF-8"
    );
    let (ldid, fields, rows) = raw_dbf(&out.with_extension("dbf"), encoding_rs::UTF_8);
    assert_eq!(ldid, 0);
    // 10 bytes of UTF-8 hold three of these characters; the second is made unique.
    assert_eq!(fields[0].0, "规划区");
    assert_eq!(fields[1].0, "规划_2");
    assert_eq!(rows[0], ["甲", "3"]);
    assert_eq!(w.notes.len(), 2, "{:?}", w.notes);
}

// ---------- GeoJSON ----------

fn json_rings(g: &serde_json::Value) -> Rings {
    let c = &g["coordinates"];
    let pos = |p: &serde_json::Value| (p[0].as_f64().expect("x"), p[1].as_f64().expect("y"));
    let ring = |r: &serde_json::Value| r.as_array().expect("ring").iter().map(pos).collect();
    let poly = |p: &serde_json::Value| p.as_array().expect("poly").iter().map(ring).collect();
    match g["type"].as_str().expect("type") {
        "Polygon" => vec![poly(c)],
        "MultiPolygon" => c.as_array().expect("mp").iter().map(poly).collect(),
        "LineString" => vec![vec![ring(c)]],
        "MultiLineString" => c
            .as_array()
            .expect("ml")
            .iter()
            .map(|l| vec![ring(l)])
            .collect(),
        "Point" => vec![vec![vec![pos(c)]]],
        t => panic!("type {t}"),
    }
}

#[test]
fn geojson_round_trip() {
    let dir = tempfile::tempdir().expect("tmp");
    let [poly, line, _] = fixtures(dir.path());
    let out = dir.path().join("采矿权.geojson");
    write::write_layer(&load(&poly), &out, None, &opts(encoding_rs::GBK)).expect("written");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("JSON");
    assert_eq!(v["type"], "FeatureCollection");
    assert!(v.get("crs").is_none(), "RFC 7946 has no crs member");
    let feats = v["features"].as_array().expect("features");
    for (f, (name, code, area, rings)) in feats.iter().zip(polygons()) {
        assert_eq!(f["properties"]["MC"], name);
        assert_eq!(f["properties"]["名称"], format!("{name}（示例）"));
        assert_eq!(f["properties"]["BH"], code);
        assert_eq!(f["properties"]["MJ"].as_f64(), Some(area));
        assert_eq!(f["properties"]["SJXZ"], "实测");
        assert_close(&json_rings(&f["geometry"]), &rings, "geojson");
        // Right-hand rule: exterior counter-clockwise (positive signed area).
        let ext = &json_rings(&f["geometry"])[0][0];
        let a: f64 = ext
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(a > 0.0);
    }
    let out = dir.path().join("道路.geojson");
    write::write_layer(&load(&line), &out, None, &opts(encoding_rs::GBK)).expect("written");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("JSON");
    let want: Rings = lines().into_iter().map(|l| vec![l]).collect();
    assert_close(&json_rings(&v["features"][0]["geometry"]), &want, "line");
    // A projected CRS is refused for GeoJSON.
    assert!(
        write::write_layer(
            &load(&line),
            &dir.path().join("x.geojson"),
            Some(4529),
            &opts(encoding_rs::GBK)
        )
        .is_err()
    );
}

// ---------- KML ----------

const KML_NS: &str = "http://www.opengis.net/kml/2.2";

fn kml_coords(n: roxmltree::Node) -> Vec<(f64, f64)> {
    n.text()
        .unwrap_or("")
        .split_whitespace()
        .map(|t| {
            let mut p = t.split(',').map(|x| x.parse::<f64>().expect("number"));
            (p.next().expect("lon"), p.next().expect("lat"))
        })
        .collect()
}

fn kml_rings(pm: roxmltree::Node) -> Rings {
    let mut out = Vec::new();
    for g in pm.descendants().filter(|n| n.is_element()) {
        match g.tag_name().name() {
            "Polygon" => {
                let mut rings = Vec::new();
                for tag in ["outerBoundaryIs", "innerBoundaryIs"] {
                    for b in g.children().filter(|c| c.tag_name().name() == tag) {
                        let c = b
                            .descendants()
                            .find(|n| n.tag_name().name() == "coordinates");
                        rings.push(kml_coords(c.expect("coordinates")));
                    }
                }
                out.push(rings);
            }
            "LineString" | "Point" => {
                let c = g.children().find(|n| n.tag_name().name() == "coordinates");
                out.push(vec![kml_coords(c.expect("coordinates"))]);
            }
            _ => {}
        }
    }
    out
}

#[test]
fn kml_round_trip_and_the_structure_google_earth_wants() {
    let dir = tempfile::tempdir().expect("tmp");
    let [poly, _, points] = fixtures(dir.path());
    let out = dir.path().join("采矿权.kml");
    write::write_layer(&load(&poly), &out, None, &opts(encoding_rs::GBK)).expect("written");
    let text = std::fs::read_to_string(&out).expect("UTF-8");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let kml = doc.root_element();
    assert_eq!(
        (kml.tag_name().name(), kml.tag_name().namespace()),
        ("kml", Some(KML_NS))
    );
    let document: Vec<_> = kml.children().filter(|n| n.is_element()).collect();
    assert_eq!(document.len(), 1);
    assert_eq!(document[0].tag_name().name(), "Document");
    // Document: <name> and <Style> before the Placemarks (the schema's order).
    let order: Vec<&str> = document[0]
        .children()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(order, ["name", "Style", "Placemark", "Placemark"]);
    for (pm, (name, code, _, rings)) in document[0]
        .children()
        .filter(|n| n.has_tag_name((KML_NS, "Placemark")))
        .zip(polygons())
    {
        // Placemark: name, styleUrl, ExtendedData, then the geometry.
        let kids: Vec<&str> = pm
            .children()
            .filter(|n| n.is_element())
            .map(|n| n.tag_name().name())
            .collect();
        assert_eq!(kids[..3], ["name", "styleUrl", "ExtendedData"]);
        assert!(["Polygon", "MultiGeometry"].contains(&kids[3]));
        assert!(
            kids.iter()
                .all(|k| k.chars().all(|c| c.is_ascii_alphabetic()))
        );
        assert_eq!(
            pm.children()
                .find(|n| n.has_tag_name("name"))
                .and_then(|n| n.text()),
            Some(name)
        );
        let data = |k: &str| {
            pm.descendants()
                .find(|n| n.has_tag_name("Data") && n.attribute("name") == Some(k))
                .and_then(|n| n.children().find(|c| c.has_tag_name("value")))
                .and_then(|v| v.text())
                .map(str::to_owned)
        };
        assert_eq!(data("BH").as_deref(), Some(code));
        assert_eq!(data("SJXZ").as_deref(), Some("实测"));
        assert_close(&kml_rings(pm), &rings, "kml");
    }
    // Escaped text comes back exactly.
    let out = dir.path().join("拐点.kml");
    write::write_layer(&load(&points), &out, None, &opts(encoding_rs::GBK)).expect("written");
    let text = std::fs::read_to_string(&out).expect("UTF-8");
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Placemark"))
        .filter_map(|p| {
            p.children()
                .find(|n| n.has_tag_name("name"))
                .and_then(|n| n.text())
        })
        .collect();
    assert_eq!(names, ["J1 界桩", "J2 \"界桩\" & <二>"]);
    let pms: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Placemark"))
        .collect();
    assert_close(
        &kml_rings(pms[1]),
        &vec![vec![vec![points_fixture()[1]]]],
        "point",
    );
}

// ---------- GeoPackage ----------

/// A WKB reader for what the fixtures hold (little- or big-endian 2D (multi)polygons,
/// (multi)lines, points), written here as the independent oracle.
fn wkb(b: &[u8], p: &mut usize) -> Rings {
    let le = b[*p] == 1;
    *p += 1;
    let u32_at = |p: &mut usize| {
        let s = [b[*p], b[*p + 1], b[*p + 2], b[*p + 3]];
        *p += 4;
        if le {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        }
    };
    let f64_at = |p: &mut usize| {
        let mut s = [0u8; 8];
        s.copy_from_slice(&b[*p..*p + 8]);
        *p += 8;
        if le {
            f64::from_le_bytes(s)
        } else {
            f64::from_be_bytes(s)
        }
    };
    let points = |p: &mut usize| {
        let n = u32_at(p);
        (0..n).map(|_| (f64_at(p), f64_at(p))).collect::<Vec<_>>()
    };
    match u32_at(p) {
        1 => vec![vec![vec![(f64_at(p), f64_at(p))]]],
        2 => vec![vec![points(p)]],
        3 => {
            let n = u32_at(p);
            vec![(0..n).map(|_| points(p)).collect()]
        }
        4..=6 => {
            let n = u32_at(p);
            (0..n).flat_map(|_| wkb(b, p)).collect()
        }
        t => panic!("WKB type {t}"),
    }
}

/// geom, MC, 名称, BH, MJ, SJXZ, typeof(MJ).
type GpkgRow = (Vec<u8>, String, String, String, f64, String, String);

#[test]
fn geopackage_round_trip_with_required_tables() {
    let dir = tempfile::tempdir().expect("tmp");
    let [poly, _, _] = fixtures(dir.path());
    let out = dir.path().join("采矿权.gpkg");
    write::write_layer(&load(&poly), &out, None, &opts(encoding_rs::GBK)).expect("written");
    let db = rusqlite::Connection::open(&out).expect("open");
    let app: i64 = db
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .expect("id");
    assert_eq!(app, 0x4750_4B47);
    let integrity: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    let def: String = db
        .query_row(
            "SELECT definition FROM gpkg_spatial_ref_sys WHERE srs_id = 4490",
            [],
            |r| r.get(0),
        )
        .expect("4490 row");
    assert!(def.contains("2000") && def.contains("4490"), "{def}");
    for id in [-1, 0, 4326] {
        let n: i64 = db
            .query_row(
                "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
                [id],
                |r| r.get(0),
            )
            .expect("count");
        assert_eq!(n, 1, "srs {id}");
    }
    let (table, kind, srs): (String, String, i64) = db
        .query_row("SELECT c.table_name, c.data_type, g.srs_id FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("contents");
    assert_eq!(
        (table.as_str(), kind.as_str(), srs),
        ("采矿权", "features", 4490)
    );
    let mut stmt = db
        .prepare("SELECT geom, MC, \"名称\", BH, MJ, SJXZ, typeof(MJ) FROM \"采矿权\" ORDER BY fid")
        .expect("select");
    let rows: Vec<GpkgRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(rows.len(), 2);
    for (row, (name, code, area, rings)) in rows.iter().zip(polygons()) {
        let (blob, mc, mc2, bh, mj, sjxz, t) = row;
        assert_eq!(
            (mc.as_str(), bh.as_str(), *mj, sjxz.as_str(), t.as_str()),
            (name, code, area, "实测", "real")
        );
        assert_eq!(mc2, &format!("{name}（示例）"));
        // GP header: magic, version 0, flags with an XY envelope, srs id, envelope.
        assert_eq!(&blob[..3], b"GP\0");
        let flags = blob[3];
        assert_eq!((flags >> 1) & 7, 1, "xy envelope");
        assert_eq!(
            i32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]),
            4490
        );
        let env: Vec<f64> = (0..4)
            .map(|k| f64::from_le_bytes(blob[8 + 8 * k..16 + 8 * k].try_into().expect("8 bytes")))
            .collect();
        let xs = rings.iter().flatten().flatten().map(|p| p.0);
        let min_x = xs.clone().fold(f64::MAX, f64::min);
        let max_x = xs.fold(f64::MIN, f64::max);
        assert!(
            (env[0] - min_x).abs() < 1e-12 && (env[1] - max_x).abs() < 1e-12,
            "{env:?}"
        );
        let mut p = 40;
        assert_close(&wkb(blob, &mut p), &rings, "gpkg");
        assert_eq!(p, blob.len());
    }
}

// ---------- zone 41 ----------

#[test]
fn reprojected_to_zone_41_agrees_with_the_kruger_series() {
    let dir = tempfile::tempdir().expect("tmp");
    let [_, _, points] = fixtures(dir.path());
    let out = dir.path().join("z41.shp");
    write::write_layer(&load(&points), &out, Some(4529), &opts(encoding_rs::GBK)).expect("written");
    let prj = std::fs::read_to_string(out.with_extension("prj")).expect("prj");
    assert!(prj.contains("Gauss_Kruger") && prj.contains("41"), "{prj}");
    let got = shp_rings(&out);
    // The closed-form Krüger series (independent of PROJ, which wrote the file).
    let gk = taonan_map::crs::gauss_kruger::GaussKruger::from_epsg(4529).expect("zone 41");
    for (g, p) in got.iter().zip(points_fixture()) {
        let (e, n) = gk.forward(p.0, p.1).expect("forward");
        let (x, y) = g[0][0][0];
        assert!(
            (x - e).abs() < 0.01 && (y - n).abs() < 0.01,
            "{x} {y} vs {e} {n}"
        );
        assert!(x > 41_000_000.0, "zone-prefixed easting");
    }
}

// ---------- every geometry kind ----------

#[test]
fn every_geometry_kind_in_every_format() {
    use geo::{Geometry as G, coord, point};
    use taonan_map::io::write::table::{Row, Table};
    use taonan_map::model::Value;
    let sq = geo::Polygon::new(geo::LineString::from(square(122.5, 45.5, 0.01)), vec![]);
    let ls = geo::LineString::from(vec![(122.5, 45.5), (122.6, 45.6)]);
    let geoms: Vec<G<f64>> = vec![
        G::Point(point!(x: 122.5, y: 45.5)),
        G::MultiPoint(vec![point!(x: 122.5, y: 45.5), point!(x: 122.6, y: 45.6)].into()),
        G::LineString(ls.clone()),
        G::MultiLineString(geo::MultiLineString(vec![ls.clone(), ls.clone()])),
        G::Polygon(sq.clone()),
        G::MultiPolygon(geo::MultiPolygon(vec![sq.clone(), sq.clone()])),
        G::GeometryCollection(geo::GeometryCollection(vec![
            G::Point(point!(x: 122.5, y: 45.5)),
            G::Polygon(sq.clone()),
        ])),
        G::Rect(geo::Rect::new(
            coord! {x: 122.5, y: 45.5},
            coord! {x: 122.6, y: 45.6},
        )),
        G::Line(geo::Line::new(
            coord! {x: 122.5, y: 45.5},
            coord! {x: 122.6, y: 45.6},
        )),
        G::Triangle(geo::Triangle::new(
            coord! {x: 122.5, y: 45.5},
            coord! {x: 122.6, y: 45.5},
            coord! {x: 122.6, y: 45.6},
        )),
        G::GeometryCollection(geo::GeometryCollection(vec![])),
    ];
    let n = geoms.len();
    let t = Table::new("各类几何".into(), vec!["XH".into()], n, move |i| Row {
        name: format!("第{i}个"),
        values: vec![Value::Number(i as f64)],
        geometry: std::borrow::Cow::Owned(geoms[i].clone()),
    });
    let dir = tempfile::tempdir().expect("tmp");
    let o = opts(encoding_rs::GBK);

    // Shapefile: one set per kind; the empty row left out, with a note.
    let w = write::write_table(&t, &dir.path().join("g.shp"), &o).expect("shp");
    assert_eq!(w.files.len(), 15, "{:?}", w.files);
    assert_eq!(w.rows, n - 1);
    assert!(
        w.notes
            .iter()
            .any(|s| s.in_lang(Lang::En).contains("without geometry")),
        "{:?}",
        w.notes
    );
    let count = |k: &str| shp_rings(&dir.path().join(format!("g_{k}.shp"))).len();
    // Points: Point, MultiPoint (as a multipoint set); lines: LineString, MultiLineString,
    // Line; polygons: Polygon, MultiPolygon, the collection (its polygon), Rect, Triangle.
    let shapes = shapefile::ShapeReader::from_path(dir.path().join("g_point.shp"))
        .expect("shp")
        .read()
        .expect("read");
    assert!(matches!(shapes[1], shapefile::Shape::Multipoint(ref m) if m.points().len() == 2));
    assert_eq!((count("line"), count("polygon")), (3, 5));

    let gj = dir.path().join("g.geojson");
    write::write_table(&t, &gj, &o).expect("geojson");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&gj).expect("read")).expect("JSON");
    let types: Vec<String> = v["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["geometry"]["type"].as_str().unwrap_or("null").to_owned())
        .collect();
    assert_eq!(
        types,
        [
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "GeometryCollection",
            "Polygon",
            "LineString",
            "Polygon",
            "null"
        ]
    );

    let kml = dir.path().join("g.kml");
    write::write_table(&t, &kml, &o).expect("kml");
    let text = std::fs::read_to_string(&kml).expect("kml");
    let doc = roxmltree::Document::parse(&text).expect("XML");
    let pms: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("Placemark"))
        .collect();
    assert_eq!(pms.len(), n);
    let geom_tag = |i: usize| {
        pms[i]
            .children()
            .filter(|c| c.is_element())
            .nth(3)
            .map(|c| c.tag_name().name().to_owned())
    };
    assert_eq!(geom_tag(1).as_deref(), Some("MultiGeometry"));
    assert_eq!(geom_tag(6).as_deref(), Some("MultiGeometry"));
    assert_eq!(geom_tag(7).as_deref(), Some("Polygon"));
    assert_eq!(geom_tag(10), None);

    let gpkg = dir.path().join("g.gpkg");
    write::write_table(&t, &gpkg, &o).expect("gpkg");
    let db = rusqlite::Connection::open(&gpkg).expect("open");
    let gt: String = db
        .query_row(
            "SELECT geometry_type_name FROM gpkg_geometry_columns",
            [],
            |r| r.get(0),
        )
        .expect("type");
    assert_eq!(gt, "GEOMETRY");
    let blobs: Vec<Option<Vec<u8>>> = db
        .prepare("SELECT geom FROM \"各类几何\" ORDER BY fid")
        .expect("select")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(blobs.len(), n);
    assert!(blobs[10].is_none(), "an empty geometry is NULL");
    let wkb_type = |b: &[u8]| u32::from_le_bytes([b[41], b[42], b[43], b[44]]);
    let kinds: Vec<u32> = blobs[..10]
        .iter()
        .map(|b| wkb_type(b.as_deref().expect("blob")))
        .collect();
    assert_eq!(kinds, [1, 4, 2, 5, 3, 6, 7, 3, 2, 3]);
}
