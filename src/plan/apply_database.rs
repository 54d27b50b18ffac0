//! A matching table applied: each matched zone takes the database's geometry, keeps the plan's
//! attributes and carries the database's own fields beside them (as `DB:<field>`), and its
//! provenance becomes the database file — it is no longer schematic. Unmatched zones (and zones
//! in a conflict) stay schematic and say so in [`MATCH_FIELD`]. The polygons that matched no
//! zone (or are in a conflict) are gathered in one more layer, shown but not checked.

use std::sync::Arc;

use crate::model::{Feature, FieldName, Layer, LayerRole, Provenance, ProvenanceKind, Value};
use crate::plan::database::{PlanDatabase, PlanSide};
use crate::plan::zone_match::{How, MatchTable, PolygonRef};

/// The field (匹配方式) that says how a zone got its geometry from the database, or that it
/// did not: one of [`How::zh`], [`UNMATCHED_ZH`], [`CONFLICT_ZH`].
pub const MATCH_FIELD: &str = "PPFS";
/// The prefix of the database's own fields on a matched zone (`DB:GHQBH` …).
pub const DB_PREFIX: &str = "DB:";
/// [`MATCH_FIELD`] of a zone no polygon claims.
pub const UNMATCHED_ZH: &str = "未匹配（仍为示意）";
/// [`MATCH_FIELD`] of a zone claimed by two or more polygons.
pub const CONFLICT_ZH: &str = "冲突，未采用（仍为示意）";
/// Why-field (匹配说明) of the polygons in the unmatched layer.
pub const REASON_FIELD: &str = "PPSM";
/// Analysis role of the unmatched polygons' layer: no rule names it, so it is not checked.
pub const UNMATCHED_KIND: &str = "plan_database_unmatched";
/// Fields of the schematic shape that a real geometry makes meaningless (示意面积, 示意说明).
const SCHEMATIC_FIELDS: &[&str] = &["SYMJ", "SYSM"];

/// A zone's match in words read back from its [`MATCH_FIELD`]: (`"matched"`, how) or
/// (`"unmatched"` / `"conflict"`, `None`). `None` when no database is applied.
pub fn match_of(f: &Feature) -> Option<(&'static str, Option<How>)> {
    let v = f.attr(MATCH_FIELD)?.as_text()?;
    Some(match How::parse_zh(v) {
        Some(h) => ("matched", Some(h)),
        None if v == CONFLICT_ZH => ("conflict", None),
        None => ("unmatched", None),
    })
}

/// The area the plan publishes for a zone (`GHQMJ`, km²), when it gives one.
pub fn published_area_km2(f: &Feature) -> Option<f64> {
    match f.attr("GHQMJ")? {
        crate::model::ValueRef::Number(n) if n.is_finite() && n > 0.0 => Some(n),
        _ => None,
    }
}

/// The difference of a measured area from the published one: (km², % of the published).
pub fn area_difference(measured_km2: f64, published_km2: f64) -> (f64, f64) {
    let d = measured_km2 - published_km2;
    (d, d / published_km2 * 100.0)
}

fn source_of(db: &PlanDatabase, r: PolygonRef) -> String {
    let file = db.layers.get(r.layer).map_or("?", |l| l.source.as_str());
    format!("规划数据库 {file}（第 {} 个要素）", r.feature + 1)
}

/// A matched zone: the plan's attributes (provenance fields updated, schematic fields gone),
/// how it matched, then the database's fields.
fn matched_feature(plan_f: &Feature, db_f: &Feature, how: How, source: String) -> Feature {
    let mut attributes: Vec<(FieldName, Value)> = plan_f
        .attributes
        .iter()
        .filter(|(k, _)| !SCHEMATIC_FIELDS.iter().any(|s| k.eq_ignore_ascii_case(s)))
        .map(|(k, v)| {
            let v = if k.eq_ignore_ascii_case("SJXZ") {
                Value::Text(ProvenanceKind::Real.code().into())
            } else if k.eq_ignore_ascii_case("SJLY") {
                Value::Text(source.clone())
            } else {
                v.to_value()
            };
            (k.clone(), v)
        })
        .collect();
    attributes.push((MATCH_FIELD.into(), Value::Text(how.zh().into())));
    for (k, v) in &db_f.attributes {
        attributes.push((format!("{DB_PREFIX}{k}").into(), v.to_value()));
    }
    Feature {
        attributes: attributes.into(),
        geometry: db_f.geometry.clone(),
        provenance: Provenance {
            kind: ProvenanceKind::Real,
            source: source.into(),
        },
    }
}

fn marked(plan_f: &Feature, note: &str) -> Feature {
    let mut f = plan_f.clone();
    let mut pairs = f.attributes.to_pairs();
    pairs.push((MATCH_FIELD.into(), Value::Text(note.into())));
    f.attributes = pairs.into();
    f
}

/// The new version of one bundled plan layer.
fn apply_layer(
    mut layer: Layer,
    plan: &[PlanSide],
    db: &PlanDatabase,
    table: &MatchTable,
) -> Layer {
    let features = layer
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let Some(side) = plan.iter().find(|p| p.role == layer.role && p.index == i) else {
                return f.clone();
            };
            if let Some(m) = table.matched_for(&side.id)
                && let Some(db_f) = db.feature(m.polygon)
            {
                return matched_feature(f, db_f, m.how, source_of(db, m.polygon));
            }
            if table.conflicts.iter().any(|c| c.zone == side.id) {
                marked(f, CONFLICT_ZH)
            } else {
                marked(f, UNMATCHED_ZH)
            }
        })
        .collect();
    let files: Vec<String> = db.files.iter().map(|p| p.display().to_string()).collect();
    layer.source = format!("{}；规划数据库 {}", layer.source, files.join("、"));
    layer.features = Arc::new(features);
    layer
}

/// The layer of the polygons that are not applied (unmatched, or in a conflict), `None` when
/// every polygon is applied.
fn leftover_layer(db: &PlanDatabase, table: &MatchTable) -> Option<Layer> {
    // The reason is an attribute value of the layer (kept in its exports), read in either
    // language: both wordings.
    let mut left: Vec<(PolygonRef, String)> = table
        .unmatched_polygons
        .iter()
        .map(|u| (u.polygon, u.reason.in_both_languages()))
        .collect();
    for c in &table.conflicts {
        let zone = &c.zone;
        let reason = crate::text!("与其他图斑同属 {zone}（冲突）", "conflict over {zone}");
        for (p, _) in &c.polygons {
            left.push((*p, reason.in_both_languages()));
        }
    }
    left.sort_by_key(|(p, _)| *p);
    let features: Vec<Feature> = left
        .into_iter()
        .filter_map(|(p, reason)| {
            let mut f = db.feature(p)?.clone();
            let mut pairs = f.attributes.to_pairs();
            pairs.push((REASON_FIELD.into(), Value::Text(reason)));
            f.attributes = pairs.into();
            f.provenance = Provenance {
                kind: ProvenanceKind::Real,
                source: source_of(db, p).into(),
            };
            Some(f)
        })
        .collect();
    let first = db.layers.first()?;
    (!features.is_empty()).then(|| Layer {
        name_zh: "规划数据库：未采用图斑".into(),
        name_en: "Plan database: polygons not applied".into(),
        role: LayerRole::Loaded,
        source: db
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("、"),
        crs: first.crs.clone(),
        encoding: first.encoding.clone(),
        features: Arc::new(features),
        analysis_role: Some(UNMATCHED_KIND.into()),
    })
}

/// The bundled layers with the plan layers replaced by their applied version, and the layer of
/// the polygons not applied on top (when there are any).
pub fn apply(
    bundled: Vec<Layer>,
    plan: &[PlanSide],
    db: &PlanDatabase,
    table: &MatchTable,
) -> Vec<Layer> {
    let mut out: Vec<Layer> = bundled
        .into_iter()
        .map(|l| {
            if l.role.is_plan_zone() {
                apply_layer(l, plan, db, table)
            } else {
                l
            }
        })
        .collect();
    out.extend(leftover_layer(db, table));
    out
}
