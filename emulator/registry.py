"""The vendor registry: which vendors the emulator serves, and which one owns a request.

The built-in vendors are listed in ``emulator.vendors`` (one line each) and loaded on first use.
``register`` adds another (a test, or a user's own vendor package); ``registered`` does so for
a ``with`` block. Claims are asked in registry order; the fallback vendor (at most one) takes
every request no other vendor claims.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from emulator.vendor import Vendor

BUILTIN_MODULE = "emulator.vendors"

_vendors: list[Vendor] | None = None


def _loaded() -> list[Vendor]:
    global _vendors
    if _vendors is None:
        builtin: tuple[Vendor, ...] = importlib.import_module(BUILTIN_MODULE).VENDORS
        _vendors = list(builtin)
    return _vendors


def vendors() -> tuple[Vendor, ...]:
    """Every registered vendor, in claim order."""
    return tuple(_loaded())


def names() -> tuple[str, ...]:
    """The names of every registered vendor."""
    return tuple(vendor.name for vendor in _loaded())


def get(name: str) -> Vendor:
    """The vendor of that name; KeyError when none is registered."""
    for vendor in _loaded():
        if vendor.name == name:
            return vendor
    raise KeyError(name)


def register(vendor: Vendor) -> None:
    """Serve one more vendor (claimed before the fallback). Apps built afterwards serve it."""
    current = _loaded()
    if any(known.name == vendor.name for known in current):
        raise ValueError(f"a vendor named {vendor.name!r} is already registered")
    if vendor.fallback and any(known.fallback for known in current):
        raise ValueError("only one vendor can be the fallback")
    fallbacks = [i for i, known in enumerate(current) if known.fallback]
    current.insert(fallbacks[0] if fallbacks else len(current), vendor)


def unregister(name: str) -> None:
    """Stop serving a vendor (apps already built keep it)."""
    current = _loaded()
    current[:] = [vendor for vendor in current if vendor.name != name]


@contextmanager
def registered(vendor: Vendor) -> Iterator[Vendor]:
    """The vendor registered for the duration of a ``with`` block."""
    register(vendor)
    try:
        yield vendor
    finally:
        unregister(vendor.name)


def claim(chosen: tuple[Vendor, ...], path: str, query_string: bytes) -> Vendor | None:
    """The vendor among ``chosen`` that owns a request."""
    fallback = None
    for vendor in chosen:
        if vendor.fallback:
            fallback = vendor
        elif vendor.claims(path, query_string):
            return vendor
    return fallback
