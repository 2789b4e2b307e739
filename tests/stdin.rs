//! `check --stdin-filename PATH -`: an unsaved buffer on standard input, checked as if it
//! were PATH (nvim-lint, ALE, flycheck).

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{edgelint, NOW};

const TOPOLOGY: &str = "examples/contoso/topology.yaml";

/// `check --format concise --now NOW ARGS` with `stdin` on standard input.
fn check_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = edgelint()
        .args(["check", "--format", "concise", "--now", NOW])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("edgelint runs");
    // A run that fails before reading its input closes the pipe: not this test's concern.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn example() -> String {
    std::fs::read_to_string(common::root().join(TOPOLOGY)).unwrap()
}

#[test]
fn the_buffer_as_saved_gives_what_the_file_gives() {
    let on_disk = common::run(&["check", "--format", "concise", "--now", NOW, TOPOLOGY]);
    let (code, out, err) = check_stdin(&["--stdin-filename", TOPOLOGY, "-"], &example());
    assert_eq!(code, on_disk.status.code().unwrap(), "{err}");
    assert_eq!(out, String::from_utf8_lossy(&on_disk.stdout));
    assert!(out.contains("[W001]"), "{out}");
}

#[test]
fn the_buffer_is_read_instead_of_the_file() {
    // Without Office Web Apps, the reverse proxy certificate lacks nothing (W001 goes), and
    // every later finding moves up a line.
    let text = example().replace(
        "  office_web_apps: owa.contoso.com   # added after the certificate was bought\n",
        "",
    );
    let (code, out, err) = check_stdin(&["--stdin-filename", TOPOLOGY], &text);
    assert_eq!(code, 1, "{err}");
    assert!(!out.contains("[W001]"), "{out}");
    assert!(
        out.contains("examples/contoso/topology.yaml:19:9: warning"),
        "{out}"
    );
}

#[test]
fn a_file_not_saved_yet_is_checked_where_it_would_be() {
    let (code, out, err) = check_stdin(
        &["--stdin-filename", "examples/contoso/new.yaml", "-"],
        &example(),
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("examples/contoso/new.yaml:23:19: error: certificate certs/edge02-external.pfx lacks SAN webcon.contoso.com"),
        "{out}"
    );
}

#[test]
fn a_broken_buffer_is_t001() {
    let text = example().replace("version: 1\n", "version: [1\n");
    let (code, out, err) = check_stdin(&["--stdin-filename", TOPOLOGY, "-"], &text);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("[T001]"), "{out}");
}

#[test]
fn standard_input_needs_a_yaml_name() {
    let (code, _, err) = check_stdin(&["-"], &example());
    assert_eq!(code, 2);
    assert!(err.contains("--stdin-filename"), "{err}");
    let (code, _, err) = check_stdin(&["--stdin-filename", "cert.pem", "-"], "x");
    assert_eq!(code, 2);
    assert!(err.contains("topology file"), "{err}");
}
