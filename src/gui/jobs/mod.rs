//! Work off the UI thread. Every worker hands back its result over a channel and asks for a
//! repaint; a worker whose code panics hands back an error naming the job ([`guarded`]),
//! instead of leaving the window waiting forever for an answer that never comes.
//!
//! - [`loading`]: files loaded one job at a time, with progress and cancel.
//! - [`analysis`]: the overlap analysis, redone when the layers or their visibility change.
//! - [`check_report`]: the PDF check report, written on a worker.
//! - [`crash`]: what a crash leaves for the next start (report, files being opened).
//! - [`find`]: the find box's search indexes and queries.

pub mod analysis;
pub mod check_report;
pub mod crash;
pub mod find;
pub mod loading;

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::text::{Lang, Text};

/// Run `f`, turning a panic into an error that names `what` (e.g. a file being loaded).
///
/// The job's state is its own (moved into the worker), so nothing the window holds is left
/// half-changed by the unwinding.
pub fn guarded<T>(what: &Text, f: impl FnOnce() -> T) -> Result<T, Text> {
    let outer = GUARDED.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(outer));
    result.map_err(|p| {
        let cause = panic_text(&*p);
        Text::by_lang(|l| match l {
            Lang::Zh => format!("{}：内部错误（{cause}）", what.in_lang(l)),
            Lang::En => format!("{}: internal error ({cause})", what.in_lang(l)),
        })
    })
}

thread_local! {
    /// Whether this thread is running a [`guarded`] job (its panic becomes a message).
    static GUARDED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread runs a [`guarded`] job: a panic there is handled, so the crash
/// hook writes no report for it.
pub fn in_guarded_job() -> bool {
    GUARDED.with(std::cell::Cell::get)
}

/// The message of a panic payload.
fn panic_text(p: &(dyn Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "?".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_becomes_an_error_naming_it() {
        let r: Result<u8, Text> = guarded(&Text::same("M.shp"), || panic!("boom {}", 1));
        let e = r.expect_err("an error");
        let (zh, en) = (e.in_lang(Lang::Zh), e.in_lang(Lang::En));
        assert!(
            zh.starts_with("M.shp：内部错误") && zh.contains("boom 1"),
            "{zh}"
        );
        assert!(
            en.starts_with("M.shp: internal error") && en.contains("boom 1"),
            "{en}"
        );
        assert_eq!(guarded(&Text::same("x"), || 7), Ok(7));
    }

    #[test]
    fn a_guarded_job_is_known_as_such_while_it_runs() {
        assert!(!in_guarded_job());
        assert_eq!(guarded(&Text::same("x"), in_guarded_job), Ok(true));
        let _ = guarded(&Text::same("y"), || -> () { panic!("boom") });
        assert!(!in_guarded_job(), "the flag is restored after a panic too");
    }
}
