//! Benchmark: the whole `taonan-map check FILE` job, in-process, on the M (or L) file of
//! `shared/bench/gen_parcels.py` (50 000 / 500 000 polygons, EPSG:4529, GBK).
//!
//! ```sh
//! python3 gen_parcels.py --n 50000 --out /path/to/M
//! TAONAN_BENCH_SHP=/path/to/M.shp cargo bench --bench check      # TAONAN_BENCH_RUNS=5 by default
//! ```
//!
//! Each run does what `cli::check` does: load the bundled layers and the file into a catalog
//! (read, GBK decode, reproject on every core), the overlap analysis (`overlap::subjects`, then
//! `overlap::analyze_timed`: candidate pairs and their intersections, the boundary rule against
//! the 洮南市 boundary — both on every core), the conformance of the surveyed mining rights,
//! and the JSON report `check --json` prints (built and serialised, not written). The rules
//! are the built-in ones (the CLI would take a user's `rules.toml` first). After one warm-up run
//! (files in the page cache), the median of each stage over the timed runs is printed, then the
//! findings, so that a reader can see they are the same as before a change: same-layer pairs
//! after slivers, boundary findings (wholly outside / crossing) and the area outside.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use taonan_map::analysis::conformance;
use taonan_map::analysis::overlap::{Findings, analyze_timed, boundary_of, subjects};
use taonan_map::analysis::rules::{Rules, Severity};
use taonan_map::io::loader::LoadOptions;
use taonan_map::output::write_findings_json;
use taonan_map::plan::bundled::catalog_with;
use taonan_map::text::Lang;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

const STAGES: [&str; 8] = [
    "load (bundled + file)",
    "subjects",
    "pairs",
    "boundary",
    "conformance",
    "job total (load … conformance)",
    "JSON report",
    "total with report",
];

/// One run: the stage times in the order of `STAGES`, the findings and the conformance count.
fn run(files: &[PathBuf], rules: &Rules) -> ([Duration; 8], Findings, usize) {
    let t0 = Instant::now();
    let (catalog, _notes, errors) = catalog_with(files, &LoadOptions::default());
    if let Some(e) = errors.first() {
        eprintln!("{}", e.in_lang(Lang::En));
        std::process::exit(3);
    }
    let load = t0.elapsed();
    let t = Instant::now();
    let subs = subjects(&catalog, |_| true);
    let boundary = boundary_of(&catalog);
    let subjects_time = t.elapsed();
    let (findings, st) = analyze_timed(&subs, boundary.as_ref(), rules);
    drop(subs);
    let t = Instant::now();
    let conf = conformance::all(&catalog, &findings).len();
    let conformance_time = t.elapsed();
    let job = t0.elapsed();
    let t = Instant::now();
    // As `check --json` writes it (one finding at a time), into memory.
    let mut json = Vec::new();
    let _ = write_findings_json(&mut json, &catalog, &findings);
    std::hint::black_box(json);
    let report = t.elapsed();
    (
        [
            load,
            subjects_time,
            st.pairs,
            st.boundary,
            conformance_time,
            job,
            report,
            t0.elapsed(),
        ],
        findings,
        conf,
    )
}

fn main() {
    let Some(path) = std::env::var_os("TAONAN_BENCH_SHP") else {
        eprintln!(
            "set TAONAN_BENCH_SHP to the M file (see the doc comment of benches/check.rs); nothing to do"
        );
        return;
    };
    let runs: usize = std::env::var("TAONAN_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let files = vec![PathBuf::from(path)];
    let rules = Rules::builtin();
    let (_, mut findings, mut conf) = run(&files, &rules);
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); STAGES.len()];
    for _ in 0..runs {
        let (t, f, c) = run(&files, &rules);
        for (k, d) in t.iter().enumerate() {
            times[k].push(d.as_secs_f64());
        }
        (findings, conf) = (f, c);
    }
    println!(
        "taonan-map check {} — {runs} runs after 1 warm-up, {} threads",
        files[0].display(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    for (name, t) in STAGES.iter().zip(times) {
        let all: Vec<String> = t.iter().map(|s| format!("{s:.3}")).collect();
        println!(
            "  {name:32} median {:8.3} s   runs [{}]",
            median(t),
            all.join(", ")
        );
    }
    let by_rule = |r: &'static str| findings.findings.iter().filter(move |f| f.rule == r);
    let boundary: Vec<_> = by_rule("boundary").collect();
    let wholly = boundary
        .iter()
        .filter(|f| &*f.relation == "位于洮南市界外")
        .count();
    let outside_km2 = boundary.iter().map(|f| f.area_m2).sum::<f64>() / 1e6;
    println!(
        "findings: {} (错误 {}, 警告 {}, 提示 {}); dropped slivers {}; conformance entries {conf}",
        findings.findings.len(),
        findings.count(Severity::Error),
        findings.count(Severity::Warning),
        findings.count(Severity::Info),
        findings.dropped_slivers
    );
    println!(
        "  same-layer pairs after slivers {}; other pair findings {}",
        by_rule("same_layer").count(),
        findings
            .findings
            .iter()
            .filter(|f| f.b.is_some() && f.rule != "same_layer")
            .count()
    );
    println!(
        "  boundary findings {} ({wholly} wholly outside, {} crossing), outside {outside_km2:.2} km² ({:.6} km²)",
        boundary.len(),
        boundary.len() - wholly,
        outside_km2
    );
}
