//! What the map and report pages are drawn on: a small drawing surface with two
//! implementations, an image ([`PixmapSurface`], for PNG) and an SVG document
//! ([`super::svg::SvgSurface`]). The pages are described once, in terms of this trait.
//!
//! Coordinates are pixels, y down, relative to the current layer (see [`Surface::push_layer`]).

use tiny_skia::{
    Color, FilterQuality, IntSize, LineJoin, Paint, Path, PathBuilder, Pixmap, PixmapPaint, Stroke,
    StrokeDash, Transform,
};

pub use tiny_skia::FillRule;

use crate::tiles::raster::RasterTile;

/// A colour: straight (not premultiplied) RGBA.
pub type Rgba = [u8; 4];

/// How a path is stroked.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Width in pixels.
    pub width: f32,
    /// Dash and gap lengths in pixels (empty: solid).
    pub dash: Vec<f32>,
    /// How corners are joined.
    pub join: LineJoin,
}

impl Line {
    /// A solid line of `width` pixels with mitred corners.
    pub fn solid(width: f32) -> Self {
        Self {
            width,
            dash: Vec::new(),
            join: LineJoin::Miter,
        }
    }
}

/// Something the pages can be drawn on.
pub trait Surface {
    /// Width and height of the current layer in pixels.
    fn size(&self) -> (u32, u32);
    /// Paint the whole current layer in one colour.
    fn fill_all(&mut self, color: Rgba);
    /// Fill a path (anti-aliased).
    fn fill_path(&mut self, path: &Path, color: Rgba, rule: FillRule);
    /// Fill an axis-aligned rectangle `[x, y, width, height]` with crisp edges.
    fn fill_rect(&mut self, rect: [f32; 4], color: Rgba);
    /// Stroke a path (anti-aliased).
    fn stroke_path(&mut self, path: &Path, color: Rgba, line: &Line);
    /// Draw a raster image stretched over `[x, y, width, height]` (smoothly scaled).
    fn draw_image(&mut self, image: &RasterTile, rect: [f32; 4]);
    /// Start a layer over the whole-pixel rectangle `x, y, width, height` of the current one:
    /// until [`Surface::pop_layer`], drawing is relative to its corner and clipped to it.
    fn push_layer(&mut self, x: i32, y: i32, width: u32, height: u32) -> Result<(), String>;
    /// End the innermost layer (put it onto the one below).
    fn pop_layer(&mut self);
    /// Start a group of drawing that belongs together (an SVG `<g class=…>`, where `label`
    /// names what it shows; nothing on an image).
    fn begin_group(&mut self, class: &str, label: Option<&str>);
    /// End the innermost group.
    fn end_group(&mut self);
    /// The pixels of the current layer, when the surface is an image (drawn on directly by
    /// every core, see [`super::layers::draw_on_pixmap`]); `None` for vector surfaces.
    fn pixmap_mut(&mut self) -> Option<tiny_skia::PixmapMut<'_>> {
        None
    }
    /// Set `text` as text (not outlines) in the bundled font at a baseline position, when the
    /// surface keeps text as text (an SVG meant for a PDF, whose text must stay selectable);
    /// false when it does not, and the caller draws the outlines.
    fn text(&mut self, _text: &str, _x: f32, _baseline: f32, _size_px: f32, _color: Rgba) -> bool {
        false
    }
}

/// tiny-skia's stroke for a line.
pub(crate) fn stroke_of(line: &Line) -> Stroke {
    Stroke {
        width: line.width,
        line_join: line.join,
        dash: if line.dash.is_empty() {
            None
        } else {
            StrokeDash::new(line.dash.clone(), 0.0)
        },
        ..Stroke::default()
    }
}

/// A solid paint of colour `c`.
pub(crate) fn paint(c: Rgba, anti_alias: bool) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba8(c[0], c[1], c[2], c[3]));
    p.anti_alias = anti_alias;
    p
}

/// An image to draw on (the PNG output): the page, and the layers pushed on it.
pub struct PixmapSurface {
    base: Pixmap,
    /// Open layers, innermost last, with where they go on the one below.
    layers: Vec<(Pixmap, i32, i32)>,
}

impl PixmapSurface {
    /// A transparent image of `width` × `height` pixels.
    pub fn new(width: u32, height: u32) -> Result<Self, String> {
        let base = Pixmap::new(width, height)
            .ok_or_else(|| format!("cannot make a {width}×{height} image"))?;
        Ok(Self {
            base,
            layers: Vec::new(),
        })
    }

    /// The finished image (layers still open are put down first).
    pub fn into_pixmap(mut self) -> Pixmap {
        while !self.layers.is_empty() {
            self.pop_layer();
        }
        self.base
    }

    fn top(&mut self) -> &mut Pixmap {
        match self.layers.last_mut() {
            Some((p, _, _)) => p,
            None => &mut self.base,
        }
    }
}

impl Surface for PixmapSurface {
    fn size(&self) -> (u32, u32) {
        let p = self.layers.last().map_or(&self.base, |(p, _, _)| p);
        (p.width(), p.height())
    }

    fn fill_all(&mut self, c: Rgba) {
        self.top().fill(Color::from_rgba8(c[0], c[1], c[2], c[3]));
    }

    fn fill_path(&mut self, path: &Path, color: Rgba, rule: FillRule) {
        self.top()
            .fill_path(path, &paint(color, true), rule, Transform::identity(), None);
    }

    fn fill_rect(&mut self, r: [f32; 4], color: Rgba) {
        if let Some(rect) = tiny_skia::Rect::from_xywh(r[0], r[1], r[2], r[3]) {
            // Rectangles are axis-aligned: no anti-aliasing (tiny-skia's AA path asserts on some
            // sub-pixel widths).
            self.top()
                .fill_rect(rect, &paint(color, false), Transform::identity(), None);
        }
    }

    fn stroke_path(&mut self, path: &Path, color: Rgba, line: &Line) {
        self.top().stroke_path(
            path,
            &paint(color, true),
            &stroke_of(line),
            Transform::identity(),
            None,
        );
    }

    fn draw_image(&mut self, image: &RasterTile, rect: [f32; 4]) {
        let Some(size) = IntSize::from_wh(image.width, image.height) else {
            return;
        };
        // tiny-skia wants premultiplied pixels.
        let mut data = image.rgba.clone();
        for px in data.chunks_exact_mut(4) {
            let a = px[3] as u16;
            for c in &mut px[..3] {
                *c = ((*c as u16 * a + 127) / 255) as u8;
            }
        }
        let Some(img) = Pixmap::from_vec(data, size) else {
            return;
        };
        let sx = rect[2] / image.width as f32;
        let sy = rect[3] / image.height as f32;
        let paint = PixmapPaint {
            quality: FilterQuality::Bilinear,
            ..PixmapPaint::default()
        };
        self.top().draw_pixmap(
            0,
            0,
            img.as_ref(),
            &paint,
            Transform::from_row(sx, 0.0, 0.0, sy, rect[0], rect[1]),
            None,
        );
    }

    fn push_layer(&mut self, x: i32, y: i32, width: u32, height: u32) -> Result<(), String> {
        let p = Pixmap::new(width, height)
            .ok_or_else(|| format!("cannot make a {width}×{height} image"))?;
        self.layers.push((p, x, y));
        Ok(())
    }

    fn pop_layer(&mut self) {
        if let Some((layer, x, y)) = self.layers.pop() {
            self.top().draw_pixmap(
                x,
                y,
                layer.as_ref(),
                &PixmapPaint::default(),
                Transform::identity(),
                None,
            );
        }
    }

    fn begin_group(&mut self, _class: &str, _label: Option<&str>) {}

    fn end_group(&mut self) {}

    fn pixmap_mut(&mut self) -> Option<tiny_skia::PixmapMut<'_>> {
        Some(self.top().as_mut())
    }
}

/// The outline of an axis-aligned rectangle `[x, y, width, height]`.
pub fn rect_path(r: [f32; 4]) -> Option<Path> {
    tiny_skia::Rect::from_xywh(r[0], r[1], r[2], r[3]).map(PathBuilder::from_rect)
}
