//! Shapes of a drawing into features. Closed paths become polygons, open ones lines, POINT and
//! INSERT points, and a TEXT/MTEXT lying inside no polygon (a 点号 or a label the surveyor typed
//! beside the drawing) a point of its own with its text. Holes, kept simple: a closed ring lying wholly inside a larger polygon of the
//! *same* CAD layer (and not inside one of its holes) becomes a hole of the innermost such
//! polygon; a ring inside a hole is an island, a polygon of its own. Texts: a TEXT/MTEXT whose
//! insertion point lies inside polygons (of any layer) is attached to the smallest of them;
//! several are joined with "；" in drawing order.

use geo::{Area, BoundingRect, Contains, Coord, Geometry, LineString, Point, Polygon, Rect};

use super::shapes::Shape;
use crate::io::loader::Record;
use crate::model::{FieldName, ValueRef};

/// The attribute names every DXF feature has: CAD layer, entity type, block name (INSERT),
/// the text inside (polygons).
pub const FIELDS: [&str; 4] = ["LAYER", "ENTITY", "BLOCK", "TEXT"];

/// Features of a drawing and what could not be placed.
#[derive(Debug, Default)]
pub struct Assembled {
    /// Records in drawing coordinates: polygons, then lines, then points, then the texts that
    /// lie inside no polygon (points with their `TEXT`).
    pub records: Vec<Record>,
    /// Texts that lie inside no polygon (loaded as points).
    pub loose_texts: usize,
    /// Paths with too few distinct vertices (not loaded).
    pub degenerate: usize,
}

struct Poly {
    layer: String,
    entity: &'static str,
    polygon: Polygon<f64>,
    bbox: Rect<f64>,
    area: f64,
    texts: Vec<String>,
}

fn distinct(points: &[Coord<f64>]) -> usize {
    let mut v: Vec<(u64, u64)> = points
        .iter()
        .map(|c| (c.x.to_bits(), c.y.to_bits()))
        .collect();
    v.sort_unstable();
    v.dedup();
    v.len()
}

fn inside(outer: &Rect<f64>, inner: &Rect<f64>) -> bool {
    outer.min().x <= inner.min().x
        && outer.min().y <= inner.min().y
        && outer.max().x >= inner.max().x
        && outer.max().y >= inner.max().y
}

/// Turn the shapes into records (attributes [`FIELDS`]).
#[allow(
    clippy::too_many_lines,
    reason = "one pass over the drawing's shapes sorting them into polygons, lines, points and texts, each case a few lines"
)]
pub fn assemble(shapes: Vec<Shape>) -> Assembled {
    let mut out = Assembled::default();
    let mut rings: Vec<(String, &'static str, LineString<f64>)> = Vec::new();
    let mut lines = Vec::new();
    let mut points = Vec::new();
    let mut labels = Vec::new();
    for s in shapes {
        match s {
            Shape::Path {
                layer,
                entity,
                points: p,
                closed,
            } => {
                let n = distinct(&p);
                if closed && n >= 3 {
                    let mut ring = LineString(p);
                    ring.close();
                    rings.push((layer, entity, ring));
                } else if n >= 2 {
                    lines.push((layer, entity, LineString(p)));
                } else {
                    out.degenerate += 1;
                }
            }
            Shape::Point {
                layer,
                entity,
                block,
                at,
            } => points.push((layer, entity, block, at)),
            Shape::Label {
                layer,
                entity,
                at,
                text,
            } => labels.push((layer, entity, at, text)),
        }
    }
    let polys = nest(rings);
    let mut polys = polys;
    let mut loose = Vec::new();
    for (layer, entity, at, text) in labels {
        if text.trim().is_empty() {
            continue;
        }
        let p = Point(at);
        let best = polys
            .iter_mut()
            .filter(|q| q.bbox.contains(&p) && q.polygon.contains(&p))
            .min_by(|a, b| a.area.total_cmp(&b.area));
        match best {
            Some(q) => q.texts.push(text),
            None => loose.push((layer, entity, at, text)),
        }
    }
    out.loose_texts = loose.len();
    // Every record has the same four fields: one shared list of names.
    let names: crate::model::Schema = FIELDS.iter().map(|f| FieldName::from(*f)).collect();
    let attrs = |layer: String, entity: &str, block: Option<String>, text: Option<String>| {
        crate::model::Attributes::new(
            names.clone(),
            [
                ValueRef::Text(&layer),
                ValueRef::Text(entity),
                optional(&block),
                optional(&text),
            ],
        )
    };
    for q in polys {
        let text = (!q.texts.is_empty()).then(|| q.texts.join("；"));
        out.records.push((
            Some(Geometry::Polygon(q.polygon)),
            attrs(q.layer, q.entity, None, text),
        ));
    }
    for (layer, entity, l) in lines {
        out.records.push((
            Some(Geometry::LineString(l)),
            attrs(layer, entity, None, None),
        ));
    }
    for (layer, entity, block, at) in points {
        out.records.push((
            Some(Geometry::Point(Point(at))),
            attrs(layer, entity, block, None),
        ));
    }
    for (layer, entity, at, text) in loose {
        out.records.push((
            Some(Geometry::Point(Point(at))),
            attrs(layer, entity, None, Some(text)),
        ));
    }
    out
}

/// Rings into polygons with holes (see the module doc), largest first.
fn nest(rings: Vec<(String, &'static str, LineString<f64>)>) -> Vec<Poly> {
    let mut rings: Vec<_> = rings
        .into_iter()
        .filter_map(|(layer, entity, ring)| {
            let polygon = Polygon::new(ring, vec![]);
            let bbox = polygon.bounding_rect()?;
            let area = polygon.unsigned_area();
            Some((layer, entity, polygon, bbox, area))
        })
        .collect();
    rings.sort_by(|a, b| b.4.total_cmp(&a.4));
    let mut polys: Vec<Poly> = Vec::new();
    for (layer, entity, polygon, bbox, area) in rings {
        // The innermost polygon of the same layer holding the whole ring.
        let host = polys.iter().rposition(|q| {
            q.layer == layer
                && q.area > area
                && inside(&q.bbox, &bbox)
                && Polygon::new(q.polygon.exterior().clone(), vec![]).contains(polygon.exterior())
        });
        let in_a_hole = host.is_some_and(|h| {
            polys[h]
                .polygon
                .interiors()
                .iter()
                .any(|hole| Polygon::new(hole.clone(), vec![]).contains(polygon.exterior()))
        });
        match host {
            Some(h) if !in_a_hole => {
                let hole = polygon.exterior().clone();
                let q = &mut polys[h];
                q.polygon.interiors_push(hole);
                q.area -= area;
            }
            _ => polys.push(Poly {
                layer,
                entity,
                polygon,
                bbox,
                area,
                texts: Vec::new(),
            }),
        }
    }
    polys
}

/// A text that may be absent, as a value.
fn optional(s: &Option<String>) -> ValueRef<'_> {
    s.as_deref().map_or(ValueRef::Null, ValueRef::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(layer: &str, x: f64, y: f64, side: f64) -> Shape {
        Shape::Path {
            layer: layer.into(),
            entity: "LWPOLYLINE",
            points: vec![
                Coord { x, y },
                Coord { x: x + side, y },
                Coord {
                    x: x + side,
                    y: y + side,
                },
                Coord { x, y: y + side },
            ],
            closed: true,
        }
    }

    fn label(x: f64, y: f64, t: &str) -> Shape {
        Shape::Label {
            layer: "注记".into(),
            entity: "TEXT",
            at: Coord { x, y },
            text: t.into(),
        }
    }

    #[test]
    fn a_ring_inside_on_the_same_layer_is_a_hole_and_texts_go_to_the_smallest() {
        let a = assemble(vec![
            square("宗地", 0.0, 0.0, 100.0),
            square("宗地", 40.0, 40.0, 20.0),
            square("宗地", 45.0, 45.0, 5.0),  // island in the hole
            square("房屋", 10.0, 10.0, 10.0), // other layer: a polygon of its own
            label(5.0, 5.0, "一号地"),
            label(50.0, 30.0, "J1"),
            label(15.0, 15.0, "房"),
            label(500.0, 500.0, "远处"),
            label(55.0, 55.0, "空地"), // in the hole, outside the island
        ]);
        // Three polygons, then the two texts inside none of them as points.
        assert_eq!(a.records.len(), 5);
        let text = |i: usize| {
            a.records[i]
                .1
                .at(3)
                .map(|(_, v)| v.display())
                .unwrap_or_default()
        };
        let Some(Geometry::Polygon(big)) = &a.records[0].0 else {
            panic!("polygon")
        };
        assert_eq!(big.interiors().len(), 1);
        assert_eq!(text(0), "一号地；J1");
        assert_eq!(
            a.records[0].1.get("LAYER").map(|v| v.display()).as_deref(),
            Some("宗地")
        );
        assert_eq!(text(1), "房");
        assert_eq!(text(2), "");
        assert_eq!(a.loose_texts, 2);
        let field = |i: usize, f: &str| {
            a.records[i]
                .1
                .get(f)
                .map(|v| v.display())
                .unwrap_or_default()
        };
        assert_eq!([text(3), text(4)], ["远处".to_owned(), "空地".to_owned()]);
        assert_eq!(
            a.records[3].0,
            Some(Geometry::Point(Point::new(500.0, 500.0)))
        );
        assert_eq!([field(3, "LAYER"), field(3, "ENTITY")], ["注记", "TEXT"]);
    }

    #[test]
    fn open_paths_are_lines_and_degenerate_ones_are_counted() {
        let a = assemble(vec![
            Shape::Path {
                layer: "0".into(),
                entity: "LINE",
                points: vec![Coord { x: 0.0, y: 0.0 }, Coord { x: 1.0, y: 1.0 }],
                closed: false,
            },
            Shape::Path {
                layer: "0".into(),
                entity: "LWPOLYLINE",
                points: vec![Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 }],
                closed: true,
            },
        ]);
        assert_eq!(a.records.len(), 1);
        assert!(matches!(a.records[0].0, Some(Geometry::LineString(_))));
        assert_eq!(a.degenerate, 1);
    }
}
