#![no_main]
//! Fuzz target `report`: see `edgelint::fuzzing::report`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::report(data));
