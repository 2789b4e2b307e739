//! `edgelint import`: the project's own topology XML (fixtures/import/) in both shapes, written
//! as topology files compared with golden outputs (exact text), checked by `edgelint check`
//! (no T001; P001 for every unassigned use), read back value by value, and every value located
//! in the XML; hostile XML refused with a located message, within a generous time limit that
//! catches hangs (it measures nothing).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use edgelint::topology_xml::{self, FqdnSource, Located};

/// Each fixture and its golden output (the stem, `.yaml`).
const FIXTURES: [&str; 7] = [
    "multi-site.tbxml",
    "contoso-example.tbxml",
    "published-two-sites.xml",
    "docitemset.xml",
    "utf16-published.xml",
    "no-configured-fqdn.tbxml",
    "odd-values.xml",
];

fn fixture(name: &str) -> String {
    format!("fixtures/import/{name}")
}

fn golden(name: &str) -> PathBuf {
    let stem = name.split('.').next().unwrap();
    common::root().join(format!("fixtures/import/{stem}.yaml"))
}

/// Run edgelint with a generous time limit (a hang fails the test, nothing is measured).
fn run_within(args: &[&str], limit: Duration) -> Output {
    let mut child = common::edgelint()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("edgelint runs");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("edgelint {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn import(args: &[&str]) -> Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    run_within(&all, Duration::from_secs(30))
}

#[test]
fn imports_match_their_golden_outputs() {
    let bless = std::env::var_os("EDGELINT_BLESS").is_some();
    let mut failures = Vec::new();
    for name in FIXTURES {
        let out = import(&[&fixture(name)]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        let got = String::from_utf8(out.stdout).unwrap();
        let path = golden(name);
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got == want {
            continue;
        }
        if bless {
            std::fs::write(&path, &got).unwrap();
        } else {
            failures.push(format!(
                "{name}: output differs from {}\n--- got\n{got}(to accept: EDGELINT_BLESS=1 cargo test --test import)",
                path.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn imported_topologies_check_with_p001_and_never_t001() {
    for name in FIXTURES {
        let rel = golden(name)
            .strip_prefix(common::root())
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let doc = common::json(&[&rel]);
        let diagnostics = doc["diagnostics"].as_array().unwrap();
        let codes: Vec<&str> = diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert!(!codes.contains(&"T001"), "{rel}: {diagnostics:#?}");
        let servers = read_back(&rel)
            .edge_pools
            .iter()
            .map(|p| p.servers.len())
            .sum::<usize>();
        let p001 = codes.iter().filter(|c| **c == "P001").count();
        assert_eq!(p001, servers, "{rel}: one P001 per server: {codes:?}");
        let others: Vec<&&str> = codes.iter().filter(|c| **c != "P001").collect();
        if name == "odd-values.xml" || name == "contoso-example.tbxml" {
            assert!(others.iter().all(|c| **c == "T006"), "{rel}: {others:?}");
        } else {
            assert!(others.is_empty(), "{rel}: {others:?}");
        }
    }
}

/// A golden output as the topology loader reads it.
fn read_back(rel: &str) -> edgelint::model::topology::Topology {
    let text = std::fs::read_to_string(common::root().join(rel)).unwrap();
    let file =
        edgelint::load::topology_from_text(Path::new(rel), Arc::from(rel), &text, true).unwrap();
    assert!(file.problems.is_empty(), "{rel}: {:?}", file.problems);
    file.topology.unwrap()
}

/// (access, web conferencing, A/V) of each pool, by name.
fn externals(t: &edgelint::model::topology::Topology) -> Vec<(String, [String; 3])> {
    t.edge_pools
        .iter()
        .map(|p| {
            let e = &p.external;
            (
                p.name.value.clone(),
                [
                    e.access_edge.value.clone(),
                    e.web_conferencing_edge.value.clone(),
                    e.av_edge.value.clone(),
                ],
            )
        })
        .collect()
}

fn strings(v: &[edgelint::model::topology::Sp<String>]) -> Vec<&str> {
    v.iter().map(|s| s.value.as_str()).collect()
}

#[test]
fn distinct_edge_fqdns_land_in_their_own_fields() {
    let t = read_back("fixtures/import/multi-site.yaml");
    assert_eq!(
        externals(&t),
        [
            (
                "edge-ams".to_string(),
                ["sip.contoso.com", "webcon.contoso.com", "av.contoso.com"].map(String::from)
            ),
            (
                "edge-nyc".to_string(),
                [
                    "sip-nyc.contoso.com",
                    "webcon-nyc.contoso.com",
                    "av-nyc.contoso.com"
                ]
                .map(String::from)
            ),
        ]
    );
    assert_eq!(
        strings(&t.sip_domains),
        ["contoso.com", "fabrikam.com", "contoso.nl"]
    );
    let ams = &t.edge_pools[0];
    assert_eq!(ams.internal_fqdn.value, "edge.ams.corp.contoso.com");
    let servers: Vec<&str> = ams.servers.iter().map(|s| s.fqdn.value.as_str()).collect();
    assert_eq!(
        servers,
        ["edge01.ams.corp.contoso.com", "edge02.ams.corp.contoso.com"]
    );
    assert_eq!(ams.federation.as_ref().map(|f| f.value), Some(true));
    let nyc = &t.edge_pools[1];
    assert_eq!(nyc.servers[0].fqdn.value, "edge.nyc.corp.contoso.com");
    assert_eq!(nyc.federation, None);
    assert_eq!(t.product, edgelint::model::topology::Product::Lync2013);
    assert_eq!(
        strings(&t.xmpp.as_ref().unwrap().domains),
        strings(&t.sip_domains)
    );
    let rp = t.reverse_proxy.as_ref().unwrap();
    assert_eq!(
        strings(&rp.external_web_services),
        ["webext.contoso.com", "webdir.contoso.com"]
    );
    let urls: Vec<&str> = rp
        .simple_urls
        .iter()
        .map(|u| u.url.value.as_str())
        .collect();
    assert_eq!(
        urls,
        [
            "https://meet.contoso.com",
            "https://meet.fabrikam.com",
            "https://meet.contoso.nl",
            "https://dialin.contoso.com"
        ]
    );

    let t = read_back("fixtures/import/published-two-sites.yaml");
    assert_eq!(
        externals(&t),
        [
            (
                "edgepool".to_string(),
                [
                    "sip.fabrikam.com",
                    "conf.fabrikam.com",
                    "media.fabrikam.com"
                ]
                .map(String::from)
            ),
            (
                "edge".to_string(),
                [
                    "sip-sea.fabrikam.com",
                    "conf-sea.fabrikam.com",
                    "media-sea.fabrikam.com"
                ]
                .map(String::from)
            ),
        ]
    );
    assert!(t.xmpp.is_some());
    assert_eq!(t.product, edgelint::model::topology::Product::Sfb2015);
}

#[test]
fn xmpp_and_product_follow_the_xml() {
    for (name, xmpp, product) in [
        (
            "docitemset.xml",
            false,
            edgelint::model::topology::Product::Sfb2019,
        ),
        // ServiceVersion 5: not derivable, the placeholder leaves the default.
        (
            "utf16-published.xml",
            false,
            edgelint::model::topology::Product::Lync2013,
        ),
        (
            "no-configured-fqdn.tbxml",
            false,
            edgelint::model::topology::Product::Lync2013,
        ),
    ] {
        let rel = golden(name);
        let t = read_back(&rel.strip_prefix(common::root()).unwrap().to_string_lossy());
        assert_eq!((t.xmpp.is_some(), t.product), (xmpp, product), "{name}");
    }
    let text = std::fs::read_to_string(golden("utf16-published.xml")).unwrap();
    assert!(text.contains("# The product is not derivable from the XML: ServiceVersion 5"));
}

#[test]
fn an_external_fqdn_without_configured_fqdn_is_the_pools_and_says_so() {
    let out = import(&[&fixture("no-configured-fqdn.tbxml")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [
            "edgelint: fixtures/import/no-configured-fqdn.tbxml:18:76: warning: the Web Conferencing Edge of pool edge is written as the pool's FQDN, edge.tailspintoys.com: the XML has no External port of it; check it",
            "edgelint: fixtures/import/no-configured-fqdn.tbxml:18:76: warning: the A/V Edge of pool edge is written as the pool's FQDN, edge.tailspintoys.com: no External port of it has a ConfiguredFqdn; check it",
        ]
    );
    let t = read_back("fixtures/import/no-configured-fqdn.yaml");
    assert_eq!(
        externals(&t)[0].1,
        [
            "sip.tailspintoys.com",
            "edge.tailspintoys.com",
            "edge.tailspintoys.com"
        ]
    );
}

/// Every located value of a plan: (value, span, line, column).
fn located_values(plan: &topology_xml::EdgePlan) -> Vec<&Located<String>> {
    let mut out: Vec<&Located<String>> = plan.sip_domains.iter().collect();
    for p in &plan.edge_pools {
        out.push(&p.internal_fqdn);
        out.extend(&p.servers);
        for e in [&p.access_edge, &p.web_conferencing_edge, &p.av_edge] {
            out.push(&e.fqdn);
        }
    }
    out.extend(&plan.external_web_services);
    out.extend(&plan.meet);
    out.extend(&plan.dialin);
    out
}

#[test]
fn every_value_is_located_in_the_xml() {
    for name in FIXTURES {
        let xml = topology_xml::read(&common::root().join(fixture(name))).unwrap();
        let plan = xml.plan().unwrap();
        for v in located_values(&plan) {
            let (line, column) = xml.lines.line_col(&xml.text, v.span.start);
            assert_eq!((v.line, v.column), (line, column), "{name}: {v:?}");
            let at = xml.location(&Arc::from(name), &v.span);
            assert_eq!(
                (at.line, at.column, at.bytes),
                (line, column, Some(v.span.clone()))
            );
            if name != "odd-values.xml" {
                assert_eq!(&xml.text[v.span.clone()], v.value, "{name}: {v:?}");
            }
        }
    }
    // Independently of the reader: line and column of the A/V Edge FQDN in the file itself
    // (UTF-8 with a byte order mark and CRLF line ends; the mark is not a column).
    let bytes = std::fs::read(common::root().join(fixture("multi-site.tbxml"))).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let needle = "ConfiguredFqdn=\"av.contoso.com\"";
    let at = text.find(needle).unwrap() + "ConfiguredFqdn=\"".len();
    let line = text[..at].matches("\r\n").count() + 1;
    let column = text[..at].rsplit("\r\n").next().unwrap().chars().count() + 1;
    let xml = topology_xml::read(&common::root().join(fixture("multi-site.tbxml"))).unwrap();
    let av = &xml.plan().unwrap().edge_pools[0].av_edge;
    assert_eq!(av.source, FqdnSource::Configured);
    assert_eq!((av.fqdn.line, av.fqdn.column), (line, column));
}

#[test]
fn hostile_and_broken_xml_is_refused_with_its_place() {
    let cases: [(&str, &[&str]); 12] = [
        ("billion-laughs.xml", &["3:1: the document has a DTD (`<!DOCTYPE lolz ...>`, which declares entities): refused, edgelint reads no DTD and expands no entities (Topology Builder and Get-CsTopology never write one)"]),
        ("dtd-entities.xml", &["3:1: the document has a DTD (`<!DOCTYPE Topology ...>`, which declares entities): refused, edgelint reads no DTD and expands no entities (Topology Builder and Get-CsTopology never write one)"]),
        ("external-entity.xml", &["3:1: the document has a DTD (`<!DOCTYPE Topology ...>`, which declares entities): refused, edgelint reads no DTD and expands no entities (Topology Builder and Get-CsTopology never write one)"]),
        ("undefined-entity.xml", &["5:27: the entity `&xxe;` is not defined: edgelint reads no DTD and expands no entities"]),
        ("deep-nesting.xml", &["4:559: XML nested deeper than 64 levels"]),
        ("malformed.xml", &["6:3: malformed XML: ill-formed document: expected `</InternalDomains>`, but `</InternalDomain>` was found"]),
        ("unclosed.xml", &["6:6: malformed XML: the document ends before `<Cluster>` is closed"]),
        ("not-utf8.xml", &["5:36: not UTF-8 text (invalid byte at offset 215)"]),
        ("not-a-topology.xml", &["3:2: not a Lync or Skype for Business topology: the root element is in the namespace `http://maven.apache.org/POM/4.0.0`; edgelint imports Topology Builder documents (`<TopologyBuilder>`), published topologies (`<Topology>`, from Get-CsTopology -AsXml) and Export-CsConfiguration's `<DocItemSet>`"]),
        ("contradicting-fqdns.xml", &["22:107: the Access Edge service's External ports name two FQDNs: `sip.contoso.com` (line 19) and `federation.contoso.com`"]),
        ("no-edge.xml", &["2:2: the topology has no Edge pool: no cluster runs an `EdgeServer` service"]),
        ("dangling-cluster.xml", &[
            "3:2: the topology names no SIP domain (`InternalDomains` holds no `InternalDomain`)",
            "15:10: this EdgeServer service is installed on cluster `2/1`, which the topology does not define",
        ]),
    ];
    for (name, want) in cases {
        let path = fixture(&format!("hostile/{name}"));
        let out = import(&[&path]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(out.stdout.is_empty(), "{name}: nothing is written");
        let got: Vec<String> = String::from_utf8_lossy(&out.stderr)
            .lines()
            .map(String::from)
            .collect();
        let want: Vec<String> = want
            .iter()
            .map(|w| format!("edgelint: {path}:{w}"))
            .collect();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn a_dtd_with_entities_is_refused_at_once_by_the_reader() {
    // The reader stops at `<!DOCTYPE`: what the DTD declares is never looked at twice, let
    // alone expanded. (The limit catches a hang; it measures nothing.)
    let lol = std::fs::read(common::root().join(fixture("hostile/billion-laughs.xml"))).unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(topology_xml::from_bytes(&lol).map(|_| ()));
    });
    let rejected = receive
        .recv_timeout(Duration::from_secs(10))
        .expect("refused without a hang")
        .unwrap_err();
    assert!(!rejected.unreadable);
    assert!(rejected.problems[0].message.contains("DTD"));
}

#[test]
fn size_and_element_counts_are_bounded() {
    let too_many = format!(
        "<Topology>{}</Topology>",
        "<a/>".repeat(topology_xml::xml::MAX_ELEMENTS + 1)
    );
    let r = topology_xml::from_bytes(too_many.as_bytes()).unwrap_err();
    assert_eq!(
        r.problems[0].message,
        "the document has more than 200000 elements"
    );
    let dir = std::env::temp_dir().join(format!("edgelint-import-size-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("big.xml");
    let mut text = String::from("<Topology>");
    text.push_str(&" ".repeat(topology_xml::MAX_BYTES as usize));
    text.push_str("</Topology>");
    std::fs::write(&big, text).unwrap();
    let out = import(&[big.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains(
            ":1:1: cannot be read: the file is 4194325 bytes, larger than the 4194304-byte limit"
        ),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        topology_xml::MAX_BYTES,
        edgelint::load::MAX_TOPOLOGY_BYTES,
        "the limit of topology files"
    );
}

#[test]
fn output_files_are_never_overwritten_without_force() {
    let dir = std::env::temp_dir().join(format!("edgelint-import-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("topology.yaml");
    let out_path = out_file.to_str().unwrap();
    let source = fixture("docitemset.xml");
    let first = import(&[&source, "-o", out_path]);
    assert_eq!(first.status.code(), Some(0));
    assert!(first.stdout.is_empty());
    assert!(String::from_utf8_lossy(&first.stderr).contains("wrote "));
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert_eq!(
        written,
        std::fs::read_to_string(golden("docitemset.xml")).unwrap()
    );

    std::fs::write(&out_file, "keep me\n").unwrap();
    let again = import(&[&source, "--output", out_path]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists; --force overwrites it"));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "keep me\n");

    let forced = import(&[&source, "-o", out_path, "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), written);

    let missing = import(&[
        &source,
        "-o",
        dir.join("no/such/dir.yaml").to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
    let missing_input = import(&["fixtures/import/no-such-file.xml"]);
    assert_eq!(missing_input.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing_input.stderr),
        "edgelint: fixtures/import/no-such-file.xml:1:1: cannot be read: no such file\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_import_command_line_is_checked() {
    let out = Command::new(env!("CARGO_BIN_EXE_edgelint"))
        .args(["import", "x.xml", "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--force needs --output");
}

/// A published topology of `n` single-machine clusters, all with the FQDN `edge.contoso.com`,
/// and `n` Edge services, each on cluster `i + offset` (a cluster that exists when `offset`
/// is 0).
fn many_pools(n: usize, offset: usize) -> String {
    let mut xml =
        String::from("<Topology><InternalDomains DefaultDomain=\"contoso.com\"/><Clusters>");
    for i in 0..n {
        xml.push_str(&format!(
            "<Cluster Fqdn=\"edge.contoso.com\"><ClusterId SiteId=\"1\" Number=\"{i}\"/>\
             <Machine Fqdn=\"edge.contoso.com\"/></Cluster>"
        ));
    }
    xml.push_str("</Clusters><Services>");
    for i in 0..n {
        xml.push_str(&format!(
            "<Service><ServiceId RoleName=\"EdgeServer\"/><InstalledOn>\
             <ClusterId SiteId=\"1\" Number=\"{}\"/></InstalledOn></Service>",
            i + offset
        ));
    }
    xml.push_str("</Services></Topology>");
    xml
}

/// The plan of a document, computed on another thread within a generous limit (a hang, such
/// as a quadratic lookup, fails; nothing is measured).
fn plan_within(xml: String) -> Result<topology_xml::EdgePlan, Vec<topology_xml::Problem>> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let x = topology_xml::from_bytes(xml.as_bytes()).unwrap();
        let _ = send.send(x.plan());
    });
    receive
        .recv_timeout(Duration::from_secs(20))
        .expect("a plan without a hang")
}

#[test]
fn many_pools_and_services_stay_linear() {
    let plan = plan_within(many_pools(15_000, 0)).unwrap();
    assert_eq!(plan.edge_pools.len(), 15_000);
    let names: std::collections::HashSet<&str> =
        plan.edge_pools.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), 15_000, "pool names are unique");
    assert_eq!(plan.edge_pools[1].name, "edge-contoso-com-2");
    let problems = plan_within(many_pools(15_000, 15_000)).unwrap_err();
    // Every Edge service on a cluster that does not exist.
    assert_eq!(problems.len(), 15_000);
}

#[test]
fn a_long_list_of_problems_is_cut_short() {
    let dir = std::env::temp_dir().join(format!("edgelint-import-many-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("many.xml");
    std::fs::write(&file, many_pools(100, 100)).unwrap();
    let out = import(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 51, "{stderr}");
    assert!(
        lines[50].ends_with("many.xml: 50 more problems"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_example_s_xml_gives_the_example_s_deployment() {
    let imported = read_back("fixtures/import/contoso-example.yaml");
    let example = read_back_with_files("examples/contoso/topology.yaml");
    assert_eq!(
        strings(&imported.sip_domains),
        strings(&example.sip_domains)
    );
    assert_eq!(externals(&imported)[0].1, externals(&example)[0].1);
    let (a, b) = (&imported.edge_pools[0], &example.edge_pools[0]);
    assert_eq!(a.internal_fqdn.value, b.internal_fqdn.value);
    let fqdns = |p: &edgelint::model::topology::Pool| -> Vec<String> {
        p.servers.iter().map(|s| s.fqdn.value.clone()).collect()
    };
    assert_eq!(fqdns(a), fqdns(b));
    assert_eq!(
        a.federation.as_ref().map(|f| f.value),
        b.federation.as_ref().map(|f| f.value)
    );
    let (ra, rb) = (
        imported.reverse_proxy.as_ref().unwrap(),
        example.reverse_proxy.as_ref().unwrap(),
    );
    assert_eq!(
        strings(&ra.external_web_services),
        strings(&rb.external_web_services)
    );
    let hosts = |r: &edgelint::model::topology::ReverseProxy| -> Vec<String> {
        r.simple_urls.iter().map(|u| u.host().to_string()).collect()
    };
    assert_eq!(hosts(ra), hosts(rb));
}

/// A topology file that names certificate files (read as the loader reads it; the files
/// themselves are not opened).
fn read_back_with_files(rel: &str) -> edgelint::model::topology::Topology {
    let text = std::fs::read_to_string(common::root().join(rel)).unwrap();
    let path = common::root().join(rel);
    let file = edgelint::load::topology_from_text(&path, Arc::from(rel), &text, true).unwrap();
    file.topology.unwrap()
}

#[test]
fn the_fuzz_target_holds_on_every_fixture() {
    // What fuzz/run.sh seeds the `topology_xml` target with; its assertions (spans inside
    // the text, located values, no T001 in the topology written) hold on each.
    let mut ran = 0;
    for dir in ["fixtures/import", "fixtures/import/hostile"] {
        for entry in std::fs::read_dir(common::root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "xml" || e == "tbxml") {
                edgelint::fuzzing::run("topology_xml", &std::fs::read(&path).unwrap());
                ran += 1;
            }
        }
    }
    assert!(ran >= 19, "{ran} fixtures");
}
