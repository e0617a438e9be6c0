"""JUnit XML: one testcase per check, named by id, classname the RFC section."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.exchange import Exchange
from conformance.report.model import WAIVED, Report, Result


def transcript(result: Result) -> str:
    """The message followed by every exchange of the check, as text."""
    parts = [result.message]
    for item in result.exchanges:
        exchange = Exchange(
            request=item["request"], response=item.get("response"), error=item.get("error")
        )
        parts.append(exchange.transcript())
    return "\n\n".join(part for part in parts if part)


def to_xml(report: Report) -> ET.Element:
    """The <testsuites> element of a report."""
    suites = ET.Element("testsuites", name=report.tool)
    groups = {"RFC 7643/7644": report.rfc_results}
    for name in report.compatibility:
        groups[f"profile {name}"] = [r for r in report.results if r.profile == name]
    for suite_name, results in groups.items():
        counts = {
            status: sum(r.status == status and r.baseline != WAIVED for r in results)
            for status in ("fail", "error", "skip")
        }
        counts["skip"] += sum(r.baseline == WAIVED for r in results)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{report.tool} {suite_name}",
            tests=str(len(results)),
            failures=str(counts["fail"]),
            errors=str(counts["error"]),
            skipped=str(counts["skip"]),
            time=f"{sum(r.duration_s for r in results):.3f}",
            timestamp=report.started,
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="target", value=report.target)
        for root, blocked in report.root_causes().items():
            ET.SubElement(
                properties, "property", name=f"root-cause {root}", value=" ".join(blocked)
            )
        for waiver in report.stale_waivers:
            ET.SubElement(properties, "property", name="stale-waiver", value=waiver)
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                name=result.id,
                classname=result.rfc,
                time=f"{result.duration_s:.3f}",
            )
            mark = f"[{result.baseline}] " if result.baseline else ""
            label = f"{mark}[{result.level}] {result.title}: {result.message}"
            if result.requirement:
                label += f' (RFC: "{result.requirement}")'
            if result.baseline == WAIVED:
                ET.SubElement(case, "skipped", message=f"{label}").text = transcript(result)
            elif result.status == "fail":
                ET.SubElement(case, "failure", message=label, type=result.level).text = transcript(
                    result
                )
            elif result.status == "error":
                ET.SubElement(case, "error", message=label).text = transcript(result)
            elif result.status == "skip":
                ET.SubElement(case, "skipped", message=result.message)
            elif result.status in ("warn", "info"):
                # JUnit has no warning: the check passes, its finding goes to system-out.
                text = f"{result.status.upper()} {label}\n\n{transcript(result)}"
                ET.SubElement(case, "system-out").text = text
    return suites


def write(report: Report, path: str | Path) -> None:
    """Write the JUnit XML file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(to_xml(report))
    ET.indent(tree)
    tree.write(target, encoding="utf-8", xml_declaration=True)
