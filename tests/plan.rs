//! `edgelint plan`: the certificates a topology needs, checked against Microsoft's certificate
//! summary tables (golden tests), the request files it emits run through OpenSSL, the SVG
//! timeline parsed as XML, the HTML report held to "no network resource", and the example.
//! (The HTML report's screenshot in a real browser is `tests/plan/browser.sh`, run by
//! `.ci/run`.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
fn plan(args: &[&str]) -> std::process::Output {
    let mut all = vec!["plan", "--now", common::NOW];
    all.extend_from_slice(args);
    let out = common::run(&all);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    out
}

/// `plan --format json ARGS`: the exit code and the document.
fn plan_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let out = plan(&all);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

fn certificates(doc: &Value) -> Vec<&Value> {
    doc["plan"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["certificates"].as_array().unwrap())
        .collect()
}

/// The certificate of `role` (in `pool`; `None` for the reverse proxy).
fn certificate<'a>(doc: &'a Value, pool: Option<&str>, role: &str) -> &'a Value {
    certificates(doc)
        .into_iter()
        .find(|c| c["role"] == role && c["pool"].as_str() == pool)
        .unwrap_or_else(|| panic!("no {role} certificate for {pool:?} in {doc:#}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn sorted(list: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

/// The plan asks for the table's subject and exactly the table's SAN names, in the order of
/// the catalog (rules.md "Fix suggestions": Access Edge, Web Conferencing Edge, `sip.<domain>`
/// per SIP domain, XMPP domains, the XMPP SRV target; the tables write them in other orders,
/// and S2 says the order does not matter).
fn assert_names(cert: &Value, subject: &str, table_san: &[&str], catalog_order: &[&str]) {
    assert_eq!(cert["subject"], subject, "{cert:#}");
    let san = strings(&cert["san"]);
    let mut got = san.clone();
    got.sort();
    assert_eq!(got, sorted(table_san), "the table's names: {cert:#}");
    assert_eq!(san, catalog_order, "the catalog's order: {cert:#}");
}

/// The Edge tables of the consolidated edge pages: external SN sip.contoso.com with SAN
/// webcon.contoso.com, sip.contoso.com, sip.fabrikam.com, assigned to the Access Edge, Web
/// Conferencing Edge and A/V Edge; internal SN lsedge.contoso.net, "No SAN required".
fn assert_consolidated_edge_tables(fixture: &str, pool: &str, servers: &[&str]) {
    let (code, doc) = plan_json(&[fixture]);
    assert_eq!(code, 1, "every certificate is missing");
    let external = certificate(&doc, Some(pool), "external");
    assert_names(
        external,
        "sip.contoso.com",
        &["webcon.contoso.com", "sip.contoso.com", "sip.fabrikam.com"],
        &["sip.contoso.com", "webcon.contoso.com", "sip.fabrikam.com"],
    );
    assert_eq!(
        strings(&external["uses"]),
        [
            "AccessEdgeExternal",
            "DataEdgeExternal",
            "AudioVideoAuthentication"
        ]
    );
    assert_eq!(external["exportable"], true, "copied to each Edge Server");
    assert_eq!(external["client_eku"], false, "no public IM connectivity");
    assert_eq!(strings(&external["servers"]), servers);
    let internal = certificate(&doc, Some(pool), "internal");
    assert_names(internal, "lsedge.contoso.net", &[], &[]);
    assert_eq!(strings(&internal["uses"]), ["Internal"]);
    assert_eq!(certificates(&doc).len(), 2, "{doc:#}");
    for c in certificates(&doc) {
        assert_eq!(c["status"], "missing");
        assert_eq!(c["current"]["status"], "missing");
        assert!(c["current"].get("file").is_none());
    }
}

/// "Certificate summary - Single consolidated edge with public IP addresses in Lync Server
/// 2013", https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-summary-single-consolidated-edge-with-public-ip-addresses
/// (the table is the same on "Certificate summary - Single consolidated edge with private IP
/// addresses using NAT in Lync Server 2013", .../lync-server-2013-certificate-summary-single-consolidated-edge-with-private-ip-addresses-using-nat).
#[test]
fn single_consolidated_edge_matches_microsofts_table() {
    assert_consolidated_edge_tables(
        "fixtures/plan-single-consolidated-edge",
        "edge",
        &["edge01.contoso.net"],
    );
    // The page's "Certificate Summary – Public Instant Messaging Connectivity" table lists
    // the same names in the catalog's order: sip.contoso.com, webcon.contoso.com,
    // sip.fabrikam.com.
    let (_, doc) = plan_json(&["fixtures/plan-single-consolidated-edge"]);
    assert_eq!(
        strings(&certificate(&doc, Some("edge"), "external")["san"]),
        ["sip.contoso.com", "webcon.contoso.com", "sip.fabrikam.com"]
    );
}

/// "Certificate summary - Scaled consolidated edge, DNS load balancing with public IP
/// addresses in Lync Server 2013", https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-summary-scaled-consolidated-edge-dns-load-balancing-with-public-ip-addresses
/// (and "... with private IP addresses using NAT", .../lync-server-2013-certificate-summary-scaled-consolidated-edge-dns-load-balancing-private-ip):
/// the same names, "the certificate private key must be exportable and the certificate and
/// private key copied to each Edge Server".
#[test]
fn scaled_dns_load_balanced_pool_matches_microsofts_table() {
    assert_consolidated_edge_tables(
        "fixtures/plan-scaled-dns",
        "edge-pool",
        &["edge01.contoso.net", "edge02.contoso.net"],
    );
}

/// "Certificate summary - Scaled consolidated edge with hardware load balancers in Lync
/// Server 2013", https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-summary-scaled-consolidated-edge-with-hardware-load-balancers
#[test]
fn hardware_load_balanced_pool_matches_microsofts_table() {
    assert_consolidated_edge_tables(
        "fixtures/plan-scaled-hlb",
        "edge-hlb",
        &["edge01.contoso.net", "edge02.contoso.net"],
    );
}

/// "Certificate summary - Extensible messaging and presence protocol (XMPP) federation in
/// Lync Server 2013", https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-summary-extensible-messaging-and-presence-protocol-xmpp-federation:
/// SN sip.contoso.com; SAN webcon.contoso.com, sip.contoso.com, sip.fabrikam.com and
/// contoso.com, "the entry required for federation with the XMPP partner at the root domain
/// level". (The XMPP tables of the consolidated edge pages write `*.contoso.com` there
/// instead; edgelint asks for the explicit name, as this page does, since the Edge rejects
/// wildcard SANs: N008.)
#[test]
fn xmpp_federation_matches_microsofts_table() {
    let (_, doc) = plan_json(&["fixtures/plan-xmpp"]);
    assert_names(
        certificate(&doc, Some("edge"), "external"),
        "sip.contoso.com",
        &[
            "webcon.contoso.com",
            "sip.contoso.com",
            "sip.fabrikam.com",
            "contoso.com",
        ],
        &[
            "sip.contoso.com",
            "webcon.contoso.com",
            "sip.fabrikam.com",
            "contoso.com",
        ],
    );
}

/// "Certificate summary - SIP, XMPP federation, and public instant messaging in Lync Server
/// 2013", https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-summary-sip-xmpp-federation-and-public-instant-messaging:
/// SN sip.contoso.com; SAN sip.contoso.com, webcon.contoso.com, contoso.com (XMPP),
/// sip.fabrikam.com, fabrikam.com (XMPP); the client EKU for AOL.
#[test]
fn sip_xmpp_and_public_im_match_microsofts_table() {
    let (_, doc) = plan_json(&["fixtures/plan-sip-xmpp-public-im"]);
    let external = certificate(&doc, Some("edge"), "external");
    assert_names(
        external,
        "sip.contoso.com",
        &[
            "sip.contoso.com",
            "webcon.contoso.com",
            "contoso.com",
            "sip.fabrikam.com",
            "fabrikam.com",
        ],
        &[
            "sip.contoso.com",
            "webcon.contoso.com",
            "sip.fabrikam.com",
            "contoso.com",
            "fabrikam.com",
        ],
    );
    assert_eq!(external["client_eku"], true, "AOL needs the client EKU");
}

/// "Certificate summary - Reverse proxy in Lync Server 2013", https://learn.microsoft.com/en-us/previous-versions/office/lync-server-2013/lync-server-2013-certificate-summary-reverse-proxy:
/// SN webext.contoso.com; SAN webext.contoso.com, webdirext.contoso.com, dialin.contoso.com,
/// meet.contoso.com, officewebapps01.contoso.com, lyncdiscover.contoso.com (and an optional
/// `*.contoso.com` that may replace meet and dialin, which the plan never asks for).
#[test]
fn reverse_proxy_matches_microsofts_table() {
    let (_, doc) = plan_json(&["fixtures/plan-reverse-proxy"]);
    let rp = certificate(&doc, None, "reverse_proxy");
    assert_names(
        rp,
        "webext.contoso.com",
        &[
            "webext.contoso.com",
            "webdirext.contoso.com",
            "dialin.contoso.com",
            "meet.contoso.com",
            "officewebapps01.contoso.com",
            "lyncdiscover.contoso.com",
        ],
        &[
            "webext.contoso.com",
            "webdirext.contoso.com",
            "meet.contoso.com",
            "dialin.contoso.com",
            "officewebapps01.contoso.com",
            "lyncdiscover.contoso.com",
        ],
    );
    assert_eq!(rp["uses"], serde_json::json!([]));
    assert_eq!(rp["servers"], serde_json::json!([]));
}

#[test]
fn the_plan_of_the_example() {
    let out = plan(&["examples/contoso"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn the_example_in_json() {
    let (code, doc) = plan_json(&["examples/contoso"]);
    assert_eq!(code, 1);
    assert_eq!(doc["version"], 1);
    assert_eq!(
        doc["summary"],
        serde_json::json!({"needed": 4, "ok": 1, "defective": 3, "missing": 0})
    );
    assert_eq!(doc["plan"][0]["deployment"], "contoso-prod");
    let external = certificate(&doc, Some("edge-ams"), "external");
    assert_eq!(external["status"], "defective");
    assert_eq!(external["codes"], serde_json::json!(["N002"]));
    // One server each: the first server's (pool-level) certificate is current, edge02's own
    // differs and carries the N002.
    assert_eq!(external["current"]["file"], "certs/edge-external.pfx");
    assert_eq!(external["current"]["status"], "ok");
    assert_eq!(external["differs"][0]["file"], "certs/edge02-external.pfx");
    assert_eq!(
        external["differs"][0]["servers"],
        serde_json::json!(["edge02.corp.contoso.com"])
    );
    assert_eq!(external["differs"][0]["codes"], serde_json::json!(["N002"]));
    assert_eq!(
        external["current"]["sha256"].as_str().map(str::len),
        Some(64)
    );
    let av = certificate(&doc, Some("edge-ams"), "av");
    assert_eq!(av["codes"], serde_json::json!(["K003"]));
    // The A/V replacement takes over a token lifetime (8h) before the current one expires.
    assert_eq!(av["current"]["not_after"], "2028-03-01T00:00:00Z");
    assert_eq!(av["roll_effective_date"], "2028-02-29T16:00:00Z");
    let internal = certificate(&doc, Some("edge-ams"), "internal");
    assert_eq!(
        internal["status"], "ok",
        "V003 is a warning, below --fail-on error"
    );
    let (_, strict) = plan_json(&["examples/contoso", "--fail-on", "warning"]);
    assert_eq!(
        certificate(&strict, Some("edge-ams"), "internal")["codes"],
        serde_json::json!(["V003"])
    );
}

#[test]
fn exit_codes_follow_fail_on() {
    assert_eq!(plan(&["examples/contoso"]).status.code(), Some(1));
    assert_eq!(
        plan(&["examples/contoso", "--fail-on", "never"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(plan(&["fixtures/clean"]).status.code(), Some(0));
    assert_eq!(plan(&["does/not/exist"]).status.code(), Some(2));
    let (code, doc) = plan_json(&["fixtures/t001-schema"]);
    assert_eq!(code, 1, "a topology that cannot be planned fails the run");
    assert!(!doc["unplanned"].as_array().unwrap().is_empty());
}

/// A certificate file the topology names before it exists (T002) is a certificate to request:
/// `missing`, not `defective`.
#[test]
fn a_named_file_not_there_yet_is_missing() {
    let (_, doc) = plan_json(&["fixtures/t002"]);
    let internal = certificate(&doc, Some("edge-ams"), "internal");
    assert_eq!(internal["status"], "missing");
    assert_eq!(internal["current"]["file"], "../certs/no-such-internal.crt");
    assert_eq!(internal["current"]["status"], "missing");
    let external = certificate(&doc, Some("edge-ams"), "external");
    assert_eq!(external["status"], "ok", "the file is there");
    let text = String::from_utf8(plan(&["fixtures/t002"]).stdout).unwrap();
    assert!(
        text.lines().any(
            |l| l.contains("current: ../certs/no-such-internal.crt (not there yet)")
                && l.ends_with(" missing")
        ),
        "{text}"
    );
}

#[test]
fn staged_certificates_are_listed_with_their_effective_date() {
    let (_, doc) = plan_json(&["fixtures/r006-staged"]);
    let av = certificate(&doc, Some("edge-ams"), "av");
    assert_eq!(av["staged"][0]["file"], "../certs/av.pfx");
    assert_eq!(av["staged"][0]["effective_date"], "2026-12-01T06:00:00Z");
    assert_eq!(
        av["staged"][0]["servers"],
        serde_json::json!(["edge01.corp.contoso.com", "edge02.corp.contoso.com"])
    );
}

#[test]
fn markdown_has_a_table_per_pool() {
    let out = plan(&["examples/contoso", "--format", "markdown"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("### Pool edge-ams\n"), "{text}");
    assert!(text.contains("### Reverse proxy\n"), "{text}");
    assert_eq!(
        text.matches("| Role | Subject | SAN | Key | Uses | In the repository | Status |")
            .count(),
        2
    );
}

/// A fresh folder under the system's temporary folder.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-plan-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn plan_fixtures() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("plan-"))
        .map(|n| format!("fixtures/{n}"))
        .collect();
    out.sort();
    assert!(out.len() >= 6, "{out:?}");
    out
}

fn openssl(args: &[&str], dir: &Path) -> String {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The subject CN and the DNS names of a request, as OpenSSL prints them.
fn request_names(csr: &str, dir: &Path) -> (String, Vec<String>) {
    let subject = openssl(
        &[
            "req", "-in", csr, "-noout", "-subject", "-nameopt", "RFC2253",
        ],
        dir,
    );
    let cn = subject
        .trim()
        .strip_prefix("subject=CN=")
        .unwrap()
        .to_string();
    let text = openssl(&["req", "-in", csr, "-noout", "-text"], dir);
    let mut lines = text.lines();
    let san = match lines.find(|l| l.contains("X509v3 Subject Alternative Name")) {
        Some(_) => lines
            .next()
            .unwrap()
            .split(',')
            .map(|n| n.trim().strip_prefix("DNS:").unwrap().to_string())
            .collect(),
        None => Vec::new(),
    };
    (cn, san)
}

/// For a topology with no certificate at all, `--emit` writes what a newcomer sends to the
/// CA, and `openssl req -new -config X.cnf ...` on each `.cnf` makes a request with exactly
/// the plan's subject and SAN, in order.
#[test]
fn every_emitted_openssl_configuration_makes_the_planned_request() {
    if Command::new("openssl").arg("version").output().is_err() {
        eprintln!("SKIPPED: no openssl on PATH");
        return;
    }
    let mut checked = 0;
    for fixture in plan_fixtures() {
        let dir = scratch("openssl");
        let (_, doc) = plan_json(&[&fixture, "--emit", dir.to_str().unwrap()]);
        for cert in certificates(&doc) {
            let stem = cert["request"]["file_stem"].as_str().unwrap();
            let cnf = format!("{stem}.cnf");
            openssl(
                &[
                    "req", "-new", "-config", &cnf, "-newkey", "rsa:2048", "-nodes", "-keyout",
                    "k.pem", "-out", "r.csr",
                ],
                &dir,
            );
            let (cn, san) = request_names("r.csr", &dir);
            assert_eq!(cn, cert["subject"].as_str().unwrap(), "{fixture} {cnf}");
            assert_eq!(san, strings(&cert["san"]), "{fixture} {cnf}");
            let on_lync = cert["role"] != "reverse_proxy";
            assert_eq!(dir.join(format!("{stem}.ps1")).is_file(), on_lync, "{stem}");
            let inf = std::fs::read_to_string(dir.join(format!("{stem}.inf"))).unwrap();
            for line in [
                "Exportable = TRUE",
                "KeyLength = 2048",
                "MachineKeySet = TRUE",
            ] {
                assert!(inf.contains(line), "{stem}.inf lacks {line}:\n{inf}");
            }
            assert_eq!(inf.contains("2.5.29.17"), !san.is_empty(), "{inf}");
            checked += 1;
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
    assert!(checked >= 13, "{checked}");
}

#[test]
fn emit_writes_scripts_and_never_overwrites_without_force() {
    let dir = scratch("emit");
    let d = dir.to_str().unwrap();
    let out = plan(&["examples/contoso", "--emit", d]);
    assert_eq!(out.status.code(), Some(1));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "contoso-prod-edge-ams-av.cnf",
            "contoso-prod-edge-ams-av.inf",
            "contoso-prod-edge-ams-av.ps1",
            "contoso-prod-edge-ams-external.cnf",
            "contoso-prod-edge-ams-external.inf",
            "contoso-prod-edge-ams-external.ps1",
            "contoso-prod-reverse_proxy.cnf",
            "contoso-prod-reverse_proxy.inf",
        ],
        "the internal certificate is ok: not emitted"
    );
    let av = std::fs::read_to_string(dir.join("contoso-prod-edge-ams-av.ps1")).unwrap();
    assert!(av.contains("Request-CsCertificate -New -Type AudioVideoAuthentication -Output contoso-prod-edge-ams-av.req"), "{av}");
    assert!(av.contains("'edge02.corp.contoso.com' {\n        Import-CsCertificate -Path $PfxPath -Password $PfxPassword -PrivateKeyExportable $true\n        Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint $Thumbprint -Roll -EffectiveDate ([datetime]'2028-02-29T16:00:00Z')\n    }"), "{av}");
    let external = std::fs::read_to_string(dir.join("contoso-prod-edge-ams-external.ps1")).unwrap();
    assert!(
        external.contains(
            "Set-CsCertificate -Type AccessEdgeExternal,DataEdgeExternal -Thumbprint $Thumbprint\n"
        ),
        "{external}"
    );
    assert!(!external.contains("-Roll"), "{external}");

    let again = plan(&["examples/contoso", "--emit", d]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = plan(&["examples/contoso", "--emit", d, "--force", "--all"]);
    assert_eq!(forced.status.code(), Some(1));
    assert!(dir.join("contoso-prod-edge-ams-internal.cnf").is_file());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Names a topology controls never leave the `--emit` folder, never break out of a quoted
/// string or a comment, and never make the SVG or HTML invalid.
#[test]
fn hostile_names_stay_quoted() {
    let dir = scratch("hostile");
    let topology = "version: 1\ndeployment: \"../$(reboot)\"\nsip_domains: [\"a'b.com\"]\nedge_pools:\n  - name: \"<p>&'\\\"\\n# x\"\n    internal_fqdn: \"in\\nprompt = yes\"\n    external:\n      access_edge: \"a$b#c.com\"\n      web_conferencing_edge: \"w'; rm -rf /.com\"\n      av_edge: av.com\n    servers: [\"s'1.com\", \"s'1.com\"]\n";
    std::fs::write(dir.join("topology.yaml"), topology).unwrap();
    let out_dir = dir.join("out");
    let svg = dir.join("t.svg");
    let html = dir.join("r.html");
    let t = dir.join("topology.yaml");
    let out = plan(&[
        t.to_str().unwrap(),
        "--emit",
        out_dir.to_str().unwrap(),
        "--timeline",
        svg.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for e in std::fs::read_dir(&out_dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(name.starts_with("___reboot_-_p_"), "{name}");
    }
    let mut beside: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["out", "r.html", "t.svg", "topology.yaml"]);
    let script = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("external.ps1"))
        .unwrap();
    let script = std::fs::read_to_string(script).unwrap();
    assert!(script.contains("    's''1.com' {\n"), "{script}");
    assert_eq!(
        script.matches("'s''1.com' {").count(),
        1,
        "each server once"
    );
    assert!(
        script.contains("pool <p>&'\"?# x ("),
        "a line break in a comment would end it: {script}"
    );
    let cnf = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("internal.cnf"))
        .unwrap();
    let cnf = std::fs::read_to_string(cnf).unwrap();
    assert!(!cnf.contains("\nprompt = yes"), "{cnf}");
    let svg = std::fs::read_to_string(&svg).unwrap();
    roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(!html.contains("<p>&"), "escaped");
    std::fs::remove_dir_all(&dir).unwrap();
}

fn rows_of(svg: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("row"))
        .map(|n| {
            let a = |k| n.attribute(k).unwrap_or("").to_string();
            (a("data-pool"), a("data-role"), a("data-kind"))
        })
        .collect()
}

#[test]
fn the_timeline_has_one_row_per_assignment() {
    for fixture in [
        "examples/contoso",
        "fixtures/r006-staged",
        "fixtures/plan-reverse-proxy",
    ] {
        let dir = scratch("timeline");
        let file = dir.join("t.svg");
        let (_, doc) = plan_json(&[fixture, "--timeline", file.to_str().unwrap()]);
        let svg = std::fs::read_to_string(&file).unwrap();
        let mut expected = Vec::new();
        for c in certificates(&doc) {
            let pool = c["pool"].as_str().unwrap_or("").to_string();
            let role = c["role"].as_str().unwrap().to_string();
            expected.push((pool.clone(), role.clone(), "current".to_string()));
            for _ in c["differs"].as_array().unwrap() {
                expected.push((pool.clone(), role.clone(), "differs".to_string()));
            }
            for _ in c["staged"].as_array().unwrap() {
                expected.push((pool.clone(), role.clone(), "staged".to_string()));
            }
        }
        assert_eq!(rows_of(&svg), expected, "{fixture}");
        assert!(svg.contains("class=\"tl-now\""));
        // Deterministic for a given --now.
        let (_, _) = plan_json(&[fixture, "--timeline", file.to_str().unwrap()]);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), svg);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let dir = scratch("timeline-staged");
    let file = dir.join("t.svg");
    plan(&["fixtures/r006-staged", "--timeline", file.to_str().unwrap()]);
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(
        svg.contains("class=\"tl-effective\""),
        "the staged effective date"
    );
    assert!(
        svg.contains("class=\"tl-token-window\""),
        "the A/V token lifetime"
    );
    assert!(svg.contains("class=\"tl-expiry-window\""), "V003's window");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_html_report_stands_alone() {
    let dir = scratch("html");
    let file = dir.join("r.html");
    plan(&["examples/contoso", "--html", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needed in [
        "<svg",
        "Pool edge-ams",
        "sip.fabrikam.com",
        "certs/edge02-external.pfx",
        "lacks SAN webcon.contoso.com",
    ] {
        assert!(html.contains(needed), "{needed}");
    }
    for network in ["src=", "href=", "url(", "@import", "<script", "<link"] {
        assert!(
            !html.contains(network),
            "the report loads nothing: {network}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_output_page_shows_the_plan_of_the_example() {
    let out = plan(&["examples/contoso"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(common::root().join("docs/output.md")).unwrap();
    let block = format!(
        "$ EDGE_PFX_PASSWORD=Secret123 edgelint plan examples/contoso --now {}\n{text}```",
        common::NOW
    );
    assert!(
        readme.contains(&block),
        "docs/output.md's `edgelint plan` output is stale; it is now:\n{text}"
    );
}
