//! 另存为… (a layer, loaded or bundled) and 导出… (the findings): a small window with the
//! file name, the format (by the name's extension, chosen from a list), the shapefile's
//! encoding (GBK or UTF-8) and the output CRS for a layer; an existing file is replaced only
//! after the user confirms. The file is written on a worker thread ([`crate::io::write`],
//! atomic: complete or not there); the window shows the result and any notes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use egui::{RichText, Ui};

use crate::gui::i18n::Lang;
use crate::gui::windows::file_browser::{BrowserAction, FileBrowser};
use crate::io::write::{WriteOptions, Written};
use crate::model::catalog::Catalog;
use crate::text::Text;

/// What is being saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveWhat {
    /// Layer number (catalog order).
    Layer(usize),
    /// The findings of the overlap analysis.
    Findings,
}

/// The output CRSs offered for a layer: (EPSG, Chinese, English).
pub const CRS_CHOICES: [(u32, &str, &str); 3] = [
    (4490, "CGCS2000 经纬度", "CGCS2000 lon/lat"),
    (4326, "WGS84 经纬度", "WGS84 lon/lat"),
    (4529, "CGCS2000 3度带 第41带", "CGCS2000 GK zone 41"),
];

/// The save window's state.
pub struct SaveDialog {
    what: SaveWhat,
    /// The layer being saved (held, so that removing or reordering layers meanwhile does not
    /// change what is written).
    layer: Option<std::sync::Arc<crate::model::Layer>>,
    path: String,
    utf8: bool,
    epsg: u32,
    /// The target exists: waiting for the user to confirm replacing it.
    confirm: bool,
    job: Option<Receiver<Result<Written, Text>>>,
    status: Option<String>,
    browser: Option<FileBrowser>,
}

/// The extensions offered.
fn extensions(what: SaveWhat) -> &'static [&'static str] {
    match what {
        SaveWhat::Layer(_) => &["shp", "geojson", "kml", "gpkg"],
        SaveWhat::Findings => &["xlsx", "csv", "geojson", "shp", "kml", "gpkg"],
    }
}

/// The files a write to `path` would replace (a shapefile's members too).
pub fn existing_targets(path: &Path) -> Vec<PathBuf> {
    let is_shp = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    let mut all = vec![path.to_path_buf()];
    if is_shp {
        all.extend(["shx", "dbf", "prj", "cpg"].map(|e| path.with_extension(e)));
    }
    all.into_iter().filter(|p| p.exists()).collect()
}

impl SaveDialog {
    /// A dialog for `what`, starting in folder `dir` with a name from `name`.
    pub fn new(
        what: SaveWhat,
        layer: Option<std::sync::Arc<crate::model::Layer>>,
        dir: Option<PathBuf>,
        name: &str,
    ) -> Self {
        let ext = extensions(what)[0];
        let file: String = name
            .chars()
            .map(|c| if r#"\/:*?"<>|"#.contains(c) { '_' } else { c })
            .collect();
        let path = dir
            .unwrap_or_default()
            .join(format!("{file}.{ext}"))
            .display()
            .to_string();
        Self {
            what,
            layer,
            path,
            utf8: false,
            epsg: 4490,
            confirm: false,
            job: None,
            status: None,
            browser: None,
        }
    }

    /// What is being saved.
    pub fn what(&self) -> SaveWhat {
        self.what
    }

    /// Whether a file is being written.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn ext(&self) -> String {
        Path::new(self.path.trim())
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default()
    }

    fn set_ext(&mut self, ext: &str) {
        let mut p = PathBuf::from(self.path.trim());
        p.set_extension(ext);
        self.path = p.display().to_string();
        self.confirm = false;
    }

    /// Draw the dialog; `catalog` and `findings` are what is saved. Returns the folder of a
    /// file written this frame.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        catalog: &Catalog,
        findings: &crate::analysis::overlap::Findings,
    ) -> Option<PathBuf> {
        let done = self.poll(lang);
        let title = match self.what {
            SaveWhat::Layer(_) => self
                .layer
                .as_ref()
                .map(|l| l.name(lang.is_zh()).to_owned())
                .unwrap_or_default(),
            SaveWhat::Findings => format!(
                "{} {}",
                findings.findings.len(),
                lang.t("条检查结果", "findings")
            ),
        };
        ui.label(RichText::new(title).strong());
        self.path_row(ui, lang);
        self.options_row(ui, lang);
        let path = PathBuf::from(self.path.trim());
        if self.confirm {
            ui.label(
                RichText::new(lang.t("文件已存在，是否替换？", "The file exists. Replace it?"))
                    .color(egui::Color32::from_rgb(200, 90, 0)),
            );
        }
        ui.horizontal(|ui| {
            let label = match (self.confirm, self.what) {
                (true, _) => lang.t("替换", "Replace"),
                (false, SaveWhat::Layer(_)) => lang.t("保存", "Save"),
                (false, SaveWhat::Findings) => lang.t("导出", "Export"),
            };
            let ok = !self.busy() && extensions(self.what).contains(&self.ext().as_str());
            if ui.add_enabled(ok, egui::Button::new(label)).clicked() {
                if !self.confirm && !existing_targets(&path).is_empty() {
                    self.confirm = true;
                } else {
                    let force = self.confirm;
                    self.confirm = false;
                    self.start(ui.ctx(), catalog, findings, path.clone(), force);
                }
            }
            if self.confirm && ui.button(lang.t("取消", "Cancel")).clicked() {
                self.confirm = false;
            }
            if self.busy() {
                ui.spinner();
                ui.label(lang.t("正在写入…", "Writing…"));
            }
        });
        if let Some(s) = &self.status {
            ui.label(RichText::new(s).small());
        }
        done
    }

    fn path_row(&mut self, ui: &mut Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.label(lang.t("文件", "File"));
            if ui
                .add(egui::TextEdit::singleline(&mut self.path).desired_width(320.0))
                .changed()
            {
                self.confirm = false;
            }
            if ui.button(lang.t("选择…", "Choose…")).clicked() {
                self.choose();
            }
        });
        if let Some(b) = &mut self.browser {
            let action = ui.group(|ui| b.show(ui, lang)).inner;
            match action {
                BrowserAction::Open(paths) => {
                    if let Some(p) = paths.into_iter().next() {
                        self.path = p.display().to_string();
                    }
                    self.browser = None;
                }
                BrowserAction::Cancel => self.browser = None,
                BrowserAction::None => {}
            }
        }
    }

    /// The system save dialog, or the in-app browser where none opens.
    fn choose(&mut self) {
        let start = PathBuf::from(self.path.trim());
        let ext: &'static str = extensions(self.what)
            .iter()
            .find(|e| **e == self.ext())
            .copied()
            .unwrap_or(extensions(self.what)[0]);
        let mut d = rfd::FileDialog::new().add_filter(ext.to_ascii_uppercase(), &[ext]);
        if let (Some(dir), Some(name)) = (start.parent(), start.file_name()) {
            d = d.set_directory(dir).set_file_name(name.to_string_lossy());
        }
        let t = std::time::Instant::now();
        match d.save_file() {
            Some(p) => self.path = p.display().to_string(),
            // No answer at once means no dialog could be shown (no portal): use ours.
            None if t.elapsed() < std::time::Duration::from_millis(250) => {
                let name = start
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.browser = Some(FileBrowser::save(
                    start.parent().map(PathBuf::from),
                    &name,
                    ext,
                ));
            }
            None => {}
        }
        self.confirm = false;
    }

    fn options_row(&mut self, ui: &mut Ui, lang: Lang) {
        let ext = self.ext();
        ui.horizontal(|ui| {
            ui.label(lang.t("格式", "Format"));
            egui::ComboBox::from_id_salt("save-format")
                .selected_text(format!(".{ext}"))
                .show_ui(ui, |ui| {
                    for e in extensions(self.what) {
                        if ui.selectable_label(ext == *e, format!(".{e}")).clicked() {
                            self.set_ext(e);
                        }
                    }
                });
            if ext == "shp" {
                ui.label(lang.t("编码", "Encoding"));
                ui.radio_value(&mut self.utf8, false, "GBK");
                ui.radio_value(&mut self.utf8, true, "UTF-8");
            }
        });
        if matches!(self.what, SaveWhat::Layer(_)) {
            ui.horizontal(|ui| {
                ui.label(lang.t("坐标系", "CRS"));
                for (code, zh, en) in CRS_CHOICES {
                    let lonlat_only = matches!(ext.as_str(), "geojson" | "kml");
                    let enabled = !lonlat_only || crate::io::write::table::is_lonlat(code);
                    ui.add_enabled_ui(enabled, |ui| {
                        ui.radio_value(&mut self.epsg, code, lang.t(zh, en))
                            .on_hover_text(format!("EPSG:{code}"));
                    });
                }
            });
            if matches!(ext.as_str(), "geojson" | "kml")
                && !crate::io::write::table::is_lonlat(self.epsg)
            {
                self.epsg = 4490;
            }
        }
    }

    fn start(
        &mut self,
        ctx: &egui::Context,
        catalog: &Catalog,
        findings: &crate::analysis::overlap::Findings,
        path: PathBuf,
        force: bool,
    ) {
        let opts = WriteOptions {
            force,
            encoding: if self.utf8 {
                encoding_rs::UTF_8
            } else {
                encoding_rs::GBK
            },
        };
        // The worker writes from its own copies (the layers are shared, not copied).
        let catalog = catalog.clone();
        let findings = matches!(self.what, SaveWhat::Findings).then(|| findings.clone());
        let layer = self.layer.clone();
        let (what, epsg, ctx2) = (self.what, self.epsg, ctx.clone());
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("save-as".into())
            .spawn(move || {
                let shown = path.display().to_string();
                let job = Text::same(shown.clone());
                let result = crate::gui::jobs::guarded(&job, || match (what, &findings) {
                    (SaveWhat::Findings, Some(f)) => {
                        crate::io::write::findings::write_findings(&catalog, f, &path, &opts)
                    }
                    (SaveWhat::Layer(_), _) => match &layer {
                        Some(l) => crate::io::write::write_layer(l, &path, Some(epsg), &opts),
                        None => Err(crate::text!(
                            "{shown}：没有这个图层",
                            "{shown}: no such layer"
                        )),
                    },
                    _ => Err(crate::text!(
                        "{shown}：没有要写出的内容",
                        "{shown}: nothing to write"
                    )),
                })
                // A panic's message has one wording.
                .and_then(|r| r);
                let _ = tx.send(result);
                ctx2.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.job = Some(rx);
                self.status = None;
            }
            Err(e) => self.status = Some(format!("no worker thread: {e}")),
        }
    }

    /// The worker's answer, when it has come: the folder written to.
    fn poll(&mut self, lang: Lang) -> Option<PathBuf> {
        let answer = self.job.as_ref()?.try_recv().ok()?;
        self.job = None;
        match answer {
            Ok(w) => {
                let files: Vec<String> = w.files.iter().map(|f| f.display().to_string()).collect();
                let mut s = format!("{} {}", lang.t("已写入", "Written:"), files.join(", "));
                for n in &w.notes {
                    s.push('\n');
                    s.push_str(n.in_lang(lang));
                }
                self.status = Some(s);
                w.files.first().and_then(|f| f.parent()).map(PathBuf::from)
            }
            Err(e) => {
                self.status = Some(e.in_lang(lang).to_owned());
                None
            }
        }
    }
}
