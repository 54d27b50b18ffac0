//! The GeoPackage table picker: a GeoPackage of several feature tables, opened with no choice
//! of tables, shows its tables (geometry type and feature count, all ticked) before anything
//! loads. 载入 loads the ticked ones (and the session remembers them for the file); 取消
//! loads nothing.

use std::path::PathBuf;

use egui::RichText;

use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::io::gpkg::TableSummary;
use crate::io::loader::LoadOptions;

/// One GeoPackage waiting for the user's pick.
pub struct TablePicker {
    /// The file.
    pub path: PathBuf,
    /// The options it is opened with (the picked tables go into them).
    options: LoadOptions,
    /// Its feature tables, each with whether it is ticked.
    tables: Vec<(TableSummary, bool)>,
}

impl TablePicker {
    /// A picker for `path` with every table ticked.
    pub fn new(path: PathBuf, options: LoadOptions, tables: Vec<TableSummary>) -> Self {
        Self {
            path,
            options,
            tables: tables.into_iter().map(|t| (t, true)).collect(),
        }
    }

    /// Draw the picker; returns the load to start (or nothing) and whether it stays open.
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang) -> (Option<Action>, bool) {
        let mut open = true;
        let mut action = None;
        let mut done = false;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        egui::Window::new(lang.t("选择要素表", "Choose feature tables"))
            .id(egui::Id::unique("gpkg-table-picker"))
            .default_pos(egui::pos2(320.0, 90.0))
            .open(&mut open)
            .show(ctx, |ui| {
                ui.label(format!(
                    "{}：{name}",
                    lang.t(
                        "此 GeoPackage 含多个要素表，请选择要载入的表",
                        "This GeoPackage has several feature tables; choose those to load"
                    )
                ));
                ui.separator();
                egui::Grid::new("gpkg-tables").striped(true).show(ui, |ui| {
                    ui.label(RichText::new(lang.t("表", "Table")).strong());
                    ui.label(RichText::new(lang.t("几何类型", "Geometry")).strong());
                    ui.label(RichText::new(lang.t("要素数", "Features")).strong());
                    ui.end_row();
                    for (t, on) in &mut self.tables {
                        ui.checkbox(on, t.name.as_str());
                        ui.label(t.geometry_type.as_str());
                        ui.label(t.features.to_string());
                        ui.end_row();
                    }
                });
                ui.separator();
                let picked: Vec<String> = (self.tables.iter())
                    .filter(|(_, on)| *on)
                    .map(|(t, _)| t.name.clone())
                    .collect();
                ui.horizontal(|ui| {
                    let load = ui.add_enabled(
                        !picked.is_empty(),
                        egui::Button::new(format!(
                            "{}（{}）",
                            lang.t("载入", "Load"),
                            picked.len()
                        )),
                    );
                    if load.clicked() {
                        let mut options = self.options.clone();
                        options.tables = Some(picked);
                        action = Some(Action::LoadFile(self.path.clone(), options));
                        done = true;
                    }
                    if ui.button(lang.t("取消", "Cancel")).clicked() {
                        done = true;
                    }
                });
            });
        (action, open && !done)
    }
}
