#!/usr/bin/env bash
# Validate SARIF files the way code scanning will read them:
#   1. Microsoft's SARIF Multitool (`validate`, SARIF rules plus GitHub's ingestion rules,
#      settings in multitool-config.xml); fails on any error-level result in its log (its exit
#      code says nothing about them) and on a tool error;
#   2. the SARIF 2.1.0 JSON schema shipped in the Multitool's platform package, with ajv
#      (JSON Schema draft 2020-12, formats checked).
#
# usage: tests/sarif/validate.sh FILE.sarif...
#
# The tools come from the npm registry, pinned by tests/sarif/package-lock.json, installed with
# `npm ci` once into ${CARGO_TARGET_DIR:-target}/sarif-tools. Needs node and npm. The
# Multitool's platform package (@microsoft/sarif-multitool-linux on Linux) is a self-contained
# .NET program: no .NET runtime is needed. For each FILE the Multitool's log is written to
# FILE.validation.sarif (its console output to FILE.validation.sarif.console).
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 FILE.sarif..." >&2
    exit 2
fi
for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "validate.sh: $tool not found" >&2; exit 2; }
done

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
tools="$target/sarif-tools"
# A changed lock file means a new install.
lock_sum="$(cksum <"$here/package-lock.json")"
if [ ! -f "$tools/.lock-sum" ] || [ "$(cat "$tools/.lock-sum")" != "$lock_sum" ]; then
    echo "validate.sh: installing the SARIF validators (tests/sarif/package-lock.json) into $tools" >&2
    # Install beside it and rename, so that a concurrent run never sees half an install.
    staging="$tools.staging.$$"
    rm -rf "$staging"
    mkdir -p "$staging"
    trap 'rm -rf "$staging"' EXIT
    cp "$here/package.json" "$here/package-lock.json" "$staging/"
    (cd "$staging" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
    printf '%s' "$lock_sum" >"$staging/.lock-sum"
    rm -rf "$tools"
    if [ -e "$tools" ]; then rm -rf "$staging"; else mv "$staging" "$tools"; fi # a race: keep theirs
    trap - EXIT
fi

platform="$(node -p process.platform)"
version() { node -p "require(process.argv[1]).version" "$tools/node_modules/$1/package.json"; }
multitool_version="$(version @microsoft/sarif-multitool)"
ajv_cli_version="$(version ajv-cli)"
platform_dir="$tools/node_modules/@microsoft/sarif-multitool-$platform"
# The package resolves its platform binary itself; calling it directly (not through its bin.js,
# which runs a shell) keeps arguments such as "Gh;Sarif" intact.
multitool="$(cd "$tools" && node -p "require('@microsoft/sarif-multitool')")"
schema="$platform_dir/sarif-2.1.0.json"
[ -f "$schema" ] || { echo "validate.sh: no SARIF schema at $schema" >&2; exit 2; }
chmod u+x "$multitool" # the package's postinstall does this; npm may not run install scripts
# Without libicu, .NET needs invariant globalization; validation does not depend on culture.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1

draft="$(node -p "require(process.argv[1])['\$schema']" "$schema")"
case "$draft" in
    *draft/2020-12/*) spec=draft2020 ;;
    *draft/2019-09/*) spec=draft2019 ;;
    *draft-07*) spec=draft7 ;;
    *) echo "validate.sh: unexpected schema dialect $draft" >&2; exit 2 ;;
esac

status=0
for file in "$@"; do
    log="$file.validation.sarif"
    rm -f "$log"
    echo "== $file"
    echo "-- SARIF Multitool $multitool_version (rule kinds Gh;Sarif, SARIF2006 off)"
    if ! "$multitool" validate --rule-kind "Gh;Sarif" --level "Error;Warning;Note" \
        -c "$root/tests/sarif/multitool-config.xml" -o "$log" "$file" >"$log.console" 2>&1; then
        echo "validate.sh: the Multitool failed:" >&2
        cat "$log.console" >&2
        status=1
        continue
    fi
    # Every result of the log, errors counted; a tool failure also counts.
    if ! node - "$log" <<'EOF'
const log = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));
const counts = { error: 0, warning: 0, note: 0, none: 0 };
const notes = {};
let failed = false;
for (const run of log.runs || []) {
    const rules = (run.tool && run.tool.driver && run.tool.driver.rules) || [];
    for (const inv of run.invocations || []) {
        if (inv.executionSuccessful === false) failed = true;
        for (const n of inv.toolExecutionNotifications || []) {
            if ((n.level || 'warning') === 'error') {
                failed = true;
                console.log(`tool error: ${n.message && n.message.text}`);
            }
        }
    }
    for (const r of run.results || []) {
        const level = r.level || 'warning';
        counts[level] = (counts[level] || 0) + 1;
        const rule = rules[r.ruleIndex] || {};
        let text = (r.message && r.message.text) || '';
        if (!text && r.message && r.message.id && rule.messageStrings && rule.messageStrings[r.message.id]) {
            const args = r.message.arguments || [];
            text = rule.messageStrings[r.message.id].text.replace(/\{\{|\}\}|\{(\d+)\}/g,
                (m, i) => (m === '{{' ? '{' : m === '}}' ? '}' : args[i]));
        }
        if (level === 'error' || level === 'warning') console.log(`${level} ${r.ruleId}: ${text}`);
        else notes[r.ruleId] = (notes[r.ruleId] || 0) + 1;
    }
}
const noted = Object.entries(notes).map(([id, n]) => `${id} x${n}`).join(', ');
console.log(`multitool: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.note} note(s)` +
    (noted ? ` (${noted})` : ''));
process.exit(failed || counts.error > 0 ? 1 : 0);
EOF
    then
        status=1
    fi
    echo "-- JSON schema $(basename "$schema") ($spec, ajv-cli $ajv_cli_version)"
    copy="$file.schema-check.json" # ajv-cli picks its parser by extension
    cp "$file" "$copy"
    if ! "$tools/node_modules/.bin/ajv" validate --spec="$spec" -c ajv-formats --all-errors \
        --errors=text -s "$schema" -d "$copy"; then
        status=1
    fi
    rm -f "$copy"
done
exit $status
