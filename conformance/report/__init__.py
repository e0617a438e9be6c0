"""Report formats: JSON (machine), JUnit (CI), HTML (people), console (live run)."""

from conformance.report.model import STATUSES, Report, Result

__all__ = ["STATUSES", "Report", "Result"]
