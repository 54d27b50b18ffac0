use super::*;

/// Every projected entry of DEFS agrees with PROJ: the central meridian maps to the false
/// easting, from the datum's own geographic CRS.
#[test]
fn defs_agree_with_proj() {
    for (epsg, datum, kind) in DEFS {
        assert!(is_choice(*epsg), "{epsg}");
        let Kind::Gk { cm, fe, .. } = kind else {
            continue;
        };
        let geog = format!("EPSG:{}", geographic_code(*datum));
        let p = crate::crs::transform(&geog, &format!("EPSG:{epsg}")).expect("PROJ");
        let (e, n) = p.convert((*cm, 45.0)).expect("convert");
        assert!((e - fe).abs() < 1e-3, "EPSG:{epsg}: {e} vs {fe}");
        assert!(
            (n - 4_983_000.0).abs() < 5_000.0,
            "EPSG:{epsg}: northing {n}"
        );
        let (e1, _) = p.convert((*cm + 1.0, 45.0)).expect("convert");
        assert!(e1 > fe + 70_000.0, "EPSG:{epsg}: easting grows eastwards");
    }
    assert_eq!(CHOICES.len(), DEFS.len());
}

#[test]
fn infer_rules() {
    // Degrees around the city seat.
    let g = infer([[122.77, 45.33], [122.5, 45.1], [123.1, 45.9]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4490), false), "{:?}", g.reason);
    // Zone 41 with prefix: x = easting 41 481 600, y = northing 5 021 800.
    let g = infer([[41_481_600.0, 5_021_800.0], [41_400_000.0, 4_990_000.0]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4529), false), "{:?}", g.reason);
    let (zh, en) = (g.reason.in_lang(Lang::Zh), g.reason.in_lang(Lang::En));
    assert!(en.contains("4529") && en.contains("Xian"), "{en}");
    assert!(
        zh.contains("4529") && zh.contains("西安80") && !zh.contains("Xian"),
        "{zh}"
    );
    // No prefix.
    let g = infer([[481_600.0, 5_021_800.0], [400_000.0, 5_090_000.0]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4550), false), "{:?}", g.reason);
    // 6° zone 21 prefix.
    let g = infer([[21_481_600.0, 5_021_800.0]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4499), false), "{:?}", g.reason);
    // Neighbouring 3° zone 42.
    let g = infer([[42_300_000.0, 5_021_800.0]].into_iter());
    assert_eq!(g.epsg, Some(4530), "{:?}", g.reason);
    // Zone 39 (not a Taonan zone): no guess, but the reason names it.
    let g = infer([[39_500_000.0, 4_400_000.0]].into_iter());
    assert_eq!(g.epsg, None);
    assert!(g.reason.in_lang(Lang::En).contains("39"), "{:?}", g.reason);
    assert!(
        g.reason.in_lang(Lang::Zh).contains("3度带第39带"),
        "{:?}",
        g.reason
    );
}

#[test]
fn infer_swapped() {
    // Northing stored as x, prefixed easting as y.
    let g = infer([[5_021_800.0, 41_481_600.0], [4_990_000.0, 41_400_000.0]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4529), true), "{:?}", g.reason);
    // Northing as x, 6-digit easting as y.
    let g = infer([[5_021_800.0, 481_600.0]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4550), true), "{:?}", g.reason);
    // Latitude / longitude swapped.
    let g = infer([[45.33, 122.77], [45.9, 123.1]].into_iter());
    assert_eq!((g.epsg, g.swapped), (Some(4490), true), "{:?}", g.reason);
}

#[test]
fn infer_garbage_and_outliers() {
    let g = infer((0..100).map(|i| [1e3 + i as f64 * 10.0, 2e3 - i as f64]));
    assert_eq!(g.epsg, None, "{:?}", g.reason);
    assert!(!g.swapped);
    // A one-parcel list whose eastings lost their zone prefix: no CRS, the reason says why.
    let g = infer([[47_390.25, 5_042_250.75], [47_900.0, 5_043_400.12]].into_iter());
    assert_eq!(g.epsg, None);
    assert!(
        g.reason.in_lang(Lang::En).ends_with(
            "pick the CRS by hand; the eastings have too few digits: a missing zone prefix \
             (41457390.25 typed as 47390.25) or a dropped digit?"
        ),
        "{:?}",
        g.reason
    );
    assert!(
        g.reason.in_lang(Lang::Zh).ends_with(
            "请手动选择坐标系；东坐标位数太少，可能缺少带号前缀（如 41457390.25 写成 \
             47390.25）或漏了数字"
        ),
        "{:?}",
        g.reason
    );
    // Swapped and with a digit lost: named too.
    let g = infer([[5_042_250.75, 4_157_390.25]].into_iter());
    assert!(
        g.reason
            .in_lang(Lang::En)
            .contains("a dropped digit (41457390.25 typed as 4157390.25)?")
    );
    let g = infer(std::iter::empty());
    assert_eq!(g.epsg, None);
    let g = infer([[f64::NAN, 1.0], [f64::INFINITY, 2.0]].into_iter());
    assert_eq!(g.epsg, None);
    // A NaN and a stray (0, 0) do not spoil a zone-41 layer.
    let g = infer(
        [
            [41_481_600.0, 5_021_800.0],
            [f64::NAN, f64::NAN],
            [0.0, 0.0],
            [41_482_000.0, 5_022_000.0],
            [41_483_000.0, 5_023_000.0],
        ]
        .into_iter(),
    );
    assert_eq!(g.epsg, Some(4529), "{:?}", g.reason);
}

#[test]
fn swap_fix() {
    // Correct zone-41 bbox around the city seat: nothing to fix.
    let ok = [41_470_000.0, 5_010_000.0, 41_490_000.0, 5_030_000.0];
    assert_eq!(swap_would_fix(4529, ok), None);
    // The same stored swapped.
    let swapped = [5_010_000.0, 41_470_000.0, 5_030_000.0, 41_490_000.0];
    let msg = swap_would_fix(4529, swapped).expect("swap suggested");
    assert!(msg.in_lang(Lang::En).contains("swapped"), "{msg:?}");
    assert!(msg.in_lang(Lang::Zh).contains("交换"), "{msg:?}");
    // No prefix, swapped.
    assert!(swap_would_fix(4550, [5_010_000.0, 470_000.0, 5_030_000.0, 490_000.0]).is_some());
    // Degrees, swapped and correct.
    assert!(swap_would_fix(4490, [45.2, 122.6, 45.4, 122.9]).is_some());
    assert_eq!(swap_would_fix(4490, [122.6, 45.2, 122.9, 45.4]), None);
    // Somewhere else entirely, either way: no suggestion.
    assert_eq!(swap_would_fix(4490, [10.0, 10.0, 11.0, 11.0]), None);
}

#[test]
fn search_choices() {
    let r = search("4529");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].epsg, 4529);
    let xian: Vec<u32> = search("西安").iter().map(|c| c.epsg).collect();
    assert_eq!(xian, vec![4610, 2365, 2386, 2335, 2346]);
    let xian_en: Vec<u32> = search("XIAN").iter().map(|c| c.epsg).collect();
    assert_eq!(xian_en, xian);
    assert_eq!(search("").len(), CHOICES.len());
    assert_eq!(search("  ").len(), CHOICES.len());
    assert_eq!(search("EPSG:3857")[0].epsg, 3857);
    let b: Vec<u32> = search("beijing 41").iter().map(|c| c.epsg).collect();
    assert_eq!(b, vec![2417]);
    assert!(search("129")[0].name_en.contains("wrong pick"));
    assert!(search("no such crs").is_empty());
    assert!(choice_by_epsg(4490).is_some_and(|c| c.geographic));
    assert!(choice_by_epsg(4529).is_some_and(|c| !c.geographic));
}

#[test]
fn datum_warnings() {
    let w = datum_warning(2365).expect("warning");
    assert!(w.in_lang(Lang::Zh).contains("towgs84") && w.in_lang(Lang::Zh).contains("七参数"));
    assert!(w.in_lang(Lang::En).contains("Xian 1980") && !w.in_lang(Lang::En).contains("西安"));
    assert!(datum_warning(21481).is_some());
    assert!(datum_warning(4214).is_some());
    assert!(datum_warning(4610).is_some());
    assert!(datum_warning(4529).is_none());
    assert!(datum_warning(4490).is_none());
    assert!(datum_warning(3857).is_none());
}

#[test]
fn source_labels() {
    assert!(CrsSource::Prj.label().in_lang(Lang::En).contains(".prj"));
    assert_eq!(CrsSource::User.label().in_lang(Lang::Zh), "用户指定");
    assert_ne!(CrsSource::Inferred.label(), CrsSource::User.label());
}
