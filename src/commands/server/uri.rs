//! `file:` URIs ↔ paths (RFC 8089 as editors write them: percent-encoded, `file:///C:/x` or
//! `file:///c%3A/x` on Windows). Any other scheme (`untitled:`, `git:`) names no file: the
//! server answers requests about such a document without reading anything.

use std::path::{Path, PathBuf};

/// The normalised absolute path a `file:` URI names; `None` for other schemes, a host other
/// than `localhost`, or a path that is not absolute.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let scheme_end = uri.find(':')?;
    if !uri[..scheme_end].eq_ignore_ascii_case("file") {
        return None;
    }
    let rest = uri[scheme_end + 1..].strip_prefix("//")?;
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let slash = rest.find('/')?;
    let host = &rest[..slash];
    if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
        return None;
    }
    let bytes = percent_decode(&rest[slash..])?;
    let path = os_path(bytes)?;
    path.is_absolute()
        .then(|| crate::discover::normalize(&path))
}

#[cfg(unix)]
fn os_path(bytes: Vec<u8>) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    if bytes.contains(&0) {
        return None;
    }
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn os_path(bytes: Vec<u8>) -> Option<PathBuf> {
    let text = String::from_utf8(bytes).ok()?;
    // `/C:/x` → `C:/x`
    let trimmed = match text.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => &text[1..],
        _ => &text[..],
    };
    Some(PathBuf::from(trimmed.replace('/', "\\")))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// The `file:` URI of an absolute path: every byte but the unreserved characters and `/`
/// percent-encoded (as VS Code writes them).
pub fn from_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    let mut out = String::from("file://");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        for p in [
            "/work/a b/topology.yaml",
            "/x/zürich/🔐.pem",
            "/r/%41#?.yaml",
        ] {
            let uri = from_path(Path::new(p));
            assert!(uri.starts_with("file:///"), "{uri}");
            assert!(!uri[7..].contains([' ', '#', '?']), "{uri}");
            assert_eq!(to_path(&uri), Some(PathBuf::from(p)), "{uri}");
        }
        assert_eq!(
            to_path("file://localhost/etc/x.yaml"),
            Some(PathBuf::from("/etc/x.yaml"))
        );
        assert_eq!(
            to_path("FILE:///a/./b/../c.yaml"),
            Some(PathBuf::from("/a/c.yaml"))
        );
    }

    #[test]
    fn other_uris_name_no_file() {
        for uri in [
            "untitled:Untitled-1",
            "file://server/share/x.yaml",
            "file:relative.yaml",
            "file:///bad%zz",
            "file:///nul%00byte",
            "git:/x.yaml",
            "",
        ] {
            assert_eq!(to_path(uri), None, "{uri}");
        }
    }
}
