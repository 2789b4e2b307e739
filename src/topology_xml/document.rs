//! The typed deployment a topology XML document describes, whatever its shape (Topology
//! Builder's `.tbxml` or the published topology): SIP domains, sites, clusters (pools) with
//! their machines, services with their ports, simple URLs. Every value keeps where it was
//! written: its byte span in the document's text and its 1-based line and column, so a finding
//! about a value taken from the XML can point into the XML.

use std::ops::Range;

use super::xml::{Attr, Element};
use crate::source::LineIndex;

/// A value from the XML and where it was written: `span` is a byte range of
/// [`XmlTopology::text`](super::XmlTopology::text); `line` and `column` (1-based, columns
/// counting characters) are where the span starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

/// Which kind of document the deployment was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A Topology Builder document (`TopologyBuilder` → `NewTopology` → `PartialTopology`):
    /// services name clusters by `UniqueId`.
    TopologyBuilder,
    /// A published topology (`Topology`, as `Get-CsTopology -AsXml` writes it): services name
    /// clusters by `ClusterId SiteId/Number`.
    Published,
    /// `Export-CsConfiguration`'s `DocItemSet` holding a published topology.
    DocItemSet,
}

impl DocumentKind {
    pub fn describe(self) -> &'static str {
        match self {
            DocumentKind::TopologyBuilder => "a Topology Builder document",
            DocumentKind::Published => "a published topology",
            DocumentKind::DocItemSet => "a published topology (in a DocItemSet)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub kind: DocumentKind,
    /// `InternalDomains/@DefaultDomain`.
    pub default_domain: Option<Located<String>>,
    /// Every `InternalDomain/@Name`, in document order.
    pub sip_domains: Vec<Located<String>>,
    pub sites: Vec<Site>,
    pub clusters: Vec<Cluster>,
    pub services: Vec<Service>,
    /// `SimpleUrlConfiguration/SimpleUrl` (Topology Builder documents; a published topology
    /// keeps them elsewhere).
    pub simple_urls: Vec<SimpleUrl>,
}

impl Deployment {
    /// A deployment of that kind of document with nothing read yet.
    pub fn empty(kind: DocumentKind) -> Deployment {
        Deployment {
            kind,
            default_domain: None,
            sip_domains: Vec::new(),
            sites: Vec::new(),
            clusters: Vec::new(),
            services: Vec::new(),
            simple_urls: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// `SiteId`.
    pub id: Located<String>,
    /// The `Name` element's text.
    pub name: Option<Located<String>>,
    /// The element: `CentralSite`, `BranchSite`, ...
    pub element: Located<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// How services name the cluster: its `UniqueId` (Topology Builder) or `SiteId/Number`
    /// (published), located where the cluster states it.
    pub id: Located<String>,
    /// The `SiteId` of the site the cluster belongs to.
    pub site: Option<String>,
    /// `Fqdn`: the pool's FQDN.
    pub fqdn: Option<Located<String>>,
    pub machines: Vec<Machine>,
    /// The `Cluster` element.
    pub element: Located<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// `Fqdn`; Topology Builder leaves it out on the machine of a single-machine cluster.
    pub fqdn: Option<Located<String>>,
    /// The `Machine` element.
    pub element: Located<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// `RoleName` (`EdgeServer`, `Registrar`, `WebServices`, ...).
    pub role: Located<String>,
    /// `ServiceVersion` (6: Lync Server 2013, 7: Skype for Business Server 2015, ...).
    pub version: Option<Located<String>>,
    /// The cluster the service is installed on, as [`Cluster::id`] names it; `None` when it is
    /// installed on something else (a SQL instance).
    pub installed_on: Option<Located<String>>,
    pub ports: Vec<Port>,
    /// `RegistrarService/@IsDirector`.
    pub is_director: Option<Located<bool>>,
    /// `WebService/ExternalSettings/@Host`: the external web services FQDN.
    pub external_web_host: Option<Located<String>>,
    /// The `Service` element.
    pub element: Located<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// `Owner`: `urn:component:AccessEdge`, `urn:component:DataEdge`, ...
    pub owner: Located<String>,
    /// `Usage`: `SipServer`, `SipClient`, `PsomClient`, `TURNServer`, ...
    pub usage: Located<String>,
    /// `InterfaceSide`: `External`, `Internal`, `Primary`, ...
    pub side: Located<String>,
    /// `Port`.
    pub number: Option<Located<String>>,
    /// `ConfiguredFqdn`: the FQDN the port is published under, when it is not the machine's.
    pub configured_fqdn: Option<Located<String>>,
    /// The `Port` element.
    pub element: Located<String>,
}

impl Port {
    pub fn owned_by(&self, component: &str) -> bool {
        self.owner
            .value
            .strip_prefix("urn:component:")
            .is_some_and(|c| c.eq_ignore_ascii_case(component))
    }

    pub fn is_external(&self) -> bool {
        self.side.value.eq_ignore_ascii_case("External")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleUrl {
    /// `Component`: `Meet`, `Dialin` or `Cscp` (admin).
    pub component: Located<String>,
    /// `Domain`: a SIP domain, or `*`.
    pub domain: Option<Located<String>>,
    /// `ActiveUrl`.
    pub active_url: Option<Located<String>>,
    /// Each `SimpleUrlEntry/@Url`.
    pub entries: Vec<Located<String>>,
}

/// Why a document could not be read or understood, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// A byte range of the text the problem is about (empty for a position).
    pub span: Range<usize>,
    pub line: usize,
    pub column: usize,
}

/// Turns spans of one text into [`Located`] values and [`Problem`]s. Columns are counted from
/// marks every 4 KiB of the text, not from the start of the line, so that a document written on
/// one long line still takes linear time (the same line and column as `LineIndex::line_col`).
pub struct Locator<'t> {
    pub text: &'t str,
    pub lines: &'t LineIndex,
    /// (byte offset, characters before it), from (0, 0), at most every 4 KiB.
    marks: Vec<(usize, usize)>,
}

impl<'t> Locator<'t> {
    pub fn new(text: &'t str, lines: &'t LineIndex) -> Self {
        const STEP: usize = 4096;
        let mut marks = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        while at + STEP < text.len() {
            let mut next = at + STEP;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            chars += text[at..next].chars().count();
            marks.push((next, chars));
            at = next;
        }
        Locator { text, lines, marks }
    }

    /// How many characters come before a byte offset (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let i = self.marks.partition_point(|(b, _)| *b <= offset) - 1;
        let (b, c) = self.marks[i];
        c + self.text[b..offset].chars().count()
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, start) = self.lines.line_of(offset);
        (
            line,
            self.chars_before(offset) - self.chars_before(start) + 1,
        )
    }

    pub fn at<T>(&self, value: T, span: Range<usize>) -> Located<T> {
        let (line, column) = self.line_col(span.start);
        Located {
            value,
            span,
            line,
            column,
        }
    }

    /// An attribute's value, unless it is missing or blank.
    pub fn attr(&self, e: &Element, name: &str) -> Option<Located<String>> {
        let a: &Attr = e.attr(name)?;
        (!a.value.trim().is_empty()).then(|| self.at(a.value.clone(), a.span.clone()))
    }

    /// The element itself (its name in the start tag).
    pub fn element(&self, e: &Element) -> Located<String> {
        self.at(e.name.clone(), e.span.clone())
    }

    /// An element's text, unless it is blank.
    pub fn text_of(&self, e: &Element) -> Option<Located<String>> {
        let span = e.text_span.clone()?;
        let t = e.text.trim();
        (!t.is_empty()).then(|| self.at(t.to_string(), span))
    }

    pub fn problem(&self, message: impl Into<String>, span: Range<usize>) -> Problem {
        let (line, column) = self.line_col(span.start);
        Problem {
            message: message.into(),
            span,
            line,
            column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_from_marks_agree_with_the_line_index() {
        let mut text = String::new();
        for i in 0..3000 {
            text.push_str(if i % 7 == 0 { "zür\r\n" } else { "ab€d" });
            if i % 500 == 0 {
                text.push('\r');
            }
        }
        let lines = LineIndex::new(&text);
        let l = Locator::new(&text, &lines);
        for offset in (0..=text.len()).step_by(3) {
            assert_eq!(
                l.line_col(offset),
                lines.line_col(&text, offset),
                "{offset}"
            );
        }
    }
}
