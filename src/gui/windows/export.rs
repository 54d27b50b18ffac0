//! 文件 → 导出地图…: the map as on screen or a report page, at a paper preset or custom size,
//! with a live preview; written as PNG or SVG on a worker thread (the window keeps running), or
//! copied to the clipboard.

use crate::render::{A3_MM, A4_MM};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui::{ColorImage, RichText, TextureHandle, Ui};

use crate::gui::i18n::Lang;
use crate::model::catalog::Catalog;
use crate::model::style::Styles;
use crate::render::{Format, MapImage, Page, Report, render_map, render_report};

/// A size on offer: (label in Chinese and in English, width and height in mm, dpi); `None` mm
/// means the map's size on screen.
type Preset = ((&'static str, &'static str), Option<(f32, f32)>, f32);

/// Sizes on offer (the paper sizes are the command line's, `render::paper_mm`).
const PRESETS: &[Preset] = &[
    (("屏幕大小", "Screen size"), None, 96.0),
    (
        ("A4 横向 150 dpi", "A4 landscape 150 dpi"),
        Some(A4_MM),
        150.0,
    ),
    (
        ("A4 横向 300 dpi", "A4 landscape 300 dpi"),
        Some(A4_MM),
        300.0,
    ),
    (
        ("A4 纵向 150 dpi", "A4 portrait 150 dpi"),
        Some((A4_MM.1, A4_MM.0)),
        150.0,
    ),
    (
        ("A4 纵向 300 dpi", "A4 portrait 300 dpi"),
        Some((A4_MM.1, A4_MM.0)),
        300.0,
    ),
    (
        ("A3 横向 150 dpi", "A3 landscape 150 dpi"),
        Some(A3_MM),
        150.0,
    ),
    (
        ("A3 横向 300 dpi", "A3 landscape 300 dpi"),
        Some(A3_MM),
        300.0,
    ),
    (
        ("A3 纵向 150 dpi", "A3 portrait 150 dpi"),
        Some((A3_MM.1, A3_MM.0)),
        150.0,
    ),
    (
        ("A3 纵向 300 dpi", "A3 portrait 300 dpi"),
        Some((A3_MM.1, A3_MM.0)),
        300.0,
    ),
    (("自定义像素", "Custom pixels"), None, 96.0),
];

/// Index of the custom-size entry.
const CUSTOM: usize = PRESETS.len() - 1;

/// The dialog's state.
pub struct ExportDialog {
    /// A report page instead of the map alone.
    pub report: bool,
    /// Index into the presets.
    pub preset: usize,
    /// The report's title.
    pub title: String,
    /// PNG or SVG (the file name's extension follows it).
    pub format: Format,
    /// Where to write.
    pub path: String,
    preview: Option<(TextureHandle, u64)>,
    /// The preview's basemap fetcher (kept while the dialog is open and the basemap the same).
    preview_tiles: Option<std::sync::Arc<crate::tiles::TileService>>,
    /// The preview being drawn on a worker, and what it is drawn for.
    preview_job: Option<(u64, Receiver<Result<ColorImage, String>>)>,
    /// A preview that could not be drawn (its settings, and why).
    preview_failed: Option<(u64, String)>,
    /// The screen-size picture being drawn for the clipboard.
    clipboard_job: Option<Receiver<Result<ColorImage, String>>>,
    job: Option<Receiver<Result<PathBuf, String>>>,
    /// The last outcome, shown in the dialog.
    pub status: Option<String>,
    /// Width and height for the custom size.
    pub custom: (u32, u32),
    /// The in-app save browser, where no system dialog could open.
    browser: Option<crate::gui::windows::file_browser::FileBrowser>,
}

/// What the dialog needs from the window.
pub struct ExportContext<'a> {
    /// The layers.
    pub catalog: &'a Catalog,
    /// Their visibility.
    pub visible: &'a [bool],
    /// Symbology.
    pub styles: &'a Styles,
    /// The map's extent on screen (lon/lat) and its size in pixels.
    pub view: Option<(geo::Rect<f64>, (u32, u32))>,
    /// The basemap shown on the map, if any.
    pub basemap: Option<&'a crate::tiles::BasemapSpec>,
    /// How to fetch its tiles (the user's cache and cap; no waiting for a failing server).
    pub tile_options: crate::tiles::ServiceOptions,
}

/// A fetcher for an export's basemap: tiles from the disk cache (the window has just drawn
/// them) or the network, never waiting for a server that is backing off.
fn export_service(
    spec: &crate::tiles::BasemapSpec,
    opts: &crate::tiles::ServiceOptions,
) -> crate::tiles::TileService {
    crate::tiles::TileService::start(spec.clone(), opts.clone(), || ())
}

impl ExportDialog {
    /// A dialog that writes into `dir` by default.
    pub fn new(dir: Option<PathBuf>) -> Self {
        let dir = dir
            .or_else(dirs::picture_dir)
            .or_else(dirs::home_dir)
            .unwrap_or_default();
        Self {
            report: true,
            preset: 1,
            title: "洮南市矿产资源规划图".into(),
            format: Format::Png,
            path: dir.join("洮南市矿产资源规划图.png").display().to_string(),
            preview: None,
            preview_tiles: None,
            preview_job: None,
            preview_failed: None,
            clipboard_job: None,
            job: None,
            status: None,
            custom: (2000, 1500),
            browser: None,
        }
    }

    /// Whether an export is being written.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    fn size(&self, view: (u32, u32)) -> (u32, u32, f32) {
        match PRESETS.get(self.preset) {
            Some((_, Some((w, h)), dpi)) => (
                (w / 25.4 * dpi).round() as u32,
                (h / 25.4 * dpi).round() as u32,
                *dpi,
            ),
            _ if self.preset == CUSTOM => (
                self.custom.0.clamp(16, 20_000),
                self.custom.1.clamp(16, 20_000),
                96.0,
            ),
            _ => (view.0.max(16), view.1.max(16), 96.0),
        }
    }

    /// The paper's size in millimetres for a paper preset (an SVG's size on paper).
    fn paper_mm(&self) -> Option<(f32, f32)> {
        PRESETS.get(self.preset).and_then(|p| p.1)
    }

    /// Choose the format, and give the file name its extension.
    fn set_format(&mut self, format: Format) {
        self.format = format;
        let mut p = PathBuf::from(self.path.trim());
        if p.file_name().is_some() {
            p.set_extension(format.extension());
            self.path = p.display().to_string();
        }
    }

    /// Follow a file name ending in `.png` or `.svg` (typed or chosen) with the format.
    fn follow_path(&mut self) {
        let p = PathBuf::from(self.path.trim());
        if p.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("png") || e.eq_ignore_ascii_case("svg"))
        {
            self.format = Format::of_path(&p);
        }
    }

    /// What a page render needs, owned, so that a worker draws it (a county layer's page
    /// takes a while; the basemap's tiles are waited for up to `wait`).
    fn page_job(
        &mut self,
        cx: &ExportContext<'_>,
        width: u32,
        height: u32,
        dpi: f32,
        wait: std::time::Duration,
    ) -> Result<PageJob, String> {
        let (extent, _) = cx.view.ok_or("the map has not been drawn yet")?;
        if self.preview_tiles.as_ref().map(|s| s.spec()) != cx.basemap {
            self.preview_tiles = cx
                .basemap
                .map(|b| std::sync::Arc::new(export_service(b, &cx.tile_options)));
        }
        Ok(PageJob {
            catalog: cx.catalog.clone(),
            visible: cx.visible.to_vec(),
            styles: cx.styles.clone(),
            tiles: self.preview_tiles.clone(),
            report: self.report,
            title: self.title.clone(),
            width,
            height,
            dpi,
            wait,
            extent,
        })
    }

    /// Show the dialog; returns the folder written to, when an export finished.
    pub fn show(&mut self, ui: &mut Ui, lang: Lang, cx: &ExportContext<'_>) -> Option<PathBuf> {
        let finished = self.take_results(ui.ctx(), lang);
        let view_px = cx.view.map(|v| v.1).unwrap_or((800, 600));
        self.settings(ui, lang, view_px);
        let (w, h, dpi) = self.size(view_px);
        self.preview(ui, lang, cx, (w, h, dpi));
        self.file_row(ui, lang);
        self.save_browser(ui, lang);
        self.buttons(ui, lang, cx, view_px, (w, h, dpi));
        finished
    }

    /// Take in a finished clipboard picture or export; returns the folder written to.
    fn take_results(&mut self, ctx: &egui::Context, lang: Lang) -> Option<PathBuf> {
        let mut finished = None;
        if let Some(rx) = &self.clipboard_job
            && let Ok(image) = rx.try_recv()
        {
            self.clipboard_job = None;
            self.status = Some(match image {
                Ok(image) => {
                    ctx.copy_image(image);
                    lang.t("已复制到剪贴板", "Copied to the clipboard").into()
                }
                Err(e) => e,
            });
        }
        if let Some(rx) = &self.job
            && let Ok(result) = rx.try_recv()
        {
            self.job = None;
            self.status = Some(match result {
                Ok(p) => {
                    let s = format!("{}：{}", lang.t("已导出", "Exported"), p.display());
                    finished = p.parent().map(PathBuf::from);
                    s
                }
                Err(e) => format!("{}：{e}", lang.t("导出失败", "Export failed")),
            });
        }
        finished
    }

    /// What, what size, what format, and the report's title.
    fn settings(&mut self, ui: &mut Ui, lang: Lang, view_px: (u32, u32)) {
        ui.horizontal(|ui| {
            ui.label(lang.t("内容", "What"));
            ui.radio_value(
                &mut self.report,
                false,
                lang.t("地图（当前视图）", "The map (current view)"),
            );
            ui.radio_value(
                &mut self.report,
                true,
                lang.t(
                    "报告图（标题、图例、比例尺、指北针）",
                    "Report page (title, legend, scale, north arrow)",
                ),
            );
        });
        ui.horizontal(|ui| {
            ui.label(lang.t("尺寸", "Size"));
            egui::ComboBox::from_id_salt("export-size")
                .selected_text(
                    PRESETS
                        .get(self.preset)
                        .map_or("", |p| lang.t(p.0.0, p.0.1)),
                )
                .show_ui(ui, |ui| {
                    for (i, p) in PRESETS.iter().enumerate() {
                        ui.selectable_value(&mut self.preset, i, lang.t(p.0.0, p.0.1));
                    }
                });
            let (w, h, dpi) = self.size(view_px);
            ui.label(format!("{w} × {h} px, {dpi} dpi"));
        });
        if self.preset == CUSTOM {
            ui.horizontal(|ui| {
                ui.label(lang.t("宽 × 高（像素）", "Width × height (px)"));
                ui.add(egui::DragValue::new(&mut self.custom.0).range(16..=20_000));
                ui.add(egui::DragValue::new(&mut self.custom.1).range(16..=20_000));
            });
        }
        ui.horizontal(|ui| {
            ui.label(lang.t("格式", "Format"));
            let mut format = self.format;
            ui.radio_value(&mut format, Format::Png, lang.t("PNG 图像", "PNG image"));
            ui.radio_value(
                &mut format,
                Format::Svg,
                lang.t(
                    "SVG 矢量（任意尺寸打印清晰）",
                    "SVG vector (sharp at any size)",
                ),
            );
            if format != self.format {
                self.set_format(format);
            }
        });
        if self.report {
            ui.horizontal(|ui| {
                ui.label(lang.t("标题", "Title"));
                ui.text_edit_singleline(&mut self.title);
            });
        }
    }

    /// The live preview, redrawn on a worker when a setting changes.
    fn preview(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        cx: &ExportContext<'_>,
        (w, h, dpi): (u32, u32, f32),
    ) {
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hs = std::collections::hash_map::DefaultHasher::new();
            (
                self.report,
                self.preset,
                self.custom,
                &self.title,
                cx.visible,
                cx.catalog.version(),
            )
                .hash(&mut hs);
            cx.view.map(|v| format!("{:?}", v.0)).hash(&mut hs);
            cx.basemap.map(|b| b.id.clone()).hash(&mut hs);
            hs.finish()
        };
        if let Some((k, rx)) = &self.preview_job
            && let Ok(image) = rx.try_recv()
        {
            match image {
                Ok(image) => {
                    let tex = ui
                        .ctx()
                        .load_texture("export-preview", image, Default::default());
                    self.preview = Some((tex, *k));
                }
                // Not drawn again for the same settings.
                Err(e) => self.preview_failed = Some((*k, e)),
            }
            self.preview_job = None;
        }
        if self.preview.as_ref().is_none_or(|p| p.1 != key) {
            let pw = 420u32;
            let ph = ((pw as f32) * h as f32 / w.max(1) as f32)
                .round()
                .clamp(60.0, 600.0) as u32;
            let coming = self.preview_job.as_ref().is_some_and(|(k, _)| *k == key)
                || self.preview_failed.as_ref().is_some_and(|(k, _)| *k == key);
            if !coming
                && let Ok(job) = self.page_job(
                    cx,
                    pw,
                    ph,
                    dpi * pw as f32 / w.max(1) as f32,
                    std::time::Duration::from_millis(400),
                )
            {
                self.preview_job = Some((key, spawn_render(ui.ctx(), job, lang)));
            }
        }
        if let Some((tex, _)) = &self.preview {
            ui.add(egui::Image::new(tex).max_width(420.0));
        }
        if let Some((_, e)) = &self.preview_failed {
            ui.label(
                RichText::new(e)
                    .small()
                    .color(egui::Color32::from_rgb(170, 40, 30)),
            );
        }
        if self.preview_job.is_some() {
            ui.spinner();
        }
    }

    /// The file to write, with a system dialog (or the in-app browser) to choose it.
    fn file_row(&mut self, ui: &mut Ui, lang: Lang) {
        ui.horizontal(|ui| {
            ui.label(lang.t("文件", "File"));
            if ui
                .add(egui::TextEdit::singleline(&mut self.path).desired_width(320.0))
                .changed()
            {
                self.follow_path();
            }
            if ui.button(lang.t("选择…", "Choose…")).clicked() {
                let start = PathBuf::from(&self.path);
                let ext = self.format.extension();
                let mut d = rfd::FileDialog::new().add_filter(ext.to_ascii_uppercase(), &[ext]);
                if let (Some(dir), Some(name)) = (start.parent(), start.file_name()) {
                    d = d.set_directory(dir).set_file_name(name.to_string_lossy());
                }
                let t = std::time::Instant::now();
                match d.save_file() {
                    Some(p) => {
                        self.path = p.display().to_string();
                        self.follow_path();
                    }
                    // No answer at once means no dialog could be shown (no portal): use ours.
                    None if t.elapsed() < std::time::Duration::from_millis(250) => {
                        let name = start
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_else(|| format!("洮南市矿产资源规划图.{ext}"));
                        self.browser = Some(crate::gui::windows::file_browser::FileBrowser::save(
                            start.parent().map(PathBuf::from),
                            &name,
                            ext,
                        ));
                    }
                    None => {}
                }
            }
        });
    }

    /// The in-app save browser, while open.
    fn save_browser(&mut self, ui: &mut Ui, lang: Lang) {
        if let Some(b) = &mut self.browser {
            let action = ui.group(|ui| b.show(ui, lang)).inner;
            match action {
                crate::gui::windows::file_browser::BrowserAction::Open(paths) => {
                    if let Some(p) = paths.into_iter().next() {
                        self.path = p.display().to_string();
                        self.follow_path();
                    }
                    self.browser = None;
                }
                crate::gui::windows::file_browser::BrowserAction::Cancel => self.browser = None,
                crate::gui::windows::file_browser::BrowserAction::None => {}
            }
        }
    }

    /// Export, copy to the clipboard, and the outcome.
    fn buttons(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        cx: &ExportContext<'_>,
        view_px: (u32, u32),
        (w, h, dpi): (u32, u32, f32),
    ) {
        ui.horizontal(|ui| {
            let busy = self.busy();
            let label = match self.format {
                Format::Png => lang.t("导出 PNG", "Export PNG"),
                Format::Svg => lang.t("导出 SVG", "Export SVG"),
            };
            if ui.add_enabled(!busy, egui::Button::new(label)).clicked() {
                self.start(cx, w, h, dpi, lang);
            }
            if ui
                .button(lang.t("复制到剪贴板", "Copy to clipboard"))
                .clicked()
            {
                let (sw, sh) = view_px;
                match self.page_job(cx, sw, sh, 96.0, std::time::Duration::from_secs(5)) {
                    Ok(job) => self.clipboard_job = Some(spawn_render(ui.ctx(), job, lang)),
                    Err(e) => self.status = Some(e),
                }
            }
            if busy {
                ui.spinner();
                ui.label(lang.t("正在导出…", "Exporting…"));
            }
        });
        if let Some(s) = &self.status {
            ui.label(RichText::new(s).small());
        }
    }

    fn start(&mut self, cx: &ExportContext<'_>, w: u32, h: u32, dpi: f32, lang: Lang) {
        let Some((extent, _)) = cx.view else { return };
        let format = self.format;
        let mut path = PathBuf::from(self.path.trim());
        if path
            .extension()
            .is_none_or(|e| !e.eq_ignore_ascii_case(format.extension()))
        {
            path.set_extension(format.extension());
        }
        let paper_mm = self.paper_mm();
        // The worker renders from its own copy of the layers; the window keeps running.
        let catalog = cx.catalog.clone();
        let visible = cx.visible.to_vec();
        let styles = cx.styles.clone();
        let (report, title) = (self.report, self.title.clone());
        let basemap = cx.basemap.cloned();
        let tile_options = cx.tile_options.clone();
        let (tx, rx) = channel();
        let _ = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let what = crate::text::Text::same(path.display().to_string());
                let result = crate::gui::jobs::guarded(&what, || {
                    let tiles = basemap.as_ref().map(|b| export_service(b, &tile_options));
                    let map = MapImage {
                        width: w,
                        height: h,
                        extent,
                        visible: &visible,
                        scale: dpi / 96.0,
                        basemap: tiles.as_ref().map(|s| {
                            (
                                s,
                                std::time::Instant::now() + std::time::Duration::from_secs(60),
                            )
                        }),
                    };
                    let date = crate::cli::report_date();
                    let page = if report {
                        Page::Report(Report {
                            map,
                            dpi,
                            title: &title,
                            date: &date,
                            sources: crate::render::REPORT_SOURCES,
                        })
                    } else {
                        Page::Map(map)
                    };
                    crate::render::encode(&catalog, &styles, &page, format, paper_mm)
                        .and_then(|bytes| {
                            // Atomic: a complete image or none (replacing, as before).
                            crate::io::write::atomic::write_file(&path, &bytes, true)
                                .map_err(|e| e.in_lang(lang).to_owned())
                        })
                        .map(|()| path.clone())
                })
                .map_err(|e| e.in_lang(lang).to_owned())
                .and_then(|r| r);
                let _ = tx.send(result);
            });
        self.job = Some(rx);
        self.status = None;
    }
}

fn to_color_image(p: &tiny_skia::Pixmap) -> ColorImage {
    let rgba: Vec<u8> = p
        .pixels()
        .iter()
        .flat_map(|c| {
            let d = c.demultiply();
            [d.red(), d.green(), d.blue(), d.alpha()]
        })
        .collect();
    ColorImage::from_rgba_unmultiplied([p.width() as usize, p.height() as usize], &rgba)
}

/// A page to draw, owned by the worker that draws it.
struct PageJob {
    catalog: Catalog,
    visible: Vec<bool>,
    styles: Styles,
    tiles: Option<std::sync::Arc<crate::tiles::TileService>>,
    report: bool,
    title: String,
    width: u32,
    height: u32,
    dpi: f32,
    wait: std::time::Duration,
    extent: geo::Rect<f64>,
}

/// Draw a page (map or report) as an image.
fn render_page(j: &PageJob) -> Result<tiny_skia::Pixmap, String> {
    let map = MapImage {
        width: j.width,
        height: j.height,
        extent: j.extent,
        visible: &j.visible,
        scale: j.dpi / 96.0,
        basemap: j
            .tiles
            .as_deref()
            .map(|s| (s, std::time::Instant::now() + j.wait)),
    };
    if j.report {
        let date = crate::cli::report_date();
        let report = Report {
            map,
            dpi: j.dpi,
            title: &j.title,
            date: &date,
            sources: crate::render::REPORT_SOURCES,
        };
        render_report(&j.catalog, &j.styles, &report).map(|(p, _)| p)
    } else {
        render_map(&j.catalog, &j.styles, &map)
    }
}

/// Draw a page on a worker; the image comes back over the channel (and a repaint is asked for).
fn spawn_render(
    ctx: &egui::Context,
    job: PageJob,
    lang: Lang,
) -> Receiver<Result<ColorImage, String>> {
    let (tx, rx) = channel();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("export-preview".into())
        .spawn(move || {
            let image = crate::gui::jobs::guarded(
                &crate::text::Text::fixed("导出预览", "export preview"),
                || render_page(&job).map(|p| to_color_image(&p)),
            )
            .map_err(|e| e.in_lang(lang).to_owned())
            .and_then(|r| r);
            let _ = tx.send(image);
            ctx.request_repaint();
        });
    if let Err(e) = spawned {
        let (tx2, rx2) = channel();
        let _ = tx2.send(Err(format!(
            "{}: {e}",
            lang.t("无法启动工作线程", "no worker thread")
        )));
        return rx2;
    }
    rx
}
