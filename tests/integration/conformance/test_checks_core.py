"""Each discovery, Users, Groups, auth, error and media-type check detects its fault."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conformance.report.model import Result

# check id -> the fault (tests/integration/conformance/faulty/) that check must detect.
# scim2-server keeps a deleted User in Group.members (see test_framework_targets.py for the RFC
# text): a SHOULD-level warning, not a failure.
CLEAN_EXPECTED = {"groups.members.deleted-user-removed": "info"}

CHECK_FAULTS: dict[str, str] = {
    "auth.error-body": "plain-text-401",
    "auth.missing-token": "anonymous-access",
    "auth.scheme-case-insensitive": "case-sensitive-scheme",
    "auth.write-refused": "anonymous-access",
    "auth.wrong-scheme": "any-auth-scheme",
    "auth.wrong-token": "any-bearer-token",
    "auth.www-authenticate": "no-www-authenticate",
    "content-type.accept-json": "refuse-application-json",
    "content-type.default": "json-without-accept",
    "content-type.errors": "errors-as-json",
    "content-type.request-json": "refuse-json-body",
    "content-type.scim-json": "wrong-content-type",
    "content-type.utf8": "mangle-unicode",
    "discovery.resource-types.by-id": "no-single-resource-type",
    "discovery.resource-types.endpoints": "groups-endpoint-broken",
    "discovery.resource-types.endpoint-relative": "absolute-endpoints",
    "discovery.resource-types.list": "resource-types-bare-array",
    "discovery.resource-types.schema": "resource-type-missing-endpoint",
    "discovery.resource-types.schemas-published": "hide-enterprise-schema",
    "discovery.schemas.by-id": "no-single-schema",
    "discovery.schemas.list": "schemas-bare-array",
    "discovery.schemas.schema": "schema-attribute-missing-type",
    "discovery.spc.authentication-schemes": "no-authentication-schemes",
    "discovery.spc.available": "spc-missing",
    "discovery.spc.filter-forbidden": "spc-ignores-filter",
    "discovery.spc.schema": "spc-bad-types",
    "errors.invalid-json.scim-type": "scim-type-swapped",
    "errors.invalid-json.status": "500-on-bad-json",
    "errors.missing-required.scim-type": "scim-type-swapped",
    "errors.missing-required.status": "accept-missing-user-name",
    "errors.not-found.body": "status-as-int",
    "errors.scim-type.fits-status": "wrong-scim-type",
    "groups.create.identity": "drop-schemas",
    "groups.create.location-header": "drop-location",
    "groups.create.members": "ignore-members-on-create",
    "groups.create.meta": "meta-created-not-datetime",
    "groups.create.schema-valid": "bad-attribute-types",
    "groups.create.status": "create-200",
    "groups.delete.gone": "soft-delete",
    "groups.delete.members-kept": "cascade-delete-members",
    "groups.delete.status": "delete-200",
    "groups.members.deleted-user-removed": "keep-deleted-members",
    "groups.read.by-id": "wrong-id-on-get",
    "groups.replace.applied": "ignore-put",
    "groups.replace.status": "put-204",
    "users.create.echoes-input": "mangle-create-echo",
    "users.create.identity": "drop-schemas",
    "users.create.location-header": "drop-location",
    "users.create.meta": "meta-created-not-datetime",
    "users.create.password-not-returned": "return-password",
    "users.create.readonly-ignored": "keep-client-meta",
    "users.create.schema-valid": "bad-attribute-types",
    "users.create.status": "create-200",
    "users.create.uniqueness": "conflict-as-400",
    "users.delete.gone": "soft-delete",
    "users.delete.status": "delete-200",
    "users.list.list-response": "list-without-total",
    "users.read.by-id": "wrong-id-on-get",
    "users.read.not-found": "not-found-as-400",
    "users.read.password-not-returned": "return-password",
    "users.replace.applied": "ignore-put",
    "users.replace.meta-updated": "created-changes-on-put",
    "users.replace.password-not-returned": "return-password",
    "users.replace.readonly-ignored": "keep-client-meta",
    "users.replace.status": "put-204",
    "discovery.lists.total-results": "discovery-list-without-total",
    "discovery.unknown-id.error-body": "discovery-404-plain",
    "content-type.error-statuses": "non-404-errors-as-json",
}


def test_deleted_user_check_passes_on_a_purging_server(
    faulty_server: Callable[..., str], run_check: Callable[..., Result]
) -> None:
    """scim2-server keeps deleted members (info); made to purge them, the check passes."""
    result = run_check(
        "groups.members.deleted-user-removed", faulty_server({"purge-deleted-members"})
    )
    assert result.status == "pass", result.message


def test_auth_checks_skip_without_a_token(
    faulty_server: Callable[..., str], run_checks: Callable[..., object]
) -> None:
    """A run without a token cannot judge authentication: those checks skip, not fail."""
    report = run_checks(
        ["auth.missing-token", "auth.wrong-scheme"], faulty_server({"anonymous-access"}), token=None
    )
    assert [r.status for r in report.results] == ["skip", "skip"]


@pytest.mark.parametrize(
    ("check_id", "fault", "expected"),
    [
        ("errors.invalid-json.scim-type", "no-scim-type", "pass"),
        ("errors.missing-required.scim-type", "no-scim-type", "pass"),
        ("users.create.meta", "drop-meta-resource-type", "info"),
        ("groups.create.meta", "drop-meta-resource-type", "info"),
    ],
)
def test_optional_values_left_out_are_no_finding(
    check_id: str,
    fault: str,
    expected: str,
    faulty_server: Callable[..., str],
    run_check: Callable[..., Result],
) -> None:
    """scimType (OPTIONAL) or a meta sub-attribute left out: pass or info, never warn or fail."""
    result = run_check(check_id, faulty_server({fault}))
    assert result.status == expected, result.message
