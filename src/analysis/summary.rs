//! Everything the side panel and the CLI say about one feature, computed in one place.

use crate::analysis::measure::{area_km2, centroid, km2_to_mu, lonlat_dms, perimeter_km};
use crate::crs::{SurveyXY, lonlat_to_zone41};
use crate::model::catalog::{Catalog, FeatureRef};

/// Derived facts about a feature.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Ellipsoidal area, km² (0 for points and lines).
    pub area_km2: f64,
    /// The same area in 亩.
    pub area_mu: f64,
    /// Ellipsoidal perimeter (or length), km.
    pub perimeter_km: f64,
    /// Centroid (lon, lat).
    pub centroid: Option<(f64, f64)>,
    /// Centroid in zone-41 X/Y.
    pub centroid_zone41: Option<SurveyXY>,
    /// Nearest township seat and its distance in km.
    pub nearest_seat: Option<(String, f64)>,
}

impl Summary {
    /// The centroid as DMS text.
    pub fn centroid_dms(&self) -> Option<String> {
        self.centroid.map(|(lon, lat)| lonlat_dms(lon, lat))
    }
}

/// Summarise a feature of the catalog.
pub fn summarize(catalog: &Catalog, r: FeatureRef) -> Option<Summary> {
    let f = catalog.feature(r)?;
    let a = area_km2(&f.geometry);
    let c = centroid(&f.geometry);
    Some(Summary {
        area_km2: a,
        area_mu: km2_to_mu(a),
        perimeter_km: perimeter_km(&f.geometry),
        centroid: c,
        centroid_zone41: c.and_then(|(lon, lat)| lonlat_to_zone41(lon, lat).ok()),
        nearest_seat: c.and_then(|(lon, lat)| catalog.nearest_seat(lon, lat)),
    })
}
