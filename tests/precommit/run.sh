#!/usr/bin/env bash
# The pre-commit hooks of .pre-commit-hooks.yaml, end to end, with the real pre-commit (PyPI):
#   1. pre-commit validates the manifest, and each hook's `files` pattern matches every extension
#      src/discover.rs reads (any case) and .edgelint.toml, and nothing else of this repository;
#   then, for each hook tested, `try-repo <snapshot> HOOK --all-files` fails on a defective plan
#   (exit 1, N002 in the output) and passes on a clean one:
#   - `edgelint-system`, with the debug binary on PATH: seconds;
#   - `edgelint-src`, the `language: rust` hook: pre-commit builds it with
#     `cargo install --bins --root ENV --path .` (no --locked, so a fresh dependency resolution,
#     and the release profile). Minutes; the times are printed;
#   - `edgelint`, the `language: python` hook: pre-commit pip-installs the root shim, which pulls
#     the `edgelint` wheel; offline, from EDGELINT_PRECOMMIT_WHEELHOUSE (PIP_NO_INDEX=1, the
#     folder as PIP_FIND_LINKS: the wheel and setuptools). Each try-repo installs afresh, and each
#     must take under 30 s. tests/wheel/run.sh builds the wheel and runs this.
# try-repo only sees committed (or staged, or modified tracked) files of a local repository, so
# the hook repository is a snapshot of this working tree (tracked and untracked files, not
# ignored ones) committed in a temporary repository; this checkout's index is never touched.
#
# Called by .ci/run after `cargo test`. Environment:
#   EDGELINT_PRECOMMIT_HOOKS     the hooks to try, separated by spaces (default
#                                `edgelint-system edgelint-src`)
#   EDGELINT_PRECOMMIT_WHEELHOUSE  the folder of wheels for the `edgelint` hook
#   EDGELINT_PRECOMMIT_QUICK=1   `edgelint-system` only (no release build) unless HOOKS is set
#   CARGO_TARGET_DIR             where cargo builds (default: this project's target/); pre-commit
#                                passes it through, so the hook's release build is kept and reused
#   EDGELINT_PRECOMMIT_KEEP=1    keep the temporary folder (its path is printed)
set -euo pipefail
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE GIT_OBJECT_DIRECTORY # when run from inside a git hook

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
venv=$root/target/precommit/venv
requirements=$root/tests/precommit/requirements.txt

say() { printf 'precommit: %s\n' "$*"; }
fail() {
    printf 'precommit: FAIL: %s\n' "$*" >&2
    exit 1
}

# --- pre-commit (shellcheck and actionlint for tests/action and .ci/run), in a venv under target/ ---
if ! cmp -s "$requirements" "$venv/requirements.txt"; then
    say "installing $(paste -sd' ' "$requirements") into ${venv#"$root"/}"
    rm -rf "$venv"
    python3 -m venv "$venv"
    # from PyPI itself: a find-links folder the machine may set has nothing to do with this
    env -u PIP_FIND_LINKS -u PIP_NO_INDEX "$venv/bin/python" -m pip install --quiet --requirement "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi
pc=$venv/bin/pre-commit
"$pc" --version

# --- 1. the manifest --------------------------------------------------------------------------
"$pc" validate-manifest "$root/.pre-commit-hooks.yaml"
"$venv/bin/python" - "$root" <<'PY'
import pathlib, re, subprocess, sys
import yaml  # pre-commit's own dependency

root = pathlib.Path(sys.argv[1])
src = (root / "src/discover.rs").read_text()
exts = set()
for const in ("YAML_EXTENSIONS", "CERT_EXTENSIONS"):
    m = re.search(const + r"\s*:\s*\[&str;\s*\d+\]\s*=\s*\[(.*?)\];", src, re.S)
    if not m:
        sys.exit(f"{const} not found in src/discover.rs")
    exts |= set(re.findall(r'"([^"]+)"', m.group(1)))
# every file of this repository that edgelint does not read must not trigger the hook
tracked = subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True).stdout.split()
others = [f for f in tracked if f.rsplit(".", 1)[-1].lower() not in exts and not f.endswith(".edgelint.toml")]
errors = []
for hook in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text()):
    hid, pattern = hook["id"], re.compile(hook["files"])
    if hook.get("pass_filenames", True) is not False:
        errors.append(f"{hid}: pass_filenames must be false (rules need the whole plan)")
    if hook["entry"] != "edgelint check":
        errors.append(f"{hid}: entry is {hook['entry']!r}")
    for ext in sorted(exts):
        for name in (f"plan/edge.{ext}", f"EDGE.{ext.upper()}"):
            if not pattern.search(name):
                errors.append(f"{hid}: files does not match {name}")
    for name in (".edgelint.toml", "sub/.edgelint.toml"):
        if not pattern.search(name):
            errors.append(f"{hid}: files does not match {name}")
    for name in others + ["x.yaml.orig", "my.edgelint.toml", "notes.txt"]:
        if pattern.search(name):
            errors.append(f"{hid}: files matches {name}, which edgelint does not read")
if errors:
    sys.exit("\n".join(errors))
print(f"manifest: {len(exts)} extensions and .edgelint.toml match, {len(others)} other files do not")
PY

# --- the hook repository and the sample plan repositories -----------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/edgelint-precommit.XXXXXX")
if [[ ${EDGELINT_PRECOMMIT_KEEP:-} == 1 ]]; then
    say "keeping $tmp"
else
    trap 'rm -rf "$tmp"' EXIT
fi

commit() {
    git -C "$1" -c user.name=edgelint-tests -c user.email=tests@edgelint.invalid \
        -c commit.gpgsign=false commit -q --no-verify -m "$2"
}

# The working tree as a committed repository: what a user's pre-commit would clone at a tag.
hook_repo=$tmp/edgelint
mkdir -p "$hook_repo"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files -z --cached --others --exclude-standard
else
    (cd "$root" && find . \( -path ./target -o -path ./.git \) -prune -o -type f -print0 | sed -z 's#^\./##')
fi | while IFS= read -r -d '' f; do
    if [[ -e $root/$f || -L $root/$f ]]; then printf '%s\0' "$f"; fi # tracked but deleted: skip
done | (cd "$root" && tar --null -T - -cf -) | tar -C "$hook_repo" -xf -
git -C "$hook_repo" init -q
git -C "$hook_repo" add -A
commit "$hook_repo" "edgelint working tree"

# A sample repository: a fixture's topology at the root, the certificate files it names under
# certs/ (the fixture's ../certs/ paths rewritten), committed.
make_sample() {
    local dir=$1 fixture=$2 f
    mkdir -p "$dir"
    git -C "$dir" init -q
    sed 's#\.\./certs/#certs/#g' "$root/fixtures/$fixture/topology.yaml" >"$dir/topology.yaml"
    grep -o '\.\./certs/[^],[:space:]]*' "$root/fixtures/$fixture/topology.yaml" | sort -u |
        while read -r f; do
            f=${f#../certs/}
            mkdir -p "$dir/certs/$(dirname "$f")"
            cp "$root/fixtures/certs/$f" "$dir/certs/$f"
        done
    # try-repo runs the hook as published, so without --now: at the real clock. The fixture
    # certificates expire at the end of 2027; the date rules stay out of this test.
    printf '%s\n' 'ignore = ["V001", "V002", "V003", "R006"]' >"$dir/.edgelint.toml"
    git -C "$dir" add -A
    commit "$dir" "sample plan from fixtures/$fixture"
}
make_sample "$tmp/defective" n002
make_sample "$tmp/clean" clean

# try_repo SAMPLE HOOK: run the hook on every file of SAMPLE; sets $rc, $out and $took (seconds).
# The variables of the array hook_env are set for pre-commit; hook_prefix runs it (unshare -n).
hook_env=()
hook_prefix=()
try_repo() {
    local sample=$1 hook=$2 start
    start=$EPOCHREALTIME
    rc=0
    out=$(cd "$sample" && "${hook_prefix[@]}" env -u EDGELINT_PFX_PASSWORD EDGE_PFX_PASSWORD=Secret123 "${hook_env[@]}" \
        "$pc" try-repo "$hook_repo" "$hook" --all-files --verbose --color never 2>&1) || rc=$?
    took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    # pre-commit's verdict and edgelint's summary line
    grep -E '\.{3}(Passed|Failed|Skipped)$|^Found |^No findings|^Checked ' <<<"$out" | sed 's/^/    /' || true
}

# check HOOK: the defective plan fails with N002, the clean one passes.
check() {
    local hook=$1
    try_repo "$tmp/defective" "$hook"
    say "$hook on the defective plan: exit $rc in ${took}s"
    if [[ $rc != 1 ]] || ! grep -q 'N002' <<<"$out" || grep -q 'T004' <<<"$out"; then
        printf '%s\n' "$out" >&2
        fail "$hook on the defective plan: expected exit 1 with N002 (and the PKCS#12 password read), got exit $rc"
    fi
    defective_took=$took
    try_repo "$tmp/clean" "$hook"
    say "$hook on the clean plan: exit $rc in ${took}s"
    if [[ $rc != 0 ]] || ! grep -q '^edgelint.*Passed$' <<<"$out"; then
        printf '%s\n' "$out" >&2
        fail "$hook on the clean plan: expected exit 0 (Passed), got exit $rc"
    fi
    passed=$((passed + 2))
}

passed=1 # the manifest
if [[ -n ${EDGELINT_PRECOMMIT_HOOKS:-} ]]; then
    read -r -a hooks <<<"$EDGELINT_PRECOMMIT_HOOKS"
elif [[ ${EDGELINT_PRECOMMIT_QUICK:-} == 1 ]]; then
    say "EDGELINT_PRECOMMIT_QUICK=1: the language: rust hook is not built"
    hooks=(edgelint-system)
else
    hooks=(edgelint-system edgelint-src)
fi
for hook in "${hooks[@]}"; do
    case $hook in
    edgelint-system) # the debug build on PATH
        cargo build --quiet --bin edgelint
        PATH=$CARGO_TARGET_DIR/debug:$PATH check edgelint-system
        ;;
    edgelint-src) # built by pre-commit
        say "building the language: rust hook (cargo install, release profile, CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
        check edgelint-src
        grep -q 'Installing environment' <<<"$out" || fail "pre-commit did not build the hook environment"
        say "language: rust hook: ${defective_took}s for the first try-repo (install and run), ${took}s for the second"
        ;;
    edgelint) # the wheel, offline
        wheelhouse=${EDGELINT_PRECOMMIT_WHEELHOUSE:?the edgelint hook needs EDGELINT_PRECOMMIT_WHEELHOUSE (tests/wheel/run.sh)}
        wheelhouse=$(cd "$wheelhouse" && pwd) # try-repo runs in the sample's folder
        compgen -G "$wheelhouse/edgelint-*.whl" >/dev/null || fail "no edgelint wheel in $wheelhouse"
        # PIP_NO_INDEX: nothing from the network; this folder replaces any the machine sets
        # and no other edgelint on PATH than the hook environment's
        path=$(tr ':' '\n' <<<"$PATH" | while IFS= read -r d; do [[ -x $d/edgelint ]] || printf '%s:' "$d"; done)
        hook_env=(PIP_NO_INDEX=1 "PIP_FIND_LINKS=$wheelhouse" "PATH=${path%:}")
        # without a network at all where a network namespace can be made (root), to be sure
        if unshare -n true 2>/dev/null; then
            hook_prefix=(unshare -n)
            say "the edgelint hook runs in a network namespace of its own (unshare -n): no network"
        fi
        check edgelint
        hook_env=()
        hook_prefix=()
        grep -q 'Installing environment' <<<"$out" || fail "pre-commit did not install the hook environment"
        for t in "$defective_took" "$took"; do
            awk -v t="$t" 'BEGIN { exit !(t < 30) }' || fail "a first install and run of the edgelint hook took ${t}s (limit 30 s)"
        done
        say "language: python hook, offline: ${defective_took}s and ${took}s, each a fresh install and a run"
        ;;
    *) fail "unknown hook $hook" ;;
    esac
done
say "$passed passed, 0 failed" # the manifest, each hook on two plans
