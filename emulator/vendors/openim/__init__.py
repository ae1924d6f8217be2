"""The OpenIM route set: admin and user tokens, user registration, and the group endpoints
``get_joined_group_list`` and ``create_group``, as OpenIM's gin gateway answers them."""

from __future__ import annotations

from emulator.services import Services
from emulator.vendors.base import Vendor
from emulator.vendors.openim import auth_routes, errors, group_routes, user_routes
from emulator.vendors.openim.routes import OpenIMApp
from emulator.vendors.openim.tokens import TokenService


def build(services: Services) -> Vendor:
    """The OpenIM Vendor, bound to the shared services."""
    settings = services.settings
    tokens = TokenService(settings.openim_secret, settings.openim_admins,
                          settings.openim_token_expire_days, services.clock)
    endpoints = {**auth_routes.ENDPOINTS, **user_routes.ENDPOINTS, **group_routes.ENDPOINTS}
    return Vendor(
        name="openim",
        app=OpenIMApp(services, tokens, endpoints),
        render=errors.render,
        internal_error=errors.internal_error,
        rate_limited=lambda retry_after: errors.rate_limited(retry_after,
                                                             settings.openim_rate_limit),
        error_for_code=errors.error_for_code,
    )
