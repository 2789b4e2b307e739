#![no_main]
//! Fuzz target `plan`: see `edgelint::fuzzing::plan`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::plan(data));
