//! The status bar: the pointer's position (lon/lat in DMS and zone-41 X/Y), the basemap's
//! state, the GCJ-02 note while AMap is shown, the layers left unlabelled (too many features
//! in view), the loading progress with 取消, and the schematic note. Cancelling comes back as an action.

use egui::{Color32, RichText, Ui};

use crate::analysis::measure::lonlat_dms;
use crate::crs::lonlat_to_zone41;
use crate::gui::Action;
use crate::gui::i18n::Lang;

/// What the status bar shows.
pub struct StatusView {
    /// The pointer's lon/lat over the map, if it is there.
    pub cursor: Option<(f64, f64)>,
    /// The basemap's state line and its colour.
    pub basemap: (String, Color32),
    /// Layers are drawn shifted to GCJ-02 (an AMap basemap is shown).
    pub gcj02: bool,
    /// The loading job's progress (0–1), while files load.
    pub loading: Option<f32>,
    /// Layers left unlabelled because too many of their features are in view (their names).
    pub unlabelled: Vec<String>,
}

/// Draw the status bar.
pub fn show(ui: &mut Ui, lang: Lang, view: &StatusView) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.horizontal_wrapped(|ui| {
        match view.cursor {
            Some((lon, lat)) => {
                ui.monospace(lonlat_dms(lon, lat));
                if let Ok(xy) = lonlat_to_zone41(lon, lat) {
                    ui.monospace(format!("41带 X {:.1}  Y {:.1}", xy.x, xy.y));
                }
            }
            None => {
                ui.label(lang.t("移动鼠标查看坐标", "Move the pointer to read coordinates"));
            }
        }
        ui.separator();
        ui.label(RichText::new(&view.basemap.0).color(view.basemap.1));
        if view.gcj02 {
            ui.label(
                RichText::new(lang.t(
                    "图层按 GCJ-02 偏移显示以对齐高德底图（数据、导出与命令行仍为 CGCS2000）",
                    "Layers drawn shifted to GCJ-02 to match AMap (data, exports and CLI stay CGCS2000)",
                ))
                .color(Color32::from_rgb(180, 90, 0)),
            );
        }
        if !view.unlabelled.is_empty() {
            let names = view.unlabelled.join("、");
            let max = crate::render::labels::MAX_IN_VIEW;
            ui.label(
                RichText::new(match lang {
                    Lang::Zh => format!("「{names}」视图内要素超过 {max} 个，暂不标注（放大后显示）"),
                    Lang::En => format!(
                        "{names}: more than {max} features in view, not labelled (zoom in)"
                    ),
                })
                .color(Color32::from_rgb(180, 90, 0)),
            );
        }
        ui.separator();
        if let Some(fraction) = view.loading {
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(140.0)
                    .text(lang.t("载入中…", "Loading…")),
            );
            if ui.small_button(lang.t("取消", "Cancel")).clicked() {
                actions.push(Action::CancelLoading);
            }
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        ui.label(
            RichText::new(lang.t("规划区块位置为示意", "Plan zone positions are schematic"))
                .color(super::details::SCHEMATIC_COLOR),
        );
    });
    actions
}
