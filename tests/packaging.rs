//! The packaging files agree with Cargo.toml and with each other:
//!
//! - the root `pyproject.toml` (the pre-commit shim) has Cargo.toml's version and depends on
//!   `edgelint==` that version and on nothing else;
//! - `python/pyproject.toml` builds the `edgelint` binary as a wheel (maturin, `bindings = "bin"`,
//!   the version taken from Cargo.toml);
//! - the first `version = "..."` line of Cargo.toml is the package's version: the action,
//!   scripts/build-wheel.sh, tests/wheel/run.sh and release.yml read it that way with sed;
//! - release.yml pins the maturin of python/build-requirements.txt and makes the archives that
//!   `[package.metadata.binstall]` names;
//! - `.pre-commit-hooks.yaml` has the three hooks, each with its language;
//! - the VS Code extension (`editors/vscode`) has Cargo.toml's version, starts `edgelint
//!   server`, and its lock file is its manifest's;
//! - the crate (and so the sdist) leaves out the test material and keeps what build.rs embeds.

use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn toml(path: &str) -> toml::Table {
    read(path).parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn get<'a>(table: &'a toml::Table, dotted: &str) -> &'a toml::Value {
    let mut parts = dotted.split('.');
    let mut value = table
        .get(parts.next().unwrap())
        .unwrap_or_else(|| panic!("no {dotted}"));
    for part in parts {
        value = value
            .get(part)
            .unwrap_or_else(|| panic!("no {dotted} (at {part})"));
    }
    value
}

fn string<'a>(table: &'a toml::Table, dotted: &str) -> &'a str {
    get(table, dotted)
        .as_str()
        .unwrap_or_else(|| panic!("{dotted} is not a string"))
}

fn strings(table: &toml::Table, dotted: &str) -> Vec<String> {
    get(table, dotted)
        .as_array()
        .unwrap_or_else(|| panic!("{dotted} is not an array"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_pre_commit_shim_pins_the_wheel_of_this_version() {
    let version = env!("CARGO_PKG_VERSION");
    let cargo = toml("Cargo.toml");
    assert_eq!(string(&cargo, "package.version"), version);
    let shim = toml("pyproject.toml");
    assert_eq!(
        string(&shim, "project.version"),
        version,
        "pyproject.toml's version must be Cargo.toml's"
    );
    assert_eq!(
        strings(&shim, "project.dependencies"),
        [format!("edgelint=={version}")],
        "pyproject.toml must depend on the edgelint wheel of Cargo.toml's version, and nothing else"
    );
    assert_ne!(
        string(&shim, "project.name"),
        "edgelint",
        "the shim must not take the wheel's name"
    );
    assert_eq!(
        string(&shim, "build-system.build-backend"),
        "setuptools.build_meta"
    );
    // no package of its own: setuptools' automatic discovery would trip over src/, tests/ ...
    assert_eq!(
        get(&shim, "tool.setuptools.packages")
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn the_first_version_line_of_cargo_toml_is_the_package_version() {
    let text = read("Cargo.toml");
    let first = text
        .lines()
        .find_map(|l| {
            let rest = l.strip_prefix("version")?.trim_start().strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').to_owned())
        })
        .expect("a `version = ` line");
    assert_eq!(first, env!("CARGO_PKG_VERSION"));
}

#[test]
fn the_wheel_project_builds_the_binary_with_maturin() {
    let wheel = toml("python/pyproject.toml");
    assert_eq!(string(&wheel, "build-system.build-backend"), "maturin");
    assert_eq!(string(&wheel, "project.name"), "edgelint");
    assert!(strings(&wheel, "project.dynamic").contains(&"version".to_owned()));
    assert!(get(&wheel, "project").get("version").is_none());
    assert_eq!(string(&wheel, "tool.maturin.bindings"), "bin");
    assert_eq!(
        string(&wheel, "tool.maturin.manifest-path"),
        "../Cargo.toml"
    );
}

#[test]
fn release_yml_pins_the_same_maturin_and_makes_the_binstall_archives() {
    let pinned = read("python/build-requirements.txt")
        .lines()
        .find_map(|l| l.strip_prefix("maturin==").map(str::to_owned))
        .expect("maturin==X in python/build-requirements.txt");
    let release = read(".github/workflows/release.yml");
    assert!(
        release.contains(&format!("MATURIN_VERSION: {pinned}\n")),
        "release.yml's MATURIN_VERSION is not {pinned}"
    );

    let cargo = toml("Cargo.toml");
    assert_eq!(
        string(&cargo, "package.metadata.binstall.pkg-url"),
        "{ repo }/releases/download/v{ version }/{ name }-{ version }-{ target }{ archive-suffix }"
    );
    assert_eq!(
        string(&cargo, "package.metadata.binstall.bin-dir"),
        "{ name }-{ version }-{ target }/{ bin }{ binary-ext }"
    );
    // the archive step of release.yml names files and folders the same way
    assert!(release.contains(r#"name = f"edgelint-{version}-{target}""#));
    assert!(release.contains(r#"f"{name}/{exe}""#));
    assert!(release.contains(r#"out / f"{name}.tar.gz""#));
    assert!(release.contains(r#"out / f"{name}.zip""#));
    assert_eq!(
        string(
            &cargo,
            "package.metadata.binstall.overrides.x86_64-pc-windows-msvc.pkg-fmt"
        ),
        "zip"
    );
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-pc-windows-msvc",
        "universal-apple-darwin",
    ] {
        assert!(
            release.contains(&format!("archive: {target},")),
            "release.yml makes no archive for {target}"
        );
    }
    // the tag only after PyPI has the wheels
    assert!(release.contains("needs: [check, pypi]"));
}

#[test]
fn the_pre_commit_hooks_are_the_wheel_the_source_and_the_system() {
    let manifest = read(".pre-commit-hooks.yaml");
    let mut hooks = Vec::new();
    for block in manifest.split("\n- id: ").skip(1) {
        let id = block.lines().next().unwrap().trim().to_owned();
        let language = block
            .lines()
            .find_map(|l| l.trim().strip_prefix("language: "))
            .unwrap_or_else(|| panic!("hook {id} without a language"))
            .to_owned();
        hooks.push((id, language));
    }
    let expected = [
        ("edgelint", "python"),
        ("edgelint-src", "rust"),
        ("edgelint-system", "system"),
    ];
    assert_eq!(
        hooks,
        expected.map(|(a, b)| (a.to_owned(), b.to_owned())).to_vec()
    );
}

#[test]
fn the_vscode_extension_has_this_version_and_starts_the_server() {
    let cargo = toml("Cargo.toml");
    let manifest: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert_eq!(manifest["version"], string(&cargo, "package.version"));
    let script = read("editors/vscode/extension.js");
    assert!(script.contains(r#"args: ["server""#), "{script}");
    let lock: serde_json::Value =
        serde_json::from_str(&read("editors/vscode/package-lock.json")).unwrap();
    assert_eq!(
        lock["packages"][""]["dependencies"],
        manifest["dependencies"],
        "editors/vscode/package-lock.json is not the manifest's: run npm install --package-lock-only"
    );
}

#[test]
fn the_package_leaves_out_the_test_material_and_keeps_what_the_build_embeds() {
    let cargo = toml("Cargo.toml");
    let exclude = strings(&cargo, "package.exclude");
    for path in [
        "/fixtures",
        "/tests",
        "/fuzz",
        "/examples",
        "/pyproject.toml",
    ] {
        assert!(exclude.contains(&path.to_owned()), "{path} is not excluded");
    }
    for kept in [
        "rules",
        "src",
        "build.rs",
        "Cargo.lock",
        "README.md",
        "python",
    ] {
        assert!(
            !exclude
                .iter()
                .any(|e| e.trim_start_matches('/').starts_with(kept)),
            "{kept} is needed by a build from the sdist"
        );
    }
}
