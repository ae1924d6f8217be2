"""Tencent Cloud IM (Chat) REST API: ``POST /v4/<service>/<command>`` signed with a UserSig in
the query string. ``build(services)`` gives the route set to the edge.
"""

from __future__ import annotations

from emulator.services import Services
from emulator.vendors.base import Vendor
from emulator.vendors.tencent import errors
from emulator.vendors.tencent.routes import TencentApp


def build(services: Services) -> Vendor:
    """The Tencent route set bound to the shared services."""
    return Vendor(name="tencent", app=TencentApp(services), render=errors.render,
                  internal_error=errors.internal_error, rate_limited=errors.rate_limited,
                  error_for_code=errors.error_for_code)
