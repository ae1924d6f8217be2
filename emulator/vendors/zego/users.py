"""Action=UserRegister: register up to 100 users in one call.

Each user that cannot be registered is reported in ``ErrorList`` with its SubCode; ``Code`` is 0
when at least one user was registered, else the SubCode of the first failure. Registering a user
who is already registered succeeds and replaces the name and avatar (keeping ``ex`` and the
creation time).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from emulator.store.models import User
from emulator.vendors.zego import errors
from emulator.vendors.zego.context import Context, error_entry
from emulator.vendors.zego.params import bad, id_problem, object_list

MAX_USERS = 100
USER_NAME_MAX_BYTES = 64
USER_AVATAR_MAX_BYTES = 500


def _user_problem(item: dict[str, Any]) -> tuple[int, str] | None:
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


async def user_register(ctx: Context) -> Response:
    """Register users; failures go to ErrorList."""
    items = object_list(ctx.params, "UserInfo", max_items=MAX_USERS)
    if not items:
        raise bad("UserInfo is required")
    failures: list[dict[str, Any]] = []
    accepted: dict[str, dict[str, Any]] = {}
    for item in items:
        problem = _user_problem(item)
        user_id = item.get("UserId")
        if problem is not None:
            code, detail = problem
            failures.append(error_entry(user_id if isinstance(user_id, str) else "", code, detail))
        elif isinstance(user_id, str) and user_id not in accepted:
            accepted[user_id] = item
    if accepted:
        ctx.call.user = next(iter(accepted))
        store = ctx.services.store
        now_ms = ctx.services.clock.now_ms()
        users: list[User] = []
        for user_id, item in accepted.items():
            known = await store.get_user(user_id)
            users.append(User(user_id, item.get("UserName") or "", item.get("UserAvatar") or "",
                              known.ex if known else "", known.created_at if known else now_ms))
        await store.upsert_users(users)
    code = errors.SUCCESS if accepted else failures[0]["SubCode"]
    ctx.call.code = code
    return errors.envelope(code, ErrorList=failures)
