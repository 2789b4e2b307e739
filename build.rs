//! Embeds the rule documentation pages (`rules/docs/*.md`) and the built-in rule files
//! (`rules/builtin/*.yaml`) in the binary, so `edgelint explain` works anywhere.

use std::path::Path;

fn embed(dir: &str, ext: &str, out: &mut String, name: &str) {
    println!("cargo:rerun-if-changed={dir}");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|e| e == ext));
    files.sort();
    out.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for p in files {
        let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
        println!("cargo:rerun-if-changed={}", p.display());
        // The path is resolved when the crate compiles, not baked in here: cargo reuses this
        // script's output for a checkout at another path sharing the target folder (a global
        // CARGO_TARGET_DIR; pre-commit's clones), and an absolute path would point into the
        // other (possibly deleted) checkout.
        let rel = p.to_string_lossy().replace('\\', "/");
        out.push_str(&format!(
            "    ({stem:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{rel}\"))),\n"
        ));
    }
    out.push_str("];\n");
}

/// A hash of every file under `src/`: part of the cache's identity (src/cache), so that an
/// edgelint built from other source never reads this one's entries, even at the same version.
fn source_hash() -> String {
    use std::hash::Hasher;
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, files);
            } else {
                files.push(p);
            }
        }
    }
    println!("cargo:rerun-if-changed=src");
    let mut files = Vec::new();
    walk(Path::new("src"), &mut files);
    files.sort();
    let mut h = std::hash::DefaultHasher::new();
    for f in files {
        h.write(f.to_string_lossy().replace('\\', "/").as_bytes());
        h.write(&std::fs::read(&f).unwrap_or_default());
    }
    format!("{:016x}", h.finish())
}

fn main() {
    println!("cargo:rustc-env=EDGELINT_SOURCE_HASH={}", source_hash());
    let mut out = String::new();
    embed("rules/docs", "md", &mut out, "DOCS");
    embed("rules/builtin", "yaml", &mut out, "BUILTIN_RULE_FILES");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(dest, out).unwrap();
}
