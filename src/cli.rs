//! The command line (output.md "Commands" and "Options every integration needs").

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::plan::PlanFormat;
use crate::report::Format;

#[derive(Debug, Parser)]
#[command(
    name = "edgelint",
    version,
    about = "Lint Lync Server 2013 / Skype for Business Edge Server certificate plans",
    args_conflicts_with_subcommands = true,
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `edgelint [PATH ...]` is `edgelint check [PATH ...]`.
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk PATHs, read topology and certificate files, apply the rules, print findings.
    Check(Box<CheckArgs>),
    /// The certificates each topology needs, per pool and role, what the repository has for
    /// each, and (with --emit) the requests that produce them.
    Plan(Box<PlanArgs>),
    /// List every rule: code, name, default severity, summary.
    Rules,
    /// Print one rule's documentation.
    Explain {
        /// A rule code (N001) or name (san-missing-access-edge).
        rule: String,
    },
    /// Print the JSON Schema of the topology file format, for editors (yaml-language-server).
    Schema {
        /// Write it to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Start a repository: a commented starter topology, .edgelint.toml, the schema for
    /// editors and .gitignore lines. Nothing is overwritten without --force.
    Init(InitArgs),
    /// Write a topology file (format v1) from a Topology Builder document (.tbxml) or a
    /// published topology (Get-CsTopology -AsXml).
    Import(ImportArgs),
    /// Start the language server (LSP 3.17 on standard input and output) for editors:
    /// findings as you type, hover on certificate paths, code actions, completion.
    Server(ServerArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man {
        /// Write edgelint.1 and one page per subcommand (edgelint-check.1, ...) to DIR instead.
        #[arg(long, value_name = "DIR")]
        output_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Args, Default)]
pub struct InitArgs {
    /// The folder to write into [default: .]; created when missing.
    pub dir: Option<PathBuf>,
    /// A SIP domain (repeat for each; the first is the default SIP domain).
    #[arg(long, value_name = "DOMAIN")]
    pub sip_domain: Vec<String>,
    /// The Edge pool's internal FQDN, as Topology Builder shows it.
    #[arg(long, value_name = "FQDN")]
    pub pool_fqdn: Option<String>,
    /// An Edge Server's FQDN (repeat for each server of the pool).
    #[arg(long, value_name = "FQDN")]
    pub server: Vec<String>,
    /// The Access Edge's external FQDN [default: sip.<first SIP domain>].
    #[arg(long, value_name = "FQDN")]
    pub access_edge: Option<String>,
    /// The Web Conferencing Edge's external FQDN [default: webcon.<first SIP domain>].
    #[arg(long, value_name = "FQDN")]
    pub web_conferencing_edge: Option<String>,
    /// The A/V Edge's external FQDN [default: av.<first SIP domain>].
    #[arg(long, value_name = "FQDN")]
    pub av_edge: Option<String>,
    /// Take the pools, servers, FQDNs and SIP domains from a Topology Builder document
    /// (.tbxml) or published topology (XML), as `edgelint import` does, instead of the flags.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["sip_domain", "pool_fqdn", "server", "access_edge", "web_conferencing_edge", "av_edge"])]
    pub from: Option<PathBuf>,
    /// Overwrite topology.yaml, .edgelint.toml and the schema when they exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The Topology Builder document (.tbxml) or published topology (XML) to read.
    pub file: PathBuf,
    /// Write the topology file to OUT.yaml instead of standard output.
    #[arg(short = 'o', long, value_name = "OUT.yaml")]
    pub output: Option<PathBuf>,
    /// Overwrite OUT.yaml when it exists.
    #[arg(long, requires = "output")]
    pub force: bool,
}

/// `edgelint server`: each workspace folder is checked as `edgelint check FOLDER` would be.
#[derive(Debug, Clone, Args, Default)]
pub struct ServerArgs {
    /// Evaluate every date rule at this instant (RFC 3339) instead of the clock.
    #[arg(long, value_parser = parse_now, value_name = "TIMESTAMP")]
    pub now: Option<OffsetDateTime>,

    /// Configuration file for every folder [default: the nearest .edgelint.toml from each workspace folder up]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Read no configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Neither read nor write the cache of certificate facts (also EDGELINT_NO_CACHE=1).
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    /// Files or folders to check [default: .]
    pub paths: Vec<PathBuf>,

    /// Output format; repeat it with --output-file to feed several consumers from one run.
    #[arg(long, value_enum)]
    pub format: Vec<Format>,

    /// Write the preceding --format to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Vec<PathBuf>,

    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Option<Color>,

    /// Evaluate every date rule at this instant (RFC 3339) instead of the clock.
    #[arg(long, value_parser = parse_now, value_name = "TIMESTAMP")]
    pub now: Option<OffsetDateTime>,

    /// Only these rules: codes, names or prefixes (N, R00), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Skip these rules: codes, names or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// The lowest severity that makes the run fail (exit 1) [default: error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Configuration file [default: the nearest .edgelint.toml from the first checked path up, then from the working folder up]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Read no configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Leave out paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Hide the findings recorded in this baseline file; fail only on new ones.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record every current finding in this baseline file (then they count as baselined).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Print how many findings each rule made instead of the findings (human and concise).
    #[arg(long)]
    pub statistics: bool,

    /// Check only certificate files that a topology names (skip the others found by the walk).
    #[arg(long)]
    pub referenced_only: bool,

    /// Fail (exit 2) when no topology or certificate file was read (a CI job that checks
    /// nothing must not pass).
    #[arg(long)]
    pub require_files: bool,

    /// V003's window: warn about certificates expiring within this many days [default: 30]
    #[arg(long, value_name = "DAYS")]
    pub expiry_warning_days: Option<i64>,

    /// Read the topology file PATH from standard input (an editor's unsaved buffer); `-` among
    /// the paths (or no path) stands for it.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Neither read nor write the cache of certificate facts (also EDGELINT_NO_CACHE=1).
    #[arg(long)]
    pub no_cache: bool,

    /// Keep the cache of certificate facts in DIR (also EDGELINT_CACHE_DIR) [default:
    /// .edgelint_cache in the configuration file's folder, else the working folder]
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
}

/// `edgelint plan`: `check`'s discovery, configuration and rule options, and the plan's outputs.
#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// Files or folders to read [default: .]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: PlanFormat,

    /// Write the request files of each missing or defective certificate into DIR
    /// (<deployment>-<pool>-<role>.ps1, .cnf, .inf).
    #[arg(long, value_name = "DIR")]
    pub emit: Option<PathBuf>,

    /// With --emit: write the request files of every needed certificate.
    #[arg(long, requires = "emit")]
    pub all: bool,

    /// With --emit: overwrite files that exist.
    #[arg(long, requires = "emit")]
    pub force: bool,

    /// Write the timeline of every certificate assignment to FILE (SVG).
    #[arg(long, value_name = "FILE")]
    pub timeline: Option<PathBuf>,

    /// Write a self-contained HTML report (tables, timeline, findings) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Evaluate every date rule at this instant (RFC 3339) instead of the clock.
    #[arg(long, value_parser = parse_now, value_name = "TIMESTAMP")]
    pub now: Option<OffsetDateTime>,

    /// Only these rules: codes, names or prefixes (N, R00), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Skip these rules: codes, names or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// The lowest severity that makes a certificate defective and the run fail (exit 1)
    /// [default: error]
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,

    /// Configuration file [default: the nearest .edgelint.toml from the working folder up]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Read no configuration file.
    #[arg(long, conflicts_with = "config")]
    pub isolated: bool,

    /// Leave out paths matching this gitignore-style glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Hide the findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Read only certificate files that a topology names.
    #[arg(long)]
    pub referenced_only: bool,

    /// Fail (exit 2) when no topology or certificate file was read.
    #[arg(long)]
    pub require_files: bool,

    /// V003's window: warn about certificates expiring within this many days [default: 30]
    #[arg(long, value_name = "DAYS")]
    pub expiry_warning_days: Option<i64>,

    /// Neither read nor write the cache of certificate facts (also EDGELINT_NO_CACHE=1).
    #[arg(long)]
    pub no_cache: bool,

    /// Keep the cache of certificate facts in DIR (also EDGELINT_CACHE_DIR) [default:
    /// .edgelint_cache in the configuration file's folder, else the working folder]
    #[arg(long, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache_dir: Option<PathBuf>,
}

impl PlanArgs {
    /// The options `check`'s pipeline reads, as `check` would get them.
    pub fn check_args(&self) -> CheckArgs {
        CheckArgs {
            paths: self.paths.clone(),
            now: self.now,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            fail_on: self.fail_on,
            config: self.config.clone(),
            isolated: self.isolated,
            exclude: self.exclude.clone(),
            baseline: self.baseline.clone(),
            referenced_only: self.referenced_only,
            require_files: self.require_files,
            expiry_warning_days: self.expiry_warning_days,
            no_cache: self.no_cache,
            cache_dir: self.cache_dir.clone(),
            ..CheckArgs::default()
        }
    }
}

pub fn parse_now(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| format!("expected an RFC 3339 timestamp such as 2026-11-26T12:00:00Z ({e})"))
}
