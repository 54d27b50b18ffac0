//! A feature's attribute values, packed: the field names are shared by every feature of a
//! layer (one [`Schema`]), the values of one feature live in one byte buffer.
//!
//! A county layer has 500 000 features of ~8 fields. Held as `Vec<(name, Value)>` that costs
//! ~450 bytes a feature (a 40-byte slot per field, a heap block per text value); packed it costs
//! ~150 (the text bytes themselves, 8 bytes a number, one tag byte a value). Values are read
//! back as [`ValueRef`]s that borrow the text, so reading an attribute allocates nothing.
//!
//! Layout of the buffer, value after value in field order: a tag byte (`NULL`, `NUMBER`,
//! `TEXT`), then for a number its 8 bytes (little-endian `f64`), for a text its length in bytes
//! (LEB128) and its UTF-8 bytes.

use std::fmt;
use std::sync::Arc;

use super::{FieldName, Value, format_number};

/// The field names of a layer's features, in file order; shared (`Arc`) by the features.
pub type Schema = Arc<[FieldName]>;

const NULL: u8 = 0;
const NUMBER: u8 = 1;
const TEXT: u8 = 2;

/// One attribute value, borrowed from the packed buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    /// Text, already decoded.
    Text(&'a str),
    /// A number.
    Number(f64),
    /// Empty / null.
    Null,
}

impl<'a> ValueRef<'a> {
    /// The text as shown in the UI; numbers without trailing zeros; empty for null.
    pub fn display(&self) -> String {
        match self {
            ValueRef::Text(s) => (*s).to_owned(),
            ValueRef::Number(n) => format_number(*n),
            ValueRef::Null => String::new(),
        }
    }

    /// The value as text when it is text and not empty.
    pub fn as_text(&self) -> Option<&'a str> {
        match self {
            ValueRef::Text(s) if !s.trim().is_empty() => Some(s),
            _ => None,
        }
    }

    /// The value when it is a number.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            ValueRef::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// An owned copy.
    pub fn to_value(&self) -> Value {
        match self {
            ValueRef::Text(s) => Value::Text((*s).to_owned()),
            ValueRef::Number(n) => Value::Number(*n),
            ValueRef::Null => Value::Null,
        }
    }
}

impl PartialEq<Value> for ValueRef<'_> {
    fn eq(&self, other: &Value) -> bool {
        *self == other.as_ref()
    }
}

impl Value {
    /// The value borrowed, as the packed attributes give it.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Text(s) => ValueRef::Text(s),
            Value::Number(n) => ValueRef::Number(*n),
            Value::Null => ValueRef::Null,
        }
    }
}

/// A feature's attributes: the layer's field names and this feature's values, packed.
#[derive(Clone, Default, PartialEq)]
pub struct Attributes {
    names: Schema,
    packed: Box<[u8]>,
}

impl Attributes {
    /// Pack `values` under `names` (one value per name; missing values are null, extra ones
    /// dropped).
    pub fn new<'v>(names: Schema, values: impl IntoIterator<Item = ValueRef<'v>>) -> Self {
        let mut packed = Vec::new();
        let mut n = 0;
        for v in values.into_iter().take(names.len()) {
            push(&mut packed, v);
            n += 1;
        }
        packed.resize(packed.len() + (names.len() - n), NULL);
        Self {
            names,
            packed: packed.into_boxed_slice(),
        }
    }

    /// Pack (name, value) pairs, reusing `schema` when it holds the same names (so that a
    /// layer's features share one list of names) and replacing it otherwise.
    pub fn from_pairs_in(pairs: &[(FieldName, Value)], schema: &mut Option<Schema>) -> Self {
        let same = schema.as_ref().is_some_and(|s| {
            s.len() == pairs.len()
                && s.iter()
                    .zip(pairs)
                    .all(|(a, (b, _))| Arc::ptr_eq(a, b) || a == b)
        });
        let names = match schema {
            Some(s) if same => s.clone(),
            _ => {
                let s: Schema = pairs.iter().map(|(k, _)| k.clone()).collect();
                *schema = Some(s.clone());
                s
            }
        };
        Self::new(names, pairs.iter().map(|(_, v)| v.as_ref()))
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are no fields.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The field names, in file order.
    pub fn names(&self) -> &[FieldName] {
        &self.names
    }

    /// The shared list of field names (to pack another feature's values under it).
    pub fn schema(&self) -> &Schema {
        &self.names
    }

    /// (name, value) in file order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            names: self.names.iter(),
            rest: &self.packed,
        }
    }

    /// The value of a field (field codes compared without ASCII case).
    pub fn get(&self, code: &str) -> Option<ValueRef<'_>> {
        self.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(code))
            .map(|(_, v)| v)
    }

    /// The `i`-th (name, value).
    pub fn at(&self, i: usize) -> Option<(&FieldName, ValueRef<'_>)> {
        self.iter().nth(i)
    }

    /// Owned (name, value) pairs.
    pub fn to_pairs(&self) -> Vec<(FieldName, Value)> {
        self.iter()
            .map(|(k, v)| (k.clone(), v.to_value()))
            .collect()
    }

    /// Bytes held on the heap for the values (not counting the shared names).
    pub fn heap_bytes(&self) -> usize {
        self.packed.len()
    }
}

impl From<Vec<(FieldName, Value)>> for Attributes {
    fn from(pairs: Vec<(FieldName, Value)>) -> Self {
        Self::from_pairs_in(&pairs, &mut None)
    }
}

impl FromIterator<(FieldName, Value)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (FieldName, Value)>>(pairs: I) -> Self {
        Self::from(pairs.into_iter().collect::<Vec<_>>())
    }
}

impl fmt::Debug for Attributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Attributes {
    type Item = (&'a FieldName, ValueRef<'a>);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Iterator over a feature's (name, value) pairs.
pub struct Iter<'a> {
    names: std::slice::Iter<'a, FieldName>,
    rest: &'a [u8],
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a FieldName, ValueRef<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let name = self.names.next()?;
        let (v, rest) = pop(self.rest);
        self.rest = rest;
        Some((name, v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.names.size_hint()
    }
}

impl ExactSizeIterator for Iter<'_> {}

fn push(out: &mut Vec<u8>, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => out.push(NULL),
        ValueRef::Number(n) => {
            out.push(NUMBER);
            out.extend_from_slice(&n.to_le_bytes());
        }
        ValueRef::Text(s) => {
            out.push(TEXT);
            let mut len = s.len();
            loop {
                let byte = (len & 0x7f) as u8;
                len >>= 7;
                if len == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// The first value of `buf` and what follows it. The buffer is only ever written by [`push`];
/// a short or malformed one (impossible) reads as nulls rather than panicking.
fn pop(buf: &[u8]) -> (ValueRef<'_>, &[u8]) {
    match buf.split_first() {
        Some((&NUMBER, rest)) => match rest.split_first_chunk::<8>() {
            Some((b, rest)) => (ValueRef::Number(f64::from_le_bytes(*b)), rest),
            None => (ValueRef::Null, &[]),
        },
        Some((&TEXT, mut rest)) => {
            let mut len = 0usize;
            let mut shift = 0;
            while let Some((&b, r)) = rest.split_first() {
                rest = r;
                len |= usize::from(b & 0x7f) << shift;
                shift += 7;
                if b & 0x80 == 0 || shift > 56 {
                    break;
                }
            }
            match rest.split_at_checked(len) {
                Some((text, rest)) => (
                    ValueRef::Text(std::str::from_utf8(text).unwrap_or_default()),
                    rest,
                ),
                None => (ValueRef::Null, &[]),
            }
        }
        Some((_, rest)) => (ValueRef::Null, rest),
        None => (ValueRef::Null, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs() -> Vec<(FieldName, Value)> {
        vec![
            ("NAME".into(), Value::Text("洮南市蛟流河乡石灰岩矿".into())),
            ("AREA".into(), Value::Number(-12.5)),
            ("NOTE".into(), Value::Null),
            ("LONG".into(), Value::Text("长".repeat(300))),
            ("EMPTY".into(), Value::Text(String::new())),
            ("INF".into(), Value::Number(f64::INFINITY)),
        ]
    }

    #[test]
    fn values_read_back_as_written() {
        let p = pairs();
        let a = Attributes::from(p.clone());
        assert_eq!(a.len(), 6);
        assert_eq!(a.to_pairs(), p);
        assert_eq!(
            a.get("name"),
            Some(ValueRef::Text("洮南市蛟流河乡石灰岩矿"))
        );
        assert_eq!(a.get("AREA").and_then(|v| v.as_number()), Some(-12.5));
        assert_eq!(a.get("NOTE"), Some(ValueRef::Null));
        assert_eq!(a.get("EMPTY").and_then(|v| v.as_text()), None);
        assert_eq!(
            a.get("LONG").map(|v| v.display().chars().count()),
            Some(300)
        );
        assert_eq!(a.get("MISSING"), None);
        assert_eq!(a.at(1).map(|(k, _)| &**k), Some("AREA"));
        assert!(a.get("AREA").is_some_and(|v| v == Value::Number(-12.5)));
    }

    #[test]
    fn features_of_a_layer_share_their_names() {
        let mut schema = None;
        let a = Attributes::from_pairs_in(&pairs(), &mut schema);
        let b = Attributes::from_pairs_in(&pairs(), &mut schema);
        assert!(Arc::ptr_eq(a.schema(), b.schema()));
        let other = vec![("X".into(), Value::Number(1.0))];
        let c = Attributes::from_pairs_in(&other, &mut schema);
        assert_eq!(c.names().len(), 1);
        assert!(!Arc::ptr_eq(a.schema(), c.schema()));
    }

    #[test]
    fn packing_is_smaller_than_pairs() {
        let a = Attributes::from(pairs());
        let as_pairs = pairs().len() * std::mem::size_of::<(FieldName, Value)>();
        assert!(a.heap_bytes() < as_pairs + 930, "{}", a.heap_bytes());
        let short = Attributes::from(vec![("A".into(), Value::Text("石灰岩".into()))]);
        assert_eq!(short.heap_bytes(), 1 + 1 + 9);
    }

    #[test]
    fn missing_values_are_null_and_extra_ones_dropped() {
        let names: Schema = vec![FieldName::from("A"), FieldName::from("B")].into();
        let a = Attributes::new(names.clone(), [ValueRef::Number(1.0)]);
        assert_eq!(a.get("B"), Some(ValueRef::Null));
        let b = Attributes::new(
            names,
            [ValueRef::Null, ValueRef::Null, ValueRef::Number(3.0)],
        );
        assert_eq!(b.iter().count(), 2);
    }
}
