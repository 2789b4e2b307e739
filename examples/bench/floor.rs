//! The floors: walk as edgelint walks, then read every byte (`read`) or also parse every file
//! with the parsers edgelint uses and check nothing (`parse`). Two threads, as edgelint uses on
//! this project's 2-core machines.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use edgelint::discover::{self, Candidate};
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::prelude::{FromDer, X509Certificate};

const THREADS: usize = 2;

/// Run `f` on every item on `THREADS` threads; the sum of what it returns.
fn par_sum<T: Sync>(items: &[T], f: impl Fn(&T) -> usize + Sync) -> usize {
    let next = AtomicUsize::new(0);
    let total = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..THREADS {
            s.spawn(|| {
                let mut sum = 0;
                while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                    sum += f(item);
                }
                total.fetch_add(sum, Ordering::Relaxed);
            });
        }
    });
    total.into_inner()
}

pub fn run(kind: &str, paths: &[&str]) -> std::process::ExitCode {
    let roots: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    let discovery = match discover::discover(&roots, &discover::DiscoverOptions::default()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("bench: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let password = std::env::var("EDGE_PFX_PASSWORD").unwrap_or_default();
    let candidates = &discovery.candidates;
    let units = if kind == "read" {
        par_sum(candidates, |c| read(c.path()).len())
    } else {
        par_sum(candidates, |c| parse(c, &password))
    };
    println!(
        "{} files, {units} {}",
        candidates.len(),
        if kind == "read" {
            "bytes"
        } else {
            "items parsed"
        }
    );
    std::process::ExitCode::SUCCESS
}

fn read(path: &Path) -> Vec<u8> {
    edgelint::read::read_limited(path, edgelint::load::MAX_CERT_BYTES).unwrap_or_default()
}

/// Parse one candidate; the number of items (YAML documents, certificates, keys) parsed.
fn parse(c: &Candidate, password: &str) -> usize {
    let bytes = read(c.path());
    match c {
        Candidate::Yaml { .. } => {
            let text = String::from_utf8_lossy(&bytes);
            usize::from(matches!(edgelint::load::yaml::parse(&text), Ok(Some(_))))
        }
        Candidate::Cert { path } => parse_certificate_file(path, &bytes, password),
    }
}

fn parse_certificate_file(path: &Path, bytes: &[u8], password: &str) -> usize {
    use edgelint::load::certificate::{binary_kind, BinaryKind};
    let kind = binary_kind(path);
    if kind == BinaryKind::Pkcs12 {
        let Ok(opened) = edgelint::load::pkcs12::open(bytes, password) else {
            return 0;
        };
        let certs = opened.certs.iter().filter(|d| certificate(d)).count();
        let keys = opened.keys.iter().filter(|k| key(&k.pkcs8)).count();
        return certs + keys;
    }
    if edgelint::load::certificate::looks_like_pem(bytes) {
        return pem_blocks(bytes)
            .iter()
            .filter(|(label, der)| match label.as_str() {
                "CERTIFICATE" => certificate(der),
                "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => request(der),
                "PRIVATE KEY" => key(der),
                _ => false,
            })
            .count();
    }
    usize::from(match kind {
        BinaryKind::Request => request(bytes),
        BinaryKind::Key => key(bytes),
        _ => certificate(bytes),
    })
}

fn certificate(der: &[u8]) -> bool {
    X509Certificate::from_der(der).is_ok()
}

fn request(der: &[u8]) -> bool {
    X509CertificationRequest::from_der(der).is_ok()
}

fn key(der: &[u8]) -> bool {
    edgelint::load::certificate::public_from_pkcs8(der).is_ok()
}

/// (label, DER) of every PEM block.
fn pem_blocks(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            open = Some((label.to_string(), String::new()));
        } else if line.starts_with("-----END ") {
            if let Some((label, body)) = open.take() {
                if let Some(der) = edgelint::load::certificate::decode_base64(body.as_bytes()) {
                    out.push((label, der));
                }
            }
        } else if let Some((_, body)) = open.as_mut() {
            body.push_str(line);
        }
    }
    out
}
