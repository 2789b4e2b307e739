//! A fix is data: the certificate to request (role, subject, SAN list, key, uses, file names),
//! and its renderings for the tools an administrator has: `Request-CsCertificate` on a Lync /
//! Skype for Business server, an OpenSSL request anywhere, a `certreq -new` INF on Windows.
//! Rules build it; `check`, `plan` and the editor render it; nothing formats a command elsewhere.

use std::fmt::Write;

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
        // Written into one string: a repository's findings render thousands of these.
        let mut text = String::with_capacity(192);
        let mut word = String::with_capacity(64);
        text.push_str("Request-CsCertificate -New -Type ");
        push_joined(&mut text, &self.uses, ",");
        text.push_str(" -Output ");
        word.push_str(&self.file_stem);
        word.push_str(".req");
        push_quoted(&mut text, &word, Shell::PowerShell, true);
        if !self.san.is_empty() {
            text.push_str(" -DomainName ");
            word.clear();
            push_joined(&mut word, &self.san, ",");
            push_quoted(&mut text, &word, Shell::PowerShell, false);
        }
        text.push_str(" -FriendlyName ");
        push_quoted(&mut text, &self.friendly_name, Shell::PowerShell, false);
        let _ = write!(
            text,
            " -KeySize {} -PrivateKeyExportable ${}",
            self.key_size,
            if self.exportable { "true" } else { "false" }
        );
        if self.client_eku {
            text.push_str(" -ClientEku $true");
        }
        Some(text)
    }

    /// An OpenSSL command that, run in an empty folder, writes `<stem>.key` and `<stem>.csr`
    /// whose subject CN and SAN are exactly `subject` and `san`, in order.
    pub fn openssl(&self) -> String {
        let mut text = String::with_capacity(256);
        let mut word = String::with_capacity(128);
        let _ = write!(
            text,
            "openssl req -new -newkey rsa:{} -nodes -keyout ",
            self.key_size
        );
        word.push_str(&self.file_stem);
        word.push_str(".key");
        push_quoted(&mut text, &word, Shell::Posix, true);
        text.push_str(" -out ");
        word.clear();
        word.push_str(&self.file_stem);
        word.push_str(".csr");
        push_quoted(&mut text, &word, Shell::Posix, true);
        text.push_str(" -subj ");
        word.clear();
        word.push_str("/CN=");
        push_dn_escaped(&mut word, &self.subject);
        push_quoted(&mut text, &word, Shell::Posix, false);
        if !self.san.is_empty() {
            text.push_str(" -addext ");
            word.clear();
            word.push_str("subjectAltName=");
            for (i, name) in self.san.iter().enumerate() {
                if i > 0 {
                    word.push(',');
                }
                word.push_str("DNS:");
                word.push_str(name);
            }
            push_quoted(&mut text, &word, Shell::Posix, false);
        }
        text.push_str(" -addext ");
        word.clear();
        word.push_str("extendedKeyUsage=");
        push_joined(&mut word, &self.eku_names(), ",");
        push_quoted(&mut text, &word, Shell::Posix, false);
        text
    }

    /// An OpenSSL request configuration (`<stem>.cnf`): `openssl req -new -config <stem>.cnf
    /// -newkey rsa:<bits> -nodes -keyout <stem>.key -out <stem>.csr` makes a request whose
    /// subject CN and SAN are exactly `subject` and `san`, in order. The names sit in sections
    /// of their own (`DNS.1 = ...`), so no name is ever split at a comma.
    pub fn openssl_config(&self) -> String {
        let mut lines = vec![
            format!("# {}", conf_comment(&self.describe())),
            format!(
                "# openssl req -new -config {stem}.cnf -newkey rsa:{} -nodes -keyout {stem}.key -out {stem}.csr",
                self.key_size,
                stem = conf_comment(&self.file_stem)
            ),
            "[ req ]".to_string(),
            format!("default_bits = {}", self.key_size),
            "default_md = sha256".to_string(),
            "prompt = no".to_string(),
            "utf8 = yes".to_string(),
            "string_mask = utf8only".to_string(),
            "distinguished_name = subject".to_string(),
            "req_extensions = extensions".to_string(),
            String::new(),
            "[ subject ]".to_string(),
            format!("CN = {}", conf_value(&self.subject)),
            String::new(),
            "[ extensions ]".to_string(),
        ];
        if !self.san.is_empty() {
            lines.push("subjectAltName = @names".to_string());
        }
        lines.push(format!(
            "extendedKeyUsage = {}",
            self.eku_names().join(", ")
        ));
        if !self.san.is_empty() {
            lines.push(String::new());
            lines.push("[ names ]".to_string());
            for (i, name) in self.san.iter().enumerate() {
                lines.push(format!("DNS.{} = {}", i + 1, conf_value(name)));
            }
        }
        lines.join("\n") + "\n"
    }

    /// `Import-CsCertificate`, run on each server: makes the issued certificate (a `.pfx` with
    /// its key) known to Lync, exportable as it was requested. The arguments are PowerShell
    /// expressions (`$PfxPath`), written as given. `None` for the reverse proxy.
    pub fn import_command(&self, path: &str, password: &str) -> Option<String> {
        self.on_lync_server().then(|| {
            format!(
                "Import-CsCertificate -Path {path} -Password {password} -PrivateKeyExportable ${}",
                if self.exportable { "true" } else { "false" }
            )
        })
    }

    /// `Set-CsCertificate -Type <uses> -Thumbprint <thumbprint>`; with `roll_at`, the staged
    /// form `-Roll -EffectiveDate`, the date given as an RFC 3339 instant that PowerShell
    /// converts whatever the server's regional settings (S17 warns that a date string must
    /// match them). `thumbprint` is a PowerShell expression. `None` for the reverse proxy.
    pub fn assign_command(
        &self,
        thumbprint: &str,
        roll_at: Option<time::OffsetDateTime>,
    ) -> Option<String> {
        if !self.on_lync_server() {
            return None;
        }
        let mut text = format!(
            "Set-CsCertificate -Type {} -Thumbprint {thumbprint}",
            self.uses.join(",")
        );
        if let Some(at) = roll_at {
            text.push_str(&format!(
                " -Roll -EffectiveDate ([datetime]'{}')",
                rfc3339(at)
            ));
        }
        Some(text)
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
        let mut inf = String::with_capacity(512);
        let mut subject = String::with_capacity(self.subject.len());
        push_dn_escaped(&mut subject, &self.subject);
        inf.push_str("[Version]\nSignature = \"$Windows NT$\"\n\n[NewRequest]\nSubject = \"CN=");
        push_inf_escaped(&mut inf, &subject);
        inf.push_str("\"\nFriendlyName = \"");
        push_inf_escaped(&mut inf, &self.friendly_name);
        let _ = write!(
            inf,
            "\"\nKeyLength = {}\nKeySpec = 1\nExportable = {}\n",
            self.key_size,
            if self.exportable { "TRUE" } else { "FALSE" }
        );
        inf.push_str(
            "MachineKeySet = TRUE\n\
             ProviderName = \"Microsoft RSA SChannel Cryptographic Provider\"\n\
             ProviderType = 12\n\
             RequestType = PKCS10\n\
             \n\
             [EnhancedKeyUsageExtension]\n\
             OID = 1.3.6.1.5.5.7.3.1\n",
        );
        if self.client_eku {
            inf.push_str("OID = 1.3.6.1.5.5.7.3.2\n");
        }
        if !self.san.is_empty() {
            inf.push_str("\n[Extensions]\n2.5.29.17 = \"{text}");
            for (i, name) in self.san.iter().enumerate() {
                if i > 0 {
                    inf.push('&');
                }
                inf.push_str("dns=");
                push_inf_escaped(&mut inf, name);
            }
            inf.push_str("\"\n");
        }
        inf
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

/// A word for `shell`, appended to `out`: plain text in double quotes (or bare, with `bare`,
/// when it holds no space or `*`), anything else in single quotes, so that a hostile name from
/// a topology can never run anything when the command is pasted.
fn push_quoted(out: &mut String, s: &str, shell: Shell, bare: bool) {
    if is_plain(s) {
        if bare && !s.contains([' ', '*']) {
            out.push_str(s);
        } else {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        return;
    }
    let quote_inside = match shell {
        Shell::Posix => "'\\''",
        Shell::PowerShell => "''",
    };
    out.push('\'');
    for (i, part) in s.split('\'').enumerate() {
        if i > 0 {
            out.push_str(quote_inside);
        }
        out.push_str(part);
    }
    out.push('\'');
}

/// `items` with `separator` between them, appended to `out`.
fn push_joined(out: &mut String, items: &[impl AsRef<str>], separator: &str) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
}

/// A subject CN value in OpenSSL's `-subj` / an INF `Subject`, appended to `out`: `/`, `,`,
/// `+`, `=` and `\` escaped with a backslash.
fn push_dn_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(c, '/' | ',' | '+' | '=' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A value of an OpenSSL configuration file: backslash, `$` (variable expansion), `#`
/// (comment) and quotes escaped with a backslash; a control character (a line break would start a new
/// directive) becomes `?`, which no valid DNS name has anyway.
fn conf_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '$' | '#' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a `#` comment line: control characters (a line break) become `?`.
fn conf_comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// An instant as RFC 3339 in UTC (`2027-03-01T06:00:00Z`).
pub fn rfc3339(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| t.to_string())
}

/// An INF string value, appended to `out`: a double quote is written twice.
fn push_inf_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
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
    fn the_openssl_configuration_lists_every_name_in_order() {
        let conf = external().openssl_config();
        assert!(
            conf.contains("\n[ subject ]\nCN = sip.contoso.com\n"),
            "{conf}"
        );
        assert!(conf.ends_with(
            "[ names ]\nDNS.1 = sip.contoso.com\nDNS.2 = webcon.contoso.com\nDNS.3 = sip.fabrikam.com\n"
        ));
        assert!(conf.contains("extendedKeyUsage = serverAuth\n"));
        let mut internal = external();
        internal.san.clear();
        assert!(!internal.openssl_config().contains("subjectAltName"));
    }

    #[test]
    fn configuration_values_cannot_add_directives() {
        let mut r = external();
        r.subject = "a$b#c\nprompt = yes".into();
        let conf = r.openssl_config();
        assert!(conf.contains("CN = a\\$b\\#c?prompt = yes\n"), "{conf}");
        assert!(!conf.contains("\nprompt = yes"));
    }

    #[test]
    fn assignment_commands() {
        let r = external();
        assert_eq!(
            r.import_command("$PfxPath", "$PfxPassword").unwrap(),
            "Import-CsCertificate -Path $PfxPath -Password $PfxPassword -PrivateKeyExportable $true"
        );
        assert_eq!(
            r.assign_command("$Thumbprint", None).unwrap(),
            "Set-CsCertificate -Type AccessEdgeExternal,DataEdgeExternal -Thumbprint $Thumbprint"
        );
        let at = time::macros::datetime!(2027-03-01 06:00 UTC);
        assert!(r
            .assign_command("$Thumbprint", Some(at))
            .unwrap()
            .ends_with(" -Roll -EffectiveDate ([datetime]'2027-03-01T06:00:00Z')"));
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

    #[test]
    fn inf_values_escape_quotes_and_subject_separators() {
        let mut r = external();
        r.subject = "a\"b,c/d".into();
        r.san = vec![r.subject.clone(), "e.com".into()];
        r.friendly_name = "say \"hi\"".into();
        let inf = r.certreq_inf();
        assert!(inf.contains("\nSubject = \"CN=a\"\"b\\,c\\/d\"\n"), "{inf}");
        assert!(
            inf.contains("\nFriendlyName = \"say \"\"hi\"\"\"\n"),
            "{inf}"
        );
        assert!(
            inf.ends_with("\n2.5.29.17 = \"{text}dns=a\"\"b,c/d&dns=e.com\"\n"),
            "{inf}"
        );
        assert!(
            r.openssl().contains(" -subj '/CN=a\"b\\,c\\/d' "),
            "{}",
            r.openssl()
        );
    }
}
