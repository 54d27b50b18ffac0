//! The walkers plugin that draws the catalog's layers on the map and reports what the pointer
//! hovers and clicks (picking goes through the catalog's R*-tree).

use egui::{Color32, Mesh, Pos2, Rect, Response, Shape, Stroke, Ui, vec2};
use walkers::{MapMemory, Plugin, Projector, lon_lat};

use super::geometry_cache::{DrawShape, FeatureDraw};
use super::i18n::Lang;
use crate::catalog::{Catalog, FeatureRef};
use crate::model::LayerRole;
use crate::style::{Style, Styles};

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
}

/// Colour of overlaps on the map.
const OVERLAP_RED: Color32 = Color32::from_rgb(220, 0, 0);

/// Draws and picks the catalog's features.
pub struct FeaturesPlugin<'a> {
    /// The layers.
    pub catalog: &'a Catalog,
    /// Drawing data per layer, per feature.
    pub draw: &'a [Vec<FeatureDraw>],
    /// Visibility per layer.
    pub visible: &'a [bool],
    /// Symbology (selection and defaults).
    pub styles: &'a Styles,
    /// The style of each layer (aligned with the catalog).
    pub layer_styles: &'a [Style],
    /// The selected feature, drawn highlighted.
    pub selected: Option<FeatureRef>,
    /// The active finding's overlap, drawn hatched red, and the other feature it involves.
    pub overlay: Option<&'a Overlay>,
    /// Draw in GCJ-02 (an AMap basemap is shown).
    pub gcj02: bool,
    /// Interface language (for the on-map "示意" marks).
    pub lang: Lang,
    /// Where to report events.
    pub events: &'a mut MapEvents,
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
            crate::gcj02::wgs84_to_gcj02(p[0], p[1])
        } else {
            (p[0], p[1])
        };
        self.projector.project(lon_lat(x, y)).to_pos2()
    }

    /// CGCS2000/WGS84 lon/lat under a screen position.
    pub fn lonlat(&self, p: Pos2) -> (f64, f64) {
        let pos = self.projector.unproject(p.to_vec2());
        if self.gcj02 {
            crate::gcj02::gcj02_to_wgs84(pos.x(), pos.y())
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
        label: Option<&str>,
    ) {
        let painter = ui.painter();
        let stroke = Stroke::new(style.width, color(style.stroke));
        match &draw.shape {
            DrawShape::Polygons(polys) => {
                let mut screen_bbox = Rect::NOTHING;
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
                        for q in &pts {
                            screen_bbox.extend_with(*q);
                        }
                        if schematic {
                            painter.extend(Shape::dashed_line(&pts, stroke, 7.0, 4.0));
                        } else {
                            painter.add(Shape::line(pts, stroke));
                        }
                    }
                }
                if let Some(text) = label
                    && screen_bbox.width() > 36.0
                    && screen_bbox.height() > 18.0
                {
                    painter.text(
                        screen_bbox.center(),
                        egui::Align2::CENTER_CENTER,
                        text,
                        egui::FontId::proportional(11.0),
                        Color32::from_rgb(90, 60, 20),
                    );
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

    fn draw_point_label(ui: &Ui, at: Pos2, text: &str) {
        let painter = ui.painter();
        let font = egui::FontId::proportional(12.0);
        let pos = at + vec2(6.0, 0.0);
        for d in [
            vec2(-1.0, 0.0),
            vec2(1.0, 0.0),
            vec2(0.0, -1.0),
            vec2(0.0, 1.0),
        ] {
            painter.text(
                pos + d,
                egui::Align2::LEFT_CENTER,
                text,
                font.clone(),
                Color32::WHITE,
            );
        }
        painter.text(
            pos,
            egui::Align2::LEFT_CENTER,
            text,
            font,
            Color32::from_rgb(20, 20, 20),
        );
    }
}

impl Plugin for FeaturesPlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let screen = Screen {
            projector,
            gcj02: self.gcj02,
        };
        let schematic_mark = self.lang.t("示意", "schematic");
        for (li, layer) in self.catalog.layers.iter().enumerate() {
            if !self.visible.get(li).copied().unwrap_or(true) {
                continue;
            }
            let style = self
                .layer_styles
                .get(li)
                .copied()
                .unwrap_or_else(|| self.styles.for_role(layer.role));
            let Some(draws) = self.draw.get(li) else {
                continue;
            };
            for (fi, (f, d)) in layer.features.iter().zip(draws).enumerate() {
                let schematic = f.is_schematic();
                self.draw_feature(
                    ui,
                    &screen,
                    d,
                    style,
                    schematic,
                    schematic.then_some(schematic_mark),
                );
                // Subdistricts sit on the city seat: their labels would cover it.
                let subdistrict = f.attr("XZQJB").and_then(|v| v.as_text()) == Some("subdistrict");
                if layer.role == LayerRole::Neighbours
                    && let Some(p) = d.label_at
                {
                    ui.painter().text(
                        screen.pos(p),
                        egui::Align2::CENTER_CENTER,
                        f.display_name(fi),
                        egui::FontId::proportional(13.0),
                        Color32::from_rgb(120, 120, 120),
                    );
                }
                if layer.role == LayerRole::Townships
                    && !subdistrict
                    && let DrawShape::Points(pts) = &d.shape
                    && let Some(p) = pts.first()
                {
                    Self::draw_point_label(ui, screen.pos(*p), f.display_name(fi).as_str());
                }
            }
        }
        if let Some(sel) = self.selected
            && self.visible.get(sel.layer).copied().unwrap_or(false)
            && let (Some(d), Some(f)) = (
                self.draw.get(sel.layer).and_then(|l| l.get(sel.feature)),
                self.catalog.feature(sel),
            )
        {
            let mut st = self.styles.get("selection");
            if matches!(d.shape, DrawShape::Points(_)) {
                st.radius += 3.0;
            }
            self.draw_feature(ui, &screen, d, st, f.is_schematic(), None);
        }

        if let Some(o) = self.overlay {
            if let Some(d) = o
                .other
                .and_then(|r| self.draw.get(r.layer).and_then(|l| l.get(r.feature)))
            {
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
                    None,
                );
            }
            let red = Style {
                fill: [220, 0, 0, 60],
                stroke: [220, 0, 0, 255],
                width: 2.5,
                radius: 6.0,
            };
            self.draw_feature(ui, &screen, &o.draw, red, false, None);
            for l in &o.hatch {
                let pts: Vec<Pos2> = l.iter().map(|c| screen.pos(*c)).collect();
                ui.painter()
                    .add(Shape::line(pts, Stroke::new(1.5, OVERLAP_RED)));
            }
        }

        // Picking.
        let rect = response.rect;
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
