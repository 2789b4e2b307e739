#![no_main]
//! Fuzz target `pkcs12`: see `edgelint::fuzzing::pkcs12`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::pkcs12(data));
