"""The RongCloud (融云) route set: signed headers, form bodies, ``{"code", "errorMessage"}`` errors
with real HTTP statuses, ``/user/group/query.json`` and the group and user writes.
"""

from __future__ import annotations

from emulator.errors import VendorError
from emulator.services import Services
from emulator.vendors.base import Vendor
from emulator.vendors.rongcloud.errors import (error_for_code, internal_error, rate_limited_for,
                                               render)
from emulator.vendors.rongcloud.routes import build_app


def build(services: Services) -> Vendor:
    """RongCloud's Vendor, bound to the shared services."""
    limit = services.settings.rongcloud_rate_limit

    def rate_limited(retry_after: float) -> VendorError:
        return rate_limited_for(limit)

    return Vendor(name="rongcloud", app=build_app(services), render=render,
                  internal_error=internal_error, rate_limited=rate_limited,
                  error_for_code=error_for_code)
