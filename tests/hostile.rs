//! Bad input is a finding with a location, and the run goes on: never a panic, never a hang,
//! never a password or key bytes in the output.

mod common;
use common::{findings, run};

#[test]
fn hostile_yaml_ends_in_located_t001() {
    let (code, got) = findings(&["fixtures/hostile-yaml"]);
    assert_eq!(
        got,
        [
            "T001 error fixtures/hostile-yaml/alias-bomb.yaml:8:10 YAML aliases expand to more than 100000 nodes (an alias bomb?)",
            "T001 error fixtures/hostile-yaml/deep-nesting.yaml:3:129 YAML nested deeper than 64 levels",
            "T001 error fixtures/hostile-yaml/empty-document.yaml:1:1 the topology file lacks the required key `sip_domains`",
            "T001 error fixtures/hostile-yaml/empty-document.yaml:1:1 the topology file lacks the required key `version`",
            "T001 error fixtures/hostile-yaml/empty-document.yaml:1:11 `edge_pools` expects a list of Edge pools, found null",
            "T001 error fixtures/hostile-yaml/huge-duration.yaml:6:21 `token_lifetime` `100000000000000d` is outside MaxTokenLifetime's range, 1m to 180d",
            "T001 error fixtures/hostile-yaml/not-utf8.yaml:3:16 not UTF-8 text (invalid byte at offset 38)",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn hostile_certificate_files_are_t003_each() {
    let (code, got) = findings(&["fixtures/hostile"]);
    assert_eq!(
        got,
        [
            "T003 error fixtures/hostile/bad-base64.pem:1:1 PEM block `CERTIFICATE` is not valid base64",
            "T003 error fixtures/hostile/empty.pfx:1:1 empty PKCS#12 file",
            "T003 error fixtures/hostile/garbage-between.pem:26:1 PEM block `CERTIFICATE` is not valid base64",
            "T003 error fixtures/hostile/pkcs12-deep-nesting.pfx:1:1 not a PKCS#12 file: ASN.1 nested deeper than 32 levels",
            "T003 error fixtures/hostile/pkcs12-mac-iterations.pfx:1:1 PKCS#12 file cannot be read: the MAC's iteration count is 2,000,000, more than the 1,000,000 that edgelint computes",
            "T003 error fixtures/hostile/pkcs12-mac-zero-iterations.pfx:1:1 not a PKCS#12 file: the MAC's iteration count is 0",
            "T003 error fixtures/hostile/pkcs12-pbe-iterations.pfx:1:1 PKCS#12 file cannot be read: the encrypted data's PBKDF2 iteration count is 1,500,000, more than the 1,000,000 that edgelint computes",
            "T003 error fixtures/hostile/random-labelled.pem:1:1 certificate does not parse: invalid ASN.1 length",
            "T003 error fixtures/hostile/random.pem:1:1 not a DER certificate: not an X.509 structure (unexpected ASN.1 tag)",
            "T003 error fixtures/hostile/truncated.cer:1:1 not a DER certificate: the data is truncated",
            "T003 error fixtures/hostile/truncated.pfx:1:1 not a PKCS#12 file: the data is truncated",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn valid_blocks_around_garbage_are_still_checked() {
    // In mid-2028 the leaf (block at line 1) has expired; the broken block at line 26 is T003,
    // and the issuing CA after it is still read (it is valid until 2035).
    let (_, got) = findings(&[
        "fixtures/hostile/garbage-between.pem",
        "--now",
        "2028-06-01T00:00:00Z",
    ]);
    assert_eq!(
        got,
        [
            "V001 error fixtures/hostile/garbage-between.pem:1:1 certificate fixtures/hostile/garbage-between.pem (CN sip.contoso.com) expired on 2027-12-31 23:59:59 UTC",
            "T003 error fixtures/hostile/garbage-between.pem:26:1 PEM block `CERTIFICATE` is not valid base64",
        ]
    );
    let (_, got) = findings(&[
        "fixtures/hostile/garbage-between.pem",
        "--now",
        "2035-06-01T00:00:00Z",
        "--select",
        "V001",
    ]);
    assert_eq!(got.len(), 2, "leaf and CA after the garbage: {got:#?}");
}

#[test]
fn pem_with_text_dump_and_crlf_is_read() {
    let (code, got) = findings(&[
        "fixtures/hostile/../certs/edge-external-bundle-crlf.pem",
        "fixtures/hostile/text-before.pem",
    ]);
    assert_eq!((code, got), (0, vec![]));
    let (_, got) = findings(&[
        "fixtures/hostile/text-before.pem",
        "--now",
        "2030-01-01T00:00:00Z",
    ]);
    assert_eq!(
        got,
        ["V001 error fixtures/hostile/text-before.pem:68:1 certificate fixtures/hostile/text-before.pem (CN sip.contoso.com) expired on 2027-12-31 23:59:59 UTC"]
    );
}

#[test]
fn unreferenced_pkcs12_is_skipped_without_a_password_and_checked_with_one() {
    let doc = common::json(&["fixtures/certs/expired.pfx"]);
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(doc["summary"]["skipped"], 1);
    let out = common::edgelint()
        .env("EDGELINT_PFX_PASSWORD", "Secret123")
        .args([
            "check",
            "fixtures/certs/expired.pfx",
            "--format",
            "concise",
            "--now",
            common::NOW,
        ])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fixtures/certs/expired.pfx:1:1: error: certificate fixtures/certs/expired.pfx (CN sip.contoso.com) expired on 2025-01-01 00:00:00 UTC [V001]\n"
    );
}

#[test]
fn referenced_only_skips_files_no_topology_names() {
    let (_, got) = findings(&["fixtures/hostile", "fixtures/clean", "--referenced-only"]);
    assert!(got.is_empty(), "{got:#?}");
}

#[test]
fn huge_files_are_reported_not_read() {
    let dir = std::env::temp_dir().join(format!("edgelint-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut yaml = String::from("version: 1\nedge_pools:\n");
    yaml.push_str(&"# padding\n".repeat(500_000));
    std::fs::write(dir.join("topology.yaml"), yaml).unwrap();
    std::fs::write(dir.join("big.pem"), vec![b'A'; 17 * 1024 * 1024]).unwrap();
    let out = run(&["check", dir.to_str().unwrap(), "--format", "concise"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(text.contains("big.pem:1:1: error: the file is 17825792 bytes, larger than the 16777216-byte limit [T003]"), "{text}");
    assert!(text.contains("topology.yaml:1:1: error: cannot be read: the file is 5000023 bytes, larger than the 4194304-byte limit [T001]"), "{text}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn key_material_is_never_printed() {
    // An unencrypted key file sits in the walk; no format shows its content.
    let key =
        std::fs::read_to_string(common::root().join("fixtures/certs/edge-external.key")).unwrap();
    let body_line = key.lines().nth(1).unwrap();
    for format in ["human", "concise", "json"] {
        let out = run(&[
            "check",
            "fixtures/certs",
            "fixtures/k002",
            "--format",
            format,
            "--now",
            common::NOW,
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(body_line), "{format} printed key material");
    }
}

#[test]
fn a_missing_command_line_path_is_exit_2() {
    let out = run(&["check", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no/such/folder"));
    let out = run(&["check", ".", "--now", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A fresh temporary folder for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run with a time limit: a hang fails the test instead of blocking it. (Output is read
/// while the process runs, so a large output never blocks it on a full pipe.)
fn run_limited(args: &[&std::ffi::OsStr], seconds: u64) -> std::process::Output {
    // `--as=...` first: the run goes through prlimit with that address-space limit.
    let mut command = match args.first().and_then(|a| a.to_str()) {
        Some(a) if a.starts_with("--as=") => {
            let mut c = std::process::Command::new("prlimit");
            c.current_dir(common::root())
                .env("NO_COLOR", "1")
                .env("EDGELINT_NO_CACHE", "1")
                .env_remove("EDGELINT_PFX_PASSWORD");
            c
        }
        _ => common::edgelint(),
    };
    let child = command
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    match receive.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("edgelint {args:?} ran longer than {seconds} s");
        }
    }
}

fn concise(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all: Vec<&std::ffi::OsStr> = ["check", "--format", "concise", "--now", common::NOW]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    all.extend(args.iter().map(std::ffi::OsStr::new));
    let out = run_limited(&all, 20);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn kernel_files_devices_and_fifos_are_located_findings_not_hangs() {
    // /proc files report size 0 and yield gigabytes: the read stops at the limit.
    let (code, out, _) = concise(&["/proc/self/pagemap"]);
    assert_eq!(
        out,
        "/proc/self/pagemap:1:1: error: the file is larger than the 16777216-byte limit [T003]\n"
    );
    assert_eq!(code, Some(1));
    let (_, out, _) = concise(&["/dev/zero"]);
    assert_eq!(
        out,
        "/dev/zero:1:1: error: /dev/zero cannot be read: not a regular file (a device) [T002]\n"
    );
    // A FIFO named on the command line, found by the walk, or named by a topology: never
    // opened for a writer that never comes.
    let dir = scratch("fifo");
    for name in ["named.pem", "walked.pem", "referenced.pem"] {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
    std::fs::write(
        dir.join("topology.yaml"),
        "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: p\n    internal_fqdn: p.corp.contoso.com\n    external: {access_edge: a.contoso.com, web_conferencing_edge: b.contoso.com, av_edge: c.contoso.com}\n    servers: [e.corp.contoso.com]\n    certificates:\n      - file: referenced.pem\n        uses: [Internal]\n",
    )
    .unwrap();
    let named = dir.join("named.pem");
    let (_, out, _) = concise(&[named.to_str().unwrap(), "--select", "T002"]);
    assert_eq!(
        out,
        format!(
            "{n}:1:1: error: {n} cannot be read: not a regular file (a FIFO) [T002]\n",
            n = common::shown(&named)
        )
    );
    let (_, out, _) = concise(&[dir.to_str().unwrap(), "--select", "T002"]);
    let d = common::shown(&dir);
    assert_eq!(
        out,
        format!(
            "{d}/named.pem:1:1: error: {d}/named.pem cannot be read: not a regular file (a FIFO) [T002]\n\
             {d}/referenced.pem:1:1: error: {d}/referenced.pem cannot be read: not a regular file (a FIFO) [T002]\n\
             {d}/topology.yaml:9:15: error: `file` file referenced.pem cannot be read: not a regular file (a FIFO) [T002]\n\
             {d}/walked.pem:1:1: error: {d}/walked.pem cannot be read: not a regular file (a FIFO) [T002]\n"
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_inside_the_folder_only() {
    let dir = scratch("links");
    let repo = dir.join("repo");
    std::fs::create_dir_all(repo.join("certs")).unwrap();
    let cert = common::root().join("fixtures/certs/self-signed.crt");
    std::fs::copy(&cert, repo.join("certs/real.crt")).unwrap();
    std::os::unix::fs::symlink("real.crt", repo.join("certs/alias.crt")).unwrap();
    std::fs::copy(&cert, dir.join("outside.crt")).unwrap();
    std::os::unix::fs::symlink(dir.join("outside.crt"), repo.join("outside.crt")).unwrap();
    std::os::unix::fs::symlink("..", repo.join("certs/loop")).unwrap();
    let (_, out, _) = concise(&[repo.to_str().unwrap(), "--select", "T002,V001"]);
    let r = common::shown(&repo);
    let ra = repo.display();
    // The link inside is read once (as the file it names), the one leaving the folder is said
    // and not followed, the loop back to the root is said.
    assert_eq!(
        out,
        format!(
            "{r}/certs/loop:1:1: error: {r}/certs/loop symbolic link loop (back to {ra}): not followed [T002]\n\
             {r}/outside.crt:1:1: warning: {r}/outside.crt symbolic link to {}, outside the checked folder: not followed [T002]\n",
            dir.join("outside.crt").display()
        )
    );
    // Expired in 2100: once, though two names lead to it; the certificate outside is not read.
    let (_, out, _) = concise(&[
        repo.to_str().unwrap(),
        "--select",
        "V001",
        "--now",
        "2100-01-01T00:00:00Z",
    ]);
    assert_eq!(out.matches("[V001]").count(), 1, "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_folders_and_files_are_t002_not_silence() {
    // Permission bits do not stop root: run as `nobody` when the tests run as root.
    let dir = scratch("perm");
    std::fs::create_dir_all(dir.join("locked")).unwrap();
    std::fs::copy(
        common::root().join("fixtures/certs/self-signed.crt"),
        dir.join("locked/a.crt"),
    )
    .unwrap();
    std::fs::copy(
        common::root().join("fixtures/certs/self-signed.crt"),
        dir.join("secret.crt"),
    )
    .unwrap();
    std::fs::write(dir.join("topology.yaml"), "edge_pools: []\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    for p in [
        &dir.join("locked"),
        &dir.join("secret.crt"),
        &dir.join("topology.yaml"),
    ] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = if unsafe_is_root() {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        c.arg(env!("CARGO_BIN_EXE_edgelint"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_edgelint"))
    };
    let out = command
        .args(["check", "--format", "concise", "--select", "T002"])
        .arg(&dir)
        .env_remove("EDGELINT_PFX_PASSWORD")
        .env("EDGELINT_NO_CACHE", "1")
        .output()
        .unwrap();
    for p in [
        &dir.join("locked"),
        &dir.join("secret.crt"),
        &dir.join("topology.yaml"),
    ] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    std::fs::remove_dir_all(&dir).unwrap();
    let d = common::shown(&dir);
    assert_eq!(
        text,
        format!(
            "{d}/locked:1:1: error: {d}/locked cannot be read: permission denied [T002]\n\
             {d}/secret.crt:1:1: error: {d}/secret.crt cannot be read: permission denied [T002]\n\
             {d}/topology.yaml:1:1: error: {d}/topology.yaml cannot be read: permission denied [T002]\n"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1));
}

/// Is this process root (permission bits do not apply)?
fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

#[test]
fn a_run_that_reads_nothing_says_so_and_can_fail() {
    let dir = scratch("empty");
    std::fs::write(dir.join(".gitignore"), "*\n").unwrap();
    std::fs::copy(
        common::root().join("fixtures/certs/self-signed.crt"),
        dir.join("a.crt"),
    )
    .unwrap();
    let (code, out, err) = concise(&[dir.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (Some(0), ""));
    assert!(
        err.contains("no topology or certificate file was read from")
            && err.contains("of 1 YAML or certificate-like files, 1 are hidden or ignored by .gitignore/.ignore files"),
        "{err}"
    );
    let (code, _, err) = concise(&[dir.to_str().unwrap(), "--require-files"]);
    assert_eq!(code, Some(2), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_finding_on_a_very_long_line_prints_in_every_format() {
    let dir = scratch("longline");
    let long = "x".repeat(66_000);
    std::fs::write(
        dir.join("topology.yaml"),
        format!("version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - {{name: p, {long}: 1, internal_fqdn: a.b}}\n"),
    )
    .unwrap();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = run_limited(
            &[
                std::ffi::OsStr::new("check"),
                dir.as_os_str(),
                std::ffi::OsStr::new("--format"),
                std::ffi::OsStr::new(format),
            ],
            10,
        );
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The SARIF log carries every rule's help (about 600 kB); nothing grows with the line.
        assert!(
            out.stdout.len() < 1_000_000,
            "{format}: {} bytes",
            out.stdout.len()
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_topology_password_never_reaches_any_format() {
    const SECRET: &str = "hunter2-xyzzy";
    let head = "version: 1\nsip_domains: [contoso.com]\n";
    let pool = "edge_pools:\n  - name: p\n    internal_fqdn: p.corp.contoso.com\n    external: {access_edge: a.contoso.com, web_conferencing_edge: b.contoso.com, av_edge: c.contoso.com}\n    servers: [e.corp.contoso.com]\n";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("syntax", format!("{head}password: {SECRET}\n{pool}  - [unclosed\n").into_bytes()),
        ("not-utf8", {
            let mut b = format!("{head}password: {SECRET}\n{pool}").into_bytes();
            b.extend_from_slice(b"# \xff\n");
            b
        }),
        ("nul", format!("{head}password: {SECRET}\n{pool}x: \u{0}\n").into_bytes()),
        ("nesting", format!("{head}password: {SECRET}\n{pool}deep: {}x\n", "[".repeat(100)).into_bytes()),
        ("second-document", format!("{head}password: {SECRET}\n{pool}---\nb: 1\n").into_bytes()),
        ("under-unknown-key", format!("{head}notes: {{password: {SECRET}}}\n{pool}").into_bytes()),
        ("duplicate", format!("{head}password: {SECRET}\npassword: {SECRET}\n{pool}").into_bytes()),
        ("case", format!("{head}Password: {SECRET}\nPASSWORD: \"{SECRET}\"\n{pool}").into_bytes()),
        ("alias", format!("{head}password: &pw {SECRET}\n{pool}    certificates: [{{file: *pw, uses: [Internal]}}]\n").into_bytes()),
        ("flow-lines", format!("{head}extra: {{\n  pass:\n    {SECRET}\n}}\n{pool}").into_bytes()),
        // A flow mapping continued on the next line: the line scan alone masked its `}` too.
        ("flow-continued", format!("{head}extra: {{a: 1,\n  password: {SECRET}}}\n{pool}").into_bytes()),
        ("block", format!("{head}secret: |\n  {SECRET}\n{pool}").into_bytes()),
    ];
    let dir = scratch("secrets");
    for (name, bytes) in &cases {
        let sub = dir.join(name);
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("topology.yaml"), bytes).unwrap();
        for format in ["human", "concise", "json", "sarif", "github"] {
            let out = run_limited(
                &[
                    std::ffi::OsStr::new("check"),
                    sub.as_os_str(),
                    std::ffi::OsStr::new("--format"),
                    std::ffi::OsStr::new(format),
                    std::ffi::OsStr::new("--color"),
                    std::ffi::OsStr::new("always"),
                ],
                10,
            );
            let all = [out.stdout, out.stderr].concat();
            let text = String::from_utf8_lossy(&all);
            assert!(!text.contains("hunter2"), "{name} / {format}:\n{text}");
            assert!(!text.contains("panicked"), "{name} / {format}:\n{text}");
        }
        // Where the file parses, each secret key is a T005 finding.
        let (_, got) = findings(&[sub.to_str().unwrap(), "--select", "T005"]);
        let expected = match *name {
            "duplicate" | "case" => 2,
            _ => 1,
        };
        assert_eq!(got.len(), expected, "{name}: {got:#?}");
        // Masking never breaks a file that parses.
        if *name == "flow-continued" {
            let (_, t001) = findings(&[sub.to_str().unwrap(), "--select", "T001"]);
            assert!(
                t001.iter().all(|f| !f.contains("syntax")),
                "{name}: {t001:#?}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// DER: tag, length, content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// A certificate (unsigned: the signature is junk, which no rule here needs) for
/// `sip.contoso.com` with the given DNS names in its SAN.
fn certificate_with_sans(names: impl Iterator<Item = String>) -> Vec<u8> {
    let seq = |parts: &[Vec<u8>]| der(0x30, &parts.concat());
    let oid = |bytes: &[u8]| der(0x06, bytes);
    let sha256_rsa = seq(&[oid(&[42, 134, 72, 134, 247, 13, 1, 1, 11]), vec![5, 0]]);
    let name = seq(&[der(
        0x31,
        &seq(&[oid(&[85, 4, 3]), der(0x0c, b"sip.contoso.com")]),
    )]);
    let validity = seq(&[der(0x17, b"260101000000Z"), der(0x17, b"271231235959Z")]);
    let mut modulus = vec![0u8, 0xc0];
    modulus.extend(std::iter::repeat_n(0x5a, 255));
    let rsa_key = seq(&[der(0x02, &modulus), der(0x02, &[1, 0, 1])]);
    let spki = seq(&[
        seq(&[oid(&[42, 134, 72, 134, 247, 13, 1, 1, 1]), vec![5, 0]]),
        der(0x03, &[&[0u8][..], &rsa_key].concat()),
    ]);
    let general_names: Vec<u8> = names.flat_map(|n| der(0x82, n.as_bytes())).collect();
    let san = seq(&[oid(&[85, 29, 17]), der(0x04, &der(0x30, &general_names))]);
    let tbs = seq(&[
        der(0xa0, &der(0x02, &[2])),
        der(0x02, &[1]),
        sha256_rsa.clone(),
        name.clone(),
        validity,
        name,
        spki,
        der(0xa3, &seq(&[san])),
    ]);
    seq(&[tbs, sha256_rsa, der(0x03, &[0, 1, 2, 3])])
}

/// Every format within a time limit (a hang fails the test) and an address-space limit (a
/// blow-up aborts the process: a failed test, not a stuck machine), with bounded output.
fn every_format_is_bounded(name: &str, dir: &std::path::Path) {
    for format in ["human", "concise", "json", "sarif", "github"] {
        let out = run_limited(
            &[
                std::ffi::OsStr::new("--as=1500000000"),
                std::ffi::OsStr::new(env!("CARGO_BIN_EXE_edgelint")),
                std::ffi::OsStr::new("check"),
                dir.as_os_str(),
                std::ffi::OsStr::new("--format"),
                std::ffi::OsStr::new(format),
                std::ffi::OsStr::new("--now"),
                std::ffi::OsStr::new(common::NOW),
            ],
            60,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name} / {format}: {:?} {stderr}",
            out.status
        );
        assert!(
            out.stdout.len() < 2_000_000,
            "{name} / {format}: {} bytes of output",
            out.stdout.len()
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn inputs_built_to_be_slow_or_large_stay_bounded() {
    let dir = scratch("blowup");
    let topology = "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: p\n    internal_fqdn: p.corp.contoso.com\n    external: {access_edge: sip.contoso.com, web_conferencing_edge: sip.contoso.com, av_edge: sip.contoso.com}\n    servers: [e.corp.contoso.com]\n    certificates:\n      - file: big.crt\n        uses: [AccessEdgeExternal, DataEdgeExternal]\n";
    // (name of the case, its files: (file name, content))
    type Files = Vec<(&'static str, Vec<u8>)>;
    let cases: Vec<(&str, Files)> = vec![
        (
            "100000 SANs",
            vec![
                ("topology.yaml", topology.as_bytes().to_vec()),
                (
                    "big.crt",
                    certificate_with_sans((0..100_000).map(|i| format!("host{i}.contoso.com"))),
                ),
            ],
        ),
        (
            "500000 BEGIN lines",
            vec![(
                "broken.pem",
                "-----BEGIN CERTIFICATE-----\n".repeat(500_000).into_bytes(),
            )],
        ),
        (
            "50000 duplicate keys",
            vec![(
                "topology.yaml",
                format!("{topology}{}", "version: 1\n".repeat(50_000)).into_bytes(),
            )],
        ),
        (
            "20000 duplicate keys",
            vec![(
                "topology.yaml",
                format!("{topology}{}", "version: 1\n".repeat(20_000)).into_bytes(),
            )],
        ),
        (
            "4 MiB of duplicate keys",
            vec![(
                "topology.yaml",
                format!("{topology}{}", "version: 1\n".repeat(370_000)).into_bytes(),
            )],
        ),
        (
            "200000 items on one line",
            vec![(
                "topology.yaml",
                format!(
                    "{topology}x: [{}]\n",
                    (0..200_000)
                        .map(|i| format!("d{i}.contoso.com"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into_bytes(),
            )],
        ),
        (
            "2000 unknown keys on one line",
            vec![(
                "topology.yaml",
                format!(
                    "{topology}extra: {{{}}}\n",
                    (0..2000)
                        .map(|i| format!("k{i}: 1"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .replace("extra: {", "{")
                .replace("\n{", "\nx: {")
                .into_bytes(),
            )],
        ),
    ];
    for (name, files) in cases {
        let sub = dir.join(name.replace(' ', "-"));
        std::fs::create_dir_all(&sub).unwrap();
        for (file, bytes) in files {
            std::fs::write(sub.join(file), bytes).unwrap();
        }
        every_format_is_bounded(name, &sub);
    }
    // More nodes than a topology ever has: one located error.
    let (_, got) = findings(&[dir.join("50000-duplicate-keys").to_str().unwrap()]);
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(
        got[0].contains("the YAML holds more than 100000 nodes"),
        "{got:#?}"
    );
    // At most 50 findings of one rule per file, then one that counts the rest.
    let (_, got) = findings(&[dir.join("20000-duplicate-keys").to_str().unwrap()]);
    assert_eq!(got.len(), 51, "{got:#?}");
    assert!(
        got[50].contains("19950 more T001 findings in this file not shown"),
        "{}",
        got[50]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_repository_configuration_cannot_make_edgelint_print_local_files() {
    let dir = scratch("config");
    std::fs::write(
        dir.join("secret.txt"),
        "root:SECRET-HASH:19000:0:99999:7:::\n",
    )
    .unwrap();
    let inside = dir.join("repo");
    std::fs::create_dir_all(&inside).unwrap();
    let cases = [
        format!("rule_packs = [{:?}]\n", dir.join("secret.txt")),
        "rule_packs = [\"../secret.txt\"]\n".to_string(),
        "ca_bundles = [\"../secret.txt\"]\n".to_string(),
        "public_roots = [\"../secret.txt\"]\n".to_string(),
    ];
    for config in cases {
        std::fs::write(inside.join(".edgelint.toml"), &config).unwrap();
        let out = common::edgelint()
            .current_dir(&inside)
            .args(["check", "."])
            .output()
            .unwrap();
        let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
        assert_eq!(out.status.code(), Some(2), "{config}: {all}");
        assert!(
            all.contains("is outside the configuration's folder"),
            "{all}"
        );
        assert!(!all.contains("SECRET-HASH"), "{all}");
    }
    // Named on the command line, a configuration may name any file; one that is not a rule
    // pack is said to be none, without quoting it.
    std::fs::write(
        dir.join("explicit.toml"),
        format!("rule_packs = [{:?}]\n", dir.join("secret.txt")),
    )
    .unwrap();
    let out = common::run(&[
        "check",
        "fixtures/clean",
        "--config",
        dir.join("explicit.toml").to_str().unwrap(),
    ]);
    let all = String::from_utf8_lossy(&[out.stdout, out.stderr].concat()).into_owned();
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("not a rule pack"), "{all}");
    assert!(!all.contains("SECRET-HASH"), "{all}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn control_characters_in_names_and_lines_reach_no_output_raw() {
    let dir = scratch("controls");
    let name = "evil\u{1b}[31m\r\nfake.yaml:1:1: error: forged [T001]\u{7}.pem";
    std::fs::copy(
        common::root().join("fixtures/certs/self-signed.crt"),
        dir.join(name),
    )
    .unwrap();
    std::fs::write(
        dir.join("topology.yaml"),
        "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: \"p\\e[2J\u{202e}\"\n    internal_fqdn: p.corp.contoso.com\n    bogus: \"\u{1b}]0;title\u{7}\"\n    external: {access_edge: a.contoso.com, web_conferencing_edge: b.contoso.com, av_edge: c.contoso.com}\n    servers: [e.corp.contoso.com]\n",
    )
    .unwrap();
    for format in ["human", "concise", "github", "json", "sarif"] {
        let out = run_limited(
            &[
                std::ffi::OsStr::new("check"),
                dir.as_os_str(),
                std::ffi::OsStr::new("--format"),
                std::ffi::OsStr::new(format),
                std::ffi::OsStr::new("--now"),
                std::ffi::OsStr::new("2100-01-01T00:00:00Z"),
            ],
            10,
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for bad in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
            assert!(!text.contains(bad), "{format}: {bad:?} in\n{text}");
        }
        if format == "concise" {
            assert!(
                text.lines().all(|l| !l.starts_with("fake.yaml")),
                "a forged finding line:\n{text}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_lone_carriage_return_ends_a_line_everywhere() {
    let dir = scratch("cr");
    std::fs::write(
        dir.join("topology.yaml"),
        "version: 1\rsip_domains: [contoso.com]\redge_pools:\r  - name: p\r    internal_fqdn: p.corp.contoso.com\r    bogus: 1\r    external: {access_edge: a.contoso.com, web_conferencing_edge: b.contoso.com, av_edge: c.contoso.com}\r    servers: [e.corp.contoso.com]\r",
    )
    .unwrap();
    let (_, got) = findings(&[dir.to_str().unwrap(), "--select", "T001"]);
    let d = common::shown(&dir);
    assert_eq!(
        got,
        [format!(
            "T001 error {d}/topology.yaml:6:5 unknown key `bogus` in an Edge pool"
        )]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn broken_yaml_is_a_topology_error_when_named_even_if_the_walk_meets_it_too() {
    // Walked, a YAML file that does not parse is not taken for a topology; named on the
    // command line it is one. Topologies are loaded while the walk goes on, first as walked:
    // the file named as well must still be reported.
    let dir = scratch("named-and-walked");
    std::fs::write(dir.join("notes.yaml"), "foo: [1, 2\n").unwrap();
    let folder = dir.to_str().unwrap();
    let named = dir.join("notes.yaml");
    let (code, got) = findings(&[folder]);
    assert_eq!((code, got), (0, Vec::<String>::new()));
    for args in [
        [folder, named.to_str().unwrap()],
        [named.to_str().unwrap(), folder],
    ] {
        let (code, got) = findings(&args);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].starts_with("T001 error ")
                && got[0].ends_with("notes.yaml:1:6 YAML syntax error: unclosed bracket '['"),
            "{got:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
