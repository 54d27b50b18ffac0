//! The measure tool on the map: while it is on, each click adds a point (snapped to the
//! nearest vertex of a visible feature within [`SNAP_PX`] points), the line or polygon and its
//! segment lengths are drawn live with the pointer as the next point (an area filled
//! translucent), and a double-click, Esc or Enter ends the measurement (the result stays until
//! the next click starts a new one). The figures are the
//! core's ([`crate::analysis::measurement`]); the window that shows them is
//! [`crate::gui::windows::measure`].

use egui::{Color32, Pos2, Shape, Stroke, Ui, vec2};
use walkers::{MapMemory, Plugin, Projector};

use crate::analysis::geodesy::format_length;
use crate::analysis::measurement::{MeasureMode, Measurement};
use crate::analysis::snap::nearest_vertex;
use crate::gui::i18n::Lang;
use crate::gui::map::overlay::Screen;
use crate::model::catalog::Catalog;

/// Snapping distance, in screen points.
pub const SNAP_PX: f32 = 10.0;

const INK: Color32 = Color32::from_rgb(230, 90, 0);

/// The fill of an area being measured: the ink, translucent.
pub const MEASURE_FILL: Color32 = Color32::from_rgba_premultiplied(58, 23, 0, 64);

/// The measure tool's state.
#[derive(Debug, Default)]
pub struct MeasureTool {
    /// Whether the tool is on (clicks on the map measure instead of selecting).
    pub active: bool,
    /// The points clicked so far and the mode.
    pub measurement: Measurement,
    /// Whether the measurement is finished (double-click, Esc, Enter): the next click starts a
    /// new one.
    pub finished: bool,
    /// The pointer's position on the map (snapped), the provisional next point.
    pub hover: Option<[f64; 2]>,
    /// Whether `hover` is snapped to a vertex.
    pub snapped: bool,
    /// How many measurements were kept as layers (for their names).
    pub kept: usize,
}

impl MeasureTool {
    /// Turn the tool on (a fresh measurement in `mode`) or off.
    pub fn set_active(&mut self, on: bool, mode: MeasureMode) {
        self.active = on;
        self.measurement = Measurement {
            mode,
            points: Vec::new(),
        };
        self.finished = false;
        self.hover = None;
    }

    /// The measurement with the pointer as its next point while drawing.
    pub fn live(&self) -> Measurement {
        match self.hover {
            Some(h) if !self.finished && !self.measurement.points.is_empty() => {
                self.measurement.with_point(h)
            }
            _ => self.measurement.clone(),
        }
    }

    /// The map plugin that draws the measurement and takes the clicks.
    pub fn plugin<'a>(
        &'a mut self,
        catalog: &'a Catalog,
        visible: &'a [bool],
        gcj02: bool,
        lang: Lang,
    ) -> MeasurePlugin<'a> {
        MeasurePlugin {
            tool: self,
            catalog,
            visible,
            gcj02,
            lang,
        }
    }

    fn click(&mut self, p: [f64; 2]) {
        if self.finished {
            self.measurement.points.clear();
            self.finished = false;
        }
        self.measurement.points.push(p);
    }
}

/// Draws the measurement and adds clicked points (the tool must be on).
pub struct MeasurePlugin<'a> {
    tool: &'a mut MeasureTool,
    catalog: &'a Catalog,
    visible: &'a [bool],
    gcj02: bool,
    lang: Lang,
}

impl MeasurePlugin<'_> {
    /// The position under `p`, snapped to a visible vertex within [`SNAP_PX`].
    fn snapped(&self, screen: &Screen, p: Pos2) -> ([f64; 2], bool) {
        let (lon, lat) = screen.lonlat(p);
        let (lon2, lat2) = screen.lonlat(p + vec2(SNAP_PX, -SNAP_PX));
        let v = nearest_vertex(
            self.catalog,
            lon,
            lat,
            (lon2 - lon).abs(),
            (lat2 - lat).abs(),
            |l| self.visible.get(l).copied().unwrap_or(false),
        );
        match v {
            Some(v) => (v, true),
            None => ([lon, lat], false),
        }
    }

    fn draw(&self, ui: &Ui, screen: &Screen) {
        let m = self.tool.live();
        let pts: Vec<Pos2> = m.points.iter().map(|p| screen.pos(*p)).collect();
        let painter = ui.painter();
        let stroke = Stroke::new(2.5, INK);
        if m.mode == MeasureMode::Area
            && let Some(fill) = area_fill(&pts)
        {
            painter.add(Shape::mesh(fill));
        }
        if m.mode == MeasureMode::Area && pts.len() >= 3 {
            let mut ring = pts.clone();
            ring.extend(pts.first().copied());
            painter.add(Shape::line(ring, stroke));
        } else if pts.len() >= 2 {
            painter.add(Shape::line(pts.clone(), stroke));
        }
        let font = egui::FontId::proportional(12.0);
        let mut ends: Vec<(Pos2, Pos2)> = pts.windows(2).map(|w| (w[0], w[1])).collect();
        if m.mode == MeasureMode::Area
            && pts.len() >= 3
            && let (Some(a), Some(b)) = (pts.last(), pts.first())
        {
            ends.push((*a, *b));
        }
        for ((a, b), len) in ends.iter().zip(m.segments_m()) {
            painter.text(
                a.lerp(*b, 0.5) + vec2(0.0, -8.0),
                egui::Align2::CENTER_BOTTOM,
                format_length(len),
                font.clone(),
                INK,
            );
        }
        for p in &pts {
            painter.circle(*p, 4.0, Color32::WHITE, stroke);
        }
        if let Some(h) = self.tool.hover
            && self.tool.snapped
        {
            painter.circle_stroke(
                screen.pos(h),
                8.0,
                Stroke::new(2.0, Color32::from_rgb(0, 150, 0)),
            );
        }
        if let Some(last) = pts.last()
            && pts.len() >= 2
        {
            painter.text(
                *last + vec2(10.0, 10.0),
                egui::Align2::LEFT_TOP,
                m.headline(self.lang.is_zh()),
                egui::FontId::proportional(13.0),
                Color32::from_rgb(20, 20, 20),
            );
        }
    }
}

/// The translucent fill of an area's ring (screen points; any simple ring, concave too,
/// triangulated by earcut); `None` under three points.
pub fn area_fill(pts: &[Pos2]) -> Option<egui::Mesh> {
    use geo::TriangulateEarcut;
    if pts.len() < 3 {
        return None;
    }
    let ring: Vec<geo::Coord<f64>> = pts
        .iter()
        .map(|p| geo::coord! { x: f64::from(p.x), y: f64::from(p.y) })
        .collect();
    let poly = geo::Polygon::new(geo::LineString::from(ring), vec![]);
    let raw = poly.earcut_triangles_raw();
    if raw.triangle_indices.is_empty() {
        return None;
    }
    let mut mesh = egui::Mesh::default();
    for v in &raw.vertices {
        mesh.colored_vertex(Pos2::new(v[0] as f32, v[1] as f32), MEASURE_FILL);
    }
    for i in raw.triangle_indices {
        mesh.indices.push(u32::try_from(i).ok()?);
    }
    Some(mesh)
}

impl Plugin for MeasurePlugin<'_> {
    fn run(
        self: Box<Self>,
        ui: &mut Ui,
        response: &egui::Response,
        projector: &Projector,
        _memory: &MapMemory,
    ) {
        let screen = Screen {
            projector,
            gcj02: self.gcj02,
        };
        let me = *self;
        if !me.tool.active {
            return;
        }
        match response.hover_pos() {
            Some(p) => {
                let (at, snapped) = me.snapped(&screen, p);
                me.tool.hover = Some(at);
                me.tool.snapped = snapped;
            }
            None => me.tool.hover = None,
        }
        // A double-click (or a quick third click) ends the measurement at the point its first
        // click added (its second click adds none).
        let primary = egui::PointerButton::Primary;
        if response.double_clicked_by(primary) || response.triple_clicked_by(primary) {
            me.tool.finished = true;
        } else if response.clicked_by(primary)
            && let Some(p) = response.interact_pointer_pos()
        {
            let (at, _) = me.snapped(&screen, p);
            me.tool.click(at);
        }
        // Esc, or Enter while no text box has the keyboard (the find box takes its Enter).
        let typing = ui.ctx().memory(|m| m.focused().is_some());
        if ui.input(|i| {
            i.key_pressed(egui::Key::Escape) || (!typing && i.key_pressed(egui::Key::Enter))
        }) {
            me.tool.finished = true;
        }
        me.draw(ui, &screen);
    }
}
