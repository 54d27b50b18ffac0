//! The 测量 window: distance or area, the live figures (m/km, m²/km², 亩, 公顷), each segment,
//! and what to do with the result: copy it as text, keep it as a temporary layer (量测), start
//! again or close the tool. The clicks themselves are taken by
//! [`crate::gui::map::measure_tool`].

use egui::RichText;

use crate::analysis::geodesy::format_length;
use crate::analysis::measurement::MeasureMode;
use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::map::measure_tool::MeasureTool;

/// Show the window while the tool is on; returns what the user asked for.
pub fn window(ctx: &egui::Context, lang: Lang, tool: &mut MeasureTool) -> Vec<Action> {
    let mut actions = Vec::new();
    if !tool.active {
        return actions;
    }
    let mut open = true;
    egui::Window::new(lang.t("测量", "Measure"))
        .id(egui::Id::unique("measure-window"))
        .default_pos(egui::pos2(320.0, 70.0))
        .resizable(false)
        .open(&mut open)
        .show(ctx, |ui| body(ui, lang, tool, &mut actions));
    if !open {
        tool.set_active(false, tool.measurement.mode);
    }
    actions
}

fn body(ui: &mut egui::Ui, lang: Lang, tool: &mut MeasureTool, actions: &mut Vec<Action>) {
    let mut mode = tool.measurement.mode;
    ui.horizontal(|ui| {
        ui.radio_value(&mut mode, MeasureMode::Distance, lang.t("距离", "Distance"));
        ui.radio_value(&mut mode, MeasureMode::Area, lang.t("面积", "Area"));
    });
    if mode != tool.measurement.mode {
        tool.measurement.mode = mode;
    }
    ui.label(
        RichText::new(lang.t(
            "在地图上单击添加点（靠近要素顶点时自动吸附），双击、Esc 或 Enter 结束。",
            "Click on the map to add points (snaps to nearby vertices); double-click, Esc or Enter ends.",
        ))
        .small(),
    );
    ui.separator();
    let m = tool.live();
    if m.points.len() < 2 {
        ui.label(lang.t("尚未测量。", "Nothing measured yet."));
    } else {
        ui.label(RichText::new(m.headline(lang.is_zh())).strong());
        egui::CollapsingHeader::new(lang.t("各段长度", "Segments"))
            .default_open(m.segments_m().len() <= 8)
            .show(ui, |ui| {
                for (i, s) in m.segments_m().iter().enumerate() {
                    ui.label(format!(
                        "{} {}：{}",
                        lang.t("段", "Segment"),
                        i + 1,
                        format_length(*s)
                    ));
                }
            });
    }
    if tool.finished {
        ui.label(
            RichText::new(lang.t(
                "已结束；单击地图开始新的测量。",
                "Ended; click the map to start again.",
            ))
            .italics(),
        );
    }
    ui.separator();
    let done = tool.measurement.clone();
    ui.horizontal(|ui| {
        let has = done.geometry().is_some();
        if ui
            .add_enabled(has, egui::Button::new(lang.t("复制结果", "Copy")))
            .clicked()
        {
            ui.ctx().copy_text(done.text(lang.is_zh()));
        }
        if ui
            .add_enabled(
                has,
                egui::Button::new(lang.t("保存为临时图层", "Keep as a layer")),
            )
            .clicked()
            && let Some(layer) = done.to_layer(tool.kept + 1)
        {
            tool.kept += 1;
            actions.push(Action::AddLayer(Box::new(layer)));
        }
        if ui.button(lang.t("清除", "Clear")).clicked() {
            tool.set_active(true, mode);
        }
    });
}
