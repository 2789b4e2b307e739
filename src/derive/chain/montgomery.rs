//! Part of **derive** (chains): arithmetic modulo an RSA modulus, in Montgomery form, for the
//! signature screen ([`super::screen`]). It is the only big-number code edgelint has, and it
//! does only what the screen needs: numbers from big-endian bytes, the Montgomery product,
//! and powers. Nothing here is secret (public keys, signatures and digests), so nothing needs
//! to take constant time.

/// An odd modulus `n` of `limbs` 64-bit words, with what the Montgomery product needs.
/// `R` is 2^(64·limbs).
pub struct Modulus {
    /// `n`, least significant word first.
    n: Vec<u64>,
    /// −n⁻¹ mod 2^64.
    n0: u64,
    /// R mod n: the Montgomery form of 1.
    one: Vec<u64>,
    /// R² mod n: the Montgomery form of R.
    r_squared: Vec<u64>,
}

/// The most words a modulus may have (8,192 bits, the largest RSA key ring verifies).
pub const MAX_LIMBS: usize = 128;

impl Modulus {
    /// The modulus written in `be` (big-endian, leading zero bytes allowed): `None` when it is
    /// even, 1, or longer than [`MAX_LIMBS`] words.
    pub fn new(be: &[u8]) -> Option<Modulus> {
        let n = limbs_from_be(be, None)?;
        if n[0] & 1 == 0 || n.len() > MAX_LIMBS || (n.len() == 1 && n[0] == 1) {
            return None;
        }
        let n0 = inverse_mod_word(n[0]).wrapping_neg();
        // R mod n by doubling 1, 64·limbs times (about 64·limbs² word operations, 65,000 for
        // a 2,048-bit key, once per key).
        let mut one = vec![0u64; n.len()];
        one[0] = 1;
        for _ in 0..64 * n.len() {
            double_mod(&mut one, &n);
        }
        let mut modulus = Modulus {
            n,
            n0,
            one,
            r_squared: Vec::new(),
        };
        modulus.r_squared = modulus.r_squared_from_one();
        Some(modulus)
    }

    /// R² mod n, the Montgomery form of R: 2ᵗ·R by t doublings of R, then squared j times in
    /// Montgomery form, which makes 2^(t·2ʲ)·R, for t·2ʲ = 64·limbs (t the odd part).
    fn r_squared_from_one(&self) -> Vec<u64> {
        let bits = 64 * self.n.len();
        let squarings = bits.trailing_zeros();
        let mut x = self.one.clone();
        for _ in 0..bits >> squarings {
            double_mod(&mut x, &self.n);
        }
        let mut tmp = vec![0u64; self.n.len()];
        for _ in 0..squarings {
            self.mul(&x, &x, &mut tmp);
            std::mem::swap(&mut x, &mut tmp);
        }
        x
    }

    pub fn limbs(&self) -> usize {
        self.n.len()
    }

    /// `n`, least significant word first.
    #[cfg(test)]
    pub fn words(&self) -> &[u64] {
        &self.n
    }

    /// The number written in `be` as words of this modulus: `None` unless it is below `n`.
    pub fn element(&self, be: &[u8]) -> Option<Vec<u64>> {
        limbs_from_be(be, Some(self.n.len())).filter(|x| less(x, &self.n))
    }

    /// R mod n, the Montgomery form of 1.
    pub fn one(&self) -> &[u64] {
        &self.one
    }

    /// R² mod n, the Montgomery form of R.
    pub fn r_squared(&self) -> &[u64] {
        &self.r_squared
    }

    /// `out` = a·b·R⁻¹ mod n, for `a` and `b` below `n` (finely integrated operand scanning:
    /// for each word of `b`, one pass adds a·word and m·n, m chosen so that the lowest word
    /// becomes zero, and shifts the sum down a word; then a final subtraction).
    pub fn mul(&self, a: &[u64], b: &[u64], out: &mut [u64]) {
        let n = &self.n[..];
        let s = n.len();
        let a = &a[..s];
        // Below 2n after every pass, so s words and a top word of 0 or 1.
        let mut t = [0u64; MAX_LIMBS + 1];
        let t = &mut t[..=s];
        for &word in &b[..s] {
            let bi = u128::from(word);
            let x = u128::from(t[0]) + u128::from(a[0]) * bi;
            let m = u128::from((x as u64).wrapping_mul(self.n0));
            let y = u128::from(x as u64) + m * u128::from(n[0]);
            // Two carries: of the sum with a·word, and of that sum's word with m·n.
            let (mut carry_a, mut carry_n) = (x >> 64, y >> 64);
            for j in 1..s {
                let x = u128::from(t[j]) + u128::from(a[j]) * bi + carry_a;
                let y = u128::from(x as u64) + m * u128::from(n[j]) + carry_n;
                carry_a = x >> 64;
                carry_n = y >> 64;
                t[j - 1] = y as u64;
            }
            let top = u128::from(t[s]) + carry_a + carry_n;
            t[s - 1] = top as u64;
            t[s] = (top >> 64) as u64;
        }
        // The result is below 2n: one subtraction at most.
        if t[s] != 0 || !less(&t[..s], n) {
            sub_in_place(&mut t[..s], n);
        }
        out[..s].copy_from_slice(&t[..s]);
    }

    /// xᵉ in Montgomery form, for `x` in Montgomery form.
    pub fn pow(&self, x: &[u64], exponent: u64) -> Vec<u64> {
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; self.n.len()];
        for bit in (0..64 - exponent.leading_zeros()).rev() {
            self.mul(&acc, &acc, &mut tmp);
            std::mem::swap(&mut acc, &mut tmp);
            if exponent >> bit & 1 == 1 {
                self.mul(&acc, x, &mut tmp);
                std::mem::swap(&mut acc, &mut tmp);
            }
        }
        acc
    }
}

/// The words of the big-endian number `be`, least significant first: as many as it needs, or
/// exactly `width` (`None` if it does not fit).
fn limbs_from_be(be: &[u8], width: Option<usize>) -> Option<Vec<u64>> {
    let digits = super::without_leading_zeros(be);
    let needed = digits.len().div_ceil(8).max(1);
    let width = width.unwrap_or(needed);
    if needed > width {
        return None;
    }
    let mut out = vec![0u64; width];
    for (word, chunk) in out.iter_mut().zip(digits.rchunks(8)) {
        *word = chunk.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    }
    Some(out)
}

/// a < b, for numbers of the same width.
fn less(a: &[u64], b: &[u64]) -> bool {
    for (x, y) in a.iter().zip(b).rev() {
        if x != y {
            return x < y;
        }
    }
    false
}

/// a −= b, for a ≥ b (or a carry above `a` that the subtraction uses up).
fn sub_in_place(a: &mut [u64], b: &[u64]) {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *x = d;
        borrow = b1 | b2;
    }
}

/// x = 2x mod n, for x < n.
fn double_mod(x: &mut [u64], n: &[u64]) {
    let mut carry = 0u64;
    for w in x.iter_mut() {
        let next = *w >> 63;
        *w = *w << 1 | carry;
        carry = next;
    }
    if carry != 0 || !less(x, n) {
        sub_in_place(x, n);
    }
}

/// v⁻¹ mod 2^64 for odd v (Newton's iteration doubles the correct low bits each step).
fn inverse_mod_word(v: u64) -> u64 {
    let mut inv = v; // correct to 3 bits for odd v
    for _ in 0..5 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(v.wrapping_mul(inv)));
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(limbs: &[u64]) -> BigUint {
        BigUint::from_bytes_le(
            &limbs
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect::<Vec<_>>(),
        )
    }

    /// Deterministic pseudo-random bytes (xorshift), so a failure reproduces.
    fn bytes(seed: &mut u64, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                *seed as u8
            })
            .collect()
    }

    #[test]
    fn the_montgomery_product_and_powers_agree_with_num_bigint() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        // 2048 and 3072 bits, one just above a word boundary, and one word.
        for len in [256, 384, 129, 8] {
            for _ in 0..20 {
                let mut n_bytes = bytes(&mut seed, len);
                n_bytes[0] |= 0x01;
                *n_bytes.last_mut().unwrap() |= 1;
                let m = Modulus::new(&n_bytes).unwrap();
                let n = BigUint::from_bytes_be(&n_bytes);
                let r = BigUint::from(1u8) << (64 * m.limbs());
                let r_inv = r.modinv(&n).unwrap();
                assert_eq!(big(m.one()), &r % &n);
                assert_eq!(big(m.r_squared()), (&r * &r) % &n);
                let a_big = BigUint::from_bytes_be(&bytes(&mut seed, len)) % &n;
                let b_big = BigUint::from_bytes_be(&bytes(&mut seed, len)) % &n;
                let a = m.element(&a_big.to_bytes_be()).unwrap();
                let b = m.element(&b_big.to_bytes_be()).unwrap();
                let mut out = vec![0; m.limbs()];
                m.mul(&a, &b, &mut out);
                assert_eq!(big(&out), (&a_big * &b_big * &r_inv) % &n);
                // Powers in Montgomery form: (a·R)^e ↦ a^e·R.
                let exponent = 65537 * 513;
                let mut a_mont = vec![0; m.limbs()];
                m.mul(&a, m.r_squared(), &mut a_mont);
                let power = m.pow(&a_mont, exponent);
                assert_eq!(
                    big(&power),
                    a_big.modpow(&BigUint::from(exponent), &n) * &r % &n
                );
            }
        }
    }

    #[test]
    fn the_product_holds_at_the_largest_operands_and_moduli() {
        // Every word all ones (the largest carries), and a top bit alone with a low one.
        let mut top_bit = vec![0u8; 256];
        top_bit[0] = 0x80;
        top_bit[255] = 0x01;
        for n_bytes in [vec![0xff; 256], vec![0xff; 8], top_bit] {
            let m = Modulus::new(&n_bytes).unwrap();
            let n = BigUint::from_bytes_be(&n_bytes);
            let r_inv = (BigUint::from(1u8) << (64 * m.limbs())).modinv(&n).unwrap();
            let largest = &n - 1u8;
            let a = m.element(&largest.to_bytes_be()).unwrap();
            let mut out = vec![0; m.limbs()];
            m.mul(&a, &a, &mut out);
            assert_eq!(big(&out), (&largest * &largest * &r_inv) % &n);
        }
    }

    #[test]
    fn elements_must_be_below_the_modulus_and_moduli_odd() {
        let m = Modulus::new(&[0x00, 0x01, 0x01]).unwrap(); // 257
        assert!(m.element(&[0x01, 0x00]).is_some());
        assert!(m.element(&[0x01, 0x01]).is_none());
        assert!(m.element(&[0x01, 0x02, 0x03]).is_none());
        assert!(Modulus::new(&[0x01, 0x00]).is_none());
        assert!(Modulus::new(&[0x00]).is_none());
        assert!(Modulus::new(&[0x01]).is_none());
        assert!(Modulus::new(&vec![0xff; 8 * MAX_LIMBS + 1]).is_none());
    }
}
