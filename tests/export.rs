//! The map export, checked on the pixels of the PNG it writes.

use std::process::Command;

mod common;
use common::{boundary_extent, catalog, tile_folder};

use taonan_map::model::LayerRole;
use taonan_map::model::catalog::Catalog;
use taonan_map::model::style::Styles;
use taonan_map::render::{MapImage, PixelTransform, render_map};
use tiny_skia::Pixmap;

fn near(p: [u8; 4], c: [u8; 4], tol: i32) -> bool {
    (0..3).all(|i| (p[i] as i32 - c[i] as i32).abs() <= tol)
}

fn pixel(img: &Pixmap, x: i32, y: i32) -> Option<[u8; 4]> {
    let (w, h) = (img.width() as i32, img.height() as i32);
    if x < 0 || y < 0 || x >= w || y >= h {
        return None;
    }
    let p = img.pixels()[(y * w + x) as usize].demultiply();
    Some([p.red(), p.green(), p.blue(), p.alpha()])
}

fn count(img: &Pixmap, c: [u8; 4], tol: i32) -> usize {
    (0..img.height() as i32)
        .flat_map(|y| (0..img.width() as i32).map(move |x| (x, y)))
        .filter(|&(x, y)| pixel(img, x, y).is_some_and(|p| near(p, c, tol)))
        .count()
}

fn render(cat: &Catalog, visible: &[bool]) -> Pixmap {
    let boundary = boundary_extent(cat);
    let image = MapImage {
        width: 900,
        height: 700,
        extent: boundary,
        visible,
        scale: 1.0,
        basemap: None,
    };
    render_map(cat, &Styles::builtin(), &image).expect("render")
}

#[test]
fn the_cli_writes_a_png_of_the_exact_size() {
    let dir = std::env::temp_dir()
        .join(format!("taonan-export-{}", std::process::id()))
        .join("报告插图");
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("洮南市矿产资源规划图.png");
    let status = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args([
            "export",
            "--out",
            out.to_str().expect("utf8"),
            "--width",
            "640",
            "--height",
            "480",
            "--no-basemap",
        ])
        .output()
        .expect("run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(String::from_utf8_lossy(&status.stdout).contains("示意"));
    let img = Pixmap::decode_png(&std::fs::read(&out).expect("png")).expect("decode");
    assert_eq!((img.width(), img.height()), (640, 480));
    let bad = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args(["export", "--out", "x.png", "--extent", "1,2,3"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn the_boundary_is_drawn_where_it_is() {
    let cat = catalog();
    let img = render(&cat, &vec![true; cat.layers.len()]);
    let b = cat
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Boundary)
        .expect("boundary");
    let extent = b.extent().expect("extent");
    let t = PixelTransform::fit(extent, 900, 700);
    let red = Styles::builtin().for_role(LayerRole::Boundary).stroke;
    let ring: Vec<_> = match &b.features[0].geometry {
        geo::Geometry::MultiPolygon(mp) => mp.0[0].exterior().0.clone(),
        geo::Geometry::Polygon(p) => p.exterior().0.clone(),
        g => panic!("{g:?}"),
    };
    let (mut hit, mut tried) = (0, 0);
    for c in ring.iter().step_by(97) {
        let (x, y) = t.px(c.x, c.y);
        tried += 1;
        let found = (-2..=2).any(|dy| {
            (-2..=2).any(|dx| {
                pixel(&img, x as i32 + dx, y as i32 + dy).is_some_and(|p| near(p, red, 40))
            })
        });
        hit += found as usize;
    }
    assert!(
        hit * 10 >= tried * 9,
        "{hit} of {tried} boundary vertices have the boundary's red nearby"
    );
}

#[test]
fn hidden_layers_are_absent_and_the_schematic_note_follows_the_plan_layers() {
    let cat = catalog();
    let styles = Styles::builtin();
    let purple = styles.for_role(LayerRole::MiningBlocks).stroke;
    let note = [200, 110, 0, 255];
    let all = vec![true; cat.layers.len()];
    let img = render(&cat, &all);
    assert!(count(&img, purple, 6) > 20, "mining blocks drawn");
    assert!(count(&img, note, 10) > 30, "the schematic note is written");

    let no_mining: Vec<bool> = cat
        .layers
        .iter()
        .map(|l| l.role != LayerRole::MiningBlocks)
        .collect();
    assert_eq!(
        count(&render(&cat, &no_mining), purple, 6),
        0,
        "hidden layer absent"
    );

    let no_plan: Vec<bool> = cat.layers.iter().map(|l| !l.role.is_plan_zone()).collect();
    assert_eq!(
        count(&render(&cat, &no_plan), note, 10),
        0,
        "no schematic note without schematic zones"
    );
}

#[test]
fn paper_presets_give_exact_pixel_sizes() {
    use taonan_map::cli::{Command as Cli, parse};
    let size = |args: &[&str]| -> (u32, u32) {
        let mut v: Vec<String> = vec!["export".into(), "--out".into(), "a.png".into()];
        v.extend(args.iter().map(|s| s.to_string()));
        match parse(&v).expect("parse") {
            Cli::Export(spec) => (spec.width, spec.height),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(size(&["--paper", "a4", "--dpi", "150"]), (1754, 1240));
    assert_eq!(size(&["--paper", "a4", "--dpi", "300"]), (3508, 2480));
    assert_eq!(
        size(&["--paper", "a4", "--dpi", "300", "--portrait"]),
        (2480, 3508)
    );
    assert_eq!(size(&["--paper", "a3", "--dpi", "150"]), (2480, 1754));
    assert_eq!(
        size(&["--paper", "a3", "--dpi", "300", "--portrait"]),
        (3508, 4961)
    );
    assert_eq!(size(&["--width", "1000", "--height", "700"]), (1000, 700));
}

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one scenario, its steps and checks in order"
)]
fn the_report_page_has_a_legend_per_visible_layer_and_a_true_scale_bar() {
    use geo::{Distance, Geodesic, Point};
    use taonan_map::render::{Report, render_report};
    let cat = catalog();
    let extent = boundary_extent(&cat);
    for visible in [
        vec![true; cat.layers.len()],
        cat.layers
            .iter()
            .map(|l| l.role != LayerRole::ExplorationBlocks && l.role != LayerRole::Neighbours)
            .collect(),
    ] {
        let map = MapImage {
            width: 1754,
            height: 1240,
            extent,
            visible: &visible,
            scale: 150.0 / 96.0,
            basemap: None,
        };
        let report = Report {
            map,
            dpi: 150.0,
            title: "洮南市矿产资源规划图",
            date: "2026-11-29",
            sources: "测试",
        };
        let (page, layout) = render_report(&cat, &Styles::builtin(), &report).expect("render");
        assert_eq!((page.width(), page.height()), (1754, 1240));
        assert_eq!(
            layout.swatches.len(),
            visible.iter().filter(|v| **v).count(),
            "one swatch per visible layer"
        );
        // On the page's pixels: each swatch shows its layer's colour (fill over white), top of
        // the drawing order first.
        let styles = Styles::builtin();
        let shown: Vec<_> = cat
            .layers
            .iter()
            .zip(&visible)
            .rev()
            .filter(|(_, v)| **v)
            .map(|(l, _)| l.role)
            .collect();
        for (r, role) in layout.swatches.iter().zip(shown) {
            let st = styles.for_role(role);
            let a = st.fill[3] as f32 / 255.0;
            let over_white =
                [0, 1, 2].map(|i| (st.fill[i] as f32 * a + 255.0 * (1.0 - a)).round() as u8);
            let want = if role == LayerRole::Townships {
                [st.fill[0], st.fill[1], st.fill[2]]
            } else {
                over_white
            };
            let got = pixel(
                &page,
                (r[0] + r[2] / 2.0) as i32,
                (r[1] + r[3] / 2.0) as i32,
            )
            .expect("inside");
            assert!(
                near(got, [want[0], want[1], want[2], 255], 6),
                "{role:?}: {got:?} vs {want:?}"
            );
        }
        assert!(layout.schematic_note);
        // The scale bar: its two ends, unprojected, are as far apart on the ellipsoid as it says.
        let (x0, x1, y, claimed) = layout.scale_bar;
        let t = layout.transform;
        let (ox, oy) = (layout.map_rect[0] as f64, layout.map_rect[1] as f64);
        let a = t.lonlat(x0 as f64 - ox, y as f64 - oy);
        let b = t.lonlat(x1 as f64 - ox, y as f64 - oy);
        let d = Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1));
        assert!(
            (d - claimed).abs() / claimed < 0.01,
            "bar {d} m vs claimed {claimed} m"
        );
        let mantissa = claimed / 10f64.powf(claimed.log10().floor());
        assert!(
            [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
            "round length {claimed}"
        );
        // The scale bar is drawn: ink along its middle.
        let ink = (x0 as i32 + 2..x1 as i32 - 2)
            .filter(|&x| pixel(&page, x, y as i32 + 2).is_some_and(|p| p[0] < 60))
            .count();
        assert!(ink as f32 >= (x1 - x0) - 8.0, "{ink} of {}", x1 - x0);
    }
}

#[test]
fn the_cli_puts_offline_tiles_under_the_map() {
    let cat = catalog();
    let extent = boundary_extent(&cat);
    let dir = std::env::temp_dir().join(format!("taonan-export-tiles-{}", std::process::id()));
    let tiles = dir.join("离线底图");
    let tile_colour = [90, 160, 220, 255];
    tile_folder(&tiles, extent, 640, 480, tile_colour);
    let run = |basemap: &[&str], name: &str| {
        let out = dir.join(name);
        let mut args = vec![
            "export",
            "--out",
            out.to_str().expect("utf8"),
            "--width",
            "640",
            "--height",
            "480",
        ];
        args.extend_from_slice(basemap);
        let o = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
            .args(&args)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let img = Pixmap::decode_png(&std::fs::read(&out).expect("png")).expect("decode");
        (img, String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let (with, said) = run(&["--basemap", tiles.to_str().expect("utf8")], "底图.png");
    let (without, _) = run(&["--no-basemap"], "无底图.png");
    assert!(said.contains("底图 离线瓦片：离线底图（正常）"), "{said}");
    // The same line in English with --lang en.
    let (_, said_en) = run(
        &["--lang", "en", "--basemap", tiles.to_str().expect("utf8")],
        "basemap.png",
    );
    assert!(
        said_en.contains("basemap Offline tiles: 离线底图 (ok)"),
        "{said_en}"
    );
    let bg = taonan_map::render::BACKGROUND;
    assert!(
        count(&without, bg, 2) > 10_000,
        "the plain map shows its background"
    );
    assert_eq!(count(&with, bg, 2), 0, "the tiles cover the whole map");
    assert!(
        count(&with, tile_colour, 6) > 10_000,
        "the tile colour shows where no layer is filled"
    );
    // The layers are still drawn over the tiles: the boundary's stroke is there.
    let stroke = Styles::builtin().for_role(LayerRole::Boundary).stroke;
    assert!(count(&with, stroke, 10) > 200);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreachable_basemap_is_named_in_the_sources_line() {
    use taonan_map::tiles::{BasemapSpec, ServiceOptions, TileService};
    let cat = catalog();
    let visible = vec![true; cat.layers.len()];
    let gone = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let spec = BasemapSpec::custom_xyz(&format!("http://127.0.0.1:{gone}/{{z}}/{{x}}/{{y}}.png"));
    let opts = ServiceOptions {
        cache: None,
        wait_for_network: false,
        log: std::sync::Arc::new(|_: &str| ()),
        ..ServiceOptions::default()
    };
    let service = TileService::start(spec, opts, || ());
    let extent = geo::Rect::new((122.5, 45.2), (123.0, 45.6));
    let image = MapImage {
        width: 400,
        height: 300,
        extent,
        visible: &visible,
        scale: 1.0,
        basemap: Some((
            &service,
            std::time::Instant::now() + std::time::Duration::from_secs(20),
        )),
    };
    let px = render_map(&cat, &Styles::builtin(), &image).expect("render");
    let report = taonan_map::tiles::mosaic::MosaicReport {
        wanted: 4,
        drawn: 0,
        zoom: 9,
        status: service.status(),
    };
    let line = taonan_map::render::basemap_line(&image, Some(&report));
    assert!(line.contains("未能加入") && line.contains("离线"), "{line}");
    assert_eq!(
        taonan_map::render::basemap_line(
            &MapImage {
                basemap: None,
                ..image
            },
            None
        ),
        "无底图"
    );
    // The map itself is drawn as without a basemap.
    assert!(count(&px, taonan_map::render::BACKGROUND, 2) > 1000);
}

/// Leftmost column of `img`'s row `y` whose pixel is near `c`.
fn first_x(img: &Pixmap, y: i32, c: [u8; 4]) -> Option<i32> {
    (0..img.width() as i32).find(|&x| pixel(img, x, y).is_some_and(|p| near(p, c, 8)))
}

#[test]
fn amap_tiles_are_moved_back_by_the_gcj02_offset_in_exports() {
    use taonan_map::tiles::{BasemapSpec, ServiceOptions, TileService};
    let extent = geo::Rect::new((122.70, 45.30), (122.90, 45.45));
    let (w, h) = (800u32, 600u32);
    let t = PixelTransform::fit(extent, w, h);
    let (z, keys) = taonan_map::tiles::mosaic::cover(&t, w, h, 0, 22);
    // The tile under the image's centre is red, the others blue.
    let (clon, clat) = t.lonlat(w as f64 / 2.0, h as f64 / 2.0);
    let n = (1u32 << z) as f64;
    let cx = ((clon + 180.0) / 360.0 * n) as u32;
    let cy = ((1.0 - taonan_map::render::merc_y(clat) / std::f64::consts::PI) / 2.0 * n) as u32;
    let dir = std::env::temp_dir().join(format!("taonan-export-gcj-{}", std::process::id()));
    let (red, blue) = ([220, 30, 30, 255], [30, 30, 220, 255]);
    for k in &keys {
        let c = if (k.x, k.y) == (cx, cy) { red } else { blue };
        taonan_map::plan::fixtures::write_folder_tile(&dir, *k, c).expect("tile");
    }
    let cat = catalog();
    let hidden = vec![false; cat.layers.len()];
    let draw = |gcj02: bool| {
        let mut spec = BasemapSpec::local(&dir).expect("folder");
        spec.gcj02 = gcj02;
        let opts = ServiceOptions {
            cache: None,
            ..ServiceOptions::default()
        };
        let svc = TileService::start(spec, opts, || ());
        let image = MapImage {
            width: w,
            height: h,
            extent,
            visible: &hidden,
            scale: 1.0,
            basemap: Some((
                &svc,
                std::time::Instant::now() + std::time::Duration::from_secs(20),
            )),
        };
        render_map(&cat, &Styles::builtin(), &image).expect("render")
    };
    let (plain, moved) = (draw(false), draw(true));
    // The red tile's west edge, on a row through its middle.
    let row = {
        let top = t
            .px(clon, taonan_map::tiles::mosaic::tile_lat(cy as f64, z))
            .1;
        let bottom = t
            .px(
                clon,
                taonan_map::tiles::mosaic::tile_lat(cy as f64 + 1.0, z),
            )
            .1;
        ((top + bottom) / 2.0) as i32
    };
    let x_plain = first_x(&plain, row, red).expect("red tile drawn");
    let x_moved = first_x(&moved, row, red).expect("red tile drawn");
    // Expected: the content of GCJ-02 coordinate g lies at true coordinate g − offset.
    let (glon, _) = taonan_map::crs::gcj02::wgs84_to_gcj02(clon, clat);
    let expected = t.px(clon - (glon - clon), clat).0 - t.px(clon, clat).0;
    let got = (x_moved - x_plain) as f32;
    assert!(
        expected < -5.0,
        "the offset is visible at this scale: {expected}"
    );
    assert!(
        (got - expected).abs() <= 1.5,
        "moved {got} px, expected {expected}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `export --labels FIELD` labels the files' layers by that field (`name`: the display name),
/// placed and drawn as the window does; a field the layer lacks labels nothing.
#[test]
fn the_cli_labels_the_files_layers_by_the_field_asked() {
    use taonan_map::plan::fixtures::{Square, write_zone41_squares};
    let dir = std::env::temp_dir()
        .join(format!("taonan-export-labels-{}", std::process::id()))
        .join("报件");
    let sq = |x: f64, name| Square {
        x,
        y: 41_440_000.0,
        side: 400.0,
        name,
        mineral: "萤石",
    };
    let file = write_zone41_squares(
        &dir,
        "采矿权",
        &[sq(5_060_000.0, "甲矿区"), sq(5_040_000.0, "乙矿区")],
    )
    .expect("fixture");
    let run = |extra: &[&str], name: &str| -> Pixmap {
        let out = dir.join(name);
        let o = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
            .args(["export", "--out", out.to_str().expect("utf8")])
            .args(["--width", "800", "--height", "600", "--no-basemap"])
            .args(extra)
            .arg(&file)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Pixmap::decode_png(&std::fs::read(&out).expect("png")).expect("decode")
    };
    let dark = |img: &Pixmap| count(img, [20, 20, 20, 255], 40);
    let changed = |a: &Pixmap, b: &Pixmap| {
        a.pixels()
            .iter()
            .zip(b.pixels())
            .filter(|(p, q)| p != q)
            .count()
    };
    let plain = run(&[], "plain.png");
    let by_name = run(&["--labels", "name"], "name.png");
    let by_field = run(&["--labels", "KCKZ"], "field.png");
    let by_nothing = run(&["--labels", "NO_SUCH_FIELD"], "none.png");
    // The two labels are drawn (dark text in a halo); a township's label they cover may go.
    for labelled in [&by_name, &by_field] {
        assert!(
            dark(labelled) > dark(&plain),
            "{} vs {}",
            dark(labelled),
            dark(&plain)
        );
        assert!(
            changed(labelled, &plain) > 150,
            "{}",
            changed(labelled, &plain)
        );
    }
    assert_ne!(
        by_name.data(),
        by_field.data(),
        "the two fields read differently"
    );
    assert_eq!(by_nothing.data(), plain.data());
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}
