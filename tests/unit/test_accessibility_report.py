"""The accessibility scan's failure message names each rule, its help and where it broke."""

from __future__ import annotations

from steps.accessibility import AXE_OPTIONS, FAILING_IMPACTS, violations_report


def test_the_report_names_rule_impact_help_and_elements():
    violation = {
        "id": "color-contrast",
        "impact": "serious",
        "help": "Elements must meet minimum color contrast ratio thresholds",
        "helpUrl": "https://dequeuniversity.com/rules/axe/4.12/color-contrast",
        "nodes": [{"target": [".badge"]}, {"target": ["#main", "p > span"]}],
    }
    report = violations_report("http://127.0.0.1/x", [violation])
    assert report.splitlines() == [
        "axe-core found 1 accessibility violation(s) on http://127.0.0.1/x:",
        "- color-contrast (serious): Elements must meet minimum color contrast ratio thresholds "
        "<https://dequeuniversity.com/rules/axe/4.12/color-contrast>",
        "    at .badge",
        "    at #main, p > span",
    ]


def test_wcag_a_and_aa_and_best_practices_fail_at_every_impact():
    assert {"wcag2a", "wcag2aa", "wcag21aa", "best-practice"} <= set(
        AXE_OPTIONS["runOnly"]["values"]
    )
    assert {"minor", "moderate", "serious", "critical"} == FAILING_IMPACTS
