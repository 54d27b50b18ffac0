//! GeoJSON, KML and KMZ in, as field teams and newer tools send them: every geometry kind, holes
//! and multi-parts, Chinese names and values, folders and ExtendedData, the GeoJSON `crs`
//! member with a control point checked against PROJ; broken files of each format giving a
//! message that names the file (never a panic); the formats that are not read named with what
//! to convert them to; and a file whose numbers fit no CRS loaded unplaced (`info --json`).
//!
//! Every fixture is written by the test into a fresh temporary folder with a Chinese name.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use geo::{Coord, CoordsIter, Geometry};
use taonan_map::crs::crs_guess::CrsSource;
use taonan_map::io::loader::{LoadOptions, LoadedLayer, Progress, load_path};
use taonan_map::model::Value;
use taonan_map::text::Lang;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// 1e-7 degree (about 1 cm).
const DEG7: f64 = 1e-7;

fn fresh_dir(test: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("taonan-formats-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("外业成果");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write fixture");
    p
}

/// Load, turning a panic into a test failure that names the file.
fn try_load(path: &Path) -> Result<Vec<LoadedLayer>, String> {
    catch_unwind(AssertUnwindSafe(|| {
        load_path(path, &LoadOptions::default(), &Progress::default())
    }))
    .unwrap_or_else(|_| panic!("the loader panicked on {}", path.display()))
    .map_err(|e| e.words(Lang::En))
}

fn load_one(path: &Path) -> LoadedLayer {
    let mut l = try_load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(l.len(), 1, "{}", path.display());
    l.remove(0)
}

fn attr(l: &LoadedLayer, feature: usize, field: &str) -> Value {
    l.layer.features[feature]
        .attr(field)
        .map(|v| v.to_value())
        .unwrap_or_else(|| panic!("{field} missing in feature {feature}"))
}

fn text(l: &LoadedLayer, feature: usize, field: &str) -> String {
    attr(l, feature, field).display()
}

/// `taonan-map info --json ARGS…` (it must succeed): the layers it lists.
fn info_json_layers(args: &[&std::ffi::OsStr]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args(["info", "--json"])
        .args(args)
        .output()
        .expect("run taonan-map");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    v["layers"].as_array().expect("layers").clone()
}

fn first_coord(g: &Geometry<f64>) -> Coord<f64> {
    g.coords_iter().next().expect("a vertex")
}

// ---------------------------------------------------------------------------------------------
// GeoJSON
// ---------------------------------------------------------------------------------------------

/// Every geometry kind, a hole, multi-parts, typed and Chinese properties, a null geometry.
const EVERY_KIND: &str = r#"{
  "type": "FeatureCollection",
  "name": "外业点位",
  "features": [
    {"type": "Feature", "id": "P1",
     "properties": {"名称": "控制点甲", "高程": 152.5, "已核实": true, "备注": null, "附加": {"测量员": "王工", "次数": [1, 2]}},
     "geometry": {"type": "Point", "coordinates": [122.7890123, 45.3456789, 152.5]}},
    {"type": "Feature", "properties": {"名称": "多点"},
     "geometry": {"type": "MultiPoint", "coordinates": [[122.70, 45.30], [122.71, 45.31]]}},
    {"type": "Feature", "properties": {"名称": "道路"},
     "geometry": {"type": "LineString", "coordinates": [[122.70, 45.30], [122.72, 45.32], [122.74, 45.31]]}},
    {"type": "Feature", "properties": {"名称": "两段路"},
     "geometry": {"type": "MultiLineString", "coordinates": [[[122.70, 45.30], [122.71, 45.30]], [[122.72, 45.30], [122.73, 45.30]]]}},
    {"type": "Feature", "properties": {"名称": "采矿权一号", "面积": 12},
     "geometry": {"type": "Polygon", "coordinates": [
        [[122.80, 45.40], [122.84, 45.40], [122.84, 45.43], [122.80, 45.43], [122.80, 45.40]],
        [[122.81, 45.41], [122.82, 45.41], [122.82, 45.42], [122.81, 45.42], [122.81, 45.41]]]}},
    {"type": "Feature", "properties": {"名称": "两块地"},
     "geometry": {"type": "MultiPolygon", "coordinates": [
        [[[122.60, 45.20], [122.61, 45.20], [122.61, 45.21], [122.60, 45.20]]],
        [[[122.62, 45.20], [122.63, 45.20], [122.63, 45.21], [122.62, 45.20]]]]}},
    {"type": "Feature", "properties": {"名称": "集合"},
     "geometry": {"type": "GeometryCollection", "geometries": [
        {"type": "Point", "coordinates": [122.65, 45.25]},
        {"type": "LineString", "coordinates": [[122.65, 45.25], [122.66, 45.26]]}]}},
    {"type": "Feature", "properties": {"名称": "无几何"}, "geometry": null}
  ]
}"#;

#[test]
fn geojson_every_kind_with_chinese_properties() {
    let dir = fresh_dir("geojson");
    let path = write(&dir, "外业点位.geojson", EVERY_KIND.as_bytes());
    let l = load_one(&path);
    assert_eq!(l.layer.name_zh, "外业点位");
    assert_eq!(l.layer.features.len(), 7, "the null geometry is skipped");
    assert!(
        l.problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("#8")),
        "the skipped feature is named: {:?}",
        l.problems
    );
    // RFC 7946: WGS 84 lon/lat, said on the layer.
    assert_eq!((l.crs.epsg, l.crs.source), (Some(4326), CrsSource::Prj));
    assert!(
        l.layer.crs.in_both_languages().contains("WGS 84")
            && l.layer.crs.in_both_languages().contains("RFC 7946")
    );
    assert!(l.layer.is_placed());
    let kinds: Vec<&str> = l
        .layer
        .features
        .iter()
        .map(|f| match &f.geometry {
            Geometry::Point(_) => "Point",
            Geometry::MultiPoint(_) => "MultiPoint",
            Geometry::LineString(_) => "LineString",
            Geometry::MultiLineString(_) => "MultiLineString",
            Geometry::Polygon(_) => "Polygon",
            Geometry::MultiPolygon(_) => "MultiPolygon",
            Geometry::GeometryCollection(_) => "GeometryCollection",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "Point",
            "MultiPoint",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
            "GeometryCollection"
        ]
    );
    // The control point, to the exact number written (no transform for WGS 84 → CGCS2000).
    let c = first_coord(&l.layer.features[0].geometry);
    assert!((c.x - 122.7890123).abs() < DEG7 && (c.y - 45.3456789).abs() < DEG7);
    assert_eq!((c.x, c.y), (122.7890123, 45.3456789));
    // Attributes with their types, in file order, `id` first.
    let f0 = &l.layer.features[0];
    let names: Vec<&str> = f0.attributes.iter().map(|(k, _)| &**k).collect();
    assert_eq!(names, ["id", "名称", "高程", "已核实", "备注", "附加"]);
    assert_eq!(attr(&l, 0, "id"), Value::Text("P1".into()));
    assert_eq!(attr(&l, 0, "名称"), Value::Text("控制点甲".into()));
    assert_eq!(attr(&l, 0, "高程"), Value::Number(152.5));
    assert_eq!(attr(&l, 0, "已核实"), Value::Text("true".into()));
    assert_eq!(attr(&l, 0, "备注"), Value::Null);
    assert_eq!(text(&l, 0, "附加"), r#"{"测量员":"王工","次数":[1,2]}"#);
    // The polygon keeps its hole; the multipolygon its two parts.
    match &l.layer.features[4].geometry {
        Geometry::Polygon(p) => assert_eq!(p.interiors().len(), 1),
        g => panic!("not a polygon: {g:?}"),
    }
    match &l.layer.features[5].geometry {
        Geometry::MultiPolygon(m) => assert_eq!(m.0.len(), 2),
        g => panic!("not a multipolygon: {g:?}"),
    }
    assert_eq!(l.layer.features[4].display_name(4), "采矿权一号");
    assert_eq!(
        l.layer.features[4].provenance.source.as_ref(),
        "外业点位.geojson"
    );
}

/// The control point of the project (EPSG:4529 X = 5 021 800, Y = 41 481 600) in CGCS2000
/// lon/lat, by PROJ.
fn control_lonlat() -> (f64, f64) {
    taonan_map::crs::transform("EPSG:4529", "EPSG:4490")
        .expect("PROJ")
        .convert((41_481_600.0, 5_021_800.0))
        .expect("convert")
}

#[test]
fn geojson_crs_member_places_projected_numbers() {
    let dir = fresh_dir("geojson-crs");
    let want = control_lonlat();
    let point = r#"{"type": "Point", "coordinates": [41481600.0, 5021800.0]}"#;
    let cases = [
        (
            "新式.geojson",
            format!(
                r#"{{"type": "FeatureCollection", "crs": {{"type": "name", "properties": {{"name": "urn:ogc:def:crs:EPSG::4529"}}}},
                 "features": [{{"type": "Feature", "properties": {{"点号": "J1"}}, "geometry": {point}}}]}}"#
            ),
        ),
        (
            "旧式.json",
            format!(
                r#"{{"type": "Feature", "crs": {{"type": "EPSG", "properties": {{"code": 4529}}}},
                 "properties": {{"点号": "J1"}}, "geometry": {point}}}"#
            ),
        ),
        // No crs member: numbers out of lon/lat range are guessed like a shapefile's.
        (
            "无crs.geojson",
            format!(
                r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": {{"点号": "J1"}}, "geometry": {point}}}]}}"#
            ),
        ),
    ];
    for (name, body) in cases {
        let l = load_one(&write(&dir, name, body.as_bytes()));
        assert_eq!(l.crs.epsg, Some(4529), "{name}: {:?}", l.crs);
        let c = first_coord(&l.layer.features[0].geometry);
        assert!(
            (c.x - want.0).abs() < DEG7 && (c.y - want.1).abs() < DEG7,
            "{name}: {c:?} vs PROJ {want:?}"
        );
        assert_eq!(text(&l, 0, "点号"), "J1");
        if name.starts_with("无crs") {
            assert_eq!(l.crs.source, CrsSource::Inferred);
            assert!(
                l.problems
                    .iter()
                    .any(|p| p.in_lang(Lang::En).contains("RFC 7946")),
                "{:?}",
                l.problems
            );
        } else {
            assert!(
                l.crs.reason.in_lang(Lang::En).contains("crs"),
                "{:?}",
                l.crs
            );
        }
    }
    // A bare geometry, GBK-encoded text.
    let bare = r#"{"type": "Polygon", "coordinates": [[[122.8, 45.4], [122.9, 45.4], [122.9, 45.5], [122.8, 45.4]]]}"#;
    let l = load_one(&write(&dir, "裸几何.geojson", bare.as_bytes()));
    assert_eq!(l.layer.features.len(), 1);
    let (gbk, _, _) = encoding_rs::GBK.encode(EVERY_KIND);
    let l = load_one(&write(&dir, "国标码.geojson", &gbk));
    assert_eq!(text(&l, 4, "名称"), "采矿权一号");
}

// ---------------------------------------------------------------------------------------------
// KML / KMZ
// ---------------------------------------------------------------------------------------------

/// Folders, every geometry kind, a hole, ExtendedData of both kinds, a CDATA description.
const KML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document>
  <name>外业标注</name>
  <Schema name="矿权" id="kq"><SimpleField name="许可证号" type="string"/></Schema>
  <Folder>
    <name>外业</name>
    <Folder>
      <name>第一批</name>
      <Placemark>
        <name>采矿权甲</name>
        <description><![CDATA[<b>现场核查</b> 2026-05]]></description>
        <ExtendedData>
          <Data name="矿种"><value>金</value></Data>
          <SchemaData schemaUrl="#kq"><SimpleData name="许可证号">C2200002010</SimpleData></SchemaData>
        </ExtendedData>
        <Polygon>
          <outerBoundaryIs><LinearRing><coordinates>
            122.80,45.40,0 122.84,45.40,0 122.84,45.43,0 122.80,45.43,0 122.80,45.40,0
          </coordinates></LinearRing></outerBoundaryIs>
          <innerBoundaryIs><LinearRing><coordinates>
            122.81,45.41 122.82,45.41 122.82,45.42 122.81,45.42 122.81,45.41
          </coordinates></LinearRing></innerBoundaryIs>
        </Polygon>
      </Placemark>
      <Placemark>
        <name>控制点</name>
        <Point><coordinates>122.7890123,45.3456789,152.5</coordinates></Point>
      </Placemark>
    </Folder>
    <Placemark>
      <name>巡查路线</name>
      <LineString><coordinates>122.70,45.30 122.72,45.32 122.74,45.31</coordinates></LineString>
    </Placemark>
  </Folder>
  <Placemark>
    <name>两块地</name>
    <MultiGeometry>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>122.60,45.20 122.61,45.20 122.61,45.21 122.60,45.20</coordinates></LinearRing></outerBoundaryIs></Polygon>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>122.62,45.20 122.63,45.20 122.63,45.21 122.62,45.20</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </MultiGeometry>
  </Placemark>
  <Placemark>
    <name>点和线</name>
    <MultiGeometry>
      <Point><coordinates>122.65,45.25</coordinates></Point>
      <LineString><coordinates>122.65,45.25 122.66,45.26</coordinates></LineString>
    </MultiGeometry>
  </Placemark>
  <Placemark>
    <name>轨迹</name>
    <gx:Track><when>2026-05-01T08:00:00Z</when><when>2026-05-01T08:01:00Z</when>
      <gx:coord>122.70 45.30 150</gx:coord><gx:coord>122.71 45.31 151</gx:coord></gx:Track>
  </Placemark>
  <Placemark><name>空标注</name></Placemark>
</Document>
</kml>"##;

fn check_kml_layer(l: &LoadedLayer) {
    assert_eq!(l.layer.features.len(), 6, "{:?}", l.problems);
    assert!(
        l.problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("without geometry")),
        "{:?}",
        l.problems
    );
    assert_eq!((l.crs.epsg, l.crs.source), (Some(4326), CrsSource::Prj));
    assert!(
        l.layer.crs.in_both_languages().contains("WGS 84")
            && l.layer.crs.in_both_languages().contains("KML"),
        "{}",
        l.layer.crs.in_both_languages()
    );
    // The polygon: folder path, name, CDATA description, both kinds of ExtendedData, the hole.
    assert_eq!(text(l, 0, "name"), "采矿权甲");
    assert_eq!(text(l, 0, "folder"), "外业/第一批");
    assert_eq!(text(l, 0, "description"), "<b>现场核查</b> 2026-05");
    assert_eq!(text(l, 0, "矿种"), "金");
    assert_eq!(text(l, 0, "许可证号"), "C2200002010");
    match &l.layer.features[0].geometry {
        Geometry::Polygon(p) => {
            assert_eq!(p.interiors().len(), 1);
            assert_eq!(p.exterior().0.len(), 5);
        }
        g => panic!("not a polygon: {g:?}"),
    }
    assert_eq!(l.layer.features[0].display_name(0), "采矿权甲");
    // The control point to the exact text.
    let c = first_coord(&l.layer.features[1].geometry);
    assert_eq!((c.x, c.y), (122.7890123, 45.3456789));
    assert_eq!(text(l, 2, "folder"), "外业");
    assert_eq!(attr(l, 3, "folder"), Value::Null);
    assert!(matches!(&l.layer.features[2].geometry, Geometry::LineString(s) if s.0.len() == 3));
    assert!(matches!(&l.layer.features[3].geometry, Geometry::MultiPolygon(m) if m.0.len() == 2));
    assert!(
        matches!(&l.layer.features[4].geometry, Geometry::GeometryCollection(c) if c.0.len() == 2)
    );
    assert!(matches!(&l.layer.features[5].geometry, Geometry::LineString(s) if s.0.len() == 2));
}

fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in members {
        w.start_file(*name, SimpleFileOptions::default())
            .expect("zip member");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

#[test]
fn kml_and_kmz_placemarks_with_folders_and_extended_data() {
    let dir = fresh_dir("kml");
    let l = load_one(&write(&dir, "外业标注.kml", KML.as_bytes()));
    check_kml_layer(&l);
    assert_eq!(l.layer.name_zh, "外业标注");
    assert_eq!(
        l.layer.features[0].provenance.source.as_ref(),
        "外业标注.kml"
    );

    // KMZ: the zipped form, with an image beside doc.kml.
    let kmz = zip_of(&[
        ("doc.kml", KML.as_bytes()),
        ("files/照片.jpg", b"\xFF\xD8\xFF"),
    ]);
    let l = load_one(&write(&dir, "奥维导出.kmz", &kmz));
    check_kml_layer(&l);
    assert_eq!(l.layer.name_zh, "奥维导出");
    assert!(l.layer.source.contains("奥维导出.kmz!doc.kml"));

    // A .zip holding a GeoJSON and a KML: one layer each.
    let z = zip_of(&[
        ("成果/点位.geojson", EVERY_KIND.as_bytes()),
        ("成果/标注.kml", KML.as_bytes()),
    ]);
    let layers = try_load(&write(&dir, "打包.zip", &z)).expect("zip loads");
    assert_eq!(layers.len(), 2);
    assert_eq!(layers[0].layer.features.len(), 7);
    check_kml_layer(&layers[1]);
}

// ---------------------------------------------------------------------------------------------
// Broken files
// ---------------------------------------------------------------------------------------------

/// A KMZ whose doc.kml declares an uncompressed size of about 4 GiB (central directory and
/// local header patched).
fn kmz_declaring_4gib() -> Vec<u8> {
    let mut z = zip_of(&[("doc.kml", KML.as_bytes())]);
    let huge = 0xFFFF_FFF0u32.to_le_bytes();
    let patch = |z: &mut Vec<u8>, sig: [u8; 4], offset: usize| {
        let at = z
            .windows(4)
            .position(|w| w == sig)
            .expect("zip header signature");
        z[at + offset..at + offset + 4].copy_from_slice(&huge);
    };
    patch(&mut z, [0x50, 0x4b, 0x01, 0x02], 24); // central directory: uncompressed size
    patch(&mut z, [0x50, 0x4b, 0x03, 0x04], 22); // local header: uncompressed size
    z
}

#[test]
fn broken_files_give_a_message_naming_the_file() {
    let dir = fresh_dir("broken");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xFF\xFF".as_slice();
    let half_json = &EVERY_KIND.as_bytes()[..EVERY_KIND.len() / 2];
    let half_kml = &KML.as_bytes()[..KML.len() / 2];
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let deep_gc = format!(
        r#"{{"type":"Feature","properties":{{}},"geometry":{}{}}}"#,
        r#"{"type":"GeometryCollection","geometries":["#.repeat(40),
        "]}".repeat(40)
    );
    let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><kml><Placemark><name>&lol2;</name></Placemark></kml>"#;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("截断.geojson", half_json.to_vec(), "JSON"),
        ("图片.geojson", png.to_vec(), "UTF-8"),
        ("数组.json", b"[1, 2, 3]".to_vec(), "not GeoJSON"),
        ("别的.json", br#"{"type": "Topology"}"#.to_vec(), "Topology"),
        (
            "空集合.geojson",
            br#"{"type": "FeatureCollection", "features": []}"#.to_vec(),
            "no features",
        ),
        (
            "坏坐标.geojson",
            br#"{"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": ["a", "b"]}},
              {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[1], [2]]}}]}"#
                .to_vec(),
            "feature #1",
        ),
        (
            "全是空几何.geojson",
            br#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": null}]}"#
                .to_vec(),
            "no features",
        ),
        ("深嵌套.json", deep.into_bytes(), "JSON"),
        ("深集合.geojson", deep_gc.into_bytes(), "nested too deep"),
        (
            "越界.geojson",
            br#"{"type": "Point", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}, "coordinates": [500.0, 95.0]}"#
                .to_vec(),
            "lands on Earth",
        ),
        ("截断.kml", half_kml.to_vec(), "XML"),
        ("图片.kml", png.to_vec(), "UTF-8"),
        ("非kml.kml", b"<gpx><wpt/></gpx>".to_vec(), "not KML"),
        ("无标注.kml", b"<kml><Document/></kml>".to_vec(), "no Placemark"),
        (
            "坏坐标.kml",
            "<kml><Placemark><name>甲</name><Point><coordinates>abc,def</coordinates></Point></Placemark></kml>"
                .as_bytes()
                .to_vec(),
            "bad coordinate",
        ),
        (
            "无外环.kml",
            b"<kml><Placemark><Polygon><innerBoundaryIs/></Polygon></Placemark></kml>".to_vec(),
            "outerBoundaryIs",
        ),
        ("实体.kml", bomb.as_bytes().to_vec(), "XML"),
        ("截断.kmz", zip_of(&[("doc.kml", KML.as_bytes())])[..40].to_vec(), "zip"),
        ("图片.kmz", png.to_vec(), "zip"),
        ("无文档.kmz", zip_of(&[("readme.txt", b"hi")]), "no .kml"),
        ("巨大.kmz", kmz_declaring_4gib(), "refused"),
    ];
    for (name, bytes, why) in cases {
        let path = write(&dir, name, &bytes);
        let err = match try_load(&path) {
            Err(e) => e,
            Ok(l) => panic!("{name} loaded: {:?}", l[0].problems),
        };
        assert!(
            err.contains(name),
            "{name}: the message names the file: {err}"
        );
        assert!(err.contains(why), "{name}: expected {why:?} in {err}");
    }
}

#[test]
fn a_broken_feature_is_skipped_with_its_number_and_the_rest_load() {
    let dir = fresh_dir("partial");
    let body = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"名称": "好"}, "geometry": {"type": "Point", "coordinates": [122.8, 45.4]}},
      {"type": "Feature", "properties": {"名称": "坏"}, "geometry": {"type": "Polygon", "coordinates": [[[122.8, 45.4], [122.9]]]}},
      {"type": "Feature", "properties": {"名称": "怪"}, "geometry": {"type": "Circle", "coordinates": [1, 2]}}]}"#;
    let l = load_one(&write(&dir, "部分.geojson", body.as_bytes()));
    assert_eq!(l.layer.features.len(), 1);
    assert_eq!(text(&l, 0, "名称"), "好");
    assert!(
        l.problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("feature #2")),
        "{:?}",
        l.problems
    );
    assert!(
        l.problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("feature #3")),
        "{:?}",
        l.problems
    );
    let kml = "<kml><Placemark><name>好</name><Point><coordinates>122.8,45.4</coordinates></Point></Placemark>\
               <Placemark><name>坏</name><LineString><coordinates>122.8,45.4 x,y</coordinates></LineString></Placemark></kml>";
    let l = load_one(&write(&dir, "部分.kml", kml.as_bytes()));
    assert_eq!(l.layer.features.len(), 1);
    assert!(
        l.problems
            .iter()
            .any(|p| p.in_lang(Lang::En).contains("#2") && p.in_lang(Lang::En).contains("坏")),
        "{:?}",
        l.problems
    );
}

// ---------------------------------------------------------------------------------------------
// Formats not read, and unplaced layers
// ---------------------------------------------------------------------------------------------

#[test]
fn formats_not_read_are_named_with_what_to_convert_them_to() {
    let dir = fresh_dir("unsupported");
    let gdb = dir.join("矿权成果.gdb");
    std::fs::create_dir_all(&gdb).expect("gdb folder");
    let table = write(&gdb, "a00000009.gdbtable", b"\x03\0\0\0");
    let cases = [
        (gdb, "File Geodatabase", "GeoPackage"),
        (table, "File Geodatabase", "矿权成果.gdb"),
        (write(&dir, "宗地图.dwg", b"AC1032"), "DWG", "DXF"),
        (write(&dir, "矿区.wp", b"WMAP"), "MapGIS", "shapefile"),
        (write(&dir, "矿区.wl", b"WMAP"), "MapGIS", "shapefile"),
        (write(&dir, "矿区.wt", b"WMAP"), "MapGIS", "shapefile"),
    ];
    for (path, format, to) in cases {
        let e = catch_unwind(AssertUnwindSafe(|| {
            load_path(&path, &LoadOptions::default(), &Progress::default())
        }))
        .unwrap_or_else(|_| panic!("the loader panicked on {}", path.display()))
        .expect_err("not read");
        let (zh, en) = (e.words(Lang::Zh), e.words(Lang::En));
        let name = path.file_name().and_then(|n| n.to_str()).expect("name");
        for err in [&zh, &en] {
            assert!(err.contains(name) && err.contains(to), "{err}");
        }
        assert!(en.contains(format), "{en}");
        assert!(zh.contains("暂不支持"), "{zh}");
        assert!(
            en.contains("is not supported") || en.contains("are not supported"),
            "{en}"
        );
        assert!(!en.contains("不支持"), "{en}");
    }
}

/// A polygon in a local mine grid (small numbers, no CRS member).
const LOCAL_GRID: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"名称": "一号井田"}, "geometry": {"type": "Polygon", "coordinates": [[[1000, 2000], [1500, 2000], [1500, 2600], [1000, 2000]]]}},
  {"type": "Feature", "properties": {"名称": "二号井田"}, "geometry": {"type": "Point", "coordinates": [1200, 2300]}}]}"#;

#[test]
fn numbers_that_fit_no_crs_load_unplaced_and_a_chosen_crs_places_them() {
    let dir = fresh_dir("unplaced");
    let path = write(&dir, "矿区独立坐标.geojson", LOCAL_GRID.as_bytes());
    let l = load_one(&path);
    assert!(!l.layer.is_placed());
    assert_eq!(l.crs.epsg, None);
    assert_eq!(l.layer.features.len(), 2, "listed and counted");
    assert_eq!(
        text(&l, 1, "名称"),
        "二号井田",
        "the attribute table has its rows"
    );
    assert!(l.layer.extent().is_none(), "nothing to draw");
    assert!(l.layer.crs.in_both_languages().starts_with("坐标系未知"));
    assert!(
        l.warnings
            .iter()
            .any(|w| w.in_lang(Lang::Zh).contains("坐标系未知")),
        "{:?}",
        l.warnings
    );
    // Picking a CRS places it (the numbers are still nonsense for 4529: said so).
    let err = load_path(
        &path,
        &LoadOptions {
            epsg: Some(4529),
            ..LoadOptions::default()
        },
        &Progress::default(),
    );
    match err {
        Ok(l) => assert!(l[0].layer.is_placed()),
        Err(e) => assert!(e.file.contains("矿区独立坐标.geojson"), "{e:?}"),
    }

    // `info --json`: listed with its count and crs null.
    let layers = info_json_layers(&[path.as_os_str()]);
    let mine = layers.last().expect("the file's layer");
    assert_eq!(mine["name"], "矿区独立坐标");
    assert_eq!(mine["feature_count"], 2);
    assert!(mine["crs"].is_null(), "{mine}");
    assert_eq!(mine["placed"], false);
    assert!(
        layers[..layers.len() - 1]
            .iter()
            .all(|l| l["placed"] == true)
    );
}

#[test]
fn a_local_grid_is_placed_by_a_four_parameter_transform_file() {
    let dir = fresh_dir("transform");
    let path = write(&dir, "矿区独立坐标.geojson", LOCAL_GRID.as_bytes());
    // The first vertex, easting 1000 / northing 2000 in the mine grid, is the project's control
    // point (X = 5 021 800, Y = 41 481 600 in EPSG:4529): ΔX = 5 019 800, ΔY = 41 480 600.
    let typed = write(
        &dir,
        "四参数.toml",
        b"type = \"four\"\ntarget_epsg = 4529\ndx = 5019800.0\ndy = 41480600.0\nrotation_arcsec = 0.0\nscale_ppm = 0.0\n",
    );
    // The same, solved from two control points (the second 500 m east in both systems).
    let solved = write(
        &dir,
        "控制点.toml",
        "type = \"four\"\ntarget_epsg = 4529\n[[points]]\nname = \"K1\"\nlocal = [2000.0, 1000.0]\ntarget = [5021800.0, 41481600.0]\n[[points]]\nname = \"K2\"\nlocal = [2000.0, 1500.0]\ntarget = [5021800.0, 41482100.0]\n"
            .as_bytes(),
    );
    let want = control_lonlat();
    for file in [&typed, &solved] {
        let t = taonan_map::crs::grid_transform::GridTransform::read(file).expect("transform");
        let opts = LoadOptions {
            transform: Some(std::sync::Arc::new(t.spec)),
            ..LoadOptions::default()
        };
        let l = load_path(&path, &opts, &Progress::default()).expect("placed");
        let l = &l[0];
        assert!(l.layer.is_placed());
        assert_eq!(l.crs.epsg, Some(4529));
        assert!(
            l.crs.reason.in_lang(Lang::En).contains("four-parameter"),
            "{:?}",
            l.crs.reason
        );
        let c = first_coord(&l.layer.features[0].geometry);
        assert!(
            (c.x - want.0).abs() < DEG7 && (c.y - want.1).abs() < DEG7,
            "{c:?} vs PROJ {want:?}"
        );
    }
    // From the command line.
    let layers = info_json_layers(&["--transform".as_ref(), solved.as_os_str(), path.as_os_str()]);
    let mine = layers.last().expect("layer");
    assert_eq!(mine["placed"], true);
    let crs = mine["crs"].as_str().expect("crs text");
    assert!(crs.contains("K1") && crs.contains("RMS"), "{crs}");
    let ext = mine["extent"].as_array().expect("extent");
    assert!(
        (ext[0].as_f64().expect("lon") - want.0).abs() < 1e-6,
        "{ext:?}"
    );
}

/// A Beijing 1954 parcel in Gauss-Krüger zone 41 (Krassovsky, central meridian 123° E, Y with the
/// zone number), written without any CRS statement.
const BEIJING54: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"名称": "老矿区"}, "geometry": {"type": "Polygon", "coordinates": [[[41481600, 5021800], [41483600, 5021800], [41483600, 5024300], [41481600, 5021800]]]}},
  {"type": "Feature", "properties": {"名称": "井口"}, "geometry": {"type": "Point", "coordinates": [41482100.5, 5022900.25]}}]}"#;

/// Beijing 1954 → CGCS2000 magnitudes (position vector), invented for the test.
const SEVEN_TYPED: &str = "type = \"seven\"\nellipsoid = \"krass\"\ncentral_meridian = 123.0\nfalse_easting = 41500000.0\ntx = -15.8\nty = 151.3\ntz = 78.2\nrx_arcsec = 0.8\nry_arcsec = -1.9\nrz_arcsec = 2.6\nscale_ppm = 4.1\n";

/// Metres between two lon/lat points near Taonan (local flat approximation, fine at mm scale).
fn metres_apart(a: (f64, f64), b: (f64, f64)) -> f64 {
    let k = std::f64::consts::PI / 180.0 * 6_371_000.0;
    ((a.0 - b.0) * k * (a.1 * std::f64::consts::PI / 180.0).cos()).hypot((a.1 - b.1) * k)
}

fn every_coord(l: &LoadedLayer) -> Vec<(f64, f64)> {
    l.layer
        .features
        .iter()
        .flat_map(|f| f.geometry.coords_iter().map(|c| (c.x, c.y)))
        .collect()
}

/// A seven-parameter file of four control points: local Beijing-1954 numbers and where the
/// typed transform `t` puts them (lon, lat, h, from the same pipeline).
fn seven_control_points(t: &taonan_map::crs::grid_transform::GridTransform) -> String {
    let pipe = taonan_map::crs::pipeline::Pipeline::new(&t.proj_pipeline().expect("seven"))
        .expect("pipeline");
    let mut toml = "type = \"seven\"\nellipsoid = \"krass\"\ncentral_meridian = 123.0\nfalse_easting = 41500000.0\ntarget_epsg = 4490\n".to_owned();
    for (i, (e, n)) in [
        (41_470_000.0, 5_010_000.0),
        (41_495_000.0, 5_012_000.0),
        (41_480_000.0, 5_040_000.0),
        (41_500_000.0, 5_035_000.0),
    ]
    .iter()
    .enumerate()
    {
        let [lon, lat, h] = pipe.forward([*e, *n, 0.0]).expect("pipeline");
        toml.push_str(&format!(
            "[[points]]\nname = \"K{}\"\nlocal = [{n}, {e}]\ntarget = [{lon}, {lat}, {h}]\n",
            i + 1
        ));
    }
    toml
}

/// The seven-parameter transform applied to a layer agrees to 1 mm with PROJ's own CRS-to-CRS
/// path for the same parameters (a `+towgs84` definition, what `cs2cs` runs); solved from
/// control points it gives the parameters back and places the layer the same; the command line
/// takes the file.
#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario, its steps and checks in order"
)]
fn a_local_grid_is_placed_by_a_seven_parameter_transform() {
    let dir = fresh_dir("seven");
    let path = write(&dir, "北京54坐标.geojson", BEIJING54.as_bytes());
    let typed = write(&dir, "七参数.toml", SEVEN_TYPED.as_bytes());
    let t = taonan_map::crs::grid_transform::GridTransform::read(&typed).expect("transform");
    let opts = LoadOptions {
        transform: Some(std::sync::Arc::new(t.spec.clone())),
        ..LoadOptions::default()
    };
    let l = load_path(&path, &opts, &Progress::default()).expect("placed");
    let l = &l[0];
    assert!(l.layer.is_placed());
    assert_eq!(l.crs.epsg, Some(4490));
    assert!(
        l.crs.reason.in_lang(Lang::En).contains("seven-parameter")
            && l.crs.reason.in_lang(Lang::En).contains("position vector"),
        "{:?}",
        l.crs.reason
    );
    let oracle = taonan_map::crs::transform(
        "+proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=41500000 +y_0=0 +ellps=krass +towgs84=-15.8,151.3,78.2,0.8,-1.9,2.6,4.1 +units=m +no_defs +type=crs",
        "+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs +type=crs",
    )
    .expect("PROJ");
    let local: Vec<(f64, f64)> = [
        (41_481_600.0, 5_021_800.0),
        (41_483_600.0, 5_021_800.0),
        (41_483_600.0, 5_024_300.0),
        (41_481_600.0, 5_021_800.0),
        (41_482_100.5, 5_022_900.25),
    ]
    .to_vec();
    let got = every_coord(l);
    assert_eq!(got.len(), local.len());
    let mut worst: f64 = 0.0;
    for (g, p) in got.iter().zip(&local) {
        let want = oracle.convert(*p).expect("PROJ converts");
        worst = worst.max(metres_apart(*g, want));
    }
    eprintln!("seven parameters vs PROJ cs2cs path: worst {worst:.3e} m");
    assert!(worst < 1e-3, "{worst} m from PROJ's cs2cs path");
    // The datum shift is real: a Krassovsky-to-GRS80 change without the parameters is metres off.
    let no_shift = taonan_map::crs::transform(
        "+proj=tmerc +lat_0=0 +lon_0=123 +k=1 +x_0=41500000 +y_0=0 +ellps=krass +towgs84=0,0,0 +units=m +no_defs +type=crs",
        "+proj=longlat +ellps=GRS80 +towgs84=0,0,0 +no_defs +type=crs",
    )
    .expect("PROJ")
    .convert(local[0])
    .expect("PROJ converts");
    assert!(metres_apart(got[0], no_shift) > 10.0);

    let toml = seven_control_points(&t);
    let solved_file = write(&dir, "七参数控制点.toml", toml.as_bytes());
    let s = taonan_map::crs::grid_transform::GridTransform::read(&solved_file).expect("solves");
    assert!(s.rms < 1e-3, "RMS {} m", s.rms);
    assert_eq!(s.residuals.len(), 4);
    let opts = LoadOptions {
        transform: Some(std::sync::Arc::new(s.spec.clone())),
        ..LoadOptions::default()
    };
    let again = load_path(&path, &opts, &Progress::default()).expect("placed");
    for (a, b) in every_coord(&again[0]).iter().zip(&got) {
        assert!(metres_apart(*a, *b) < 1e-3, "{a:?} vs {b:?}");
    }
    assert!(
        again[0].crs.reason.in_lang(Lang::En).contains("K4"),
        "{:?}",
        again[0].crs.reason
    );

    // From the command line.
    let layers = info_json_layers(&["--transform".as_ref(), typed.as_os_str(), path.as_os_str()]);
    let mine = layers.last().expect("layer");
    assert_eq!(mine["placed"], true);
    assert!(
        mine["crs"]
            .as_str()
            // Worded in the command line's language (Chinese unless `--lang en`).
            .is_some_and(|c| c.contains("七参数转换")),
        "{mine}"
    );
}
