"""``/auth/get_admin_token``, ``/auth/get_user_token`` and ``/auth/parse_token``."""

from __future__ import annotations

from typing import Any

from emulator.vendors.openim import errors as e
from emulator.vendors.openim import messages as m
from emulator.vendors.openim.endpoint import Context, Endpoint
from emulator.vendors.openim.tokens import ADMIN_PLATFORM_ID


async def get_admin_token(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """An admin token for a configured admin user, given the secret."""
    settings = ctx.services.settings
    user_id = req["userID"]
    ctx.call.user = user_id
    if req["secret"] != settings.openim_secret:
        raise e.oim_error(e.NO_PERMISSION, "secret invalid", explain=(
            f"secret mismatch: expected the configured OpenIM secret (--openim-secret); "
            f"got {len(req['secret'])} characters"))
    if not ctx.tokens.is_admin(user_id):
        admins = " ".join(ctx.tokens.admins)
        raise e.oim_error(e.ARGS, f"userID is error., userID={user_id}, adminUserID=[{admins}]")
    return {"token": ctx.tokens.issue(user_id, ADMIN_PLATFORM_ID),
            "expireTimeSeconds": ctx.tokens.expire_seconds}


async def get_user_token(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """A user token for a registered, non-admin user (admin callers only)."""
    user_id = req["userID"]
    ctx.call.user = user_id
    ctx.check_admin()
    if req["platformID"] == ADMIN_PLATFORM_ID:
        raise e.oim_error(e.NO_PERMISSION,
                          "platformID invalid. platformID must not be adminPlatformID")
    if ctx.tokens.is_admin(user_id):
        raise e.oim_error(e.NO_PERMISSION, "don't get Admin token")
    if not await ctx.registered([user_id]):
        raise e.oim_error(e.RECORD_NOT_FOUND, "user not found")
    return {"token": ctx.tokens.issue(user_id, req["platformID"]),
            "expireTimeSeconds": ctx.tokens.expire_seconds}


async def parse_token(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """What a token says: its user, platform and the absolute expiry time."""
    claims = ctx.tokens.verify(req["token"])
    ctx.call.user = claims.user_id
    return {"userID": claims.user_id, "platformID": claims.platform_id,
            "expireTimeSeconds": int(claims.exp) if claims.exp is not None else 0}


ENDPOINTS: dict[str, Endpoint] = {
    "/auth/get_admin_token": Endpoint(m.GET_ADMIN_TOKEN, m.check_get_admin_token,
                                      get_admin_token),
    "/auth/get_user_token": Endpoint(m.GET_USER_TOKEN, m.check_none, get_user_token),
    "/auth/parse_token": Endpoint(m.PARSE_TOKEN, m.check_none, parse_token),
}
