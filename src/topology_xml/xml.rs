//! A bounded XML reader: text → a small element tree in which every element name, attribute
//! value and text keeps its byte span in the text. Built on quick-xml's reader, which never
//! expands an entity; on top of it this reader refuses any `<!DOCTYPE` (so no DTD, no entity
//! declaration and no external reference is ever read), accepts only the five predefined
//! entities and character references, and bounds the nesting depth, the number of elements and
//! the number of attributes. A malformed document is an error at the byte where it broke.

use std::ops::Range;

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

/// Elements nested deeper than this are refused (Topology Builder writes about 10 levels).
pub const MAX_DEPTH: usize = 64;
/// At most this many elements in one document (a real topology has a few thousand).
pub const MAX_ELEMENTS: usize = 200_000;
/// At most this many attributes in one document, all elements together.
pub const MAX_ATTRIBUTES: usize = 1_000_000;

/// Why a text is not a document this reader accepts, and where (a byte span of the text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Range<usize>,
}

fn error(message: impl Into<String>, span: Range<usize>) -> SyntaxError {
    SyntaxError {
        message: message.into(),
        span,
    }
}

/// An attribute: its qualified name as written and its value with entities and character
/// references resolved and whitespace normalised (XML 1.0 §3.3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub name: String,
    pub value: String,
    /// The value as written, between the quotes.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// The local name (without prefix).
    pub name: String,
    /// The namespace the name is bound to, if any.
    pub namespace: Option<String>,
    /// The name in the start tag.
    pub span: Range<usize>,
    /// Attributes other than namespace declarations, in document order.
    pub attrs: Vec<Attr>,
    pub children: Vec<Element>,
    /// The element's own character data (text and CDATA, entities resolved), concatenated.
    pub text: String,
    /// From the first to the end of the last piece of character data.
    pub text_span: Option<Range<usize>>,
}

impl Element {
    /// The attribute with this (qualified) name.
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Where a slice of the text starts (the reader borrows every name, value and text from it).
fn offset_in(text: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (start + part.len() <= text.len()).then_some(start)
}

struct Builder<'t> {
    text: &'t str,
    /// Open elements, the root first.
    stack: Vec<Element>,
    root: Option<Element>,
    elements: usize,
    attributes: usize,
}

/// Parse a whole document (its text without a byte order mark).
pub fn parse(text: &str) -> Result<Element, SyntaxError> {
    let mut reader = NsReader::from_str(text);
    reader.config_mut().enable_all_checks(true);
    let mut b = Builder {
        text,
        stack: Vec::new(),
        root: None,
        elements: 0,
        attributes: 0,
    };
    loop {
        let before = reader.buffer_position() as usize;
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (namespace(ns), event),
            Err(e) => {
                let at = (reader.error_position() as usize).min(text.len());
                return Err(error(format!("malformed XML: {e}"), at..at));
            }
        };
        let after = (reader.buffer_position() as usize).min(text.len());
        match event {
            Event::Eof => return b.finish(),
            event => b.event(event, ns, before..after)?,
        }
    }
}

fn namespace(ns: ResolveResult<'_>) -> Result<Option<String>, String> {
    match ns {
        ResolveResult::Bound(ns) => Ok(Some(ns.into_inner().to_string())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(prefix),
    }
}

impl Builder<'_> {
    fn event(
        &mut self,
        event: Event<'_>,
        ns: Result<Option<String>, String>,
        span: Range<usize>,
    ) -> Result<(), SyntaxError> {
        match event {
            Event::Start(e) => {
                let element = self.element(&e, ns, &span)?;
                self.stack.push(element);
            }
            Event::Empty(e) => {
                let element = self.element(&e, ns, &span)?;
                self.close(element, &span)?;
            }
            Event::End(_) => {
                if let Some(element) = self.stack.pop() {
                    self.close(element, &span)?;
                }
            }
            Event::Text(t) => self.char_data(&t, &t.xml10_content(), &span)?,
            Event::CData(t) => self.char_data(&t, &t.xml10_content(), &span)?,
            Event::GeneralRef(r) => self.reference(&r, &span)?,
            Event::DocType(d) => return Err(doctype(&d, span)),
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::Eof => {}
        }
        Ok(())
    }

    fn element(
        &mut self,
        e: &BytesStart<'_>,
        ns: Result<Option<String>, String>,
        tag: &Range<usize>,
    ) -> Result<Element, SyntaxError> {
        let name = e.name().into_inner();
        let start = offset_in(self.text, name).unwrap_or(tag.start);
        let span = start..start + name.len();
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                format!("XML nested deeper than {MAX_DEPTH} levels"),
                span,
            ));
        }
        if self.stack.is_empty() && self.root.is_some() {
            return Err(error(
                "malformed XML: a second root element (a document has exactly one)",
                span,
            ));
        }
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(error(
                format!("the document has more than {MAX_ELEMENTS} elements"),
                span,
            ));
        }
        let namespace = ns.map_err(|prefix| {
            error(
                format!("malformed XML: the namespace prefix `{prefix}` is not declared"),
                span.clone(),
            )
        })?;
        let attrs = self.attributes(e, tag)?;
        Ok(Element {
            name: e.local_name().into_inner().to_string(),
            namespace,
            span,
            attrs,
            ..Element::default()
        })
    }

    fn attributes(
        &mut self,
        e: &BytesStart<'_>,
        tag: &Range<usize>,
    ) -> Result<Vec<Attr>, SyntaxError> {
        let content: &str = e;
        let base = offset_in(self.text, content).unwrap_or(tag.start);
        let mut out = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| {
                let (at, what) = attr_error(&err);
                error(format!("malformed XML: {what}"), base + at..base + at)
            })?;
            let name = a.key.into_inner();
            if name == "xmlns" || name.starts_with("xmlns:") {
                continue;
            }
            let raw: &str = &a.value;
            let start = offset_in(self.text, raw).unwrap_or(base);
            let span = start..start + raw.len();
            self.attributes += 1;
            if self.attributes > MAX_ATTRIBUTES {
                return Err(error(
                    format!("the document has more than {MAX_ATTRIBUTES} attributes"),
                    span,
                ));
            }
            let value = a
                .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                .map_err(|err| entity_error(&err.to_string(), raw, span.clone()))?;
            out.push(Attr {
                name: name.to_string(),
                value: value.into_owned(),
                span,
            });
        }
        Ok(out)
    }

    /// Attach a finished element to its parent, or make it the root.
    fn close(&mut self, element: Element, tag: &Range<usize>) -> Result<(), SyntaxError> {
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(element),
            None if self.root.is_none() => self.root = Some(element),
            None => {
                return Err(error(
                    "malformed XML: a second root element (a document has exactly one)",
                    tag.clone(),
                ))
            }
        }
        Ok(())
    }

    fn char_data(
        &mut self,
        raw: &str,
        content: &str,
        span: &Range<usize>,
    ) -> Result<(), SyntaxError> {
        let start = offset_in(self.text, raw).unwrap_or(span.start);
        let here = start..start + raw.len();
        let Some(element) = self.stack.last_mut() else {
            if content.trim().is_empty() {
                return Ok(());
            }
            return Err(error("malformed XML: text outside the root element", here));
        };
        element.text.push_str(content);
        let from = element.text_span.as_ref().map_or(here.start, |s| s.start);
        element.text_span = Some(from..here.end);
        Ok(())
    }

    /// `&name;` in text: the five predefined entities and character references only.
    fn reference(&mut self, r: &BytesRef<'_>, span: &Range<usize>) -> Result<(), SyntaxError> {
        let c = match r.resolve_char_ref() {
            Ok(Some(c)) => c,
            Ok(None) => match quick_xml::escape::resolve_predefined_entity(r) {
                Some(s) => s.chars().next().unwrap_or(' '),
                None => {
                    return Err(error(
                        format!(
                            "the entity `&{};` is not defined: edgelint reads no DTD and expands \
                             no entities",
                            &**r
                        ),
                        span.clone(),
                    ))
                }
            },
            Err(e) => return Err(error(format!("malformed XML: {e}"), span.clone())),
        };
        let mut buf = [0u8; 4];
        let text = self.text;
        let raw = text.get(span.clone()).unwrap_or("");
        self.char_data(raw, c.encode_utf8(&mut buf), span)
    }

    fn finish(self) -> Result<Element, SyntaxError> {
        if let Some(open) = self.stack.last() {
            return Err(error(
                format!(
                    "malformed XML: the document ends before `<{}>` is closed",
                    open.name
                ),
                open.span.clone(),
            ));
        }
        self.root.ok_or_else(|| {
            let end = self.text.len();
            error("not an XML document: no element", end..end)
        })
    }
}

/// The byte (within the tag) where an attribute error was found, and what it is.
fn attr_error(e: &quick_xml::events::attributes::AttrError) -> (usize, String) {
    use quick_xml::events::attributes::AttrError as A;
    match e {
        A::ExpectedEq(p) => (*p, "an attribute name must be followed by `=`".into()),
        A::ExpectedValue(p) => (*p, "`=` must be followed by a quoted value".into()),
        A::UnquotedValue(p) => (*p, "an attribute value must be in quotes".into()),
        A::ExpectedQuote(p, q) => (
            *p,
            format!("the attribute value lacks its closing `{}`", *q as char),
        ),
        A::Duplicated(p, _) => (*p, "an attribute appears twice in this element".into()),
    }
}

/// An attribute value that names an entity other than the five predefined ones.
fn entity_error(detail: &str, raw: &str, span: Range<usize>) -> SyntaxError {
    let name = raw
        .find('&')
        .and_then(|a| raw[a..].find(';').map(|b| &raw[a..a + b + 1]));
    match name {
        Some(entity) if !entity.starts_with("&#") => error(
            format!(
                "the entity `{entity}` is not defined: edgelint reads no DTD and expands no \
                 entities"
            ),
            span,
        ),
        _ => error(format!("malformed XML: {detail}"), span),
    }
}

/// `<!DOCTYPE ...>`: refused whatever it holds; the message names the DTD.
fn doctype(content: &str, span: Range<usize>) -> SyntaxError {
    let name: String = content
        .trim_start()
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '[')
        .take(64)
        .collect();
    let entities = if content.contains("<!ENTITY") {
        ", which declares entities"
    } else {
        ""
    };
    let shown = crate::source::escape_controls(&name, false);
    let start = span.start;
    error(
        format!(
            "the document has a DTD (`<!DOCTYPE {shown} ...>`{entities}): refused, edgelint \
             reads no DTD and expands no entities (Topology Builder and Get-CsTopology never \
             write one)"
        ),
        start..(start + "<!DOCTYPE".len()).min(span.end),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_names_values_and_text() {
        let text = "<?xml version=\"1.0\"?>\r\n<a xmlns=\"urn:x\" k='v&amp;w'>\r\n  <b:c xmlns:b=\"urn:y\" n=\"1\"/>\r\n  <d>t&lt;u</d>\r\n</a>";
        let root = parse(text).unwrap();
        assert_eq!(root.name, "a");
        assert_eq!(root.namespace.as_deref(), Some("urn:x"));
        assert_eq!(&text[root.span.clone()], "a");
        let k = root.attr("k").unwrap();
        assert_eq!(k.value, "v&w");
        assert_eq!(&text[k.span.clone()], "v&amp;w");
        assert_eq!(root.attrs.len(), 1, "xmlns is not an attribute");
        let c = root.child("c").unwrap();
        assert_eq!(c.namespace.as_deref(), Some("urn:y"));
        assert_eq!(&text[c.span.clone()], "b:c");
        assert_eq!(&text[c.attr("n").unwrap().span.clone()], "1");
        let d = root.child("d").unwrap();
        assert_eq!(d.text, "t<u");
        assert_eq!(&text[d.text_span.clone().unwrap()], "t&lt;u");
    }

    #[test]
    fn doctypes_and_unknown_entities_are_refused() {
        let e = parse("<!DOCTYPE lolz [<!ENTITY lol \"lol\">]><lolz>&lol;</lolz>").unwrap_err();
        assert!(e
            .message
            .contains("DTD (`<!DOCTYPE lolz ...>`, which declares entities)"));
        assert_eq!(e.span, 0..9);
        let e = parse("<a>&lol;</a>").unwrap_err();
        assert!(e.message.contains("`&lol;` is not defined"), "{e:?}");
        let e = parse("<a k=\"&lol;\"/>").unwrap_err();
        assert!(e.message.contains("`&lol;` is not defined"), "{e:?}");
        assert_eq!(e.span, 6..11);
        assert_eq!(parse("<a k=\"&#65;\">&#x42;</a>").unwrap().text, "B");
    }

    #[test]
    fn malformed_documents_are_errors_where_they_break() {
        for (text, at, what) in [
            ("<a><b></a>", 6, "malformed XML"),
            ("<a>", 1, "ends before `<a>` is closed"),
            ("<a/><b/>", 5, "second root"),
            ("<a/>x", 4, "text outside"),
            ("", 0, "no element"),
            ("<a k=v/>", 5, "must be in quotes"),
            ("<a k='1' k='2'/>", 9, "appears twice"),
            ("<p:a/>", 1, "prefix `p` is not declared"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.message.contains(what), "{text}: {e:?}");
            assert_eq!(e.span.start, at, "{text}: {e:?}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("deeper than 64"), "{e:?}");
        assert_eq!(e.span.start, MAX_DEPTH * 3 + 1);
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }
}
