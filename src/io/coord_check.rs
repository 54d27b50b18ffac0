//! Coordinates checked where they enter, before any geometry code sees them.
//!
//! - A non-finite value (NaN, ±∞) or a vertex outside the domain of the layer's CRS is an error
//!   for that feature, named by record and point number; the rest of the file loads
//!   ([`check_records`]).
//! - A vertex far from the rest of its ring is flagged with its likely cause ([`ring_outliers`]):
//!   a missing zone prefix (`41457390.25` typed as `47390.25`), a dropped digit
//!   (`4147390.25`), or X and Y swapped for that one point.
//!
//! Everything here works on the file's own numbers (metres or degrees as written), in the order
//! the layer stores them (x = easting / longitude, y = northing / latitude for a correct file).
//! A vertex counts as inside the domain in either order: whether the whole file is swapped is
//! decided later by the loader.

use geo::{Coord, CoordsIter, Geometry, LineString};

/// One record as the loader holds it (geometry in the file's CRS, attributes).
pub type Record = (Option<Geometry<f64>>, crate::model::Attributes);

/// The rectangle of plausible coordinates of a CRS, in its own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// Smallest and largest x (easting or longitude).
    pub x: (f64, f64),
    /// Smallest and largest y (northing or latitude).
    pub y: (f64, f64),
}

impl Domain {
    fn holds(&self, x: f64, y: f64) -> bool {
        (self.x.0..=self.x.1).contains(&x) && (self.y.0..=self.y.1).contains(&y)
    }

    /// Whether the point lies inside as written or with x and y exchanged.
    pub fn holds_either_way(&self, c: Coord<f64>) -> bool {
        self.holds(c.x, c.y) || self.holds(c.y, c.x)
    }
}

/// Gauss-Krüger / transverse Mercator northings (m): generous, both hemispheres.
const NORTHING: (f64, f64) = (-10_000_000.0, 10_000_000.0);

/// The domain of an EPSG code this viewer knows the layout of, else `None` (no check).
///
/// Geographic CRSs: longitude −180..180, latitude −90..90. Web Mercator: ±20 037 508.34 m
/// (y to ±20 048 966.1 m). Gauss-Krüger with the zone number as easting prefix (CGCS2000, Xian
/// 1980, Beijing 1954; 3° zones 25–45 and 6° zones 13–23): easting `zone·10⁶ ..= zone·10⁶ +
/// 10⁶`. Gauss-Krüger without prefix (central-meridian variants) and UTM: easting 0..10⁶.
pub fn domain_of(epsg: u32) -> Option<Domain> {
    let prefixed = |zone: u32| Domain {
        x: (zone as f64 * 1e6, zone as f64 * 1e6 + 1e6),
        y: NORTHING,
    };
    let plain = Domain {
        x: (0.0, 1_000_000.0),
        y: NORTHING,
    };
    Some(match epsg {
        4490 | 4326 | 4610 | 4214 | 4555 => Domain {
            x: (-180.0, 180.0),
            y: (-90.0, 90.0),
        },
        3857 | 900913 => Domain {
            x: (-20_037_508.35, 20_037_508.35),
            y: (-20_048_966.11, 20_048_966.11),
        },
        4513..=4533 => prefixed(epsg - 4488),
        4491..=4501 => prefixed(epsg - 4478),
        2349..=2369 => prefixed(epsg - 2324),
        2327..=2337 => prefixed(epsg - 2314),
        2401..=2421 => prefixed(epsg - 2376),
        21413..=21423 => prefixed(epsg - 21400),
        4534..=4554
        | 4502..=4512
        | 2370..=2390
        | 2338..=2348
        | 2422..=2442
        | 21453..=21463
        | 21473..=21483
        | 32601..=32660
        | 32701..=32760 => plain,
        _ => return None,
    })
}

/// The likely cause of a vertex far from the rest of its ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The vertex is in place with its two numbers exchanged.
    SwappedXY,
    /// A value lost its zone-number prefix (the ring's other values have one).
    MissingZonePrefix,
    /// A value lost one digit (putting one digit back brings it near the rest).
    DroppedDigit,
    /// A value has one digit too many (taking one out brings it near the rest).
    ExtraDigit,
    /// Nothing recognisable.
    Unknown,
}

impl Cause {
    /// The cause in words, Chinese and English.
    pub fn describe(self) -> &'static str {
        match self {
            Cause::SwappedXY => "该点 X/Y 颠倒 / X and Y swapped for this point",
            Cause::MissingZonePrefix => {
                "缺少带号前缀（如 41457390.25 写成 57390.25）/ missing zone prefix"
            }
            Cause::DroppedDigit => "漏了一位数字 / a dropped digit",
            Cause::ExtraDigit => "多了一位数字 / one digit too many",
            Cause::Unknown => "原因不明 / cause unknown",
        }
    }
}

/// A vertex far from the rest of its ring: its 0-based index in the ring and the likely cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outlier {
    /// Index of the vertex in the ring (0-based).
    pub index: usize,
    /// The likely cause.
    pub cause: Cause,
}

/// How many typical distances from the ring's middle make a vertex an outlier.
const FAR: f64 = 50.0;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Vertices far from the rest of a ring (or a line), with their likely causes.
///
/// The ring's middle is the median x and median y of its vertices (the closing repeat left
/// out); a vertex is far when its distance (the larger of |dx|, |dy|) from the middle is more
/// than 50 times the median of those distances and more than 10⁻⁶ of the coordinates' size.
/// Rings of fewer than 4 distinct vertices are not judged (no majority to compare with).
/// Non-finite vertices must have been removed before.
pub fn ring_outliers(ring: &[Coord<f64>]) -> Vec<Outlier> {
    let pts = match ring.split_last() {
        Some((last, rest)) if ring.len() > 1 && rest.first() == Some(last) => rest,
        _ => ring,
    };
    if pts.len() < 4 || pts.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
        return Vec::new();
    }
    let mx = median(pts.iter().map(|c| c.x).collect());
    let my = median(pts.iter().map(|c| c.y).collect());
    let dist = |c: &Coord<f64>| (c.x - mx).abs().max((c.y - my).abs());
    let spread = median(pts.iter().map(dist).collect());
    let floor = 1e-6 * mx.abs().max(my.abs()).max(1.0);
    let limit = (FAR * spread).max(floor);
    // Within this of the middle, a repaired value counts as "back with the rest".
    let near = (10.0 * spread).max(floor);
    pts.iter()
        .enumerate()
        .filter(|(_, c)| dist(c) > limit)
        .map(|(index, c)| Outlier {
            index,
            cause: cause_of(*c, mx, my, near),
        })
        .collect()
}

fn cause_of(c: Coord<f64>, mx: f64, my: f64, near: f64) -> Cause {
    if (c.y - mx).abs() <= near && (c.x - my).abs() <= near {
        return Cause::SwappedXY;
    }
    // The axis that is off (both off and not swapped: judge x, then y).
    let (v, m) = if (c.x - mx).abs() > near {
        (c.x, mx)
    } else {
        (c.y, my)
    };
    // Zone prefixes are two digits in front of a 6-digit easting: 13·10⁶ and more.
    if m.abs() >= 13e6 && v.abs() < 1e6 {
        return Cause::MissingZonePrefix;
    }
    if digit_edits(v).any(|(dropped, w)| dropped && (w - m.abs()).abs() <= near) {
        return Cause::DroppedDigit;
    }
    if digit_edits(v).any(|(dropped, w)| !dropped && (w - m.abs()).abs() <= near) {
        return Cause::ExtraDigit;
    }
    Cause::Unknown
}

/// Every value one digit away from |v| in its integer part: `(true, w)` with one digit put in,
/// `(false, w)` with one taken out.
fn digit_edits(v: f64) -> impl Iterator<Item = (bool, f64)> {
    let v = v.abs();
    let digits = if v < 1e15 {
        format!("{}", v.trunc() as u64)
    } else {
        String::new()
    };
    let frac = v.fract();
    let n = digits.len();
    let with_one_more = (0..=n).flat_map({
        let digits = digits.clone();
        move |at| {
            let digits = digits.clone();
            (b'0'..=b'9').filter_map(move |d| {
                let mut s = digits.clone();
                s.insert(at, d as char);
                s.parse::<u64>().ok().map(|i| (true, i as f64 + frac))
            })
        }
    });
    let with_one_less = (0..n).filter_map(move |at| {
        let mut s = digits.clone();
        s.remove(at);
        s.parse::<u64>().ok().map(|i| (false, i as f64 + frac))
    });
    with_one_more.chain(with_one_less)
}

/// The rings and lines of a geometry, in order (points and multipoints have none).
fn rings(g: &Geometry<f64>) -> Vec<&LineString<f64>> {
    match g {
        Geometry::LineString(l) => vec![l],
        Geometry::MultiLineString(m) => m.0.iter().collect(),
        Geometry::Polygon(p) => std::iter::once(p.exterior())
            .chain(p.interiors().iter())
            .collect(),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors().iter()))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The number of distinct points of the first polygon ring with fewer than 3 (a closed ring
/// of fewer than 4 coordinates), if any.
fn short_ring(g: &Geometry<f64>) -> Option<usize> {
    if !matches!(g, Geometry::Polygon(_) | Geometry::MultiPolygon(_)) {
        return None;
    }
    rings(g).into_iter().find(|r| r.0.len() < 4).map(|r| {
        let closed = r.0.len() > 1 && r.0.first() == r.0.last();
        r.0.len() - usize::from(closed)
    })
}

/// How a record is named in messages: "record N" plus its parcel name when it has one.
fn record_name(number: usize, attrs: &crate::model::Attributes) -> String {
    match attrs.get("DKMC").and_then(|v| v.as_text()) {
        Some(name) => format!("record {number} ({name})"),
        None => format!("record {number}"),
    }
}

/// Check the records of a layer (in the file's CRS, numbered by their position, 1-based):
///
/// 1. a record with a non-finite vertex loses its geometry (the reason, naming the record and
///    the point, goes to `problems`);
/// 2. with a `domain` (from [`domain_of`]), a record with a vertex outside it in both orders
///    loses its geometry likewise — unless no record at all lies inside, which means the CRS is
///    wrong rather than the records (the loader says so);
/// 3. every vertex far from the rest of its ring is reported with its likely cause.
pub fn check_records(records: &mut [Record], domain: Option<Domain>, problems: &mut Vec<String>) {
    let mut outside = Vec::new();
    for (i, (geom, attrs)) in records.iter_mut().enumerate() {
        let non_finite = geom.as_ref().and_then(|g| {
            g.coords_iter()
                .position(|c| !c.x.is_finite() || !c.y.is_finite())
        });
        if let Some(k) = non_finite {
            problems.push(format!(
                "{}, point {}: 坐标不是有限数值 / coordinate not finite (NaN or ∞); feature skipped",
                record_name(i + 1, attrs),
                k + 1
            ));
            *geom = None;
            continue;
        }
        let Some(g) = geom.as_ref() else { continue };
        let name = || record_name(i + 1, attrs);
        if let Some(short) = short_ring(g) {
            problems.push(format!(
                "{}: 环只有 {short} 个点，不成面 / a ring of {short} point(s) encloses no area; feature skipped",
                name()
            ));
            *geom = None;
            continue;
        }
        let mut flagged = Vec::new();
        let mut offset = 0;
        for ring in rings(g) {
            for o in ring_outliers(&ring.0) {
                flagged.push((offset + o.index, ring.0[o.index], o.cause));
            }
            offset += ring.0.len();
        }
        for (k, c, cause) in &flagged {
            problems.push(format!(
                "{}, point {}: ({}, {}) 远离其环的其他点 / lies far from the rest of its ring — likely cause: {}",
                name(),
                k + 1,
                c.x,
                c.y,
                cause.describe()
            ));
        }
        if let Some(d) = domain
            && let Some((k, c)) = g
                .coords_iter()
                .enumerate()
                .find(|(_, c)| !d.holds_either_way(*c))
        {
            outside.push((i, k, c));
        }
    }
    let with_geometry = records.iter().filter(|(g, _)| g.is_some()).count();
    if outside.is_empty() || outside.len() == with_geometry {
        return;
    }
    for (i, k, c) in outside {
        if let Some((geom, attrs)) = records.get_mut(i) {
            problems.push(format!(
                "{}, point {}: ({}, {}) 超出坐标系范围 / lies outside the domain of the layer's CRS; feature skipped",
                record_name(i + 1, attrs),
                k + 1,
                c.x,
                c.y
            ));
            *geom = None;
        }
    }
}

#[cfg(test)]
mod tests {
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
        let mut problems = Vec::new();
        check_records(&mut records, domain_of(4529), &mut problems);
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
        assert!(
            problems[2].starts_with("record 4 (丙), point 3:")
                && problems[2].contains("missing zone prefix"),
            "{problems:?}"
        );
        assert!(
            problems[3].starts_with("record 4 (丙), point 3: (53600.3, 5042250.75)")
                && problems[3].contains("outside the domain"),
            "{problems:?}"
        );
        assert_eq!(problems.len(), 4);
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
}
