"""Checks of what writes leave behind, sorted searches, /Me, bulk references and transport
(issue 8): each catches its fault and is quiet on the clean server
(tests/integration/conformance/test_framework_coverage.py runs both for every entry)."""

from __future__ import annotations

# check id -> the fault (tests/integration/conformance/faulty/faults_state.py) it must detect.
CHECK_FAULTS: dict[str, str] = {
    "values.null-unassigned": "null-kept",
    "patch.add.present-value-keeps-timestamp": "readd-touches-timestamp",
    "patch.schemas-then-extension": "patch-schemas-stale",
    "query.filter.defaulted-value": "defaulted-in-view-only",
    "replace.immutable-first-value": "immutable-first-dropped",
    "search.sort": "search-sort-ignored",
    "me.location": "me-location-is-me",
    "me.unsupported-501": "me-404",
    "bulk.circular-reference": "bulk-forward-group-dropped",
    "bulk.extension-reference": "bulk-extension-bulkid-kept",
    # SHOULD rules (faults in faulty/faults_advice.py, and faults_claims.py for PATCH)
    "query.unknown-parameter-ignored": "unknown-parameter-rejected",
    "schema.complex-sub-attributes": "complex-without-sub-attributes",
    "discovery.resource-types.plural-endpoints": "singular-extended-endpoint",
    "discovery.spc.patch-supported": "patch-unadvertised-501",
    "delete.name-reusable": "deleted-name-reserved",
}

# What a check reports on the clean scim2-server when that is not "pass".
CLEAN_EXPECTED: dict[str, str] = {
    # scim2-server defaults no attribute (active stays unset), so there is nothing to filter on.
    "query.filter.defaulted-value": "skip",
    # scim2-server's User schema declares no immutable attribute.
    "replace.immutable-first-value": "skip",
    # scim2-server does not offer /Me (501), so there is no Location to judge.
    "me.location": "skip",
    # scim2-server serves Users and Groups only: no extended resource type to judge.
    "discovery.resource-types.plural-endpoints": "skip",
}
