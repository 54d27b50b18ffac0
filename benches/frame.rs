//! Benchmark: the window with a big layer, driven as a user drives it (egui_kittest harness over
//! the real app, no GPU): frame cost while panning and zooming at three scales, the time until
//! the view is complete after the gesture ends, the time until the file is drawn after it is
//! chosen, and resident memory.
//!
//! ```sh
//! python3 gen_parcels.py --n 50000 --out /path/to/M
//! TAONAN_BENCH_SHP=/path/to/M.shp cargo bench --bench frame
//! TAONAN_BENCH_SHP=/path/to/M.shp:/path/to/L.shp cargo bench --bench frame   # several, one after the other
//! ```
//!
//! A frame's CPU time is the app's ui code (`Harness::step`: layout, input, picking, the
//! painting commands) plus egui's tessellation of what it painted (`Context::tessellate`), as
//! the window spends them on its UI thread; the map's layers are drawn on workers (see
//! `gui::map_canvas`) and are timed separately as "time to complete". Memory is read from
//! `/proc/self/status` (Linux; "n/a" elsewhere), before the app starts and after, and its peak.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use taonan_map::gui::{AppOptions, TaonanApp};
use taonan_map::model::LayerRole;

/// Counts the bytes the program holds on the heap (live and peak), to tell the data's own
/// memory from what the allocator keeps.
struct Counting;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only counters are added.
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: same layout, as the caller guarantees.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: the pointer came from `alloc` with this layout.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new: usize) -> *mut u8 {
        LIVE.fetch_add(new, std::sync::atomic::Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: as for `alloc` and `dealloc`.
        unsafe { std::alloc::System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn heap_mb() -> f64 {
    LIVE.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1048576.0
}

/// One memory figure of this process from `/proc/self/status`, in MB.
fn proc_mb(key: &str) -> Option<f64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn mb(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".into(), |v| format!("{v:.0} MB"))
}

/// A frame: the app's ui code, then the tessellation of its output; (ui, tessellation) in ms.
fn frame(h: &mut Harness<'static, TaonanApp>) -> (f64, f64) {
    let t = Instant::now();
    h.step();
    let ui = t.elapsed().as_secs_f64() * 1e3;
    let shapes = h.output().shapes.clone();
    let ppp = h.output().pixels_per_point;
    let t = Instant::now();
    let prims = h.ctx.tessellate(shapes, ppp);
    let tess = t.elapsed().as_secs_f64() * 1e3;
    std::hint::black_box(prims);
    (ui, tess)
}

/// Percentile `p` (0–100) of a list.
fn pct(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let i = ((p / 100.0) * (s.len() - 1) as f64).round() as usize;
    s[i.min(s.len() - 1)]
}

/// Step frames (as the window would, repainting on request) until `done`; the time it took.
fn until(
    h: &mut Harness<'static, TaonanApp>,
    what: &str,
    limit: Duration,
    frames: &mut Vec<f64>,
    done: impl Fn(&TaonanApp) -> bool,
) -> Duration {
    let t = Instant::now();
    loop {
        let (ui, tess) = frame(h);
        frames.push(ui + tess);
        if done(h.state()) {
            return t.elapsed();
        }
        if t.elapsed() > limit {
            eprintln!("  {what}: not done after {limit:?}");
            return t.elapsed();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

struct Scale {
    name: &'static str,
    pan_frames: Vec<f64>,
    pan_complete: Duration,
    zoom_frames: Vec<f64>,
    zoom_complete: Duration,
}

/// Drag the map for 40 frames (8, 4 points per frame), release, and wait for the complete view;
/// then zoom in and out at the centre (4 gesture frames) and wait again.
fn gestures(h: &mut Harness<'static, TaonanApp>, name: &'static str) -> Scale {
    let rect = h.state().map_rect().expect("map drawn");
    let c = rect.center();
    let mut pan_frames = Vec::new();
    h.event(Event::PointerMoved(c));
    frame(h);
    h.event(Event::PointerButton {
        pos: c,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Modifiers::NONE,
    });
    frame(h);
    for i in 1..=40 {
        let p = Pos2::new(c.x + 8.0 * i as f32, c.y + 4.0 * i as f32);
        h.event(Event::PointerMoved(p));
        let (ui, tess) = frame(h);
        pan_frames.push(ui + tess);
    }
    let end = Pos2::new(c.x + 320.0, c.y + 160.0);
    h.event(Event::PointerButton {
        pos: end,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    let mut settle = Vec::new();
    let pan_complete = until(h, "pan", Duration::from_secs(60), &mut settle, |a| {
        a.map_complete()
    });
    pan_frames.extend(settle);
    let mut zoom_frames = Vec::new();
    h.event(Event::PointerMoved(c));
    frame(h);
    for z in [1.5f32, 1.5, 1.0 / 1.5, 1.0 / 1.5] {
        h.event(Event::Zoom(z));
        let (ui, tess) = frame(h);
        zoom_frames.push(ui + tess);
    }
    let mut settle = Vec::new();
    let zoom_complete = until(h, "zoom", Duration::from_secs(60), &mut settle, |a| {
        a.map_complete()
    });
    zoom_frames.extend(settle);
    Scale {
        name,
        pan_frames,
        pan_complete,
        zoom_frames,
        zoom_complete,
    }
}

#[allow(
    clippy::too_many_lines,
    reason = "one benchmark run told in order (load, fit, frames idle, during analysis, gestures); its steps share the harness"
)]
fn bench_file(path: &Path) {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let tmp = std::env::temp_dir().join(format!("taonan-frame-bench-{}", std::process::id()));
    let rss_before = proc_mb("VmRSS:");
    let heap_before = heap_mb();
    let chosen = Instant::now();
    let ctx = egui::Context::default();
    let app = TaonanApp::new(
        &ctx,
        AppOptions {
            basemap: false,
            files: vec![path.to_path_buf()],
            config_dir: Some(tmp.join("config")),
            cache_dir: Some(tmp.join("cache")),
            data_dir: Some(tmp.join("data")),
            ..AppOptions::default()
        },
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_context_setup(taonan_map::gui::setup_context)
        .build_ui_state(|ui, app: &mut TaonanApp| app.ui(ui), app);
    let mut opening = Vec::new();
    let bundled = taonan_map::plan::bundled::LAYERS.len();
    until(
        &mut h,
        "opening",
        Duration::from_secs(300),
        &mut opening,
        |a| !a.loading_busy() && a.catalog().layers.len() > bundled && a.map_complete(),
    );
    let drawn = chosen.elapsed();
    let heap_drawn = heap_mb();
    let rss_drawn = proc_mb("VmRSS:");
    let mut during_analysis = Vec::new();
    let analysed = until(
        &mut h,
        "analysis",
        Duration::from_secs(600),
        &mut during_analysis,
        |a| !a.analysis_busy(),
    );
    let rss_loaded = proc_mb("VmRSS:");
    let heap_loaded = heap_mb();
    let li = h.state().catalog().layers.len() - 1;
    let layer_extent = h.state().catalog().extent_of(std::iter::once(li));
    let taonan = h
        .state()
        .layer_index(LayerRole::Boundary)
        .and_then(|b| h.state().catalog().extent_of(std::iter::once(b)));
    let mut scales = Vec::new();
    type ViewCase = (&'static str, Option<geo::Rect<f64>>, Option<f64>);
    let views: [ViewCase; 3] = [
        ("full extent", layer_extent, None),
        ("county view", taonan, None),
        ("zoom 15", layer_extent, Some(15.0)),
    ];
    for (label, rect, zoom) in views {
        let Some(r) = rect else { continue };
        match zoom {
            Some(z) => {
                let c = r.center();
                h.state_mut().set_view(c.x, c.y, z);
            }
            None => h.state_mut().fit_to(r),
        }
        let mut settle = Vec::new();
        until(&mut h, label, Duration::from_secs(60), &mut settle, |a| {
            a.map_complete()
        });
        scales.push(gestures(&mut h, label));
    }
    let mut idle = Vec::new();
    for _ in 0..20 {
        let (ui, tess) = frame(&mut h);
        idle.push(ui + tess);
    }
    let repaint = h.ctx.has_requested_repaint();
    println!(
        "== {name}: {} features",
        h.state().catalog().layers[li].features.len()
    );
    println!(
        "opening: drawn {:.2} s after the file was chosen; analysis done at {:.2} s (findings: {})",
        drawn.as_secs_f64(),
        (drawn + analysed).as_secs_f64(),
        h.state().findings().findings.len()
    );
    println!(
        "frames while the analysis runs on both cores: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms ({} frames)",
        pct(&during_analysis, 50.0),
        pct(&during_analysis, 95.0),
        pct(&during_analysis, 100.0),
        during_analysis.len()
    );
    println!(
        "memory: before {} · loaded and idle {} (+{}) · peak {}",
        mb(rss_before),
        mb(rss_loaded),
        mb(rss_loaded.zip(rss_before).map(|(a, b)| a - b)),
        mb(proc_mb("VmHWM:"))
    );
    println!(
        "heap held by the program: before {heap_before:.0} MB · drawn {heap_drawn:.0} MB (RSS {}) · analysed {heap_loaded:.0} MB",
        mb(rss_drawn)
    );
    println!(
        "{:<12} {:>26} {:>12} {:>26} {:>12}",
        "view", "pan frame p50/p95/max ms", "complete s", "zoom frame p50/p95/max ms", "complete s"
    );
    for s in &scales {
        println!(
            "{:<12} {:>8.2} {:>8.2} {:>8.2} {:>12.3} {:>8.2} {:>8.2} {:>8.2} {:>12.3}",
            s.name,
            pct(&s.pan_frames, 50.0),
            pct(&s.pan_frames, 95.0),
            pct(&s.pan_frames, 100.0),
            s.pan_complete.as_secs_f64(),
            pct(&s.zoom_frames, 50.0),
            pct(&s.zoom_frames, 95.0),
            pct(&s.zoom_frames, 100.0),
            s.zoom_complete.as_secs_f64(),
        );
    }
    println!(
        "idle frames p50 {:.2} ms; repaint still requested at idle: {repaint}; last map image drawn in {:?}",
        pct(&idle, 50.0),
        h.state().map_render_time()
    );
    let _ = std::fs::remove_dir_all(&tmp);
}

fn main() {
    let Some(paths) = std::env::var_os("TAONAN_BENCH_SHP") else {
        eprintln!(
            "set TAONAN_BENCH_SHP to one or more shapefiles (see the doc comment of benches/frame.rs); nothing to do"
        );
        return;
    };
    let files: Vec<PathBuf> = std::env::split_paths(&paths).collect();
    for f in &files {
        bench_file(f);
    }
}
