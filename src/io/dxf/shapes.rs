//! DXF entities as plain shapes in drawing coordinates (x = CAD x, y = CAD y; the Z of 3D
//! polylines is dropped): polylines (LWPOLYLINE, POLYLINE; bulges approximated by arcs of at
//! most 5° per segment), LINE, ARC and CIRCLE outlines, POINT and INSERT locations, TEXT and
//! MTEXT insertion points with their text.

use ::dxf::entities::{Entity, EntityType};
use geo::Coord;

use super::text;

/// Largest angle (radians) one straight segment of an approximated arc may span.
const ARC_STEP: f64 = 5.0 * std::f64::consts::PI / 180.0;

/// What one entity gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A polyline: `closed` ones become polygons, open ones lines.
    Path {
        /// The CAD layer.
        layer: String,
        /// The entity type (LWPOLYLINE, POLYLINE, LINE, ARC, CIRCLE).
        entity: &'static str,
        /// Vertices (bulges already expanded).
        points: Vec<Coord<f64>>,
        /// Whether the path is closed.
        closed: bool,
    },
    /// A point (POINT, or an INSERT's insertion point with its block name).
    Point {
        /// The CAD layer.
        layer: String,
        /// POINT or INSERT.
        entity: &'static str,
        /// The block name of an INSERT.
        block: Option<String>,
        /// Where.
        at: Coord<f64>,
    },
    /// A TEXT or MTEXT: where it is inserted and what it says (formatting removed).
    Label {
        /// The CAD layer.
        layer: String,
        /// `TEXT` or `MTEXT`.
        entity: &'static str,
        /// Insertion point.
        at: Coord<f64>,
        /// The text.
        text: String,
    },
}

/// Points of the arc from `a` to `b` with DXF bulge `bulge` (tan of a quarter of the included
/// angle; positive is counter-clockwise), without `a`, ending with `b`.
pub fn bulge_arc(a: Coord<f64>, b: Coord<f64>, bulge: f64) -> Vec<Coord<f64>> {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let chord = dx.hypot(dy);
    if bulge.abs() < 1e-12 || !bulge.is_finite() || chord == 0.0 || !chord.is_finite() {
        return vec![b];
    }
    let theta = 4.0 * bulge.atan();
    // Distance from the chord's midpoint to the centre, to the left of a→b when positive.
    let h = chord / 2.0 * (1.0 - bulge * bulge) / (2.0 * bulge);
    let (mx, my) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let c = Coord {
        x: mx - dy / chord * h,
        y: my + dx / chord * h,
    };
    let r = (a.x - c.x).hypot(a.y - c.y);
    let start = (a.y - c.y).atan2(a.x - c.x);
    let n = ((theta.abs() / ARC_STEP).ceil() as usize).clamp(1, 72);
    let mut out: Vec<Coord<f64>> = (1..n)
        .map(|i| {
            let t = start + theta * i as f64 / n as f64;
            Coord {
                x: c.x + r * t.cos(),
                y: c.y + r * t.sin(),
            }
        })
        .collect();
    out.push(b);
    out
}

/// Expand a polyline's vertices with their bulges (the closing segment too when closed).
fn with_bulges(vertices: &[(Coord<f64>, f64)], closed: bool) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(vertices.len());
    let Some(&(first, _)) = vertices.first() else {
        return out;
    };
    out.push(first);
    for w in vertices.windows(2) {
        out.extend(bulge_arc(w[0].0, w[1].0, w[0].1));
    }
    if closed
        && vertices.len() > 2
        && let Some(&(last, bulge)) = vertices.last()
        && bulge.abs() > 1e-12
    {
        out.extend(bulge_arc(last, first, bulge));
    }
    out
}

/// A circle's or an arc's outline (angles in degrees, counter-clockwise).
fn arc_points(c: Coord<f64>, r: f64, start_deg: f64, end_deg: f64) -> Vec<Coord<f64>> {
    let (s, mut e) = (start_deg.to_radians(), end_deg.to_radians());
    if e <= s {
        e += std::f64::consts::TAU;
    }
    let n = (((e - s) / ARC_STEP).ceil() as usize).clamp(2, 72);
    (0..=n)
        .map(|i| {
            let t = s + (e - s) * i as f64 / n as f64;
            Coord {
                x: c.x + r * t.cos(),
                y: c.y + r * t.sin(),
            }
        })
        .collect()
}

fn xy(p: &::dxf::Point) -> Coord<f64> {
    Coord { x: p.x, y: p.y }
}

/// The shape of one entity, or `None` for entity types that carry no map feature (dimensions,
/// hatches, splines…; the caller counts them).
pub fn of_entity(e: &Entity) -> Option<Shape> {
    let layer = e.common.layer.clone();
    let path = |entity, points, closed| {
        Some(Shape::Path {
            layer: layer.clone(),
            entity,
            points,
            closed,
        })
    };
    match &e.specific {
        EntityType::LwPolyline(p) => {
            let v: Vec<_> = p
                .vertices
                .iter()
                .map(|v| (Coord { x: v.x, y: v.y }, v.bulge))
                .collect();
            path("LWPOLYLINE", with_bulges(&v, p.is_closed()), p.is_closed())
        }
        EntityType::Polyline(p) if !p.is_polyface_mesh() && !p.is_3d_polygon_mesh() => {
            let v: Vec<_> = p.vertices().map(|v| (xy(&v.location), v.bulge)).collect();
            path("POLYLINE", with_bulges(&v, p.is_closed()), p.is_closed())
        }
        EntityType::Line(l) => path("LINE", vec![xy(&l.p1), xy(&l.p2)], false),
        EntityType::Arc(a) => path(
            "ARC",
            arc_points(xy(&a.center), a.radius, a.start_angle, a.end_angle),
            false,
        ),
        EntityType::Circle(c) => path(
            "CIRCLE",
            arc_points(xy(&c.center), c.radius, 0.0, 360.0),
            true,
        ),
        EntityType::ModelPoint(p) => Some(Shape::Point {
            layer,
            entity: "POINT",
            block: None,
            at: xy(&p.location),
        }),
        EntityType::Insert(i) => Some(Shape::Point {
            layer,
            entity: "INSERT",
            block: Some(i.name.clone()),
            at: xy(&i.location),
        }),
        EntityType::Text(t) => Some(Shape::Label {
            layer,
            entity: "TEXT",
            at: xy(&t.location),
            text: text::clean(&t.value),
        }),
        EntityType::MText(t) => {
            let mut s = t.text.clone();
            for extra in &t.extended_text {
                s.push_str(extra);
            }
            Some(Shape::Label {
                layer,
                entity: "MTEXT",
                at: xy(&t.insertion_point),
                text: text::clean_mtext(&s),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bulge_of_one_is_a_half_circle_through_the_right_side() {
        // From (0,0) to (2,0) counter-clockwise: centre (1,0), radius 1, passing (1,-1).
        let pts = bulge_arc(Coord { x: 0.0, y: 0.0 }, Coord { x: 2.0, y: 0.0 }, 1.0);
        assert_eq!(pts.last(), Some(&Coord { x: 2.0, y: 0.0 }));
        assert!(pts.len() >= 36);
        for p in &pts {
            assert!(((p.x - 1.0).hypot(p.y) - 1.0).abs() < 1e-12);
            assert!(p.y <= 1e-12, "below the chord: {p:?}");
        }
        assert!(
            pts.iter()
                .any(|p| (p.x - 1.0).abs() < 1e-9 && (p.y + 1.0).abs() < 1e-9)
        );
    }

    #[test]
    fn zero_bulge_is_a_straight_segment() {
        let b = Coord { x: 5.0, y: 7.0 };
        assert_eq!(bulge_arc(Coord { x: 0.0, y: 0.0 }, b, 0.0), vec![b]);
        assert_eq!(bulge_arc(b, b, 0.5), vec![b]);
        assert_eq!(bulge_arc(Coord { x: 0.0, y: 0.0 }, b, f64::NAN), vec![b]);
    }
}
