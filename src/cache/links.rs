//! The chain links verified in earlier runs (`derive::chain`'s memo): `links.bin` in the cache
//! folder holds, for each (certificate, issuer key) a run's chains asked about, the SHA-256
//! digest `derive::chain` keys it by and whether the key verifies the signature. Like a shard it
//! starts with a magic and this build's identity, and ends with a SHA-256 of all before it; a
//! file that is not exactly that is ignored (and replaced by the next run's).

use std::path::Path;

use sha2::{Digest, Sha256};

const MAGIC: &[u8; 16] = b"edgelint links\n\0";
const FILE: &str = "links.bin";
const RECORD: usize = 33;
/// At most this many links are read (a larger file is ignored).
const MAX_LINKS: usize = 4 << 20;

pub type Link = ([u8; 32], bool);

/// The links of the cache folder `dir`; none when absent, foreign or damaged.
pub fn read(dir: &Path) -> Vec<Link> {
    let limit = (MAGIC.len() + 64 + MAX_LINKS * RECORD) as u64;
    let Ok(bytes) = crate::read::read_limited(&dir.join(FILE), limit) else {
        return Vec::new();
    };
    decode(&bytes).unwrap_or_default()
}

fn decode(bytes: &[u8]) -> Option<Vec<Link>> {
    let header = MAGIC.len() + 32;
    let body_end = bytes.len().checked_sub(32)?;
    if body_end < header
        || bytes[..MAGIC.len()] != MAGIC[..]
        || bytes[MAGIC.len()..header] != super::identity()[..]
        || Sha256::digest(&bytes[..body_end])[..] != bytes[body_end..]
        || !(body_end - header).is_multiple_of(RECORD)
    {
        return None;
    }
    bytes[header..body_end]
        .chunks_exact(RECORD)
        .map(|r| {
            let key: [u8; 32] = r[..32].try_into().ok()?;
            match r[32] {
                0 => Some((key, false)),
                1 => Some((key, true)),
                _ => None,
            }
        })
        .collect()
}

/// Replace the folder's links with `links` (atomically; failures are silent).
pub fn write(dir: &Path, links: &[Link]) {
    let mut out = Vec::with_capacity(MAGIC.len() + 64 + links.len() * RECORD);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&super::identity());
    for (key, ok) in links.iter().take(MAX_LINKS) {
        out.extend_from_slice(key);
        out.push(u8::from(*ok));
    }
    let check = Sha256::digest(&out);
    out.extend_from_slice(&check);
    if super::create_dir(dir).is_ok() {
        let _ = super::write_atomic(&dir.join(FILE), &out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_read_back_and_damage_is_refused() {
        let dir = std::env::temp_dir().join(format!("edgelint-links-{}", std::process::id()));
        let links = vec![([1; 32], true), ([2; 32], false)];
        write(&dir, &links);
        assert_eq!(read(&dir), links);
        let path = dir.join(FILE);
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 40] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert!(read(&dir).is_empty());
        std::fs::write(&path, &bytes[..n - 1]).unwrap();
        assert!(read(&dir).is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
