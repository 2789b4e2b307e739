//! E001: an inline `# edgelint: ignore[...]` that silences nothing is noise that hides the day
//! the finding comes back under another code, so it is reported. The findings are made after
//! the other rules ran (src/suppress.rs), which needs every rule's result; this entry gives
//! E001 its place in the registry, its selection and its documentation.

rule! {
    UnusedSuppression {
        code: "E001",
        name: "unused-suppression",
        severity: Warning,
        summary: "an inline suppression that matched no finding",
    }
    fn check(cx, out) {
        let _ = (cx, out);
    }
}
