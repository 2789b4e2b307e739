#![no_main]
//! Fuzz target `certificate`: see `edgelint::fuzzing::certificate`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::certificate(data));
