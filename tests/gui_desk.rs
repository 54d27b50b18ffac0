//! The clerk's desk tools in the window (egui_kittest, offline, temp folders only): the find
//! box (pinyin initials → a township selected and shown; coordinates → the view goes there)
//! and the measure tool (clicks → a geodesic distance, snapped to a vertex, kept as a layer).

use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use geo::{CoordsIter, Geometry};
use taonan_map::gui::{AppOptions, TaonanApp};
use taonan_map::model::catalog::FeatureRef;
use taonan_map::model::{LayerRole, ProvenanceKind};

fn temp_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir()
        .join(format!("taonan-gui-desk-{name}-{}", std::process::id()))
        .join("测绘成果")
}

fn harness() -> Harness<'static, TaonanApp> {
    let ctx = egui::Context::default();
    let app = TaonanApp::new(
        &ctx,
        AppOptions {
            basemap: false,
            config_dir: Some(temp_dir("config")),
            cache_dir: Some(temp_dir("cache").join("tile-cache")),
            data_dir: Some(temp_dir("data")),
            ..Default::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(taonan_map::gui::setup_context)
        .build_ui_state(|ui, app: &mut TaonanApp| app.ui(ui), app);
    h.run_steps(3);
    h
}

fn click(h: &mut Harness<'static, TaonanApp>, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
    h.run_steps(2);
}

/// Step (with short sleeps: the answer comes from a worker) until `done`, at most 10 s.
fn wait_until(
    h: &mut Harness<'static, TaonanApp>,
    what: &str,
    done: impl Fn(&Harness<'static, TaonanApp>) -> bool,
) {
    let start = std::time::Instant::now();
    while !done(h) {
        assert!(start.elapsed().as_secs() < 10, "waited too long for {what}");
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
}

fn labels_containing(h: &Harness<'static, TaonanApp>, part: &str) -> Vec<String> {
    h.query_all_by_label_contains(part)
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect()
}

fn type_into_find_box(h: &mut Harness<'static, TaonanApp>, text: &str) {
    h.get_by_role(egui::Role::TextInput).click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role(egui::Role::TextInput).type_text(text);
    h.run_steps(1);
}

#[test]
fn pinyin_initials_find_a_township_and_enter_selects_and_shows_it() {
    let mut h = harness();
    let li = h
        .state()
        .layer_index(LayerRole::Townships)
        .expect("townships");
    let fi = h.state().catalog().layers[li]
        .features
        .iter()
        .enumerate()
        .position(|(i, f)| f.display_name(i) == "蛟流河乡")
        .expect("蛟流河乡");
    let want = FeatureRef {
        layer: li,
        feature: fi,
    };
    type_into_find_box(&mut h, "jlh");
    // Results as one types: the township's row shows up (from the worker).
    wait_until(&mut h, "results", |h| {
        h.query_all_by_label("蛟流河乡").next().is_some()
    });
    let zoom_before = h.state().view().0;
    h.key_press(Key::Enter);
    h.run_steps(4);
    assert_eq!(h.state().selected(), Some(want));
    let (zoom, centre) = h.state().view();
    assert!(
        zoom > zoom_before + 2.0,
        "zoomed in: {zoom_before} → {zoom}"
    );
    let seat = match &h.state().catalog().feature(want).expect("seat").geometry {
        Geometry::Point(p) => (p.x(), p.y()),
        g => panic!("{g:?}"),
    };
    let centre = centre.expect("centre");
    assert!((centre.0 - seat.0).abs() < 0.01 && (centre.1 - seat.1).abs() < 0.01);

    // Coordinates typed in (zone-41 X/Y): the view goes there.
    type_into_find_box(&mut h, "5023456.7 41457390.25");
    wait_until(&mut h, "the place row", |h| {
        !labels_containing(h, "跳转到").is_empty()
    });
    h.key_press(Key::Enter);
    h.run_steps(4);
    let proj = taonan_map::crs::zone41_to_lonlat(taonan_map::crs::SurveyXY {
        x: 5_023_456.7,
        y: 41_457_390.25,
    })
    .expect("PROJ");
    let (_, centre) = h.state().view();
    let centre = centre.expect("centre");
    assert!(
        (centre.0 - proj.0).abs() < 0.002 && (centre.1 - proj.1).abs() < 0.002,
        "{centre:?} vs {proj:?}"
    );
}

#[test]
fn clicks_measure_a_geodesic_distance_snapped_and_kept_as_a_layer() {
    let mut h = harness();
    h.get_by_label("测量工具").click();
    h.run_steps(4);
    assert!(
        !labels_containing(&h, "尚未测量").is_empty(),
        "{:?}",
        labels_containing(&h, "测量")
    );
    // A corner of the first key zone, clicked 3 points off: it snaps to the corner.
    let app = h.state();
    let kz = app.layer_index(LayerRole::KeyZones).expect("key zones");
    let zone = app
        .catalog()
        .feature(FeatureRef {
            layer: kz,
            feature: 0,
        })
        .expect("zone");
    let corner = zone.geometry.coords_iter().next().expect("corner");
    let corner_px = app.screen_pos(corner.x, corner.y).expect("map drawn");
    let rect = app.map_rect().expect("map");
    let a = corner_px + egui::vec2(3.0, -2.0);
    let b = rect.center() + egui::vec2(-150.0, 120.0);
    let c = rect.center() + egui::vec2(140.0, 80.0);
    for p in [a, b, c] {
        click(&mut h, p);
    }
    h.key_press(Key::Escape);
    h.run_steps(2);
    // The clicks measured; they did not select.
    assert_eq!(h.state().selected(), None);
    let headline = labels_containing(&h, "距离：");
    assert!(!headline.is_empty(), "the live distance is shown");

    h.get_by_label("保存为临时图层").click();
    h.run_steps(3);
    let layer = h.state().catalog().layers.last().expect("layer").clone();
    assert_eq!(layer.name_zh, "量测 1");
    let f = &layer.features[0];
    assert_eq!(f.provenance.kind, ProvenanceKind::Measured);
    let Geometry::LineString(line) = &f.geometry else {
        panic!("{:?}", f.geometry)
    };
    assert_eq!(line.0.len(), 3);
    assert_eq!((line.0[0].x, line.0[0].y), (corner.x, corner.y), "snapped");
    // The other points are where the user clicked, or a vertex within the snapping box.
    for (p, at) in line.0[1..].iter().zip([b, c]) {
        let on_screen = h.state().screen_pos(p.x, p.y).expect("pos");
        let d = (on_screen - at).abs();
        assert!(d.x <= 10.5 && d.y <= 10.5, "{on_screen:?} vs {at:?}");
    }
    // The figure is the geodesic length (geo's, on WGS84: equal to 1e-9 relative).
    use geo::Length;
    let want = geo::Geodesic.length(line);
    let cd = match f.attr("CD_M") {
        Some(taonan_map::model::ValueRef::Number(n)) => n,
        v => panic!("{v:?}"),
    };
    assert!(((cd - want) / want).abs() < 1e-9, "{cd} vs {want}");
    let shown = taonan_map::analysis::geodesy::format_length(cd);
    assert!(
        headline.iter().any(|l| l.contains(&shown)),
        "{headline:?} shows {shown}"
    );
    // The layer shows in the layer list.
    assert!(h.query_all_by_label("量测 1").next().is_some());
    let _ = std::fs::remove_dir_all(temp_dir("data").parent().expect("parent"));
}
