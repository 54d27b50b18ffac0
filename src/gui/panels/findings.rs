//! The findings of the overlap analysis in the window: the counts under the layer list, the
//! window with the list grouped by severity, the findings of the selected feature, and a
//! selected mining right's plan conformance. Nothing here changes the app: a click on a
//! finding returns its index.

use egui::{Color32, RichText, Ui};

use crate::analysis::measure::km2_to_mu;
use crate::analysis::overlap::{Finding, Findings};
use crate::analysis::rules::Severity;
use crate::gui::i18n::Lang;
use crate::model::catalog::{Catalog, FeatureRef};

/// Colour of a severity.
pub fn color(s: Severity) -> Color32 {
    match s {
        Severity::Error => Color32::from_rgb(200, 30, 30),
        Severity::Warning => Color32::from_rgb(200, 120, 0),
        Severity::Info => Color32::from_rgb(40, 110, 180),
    }
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Error => lang.t("错误", "Error"),
        Severity::Warning => lang.t("警告", "Warning"),
        Severity::Info => lang.t("提示", "Info"),
    }
}

fn feature_name(catalog: &Catalog, r: FeatureRef, lang: Lang) -> String {
    let layer = catalog
        .layers
        .get(r.layer)
        .map(|l| l.name(lang.is_zh()).to_owned())
        .unwrap_or_default();
    let f = catalog.feature(r);
    let name = f.map(|f| f.display_name(r.feature)).unwrap_or_default();
    // A schematic shape's overlaps are schematic too: say so on every line.
    let tag = if f.is_some_and(|f| f.is_schematic()) {
        lang.t("（示意）", " (schematic)")
    } else {
        ""
    };
    format!("{layer}「{name}」{tag}")
}

/// One line describing a finding.
pub fn describe(catalog: &Catalog, f: &Finding, lang: Lang) -> String {
    let other =
        f.b.map(|b| format!(" ↔ {}", feature_name(catalog, b, lang)))
            .unwrap_or_default();
    let km2 = f.area_m2 / 1e6;
    let area = match lang {
        Lang::Zh => format!(
            "{:.1} m²（{km2:.4} km²，{:.2} 亩）",
            f.area_m2,
            km2_to_mu(km2)
        ),
        Lang::En => format!(
            "{:.1} m² ({km2:.4} km², {:.2} mu)",
            f.area_m2,
            km2_to_mu(km2)
        ),
    };
    format!(
        "{}：{}{other}，{area}",
        f.relation,
        feature_name(catalog, f.a, lang)
    )
}

fn row(ui: &mut Ui, catalog: &Catalog, f: &Finding, lang: Lang, active: bool) -> bool {
    let text = RichText::new(format!(
        "[{}] {}",
        severity_label(f.severity, lang),
        describe(catalog, f, lang)
    ))
    .color(color(f.severity));
    ui.add(egui::Button::selectable(active, text).wrap())
        .clicked()
}

/// A row of the whole list: one line, cut short (the full text on hover), so that every row
/// has the same height and only the rows on screen are laid out.
fn line(ui: &mut Ui, catalog: &Catalog, f: &Finding, lang: Lang, active: bool) -> bool {
    let full = describe(catalog, f, lang);
    let text = RichText::new(format!("[{}] {full}", severity_label(f.severity, lang)))
        .color(color(f.severity));
    ui.add(egui::Button::selectable(active, text).truncate())
        .on_hover_text(full)
        .clicked()
}

/// The whole list, grouped by severity with counts (a group opens and closes with a click on
/// its heading). Returns the index of a clicked finding. Only the rows on screen are laid out:
/// a county layer can give 400 000 findings.
#[allow(
    clippy::too_many_lines,
    reason = "the list's widgets in reading order (egui lays them out as it goes)"
)]
pub fn list(
    ui: &mut Ui,
    lang: Lang,
    catalog: &Catalog,
    findings: &Findings,
    busy: bool,
    active: Option<usize>,
) -> Option<usize> {
    let mut clicked = None;
    ui.horizontal_wrapped(|ui| {
        for s in SEVERITIES {
            ui.label(
                RichText::new(format!("{} {}", severity_label(s, lang), findings.count(s)))
                    .color(color(s))
                    .strong(),
            );
        }
        if busy {
            ui.spinner();
            ui.label(lang.t("检查中…", "Checking…"));
        }
    });
    ui.label(
        RichText::new(match lang {
            Lang::Zh => format!("已忽略细小重叠（碎片）{} 处", findings.dropped_slivers),
            Lang::En => format!(
                "{} sliver overlap(s) below the tolerance ignored",
                findings.dropped_slivers
            ),
        })
        .weak(),
    );
    ui.separator();
    if findings.findings.is_empty() {
        if !busy {
            ui.label(lang.t(
                "未发现重叠或越界。",
                "No overlaps and nothing outside the boundary.",
            ));
        }
        return None;
    }
    // Which groups are open, kept in egui's memory (information starts closed when long).
    let id = egui::Id::unique("findings-open");
    let mut open: [bool; 3] = ui.data_mut(|d| {
        *d.get_temp_mut_or_insert_with(id, || {
            SEVERITIES.map(|s| s != Severity::Info || findings.count(s) < 20)
        })
    });
    let groups: Vec<(usize, Severity, std::ops::Range<usize>)> = SEVERITIES
        .iter()
        .enumerate()
        .map(|(g, &s)| (g, s, findings.range_of(s)))
        .filter(|(_, _, r)| !r.is_empty())
        .collect();
    let total: usize = groups
        .iter()
        .map(|(g, _, r)| 1 + if open[*g] { r.len() } else { 0 })
        .sum();
    let row_height = ui.spacing().interact_size.y;
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .auto_shrink([false, true])
        .show_rows(ui, row_height, total, |ui, rows| {
            for v in rows {
                // Row v: walk the groups (three at most) to find what it shows.
                let mut v = v;
                for (g, s, r) in &groups {
                    if v == 0 {
                        let mark = if open[*g] { "▼" } else { "▶" };
                        let head = RichText::new(format!(
                            "{mark} {}（{}）",
                            severity_label(*s, lang),
                            r.len()
                        ))
                        .color(color(*s))
                        .strong();
                        if ui.add(egui::Button::new(head).frame(false)).clicked() {
                            open[*g] = !open[*g];
                        }
                        break;
                    }
                    v -= 1;
                    let shown = if open[*g] { r.len() } else { 0 };
                    if v < shown {
                        let i = r.start + v;
                        if let Some(f) = findings.findings.get(i)
                            && line(ui, catalog, f, lang, active == Some(i))
                        {
                            clicked = Some(i);
                        }
                        break;
                    }
                    v -= shown;
                }
            }
        });
    ui.data_mut(|d| d.insert_temp(id, open));
    clicked
}

/// The severities, most serious first (the order of the list).
const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

/// The findings that involve one feature. Returns the index of a clicked finding.
pub fn for_feature(
    ui: &mut Ui,
    lang: Lang,
    catalog: &Catalog,
    findings: &Findings,
    r: FeatureRef,
    busy: bool,
    active: Option<usize>,
) -> Option<usize> {
    let mut clicked = None;
    let mut any = false;
    for (i, f) in findings
        .indices_of(r)
        .into_iter()
        .filter_map(|i| findings.findings.get(i).map(|f| (i, f)))
    {
        any = true;
        if row(ui, catalog, f, lang, active == Some(i)) {
            clicked = Some(i);
        }
    }
    if busy {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(lang.t("检查中…", "Checking…"));
        });
    } else if !any {
        ui.label(
            RichText::new(lang.t("无重叠、未越界。", "No overlaps; inside the boundary.")).weak(),
        );
    }
    clicked
}

/// The findings' counts by severity under the layer list; true when the user asks for the
/// list.
pub fn summary(ui: &mut Ui, lang: Lang, findings: &Findings) -> bool {
    ui.label(RichText::new(lang.t("叠加检查", "Overlap checks")).strong());
    let [e, w, i] = SEVERITIES.map(|s| findings.count(s));
    let text = match lang {
        Lang::Zh => format!("错误 {e} · 警告 {w} · 提示 {i}"),
        Lang::En => format!("{e} errors · {w} warnings · {i} info"),
    };
    ui.button(text)
        .on_hover_text(lang.t("打开检查结果列表", "Open the list of findings"))
        .clicked()
}

/// The window with the whole list (`open` follows its close button). Returns the index of a
/// clicked finding and whether 导出… was clicked; `report` is set when its
/// 导出检查报告（PDF） button is clicked (disabled while `writing` one).
#[allow(clippy::too_many_arguments)]
pub fn window(
    ctx: &egui::Context,
    lang: Lang,
    open: &mut bool,
    catalog: &Catalog,
    findings: &Findings,
    busy: bool,
    active: Option<usize>,
    (report, writing): (&mut bool, bool),
) -> (Option<usize>, bool) {
    let mut clicked = None;
    let mut export = false;
    egui::Window::new(lang.t("叠加检查结果", "Overlap findings"))
        .id(egui::Id::unique("findings-window"))
        .open(open)
        .default_width(520.0)
        .default_pos(egui::pos2(260.0, 80.0))
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                let button =
                    egui::Button::new(lang.t("导出检查报告（PDF）…", "Check report (PDF)…"));
                *report = ui
                    .add_enabled(!writing && !busy, button)
                    .on_hover_text(lang.t(
                        "封面、汇总、每项错误与警告一页（附图）、采矿权符合性",
                        "Cover, summary, a page per error and warning (with maps), conformance",
                    ))
                    .clicked();
                if writing {
                    ui.spinner();
                }
                let can = !busy && !findings.findings.is_empty();
                if ui
                    .add_enabled(can, egui::Button::new(lang.t("导出…", "Export…")))
                    .on_hover_text(lang.t(
                        "导出为 Excel、CSV 或重叠图斑（shp、GeoJSON、KML、GeoPackage）",
                        "Export as Excel, CSV or the overlap polygons (shp, GeoJSON, KML, GeoPackage)",
                    ))
                    .clicked()
                {
                    export = true;
                }
            });
            clicked = list(ui, lang, catalog, findings, busy, active);
        });
    (clicked, export)
}

/// Plan conformance of a selected surveyed mining right (nothing for other features).
pub fn conformance(ui: &mut Ui, lang: Lang, catalog: &Catalog, findings: &Findings, r: FeatureRef) {
    let is_right = catalog
        .layers
        .get(r.layer)
        .is_some_and(|l| crate::analysis::overlap::analysis_role(l) == "surveyed_mining_right");
    if !is_right {
        return;
    }
    let c = crate::analysis::conformance::of(catalog, findings, r);
    egui::CollapsingHeader::new(lang.t("规划符合性", "Plan conformance"))
        .default_open(true)
        .show(ui, |ui| {
            for k in &c.checks {
                let color = if k.ok {
                    Color32::from_rgb(0, 120, 60)
                } else {
                    self::color(Severity::Warning)
                };
                ui.label(
                    RichText::new(format!("{} {}", if k.ok { "√" } else { "×" }, k.text))
                        .color(color),
                );
            }
            ui.separator();
            ui.label(RichText::new(lang.t("规划指标", "The plan's targets")).strong());
            for t in &c.targets {
                ui.label(RichText::new(t).small());
            }
        });
}
