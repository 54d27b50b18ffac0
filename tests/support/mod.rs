//! What the window's tests share (`mod support;` in a test suite).

pub mod harness;
