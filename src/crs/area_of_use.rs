//! Where a CRS may be used: its area of use from PROJ's database (the EPSG registry's
//! extent), for the CRSs whose domain this viewer does not know by itself (a `.prj` of UTM,
//! Lambert, Albers …). A CRS given as WKT without an authority code is identified against the
//! database first (PROJ's `proj_identify`, a match of 90 % or more).

use std::ffi::{CStr, CString};

/// A CRS's area of use in degrees of longitude and latitude. Across the antimeridian `west`
/// is greater than `east`.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaOfUse {
    /// Western bound, degrees (−180..180).
    pub west: f64,
    /// Southern bound, degrees (−90..90).
    pub south: f64,
    /// Eastern bound, degrees (−180..180).
    pub east: f64,
    /// Northern bound, degrees (−90..90).
    pub north: f64,
    /// The area's name in the database, e.g. "Between 120°E and 126°E, northern hemisphere…".
    pub name: String,
}

impl AreaOfUse {
    /// Whether (lon, lat) lies inside the area widened by `margin` degrees on every side.
    pub fn holds(&self, lon: f64, lat: f64, margin: f64) -> bool {
        let lat_ok = (self.south - margin..=self.north + margin).contains(&lat);
        let lon_ok = if self.west <= self.east {
            (self.west - margin..=self.east + margin).contains(&lon)
        } else {
            lon >= self.west - margin || lon <= self.east + margin
        };
        lat_ok && lon_ok
    }

    /// The area in words: the first sentence of its name and its bounds, "name (lon W..E,
    /// lat S..N)" (the registry's names go on to list every country).
    pub fn describe(&self) -> String {
        let name = match self.name.find(". ") {
            Some(end) => &self.name[..=end],
            None => self.name.as_str(),
        };
        format!(
            "{name} (lon {}..{}, lat {}..{})",
            self.west, self.east, self.south, self.north
        )
    }
}

/// How sure PROJ must be (percent) that a WKT without an authority code is a database CRS
/// before that CRS's area of use is taken.
const IDENTIFY_CONFIDENCE: i32 = 90;

/// The area of use of a CRS definition (an EPSG code, WKT or PROJ string), or `None` when
/// PROJ does not understand it or knows no area for it (a home-made WKT that matches no CRS
/// of its database). Runs in a PROJ context of its own, destroyed on every path.
pub fn area_of_use(def: &str) -> Option<AreaOfUse> {
    super::isolate_from_proj_data();
    let def = CString::new(def).ok()?;
    // SAFETY: the context is created here and destroyed below on every path; `def` is a valid
    // NUL-terminated string that outlives the call; every PJ made from the context (the CRS,
    // identified candidates) is destroyed before it, and the lists PROJ returns are destroyed
    // with their own functions.
    unsafe {
        let ctx = proj_sys::proj_context_create();
        if ctx.is_null() {
            return None;
        }
        // A definition PROJ does not understand is an answer here (no area), not a log line.
        proj_sys::proj_log_level(ctx, proj_sys::PJ_LOG_LEVEL_PJ_LOG_NONE);
        let obj = proj_sys::proj_create(ctx, def.as_ptr());
        let mut area = None;
        if !obj.is_null() {
            area = read_area(ctx, obj).or_else(|| identified_area(ctx, obj));
            proj_sys::proj_destroy(obj);
        }
        proj_sys::proj_context_destroy(ctx);
        area
    }
}

/// The area of use PROJ holds for `obj`, when all four bounds are real degrees.
///
/// # Safety
/// `ctx` and `obj` must be valid, `obj` made in `ctx`.
unsafe fn read_area(ctx: *mut proj_sys::PJ_CONTEXT, obj: *const proj_sys::PJ) -> Option<AreaOfUse> {
    let (mut west, mut south, mut east, mut north) = (f64::NAN, f64::NAN, f64::NAN, f64::NAN);
    let mut name: *const std::os::raw::c_char = std::ptr::null();
    // SAFETY: the caller's guarantee; the out pointers are valid locals.
    let found = unsafe {
        proj_sys::proj_get_area_of_use(
            ctx, obj, &mut west, &mut south, &mut east, &mut north, &mut name,
        )
    };
    // PROJ writes −1000 for a bound it does not know.
    let lon = |v: f64| (-180.0..=180.0).contains(&v);
    let lat = |v: f64| (-90.0..=90.0).contains(&v);
    if found == 0 || !(lon(west) && lon(east) && lat(south) && lat(north)) || south > north {
        return None;
    }
    let name = if name.is_null() {
        String::new()
    } else {
        // SAFETY: a non-null name is a NUL-terminated string owned by `obj`, copied here.
        unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned()
    };
    Some(AreaOfUse {
        west,
        south,
        east,
        north,
        name,
    })
}

/// The area of use of the database CRS that `obj` is identified as (the best candidate, if
/// PROJ is at least [`IDENTIFY_CONFIDENCE`] % sure).
///
/// # Safety
/// `ctx` and `obj` must be valid, `obj` made in `ctx`.
unsafe fn identified_area(
    ctx: *mut proj_sys::PJ_CONTEXT,
    obj: *const proj_sys::PJ,
) -> Option<AreaOfUse> {
    let mut confidence: *mut std::os::raw::c_int = std::ptr::null_mut();
    // SAFETY: the caller's guarantee; a null authority means every authority, null options
    // the defaults; the list and the confidences are destroyed below.
    unsafe {
        let list = proj_sys::proj_identify(
            ctx,
            obj,
            std::ptr::null(),
            std::ptr::null(),
            &mut confidence,
        );
        let mut area = None;
        if !list.is_null() && !confidence.is_null() {
            let n = proj_sys::proj_list_get_count(list);
            for i in 0..n {
                if *confidence.add(i as usize) < IDENTIFY_CONFIDENCE {
                    continue;
                }
                let candidate = proj_sys::proj_list_get(ctx, list, i);
                if candidate.is_null() {
                    continue;
                }
                // The candidates come without their usages: the CRS is made again from the
                // database by its code, which brings its area.
                let code = authority_code(candidate);
                proj_sys::proj_destroy(candidate);
                let from_db = match code.and_then(|c| CString::new(c).ok()) {
                    Some(c) => proj_sys::proj_create(ctx, c.as_ptr()),
                    None => std::ptr::null_mut(),
                };
                if !from_db.is_null() {
                    area = read_area(ctx, from_db);
                    proj_sys::proj_destroy(from_db);
                }
                if area.is_some() {
                    break;
                }
            }
        }
        if !confidence.is_null() {
            proj_sys::proj_int_list_destroy(confidence);
        }
        if !list.is_null() {
            proj_sys::proj_list_destroy(list);
        }
        area
    }
}

/// "AUTHORITY:CODE" of a PROJ object, when it has an identifier.
///
/// # Safety
/// `obj` must be a valid PJ.
unsafe fn authority_code(obj: *const proj_sys::PJ) -> Option<String> {
    // SAFETY: the caller's guarantee; the strings returned are owned by `obj` (or null) and
    // copied here.
    unsafe {
        let auth = proj_sys::proj_get_id_auth_name(obj, 0);
        let code = proj_sys::proj_get_id_code(obj, 0);
        if auth.is_null() || code.is_null() {
            return None;
        }
        Some(format!(
            "{}:{}",
            CStr::from_ptr(auth).to_string_lossy(),
            CStr::from_ptr(code).to_string_lossy()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The EPSG registry's extents (epsg.org, "Area of use" of each CRS), as PROJ's database
    /// holds them.
    #[test]
    fn areas_of_use_are_the_registry_extents() {
        let utm51 = area_of_use("EPSG:32651").expect("UTM 51N has an area");
        assert_eq!(
            (utm51.west, utm51.south, utm51.east, utm51.north),
            (120.0, 0.0, 126.0, 84.0)
        );
        assert!(utm51.name.contains("120°E and 126°E"), "{}", utm51.name);
        assert_eq!(
            utm51.describe(),
            "Between 120°E and 126°E, northern hemisphere between equator and 84°N, onshore and \
             offshore. (lon 120..126, lat 0..84)"
        );
        // ETRS89 / LAEA Europe, the proj crate's own example.
        let laea = area_of_use("EPSG:3035").expect("LAEA Europe has an area");
        assert_eq!(
            (laea.west, laea.south, laea.east, laea.north),
            (-35.58, 24.6, 44.83, 84.73)
        );
    }

    #[test]
    fn an_esri_wkt_without_a_code_is_identified() {
        let wkt = r#"PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let a = area_of_use(wkt).expect("identified as EPSG:32651");
        assert_eq!(
            (a.west, a.south, a.east, a.north),
            (120.0, 0.0, 126.0, 84.0)
        );
    }

    #[test]
    fn unknown_definitions_have_no_area() {
        assert_eq!(area_of_use("这不是坐标系"), None);
        assert_eq!(area_of_use("nul\0inside"), None);
        // A home-made Lambert CRS on a home-made sphere matches nothing in the database.
        let home = "+proj=lcc +lat_1=44 +lat_2=47 +lat_0=45 +lon_0=122.5 +R=6371000 +units=m +no_defs +type=crs";
        assert_eq!(area_of_use(home), None);
    }

    #[test]
    fn holds_widens_by_the_margin_and_crosses_the_antimeridian() {
        let a = AreaOfUse {
            west: 120.0,
            south: 0.0,
            east: 126.0,
            north: 84.0,
            name: String::new(),
        };
        assert!(a.holds(122.8, 45.3, 0.0));
        assert!(!a.holds(128.0, 45.0, 0.0));
        assert!(a.holds(128.0, 45.0, 5.0));
        assert!(!a.holds(122.0, -6.0, 5.0));
        let pacific = AreaOfUse {
            west: 170.0,
            east: -170.0,
            ..a
        };
        assert!(pacific.holds(179.0, 10.0, 0.0) && pacific.holds(-175.0, 10.0, 0.0));
        assert!(!pacific.holds(0.0, 10.0, 0.0));
    }
}
