//! Everything about the user's own layers: opening files (system dialog, the in-app browser,
//! drag-and-drop, recent files, command-line paths — all through [`TaonanApp::open_files`]),
//! loading them off the UI thread, per-layer settings (colour, CRS with search, X/Y swap,
//! encoding with a live preview), zoom to layer, remove, the attribute table, and the session
//! that brings it all back at the next start.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::app::TaonanApp;
use crate::gui::windows::attribute_table::TableAction;
use crate::gui::windows::file_browser::{BrowserAction, FileBrowser};
use crate::gui::windows::layer_settings::SettingsState;

use crate::gui::i18n::Lang;
use crate::gui::jobs::loading::{IndexedLayer, LoadJob};
use crate::gui::session::FileEntry;
use crate::io::loader::{CrsDecision, LoadOptions, LoadedLayer};
use crate::model::LayerRole;
use crate::model::catalog::FeatureRef;
use crate::model::style::Style;

/// What the app knows about a layer besides its data.
#[derive(Debug, Clone, Default)]
pub struct LayerMeta {
    /// For a user's file: its path and the choices made for it.
    pub entry: Option<FileEntry>,
    /// How it was loaded (CRS decision, encoding, warnings…).
    pub info: Option<LoadInfo>,
}

/// How a user's layer was loaded.
#[derive(Debug, Clone)]
pub struct LoadInfo {
    /// The CRS decision.
    pub crs: CrsDecision,
    /// The encoding and why.
    pub encoding: Option<String>,
    /// Warnings (datum, swap).
    pub warnings: Vec<String>,
    /// The swap fix on offer.
    pub swap_suggested: Option<String>,
    /// Whether X/Y were swapped on load.
    pub swapped: bool,
    /// What was skipped.
    pub problems: Vec<String>,
}

/// Colours given to loaded layers in turn (the user can pick another in the layer settings).
const LOADED_PALETTE: [[u8; 4]; 6] = [
    [0, 140, 60, 255],
    [200, 0, 120, 255],
    [0, 110, 200, 255],
    [220, 120, 0, 255],
    [120, 60, 180, 255],
    [0, 150, 150, 255],
];

/// The load options a user's file was loaded with.
pub(super) fn options_of(entry: &FileEntry) -> LoadOptions {
    LoadOptions {
        encoding: entry
            .encoding
            .as_deref()
            .and_then(|e| encoding_rs::Encoding::for_label(e.as_bytes())),
        epsg: entry.epsg,
        swap_xy: entry.swap_xy,
    }
}

impl TaonanApp {
    /// Open files: every way in (dialogs, drag-and-drop, recent files, command line, the last
    /// session) comes through here. Loading runs on a worker thread; a file already loaded is
    /// loaded again with the choices remembered for it.
    pub fn open_files(&mut self, ctx: &egui::Context, paths: Vec<PathBuf>) {
        // Offline tile files are basemaps, not layers.
        let (tiles, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| crate::gui::windows::basemap_menu::is_tile_file(p));
        self.open_tile_files(&tiles);
        let jobs: Vec<(PathBuf, LoadOptions, Option<usize>)> = paths
            .into_iter()
            .map(|p| {
                let remembered = self.session.files.iter().find(|e| e.path == p).cloned();
                let opts = remembered.as_ref().map(options_of).unwrap_or_default();
                (p, opts, None)
            })
            .collect();
        self.start_job(ctx, jobs);
    }

    fn start_job(&mut self, ctx: &egui::Context, jobs: Vec<(PathBuf, LoadOptions, Option<usize>)>) {
        if jobs.is_empty() {
            return;
        }
        if let Some(job) = &mut self.loading {
            // One job at a time: queue behind the running one.
            self.queued.extend(jobs);
            let _ = job;
            return;
        }
        self.fit_loaded = None;
        let paths: Vec<PathBuf> = jobs.iter().map(|(p, _, _)| p.clone()).collect();
        crate::gui::jobs::crash::mark_opening(&self.data_dir, &paths);
        self.loading = Some(LoadJob::start(ctx, jobs));
    }

    /// Whether files are being loaded.
    pub fn loading_busy(&self) -> bool {
        self.loading.is_some() || !self.queued.is_empty()
    }

    /// Take in finished loads; start queued ones.
    pub(super) fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some(job) = &mut self.loading else { return };
        let results = job.poll();
        let finished = job.finished();
        for r in results {
            self.take_result(r);
        }
        if finished {
            self.loading = None;
            crate::gui::jobs::crash::clear_opening(&self.data_dir);
            if !self.queued.is_empty() {
                let next = std::mem::take(&mut self.queued);
                self.start_job(ctx, next);
            }
        }
    }

    fn take_result(&mut self, r: crate::gui::jobs::loading::FileResult) {
        let lang = self.lang;
        match r.result {
            Err(e) => {
                self.messages
                    .push(format!("{}：{e}", lang.t("载入失败", "Could not load")));
            }
            Ok(layers) => {
                self.session.remember(&r.path);
                let entry = FileEntry {
                    path: r.path.clone(),
                    encoding: r.options.encoding.map(|e| e.name().to_owned()),
                    epsg: r.options.epsg,
                    swap_xy: r.options.swap_xy,
                    ..self
                        .session
                        .files
                        .iter()
                        .find(|e| e.path == r.path)
                        .cloned()
                        .unwrap_or_default()
                };
                for (k, loaded) in layers.into_iter().enumerate() {
                    let target = if k == 0 { r.replace } else { None };
                    self.add_loaded(loaded, entry.clone(), target);
                }
                if let Some(e) = self.session.files.iter_mut().find(|e| e.path == r.path) {
                    *e = FileEntry {
                        color: e.color,
                        hidden: e.hidden,
                        ..entry
                    };
                } else {
                    self.session.files.push(entry);
                }
            }
        }
    }

    fn add_loaded(&mut self, indexed: IndexedLayer, entry: FileEntry, replace: Option<usize>) {
        let IndexedLayer { loaded, index } = indexed;
        let LoadedLayer {
            layer,
            problems,
            crs,
            encoding,
            warnings,
            swap_suggested,
            swapped,
        } = loaded;
        let n = layer.features.len();
        let name = layer.name_zh.clone();
        if !problems.is_empty() {
            self.messages.push(match self.lang {
                Lang::Zh => format!(
                    "{name}：载入 {n} 个要素，{} 项跳过或提示：{}",
                    problems.len(),
                    problems.join("；")
                ),
                Lang::En => format!(
                    "{name}: {n} features loaded; {} skipped or noted: {}",
                    problems.len(),
                    problems.join("; ")
                ),
            });
        }
        for w in &warnings {
            self.messages.push(format!("{name}：{w}"));
        }
        let info = LoadInfo {
            crs,
            encoding: encoding.as_ref().map(|d| d.describe()),
            warnings,
            swap_suggested,
            swapped,
            problems,
        };
        let hidden = entry.hidden;
        let mut layer = layer;
        layer.kind = entry.kind.clone();
        let meta = LayerMeta {
            entry: Some(entry),
            info: Some(info),
        };
        let extent = index.extent();
        let layer = std::sync::Arc::new(layer);
        match replace.filter(|&i| i < self.catalog.layers.len()) {
            Some(i) => {
                self.catalog.replace_indexed(i, layer, index);
                self.meta[i] = meta;
            }
            None => {
                self.catalog.push_indexed(layer, index);
                self.visible.push(!hidden);
                self.meta.push(meta);
                if let Some(r) = extent
                    && !self.restoring
                {
                    // Several files opened together: show them all.
                    let all = self
                        .fit_loaded
                        .map_or(r, |f| crate::model::union_rect(f, r));
                    self.fit_loaded = Some(all);
                    self.pending_fit = Some(all);
                }
            }
        }
        self.select(None);
    }

    /// The style a layer is drawn with (the user's colour for their layers).
    pub(super) fn layer_style(&self, li: usize) -> Style {
        let Some(layer) = self.catalog.layers.get(li) else {
            return self.styles.get("loaded");
        };
        let mut style = self.styles.for_role(layer.role);
        let user = self
            .meta
            .get(li)
            .and_then(|m| m.entry.as_ref())
            .and_then(|e| e.color);
        // Loaded layers without a chosen colour take the next colour of a palette.
        let auto = (layer.role == LayerRole::Loaded).then(|| {
            let n = self.catalog.layers[..li]
                .iter()
                .filter(|l| l.role == LayerRole::Loaded)
                .count();
            LOADED_PALETTE[n % LOADED_PALETTE.len()]
        });
        if let Some(c) = user.or(auto) {
            style.stroke = [c[0], c[1], c[2], 255];
            style.fill = [c[0], c[1], c[2], 70];
        }
        style
    }

    /// Remove a user's layer.
    pub fn remove_layer(&mut self, li: usize) {
        if self
            .catalog
            .layers
            .get(li)
            .is_none_or(|l| l.role != LayerRole::Loaded)
        {
            return;
        }
        let path = self
            .meta
            .get(li)
            .and_then(|m| m.entry.as_ref())
            .map(|e| e.path.clone());
        self.catalog.remove(li);
        self.visible.remove(li);
        self.meta.remove(li);
        if let Some(p) = path {
            // Other layers from the same file (a zip) keep the entry.
            let still = self
                .meta
                .iter()
                .any(|m| m.entry.as_ref().is_some_and(|e| e.path == p));
            if !still {
                self.session.files.retain(|e| e.path != p);
            }
        }
        self.select(None);
        self.settings = None;
        self.table = None;
    }

    /// Open a layer's settings window.
    pub fn open_settings(&mut self, li: usize) {
        self.settings = Some(SettingsState {
            layer: li,
            crs_query: String::new(),
            encoding: None,
            preview: None,
        });
    }

    /// Zoom the map to a layer.
    pub fn zoom_to_layer(&mut self, li: usize) {
        if let Some(r) = self.catalog.extent_of(std::iter::once(li)) {
            let (dx, dy) = (r.width() * 0.1 + 1e-4, r.height() * 0.1 + 1e-4);
            self.pending_fit = Some(geo::Rect::new(
                (r.min().x - dx, r.min().y - dy),
                (r.max().x + dx, r.max().y + dy),
            ));
        }
    }

    /// Reload a user's layer with new options (same index, same place in the list).
    pub fn reload_layer(&mut self, ctx: &egui::Context, li: usize, opts: LoadOptions) {
        let Some(entry) = self.meta.get(li).and_then(|m| m.entry.clone()) else {
            return;
        };
        self.start_job(ctx, vec![(entry.path, opts, Some(li))]);
    }

    /// When a user's layer's X/Y look swapped: the options that reload it the other way round.
    pub(super) fn swap_offer(&self, li: usize) -> Option<LoadOptions> {
        let meta = self.meta.get(li)?;
        let info = meta.info.as_ref()?;
        info.swap_suggested.as_ref()?;
        let mut opts = options_of(meta.entry.as_ref()?);
        opts.swap_xy = Some(!info.swapped);
        Some(opts)
    }

    /// The 文件 menu's entries for opening.
    pub(super) fn file_menu(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        if ui.button(lang.t("打开…", "Open…")).clicked() {
            ui.close();
            self.open_dialog(ui.ctx());
        }
        if ui
            .button(lang.t("载入规划数据库…", "Load the plan database…"))
            .clicked()
        {
            ui.close();
            self.plan_db.open();
        }
        if ui.button(lang.t("导出地图…", "Export map…")).clicked() {
            ui.close();
            self.export = Some(crate::gui::windows::export::ExportDialog::new(
                self.session.last_dir.clone(),
            ));
        }
        if ui
            .button(lang.t("粘贴拐点坐标…", "Paste corner coordinates…"))
            .clicked()
        {
            ui.close();
            self.paste = Some(String::new());
        }
        ui.menu_button(lang.t("最近打开", "Recent files"), |ui| {
            if self.session.recent.is_empty() {
                ui.label(RichText::new(lang.t("（无）", "(none)")).weak());
            }
            let mut chosen = None;
            for p in &self.session.recent {
                if ui.button(p.display().to_string()).clicked() {
                    chosen = Some(p.clone());
                }
            }
            if let Some(p) = chosen {
                ui.close();
                self.open_files(ui.ctx(), vec![p]);
            }
        });
    }

    /// The system file dialog, or the in-app browser where none can open.
    fn open_dialog(&mut self, ctx: &egui::Context) {
        let start = self.session.last_dir.clone();
        if !system_dialog_possible() {
            self.browser = Some(FileBrowser::new(start));
            return;
        }
        let t = Instant::now();
        let mut dialog = rfd::FileDialog::new()
            .set_title(self.lang.t("打开空间数据", "Open spatial data"))
            .add_filter(
                self.lang.t(
                    "空间数据（shp、zip、拐点坐标、离线瓦片）",
                    "Spatial data (shp, zip, corner lists, offline tiles)",
                ),
                crate::gui::windows::file_browser::LOADABLE,
            );
        if let Some(d) = &start {
            dialog = dialog.set_directory(d);
        }
        match dialog.pick_files() {
            Some(files) => self.open_files(ctx, files),
            // No answer at once means no dialog could be shown (no portal): use ours.
            None if t.elapsed() < Duration::from_millis(250) => {
                self.browser = Some(FileBrowser::new(start))
            }
            None => {}
        }
    }

    /// The window where a corner-point table can be pasted. The text is kept as a file in the
    /// app's data folder, so the layer comes back at the next start like any other file.
    pub(super) fn paste_window(&mut self, ctx: &egui::Context) {
        let Some(text) = &mut self.paste else { return };
        let lang = self.lang;
        let mut open = true;
        let mut load = false;
        egui::Window::new(lang.t("粘贴拐点坐标", "Paste corner coordinates"))
            .id(egui::Id::unique("paste-corners"))
            .default_pos(egui::pos2(300.0, 80.0))
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(lang.t(
                    "每行：点号, X, Y（X 为北坐标）；或 X1,Y1;X2,Y2;…；或整段土地勘测定界文本。",
                    "One point per line: name, X, Y (X = northing); or X1,Y1;X2,Y2;…; or a whole land-survey text.",
                ));
                ui.add(egui::TextEdit::multiline(text).desired_rows(10).desired_width(460.0).code_editor());
                if ui.button(lang.t("载入", "Load")).clicked() {
                    load = true;
                }
            });
        if load {
            let body = text.clone();
            match self.keep_pasted(&body) {
                Ok(path) => {
                    self.paste = None;
                    self.open_files(ctx, vec![path]);
                }
                Err(e) => self.messages.push(e),
            }
        } else if !open {
            self.paste = None;
        }
    }

    fn keep_pasted(&self, text: &str) -> Result<PathBuf, String> {
        let dir = self.data_dir.join("pasted");
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let path = dir.join(format!("粘贴拐点坐标-{secs}.txt"));
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    /// The in-app browser window, when open.
    pub(super) fn browser_window(&mut self, ctx: &egui::Context) {
        let Some(browser) = &mut self.browser else {
            return;
        };
        let lang = self.lang;
        let mut action = BrowserAction::None;
        let mut open = true;
        egui::Window::new(lang.t("打开文件", "Open files"))
            .id(egui::Id::unique("file-browser"))
            .default_pos(egui::pos2(260.0, 60.0))
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| action = browser.show(ui, lang));
        match action {
            BrowserAction::Open(files) => {
                self.session.last_dir = self.browser.as_ref().map(|b| b.dir().to_path_buf());
                self.browser = None;
                self.open_files(ctx, files);
            }
            BrowserAction::Cancel => self.browser = None,
            BrowserAction::None if !open => self.browser = None,
            BrowserAction::None => {}
        }
    }

    /// Files dropped on the window.
    pub(super) fn take_dropped_files(&mut self, ctx: &egui::Context) {
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
    }

    /// Stop loading: the running job at its next check, and the files queued behind it.
    pub fn cancel_loading(&mut self) {
        if let Some(job) = &self.loading {
            job.progress
                .cancel
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        self.queued.clear();
    }

    /// The layer-settings window (see `windows::layer_settings`).
    pub(super) fn settings_window(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.settings else {
            return;
        };
        let li = state.layer;
        let (Some(layer), Some(meta)) = (self.catalog.layers.get(li), self.meta.get(li)) else {
            self.settings = None;
            return;
        };
        let loaded = self.styles.get("loaded");
        let (actions, open) =
            crate::gui::windows::layer_settings::show(ctx, self.lang, state, layer, meta, loaded);
        self.actions.extend(actions);
        if !open {
            self.settings = None;
        }
    }

    /// Give a user's layer another colour (remembered in the session).
    pub fn set_layer_color(&mut self, li: usize, color: [u8; 4]) {
        if let Some(e) = self.meta.get_mut(li).and_then(|m| m.entry.as_mut()) {
            e.color = Some(color);
            let path = e.path.clone();
            if let Some(s) = self.session.files.iter_mut().find(|s| s.path == path) {
                s.color = Some(color);
            }
        }
    }

    /// Say what a user's layer is for the overlap rules (`None`: from its name); remembered.
    pub fn set_layer_kind(&mut self, li: usize, kind: Option<String>) {
        self.catalog.set_kind(li, kind.clone());
        if let Some(e) = self.meta.get_mut(li).and_then(|m| m.entry.as_mut()) {
            e.kind = kind.clone();
            let path = e.path.clone();
            if let Some(s) = self.session.files.iter_mut().find(|s| s.path == path) {
                s.kind = kind;
            }
        }
    }

    /// The attribute table of a layer (see `attribute_table`); a click on a row selects the
    /// feature and zooms to it.
    pub(super) fn table_window(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.table else { return };
        let li = state.layer;
        let Some(layer) = self.catalog.layers.get(li) else {
            self.table = None;
            return;
        };
        let action = crate::gui::windows::attribute_table::show(
            ctx,
            state,
            layer,
            self.catalog.version(),
            self.lang,
            &self.labels,
        );
        match action {
            TableAction::None => {}
            TableAction::Close => self.table = None,
            TableAction::Select(i) => self.actions.push(Action::SelectAndShow(FeatureRef {
                layer: li,
                feature: i,
            })),
        }
    }
}

/// Whether a system file dialog can open here: on Linux it needs a desktop portal on the
/// session bus; elsewhere the OS dialog is always there.
fn system_dialog_possible() -> bool {
    if cfg!(target_os = "linux") {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
    } else {
        true
    }
}
