//! A measurement the user draws on the map: a distance (polyline) or an area (polygon) through
//! clicked points, its figures on the CGCS2000 ellipsoid ([`crate::analysis::geodesy`]), the
//! text that is copied, and the temporary layer (量测) it can be kept as.

use std::sync::Arc;

use geo::{Geometry, LineString, Polygon};

use crate::analysis::geodesy::{
    M2_PER_MU, distance_m, format_area, format_length, path_length_m, ring_area_m2,
    ring_perimeter_m, segment_lengths_m,
};
use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeasureMode {
    /// A distance along a polyline.
    #[default]
    Distance,
    /// The area (and perimeter) of a polygon.
    Area,
}

/// Clicked points (CGCS2000 lon/lat, degrees) and what they measure.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measurement {
    /// Distance or area.
    pub mode: MeasureMode,
    /// The points in click order.
    pub points: Vec<[f64; 2]>,
}

impl Measurement {
    /// The geodesic length of each segment in metres; in area mode the closing segment (last
    /// point back to the first) is included once there are three points.
    pub fn segments_m(&self) -> Vec<f64> {
        let mut s = segment_lengths_m(&self.points);
        if self.mode == MeasureMode::Area
            && self.points.len() >= 3
            && let (Some(a), Some(b)) = (self.points.last(), self.points.first())
        {
            s.push(distance_m(*a, *b));
        }
        s
    }

    /// Total length in metres: the path, or in area mode the perimeter (ring closed).
    pub fn total_m(&self) -> f64 {
        match self.mode {
            MeasureMode::Area if self.points.len() >= 3 => ring_perimeter_m(&self.points),
            _ => path_length_m(&self.points),
        }
    }

    /// The enclosed area in m² (area mode with three points or more), else `None`.
    pub fn area_m2(&self) -> Option<f64> {
        (self.mode == MeasureMode::Area && self.points.len() >= 3)
            .then(|| ring_area_m2(&self.points))
    }

    /// This measurement with one more (provisional) point, e.g. where the pointer is, for the
    /// live figures while drawing.
    pub fn with_point(&self, p: [f64; 2]) -> Self {
        let mut m = self.clone();
        m.points.push(p);
        m
    }

    /// The headline figure: the area (with 亩 and 公顷) or the distance.
    pub fn headline(&self, chinese: bool) -> String {
        let t = |zh: &'static str, en: &'static str| if chinese { zh } else { en };
        match self.area_m2() {
            Some(a) => format!(
                "{}：{}；{}：{}",
                t("面积", "Area"),
                format_area(a, chinese),
                t("周长", "Perimeter"),
                format_length(self.total_m())
            ),
            None => format!(
                "{}：{}",
                t("距离", "Distance"),
                format_length(self.total_m())
            ),
        }
    }

    /// The text the user copies: the figures, each segment, and the points.
    pub fn text(&self, chinese: bool) -> String {
        let t = |zh: &'static str, en: &'static str| if chinese { zh } else { en };
        let mut out = self.headline(chinese);
        out.push('\n');
        for (i, s) in self.segments_m().iter().enumerate() {
            out.push_str(&format!(
                "  {} {}：{}\n",
                t("段", "segment"),
                i + 1,
                format_length(*s)
            ));
        }
        for (i, p) in self.points.iter().enumerate() {
            out.push_str(&format!("  P{}  {:.7}, {:.7}\n", i + 1, p[0], p[1]));
        }
        out.push_str(t(
            "（CGCS2000 椭球面大地线计算；坐标为经度, 纬度）",
            "(geodesics on the CGCS2000 ellipsoid; points are lon, lat)",
        ));
        out
    }

    /// The measurement as a geometry: a line (distance) or a polygon (area), `None` when there
    /// are too few points.
    pub fn geometry(&self) -> Option<Geometry<f64>> {
        let coords: Vec<(f64, f64)> = self.points.iter().map(|p| (p[0], p[1])).collect();
        match self.mode {
            MeasureMode::Distance if coords.len() >= 2 => {
                Some(Geometry::LineString(LineString::from(coords)))
            }
            MeasureMode::Area if coords.len() >= 3 => Some(Geometry::Polygon(Polygon::new(
                LineString::from(coords),
                vec![],
            ))),
            _ => None,
        }
    }

    /// The measurement as a temporary layer of one feature, named `量测 n`, whose provenance
    /// is [`ProvenanceKind::Measured`] and whose attributes hold the figures (`CD_M` length or
    /// perimeter in m, `MJ_M2` area in m², `MJ_MU` area in 亩). `None` with too few points.
    pub fn to_layer(&self, n: usize) -> Option<Layer> {
        let geometry = self.geometry()?;
        let name = format!("量测 {n}");
        let mut attributes: Vec<(Arc<str>, Value)> = vec![
            ("NAME".into(), Value::Text(name.clone())),
            ("CD_M".into(), Value::Number(self.total_m())),
        ];
        if let Some(a) = self.area_m2() {
            attributes.push(("MJ_M2".into(), Value::Number(a)));
            attributes.push(("MJ_MU".into(), Value::Number(a / M2_PER_MU)));
        }
        attributes.push((
            "SJXZ".into(),
            Value::Text(ProvenanceKind::Measured.code().into()),
        ));
        // Both languages on purpose: the provenance source is data stored with the feature
        // (SJLY in its exports), read in either language.
        let source = "量测 / measured on the map";
        Some(Layer {
            name_zh: name,
            name_en: format!("Measurement {n}"),
            role: LayerRole::Loaded,
            source: source.into(),
            crs: crate::text::Text::same("CGCS2000 (EPSG:4490)"),
            encoding: Default::default(),
            features: Arc::new(vec![Feature {
                attributes: attributes.into(),
                geometry,
                provenance: Provenance {
                    kind: ProvenanceKind::Measured,
                    source: source.into(),
                },
            }]),
            analysis_role: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geodesic, GeodesicArea, Length};

    #[test]
    fn distance_and_area_follow_geo_on_the_same_points() {
        let pts = vec![
            [122.40, 45.30],
            [122.55, 45.32],
            [122.60, 45.45],
            [122.45, 45.50],
        ];
        let d = Measurement {
            mode: MeasureMode::Distance,
            points: pts.clone(),
        };
        let line: LineString<f64> = pts.iter().map(|p| (p[0], p[1])).collect();
        let geo_len = Geodesic.length(&line);
        assert!(((d.total_m() - geo_len) / geo_len).abs() < 1e-9);
        assert_eq!(d.segments_m().len(), 3);
        assert_eq!(d.area_m2(), None);

        let a = Measurement {
            mode: MeasureMode::Area,
            points: pts,
        };
        let poly = Polygon::new(line, vec![]);
        let geo_area = poly.geodesic_area_unsigned();
        let geo_perimeter = poly.geodesic_perimeter();
        let area = a.area_m2().expect("area");
        assert!(
            ((area - geo_area) / geo_area).abs() < 1e-9,
            "{area} {geo_area}"
        );
        assert!(((a.total_m() - geo_perimeter) / geo_perimeter).abs() < 1e-9);
        assert_eq!(a.segments_m().len(), 4, "the closing segment counts");
        let text = a.text(true);
        assert!(text.starts_with("面积：") && text.contains("亩") && text.contains("公顷"));
        assert!(text.contains("P4  122.4500000, 45.5000000"), "{text}");
    }

    #[test]
    fn kept_as_a_layer_it_says_it_was_measured() {
        let a = Measurement {
            mode: MeasureMode::Area,
            points: vec![[122.0, 45.0], [122.01, 45.0], [122.01, 45.01]],
        };
        let layer = a.to_layer(2).expect("layer");
        assert_eq!(layer.name_zh, "量测 2");
        let f = &layer.features[0];
        assert_eq!(f.provenance.kind, ProvenanceKind::Measured);
        assert!(matches!(f.geometry, Geometry::Polygon(_)));
        let mu = f.attr("MJ_MU").and_then(|v| match v {
            crate::model::ValueRef::Number(n) => Some(n),
            _ => None,
        });
        let expected = a.area_m2().expect("area") / M2_PER_MU;
        assert!(mu.is_some_and(|m| (m - expected).abs() < 1e-9));
        assert!(Measurement::default().to_layer(1).is_none());
    }
}
