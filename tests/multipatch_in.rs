//! MultiPatch shapefiles (3D buildings, mine pits) read as polygons, as GDAL reads them: a
//! shapefile of MultiPatch shapes written by the `shapefile` crate loads through the loader,
//! its footprints placed by PROJ.

use geo::{Area, Geometry};
use shapefile::{Multipatch, Patch, PointZ, ShapeWriter};
use taonan_map::crs;
use taonan_map::io::loader::{LoadOptions, Progress, load_path};

#[test]
fn a_multipatch_shapefile_loads_as_polygons() {
    let root = std::env::temp_dir().join(format!("taonan-multipatch-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = root.join("三维");
    std::fs::create_dir_all(&dir).expect("dir");
    let (e, n) = (41_440_000.0, 5_060_000.0);
    let pz = |x: f64, y: f64, z: f64| PointZ::new(e + x, n + y, z, 0.0);
    // A 100 m square roof as a triangle strip over 10 m high walls (a strip standing on edge).
    let roof = Patch::TriangleStrip(vec![
        pz(0.0, 0.0, 10.0),
        pz(100.0, 0.0, 10.0),
        pz(0.0, 100.0, 10.0),
        pz(100.0, 100.0, 10.0),
    ]);
    let wall = Patch::TriangleStrip(vec![
        pz(0.0, 0.0, 0.0),
        pz(0.0, 0.0, 10.0),
        pz(100.0, 0.0, 0.0),
        pz(100.0, 0.0, 10.0),
    ]);
    let pit = Patch::OuterRing(vec![
        pz(200.0, 0.0, 0.0),
        pz(260.0, 0.0, 0.0),
        pz(260.0, 60.0, 0.0),
        pz(200.0, 60.0, 0.0),
        pz(200.0, 0.0, 0.0),
    ]);
    let shapes = [
        Multipatch::with_parts(vec![roof, wall]),
        Multipatch::with_parts(vec![pit]),
    ];
    let path = dir.join("建筑.shp");
    ShapeWriter::from_path(&path)
        .expect("writer")
        .write_shapes(&shapes)
        .expect("write");
    let layers = load_path(&path, &LoadOptions::default(), &Progress::default()).expect("loads");
    let l = &layers[0];
    assert_eq!(l.crs.epsg, Some(4529));
    assert_eq!(l.layer.features.len(), 2);
    let Geometry::MultiPolygon(roof) = &l.layer.features[0].geometry else {
        panic!("multipolygon")
    };
    assert_eq!(
        roof.0.len(),
        2,
        "two roof triangles; the wall has no footprint"
    );
    let m2 = taonan_map::analysis::measure::area_km2(&l.layer.features[1].geometry) * 1e6;
    assert!((m2 - 3600.0).abs() < 3.6, "{m2}");
    assert!(roof.unsigned_area() > 0.0);
    let proj = crs::transform("EPSG:4529", "EPSG:4490").expect("PROJ");
    let (lon, lat) = proj.convert((e, n)).expect("PROJ converts");
    let c = roof.0[0].exterior().0[0];
    assert!(
        (c.x - lon).abs() < 1e-9 && (c.y - lat).abs() < 1e-9,
        "{c:?}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
