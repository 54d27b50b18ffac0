//! The walkers plugin that shows the catalog's layers on the map and reports what the pointer
//! hovers and clicks (picking goes through the catalog's R*-trees).
//!
//! The layers themselves come as one picture from the [`MapCanvas`] (drawn on a worker by the
//! core's renderer); this plugin draws live only what is small and changes with the user's
//! actions: the labels, the 示意 marks, the selected feature and the active finding.

use egui::{Color32, Mesh, Pos2, Rect, Response, Shape, Stroke, Ui, vec2};
use walkers::{MapMemory, Plugin, Projector, lon_lat};

use crate::gui::i18n::Lang;
use crate::gui::map::canvas::{Content, MapCanvas, Request, View};
use crate::gui::map::draw_data::{DrawShape, FeatureDraw};
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::style::{Style, Styles};
use crate::render::labels::{LabelCache, LabelRequest, Placement};

/// Screen tolerance for picking points and lines, in points.
pub const PICK_TOLERANCE: f32 = 6.0;

/// What happened on the map this frame.
#[derive(Default)]
pub struct MapEvents {
    /// Features under the pointer, topmost first.
    pub hovered: Vec<FeatureRef>,
    /// A primary click: the features under it (possibly none) and where it was.
    pub clicked: Option<(Vec<FeatureRef>, Pos2)>,
    /// Pointer position in lon/lat.
    pub cursor: Option<(f64, f64)>,
    /// The map's screen rectangle.
    pub rect: Option<Rect>,
}

/// The geometry of the active finding, ready to draw.
pub struct Overlay {
    /// The overlap (or the part outside the boundary).
    pub draw: FeatureDraw,
    /// Hatch lines clipped to it.
    pub hatch: Vec<Vec<[f64; 2]>>,
    /// The finding's other feature, outlined too.
    pub other: Option<FeatureRef>,
    /// The other feature's drawing data.
    pub other_draw: Option<FeatureDraw>,
}

/// Colour of overlaps on the map.
const OVERLAP_RED: Color32 = Color32::from_rgb(220, 0, 0);

/// The 示意 marks of a catalog (worked out once per catalog version) and the layers' labels
/// (`render::labels`, the exports' placement; what each feature's label needs is cached).
#[derive(Default)]
pub struct Labels {
    version: Option<u64>,
    /// Envelopes (`[min_lon, min_lat, max_lon, max_lat]`) of schematic polygons, per layer.
    pub schematic: Vec<(usize, [f64; 4])>,
    /// Anchors, texts and widths of the features labelled so far.
    cache: LabelCache,
    /// The labels of the last frame, and the layers left unlabelled (too many in view).
    pub placed: Placement,
}

impl Labels {
    /// Bring the 示意 marks up to date with the catalog.
    pub fn refresh(&mut self, catalog: &Catalog) {
        if self.version == Some(catalog.version()) {
            return;
        }
        use geo::BoundingRect;
        self.version = Some(catalog.version());
        self.schematic.clear();
        for (li, layer) in catalog.layers.iter().enumerate() {
            for f in layer.features.iter() {
                if f.is_schematic()
                    && matches!(
                        f.geometry,
                        geo::Geometry::Polygon(_) | geo::Geometry::MultiPolygon(_)
                    )
                    && let Some(r) = f.geometry.bounding_rect()
                {
                    self.schematic
                        .push((li, [r.min().x, r.min().y, r.max().x, r.max().y]));
                }
            }
        }
    }
}

/// Shows and picks the catalog's features.
pub struct FeaturesPlugin<'a> {
    /// The layers.
    pub catalog: &'a Catalog,
    /// The picture of the layers.
    pub canvas: &'a mut MapCanvas,
    /// What the picture must show (layers, visibility, styles).
    pub content: Content,
    /// The labels (placed anew each frame) and 示意 marks.
    pub labels: &'a mut Labels,
    /// Visibility per layer.
    pub visible: &'a [bool],
    /// Symbology (selection and defaults) and each layer's labels.
    pub styles: &'a Styles,
    /// The selected feature and its drawing data, drawn highlighted.
    pub selected: Option<(FeatureRef, &'a FeatureDraw)>,
    /// The active finding's overlap, drawn hatched red, and the other feature it involves.
    pub overlay: Option<&'a Overlay>,
    /// Draw in GCJ-02 (an AMap basemap is shown).
    pub gcj02: bool,
    /// Interface language (for the on-map "示意" marks).
    pub lang: Lang,
    /// The user is moving the map (the picture follows; a new one waits).
    pub moving: bool,
    /// Where to report events.
    pub events: &'a mut MapEvents,
    /// The basemap's attribution, written in the map's corner: labels keep clear of it.
    pub attribution: Option<&'a str>,
}

/// Colour of the basemap's attribution.
const ATTRIBUTION_COLOR: Color32 = Color32::from_rgb(60, 60, 60);

/// The basemap's attribution as written on the map `map`: laid out in 11 pt, and the rectangle
/// it takes in the bottom-right corner (6 px in from the right, 4 px up from the bottom).
pub fn attribution_place(
    painter: &egui::Painter,
    map: Rect,
    text: &str,
) -> (std::sync::Arc<egui::Galley>, Rect) {
    let galley = painter.layout_no_wrap(
        text.to_owned(),
        egui::FontId::proportional(11.0),
        ATTRIBUTION_COLOR,
    );
    let corner = map.right_bottom() - vec2(6.0, 4.0);
    let rect = Rect::from_min_max(corner - galley.size(), corner);
    (galley, rect)
}

/// Write the basemap's attribution on the map `map` (see [`attribution_place`]).
pub fn draw_attribution(painter: &egui::Painter, map: Rect, text: &str) {
    let (galley, rect) = attribution_place(painter, map, text);
    painter.galley(rect.min, galley, ATTRIBUTION_COLOR);
}

fn color(c: [u8; 4]) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

/// Lon/lat ↔ screen, with the GCJ-02 shift applied while an AMap (高德) basemap is shown, so
/// that features sit on its streets. Only drawing and picking shift; data and exports never do.
pub struct Screen<'p, 'q> {
    /// walkers' projector for this frame.
    pub projector: &'p Projector<'q>,
    /// Whether to draw in GCJ-02.
    pub gcj02: bool,
}

impl Screen<'_, '_> {
    /// Screen position of a CGCS2000/WGS84 lon/lat.
    pub fn pos(&self, p: [f64; 2]) -> Pos2 {
        let (x, y) = if self.gcj02 {
            crate::crs::gcj02::wgs84_to_gcj02(p[0], p[1])
        } else {
            (p[0], p[1])
        };
        self.projector.project(lon_lat(x, y)).to_pos2()
    }

    /// CGCS2000/WGS84 lon/lat under a screen position.
    pub fn lonlat(&self, p: Pos2) -> (f64, f64) {
        let pos = self.projector.unproject(p.to_vec2());
        if self.gcj02 {
            crate::crs::gcj02::gcj02_to_wgs84(pos.x(), pos.y())
        } else {
            (pos.x(), pos.y())
        }
    }
}

impl FeaturesPlugin<'_> {
    fn draw_feature(
        &self,
        ui: &Ui,
        screen: &Screen,
        draw: &FeatureDraw,
        style: Style,
        schematic: bool,
    ) {
        let painter = ui.painter();
        let stroke = Stroke::new(style.width, color(style.stroke));
        match &draw.shape {
            DrawShape::Polygons(polys) => {
                for p in polys {
                    if style.fill[3] > 0 && !p.triangles.is_empty() {
                        let mut mesh = Mesh::default();
                        let fill = color(style.fill);
                        for v in &p.vertices {
                            mesh.colored_vertex(screen.pos(*v), fill);
                        }
                        mesh.indices.extend_from_slice(&p.triangles);
                        painter.add(Shape::mesh(mesh));
                    }
                    for ring in &p.rings {
                        let pts: Vec<Pos2> = ring.iter().map(|c| screen.pos(*c)).collect();
                        if schematic {
                            painter.extend(Shape::dashed_line(&pts, stroke, 7.0, 4.0));
                        } else {
                            painter.add(Shape::line(pts, stroke));
                        }
                    }
                }
            }
            DrawShape::Lines(lines) => {
                for l in lines {
                    let pts: Vec<Pos2> = l.iter().map(|c| screen.pos(*c)).collect();
                    painter.add(Shape::line(pts, stroke));
                }
            }
            DrawShape::Points(points) => {
                for p in points {
                    let at = screen.pos(*p);
                    painter.circle(
                        at,
                        style.radius,
                        color(style.fill),
                        Stroke::new(style.width, color(style.stroke)),
                    );
                }
            }
        }
    }
}

/// Draw placed labels with egui's painter, as `render::labels::draw` draws them on an image:
/// the halo (the text moved round the letters), then the text, in the same font and size.
fn paint_labels(painter: &egui::Painter, placed: &Placement) {
    let r = crate::render::labels::HALO;
    let d = r * std::f32::consts::FRAC_1_SQRT_2;
    for l in &placed.labels {
        let font = egui::FontId::proportional(l.size);
        // The box's left edge, vertically at its middle (the halo's reach inside it).
        let m = if l.halo.is_some() { r } else { 0.0 };
        let pos = Pos2::new(l.rect[0] + m, l.rect[1] + l.rect[3] / 2.0);
        if let Some(h) = l.halo {
            for off in [
                vec2(-r, 0.0),
                vec2(r, 0.0),
                vec2(0.0, -r),
                vec2(0.0, r),
                vec2(-d, -d),
                vec2(d, -d),
                vec2(-d, d),
                vec2(d, d),
            ] {
                painter.text(
                    pos + off,
                    egui::Align2::LEFT_CENTER,
                    &l.text,
                    font.clone(),
                    color(h),
                );
            }
        }
        painter.text(
            pos,
            egui::Align2::LEFT_CENTER,
            &l.text,
            font,
            color(l.color),
        );
    }
}

impl FeaturesPlugin<'_> {
    /// The 示意 marks inside each schematic polygon big enough on screen to hold them, then
    /// the layers' labels: those in view, placed as the exports place them (none over another
    /// or over the selection).
    fn draw_labels(&mut self, ui: &Ui, screen: &Screen, map: Rect) {
        let painter = ui.painter();
        let mark = self.lang.t("示意", "schematic");
        for (li, env) in &self.labels.schematic {
            if !self.visible.get(*li).copied().unwrap_or(false) {
                continue;
            }
            let r = Rect::from_two_pos(screen.pos([env[0], env[1]]), screen.pos([env[2], env[3]]));
            if r.width() > 36.0 && r.height() > 18.0 && ui.clip_rect().intersects(r) {
                painter.text(
                    r.center(),
                    egui::Align2::CENTER_CENTER,
                    mark,
                    egui::FontId::proportional(11.0),
                    Color32::from_rgb(90, 60, 20),
                );
            }
        }
        // Kept clear of labels: the selection, and the attribution in the map's corner.
        let selection = self
            .selected
            .filter(|(r, _)| self.visible.get(r.layer).copied().unwrap_or(false))
            .and_then(|(r, _)| self.catalog.feature(r))
            .and_then(|f| geo::BoundingRect::bounding_rect(&f.geometry))
            .map(|b| {
                Rect::from_two_pos(
                    screen.pos([b.min().x, b.min().y]),
                    screen.pos([b.max().x, b.max().y]),
                )
            });
        let attribution = self
            .attribution
            .map(|a| attribution_place(ui.painter(), map, a).1);
        let clear: Vec<[f32; 4]> = selection
            .into_iter()
            .chain(attribution)
            .map(|r| {
                let r = r.expand(2.0);
                [r.min.x, r.min.y, r.width(), r.height()]
            })
            .collect();
        // The view in lon/lat, a little wider (a label anchored just outside still shows).
        let clip = ui.clip_rect().expand(40.0);
        let (a, b) = (
            screen.lonlat(clip.left_bottom()),
            screen.lonlat(clip.right_top()),
        );
        let req = LabelRequest {
            catalog: self.catalog,
            visible: self.visible,
            styles: self.styles,
            view: [a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)],
            scale: 1.0,
            clear: &clear,
            new_at_most: crate::render::labels::NEW_PER_FRAME,
        };
        let project = |p: [f64; 2]| {
            let at = screen.pos(p);
            (at.x, at.y)
        };
        let labels = &mut *self.labels;
        labels.placed = crate::render::labels::place(&req, &project, &mut labels.cache);
        if labels.placed.pending {
            // The rest of the labels in view are worked out over the next frames.
            ui.ctx().request_repaint();
        }
        paint_labels(painter, &labels.placed);
    }
}

impl Plugin for FeaturesPlugin<'_> {
    #[allow(
        clippy::too_many_lines,
        reason = "one pass over what is drawn live on the map, in painting order; split, its parts would share a dozen locals"
    )]
    fn run(
        mut self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        memory: &MapMemory,
    ) {
        let screen = Screen {
            projector,
            gcj02: self.gcj02,
        };
        let rect = response.rect;
        // The layers' picture: the view in display space (GCJ-02 while AMap shows).
        let center = projector.unproject(rect.center().to_vec2());
        let view = View::of_map(
            (center.x(), center.y()),
            memory.zoom(),
            rect,
            ui.ctx().pixels_per_point(),
        );
        self.canvas.update(
            ui.ctx(),
            Request {
                catalog: self.catalog,
                styles: self.styles,
                content: self.content.clone(),
                view,
                hold: self.moving,
            },
        );
        self.canvas.paint(ui.painter(), |lon, lat| {
            projector.project(lon_lat(lon, lat)).to_pos2()
        });
        self.draw_labels(ui, &screen, rect);
        if let Some((sel, d)) = self.selected
            && self.visible.get(sel.layer).copied().unwrap_or(false)
            && let Some(f) = self.catalog.feature(sel)
        {
            let mut st = self.styles.get("selection");
            if matches!(d.shape, DrawShape::Points(_)) {
                st.radius += 3.0;
            }
            self.draw_feature(ui, &screen, d, st, f.is_schematic());
        }

        if let Some(o) = self.overlay {
            if let Some(d) = &o.other_draw {
                let mut st = self.styles.get("selection");
                st.fill = [0, 0, 0, 0];
                self.draw_feature(
                    ui,
                    &screen,
                    d,
                    st,
                    o.other
                        .and_then(|r| self.catalog.feature(r))
                        .is_some_and(|f| f.is_schematic()),
                );
            }
            let red = Style {
                fill: [220, 0, 0, 60],
                stroke: [220, 0, 0, 255],
                width: 2.5,
                radius: 6.0,
            };
            self.draw_feature(ui, &screen, &o.draw, red, false);
            for l in &o.hatch {
                let pts: Vec<Pos2> = l.iter().map(|c| screen.pos(*c)).collect();
                ui.painter()
                    .add(Shape::line(pts, Stroke::new(1.5, OVERLAP_RED)));
            }
        }

        // Picking.
        self.events.rect = Some(rect);
        let to_lonlat = |p: Pos2| screen.lonlat(p);
        let hits_at = |p: Pos2| {
            let (lon, lat) = to_lonlat(p);
            let (lon2, lat2) = to_lonlat(p + vec2(PICK_TOLERANCE, -PICK_TOLERANCE));
            self.catalog
                .hit(lon, lat, (lon2 - lon).abs(), (lat2 - lat).abs(), |l| {
                    self.visible.get(l).copied().unwrap_or(false)
                })
        };
        if let Some(p) = response.hover_pos() {
            self.events.cursor = Some(to_lonlat(p));
            if !response.dragged() {
                self.events.hovered = hits_at(p);
            }
        }
        if response.clicked_by(egui::PointerButton::Primary)
            && let Some(p) = response.interact_pointer_pos()
        {
            self.events.clicked = Some((hits_at(p), p));
        }
    }
}
