//! The side panel: everything about the selected feature.

use egui::{Color32, RichText, Ui};

use crate::analysis::measure::format_area;
use crate::analysis::summary::Summary;
use crate::gui::i18n::Lang;
use crate::model::ProvenanceKind;
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::fields::FieldLabels;

/// Colour of the "示意 / schematic" badge.
pub const SCHEMATIC_COLOR: Color32 = Color32::from_rgb(200, 110, 0);

/// Show the selected feature; `None` shows a hint.
pub fn show(
    ui: &mut Ui,
    lang: Lang,
    catalog: &Catalog,
    labels: &FieldLabels,
    selected: Option<(FeatureRef, &Summary)>,
) {
    let Some((r, s)) = selected else {
        ui.label(lang.t(
            "点击地图上的规划区或乡镇驻地查看详情。",
            "Click a zone or a township seat on the map to read about it.",
        ));
        return;
    };
    let (Some(layer), Some(f)) = (catalog.layers.get(r.layer), catalog.feature(r)) else {
        return;
    };
    ui.heading(f.display_name(r.feature));
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{}：{}",
                lang.t("图层", "Layer"),
                layer.name(lang.is_zh())
            ))
            .strong(),
        );
    });
    let (badge, color) = match f.provenance.kind {
        ProvenanceKind::Schematic => (
            lang.t(
                "示意图形（非实测坐标）",
                "Schematic shape (not surveyed coordinates)",
            ),
            SCHEMATIC_COLOR,
        ),
        ProvenanceKind::Real => (
            lang.t("真实图形", "Real geometry"),
            Color32::from_rgb(0, 120, 60),
        ),
        ProvenanceKind::Surveyed => (
            lang.t("实测（用户载入）", "Surveyed (loaded file)"),
            Color32::from_rgb(0, 90, 160),
        ),
        ProvenanceKind::Measured => (
            lang.t("量测（地图上点击所得）", "Measured (clicked on the map)"),
            Color32::from_rgb(150, 80, 0),
        ),
    };
    ui.label(RichText::new(badge).color(color).strong());
    ui.label(
        RichText::new(format!(
            "{}：{}",
            lang.t("来源", "Source"),
            f.provenance.source
        ))
        .small(),
    );
    ui.separator();

    egui::CollapsingHeader::new(lang.t("属性", "Attributes"))
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("attributes")
                .num_columns(2)
                .striped(true)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    for (code, value) in &f.attributes {
                        ui.label(labels.label(code, lang.is_zh()))
                            .on_hover_text(&**code);
                        ui.add(egui::Label::new(value.display()).wrap());
                        ui.end_row();
                    }
                });
        });

    egui::CollapsingHeader::new(lang.t("量算", "Measurements"))
        .default_open(true)
        .show(ui, |ui| {
            egui::Grid::new("measures")
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    if s.area_km2 > 0.0 {
                        ui.label(lang.t("椭球面积", "Ellipsoidal area"));
                        ui.label(format_area(s.area_km2, s.area_mu, lang.is_zh()));
                        ui.end_row();
                        ui.label(lang.t("周长", "Perimeter"));
                        ui.label(format!("{:.3} km", s.perimeter_km));
                        ui.end_row();
                    }
                    if let Some(dms) = s.centroid_dms() {
                        ui.label(lang.t("中心（经纬度）", "Centroid (lon/lat)"));
                        ui.label(dms);
                        ui.end_row();
                    }
                    if let Some(xy) = s.centroid_zone41 {
                        ui.label(lang.t("中心（41带）", "Centroid (zone 41)"));
                        ui.label(format!("X {:.2}\nY {:.2}", xy.x, xy.y))
                            .on_hover_text(
                                "CGCS2000 3° Gauss-Krüger zone 41, EPSG:4529; X = northing",
                            );
                        ui.end_row();
                    }
                    if let Some((name, km)) = &s.nearest_seat {
                        ui.label(lang.t("最近乡镇驻地", "Nearest township seat"));
                        ui.label(format!("{name}（{km:.1} km）"));
                        ui.end_row();
                    }
                });
        });
}
