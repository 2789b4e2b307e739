//! edgelint on inputs nobody on this project wrote: zlint's 1,382 test certificates, many of
//! them deliberately malformed. They live beside the repository (../shared/real-world/) and are
//! never copied here, so these tests are opt-in: `cargo test --test real_world -- --ignored`
//! (`.ci/run` does it, and then a missing corpus fails loudly). Also the two real topology
//! documents there (`topologies/`), through `edgelint import`.

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

/// `edgelint import` of a real topology document from ../shared/real-world/topologies/: the
/// topology file it writes, as the loader reads it, and the codes `check` reports on it.
fn import_real(name: &str) -> (edgelint::model::topology::Topology, Vec<String>) {
    let rel = format!("../shared/real-world/topologies/{name}");
    assert!(
        common::root().join(&rel).is_file(),
        "the real-world topology is missing: expected {} (shared/real-world/topologies beside the repository)",
        common::root().join(&rel).display()
    );
    let dir = std::env::temp_dir().join(format!(
        "edgelint-real-import-{}-{name}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("topology.yaml");
    let out = common::run(&["import", &rel, "-o", out_file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
    let text = std::fs::read_to_string(&out_file).unwrap();
    assert!(
        text.starts_with(&format!("# imported from {rel} (sha256 ")),
        "{text}"
    );
    let file =
        edgelint::load::topology_from_text(&out_file, Arc::from("topology.yaml"), &text, true)
            .expect("a topology file");
    assert!(file.problems.is_empty(), "{name}: {:?}", file.problems);
    let doc = common::json(&[out_file.to_str().unwrap()]);
    let codes = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    std::fs::remove_dir_all(&dir).unwrap();
    (file.topology.unwrap(), codes)
}

fn values(v: &[edgelint::model::topology::Sp<String>]) -> Vec<&str> {
    v.iter().map(|s| s.value.as_str()).collect()
}

#[test]
#[ignore = "needs the real-world topologies beside the repository; .ci/run runs it"]
fn automatedlab_topology_builder_document_imports_its_edge_pool() {
    let (t, codes) = import_real("automatedlab-contoso.tbxml");
    assert_eq!(values(&t.sip_domains), ["contoso.com"]);
    assert_eq!(t.edge_pools.len(), 1);
    let pool = &t.edge_pools[0];
    assert_eq!(pool.internal_fqdn.value, "edgepool.contoso.com");
    let servers: Vec<&str> = pool.servers.iter().map(|s| s.fqdn.value.as_str()).collect();
    assert_eq!(
        servers,
        [
            "xedge1.contoso.com",
            "xedge2.contoso.com",
            "xedge3.contoso.com"
        ]
    );
    let e = &pool.external;
    for fqdn in [&e.access_edge, &e.web_conferencing_edge, &e.av_edge] {
        assert_eq!(fqdn.value, "ExternalEdge.contoso.com");
    }
    assert_eq!(
        values(&t.xmpp.as_ref().expect("XMPP on").domains),
        ["contoso.com"]
    );
    assert!(!codes.iter().any(|c| c == "T001"), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| *c == "P001").count(),
        3,
        "{codes:?}"
    );
}

#[test]
#[ignore = "needs the real-world topologies beside the repository; .ci/run runs it"]
fn ibenbouzid_published_topology_imports_its_single_edge() {
    let (t, codes) = import_real("ibenbouzid-default-topology.xml");
    assert_eq!(values(&t.sip_domains), ["contoso.com"]);
    assert_eq!(t.edge_pools.len(), 1);
    let pool = &t.edge_pools[0];
    assert_eq!(pool.internal_fqdn.value, "Edge.contoso.com");
    let servers: Vec<&str> = pool.servers.iter().map(|s| s.fqdn.value.as_str()).collect();
    assert_eq!(servers, ["Edge.contoso.com"]);
    let e = &pool.external;
    for fqdn in [&e.access_edge, &e.web_conferencing_edge, &e.av_edge] {
        assert_eq!(fqdn.value, "sip.contoso.com");
    }
    assert!(t.xmpp.is_none(), "no XMPP proxy in this topology");
    assert!(!codes.iter().any(|c| c == "T001"), "{codes:?}");
    assert_eq!(codes, ["P001"]);
}

#[test]
#[ignore = "needs the real-world topologies beside the repository; .ci/run runs it"]
fn real_topology_values_are_located_in_the_xml() {
    for name in [
        "automatedlab-contoso.tbxml",
        "ibenbouzid-default-topology.xml",
    ] {
        let path = common::root()
            .join("../shared/real-world/topologies")
            .join(name);
        let xml = edgelint::topology_xml::read(&path)
            .unwrap_or_else(|r| panic!("{name}: {:?}", r.problems));
        let plan = xml.plan().unwrap();
        let pool = &plan.edge_pools[0];
        for v in [
            &pool.internal_fqdn,
            &pool.access_edge.fqdn,
            &pool.av_edge.fqdn,
        ]
        .into_iter()
        .chain(&pool.servers)
        {
            assert_eq!(&xml.text[v.span.clone()], v.value, "{name}");
            assert_eq!(
                xml.lines.line_col(&xml.text, v.span.start),
                (v.line, v.column)
            );
        }
    }
}
