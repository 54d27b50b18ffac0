//! What is selected: the feature (with its summary and drawing data, worked out once when it
//! is picked) and the finding shown on the map (its overlap, hatched).

use crate::analysis::overlap::Finding;
use crate::analysis::summary::{Summary, summarize};
use crate::gui::map::draw_data::{self, FeatureDraw};
use crate::gui::map::overlay::Overlay;
use crate::model::catalog::{Catalog, FeatureRef};

/// The selected feature and the active finding.
#[derive(Default)]
pub struct Selection {
    selected: Option<(FeatureRef, Summary, FeatureDraw)>,
    active_finding: Option<usize>,
    overlay: Option<Overlay>,
}

impl Selection {
    /// Select a feature (or clear with `None`), computing its summary once; the active
    /// finding is cleared.
    pub fn select(&mut self, catalog: &Catalog, r: Option<FeatureRef>) {
        self.selected = r.and_then(|r| {
            let summary = summarize(catalog, r)?;
            let draw = draw_data::feature(&catalog.feature(r)?.geometry);
            Some((r, summary, draw))
        });
        self.clear_finding();
    }

    /// Forget the active finding (the findings were redone: indices changed).
    pub fn clear_finding(&mut self) {
        self.active_finding = None;
        self.overlay = None;
    }

    /// The selected feature.
    pub fn feature(&self) -> Option<FeatureRef> {
        self.selected.as_ref().map(|(r, _, _)| *r)
    }

    /// The selected feature and its summary.
    pub fn summary(&self) -> Option<(FeatureRef, &Summary)> {
        self.selected.as_ref().map(|(r, s, _)| (*r, s))
    }

    /// The selected feature and its drawing data.
    pub fn drawn(&self) -> Option<(FeatureRef, &FeatureDraw)> {
        self.selected.as_ref().map(|(r, _, d)| (*r, d))
    }

    /// The finding shown on the map, if any.
    pub fn active_finding(&self) -> Option<usize> {
        self.active_finding
    }

    /// The active finding's drawing data.
    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    /// Show finding `i` (`f`): select its first feature, outline the other, hatch the overlap.
    /// Returns the lon/lat rectangle to show (the features and the overlap, with a margin).
    pub fn activate(&mut self, catalog: &Catalog, i: usize, f: &Finding) -> Option<geo::Rect<f64>> {
        use geo::BoundingRect;
        self.select(catalog, Some(f.a));
        let shape = f.shape(catalog).into_owned();
        let hatch = draw_data::hatch(&shape);
        let geometry = geo::Geometry::MultiPolygon(shape);
        self.overlay = Some(Overlay {
            draw: draw_data::feature(&geometry),
            hatch,
            other: f.b,
            other_draw: f
                .b
                .and_then(|b| catalog.feature(b))
                .map(|g| draw_data::feature(&g.geometry)),
        });
        self.active_finding = Some(i);
        let around =
            f.b.and_then(|b| catalog.feature(b))
                .and_then(|g| g.geometry.bounding_rect());
        let base = catalog
            .feature(f.a)
            .and_then(|g| g.geometry.bounding_rect());
        let r = [base, around, geometry.bounding_rect()]
            .into_iter()
            .flatten()
            .reduce(crate::model::union_rect)?;
        let (dx, dy) = (r.width() * 0.3, r.height() * 0.3);
        Some(geo::Rect::new(
            (r.min().x - dx, r.min().y - dy),
            (r.max().x + dx, r.max().y + dy),
        ))
    }
}
