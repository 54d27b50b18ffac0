//! Coordinates typed into the find box: longitude/latitude in decimal degrees or
//! degrees-minutes-seconds, with or without hemisphere letters and in either order, and
//! CGCS2000 3-degree Gauss-Krüger zone-41 X/Y (central meridian 123° E) with the zone prefix
//! on the easting (`41457390.25 5023456.7`, EPSG:4529) or without it (`457390.25 5023456.7`,
//! EPSG:4550), in either order. Plane coordinates are converted by the closed-form Krüger
//! series of [`crate::crs::gauss_kruger`] (it agrees with PROJ to 1e-12°).

use crate::crs::gauss_kruger::GaussKruger;

/// How the typed text was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlaceKind {
    /// Decimal degrees.
    Degrees,
    /// Degrees, minutes and seconds.
    Dms,
    /// Zone-41 Gauss-Krüger plane coordinates: X (northing, m), Y (easting, m, as typed).
    Zone41 {
        /// Northing in metres.
        x: f64,
        /// Easting in metres, with the zone prefix when it was typed.
        y: f64,
    },
}

/// A place typed in: CGCS2000 lon/lat in degrees and how it was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place {
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
    /// How the text was read.
    pub kind: PlaceKind,
}

/// One coordinate as written: its value in degrees (or metres), whether minutes or seconds
/// were written, and the hemisphere letter, if any.
#[derive(Debug, Default, Clone, Copy)]
struct Part {
    value: f64,
    sign: f64,
    dms: bool,
    hemi: Option<char>,
    started: bool,
}

/// Make the typed text uniform: full-width forms half-width, Chinese marks (度分秒，) and the
/// typographic primes (′ ″ ’ ”) into ° ' ".
fn uniform(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .map(|c| match c {
            '度' => '°',
            '分' | '′' | '’' | '‘' => '\'',
            '秒' | '″' | '”' | '“' => '"',
            '、' | ';' => ',',
            '−' | '–' => '-',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// Split text into coordinates: a number with no mark or with ° starts one, numbers marked
/// ' or " add minutes or seconds to it, N/S/E/W (before or after) give its hemisphere.
fn parts(s: &str) -> Option<Vec<Part>> {
    let chars: Vec<char> = uniform(s).chars().collect();
    let mut out: Vec<Part> = Vec::new();
    let mut cur = Part {
        sign: 1.0,
        ..Part::default()
    };
    let mut pending_hemi: Option<char> = None;
    let mut i = 0;
    let flush = |cur: &mut Part, out: &mut Vec<Part>| {
        if cur.started {
            out.push(*cur);
        }
        *cur = Part {
            sign: 1.0,
            ..Part::default()
        };
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() || c == '.' || c == '-' || c == '+' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let v: f64 = text.parse().ok()?;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            let mark = chars.get(i).copied();
            match mark {
                Some('\'') | Some('"') if cur.started => {
                    let div = if mark == Some('\'') { 60.0 } else { 3600.0 };
                    if !(0.0..60.0).contains(&v) {
                        return None;
                    }
                    cur.value += v / div;
                    cur.dms = true;
                    i += 1;
                }
                Some('\'') | Some('"') => return None,
                _ => {
                    flush(&mut cur, &mut out);
                    cur.started = true;
                    cur.sign = if v.is_sign_negative() { -1.0 } else { 1.0 };
                    cur.value = v.abs();
                    cur.hemi = pending_hemi.take();
                    if mark == Some('°') {
                        i += 1;
                    }
                }
            }
            continue;
        }
        match c.to_ascii_uppercase() {
            h @ ('N' | 'S' | 'E' | 'W') => {
                if cur.started && cur.hemi.is_none() {
                    cur.hemi = Some(h);
                } else {
                    pending_hemi = Some(h);
                }
            }
            ' ' | ',' | '/' | '(' | ')' => {}
            // 北纬 / 东经 …: the hemisphere is written before its number.
            '北' => pending_hemi = Some('N'),
            '南' => pending_hemi = Some('S'),
            '东' => pending_hemi = Some('E'),
            '西' => pending_hemi = Some('W'),
            'X' | 'Y' | '=' | ':' | '：' | '纬' | '经' | '度' => {}
            _ => return None,
        }
        i += 1;
    }
    flush(&mut cur, &mut out);
    Some(out)
}

/// Read two coordinates as lon/lat in degrees (hemispheres decide; else the one over 90 is
/// the longitude; else the order lon, lat).
fn as_degrees(a: Part, b: Part) -> Option<(f64, f64)> {
    let signed = |p: Part| {
        let s = match p.hemi {
            Some('S' | 'W') => -1.0,
            _ => 1.0,
        };
        p.sign * s * p.value
    };
    let is_lat = |p: Part| matches!(p.hemi, Some('N' | 'S'));
    let is_lon = |p: Part| matches!(p.hemi, Some('E' | 'W'));
    let (lon, lat) = if is_lat(a) || is_lon(b) {
        (b, a)
    } else if is_lon(a) || is_lat(b) {
        (a, b)
    } else if a.value <= 90.0 && b.value > 90.0 {
        (b, a)
    } else {
        (a, b)
    };
    let (lon, lat) = (signed(lon), signed(lat));
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

/// Read two numbers as zone-41 plane coordinates: a zone-prefixed easting (41 and six digits)
/// or a six-digit easting, with a seven-digit northing, in either order.
fn as_zone41(a: f64, b: f64) -> Option<Place> {
    let prefixed = |v: f64| (41_000_000.0..42_000_000.0).contains(&v);
    let plain_e = |v: f64| (100_000.0..1_000_000.0).contains(&v);
    let northing = |v: f64| (1_000_000.0..10_000_000.0).contains(&v);
    let (e, n) = if (prefixed(a) || plain_e(a)) && northing(b) {
        (a, b)
    } else if (prefixed(b) || plain_e(b)) && northing(a) {
        (b, a)
    } else {
        return None;
    };
    let gk = GaussKruger::from_epsg(if prefixed(e) { 4529 } else { 4550 })?;
    let (lon, lat) = gk.inverse(e, n)?;
    Some(Place {
        lon,
        lat,
        kind: PlaceKind::Zone41 { x: n, y: e },
    })
}

/// Read a place from typed text; `None` when the text is not two coordinates (then it is an
/// ordinary search). Pure: no I/O, no PROJ.
pub fn parse_place(text: &str) -> Option<Place> {
    let ps = parts(text.trim())?;
    let [a, b] = ps.as_slice() else {
        return None;
    };
    let (a, b) = (*a, *b);
    let big = a.value > 360.0 || b.value > 360.0;
    if big {
        if a.dms || b.dms || a.hemi.is_some() || b.hemi.is_some() || a.sign < 0.0 || b.sign < 0.0 {
            return None;
        }
        return as_zone41(a.value, b.value);
    }
    let (lon, lat) = as_degrees(a, b)?;
    Some(Place {
        lon,
        lat,
        kind: if a.dms || b.dms {
            PlaceKind::Dms
        } else {
            PlaceKind::Degrees
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(s: &str) -> (f64, f64) {
        let p = parse_place(s).unwrap_or_else(|| panic!("{s} not read"));
        (p.lon, p.lat)
    }

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9
    }

    #[test]
    fn decimal_degrees_in_any_order_and_notation() {
        let want = (122.78, 45.34);
        for s in [
            "122.78 45.34",
            "122.78,45.34",
            "45.34 122.78",
            "45.34N 122.78E",
            "122.78E 45.34N",
            "N45.34 E122.78",
            "北纬45.34 东经122.78",
            "１２２．７８，４５．３４",
        ] {
            assert!(close(ll(s), want), "{s}: {:?}", ll(s));
        }
        assert!(close(ll("45.34S 122.78W"), (-122.78, -45.34)));
    }

    #[test]
    fn dms_is_read() {
        let want = (
            122.0 + 47.0 / 60.0 + 30.0 / 3600.0,
            45.0 + 20.0 / 60.0 + 10.0 / 3600.0,
        );
        for s in [
            "122°47'30\" 45°20'10\"",
            "45°20'10\"N 122°47'30\"E",
            "122°47′30″E, 45°20′10″N",
            "122度47分30秒 45度20分10秒",
        ] {
            assert!(close(ll(s), want), "{s}: {:?}", ll(s));
            assert_eq!(parse_place(s).map(|p| p.kind), Some(PlaceKind::Dms));
        }
    }

    #[test]
    fn zone41_xy_in_either_order_with_or_without_the_prefix_agrees_with_proj() {
        let (x, y) = (5_023_456.7, 41_457_390.25);
        let proj = crate::crs::zone41_to_lonlat(crate::crs::SurveyXY { x, y }).expect("PROJ");
        for s in [
            "41457390.25 5023456.7",
            "5023456.7 41457390.25",
            "X=5023456.7 Y=41457390.25",
            "457390.25 5023456.7",
            "5023456.7, 457390.25",
        ] {
            let p = parse_place(s).unwrap_or_else(|| panic!("{s}"));
            assert!(
                (p.lon - proj.0).abs() < 1e-9 && (p.lat - proj.1).abs() < 1e-9,
                "{s}: {p:?} vs {proj:?}"
            );
            assert!(matches!(p.kind, PlaceKind::Zone41 { x: xx, .. } if xx == x));
        }
    }

    #[test]
    fn other_text_is_not_a_place() {
        for s in [
            "蛟流河乡",
            "jlh",
            "C2201",
            "122.78",
            "1 2 3",
            "200 100",
            "95 95 E",
            "12'30\" 45",
            "",
            "5023456.7 5023456.7",
        ] {
            assert_eq!(parse_place(s), None, "{s}");
        }
    }
}
