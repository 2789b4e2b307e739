//! Entry points for the fuzz targets (`fuzz/`) and their regression tests
//! (`tests/fuzz_regressions.rs`): each takes arbitrary bytes and runs one input format through
//! the code that reads it, as a run would. They return nothing; a panic, a hang or unbounded
//! memory is the defect the fuzzer looks for. Not a stable API.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Severity};
use crate::{cache, config, derive, filter, load, model, plan, report, rules, topology_xml};

/// Which fuzz target an input is for (the folder names under `tests/fuzz-regressions/`).
pub const TARGETS: [&str; 12] = [
    "topology",
    "topology_xml",
    "report",
    "plan",
    "certificate",
    "pkcs12",
    "key",
    "config",
    "rule_pack",
    "lsp",
    "cache_entry",
    "chains",
];

/// Run the input through the target named `target`.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "topology" => topology(data),
        "topology_xml" => topology_xml(data),
        "report" => report(data),
        "plan" => plan(data),
        "certificate" => certificate(data),
        "pkcs12" => pkcs12(data),
        "key" => key(data),
        "config" => config(data),
        "rule_pack" => rule_pack(data),
        "lsp" => lsp(data),
        "cache_entry" => cache_entry(data),
        "chains" => chains(data),
        other => panic!("unknown fuzz target {other}"),
    }
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

/// Topology YAML → the model.
pub fn topology(data: &[u8]) {
    let _ = load::topology_from_text(Path::new("t.yaml"), Arc::from("t.yaml"), &text(data), true);
}

/// Topology XML (`edgelint import`) → the deployment → the Edge plan → a topology file, which
/// must read back without a T001, as the command promises.
pub fn topology_xml(data: &[u8]) {
    let Ok(xml) = topology_xml::from_bytes(data) else {
        return;
    };
    let Ok(plan) = xml.plan() else {
        return;
    };
    let pools = plan.edge_pools.iter();
    let located = pools.flat_map(|p| {
        [&p.internal_fqdn, &p.access_edge.fqdn, &p.av_edge.fqdn]
            .into_iter()
            .chain(&p.servers)
    });
    for v in located.chain(&plan.sip_domains) {
        let at = xml.lines.line_col(&xml.text, v.span.start);
        assert!(
            xml.text.get(v.span.clone()).is_some(),
            "span outside the text"
        );
        assert_eq!(at, (v.line, v.column), "line and column of {v:?}");
    }
    let text = topology_xml::yaml::write(&plan, "t.xml", &xml.sha256);
    let file = load::topology_from_text(Path::new("t.yaml"), Arc::from("t.yaml"), &text, true)
        .expect("the imported text is a topology file");
    let invalid: Vec<_> = file
        .problems
        .iter()
        .filter(|p| p.kind == model::topology::ProblemKind::Invalid)
        .collect();
    assert!(invalid.is_empty(), "{text}\n{invalid:?}");
}

/// Topology YAML → the model and the findings of every rule (suppressions applied).
fn checked(data: &[u8]) -> Option<(model::Repository, Vec<Diagnostic>, usize)> {
    let file =
        load::topology_from_text(Path::new("t.yaml"), Arc::from("t.yaml"), &text(data), true)?;
    let repo = model::Repository {
        topologies: vec![file],
        ..model::Repository::default()
    };
    let plan = derive::Plan::build(&repo);
    let settings = rules::Settings {
        now: NOW,
        expiry_warning_days: 30,
        unknown_selectors: Vec::new(),
    };
    let cx = rules::Context::new(&repo, &plan, &settings);
    let all = rules::registry();
    let mut diagnostics = rules::check(&cx, all);
    let suppressed = filter::suppressions::apply(&mut diagnostics, &repo, all);
    Some((repo, diagnostics, suppressed))
}

const NOW: time::OffsetDateTime = time::macros::datetime!(2026-11-26 12:00 UTC);

/// Topology YAML → every rule → every output format.
pub fn report(data: &[u8]) {
    let Some((repo, diagnostics, suppressed)) = checked(data) else {
        return;
    };
    let all = rules::registry();
    let infos: Vec<_> = all
        .iter()
        .map(|r| crate::diagnostic::RuleInfo {
            meta: r.meta(),
            page: r.page(),
            url: None,
        })
        .collect();
    let sources: BTreeMap<Arc<str>, Arc<str>> = repo
        .topologies
        .iter()
        .map(|t| (t.display.clone(), t.text.clone()))
        .collect();
    let r = report::Report {
        diagnostics: &diagnostics,
        rules: &infos,
        sources: &sources,
        files: 1,
        skipped: 0,
        suppressed,
        baselined: 0,
        recorded: None,
        statistics: false,
    };
    for format in [
        report::Format::Human,
        report::Format::Concise,
        report::Format::Json,
        report::Format::Sarif,
        report::Format::Github,
    ] {
        let _ = report::render(format, &r, true);
    }
}

/// Topology YAML → every rule → the certificate plan in every format, the timeline, the
/// HTML report and every request file.
pub fn plan(data: &[u8]) {
    let Some((repo, diagnostics, _)) = checked(data) else {
        return;
    };
    let built = plan::build::build(&plan::build::Inputs {
        repo: &repo,
        diagnostics: &diagnostics,
        threshold: Some(Severity::Warning),
        now: NOW,
        expiry_warning_days: 30,
    });
    for format in [
        plan::PlanFormat::Human,
        plan::PlanFormat::Json,
        plan::PlanFormat::Markdown,
    ] {
        let _ = plan::render(format, &built);
    }
    let _ = plan::svg::render(&built);
    let _ = plan::html::render(&built);
    let _ = plan::emit::files(&built, true);
}

/// A certificate-like file: the first byte picks the extension it is read by.
pub fn certificate(data: &[u8]) {
    const EXTENSIONS: [&str; 6] = ["pem", "crt", "der", "csr", "p7b", "key"];
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let name = format!("f.{}", EXTENSIONS[pick as usize % EXTENSIONS.len()]);
    let _ = load::certificate::load(
        Path::new(&name).to_path_buf(),
        Arc::from(name.as_str()),
        bytes,
    );
}

/// A bundle of certificates (read as a `.pem` file is: PEM blocks or DER): each one's chain
/// built from the others, after the first links of all of them are screened together (the
/// signature screen, `derive::chain`), as the A rules do.
pub fn chains(data: &[u8]) {
    derive::chain::forget_links();
    let file = load::certificate::load(Path::new("c.pem").to_path_buf(), Arc::from("c.pem"), data);
    let certs = &file.certs;
    let trust = derive::chain::TrustSources {
        organisation: certs.iter().collect(),
        public: Vec::new(),
    };
    let starts: Vec<derive::chain::ChainStart<'_>> =
        certs.iter().map(|c| (c, &certs[..], &trust)).collect();
    derive::chain::screen_first_links(&starts);
    for leaf in certs {
        let _ = derive::chain::chain_end(leaf, certs, &trust);
    }
}

/// A PKCS#12 file opened with the fixtures' password and with none.
pub fn pkcs12(data: &[u8]) {
    let _ = load::password::unlock_pkcs12(data, "Secret123");
    let _ = load::password::unlock_pkcs12(data, "");
    let _ = load::pkcs12::key_providers(data);
}

/// A key file: read (PEM or DER PKCS#8), and its encrypted keys opened.
pub fn key(data: &[u8]) {
    let _ = load::certificate::load(Path::new("k.key").to_path_buf(), Arc::from("k.key"), data);
    let _ = load::password::unlock_pem_keys(data, "Secret123");
}

/// A cache entry (`src/cache/codec.rs`, the first byte 0), a cache shard's records after a
/// valid header (the first byte 1): every record's entry, the stat index's records after a
/// valid header and with a valid check (the first byte 2), or a topology tree
/// (`src/cache/tree.rs`, the first byte 3: the text it is read for, a zero byte, the tree).
/// An entry or tree that decodes must encode to the same bytes (each format has one form, so
/// nothing undecoded hides in it).
pub fn cache_entry(data: &[u8]) {
    match data.split_first() {
        Some((3, rest)) => {
            let at = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
            let text = String::from_utf8_lossy(&rest[..at]);
            let payload = rest.get(at + 1..).unwrap_or_default();
            if let Some(tree) = cache::tree::decode(payload, &text) {
                assert_eq!(
                    cache::tree::encode(&tree).as_deref(),
                    Some(payload),
                    "a tree re-encodes as read"
                );
            }
        }
        Some((2, records)) => {
            let _ = cache::stats::decode_records(records);
        }
        Some((0, entry)) => {
            if let Some(e) = cache::codec::decode(entry) {
                assert_eq!(
                    cache::codec::encode(&e),
                    entry,
                    "an entry re-encodes as read"
                );
            }
        }
        Some((_, records)) => {
            for payload in cache::decode_records(records).0.into_iter().flatten() {
                let _ = cache::codec::decode(&payload);
            }
        }
        None => {}
    }
}

/// `.edgelint.toml`.
pub fn config(data: &[u8]) {
    let _ = config::Config::from_text(
        &text(data),
        Path::new("/repo/.edgelint.toml"),
        ".edgelint.toml",
        false,
    );
}

/// A rule pack.
pub fn rule_pack(data: &[u8]) {
    let _ = rules::pack::parse(&text(data), "pack.yaml", false);
}

/// Messages to the language server (`edgelint server`): one JSON-RPC message per line, each
/// handled in order (analyses run at once: no debounce) by a server without workspace folders,
/// so each open topology is checked from its buffer alone (`file:///edgelint-fuzz/` stands for
/// the repository, so that the files a fixture names are there). A first `initialize` line chooses
/// the client's capabilities (its folders are dropped, and so are folder changes: nothing is
/// walked). Every answer must serialise, and every range it gives must not end before it
/// starts. A panic anywhere (even one the server catches) is the defect looked for.
pub fn lsp(data: &[u8]) {
    use crate::commands::server::{Server, Settings};
    use lsp_server::{Message, Request};
    // Documents open from the repository's own folders: no cache is written there.
    let settings = Settings {
        now: Some(NOW),
        no_cache: true,
        ..Settings::default()
    };
    let mut server = Server::new(settings, std::time::Duration::ZERO);
    let root = format!("file://{}/", env!("CARGO_MANIFEST_DIR"));
    let text = text(data).replace("file:///edgelint-fuzz/", &root);
    let mut lines = text.lines().peekable();
    let mut init = serde_json::json!({ "capabilities": {} });
    if let Some(Ok(Message::Request(r))) = lines.peek().map(|l| serde_json::from_str(l)) {
        if r.method == "initialize" {
            init = r.params;
            lines.next();
        }
    }
    if let Some(o) = init.as_object_mut() {
        for key in ["rootUri", "rootPath", "workspaceFolders"] {
            o.remove(key);
        }
    }
    let first = Request::new(0.into(), "initialize".into(), init);
    lsp_handle(&mut server, Message::Request(first));
    for line in lines {
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        let method = match &message {
            Message::Request(r) => r.method.as_str(),
            Message::Notification(n) => n.method.as_str(),
            Message::Response(_) => "",
        };
        if matches!(method, "initialize" | "workspace/didChangeWorkspaceFolders") {
            continue;
        }
        lsp_handle(&mut server, message);
        if server.exit_code().is_some() {
            break;
        }
    }
}

fn lsp_handle(server: &mut crate::commands::server::Server, message: lsp_server::Message) {
    server.handle(message);
    server.tick();
    for out in server.take_outgoing() {
        let value = serde_json::to_value(&out).expect("every message serialises");
        lsp_ranges_in_order(&value);
    }
}

/// Every `{start, end}` range of a message starts before it ends.
fn lsp_ranges_in_order(v: &serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            if let (Some(start), Some(end)) = (o.get("start"), o.get("end")) {
                let at = |p: &serde_json::Value| (p["line"].as_u64(), p["character"].as_u64());
                assert!(at(start) <= at(end), "a range ends before it starts: {v}");
            }
            o.values().for_each(lsp_ranges_in_order);
        }
        serde_json::Value::Array(a) => a.iter().for_each(lsp_ranges_in_order),
        _ => {}
    }
}
