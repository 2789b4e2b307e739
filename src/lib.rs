//! edgelint: a static linter for Lync Server 2013 / Skype for Business Server Edge
//! certificate plans. Data flows one way:
//! [`discover`] → [`load`] → [`derive`] → [`rules`] → [`report`].

pub mod baseline;
pub mod chain;
pub mod cli;
pub mod config;
pub mod derive;
pub mod diagnostic;
pub mod discover;
pub mod extras;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod load;
pub mod model;
pub mod read;
pub mod report;
pub mod rules;
pub mod selector;
pub mod source;
pub mod suppress;

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
        Some(Command::Check(c)) => (*c, matches.subcommand_matches("check").unwrap_or(&matches)),
        Some(Command::Rules) => return with_all_rules(|all| list_rules(&all)),
        Some(Command::Explain { rule }) => return with_all_rules(|all| explain(&all, &rule)),
        Some(Command::Schema { output }) => return extras::schema(output.as_deref()),
        Some(Command::Completions { shell }) => return extras::completions(shell),
        Some(Command::Man { output_dir }) => return extras::man(output_dir.as_deref()),
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

/// Built-in rules plus those of the configuration found from the working folder up.
fn with_all_rules(f: impl FnOnce(Vec<&'static dyn rules::Rule>) -> ExitCode) -> ExitCode {
    let loaded = std::env::current_dir()
        .map_err(|e| e.to_string())
        .and_then(|cwd| {
            let cwd = discover::normalize(&cwd);
            let config = match config::find(&cwd) {
                Some(p) => config::Config::load(&p, &cwd, false).map_err(|e| e.to_string())?,
                None => config::Config::default(),
            };
            load_rule_packs(&config, &cwd)
        });
    match loaded {
        Ok(packs) => {
            let mut all = rules::registry().to_vec();
            all.extend(packs);
            f(all)
        }
        Err(e) => {
            eprintln!("edgelint: {e}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

fn list_rules(all: &[&'static dyn rules::Rule]) -> ExitCode {
    let mut text = String::new();
    for r in all {
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

fn explain(all: &[&'static dyn rules::Rule], rule: &str) -> ExitCode {
    let found = all
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(rule) || r.meta().name == rule);
    match found {
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

/// Command line and configuration file, merged: the command line wins; its `--ignore` adds to
/// the file's; its `--select` replaces the file's.
struct Effective {
    config: config::Config,
    select: Vec<(selector::Selector, Option<diagnostic::Location>)>,
    ignore: Vec<(selector::Selector, Option<diagnostic::Location>)>,
    fail_on: FailOn,
    expiry_warning_days: i64,
    exclude: Vec<String>,
    referenced_only: bool,
    /// Built-in rules and the configuration's rule packs.
    rules: Vec<&'static dyn rules::Rule>,
}

/// The rules of the configuration's rule packs (`rule_packs`).
fn load_rule_packs(
    config: &config::Config,
    cwd: &std::path::Path,
) -> Result<Vec<&'static dyn rules::Rule>, String> {
    let mut out: Vec<&'static dyn rules::Rule> = Vec::new();
    let mut errors = Vec::new();
    for (path, named) in &config.rule_packs {
        let display = discover::display(path, cwd);
        let text = match read::read_text_limited(path, read::MAX_RULE_PACK_BYTES) {
            Ok(t) => t,
            Err(e) => {
                let at = config
                    .display
                    .as_ref()
                    .zip(config.text.as_ref())
                    .map(|(d, t)| {
                        let (l, c) = source::LineIndex::new(t).line_col(t, named.span.start);
                        format!("{d}:{l}:{c}: ")
                    })
                    .unwrap_or_default();
                errors.push(format!("{at}cannot read rule pack {display}: {e}"));
                continue;
            }
        };
        match rules::pack::parse(&text, &display, false) {
            Ok(rules) => {
                for r in rules {
                    let code = r.meta.code;
                    if rules::registry()
                        .iter()
                        .chain(&out)
                        .any(|x| x.meta().code == code)
                    {
                        errors.push(format!("{display}: rule code {code} is already taken"));
                        continue;
                    }
                    out.push(Box::leak(Box::new(r)));
                }
            }
            Err(e) => errors.extend(e.iter().map(|e| e.to_string())),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(format!("invalid rule pack:\n{}", errors.join("\n")))
    }
}

fn command_line_location() -> diagnostic::Location {
    diagnostic::Location::start_of_file(&Arc::from("<command line>"))
}

impl Effective {
    fn new(check: &CheckArgs, cwd: &std::path::Path) -> Result<Effective, String> {
        let config = match (&check.config, check.isolated) {
            (_, true) => config::Config::default(),
            (Some(path), false) => {
                config::Config::load(path, cwd, true).map_err(|e| e.to_string())?
            }
            (None, false) => match config::find(cwd) {
                Some(path) => config::Config::load(&path, cwd, false).map_err(|e| e.to_string())?,
                None => config::Config::default(),
            },
        };
        let at = |n: &config::SelectorAt| -> Option<diagnostic::Location> {
            let (display, text) = (config.display.as_ref()?, config.text.as_ref()?);
            Some(diagnostic::Location::in_text(
                display,
                text,
                &source::LineIndex::new(text),
                n.span.clone(),
            ))
        };
        let cli = |v: &Vec<String>| -> Vec<(selector::Selector, Option<diagnostic::Location>)> {
            v.iter()
                .map(|s| (selector::Selector::parse(s), Some(command_line_location())))
                .collect()
        };
        let select = if check.select.is_empty() {
            config
                .select
                .iter()
                .flatten()
                .map(|n| (n.selector.clone(), at(n)))
                .collect()
        } else {
            cli(&check.select)
        };
        let mut ignore: Vec<_> = config
            .ignore
            .iter()
            .map(|n| (n.selector.clone(), at(n)))
            .collect();
        ignore.extend(cli(&check.ignore));
        let fail_on = match (check.fail_on, config.fail_on.as_deref()) {
            (Some(f), _) => f,
            (None, Some("warning")) => FailOn::Warning,
            (None, Some("info")) => FailOn::Info,
            (None, Some("never")) => FailOn::Never,
            _ => FailOn::Error,
        };
        let mut exclude = config.exclude.clone();
        exclude.extend(check.exclude.iter().cloned());
        let mut all_rules = rules::registry().to_vec();
        all_rules.extend(load_rule_packs(&config, cwd)?);
        Ok(Effective {
            rules: all_rules,
            expiry_warning_days: check
                .expiry_warning_days
                .or(config.expiry_warning_days)
                .unwrap_or(30),
            referenced_only: check.referenced_only || config.referenced_only.unwrap_or(false),
            select,
            ignore,
            fail_on,
            exclude,
            config,
        })
    }

    fn selected_rules(&self) -> Vec<&'static dyn rules::Rule> {
        self.rules
            .iter()
            .copied()
            .filter(|r| {
                let m = r.meta();
                (self.select.is_empty()
                    || self.select.iter().any(|(s, _)| s.matches(m.code, m.name)))
                    && !self.ignore.iter().any(|(s, _)| s.matches(m.code, m.name))
            })
            .collect()
    }

    /// Selectors (command line, configuration, inline suppressions) that name no rule of this
    /// run (built-in or rule pack): E002's input.
    fn unknown_selectors(
        &self,
        topologies: &[model::topology::TopologyFile],
    ) -> Vec<rules::UnknownSelector> {
        let config_located = self.config.selectors().map(|n| {
            (
                self.config
                    .display
                    .as_ref()
                    .zip(self.config.text.as_ref())
                    .map(|(d, t)| {
                        diagnostic::Location::in_text(
                            d,
                            t,
                            &source::LineIndex::new(t),
                            n.span.clone(),
                        )
                    }),
                &n.selector,
            )
        });
        let in_suppressions = topologies.iter().flat_map(|t| {
            t.suppressions.iter().flat_map(move |s| {
                s.selectors
                    .iter()
                    .map(move |(sel, span)| (Some(t.loc(span)), sel))
            })
        });
        let all = self
            .select
            .iter()
            .chain(&self.ignore)
            .map(|(s, l)| (l.clone(), s))
            .chain(config_located)
            .chain(in_suppressions);
        let known = || self.rules.iter().map(|r| (r.meta().code, r.meta().name));
        let names: Vec<&str> = known().flat_map(|(c, n)| [c, n]).collect();
        let mut out: Vec<rules::UnknownSelector> = Vec::new();
        for (loc, s) in all {
            if s.matches_any(known()) {
                continue;
            }
            let location = loc.unwrap_or_else(command_line_location);
            if out
                .iter()
                .any(|u| u.location == location && u.text == s.text)
            {
                continue;
            }
            out.push(rules::UnknownSelector {
                location,
                text: s.text.clone(),
                suggestion: load::topology::did_you_mean(&s.text, &names).map(str::to_string),
            });
        }
        out
    }

    /// Severity overrides and per-path ignores of the configuration.
    fn adjust(&self, diagnostics: &mut Vec<diagnostic::Diagnostic>, cwd: &std::path::Path) {
        for d in diagnostics.iter_mut() {
            if let Some((_, sev)) = self
                .config
                .severity
                .iter()
                .rev()
                .find(|(n, _)| n.selector.matches(d.code, d.name))
            {
                d.severity = *sev;
            }
        }
        if self.config.per_path_ignores.is_empty() {
            return;
        }
        diagnostics.retain(|d| {
            let path = discover::normalize(&cwd.join(&*d.location.file));
            !self
                .config
                .per_path_ignores
                .iter()
                .any(|(glob, selectors)| {
                    glob.is_match(&path)
                        && selectors.iter().any(|s| s.selector.matches(d.code, d.name))
                })
        });
    }
}

fn run_check(check: &CheckArgs, outputs: &[(Format, Option<PathBuf>)]) -> Result<u8, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no working folder: {e}"))?;
    let cwd = discover::normalize(&cwd);
    let eff = Effective::new(check, &cwd)?;
    let paths = if check.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        check.paths.clone()
    };
    let opts = discover::DiscoverOptions {
        exclude: eff.exclude.clone(),
    };
    let discovery = discover::discover(&paths, &opts)?;
    let load_opts = load::LoadOptions {
        referenced_only: eff.referenced_only,
        extra_ca_bundles: eff.config.ca_bundles.clone(),
        extra_public_roots: eff.config.public_roots.clone(),
    };
    let repo = load::load(&discovery, &cwd, &load_opts);
    if repo.topologies.is_empty() && repo.files.is_empty() {
        eprintln!("edgelint: {}", discover::explain_empty(&paths, &opts));
        if check.require_files {
            return Err("nothing was checked (--require-files)".into());
        }
    }
    let plan = derive::Plan::build(&repo);
    let settings = rules::Settings {
        now: check.now.unwrap_or_else(time::OffsetDateTime::now_utc),
        expiry_warning_days: eff.expiry_warning_days,
        unknown_selectors: eff.unknown_selectors(&repo.topologies),
    };
    let cx = rules::Context::new(&repo, &plan, &settings);
    let selected = eff.selected_rules();
    let mut diagnostics = rules::check(&cx, &selected);
    let suppressed = suppress::apply(&mut diagnostics, &repo.topologies, &selected);
    eff.adjust(&mut diagnostics, &cwd);
    let mut keyer = baseline::Keyer::new(&repo, &cwd);
    if let Some(path) = &check.write_baseline {
        let n = baseline::write(path, &diagnostics, &mut keyer)?;
        eprintln!(
            "edgelint: recorded {} finding{} ({n} entries) in {}",
            diagnostics.len(),
            if diagnostics.len() == 1 { "" } else { "s" },
            path.display()
        );
    }
    let baselined = match check.baseline.as_ref().or(check.write_baseline.as_ref()) {
        Some(path) => baseline::apply(path, &mut diagnostics, &mut keyer)?,
        None => 0,
    };
    let mut sources: BTreeMap<Arc<str>, Arc<str>> = repo
        .topologies
        .iter()
        .map(|t| (t.display.clone(), t.text.clone()))
        .collect();
    if let (Some(d), Some(t)) = (&eff.config.display, &eff.config.text) {
        sources.insert(d.clone(), t.clone());
    }
    let report = report::Report {
        diagnostics: &diagnostics,
        rules: &eff.rules,
        sources: &sources,
        files: repo.file_count(),
        skipped: repo.skipped_pkcs12.len(),
        suppressed,
        baselined,
        statistics: check.statistics,
    };
    for (format, file) in outputs {
        let text = report::render(*format, &report, use_color(check.color, file.is_some()));
        match file {
            Some(path) => std::fs::write(path, text)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
            None => write_stdout(&text).map_err(|e| format!("cannot write output: {e}"))?,
        }
    }
    let threshold = match eff.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t));
    Ok(if failed { EXIT_FINDINGS } else { EXIT_CLEAN })
}
