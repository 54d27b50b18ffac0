//! HATCH boundaries of a DXF, read from its group codes (the `dxf` crate 0.6 skips HATCH
//! entities): the text pairs of an ASCII drawing, or the typed values of a binary one
//! ([`binary_pairs`]) turned into the same text. Each boundary path of a model-space HATCH becomes a closed path: polyline paths
//! (with bulges) and edge paths (lines, circular and elliptic arcs; a spline edge by its control
//! points). An *associative* HATCH that names its source objects (group 97 > 0) is left out: its
//! boundary is already in the drawing as those objects.

use geo::Coord;

use super::shapes::{Shape, bulge_arc};

/// What the HATCH entities of a drawing give.
#[derive(Debug, Default)]
pub struct Hatches {
    /// One closed path per boundary path.
    pub paths: Vec<Shape>,
    /// Associative hatches left out (their boundary objects are loaded).
    pub associative: usize,
    /// Hatches whose group codes could not be followed.
    pub unreadable: usize,
}

/// The group-code pairs of a text DXF.
fn pairs(text: &str) -> Vec<(i32, &str)> {
    let mut lines = text.lines();
    let mut out = Vec::new();
    while let (Some(c), Some(v)) = (lines.next(), lines.next()) {
        match c.trim().parse::<i32>() {
            Ok(code) => out.push((code, v.trim_end_matches('\r'))),
            Err(_) => break,
        }
    }
    out
}

/// A cursor over one entity's pairs.
struct Cur<'a> {
    p: &'a [(i32, &'a str)],
    i: usize,
}

impl Cur<'_> {
    /// The value of the next pair with `code` (skipping others), as a number.
    fn num(&mut self, code: i32) -> Option<f64> {
        while self.i < self.p.len() {
            let (c, v) = self.p[self.i];
            self.i += 1;
            if c == code {
                return v.trim().parse().ok();
            }
        }
        None
    }

    /// Move past the next pair with `code` (a handle, not a number).
    fn skip(&mut self, code: i32) -> Option<()> {
        while self.i < self.p.len() {
            let (c, _) = self.p[self.i];
            self.i += 1;
            if c == code {
                return Some(());
            }
        }
        None
    }

    /// A count, bounded by what is left (a count larger than the entity is an error).
    fn count(&mut self, code: i32) -> Option<usize> {
        let n = self.num(code)?;
        (n >= 0.0 && n <= (self.p.len() - self.i) as f64).then_some(n as usize)
    }

    fn peek(&self) -> Option<i32> {
        self.p.get(self.i).map(|(c, _)| *c)
    }
}

fn arc(c: Coord<f64>, r: f64, start: f64, end: f64, ccw: bool) -> Vec<Coord<f64>> {
    let (mut s, mut e) = (start.to_radians(), end.to_radians());
    if !ccw {
        (s, e) = (-s, -e);
    }
    if e <= s {
        e += std::f64::consts::TAU;
    }
    let n = (((e - s) / 5f64.to_radians()).ceil() as usize).clamp(2, 72);
    (0..=n)
        .map(|i| {
            let t = s + (e - s) * i as f64 / n as f64;
            let t = if ccw { t } else { -t };
            Coord {
                x: c.x + r * t.cos(),
                y: c.y + r * t.sin(),
            }
        })
        .collect()
}

fn xy(cur: &mut Cur<'_>, cx: i32, cy: i32) -> Option<Coord<f64>> {
    Some(Coord {
        x: cur.num(cx)?,
        y: cur.num(cy)?,
    })
}

/// One edge of an edge-defined boundary path.
fn edge(cur: &mut Cur<'_>, out: &mut Vec<Coord<f64>>) -> Option<()> {
    match cur.num(72)? as i32 {
        1 => {
            out.push(xy(cur, 10, 20)?);
            out.push(xy(cur, 11, 21)?);
        }
        2 => {
            let c = xy(cur, 10, 20)?;
            let (r, s, e) = (cur.num(40)?, cur.num(50)?, cur.num(51)?);
            let ccw = cur.num(73)? != 0.0;
            out.extend(arc(c, r, s, e, ccw));
        }
        3 => {
            let c = xy(cur, 10, 20)?;
            let major = xy(cur, 11, 21)?;
            let ratio = cur.num(40)?;
            let (s, e) = (cur.num(50)?, cur.num(51)?);
            let ccw = cur.num(73)? != 0.0;
            let a = major.x.hypot(major.y);
            let rot = major.y.atan2(major.x);
            for p in arc(Coord { x: 0.0, y: 0.0 }, 1.0, s, e, ccw) {
                let (x, y) = (a * p.x, a * ratio * p.y);
                out.push(Coord {
                    x: c.x + x * rot.cos() - y * rot.sin(),
                    y: c.y + x * rot.sin() + y * rot.cos(),
                });
            }
        }
        4 => {
            let _degree = cur.num(94)?;
            let knots = cur.count(95)?;
            let controls = cur.count(96)?;
            for _ in 0..knots {
                cur.num(40)?;
            }
            for _ in 0..controls {
                out.push(xy(cur, 10, 20)?);
            }
        }
        _ => return None,
    }
    Some(())
}

/// One boundary path as a ring.
fn path(cur: &mut Cur<'_>) -> Option<Vec<Coord<f64>>> {
    let flags = cur.num(92)? as i64;
    let mut ring = Vec::new();
    if flags & 2 != 0 {
        let has_bulge = cur.num(72)? != 0.0;
        let _closed = cur.num(73)?;
        let n = cur.count(93)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            let p = xy(cur, 10, 20)?;
            let b = if has_bulge && cur.peek() == Some(42) {
                cur.num(42)?
            } else {
                0.0
            };
            v.push((p, b));
        }
        if let Some(&(first, _)) = v.first() {
            ring.push(first);
            for i in 0..v.len() {
                let (a, bulge) = v[i];
                let b = v.get(i + 1).map_or(first, |n| n.0);
                ring.extend(bulge_arc(a, b, bulge));
            }
        }
    } else {
        let n = cur.count(93)?;
        for _ in 0..n {
            edge(cur, &mut ring)?;
        }
    }
    Some(ring)
}

/// One HATCH: its layer, its boundary rings, and whether it is associative with source objects.
type Hatch = (String, Vec<Vec<Coord<f64>>>, bool);

/// The boundary paths of one HATCH entity's pairs.
fn hatch(p: &[(i32, &str)]) -> Option<Hatch> {
    let layer = p
        .iter()
        .find(|(c, _)| *c == 8)
        .map_or("0", |(_, v)| v)
        .to_owned();
    let mut cur = Cur { p, i: 0 };
    let associative = cur.num(71)? != 0.0;
    let n = cur.count(91)?;
    let mut rings = Vec::with_capacity(n);
    let mut sources = 0usize;
    for _ in 0..n {
        rings.push(path(&mut cur)?);
        let k = cur.count(97)?;
        sources += k;
        for _ in 0..k {
            cur.skip(330)?;
        }
    }
    Some((layer, rings, associative && sources > 0))
}

/// The sentinel that opens a binary DXF (22 bytes).
const BINARY_SENTINEL: &[u8] = b"AutoCAD Binary DXF\r\n\x1a\0";

/// How a binary DXF stores the value of a group code (AutoCAD's DXF reference, "Group Code
/// Value Types"; R13 and later, where a code takes two bytes).
enum Binary {
    Text,
    Double,
    Int16,
    Int32,
    Int64,
    Bool,
    Chunk,
}

fn binary_kind(code: i32) -> Binary {
    match code {
        10..=59 | 110..=149 | 210..=239 | 460..=469 | 1010..=1059 => Binary::Double,
        60..=79 | 170..=179 | 270..=289 | 370..=389 | 400..=409 | 1060..=1070 => Binary::Int16,
        90..=99 | 420..=429 | 440..=459 | 1071 => Binary::Int32,
        160..=169 => Binary::Int64,
        290..=299 => Binary::Bool,
        310..=319 | 1004 => Binary::Chunk,
        _ => Binary::Text,
    }
}

/// The first `n` bytes of `rest`, which moves past them; `None` when it is shorter.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, tail) = rest.split_at_checked(n)?;
    *rest = tail;
    Some(head)
}

/// The group-code pairs of a binary DXF (R13 or later), each value written as an ASCII DXF
/// would write it (numbers in Rust's shortest exact form; text decoded as UTF-8, else with
/// `enc`). `None` when the bytes are not a binary DXF or end inside a value.
pub fn binary_pairs(
    bytes: &[u8],
    enc: &'static encoding_rs::Encoding,
) -> Option<Vec<(i32, String)>> {
    let mut rest = bytes.strip_prefix(BINARY_SENTINEL)?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let c = take(&mut rest, 2)?;
        let code = i32::from(i16::from_le_bytes([c[0], c[1]]));
        let value = match binary_kind(code) {
            Binary::Double => {
                let b: [u8; 8] = take(&mut rest, 8)?.try_into().ok()?;
                f64::from_le_bytes(b).to_string()
            }
            Binary::Int16 => {
                let b = take(&mut rest, 2)?;
                i16::from_le_bytes([b[0], b[1]]).to_string()
            }
            Binary::Int32 => {
                let b: [u8; 4] = take(&mut rest, 4)?.try_into().ok()?;
                i32::from_le_bytes(b).to_string()
            }
            Binary::Int64 => {
                let b: [u8; 8] = take(&mut rest, 8)?.try_into().ok()?;
                i64::from_le_bytes(b).to_string()
            }
            Binary::Bool => take(&mut rest, 1)?[0].to_string(),
            Binary::Chunk => {
                let n = take(&mut rest, 1)?[0];
                take(&mut rest, usize::from(n))?;
                String::new()
            }
            Binary::Text => {
                let end = rest.iter().position(|&b| b == 0)?;
                let raw = take(&mut rest, end)?;
                take(&mut rest, 1)?;
                match std::str::from_utf8(raw) {
                    Ok(s) => s.to_owned(),
                    Err(_) => enc.decode(raw).0.into_owned(),
                }
            }
        };
        let eof = code == 0 && value == "EOF";
        out.push((code, value));
        if eof {
            break;
        }
    }
    Some(out)
}

/// The HATCH boundaries in the ENTITIES section of an ASCII DXF's text.
pub fn read(text: &str) -> Hatches {
    read_pairs(&pairs(text))
}

/// The HATCH boundaries of a binary DXF (see [`binary_pairs`]); `None` when its values cannot
/// be followed to the end.
pub fn read_binary(bytes: &[u8], enc: &'static encoding_rs::Encoding) -> Option<Hatches> {
    let owned = binary_pairs(bytes, enc)?;
    let all: Vec<(i32, &str)> = owned.iter().map(|(c, v)| (*c, v.as_str())).collect();
    Some(read_pairs(&all))
}

/// The HATCH boundaries in the ENTITIES section of a drawing's group-code pairs.
fn read_pairs(all: &[(i32, &str)]) -> Hatches {
    let mut out = Hatches::default();
    let start = all
        .windows(2)
        .position(|w| w[0] == (0, "SECTION") && w[1] == (2, "ENTITIES"));
    let Some(mut i) = start.map(|s| s + 2) else {
        return out;
    };
    while i < all.len() {
        if all[i] == (0, "ENDSEC") {
            break;
        }
        let end = all[i + 1..]
            .iter()
            .position(|(c, _)| *c == 0)
            .map_or(all.len(), |k| i + 1 + k);
        if all[i] == (0, "HATCH") {
            match hatch(&all[i + 1..end]) {
                Some((_, _, true)) => out.associative += 1,
                Some((layer, rings, false)) => {
                    out.paths
                        .extend(rings.into_iter().map(|points| Shape::Path {
                            layer: layer.clone(),
                            entity: "HATCH",
                            points,
                            closed: true,
                        }));
                }
                None => out.unreadable += 1,
            }
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HATCH: &str = "  0\nSECTION\n  2\nENTITIES\n  0\nHATCH\n  8\n地类\n 10\n0.0\n 20\n0.0\n  2\nSOLID\n 70\n1\n 71\n0\n 91\n2\n 92\n2\n 72\n0\n 73\n1\n 93\n4\n 10\n0\n 20\n0\n 10\n10\n 20\n0\n 10\n10\n 20\n10\n 10\n0\n 20\n10\n 97\n0\n 92\n1\n 93\n2\n 72\n1\n 10\n2\n 20\n2\n 11\n4\n 21\n2\n 72\n2\n 10\n3\n 20\n2\n 40\n1\n 50\n0\n 51\n180\n 73\n1\n 97\n0\n 75\n0\n 76\n1\n 98\n1\n 10\n5\n 20\n5\n  0\nHATCH\n  8\n0\n 71\n1\n 91\n1\n 92\n2\n 72\n0\n 73\n1\n 93\n3\n 10\n0\n 20\n0\n 10\n1\n 20\n0\n 10\n1\n 20\n1\n 97\n1\n330\nABC\n  0\nHATCH\n  8\n0\n 71\n0\n 91\n999\n 92\n2\n  0\nENDSEC\n  0\nEOF\n";

    #[test]
    fn polyline_and_edge_paths_are_read_associative_ones_left_out() {
        let h = read(HATCH);
        assert_eq!(h.paths.len(), 2);
        assert_eq!(h.associative, 1);
        assert_eq!(h.unreadable, 1, "a count larger than the entity");
        let Shape::Path { layer, points, .. } = &h.paths[0] else {
            panic!("path")
        };
        assert_eq!(layer, "地类");
        assert_eq!(points.len(), 5);
        let Shape::Path { points, .. } = &h.paths[1] else {
            panic!("path")
        };
        // A line then a half circle over it.
        assert_eq!(points[0], Coord { x: 2.0, y: 2.0 });
        assert!(
            points
                .iter()
                .any(|p| (p.x - 3.0).abs() < 1e-9 && (p.y - 3.0).abs() < 1e-9)
        );
    }
}
