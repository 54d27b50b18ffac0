//! A tile image from a server or a tile file: decoded (PNG/JPEG), stacked over a base tile and
//! encoded again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::tiles::raster;

fuzz_target!(|data: &[u8]| {
    if let Ok(top) = raster::decode(data) {
        let mut base = raster::solid(256, 256, [255, 255, 255, 255]);
        raster::stack(&mut base, &top);
        let _ = raster::encode_png(&base);
    }
});
