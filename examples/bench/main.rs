//! The benchmark's two helpers (scripts/bench.sh runs them; docs/performance.md has the figures):
//!
//! - `bench generate small|medium|large DIR`: a deterministic repository of Edge deployments
//!   (one topology each, PKCS#12, PEM, DER and request files, certificates signed by the
//!   fixture CA), the same bytes on every run;
//! - `bench floor parse|read PATH...`: the floors edgelint is measured against, on 2 threads:
//!   `parse` walks the paths as edgelint does and parses every YAML and certificate-like file
//!   with the parsers edgelint uses (the YAML node tree, x509-parser, the PKCS#12 reader with
//!   `EDGE_PFX_PASSWORD`, PKCS#8), checking nothing; `read` walks and reads every byte once.

mod floor;
mod generate;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    match refs.as_slice() {
        ["generate", size, dir] => generate::run(size, std::path::Path::new(dir)),
        ["floor", kind @ ("parse" | "read"), paths @ ..] if !paths.is_empty() => {
            floor::run(kind, paths)
        }
        _ => {
            eprintln!(
                "usage: bench generate small|medium|large DIR | bench floor parse|read PATH..."
            );
            std::process::ExitCode::from(2)
        }
    }
}
