//! The bundled layers: the shapefile sets of `data/`, embedded in the binary so that the viewer
//! and the CLI work from any folder, offline, with nothing to install.

use crate::io::loader::{LoadOptions, Progress, from_set};
use crate::io::shp::ShapefileSet;
use crate::model::{Layer, LayerRole};
use crate::text::Text;

/// A bundled layer's description.
pub struct BundledLayer {
    /// File stem under `data/`.
    pub stem: &'static str,
    /// Role of the layer.
    pub role: LayerRole,
    /// Chinese name.
    pub name_zh: &'static str,
    /// English name.
    pub name_en: &'static str,
    shp: &'static [u8],
    shx: &'static [u8],
    dbf: &'static [u8],
    prj: &'static str,
    cpg: &'static str,
}

macro_rules! bundled {
    ($stem:literal, $role:expr, $zh:literal, $en:literal) => {
        BundledLayer {
            stem: $stem,
            role: $role,
            name_zh: $zh,
            name_en: $en,
            shp: include_bytes!(concat!("../../data/", $stem, ".shp")),
            shx: include_bytes!(concat!("../../data/", $stem, ".shx")),
            dbf: include_bytes!(concat!("../../data/", $stem, ".dbf")),
            prj: include_str!(concat!("../../data/", $stem, ".prj")),
            cpg: include_str!(concat!("../../data/", $stem, ".cpg")),
        }
    };
}

/// Every bundled layer, in draw order (bottom first).
pub const LAYERS: [BundledLayer; 7] = [
    bundled!(
        "neighbour_counties",
        LayerRole::Neighbours,
        "周边县市",
        "Neighbouring counties"
    ),
    bundled!(
        "taonan_boundary",
        LayerRole::Boundary,
        "行政区界",
        "City boundary"
    ),
    bundled!(
        "exploration_blocks",
        LayerRole::ExplorationBlocks,
        "勘查规划区块",
        "Exploration planning blocks"
    ),
    bundled!(
        "key_zones",
        LayerRole::KeyZones,
        "重点开采区",
        "Key extraction zones"
    ),
    bundled!(
        "concentrated_zones",
        LayerRole::ConcentratedZones,
        "集中开采区",
        "Concentrated extraction zones"
    ),
    bundled!(
        "mining_blocks",
        LayerRole::MiningBlocks,
        "开采规划区块",
        "Mining planning blocks"
    ),
    bundled!(
        "township_seats",
        LayerRole::Townships,
        "乡镇驻地",
        "Township seats"
    ),
];

impl BundledLayer {
    /// The embedded files as a set.
    pub fn set(&self) -> ShapefileSet {
        ShapefileSet {
            shp: self.shp.to_vec(),
            shx: Some(self.shx.to_vec()),
            dbf: self.dbf.to_vec(),
            prj: Some(self.prj.to_owned()),
            cpg: Some(self.cpg.to_owned()),
        }
    }

    /// Decode the layer.
    pub fn load(&self) -> Result<Layer, Text> {
        let source = format!("data/{}.shp", self.stem);
        let loaded = from_set(
            self.set(),
            &source,
            &LoadOptions::default(),
            &Progress::default(),
        )
        .map_err(|e| e.text())?;
        if let Some(p) = loaded.problems.first().or(loaded.warnings.first()) {
            return Err(p.about(&source));
        }
        let mut layer = loaded.layer;
        layer.role = self.role;
        layer.name_zh = self.name_zh.into();
        layer.name_en = self.name_en.into();
        Ok(layer)
    }
}

/// Load every bundled layer. The data is part of the program, so a failure here is a bug; it is
/// still returned as an error naming the layer rather than a panic.
pub fn load_all() -> Result<Vec<Layer>, Text> {
    LAYERS.iter().map(BundledLayer::load).collect()
}

/// Load the bundled layers and then each extra file on top (with the same options for every
/// file). Returns the catalog, the notes per layer (same order as the catalog's layers:
/// skipped records, warnings), and one error per file that could not load.
pub fn catalog_with(
    files: &[std::path::PathBuf],
    opts: &crate::io::loader::LoadOptions,
) -> (crate::model::catalog::Catalog, Vec<Vec<Text>>, Vec<Text>) {
    let (catalog, notes, errors, _) = catalog_with_plan(files, &[], opts);
    (catalog, notes, errors)
}

/// [`catalog_with`] with the plan's database (`plan`: one file per layer of it; none: the
/// bundled schematic zones) applied to the bundled plan layers. Also returns the applied plan
/// (its matching table) when `plan` is not empty; the database's unreadable files are among
/// the errors.
pub fn catalog_with_plan(
    files: &[std::path::PathBuf],
    plan: &[std::path::PathBuf],
    opts: &crate::io::loader::LoadOptions,
) -> (
    crate::model::catalog::Catalog,
    Vec<Vec<Text>>,
    Vec<Text>,
    Option<crate::plan::database::AppliedPlan>,
) {
    let mut errors = Vec::new();
    let mut layers = Vec::new();
    let mut notes = Vec::new();
    for b in &LAYERS {
        match b.load() {
            Ok(l) => {
                layers.push(l);
                notes.push(Vec::new());
            }
            Err(e) => errors.push(e),
        }
    }
    let progress = crate::io::loader::Progress::default();
    let mut applied = None;
    if !plan.is_empty() {
        let db = crate::plan::database::PlanDatabase::read(plan, opts, &progress);
        errors.extend(db.errors.iter().cloned());
        let a = crate::plan::database::apply_to(layers, db, &[]);
        layers = a.layers.clone();
        // The database's own notes are in the matching table (`table_json`).
        notes.resize(layers.len(), Vec::new());
        applied = Some(a);
    }
    for f in files {
        match crate::io::loader::load_path(f, opts, &progress) {
            Ok(loaded) => {
                for l in loaded {
                    let mut n = l.warnings;
                    n.extend(l.problems);
                    layers.push(l.layer);
                    notes.push(n);
                }
            }
            Err(e) => errors.push(e.text()),
        }
    }
    (
        crate::model::catalog::Catalog::new(layers),
        notes,
        errors,
        applied,
    )
}
