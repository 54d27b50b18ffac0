//! One finding's page: an overview map of the city with the finding's place marked, a
//! close-up of the overlap (hatched, both features outlined, scale bar, north arrow), the two
//! features' key attributes and the area in m² and 亩. Both maps are the exports' map
//! ([`super::super::draw_map_plain_with`], keeping what the frame can show) in a frame.

use geo::{BooleanOps, BoundingRect, Coord, LineString, MultiLineString, MultiPolygon, Rect};
use tiny_skia::{Path, PathBuilder};

use super::super::layers::Detail;
use super::super::surface::{FillRule, Line, Rgba, Surface, rect_path};
use super::super::text::{draw_text, text_width};
use super::super::{
    MapImage, PixelTransform, draw_map_plain_with, report::north_arrow, round_length,
};
use super::flow::{GREY, fit};
use super::{CheckReport, INK, MARGIN, PAGE_W, feature_label, mu};
use crate::analysis::overlap::{Areal, Finding};
use crate::model::LayerRole;
use crate::model::catalog::FeatureRef;

/// Feature A's outline colour (blue).
const A_COLOUR: Rgba = [0, 85, 200, 255];
/// Feature B's outline colour (orange, dashed).
const B_COLOUR: Rgba = [235, 120, 0, 255];
/// The overlap's hatch colour (red).
const HATCH: Rgba = [210, 20, 20, 255];
/// Hatch line spacing in pixels.
const HATCH_STEP: f64 = 7.0;
/// Attribute lines per feature.
const ATTR_LINES: usize = 7;

/// The close-up's extent: the overlap's envelope grown by its own size each way, at least
/// `min_m` metres across (a tiny overlap is shown with its surroundings).
pub fn close_up_extent(overlap: Rect<f64>, min_m: f64) -> Rect<f64> {
    let c = overlap.center();
    let lat = c.y.to_radians().cos().max(0.1);
    let min_dx = min_m / (111_320.0 * lat);
    let min_dy = min_m / 110_574.0;
    let dx = (overlap.width() * 3.0).max(min_dx) / 2.0;
    let dy = (overlap.height() * 3.0).max(min_dy) / 2.0;
    Rect::new((c.x - dx, c.y - dy), (c.x + dx, c.y + dy))
}

/// A multipolygon's outline as a pixel path.
fn mp_path(t: &PixelTransform, mp: &MultiPolygon<f64>) -> Option<Path> {
    let mut pb = PathBuilder::new();
    for p in &mp.0 {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for (i, c) in ring.0.iter().enumerate() {
                let (x, y) = t.px(c.x, c.y);
                if i == 0 {
                    pb.move_to(x, y);
                } else {
                    pb.line_to(x, y);
                }
            }
            pb.close();
        }
    }
    pb.finish()
}

/// Diagonal hatch lines across the overlap, clipped to it (in pixels).
fn hatch(t: &PixelTransform, mp: &MultiPolygon<f64>) -> Option<Path> {
    let px: MultiPolygon<f64> = mp.map_coords_px(t);
    let b = px.bounding_rect()?;
    let (w, h) = (b.width(), b.height());
    let n = ((w + h) / HATCH_STEP).ceil().min(2000.0) as usize;
    let lines: Vec<LineString<f64>> = (0..=n)
        .map(|i| {
            let o = i as f64 * HATCH_STEP;
            LineString(vec![
                Coord {
                    x: b.min().x + o - h,
                    y: b.max().y,
                },
                Coord {
                    x: b.min().x + o,
                    y: b.min().y,
                },
            ])
        })
        .collect();
    let clipped = px.clip(&MultiLineString(lines), false);
    let mut pb = PathBuilder::new();
    for ls in &clipped.0 {
        for (i, c) in ls.0.iter().enumerate() {
            if i == 0 {
                pb.move_to(c.x as f32, c.y as f32);
            } else {
                pb.line_to(c.x as f32, c.y as f32);
            }
        }
    }
    pb.finish()
}

trait MapPx {
    fn map_coords_px(&self, t: &PixelTransform) -> MultiPolygon<f64>;
}

impl MapPx for MultiPolygon<f64> {
    fn map_coords_px(&self, t: &PixelTransform) -> MultiPolygon<f64> {
        use geo::MapCoords;
        self.map_coords(|c| {
            let (x, y) = t.px_f64((c.x, c.y));
            Coord { x, y }
        })
    }
}

/// A feature's shape as a multipolygon (None for points and lines).
fn feature_shape(r: &CheckReport<'_>, f: FeatureRef) -> Option<MultiPolygon<f64>> {
    let feature = r.catalog.feature(f)?;
    Areal::of(&feature.geometry).map(|a| a.to_multipolygon())
}

/// A framed map of `extent` at `rect` (page pixels) showing the layers `visible`; returns its
/// transform (in the frame's own pixels).
fn framed_map(
    s: &mut dyn Surface,
    r: &CheckReport<'_>,
    rect: [f32; 4],
    extent: Rect<f64>,
    visible: &[bool],
    draw: &mut dyn FnMut(&mut dyn Surface, &PixelTransform),
) -> Result<PixelTransform, String> {
    let (w, h) = (rect[2] as u32, rect[3] as u32);
    let image = MapImage {
        width: w,
        height: h,
        extent,
        visible,
        scale: 1.0,
        basemap: None,
    };
    s.push_layer(rect[0] as i32, rect[1] as i32, w, h)?;
    draw_map_plain_with(s, r.catalog, r.styles, &image, Detail::Screen);
    let t = PixelTransform::fit(extent, w, h);
    draw(s, &t);
    s.pop_layer();
    if let Some(p) = rect_path(rect) {
        s.stroke_path(&p, INK, &Line::solid(1.2));
    }
    Ok(t)
}

/// A scale bar at the lower left of a map frame.
fn scale_bar(s: &mut dyn Surface, t: &PixelTransform, rect: [f32; 4]) {
    let lat = t.lonlat(rect[2] as f64 / 2.0, rect[3] as f64 / 2.0).1;
    let mpp = t.metres_per_px(lat);
    let length = round_length(mpp * rect[2] as f64 * 0.25);
    let bar = (length / mpp) as f32;
    let (bx, by) = (rect[0] + 12.0, rect[1] + rect[3] - 16.0);
    s.fill_rect(
        [bx - 4.0, by - 18.0, bar + 70.0, 28.0],
        [255, 255, 255, 220],
    );
    s.fill_rect([bx, by, bar, 4.0], INK);
    s.fill_rect([bx, by - 4.0, 1.5, 8.0], INK);
    s.fill_rect([bx + bar - 1.5, by - 4.0, 1.5, 8.0], INK);
    let text = if length >= 1000.0 {
        format!("{} km", length / 1000.0)
    } else {
        format!("{length} m")
    };
    draw_text(s, &text, bx + bar + 6.0, by + 5.0, 11.0, INK);
}

/// The key attributes of a feature: its layer and name, provenance, then its first fields.
fn attribute_lines(r: &CheckReport<'_>, f: FeatureRef) -> Vec<String> {
    let Some(feature) = r.catalog.feature(f) else {
        return vec!["（要素不存在）".into()];
    };
    let mut out = vec![feature_label(r.catalog, f)];
    out.push(format!(
        "来源：{}（{}）",
        feature.provenance.source,
        feature.provenance.kind.key()
    ));
    out.extend(
        feature
            .attributes
            .iter()
            .filter(|(_, v)| !matches!(v, crate::model::ValueRef::Null))
            .take(ATTR_LINES)
            .map(|(k, v)| format!("{k}：{}", v.display())),
    );
    out
}

/// Draw the page of finding `index` (`n` of `total` pages of findings).
pub fn draw(
    s: &mut dyn Surface,
    r: &CheckReport<'_>,
    finding: &Finding,
    n: usize,
    total: usize,
) -> Result<(), String> {
    let title = format!(
        "发现 {n} / {total}　［{}］{}",
        finding.severity.zh(),
        finding.relation
    );
    draw_text(
        s,
        &fit(&title, 18.0, PAGE_W - 2.0 * MARGIN),
        MARGIN,
        MARGIN + 18.0,
        18.0,
        INK,
    );
    let shape = finding.shape(r.catalog);
    let Some(bbox) = shape.bounding_rect() else {
        draw_text(s, "（无重叠几何）", MARGIN, 80.0, 13.0, GREY);
        return Ok(());
    };
    let a_shape = feature_shape(r, finding.a);
    let b_shape = finding.b.and_then(|b| feature_shape(r, b));

    // Close-up: every layer, the overlap hatched, both features outlined.
    let close = [380.0, 60.0, PAGE_W - 380.0 - MARGIN, 520.0];
    let extent = close_up_extent(bbox, 300.0);
    let all = vec![true; r.catalog.layers.len()];
    let ct = framed_map(s, r, close, extent, &all, &mut |s, t| {
        if let Some(p) = mp_path(t, &shape) {
            s.fill_path(&p, [255, 60, 60, 70], FillRule::EvenOdd);
        }
        if let Some(p) = hatch(t, &shape) {
            s.stroke_path(&p, HATCH, &Line::solid(1.0));
        }
        if let Some(p) = a_shape.as_ref().and_then(|m| mp_path(t, m)) {
            s.stroke_path(&p, A_COLOUR, &Line::solid(2.5));
        }
        if let Some(p) = b_shape.as_ref().and_then(|m| mp_path(t, m)) {
            let mut line = Line::solid(2.5);
            line.dash = vec![8.0, 4.0];
            s.stroke_path(&p, B_COLOUR, &line);
        }
    })?;
    scale_bar(s, &ct, close);
    north_arrow(s, close[0] + close[2] - 28.0, close[1] + 14.0, 1.0);

    // Overview: the city and the plan's layers, the close-up's extent boxed.
    let over = [MARGIN, 60.0, 330.0, 260.0];
    let visible: Vec<bool> = r
        .catalog
        .layers
        .iter()
        .map(|l| l.role != LayerRole::Loaded && l.role != LayerRole::Townships)
        .collect();
    let city = r
        .catalog
        .extent_of(
            r.catalog
                .layers
                .iter()
                .enumerate()
                .filter(|(_, l)| l.role == LayerRole::Boundary)
                .map(|(i, _)| i),
        )
        .map_or(extent, |c| crate::model::union_rect(c, extent));
    framed_map(s, r, over, city, &visible, &mut |s, t| {
        let (x0, y0) = t.px(extent.min().x, extent.max().y);
        let (x1, y1) = t.px(extent.max().x, extent.min().y);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        if let Some(c) = PathBuilder::from_circle(cx, cy, 7.0) {
            s.stroke_path(&c, HATCH, &Line::solid(2.0));
        }
        let box_ = [x0, y0, (x1 - x0).max(2.0), (y1 - y0).max(2.0)];
        if let Some(p) = rect_path(box_) {
            s.stroke_path(&p, HATCH, &Line::solid(1.5));
        }
    })?;
    draw_text(
        s,
        // Both languages on purpose: the PDF check report is read in either.
        "位置总图 / Overview",
        over[0],
        over[1] + over[3] + 16.0,
        11.0,
        GREY,
    );

    legend_and_facts(s, r, finding, close, over)
}

/// The key under the close-up, the two features' attributes and the area.
fn legend_and_facts(
    s: &mut dyn Surface,
    r: &CheckReport<'_>,
    finding: &Finding,
    close: [f32; 4],
    over: [f32; 4],
) -> Result<(), String> {
    let ky = close[1] + close[3] + 22.0;
    let mut x = close[0];
    for (label, colour, dashed) in [
        ("重叠区域（斜线）", HATCH, false),
        ("要素 A", A_COLOUR, false),
        ("要素 B", B_COLOUR, true),
    ] {
        let mut line = Line::solid(2.5);
        if dashed {
            line.dash = vec![8.0, 4.0];
        }
        let mut pb = PathBuilder::new();
        pb.move_to(x, ky - 4.0);
        pb.line_to(x + 28.0, ky - 4.0);
        if let Some(p) = pb.finish() {
            s.stroke_path(&p, colour, &line);
        }
        x += 36.0 + draw_text(s, label, x + 34.0, ky, 12.0, INK) + 24.0;
    }
    let area = format!(
        "重叠面积：{:.1} m²　＝ {:.2} 亩　＝ {:.4} km²（椭球面积，CGCS2000；1 亩 = 666.67 m²）",
        finding.area_m2,
        mu(finding.area_m2),
        finding.area_m2 / 1e6
    );
    let area = if finding.rule == "boundary" {
        area.replace("重叠面积", "界外面积")
    } else {
        area
    };
    draw_text(
        s,
        &fit(&area, 14.0, close[2]),
        close[0],
        ky + 28.0,
        14.0,
        INK,
    );

    let mut y = over[1] + over[3] + 44.0;
    let width = over[2];
    let features = std::iter::once(("要素 A", A_COLOUR, Some(finding.a)))
        .chain(std::iter::once(("要素 B", B_COLOUR, finding.b)));
    for (label, colour, f) in features {
        let Some(f) = f else { continue };
        draw_text(s, label, MARGIN, y, 13.0, colour);
        y += 18.0;
        for line in attribute_lines(r, f) {
            draw_text(s, &fit(&line, 11.0, width), MARGIN, y, 11.0, INK);
            y += 15.0;
        }
        y += 8.0;
    }
    let w = text_width("规则：", 11.0);
    draw_text(s, "规则：", MARGIN, y, 11.0, GREY);
    draw_text(
        s,
        &fit(finding.rule.as_str(), 11.0, width - w),
        MARGIN + w,
        y,
        11.0,
        GREY,
    );
    Ok(())
}
