//! `--html FILE.html`: one self-contained page (inline CSS and SVG, no script, no network
//! resource; a Content-Security-Policy forbids any) with the plan tables, the timeline and
//! the findings of each certificate.

use super::svg::{self, xml};
use super::{day, Assignment, CertificatePlan, Need, TopologyPlan};

const STYLE: &str = "\
body{font:14px/1.45 system-ui,sans-serif;color:#1f2328;margin:24px;max-width:1240px}
h1{font-size:24px;margin:0 0 8px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #d1d9e0}
h3{font-size:16px;margin:20px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #d1d9e0;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f6f8fa}
code{font:12px ui-monospace,monospace}
.ok{color:#1a7f37;font-weight:bold}
.defective{color:#cf222e;font-weight:bold}
.missing{color:#9a6700;font-weight:bold}
.sev-error{color:#cf222e}.sev-warning{color:#9a6700}.sev-info{color:#0969da}
.summary{font-size:16px}
";

pub fn render(plan: &CertificatePlan) -> String {
    let s = plan.summary();
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Edge certificate plan</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>Edge certificate plan</h1>\n<p class=\"summary\">{} certificates needed: <span class=\"ok\">{} ok</span>, <span class=\"defective\">{} defective</span>, <span class=\"missing\">{} missing</span>; evaluated at {}.</p>\n",
        s.needed,
        s.ok,
        s.defective,
        s.missing,
        xml(&day(plan.now))
    );
    for t in &plan.topologies {
        out.push_str(&topology(t));
    }
    if !plan.unplanned.is_empty() {
        out.push_str("<h2>Not planned</h2>\n<p>These topology files have errors; <code>edgelint check</code> shows them.</p>\n<ul>\n");
        for f in &plan.unplanned {
            out.push_str(&format!("<li><code>{}</code></li>\n", xml(f)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<h2>Timeline</h2>\n");
    out.push_str(&svg::render(plan));
    out.push_str("<h2>Findings per certificate</h2>\n");
    out.push_str(&findings(plan));
    out.push_str("</body>\n</html>\n");
    out
}

fn topology(t: &TopologyPlan) -> String {
    let mut out = match &t.deployment {
        Some(d) => format!(
            "<h2>{} <small><code>{}</code></small></h2>\n",
            xml(d),
            xml(&t.topology)
        ),
        None => format!("<h2><code>{}</code></h2>\n", xml(&t.topology)),
    };
    for (pool, needs) in t.groups() {
        out.push_str(&match pool {
            Some(p) => format!(
                "<h3>Pool {}</h3>\n<p>Servers: {}. The same certificate and key on each.</p>\n",
                xml(p),
                xml(&needs[0].servers.join(", "))
            ),
            None => "<h3>Reverse proxy</h3>\n<p>Requested on the reverse proxy itself, not on a Lync server.</p>\n".to_string(),
        });
        out.push_str("<table>\n<tr><th>Role</th><th>Subject</th><th>SAN</th><th>Key</th><th>Uses</th><th>In the repository</th><th>Status</th></tr>\n");
        for n in needs {
            out.push_str(&row(n));
        }
        out.push_str("</table>\n");
    }
    out
}

fn row(n: &Need) -> String {
    let r = &n.request;
    let san = if r.san.is_empty() {
        "none needed".to_string()
    } else {
        r.san
            .iter()
            .map(|s| xml(s))
            .collect::<Vec<_>>()
            .join("<br>")
    };
    let key = format!(
        "RSA {}{}{}",
        r.key_size,
        if r.exportable {
            ", exportable"
        } else {
            ", not exportable"
        },
        if r.client_eku { ", client EKU" } else { "" }
    );
    let uses: Vec<String> = r.uses.iter().map(|u| format!("<code>{u}</code>")).collect();
    let status = n.status().as_str();
    format!(
        "<tr><td><code>{}</code></td><td>{}</td><td>{san}</td><td>{key}</td><td>{}</td><td>{}</td><td><span class=\"{status}\">{status}</span> {}</td></tr>\n",
        n.role(),
        xml(&r.subject),
        uses.join("<br>"),
        repository(n),
        n.codes().join(", ")
    )
}

fn repository(n: &Need) -> String {
    let everywhere = n.current.servers.len() == n.servers.len();
    let mut out = vec![if everywhere {
        assignment("current", &n.current)
    } else {
        assignment(&format!("on {}", n.current.servers.join(", ")), &n.current)
    }];
    for d in &n.differs {
        out.push(assignment(&format!("on {}", d.servers.join(", ")), d));
    }
    for s in &n.staged {
        out.push(assignment("staged", s));
    }
    out.join("<br>")
}

fn assignment(label: &str, a: &Assignment) -> String {
    let Some(file) = &a.file else {
        return format!("{}: nothing", xml(label));
    };
    let mut facts = Vec::new();
    if let Some(at) = a.effective_date {
        facts.push(format!("effective {}", day(at)));
    }
    if let Some(at) = a.not_after {
        facts.push(format!("expires {}", day(at)));
    }
    if !a.lacking.is_empty() {
        facts.push(format!("lacks {}", a.lacking.join(", ")));
    }
    if !a.codes.is_empty() {
        facts.push(a.codes.join(", "));
    }
    let mut out = format!("{}: <code>{}</code>", xml(label), xml(file));
    if !facts.is_empty() {
        out.push_str(&format!(" ({})", xml(&facts.join(", "))));
    }
    out
}

/// For each certificate with findings, each assignment's findings, every severity.
fn findings(plan: &CertificatePlan) -> String {
    let mut out = String::new();
    for n in plan.needs() {
        let with: Vec<&Assignment> = n.assignments().filter(|a| !a.findings.is_empty()).collect();
        if with.is_empty() {
            continue;
        }
        let title = match &n.pool {
            Some(p) => format!("Pool {p}, {} certificate", n.role()),
            None => "Reverse proxy certificate".to_string(),
        };
        out.push_str(&format!("<h3>{}</h3>\n<ul>\n", xml(&title)));
        for a in with {
            out.push_str(&format!(
                "<li><code>{}</code>\n<ul>\n",
                xml(a.file.as_deref().unwrap_or(""))
            ));
            for f in &a.findings {
                out.push_str(&format!(
                    "<li><span class=\"sev-{sev}\"><code>{}</code> {sev}</span>: {}</li>\n",
                    xml(&f.code),
                    xml(&f.message),
                    sev = f.severity.as_str()
                ));
            }
            out.push_str("</ul>\n</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if out.is_empty() {
        out.push_str("<p>No finding about any needed certificate.</p>\n");
    }
    out
}
