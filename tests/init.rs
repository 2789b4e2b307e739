//! `edgelint init`: the starter topology it writes is read without T001 and lists what to
//! request (P001); its flags land in the right keys; nothing is overwritten without --force.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-init-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn init(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["init", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    common::run(&all)
}

fn check(dir: &Path) -> String {
    let out = common::edgelint()
        .current_dir(dir)
        .args(["check", "--format", "concise", "--now", common::NOW])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn init_writes_a_starter_that_check_reads_and_that_asks_for_certificates() {
    let dir = scratch("empty");
    let out = init(&dir, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let topology = std::fs::read_to_string(dir.join("topology.yaml")).unwrap();
    assert!(topology.starts_with("# yaml-language-server: $schema=schemas/topology-v1.json\n"));
    let schema = std::fs::read(dir.join("schemas/topology-v1.json")).unwrap();
    assert_eq!(
        schema,
        common::run(&["schema"]).stdout,
        "the schema edgelint prints"
    );
    assert!(std::fs::read_to_string(dir.join(".edgelint.toml"))
        .unwrap()
        .contains("# fail_on = \"error\""));
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert!(ignore.contains("\n*.key\n.edgelint_cache/\n"), "{ignore}");
    let found = check(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        found,
        "topology.yaml:31:9: error: server edge01.corp.contoso.com of pool edgepool has no current certificate for AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication, Internal [P001]\n"
    );
}

#[test]
fn init_flags_land_in_their_keys() {
    let dir = scratch("flags");
    let out = init(
        &dir,
        &[
            "--sip-domain",
            "fabrikam.com",
            "--sip-domain",
            "fabrikam.net",
            "--pool-fqdn",
            "edge-pool.ad.fabrikam.com",
            "--server",
            "edge-a.ad.fabrikam.com",
            "--server",
            "edge-b.ad.fabrikam.com",
            "--access-edge",
            "access.fabrikam.com",
            "--web-conferencing-edge",
            "conf.fabrikam.com",
            "--av-edge",
            "media.fabrikam.com",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join("topology.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let file = edgelint::load::topology_from_text(&path, Arc::from("topology.yaml"), &text, true)
        .expect("a topology");
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let t = file.topology.as_ref().unwrap();
    let values = |v: Vec<&String>| v.into_iter().cloned().collect::<Vec<_>>();
    assert_eq!(
        values(t.sip_domains.iter().map(|d| &d.value).collect()),
        ["fabrikam.com", "fabrikam.net"]
    );
    let pool = &t.edge_pools[0];
    assert_eq!(pool.name.value, "edge-pool");
    assert_eq!(pool.internal_fqdn.value, "edge-pool.ad.fabrikam.com");
    assert_eq!(
        values(pool.servers.iter().map(|s| &s.fqdn.value).collect()),
        ["edge-a.ad.fabrikam.com", "edge-b.ad.fabrikam.com"]
    );
    assert_eq!(pool.external.access_edge.value, "access.fabrikam.com");
    assert_eq!(
        pool.external.web_conferencing_edge.value,
        "conf.fabrikam.com"
    );
    assert_eq!(pool.external.av_edge.value, "media.fabrikam.com");
    assert!(
        text.contains("#   domains: [fabrikam.com]"),
        "commented keys use the first domain"
    );
    let found = check(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.lines().count(), 2, "one P001 per server: {found}");
    assert!(found.lines().all(|l| l.ends_with("[P001]")), "{found}");
}

#[test]
fn init_overwrites_nothing_without_force_and_refuses_what_is_not_a_name() {
    let dir = scratch("force");
    assert!(init(&dir, &[]).status.success());
    std::fs::write(dir.join("topology.yaml"), "# mine\n").unwrap();
    let again = init(&dir, &["--sip-domain", "fabrikam.com"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exist"));
    assert_eq!(
        std::fs::read_to_string(dir.join("topology.yaml")).unwrap(),
        "# mine\n"
    );
    let forced = init(&dir, &["--force", "--sip-domain", "fabrikam.com"]);
    assert!(forced.status.success());
    assert!(std::fs::read_to_string(dir.join("topology.yaml"))
        .unwrap()
        .contains("  - fabrikam.com\n"));
    let ignore = std::fs::read_to_string(dir.join(".gitignore")).unwrap();
    assert_eq!(
        ignore.matches("*.key").count(),
        1,
        ".gitignore lines are added once: {ignore}"
    );
    let hostile = init(
        &dir,
        &["--force", "--sip-domain", "contoso.com\nversion: 2"],
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(hostile.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&hostile.stderr)
            .contains("`contoso.com\\nversion: 2` is not a DNS name"),
        "{}",
        String::from_utf8_lossy(&hostile.stderr)
    );
}

/// `init --from` takes the deployment from Topology Builder's XML, as `import` does, and adds
/// the schema line and the other files.
#[test]
fn init_from_a_topology_builder_document() {
    let dir = scratch("from");
    let xml = common::root().join("fixtures/import/contoso-example.tbxml");
    let out = init(&dir, &["--from", xml.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let topology = std::fs::read_to_string(dir.join("topology.yaml")).unwrap();
    let imported = common::run(&["import", xml.to_str().unwrap()]);
    let imported = String::from_utf8(imported.stdout).unwrap();
    assert_eq!(
        topology,
        format!("# yaml-language-server: $schema=schemas/topology-v1.json\n{imported}")
    );
    assert!(dir.join(".edgelint.toml").is_file() && dir.join("schemas/topology-v1.json").is_file());
    let found = check(&dir);
    let conflict = init(&dir, &["--from", "x.tbxml", "--sip-domain", "contoso.com"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        found.contains("[P001]") && !found.contains("[T001]"),
        "{found}"
    );
    assert_eq!(
        conflict.status.code(),
        Some(2),
        "--from and the name flags exclude each other"
    );
}
