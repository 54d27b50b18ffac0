use crate::io::corners::test_support::{dms, names, square};
use crate::io::corners::*;

/// A point table of 200 000 corners parses in linear time (it took 19 s: a quadratic count
/// of distinct points per ring). Judged by how the time grows from 20 000 to 200 000 points
/// (linear: ×10, quadratic: ×100), not by a wall-clock limit that a busy machine misses.
#[test]
fn a_list_of_200_000_points_parses_quickly() {
    let table = |n: u32| {
        let mut text = String::from("点号,X,Y\n");
        for i in 0..n {
            let a = f64::from(i) / f64::from(n) * std::f64::consts::TAU;
            let (x, y) = (
                5_040_000.0 + 3000.0 * a.sin(),
                41_470_000.0 + 3000.0 * a.cos(),
            );
            text.push_str(&format!("J{i},{x:.3},{y:.3}\n"));
        }
        text
    };
    // The best of three runs of each size (what a busy machine adds, it adds at random).
    let time = |text: &str| {
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                let parsed = parse(text).expect("parsed");
                assert_eq!(parsed.parcels.len(), 1);
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let (small, big) = (time(&table(20_000)), time(&table(200_000)));
    assert!(
        big < 30.0 * small.max(1e-3),
        "20 000 points {small:.3} s, 200 000 points {big:.3} s: not linear"
    );
}

#[test]
fn table_with_header_comma() {
    let text = "点号,X坐标,Y坐标\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\n\
                J3,5042250.75,41453600.30\nJ4,5042250.75,41452400.55\n";
    let f = parse(text).expect("parses");
    assert_eq!(f.layout, Layout::PointTable);
    assert!(f.header.is_empty());
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.parcels.len(), 1);
    let p = &f.parcels[0];
    assert_eq!(p.name, "地块1");
    assert_eq!(
        p.rings,
        vec![Ring {
            points: square(),
            hole: false
        }]
    );
    assert_eq!(p.point_names, names(&["J1", "J2", "J3", "J4"]));
    assert_eq!(p.lonlat, None);
    assert!(p.attributes.is_empty());
}

#[test]
fn table_no_header_tabs_closed_by_first_point() {
    let text = "1\t5043400.12\t41452400.55\n2\t5043400.12\t\t41453600.30\n\
                3\t5042250.75\t41453600.30\n4\t5042250.75\t41452400.55\n1\t5043400.12\t41452400.55\n";
    let f = parse(text).expect("parses");
    assert_eq!(f.layout, Layout::PointTable);
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.parcels.len(), 1);
    assert_eq!(f.parcels[0].rings[0].points, square());
    assert_eq!(f.parcels[0].point_names, names(&["1", "2", "3", "4"]));
}

#[test]
fn table_spaces_bom_crlf_fullwidth() {
    let text = "\u{FEFF}点号   X       Y  \r\nJ1   5043400.12   41452400.55  \r\n\
                J2，５０４３４００．１２，４１４５３６００．３０\r\nJ3  5042250.75  41453600.30\r\n\
                J4 　5042250.75 41452400.55\r\n";
    let f = parse(text).expect("parses");
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.parcels.len(), 1);
    assert_eq!(f.parcels[0].rings[0].points, square());
    assert_eq!(f.parcels[0].point_names, names(&["J1", "J2", "J3", "J4"]));
}

#[test]
fn table_dms_columns_with_header() {
    let text = "点号,X,Y,纬度,经度\n\
                J1,5043400.12,41452400.55,45°30′12.345″,122°30′45.12″\n\
                J2,5043400.12,41453600.30,45:30:12.345,122:31:41.5\n\
                J3,5042250.75,41453600.30,45 29 35.1,122 31 41.5\n\
                J4,5042250.75,41452400.55,45°29'35.1\",122°30'45.12\"\n";
    let f = parse(text).expect("parses");
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    let ll = f.parcels[0].lonlat.as_ref().expect("lonlat");
    let want = [
        [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.345)],
        [dms(122.0, 31.0, 41.5), dms(45.0, 30.0, 12.345)],
        [dms(122.0, 31.0, 41.5), dms(45.0, 29.0, 35.1)],
        [dms(122.0, 30.0, 45.12), dms(45.0, 29.0, 35.1)],
        [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.345)],
    ];
    assert_eq!(ll.len(), want.len());
    for (got, w) in ll.iter().zip(want) {
        assert!(
            (got[0] - w[0]).abs() < 1e-9 && (got[1] - w[1]).abs() < 1e-9,
            "{got:?} vs {w:?}"
        );
    }
}

#[test]
fn table_ddd_mmss_columns_no_header_spaces() {
    // No header: the larger value is the longitude. Last line uses `d m s` groups.
    let text = "J1 5043400.12 41452400.55 45.301234 122.304512\n\
                J2 5043400.12 41453600.30 122.3141 45.3012\n\
                J3 5042250.75 41453600.30 45 29 35.1 122 31 41.5\n";
    let f = parse(text).expect("parses");
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    let ll = f.parcels[0].lonlat.as_ref().expect("lonlat");
    let want = [
        [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.34)],
        [dms(122.0, 31.0, 41.0), dms(45.0, 30.0, 12.0)],
        [dms(122.0, 31.0, 41.5), dms(45.0, 29.0, 35.1)],
        [dms(122.0, 30.0, 45.12), dms(45.0, 30.0, 12.34)],
    ];
    assert_eq!(ll.len(), 4);
    for (got, w) in ll.iter().zip(want) {
        assert!(
            (got[0] - w[0]).abs() < 1e-9 && (got[1] - w[1]).abs() < 1e-9,
            "{got:?} vs {w:?}"
        );
    }
}

#[test]
fn table_two_parcels_by_name_lines_and_star() {
    let text = "地块1\n点号,X,Y\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\n\
                J3,5042250.75,41453600.30\nJ4,5042250.75,41452400.55\n区块2:\n\
                1,5030000.00,41470000.00\n2,5030000.00,41471000.00\n3,5029000.00,41471000.00\n*\n\
                1,5010000.00,41480000.00\n2,5010000.00,41481000.00\n3,5009000.00,41481000.00\n";
    let f = parse(text).expect("parses");
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    let got: Vec<&str> = f.parcels.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(got, ["地块1", "区块2", "地块3"]);
    assert_eq!(f.parcels[0].rings[0].points, square());
    assert_eq!(
        f.parcels[1].rings[0].points,
        vec![
            [5030000.0, 41470000.0],
            [5030000.0, 41471000.0],
            [5029000.0, 41471000.0],
            [5030000.0, 41470000.0]
        ]
    );
    assert_eq!(f.parcels[2].rings[0].points[2], [5009000.0, 41481000.0]);
}

#[test]
fn table_two_parcels_by_repeated_first_point() {
    // Parcel 1 closes with J1; parcel 2 starts with J1 again (other coordinates) and is not
    // closed explicitly; a blank line then ends it.
    let text = "J1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\nJ3,5042250.75,41453600.30\n\
                J4,5042250.75,41452400.55\nJ1,5043400.12,41452400.55\nJ1,5030000.00,41470000.00\n\
                J2,5030000.00,41471000.00\nJ3,5029000.00,41471000.00\n\n";
    let f = parse(text).expect("parses");
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(f.parcels.len(), 2);
    assert_eq!(f.parcels[0].rings[0].points, square());
    assert_eq!(f.parcels[0].point_names, names(&["J1", "J2", "J3", "J4"]));
    assert_eq!(f.parcels[1].rings[0].points.len(), 4);
    assert_eq!(f.parcels[1].rings[0].points[3], [5030000.0, 41470000.0]);
    assert_eq!(f.parcels[1].point_names, names(&["J1", "J2", "J3"]));
}

#[test]
fn bad_line_reported_rest_loads() {
    let text = "点号,X,Y\nJ1,5043400.12,41452400.55\nJ2,4503x12,41452900.00\nJ3,5043400.12,41453600.30\n\
                J4,5042250.75,41453600.30\nJ5,5042250.75\nJ6,5042250.75,41452400.55\n";
    let f = parse(text).expect("parses");
    assert_eq!(
        f.problems,
        vec![
            LineProblem {
                line: 3,
                message: crate::text!(
                    "第3行：坐标不是数字：\"4503x12\"",
                    "line 3: coordinate is not a number: \"4503x12\""
                )
            },
            LineProblem {
                line: 6,
                message: crate::text!(
                    "第6行：列数不对（2列），应为 点号,X,Y[,纬度,经度]",
                    "line 6: wrong number of columns (2); expected 点号,X,Y with optional \
                     latitude, longitude"
                )
            },
        ]
    );
    assert_eq!(f.parcels.len(), 1);
    assert_eq!(f.parcels[0].rings[0].points, square());
    assert_eq!(f.parcels[0].point_names, names(&["J1", "J3", "J4", "J6"]));
}

#[test]
fn parcel_with_two_points_dropped() {
    let text = "地块A\nJ1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\n\n地块B\n\
                J1,5043400.12,41452400.55\nJ2,5043400.12,41453600.30\nJ3,5042250.75,41453600.30\n\
                J4,5042250.75,41452400.55\n";
    let f = parse(text).expect("parses");
    assert_eq!(f.parcels.len(), 1);
    assert_eq!(f.parcels[0].name, "地块B");
    assert_eq!(f.problems.len(), 1);
    assert_eq!(f.problems[0].line, 2);
    assert_eq!(
        f.problems[0].message.in_lang(Lang::Zh),
        "第2行：地块“地块A”只有2个不同的点，已忽略"
    );
    assert_eq!(
        f.problems[0].message.in_lang(Lang::En),
        "line 2: parcel “地块A” has only 2 distinct point(s) (need 3); dropped"
    );
}
