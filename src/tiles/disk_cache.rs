//! Tiles kept on disk under the user's cache directory, with a size cap: when the cache grows
//! past the cap, the least recently written tiles are deleted until it is back under 90 % of it.
//! Files are named by basemap stack and tile (`<stack>/<z>/<x>/<y>`), never by URL, so no key
//! ever reaches the disk.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Default size cap: 512 MB.
pub const DEFAULT_CAP_BYTES: u64 = 512 * 1024 * 1024;

/// A capped tile cache in one folder.
pub struct DiskCache {
    dir: PathBuf,
    cap: u64,
    /// Bytes on disk, once counted.
    total: Mutex<Option<u64>>,
}

/// The default cache folder (`<cache>/taonan-map/tile-cache`).
pub fn default_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("taonan-map").join("tile-cache"))
}

impl DiskCache {
    /// A cache in `dir` holding at most `cap` bytes.
    pub fn new(dir: PathBuf, cap: u64) -> Self {
        DiskCache {
            dir,
            cap,
            total: Mutex::new(None),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, stack: &str, z: u8, x: u32, y: u32) -> PathBuf {
        self.dir
            .join(stack)
            .join(z.to_string())
            .join(x.to_string())
            .join(y.to_string())
    }

    /// A cached tile and its age, if present.
    pub fn get(
        &self,
        stack: &str,
        z: u8,
        x: u32,
        y: u32,
    ) -> Option<(Vec<u8>, std::time::Duration)> {
        let p = self.path(stack, z, x, y);
        let bytes = std::fs::read(&p).ok()?;
        let age = std::fs::metadata(&p)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .unwrap_or_default();
        Some((bytes, age))
    }

    /// Store a tile (errors are ignored: a cache that cannot write is only slower).
    pub fn put(&self, stack: &str, z: u8, x: u32, y: u32, bytes: &[u8]) {
        let p = self.path(stack, z, x, y);
        let old = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        let written = p
            .parent()
            .is_some_and(|d| std::fs::create_dir_all(d).is_ok())
            && std::fs::write(&p, bytes).is_ok();
        if !written {
            return;
        }
        let over = {
            let Ok(mut total) = self.total.lock() else {
                return;
            };
            let t = total.get_or_insert_with(|| folder_size(&self.dir));
            *t = (*t + bytes.len() as u64).saturating_sub(old);
            *t > self.cap
        };
        if over {
            self.trim();
        }
    }

    /// Bytes on disk now (counted afresh).
    pub fn size(&self) -> u64 {
        folder_size(&self.dir)
    }

    /// Delete the oldest tiles until the cache is under 90 % of its cap.
    pub fn trim(&self) {
        let mut files = Vec::new();
        collect(&self.dir, &mut files);
        let mut total: u64 = files.iter().map(|(_, len, _)| len).sum();
        files.sort_by_key(|(_, _, t)| *t);
        let target = self.cap / 10 * 9;
        for (path, len, _) in files {
            if total <= target {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= len;
            }
        }
        if let Ok(mut t) = self.total.lock() {
            *t = Some(total);
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<(PathBuf, u64, SystemTime)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        if meta.is_dir() {
            collect(&e.path(), out);
        } else {
            let t = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
            out.push((e.path(), meta.len(), t));
        }
    }
}

fn folder_size(dir: &Path) -> u64 {
    let mut files = Vec::new();
    collect(dir, &mut files);
    files.iter().map(|(_, len, _)| len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_evicts_the_oldest_tiles() {
        let dir = std::env::temp_dir().join(format!("taonan-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let cache = DiskCache::new(dir.clone(), 10_000);
        for i in 0..30u32 {
            cache.put("osm", 5, i, 1, &[7u8; 1000]);
            // Distinct modification times, oldest first.
            let p = cache.path("osm", 5, i, 1);
            let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000 + i as u64);
            if let Ok(f) = std::fs::File::options().write(true).open(&p) {
                let _ = f.set_modified(t);
            }
        }
        assert!(cache.size() <= 10_000, "size {}", cache.size());
        assert!(
            cache.get("osm", 5, 29, 1).is_some(),
            "the newest tile stays"
        );
        assert!(cache.get("osm", 5, 0, 1).is_none(), "the oldest tile went");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
