//! Write a few surveyor-style files for trying the viewer: `cargo run --example demo_files --features test-support -- DIR`
//! (default: `./demo`). They are invented, placed near 野马乡 and 蛟流河乡 so that the overlap
//! checks have something to say: a sand mining right inside a sand mining block, and a gold
//! exploration application overlapping a tuff mining block.

use std::path::PathBuf;

use taonan_map::plan::fixtures::{Square, write_zone41_squares};

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("demo"));
    let rights = [Square {
        x: 5_043_400.0,
        y: 41_452_400.0,
        side: 240.0,
        name: "示例砂场（演示）",
        mineral: "建筑用砂",
    }];
    let application = [Square {
        x: 5_062_700.0,
        y: 41_424_400.0,
        side: 900.0,
        name: "示例金矿探矿权申请（演示）",
        mineral: "金",
    }];
    for (stem, squares) in [
        ("演示采矿权", &rights[..]),
        ("演示探矿权申请", &application[..]),
    ] {
        match write_zone41_squares(&dir, stem, squares) {
            Ok(p) => println!("wrote {}", p.display()),
            Err(e) => {
                eprintln!("demo_files: {e}");
                std::process::exit(1);
            }
        }
    }
}
