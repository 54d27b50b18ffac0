//! Finding things: the find box's core. Text typed in is looked up in every attribute of the
//! visible layers (names, codes, 矿种, 乡镇 …, with pinyin for Chinese values), or read as a
//! place (lon/lat, DMS, zone-41 X/Y).
//!
//! - [`pinyin_keys`]: normalised text and its pinyin (full and initials).
//! - [`index`]: one layer's search index and its ranked query.
//! - [`coords`]: coordinates typed in → a CGCS2000 lon/lat.
//!
//! Here: the search over several layers, grouped by layer.

pub mod coords;
pub mod index;
pub mod pinyin_keys;

use std::sync::atomic::AtomicBool;

use index::{Hit, LayerSearch};

/// The hits of one layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerHits {
    /// The layer's index in the catalog.
    pub layer: usize,
    /// Its hits, best first.
    pub hits: Vec<Hit>,
}

/// Search the given layers' indexes (catalog index, index), at most `per_layer` hits each.
/// Layers come back in the order of their best hit (ties: the upper layer first), each
/// with its hits best first; layers without a hit are left out.
pub fn search(layers: &[(usize, &LayerSearch)], query: &str, per_layer: usize) -> Vec<LayerHits> {
    search_until(layers, query, per_layer, &AtomicBool::new(false)).unwrap_or_default()
}

/// [`search`] that gives up as soon as `stop` is set (each layer's query checks it as it goes,
/// see [`LayerSearch::query_until`]): `None` when it gave up.
pub fn search_until(
    layers: &[(usize, &LayerSearch)],
    query: &str,
    per_layer: usize,
    stop: &AtomicBool,
) -> Option<Vec<LayerHits>> {
    let mut out = Vec::new();
    for (li, s) in layers {
        let hits = s.query_until(query, per_layer, stop)?;
        if !hits.is_empty() {
            out.push(LayerHits { layer: *li, hits });
        }
    }
    out.sort_by(|a, b| {
        let ra = a.hits.first().map(|h| h.rank);
        let rb = b.hits.first().map(|h| h.rank);
        ra.cmp(&rb).then(b.layer.cmp(&a.layer))
    });
    Some(out)
}

#[cfg(test)]
mod tests;
