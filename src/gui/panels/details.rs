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
#[allow(
    clippy::too_many_lines,
    reason = "grew past 100 lines when the plan-database and 量测 badges met in one merge; to be split into header / attributes / areas"
)]
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
                        ui.label(field_label(labels, code, lang))
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
                    plan_area_rows(ui, lang, f, s);
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

/// A field's label; the plan database's own fields (`DB:<code>`) are labelled as such.
fn field_label(labels: &FieldLabels, code: &str, lang: Lang) -> String {
    match code.strip_prefix(crate::plan::apply_database::DB_PREFIX) {
        Some(own) => format!(
            "{}·{}",
            lang.t("数据库", "Database"),
            labels.label(own, lang.is_zh())
        ),
        None => labels.label(code, lang.is_zh()),
    }
}

/// For a zone with the plan database applied: how it matched, and its polygon's area against
/// the plan's published figure (difference in km² and %).
fn plan_area_rows(ui: &mut Ui, lang: Lang, f: &crate::model::Feature, s: &Summary) {
    use crate::plan::apply_database::{area_difference, match_of, published_area_km2};
    let Some((status, _)) = match_of(f) else {
        return;
    };
    ui.label(lang.t("规划数据库", "Plan database"));
    ui.label(match status {
        "matched" => lang.t(
            "已匹配，图形来自数据库",
            "matched: geometry from the database",
        ),
        "conflict" => lang.t(
            "冲突，未采用（仍为示意）",
            "conflict, not applied (schematic)",
        ),
        _ => lang.t("未匹配（仍为示意）", "unmatched (still schematic)"),
    });
    ui.end_row();
    if status != "matched" || f.is_schematic() {
        return;
    }
    if let Some(published) = published_area_km2(f) {
        let (d, pct) = area_difference(s.area_km2, published);
        ui.label(lang.t("规划面积", "Plan's area"));
        ui.label(format!("{published} km²"));
        ui.end_row();
        ui.label(lang.t("与规划面积之差", "Difference from the plan"));
        ui.label(format!("{d:+.3} km²（{pct:+.2}%）"));
        ui.end_row();
    }
}
