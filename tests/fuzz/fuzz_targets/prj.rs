//! A `.prj` (WKT) file: identified as an EPSG code and named, as the loader does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::crs::crs_guess;
use taonan_map::io::loader;

fuzz_target!(|data: &[u8]| {
    let wkt = String::from_utf8_lossy(data);
    let _ = crs_guess::identify_prj(&wkt);
    let _ = loader::wkt_name(&wkt);
});
