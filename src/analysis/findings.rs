//! What the analysis finds: one [`Finding`] per overlap, conflict, containment or feature
//! outside the boundary, its [`RuleKind`], and [`Findings`], the list sorted and indexed by
//! feature. A county layer has ~400 000 findings, so a finding is kept to 80 bytes.

use std::sync::Arc;

use geo::MultiPolygon;

use crate::analysis::overlap::Areal;
use crate::analysis::rules::Severity;
use crate::model::catalog::{Catalog, FeatureRef};

/// The kind of rule a finding comes from; compares equal to its key (`f.rule == "boundary"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    /// Two features of one layer overlap (`same_layer`).
    SameLayer,
    /// Features of two layers that must not overlap do (`conflict`).
    Conflict,
    /// A feature lies inside the one that must contain it (`containment`).
    Containment,
    /// … but their minerals differ (`containment_mismatch`).
    ContainmentMismatch,
    /// … but it crosses the container's edge (`containment_crossing`).
    ContainmentCrossing,
    /// A feature lies (partly) outside the city boundary (`boundary`).
    Boundary,
}

impl RuleKind {
    /// The key used in exports, the rule table and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::SameLayer => "same_layer",
            RuleKind::Conflict => "conflict",
            RuleKind::Containment => "containment",
            RuleKind::ContainmentMismatch => "containment_mismatch",
            RuleKind::ContainmentCrossing => "containment_crossing",
            RuleKind::Boundary => "boundary",
        }
    }
}

impl PartialEq<&str> for RuleKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for RuleKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding. A county layer has ~400 000 of them, so it is kept small (80 bytes): the rule
/// is a byte, the relation's text is shared, and the rare overlap geometry is boxed.
#[derive(Debug, Clone)]
pub struct Finding {
    /// 错误 / 警告 / 提示.
    pub severity: Severity,
    /// Kind of rule.
    pub rule: RuleKind,
    /// What the relation is, in words (from the rule table; the boundary rule's two texts are
    /// shared by all its findings, not one copy per finding).
    pub relation: Arc<str>,
    /// First feature (the contained one for containments).
    pub a: FeatureRef,
    /// Second feature; `None` for boundary findings.
    pub b: Option<FeatureRef>,
    /// Overlap area (for boundary findings: the area outside), ellipsoidal m².
    pub area_m2: f64,
    /// The overlap (or outside) geometry. `None` for a feature wholly outside the boundary:
    /// the part outside is then the feature itself, and a county layer's worth of copies would
    /// double its memory ([`Finding::shape`] gives it either way).
    pub geometry: Option<Box<MultiPolygon<f64>>>,
}

impl Finding {
    /// The overlap (or the part outside the boundary) as a multipolygon: the finding's own
    /// geometry, or feature `a`'s when the whole feature is outside.
    pub fn shape<'c>(&'c self, catalog: &'c Catalog) -> std::borrow::Cow<'c, MultiPolygon<f64>> {
        use std::borrow::Cow;
        match &self.geometry {
            Some(g) => Cow::Borrowed(g),
            None if self.rule == RuleKind::Boundary => {
                match catalog.feature(self.a).and_then(|f| Areal::of(&f.geometry)) {
                    Some(Areal::Many(m)) => Cow::Borrowed(m),
                    Some(Areal::One(p)) => Cow::Owned(MultiPolygon(vec![p.clone()])),
                    None => Cow::Owned(MultiPolygon(Vec::new())),
                }
            }
            None => Cow::Owned(MultiPolygon(Vec::new())),
        }
    }
}

/// All findings of one analysis.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Findings, errors first (then by feature).
    pub findings: Vec<Finding>,
    /// Overlaps dropped as slivers.
    pub dropped_slivers: usize,
    /// The findings with a second feature, by that feature: (feature `b`, index into
    /// `findings`), sorted; with the findings' own order (by severity, then feature `a`) it
    /// finds a feature's findings among 400 000 by binary searches. Built by
    /// [`Findings::index`].
    by_b: Vec<(FeatureRef, u32)>,
    /// Whether [`Findings::index`] ran since the findings last changed.
    indexed: bool,
}

impl Findings {
    /// How many findings of a severity (they are sorted by severity: two binary searches).
    pub fn count(&self, s: Severity) -> usize {
        self.range_of(s).len()
    }

    /// The indices of the findings of a severity (contiguous: they are sorted by severity).
    pub fn range_of(&self, s: Severity) -> std::ops::Range<usize> {
        let start = self.findings.partition_point(|f| f.severity < s);
        let end = self.findings.partition_point(|f| f.severity <= s);
        start..end.max(start)
    }

    /// Findings that involve a feature, with their indices, in order.
    pub fn of(&self, r: FeatureRef) -> impl Iterator<Item = &Finding> {
        self.indices_of(r)
            .into_iter()
            .filter_map(|i| self.findings.get(i))
    }

    /// Indices of the findings that involve a feature, in order.
    pub fn indices_of(&self, r: FeatureRef) -> Vec<usize> {
        if !self.indexed {
            // Findings put together by hand (never indexed) are walked.
            return self
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.a == r || f.b == Some(r))
                .map(|(i, _)| i)
                .collect();
        }
        let mut out = Vec::new();
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            let range = self.range_of(s);
            let part = &self.findings[range.clone()];
            let from = part.partition_point(|f| f.a < r);
            let to = part.partition_point(|f| f.a <= r);
            out.extend((from..to).map(|i| range.start + i));
        }
        let from = self.by_b.partition_point(|(b, _)| *b < r);
        out.extend(
            self.by_b[from..]
                .iter()
                .take_while(|(b, _)| *b == r)
                .map(|&(_, i)| i as usize)
                .filter(|&i| self.findings.get(i).is_some_and(|f| f.a != r)),
        );
        out.sort_unstable();
        out
    }

    /// Sort the findings (errors first, then by feature) and index them by feature.
    pub fn index(&mut self) {
        // Unstable (no buffer of half a county layer's findings); the rule makes the key unique.
        self.findings.sort_unstable_by(|x, y| {
            x.severity
                .cmp(&y.severity)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
                .then(x.rule.as_str().cmp(y.rule.as_str()))
        });
        self.by_b = self
            .findings
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((f.b?, u32::try_from(i).ok()?)))
            .collect();
        self.by_b.sort_unstable();
        self.indexed = u32::try_from(self.findings.len()).is_ok();
    }
}
