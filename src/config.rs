//! `.edgelint.toml`: found from the checked path upwards (then the working folder), or named
//! with `--config`.
//! Command-line options override it. An invalid file fails the run (exit 2) with its location.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

use crate::cli::{CheckArgs, FailOn};
use crate::diagnostic::{Location, Severity};
use crate::selector::Selector;
use crate::source::LineIndex;

pub const FILE_NAME: &str = ".edgelint.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    expiry_warning_days: Option<Spanned<i64>>,
    exclude: Option<Vec<String>>,
    referenced_only: Option<bool>,
    ca_bundles: Option<Vec<Spanned<String>>>,
    public_roots: Option<Vec<Spanned<String>>>,
    rule_packs: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<String, Spanned<String>>>,
    per_path_ignores: Option<BTreeMap<String, Vec<Spanned<String>>>>,
}

/// A configuration error: the run stops with exit 2.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// A value the config names, with its place (for located errors).
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub value: String,
    pub span: Range<usize>,
}

/// A rule selector the config names, parsed, with its place (for E002).
#[derive(Debug, Clone, PartialEq)]
pub struct SelectorAt {
    pub selector: Selector,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The file, when one was read.
    pub path: Option<PathBuf>,
    pub display: Option<Arc<str>>,
    pub text: Option<Arc<str>>,
    pub select: Option<Vec<SelectorAt>>,
    pub ignore: Vec<SelectorAt>,
    pub fail_on: Option<String>,
    pub expiry_warning_days: Option<i64>,
    pub exclude: Vec<String>,
    pub referenced_only: Option<bool>,
    pub ca_bundles: Vec<PathBuf>,
    pub public_roots: Vec<PathBuf>,
    pub rule_packs: Vec<(PathBuf, Named)>,
    pub severity: Vec<(SelectorAt, Severity)>,
    /// (glob relative to the file's folder, selectors)
    pub per_path_ignores: Vec<(globset::GlobMatcher, Vec<SelectorAt>)>,
}

pub const FAIL_ON: [&str; 4] = ["error", "warning", "info", "never"];

pub fn parse_severity(s: &str) -> Option<Severity> {
    Severity::parse(s)
}

/// Does `path` (lexically normalised) stay inside `folder`, also once links are resolved?
fn stays_inside(path: &Path, folder: &Path) -> bool {
    let real = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    path.starts_with(folder) && real(path).starts_with(real(folder))
}

/// The nearest `.edgelint.toml` from `start` upwards.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// The configuration for a run over `paths`: the nearest one from the first path (its folder,
/// for a file), else from `cwd`. Paths whose nearest configuration is another are named on
/// stderr: one run has one configuration.
pub fn find_for_paths(paths: &[PathBuf], cwd: &Path) -> Option<PathBuf> {
    let nearest = |p: &PathBuf| {
        let p = crate::discover::normalize(&cwd.join(p));
        let start = if p.is_dir() { p.as_path() } else { p.parent()? };
        find(start)
    };
    let found: Vec<(&PathBuf, Option<PathBuf>)> = paths.iter().map(|p| (p, nearest(p))).collect();
    let chosen = match found.first() {
        Some((_, Some(c))) => Some(c.clone()),
        _ => find(cwd),
    };
    for (p, other) in &found {
        if other.is_some() && *other != chosen {
            eprintln!(
                "edgelint: warning: {} has its own configuration ({}), not used in this run: check it on its own",
                p.display(),
                other.as_ref().map(|o| crate::discover::display(o, cwd)).unwrap_or_default()
            );
        }
    }
    chosen
}

fn named(s: &Spanned<String>) -> Named {
    Named {
        value: s.get_ref().clone(),
        span: s.span(),
    }
}

fn selector(s: &Spanned<String>) -> SelectorAt {
    SelectorAt {
        selector: Selector::parse(s.get_ref()),
        span: s.span(),
    }
}

impl Config {
    /// Read a configuration file. `explicit`: named with `--config` (trusted, as the command
    /// line is); otherwise found in the checked tree, so the files it names (rule packs, CA
    /// bundles) must stay inside its folder: a pull request's configuration must not make
    /// edgelint read the rest of the machine.
    pub fn load(path: &Path, cwd: &Path, explicit: bool) -> Result<Config, ConfigError> {
        let path = crate::discover::normalize(path);
        let display = crate::discover::display(&path, cwd);
        let text =
            crate::read::read_text_limited(&path, crate::read::MAX_CONFIG_BYTES).map_err(|e| {
                ConfigError {
                    file: display.clone(),
                    line: 1,
                    column: 1,
                    message: format!("cannot read the configuration: {e}"),
                }
            })?;
        Config::from_text(&text, &path, &display, explicit)
    }

    /// A configuration from its text; `path` is where it lives (paths in it are relative to
    /// its folder), `display` the name errors give.
    pub fn from_text(
        text: &str,
        path: &Path,
        display: &str,
        explicit: bool,
    ) -> Result<Config, ConfigError> {
        let file = ConfigFile {
            text,
            display,
            lines: LineIndex::new(text),
            base: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            explicit,
        };
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| file.error(e.span(), e.message().trim().to_string()))?;
        let mut c = Config {
            path: Some(path.to_path_buf()),
            display: Some(Arc::from(display)),
            text: Some(Arc::from(text)),
            select: raw
                .select
                .as_ref()
                .map(|v| v.iter().map(selector).collect()),
            ignore: raw.ignore.iter().flatten().map(selector).collect(),
            exclude: raw.exclude.clone().unwrap_or_default(),
            referenced_only: raw.referenced_only,
            ca_bundles: file.paths(&raw.ca_bundles)?,
            public_roots: file.paths(&raw.public_roots)?,
            rule_packs: raw
                .rule_packs
                .iter()
                .flatten()
                .map(|p| file.inside(p).map(|path| (path, named(p))))
                .collect::<Result<_, _>>()?,
            ..Config::default()
        };
        c.fail_on = file.fail_on(raw.fail_on)?;
        c.expiry_warning_days = file.expiry_warning_days(raw.expiry_warning_days)?;
        c.severity = file.severity(raw.severity.unwrap_or_default())?;
        c.per_path_ignores = file.per_path_ignores(raw.per_path_ignores.unwrap_or_default())?;
        Ok(c)
    }

    /// Every selector the file names, for the unknown-code check (E002).
    pub fn selectors(&self) -> impl Iterator<Item = &SelectorAt> {
        self.select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.iter().map(|(n, _)| n))
            .chain(self.per_path_ignores.iter().flat_map(|(_, s)| s.iter()))
    }
}

impl Config {
    /// The configuration `check` reads: `--isolated` none, `--config FILE` that one, otherwise
    /// the nearest `.edgelint.toml` from the first checked path upwards (as ruff and eslint
    /// find theirs), then from the working folder up.
    pub fn for_run(check: &CheckArgs, cwd: &Path) -> Result<Config, String> {
        match (&check.config, check.isolated) {
            (_, true) => Ok(Config::default()),
            (Some(path), false) => Config::load(path, cwd, true).map_err(|e| e.to_string()),
            (None, false) => match find_for_paths(&check.paths, cwd) {
                Some(path) => Config::load(&path, cwd, false).map_err(|e| e.to_string()),
                None => Ok(Config::default()),
            },
        }
    }

    /// `file:line:col: ` of a byte offset of the file, for errors about its values.
    pub fn locate(&self, offset: usize) -> String {
        match (&self.display, &self.text) {
            (Some(d), Some(t)) => {
                let (l, c) = LineIndex::new(t).line_col(t, offset);
                format!("{d}:{l}:{c}: ")
            }
            _ => String::new(),
        }
    }

    /// A value of the file as a finding's location.
    pub fn location(&self, span: &Range<usize>) -> Option<Location> {
        let (display, text) = (self.display.as_ref()?, self.text.as_ref()?);
        Some(Location::in_text(
            display,
            text,
            &LineIndex::new(text),
            span.clone(),
        ))
    }
}

/// A configuration file being read: where its values are, and where its paths point.
struct ConfigFile<'t> {
    text: &'t str,
    display: &'t str,
    lines: LineIndex,
    base: PathBuf,
    explicit: bool,
}

impl ConfigFile<'_> {
    fn error(&self, span: Option<Range<usize>>, message: String) -> ConfigError {
        let (line, column) = span.map_or((1, 1), |s| self.lines.line_col(self.text, s.start));
        ConfigError {
            file: self.display.to_string(),
            line,
            column,
            message,
        }
    }

    /// A path of the file, which must stay inside its folder unless the file was named with
    /// `--config`.
    fn inside(&self, p: &Spanned<String>) -> Result<PathBuf, ConfigError> {
        let resolved = crate::discover::normalize(&self.base.join(p.get_ref()));
        if self.explicit || stays_inside(&resolved, &self.base) {
            return Ok(resolved);
        }
        Err(self.error(
            Some(p.span()),
            format!(
                "`{}` is outside the configuration's folder: a configuration found in the checked tree names only files inside its folder (use --config for one that does not)",
                crate::source::escape_controls(p.get_ref(), false)
            ),
        ))
    }

    fn paths(&self, list: &Option<Vec<Spanned<String>>>) -> Result<Vec<PathBuf>, ConfigError> {
        list.iter().flatten().map(|p| self.inside(p)).collect()
    }

    fn fail_on(&self, f: Option<Spanned<String>>) -> Result<Option<String>, ConfigError> {
        let Some(f) = f else { return Ok(None) };
        if !FAIL_ON.contains(&f.get_ref().as_str()) {
            return Err(self.error(
                Some(f.span()),
                format!(
                    "fail_on must be one of {}, not `{}`",
                    FAIL_ON.join(", "),
                    f.get_ref()
                ),
            ));
        }
        Ok(Some(f.into_inner()))
    }

    fn expiry_warning_days(&self, d: Option<Spanned<i64>>) -> Result<Option<i64>, ConfigError> {
        let Some(d) = d else { return Ok(None) };
        if *d.get_ref() < 0 {
            let message = "expiry_warning_days must be 0 or more".into();
            return Err(self.error(Some(d.span()), message));
        }
        Ok(Some(d.into_inner()))
    }

    fn severity(
        &self,
        table: BTreeMap<String, Spanned<String>>,
    ) -> Result<Vec<(SelectorAt, Severity)>, ConfigError> {
        let mut out = Vec::new();
        for (selector, level) in table {
            let Some(sev) = parse_severity(level.get_ref()) else {
                return Err(self.error(
                    Some(level.span()),
                    format!(
                        "severity must be error, warning or info, not `{}`",
                        level.get_ref()
                    ),
                ));
            };
            // Table keys carry no span of their own: point at the value.
            let at = SelectorAt {
                selector: Selector::parse(&selector),
                span: level.span(),
            };
            out.push((at, sev));
        }
        Ok(out)
    }

    /// `[per_path_ignores]`: globs relative to the file's folder.
    fn per_path_ignores(
        &self,
        table: BTreeMap<String, Vec<Spanned<String>>>,
    ) -> Result<Vec<(globset::GlobMatcher, Vec<SelectorAt>)>, ConfigError> {
        let mut out = Vec::new();
        for (glob, selectors) in table {
            let pattern = self.base.join(&glob);
            let matcher = globset::GlobBuilder::new(&pattern.to_string_lossy())
                .literal_separator(true)
                .build()
                .map_err(|e| {
                    self.error(
                        selectors.first().map(|s| s.span()),
                        format!("invalid glob `{glob}` in per_path_ignores: {e}"),
                    )
                })?
                .compile_matcher();
            out.push((matcher, selectors.iter().map(selector).collect()));
        }
        Ok(out)
    }
}

/// The command line and the configuration file, merged: the command line wins; its
/// `--ignore` adds to the file's; its `--select` replaces the file's.
pub struct Resolved {
    pub config: Config,
    /// Each selector with where it was written (`None`: the command line).
    pub select: Vec<(Selector, Option<Location>)>,
    pub ignore: Vec<(Selector, Option<Location>)>,
    pub fail_on: FailOn,
    pub expiry_warning_days: i64,
    pub exclude: Vec<String>,
    pub referenced_only: bool,
}

impl Resolved {
    pub fn new(check: &CheckArgs, cwd: &Path) -> Result<Resolved, String> {
        let config = Config::for_run(check, cwd)?;
        let from_file = |list: &[SelectorAt]| -> Vec<(Selector, Option<Location>)> {
            list.iter()
                .map(|n| (n.selector.clone(), config.location(&n.span)))
                .collect()
        };
        let from_cli = |list: &[String]| -> Vec<(Selector, Option<Location>)> {
            list.iter().map(|s| (Selector::parse(s), None)).collect()
        };
        let select = if check.select.is_empty() {
            from_file(config.select.as_deref().unwrap_or(&[]))
        } else {
            from_cli(&check.select)
        };
        let mut ignore = from_file(&config.ignore);
        ignore.extend(from_cli(&check.ignore));
        let fail_on = match (check.fail_on, config.fail_on.as_deref()) {
            (Some(f), _) => f,
            (None, Some("warning")) => FailOn::Warning,
            (None, Some("info")) => FailOn::Info,
            (None, Some("never")) => FailOn::Never,
            _ => FailOn::Error,
        };
        let mut exclude = config.exclude.clone();
        exclude.extend(check.exclude.iter().cloned());
        Ok(Resolved {
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

    /// Every selector of the run with its place (the command line when not in the file), for
    /// the unknown-code check.
    pub fn selectors(&self) -> impl Iterator<Item = (Location, &Selector)> {
        let cli = || Location::start_of_file(&std::sync::Arc::from(COMMAND_LINE));
        let merged = self
            .select
            .iter()
            .chain(&self.ignore)
            .map(move |(s, l)| (l.clone().unwrap_or_else(cli), s));
        let file_only = self
            .config
            .selectors()
            .filter_map(|n| self.config.location(&n.span).map(|l| (l, &n.selector)));
        merged.chain(file_only)
    }
}

/// Where findings about the command line point.
pub const COMMAND_LINE: &str = "<command line>";

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("edgelint-config-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn unknown_keys_are_located_errors() {
        let p = write("unknown", "select = [\"N\"]\nselet = [\"K\"]\n");
        let e = Config::load(&p, Path::new("/"), false).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1), "{e}");
        assert!(e.message.contains("unknown field `selet`"), "{e}");
    }

    #[test]
    fn bad_values_are_located_errors() {
        let p = write("badsev", "[severity]\nN003 = \"fatal\"\n");
        let e = Config::load(&p, Path::new("/"), false).unwrap_err();
        assert_eq!((e.line, e.column), (2, 8), "{e}");
        let p = write("badfail", "fail_on = \"sometimes\"\n");
        assert!(Config::load(&p, Path::new("/"), false)
            .unwrap_err()
            .message
            .contains("fail_on"));
    }

    #[test]
    fn a_valid_file_reads() {
        let p = write(
            "valid",
            "select = [\"N\", \"K001\"]\nignore = [\"N004\"]\nfail_on = \"warning\"\nexpiry_warning_days = 45\n[severity]\nN003 = \"error\"\n[per_path_ignores]\n\"legacy/**\" = [\"C004\"]\n",
        );
        let c = Config::load(&p, Path::new("/"), false).unwrap();
        assert_eq!(c.select.unwrap().len(), 2);
        assert_eq!(c.fail_on.as_deref(), Some("warning"));
        assert_eq!(c.expiry_warning_days, Some(45));
        assert_eq!(c.severity[0].1, Severity::Error);
        assert!(c.per_path_ignores[0]
            .0
            .is_match(p.parent().unwrap().join("legacy/a/topology.yaml")));
    }
}
