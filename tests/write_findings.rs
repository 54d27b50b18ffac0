//! Findings out (CSV with BOM, Excel read back with calamine, the polygons in the layer
//! formats) and the command line (`convert`, `check --out`) run as a user would.

mod write_support;
use write_support::*;

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
#[allow(
    clippy::too_many_lines,
    reason = "one scenario, its steps and checks in order"
)]
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
    assert_eq!(row[1], Data::String(f0.rule.as_str().into()));
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
    assert!(e.in_lang(taonan_map::text::Lang::En).contains("--force"));
}

// ---------- the command line ----------

/// Run a command the way `main` does (parse, then the command), in this process: the test
/// does not depend on which build of the binary sits in a shared target folder.
fn run(args: &[&str]) -> i32 {
    use taonan_map::cli::{self, Command};
    use taonan_map::text::Lang;
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    match cli::parse(&args) {
        Ok(Command::Convert(spec)) => cli::convert::run(&spec, Lang::Zh),
        Ok(Command::Check {
            json,
            files,
            opts,
            report,
            out,
            force,
        }) => cli::check(
            json,
            &files,
            &opts,
            report.as_ref(),
            out.as_deref(),
            force,
            Lang::Zh,
        ),
        Ok(other) => panic!("another command: {other:?}"),
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn convert_end_to_end_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().expect("tmp");
    let [poly, _, _] = fixtures(dir.path());
    let out = dir.path().join("转换.gpkg");
    let (p, o) = (poly.to_str().expect("utf8"), out.to_str().expect("utf8"));
    assert_eq!(run(&["convert", p, o]), 0);
    let before = std::fs::read(&out).expect("written");
    assert_eq!(run(&["convert", p, o]), 2, "refused without --force");
    assert_eq!(std::fs::read(&out).expect("kept"), before);
    assert_eq!(run(&["convert", p, o, "--force", "--to-crs", "4529"]), 0);
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
    assert_eq!(
        run(&[
            "convert",
            "bundled:mining_blocks",
            kml.to_str().expect("utf8")
        ]),
        0
    );
    let text = std::fs::read_to_string(&kml).expect("kml");
    assert!(text.contains("<Data name=\"SJXZ\"><value>示意</value></Data>"));
    // check --out
    let csv = dir.path().join("检查.csv");
    assert_eq!(run(&["check", "--out", csv.to_str().expect("utf8")]), 0);
    assert!(
        std::fs::read(&csv)
            .expect("csv")
            .starts_with(&[0xEF, 0xBB, 0xBF])
    );
}
