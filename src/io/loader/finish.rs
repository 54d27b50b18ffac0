//! The path every reader's records take at the end: the CRS decision, reprojection to
//! CGCS2000 on every core, the X/Y swap offered or applied, what lands nowhere dropped, and the
//! provenance attached ([`finish`], [`finish_declared`]); an error saying why when nothing is
//! left.

use super::*;

/// Reproject geometries (in place) from `def` to CGCS2000, swapping X/Y first when asked.
fn reproject(geoms: &mut [Geometry<f64>], def: Option<&str>, swap: bool) -> Result<(), String> {
    if swap {
        for g in geoms.iter_mut() {
            g.map_coords_in_place(|c| Coord { x: c.y, y: c.x });
        }
    }
    let Some(def) = def else { return Ok(()) };
    if def == EPSG_CGCS2000 || def == "EPSG:4326" {
        return Ok(());
    }
    crs::geometries_to_cgcs2000(def, geoms).map_err(|e| e.to_string())
}

/// Whether every coordinate is finite and within lon/lat range after transforming.
fn sane(g: &Geometry<f64>) -> bool {
    use geo::CoordsIter;
    // Every vertex, not the envelope: min/max pass over a NaN, so one NaN vertex (a mangled
    // file, or a point PROJ refused) would slip through to the geometry code.
    let mut any = false;
    g.coords_iter().all(|c| {
        any = true;
        c.x.is_finite()
            && c.y.is_finite()
            && (-180.0..=180.0).contains(&c.x)
            && (-90.0..=90.0).contains(&c.y)
    }) && any
}

/// One record as read: its geometry (`None` for a null shape) and its attributes.
pub(crate) type Record = (Option<Geometry<f64>>, crate::model::Attributes);

/// The path every format's records take: CRS decision (`prj` WKT, the user's choice, else the
/// numbers), swap offer, reprojection to CGCS2000, provenance and problem reports.
pub(crate) fn finish(
    source: &str,
    records: Vec<Record>,
    prj: Option<&str>,
    opts: &LoadOptions,
    problems: Vec<Text>,
    encoding: Option<Detected>,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let declared = prj.map_or(Declared::Nothing, Declared::Prj);
    finish_declared(
        source, records, declared, opts, problems, encoding, progress,
    )
}

/// The end of every reader: decide the CRS (the user's choice, the file's declaration, the
/// numbers), reproject to CGCS2000, offer or apply the X/Y swap, drop what lands nowhere, and
/// attach provenance. Numbers that fit no CRS give an unplaced layer
/// ([`crate::io::unplaced`]). `source` names the file in messages.
#[allow(
    clippy::too_many_lines,
    reason = "the steps after reading (CRS decision, transform, provenance) in order; loader.rs is the shared dispatch file edited in parallel, split after the merge"
)]
pub(crate) fn finish_declared(
    source: &str,
    records: Vec<Record>,
    declared: Declared<'_>,
    opts: &LoadOptions,
    mut problems: Vec<Text>,
    encoding: Option<Detected>,
    progress: &Progress,
) -> Result<LoadedLayer, LoadError> {
    let mut records = records;
    let transform = (opts.transform.as_deref().cloned())
        .map(crate::crs::grid_transform::GridTransform::from_spec)
        .transpose()
        .map_err(|e| LoadError::invalid(source, transform_failed(&e)))?;
    if let Some(t) = &transform {
        t.apply_all(records.iter_mut().filter_map(|(g, _)| g.as_mut()))
            .map_err(|e| LoadError::invalid(source, transform_failed(&e)))?;
    }
    let user_epsg = transform.as_ref().map(|t| t.layer_epsg()).or(opts.epsg);
    let coords = || {
        records
            .iter()
            .filter_map(|(g, _)| g.as_ref())
            .flat_map(|g| g.coords_iter().map(|c| [c.x, c.y]))
    };
    let lonlat_range = coords().next().is_some()
        && coords().all(|[x, y]| (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y));
    let (mut decision, def, guess) =
        crs_decision::decide(declared, coords(), lonlat_range, user_epsg);
    if let Some(t) = &transform {
        decision.reason = t.describe();
    }
    let Some(def) = def else {
        let layer = unplaced::layer(source, &stem(source), records, &decision, encoding.as_ref());
        let warnings = vec![Text::by_lang(|l| match l {
            Lang::Zh => format!(
                "{}：{}",
                decision.label.in_lang(l),
                decision.reason.in_lang(l)
            ),
            Lang::En => format!(
                "{}: {}",
                decision.label.in_lang(l),
                decision.reason.in_lang(l)
            ),
        })];
        return Ok(LoadedLayer {
            layer,
            problems,
            crs: decision,
            encoding,
            warnings,
            swap_suggested: None,
            swapped: false,
        });
    };
    let def = Some(def);
    let domain = decision.epsg.and_then(crate::io::coord_check::domain_of);
    let crs_doubtful = crate::io::coord_check::check_records(&mut records, domain, &mut problems);
    // A CRS whose domain is not known here (a .prj of UTM, Lambert …): its area of use from
    // PROJ, checked after transforming.
    let area = match (domain, def.as_deref()) {
        (None, Some(d)) => crs::area_of_use::area_of_use(d),
        _ => None,
    };
    let mut warnings = Vec::new();
    if decision.epsg == Some(4326) && decision.source == CrsSource::Inferred {
        warnings.push(decision.reason.clone());
    }
    if let Some(w) = decision.epsg.and_then(crs_guess::datum_warning) {
        warnings.push(w);
    }
    let name: std::sync::Arc<str> = file_name(source).into();
    let mut geoms = Vec::with_capacity(records.len());
    let mut attrs = Vec::with_capacity(records.len());
    let mut numbers = Vec::with_capacity(records.len());
    for (i, (g, a)) in records.into_iter().enumerate() {
        // Null shapes were reported with their record numbers by the reader.
        if let Some(g) = g {
            geoms.push(g);
            attrs.push(a);
            numbers.push(i + 1);
        }
        if i % 4096 == 0 && progress.cancelled() {
            return Err(LoadError::cancelled(source));
        }
    }
    // The swap fix is offered (and its reason shown) when the numbers say so, applied only when
    // the user asks.
    let bbox = geoms
        .iter()
        .filter_map(|g| g.bounding_rect())
        .reduce(crate::model::union_rect);
    let mut swap_suggested = None;
    if opts.swap_xy.is_none() {
        if guess.as_ref().is_some_and(|g| g.swapped) {
            swap_suggested = guess.as_ref().map(|g| g.reason.clone());
        } else if let (Some(code), Some(r)) = (decision.epsg, bbox) {
            swap_suggested =
                crs_guess::swap_would_fix(code, [r.min().x, r.min().y, r.max().x, r.max().y]);
        }
    }
    // As written, the numbers may not even be a place on Earth (a northing read as an easting
    // with the 41 prefix as a latitude): then the swap is applied, and said loudly; the user can
    // undo it in the layer's settings. Otherwise the fix is only offered.
    let mut swap = opts.swap_xy.unwrap_or(false);
    let original = swap_suggested.is_some().then(|| geoms.clone());
    // PROJ's messages have one wording.
    let proj_error = |e: String| LoadError::invalid(source, Text::same(e));
    reproject(&mut geoms, def.as_deref(), swap).map_err(proj_error)?;
    if let (Some(mut again), Some(reason)) = (original, swap_suggested.clone())
        && !geoms.iter().any(sane)
    {
        reproject(&mut again, def.as_deref(), true).map_err(proj_error)?;
        geoms = again;
        swap = true;
        swap_suggested = None;
        warnings.push(Text::by_lang(|l| match l {
            Lang::Zh => format!(
                "X/Y 颠倒，已交换后载入（可在图层设置中撤销）：{}",
                reason.in_lang(l)
            ),
            Lang::En => format!(
                "X and Y were swapped in the file and have been swapped back (undo in the layer settings): {}",
                reason.in_lang(l)
            ),
        }));
    }
    if let Some(s) = &swap_suggested {
        warnings.push(Text::by_lang(|l| match l {
            Lang::Zh => format!("X/Y 可能颠倒：{}", s.in_lang(l)),
            Lang::En => format!("X and Y look swapped: {}", s.in_lang(l)),
        }));
    }
    let placement = crate::io::coord_check::check_placed(
        &geoms,
        &attrs,
        &numbers,
        area.as_ref(),
        &mut problems,
    );
    if placement.every_outside_area
        && let Some(a) = &area
    {
        let (label_zh, label_en) = (
            decision.label.in_lang(Lang::Zh),
            decision.label.in_lang(Lang::En),
        );
        let area = a.describe();
        warnings.push(text!(
            "每个要素都远在 {label_zh} 的适用范围（{area}）之外，坐标系可能不对",
            "every feature lies far outside the area of use of {label_en}, {area}: the CRS probably does not fit these numbers"
        ));
    }
    // Of the exact size: a filtered `collect` grows by doubling, and on a county layer the
    // discarded halves (up to 29 MB each) stay behind as holes in the allocator's heap.
    let mut features: Vec<Feature> =
        Vec::with_capacity(placement.keep.iter().filter(|k| **k).count());
    features.extend(
        geoms
            .into_iter()
            .zip(attrs)
            .zip(&placement.keep)
            .filter(|(_, keep)| **keep)
            .map(|((g, a), _)| Feature {
                provenance: provenance_of(&a, &name),
                attributes: a,
                geometry: g,
            }),
    );
    if features.is_empty() {
        return Err(nothing_loaded(
            source,
            &problems,
            &decision,
            placement.not_on_earth > 0 && placement.not_on_earth == placement.keep.len(),
            crs_doubtful,
        ));
    }
    let layer_name = stem(source);
    Ok(LoadedLayer {
        layer: Layer {
            name_zh: layer_name.clone(),
            name_en: layer_name,
            role: LayerRole::Loaded,
            source: source.to_owned(),
            crs: decision.layer_text(),
            encoding: encoding
                .as_ref()
                .map(Detected::describe)
                .unwrap_or_default(),
            features: features.into(),
            analysis_role: None,
        },
        problems,
        crs: decision,
        encoding,
        warnings,
        swap_suggested,
        swapped: swap,
    })
}

/// The message of a layer of which no feature could be loaded: the first problems (which
/// name records and points) and, when nothing landed on Earth or every record lay outside the
/// CRS's domain the same way (`crs_doubtful`, see [`crate::io::coord_check::check_records`]),
/// that the CRS may not fit the numbers.
fn nothing_loaded(
    source: &str,
    problems: &[Text],
    decision: &CrsDecision,
    not_on_earth: bool,
    crs_doubtful: bool,
) -> LoadError {
    const SHOWN: usize = 3;
    let mut first: Vec<Text> = problems.iter().take(SHOWN).cloned().collect();
    let more = problems.len().saturating_sub(SHOWN);
    if more > 0 {
        first.push(text!("……另有 {more} 条", "… {more} more"));
    }
    let listed = Text::join(&first);
    let why = Text::by_lang(|l| {
        let listed = listed.in_lang(l);
        let label = decision.label.in_lang(l);
        let from = match (decision.source, l) {
            (CrsSource::Prj, Lang::Zh) => "文件声明的坐标系（.prj 或文件自身的说明）",
            (CrsSource::Inferred, Lang::Zh) => "推测的坐标系",
            (CrsSource::User, Lang::Zh) => "所选的坐标系",
            (CrsSource::Prj, Lang::En) => "the file's CRS (.prj or its own statement)",
            (CrsSource::Inferred, Lang::En) => "the guessed CRS",
            (CrsSource::User, Lang::En) => "the chosen CRS",
        };
        let (listed_zh, listed_en) = if listed.is_empty() {
            (String::new(), String::new())
        } else {
            (format!("（{listed}）"), format!(" ({listed})"))
        };
        match (l, not_on_earth, crs_doubtful) {
            // Nothing lands on Earth: the CRS (from the .prj, the guess or the user) does not fit.
            (Lang::Zh, true, _) => format!(
                "按{from}（{label}），没有一个坐标落在地球上；坐标系与这些数值不符，请另选{listed_zh}"
            ),
            (Lang::En, true, _) => format!(
                "with {from} ({label}) no coordinate lands on Earth; the CRS does not fit these numbers — choose another{listed_en}"
            ),
            (Lang::Zh, false, true) => {
                format!("{listed}；如果数值无误，则{from}（{label}）与之不符，请另选")
            }
            (Lang::En, false, true) => format!(
                "{listed}; if the numbers are right, {from} ({label}) does not fit them — choose another"
            ),
            (Lang::Zh, false, false) if listed.is_empty() => "没有可用的几何".to_owned(),
            (Lang::En, false, false) if listed.is_empty() => "no usable geometry".to_owned(),
            (_, false, false) => listed.to_owned(),
        }
    });
    LoadError::new(source, LoadErrorKind::NothingLoaded(why))
}
