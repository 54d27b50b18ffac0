//! Offline tile sources: MBTiles (SQLite), PMTiles v3 archives and `{z}/{x}/{y}.png` folders.

use std::path::{Path, PathBuf};

/// An open offline source.
pub enum LocalTiles {
    /// An MBTiles database.
    Mbtiles(rusqlite::Connection),
    /// A PMTiles archive with the runtime its async reader needs.
    Pmtiles(
        Box<pmtiles::AsyncPmTilesReader<pmtiles::MmapBackend>>,
        tokio::runtime::Runtime,
    ),
    /// A folder of tiles.
    Folder(PathBuf),
}

impl LocalTiles {
    /// Open the offline source of a tile stack (an error for a web stack).
    pub fn open(layer: &super::source::TileLayer) -> Result<Self, String> {
        use super::source::TileLayer;
        match layer {
            TileLayer::Mbtiles(p) => Self::open_mbtiles(p),
            TileLayer::Pmtiles(p) => Self::open_pmtiles(p),
            TileLayer::Folder(p) => Self::open_folder(p),
            TileLayer::Http { .. } => Err("a web tile stack is not an offline source".into()),
        }
    }

    /// Open an MBTiles file (read-only).
    pub fn open_mbtiles(path: &Path) -> Result<Self, String> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| {
            format!(
                "{}：无法打开 MBTiles / cannot open MBTiles: {e}",
                path.display()
            )
        })?;
        conn.query_row("SELECT count(*) FROM tiles LIMIT 1", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(|e| {
            format!(
                "{}：不是 MBTiles 文件（无 tiles 表）/ not an MBTiles file (no tiles table): {e}",
                path.display()
            )
        })?;
        Ok(LocalTiles::Mbtiles(conn))
    }

    /// Open a PMTiles archive.
    pub fn open_pmtiles(path: &Path) -> Result<Self, String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| format!("PMTiles runtime: {e}"))?;
        let reader = rt
            .block_on(pmtiles::AsyncPmTilesReader::new_with_path(path))
            .map_err(|e| {
                format!(
                    "{}：不是有效的 PMTiles 文件 / not a valid PMTiles archive: {e}",
                    path.display()
                )
            })?;
        Ok(LocalTiles::Pmtiles(Box::new(reader), rt))
    }

    /// Open a tile folder.
    pub fn open_folder(path: &Path) -> Result<Self, String> {
        if path.is_dir() {
            Ok(LocalTiles::Folder(path.to_path_buf()))
        } else {
            Err(format!(
                "{}：文件夹不存在 / folder not found",
                path.display()
            ))
        }
    }

    /// The zoom range the source holds, when it says.
    pub fn zoom_range(&self) -> Option<(u8, u8)> {
        match self {
            LocalTiles::Mbtiles(conn) => conn
                .query_row(
                    "SELECT min(zoom_level), max(zoom_level) FROM tiles",
                    [],
                    |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
                )
                .ok()
                .map(|(a, b)| (a.clamp(0, 30) as u8, b.clamp(0, 30) as u8)),
            LocalTiles::Pmtiles(reader, _) => {
                let h = reader.get_header();
                Some((h.min_zoom, h.max_zoom))
            }
            LocalTiles::Folder(dir) => {
                let zooms: Vec<u8> = std::fs::read_dir(dir)
                    .ok()?
                    .flatten()
                    .filter_map(|e| e.file_name().to_str()?.parse::<u8>().ok())
                    .collect();
                Some((*zooms.iter().min()?, *zooms.iter().max()?))
            }
        }
    }

    /// The bytes of one tile (XYZ numbering), `Ok(None)` when the source has no such tile.
    pub fn get(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        match self {
            LocalTiles::Mbtiles(conn) => {
                // MBTiles rows count from the south (TMS).
                let row = (1u64 << z).saturating_sub(1).saturating_sub(y as u64);
                match conn.query_row(
                    "SELECT tile_data FROM tiles WHERE zoom_level=?1 AND tile_column=?2 AND tile_row=?3",
                    rusqlite::params![z as i64, x as i64, row as i64],
                    |r| r.get::<_, Vec<u8>>(0),
                ) {
                    Ok(b) => Ok(Some(b)),
                    Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
                    Err(e) => Err(format!("MBTiles: {e}")),
                }
            }
            LocalTiles::Pmtiles(reader, rt) => {
                let coord =
                    pmtiles::TileCoord::new(z, x, y).map_err(|e| format!("PMTiles: {e}"))?;
                rt.block_on(reader.get_tile_decompressed(coord))
                    .map(|b| b.map(|b| b.to_vec()))
                    .map_err(|e| format!("PMTiles: {e}"))
            }
            LocalTiles::Folder(dir) => {
                let base = dir.join(z.to_string()).join(x.to_string());
                for ext in ["png", "jpg", "jpeg", "webp"] {
                    let p = base.join(format!("{y}.{ext}"));
                    if let Ok(b) = std::fs::read(&p) {
                        return Ok(Some(b));
                    }
                }
                Ok(None)
            }
        }
    }
}
