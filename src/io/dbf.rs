//! A small dBase III table reader and writer with explicit text encodings.
//!
//! The `dbase` crate (used by `shapefile`) decodes text lossily by default, cannot be given a
//! strict decoder from outside the crate (its `DecodeError` is private) and stamps today's date
//! into every file it writes. This module keeps the raw bytes, decodes strictly with the chosen
//! encoding and reports what it could not decode, and writes byte-for-byte reproducible files.

use crate::text;
use crate::text::Text;
use encoding_rs::Encoding;

use crate::io::encoding::{decode_strict, encode_strict};
use crate::model::{Value, format_number};

/// A field (column) of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Field name, decoded with the table's encoding.
    pub name: String,
    /// dBase type letter: `C` text, `N`/`F` number, `L` logical, `D` date, others kept as text.
    pub kind: char,
    /// Width in bytes.
    pub length: u8,
    /// Decimal places (numbers).
    pub decimals: u8,
}

/// A value that could not be decoded with the table's encoding.
#[derive(Debug, Clone, PartialEq)]
pub struct Undecodable {
    /// 0-based record index.
    pub record: usize,
    /// Field name.
    pub field: String,
}

/// A whole table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Fields in file order.
    pub fields: Vec<Field>,
    /// Records in file order, packed as the features keep them (one shared list of field
    /// names); `None` for records flagged as deleted.
    pub records: Vec<Option<crate::model::Attributes>>,
    /// Language driver id (header byte 29).
    pub ldid: u8,
    /// Record count declared in the header.
    pub declared_records: usize,
    /// Text values that were not valid in the encoding (shown with U+FFFD and reported).
    pub undecodable: Vec<Undecodable>,
}

/// Read a table from bytes, decoding text with `enc`.
///
/// A table shorter than its header declares is read as far as it goes (`records.len()` then
/// is below `declared_records`); a malformed header is an error.
pub fn read(bytes: &[u8], enc: &'static Encoding) -> Result<Table, Text> {
    if bytes.len() < 32 {
        let n = bytes.len();
        return Err(text!(
            "DBF 太短：{n} 字节，文件头需要 32 字节",
            "DBF too short: {n} bytes, a header needs 32"
        ));
    }
    let declared = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let header_len = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    let record_len = u16::from_le_bytes([bytes[10], bytes[11]]) as usize;
    let ldid = bytes[29];
    let fields = read_fields(bytes, header_len, enc)?;
    let mut undecodable = Vec::new();
    let sum: usize = 1 + fields.iter().map(|f| f.length as usize).sum::<usize>();
    if record_len != sum {
        return Err(text!(
            "DBF 记录长度 {record_len} 与其字段（{sum} 字节）不符",
            "DBF record length {record_len} does not match its fields ({sum} bytes)"
        ));
    }
    let mut records = Vec::with_capacity(declared.min(1 << 20));
    // The records are built as the features will keep them (no second copy per record).
    let names: crate::model::Schema = fields
        .iter()
        .map(|f| crate::model::FieldName::from(f.name.as_str()))
        .collect();
    let mut values = Vec::with_capacity(fields.len());
    for r in 0..declared {
        let start = header_len + r * record_len;
        let Some(rec) = bytes.get(start..start + record_len) else {
            break;
        };
        if rec[0] == b'*' {
            records.push(None);
            continue;
        }
        values.clear();
        let mut off = 1;
        for f in &fields {
            let raw = &rec[off..off + f.length as usize];
            off += f.length as usize;
            let value = parse_value(f, raw, enc).unwrap_or_else(|| {
                undecodable.push(Undecodable {
                    record: r,
                    field: f.name.clone(),
                });
                Value::Text(String::from_utf8_lossy(trim_bytes(raw)).into_owned())
            });
            values.push(value);
        }
        records.push(Some(crate::model::Attributes::new(
            names.clone(),
            values.iter().map(Value::as_ref),
        )));
    }
    Ok(Table {
        fields,
        records,
        ldid,
        declared_records: declared,
        undecodable,
    })
}

/// The field descriptors of a table's header (32 bytes each from byte 32 up to the 0x0D
/// terminator or `header_len`), names decoded with `enc`. No field, or a field of width 0, is
/// an error.
fn read_fields(
    bytes: &[u8],
    header_len: usize,
    enc: &'static Encoding,
) -> Result<Vec<Field>, Text> {
    let mut fields = Vec::new();
    let mut pos = 32;
    while pos + 32 <= bytes.len().min(header_len.max(33)) && bytes[pos] != 0x0D {
        let d = &bytes[pos..pos + 32];
        let raw_name: Vec<u8> = d[..11].iter().copied().take_while(|&b| b != 0).collect();
        let name = decode_strict(enc, &raw_name)
            .unwrap_or_else(|| String::from_utf8_lossy(&raw_name).into_owned())
            .trim()
            .to_owned();
        fields.push(Field {
            name,
            kind: d[11] as char,
            length: d[16],
            decimals: d[17],
        });
        pos += 32;
    }
    if fields.is_empty() {
        return Err(Text::fixed(
            "DBF 没有声明任何字段",
            "DBF declares no fields",
        ));
    }
    // A field holds at least one byte. Fields of width 0 would make every one-byte record a
    // row of thousands of values (a 1 MB file declaring 2 046 of them asked for 65 GB).
    if let Some(f) = fields.iter().find(|f| f.length == 0) {
        let name = &f.name;
        return Err(text!(
            "DBF 字段 \"{name}\" 宽度为 0（文件头已损坏）",
            "DBF field \"{name}\" has width 0 (a damaged header)"
        ));
    }
    Ok(fields)
}

fn trim_bytes(raw: &[u8]) -> &[u8] {
    let end = raw
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |i| i + 1);
    let start = raw[..end].iter().position(|&b| b != b' ').unwrap_or(end);
    &raw[start..end]
}

/// Parse one field value; `None` when text bytes are invalid in the encoding.
fn parse_value(f: &Field, raw: &[u8], enc: &'static Encoding) -> Option<Value> {
    let t = trim_bytes(raw);
    if t.is_empty() {
        return Some(Value::Null);
    }
    match f.kind {
        'N' | 'F' => {
            let s = String::from_utf8_lossy(t);
            Some(
                s.parse::<f64>()
                    .map(Value::Number)
                    .unwrap_or(Value::Text(s.into_owned())),
            )
        }
        _ => decode_strict(enc, t).map(Value::Text),
    }
}

/// How to write a field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSpec {
    /// ASCII name, at most 10 bytes.
    pub name: String,
    /// `C` or `N`.
    pub kind: char,
    /// Width in bytes.
    pub length: u8,
    /// Decimals for `N`.
    pub decimals: u8,
}

/// Write a table. `date` is the header's last-update date (year, month, day), fixed by the
/// caller so that the output is reproducible; `ldid` is the language driver id to stamp.
pub fn write(
    fields: &[FieldSpec],
    rows: &[Vec<Value>],
    enc: &'static Encoding,
    ldid: u8,
    date: (u16, u8, u8),
) -> Result<Vec<u8>, String> {
    let header_len = 32 + 32 * fields.len() + 1;
    let record_len = 1 + fields.iter().map(|f| f.length as usize).sum::<usize>();
    let mut out = Vec::with_capacity(header_len + record_len * rows.len() + 1);
    out.push(0x03);
    out.push(date.0.saturating_sub(1900).min(255) as u8);
    out.push(date.1);
    out.push(date.2);
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    out.extend_from_slice(&(header_len as u16).to_le_bytes());
    out.extend_from_slice(&(record_len as u16).to_le_bytes());
    out.extend_from_slice(&[0u8; 17]);
    out.push(ldid);
    out.extend_from_slice(&[0u8; 2]);
    for f in fields {
        if f.name.len() > 10 || !f.name.is_ascii() {
            return Err(format!(
                "field name {:?} must be ASCII of at most 10 bytes",
                f.name
            ));
        }
        let mut name = [0u8; 11];
        name[..f.name.len()].copy_from_slice(f.name.as_bytes());
        out.extend_from_slice(&name);
        out.push(f.kind as u8);
        out.extend_from_slice(&[0u8; 4]);
        out.push(f.length);
        out.push(f.decimals);
        out.extend_from_slice(&[0u8; 14]);
    }
    out.push(0x0D);
    for (r, row) in rows.iter().enumerate() {
        if row.len() != fields.len() {
            return Err(format!(
                "record {r} has {} values for {} fields",
                row.len(),
                fields.len()
            ));
        }
        out.push(b' ');
        for (f, v) in fields.iter().zip(row) {
            let width = f.length as usize;
            let bytes = match (f.kind, v) {
                (_, Value::Null) => Vec::new(),
                ('N', Value::Number(n)) => {
                    let s = format!("{n:.*}", f.decimals as usize);
                    format!("{s:>width$}").into_bytes()
                }
                (_, Value::Number(n)) => format_number(*n).into_bytes(),
                (_, Value::Text(s)) => encode_strict(enc, s)
                    .ok_or_else(|| format!("{s:?} cannot be written as {}", enc.name()))?,
            };
            if bytes.len() > width {
                return Err(format!(
                    "value {:?} ({} bytes) is wider than field {} ({width})",
                    v.display(),
                    bytes.len(),
                    f.name
                ));
            }
            out.extend_from_slice(&bytes);
            out.resize(out.len() + width - bytes.len(), b' ');
        }
    }
    out.push(0x1A);
    Ok(out)
}

#[cfg(test)]
mod tests {

    /// 2 046 fields of width 0 and 4 294 967 295 records declared over 1 MB of bytes: an error,
    /// not an allocation of the declared size.
    #[test]
    fn a_header_of_zero_width_fields_and_a_huge_count_is_an_error() {
        let n_fields = 2046usize;
        let header_len = 32 + 32 * n_fields + 1;
        let mut b = vec![0u8; header_len];
        b[0] = 3;
        b[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        b[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
        b[10..12].copy_from_slice(&1u16.to_le_bytes());
        for k in 0..n_fields {
            let d = &mut b[32 + 32 * k..64 + 32 * k];
            d[0] = b'F';
            d[11] = b'C';
        }
        b[header_len - 1] = 0x0D;
        b.extend(std::iter::repeat_n(b' ', 1 << 20));
        let t = std::time::Instant::now();
        let Err(e) = read(&b, encoding_rs::UTF_8) else {
            panic!("an error expected");
        };
        assert!(
            e.in_lang(crate::text::Lang::En).contains("width 0"),
            "{e:?}"
        );
        assert!(
            e.in_lang(crate::text::Lang::Zh).contains("宽度为 0"),
            "{e:?}"
        );
        assert!(t.elapsed().as_secs() < 2);
    }
    use super::*;
    use encoding_rs::{GBK, UTF_8};

    fn spec(name: &str, kind: char, length: u8, decimals: u8) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            kind,
            length,
            decimals,
        }
    }

    #[test]
    fn round_trip_gbk_and_utf8() {
        let fields = [spec("GHQMC", 'C', 60, 0), spec("GHQMJ", 'N', 12, 4)];
        let rows = vec![
            vec![
                Value::Text("洮南市蛟流河乡建筑用砂集中开采区".into()),
                Value::Number(29.617),
            ],
            vec![Value::Null, Value::Null],
        ];
        for enc in [GBK, UTF_8] {
            let bytes = write(&fields, &rows, enc, 0x4D, (2021, 1, 1)).expect("write");
            let t = read(&bytes, enc).expect("read");
            assert_eq!(t.fields.len(), 2);
            assert_eq!(
                t.records[0]
                    .as_ref()
                    .and_then(|r| r.at(0))
                    .map(|(_, v)| v.to_value()),
                Some(rows[0][0].clone())
            );
            assert_eq!(
                t.records[0]
                    .as_ref()
                    .and_then(|r| r.at(1))
                    .map(|(_, v)| v.to_value()),
                Some(Value::Number(29.617))
            );
            assert_eq!(
                t.records[1]
                    .as_ref()
                    .and_then(|r| r.at(0))
                    .map(|(_, v)| v.to_value()),
                Some(Value::Null)
            );
            assert!(t.undecodable.is_empty());
        }
    }

    #[test]
    fn wrong_encoding_is_reported_not_hidden() {
        let fields = [spec("NAME", 'C', 20, 0)];
        let rows = vec![vec![Value::Text("洮南".into())]];
        let bytes = write(&fields, &rows, GBK, 0, (2021, 1, 1)).expect("write");
        let t = read(&bytes, UTF_8).expect("read");
        assert_eq!(
            t.undecodable,
            vec![Undecodable {
                record: 0,
                field: "NAME".into()
            }]
        );
    }

    #[test]
    fn truncated_table_reads_what_is_there() {
        let fields = [spec("N", 'N', 5, 0)];
        let rows: Vec<_> = (0..10).map(|i| vec![Value::Number(i as f64)]).collect();
        let bytes = write(&fields, &rows, UTF_8, 0, (2021, 1, 1)).expect("write");
        let t = read(&bytes[..bytes.len() - 20], UTF_8).expect("read");
        assert_eq!(t.declared_records, 10);
        assert_eq!(t.records.len(), 6);
    }
}
