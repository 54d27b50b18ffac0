//! The application window: it owns the parts (the layers, the map view, the selection, the
//! open windows, the loading and analysis jobs, the basemap, the session), draws the menu,
//! the layer list, the map, the side panel and the status bar from them, and applies what the
//! user asked ([`Action`]s) in [`TaonanApp::apply`], the one place the window's state changes.

mod apply;

use std::path::PathBuf;

use egui::Ui;

use crate::gui::Action;
use crate::gui::fonts;
use crate::gui::i18n::Lang;
use crate::gui::jobs::analysis::Analysis;
use crate::gui::jobs::loading::{FileResult, Loader};
use crate::gui::layer_set::{LayerSet, options_of};
use crate::gui::map::basemap::Basemap;
use crate::gui::map::selection::Selection;
use crate::gui::map::view::{MapInput, MapView};
use crate::gui::menu::{self, MenuView};
use crate::gui::panels::{details, findings, layers, status};
use crate::gui::session::Session;
use crate::gui::startup::{self, Folders};
use crate::gui::windows::attribute_table::TableState;
use crate::gui::windows::basemap_menu;
use crate::gui::windows::export::ExportDialog;
use crate::gui::windows::open::{WindowInput, Windows};
use crate::gui::windows::save_as::SaveDialog;
use crate::model::LayerRole;
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::fields::FieldLabels;
use crate::model::style::Styles;

/// The find box's width in the top bar when there is room (narrower windows shrink it).
const FIND_WIDTH: f32 = 260.0;

/// Settings key of the interface language.
pub const LANG_KEY: &str = "taonan-map.lang";

/// How to start the app.
#[derive(Debug, Clone, Default)]
pub struct AppOptions {
    /// Fetch web basemap tiles (false in tests: no network is touched at all; offline tile
    /// files still show).
    pub basemap: bool,
    /// Files to load on top of the bundled layers.
    pub files: Vec<PathBuf>,
    /// Interface language.
    pub lang: Lang,
    /// The last session (files, view, recent files), restored at start.
    pub session: Session,
    /// Where to keep the app's own files (default: the user's data folder).
    pub data_dir: Option<PathBuf>,
    /// Where the user's settings file is (default: the user's config folder).
    pub config_dir: Option<PathBuf>,
    /// Where the tile cache is (default: the user's cache folder).
    pub cache_dir: Option<PathBuf>,
}

/// The application state.
pub struct TaonanApp {
    /// Interface language.
    pub lang: Lang,
    /// The layers and what the window keeps for each (visibility, file, colour, load notes).
    layers: LayerSet,
    /// Symbology of the bundled roles, the selection and loaded layers.
    styles: Styles,
    /// Field names shown for attribute codes.
    labels: FieldLabels,
    /// The selected feature and the finding shown.
    selection: Selection,
    /// The map: centre, zoom, picture of the layers, hover and clicks.
    view: MapView,
    basemap: Basemap,
    analysis: Analysis,
    /// The PDF check report being written, if any.
    check_report: Option<crate::gui::jobs::check_report::CheckReportJob>,
    loader: Loader,
    windows: Windows,
    session: Session,
    /// Notes for the user (shown under the layer list).
    messages: Vec<String>,
    folders: Folders,
}

impl TaonanApp {
    /// Build the app: load the bundled layers (and files), install the CJK font.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        fonts::setup_context(ctx);
        let mut messages: Vec<String> = options
            .session
            .note
            .iter()
            .map(|n| n.in_lang(options.lang).to_owned())
            .collect();
        let bundled = crate::plan::bundled::load_all().unwrap_or_else(|e| {
            messages.push(e.in_lang(options.lang).to_owned());
            Vec::new()
        });
        let mut layers = LayerSet::bundled(bundled, &options.session.hidden_bundled);
        layers.restore_bundled_labels(&options.session.bundled_labels);
        let config_dir = options
            .config_dir
            .clone()
            .or_else(crate::user_config::default_dir);
        let (labels, mut config) =
            startup::user_settings(config_dir.as_deref(), options.lang, &mut messages);
        config.tile_cache_dir = options.cache_dir.clone();
        let analysis = Analysis::new(config_dir.as_deref());
        messages.extend(
            analysis
                .rules_note
                .as_ref()
                .map(|n| n.in_lang(options.lang).to_owned()),
        );
        let basemap = Basemap::new(
            options.basemap,
            options.session.basemap.as_deref().unwrap_or("osm"),
            config,
            options.session.tile_files.clone(),
        );
        let folders = Folders {
            data: options
                .data_dir
                .clone()
                .or_else(|| dirs::data_dir().map(|d| d.join("taonan-map")))
                .unwrap_or_else(std::env::temp_dir),
            config: config_dir,
        };
        let interrupted = startup::crash_notes(&folders.data, options.lang, &mut messages);
        let (session, restore) =
            startup::restore_session(options.session, &interrupted, options.lang, &mut messages);
        let mut app = Self {
            lang: options.lang,
            layers,
            styles: Styles::builtin(),
            labels,
            selection: Selection::default(),
            view: MapView::default(),
            basemap,
            analysis,
            check_report: None,
            loader: Loader::default(),
            windows: Windows::default(),
            session,
            messages,
            folders,
        };
        app.view.fit(app.taonan_extent());
        if let Some((lon, lat, zoom)) = app.session.view {
            app.view.set_view(lon, lat, zoom);
            app.view.fit(None);
        }
        if let Some(entry) = app.session.plan_database.clone() {
            let missing = app.windows.plan_db.restore(ctx, &entry, app.lang);
            if !missing.is_empty() {
                app.messages.extend(missing);
                app.session.plan_database = None;
            }
        }
        app.loader.restoring = !restore.is_empty() && app.session.view.is_some();
        app.open_files(ctx, restore);
        app.open_files(ctx, options.files);
        app
    }

    /// The loaded layers.
    pub fn catalog(&self) -> &Catalog {
        self.layers.catalog()
    }

    /// The selected feature.
    pub fn selected(&self) -> Option<FeatureRef> {
        self.selection.feature()
    }

    /// Select a feature (or clear with `None`), computing its summary once.
    pub fn select(&mut self, r: Option<FeatureRef>) {
        self.selection.select(self.layers.catalog(), r);
        self.view.close_choice();
    }

    /// The overlap analysis's latest findings.
    pub fn findings(&self) -> &crate::analysis::overlap::Findings {
        &self.analysis.findings
    }

    /// Whether the overlap analysis is running.
    pub fn analysis_busy(&self) -> bool {
        self.analysis.busy()
    }

    /// The finding shown on the map, if any.
    pub fn active_finding(&self) -> Option<usize> {
        self.selection.active_finding()
    }

    /// Show a finding: select its first feature, outline the other, draw the overlap hatched
    /// red and zoom to it.
    pub fn activate_finding(&mut self, i: usize) {
        let Some(f) = self.analysis.findings.findings.get(i) else {
            return;
        };
        self.view.close_choice();
        if let Some(r) = self.selection.activate(self.layers.catalog(), i, f) {
            self.view.fit(Some(r));
        }
    }

    /// Index of the first layer with this role.
    pub fn layer_index(&self, role: LayerRole) -> Option<usize> {
        self.catalog().layers.iter().position(|l| l.role == role)
    }

    /// The extent of the Taonan boundary.
    fn taonan_extent(&self) -> Option<geo::Rect<f64>> {
        let idx = self.layer_index(LayerRole::Boundary)?;
        self.catalog().extent_of(std::iter::once(idx))
    }

    /// The session as it stands: files with the user's choices, visibility, view, language.
    pub fn session_snapshot(&self) -> Session {
        let mut s = self.session.clone();
        s.lang = self.lang.key().to_owned();
        s.basemap = Some(self.basemap.choice().to_owned());
        s.tile_files = self.basemap.local.clone();
        if let (zoom, Some((lon, lat))) = self.view.view() {
            s.view = Some((lon, lat, zoom));
        }
        s.bundled_labels = self.layers.bundled_labels();
        let states = self.layers.states();
        s.hidden_bundled = crate::plan::bundled::LAYERS
            .iter()
            .zip(states)
            .filter(|(_, st)| !st.visible)
            .map(|(b, _)| b.stem.to_owned())
            .collect();
        for st in states {
            if let Some(e) = &st.entry
                && let Some(f) = s.file_mut(&e.path)
            {
                f.hidden = !st.visible;
            }
        }
        s
    }

    /// The basemap as the status bar reports it: its id, the status text, and how many of its
    /// tiles are held for drawing.
    pub fn basemap_report(&self) -> (String, String, usize) {
        (
            self.basemap.choice().to_owned(),
            self.basemap.status_line(self.lang.is_zh()).0,
            self.basemap.tiles_held(),
        )
    }

    /// The map's current zoom and centre (lon, lat).
    pub fn view(&self) -> (f64, Option<(f64, f64)>) {
        self.view.view()
    }

    /// Where a lon/lat position is on screen in the last drawn map, if the map was drawn.
    pub fn screen_pos(&self, lon: f64, lat: f64) -> Option<egui::Pos2> {
        self.view.screen_pos(lon, lat, self.basemap.is_gcj02())
    }

    /// The lon/lat extent (CGCS2000, unshifted) and pixel size of the map as last drawn.
    pub fn view_extent(&self) -> Option<(geo::Rect<f64>, (u32, u32))> {
        self.view.extent(self.basemap.is_gcj02())
    }

    /// Whether an export is being written.
    pub fn export_busy(&self) -> bool {
        self.windows.export.as_ref().is_some_and(ExportDialog::busy)
    }

    /// The attribute table's row count and whether its order is settled (not being worked
    /// out on a worker), while it is open.
    pub fn attribute_table_rows(&self) -> Option<(usize, bool)> {
        let t = self.windows.table.as_ref()?;
        Some((t.row_count(), t.settled()))
    }

    /// Open the attribute table of layer `li`.
    pub fn open_attribute_table(&mut self, li: usize) {
        self.windows.table = Some(TableState::new(li));
    }

    /// Show this lon/lat rectangle at the next frame (the view fits it).
    pub fn fit_to(&mut self, r: geo::Rect<f64>) {
        self.view.fit(Some(r));
    }

    /// Centre the map on a lon/lat at a zoom level (walkers' levels: 256 × 2^zoom points
    /// around the world).
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.view.set_view(lon, lat, zoom);
    }

    /// The measure tool's measurement (the points clicked) and whether it is finished.
    pub fn measurement(&self) -> (&crate::analysis::measurement::Measurement, bool) {
        (&self.view.measure.measurement, self.view.measure.finished)
    }

    /// The labels of layer `li` (as chosen in its 设置, else its role's).
    pub fn label_style(&self, li: usize) -> crate::model::style::LabelStyle {
        self.layers.label_style(li)
    }

    /// The labels shown on the map in the last frame, and the layers left unlabelled.
    pub fn map_labels(&self) -> &crate::render::labels::Placement {
        self.view.labels()
    }

    /// Whether the map's picture of the layers shows the current view and layers (no image
    /// is being drawn).
    pub fn map_complete(&self) -> bool {
        self.view.complete()
    }

    /// How long the map's last picture of the layers took to draw.
    pub fn map_render_time(&self) -> Option<std::time::Duration> {
        self.view.render_time()
    }

    /// The map's screen rectangle in the last frame.
    pub fn map_rect(&self) -> Option<egui::Rect> {
        self.view.rect()
    }

    /// Whether files are being loaded.
    pub fn loading_busy(&self) -> bool {
        self.loader.busy()
    }

    /// Open files: every way in (dialogs, drag-and-drop, recent files, command line, the last
    /// session) comes through here. Offline tile files become basemaps; the rest load on a
    /// worker thread, a file already loaded with the choices remembered for it.
    pub fn open_files(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        let (tiles, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| basemap_menu::is_tile_file(p));
        basemap_menu::open_tile_files(&mut self.basemap, &tiles, self.lang, &mut self.messages);
        let jobs = paths
            .into_iter()
            .map(|p| {
                let remembered = self.session.files.iter().find(|e| e.path == p);
                let opts = remembered.map(options_of).unwrap_or_default();
                (p, opts, None)
            })
            .collect();
        self.loader.start(ctx, &self.folders.data, jobs);
    }

    /// Take in what the loader has finished; start the files queued behind it.
    fn poll_loading(&mut self, ctx: &egui::Context) {
        for r in self.loader.poll() {
            self.take_result(r);
        }
        self.loader.next(ctx, &self.folders.data);
        if !self.loader.busy() {
            self.loader.restoring = false;
        }
    }

    /// Add a loaded file's layers (in place of the layer it reloads, if any).
    fn take_result(&mut self, r: FileResult) {
        if let Some(tables) = r.tables_to_pick {
            self.windows
                .table_pickers
                .push(crate::gui::windows::table_picker::TablePicker::new(
                    r.path, r.options, tables,
                ));
            return;
        }
        let layers = match r.result {
            Ok(layers) => layers,
            Err(e) => {
                let what = self.lang.t("载入失败", "Could not load");
                self.messages
                    .push(format!("{what}：{}", e.words(self.lang)));
                return;
            }
        };
        let entry = self.session.loaded(&r.path, &r.options);
        for (k, indexed) in layers.into_iter().enumerate() {
            let (layer, index, state) =
                indexed.into_parts(entry.clone(), self.lang, &mut self.messages);
            let extent = index.extent();
            let replace = if k == 0 { r.replace } else { None };
            match replace.filter(|&i| i < self.layers.len()) {
                Some(i) => {
                    self.layers.replace(i, layer, index, state);
                }
                None => {
                    self.layers.push(layer, index, state);
                    if let Some(r) = extent
                        && !self.loader.restoring
                    {
                        // Several files opened together: show them all.
                        let all = self
                            .loader
                            .fit_loaded
                            .map_or(r, |f| crate::model::union_rect(f, r));
                        self.loader.fit_loaded = Some(all);
                        self.view.fit(Some(all));
                    }
                }
            }
            self.select(None);
        }
    }

    /// Remove a user's layer (the session forgets its file once no layer comes from it).
    pub fn remove_layer(&mut self, li: usize) {
        let loaded = self.catalog().layers.get(li).map(|l| l.role) == Some(LayerRole::Loaded);
        if !loaded {
            return;
        }
        let removed = self.layers.remove(li);
        if let Some(p) = removed.and_then(|s| s.entry).map(|e| e.path)
            && !self.layers.holds_file(&p)
        {
            self.session.files.retain(|e| e.path != p);
        }
        self.select(None);
        self.windows.layer_settings = None;
        self.windows.transform = None;
        self.windows.table = None;
    }

    /// Zoom the map to a layer.
    fn zoom_to_layer(&mut self, li: usize) {
        if let Some(r) = self.catalog().extent_of(std::iter::once(li)) {
            let (dx, dy) = (r.width() * 0.1 + 1e-4, r.height() * 0.1 + 1e-4);
            self.view.fit(Some(geo::Rect::new(
                (r.min().x - dx, r.min().y - dy),
                (r.max().x + dx, r.max().y + dy),
            )));
        }
    }

    /// Select a feature and zoom to its envelope.
    fn select_and_show(&mut self, r: FeatureRef) {
        self.select(Some(r));
        if let Some(g) = self
            .catalog()
            .feature(r)
            .and_then(|f| geo::BoundingRect::bounding_rect(&f.geometry))
        {
            let pad = (g.width().max(g.height()) * 0.5).max(0.002);
            self.fit_to(geo::Rect::new(
                (g.min().x - pad, g.min().y - pad),
                (g.max().x + pad, g.max().y + pad),
            ));
        }
    }

    /// The layer list and the findings' counts.
    fn layer_panel(&self, ui: &mut Ui) -> Vec<Action> {
        let rows: Vec<layers::LayerRow<'_>> = (0..self.layers.len())
            .filter_map(|li| {
                let (layer, state) = self.layers.get(li)?;
                Some(layers::LayerRow {
                    layer,
                    style: self.layers.style(li, &self.styles),
                    visible: state.visible,
                    schematic: state.schematic,
                    swap: self.layers.swap_offer(li),
                })
            })
            .collect();
        let mut actions = layers::show(ui, self.lang, &rows, &self.messages);
        ui.separator();
        if findings::summary(ui, self.lang, &self.analysis.findings) {
            actions.push(Action::ShowFindings(true));
        }
        actions
    }

    /// The selected feature's details, findings and plan conformance.
    fn details_panel(&self, ui: &mut Ui) -> Vec<Action> {
        let lang = self.lang;
        let catalog = self.catalog();
        let found = &self.analysis.findings;
        details::show(ui, lang, catalog, &self.labels, self.selection.summary());
        let Some(r) = self.selected() else {
            return Vec::new();
        };
        let mut clicked = None;
        egui::CollapsingHeader::new(lang.t("叠加检查", "Overlap checks"))
            .default_open(true)
            .show(ui, |ui| {
                let busy = self.analysis.busy();
                let active = self.active_finding();
                clicked = findings::for_feature(ui, lang, catalog, found, r, busy, active);
            });
        if !self.analysis.busy() {
            findings::conformance(ui, lang, catalog, found, r);
        }
        clicked.map(Action::ActivateFinding).into_iter().collect()
    }

    /// Take in what the workers finished and the files dropped on the window.
    fn take_in(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_files(ctx, dropped);
        }
        self.poll_loading(ctx);
        let visible = self.layers.visible();
        if self.analysis.update(ctx, self.layers.catalog(), &visible) {
            // New results: indices changed, so the shown finding is no longer valid.
            self.selection.clear_finding();
        }
        let lang = self.lang;
        let failures = [
            self.analysis.failure.take(),
            self.view.take_failure(),
            self.view.find.take_failure(),
        ];
        self.messages.extend(
            failures
                .into_iter()
                .flatten()
                .map(|f| f.in_lang(lang).to_owned()),
        );
        if let Some(m) = self.check_report.as_ref().and_then(|j| j.poll()) {
            self.messages.push(m);
            self.check_report = None;
        }
    }

    /// The plan database window (state and table), e.g. to read files into it.
    pub fn plan_database(&mut self) -> &mut crate::gui::windows::plan_database::PlanDatabaseWindow {
        &mut self.windows.plan_db
    }

    /// Whether the plan database's files are being read.
    pub fn plan_database_busy(&self) -> bool {
        self.windows.plan_db.busy()
    }

    /// Whether the 坐标转换… window is solving a transform.
    pub fn transform_busy(&self) -> bool {
        self.windows.transform.as_ref().is_some_and(|w| w.busy())
    }

    /// Whether the 另存为… / 导出… window is writing a file.
    pub fn save_as_busy(&self) -> bool {
        self.windows.save_as.as_ref().is_some_and(SaveDialog::busy)
    }

    /// Draw the whole interface into `ui` (used by the window and by the UI tests).
    #[allow(
        clippy::too_many_lines,
        reason = "the frame's panels in painting order, each a call; what is left is their order and hand-over"
    )]
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.take_in(&ctx);
        let mut actions = Vec::new();
        let lang = self.lang;
        egui::Panel::top("menu").show(ui, |ui| {
            let view = MenuView {
                lang,
                findings_shown: self.windows.findings,
                recent: &self.session.recent,
                basemap: &self.basemap,
            };
            let mut tools = Vec::new();
            let right = |ui: &mut Ui| {
                // Right to left: 测量工具 at the edge, the find box in what room is left.
                let on = self.view.measure.active;
                if ui
                    .selectable_label(on, lang.t("测量工具", "Measure tool"))
                    .clicked()
                {
                    tools.push(Action::Measure(!on));
                }
                let visible = self.layers.visible();
                let width = (ui.available_width() - 12.0).clamp(60.0, FIND_WIDTH);
                let found = self
                    .view
                    .find
                    .show(ui, lang, self.layers.catalog(), &visible, width);
                tools.extend(found);
            };
            actions.extend(menu::show(ui, &view, right));
            actions.extend(tools);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            let view = status::StatusView {
                cursor: self.view.cursor(),
                basemap: self.basemap.status_line(lang.is_zh()),
                gcj02: self.basemap.is_gcj02(),
                loading: self.loader.fraction(),
                unlabelled: self
                    .view
                    .labels()
                    .skipped
                    .iter()
                    .filter_map(|&li| self.catalog().layers.get(li))
                    .map(|l| l.name(lang.is_zh()).to_owned())
                    .collect(),
            };
            actions.extend(status::show(ui, lang, &view));
        });
        egui::Panel::left("layers")
            .resizable(true)
            .default_size(270.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| actions.extend(self.layer_panel(ui)));
            });
        egui::Panel::right("details")
            .resizable(true)
            .default_size(330.0)
            .show(ui, |ui| {
                ui.heading(lang.t("要素信息", "Feature details"));
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| actions.extend(self.details_panel(ui)));
            });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let input = MapInput {
                    layers: &self.layers,
                    styles: &self.styles,
                    selection: &self.selection,
                    basemap: &mut self.basemap,
                    lang,
                };
                actions.extend(self.view.show(ui, input));
            });
        // What the panels and the map asked, before the windows are drawn (a window opened
        // from the menu shows in this frame).
        for action in actions {
            self.apply(&ctx, action);
        }
        let input = WindowInput {
            lang: self.lang,
            layers: &self.layers,
            styles: &self.styles,
            labels: &self.labels,
            findings: (&self.analysis.findings, self.analysis.busy()),
            writing_report: self.check_report.is_some(),
            last_dir: self.session.last_dir.clone(),
            active_finding: self.selection.active_finding(),
            basemap: &self.basemap,
            view: self.view_extent(),
        };
        // What the windows asked.
        let mut asked = self.windows.show(&ctx, &input);
        asked.extend(crate::gui::windows::measure::window(
            &ctx,
            self.lang,
            &mut self.view.measure,
        ));
        for action in asked {
            self.apply(&ctx, action);
        }
    }
}

impl eframe::App for TaonanApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        TaonanApp::ui(self, ui);
        // Start-up measurement: `TAONAN_MAP_FIRST_FRAME_EXIT=1` prints the time to the first
        // frame and closes the window (used by the start-up benchmark in the README's notes).
        if std::env::var_os("TAONAN_MAP_FIRST_FRAME_EXIT").is_some() {
            if let Some(start) = crate::gui::START.get() {
                eprintln!("first frame after {} ms", start.elapsed().as_millis());
            }
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(LANG_KEY, self.lang.key().to_owned());
        storage.set_string(crate::gui::session::KEY, self.session_snapshot().to_json());
    }
}
