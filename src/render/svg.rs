//! The SVG output: a [`Surface`] that writes an SVG document, so that an exported page prints
//! sharp at any size. Paths become `<path d=…>` (text too: glyph outlines, so no font is
//! needed to show it), raster basemap tiles become `<image>` elements holding the tile as a
//! base64 PNG, and layers become groups clipped by a `<clipPath>`.
//!
//! The `viewBox` is in pixels, as the drawing is; the document's width and height are the
//! paper's millimetres when given, else the same pixels.

use std::fmt::Write as _;

use base64::Engine as _;
use tiny_skia::{LineJoin, Path, PathSegment};

use super::surface::{FillRule, Line, Rgba, Surface};
use crate::tiles::raster::RasterTile;

/// An SVG document being drawn.
pub struct SvgSurface {
    width: u32,
    height: u32,
    paper_mm: Option<(f32, f32)>,
    body: String,
    /// Sizes of the open layers, innermost last.
    layers: Vec<(u32, u32)>,
    /// The open groups and layers, innermost last: whether it is a layer, and its closing tags.
    open: Vec<(bool, &'static str)>,
    clips: usize,
    /// Whether text is written as `<text>` elements (for a PDF) instead of glyph outlines.
    text_elements: bool,
}

impl SvgSurface {
    /// A document of `width` × `height` pixels, `paper_mm` millimetres on paper when given.
    pub fn new(width: u32, height: u32, paper_mm: Option<(f32, f32)>) -> Self {
        Self {
            width,
            height,
            paper_mm,
            body: String::new(),
            layers: Vec::new(),
            open: Vec::new(),
            clips: 0,
            text_elements: false,
        }
    }

    /// The same document with its text written as `<text>` elements in the bundled font's
    /// family ([`TEXT_FAMILY`]) instead of glyph outlines: what a PDF page needs for its text
    /// to stay selectable (the reader of the SVG must then have the font).
    pub fn with_text_elements(mut self) -> Self {
        self.text_elements = true;
        self
    }

    /// The finished document (groups and layers still open are closed).
    pub fn finish(mut self) -> String {
        while let Some((_, close)) = self.open.pop() {
            self.body.push_str(close);
        }
        let (w, h) = match self.paper_mm {
            Some((w, h)) => (format!("{}mm", num(w)), format!("{}mm", num(h))),
            None => (format!("{}px", self.width), format!("{}px", self.height)),
        };
        let mut out = String::with_capacity(self.body.len() + 400);
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" \
             width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {} {}\">",
            self.width, self.height
        );
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

/// The font family the `<text>` elements name (the bundled font's).
pub const TEXT_FAMILY: &str = "Noto Sans CJK SC";

/// A number for the document: at most two decimals (a hundredth of a pixel), no trailing zeros.
fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" || s.is_empty() {
        "0".into()
    } else {
        s.into()
    }
}

/// `#rrggbb` of a colour.
fn hex(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Text for an attribute value.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The `d` attribute of a path.
fn path_data(path: &Path) -> String {
    let mut d = String::new();
    let p = |d: &mut String, cmd: char, pts: &[tiny_skia::Point]| {
        d.push(cmd);
        for (i, pt) in pts.iter().enumerate() {
            if i > 0 {
                d.push(' ');
            }
            let _ = write!(d, "{} {}", num(pt.x), num(pt.y));
        }
    };
    for seg in path.segments() {
        match seg {
            PathSegment::MoveTo(a) => p(&mut d, 'M', &[a]),
            PathSegment::LineTo(a) => p(&mut d, 'L', &[a]),
            PathSegment::QuadTo(a, b) => p(&mut d, 'Q', &[a, b]),
            PathSegment::CubicTo(a, b, c) => p(&mut d, 'C', &[a, b, c]),
            PathSegment::Close => d.push('Z'),
        }
    }
    d
}

/// ` fill="…"` (and its opacity) for a colour.
fn fill_attrs(c: Rgba) -> String {
    let mut s = format!(" fill=\"{}\"", hex(c));
    if c[3] < 255 {
        let _ = write!(s, " fill-opacity=\"{}\"", opacity(c[3]));
    }
    s
}

fn opacity(a: u8) -> String {
    let s = format!("{:.3}", a as f32 / 255.0);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Surface for SvgSurface {
    fn size(&self) -> (u32, u32) {
        self.layers
            .last()
            .copied()
            .unwrap_or((self.width, self.height))
    }

    fn fill_all(&mut self, color: Rgba) {
        let (w, h) = self.size();
        let _ = writeln!(
            self.body,
            "<rect width=\"{w}\" height=\"{h}\"{}/>",
            fill_attrs(color)
        );
    }

    fn fill_path(&mut self, path: &Path, color: Rgba, rule: FillRule) {
        let rule = match rule {
            FillRule::EvenOdd => " fill-rule=\"evenodd\"",
            FillRule::Winding => "",
        };
        let _ = writeln!(
            self.body,
            "<path d=\"{}\"{}{rule}/>",
            path_data(path),
            fill_attrs(color)
        );
    }

    fn fill_rect(&mut self, r: [f32; 4], color: Rgba) {
        if !(r[2] > 0.0 && r[3] > 0.0) {
            return;
        }
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}/>",
            num(r[0]),
            num(r[1]),
            num(r[2]),
            num(r[3]),
            fill_attrs(color)
        );
    }

    fn stroke_path(&mut self, path: &Path, color: Rgba, line: &Line) {
        let mut a = format!(
            " fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"",
            hex(color),
            num(line.width)
        );
        if color[3] < 255 {
            let _ = write!(a, " stroke-opacity=\"{}\"", opacity(color[3]));
        }
        if !line.dash.is_empty() {
            let dash: Vec<String> = line.dash.iter().map(|v| num(*v)).collect();
            let _ = write!(a, " stroke-dasharray=\"{}\"", dash.join(" "));
        }
        match line.join {
            LineJoin::Miter => {}
            LineJoin::MiterClip => a.push_str(" stroke-linejoin=\"miter-clip\""),
            LineJoin::Round => a.push_str(" stroke-linejoin=\"round\""),
            LineJoin::Bevel => a.push_str(" stroke-linejoin=\"bevel\""),
        }
        let _ = writeln!(self.body, "<path d=\"{}\"{a}/>", path_data(path));
    }

    fn draw_image(&mut self, image: &RasterTile, r: [f32; 4]) {
        if image.width == 0 || image.height == 0 {
            return;
        }
        let png = crate::tiles::raster::encode_png(image);
        if png.is_empty() {
            return;
        }
        // Half a pixel of bleed to the right and below: neighbouring tiles meet at fractional
        // pixels, and SVG renderers anti-alias each edge on its own, which lets the background
        // show through as a faint seam. The next tile is drawn over the bleed.
        let _ = write!(
            self.body,
            "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" \
             xlink:href=\"data:image/png;base64,",
            num(r[0]),
            num(r[1]),
            num(r[2] + 0.5),
            num(r[3] + 0.5),
        );
        base64::engine::general_purpose::STANDARD.encode_string(&png, &mut self.body);
        self.body.push_str("\"/>\n");
    }

    fn push_layer(&mut self, x: i32, y: i32, width: u32, height: u32) -> Result<(), String> {
        self.clips += 1;
        let id = format!("clip{}", self.clips);
        // The clip is in the coordinates of the layer below; the inner group moves the origin.
        let _ = writeln!(
            self.body,
            "<clipPath id=\"{id}\"><rect x=\"{x}\" y=\"{y}\" width=\"{width}\" \
             height=\"{height}\"/></clipPath>\n\
             <g clip-path=\"url(#{id})\"><g transform=\"translate({x} {y})\">"
        );
        self.layers.push((width, height));
        self.open.push((true, "</g></g>\n"));
        Ok(())
    }

    fn pop_layer(&mut self) {
        if self.layers.pop().is_some() {
            // Groups left open inside the layer end with it.
            while let Some((layer, close)) = self.open.pop() {
                self.body.push_str(close);
                if layer {
                    break;
                }
            }
        }
    }

    fn begin_group(&mut self, class: &str, label: Option<&str>) {
        let _ = write!(self.body, "<g class=\"{}\"", escape(class));
        if let Some(l) = label {
            let _ = write!(self.body, " data-label=\"{}\"", escape(l));
        }
        self.body.push_str(">\n");
        self.open.push((false, "</g>\n"));
    }

    fn text(&mut self, text: &str, x: f32, baseline: f32, size_px: f32, color: Rgba) -> bool {
        if !self.text_elements {
            return false;
        }
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-family=\"{TEXT_FAMILY}\" font-size=\"{}\"{} \
             xml:space=\"preserve\">{}</text>",
            num(x),
            num(baseline),
            num(size_px),
            fill_attrs(color),
            escape(text)
        );
        true
    }

    fn end_group(&mut self) {
        if self.open.last().is_some_and(|(layer, _)| !layer)
            && let Some((_, close)) = self.open.pop()
        {
            self.body.push_str(close);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(2.345_67), "2.35");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(opacity(255), "1");
        assert_eq!(opacity(0), "0");
        assert_eq!(opacity(70), "0.275");
    }

    #[test]
    fn a_document_has_its_size_layers_and_escaped_labels() {
        let mut s = SvgSurface::new(200, 100, Some((297.0, 210.0)));
        s.fill_all([255, 255, 255, 255]);
        s.push_layer(10, 20, 50, 40).expect("layer");
        assert_eq!(s.size(), (50, 40));
        s.begin_group("layer", Some("a<b & \"c\""));
        let mut pb = tiny_skia::PathBuilder::new();
        pb.move_to(0.0, 0.0);
        pb.line_to(10.0, 5.5);
        let path = pb.finish().expect("path");
        s.stroke_path(
            &path,
            [214, 39, 40, 128],
            &Line {
                width: 2.5,
                dash: vec![7.0, 4.0],
                join: LineJoin::Round,
            },
        );
        // Left open on purpose: finish closes it and the layer.
        let doc = s.finish();
        assert!(doc.contains("width=\"297mm\" height=\"210mm\" viewBox=\"0 0 200 100\""));
        assert!(doc.contains("<clipPath id=\"clip1\"><rect x=\"10\" y=\"20\" width=\"50\""));
        assert!(doc.contains("data-label=\"a&lt;b &amp; &quot;c&quot;\""));
        assert!(doc.contains(
            "<path d=\"M0 0L10 5.5\" fill=\"none\" stroke=\"#d62728\" stroke-width=\"2.5\" \
             stroke-opacity=\"0.502\" stroke-dasharray=\"7 4\" stroke-linejoin=\"round\"/>"
        ));
        assert_eq!(doc.matches("<g").count(), doc.matches("</g>").count());
        assert!(doc.ends_with("</svg>\n"));
    }
}
