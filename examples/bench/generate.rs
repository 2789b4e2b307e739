//! A deterministic repository of Edge deployments for the benchmark. Deployment `i` lives in
//! `dep-NNNN/`: a topology, `edge-external.pfx` (key, leaf and issuing CA), for one in three an
//! `av.pfx` of its own, the internal certificate as PEM (with its key in a second PEM file, or
//! for one in three both in one file), for two in three a reverse proxy certificate as DER, for
//! two in five a request for next year's external certificate. Every certificate is signed by
//! the fixture issuing CA (`ca/`, trusted as a public root by each topology) with RSA PKCS#1
//! v1.5, so the same inputs give the same bytes. A few deployments carry a defect (an expired or
//! expiring certificate, a name missing from the SAN) so that the report is not empty.

#[path = "../../tests/common/pkcs12_writer.rs"]
mod pkcs12_writer;

use std::fmt::Write as _;
use std::path::Path;

use pkcs12_writer::{int, oid, tlv};
use ring::signature::{KeyPair, RsaKeyPair, RSA_PKCS1_SHA256};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/certs");
const LEAF_KEYS: [&str; 5] = [
    "edge-external.key",
    "edge-internal.key",
    "other.key",
    "edge-external-csr.key",
    "self-signed.key",
];

pub fn run(size: &str, dir: &Path) -> std::process::ExitCode {
    let deployments = match size {
        "small" => 4,
        "medium" => 200,
        "large" => 2000,
        other => match other.parse::<usize>() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("bench: size is small, medium, large or a number of deployments");
                return std::process::ExitCode::from(2);
            }
        },
    };
    let g = Generator::new();
    write(&dir.join("ca/root.crt"), &read_fixture("ca/root.crt"));
    write(&dir.join("ca/issuing.crt"), &read_fixture("ca/issuing.crt"));
    for i in 0..deployments {
        g.deployment(i, &dir.join(format!("dep-{i:04}")));
    }
    std::process::ExitCode::SUCCESS
}

fn read_fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(FIXTURES).join(name)).expect("fixture")
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn pem_der(name: &str) -> Vec<u8> {
    let text = String::from_utf8(read_fixture(name)).unwrap();
    let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
    edgelint::load::certificate::decode_base64(body.as_bytes()).unwrap()
}

fn pem(label: &str, der: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut b64 = String::new();
    for chunk in der.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                b64.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
    }
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap());
        out.push('\n');
    }
    let _ = writeln!(out, "-----END {label}-----");
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn set(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x31, &parts.concat())
}

/// An OID from its dotted form.
fn oid_of(dotted: &str) -> Vec<u8> {
    let arcs: Vec<u64> = dotted.split('.').map(|a| a.parse().unwrap()).collect();
    let mut body = vec![(arcs[0] * 40 + arcs[1]) as u8];
    for &arc in &arcs[2..] {
        let mut bytes = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            bytes.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        body.extend(bytes.iter().rev());
    }
    oid(&body)
}

fn name(cn: &str, org: Option<&str>) -> Vec<u8> {
    let rdn = |o: &str, v: &str| set(&[seq(&[oid_of(o), tlv(0x0c, v.as_bytes())])]);
    let mut parts = Vec::new();
    if let Some(org) = org {
        parts.push(rdn("2.5.4.10", org));
    }
    parts.push(rdn("2.5.4.3", cn));
    seq(&parts)
}

fn extension(id: &str, critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid_of(id)];
    if critical {
        parts.push(tlv(0x01, &[0xff]));
    }
    parts.push(tlv(0x04, &value));
    seq(&parts)
}

/// What one leaf certificate or request says.
struct Leaf<'a> {
    serial: u64,
    cn: &'a str,
    sans: &'a [String],
    client_auth: bool,
    /// Validity as UTCTime text (YYMMDDHHMMSSZ).
    not_before: &'a str,
    not_after: &'a str,
    key: usize,
}

fn leaf_extensions(leaf: &Leaf<'_>) -> Vec<Vec<u8>> {
    let sans: Vec<Vec<u8>> = leaf.sans.iter().map(|s| tlv(0x82, s.as_bytes())).collect();
    let mut eku = vec![oid_of("1.3.6.1.5.5.7.3.1")];
    if leaf.client_auth {
        eku.push(oid_of("1.3.6.1.5.5.7.3.2"));
    }
    let crl = seq(&[seq(&[tlv(
        0xa0,
        &tlv(0xa0, &tlv(0x86, b"http://crl.contoso.com/issuing.crl")),
    )])]);
    vec![
        extension("2.5.29.19", false, seq(&[])),
        extension("2.5.29.15", false, tlv(0x03, &[0x05, 0xa0])),
        extension("2.5.29.37", false, seq(&eku)),
        extension("2.5.29.31", false, crl),
        extension("2.5.29.17", false, seq(&sans)),
    ]
}

pub struct Generator {
    issuer: RsaKeyPair,
    issuer_name: Vec<u8>,
    issuing_der: Vec<u8>,
    leaf_keys: Vec<(RsaKeyPair, Vec<u8>)>,
}

impl Generator {
    fn new() -> Generator {
        let key = |name: &str| {
            let der = pem_der(name);
            (
                RsaKeyPair::from_pkcs8(&der).expect("an RSA PKCS#8 key"),
                der,
            )
        };
        let issuing_der = pem_der("ca/issuing.crt");
        let issuer_name = {
            use x509_parser::prelude::{FromDer, X509Certificate};
            let (_, c) = X509Certificate::from_der(&issuing_der).unwrap();
            c.subject().as_raw().to_vec()
        };
        Generator {
            issuer: key("ca/issuing.key").0,
            issuer_name,
            issuing_der,
            leaf_keys: LEAF_KEYS.iter().map(|k| key(k)).collect(),
        }
    }

    fn sign(key: &RsaKeyPair, tbs: Vec<u8>) -> Vec<u8> {
        let mut sig = vec![0; key.public().modulus_len()];
        key.sign(
            &RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            &tbs,
            &mut sig,
        )
        .expect("signs");
        let alg = seq(&[oid_of("1.2.840.113549.1.1.11"), tlv(0x05, &[])]);
        seq(&[tbs, alg, tlv(0x03, &[&[0][..], &sig].concat())])
    }

    fn spki(&self, key: usize) -> Vec<u8> {
        let public = self.leaf_keys[key].0.public_key().as_ref();
        let alg = seq(&[oid_of("1.2.840.113549.1.1.1"), tlv(0x05, &[])]);
        seq(&[alg, tlv(0x03, &[&[0][..], public].concat())])
    }

    fn certificate(&self, leaf: &Leaf<'_>) -> Vec<u8> {
        let tbs = seq(&[
            tlv(0xa0, &int(2)),
            int(leaf.serial),
            seq(&[oid_of("1.2.840.113549.1.1.11"), tlv(0x05, &[])]),
            self.issuer_name.clone(),
            seq(&[
                tlv(0x17, leaf.not_before.as_bytes()),
                tlv(0x17, leaf.not_after.as_bytes()),
            ]),
            name(leaf.cn, None),
            self.spki(leaf.key),
            tlv(0xa3, &seq(&leaf_extensions(leaf))),
        ]);
        Self::sign(&self.issuer, tbs)
    }

    fn request(&self, leaf: &Leaf<'_>) -> Vec<u8> {
        let extensions = seq(&leaf_extensions(leaf));
        let attribute = seq(&[oid_of("1.2.840.113549.1.9.14"), set(&[extensions])]);
        let info = seq(&[
            int(0),
            name(leaf.cn, None),
            self.spki(leaf.key),
            tlv(0xa0, &attribute),
        ]);
        Self::sign(&self.leaf_keys[leaf.key].0, info)
    }

    fn pkcs12(&self, leaf_der: Vec<u8>, key: usize, seed: usize) -> Vec<u8> {
        let mut spec = pkcs12_writer::Spec::new(kdf);
        spec.key = Some(self.leaf_keys[key].1.clone());
        spec.certs = vec![leaf_der, self.issuing_der.clone()];
        spec.seed = seed as u8;
        pkcs12_writer::write(&spec)
    }

    fn deployment(&self, i: usize, dir: &Path) {
        let d = Deployment::new(i);
        let serial = |k: u64| (i as u64) << 8 | k;
        let key = |k: usize| (i + k) % LEAF_KEYS.len();
        let external = d.external_leaf(serial(1), key(0));
        let ext_der = self.certificate(&external);
        write(
            &dir.join("certs/edge-external.pfx"),
            &self.pkcs12(ext_der, key(0), i),
        );
        if d.own_av {
            let av = d.av_leaf(serial(2), key(1));
            let der = self.certificate(&av);
            write(&dir.join("certs/av.pfx"), &self.pkcs12(der, key(1), i + 1));
        }
        let internal = d.internal_leaf(serial(3), key(2));
        let mut text = pem("CERTIFICATE", &self.certificate(&internal));
        text.push_str(&pem("CERTIFICATE", &self.issuing_der));
        let key_pem = pem("PRIVATE KEY", &self.leaf_keys[key(2)].1);
        if d.internal_combined {
            text.push_str(&key_pem);
        } else {
            write(&dir.join("certs/edge-internal.key"), key_pem.as_bytes());
        }
        write(&dir.join(d.internal_file()), text.as_bytes());
        if d.reverse_proxy {
            let rp = d.proxy_leaf(serial(4), key(3));
            write(&dir.join("certs/reverse-proxy.der"), &self.certificate(&rp));
        }
        if d.request {
            let next = d.next_year_leaf(key(4));
            write(&dir.join("certs/next-external.csr"), &self.request(&next));
        }
        write(&dir.join("topology.yaml"), d.topology().as_bytes());
    }
}

fn kdf(password: &[u8], salt: &[u8], id: u8, iterations: u32, n: usize) -> Vec<u8> {
    use edgelint::load::pkcs12::pbe::{pkcs12_kdf, Hash, KeyId};
    let id = match id {
        1 => KeyId::Key,
        2 => KeyId::Iv,
        _ => KeyId::Mac,
    };
    pkcs12_kdf(Hash::Sha1, password, salt, id, iterations, n)
}

/// The names and choices of deployment `i`.
struct Deployment {
    i: usize,
    domain: String,
    other_domain: String,
    own_av: bool,
    internal_combined: bool,
    reverse_proxy: bool,
    request: bool,
    external_sans: Vec<String>,
    internal_sans: Vec<String>,
    proxy_sans: Vec<String>,
}

impl Deployment {
    fn new(i: usize) -> Deployment {
        let domain = format!("d{i:04}.contoso.com");
        let other_domain = format!("d{i:04}.fabrikam.com");
        let mut external_sans = vec![
            format!("sip.{domain}"),
            format!("webcon.{domain}"),
            format!("sip.{other_domain}"),
        ];
        // Defects: one deployment in 40 lacks the web conferencing name (N-rules).
        if i % 40 == 3 {
            external_sans.remove(1);
        }
        let proxy_sans = vec![
            format!("webext.{domain}"),
            format!("meet.{domain}"),
            format!("dialin.{domain}"),
            format!("lyncdiscover.{domain}"),
            format!("lyncdiscover.{other_domain}"),
            format!("meet.{other_domain}"),
        ];
        Deployment {
            i,
            internal_sans: vec![format!("edgepool.corp.{domain}")],
            domain,
            other_domain,
            own_av: i.is_multiple_of(3),
            internal_combined: i % 3 == 1,
            reverse_proxy: i % 3 != 2,
            request: i % 5 < 2,
            external_sans,
            proxy_sans,
        }
    }

    /// The external certificate's validity: one in 50 expired, one in 30 expiring soon.
    fn external_validity(&self) -> (&'static str, &'static str) {
        match self.i {
            i if i % 50 == 7 => ("250101000000Z", "260601000000Z"),
            i if i % 30 == 11 => ("251201000000Z", "261210000000Z"),
            _ => ("260101000000Z", "280101000000Z"),
        }
    }

    fn external_leaf(&self, serial: u64, key: usize) -> Leaf<'_> {
        let (not_before, not_after) = self.external_validity();
        Leaf {
            serial,
            cn: &self.external_sans[0],
            sans: &self.external_sans,
            client_auth: true,
            not_before,
            not_after,
            key,
        }
    }

    fn av_leaf(&self, serial: u64, key: usize) -> Leaf<'_> {
        Leaf {
            serial,
            cn: &self.external_sans[0],
            sans: &self.external_sans[..1],
            client_auth: false,
            not_before: "260101000000Z",
            not_after: "280101000000Z",
            key,
        }
    }

    fn internal_leaf(&self, serial: u64, key: usize) -> Leaf<'_> {
        Leaf {
            serial,
            cn: &self.internal_sans[0],
            sans: &self.internal_sans,
            client_auth: false,
            not_before: "251201000000Z",
            not_after: "271215000000Z",
            key,
        }
    }

    fn proxy_leaf(&self, serial: u64, key: usize) -> Leaf<'_> {
        Leaf {
            serial,
            cn: &self.proxy_sans[0],
            sans: &self.proxy_sans,
            client_auth: true,
            not_before: "260301000000Z",
            not_after: "280301000000Z",
            key,
        }
    }

    fn next_year_leaf(&self, key: usize) -> Leaf<'_> {
        Leaf {
            serial: 0,
            cn: &self.external_sans[0],
            sans: &self.external_sans,
            client_auth: true,
            not_before: "",
            not_after: "",
            key,
        }
    }

    fn internal_file(&self) -> &'static str {
        if self.internal_combined {
            "certs/edge-internal.pem"
        } else {
            "certs/edge-internal.crt"
        }
    }

    fn topology(&self) -> String {
        let (i, dom, other) = (self.i, &self.domain, &self.other_domain);
        let product = ["lync2013", "sfb2015"][i & 1];
        let mut t = format!(
            "# Generated by examples/bench (deployment {i}).\nversion: 1\n\
             deployment: dep-{i:04}\nproduct: {product}\nsip_domains: [{dom}, {other}]\n\
             edge_pools:\n  - name: edge-{i:04}\n    internal_fqdn: edgepool.corp.{dom}\n\
             \x20   load_balancing: dns\n    federation: true\n    external:\n\
             \x20     access_edge: sip.{dom}\n      web_conferencing_edge: webcon.{dom}\n\
             \x20     av_edge: av.{dom}\n    servers: [edge01.corp.{dom}, edge02.corp.{dom}]\n\
             \x20   certificates:\n"
        );
        let external_uses = if self.own_av {
            "[AccessEdgeExternal, DataEdgeExternal]"
        } else {
            "[AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication]"
        };
        let _ = write!(
            t,
            "      - file: certs/edge-external.pfx\n        password_env: EDGE_PFX_PASSWORD\n\
             \x20       uses: {external_uses}\n"
        );
        if self.own_av {
            t.push_str(
                "      - file: certs/av.pfx\n        password_env: EDGE_PFX_PASSWORD\n\
                 \x20       uses: [AudioVideoAuthentication]\n",
            );
        }
        let _ = writeln!(t, "      - file: {}", self.internal_file());
        if !self.internal_combined {
            t.push_str("        key: certs/edge-internal.key\n");
        }
        t.push_str("        uses: [Internal]\n");
        if self.request {
            t.push_str(
                "      - request: certs/next-external.csr\n\
                 \x20       uses: [AccessEdgeExternal, DataEdgeExternal]\n",
            );
        }
        if self.reverse_proxy {
            let _ = write!(
                t,
                "reverse_proxy:\n  external_web_services: [webext.{dom}]\n  simple_urls:\n\
                 \x20   meet: [meet.{dom}, meet.{other}]\n    dialin: dialin.{dom}\n\
                 \x20 lyncdiscover: true\n  certificate:\n    file: certs/reverse-proxy.der\n"
            );
        }
        t.push_str("trust:\n  public_roots: [../ca/root.crt]\n  ca_bundle: [../ca/issuing.crt]\n");
        t
    }
}
