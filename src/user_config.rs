//! The user's own settings file, `<config>/taonan-map/config.toml`: the Tianditu key, a custom
//! XYZ tile address and the tile cache's size cap. The key lives only here (or in the
//! environment variable `TIANDITU_TK`); the session, logs and exports never hold it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::text;
use crate::text::{Lang, Text};

/// File name inside the config folder.
pub const FILE_NAME: &str = "config.toml";

/// Environment variable read when no key is saved.
pub const TK_ENV: &str = "TIANDITU_TK";

/// Largest tile cache accepted, in MB (1 TiB).
pub const MAX_CACHE_MB: u64 = 1 << 20;

/// Largest user file read (`config.toml`, `rules.toml`, `fields.csv`), in bytes: far more than
/// any hand-written settings file, small enough to read at start without a pause.
pub const MAX_USER_FILE: u64 = 1 << 20;

/// Read one of the user's small text files: `Ok(None)` when it is not there; an error (saying
/// what is wrong, without the path) when it cannot be read, is larger than [`MAX_USER_FILE`] or
/// is not UTF-8 text. Never reads more than the cap.
pub fn read_user_file(path: &Path) -> Result<Option<String>, Text> {
    use std::io::Read;
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(text!("无法打开：{e}", "cannot open: {e}")),
    };
    let mut bytes = Vec::new();
    file.take(MAX_USER_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| text!("无法读取：{e}", "cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_USER_FILE {
        let kib = MAX_USER_FILE >> 10;
        return Err(text!(
            "文件过大，超过 {kib} KiB",
            "the file is larger than {kib} KiB"
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(body.to_vec())
        .map(Some)
        .map_err(|e| text!("不是 UTF-8 文本（{e}）", "not UTF-8 text ({e})"))
}

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
    pub fn load(dir: &Path) -> (Self, Option<Text>) {
        let path = dir.join(FILE_NAME);
        let shown = path.display().to_string();
        let unreadable = |why: Text| {
            let said = Text::by_lang(|l| match l {
                Lang::Zh => format!(
                    "{shown}：设置文件无法读取，已用默认设置：{}",
                    why.in_lang(l)
                ),
                Lang::En => format!(
                    "{shown}: settings unreadable, defaults used: {}",
                    why.in_lang(l)
                ),
            });
            (Self::default(), Some(said))
        };
        let text = match read_user_file(&path) {
            Ok(Some(text)) => text,
            Ok(None) => return (Self::default(), None),
            Err(why) => return unreadable(why),
        };
        match toml::from_str::<Self>(&text) {
            Ok(c) => match c.tile_cache_mb {
                Some(mb) if mb > MAX_CACHE_MB => unreadable(text!(
                    "tile_cache_mb = {mb} 超过上限 {MAX_CACHE_MB}（1 TiB）",
                    "tile_cache_mb = {mb} is more than {MAX_CACHE_MB} (1 TiB)"
                )),
                _ => (c, None),
            },
            // The TOML reader's message has one wording.
            Err(e) => unreadable(Text::same(e.to_string())),
        }
    }

    /// Write the settings to `dir`.
    pub fn save(&self, dir: &Path) -> Result<(), Text> {
        let path = dir.join(FILE_NAME);
        let p = path.display();
        let text = toml::to_string(self).map_err(|e| text!("{p}：{e}", "{p}: {e}"))?;
        std::fs::create_dir_all(dir)
            .and_then(|_| std::fs::write(&path, text))
            .map_err(|e| text!("{p}：无法保存：{e}", "{p}: cannot save: {e}"))
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
                mb.clamp(16, MAX_CACHE_MB) * 1024 * 1024
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
    pub fn basemap(&self, id: &str) -> Result<Option<crate::tiles::BasemapSpec>, Text> {
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
        .ok_or_else(|| text!("未知底图：{id}", "unknown basemap: {id}"))
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
                .is_some_and(|m| m.in_lang(Lang::Zh).contains(FILE_NAME)
                    && m.in_lang(Lang::Zh).contains("设置文件无法读取"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn temp(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("taonan-config-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    /// Bad, huge and overflowing files: the defaults and a message naming the file and the
    /// problem, never a panic.
    #[test]
    fn bad_files_give_defaults_and_say_why() {
        let dir = temp("bad");
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (
                b"tile_cache_mb = 99999999999999999999\n".to_vec(),
                "tile_cache_mb",
            ),
            (b"tile_cache_mb = 9223372036854775807\n".to_vec(), "1 TiB"),
            (b"tile_cache_mb = -1\n".to_vec(), "tile_cache_mb"),
            (b"tile_cache_mb = 1e400\n".to_vec(), "tile_cache_mb"),
            (b"xyz_template = \"\xff\xfe\"\n".to_vec(), "UTF-8"),
            (vec![b'#'; (MAX_USER_FILE + 1) as usize], "larger than"),
            (
                b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_vec(),
                FILE_NAME,
            ),
        ];
        for (bytes, want) in cases {
            std::fs::write(dir.join(FILE_NAME), &bytes).expect("write");
            let (c, msg) = UserConfig::load(&dir);
            assert_eq!(c, UserConfig::default());
            let msg = msg.expect("a message");
            let en = msg.in_lang(Lang::En);
            assert!(en.contains(FILE_NAME) && en.contains(want), "{want}: {en}");
        }
        // The largest accepted cap does not overflow when turned into bytes.
        let c = UserConfig {
            tile_cache_mb: Some(MAX_CACHE_MB),
            ..UserConfig::default()
        };
        assert_eq!(c.cache_cap_bytes(), 1 << 40);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
