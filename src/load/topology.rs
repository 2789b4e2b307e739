//! Topology file → typed model. One pass over the YAML node tree reports every unknown key,
//! type error and missing field (not only the first), each at its exact span.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::yaml::{self, plain_type, Node, NodeKind, PlainType};
use crate::model::schema::{self, parse_duration, Mapping};
use crate::model::topology::*;
use crate::source::LineIndex;

use super::secrets::{is_secret_key, Secret};

/// Does a YAML text look like a topology file even though it may not parse? (topology.md)
pub fn has_edge_pools_line(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("edge_pools:"))
}

/// Is this parsed YAML a topology file (a top-level mapping with `edge_pools`)?
pub fn is_topology_root(root: &Node) -> bool {
    matches!(&root.kind, NodeKind::Map(items) if items.iter().any(|(k, _)| scalar(k) == Some("edge_pools")))
}

fn scalar(n: &Node) -> Option<&str> {
    match &n.kind {
        NodeKind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

/// Read a topology file's text. `display` is the path as reported, `dir` the folder paths are
/// relative to.
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
    };
    let root = match parsed {
        Ok(r) => r,
        Err(e) => {
            file.problems.push(TopologyProblem {
                kind: ProblemKind::Invalid,
                span: e.span,
                message: e.message,
                label: Some("here".into()),
                help: None,
                related: None,
            });
            return file;
        }
    };
    let Some(root) = root else {
        file.problems.push(invalid(
            0..0,
            "the topology file is empty".into(),
            Some("start with `version: 1`, `sip_domains:` and `edge_pools:`".into()),
        ));
        return file;
    };
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut d = Decoder {
        dir,
        problems: Vec::new(),
    };
    let topology = d.topology(&root);
    if let Some(t) = &topology {
        d.consistency(t);
    }
    let invalid_found = d.problems.iter().any(|p| p.kind == ProblemKind::Invalid);
    file.problems.append(&mut d.problems);
    if !invalid_found {
        file.topology = topology;
    }
    file.tree = Some(root);
    file
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

fn invalid(span: Range<usize>, message: String, help: Option<String>) -> TopologyProblem {
    TopologyProblem {
        kind: ProblemKind::Invalid,
        span,
        message,
        label: None,
        help,
        related: None,
    }
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    if lower.len() >= 3 {
        if let Some(c) = candidates
            .iter()
            .find(|c| c.to_ascii_lowercase().starts_with(&lower))
        {
            return Some(c);
        }
    }
    candidates
        .iter()
        .map(|c| (distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// The first line of a node's span, for "missing field" errors on a multi-line mapping.
fn head(text_span: &Range<usize>) -> Range<usize> {
    text_span.start..text_span.start
}

struct Fields<'n> {
    map: HashMap<&'n str, (&'n Node, &'n Node)>,
    span: Range<usize>,
    what: &'static str,
    /// The table entry of the mapping (`model::schema`): its keys, required or not.
    mapping: &'static Mapping,
}

struct Decoder {
    dir: PathBuf,
    problems: Vec<TopologyProblem>,
}

impl Decoder {
    fn error(&mut self, span: Range<usize>, message: String, help: Option<String>) {
        self.problems.push(invalid(span, message, help));
    }

    fn type_error(&mut self, node: &Node, field: &str, expected: &str) {
        let mut p = invalid(
            node.span.clone(),
            format!("`{field}` expects {expected}, found {}", node.type_name()),
            None,
        );
        p.label = Some(format!("expected {expected}"));
        self.problems.push(p);
    }

    /// Check a mapping's keys against the format's table (`model::schema`); report unknown,
    /// duplicate and secret keys. `field` is the key the mapping is the value of.
    fn fields<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        mapping: &'static Mapping,
    ) -> Option<Fields<'n>> {
        let what = mapping.what;
        let known = mapping.keys();
        let NodeKind::Map(items) = &node.kind else {
            self.type_error(node, field, &format!("a mapping ({what})"));
            return None;
        };
        let mut map: HashMap<&'n str, (&'n Node, &'n Node)> = HashMap::new();
        for (k, v) in items {
            let Some(name) = scalar(k) else {
                self.error(
                    k.span.clone(),
                    format!("a key of {what} must be a plain name"),
                    None,
                );
                continue;
            };
            if let Some((first, _)) = map.get(name) {
                let first = first.span.clone();
                self.problems.push(TopologyProblem {
                    kind: ProblemKind::Invalid,
                    span: k.span.clone(),
                    message: format!("duplicate key `{name}` in {what}"),
                    label: Some("duplicate key".into()),
                    help: Some("remove one of the two keys".into()),
                    related: Some((first, "first defined here".into())),
                });
                continue;
            }
            // A literal secret is T005's (found, and masked, before parsing), not an unknown key.
            if is_secret_key(name) {
                map.insert(name, (k, v));
                continue;
            }
            if !known.contains(&name) {
                let help = match did_you_mean(name, &known) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("known keys: {}", known.join(", ")),
                };
                self.problems.push(TopologyProblem {
                    kind: ProblemKind::Invalid,
                    span: k.span.clone(),
                    message: format!("unknown key `{name}` in {what}"),
                    label: Some("unknown key".into()),
                    help: Some(help),
                    related: None,
                });
            }
            map.insert(name, (k, v));
        }
        Some(Fields {
            map,
            span: node.span.clone(),
            what,
            mapping,
        })
    }

    fn get<'n>(&self, f: &Fields<'n>, key: &str) -> Option<&'n Node> {
        debug_assert!(
            f.mapping.field(key).is_some(),
            "`{key}` is not in the table of {}",
            f.what
        );
        if is_secret_key(key) {
            return None;
        }
        f.map.get(key).map(|(_, v)| *v)
    }

    fn missing(&mut self, f: &Fields<'_>, key: &str) {
        debug_assert!(
            f.mapping.field(key).is_some_and(|d| d.required),
            "`{key}` is not required in the table of {}",
            f.what
        );
        // An unknown key already reported with "did you mean `key`?" says it all. A known key
        // is no misspelling (`nat` for a missing `name`).
        let misspelt = f.map.keys().any(|k| {
            *k != key
                && f.mapping.field(k).is_none()
                && did_you_mean(k, &[key]).is_some()
                && !is_secret_key(k)
        });
        if misspelt {
            return;
        }
        self.error(
            head(&f.span),
            format!("{} lacks the required key `{key}`", f.what),
            None,
        );
    }

    fn string(&mut self, node: &Node, field: &str) -> Option<Sp<String>> {
        match &node.kind {
            NodeKind::Scalar { value, plain } => {
                if *plain && matches!(plain_type(value), PlainType::Null | PlainType::Bool(_)) {
                    self.type_error(node, field, "a string");
                    None
                } else {
                    Some(Sp::new(value.clone(), node.span.clone()))
                }
            }
            _ => {
                self.type_error(node, field, "a string");
                None
            }
        }
    }

    fn opt_string(&mut self, f: &Fields<'_>, key: &str) -> Option<Sp<String>> {
        let n = self.get(f, key)?;
        self.string(n, key)
    }

    fn req_string(&mut self, f: &Fields<'_>, key: &str) -> Option<Sp<String>> {
        match self.get(f, key) {
            Some(n) => self.string(n, key),
            None => {
                self.missing(f, key);
                None
            }
        }
    }

    fn opt_bool(&mut self, f: &Fields<'_>, key: &str) -> Option<Sp<bool>> {
        let n = self.get(f, key)?;
        if let NodeKind::Scalar { value, plain: true } = &n.kind {
            if let PlainType::Bool(b) = plain_type(value) {
                return Some(Sp::new(b, n.span.clone()));
            }
        }
        self.type_error(n, key, "true or false");
        None
    }

    /// A list of strings; a single string is accepted as a list of one.
    fn string_list(&mut self, node: &Node, field: &str) -> Vec<Sp<String>> {
        match &node.kind {
            NodeKind::Seq(items) => items.iter().filter_map(|i| self.string(i, field)).collect(),
            NodeKind::Scalar { .. } => self.string(node, field).into_iter().collect(),
            NodeKind::Map(_) => {
                self.type_error(node, field, "a list of strings");
                Vec::new()
            }
        }
    }

    fn seq<'n>(&mut self, node: &'n Node, field: &str, what: &str) -> &'n [Node] {
        match &node.kind {
            NodeKind::Seq(items) => items,
            _ => {
                self.type_error(node, field, &format!("a list of {what}"));
                &[]
            }
        }
    }

    fn path(&mut self, node: &Node, field: &str) -> Option<PathRef> {
        let written = self.string(node, field)?;
        if written.value.trim().is_empty() {
            self.error(node.span.clone(), format!("`{field}` is empty"), None);
            return None;
        }
        let resolved = crate::discover::normalize(&self.dir.join(&written.value));
        Some(PathRef { written, resolved })
    }

    fn enum_value<T: Copy>(
        &mut self,
        node: &Node,
        field: &str,
        names: &[&'static str],
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<Sp<T>> {
        let s = self.string(node, field)?;
        match parse(&s.value) {
            Some(v) => Some(Sp::new(v, s.span)),
            None => {
                let help = match did_you_mean(&s.value, names) {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => format!("one of: {}", names.join(", ")),
                };
                self.problems.push(TopologyProblem {
                    label: Some(format!("unknown {field} value")),
                    ..invalid(
                        s.span,
                        format!("`{field}` has an unknown value `{}`", s.value),
                        Some(help),
                    )
                });
                None
            }
        }
    }

    fn topology(&mut self, root: &Node) -> Option<Topology> {
        let f = self.fields(root, "topology", &schema::TOPOLOGY)?;
        let version = match self.get(&f, "version") {
            None => {
                self.missing(&f, "version");
                None
            }
            Some(n) => match &n.kind {
                NodeKind::Scalar { value, plain: true } => match plain_type(value) {
                    PlainType::Int(1) => Some(1),
                    PlainType::Int(v) => {
                        self.error(
                            n.span.clone(),
                            format!("unsupported topology format version {v}"),
                            Some("this edgelint reads format version 1".into()),
                        );
                        None
                    }
                    _ => {
                        self.type_error(n, "version", "an integer");
                        None
                    }
                },
                _ => {
                    self.type_error(n, "version", "an integer");
                    None
                }
            },
        };
        let deployment = self.opt_string(&f, "deployment");
        let product_span = self.get(&f, "product").map(|n| n.span.clone());
        let product = match self.get(&f, "product") {
            Some(n) => self
                .enum_value(n, "product", &Product::NAMES, Product::parse)
                .map(|s| s.value),
            None => Some(Product::Lync2013),
        };
        let sip_domains = match self.get(&f, "sip_domains") {
            Some(n) => {
                let v = self.string_list(n, "sip_domains");
                if v.is_empty() && matches!(n.kind, NodeKind::Seq(_)) {
                    self.error(
                        n.span.clone(),
                        "`sip_domains` needs at least one SIP domain".into(),
                        None,
                    );
                }
                v
            }
            None => {
                self.missing(&f, "sip_domains");
                Vec::new()
            }
        };
        let public_im = match self.get(&f, "public_im") {
            Some(n) => self.string_list(n, "public_im"),
            None => Vec::new(),
        };
        let xmpp_key = f.map.get("xmpp").map(|(k, _)| k.span.clone());
        let xmpp = self
            .get(&f, "xmpp")
            .and_then(|n| self.xmpp(n))
            .map(|mut x| {
                x.span = xmpp_key.unwrap_or(x.span);
                x
            });
        let mut edge_pools = Vec::new();
        match self.get(&f, "edge_pools") {
            Some(n) => {
                let items = self.seq(n, "edge_pools", "Edge pools");
                if items.is_empty() && matches!(n.kind, NodeKind::Seq(_)) {
                    self.error(
                        n.span.clone(),
                        "`edge_pools` needs at least one pool".into(),
                        None,
                    );
                }
                for item in items {
                    if let Some(p) = self.pool(item) {
                        edge_pools.push(p);
                    }
                }
            }
            None => self.missing(&f, "edge_pools"),
        }
        let reverse_proxy = self
            .get(&f, "reverse_proxy")
            .and_then(|n| self.reverse_proxy(n));
        let trust = match self.get(&f, "trust") {
            Some(n) => self.trust(n),
            None => Trust::default(),
        };
        Some(Topology {
            version: version?,
            deployment,
            product: product?,
            product_span,
            sip_domains,
            public_im,
            xmpp,
            edge_pools,
            reverse_proxy,
            trust,
        })
    }

    fn xmpp(&mut self, n: &Node) -> Option<Xmpp> {
        let f = self.fields(n, "xmpp", &schema::XMPP)?;
        let domains = match self.get(&f, "domains") {
            Some(d) => self.string_list(d, "domains"),
            None => {
                self.missing(&f, "domains");
                Vec::new()
            }
        };
        let srv_target = self.opt_string(&f, "srv_target");
        Some(Xmpp {
            span: n.span.clone(),
            domains,
            srv_target,
        })
    }

    fn pool(&mut self, n: &Node) -> Option<Pool> {
        let f = self.fields(n, "edge_pools", &schema::POOL)?;
        let name = self.req_string(&f, "name");
        let internal_fqdn = self.req_string(&f, "internal_fqdn");
        let load_balancing_span = self.get(&f, "load_balancing").map(|n| n.span.clone());
        let load_balancing = match self.get(&f, "load_balancing") {
            Some(v) => self
                .enum_value(
                    v,
                    "load_balancing",
                    &LoadBalancing::NAMES,
                    LoadBalancing::parse,
                )
                .map(|s| s.value),
            None => Some(LoadBalancing::Dns),
        };
        let nat = self.opt_bool(&f, "nat");
        let federation = self.opt_bool(&f, "federation");
        let token_lifetime = self.get(&f, "token_lifetime").and_then(|v| {
            let s = self.string(v, "token_lifetime")?;
            match parse_duration(&s.value) {
                // Set-CsAVEdgeConfiguration's MaxTokenLifetime range (S31).
                Some(d) if d > time::Duration::days(180) || d < time::Duration::minutes(1) => {
                    self.error(
                        s.span,
                        format!(
                            "`token_lifetime` `{}` is outside MaxTokenLifetime's range, 1m to 180d",
                            s.value
                        ),
                        Some("Set-CsAVEdgeConfiguration accepts 00:01:00 to 180.00:00:00".into()),
                    );
                    None
                }
                Some(d) => Some(Sp::new(d, s.span)),
                None => {
                    self.error(
                        s.span,
                        format!("`token_lifetime` `{}` is not a duration", s.value),
                        Some("write <n>m, <n>h or <n>d, e.g. 90m, 8h, 2d".into()),
                    );
                    None
                }
            }
        });
        let external = match self.get(&f, "external") {
            Some(e) => self.external(e),
            None => {
                self.missing(&f, "external");
                None
            }
        };
        let mut servers = Vec::new();
        match self.get(&f, "servers") {
            Some(s) => {
                let items = self.seq(s, "servers", "servers");
                if items.is_empty() && matches!(s.kind, NodeKind::Seq(_)) {
                    self.error(
                        s.span.clone(),
                        "`servers` needs at least one Edge Server".into(),
                        None,
                    );
                }
                for item in items {
                    if let Some(srv) = self.server(item) {
                        servers.push(srv);
                    }
                }
            }
            None => self.missing(&f, "servers"),
        }
        let certificates = self.cert_entries(&f);
        Some(Pool {
            name: name?,
            internal_fqdn: internal_fqdn?,
            load_balancing: load_balancing?,
            load_balancing_span,
            nat,
            federation,
            token_lifetime,
            external: external?,
            servers,
            certificates,
        })
    }

    fn external(&mut self, n: &Node) -> Option<External> {
        let f = self.fields(n, "external", &schema::EXTERNAL)?;
        let a = self.req_string(&f, "access_edge");
        let w = self.req_string(&f, "web_conferencing_edge");
        let v = self.req_string(&f, "av_edge");
        Some(External {
            access_edge: a?,
            web_conferencing_edge: w?,
            av_edge: v?,
        })
    }

    fn server(&mut self, n: &Node) -> Option<Server> {
        if let NodeKind::Scalar { .. } = n.kind {
            return Some(Server {
                fqdn: self.string(n, "servers")?,
                certificates: Vec::new(),
            });
        }
        let f = self.fields(n, "servers", &schema::SERVER)?;
        let fqdn = self.req_string(&f, "fqdn");
        let certificates = self.cert_entries(&f);
        Some(Server {
            fqdn: fqdn?,
            certificates,
        })
    }

    fn cert_entries(&mut self, f: &Fields<'_>) -> Vec<CertEntry> {
        let Some(list) = self.get(f, "certificates") else {
            return Vec::new();
        };
        let items = self.seq(list, "certificates", "certificate entries");
        items
            .iter()
            .filter_map(|i| self.cert_entry(i, true))
            .collect()
    }

    fn cert_entry(&mut self, n: &Node, with_uses: bool) -> Option<CertEntry> {
        let mapping = if with_uses {
            &schema::CERTIFICATE
        } else {
            &schema::REVERSE_PROXY_CERTIFICATE
        };
        let what = mapping.what;
        let f = self.fields(n, "certificates", mapping)?;
        let file = self.get(&f, "file").and_then(|v| self.path(v, "file"));
        let key = self.get(&f, "key").and_then(|v| self.path(v, "key"));
        let request = self
            .get(&f, "request")
            .and_then(|v| self.path(v, "request"));
        if self.get(&f, "file").is_none() && self.get(&f, "request").is_none() {
            self.error(
                head(&f.span),
                format!(
                    "{what} needs `file` (an issued certificate) or `request` (a PKCS#10 request)"
                ),
                None,
            );
        }
        let password_env = self.opt_string(&f, "password_env");
        let exportable = self.opt_bool(&f, "exportable");
        let mut uses = Vec::new();
        if with_uses {
            match self.get(&f, "uses") {
                Some(u) => {
                    let list: Vec<Node> = match &u.kind {
                        NodeKind::Seq(items) => items.clone(),
                        _ => vec![u.clone()],
                    };
                    for item in &list {
                        if let Some(v) = self.enum_value(item, "uses", &Use::NAMES, Use::parse) {
                            uses.push(v);
                        }
                    }
                    if list.is_empty() {
                        self.error(
                            u.span.clone(),
                            "`uses` needs at least one certificate use".into(),
                            None,
                        );
                    }
                }
                None => self.missing(&f, "uses"),
            }
        }
        let roll = if with_uses {
            self.get(&f, "roll").and_then(|r| self.roll(r))
        } else {
            None
        };
        Some(CertEntry {
            file,
            key,
            request,
            password_env,
            exportable,
            uses,
            roll,
            span: n.span.clone(),
        })
    }

    fn roll(&mut self, n: &Node) -> Option<Roll> {
        let f = self.fields(n, "roll", &schema::ROLL)?;
        let s = self.req_string(&f, "effective_date")?;
        match OffsetDateTime::parse(&s.value, &Rfc3339) {
            Ok(d) => Some(Roll {
                effective_date: Sp::new(d, s.span),
            }),
            Err(_) => {
                self.error(
                    s.span,
                    format!(
                        "`effective_date` `{}` is not an RFC 3339 timestamp",
                        s.value
                    ),
                    Some("write e.g. 2027-03-01T06:00:00Z".into()),
                );
                None
            }
        }
    }

    fn reverse_proxy(&mut self, n: &Node) -> Option<ReverseProxy> {
        let f = self.fields(n, "reverse_proxy", &schema::REVERSE_PROXY)?;
        let external_web_services = match self.get(&f, "external_web_services") {
            Some(v) => self.string_list(v, "external_web_services"),
            None => Vec::new(),
        };
        let mut simple_urls = Vec::new();
        if let Some(s) = self.get(&f, "simple_urls") {
            if let Some(sf) = self.fields(s, "simple_urls", &schema::SIMPLE_URLS) {
                for (kind, key) in SimpleUrlKind::ALL {
                    if let Some(v) = self.get(&sf, key) {
                        simple_urls.extend(
                            self.string_list(v, key)
                                .into_iter()
                                .map(|url| SimpleUrl { kind, url }),
                        );
                    }
                }
            }
        }
        let lyncdiscover = self.opt_bool(&f, "lyncdiscover").is_some_and(|b| b.value);
        let office_web_apps = self.opt_string(&f, "office_web_apps");
        let certificate = self
            .get(&f, "certificate")
            .and_then(|c| self.cert_entry(c, false));
        Some(ReverseProxy {
            external_web_services,
            simple_urls,
            lyncdiscover,
            office_web_apps,
            certificate,
        })
    }

    fn trust(&mut self, n: &Node) -> Trust {
        let Some(f) = self.fields(n, "trust", &schema::TRUST) else {
            return Trust::default();
        };
        let mut t = Trust::default();
        for (key, out) in [
            ("ca_bundle", &mut t.ca_bundle),
            ("public_roots", &mut t.public_roots),
        ] {
            if let Some(v) = self.get(&f, key) {
                let list: Vec<Node> = match &v.kind {
                    NodeKind::Seq(items) => items.clone(),
                    _ => vec![v.clone()],
                };
                out.extend(list.iter().filter_map(|i| self.path(i, key)));
            }
        }
        t
    }

    /// T001 conditions that need the whole file: unique pool names, one current and one
    /// staged entry per use and level.
    fn consistency(&mut self, t: &Topology) {
        let mut names: HashMap<String, Range<usize>> = HashMap::new();
        for pool in &t.edge_pools {
            let key = pool.name.value.to_ascii_lowercase();
            if let Some(first) = names.get(&key) {
                self.problems.push(TopologyProblem {
                    kind: ProblemKind::Invalid,
                    span: pool.name.span.clone(),
                    message: format!("pool name `{}` is used twice in this file", pool.name.value),
                    label: Some("second pool with this name".into()),
                    help: Some("give every Edge pool a unique `name`".into()),
                    related: Some((first.clone(), "first used here".into())),
                });
            } else {
                names.insert(key, pool.name.span.clone());
            }
            let level = format!("pool {}", pool.name.value);
            self.unique_uses(&pool.certificates, &level);
            for s in &pool.servers {
                self.unique_uses(&s.certificates, &format!("server {}", s.fqdn.value));
            }
        }
    }

    fn unique_uses(&mut self, entries: &[CertEntry], level: &str) {
        let mut seen: HashMap<(Use, bool), Range<usize>> = HashMap::new();
        for e in entries {
            // A request-only entry is a plan, not an assignment.
            if e.file.is_none() {
                continue;
            }
            for u in &e.uses {
                let staged = e.is_staged();
                if let Some(first) = seen.get(&(u.value, staged)) {
                    let kind = if staged { "staged" } else { "current" };
                    self.problems.push(TopologyProblem {
                        kind: ProblemKind::Invalid,
                        span: u.span.clone(),
                        message: format!(
                            "two {kind} certificates for {} on {level}",
                            u.value.name()
                        ),
                        label: Some(format!("second {kind} {}", u.value.name())),
                        help: Some(
                            "assign each use once per level; a replacement goes in an entry with `roll:`"
                                .into(),
                        ),
                        related: Some((first.clone(), "first assigned here".into())),
                    });
                } else {
                    seen.insert((u.value, staged), u.span.clone());
                }
            }
        }
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
    fn suggestions() {
        assert_eq!(
            did_you_mean("sip_domain", &["sip_domains", "xmpp"]),
            Some("sip_domains")
        );
        assert_eq!(did_you_mean("zzzzzz", &["sip_domains", "xmpp"]), None);
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
