#![no_main]
//! Fuzz target `lsp`: see `edgelint::fuzzing::lsp`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::lsp(data));
