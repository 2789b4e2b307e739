//! Reading untrusted files: every input (topology, certificate, configuration, rule pack,
//! baseline) is read here, bounded and without blocking. The file is opened once (without
//! waiting for a writer: a FIFO swapped in after a check cannot block the run), the *opened
//! handle* is checked to be a regular file (not a FIFO, socket or device such as `/dev/zero`),
//! and at most `limit + 1` bytes are read, so a file that grows, lies about its size
//! (`/proc/self/pagemap`) or is replaced after the check cannot exhaust memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read; `Display` is the message findings and errors show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    PermissionDenied,
    /// A folder, FIFO, socket or device: named by what it is.
    NotAFile(&'static str),
    /// `size` when the file said it up front; `None` when it grew past the limit while read.
    TooLarge {
        limit: u64,
        size: Option<u64>,
    },
    Other(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::PermissionDenied => f.write_str("permission denied"),
            ReadError::NotAFile(what) => write!(f, "not a regular file ({what})"),
            ReadError::TooLarge {
                limit,
                size: Some(size),
            } => write!(
                f,
                "the file is {size} bytes, larger than the {limit}-byte limit"
            ),
            ReadError::TooLarge { limit, size: None } => {
                write!(f, "the file is larger than the {limit}-byte limit")
            }
            ReadError::Other(m) => f.write_str(m),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            std::io::ErrorKind::PermissionDenied => ReadError::PermissionDenied,
            std::io::ErrorKind::IsADirectory => ReadError::NotAFile("a folder"),
            _ => ReadError::Other(e.to_string()),
        }
    }
}

/// What a file type is, in words, when it is not a regular file.
pub fn kind_of(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a file")
}

fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading would wait for a writer; a non-blocking open returns at
        // once, and the handle's type is checked before anything is read.
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What one read asks for (whole chunks: some kernel files accept only aligned reads).
const CHUNK: usize = 64 * 1024;

/// The file at `path`, opened, when it is a regular file that says it holds at most `limit`
/// bytes; with its metadata.
fn open_regular(path: &Path, limit: u64) -> Result<(File, std::fs::Metadata), ReadError> {
    let file = open(path)?;
    let meta = file.metadata()?;
    if let Some(what) = kind_of(meta.file_type()) {
        return Err(ReadError::NotAFile(what));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            limit,
            size: Some(meta.len()),
        });
    }
    Ok((file, meta))
}

/// At most `limit` bytes of the regular file at `path`.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path, limit)?;
    read_bounded(file, meta.len().min(limit) as usize, limit)
}

/// Read in whole chunks (some kernel files accept only aligned reads) until the end, or until
/// more than `limit` bytes came.
fn read_bounded(mut file: File, expected: usize, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut buf = Vec::with_capacity(expected);
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => return Ok(buf),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        if (buf.len() + n) as u64 > limit {
            return Err(ReadError::TooLarge { limit, size: None });
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// `read_limited` into `scratch`, a buffer kept between files (a run reads thousands: a fresh
/// buffer for each was memory the kernel had to map and zero every time), with the opened
/// file's metadata. `scratch` keeps its bytes initialised: only growth is zeroed.
pub fn read_reusing<'s>(
    path: &Path,
    limit: u64,
    scratch: &'s mut Vec<u8>,
) -> Result<(&'s [u8], std::fs::Metadata), ReadError> {
    let (mut file, meta) = open_regular(path, limit)?;
    let mut filled = 0;
    loop {
        // Whole chunks asked for each time, as `read_bounded` does.
        if scratch.len() < filled + CHUNK {
            scratch.resize(filled + CHUNK, 0);
        }
        let n = match file.read(&mut scratch[filled..filled + CHUNK]) {
            Ok(0) => return Ok((&scratch[..filled], meta)),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        };
        filled += n;
        if filled as u64 > limit {
            return Err(ReadError::TooLarge { limit, size: None });
        }
    }
}

/// `read_limited`, as UTF-8 text (configuration, rule packs, baselines).
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_limited(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Other(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Standard input as UTF-8 text, at most `limit` bytes (`check --stdin-filename`).
pub fn read_stdin_text(limit: u64) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, size: None });
    }
    String::from_utf8(buf).map_err(|e| {
        ReadError::Other(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// The first `len` bytes of a regular file (to recognise a topology file too large to parse).
pub fn prefix(path: &Path, len: u64) -> Option<Vec<u8>> {
    let file = open(path).ok()?;
    if kind_of(file.metadata().ok()?.file_type()).is_some() {
        return None;
    }
    let mut buf = Vec::new();
    file.take(len).read_to_end(&mut buf).ok()?;
    Some(buf)
}

/// Limits for the files that are not certificates or topologies.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;
pub const MAX_RULE_PACK_BYTES: u64 = 1024 * 1024;
pub const MAX_BASELINE_BYTES: u64 = 64 * 1024 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold_while_reading() {
        let dir = std::env::temp_dir().join(format!("edgelint-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("a.txt");
        std::fs::write(&f, b"0123456789").unwrap();
        assert_eq!(read_limited(&f, 10).unwrap().len(), 10);
        assert_eq!(
            read_limited(&f, 9),
            Err(ReadError::TooLarge {
                limit: 9,
                size: Some(10)
            })
        );
        assert_eq!(read_limited(&dir, 9), Err(ReadError::NotAFile("a folder")));
        assert_eq!(
            read_limited(&dir.join("missing"), 9),
            Err(ReadError::NotFound)
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn proc_files_and_devices_stay_bounded() {
        // /proc files report a size of 0 and yield far more: the read stops at the limit.
        assert_eq!(
            read_limited(Path::new("/proc/self/pagemap"), 1 << 20),
            Err(ReadError::TooLarge {
                limit: 1 << 20,
                size: None
            })
        );
        assert_eq!(
            read_limited(Path::new("/dev/zero"), 1 << 20),
            Err(ReadError::NotAFile("a device"))
        );
    }
}
