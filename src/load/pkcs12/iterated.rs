//! The inner loops of PKCS#12's key derivations (PBKDF2 with HMAC, and RFC 7292's own KDF)
//! for SHA-1 and SHA-256, the hashes real files use, written on one-block buffers and the
//! hashes' compression functions. Opening a PKCS#12 file is thousands of iterations of these
//! loops; through the generic HMAC and digest types about a fifth of that time went around
//! the compressions (buffer bookkeeping, state copies, an allocation per KDF iteration). Other
//! hashes take the generic path. The tests compare every result with the `pbkdf2`, `hmac`,
//! `sha1` and `sha2` crates.

/// SHA-1 and SHA-256 alike: 64-byte blocks, state words of 32 bits written big-endian, and the
/// same padding (0x80, zeros, the message length in bits as a big-endian u64).
pub struct Sha32<const W: usize> {
    iv: [u32; W],
    compress: fn(&mut [u32; W], &[[u8; 64]]),
}

pub const SHA1: Sha32<5> = Sha32 {
    iv: [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0],
    compress: sha1::block_api::compress,
};

pub const SHA256: Sha32<8> = Sha32 {
    iv: [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ],
    compress: sha2::block_api::compress256,
};

const BLOCK: usize = 64;

impl<const W: usize> Sha32<W> {
    /// The digest's length in bytes.
    const LEN: usize = 4 * W;

    fn write_out(state: &[u32; W], out: &mut [u8]) {
        for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
    }

    /// The state after `data`, hashed on from `state` which has already taken `before` bytes
    /// (whole blocks), padding included: the digest's words.
    fn finish(&self, mut state: [u32; W], before: usize, data: &[u8]) -> [u32; W] {
        let mut blocks = data.chunks_exact(BLOCK);
        for block in blocks.by_ref() {
            let block: &[u8; BLOCK] = block.try_into().expect("chunks_exact gives whole blocks");
            (self.compress)(&mut state, std::slice::from_ref(block));
        }
        let rest = blocks.remainder();
        let bits = ((before + data.len()) as u64).wrapping_mul(8);
        let mut tail = [[0u8; BLOCK]; 2];
        let flat = tail.as_flattened_mut();
        flat[..rest.len()].copy_from_slice(rest);
        flat[rest.len()] = 0x80;
        let used = if rest.len() + 9 <= BLOCK { 1 } else { 2 };
        flat[used * BLOCK - 8..used * BLOCK].copy_from_slice(&bits.to_be_bytes());
        (self.compress)(&mut state, &tail[..used]);
        state
    }

    /// One block holding a message of `Self::LEN` bytes that follows `before` bytes: the
    /// message is written into its first bytes, the padding is already there.
    fn digest_block(before: usize) -> [u8; BLOCK] {
        let mut block = [0u8; BLOCK];
        block[Self::LEN] = 0x80;
        let bits = ((before + Self::LEN) * 8) as u64;
        block[BLOCK - 8..].copy_from_slice(&bits.to_be_bytes());
        block
    }

    /// `digest` hashed again `times` times, in place.
    pub fn rehash(&self, digest: &mut [u8], times: u32) {
        let mut block = Self::digest_block(0);
        for _ in 0..times {
            block[..Self::LEN].copy_from_slice(digest);
            let mut state = self.iv;
            (self.compress)(&mut state, &[block]);
            Self::write_out(&state, digest);
        }
    }

    /// PBKDF2 (RFC 8018) with HMAC of this hash as its PRF.
    pub fn pbkdf2_hmac(&self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        let mut key = [0u8; BLOCK];
        if password.len() > BLOCK {
            Self::write_out(&self.finish(self.iv, 0, password), &mut key);
        } else {
            key[..password.len()].copy_from_slice(password);
        }
        let padded = |pad: u8| {
            let mut state = self.iv;
            (self.compress)(&mut state, &[key.map(|b| b ^ pad)]);
            state
        };
        let (inner, outer) = (padded(0x36), padded(0x5c));
        let mut inner_block = Self::digest_block(BLOCK);
        let mut outer_block = Self::digest_block(BLOCK);
        let mut salted = Vec::with_capacity(salt.len() + 4);
        for (i, chunk) in out.chunks_mut(Self::LEN).enumerate() {
            salted.clear();
            salted.extend_from_slice(salt);
            salted.extend_from_slice(&(i as u32 + 1).to_be_bytes());
            let first = self.finish(inner, BLOCK, &salted);
            Self::write_out(&first, &mut outer_block[..Self::LEN]);
            let mut u = outer;
            (self.compress)(&mut u, &[outer_block]);
            let mut t = u;
            for _ in 1..iterations {
                Self::write_out(&u, &mut inner_block[..Self::LEN]);
                let mut state = inner;
                (self.compress)(&mut state, &[inner_block]);
                Self::write_out(&state, &mut outer_block[..Self::LEN]);
                u = outer;
                (self.compress)(&mut u, &[outer_block]);
                t.iter_mut().zip(&u).for_each(|(t, u)| *t ^= u);
            }
            let mut bytes = [0u8; 32];
            Self::write_out(&t, &mut bytes[..Self::LEN]);
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    /// Inputs around the block and padding edges: lengths 0..=130.
    fn message(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn a_digest_of_any_length_is_the_crates_digest() {
        for len in 0..=130 {
            let m = message(len, 7);
            let mut out = [0u8; 32];
            Sha32::<8>::write_out(&SHA256.finish(SHA256.iv, 0, &m), &mut out);
            assert_eq!(
                out[..],
                sha2::Sha256::digest(&m)[..],
                "SHA-256, {len} bytes"
            );
            let mut out = [0u8; 20];
            Sha32::<5>::write_out(&SHA1.finish(SHA1.iv, 0, &m), &mut out);
            assert_eq!(out[..], sha1::Sha1::digest(&m)[..], "SHA-1, {len} bytes");
        }
    }

    #[test]
    fn rehashing_is_hashing_again() {
        let mut fast = sha2::Sha256::digest(b"edge").to_vec();
        SHA256.rehash(&mut fast, 3);
        let mut slow = sha2::Sha256::digest(b"edge").to_vec();
        for _ in 0..3 {
            slow = sha2::Sha256::digest(&slow).to_vec();
        }
        assert_eq!(fast, slow);
        let mut fast = sha1::Sha1::digest(b"edge").to_vec();
        SHA1.rehash(&mut fast, 2);
        let once = sha1::Sha1::digest(b"edge");
        assert_eq!(fast[..], sha1::Sha1::digest(sha1::Sha1::digest(once))[..]);
    }

    #[test]
    fn pbkdf2_is_the_crates_pbkdf2() {
        // Passwords shorter than, as long as and longer than a block (then hashed first);
        // outputs shorter than, equal to and longer than one digest.
        for password_len in [0, 9, 64, 65, 100] {
            let password = message(password_len, 3);
            for salt_len in [0, 8, 16, 51, 52, 60, 64] {
                let salt = message(salt_len, 5);
                for (iterations, out_len) in [(1, 32), (2, 20), (7, 40), (2048, 32), (3, 16)] {
                    let mut fast = vec![0u8; out_len];
                    let mut slow = vec![0u8; out_len];
                    SHA256.pbkdf2_hmac(&password, &salt, iterations, &mut fast);
                    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(&password, &salt, iterations, &mut slow);
                    assert_eq!(fast, slow, "SHA-256 {password_len}/{salt_len}/{iterations}");
                    SHA1.pbkdf2_hmac(&password, &salt, iterations, &mut fast);
                    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(&password, &salt, iterations, &mut slow);
                    assert_eq!(fast, slow, "SHA-1 {password_len}/{salt_len}/{iterations}");
                }
            }
        }
    }

    #[test]
    fn pbkdf2_meets_the_published_vectors() {
        // RFC 6070 (PBKDF2-HMAC-SHA1) and RFC 7914 section 11 (PBKDF2-HMAC-SHA256).
        let mut out = [0u8; 20];
        SHA1.pbkdf2_hmac(b"password", b"salt", 4096, &mut out);
        assert_eq!(
            out,
            [
                0x4b, 0x00, 0x79, 0x01, 0xb7, 0x65, 0x48, 0x9a, 0xbe, 0xad, 0x49, 0xd9, 0x26, 0xf7,
                0x21, 0xd0, 0x65, 0xa4, 0x29, 0xc1
            ]
        );
        let mut out = [0u8; 64];
        SHA256.pbkdf2_hmac(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            out[..16],
            [
                0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91, 0xc2, 0x25, 0x44,
                0xb6, 0x05
            ]
        );
        assert_eq!(
            out[48..],
            [
                0x7c, 0x71, 0xb8, 0x45, 0xb1, 0xe3, 0x0b, 0xd5, 0x09, 0x11, 0x20, 0x41, 0xd3, 0xa1,
                0x97, 0x83
            ]
        );
    }
}
