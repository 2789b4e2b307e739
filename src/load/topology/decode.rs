//! The topology format's mappings, read one by one with the shared typed reader against the
//! format's key table (`model::schema`): every unknown key, type error and missing field is a
//! problem at its exact span, not only the first.

use std::ops::Range;
use std::path::PathBuf;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::load::reader::{Fields, Problem, Reader};
use crate::load::secrets::is_secret_key;
use crate::model::schema::{self, parse_duration, Mapping};
use crate::model::topology::*;
use crate::model::tree::{plain_type, Node, NodeKind, PlainType};

/// A mapping of the format: its keys, and its entry in the key table.
pub(super) struct Table<'n> {
    fields: Fields<'n>,
    mapping: &'static Mapping,
}

pub(super) struct Decoder {
    /// The folder paths are relative to.
    pub dir: PathBuf,
    pub reader: Reader,
    /// Problems that do not stop the file from being checked.
    pub advisories: Vec<Problem>,
    /// With `topology_xml`: the pools as written, to be completed from the XML.
    pub overlays: Option<Vec<super::overlay::PoolOverlay>>,
}

impl Decoder {
    pub(super) fn error(&mut self, span: Range<usize>, message: String, help: Option<String>) {
        let mut p = Problem::new(span, message);
        p.help = help;
        self.reader.push(p);
    }

    /// A mapping checked against the format's table; `field` is the key it is the value of.
    /// Literal secrets are T005's (found and masked before parsing), not unknown keys.
    pub(super) fn table<'n>(
        &mut self,
        node: &'n Node,
        field: &str,
        mapping: &'static Mapping,
    ) -> Option<Table<'n>> {
        let fields =
            self.reader
                .mapping(node, field, mapping.what, &mapping.keys(), is_secret_key)?;
        Some(Table { fields, mapping })
    }

    pub(super) fn get<'n>(&self, t: &Table<'n>, key: &str) -> Option<&'n Node> {
        debug_assert!(
            t.mapping.field(key).is_some(),
            "`{key}` is not in the table of {}",
            t.mapping.what
        );
        t.fields.get(key)
    }

    /// A required key is missing, unless an unknown key already said "did you mean `key`?"
    /// (a known key is no misspelling: `nat` for a missing `name`).
    fn missing(&mut self, t: &Table<'_>, key: &str) {
        let misspelt = t.fields.items.iter().any(|(k, _, _)| {
            *k != key
                && t.mapping.field(k).is_none()
                && crate::load::reader::did_you_mean(k, &[key]).is_some()
                && !is_secret_key(k)
        });
        if !misspelt {
            let message = format!("{} lacks the required key `{key}`", t.mapping.what);
            self.error(t.fields.head(), message, None);
        }
    }

    pub(super) fn opt_string(&mut self, t: &Table<'_>, key: &str) -> Option<Sp<String>> {
        let n = self.get(t, key)?;
        self.reader.string(n, key)
    }

    pub(super) fn req_string(&mut self, t: &Table<'_>, key: &str) -> Option<Sp<String>> {
        match self.get(t, key) {
            Some(n) => self.reader.string(n, key),
            None => {
                self.missing(t, key);
                None
            }
        }
    }

    pub(super) fn opt_bool(&mut self, t: &Table<'_>, key: &str) -> Option<Sp<bool>> {
        let n = self.get(t, key)?;
        self.reader.boolean(n, key)
    }

    /// A list of at least one string (`what` names one item in the error).
    fn non_empty_list(&mut self, n: &Node, field: &str, what: &str) -> Vec<Sp<String>> {
        let v = self.reader.string_list(n, field);
        if v.is_empty() && matches!(n.kind, NodeKind::Seq(_)) {
            self.error(
                n.span.clone(),
                format!("`{field}` needs at least one {what}"),
                None,
            );
        }
        v
    }

    fn path(&mut self, node: &Node, field: &str) -> Option<PathRef> {
        let written = self.reader.string(node, field)?;
        if written.value.trim().is_empty() {
            self.error(node.span.clone(), format!("`{field}` is empty"), None);
            return None;
        }
        let portable = self.portable(&written, field);
        let resolved = crate::discover::normalize(&self.dir.join(portable));
        Some(PathRef { written, resolved })
    }

    /// A path as this machine reads it: a repository is shared between Windows editors and
    /// Linux CI, so `certs\edge.pfx` is read as `certs/edge.pfx`, with a word to write `/`. A
    /// Windows absolute path (`C:\certs\...`, `\\server\...`) is left as written: no such
    /// file exists here, and T002 says why.
    fn portable(&mut self, written: &Sp<String>, field: &str) -> String {
        let w = &written.value;
        if !w.contains('\\') || is_windows_absolute(w) {
            return w.clone();
        }
        let forward = w.replace('\\', "/");
        self.advisories.push(
            Problem::new(
                written.span.clone(),
                format!("`{field}` path `{w}` uses `\\`; it is read as `{forward}`"),
            )
            .label("write `/`")
            .help(format!(
                "write `{forward}`: `/` works on Windows and on the Linux machines that run CI"
            )),
        );
        forward
    }

    /// A path or a list of paths.
    fn paths(&mut self, node: &Node, field: &str) -> Vec<PathRef> {
        let items: Vec<&Node> = match &node.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        items
            .into_iter()
            .filter_map(|i| self.path(i, field))
            .collect()
    }

    pub(super) fn topology(&mut self, root: &Node) -> Option<Topology> {
        let t = self.table(root, "topology", &schema::TOPOLOGY)?;
        let version = self.version(&t);
        let xml_mode = self.get(&t, "topology_xml").is_some();
        let topology_xml = self
            .get(&t, "topology_xml")
            .and_then(|n| self.path(n, "topology_xml"));
        let deployment = self.opt_string(&t, "deployment");
        let product_span = self.get(&t, "product").map(|n| n.span.clone());
        let product = match self.get(&t, "product") {
            Some(n) => self
                .reader
                .one_of(n, "product", &Product::NAMES, Product::parse)
                .map(|s| s.value),
            None => Some(Product::Lync2013),
        };
        let sip_domains = match self.get(&t, "sip_domains") {
            Some(n) => self.non_empty_list(n, "sip_domains", "SIP domain"),
            None if xml_mode => Vec::new(),
            None => {
                self.missing(&t, "sip_domains");
                Vec::new()
            }
        };
        let public_im = match self.get(&t, "public_im") {
            Some(n) => self.reader.string_list(n, "public_im"),
            None => Vec::new(),
        };
        let xmpp_key = t.fields.key("xmpp").map(|k| k.span.clone());
        let xmpp = self
            .get(&t, "xmpp")
            .and_then(|n| self.xmpp(n))
            .map(|mut x| {
                x.span = xmpp_key.unwrap_or(x.span);
                x
            });
        let edge_pools = if xml_mode {
            let pools = self.get(&t, "edge_pools");
            self.overlays = Some(self.overlays(pools));
            Vec::new()
        } else {
            self.pools(&t)
        };
        let reverse_proxy = self
            .get(&t, "reverse_proxy")
            .and_then(|n| self.reverse_proxy(n));
        let trust = match self.get(&t, "trust") {
            Some(n) => self.trust(n),
            None => Trust::default(),
        };
        Some(Topology {
            version: version?,
            topology_xml,
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

    /// `version: 1`, the only format version.
    fn version(&mut self, t: &Table<'_>) -> Option<i64> {
        let Some(n) = self.get(t, "version") else {
            self.missing(t, "version");
            return None;
        };
        match &n.kind {
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
                    self.reader.type_error(n, "version", "an integer");
                    None
                }
            },
            _ => {
                self.reader.type_error(n, "version", "an integer");
                None
            }
        }
    }

    fn pools(&mut self, t: &Table<'_>) -> Vec<Pool> {
        let Some(n) = self.get(t, "edge_pools") else {
            self.missing(t, "edge_pools");
            return Vec::new();
        };
        let items = self.pool_items(n);
        items.iter().filter_map(|item| self.pool(item)).collect()
    }

    /// The items of `edge_pools`: a list of at least one.
    pub(super) fn pool_items<'n>(&mut self, n: &'n Node) -> &'n [Node] {
        let items = self.reader.seq(n, "edge_pools", "Edge pools");
        if items.is_empty() && matches!(n.kind, NodeKind::Seq(_)) {
            self.error(
                n.span.clone(),
                "`edge_pools` needs at least one pool".into(),
                None,
            );
        }
        items
    }

    fn xmpp(&mut self, n: &Node) -> Option<Xmpp> {
        let t = self.table(n, "xmpp", &schema::XMPP)?;
        let domains = match self.get(&t, "domains") {
            Some(d) => self.reader.string_list(d, "domains"),
            None => {
                self.missing(&t, "domains");
                Vec::new()
            }
        };
        let srv_target = self.opt_string(&t, "srv_target");
        Some(Xmpp {
            span: n.span.clone(),
            domains,
            srv_target,
        })
    }

    fn pool(&mut self, n: &Node) -> Option<Pool> {
        let t = self.table(n, "edge_pools", &schema::POOL)?;
        let name = self.req_string(&t, "name");
        let internal_fqdn = self.req_string(&t, "internal_fqdn");
        let (load_balancing, load_balancing_span) = self.load_balancing(&t);
        let nat = self.opt_bool(&t, "nat");
        let federation = self.opt_bool(&t, "federation");
        let token_lifetime = self
            .get(&t, "token_lifetime")
            .and_then(|v| self.token_lifetime(v));
        let external = match self.get(&t, "external") {
            Some(e) => self.external(e),
            None => {
                self.missing(&t, "external");
                None
            }
        };
        let servers = self.servers(&t);
        let certificates = self.cert_entries(&t);
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

    /// `load_balancing` (default `dns`) and where it is written.
    pub(super) fn load_balancing(
        &mut self,
        t: &Table<'_>,
    ) -> (Option<LoadBalancing>, Option<Range<usize>>) {
        let span = self.get(t, "load_balancing").map(|n| n.span.clone());
        let value = match self.get(t, "load_balancing") {
            Some(v) => self
                .reader
                .one_of(
                    v,
                    "load_balancing",
                    &LoadBalancing::NAMES,
                    LoadBalancing::parse,
                )
                .map(|s| s.value),
            None => Some(LoadBalancing::Dns),
        };
        (value, span)
    }

    /// `token_lifetime`: a duration within Set-CsAVEdgeConfiguration's MaxTokenLifetime range.
    pub(super) fn token_lifetime(&mut self, v: &Node) -> Option<Sp<time::Duration>> {
        let s = self.reader.string(v, "token_lifetime")?;
        match parse_duration(&s.value) {
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
    }

    fn external(&mut self, n: &Node) -> Option<External> {
        let t = self.table(n, "external", &schema::EXTERNAL)?;
        let a = self.req_string(&t, "access_edge");
        let w = self.req_string(&t, "web_conferencing_edge");
        let v = self.req_string(&t, "av_edge");
        Some(External {
            access_edge: a?,
            web_conferencing_edge: w?,
            av_edge: v?,
        })
    }

    pub(super) fn servers(&mut self, t: &Table<'_>) -> Vec<Server> {
        let Some(s) = self.get(t, "servers") else {
            self.missing(t, "servers");
            return Vec::new();
        };
        let items = self.reader.seq(s, "servers", "servers");
        if items.is_empty() && matches!(s.kind, NodeKind::Seq(_)) {
            self.error(
                s.span.clone(),
                "`servers` needs at least one Edge Server".into(),
                None,
            );
        }
        items.iter().filter_map(|item| self.server(item)).collect()
    }

    fn server(&mut self, n: &Node) -> Option<Server> {
        if let NodeKind::Scalar { .. } = n.kind {
            return Some(Server {
                fqdn: self.reader.string(n, "servers")?,
                certificates: Vec::new(),
            });
        }
        let t = self.table(n, "servers", &schema::SERVER)?;
        let fqdn = self.req_string(&t, "fqdn");
        let certificates = self.cert_entries(&t);
        Some(Server {
            fqdn: fqdn?,
            certificates,
        })
    }

    pub(super) fn cert_entries(&mut self, t: &Table<'_>) -> Vec<CertEntry> {
        let Some(list) = self.get(t, "certificates") else {
            return Vec::new();
        };
        let items = self.reader.seq(list, "certificates", "certificate entries");
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
        let t = self.table(n, "certificates", mapping)?;
        let file = self.get(&t, "file").and_then(|v| self.path(v, "file"));
        let key = self.get(&t, "key").and_then(|v| self.path(v, "key"));
        let request = self
            .get(&t, "request")
            .and_then(|v| self.path(v, "request"));
        if self.get(&t, "file").is_none() && self.get(&t, "request").is_none() {
            let what = mapping.what;
            self.error(
                t.fields.head(),
                format!(
                    "{what} needs `file` (an issued certificate) or `request` (a PKCS#10 request)"
                ),
                None,
            );
        }
        let password_env = self.opt_string(&t, "password_env");
        let exportable = self.opt_bool(&t, "exportable");
        let (uses, roll) = if with_uses {
            (
                self.uses(&t),
                self.get(&t, "roll").and_then(|r| self.roll(r)),
            )
        } else {
            (Vec::new(), None)
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

    /// `uses`: one or more `Set-CsCertificate -Type` names.
    fn uses(&mut self, t: &Table<'_>) -> Vec<Sp<Use>> {
        let Some(u) = self.get(t, "uses") else {
            self.missing(t, "uses");
            return Vec::new();
        };
        let list: Vec<&Node> = match &u.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![u],
        };
        if list.is_empty() {
            self.error(
                u.span.clone(),
                "`uses` needs at least one certificate use".into(),
                None,
            );
        }
        list.into_iter()
            .filter_map(|item| self.reader.one_of(item, "uses", &Use::NAMES, Use::parse))
            .collect()
    }

    fn roll(&mut self, n: &Node) -> Option<Roll> {
        let t = self.table(n, "roll", &schema::ROLL)?;
        let s = self.req_string(&t, "effective_date")?;
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
        let t = self.table(n, "reverse_proxy", &schema::REVERSE_PROXY)?;
        let external_web_services = match self.get(&t, "external_web_services") {
            Some(v) => self.reader.string_list(v, "external_web_services"),
            None => Vec::new(),
        };
        let simple_urls = match self.get(&t, "simple_urls") {
            Some(s) => self.simple_urls(s),
            None => Vec::new(),
        };
        let lyncdiscover = self.opt_bool(&t, "lyncdiscover").is_some_and(|b| b.value);
        let office_web_apps = self.opt_string(&t, "office_web_apps");
        let certificate = self
            .get(&t, "certificate")
            .and_then(|c| self.cert_entry(c, false));
        Some(ReverseProxy {
            external_web_services,
            simple_urls,
            lyncdiscover,
            office_web_apps,
            certificate,
        })
    }

    fn simple_urls(&mut self, n: &Node) -> Vec<SimpleUrl> {
        let Some(t) = self.table(n, "simple_urls", &schema::SIMPLE_URLS) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (kind, key) in SimpleUrlKind::ALL {
            if let Some(v) = self.get(&t, key) {
                let urls = self.reader.string_list(v, key);
                out.extend(urls.into_iter().map(|url| SimpleUrl { kind, url }));
            }
        }
        out
    }

    fn trust(&mut self, n: &Node) -> Trust {
        let Some(t) = self.table(n, "trust", &schema::TRUST) else {
            return Trust::default();
        };
        let mut trust = Trust::default();
        if let Some(v) = self.get(&t, "ca_bundle") {
            trust.ca_bundle = self.paths(v, "ca_bundle");
        }
        if let Some(v) = self.get(&t, "public_roots") {
            trust.public_roots = self.paths(v, "public_roots");
        }
        trust
    }
}

/// `C:\...`, `C:/...` or `\\server\share\...`: absolute on Windows only.
pub fn is_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/'))
        || path.starts_with(r"\\")
}
