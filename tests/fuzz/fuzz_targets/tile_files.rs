//! Offline tile files: the first byte picks MBTiles (even) or PMTiles (odd); the rest is the
//! file, written to a temporary file, opened, asked for its zoom range and a few tiles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::tiles::local::{self, LocalTiles};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let ext = if selector % 2 == 0 { "mbtiles" } else { "pmtiles" };
    let path = std::env::temp_dir().join(format!("taonan-fuzz-{}.{ext}", std::process::id()));
    if std::fs::write(&path, rest).is_err() {
        return;
    }
    let opened = if ext == "mbtiles" {
        LocalTiles::open_mbtiles(&path)
    } else {
        let _ = local::check_pmtiles_header(&path);
        LocalTiles::open_pmtiles(&path)
    };
    if let Ok(tiles) = opened {
        let _ = tiles.zoom_range();
        for (z, x, y) in [(0, 0, 0), (1, 1, 0), (2, 3, 3), (14, 13_000, 6_000), (30, u32::MAX, 7)] {
            let _ = tiles.get(z, x, y);
        }
    }
    let _ = std::fs::remove_file(&path);
});
