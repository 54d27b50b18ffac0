//! The plan's own database (县级矿产资源规划数据库: one file per layer — 重点开采区, 集中开采区,
//! 勘查/开采规划区块 — with codes and names) read as the plan: its files, the plan's zones it is
//! matched against, and the whole step from files to the layers that replace the schematic ones.
//!
//! Reading goes through [`crate::io::loader::load_path`] (every format the loader knows, the
//! same CRS and encoding decisions); matching is [`crate::plan::zone_match`]; the new layers are
//! made by [`crate::plan::apply_database`].

use std::path::PathBuf;

use crate::io::loader::{LoadOptions, Progress, load_path};
use crate::model::{Layer, LayerRole};
use crate::plan::zone_match::{MatchTable, Override, PolygonRef, match_zones};
use crate::plan::zone_names::{code_of, name_of};
use crate::text::Text;

/// The database's files as read: one layer per file (a zip may hold several).
#[derive(Debug, Clone, Default)]
pub struct PlanDatabase {
    /// The files asked for, in order.
    pub files: Vec<PathBuf>,
    /// The layers read from them, in order.
    pub layers: Vec<Layer>,
    /// What the loader said about each layer (skipped records, warnings), with the file named.
    pub notes: Vec<Text>,
    /// Files that could not be read at all (the message names the file).
    pub errors: Vec<Text>,
}

impl PlanDatabase {
    /// Read every file with the same options. A file that fails is named in
    /// [`PlanDatabase::errors`]; the others are kept.
    pub fn read(files: &[PathBuf], opts: &LoadOptions, progress: &Progress) -> Self {
        let mut db = PlanDatabase {
            files: files.to_vec(),
            ..Default::default()
        };
        for f in files {
            match load_path(f, opts, progress) {
                Ok(loaded) => {
                    for l in loaded {
                        for n in l.warnings.iter().chain(&l.problems) {
                            db.notes.push(n.about(&l.layer.source));
                        }
                        db.layers.push(l.layer);
                    }
                }
                Err(e) => db.errors.push(e.text()),
            }
        }
        db
    }

    /// The polygon a reference points at.
    pub fn feature(&self, r: PolygonRef) -> Option<&crate::model::Feature> {
        self.layers.get(r.layer)?.features.get(r.feature)
    }

    /// Every polygon reference, layer by layer.
    pub fn refs(&self) -> impl Iterator<Item = PolygonRef> + '_ {
        self.layers.iter().enumerate().flat_map(|(layer, l)| {
            (0..l.features.len()).map(move |feature| PolygonRef { layer, feature })
        })
    }

    /// A polygon in words: its file's name, its number (from 1), its code and name.
    pub fn describe(&self, r: PolygonRef) -> String {
        let Some(layer) = self.layers.get(r.layer) else {
            return format!("#{}", r.feature + 1);
        };
        let file = std::path::Path::new(&layer.source)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| layer.source.clone());
        let mut s = format!("{file} #{}", r.feature + 1);
        if let Some(f) = self.feature(r) {
            for t in [code_of(f), name_of(f)].into_iter().flatten() {
                s.push(' ');
                s.push_str(&t);
            }
        }
        s
    }
}

/// One zone of the plan as the matching sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanSide {
    /// The zone's identifier (`Z1`, `CS002`, `E3`, `M16`: [`crate::plan::PlanZone::id`]).
    pub id: String,
    /// Its layer.
    pub role: LayerRole,
    /// Index of its feature in that layer.
    pub index: usize,
    /// Its code (`GHQBH`), when the plan gives one.
    pub code: Option<String>,
    /// Its name as the plan writes it.
    pub name: String,
}

/// The plan's zones in the bundled plan layers (in `layers`), with the identifiers of
/// [`crate::plan::zones`] (the bundled layers hold the zones in that order).
pub fn plan_side(layers: &[Layer]) -> Vec<PlanSide> {
    let zones = crate::plan::zones();
    let mut out = Vec::new();
    for l in layers.iter().filter(|l| l.role.is_plan_zone()) {
        let ids: Vec<&str> = zones
            .iter()
            .filter(|z| z.role == l.role)
            .map(|z| z.id)
            .collect();
        for (i, f) in l.features.iter().enumerate() {
            out.push(PlanSide {
                id: ids
                    .get(i)
                    .map_or_else(|| format!("{}#{}", l.role.key(), i + 1), |s| s.to_string()),
                role: l.role,
                index: i,
                code: code_of(f),
                name: f.display_name(i),
            });
        }
    }
    out
}

/// The database applied to the bundled layers: the layers to show (the plan layers with the
/// matched zones' geometry replaced, and a layer of the polygons that matched no zone), the
/// matching table, and what it was made from.
#[derive(Debug, Clone)]
pub struct AppliedPlan {
    /// The layers, in the bundled layers' order, plus the unmatched polygons' layer on top.
    pub layers: Vec<Layer>,
    /// The matching (after the overrides).
    pub table: MatchTable,
    /// The plan's zones.
    pub plan: Vec<PlanSide>,
    /// The database as read.
    pub database: PlanDatabase,
}

/// Match the database against the plan's zones in `bundled` (with the user's `overrides` on
/// top) and make the layers that replace them.
pub fn apply_to(
    bundled: Vec<Layer>,
    database: PlanDatabase,
    overrides: &[Override],
) -> AppliedPlan {
    let plan = plan_side(&bundled);
    let table = match_zones(&plan, &database, overrides);
    let layers = crate::plan::apply_database::apply(bundled, &plan, &database, &table);
    AppliedPlan {
        layers,
        table,
        plan,
        database,
    }
}
