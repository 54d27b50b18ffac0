//! Overlap analysis: same-layer overlaps, cross-layer conflicts, expected containments and
//! mismatches, and features outside the city boundary, per the rule table ([`crate::analysis::rules`]).
//!
//! Candidate pairs come from an R*-tree over the features' envelopes; each candidate's
//! intersection is computed with `geo`'s boolean operations and measured on the ellipsoid. The
//! pair loop runs on every core. Slivers below the tolerances are dropped and counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use geo::{BooleanOps, BoundingRect, Geometry, LineString, MultiPolygon, Polygon, Relate};
use rstar::{AABB, RTree, RTreeObject};

pub use crate::analysis::findings::{Finding, Findings, RuleKind};
use crate::analysis::measure::area_m2;
use crate::analysis::prepared_boundary::{Outside, PreparedBoundary};
use crate::analysis::rules::{Rules, Severity};
use crate::model::catalog::{Catalog, FeatureRef};
use crate::model::{Feature, Layer, LayerRole};

/// A polygon feature taking part in the analysis (40 bytes: a county layer has 500 000 of them
/// at the analysis's peak; geometry and mineral are read from the feature when needed).
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    /// Which feature.
    pub r: FeatureRef,
    /// Its analysis role (see [`analysis_role`]), shared by its layer's subjects.
    pub role: std::sync::Arc<str>,
    /// The feature itself, borrowed from its layer (its geometry is areal).
    feature: &'a Feature,
}

impl<'a> Subject<'a> {
    /// A subject for a feature with an areal geometry; `None` for any other.
    pub fn new(r: FeatureRef, role: std::sync::Arc<str>, feature: &'a Feature) -> Option<Self> {
        Areal::of(&feature.geometry)?;
        Some(Self { r, role, feature })
    }

    /// Its polygon geometry (lon/lat), borrowed from its layer.
    pub fn geometry(&self) -> Areal<'a> {
        /// Never used: a subject is made only for an areal geometry.
        static NONE: MultiPolygon<f64> = MultiPolygon(Vec::new());
        Areal::of(&self.feature.geometry).unwrap_or(Areal::Many(&NONE))
    }

    /// Its mineral, if it names one (trimmed), borrowed from its attributes.
    pub fn mineral(&self) -> Option<&'a str> {
        mineral(self.feature)
    }
}

/// A borrowed areal geometry (one polygon or several), for the boolean operations: the
/// analysis reads the layers' own geometry and copies none of it.
#[derive(Debug, Clone, Copy)]
pub enum Areal<'a> {
    /// One polygon.
    One(&'a Polygon<f64>),
    /// Several polygons.
    Many(&'a MultiPolygon<f64>),
}

impl<'a> Areal<'a> {
    /// The areal part of a geometry, if it has one (rectangles are not areal here: no shapefile
    /// or corner list produces them).
    pub fn of(g: &'a Geometry<f64>) -> Option<Self> {
        match g {
            Geometry::Polygon(p) => Some(Self::One(p)),
            Geometry::MultiPolygon(m) => Some(Self::Many(m)),
            _ => None,
        }
    }

    /// Its polygons.
    pub fn polygons(&self) -> &'a [Polygon<f64>] {
        match *self {
            Self::One(p) => std::slice::from_ref(p),
            Self::Many(m) => &m.0,
        }
    }

    /// An owned copy as a multipolygon.
    pub fn to_multipolygon(&self) -> MultiPolygon<f64> {
        MultiPolygon(self.polygons().to_vec())
    }

    /// Its lon/lat envelope.
    pub fn bounding_rect(&self) -> Option<geo::Rect<f64>> {
        match *self {
            Self::One(p) => p.bounding_rect(),
            Self::Many(m) => m.bounding_rect(),
        }
    }

    /// Its ellipsoidal area in m².
    pub fn area_m2(&self) -> f64 {
        match *self {
            Self::One(p) => crate::analysis::measure::polygon_area_m2(p),
            Self::Many(m) => area_m2(m),
        }
    }
}

impl BooleanOps for Areal<'_> {
    type Scalar = f64;

    fn rings(&self) -> impl Iterator<Item = &LineString<f64>> {
        self.polygons()
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    }
}

/// The role a layer plays in the analysis: the one the user gave it, else its own role key for
/// the plan's layers; for loaded
/// layers, `surveyed_mining_right` / `surveyed_exploration_right` when the layer's name says
/// 采矿/CKQ or 探矿/TKQ, else `loaded`.
pub fn analysis_role(layer: &Layer) -> String {
    if let Some(k) = &layer.analysis_role {
        return k.clone();
    }
    if layer.role != LayerRole::Loaded {
        return layer.role.key().to_owned();
    }
    let name = format!("{} {}", layer.name_zh, layer.source).to_uppercase();
    if name.contains("采矿") || name.contains("CKQ") {
        "surveyed_mining_right".into()
    } else if name.contains("探矿") || name.contains("TKQ") {
        "surveyed_exploration_right".into()
    } else {
        "loaded".into()
    }
}

/// Fields that name a feature's mineral, in order.
const MINERAL_FIELDS: &[&str] = &[
    "KCKZ",
    "KTKZ",
    "KZ",
    "MINERAL",
    "矿种",
    "开采矿种",
    "勘查矿种",
];

/// The mineral a feature names, if any.
pub fn mineral(f: &Feature) -> Option<&str> {
    MINERAL_FIELDS
        .iter()
        .find_map(|k| f.attr(k).and_then(|v| v.as_text()))
        .map(str::trim)
}

/// A geometry as a multipolygon, if it is areal.
pub fn as_multipolygon(g: &Geometry<f64>) -> Option<MultiPolygon<f64>> {
    match g {
        Geometry::Polygon(p) => Some(MultiPolygon(vec![p.clone()])),
        Geometry::MultiPolygon(m) => Some(m.clone()),
        Geometry::Rect(r) => Some(MultiPolygon(vec![r.to_polygon()])),
        _ => None,
    }
}

/// The polygon features of the visible, analysable layers of a catalog.
pub fn subjects(catalog: &Catalog, visible: impl Fn(usize) -> bool) -> Vec<Subject<'_>> {
    subjects_of(&catalog.layers, visible)
}

/// The polygon features of the visible, analysable layers (in catalog order), borrowed.
pub fn subjects_of<L: std::ops::Deref<Target = Layer>>(
    layers: &[L],
    visible: impl Fn(usize) -> bool,
) -> Vec<Subject<'_>> {
    // An unplaced layer (CRS unknown) has nothing to check until the user places it; the plan
    // database's polygons not applied are shown, not checked.
    let analysed: Vec<(usize, &L)> = layers
        .iter()
        .enumerate()
        .filter(|(li, layer)| {
            visible(*li)
                && layer.is_placed()
                && layer.analysis_role.as_deref()
                    != Some(crate::plan::apply_database::UNMATCHED_KIND)
                && !matches!(
                    layer.role,
                    LayerRole::Boundary | LayerRole::Neighbours | LayerRole::Townships
                )
        })
        .collect();
    // Room for every feature of those layers at once: on a county layer the list is 20 MB, and
    // growing it by doubling left the discarded halves as holes in the heap after the analysis.
    let mut out = Vec::with_capacity(analysed.iter().map(|(_, l)| l.features.len()).sum());
    for (li, layer) in analysed {
        let role: std::sync::Arc<str> = analysis_role(layer).into();
        for (fi, f) in layer.features.iter().enumerate() {
            let r = FeatureRef {
                layer: li,
                feature: fi,
            };
            out.extend(Subject::new(r, role.clone(), f));
        }
    }
    out
}

/// The 洮南市 boundary of a catalog, if loaded.
pub fn boundary_of(catalog: &Catalog) -> Option<MultiPolygon<f64>> {
    catalog
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Boundary)
        .and_then(|l| l.features.first())
        .and_then(|f| as_multipolygon(&f.geometry))
}

/// A subject in the pair loop's R*-tree: its number and its envelope. The envelope stays in
/// `f64`: rounded outwards to `f32` it saved nothing measurable at the analysis's peak (which
/// is in the boundary stage), and the rounding can only add candidate pairs.
struct Entry {
    idx: u32,
    env: AABB<[f64; 2]>,
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

fn envelope(mp: &Areal<'_>) -> Option<AABB<[f64; 2]>> {
    let r = mp.bounding_rect()?;
    let c = [r.min().x, r.min().y, r.max().x, r.max().y];
    c.iter()
        .all(|v| v.is_finite())
        .then(|| AABB::from_corners([c[0], c[1]], [c[2], c[3]]))
}

/// A kept overlay result without the spare room of its growth: the boolean operations build
/// rings by pushing (up to twice the room they need), and a county layer keeps ~40 000 of them
/// in its findings.
fn compact(mut mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    for p in &mut mp.0 {
        p.exterior_mut(|r| r.0.shrink_to_fit());
        p.interiors_mut(|rs| rs.iter_mut().for_each(|r| r.0.shrink_to_fit()));
    }
    mp.0.shrink_to_fit();
    mp
}

/// One overlapping pair: (first subject, second subject, overlap area in m², overlap).
pub type Pair = (usize, usize, f64, MultiPolygon<f64>);

/// Every pair (i < j) of multipolygons whose interiors overlap, with the overlap and its
/// ellipsoidal area in m² (touching edges give no area and are not reported). This is the
/// analysis's inner loop, exposed for the benchmark.
pub fn overlapping_pairs(geoms: &[Areal<'_>]) -> Vec<Pair> {
    pairs_of(geoms.len(), |i| geoms[i])
}

/// [`overlapping_pairs`] of `n` geometries given by `geom` (no list of them is made: the
/// subjects give theirs).
fn pairs_of<'g>(n: usize, geom: impl Fn(usize) -> Areal<'g> + Sync) -> Vec<Pair> {
    let entries: Vec<Entry> = (0..n)
        .filter_map(|idx| {
            Some(Entry {
                idx: u32::try_from(idx).ok()?,
                env: envelope(&geom(idx))?,
            })
        })
        .collect();
    // Each subject's envelope is computed again where it is needed rather than kept beside the
    // tree: a county layer's 500 000 of them are 20 MB at the analysis's peak.
    let tree = RTree::bulk_load(entries);
    let next = AtomicUsize::new(0);
    let work = || {
        let mut out = Vec::new();
        loop {
            let start = next.fetch_add(1, Ordering::Relaxed) * PAIR_BLOCK;
            if start >= n {
                break;
            }
            for i in start..(start + PAIR_BLOCK).min(n) {
                let Some(env) = envelope(&geom(i)) else {
                    continue;
                };
                for e in tree.locate_in_envelope_intersecting(&env) {
                    let j = e.idx as usize;
                    if j <= i {
                        continue;
                    }
                    let inter = geom(i).intersection(&geom(j));
                    if inter.0.is_empty() {
                        continue;
                    }
                    let area = area_m2(&inter);
                    if area > 0.0 {
                        out.push((i, j, area, compact(inter)));
                    }
                }
            }
        }
        out
    };
    let mut all: Vec<_> = on_every_core(n.div_ceil(PAIR_BLOCK), work)
        .into_iter()
        .flatten()
        .collect();
    all.sort_by_key(|a| (a.0, a.1));
    all
}

/// Subjects per work item of the pair loop's threads.
const PAIR_BLOCK: usize = 64;

enum PairRule<'r> {
    Same(&'r crate::analysis::rules::SameLayerRule),
    /// (rule, index of the inner subject)
    Contain(&'r crate::analysis::rules::ContainmentRule, usize),
    Conflict(&'r crate::analysis::rules::ConflictRule),
}

fn pair_rule<'r>(
    rules: &'r Rules,
    subjects: &[Subject<'_>],
    i: usize,
    j: usize,
) -> Option<PairRule<'r>> {
    let (a, b) = (&subjects[i], &subjects[j]);
    let (a, b) = (&*a.role, &*b.role);
    if a == b {
        return rules
            .same_layer
            .iter()
            .find(|r| r.role == a)
            .map(PairRule::Same);
    }
    for c in &rules.containment {
        if c.inner == a && c.outer == b {
            return Some(PairRule::Contain(c, i));
        }
        if c.inner == b && c.outer == a {
            return Some(PairRule::Contain(c, j));
        }
    }
    rules
        .conflict
        .iter()
        .find(|c| (c.a == a && c.b == b) || (c.a == b && c.b == a))
        .map(PairRule::Conflict)
}

/// A generous upper bound of a multipolygon's area in m²: its lon/lat envelope at the envelope's
/// widest latitude (plus 1 %).
fn bbox_area_m2(mp: &Areal<'_>) -> f64 {
    let Some(r) = mp.bounding_rect() else {
        return 0.0;
    };
    let lat = r.min().y.abs().min(r.max().y.abs()).to_radians();
    r.width() * 111_320.0 * lat.cos() * r.height() * 111_133.0 * 1.01
}

/// Run the analysis.
pub fn analyze(
    subjects: &[Subject<'_>],
    boundary: Option<&MultiPolygon<f64>>,
    rules: &Rules,
) -> Findings {
    analyze_timed(subjects, boundary, rules).0
}

/// How long the stages of one [`analyze_timed`] took (wall time).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    /// Candidate pairs, their intersections and areas, and the pair rules.
    pub pairs: Duration,
    /// The boundary rule (zero without a boundary).
    pub boundary: Duration,
}

/// [`analyze`], also saying how long its stages took (for the benchmark).
pub fn analyze_timed(
    subjects: &[Subject<'_>],
    boundary: Option<&MultiPolygon<f64>>,
    rules: &Rules,
) -> (Findings, StageTimes) {
    let started = Instant::now();
    // Each subject's area, computed once when first needed: the bits of an `f64`, `UNKNOWN`
    // until then (8 bytes a subject; two threads may both compute one, to the same value).
    const UNKNOWN: u64 = u64::MAX;
    let areas: Vec<AtomicU64> = (0..subjects.len())
        .map(|_| AtomicU64::new(UNKNOWN))
        .collect();
    let area_of = |i: usize| match areas[i].load(Ordering::Relaxed) {
        UNKNOWN => {
            let a = subjects[i].geometry().area_m2();
            areas[i].store(a.to_bits(), Ordering::Relaxed);
            a
        }
        bits => f64::from_bits(bits),
    };
    let tol = rules.tolerance;
    let mut out = Findings::default();
    let pairs = pairs_of(subjects.len(), |i| subjects[i].geometry());
    for (i, j, area, inter) in pairs {
        let Some(rule) = pair_rule(rules, subjects, i, j) else {
            continue;
        };
        // The relative tolerance needs the smaller feature's area only when the overlap is small
        // next to both features' envelopes (an upper bound of their areas).
        let bound =
            bbox_area_m2(&subjects[i].geometry()).min(bbox_area_m2(&subjects[j].geometry()));
        let sliver = area < tol.min_area_m2
            || (area < tol.min_share * bound && area < tol.min_share * area_of(i).min(area_of(j)));
        if sliver {
            out.dropped_slivers += 1;
            continue;
        }
        let (severity, rule, relation, a, b) =
            pair_verdict(&rule, subjects, (i, j), area, &area_of, &tol);
        out.findings.push(Finding {
            severity,
            rule,
            relation,
            a,
            b: Some(b),
            area_m2: area,
            geometry: (!inter.0.is_empty()).then(|| Box::new(inter)),
        });
    }
    let pairs_time = started.elapsed();
    let started = Instant::now();
    if let Some(b) = boundary {
        let slivers = boundary_findings(subjects, b, rules, &area_of, &mut out.findings);
        out.dropped_slivers += slivers;
    }
    let boundary_time = started.elapsed();
    out.index();
    let times = StageTimes {
        pairs: pairs_time,
        boundary: boundary_time,
    };
    (out, times)
}

/// What an overlap of subjects `(i, j)` (area in m²) that a rule covers is: severity, rule
/// kind, relation in words, and the two features (the contained one first for containments).
fn pair_verdict(
    rule: &PairRule<'_>,
    subjects: &[Subject<'_>],
    (i, j): (usize, usize),
    area: f64,
    area_of: &dyn Fn(usize) -> f64,
    tol: &crate::analysis::rules::Tolerance,
) -> (Severity, RuleKind, Arc<str>, FeatureRef, FeatureRef) {
    let (si, sj) = (&subjects[i], &subjects[j]);
    match *rule {
        PairRule::Same(r) => (
            r.severity,
            RuleKind::SameLayer,
            r.relation.as_str().into(),
            si.r,
            sj.r,
        ),
        PairRule::Conflict(r) => (
            r.severity,
            RuleKind::Conflict,
            r.relation.as_str().into(),
            si.r,
            sj.r,
        ),
        PairRule::Contain(r, inner) => {
            let outer = if inner == i { j } else { i };
            let (sin, sout) = (&subjects[inner], &subjects[outer]);
            let inside =
                area_of(inner) - area <= tol.min_area_m2.max(tol.min_share * area_of(inner));
            let (min_in, min_out) = (sin.mineral(), sout.mineral());
            let minerals_differ =
                r.same_mineral && min_in.is_some() && min_out.is_some() && min_in != min_out;
            let (severity, kind, relation) = if !inside {
                (
                    Severity::Warning,
                    RuleKind::ContainmentCrossing,
                    format!("{}：部分越出边界", r.relation),
                )
            } else if minerals_differ {
                let text = format!(
                    "{}，但矿种不一致（{} / {}）",
                    r.relation,
                    min_in.unwrap_or("?"),
                    min_out.unwrap_or("?")
                );
                (Severity::Warning, RuleKind::ContainmentMismatch, text)
            } else {
                (Severity::Info, RuleKind::Containment, r.relation.clone())
            };
            (severity, kind, relation.into(), sin.r, sout.r)
        }
    }
}

/// Subjects per work item of the boundary rule's threads.
const BOUNDARY_BLOCK: usize = 64;

/// The boundary rule: every subject of a role that must lie inside the boundary and does not,
/// by more than the tolerances (ellipsoidal m²), is a finding with the part outside; smaller
/// parts outside are counted as slivers. Runs on every core (blocks of subjects handed out in
/// turn); the findings are appended to `findings` in subject order, as one thread would give
/// them, and the number of slivers is returned.
fn boundary_findings(
    subjects: &[Subject<'_>],
    boundary: &MultiPolygon<f64>,
    rules: &Rules,
    area_of: &(dyn Fn(usize) -> f64 + Sync),
    findings: &mut Vec<Finding>,
) -> usize {
    let prepared = PreparedBoundary::new(boundary);
    let tol = rules.tolerance;
    // Subjects are handed out in blocks and those of other roles skipped there (no list of the
    // ones to check: 4 MB on a county layer).
    let checked = |s: &Subject<'_>| rules.boundary.roles.iter().any(|r| **r == *s.role);
    let next = AtomicUsize::new(0);
    let work = || {
        // For the rare sliver: the analysis has always counted one only for a feature the
        // boundary does not cover (built on first use, per thread: it is not `Sync`).
        let mut whole: Option<geo::PreparedGeometry<'_, &MultiPolygon<f64>, f64>> = None;
        let mut found: Vec<OutsideHit> = Vec::new();
        let mut slivers = 0;
        loop {
            let start = next.fetch_add(1, Ordering::Relaxed) * BOUNDARY_BLOCK;
            if start >= subjects.len() {
                break;
            }
            for (i, s) in subjects.iter().enumerate().skip(start).take(BOUNDARY_BLOCK) {
                if !checked(s) {
                    continue;
                }
                let (area, part) = match prepared.outside_polygons(s.geometry().polygons()) {
                    Outside::Inside => continue,
                    Outside::Wholly => (area_of(i), None),
                    Outside::Part(mp) => (area_m2(&mp), Some(Box::new(compact(mp)))),
                };
                if area < tol.min_area_m2 || area < tol.min_share * area_of(i) {
                    let covered = area > 0.0
                        && part.is_some()
                        && whole
                            .get_or_insert_with(|| geo::PreparedGeometry::from(boundary))
                            .relate(&s.geometry().to_multipolygon())
                            .is_covers();
                    if area > 0.0 && !covered {
                        slivers += 1;
                    }
                    continue;
                }
                // Wholly outside: no geometry, the feature itself (see `Finding::shape`).
                let wholly = area_of(i) - area <= tol.min_area_m2;
                found.push(OutsideHit {
                    subject: i,
                    area,
                    wholly,
                    part,
                });
            }
        }
        (found, slivers)
    };
    let parts = on_every_core(subjects.len().div_ceil(BOUNDARY_BLOCK), work);
    let slivers = parts.iter().map(|p| p.1).sum();
    // The two texts, shared by every boundary finding.
    let (outside, beyond): (Arc<str>, Arc<str>) = ("位于洮南市界外".into(), "超出洮南市界".into());
    let finding = |o: OutsideHit| Finding {
        severity: rules.boundary.severity,
        rule: RuleKind::Boundary,
        relation: if o.wholly { &outside } else { &beyond }.clone(),
        a: subjects[o.subject].r,
        b: None,
        area_m2: o.area,
        geometry: o.part,
    };
    merge_in_order(parts.into_iter().map(|p| p.0).collect(), finding, findings);
    slivers
}

/// One subject outside the boundary, as a boundary thread finds it (32 bytes, 40 % of a finding:
/// a county layer has ~350 000 of them in flight).
struct OutsideHit {
    subject: usize,
    area: f64,
    wholly: bool,
    part: Option<Box<MultiPolygon<f64>>>,
}

/// Run `work` on every core (at most 8, and no more threads than `blocks` of work), this thread
/// being one of them; the results in thread order. A panic in a thread is resumed here.
fn on_every_core<T: Send>(blocks: usize, work: impl Fn() -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        .min(blocks)
        .max(1);
    let mut parts = Vec::with_capacity(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads).map(|_| scope.spawn(&work)).collect();
        parts.push(work());
        for h in handles {
            parts.push(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
    });
    parts
}

/// Merge per-thread lists, each already in subject order, into findings in subject order, each
/// made once into a list of the exact size (a county layer has ~350 000 boundary findings:
/// collecting, sorting and re-collecting them held three copies).
fn merge_in_order(
    parts: Vec<Vec<OutsideHit>>,
    finding: impl Fn(OutsideHit) -> Finding,
    out: &mut Vec<Finding>,
) {
    out.reserve_exact(parts.iter().map(Vec::len).sum());
    let mut heads: Vec<_> = parts
        .into_iter()
        .map(|p| p.into_iter().peekable())
        .collect();
    loop {
        let next = heads
            .iter_mut()
            .enumerate()
            .filter_map(|(k, h)| Some((h.peek()?.subject, k)))
            .min();
        let Some((_, k)) = next else { break };
        match heads.get_mut(k).and_then(Iterator::next) {
            Some(o) => out.push(finding(o)),
            None => break,
        }
    }
}

/// Run the analysis over a catalog's visible layers with its boundary.
pub fn analyze_catalog(
    catalog: &Catalog,
    visible: impl Fn(usize) -> bool,
    rules: &Rules,
) -> Findings {
    let subjects = subjects(catalog, visible);
    analyze(&subjects, boundary_of(catalog).as_ref(), rules)
}

/// A square polygon (for tests and examples): lower-left corner and side, in degrees.
pub fn square(x: f64, y: f64, side: f64) -> Polygon<f64> {
    geo::Rect::new((x, y), (x + side, y + side)).to_polygon()
}

#[cfg(test)]
mod size_tests {
    /// A county layer holds ~400 000 findings: each stays at 80 bytes on 64-bit targets.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_finding_is_80_bytes() {
        assert_eq!(std::mem::size_of::<super::Finding>(), 80);
    }

    /// … and 500 000 subjects at the analysis's peak: 40 bytes each.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_subject_is_40_bytes() {
        assert_eq!(std::mem::size_of::<super::Subject<'_>>(), 40);
    }
}
