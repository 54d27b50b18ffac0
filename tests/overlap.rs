//! Overlap analysis on hand-made geometries whose intersections are known exactly, each rule,
//! the tolerance, the bundled data, and `taonan-map check`.

use geo::{Geometry, LineString, MultiPolygon, Polygon, Rect};
use taonan_map::analysis::measure::area_km2;
use taonan_map::analysis::overlap::{Findings, analyze_catalog, square};
use taonan_map::analysis::rules::{Rules, Severity};
use taonan_map::model::catalog::Catalog;
use taonan_map::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};

const D: f64 = 0.01; // square side in degrees (≈ 0.78 km × 1.11 km at 45° N)
const X0: f64 = 122.3;
const Y0: f64 = 45.5;

fn feature(g: impl Into<Geometry<f64>>, mineral: &str) -> Feature {
    Feature {
        attributes: vec![("KCKZ".into(), Value::Text(mineral.into()))].into(),
        geometry: g.into(),
        provenance: Provenance {
            kind: ProvenanceKind::Surveyed,
            source: "test".into(),
        },
    }
}

fn layer(role: LayerRole, name: &str, features: Vec<Feature>) -> Layer {
    Layer {
        name_zh: name.into(),
        name_en: name.into(),
        role,
        source: format!("{name}.shp"),
        crs: taonan_map::text::Text::same("EPSG:4490"),
        encoding: taonan_map::text::Text::same("UTF-8"),
        features: features.into(),
        analysis_role: None,
    }
}

fn rect_area_m2(x0: f64, y0: f64, x1: f64, y1: f64) -> f64 {
    area_km2(&Rect::new((x0, y0), (x1, y1)).to_polygon().into()) * 1e6
}

fn run(layers: Vec<Layer>) -> Findings {
    analyze_catalog(&Catalog::new(layers), |_| true, &Rules::builtin())
}

fn sq(dx: f64, dy: f64) -> Polygon<f64> {
    square(X0 + dx, Y0 + dy, D)
}

#[test]
fn offset_squares_overlap_by_the_known_area() {
    let f = run(vec![layer(
        LayerRole::MiningBlocks,
        "m",
        vec![
            feature(sq(0.0, 0.0), "煤"),
            feature(sq(0.4 * D, 0.25 * D), "煤"),
        ],
    )]);
    assert_eq!(f.findings.len(), 1);
    let x = &f.findings[0];
    assert_eq!(
        (x.severity, x.rule.as_str()),
        (Severity::Error, "same_layer")
    );
    let want = rect_area_m2(X0 + 0.4 * D, Y0 + 0.25 * D, X0 + D, Y0 + D);
    assert!((x.area_m2 - want).abs() < 0.01, "{} vs {want}", x.area_m2);
}

#[test]
fn touching_edges_and_corners_do_not_count() {
    let f = run(vec![layer(
        LayerRole::MiningBlocks,
        "m",
        vec![
            feature(sq(0.0, 0.0), "煤"),
            feature(sq(D, 0.0), "煤"),
            feature(sq(D, D), "煤"),
        ],
    )]);
    assert!(f.findings.is_empty(), "{:?}", f.findings);
    assert_eq!(f.dropped_slivers, 0);
}

#[test]
fn a_hole_is_not_overlap() {
    // A square with a hole in its middle third; B fills the hole and half of it pokes out east.
    let outer = sq(0.0, 0.0);
    let hole = LineString::from(vec![
        (X0 + D / 3.0, Y0 + D / 3.0),
        (X0 + 2.0 * D / 3.0, Y0 + D / 3.0),
        (X0 + 2.0 * D / 3.0, Y0 + 2.0 * D / 3.0),
        (X0 + D / 3.0, Y0 + 2.0 * D / 3.0),
        (X0 + D / 3.0, Y0 + D / 3.0),
    ]);
    let with_hole = Polygon::new(outer.exterior().clone(), vec![hole]);
    let inside_hole = square(X0 + D / 3.0, Y0 + D / 3.0, D / 3.0);
    let f = run(vec![layer(
        LayerRole::MiningBlocks,
        "m",
        vec![feature(with_hole.clone(), "煤"), feature(inside_hole, "煤")],
    )]);
    assert!(
        f.findings.is_empty(),
        "a block filling the hole does not overlap: {:?}",
        f.findings
    );

    let poking = Rect::new((X0 + D / 3.0, Y0 + D / 3.0), (X0 + D, Y0 + 2.0 * D / 3.0)).to_polygon();
    let f = run(vec![layer(
        LayerRole::MiningBlocks,
        "m",
        vec![feature(with_hole, "煤"), feature(poking, "煤")],
    )]);
    let want = rect_area_m2(X0 + 2.0 * D / 3.0, Y0 + D / 3.0, X0 + D, Y0 + 2.0 * D / 3.0);
    assert_eq!(f.findings.len(), 1);
    assert!(
        (f.findings[0].area_m2 - want).abs() < 0.01,
        "{} vs {want}",
        f.findings[0].area_m2
    );
}

#[test]
fn multipolygons_sum_their_parts() {
    let two_parts = MultiPolygon(vec![sq(0.0, 0.0), sq(2.0 * D, 0.0)]);
    let bridge = Rect::new((X0 + 0.5 * D, Y0), (X0 + 2.5 * D, Y0 + 0.5 * D)).to_polygon();
    let f = run(vec![layer(
        LayerRole::ExplorationBlocks,
        "e",
        vec![feature(two_parts, "金"), feature(bridge, "金")],
    )]);
    let want = rect_area_m2(X0 + 0.5 * D, Y0, X0 + D, Y0 + 0.5 * D)
        + rect_area_m2(X0 + 2.0 * D, Y0, X0 + 2.5 * D, Y0 + 0.5 * D);
    assert_eq!(f.findings.len(), 1);
    assert!((f.findings[0].area_m2 - want).abs() < 0.01);
}

#[test]
fn containment_is_information_and_a_mineral_mismatch_a_warning() {
    let zone = layer(
        LayerRole::KeyZones,
        "k",
        vec![feature(square(X0, Y0, 3.0 * D), "煤")],
    );
    let blocks = layer(
        LayerRole::MiningBlocks,
        "m",
        vec![
            feature(sq(D, D), "煤"),                       // inside, same mineral
            feature(sq(0.2 * D, 0.2 * D), "建筑用凝灰岩"), // inside, other mineral
            feature(sq(2.5 * D, D), "煤"),                 // crosses the zone's edge
        ],
    );
    let f = run(vec![zone, blocks]);
    let rules: Vec<(&str, Severity)> = f
        .findings
        .iter()
        .map(|x| (x.rule.as_str(), x.severity))
        .collect();
    assert!(
        rules.contains(&("containment", Severity::Info)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("containment_mismatch", Severity::Warning)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("containment_crossing", Severity::Warning)),
        "{rules:?}"
    );
    let mismatch = f
        .findings
        .iter()
        .find(|x| x.rule == "containment_mismatch")
        .expect("mismatch");
    assert!(
        mismatch.relation.contains("建筑用凝灰岩 / 煤"),
        "{}",
        mismatch.relation
    );
}

#[test]
fn cross_layer_conflict_follows_the_rule_table() {
    let e = layer(
        LayerRole::ExplorationBlocks,
        "e",
        vec![feature(sq(0.0, 0.0), "金")],
    );
    let m = layer(
        LayerRole::MiningBlocks,
        "m",
        vec![feature(sq(0.5 * D, 0.0), "煤")],
    );
    let f = run(vec![e, m]);
    assert_eq!(f.findings.len(), 1);
    assert_eq!(
        (f.findings[0].rule.as_str(), f.findings[0].severity),
        ("conflict", Severity::Warning)
    );
    assert_eq!(&*f.findings[0].relation, "勘查规划区块与开采规划区块重叠");
}

#[test]
fn slivers_below_the_tolerance_are_dropped_and_counted() {
    // Overlap of 1e-6° × D: about 0.08 m × 1.1 km ≈ 87 m² … shrink to ≈ 0.9 m².
    let a = sq(0.0, 0.0);
    let b = square(X0 + D - 1e-7, Y0 + D - 1e-7 * 100.0, D);
    let f = run(vec![layer(
        LayerRole::MiningBlocks,
        "m",
        vec![feature(a, "煤"), feature(b, "煤")],
    )]);
    assert!(
        f.findings.is_empty(),
        "{:?}",
        f.findings.iter().map(|x| x.area_m2).collect::<Vec<_>>()
    );
    assert_eq!(f.dropped_slivers, 1);
}

#[test]
fn surveyed_rights_get_their_role_from_the_layer_name() {
    let rights = layer(
        LayerRole::Loaded,
        "采矿权",
        vec![
            feature(sq(0.0, 0.0), "煤"),
            feature(sq(0.5 * D, 0.5 * D), "煤"),
        ],
    );
    let f = run(vec![rights]);
    assert_eq!(f.findings.len(), 1);
    assert_eq!(&*f.findings[0].relation, "两个采矿权相互重叠");
    assert_eq!(f.findings[0].severity, Severity::Error);
}

#[test]
fn the_user_can_say_what_a_layer_is() {
    let two = || {
        vec![
            feature(sq(0.0, 0.0), "煤"),
            feature(sq(0.5 * D, 0.5 * D), "煤"),
        ]
    };
    let f = run(vec![layer(LayerRole::Loaded, "申请", two())]);
    assert_eq!(&*f.findings[0].relation, "同一图层两个要素相互重叠");
    assert_eq!(f.findings[0].severity, Severity::Warning);
    let mut l = layer(LayerRole::Loaded, "申请", two());
    l.analysis_role = Some("surveyed_exploration_right".into());
    let f = run(vec![l]);
    assert_eq!(&*f.findings[0].relation, "两个探矿权相互重叠");
    assert_eq!(f.findings[0].severity, Severity::Error);
}

#[test]
fn bundled_data_reports_only_the_plans_nesting() {
    let layers = taonan_map::plan::bundled::load_all().expect("bundled");
    let f = analyze_catalog(&Catalog::new(layers), |_| true, &Rules::builtin());
    let counts = (
        f.count(Severity::Error),
        f.count(Severity::Warning),
        f.count(Severity::Info),
    );
    assert_eq!(
        counts,
        (0, 0, 4),
        "{:?}",
        f.findings.iter().map(|x| &x.relation).collect::<Vec<_>>()
    );
    assert!(f.findings.iter().all(|x| x.rule == "containment"));
}

#[test]
fn leaving_the_boundary_is_reported_with_the_area_outside() {
    let mut layers = taonan_map::plan::bundled::load_all().expect("bundled");
    // A block straddling the boundary's western edge near 121.64 E, 45.77 N … use the boundary's
    // own westernmost vertex as the anchor and hang a square half outside.
    let b = taonan_map::analysis::overlap::boundary_of(&Catalog::new(layers.clone()))
        .expect("boundary");
    let west =
        b.0.iter()
            .flat_map(|p| p.exterior().0.iter())
            .min_by(|a, c| a.x.total_cmp(&c.x))
            .copied()
            .expect("vertex");
    let straddle = square(west.x - D / 2.0, west.y - D / 2.0, D);
    let outside = square(120.0, 45.0, D);
    layers.push(layer(
        LayerRole::Loaded,
        "采矿权",
        vec![feature(straddle, "煤"), feature(outside.clone(), "煤")],
    ));
    let f = analyze_catalog(&Catalog::new(layers), |_| true, &Rules::builtin());
    let boundary: Vec<_> = f.findings.iter().filter(|x| x.rule == "boundary").collect();
    assert_eq!(boundary.len(), 2);
    let far = boundary
        .iter()
        .find(|x| &*x.relation == "位于洮南市界外")
        .expect("wholly outside");
    let want = area_km2(&outside.into()) * 1e6;
    // Boolean ops snap to an integer grid over both operands' extent: 1e-7 relative here.
    assert!(
        (far.area_m2 - want).abs() < 1e-7 * want,
        "{} vs {want}",
        far.area_m2
    );
    let part = boundary
        .iter()
        .find(|x| &*x.relation == "超出洮南市界")
        .expect("crossing");
    assert!(part.area_m2 > 0.0 && part.area_m2 < want);
}

/// The boundary rule as it was before it had a prepared boundary: `covers` against the whole
/// boundary, else `difference` against it; the findings (feature, relation, area) and the
/// slivers it gives.
fn boundary_rule_oracle(
    catalog: &Catalog,
    b: &MultiPolygon<f64>,
    rules: &Rules,
) -> (Vec<(usize, usize, String, f64)>, usize) {
    use geo::{BooleanOps, Relate};
    use taonan_map::analysis::measure::area_m2;
    use taonan_map::analysis::overlap::{analysis_role, as_multipolygon};
    let tol = rules.tolerance;
    let (mut found, mut slivers) = (Vec::new(), 0);
    for (li, l) in catalog.layers.iter().enumerate() {
        if matches!(
            l.role,
            LayerRole::Boundary | LayerRole::Neighbours | LayerRole::Townships
        ) || !rules.boundary.roles.contains(&analysis_role(l))
        {
            continue;
        }
        for (fi, f) in l.features.iter().enumerate() {
            let Some(s) = as_multipolygon(&f.geometry) else {
                continue;
            };
            if b.relate(&s).is_covers() {
                continue;
            }
            let area = area_m2(&s.difference(b));
            let own = area_m2(&s);
            if area < tol.min_area_m2 || area < tol.min_share * own {
                slivers += usize::from(area > 0.0);
                continue;
            }
            let relation = if own - area <= tol.min_area_m2 {
                "位于洮南市界外"
            } else {
                "超出洮南市界"
            };
            found.push((li, fi, relation.to_owned(), area));
        }
    }
    (found, slivers)
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario, its steps and checks in order"
)]
fn the_boundary_rule_gives_what_covers_and_difference_against_the_whole_boundary_give() {
    let mut layers = taonan_map::plan::bundled::load_all().expect("bundled");
    let b = taonan_map::analysis::overlap::boundary_of(&Catalog::new(layers.clone()))
        .expect("boundary");
    let r = geo::BoundingRect::bounding_rect(&b).expect("extent");
    let vertices: Vec<_> = b.0.iter().flat_map(|p| p.exterior().0.clone()).collect();
    // xorshift64*: deterministic shapes, no crate needed.
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut rnd = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut features = Vec::new();
    for k in 0..300 {
        // Sides of 50 m to 3 km, and every tenth about 1 m (a sliver wherever it sticks out).
        let side = if k % 10 == 9 {
            1e-5
        } else {
            0.0005 + 0.03 * rnd() * rnd()
        };
        let (x, y) = if k % 2 == 0 {
            let v = vertices[(rnd() * vertices.len() as f64) as usize % vertices.len()];
            (v.x - side * rnd(), v.y - side * rnd())
        } else {
            (
                r.min().x - 0.1 + (r.width() + 0.2) * rnd(),
                r.min().y - 0.1 + (r.height() + 0.2) * rnd(),
            )
        };
        let g: Geometry<f64> = if k % 3 == 0 {
            let hole = square(x + 0.3 * side, y + 0.3 * side, 0.4 * side);
            MultiPolygon(vec![
                Polygon::new(
                    square(x, y, side).exterior().clone(),
                    vec![hole.exterior().clone()],
                ),
                square(x + 1.5 * side, y, 0.5 * side),
            ])
            .into()
        } else {
            square(x, y, side).into()
        };
        features.push(feature(g, "建筑用砂"));
    }
    layers.push(layer(LayerRole::Loaded, "random", features));
    let catalog = Catalog::new(layers);
    let rules = Rules::builtin();
    let subjects = taonan_map::analysis::overlap::subjects(&catalog, |_| true);
    let with = taonan_map::analysis::overlap::analyze(&subjects, Some(&b), &rules);
    let without = taonan_map::analysis::overlap::analyze(&subjects, None, &rules);
    let (want, want_slivers) = boundary_rule_oracle(&catalog, &b, &rules);
    let mut got: Vec<_> = with
        .findings
        .iter()
        .filter(|f| f.rule == "boundary")
        .map(|f| (f.a.layer, f.a.feature, f.relation.clone(), f.area_m2))
        .collect();
    got.sort_by_key(|g| (g.0, g.1));
    let wholly = want.iter().filter(|w| w.2 == "位于洮南市界外").count();
    assert!(
        wholly > 50 && want.len() - wholly > 50 && want_slivers > 5,
        "a weak test: {} findings, {wholly} wholly outside, {want_slivers} slivers",
        want.len()
    );
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1, &*g.2), (w.0, w.1, w.2.as_str()));
        // Crossing: the same difference on the same grid. Wholly outside: the feature's own
        // area, where the difference snapped its vertices to a 2⁻²⁹° grid (≤ 1e-4 here).
        let rel = if &*g.2 == "位于洮南市界外" {
            1e-4
        } else {
            1e-9
        };
        assert!(
            (g.3 - w.3).abs() <= rel * w.3,
            "feature {} {}: {} vs {}",
            g.1,
            g.2,
            g.3,
            w.3
        );
    }
    assert_eq!(with.dropped_slivers - without.dropped_slivers, want_slivers);
}

#[test]
fn a_feature_wholly_outside_is_its_own_finding_shape_without_a_copy() {
    let mut layers = taonan_map::plan::bundled::load_all().expect("bundled");
    // Far west of 洮南市 (wholly outside), and straddling nothing.
    let outside = square(120.0, 45.0, D);
    layers.push(layer(
        LayerRole::Loaded,
        "申请",
        vec![feature(outside.clone(), "萤石")],
    ));
    let catalog = Catalog::new(layers);
    let li = catalog.layers.len() - 1;
    let found = analyze_catalog(&catalog, |_| true, &Rules::builtin());
    let f = found
        .findings
        .iter()
        .find(|f| f.rule == "boundary" && f.a.layer == li)
        .expect("a boundary finding");
    assert_eq!(&*f.relation, "位于洮南市界外");
    assert!(f.geometry.is_none(), "no copy of the feature is kept");
    assert_eq!(f.shape(&catalog).as_ref(), &MultiPolygon(vec![outside]));
    let own = area_km2(&catalog.layers[li].features[0].geometry) * 1e6;
    assert!((f.area_m2 - own).abs() < 1e-6 * own);
}

#[test]
fn a_features_findings_are_found_by_the_index_as_by_a_walk() {
    let mut layers = taonan_map::plan::bundled::load_all().expect("bundled");
    // A row of overlapping squares across the city boundary, each overlapping the next.
    let squares: Vec<Feature> = (0..40)
        .map(|i| feature(square(121.9 + f64::from(i) * 0.008, 45.5, D), "萤石"))
        .collect();
    layers.push(layer(LayerRole::Loaded, "采矿权", squares));
    let catalog = Catalog::new(layers);
    let found = analyze_catalog(&catalog, |_| true, &Rules::builtin());
    assert!(found.findings.iter().any(|f| f.b.is_some()));
    for (li, l) in catalog.layers.iter().enumerate() {
        for fi in 0..l.features.len() {
            let r = taonan_map::model::catalog::FeatureRef {
                layer: li,
                feature: fi,
            };
            let walked: Vec<usize> = found
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.a == r || f.b == Some(r))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(found.indices_of(r), walked, "{r:?}");
        }
    }
}
