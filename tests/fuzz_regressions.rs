//! Inputs the fuzzers (fuzz/run.sh) or probes once broke edgelint with, kept as tests: every
//! file under tests/fuzz-regressions/<target>/ runs through that target again, within a time
//! limit. A new crash input goes there once it is fixed.

use std::time::Duration;

#[test]
fn every_regression_input_runs_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut ran = 0;
    for target in edgelint::fuzzing::TARGETS {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let (send, receive) = std::sync::mpsc::channel();
            let name = path.display().to_string();
            std::thread::spawn(move || {
                edgelint::fuzzing::run(target, &data);
                let _ = send.send(());
            });
            receive
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("{name}: no result within 20 s (a hang or a panic)"));
            ran += 1;
        }
    }
    assert!(ran >= 2, "the regression inputs are missing");
}
