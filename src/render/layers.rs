//! Drawing the catalog's layers, fast at any size: the window's map and every export go
//! through here, so the screen and the exports look the same.
//!
//! - **Culling**: only features whose envelope meets the area drawn are visited (each layer's
//!   R*-tree, [`crate::model::catalog::LayerIndex`]), in layer order and, within a layer, in file
//!   order, so the picture is the one drawing everything would give.
//! - **Level of detail** ([`Detail::Screen`], images): a polygon whose envelope spans less than
//!   [`DOT_PX`] pixels each way becomes a dot (its envelope's pixels in its outline colour);
//!   outline vertices closer than [`MIN_STEP_PX`] pixels to the last one kept are skipped; rings
//!   left with fewer than three vertices are dropped. [`Detail::Full`] (SVG, which must print
//!   sharp at any size) keeps every vertex.
//! - **Projection**: Web Mercator; inside the view's latitude band a Taylor series of the
//!   Mercator northing replaces `tan`/`ln` ([`LocalMercator`], error below 0.01 px).
//! - **Bands**: images are drawn in horizontal bands by every core ([`draw_on_pixmap`]); a job
//!   can be cancelled between features (the window cancels a render the user has panned away
//!   from).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use geo::{Geometry, LineString, Polygon};
use tiny_skia::{FillRule, Path, PathBuilder, PixmapMut, Transform};

use super::surface::{Line, Rgba, Surface, paint, stroke_of};
use super::{PixelTransform, merc_y};
use crate::model::catalog::Catalog;
use crate::model::style::{Style, Styles};

/// A polygon narrower and lower than this many pixels is drawn as a dot.
pub const DOT_PX: f32 = 1.5;

/// Outline vertices closer than this many pixels (each way) to the last vertex kept are skipped.
pub const MIN_STEP_PX: f32 = 0.5;

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
        self.visible.get(li).copied().unwrap_or(false)
    }
}

/// The Mercator northing `ln tan(π/4 + φ/2)` near a latitude φ₀, as a 4th-order Taylor series
/// in `d = φ − φ₀` (radians): five multiplications instead of `tan` and `ln`.
///
/// The series is used only where its first left-out term, `m⁽⁵⁾ d⁵ / 120`, stays below
/// 0.01 pixel at the view's scale ([`LocalMercator::covers`]); elsewhere the exact formula is
/// used.
#[derive(Debug, Clone, Copy)]
pub struct LocalMercator {
    lat0: f64,
    m0: f64,
    c: [f64; 4],
    reach: f64,
}

impl LocalMercator {
    /// The series around `lat0_deg` (degrees) for a map of `k` pixels per radian.
    pub fn new(lat0_deg: f64, k: f64) -> Self {
        let phi = lat0_deg.clamp(-85.0, 85.0).to_radians();
        let (sec, tan) = (1.0 / phi.cos(), phi.tan());
        let t2 = tan * tan;
        // Derivatives of the northing: sec, sec·tan, sec(2tan²+1), sec·tan(6tan²+5).
        let c = [
            sec,
            sec * tan / 2.0,
            sec * (2.0 * t2 + 1.0) / 6.0,
            sec * tan * (6.0 * t2 + 5.0) / 24.0,
        ];
        // The fifth derivative, sec(24tan⁴+28tan²+5), bounded over the band by taking it 0.2 rad
        // further from the equator.
        let far = (phi.abs() + 0.2).min(85f64.to_radians());
        let (s5, t5) = (1.0 / far.cos(), far.tan());
        let m5 = s5 * (24.0 * t5.powi(4) + 28.0 * t5 * t5 + 5.0);
        let reach = if k > 0.0 && k.is_finite() {
            (0.01 * 120.0 / (k * m5)).powf(0.2).min(0.2)
        } else {
            0.0
        };
        Self {
            lat0: phi,
            m0: merc_y(lat0_deg.clamp(-85.0, 85.0)),
            c,
            reach,
        }
    }

    /// Whether latitudes from `lat_min` to `lat_max` (degrees) are within the series' band.
    pub fn covers(&self, lat_min: f64, lat_max: f64) -> bool {
        (lat_min.to_radians() - self.lat0).abs() <= self.reach
            && (lat_max.to_radians() - self.lat0).abs() <= self.reach
    }

    /// The northing of `lat` (degrees), in radians of the sphere like [`merc_y`].
    #[inline]
    pub fn y(&self, lat: f64) -> f64 {
        let d = lat.to_radians() - self.lat0;
        let c = &self.c;
        self.m0 + d * (c[0] + d * (c[1] + d * (c[2] + d * c[3])))
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
) -> bool {
    buf.clear();
    let mut last = (f32::NAN, f32::NAN);
    for c in &ring.0 {
        let p = proj.px(c.x, c.y);
        if detail == Detail::Screen
            && (p.0 - last.0).abs() < MIN_STEP_PX
            && (p.1 - last.1).abs() < MIN_STEP_PX
        {
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
        if detail == Detail::Screen {
            let (x0, y1) = proj.px(env[0], env[1]);
            let (x1, y0) = proj.px(env[2], env[3]);
            if x1 - x0 < DOT_PX && y1 - y0 < DOT_PX {
                let (x, y) = (x0.floor(), y0.floor());
                let w = (x1.ceil() - x).max(1.0);
                let h = (y1.ceil() - y).max(1.0);
                sink.dot([x, y, w, h], style.stroke);
                return;
            }
        }
        let mut pb = PathBuilder::new();
        for p in polys {
            if add_ring(&mut pb, p.exterior(), &proj, detail, true, buf) {
                for hole in p.interiors() {
                    add_ring(&mut pb, hole, &proj, detail, true, buf);
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
        add_ring(&mut pb, l, &proj, detail, false, buf);
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
mod tests {
    use super::*;
    use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind};
    use geo::Rect;

    /// Counts what a drawing asked for.
    #[derive(Default)]
    struct Tally {
        fills: usize,
        strokes: usize,
        dots: usize,
    }

    impl Sink for Tally {
        fn fill(&mut self, _: &Path, _: Rgba) {
            self.fills += 1;
        }
        fn stroke(&mut self, _: &Path, _: Rgba, _: &Line) {
            self.strokes += 1;
        }
        fn dot(&mut self, _: [f32; 4], _: Rgba) {
            self.dots += 1;
        }
    }

    fn square_feature(lon: f64, lat: f64, side: f64) -> Feature {
        Feature {
            attributes: Vec::new(),
            geometry: Geometry::Polygon(crate::analysis::overlap::square(lon, lat, side)),
            provenance: Provenance {
                kind: ProvenanceKind::Surveyed,
                source: "test".into(),
            },
        }
    }

    fn catalog_of(features: Vec<Feature>) -> Catalog {
        Catalog::new(vec![Layer {
            name_zh: "测试".into(),
            name_en: "test".into(),
            role: LayerRole::Loaded,
            source: "test".into(),
            crs: String::new(),
            encoding: String::new(),
            features,
            kind: None,
        }])
    }

    fn tally(catalog: &Catalog, t: &PixelTransform, detail: Detail) -> Tally {
        let styles = Styles::builtin();
        let pass = LayerPass {
            catalog,
            visible: &[true],
            styles: &styles,
            scale: 1.0,
            gcj02: false,
            detail,
            cancel: None,
        };
        let view = ViewProjection::new(*t, false);
        let (w, h) = t.size();
        let rect = lonlat_area(&view, &pass, [0.0, 0.0, w, h]);
        let mut sink = Tally::default();
        draw_layer(&mut sink, &view, &pass, 0, rect, &mut Scratch::default());
        sink
    }

    #[test]
    fn the_series_agrees_with_the_exact_northing_within_a_hundredth_of_a_pixel() {
        for (lat0, zoom) in [
            (45.5, 8.0),
            (45.5, 12.0),
            (45.5, 18.0),
            (60.0, 6.0),
            (-30.0, 10.0),
        ] {
            let k = 256.0 * 2f64.powf(zoom) / (2.0 * std::f64::consts::PI);
            let s = LocalMercator::new(lat0, k);
            assert!(s.reach > 0.0);
            let reach_deg = s.reach.to_degrees();
            for i in -50..=50 {
                let lat = lat0 + 0.999 * reach_deg * f64::from(i) / 50.0;
                assert!(s.covers(lat, lat));
                let err_px = (s.y(lat) - merc_y(lat)).abs() * k;
                assert!(
                    err_px < 0.01,
                    "lat0 {lat0} zoom {zoom} lat {lat}: {err_px} px"
                );
            }
            assert!(!s.covers(lat0 + reach_deg * 1.01, lat0));
        }
    }

    #[test]
    fn features_outside_the_view_are_not_visited() {
        let inside = square_feature(122.5, 45.5, 0.01);
        let outside = square_feature(125.0, 47.0, 0.01);
        let catalog = catalog_of(vec![inside, outside]);
        let extent = Rect::new((122.45, 45.45), (122.55, 45.55));
        let t = PixelTransform::fit(extent, 400, 400);
        let drawn = tally(&catalog, &t, Detail::Screen);
        assert_eq!((drawn.fills, drawn.strokes, drawn.dots), (1, 1, 0));
    }

    #[test]
    fn a_polygon_smaller_than_a_pixel_becomes_a_dot_and_grows_back_when_zoomed_in() {
        // 0.0001° ≈ 8 m: well under a pixel over 50 km, many pixels over 200 m.
        let catalog = catalog_of(vec![square_feature(122.5, 45.5, 0.0001)]);
        let far = PixelTransform::fit(Rect::new((122.2, 45.3), (122.8, 45.7)), 500, 500);
        let drawn = tally(&catalog, &far, Detail::Screen);
        assert_eq!((drawn.fills, drawn.strokes, drawn.dots), (0, 0, 1));
        // Vector output keeps the polygon at any size.
        let full = tally(&catalog, &far, Detail::Full);
        assert_eq!((full.fills, full.strokes, full.dots), (1, 1, 0));
        let near = PixelTransform::fit(Rect::new((122.499, 45.499), (122.501, 45.501)), 500, 500);
        let drawn = tally(&catalog, &near, Detail::Screen);
        assert_eq!((drawn.fills, drawn.strokes, drawn.dots), (1, 1, 0));
    }

    #[test]
    fn a_dot_is_painted_where_the_polygon_is() {
        let catalog = catalog_of(vec![square_feature(122.5, 45.5, 0.0001)]);
        let t = PixelTransform::fit(Rect::new((122.2, 45.3), (122.8, 45.7)), 500, 500);
        let styles = Styles::builtin();
        let mut pixmap = tiny_skia::Pixmap::new(500, 500).expect("pixmap");
        let pass = LayerPass {
            catalog: &catalog,
            visible: &[true],
            styles: &styles,
            scale: 1.0,
            gcj02: false,
            detail: Detail::Screen,
            cancel: None,
        };
        assert!(draw_on_pixmap(&mut pixmap.as_mut(), &t, &pass));
        let (x, y) = t.px(122.50005, 45.50005);
        let px = pixmap
            .pixel(x.floor() as u32, y.floor() as u32)
            .expect("inside");
        assert_eq!(px.alpha(), 255, "the dot is opaque outline colour");
        let stroke = styles.get("loaded").stroke;
        assert_eq!(
            [px.red(), px.green(), px.blue()],
            [stroke[0], stroke[1], stroke[2]]
        );
        let painted = pixmap.pixels().iter().filter(|p| p.alpha() > 0).count();
        assert!(painted <= 4, "{painted} pixels painted for one dot");
    }

    #[test]
    fn a_cancelled_drawing_says_so() {
        let features = (0..2000)
            .map(|i| {
                square_feature(
                    122.0 + f64::from(i % 50) * 0.01,
                    45.0 + f64::from(i / 50) * 0.01,
                    0.008,
                )
            })
            .collect();
        let catalog = catalog_of(features);
        let t = PixelTransform::fit(Rect::new((122.0, 45.0), (122.5, 45.4)), 300, 300);
        let styles = Styles::builtin();
        let cancel = AtomicBool::new(true);
        let pass = LayerPass {
            catalog: &catalog,
            visible: &[true],
            styles: &styles,
            scale: 1.0,
            gcj02: false,
            detail: Detail::Screen,
            cancel: Some(&cancel),
        };
        let mut pixmap = tiny_skia::Pixmap::new(300, 300).expect("pixmap");
        assert!(!draw_on_pixmap(&mut pixmap.as_mut(), &t, &pass));
    }

    /// The bundled plan drawn by the culled, thinned, banded image path and by the plain
    /// full-detail path (every feature, every vertex, exact projection, one surface) gives the
    /// same picture.
    #[test]
    fn the_bundled_plan_looks_the_same_as_drawing_everything() {
        let catalog = Catalog::new(crate::plan::bundled::load_all().expect("bundled layers"));
        let styles = Styles::builtin();
        let visible = vec![true; catalog.layers.len()];
        let extent = catalog
            .extent_of(0..catalog.layers.len())
            .expect("bundled extent");
        for (w, h, shrink) in [(900u32, 700u32, 0.0), (800, 600, 0.4)] {
            let (dx, dy) = (extent.width() * shrink, extent.height() * shrink);
            let r = Rect::new(
                (extent.min().x + dx, extent.min().y + dy),
                (extent.max().x - dx, extent.max().y - dy),
            );
            let t = PixelTransform::fit(r, w, h);
            let pass = LayerPass {
                catalog: &catalog,
                visible: &visible,
                styles: &styles,
                scale: 1.0,
                gcj02: false,
                detail: Detail::Screen,
                cancel: None,
            };
            let mut fast = tiny_skia::Pixmap::new(w, h).expect("pixmap");
            assert!(draw_on_pixmap(&mut fast.as_mut(), &t, &pass));
            let mut plain = super::super::PixmapSurface::new(w, h).expect("surface");
            draw_on_surface(
                &mut plain,
                &t,
                &LayerPass {
                    detail: Detail::Full,
                    ..pass
                },
            );
            let plain = plain.into_pixmap();
            let differing = fast
                .pixels()
                .iter()
                .zip(plain.pixels())
                .filter(|(a, b)| {
                    let d = |x: u8, y: u8| x.abs_diff(y);
                    d(a.red(), b.red())
                        .max(d(a.green(), b.green()))
                        .max(d(a.blue(), b.blue()))
                        .max(d(a.alpha(), b.alpha()))
                        > 48
                })
                .count();
            let painted = plain.pixels().iter().filter(|p| p.alpha() > 0).count();
            assert!(painted > 10_000, "the plan shows");
            assert!(
                differing * 1000 < painted,
                "{differing} of {painted} painted pixels differ at {w}×{h}"
            );
        }
    }
}

#[cfg(test)]
mod gcj02_tests {
    use super::*;
    use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind};
    use geo::Rect;

    /// Drawn for an AMap basemap, a feature lands where its GCJ-02 position projects (about
    /// 500 m from its CGCS2000 one around Taonan), whether its shift is taken once (small
    /// features) or per vertex (large ones).
    #[test]
    fn gcj02_drawing_moves_features_by_their_offset() {
        let styles = Styles::builtin();
        for side in [0.004, 0.05] {
            let (lon, lat) = (122.8, 45.35);
            let catalog = Catalog::new(vec![Layer {
                name_zh: "测试".into(),
                name_en: "test".into(),
                role: LayerRole::Loaded,
                source: "test".into(),
                crs: String::new(),
                encoding: String::new(),
                features: vec![Feature {
                    attributes: Vec::new(),
                    geometry: Geometry::Polygon(crate::analysis::overlap::square(
                        lon - side / 2.0,
                        lat - side / 2.0,
                        side,
                    )),
                    provenance: Provenance {
                        kind: ProvenanceKind::Surveyed,
                        source: "test".into(),
                    },
                }],
                kind: None,
            }]);
            let extent = Rect::new((lon - 0.06, lat - 0.06), (lon + 0.06, lat + 0.06));
            let t = PixelTransform::fit(extent, 600, 600);
            let centre_of = |gcj02: bool| {
                let mut p = tiny_skia::Pixmap::new(600, 600).expect("pixmap");
                let pass = LayerPass {
                    catalog: &catalog,
                    visible: &[true],
                    styles: &styles,
                    scale: 1.0,
                    gcj02,
                    detail: Detail::Screen,
                    cancel: None,
                };
                assert!(draw_on_pixmap(&mut p.as_mut(), &t, &pass));
                // The centre of the painted pixels.
                let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
                for (i, px) in p.pixels().iter().enumerate() {
                    if px.alpha() > 0 {
                        sx += (i % 600) as f64;
                        sy += (i / 600) as f64;
                        n += 1.0;
                    }
                }
                (sx / n, sy / n)
            };
            let plain = centre_of(false);
            let shifted = centre_of(true);
            let (glon, glat) = crate::crs::gcj02::wgs84_to_gcj02(lon, lat);
            let (ex, ey) = t.px_f64((glon, glat));
            let (px, py) = t.px_f64((lon, lat));
            let moved = ((shifted.0 - plain.0), (shifted.1 - plain.1));
            let expected = (ex - px, ey - py);
            assert!(expected.0.hypot(expected.1) > 3.0, "a visible offset");
            assert!(
                (moved.0 - expected.0).abs() < 1.0 && (moved.1 - expected.1).abs() < 1.0,
                "side {side}: moved {moved:?}, expected {expected:?}"
            );
        }
    }
}
