//! Which windows are open over the map, each with its own state, and drawing them all: each
//! window returns what the user asked as actions; a window closes itself.

use crate::analysis::overlap::Findings;
use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::layer_set::LayerSet;
use crate::gui::map::basemap::Basemap;
use crate::gui::panels::findings;
use crate::gui::windows::attribute_table::{self, TableAction, TableState};
use crate::gui::windows::basemap_menu;
use crate::gui::windows::export::{ExportContext, ExportDialog};
use crate::gui::windows::file_browser::{BrowserAction, FileBrowser};
use crate::gui::windows::layer_settings;
use crate::gui::windows::paste::PasteBox;
use crate::gui::windows::plan_database::PlanDatabaseWindow;
use crate::gui::windows::save_as::{SaveDialog, SaveWhat};
use crate::gui::windows::table_picker::TablePicker;
use crate::gui::windows::transform::TransformWindow;
use crate::model::catalog::FeatureRef;
use crate::model::fields::FieldLabels;
use crate::model::style::Styles;

/// The windows open over the map (`None`/`false`: closed).
#[derive(Default)]
pub struct Windows {
    /// The list of findings.
    pub findings: bool,
    /// The in-app file browser (where no system dialog can open).
    pub browser: Option<FileBrowser>,
    /// The paste box for corner lists.
    pub paste: Option<PasteBox>,
    /// The export dialog.
    pub export: Option<ExportDialog>,
    /// A layer's settings.
    pub layer_settings: Option<layer_settings::SettingsState>,
    /// The basemap settings.
    pub basemap_settings: Option<basemap_menu::SettingsState>,
    /// A layer's attribute table.
    pub table: Option<TableState>,
    /// 另存为… (a layer) or 导出… (the findings).
    pub save_as: Option<SaveDialog>,
    /// 载入规划数据库: its files, the matching table, whether one is applied.
    pub plan_db: PlanDatabaseWindow,
    /// 坐标转换… of a user's layer.
    pub transform: Option<TransformWindow>,
    /// GeoPackages waiting for the user's pick of tables (the first is shown).
    pub table_pickers: Vec<TablePicker>,
}

/// What the windows draw from.
pub struct WindowInput<'a> {
    /// Interface language.
    pub lang: Lang,
    /// The layers and what the window keeps for each.
    pub layers: &'a LayerSet,
    /// Symbology.
    pub styles: &'a Styles,
    /// Field names shown for attribute codes.
    pub labels: &'a FieldLabels,
    /// The latest findings, and whether the analysis is running.
    pub findings: (&'a Findings, bool),
    /// The finding shown on the map.
    pub active_finding: Option<usize>,
    /// Whether a PDF check report is being written.
    pub writing_report: bool,
    /// The folder files were last opened from.
    pub last_dir: Option<std::path::PathBuf>,
    /// The basemap shown.
    pub basemap: &'a Basemap,
    /// The map's extent on screen (lon/lat) and its size in pixels.
    pub view: Option<(geo::Rect<f64>, (u32, u32))>,
}

impl Windows {
    /// Draw every open window; returns what the user asked.
    pub fn show(&mut self, ctx: &egui::Context, input: &WindowInput<'_>) -> Vec<Action> {
        let mut actions = Vec::new();
        actions.extend(self.findings_window(ctx, input));
        actions.extend(self.browser_window(ctx, input.lang));
        if let Some(paste) = &mut self.paste {
            let (action, open) = paste.show(ctx, input.lang);
            actions.extend(action);
            if !open {
                self.paste = None;
            }
        }
        actions.extend(self.export_window(ctx, input));
        actions.extend(self.layer_settings_window(ctx, input));
        actions.extend(self.transform_window(ctx, input));
        if let Some(picker) = self.table_pickers.first_mut() {
            let (action, open) = picker.show(ctx, input.lang);
            actions.extend(action);
            if !open {
                self.table_pickers.remove(0);
            }
        }
        if let Some(state) = &mut self.basemap_settings {
            let (asked, open) = state.show(ctx, input.lang, input.basemap);
            actions.extend(asked);
            if !open {
                self.basemap_settings = None;
            }
        }
        actions.extend(self.table_window(ctx, input));
        actions.extend(self.save_as_window(ctx, input));
        actions.extend(self.plan_db.show(ctx, input.lang, input.last_dir.clone()));
        actions
    }

    /// The 另存为… / 导出… window while it is open (kept open while it writes).
    fn save_as_window(&mut self, ctx: &egui::Context, input: &WindowInput<'_>) -> Option<Action> {
        let dialog = self.save_as.as_mut()?;
        let lang = input.lang;
        let title = match dialog.what() {
            SaveWhat::Layer(_) => lang.t("图层另存为", "Save layer as"),
            SaveWhat::Findings => lang.t("导出检查结果", "Export findings"),
        };
        let (findings, _) = input.findings;
        let catalog = input.layers.catalog();
        let mut open = true;
        let mut done = None;
        egui::Window::new(title)
            .id(egui::Id::unique("save-as"))
            .default_pos(egui::pos2(320.0, 90.0))
            .open(&mut open)
            .show(ctx, |ui| {
                done = dialog.show(ui, lang, catalog, findings);
            });
        if !open && !dialog.busy() {
            self.save_as = None;
        }
        done.map(Action::SetLastDir)
    }

    fn findings_window(&mut self, ctx: &egui::Context, input: &WindowInput<'_>) -> Vec<Action> {
        let mut open = self.findings;
        let mut report = false;
        let (list, busy) = input.findings;
        let catalog = input.layers.catalog();
        let (clicked, exported) = findings::window(
            ctx,
            input.lang,
            &mut open,
            catalog,
            list,
            busy,
            input.active_finding,
            (&mut report, input.writing_report),
        );
        let mut actions = Vec::new();
        if report {
            actions.push(Action::WriteCheckReport);
        }
        if exported {
            actions.push(Action::ExportFindings);
        }
        if open != self.findings {
            actions.push(Action::ShowFindings(open));
        }
        actions.extend(clicked.map(Action::ActivateFinding));
        actions
    }

    /// The in-app browser window, when open.
    fn browser_window(&mut self, ctx: &egui::Context, lang: Lang) -> Vec<Action> {
        let Some(browser) = &mut self.browser else {
            return Vec::new();
        };
        let mut action = BrowserAction::None;
        let mut open = true;
        egui::Window::new(lang.t("打开文件", "Open files"))
            .id(egui::Id::unique("file-browser"))
            .default_pos(egui::pos2(260.0, 60.0))
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| action = browser.show(ui, lang));
        let dir = browser.dir().to_path_buf();
        match action {
            BrowserAction::Open(files) => {
                self.browser = None;
                vec![Action::SetLastDir(dir), Action::OpenFiles(files)]
            }
            BrowserAction::Cancel => {
                self.browser = None;
                Vec::new()
            }
            BrowserAction::None => {
                if !open {
                    self.browser = None;
                }
                Vec::new()
            }
        }
    }

    fn export_window(&mut self, ctx: &egui::Context, input: &WindowInput<'_>) -> Option<Action> {
        let dialog = self.export.as_mut()?;
        let layers = input.layers;
        // Exports draw what the window draws: the user's layer colours and labels, and the
        // basemap shown.
        let styles = input
            .styles
            .clone()
            .with_layer_styles(
                (0..layers.len())
                    .map(|li| Some(layers.style(li, input.styles)))
                    .collect(),
            )
            .with_layer_labels(layers.layer_labels());
        let basemap = input.basemap.shown_spec();
        let lang = input.lang;
        let mut open = true;
        let visible = layers.visible();
        let cx = ExportContext {
            catalog: layers.catalog(),
            visible: &visible,
            styles: &styles,
            view: input.view,
            basemap: basemap.as_ref(),
            tile_options: input.basemap.config.tile_options(false),
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
        if !open && !dialog.busy() {
            self.export = None;
        }
        done.map(Action::SetLastDir)
    }

    /// The layer-settings window (see `layer_settings`).
    fn layer_settings_window(
        &mut self,
        ctx: &egui::Context,
        input: &WindowInput<'_>,
    ) -> Vec<Action> {
        let Some(window) = &mut self.layer_settings else {
            return Vec::new();
        };
        let Some((layer, state)) = input.layers.get(window.layer) else {
            self.layer_settings = None;
            return Vec::new();
        };
        let settings = layer_settings::SettingsInput {
            layer,
            state,
            loaded: input.styles.get("loaded"),
            labels: input.layers.label_style(window.layer),
        };
        let (actions, open) = layer_settings::show(ctx, input.lang, window, settings);
        if !open {
            self.layer_settings = None;
        }
        actions
    }

    /// The 坐标转换… window (see `transform`).
    fn transform_window(&mut self, ctx: &egui::Context, input: &WindowInput<'_>) -> Option<Action> {
        let window = self.transform.as_mut()?;
        let Some((layer, state)) = input.layers.get(window.layer) else {
            self.transform = None;
            return None;
        };
        let entry = state.entry.clone().unwrap_or_default();
        let (action, open) = window.show(ctx, input.lang, &layer.name_zh, &entry);
        if !open {
            self.transform = None;
        }
        action
    }

    /// The attribute table of a layer (see `attribute_table`); a click on a row selects the
    /// feature and zooms to it.
    fn table_window(&mut self, ctx: &egui::Context, input: &WindowInput<'_>) -> Option<Action> {
        let state = self.table.as_mut()?;
        let li = state.layer;
        let catalog = input.layers.catalog();
        let Some(layer) = catalog.layers.get(li) else {
            self.table = None;
            return None;
        };
        let action = attribute_table::show(
            ctx,
            state,
            layer,
            catalog.version(),
            input.lang,
            input.labels,
        );
        match action {
            TableAction::None => None,
            TableAction::Close => {
                self.table = None;
                None
            }
            TableAction::Select(i) => Some(Action::SelectAndShow(FeatureRef {
                layer: li,
                feature: i,
            })),
        }
    }
}
