//! A `.zip` as the user drops it: its shapefile sets, other members and what was skipped, and
//! every other member read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::io::zip_input;

fuzz_target!(|data: &[u8]| {
    let Ok(contents) = zip_input::read_zip(data, "fuzz.zip") else {
        return;
    };
    for name in contents.other_files.iter().take(8) {
        let _ = zip_input::read_member(data, name);
    }
    for set in contents.sets.iter().take(2) {
        let _ = taonan_map::io::shp::decode(&set.set, None);
    }
});
