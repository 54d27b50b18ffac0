//! Where map labels go: a greedy placement that takes the labels in priority order and keeps
//! each one whose box overlaps neither a label already kept nor an area to keep clear (the
//! selection); the others are dropped. Pure geometry in pixels, so the window's overlay and the
//! exports can place their labels with the same function.

/// How a label sits at its anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// To the right of a point, vertically centred on it (a township seat).
    Beside,
    /// Centred on the point (an area's name at its interior point).
    Centred,
}

/// A label that may be placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The anchor in pixels.
    pub at: (f32, f32),
    /// The text's width in pixels at its size.
    pub width: f32,
    /// The font size in pixels.
    pub size: f32,
    /// How it sits at the anchor.
    pub anchor: Anchor,
    /// Gap between a point and a [`Anchor::Beside`] label, in pixels.
    pub gap: f32,
}

impl Candidate {
    /// The label's box `[x, y, width, height]` in pixels (height 1.2 × size, halo included).
    pub fn rect(&self) -> [f32; 4] {
        let h = self.size * 1.2;
        let (x, y) = self.at;
        match self.anchor {
            Anchor::Beside => [x + self.gap, y - h / 2.0, self.width, h],
            Anchor::Centred => [x - self.width / 2.0, y - h / 2.0, self.width, h],
        }
    }

    /// The baseline origin of its text inside [`Candidate::rect`].
    pub fn origin(&self) -> (f32, f32) {
        let r = self.rect();
        (r[0], r[1] + r[3] * 0.5 + self.size * 0.35)
    }
}

/// Whether two boxes `[x, y, w, h]` overlap (touching edges do not).
pub fn overlaps(a: [f32; 4], b: [f32; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/// Place `candidates` (highest priority first): the indices of the ones kept, in that order.
/// A candidate is kept when its box overlaps no kept label and none of `clear`.
/// Quadratic in the labels kept, which a screen or a page bounds (a few hundred).
pub fn place(candidates: &[Candidate], clear: &[[f32; 4]]) -> Vec<usize> {
    let mut kept: Vec<(usize, [f32; 4])> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let r = c.rect();
        if !(r[2].is_finite() && r[3].is_finite() && r[0].is_finite() && r[1].is_finite()) {
            continue;
        }
        if clear.iter().any(|k| overlaps(r, *k)) || kept.iter().any(|(_, k)| overlaps(r, *k)) {
            continue;
        }
        kept.push((i, r));
    }
    kept.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f32, y: f32, w: f32) -> Candidate {
        Candidate {
            at: (x, y),
            width: w,
            size: 12.0,
            anchor: Anchor::Beside,
            gap: 6.0,
        }
    }

    #[test]
    fn the_first_wins_and_clear_areas_are_kept_clear() {
        let cands = [c(0.0, 0.0, 50.0), c(20.0, 2.0, 50.0), c(0.0, 30.0, 50.0)];
        assert_eq!(place(&cands, &[]), vec![0, 2]);
        // The selection over the first label: the second now fits.
        assert_eq!(place(&cands, &[[0.0, -10.0, 20.0, 20.0]]), vec![1, 2]);
        assert!(!overlaps([0.0, 0.0, 10.0, 10.0], [10.0, 0.0, 5.0, 5.0]));
    }
}
