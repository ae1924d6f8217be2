"""ZEGOCLOUD ZIM server API: signed ``/?Action=...`` requests (QueryGroupsInfoOfUser and the
seeding actions UserRegister, CreateGroup, InviteUsersIntoGroup)."""

from __future__ import annotations

from emulator.services import Services
from emulator.vendors.base import Vendor
from emulator.vendors.zego import errors
from emulator.vendors.zego.groups import INVITE_LIMIT_KEY, INVITE_LIMIT_PER_GROUP
from emulator.vendors.zego.routes import build_app


def build(services: Services) -> Vendor:
    """The ZEGO route set bound to the shared services."""
    services.limiter.set_limit(INVITE_LIMIT_KEY, INVITE_LIMIT_PER_GROUP)
    return Vendor(name="zego", app=build_app(services), render=errors.render,
                  internal_error=errors.internal_error, rate_limited=errors.rate_limited,
                  error_for_code=errors.error_for_code)
