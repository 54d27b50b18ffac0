//! The schematic placement of the plan's zones: one axis-aligned square per zone on the CGCS2000
//! 3° Gauss-Krüger zone-41 grid (EPSG:4529), centre rounded to 100 m.
//!
//! The plan publishes no coordinates. These centres were chosen by a search (documented in
//! `data/README.md`) under these rules, all checked by `tests/data.rs`:
//! each square lies inside the 洮南市 boundary (≥ 2 km margin); its centroid's nearest township
//! seat is its own township's (by ≥ 3 km over the runner-up); squares do not overlap (≥ 1 km
//! apart) except where the plan implies nesting (the coal mining blocks of 万宝镇 and 蛟流河乡
//! inside those townships' coal key zones, 蛟流河乡's sand mining blocks inside CS002); no square
//! covers a seat.

/// (zone id, centre X = northing m, centre Y = easting m with the 41 prefix, width:height).
pub const PLACEMENTS: &[(&str, f64, f64, f64)] = &[
    ("Z1", 5_083_900.0, 41_414_100.0, 1.0),
    ("Z2", 5_074_300.0, 41_408_400.0, 1.0),
    ("Z3", 5_034_800.0, 41_455_000.0, 1.0),
    ("CS001", 5_064_100.0, 41_451_800.0, 1.0),
    ("CS002", 5_043_400.0, 41_453_200.0, 1.0),
    ("E1", 5_069_300.0, 41_406_000.0, 1.0),
    ("E2", 5_089_700.0, 41_415_100.0, 1.0),
    ("E3", 5_070_300.0, 41_413_400.0, 1.0),
    ("E4", 5_058_600.0, 41_426_700.0, 1.0),
    ("E5", 5_066_800.0, 41_424_100.0, 1.0),
    ("M1", 5_074_300.0, 41_408_400.0, 1.0),
    ("M2", 5_034_800.0, 41_455_000.0, 1.0),
    ("M3", 5_070_200.0, 41_433_000.0, 1.0),
    ("M4", 5_065_900.0, 41_428_300.0, 1.0),
    ("M5", 5_063_200.0, 41_430_000.0, 1.0),
    ("M6", 5_062_700.0, 41_424_000.0, 1.0),
    ("M7", 5_038_900.0, 41_452_800.0, 1.0),
    ("M8", 5_041_500.0, 41_457_600.0, 1.0),
    ("M9", 5_078_600.0, 41_419_500.0, 1.0),
    ("M10", 5_059_400.0, 41_450_500.0, 1.0),
    ("M11", 5_055_200.0, 41_447_000.0, 1.0),
    ("M12", 5_053_900.0, 41_450_700.0, 1.0),
    ("M13", 5_052_300.0, 41_445_100.0, 1.0),
    ("M14", 5_023_200.0, 41_462_300.0, 1.0),
    ("M15", 5_027_100.0, 41_466_400.0, 1.0),
    ("M16", 5_043_400.0, 41_452_400.0, 1.0),
    ("M17", 5_043_400.0, 41_454_000.0, 1.0),
];

/// Identifiers of the 17 mining blocks in plan order (see [`crate::plan::zones`]).
pub const MINING_IDS: [&str; 17] = [
    "M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8", "M9", "M10", "M11", "M12", "M13", "M14", "M15",
    "M16", "M17",
];
