//! A shapefile set: `.shp`, `.shx`, `.dbf`, `.prj`, `.cpg` joined by [`SEP`] (missing parts are
//! absent). The set is decoded, the `.shx` compared with the `.shp`, and the whole set loaded
//! (CRS decision, coordinate checks, reprojection) as the viewer would.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::io::loader::{self, LoadOptions, Progress};
use taonan_map::io::shp::{self, ShapefileSet};

/// Separator of the parts of one input.
const SEP: &[u8] = b"\xff\xfeSEP\xfe\xff";

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(at) = rest.windows(SEP.len()).position(|w| w == SEP) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEP.len()..];
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let parts = split(data);
    let text = |i: usize| {
        parts
            .get(i)
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let set = ShapefileSet {
        shp: parts.first().map(|b| b.to_vec()).unwrap_or_default(),
        shx: parts.get(1).filter(|b| !b.is_empty()).map(|b| b.to_vec()),
        dbf: parts.get(2).map(|b| b.to_vec()).unwrap_or_default(),
        prj: text(3),
        cpg: text(4),
    };
    if let Some(shx) = &set.shx {
        let _ = shp::shx_disagreement(&set.shp, shx);
    }
    let _ = shp::decode(&set, None);
    let _ = loader::from_set(set, "fuzz.shp", &LoadOptions::default(), &Progress::default());
});
