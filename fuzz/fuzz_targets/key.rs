#![no_main]
//! Fuzz target `key`: see `edgelint::fuzzing::key`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::key(data));
