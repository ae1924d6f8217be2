"""``/user/user_register`` (admins register users so tests can set up state through OpenIM),
and which user ids are registered."""

from __future__ import annotations

from emulator.store.groupstore import UserExists
from emulator.store.models import User
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import check_admin
from emulator.vendors.openim.protocol import Ctx


async def registered(ctx: Ctx, user_ids: list[str]) -> set[str]:
    """Which of these ids are registered users (configured admins always are)."""
    tokens = ctx.protocol.tokens
    admins = {uid for uid in user_ids if tokens.is_admin(uid)}
    others = [uid for uid in user_ids if uid not in admins]
    found = await ctx.services.store.existing_users(others) if others else set()
    return found | admins


async def user_register(ctx: Ctx) -> None:
    """Register users; 1102 when any of them is registered already (nothing is written)."""
    users = ctx.body["users"]
    if not users:
        raise e.oim_error(e.ARGS, "users is empty")
    check_admin(ctx)
    ids = [user["userID"] for user in users]
    if len(set(ids)) != len(ids):
        raise e.oim_error(e.ARGS, "userID repeated")
    for user_id in ids:
        if user_id == "":
            raise e.oim_error(e.ARGS, "userID is empty")
        if ":" in user_id:
            raise e.oim_error(e.ARGS, "userID contains ':' is invalid userID")
    ctx.call.user = ids[0]
    if await registered(ctx, ids):
        raise e.oim_error(e.REGISTERED_ALREADY, "userID registered already")
    now_ms = ctx.services.clock.now_ms()
    try:
        await ctx.services.store.add_users([
            User(user["userID"], user["nickname"], user["faceURL"], user["ex"], now_ms)
            for user in users])
    except UserExists:
        raise e.oim_error(e.REGISTERED_ALREADY, "userID registered already") from None
    return None
