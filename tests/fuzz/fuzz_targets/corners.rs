//! Corner-coordinate lists: the first byte picks the layout (point table, land-survey file,
//! block string, semicolon pairs, or detection); the rest is the text. Detection also goes
//! through the loader (encoding, CRS decision, coordinate checks, reprojection).
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::io::corners::{self, Layout};
use taonan_map::io::loader::{self, LoadOptions};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let layout = match selector % 5 {
        0 => Some(Layout::PointTable),
        1 => Some(Layout::LandSurvey),
        2 => Some(Layout::BlockString),
        3 => Some(Layout::SemicolonPairs),
        _ => None,
    };
    match layout {
        Some(l) => {
            let _ = corners::parse_as(&String::from_utf8_lossy(rest), l);
        }
        None => {
            let _ = loader::from_corner_bytes(rest, "fuzz.txt", &LoadOptions::default());
        }
    }
});
