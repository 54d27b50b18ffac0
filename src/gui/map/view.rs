//! The map view: walkers' map memory (centre, zoom), the picture of the layers, the labels,
//! a fit waiting for the map's size, and what the pointer does on the map (hover, clicks, the
//! pick among overlapping features). It draws the map and returns what the user asked as
//! actions.

use egui::{Color32, RichText, Ui};
use walkers::{Map, MapMemory, Tiles, lon_lat};

use crate::gui::Action;
use crate::gui::i18n::Lang;
use crate::gui::layer_set::LayerSet;
use crate::gui::map::basemap::Basemap;
use crate::gui::map::canvas::{Content, MapCanvas};
use crate::gui::map::overlay::{FeaturesPlugin, Labels, MapEvents, Screen};
use crate::gui::map::selection::Selection;
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::style::Styles;

/// Background of the map where no tile is drawn (OpenStreetMap's land colour).
const MAP_BACKGROUND: Color32 = Color32::from_rgb(242, 239, 233);

/// Centre of the Taonan boundary's extent, used before the first fit.
const TAONAN_CENTRE: (f64, f64) = (122.49, 45.53);

/// A click where several features overlap: the user picks one.
struct Choice {
    candidates: Vec<FeatureRef>,
    at: egui::Pos2,
}

/// What the map draws from, besides its own state.
pub struct MapInput<'a> {
    /// The layers with their visibility and the user's colours.
    pub layers: &'a LayerSet,
    /// Symbology (selection and defaults).
    pub styles: &'a Styles,
    /// The selected feature and the active finding.
    pub selection: &'a Selection,
    /// The basemap under the layers.
    pub basemap: &'a mut Basemap,
    /// Interface language.
    pub lang: Lang,
}

/// The map's state.
pub struct MapView {
    memory: MapMemory,
    /// The picture of the layers (drawn on a worker, moved with the view).
    canvas: MapCanvas,
    /// Names and 示意 marks on the map, per catalog version.
    labels: Labels,
    /// A rectangle to fit the view to at the next frame (when the map's size is known).
    pending_fit: Option<geo::Rect<f64>>,
    rect: Option<egui::Rect>,
    cursor: Option<(f64, f64)>,
    hovered: Vec<FeatureRef>,
    choice: Option<Choice>,
    /// The measure tool (测量): while on, clicks measure instead of selecting.
    pub measure: crate::gui::map::measure_tool::MeasureTool,
    /// The find box (查找) of the top bar, and the marker of a place typed into it.
    pub find: crate::gui::panels::find::FindBox,
}

impl Default for MapView {
    fn default() -> Self {
        let mut memory = MapMemory::default();
        memory.center_at(lon_lat(TAONAN_CENTRE.0, TAONAN_CENTRE.1));
        let _ = memory.set_zoom(9.0);
        Self {
            memory,
            canvas: MapCanvas::default(),
            labels: Labels::default(),
            pending_fit: None,
            rect: None,
            cursor: None,
            hovered: Vec::new(),
            choice: None,
            measure: Default::default(),
            find: Default::default(),
        }
    }
}

impl MapView {
    /// Show this lon/lat rectangle at the next frame (`None`: forget a fit asked before).
    pub fn fit(&mut self, r: Option<geo::Rect<f64>>) {
        self.pending_fit = r;
    }

    /// Centre the map on a lon/lat at a zoom level (walkers' levels: 256 × 2^zoom points
    /// around the world); a fit asked before is forgotten.
    pub fn set_view(&mut self, lon: f64, lat: f64, zoom: f64) {
        self.memory.center_at(lon_lat(lon, lat));
        let _ = self.memory.set_zoom(zoom);
    }

    /// The zoom and, once the user has moved the map, its centre (lon, lat).
    pub fn view(&self) -> (f64, Option<(f64, f64)>) {
        (
            self.memory.zoom(),
            self.memory.detached().map(|p| (p.x(), p.y())),
        )
    }

    /// The map's screen rectangle in the last frame.
    pub fn rect(&self) -> Option<egui::Rect> {
        self.rect
    }

    /// The pointer's lon/lat over the map.
    pub fn cursor(&self) -> Option<(f64, f64)> {
        self.cursor
    }

    /// The labels shown in the last frame (texts and boxes), and the layers left unlabelled
    /// because too many of their features were in view.
    pub fn labels(&self) -> &crate::render::labels::Placement {
        &self.labels.placed
    }

    /// Close the pick among overlapping features.
    pub fn close_choice(&mut self) {
        self.choice = None;
    }

    /// Whether the picture of the layers shows the current view and layers.
    pub fn complete(&self) -> bool {
        self.canvas.complete()
    }

    /// How long the last picture of the layers took to draw.
    pub fn render_time(&self) -> Option<std::time::Duration> {
        self.canvas.last_render()
    }

    /// Why the last picture could not be drawn, once.
    pub fn take_failure(&mut self) -> Option<crate::text::Text> {
        self.canvas.failure.take()
    }

    /// Run `f` with the lon/lat ↔ screen mapping of the map as last drawn (GCJ-02 shift
    /// included when `gcj02`), if the map was drawn.
    fn with_screen<R>(&self, gcj02: bool, f: impl FnOnce(&Screen, egui::Rect) -> R) -> Option<R> {
        let rect = self.rect?;
        let projector = walkers::Projector::new(
            rect,
            &walkers::MercatorProjection,
            &self.memory,
            lon_lat(TAONAN_CENTRE.0, TAONAN_CENTRE.1),
        );
        let screen = Screen {
            projector: &projector,
            gcj02,
        };
        Some(f(&screen, rect))
    }

    /// Where a lon/lat position is on screen in the last drawn map, if the map was drawn.
    pub fn screen_pos(&self, lon: f64, lat: f64, gcj02: bool) -> Option<egui::Pos2> {
        self.with_screen(gcj02, |screen, _| screen.pos([lon, lat]))
    }

    /// The lon/lat extent (CGCS2000, unshifted) and pixel size of the map as last drawn.
    pub fn extent(&self, gcj02: bool) -> Option<(geo::Rect<f64>, (u32, u32))> {
        self.with_screen(gcj02, |screen, rect| {
            let r = geo::Rect::new(
                screen.lonlat(rect.left_top()),
                screen.lonlat(rect.right_bottom()),
            );
            (
                r,
                (rect.width().round() as u32, rect.height().round() as u32),
            )
        })
    }

    /// Fit the view to a lon/lat rectangle in a map of `size` points.
    fn fit_rect(&mut self, r: geo::Rect<f64>, size: egui::Vec2) {
        let merc = crate::render::merc_y;
        let (w, h) = (size.x.max(100.0) as f64, size.y.max(100.0) as f64);
        let zx = (w * 360.0 / (256.0 * r.width().max(1e-6))).log2();
        let zy = (h * 2.0 * std::f64::consts::PI
            / (256.0 * (merc(r.max().y) - merc(r.min().y)).max(1e-8)))
        .log2();
        let zoom = (zx.min(zy) - 0.15).clamp(2.0, 18.0);
        let cy = (((merc(r.min().y) + merc(r.max().y)) / 2.0).sinh())
            .atan()
            .to_degrees();
        self.memory
            .center_at(lon_lat((r.min().x + r.max().x) / 2.0, cy));
        let _ = self.memory.set_zoom(zoom);
    }

    /// Draw the map; returns what the user asked (a selection).
    pub fn show(&mut self, ui: &mut Ui, input: MapInput<'_>) -> Vec<Action> {
        let lang = input.lang;
        let catalog = input.layers.catalog();
        let mut events = self.draw(ui, input);
        if self.measure.active {
            events.clicked = None; // clicks measure instead of selecting
        }
        self.cursor = events.cursor;
        self.hovered = events.hovered;
        let mut actions = Vec::new();
        if let Some((hits, at)) = events.clicked {
            match hits.len() {
                0 => actions.push(Action::Select(None)),
                1 => actions.push(Action::Select(hits.first().copied())),
                _ => {
                    self.choice = Some(Choice {
                        candidates: hits,
                        at,
                    })
                }
            }
        }
        if self.choice.is_none() {
            self.hover_tooltip(ui, catalog, lang);
        }
        actions.extend(self.choice_popup(ui.ctx(), catalog, lang));
        actions
    }

    /// The basemap, the picture of the layers and what is drawn live over it.
    fn draw(&mut self, ui: &mut Ui, input: MapInput<'_>) -> MapEvents {
        let MapInput {
            layers,
            styles,
            selection,
            basemap,
            lang,
        } = input;
        let mut events = MapEvents::default();
        let ctx = ui.ctx().clone();
        if let Some(r) = self.pending_fit.take() {
            self.fit_rect(r, ui.available_size());
        }
        // Land colour under the layers, so the map reads as a map with no basemap (offline).
        ui.painter().rect_filled(ui.max_rect(), 0.0, MAP_BACKGROUND);
        let catalog = layers.catalog();
        let visible = layers.visible();
        let gcj02 = basemap.is_gcj02();
        let attribution = basemap.attribution();
        let mut map_tiles = basemap.tiles(&ctx);
        let tiles: Option<&mut dyn Tiles> = map_tiles.as_mut().map(|t| t as &mut dyn Tiles);
        self.labels.refresh(catalog);
        let content = Content {
            version: catalog.version(),
            visible: visible.clone(),
            styles: layers.layer_styles(styles),
            gcj02,
            pixels_per_point: ctx.pixels_per_point(),
        };
        // A drag on the map, or the glide after it: the picture follows, and the new one is
        // drawn once, where the map stops (not started and cancelled at every frame).
        let map_rect = self.rect;
        let dragging = ctx.input(|i| {
            i.pointer.primary_down()
                && i.pointer
                    .press_origin()
                    .is_some_and(|p| map_rect.is_some_and(|r| r.contains(p)))
        });
        let styles = &styles.clone().with_layer_labels(layers.layer_labels());
        let plugin = FeaturesPlugin {
            catalog,
            canvas: &mut self.canvas,
            content,
            labels: &mut self.labels,
            visible: &visible,
            styles,
            selected: selection.drawn(),
            overlay: selection.overlay(),
            gcj02,
            lang,
            moving: dragging || self.memory.animating(),
            events: &mut events,
            attribution: attribution.as_deref(),
        };
        let rect = Map::new(
            tiles,
            &mut self.memory,
            lon_lat(TAONAN_CENTRE.0, TAONAN_CENTRE.1),
        )
        .with_plugin(plugin)
        .with_plugin(self.measure.plugin(catalog, &visible, gcj02, lang))
        .with_plugin(self.find.marker_plugin(gcj02))
        .zoom_with_ctrl(false)
        .show(ui, |_, _, _, _| ())
        .response
        .rect;
        self.rect = Some(rect);
        if let Some(a) = &attribution {
            crate::gui::map::overlay::draw_attribution(ui.painter(), rect, a);
        }
        events
    }

    /// The name of the feature under the pointer (and how many more are under it).
    fn hover_tooltip(&self, ui: &Ui, catalog: &Catalog, lang: Lang) {
        let Some(first) = self.hovered.first() else {
            return;
        };
        let Some(f) = catalog.feature(*first) else {
            return;
        };
        let mut text = f.display_name(first.feature);
        if f.is_schematic() {
            text.push_str(lang.t("（示意）", " (schematic)"));
        }
        if self.hovered.len() > 1 {
            let more = self.hovered.len() - 1;
            text.push_str(&match lang {
                Lang::Zh => format!("（另有 {more} 个重叠要素，点击选择）"),
                Lang::En => format!(" (+{more} overlapping; click to choose)"),
            });
        }
        egui::Tooltip::always_open(
            ui.ctx().clone(),
            ui.layer_id(),
            egui::Id::unique("map-hover"),
            egui::PopupAnchor::Pointer,
        )
        .gap(12.0)
        .show(|ui| ui.label(text));
    }

    /// The pick among features overlapping where the user clicked.
    fn choice_popup(
        &mut self,
        ctx: &egui::Context,
        catalog: &Catalog,
        lang: Lang,
    ) -> Option<Action> {
        let choice = self.choice.as_ref()?;
        let mut picked = None;
        let mut close = false;
        egui::Area::new(egui::Id::unique("overlap-choice"))
            .order(egui::Order::Foreground)
            .fixed_pos(choice.at + egui::vec2(8.0, 8.0))
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(
                        RichText::new(lang.t(
                            "此处有多个要素，请选择：",
                            "Several features here; pick one:",
                        ))
                        .strong(),
                    );
                    for r in &choice.candidates {
                        let (Some(f), Some(layer)) =
                            (catalog.feature(*r), catalog.layers.get(r.layer))
                        else {
                            continue;
                        };
                        let layer = layer.name(lang.is_zh());
                        if ui
                            .button(format!("{}  — {layer}", f.display_name(r.feature)))
                            .clicked()
                        {
                            picked = Some(*r);
                        }
                    }
                    if ui.button(lang.t("取消", "Cancel")).clicked() {
                        close = true;
                    }
                });
            });
        if picked.is_some() {
            return Some(Action::Select(picked));
        }
        if close {
            self.choice = None;
        }
        None
    }
}
