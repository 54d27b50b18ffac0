//! The PDF check report (`taonan-map check --report`), parsed back with a second library
//! (lopdf): its pages, their text (Chinese extractable), their drawings, and the file rules
//! (no overwrite without --force).

use std::path::{Path, PathBuf};
use std::process::Command;

use taonan_map::plan::fixtures::{Square, write_zone41_squares};

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

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("taonan-report-{tag}-{}", std::process::id()))
        .join("报件");
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Three sand-mine squares (zone-41 X/Y centre, side m): 甲 and 乙 overlap (an error), 丙 sits
/// alone inside a mining block (a conformance verdict).
fn fixture(dir: &Path) -> PathBuf {
    let sq = |x, y, side, name| Square {
        x,
        y,
        side,
        name,
        mineral: "建筑用砂",
    };
    write_zone41_squares(
        dir,
        "采矿权申请",
        &[
            sq(5_060_000.0, 41_440_000.0, 1000.0, "甲砂场"),
            sq(5_060_000.0, 41_440_600.0, 1000.0, "乙砂场"),
            sq(5_043_400.0, 41_452_400.0, 200.0, "丙砂场"),
        ],
    )
    .expect("write fixture")
}

/// The text of each page (lopdf's extraction, through the fonts' ToUnicode maps). Each page
/// shows its drawing as one form XObject, which lopdf's extraction does not enter: the form's
/// content and resources are first made the page's own (on a copy).
fn page_texts(doc: &lopdf::Document) -> Vec<String> {
    let mut doc = doc.clone();
    let pages: Vec<(u32, lopdf::ObjectId)> = doc.get_pages().into_iter().collect();
    for &(_, page) in &pages {
        let form = {
            let p = doc.get_dictionary(page).expect("page");
            let res = p
                .get(b"Resources")
                .and_then(|r| r.as_dict())
                .expect("resources");
            let xobjects = res
                .get(b"XObject")
                .and_then(|x| x.as_dict())
                .expect("xobjects");
            let (_, r) = xobjects.iter().next().expect("one form");
            r.as_reference().expect("a reference")
        };
        let (content, resources) = {
            let s = doc
                .get_object(form)
                .and_then(|o| o.as_stream())
                .expect("form");
            let content = s
                .decompressed_content()
                .unwrap_or_else(|_| s.content.clone());
            let resources = s.dict.get(b"Resources").expect("form resources").clone();
            (content, resources)
        };
        let stream = doc.add_object(lopdf::Stream::new(lopdf::Dictionary::new(), content));
        let p = doc.get_dictionary_mut(page).expect("page");
        p.set("Contents", stream);
        p.set("Resources", resources);
    }
    pages
        .iter()
        .map(|&(n, _)| {
            // lopdf puts each positioned glyph on its own line: compare without white space.
            let t = doc.extract_text(&[n]).unwrap_or_default();
            t.chars().filter(|c| !c.is_whitespace()).collect()
        })
        .collect()
}

/// Whether a page draws anything besides text: its content (or a form it shows) has path
/// operators (`re`, `l`, `c` followed by a fill or stroke).
fn page_has_drawing(doc: &lopdf::Document, page: lopdf::ObjectId) -> bool {
    let mut bytes = doc.get_page_content(page);
    // The page shows one form XObject per SVG: look into the forms it names.
    if let Ok((res, _)) = doc.get_page_resources(page)
        && let Some(res) = res
        && let Ok(xobjects) = res.get(b"XObject").and_then(|x| x.as_dict())
    {
        for (_, r) in xobjects.iter() {
            if let Ok(id) = r.as_reference()
                && let Ok(s) = doc.get_object(id).and_then(|o| o.as_stream())
            {
                bytes.extend(s.decompressed_content().unwrap_or_default());
            }
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    text.contains(" l\n") || text.contains(" re\n") || text.contains(" c\n")
}

#[test]
fn check_report_pages_text_and_drawings() {
    let dir = temp_dir("pages");
    let input = fixture(&dir);
    let pdf = dir.join("检查报告.pdf");
    let (code, _out, err) = run(&[
        "check",
        "--report",
        pdf.to_str().expect("utf8"),
        input.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 1, "an error-level finding fails the check: {err}");
    assert!(err.contains("检查报告"), "{err}");
    let doc = lopdf::Document::load(&pdf).expect("a PDF lopdf reads");
    let pages = doc.get_pages();
    // 1 cover + 1 summary + 1 finding (the one error; the plan's nestings are information) +
    // 1 conformance page.
    assert_eq!(pages.len(), 4, "{err}");
    let texts = page_texts(&doc);
    assert!(texts[0].contains("合规检查报告"), "cover: {}", texts[0]);
    assert!(
        texts[0].contains("采矿权申请"),
        "cover names the file: {}",
        texts[0]
    );
    assert!(
        texts[0].contains("CGCS2000_3_Degree_GK_Zone_41"),
        "the file's CRS: {}",
        texts[0]
    );
    assert!(texts[1].contains("错误"), "summary: {}", texts[1]);
    let finding = &texts[2];
    for name in ["甲砂场", "乙砂场", "两个采矿权相互重叠", "亩"] {
        assert!(
            finding.contains(name),
            "finding page lacks {name}: {finding}"
        );
    }
    // 400 m × 1000 m ≈ 400 000 m² (399 961 on the ellipsoid) ≈ 600 亩 (599.94).
    assert!(finding.contains("599.9"), "{finding}");
    assert!(texts[3].contains("丙砂场"), "conformance: {}", texts[3]);
    assert!(texts[3].contains("专栏9"), "targets quoted: {}", texts[3]);
    let ids: Vec<_> = pages.values().copied().collect();
    assert!(page_has_drawing(&doc, ids[2]), "the finding page has maps");
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn check_report_refuses_to_overwrite_without_force() {
    let dir = temp_dir("force");
    let input = fixture(&dir);
    let pdf = dir.join("report.pdf");
    std::fs::write(&pdf, b"keep me").expect("write");
    let args = |force: bool| {
        let mut a = vec![
            "check".to_owned(),
            "--report".into(),
            pdf.to_string_lossy().into_owned(),
        ];
        if force {
            a.push("--force".into());
        }
        a.push(input.to_string_lossy().into_owned());
        a
    };
    let a = args(false);
    let (code, _, err) = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(&pdf).expect("read"), b"keep me");
    let a = args(true);
    let (code, _, err) = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 1, "{err}");
    assert!(std::fs::read(&pdf).expect("read").starts_with(b"%PDF"));
    // No temporary file is left beside it.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

/// A layer of `n × n` parcels 0.001° wide, 0.0008° apart east-west: every parcel overlaps its
/// eastern neighbour, `n × (n − 1)` warnings.
fn parcels(n: usize) -> taonan_map::model::Layer {
    use taonan_map::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};
    let features: Vec<Feature> = (0..n * n)
        .map(|i| {
            let (col, row) = ((i % n) as f64, (i / n) as f64);
            Feature {
                attributes: vec![("NAME".into(), Value::Text(format!("地块{i}")))].into(),
                geometry: taonan_map::analysis::overlap::square(
                    122.75 + col * 0.0008,
                    45.3 + row * 0.0012,
                    0.001,
                )
                .into(),
                provenance: Provenance {
                    kind: ProvenanceKind::Surveyed,
                    source: "地块.shp".into(),
                },
            }
        })
        .collect();
    Layer {
        name_zh: "地块".into(),
        name_en: "parcels".into(),
        role: LayerRole::Loaded,
        source: "地块.shp".into(),
        crs: taonan_map::text::Text::same("EPSG:4490"),
        encoding: taonan_map::text::Text::same("UTF-8"),
        features: features.into(),
        analysis_role: None,
    }
}

#[test]
fn a_large_check_is_capped_and_says_so() {
    use taonan_map::render::check_report::{CheckReport, Limits, render};
    let (mut catalog, _, errors) =
        taonan_map::plan::bundled::catalog_with(&[], &Default::default());
    assert!(errors.is_empty(), "{errors:?}");
    catalog.push(parcels(60));
    let rules = taonan_map::analysis::rules::Rules::builtin();
    let findings = taonan_map::analysis::overlap::analyze_catalog(&catalog, |_| true, &rules);
    let warnings = findings.count(taonan_map::analysis::rules::Severity::Warning);
    assert!(warnings >= 60 * 59, "{warnings}");
    let styles = taonan_map::model::style::Styles::builtin();
    let limits = Limits {
        finding_pages: 4,
        table_rows: 120,
        conformance: 10,
    };
    let r = CheckReport {
        catalog: &catalog,
        styles: &styles,
        findings: &findings,
        rules: &rules,
        rules_source: "内置规则",
        date: "2026-01-01",
        limits,
    };
    let started = std::time::Instant::now();
    let (bytes, counts) = render(&r).expect("report");
    let took = started.elapsed();
    assert_eq!(counts.cover, 1);
    assert_eq!(counts.findings, 4);
    // 120 table rows at about 30 a page, after the summary table.
    assert!((4..=7).contains(&counts.summary), "{counts:?}");
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF lopdf reads");
    assert_eq!(doc.get_pages().len(), counts.total());
    let texts = page_texts(&doc);
    let summary = &texts[1];
    assert!(summary.contains("前4项各占一页（上限4）"), "{summary}");
    let omitted = warnings - 4 - 120;
    assert!(
        summary.contains(&format!("另{omitted}项从略")),
        "the summary says what was left out: {summary}"
    );
    // The largest overlaps first: every parcel overlaps by the same area, so the first page is
    // the first finding of the analysis's order.
    assert!(
        texts[counts.cover + counts.summary].contains("地块"),
        "finding page"
    );
    assert!(took.as_secs() < 60, "{took:?}");
}
