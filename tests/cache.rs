//! The cache of certificate facts (docs/performance.md): a run that reads it reports exactly
//! what a run without it reports, after edits, password changes and a change of edgelint; a
//! damaged or foreign cache is ignored and rewritten; concurrent runs are safe; no password
//! reaches it; the default folder and its `.gitignore`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A copy of the example (PKCS#12 files, PEM, a request, a CA) and of the T004 fixture (wrong,
/// unset and empty passwords, an encrypted key) in a fresh folder.
fn sample(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-cache-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy(
        &common::root().join("examples/contoso"),
        &dir.join("contoso"),
    );
    copy(
        &common::root().join("fixtures/t004"),
        &dir.join("t004/t004"),
    );
    copy(
        &common::root().join("fixtures/certs"),
        &dir.join("t004/certs"),
    );
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// `check --format json` in `dir` with these extra arguments, the cache enabled.
fn command(dir: &Path, extra: &[&str]) -> Command {
    let mut c = common::edgelint();
    c.current_dir(dir)
        .env_remove("EDGELINT_NO_CACHE")
        .args(["check", ".", "--format", "json", "--now", common::NOW])
        .args(extra);
    c
}

fn check(dir: &Path, extra: &[&str]) -> String {
    let out = command(dir, extra).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.stdout.is_empty(), "no output: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

fn cache_dir(dir: &Path) -> PathBuf {
    dir.join("cache")
}

/// Cold (writes the cache), warm (reads it) and without it: the same document.
fn same_with_and_without_cache(dir: &Path, extra: &[&str]) -> String {
    let cache = cache_dir(dir);
    let cache = cache.to_str().unwrap();
    let without = check(dir, &[extra, &["--no-cache"]].concat());
    let cold = check(dir, &[extra, &["--cache-dir", cache]].concat());
    let warm = check(dir, &[extra, &["--cache-dir", cache]].concat());
    assert_eq!(cold, without, "cold run with the cache");
    assert_eq!(warm, without, "warm run with the cache");
    without
}

/// The cache's files whose name starts with `prefix` (`facts-`: the shards; `""`: every
/// data file, the verified chain links' `links.bin` too).
fn data_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(cache_dir(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "bin"))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    out.sort();
    out
}

fn shards(dir: &Path) -> Vec<PathBuf> {
    data_files(dir, "facts-")
}

#[test]
fn findings_are_the_same_with_and_without_the_cache() {
    let dir = sample("same");
    let doc = same_with_and_without_cache(&dir, &[]);
    assert!(
        doc.contains("T004"),
        "the sample has password findings: {doc}"
    );
    assert!(!shards(&dir).is_empty(), "the cache was written");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_edited_file_is_read_again() {
    let dir = sample("edit");
    let before = same_with_and_without_cache(&dir, &[]);
    // The internal certificate becomes an expired one; the PKCS#12 file another one.
    let certs = common::root().join("fixtures/certs");
    std::fs::copy(
        certs.join("self-signed.crt"),
        dir.join("contoso/certs/edge-internal.crt"),
    )
    .unwrap();
    std::fs::copy(
        certs.join("expired.pfx"),
        dir.join("contoso/certs/edge-external.pfx"),
    )
    .unwrap();
    let after = same_with_and_without_cache(&dir, &[]);
    assert_ne!(before, after, "the edits change the findings");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_changed_password_is_tried_again() {
    let dir = sample("password");
    let cache = cache_dir(&dir);
    let cache = cache.to_str().unwrap();
    let run = |password: &str, cached: bool| {
        let mut c = if cached {
            command(&dir, &["--cache-dir", cache])
        } else {
            command(&dir, &["--no-cache"])
        };
        let out = c.env("EDGE_PFX_PASSWORD", password).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let right = run("Secret123", true);
    let wrong = run("not-it", true);
    assert_ne!(right, wrong, "a wrong password is a finding");
    assert_eq!(wrong, run("not-it", false));
    assert_eq!(run("Secret123", true), run("Secret123", false));
    // Unset, then empty: each a state of its own.
    let unset = {
        let mut c = command(&dir, &["--cache-dir", cache]);
        String::from_utf8(c.env_remove("EDGE_PFX_PASSWORD").output().unwrap().stdout).unwrap()
    };
    let unset_without = {
        let mut c = command(&dir, &["--no-cache"]);
        String::from_utf8(c.env_remove("EDGE_PFX_PASSWORD").output().unwrap().stdout).unwrap()
    };
    assert_eq!(unset, unset_without);
    assert_eq!(run("", true), run("", false));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_password_reaches_the_cache() {
    let dir = sample("secret");
    let password = "Unguessable-Password-4711";
    // Literal secrets in a topology (T005): its parsed tree is cached with them masked, in
    // every form the scanner meets (a line, a flow mapping, a value on the next line).
    let literal = [
        "Literal-Secret-0815",
        "Flow-Secret-4242",
        "Next-Line-Secret-77",
    ];
    std::fs::create_dir_all(dir.join("secrets")).unwrap();
    std::fs::write(
        dir.join("secrets/topology.yaml"),
        format!(
            "version: 1\nsip_domains: [contoso.com]\nedge_pools:\n  - name: edge-x\n    \
             internal_fqdn: edgepool.secrets.contoso.com\n    servers: [edge01.corp.contoso.com]\n    \
             certificates:\n      - file: ../contoso/certs/av.pfx\n        password: {}\n        \
             uses: [Internal]\n      - {{file: ../contoso/certs/av.pfx, passphrase: {}, \
             uses: [Internal]}}\n      - file: ../contoso/certs/av.pfx\n        uses: [Internal]\n        \
             password:\n          {}\n",
            literal[0], literal[1], literal[2]
        ),
    )
    .unwrap();
    let topology = check(&dir, &["--no-cache"]);
    assert!(topology.contains("secrets/topology.yaml"), "{topology}");
    let mut c = command(&dir, &["--cache-dir", cache_dir(&dir).to_str().unwrap()]);
    c.env("EDGE_PFX_PASSWORD", password).output().unwrap();
    let mut c = command(&dir, &["--cache-dir", cache_dir(&dir).to_str().unwrap()]);
    c.env("EDGE_PFX_PASSWORD", "Secret123").output().unwrap();
    let all: Vec<u8> = data_files(&dir, "")
        .iter()
        .flat_map(|f| std::fs::read(f).unwrap())
        .collect();
    let name = b"edgepool.secrets.contoso.com";
    assert!(
        all.windows(name.len()).any(|w| w == name),
        "the topology's tree is in the cache"
    );
    for shard in data_files(&dir, "") {
        let bytes = std::fs::read(&shard).unwrap();
        for secret in [password, "Secret123", "not-the-password"]
            .iter()
            .chain(&literal)
        {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} in {}",
                shard.display()
            );
        }
        // Nor a private key: the example's keys are PKCS#8 (`30 82 .. .. 02 01 00 30`).
        assert!(!bytes
            .windows(7)
            .any(|w| w[0] == 0x30 && w[1] == 0x82 && w[4..] == [2, 1, 0]));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Overwrite `len` bytes of every data file at `at` (from the end when negative) with `byte`.
fn damage(dir: &Path, at: isize, len: usize, byte: u8) {
    for shard in data_files(dir, "") {
        let mut bytes = std::fs::read(&shard).unwrap();
        let start = if at < 0 {
            bytes.len().saturating_sub(at.unsigned_abs())
        } else {
            at as usize
        };
        for b in bytes.iter_mut().skip(start).take(len) {
            *b = byte;
        }
        std::fs::write(&shard, bytes).unwrap();
    }
}

#[test]
fn a_damaged_or_foreign_cache_is_ignored_and_rewritten() {
    let dir = sample("damaged");
    let expected = same_with_and_without_cache(&dir, &[]);
    let good: Vec<Vec<u8>> = shards(&dir)
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let cache = cache_dir(&dir);
    let cache = cache.to_str().unwrap();
    // What each damage stands for: another edgelint (the build identity after the magic),
    // a flipped byte in an entry, a cut record, a file that is not a shard at all.
    type Harm<'a> = Box<dyn Fn() + 'a>;
    let damages: [(&str, Harm); 4] = [
        ("another edgelint", Box::new(|| damage(&dir, 20, 4, 0x5a))),
        ("an entry's byte", Box::new(|| damage(&dir, -40, 1, 0xa5))),
        (
            "a cut record",
            Box::new(|| {
                for s in data_files(&dir, "") {
                    let b = std::fs::read(&s).unwrap();
                    std::fs::write(&s, &b[..b.len() - 5]).unwrap();
                }
            }),
        ),
        (
            "not a shard",
            Box::new(|| damage(&dir, 0, usize::MAX, 0xff)),
        ),
    ];
    for (what, harm) in &damages {
        harm();
        assert_eq!(check(&dir, &["--cache-dir", cache]), expected, "{what}");
        let now: Vec<Vec<u8>> = shards(&dir)
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        assert_eq!(now.len(), good.len(), "{what}");
        for (i, (a, b)) in now.iter().zip(&good).enumerate() {
            assert_eq!(a.len(), b.len(), "{what}: shard {i} rewritten whole");
            let (payloads, damaged) = edgelint::cache::decode_records(&a[48..]);
            assert!(
                !damaged && payloads.iter().all(Option::is_some),
                "{what}: shard {i}"
            );
        }
        assert_eq!(
            check(&dir, &["--cache-dir", cache]),
            expected,
            "{what}: warm"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn concurrent_runs_agree() {
    let dir = sample("concurrent");
    let expected = check(&dir, &["--no-cache"]);
    let cache = cache_dir(&dir);
    let cache = cache.to_str().unwrap();
    for round in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                command(&dir, &["--cache-dir", cache])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                expected,
                "round {round}"
            );
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(cache)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_default_folder_ignores_itself_and_no_cache_writes_nothing() {
    let dir = sample("default");
    let out = command(&dir, &["--no-cache"]).output().unwrap();
    assert!(!out.stdout.is_empty());
    assert!(
        !dir.join(".edgelint_cache").exists(),
        "--no-cache wrote a cache"
    );
    let out = command(&dir, &[])
        .env("EDGELINT_NO_CACHE", "1")
        .output()
        .unwrap();
    assert!(!out.stdout.is_empty());
    assert!(
        !dir.join(".edgelint_cache").exists(),
        "EDGELINT_NO_CACHE wrote a cache"
    );
    let first = check(&dir, &[]);
    let ignore = std::fs::read_to_string(dir.join(".edgelint_cache/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    assert!(dir.join(".edgelint_cache/CACHEDIR.TAG").exists());
    // The cache folder is not read as input, and the warm run agrees.
    assert_eq!(check(&dir, &[]), first);
    // A configuration file's folder holds the cache of the tree it configures.
    std::fs::write(dir.join("contoso/.edgelint.toml"), "").unwrap();
    let mut c = common::edgelint();
    c.current_dir(&dir)
        .env_remove("EDGELINT_NO_CACHE")
        .args(["check", "contoso", "--now", common::NOW])
        .output()
        .unwrap();
    assert!(dir.join("contoso/.edgelint_cache/.gitignore").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The stat index: once a file's status has settled, a warm run knows the file's content by
/// its status; a change of content is seen even when the size and the modification time are
/// put back (the change time moves), and a damaged index is ignored and replaced.
#[test]
fn a_settled_file_is_known_by_its_status_and_every_change_is_seen() {
    let dir = sample("status");
    // Files copied just now are too fresh to be recorded: let their times settle.
    std::thread::sleep(edgelint::cache::stats::SETTLED + std::time::Duration::from_millis(300));
    let before = same_with_and_without_cache(&dir, &[]);
    let index = cache_dir(&dir).join("stats.bin");
    let recorded = std::fs::read(&index).expect("the statuses were recorded");
    let cache = cache_dir(&dir);
    let cache = cache.to_str().unwrap();
    assert_eq!(
        check(&dir, &["--cache-dir", cache]),
        before,
        "warm, by status"
    );

    // Another certificate of exactly the same size, the modification time put back.
    let path = dir.join("contoso/certs/edge-internal.crt");
    let meta = std::fs::metadata(&path).unwrap();
    let mut text = std::fs::read(&path).unwrap();
    let at = text.len() / 2;
    text[at] = if text[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(&path, &text).unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(meta.modified().unwrap()).unwrap();
    drop(file);
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(
        (after.len(), after.modified().unwrap()),
        (meta.len(), meta.modified().unwrap())
    );
    // Settled again: only the change time tells the edit now.
    std::thread::sleep(edgelint::cache::stats::SETTLED + std::time::Duration::from_millis(300));
    let edited = same_with_and_without_cache(&dir, &[]);
    assert_ne!(edited, before, "the edit changes the findings");

    // A damaged index is a miss for every file, and is written anew.
    let mut bytes = std::fs::read(&index).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&index, &bytes).unwrap();
    assert_eq!(
        check(&dir, &["--cache-dir", cache]),
        edited,
        "damaged index"
    );
    assert_eq!(
        check(&dir, &["--cache-dir", cache]),
        edited,
        "rewritten index"
    );
    assert_ne!(
        std::fs::read(&index).unwrap(),
        bytes,
        "the damaged index was replaced"
    );
    assert!(!recorded.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
