"""The check registry: every conformance check, with its stable id, RFC section and level."""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from conformance.requirements import REQUIREMENTS
from conformance.spec import CAPABILITIES, LEVELS, CheckSpec, Level, as_needs

if TYPE_CHECKING:
    from conformance.context import CheckContext

__all__ = ["CAPABILITIES", "LEVELS", "REGISTRY", "CheckSpec", "Level", "all_checks", "check"]

# Packages whose modules register checks: the RFC areas, then the IdP profiles.
CHECK_PACKAGES = ("conformance.checks", "conformance.profiles")

REGISTRY: dict[str, CheckSpec] = {}
_registry_lock = threading.Lock()
_load_lock = threading.Lock()
_loaded = False


def check(
    id: str,
    *,
    title: str,
    rfc: str,
    level: Level,
    tags: Iterable[str] = (),
    needs: str | Iterable[str] | None = None,
    mutating: bool = False,
    group: str | None = None,
    rule: str = "",
) -> Callable[[Callable[[CheckContext], None]], Callable[[CheckContext], None]]:
    """Decorator registering a check; duplicate ids raise ValueError. Docstring of func = rule.

    ``needs`` names capabilities (``"patch"``) and/or ids of precondition checks
    (``"groups.create.members"``). The RFC sentence enforced comes from
    conformance.requirements, keyed by id. ``rule`` stands in for the docstring of a check
    registered from a table of cases.
    """
    if level not in LEVELS:
        raise ValueError(f"check {id!r}: level must be one of {LEVELS}, not {level!r}")
    wanted = as_needs(needs)
    for need in wanted:
        if need not in CAPABILITIES and "." not in need:
            raise ValueError(f"check {id!r}: unknown capability {need!r}")
    if not id or " " in id or id != id.strip("."):
        raise ValueError(f"check id {id!r} must be a dotted name without spaces")

    def register(func: Callable[[CheckContext], None]) -> Callable[[CheckContext], None]:
        area = id.split(".", 1)[0]
        spec = CheckSpec(
            id=id,
            title=title,
            rfc=rfc,
            level=level,
            tags=frozenset({area, *tags}),
            needs=wanted,
            mutating=mutating,
            # By default each check is its own group, so independent checks run concurrently.
            group=group or id,
            func=func,
            requirement=REQUIREMENTS.get(id, ""),
            doc=rule,
        )
        with _registry_lock:
            if id in REGISTRY:
                raise ValueError(f"duplicate check id {id!r}")
            REGISTRY[id] = spec
        return func

    return register


def _import_package_modules(package_name: str) -> None:
    """Import every module of a package (once), so its checks register themselves."""
    try:
        package = importlib.import_module(package_name)
    except ModuleNotFoundError as exc:
        if exc.name == package_name:
            return
        raise
    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_"):
            importlib.import_module(f"{package_name}.{module.name}")


def load_checks() -> None:
    """Import every check module once (idempotent, thread-safe)."""
    global _loaded
    with _load_lock:
        if _loaded:
            return
        for package_name in CHECK_PACKAGES:
            _import_package_modules(package_name)
        validate_preconditions(REGISTRY.values())
        _loaded = True


def all_checks() -> list[CheckSpec]:
    """Import conformance.checks.* once and return every registered check, sorted by id."""
    load_checks()
    return sorted(REGISTRY.values(), key=lambda spec: spec.id)


def validate_preconditions(specs: Iterable[CheckSpec]) -> None:
    """Raise ValueError if a check needs an unknown check id or preconditions form a cycle."""
    specs = list(specs)
    known = {spec.id: spec for spec in specs}
    for spec in specs:
        for need in spec.preconditions:
            if need not in REGISTRY:
                raise ValueError(f"check {spec.id!r} needs unknown check {need!r}")
    state: dict[str, int] = {}

    def visit(check_id: str, path: tuple[str, ...]) -> None:
        if state.get(check_id) == 2:
            return
        if state.get(check_id) == 1:
            raise ValueError(f"precondition cycle: {' -> '.join((*path, check_id))}")
        state[check_id] = 1
        spec = known.get(check_id) or REGISTRY.get(check_id)
        for need in spec.preconditions if spec else ():
            visit(need, (*path, check_id))
        state[check_id] = 2

    for spec in specs:
        visit(spec.id, ())
