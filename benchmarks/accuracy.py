"""Accuracy of the checker on SCIM servers we did not write, against a checked-in triage.

Each server of the corpus (third-party packages from PyPI and npm, started on a free 127.0.0.1
port with only the glue in ``benchmarks/accuracy/``) gets one full run of ``scim-conformance
check`` (every check, every IdP profile). Every fail/warn verdict is then looked up in
``benchmarks/accuracy/triage.toml``, where a person marked it true or false with the RFC
sentence that decides it, and the triage's known violations must each be reported. Prints one
row per server and writes ``benchmarks/results/accuracy-<timestamp>.json``.

    make accuracy                                   # installs the npm/pip extras itself
    .venv/bin/python benchmarks/accuracy.py [--server scimmy] [--keep-reports DIR]
    .venv/bin/python benchmarks/accuracy.py --from-reports DIR   # re-score after a triage edit
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from result_files import save, timestamp
from servers import ROOT, ScimServer, _running, free_port

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "accuracy"
TRIAGE = CORPUS / "triage.toml"
STATUSES = ("pass", "fail", "warn", "info", "skip", "error")  # info: noted, no rule broken
FLAGGED = ("fail", "warn")
PROFILES = ("entra", "okta", "onelogin")
TOKEN = "accuracy-corpus-token"  # loopback-only servers that live for one run
RUN_TIMEOUT = 600.0


@dataclass
class Score:
    """One server's verdicts held against its triage."""

    server: str
    counts: dict[str, int]
    true_positives: list[str] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    untriaged: list[dict] = field(default_factory=list)
    caught: list[str] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    unevaluated: str = ""

    @property
    def known(self) -> int:
        """How many known violations the triage lists for this server."""
        return len(self.caught) + len(self.missed)


def compare(server: str, results: list[dict], triage: dict) -> Score:
    """Hold one run's results ({id, status, message}) against one server's triage entry.

    A fail/warn is looked up by check id and status (and, when the entry gives a ``message``,
    a text the verdict's message must contain: a check can fail for different reasons over
    time). It is a true positive when the triage marks it ``correct = true`` (unless it is a
    fail where the deciding sentence is only a SHOULD), a false positive when it is marked
    false, and untriaged when no entry fits (a verdict that changed level needs a new look).

    Each known violation (every verdict marked true, with the checks its ``also`` names, plus
    ``[[server.violation]]`` entries naming the checks, or fnmatch patterns of them, that may
    report it) is caught when one of those checks reports fail or warn (or one of the entry's
    ``statuses``) and that verdict is not itself triaged false.
    """
    verdicts: dict[tuple[str, str], list[dict]] = {}
    for entry in triage.get("verdict", []):
        verdicts.setdefault((entry["check"], entry["status"]), []).append(entry)
    status_of = {result["id"]: result["status"] for result in results}
    score = Score(server, dict.fromkeys(STATUSES, 0) | Counter(status_of.values()))
    for result in results:
        check, status = result["id"], result["status"]
        if status == "error":
            score.errors.append({"check": check, **_said(result)})
        if status not in FLAGGED:
            continue
        entry = _entry_for(verdicts, result)
        if entry is None:
            score.untriaged.append({"check": check, "status": status, **_said(result)})
        elif not entry["correct"]:
            score.false_positives.append({"check": check, "status": status, "why": entry["why"]})
        elif status == "fail" and entry.get("level") == "SHOULD":
            why = f"a fail for a SHOULD sentence ({entry['rfc']})"
            score.false_positives.append({"check": check, "status": status, "why": why})
        else:
            score.true_positives.append(check)
    known = []
    for (check, _), entries in sorted(verdicts.items()):
        for entry in entries:
            if entry["correct"] and check not in {k["what"] for k in known}:
                known.append({"what": check, "checks": [check, *entry.get("also", [])]})
    known += triage.get("violation", [])
    for violation in known:
        reporting = set(violation.get("statuses", FLAGGED))
        credible = {
            result["id"]
            for result in results
            if result["status"] in reporting
            and (_entry_for(verdicts, result) or {}).get("correct", True)
        }
        if any(fnmatch.filter(credible, pattern) for pattern in violation["checks"]):
            score.caught.append(violation["what"])
        else:
            seen = {
                c: status_of[c] for p in violation["checks"] for c in fnmatch.filter(status_of, p)
            }
            score.missed.append({"what": violation["what"], "checks": seen or violation["checks"]})
    return score


def _entry_for(verdicts: dict[tuple[str, str], list[dict]], result: dict) -> dict | None:
    """The triage entry for a result: same check and status, and its message text if it has one."""
    for entry in verdicts.get((result["id"], result["status"]), []):
        if entry.get("message", "") in (result.get("message") or ""):
            return entry
    return None


def _said(result: dict) -> dict:
    """The first line of a verdict's message, for the untriaged list."""
    message = result.get("message") or ""
    return {"message": message.splitlines()[0][:300]} if message else {}


def table(scores: list[Score]) -> str:
    """The per-server table (markdown, so the README can show it as printed)."""
    head = "| server | pass | fail | warn | info | skip | error | false + | untriaged | caught |"
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scores:
        if s.unevaluated:
            lines.append(f"| {s.server} | not evaluated: {s.unevaluated} | | | | | | | | |")
            continue
        c = s.counts
        lines.append(
            f"| {s.server} | {c['pass']} | {c['fail']} | {c['warn']} | {c['info']} | {c['skip']} | "
            f"{c['error']} | {len(s.false_positives)} | {len(s.untriaged)} | "
            f"{len(s.caught)}/{s.known} |"
        )
    return "\n".join(lines)


# --- the corpus: how each server starts ------------------------------------------------------


@contextmanager
def scimmy(mount: str) -> Iterator[ScimServer]:
    """SCIMMY + scimmy-routers (npm) on Express with the in-memory glue."""
    node = shutil.which("node")
    if node is None or not (CORPUS / "node_modules" / "scimmy").is_dir():
        raise RuntimeError("needs node and `npm ci --prefix benchmarks/accuracy` (make accuracy)")
    port = free_port()
    server = ScimServer(f"scimmy {mount}", f"http://127.0.0.1:{port}{mount}", TOKEN)
    command = [node, str(CORPUS / "scimmy-server.mjs"), str(port), mount, TOKEN]
    with _running(server, command) as ready:
        yield ready


@contextmanager
def django(package: str, mount: str) -> Iterator[ScimServer]:
    """django-scim2 or django-scim2-server in a minimal Django project on a fresh SQLite file."""
    port = free_port()
    server = ScimServer(f"{package} {mount}", f"http://127.0.0.1:{port}{mount}", TOKEN)
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            "ACCURACY_PACKAGE": package,
            "ACCURACY_PORT": str(port),
            "ACCURACY_MOUNT": mount,
            "ACCURACY_TOKEN": TOKEN,
            "ACCURACY_DB": str(Path(workdir) / "scim.sqlite3"),
            "PYTHONPATH": str(CORPUS),
        }
        command = [sys.executable, str(CORPUS / "djangosite" / "serve.py")]
        with _running(server, command, env=os.environ | env) as ready:
            yield ready


@contextmanager
def scim2_server(mount: str) -> Iterator[ScimServer]:
    """scim2-server (PyPI, in memory) through its own CLI; it serves under /v2."""
    port = free_port()
    exe = shutil.which("scim2-server", path=str(Path(sys.executable).parent)) or "scim2-server"
    server = ScimServer(f"scim2-server {mount}", f"http://127.0.0.1:{port}{mount}", TOKEN)
    with _running(server, [exe, "--port", str(port), "--bearer-token", TOKEN]) as ready:
        yield ready


# name in the triage -> how to start it. Mounts: one multi-segment base path per package that
# lets us choose it, django-scim2 there with ResourceType endpoints that repeat the base path.
CORPUS_SERVERS: dict[str, Callable[[], AbstractContextManager[ScimServer]]] = {
    "scim2-server": lambda: scim2_server("/v2"),
    "scimmy": lambda: scimmy("/a/b/scim/v2"),
    "django-scim2": lambda: django("django-scim2", "/a/b/scim/v2"),
    "django-scim2-server": lambda: django("django-scim2-server", "/scim/v2"),
}


def check(target: ScimServer, workdir: Path) -> tuple[list[dict], str]:
    """One full CLI run (all checks, all profiles): its results, or why it could not evaluate."""
    report = workdir / f"{target.name.split()[0]}.json"
    command = [sys.executable, "-m", "conformance.cli", "check", target.base_url]
    command += [arg for profile in PROFILES for arg in ("--profile", profile)]
    command += ["--json", str(report), "--no-progress"]
    env = os.environ | {"SCIM_TOKEN": target.token}
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT
    )
    if done.returncode not in (0, 1) or not report.exists():
        said = (done.stderr.strip() or done.stdout.strip()).splitlines()
        return [], f"exit {done.returncode}: {said[-1] if said else 'no output'}"
    return read_report(report)


def read_report(path: Path) -> tuple[list[dict], str]:
    """The results ({id, status, message}) of a JSON report the CLI wrote."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [{k: r.get(k) for k in ("id", "status", "message")} for r in data["results"]], ""


def main(argv: list[str] | None = None) -> int:
    """Run the corpus, print the table and each server's false positives, save JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", action="append", choices=sorted(CORPUS_SERVERS), default=[])
    parser.add_argument("--keep-reports", metavar="DIR", help="also keep each run's JSON report")
    parser.add_argument(
        "--from-reports", metavar="DIR", help="re-score reports kept earlier; start no server"
    )
    parser.add_argument("--label", default="", help="what was measured (saved in the JSON)")
    args = parser.parse_args(argv)
    triage = tomllib.loads(TRIAGE.read_text(encoding="utf-8"))
    scores, runs = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep_reports or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in args.server or CORPUS_SERVERS:
            base_url, started = "", time.monotonic()
            try:
                if args.from_reports:
                    results, unevaluated = read_report(Path(args.from_reports) / f"{name}.json")
                else:
                    with CORPUS_SERVERS[name]() as target:
                        base_url = target.base_url
                        results, unevaluated = check(target, workdir)
            except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
                results, unevaluated = [], str(exc)
            score = compare(name, results, triage.get(name, {}))
            score.unevaluated = unevaluated
            scores.append(score)
            seconds = round(time.monotonic() - started, 1)
            runs[name] = {"base_url": base_url, "seconds": seconds, "results": results}
            runs[name] |= asdict(score)
    print(table(scores))
    for score in scores:
        for label, items in (
            ("false positives", score.false_positives),
            ("untriaged", score.untriaged),
            ("missed violations", score.missed),
            ("errors", score.errors),
        ):
            if items:
                print(f"\n{score.server}: {label}")
                for item in items:
                    print("  - " + json.dumps(item, ensure_ascii=False))
    stamp = timestamp()
    payload = {"benchmark": "accuracy", "started": stamp, "label": args.label}
    payload |= {"servers": runs, "table": table(scores)}
    print()
    save("accuracy", payload, stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
