"""``/user/user_register``: admins register users so tests can set up state through OpenIM."""

from __future__ import annotations

from typing import Any

from emulator.store.groupstore import UserExists
from emulator.store.models import User
from emulator.vendors.openim import errors as e
from emulator.vendors.openim import messages as m
from emulator.vendors.openim.endpoint import Context, Endpoint


async def user_register(ctx: Context, req: dict[str, Any]) -> None:
    """Register users; 1102 when any of them is registered already (nothing is written)."""
    users = req["users"]
    if not users:
        raise e.oim_error(e.ARGS, "users is empty")
    ctx.check_admin()
    ids = [user["userID"] for user in users]
    if len(set(ids)) != len(ids):
        raise e.oim_error(e.ARGS, "userID repeated")
    for user_id in ids:
        if user_id == "":
            raise e.oim_error(e.ARGS, "userID is empty")
        if ":" in user_id:
            raise e.oim_error(e.ARGS, "userID contains ':' is invalid userID")
    ctx.call.user = ids[0]
    if await ctx.registered(ids):
        raise e.oim_error(e.REGISTERED_ALREADY, "userID registered already")
    now_ms = ctx.services.clock.now_ms()
    try:
        await ctx.services.store.add_users([
            User(user["userID"], user["nickname"], user["faceURL"], user["ex"], now_ms)
            for user in users])
    except UserExists:
        raise e.oim_error(e.REGISTERED_ALREADY, "userID registered already") from None
    return None


ENDPOINTS: dict[str, Endpoint] = {
    "/user/user_register": Endpoint(m.USER_REGISTER, m.check_user_register, user_register),
}
