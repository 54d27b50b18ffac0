use super::*;
use crate::model::Value;
use geo::{MultiPolygon, Polygon};

/// A 1.2 km × 1.15 km block in zone 41 (x = easting with prefix, y = northing).
fn block() -> Vec<Coord<f64>> {
    [
        (41_452_400.55, 5_043_400.12),
        (41_453_600.30, 5_043_400.12),
        (41_453_600.30, 5_042_250.75),
        (41_452_900.00, 5_042_250.75),
        (41_452_400.55, 5_042_250.75),
        (41_452_400.55, 5_043_400.12),
    ]
    .into_iter()
    .map(|(x, y)| Coord { x, y })
    .collect()
}

fn only(ring: &[Coord<f64>]) -> Outlier {
    let found = ring_outliers(ring);
    assert_eq!(found.len(), 1, "{found:?}");
    found[0]
}

#[test]
fn a_good_ring_has_no_outliers() {
    assert!(ring_outliers(&block()).is_empty());
}

#[test]
fn a_lost_zone_prefix_is_named() {
    let mut ring = block();
    ring[2].x = 53_600.30; // 41453600.30 without "414"
    let o = only(&ring);
    assert_eq!((o.index, o.cause), (2, Cause::MissingZonePrefix));
    ring[2].x = 47_390.25; // the example
    assert_eq!(only(&ring).cause, Cause::MissingZonePrefix);
}

#[test]
fn a_dropped_digit_is_named() {
    let mut ring = block();
    ring[1].x = 4_145_360.30; // 41453600.30 with one 0 lost
    let o = only(&ring);
    assert_eq!((o.index, o.cause), (1, Cause::DroppedDigit));
    ring[1].x = 41_453_600.30;
    ring[3].y = 504_225.75; // 5042250.75 with the 0 after the 5 lost
    assert_eq!(only(&ring).cause, Cause::DroppedDigit);
}

#[test]
fn an_extra_digit_is_named() {
    let mut ring = block();
    ring[3].y = 50_422_250.75;
    assert_eq!(only(&ring).cause, Cause::ExtraDigit);
}

#[test]
fn one_swapped_point_is_named() {
    let mut ring = block();
    let c = ring[2];
    ring[2] = Coord { x: c.y, y: c.x };
    let o = only(&ring);
    assert_eq!((o.index, o.cause), (2, Cause::SwappedXY));
}

#[test]
fn an_unexplained_far_point_is_still_flagged() {
    let mut ring = block();
    ring[3] = Coord {
        x: 41_900_000.0,
        y: 5_042_250.75,
    };
    assert_eq!(only(&ring).cause, Cause::Unknown);
}

#[test]
fn degrees_and_small_rings_are_judged_sensibly() {
    // A ring in degrees with one point 1° off (a typo in the degrees): flagged.
    let mut ring: Vec<Coord<f64>> = [
        (122.80, 45.30),
        (122.81, 45.30),
        (122.81, 45.31),
        (122.80, 45.31),
        (122.80, 45.30),
    ]
    .into_iter()
    .map(|(x, y)| Coord { x, y })
    .collect();
    assert!(ring_outliers(&ring).is_empty());
    ring[1].x = 132.81;
    assert_eq!(only(&ring).index, 1);
    // A triangle has no majority: not judged.
    assert!(ring_outliers(&ring[1..4]).is_empty());
}

fn record(points: Vec<Coord<f64>>, name: &str) -> Record {
    let poly = Polygon::new(LineString(points), vec![]);
    (
        Some(Geometry::MultiPolygon(MultiPolygon(vec![poly]))),
        vec![("DKMC".into(), Value::Text(name.into()))].into(),
    )
}

#[test]
fn non_finite_and_out_of_domain_records_are_skipped_by_number() {
    let mut nan = block();
    nan[3].y = f64::NAN;
    let mut inf = block();
    inf[1].x = f64::INFINITY;
    let mut lost = block();
    lost[2].x = 53_600.30;
    let mut records = vec![
        record(block(), "好"),
        record(nan, "甲"),
        record(inf, "乙"),
        record(lost, "丙"),
        record(block(), "也好"),
    ];
    let mut texts = Vec::new();
    check_records(&mut records, domain_of(4529), &mut texts);
    let problems = english(&texts);
    let kept: Vec<bool> = records.iter().map(|(g, _)| g.is_some()).collect();
    assert_eq!(kept, [true, false, false, false, true]);
    assert!(
        problems[0].starts_with("record 2 (甲), point 4:") && problems[0].contains("NaN"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("record 3 (乙), point 2:"),
        "{problems:?}"
    );
    // The far-off point outside the domain: one message with its cause.
    assert_eq!(
        problems[2],
        format!(
            "record 4 (丙), point 3: (53600.3, 5042250.75) lies outside the domain of the \
             layer's CRS — likely cause: {PREFIX}; feature skipped"
        )
    );
    assert_eq!(
        texts[2].in_lang(Lang::Zh),
        "第 4 条记录（丙）第 3 点：(53600.3, 5042250.75) 超出图层坐标系的范围，可能的原因：\
         缺少带号前缀（如 41457390.25 写成 57390.25）；已跳过该要素"
    );
    assert_eq!(
        texts[0].in_lang(Lang::Zh),
        "第 2 条记录（甲）第 4 点：坐标不是有限数值（NaN 或 ∞）；已跳过该要素"
    );
    assert_eq!(problems.len(), 3);
}

const PREFIX: &str = "missing zone prefix (41457390.25 written as 57390.25)";

/// The English wording of each message.
fn english(texts: &[Text]) -> Vec<String> {
    texts
        .iter()
        .map(|t| t.in_lang(Lang::En).to_owned())
        .collect()
}

/// The block with (x, y) = (Y easting, X northing) of each corner changed by `edit`.
fn one_parcel(edit: impl Fn(usize, &mut Coord<f64>)) -> Vec<Record> {
    let mut ring = block();
    let n = ring.len() - 1;
    for (i, c) in ring.iter_mut().enumerate() {
        edit(i % n, c);
    }
    vec![record(ring, "唯一地块")]
}

/// Rounded to the centimetre (as a surveyor's file writes it).
fn cents(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn checked(mut records: Vec<Record>, epsg: u32) -> (Vec<String>, bool, bool) {
    let mut problems = Vec::new();
    let doubtful = check_records(&mut records, domain_of(epsg), &mut problems);
    (english(&problems), doubtful, records[0].0.is_some())
}

#[test]
fn a_one_parcel_list_that_lost_its_zone_prefix_is_named_point_by_point() {
    // Every Y typed without "41": 41452400.55 → 452400.55.
    let (problems, doubtful, kept) = checked(one_parcel(|_, c| c.x = cents(c.x - 41e6)), 4529);
    assert_eq!(
        problems,
        [format!(
            "record 1 (唯一地块), points 1–5 lie outside the domain of the layer's CRS (the first: (452400.55, 5043400.12)) — likely cause: {PREFIX}; \
             feature skipped"
        )]
    );
    assert!(doubtful && !kept);
    // The example, 41457390.25 typed as 47390.25, for every point: the same.
    let (problems, _, _) = checked(one_parcel(|_, c| c.x = cents(c.x - 41_410_000.0)), 4529);
    assert!(problems[0].contains("points 1–5") && problems[0].contains(PREFIX));
}

#[test]
fn some_points_of_the_one_parcel_off_are_named_by_the_ring() {
    // Points 2 and 3 lost the prefix, the rest are right.
    let (problems, doubtful, kept) = checked(
        one_parcel(|i, c| {
            if i == 1 || i == 2 {
                c.x = cents(c.x - 41e6)
            }
        }),
        4529,
    );
    assert_eq!(
        problems,
        [format!(
            "record 1 (唯一地块), points 2, 3 lie outside the domain of the layer's CRS (the first: (453600.3, 5043400.12)) — likely cause: {PREFIX}; \
             feature skipped"
        )]
    );
    assert!(!doubtful && !kept);
    // A dropped digit in point 4's Y and point 2 with X and Y swapped: inside the domain
    // (either way), so only flagged, and the parcel kept.
    let (problems, doubtful, kept) = checked(
        one_parcel(|i, c| match i {
            3 => c.x = 4_145_290.0,
            1 => *c = Coord { x: c.y, y: c.x },
            _ => {}
        }),
        4529,
    );
    assert_eq!(
        problems,
        [
            "record 1 (唯一地块), point 2: (5043400.12, 41453600.3) lies far from the rest of \
             its ring — likely cause: X and Y swapped for this point",
            "record 1 (唯一地块), point 4: (4145290, 5042250.75) lies outside the domain of \
             the layer's CRS — likely cause: a dropped digit; feature skipped",
        ]
    );
    assert!(!doubtful && !kept);
}

#[test]
fn a_one_parcel_list_off_by_a_digit_everywhere_is_named() {
    // Every Y with one digit lost (41452400.55 → 4152400.55): no ring majority, the
    // domain alone names the cause.
    let (problems, doubtful, kept) = checked(
        one_parcel(|_, c| {
            let s = format!("{:.2}", c.x);
            c.x = format!("{}{}", &s[..2], &s[3..])
                .parse()
                .unwrap_or(f64::NAN);
        }),
        4529,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("record 1 (唯一地块), points 1–5 lie outside the domain")
            && problems[0].ends_with("likely cause: a dropped digit; feature skipped"),
        "{problems:?}"
    );
    assert!(doubtful && !kept);
}

#[test]
fn domain_causes() {
    let d = domain_of(4529).expect("zone 41");
    let at = |x: f64, y: f64| d.cause_of(Coord { x, y });
    assert_eq!(at(457_390.25, 5_042_250.0), Cause::MissingZonePrefix);
    assert_eq!(at(47_390.25, 5_042_250.0), Cause::MissingZonePrefix);
    assert_eq!(at(4_145_739.0, 5_042_250.0), Cause::DroppedDigit);
    assert_eq!(at(414_573_900.0, 5_042_250.0), Cause::ExtraDigit);
    assert_eq!(at(41_457_390.0, 50_422_500.0), Cause::ExtraDigit);
    assert_eq!(at(77_000_000.0, 5_042_250.0), Cause::Unknown);
    assert_eq!(at(-41_457_390.0, 5_042_250.0), Cause::Unknown);
    // Degrees: no digit guesses (500° is not taken for 50°).
    let degrees = domain_of(4326).expect("lon/lat");
    assert_eq!(
        degrees.cause_of(Coord { x: 500.0, y: 45.0 }),
        Cause::Unknown
    );
}

#[test]
fn point_lists() {
    let en = |i: &[usize]| point_list(i).in_lang(Lang::En).to_owned();
    let zh = |i: &[usize]| point_list(i).in_lang(Lang::Zh).to_owned();
    assert_eq!(en(&[2]), "point 3");
    assert_eq!(zh(&[2]), "第 3 点");
    assert_eq!(en(&[0, 1]), "points 1, 2");
    assert_eq!(zh(&[0, 1]), "第 1、2 点");
    assert_eq!(en(&[0, 1, 2, 3, 7]), "points 1–4, 8");
    assert_eq!(zh(&[0, 1, 2, 3, 7]), "第 1–4、8 点");
    let many: Vec<usize> = (0..40).step_by(2).collect();
    assert_eq!(
        en(&many),
        "points 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, … (20 in all)"
    );
    assert_eq!(
        zh(&many),
        "第 1、3、5、7、9、11、13、15、17、19 等点（共 20 个）"
    );
}

#[test]
fn a_wrong_crs_is_left_to_the_loader() {
    // Every record outside the domain: the CRS is wrong, not the records.
    let mut records = vec![record(block(), "a"), record(block(), "b")];
    let mut problems = Vec::new();
    check_records(&mut records, domain_of(4490), &mut problems);
    assert!(records.iter().all(|(g, _)| g.is_some()));
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn swapped_files_are_inside_the_domain() {
    let swapped: Vec<Coord<f64>> = block()
        .into_iter()
        .map(|c| Coord { x: c.y, y: c.x })
        .collect();
    let d = domain_of(4529).expect("zone 41");
    assert!(swapped.iter().all(|c| d.holds_either_way(*c)));
    assert!(!d.holds_either_way(Coord {
        x: 53_600.30,
        y: 5_042_250.75
    }));
    assert_eq!(domain_of(2365), domain_of(4529));
    assert_eq!(domain_of(21421).map(|d| d.x), Some((21e6, 22e6)));
    assert_eq!(domain_of(4550).map(|d| d.x), Some((0.0, 1e6)));
    assert_eq!(domain_of(999_999), None);
}
