"""Checks closing RFC coverage gaps (issue 8): each catches its fault and is quiet on the clean
server (tests/integration/conformance/test_framework_coverage.py runs both for every entry)."""

from __future__ import annotations

# check id -> the fault (tests/integration/conformance/faulty/faults_gaps.py) it must detect.
CHECK_FAULTS: dict[str, str] = {
    "common.schemas.declared": "undeclared-schema-urn",
    "common.schemas.no-duplicates": "duplicate-schema-urn",
    "common.external-id.client-only": "invented-external-id",
    "common.id.no-bulk-id": "bulk-id-in-ids",
    "common.meta.unmodified-equals-created": "last-modified-after-created",
    "common.meta.content-location": "content-location-differs",
    "schema.attribute-names": "bad-attribute-name",
    "schema.complex-not-nested": "nested-complex-attribute",
    "discovery.schemas.no-message-urns": "message-schema-listed",
    "discovery.lists.query-ignored": "discovery-paged",
}
