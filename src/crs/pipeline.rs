//! A PROJ *operation* (a `+proj=pipeline …` string, not a pair of CRSs) on 3-D coordinates, in
//! a PROJ context of its own. The `proj` crate transforms only (x, y); a geocentric step (the
//! seven-parameter Bursa-Wolf transform, see [`crate::crs::grid_transform`]) needs the height
//! or Z as well, so this goes through `proj-sys` directly.
//!
//! A [`Pipeline`] is made and used on one thread (a loader worker); it is not `Send`.

use std::ffi::{CStr, CString};

use crate::crs::CrsError;

/// A PROJ operation and the context it lives in; both destroyed on drop.
pub struct Pipeline {
    ctx: *mut proj_sys::PJ_CONTEXT,
    pj: *mut proj_sys::PJ,
    def: String,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("def", &self.def).finish()
    }
}

/// PROJ's text for an error number of a context.
fn errno_text(ctx: *mut proj_sys::PJ_CONTEXT, errno: i32) -> String {
    // SAFETY: `ctx` is a live context; PROJ returns a pointer to a static or context-owned
    // NUL-terminated string (or null), copied here before anything else touches the context.
    unsafe {
        let p = proj_sys::proj_context_errno_string(ctx, errno);
        if p.is_null() {
            format!("PROJ error {errno}")
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    }
}

impl Pipeline {
    /// Create the operation `def` (a PROJ string such as
    /// `+proj=pipeline +step +proj=cart +ellps=krass …`).
    pub fn new(def: &str) -> Result<Self, CrsError> {
        super::isolate_from_proj_data();
        let fail = |why: String| CrsError(format!("PROJ cannot make the operation {def}: {why}"));
        let c_def = CString::new(def).map_err(|_| fail("it holds a NUL character".into()))?;
        // SAFETY: the context is created here and, when the operation cannot be made, destroyed
        // before returning; otherwise both are owned by the returned value and destroyed in
        // `Drop` (operation first). `c_def` outlives the call (PROJ copies it).
        unsafe {
            let ctx = proj_sys::proj_context_create();
            if ctx.is_null() {
                return Err(fail("no PROJ context".into()));
            }
            let pj = proj_sys::proj_create(ctx, c_def.as_ptr());
            if pj.is_null() {
                let why = errno_text(ctx, proj_sys::proj_context_errno(ctx));
                proj_sys::proj_context_destroy(ctx);
                return Err(fail(why));
            }
            Ok(Self {
                ctx,
                pj,
                def: def.to_owned(),
            })
        }
    }

    /// The PROJ string this operation was made from.
    pub fn definition(&self) -> &str {
        &self.def
    }

    /// Transform one point forward. Angles are in whatever unit the pipeline takes and gives
    /// (radians unless it has `unitconvert` steps).
    pub fn forward(&self, p: [f64; 3]) -> Result<[f64; 3], CrsError> {
        let coord = proj_sys::PJ_COORD {
            v: [p[0], p[1], p[2], 0.0],
        };
        // SAFETY: `self.pj` is live for the lifetime of `self`; `PJ_COORD` is plain data and
        // every variant of the union is four f64s, so reading `v` is always defined.
        let (out, errno) = unsafe {
            proj_sys::proj_errno_reset(self.pj);
            let out = proj_sys::proj_trans(self.pj, proj_sys::PJ_DIRECTION_PJ_FWD, coord);
            (out.v, proj_sys::proj_errno(self.pj))
        };
        if errno != 0 || !out[..3].iter().all(|v| v.is_finite()) {
            let why = if errno != 0 {
                errno_text(self.ctx, errno)
            } else {
                "not a finite result".into()
            };
            return Err(CrsError(format!(
                "PROJ cannot transform ({}, {}, {}): {why}",
                p[0], p[1], p[2]
            )));
        }
        Ok([out[0], out[1], out[2]])
    }
}

impl Drop for Pipeline {
    fn drop(&mut self) {
        // SAFETY: both pointers were created in `new`, are non-null and are destroyed exactly
        // once, the operation before its context.
        unsafe {
            proj_sys::proj_destroy(self.pj);
            proj_sys::proj_context_destroy(self.ctx);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_definition_is_an_error_naming_it() {
        let e = Pipeline::new("+proj=no_such_thing").expect_err("refused");
        assert!(e.0.contains("no_such_thing"), "{e}");
    }

    #[test]
    fn geocentric_round_trip_keeps_the_height() {
        let p = Pipeline::new(
            "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=cart +ellps=GRS80",
        )
        .expect("pipeline");
        // On the equator at the prime meridian, 100 m up: X = a + h exactly.
        let x = p.forward([0.0, 0.0, 100.0]).expect("transforms");
        assert!((x[0] - (6_378_137.0 + 100.0)).abs() < 1e-6, "{x:?}");
        assert!(x[1].abs() < 1e-6 && x[2].abs() < 1e-6, "{x:?}");
    }
}
