//! The window in an egui_kittest harness, as every GUI test suite drives it: the app made with
//! no network and with its settings, cache and data folders in temp folders (never the user's
//! own), and the few gestures and waits the suites share.

#![allow(dead_code)]

use std::path::PathBuf;

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use taonan_map::gui::{AppOptions, TaonanApp};

/// The window under test.
pub type App = Harness<'static, TaonanApp>;

/// A folder of this suite's for `name` (`taonan-<suite>-<name>-<process>/测绘成果`: a Chinese
/// folder name, as the bureau's are).
pub fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir()
        .join(format!(
            "taonan-{}-{name}-{}",
            env!("CARGO_CRATE_NAME"),
            std::process::id()
        ))
        .join("测绘成果")
}

/// The app in a 1280 × 800 harness, no network ever touched; the settings, cache and data
/// folders not given in `options` are this suite's temp folders. Not stepped yet.
pub fn harness_with(options: AppOptions) -> App {
    harness_stepped(options, 0.25)
}

/// [`harness_with`] with frames `step_dt` seconds apart (egui_kittest's default is 0.25 s, and
/// each queued event is a frame of its own: a double-click needs its two clicks within 0.3 s).
pub fn harness_stepped(options: AppOptions, step_dt: f32) -> App {
    harness_at(options, [1280.0, 800.0], step_dt)
}

/// [`harness_stepped`] in a window of `size` points.
pub fn harness_at(options: AppOptions, size: [f32; 2], step_dt: f32) -> App {
    let ctx = egui::Context::default();
    let app = TaonanApp::new(
        &ctx,
        AppOptions {
            basemap: false,
            // Never the user's own settings file, rules, field labels or tile cache.
            config_dir: options
                .config_dir
                .clone()
                .or_else(|| Some(temp_dir("config"))),
            cache_dir: options
                .cache_dir
                .clone()
                .or_else(|| Some(temp_dir("cache").join("tile-cache"))),
            data_dir: options.data_dir.clone().or_else(|| Some(temp_dir("data"))),
            ..options
        },
    );
    Harness::builder()
        .with_size(size)
        .with_step_dt(step_dt)
        // The app installs its CJK font on the context it is created with; the harness has its own.
        .with_context_setup(taonan_map::gui::setup_context)
        .build_ui_state(|ui, app: &mut TaonanApp| app.ui(ui), app)
}

/// The app with the default options, after its first frames.
pub fn harness() -> App {
    let mut h = harness_with(AppOptions::default());
    h.run_steps(3);
    h
}

/// A primary click at `pos` (the pointer moves there first), and the frames after it.
pub fn click(h: &mut App, pos: Pos2) {
    h.event(Event::PointerMoved(pos));
    h.step();
    press_and_release(h, pos);
    h.run_steps(2);
}

/// The primary button pressed and released at `pos`, a frame after each.
pub fn press_and_release(h: &mut App, pos: Pos2) {
    for pressed in [true, false] {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        h.step();
    }
}

/// Whether some widget carries exactly this label.
pub fn has(h: &App, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

/// Labels (or values) of the widgets whose label contains this text.
pub fn labels_containing(h: &App, part: &str) -> Vec<String> {
    h.query_all_by_label_contains(part)
        .filter_map(|n| {
            let node = n.accesskit_node();
            node.label().or_else(|| node.value())
        })
        .collect()
}

/// Step the UI until `busy` says the app's background work is done (20 s at most).
pub fn wait_while(h: &mut App, busy: fn(&TaonanApp) -> bool, what: &str) {
    // A change made in this frame starts the work in the next one.
    h.run_steps(2);
    for _ in 0..4000 {
        h.step();
        if !busy(h.state()) {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    panic!("{what} did not finish");
}

/// Step (with short sleeps: answers come from workers) until `done`, at most 20 s.
pub fn wait_until(h: &mut App, what: &str, done: impl Fn(&App) -> bool) {
    let start = std::time::Instant::now();
    while !done(h) {
        assert!(start.elapsed().as_secs() < 20, "waited too long for {what}");
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
}
