//! Fixtures and readers shared by the files-out tests: shapefiles made with the `shapefile`
//! and `dbase` crates, the raw bytes of a DBF, rings in a comparable form.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use shapefile::dbase::{FieldName, FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, PolygonRing, ShapeWriter};
use taonan_map::io::loader::{LoadOptions, Progress, load_path};
use taonan_map::io::write::WriteOptions;
use taonan_map::model::Layer;

pub const PRJ_4490: &str = r#"GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]"#;

/// A feature of the fixtures: polygons (rings, exterior first), its attributes.
pub type Rings = Vec<Vec<Vec<(f64, f64)>>>;

pub fn square(x: f64, y: f64, s: f64) -> Vec<(f64, f64)> {
    vec![(x, y), (x, y + s), (x + s, y + s), (x + s, y), (x, y)]
}

/// The polygon fixture: 甲矿区 with a hole, 乙矿区·二 in two parts.
pub fn polygons() -> Vec<(&'static str, &'static str, f64, Rings)> {
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

pub fn pt(c: &(f64, f64)) -> Point {
    Point::new(c.0, c.1)
}

pub fn dbf(path: &Path, rows: &[(&str, &str, f64)]) {
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

pub fn sidecars(shp: &Path) {
    std::fs::write(shp.with_extension("prj"), PRJ_4490).expect("prj");
    std::fs::write(shp.with_extension("cpg"), "UTF-8").expect("cpg");
}

/// Write the three fixture sets into `dir`; their paths (polygons, lines, points).
pub fn fixtures(dir: &Path) -> [PathBuf; 3] {
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

pub fn lines() -> Vec<Vec<(f64, f64)>> {
    vec![
        vec![
            (122.41, 45.21),
            (122.4234567891, 45.2234567891),
            (122.45, 45.22),
        ],
        vec![(122.46, 45.23), (122.47, 45.2412345678)],
    ]
}

pub fn points_fixture() -> Vec<(f64, f64)> {
    vec![
        (122.8123456789, 45.3987654321),
        (122.8223456789, 45.3887654321),
    ]
}

pub fn load(path: &Path) -> Layer {
    let mut l = load_path(path, &LoadOptions::default(), &Progress::default()).expect("loaded");
    assert_eq!(l.len(), 1);
    l.remove(0).layer
}

/// Rings in a comparable form: closing point dropped, points sorted; holes sorted; polygons
/// sorted (winding and start point differ between formats, the point sets must not).
pub fn canon(polys: Rings) -> Rings {
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

pub fn assert_close(got: &Rings, want: &Rings, what: &str) {
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

pub fn opts(encoding: &'static encoding_rs::Encoding) -> WriteOptions {
    WriteOptions {
        force: false,
        encoding,
    }
}

/// The raw DBF: (field name bytes decoded with `enc`, type), records as decoded strings.
pub fn raw_dbf(
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

pub fn shp_rings(path: &Path) -> Vec<Rings> {
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
