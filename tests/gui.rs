//! The window, driven the way a user drives it (egui_kittest): it starts offline, a click on a
//! zone shows it in the side panel, a click on empty map clears it, overlapping zones ask which
//! one, and the language switch changes the labels.

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use taonan_map::catalog::FeatureRef;
use taonan_map::gui::{AppOptions, TaonanApp};
use taonan_map::measure::centroid;
use taonan_map::model::LayerRole;

fn harness() -> Harness<'static, TaonanApp> {
    let ctx = egui::Context::default();
    let app = TaonanApp::new(
        &ctx,
        AppOptions {
            basemap: false,
            ..Default::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        // The app installs its CJK font on the context it is created with; the harness has its own.
        .with_context_setup(|ctx| taonan_map::gui::setup_context(ctx))
        .build_ui_state(|ui, app: &mut TaonanApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

fn click(h: &mut Harness<'static, TaonanApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    h.step();
    h.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(3);
}

/// Whether some widget carries exactly this label.
fn has(h: &Harness<'static, TaonanApp>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// Labels that contain this text.
fn labels_containing(h: &Harness<'static, TaonanApp>, part: &str) -> Vec<String> {
    h.query_all_by_label_contains(part)
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect()
}

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
    for name in taonan_map::bundled::LAYERS.iter().map(|b| b.name_zh) {
        assert!(has(&h, name), "{name}");
    }
    assert!(has(&h, "无底图"));
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

/// Step the UI until the background overlap analysis has finished.
fn wait_for_analysis(h: &mut Harness<'static, TaonanApp>) {
    // A change made in this frame starts the analysis in the next one.
    h.run_steps(2);
    for _ in 0..500 {
        h.step();
        if !h.state().analysis_busy() {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("the overlap analysis did not finish");
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
    use taonan_map::fixtures::{Square, write_zone41_squares};
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
    let ctx = egui::Context::default();
    let app = TaonanApp::new(
        &ctx,
        AppOptions {
            basemap: false,
            files: vec![path],
            ..Default::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(|ctx| taonan_map::gui::setup_context(ctx))
        .build_ui_state(|ui, app: &mut TaonanApp| app.ui(ui), app);
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
