"""A self-contained HTML report a vendor reads: verdict first, then an index, then the checks.

The page opens with the verdict and the counts, then indexes the findings by RFC section and
by root cause. Filters for status and level, and transcripts that are unpacked only when
opened, come from one small inline script (conformance/report/assets/report.js); without it
every check is listed and the controls stay hidden. Nothing loads from the network.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from conformance.report.model import STATUSES, Report, Result, Status
from conformance.report.sections import by_section, section_of
from conformance.report.transcripts import pack, script_json
from conformance.spec import LEVELS

ASSETS = files("conformance.report") / "assets"
FINDINGS = (Status.FAIL, Status.ERROR, Status.WARN)
SHOWN_FIRST = frozenset({Status.FAIL, Status.ERROR, Status.WARN, Status.INFO})
MESSAGE_CHARS = 1_500  # characters of a check's message shown (the JSON report has it whole)
PAGE_BYTES = 480_000  # the whole page stays under this; transcripts get what the rest leaves


def _asset(name: str) -> str:
    """The text of a file in conformance/report/assets."""
    return (ASSETS / name).read_text(encoding="utf-8")


def _link(check_id: str) -> str:
    """A link to a check's entry in the page."""
    return f'<a href="#{escape(check_id)}"><code>{escape(check_id)}</code></a>'


def _badge(status: str) -> str:
    """A status as a coloured word (the word carries the meaning, the colour helps)."""
    return f'<span class="badge {status}">{status}</span>'


def _plural(count: int, word: str) -> str:
    """'1 check', '2 checks'."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def verdict(report: Report) -> tuple[str, str]:
    """(css class, one sentence): what the run says about the server, worst news first."""
    summary = report.summary
    judged = [r for r in report.rfc_results if not r.interrupted]
    errors = sum(1 for r in judged if r.status == Status.ERROR)
    if report.interrupted:
        missing = sum(1 for r in report.results if r.interrupted)
        return "incomplete", (
            f"Incomplete: the run was interrupted; {_plural(missing, 'check')} did not run to "
            "the end, so this report is partial."
        )
    if summary[Status.FAIL]:
        new = sum(1 for r in report.failures() if r.baseline == "new")
        extra = f" ({new} new since the baseline)" if any(r.baseline for r in judged) else ""
        return "fail", (
            f"Not conformant: {_plural(summary[Status.FAIL], 'MUST requirement')} failed{extra}."
        )
    if errors:
        return "error", f"Not fully evaluated: {_plural(errors, 'check')} could not run."
    if summary[Status.WARN]:
        return "warn", (
            f"Conformant, with {_plural(summary[Status.WARN], 'SHOULD recommendation')} not met."
        )
    return "pass", "Conformant: every RFC check that ran passed."


def _counts(report: Report) -> str:
    """The status counts of the RFC checks, and each IdP profile's."""
    header = "".join(f'<th scope="col">{s}</th>' for s in STATUSES)
    rows = [("RFC checks", report.summary)] + [
        (
            f"{name} profile ({'compatible' if info['compatible'] else 'NOT compatible'})",
            info["summary"],
        )
        for name, info in report.compatibility.items()
    ]
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f'<td class="{s}">{counts.get(s, 0)}</td>' for s in STATUSES)
        + "</tr>"
        for label, counts in rows
    )
    return f'<table class="counts"><tr><th scope="col">checks</th>{header}</tr>{body}</table>'


def _findings(report: Report) -> list[Result]:
    """Results a vendor has to act on: failures, errors and warnings the run really judged."""
    return [
        r for r in report.results if r.status in FINDINGS and not r.interrupted and not r.blocked_by
    ]


def _index_by_section(report: Report) -> str:
    """Findings grouped by the RFC section they cite, in RFC order."""
    groups: dict[str, list[Result]] = {}
    for result in _findings(report):
        groups.setdefault(section_of(result) if not result.profile else result.rfc, []).append(
            result
        )
    order = [name for name, _ in by_section(report)]
    ranked = sorted(groups, key=lambda s: (order.index(s) if s in order else len(order), s))
    if not ranked:
        return "<p>No failures, errors or warnings.</p>"
    parts = []
    for section in ranked:
        items = "".join(
            f"<li>{_badge(r.status)} {_link(r.id)} {escape(r.title)}</li>" for r in groups[section]
        )
        parts.append(
            f"<li><strong>{escape(section)}</strong> ({_plural(len(groups[section]), 'finding')})"
            f"<ul>{items}</ul></li>"
        )
    return f'<ul class="index">{"".join(parts)}</ul>'


def _index_by_root_cause(report: Report) -> str:
    """Checks whose broken behaviour blocked others, most blocking first."""
    roots = report.root_causes()
    if not roots:
        return "<p>No check blocked another: each finding stands on its own.</p>"
    ranked = sorted(roots.items(), key=lambda item: (-len(item[1]), item[0]))
    items = []
    for root, blocked in ranked:
        result = report.result(root)
        status = _badge(result.status) + " " if result else ""
        dependents = ", ".join(_link(check_id) for check_id in blocked)
        items.append(
            f"<li>{status}{_link(root)} blocked {_plural(len(blocked), 'check')}: {dependents}</li>"
        )
    return f'<ul class="index">{"".join(items)}</ul>'


def _filters(report: Report) -> str:
    """Status and level checkboxes (hidden until the script runs, so no dead controls)."""
    statuses = "".join(
        f'<label><input type="checkbox" name="status" value="{s}"'
        f"{' checked' if s in SHOWN_FIRST else ''}> {_badge(s)} "
        f"({sum(1 for r in report.results if r.status == s)})</label>"
        for s in STATUSES
    )
    levels = "".join(
        f'<label><input type="checkbox" name="level" value="{level}" checked> {level} '
        f"({sum(1 for r in report.results if r.level == level)})</label>"
        for level in LEVELS
    )
    return (
        '<form id="filters" class="filters" hidden aria-label="Filter the checks">'
        f"<fieldset><legend>Status</legend>{statuses}</fieldset>"
        f"<fieldset><legend>Level</legend>{levels}</fieldset>"
        '<button type="button" data-show="findings">Findings only</button> '
        '<button type="button" data-show="all">Show every check</button>'
        '<p id="shown" role="status" aria-live="polite"></p></form>'
    )


def _result(result: Result, transcripts: dict) -> str:
    """One check: summary line, the RFC sentence, the message, a collapsed transcript."""
    opened = (
        " open" if result.status in (Status.FAIL, Status.ERROR) and not result.interrupted else ""
    )
    mark = f' <span class="mark">{escape(result.baseline)}</span>' if result.baseline else ""
    quote = f"<blockquote>{escape(result.requirement)}</blockquote>" if result.requirement else ""
    blocked = f"<p>Blocked by {_link(result.blocked_by)}</p>" if result.blocked_by else ""
    message = result.message or "No finding."
    if len(message) > MESSAGE_CHARS:
        message = message[:MESSAGE_CHARS] + f"... ({len(message)} characters; see --json)"
    return (
        f'<details class="check" id="{escape(result.id)}" data-status="{result.status}" '
        f'data-level="{escape(result.level)}"{opened}><summary>{_badge(result.status)}{mark} '
        f'<code>{escape(result.id)}</code> <span class="level">{escape(result.level)}</span> '
        f"{escape(result.title)} <small>({escape(result.rfc)})</small></summary>{quote}{blocked}"
        f"<p>{escape(message)}</p>{_transcript(result, transcripts)}</details>"
    )


def _transcript(result: Result, transcripts: dict) -> str:
    """A closed transcript the script fills in when it is opened."""
    if not result.exchanges:
        return ""
    if result.id not in transcripts["checks"]:
        return (
            f'<p class="note">{_plural(len(result.exchanges), "request")}; the transcript is '
            "left out to keep this page small: the JSON report (--json) has it.</p>"
        )
    return (
        f'<details class="transcript" data-check="{escape(result.id)}"><summary>Transcript '
        f"({_plural(len(result.exchanges), 'request')})</summary><noscript>Transcripts are "
        "shown with JavaScript; the JSON report (--json) has them too.</noscript></details>"
    )


def _interrupted_line(report: Report) -> str:
    """The report's interruption line (Report.interruption_line) as a note."""
    line = report.interruption_line()
    return f'<p class="note">{escape(line)}</p>' if line else ""


def _stale_waivers(report: Report) -> str:
    """Baseline entries that matched no finding of this run."""
    if not report.stale_waivers:
        return ""
    items = "".join(f"<li><code>{escape(w)}</code></li>" for w in report.stale_waivers)
    return f"<h2>Stale waivers</h2><p>These match no finding any more:</p><ul>{items}</ul>"


def _sections_table(report: Report) -> str:
    """Status counts per RFC section, folded away."""
    header = "".join(f'<th scope="col">{s}</th>' for s in STATUSES)
    rows = "".join(
        f'<tr><th scope="row">{escape(name)}</th>'
        + "".join(f'<td class="{s}">{counts.get(s, 0)}</td>' for s in STATUSES)
        + "</tr>"
        for name, counts in by_section(report)
    )
    return (
        "<details><summary>Counts by RFC section</summary>"
        f'<table><tr><th scope="col">section</th>{header}</tr>{rows}</table></details>'
    )


def render(report: Report) -> str:
    """The whole HTML document."""
    budget = PAGE_BYTES
    while True:  # the packer's size is an estimate: shrink its budget until the page fits
        transcripts = pack(report, budget=budget)
        page = _page(report, transcripts, script_json(transcripts))
        size = len(page.encode("utf-8"))
        if size <= PAGE_BYTES or not transcripts["checks"]:
            return page
        budget = max(budget - (size - PAGE_BYTES) - 1_000, 0)


def _page(report: Report, transcripts: dict, packed: str) -> str:
    """The document around the packed transcripts."""
    tone, sentence = verdict(report)
    rfc_results = "".join(_result(r, transcripts) for r in report.rfc_results)
    profile_results = "".join(_result(r, transcripts) for r in report.results if r.profile)
    profiles = f"<h3>IdP profile checks</h3>{profile_results}" if profile_results else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SCIM conformance: {escape(report.target)}</title><style>{_asset("report.css")}</style>
</head><body><main>
<h1>SCIM 2.0 conformance of <code>{escape(report.target)}</code></h1>
<p class="verdict {tone}" id="verdict"><strong>{escape(sentence)}</strong></p>
{_interrupted_line(report)}
{_counts(report)}
<p class="meta">{escape(report.tool)} {escape(report.version)} · started
{escape(report.started)} · {report.duration_s:.1f}s · {report.requests} requests · prefix
<code>{escape(report.prefix)}</code></p>
<nav aria-label="Contents"><a href="#by-section">Findings by RFC section</a> ·
<a href="#by-root-cause">Findings by root cause</a> · <a href="#checks">Every check</a></nav>
<section aria-labelledby="by-section"><h2 id="by-section">Findings by RFC section</h2>
{_index_by_section(report)}</section>
<section aria-labelledby="by-root-cause"><h2 id="by-root-cause">Findings by root cause</h2>
{_index_by_root_cause(report)}</section>
{_stale_waivers(report)}
<section aria-labelledby="checks"><h2 id="checks">Every check</h2>
{_sections_table(report)}
{_filters(report)}
<div id="results">{rfc_results}{profiles}</div></section>
</main>
<script type="application/json" id="transcripts">{packed}</script>
<script>{_asset("report.js")}</script>
</body></html>
"""


def write(report: Report, path: str | Path) -> None:
    """Write the HTML report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(report), encoding="utf-8")
