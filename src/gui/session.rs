//! What comes back at the next start: the loaded files (by path) with the user's choices for
//! each (encoding, CRS, X/Y swap, transform, GeoPackage tables, colour, labels, visibility), the
//! bundled layers' labels, the view, the language, recent files and the last folder. Stored as
//! JSON in eframe's storage.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::text::{Lang, Text};

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
    /// The transform placing the file's local grid (four or seven parameters, typed or from
    /// control points), reapplied when the file is opened again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<crate::crs::grid_transform::TransformSpec>,
    /// The feature tables the user picked from a GeoPackage holding several (`None`: all).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<Vec<String>>,
    /// How the user chose to label the layer, if they did.
    #[serde(default)]
    pub labels: Option<crate::model::style::LabelStyle>,
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
    /// Why the stored session was not (wholly) used, for the window's messages; never stored.
    #[serde(skip)]
    pub note: Option<Text>,
    /// The plan database applied in place of the schematic zones, if any.
    #[serde(default)]
    pub plan_database: Option<PlanDatabaseEntry>,
    /// Labels the user chose for bundled layers (by stem).
    #[serde(default)]
    pub bundled_labels: Vec<(String, crate::model::style::LabelStyle)>,
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

/// Largest stored session read, in bytes (a session of hundreds of files is a few tens of KB).
pub const MAX_BYTES: usize = 4 << 20;

/// Most loaded files, hidden layers or tile files kept from a stored session.
pub const MAX_FILES: usize = 1000;

/// A note on the stored session: what happened to it (in Chinese, in English) and why.
fn session_note(what: (&str, &str), why: &Text) -> Text {
    Text::by_lang(|l| match l {
        Lang::Zh => format!(
            "上次的会话（窗口存储，键 {KEY}）{}：{}",
            what.0,
            why.in_lang(l)
        ),
        Lang::En => format!(
            "the last session (window storage, key {KEY}) {}: {}",
            what.1,
            why.in_lang(l)
        ),
    })
}

impl Session {
    /// Parse a stored session. A damaged or oversized one gives the default (replaced at the
    /// next save) with a [`Session::note`] saying why; a view that is not a place on the map is
    /// dropped and over-long lists are cut, each with a note.
    pub fn parse(text: &str) -> Self {
        let unusable = |why: Text| Self {
            note: Some(session_note(("无法恢复", "could not be restored"), &why)),
            ..Self::default()
        };
        if text.len() > MAX_BYTES {
            let n = text.len();
            return unusable(Text::new(
                format!("{n} 字节，超过 {MAX_BYTES}"),
                format!("{n} bytes, more than {MAX_BYTES}"),
            ));
        }
        let mut s: Self = match serde_json::from_str(text) {
            Ok(s) => s,
            // serde_json's own words.
            Err(e) => return unusable(Text::same(e.to_string())),
        };
        let mut fixed = Vec::new();
        if let Some((lon, lat, zoom)) = s.view
            && !((-180.0..=180.0).contains(&lon)
                && (-85.06..=85.06).contains(&lat)
                && (0.0..=25.0).contains(&zoom))
        {
            s.view = None;
            fixed.push(Text::new(
                format!("视图（{lon}, {lat}, 级别 {zoom}）不在地图上"),
                format!("view ({lon}, {lat}, zoom {zoom}) is not on the map"),
            ));
        }
        let cut = |n: usize, max: usize, what: (&str, &str), fixed: &mut Vec<Text>| {
            if n > max {
                fixed.push(Text::new(
                    format!("{n} 个{}，只保留前 {max} 个", what.0),
                    format!("{n} {}, only the first {max} kept", what.1),
                ));
            }
        };
        cut(s.files.len(), MAX_FILES, ("文件", "files"), &mut fixed);
        cut(
            s.tile_files.len(),
            MAX_FILES,
            ("瓦片文件", "tile files"),
            &mut fixed,
        );
        cut(
            s.hidden_bundled.len(),
            MAX_FILES,
            ("隐藏的图层", "hidden layers"),
            &mut fixed,
        );
        cut(
            s.bundled_labels.len(),
            MAX_FILES,
            ("加注记的图层", "labelled layers"),
            &mut fixed,
        );
        s.bundled_labels.truncate(MAX_FILES);
        s.files.truncate(MAX_FILES);
        s.tile_files.truncate(MAX_FILES);
        s.hidden_bundled.truncate(MAX_FILES);
        s.recent.truncate(RECENT_MAX);
        if !fixed.is_empty() {
            s.note = Some(session_note(
                ("部分恢复", "was restored in part"),
                &Text::join(&fixed),
            ));
        }
        s
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
            transform: options.transform.as_deref().cloned(),
            tables: options.tables.clone(),
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
        s.files.push(FileEntry {
            path: PathBuf::from("测绘成果/矿区独立坐标.dxf"),
            transform: Some(crate::crs::grid_transform::TransformSpec {
                kind: "seven".into(),
                ellipsoid: Some("krass".into()),
                central_meridian: Some(123.0),
                points: vec![crate::crs::grid_transform::SpecPoint {
                    name: Some("K1".into()),
                    local: vec![5_021_800.0, 481_600.0, 150.0],
                    target: vec![122.76, 45.33],
                }],
                ..Default::default()
            }),
            tables: Some(vec!["采矿权".into()]),
            ..Default::default()
        });
        s.remember(std::path::Path::new("报件/拐点坐标.txt"));
        s.plan_database = Some(PlanDatabaseEntry {
            files: vec![PathBuf::from("规划数据库/重点开采区.shp")],
            overrides: vec![(0, 2, Some("Z3".into())), (0, 3, None)],
        });
        let labels = crate::model::style::LabelStyle {
            on: true,
            field: Some("矿种".into()),
            size: 16.0,
            halo: false,
            ..Default::default()
        };
        s.files[0].labels = Some(labels.clone());
        s.bundled_labels = vec![("townships".into(), labels)];
        let back = Session::parse(&s.to_json());
        assert_eq!(back, s);
        assert_eq!(back.last_dir, Some(PathBuf::from("报件")));
        assert!(Session::parse("not json").note.is_some());
    }

    /// Bad, huge and overflowing sessions: the default (or what is usable) and a note, never a
    /// panic.
    #[test]
    fn bad_sessions_give_defaults_and_a_note() {
        for (text, want) in [
            ("not json".to_owned(), "expected"),
            ("{\"view\": [1e999, 0, 0]}".to_owned(), "out of range"),
            (
                "{\"files\": [{\"path\": \"a\", \"epsg\": 99999999999}]}".to_owned(),
                "u32",
            ),
            (
                "{\"files\": [{\"path\": \"a\", \"color\": [256, 0, 0, 0]}]}".to_owned(),
                "u8",
            ),
            (format!("{{\"x\": {}", "[".repeat(100_000)), "EOF"),
            (" ".repeat(MAX_BYTES + 1), "more than"),
        ] {
            let s = Session::parse(&text);
            let note = s.note.clone().expect("a note");
            let note = note.in_lang(Lang::En);
            assert!(note.contains(KEY) && note.contains(want), "{want}: {note}");
            assert_eq!(Session { note: None, ..s }, Session::default());
        }
        let s = Session::parse("{\"view\": [122.5, 45.5, 1e300], \"lang\": \"zh\"}");
        assert_eq!((s.view, s.lang.as_str()), (None, "zh"));
        assert!(
            s.note
                .is_some_and(|n| n.in_lang(Lang::En).contains("in part")
                    && n.in_lang(Lang::Zh).contains("部分恢复"))
        );
        let many = format!(
            "{{\"files\": [{}]}}",
            vec!["{\"path\": \"a.shp\"}"; MAX_FILES + 5].join(",")
        );
        let s = Session::parse(&many);
        assert_eq!(s.files.len(), MAX_FILES);
        assert!(
            s.note
                .is_some_and(|n| n.in_lang(Lang::En).contains("1005 files")
                    && n.in_lang(Lang::Zh).contains("1005 个文件"))
        );
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
