//! What every writer writes: a [`Table`] of rows (a display name, attribute values in the
//! order of the table's fields, a geometry), made on demand so that a county layer is not
//! copied; from a loaded or bundled [`Layer`] by [`Table::of_layer`] (its provenance kept as the
//! `SJXZ`/`SJLY` fields the loader reads back) or from the findings
//! (`crate::io::write::findings`). [`Table::reprojected`] moves the rows to another CRS with
//! PROJ.

use std::borrow::Cow;

use geo::{Geometry, MultiPolygon};

use crate::model::{Layer, Value};

/// One row: what a writer needs of a feature.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// A name for KML's `<name>` (the feature's display name).
    pub name: String,
    /// The values, one per field of the table, in its order.
    pub values: Vec<Value>,
    /// The geometry, in the table's CRS (`Table::epsg`).
    pub geometry: Cow<'a, Geometry<f64>>,
}

/// The type of a field, from its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Only whole numbers below 10¹⁵ (and nulls).
    Integer,
    /// Numbers (and nulls).
    Real,
    /// Text, or a mixture, or only nulls.
    Text,
}

/// Rows made on demand, with their field names, a layer name and the CRS of the coordinates.
pub struct Table<'a> {
    /// The layer's name (the KML document's and the GeoPackage table's name).
    pub name: String,
    /// Field names (codes), in order.
    pub fields: Vec<String>,
    /// How many rows.
    pub len: usize,
    /// EPSG code of the rows' coordinates (4490: CGCS2000 lon/lat, the model's CRS).
    pub epsg: u32,
    row: Box<dyn Fn(usize) -> Row<'a> + 'a>,
}

impl<'a> Table<'a> {
    /// A table of `len` rows made by `row`, in CGCS2000 lon/lat.
    pub fn new(
        name: String,
        fields: Vec<String>,
        len: usize,
        row: impl Fn(usize) -> Row<'a> + 'a,
    ) -> Self {
        Self {
            name,
            fields,
            len,
            epsg: 4490,
            row: Box::new(row),
        }
    }

    /// Row `i` (`i < len`).
    pub fn row(&self, i: usize) -> Row<'a> {
        (self.row)(i)
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'a>> + '_ {
        (0..self.len).map(|i| self.row(i))
    }

    /// A layer's features with every attribute field (the union over the features, in order of
    /// first appearance) and the provenance: `SJXZ` (真实/示意/实测) and `SJLY` (the source)
    /// are added when the layer has no such field, so a schematic shape stays marked 示意 in
    /// every output and reads back as schematic.
    pub fn of_layer(layer: &'a Layer) -> Self {
        let mut fields: Vec<String> = Vec::new();
        for f in layer.features.iter() {
            for (k, _) in &f.attributes {
                if !fields.iter().any(|x| x.eq_ignore_ascii_case(k)) {
                    fields.push(k.to_string());
                }
            }
        }
        let has = |n: &str| fields.iter().any(|x| x.eq_ignore_ascii_case(n));
        let (add_kind, add_source) = (!has("SJXZ"), !has("SJLY"));
        if add_kind {
            fields.push("SJXZ".into());
        }
        if add_source {
            fields.push("SJLY".into());
        }
        let names = fields.clone();
        Self::new(
            layer.name_zh.clone(),
            fields,
            layer.features.len(),
            move |i| {
                let Some(f) = layer.features.get(i) else {
                    return Row {
                        name: String::new(),
                        values: vec![Value::Null; names.len()],
                        geometry: Cow::Owned(Geometry::MultiPolygon(MultiPolygon(vec![]))),
                    };
                };
                let values = names
                    .iter()
                    .enumerate()
                    .map(|(k, n)| match f.attributes.at(k) {
                        Some((name, v)) if name.as_ref() == n => v.to_value(),
                        _ => match f.attr(n) {
                            Some(v) => v.to_value(),
                            None if add_kind && n == "SJXZ" => {
                                Value::Text(f.provenance.kind.code().into())
                            }
                            None if add_source && n == "SJLY" => {
                                Value::Text(f.provenance.source.to_string())
                            }
                            None => Value::Null,
                        },
                    })
                    .collect();
                Row {
                    name: f.display_name(i),
                    values,
                    geometry: Cow::Borrowed(&f.geometry),
                }
            },
        )
    }

    /// The rows moved from CGCS2000 lon/lat to `epsg` with PROJ (4490: unchanged). A
    /// coordinate PROJ cannot move makes the row's geometry empty.
    pub fn reprojected(self, epsg: u32) -> Result<Self, String> {
        if epsg == self.epsg {
            return Ok(self);
        }
        let proj = crate::crs::transform(&format!("EPSG:{}", self.epsg), &format!("EPSG:{epsg}"))
            .map_err(|e| e.to_string())?;
        let inner = self.row;
        Ok(Self {
            name: self.name,
            fields: self.fields,
            len: self.len,
            epsg,
            row: Box::new(move |i| {
                let mut r = inner(i);
                let mut g = [r.geometry.into_owned()];
                crate::crs::transform_geometries(&proj, &mut g);
                let [g] = g;
                let finite =
                    geo::CoordsIter::coords_iter(&g).all(|c| c.x.is_finite() && c.y.is_finite());
                r.geometry = Cow::Owned(if finite { g } else { empty() });
                r
            }),
        })
    }

    /// The type of each field, from all its values (one pass over the rows).
    pub fn field_kinds(&self) -> Vec<FieldKind> {
        let mut kinds: Vec<Option<FieldKind>> = vec![None; self.fields.len()];
        for r in self.rows() {
            for (k, v) in kinds.iter_mut().zip(&r.values) {
                let this = match v {
                    Value::Null => continue,
                    Value::Text(_) => FieldKind::Text,
                    Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => FieldKind::Integer,
                    Value::Number(_) => FieldKind::Real,
                };
                *k = Some(match (*k, this) {
                    (None, t) => t,
                    (Some(FieldKind::Text), _) | (_, FieldKind::Text) => FieldKind::Text,
                    (Some(FieldKind::Real), _) | (_, FieldKind::Real) => FieldKind::Real,
                    _ => FieldKind::Integer,
                });
            }
        }
        kinds
            .into_iter()
            .map(|k| k.unwrap_or(FieldKind::Text))
            .collect()
    }
}

/// An empty geometry (written as a null shape / `null` geometry).
pub fn empty() -> Geometry<f64> {
    Geometry::GeometryCollection(geo::GeometryCollection(vec![]))
}

/// The geometry with the forms the writers do not know turned into those they do
/// (`Rect`/`Triangle` → `Polygon`, `Line` → `LineString`), collections included.
pub fn normalized(g: &Geometry<f64>) -> Cow<'_, Geometry<f64>> {
    match g {
        Geometry::Rect(r) => Cow::Owned(Geometry::Polygon(r.to_polygon())),
        Geometry::Triangle(t) => Cow::Owned(Geometry::Polygon(t.to_polygon())),
        Geometry::Line(l) => {
            Cow::Owned(Geometry::LineString(geo::LineString(vec![l.start, l.end])))
        }
        Geometry::GeometryCollection(c) if c.0.iter().any(needs_normalizing) => {
            Cow::Owned(Geometry::GeometryCollection(geo::GeometryCollection(
                c.0.iter().map(|g| normalized(g).into_owned()).collect(),
            )))
        }
        _ => Cow::Borrowed(g),
    }
}

fn needs_normalizing(g: &Geometry<f64>) -> bool {
    match g {
        Geometry::Rect(_) | Geometry::Triangle(_) | Geometry::Line(_) => true,
        Geometry::GeometryCollection(c) => c.0.iter().any(needs_normalizing),
        _ => false,
    }
}

/// Whether a geometry has no coordinates.
pub fn is_empty(g: &Geometry<f64>) -> bool {
    geo::CoordsIter::coords_count(g) == 0
}

/// Whether an EPSG code is a geographic lon/lat CRS the lon/lat formats (GeoJSON, KML) can
/// hold: CGCS2000 (4490) or WGS84 (4326), which agree to a few centimetres.
pub fn is_lonlat(epsg: u32) -> bool {
    matches!(epsg, 4490 | 4326)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Feature, LayerRole, Provenance, ProvenanceKind};

    fn layer(features: Vec<Feature>) -> Layer {
        Layer {
            name_zh: "测试".into(),
            name_en: "test".into(),
            role: LayerRole::Loaded,
            source: "t.shp".into(),
            crs: crate::text::Text::same("EPSG:4490"),
            encoding: crate::text::Text::same("UTF-8"),
            features: std::sync::Arc::new(features),
            analysis_role: None,
        }
    }

    #[test]
    fn provenance_becomes_fields_and_kinds_follow_values() {
        let f = |attrs: Vec<(&str, Value)>, kind| Feature {
            attributes: attrs.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            geometry: Geometry::Point(geo::Point::new(122.8, 45.3)),
            provenance: Provenance {
                kind,
                source: "示意布置".into(),
            },
        };
        let l = layer(vec![
            f(
                vec![("MC", Value::Text("甲".into())), ("N", Value::Number(2.0))],
                ProvenanceKind::Schematic,
            ),
            f(
                vec![("MC", Value::Null), ("N", Value::Number(2.5))],
                ProvenanceKind::Surveyed,
            ),
        ]);
        let t = Table::of_layer(&l);
        assert_eq!(t.fields, ["MC", "N", "SJXZ", "SJLY"]);
        assert_eq!(t.row(0).values[2], Value::Text("示意".into()));
        assert_eq!(t.row(1).values[3], Value::Text("示意布置".into()));
        assert_eq!(t.row(0).name, "甲");
        assert_eq!(
            t.field_kinds(),
            [
                FieldKind::Text,
                FieldKind::Real,
                FieldKind::Text,
                FieldKind::Text
            ]
        );
    }
}
