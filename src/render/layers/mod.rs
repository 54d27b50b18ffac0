//! Drawing the catalog's layers, fast at any size: the window's map and every export go
//! through here, so the screen and the exports look the same.
//!
//! - **Culling**: only features whose envelope meets the area drawn are visited (each layer's
//!   R*-tree, [`crate::model::catalog::LayerIndex`]), in layer order and, within a layer, in file
//!   order, so the picture is the one drawing everything would give.
//! - **Level of detail** ([`Detail::Screen`], images): a polygon whose envelope spans less than
//!   [`DOT_PX`] pixels each way becomes a dot (its envelope's pixels in its outline colour);
//!   outline vertices closer than [`MIN_STEP_PX`] pixels to the last one kept are skipped
//!   ([`SMALL_STEP_PX`] for a polygon under [`SMALL_PX`] pixels, whose outline hides it); rings
//!   left with fewer than three vertices are dropped. [`Detail::Full`] (SVG, which must print
//!   sharp at any size) keeps every vertex.
//! - **Projection**: Web Mercator; inside the view's latitude band a Taylor series of the
//!   Mercator northing replaces `tan`/`ln` ([`super::mercator::LocalMercator`], error below
//!   0.01 px).
//! - **Bands**: images are drawn in horizontal bands by every core ([`draw_on_pixmap`]); a job
//!   can be cancelled between features (the window cancels a render the user has panned away
//!   from).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use geo::{Geometry, LineString, Polygon};
use tiny_skia::{FillRule, Path, PathBuilder, PixmapMut, Transform};

use super::mercator::LocalMercator;
use super::surface::{Line, Rgba, Surface, paint, stroke_of};
use super::{PixelTransform, merc_y};
use crate::model::catalog::Catalog;
use crate::model::style::{Style, Styles};

/// A polygon narrower and lower than this many pixels is drawn as a dot.
pub const DOT_PX: f32 = 1.5;

/// Outline vertices closer than this many pixels (each way) to the last vertex kept are skipped.
pub const MIN_STEP_PX: f32 = 0.5;

/// A polygon smaller than this many pixels each way is outlined with vertices at least
/// [`SMALL_STEP_PX`] apart.
pub const SMALL_PX: f32 = 10.0;

/// The vertex step of small polygons' outlines (pixels).
pub const SMALL_STEP_PX: f32 = 1.5;

/// How many features are drawn between two looks at the cancel flag.
const CANCEL_EVERY: usize = 256;

/// How much detail a drawing keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Every vertex (vector output, e.g. SVG).
    Full,
    /// What the pixel grid can show (images): dots for sub-pixel polygons, outlines thinned.
    Screen,
}

/// What to draw: the visible layers of a catalog in their styles.
pub struct LayerPass<'a> {
    /// The layers.
    pub catalog: &'a Catalog,
    /// Which layers are drawn (aligned with the catalog; missing entries are hidden).
    pub visible: &'a [bool],
    /// Symbology (per-layer styles over the roles').
    pub styles: &'a Styles,
    /// Line widths and point radii are multiplied by this (pixels per point, or dpi / 96).
    pub scale: f32,
    /// Draw shifted to GCJ-02 (while an AMap basemap is shown in the window).
    pub gcj02: bool,
    /// Level of detail.
    pub detail: Detail,
    /// Set by another thread to stop the drawing early.
    pub cancel: Option<&'a AtomicBool>,
}

impl LayerPass<'_> {
    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn shown(&self, li: usize) -> bool {
        // An unplaced layer (CRS unknown) is not drawn until the user places it.
        self.visible.get(li).copied().unwrap_or(false)
            && self.catalog.layers.get(li).is_some_and(|l| l.is_placed())
    }
}

/// Lon/lat → pixels for one drawing: a [`PixelTransform`] with its local series and the
/// GCJ-02 shift when asked for.
struct ViewProjection {
    t: PixelTransform,
    local: LocalMercator,
    gcj02: bool,
}

impl ViewProjection {
    fn new(t: PixelTransform, gcj02: bool) -> Self {
        let (_, lat0) = t.lonlat(t.w / 2.0, t.h / 2.0);
        Self {
            t,
            local: LocalMercator::new(lat0, t.k),
            gcj02,
        }
    }

    /// The projection of one feature with envelope `env` (`[min_lon, min_lat, max_lon,
    /// max_lat]`): the series when the feature lies in its band; the GCJ-02 shift taken once
    /// at the envelope's centre for a feature smaller than 0.02° (the shift changes by well
    /// under a metre across it), else per vertex.
    fn for_feature(&self, env: [f64; 4]) -> FeatureProjection<'_> {
        let mut shift = None;
        let mut exact_gcj02 = false;
        let (mut lat_min, mut lat_max) = (env[1], env[3]);
        if self.gcj02 {
            if env[2] - env[0] < 0.02 && env[3] - env[1] < 0.02 {
                let (cx, cy) = ((env[0] + env[2]) / 2.0, (env[1] + env[3]) / 2.0);
                let (gx, gy) = crate::crs::gcj02::wgs84_to_gcj02(cx, cy);
                shift = Some((gx - cx, gy - cy));
                lat_min += gy - cy;
                lat_max += gy - cy;
            } else {
                exact_gcj02 = true;
                lat_min -= 0.01;
                lat_max += 0.01;
            }
        }
        FeatureProjection {
            v: self,
            series: self.local.covers(lat_min, lat_max),
            shift,
            exact_gcj02,
        }
    }
}

#[derive(Clone, Copy)]
struct FeatureProjection<'v> {
    v: &'v ViewProjection,
    series: bool,
    shift: Option<(f64, f64)>,
    exact_gcj02: bool,
}

impl FeatureProjection<'_> {
    #[inline]
    fn px(&self, lon: f64, lat: f64) -> (f32, f32) {
        let (lon, lat) = if self.exact_gcj02 {
            crate::crs::gcj02::wgs84_to_gcj02(lon, lat)
        } else if let Some((dx, dy)) = self.shift {
            (lon + dx, lat + dy)
        } else {
            (lon, lat)
        };
        let t = &self.v.t;
        let m = if self.series {
            self.v.local.y(lat)
        } else {
            merc_y(lat)
        };
        let x = t.w / 2.0 + (lon.to_radians() - t.cx) * t.k;
        let y = t.h / 2.0 - (m - t.cy) * t.k;
        (x as f32, y as f32)
    }
}

/// Where the drawing goes: a surface (any page), or one band of an image.
trait Sink {
    fn fill(&mut self, path: &Path, color: Rgba);
    fn stroke(&mut self, path: &Path, color: Rgba, line: &Line);
    /// A crisp rectangle `[x, y, width, height]`.
    fn dot(&mut self, rect: [f32; 4], color: Rgba);
}

struct SurfaceSink<'s>(&'s mut dyn Surface);

impl Sink for SurfaceSink<'_> {
    fn fill(&mut self, path: &Path, color: Rgba) {
        self.0.fill_path(path, color, FillRule::EvenOdd);
    }
    fn stroke(&mut self, path: &Path, color: Rgba, line: &Line) {
        self.0.stroke_path(path, color, line);
    }
    fn dot(&mut self, rect: [f32; 4], color: Rgba) {
        self.0.fill_rect(rect, color);
    }
}

/// Rows `top..top + height` of an image.
struct BandSink<'p> {
    pixmap: PixmapMut<'p>,
    shift: Transform,
}

impl Sink for BandSink<'_> {
    fn fill(&mut self, path: &Path, color: Rgba) {
        self.pixmap.fill_path(
            path,
            &paint(color, true),
            FillRule::EvenOdd,
            self.shift,
            None,
        );
    }
    fn stroke(&mut self, path: &Path, color: Rgba, line: &Line) {
        self.pixmap.stroke_path(
            path,
            &paint(color, true),
            &stroke_of(line),
            self.shift,
            None,
        );
    }
    /// Written straight into the band's pixels (source-over): a county layer at county scale
    /// is half a million dots, and tiny-skia would build a path and a pipeline for each.
    fn dot(&mut self, rect: [f32; 4], color: Rgba) {
        let (w, h) = (self.pixmap.width() as i64, self.pixmap.height() as i64);
        let dy = self.shift.ty as i64;
        let clamp = |v: f32, hi: i64| (v as i64).clamp(0, hi);
        let (x0, x1) = (clamp(rect[0], w), clamp(rect[0] + rect[2], w));
        let (y0, y1) = (
            clamp(rect[1] + dy as f32, h),
            clamp(rect[1] + rect[3] + dy as f32, h),
        );
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let a = u32::from(color[3]);
        let premul = |c: u8| ((u32::from(c) * a + 127) / 255) as u8;
        let (sr, sg, sb) = (premul(color[0]), premul(color[1]), premul(color[2]));
        let keep = 255 - a;
        let pixels = self.pixmap.pixels_mut();
        for y in y0..y1 {
            for x in x0..x1 {
                let Some(p) = pixels.get_mut((y * w + x) as usize) else {
                    continue;
                };
                let over = |s: u8, d: u8| s + ((u32::from(d) * keep + 127) / 255) as u8;
                if let Some(c) = tiny_skia::PremultipliedColorU8::from_rgba(
                    over(sr, p.red()),
                    over(sg, p.green()),
                    over(sb, p.blue()),
                    over(color[3], p.alpha()),
                ) {
                    *p = c;
                }
            }
        }
    }
}

/// Reused buffers of one drawing thread.
#[derive(Default)]
struct Scratch {
    hits: Vec<(usize, [f64; 4])>,
    ring: Vec<(f32, f32)>,
}

/// The line styles of one layer: solid, and dashed for schematic features.
struct Lines {
    solid: Line,
    dashed: Line,
    point: Line,
}

impl Lines {
    fn of(style: Style, scale: f32) -> Self {
        let solid = Line::solid(style.width * scale);
        let mut dashed = solid.clone();
        dashed.dash = vec![7.0 * scale, 4.0 * scale];
        Self {
            point: Line::solid(style.width * scale),
            solid,
            dashed,
        }
    }
}

/// Add one ring to a path, thinned to the pixel grid at [`Detail::Screen`]; false when it
/// was dropped (fewer than three vertices left).
fn add_ring(
    pb: &mut PathBuilder,
    ring: &LineString<f64>,
    proj: &FeatureProjection,
    detail: Detail,
    close: bool,
    buf: &mut Vec<(f32, f32)>,
    step: f32,
) -> bool {
    buf.clear();
    let mut last = (f32::NAN, f32::NAN);
    for c in &ring.0 {
        let p = proj.px(c.x, c.y);
        if detail == Detail::Screen && (p.0 - last.0).abs() < step && (p.1 - last.1).abs() < step {
            continue;
        }
        buf.push(p);
        last = p;
    }
    let needed = if close { 3 } else { 2 };
    if buf.len() < needed {
        return false;
    }
    for (i, &(x, y)) in buf.iter().enumerate() {
        if i == 0 {
            pb.move_to(x, y);
        } else {
            pb.line_to(x, y);
        }
    }
    if close {
        pb.close();
    }
    true
}

/// The polygons of an areal geometry.
fn polygons(g: &Geometry<f64>) -> Option<&[Polygon<f64>]> {
    match g {
        Geometry::Polygon(p) => Some(std::slice::from_ref(p)),
        Geometry::MultiPolygon(m) => Some(&m.0),
        _ => None,
    }
}

/// Draw one feature.
#[allow(clippy::too_many_arguments)] // one call site; the arguments are the drawing's state
fn draw_feature(
    sink: &mut dyn Sink,
    proj: FeatureProjection,
    g: &Geometry<f64>,
    env: [f64; 4],
    style: Style,
    line: &Line,
    lines: &Lines,
    detail: Detail,
    scale: f32,
    buf: &mut Vec<(f32, f32)>,
) {
    if let Some(polys) = polygons(g) {
        let (x0, y1) = proj.px(env[0], env[1]);
        let (x1, y0) = proj.px(env[2], env[3]);
        let (w, h) = (x1 - x0, y1 - y0);
        if detail == Detail::Screen && w < DOT_PX && h < DOT_PX {
            let (x, y) = (x0.floor(), y0.floor());
            let w = (x1.ceil() - x).max(1.0);
            let h = (y1.ceil() - y).max(1.0);
            sink.dot([x, y, w, h], style.stroke);
            return;
        }
        // A polygon whose 2-pixel outline hides its detail is outlined with fewer vertices (a
        // county layer at county scale is tens of thousands of them).
        let step = if w.abs() < SMALL_PX && h.abs() < SMALL_PX {
            SMALL_STEP_PX
        } else {
            MIN_STEP_PX
        };
        let mut pb = PathBuilder::new();
        for p in polys {
            if add_ring(&mut pb, p.exterior(), &proj, detail, true, buf, step) {
                for hole in p.interiors() {
                    add_ring(&mut pb, hole, &proj, detail, true, buf, step);
                }
            }
        }
        if let Some(path) = pb.finish() {
            if style.fill[3] > 0 {
                sink.fill(&path, style.fill);
            }
            sink.stroke(&path, style.stroke, line);
        }
        return;
    }
    let lines_of: Vec<&LineString<f64>> = match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(m) => m.0.iter().collect(),
        Geometry::Point(p) => {
            point(sink, proj.px(p.x(), p.y()), style, lines, scale);
            return;
        }
        Geometry::MultiPoint(m) => {
            for p in &m.0 {
                point(sink, proj.px(p.x(), p.y()), style, lines, scale);
            }
            return;
        }
        _ => return,
    };
    let mut pb = PathBuilder::new();
    for l in lines_of {
        add_ring(&mut pb, l, &proj, detail, false, buf, MIN_STEP_PX);
    }
    if let Some(path) = pb.finish() {
        sink.stroke(&path, style.stroke, &lines.solid);
    }
}

fn point(sink: &mut dyn Sink, (x, y): (f32, f32), style: Style, lines: &Lines, scale: f32) {
    if let Some(circle) = PathBuilder::from_circle(x, y, style.radius * scale) {
        sink.fill(&circle, style.fill);
        sink.stroke(&circle, style.stroke, &lines.point);
    }
}

/// The lon/lat rectangle (`[min_lon, min_lat, max_lon, max_lat]`) whose features can show in
/// the pixel rectangle `area` (`[x0, y0, x1, y1]` of the view).
fn lonlat_area(view: &ViewProjection, pass: &LayerPass<'_>, area: [f64; 4]) -> [f64; 4] {
    // Outlines and point symbols reach beyond their envelope: widen the area by the widest.
    let margin = 12.0 * f64::from(pass.scale.max(1.0));
    let (lon0, lat0) = view.t.lonlat(area[0] - margin, area[3] + margin);
    let (lon1, lat1) = view.t.lonlat(area[2] + margin, area[1] - margin);
    // Drawn shifted to GCJ-02, features come from up to ~700 m away.
    let pad = if pass.gcj02 { 0.01 } else { 0.0 };
    [lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad]
}

/// Draw layer `li`'s features that meet `rect` (lon/lat) into `sink`; false when cancelled.
fn draw_layer(
    sink: &mut dyn Sink,
    view: &ViewProjection,
    pass: &LayerPass<'_>,
    li: usize,
    rect: [f64; 4],
    scratch: &mut Scratch,
) -> bool {
    let (Some(layer), Some(index)) = (pass.catalog.layers.get(li), pass.catalog.index(li)) else {
        return true;
    };
    let style = pass.styles.for_layer(li, layer.role);
    let lines = Lines::of(style, pass.scale);
    scratch.hits.clear();
    scratch.hits.extend(index.in_rect(rect));
    scratch.hits.sort_unstable_by_key(|h| h.0);
    for (k, &(fi, env)) in scratch.hits.iter().enumerate() {
        if k % CANCEL_EVERY == 0 && pass.cancelled() {
            return false;
        }
        let Some(f) = layer.features.get(fi) else {
            continue;
        };
        let line = if f.is_schematic() {
            &lines.dashed
        } else {
            &lines.solid
        };
        draw_feature(
            sink,
            view.for_feature(env),
            &f.geometry,
            env,
            style,
            line,
            &lines,
            pass.detail,
            pass.scale,
            &mut scratch.ring,
        );
    }
    true
}

/// Draw the visible layers on a surface, one after the other, each in a group of class
/// `layer` labelled with its Chinese name (the SVG keeps them apart for editing).
pub fn draw_on_surface(s: &mut dyn Surface, t: &PixelTransform, pass: &LayerPass<'_>) {
    let view = ViewProjection::new(*t, pass.gcj02);
    let (w, h) = s.size();
    let rect = lonlat_area(&view, pass, [0.0, 0.0, f64::from(w), f64::from(h)]);
    let mut scratch = Scratch::default();
    for (li, layer) in pass.catalog.layers.iter().enumerate() {
        if !pass.shown(li) {
            continue;
        }
        s.begin_group("layer", Some(&layer.name_zh));
        draw_layer(&mut SurfaceSink(s), &view, pass, li, rect, &mut scratch);
        s.end_group();
    }
}

/// Draw the visible layers into an image, in horizontal bands shared out to every core;
/// false when cancelled (the image then holds part of the drawing).
pub fn draw_on_pixmap(
    pixmap: &mut PixmapMut<'_>,
    t: &PixelTransform,
    pass: &LayerPass<'_>,
) -> bool {
    let (width, height) = (pixmap.width(), pixmap.height());
    if width == 0 || height == 0 {
        return true;
    }
    let view = ViewProjection::new(*t, pass.gcj02);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    // More bands than threads, taken in turn, so that a crowded band does not hold up the rest.
    let n_bands = (threads * 3).min(height as usize).max(1);
    let rows_per_band = (height as usize).div_ceil(n_bands);
    let stride = width as usize * 4;
    // Each band once: (its first row, its bytes), taken by whichever thread comes first.
    type Band<'p> = Mutex<Option<(usize, &'p mut [u8])>>;
    let bands: Vec<Band<'_>> = pixmap
        .data_mut()
        .chunks_mut(rows_per_band * stride)
        .enumerate()
        .map(|(i, chunk)| Mutex::new(Some((i * rows_per_band, chunk))))
        .collect();
    let next = AtomicUsize::new(0);
    let complete = AtomicBool::new(true);
    let work = || {
        let mut scratch = Scratch::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = bands.get(i) else { break };
            let taken = slot.lock().ok().and_then(|mut s| s.take());
            let Some((top, bytes)) = taken else { continue };
            let rows = (bytes.len() / stride) as u32;
            let Some(band) = PixmapMut::from_bytes(bytes, width, rows) else {
                continue;
            };
            let mut sink = BandSink {
                pixmap: band,
                shift: Transform::from_translate(0.0, -(top as f32)),
            };
            let area = [
                0.0,
                top as f64,
                f64::from(width),
                (top + rows as usize) as f64,
            ];
            let rect = lonlat_area(&view, pass, area);
            let drawn = (0..pass.catalog.layers.len())
                .filter(|&li| pass.shown(li))
                .all(|li| draw_layer(&mut sink, &view, pass, li, rect, &mut scratch));
            if !drawn {
                complete.store(false, Ordering::Relaxed);
                break;
            }
        }
    };
    if threads == 1 || n_bands == 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 1..threads {
                scope.spawn(work);
            }
            work();
        });
    }
    complete.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests;
