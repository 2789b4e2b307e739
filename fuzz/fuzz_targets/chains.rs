#![no_main]
//! Fuzz target `chains`: see `edgelint::fuzzing::chains`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::chains(data));
