//! The report page: title, the map in a frame with longitude/latitude ticks, a north arrow, a
//! scale bar, the legend of the visible layers, the date, the sources and the schematic note,
//! drawn once on any [`Surface`] (PNG through [`render_report`], SVG through
//! [`render_report_svg`]).

use tiny_skia::{FillRule, PathBuilder, Pixmap};

use super::{
    Line, MapImage, PixelTransform, PixmapSurface, Rgba, SCHEMATIC_NOTE_CLASS, SWATCH_CLASS,
    Surface, SvgSurface, basemap_line, draw_map_plain, draw_text, schematic_visible, surface,
    text_width,
};
use crate::model::catalog::Catalog;
use crate::model::style::Styles;

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

fn stroke_rect(s: &mut dyn Surface, r: [f32; 4], width: f32, c: Rgba) {
    if let Some(path) = surface::rect_path(r) {
        s.stroke_path(&path, c, &Line::solid(width));
    }
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
    let mut s = PixmapSurface::new(report.map.width, report.map.height).map_err(|_| {
        format!(
            "cannot make a {}×{} page",
            report.map.width, report.map.height
        )
    })?;
    let layout = draw_report(&mut s, catalog, styles, report)?;
    Ok((s.into_pixmap(), layout))
}

/// [`render_report`] as an SVG document; its width and height are `paper_mm` millimetres when
/// given (the paper presets), else pixels.
pub fn render_report_svg(
    catalog: &Catalog,
    styles: &Styles,
    report: &Report<'_>,
    paper_mm: Option<(f32, f32)>,
) -> Result<(String, ReportLayout), String> {
    let (w, h) = (report.map.width, report.map.height);
    if w == 0 || h == 0 {
        return Err(format!("cannot make a {w}×{h} page"));
    }
    let mut s = SvgSurface::new(w, h, paper_mm);
    let layout = draw_report(&mut s, catalog, styles, report)?;
    Ok((s.finish(), layout))
}

/// The report page on any surface.
#[allow(
    clippy::too_many_lines,
    reason = "the report page drawn top to bottom (title, map, legend, scale, north arrow); to be split with the check-report branch, which changes this page"
)]
fn draw_report(
    page: &mut dyn Surface,
    catalog: &Catalog,
    styles: &Styles,
    report: &Report<'_>,
) -> Result<ReportLayout, String> {
    let s = report.dpi / 96.0;
    let (w, h) = (report.map.width as f32, report.map.height as f32);
    page.fill_all([255, 255, 255, 255]);
    let (m, title_h, bottom_h, legend_w) = (24.0 * s, 52.0 * s, 62.0 * s, 250.0 * s);
    let map_rect = [
        m,
        m + title_h,
        (w - 3.0 * m - legend_w).max(32.0),
        (h - 2.0 * m - title_h - bottom_h).max(32.0),
    ];

    let title_size = 26.0 * s;
    page.begin_group("title", None);
    draw_text(
        page,
        report.title,
        (w - text_width(report.title, title_size)) / 2.0,
        m + title_size,
        title_size,
        INK,
    );
    page.end_group();

    let map_img = MapImage {
        width: map_rect[2] as u32,
        height: map_rect[3] as u32,
        extent: report.map.extent,
        visible: report.map.visible,
        scale: s,
        basemap: report.map.basemap,
    };
    page.begin_group("map", None);
    page.push_layer(
        map_rect[0] as i32,
        map_rect[1] as i32,
        map_img.width,
        map_img.height,
    )?;
    let mosaic = draw_map_plain(page, catalog, styles, &map_img);
    page.pop_layer();
    page.end_group();
    let sources = format!(
        "{}；{}",
        report.sources,
        basemap_line(&map_img, mosaic.as_ref())
    );
    page.begin_group("frame", None);
    stroke_rect(page, map_rect, 1.5 * s, INK);
    let t = PixelTransform::fit(report.map.extent, map_img.width, map_img.height);
    frame_ticks(page, &t, map_rect, (map_img.width, map_img.height), s);
    page.end_group();
    page.begin_group("north-arrow", None);
    north_arrow(
        page,
        map_rect[0] + map_rect[2] - 30.0 * s,
        map_rect[1] + 20.0 * s,
        s,
    );
    page.end_group();

    // Scale bar, correct at the map's centre latitude.
    let centre_lat = t
        .lonlat(map_img.width as f64 / 2.0, map_img.height as f64 / 2.0)
        .1;
    let mpp = t.metres_per_px(centre_lat);
    let length = round_length(mpp * map_rect[2] as f64 * 0.22);
    let bar = (length / mpp) as f32;
    let (bx, by) = (map_rect[0] + 16.0 * s, map_rect[1] + map_rect[3] - 22.0 * s);
    page.begin_group("scale-bar", None);
    page.fill_rect(
        [bx - 4.0 * s, by - 20.0 * s, bar + 70.0 * s, 32.0 * s],
        [255, 255, 255, 220],
    );
    page.fill_rect([bx, by, bar, 5.0 * s], INK);
    page.fill_rect([bx, by - 4.0 * s, 1.5 * s, 9.0 * s], INK);
    page.fill_rect([bx + bar - 1.5 * s, by - 4.0 * s, 1.5 * s, 9.0 * s], INK);
    let scale_text = if length >= 1000.0 {
        format!("{} km", length / 1000.0)
    } else {
        format!("{length} m")
    };
    draw_text(
        page,
        &scale_text,
        bx + bar + 6.0 * s,
        by + 5.0 * s,
        11.0 * s,
        INK,
    );
    page.end_group();

    page.begin_group("legend", None);
    let swatches = legend(
        page,
        catalog,
        styles,
        report.map.visible,
        map_rect[0] + map_rect[2] + 2.0 * m,
        map_rect[1] + 8.0 * s,
        s,
    );
    page.end_group();

    let foot = h - m - bottom_h + 20.0 * s;
    page.begin_group("footer", None);
    draw_text(page, report.date, m, foot, 11.0 * s, INK);
    draw_text(page, &sources, m, foot + 18.0 * s, 10.0 * s, INK);
    page.end_group();
    let schematic_note = schematic_visible(catalog, report.map.visible);
    if schematic_note {
        page.begin_group(SCHEMATIC_NOTE_CLASS, None);
        draw_text(
            page,
            "图中规划区块位置为示意",
            m,
            foot + 38.0 * s,
            13.0 * s,
            [200, 110, 0, 255],
        );
        page.end_group();
    }
    Ok(ReportLayout {
        map_rect,
        swatches,
        scale_bar: (bx, bx + bar, by, length),
        transform: t,
        schematic_note,
    })
}

/// Lon/lat ticks and labels on the map frame.
fn frame_ticks(page: &mut dyn Surface, t: &PixelTransform, r: [f32; 4], size: (u32, u32), s: f32) {
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
        page.fill_rect([x - 0.5 * s, r[1] + r[3], s, tick], INK);
        page.fill_rect([x - 0.5 * s, r[1] - tick, s, tick], INK);
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
        page.fill_rect([r[0] - tick, y - 0.5 * s, tick, s], INK);
        page.fill_rect([r[0] + r[2], y - 0.5 * s, tick, s], INK);
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

pub(super) fn north_arrow(page: &mut dyn Surface, ax: f32, ay: f32, s: f32) {
    let mut pb = PathBuilder::new();
    pb.move_to(ax, ay);
    pb.line_to(ax + 9.0 * s, ay + 30.0 * s);
    pb.line_to(ax, ay + 23.0 * s);
    pb.line_to(ax - 9.0 * s, ay + 30.0 * s);
    pb.close();
    if let Some(path) = pb.finish() {
        page.fill_path(&path, INK, FillRule::Winding);
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
    page: &mut dyn Surface,
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
        // An unplaced layer (CRS unknown) is not drawn, so it has no legend entry either.
        if !visible.get(li).copied().unwrap_or(false) || !layer.is_placed() {
            continue;
        }
        let st = styles.for_layer(li, layer.role);
        let r = [x, ly, 30.0 * s, 16.0 * s];
        page.begin_group(SWATCH_CLASS, Some(&layer.name_zh));
        if layer.role == crate::model::LayerRole::Townships {
            if let Some(c) =
                PathBuilder::from_circle(x + r[2] / 2.0, ly + r[3] / 2.0, st.radius * s)
            {
                page.fill_path(&c, st.fill, FillRule::Winding);
            }
        } else {
            page.fill_rect(r, st.fill);
            stroke_rect(page, r, st.width.min(2.5) * s, st.stroke);
        }
        page.end_group();
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
