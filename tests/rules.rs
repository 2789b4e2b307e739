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
            "T002 error fixtures/t002/topology.yaml:21:15 `ca_bundle` file ../certs/ca cannot be read: not a regular file (a folder)",
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
            "T004 error fixtures/t004/topology.yaml:32:19 environment variable EDGE_EMPTY_PASSWORD is empty, and PKCS#12 file ../certs/external-no-webcon.pfx needs a password (neither the empty nor the null password opens it)",
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
fn t004_warns_when_edgelint_pfx_password_does_not_open_an_unreferenced_file() {
    // A folder holding one PKCS#12 file that no topology names: the user asked for it to be
    // read (EDGELINT_PFX_PASSWORD is set), so a wrong password is a warning at the file, not
    // silence; the right one opens it and its leaf is checked.
    let dir = std::env::temp_dir().join(format!("edgelint-t004-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        common::root().join("fixtures/certs/edge-external.pfx"),
        dir.join("edge.pfx"),
    )
    .unwrap();
    let run = |password: &str| {
        let out = common::edgelint()
            .args(["check", "--format", "concise", "--now", common::NOW])
            .arg(&dir)
            .env("EDGELINT_PFX_PASSWORD", password)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, wrong) = run("wrong");
    let (_, right) = run("Secret123");
    std::fs::remove_dir_all(&dir).unwrap();
    let file = dir.join("edge.pfx");
    assert_eq!(
        wrong,
        format!(
            "{f}:1:1: warning: EDGELINT_PFX_PASSWORD does not open {f} (wrong password); it was not checked [T004]\n",
            f = common::shown(&file)
        )
    );
    assert_eq!(code, Some(0), "a warning does not fail the run");
    assert!(!right.contains("T004"), "{right}");
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
    // The same certificate assigned to AudioVideoAuthentication alone (line 15) is not reported
    // (N004's info on the external assignment, line 12, is the certificate's other finding).
    let (_, got) = findings(&["fixtures/n002", "--select", "N"]);
    assert!(
        !got.is_empty() && got.iter().all(|l| !l.contains("topology.yaml:15:")),
        "{got:#?}"
    );
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
    let (code, got) = findings(&["fixtures/n002", "--select", "N002,P001", "--ignore", "N,P"]);
    assert_eq!((code, got), (0, vec![]));
    let (code, _) = findings(&["fixtures/n002", "--fail-on", "never"]);
    assert_eq!(code, 0);
}

#[test]
fn configuration_sets_severity_ignores_and_failing_severity_and_the_command_line_wins() {
    let args = [
        "fixtures/config",
        "--config",
        "fixtures/config/edgelint.toml",
        "--select",
        "N002,P001",
    ];
    let (code, got) = findings(&args);
    assert_eq!(code, 1, "fail_on = warning from the file: {got:#?}");
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("N002 warning "), "{got:#?}");
    let mut with_cli = args.to_vec();
    with_cli.extend(["--fail-on", "error"]);
    assert_eq!(findings(&with_cli).0, 0, "--fail-on overrides the file");
    let (_, isolated) = findings(&["fixtures/config", "--isolated", "--select", "N002,P001"]);
    assert_eq!(
        isolated.len(),
        2,
        "--isolated reads no configuration: {isolated:#?}"
    );
}

#[test]
fn an_invalid_configuration_is_exit_2_with_its_location() {
    let dir = std::env::temp_dir().join(format!("edgelint-badconfig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("edgelint.toml");
    std::fs::write(&file, "select = [\"N\"]\nfail_on = \"sometimes\"\n").unwrap();
    let out = common::run(&[
        "check",
        "fixtures/clean",
        "--config",
        file.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("edgelint.toml:2:11: fail_on must be one of error, warning, info, never, not `sometimes`"), "{stderr}");
}

#[test]
fn n003_help_gives_the_complete_name_set_and_points_at_the_sip_domain() {
    let doc = common::json(&["fixtures/n003", "--select", "N003"]);
    let d = &doc["diagnostics"][0];
    assert_eq!(
        d["help"],
        "request a certificate with subject sip.contoso.com whose SAN lists: sip.contoso.com, webcon.contoso.com, sip.fabrikam.com\n\
         Request-CsCertificate -New -Type AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication -Output edge-ams-external.req \
         -DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com\" -FriendlyName \"edge-ams external\" \
         -KeySize 2048 -PrivateKeyExportable $true"
    );
    assert_eq!(d["related"][0]["message"], "SIP domain defined here");
    assert_eq!(
        (
            d["related"][0]["line"].as_u64(),
            d["related"][0]["column"].as_u64()
        ),
        (Some(5), Some(28))
    );
}

#[test]
fn n004_is_info_and_its_help_says_the_av_edge_fqdn_is_optional() {
    let (code, got) = findings(&["fixtures/n004", "--select", "N004"]);
    assert_eq!(code, 0, "an info finding never fails the run: {got:#?}");
    let doc = common::json(&["fixtures/n004", "--select", "N004"]);
    let d = &doc["diagnostics"][0];
    let help = d["help"].as_str().unwrap();
    assert!(
        help.starts_with("adding av.contoso.com is optional: the A/V Edge service does not use the certificate's names"),
        "{help}"
    );
    assert!(
        help.ends_with(
            "Request-CsCertificate -New -Type AccessEdgeExternal,DataEdgeExternal,AudioVideoAuthentication -Output edge-ams-external.req \
             -DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com,av.contoso.com\" -FriendlyName \"edge-ams external\" \
             -KeySize 2048 -PrivateKeyExportable $true"
        ),
        "{help}"
    );
    assert_eq!(d["related"][0]["message"], "A/V Edge FQDN defined here");
    assert_eq!(d["related"][0]["line"], 12);
}

#[test]
fn n007_help_fits_the_certificate_role() {
    let doc = common::json(&["fixtures/n007", "--select", "N007"]);
    let d = doc["diagnostics"].as_array().unwrap();
    let help = |i: usize| d[i]["help"].as_str().unwrap().to_string();
    // External (line 18), internal (21), A/V-only (28), reverse proxy (44).
    assert!(
        help(0).contains("-Type AccessEdgeExternal,DataEdgeExternal -Output edge-ams-external.req")
    );
    assert!(help(1).starts_with("request a certificate with subject edgepool.corp.contoso.com"));
    assert_eq!(
        help(2),
        "request a certificate with an explicit subject; the A/V Authentication service does not use its names, \
         so the pool's external names serve: subject sip.contoso.com, SAN: sip.contoso.com, webcon.contoso.com, sip.fabrikam.com\n\
         Request-CsCertificate -New -Type AudioVideoAuthentication -Output edge-ams-av.req \
         -DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com\" -FriendlyName \"edge-ams av\" -KeySize 2048 -PrivateKeyExportable $true"
    );
    assert_eq!(d[5]["line"], 44);
    assert!(help(5).starts_with("request a certificate with subject webext.contoso.com whose SAN lists: webext.contoso.com, meet.contoso.com, dialin.contoso.com\n"));
}

#[test]
fn n008_xmpp_warning_points_at_the_xmpp_domain() {
    let doc = common::json(&["fixtures/n008", "--select", "N008"]);
    let d = &doc["diagnostics"][0];
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["related"][0]["message"], "XMPP domain defined here");
    assert_eq!(
        (
            d["related"][0]["line"].as_u64(),
            d["related"][0]["column"].as_u64()
        ),
        (Some(9), Some(13))
    );
    assert!(d["help"]
        .as_str()
        .unwrap()
        .contains("-DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com,contoso.com,xmpp.contoso.com\""));
}

#[test]
fn n011_help_gives_the_internal_subject_and_the_ca_hint() {
    let doc = common::json(&["fixtures/n011", "--select", "N011"]);
    let d = &doc["diagnostics"][1];
    assert_eq!(
        d["help"],
        "request a certificate with subject edgepool.corp.contoso.com (the internal FQDN of pool edge-ams); no SAN is needed\n\
         Request-CsCertificate -New -Type Internal -Output edge-ams-internal.req -FriendlyName \"edge-ams internal\" \
         -KeySize 2048 -PrivateKeyExportable $true\n\
         from the organisation's internal CA, use -CA <CA FQDN>\\<CA name> instead of -Output edge-ams-internal.req"
    );
    assert_eq!(
        d["related"][0]["message"],
        "pool internal FQDN defined here"
    );
    assert_eq!(
        (
            d["related"][0]["line"].as_u64(),
            d["related"][0]["column"].as_u64()
        ),
        (Some(9), Some(20))
    );
}

#[test]
fn w001_help_gives_the_reverse_proxy_name_set_and_explains_the_wildcard() {
    let doc = common::json(&["fixtures/w001", "--select", "W001"]);
    let d = doc["diagnostics"].as_array().unwrap();
    let names = [
        "webext.contoso.com",
        "meet.contoso.com",
        "meet.fabrikam.com",
        "dialin.contoso.com",
        "owa.contoso.com",
        "lyncdiscover.contoso.com",
        "lyncdiscover.fabrikam.com",
    ];
    let summary = format!(
        "request a certificate with subject webext.contoso.com whose SAN lists: {}",
        names.join(", ")
    );
    let openssl = format!(
        "openssl req -new -newkey rsa:2048 -nodes -keyout contoso-prod-reverse-proxy.key \
         -out contoso-prod-reverse-proxy.csr -subj \"/CN=webext.contoso.com\" \
         -addext \"subjectAltName={}\" -addext \"extendedKeyUsage=serverAuth\"",
        names.map(|n| format!("DNS:{n}")).join(",")
    );
    // lyncdiscover.fabrikam.com (under no wildcard) points at the SIP domain; the admin simple
    // URL is internal only and never asked for.
    assert_eq!(d.len(), 3, "{doc:#}");
    assert!(d[0]["message"]
        .as_str()
        .unwrap()
        .contains("lyncdiscover.fabrikam.com"));
    assert_eq!(d[0]["related"][0]["line"], 8);
    let help = d[0]["help"].as_str().unwrap();
    assert!(help.starts_with(&format!("{summary}\n{openssl}\nor on Windows: certreq -new contoso-prod-reverse-proxy.inf contoso-prod-reverse-proxy.csr")), "{help}");
    assert!(!help.contains("Request-CsCertificate"), "{help}");
    let fix = &d[0]["fix"];
    assert_eq!(fix["role"], "reverse_proxy");
    assert_eq!(fix["subject"], "webext.contoso.com");
    assert_eq!(fix["san"], serde_json::json!(names));
    let kinds: Vec<&str> = fix["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["openssl", "certreq"]);
    assert_eq!(fix["commands"][0]["text"], openssl.as_str());
    assert!(d[1]["message"]
        .as_str()
        .unwrap()
        .contains("meet.fabrikam.com"));
    assert!(d[1]["help"].as_str().unwrap().starts_with(&summary));
    // owa.contoso.com is under *.contoso.com, but no wildcard stands for Office Web Apps.
    assert!(d[2]["help"].as_str().unwrap().starts_with(
        "*.contoso.com does not cover owa.contoso.com: a wildcard stands only for the simple URLs and lyncdiscover names"
    ));
    assert_eq!(
        d[2]["related"][0]["message"],
        "Office Web Apps FQDN defined here"
    );
}

/// `(line, column, message)` of each related location of the `i`th finding.
fn related_of(doc: &serde_json::Value, i: usize) -> Vec<(u64, u64, String)> {
    doc["diagnostics"][i]["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn topology_pool_and_roll_rules_are_quiet_on_the_clean_fixtures() {
    for dir in [
        "fixtures/clean",
        "fixtures/clean-variants",
        "fixtures/v003-staged",
    ] {
        assert_findings(
            &[dir, "--select", "T006,T007,T008,T009,T010,T011,P,R"],
            0,
            &[],
        );
    }
}

#[test]
fn t006_errors_and_warnings_on_topology_and_certificate_names() {
    let (code, got) = findings(&["fixtures/t006", "--select", "T006"]);
    assert_eq!(code, 1);
    assert!(got.contains(&"T006 error fixtures/t006/topology.yaml:16:9 server FQDN `edge_01.corp.contoso.com` of pool edge-ams contains an underscore".to_string()), "{got:#?}");
    assert!(got.contains(&"T006 warning fixtures/t006/topology.yaml:4:47 SIP domain `contoso` is a single-label name, not an FQDN".to_string()), "{got:#?}");
    // A trailing dot is fine: edgepool.corp.contoso.com. is not reported.
    assert_eq!(got.len(), 10, "{got:#?}");
    // Certificate names: once per name, at the first `file:` naming the certificate; the
    // wildcard SAN is left to N008.
    let (_, got) = findings(&["fixtures/t006-certificate", "--select", "T006"]);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert!(
        got.iter().all(|l| l.contains("topology.yaml:17:19")),
        "{got:#?}"
    );
    assert!(got.iter().all(|l| !l.contains("*.contoso.com")), "{got:#?}");
}

#[test]
fn t007_to_t011_point_at_the_second_place_and_name_the_first() {
    let doc = common::json(&["fixtures/t007", "--select", "T007"]);
    assert_eq!(
        related_of(&doc, 0),
        vec![(13, 9, "first listed here".to_string())]
    );
    assert_eq!(
        related_of(&doc, 1),
        vec![(14, 9, "first listed in pool edge-ams".to_string())]
    );
    let doc = common::json(&["fixtures/t008", "--select", "T008"]);
    assert_eq!(
        related_of(&doc, 0),
        vec![(3, 10, "product sfb2019".to_string())]
    );
    let doc = common::json(&["fixtures/t009", "--select", "T009"]);
    assert_eq!(
        related_of(&doc, 0),
        vec![(7, 21, "hardware load balancing".to_string())]
    );
    let doc = common::json(&["fixtures/t011", "--select", "T011"]);
    assert_eq!(
        related_of(&doc, 1),
        vec![(
            7,
            17,
            "pool edge-ams enabled for federation here".to_string()
        )]
    );
}

#[test]
fn p002_compares_fingerprints_not_paths() {
    // edge12 holds edge11's certificate in a DER file: not reported. edge03's file is missing:
    // skipped, and still assigned (no P001).
    assert_findings(
        &["fixtures/p002", "--select", "P"],
        1,
        &[
            "P002 error fixtures/p002/topology.yaml:18:19 server edge02.corp.contoso.com of pool edge-ams has A/V certificate ../certs/edge-external.pfx (CN sip.contoso.com, SHA-256 356e0c44b4f039d7...), not the pool's ../certs/av.pfx (CN av.contoso.com, SHA-256 63607787125c2070...)",
            "P002 error fixtures/p002/topology.yaml:58:19 server edge13.corp.contoso.com of pool edge-ber has A/V certificate ../certs/av.pfx (CN av.contoso.com, SHA-256 63607787125c2070...), not server edge11.corp.contoso.com's ../certs/edge-external.pfx (CN sip.contoso.com, SHA-256 356e0c44b4f039d7...)",
        ],
    );
    let doc = common::json(&["fixtures/p002", "--select", "P002"]);
    assert_eq!(
        related_of(&doc, 0),
        vec![(30, 15, "the pool's A/V certificate".to_string())]
    );
}

#[test]
fn r002_and_r003_exclude_each_other_and_r003_escalates_for_oauth() {
    let (code, got) = findings(&["fixtures/r003", "--select", "R002,R003"]);
    assert_eq!(code, 1);
    let codes: Vec<String> = got
        .iter()
        .map(|l| l.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        codes,
        [
            "R003 warning",
            "R003 warning",
            "R003 error",
            "R003 error",
            "R002 error"
        ],
        "{got:#?}"
    );
    // One finding for a pool-level staged entry that applies to three servers.
    let (_, got) = findings(&["fixtures/r002", "--select", "R"]);
    assert_eq!(got.len(), 2, "{got:#?}");
    let doc = common::json(&["fixtures/r002", "--select", "R002"]);
    assert_eq!(
        related_of(&doc, 0),
        vec![(
            18,
            15,
            "current certificate, expires 2026-12-10 00:00:00 UTC".to_string()
        )]
    );
    assert_eq!(
        doc["diagnostics"][0]["help"],
        "set `effective_date` no later than 2026-12-09 16:00:00 UTC (8h before the current certificate expires)"
    );
}

#[test]
fn r006_follows_the_warning_window_and_staged_replacements() {
    assert_findings(
        &["fixtures/r006", "--select", "R006"],
        0,
        &["R006 warning fixtures/r006/topology.yaml:18:15 current AudioVideoAuthentication certificate ../certs/expiring-soon.pfx (CN sip.contoso.com) expires on 2026-12-10 00:00:00 UTC, in 13 days, and no staged replacement exists"],
    );
    assert_findings(
        &[
            "fixtures/r006",
            "--select",
            "R006",
            "--expiry-warning-days",
            "10",
        ],
        0,
        &[],
    );
    assert_findings(&["fixtures/r006-staged", "--select", "R006"], 0, &[]);
    // Four weeks later the staged certificate has taken over; nothing expires soon.
    assert_findings(
        &[
            "fixtures/v003-staged",
            "--select",
            "R",
            "--now",
            "2026-12-24T00:00:00Z",
        ],
        0,
        &[],
    );
}

#[test]
fn c001_and_c002_split_rsa_sizes_at_1024_bits() {
    // 512 is a C001 error, exactly 1024 a C001 warning, 3072 C002 only; 2048 and 4096 are quiet.
    // rsa512.pfx and rsa1024.pfx are named twice each and reported once, at the first reference.
    assert_findings(
        &["fixtures/c001", "--select", "C001,C002"],
        1,
        &[
            "C001 warning fixtures/c001/topology.yaml:16:19 certificate ../certs/crypto/rsa1024.pfx (CN sip.contoso.com) has a 1024-bit RSA key: supported, but 2048 bits or more are recommended",
            "C001 error fixtures/c001/topology.yaml:25:15 certificate ../certs/crypto/rsa512.pfx (CN sip.contoso.com) has a 512-bit RSA key, below the 1024-bit minimum",
            "C002 warning fixtures/c001/topology.yaml:31:15 certificate ../certs/crypto/rsa3072.pfx (CN sip.contoso.com) has a 3072-bit RSA key: the supported sizes are 1024, 2048 and 4096 bits",
            "C001 error fixtures/c001/topology.yaml:37:18 request ../certs/crypto/req-rsa512.csr (CN sip.contoso.com) has a 512-bit RSA key, below the 1024-bit minimum; a certificate issued from it would have it too",
            "C001 warning fixtures/c001/topology.yaml:39:18 request ../certs/crypto/req-rsa1024.csr (CN sip.contoso.com) has a 1024-bit RSA key: supported, but 2048 bits or more are recommended; a certificate issued from it would have it too",
        ],
    );
    let doc = common::json(&["fixtures/c001", "--select", "C001"]);
    let d = &doc["diagnostics"][1];
    assert_eq!(
        d["help"],
        "issue a new certificate with a 2048-bit RSA key:\n\
         request a certificate with subject sip.contoso.com whose SAN lists: sip.contoso.com, webcon.contoso.com, sip.fabrikam.com\n\
         Request-CsCertificate -New -Type AccessEdgeExternal,DataEdgeExternal -Output edge-ams-external.req \
         -DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com\" -FriendlyName \"edge-ams external\" \
         -KeySize 2048 -PrivateKeyExportable $true"
    );
    assert_eq!(d["fix"]["role"], "external");
    assert_eq!(d["fix"]["key_size"], 2048);
    assert_eq!(d["fix"]["commands"][0]["kind"], "powershell");
    assert_eq!(d["fix"]["commands"][1]["kind"], "openssl");
}

#[test]
fn c001_to_c003_judge_unreferenced_certificates_in_the_file() {
    assert_findings(
        &["fixtures/c001-unreferenced", "--select", "C"],
        1,
        &[
            "C003 info fixtures/c001-unreferenced/ec-p256.crt:1:1 certificate fixtures/c001-unreferenced/ec-p256.crt (CN sip.contoso.com) has an EC P-256 key (ECDH_P256): listed by Request-CsCertificate, but Edge interoperability is unconfirmed",
            "C001 warning fixtures/c001-unreferenced/rsa1024.crt:1:1 certificate fixtures/c001-unreferenced/rsa1024.crt (CN sip.contoso.com) has a 1024-bit RSA key: supported, but 2048 bits or more are recommended",
            "C002 warning fixtures/c001-unreferenced/rsa3072.crt:1:1 certificate fixtures/c001-unreferenced/rsa3072.crt (CN sip.contoso.com) has a 3072-bit RSA key: the supported sizes are 1024, 2048 and 4096 bits",
            "C001 error fixtures/c001-unreferenced/rsa512.crt:1:1 certificate fixtures/c001-unreferenced/rsa512.crt (CN sip.contoso.com) has a 512-bit RSA key, below the 1024-bit minimum",
        ],
    );
    assert_findings(
        &[
            "fixtures/c001-unreferenced",
            "--select",
            "C",
            "--referenced-only",
        ],
        0,
        &[],
    );
}

#[test]
fn c003_is_info_for_ec_keys_on_certificates_and_requests() {
    let (code, got) = findings(&["fixtures/c003", "--select", "C003"]);
    assert_eq!(code, 0, "info never fails the run");
    assert_eq!(
        got,
        [
            "C003 info fixtures/c003/topology.yaml:14:15 certificate ../certs/crypto/ec-p256.pfx (CN sip.contoso.com) has an EC P-256 key (ECDH_P256): listed by Request-CsCertificate, but Edge interoperability is unconfirmed",
            "C003 info fixtures/c003/topology.yaml:17:15 certificate ../certs/crypto/ec-p384.pfx (CN sip.contoso.com) has an EC P-384 key (ECDH_P384): listed by Request-CsCertificate, but Edge interoperability is unconfirmed",
            "C003 info fixtures/c003/topology.yaml:23:15 certificate ../certs/crypto/ed25519.crt (CN sip.contoso.com) has an Ed25519 key: not among Request-CsCertificate's key algorithms (RSA, ECDH_P256, ECDH_P384, ECDH_P521)",
            "C003 info fixtures/c003/topology.yaml:26:18 request ../certs/crypto/req-ec-p256.csr (CN sip.contoso.com) has an EC P-256 key (ECDH_P256): listed by Request-CsCertificate, but Edge interoperability is unconfirmed",
        ]
    );
}

#[test]
fn c004_warns_on_sha1_and_errs_on_md5_and_c005_on_pss() {
    assert_findings(
        &["fixtures/c004", "--select", "C004,C005"],
        1,
        &[
            "C004 warning fixtures/c004/topology.yaml:14:15 certificate ../certs/crypto/sha1.pfx (CN sip.contoso.com) is signed with SHA-1 (sha1WithRSAEncryption): supported by Lync Server 2013, but rejected by public trust stores",
            "C005 error fixtures/c004/topology.yaml:20:15 certificate ../certs/crypto/pss.pfx (CN sip.contoso.com) has an RSASSA-PSS signature, which Lync Server 2013 does not support (sign-in errors, call forwarding issues)",
            "C004 error fixtures/c004/topology.yaml:28:11 certificate ../certs/crypto/md5.pfx (CN sip.contoso.com) is signed with MD5 (md5WithRSAEncryption), which Windows no longer accepts",
        ],
    );
    // Unreferenced: the MD5 and PSS leaves are reported in the file, the self-signed SHA-1
    // root is not judged.
    assert_findings(
        &["fixtures/c004-unreferenced", "--select", "C004,C005"],
        1,
        &[
            "C004 error fixtures/c004-unreferenced/md5.crt:1:1 certificate fixtures/c004-unreferenced/md5.crt (CN sip.contoso.com) is signed with MD5 (md5WithRSAEncryption), which Windows no longer accepts",
            "C005 error fixtures/c004-unreferenced/pss.crt:1:1 certificate fixtures/c004-unreferenced/pss.crt (CN sip.contoso.com) has an RSASSA-PSS signature, which Lync Server 2013 does not support (sign-in errors, call forwarding issues)",
        ],
    );
    assert_findings(
        &["fixtures/certs/crypto/root-sha1.crt", "--select", "C"],
        0,
        &[],
    );
}

#[test]
fn c006_errs_on_an_eku_without_server_auth_and_warns_without_eku() {
    assert_findings(
        &["fixtures/c006", "--select", "C006"],
        1,
        &[
            "C006 error fixtures/c006/topology.yaml:14:15 certificate ../certs/crypto/eku-client-only.pfx (CN sip.contoso.com) has an Extended Key Usage with Client Authentication but without Server Authentication (1.3.6.1.5.5.7.3.1)",
            "C006 warning fixtures/c006/topology.yaml:17:15 certificate ../certs/crypto/no-eku.pfx (CN sip.contoso.com) has no Extended Key Usage extension: Windows accepts it for any purpose, but the Server Authentication EKU is required",
            "C006 error fixtures/c006/topology.yaml:23:18 request ../certs/crypto/req-eku-client-only.csr (CN sip.contoso.com) has an Extended Key Usage with Client Authentication but without Server Authentication (1.3.6.1.5.5.7.3.1); a certificate issued from it would lack it too",
            "C006 warning fixtures/c006/topology.yaml:32:11 certificate ../certs/crypto/eku-any.pfx (CN sip.contoso.com) has only anyExtendedKeyUsage, not the Server Authentication EKU (1.3.6.1.5.5.7.3.1)",
        ],
    );
}

#[test]
fn c007_needs_public_im_and_an_external_certificate() {
    assert_findings(
        &["fixtures/c007", "--select", "C007"],
        1,
        &[
            "C007 error fixtures/c007/topology.yaml:18:19 certificate ../certs/crypto/no-eku.pfx (CN sip.contoso.com) has no Extended Key Usage extension, so no Client Authentication EKU (1.3.6.1.5.5.7.3.2), which public IM connectivity (aol) needs",
            "C007 error fixtures/c007/topology.yaml:25:15 certificate ../certs/crypto/eku-server-only.pfx (CN sip.contoso.com) lacks the Client Authentication EKU (1.3.6.1.5.5.7.3.2), which public IM connectivity (aol) needs",
            "C007 error fixtures/c007/topology.yaml:31:18 request ../certs/crypto/req-eku-server-only.csr (CN sip.contoso.com) lacks the Client Authentication EKU (1.3.6.1.5.5.7.3.2), which public IM connectivity (aol) needs; a certificate issued from it would lack it too",
            "C007 error fixtures/c007/topology.yaml:33:18 request ../certs/crypto/req-no-eku.csr (CN sip.contoso.com) has no Extended Key Usage extension, so no Client Authentication EKU (1.3.6.1.5.5.7.3.2), which public IM connectivity (aol) needs; a certificate issued from it would lack it too",
        ],
    );
    let doc = common::json(&["fixtures/c007", "--select", "C007"]);
    let d = &doc["diagnostics"][1];
    assert_eq!(d["related"][0]["line"], 6, "points at public_im: {d}");
    assert!(
        d["help"].as_str().unwrap().ends_with("-ClientEku $true"),
        "{d}"
    );
    assert_findings(&["fixtures/c007-no-public-im", "--select", "C007"], 0, &[]);
}

#[test]
fn c008_fires_once_per_file_and_skips_ca_certificates() {
    assert_findings(
        &["fixtures/c008", "--select", "C008"],
        1,
        &["C008 error fixtures/c008/topology.yaml:20:15 certificate ../certs/crypto/no-cdp.pfx (CN sip.contoso.com) has no CRL Distribution Point extension"],
    );
}

#[test]
fn k003_counts_servers_by_effective_assignment() {
    assert_findings(
        &["fixtures/k003", "--select", "K003"],
        1,
        &[
            "K003 warning fixtures/k003/topology.yaml:19:25 certificate ../certs/edge-external.crt on the single server edge02.corp.contoso.com has a private key that is not exportable: a replacement or added Edge Server cannot get it",
            "K003 error fixtures/k003/topology.yaml:27:21 certificate ../certs/av.pfx is assigned to 2 servers (edge01.corp.contoso.com, edge02.corp.contoso.com) but its private key is not exportable: it cannot be copied to the other servers",
            "K003 error fixtures/k003/topology.yaml:47:25 certificate ../certs/edge-external-chain.pem is assigned to 2 servers (edge11.corp.contoso.com, edge12.corp.contoso.com) but its private key is not exportable: it cannot be copied to the other servers",
            "K003 warning fixtures/k003/topology.yaml:75:21 certificate ../certs/expiring-soon.pfx on the single server edge21.corp.contoso.com has a private key that is not exportable: a replacement or added Edge Server cannot get it",
        ],
    );
}

#[test]
fn k004_reads_the_csp_name_of_the_key_bag() {
    assert_findings(
        &["fixtures/k004", "--select", "K004"],
        0,
        &[
            "K004 warning fixtures/k004/topology.yaml:16:19 PKCS#12 file ../certs/crypto/ksp-legacy.pfx puts its private key in the CNG provider \"Microsoft Software Key Storage Provider\": Lync Server 2013 needs a legacy CryptoAPI provider",
            "K004 warning fixtures/k004/topology.yaml:25:15 PKCS#12 file ../certs/crypto/ksp.pfx puts its private key in the CNG provider \"Microsoft Software Key Storage Provider\": Lync Server 2013 needs a legacy CryptoAPI provider",
            "K004 warning fixtures/k004/topology.yaml:28:15 PKCS#12 file ../certs/crypto/platform.pfx puts its private key in the CNG provider \"Microsoft Platform Crypto Provider\": Lync Server 2013 needs a legacy CryptoAPI provider",
        ],
    );
    // A PKCS#12 file no topology names is not judged, even when EDGELINT_PFX_PASSWORD opens it.
    let out = common::edgelint()
        .env("EDGELINT_PFX_PASSWORD", "Secret123")
        .args([
            "check",
            "fixtures/certs/crypto/ksp.pfx",
            "--format",
            "concise",
            "--now",
            common::NOW,
            "--select",
            "K004",
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn k005_reports_unencrypted_keys_of_the_walk_at_their_begin_line() {
    assert_findings(
        &["fixtures/k005", "--select", "K005"],
        0,
        &[
            "K005 warning fixtures/k005/keys/ec-traditional.pem:1:1 unencrypted private key in fixtures/k005/keys/ec-traditional.pem: anyone who can read the repository has it",
            "K005 warning fixtures/k005/keys/key-and-cert.pem:4:1 unencrypted private key in fixtures/k005/keys/key-and-cert.pem: anyone who can read the repository has it",
            "K005 warning fixtures/k005/keys/pkcs8-der.key:1:1 unencrypted private key in fixtures/k005/keys/pkcs8-der.key: anyone who can read the repository has it",
            "K005 warning fixtures/k005/keys/pkcs8.key:1:1 unencrypted private key in fixtures/k005/keys/pkcs8.key: anyone who can read the repository has it",
            "K005 warning fixtures/k005/keys/rsa-traditional.pem:1:1 unencrypted private key in fixtures/k005/keys/rsa-traditional.pem: anyone who can read the repository has it",
        ],
    );
    // The key bodies never reach any output format.
    let key = std::fs::read_to_string(common::root().join("fixtures/k005/keys/pkcs8.key")).unwrap();
    let body_line = key.lines().nth(1).unwrap();
    for format in ["human", "concise", "json"] {
        let out = common::run(&[
            "check",
            "fixtures/k005",
            "--format",
            format,
            "--now",
            common::NOW,
        ]);
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains(body_line),
            "{format} printed key material"
        );
    }
}

#[test]
fn findings_whose_remedy_is_a_certificate_carry_a_structured_fix() {
    // N001-N004, N009, N010 and C001: a `fix` with the subject, the SAN list and at least a
    // PowerShell and an OpenSSL rendering; W001 (reverse proxy) has no PowerShell.
    for (dir, code) in [
        ("fixtures/n001", "N001"),
        ("fixtures/n002", "N002"),
        ("fixtures/n003", "N003"),
        ("fixtures/n004", "N004"),
        ("fixtures/n009", "N009"),
        ("fixtures/n010", "N010"),
        ("fixtures/c001", "C001"),
        ("fixtures/w001", "W001"),
    ] {
        let doc = common::json(&[dir, "--select", code]);
        let findings = doc["diagnostics"].as_array().unwrap();
        assert!(!findings.is_empty(), "{dir}: no {code}");
        for d in findings {
            let fix = &d["fix"];
            assert!(
                fix["subject"].as_str().is_some_and(|s| !s.is_empty()),
                "{code}: {d:#}"
            );
            assert!(!fix["san"].as_array().unwrap().is_empty(), "{code}: {d:#}");
            let kinds: Vec<&str> = fix["commands"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["kind"].as_str().unwrap())
                .collect();
            assert!(kinds.contains(&"openssl"), "{code}: {kinds:?}");
            if code == "W001" {
                assert!(!kinds.contains(&"powershell"), "{kinds:?}");
                assert!(!fix.to_string().contains("Request-CsCertificate"));
            } else {
                assert!(kinds.contains(&"powershell"), "{code}: {kinds:?}");
            }
        }
    }
}

/// `.edgelint.toml` is found from the checked path, as ruff and eslint find theirs: the same
/// configuration applies whether the folder is checked from its parent or from inside.
#[test]
fn the_configuration_is_found_from_the_checked_path() {
    let parent = std::env::temp_dir().join(format!("edgelint-confpath-{}", std::process::id()));
    let sub = parent.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("topology.yaml"),
        "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: edge-ams\n    internal_fqdn: edgepool.corp.contoso.com\n    external:\n      access_edge: sip.contoso.com\n      web_conferencing_edge: webcon.contoso.com\n      av_edge: av.contoso.com\n    servers: [edge01.corp.contoso.com]\n",
    )
    .unwrap();
    std::fs::write(sub.join(".edgelint.toml"), "ignore = [\"P001\"]\n").unwrap();
    let run_in = |dir: &std::path::Path, args: &[&str]| {
        let mut all = vec!["check", "--format", "concise", "--now", common::NOW];
        all.extend_from_slice(args);
        let out = common::edgelint()
            .current_dir(dir)
            .args(&all)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let from_parent = run_in(&parent, &["sub"]);
    let from_file = run_in(&parent, &["sub/topology.yaml"]);
    let from_inside = run_in(&sub, &[]);
    let isolated = run_in(&parent, &["sub", "--isolated"]);
    std::fs::remove_dir_all(&parent).unwrap();
    assert_eq!(from_parent, "", "sub/.edgelint.toml ignores P001");
    assert_eq!(from_file, "", "a file's folder is where the search starts");
    assert_eq!(from_inside, "");
    assert!(
        isolated.contains("sub/topology.yaml:10:15: error: server edge01.corp.contoso.com of pool edge-ams has no current certificate"),
        "without the configuration P001 fires: {isolated}"
    );
}

/// A002's advice fits who needs the chain: for a certificate the Edge presents outside, only
/// the file or the server's stores help (trust.ca_bundle would only inform edgelint); for the
/// internal one, the organisation's CA goes in trust.ca_bundle.
#[test]
fn a002_advice_depends_on_who_needs_the_chain() {
    let doc = common::json(&["fixtures/a002", "--select", "A002"]);
    let helps: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["help"].as_str().unwrap())
        .collect();
    assert_eq!(helps.len(), 2, "{helps:#?}");
    let (external, internal) = (helps[0], helps[1]);
    assert!(
        external.starts_with("the server presents this chain to partners and clients")
            && external.contains("Export-PfxCertificate -ChainOption BuildChain")
            && external.contains("-certfile intermediates.pem")
            && external.contains("would only inform edgelint, not the server"),
        "{external}"
    );
    assert!(
        internal.starts_with("if O=Contoso, CN=Contoso Test Issuing CA is your organisation's CA, list its certificate in `trust.ca_bundle`"),
        "{internal}"
    );
}
