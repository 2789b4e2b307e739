//! Topology file → typed model. One pass over the YAML node tree reports every unknown key,
//! type error and missing field (not only the first), each at its exact span.

mod consistency;
mod decode;
mod overlay;
mod xml;

use std::path::Path;
use std::sync::Arc;

use super::reader::{scalar, Problem, Reader};
use super::secrets::Secret;
use super::yaml::{self, Node, NodeKind};
use crate::model::topology::*;
use crate::source::LineIndex;

pub use super::reader::did_you_mean;
pub use decode::is_windows_absolute;

/// The top-level keys that make a YAML file a topology file: its pools, or the topology XML
/// they come from.
const TOPOLOGY_KEYS: [&str; 2] = ["edge_pools", "topology_xml"];

/// Does a YAML text look like a topology file even though it may not parse? (topology.md)
pub fn has_edge_pools_line(text: &str) -> bool {
    text.lines().any(|l| {
        TOPOLOGY_KEYS
            .iter()
            .any(|k| l.strip_prefix(k).is_some_and(|rest| rest.starts_with(':')))
    })
}

/// Is this parsed YAML a topology file (a top-level mapping with `edge_pools` or
/// `topology_xml`)?
pub fn is_topology_root(root: &Node) -> bool {
    matches!(&root.kind, NodeKind::Map(items) if items.iter().any(|(k, _)| scalar(k).is_some_and(|k| TOPOLOGY_KEYS.contains(&k))))
}

/// Read a topology file's text (secrets already masked). `display` is the path as reported;
/// paths in it are relative to its folder.
pub fn load(
    path: &Path,
    display: Arc<str>,
    text: Arc<str>,
    parsed: Result<Option<Node>, yaml::YamlError>,
    secrets: &[Secret],
) -> TopologyFile {
    let lines = LineIndex::new(&text);
    let suppressions = super::suppressions::parse(&text);
    let mut file = TopologyFile {
        path: path.to_path_buf(),
        display,
        text,
        lines,
        topology: None,
        problems: secrets.iter().map(secret_problem).collect(),
        suppressions,
        tree: None,
        xml: None,
    };
    let root = match parsed {
        Ok(Some(root)) => root,
        Ok(None) => {
            file.problems.push(invalid(
                Problem::new(0..0, "the topology file is empty")
                    .help("start with `version: 1`, `sip_domains:` and `edge_pools:`"),
            ));
            return file;
        }
        Err(e) => {
            file.problems
                .push(invalid(Problem::new(e.span, e.message).label("here")));
            return file;
        }
    };
    let mut d = decode::Decoder {
        dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
        reader: Reader::default(),
        advisories: Vec::new(),
        overlays: None,
    };
    let mut topology = d.topology(&root);
    if let (Some(t), Some(overlays)) = (&mut topology, d.overlays.take()) {
        let completed = xml::complete(t, overlays);
        file.xml = completed.xml;
        for p in completed.problems {
            d.reader.push(p);
        }
        d.advisories.extend(completed.advisories);
    }
    if let Some(t) = &topology {
        d.consistency(t);
    }
    let clean = d.reader.problems.is_empty();
    file.problems
        .extend(d.reader.problems.into_iter().map(invalid));
    file.problems
        .extend(d.advisories.into_iter().map(|p| TopologyProblem {
            kind: ProblemKind::Advisory,
            ..invalid(p)
        }));
    if clean {
        file.topology = topology;
    }
    file.tree = Some(root);
    file
}

/// A reading problem as T001's.
fn invalid(p: Problem) -> TopologyProblem {
    TopologyProblem {
        kind: ProblemKind::Invalid,
        span: p.span,
        message: p.message,
        label: p.label,
        help: p.help,
        related: p.related,
    }
}

/// T005: a literal secret key; its value was masked before the text was parsed.
pub(super) fn secret_problem(s: &Secret) -> TopologyProblem {
    TopologyProblem {
        kind: ProblemKind::Secret,
        span: s.key.clone(),
        message: format!(
            "literal `{}:` in a topology file: a secret committed to the repository (its value is not shown)",
            s.name
        ),
        label: Some("secret here".into()),
        help: Some(
            "remove it and rotate the secret; name an environment variable with `password_env:` instead"
                .into(),
        ),
        related: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(src: &str) -> Vec<String> {
        let file = load(
            Path::new("t.yaml"),
            Arc::from("t.yaml"),
            Arc::from(src),
            yaml::parse(src),
            &[],
        );
        file.problems.into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn a_known_key_is_no_misspelling_of_a_missing_one() {
        let src = "version: 1\nsip_domains: [a.com]\nedge_pools:\n  - internal_fqdn: p.corp\n    nat: true\n    external: {access_edge: a, web_conferencing_edge: b, av_edge: c}\n    servers: [s]\n";
        // Once silence, and the pool was dropped.
        assert_eq!(
            problems(src),
            ["an Edge pool lacks the required key `name`"]
        );
        // An unknown key close to the missing one is reported alone, with "did you mean".
        let src = src.replace("nat: true", "nme: p");
        assert_eq!(problems(&src), ["unknown key `nme` in an Edge pool"]);
    }

    #[test]
    fn durations() {
        use crate::model::schema::parse_duration;
        assert_eq!(parse_duration("90m"), Some(time::Duration::minutes(90)));
        assert_eq!(parse_duration("8x"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration(" +2d "), Some(time::Duration::days(2)));
        assert_eq!(parse_duration("0h"), None);
        // Once a panic: a multi-byte last character, and an overflowing count.
        assert_eq!(parse_duration("5µ"), None);
        assert_eq!(parse_duration("999999999999999999d"), None);
    }
}
