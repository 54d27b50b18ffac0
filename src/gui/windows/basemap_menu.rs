//! The basemap picker in 视图 and the basemap settings window: the Tianditu key (saved only in
//! the user's config file), a custom XYZ address, offline tile files and folders, and the tile
//! cache's size cap. Both return what the user asks as actions; the functions at the end make
//! those changes on the basemap (called from `TaonanApp::apply`).

use std::path::{Path, PathBuf};

use egui::{Color32, RichText, Ui};

use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::map::basemap::{BUILTIN, Basemap};
use crate::user_config::UserConfig;

/// The basemap settings window: its edits (applied with 保存) and the outcome of the last.
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

/// A note in the settings window: its text and whether it says something went well.
pub type Note = (String, bool);

/// The basemap part of the 视图 menu.
pub fn menu(ui: &mut Ui, lang: Lang, basemap: &Basemap) -> Option<Action> {
    let mut action = None;
    ui.label(lang.t("底图", "Basemap"));
    let mut ids: Vec<String> = BUILTIN
        .iter()
        .filter(|id| **id != "xyz" || basemap.config.xyz_template.is_some())
        .map(|s| (*s).to_owned())
        .collect();
    ids.extend(
        basemap
            .local
            .iter()
            .map(|p| crate::tiles::source::local_id(p)),
    );
    ids.push("none".into());
    for id in ids {
        let label = basemap.label(&id, lang.is_zh());
        if ui.radio(basemap.choice() == id, label).clicked() {
            action = Some(Action::SetBasemap(id));
        }
    }
    if ui
        .button(lang.t("底图设置…", "Basemap settings…"))
        .clicked()
    {
        action = Some(Action::OpenBasemapSettings);
        ui.close();
    }
    action
}

impl SettingsState {
    /// The window over the settings as they are.
    pub fn new(c: &UserConfig) -> Self {
        Self {
            key: c.tianditu_tk.clone().unwrap_or_default(),
            xyz: c.xyz_template.clone().unwrap_or_default(),
            cache_mb: (c.cache_cap_bytes() / (1024 * 1024)).to_string(),
            ..Self::default()
        }
    }

    /// Say how the last change went.
    pub fn set_note(&mut self, note: Note) {
        self.note = Some(note);
    }

    /// Draw the window; returns what the user asked and whether the window stays open.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        basemap: &Basemap,
    ) -> (Vec<Action>, bool) {
        let mut open = true;
        let mut actions = Vec::new();
        egui::Window::new(lang.t("底图设置", "Basemap settings"))
            .id(egui::Id::unique("basemap-settings"))
            .open(&mut open)
            .default_pos(egui::pos2(300.0, 60.0))
            .default_width(480.0)
            .show(ctx, |ui| {
                self.key_section(ui, lang);
                ui.separator();
                actions.extend(self.tiles_section(ui, lang, basemap));
                ui.separator();
                if ui.button(lang.t("保存", "Save")).clicked() {
                    actions.extend(self.edited(basemap, lang));
                }
                if let Some((note, ok)) = &self.note {
                    let color = if *ok {
                        Color32::from_rgb(0, 120, 60)
                    } else {
                        Color32::from_rgb(170, 40, 30)
                    };
                    ui.label(RichText::new(note).color(color));
                }
            });
        (actions, open)
    }

    /// The Tianditu key.
    fn key_section(&mut self, ui: &mut Ui, lang: Lang) {
        ui.label(RichText::new(lang.t("天地图密钥（tk）", "Tianditu key (tk)")).strong());
        ui.label(lang.t(
            "请使用“服务器端”类型的密钥；浏览器端密钥会被天地图拒绝（403）。密钥只保存在本机的设置文件中。",
            "Use a server-type key; Tianditu refuses browser-type keys (403). The key is kept only in this computer's settings file.",
        ));
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.key)
                    .password(!self.show_key)
                    .desired_width(300.0)
                    .hint_text("tk"),
            );
            ui.checkbox(&mut self.show_key, lang.t("显示", "Show"));
        });
        if self.key.trim().is_empty()
            && std::env::var(crate::user_config::TK_ENV).is_ok_and(|v| !v.trim().is_empty())
        {
            ui.label(lang.t(
                "（未填写：使用环境变量 TIANDITU_TK）",
                "(empty: the TIANDITU_TK environment variable is used)",
            ));
        }
    }

    /// The custom XYZ address, offline tile folders and the tile cache.
    fn tiles_section(&mut self, ui: &mut Ui, lang: Lang, basemap: &Basemap) -> Option<Action> {
        let mut action = None;
        ui.label(RichText::new(lang.t("自定义 XYZ 瓦片地址", "Custom XYZ tile address")).strong());
        ui.add(
            egui::TextEdit::singleline(&mut self.xyz)
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
            ui.add(egui::TextEdit::singleline(&mut self.folder).desired_width(340.0));
            if ui
                .button(lang.t("使用此文件夹", "Use this folder"))
                .clicked()
            {
                action = Some(Action::UseTileFolder(PathBuf::from(self.folder.trim())));
            }
        });
        ui.separator();
        ui.label(RichText::new(lang.t("瓦片缓存", "Tile cache")).strong());
        ui.horizontal(|ui| {
            ui.label(lang.t("上限（MB）", "Cap (MB)"));
            ui.add(egui::TextEdit::singleline(&mut self.cache_mb).desired_width(80.0));
            if ui.button(lang.t("清空缓存", "Empty the cache")).clicked() {
                action = Some(Action::EmptyTileCache);
            }
        });
        if let Some(dir) = basemap.config.cache_dir() {
            ui.label(
                RichText::new(dir.display().to_string())
                    .small()
                    .color(Color32::GRAY),
            );
        }
        action
    }

    /// The settings as edited, to save; `None` (and a note) when the XYZ address lacks one of
    /// `{z}`, `{x}`, `{y}`.
    fn edited(&mut self, basemap: &Basemap, lang: Lang) -> Option<Action> {
        let mut config = basemap.config.clone();
        let key = self.key.trim();
        config.tianditu_tk = (!key.is_empty()).then(|| key.to_owned());
        let xyz = self.xyz.trim();
        config.xyz_template = (!xyz.is_empty()).then(|| xyz.to_owned());
        config.tile_cache_mb = self.cache_mb.trim().parse::<u64>().ok();
        if let Some(t) = &config.xyz_template
            && !(t.contains("{z}") && t.contains("{x}") && t.contains("{y}"))
        {
            self.note = Some((
                lang.t(
                    "XYZ 地址须包含 {z}、{x}、{y}",
                    "The XYZ address must hold {z}, {x} and {y}",
                )
                .into(),
                false,
            ));
            return None;
        }
        Some(Action::SaveBasemapSettings(Box::new(config)))
    }
}

/// Open offline tile files (from 打开…, drag-and-drop or the command line) as basemaps; a
/// note in `messages` for each that cannot be opened.
pub fn open_tile_files(
    basemap: &mut Basemap,
    paths: &[PathBuf],
    lang: Lang,
    messages: &mut Vec<String>,
) {
    for p in paths {
        if let Err(e) = basemap.open_local(p) {
            messages.push(e.in_lang(lang).to_owned());
        }
    }
}

/// Show a {z}/{x}/{y} tile folder as the basemap.
pub fn use_folder(basemap: &mut Basemap, folder: &Path, lang: Lang) -> Note {
    let result = if folder.is_dir() {
        basemap
            .open_local(folder)
            .map_err(|e| e.in_lang(lang).to_owned())
    } else {
        Err(format!(
            "{}：{}",
            folder.display(),
            lang.t("文件夹不存在", "no such folder")
        ))
    };
    match result {
        Ok(()) => (
            lang.t("已切换到离线瓦片", "Switched to the offline tiles")
                .into(),
            true,
        ),
        Err(e) => (e, false),
    }
}

/// Empty the tile cache (a cache already gone counts as emptied); `None` without a cache.
pub fn empty_cache(basemap: &Basemap, lang: Lang) -> Option<Note> {
    let dir = basemap.config.cache_dir()?;
    Some(match std::fs::remove_dir_all(&dir) {
        Ok(()) => (lang.t("缓存已清空", "Cache emptied").to_owned(), true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (lang.t("缓存已清空", "Cache emptied").to_owned(), true)
        }
        Err(e) => (format!("{}: {e}", dir.display()), false),
    })
}

/// Save the settings in the user's settings folder and use them (the same basemap again, with
/// the new key or address; used even when they could not be saved).
pub fn save(
    basemap: &mut Basemap,
    config: UserConfig,
    config_dir: Option<&Path>,
    lang: Lang,
) -> Note {
    let result = match config_dir {
        Some(dir) => config.save(dir),
        None => Err(crate::text::Text::fixed(
            "没有设置文件夹",
            "No settings folder",
        )),
    };
    basemap.config = config;
    let choice = basemap.choice().to_owned();
    basemap.set_choice(&choice);
    match result {
        Ok(()) => (lang.t("已保存", "Saved").into(), true),
        Err(e) => (e.in_lang(lang).to_owned(), false),
    }
}
