"""What a vendor route set gives the edge: its routes and how it renders its own errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp

from emulator.errors import VendorError


@dataclass(frozen=True)
class Vendor:
    """One vendor's route set.

    ``render`` turns a VendorError into the vendor's envelope and HTTP status;
    ``internal_error`` is the vendor's answer to an unexpected exception;
    ``rate_limited`` its answer to a request over the limit;
    ``error_for_code`` the error a vendor code maps to (message and HTTP status), used by
    fault injection.
    """

    name: str
    app: ASGIApp
    render: Callable[[VendorError], Response]
    internal_error: Callable[[], VendorError]
    rate_limited: Callable[[float], VendorError]
    error_for_code: Callable[[int], VendorError]
