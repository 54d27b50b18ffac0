//! A file browser inside the window, for machines where no system file dialog can open (no
//! desktop portal, as on bare Linux machines). Lists folders and loadable files, several files
//! can be ticked; a path can also be typed. Paths are `std::path`, so Chinese names work.

use std::path::{Path, PathBuf};

use egui::{RichText, Ui};

use super::i18n::Lang;

/// File extensions the viewer can load (the last two are offline basemaps).
pub const LOADABLE: &[&str] = &["shp", "zip", "txt", "csv", "mbtiles", "pmtiles"];

/// Whether a path has a loadable extension (any letter case).
pub fn is_loadable(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| LOADABLE.iter().any(|l| l.eq_ignore_ascii_case(e)))
}

/// State of the in-app browser.
pub struct FileBrowser {
    dir: PathBuf,
    typed: String,
    entries: Vec<(PathBuf, bool)>,
    ticked: Vec<PathBuf>,
    error: Option<String>,
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
        };
        b.refresh();
        b
    }

    fn refresh(&mut self) {
        self.entries.clear();
        self.error = None;
        match std::fs::read_dir(&self.dir) {
            Ok(rd) => {
                for e in rd.flatten() {
                    let p = e.path();
                    let is_dir = p.is_dir();
                    if is_dir || is_loadable(&p) {
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
        let mut action = BrowserAction::None;
        ui.horizontal(|ui| {
            if ui.button(lang.t("上一级", "Up")).clicked()
                && let Some(parent) = self.dir.parent().map(Path::to_path_buf)
            {
                self.go(parent);
            }
            let edit = ui.add(egui::TextEdit::singleline(&mut self.typed).desired_width(380.0));
            if edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let p = PathBuf::from(self.typed.trim());
                if p.is_dir() {
                    self.go(p);
                } else if p.is_file() {
                    action = BrowserAction::Open(vec![p]);
                } else {
                    self.error = Some(format!(
                        "{}: {}",
                        p.display(),
                        lang.t("不存在", "does not exist")
                    ));
                }
            }
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(egui::Color32::from_rgb(180, 40, 40)));
        }
        let mut go_to = None;
        egui::ScrollArea::vertical()
            .max_height(320.0)
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
        ui.separator();
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
