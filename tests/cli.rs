//! The command line, run as a user would: `taonan-map info …`.

use std::process::Command;

use serde_json::Value;

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
fn info_json_features_lists_every_layer_and_feature() {
    let (code, out, err) = run(&["info", "--json", "--features"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let layers = v["layers"].as_array().expect("layers list");
    assert_eq!(layers.len(), 7);
    for l in layers {
        for key in [
            "name",
            "role",
            "source",
            "crs",
            "encoding",
            "feature_count",
            "extent",
            "features",
        ] {
            assert!(l.get(key).is_some(), "layer lacks {key}: {l}");
        }
        assert_eq!(l["extent"].as_array().map(Vec::len), Some(4));
        assert_eq!(
            l["feature_count"].as_u64(),
            l["features"].as_array().map(|f| f.len() as u64)
        );
        assert!(
            l["crs"].as_str().is_some_and(|c| c.contains("4490")),
            "{}",
            l["crs"]
        );
        assert!(
            l["encoding"]
                .as_str()
                .is_some_and(|c| c.starts_with("UTF-8")),
            "{}",
            l["encoding"]
        );
    }
    let by_role = |r: &str| layers.iter().find(|l| l["role"] == r).expect(r);
    let cs = by_role("concentrated_zones");
    assert_eq!(cs["name"], "集中开采区");
    assert_eq!(cs["schematic_count"], 2);
    let cs002 = &cs["features"][1];
    assert_eq!(cs002["attributes"]["GHQBH"], "CS002");
    assert_eq!(
        cs002["attributes"]["GHQMC"],
        "洮南市蛟流河乡建筑用砂集中开采区"
    );
    let area = cs002["area_km2"].as_f64().expect("area");
    assert!((area - 29.617).abs() / 29.617 < 0.005, "{area}");
    assert_eq!(cs002["provenance"]["kind"], "schematic");
    let c = cs002["centroid"].as_array().expect("centroid");
    let (lon, lat) = (c[0].as_f64().unwrap_or(0.0), c[1].as_f64().unwrap_or(0.0));
    assert!(
        (121.6..123.4).contains(&lon) && (45.0..46.1).contains(&lat),
        "{lon} {lat}"
    );
    let b = by_role("boundary");
    assert_eq!(b["feature_count"], 1);
    assert_eq!(b["features"][0]["provenance"]["kind"], "real");
    assert!(
        b["features"][0]["provenance"]["source"]
            .as_str()
            .is_some_and(|s| s.contains("GCJ-02"))
    );
}

#[test]
fn info_text_names_layers_and_marks_schematic() {
    let (code, out, _) = run(&["info"]);
    assert_eq!(code, 0);
    for name in taonan_map::plan::bundled::LAYERS.iter().map(|b| b.name_zh) {
        assert!(out.contains(name), "{name} missing in:\n{out}");
    }
    assert!(out.contains("要素数：17（其中示意 17）"), "{out}");
    // The same report in English with --lang en, wherever it stands.
    let (code, en, _) = run(&["info", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(en.contains("features: 17 (17 schematic)"), "{en}");
    assert!(!en.contains("要素数"), "{en}");
    let (_, en_after, _) = run(&["--lang=en", "info"]);
    assert_eq!(en_after, en);
}

#[test]
fn the_usage_is_in_the_chosen_language() {
    let (code, zh, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        zh.starts_with("taonan-map — 洮南市矿产资源规划图\n\n用法"),
        "{zh}"
    );
    let (code, en, _) = run(&["--help", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(en.contains("USAGE") && en.contains("--lang zh|en"), "{en}");
    assert!(!en.contains("用法"), "{en}");
}

#[test]
fn a_missing_file_is_named_and_the_bundled_layers_still_load() {
    let (code, out, err) = run(&["info", "--json", "no/such/矿权.shp"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("错误：no/such/矿权.shp：无法读取：")
            || err.contains("错误：no/such/矿权.shp：不"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["layers"].as_array().map(Vec::len), Some(7));
    // In English the same error is worded in English only.
    let (code, _, err) = run(&["info", "--json", "--lang", "en", "no/such/矿权.shp"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: no/such/矿权.shp: cannot read: "),
        "{err}"
    );
    assert!(!err.contains("无法读取"), "{err}");
    // A --lang that is neither is refused before anything runs.
    let (code, _, err) = run(&["info", "--lang", "fr"]);
    assert_eq!(code, 2);
    assert!(err.contains("--lang"), "{err}");
}

/// Write zone-41 squares (centre X, centre Y, side m, name) of sand mines: see `fixtures`.
fn write_squares(
    dir: &std::path::Path,
    stem: &str,
    squares: &[(f64, f64, f64, &str)],
) -> std::path::PathBuf {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let squares: Vec<Square> = squares
        .iter()
        .map(|&(x, y, side, name)| Square {
            x,
            y,
            side,
            name,
            mineral: "建筑用砂",
        })
        .collect();
    write_zone41_squares(dir, stem, &squares).expect("write fixture")
}

#[test]
fn a_shapefile_argument_is_loaded_on_top() {
    // A zone-41 shapefile set with a .prj, in a folder with a Chinese name.
    let dir = std::env::temp_dir()
        .join(format!("taonan-cli-{}", std::process::id()))
        .join("测绘成果");
    let path = write_squares(
        &dir,
        "采矿权",
        &[(5_021_800.0, 41_481_600.0, 1000.0, "测试采矿权")],
    );
    let (code, out, err) = run(&[
        "info",
        "--json",
        "--features",
        path.to_str().expect("utf8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let l = &v["layers"][7];
    assert_eq!(l["role"], "loaded");
    assert!(
        l["crs"].as_str().is_some_and(|c| c.contains("EPSG:4529")),
        "{}",
        l["crs"]
    );
    let f = &l["features"][0];
    assert_eq!(f["attributes"]["KSMC"], "测试采矿权");
    assert_eq!(f["attributes"]["KCKZ"], "建筑用砂");
    assert_eq!(f["provenance"]["kind"], "surveyed");
    let xy = &f["centroid_zone41"];
    assert!(
        (xy["x"].as_f64().unwrap_or(0.0) - 5_021_800.0).abs() < 0.05,
        "{xy}"
    );
    assert!(
        (xy["y"].as_f64().unwrap_or(0.0) - 41_481_600.0).abs() < 0.05,
        "{xy}"
    );
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn proj_is_immune_to_a_stale_proj_data() {
    // An older PROJ's data folder: its proj.db is not ours (here: not even a database).
    let stale = std::env::temp_dir().join(format!("taonan-stale-proj-{}", std::process::id()));
    std::fs::create_dir_all(&stale).expect("dir");
    std::fs::write(stale.join("proj.db"), b"SQLite format 3\0 but from PROJ 6").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args(["info", "--json", "--features"])
        .env("PROJ_DATA", &stale)
        .env("PROJ_LIB", &stale)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let xy = &v["layers"][1]["features"][0]["centroid_zone41"];
    let x = xy["x"]
        .as_f64()
        .expect("zone-41 X computed through PROJ despite PROJ_DATA");
    assert!((4_989_000.0..5_100_000.0).contains(&x), "{x}");
    let _ = std::fs::remove_dir_all(stale);
}

#[test]
fn check_on_the_bundled_data_reports_only_the_plans_nesting() {
    let (code, out, err) = run(&["check", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["counts"]["error"], 0);
    assert_eq!(v["counts"]["warning"], 0);
    assert_eq!(v["counts"]["info"], 4);
    for f in v["findings"].as_array().expect("findings") {
        assert_eq!(f["rule"], "containment");
        assert!(f["area_m2"].as_f64().is_some_and(|a| a > 0.0));
        assert_eq!(f["a"]["role"], "mining_blocks");
    }
}

#[test]
fn check_fails_on_overlapping_surveyed_rights() {
    let dir = std::env::temp_dir()
        .join(format!("taonan-check-{}", std::process::id()))
        .join("报件");
    // Two 1 km squares 600 m apart east-west: they overlap by 400 m × 1000 m ≈ 0.4 km².
    let path = write_squares(
        &dir,
        "采矿权申请",
        &[
            (5_060_000.0, 41_440_000.0, 1000.0, "甲矿"),
            (5_060_000.0, 41_440_600.0, 1000.0, "乙矿"),
        ],
    );
    let (code, out, err) = run(&["check", "--json", path.to_str().expect("utf8 path")]);
    assert_eq!(code, 1, "an error-level finding must fail the check: {err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let errors: Vec<&Value> = v["findings"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{out}");
    let f = errors[0];
    assert_eq!(f["relation"], "两个采矿权相互重叠");
    assert_eq!(f["a"]["name"], "甲矿");
    assert_eq!(f["b"]["name"], "乙矿");
    let area = f["area_m2"].as_f64().expect("area");
    assert!((area - 400_000.0).abs() / 400_000.0 < 0.001, "{area}");
    let (text_code, text, _) = run(&["check", path.to_str().expect("utf8 path")]);
    assert_eq!(text_code, 1);
    assert!(text.contains("[错误] 两个采矿权相互重叠"), "{text}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn check_reports_the_plan_conformance_of_a_mining_right() {
    let dir = std::env::temp_dir().join(format!("taonan-conf-{}", std::process::id()));
    // A 200 m sand right at the centre of 蛟流河乡's first sand mining block (inside CS002).
    let path = write_squares(
        &dir,
        "采矿权",
        &[(5_043_400.0, 41_452_400.0, 200.0, "丙砂场")],
    );
    let (code, out, err) = run(&["check", "--json", path.to_str().expect("utf8 path")]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("JSON");
    let c = &v["conformance"][0];
    assert_eq!(c["feature"]["name"], "丙砂场");
    assert_eq!(c["mineral"], "建筑用砂");
    let checks: Vec<(bool, String)> = c["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .map(|k| {
            (
                k["ok"].as_bool().unwrap_or(false),
                k["text"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        checks[0],
        (
            true,
            "位于同矿种开采规划区块内：建筑用砂开采规划区块1（蛟流河乡）".to_owned()
        ),
        "{checks:?}"
    );
    assert_eq!(checks[1], (true, "不与勘查规划区块重叠".to_owned()));
    assert_eq!(
        checks[3],
        (
            true,
            "位于集中开采区「洮南市蛟流河乡建筑用砂集中开采区」内".to_owned()
        )
    );
    assert_eq!(checks[4], (true, "位于洮南市界内".to_owned()));
    let targets = c["targets"].to_string();
    assert!(targets.contains("专栏9：建筑用砂最低开采规模"), "{targets}");
    assert!(targets.contains("不低于30万立方米/年"), "{targets}");
    let _ = std::fs::remove_dir_all(dir);
}
