//! `edgelint check`: the pipeline, discover → load → derive → check → filter → report.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cache::Cache;
use crate::cli::{CheckArgs, Color, FailOn};
use crate::config::Resolved;
use crate::diagnostic::{Diagnostic, Severity};
use crate::filter::{self, Baseline, Filtered, RuleSet};
use crate::model::Repository;
use crate::report::{self, Format};
use crate::{derive, discover, load, rules};

use super::{working_folder, EXIT_CLEAN, EXIT_FINDINGS};

/// What a run found: the model, what each server has, and the reported findings.
pub struct Analysis {
    pub cwd: PathBuf,
    pub resolved: Resolved,
    pub rule_set: RuleSet,
    pub repo: Repository,
    pub filtered: Filtered,
}

pub fn run(check: &CheckArgs, outputs: &[(Format, Option<PathBuf>)]) -> Result<u8, String> {
    let a = analyze(check)?;
    if let (Some((findings, entries)), Some(path)) = (a.filtered.recorded, &check.write_baseline) {
        eprintln!(
            "edgelint: recorded {findings} finding{} ({entries} entries) in {}",
            if findings == 1 { "" } else { "s" },
            path.display()
        );
    }
    write_reports(
        check,
        outputs,
        &a.filtered,
        &a.repo,
        &a.resolved,
        &a.rule_set,
    )?;
    let code = exit_code(&a.filtered.diagnostics, a.resolved.fail_on);
    // The process ends here: freeing the model and the findings one allocation at a time
    // took longer than writing the report on large repositories.
    std::mem::forget(a);
    Ok(code)
}

/// Topology texts that stand in for the files on disk, by normalised absolute path: an
/// editor's unsaved buffers, or standard input named by `--stdin-filename`.
pub type Buffers = BTreeMap<PathBuf, Arc<str>>;

/// discover → load → derive → check → filter, as `check` runs them (also for `plan`).
pub fn analyze(check: &CheckArgs) -> Result<Analysis, String> {
    let cwd = working_folder()?;
    match &check.stdin_filename {
        Some(name) => {
            let (check, buffers) = stdin_buffer(check, name, &cwd)?;
            analyze_in(&check, &cwd, &buffers)
        }
        None if check.paths.iter().any(|p| p.as_os_str() == "-") => Err(
            "`-` reads a topology from standard input: name the file it stands for with --stdin-filename PATH"
                .into(),
        ),
        None => analyze_in(check, &cwd, &Buffers::new()),
    }
}

/// The pipeline in the folder `cwd` (paths are shown relative to it), with `buffers` read
/// instead of those files on disk: what `check` would print if the buffers were saved.
pub fn analyze_in(check: &CheckArgs, cwd: &Path, buffers: &Buffers) -> Result<Analysis, String> {
    let cwd = cwd.to_path_buf();
    let resolved = Resolved::new(check, &cwd)?;
    let rule_set = RuleSet::load(&resolved.config, &cwd)?;
    let cache = cache_dir(check, &resolved, &cwd);
    let (repo, plan) = read_inputs(check, &resolved, &cwd, buffers, cache.as_deref())?;
    // The chain links verified by earlier runs, and after the rules the ones this run used.
    if let Some(dir) = &cache {
        derive::chain::remember_links(crate::cache::links::read(dir));
    }
    let filtered = check_and_filter(check, &resolved, &rule_set, &repo, plan, &cwd)?;
    if let Some(dir) = &cache {
        let (used, learned) = derive::chain::links_used();
        if learned {
            crate::cache::links::write(dir, &used);
        }
    }
    Ok(Analysis {
        cwd,
        resolved,
        rule_set,
        repo,
        filtered,
    })
}

fn check_and_filter(
    check: &CheckArgs,
    resolved: &Resolved,
    rule_set: &RuleSet,
    repo: &Repository,
    plan: derive::Plan,
    cwd: &Path,
) -> Result<Filtered, String> {
    let select: Vec<_> = resolved.select.iter().map(|(s, _)| s).collect();
    let ignore: Vec<_> = resolved.ignore.iter().map(|(s, _)| s).collect();
    let selected = rule_set.select(&select, &ignore);
    let suppressions = repo.topologies.iter().flat_map(|t| {
        t.suppressions.iter().flat_map(move |s| {
            s.selectors
                .iter()
                .map(move |(sel, span)| (t.loc(span), sel))
        })
    });
    let settings = rules::Settings {
        now: check.now.unwrap_or_else(time::OffsetDateTime::now_utc),
        expiry_warning_days: resolved.expiry_warning_days,
        unknown_selectors: rule_set.unknown(resolved.selectors().chain(suppressions)),
    };
    let cx = rules::Context::new(repo, &plan, &settings);
    let found = rules::check(&cx, &selected);
    let baseline = match (&check.write_baseline, &check.baseline) {
        (Some(path), _) => Baseline::Write(path),
        (None, Some(path)) => Baseline::Apply(path),
        (None, None) => Baseline::None,
    };
    // Identities are for baselines and SARIF fingerprints; other reports never show them.
    let identities = check.format.contains(&Format::Sarif);
    // The views the rules shared, and the plan, are freed beside filtering, not before it.
    let filtered = std::thread::scope(|s| {
        s.spawn(move || drop(cx));
        filter::apply(
            found,
            repo,
            &selected,
            &resolved.config,
            cwd,
            baseline,
            identities,
        )
    });
    crate::parallel::drop_later(plan);
    filtered
}

/// `--stdin-filename PATH`: standard input as PATH's text, and the paths with `-` (or no path
/// at all) read as PATH.
fn stdin_buffer(
    check: &CheckArgs,
    name: &Path,
    cwd: &Path,
) -> Result<(CheckArgs, Buffers), String> {
    let path = discover::normalize(&cwd.join(name));
    if !discover::YAML_EXTENSIONS
        .iter()
        .any(|e| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e)))
    {
        return Err(format!(
            "--stdin-filename names a topology file (.yaml or .yml), not {}",
            name.display()
        ));
    }
    let text = crate::read::read_stdin_text(load::MAX_TOPOLOGY_BYTES)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let mut check = check.clone();
    if check.paths.is_empty() {
        check.paths.push(name.to_path_buf());
    }
    for p in &mut check.paths {
        if p.as_os_str() == "-" {
            *p = name.to_path_buf();
        }
    }
    Ok((check, Buffers::from([(path, Arc::from(text))])))
}

/// The paths to walk and the candidates they yield, with the buffers that are not on disk
/// (a new file not saved yet) added where a path names them or a walked folder holds them.
fn discover_with_buffers(
    paths: &[PathBuf],
    opts: &discover::DiscoverOptions,
    cwd: &Path,
    buffers: &Buffers,
    met: &mut dyn FnMut(&discover::Candidate),
) -> Result<discover::Discovery, String> {
    let absolute = |p: &PathBuf| discover::normalize(&cwd.join(p));
    let (unsaved, on_disk): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .iter()
        .partition(|p| buffers.contains_key(&absolute(p)) && !absolute(p).exists());
    let on_disk: Vec<PathBuf> = on_disk.into_iter().cloned().collect();
    let mut discovery = discover::discover_each(&on_disk, opts, met)?;
    let known: std::collections::BTreeSet<PathBuf> = discovery
        .candidates
        .iter()
        .map(|c| c.path().to_path_buf())
        .collect();
    for p in unsaved {
        discovery.candidates.push(discover::Candidate::Yaml {
            path: absolute(p),
            explicit: true,
        });
    }
    let folders: Vec<PathBuf> = on_disk
        .iter()
        .map(absolute)
        .filter(|p| p.is_dir())
        .collect();
    for path in buffers.keys() {
        if !known.contains(path) && !path.exists() && folders.iter().any(|f| path.starts_with(f)) {
            discovery.candidates.push(discover::Candidate::Yaml {
                path: path.clone(),
                explicit: false,
            });
        }
    }
    // The buffers added are not on disk: no real path to compare.
    discover::sort_and_dedup(&mut discovery.candidates, false);
    Ok(discovery)
}

/// discover → load: the repository model of the paths given.
fn read_inputs(
    check: &CheckArgs,
    resolved: &Resolved,
    cwd: &Path,
    buffers: &Buffers,
    cache: Option<&Path>,
) -> Result<(Repository, derive::Plan), String> {
    let paths = if check.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        check.paths.clone()
    };
    let opts = discover::DiscoverOptions {
        exclude: resolved.exclude.clone(),
    };
    let load_opts = load::LoadOptions {
        referenced_only: resolved.referenced_only,
        extra_ca_bundles: resolved.config.ca_bundles.clone(),
        extra_public_roots: resolved.config.public_roots.clone(),
        buffers: buffers.clone(),
        cache: cache.map(|d| Arc::new(Cache::new(d.to_path_buf()))),
    };
    // Topologies are loaded as the walk meets them, on the cores the walk leaves idle.
    let (discovery, early) = crate::parallel::overlapped(
        |hand| {
            discover_with_buffers(&paths, &opts, cwd, buffers, &mut |c| {
                if let discover::Candidate::Yaml { path, explicit } = c {
                    hand((path.clone(), *explicit));
                }
            })
        },
        |(path, explicit)| load::topology_candidate(path, *explicit, cwd, &load_opts),
    );
    // What each pool and server needs is derived from the topologies while certificates load.
    let (repo, plan) = load::load(&discovery?, cwd, &load_opts, early, |topologies| {
        derive::Plan::of_topologies(topologies)
    });
    // The cache's indexes are no longer needed (the cache was written as loading ended).
    crate::parallel::drop_later(load_opts);
    if repo.topologies.is_empty() && repo.files.is_empty() {
        eprintln!("edgelint: {}", discover::explain_empty(&paths, &opts));
        if check.require_files {
            return Err("nothing was checked (--require-files)".into());
        }
    }
    Ok((repo, plan))
}

/// Where the cache is kept: `--cache-dir`, `EDGELINT_CACHE_DIR`, else `.edgelint_cache` in
/// the configuration file's folder, else in the working folder when the checked paths are in
/// it, else in the first checked folder. `None` with `--no-cache` or `EDGELINT_NO_CACHE`.
fn cache_dir(check: &CheckArgs, resolved: &Resolved, cwd: &Path) -> Option<PathBuf> {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if check.no_cache || set("EDGELINT_NO_CACHE").is_some_and(|v| v != "0") {
        return None;
    }
    if let Some(dir) = check
        .cache_dir
        .clone()
        .or_else(|| set("EDGELINT_CACHE_DIR").map(PathBuf::from))
    {
        return Some(cwd.join(dir));
    }
    let root = match (&resolved.config.path, check.paths.first()) {
        (Some(config), _) => config
            .parent()
            .map_or_else(|| cwd.to_path_buf(), |p| cwd.join(p)),
        (None, Some(first)) => {
            let first = discover::normalize(&cwd.join(first));
            let folder = if first.is_dir() {
                first
            } else {
                first
                    .parent()
                    .map_or_else(|| cwd.to_path_buf(), Path::to_path_buf)
            };
            if folder.starts_with(cwd) {
                cwd.to_path_buf()
            } else {
                folder
            }
        }
        (None, None) => cwd.to_path_buf(),
    };
    Some(root.join(crate::cache::DIR_NAME))
}

fn write_reports(
    check: &CheckArgs,
    outputs: &[(Format, Option<PathBuf>)],
    filtered: &Filtered,
    repo: &Repository,
    resolved: &Resolved,
    rule_set: &RuleSet,
) -> Result<(), String> {
    let xml = repo.topologies.iter().filter_map(|t| t.xml.as_ref());
    let mut sources: BTreeMap<Arc<str>, Arc<str>> = repo
        .topologies
        .iter()
        .map(|t| (t.display.clone(), t.text.clone()))
        .chain(xml.map(|x| (x.display.clone(), x.text.clone())))
        .collect();
    if let (Some(d), Some(t)) = (&resolved.config.display, &resolved.config.text) {
        sources.insert(d.clone(), t.clone());
    }
    let infos = rule_set.infos();
    let report = report::Report {
        diagnostics: &filtered.diagnostics,
        rules: &infos,
        sources: &sources,
        files: repo.file_count(),
        skipped: repo.skipped_pkcs12.len(),
        suppressed: filtered.suppressed,
        baselined: filtered.baselined,
        recorded: filtered.recorded.map(|(findings, _)| findings),
        statistics: check.statistics,
    };
    for (format, file) in outputs {
        let color = use_color(check.color, file.is_some());
        let write = |out: &mut dyn Write| -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(out);
            report::write(*format, &report, color, &mut out)?;
            out.flush()
        };
        match file {
            Some(path) => std::fs::File::create(path)
                .and_then(|mut f| write(&mut f))
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
            // A closed pipe (`edgelint ... | head`) is not an error of ours.
            None => match write(&mut std::io::stdout().lock()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(format!("cannot write output: {e}"))
                }
                _ => {}
            },
        }
    }
    Ok(())
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

/// The lowest severity that fails a run; `None` for `--fail-on never`.
pub fn failing_severity(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

/// 1 when a finding is at or above the failing severity, else 0.
pub fn exit_code(diagnostics: &[Diagnostic], fail_on: FailOn) -> u8 {
    let threshold = failing_severity(fail_on);
    let failed = threshold.is_some_and(|t| diagnostics.iter().any(|d| d.severity >= t));
    if failed {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
