//! The application window: menu, layer list with legend, map, side panel and status bar.

use std::path::PathBuf;

use egui::{Color32, RichText, Ui};
use walkers::{Map, MapMemory, Tiles, lon_lat};

use crate::analysis::summary::{Summary, summarize};
use crate::gui::fonts;
use crate::gui::i18n::Lang;
use crate::gui::jobs::analysis::Analysis;
use crate::gui::jobs::loading::LoadJob;
use crate::gui::layer_manager::LayerMeta;
use crate::gui::map::basemap::Basemap;
use crate::gui::map::canvas::{Content, MapCanvas};
use crate::gui::map::draw_data::{self, FeatureDraw};
use crate::gui::map::overlay::{FeaturesPlugin, Labels, MapEvents, Overlay};
use crate::gui::panels::details;
use crate::gui::panels::findings;
use crate::gui::session::Session;
use crate::gui::windows::attribute_table::TableState;
use crate::gui::windows::file_browser::FileBrowser;
use crate::gui::windows::layer_settings::SettingsState;
use crate::model::LayerRole;
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::fields::FieldLabels;
use crate::model::style::Styles;

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

/// A click where several features overlap: the user picks one.
struct Choice {
    candidates: Vec<FeatureRef>,
    at: egui::Pos2,
}

/// The application state.
pub struct TaonanApp {
    pub(super) catalog: Catalog,
    /// The picture of the layers (drawn on a worker, moved with the view).
    canvas: MapCanvas,
    /// Names and 示意 marks on the map, per catalog version.
    map_labels: Labels,
    pub(super) visible: Vec<bool>,
    pub(super) styles: Styles,
    pub(super) labels: FieldLabels,
    /// Interface language.
    pub lang: Lang,
    selected: Option<(FeatureRef, Summary, FeatureDraw)>,
    choice: Option<Choice>,
    map_memory: MapMemory,
    pub(super) basemap: Basemap,
    /// Which layers hold schematic features, for the catalog version it was counted at.
    schematic: (u64, Vec<bool>),
    cursor: Option<(f64, f64)>,
    pub(super) messages: Vec<String>,
    /// A rectangle to fit the view to at the next frame (when the map's size is known).
    pub(super) pending_fit: Option<geo::Rect<f64>>,
    hovered: Vec<FeatureRef>,
    map_rect: Option<egui::Rect>,
    analysis: Analysis,
    show_findings: bool,
    /// What the user asked for this frame, made by [`TaonanApp::apply`] once the frame is drawn.
    pub(super) actions: Vec<super::Action>,
    active_finding: Option<usize>,
    overlay: Option<Overlay>,
    /// Per layer (aligned with the catalog): the user's file and choices, how it loaded.
    pub(super) meta: Vec<LayerMeta>,
    pub(super) loading: Option<LoadJob>,
    pub(super) queued: Vec<(PathBuf, crate::io::loader::LoadOptions, Option<usize>)>,
    pub(super) browser: Option<FileBrowser>,
    pub(super) settings: Option<SettingsState>,
    pub(super) table: Option<TableState>,
    pub(super) session: Session,
    /// While the last session's files load: keep the restored view.
    pub(super) restoring: bool,
    /// The union of the extents of the files loaded by the current job (to fit them all).
    pub(super) fit_loaded: Option<geo::Rect<f64>>,
    /// The export dialog, while it is open.
    pub(super) export: Option<crate::gui::windows::export::ExportDialog>,
    /// The paste box's text, while it is open.
    pub(super) paste: Option<String>,
    /// Where the app keeps its own files (pasted corner lists).
    pub(super) data_dir: PathBuf,
    /// The user's settings folder (config.toml, fields.csv, rules.toml), if there is one.
    pub(super) config_dir: Option<PathBuf>,
    /// The basemap settings window, when open.
    pub(super) basemap_settings: Option<crate::gui::windows::basemap_menu::SettingsState>,
}

/// Background of the map where no tile is drawn (OpenStreetMap's land colour).
const MAP_BACKGROUND: Color32 = Color32::from_rgb(242, 239, 233);

/// Centre of the Taonan boundary's extent, used before the first fit.
const TAONAN_CENTRE: (f64, f64) = (122.49, 45.53);

/// The user's field labels (`fields.csv`) and settings (`config.toml`) in `config_dir`, with
/// a note in `messages` for a file that is there but unusable.
fn user_settings(
    config_dir: Option<&std::path::Path>,
    messages: &mut Vec<String>,
) -> (FieldLabels, crate::user_config::UserConfig) {
    let (labels, note) = FieldLabels::load_from(config_dir);
    messages.extend(note);
    let config = match config_dir {
        Some(d) => {
            let (c, problem) = crate::user_config::UserConfig::load(d);
            messages.extend(problem);
            c
        }
        None => crate::user_config::UserConfig::default(),
    };
    (labels, config)
}

impl TaonanApp {
    /// Build the app: load the bundled layers (and files), install the CJK font.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        fonts::setup_context(ctx);
        let mut messages: Vec<String> = options.session.note.iter().cloned().collect();
        let layers = crate::plan::bundled::load_all().unwrap_or_else(|e| {
            messages.push(e);
            Vec::new()
        });
        let catalog = Catalog::new(layers);
        let n_layers = catalog.layers.len();
        let mut visible = vec![true; n_layers];
        for (v, b) in visible.iter_mut().zip(crate::plan::bundled::LAYERS.iter()) {
            *v = !options.session.hidden_bundled.iter().any(|h| h == b.stem);
        }
        let config_dir = options
            .config_dir
            .clone()
            .or_else(crate::user_config::default_dir);
        let (labels, mut config) = user_settings(config_dir.as_deref(), &mut messages);
        config.tile_cache_dir = options.cache_dir.clone();
        let analysis = Analysis::new(config_dir.as_deref());
        let mut map_memory = MapMemory::default();
        map_memory.center_at(lon_lat(TAONAN_CENTRE.0, TAONAN_CENTRE.1));
        let _ = map_memory.set_zoom(9.0);
        let mut app = Self {
            catalog,
            canvas: MapCanvas::default(),
            map_labels: Labels::default(),
            visible,
            styles: Styles::builtin(),
            labels,
            lang: options.lang,
            selected: None,
            choice: None,
            map_memory,
            basemap: Basemap::new(
                options.basemap,
                options.session.basemap.as_deref().unwrap_or("osm"),
                config,
                options.session.tile_files.clone(),
            ),
            config_dir,
            basemap_settings: None,
            schematic: (u64::MAX, Vec::new()),
            cursor: None,
            messages,
            pending_fit: None,
            hovered: Vec::new(),
            map_rect: None,
            analysis,
            show_findings: false,
            actions: Vec::new(),
            active_finding: None,
            overlay: None,
            meta: vec![LayerMeta::default(); n_layers],
            loading: None,
            queued: Vec::new(),
            browser: None,
            settings: None,
            table: None,
            session: Session::default(),
            restoring: false,
            paste: None,
            export: None,
            fit_loaded: None,
            data_dir: options
                .data_dir
                .clone()
                .or_else(|| dirs::data_dir().map(|d| d.join("taonan-map")))
                .unwrap_or_else(std::env::temp_dir),
        };
        if let Some(note) = app.analysis.rules_note.clone() {
            app.messages.push(note);
        }
        app.pending_fit = app.taonan_extent();
        let interrupted = app.crash_notes();
        app.restore_session(ctx, options.session, &interrupted);
        app.open_files(ctx, options.files);
        app
    }

    /// What a crash in the last run left: a note naming its report, and a note per file it
    /// was opening. Returns those files (they are not reopened by themselves; the user can
    /// retry them from the recent files).
    fn crash_notes(&mut self) -> Vec<PathBuf> {
        for report in crate::gui::jobs::crash::take_reports(&self.data_dir) {
            self.messages.push(match self.lang {
                Lang::Zh => format!("上次运行意外退出，崩溃报告：{}", report.display()),
                Lang::En => format!(
                    "The last run ended unexpectedly; crash report: {}",
                    report.display()
                ),
            });
        }
        let interrupted = crate::gui::jobs::crash::take_interrupted(&self.data_dir);
        for p in &interrupted {
            self.messages.push(match self.lang {
                Lang::Zh => format!(
                    "上次打开此文件时程序退出，未自动重新打开（可从“最近打开”重试）：{}",
                    p.display()
                ),
                Lang::En => format!(
                    "The program stopped while opening this file last time; not reopened (retry from Recent files): {}",
                    p.display()
                ),
            });
        }
        interrupted
    }

    /// The last session: its view, then its files (a moved file gets a note; the rest load;
    /// `interrupted` ones are left out).
    fn restore_session(&mut self, ctx: &egui::Context, session: Session, interrupted: &[PathBuf]) {
        if let Some((lon, lat, zoom)) = session.view {
            self.map_memory.center_at(lon_lat(lon, lat));
            let _ = self.map_memory.set_zoom(zoom);
            self.pending_fit = None;
        }
        let mut restore = Vec::new();
        for e in &session.files {
            if interrupted.contains(&e.path) {
                continue;
            }
            if e.path.is_file() {
                restore.push(e.path.clone());
            } else {
                self.messages.push(match self.lang {
                    Lang::Zh => format!("上次载入的文件已移动或删除：{}", e.path.display()),
                    Lang::En => format!(
                        "A file from the last session has moved or gone: {}",
                        e.path.display()
                    ),
                });
            }
        }
        self.session = Session {
            files: session
                .files
                .iter()
                .filter(|e| e.path.is_file() && !interrupted.contains(&e.path))
                .cloned()
                .collect(),
            ..session
        };
        self.restoring = !restore.is_empty() && self.session.view.is_some();
        self.open_files(ctx, restore);
    }

    /// The loaded layers.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The selected feature.
    pub fn selected(&self) -> Option<FeatureRef> {
        self.selected.as_ref().map(|(r, _, _)| *r)
    }

    /// Select a feature (or clear with `None`), computing its summary once.
    pub fn select(&mut self, r: Option<FeatureRef>) {
        self.selected = r.and_then(|r| {
            let summary = summarize(&self.catalog, r)?;
            let draw = draw_data::feature(&self.catalog.feature(r)?.geometry);
            Some((r, summary, draw))
        });
        self.choice = None;
        self.active_finding = None;
        self.overlay = None;
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
        self.active_finding
    }

    /// Show a finding: select its first feature, outline the other, draw the overlap hatched
    /// red and zoom to it.
    pub fn activate_finding(&mut self, i: usize) {
        let Some(f) = self.analysis.findings.findings.get(i).cloned() else {
            return;
        };
        self.select(Some(f.a));
        let shape = f.shape(&self.catalog).into_owned();
        let hatch = draw_data::hatch(&shape);
        let geometry = geo::Geometry::MultiPolygon(shape);
        self.overlay = Some(Overlay {
            draw: draw_data::feature(&geometry),
            hatch,
            other: f.b,
            other_draw: f
                .b
                .and_then(|b| self.catalog.feature(b))
                .map(|g| draw_data::feature(&g.geometry)),
        });
        self.active_finding = Some(i);
        use geo::BoundingRect;
        let around =
            f.b.and_then(|b| self.catalog.feature(b))
                .and_then(|g| g.geometry.bounding_rect());
        let base = self
            .catalog
            .feature(f.a)
            .and_then(|g| g.geometry.bounding_rect());
        if let Some(r) = [base, around, geometry.bounding_rect()]
            .into_iter()
            .flatten()
            .reduce(crate::model::union_rect)
        {
            let (dx, dy) = (r.width() * 0.3, r.height() * 0.3);
            self.pending_fit = Some(geo::Rect::new(
                (r.min().x - dx, r.min().y - dy),
                (r.max().x + dx, r.max().y + dy),
            ));
        }
    }

    /// Index of the first layer with this role.
    pub fn layer_index(&self, role: LayerRole) -> Option<usize> {
        self.catalog.layers.iter().position(|l| l.role == role)
    }

    /// The extent of the Taonan boundary.
    fn taonan_extent(&self) -> Option<geo::Rect<f64>> {
        let idx = self.layer_index(LayerRole::Boundary)?;
        self.catalog.extent_of(std::iter::once(idx))
    }

    /// Fit the view to a lon/lat rectangle in a map of `size` points.
    fn fit_rect(&mut self, r: geo::Rect<f64>, size: egui::Vec2) {
        let merc = crate::render::merc_y;
        let (w, h) = (size.x.max(100.0) as f64, size.y.max(100.0) as f64);
        let zx = (w * 360.0 / (256.0 * r.width().max(1e-6))).log2();
        let zy = (h * 2.0 * std::f64::consts::PI
            / (256.0 * (merc(r.max().y) - merc(r.min().y)).max(1e-8)))
        .log2();
        let zoom = (zx.min(zy) - 0.15).clamp(2.0, 18.0);
        let cy = (((merc(r.min().y) + merc(r.max().y)) / 2.0).sinh())
            .atan()
            .to_degrees();
        self.map_memory
            .center_at(lon_lat((r.min().x + r.max().x) / 2.0, cy));
        let _ = self.map_memory.set_zoom(zoom);
    }

    /// The session as it stands: files with the user's choices, visibility, view, language.
    pub fn session_snapshot(&self) -> Session {
        let mut s = self.session.clone();
        s.lang = self.lang.key().to_owned();
        s.basemap = Some(self.basemap.choice().to_owned());
        s.tile_files = self.basemap.local.clone();
        if let Some(p) = self.map_memory.detached() {
            s.view = Some((p.x(), p.y(), self.map_memory.zoom()));
        }
        s.hidden_bundled = crate::plan::bundled::LAYERS
            .iter()
            .zip(&self.visible)
            .filter(|(_, v)| !**v)
            .map(|(b, _)| b.stem.to_owned())
            .collect();
        for (m, v) in self.meta.iter().zip(&self.visible) {
            if let Some(e) = &m.entry
                && let Some(f) = s.files.iter_mut().find(|f| f.path == e.path)
            {
                f.hidden = !*v;
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
        (
            self.map_memory.zoom(),
            self.map_memory.detached().map(|p| (p.x(), p.y())),
        )
    }

    /// Run `f` with the lon/lat ↔ screen mapping of the map as last drawn (GCJ-02 shift
    /// included while an AMap basemap is shown), if the map was drawn.
    fn with_screen<R>(
        &self,
        f: impl FnOnce(&crate::gui::map::overlay::Screen, egui::Rect) -> R,
    ) -> Option<R> {
        let rect = self.map_rect?;
        let projector = walkers::Projector::new(
            rect,
            &walkers::MercatorProjection,
            &self.map_memory,
            lon_lat(TAONAN_CENTRE.0, TAONAN_CENTRE.1),
        );
        let screen = crate::gui::map::overlay::Screen {
            projector: &projector,
            gcj02: self.basemap.is_gcj02(),
        };
        Some(f(&screen, rect))
    }

    /// Where a lon/lat position is on screen in the last drawn map, if the map was drawn.
    pub fn screen_pos(&self, lon: f64, lat: f64) -> Option<egui::Pos2> {
        self.with_screen(|screen, _| screen.pos([lon, lat]))
    }

    /// The lon/lat extent (CGCS2000, unshifted) and pixel size of the map as last drawn.
    pub fn view_extent(&self) -> Option<(geo::Rect<f64>, (u32, u32))> {
        self.with_screen(|screen, rect| {
            let r = geo::Rect::new(
                screen.lonlat(rect.left_top()),
                screen.lonlat(rect.right_bottom()),
            );
            (
                r,
                (rect.width().round() as u32, rect.height().round() as u32),
            )
        })
    }

    /// Whether an export is being written.
    pub fn export_busy(&self) -> bool {
        self.export.as_ref().is_some_and(|e| e.busy())
    }

    fn export_window(&mut self, ctx: &egui::Context) {
        let view = self.view_extent();
        if self.export.is_none() {
            return;
        }
        // Exports draw what the window draws: the user's layer colours and the basemap shown.
        let styles = self.styles.clone().with_layer_styles(
            (0..self.catalog.layers.len())
                .map(|li| Some(self.layer_style(li)))
                .collect(),
        );
        let basemap = self.basemap.shown_spec();
        let Some(dialog) = &mut self.export else {
            return;
        };
        let lang = self.lang;
        let mut open = true;
        let cx = crate::gui::windows::export::ExportContext {
            catalog: &self.catalog,
            visible: &self.visible,
            styles: &styles,
            view,
            basemap: basemap.as_ref(),
            tile_options: self.basemap.config.tile_options(false),
        };
        let mut done = None;
        egui::Window::new(lang.t("导出地图", "Export map"))
            .id(egui::Id::unique("export-map"))
            .default_pos(egui::pos2(300.0, 60.0))
            .open(&mut open)
            .show(ctx, |ui| done = dialog.show(ui, lang, &cx));
        if dialog.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if let Some(dir) = done {
            self.session.last_dir = Some(dir);
        }
        if !open && !dialog.busy() {
            self.export = None;
        }
    }

    /// The attribute table's row count and whether its order is settled (not being worked
    /// out on a worker), while it is open.
    pub fn attribute_table_rows(&self) -> Option<(usize, bool)> {
        self.table.as_ref().map(|t| (t.row_count(), t.settled()))
    }

    /// Open the attribute table of layer `li`.
    pub fn open_attribute_table(&mut self, li: usize) {
        self.table = Some(TableState::new(li));
    }

    /// Show the whole of 洮南市.
    pub fn zoom_to_taonan(&mut self) {
        self.pending_fit = self.taonan_extent();
    }

    /// Show or hide the list of findings.
    pub fn show_findings(&mut self, show: bool) {
        self.show_findings = show;
    }

    /// Show this lon/lat rectangle at the next frame (the view fits it).
    pub fn fit_to(&mut self, r: geo::Rect<f64>) {
        self.pending_fit = Some(r);
    }

    /// Centre the map on a lon/lat at a zoom level (walkers' levels: 256 × 2^zoom points
    /// around the world).
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.map_memory.center_at(lon_lat(lon, lat));
        let _ = self.map_memory.set_zoom(zoom);
    }

    /// Whether the map's picture of the layers shows the current view and layers (no image
    /// is being drawn).
    pub fn map_complete(&self) -> bool {
        self.canvas.complete()
    }

    /// How long the map's last picture of the layers took to draw.
    pub fn map_render_time(&self) -> Option<std::time::Duration> {
        self.canvas.last_render()
    }

    /// The map's screen rectangle in the last frame.
    pub fn map_rect(&self) -> Option<egui::Rect> {
        self.map_rect
    }

    fn menu(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(lang.t("文件", "File"), |ui| {
                self.file_menu(ui);
                ui.separator();
                if ui.button(lang.t("退出", "Quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button(lang.t("视图", "View"), |ui| {
                if ui
                    .button(lang.t("缩放至洮南市", "Zoom to Taonan"))
                    .clicked()
                {
                    self.actions.push(super::Action::ZoomToTaonan);
                    ui.close();
                }
                ui.checkbox(
                    &mut self.show_findings,
                    lang.t("叠加检查结果", "Overlap findings"),
                );
                ui.separator();
                self.basemap_menu(ui);
            });
            ui.menu_button(lang.t("语言", "Language"), |ui| {
                ui.radio_value(&mut self.lang, Lang::Zh, "中文");
                ui.radio_value(&mut self.lang, Lang::En, "English");
            });
            ui.separator();
            ui.label(
                RichText::new(lang.t(
                    "洮南市矿产资源规划图（2021-2025年）",
                    "Taonan mineral-resources plan 2021–2025",
                ))
                .strong(),
            );
        });
    }

    fn layer_list(&mut self, ui: &mut Ui) {
        // Counted once per change of the layers, not every frame (a layer may hold 500 000
        // features).
        if self.schematic.0 != self.catalog.version() {
            self.schematic = (
                self.catalog.version(),
                self.catalog
                    .layers
                    .iter()
                    .map(|l| l.features.iter().any(|f| f.is_schematic()))
                    .collect(),
            );
        }
        let rows: Vec<super::panels::layers::LayerRow<'_>> = self
            .catalog
            .layers
            .iter()
            .enumerate()
            .map(|(li, layer)| super::panels::layers::LayerRow {
                layer,
                style: self.layer_style(li),
                visible: self.visible.get(li).copied().unwrap_or(false),
                schematic: self.schematic.1.get(li).copied().unwrap_or(false),
                swap: self.swap_offer(li),
            })
            .collect();
        let actions = super::panels::layers::show(ui, self.lang, &rows, &self.messages);
        self.actions.extend(actions);
    }

    /// Show or hide a layer.
    pub fn set_visible(&mut self, li: usize, shown: bool) {
        if let Some(v) = self.visible.get_mut(li) {
            *v = shown;
        }
    }

    fn status_bar(&mut self, ui: &mut Ui) {
        let view = super::panels::status::StatusView {
            cursor: self.cursor,
            basemap: self.basemap.status_line(self.lang.is_zh()),
            gcj02: self.basemap.is_gcj02(),
            loading: self.loading.as_ref().map(|j| j.progress.fraction()),
        };
        let actions = super::panels::status::show(ui, self.lang, &view);
        self.actions.extend(actions);
    }

    fn map(&mut self, ui: &mut Ui) {
        let mut events = MapEvents::default();
        let ctx = ui.ctx().clone();
        if let Some(r) = self.pending_fit.take() {
            self.fit_rect(r, ui.available_size());
        }
        // Land colour under the layers, so the map reads as a map with no basemap (offline).
        ui.painter().rect_filled(ui.max_rect(), 0.0, MAP_BACKGROUND);
        let layer_styles: Vec<crate::model::style::Style> = (0..self.catalog.layers.len())
            .map(|li| self.layer_style(li))
            .collect();
        let gcj02 = self.basemap.is_gcj02();
        let attribution = self.basemap.attribution();
        let mut map_tiles = self.basemap.tiles(&ctx);
        let tiles: Option<&mut dyn Tiles> = map_tiles.as_mut().map(|t| t as &mut dyn Tiles);
        self.map_labels.refresh(&self.catalog);
        let content = Content {
            version: self.catalog.version(),
            visible: self.visible.clone(),
            styles: layer_styles,
            gcj02,
            pixels_per_point: ctx.pixels_per_point(),
        };
        // A drag on the map, or the glide after it: the picture follows, and the new one is
        // drawn once, where the map stops (not started and cancelled at every frame).
        let map_rect = self.map_rect;
        let dragging = ctx.input(|i| {
            i.pointer.primary_down()
                && i.pointer
                    .press_origin()
                    .is_some_and(|p| map_rect.is_some_and(|r| r.contains(p)))
        });
        let moving = dragging || self.map_memory.animating();
        let plugin = FeaturesPlugin {
            catalog: &self.catalog,
            canvas: &mut self.canvas,
            content,
            labels: &self.map_labels,
            visible: &self.visible,
            styles: &self.styles,
            selected: self.selected.as_ref().map(|(r, _, d)| (*r, d)),
            overlay: self.overlay.as_ref(),
            gcj02,
            lang: self.lang,
            moving,
            events: &mut events,
        };
        let response = Map::new(
            tiles,
            &mut self.map_memory,
            lon_lat(TAONAN_CENTRE.0, TAONAN_CENTRE.1),
        )
        .with_plugin(plugin)
        .zoom_with_ctrl(false)
        .show(ui, |_, _, _, _| ())
        .response;
        let rect = response.rect;
        self.map_rect = Some(rect);
        if let Some(a) = attribution {
            let pos = rect.right_bottom() - egui::vec2(6.0, 4.0);
            ui.painter().text(
                pos,
                egui::Align2::RIGHT_BOTTOM,
                a,
                egui::FontId::proportional(11.0),
                Color32::from_rgb(60, 60, 60),
            );
        }
        self.cursor = events.cursor;
        self.hovered = events.hovered;
        if let Some((hits, at)) = events.clicked {
            match hits.len() {
                0 => self.actions.push(super::Action::Select(None)),
                1 => self
                    .actions
                    .push(super::Action::Select(hits.first().copied())),
                _ => {
                    self.choice = Some(Choice {
                        candidates: hits,
                        at,
                    })
                }
            }
        }
        if let (Some(first), None) = (self.hovered.first(), &self.choice)
            && let Some(f) = self.catalog.feature(*first)
        {
            let mut text = f.display_name(first.feature);
            if f.is_schematic() {
                text.push_str(self.lang.t("（示意）", " (schematic)"));
            }
            if self.hovered.len() > 1 {
                let more = self.hovered.len() - 1;
                text.push_str(&match self.lang {
                    Lang::Zh => format!("（另有 {more} 个重叠要素，点击选择）"),
                    Lang::En => format!(" (+{more} overlapping; click to choose)"),
                });
            }
            egui::Tooltip::always_open(
                ctx.clone(),
                ui.layer_id(),
                egui::Id::unique("map-hover"),
                egui::PopupAnchor::Pointer,
            )
            .gap(12.0)
            .show(|ui| ui.label(text));
        }
        self.choice_popup(&ctx);
    }

    fn choice_popup(&mut self, ctx: &egui::Context) {
        let Some(choice) = &self.choice else { return };
        let lang = self.lang;
        let mut picked = None;
        let mut close = false;
        egui::Area::new(egui::Id::unique("overlap-choice"))
            .order(egui::Order::Foreground)
            .fixed_pos(choice.at + egui::vec2(8.0, 8.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(
                        RichText::new(lang.t(
                            "此处有多个要素，请选择：",
                            "Several features here; pick one:",
                        ))
                        .strong(),
                    );
                    for r in &choice.candidates {
                        let Some(f) = self.catalog.feature(*r) else {
                            continue;
                        };
                        let layer = self.catalog.layers[r.layer].name(lang.is_zh());
                        if ui
                            .button(format!("{}  — {layer}", f.display_name(r.feature)))
                            .clicked()
                        {
                            picked = Some(*r);
                        }
                    }
                    if ui.button(lang.t("取消", "Cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if let Some(r) = picked {
            self.actions.push(super::Action::Select(Some(r)));
        } else if close {
            self.choice = None;
        }
    }

    /// Draw the whole interface into `ui` (used by the window and by the UI tests).
    pub fn ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.take_dropped_files(&ctx);
        self.poll_loading(&ctx);
        if !self.loading_busy() {
            self.restoring = false;
        }
        if self.analysis.update(&ctx, &self.catalog, &self.visible) {
            // New results: indices changed, so the shown finding is no longer valid.
            self.active_finding = None;
            self.overlay = None;
        }
        if let Some(e) = self.analysis.failure.take() {
            self.messages.push(e);
        }
        if let Some(e) = self.canvas.failure.take() {
            self.messages.push(e);
        }
        egui::Panel::top("menu").show(ui, |ui| self.menu(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        egui::Panel::left("layers")
            .resizable(true)
            .default_size(270.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    self.layer_list(ui);
                    ui.separator();
                    if findings::summary(ui, self.lang, &self.analysis.findings) {
                        self.actions.push(super::Action::ShowFindings(true));
                    }
                });
            });
        egui::Panel::right("details")
            .resizable(true)
            .default_size(330.0)
            .show(ui, |ui| {
                ui.heading(self.lang.t("要素信息", "Feature details"));
                ui.separator();
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let sel = self.selected.as_ref().map(|(r, s, _)| (*r, s));
                    details::show(ui, self.lang, &self.catalog, &self.labels, sel);
                    if let Some(r) = self.selected() {
                        let lang = self.lang;
                        let mut clicked = None;
                        egui::CollapsingHeader::new(lang.t("叠加检查", "Overlap checks"))
                            .default_open(true)
                            .show(ui, |ui| {
                                clicked = findings::for_feature(
                                    ui,
                                    lang,
                                    &self.catalog,
                                    &self.analysis.findings,
                                    r,
                                    self.analysis.busy(),
                                    self.active_finding,
                                );
                            });
                        if let Some(i) = clicked {
                            self.actions.push(super::Action::ActivateFinding(i));
                        }
                        if !self.analysis.busy() {
                            findings::conformance(
                                ui,
                                lang,
                                &self.catalog,
                                &self.analysis.findings,
                                r,
                            );
                        }
                    }
                });
            });
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| self.map(ui));
        self.findings_window(&ctx);
        self.browser_window(&ctx);
        self.paste_window(&ctx);
        self.export_window(&ctx);
        self.settings_window(&ctx);
        self.basemap_settings_window(&ctx);
        self.table_window(&ctx);
        // Every change the user asked for this frame, in one place.
        for action in std::mem::take(&mut self.actions) {
            self.apply(&ctx, action);
        }
    }

    fn findings_window(&mut self, ctx: &egui::Context) {
        let mut open = self.show_findings;
        let clicked = findings::window(
            ctx,
            self.lang,
            &mut open,
            &self.catalog,
            &self.analysis.findings,
            self.analysis.busy(),
            self.active_finding,
        );
        if open != self.show_findings {
            self.actions.push(super::Action::ShowFindings(open));
        }
        self.actions
            .extend(clicked.map(super::Action::ActivateFinding));
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
