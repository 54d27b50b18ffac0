use super::*;

#[test]
fn typed_and_solved_files() {
    let typed = "type = \"four\"\ntarget_epsg = 4529\ndx = 1000.0\ndy = 2000.0\nrotation_arcsec = 0.0\nscale_ppm = 0.0\n";
    let t = GridTransform::parse(typed, "t.toml").expect("typed");
    let mut g = Geometry::Point(geo::Point::new(5.0, 7.0));
    t.apply_all(std::iter::once(&mut g)).expect("applies");
    // x = easting 5 → Y' = 2005; y = northing 7 → X' = 1007.
    assert_eq!(g, Geometry::Point(geo::Point::new(2005.0, 1007.0)));
    assert_eq!(t.layer_epsg(), 4529);
    let solved = "type = \"four\"\ntarget_epsg = 4529\n[[points]]\nname = \"K1\"\nlocal = [0.0, 0.0]\ntarget = [1000.0, 2000.0]\n[[points]]\nname = \"K2\"\nlocal = [100.0, 0.0]\ntarget = [1000.0, 2100.0]\n";
    let s = GridTransform::parse(solved, "s.toml").expect("solved");
    assert_eq!(s.residuals.len(), 2);
    let (zh, en) = (
        s.describe().in_lang(Lang::Zh).to_owned(),
        s.describe().in_lang(Lang::En).to_owned(),
    );
    assert!(en.contains("K2") && en.contains("EPSG:4529"), "{en}");
    assert!(
        zh.starts_with("四参数转换") && zh.contains("控制点残差") && zh.contains("K2"),
        "{zh}"
    );
    // The spec survives the session's JSON.
    let json = serde_json::to_string(&s.spec).expect("json");
    let back: TransformSpec = serde_json::from_str(&json).expect("parses");
    assert_eq!(back, s.spec);
    for bad in [
        "type = \"nine\"\ntarget_epsg = 4529\n",
        "type = \"four\"\ntarget_epsg = 4529\ndx = 1.0\n",
        "type = \"four\"\ntarget_epsg = 4529\ndx = 1.0\ndy = 1.0\nrotation_arcsec = 0.0\nscale_ppm = -1000000.0\n",
        "type = \"four\"\ndx = 1.0\ndy = 1.0\nrotation_arcsec = 0.0\nscale_ppm = 0.0\n",
        "type = \"seven\"\ntx = 1.0\n",
        "type = \"seven\"\nellipsoid = \"mars\"\ntx = 1.0\nty = 1.0\ntz = 1.0\nrx_arcsec = 0.0\nry_arcsec = 0.0\nrz_arcsec = 0.0\nscale_ppm = 0.0\n",
        "not toml",
    ] {
        assert!(GridTransform::parse(bad, "b.toml").is_err(), "{bad}");
    }
}

/// The EPSG Guidance Note 7-2 example (WGS 72 lat 55° N, lon 4° E, h 0 → WGS 84), run
/// through the same pipeline the layers use: the geocentric numbers PROJ makes are the
/// published ones to the centimetre they are printed with, and the result agrees with the
/// Rust formula of [`Helmert7::apply`] to 1 mm.
#[test]
fn the_epsg_example_through_the_pipeline() {
    let spec = TransformSpec {
        kind: "seven".into(),
        ellipsoid: Some("WGS84".into()),
        tx: Some(0.0),
        ty: Some(0.0),
        tz: Some(4.5),
        rx_arcsec: Some(0.0),
        ry_arcsec: Some(0.0),
        rz_arcsec: Some(0.554),
        scale_ppm: Some(0.219),
        ..TransformSpec::default()
    };
    let t = GridTransform::from_spec(spec.clone()).expect("typed");
    let def = t.proj_pipeline().expect("seven");
    // WGS 72 (a = 6378135, 1/f = 298.26) on the source side, as in the example.
    let def72 = def.replacen("+proj=cart +ellps=WGS84", "+proj=cart +ellps=WGS72", 1);
    let to_cart = Pipeline::new(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=WGS72",
    )
    .expect("pipeline");
    let xs = to_cart.forward([4.0, 55.0, 0.0]).expect("cart");
    for (got, want) in xs.iter().zip([3_657_660.66, 255_768.55, 5_201_382.11]) {
        assert!((got - want).abs() <= 0.005, "{xs:?}");
    }
    let full = Pipeline::new(&def72).expect("pipeline");
    let out = full.forward([4.0, 55.0, 0.0]).expect("transforms");
    let back = Pipeline::new(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=GRS80",
    )
    .expect("pipeline")
    .forward(out)
    .expect("cart");
    for (got, want) in back.iter().zip([3_657_660.78, 255_778.43, 5_201_387.75]) {
        assert!((got - want).abs() <= 0.006, "{back:?}");
    }
    let Method::Seven { helmert, .. } = &t.method else {
        panic!("seven")
    };
    let rust = helmert.apply(xs);
    // GRS80 and WGS 84 differ by 0.1 mm in the semi-minor axis: within 1 mm.
    for (a, b) in back.iter().zip(rust) {
        assert!((a - b).abs() < 1e-3, "{back:?} vs {rust:?}");
    }
    // The coordinate-frame form of the same numbers is the opposite rotation.
    let cf = TransformSpec {
        convention: Some("coordinate_frame".into()),
        rz_arcsec: Some(-0.554),
        ..spec
    };
    let t2 = GridTransform::from_spec(cf).expect("typed");
    assert_eq!(t2.method, t.method);
    let en = t.describe().in_lang(Lang::En).to_owned();
    assert!(en.contains("position vector"), "{en}");
    assert!(t.describe().in_lang(Lang::Zh).contains("位置矢量"));
}
