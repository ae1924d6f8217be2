"""Hosted groups' follows and remark names: ``/entrust/group/member/follow.json``,
``unfollow.json``, ``followed/get.json`` and ``/entrust/group/remarkname/set.json``,
``delete.json``, ``query.json``; and a member's push alias (``/group/remarks/set.json``,
``del.json``, ``get.json``), the name a group's pushes show for them.

A follow is a member's "special follow" of other members (their messages get through Do Not
Disturb); a remark name is a member's own name for the group (the title of its pushes). Both
are the store's follows and remark names, so they leave with the membership: a member who
quits or is kicked takes them along, and the follows of them go too unless the call says
``isDelFollowed=0``. Paths, fields and limits as RongCloud's docs pages and its Go and Java
server SDKs give them (``followUserIds`` at most 100, comma-separated or repeated;
``remarkName`` at most 64 characters). A push alias is the store's remark name of kind
``push``: kept for members only, it too leaves with the membership.
"""

from __future__ import annotations

from typing import Any

from emulator.store.errors import GroupDismissed, GroupNotFound, NotMember
from emulator.vendors.rongcloud.hosted import (MAX_ID_CHARS, id_list, live, no_group,
                                               not_member)
from emulator.vendors.rongcloud.errors import param_invalid
from emulator.vendors.rongcloud.members import OK
from emulator.vendors.rongcloud.protocol import Ctx

MAX_FOLLOW_USERS = 100
MAX_REMARK_CHARS = 64


async def _member_call(ctx: Ctx) -> tuple[str, str]:
    """The call's ``groupId`` (a live group) and ``userId`` (a member of it)."""
    form, services = ctx.body, ctx.services
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    await live(services, group_id)
    if await services.store.member(group_id, user_id) is None:
        raise not_member(user_id)
    return group_id, user_id


async def follow(ctx: Ctx) -> dict[str, Any]:
    """``follow.json``: ``groupId``, ``userId``, ``followUserIds`` (members, at most 100);
    the user follows them (one already followed keeps its time). A non-member named gets
    1002 and nothing changes."""
    group_id, user_id = await _member_call(ctx)
    targets = id_list(ctx.body, "followUserIds", max_count=MAX_FOLLOW_USERS)
    try:
        await ctx.services.store.follow_members(group_id, user_id, targets,
                                                now_ms=ctx.services.clock.now_ms())
    except NotMember as error:
        raise param_invalid("followUserIds", f"{error.user_id} is not a member") from None
    except (GroupNotFound, GroupDismissed):
        raise no_group(group_id) from None
    return OK


async def unfollow(ctx: Ctx) -> dict[str, Any]:
    """``unfollow.json``: ``groupId``, ``userId``, ``followUserIds`` (at most 100); ids that
    were not followed are no error."""
    group_id, user_id = await _member_call(ctx)
    targets = id_list(ctx.body, "followUserIds", max_count=MAX_FOLLOW_USERS)
    await ctx.services.store.unfollow_members(group_id, user_id, targets)
    return OK


async def followed(ctx: Ctx) -> dict[str, Any]:
    """``followed/get.json``: ``groupId``, ``userId``; ``{code, userId, groupId,
    members: [{userId, timestamp}]}``, the oldest follow first."""
    group_id, user_id = await _member_call(ctx)
    rows = await ctx.services.store.followed_members(group_id, user_id)
    return {"code": 200, "userId": user_id, "groupId": group_id,
            "members": [{"userId": target, "timestamp": time_ms} for target, time_ms in rows]}


async def set_remark(ctx: Ctx) -> dict[str, Any]:
    """``remarkname/set.json``: ``groupId``, ``userId``, ``remarkName`` (required, at most 64
    characters; replaces the one set before)."""
    name = ctx.body.text("remarkName", max_chars=MAX_REMARK_CHARS)
    group_id, user_id = await _member_call(ctx)
    await ctx.services.store.set_remark_name(group_id, user_id, name,
                                             now_ms=ctx.services.clock.now_ms())
    return OK


async def delete_remark(ctx: Ctx) -> dict[str, Any]:
    """``remarkname/delete.json``: ``groupId``, ``userId``; none set is no error."""
    group_id, user_id = await _member_call(ctx)
    await ctx.services.store.delete_remark_name(group_id, user_id)
    return OK


async def query_remark(ctx: Ctx) -> dict[str, Any]:
    """``remarkname/query.json``: ``groupId``, ``userId``; ``{code, remarkName}`` ("" when
    none is set)."""
    group_id, user_id = await _member_call(ctx)
    names = await ctx.services.store.remark_names(user_id, [group_id])
    return {"code": 200, "remarkName": names.get(group_id, "")}


async def set_push_alias(ctx: Ctx) -> dict[str, Any]:
    """``/group/remarks/set.json``: ``userId``, ``groupId``, ``remark`` (all required); the
    name the group's pushes show for the member (the store's ``push`` remark name)."""
    remark = ctx.body.text("remark")
    group_id, user_id = await _member_call(ctx)
    await ctx.services.store.set_remark_name(group_id, user_id, remark,
                                             now_ms=ctx.services.clock.now_ms(), kind="push")
    return OK


async def delete_push_alias(ctx: Ctx) -> dict[str, Any]:
    """``/group/remarks/del.json``: ``userId``, ``groupId``; none set is no error."""
    group_id, user_id = await _member_call(ctx)
    await ctx.services.store.delete_remark_name(group_id, user_id, kind="push")
    return OK


async def get_push_alias(ctx: Ctx) -> dict[str, Any]:
    """``/group/remarks/get.json``: ``userId``, ``groupId``; ``{code, remark}`` ("" when none
    is set, also for a non-member or an unknown group)."""
    form = ctx.body
    user_id = form.text("userId", max_chars=MAX_ID_CHARS)
    group_id = form.text("groupId", max_chars=MAX_ID_CHARS)
    names = await ctx.services.store.remark_names(user_id, [group_id], kind="push")
    return {"code": 200, "remark": names.get(group_id, "")}
