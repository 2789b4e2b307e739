//! The bundled example repository, as a newcomer sees it.

mod common;

fn example(format: &str) -> (Option<i32>, String) {
    let out = common::run(&[
        "check",
        "examples/contoso",
        "--format",
        format,
        "--now",
        common::NOW,
    ]);
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

#[test]
fn human_output_of_the_example() {
    let (code, text) = example("human");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn human_output_is_stable_across_runs() {
    assert_eq!(example("human"), example("human"));
}

#[test]
fn concise_output_of_the_example() {
    let (code, text) = example("concise");
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(text);
}

#[test]
fn no_subcommand_means_check() {
    let with = common::run(&[
        "check",
        "examples/contoso",
        "--format",
        "concise",
        "--now",
        common::NOW,
    ]);
    let without = common::run(&[
        "examples/contoso",
        "--format",
        "concise",
        "--now",
        common::NOW,
    ]);
    assert_eq!(with.stdout, without.stdout);
    assert_eq!(with.status.code(), without.status.code());
}

#[test]
fn two_formats_in_one_run() {
    let file =
        std::env::temp_dir().join(format!("edgelint-two-formats-{}.json", std::process::id()));
    let out = common::run(&[
        "check",
        "examples/contoso",
        "--now",
        common::NOW,
        "--format",
        "json",
        "--output-file",
        file.to_str().unwrap(),
        "--format",
        "concise",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    std::fs::remove_file(&file).unwrap();
    let concise = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        concise.lines().count(),
        json["diagnostics"].as_array().unwrap().len()
    );
    assert!(concise
        .lines()
        .all(|l| l.starts_with("examples/contoso/topology.yaml:")));
}

#[test]
fn rules_lists_every_registered_rule() {
    let out = common::run(&["rules"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for code in [
        "T001", "T002", "T003", "T004", "T005", "N001", "N002", "N005", "K001", "K002", "V001",
        "V002", "V003", "P001",
    ] {
        assert!(
            text.lines().any(|l| l.starts_with(code)),
            "{code} missing from `edgelint rules`"
        );
    }
}

#[test]
fn the_example_rule_pack_adds_the_organisations_rules() {
    let base = [
        "check",
        "examples/contoso",
        "--format",
        "concise",
        "--now",
        common::NOW,
    ];
    let without = String::from_utf8(common::run(&base).stdout).unwrap();
    assert!(!without.contains("[X1"), "{without}");
    let mut with = base.to_vec();
    with.extend([
        "--config",
        "examples/rule-pack/.edgelint.toml",
        "--select",
        "X",
    ]);
    let out = String::from_utf8(common::run(&with).stdout).unwrap();
    assert_eq!(
        out,
        "examples/contoso/topology.yaml:23:19: error: certificate certs/edge02-external.pfx: RSA 2048-bit key; Contoso policy 4.2 requires RSA 4096 [X101]\n\
         examples/contoso/topology.yaml:27:15: error: certificate certs/edge-external.pfx: RSA 2048-bit key; Contoso policy 4.2 requires RSA 4096 [X101]\n\
         examples/contoso/topology.yaml:30:15: error: certificate certs/av.pfx: RSA 2048-bit key; Contoso policy 4.2 requires RSA 4096 [X101]\n\
         examples/contoso/topology.yaml:34:15: error: certificate certs/edge-internal.crt: RSA 2048-bit key; Contoso policy 4.2 requires RSA 4096 [X101]\n\
         examples/contoso/topology.yaml:39:18: error: request certs/webcon-2027.csr: RSA 2048-bit key; Contoso policy 4.2 requires RSA 4096 [X101]\n\
         examples/contoso/topology.yaml:49:11: error: certificate certs/reverse-proxy.crt: RSA 2048-bit key; Contoso policy 4.2 requires RSA 4096 [X101]\n"
    );
    // X102 (issuer) holds in the example; the rules are listed and explained like built-ins.
    let mut ignore = with.clone();
    ignore.extend(["--ignore", "contoso-rsa-4096"]);
    assert_eq!(String::from_utf8(common::run(&ignore).stdout).unwrap(), "");
}

#[test]
fn a_malformed_rule_pack_is_exit_2_with_located_errors() {
    let dir = std::env::temp_dir().join(format!("edgelint-badpack-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("edgelint.toml"), "rule_packs = [\"pack.yaml\"]\n").unwrap();
    std::fs::write(
        dir.join("pack.yaml"),
        "rules:\n  - code: N101\n    name: mine\n    severity: fatal\n    template: key-size\n    scope: [external]\n    params: {min_bits: 4096}\n    message: m\n",
    )
    .unwrap();
    let config = dir.join("edgelint.toml");
    let out = common::run(&[
        "check",
        "fixtures/clean",
        "--config",
        config.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("pack.yaml:2:11: user rule codes start with X"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "pack.yaml:4:15: `severity` has an unknown value `fatal`; one of: error, warning, info"
        ),
        "{stderr}"
    );
}

/// `examples/contoso-xml` is `examples/contoso` with its pools, servers, external FQDNs, SIP
/// domains and published names read from Topology Builder's document: the same findings, and
/// the one about a value of the XML (the short server name) located in the XML.
#[test]
fn the_xml_backed_example_has_the_findings_of_the_example() {
    let strip = |line: &str| {
        line.replace("examples/contoso-xml/topology.yaml", "TOPOLOGY")
            .replace("examples/contoso/topology.yaml", "TOPOLOGY")
            .replace("../contoso/certs/", "certs/")
    };
    let (_, xml) = common::findings(&["examples/contoso-xml"]);
    let (_, yaml) = common::findings(&["examples/contoso"]);
    let without_place = |l: &String| {
        let mut parts = strip(l)
            .splitn(4, ' ')
            .map(str::to_string)
            .collect::<Vec<_>>();
        parts.remove(2); // file:line:col
        parts.join(" ")
    };
    let mut a: Vec<String> = xml.iter().map(without_place).collect();
    let mut b: Vec<String> = yaml.iter().map(without_place).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    assert!(
        xml.contains(&"T006 warning examples/contoso-xml/topology.tbxml:38:32 server FQDN `edge01` of pool edge-ams is a single-label name, not an FQDN".to_string()),
        "{xml:#?}"
    );
}
