//! The map export, checked on the pixels of the PNG it writes.

use std::process::Command;

use taonan_map::bundled;
use taonan_map::catalog::Catalog;
use taonan_map::model::LayerRole;
use taonan_map::render::{MapImage, PixelTransform, render_map};
use taonan_map::style::Styles;
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

fn catalog() -> Catalog {
    Catalog::new(bundled::load_all().expect("bundled"))
}

fn render(cat: &Catalog, visible: &[bool]) -> Pixmap {
    let boundary = cat
        .layers
        .iter()
        .find(|l| l.role == LayerRole::Boundary)
        .and_then(|l| l.extent())
        .expect("extent");
    let image = MapImage {
        width: 900,
        height: 700,
        extent: boundary,
        visible,
        scale: 1.0,
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
