//! Bad input is a finding with a location, and the run goes on: never a panic, never a hang,
//! never a password or key bytes in the output.

mod common;
use common::{findings, run};

#[test]
fn hostile_yaml_ends_in_located_t001() {
    let (code, got) = findings(&["fixtures/hostile-yaml"]);
    assert_eq!(
        got,
        [
            "T001 error fixtures/hostile-yaml/alias-bomb.yaml:8:10 YAML aliases expand to more than 100000 nodes (an alias bomb?)",
            "T001 error fixtures/hostile-yaml/deep-nesting.yaml:3:129 YAML nested deeper than 64 levels",
            "T001 error fixtures/hostile-yaml/empty-document.yaml:1:1 the topology file lacks the required key `sip_domains`",
            "T001 error fixtures/hostile-yaml/empty-document.yaml:1:1 the topology file lacks the required key `version`",
            "T001 error fixtures/hostile-yaml/empty-document.yaml:1:11 `edge_pools` expects a list of Edge pools, found null",
            "T001 error fixtures/hostile-yaml/huge-duration.yaml:6:21 `token_lifetime` `100000000000000d` is outside MaxTokenLifetime's range, 1m to 180d",
            "T001 error fixtures/hostile-yaml/not-utf8.yaml:3:16 not UTF-8 text (invalid byte at offset 38)",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn hostile_certificate_files_are_t003_each() {
    let (code, got) = findings(&["fixtures/hostile"]);
    assert_eq!(
        got,
        [
            "T003 error fixtures/hostile/bad-base64.pem:1:1 PEM block `CERTIFICATE` is not valid base64",
            "T003 error fixtures/hostile/empty.pfx:1:1 empty PKCS#12 file",
            "T003 error fixtures/hostile/garbage-between.pem:26:1 PEM block `CERTIFICATE` is not valid base64",
            "T003 error fixtures/hostile/pkcs12-deep-nesting.pfx:1:1 not a PKCS#12 file: ASN.1 nested deeper than 32 levels",
            "T003 error fixtures/hostile/pkcs12-mac-iterations.pfx:1:1 PKCS#12 file cannot be read: the MAC's iteration count is 2,000,000, more than the 1,000,000 that edgelint computes",
            "T003 error fixtures/hostile/pkcs12-mac-zero-iterations.pfx:1:1 not a PKCS#12 file: the MAC's iteration count is 0",
            "T003 error fixtures/hostile/pkcs12-pbe-iterations.pfx:1:1 PKCS#12 file cannot be read: the encrypted data's PBKDF2 iteration count is 1,500,000, more than the 1,000,000 that edgelint computes",
            "T003 error fixtures/hostile/random-labelled.pem:1:1 certificate does not parse: invalid ASN.1 length",
            "T003 error fixtures/hostile/random.pem:1:1 not a DER certificate: not an X.509 structure (unexpected ASN.1 tag)",
            "T003 error fixtures/hostile/truncated.cer:1:1 not a DER certificate: the data is truncated",
            "T003 error fixtures/hostile/truncated.pfx:1:1 not a PKCS#12 file: the data is truncated",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn valid_blocks_around_garbage_are_still_checked() {
    // In mid-2028 the leaf (block at line 1) has expired; the broken block at line 26 is T003,
    // and the issuing CA after it is still read (it is valid until 2035).
    let (_, got) = findings(&[
        "fixtures/hostile/garbage-between.pem",
        "--now",
        "2028-06-01T00:00:00Z",
    ]);
    assert_eq!(
        got,
        [
            "V001 error fixtures/hostile/garbage-between.pem:1:1 certificate fixtures/hostile/garbage-between.pem (CN sip.contoso.com) expired on 2027-12-31 23:59:59 UTC",
            "T003 error fixtures/hostile/garbage-between.pem:26:1 PEM block `CERTIFICATE` is not valid base64",
        ]
    );
    let (_, got) = findings(&[
        "fixtures/hostile/garbage-between.pem",
        "--now",
        "2035-06-01T00:00:00Z",
        "--select",
        "V001",
    ]);
    assert_eq!(got.len(), 2, "leaf and CA after the garbage: {got:#?}");
}

#[test]
fn pem_with_text_dump_and_crlf_is_read() {
    let (code, got) = findings(&[
        "fixtures/hostile/../certs/edge-external-bundle-crlf.pem",
        "fixtures/hostile/text-before.pem",
    ]);
    assert_eq!((code, got), (0, vec![]));
    let (_, got) = findings(&[
        "fixtures/hostile/text-before.pem",
        "--now",
        "2030-01-01T00:00:00Z",
    ]);
    assert_eq!(
        got,
        ["V001 error fixtures/hostile/text-before.pem:68:1 certificate fixtures/hostile/text-before.pem (CN sip.contoso.com) expired on 2027-12-31 23:59:59 UTC"]
    );
}

#[test]
fn unreferenced_pkcs12_is_skipped_without_a_password_and_checked_with_one() {
    let doc = common::json(&["fixtures/certs/expired.pfx"]);
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(doc["summary"]["skipped"], 1);
    let out = common::edgelint()
        .env("EDGELINT_PFX_PASSWORD", "Secret123")
        .args([
            "check",
            "fixtures/certs/expired.pfx",
            "--format",
            "concise",
            "--now",
            common::NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fixtures/certs/expired.pfx:1:1: error: certificate fixtures/certs/expired.pfx (CN sip.contoso.com) expired on 2025-01-01 00:00:00 UTC [V001]\n"
    );
}

#[test]
fn referenced_only_skips_files_no_topology_names() {
    let (_, got) = findings(&["fixtures/hostile", "fixtures/clean", "--referenced-only"]);
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn huge_files_are_reported_not_read() {
    let dir = std::env::temp_dir().join(format!("edgelint-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut yaml = String::from("version: 1\nedge_pools:\n");
    yaml.push_str(&"# padding\n".repeat(500_000));
    std::fs::write(dir.join("topology.yaml"), yaml).unwrap();
    std::fs::write(dir.join("big.pem"), vec![b'A'; 17 * 1024 * 1024]).unwrap();
    let out = run(&["check", dir.to_str().unwrap(), "--format", "concise"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(text.contains("big.pem:1:1: error: file is 17825792 bytes, larger than the 16777216-byte limit [T003]"), "{text}");
    assert!(text.contains("topology.yaml:1:1: error: cannot read: file is 5000023 bytes, larger than the 4194304-byte limit [T001]"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn key_material_is_never_printed() {
    // An unencrypted key file sits in the walk; no format shows its content.
    let key =
        std::fs::read_to_string(common::root().join("fixtures/certs/edge-external.key")).unwrap();
    let body_line = key.lines().nth(1).unwrap();
    for format in ["human", "concise", "json"] {
        let out = run(&[
            "check",
            "fixtures/certs",
            "fixtures/k002",
            "--format",
            format,
            "--now",
            common::NOW,
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(body_line), "{format} printed key material");
    }
}

#[test]
fn a_missing_command_line_path_is_exit_2() {
    let out = run(&["check", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no/such/folder"));
    let out = run(&["check", ".", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
}
