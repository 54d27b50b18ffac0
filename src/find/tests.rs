//! The search over the bundled plan layers: Chinese, pinyin initials and full pinyin, codes,
//! ranking and grouping; and the cost of a query over a 500 000-feature layer.

use super::*;
use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind, Value};

fn bundled() -> Vec<(usize, LayerSearch, Layer)> {
    crate::plan::bundled::load_all()
        .expect("bundled layers")
        .into_iter()
        .enumerate()
        .map(|(i, l)| (i, LayerSearch::build(&l), l))
        .collect()
}

fn find(layers: &[(usize, LayerSearch, Layer)], q: &str) -> Vec<(LayerRole, String, Hit)> {
    let refs: Vec<(usize, &LayerSearch)> = layers.iter().map(|(i, s, _)| (*i, s)).collect();
    search(&refs, q, 20)
        .into_iter()
        .flat_map(|g| {
            let layer = &layers[g.layer].2;
            g.hits.into_iter().map(move |h| {
                (
                    layer.role,
                    layer.features[h.feature].display_name(h.feature),
                    h,
                )
            })
        })
        .collect()
}

#[test]
fn a_township_is_found_by_chinese_initials_and_full_pinyin() {
    let layers = bundled();
    for q in ["蛟流河乡", "jlh", "jlhx", "jiaoliu", "JiaoLiuHe"] {
        let hits = find(&layers, q);
        let (role, name, h) = hits.first().unwrap_or_else(|| panic!("{q}: nothing"));
        assert_eq!(
            (*role, name.as_str()),
            (LayerRole::Townships, "蛟流河乡"),
            "{q}: {hits:?}"
        );
        assert!(h.name_field, "{q}");
    }
    // Exact beats substring: the seat first, then the zones whose names hold 蛟流河乡.
    let hits = find(&layers, "蛟流河乡");
    assert_eq!(hits[0].2.kind, index::MatchKind::Exact);
    assert!(
        hits.iter()
            .any(|(r, n, _)| *r == LayerRole::KeyZones && n.contains("蛟流河乡煤炭")),
        "{hits:?}"
    );
    let zone = hits
        .iter()
        .position(|(r, _, _)| *r == LayerRole::KeyZones)
        .expect("zone");
    assert!(zone > 0);
}

#[test]
fn a_zone_is_found_by_its_code_and_mineral() {
    let layers = bundled();
    let hits = find(&layers, "CS002");
    let (role, name, h) = hits.first().expect("CS002");
    assert_eq!(*role, LayerRole::ConcentratedZones);
    assert!(name.contains("蛟流河乡建筑用砂"), "{name}");
    assert_eq!(h.kind, index::MatchKind::Exact);
    // Lower case and full-width forms too.
    assert_eq!(
        find(&layers, "ｃｓ００２").first().map(|h| &h.1),
        Some(name)
    );
    // A mineral: every coal key zone.
    let coal = find(&layers, "煤");
    let key_zones = coal
        .iter()
        .filter(|(r, _, _)| *r == LayerRole::KeyZones)
        .count();
    assert_eq!(key_zones, 3, "{coal:?}");
}

#[test]
fn nothing_is_found_for_nonsense_and_layers_without_hits_are_left_out() {
    let layers = bundled();
    assert!(find(&layers, "qqqqzz").is_empty());
    assert!(find(&layers, "").is_empty());
    let refs: Vec<(usize, &LayerSearch)> = layers.iter().map(|(i, s, _)| (*i, s)).collect();
    let groups = search(&refs, "蛟流河乡", 20);
    assert!(groups.iter().all(|g| !g.hits.is_empty()));
    // Grouped: each layer once.
    let mut seen: Vec<usize> = groups.iter().map(|g| g.layer).collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), groups.len());
}

/// A parcel layer the size of a county's (500 000 features, a unique code, a name from 2 000,
/// a land-use class from 12): the index is built once (on a worker in the window); a
/// keystroke's query is timed and printed. The window runs queries on its own worker thread
/// too, so neither blocks a frame (`gui::jobs::find`'s test checks that on 500 000 features);
/// the numbers are for the README. Ignored by default: it loads the shared test machine.
#[test]
#[ignore = "numbers for the README (10 s in a debug build): cargo test --lib find::tests::a_500k -- --ignored --nocapture"]
fn a_500k_feature_layer_is_indexed_and_queried() {
    let n = 500_000usize;
    let classes = [
        "旱地",
        "水田",
        "林地",
        "草地",
        "村庄",
        "采矿用地",
        "河流水面",
        "坑塘水面",
        "公路用地",
        "农村道路",
        "裸土地",
        "设施农用地",
    ];
    let towns = ["蛟流河乡", "万宝镇", "瓦房镇", "那金镇", "福顺镇"];
    let features: Vec<Feature> = (0..n)
        .map(|i| Feature {
            attributes: vec![
                ("BSM".into(), Value::Text(format!("2208{i:08}"))),
                (
                    "DKMC".into(),
                    Value::Text(format!("{}{}号地块", towns[i % 5], i % 2000)),
                ),
                ("DLMC".into(), Value::Text(classes[i % 12].into())),
            ]
            .into(),
            geometry: geo::Geometry::Point(geo::Point::new(122.0, 45.0)),
            provenance: Provenance {
                kind: ProvenanceKind::Surveyed,
                source: "test".into(),
            },
        })
        .collect();
    let layer = layer_of(features);
    let t = std::time::Instant::now();
    let s = LayerSearch::build(&layer);
    let build = t.elapsed();
    assert_eq!(s.term_count(), n + 2_000 + 12);
    let mut worst = std::time::Duration::ZERO;
    for q in ["2208001", "jlh", "蛟流河乡1995号", "采矿"] {
        let t = std::time::Instant::now();
        let hits = s.query(q, 50);
        worst = worst.max(t.elapsed());
        assert!(!hits.is_empty(), "{q}");
    }
    let exact = s.query("220800123456", 50);
    assert_eq!(exact.first().map(|h| h.feature), Some(123_456));
    eprintln!(
        "find: 500 000 features, {} values: index built in {build:.2?}, slowest query {worst:.2?} \
         (debug build unless run with --release)",
        s.term_count()
    );
}

/// A layer of `n` features with a distinct code each (as many values to look through).
fn coded_layer(n: usize) -> Layer {
    let features: Vec<Feature> = (0..n)
        .map(|i| Feature {
            attributes: vec![("BSM".into(), Value::Text(format!("2208{i:08}")))].into(),
            geometry: geo::Geometry::Point(geo::Point::new(122.0, 45.0)),
            provenance: Provenance {
                kind: ProvenanceKind::Surveyed,
                source: "test".into(),
            },
        })
        .collect();
    layer_of(features)
}

/// A loaded layer of these features.
fn layer_of(features: Vec<Feature>) -> Layer {
    Layer {
        name_zh: "地块".into(),
        name_en: "parcels".into(),
        role: LayerRole::Loaded,
        source: "test".into(),
        crs: Default::default(),
        encoding: Default::default(),
        features: std::sync::Arc::new(features),
        analysis_role: None,
    }
}

/// A stopped query gives up at its first check, without looking through the values or
/// ranking the hits; the same query not stopped answers.
#[test]
fn a_stopped_query_returns_early_with_nothing() {
    use std::sync::atomic::AtomicBool;
    use std::time::Instant;
    let s = LayerSearch::build(&coded_layer(200_000));
    let refs = [(0usize, &s)];
    let go = AtomicBool::new(false);
    // Every value matches "2208": the most work a query can do.
    let t = Instant::now();
    let full = search_until(&refs, "2208", 20, &go).expect("not stopped");
    let whole = t.elapsed();
    assert_eq!(full.first().map(|g| g.hits.len()), Some(20));
    let stop = AtomicBool::new(true);
    let t = Instant::now();
    assert_eq!(s.query_until("2208", 20, &stop), None);
    assert_eq!(search_until(&refs, "2208", 20, &stop), None);
    let stopped = t.elapsed();
    eprintln!("query over 200 000 values: {whole:.2?} in full, {stopped:.2?} when stopped");
    assert!(stopped * 10 < whole, "{stopped:?} vs {whole:?}");
}
