//! The attribute table of a layer: filter over every field, sort by a column, a click on a row
//! selects the feature and zooms to it.
//!
//! Every row is reachable (a county layer has 500 000): the rows on screen are the only ones
//! laid out (`ScrollArea::show_rows`), and the filtered, sorted order is worked out once per
//! change of the filter, the sort or the layer — on a worker for a big layer, while the window
//! shows the previous order.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use egui::{RichText, Ui};

use crate::model::{Layer, ValueRef};

/// Layers with more features than this have their rows ordered on a worker.
const WORKER_ABOVE: usize = 20_000;

/// Width of a column, in points.
const COLUMN_WIDTH: f32 = 120.0;

/// Width of the row-number column, in points.
const NUMBER_WIDTH: f32 = 70.0;

/// What the order of rows depends on.
#[derive(Debug, Clone, PartialEq)]
struct OrderKey {
    version: u64,
    layer: usize,
    needle: String,
    sort: Option<(usize, bool)>,
}

/// The rows of a filtered, sorted table from its worker (an error if the worker failed).
type Ordered = Result<Vec<u32>, crate::text::Text>;

/// The attribute-table window's state.
pub struct TableState {
    /// Layer shown.
    pub layer: usize,
    /// Filter text (matches any attribute).
    pub filter: String,
    /// Sort column and ascending flag.
    pub sort: Option<(usize, bool)>,
    /// The rows shown (feature indices, in order) and what they were worked out for.
    rows: Option<(OrderKey, Arc<Vec<u32>>)>,
    /// The order being worked out on a worker.
    pending: Option<(OrderKey, Receiver<Ordered>)>,
}

impl TableState {
    /// The table of layer `layer`, unfiltered and unsorted.
    pub fn new(layer: usize) -> Self {
        Self {
            layer,
            filter: String::new(),
            sort: None,
            rows: None,
            pending: None,
        }
    }

    /// Whether the rows shown are those of the current filter and sort.
    pub fn settled(&self) -> bool {
        self.pending.is_none() && self.rows.is_some()
    }

    /// How many rows are shown.
    pub fn row_count(&self) -> usize {
        self.rows.as_ref().map_or(0, |(_, r)| r.len())
    }
}

/// The features of `layer` whose attributes contain `needle` (lower case; empty: all), in the
/// order of column `sort` (numbers by value, text by its characters; ascending when true),
/// else in file order.
pub fn ordered_rows(layer: &Layer, needle: &str, sort: Option<(usize, bool)>) -> Vec<u32> {
    let mut rows: Vec<u32> = layer
        .features
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            needle.is_empty()
                || f.attributes
                    .iter()
                    .any(|(_, v)| v.display().to_lowercase().contains(needle))
        })
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect();
    if let Some((col, asc)) = sort {
        let value = |i: u32| {
            layer
                .features
                .get(i as usize)
                .and_then(|f| f.attributes.at(col))
                .map(|(_, v)| v)
        };
        // Keys once per row, not once per comparison.
        let mut keyed: Vec<(Option<f64>, String, u32)> = rows
            .iter()
            .map(|&i| match value(i) {
                Some(ValueRef::Number(n)) => (Some(n), String::new(), i),
                Some(v) => (None, v.display(), i),
                None => (None, String::new(), i),
            })
            .collect();
        keyed.sort_by(|a, b| {
            let ord = match (a.0, b.0) {
                (Some(p), Some(q)) => p.total_cmp(&q),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.1.cmp(&b.1),
            }
            .then(a.2.cmp(&b.2));
            if asc { ord } else { ord.reverse() }
        });
        rows = keyed.into_iter().map(|k| k.2).collect();
    }
    rows
}

/// What the user did in the table this frame.
pub enum TableAction {
    /// Nothing.
    None,
    /// Selected this feature (zoom to it).
    Select(usize),
    /// Closed the window.
    Close,
}

/// The attribute-table window.
#[allow(
    clippy::too_many_lines,
    reason = "the table's widgets in reading order (egui lays them out as it goes)"
)]
pub fn show(
    ctx: &egui::Context,
    state: &mut TableState,
    layer: &Arc<Layer>,
    version: u64,
    lang: crate::gui::i18n::Lang,
    labels: &crate::model::fields::FieldLabels,
) -> TableAction {
    refresh_order(ctx, state, layer, version);
    let fields: Vec<String> = layer
        .features
        .first()
        .map(|f| f.attributes.iter().map(|(k, _)| k.to_string()).collect())
        .unwrap_or_default();
    let mut open = true;
    let mut clicked = None;
    let mut sort_click = None;
    let rows = state
        .rows
        .as_ref()
        .map(|(_, r)| r.clone())
        .unwrap_or_default();
    let busy = state.pending.is_some();
    egui::Window::new(format!(
        "{}：{}",
        lang.t("属性表", "Attribute table"),
        layer.name_zh
    ))
    .id(egui::Id::unique("attribute-table"))
    .default_pos(egui::pos2(300.0, 430.0))
    .open(&mut open)
    .default_size([640.0, 360.0])
    .show(ctx, |ui| {
        ui.horizontal(|ui| {
            ui.label(lang.t("筛选", "Filter"));
            ui.text_edit_singleline(&mut state.filter);
            ui.label(format!("{} / {}", rows.len(), layer.features.len()));
            if busy {
                ui.spinner();
            }
        });
        egui::ScrollArea::horizontal().show(ui, |ui| {
            ui.horizontal(|ui| {
                cell(ui, NUMBER_WIDTH, |ui| {
                    ui.label(RichText::new("#").strong());
                });
                for (c, f) in fields.iter().enumerate() {
                    let arrow = match state.sort {
                        Some((sc, true)) if sc == c => " ▲",
                        Some((sc, false)) if sc == c => " ▼",
                        _ => "",
                    };
                    cell(ui, COLUMN_WIDTH, |ui| {
                        if ui
                            .button(format!("{}{arrow}", labels.label(f, lang.is_zh())))
                            .on_hover_text(f)
                            .clicked()
                        {
                            sort_click = Some(c);
                        }
                    });
                }
            });
            ui.separator();
            let row_height = ui.spacing().interact_size.y;
            egui::ScrollArea::vertical()
                .id_salt("attribute-rows")
                .auto_shrink([false, false])
                .show_rows(ui, row_height, rows.len(), |ui, range| {
                    for &i in rows.get(range).unwrap_or_default() {
                        let Some(f) = layer.features.get(i as usize) else {
                            continue;
                        };
                        ui.horizontal(|ui| {
                            cell(ui, NUMBER_WIDTH, |ui| {
                                if ui.button(format!("#{}", i + 1)).clicked() {
                                    clicked = Some(i as usize);
                                }
                            });
                            for (_, v) in &f.attributes {
                                cell(ui, COLUMN_WIDTH, |ui| {
                                    ui.add(egui::Label::new(v.display()).truncate());
                                });
                            }
                        });
                    }
                });
        });
    });
    if let Some(c) = sort_click {
        state.sort = match state.sort {
            Some((sc, asc)) if sc == c => Some((c, !asc)),
            _ => Some((c, true)),
        };
    }
    if !open {
        TableAction::Close
    } else if let Some(i) = clicked {
        TableAction::Select(i)
    } else {
        TableAction::None
    }
}

/// A cell of a fixed width.
fn cell(ui: &mut Ui, width: f32, add: impl FnOnce(&mut Ui)) {
    let height = ui.spacing().interact_size.y;
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.set_max_width(width);
            add(ui);
        },
    );
}

/// Work out the order of rows when the filter, the sort or the layer changed: inline for a
/// small layer, on a worker for a big one (the previous order stays on screen meanwhile).
fn refresh_order(ctx: &egui::Context, state: &mut TableState, layer: &Arc<Layer>, version: u64) {
    let key = OrderKey {
        version,
        layer: state.layer,
        needle: state.filter.trim().to_lowercase(),
        sort: state.sort,
    };
    if let Some((k, rx)) = &state.pending
        && let Ok(rows) = rx.try_recv()
    {
        let k = k.clone();
        state.pending = None;
        // Should ordering fail, the rows stay in file order (nothing is hidden).
        let rows = rows.unwrap_or_else(|_| (0..layer.features.len() as u32).collect());
        state.rows = Some((k, Arc::new(rows)));
    }
    let current = state.rows.as_ref().is_some_and(|(k, _)| *k == key);
    let coming = state.pending.as_ref().is_some_and(|(k, _)| *k == key);
    if current || coming {
        return;
    }
    if layer.features.len() <= WORKER_ABOVE {
        let rows = ordered_rows(layer, &key.needle, key.sort);
        state.rows = Some((key, Arc::new(rows)));
        state.pending = None;
        return;
    }
    let (tx, rx) = channel();
    let layer = layer.clone();
    let (needle, sort) = (key.needle.clone(), key.sort);
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("attribute-order".into())
        .spawn(move || {
            let rows = crate::gui::jobs::guarded(
                &crate::text::Text::fixed("属性表", "attribute table"),
                || ordered_rows(&layer, &needle, sort),
            );
            let _ = tx.send(rows);
            ctx.request_repaint();
        });
    if spawned.is_ok() {
        state.pending = Some((key, rx));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, LayerRole, Provenance, ProvenanceKind, Value};

    fn layer(n: usize) -> Layer {
        let features: Vec<Feature> = (0..n)
            .map(|i| Feature {
                attributes: vec![
                    ("NAME".into(), Value::Text(format!("区块{}", n - i))),
                    ("AREA".into(), Value::Number((i % 7) as f64)),
                ]
                .into(),
                geometry: geo::Geometry::Point(geo::Point::new(122.0, 45.0)),
                provenance: Provenance {
                    kind: ProvenanceKind::Surveyed,
                    source: "test".into(),
                },
            })
            .collect();
        Layer {
            name_zh: "测试".into(),
            name_en: "test".into(),
            role: LayerRole::Loaded,
            source: "test".into(),
            crs: Default::default(),
            encoding: Default::default(),
            features: features.into(),
            analysis_role: None,
        }
    }

    #[test]
    fn every_row_is_there_unfiltered() {
        let l = layer(500_000);
        let rows = ordered_rows(&l, "", None);
        assert_eq!(rows.len(), 500_000);
        assert_eq!(rows.last(), Some(&499_999));
    }

    #[test]
    fn filter_matches_any_field_and_sort_orders_numbers_by_value() {
        let l = layer(30);
        let rows = ordered_rows(&l, "区块1", None);
        // 区块1 and 区块10 … 区块19.
        assert!(rows.iter().all(|&i| {
            l.features[i as usize]
                .attributes
                .at(0)
                .map(|(_, v)| v.display())
                .unwrap_or_default()
                .contains("区块1")
        }));
        assert_eq!(rows.len(), 11);
        let sorted = ordered_rows(&l, "", Some((1, true)));
        let values: Vec<f64> = sorted
            .iter()
            .map(|&i| {
                l.features[i as usize]
                    .attributes
                    .at(1)
                    .and_then(|(_, v)| v.as_number())
                    .unwrap_or(f64::NAN)
            })
            .collect();
        assert!(values.windows(2).all(|w| w[0] <= w[1]));
        let desc = ordered_rows(&l, "", Some((1, false)));
        assert_eq!(desc.first().map(|&i| i % 7), Some(6));
    }
}
