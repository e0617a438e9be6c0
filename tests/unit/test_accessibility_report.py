"""The accessibility scan's failure message names each rule, its help and where it broke."""

from __future__ import annotations

from steps.accessibility import (
    AXE_OPTIONS,
    FAILING_IMPACTS,
    markup_key,
    repeated_siblings,
    violations_report,
)


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


def test_pages_differing_only_in_tokens_times_and_ports_share_a_scan():
    one = (
        '<meta name="csrf-token" content="abc"><input name="csrf_token" value="abc">'
        '<a href="http://127.0.0.1:4100/x">at 2026-01-31 10:00</a> scimproof_AbC-9'
    )
    other = (
        '<meta name="csrf-token" content="xyz"><input name="csrf_token" value="xyz">'
        '<a href="http://127.0.0.1:5200/x">at 2027-02-28 11:30</a> scimproof_zZz_1'
    )
    assert markup_key(one) == markup_key(other)


def test_a_change_a_person_sees_needs_its_own_scan():
    closed = '<dialog id="replace-token-dialog"><p>Replace</p></dialog>'
    opened = '<dialog id="replace-token-dialog" open=""><p>Replace</p></dialog>'
    assert markup_key(closed) != markup_key(opened)
    assert markup_key("<button>Copy</button>") != markup_key("<button></button>")
    assert markup_key('<img alt="Logo">') != markup_key('<img alt="">')
    assert markup_key("<input>") != markup_key("<input disabled>")


def test_the_same_page_showing_other_data_shares_a_scan():
    row = "<tr><td>{}</td><td>{}</td></tr>"
    one_row = f"<table>{row.format('Jane Doe 3fa9', 'Admin')}</table>"
    three_rows = f"<table>{row.format('Jane', 'Admin')}{row.format('Max', 'Member') * 2}</table>"
    assert markup_key(one_row) == markup_key(three_rows)


def test_a_scan_leaves_out_rows_that_repeat_two_earlier_rows():
    row = "<tr><td>{}</td><td>{}</td></tr>"
    rows = "".join(row.format(name, "Member") for name in ("Jane", "Max", "Ann", "Bo"))
    odd = '<tr class="failed"><td>Eve</td><td>Admin</td></tr><tr><td>Lee</td><td></td></tr>'
    page = f"<html><head></head><body><table><tbody>{rows}{odd}</tbody></table></body></html>"
    table = "html > body:nth-child(2) > table:nth-child(1) > tbody:nth-child(1)"
    assert repeated_siblings(page) == [f"{table} > tr:nth-child(3)", f"{table} > tr:nth-child(4)"]


def test_void_elements_and_stray_end_tags_keep_the_paths_right():
    page = "<html><head></head><body><p>a<br>b</br></p><input><input><input><p>c</p></body></html>"
    assert repeated_siblings(page) == ["html > body:nth-child(2) > input:nth-child(4)"]
