//! The menu bar: 文件 (open, export, paste, recent files, quit), 视图 (zoom to Taonan, the
//! findings list, the basemap) and 语言, the title when there is room, and the top bar's tools
//! right-aligned on the same row. Every entry returns an action; add a menu entry by
//! adding a button here and, if it needs one, an [`Action`] variant applied in
//! `TaonanApp::apply`.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::map::basemap::Basemap;
use crate::gui::windows::basemap_menu;

/// What the menu shows.
pub struct MenuView<'a> {
    /// Interface language.
    pub lang: Lang,
    /// Whether the list of findings is open.
    pub findings_shown: bool,
    /// Recently opened files, newest first.
    pub recent: &'a [PathBuf],
    /// The basemap (its choices).
    pub basemap: &'a Basemap,
}

/// Width the title needs beside the menus and `right`'s tools; narrower, it is left out.
const TITLE_ROOM: f32 = 660.0;

/// Draw the menu bar with `right` (the top bar's tools: the find box, 测量工具) right-aligned on
/// the same row, given the room the menus leave; returns what the user asked.
pub fn show(ui: &mut Ui, view: &MenuView<'_>, right: impl FnOnce(&mut Ui)) -> Vec<Action> {
    let lang = view.lang;
    let mut actions = Vec::new();
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button(lang.t("文件", "File"), |ui| {
            actions.extend(file_menu(ui, lang, view.recent));
            ui.separator();
            if ui.button(lang.t("退出", "Quit")).clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button(lang.t("视图", "View"), |ui| {
            if ui
                .button(lang.t("缩放至洮南市", "Zoom to Taonan"))
                .clicked()
            {
                actions.push(Action::ZoomToTaonan);
                ui.close();
            }
            if ui.button(lang.t("测量", "Measure")).clicked() {
                actions.push(Action::Measure(true));
                ui.close();
            }
            let mut shown = view.findings_shown;
            if ui
                .checkbox(&mut shown, lang.t("叠加检查结果", "Overlap findings"))
                .changed()
            {
                actions.push(Action::ShowFindings(shown));
            }
            ui.separator();
            actions.extend(basemap_menu::menu(ui, lang, view.basemap));
        });
        ui.menu_button(lang.t("语言", "Language"), |ui| {
            let mut chosen = lang;
            ui.radio_value(&mut chosen, Lang::Zh, "中文");
            ui.radio_value(&mut chosen, Lang::En, "English");
            if chosen != lang {
                actions.push(Action::SetLang(chosen));
            }
        });
        if ui.available_width() > TITLE_ROOM {
            ui.separator();
            ui.label(
                RichText::new(lang.t(
                    "洮南市矿产资源规划图（2021-2025年）",
                    "Taonan mineral-resources plan 2021–2025",
                ))
                .strong(),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), right);
    });
    actions
}

/// The 文件 menu's entries for opening.
fn file_menu(ui: &mut Ui, lang: Lang, recent: &[PathBuf]) -> Vec<Action> {
    let mut actions = Vec::new();
    if ui.button(lang.t("打开…", "Open…")).clicked() {
        ui.close();
        actions.push(Action::OpenDialog);
    }
    if ui
        .button(lang.t("载入规划数据库…", "Load the plan database…"))
        .clicked()
    {
        ui.close();
        actions.push(Action::OpenPlanDatabase);
    }
    if ui.button(lang.t("导出地图…", "Export map…")).clicked() {
        ui.close();
        actions.push(Action::OpenExport);
    }
    if ui
        .button(lang.t("粘贴拐点坐标…", "Paste corner coordinates…"))
        .clicked()
    {
        ui.close();
        actions.push(Action::OpenPaste);
    }
    ui.menu_button(lang.t("最近打开", "Recent files"), |ui| {
        if recent.is_empty() {
            ui.label(RichText::new(lang.t("（无）", "(none)")).weak());
        }
        for p in recent {
            if ui.button(p.display().to_string()).clicked() {
                ui.close();
                actions.push(Action::OpenFiles(vec![p.clone()]));
            }
        }
    });
    actions
}
