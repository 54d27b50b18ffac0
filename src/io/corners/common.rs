//! Helpers every layout reader shares: line normalisation, problem messages, number and
//! DMS parsing, ring checks (closing, distinct points, point in ring).

use super::LineProblem;

/// Parse an angle written in degrees–minutes–seconds (or decimal degrees) to degrees.
///
/// Accepts `45°30′12.345″`, `45°30'12.345"`, `45度30分12.345秒`, `45:30:12.345`,
/// `45 30 12.345`, `45°30.5′` (decimal minutes), `45.5` (decimal degrees), a leading sign, a
/// leading or trailing hemisphere letter (N/E positive, S/W negative) or 北纬/东经/南纬/西经,
/// and full-width digits. Minutes and seconds must be below 60 and only the last component may
/// have decimals; anything else gives `None`.
pub fn parse_dms(s: &str) -> Option<f64> {
    let s = normalise(s);
    let mut t = s.trim();
    let mut negative = false;
    for (prefix, neg) in [
        ("北纬", false),
        ("东经", false),
        ("南纬", true),
        ("西经", true),
    ] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim_start();
            negative ^= neg;
        }
    }
    if let Some(c) = t.chars().next()
        && "NSEWnsew".contains(c)
    {
        negative ^= "SWsw".contains(c);
        t = t[c.len_utf8()..].trim_start();
    }
    if let Some(c) = t.chars().last()
        && "NSEWnsew".contains(c)
    {
        negative ^= "SWsw".contains(c);
        t = t[..t.len() - c.len_utf8()].trim_end();
    }
    if let Some(rest) = t.strip_prefix('-') {
        negative ^= true;
        t = rest;
    } else if let Some(rest) = t.strip_prefix('+') {
        t = rest;
    }
    let spaced: String = t
        .chars()
        .map(|c| match c {
            '°' | 'º' | '˚' | '′' | '\'' | '’' | '‘' | '″' | '"' | '”' | '“' | '度' | '分'
            | '秒' | ':' => ' ',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = spaced.split_whitespace().collect();
    if parts.is_empty() || parts.len() > 3 || !parts.iter().all(|p| is_unsigned_number(p)) {
        return None;
    }
    let vals: Vec<f64> = parts.iter().filter_map(|p| p.parse::<f64>().ok()).collect();
    if vals.len() != parts.len() {
        return None;
    }
    let last = vals.len() - 1;
    if vals[..last].iter().any(|v| v.fract() != 0.0) || vals[1..].iter().any(|v| *v >= 60.0) {
        return None;
    }
    let deg =
        vals[0] + vals.get(1).map_or(0.0, |m| m / 60.0) + vals.get(2).map_or(0.0, |s| s / 3600.0);
    Some(if negative { -deg } else { deg })
}

/// Convert the compact `ddd.mmss` form to degrees: 122.304512 → 122 + 30/60 + 45.12/3600.
///
/// Digits 1–2 after the point are minutes, 3–4 seconds, the rest decimals of a second. The sign
/// is kept. No range check is made (see [`parse_dms`] for validated text input).
pub fn parse_ddd_mmss(v: f64) -> f64 {
    let x = v.abs();
    let d = x.trunc();
    let r = (x - d) * 100.0;
    let m = (r + 1e-9).floor();
    let s = ((r - m) * 100.0).max(0.0);
    let deg = d + m / 60.0 + s / 3600.0;
    if v < 0.0 { -deg } else { deg }
}

/// Full-width ASCII forms → ASCII, ideographic space → space, minus sign → '-', trailing spaces
/// removed.
pub(super) fn normalise(line: &str) -> String {
    let s: String = line
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{2212}' => '-',
            '\u{FEFF}' => ' ',
            c => c,
        })
        .collect();
    s.trim_end().to_string()
}

pub(super) fn problem(line: usize, zh: &str, en: &str) -> LineProblem {
    LineProblem {
        line,
        message: crate::text!("第{line}行：{zh}", "line {line}: {en}"),
    }
}

pub(super) fn not_a_number(line: usize, s: &str) -> LineProblem {
    problem(
        line,
        &format!("坐标不是数字：\"{s}\""),
        &format!("coordinate is not a number: \"{s}\""),
    )
}

/// Digits with at most one '.', no sign.
pub(super) fn is_unsigned_number(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let dots = s.chars().filter(|c| *c == '.').count();
    digits > 0 && dots <= 1 && digits + dots == s.chars().count()
}

/// An optional sign followed by an unsigned number.
pub(super) fn is_plain_number(s: &str) -> bool {
    let s = s.trim();
    is_unsigned_number(s.strip_prefix(['-', '+']).unwrap_or(s))
}

/// A finite decimal number (no exponent, no `inf`/`nan`).
pub(super) fn num(s: &str) -> Option<f64> {
    let s = s.trim();
    if !is_plain_number(s) {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub(super) fn same(a: [f64; 2], b: [f64; 2]) -> bool {
    (a[0] - b[0]).abs() <= 1e-6 && (a[1] - b[1]).abs() <= 1e-6
}

/// Number of corners (without a closing repeat) of a possibly closed point list.
pub(super) fn corner_count(pts: &[[f64; 2]]) -> usize {
    match (pts.first(), pts.last()) {
        (Some(f), Some(l)) if pts.len() >= 2 && same(*f, *l) => pts.len() - 1,
        _ => pts.len(),
    }
}

/// The corners closed: first point appended.
pub(super) fn closed(corners: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out = corners.to_vec();
    if let Some(f) = corners.first() {
        out.push(*f);
    }
    out
}

/// How many distinct points (to within 1e-6) a list has, counted up to 3: every caller only
/// asks whether a ring has the three it needs, and counting them all was quadratic (19 s for a
/// list of 200 000 points).
pub(super) fn distinct(pts: &[[f64; 2]]) -> usize {
    let mut seen: Vec<[f64; 2]> = Vec::with_capacity(3);
    for p in pts {
        if !seen.iter().any(|q| same(*p, *q)) {
            seen.push(*p);
            if seen.len() == 3 {
                break;
            }
        }
    }
    seen.len()
}

/// A ring or parcel of fewer than 3 distinct points, named in Chinese (`what_zh`) and English.
pub(super) fn too_few(line: usize, what_zh: &str, what_en: &str, n: usize) -> LineProblem {
    problem(
        line,
        &format!("{what_zh}只有{n}个不同的点，已忽略"),
        &format!("{what_en} has only {n} distinct point(s) (need 3); dropped"),
    )
}

pub(super) fn default_name(index: usize) -> String {
    format!("地块{}", index + 1)
}

/// Even-odd point-in-polygon test.
pub(super) fn inside(p: [f64; 2], ring: &[[f64; 2]]) -> bool {
    let mut inside = false;
    let n = ring.len();
    if n < 3 {
        return false;
    }
    let mut j = n - 1;
    for i in 0..n {
        let (a, b) = (ring[i], ring[j]);
        if (a[1] > p[1]) != (b[1] > p[1])
            && p[0] < (b[0] - a[0]) * (p[1] - a[1]) / (b[1] - a[1]) + a[0]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Compact `ddd.mmss` from text, exact on the digits; `None` if minutes or seconds ≥ 60.
pub(super) fn mmss_from_str(s: &str) -> Option<f64> {
    let s = s.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if !is_unsigned_number(body) {
        return None;
    }
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let d: f64 = if int.is_empty() {
        0.0
    } else {
        int.parse().ok()?
    };
    let mut frac = frac.to_string();
    while frac.len() < 4 {
        frac.push('0');
    }
    let m: f64 = frac[..2].parse().ok()?;
    let sec: f64 = format!("{}.{}", &frac[2..4], &frac[4..])
        .trim_end_matches('.')
        .parse()
        .ok()?;
    if m >= 60.0 || sec >= 60.0 {
        return None;
    }
    let v = d + m / 60.0 + sec / 3600.0;
    Some(if neg { -v } else { v })
}

/// One latitude or longitude cell: DMS text, else a plain number read as compact `ddd.mmss` or,
/// when `decimal`, as decimal degrees.
pub(super) fn geo_value(s: &str, decimal: bool) -> Option<f64> {
    if is_plain_number(s) {
        if decimal { num(s) } else { mmss_from_str(s) }
    } else {
        parse_dms(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_dms_variants() {
        let want = 45.0 + 30.0 / 60.0 + 12.345 / 3600.0;
        for s in [
            "45°30′12.345″",
            "45°30'12.345\"",
            "45:30:12.345",
            "45 30 12.345",
            "45度30分12.345秒",
            "N45°30′12.345″",
            "４５°３０′１２．３４５″",
            "45°30′12.345′′",
        ] {
            let got = parse_dms(s).unwrap_or(f64::NAN);
            assert!((got - want).abs() < 1e-9, "{s}: {got}");
        }
        assert_eq!(parse_dms("45.5"), Some(45.5));
        assert_eq!(parse_dms("45°30.5′"), Some(45.0 + 30.5 / 60.0));
        assert_eq!(parse_dms("-122 30 0"), Some(-122.5));
        assert_eq!(parse_dms("122°30′W"), Some(-122.5));
        assert_eq!(parse_dms("45°60′00″"), None);
        assert_eq!(parse_dms("45.5 30"), None);
        assert_eq!(parse_dms("abc"), None);
        assert_eq!(parse_dms(""), None);
    }

    #[test]
    fn parse_ddd_mmss_values() {
        let got = parse_ddd_mmss(122.304512);
        assert!(
            (got - (122.0 + 30.0 / 60.0 + 45.12 / 3600.0)).abs() < 1e-9,
            "{got}"
        );
        let got = parse_ddd_mmss(45.3012345);
        assert!(
            (got - (45.0 + 30.0 / 60.0 + 12.345 / 3600.0)).abs() < 1e-9,
            "{got}"
        );
        let got = parse_ddd_mmss(122.31);
        assert!((got - 122.516_666_666_666_67).abs() < 1e-9, "{got}");
        let got = parse_ddd_mmss(-45.3);
        assert!((got + 45.5).abs() < 1e-9, "{got}");
    }
}
