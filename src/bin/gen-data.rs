//! Rebuild `data/` from `data/sources/` and the plan tables: `cargo run --features test-support --bin gen-data [DIR]`
//! (DIR defaults to the repository's `data/`).

use std::path::PathBuf;

use taonan_map::plan::datagen::{SourceTexts, generate};

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("data"));
    let result = SourceTexts::read(&root.join("data").join("sources"))
        .and_then(|src| generate(&src))
        .and_then(|layers| {
            std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            for g in &layers {
                g.set.write(&out, g.stem)?;
                println!("wrote {}/{}.shp", out.display(), g.stem);
            }
            Ok(())
        });
    if let Err(e) = result {
        eprintln!("gen-data: {e}");
        std::process::exit(1);
    }
}
