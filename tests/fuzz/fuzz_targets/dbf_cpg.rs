//! A `.dbf` table, optionally preceded by a `.cpg` line and [`SEP`]: the encoding is detected
//! (code page, language driver byte, the bytes) and the table read in it and in GBK.
#![no_main]

use libfuzzer_sys::fuzz_target;
use taonan_map::io::{dbf, encoding};

/// Separator between the `.cpg` text and the `.dbf` bytes.
const SEP: &[u8] = b"\xff\xfeSEP\xfe\xff";

fuzz_target!(|data: &[u8]| {
    let (cpg, table) = match data.windows(SEP.len()).position(|w| w == SEP) {
        Some(at) => (
            Some(String::from_utf8_lossy(&data[..at]).into_owned()),
            &data[at + SEP.len()..],
        ),
        None => (None, data),
    };
    if let Some(c) = &cpg {
        let _ = encoding::from_cpg(c);
    }
    let detected = encoding::detect(cpg.as_deref(), table);
    let _ = detected.describe();
    let _ = dbf::read(table, detected.encoding);
    let _ = dbf::read(table, encoding_rs::GBK);
});
