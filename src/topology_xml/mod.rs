//! Topology XML: the documents Lync Server 2013 and Skype for Business Server keep their
//! topology in, read into a typed description of the deployment in which every value keeps its
//! place in the XML (byte span, line and column).
//!
//! - [`xml`]: a bounded XML reader (no DTD, no entity expansion, nesting, element and
//!   attribute counts bounded, malformed XML an error at its line and column);
//! - [`document`]: the typed deployment, whatever the document's shape; `tbxml` and
//!   `published` read the two shapes (Topology Builder's `.tbxml`, and the published
//!   topology of `Get-CsTopology -AsXml` or `Export-CsConfiguration`'s `DocItemSet`);
//! - [`plan`]: what of it edgelint's topology format holds (Edge pools, external FQDNs, SIP
//!   domains, ...);
//! - [`yaml`]: that plan written as a topology file (`edgelint import`).
//!
//! [`read`] (a file) and [`from_bytes`] return an [`XmlTopology`]; its [`XmlTopology::plan`]
//! is the Edge side of the deployment.

pub mod document;
pub mod plan;
mod published;
mod shared;
mod tbxml;
pub mod xml;
pub mod yaml;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use sha2::Digest;

pub use document::{Deployment, DocumentKind, Located, Problem};
pub use plan::{EdgePlan, EdgePool, ExternalFqdn, FqdnSource, ProductFinding};

use crate::source::{LineIndex, Location};
use document::Locator;

/// Topology XML files larger than this are refused (the limit of topology files).
pub const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// The namespaces of Lync's and Skype for Business's documents start with this.
const NAMESPACE_PREFIX: &str = "urn:schema:Microsoft.Rtc.Management.";

/// A topology XML document, read and understood.
#[derive(Debug, Clone)]
pub struct XmlTopology {
    /// The document's text: UTF-8 (or UTF-16, decoded) without its byte order mark. Every
    /// span in [`deployment`](Self::deployment) and its plan is a byte range of this text.
    pub text: Arc<str>,
    pub lines: LineIndex,
    /// SHA-256 of the file's bytes, in lower-case hex.
    pub sha256: String,
    pub deployment: Deployment,
    /// The root element (where problems about the document as a whole point).
    pub root: Located<String>,
}

impl XmlTopology {
    /// The Edge side of the deployment, or every problem that stops it (each located).
    pub fn plan(&self) -> Result<EdgePlan, Vec<Problem>> {
        plan::plan(&self.deployment, &self.root)
    }

    /// Where a span of the text is, as findings name places (`display` is the XML file's
    /// path as reported).
    pub fn location(&self, display: &Arc<str>, span: &Range<usize>) -> Location {
        Location::in_text(display, &self.text, &self.lines, span.clone())
    }
}

/// A document that could not be read or understood.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// The text as far as it could be decoded (empty when the file could not be read), for
    /// showing the problems in place; spans are byte ranges of it.
    pub text: Arc<str>,
    pub lines: LineIndex,
    /// The file could not be read at all (missing, a folder, too large, ...).
    pub unreadable: bool,
    pub problems: Vec<Problem>,
}

impl Rejected {
    /// Where a problem's span is, as findings name places.
    pub fn location(&self, display: &Arc<str>, span: &Range<usize>) -> Location {
        Location::in_text(display, &self.text, &self.lines, span.clone())
    }

    fn at_start(message: String, unreadable: bool) -> Self {
        Rejected {
            text: Arc::from(""),
            lines: LineIndex::new(""),
            unreadable,
            problems: vec![Problem {
                message,
                span: 0..0,
                line: 1,
                column: 1,
            }],
        }
    }
}

/// Read a topology XML file (at most [`MAX_BYTES`], read through `read::read_limited`).
pub fn read(path: &Path) -> Result<XmlTopology, Rejected> {
    match crate::read::read_limited(path, MAX_BYTES) {
        Ok(bytes) => from_bytes(&bytes),
        Err(e) => {
            let too_large = matches!(e, crate::read::ReadError::TooLarge { .. });
            Err(Rejected::at_start(
                format!("cannot be read: {e}"),
                !too_large,
            ))
        }
    }
}

/// A topology XML document from its bytes.
pub fn from_bytes(bytes: &[u8]) -> Result<XmlTopology, Rejected> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Rejected::at_start(
            format!(
                "the file is {} bytes, larger than the {MAX_BYTES}-byte limit",
                bytes.len()
            ),
            false,
        ));
    }
    let sha256 = hex(&sha2::Sha256::digest(bytes));
    let (text, decode_error) = decode(bytes);
    let text: Arc<str> = Arc::from(text);
    let lines = LineIndex::new(&text);
    let l = Locator::new(&text, &lines);
    let result = match decode_error {
        Some((message, span)) => Err(vec![l.problem(message, span)]),
        None => xml::parse(&text)
            .map_err(|e| vec![l.problem(e.message, e.span)])
            .and_then(|root| understand(&l, &root).map(|d| (d, l.element(&root)))),
    };
    match result {
        Ok((deployment, root)) => Ok(XmlTopology {
            text,
            lines,
            sha256,
            deployment,
            root,
        }),
        Err(problems) => Err(Rejected {
            text,
            lines,
            unreadable: false,
            problems,
        }),
    }
}

use crate::model::certs::hex;

/// The text of a document: UTF-8 with or without a byte order mark, or UTF-16 (with a byte
/// order mark, or starting with `<`). On an invalid byte, the text up to it (and the rest with
/// replacement characters) and the message and span of the error.
fn decode(bytes: &[u8]) -> (String, Option<(String, Range<usize>)>) {
    let utf16 = |rest: &[u8], little: bool| {
        let units = rest.chunks(2).map(|c| {
            let pair = [c[0], c.get(1).copied().unwrap_or(0)];
            if little {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        let mut text = String::with_capacity(rest.len() / 2);
        let mut error = None;
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or_else(|_| {
                let at = text.len();
                error.get_or_insert((
                    "not UTF-16 text (an unpaired surrogate)".to_string(),
                    at..at + 3,
                ));
                '\u{FFFD}'
            });
            text.push(c);
        }
        (text, error)
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => utf8(rest),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, false),
        [b'<', 0, ..] => utf16(bytes, true),
        [0, b'<', ..] => utf16(bytes, false),
        _ => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> (String, Option<(String, Range<usize>)>) {
    match std::str::from_utf8(bytes) {
        Ok(t) => (t.to_string(), None),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            let message = format!("not UTF-8 text (invalid byte at offset {at})");
            (text, Some((message, at..at + '\u{FFFD}'.len_utf8())))
        }
    }
}

/// The deployment of a document, by its root element.
fn understand(l: &Locator<'_>, root: &xml::Element) -> Result<Deployment, Vec<Problem>> {
    let foreign = root
        .namespace
        .as_deref()
        .filter(|ns| !ns.starts_with(NAMESPACE_PREFIX));
    let not_ours = |what: String| {
        vec![l.problem(
            format!(
                "not a Lync or Skype for Business topology: {what}; edgelint imports Topology \
                 Builder documents (`<TopologyBuilder>`), published topologies (`<Topology>`, \
                 from Get-CsTopology -AsXml) and Export-CsConfiguration's `<DocItemSet>`"
            ),
            root.span.clone(),
        )]
    };
    if let Some(ns) = foreign {
        return Err(not_ours(format!(
            "the root element is in the namespace `{}`",
            crate::source::escape_controls(ns, false)
        )));
    }
    match root.name.as_str() {
        "TopologyBuilder" => tbxml::read(l, root),
        "Topology" => Ok(published::read(l, root, DocumentKind::Published)),
        "DocItemSet" => match find(root, "Topology") {
            Some(t) => Ok(published::read(l, t, DocumentKind::DocItemSet)),
            None => Err(vec![l.problem(
                "this DocItemSet holds no `Topology` element",
                root.span.clone(),
            )]),
        },
        other => Err(not_ours(format!(
            "the root element is `<{}>`",
            crate::source::escape_controls(other, false)
        ))),
    }
}

/// The first element with this local name at or below `e`, depth first.
fn find<'e>(e: &'e xml::Element, name: &str) -> Option<&'e xml::Element> {
    if e.name == name {
        return Some(e);
    }
    e.children.iter().find_map(|c| find(c, name))
}
