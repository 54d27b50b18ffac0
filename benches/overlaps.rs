//! Benchmark: all overlapping pairs and their intersection areas on the M file of
//! `shared/bench/gen_parcels.py --n 50000` (50 000 polygons, EPSG:4529, GBK).
//!
//! Make the file (Python with numpy, pyshp, pyproj), then run:
//!
//! ```sh
//! python3 gen_parcels.py --n 50000 --out /path/to/M
//! TAONAN_BENCH_SHP=/path/to/M.shp cargo bench --bench overlaps
//! ```
//!
//! It loads the file through the app's own loader (GBK attributes, PROJ to CGCS2000), then times
//! the analysis's pair loop (`overlap::overlapping_pairs`: R*-tree candidates, boolean
//! intersection, ellipsoidal area; every core) and the full rule-based analysis, 1 warm-up and
//! 5 timed runs each, and prints the median. With `TAONAN_BENCH_PAIRS=pairs.json` (a list of
//! `[i, j, area_m2]`, e.g. from shapely) it also checks that the pairs are the same.

use std::time::Instant;

use taonan_map::analysis::overlap::{analyze, overlapping_pairs, subjects};
use taonan_map::analysis::rules::Rules;
use taonan_map::io::loader::{LoadOptions, Progress, load_path};
use taonan_map::model::catalog::Catalog;
use taonan_map::text::Lang;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let Some(path) = std::env::var_os("TAONAN_BENCH_SHP") else {
        eprintln!(
            "set TAONAN_BENCH_SHP to the M file (see the doc comment of benches/overlaps.rs); nothing to do"
        );
        return;
    };
    let t = Instant::now();
    let loaded = load_path(
        std::path::Path::new(&path),
        &LoadOptions::default(),
        &Progress::default(),
    );
    let (layer, problems) = match loaded.map(|mut v| v.remove(0)) {
        Ok(l) => (l.layer, l.problems),
        Err(e) => {
            eprintln!("{}", e.words(Lang::En));
            std::process::exit(1);
        }
    };
    println!(
        "loaded {} features in {:.3} s ({} problems)",
        layer.features.len(),
        t.elapsed().as_secs_f64(),
        problems.len()
    );
    let catalog = Catalog::new(vec![layer]);
    let subs = subjects(&catalog, |_| true);
    let geoms: Vec<_> = subs.iter().map(|s| s.geometry()).collect();

    let mut times = Vec::new();
    let mut pairs = Vec::new();
    for run in 0..6 {
        let t = Instant::now();
        pairs = overlapping_pairs(&geoms);
        if run > 0 {
            times.push(t.elapsed().as_secs_f64());
        }
    }
    let total_km2: f64 = pairs.iter().map(|p| p.2).sum::<f64>() / 1e6;
    println!(
        "overlapping_pairs: {} pairs, {:.4} km², median {:.4} s over {} runs (threads: {})",
        pairs.len(),
        total_km2,
        median(times.clone()),
        times.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let rules = Rules::builtin();
    let mut times = Vec::new();
    let mut n = 0;
    for run in 0..6 {
        let t = Instant::now();
        let f = analyze(&subs, None, &rules);
        n = f.findings.len() + f.dropped_slivers;
        if run > 0 {
            times.push(t.elapsed().as_secs_f64());
        }
    }
    println!(
        "analyze (rules, no boundary): {n} findings+slivers, median {:.4} s",
        median(times)
    );

    if let Some(reference) = std::env::var_os("TAONAN_BENCH_PAIRS") {
        let text = std::fs::read_to_string(&reference).unwrap_or_default();
        let reference: Vec<(usize, usize, f64)> =
            serde_json::from_str::<Vec<(usize, usize, f64)>>(&text).unwrap_or_default();
        let ours: Vec<(usize, usize)> = pairs.iter().map(|p| (p.0, p.1)).collect();
        let theirs: Vec<(usize, usize)> = reference.iter().map(|p| (p.0, p.1)).collect();
        let ref_km2: f64 = reference.iter().map(|p| p.2).sum::<f64>() / 1e6;
        println!(
            "reference: {} pairs, {:.4} km² (planar); same pairs: {}; area ratio ours/ref {:.6}",
            theirs.len(),
            ref_km2,
            ours == theirs,
            total_km2 / ref_km2
        );
    }
}
