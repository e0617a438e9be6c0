"""Wall time of a full conformance run, beside scim2-tester's check_server, on the same servers.

Both servers run in their own subprocess on a free 127.0.0.1 port (scim2-server through its
``scim2-server`` CLI, the stub through ``scim-stub``), so client and server do not share a GIL.
On scim2-server the two tools alternate (ours, scim2-tester, ours, ...), so each pair of runs
sees the same load on a shared machine; the ratio reported is the median of the per-pair ratios
(``ratio`` = our seconds / scim2-tester's seconds; the goal is at most 0.5). For each server and
tool the run is repeated (default 3) and the median kept. scim2-tester runs
only against scim2-server in its default configuration (the stub's e-mail userName and
required name attributes are outside what scim2-tester generates). Our rows also give the
checker's own CPU seconds (``client_cpu_median_s``), steadier than wall time on a shared
machine. Prints a table and writes
``benchmarks/results/conformance_speed-<timestamp>.json``. Nothing here asserts a time.

    .venv/bin/python benchmarks/conformance_speed.py [--repeat 5] [--workers 4]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from result_files import machine, save, timestamp
from servers import ROOT, ScimServer, reference_server, stub_server

PROFILES = ("entra", "okta", "onelogin")
sys.path.insert(0, str(ROOT))


def ours(target: ScimServer, workers: int) -> dict:
    """One full conformance run (every RFC check and every IdP profile)."""
    import conformance

    started, cpu = time.perf_counter(), time.process_time()
    report = conformance.run(target.base_url, target.token, profiles=PROFILES, workers=workers)
    return {
        "seconds": time.perf_counter() - started,
        "client_cpu_s": round(time.process_time() - cpu, 3),  # this process: the checker's CPU
        "checks": len(report.results),
        "requests": report.requests,
        "summary": report.summary,
        "compatibility": {k: v["summary"] for k, v in report.compatibility.items()},
    }


def scim2_tester(target: ScimServer) -> dict:
    """scim2-tester's check_server over httpx2 (network), as its README shows."""
    from httpx2 import Client
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import check_server

    started = time.perf_counter()
    with Client(
        base_url=target.base_url, headers={"Authorization": f"Bearer {target.token}"}
    ) as http:
        results = check_server(SyncSCIMClient(http))
    seconds = time.perf_counter() - started
    statuses: dict[str, int] = {}
    for result in results:
        name = getattr(result.status, "name", str(result.status)).lower()
        statuses[name] = statuses.get(name, 0) + 1
    return {"seconds": seconds, "checks": len(results), "statuses": statuses}


def summarize(label: str, runs: list[dict]) -> dict:
    """Every duration, their median (and the checker's median CPU), the last run's details."""
    durations = [r["seconds"] for r in runs]
    cpu = [r["client_cpu_s"] for r in runs if "client_cpu_s" in r]
    return {
        "tool": label,
        "median_s": statistics.median(durations),
        "runs_s": [round(d, 3) for d in durations],
        **({"client_cpu_median_s": statistics.median(cpu)} if cpu else {}),
        **{k: v for k, v in runs[-1].items() if k not in ("seconds", "client_cpu_s")},
    }


def measure(label: str, run: Callable[[], dict], repeat: int) -> dict:
    """Repeat a run; keep every duration and the median, and the last run's details."""
    return summarize(label, [run() for _ in range(repeat)])


def alternate(first: Callable[[], dict], second: Callable[[], dict], repeat: int) -> tuple:
    """Run first and second in turns; their runs and the per-pair duration ratios."""
    pairs = [(first(), second()) for _ in range(repeat)]
    ratios = [a["seconds"] / b["seconds"] for a, b in pairs]
    return [a for a, _ in pairs], [b for _, b in pairs], ratios


def main(argv: list[str] | None = None) -> int:
    """Run the comparison, print a table, save JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    rows = []
    with reference_server() as target:
        ours(target, args.workers)  # warm-up: imports and schema compilation, not timed
        mine, theirs, ratios = alternate(
            lambda: ours(target, args.workers), lambda: scim2_tester(target), args.repeat
        )
        rows.append({"server": target.name, **summarize("scim-conformance", mine)})
        rows.append({"server": target.name, **summarize("scim2-tester check_server", theirs)})
    ratio = {
        "ratio_runs": [round(r, 3) for r in ratios],
        "ratio_median": round(statistics.median(ratios), 3),
    }
    with tempfile.TemporaryDirectory() as workdir, stub_server(Path(workdir)) as target:
        rows.append(
            {
                "server": target.name,
                **measure("scim-conformance", lambda: ours(target, args.workers), args.repeat),
            }
        )
    print(
        f"{'server':14} {'tool':28} {'checks':>6} {'requests':>8} {'cpu s':>6} {'median s':>9} runs"
    )
    for row in rows:
        print(
            f"{row['server']:14} {row['tool']:28} {row['checks']:>6} "
            f"{row.get('requests', '-'):>8} {row.get('client_cpu_median_s', '-'):>6} "
            f"{row['median_s']:>9.2f}  {row['runs_s']}"
        )
    print(
        f"scim2-server: ours / scim2-tester per pair {ratio['ratio_runs']}, "
        f"median {ratio['ratio_median']} (goal <= 0.5)"
    )
    stamp = timestamp()
    document = {"benchmark": "conformance_speed", "started": stamp, "repeat": args.repeat}
    document |= {"workers": args.workers, **machine(), "rows": rows, **ratio}
    save("conformance_speed", document, stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
