//! Text as glyph outlines of the bundled font (skrifa): the same paths on an image and in an
//! SVG, which then needs no font to show it.

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use tiny_skia::{Path, PathBuilder};

use super::surface::{FillRule, Rgba, Surface};

/// The bundled CJK font (Noto Sans SC, GBK subset; `assets/fonts/`), shared with the window.
pub const NOTO_SANS_SC: &[u8] = include_bytes!("../../assets/fonts/NotoSansSC-GBK.otf");

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

/// Set `text` at a baseline position: its outline (None when nothing has one) and its advance
/// width. With `outline` false only the width is measured. Characters the font lacks are
/// skipped.
fn set(text: &str, x: f32, baseline: f32, size_px: f32, outline: bool) -> (Option<Path>, f32) {
    let Ok(font) = skrifa::FontRef::new(NOTO_SANS_SC) else {
        return (None, 0.0);
    };
    let size = Size::new(size_px);
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(size, LocationRef::default());
    let outlines = font.outline_glyphs();
    let mut pb = PathBuilder::new();
    let mut pen_x = x;
    for ch in text.chars() {
        let Some(gid) = charmap.map(ch) else { continue };
        if outline && let Some(glyph) = outlines.get(gid) {
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
    (pb.finish(), pen_x - x)
}

/// The outline of `text` at a baseline position (None when no character has one).
pub fn text_path(text: &str, x: f32, baseline: f32, size_px: f32) -> Option<Path> {
    set(text, x, baseline, size_px, true).0
}

/// The width of `text` in pixels at `size_px`.
pub fn text_width(text: &str, size_px: f32) -> f32 {
    set(text, 0.0, 0.0, size_px, false).1
}

/// Draw text with the bundled font at a baseline position; returns its width in pixels.
pub fn draw_text(
    surface: &mut dyn Surface,
    text: &str,
    x: f32,
    baseline: f32,
    size_px: f32,
    color: Rgba,
) -> f32 {
    if surface.text(text, x, baseline, size_px, color) {
        return text_width(text, size_px);
    }
    let (path, width) = set(text, x, baseline, size_px, true);
    if let Some(path) = path {
        surface.fill_path(&path, color, FillRule::Winding);
    }
    width
}
