//! The DBF (dBase III) attribute table of a shapefile, in a chosen encoding.
//!
//! Written here rather than with the `dbase` crate because `dbase` writes field *names* as
//! UTF-8 whatever the table's encoding, and a GBK table needs GBK names (a Chinese name of 5
//! characters is 10 GBK bytes, 15 UTF-8 bytes). Field names are cut to 10 bytes in the chosen
//! encoding (at a character boundary) and made unique (case-insensitively, `_2`, `_3` …).
//! Types come from the values ([`FieldKind`]): whole numbers `N` with no decimals, other
//! numbers `N` with as many decimals as the values need (≤ 15, width ≤ 24 as GDAL does),
//! everything else `C` as wide as the longest value (≤ 254 bytes). Nulls are blanks. The
//! language driver byte says code page 936 for GBK (0x4D), 0 otherwise (the `.cpg` says
//! UTF-8). Characters the encoding cannot hold are counted and reported, never dropped in
//! silence.

use std::io::Write;

use encoding_rs::Encoding;

use super::table::{FieldKind, Table};
use crate::model::Value;

/// One field's description as written.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDesc {
    /// The name as written (≤ 10 bytes in the encoding), decoded.
    pub name: String,
    /// The encoded name.
    name_bytes: Vec<u8>,
    /// `C` or `N`.
    pub kind: u8,
    /// Width in bytes.
    pub width: u8,
    /// Decimals (`N` only).
    pub decimals: u8,
}

/// The text values of the rows, encoded once (GBK encoding is the slow part of writing a
/// DBF): one buffer, and per (row, field) the end of its bytes; numbers and nulls are empty.
#[derive(Debug, Default)]
pub struct Encoded {
    bytes: Vec<u8>,
    ends: Vec<u64>,
    /// The encoding is GBK (the language driver byte says code page 936).
    gbk: bool,
    /// What encoding met.
    pub losses: Losses,
}

impl Encoded {
    fn cell(&self, k: usize) -> &[u8] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] as usize };
        self.bytes
            .get(start..self.ends.get(k).map_or(start, |e| *e as usize))
            .unwrap_or(&[])
    }
}

/// The field layout of a table's rows `indices`, with notes (renamed fields), and the rows'
/// text encoded.
pub fn layout(
    table: &Table,
    indices: &[usize],
    kinds: &[FieldKind],
    enc: &'static Encoding,
) -> (Vec<FieldDesc>, Vec<crate::text::Text>, Encoded) {
    let (mut fields, notes) = field_names(table, kinds, enc);
    // Widths and decimals from the values; integer digits (with the sign) of the widest
    // number, so that decimals give way and a field stays within 24 characters (the integer
    // part is never cut).
    let mut int_len = vec![1usize; fields.len()];
    let mut encoded = Encoded {
        gbk: enc == encoding_rs::GBK,
        ..Encoded::default()
    };
    for &i in indices {
        let row = table.row(i);
        for ((f, v), n) in fields.iter_mut().zip(&row.values).zip(int_len.iter_mut()) {
            match v {
                Value::Number(x) if f.kind == b'N' => {
                    f.decimals = decimals_of(*x).max(f.decimals);
                    *n = (*n).max(format!("{:.0}", x.trunc()).len());
                }
                Value::Null => {}
                v if f.kind == b'C' => {
                    let text = v.display();
                    let (bytes, _, lossy) = enc.encode(&text);
                    encoded.losses.unmappable += usize::from(lossy);
                    let bytes = if bytes.len() > 254 {
                        encoded.losses.truncated += 1;
                        std::borrow::Cow::Owned(enc.encode(&cut(&text, enc, 254)).0.into_owned())
                    } else {
                        bytes
                    };
                    f.width = f.width.max(bytes.len() as u8);
                    encoded.bytes.extend_from_slice(&bytes);
                }
                _ => {}
            }
            encoded.ends.push(encoded.bytes.len() as u64);
        }
    }
    for (f, n) in fields.iter_mut().zip(int_len) {
        if f.kind == b'N' {
            let room = 24usize.saturating_sub(n + 1);
            f.decimals = f.decimals.min(room as u8);
            let w = if f.decimals > 0 {
                n + 1 + f.decimals as usize
            } else {
                n
            };
            f.width = w.min(255) as u8;
        }
    }
    (fields, notes, encoded)
}

/// The fields' names as DBF holds them (at most 10 bytes in `enc`, unique regardless of case,
/// `F1`… for empty ones) and their kinds, widths still to be measured; with a note per renamed
/// field.
fn field_names(
    table: &Table,
    kinds: &[FieldKind],
    enc: &'static Encoding,
) -> (Vec<FieldDesc>, Vec<crate::text::Text>) {
    let mut notes = Vec::new();
    let mut fields: Vec<FieldDesc> = Vec::with_capacity(table.fields.len());
    for (name, kind) in table.fields.iter().zip(kinds) {
        let base = match cut(name, enc, 10) {
            s if s.trim().is_empty() => format!("F{}", fields.len() + 1),
            s => s,
        };
        let mut short = base.clone();
        let mut n = 2;
        while fields.iter().any(|f| f.name.eq_ignore_ascii_case(&short)) {
            let suffix = format!("_{n}");
            short = format!(
                "{}{suffix}",
                cut(&base, enc, 10usize.saturating_sub(suffix.len()))
            );
            n += 1;
        }
        if short != *name {
            notes.push(crate::text!(
                "字段 {name} 写为 {short}（DBF 字段名最长 10 字节）",
                "field {name} written as {short} (DBF names hold 10 bytes)"
            ));
        }
        let name_bytes = enc.encode(&short).0.into_owned();
        let (kind, decimals) = match kind {
            FieldKind::Integer => (b'N', 0),
            FieldKind::Real => (b'N', 0),
            FieldKind::Text => (b'C', 0),
        };
        fields.push(FieldDesc {
            name: short,
            name_bytes,
            kind,
            width: 1,
            decimals,
        });
    }
    (fields, notes)
}

/// Digits after the point in the shortest exact form of `x`, at most 15.
fn decimals_of(x: f64) -> u8 {
    let s = format!("{x}");
    s.split_once('.').map_or(0, |(_, d)| d.len().min(15) as u8)
}

/// The longest prefix of `s` whose encoding fits in `max` bytes.
fn cut(s: &str, enc: &'static Encoding, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        if enc.encode(&next).0.len() > max {
            break;
        }
        out = next;
    }
    out
}

/// What writing the records met.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Losses {
    /// Values with characters the encoding cannot hold (written as `&#NNNN;`).
    pub unmappable: usize,
    /// Values cut to the field's 254 bytes.
    pub truncated: usize,
}

/// Write the table's rows `indices` with `fields` and their `encoded` text (from [`layout`]
/// with the same rows).
pub fn write(
    w: &mut dyn Write,
    table: &Table,
    indices: &[usize],
    fields: &[FieldDesc],
    encoded: &Encoded,
) -> std::io::Result<()> {
    let header_len = 32 + 32 * fields.len() + 1;
    let record_len = 1 + fields.iter().map(|f| f.width as usize).sum::<usize>();
    let too_big = || std::io::Error::other("too many or too wide fields for a DBF table");
    let header_len = u16::try_from(header_len).map_err(|_| too_big())?;
    let record_len = u16::try_from(record_len).map_err(|_| too_big())?;
    let count = u32::try_from(indices.len()).map_err(|_| too_big())?;
    let (y, m, d) = today();
    let mut h = [0u8; 32];
    h[0] = 0x03;
    h[1..4].copy_from_slice(&[y, m, d]);
    h[4..8].copy_from_slice(&count.to_le_bytes());
    h[8..10].copy_from_slice(&header_len.to_le_bytes());
    h[10..12].copy_from_slice(&record_len.to_le_bytes());
    h[29] = if encoded.gbk { 0x4D } else { 0 };
    w.write_all(&h)?;
    for f in fields {
        let mut d = [0u8; 32];
        d[..f.name_bytes.len().min(10)]
            .copy_from_slice(&f.name_bytes[..f.name_bytes.len().min(10)]);
        d[11] = f.kind;
        d[16] = f.width;
        d[17] = f.decimals;
        w.write_all(&d)?;
    }
    w.write_all(&[0x0D])?;
    let mut rec = Vec::with_capacity(record_len as usize);
    for (r, &i) in indices.iter().enumerate() {
        let row = table.row(i);
        rec.clear();
        rec.push(b' ');
        for (k, (f, v)) in fields.iter().zip(&row.values).enumerate() {
            let width = f.width as usize;
            match (v, f.kind) {
                (Value::Null, _) => rec.extend(std::iter::repeat_n(b' ', width)),
                (Value::Number(x), b'N') => {
                    let s = format!("{x:>width$.*}", f.decimals as usize);
                    let s = if s.len() > width {
                        "*".repeat(width)
                    } else {
                        s
                    };
                    rec.extend_from_slice(s.as_bytes());
                }
                _ => {
                    let bytes = encoded.cell(r * fields.len() + k);
                    let n = bytes.len().min(width);
                    rec.extend_from_slice(&bytes[..n]);
                    rec.extend(std::iter::repeat_n(b' ', width - n));
                }
            }
        }
        w.write_all(&rec)?;
    }
    w.write_all(&[0x1A])
}

/// Today's date (UTC) for the header: years since 1900, month, day.
fn today() -> (u8, u8, u8) {
    let s = crate::cli::report_date();
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok()).unwrap_or(0);
    (
        n(0..4).saturating_sub(1900).min(255) as u8,
        n(5..7) as u8,
        n(8..10) as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_in_the_encoding_and_made_unique() {
        assert_eq!(cut("规划区块名称字段", encoding_rs::GBK, 10), "规划区块名");
        assert_eq!(cut("规划区块名称字段", encoding_rs::UTF_8, 10), "规划区");
        assert_eq!(decimals_of(29.617), 3);
        assert_eq!(decimals_of(5.0), 0);
    }

    #[test]
    fn numbers_keep_their_integer_part_within_24_characters() {
        use crate::io::write::table::{Row, Table};
        let vals = [1_234_567_890.123_456_7, -0.5, 42.0];
        let t = Table::new("t".into(), vec!["N".into()], 3, move |i| Row {
            name: String::new(),
            values: vec![Value::Number(vals[i])],
            geometry: std::borrow::Cow::Owned(crate::io::write::table::empty()),
        });
        let kinds = t.field_kinds();
        let (f, _, e) = layout(&t, &[0, 1, 2], &kinds, encoding_rs::GBK);
        assert!(f[0].width <= 24, "{:?}", f[0]);
        let mut out = Vec::new();
        write(&mut out, &t, &[0, 1, 2], &f, &e).expect("written");
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains('*'), "{text}");
        assert!(text.contains("1234567890.123456"), "{text}");
    }
}
