//! edgelint on inputs nobody on this project wrote: zlint's 1,382 test certificates, many of
//! them deliberately malformed. They live beside the repository (../shared/real-world/) and are
//! never copied here, so these tests are opt-in: `cargo test --test real_world -- --ignored`
//! (`.ci/run` does it, and then a missing corpus fails loudly).

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

#[test]
#[ignore = "needs the real-world corpus beside the repository; .ci/run runs it"]
fn zlint_corpus_every_unparsable_file_is_t003_and_nothing_crashes() {
    let corpus = common::root().join("../shared/real-world/zlint-testdata");
    assert!(
        corpus.is_dir(),
        "the real-world corpus is missing: expected zlint's test data at {} (shared/real-world/zlint-testdata beside the repository)",
        corpus.display()
    );
    let out = common::run(&[
        "check",
        "../shared/real-world/zlint-testdata",
        "--format",
        "json",
        "--now",
        common::NOW,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {stderr}",
        out.status.code()
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(doc["summary"]["files"], 1382);
    let reported: BTreeSet<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "T003")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();

    // Independently, through the library: which files hold something that does not parse?
    let mut unparsable = BTreeSet::new();
    let mut certificates = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = format!(
            "../shared/real-world/zlint-testdata/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let f = edgelint::load::certificate::load(path.clone(), Arc::from(name.as_str()), &bytes);
        certificates += f.certs.len();
        if !f.problems.is_empty() || f.certs.iter().any(|c| c.extension_error.is_some()) {
            unparsable.insert(name);
        } else if f.certs.is_empty() {
            // Nothing of ours in it: CRLs only.
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                text.contains("BEGIN X509 CRL"),
                "{} yielded nothing and no finding",
                path.display()
            );
        }
    }
    assert!(certificates > 1300, "only {certificates} certificates read");
    assert_eq!(reported, unparsable);
    assert!(!unparsable.is_empty());
}
