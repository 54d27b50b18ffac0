//! The test shapefiles of two other shapefile libraries (shapefile-rs and pyshp,
//! `tests/data/other_libraries/`) open as those libraries open them: every feature, numbered
//! when the `.dbf` or `.shx` is missing, unplaced (CRS unknown) when the numbers say nothing of
//! where they are, and a zip holding no shapefile refused with a message naming it. The feature
//! counts are pyshp 3.1.6's reading of the same files.

use std::path::{Path, PathBuf};

use taonan_map::io::loader::{LoadOptions, Progress, load_path};
use taonan_map::text::Lang;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/other_libraries")
        .join(rel)
}

/// A layer as expected: (name, features as pyshp counts them, placed).
type Layer = (&'static str, usize, bool);

/// Each file and the layers it gives.
const EXPECTED: &[(&str, &[Layer])] = &[
    ("shapefile-rs/file_cp936.shp", &[("file_cp936", 1, true)]),
    ("shapefile-rs/line.shp", &[("line", 1, true)]),
    ("shapefile-rs/linem.shp", &[("linem", 1, true)]),
    ("shapefile-rs/linez.shp", &[("linez", 1, true)]),
    (
        "shapefile-rs/multi_polygon.shp",
        &[("multi_polygon", 1, true)],
    ),
    ("shapefile-rs/multipatch.shp", &[("multipatch", 1, true)]),
    ("shapefile-rs/multipoint.shp", &[("multipoint", 1, true)]),
    ("shapefile-rs/multipointz.shp", &[("multipointz", 1, false)]),
    (
        "shapefile-rs/ne_10m_lakes_north_america.shp",
        &[("ne_10m_lakes_north_america", 1162, true)],
    ),
    ("shapefile-rs/point.shp", &[("point", 1, true)]),
    ("shapefile-rs/pointm.shp", &[("pointm", 2, false)]),
    ("shapefile-rs/pointz.shp", &[("pointz", 2, false)]),
    ("shapefile-rs/polygon.shp", &[("polygon", 1, true)]),
    (
        "shapefile-rs/polygon_hole.shp",
        &[("polygon_hole", 1, true)],
    ),
    ("shapefile-rs/polygonm.shp", &[("polygonm", 1, false)]),
    ("shapefile-rs/polygonz.shp", &[("polygonz", 1, false)]),
    ("pyshp/blockgroups.shp", &[("blockgroups", 663, true)]),
    (
        "pyshp/corrupt_too_long.shp",
        &[("corrupt_too_long", 10, true)],
    ),
    ("pyshp/latin1.shp", &[("latin1", 1, true)]),
    ("pyshp/REL.zip", &[("releaseArea20090407", 1, true)]),
    (
        "pyshp/blockgroups_multishapefile.zip",
        &[("blockgroups", 663, true), ("blockgroups2", 663, true)],
    ),
];

#[test]
fn the_test_files_of_shapefile_rs_and_pyshp_open() {
    for (file, want) in EXPECTED {
        let layers = load_path(&data(file), &LoadOptions::default(), &Progress::default())
            .unwrap_or_else(|e| panic!("{file}: {}", e.words(Lang::En)));
        let got: Vec<(String, usize, bool)> = layers
            .iter()
            .map(|l| {
                (
                    l.layer.name_zh.clone(),
                    l.layer.features.len(),
                    l.layer.is_placed(),
                )
            })
            .collect();
        let want: Vec<(String, usize, bool)> = want
            .iter()
            .map(|(n, c, p)| ((*n).to_owned(), *c, *p))
            .collect();
        assert_eq!(got, want, "{file}");
    }
}

#[test]
fn a_missing_dbf_or_shx_is_said_and_the_features_are_numbered() {
    // shapefile-rs's line.shp comes without a .dbf; linem.shp without a .dbf and a .shx;
    // file_cp936.shp has both.
    for (file, dbf, shx) in [
        ("shapefile-rs/line.shp", true, false),
        ("shapefile-rs/linem.shp", true, true),
        ("shapefile-rs/file_cp936.shp", false, false),
    ] {
        let layers = load_path(&data(file), &LoadOptions::default(), &Progress::default())
            .unwrap_or_else(|e| panic!("{file}: {}", e.words(Lang::En)));
        let l = &layers[0];
        let said = |what: &str| {
            l.problems
                .iter()
                .any(|p| p.in_lang(Lang::En).contains(what))
        };
        assert_eq!(
            (
                said("the .dbf attribute file is missing"),
                said("the .shx index file is missing")
            ),
            (dbf, shx),
            "{file}: {:?}",
            l.problems
        );
        assert!(!l.layer.features.is_empty(), "{file}");
    }
}

#[test]
fn a_zip_without_a_shapefile_is_refused_naming_it() {
    let e = load_path(
        &data("pyshp/empty_zipfile.zip"),
        &LoadOptions::default(),
        &Progress::default(),
    )
    .expect_err("nothing to load");
    let e = e.words(Lang::En);
    assert!(e.contains("empty_zipfile.zip"), "{e}");
    assert!(e.contains("it holds no shapefile set"), "{e}");
}
