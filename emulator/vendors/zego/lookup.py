"""What the group Actions share: their id parameters, the operator check (660500002), the live
group lookup (660600001: missing or dismissed) and the group-level rate limit (660300006)."""

from __future__ import annotations

from emulator.store.models import Group
from emulator.vendors.zego import errors
from emulator.vendors.zego.params import Params, bad, id_problem
from emulator.vendors.zego.protocol import Ctx


def id_param(params: Params, name: str) -> str:
    """A required id parameter (FromUserId, GroupId, ToUserId, ...): a string of allowed
    characters, at most 32 bytes; raises 660000002 (660000012 when too long)."""
    value = params.get(name)
    if value is None or value == "":
        raise bad(f"{name} is required")
    if not isinstance(value, str):
        raise bad(f"{name} must be a string")
    problem = id_problem(value, name)
    if problem is not None:
        raise errors.zego_error(problem[0], problem[1])
    return value


def group_limit(ctx: Ctx, group_id: str, per_second: int) -> None:
    """Count one call of this Action on this group; 660300006 past ``per_second``."""
    key = (ctx.call.vendor, ctx.call.app, ctx.call.endpoint, group_id)
    if not ctx.services.limiter.allow(key, per_second):
        raise errors.zego_error(errors.GROUP_RATE_LIMITED)


async def operator(ctx: Ctx, user_id: str) -> None:
    """Check that the operator is registered (660500002) and name them in the journal."""
    ctx.call.user = user_id
    if await ctx.services.store.get_user(user_id) is None:
        raise errors.zego_error(errors.USER_NOT_REGISTERED)


async def live_group(ctx: Ctx, group_id: str) -> Group:
    """The group, unless it is missing or dismissed (660600001)."""
    group = await ctx.services.store.get_group(group_id)
    if group is None or group.status == "dismissed":
        raise errors.zego_error(errors.GROUP_NOT_FOUND)
    return group


ROLE_RANK = {"owner": 0, "admin": 1, "member": 2}


async def manager(ctx: Ctx, group_id: str, user_id: str) -> str:
    """The operator's role when they are the group's owner or an admin: 660600024 when they
    are not a member, 660600032 when they are a plain member."""
    member = await ctx.services.store.member(group_id, user_id)
    if member is None:
        raise errors.zego_error(errors.NOT_IN_GROUP, "FromUserId is not in the group")
    if member.role not in ("owner", "admin"):
        raise errors.zego_error(errors.NO_PERMISSION)
    return member.role
