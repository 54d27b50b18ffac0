//! [`TaonanApp::apply`]: the one place where what the user asked ([`Action`]s from the menu,
//! the panels, the map and the windows) changes the window's state.

use crate::gui::Action;
use crate::gui::windows::basemap_menu;
use crate::gui::windows::export::ExportDialog;
use crate::gui::windows::file_browser::{FileBrowser, Picked};
use crate::gui::windows::layer_settings::SettingsState;
use crate::gui::windows::paste::{self, PasteBox};
use crate::gui::windows::save_as::{SaveDialog, SaveWhat};

use super::TaonanApp;

impl TaonanApp {
    /// Make the change an action asks for: every change the user asks for comes through here.
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Select(r) => self.select(r),
            Action::SelectAndShow(r) => self.select_and_show(r),
            Action::ActivateFinding(i) => self.activate_finding(i),
            Action::ZoomToTaonan => self.view.fit(self.taonan_extent()),
            Action::ZoomToLayer(li) => self.zoom_to_layer(li),
            Action::OpenTable(li) => self.open_attribute_table(li),
            Action::OpenSettings(li) => {
                self.windows.layer_settings = Some(SettingsState::new(li));
            }
            Action::Reload(li, opts) => {
                if let Some(e) = self.layers.get(li).and_then(|(_, s)| s.entry.clone()) {
                    self.loader
                        .start(ctx, &self.folders.data, vec![(e.path, opts, Some(li))]);
                }
            }
            Action::RemoveLayer(li) => self.remove_layer(li),
            Action::MoveLayer(from, to) => {
                self.layers.move_layer(from, to);
                self.select(None);
            }
            Action::OpenFiles(files) => self.open_files(ctx, files),
            Action::ShowFindings(show) => self.windows.findings = show,
            Action::SetVisible(li, shown) => self.layers.set_visible(li, shown),
            Action::SetColor(li, color) => {
                if let Some(p) = self.layers.set_color(li, color).map(|e| e.path.clone())
                    && let Some(s) = self.session.file_mut(&p)
                {
                    s.color = Some(color);
                }
            }
            Action::SetLabels(li, labels) => {
                if let Some(p) = self
                    .layers
                    .set_labels(li, labels.clone())
                    .map(|e| e.path.clone())
                    && let Some(s) = self.session.file_mut(&p)
                {
                    s.labels = Some(labels);
                }
            }
            Action::SetAnalysisRole(li, role) => {
                if let Some(p) = self
                    .layers
                    .set_analysis_role(li, role.clone())
                    .map(|e| e.path.clone())
                    && let Some(s) = self.session.file_mut(&p)
                {
                    s.analysis_role = role;
                }
            }
            Action::CancelLoading => self.loader.cancel(),
            a @ (Action::OpenDialog
            | Action::OpenTransform(_)
            | Action::LoadFile(_, _)
            | Action::OpenExport
            | Action::OpenPaste
            | Action::LoadPasted(_)
            | Action::SetLastDir(_)
            | Action::SetLang(_)
            | Action::SetBasemap(_)
            | Action::OpenBasemapSettings
            | Action::UseTileFolder(_)
            | Action::EmptyTileCache
            | Action::SaveBasemapSettings(_)
            | Action::WriteCheckReport
            | Action::SaveLayerAs(_)
            | Action::ExportFindings
            | Action::OpenPlanDatabase
            | Action::Measure(_)
            | Action::ShowPlace(_, _)
            | Action::AddLayer(_)
            | Action::ApplyPlanDatabase(_)
            | Action::RemovePlanDatabase) => self.apply_window_action(ctx, a),
        }
    }

    /// The actions of the menu and the windows (opening them, the basemap, the language).
    fn apply_window_action(&mut self, ctx: &egui::Context, action: Action) {
        let lang = self.lang;
        match action {
            Action::OpenDialog => {
                let start = self.session.last_dir.clone();
                match crate::gui::windows::file_browser::system_dialog(lang, start.as_deref()) {
                    Picked::Files(files) => self.open_files(ctx, files),
                    Picked::NoDialog => self.windows.browser = Some(FileBrowser::new(start)),
                    Picked::Nothing => {}
                }
            }
            Action::OpenExport => {
                self.windows.export = Some(ExportDialog::new(self.session.last_dir.clone()));
            }
            Action::OpenPaste => self.windows.paste = Some(PasteBox::default()),
            Action::OpenTransform(li) => {
                let remembered = self
                    .layers
                    .get(li)
                    .and_then(|(_, s)| s.entry.as_ref())
                    .and_then(|e| e.transform.as_ref());
                self.windows.transform = Some(
                    crate::gui::windows::transform::TransformWindow::new(li, remembered),
                );
            }
            Action::LoadFile(path, opts) => {
                self.loader
                    .start(ctx, &self.folders.data, vec![(path, opts, None)]);
            }
            Action::WriteCheckReport => self.write_check_report(ctx),
            Action::SaveLayerAs(li) => self.open_save_as(SaveWhat::Layer(li)),
            Action::ExportFindings => self.open_save_as(SaveWhat::Findings),
            Action::OpenPlanDatabase => self.windows.plan_db.open(),
            Action::Measure(on) => self.view.measure.set_active(on, Default::default()),
            Action::ShowPlace(x, y) => self.view.fit(Some(geo::Rect::new(
                (x - 0.02, y - 0.014),
                (x + 0.02, y + 0.014),
            ))),
            Action::AddLayer(layer) => {
                let layer = std::sync::Arc::new(*layer);
                let index = std::sync::Arc::new(crate::model::catalog::LayerIndex::build(&layer));
                self.layers.push(layer, index, Default::default());
            }
            Action::ApplyPlanDatabase(choice) => {
                let moved = self.layers.replace_plan_layers(choice.layers.clone());
                self.windows.plan_db.applied = true;
                self.session.plan_database = Some(choice.entry.clone());
                self.after_plan_layers(moved);
            }
            Action::RemovePlanDatabase => self.remove_plan_database(),
            Action::LoadPasted(text) => match paste::keep_pasted(&self.folders.data, &text) {
                Ok(path) => {
                    self.windows.paste = None;
                    self.open_files(ctx, vec![path]);
                }
                Err(e) => self.messages.push(e),
            },
            Action::SetLastDir(dir) => self.session.last_dir = Some(dir),
            Action::SetLang(l) => self.lang = l,
            Action::SetBasemap(id) => self.basemap.set_choice(&id),
            Action::OpenBasemapSettings => {
                let state = basemap_menu::SettingsState::new(&self.basemap.config);
                self.windows.basemap_settings = Some(state);
            }
            Action::UseTileFolder(dir) => {
                let note = basemap_menu::use_folder(&mut self.basemap, &dir, lang);
                self.basemap_note(note);
            }
            Action::EmptyTileCache => {
                if let Some(note) = basemap_menu::empty_cache(&self.basemap, lang) {
                    self.basemap_note(note);
                }
            }
            Action::SaveBasemapSettings(config) => {
                let dir = self.folders.config.as_deref();
                let note = basemap_menu::save(&mut self.basemap, *config, dir, lang);
                self.basemap_note(note);
            }
            // The others are applied by `apply`.
            _ => {}
        }
    }

    /// Put the bundled schematic zones back in place of the plan database's.
    fn remove_plan_database(&mut self) {
        let mut bundled = Vec::new();
        for b in crate::plan::bundled::LAYERS
            .iter()
            .filter(|b| b.role.is_plan_zone())
        {
            match b.load() {
                Ok(l) => bundled.push(l),
                Err(e) => self.messages.push(e.in_lang(self.lang).to_owned()),
            }
        }
        let moved = self.layers.replace_plan_layers(bundled);
        self.windows.plan_db.applied = false;
        self.session.plan_database = None;
        self.after_plan_layers(moved);
    }

    /// The plan layers were replaced: the selection's summary follows their new geometry;
    /// when layers `moved` (the database's polygons not applied went), the selection and the
    /// windows naming a layer by its place are closed.
    fn after_plan_layers(&mut self, moved: bool) {
        if moved {
            self.select(None);
            self.windows.layer_settings = None;
            self.windows.table = None;
        } else {
            self.select(self.selected());
        }
    }

    /// Say in the basemap settings window how a change went.
    fn basemap_note(&mut self, note: basemap_menu::Note) {
        if let Some(w) = &mut self.windows.basemap_settings {
            w.set_note(note);
        }
    }

    /// Open the save window for a layer or the findings.
    fn open_save_as(&mut self, what: SaveWhat) {
        let layer = match what {
            SaveWhat::Layer(li) => match self.layers.catalog().layers.get(li) {
                Some(l) => Some(l.clone()),
                None => return,
            },
            SaveWhat::Findings => None,
        };
        let name = layer
            .as_ref()
            .map_or_else(|| "叠加检查结果".to_owned(), |l| l.name_zh.clone());
        let dir = self.session.last_dir.clone();
        self.windows.save_as = Some(SaveDialog::new(what, layer, dir, &name));
    }

    /// Ask where to save the PDF check report, then write it on a worker.
    fn write_check_report(&mut self, ctx: &egui::Context) {
        if self.check_report.is_some() {
            return;
        }
        let Some(path) = rfd::FileDialog::new()
            .add_filter("PDF", &["pdf"])
            .set_file_name("合规检查报告.pdf")
            .save_file()
        else {
            return;
        };
        let styles = self
            .styles
            .clone()
            .with_layer_styles(
                (0..self.layers.len())
                    .map(|li| Some(self.layers.style(li, &self.styles)))
                    .collect(),
            )
            .with_layer_labels(self.layers.layer_labels());
        match crate::gui::jobs::check_report::CheckReportJob::start(
            ctx,
            self.layers.catalog(),
            &self.layers.visible(),
            &self.analysis.rules,
            styles,
            path,
            self.lang,
        ) {
            Ok(job) => self.check_report = Some(job),
            Err(e) => self.messages.push(e),
        }
    }
}
