"""The running interceptors and the client patches they share: the clients are patched while
at least one interceptor runs, the innermost (last started) one answering its hosts first."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from emulator.intercept.runner import Interceptor

# The running interceptors, oldest first.
active: list[Interceptor] = []
_lock = threading.Lock()
# Each patch's key and what it replaced: (owner, attribute name, original).
_saved: dict[str, tuple[Any, str, Any]] = {}


def find(host: str | None, port: int | None, scheme: str) -> tuple[Interceptor, str] | None:
    """The interceptor that answers this host and port, and the vendor it routes it to."""
    for interceptor in reversed(active):
        vendor = interceptor.vendor_for(host, port, scheme)
        if vendor is not None:
            return interceptor, vendor
    return None


def install(interceptor: Interceptor, patchers: Iterable[Callable[[], None]]) -> None:
    """Add a running interceptor; the first one runs each patcher (each calls ``patch``)."""
    with _lock:
        if not active:
            for patcher in patchers:
                patcher()
        active.append(interceptor)


def uninstall(interceptor: Interceptor) -> None:
    """Remove a stopped interceptor; with the last one gone every patch is undone."""
    with _lock:
        if interceptor in active:
            active.remove(interceptor)
        if not active:
            for owner, name, original in _saved.values():
                setattr(owner, name, original)
            _saved.clear()


def patch(key: str, owner: Any, name: str, make: Callable[[Any], Any]) -> None:
    """Replace ``owner.name`` with ``make(original)``, remembered under ``key`` for undoing."""
    original = owner.__dict__[name]
    _saved[key] = (owner, name, original)
    setattr(owner, name, make(original))
