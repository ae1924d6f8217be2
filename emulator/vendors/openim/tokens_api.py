"""The token endpoints: ``/auth/get_admin_token``, ``/auth/get_user_token``,
``/auth/parse_token`` and ``/auth/force_logout`` (the token service itself is ``tokens``)."""

from __future__ import annotations

from typing import Any

from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import check_admin
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.tokens import ADMIN_PLATFORM_ID
from emulator.vendors.openim.users import registered


async def get_admin_token(ctx: Ctx) -> dict[str, Any]:
    """An admin token for a configured admin user, given the secret."""
    req, tokens = ctx.body, ctx.protocol.tokens
    user_id = req["userID"]
    ctx.call.user = user_id
    if req["secret"] != ctx.settings.secret:
        raise e.oim_error(e.NO_PERMISSION, "secret invalid", explain=(
            f"secret mismatch: expected the configured OpenIM secret (--openim-secret); "
            f"got {len(req['secret'])} characters"))
    if not tokens.is_admin(user_id):
        admins = " ".join(tokens.admins)
        raise e.oim_error(e.ARGS, f"userID is error., userID={user_id}, adminUserID=[{admins}]")
    return {"token": tokens.issue(user_id, ADMIN_PLATFORM_ID),
            "expireTimeSeconds": tokens.expire_seconds}


async def get_user_token(ctx: Ctx) -> dict[str, Any]:
    """A user token for a registered, non-admin user (admin callers only)."""
    req, tokens = ctx.body, ctx.protocol.tokens
    user_id = req["userID"]
    ctx.call.user = user_id
    check_admin(ctx)
    if req["platformID"] == ADMIN_PLATFORM_ID:
        raise e.oim_error(e.NO_PERMISSION,
                          "platformID invalid. platformID must not be adminPlatformID")
    if tokens.is_admin(user_id):
        raise e.oim_error(e.NO_PERMISSION, "don't get Admin token")
    if not await registered(ctx, [user_id]):
        raise e.oim_error(e.RECORD_NOT_FOUND, "record not found")
    return {"token": tokens.issue(user_id, req["platformID"]),
            "expireTimeSeconds": tokens.expire_seconds}


async def parse_token(ctx: Ctx) -> dict[str, Any]:
    """What a token says: its user, platform and the absolute expiry time."""
    claims = ctx.protocol.tokens.verify(ctx.body["token"])
    ctx.call.user = claims.user_id
    return {"userID": claims.user_id, "platformID": claims.platform_id,
            "expireTimeSeconds": int(claims.exp) if claims.exp is not None else 0}


async def force_logout(ctx: Ctx) -> dict[str, Any]:
    """``ForceLogout``: admins only (1002); every token of the user on that platform is marked
    kicked (``forceKickOff``), so each later request with one of them answers 1506. An unknown
    user, or one without tokens there, is a success too."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_admin(ctx)
    ctx.protocol.tokens.store.kick_all(user_id, req["platformID"])
    return {}
