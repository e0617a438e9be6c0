"""The filter grammar (RFC 7644 §3.4.2.2): parsing, precedence, typed comparisons, and the
SQL translation agreeing with the Python evaluator."""

from __future__ import annotations

import pytest

from stub_server.scim.errors import ScimError
from stub_server.scim.filter_bind import compile_filter
from stub_server.scim.filter_eval import matches
from stub_server.scim.filter_parser import And, Compare, Not, Or, Present, ValuePath, parse_filter
from stub_server.scim.filter_sql import translate
from stub_server.scim.schemas import USER
from stub_server.storage import ResourceQuery
from stub_server.storage.sqlite_tables import USERS
from tests.scim_helpers import ENTERPRISE, ScimClient, assert_scim_error


def test_precedence_not_binds_tighter_than_and_tighter_than_or() -> None:
    ast = parse_filter("a eq 1 or b eq 2 and not (c pr) or d pr")
    assert isinstance(ast, Or) and isinstance(ast.left, Or)
    assert isinstance(ast.left.right, And) and isinstance(ast.left.right.right, Not)
    assert isinstance(ast.right, Present)
    grouped = parse_filter("(a eq 1 or b eq 2) and c eq 3")
    assert isinstance(grouped, And) and isinstance(grouped.left, Or)


def test_names_operators_and_literals() -> None:
    ast = parse_filter(
        f'{ENTERPRISE}:manager.value EQ "x" AnD emails[type eq "work"] '
        "or active eq TRUE or x gt -1.5e2 or y eq null"
    )
    leaves = []

    def walk(node: object) -> None:
        if isinstance(node, And | Or):
            walk(node.left)
            walk(node.right)
        else:
            leaves.append(node)

    walk(ast)
    assert leaves[0] == Compare(leaves[0].path, "eq", "x")
    assert leaves[0].path.urn == ENTERPRISE and leaves[0].path.sub == "value"
    assert isinstance(leaves[1], ValuePath)
    assert [leaf.value for leaf in leaves[2:]] == [True, -150.0, None]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "userName",
        "userName eq",
        'userName xx "a"',
        'userName eq "a" and',
        "(userName pr",
        'userName eq "a")',
        "userName eq unquoted",
        'emails[type eq "work"',
        'a.b.c eq "x"',
        'userName eq "\\ud800"',
        "userName eq 1e999",
        "not userName pr",
        'userName eq "a" "b"',
        "@ eq 1",
        'userName eq "x" or ' * 300 + "userName pr",
    ],
)
def test_syntax_errors_are_invalid_filter(text: str) -> None:
    with pytest.raises(ScimError) as caught:
        compile_filter(text, USER)
    assert caught.value.status == 400 and caught.value.scim_type == "invalidFilter"


@pytest.mark.parametrize(
    "text",
    [
        'nosuch eq "x"',
        'name.nosuch eq "x"',
        'urn:example:x:foo eq "x"',
        "active gt true",
        'active eq "true"',
        "userName eq 1",
        'meta.created gt "yesterday"',
        'name eq "x"',
        "userName co null",
        'emails[nosuch eq "x"]',
        'emails[type eq "x"][value pr]',
    ],
)
def test_semantic_errors_are_invalid_filter(text: str) -> None:
    with pytest.raises(ScimError) as caught:
        compile_filter(text, USER)
    assert caught.value.scim_type == "invalidFilter"


@pytest.fixture
def people(scim: ScimClient) -> dict[str, dict]:
    """Five users with varied attributes."""
    made = {
        "ada": scim.create_user(
            "Ada@Example.com",
            active=True,
            title="Engineer",
            name={"givenName": "Ada", "familyName": "Lovelace"},
            emails=[
                {"value": "ada@work.example", "type": "work", "primary": True},
                {"value": "ada@home.example", "type": "home"},
            ],
            externalId="EXT-1",
            **{ENTERPRISE: {"employeeNumber": "7"}},
        ),
        "bob": scim.create_user(
            "bob@example.com",
            active=False,
            title="engineer",
            name={"givenName": "Bob", "familyName": "Babbage"},
            emails=[{"value": "bob@work.example", "type": "work"}],
            externalId="ext-1",
        ),
        "cy": scim.create_user("cy@example.org", name={"givenName": "Cy"}, nickName="C"),
        "di": scim.create_user("di@example.org", active=True, displayName="Di Admin"),
        "ed": scim.create_user("ed@other.test", active=True, title="Boss"),
    }
    return made


def names(scim: ScimClient, text: str) -> list[str]:
    """The userNames a filter selects, checked against the Python evaluator."""
    resp = scim.get("/Users", filter=text, count=100)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return sorted(u["userName"].split("@")[0].lower() for u in resp.get_json()["Resources"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "ada@example.com"', ["ada"]),
        ('USERNAME Eq "ADA@EXAMPLE.COM"', ["ada"]),
        ('userName ne "ada@example.com"', ["bob", "cy", "di", "ed"]),
        ('userName co "EXAMPLE"', ["ada", "bob", "cy", "di"]),
        ('userName sw "b"', ["bob"]),
        ('userName ew ".org"', ["cy", "di"]),
        ('userName gt "c"', ["cy", "di", "ed"]),
        ('userName le "bob@example.com"', ["ada", "bob"]),
        ('externalId eq "ext-1"', ["bob"]),
        ("externalId pr", ["ada", "bob"]),
        ('title eq "engineer"', ["ada", "bob"]),
        ("active eq true", ["ada", "di", "ed"]),
        ("active eq false", ["bob"]),
        ("active ne true", ["bob", "cy"]),
        ("not (active pr)", ["cy"]),
        ("active eq null", ["cy"]),
        ('name.familyName sw "l"', ["ada"]),
        ("name pr", ["ada", "bob", "cy"]),
        ('emails.value ew "work.example"', ["ada", "bob"]),
        ('emails co "home"', ["ada"]),
        ('emails[type eq "work" and value co "bob"]', ["bob"]),
        ('emails[type eq "home"] or nickName pr', ["ada", "cy"]),
        ('emails[not (type eq "work")]', ["ada"]),
        ("emails.primary eq true", ["ada"]),
        ('displayName co "admin"', ["di"]),
        (f'{ENTERPRISE}:employeeNumber eq "7"', ["ada"]),
        ('urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ED"', ["ed"]),
        ('title eq "engineer" and active eq true or userName sw "e"', ["ada", "ed"]),
        ('title eq "engineer" and (active eq true or userName sw "b")', ["ada", "bob"]),
        ('not (title eq "engineer" or title pr)', ["cy", "di"]),
        ('meta.created gt "2000-01-01T00:00:00Z"', ["ada", "bob", "cy", "di", "ed"]),
        ('meta.lastModified lt "2000-01-01T00:00:00+02:00"', []),
    ],
)
def test_filters_select_the_right_users(
    scim: ScimClient, people: dict, text: str, expected: list[str]
) -> None:
    assert names(scim, text) == expected


def test_sql_translation_agrees_with_python_evaluation(
    scim: ScimClient, people: dict, scim_storage: object
) -> None:
    conn = scim_storage.connection()
    _, stored = scim_storage.resources.search("blt0acme000000001", "User", ResourceQuery())
    every = {s.id: s.resource for s in stored}
    filters = [
        'userName sw "a" or not (externalId eq "EXT-1")',
        "active ne false",
        'emails[type eq "work"] and not (emails.value co "bob")',
        "displayName eq null",
        'userName gt "b" and userName lt "e"',
        'emails.type eq "HOME"',
        'meta.created ge "2000-01-01T00:00:00.000Z"',
    ]
    for text in filters:
        ast = compile_filter(text, USER)
        sql = translate(ast, USERS.sql_map)
        assert sql is not None and sql.exact, text
        got = {
            r["id"]
            for r in conn.execute(
                f"SELECT r.id FROM scim_users r WHERE r.org_uid = ? AND {sql.text}",
                ("blt0acme000000001", *sql.params),
            )
        }
        assert got == {i for i, res in every.items() if matches(ast, res)}, text


def test_filter_errors_over_http(scim: ScimClient) -> None:
    assert_scim_error(scim.get("/Users", filter="userName eq"), 400, "invalidFilter")
    assert_scim_error(
        scim.post(
            "/Users/.search",
            {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                "filter": "nosuch pr",
            },
        ),
        400,
        "invalidFilter",
    )
