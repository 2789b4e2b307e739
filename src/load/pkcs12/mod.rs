//! A PKCS#12 reader (RFC 7292) for what edgelint needs from a `.pfx`: the certificates, the
//! private keys and the key bags' Microsoft CSP name attribute.
//!
//! PFX → authSafe ContentInfo (`data`; `signedData`, the public-key integrity mode, is refused
//! with a message) → MAC check (HMAC keyed by the PKCS#12 KDF with SHA-1 or SHA-2, or PBMAC1)
//! → AuthenticatedSafe → `data` and `encryptedData` ContentInfos (`envelopedData` is skipped,
//! as OpenSSL does) → SafeContents → keyBag, pkcs8ShroudedKeyBag, certBag (X.509) and nested
//! safeContentsBag. BER throughout (indefinite lengths, constructed OCTET STRINGs), with depth
//! and size limits (see `ber` and `pbe`).
//!
//! Passwords as OpenSSL, Go's x/crypto and .NET take them: an empty password is tried as the
//! null password (no bytes) and as the empty BMPString (two zero bytes), for the MAC and for
//! the decryption; a file without a MAC (`openssl pkcs12 -nomac`) is read with whichever form
//! decrypts it. Neither the password nor key bytes ever reach a message or a `Debug` output.

pub mod ber;
mod iterated;
pub mod pbe;

use ber::{BerError, Element};
use pbe::{Budget, MacData, Password, PbeError};

/// How deep safeContentsBags may nest.
const MAX_BAG_NESTING: usize = 8;

const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
const ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];
const BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01];
const X509_CERTIFICATE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01];
const FRIENDLY_NAME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14];
const LOCAL_KEY_ID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15];
/// Microsoft's CSP name attribute, 1.3.6.1.4.1.311.17.1.
const CSP_NAME: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x11, 0x01];

/// What a PKCS#12 file yields once opened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Opened {
    /// DER of each X.509 certificate, in file order.
    pub certs: Vec<Vec<u8>>,
    pub keys: Vec<Key>,
    pub mac: MacStatus,
}

/// A private key of the file (from a keyBag or a decrypted pkcs8ShroudedKeyBag).
#[derive(Clone, Default, PartialEq)]
pub struct Key {
    /// The PrivateKeyInfo, DER.
    pub pkcs8: Vec<u8>,
    /// The Microsoft CSP name attribute (1.3.6.1.4.1.311.17.1).
    pub csp_name: Option<String>,
    pub friendly_name: Option<String>,
    pub local_key_id: Option<Vec<u8>>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("pkcs8", &format_args!("<{} bytes>", self.pkcs8.len()))
            .field("csp_name", &self.csp_name)
            .field("friendly_name", &self.friendly_name)
            .finish_non_exhaustive()
    }
}

/// Whether the file's integrity was checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MacStatus {
    /// A MAC was present and matched; the algorithm, e.g. `HMAC-SHA-256`.
    Verified(String),
    /// No MAC (`openssl pkcs12 -nomac`).
    #[default]
    Absent,
}

/// Why a file does not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The MAC does not match, or no password form decrypts the data.
    WrongPassword,
    /// The structure breaks PKCS#12 or BER.
    Malformed(String),
    /// A well-formed file using something edgelint does not read (an algorithm, a mode, more
    /// iterations than the limit).
    Unsupported(String),
}

impl From<BerError> for Error {
    fn from(e: BerError) -> Self {
        Error::Malformed(e.0)
    }
}

impl From<PbeError> for Error {
    fn from(e: PbeError) -> Self {
        match e {
            PbeError::Failed => Error::WrongPassword,
            PbeError::Malformed(m) => Error::Malformed(m),
            PbeError::Unsupported(m) => Error::Unsupported(m),
        }
    }
}

fn malformed(m: impl Into<String>) -> Error {
    Error::Malformed(m.into())
}

/// A ContentInfo: (contentType, the `[0] EXPLICIT` content if any).
fn content_info<'a>(e: &Element<'a>) -> Result<(&'a [u8], Option<Element<'a>>), Error> {
    let e = e.expect(ber::SEQUENCE, "ContentInfo")?;
    let mut items = e.children();
    let oid = items
        .next()
        .ok_or_else(|| malformed("empty ContentInfo"))??
        .oid()?;
    let content = match items.next().transpose()? {
        Some(wrapper) => {
            let wrapper = wrapper.expect(ber::CONTEXT_0, "ContentInfo content")?;
            wrapper.children().next().transpose()?
        }
        None => None,
    };
    Ok((oid, content))
}

/// The PFX's outer layers: the AuthenticatedSafe's bytes and the MacData, if any.
fn outer(der: &[u8]) -> Result<(std::borrow::Cow<'_, [u8]>, Option<Element<'_>>), Error> {
    let (pfx, _trailing) = ber::parse(der)?;
    let pfx = pfx.expect(ber::SEQUENCE, "PFX")?;
    let items = pfx.items()?;
    let (version, auth_safe, mac) = match &items[..] {
        [v, a] => (v, a, None),
        [v, a, m] => (v, a, Some(*m)),
        _ => return Err(malformed("the PFX is not (version, authSafe, macData)")),
    };
    version.unsigned("the PFX version")?;
    let (oid, content) = content_info(auth_safe)?;
    if oid == SIGNED_DATA {
        return Err(Error::Unsupported(
            "it uses the public-key integrity mode (signedData), which edgelint does not read"
                .into(),
        ));
    }
    if oid != DATA {
        return Err(malformed(format!(
            "the authSafe's content type is {}, not data",
            pbe::dotted(oid)
        )));
    }
    let octets = match content {
        Some(c) => c.octets()?,
        None => std::borrow::Cow::Borrowed(&[][..]),
    };
    Ok((octets, mac))
}

/// Open a PKCS#12 file with a password (see the module's notes on empty passwords).
pub fn open(der: &[u8], password: &str) -> Result<Opened, Error> {
    open_within(der, password, pbe::MAX_TOTAL_ITERATIONS)
}

/// `open` with a total key-derivation budget.
fn open_within(der: &[u8], password: &str, total_iterations: u64) -> Result<Opened, Error> {
    let mut budget = Budget::new(total_iterations);
    let (auth_safe, mac) = outer(der)?;
    let mut candidates = Password::candidates(password);
    let mut status = MacStatus::Absent;
    if let Some(mac) = mac {
        let mac = MacData::parse(&mac)?;
        let mut verified = None;
        for (i, c) in candidates.iter().enumerate() {
            // PBMAC1 reads only the UTF-8 form: do not compute the same key twice.
            if candidates[..i].iter().any(|p| mac.same_key(p, c)) {
                continue;
            }
            budget.spend(mac.cost())?;
            if mac.verifies(&auth_safe, c) {
                verified = Some(i);
                break;
            }
        }
        let i = verified.ok_or(Error::WrongPassword)?;
        // The form that opened the MAC is tried first for the decryption too.
        let chosen = candidates.remove(i);
        candidates.insert(0, chosen);
        status = MacStatus::Verified(mac.describe());
    }
    let mut walk = Walk {
        passwords: Some(Passwords {
            candidates,
            verified: matches!(status, MacStatus::Verified(_)),
        }),
        out: Opened {
            mac: status,
            ..Opened::default()
        },
        budget,
    };
    walk.authenticated_safe(&auth_safe)?;
    Ok(walk.out)
}

/// The CSP name attribute of every key bag that has one, read without the password: the bags
/// of the unencrypted `data` parts (where OpenSSL and Windows put the key bags; their
/// attributes are never encrypted). `None` when the structure does not parse.
pub fn key_providers(der: &[u8]) -> Option<Vec<String>> {
    let (auth_safe, _) = outer(der).ok()?;
    let mut walk = Walk {
        passwords: None,
        out: Opened::default(),
        budget: Budget::new(0),
    };
    walk.authenticated_safe(&auth_safe).ok()?;
    Some(
        walk.out
            .keys
            .into_iter()
            .filter_map(|k| k.csp_name)
            .collect(),
    )
}

struct Passwords {
    /// Password forms to try, the one that verified the MAC first.
    candidates: Vec<Password>,
    /// The MAC matched: damaged decrypted content is then corruption, not a wrong password.
    verified: bool,
}

struct Walk {
    /// `None`: read what is readable without decrypting (key_providers).
    passwords: Option<Passwords>,
    out: Opened,
    /// Key-derivation iterations left.
    budget: Budget,
}

impl Walk {
    fn authenticated_safe(&mut self, bytes: &[u8]) -> Result<(), Error> {
        if bytes.is_empty() {
            return Ok(());
        }
        let seq = ber::parse_all(bytes)?.expect(ber::SEQUENCE, "AuthenticatedSafe")?;
        for info in seq.children() {
            let (oid, content) = content_info(&info?)?;
            let Some(content) = content else { continue };
            if oid == DATA {
                let octets = content.octets()?;
                self.safe_contents_bytes(&octets, 0)?;
            } else if oid == ENCRYPTED_DATA && self.passwords.is_some() {
                self.encrypted_data(&content)?;
            }
            // envelopedData and others: skipped, as OpenSSL does.
        }
        Ok(())
    }

    /// EncryptedData ::= SEQUENCE { version, EncryptedContentInfo ::= SEQUENCE { contentType,
    /// contentEncryptionAlgorithm, encryptedContent [0] IMPLICIT OCTET STRING OPTIONAL } }
    fn encrypted_data(&mut self, e: &Element<'_>) -> Result<(), Error> {
        let items = e.expect(ber::SEQUENCE, "EncryptedData")?.items()?;
        let info = items
            .get(1)
            .ok_or_else(|| malformed("EncryptedData without its content"))?
            .expect(ber::SEQUENCE, "EncryptedContentInfo")?
            .items()?;
        let (alg, content) = match &info[..] {
            [_, alg] => (alg, None),
            [_, alg, c, ..] => (alg, Some(c)),
            _ => return Err(malformed("EncryptedContentInfo without its algorithm")),
        };
        let Some(content) = content else {
            return Ok(());
        };
        if !matches!(content.tag, ber::CONTEXT_0 | ber::CONTEXT_0_PRIMITIVE) {
            return Err(malformed(
                "the encrypted content is not [0] IMPLICIT OCTET STRING",
            ));
        }
        let data = content.octets()?;
        let plain = self.decrypt_parsed(alg, &data, "the encrypted data", |plain| {
            // A wrong password that happens to leave valid padding gives garbage: check that
            // it parses before taking it.
            let mut trial = Walk {
                passwords: None,
                out: Opened::default(),
                budget: Budget::new(0),
            };
            trial.safe_contents_bytes(plain, 0)
        })?;
        self.safe_contents_bytes(&plain, 0)
    }

    /// Decrypt with each password form until one gives content that `check` accepts.
    fn decrypt_parsed(
        &mut self,
        alg: &Element<'_>,
        data: &[u8],
        what: &str,
        check: impl Fn(&[u8]) -> Result<(), Error>,
    ) -> Result<Vec<u8>, Error> {
        let Some(passwords) = self.passwords.as_ref() else {
            return Err(Error::WrongPassword); // not reached: only called with passwords
        };
        let budget = &mut self.budget;
        let mut damaged = None;
        for p in &passwords.candidates {
            match pbe::decrypt(alg, data, p, what, budget) {
                Ok(plain) => match check(&plain) {
                    Ok(()) => return Ok(plain),
                    Err(e) => {
                        damaged.get_or_insert(e);
                    }
                },
                Err(PbeError::Failed) => {}
                // Parameters that are wrong or refused whatever the password.
                Err(other) => return Err(other.into()),
            }
        }
        // With a verified MAC the password is right: content that does not parse is damage.
        match damaged {
            Some(Error::Malformed(m)) if passwords.verified => Err(malformed(format!(
                "{what} decrypts to something that does not parse ({m})"
            ))),
            Some(e @ Error::Unsupported(_)) if passwords.verified => Err(e),
            _ => Err(Error::WrongPassword),
        }
    }

    fn safe_contents_bytes(&mut self, bytes: &[u8], depth: usize) -> Result<(), Error> {
        let e = ber::parse_all(bytes).map_err(|e| malformed(format!("SafeContents: {e}")))?;
        self.safe_contents(&e, depth)
    }

    /// SafeContents ::= SEQUENCE OF SafeBag { bagId, bagValue [0] EXPLICIT, bagAttributes }
    fn safe_contents(&mut self, e: &Element<'_>, depth: usize) -> Result<(), Error> {
        let seq = e.expect(ber::SEQUENCE, "SafeContents")?;
        for bag in seq.children() {
            let bag = bag?.expect(ber::SEQUENCE, "SafeBag")?;
            let mut items = bag.children();
            let id = items
                .next()
                .ok_or_else(|| malformed("empty SafeBag"))??
                .oid()?;
            let value = items
                .next()
                .ok_or_else(|| malformed("SafeBag without its value"))??
                .expect(ber::CONTEXT_0, "SafeBag value")?
                .children()
                .next()
                .ok_or_else(|| malformed("SafeBag with an empty value"))??;
            let attributes = items.next().transpose()?;
            let kind = match id.strip_prefix(BAG) {
                Some(&[k]) => k,
                _ => continue,
            };
            match kind {
                1 | 2 => {
                    let mut key = Key::default();
                    if let Some(a) = &attributes {
                        read_attributes(a, &mut key)?;
                    }
                    if self.passwords.is_some() {
                        key.pkcs8 = if kind == 1 {
                            value.to_der()?
                        } else {
                            self.shrouded_key(&value)?
                        };
                    }
                    self.out.keys.push(key);
                }
                3 if self.passwords.is_some() => {
                    // CertBag ::= SEQUENCE { certId, certValue [0] EXPLICIT }
                    let items = value.expect(ber::SEQUENCE, "CertBag")?.items()?;
                    let [cert_id, cert_value] = items[..] else {
                        return Err(malformed("CertBag is not (type, value)"));
                    };
                    if cert_id.oid()? != X509_CERTIFICATE {
                        continue; // SDSI certificates
                    }
                    let inner = cert_value
                        .expect(ber::CONTEXT_0, "CertBag value")?
                        .children()
                        .next()
                        .ok_or_else(|| malformed("empty CertBag value"))??;
                    self.out.certs.push(inner.octets()?.into_owned());
                }
                6 => {
                    if depth >= MAX_BAG_NESTING {
                        return Err(malformed(format!(
                            "safe contents nested deeper than {MAX_BAG_NESTING} levels"
                        )));
                    }
                    self.safe_contents(&value, depth + 1)?;
                }
                // CRL and secret bags: nothing of ours.
                _ => {}
            }
        }
        Ok(())
    }

    /// EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm, encryptedData OCTET STRING }
    fn shrouded_key(&mut self, value: &Element<'_>) -> Result<Vec<u8>, Error> {
        let items = value
            .expect(ber::SEQUENCE, "EncryptedPrivateKeyInfo")?
            .items()?;
        let [alg, data] = items[..] else {
            return Err(malformed(
                "EncryptedPrivateKeyInfo is not (algorithm, data)",
            ));
        };
        let data = data.octets()?;
        let plain = self.decrypt_parsed(&alg, &data, "the private key", |plain| {
            ber::parse_all(plain)
                .and_then(|e| e.expect(ber::SEQUENCE, "PrivateKeyInfo"))
                .map(|_| ())
                .map_err(|e| malformed(e.0))
        })?;
        Ok(ber::parse_all(&plain)?.to_der()?)
    }
}

/// Attributes ::= SET OF SEQUENCE { attrId, attrValues SET OF ANY }
fn read_attributes(set: &Element<'_>, key: &mut Key) -> Result<(), Error> {
    let set = set.expect(ber::SET, "bag attributes")?;
    for attribute in set.children() {
        let attribute = attribute?.expect(ber::SEQUENCE, "bag attribute")?;
        let mut items = attribute.children();
        let Some(id) = items.next().transpose()? else {
            continue;
        };
        let id = id.oid()?;
        let Some(values) = items.next().transpose()? else {
            continue;
        };
        let first = values.children().next().transpose()?;
        let Some(first) = first else { continue };
        match id {
            CSP_NAME => key.csp_name = ber::text(&first),
            FRIENDLY_NAME => key.friendly_name = ber::text(&first),
            LOCAL_KEY_ID => key.local_key_id = first.octets().ok().map(|o| o.into_owned()),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
