//! The find box in the top bar: results as the user types, over every visible layer (grouped
//! by layer, best first; Chinese, pinyin initials and full pinyin, codes, any attribute), and
//! coordinates typed in (lon/lat, DMS, zone-41 X/Y) that jump to the place and drop a marker.
//! Enter or a click shows the first or the clicked result. The search runs on workers
//! ([`crate::gui::jobs::find`]).

use egui::{Color32, Key, RichText, Ui};
use walkers::{MapMemory, Plugin, Projector};

use crate::find::coords::{Place, PlaceKind, parse_place};
use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::jobs::find::FindJob;
use crate::gui::map::overlay::Screen;
use crate::model::catalog::{Catalog, FeatureRef};

/// Rows shown in the results list at most.
const MAX_ROWS: usize = 40;

/// The find box's state.
#[derive(Default)]
pub struct FindBox {
    /// The text typed in.
    pub text: String,
    job: FindJob,
    /// Where the last place typed in was (drawn as a marker), CGCS2000 lon/lat.
    pub marker: Option<[f64; 2]>,
    /// Whether the results list is open.
    open: bool,
}

/// One row of the results list.
enum Row {
    Place(Place),
    /// A feature and, when the match is not in a name field, the field that matched.
    Feature(FeatureRef, Option<crate::model::FieldName>),
}

impl FindBox {
    /// The place the text reads as, if it is one.
    fn place(&self) -> Option<Place> {
        parse_place(&self.text)
    }

    /// An internal error of the search worker, once.
    pub fn take_failure(&mut self) -> Option<crate::text::Text> {
        self.job.failure.take()
    }

    /// The box (`width` points wide) and its results list; returns what the user asked for.
    pub fn show(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        catalog: &Catalog,
        visible: &[bool],
        width: f32,
    ) -> Vec<Action> {
        let place = self.place();
        let query = if place.is_some() {
            ""
        } else {
            self.text.as_str()
        };
        self.job.update(ui.ctx(), catalog, visible, query);
        let edit = egui::TextEdit::singleline(&mut self.text)
            .hint_text(lang.t(
                "查找：名称、编号、拼音或坐标",
                "Find: name, code, pinyin or coordinates",
            ))
            .desired_width(width);
        let response = ui.add(edit);
        if response.has_focus() {
            self.job.want_index();
        }
        if response.changed() {
            self.open = true;
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        if ui.input(|i| i.key_pressed(Key::Escape)) && response.has_focus() {
            self.open = false;
        }
        let rows = self.rows(place, catalog);
        let mut actions = Vec::new();
        if enter && let Some(row) = rows.first() {
            actions.push(self.choose(row));
        }
        if self.open && !self.text.trim().is_empty() {
            let below = response.rect.left_bottom() + egui::vec2(0.0, 4.0);
            egui::Area::new(egui::Id::unique("find-results"))
                .order(egui::Order::Foreground)
                .fixed_pos(below)
                .show(ui.ctx(), |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.set_max_width(420.0);
                        if let Some(row) = self.results_list(ui, lang, catalog, &rows) {
                            actions.push(self.choose(&row));
                        }
                    });
                });
        }
        actions
    }

    /// The rows: the place first (when the text is one), then the hits, layer by layer.
    fn rows(&self, place: Option<Place>, catalog: &Catalog) -> Vec<Row> {
        if let Some(p) = place {
            return vec![Row::Place(p)];
        }
        let Some((q, version, groups)) = &self.job.results else {
            return Vec::new();
        };
        if *version != catalog.version() || q != self.text.trim() {
            return Vec::new();
        }
        groups
            .iter()
            .flat_map(|g| {
                g.hits.iter().map(|h| {
                    let r = FeatureRef {
                        layer: g.layer,
                        feature: h.feature,
                    };
                    Row::Feature(r, (!h.name_field).then(|| h.field.clone()))
                })
            })
            .take(MAX_ROWS)
            .collect()
    }

    /// What choosing a row does (a place also drops the marker).
    fn choose(&mut self, row: &Row) -> Action {
        self.open = false;
        match row {
            Row::Place(p) => {
                self.marker = Some([p.lon, p.lat]);
                Action::ShowPlace(p.lon, p.lat)
            }
            Row::Feature(r, _) => Action::SelectAndShow(*r),
        }
    }

    /// Draw the list; returns the row clicked.
    fn results_list(
        &self,
        ui: &mut Ui,
        lang: Lang,
        catalog: &Catalog,
        rows: &[Row],
    ) -> Option<Row> {
        let mut picked = None;
        if rows.is_empty() {
            let text = if self.job.busy() {
                lang.t("查找中…", "Searching…")
            } else {
                lang.t("没有找到", "Nothing found")
            };
            ui.label(RichText::new(text).italics());
            return None;
        }
        let mut last_layer = None;
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for row in rows {
                    match row {
                        Row::Place(p) => {
                            let what = place_text(p, lang);
                            if ui.button(what).clicked() {
                                picked = Some(Row::Place(*p));
                            }
                        }
                        Row::Feature(r, field) => {
                            let Some(layer) = catalog.layers.get(r.layer) else {
                                continue;
                            };
                            if last_layer != Some(r.layer) {
                                last_layer = Some(r.layer);
                                ui.label(
                                    RichText::new(layer.name(lang.is_zh()))
                                        .small()
                                        .color(Color32::GRAY),
                                );
                            }
                            let Some(f) = layer.features.get(r.feature) else {
                                continue;
                            };
                            let mut name = f.display_name(r.feature);
                            if f.is_schematic() {
                                name.push_str(lang.t("（示意）", " (schematic)"));
                            }
                            // A match outside the name: say where (e.g. "KZ：煤").
                            if let Some(code) = field
                                && let Some(v) = f.attr(code)
                            {
                                name.push_str(&format!("  · {code}：{}", v.display()));
                            }
                            if ui.button(name).clicked() {
                                picked = Some(Row::Feature(*r, field.clone()));
                            }
                        }
                    }
                }
            });
        picked
    }

    /// The marker of the last place jumped to, as a map plugin.
    pub fn marker_plugin(&self, gcj02: bool) -> MarkerPlugin {
        MarkerPlugin {
            at: self.marker,
            gcj02,
        }
    }
}

/// "跳转到 122.780000°E 45.340000°N（第41带 X … Y …）".
fn place_text(p: &Place, lang: Lang) -> String {
    let mut s = format!(
        "{} {:.6}°E {:.6}°N",
        lang.t("跳转到", "Go to"),
        p.lon,
        p.lat
    );
    if let PlaceKind::Zone41 { x, y } = p.kind {
        s.push_str(&match lang {
            Lang::Zh => format!("（41 带 X {x:.2} Y {y:.2}）"),
            Lang::En => format!(" (zone 41 X {x:.2} Y {y:.2})"),
        });
    }
    s
}

/// Draws the marker of a place typed into the find box.
pub struct MarkerPlugin {
    at: Option<[f64; 2]>,
    gcj02: bool,
}

impl Plugin for MarkerPlugin {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        _response: &egui::Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let Some(at) = self.at else { return };
        let screen = Screen {
            projector,
            gcj02: self.gcj02,
        };
        let p = screen.pos(at);
        let painter = ui.painter();
        let red = Color32::from_rgb(220, 30, 30);
        painter.circle(p - egui::vec2(0.0, 14.0), 7.0, red, (1.5, Color32::WHITE));
        painter.line_segment([p - egui::vec2(0.0, 8.0), p], (2.5, red));
        painter.circle_filled(p, 2.5, red);
    }
}
