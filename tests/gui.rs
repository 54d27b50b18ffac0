//! The window, driven the way a user drives it (egui_kittest): it starts offline, a click on a
//! zone shows it in the side panel, a click on empty map clears it, overlapping zones ask which
//! one, and the language switch changes the labels.

#[path = "support/gpkg_dxf.rs"]
mod gpkg_dxf;
mod support;

use egui::{Event, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use taonan_map::analysis::measure::centroid;
use taonan_map::gui::{AppOptions, TaonanApp};
use taonan_map::model::LayerRole;
use taonan_map::model::catalog::FeatureRef;

use support::harness::{
    click, harness, harness_with, has, labels_containing, temp_dir, wait_until, wait_while,
};

fn centre_of(h: &Harness<'static, TaonanApp>, role: LayerRole, idx: usize) -> Pos2 {
    let app = h.state();
    let li = app.layer_index(role).expect("layer");
    let f = app
        .catalog()
        .feature(FeatureRef {
            layer: li,
            feature: idx,
        })
        .expect("feature");
    let (lon, lat) = centroid(&f.geometry).expect("centroid");
    app.screen_pos(lon, lat).expect("map drawn")
}

#[test]
fn starts_offline_with_every_layer_listed() {
    let h = harness();
    for name in taonan_map::plan::bundled::LAYERS.iter().map(|b| b.name_zh) {
        assert!(has(&h, name), "{name}");
    }
    assert!(has(&h, "底图未启用（离线模式）"));
    assert!(has(&h, "点击地图上的规划区或乡镇驻地查看详情。"));
}

#[test]
fn clicking_a_zone_shows_it_and_empty_map_clears_it() {
    let mut h = harness();
    let at = centre_of(&h, LayerRole::KeyZones, 0);
    click(&mut h, at);
    let li = h.state().layer_index(LayerRole::KeyZones).expect("layer");
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: li,
            feature: 0
        })
    );
    assert!(has(&h, "吉林省白城市洮南市万宝乡一带煤炭重点开采区"));
    let areas = labels_containing(&h, "km²（");
    assert!(
        areas
            .iter()
            .any(|a| a.starts_with("8.2") && a.contains("亩")),
        "{areas:?}"
    );
    assert!(has(&h, "示意图形（非实测坐标）"));
    assert!(has(&h, "规划区名称"));
    assert!(labels_containing(&h, "最近乡镇驻地").len() == 1);
    assert!(
        labels_containing(&h, "万宝乡（").len() == 1,
        "nearest seat shown"
    );

    // Empty map: the top-left corner of the map shows the neighbouring county, not a zone.
    let corner = h.state().map_rect().expect("map").left_top() + egui::vec2(15.0, 15.0);
    click(&mut h, corner);
    assert_eq!(h.state().selected(), None);
    assert!(has(&h, "点击地图上的规划区或乡镇驻地查看详情。"));
}

#[test]
fn overlapping_zones_let_the_user_pick() {
    let mut h = harness();
    // The coal mining block of 万宝镇 lies inside that township's key zone.
    let at = centre_of(&h, LayerRole::MiningBlocks, 0);
    click(&mut h, at);
    h.get_by_label("此处有多个要素，请选择：");
    h.get_by_label_contains("吉林省白城市洮南市万宝镇一带煤炭重点开采区")
        .click();
    h.run_steps(3);
    let li = h.state().layer_index(LayerRole::KeyZones).expect("layer");
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: li,
            feature: 1
        })
    );
}

#[test]
fn language_switch_changes_the_labels() {
    let mut h = harness();
    h.get_by_label("语言").click();
    h.run_steps(2);
    h.get_by_label("English").click();
    h.run_steps(3);
    assert!(has(&h, "Layers"));
    assert!(has(&h, "Key extraction zones"));
    assert!(h.query_by_label("图层").is_none());
    assert_eq!(h.state().lang, taonan_map::gui::Lang::En);
}

/// Step until the background overlap analysis has finished.
fn wait_for_analysis(h: &mut Harness<'static, TaonanApp>) {
    wait_while(h, TaonanApp::analysis_busy, "the overlap analysis");
}

#[test]
fn findings_list_shows_the_plans_nesting_and_a_click_zooms_to_it() {
    let mut h = harness();
    wait_for_analysis(&mut h);
    assert_eq!(h.state().findings().findings.len(), 4);
    // The summary button in the layer panel opens the list.
    h.get_by_label("错误 0 · 警告 0 · 提示 4").click();
    h.run_steps(3);
    assert!(has(&h, "叠加检查结果"));
    let rows = labels_containing(&h, "[提示] 开采规划区块位于重点开采区内");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let zoom_before = h.state().view().0;
    h.get_by_label_contains(
        "[提示] 开采规划区块位于重点开采区内：开采规划区块「煤开采规划区块（万宝镇）」",
    )
    .click();
    h.run_steps(3);
    let mining = h
        .state()
        .layer_index(LayerRole::MiningBlocks)
        .expect("layer");
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: mining,
            feature: 0
        })
    );
    assert!(h.state().active_finding().is_some());
    assert!(
        h.state().view().0 > zoom_before + 1.0,
        "zoomed in to the overlap"
    );
}

#[test]
fn a_selected_zone_lists_its_findings_and_hiding_a_layer_updates_them() {
    let mut h = harness();
    wait_for_analysis(&mut h);
    let at = centre_of(&h, LayerRole::ConcentratedZones, 1);
    // CS002's centre is between its two sand blocks: only CS002 is under it.
    click(&mut h, at);
    let rows = labels_containing(&h, "开采规划区块位于集中开采区内");
    assert_eq!(rows.len(), 2, "{rows:?}");
    // Hide the mining blocks: the findings go away.
    h.get_by_label("开采规划区块").click();
    wait_for_analysis(&mut h);
    assert_eq!(h.state().findings().findings.len(), 0);
    assert!(has(&h, "无重叠、未越界。"));
}

#[test]
fn a_loaded_mining_right_shows_its_plan_conformance() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = std::env::temp_dir()
        .join(format!("taonan-gui-{}", std::process::id()))
        .join("报件");
    let right = Square {
        x: 5_043_400.0,
        y: 41_452_400.0,
        side: 200.0,
        name: "丙砂场",
        mineral: "建筑用砂",
    };
    let path = write_zone41_squares(&dir, "采矿权", &[right]).expect("fixture");
    let mut h = harness_with(AppOptions {
        basemap: false,
        files: vec![path],
        ..Default::default()
    });
    wait_for_analysis(&mut h);
    let li = h.state().catalog().layers.len() - 1;
    assert_eq!(h.state().catalog().layers[li].name_zh, "采矿权");
    // Select it through the overlap chooser: it lies in a sand block inside CS002.
    let f = h
        .state()
        .catalog()
        .feature(FeatureRef {
            layer: li,
            feature: 0,
        })
        .expect("feature");
    let (lon, lat) = centroid(&f.geometry).expect("centroid");
    let at = h.state().screen_pos(lon, lat).expect("map");
    click(&mut h, at);
    h.get_by_label_contains("丙砂场").click();
    h.run_steps(3);
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: li,
            feature: 0
        })
    );
    assert!(has(&h, "规划符合性"));
    assert!(has(
        &h,
        "√ 位于同矿种开采规划区块内：建筑用砂开采规划区块1（蛟流河乡）"
    ));
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

/// A file dropped on the window, as the windowing layer hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Step until the file loader has finished.
fn wait_for_loading(h: &mut Harness<'static, TaonanApp>) {
    wait_while(h, TaonanApp::loading_busy, "loading");
}

#[test]
fn a_dropped_file_loads_with_its_table_and_can_be_removed() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = temp_dir("drop");
    let sq = |x, y, name| Square {
        x,
        y,
        side: 300.0,
        name,
        mineral: "建筑用砂",
    };
    let path = write_zone41_squares(
        &dir,
        "探矿权申请",
        &[
            sq(5_060_000.0, 41_440_000.0, "甲区"),
            sq(5_061_000.0, 41_441_000.0, "乙区"),
        ],
    )
    .expect("fixture");
    let mut h = harness();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    wait_for_loading(&mut h);
    let n = h.state().catalog().layers.len();
    assert_eq!(n, 8, "the dropped file is a new layer on top");
    assert_eq!(h.state().catalog().layers[7].name_zh, "探矿权申请");
    assert!(has(&h, "探矿权申请"), "listed in the layer panel");
    // Its attribute table: filter, then a click on a row selects the feature.
    h.get_by_label("属性表").click();
    h.run_steps(3);
    assert!(labels_containing(&h, "属性表：探矿权申请").len() == 1);
    assert!(has(&h, "乙区"));
    eprintln!("LABELS: {:?}", labels_containing(&h, "#"));
    h.get_by_label("#2").click();
    h.run_steps(3);
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: 7,
            feature: 1
        })
    );
    // Remove it.
    h.get_by_label("移除").click();
    h.run_steps(3);
    assert_eq!(h.state().catalog().layers.len(), 7);
    assert!(!has(&h, "探矿权申请"));
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn swapped_coordinates_are_swapped_back_loudly_and_can_be_undone() {
    use taonan_map::io::dbf::FieldSpec;
    use taonan_map::io::shp::{Attributes, encode};
    use taonan_map::model::Value;
    let dir = temp_dir("swap");
    std::fs::create_dir_all(&dir).expect("dir");
    // A 1 km square near 永茂乡 written with northing as x and easting as y, and no .prj.
    let (x, y) = (5_055_000.0, 41_447_000.0);
    let ring: Vec<(f64, f64)> = vec![
        (x, y),
        (x + 1000.0, y),
        (x + 1000.0, y + 1000.0),
        (x, y + 1000.0),
        (x, y),
    ];
    let poly = geo::Polygon::new(geo::LineString::from(ring), vec![]);
    let fields = [FieldSpec {
        name: "KSMC".into(),
        kind: 'C',
        length: 20,
        decimals: 0,
    }];
    let rows = vec![vec![Value::Text("颠倒坐标".into())]];
    let mut set = encode(
        &[geo::Geometry::Polygon(poly)],
        Attributes {
            fields: &fields,
            rows: &rows,
        },
        "",
        (2026, 1, 1),
    )
    .expect("encode");
    set.prj = None;
    set.write(&dir, "颠倒").expect("write");
    let mut h = harness();
    h.state_mut()
        .open_files(&egui::Context::default(), vec![dir.join("颠倒.shp")]);
    wait_for_loading(&mut h);
    eprintln!("NOTES: {:?}", labels_containing(&h, "颠倒"));
    let layer = &h.state().catalog().layers[7];
    let c = layer.extent().expect("extent").center();
    assert!(
        (122.2..122.5).contains(&c.x) && (45.5..45.7).contains(&c.y),
        "placed near 永茂乡: {c:?}"
    );
    assert_eq!(
        labels_containing(&h, "X/Y 颠倒，已交换后载入").len(),
        1,
        "said loudly"
    );
    // Undo in the layer's settings: the numbers as written are no place on Earth.
    h.get_by_label("设置").click();
    h.run_steps(3);
    h.get_by_label("交换 X/Y（北坐标与东坐标）").click();
    wait_for_loading(&mut h);
    // … so the reload fails with a message naming the file (worded in the window's language),
    // and the swapped-back layer stays.
    let notes = labels_containing(&h, "没有可载入的要素");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(labels_containing(&h, "no features could be loaded").is_empty());
    assert!(notes[0].contains("颠倒.shp"));
    assert_eq!(h.state().catalog().layers.len(), 8);
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn the_session_brings_files_back_and_names_a_moved_one() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = temp_dir("session");
    let sq = Square {
        x: 5_060_000.0,
        y: 41_440_000.0,
        side: 300.0,
        name: "甲区",
        mineral: "煤",
    };
    let kept = write_zone41_squares(&dir, "采矿权", &[sq]).expect("fixture");
    let moved = write_zone41_squares(&dir, "已移走", &[sq]).expect("fixture");
    let mut h = harness();
    h.state_mut()
        .open_files(&egui::Context::default(), vec![kept.clone(), moved.clone()]);
    wait_for_loading(&mut h);
    h.get_by_label("语言").click();
    h.run_steps(2);
    h.get_by_label("English").click();
    h.run_steps(2);
    let session = h.state().session_snapshot();
    assert_eq!(session.files.len(), 2);
    assert_eq!(session.lang, "en");
    assert_eq!(session.recent.first(), Some(&moved));
    std::fs::remove_file(&moved).expect("move it away");

    let mut h2 = harness_with(AppOptions {
        basemap: false,
        lang: taonan_map::gui::Lang::En,
        session,
        ..Default::default()
    });
    wait_for_loading(&mut h2);
    let names: Vec<&str> = h2
        .state()
        .catalog()
        .layers
        .iter()
        .map(|l| l.name_zh.as_str())
        .collect();
    assert!(
        names.contains(&"采矿权") && !names.contains(&"已移走"),
        "{names:?}"
    );
    let notes = labels_containing(&h2, "has moved or gone");
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("已移走.shp"));
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn a_pasted_corner_table_becomes_a_layer_kept_as_a_file() {
    let data_dir = temp_dir("paste");
    let mut h = harness_with(AppOptions {
        basemap: false,
        data_dir: Some(data_dir.clone()),
        ..Default::default()
    });
    h.run_steps(2);
    h.get_by_label("文件").click();
    h.run_steps(2);
    h.get_by_label("粘贴拐点坐标…").click();
    h.run_steps(2);
    let input = h.get_by_role(egui::Role::MultilineTextInput);
    input.click();
    h.run_steps(1);
    h.get_by_role(egui::Role::MultilineTextInput)
        .type_text("J1,5060000.00,41440000.00\nJ2,5060000.00,41440500.00\nJ3,5059500.00,41440500.00\nJ4,5059500.00,41440000.00\n");
    h.run_steps(2);
    h.get_by_label("载入").click();
    wait_for_loading(&mut h);
    let layer = h.state().catalog().layers.last().expect("layer");
    assert!(
        layer.name_zh.starts_with("粘贴拐点坐标-"),
        "{}",
        layer.name_zh
    );
    let area = taonan_map::analysis::measure::area_km2(&layer.features[0].geometry);
    assert!((area - 0.25).abs() < 0.001, "{area}");
    let kept: Vec<_> = std::fs::read_dir(data_dir.join("pasted"))
        .expect("kept")
        .collect();
    assert_eq!(kept.len(), 1);
    let _ = std::fs::remove_dir_all(data_dir.parent().expect("parent"));
}

#[test]
fn the_user_says_what_a_layer_is_and_the_findings_follow() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = temp_dir("kind");
    let sq = |x, y| Square {
        x,
        y,
        side: 1000.0,
        name: "区",
        mineral: "金",
    };
    let path = write_zone41_squares(
        &dir,
        "申请",
        &[sq(5_060_000.0, 41_440_000.0), sq(5_060_000.0, 41_440_500.0)],
    )
    .expect("fixture");
    let mut h = harness();
    h.state_mut()
        .open_files(&egui::Context::default(), vec![path]);
    wait_for_loading(&mut h);
    wait_for_analysis(&mut h);
    let relations = |h: &Harness<'static, TaonanApp>| -> Vec<String> {
        h.state()
            .findings()
            .findings
            .iter()
            .map(|f| f.relation.to_string())
            .collect()
    };
    assert!(relations(&h).contains(&"同一图层两个要素相互重叠".to_owned()));
    h.get_by_label("设置").click();
    // The click asks for the window; it opens after the frame, and shows after its sizing pass.
    h.run_steps(3);
    h.get_by_label("探矿权").click();
    wait_for_analysis(&mut h);
    assert!(
        relations(&h).contains(&"两个探矿权相互重叠".to_owned()),
        "{:?}",
        relations(&h)
    );
    assert_eq!(
        h.state().session_snapshot().files[0]
            .analysis_role
            .as_deref(),
        Some("surveyed_exploration_right")
    );
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn the_basemap_choice_is_remembered() {
    let mut h = harness();
    assert_eq!(h.state().session_snapshot().basemap.as_deref(), Some("osm"));
    h.get_by_label("视图").click();
    h.run_steps(2);
    h.get_by_label("OpenTopoMap（地形）").click();
    h.run_steps(2);
    assert_eq!(
        h.state().session_snapshot().basemap.as_deref(),
        Some("opentopomap")
    );
    let session = h.state().session_snapshot();
    let h2 = harness_with(AppOptions {
        basemap: false,
        session,
        ..Default::default()
    });
    assert_eq!(
        h2.state().session_snapshot().basemap.as_deref(),
        Some("opentopomap")
    );
}

#[test]
fn an_amap_basemap_shifts_drawing_to_gcj02_only() {
    let mut h = harness();
    let li = h
        .state()
        .layer_index(LayerRole::ConcentratedZones)
        .expect("layer");
    let f = h
        .state()
        .catalog()
        .feature(FeatureRef {
            layer: li,
            feature: 1,
        })
        .expect("CS002")
        .clone();
    let (lon, lat) = centroid(&f.geometry).expect("centroid");
    let before = h.state().screen_pos(lon, lat).expect("map");
    h.get_by_label("视图").click();
    h.run_steps(2);
    h.get_by_label("高德地图（GCJ-02）").click();
    h.run_steps(3);
    let after = h.state().screen_pos(lon, lat).expect("map");
    // Expected: the pixel offset between the WGS84 point and its GCJ-02 twin at this zoom
    // (≈ 470 m east, 220 m north at Taonan: right and up on screen).
    let (glon, glat) = taonan_map::crs::gcj02::wgs84_to_gcj02(lon, lat);
    let zoom = h.state().view().0;
    let px_per_deg_lon = 256.0 * 2f64.powf(zoom) / 360.0;
    let merc = |lat: f64| {
        (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
            .tan()
            .ln()
    };
    let px_per_merc = 256.0 * 2f64.powf(zoom) / (2.0 * std::f64::consts::PI);
    let want_dx = (glon - lon) * px_per_deg_lon;
    let want_dy = -(merc(glat) - merc(lat)) * px_per_merc;
    let (dx, dy) = ((after.x - before.x) as f64, (after.y - before.y) as f64);
    assert!(dx > 0.5 && dy < -0.2, "moved right and up: {dx} {dy}");
    assert!(
        (dx - want_dx).abs() < 0.05 && (dy - want_dy).abs() < 0.05,
        "{dx},{dy} vs {want_dx},{want_dy}"
    );
    assert!(labels_containing(&h, "图层按 GCJ-02 偏移显示").len() == 1);
    // Clicking where the zone is drawn now still selects it (picking unshifts).
    click(&mut h, after);
    assert_eq!(
        h.state().selected(),
        Some(FeatureRef {
            layer: li,
            feature: 1
        })
    );
    // The data itself did not move: the CLI reads the same catalog code, unshifted.
    assert_eq!(
        h.state()
            .catalog()
            .feature(FeatureRef {
                layer: li,
                feature: 1
            })
            .map(|g| g.geometry.clone()),
        Some(f.geometry)
    );
    // …and the command line reports the same true centroid while the window shows AMap.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args(["info", "--json", "--features"])
        .output()
        .expect("cli");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let layer = json["layers"]
        .as_array()
        .and_then(|ls| {
            ls.iter()
                .find(|l| l["role"] == LayerRole::ConcentratedZones.key())
        })
        .expect("zones layer");
    let c = &layer["features"][1]["centroid"];
    let (clon, clat) = (c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat"));
    assert!(
        (clon - lon).abs() < 1e-6 && (clat - lat).abs() < 1e-6,
        "{clon},{clat} vs {lon},{lat}"
    );
}

fn open_export_dialog(h: &mut Harness<'static, TaonanApp>) {
    h.get_by_label("文件").click();
    h.run_steps(2);
    h.get_by_label("导出地图…").click();
    h.run_steps(3);
}

#[test]
fn the_export_dialog_writes_a_report_png_without_blocking() {
    let dir = temp_dir("export");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut h = harness();
    open_export_dialog(&mut h);
    assert!(has(&h, "导出地图"));
    assert!(
        has(&h, "1754 × 1240 px, 150 dpi"),
        "A4 landscape 150 dpi by default"
    );
    // Type the output path (a Chinese folder and name) and export.
    let out = dir.join("报告图.png");
    let png_field = |h: &Harness<'static, TaonanApp>| {
        h.query_all_by_role(egui::Role::TextInput)
            .find(|n| {
                n.accesskit_node()
                    .value()
                    .is_some_and(|v| v.ends_with(".png"))
            })
            .expect("the file field")
            .rect()
            .center()
    };
    let at = png_field(&h);
    click(&mut h, at);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.event(egui::Event::Text(out.to_str().expect("utf8").to_owned()));
    h.run_steps(2);
    h.get_by_label("导出 PNG").click();
    wait_while(&mut h, TaonanApp::export_busy, "the export");
    let bytes = std::fs::read(&out).expect("written");
    let img = tiny_skia::Pixmap::decode_png(&bytes).expect("png");
    assert_eq!((img.width(), img.height()), (1754, 1240));
    assert!(labels_containing(&h, "已导出").len() == 1);
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn the_export_dialog_writes_an_svg_when_svg_is_chosen() {
    let dir = temp_dir("export-svg");
    std::fs::create_dir_all(&dir).expect("dir");
    let mut h = harness();
    open_export_dialog(&mut h);
    // The file field's name follows the format chosen.
    let field_ending = |h: &Harness<'static, TaonanApp>, ext: &str| {
        h.query_all_by_role(egui::Role::TextInput)
            .find(|n| n.accesskit_node().value().is_some_and(|v| v.ends_with(ext)))
            .map(|n| n.rect().center())
    };
    assert!(field_ending(&h, ".png").is_some());
    h.get_by_label("SVG 矢量（任意尺寸打印清晰）").click();
    h.run_steps(2);
    let at = field_ending(&h, ".svg").expect("the file name now ends in .svg");
    assert!(has(&h, "导出 SVG") && !has(&h, "导出 PNG"));
    let out = dir.join("报告图.svg");
    click(&mut h, at);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.event(egui::Event::Text(out.to_str().expect("utf8").to_owned()));
    h.run_steps(2);
    h.get_by_label("导出 SVG").click();
    wait_while(&mut h, TaonanApp::export_busy, "the export");
    let text = std::fs::read_to_string(&out).expect("written");
    // A4 landscape (the default preset), on paper in millimetres.
    assert!(
        text.contains("width=\"297mm\" height=\"210mm\" viewBox=\"0 0 1754 1240\""),
        "{}",
        &text[..text.len().min(300)]
    );
    assert!(text.trim_end().ends_with("</svg>"));
    assert!(labels_containing(&h, "已导出").len() == 1);
    // Typing a .png name switches back to PNG. The finished export's message changes the
    // dialog's layout over the next frames: let it settle before taking the field's place (a
    // click at the place of a frame before could miss the field under load).
    h.run_steps(3);
    let at = field_ending(&h, ".svg").expect("field");
    click(&mut h, at);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.event(egui::Event::Text(
        dir.join("图.png").to_str().expect("utf8").to_owned(),
    ));
    h.run_steps(2);
    assert!(
        field_ending(&h, ".png").is_some(),
        "the typed .png name is in the field"
    );
    assert!(has(&h, "导出 PNG"));
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

fn wait_for_tiles(h: &mut Harness<'static, TaonanApp>) {
    let t0 = std::time::Instant::now();
    while h.state().basemap_report().2 == 0 && t0.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(30));
        h.run_steps(1);
    }
}

#[test]
fn an_offline_tile_folder_becomes_the_basemap_keeps_the_view_and_is_remembered() {
    let root = temp_dir("tiles");
    let folder = root.join("离线瓦片");
    // Zooms 5–9 around Taonan.
    for z in 5u8..=9 {
        let n = (1u32 << z) as f64;
        let x0 = ((121.5 + 180.0) / 360.0 * n) as u32;
        let x1 = ((123.5 + 180.0) / 360.0 * n) as u32;
        let y = |lat: f64| {
            let r = lat.to_radians();
            ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n) as u32
        };
        for x in x0..=x1 {
            for yy in y(46.2)..=y(44.9) {
                let key = taonan_map::tiles::TileKey { z, x, y: yy };
                taonan_map::plan::fixtures::write_folder_tile(&folder, key, [90, 160, 220, 255])
                    .expect("tile");
            }
        }
    }
    let mut h = harness();
    h.run_steps(3);
    let before = h.state().view();
    h.get_by_label("视图").click();
    h.run_steps(2);
    h.get_by_label("底图设置…").click();
    h.run_steps(2);
    // The folder field comes after the find box in the top bar and the key field.
    let fields = h.get_all_by_role(egui::Role::TextInput).count();
    assert!(fields >= 4, "{fields} text fields");
    h.get_all_by_role(egui::Role::TextInput)
        .nth(2)
        .expect("folder field")
        .click();
    h.run_steps(1);
    h.get_all_by_role(egui::Role::TextInput)
        .nth(2)
        .expect("folder field")
        .type_text(folder.to_str().expect("utf8"));
    h.run_steps(1);
    h.get_by_label("使用此文件夹").click();
    h.run_steps(2);
    wait_for_tiles(&mut h);
    let (id, status, held) = h.state().basemap_report();
    assert_eq!(id, format!("local:{}", folder.display()));
    assert!(held > 0, "tiles drawn: {held}");
    assert!(status.contains("离线瓦片：离线瓦片"), "{status}");
    assert_eq!(
        h.state().view(),
        before,
        "switching basemaps keeps the view"
    );
    // Remembered: the next start offers and shows it again.
    let session = h.state().session_snapshot();
    assert_eq!(session.tile_files, vec![folder.clone()]);
    let mut h2 = harness_with(AppOptions {
        session,
        ..Default::default()
    });
    h2.run_steps(3);
    wait_for_tiles(&mut h2);
    assert!(h2.state().basemap_report().2 > 0);
    let _ = std::fs::remove_dir_all(root.parent().expect("parent"));
}

#[test]
fn the_tianditu_key_goes_to_the_config_file_only() {
    let config = temp_dir("tk-config");
    let key = "0123456789abcdef0123456789abcdef";
    let mut h = harness_with(AppOptions {
        config_dir: Some(config.clone()),
        ..Default::default()
    });
    h.run_steps(2);
    h.get_by_label("视图").click();
    h.run_steps(2);
    h.get_by_label("天地图 矢量").click();
    h.run_steps(2);
    h.get_by_label("视图").click();
    h.run_steps(2);
    h.get_by_label("底图设置…").click();
    h.run_steps(2);
    h.get_by_role(egui::Role::PasswordInput).click();
    h.run_steps(1);
    h.get_by_role(egui::Role::PasswordInput).type_text(key);
    h.run_steps(1);
    h.get_by_label("保存").click();
    h.run_steps(2);
    assert!(has(&h, "已保存"));
    let saved = std::fs::read_to_string(config.join("config.toml")).expect("config written");
    assert!(saved.contains(key));
    let session = h.state().session_snapshot();
    let json = serde_json::to_string(&session).expect("json");
    assert!(!json.contains(key), "the session holds no key");
    assert_eq!(session.basemap.as_deref(), Some("tianditu-vec"));
    // The key is not shown in the window as text either.
    assert!(labels_containing(&h, key).is_empty());
    let _ = std::fs::remove_dir_all(config.parent().expect("parent"));
}

#[test]
fn the_map_picture_is_drawn_on_a_worker_and_the_window_then_rests() {
    let mut h = harness();
    wait_until(&mut h, "the map's picture", |h| h.state().map_complete());
    wait_for_analysis(&mut h);
    h.run_steps(2);
    assert!(h.state().map_complete());
    assert!(
        !h.ctx.has_requested_repaint(),
        "nothing left to do: no repaint asked for"
    );
    // A new view: the old picture is kept (moved) while the new one is drawn, then it is complete.
    let (zoom, centre) = h.state().view();
    let (lon, lat) = centre.unwrap_or((122.49, 45.53));
    h.state_mut().set_view(lon + 0.05, lat, zoom + 1.0);
    h.step();
    wait_until(&mut h, "the new view's picture", |h| {
        h.state().map_complete()
    });
}

#[test]
fn a_big_layers_table_reaches_every_row_and_filters_off_the_ui_thread() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = temp_dir("big-table");
    let names: Vec<String> = (0..25_000).map(|i| format!("地块{i}")).collect();
    let squares: Vec<Square> = names
        .iter()
        .enumerate()
        .map(|(i, name)| Square {
            x: 5_000_000.0 + (i / 200) as f64 * 300.0,
            y: 41_400_000.0 + (i % 200) as f64 * 300.0,
            side: 200.0,
            name,
            mineral: if i % 2 == 0 { "建筑用砂" } else { "萤石" },
        })
        .collect();
    let path = write_zone41_squares(&dir, "宗地", &squares).expect("fixture");
    let mut h = harness_with(AppOptions {
        files: vec![path],
        ..AppOptions::default()
    });
    wait_for_loading(&mut h);
    let li = h.state().catalog().layers.len() - 1;
    assert_eq!(h.state().catalog().layers[li].features.len(), 25_000);
    h.state_mut().open_attribute_table(li);
    wait_until(&mut h, "the table's rows", |h| {
        h.state()
            .attribute_table_rows()
            .is_some_and(|(_, settled)| settled)
    });
    assert_eq!(h.state().attribute_table_rows(), Some((25_000, true)));
    // The last row is reachable: scroll to the end of the table.
    for _ in 0..4 {
        h.event(Event::PointerMoved(Pos2::new(500.0, 600.0)));
        h.event(Event::MouseWheel {
            unit: egui::MouseWheelUnit::Page,
            delta: egui::vec2(0.0, -10_000.0),
            modifiers: Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run_steps(2);
    }
    assert!(
        !labels_containing(&h, "地块24999").is_empty(),
        "the last row shows after scrolling"
    );
    // A filter is worked out on a worker (the window keeps drawing frames meanwhile).
    // The table's filter: the last single-line field (the find box in the top bar is the first).
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("filter field")
        .click();
    h.run_steps(2);
    h.get_all_by_role(egui::accesskit::Role::TextInput)
        .last()
        .expect("filter field")
        .type_text("萤石");
    h.run_steps(2);
    wait_until(&mut h, "the filtered rows", |h| {
        h.state().attribute_table_rows() == Some((12_500, true))
    });
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

/// A file the program was opening when it died is not opened again at the next start: it is
/// named in the notes (and stays in the recent files to retry); the rest of the session loads.
#[test]
fn a_file_being_opened_at_a_crash_is_not_reopened_by_itself() {
    use taonan_map::gui::session::{FileEntry, Session};
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = temp_dir("crash");
    let sq = |name| Square {
        x: 5_060_000.0,
        y: 41_440_000.0,
        side: 300.0,
        name,
        mineral: "萤石",
    };
    let good = write_zone41_squares(&dir, "好文件", &[sq("甲")]).expect("fixture");
    let bad = write_zone41_squares(&dir, "致崩溃", &[sq("乙")]).expect("fixture");
    let data_dir = temp_dir("crash-data");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    // What the last run left: it died while opening `bad`, and wrote a crash report.
    std::fs::write(data_dir.join("opening.txt"), format!("{}\n", bad.display())).expect("marker");
    std::fs::write(data_dir.join("crash-1.txt"), "boom").expect("report");
    let entry = |path: &std::path::Path| FileEntry {
        path: path.to_path_buf(),
        ..FileEntry::default()
    };
    let mut h = harness_with(AppOptions {
        data_dir: Some(data_dir.clone()),
        session: Session {
            files: vec![entry(&good), entry(&bad)],
            ..Session::default()
        },
        ..AppOptions::default()
    });
    wait_for_loading(&mut h);
    let names: Vec<String> = h
        .state()
        .catalog()
        .layers
        .iter()
        .map(|l| l.name_zh.clone())
        .collect();
    assert!(names.contains(&"好文件".to_owned()) && !names.contains(&"致崩溃".to_owned()));
    assert_eq!(labels_containing(&h, "未自动重新打开").len(), 1);
    assert_eq!(labels_containing(&h, "崩溃报告").len(), 1);
    assert!(data_dir.join("crash-1.shown.txt").is_file());
    assert!(
        !h.state()
            .session_snapshot()
            .files
            .iter()
            .any(|e| e.path == bad)
    );
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
    let _ = std::fs::remove_dir_all(data_dir.parent().expect("parent"));
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario through the window, step by step"
)]
fn geojson_and_kml_open_like_shapefiles_and_an_unplaced_layer_is_placed_in_its_settings() {
    let dir = temp_dir("formats");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let geojson = dir.join("采矿权申请.geojson");
    std::fs::write(
        &geojson,
        r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
            "properties": {"名称": "采矿权一号"},
            "geometry": {"type": "Polygon", "coordinates": [[[122.80, 45.40], [122.84, 45.40], [122.84, 45.43], [122.80, 45.40]]]}}]}"#,
    )
    .expect("geojson");
    let kml = dir.join("外业标注.kml");
    std::fs::write(
        &kml,
        r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>第一批</name>
           <Placemark><name>核查点甲</name><Point><coordinates>122.79,45.35</coordinates></Point></Placemark>
           </Folder></Document></kml>"#,
    )
    .expect("kml");
    // Web Mercator numbers with no CRS member: no CRS of the region fits them → unplaced.
    let mercator = dir.join("墨卡托.geojson");
    std::fs::write(
        &mercator,
        r#"{"type": "Feature", "properties": {"名称": "未定位"},
            "geometry": {"type": "Point", "coordinates": [13668900.0, 5676500.0]}}"#,
    )
    .expect("mercator");

    let mut h = harness();
    // Dropped on the window, and through the open dialog's path.
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(geojson)));
    wait_for_loading(&mut h);
    h.state_mut()
        .open_files(&egui::Context::default(), vec![kml, mercator]);
    wait_for_loading(&mut h);
    let names: Vec<String> = h.state().catalog().layers[7..]
        .iter()
        .map(|l| l.name_zh.clone())
        .collect();
    assert_eq!(names, ["采矿权申请", "外业标注", "墨卡托"]);
    for name in ["采矿权申请", "外业标注", "墨卡托"] {
        assert!(has(&h, name), "{name} listed in the layer panel");
    }
    let layers = &h.state().catalog().layers;
    assert!(layers[7].is_placed() && layers[8].is_placed());
    assert!(
        layers[8].crs.in_both_languages().contains("WGS 84"),
        "{}",
        layers[8].crs.in_both_languages()
    );
    assert!(!layers[9].is_placed());
    assert_eq!(layers[9].features.len(), 1, "counted");
    assert!(
        !labels_containing(&h, "坐标系未知").is_empty(),
        "marked in the layer panel"
    );
    // Its attribute table opens while it is unplaced (the top layer's buttons come first).
    h.query_all_by_label("属性表")
        .next()
        .expect("a table button")
        .click();
    h.run_steps(3);
    assert_eq!(labels_containing(&h, "属性表：墨卡托").len(), 1);
    assert!(has(&h, "未定位"), "its row is there");
    h.get_by_label("Close window").click();
    h.run_steps(3);
    // Its settings: pick Web Mercator → placed at Taonan.
    h.query_all_by_label("设置")
        .next()
        .expect("a settings button")
        .click();
    h.run_steps(3);
    // The settings window's one text field is the CRS search.
    // (The find box of the top bar is the other text field.)
    h.query_all_by_role(egui::Role::TextInput)
        .last()
        .expect("the CRS search")
        .click();
    h.run_steps(1);
    h.query_all_by_role(egui::Role::TextInput)
        .last()
        .expect("the CRS search")
        .type_text("3857");
    h.run_steps(3);
    h.query_all_by_label_contains("EPSG:3857")
        .next()
        .expect("Web Mercator in the CRS list")
        .click();
    wait_for_loading(&mut h);
    let layer = &h.state().catalog().layers[9];
    assert!(layer.is_placed(), "{}", layer.crs.in_both_languages());
    let c = layer.extent().expect("extent").center();
    assert!(
        (122.7..122.9).contains(&c.x) && (45.3..45.4).contains(&c.y),
        "{c:?}"
    );
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "the fixtures of two formats are written inline, then checked in the window"
)]
fn a_geopackage_and_a_dxf_open_through_the_window() {
    use gpkg_dxf::{CONTROL_E, CONTROL_N, Table, gp_blob, wkb};
    let dir = temp_dir("gpkg-dxf");
    std::fs::create_dir_all(&dir).expect("dir");
    // A GeoPackage of two feature tables (zone 41 and lon/lat) and a GBK DXF parcel drawing.
    let gpkg = dir.join("成果.gpkg");
    let sq = |e: f64, n: f64| {
        vec![
            (e, n),
            (e + 300.0, n),
            (e + 300.0, n + 300.0),
            (e, n + 300.0),
            (e, n),
        ]
    };
    let parcels = Table {
        name: "申请地块",
        srs_id: 4529,
        geom_type: "POLYGON",
        columns: &[("名称", "TEXT")],
        rows: vec![(
            Some(gp_blob(
                4529,
                None,
                &wkb::polygon(&[&sq(CONTROL_E, CONTROL_N)], false),
            )),
            vec![rusqlite::types::Value::Text("甲地块".into())],
        )],
    };
    let points = Table {
        name: "控制点",
        srs_id: 4490,
        geom_type: "POINT",
        columns: &[("点号", "TEXT")],
        rows: vec![(
            Some(gp_blob(4490, None, &wkb::point(122.8, 45.4))),
            vec![rusqlite::types::Value::Text("K1".into())],
        )],
    };
    gpkg_dxf::write_gpkg(
        &gpkg,
        &[
            (4529, "CGCS2000 zone 41", "EPSG", 4529, "undefined"),
            (4490, "CGCS2000", "EPSG", 4490, "undefined"),
        ],
        &[parcels, points],
    );
    let dxf = dir.join("宗地图.dxf");
    let ring: Vec<(f64, f64, f64)> = sq(CONTROL_E + 2000.0, CONTROL_N)[..4]
        .iter()
        .map(|&(x, y)| (x, y, 0.0))
        .collect();
    gpkg_dxf::write_gbk(
        &dxf,
        &gpkg_dxf::dxf_text(
            "AC1015",
            6,
            &[
                gpkg_dxf::lwpolyline("宗地", &ring, true),
                gpkg_dxf::text("注记", CONTROL_E + 2100.0, CONTROL_N + 100.0, "乙宗地"),
            ],
        ),
    );
    let mut h = harness();
    for p in [gpkg.clone(), dxf] {
        h.input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(p)));
    }
    wait_for_loading(&mut h);
    // The GeoPackage has two feature tables: nothing of it loads before the user picks.
    assert_eq!(h.state().catalog().layers.len(), 8, "only the DXF so far");
    assert!(has(&h, "选择要素表"), "the table picker is shown");
    for cell in ["申请地块", "POLYGON", "控制点", "POINT", "载入（2）"] {
        assert!(has(&h, cell), "{cell} in the picker");
    }
    // Both ticked by default: untick 控制点, load the other.
    h.get_by_label("控制点").click();
    h.run_steps(2);
    h.get_by_label("载入（1）").click();
    wait_for_loading(&mut h);
    assert!(!has(&h, "选择要素表"), "the picker has closed");
    let names: Vec<String> = h.state().catalog().layers[7..]
        .iter()
        .map(|l| l.name_zh.clone())
        .collect();
    assert_eq!(names, ["宗地图", "申请地块"]);
    for n in ["申请地块", "宗地图"] {
        assert!(has(&h, n), "{n} listed in the layer panel");
    }
    // The pick is remembered for the file.
    let session = h.state().session_snapshot();
    let entry = session
        .files
        .iter()
        .find(|e| e.path == gpkg)
        .expect("the GeoPackage's entry");
    assert_eq!(entry.tables.as_deref(), Some(&["申请地块".to_owned()][..]));
    assert!(
        !labels_containing(&h, "DXF 不含坐标系").is_empty(),
        "the inferred CRS is to be confirmed"
    );
    // The DXF parcel sits where PROJ puts its corner, and carries its text.
    let i = 7 + names.iter().position(|n| n == "宗地图").expect("dxf layer");
    let layer = &h.state().catalog().layers[i];
    let f = &layer.features[0];
    assert!(
        f.attributes
            .iter()
            .any(|(k, v)| &**k == "TEXT" && v.display() == "乙宗地")
    );
    let proj = taonan_map::crs::transform("EPSG:4529", "EPSG:4490").expect("PROJ");
    let (lon, lat) = proj
        .convert((CONTROL_E + 2000.0, CONTROL_N))
        .expect("PROJ converts");
    let geo::Geometry::Polygon(p) = &f.geometry else {
        panic!("a polygon")
    };
    let c = p.exterior().0[0];
    assert!(
        (c.x - lon).abs() < 1e-7 && (c.y - lat).abs() < 1e-7,
        "{c:?}"
    );
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

/// A local mine grid's numbers (easting 1000 / northing 2000 at the first vertex), no CRS.
const LOCAL_GRID: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"名称": "一号井田"}, "geometry": {"type": "Polygon", "coordinates": [[[1000, 2000], [1500, 2000], [1500, 2600], [1000, 2000]]]}},
  {"type": "Feature", "properties": {"名称": "二号井田"}, "geometry": {"type": "Point", "coordinates": [1200, 2300]}}]}"#;

/// 坐标转换… in a layer's settings: control points pasted, solved on a worker with each
/// point's residual shown, applied (the layer is placed where PROJ puts the control point), and
/// remembered for the file: the next start places it again.
#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario through the window, step by step"
)]
fn a_local_grid_is_placed_from_control_points_in_the_transform_window_and_remembered() {
    let dir = temp_dir("transform");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("矿区独立坐标.geojson");
    std::fs::write(&path, LOCAL_GRID).expect("fixture");
    let mut h = harness();
    h.state_mut()
        .open_files(&egui::Context::default(), vec![path.clone()]);
    wait_for_loading(&mut h);
    let li = h.state().catalog().layers.len() - 1;
    assert!(!h.state().catalog().layers[li].is_placed());
    h.query_all_by_label("设置")
        .next()
        .expect("a settings button")
        .click();
    h.run_steps(3);
    h.get_by_label("坐标转换（四参数 / 七参数）…").click();
    h.run_steps(3);
    assert!(
        has(&h, "七参数（布尔莎，位置矢量）"),
        "the convention is named"
    );
    // Three control points, X (northing) / Y (easting) as surveyors write them; K3 is 1 cm off.
    let paste = h
        .query_all_by_role(egui::Role::MultilineTextInput)
        .last()
        .expect("the paste box");
    paste.click();
    h.run_steps(1);
    h.query_all_by_role(egui::Role::MultilineTextInput)
        .last()
        .expect("the paste box")
        .type_text("K1, 2000, 1000, 5021800, 41481600\nK2, 2000, 1500, 5021800, 41482100\nK3, 2600, 1500, 5022400.01, 41482100");
    h.run_steps(2);
    h.get_by_label("读入粘贴的控制点").click();
    h.run_steps(2);
    h.get_by_label("求解").click();
    wait_while(&mut h, TaonanApp::transform_busy, "the solve");
    h.run_steps(2);
    assert!(!labels_containing(&h, "RMS").is_empty(), "the RMS is shown");
    assert!(
        !labels_containing(&h, "(0.0").is_empty(),
        "each point's residual is shown"
    );
    h.get_by_label("应用").click();
    wait_for_loading(&mut h);
    let want = taonan_map::crs::transform("EPSG:4529", "EPSG:4490")
        .expect("PROJ")
        .convert((41_481_600.0, 5_021_800.0))
        .expect("convert");
    let check = |h: &Harness<'static, TaonanApp>| {
        let layer = h
            .state()
            .catalog()
            .layers
            .iter()
            .find(|l| l.name_zh == "矿区独立坐标")
            .expect("the layer")
            .clone();
        assert!(layer.is_placed(), "{}", layer.crs.in_both_languages());
        assert!(
            layer.crs.in_both_languages().contains("four-parameter"),
            "{}",
            layer.crs.in_both_languages()
        );
        let c = geo::CoordsIter::coords_iter(&layer.features[0].geometry)
            .next()
            .expect("vertex");
        // Within a centimetre (the 1 cm of K3 spreads over the points).
        assert!(
            (c.x - want.0).abs() < 2e-7 && (c.y - want.1).abs() < 2e-7,
            "{c:?} vs {want:?}"
        );
    };
    check(&h);
    let session = h.state().session_snapshot();
    let entry = session
        .files
        .iter()
        .find(|e| e.path == path)
        .expect("the file's entry");
    let spec = entry
        .transform
        .as_ref()
        .expect("the transform is remembered");
    assert_eq!(spec.points.len(), 3);
    // The next start opens the file placed by the same transform.
    let mut h2 = harness_with(AppOptions {
        basemap: false,
        session,
        ..Default::default()
    });
    wait_for_loading(&mut h2);
    check(&h2);
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}
