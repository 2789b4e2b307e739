//! A fix is data: the certificate to request (role, subject, SAN list, key, uses, file names),
//! and its renderings for the tools an administrator has: `Request-CsCertificate` on a Lync /
//! Skype for Business server, an OpenSSL request anywhere, a `certreq -new` INF on Windows.
//! Rules build it; `check`, `plan` and the editor render it; nothing formats a command elsewhere.

use serde::Serialize;

/// What the certificate is for (the JSON `fix.role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Access Edge and Web Conferencing Edge (and A/V when not decoupled).
    External,
    /// A decoupled A/V Authentication certificate.
    Av,
    Internal,
    Xmpp,
    Oauth,
    ReverseProxy,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::External => "external",
            Role::Av => "av",
            Role::Internal => "internal",
            Role::Xmpp => "xmpp",
            Role::Oauth => "oauth",
            Role::ReverseProxy => "reverse_proxy",
        }
    }

    /// The role a certificate with these uses (`-Type` names) plays: the first that applies.
    pub fn of_uses(uses: &[&str]) -> Role {
        let has = |u: &str| uses.contains(&u);
        if has("AccessEdgeExternal") || has("DataEdgeExternal") {
            Role::External
        } else if has("Internal") {
            Role::Internal
        } else if has("AudioVideoAuthentication") {
            Role::Av
        } else if has("XmppServer") {
            Role::Xmpp
        } else {
            Role::Oauth
        }
    }
}

/// The certificate to ask a CA for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    pub role: Role,
    pub subject: String,
    /// DNS names, in the order they should be requested; empty when no SAN is needed.
    pub san: Vec<String>,
    pub key_size: u32,
    pub exportable: bool,
    pub client_eku: bool,
    /// `Set-CsCertificate -Type` values (`AccessEdgeExternal`, ...); empty for the reverse proxy.
    pub uses: Vec<&'static str>,
    /// Stem of the files the commands write: `<stem>.req`, `<stem>.key`, `<stem>.csr`, `<stem>.inf`.
    pub file_stem: String,
    pub friendly_name: String,
}

/// One rendering of a request (the JSON `fix.commands[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    /// `powershell`, `openssl` or `certreq`.
    pub kind: &'static str,
    pub text: String,
}

/// The remedy of a finding: a sentence and the request it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// "request a certificate with subject X whose SAN lists: ..."
    pub summary: String,
    pub request: CertificateRequest,
}

impl CertificateRequest {
    /// Is it requested on a Lync / Skype for Business server (Request-CsCertificate)?
    pub fn on_lync_server(&self) -> bool {
        self.role != Role::ReverseProxy
    }

    /// "request a certificate with subject X whose SAN lists: a, b" (or the internal form).
    pub fn describe(&self) -> String {
        if self.san.is_empty() {
            format!(
                "request a certificate with subject {}; no SAN is needed",
                self.subject
            )
        } else {
            format!(
                "request a certificate with subject {} whose SAN lists: {}",
                self.subject,
                self.san.join(", ")
            )
        }
    }

    /// `Request-CsCertificate -New ...` (an offline request for a CA); `None` for the reverse
    /// proxy, which is requested on the reverse proxy itself.
    pub fn powershell(&self) -> Option<String> {
        if !self.on_lync_server() {
            return None;
        }
        let mut text = format!(
            "Request-CsCertificate -New -Type {} -Output {}",
            self.uses.join(","),
            ps_quote_bare(&format!("{}.req", self.file_stem))
        );
        if !self.san.is_empty() {
            text.push_str(&format!(" -DomainName {}", ps_quote(&self.san.join(","))));
        }
        text.push_str(&format!(
            " -FriendlyName {} -KeySize {} -PrivateKeyExportable ${}",
            ps_quote(&self.friendly_name),
            self.key_size,
            if self.exportable { "true" } else { "false" }
        ));
        if self.client_eku {
            text.push_str(" -ClientEku $true");
        }
        Some(text)
    }

    /// An OpenSSL command that, run in an empty folder, writes `<stem>.key` and `<stem>.csr`
    /// whose subject CN and SAN are exactly `subject` and `san`, in order.
    pub fn openssl(&self) -> String {
        let mut text = format!(
            "openssl req -new -newkey rsa:{} -nodes -keyout {} -out {} -subj {}",
            self.key_size,
            sh_quote_bare(&format!("{}.key", self.file_stem)),
            sh_quote_bare(&format!("{}.csr", self.file_stem)),
            sh_quote(&format!("/CN={}", escape_dn(&self.subject)))
        );
        if !self.san.is_empty() {
            let dns: Vec<String> = self.san.iter().map(|n| format!("DNS:{n}")).collect();
            text.push_str(&format!(
                " -addext {}",
                sh_quote(&format!("subjectAltName={}", dns.join(",")))
            ));
        }
        text.push_str(&format!(
            " -addext {}",
            sh_quote(&format!("extendedKeyUsage={}", self.eku_names().join(",")))
        ));
        text
    }

    fn eku_names(&self) -> Vec<&'static str> {
        if self.client_eku {
            vec!["serverAuth", "clientAuth"]
        } else {
            vec!["serverAuth"]
        }
    }

    /// A `certreq -new` INF: machine key set, exportable as asked, a legacy CryptoAPI
    /// provider (Lync 2013 does not use CNG keys), the SAN extension.
    pub fn certreq_inf(&self) -> String {
        let mut lines = vec![
            "[Version]".to_string(),
            "Signature = \"$Windows NT$\"".to_string(),
            String::new(),
            "[NewRequest]".to_string(),
            format!("Subject = \"CN={}\"", inf_escape(&escape_dn(&self.subject))),
            format!("FriendlyName = \"{}\"", inf_escape(&self.friendly_name)),
            format!("KeyLength = {}", self.key_size),
            "KeySpec = 1".to_string(),
            format!(
                "Exportable = {}",
                if self.exportable { "TRUE" } else { "FALSE" }
            ),
            "MachineKeySet = TRUE".to_string(),
            "ProviderName = \"Microsoft RSA SChannel Cryptographic Provider\"".to_string(),
            "ProviderType = 12".to_string(),
            "RequestType = PKCS10".to_string(),
            String::new(),
            "[EnhancedKeyUsageExtension]".to_string(),
            "OID = 1.3.6.1.5.5.7.3.1".to_string(),
        ];
        if self.client_eku {
            lines.push("OID = 1.3.6.1.5.5.7.3.2".to_string());
        }
        if !self.san.is_empty() {
            let dns: Vec<String> = self
                .san
                .iter()
                .map(|n| format!("dns={}", inf_escape(n)))
                .collect();
            lines.push(String::new());
            lines.push("[Extensions]".to_string());
            lines.push(format!("2.5.29.17 = \"{{text}}{}\"", dns.join("&")));
        }
        lines.join("\n") + "\n"
    }

    /// Every rendering: PowerShell (Lync roles), OpenSSL, certreq.
    pub fn commands(&self) -> Vec<Command> {
        let mut out = Vec::new();
        if let Some(ps) = self.powershell() {
            out.push(Command {
                kind: "powershell",
                text: ps,
            });
        }
        out.push(Command {
            kind: "openssl",
            text: self.openssl(),
        });
        out.push(Command {
            kind: "certreq",
            text: self.certreq_inf(),
        });
        out
    }
}

impl Fix {
    pub fn new(request: CertificateRequest) -> Fix {
        Fix {
            summary: request.describe(),
            request,
        }
    }

    /// The help text printed under a finding: the summary and the command to run where the
    /// certificate is requested (Request-CsCertificate on a Lync server; OpenSSL or certreq
    /// on the reverse proxy).
    pub fn help_text(&self) -> String {
        let r = &self.request;
        match r.powershell() {
            Some(ps) => {
                let mut text = format!("{}\n{ps}", self.summary);
                if r.role == Role::Internal {
                    text.push_str(&format!(
                        "\nfrom the organisation's internal CA, use -CA <CA FQDN>\\<CA name> \
                         instead of -Output {}.req",
                        r.file_stem
                    ));
                }
                text
            }
            None => format!(
                "{}\n{}\nor on Windows: certreq -new {stem}.inf {stem}.csr, with {stem}.inf:\n{}",
                self.summary,
                r.openssl(),
                r.certreq_inf().trim_end(),
                stem = r.file_stem
            ),
        }
    }
}

/// Characters that never need quoting in a shell or PowerShell word.
fn is_plain(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '.' | '-' | '_' | '*' | ',' | ' ' | '/' | '=' | ':')
        })
}

/// The shell a command is pasted into.
#[derive(Clone, Copy)]
enum Shell {
    /// A POSIX shell: a single quote is written `'\''` inside single quotes.
    Posix,
    /// PowerShell: a single quote is written `''` inside single quotes (double quotes would
    /// expand `$` and backticks).
    PowerShell,
}

/// A word for `shell`: plain text in double quotes (or bare, with `bare`, when it holds no
/// space or `*`), anything else in single quotes, so that a hostile name from a topology can
/// never run anything when the command is pasted.
fn quote(s: &str, shell: Shell, bare: bool) -> String {
    if is_plain(s) {
        if bare && !s.contains([' ', '*']) {
            return s.to_string();
        }
        return format!("\"{s}\"");
    }
    let inner = match shell {
        Shell::Posix => s.replace('\'', "'\\''"),
        Shell::PowerShell => s.replace('\'', "''"),
    };
    format!("'{inner}'")
}

fn sh_quote(s: &str) -> String {
    quote(s, Shell::Posix, false)
}

fn sh_quote_bare(s: &str) -> String {
    quote(s, Shell::Posix, true)
}

fn ps_quote(s: &str) -> String {
    quote(s, Shell::PowerShell, false)
}

fn ps_quote_bare(s: &str) -> String {
    quote(s, Shell::PowerShell, true)
}

/// A subject CN value in OpenSSL's `-subj` / an INF `Subject`: `/`, `,`, `+` and `=` escaped.
fn escape_dn(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '/' | ',' | '+' | '=' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// An INF string value: a double quote is written twice.
fn inf_escape(s: &str) -> String {
    s.replace('"', "\"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn external() -> CertificateRequest {
        CertificateRequest {
            role: Role::External,
            subject: "sip.contoso.com".into(),
            san: vec![
                "sip.contoso.com".into(),
                "webcon.contoso.com".into(),
                "sip.fabrikam.com".into(),
            ],
            key_size: 2048,
            exportable: true,
            client_eku: false,
            uses: vec!["AccessEdgeExternal", "DataEdgeExternal"],
            file_stem: "edge-ams-external".into(),
            friendly_name: "edge-ams external".into(),
        }
    }

    #[test]
    fn renders_the_three_commands() {
        let r = external();
        assert_eq!(
            r.powershell().unwrap(),
            "Request-CsCertificate -New -Type AccessEdgeExternal,DataEdgeExternal -Output edge-ams-external.req -DomainName \"sip.contoso.com,webcon.contoso.com,sip.fabrikam.com\" -FriendlyName \"edge-ams external\" -KeySize 2048 -PrivateKeyExportable $true"
        );
        assert_eq!(
            r.openssl(),
            "openssl req -new -newkey rsa:2048 -nodes -keyout edge-ams-external.key -out edge-ams-external.csr -subj \"/CN=sip.contoso.com\" -addext \"subjectAltName=DNS:sip.contoso.com,DNS:webcon.contoso.com,DNS:sip.fabrikam.com\" -addext \"extendedKeyUsage=serverAuth\""
        );
        let inf = r.certreq_inf();
        assert!(inf.contains("Subject = \"CN=sip.contoso.com\"\n"), "{inf}");
        assert!(inf.contains("Exportable = TRUE\n"));
        assert!(inf.ends_with(
            "2.5.29.17 = \"{text}dns=sip.contoso.com&dns=webcon.contoso.com&dns=sip.fabrikam.com\"\n"
        ));
    }

    #[test]
    fn the_reverse_proxy_has_no_powershell() {
        let mut r = external();
        r.role = Role::ReverseProxy;
        r.uses.clear();
        assert!(r.powershell().is_none());
        let kinds: Vec<&str> = r.commands().iter().map(|c| c.kind).collect();
        assert_eq!(kinds, ["openssl", "certreq"]);
        assert!(!Fix::new(r).help_text().contains("Request-CsCertificate"));
    }

    #[test]
    fn hostile_names_are_quoted() {
        let mut r = external();
        r.subject = "a$(reboot)'.com".into();
        r.san = vec![r.subject.clone()];
        assert!(
            r.openssl().contains("-subj '/CN=a$(reboot)'\\''.com'"),
            "{}",
            r.openssl()
        );
        assert!(r
            .powershell()
            .unwrap()
            .contains("-DomainName 'a$(reboot)''.com'"));
    }
}
