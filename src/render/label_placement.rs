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
    /// The halo's reach around the letters, in pixels (0 without a halo).
    pub halo: f32,
}

impl Candidate {
    /// The label's box `[x, y, width, height]` in pixels: the text's advance width by 1.2 ×
    /// size, grown by the halo on every side.
    pub fn rect(&self) -> [f32; 4] {
        let h = self.size * 1.2;
        let (x, y) = self.at;
        let m = self.halo.max(0.0);
        let [x, y] = match self.anchor {
            Anchor::Beside => [x + self.gap, y - h / 2.0],
            Anchor::Centred => [x - self.width / 2.0, y - h / 2.0],
        };
        [x - m, y - m, self.width + 2.0 * m, h + 2.0 * m]
    }

    /// The baseline origin of its text inside [`Candidate::rect`].
    pub fn origin(&self) -> (f32, f32) {
        let r = self.rect();
        let m = self.halo.max(0.0);
        (r[0] + m, r[1] + r[3] * 0.5 + self.size * 0.35)
    }
}

/// Side of the grid cells that [`place`] files kept labels under, in pixels.
const CELL: f32 = 64.0;

/// The grid cells a box covers (`None` when it covers too many to list: a huge box).
fn cells(r: [f32; 4]) -> Option<impl Iterator<Item = (i32, i32)>> {
    let (x0, y0) = ((r[0] / CELL).floor() as i32, (r[1] / CELL).floor() as i32);
    let (x1, y1) = (
        ((r[0] + r[2]) / CELL).floor() as i32,
        ((r[1] + r[3]) / CELL).floor() as i32,
    );
    let n = (i64::from(x1) - i64::from(x0) + 1) * (i64::from(y1) - i64::from(y0) + 1);
    (n <= 4096).then(|| (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y))))
}

/// Whether two boxes `[x, y, w, h]` overlap (touching edges do not).
pub fn overlaps(a: [f32; 4], b: [f32; 4]) -> bool {
    a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]
}

/// Place `candidates` (highest priority first): the indices of the ones kept, in that order.
/// A candidate is kept when its box overlaps no kept label and none of `clear`. The kept boxes
/// are filed in a grid of [`CELL`]-pixel cells, so a candidate is compared with the labels
/// near it only (thousands of candidates cost a millisecond or so).
pub fn place(candidates: &[Candidate], clear: &[[f32; 4]]) -> Vec<usize> {
    let mut kept: Vec<(usize, [f32; 4])> = Vec::new();
    let mut grid: std::collections::HashMap<(i32, i32), Vec<usize>> =
        std::collections::HashMap::new();
    let mut huge: Vec<usize> = Vec::new();
    for (i, c) in candidates.iter().enumerate() {
        let r = c.rect();
        if !(r[2].is_finite() && r[3].is_finite() && r[0].is_finite() && r[1].is_finite()) {
            continue;
        }
        if clear.iter().any(|k| overlaps(r, *k)) {
            continue;
        }
        let hit = |k: &usize| kept.get(*k).is_some_and(|(_, b)| overlaps(r, *b));
        let near = match cells(r) {
            Some(mut cs) => cs.any(|cell| grid.get(&cell).is_some_and(|v| v.iter().any(hit))),
            None => kept.iter().any(|(_, b)| overlaps(r, *b)),
        };
        if near || huge.iter().any(hit) {
            continue;
        }
        match cells(r) {
            Some(cs) => cs.for_each(|cell| grid.entry(cell).or_default().push(kept.len())),
            None => huge.push(kept.len()),
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
            halo: 0.0,
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

    /// The grid gives what comparing every pair gives: the same labels kept, on a crowded set
    /// of random boxes of every size (a huge one among them) and far-off anchors.
    #[test]
    fn the_grid_keeps_what_a_pairwise_check_keeps() {
        let mut seed = 7u64;
        let mut rnd = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f32 / (1u64 << 31) as f32
        };
        let mut cands: Vec<Candidate> = (0..3000)
            .map(|_| c(rnd() * 1500.0 - 100.0, rnd() * 900.0, 10.0 + rnd() * 200.0))
            .collect();
        cands.insert(10, c(-5000.0, 300.0, 400_000.0));
        cands.push(c(1e9, -1e9, 30.0));
        let clear = [[300.0, 300.0, 100.0, 80.0]];
        let mut naive: Vec<(usize, [f32; 4])> = Vec::new();
        for (i, cand) in cands.iter().enumerate() {
            let r = cand.rect();
            if !clear.iter().any(|k| overlaps(r, *k)) && !naive.iter().any(|(_, k)| overlaps(r, *k))
            {
                naive.push((i, r));
            }
        }
        let want: Vec<usize> = naive.iter().map(|(i, _)| *i).collect();
        assert_eq!(place(&cands, &clear), want);
        assert!(want.len() > 5, "{}", want.len());
    }
}
