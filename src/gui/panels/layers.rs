//! The layer list: each layer's legend swatch, visibility, feature count and 示意 flag, top
//! layer first; every layer's name has a context menu with 设置… (its labels) and 另存为…; for the user's layers
//! 缩放 / 属性表 / 设置 / 另存为… / 移除 and the X/Y swap offer; then the loading notes. A layer
//! whose CRS is unknown is marked 坐标系未知 (nothing to zoom to). It changes nothing itself:
//! what the user does comes back as actions.

use egui::{Color32, RichText, Ui};

use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::io::loader::LoadOptions;
use crate::model::style::Style;
use crate::model::{Layer, LayerRole};

/// One row of the list.
pub struct LayerRow<'a> {
    /// The layer.
    pub layer: &'a Layer,
    /// How it is drawn (for the swatch).
    pub style: Style,
    /// Whether it is shown.
    pub visible: bool,
    /// Whether it holds schematic features.
    pub schematic: bool,
    /// When its X/Y look swapped: the options that reload it the other way round.
    pub swap: Option<LoadOptions>,
}

/// Draw the list; `rows` are in catalog order (drawn top layer first).
pub fn show(ui: &mut Ui, lang: Lang, rows: &[LayerRow<'_>], messages: &[String]) -> Vec<Action> {
    let mut actions = Vec::new();
    ui.heading(lang.t("图层", "Layers"));
    ui.separator();
    for (li, row) in rows.iter().enumerate().rev() {
        let layer = row.layer;
        let name = layer.name(lang.is_zh()).to_owned();
        let tip = format!("{}\n{}", layer.source, layer.crs.in_lang(lang));
        ui.horizontal(|ui| {
            swatch(ui, layer.role, row.style);
            let mut visible = row.visible;
            let check = ui.checkbox(&mut visible, name).on_hover_text(tip);
            if check.changed() {
                actions.push(Action::SetVisible(li, visible));
            }
            check.context_menu(|ui| {
                if ui.button(lang.t("设置…", "Settings…")).clicked() {
                    actions.push(Action::OpenSettings(li));
                    ui.close();
                }
                if ui.button(lang.t("另存为…", "Save as…")).clicked() {
                    actions.push(Action::SaveLayerAs(li));
                    ui.close();
                }
            });
            ui.label(RichText::new(format!("{}", layer.features.len())).weak());
            if !layer.is_placed() {
                ui.label(
                    RichText::new(lang.t("坐标系未知", "CRS unknown"))
                        .color(Color32::from_rgb(200, 90, 0))
                        .small(),
                )
                .on_hover_text(lang.t(
                    "未定位，不显示也不参与检查：在“设置”中选择坐标系",
                    "Not placed: neither drawn nor checked until a CRS is picked in Settings",
                ));
            }
            if row.schematic {
                ui.label(
                    RichText::new(lang.t("示意", "schematic"))
                        .color(super::details::SCHEMATIC_COLOR)
                        .small(),
                );
            }
        });
        if layer.role == LayerRole::Loaded {
            layer_buttons(ui, lang, li, row, &mut actions);
        }
    }
    ui.separator();
    if ui
        .button(lang.t("缩放至洮南市", "Zoom to Taonan"))
        .clicked()
    {
        actions.push(Action::ZoomToTaonan);
    }
    if !messages.is_empty() {
        ui.separator();
        ui.label(RichText::new(lang.t("载入提示", "Loading notes")).strong());
        for m in messages {
            ui.label(
                RichText::new(m)
                    .color(Color32::from_rgb(180, 40, 40))
                    .small(),
            );
        }
    }
    actions
}

/// The legend swatch: a dot for township seats, a box for the rest.
fn swatch(ui: &mut Ui, role: LayerRole, style: Style) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 14.0), egui::Sense::hover());
    let c = |v: [u8; 4]| Color32::from_rgba_unmultiplied(v[0], v[1], v[2], v[3]);
    let (fill, stroke) = (
        c(style.fill),
        egui::Stroke::new(style.width.min(2.5), c(style.stroke)),
    );
    if role == LayerRole::Townships {
        ui.painter()
            .circle(rect.center(), style.radius, fill, stroke);
    } else {
        ui.painter().rect(
            rect.shrink(1.0),
            0.0,
            fill,
            stroke,
            egui::StrokeKind::Inside,
        );
    }
}

/// A user's layer's buttons and its X/Y swap offer.
fn layer_buttons(
    ui: &mut Ui,
    lang: Lang,
    li: usize,
    row: &LayerRow<'_>,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.add_space(20.0);
        if ui
            .add_enabled(
                row.layer.is_placed(),
                egui::Button::new(lang.t("缩放", "Zoom")).small(),
            )
            .on_hover_text(lang.t("缩放至图层", "Zoom to layer"))
            .clicked()
        {
            actions.push(Action::ZoomToLayer(li));
        }
        if ui.small_button(lang.t("属性表", "Table")).clicked() {
            actions.push(Action::OpenTable(li));
        }
        if ui.small_button(lang.t("设置", "Settings")).clicked() {
            actions.push(Action::OpenSettings(li));
        }
        if ui.small_button(lang.t("另存为…", "Save as…")).clicked() {
            actions.push(Action::SaveLayerAs(li));
        }
        if ui.small_button(lang.t("移除", "Remove")).clicked() {
            actions.push(Action::RemoveLayer(li));
        }
    });
    if let Some(opts) = &row.swap {
        ui.horizontal(|ui| {
            ui.add_space(28.0);
            ui.label(
                RichText::new(lang.t("X/Y 可能颠倒", "X/Y look swapped"))
                    .color(Color32::from_rgb(200, 90, 0))
                    .small(),
            );
            if ui.small_button(lang.t("交换X/Y", "Swap X/Y")).clicked() {
                actions.push(Action::Reload(li, opts.clone()));
            }
        });
    }
}
