#![no_main]
//! Fuzz target `topology_xml`: see `edgelint::fuzzing::topology_xml`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| edgelint::fuzzing::topology_xml(data));
