//! Words for people: the interface language and the messages the core hands to a front end.
//!
//! - [`lang`]: [`Lang`], 中文 (the default) or English, chosen in the window's settings or by
//!   the command line's `--lang`.
//! - [`message`]: [`Text`], one message in both languages, built with [`crate::text!`] so both
//!   wordings take the same values. The core never glues the two into one string
//!   (`"载入已取消 / loading cancelled"`) and never picks a language itself: each front end words
//!   a message in its own language with [`Text::in_lang`]. `Text` has no `Display` on purpose.
//!
//! Typed errors whose parts a front end wants separately (the loader's
//! [`crate::io::load_error::LoadError`]) keep their data and have one wording function beside
//! them.

pub mod lang;
pub mod message;

pub use lang::Lang;
pub use message::Text;

#[cfg(test)]
mod glue_guard;
