"""python -m conformance.coverage [--check]: write (or verify) conformance/COVERAGE.md."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from conformance.coverage import TABLE, load, render
from conformance.registry import all_checks


def main(argv: Sequence[str] | None = None) -> int:
    """Render the coverage table; with --check, exit 1 if the committed one is stale."""
    parser = argparse.ArgumentParser(prog="python -m conformance.coverage")
    parser.add_argument("--check", action="store_true", help="fail if COVERAGE.md is stale")
    args = parser.parse_args(argv)
    inventory = load()
    unknown = inventory.unknown_checks(spec.id for spec in all_checks())
    if unknown:
        for sentence, ids in unknown.items():
            print(f"{sentence}: no check {', '.join(ids)} in the registry", file=sys.stderr)
        return 1
    table = render(inventory) + "\n"
    if args.check:
        current = TABLE.read_text(encoding="utf-8") if TABLE.exists() else ""
        if current != table:
            print(f"{TABLE} is stale: run python -m conformance.coverage", file=sys.stderr)
            return 1
    else:
        TABLE.write_text(table, encoding="utf-8")
    print(
        f"{inventory.count()} normative sentences: {inventory.count('checked')} checked, "
        f"{inventory.count('reason')} with a reason, {inventory.count('uncovered')} uncovered "
        f"({len(inventory.uncovered('MUST'))} MUST, {len(inventory.uncovered('SHOULD'))} SHOULD)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
