"""A self-contained HTML report (inline CSS, no scripts, no external resources)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from conformance.report.model import STATUSES, Report, Result
from conformance.report.sections import by_section

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1d1d1f}
h1{font-size:1.5rem}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}th{background:#f3f3f3}
.pass{color:#146c2e}.fail{color:#b00020}.warn{color:#8a5a00}.info{color:#005a8a}.skip{color:#555}
.error{color:#6a1b9a}.mark{font-size:12px;border:1px solid;border-radius:3px;padding:0 .3rem}
blockquote{border-left:3px solid #ccc;margin:.3rem 0;padding-left:.6rem;color:#444}
details{border:1px solid #ddd;border-radius:4px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}pre{background:#f7f7f7;overflow:auto;padding:.5rem;font-size:13px}
.badge{display:inline-block;min-width:3.5rem;font-weight:600;text-transform:uppercase}
"""


def _exchange(item: dict) -> str:
    """One request/response pair as preformatted text."""
    request, response = item["request"], item.get("response")
    lines = [f"> {request['method']} {request['url']}"]
    lines += [f"> {k}: {v}" for k, v in request.get("headers", {}).items()]
    if request.get("body") is not None:
        lines.append(json.dumps(request["body"], indent=2, ensure_ascii=False))
    if response is None:
        lines.append(f"< (no response: {item.get('error')})")
    else:
        lines.append(f"< {response['status']}")
        lines += [f"< {k}: {v}" for k, v in response.get("headers", {}).items()]
        if response.get("body") is not None:
            lines.append(json.dumps(response["body"], indent=2, ensure_ascii=False))
    return f"<pre>{escape(chr(10).join(lines))}</pre>"


def _result(result: Result) -> str:
    """A collapsible block for one check; failures open by default."""
    opened = " open" if result.status in ("fail", "error") else ""
    exchanges = "".join(_exchange(item) for item in result.exchanges)
    mark = f' <span class="mark">{escape(result.baseline)}</span>' if result.baseline else ""
    quote = f"<blockquote>{escape(result.requirement)}</blockquote>" if result.requirement else ""
    blocked = (
        f'<p>Blocked by <a href="#{escape(result.blocked_by)}">{escape(result.blocked_by)}</a></p>'
        if result.blocked_by
        else ""
    )
    return (
        f'<details id="{escape(result.id)}"{opened}><summary>'
        f'<span class="badge {result.status}">{result.status}</span>{mark} '
        f"<code>{escape(result.id)}</code> [{result.level}] {escape(result.title)} "
        f"<small>({escape(result.rfc)})</small></summary>{quote}{blocked}"
        f"<p>{escape(result.message) or 'No finding.'}</p>{exchanges}</details>"
    )


def _root_causes(report: Report) -> str:
    """Each failed check that blocked others, with the checks it blocked."""
    items = "".join(
        f'<li><a href="#{escape(root)}"><code>{escape(root)}</code></a> blocked '
        + ", ".join(f"<code>{escape(check_id)}</code>" for check_id in blocked)
        + "</li>"
        for root, blocked in report.root_causes().items()
    )
    return f"<h2>Root causes</h2><ul>{items}</ul>" if items else ""


def _stale_waivers(report: Report) -> str:
    """Baseline entries that matched no finding of this run."""
    if not report.stale_waivers:
        return ""
    items = "".join(f"<li><code>{escape(w)}</code></li>" for w in report.stale_waivers)
    return f"<h2>Stale waivers</h2><p>These match no finding any more:</p><ul>{items}</ul>"


def _counts_row(label: str, counts: dict[str, int]) -> str:
    """A table row of status counts."""
    cells = "".join(f'<td class="{s}">{counts.get(s, 0)}</td>' for s in STATUSES)
    return f"<tr><th>{escape(label)}</th>{cells}</tr>"


def render(report: Report) -> str:
    """The whole HTML document."""
    header = "".join(f"<th>{s}</th>" for s in STATUSES)
    sections = "".join(_counts_row(name, counts) for name, counts in by_section(report))
    compat = "".join(
        _counts_row(
            f"{name} ({'compatible' if info['compatible'] else 'NOT compatible'})", info["summary"]
        )
        for name, info in report.compatibility.items()
    )
    compat_table = (
        f"<h2>IdP compatibility</h2><table><tr><th>profile</th>{header}</tr>{compat}</table>"
        if compat
        else ""
    )
    rfc_results = "".join(_result(r) for r in report.rfc_results)
    profile_results = "".join(_result(r) for r in report.results if r.profile)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>SCIM conformance: {escape(report.target)}</title><style>{STYLE}</style></head>
<body><main>
<h1>SCIM 2.0 conformance of <code>{escape(report.target)}</code></h1>
<p>{escape(report.tool)} {escape(report.version)} · started {escape(report.started)} ·
{report.duration_s:.1f}s · {report.requests} requests · prefix <code>{escape(report.prefix)}</code>
</p>
<table><tr><th>RFC verdict</th>{header}</tr>{_counts_row("all checks", report.summary)}</table>
<h2>By RFC section</h2><table><tr><th>section</th>{header}</tr>{sections}</table>
{compat_table}
{_root_causes(report)}{_stale_waivers(report)}
<h2>Checks</h2>{rfc_results}
{"<h2>Profile checks</h2>" + profile_results if profile_results else ""}
</main></body></html>
"""


def write(report: Report, path: str | Path) -> None:
    """Write the HTML report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(report), encoding="utf-8")
