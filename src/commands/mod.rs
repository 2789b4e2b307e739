//! The commands: the command line parsed, and each subcommand run. `check` is the pipeline
//! (discover → load → derive → check → filter → report); `plan` runs the same pipeline and
//! renders the certificate plan; `import` writes a topology file from Lync's topology XML;
//! `init` starts a repository; the others list, explain and export.

pub mod check;
pub mod extras;
pub mod import;
mod init;
pub mod plan;
mod rules;
pub mod server;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{CheckArgs, Cli, Command};
use crate::report::Format;

/// Exit codes (docs/output.md).
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

/// Write to standard output; a closed pipe (`edgelint ... | head`) is not an error of ours.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// An exit code for a command's result; an error is printed first.
fn finish(result: Result<u8, String>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("edgelint: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

pub fn main_with_args(args: Vec<std::ffi::OsString>) -> ExitCode {
    let matches = match Cli::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_FAILURE
            } else {
                EXIT_CLEAN
            });
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    let (check, sub_matches) = match cli.command {
        None => (cli.check, &matches),
        Some(Command::Check(c)) => (*c, matches.subcommand_matches("check").unwrap_or(&matches)),
        Some(Command::Plan(p)) => return finish(plan::run(&p)),
        Some(Command::Rules) => return finish(rules::list()),
        Some(Command::Explain { rule }) => return finish(rules::explain(&rule)),
        Some(Command::Schema { output }) => return extras::schema(output.as_deref()),
        Some(Command::Init(args)) => return finish(init::run(&args)),
        Some(Command::Import(args)) => return finish(import::run(&args)),
        Some(Command::Server(args)) => return finish(server::run(&args)),
        Some(Command::Completions { shell }) => return extras::completions(shell),
        Some(Command::Man { output_dir }) => return extras::man(output_dir.as_deref()),
    };
    let outputs = pair_outputs(&check, sub_matches);
    finish(check::run(&check, &outputs))
}

/// Pair each `--output-file` with the `--format` given just before it.
fn pair_outputs(check: &CheckArgs, m: &clap::ArgMatches) -> Vec<(Format, Option<PathBuf>)> {
    let formats: Vec<(usize, Format)> = m
        .indices_of("format")
        .map(|i| i.zip(check.format.iter().copied()).collect())
        .unwrap_or_default();
    let files: Vec<(usize, PathBuf)> = m
        .indices_of("output_file")
        .map(|i| i.zip(check.output_file.iter().cloned()).collect())
        .unwrap_or_default();
    let mut out: Vec<(Format, Option<PathBuf>)> = formats.iter().map(|(_, f)| (*f, None)).collect();
    if out.is_empty() {
        out.push((Format::Human, None));
    }
    for (fi, file) in files {
        let slot = formats.iter().rposition(|(i, _)| *i < fi).unwrap_or(0);
        out[slot].1 = Some(file);
    }
    out
}

/// The working folder, lexically normalised.
fn working_folder() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no working folder: {e}"))?;
    Ok(crate::discover::normalize(&cwd))
}
