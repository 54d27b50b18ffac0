//! The SVG export, checked on the parsed document: its size, what is drawn and what is not,
//! the legend, the schematic note and the embedded basemap tiles.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{boundary_extent, catalog, tile_folder};

use base64::Engine as _;
use taonan_map::model::LayerRole;
use taonan_map::model::catalog::Catalog;
use taonan_map::model::style::Styles;
use taonan_map::render::{
    Format, MapImage, Report, SCHEMATIC_NOTE_CLASS, SWATCH_CLASS, render_map_svg, render_report,
    render_report_svg,
};
use taonan_map::tiles::raster;

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("taonan-svg-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("dir");
    d
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).expect("well-formed XML")
}

/// `#rrggbb` of a colour, as the SVG writes it.
fn hex(c: [u8; 4]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Elements of class `class`.
fn with_class<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.attribute("class") == Some(class))
        .collect()
}

/// Whether any element has `attr` = `value`.
fn any_attr(doc: &roxmltree::Document<'_>, attr: &str, value: &str) -> bool {
    doc.descendants().any(|n| n.attribute(attr) == Some(value))
}

fn report_svg(cat: &Catalog, visible: &[bool]) -> (String, taonan_map::render::ReportLayout) {
    let report = Report {
        map: MapImage {
            width: 1754,
            height: 1240,
            extent: boundary_extent(cat),
            visible,
            scale: 150.0 / 96.0,
            basemap: None,
        },
        dpi: 150.0,
        title: "洮南市矿产资源规划图",
        date: "2026-11-29",
        sources: "测试",
    };
    let (svg, layout) =
        render_report_svg(cat, &Styles::builtin(), &report, Some((297.0, 210.0))).expect("svg");
    // The SVG is drawn from the same description as the PNG: the same layout.
    let (_, png_layout) = render_report(cat, &Styles::builtin(), &report).expect("png");
    assert_eq!(layout, png_layout);
    (svg, layout)
}

fn run_cli(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_taonan-map"))
        .args(args)
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn the_format_follows_the_extension_in_any_case() {
    assert_eq!(Format::of_path(Path::new("图.svg")), Format::Svg);
    assert_eq!(Format::of_path(Path::new("a/b.SVG")), Format::Svg);
    assert_eq!(Format::of_path(Path::new("b.png")), Format::Png);
    assert_eq!(Format::of_path(Path::new("b.PNG")), Format::Png);
    assert_eq!(Format::of_path(Path::new("b")), Format::Png);
}

#[test]
fn the_cli_writes_an_a4_report_svg_in_millimetres_and_a_pixel_svg_for_pixel_sizes() {
    let dir = temp_dir("cli").join("报告插图");
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("洮南市矿产资源规划图.SVG");
    let said = run_cli(&[
        "export",
        "--paper",
        "a4",
        "--dpi",
        "150",
        "--layout",
        "report",
        "--no-basemap",
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert!(said.contains("已写出"), "{said}");
    let text = std::fs::read_to_string(&out).expect("svg");
    let doc = parse(&text);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("width"), Some("297mm"));
    assert_eq!(root.attribute("height"), Some("210mm"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 1754 1240"));
    // The map sits in a clipped layer; the page has its legend and schematic note.
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("clipPath"))
            .count(),
        1
    );
    assert!(!with_class(&doc, SCHEMATIC_NOTE_CLASS).is_empty());
    assert_eq!(with_class(&doc, SWATCH_CLASS).len(), catalog().layers.len());
    // No text elements: all text is glyph outlines.
    assert!(!doc.descendants().any(|n| n.has_tag_name("text")));

    let portrait = dir.join("纵向.svg");
    run_cli(&[
        "export",
        "--paper",
        "a3",
        "--dpi",
        "150",
        "--portrait",
        "--no-basemap",
        "--out",
        portrait.to_str().expect("utf8"),
    ]);
    let text = std::fs::read_to_string(&portrait).expect("svg");
    let doc = parse(&text);
    assert_eq!(doc.root_element().attribute("width"), Some("297mm"));
    assert_eq!(doc.root_element().attribute("height"), Some("420mm"));
    assert_eq!(
        doc.root_element().attribute("viewBox"),
        Some("0 0 1754 2480")
    );

    let pixels = dir.join("map.svg");
    run_cli(&[
        "export",
        "--width",
        "640",
        "--height",
        "480",
        "--no-basemap",
        "--out",
        pixels.to_str().expect("utf8"),
    ]);
    let text = std::fs::read_to_string(&pixels).expect("svg");
    let doc = parse(&text);
    assert_eq!(doc.root_element().attribute("width"), Some("640px"));
    assert_eq!(doc.root_element().attribute("height"), Some("480px"));
    assert_eq!(doc.root_element().attribute("viewBox"), Some("0 0 640 480"));
    let _ = std::fs::remove_dir_all(dir.parent().expect("parent"));
}

#[test]
fn the_report_svg_strokes_the_visible_layers_and_leaves_hidden_ones_out() {
    let cat = catalog();
    let styles = Styles::builtin();
    let boundary = styles.for_role(LayerRole::Boundary).stroke;
    let mining = styles.for_role(LayerRole::MiningBlocks);
    let (all, _) = report_svg(&cat, &vec![true; cat.layers.len()]);
    let doc = parse(&all);
    assert!(any_attr(&doc, "stroke", &hex(boundary)), "boundary stroke");
    assert!(
        any_attr(&doc, "stroke", &hex(mining.stroke)),
        "mining stroke"
    );
    assert!(any_attr(&doc, "fill", &hex(mining.fill)), "mining fill");
    // Schematic zones are dashed.
    assert!(
        doc.descendants()
            .any(|n| n.attribute("stroke-dasharray").is_some())
    );
    // Layers are groups named after the layer.
    let mining_name = &cat
        .layers
        .iter()
        .find(|l| l.role == LayerRole::MiningBlocks)
        .expect("mining layer")
        .name_zh;
    assert!(
        with_class(&doc, "layer")
            .iter()
            .any(|g| g.attribute("data-label") == Some(mining_name.as_str()))
    );

    let no_mining: Vec<bool> = cat
        .layers
        .iter()
        .map(|l| l.role != LayerRole::MiningBlocks)
        .collect();
    let (svg, _) = report_svg(&cat, &no_mining);
    let doc = parse(&svg);
    assert!(any_attr(&doc, "stroke", &hex(boundary)));
    for attr in ["stroke", "fill"] {
        for c in [mining.stroke, mining.fill] {
            assert!(
                !any_attr(&doc, attr, &hex(c)),
                "hidden layer's {attr} {c:?}"
            );
        }
    }
    assert!(
        !with_class(&doc, "layer")
            .iter()
            .any(|g| g.attribute("data-label") == Some(mining_name.as_str()))
    );
}

#[test]
fn the_report_svg_legend_has_one_swatch_per_visible_layer_and_the_note_follows_the_plan() {
    let cat = catalog();
    for visible in [
        vec![true; cat.layers.len()],
        cat.layers
            .iter()
            .map(|l| l.role != LayerRole::ExplorationBlocks && l.role != LayerRole::Neighbours)
            .collect(),
        cat.layers
            .iter()
            .map(|l| !l.role.is_plan_zone())
            .collect::<Vec<_>>(),
    ] {
        let (svg, layout) = report_svg(&cat, &visible);
        let doc = parse(&svg);
        let swatches = with_class(&doc, SWATCH_CLASS);
        // Top of the drawing order first, named after their layers, each with a shape.
        let want: Vec<&str> = cat
            .layers
            .iter()
            .zip(&visible)
            .rev()
            .filter(|(_, v)| **v)
            .map(|(l, _)| l.name_zh.as_str())
            .collect();
        let got: Vec<&str> = swatches
            .iter()
            .map(|g| g.attribute("data-label").unwrap_or(""))
            .collect();
        assert_eq!(got, want);
        assert_eq!(swatches.len(), layout.swatches.len());
        assert!(
            swatches
                .iter()
                .all(|g| g.children().any(|c| c.is_element()))
        );

        let schematic = cat
            .layers
            .iter()
            .zip(&visible)
            .any(|(l, v)| *v && l.schematic_count() > 0);
        let notes = with_class(&doc, SCHEMATIC_NOTE_CLASS);
        assert_eq!(layout.schematic_note, schematic);
        assert_eq!(notes.len(), usize::from(schematic), "{visible:?}");
        // The note is written: glyph outlines in its colour.
        if let Some(note) = notes.first() {
            let paths: Vec<_> = note
                .descendants()
                .filter(|n| n.has_tag_name("path"))
                .collect();
            assert!(!paths.is_empty());
            assert!(
                paths
                    .iter()
                    .all(|p| p.attribute("fill") == Some(&hex([200, 110, 0, 255])[..]))
            );
        }
    }
}

#[test]
fn the_map_svg_carries_the_schematic_note_only_with_plan_zones() {
    let cat = catalog();
    let extent = boundary_extent(&cat);
    let svg = |visible: &[bool]| {
        let image = MapImage {
            width: 900,
            height: 700,
            extent,
            visible,
            scale: 1.0,
            basemap: None,
        };
        render_map_svg(&cat, &Styles::builtin(), &image, None).expect("svg")
    };
    let paths = |doc: &roxmltree::Document<'_>| {
        doc.descendants().filter(|n| n.has_tag_name("path")).count()
    };
    let all = svg(&vec![true; cat.layers.len()]);
    let doc = parse(&all);
    assert_eq!(with_class(&doc, SCHEMATIC_NOTE_CLASS).len(), 1);
    let no_plan: Vec<bool> = cat.layers.iter().map(|l| !l.role.is_plan_zone()).collect();
    let plain = svg(&no_plan);
    let plain_doc = parse(&plain);
    assert!(with_class(&plain_doc, SCHEMATIC_NOTE_CLASS).is_empty());
    let zones: usize = cat
        .layers
        .iter()
        .filter(|l| l.role.is_plan_zone())
        .map(|l| l.features.len())
        .sum();
    // Each zone is a filled and a stroked path; the note is one more path.
    assert_eq!(paths(&doc) - paths(&plain_doc), 2 * zones + 1);
}

/// The embedded images of a document, decoded.
fn images(doc: &roxmltree::Document<'_>) -> Vec<raster::RasterTile> {
    doc.descendants()
        .filter(|n| n.has_tag_name("image"))
        .map(|n| {
            let href = n
                .attribute(("http://www.w3.org/1999/xlink", "href"))
                .expect("xlink:href");
            let b64 = href
                .strip_prefix("data:image/png;base64,")
                .expect("a PNG data URL");
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .expect("base64");
            raster::decode(&bytes).expect("png")
        })
        .collect()
}

#[test]
fn offline_tiles_become_embedded_images_under_the_layers() {
    let cat = catalog();
    let extent = boundary_extent(&cat);
    let dir = temp_dir("tiles");
    let tiles = dir.join("离线底图");
    let colour = [90, 160, 220, 255];
    let n = tile_folder(&tiles, extent, 640, 480, colour);
    assert!(n > 0);
    let out = dir.join("底图.svg");
    let said = run_cli(&[
        "export",
        "--width",
        "640",
        "--height",
        "480",
        "--basemap",
        tiles.to_str().expect("utf8"),
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert!(said.contains("底图 离线瓦片：离线底图（正常）"), "{said}");
    let text = std::fs::read_to_string(&out).expect("svg");
    let doc = parse(&text);
    let imgs = images(&doc);
    assert_eq!(imgs.len(), n, "one image per tile");
    for img in &imgs {
        assert_eq!((img.width, img.height), (256, 256));
        assert_eq!(&img.rgba[..4], &colour);
    }
    // The tiles are in the basemap group, before (under) the first layer.
    let basemap = with_class(&doc, "basemap");
    assert_eq!(basemap.len(), 1);
    assert!(
        basemap[0]
            .descendants()
            .filter(|n| n.has_tag_name("image"))
            .count()
            == n
    );
    let first_layer = with_class(&doc, "layer")[0];
    assert!(basemap[0].range().end <= first_layer.range().start);
    // The attribution names the basemap (as glyph outlines, in its own group).
    assert_eq!(with_class(&doc, "attribution").len(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_report_svg_clips_its_basemap_to_the_map_frame() {
    use taonan_map::tiles::{BasemapSpec, ServiceOptions, TileService};
    let cat = catalog();
    let extent = boundary_extent(&cat);
    let visible = vec![true; cat.layers.len()];
    let (_, plain) = report_svg(&cat, &visible);
    let [_, _, w, h] = plain.map_rect;
    let dir = temp_dir("report-tiles");
    let n = tile_folder(&dir, extent, w as u32, h as u32, [90, 160, 220, 255]);
    let opts = ServiceOptions {
        cache: None,
        ..ServiceOptions::default()
    };
    let svc = TileService::start(BasemapSpec::local(&dir).expect("folder"), opts, || ());
    let report = Report {
        map: MapImage {
            width: 1754,
            height: 1240,
            extent,
            visible: &visible,
            scale: 150.0 / 96.0,
            basemap: Some((
                &svc,
                std::time::Instant::now() + std::time::Duration::from_secs(20),
            )),
        },
        dpi: 150.0,
        title: "洮南市矿产资源规划图",
        date: "2026-11-29",
        sources: "测试",
    };
    let (svg, _) =
        render_report_svg(&cat, &Styles::builtin(), &report, Some((297.0, 210.0))).expect("svg");
    let doc = parse(&svg);
    assert_eq!(images(&doc).len(), n);
    // The clip is the map frame's rectangle, and every tile is inside the clipped group.
    let clip = doc
        .descendants()
        .find(|n| n.has_tag_name("clipPath"))
        .expect("clipPath");
    let id = clip.attribute("id").expect("id");
    let rect = clip
        .children()
        .find(|n| n.has_tag_name("rect"))
        .expect("rect");
    let num = |a: &str| rect.attribute(a).and_then(|v| v.parse::<f32>().ok());
    assert_eq!(num("x"), Some(plain.map_rect[0].trunc()));
    assert_eq!(num("y"), Some(plain.map_rect[1].trunc()));
    assert_eq!(num("width"), Some(w.trunc()));
    assert_eq!(num("height"), Some(h.trunc()));
    let clipped = doc
        .descendants()
        .find(|n| n.attribute("clip-path") == Some(&format!("url(#{id})")[..]))
        .expect("the clipped group");
    assert_eq!(
        clipped
            .descendants()
            .filter(|n| n.has_tag_name("image"))
            .count(),
        n
    );
    let _ = std::fs::remove_dir_all(&dir);
}
