//! Interface language: 中文 (default) or English. [`Lang`] lives in the core
//! ([`crate::text::Lang`], the core's messages are worded with it too); the window's own strings
//! are written in pairs where they are used, `lang.t("中文", "English")`, so each stays next to
//! its context.

pub use crate::text::Lang;
