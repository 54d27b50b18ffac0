//! A file browser inside the window, for machines where no system file dialog can open (no
//! desktop portal, as on bare Linux machines). Lists folders and loadable files, several files
//! can be ticked; a path can also be typed. In save mode it picks a folder and a file name
//! instead. Paths are `std::path`, so Chinese names work.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use crate::gui::i18n::Lang;

/// File extensions the viewer can load (the last two are offline basemaps).
pub const LOADABLE: &[&str] = &[
    "shp", "zip", "gpkg", "dxf", "txt", "csv", "geojson", "json", "kml", "kmz", "mbtiles",
    "pmtiles",
];

/// Whether a path has a loadable extension (any letter case).
pub fn is_loadable(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LOADABLE.iter().any(|l| l.eq_ignore_ascii_case(e)))
}

/// What the system's open dialog gave.
pub enum Picked {
    /// The files the user chose.
    Files(Vec<PathBuf>),
    /// No dialog could be shown (no desktop portal): use the in-app browser.
    NoDialog,
    /// The user closed the dialog without choosing.
    Nothing,
}

/// Ask the system's open dialog for files, starting in `start`.
pub fn system_dialog(lang: Lang, start: Option<&Path>) -> Picked {
    if !system_dialog_possible() {
        return Picked::NoDialog;
    }
    let t = std::time::Instant::now();
    let mut dialog = rfd::FileDialog::new()
        .set_title(lang.t("打开空间数据", "Open spatial data"))
        .add_filter(
            lang.t(
                "空间数据（shp、zip、拐点坐标、GeoJSON、KML/KMZ、离线瓦片）",
                "Spatial data (shp, zip, corner lists, GeoJSON, KML/KMZ, offline tiles)",
            ),
            LOADABLE,
        );
    if let Some(d) = start {
        dialog = dialog.set_directory(d);
    }
    match dialog.pick_files() {
        Some(files) => Picked::Files(files),
        // No answer at once means no dialog could be shown (no portal): use ours.
        None if t.elapsed() < std::time::Duration::from_millis(250) => Picked::NoDialog,
        None => Picked::Nothing,
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

/// State of the in-app browser.
pub struct FileBrowser {
    dir: PathBuf,
    typed: String,
    entries: Vec<(PathBuf, bool)>,
    ticked: Vec<PathBuf>,
    error: Option<String>,
    /// Save mode: the file name typed and the extension to list and enforce.
    save: Option<(String, &'static str)>,
}

/// What the user did this frame.
pub enum BrowserAction {
    /// Nothing yet.
    None,
    /// Open these files.
    Open(Vec<PathBuf>),
    /// Closed without choosing.
    Cancel,
}

impl FileBrowser {
    /// A browser starting in `dir` (falls back to the home or current folder).
    pub fn new(dir: Option<PathBuf>) -> Self {
        let dir = dir
            .filter(|d| d.is_dir())
            .or_else(dirs::home_dir)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let mut b = Self {
            typed: dir.display().to_string(),
            dir,
            entries: Vec::new(),
            ticked: Vec::new(),
            error: None,
            save: None,
        };
        b.refresh();
        b
    }

    /// A browser for choosing where to save a file named `name` with extension `ext`.
    pub fn save(dir: Option<PathBuf>, name: &str, ext: &'static str) -> Self {
        let mut b = Self::new(dir);
        b.save = Some((name.to_owned(), ext));
        b.refresh();
        b
    }

    fn listed(&self, p: &Path) -> bool {
        match &self.save {
            Some((_, ext)) => p
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case(ext)),
            None => is_loadable(p),
        }
    }

    fn refresh(&mut self) {
        self.entries.clear();
        self.error = None;
        match std::fs::read_dir(&self.dir) {
            Ok(rd) => {
                for e in rd.flatten() {
                    let p = e.path();
                    let is_dir = p.is_dir();
                    if is_dir || self.listed(&p) {
                        self.entries.push((p, is_dir));
                    }
                }
                self.entries.sort_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then_with(|| a.0.file_name().cmp(&b.0.file_name()))
                });
            }
            Err(e) => self.error = Some(format!("{}: {e}", self.dir.display())),
        }
    }

    fn go(&mut self, dir: PathBuf) {
        self.dir = dir;
        self.typed = self.dir.display().to_string();
        self.refresh();
    }

    /// Show the browser's contents; returns what the user did.
    pub fn show(&mut self, ui: &mut Ui, lang: Lang) -> BrowserAction {
        let typed = self.location_row(ui, lang);
        self.list(ui, lang);
        ui.separator();
        let action = if self.save.is_some() {
            self.save_buttons(ui, lang)
        } else {
            self.open_buttons(ui, lang)
        };
        match (typed, action) {
            (Some(a), BrowserAction::None) => a,
            (_, a) => a,
        }
    }

    /// Up, and the location typed (a folder goes there; a file is opened).
    fn location_row(&mut self, ui: &mut Ui, lang: Lang) -> Option<BrowserAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            if ui.button(lang.t("上一级", "Up")).clicked()
                && let Some(parent) = self.dir.parent().map(Path::to_path_buf)
            {
                self.go(parent);
            }
            let label = ui.label(lang.t("位置", "Location"));
            let edit = ui
                .add(egui::TextEdit::singleline(&mut self.typed).desired_width(340.0))
                .labelled_by(label.id);
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let p = PathBuf::from(self.typed.trim());
                if p.is_dir() {
                    self.go(p);
                } else if p.is_file() {
                    action = Some(BrowserAction::Open(vec![p]));
                } else {
                    self.error = Some(format!(
                        "{}: {}",
                        p.display(),
                        lang.t("不存在", "does not exist")
                    ));
                }
            }
        });
        action
    }

    /// The folder's folders and loadable files (ticked to open, or clicked to take the name).
    fn list(&mut self, ui: &mut Ui, lang: Lang) {
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(egui::Color32::from_rgb(180, 40, 40)));
        }
        let mut go_to = None;
        // Shorter when saving: the browser sits inside the export dialog.
        let list_height = if self.save.is_some() { 200.0 } else { 320.0 };
        egui::ScrollArea::vertical()
            .max_height(list_height)
            .show(ui, |ui| {
                for (p, is_dir) in &self.entries {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if *is_dir {
                        if ui
                            .button(format!("{name}{}", std::path::MAIN_SEPARATOR))
                            .clicked()
                        {
                            go_to = Some(p.clone());
                        }
                    } else if let Some((typed, _)) = &mut self.save {
                        // Existing files: a click takes the name (to overwrite it).
                        if ui.button(&name).clicked() {
                            *typed = name.clone();
                        }
                    } else {
                        let mut on = self.ticked.contains(p);
                        if ui.checkbox(&mut on, name).changed() {
                            if on {
                                self.ticked.push(p.clone());
                            } else {
                                self.ticked.retain(|t| t != p);
                            }
                        }
                    }
                }
                if self.entries.is_empty() {
                    ui.label(
                        RichText::new(
                            lang.t("（此文件夹中没有可载入的文件）", "(no loadable files here)"),
                        )
                        .weak(),
                    );
                }
            });
        if let Some(d) = go_to {
            self.go(d);
        }
    }

    /// Save mode: the file name and 保存到此文件夹.
    fn save_buttons(&mut self, ui: &mut Ui, lang: Lang) -> BrowserAction {
        let mut action = BrowserAction::None;
        let Some((name, ext)) = &mut self.save else {
            return action;
        };
        let ext: &str = ext;
        ui.horizontal(|ui| {
            let label = ui.label(lang.t("文件名", "File name"));
            ui.add(egui::TextEdit::singleline(name).desired_width(300.0))
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let ok = !name.trim().is_empty();
            if ui
                .add_enabled(
                    ok,
                    egui::Button::new(lang.t("保存到此文件夹", "Save in this folder")),
                )
                .clicked()
            {
                let mut p = self.dir.join(name.trim());
                if p.extension().is_none_or(|e| !e.eq_ignore_ascii_case(ext)) {
                    let mut s = p.into_os_string();
                    s.push(".");
                    s.push(ext);
                    p = PathBuf::from(s);
                }
                action = BrowserAction::Open(vec![p]);
            }
            if ui.button(lang.t("取消", "Cancel")).clicked() {
                action = BrowserAction::Cancel;
            }
        });
        action
    }

    /// Open mode: 打开所选 and 取消.
    fn open_buttons(&mut self, ui: &mut Ui, lang: Lang) -> BrowserAction {
        let mut action = BrowserAction::None;
        ui.horizontal(|ui| {
            let n = self.ticked.len();
            let label = match lang {
                Lang::Zh => format!("打开所选（{n}）"),
                Lang::En => format!("Open selected ({n})"),
            };
            if ui.add_enabled(n > 0, egui::Button::new(label)).clicked() {
                action = BrowserAction::Open(std::mem::take(&mut self.ticked));
            }
            if ui.button(lang.t("取消", "Cancel")).clicked() {
                action = BrowserAction::Cancel;
            }
        });
        action
    }

    /// The folder shown.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    #[test]
    fn save_mode_picks_a_folder_and_a_name() {
        let root = std::env::temp_dir().join(format!("taonan-save-{}", std::process::id()));
        let dir = root.join("导出");
        std::fs::create_dir_all(dir.join("子目录")).expect("dirs");
        std::fs::write(dir.join("旧图.png"), b"x").expect("file");
        std::fs::write(dir.join("说明.txt"), b"x").expect("file");
        let chosen = std::rc::Rc::new(std::cell::RefCell::new(None));
        let c2 = chosen.clone();
        let mut h = Harness::builder()
            .with_size([700.0, 600.0])
            .with_context_setup(crate::gui::fonts::setup_context)
            .build_ui_state(
                move |ui, b: &mut FileBrowser| {
                    if let BrowserAction::Open(p) = b.show(ui, Lang::Zh) {
                        *c2.borrow_mut() = p.into_iter().next();
                    }
                },
                FileBrowser::save(Some(dir.clone()), "洮南市矿产资源规划图.png", "png"),
            );
        h.run();
        // PNG files are listed, other files are not.
        assert!(h.query_by_label("旧图.png").is_some());
        assert!(h.query_by_label("说明.txt").is_none());
        h.get_by_label(&format!("子目录{}", std::path::MAIN_SEPARATOR))
            .click();
        h.run();
        let name = h
            .get_all_by_role(egui::Role::TextInput)
            .nth(1)
            .expect("name field");
        name.click();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        h.get_all_by_role(egui::Role::TextInput)
            .nth(1)
            .expect("name field")
            .type_text("新图");
        h.run();
        h.get_by_label("保存到此文件夹").click();
        h.run();
        assert_eq!(*chosen.borrow(), Some(dir.join("子目录").join("新图.png")));
        let _ = std::fs::remove_dir_all(&root);
    }
}
