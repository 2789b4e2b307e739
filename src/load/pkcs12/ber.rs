//! A small BER reader for PKCS#12: definite and indefinite lengths, constructed OCTET STRINGs,
//! high tag numbers. Nesting is depth-limited within one buffer, every length is checked
//! against the data, and nothing is copied except to join the segments of a constructed
//! OCTET STRING or to re-encode an element as DER.

use std::borrow::Cow;

/// Deepest nesting read within one buffer. PKCS#12 structures need about 10 levels; a hostile
/// `30 80 30 80 ...` stops here instead of exhausting the stack.
pub const MAX_DEPTH: usize = 32;

pub const INTEGER: u8 = 0x02;
pub const OCTET_STRING: u8 = 0x04;
pub const OCTET_STRING_CONSTRUCTED: u8 = 0x24;
pub const OID: u8 = 0x06;
pub const UTF8_STRING: u8 = 0x0c;
pub const PRINTABLE_STRING: u8 = 0x13;
pub const IA5_STRING: u8 = 0x16;
pub const BMP_STRING: u8 = 0x1e;
pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;
/// `[0]` constructed (EXPLICIT, or IMPLICIT over a constructed type).
pub const CONTEXT_0: u8 = 0xa0;
/// `[0]` primitive (IMPLICIT OCTET STRING).
pub const CONTEXT_0_PRIMITIVE: u8 = 0x80;

/// What is wrong with the data, in words for a T003 message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BerError(pub String);

impl BerError {
    pub fn new(message: impl Into<String>) -> Self {
        BerError(message.into())
    }
}

impl std::fmt::Display for BerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn truncated() -> BerError {
    BerError::new("the data is truncated")
}

/// One TLV. `tag` is the identifier octet (class, constructed bit and a tag number below 31);
/// for a high tag number it is `class | constructed | 0x1f` and `number` holds the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    pub tag: u8,
    pub number: u32,
    /// The content octets (without an indefinite length's end-of-contents octets).
    pub content: &'a [u8],
    /// The whole encoding: identifier, length, content and end-of-contents octets.
    pub raw: &'a [u8],
    pub indefinite: bool,
    depth: usize,
}

/// Parse the first element of `input` (at nesting depth 0); return it and the bytes after it.
pub fn parse(input: &[u8]) -> Result<(Element<'_>, &[u8]), BerError> {
    parse_at(input, 0)
}

/// Parse a buffer that must hold exactly one element (trailing bytes are an error).
pub fn parse_all(input: &[u8]) -> Result<Element<'_>, BerError> {
    let (e, rest) = parse(input)?;
    if !rest.is_empty() {
        return Err(BerError::new(format!(
            "{} unexpected bytes after the structure",
            rest.len()
        )));
    }
    Ok(e)
}

fn parse_at(input: &[u8], depth: usize) -> Result<(Element<'_>, &[u8]), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError::new(format!(
            "ASN.1 nested deeper than {MAX_DEPTH} levels"
        )));
    }
    let (&tag, rest) = input.split_first().ok_or_else(truncated)?;
    let (number, rest) = tag_number(tag, rest)?;
    let constructed = tag & 0x20 != 0;
    let (&first, rest) = rest.split_first().ok_or_else(truncated)?;
    let (content, after, indefinite) = if first == 0x80 {
        if !constructed {
            return Err(BerError::new(
                "indefinite length on a primitive ASN.1 element",
            ));
        }
        let (content, after) = indefinite_content(rest, depth)?;
        (content, after, true)
    } else {
        let (len, rest) = definite_length(first, rest)?;
        if rest.len() < len {
            return Err(truncated());
        }
        (&rest[..len], &rest[len..], false)
    };
    let raw = &input[..input.len() - after.len()];
    Ok((
        Element {
            tag,
            number,
            content,
            raw,
            indefinite,
            depth,
        },
        after,
    ))
}

/// The tag number: the low five bits, or the base-128 number that follows (high tag numbers).
fn tag_number(tag: u8, mut rest: &[u8]) -> Result<(u32, &[u8]), BerError> {
    if tag & 0x1f != 0x1f {
        return Ok((u32::from(tag & 0x1f), rest));
    }
    let mut number = 0u32;
    let mut n = 0;
    loop {
        let (&b, r) = rest.split_first().ok_or_else(truncated)?;
        rest = r;
        n += 1;
        if n > 4 || (n == 1 && b == 0x80) {
            return Err(BerError::new("invalid ASN.1 tag"));
        }
        number = number << 7 | u32::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Ok((number, rest));
        }
    }
}

/// A definite length (short or long form, at most four bytes), and the bytes after it.
fn definite_length(first: u8, rest: &[u8]) -> Result<(usize, &[u8]), BerError> {
    if first < 0x80 {
        return Ok((usize::from(first), rest));
    }
    let n = usize::from(first & 0x7f);
    if n > 4 || first == 0xff {
        return Err(BerError::new("invalid ASN.1 length"));
    }
    if rest.len() < n {
        return Err(truncated());
    }
    let len = rest[..n]
        .iter()
        .fold(0usize, |a, &b| (a << 8) | usize::from(b));
    Ok((len, &rest[n..]))
}

/// The content of an indefinite-length element: the elements up to the end-of-contents
/// octets (two zero bytes), and the bytes after them.
fn indefinite_content(start: &[u8], depth: usize) -> Result<(&[u8], &[u8]), BerError> {
    let mut cursor = start;
    loop {
        if cursor.len() < 2 {
            return Err(truncated());
        }
        if cursor[0] == 0 && cursor[1] == 0 {
            let content = &start[..start.len() - cursor.len()];
            return Ok((content, &cursor[2..]));
        }
        let (_, next) = parse_at(cursor, depth + 1)?;
        cursor = next;
    }
}

/// The elements of a constructed element's content, in order.
pub struct Children<'a> {
    rest: &'a [u8],
    depth: usize,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Element<'a>, BerError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match parse_at(self.rest, self.depth) {
            Ok((e, rest)) => {
                self.rest = rest;
                Some(Ok(e))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

impl<'a> Element<'a> {
    pub fn is_constructed(&self) -> bool {
        self.tag & 0x20 != 0
    }

    /// The elements inside a constructed element.
    pub fn children(&self) -> Children<'a> {
        Children {
            rest: if self.is_constructed() {
                self.content
            } else {
                &[]
            },
            depth: self.depth + 1,
        }
    }

    /// The children, all of them; the first error stops the reading.
    pub fn items(&self) -> Result<Vec<Element<'a>>, BerError> {
        self.children().collect()
    }

    /// This element if its identifier octet is `tag`, else an error naming `what`.
    pub fn expect(self, tag: u8, what: &str) -> Result<Self, BerError> {
        if self.tag == tag {
            Ok(self)
        } else {
            Err(BerError::new(format!(
                "{what}: unexpected ASN.1 tag 0x{:02x}",
                self.tag
            )))
        }
    }

    /// The value of an OCTET STRING, primitive or constructed (whose segments are joined).
    pub fn octets(&self) -> Result<Cow<'a, [u8]>, BerError> {
        match self.tag {
            OCTET_STRING | CONTEXT_0_PRIMITIVE => Ok(Cow::Borrowed(self.content)),
            OCTET_STRING_CONSTRUCTED | CONTEXT_0 => {
                let mut out = Vec::new();
                self.join_into(&mut out)?;
                Ok(Cow::Owned(out))
            }
            t => Err(BerError::new(format!(
                "expected an OCTET STRING, found ASN.1 tag 0x{t:02x}"
            ))),
        }
    }

    fn join_into(&self, out: &mut Vec<u8>) -> Result<(), BerError> {
        for part in self.children() {
            let part = part?;
            match part.tag {
                OCTET_STRING => out.extend_from_slice(part.content),
                OCTET_STRING_CONSTRUCTED => part.join_into(out)?,
                t => {
                    return Err(BerError::new(format!(
                        "a segment of a constructed OCTET STRING has ASN.1 tag 0x{t:02x}"
                    )))
                }
            }
        }
        Ok(())
    }

    /// A non-negative INTEGER that fits in a u64; `what` names it in errors.
    pub fn unsigned(&self, what: &str) -> Result<u64, BerError> {
        if self.tag != INTEGER {
            return Err(BerError::new(format!("{what} is not an INTEGER")));
        }
        let c = self.content;
        if c.is_empty() {
            return Err(BerError::new(format!("{what} is an empty INTEGER")));
        }
        if c[0] & 0x80 != 0 {
            return Err(BerError::new(format!("{what} is negative")));
        }
        let digits: &[u8] = {
            let first = c.iter().position(|&b| b != 0).unwrap_or(c.len());
            &c[first..]
        };
        if digits.len() > 8 {
            return Err(BerError::new(format!("{what} is too large")));
        }
        Ok(digits.iter().fold(0u64, |a, &b| a << 8 | u64::from(b)))
    }

    /// The content of an OBJECT IDENTIFIER (its DER value octets).
    pub fn oid(&self) -> Result<&'a [u8], BerError> {
        if self.tag != OID {
            return Err(BerError::new(format!(
                "expected an OBJECT IDENTIFIER, found ASN.1 tag 0x{:02x}",
                self.tag
            )));
        }
        Ok(self.content)
    }

    /// The element re-encoded as DER as far as PKCS#8 and X.509 readers care: definite
    /// lengths everywhere, constructed OCTET STRINGs joined.
    pub fn to_der(&self) -> Result<Vec<u8>, BerError> {
        let mut out = Vec::with_capacity(self.raw.len());
        self.der_into(&mut out)?;
        Ok(out)
    }

    fn der_into(&self, out: &mut Vec<u8>) -> Result<(), BerError> {
        if !self.indefinite && !self.needs_rewrite()? {
            out.extend_from_slice(self.raw);
            return Ok(());
        }
        let body = if self.tag == OCTET_STRING_CONSTRUCTED {
            let joined = self.octets()?;
            out.push(OCTET_STRING);
            joined.into_owned()
        } else {
            let mut body = Vec::with_capacity(self.content.len());
            for c in self.children() {
                c?.der_into(&mut body)?;
            }
            self.write_identifier(out);
            body
        };
        write_length(out, body.len());
        out.extend_from_slice(&body);
        Ok(())
    }

    /// Whether a definite-length element holds something DER does not allow.
    fn needs_rewrite(&self) -> Result<bool, BerError> {
        if self.tag == OCTET_STRING_CONSTRUCTED {
            return Ok(true);
        }
        if !self.is_constructed() {
            return Ok(false);
        }
        for c in self.children() {
            let c = c?;
            if c.indefinite || c.needs_rewrite()? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn write_identifier(&self, out: &mut Vec<u8>) {
        out.push(self.tag);
        if self.tag & 0x1f == 0x1f {
            let n = self.number;
            let mut groups = Vec::new();
            let mut v = n;
            loop {
                groups.push((v & 0x7f) as u8);
                v >>= 7;
                if v == 0 {
                    break;
                }
            }
            for (i, g) in groups.iter().enumerate().rev() {
                out.push(if i == 0 { *g } else { *g | 0x80 });
            }
        }
    }
}

/// Append a DER length.
pub fn write_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// A string attribute value: BMPString (UTF-16BE), UTF8String, PrintableString or IA5String;
/// `None` for other types. Trailing NULs (some writers count one) are dropped.
pub fn text(e: &Element<'_>) -> Option<String> {
    let s = match e.tag {
        BMP_STRING => {
            let units: Vec<u16> = e
                .content
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        UTF8_STRING | PRINTABLE_STRING | IA5_STRING => {
            String::from_utf8_lossy(e.content).into_owned()
        }
        _ => return None,
    };
    Some(s.trim_end_matches('\0').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_indefinite_lengths() {
        let (e, rest) = parse(&[0x30, 0x03, 0x02, 0x01, 0x05, 0xff]).unwrap();
        assert_eq!(
            (e.tag, e.content, rest),
            (SEQUENCE, &[2u8, 1, 5][..], &[0xffu8][..])
        );
        let (e, rest) = parse(&[0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0x01]).unwrap();
        assert!(e.indefinite);
        assert_eq!(e.content, &[2, 1, 5]);
        assert_eq!(rest, &[1]);
        assert_eq!(e.items().unwrap()[0].unsigned("n").unwrap(), 5);
        // Long-form lengths.
        let mut long = vec![0x04, 0x82, 0x01, 0x00];
        long.extend(std::iter::repeat_n(7u8, 256));
        assert_eq!(parse_all(&long).unwrap().content.len(), 256);
    }

    #[test]
    fn nested_indefinite_and_constructed_octets() {
        // SEQUENCE (indef) { OCTET STRING (constructed, indef) { "ab", (constructed) { "c" } } }
        let data = [
            0x30, 0x80, 0x24, 0x80, 0x04, 0x02, b'a', b'b', 0x24, 0x03, 0x04, 0x01, b'c', 0x00,
            0x00, 0x00, 0x00,
        ];
        let e = parse_all(&data).unwrap();
        let inner = e.items().unwrap();
        assert_eq!(inner.len(), 1);
        assert_eq!(&*inner[0].octets().unwrap(), b"abc");
        assert_eq!(
            e.to_der().unwrap(),
            [0x30, 0x05, 0x04, 0x03, b'a', b'b', b'c']
        );
        // DER stays byte-identical.
        let der = [0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x00];
        assert_eq!(parse_all(&der).unwrap().to_der().unwrap(), der);
    }

    #[test]
    fn hostile_input_is_an_error_not_a_crash() {
        // Endless indefinite nesting stops at MAX_DEPTH.
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 100_000)
            .flatten()
            .collect();
        assert!(parse(&deep).unwrap_err().0.contains("nested deeper"));
        // Indefinite on a primitive, a missing end-of-contents, lengths past the end.
        assert!(parse(&[0x04, 0x80, 0x00, 0x00]).is_err());
        assert_eq!(
            parse(&[0x30, 0x80, 0x02, 0x01, 0x05]).unwrap_err(),
            truncated()
        );
        assert_eq!(parse(&[0x30, 0x05, 0x01]).unwrap_err(), truncated());
        assert!(parse(&[0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9]).is_err());
        assert!(parse(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(parse(&[]).is_err());
        assert!(parse(&[0x1f, 0x80, 0x01, 0x00]).is_err());
        // A segment of a constructed OCTET STRING that is not an OCTET STRING.
        let (e, _) = parse(&[0x24, 0x03, 0x02, 0x01, 0x00]).unwrap();
        assert!(e.octets().is_err());
        // Integers.
        let int = |c: &[u8]| {
            let mut v = vec![INTEGER, c.len() as u8];
            v.extend_from_slice(c);
            parse_all(&v).unwrap().unsigned("n")
        };
        assert_eq!(int(&[0x00, 0x80]).unwrap(), 128);
        assert!(int(&[0xff]).unwrap_err().0.contains("negative"));
        assert!(int(&[]).is_err());
        assert!(int(&[1, 0, 0, 0, 0, 0, 0, 0, 0])
            .unwrap_err()
            .0
            .contains("too large"));
    }

    #[test]
    fn high_tag_numbers_round_trip() {
        let data = [0x3f, 0x81, 0x00, 0x80, 0x05, 0x00, 0x00, 0x00];
        let e = parse_all(&data).unwrap();
        assert_eq!(e.number, 128);
        assert_eq!(e.to_der().unwrap(), [0x3f, 0x81, 0x00, 0x02, 0x05, 0x00]);
    }

    #[test]
    fn strings() {
        let (bmp, _) = parse(&[0x1e, 0x04, 0x00, b'O', 0x00, b'K']).unwrap();
        assert_eq!(text(&bmp).unwrap(), "OK");
        let (utf8, _) = parse(&[0x0c, 0x03, b'O', b'K', 0]).unwrap();
        assert_eq!(text(&utf8).unwrap(), "OK");
        let (odd, _) = parse(&[0x1e, 0x01, 0x41]).unwrap();
        assert_eq!(text(&odd).unwrap(), "\u{4100}");
        assert!(text(&parse(&[0x02, 0x01, 0x00]).unwrap().0).is_none());
    }
}
