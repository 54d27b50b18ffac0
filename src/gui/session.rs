//! What comes back at the next start: the loaded files (by path) with the user's choices for
//! each (encoding, CRS, X/Y swap, colour, visibility), the view, the language, recent files and
//! the last folder. Stored as JSON in eframe's storage.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// Settings key of the session.
pub const KEY: &str = "taonan-map.session";

/// How many recent files are kept.
pub const RECENT_MAX: usize = 12;

/// One loaded file and the user's choices for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file.
    pub path: PathBuf,
    /// Encoding name chosen by the user (encoding_rs label), if any.
    #[serde(default)]
    pub encoding: Option<String>,
    /// EPSG code chosen by the user, if any.
    #[serde(default)]
    pub epsg: Option<u32>,
    /// The user's X/Y swap choice (`None`: decided on load).
    #[serde(default)]
    pub swap_xy: Option<bool>,
    /// Colour chosen by the user (RGBA), if any.
    #[serde(default)]
    pub color: Option<[u8; 4]>,
    /// Whether the layer is hidden.
    #[serde(default)]
    pub hidden: bool,
    /// What the user said the layer is (analysis role key), if anything.
    #[serde(default, alias = "kind")]
    pub analysis_role: Option<String>,
}

/// The whole session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// "zh" or "en".
    #[serde(default)]
    pub lang: String,
    /// Map centre lon, lat and zoom.
    #[serde(default)]
    pub view: Option<(f64, f64, f64)>,
    /// Loaded files in load order.
    #[serde(default)]
    pub files: Vec<FileEntry>,
    /// Recently opened files, newest first.
    #[serde(default)]
    pub recent: Vec<PathBuf>,
    /// The folder last opened from.
    #[serde(default)]
    pub last_dir: Option<PathBuf>,
    /// The basemap chosen (`osm`, `tianditu-vec`, `local:<path>`, `none`, …; never a key).
    #[serde(default)]
    pub basemap: Option<String>,
    /// Offline tile files and folders opened, newest first.
    #[serde(default)]
    pub tile_files: Vec<PathBuf>,
    /// Bundled layers the user hid (by stem).
    #[serde(default)]
    pub hidden_bundled: Vec<String>,
    /// The plan database applied in place of the schematic zones, if any.
    #[serde(default)]
    pub plan_database: Option<PlanDatabaseEntry>,
}

/// The plan database the user applied: its files and the rows fixed by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanDatabaseEntry {
    /// The database's files, one per layer, in the order read.
    pub files: Vec<PathBuf>,
    /// Rows fixed by hand: (database layer index, feature index, zone id or none).
    #[serde(default)]
    pub overrides: Vec<(usize, usize, Option<String>)>,
}

impl PlanDatabaseEntry {
    /// The overrides as the matching takes them.
    pub fn overrides(&self) -> Vec<crate::plan::zone_match::Override> {
        self.overrides
            .iter()
            .map(|(layer, feature, zone)| crate::plan::zone_match::Override {
                polygon: crate::plan::zone_match::PolygonRef {
                    layer: *layer,
                    feature: *feature,
                },
                zone: zone.clone(),
            })
            .collect()
    }
}

impl Session {
    /// Parse a stored session; a damaged one gives the default (and is replaced at the next save).
    pub fn parse(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The session as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The entry of a loaded file.
    pub fn file_mut(&mut self, path: &std::path::Path) -> Option<&mut FileEntry> {
        self.files.iter_mut().find(|e| e.path == path)
    }

    /// A file has loaded with `options`: put it at the top of the recent list and remember
    /// the options with the user's other choices for it; returns its entry.
    pub fn loaded(
        &mut self,
        path: &std::path::Path,
        options: &crate::io::loader::LoadOptions,
    ) -> FileEntry {
        self.remember(path);
        let entry = FileEntry {
            path: path.to_path_buf(),
            encoding: options.encoding.map(|e| e.name().to_owned()),
            epsg: options.epsg,
            swap_xy: options.swap_xy,
            ..self.file_mut(path).cloned().unwrap_or_default()
        };
        match self.file_mut(path) {
            Some(e) => *e = entry.clone(),
            None => self.files.push(entry.clone()),
        }
        entry
    }

    /// Put a file at the top of the recent list.
    pub fn remember(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT_MAX);
        if let Some(dir) = path.parent() {
            self.last_dir = Some(dir.to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_paths_round_trip() {
        let mut s = Session {
            lang: "zh".into(),
            ..Default::default()
        };
        s.files.push(FileEntry {
            path: PathBuf::from("测绘成果/采矿权.shp"),
            epsg: Some(4529),
            ..Default::default()
        });
        s.remember(std::path::Path::new("报件/拐点坐标.txt"));
        s.plan_database = Some(PlanDatabaseEntry {
            files: vec![PathBuf::from("规划数据库/重点开采区.shp")],
            overrides: vec![(0, 2, Some("Z3".into())), (0, 3, None)],
        });
        let back = Session::parse(&s.to_json());
        assert_eq!(back, s);
        assert_eq!(back.last_dir, Some(PathBuf::from("报件")));
        assert_eq!(Session::parse("not json"), Session::default());
    }

    #[test]
    fn a_session_saved_with_the_old_name_of_the_analysis_role_reads() {
        let old = r#"{"files":[{"path":"采矿权.shp","kind":"surveyed_mining_right"}]}"#;
        let s = Session::parse(old);
        assert_eq!(
            s.files[0].analysis_role.as_deref(),
            Some("surveyed_mining_right")
        );
        assert!(
            s.to_json()
                .contains("\"analysis_role\":\"surveyed_mining_right\"")
        );
    }
}
