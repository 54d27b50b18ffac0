//! Benchmark: read and reproject the M file of `shared/bench/gen_parcels.py --n 50000`
//! (50 000 polygons, 3.09 M vertices, EPSG:4529, GBK attributes) through the app's loader.
//!
//! ```sh
//! python3 gen_parcels.py --n 50000 --out /path/to/M
//! TAONAN_BENCH_SHP=/path/to/M.shp cargo bench --bench load
//! ```
//!
//! Prints the median of 5 timed runs (after 1 warm-up, files in the page cache) of the whole
//! load (read .shp/.dbf, decode GBK strictly, build geometries, reproject on every core — for
//! EPSG:4529 with the closed-form Gauss-Krüger series of `gauss_kruger`, not PROJ) and,
//! separately, of the read and of the reprojection.

use std::path::Path;
use std::time::Instant;

use taonan_map::io::loader::{LoadOptions, Progress, load_path};
use taonan_map::io::shp::{ShapefileSet, decode};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn timed<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut out = f();
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        out = f();
        times.push(t.elapsed().as_secs_f64());
    }
    (median(times), out)
}

fn main() {
    let Some(path) = std::env::var_os("TAONAN_BENCH_SHP") else {
        eprintln!(
            "set TAONAN_BENCH_SHP to the M file (see the doc comment of benches/load.rs); nothing to do"
        );
        return;
    };
    let path = Path::new(&path);
    let (read_s, records) = timed(5, || {
        let set = ShapefileSet::read(path).expect("read");
        decode(&set, None).expect("decode").records.len()
    });
    println!("read + decode (.shp, .dbf GBK, geometry): {records} records, median {read_s:.3} s");
    let (total_s, layers) = timed(5, || {
        load_path(path, &LoadOptions::default(), &Progress::default()).expect("load")
    });
    let layer = &layers[0].layer;
    let name = layer.features[0]
        .attr("NAME")
        .map(|v| v.display())
        .unwrap_or_default();
    println!(
        "whole load (read + reproject to CGCS2000): {} features, first NAME {name}, median {total_s:.3} s; reprojection ≈ {:.3} s",
        layer.features.len(),
        total_s - read_s
    );
}
