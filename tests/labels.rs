//! Label placement on the bundled plan data: no two placed labels overlap, at two zooms.

mod common;

use taonan_map::render::PixelTransform;
use taonan_map::render::label_placement::{overlaps, place};

fn placed_boxes(width: u32, height: u32) -> (usize, Vec<[f32; 4]>) {
    let cat = common::catalog();
    let visible = vec![true; cat.layers.len()];
    let t = PixelTransform::fit(common::boundary_extent(&cat), width, height);
    let (cands, texts) = taonan_map::render::label_candidates(&cat, &visible, &t, 1.0);
    assert_eq!(cands.len(), texts.len());
    let kept = place(&cands, &[]);
    (cands.len(), kept.iter().map(|&i| cands[i].rect()).collect())
}

#[test]
fn placed_labels_never_overlap_at_two_zooms() {
    for (w, h) in [(360, 270), (2400, 1800)] {
        let (offered, boxes) = placed_boxes(w, h);
        assert!(offered > 10, "the bundled seats and counties: {offered}");
        assert!(!boxes.is_empty());
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!overlaps(*a, *b), "{w}×{h}: {a:?} overlaps {b:?}");
            }
        }
    }
    // Zoomed out, labels are dropped; zoomed in, more of them fit.
    let (_, small) = placed_boxes(360, 270);
    let (_, large) = placed_boxes(2400, 1800);
    assert!(
        small.len() < large.len(),
        "{} vs {}",
        small.len(),
        large.len()
    );
}
