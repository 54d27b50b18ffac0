//! Files out, read back by other readers: shapefiles made here with the `shapefile` and
//! `dbase` crates (Chinese names and values, a polygon with a hole, a multi-part polygon, a
//! two-part line, points) are loaded as a user's files, written to every output format, and
//! read back with an independent reader of each (the `shapefile` crate and the raw GBK bytes
//! of the DBF, serde_json, roxmltree, SQLite with a WKB parser written here, calamine):
//! the same text exactly and the same coordinates to 1e-7°.

use std::path::{Path, PathBuf};
use std::process::Command;

use shapefile::dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, PolygonRing, ShapeWriter};
use taonan_map::io::loader::{LoadOptions, Progress, load_path};
use taonan_map::io::write::{self, WriteOptions};
use taonan_map::model::Layer;

const PRJ_4490: &str = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#;

/// A feature of the fixtures: polygons (rings, exterior first), its attributes.
type Rings = Vec<Vec<Vec<(f64, f64)>>>;

fn square(x: f64, y: f64, s: f64) -> Vec<(f64, f64)> {
    vec![(x, y), (x, y + s), (x + s, y + s), (x + s, y), (x, y)]
}

/// The polygon fixture: 甲矿区 with a hole, 乙矿区·二 in two parts.
fn polygons() -> Vec<(&'static str, &'static str, f64, Rings)> {
    vec![
        (
            "甲矿区",
            "CK-001",
            12.3456789,
            vec![vec![
                square(122.5012345678, 45.3012345678, 0.02),
                square(122.5051234567, 45.3051234567, 0.005),
            ]],
        ),
        (
            "乙矿区·二",
            "CK-002",
            7.0,
            vec![
                vec![square(122.6123456789, 45.4123456789, 0.01)],
                vec![square(122.6323456789, 45.4323456789, 0.01)],
            ],
        ),
    ]
}

fn pt(c: &(f64, f64)) -> Point {
    Point::new(c.0, c.1)
}

fn dbf(path: &Path, rows: &[(&str, &str, f64)]) {
    let mut w = TableWriterBuilder::new()
        .add_character_field(FieldName::try_from("MC").expect("name"), 40)
        .add_character_field(FieldName::try_from("名称").expect("name"), 40)
        .add_character_field(FieldName::try_from("BH").expect("name"), 20)
        .add_numeric_field(FieldName::try_from("MJ").expect("name"), 18, 7)
        .build_with_file_dest(path)
        .expect("dbf");
    for (name, code, area) in rows {
        let mut r = Record::default();
        r.insert("MC".into(), FieldValue::Character(Some((*name).into())));
        r.insert(
            "名称".into(),
            FieldValue::Character(Some(format!("{name}（示例）"))),
        );
        r.insert("BH".into(), FieldValue::Character(Some((*code).into())));
        r.insert("MJ".into(), FieldValue::Numeric(Some(*area)));
        w.write_record(&r).expect("record");
    }
}

fn sidecars(shp: &Path) {
    std::fs::write(shp.with_extension("prj"), PRJ_4490).expect("prj");
    std::fs::write(shp.with_extension("cpg"), "UTF-8").expect("cpg");
}

/// Write the three fixture sets into `dir`; their paths (polygons, lines, points).
fn fixtures(dir: &Path) -> [PathBuf; 3] {
    let poly = dir.join("采矿权.shp");
    let mut w = ShapeWriter::from_path(&poly).expect("shp");
    let rows: Vec<_> = polygons().iter().map(|(n, c, a, _)| (*n, *c, *a)).collect();
    for (_, _, _, parts) in polygons() {
        let mut rings = Vec::new();
        for p in &parts {
            rings.push(PolygonRing::Outer(p[0].iter().map(pt).collect()));
            for h in &p[1..] {
                rings.push(PolygonRing::Inner(h.iter().map(pt).collect()));
            }
        }
        w.write_shape(&shapefile::Polygon::with_rings(rings))
            .expect("polygon");
    }
    drop(w);
    dbf(&poly.with_extension("dbf"), &rows);
    sidecars(&poly);

    let line = dir.join("道路.shp");
    let mut w = ShapeWriter::from_path(&line).expect("shp");
    let parts = lines();
    w.write_shape(&shapefile::Polyline::with_parts(
        parts.iter().map(|p| p.iter().map(pt).collect()).collect(),
    ))
    .expect("line");
    drop(w);
    dbf(&line.with_extension("dbf"), &[("运矿道路", "DL-1", 1.5)]);
    sidecars(&line);

    let points = dir.join("拐点.shp");
    let mut w = ShapeWriter::from_path(&points).expect("shp");
    for p in points_fixture() {
        w.write_shape(&pt(&p)).expect("point");
    }
    drop(w);
    dbf(
        &points.with_extension("dbf"),
        &[("J1 界桩", "P1", 0.0), ("J2 \"界桩\" & <二>", "P2", -1.25)],
    );
    sidecars(&points);
    [poly, line, points]
}

fn lines() -> Vec<Vec<(f64, f64)>> {
    vec![
        vec![
            (122.41, 45.21),
            (122.4234567891, 45.2234567891),
            (122.45, 45.22),
        ],
        vec![(122.46, 45.23), (122.47, 45.2412345678)],
    ]
}

fn points_fixture() -> Vec<(f64, f64)> {
    vec![
        (122.8123456789, 45.3987654321),
        (122.8223456789, 45.3887654321),
    ]
}

fn load(path: &Path) -> Layer {
    let mut l = load_path(path, &LoadOptions::default(), &Progress::default()).expect("loaded");
    assert_eq!(l.len(), 1);
    l.remove(0).layer
}

/// Rings in a comparable form: closing point dropped, points sorted; holes sorted; polygons
/// sorted (winding and start point differ between formats, the point sets must not).
fn canon(polys: Rings) -> Rings {
    let mut out: Rings = polys
        .into_iter()
        .map(|p| {
            let mut rings: Vec<Vec<(f64, f64)>> = p
                .into_iter()
                .map(|mut r| {
                    if r.len() > 1 && r.first() == r.last() {
                        r.pop();
                    }
                    r.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
                    r
                })
                .collect();
            if rings.len() > 2 {
                rings[1..].sort_by(|a, b| a.partial_cmp(b).expect("finite"));
            }
            rings
        })
        .collect();
    out.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    out
}

fn assert_close(got: &Rings, want: &Rings, what: &str) {
    let (got, want) = (canon(got.clone()), canon(want.clone()));
    assert_eq!(got.len(), want.len(), "{what}: polygons");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g.len(), w.len(), "{what}: rings");
        for (gr, wr) in g.iter().zip(w) {
            assert_eq!(gr.len(), wr.len(), "{what}: points");
            for (a, b) in gr.iter().zip(wr) {
                assert!(
                    (a.0 - b.0).abs() < 1e-7 && (a.1 - b.1).abs() < 1e-7,
                    "{what}: {a:?} vs {b:?}"
                );
            }
        }
    }
}

fn opts(encoding: &'static encoding_rs::Encoding) -> WriteOptions {
    WriteOptions {
        force: false,
        encoding,
    }
}

// ---------- shapefile ----------

/// The raw DBF: (field name bytes decoded with `enc`, type), records as decoded strings.
fn raw_dbf(
    path: &Path,
    enc: &'static encoding_rs::Encoding,
) -> (u8, Vec<(String, u8)>, Vec<Vec<String>>) {
    let b = std::fs::read(path).expect("dbf");
    let n = u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize;
    let hlen = u16::from_le_bytes([b[8], b[9]]) as usize;
    let rlen = u16::from_le_bytes([b[10], b[11]]) as usize;
    let mut fields = Vec::new();
    let mut widths = Vec::new();
    let mut off = 32;
    while b[off] != 0x0D {
        let d = &b[off..off + 32];
        let end = d[..11].iter().position(|&c| c == 0).unwrap_or(11);
        fields.push((
            enc.decode_without_bom_handling(&d[..end]).0.into_owned(),
            d[11],
        ));
        widths.push(d[16] as usize);
        off += 32;
    }
    assert_eq!(off + 1, hlen);
    let mut rows = Vec::new();
    for i in 0..n {
        let rec = &b[hlen + i * rlen..hlen + (i + 1) * rlen];
        let mut p = 1;
        let mut row = Vec::new();
        for w in &widths {
            row.push(
                enc.decode_without_bom_handling(&rec[p..p + w])
                    .0
                    .trim()
                    .to_owned(),
            );
            p += w;
        }
        rows.push(row);
    }
    assert_eq!(b[hlen + n * rlen], 0x1A, "end of file marker");
    (b[29], fields, rows)
}

fn shp_rings(path: &Path) -> Vec<Rings> {
    let shapes = shapefile::ShapeReader::from_path(path)
        .expect("shp")
        .read()
        .expect("shapes");
    shapes
        .into_iter()
        .map(|s| match s {
            shapefile::Shape::Polygon(p) => {
                let mut polys: Rings = Vec::new();
                for r in p.rings() {
                    let pts: Vec<(f64, f64)> = r.points().iter().map(|p| (p.x, p.y)).collect();
                    match r {
                        PolygonRing::Outer(_) => polys.push(vec![pts]),
                        PolygonRing::Inner(_) => polys.last_mut().expect("outer first").push(pts),
                    }
                }
                polys
            }
            shapefile::Shape::Polyline(l) => l
                .parts()
                .iter()
                .map(|p| vec![p.iter().map(|p| (p.x, p.y)).collect()])
                .collect(),
            shapefile::Shape::Point(p) => vec![vec![vec![(p.x, p.y)]]],
            other => panic!("unexpected shape {other}"),
        })
        .collect()
}

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
    let rows: Vec<(Vec<u8>, String, String, String, f64, String, String)> = stmt
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

// ---------- findings ----------

fn analysed() -> (
    taonan_map::model::catalog::Catalog,
    taonan_map::analysis::overlap::Findings,
) {
    let catalog = taonan_map::model::catalog::Catalog::new(
        taonan_map::plan::bundled::load_all().expect("bundled"),
    );
    let findings = taonan_map::analysis::overlap::analyze_catalog(
        &catalog,
        |_| true,
        &taonan_map::analysis::rules::Rules::builtin(),
    );
    assert!(!findings.findings.is_empty());
    (catalog, findings)
}

#[test]
fn findings_csv_xlsx_and_polygons() {
    use calamine::{Data, Reader, Xlsx};
    use taonan_map::io::write::findings::{COLUMNS, write_findings};
    let (catalog, findings) = analysed();
    let dir = tempfile::tempdir().expect("tmp");
    let o = opts(encoding_rs::GBK);

    let csv = dir.path().join("结果.csv");
    write_findings(&catalog, &findings, &csv, &o).expect("csv");
    let bytes = std::fs::read(&csv).expect("read");
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), findings.findings.len() + 1);
    assert!(lines[0].starts_with("严重程度,规则,关系,甲方图层,甲方名称"));
    assert!(lines[1].starts_with("提示,containment,"), "{}", lines[1]);

    let xlsx = dir.path().join("结果.xlsx");
    write_findings(&catalog, &findings, &xlsx, &o).expect("xlsx");
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).expect("open xlsx");
    assert_eq!(wb.sheet_names(), ["检查结果", "规划符合性"]);
    let sheet = wb.worksheet_range("检查结果").expect("sheet");
    assert_eq!(sheet.height(), findings.findings.len() + 1);
    let header: Vec<String> = sheet
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    let want: Vec<&str> = COLUMNS.iter().map(|(_, h)| *h).collect();
    assert_eq!(header, want);
    let f0 = &findings.findings[0];
    let row = sheet.rows().nth(1).expect("row");
    assert_eq!(row[0], Data::String(f0.severity.zh().into()));
    assert_eq!(row[1], Data::String(f0.rule.into()));
    let name_a = catalog.feature(f0.a).expect("a").display_name(f0.a.feature);
    assert_eq!(row[4], Data::String(name_a));
    assert_eq!(row[6], Data::String("是".into()), "schematic side marked");
    let Data::Float(m2) = row[11] else {
        panic!("area is a number: {:?}", row[11])
    };
    assert!((m2 - f0.area_m2).abs() < 0.01);
    let Data::Float(mu) = row[13] else {
        panic!("亩 is a number")
    };
    assert!((mu - f0.area_m2 / 1e6 * 1500.0).abs() < 0.01);
    assert_eq!(row[14], Data::String("示意".into()));
    let conf = wb.worksheet_range("规划符合性").expect("sheet 2");
    let h: Vec<String> = conf
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(h, ["图层", "名称", "矿种", "结论", "检查项", "规划目标"]);

    // The polygons themselves, with the same values.
    let gj = dir.path().join("结果.geojson");
    write_findings(&catalog, &findings, &gj, &o).expect("geojson");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&gj).expect("read")).expect("JSON");
    let feats = v["features"].as_array().expect("features");
    assert_eq!(feats.len(), findings.findings.len());
    assert_eq!(feats[0]["properties"]["SJXZ"], "示意");
    assert_eq!(
        feats[0]["properties"]["MJ_M2"].as_f64(),
        Some((f0.area_m2 * 100.0).round() / 100.0)
    );
    let area: f64 = {
        use geo::GeodesicArea;
        let mp = f0.shape(&catalog);
        mp.geodesic_area_unsigned()
    };
    assert!((area - f0.area_m2).abs() / f0.area_m2 < 1e-6);
    for ext in ["shp", "kml", "gpkg"] {
        let p = dir.path().join(format!("结果.{ext}"));
        let w = write_findings(&catalog, &findings, &p, &o).expect(ext);
        assert_eq!(w.rows, findings.findings.len(), "{ext}");
    }
    let (_, fields, rows) = raw_dbf(&dir.path().join("结果.dbf"), encoding_rs::GBK);
    assert_eq!(fields[0].0, "YZCD");
    assert_eq!(rows[0][0], f0.severity.zh());
    // Without force an existing file is kept.
    let e = write_findings(&catalog, &findings, &csv, &o).expect_err("exists");
    assert!(e.contains("--force"));
}

// ---------- the command line ----------

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args(args)
        .output()
        .expect("run taonan-map");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn convert_end_to_end_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("tmp");
    let [poly, _, _] = fixtures(dir.path());
    let out = dir.path().join("转换.gpkg");
    let (p, o) = (poly.to_str().expect("utf8"), out.to_str().expect("utf8"));
    let (code, stdout, err) = run(&["convert", p, o]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("转换.gpkg"), "{stdout}");
    let before = std::fs::read(&out).expect("written");
    let (code, _, err) = run(&["convert", p, o]);
    assert_eq!(code, 2);
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&out).expect("kept"), before);
    let (code, _, err) = run(&["convert", p, o, "--force", "--to-crs", "4529"]);
    assert_eq!(code, 0, "{err}");
    let db = rusqlite::Connection::open(&out).expect("open");
    let srs: i64 = db
        .query_row("SELECT srs_id FROM gpkg_geometry_columns", [], |r| r.get(0))
        .expect("srs");
    assert_eq!(srs, 4529);
    // No temporary file is left beside the output.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // The bundled plan layers too, schematic marking kept.
    let kml = dir.path().join("区块.kml");
    let (code, _, err) = run(&[
        "convert",
        "bundled:mining_blocks",
        kml.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&kml).expect("kml");
    assert!(text.contains("<Data name=\"SJXZ\"><value>示意</value></Data>"));
    // check --out
    let csv = dir.path().join("检查.csv");
    let (code, _, err) = run(&["check", "--out", csv.to_str().expect("utf8")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read(&csv)
            .expect("csv")
            .starts_with(&[0xEF, 0xBB, 0xBF])
    );
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
        w.notes.iter().any(|s| s.contains("without geometry")),
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
