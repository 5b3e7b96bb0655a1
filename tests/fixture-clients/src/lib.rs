//! The generator's output for every fixture spec in `tests/fixtures/specs/`, one module each
//! (written by `build.rs`), compiled with the runtime's dependencies and features so a
//! snapshot that does not compile fails the build. The test suite exercises them.
#![allow(
    dead_code,
    reason = "fixture clients are compiled in full; tests use only part of each"
)]

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
