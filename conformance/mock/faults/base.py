"""The fault type, its registration (:func:`fault`), how selected faults apply (:class:`FaultSet`).

A fault is a handful of hooks on the request pipeline (see ../model.py); pipeline.py calls them
through :class:`FaultSet` and knows no fault by name. What a fault breaks and does is its entry
in ``catalog.yaml`` beside this module (:data:`ENTRIES`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from starlette.responses import Response

from conformance.mock.faults.scope import FaultScope
from conformance.mock.fixture import Job
from conformance.mock.model import (
    Access,
    ApiError,
    Body,
    Ctx,
    Limits,
    Query,
    Selection,
    Window,
)


@dataclass(frozen=True)
class Fault:
    """A named bug: which requirement it breaks, what it does, and the hooks that do it."""

    name: str
    requirement: str
    description: str
    access: Callable[[Ctx, Access], Access] | None = None
    resolve: Callable[[Ctx], Job | None] | None = None  # a job to serve instead of a 404
    limits: Callable[[Ctx, Limits], Limits] | None = None
    query: Callable[[Ctx, Query], Query] | None = None
    cursor_in: Callable[[Ctx, str], str] | None = None
    cursor_out: Callable[[Ctx, str], str] | None = None
    select: Callable[[Ctx, Job, Query, Selection | None], Selection | None] | None = None
    window: Callable[[Ctx, Window], Window] | None = None
    payload: Callable[[Ctx, Window, Any], Any] | None = None  # may return any JSON value
    error: Callable[[Ctx, ApiError], ApiError | Response] | None = None
    response: Callable[[Ctx, Response], Response] | None = None


class UnknownFault(ValueError):
    """A fault name that is not in :data:`FAULTS`."""


Hook = Callable[..., Any]
T = TypeVar("T")
HOOKS = frozenset(
    {"access", "resolve", "limits", "query", "cursor_in", "cursor_out", "select", "window"}
    | {"payload", "error", "response"}
)
REGISTERED: dict[str, Fault] = {}  # every fault, in the order its module defines it
_DEFINED_AT: dict[str, str] = {}
CATALOG_PATH = Path(__file__).with_name("catalog.yaml")


@dataclass(frozen=True)
class Entry:
    """A fault's words in catalog.yaml: the requirement it breaks and what a client sees."""

    requirement: str
    description: str


def read_catalog(path: Path) -> dict[str, Entry]:
    """catalog.yaml's entries by fault name; a malformed entry raises naming it."""
    entries = {}
    for name, raw in yaml.safe_load(path.read_text(encoding="utf-8"))["faults"].items():
        if not isinstance(raw, dict) or set(raw) != {"requirement", "description"}:
            raise TypeError(f"{path.name}: fault {name!r} needs requirement and description only")
        entries[name] = Entry(str(raw["requirement"]), str(raw["description"]))
    return entries


ENTRIES = read_catalog(CATALOG_PATH)


def fault(name: str, *, hook: str, **more: Hook) -> Callable[[Hook], Hook]:
    """Register the decorated function as ``hook`` of the fault ``name`` (``more``: its other
    hooks; its words are its entry in catalog.yaml). The decorator is the only registration:
    registry.py discovers the modules."""
    unknown = ({hook} | set(more)) - HOOKS
    if unknown:
        raise TypeError(f"fault {name!r}: unknown hook(s) {sorted(unknown)}")
    if name not in ENTRIES:
        raise TypeError(f"fault {name!r} has no entry in {CATALOG_PATH.name}")
    entry = ENTRIES[name]
    module = str(sys._getframe(1).f_globals.get("__name__", "?"))  # the area registering it

    def register(function: Hook) -> Hook:
        qualname = getattr(function, "__qualname__", type(function).__name__).split(".")[0]
        where = f"{module}.{qualname}"
        if name in REGISTERED:
            raise RuntimeError(f"duplicate fault name {name!r}: {_DEFINED_AT[name]} and {where}")
        REGISTERED[name] = Fault(
            name, entry.requirement, entry.description, **{hook: function, **more}
        )
        _DEFINED_AT[name] = where
        return function

    return register


def require_every_entry_claimed() -> None:
    """After discovery: an entry of catalog.yaml that no ``@fault`` registered is an error."""
    if unclaimed := [name for name in ENTRIES if name not in REGISTERED]:
        raise TypeError(f"{CATALOG_PATH.name} has entries no @fault claims: {', '.join(unclaimed)}")


def defined_in(name: str) -> str:
    """The module that registered fault ``name``."""
    return _DEFINED_AT[name].rsplit(".", 1)[0]


@dataclass(frozen=True)
class FaultSet:
    """The selected faults, applied in the order given. Empty: the clean mock.

    ``scopes[i]``, when given, limits ``faults[i]`` to the requests of its cells (scope.py).
    """

    faults: tuple[Fault, ...] = ()
    scopes: tuple[FaultScope, ...] = ()

    @property
    def names(self) -> list[str]:
        names = []
        for fault, scope in zip(self.faults, self._scopes(), strict=True):
            names.append(f"{fault.name}@{scope.text}" if scope.allowed else fault.name)
        return names

    def _scopes(self) -> tuple[FaultScope, ...]:
        return self.scopes or tuple(FaultScope() for _ in self.faults)

    def _active(self, ctx: Ctx) -> Iterator[Fault]:
        for fault, scope in zip(self.faults, self._scopes(), strict=True):
            if scope.matches(ctx):
                yield fault

    def _through(self, ctx: Ctx, hook: str, value: T, *given: Any) -> T:
        """``value`` passed through hook ``hook`` of every active fault in turn (each hook
        takes ``ctx``, then ``given``, then the value so far)."""
        for fault in self._active(ctx):
            function = getattr(fault, hook)
            if function:
                value = function(ctx, *given, value)
        return value

    def access(self, ctx: Ctx, access: Access) -> Access:
        return self._through(ctx, "access", access)

    def resolve(self, ctx: Ctx) -> Job | None:
        for fault in self._active(ctx):
            if fault.resolve and (job := fault.resolve(ctx)) is not None:
                return job
        return None

    def limits(self, ctx: Ctx, limits: Limits) -> Limits:
        return self._through(ctx, "limits", limits)

    def query(self, ctx: Ctx, query: Query) -> Query:
        return self._through(ctx, "query", query)

    def cursor_in(self, ctx: Ctx, text: str) -> str:
        return self._through(ctx, "cursor_in", text)

    def cursor_out(self, ctx: Ctx, text: str) -> str:
        return self._through(ctx, "cursor_out", text)

    def select(
        self, ctx: Ctx, job: Job, query: Query, selection: Selection | None
    ) -> Selection | None:
        return self._through(ctx, "select", selection, job, query)

    def window(self, ctx: Ctx, window: Window) -> Window:
        return self._through(ctx, "window", window)

    def payload(self, ctx: Ctx, window: Window, body: Body) -> Any:
        return self._through(ctx, "payload", body, window)

    def error(self, ctx: Ctx, error: ApiError) -> ApiError | Response:
        for fault in self._active(ctx):
            if fault.error:
                result = fault.error(ctx, error)
                if isinstance(result, Response):
                    return result
                error = result
        return error

    def response(self, ctx: Ctx, response: Response) -> Response:
        return self._through(ctx, "response", response)
