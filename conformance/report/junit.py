"""JUnit XML: one testcase per check, named by id, classname the RFC section."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.http import Exchange
from conformance.report.model import Report, Result


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
            status: sum(r.status == status for r in results) for status in ("fail", "error", "skip")
        }
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
        ET.SubElement(
            ET.SubElement(suite, "properties"), "property", name="target", value=report.target
        )
        for result in results:
            case = ET.SubElement(
                suite,
                "testcase",
                name=result.id,
                classname=result.rfc,
                time=f"{result.duration_s:.3f}",
            )
            label = f"[{result.level}] {result.title}: {result.message}"
            if result.status == "fail":
                ET.SubElement(case, "failure", message=label, type=result.level).text = transcript(
                    result
                )
            elif result.status == "error":
                ET.SubElement(case, "error", message=label).text = transcript(result)
            elif result.status == "skip":
                ET.SubElement(case, "skipped", message=result.message)
            elif result.status == "warn":
                # JUnit has no warning: the check passes, its warning goes to system-out.
                ET.SubElement(case, "system-out").text = f"WARN {label}\n\n{transcript(result)}"
    return suites


def write(report: Report, path: str | Path) -> None:
    """Write the JUnit XML file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(to_xml(report))
    ET.indent(tree)
    tree.write(target, encoding="utf-8", xml_declaration=True)
