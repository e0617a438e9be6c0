"""The check registry: every conformance check, with its stable id, RFC section and level."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from conformance.context import CheckContext

Level = Literal["MUST", "SHOULD", "MAY"]
LEVELS: tuple[Level, ...] = ("MUST", "SHOULD", "MAY")
CAPABILITIES = frozenset({"patch", "bulk", "filter", "sort", "etag", "changePassword"})

# Packages whose modules register checks: the RFC areas, then the IdP profiles.
CHECK_PACKAGES = ("conformance.checks", "conformance.profiles")


@dataclass(frozen=True)
class CheckSpec:
    """One registered check: what it verifies, where the RFC says so and how strictly."""

    id: str
    title: str
    rfc: str
    level: Level
    tags: frozenset[str]
    needs: str | None
    mutating: bool
    group: str
    func: Callable[[CheckContext], None]

    @property
    def area(self) -> str:
        """The first segment of the id (``users`` for ``users.create.location-header``)."""
        return self.id.split(".", 1)[0]

    @property
    def rule(self) -> str:
        """The rule the check enforces: the first paragraph of its function's docstring."""
        doc = inspect.getdoc(self.func) or self.title
        return doc.split("\n\n", 1)[0].replace("\n", " ")

    @property
    def profile(self) -> str | None:
        """The IdP profile this check belongs to (``entra``...), None for RFC checks."""
        return self.id.split(".")[1] if self.id.startswith("profile.") else None


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
    needs: str | None = None,
    mutating: bool = False,
    group: str | None = None,
) -> Callable[[Callable[[CheckContext], None]], Callable[[CheckContext], None]]:
    """Decorator registering a check; duplicate ids raise ValueError. Docstring of func = rule."""
    if level not in LEVELS:
        raise ValueError(f"check {id!r}: level must be one of {LEVELS}, not {level!r}")
    if needs is not None and needs not in CAPABILITIES:
        raise ValueError(f"check {id!r}: unknown capability {needs!r}")
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
            needs=needs,
            mutating=mutating,
            # By default each check is its own group, so independent checks run concurrently.
            group=group or id,
            func=func,
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
        _loaded = True


def all_checks() -> list[CheckSpec]:
    """Import conformance.checks.* once and return every registered check, sorted by id."""
    load_checks()
    return sorted(REGISTRY.values(), key=lambda spec: spec.id)
