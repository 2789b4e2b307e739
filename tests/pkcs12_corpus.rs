//! PKCS#12 files made by other tools: every file OpenSSL opens, edgelint opens with the same
//! password and reads the same certificates. Opt-in (`bash tests/pkcs12_corpus/run.sh`, which
//! downloads pyca/cryptography's `cryptography-vectors` into target/ and runs this test with
//! EDGELINT_PKCS12_CORPUS set); the test fails loudly when the corpus is absent.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The passwords the corpus uses: none, pyca's and PKITS's.
const PASSWORDS: [(&str, &str); 3] = [
    ("", "EDGELINT_CORPUS_EMPTY"),
    ("cryptography", "EDGELINT_CORPUS_CRYPTOGRAPHY"),
    ("password", "EDGELINT_CORPUS_PASSWORD"),
];

fn openssl() -> String {
    std::env::var("OPENSSL").unwrap_or_else(|_| "openssl".into())
}

fn pkcs12_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            pkcs12_files(&p, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("p12") || x.eq_ignore_ascii_case("pfx"))
        {
            out.push(p);
        }
    }
}

/// A certificate as compared: subject and SHA-256 of the DER.
type Cert = (String, String);

/// x509-parser's subject text with OpenSSL's short names for the attribute types they name
/// differently (OpenSSL's `-nameopt sep_comma_plus_space,sname` form is otherwise the same).
fn openssl_labels(subject: &str) -> String {
    const NAMES: [(&str, &str); 4] = [
        ("Email=", "emailAddress="),
        ("givenName=", "GN="),
        ("surname=", "SN="),
        ("OID(2.5.4.65)=", "pseudonym="),
    ];
    let mut out = String::new();
    for (i, part) in subject.split(", ").enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match NAMES.iter().find(|(from, _)| part.starts_with(from)) {
            Some((from, to)) => {
                out.push_str(to);
                out.push_str(&part[from.len()..]);
            }
            None => out.push_str(part),
        }
    }
    out
}

fn pem_certs(pem: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in pem.lines() {
        if line == "-----BEGIN CERTIFICATE-----" {
            cur = Some(format!("{line}\n"));
        } else if let Some(c) = cur.as_mut() {
            c.push_str(line);
            c.push('\n');
            if line == "-----END CERTIFICATE-----" {
                out.push(cur.take().unwrap());
            }
        }
    }
    out
}

/// What OpenSSL reads: the password that opens the file, whether `-legacy` was needed, and the
/// certificates.
fn openssl_open(path: &Path) -> Option<(&'static str, bool, Vec<Cert>)> {
    for (password, _) in PASSWORDS {
        for legacy in [false, true] {
            let mut cmd = Command::new(openssl());
            cmd.args(["pkcs12", "-nokeys", "-passin"])
                .arg(format!("pass:{password}"))
                .arg("-in")
                .arg(path);
            if legacy {
                cmd.arg("-legacy");
            }
            let out = cmd.output().expect("openssl runs");
            if !out.status.success() {
                continue;
            }
            let certs = pem_certs(&String::from_utf8_lossy(&out.stdout))
                .into_iter()
                .map(|pem| {
                    let mut child = Command::new(openssl())
                        .args([
                            "x509",
                            "-noout",
                            "-subject",
                            "-nameopt",
                            "sep_comma_plus_space,sname,utf8",
                            "-fingerprint",
                            "-sha256",
                        ])
                        .stdin(Stdio::piped())
                        .stdout(Stdio::piped())
                        .spawn()
                        .expect("openssl runs");
                    use std::io::Write;
                    child
                        .stdin
                        .take()
                        .unwrap()
                        .write_all(pem.as_bytes())
                        .unwrap();
                    let out = child.wait_with_output().unwrap();
                    let text = String::from_utf8_lossy(&out.stdout).to_string();
                    let subject = text
                        .lines()
                        .find_map(|l| l.strip_prefix("subject="))
                        .unwrap_or("")
                        .to_string();
                    let sha = text
                        .lines()
                        .find_map(|l| l.split_once("Fingerprint=").map(|(_, f)| f))
                        .unwrap_or("")
                        .replace(':', "")
                        .to_ascii_lowercase();
                    (subject, sha)
                })
                .collect();
            return Some((password, legacy, certs));
        }
    }
    None
}

#[test]
#[ignore = "needs the downloaded corpus: bash tests/pkcs12_corpus/run.sh"]
fn every_pkcs12_file_openssl_opens_edgelint_opens_alike() {
    let dir = std::env::var_os("EDGELINT_PKCS12_CORPUS")
        .map(PathBuf::from)
        .expect("EDGELINT_PKCS12_CORPUS is not set: run bash tests/pkcs12_corpus/run.sh");
    assert!(
        dir.is_dir(),
        "the PKCS#12 corpus is missing: {} is not a folder (run bash tests/pkcs12_corpus/run.sh)",
        dir.display()
    );
    let mut files = Vec::new();
    pkcs12_files(&dir, &mut files);
    assert!(
        files.len() > 400,
        "only {} PKCS#12 files in {}",
        files.len(),
        dir.display()
    );

    let mut by_openssl = Vec::new();
    let mut skipped: BTreeMap<String, String> = BTreeMap::new();
    let mut legacy = 0;
    let mut failures = Vec::new();
    let mut opened = 0;
    let mut certificates = 0;
    for path in &files {
        let name = path.strip_prefix(&dir).unwrap().display().to_string();
        let Some((password, needs_legacy, want)) = openssl_open(path) else {
            skipped.insert(name, "OpenSSL opens it with none of the passwords".into());
            continue;
        };
        legacy += usize::from(needs_legacy);
        by_openssl.push((path.clone(), password, want.len()));
        let bytes = std::fs::read(path).unwrap();
        match edgelint::load::password::unlock_pkcs12(&bytes, password) {
            Ok(u) => {
                opened += 1;
                let got: Vec<Cert> = u
                    .certs
                    .iter()
                    .map(|c| (openssl_labels(&c.subject), c.sha256()))
                    .collect();
                let (mut g, mut w) = (got.clone(), want.clone());
                g.sort();
                w.sort();
                if g != w {
                    failures.push(format!(
                        "{name}: certificates differ\n  OpenSSL: {want:?}\n  edgelint: {got:?}"
                    ));
                } else {
                    certificates += got.len();
                }
                if !u.problems.is_empty() {
                    failures.push(format!("{name}: {:?}", u.problems));
                }
            }
            Err(e) => failures.push(format!(
                "{name}: OpenSSL opens it with password {password:?}, edgelint does not: {e:?}"
            )),
        }
    }

    // End to end: a topology names every file, each on a server of its own (one Internal
    // certificate per server), with the variable holding its password. No file may be T004, and
    // T003 only says "holds no certificate" of the files in which OpenSSL finds none either.
    let work = std::env::temp_dir().join(format!("edgelint-p12-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let mut yaml = String::from(
        "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: corpus\n    internal_fqdn: edgepool.corp.contoso.com\n    external:\n      access_edge: sip.contoso.com\n      web_conferencing_edge: webcon.contoso.com\n      av_edge: av.contoso.com\n    servers:\n",
    );
    for (i, (path, password, _)) in by_openssl.iter().enumerate() {
        let env = PASSWORDS.iter().find(|(p, _)| p == password).unwrap().1;
        yaml.push_str(&format!(
            "      - fqdn: edge{i}.corp.contoso.com\n        certificates:\n          - file: {:?}\n            password_env: {env}\n            uses: [Internal]\n",
            path.display().to_string()
        ));
    }
    // A control: the first file again, with a wrong password, must be T004 (the run is live).
    let control = by_openssl[0].0.display().to_string();
    yaml.push_str(&format!(
        "      - fqdn: control.corp.contoso.com\n        certificates:\n          - file: {control:?}\n            password_env: EDGE_WRONG_PASSWORD\n            uses: [Internal]\n"
    ));
    std::fs::write(work.join("topology.yaml"), yaml).unwrap();
    let mut cmd = common::edgelint();
    for (password, env) in PASSWORDS {
        cmd.env(env, password);
    }
    let out = cmd
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "T001,T003,T004",
            "--now",
            common::NOW,
        ])
        .arg(work.join("topology.yaml"))
        .output()
        .unwrap();
    std::fs::remove_dir_all(&work).ok();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let without_certificates: Vec<String> = by_openssl
        .iter()
        .filter(|(_, _, n)| *n == 0)
        .map(|(p, _, _)| format!("`file` names {}, which holds no certificate", p.display()))
        .collect();
    let mut no_certificate = 0;
    let findings: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .filter(|f| {
            let expected = f
                .strip_prefix("T003 ")
                .is_some_and(|m| without_certificates.iter().any(|w| w == m));
            no_certificate += usize::from(expected);
            !expected
        })
        .collect();
    assert_eq!(no_certificate, without_certificates.len());
    let control =
        format!("T004 the password in EDGE_WRONG_PASSWORD does not open PKCS#12 file {control}");
    let mut findings = findings;
    let live = findings.iter().position(|f| *f == control);
    assert!(
        live.is_some(),
        "the control finding is missing: {findings:#?}"
    );
    findings.remove(live.unwrap());

    println!(
        "pkcs12 corpus: {} files, {} opened by OpenSSL ({} of them with -legacy), {} opened by edgelint with the same password, {} certificates identical (subject and SHA-256), {} skipped; end to end: {} T001/T003/T004 findings ({} files without certificates are T003 \"holds no certificate\", as expected)",
        files.len(),
        by_openssl.len(),
        legacy,
        opened,
        certificates,
        skipped.len(),
        findings.len(),
        no_certificate
    );
    for (name, why) in &skipped {
        println!("  skipped {name}: {why}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(findings.is_empty(), "{findings:#?}");
}
