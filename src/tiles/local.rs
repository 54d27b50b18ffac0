//! Offline tile sources: MBTiles (SQLite), PMTiles v3 archives and `{z}/{x}/{y}.png` folders.

use crate::text;
use crate::text::Text;
use std::path::{Path, PathBuf};

/// An open offline source.
pub enum LocalTiles {
    /// An MBTiles database.
    Mbtiles(rusqlite::Connection),
    /// A PMTiles archive with the runtime its async reader needs and its tile compression
    /// (the header's byte, see [`super::pmtiles_check::decompress_tile`]).
    Pmtiles(
        Box<pmtiles::AsyncPmTilesReader<pmtiles::MmapBackend>>,
        tokio::runtime::Runtime,
        u8,
    ),
    /// A folder of tiles.
    Folder(PathBuf),
}

impl LocalTiles {
    /// Open the offline source of a tile stack (an error for a web stack).
    pub fn open(layer: &super::source::TileLayer) -> Result<Self, Text> {
        use super::source::TileLayer;
        match layer {
            TileLayer::Mbtiles(p) => Self::open_mbtiles(p),
            TileLayer::Pmtiles(p) => Self::open_pmtiles(p),
            TileLayer::Folder(p) => Self::open_folder(p),
            TileLayer::Http { .. } => Err(Text::fixed(
                "网络瓦片不是离线瓦片源",
                "a web tile stack is not an offline source",
            )),
        }
    }

    /// Open an MBTiles file (read-only).
    pub fn open_mbtiles(path: &Path) -> Result<Self, Text> {
        let p = path.display();
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| {
            text!(
                "{p}：无法打开 MBTiles：{e}",
                "{p}: cannot open MBTiles: {e}"
            )
        })?;
        // Whether the table is there, without counting its rows (a full scan of a big file).
        conn.prepare("SELECT 1 FROM tiles LIMIT 1").map_err(|e| {
            text!(
                "{p}：不是 MBTiles 文件（无 tiles 表）：{e}",
                "{p}: not an MBTiles file (no tiles table): {e}"
            )
        })?;
        Ok(LocalTiles::Mbtiles(conn))
    }

    /// Open a PMTiles archive. Its header is checked first (the `pmtiles` crate slices the file
    /// by the header's offsets and panics when they point past its end), and the crate's own
    /// reading is kept from taking the program down all the same.
    pub fn open_pmtiles(path: &Path) -> Result<Self, Text> {
        let p = path.display();
        // The checks' and the crate's reasons have one wording.
        let bad = |why: Text| {
            Text::by_lang(|l| match l {
                crate::text::Lang::Zh => {
                    format!("{p}：不是有效的 PMTiles 文件：{}", why.in_lang(l))
                }
                crate::text::Lang::En => {
                    format!("{p}: not a valid PMTiles archive: {}", why.in_lang(l))
                }
            })
        };
        check_pmtiles_header(path).map_err(bad)?;
        // The crate trusts the directories (counts, varints, offsets): they are checked first.
        let tile_compression = super::pmtiles_check::check_directories(path).map_err(bad)?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .map_err(|e| Text::same(format!("PMTiles runtime: {e}")))?;
        let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            rt.block_on(pmtiles::AsyncPmTilesReader::new_with_path(path))
        }))
        .map_err(|_| {
            bad(Text::fixed(
                "目录无法读取",
                "its directories cannot be read",
            ))
        })?;
        // The pmtiles crate's message has one wording.
        let reader = opened.map_err(|e| bad(Text::same(e.to_string())))?;
        Ok(LocalTiles::Pmtiles(Box::new(reader), rt, tile_compression))
    }

    /// Open a tile folder.
    pub fn open_folder(path: &Path) -> Result<Self, Text> {
        if path.is_dir() {
            Ok(LocalTiles::Folder(path.to_path_buf()))
        } else {
            let p = path.display();
            Err(text!("{p}：文件夹不存在", "{p}: folder not found"))
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
            LocalTiles::Pmtiles(reader, _, _) => {
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
    pub fn get(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, Text> {
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
                    // SQLite's message has one wording.
                    Err(e) => Err(Text::same(format!("MBTiles: {e}"))),
                }
            }
            LocalTiles::Pmtiles(reader, rt, compression) => {
                // The pmtiles crate's messages have one wording.
                let coord = pmtiles::TileCoord::new(z, x, y)
                    .map_err(|e| Text::same(format!("PMTiles: {e}")))?;
                // The directories were checked at open; the panic guard stays for a file
                // changed since.
                let stored = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    rt.block_on(reader.get_tile(coord))
                }))
                .map_err(|_| {
                    Text::fixed(
                        "PMTiles：目录或瓦片已损坏",
                        "PMTiles: a damaged directory or tile",
                    )
                })?
                .map_err(|e| Text::same(format!("PMTiles: {e}")))?;
                stored
                    .map(|b| super::pmtiles_check::decompress_tile(&b, *compression))
                    .transpose()
                    .map_err(|e| {
                        Text::by_lang(|l| match l {
                            crate::text::Lang::Zh => {
                                format!("PMTiles：瓦片 {z}/{x}/{y}：{}", e.in_lang(l))
                            }
                            crate::text::Lang::En => {
                                format!("PMTiles: tile {z}/{x}/{y}: {}", e.in_lang(l))
                            }
                        })
                    })
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

/// Length of a PMTiles v3 header.
const PMTILES_HEADER: usize = 127;

/// Check a PMTiles v3 header against the file: the magic, the version, and that the root
/// directory, the metadata, the leaf directories and the tile data lie inside the file.
pub fn check_pmtiles_header(path: &Path) -> Result<(), Text> {
    use std::io::Read;
    // The system's messages have one wording.
    let mut file = std::fs::File::open(path).map_err(|e| Text::same(e.to_string()))?;
    let size = file
        .metadata()
        .map_err(|e| Text::same(e.to_string()))?
        .len();
    let mut h = [0u8; PMTILES_HEADER];
    file.read_exact(&mut h).map_err(|_| {
        text!(
            "文件（{size} 字节）比 PMTiles 文件头还短",
            "shorter ({size} bytes) than a PMTiles header"
        )
    })?;
    if &h[..7] != b"PMTiles" {
        return Err(Text::fixed("没有 PMTiles 标识", "no PMTiles signature"));
    }
    if h[7] != 3 {
        let v = h[7];
        return Err(text!(
            "PMTiles 版本 {v}（只能读取版本 3）",
            "PMTiles version {v} (only 3 is read)"
        ));
    }
    let u64_at = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&h[at..at + 8]);
        u64::from_le_bytes(b)
    };
    for (zh, en, at) in [
        ("根目录", "root directory", 8),
        ("元数据", "metadata", 24),
        ("叶目录", "leaf directories", 40),
        ("瓦片数据", "tile data", 56),
    ] {
        let (offset, length) = (u64_at(at), u64_at(at + 8));
        if offset.checked_add(length).is_none_or(|end| end > size) {
            return Err(text!(
                "{zh}（{length} 字节，位于 {offset}）超出了文件末尾（文件 {size} 字节）",
                "its {en} ({length} bytes at {offset}) lies past the end of the file ({size} bytes)"
            ));
        }
    }
    if u64_at(16) == 0 {
        return Err(Text::fixed("根目录为空", "empty root directory"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A header whose root directory points past the end of the file (as a half-finished
    /// download leaves it): an error naming the file, no panic.
    #[test]
    fn a_pmtiles_header_pointing_past_the_file_is_an_error() {
        let dir = std::env::temp_dir().join(format!("taonan-pmtiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("半截.pmtiles");
        let mut h = vec![0u8; PMTILES_HEADER];
        h[..7].copy_from_slice(b"PMTiles");
        h[7] = 3;
        h[8..16].copy_from_slice(&127u64.to_le_bytes());
        h[16..24].copy_from_slice(&4096u64.to_le_bytes());
        std::fs::write(&path, &h).expect("write");
        let Err(e) = LocalTiles::open_pmtiles(&path) else {
            panic!("an error expected");
        };
        let en = e.in_lang(crate::text::Lang::En);
        assert!(
            en.contains("半截.pmtiles") && en.contains("root directory"),
            "{en}"
        );
        assert!(
            e.in_lang(crate::text::Lang::Zh)
                .contains("不是有效的 PMTiles 文件")
        );
        for bytes in [&b""[..], &b"PMTiles"[..], &h[..100]] {
            std::fs::write(&path, bytes).expect("write");
            assert!(LocalTiles::open_pmtiles(&path).is_err());
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Fuzz crasher (tile_files, 2026-11-30): a root directory whose entry-count varint is
    /// longer than 64 bits made the `pmtiles` crate panic (shift overflow); with a huge count it
    /// aborts on allocation. The directory check refuses it first.
    #[test]
    fn fuzz_crasher_pmtiles_varint_overflow_is_an_error() {
        let hex: String = [
        "504d54696c6573037f000000000000000d000000000000008c0000000000000002000000000000000000000000000000",
        "00000000000000008e000000000000004b00000000000000030000000000000003000000000000000100000000000000",
        "010101020001002eb694800756cd00d2496b80f8a9ffffffffffffffffffffffffffffffffffffffffffffffffff3200",
        "000000000000000003000173716c6974655f74656d705f6d6173010101014b4b4b0100007b7d89504e470d00e6f5ffff",
        "fff2b648445200000004000000040806000000a9f19e7e0000001249444154789c63e03a2e00000ab81e2e00000ab81e",
        "f1eb797dc50000000049454e44ae426082",
        ]
        .concat();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
        let dir = std::env::temp_dir().join(format!("taonan-pmtiles-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("坏目录.pmtiles");
        std::fs::write(&path, &bytes).expect("write");
        let Err(e) = LocalTiles::open_pmtiles(&path) else {
            panic!("an error expected");
        };
        let en = e.in_lang(crate::text::Lang::En);
        assert!(
            en.contains("坏目录.pmtiles") && en.contains("directory number too large"),
            "{en}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
