//! edgelint: a static linter for Lync Server 2013 / Skype for Business Server Edge
//! certificate plans. Data flows one way:
//! [`discover`] → [`load`] → [`derive`] → [`rules`] → [`report`].

pub mod cli;
pub mod derive;
pub mod diagnostic;
pub mod discover;
pub mod load;
pub mod model;
pub mod report;
pub mod rules;
pub mod source;

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, FromArgMatches};

use cli::{CheckArgs, Cli, Color, Command, FailOn};
use diagnostic::Severity;
use report::Format;

/// Exit codes (output.md).
pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_FAILURE: u8 = 2;

fn write_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        // A closed pipe (`edgelint ... | head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
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
        Some(Command::Check(c)) => (c, matches.subcommand_matches("check").unwrap_or(&matches)),
        Some(Command::Rules) => return list_rules(),
        Some(Command::Explain { rule }) => return explain(&rule),
    };
    let outputs = pair_outputs(&check, sub_matches);
    match run_check(&check, &outputs) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("edgelint: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
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

fn list_rules() -> ExitCode {
    let mut text = String::new();
    for r in rules::registry() {
        let m = r.meta();
        text.push_str(&format!(
            "{:<5} {:<36} {:<8} {}\n",
            m.code,
            m.name,
            m.severity.as_str(),
            m.summary
        ));
    }
    let _ = write_stdout(&text);
    ExitCode::from(EXIT_CLEAN)
}

fn explain(rule: &str) -> ExitCode {
    match rules::find(rule) {
        Some(r) => {
            let m = r.meta();
            if let Some(page) = rules::doc(m.code) {
                let _ = write_stdout(page);
                return ExitCode::from(EXIT_CLEAN);
            }
            let text = format!(
                "{} ({})\n\nDefault severity: {}\nSources: {}\n\n{}\n",
                m.code,
                m.name,
                m.severity.as_str(),
                m.sources.join(", "),
                m.summary
            );
            let _ = write_stdout(&text);
            ExitCode::from(EXIT_CLEAN)
        }
        None => {
            eprintln!("edgelint: no rule named `{rule}` (see `edgelint rules`)");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn selected_rules(check: &CheckArgs) -> Vec<&'static dyn rules::Rule> {
    for s in check.select.iter().chain(&check.ignore) {
        if !rules::selector_is_known(s) {
            eprintln!("edgelint: warning: `{s}` matches no rule [E002]");
        }
    }
    rules::registry()
        .iter()
        .copied()
        .filter(|r| {
            let m = r.meta();
            (check.select.is_empty() || check.select.iter().any(|s| rules::selector_matches(s, m)))
                && !check.ignore.iter().any(|s| rules::selector_matches(s, m))
        })
        .collect()
}

fn use_color(choice: Option<Color>, to_file: bool) -> bool {
    match choice.unwrap_or(Color::Auto) {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            !to_file
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn run_check(check: &CheckArgs, outputs: &[(Format, Option<PathBuf>)]) -> Result<u8, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no working folder: {e}"))?;
    let cwd = discover::normalize(&cwd);
    let paths = if check.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        check.paths.clone()
    };
    let opts = discover::DiscoverOptions {
        exclude: check.exclude.clone(),
    };
    let candidates = discover::discover(&paths, &opts)?;
    let repo = load::load(&candidates, &cwd, check.referenced_only);
    let plan = derive::Plan::build(&repo);
    let settings = rules::Settings {
        now: check.now.unwrap_or_else(time::OffsetDateTime::now_utc),
        expiry_warning_days: check.expiry_warning_days,
    };
    let cx = rules::Context::new(&repo, &plan, &settings);
    let diagnostics = rules::check(&cx, &selected_rules(check));
    let sources: BTreeMap<Arc<str>, Arc<str>> = repo
        .topologies
        .iter()
        .map(|t| (t.display.clone(), t.text.clone()))
        .collect();
    let report = report::Report {
        diagnostics: &diagnostics,
        sources: &sources,
        files: repo.file_count(),
        skipped: repo.skipped_pkcs12.len(),
    };
    for (format, file) in outputs {
        let text = report::render(*format, &report, use_color(check.color, file.is_some()));
        match file {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
            None => write_stdout(&text).map_err(|e| format!("cannot write output: {e}"))?,
        }
    }
    let threshold = match check.fail_on.unwrap_or(FailOn::Error) {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t));
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}
