//! Map labels, one path for the window and every export: for each visible layer whose
//! [`LabelStyle`] is on, its features in view (found through the layer's R*-tree), each
//! labelled by the chosen field (or its display name) beside its point or at an interior point
//! of its area or line; placed by [`label_placement::place`] — top layer first, then in file
//! order — so that none covers another or an area kept clear (the selection); drawn with the
//! halo chosen.
//!
//! Cheap for big layers: only the features whose envelope meets the view are visited; a layer
//! with more than [`MAX_IN_VIEW`] of them in view is not labelled (the caller says so); a
//! feature's anchor, text and width are worked out once and kept in a [`LabelCache`].

use std::collections::HashMap;

use geo::{Geometry, InteriorPoint};

use super::label_placement::{self, Anchor, Candidate};
use super::surface::Surface;
use super::text::{draw_text, text_width};
use crate::model::catalog::Catalog;
use crate::model::style::Styles;
use crate::model::{Feature, LayerRole};

/// A layer with more features than this in view is not labelled (a county's parcels seen
/// whole): the labels could not be read, and finding them would cost the frame.
pub const MAX_IN_VIEW: usize = 3000;

/// Most features a [`LabelCache`] keeps; past it, it starts again.
const CACHE_MAX: usize = 200_000;

/// Longest label, in characters (a description field would cover the map).
const MAX_CHARS: usize = 40;

/// Gap between a point and the label beside it, in points.
const GAP: f32 = 6.0;

/// The halo's reach around the letters, in points.
pub const HALO: f32 = 1.2;

/// One label placed: its text, where it goes, and how it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLabel {
    /// The layer of the feature it names.
    pub layer: usize,
    /// The feature it names.
    pub feature: usize,
    /// The text.
    pub text: String,
    /// Its box `[x, y, w, h]` in pixels, the halo included.
    pub rect: [f32; 4],
    /// The text's baseline origin in pixels.
    pub origin: (f32, f32),
    /// Text size in pixels.
    pub size: f32,
    /// The text's colour.
    pub color: [u8; 4],
    /// The halo's colour, when it has one.
    pub halo: Option<[u8; 4]>,
}

/// The labels of a view.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// The labels kept, highest priority first.
    pub labels: Vec<PlacedLabel>,
    /// Layers left unlabelled: more than [`MAX_IN_VIEW`] of their features are in view.
    pub skipped: Vec<usize>,
    /// Features in view whose labels were not worked out in this call (over
    /// [`LabelRequest::new_at_most`]): call again (the window repaints).
    pub pending: bool,
}

/// What to label.
pub struct LabelRequest<'a> {
    /// The layers.
    pub catalog: &'a Catalog,
    /// Which layers are drawn (aligned with the catalog).
    pub visible: &'a [bool],
    /// Each layer's labels (`Styles::labels_for`).
    pub styles: &'a Styles,
    /// The view's lon/lat envelope `[min_lon, min_lat, max_lon, max_lat]`.
    pub view: [f64; 4],
    /// Sizes, gaps and halos are multiplied by this (dpi / 96 in exports; 1 on screen).
    pub scale: f32,
    /// Boxes `[x, y, w, h]` in pixels that no label may cover (the selection).
    pub clear: &'a [[f32; 4]],
    /// Most features whose label is worked out anew in this call (their anchor is a walk over
    /// the geometry): the window's frame takes [`NEW_PER_FRAME`] and the rest at the next
    /// frames; an export takes them all (`usize::MAX`).
    pub new_at_most: usize,
}

/// How many features' labels a window frame works out anew (a few milliseconds).
pub const NEW_PER_FRAME: usize = 300;

/// What a feature's label needs that costs a walk over its geometry or a text measurement.
#[derive(Debug, Clone)]
struct Entry {
    at: [f64; 2],
    beside: bool,
    text: String,
    /// The text's advance width at a size of 1 px.
    unit_width: f32,
}

/// Anchors, texts and widths of the features labelled so far, kept from one view to the next
/// (the window keeps one; an export uses a fresh one). It forgets everything when the catalog
/// changes, and a layer's entries when its label field changes.
#[derive(Debug, Default)]
pub struct LabelCache {
    version: Option<u64>,
    fields: HashMap<usize, Option<String>>,
    entries: HashMap<(usize, usize), Option<Entry>>,
    /// Each character's advance at 1 px (the text is set without kerning, so a label's
    /// width is the sum of its characters').
    advances: HashMap<char, f32>,
}

impl LabelCache {
    fn sync(&mut self, catalog: &Catalog) {
        if self.version != Some(catalog.version()) || self.entries.len() > CACHE_MAX {
            self.version = Some(catalog.version());
            self.entries.clear();
            self.fields.clear();
        }
    }

    fn use_field(&mut self, li: usize, field: Option<&str>) {
        if self.fields.get(&li).map(Option::as_deref) != Some(field) {
            self.entries.retain(|(l, _), _| *l != li);
            self.fields.insert(li, field.map(str::to_owned));
        }
    }
}

/// The advance width of `text` at 1 px, from the characters' advances (measured once each).
fn unit_width(text: &str, advances: &mut HashMap<char, f32>) -> f32 {
    let mut buf = [0u8; 4];
    text.chars()
        .map(|ch| {
            *advances
                .entry(ch)
                .or_insert_with(|| text_width(ch.encode_utf8(&mut buf), 100.0) / 100.0)
        })
        .sum()
}

/// The text, anchor and width of a feature's label (`None`: nothing to label).
fn entry_of(
    role: LayerRole,
    (f, fi): (&Feature, usize),
    field: Option<&str>,
    advances: &mut HashMap<char, f32>,
) -> Option<Entry> {
    // Subdistricts sit on the city seat: their labels would cover it.
    if role == LayerRole::Townships
        && f.attr("XZQJB").and_then(|v| v.as_text()) == Some("subdistrict")
    {
        return None;
    }
    let text = match field {
        Some(name) => f.attr(name)?.display(),
        None => f.display_name(fi),
    };
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let text: String = match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    };
    let (at, beside) = match &f.geometry {
        Geometry::Point(p) => ([p.x(), p.y()], true),
        Geometry::MultiPoint(mp) => {
            let p = mp.0.first()?;
            ([p.x(), p.y()], true)
        }
        g => {
            let p = g.interior_point()?;
            ([p.x(), p.y()], false)
        }
    };
    if !(at[0].is_finite() && at[1].is_finite()) {
        return None;
    }
    let unit_width = unit_width(&text, advances);
    Some(Entry {
        at,
        beside,
        text,
        unit_width,
    })
}

/// How one layer's labels are drawn, at the request's scale.
struct Look {
    size: f32,
    color: [u8; 4],
    halo: Option<[u8; 4]>,
}

/// Label the request's view: `project` takes a lon/lat to pixels (the window's projector, with
/// its GCJ-02 shift; an export's transform).
#[allow(
    clippy::too_many_lines,
    reason = "candidates, placement and the skip rule in one pass over the layers in view"
)]
pub fn place(
    req: &LabelRequest<'_>,
    project: &dyn Fn([f64; 2]) -> (f32, f32),
    cache: &mut LabelCache,
) -> Placement {
    cache.sync(req.catalog);
    let mut cands: Vec<Candidate> = Vec::new();
    let mut whose: Vec<(usize, usize, usize)> = Vec::new();
    let mut looks: Vec<Look> = Vec::new();
    let mut skipped = Vec::new();
    let (mut fresh, mut pending) = (0usize, false);
    for (li, layer) in req.catalog.layers.iter().enumerate().rev() {
        let style = req.styles.labels_for(li, layer.role);
        if !style.on || !req.visible.get(li).copied().unwrap_or(false) {
            continue;
        }
        let Some(index) = req.catalog.index(li) else {
            continue;
        };
        let mut in_view: Vec<usize> = index
            .in_rect(req.view)
            .map(|(fi, _)| fi)
            .take(MAX_IN_VIEW + 1)
            .collect();
        if in_view.len() > MAX_IN_VIEW {
            skipped.push(li);
            continue;
        }
        in_view.sort_unstable();
        cache.use_field(li, style.field.as_deref());
        let look = Look {
            size: style.size_points() * req.scale,
            color: style.color,
            halo: style.halo.then_some(style.halo_color),
        };
        for fi in in_view {
            let Some(f) = layer.features.get(fi) else {
                continue;
            };
            let e = match cache.entries.entry((li, fi)) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(_) if fresh >= req.new_at_most => {
                    pending = true;
                    continue;
                }
                std::collections::hash_map::Entry::Vacant(v) => {
                    fresh += 1;
                    let field = style.field.as_deref();
                    v.insert(entry_of(layer.role, (f, fi), field, &mut cache.advances))
                }
            };
            let Some(e) = e else {
                continue;
            };
            cands.push(Candidate {
                at: project(e.at),
                width: e.unit_width * look.size,
                size: look.size,
                anchor: if e.beside {
                    Anchor::Beside
                } else {
                    Anchor::Centred
                },
                gap: if e.beside { GAP * req.scale } else { 0.0 },
                halo: if look.halo.is_some() {
                    HALO * req.scale
                } else {
                    0.0
                },
            });
            whose.push((li, fi, looks.len()));
        }
        looks.push(look);
    }
    let labels = label_placement::place(&cands, req.clear)
        .into_iter()
        .filter_map(|i| {
            let (c, &(li, fi, look)) = (cands.get(i)?, whose.get(i)?);
            let (e, look) = (cache.entries.get(&(li, fi))?.as_ref()?, looks.get(look)?);
            Some(PlacedLabel {
                layer: li,
                feature: fi,
                text: e.text.clone(),
                rect: c.rect(),
                origin: c.origin(),
                size: c.size,
                color: look.color,
                halo: look.halo,
            })
        })
        .collect();
    Placement {
        labels,
        skipped,
        pending,
    }
}

/// Draw placed labels: the halo (the text in its colour, moved round the letters by the
/// halo's reach, `scale` × [`HALO`]), then the text.
pub fn draw(s: &mut dyn Surface, placement: &Placement, scale: f32) {
    let d = HALO * scale * std::f32::consts::FRAC_1_SQRT_2;
    let r = HALO * scale;
    for l in &placement.labels {
        let (x, y) = l.origin;
        if let Some(h) = l.halo {
            for (dx, dy) in [
                (-r, 0.0),
                (r, 0.0),
                (0.0, -r),
                (0.0, r),
                (-d, -d),
                (d, -d),
                (-d, d),
                (d, d),
            ] {
                draw_text(s, &l.text, x + dx, y + dy, l.size, h);
            }
        }
        draw_text(s, &l.text, x, y, l.size, l.color);
    }
}
