//! "A KML that Google Earth's schema accepts": every KML taonan-map writes (polygons with holes
//! and multi-parts, lines, points with escaped Chinese names, a bundled plan layer through
//! `convert`) is validated against the OGC KML 2.2 schema (`tests/data/kml22/`, provenance
//! there) by libxml2's XSD validator. A KML the schema refuses is refused here too (the test
//! of the test). Linux only (libxml2 is a Linux dev-dependency).
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};

use libxml::parser::Parser;
use libxml::schemas::{SchemaParserContext, SchemaValidationContext};
use taonan_map::io::write;
use taonan_map::text::Lang;

mod write_support;
use write_support::{fixtures, load, opts};

fn schema() -> SchemaValidationContext {
    let xsd = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kml22/ogckml22.xsd");
    let mut parser = SchemaParserContext::from_file(xsd.to_str().expect("UTF-8 path"));
    SchemaValidationContext::from_parser(&mut parser).unwrap_or_else(|errors| {
        let msgs: Vec<String> = errors.into_iter().filter_map(|e| e.message).collect();
        panic!("the OGC KML 2.2 schema does not load: {msgs:?}")
    })
}

/// Validate one file; the schema's complaints, if any.
fn validate(xsd: &mut SchemaValidationContext, kml: &Path) -> Result<(), Vec<String>> {
    let doc = Parser::default()
        .parse_file(kml.to_str().expect("UTF-8 path"))
        .map_err(|e| vec![format!("{}: not XML: {e:?}", kml.display())])?;
    xsd.validate_document(&doc).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| format!("{}: {}", kml.display(), e.message.unwrap_or_default()))
            .collect()
    })
}

#[test]
fn every_kml_written_is_valid_ogc_kml_2_2() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut xsd = schema();
    let mut written: Vec<PathBuf> = Vec::new();
    for src in fixtures(dir.path()) {
        let out = dir
            .path()
            .join(src.file_stem().expect("stem"))
            .with_extension("kml");
        write::write_layer(&load(&src), &out, None, &opts(encoding_rs::GBK)).expect("written");
        written.push(out);
    }
    // A bundled plan layer (schematic, with provenance fields), through the command line's
    // convert.
    let bundled = dir.path().join("开采规划区块.kml");
    let args: Vec<String> = ["convert", "bundled:mining_blocks"]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([bundled.to_string_lossy().into_owned()])
        .collect();
    match taonan_map::cli::parse(&args) {
        Ok(taonan_map::cli::Command::Convert(spec)) => {
            assert_eq!(taonan_map::cli::convert::run(&spec, Lang::Zh), 0);
        }
        _ => panic!("convert parses"),
    }
    written.push(bundled);
    for kml in &written {
        if let Err(e) = validate(&mut xsd, kml) {
            panic!("{} is not valid KML 2.2: {e:?}", kml.display());
        }
    }
    // The test of the test: an unknown element and elements out of the schema's order are
    // refused.
    let bad = dir.path().join("坏.kml");
    std::fs::write(
        &bad,
        r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><Point><coordinates>122.8,45.4</coordinates></Point><name>后置的名称</name><颜色/></Placemark></Document></kml>"#,
    )
    .expect("write");
    let e = validate(&mut xsd, &bad).expect_err("refused");
    assert!(!e.is_empty());
}
