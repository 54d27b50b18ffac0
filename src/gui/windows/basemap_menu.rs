//! The basemap picker in 视图 and the basemap settings window: the Tianditu key (saved only in
//! the user's config file), a custom XYZ address, offline tile files and folders, and the tile
//! cache's size cap.

use std::path::{Path, PathBuf};

use egui::{Color32, RichText, Ui};

use crate::gui::app::TaonanApp;
use crate::gui::map::basemap::BUILTIN;

/// The settings window's edits, applied with 保存.
#[derive(Debug, Default)]
pub struct SettingsState {
    key: String,
    show_key: bool,
    xyz: String,
    cache_mb: String,
    folder: String,
    note: Option<(String, bool)>,
}

/// Whether a path is an offline tile file the viewer opens as a basemap.
pub fn is_tile_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("mbtiles") || e.eq_ignore_ascii_case("pmtiles"))
}

impl TaonanApp {
    /// The basemap part of the 视图 menu.
    pub(in crate::gui) fn basemap_menu(&mut self, ui: &mut Ui) {
        let lang = self.lang;
        ui.label(lang.t("底图", "Basemap"));
        let mut ids: Vec<String> = BUILTIN
            .iter()
            .filter(|id| **id != "xyz" || self.basemap.config.xyz_template.is_some())
            .map(|s| (*s).to_owned())
            .collect();
        ids.extend(
            self.basemap
                .local
                .iter()
                .map(|p| crate::tiles::source::local_id(p)),
        );
        ids.push("none".into());
        for id in ids {
            let label = self.basemap.label(&id, lang.is_zh());
            if ui.radio(self.basemap.choice() == id, label).clicked() {
                self.basemap.set_choice(&id);
            }
        }
        if ui
            .button(lang.t("底图设置…", "Basemap settings…"))
            .clicked()
        {
            let c = &self.basemap.config;
            self.basemap_settings = Some(SettingsState {
                key: c.tianditu_tk.clone().unwrap_or_default(),
                xyz: c.xyz_template.clone().unwrap_or_default(),
                cache_mb: (c.cache_cap_bytes() / (1024 * 1024)).to_string(),
                ..SettingsState::default()
            });
            ui.close();
        }
    }

    /// Open offline tile files (from 打开…, drag-and-drop or the command line) as basemaps.
    pub(in crate::gui) fn open_tile_files(&mut self, paths: &[PathBuf]) {
        for p in paths {
            if let Err(e) = self.basemap.open_local(p) {
                self.messages.push(e);
            }
        }
    }

    /// The basemap settings window, when open.
    pub(in crate::gui) fn basemap_settings_window(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.basemap_settings else {
            return;
        };
        let lang = self.lang;
        let mut open = true;
        let mut save = false;
        let mut use_folder: Option<PathBuf> = None;
        let mut clear_cache = false;
        egui::Window::new(lang.t("底图设置", "Basemap settings"))
            .id(egui::Id::unique("basemap-settings"))
            .open(&mut open)
            .default_pos(egui::pos2(300.0, 60.0))
            .default_width(480.0)
            .show(ctx, |ui| {
                ui.label(RichText::new(lang.t("天地图密钥（tk）", "Tianditu key (tk)")).strong());
                ui.label(lang.t(
                    "请使用“服务器端”类型的密钥；浏览器端密钥会被天地图拒绝（403）。密钥只保存在本机的设置文件中。",
                    "Use a server-type key; Tianditu refuses browser-type keys (403). The key is kept only in this computer's settings file.",
                ));
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut state.key)
                            .password(!state.show_key)
                            .desired_width(300.0)
                            .hint_text("tk"),
                    );
                    ui.checkbox(&mut state.show_key, lang.t("显示", "Show"));
                });
                if state.key.trim().is_empty()
                    && std::env::var(crate::user_config::TK_ENV).is_ok_and(|v| !v.trim().is_empty())
                {
                    ui.label(lang.t(
                        "（未填写：使用环境变量 TIANDITU_TK）",
                        "(empty: the TIANDITU_TK environment variable is used)",
                    ));
                }
                ui.separator();
                ui.label(RichText::new(lang.t("自定义 XYZ 瓦片地址", "Custom XYZ tile address")).strong());
                ui.add(
                    egui::TextEdit::singleline(&mut state.xyz)
                        .desired_width(440.0)
                        .hint_text("http://内网服务器/tiles/{z}/{x}/{y}.png"),
                );
                ui.separator();
                ui.label(RichText::new(lang.t("离线瓦片", "Offline tiles")).strong());
                ui.label(lang.t(
                    ".mbtiles / .pmtiles 文件用 文件→打开… 或拖入窗口；{z}/{x}/{y} 瓦片文件夹在此填写路径：",
                    "Open .mbtiles / .pmtiles files with File → Open… or drop them on the window; for a {z}/{x}/{y} tile folder enter its path:",
                ));
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut state.folder).desired_width(340.0));
                    if ui.button(lang.t("使用此文件夹", "Use this folder")).clicked() {
                        use_folder = Some(PathBuf::from(state.folder.trim()));
                    }
                });
                ui.separator();
                ui.label(RichText::new(lang.t("瓦片缓存", "Tile cache")).strong());
                ui.horizontal(|ui| {
                    ui.label(lang.t("上限（MB）", "Cap (MB)"));
                    ui.add(egui::TextEdit::singleline(&mut state.cache_mb).desired_width(80.0));
                    if ui.button(lang.t("清空缓存", "Empty the cache")).clicked() {
                        clear_cache = true;
                    }
                });
                if let Some(dir) = self.basemap.config.cache_dir() {
                    ui.label(RichText::new(dir.display().to_string()).small().color(Color32::GRAY));
                }
                ui.separator();
                if ui.button(lang.t("保存", "Save")).clicked() {
                    save = true;
                }
                if let Some((note, ok)) = &state.note {
                    let color = if *ok { Color32::from_rgb(0, 120, 60) } else { Color32::from_rgb(170, 40, 30) };
                    ui.label(RichText::new(note).color(color));
                }
            });
        if let Some(folder) = use_folder {
            let result = if folder.is_dir() {
                self.basemap.open_local(&folder)
            } else {
                Err(format!(
                    "{}：{}",
                    folder.display(),
                    lang.t("文件夹不存在", "no such folder")
                ))
            };
            if let Some(state) = &mut self.basemap_settings {
                state.note = Some(match result {
                    Ok(()) => (
                        lang.t("已切换到离线瓦片", "Switched to the offline tiles")
                            .into(),
                        true,
                    ),
                    Err(e) => (e, false),
                });
            }
        }
        if clear_cache && let Some(dir) = self.basemap.config.cache_dir() {
            let note = match std::fs::remove_dir_all(&dir) {
                Ok(()) => (lang.t("缓存已清空", "Cache emptied").to_owned(), true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    (lang.t("缓存已清空", "Cache emptied").to_owned(), true)
                }
                Err(e) => (format!("{}: {e}", dir.display()), false),
            };
            if let Some(state) = &mut self.basemap_settings {
                state.note = Some(note);
            }
        }
        if save {
            self.save_basemap_settings();
        }
        if !open {
            self.basemap_settings = None;
        }
    }

    fn save_basemap_settings(&mut self) {
        let lang = self.lang;
        let Some(state) = &mut self.basemap_settings else {
            return;
        };
        let mut config = self.basemap.config.clone();
        let key = state.key.trim();
        config.tianditu_tk = (!key.is_empty()).then(|| key.to_owned());
        let xyz = state.xyz.trim();
        config.xyz_template = (!xyz.is_empty()).then(|| xyz.to_owned());
        config.tile_cache_mb = state.cache_mb.trim().parse::<u64>().ok();
        if let Some(t) = &config.xyz_template
            && !(t.contains("{z}") && t.contains("{x}") && t.contains("{y}"))
        {
            state.note = Some((
                lang.t(
                    "XYZ 地址须包含 {z}、{x}、{y}",
                    "The XYZ address must hold {z}, {x} and {y}",
                )
                .into(),
                false,
            ));
            return;
        }
        let result = match &self.config_dir {
            Some(dir) => config.save(dir),
            None => Err(lang.t("没有设置文件夹", "No settings folder").into()),
        };
        state.note = Some(match &result {
            Ok(()) => (lang.t("已保存", "Saved").into(), true),
            Err(e) => (e.clone(), false),
        });
        self.basemap.config = config;
        // Apply: the same basemap again, with the new key or address.
        let choice = self.basemap.choice().to_owned();
        self.basemap.set_choice(&choice);
    }
}
