//! What `info` and `check` print: every loaded layer with its source, CRS, encoding, counts
//! and extent, and optionally every feature; the findings; as text or JSON. Shared by the CLI
//! and the tests. Labels and messages are worded in the command line's language (`--lang`);
//! the data (layer names in both languages, the findings' own text) is printed as it is.

use serde_json::{Map, Value as Json, json};

use crate::analysis::summary::summarize;
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::{Layer, ValueRef};
use crate::text::{Lang, Text};

/// Problems met while loading a layer, reported beside it.
pub type LayerProblems = Vec<Text>;

fn round(v: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (v * k).round() / k
}

fn extent_json(layer: &Layer) -> Json {
    match layer.extent() {
        Some(r) => json!([
            round(r.min().x, 6),
            round(r.min().y, 6),
            round(r.max().x, 6),
            round(r.max().y, 6)
        ]),
        None => Json::Null,
    }
}

fn value_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Text(s) => Json::String(s.to_owned()),
        ValueRef::Number(n) => json!(n),
        ValueRef::Null => Json::Null,
    }
}

/// The report as JSON: `{"layers": [...]}`, with `features` per layer when asked; the
/// problems worded in `lang`.
pub fn to_json(
    catalog: &Catalog,
    problems: &[LayerProblems],
    with_features: bool,
    lang: Lang,
) -> Json {
    let layers: Vec<Json> = catalog
        .layers
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let mut o = Map::new();
            o.insert("name".into(), json!(l.name_zh));
            o.insert("name_en".into(), json!(l.name_en));
            o.insert("role".into(), json!(l.role.key()));
            o.insert("source".into(), json!(l.source));
            // An unplaced layer (CRS unknown) has none: null, and `placed: false`.
            let crs = if l.is_placed() {
                json!(l.crs.in_lang(lang))
            } else {
                Json::Null
            };
            o.insert("crs".into(), crs);
            o.insert("placed".into(), json!(l.is_placed()));
            o.insert("encoding".into(), json!(l.encoding.in_lang(lang)));
            o.insert("feature_count".into(), json!(l.features.len()));
            o.insert("schematic_count".into(), json!(l.schematic_count()));
            o.insert("extent".into(), extent_json(l));
            o.insert(
                "problems".into(),
                json!(
                    problems
                        .get(li)
                        .into_iter()
                        .flatten()
                        .map(|p| p.in_lang(lang))
                        .collect::<Vec<_>>()
                ),
            );
            if with_features {
                let feats: Vec<Json> = (0..l.features.len())
                    .map(|fi| {
                        feature_json(
                            catalog,
                            FeatureRef {
                                layer: li,
                                feature: fi,
                            },
                        )
                    })
                    .collect();
                o.insert("features".into(), Json::Array(feats));
            }
            Json::Object(o)
        })
        .collect();
    json!({ "layers": layers })
}

fn feature_json(catalog: &Catalog, r: FeatureRef) -> Json {
    let Some(f) = catalog.feature(r) else {
        return Json::Null;
    };
    let attrs: Map<String, Json> = f
        .attributes
        .iter()
        .map(|(k, v)| (k.to_string(), value_json(v)))
        .collect();
    let s = summarize(catalog, r);
    json!({
        "name": f.display_name(r.feature),
        "attributes": attrs,
        "area_km2": s.as_ref().map(|s| round(s.area_km2, 6)),
        "area_mu": s.as_ref().map(|s| round(s.area_mu, 2)),
        "perimeter_km": s.as_ref().map(|s| round(s.perimeter_km, 4)),
        "centroid": s.as_ref().and_then(|s| s.centroid).map(|(x, y)| json!([round(x, 7), round(y, 7)])),
        "centroid_zone41": s.as_ref().and_then(|s| s.centroid_zone41).map(|p| json!({"x": round(p.x, 2), "y": round(p.y, 2)})),
        "nearest_seat": s.as_ref().and_then(|s| s.nearest_seat.clone()).map(|(n, d)| json!({"name": n, "distance_km": round(d, 3)})),
        "provenance": {"kind": f.provenance.kind.key(), "label": f.provenance.kind.code(), "source": &*f.provenance.source},
        "plan_match": plan_match_json(f, s.as_ref().map(|s| s.area_km2)),
    })
}

/// A plan zone's match with the plan database (`null` when none is applied): `status`
/// (`matched` / `unmatched` / `conflict`), `how` (`code` / `name` / `manual`), `schematic`,
/// and its database polygon's area against the plan's published figure when the plan gives
/// one (not for a zone that is still schematic).
fn plan_match_json(f: &crate::model::Feature, area_km2: Option<f64>) -> Json {
    use crate::plan::apply_database::{area_difference, match_of, published_area_km2};
    let Some((status, how)) = match_of(f) else {
        return Json::Null;
    };
    // A schematic shape was sized to the plan's figure: comparing it says nothing.
    let vs_plan = published_area_km2(f)
        .filter(|_| !f.is_schematic())
        .zip(area_km2)
        .map(|(p, a)| {
        let (d, pct) = area_difference(a, p);
        json!({"published_km2": p, "difference_km2": round(d, 6), "difference_pct": round(pct, 3)})
    });
    json!({
        "status": status,
        "how": how.map(|h| h.key()),
        "schematic": f.is_schematic(),
        "area_vs_plan": vs_plan,
    })
}

/// The plan database's matching table as text: counts, then every conflict, unmatched polygon
/// and unmatched zone.
pub fn plan_match_text(a: &crate::plan::database::AppliedPlan, lang: Lang) -> String {
    let t = &a.table;
    let zone = |id: &str| {
        a.plan
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_owned(), |p| format!("{id}「{}」", p.name))
    };
    let (matched, zones, polygons, conflicts) = (
        t.matched.len(),
        t.unmatched_zones.len(),
        t.unmatched_polygons.len(),
        t.conflicts.len(),
    );
    let mut out = crate::text!(
        "规划数据库：匹配 {matched}，未匹配规划区 {zones}，未匹配图斑 {polygons}，冲突 {conflicts}\n",
        "plan database: {matched} matched, {zones} zones unmatched, {polygons} polygons unmatched, {conflicts} conflicts\n"
    )
    .in_lang(lang)
    .to_owned();
    for m in &t.matched {
        out.push_str(&format!(
            "  = {} ← {}（{}）\n",
            zone(&m.zone),
            a.database.describe(m.polygon),
            m.how.zh()
        ));
    }
    for c in &t.conflicts {
        let ps: Vec<String> = c
            .polygons
            .iter()
            .map(|(p, _)| a.database.describe(*p))
            .collect();
        out.push_str(&format!(
            "  ! {} {} ← {}\n",
            lang.t("冲突", "conflict"),
            zone(&c.zone),
            ps.join("；")
        ));
    }
    for u in &t.unmatched_polygons {
        out.push_str(&format!(
            "  ? {}: {}\n",
            a.database.describe(u.polygon),
            u.reason.in_lang(lang)
        ));
    }
    for z in &t.unmatched_zones {
        let still = lang.t("（仍为示意）", " (stays schematic)");
        out.push_str(&format!("  - {}{still}\n", zone(z)));
    }
    out
}

/// The report as text, one block per layer (Chinese and English names, so both readers can
/// use it; schematic layers say so), labelled in `lang`.
pub fn to_text(
    catalog: &Catalog,
    problems: &[LayerProblems],
    with_features: bool,
    lang: Lang,
) -> String {
    let label = |zh: &'static str, en: &'static str| lang.t(zh, en);
    let mut out = String::new();
    for (li, l) in catalog.layers.iter().enumerate() {
        out.push_str(&format!(
            "{} / {}  [{}]\n",
            l.name_zh,
            l.name_en,
            l.role.key()
        ));
        out.push_str(&format!(
            "  {}{}\n",
            label("来源：  ", "source:   "),
            l.source
        ));
        out.push_str(&format!(
            "  {}{}\n",
            label("坐标系：", "CRS:      "),
            l.crs.in_lang(lang)
        ));
        out.push_str(&format!(
            "  {}{}\n",
            label("编码：  ", "encoding: "),
            l.encoding.in_lang(lang)
        ));
        let sc = l.schematic_count();
        let schematic = match (sc, lang) {
            (0, _) => String::new(),
            (_, Lang::Zh) => format!("（其中示意 {sc}）"),
            (_, Lang::En) => format!(" ({sc} schematic)"),
        };
        out.push_str(&format!(
            "  {}{}{schematic}\n",
            label("要素数：", "features: "),
            l.features.len(),
        ));
        if let Some(r) = l.extent() {
            out.push_str(&format!(
                "  {}{:.6}, {:.6} – {:.6}, {:.6}{}\n",
                label("范围：  ", "extent:   "),
                r.min().x,
                r.min().y,
                r.max().x,
                r.max().y,
                label("（经纬度）", " (lon/lat)"),
            ));
        }
        for p in problems.get(li).into_iter().flatten() {
            out.push_str(&format!(
                "  {}{}\n",
                label("问题：  ", "problem:  "),
                p.in_lang(lang)
            ));
        }
        if with_features {
            for fi in 0..l.features.len() {
                let r = FeatureRef {
                    layer: li,
                    feature: fi,
                };
                let (Some(f), Some(s)) = (catalog.feature(r), summarize(catalog, r)) else {
                    continue;
                };
                let tag = if f.is_schematic() {
                    label("［示意］", " [schematic]")
                } else {
                    ""
                };
                out.push_str(&format!("  - {}{tag}", f.display_name(fi)));
                if s.area_km2 > 0.0 {
                    out.push_str(&format!(": {:.4} km²", s.area_km2));
                }
                if let Some((lon, lat)) = s.centroid {
                    out.push_str(&format!(", centroid {lon:.6}, {lat:.6}"));
                }
                out.push('\n');
            }
        }
    }
    out
}

fn side_json(catalog: &Catalog, r: FeatureRef) -> Json {
    let layer = catalog.layers.get(r.layer);
    json!({
        "layer": layer.map(|l| l.name_zh.clone()),
        "role": layer.map(|l| crate::analysis::overlap::analysis_role(l)),
        "source": layer.map(|l| l.source.clone()),
        "feature": r.feature,
        "name": catalog.feature(r).map(|f| f.display_name(r.feature)),
        "schematic": catalog.feature(r).map(|f| f.is_schematic()),
    })
}

/// One finding as JSON.
fn finding_json(catalog: &Catalog, f: &crate::analysis::overlap::Finding) -> Json {
    use crate::analysis::measure::km2_to_mu;
    json!({
        "severity": f.severity.key(),
        "severity_zh": f.severity.zh(),
        "rule": f.rule.as_str(),
        "relation": &*f.relation,
        "a": side_json(catalog, f.a),
        "b": f.b.map(|b| side_json(catalog, b)),
        "area_m2": round(f.area_m2, 2),
        "area_km2": round(f.area_m2 / 1e6, 6),
        "area_mu": round(km2_to_mu(f.area_m2 / 1e6), 2),
    })
}

/// The parts of the findings' JSON after the list: counts, slivers and conformance.
fn findings_summary_json(
    catalog: &Catalog,
    findings: &crate::analysis::overlap::Findings,
) -> [(&'static str, Json); 3] {
    use crate::analysis::rules::Severity;
    [
        (
            "counts",
            json!({
                "error": findings.count(Severity::Error),
                "warning": findings.count(Severity::Warning),
                "info": findings.count(Severity::Info),
            }),
        ),
        ("dropped_slivers", json!(findings.dropped_slivers)),
        (
            "conformance",
            crate::analysis::conformance::all(catalog, findings).iter().map(|c| json!({
                "feature": side_json(catalog, c.feature),
                "mineral": c.mineral,
                "checks": c.checks.iter().map(|k| json!({"ok": k.ok, "text": k.text})).collect::<Vec<_>>(),
                "targets": c.targets,
            })).collect::<Vec<_>>().into(),
        ),
    ]
}

/// Findings as JSON: `{"findings": [...], "counts": {...}, "dropped_slivers": n,
/// "conformance": [...]}`.
pub fn findings_json(catalog: &Catalog, findings: &crate::analysis::overlap::Findings) -> Json {
    let mut o = Map::new();
    o.insert(
        "findings".into(),
        findings
            .findings
            .iter()
            .map(|f| finding_json(catalog, f))
            .collect::<Vec<_>>()
            .into(),
    );
    for (k, v) in findings_summary_json(catalog, findings) {
        o.insert(k.into(), v);
    }
    Json::Object(o)
}

/// [`findings_json`] written out one finding at a time (a county layer gives 400 000 findings:
/// the whole document as one value would take gigabytes). The same document, one finding per
/// line.
pub fn write_findings_json(
    w: &mut dyn std::io::Write,
    catalog: &Catalog,
    findings: &crate::analysis::overlap::Findings,
) -> std::io::Result<()> {
    write!(w, "{{\n  \"findings\": [")?;
    for (i, f) in findings.findings.iter().enumerate() {
        w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        serde_json::to_writer(&mut *w, &finding_json(catalog, f))?;
    }
    w.write_all(b"\n  ]")?;
    for (k, v) in findings_summary_json(catalog, findings) {
        write!(w, ",\n  \"{k}\": ")?;
        serde_json::to_writer(&mut *w, &v)?;
    }
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// A feature as findings name it: layer「name」, with ［示意］ for a schematic one.
pub fn feature_label(catalog: &Catalog, r: FeatureRef) -> String {
    let layer = catalog
        .layers
        .get(r.layer)
        .map(|l| l.name_zh.as_str())
        .unwrap_or("?");
    let f = catalog.feature(r);
    let tag = if f.is_some_and(|f| f.is_schematic()) {
        "［示意］"
    } else {
        ""
    };
    format!(
        "{layer}「{}」{tag}",
        f.map(|f| f.display_name(r.feature)).unwrap_or_default()
    )
}

/// Findings as text, errors first; schematic features are marked. The counts and headings are
/// worded in `lang`; each finding's own text (its relation, the conformance checks) is the
/// analysis's, in Chinese.
pub fn findings_text(
    catalog: &Catalog,
    findings: &crate::analysis::overlap::Findings,
    lang: Lang,
) -> String {
    use crate::analysis::measure::km2_to_mu;
    use crate::analysis::rules::Severity;
    let name = |r: FeatureRef| feature_label(catalog, r);
    let (e, w, i, s) = (
        findings.count(Severity::Error),
        findings.count(Severity::Warning),
        findings.count(Severity::Info),
        findings.dropped_slivers,
    );
    let mut out = crate::text!(
        "错误 {e}，警告 {w}，提示 {i}；忽略细小重叠 {s} 处\n",
        "{e} errors, {w} warnings, {i} information; {s} slivers ignored\n"
    )
    .in_lang(lang)
    .to_owned();
    for f in &findings.findings {
        let other = f.b.map(|b| format!(" ↔ {}", name(b))).unwrap_or_default();
        out.push_str(&format!(
            "[{}] {}：{}{other}，{:.2} m²（{:.6} km²，{:.2} 亩）\n",
            lang.t(f.severity.zh(), f.severity.key()),
            f.relation,
            name(f.a),
            f.area_m2,
            f.area_m2 / 1e6,
            km2_to_mu(f.area_m2 / 1e6)
        ));
    }
    for c in crate::analysis::conformance::all(catalog, findings) {
        out.push_str(&format!(
            "\n{}{}\n",
            lang.t("规划符合性：", "plan conformance: "),
            name(c.feature)
        ));
        for k in &c.checks {
            out.push_str(&format!("  {} {}\n", if k.ok { "√" } else { "×" }, k.text));
        }
        for t in &c.targets {
            out.push_str(&format!("  · {t}\n"));
        }
    }
    out
}

#[cfg(test)]
mod streamed_tests {
    use super::*;

    #[test]
    fn the_streamed_findings_json_is_the_same_document() {
        let catalog = Catalog::new(crate::plan::bundled::load_all().expect("bundled"));
        let findings = crate::analysis::overlap::analyze_catalog(
            &catalog,
            |_| true,
            &crate::analysis::rules::Rules::builtin(),
        );
        assert!(!findings.findings.is_empty());
        let mut out = Vec::new();
        write_findings_json(&mut out, &catalog, &findings).expect("written");
        let streamed: Json = serde_json::from_slice(&out).expect("valid JSON");
        assert_eq!(streamed, findings_json(&catalog, &findings));
    }
}
