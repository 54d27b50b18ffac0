//! Shared test data: the square parcel A-B-C-D and small builders.

pub(super) const A: [f64; 2] = [5043400.12, 41452400.55];
pub(super) const B: [f64; 2] = [5043400.12, 41453600.30];
pub(super) const C: [f64; 2] = [5042250.75, 41453600.30];
pub(super) const D: [f64; 2] = [5042250.75, 41452400.55];

pub(super) fn square() -> Vec<[f64; 2]> {
    vec![A, B, C, D, A]
}

pub(super) fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub(super) fn dms(d: f64, m: f64, s: f64) -> f64 {
    d + m / 60.0 + s / 3600.0
}
