#![no_main]
//! Fuzz target `cache_entry`: see `edgelint::fuzzing::cache_entry`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::cache_entry(data));
