//! The typed topology (format version 1, `docs/topology.md`), every value with its span.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

use crate::source::LineIndex;
use crate::source::Location;

#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Range<usize>,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Range<usize>) -> Self {
        Sp { value, span }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Use {
    AccessEdgeExternal,
    DataEdgeExternal,
    AudioVideoAuthentication,
    Internal,
    XmppServer,
    OAuthTokenIssuer,
}

impl Use {
    pub const ALL: [Use; 6] = [
        Use::AccessEdgeExternal,
        Use::DataEdgeExternal,
        Use::AudioVideoAuthentication,
        Use::Internal,
        Use::XmppServer,
        Use::OAuthTokenIssuer,
    ];
    /// The uses every Edge Server must have a current certificate for (P001).
    pub const REQUIRED: [Use; 4] = [
        Use::AccessEdgeExternal,
        Use::DataEdgeExternal,
        Use::AudioVideoAuthentication,
        Use::Internal,
    ];

    /// The `-Type` names of `Set-CsCertificate`, in the order of [`Use::ALL`]: what `uses`
    /// accepts.
    pub const NAMES: [&'static str; 6] = [
        "AccessEdgeExternal",
        "DataEdgeExternal",
        "AudioVideoAuthentication",
        "Internal",
        "XmppServer",
        "OAuthTokenIssuer",
    ];

    pub fn name(self) -> &'static str {
        // `ALL` lists the variants in declaration order (tested below).
        Use::NAMES[self as usize]
    }

    pub fn parse(s: &str) -> Option<Use> {
        Use::ALL.into_iter().find(|u| u.name() == s)
    }

    pub fn is_external(self) -> bool {
        matches!(self, Use::AccessEdgeExternal | Use::DataEdgeExternal)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    Lync2013,
    Sfb2015,
    Sfb2019,
    SfbSe,
}

impl Product {
    /// Does the product have the XMPP gateway? (Removed in Skype for Business Server 2019.)
    pub fn supports_xmpp(self) -> bool {
        matches!(self, Product::Lync2013 | Product::Sfb2015)
    }

    pub const NAMES: [&'static str; 4] = ["lync2013", "sfb2015", "sfb2019", "sfbse"];
    pub fn parse(s: &str) -> Option<Product> {
        Some(match s {
            "lync2013" => Product::Lync2013,
            "sfb2015" => Product::Sfb2015,
            "sfb2019" => Product::Sfb2019,
            "sfbse" => Product::SfbSe,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadBalancing {
    Dns,
    Hardware,
}

impl LoadBalancing {
    pub const NAMES: [&'static str; 2] = ["dns", "hardware"];
    pub fn parse(s: &str) -> Option<LoadBalancing> {
        Some(match s {
            "dns" => LoadBalancing::Dns,
            "hardware" => LoadBalancing::Hardware,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Xmpp {
    /// The `xmpp` key.
    pub span: Range<usize>,
    pub domains: Vec<Sp<String>>,
    pub srv_target: Option<Sp<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct External {
    pub access_edge: Sp<String>,
    pub web_conferencing_edge: Sp<String>,
    pub av_edge: Sp<String>,
}

/// A path from the topology, resolved against the topology file's folder.
#[derive(Debug, Clone, PartialEq)]
pub struct PathRef {
    pub written: Sp<String>,
    pub resolved: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Roll {
    pub effective_date: Sp<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CertEntry {
    pub file: Option<PathRef>,
    pub key: Option<PathRef>,
    pub request: Option<PathRef>,
    pub password_env: Option<Sp<String>>,
    pub exportable: Option<Sp<bool>>,
    pub uses: Vec<Sp<Use>>,
    pub roll: Option<Roll>,
    /// The whole entry (for findings about the entry as such).
    pub span: Range<usize>,
}

impl CertEntry {
    pub fn has_use(&self, u: Use) -> bool {
        self.uses.iter().any(|x| x.value == u)
    }
    pub fn is_external(&self) -> bool {
        self.uses.iter().any(|u| u.value.is_external())
    }
    pub fn is_staged(&self) -> bool {
        self.roll.is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub fqdn: Sp<String>,
    pub certificates: Vec<CertEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub name: Sp<String>,
    pub internal_fqdn: Sp<String>,
    pub load_balancing: LoadBalancing,
    /// The `load_balancing` value, when written.
    pub load_balancing_span: Option<Range<usize>>,
    pub nat: Option<Sp<bool>>,
    pub federation: Option<Sp<bool>>,
    pub token_lifetime: Option<Sp<time::Duration>>,
    pub external: External,
    pub servers: Vec<Server>,
    pub certificates: Vec<CertEntry>,
}

/// Which simple URL (`simple_urls.meet`, `dialin`, `admin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimpleUrlKind {
    Meet,
    Dialin,
    /// Internal only: never published through the reverse proxy.
    Admin,
}

impl SimpleUrlKind {
    /// The `simple_urls` keys, in this order.
    pub const ALL: [(SimpleUrlKind, &'static str); 3] = [
        (SimpleUrlKind::Meet, "meet"),
        (SimpleUrlKind::Dialin, "dialin"),
        (SimpleUrlKind::Admin, "admin"),
    ];
}

/// A simple URL as written: a host (`meet.contoso.com`) or a URL
/// (`https://lync.contoso.com/contoso/Meet`, Microsoft's "Option 3").
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleUrl {
    pub kind: SimpleUrlKind,
    pub url: Sp<String>,
}

impl SimpleUrl {
    /// The host name clients connect to.
    pub fn host(&self) -> &str {
        crate::model::names::url_host(&self.url.value)
    }

    /// Published through the reverse proxy (meet and dial-in; admin is internal only)?
    pub fn is_published(&self) -> bool {
        self.kind != SimpleUrlKind::Admin
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReverseProxy {
    pub external_web_services: Vec<Sp<String>>,
    pub simple_urls: Vec<SimpleUrl>,
    pub lyncdiscover: bool,
    pub office_web_apps: Option<Sp<String>>,
    pub certificate: Option<CertEntry>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trust {
    pub ca_bundle: Vec<PathRef>,
    pub public_roots: Vec<PathRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Topology {
    pub version: i64,
    /// `topology_xml`: the XML the SIP domains, pools, servers and external FQDNs came from.
    pub topology_xml: Option<PathRef>,
    pub deployment: Option<Sp<String>>,
    pub product: Product,
    /// The `product` value, when written.
    pub product_span: Option<Range<usize>>,
    pub sip_domains: Vec<Sp<String>>,
    pub public_im: Vec<Sp<String>>,
    pub xmpp: Option<Xmpp>,
    pub edge_pools: Vec<Pool>,
    pub reverse_proxy: Option<ReverseProxy>,
    pub trust: Trust,
}

impl Topology {
    /// Every certificate entry, pool entries first, then server entries, then the reverse
    /// proxy's.
    pub fn entries(&self) -> impl Iterator<Item = &CertEntry> {
        self.edge_pools
            .iter()
            .flat_map(|p| {
                p.certificates
                    .iter()
                    .chain(p.servers.iter().flat_map(|s| s.certificates.iter()))
            })
            .chain(self.reverse_proxy.iter().flat_map(|r| r.certificate.iter()))
    }

    /// Every certificate-like file the topology names: each entry's `file`, `key` and
    /// `request`, then `trust.ca_bundle` and `trust.public_roots`.
    pub fn named_paths(&self) -> impl Iterator<Item = &PathRef> {
        self.entries()
            .flat_map(|e| [&e.file, &e.key, &e.request].into_iter().flatten())
            .chain(&self.trust.ca_bundle)
            .chain(&self.trust.public_roots)
    }
}

/// One topology file as read: its text (to show code frames) and, when it decoded, its model.
#[derive(Debug, Clone)]
pub struct TopologyFile {
    pub path: PathBuf,
    pub display: Arc<str>,
    pub text: Arc<str>,
    pub lines: LineIndex,
    /// `None` when the file had a syntax or schema error (T001): it gets no further checks.
    pub topology: Option<Topology>,
    /// What went wrong while reading; the T001 and T005 rules report these.
    pub problems: Vec<TopologyProblem>,
    /// `# edgelint: ignore[...]` comments.
    pub suppressions: Vec<Suppression>,
    /// The parsed YAML, kept only when `text` is not exactly what was parsed (characters made
    /// displayable); otherwise `None` and parsed again from `text` when findings' identities
    /// need it (they name their place by it).
    pub tree: Option<crate::model::tree::Node>,
    /// The topology XML the file names (`topology_xml`), when it could be read: values taken
    /// from it have spans at [`XML_SPAN_BASE`] and above.
    pub xml: Option<XmlSource>,
}

/// A span at or above this offset is `offset - XML_SPAN_BASE` in the topology's XML, not in
/// the YAML: values taken from the XML keep their place there, so findings point into it.
pub const XML_SPAN_BASE: usize = 1 << (usize::BITS - 2);

/// The text of a topology's XML, for locating the values taken from it.
#[derive(Debug, Clone)]
pub struct XmlSource {
    pub path: PathBuf,
    pub display: Arc<str>,
    pub text: Arc<str>,
    pub lines: LineIndex,
}

/// An `# edgelint: ignore[...]` (or `ignore-file[...]`) comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    pub file_level: bool,
    /// Each selector and its byte span.
    pub selectors: Vec<(crate::selector::Selector, Range<usize>)>,
    /// The whole `# edgelint: ...` comment.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// YAML syntax, schema or consistency error (T001).
    Invalid,
    /// A literal secret key (T005); its value is never kept.
    Secret,
    /// The file could not be read (T002).
    Unreadable,
    /// Worth saying but not wrong (a path written with `\\`): T001 at severity warning; the
    /// file is still checked.
    Advisory,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopologyProblem {
    pub kind: ProblemKind,
    pub span: Range<usize>,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Option<(Range<usize>, String)>,
}

impl TopologyFile {
    /// Where a span is: in the YAML, or (at [`XML_SPAN_BASE`] and above) in the XML.
    pub fn loc(&self, span: &Range<usize>) -> Location {
        match &self.xml {
            Some(x) if span.start >= XML_SPAN_BASE => {
                let in_xml = span.start - XML_SPAN_BASE..span.end.saturating_sub(XML_SPAN_BASE);
                Location::in_text(&x.display, &x.text, &x.lines, in_xml)
            }
            _ => Location::in_text(&self.display, &self.text, &self.lines, span.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_parsers_agree() {
        for (i, u) in Use::ALL.into_iter().enumerate() {
            assert_eq!(u as usize, i, "Use::ALL is in declaration order");
            assert_eq!(Use::parse(Use::NAMES[i]), Some(u));
        }
        for name in Product::NAMES {
            assert!(Product::parse(name).is_some(), "{name}");
        }
        for name in LoadBalancing::NAMES {
            assert!(LoadBalancing::parse(name).is_some(), "{name}");
        }
        assert_eq!(LoadBalancing::parse("DNS"), None);
    }
}
