//! `edgelint init [DIR]`: a commented starter topology, the configuration with its defaults,
//! the schema editors read, and `.gitignore` lines. Nothing is overwritten without `--force`;
//! `.gitignore` only gains the lines it lacks.

use std::path::{Path, PathBuf};

use crate::cli::InitArgs;

use super::EXIT_CLEAN;

const TOPOLOGY_TEMPLATE: &str = include_str!("init_template.yaml");
const CONFIG_TEMPLATE: &str = include_str!("init_config.toml");
const TOPOLOGY_FILE: &str = "topology.yaml";
const SCHEMA_FILE: &str = "schemas/topology-v1.json";
/// The first line of the starter topology: editors that use yaml-language-server read it.
const SCHEMA_LINE: &str = "# yaml-language-server: $schema=schemas/topology-v1.json";
/// Private keys stay out of the repository (K005 reports those that get in); the cache is
/// local to each machine.
const GITIGNORE_LINES: [&str; 2] = ["*.key", ".edgelint_cache/"];

/// The values a starter topology is filled with: the flags, or examples to replace.
struct Values {
    sip_domains: Vec<String>,
    pool_name: String,
    pool_fqdn: String,
    servers: Vec<String>,
    access_edge: String,
    web_conferencing_edge: String,
    av_edge: String,
    /// No flag named a value: the topology says its contoso values are examples.
    examples: bool,
}

impl Values {
    fn from_args(args: &InitArgs) -> Result<Values, String> {
        let names = args
            .sip_domain
            .iter()
            .chain(&args.server)
            .chain(args.pool_fqdn.iter())
            .chain(args.access_edge.iter())
            .chain(args.web_conferencing_edge.iter())
            .chain(args.av_edge.iter());
        for name in names {
            check_dns_name(name)?;
        }
        let sip_domains = if args.sip_domain.is_empty() {
            vec!["contoso.com".to_string()]
        } else {
            args.sip_domain
                .iter()
                .map(|d| d.to_ascii_lowercase())
                .collect()
        };
        let first = sip_domains[0].clone();
        let pool_fqdn = args
            .pool_fqdn
            .clone()
            .unwrap_or_else(|| format!("edgepool.corp.{first}"));
        let servers = if args.server.is_empty() {
            let internal = pool_fqdn.split_once('.').map_or(&*first, |(_, rest)| rest);
            vec![format!("edge01.{internal}")]
        } else {
            args.server.clone()
        };
        let or = |v: &Option<String>, host: &str| v.clone().unwrap_or(format!("{host}.{first}"));
        Ok(Values {
            examples: args.sip_domain.is_empty()
                && args.pool_fqdn.is_none()
                && args.server.is_empty()
                && args.access_edge.is_none(),
            pool_name: pool_fqdn.split('.').next().unwrap_or("edge").to_string(),
            access_edge: or(&args.access_edge, "sip"),
            web_conferencing_edge: or(&args.web_conferencing_edge, "webcon"),
            av_edge: or(&args.av_edge, "av"),
            sip_domains,
            pool_fqdn,
            servers,
        })
    }

    fn topology(&self) -> String {
        let list = |items: &[String], indent: &str| {
            items
                .iter()
                .map(|s| format!("{indent}- {s}"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let header = if self.examples {
            "The contoso values are examples: replace them with your deployment's"
        } else {
            "The names come from the command line; check them"
        };
        TOPOLOGY_TEMPLATE
            .replace("@HEADER@", header)
            .replace("@SIP_DOMAINS@", &list(&self.sip_domains, "  "))
            .replace("@FIRST_DOMAIN@", &self.sip_domains[0])
            .replace("@POOL_NAME@", &self.pool_name)
            .replace("@POOL_FQDN@", &self.pool_fqdn)
            .replace("@ACCESS_EDGE@", &self.access_edge)
            .replace("@WEBCONF_EDGE@", &self.web_conferencing_edge)
            .replace("@AV_EDGE@", &self.av_edge)
            .replace("@SERVERS@", &list(&self.servers, "      "))
    }
}

/// A DNS name as the topology takes it: letters, digits, `-` and `.`, so that the value needs
/// no quoting in YAML and cannot carry anything else into the file.
fn check_dns_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 253
        && name.contains('.')
        && name
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a DNS name (letters, digits, `-`, at least two labels separated by `.`)",
            name.escape_debug()
        ))
    }
}

/// The starter topology: imported from `--from`, or the template with the flags' values.
fn topology(args: &InitArgs) -> Result<String, String> {
    match &args.from {
        Some(file) => {
            let (text, _) = super::import::topology_text(file, None)?;
            Ok(format!("{SCHEMA_LINE}\n{text}"))
        }
        None => Ok(Values::from_args(args)?.topology()),
    }
}

pub fn run(args: &InitArgs) -> Result<u8, String> {
    let topology = topology(args)?;
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(dir.join("schemas"))
        .map_err(|e| format!("cannot create {}: {e}", dir.join("schemas").display()))?;
    let files = [
        (TOPOLOGY_FILE, topology),
        (crate::config::FILE_NAME, CONFIG_TEMPLATE.to_string()),
        (SCHEMA_FILE, crate::model::schema::json_schema_text()),
    ];
    let existing: Vec<&str> = files
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| dir.join(name).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(format!(
            "{} already exist{} in {}: nothing written (--force overwrites)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" },
            dir.display()
        ));
    }
    for (name, text) in &files {
        write(&dir.join(name), text)?;
        println!("wrote {}", dir.join(name).display());
    }
    if add_gitignore_lines(&dir.join(".gitignore"))? {
        println!(
            "added {} to {}",
            GITIGNORE_LINES.join(" and "),
            dir.join(".gitignore").display()
        );
    }
    let what = if args.from.is_some() {
        "fill in what the XML does not hold (the commented keys: certificates, NAT, ...) in"
    } else {
        "replace the example values in"
    };
    println!(
        "next: {what} {}, list your certificate files under `certificates`, then run: edgelint check {}",
        dir.join(TOPOLOGY_FILE).display(),
        dir.display()
    );
    Ok(EXIT_CLEAN)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Append the lines `.gitignore` lacks; whether anything was added.
fn add_gitignore_lines(path: &Path) -> Result<bool, String> {
    let current = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let missing: Vec<&str> = GITIGNORE_LINES
        .iter()
        .copied()
        .filter(|l| !current.lines().any(|c| c.trim() == *l))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    let mut text = current;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(
        "# edgelint: private keys stay out of the repository; the check cache is local\n",
    );
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    write(path, &text)?;
    Ok(true)
}
