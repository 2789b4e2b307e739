//! `edgelint rules` and `edgelint explain CODE|NAME`, over the built-in rules and those of the
//! configuration found from the working folder up.

use crate::config::Config;
use crate::filter::RuleSet;

use super::{working_folder, write_stdout, EXIT_CLEAN};

fn rule_set() -> Result<RuleSet, String> {
    let cwd = working_folder()?;
    let config = match crate::config::find(&cwd) {
        Some(p) => Config::load(&p, &cwd, false).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    RuleSet::load(&config, &cwd)
}

/// Every rule: code, name, default severity, summary.
pub fn list() -> Result<u8, String> {
    let set = rule_set()?;
    let mut text = String::new();
    for r in set.all() {
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
    Ok(EXIT_CLEAN)
}

/// One rule's documentation page.
pub fn explain(rule: &str) -> Result<u8, String> {
    let set = rule_set()?;
    let found = set
        .find(rule)
        .ok_or_else(|| format!("no rule named `{rule}` (see `edgelint rules`)"))?;
    // Every built-in rule has a page, and a rule pack's rule describes itself.
    let page = found
        .page()
        .map_or_else(|| format!("{}\n", found.meta().summary), |p| p.into_owned());
    let _ = write_stdout(&page);
    Ok(EXIT_CLEAN)
}
