//! Rendering the map to an image without a window or a GPU (tiny-skia): the visible layers in
//! their styles, in Web Mercator, fitted to an extent. Used by `taonan-map export`.
//!
//! This is the map only (layout `map`); the report layout with title, legend, scale bar, north
//! arrow and coordinate frame is still to come.

use geo::{Geometry, Rect};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Stroke, StrokeDash, Transform};

use crate::catalog::Catalog;
use crate::style::{Style, Styles};

/// The bundled CJK font (Noto Sans SC, GBK subset; `assets/fonts/`), shared with the window.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../assets/fonts/NotoSansSC-GBK.otf");

/// The note every image that shows a schematic zone carries.
pub const SCHEMATIC_NOTE: &str = "图中规划区块位置为示意 / plan zone positions are schematic";

/// Background where no layer is drawn (OpenStreetMap's land colour, as in the window).
pub const BACKGROUND: [u8; 4] = [242, 239, 233, 255];

/// What to render.
pub struct MapImage<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The lon/lat extent to show (fitted, centred, aspect kept).
    pub extent: Rect<f64>,
    /// Which layers are drawn (aligned with the catalog).
    pub visible: &'a [bool],
    /// Line widths and point sizes are multiplied by this (e.g. dpi / 96).
    pub scale: f32,
}

fn merc_y(lat: f64) -> f64 {
    (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
        .tan()
        .ln()
}

/// Maps lon/lat to pixels for an image: Web Mercator, the extent fitted and centred.
#[derive(Debug, Clone, Copy)]
pub struct PixelTransform {
    cx: f64,
    cy: f64,
    k: f64,
    w: f64,
    h: f64,
}

impl PixelTransform {
    /// Fit `extent` into `width` × `height` pixels (5 % margin).
    pub fn fit(extent: Rect<f64>, width: u32, height: u32) -> Self {
        let (x0, x1) = (extent.min().x.to_radians(), extent.max().x.to_radians());
        let (y0, y1) = (merc_y(extent.min().y), merc_y(extent.max().y));
        let (w, h) = (width as f64, height as f64);
        let k = ((w / (x1 - x0).max(1e-12)).min(h / (y1 - y0).max(1e-12))) * 0.95;
        Self {
            cx: (x0 + x1) / 2.0,
            cy: (y0 + y1) / 2.0,
            k,
            w,
            h,
        }
    }

    /// Pixel position of a lon/lat.
    pub fn px(&self, lon: f64, lat: f64) -> (f32, f32) {
        let x = self.w / 2.0 + (lon.to_radians() - self.cx) * self.k;
        let y = self.h / 2.0 - (merc_y(lat) - self.cy) * self.k;
        (x as f32, y as f32)
    }
}

fn paint(c: [u8; 4]) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(c[0], c[1], c[2], c[3]));
    p.anti_alias = true;
    p
}

fn ring_path(pb: &mut PathBuilder, ring: &geo::LineString<f64>, t: &PixelTransform) {
    for (i, c) in ring.0.iter().enumerate() {
        let (x, y) = t.px(c.x, c.y);
        if i == 0 {
            pb.move_to(x, y)
        } else {
            pb.line_to(x, y)
        }
    }
    pb.close();
}

fn draw_geometry(
    pixmap: &mut Pixmap,
    g: &Geometry<f64>,
    style: Style,
    schematic: bool,
    t: &PixelTransform,
    scale: f32,
) {
    let mut stroke = Stroke {
        width: style.width * scale,
        ..Stroke::default()
    };
    if schematic {
        stroke.dash = StrokeDash::new(vec![7.0 * scale, 4.0 * scale], 0.0);
    }
    let polys: Vec<&geo::Polygon<f64>> = match g {
        Geometry::Polygon(p) => vec![p],
        Geometry::MultiPolygon(m) => m.0.iter().collect(),
        Geometry::Point(p) => {
            let (x, y) = t.px(p.x(), p.y());
            if let Some(circle) = PathBuilder::from_circle(x, y, style.radius * scale) {
                pixmap.fill_path(
                    &circle,
                    &paint(style.fill),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
                pixmap.stroke_path(
                    &circle,
                    &paint(style.stroke),
                    &Stroke {
                        width: style.width * scale,
                        ..Stroke::default()
                    },
                    Transform::identity(),
                    None,
                );
            }
            return;
        }
        _ => Vec::new(),
    };
    let mut pb = PathBuilder::new();
    for p in polys {
        ring_path(&mut pb, p.exterior(), t);
        for hole in p.interiors() {
            ring_path(&mut pb, hole, t);
        }
    }
    if let Some(path) = pb.finish() {
        if style.fill[3] > 0 {
            pixmap.fill_path(
                &path,
                &paint(style.fill),
                FillRule::EvenOdd,
                Transform::identity(),
                None,
            );
        }
        pixmap.stroke_path(
            &path,
            &paint(style.stroke),
            &stroke,
            Transform::identity(),
            None,
        );
    }
}

/// Render the visible layers of a catalog.
pub fn render_map(
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
) -> Result<Pixmap, String> {
    let mut pixmap = Pixmap::new(image.width, image.height)
        .ok_or_else(|| format!("cannot make a {}×{} image", image.width, image.height))?;
    pixmap.fill(Color::from_rgba8(
        BACKGROUND[0],
        BACKGROUND[1],
        BACKGROUND[2],
        BACKGROUND[3],
    ));
    let t = PixelTransform::fit(image.extent, image.width, image.height);
    for (li, layer) in catalog.layers.iter().enumerate() {
        if !image.visible.get(li).copied().unwrap_or(false) {
            continue;
        }
        let style = styles.for_role(layer.role);
        for f in &layer.features {
            draw_geometry(
                &mut pixmap,
                &f.geometry,
                style,
                f.is_schematic(),
                &t,
                image.scale,
            );
        }
    }
    let schematic_shown =
        catalog.layers.iter().enumerate().any(|(li, l)| {
            image.visible.get(li).copied().unwrap_or(false) && l.schematic_count() > 0
        });
    if schematic_shown {
        corner_note(&mut pixmap, SCHEMATIC_NOTE, image.scale);
    }
    Ok(pixmap)
}

/// A pen that turns glyph outlines (font units, y up) into a tiny-skia path at a baseline origin.
struct GlyphPen<'a> {
    pb: &'a mut PathBuilder,
    x: f32,
    y: f32,
}

impl OutlinePen for GlyphPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.pb.move_to(self.x + x, self.y - y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.pb.line_to(self.x + x, self.y - y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.pb
            .quad_to(self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.pb.cubic_to(
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y,
        );
    }
    fn close(&mut self) {
        self.pb.close();
    }
}

/// Draw text with the bundled font at a baseline position; returns its width in pixels.
/// Characters the font lacks are skipped.
pub fn draw_text(
    pixmap: &mut Pixmap,
    text: &str,
    x: f32,
    baseline: f32,
    size_px: f32,
    color: [u8; 4],
) -> f32 {
    let Ok(font) = skrifa::FontRef::new(NOTO_SANS_SC) else {
        return 0.0;
    };
    let size = Size::new(size_px);
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(size, LocationRef::default());
    let outlines = font.outline_glyphs();
    let mut pb = PathBuilder::new();
    let mut pen_x = x;
    for ch in text.chars() {
        let Some(gid) = charmap.map(ch) else { continue };
        if let Some(glyph) = outlines.get(gid) {
            let mut pen = GlyphPen {
                pb: &mut pb,
                x: pen_x,
                y: baseline,
            };
            let _ = glyph.draw(
                DrawSettings::unhinted(size, LocationRef::default()),
                &mut pen,
            );
        }
        pen_x += metrics.advance_width(gid).unwrap_or(size_px * 0.5);
    }
    if let Some(path) = pb.finish() {
        pixmap.fill_path(
            &path,
            &paint(color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    pen_x - x
}

/// A boxed note in the lower-left corner (e.g. the schematic note).
fn corner_note(pixmap: &mut Pixmap, text: &str, scale: f32) {
    let size = 15.0 * scale;
    let pad = 6.0 * scale;
    let h = pixmap.height() as f32;
    // Measure by drawing into a scratch image of the same width.
    let width = Pixmap::new(pixmap.width(), (size * 2.0) as u32 + 1)
        .map_or(size * text.chars().count() as f32, |mut scratch| {
            draw_text(&mut scratch, text, 0.0, size, size, [0, 0, 0, 255])
        });
    if let Some(rect) =
        tiny_skia::Rect::from_xywh(pad, h - pad - size * 1.6, width + 2.0 * pad, size * 1.6)
    {
        pixmap.fill_rect(
            rect,
            &paint([255, 255, 255, 225]),
            Transform::identity(),
            None,
        );
    }
    draw_text(
        pixmap,
        text,
        2.0 * pad,
        h - pad - size * 0.45,
        size,
        [200, 110, 0, 255],
    );
}
