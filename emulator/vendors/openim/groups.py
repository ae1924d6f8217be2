"""``/group/get_joined_group_list`` and ``/group/create_group``."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from typing import Any

from emulator.store.groupstore import GroupExists
from emulator.store.models import Group, JoinedQuery, Membership
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import caller_id, check_access
from emulator.vendors.openim.mapping import (GROUP_INFO_FIELDS, WORKING_GROUP,
                                             apply_join_option, group_info, stored_status)
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.users import registered

GROUP_ID_TRIES = 10


async def get_joined_group_list(ctx: Ctx) -> dict[str, Any]:
    """A user's groups, paged.

    With 0 or 1 group the list is used as is (a dismissed only group still shows); with 2 or
    more, dismissed groups are left out and the rest sorted by name, then create time.
    showNumber is not validated: 0 or less gives an empty page with the total filled in.
    The page without dismissed groups is read first: with 2 or more of those the user has 2
    or more groups in all, so only a smaller total needs the count with dismissed groups.
    """
    req = ctx.body
    user_id = req["fromUserID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    page_number = req["pagination"]["pageNumber"]
    show = req["pagination"]["showNumber"]
    store = ctx.services.store
    query = JoinedQuery(user_id, order="name", offset=max((page_number - 1) * show, 0),
                        limit=max(show, 0), group_fields=GROUP_INFO_FIELDS,
                        member_fields=frozenset())
    page = await store.joined(query)
    if page.total < 2:
        everything = await store.joined(JoinedQuery(user_id, include_dismissed=True, limit=0))
        if everything.total < 2:
            page = await store.joined(dataclasses.replace(query, include_dismissed=True))
    groups = [group_info(row.group) for row in page.rows]
    return {"total": page.total, "groups": groups or None}


def generate_group_id(operation_id: str, now_ns: int) -> str:
    """OpenIM's generated id: the first 8 hex digits of an md5, as a decimal string."""
    seed = f"{operation_id}{now_ns}{random.getrandbits(31)}".encode()
    return str(int(hashlib.md5(seed).hexdigest()[:8], 16))


async def _new_group_id(ctx: Ctx, wanted: str) -> str:
    store = ctx.services.store
    if wanted:
        if await store.get_group(wanted) is not None:
            raise e.oim_error(e.GROUP_ID_EXISTED, f"group id existed {wanted}")
        return wanted
    now_ns = int(ctx.services.clock.now() * 1e9)
    for attempt in range(GROUP_ID_TRIES):
        candidate = generate_group_id(ctx.request.notes["operation_id"], now_ns + attempt)
        if await store.get_group(candidate) is None:
            return candidate
    raise e.oim_error(e.DATA_ERROR, "group id gen error")


async def create_group(ctx: Ctx) -> dict[str, Any]:
    """A working group with its owner, admins and members, created in one transaction."""
    req = ctx.body
    info = req["groupInfo"]
    owner = req["ownerUserID"]
    ctx.call.user = owner
    if info["groupType"] != WORKING_GROUP:
        raise e.oim_error(e.ARGS, "group type only supports 2")
    check_access(ctx, owner)
    members = req["memberUserIDs"] or []
    admins = req["adminUserIDs"] or []
    ids = [*members, *admins, owner]
    caller = caller_id(ctx)
    if caller not in ids:
        ids.append(caller)
    if len(set(ids)) != len(ids):
        raise e.oim_error(e.ARGS, "group member repeated")
    if len(await registered(ctx, ids)) != len(ids):
        raise e.oim_error(e.USER_ID_NOT_FOUND, "user not found")
    group_id = await _new_group_id(ctx, info["groupID"])
    now_ms = ctx.services.clock.now_ms()
    group = Group(
        id=group_id, name=info["groupName"], type="work", owner=owner,
        creator=info["creatorUserID"], introduction=info["introduction"],
        notification=info["notification"], face_url=info["faceURL"], ex=info["ex"],
        status=stored_status(info["status"]), need_verification=info["needVerification"],
        look_member_info=info["lookMemberInfo"], apply_member_friend=info["applyMemberFriend"],
        apply_join_option=apply_join_option(info["needVerification"]),
        create_time_ms=now_ms, last_info_time=now_ms // 1000,
        notification_update_time=info["notificationUpdateTime"],
        notification_user_id=info["notificationUserID"])
    rows = [Membership(group_id, owner, "owner", now_ms),
            *(Membership(group_id, uid, "admin", now_ms) for uid in admins),
            *(Membership(group_id, uid, "member", now_ms) for uid in members)]
    try:
        await ctx.services.store.create_group(group, rows)
    except GroupExists:
        raise e.oim_error(e.GROUP_ID_EXISTED, f"group id existed {group_id}") from None
    answer = {**info, "groupID": group_id, "ownerUserID": owner, "createTime": now_ms,
              "memberCount": len(ids)}
    return {"groupInfo": answer}

