"""The accessibility scan in a real Chromium: it finds violations, and a scan that leaves out
repeated rows still finds them in the rows it keeps and everywhere else."""

from __future__ import annotations

from steps.accessibility import MARKUP, repeated_siblings, scan

ROW = '<tr><td><img src="data:,"></td><td>Member</td></tr>'
PAGE = """<!doctype html><html lang="en"><head><title>Users</title></head><body><main>
<h1>Users</h1>
<table><thead><tr><th>Picture</th><th>Role</th></tr></thead><tbody>{rows}</tbody></table>
<p style="color:#bbb;background:#fff">Faint text</p>
</main></body></html>"""


def test_a_scan_that_leaves_out_repeated_rows_still_finds_every_kind_of_violation(page):
    page.set_content(PAGE.format(rows=ROW * 6))
    content_type, html = page.evaluate(MARKUP)
    leave_out = repeated_siblings(html)
    assert content_type == "text/html"
    assert len(leave_out) == 4  # rows three to six repeat rows one and two

    kept = {violation["id"]: violation for violation in scan(page, leave_out)}
    everything = {violation["id"]: violation for violation in scan(page)}

    assert {"image-alt", "color-contrast"} <= set(kept)
    assert set(kept) == set(everything)
    assert len(kept["image-alt"]["nodes"]) == 2
    assert len(everything["image-alt"]["nodes"]) == 6


def test_a_page_without_violations_passes(page):
    page.set_content(PAGE.format(rows=ROW.replace('src="data:,"', 'src="data:," alt="Jane"')))
    page.locator("p").evaluate("p => p.remove()")
    assert scan(page, repeated_siblings(page.evaluate(MARKUP)[1])) == []
