//! GeoPackage (`.gpkg`) input: every feature table becomes a layer (one per table, as the
//! shapefile sets of a zip do), or only the one named by [`LoadOptions::table`]. The file is
//! opened read-only; the CRS comes from `gpkg_spatial_ref_sys` (EPSG code, else its WKT) and
//! goes through the loader's shared CRS decision, reprojection and reports.
//!
//! - [`blob`]: the GeoPackage geometry blob (header, envelope, WKB).
//! - [`tables`]: the feature tables, their spatial references and rows.

pub mod blob;
pub mod tables;

use std::path::Path;
use std::sync::atomic::Ordering;

use crate::crs::crs_guess::CrsSource;
use crate::io::loader::{self, CANCELLED, LoadOptions, LoadedLayer, Progress, Record};

/// Load the feature tables of a GeoPackage (all, or `opts.table`). `shown` names the file in
/// messages; each layer's source is `shown!table`. A table that cannot be read is reported on
/// the first layer; when none can, the error names every reason.
pub fn load(
    path: &Path,
    shown: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<Vec<LoadedLayer>, String> {
    let conn = tables::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let all = tables::feature_tables(&conn).map_err(|e| format!("{shown}: {e}"))?;
    if all.is_empty() {
        return Err(format!(
            "{shown}: the GeoPackage holds no feature table (gpkg_contents lists none)"
        ));
    }
    let names: Vec<&str> = all.iter().map(|t| t.name.as_str()).collect();
    let chosen: Vec<&tables::FeatureTable> = match &opts.table {
        Some(want) => {
            let t = all.iter().find(|t| &t.name == want).ok_or_else(|| {
                format!(
                    "{shown}: no feature table named {want}; the file has: {}",
                    names.join(", ")
                )
            })?;
            vec![t]
        }
        None => all.iter().collect(),
    };
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for t in chosen {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(CANCELLED.into());
        }
        let label = format!("{shown}!{}", t.name);
        match load_table(&conn, t, &label, opts, progress) {
            Ok(l) => out.push(l),
            Err(e) if e == CANCELLED => return Err(e),
            Err(e) => skipped.push(e),
        }
    }
    if out.is_empty() {
        return Err(format!(
            "{shown}: nothing could be loaded: {}",
            skipped.join("; ")
        ));
    }
    if let Some(first) = out.first_mut() {
        if all.len() > 1 && opts.table.is_none() {
            first.warnings.push(format!(
                "此 GeoPackage 含 {} 个要素表，已全部载入 / this GeoPackage has {} feature tables, all loaded: {} (the command line's --table NAME loads one)",
                all.len(),
                all.len(),
                names.join(", ")
            ));
        }
        first
            .problems
            .extend(skipped.into_iter().map(|s| format!("skipped: {s}")));
    }
    Ok(out)
}

/// Load one feature table through the loader's shared path.
fn load_table(
    conn: &rusqlite::Connection,
    table: &tables::FeatureTable,
    label: &str,
    opts: &LoadOptions,
    progress: &Progress,
) -> Result<LoadedLayer, String> {
    let srs = tables::spatial_ref(conn, table.srs_id).map_err(|e| format!("{label}: {e}"))?;
    let rows = tables::rows(conn, table, || !progress.cancel.load(Ordering::Relaxed))
        .map_err(|e| format!("{label}: {e}"))?;
    if progress.cancel.load(Ordering::Relaxed) {
        return Err(CANCELLED.into());
    }
    progress.total.fetch_add(rows.len(), Ordering::Relaxed);
    let mut problems = Vec::new();
    let mut records: Vec<Record> = Vec::with_capacity(rows.len());
    let mut empty = 0usize;
    let mut schema = None;
    for (i, (blob, attrs)) in rows.into_iter().enumerate() {
        let geom = match blob.as_deref().map(blob::geometry) {
            Some(Ok(g)) => g,
            Some(Err(e)) => {
                problems.push(format!("feature {}: {e}", i + 1));
                continue;
            }
            None => None,
        };
        if geom.is_none() {
            empty += 1;
        }
        records.push((
            geom,
            crate::model::Attributes::from_pairs_in(&attrs, &mut schema),
        ));
    }
    if empty > 0 {
        problems.push(format!(
            "{empty} feature(s) without geometry (NULL or empty)"
        ));
    }
    if records.iter().all(|(g, _)| g.is_none()) {
        let why = problems
            .first()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        return Err(format!("{label}: the table holds no features{why}"));
    }
    let n = records.len();
    let file_epsg = srs.epsg;
    let merged = LoadOptions {
        epsg: opts.epsg.or(file_epsg),
        ..opts.clone()
    };
    let prj = if file_epsg.is_none() {
        srs.wkt.as_deref()
    } else {
        None
    };
    let mut loaded = loader::finish(label, records, prj, &merged, problems, None, progress)
        .map_err(|e| {
            // The file's EPSG code went in as a choice: say whose it was.
            if opts.epsg.is_none() && file_epsg.is_some() {
                e.replace("the chosen CRS", "the CRS of gpkg_spatial_ref_sys")
            } else {
                e
            }
        });
    if let Ok(l) = &mut loaded {
        if opts.epsg.is_none() && file_epsg.is_some() {
            l.crs.source = CrsSource::Prj;
            l.crs.reason = format!("from gpkg_spatial_ref_sys ({})", srs.name);
            l.layer.crs = format!("{} — {}", l.crs.label, l.crs.reason);
        } else if l.crs.source == CrsSource::Prj {
            l.crs.reason = "from gpkg_spatial_ref_sys (WKT definition)".into();
            l.layer.crs = format!("{} — {}", l.crs.label, l.crs.reason);
        }
    }
    progress.done.fetch_add(n, Ordering::Relaxed);
    loaded
}
