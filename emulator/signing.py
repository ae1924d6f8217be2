"""Client-side signers, for tests and for users' own code.

Each registered vendor supplies an ``httpx.Auth`` that adds its credentials to a request exactly
as the vendor's docs and SDKs do, so a client can be pointed at the emulator with only its base
URL changed. ``signer(vendor, settings)`` gives the one that signs with an emulator's settings;
the signer classes and signature functions each vendor exports (``Vendor.exports``) are
importable from here by name, or from ``emulator.vendors.<vendor>.client``.
"""

from __future__ import annotations

from typing import Any

import httpx

from emulator import registry
from emulator.clock import Clock
from emulator.settings import Settings


def signer(vendor: str, settings: Settings | None = None, *, clock: Clock | None = None) -> httpx.Auth:
    """The signer of one vendor, with the credentials of ``settings`` (default: the defaults)."""
    chosen = registry.get(vendor)
    return chosen.signer_for((settings or Settings()).vendor(vendor), clock)


def __getattr__(name: str) -> Any:
    for vendor in registry.vendors():
        if name in vendor.exports:
            return vendor.exports[name]
    raise AttributeError(f"module 'emulator.signing' has no attribute {name!r}")
