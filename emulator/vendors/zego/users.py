"""Action=UserRegister: register up to 100 users in one call.

Each user that cannot be registered is reported in ``ErrorList`` with its SubCode; ``Code`` is 0
when at least one user was registered, else the SubCode of the first failure. Registering a user
who is already registered succeeds and replaces the name and avatar (keeping ``ex`` and the
creation time).
"""

from __future__ import annotations

from typing import Any

from emulator.store.models import User
from emulator.vendors.zego import errors
from emulator.vendors.zego.errors import error_entry
from emulator.vendors.zego.params import Params, bad, id_problem
from emulator.vendors.zego.protocol import Ctx, Reply

MAX_USERS = 100
USER_NAME_MAX_BYTES = 64
USER_AVATAR_MAX_BYTES = 500


def _user_problem(item: Params) -> tuple[int, str] | None:
    user_id = item.get("UserId")
    if not isinstance(user_id, str):
        return errors.PARAMETER_ERROR, "UserId must be a string"
    problem = id_problem(user_id, "UserId")
    if problem is not None:
        return problem
    for name, limit in (("UserName", USER_NAME_MAX_BYTES), ("UserAvatar", USER_AVATAR_MAX_BYTES)):
        value = item.get(name, "")
        if value is None:
            continue
        if not isinstance(value, str):
            return errors.PARAMETER_ERROR, f"{name} must be a string"
        if len(value.encode("utf-8", "surrogatepass")) > limit:
            return errors.PARAMETER_ERROR, f"{name} exceeds {limit} bytes"
    return None


async def user_register(ctx: Ctx) -> dict[str, Any] | Reply:
    """Register users; failures go to ErrorList."""
    items = ctx.body.object_list("UserInfo", max_items=MAX_USERS)
    if not items:
        raise bad("UserInfo is required")
    failures: list[dict[str, Any]] = []
    accepted: dict[str, Params] = {}
    for item in items:
        problem = _user_problem(item)
        user_id = item.get("UserId")
        if problem is not None:
            code, detail = problem
            failures.append(error_entry(user_id if isinstance(user_id, str) else "", code, detail))
        elif isinstance(user_id, str) and user_id not in accepted:
            accepted[user_id] = item
    if not accepted:
        return Reply(failures[0]["SubCode"], {"ErrorList": failures})
    ctx.call.user = next(iter(accepted))
    store = ctx.services.store
    now_ms = ctx.services.clock.now_ms()
    users: list[User] = []
    for user_id, item in accepted.items():
        known = await store.get_user(user_id)
        users.append(User(user_id, item.get("UserName") or "", item.get("UserAvatar") or "",
                          known.ex if known else "", known.created_at if known else now_ms))
    await store.upsert_users(users)
    return {"ErrorList": failures}


async def usable_users(ctx: Ctx, user_ids: list[str],
                       failures: list[dict[str, Any]]) -> list[str]:
    """The ids that are well formed and registered, once each; the others are added to
    ``failures``."""
    well_formed: list[str] = []
    for user_id in dict.fromkeys(user_ids):
        problem = id_problem(user_id, "UserId")
        if problem is None:
            well_formed.append(user_id)
        else:
            failures.append(error_entry(user_id, *problem))
    registered = await ctx.services.store.existing_users(well_formed)
    for user_id in well_formed:
        if user_id not in registered:
            failures.append(error_entry(user_id, errors.USER_NOT_REGISTERED,
                                        "The user is not registered."))
    return [user_id for user_id in well_formed if user_id in registered]
