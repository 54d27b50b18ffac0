//! The search index of one layer: every distinct attribute value of its features (each stored
//! once, however many features share it), with its pinyin keys and the (feature, field) pairs
//! that hold it, and the ranked query over it.
//!
//! Ranking: exact match before prefix before substring; a match of the text before a match of
//! its pinyin; a name field (see [`crate::model::NAME_FIELDS`]) before any other field; then the
//! shorter value. Each feature is listed once, by its best match.
//!
//! A query can be stopped from another thread ([`LayerSearch::query_until`]): the find box
//! stops the query of an older keystroke when a newer one comes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::find::pinyin_keys::{normalize, pinyin_keys};
use crate::model::{FieldName, Layer, NAME_FIELDS, ValueRef};

/// A query looks at its stop flag once per this many distinct values (a few hundred
/// microseconds of matching).
pub const CHECK_EVERY: usize = 1024;

/// How a value matches the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The whole value.
    Exact,
    /// The start of the value.
    Prefix,
    /// Somewhere inside it.
    Substring,
}

/// One found feature of a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The feature's index in its layer.
    pub feature: usize,
    /// The field whose value matched.
    pub field: FieldName,
    /// How it matched.
    pub kind: MatchKind,
    /// Whether it matched through the value's pinyin (full or initials).
    pub pinyin: bool,
    /// Whether the field is a name field.
    pub name_field: bool,
    /// Rank key: lower is better.
    pub rank: Rank,
}

/// A hit's rank key, lower is better: how it matched, whether through pinyin, whether the
/// field is *not* a name field, the value's length in characters.
pub type Rank = (MatchKind, bool, bool, u32);

/// A span of the index's text arena.
#[derive(Debug, Clone, Copy, Default)]
struct Span(u32, u32);

/// A distinct value: its keys in the arena and its postings.
#[derive(Debug, Clone, Copy)]
struct Term {
    norm: Span,
    full: Span,
    initials: Span,
    /// First posting and how many.
    post: (u32, u32),
    /// Length of the normalised value in characters (for the ranking).
    chars: u32,
}

/// The search index of one layer.
#[derive(Debug, Default)]
pub struct LayerSearch {
    arena: String,
    terms: Vec<Term>,
    /// (feature, field) pairs, grouped by term.
    postings: Vec<(u32, u16)>,
    /// The layer's field names, with whether each is a name field.
    fields: Vec<(FieldName, bool)>,
}

/// The text an attribute value is found by (numbers as the window shows them).
fn value_text(v: ValueRef<'_>) -> Option<String> {
    match v {
        ValueRef::Text(s) if !s.trim().is_empty() => Some(s.to_owned()),
        ValueRef::Number(n) if n.is_finite() => Some(crate::model::format_number(n)),
        _ => None,
    }
}

impl LayerSearch {
    /// Index every attribute value of a layer's features. Costs about a second per million
    /// values in a release build: run it on a worker for big layers.
    pub fn build(layer: &Layer) -> Self {
        let mut s = Self::default();
        let mut field_ids: HashMap<FieldName, u16> = HashMap::new();
        let mut term_ids: HashMap<String, u32> = HashMap::new();
        let mut pairs: Vec<(u32, u32, u16)> = Vec::new();
        for (fi, f) in layer.features.iter().enumerate() {
            let Ok(fi) = u32::try_from(fi) else { break };
            for (name, v) in &f.attributes {
                let Some(text) = value_text(v) else { continue };
                let field = match field_ids.get(name) {
                    Some(id) => *id,
                    None => {
                        let Ok(id) = u16::try_from(s.fields.len()) else {
                            continue;
                        };
                        let is_name = NAME_FIELDS.iter().any(|n| n.eq_ignore_ascii_case(name));
                        s.fields.push((name.clone(), is_name));
                        field_ids.insert(name.clone(), id);
                        id
                    }
                };
                let norm = normalize(&text);
                let term = match term_ids.get(&norm) {
                    Some(t) => *t,
                    None => {
                        let Ok(t) = u32::try_from(s.terms.len()) else {
                            continue;
                        };
                        s.push_term(&norm);
                        term_ids.insert(norm, t);
                        t
                    }
                };
                pairs.push((term, fi, field));
            }
        }
        pairs.sort_unstable();
        let mut start = 0usize;
        for chunk in pairs.chunk_by(|a, b| a.0 == b.0) {
            if let Some(t) = chunk.first().and_then(|p| s.terms.get_mut(p.0 as usize)) {
                t.post = (start as u32, chunk.len() as u32);
            }
            s.postings.extend(chunk.iter().map(|p| (p.1, p.2)));
            start += chunk.len();
        }
        s.arena.shrink_to_fit();
        s
    }

    fn push_span(&mut self, text: &str) -> Span {
        let start = self.arena.len() as u32;
        self.arena.push_str(text);
        Span(start, text.len() as u32)
    }

    fn push_term(&mut self, norm: &str) {
        let n = self.push_span(norm);
        let (full, initials) = match pinyin_keys(norm) {
            Some(k) => (self.push_span(&k.full), self.push_span(&k.initials)),
            None => (Span::default(), Span::default()),
        };
        self.terms.push(Term {
            norm: n,
            full,
            initials,
            post: (0, 0),
            chars: norm.chars().count() as u32,
        });
    }

    fn text(&self, s: Span) -> &str {
        self.arena
            .get(s.0 as usize..(s.0 + s.1) as usize)
            .unwrap_or("")
    }

    /// How many distinct values are indexed.
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The best match of a term, if it matches: (kind, through pinyin).
    fn match_term(&self, t: &Term, q: &str, q_pinyin: Option<&str>) -> Option<(MatchKind, bool)> {
        let text = self.text(t.norm);
        let kind = if text == q {
            Some(MatchKind::Exact)
        } else if text.starts_with(q) {
            Some(MatchKind::Prefix)
        } else if text.contains(q) {
            Some(MatchKind::Substring)
        } else {
            None
        };
        if kind.is_some() || t.initials.1 == 0 {
            return kind.map(|k| (k, false));
        }
        let q = q_pinyin?;
        let initials = self.text(t.initials);
        let full = self.text(t.full);
        if initials == q || full == q {
            Some((MatchKind::Exact, true))
        } else if initials.starts_with(q) || full.starts_with(q) {
            Some((MatchKind::Prefix, true))
        } else if q.len() >= 2 && initials.contains(q) {
            Some((MatchKind::Substring, true))
        } else {
            None
        }
    }

    /// The features whose values match `query`, best first, each once, at most `limit`.
    pub fn query(&self, query: &str, limit: usize) -> Vec<Hit> {
        self.query_until(query, limit, &AtomicBool::new(false))
            .unwrap_or_default()
    }

    /// [`LayerSearch::query`] that gives up as soon as `stop` is set (checked every
    /// [`CHECK_EVERY`] values and before ranking): `None` when it gave up.
    pub fn query_until(&self, query: &str, limit: usize, stop: &AtomicBool) -> Option<Vec<Hit>> {
        let q = normalize(query);
        if q.is_empty() || limit == 0 {
            return Some(Vec::new());
        }
        // Pinyin is tried for queries of letters (and digits) only.
        let q_pinyin = q
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
            .then_some(q.as_str());
        let mut hits: Vec<(Rank, u32, u16)> = Vec::new();
        for (n, t) in self.terms.iter().enumerate() {
            if n % CHECK_EVERY == 0 && stop.load(Ordering::Relaxed) {
                return None;
            }
            let Some((kind, pinyin)) = self.match_term(t, &q, q_pinyin) else {
                continue;
            };
            let (start, len) = (t.post.0 as usize, t.post.1 as usize);
            for &(feature, field) in self.postings.get(start..start + len).unwrap_or(&[]) {
                let name = self.fields.get(field as usize).is_some_and(|f| f.1);
                hits.push(((kind, pinyin, !name, t.chars), feature, field));
            }
        }
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        hits.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for (rank, feature, field) in hits {
            if out.len() >= limit {
                break;
            }
            if !seen.insert(feature) {
                continue;
            }
            let Some((name, is_name)) = self.fields.get(field as usize) else {
                continue;
            };
            out.push(Hit {
                feature: feature as usize,
                field: name.clone(),
                kind: rank.0,
                pinyin: rank.1,
                name_field: *is_name,
                rank,
            });
        }
        Some(out)
    }
}
