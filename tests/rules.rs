//! Every rule fires on its fixture and stays quiet on the clean fixtures. Each assertion names
//! the exact code, severity, location and message.

mod common;
use common::findings;

fn assert_findings(args: &[&str], expected_exit: i32, expected: &[&str]) {
    let (code, got) = findings(args);
    assert_eq!(got, expected, "findings of {args:?}");
    assert_eq!(code, expected_exit, "exit code of {args:?}");
}

#[test]
fn clean_fixtures_are_quiet_under_every_rule() {
    assert_findings(&["fixtures/clean"], 0, &[]);
    assert_findings(&["fixtures/clean-variants"], 0, &[]);
}

#[test]
fn t001_reports_a_syntax_error_at_its_place() {
    assert_findings(
        &["fixtures/t001-syntax", "--select", "T001"],
        1,
        &["T001 error fixtures/t001-syntax/topology.yaml:3:11 YAML syntax error: illegal placement of ':' indicator"],
    );
}

#[test]
fn t001_reports_every_schema_error_not_only_the_first() {
    assert_findings(
        &["fixtures/t001-schema", "--select", "T001"],
        1,
        &[
            "T001 error fixtures/t001-schema/topology.yaml:2:1 unknown key `sip_domain` in the topology file",
            "T001 error fixtures/t001-schema/topology.yaml:6:10 `nat` expects true or false, found a string",
            "T001 error fixtures/t001-schema/topology.yaml:9:7 unknown key `web_conference_edge` in `external`",
            "T001 error fixtures/t001-schema/topology.yaml:11:14 `servers` expects a list of servers, found a string",
            "T001 error fixtures/t001-schema/topology.yaml:14:54 `uses` has an unknown value `AudioVideo`",
            "T001 error fixtures/t001-schema/topology.yaml:16:27 `effective_date` `next tuesday` is not an RFC 3339 timestamp",
            "T001 error fixtures/t001-schema/topology.yaml:18:9 duplicate key `file` in a certificate entry",
        ],
    );
}

#[test]
fn t001_suggests_the_key_that_was_meant() {
    let doc = common::json(&["fixtures/t001-schema", "--select", "T001"]);
    let helps: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["help"].as_str())
        .collect();
    assert!(helps.contains(&"did you mean `sip_domains`?"), "{helps:?}");
    assert!(
        helps.contains(&"did you mean `web_conferencing_edge`?"),
        "{helps:?}"
    );
    assert!(
        helps.contains(&"did you mean `AudioVideoAuthentication`?"),
        "{helps:?}"
    );
    // The duplicate key points back at the first one.
    let dup = &doc["diagnostics"][6];
    assert_eq!(dup["related"][0]["line"], 17);
    assert_eq!(dup["related"][0]["message"], "first defined here");
}

#[test]
fn t001_reports_duplicate_assignments_and_pool_names_with_both_spans() {
    let doc = common::json(&["fixtures/t001-consistency", "--select", "T001"]);
    let d = doc["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2, "{doc}");
    assert_eq!(
        d[0]["message"],
        "two current certificates for AudioVideoAuthentication on pool edge-ams"
    );
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some(17), Some(16))
    );
    assert_eq!(
        (
            d[0]["related"][0]["line"].as_u64(),
            d[0]["related"][0]["column"].as_u64()
        ),
        (Some(14), Some(54))
    );
    assert_eq!(
        d[1]["message"],
        "pool name `edge-ams` is used twice in this file"
    );
    assert_eq!(
        (d[1]["line"].as_u64(), d[1]["column"].as_u64()),
        (Some(21), Some(11))
    );
    assert_eq!(d[1]["related"][0]["line"], 4);
}

#[test]
fn t001_file_gets_no_further_checks() {
    // The schema fixture names a PFX without password_env: no T004, no P001.
    let (_, got) = findings(&["fixtures/t001-schema"]);
    assert!(got.iter().all(|l| l.starts_with("T001")), "{got:#?}");
}

#[test]
fn t002_reports_every_missing_reference() {
    assert_findings(
        &["fixtures/t002", "--select", "T002"],
        1,
        &[
            "T002 error fixtures/t002/topology.yaml:15:15 `file` file ../certs/no-such-internal.crt cannot be read: no such file",
            "T002 error fixtures/t002/topology.yaml:16:14 `key` file ../certs/no-such-internal.key cannot be read: no such file",
            "T002 error fixtures/t002/topology.yaml:18:18 `request` file certs/renewal.csr cannot be read: no such file",
            "T002 error fixtures/t002/topology.yaml:21:15 `ca_bundle` file ../certs/ca cannot be read: not a regular file",
        ],
    );
}

#[test]
fn t002_missing_file_still_counts_as_assigned() {
    let (_, got) = findings(&["fixtures/t002", "--select", "P001"]);
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn t003_reports_unreadable_files_and_wrong_kinds() {
    assert_findings(
        &["fixtures/t003", "--select", "T003"],
        1,
        &[
            "T003 error fixtures/hostile/truncated.cer:1:1 not a DER certificate: the data is truncated",
            "T003 error fixtures/hostile/truncated.pfx:1:1 not a PKCS#12 file: the data is truncated",
            "T003 error fixtures/t003/topology.yaml:18:15 `file` names ../certs/edge-internal.key, which holds no certificate",
            "T003 error fixtures/t003/topology.yaml:19:14 `key` names ../certs/edge-internal.crt, which holds no private key",
            "T003 error fixtures/t003/topology.yaml:21:18 `request` names ../certs/edge-external.crt, which holds no certificate request",
        ],
    );
}

#[test]
fn t004_reports_missing_unset_and_wrong_passwords_without_printing_them() {
    assert_findings(
        &["fixtures/t004", "--select", "T004"],
        1,
        &[
            "T004 error fixtures/t004/topology.yaml:13:19 PKCS#12 file ../certs/edge-external.pfx is password-protected and its entry has no `password_env`",
            "T004 error fixtures/t004/topology.yaml:18:27 environment variable EDGELINT_TEST_UNSET_VARIABLE (password of PKCS#12 file ../certs/edge-external.pfx) is not set",
            "T004 error fixtures/t004/topology.yaml:22:23 the password in EDGE_WRONG_PASSWORD does not open PKCS#12 file ../certs/av.pfx",
            "T004 error fixtures/t004/topology.yaml:26:23 the password in EDGE_WRONG_PASSWORD does not open encrypted private key ../certs/edge-internal-enc.key",
        ],
    );
    for format in ["json", "human", "concise"] {
        let out = common::run(&[
            "check",
            "fixtures/t004",
            "--format",
            format,
            "--now",
            common::NOW,
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains("not-the-password") && !text.contains("Secret123"),
            "{text}"
        );
    }
}

#[test]
fn t005_reports_literal_secrets_and_never_their_value() {
    assert_findings(
        &["fixtures/t005", "--select", "T005"],
        1,
        &[
            "T005 error fixtures/t005/topology.yaml:13:9 literal `password:` in a topology file: a secret committed to the repository (its value is not shown)",
            "T005 error fixtures/t005/topology.yaml:17:9 literal `passphrase:` in a topology file: a secret committed to the repository (its value is not shown)",
        ],
    );
    let (_, all) = findings(&["fixtures/t005"]);
    assert!(
        all.iter().all(|l| !l.starts_with("T001")),
        "a secret key is not also an unknown key: {all:#?}"
    );
    let out = common::run(&["check", "fixtures/t005", "--now", common::NOW]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Secret123"));
}

#[test]
fn n001_fires_on_certificates_and_requests() {
    assert_findings(
        &["fixtures/n001", "--select", "N001"],
        1,
        &[
            "N001 error fixtures/n001/topology.yaml:14:19 certificate ../certs/external-no-access.pfx lacks SAN sip.contoso.com (Access Edge of pool edge-ams)",
            "N001 error fixtures/n001/topology.yaml:35:18 request ../certs/edge-external.csr lacks SAN access.fabrikam.com (Access Edge of pool edge-dub); a certificate issued from it would lack it too",
        ],
    );
}

#[test]
fn n001_help_gives_the_complete_name_set_and_command() {
    let doc = common::json(&["fixtures/n001", "--select", "N001"]);
    let d = &doc["diagnostics"][0];
    assert_eq!(
        d["help"],
        "request a certificate with subject sip.contoso.com whose SAN lists: sip.contoso.com, webcon.contoso.com, sip.fabrikam.com\n\
         Request-CsCertificate -New -Type AccessEdgeExternal,DataEdgeExternal -Output edge-ams-external.req \
         -DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com\" -FriendlyName \"edge-ams external\" \
         -KeySize 2048 -PrivateKeyExportable $true"
    );
    assert_eq!(d["related"][0]["message"], "Access Edge FQDN defined here");
    assert_eq!(d["related"][0]["line"], 7);
    assert_eq!(
        (
            d["line"].as_u64(),
            d["end_line"].as_u64(),
            d["end_column"].as_u64()
        ),
        (Some(14), Some(14), Some(50))
    );
}

#[test]
fn n002_fires_except_in_the_single_fqdn_layout() {
    assert_findings(
        &["fixtures/n002", "--select", "N002"],
        1,
        &["N002 error fixtures/n002/topology.yaml:12:15 certificate ../certs/external-no-webcon.pfx lacks SAN webcon.contoso.com (Web Conferencing Edge of pool edge-ams)"],
    );
}

#[test]
fn n002_does_not_check_av_only_certificates() {
    // The same certificate assigned to AudioVideoAuthentication alone (line 15) is not reported.
    let (_, got) = findings(&["fixtures/n002", "--select", "N"]);
    assert_eq!(got.len(), 1, "{got:#?}");
}

#[test]
fn n005_fires_on_external_and_reverse_proxy_certificates() {
    assert_findings(
        &["fixtures/n005", "--select", "N005"],
        1,
        &[
            "N005 error fixtures/n005/topology.yaml:12:15 certificate ../certs/external-cn-not-in-san.pfx has subject CN edge.contoso.com, which is not among its SANs",
            "N005 error fixtures/n005/topology.yaml:24:11 certificate ../certs/external-cn-not-in-san.pfx has subject CN edge.contoso.com, which is not among its SANs",
        ],
    );
}

#[test]
fn k001_fires_on_a_keyless_pfx_and_warns_on_a_bare_certificate() {
    assert_findings(
        &["fixtures/k001", "--select", "K001"],
        1,
        &[
            "K001 error fixtures/k001/topology.yaml:12:15 PKCS#12 file ../certs/edge-external-nokey.pfx holds no private key",
            "K001 warning fixtures/k001/topology.yaml:18:15 certificate ../certs/edge-internal.crt has neither `key` nor `exportable`: whether its private key exists and is exportable cannot be verified",
        ],
    );
}

#[test]
fn k002_fires_on_a_key_that_does_not_match() {
    assert_findings(
        &["fixtures/k002", "--select", "K002"],
        1,
        &["K002 error fixtures/k002/topology.yaml:19:14 private key in ../certs/other.key does not match certificate ../certs/edge-internal.crt (CN edgepool.corp.contoso.com)"],
    );
    assert_findings(
        &["fixtures/k002-pfx", "--select", "K002"],
        1,
        &["K002 error fixtures/k002-pfx/topology.yaml:12:15 the private key in ../certs/mismatched-key.pfx does not match its certificate (CN sip.contoso.com)"],
    );
}

#[test]
fn v001_fires_on_an_expired_certificate() {
    assert_findings(
        &["fixtures/v001", "--select", "V"],
        1,
        &["V001 error fixtures/v001/topology.yaml:12:15 certificate ../certs/expired.pfx (CN sip.contoso.com) expired on 2025-01-01 00:00:00 UTC"],
    );
}

#[test]
fn v001_judges_every_certificate_of_the_chain() {
    // In 2036 the issuing CA (2035) has expired too, and it sits in the chain file.
    let (_, got) = findings(&[
        "fixtures/clean-variants",
        "--select",
        "V001",
        "--now",
        "2036-01-01T00:00:00Z",
    ]);
    assert!(got.contains(&"V001 error fixtures/clean-variants/topology.yaml:66:15 CA certificate Contoso Test Issuing CA in ../certs/ca/chain.pem expired on 2035-01-01 00:00:00 UTC".to_string()), "{got:#?}");
    assert!(
        got.contains(&"V001 error fixtures/clean-variants/topology.yaml:31:19 CA certificate Contoso Test Issuing CA in ../certs/edge-external-chain.pem expired on 2035-01-01 00:00:00 UTC".to_string()),
        "{got:#?}"
    );
}

#[test]
fn v002_fires_on_a_certificate_not_yet_valid() {
    assert_findings(
        &["fixtures/v002", "--select", "V"],
        1,
        &["V002 error fixtures/v002/topology.yaml:12:15 certificate ../certs/not-yet-valid.pfx (CN sip.contoso.com) is not valid before 2027-01-01 00:00:00 UTC"],
    );
}

#[test]
fn v003_warns_before_expiry_unless_every_use_is_staged() {
    assert_findings(
        &["fixtures/v003", "--select", "V"],
        0,
        &["V003 warning fixtures/v003/topology.yaml:12:15 certificate ../certs/expiring-soon.pfx (CN sip.contoso.com) expires on 2026-12-10 00:00:00 UTC, in 13 days"],
    );
    assert_findings(&["fixtures/v003-staged", "--select", "V"], 0, &[]);
    assert_findings(
        &["fixtures/v003-partly-staged", "--select", "V"],
        0,
        &["V003 warning fixtures/v003-partly-staged/topology.yaml:12:15 certificate ../certs/expiring-soon.pfx (CN sip.contoso.com) expires on 2026-12-10 00:00:00 UTC, in 13 days; no staged replacement for AccessEdgeExternal, DataEdgeExternal"],
    );
}

#[test]
fn v003_window_is_configurable() {
    let (_, got) = findings(&[
        "fixtures/v003",
        "--select",
        "V003",
        "--expiry-warning-days",
        "10",
    ]);
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn p001_fires_per_server_and_ignores_requests_and_staged_entries() {
    assert_findings(
        &["fixtures/p001", "--select", "P001"],
        1,
        &["P001 error fixtures/p001/topology.yaml:11:9 server edge01.corp.contoso.com of pool edge-ams has no current certificate for AudioVideoAuthentication, Internal"],
    );
}

#[test]
fn fail_on_and_select_by_name_and_prefix() {
    let (code, _) = findings(&["fixtures/v003", "--fail-on", "warning"]);
    assert_eq!(code, 1);
    let (code, got) = findings(&[
        "fixtures/n002",
        "--select",
        "san-missing-web-conferencing-edge",
    ]);
    assert_eq!((code, got.len()), (1, 1));
    let (code, got) = findings(&["fixtures/n002", "--ignore", "N,P"]);
    assert_eq!((code, got), (0, vec![]));
    let (code, _) = findings(&["fixtures/n002", "--fail-on", "never"]);
    assert_eq!(code, 0);
}
