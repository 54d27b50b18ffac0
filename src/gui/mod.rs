//! The window: a thin egui/eframe front end over the core.
//!
//! - [`app`]: `TaonanApp`, which owns the parts below and draws them; its `apply` module is
//!   the one place where their actions change the state.
//! - [`action`]: `Action`, what the user asks (returned by the menu, panels, windows, map).
//! - [`layer_set`]: the catalog with one `LayerState` per layer (visibility, file, colour,
//!   load notes), changed together.
//! - [`menu`]: the menu bar.
//! - [`map`]: the map view, the selection, the basemap and what is drawn on the map.
//! - [`panels`]: the layer list, the feature details, the findings, the status bar.
//! - [`windows`]: the windows over the map and the set of those open (`windows::open`).
//! - [`jobs`]: work off the UI thread (loading, analysis, crash notes).
//! - [`session`], [`startup`]: what comes back at the next start, and reading it.
//! - [`fonts`], [`i18n`]: the CJK font and the interface language.

mod action;
pub mod app;
mod fonts;
mod i18n;
mod jobs;
mod layer_set;
mod map;
mod menu;
mod panels;
pub mod session;
mod startup;
mod windows;

pub use action::Action;
pub use app::{AppOptions, TaonanApp};
pub use i18n::Lang;
pub use map::measure_tool::MEASURE_FILL;

/// Install the bundled CJK font and the app's theme on a context (the app does this itself on
/// the context it is created with; tests use it for the harness's context).
pub fn setup_context(ctx: &egui::Context) {
    fonts::setup_context(ctx);
}

/// When the process started the window (for the start-up measurement).
pub static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Window title.
pub const TITLE: &str = "洮南市矿产资源规划图 — taonan-map";

/// Open the window with these files loaded on top of the bundled layers.
pub fn run(files: Vec<std::path::PathBuf>) -> Result<(), String> {
    let _ = START.set(std::time::Instant::now());
    if let Some(dir) = dirs::data_dir().map(|d| d.join("taonan-map")) {
        jobs::crash::install_hook(dir);
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(TITLE)
            .with_app_id("taonan-map")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    eframe::run_native(
        TITLE,
        options,
        Box::new(move |cc| {
            let lang = cc
                .storage
                .and_then(|s| s.get_string(app::LANG_KEY))
                .and_then(|s| Lang::from_key(&s))
                .unwrap_or_default();
            let session = cc
                .storage
                .and_then(|s| s.get_string(session::KEY))
                .map(|t| session::Session::parse(&t))
                .unwrap_or_default();
            let opts = AppOptions {
                basemap: true,
                files,
                lang,
                session,
                data_dir: None,
                config_dir: None,
                cache_dir: None,
            };
            Ok(Box::new(TaonanApp::new(&cc.egui_ctx, opts)))
        }),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}
