#![no_main]
//! Fuzz target `config`: see `edgelint::fuzzing::config`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::config(data));
