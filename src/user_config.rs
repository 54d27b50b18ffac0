//! The user's own settings file, `<config>/taonan-map/config.toml`: the Tianditu key, a custom
//! XYZ tile address and the tile cache's size cap. The key lives only here (or in the
//! environment variable `TIANDITU_TK`); the session, logs and exports never hold it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// File name inside the config folder.
pub const FILE_NAME: &str = "config.toml";

/// Environment variable read when no key is saved.
pub const TK_ENV: &str = "TIANDITU_TK";

/// The settings.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserConfig {
    /// 天地图 server-type key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tianditu_tk: Option<String>,
    /// A custom XYZ template (`https://host/{z}/{x}/{y}.png`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xyz_template: Option<String>,
    /// Tile cache cap in MB (default 512).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile_cache_mb: Option<u64>,
    /// Where the tile cache is, when not the user's cache folder (tests, portable installs);
    /// never written to the file.
    #[serde(skip)]
    pub tile_cache_dir: Option<PathBuf>,
}

impl std::fmt::Debug for UserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserConfig")
            .field("tianditu_tk", &self.tianditu_tk.as_ref().map(|_| "<set>"))
            .field("xyz_template", &self.xyz_template)
            .field("tile_cache_mb", &self.tile_cache_mb)
            .finish()
    }
}

/// The default config folder.
pub fn default_dir() -> Option<PathBuf> {
    dirs::config_dir().map(|d| d.join("taonan-map"))
}

impl UserConfig {
    /// Read the settings from `dir` (a missing file gives the defaults; a broken one gives the
    /// defaults and a message naming the file).
    pub fn load(dir: &Path) -> (Self, Option<String>) {
        let path = dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => match toml::from_str(&text) {
                Ok(c) => (c, None),
                Err(e) => (
                    Self::default(),
                    Some(format!(
                        "{}：设置文件无法读取 / settings unreadable: {e}",
                        path.display()
                    )),
                ),
            },
            Err(_) => (Self::default(), None),
        }
    }

    /// Write the settings to `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), String> {
        let path = dir.join(FILE_NAME);
        let text = toml::to_string(self).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::create_dir_all(dir)
            .and_then(|_| std::fs::write(&path, text))
            .map_err(|e| format!("{}：无法保存 / cannot save: {e}", path.display()))
    }

    /// The Tianditu key: the saved one, else `TIANDITU_TK`.
    pub fn tianditu_key(&self) -> Option<String> {
        self.tianditu_tk
            .clone()
            .filter(|k| !k.trim().is_empty())
            .or_else(|| std::env::var(TK_ENV).ok().filter(|k| !k.trim().is_empty()))
            .map(|k| k.trim().to_owned())
    }

    /// Tile cache cap in bytes.
    pub fn cache_cap_bytes(&self) -> u64 {
        self.tile_cache_mb
            .map_or(crate::tiles::disk_cache::DEFAULT_CAP_BYTES, |mb| {
                mb.max(16) * 1024 * 1024
            })
    }

    /// The tile cache's folder: the one set for this run, else `<cache>/taonan-map/tile-cache`.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        self.tile_cache_dir
            .clone()
            .or_else(crate::tiles::disk_cache::default_dir)
    }

    /// Fetcher options for these settings: the default tile cache with this cap. The window
    /// waits for a failing server to come back; exports (`wait_for_network = false`) do not.
    pub fn tile_options(&self, wait_for_network: bool) -> crate::tiles::ServiceOptions {
        crate::tiles::ServiceOptions {
            cache: self.cache_dir().map(|d| {
                std::sync::Arc::new(crate::tiles::disk_cache::DiskCache::new(
                    d,
                    self.cache_cap_bytes(),
                ))
            }),
            wait_for_network,
            ..crate::tiles::ServiceOptions::default()
        }
    }

    /// The basemap for an id, with this config's key and XYZ template: `Ok(None)` for "none",
    /// an error for an offline file that cannot be used.
    pub fn basemap(&self, id: &str) -> Result<Option<crate::tiles::BasemapSpec>, String> {
        if id == "none" {
            return Ok(None);
        }
        if let Some(path) = id.strip_prefix("local:") {
            return crate::tiles::BasemapSpec::local(Path::new(path)).map(Some);
        }
        crate::tiles::source::builtin(
            id,
            self.tianditu_key().as_deref(),
            self.xyz_template.as_deref(),
        )
        .map(Some)
        .ok_or_else(|| format!("未知底图 / unknown basemap: {id}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_redacted_debug() {
        let dir = std::env::temp_dir().join(format!("taonan-config-{}", std::process::id()));
        let c = UserConfig {
            tianditu_tk: Some("k123".into()),
            xyz_template: None,
            tile_cache_mb: Some(64),
            tile_cache_dir: None,
        };
        c.save(&dir).expect("save");
        assert_eq!(UserConfig::load(&dir).0, c);
        assert!(!format!("{c:?}").contains("k123"));
        assert_eq!(c.cache_cap_bytes(), 64 * 1024 * 1024);
        std::fs::write(dir.join(FILE_NAME), "tianditu_tk = [").expect("write");
        assert!(
            UserConfig::load(&dir)
                .1
                .is_some_and(|m| m.contains(FILE_NAME))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
