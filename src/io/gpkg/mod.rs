//! GeoPackage (`.gpkg`) input: every feature table becomes a layer (one per table, as the
//! shapefile sets of a zip do), or only those named by [`LoadOptions::tables`] (the window's
//! table picker, the command line's `--table`; [`summaries`] lists them for the picker). The file is
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

/// Load the feature tables of a GeoPackage (all, or `opts.tables`). `shown` names the file in
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
    let chosen: Vec<&tables::FeatureTable> = match &opts.tables {
        Some(wanted) => {
            let mut chosen = Vec::with_capacity(wanted.len());
            for want in wanted {
                let t = all.iter().find(|t| &t.name == want).ok_or_else(|| {
                    format!(
                        "{shown}: no feature table named {want}; the file has: {}",
                        names.join(", ")
                    )
                })?;
                chosen.push(t);
            }
            if chosen.is_empty() {
                return Err(format!(
                    "{shown}: no feature table chosen; the file has: {}",
                    names.join(", ")
                ));
            }
            chosen
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
        if all.len() > 1 && opts.tables.is_none() {
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

/// A feature table as the window's table picker shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSummary {
    /// The table's name.
    pub name: String,
    /// Its geometry type as `gpkg_geometry_columns` declares it (POLYGON, POINT, GEOMETRY …).
    pub geometry_type: String,
    /// How many rows it has.
    pub features: u64,
}

/// The feature tables of a GeoPackage with their geometry types and row counts (for the
/// picker shown when there are several); errors name the file.
pub fn summaries(path: &Path, shown: &str) -> Result<Vec<TableSummary>, String> {
    let conn = tables::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let all = tables::feature_tables(&conn).map_err(|e| format!("{shown}: {e}"))?;
    all.iter()
        .map(|t| {
            let geometry_type = conn
                .query_row(
                    "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?1",
                    [&t.name],
                    |r| r.get::<_, String>(0),
                )
                .unwrap_or_else(|_| "?".into());
            let features = conn
                .query_row(
                    &format!("SELECT count(*) FROM {}", tables::quoted(&t.name)),
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(|e| format!("{shown}!{}: cannot count the rows: {e}", t.name))?;
            Ok(TableSummary {
                name: t.name.clone(),
                geometry_type,
                features: u64::try_from(features).unwrap_or(0),
            })
        })
        .collect()
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
