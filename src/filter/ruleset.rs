//! The rules of a run: the built-in ones and the configuration's rule packs, owned here (no
//! leaked boxes), and the one place selectors are resolved to rules.

use std::path::Path;

use crate::config::Config;
use crate::diagnostic::{Location, RuleInfo};
use crate::rules::templates::TemplateRule;
use crate::rules::{pack, registry, Rule, UnknownSelector};
use crate::selector::Selector;

#[derive(Default)]
pub struct RuleSet {
    packs: Vec<TemplateRule>,
}

impl RuleSet {
    /// The built-in rules and those of the configuration's rule packs. A pack that cannot be
    /// read or parsed, or a code already taken, fails the run with its location.
    pub fn load(config: &Config, cwd: &Path) -> Result<RuleSet, String> {
        let mut set = RuleSet::default();
        let mut errors = Vec::new();
        for (path, named) in &config.rule_packs {
            let display = crate::discover::display(path, cwd);
            let text = match crate::read::read_text_limited(path, crate::read::MAX_RULE_PACK_BYTES)
            {
                Ok(t) => t,
                Err(e) => {
                    let at = config.locate(named.span.start);
                    errors.push(format!("{at}cannot read rule pack {display}: {e}"));
                    continue;
                }
            };
            match pack::parse(&text, &display, false) {
                Ok(rules) => {
                    for r in rules {
                        if set.find_code(&r.meta.code).is_some() {
                            errors.push(format!(
                                "{display}: rule code {} is already taken",
                                r.meta.code
                            ));
                        } else {
                            set.packs.push(r);
                        }
                    }
                }
                Err(e) => errors.extend(e.iter().map(|e| e.to_string())),
            }
        }
        if errors.is_empty() {
            Ok(set)
        } else {
            Err(format!("invalid rule pack:\n{}", errors.join("\n")))
        }
    }

    /// Every rule, in catalog order (built-in families, then the packs' X codes).
    pub fn all(&self) -> Vec<&dyn Rule> {
        let mut all: Vec<&dyn Rule> = registry().to_vec();
        all.extend(self.packs.iter().map(|r| r as &dyn Rule));
        all
    }

    fn find_code(&self, code: &str) -> Option<&dyn Rule> {
        self.all()
            .into_iter()
            .find(|r| r.meta().code.eq_ignore_ascii_case(code))
    }

    /// A rule by code or name (in any case).
    pub fn find(&self, code_or_name: &str) -> Option<&dyn Rule> {
        self.all().into_iter().find(|r| {
            r.meta().code.eq_ignore_ascii_case(code_or_name)
                || r.meta().name.eq_ignore_ascii_case(code_or_name)
        })
    }

    /// The rules `select` (all when empty) picks and `ignore` does not.
    pub fn select<'a>(&'a self, select: &[&Selector], ignore: &[&Selector]) -> Vec<&'a dyn Rule> {
        self.all()
            .into_iter()
            .filter(|r| {
                let m = r.meta();
                (select.is_empty() || select.iter().any(|s| s.matches(&m.code, &m.name)))
                    && !ignore.iter().any(|s| s.matches(&m.code, &m.name))
            })
            .collect()
    }

    /// Does a selector name a rule of this set?
    pub fn knows(&self, s: &Selector) -> bool {
        self.all()
            .iter()
            .any(|r| s.matches(&r.meta().code, &r.meta().name))
    }

    /// The selectors that name no rule of this set (E002's input), each once per place.
    pub fn unknown<'s>(
        &self,
        selectors: impl Iterator<Item = (Location, &'s Selector)>,
    ) -> Vec<UnknownSelector> {
        let all = self.all();
        let names: Vec<&str> = all
            .iter()
            .flat_map(|r| [&*r.meta().code, &*r.meta().name])
            .collect();
        let mut out: Vec<UnknownSelector> = Vec::new();
        for (location, s) in selectors {
            if self.knows(s)
                || out
                    .iter()
                    .any(|u| u.location == location && u.text == s.text)
            {
                continue;
            }
            out.push(UnknownSelector {
                location,
                text: s.text.clone(),
                suggestion: crate::load::did_you_mean(&s.text, &names).map(str::to_string),
            });
        }
        out
    }

    /// What reporters need to know of the rules: metadata and documentation pages.
    pub fn infos(&self) -> Vec<RuleInfo<'_>> {
        self.all()
            .into_iter()
            .map(|r| RuleInfo {
                meta: r.meta(),
                page: r.page(),
                url: crate::rules::doc(&r.meta().code)
                    .map(|_| format!("{}{}.md", crate::rules::DOCS_URL, r.meta().code)),
            })
            .collect()
    }
}
