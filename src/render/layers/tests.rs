//! Tests of the layer drawing: culling, dots, cancelling, the bundled plan against drawing
//! everything, and the GCJ-02 shift.

mod drawing {
    use super::super::*;
    use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind};
    use geo::Rect;

    /// Counts what a drawing asked for.
    #[derive(Default)]
    struct Tally {
        fills: usize,
        strokes: usize,
        dots: usize,
    }

    impl Sink for Tally {
        fn fill(&mut self, _: &Path, _: Rgba) {
            self.fills += 1;
        }
        fn stroke(&mut self, _: &Path, _: Rgba, _: &Line) {
            self.strokes += 1;
        }
        fn dot(&mut self, _: [f32; 4], _: Rgba) {
            self.dots += 1;
        }
    }

    fn square_feature(lon: f64, lat: f64, side: f64) -> Feature {
        Feature {
            attributes: Default::default(),
            geometry: Geometry::Polygon(crate::analysis::overlap::square(lon, lat, side)),
            provenance: Provenance {
                kind: ProvenanceKind::Surveyed,
                source: "test".into(),
            },
        }
    }

    fn catalog_of(features: Vec<Feature>) -> Catalog {
        Catalog::new(vec![Layer {
            name_zh: "测试".into(),
            name_en: "test".into(),
            role: LayerRole::Loaded,
            source: "test".into(),
            crs: Default::default(),
            encoding: Default::default(),
            features: features.into(),
            analysis_role: None,
        }])
    }

    fn tally(catalog: &Catalog, t: &PixelTransform, detail: Detail) -> Tally {
        draw_into(catalog, t, detail)
    }

    /// Draw the catalog's first layer into a fresh sink of type `S`.
    fn draw_into<S: Sink + Default>(catalog: &Catalog, t: &PixelTransform, detail: Detail) -> S {
        let styles = Styles::builtin();
        let pass = LayerPass {
            catalog,
            visible: &[true],
            styles: &styles,
            scale: 1.0,
            gcj02: false,
            detail,
            cancel: None,
        };
        let view = ViewProjection::new(*t, false);
        let (w, h) = t.size();
        let rect = lonlat_area(&view, &pass, [0.0, 0.0, w, h]);
        let mut sink = S::default();
        draw_layer(&mut sink, &view, &pass, 0, rect, &mut Scratch::default());
        sink
    }

    #[test]
    fn features_outside_the_view_are_not_visited() {
        let inside = square_feature(122.5, 45.5, 0.01);
        let outside = square_feature(125.0, 47.0, 0.01);
        let catalog = catalog_of(vec![inside, outside]);
        let extent = Rect::new((122.45, 45.45), (122.55, 45.55));
        let t = PixelTransform::fit(extent, 400, 400);
        let drawn = tally(&catalog, &t, Detail::Screen);
        assert_eq!((drawn.fills, drawn.strokes, drawn.dots), (1, 1, 0));
    }

    #[test]
    fn a_polygon_smaller_than_a_pixel_becomes_a_dot_and_grows_back_when_zoomed_in() {
        // 0.0001° ≈ 8 m: well under a pixel over 50 km, many pixels over 200 m.
        let catalog = catalog_of(vec![square_feature(122.5, 45.5, 0.0001)]);
        let far = PixelTransform::fit(Rect::new((122.2, 45.3), (122.8, 45.7)), 500, 500);
        let drawn = tally(&catalog, &far, Detail::Screen);
        assert_eq!((drawn.fills, drawn.strokes, drawn.dots), (0, 0, 1));
        // Vector output keeps the polygon at any size.
        let full = tally(&catalog, &far, Detail::Full);
        assert_eq!((full.fills, full.strokes, full.dots), (1, 1, 0));
        let near = PixelTransform::fit(Rect::new((122.499, 45.499), (122.501, 45.501)), 500, 500);
        let drawn = tally(&catalog, &near, Detail::Screen);
        assert_eq!((drawn.fills, drawn.strokes, drawn.dots), (1, 1, 0));
    }

    /// The points of the outlines a drawing stroked.
    #[derive(Default)]
    struct OutlinePoints(usize);

    impl Sink for OutlinePoints {
        fn fill(&mut self, _: &Path, _: Rgba) {}
        fn stroke(&mut self, path: &Path, _: Rgba, _: &Line) {
            self.0 += path.points().len();
        }
        fn dot(&mut self, _: [f32; 4], _: Rgba) {}
    }

    #[test]
    fn a_small_polygons_outline_is_thinned_more_and_a_large_ones_keeps_its_vertices() {
        // A 64-gon of radius 0.001° (~100 m): ~5 px across over 30 km, ~500 px over 300 m.
        let ring: Vec<(f64, f64)> = (0..=64)
            .map(|i| {
                let a = f64::from(i) / 64.0 * std::f64::consts::TAU;
                (122.5 + 0.001 * a.cos(), 45.5 + 0.001 * a.sin())
            })
            .collect();
        let mut f = square_feature(0.0, 0.0, 1.0);
        f.geometry = Geometry::Polygon(geo::Polygon::new(ring.into(), vec![]));
        let catalog = catalog_of(vec![f]);
        let points = |extent: Rect<f64>| {
            let t = PixelTransform::fit(extent, 500, 500);
            draw_into::<OutlinePoints>(&catalog, &t, Detail::Screen).0
        };
        let far = points(Rect::new((122.3, 45.4), (122.7, 45.6)));
        let near = points(Rect::new((122.498, 45.498), (122.502, 45.502)));
        // At ~5 px the outline keeps a vertex every 1.5 px or more: a dozen at most.
        assert!((3..=12).contains(&far), "{far}");
        // Large, every vertex is kept (64 and the closing move).
        assert!(near >= 64, "{near}");
    }

    #[test]
    fn a_dot_is_painted_where_the_polygon_is() {
        let catalog = catalog_of(vec![square_feature(122.5, 45.5, 0.0001)]);
        let t = PixelTransform::fit(Rect::new((122.2, 45.3), (122.8, 45.7)), 500, 500);
        let styles = Styles::builtin();
        let mut pixmap = tiny_skia::Pixmap::new(500, 500).expect("pixmap");
        let pass = LayerPass {
            catalog: &catalog,
            visible: &[true],
            styles: &styles,
            scale: 1.0,
            gcj02: false,
            detail: Detail::Screen,
            cancel: None,
        };
        assert!(draw_on_pixmap(&mut pixmap.as_mut(), &t, &pass));
        let (x, y) = t.px(122.50005, 45.50005);
        let px = pixmap
            .pixel(x.floor() as u32, y.floor() as u32)
            .expect("inside");
        assert_eq!(px.alpha(), 255, "the dot is opaque outline colour");
        let stroke = styles.get("loaded").stroke;
        assert_eq!(
            [px.red(), px.green(), px.blue()],
            [stroke[0], stroke[1], stroke[2]]
        );
        let painted = pixmap.pixels().iter().filter(|p| p.alpha() > 0).count();
        assert!(painted <= 4, "{painted} pixels painted for one dot");
    }

    #[test]
    fn a_cancelled_drawing_says_so() {
        let features = (0..2000)
            .map(|i| {
                square_feature(
                    122.0 + f64::from(i % 50) * 0.01,
                    45.0 + f64::from(i / 50) * 0.01,
                    0.008,
                )
            })
            .collect();
        let catalog = catalog_of(features);
        let t = PixelTransform::fit(Rect::new((122.0, 45.0), (122.5, 45.4)), 300, 300);
        let styles = Styles::builtin();
        let cancel = AtomicBool::new(true);
        let pass = LayerPass {
            catalog: &catalog,
            visible: &[true],
            styles: &styles,
            scale: 1.0,
            gcj02: false,
            detail: Detail::Screen,
            cancel: Some(&cancel),
        };
        let mut pixmap = tiny_skia::Pixmap::new(300, 300).expect("pixmap");
        assert!(!draw_on_pixmap(&mut pixmap.as_mut(), &t, &pass));
    }

    /// The bundled plan drawn by the culled, thinned, banded image path and by the plain
    /// full-detail path (every feature, every vertex, exact projection, one surface) gives the
    /// same picture.
    #[test]
    fn the_bundled_plan_looks_the_same_as_drawing_everything() {
        let catalog = Catalog::new(crate::plan::bundled::load_all().expect("bundled layers"));
        let styles = Styles::builtin();
        let visible = vec![true; catalog.layers.len()];
        let extent = catalog
            .extent_of(0..catalog.layers.len())
            .expect("bundled extent");
        for (w, h, shrink) in [(900u32, 700u32, 0.0), (800, 600, 0.4)] {
            let (dx, dy) = (extent.width() * shrink, extent.height() * shrink);
            let r = Rect::new(
                (extent.min().x + dx, extent.min().y + dy),
                (extent.max().x - dx, extent.max().y - dy),
            );
            let t = PixelTransform::fit(r, w, h);
            let pass = LayerPass {
                catalog: &catalog,
                visible: &visible,
                styles: &styles,
                scale: 1.0,
                gcj02: false,
                detail: Detail::Screen,
                cancel: None,
            };
            let mut fast = tiny_skia::Pixmap::new(w, h).expect("pixmap");
            assert!(draw_on_pixmap(&mut fast.as_mut(), &t, &pass));
            let mut plain = crate::render::PixmapSurface::new(w, h).expect("surface");
            draw_on_surface(
                &mut plain,
                &t,
                &LayerPass {
                    detail: Detail::Full,
                    ..pass
                },
            );
            let plain = plain.into_pixmap();
            let differing = fast
                .pixels()
                .iter()
                .zip(plain.pixels())
                .filter(|(a, b)| {
                    let d = |x: u8, y: u8| x.abs_diff(y);
                    d(a.red(), b.red())
                        .max(d(a.green(), b.green()))
                        .max(d(a.blue(), b.blue()))
                        .max(d(a.alpha(), b.alpha()))
                        > 48
                })
                .count();
            let painted = plain.pixels().iter().filter(|p| p.alpha() > 0).count();
            assert!(painted > 10_000, "the plan shows");
            assert!(
                differing * 1000 < painted,
                "{differing} of {painted} painted pixels differ at {w}×{h}"
            );
        }
    }
}

mod gcj02 {
    use super::super::*;
    use crate::model::{Feature, Layer, LayerRole, Provenance, ProvenanceKind};
    use geo::Rect;

    /// Drawn for an AMap basemap, a feature lands where its GCJ-02 position projects (about
    /// 500 m from its CGCS2000 one around Taonan), whether its shift is taken once (small
    /// features) or per vertex (large ones).
    #[test]
    fn gcj02_drawing_moves_features_by_their_offset() {
        let styles = Styles::builtin();
        for side in [0.004, 0.05] {
            let (lon, lat) = (122.8, 45.35);
            let catalog = Catalog::new(vec![Layer {
                name_zh: "测试".into(),
                name_en: "test".into(),
                role: LayerRole::Loaded,
                source: "test".into(),
                crs: Default::default(),
                encoding: Default::default(),
                features: std::sync::Arc::new(vec![Feature {
                    attributes: Default::default(),
                    geometry: Geometry::Polygon(crate::analysis::overlap::square(
                        lon - side / 2.0,
                        lat - side / 2.0,
                        side,
                    )),
                    provenance: Provenance {
                        kind: ProvenanceKind::Surveyed,
                        source: "test".into(),
                    },
                }]),
                analysis_role: None,
            }]);
            let extent = Rect::new((lon - 0.06, lat - 0.06), (lon + 0.06, lat + 0.06));
            let t = PixelTransform::fit(extent, 600, 600);
            let centre_of = |gcj02: bool| {
                let mut p = tiny_skia::Pixmap::new(600, 600).expect("pixmap");
                let pass = LayerPass {
                    catalog: &catalog,
                    visible: &[true],
                    styles: &styles,
                    scale: 1.0,
                    gcj02,
                    detail: Detail::Screen,
                    cancel: None,
                };
                assert!(draw_on_pixmap(&mut p.as_mut(), &t, &pass));
                // The centre of the painted pixels.
                let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
                for (i, px) in p.pixels().iter().enumerate() {
                    if px.alpha() > 0 {
                        sx += (i % 600) as f64;
                        sy += (i / 600) as f64;
                        n += 1.0;
                    }
                }
                (sx / n, sy / n)
            };
            let plain = centre_of(false);
            let shifted = centre_of(true);
            let (glon, glat) = crate::crs::gcj02::wgs84_to_gcj02(lon, lat);
            let (ex, ey) = t.px_f64((glon, glat));
            let (px, py) = t.px_f64((lon, lat));
            let moved = ((shifted.0 - plain.0), (shifted.1 - plain.1));
            let expected = (ex - px, ey - py);
            assert!(expected.0.hypot(expected.1) > 3.0, "a visible offset");
            assert!(
                (moved.0 - expected.0).abs() < 1.0 && (moved.1 - expected.1).abs() < 1.0,
                "side {side}: moved {moved:?}, expected {expected:?}"
            );
        }
    }
}
