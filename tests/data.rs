//! The bundled data: counts, the plan's words, areas, placement rules, the boundary, and that
//! `data/` is exactly what the generator makes from `data/sources/`.

use geo::{BooleanOps, BoundingRect, Contains, Geometry, MultiPolygon, Relate};
use taonan_map::analysis::measure::area_km2;
use taonan_map::model::{Layer, LayerRole, ProvenanceKind};
use taonan_map::plan::bundled;
use taonan_map::plan::datagen::{SourceTexts, generate};

fn layers() -> Vec<Layer> {
    bundled::load_all().expect("bundled layers load")
}

fn layer(role: LayerRole) -> Layer {
    layers()
        .into_iter()
        .find(|l| l.role == role)
        .expect("layer present")
}

fn text(l: &Layer, i: usize, code: &str) -> String {
    l.features[i]
        .attr(code)
        .map(|v| v.display())
        .unwrap_or_default()
}

fn boundary() -> MultiPolygon<f64> {
    match &layer(LayerRole::Boundary).features[0].geometry {
        Geometry::MultiPolygon(mp) => mp.clone(),
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        g => panic!("boundary is {g:?}"),
    }
}

fn as_mp(g: &Geometry<f64>) -> MultiPolygon<f64> {
    match g {
        Geometry::Polygon(p) => MultiPolygon(vec![p.clone()]),
        Geometry::MultiPolygon(m) => m.clone(),
        other => panic!("not a polygon: {other:?}"),
    }
}

#[test]
fn counts_per_layer() {
    let counts: Vec<(LayerRole, usize)> = layers()
        .iter()
        .map(|l| (l.role, l.features.len()))
        .collect();
    for (role, n) in [
        (LayerRole::Boundary, 1),
        (LayerRole::Neighbours, 8),
        (LayerRole::Townships, 18),
        (LayerRole::KeyZones, 3),
        (LayerRole::ConcentratedZones, 2),
        (LayerRole::ExplorationBlocks, 5),
        (LayerRole::MiningBlocks, 17),
    ] {
        assert!(
            counts.contains(&(role, n)),
            "{role:?} should have {n}: {counts:?}"
        );
    }
}

#[test]
fn attributes_are_the_plans_words() {
    let k = layer(LayerRole::KeyZones);
    assert_eq!(
        text(&k, 0, "GHQMC"),
        "吉林省白城市洮南市万宝乡一带煤炭重点开采区"
    );
    assert_eq!(
        text(&k, 1, "GHQMC"),
        "吉林省白城市洮南市万宝镇一带煤炭重点开采区"
    );
    assert_eq!(
        text(&k, 2, "GHQMC"),
        "吉林省白城市洮南市蛟流河乡煤炭重点开采区"
    );
    assert_eq!(text(&k, 2, "SZXZQ"), "蛟流河乡");
    assert_eq!(
        k.features[0].attr("GHQMJ"),
        Some(taonan_map::model::ValueRef::Number(8.2))
    );
    assert_eq!(text(&k, 0, "ZLBH"), "专栏4");

    let c = layer(LayerRole::ConcentratedZones);
    assert_eq!(text(&c, 0, "GHQBH"), "CS001");
    assert_eq!(text(&c, 0, "GHQMC"), "洮南市瓦房镇林海村建筑用砂集中开采区");
    assert_eq!(
        text(&c, 0, "SZXZQ"),
        "洮南市",
        "the plan's 所在行政区 for CS001 is 洮南市"
    );
    assert_eq!(text(&c, 1, "GHQMC"), "洮南市蛟流河乡建筑用砂集中开采区");
    assert_eq!(
        c.features[1].attr("GHQMJ"),
        Some(taonan_map::model::ValueRef::Number(29.617))
    );
    assert_eq!(text(&c, 1, "KCKZ"), "建筑用砂");
    assert_eq!(
        c.features[0].attr("YSCKQ"),
        Some(taonan_map::model::ValueRef::Number(1.0))
    );
    assert_eq!(
        c.features[1].attr("YSCKQ"),
        Some(taonan_map::model::ValueRef::Null),
        "blank in the plan"
    );
    assert_eq!(
        c.features[1].attr("NSCKQ"),
        Some(taonan_map::model::ValueRef::Number(5.0))
    );
    assert!(
        text(&c, 0, "BZ").contains("建筑用石料"),
        "the 石料/砂 inconsistency is noted"
    );

    let e = layer(LayerRole::ExplorationBlocks);
    let minerals: Vec<String> = (0..5).map(|i| text(&e, i, "KTKZ")).collect();
    assert_eq!(minerals, ["煤", "金", "金", "金", "铜"]);
    assert!((0..5).all(|i| text(&e, i, "KCCD") == "普查"));
    assert_eq!(text(&e, 1, "ZLXZQ"), "胡力吐蒙古族乡、万宝镇、野马乡");

    let m = layer(LayerRole::MiningBlocks);
    let level = |lvl: &str| (0..17).filter(|&i| text(&m, i, "GHJB") == lvl).count();
    assert_eq!((level("省级"), level("市级")), (2, 15));
    let datong: Vec<usize> = (0..17)
        .filter(|&i| text(&m, i, "SZXZQ") == "大通河乡")
        .collect();
    assert_eq!(datong.len(), 2, "the plan's spelling 大通河乡 is kept");
    assert!(text(&m, datong[0], "BZ").contains("大通乡"));
}

#[test]
fn every_plan_zone_is_schematic_and_says_so() {
    for l in layers() {
        for f in l.features.iter() {
            let expect = if l.role.is_plan_zone() {
                ProvenanceKind::Schematic
            } else {
                ProvenanceKind::Real
            };
            assert_eq!(f.provenance.kind, expect, "{:?}", l.role);
            assert!(!f.provenance.source.is_empty());
        }
    }
}

#[test]
fn areas_match_the_plan_within_half_a_percent() {
    let check = |role, expected: &[f64]| {
        let l = layer(role);
        for (f, want) in l.features.iter().zip(expected) {
            let a = area_km2(&f.geometry);
            assert!((a - want).abs() / want < 0.005, "{role:?}: {a} vs {want}");
        }
    };
    check(LayerRole::KeyZones, &[8.20, 10.02, 19.89]);
    check(LayerRole::ConcentratedZones, &[1.08, 29.617]);
    let e = layer(LayerRole::ExplorationBlocks);
    let total: f64 = e.features.iter().map(|f| area_km2(&f.geometry)).sum();
    assert!((total - 116.4).abs() / 116.4 < 0.005, "{total}");
}

#[test]
fn boundary_matches_the_plan() {
    let b = boundary();
    let a = area_km2(&Geometry::MultiPolygon(b.clone()));
    assert!((a - 5107.0).abs() / 5107.0 < 0.01, "area {a}");
    let r = b.bounding_rect().expect("extent");
    let arcmin = 1.0 / 60.0;
    let dm = |d: f64, m: f64| d + m / 60.0;
    for (got, want) in [
        (r.min().x, dm(121.0, 38.0)),
        (r.max().x, dm(123.0, 20.0)),
        (r.min().y, dm(45.0, 2.0)),
        (r.max().y, dm(46.0, 1.0)),
    ] {
        assert!((got - want).abs() <= arcmin, "{got} vs {want}");
    }
}

#[test]
fn plan_zones_lie_inside_the_boundary() {
    let b = boundary();
    for l in layers().iter().filter(|l| l.role.is_plan_zone()) {
        for (i, f) in l.features.iter().enumerate() {
            assert!(
                b.contains(&f.geometry),
                "{:?} #{i} {} leaves the boundary",
                l.role,
                f.display_name(i)
            );
        }
    }
}

#[test]
fn only_the_plans_nesting_overlaps() {
    let all: Vec<(String, String, MultiPolygon<f64>)> = layers()
        .iter()
        .filter(|l| l.role.is_plan_zone())
        .flat_map(|l| {
            l.features.iter().enumerate().map(move |(i, f)| {
                let id = f
                    .attr("GHQBH")
                    .and_then(|v| v.as_text())
                    .map(str::to_owned)
                    .unwrap_or_else(|| f.display_name(i));
                (format!("{:?}", l.role), id, as_mp(&f.geometry))
            })
        })
        .collect();
    let named = |needle: &str| {
        all.iter()
            .find(|(_, id, _)| id.contains(needle))
            .map(|x| x.2.clone())
            .expect(needle)
    };
    // Nesting the plan implies.
    let z2 = named("万宝镇一带煤炭");
    let z3 = named("蛟流河乡煤炭");
    let cs002 = named("CS002");
    assert!(z2.contains(&named("煤开采规划区块（万宝镇）")));
    assert!(z3.contains(&named("煤开采规划区块（蛟流河乡）")));
    assert!(cs002.contains(&named("建筑用砂开采规划区块1（蛟流河乡）")));
    assert!(cs002.contains(&named("建筑用砂开采规划区块2（蛟流河乡）")));
    let allowed = |a: &str, b: &str| {
        let pair =
            |x: &str, y: &str| (a.contains(x) && b.contains(y)) || (a.contains(y) && b.contains(x));
        pair("万宝镇一带煤炭", "煤开采规划区块（万宝镇）")
            || pair("蛟流河乡煤炭", "煤开采规划区块（蛟流河乡）")
            || pair("CS002", "建筑用砂开采规划区块1（蛟流河乡）")
            || pair("CS002", "建筑用砂开采规划区块2（蛟流河乡）")
    };
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            if allowed(&a.1, &b.1) {
                continue;
            }
            let overlap = area_km2(&Geometry::MultiPolygon(a.2.intersection(&b.2)));
            assert!(
                overlap < 1e-9 && !a.2.relate(&b.2).is_overlaps(),
                "{} overlaps {}",
                a.1,
                b.1
            );
        }
    }
}

#[test]
fn zones_sit_in_their_own_township() {
    let catalog = taonan_map::model::catalog::Catalog::new(layers());
    for l in catalog.layers.iter().filter(|l| l.role.is_plan_zone()) {
        for (i, f) in l.features.iter().enumerate() {
            let (lon, lat) =
                taonan_map::analysis::measure::centroid(&f.geometry).expect("centroid");
            let (seat, _) = catalog.nearest_seat(lon, lat).expect("a seat");
            let town = f.attr("SZXZQ").map(|v| v.display()).unwrap_or_default();
            let want = match town.as_str() {
                "洮南市" => "瓦房镇".to_owned(), // CS001, 林海村 of 瓦房镇
                "大通河乡" => "大通乡".to_owned(),
                t => t.to_owned(),
            };
            assert!(
                seat.starts_with(&want),
                "{} is nearest {seat}, not {want}",
                f.display_name(i)
            );
        }
    }
}

#[test]
fn data_folder_is_reproducible_byte_for_byte() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let src = SourceTexts::read(&root.join("data").join("sources")).expect("sources");
    for g in generate(&src).expect("generate") {
        let read = |ext: &str| {
            std::fs::read(root.join("data").join(format!("{}.{ext}", g.stem))).expect(ext)
        };
        assert!(
            read("shp") == g.set.shp,
            "{}.shp differs: run `cargo run --bin gen-data`",
            g.stem
        );
        assert!(Some(read("shx")) == g.set.shx, "{}.shx differs", g.stem);
        assert!(read("dbf") == g.set.dbf, "{}.dbf differs", g.stem);
        assert_eq!(
            Some(String::from_utf8(read("prj")).expect("utf8")),
            g.set.prj
        );
        assert_eq!(
            Some(String::from_utf8(read("cpg")).expect("utf8")),
            g.set.cpg
        );
    }
}
