//! The clerk's desk tools in the window (egui_kittest, offline, temp folders only): the find
//! box (pinyin initials → a township selected and shown; coordinates → the view goes there)
//! and the measure tool (clicks → a geodesic distance, snapped to a vertex, kept as a layer).

use egui::{Event, Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::{CoordsIter, Geometry};
use taonan_map::gui::{AppOptions, TaonanApp};
use taonan_map::model::catalog::FeatureRef;
use taonan_map::model::{LayerRole, ProvenanceKind};

mod support;
use support::harness::{
    App, click, harness, harness_at, harness_stepped, labels_containing, press_and_release,
    temp_dir, wait_until,
};

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

/// A double-click at `pos`: two clicks, the pointer still (within egui's 0.3 s in a harness
/// made by `harness_stepped` with short frames).
fn double_click(h: &mut App, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    press_and_release(h, pos);
    press_and_release(h, pos);
    h.run_steps(2);
}

/// The meshes painted in the last frame whose every vertex has the colour `fill`: how many,
/// and the screen area their triangles cover.
fn painted_fill(h: &App, fill: egui::Color32) -> (usize, f32) {
    let (mut n, mut area) = (0, 0.0);
    for clipped in &h.output().shapes {
        let egui::Shape::Mesh(m) = &clipped.shape else {
            continue;
        };
        if m.vertices.is_empty() || m.vertices.iter().any(|v| v.color != fill) {
            continue;
        }
        n += 1;
        for t in m.indices.chunks_exact(3) {
            let [a, b, c] = [t[0], t[1], t[2]].map(|i| m.vertices[i as usize].pos);
            area += ((b - a).x * (c - a).y - (b - a).y * (c - a).x).abs() / 2.0;
        }
    }
    (n, area)
}

/// The area being measured is filled (translucent) while it is drawn; a double-click ends it
/// at the point its first click added, as Enter (and Esc) do: the next click starts anew.
#[test]
fn an_area_is_filled_while_drawn_and_a_double_click_or_enter_ends_it() {
    use taonan_map::gui::MEASURE_FILL;
    // Frames 1/20 s apart: the double-click's clicks come within 0.3 s.
    let mut h = harness_stepped(AppOptions::default(), 0.05);
    h.run_steps(3);
    h.get_by_label("测量工具").click();
    h.run_steps(2);
    h.get_by_label("面积").click();
    h.run_steps(2);
    let rect = h.state().map_rect().expect("map");
    let o = rect.center();
    let (a, b, c) = (
        o + egui::vec2(-120.0, 40.0),
        o + egui::vec2(60.0, 60.0),
        o + egui::vec2(100.0, 180.0),
    );
    for p in [a, b] {
        click(&mut h, p);
    }
    assert!(
        painted_fill(&h, MEASURE_FILL).1 < 1.0,
        "no area with two points"
    );
    click(&mut h, c);
    // Three points: the triangle a, b, c (the pointer's corner is at c) is filled (a click
    // within 10 points of a vertex snaps to it: the area is the triangle's, give or take).
    let (meshes, area) = painted_fill(&h, MEASURE_FILL);
    let want = ((b - a).x * (c - a).y - (b - a).y * (c - a).x).abs() / 2.0;
    assert_eq!(meshes, 1);
    assert!((area - want).abs() < want * 0.2, "{area} vs {want}");

    let d = o + egui::vec2(-100.0, 170.0);
    h.run_steps(8); // a pause: the double-click is not the third click of the ones before
    double_click(&mut h, d);
    let (m, finished) = h.state().measurement();
    assert!(finished, "the double-click ended it");
    assert_eq!(m.points.len(), 4, "its second click added no point");
    h.get_by_label("保存为临时图层").click();
    h.run_steps(3);
    let layer = h.state().catalog().layers.last().expect("layer").clone();
    let Geometry::Polygon(p) = &layer.features[0].geometry else {
        panic!("{:?}", layer.features[0].geometry)
    };
    assert_eq!(
        p.exterior().0.len(),
        5,
        "four corners, closed: {:?}",
        p.exterior()
    );
    // The next click starts a new measurement; Enter ends it as the double-click did.
    for p in [a, b, c] {
        click(&mut h, p);
    }
    assert_eq!(h.state().measurement().0.points.len(), 3);
    assert!(!h.state().measurement().1);
    h.key_press(Key::Enter);
    h.run_steps(2);
    assert!(h.state().measurement().1, "Enter ended it");
    click(&mut h, d);
    assert_eq!(h.state().measurement().0.points.len(), 1, "a new one");
}

/// 设置 (from a layer name's menu) labels a layer by the field chosen: the map's labels then
/// read that field, stay off the selection, and the choice is in the session.
#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario through the window, step by step"
)]
fn the_label_field_chosen_in_settings_labels_the_map() {
    let mut h = harness();
    let li = h
        .state()
        .layer_index(LayerRole::MiningBlocks)
        .expect("mining blocks");
    let labelled = |h: &App| -> Vec<String> {
        h.state()
            .map_labels()
            .labels
            .iter()
            .filter(|l| l.layer == li)
            .map(|l| l.text.clone())
            .collect()
    };
    assert!(labelled(&h).is_empty(), "zones are not labelled at first");
    assert!(
        !h.state().map_labels().labels.is_empty(),
        "the township seats are"
    );
    h.get_by_label("开采规划区块").click_secondary();
    h.run_steps(2);
    h.get_by_label("设置…").click();
    h.run_steps(3);
    h.get_by_label("显示标注").click();
    h.run_steps(3);
    let names = labelled(&h);
    assert!(!names.is_empty(), "labelled by their names");
    let layer = h.state().catalog().layers[li].clone();
    assert!(
        names.iter().all(|n| layer
            .features
            .iter()
            .enumerate()
            .any(|(i, f)| f.display_name(i) == *n)),
        "{names:?}"
    );

    // The field: XH (the plan's serial numbers).
    h.get_by_value("显示名称").click();
    h.run_steps(2);
    h.get_by_label("XH").click();
    h.run_steps(3);
    assert_eq!(h.state().label_style(li).field.as_deref(), Some("XH"));
    let numbers = labelled(&h);
    assert!(!numbers.is_empty());
    let xh: Vec<String> = layer
        .features
        .iter()
        .filter_map(|f| f.attr("XH").map(|v| v.display()))
        .collect();
    assert!(
        numbers.iter().all(|n| xh.contains(n)),
        "{numbers:?} in {xh:?}"
    );

    // A selected zone: no label over its box on screen.
    let sel = FeatureRef {
        layer: li,
        feature: 0,
    };
    h.state_mut().select(Some(sel));
    h.run_steps(3);
    let g = geo::BoundingRect::bounding_rect(&layer.features[0].geometry).expect("box");
    let (p, q) = (
        h.state().screen_pos(g.min().x, g.min().y).expect("pos"),
        h.state().screen_pos(g.max().x, g.max().y).expect("pos"),
    );
    let sel_box = egui::Rect::from_two_pos(p, q);
    for l in &h.state().map_labels().labels {
        let r = egui::Rect::from_min_size(
            egui::pos2(l.rect[0], l.rect[1]),
            egui::vec2(l.rect[2], l.rect[3]),
        );
        assert!(
            !r.intersects(sel_box.shrink(0.5)),
            "{} over the selection",
            l.text
        );
    }
    // Remembered: the bundled layer's labels are in the session by its stem.
    let s = h.state().session_snapshot();
    assert!(
        s.bundled_labels
            .iter()
            .any(|(stem, l)| stem == "mining_blocks" && l.field.as_deref() == Some("XH") && l.on),
        "{:?}",
        s.bundled_labels
    );
}

/// The top bar is one row: the menus, then the find box and 测量工具 right-aligned on the same
/// row, inside the window at its default width and at 1000 and 460 points (the find box
/// narrower there).
#[test]
fn the_find_box_and_the_measure_tool_sit_on_the_menu_row() {
    let mut widths = Vec::new();
    for width in [1280.0, 1000.0, 460.0] {
        let mut h = harness_at(AppOptions::default(), [width, 800.0], 0.25);
        h.run_steps(3);
        let menu = h.get_by_label("文件").rect();
        let measure = h.get_by_label("测量工具").rect();
        let find = h.get_by_role(egui::Role::TextInput).rect();
        for (what, r) in [("测量工具", measure), ("the find box", find)] {
            assert!(
                r.center().y > menu.top() && r.center().y < menu.bottom(),
                "{width}: {what} {r:?} not on the menu's row {menu:?}"
            );
            assert!(
                r.left() > menu.right() && r.right() <= width,
                "{width}: {what} {r:?} clipped or over the menus"
            );
        }
        assert!(
            find.right() <= measure.left(),
            "{width}: {find:?} {measure:?}"
        );
        widths.push(find.width());
    }
    assert!(
        widths[2] < widths[0],
        "the find box narrows with the window: {widths:?}"
    );
}
