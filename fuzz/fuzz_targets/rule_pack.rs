#![no_main]
//! Fuzz target `rule_pack`: see `edgelint::fuzzing::rule_pack`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::rule_pack(data));
