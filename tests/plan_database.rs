//! The plan's database in place of the schematic zones: a database written by the test from
//! the bundled zones (`plan::database_fixture`: shifted irregular shapes, codes on some, names
//! with full-width / space / 洮南市 variants on others, one extra polygon, one zone given twice)
//! is matched, fixed by hand, applied, checked and exported.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value as Json;
use taonan_map::analysis::measure::area_km2;
use taonan_map::io::loader::{LoadOptions, Progress};
use taonan_map::model::catalog::Catalog;
use taonan_map::model::{LayerRole, ProvenanceKind};
use taonan_map::plan::apply_database::{DB_PREFIX, MATCH_FIELD, UNMATCHED_ZH};
use taonan_map::plan::database::{AppliedPlan, PlanDatabase, apply_to};
use taonan_map::plan::database_fixture::{
    EXPECTED, write_complete_plan_database, write_plan_database,
};
use taonan_map::plan::zone_match::{How, Override};
use taonan_map::plan::zone_names::name_of;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "taonan-plan-db-{name}-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn fixture(name: &str) -> Vec<PathBuf> {
    write_plan_database(&temp_dir(name).join("规划数据库")).expect("fixture")
}

fn applied(files: &[PathBuf], overrides: &[Override]) -> AppliedPlan {
    let db = PlanDatabase::read(files, &LoadOptions::default(), &Progress::default());
    assert!(db.errors.is_empty(), "{:?}", db.errors);
    let bundled = taonan_map::plan::bundled::load_all().expect("bundled");
    apply_to(bundled, db, overrides)
}

/// The polygon of the database named `name` (its `GHQMC`).
fn polygon_named(a: &AppliedPlan, name: &str) -> taonan_map::plan::zone_match::PolygonRef {
    a.database
        .refs()
        .find(|r| a.database.feature(*r).and_then(name_of).as_deref() == Some(name))
        .expect(name)
}

#[test]
fn matching_by_code_by_name_unmatched_and_conflicts() {
    let a = applied(&fixture("match"), &[]);
    let t = &a.table;
    let by_code: Vec<&str> = t
        .matched
        .iter()
        .filter(|m| m.how == How::Code)
        .map(|m| m.zone.as_str())
        .collect();
    assert_eq!(by_code, EXPECTED.by_code);
    assert_eq!(
        t.matched.iter().filter(|m| m.how == How::Name).count(),
        EXPECTED.by_name_count
    );
    // Every key zone (names "洮南市…", "洮南…", with spaces) and 大通乡-spelt blocks found.
    for id in ["Z1", "Z2", "Z3", "M14", "M15"] {
        assert!(t.matched_for(id).is_some(), "{id} not matched: {t:?}");
    }
    assert_eq!(t.unmatched_zones, [EXPECTED.unmatched_zone]);
    assert_eq!(t.unmatched_polygons.len(), 1);
    let extra = t.unmatched_polygons[0].polygon;
    assert_eq!(
        a.database.feature(extra).and_then(name_of).as_deref(),
        Some(EXPECTED.unmatched_polygon)
    );
    assert_eq!(t.conflicts.len(), 1);
    assert_eq!(t.conflicts[0].zone, EXPECTED.conflict);
    let hows: Vec<How> = t.conflicts[0].polygons.iter().map(|p| p.1).collect();
    assert_eq!(hows, [How::Code, How::Name]);
}

#[test]
fn a_manual_fix_settles_the_conflict_and_places_the_extra_polygon() {
    let files = fixture("override");
    let first = applied(&files, &[]);
    let by_name = first.table.conflicts[0].polygons[1].0;
    let extra = first.table.unmatched_polygons[0].polygon;
    let a = applied(
        &files,
        &[
            Override {
                polygon: by_name,
                zone: None,
            },
            Override {
                polygon: extra,
                zone: Some("E5".into()),
            },
        ],
    );
    let t = &a.table;
    assert!(t.conflicts.is_empty(), "{t:?}");
    assert_eq!(t.matched_for("CS002").map(|m| m.how), Some(How::Code));
    assert_eq!(t.matched_for("E5").map(|m| m.how), Some(How::Manual));
    assert!(t.unmatched_zones.is_empty());
    assert_eq!(t.unmatched_polygons.len(), 1);
    assert_eq!(t.unmatched_polygons[0].polygon, by_name);
}

#[test]
fn matched_zones_take_the_database_geometry_and_provenance() {
    let files = fixture("apply");
    let a = applied(&files, &[]);
    let layer = |r: LayerRole| a.layers.iter().find(|l| l.role == r).expect("layer");
    let key = layer(LayerRole::KeyZones);
    let z3 = &key.features[2];
    assert_eq!(z3.provenance.kind, ProvenanceKind::Real);
    assert!(!z3.is_schematic());
    assert!(
        z3.provenance.source.contains("重点开采区.shp"),
        "{}",
        z3.provenance.source
    );
    // The plan's attributes kept, the database's beside them, the schematic ones gone.
    assert_eq!(
        z3.attr("GHQMC").and_then(|v| v.as_text()),
        Some("吉林省白城市洮南市蛟流河乡煤炭重点开采区")
    );
    assert_eq!(
        z3.attr(&format!("{DB_PREFIX}GHQMC"))
            .and_then(|v| v.as_text()),
        Some("吉林省白城市洮南市蛟流河乡 煤炭 重点开采区")
    );
    assert!(z3.attr("SYMJ").is_none() && z3.attr("SYSM").is_none());
    assert_eq!(z3.attr("SJXZ").and_then(|v| v.as_text()), Some("真实"));
    // The geometry is the database's: its area is the database's own MJ, not the plan's 19.89.
    let db_mj = match z3.attr(&format!("{DB_PREFIX}MJ")) {
        Some(taonan_map::model::ValueRef::Number(n)) => n,
        other => panic!("MJ: {other:?}"),
    };
    let a_km2 = area_km2(&z3.geometry);
    assert!((a_km2 - db_mj).abs() < 1e-3, "{a_km2} vs {db_mj}");
    assert!(
        (a_km2 - 19.89).abs() > 0.01,
        "{a_km2}: the schematic square's area"
    );
    // The unmatched zone stays schematic and says so; the extra polygon is kept, unchecked.
    let e5 = &layer(LayerRole::ExplorationBlocks).features[4];
    assert!(e5.is_schematic());
    assert_eq!(
        e5.attr(MATCH_FIELD).and_then(|v| v.as_text()),
        Some(UNMATCHED_ZH)
    );
    let left = a.layers.last().expect("layers");
    assert_eq!(
        left.analysis_role.as_deref(),
        Some("plan_database_unmatched")
    );
    assert_eq!(left.features.len(), 3, "the extra polygon and CS002's two");
    let _ = polygon_named(&a, EXPECTED.unmatched_polygon);
}

/// The same-layer overlap of 野马乡's two tuff blocks exists only with the database's shapes.
#[test]
fn checks_run_against_the_database_geometry() {
    let rules = taonan_map::analysis::rules::Rules::builtin();
    let overlap = |catalog: &Catalog| {
        let findings = taonan_map::analysis::overlap::analyze_catalog(catalog, |_| true, &rules);
        findings.findings.iter().any(|f| {
            let n = |r| {
                catalog
                    .feature(r)
                    .map(|x| x.display_name(0))
                    .unwrap_or_default()
            };
            let names = [n(f.a), f.b.map(n).unwrap_or_default()];
            &*f.relation == "两个开采规划区块相互重叠"
                && EXPECTED
                    .overlapping
                    .iter()
                    .all(|o| names.iter().any(|x| x == o))
        })
    };
    let bundled = Catalog::new(taonan_map::plan::bundled::load_all().expect("bundled"));
    assert!(!overlap(&bundled), "the schematic squares do not overlap");
    let a = applied(&fixture("check"), &[]);
    assert!(overlap(&Catalog::new(a.layers)), "the database's shapes do");
}

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

fn plan_args(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| ["--plan".to_owned(), f.display().to_string()])
        .collect()
}

#[test]
fn info_json_shows_each_zones_provenance_and_match() {
    let files = fixture("info");
    let mut args = vec!["info".to_owned(), "--json".into(), "--features".into()];
    args.extend(plan_args(&files));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let v: Json = serde_json::from_str(&out).expect("JSON");
    let layer = |r: &str| {
        v["layers"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["role"] == r))
            .expect(r)
            .clone()
    };
    let key = layer("key_zones");
    assert_eq!(key["schematic_count"], 0);
    let z1 = &key["features"][0];
    assert_eq!(z1["provenance"]["kind"], "real");
    assert!(
        z1["provenance"]["source"]
            .as_str()
            .is_some_and(|s| s.contains("重点开采区.shp"))
    );
    assert_eq!(z1["plan_match"]["status"], "matched");
    assert_eq!(z1["plan_match"]["how"], "name");
    assert_eq!(z1["plan_match"]["schematic"], false);
    // The database's area against the plan's published 8.20 km².
    let vs = &z1["plan_match"]["area_vs_plan"];
    assert_eq!(vs["published_km2"], 8.2);
    let d = vs["difference_km2"].as_f64().expect("difference");
    let area = z1["area_km2"].as_f64().expect("area");
    assert!((area - 8.2 - d).abs() < 1e-5, "{area} {d}");
    let cs = layer("concentrated_zones");
    assert_eq!(cs["features"][0]["plan_match"]["how"], "code");
    assert_eq!(cs["features"][1]["plan_match"]["status"], "conflict");
    assert_eq!(cs["features"][1]["provenance"]["kind"], "schematic");
    assert!(cs["features"][1]["plan_match"]["area_vs_plan"].is_null());
    let ex = layer("exploration_blocks");
    assert_eq!(ex["schematic_count"], 1);
    assert_eq!(ex["features"][4]["plan_match"]["status"], "unmatched");
    assert_eq!(ex["features"][4]["provenance"]["kind"], "schematic");
    let table = &v["plan_database"];
    assert_eq!(table["unmatched_zones"][0]["id"], "E5");
    assert_eq!(table["conflicts"][0]["zone"]["id"], "CS002");
    assert_eq!(
        table["unmatched_polygons"][0]["polygon"]["name"],
        EXPECTED.unmatched_polygon
    );
    // Without --plan nothing says a match.
    let (_, out, _) = run(&["info", "--json", "--features"]);
    let v: Json = serde_json::from_str(&out).expect("JSON");
    assert!(v.get("plan_database").is_none());
    assert!(v["layers"][3]["features"][0]["plan_match"].is_null());
}

#[test]
fn check_with_the_plan_database_finds_the_real_overlap() {
    let files = fixture("cli-check");
    let mut args = vec!["check".to_owned(), "--json".into()];
    args.extend(plan_args(&files));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&args);
    assert_eq!(code, 1, "an error-level overlap: {err}");
    let v: Json = serde_json::from_str(&out).expect("JSON");
    let hit = v["findings"].as_array().expect("findings").iter().any(|f| {
        f["relation"] == "两个开采规划区块相互重叠"
            && f["a"]["schematic"] == false
            && f["b"]["schematic"] == false
    });
    assert!(hit, "{out}");
    let (code, _, _) = run(&["check"]);
    assert_eq!(code, 0, "the bundled plan alone has no error");
}

#[test]
fn an_export_drops_the_schematic_note_when_every_zone_is_matched() {
    let dir = temp_dir("export");
    let complete = write_complete_plan_database(&dir.join("完整库")).expect("fixture");
    let partial = write_plan_database(&dir.join("部分库")).expect("fixture");
    for (files, schematic) in [(complete, false), (partial, true)] {
        let out = dir.join(format!("map-{schematic}.svg"));
        let mut args = vec![
            "export".to_owned(),
            "--no-basemap".into(),
            "--width".into(),
            "400".into(),
            "--height".into(),
            "300".into(),
            "--out".into(),
            out.display().to_string(),
        ];
        args.extend(plan_args(&files));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let svg = std::fs::read_to_string(&out).expect("svg");
        assert_eq!(svg.contains("class=\"schematic-note\""), schematic);
        assert_eq!(stdout.contains("示意"), schematic, "{stdout}");
    }
}

/// A database file that is not there is an error naming it; the rest still apply.
#[test]
fn a_missing_database_file_is_named_and_the_others_apply() {
    let mut files = fixture("missing");
    let gone = files[0].with_file_name("不存在.shp");
    files.push(gone.clone());
    let mut args = vec!["info".to_owned(), "--json".into()];
    args.extend(plan_args(&files));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = run(&args);
    assert_eq!(code, 1);
    assert!(err.contains("不存在.shp"), "{err}");
    let v: Json = serde_json::from_str(&out).expect("JSON");
    assert_eq!(
        v["plan_database"]["matched"].as_array().map(Vec::len),
        Some(25)
    );
}
