#![no_main]
//! Fuzz target `topology`: see `edgelint::fuzzing::topology`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::topology(data));
