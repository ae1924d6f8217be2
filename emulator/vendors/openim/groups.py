"""``/group/get_joined_group_list``, ``/group/create_group`` and the group endpoints of the
chapter (info, dismiss, transfer, mute, the admin search), each posting the notification
open-im-server posts after it (``notices``)."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from typing import Any

from emulator.store.errors import GroupDismissed
from emulator.store.groupstore import GroupExists
from emulator.store.models import Group, JoinedQuery, Membership
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.auth import caller_id, check_access, is_admin
from emulator.vendors.openim import notices as n
from emulator.vendors.openim.mapping import (GROUP_INFO_FIELDS, JOIN_BY_INVITATION, WORKING_GROUP,
                                             apply_join_option, dismissed_already, group_info,
                                             join_source_label, member_info, record_not_found,
                                             status_label, stored_status)
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.users import registered
from emulator.vendors.openim.members import check_group_admin, keyword_matches

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
    groups = [render_group(ctx, row.group) for row in page.rows]
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
        status=stored_status(info["status"]), status_label=status_label(info["status"]),
        need_verification=info["needVerification"],
        look_member_info=info["lookMemberInfo"], apply_member_friend=info["applyMemberFriend"],
        apply_join_option=apply_join_option(info["needVerification"]),
        create_time_ms=now_ms, last_info_time=now_ms // 1000,
        notification_update_time=info["notificationUpdateTime"],
        notification_user_id=info["notificationUserID"])
    source = join_source_label(JOIN_BY_INVITATION)
    rows = [Membership(group_id, uid, role, now_ms, inviter=caller, operator=caller,
                       join_source=source)
            for uid, role in ((owner, "owner"), *((uid, "admin") for uid in admins),
                              *((uid, "member") for uid in members))]
    try:
        await ctx.services.store.create_group(group, rows)
    except GroupExists:
        raise e.oim_error(e.GROUP_ID_EXISTED, f"group id existed {group_id}") from None
    answer = {**info, "groupID": group_id, "ownerUserID": owner, "createTime": now_ms,
              "memberCount": len(ids)}
    await _created_notices(ctx, answer, rows, req["sendMessage"])
    return {"groupInfo": answer}


async def _created_notices(ctx: Ctx, info: dict[str, Any], rows: list[Membership],
                           send_message: bool | None) -> None:
    """``GroupCreatedNotification`` (the member list runs up to the operator, as upstream's
    loop breaks there; each member's nickname is the user's), then the announcement's when
    the group has a notification."""
    caller = caller_id(ctx)
    listed: list[dict[str, Any]] = []
    op: dict[str, Any] | None = None
    for row in rows:
        user = await ctx.services.store.get_user(row.user_id)
        member = {**member_info(row), "nickname": user.name if user else "", "faceURL": ""}
        listed.append(member)
        if row.user_id == caller:
            op = member
            break
    op_user = await n.op_user(ctx, info["groupID"]) if op is None or is_admin(ctx) else op
    if op_user is op and op is not None and op["faceURL"] == "":
        user = await ctx.services.store.get_user(caller)
        op_user = {**op, "faceURL": user.face_url if user else ""}
    owner = {**member_info(rows[0]), "nickname": "", "faceURL": ""}
    tips = {"group": info, "opUser": op_user, "memberList": listed,
            "operationTime": info["createTime"], "groupOwnerUser": owner}
    await n.post(ctx, info["groupID"], n.GROUP_CREATED,
                 await n.with_version(ctx, info["groupID"], tips), send_message=send_message)
    if info["notification"] != "":
        await n.post(ctx, info["groupID"], n.ANNOUNCEMENT_SET, await n.with_version(
            ctx, info["groupID"], {"opUser": op_user, "group": info}), sender_name=True)



# ---- the group endpoints of the chapter (open-im-server internal/rpc/group/group.go) --------

def render_group(ctx: Ctx, group: Group, owner: str | None = None) -> dict[str, Any]:
    """GroupInfo, with ``owner`` as its ownerUserID when given."""
    info = group_info(group)
    if owner is not None:
        info["ownerUserID"] = owner
    return info


async def _owner_of(ctx: Ctx, group: Group) -> str:
    """The user whose membership is the owner's ("" when the rows are gone)."""
    member = await ctx.services.store.member(group.id, group.owner) if group.owner else None
    return member.user_id if member is not None and member.role == "owner" else ""


async def groups_info(ctx: Ctx, ids: list[str]) -> list[dict[str, Any]] | None:
    """``getGroupsInfo``: the groups found (unknown ids skipped, dismissed ones included), in
    creation order, each once; None for none."""
    if not ids:
        return None
    found = (await ctx.services.store.get_groups(ids)).groups
    found.sort(key=lambda g: (g.create_time_ms, g.id))
    return [render_group(ctx, g, await _owner_of(ctx, g)) for g in found] or None


async def get_groups_info(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupsInfo``: ``getGroupsInfo`` of the ids given."""
    ids = ctx.body["groupIDs"]
    if not ids:
        raise e.oim_error(e.ARGS, "groupID is empty")
    return {"groupInfos": await groups_info(ctx, ids)}


async def dismiss_group(ctx: Ctx) -> dict[str, Any]:
    """``DismissGroup``: the owner or an admin; ``deleteMember`` true deletes the member rows,
    false keeps them (a second dismissal without deleteMember is 1204)."""
    req = ctx.body
    store = ctx.services.store
    group = await store.get_group(req["groupID"])
    owner = await _owner_of(ctx, group) if group is not None else ""
    if owner == "" or group is None:
        raise record_not_found()
    if not is_admin(ctx) and owner != caller_id(ctx):
        raise e.oim_error(e.NO_PERMISSION, "not group owner")
    if not req["deleteMember"] and group.status == "dismissed":
        raise dismissed_already("group status is dismissed")
    try:
        await store.dismiss_group(group.id, now_ms=ctx.services.clock.now_ms(),
                                  keep_members=not req["deleteMember"])
    except GroupDismissed:
        # deleteMember true on a group dismissed with its members kept: the store takes no
        # writes for a dismissed group, so the rows stay (docs: differences).
        pass
    if not req["deleteMember"]:
        # Only a dismissal that keeps the members is notified, as upstream.
        tips = {"group": await n.group_tips(ctx, group.id), "opUser": await n.op_user(
            ctx, group.id)}
        await n.post(ctx, group.id, n.GROUP_DISMISSED, tips, send_message=req["sendMessage"])
    return {}


async def _set_info_rights(ctx: Ctx, group_id: str) -> Group:
    """SetGroupInfo(Ex)'s checks: the owner, an admin of the group or an admin token; the
    group, not dismissed, with its owner."""
    store = ctx.services.store
    await check_group_admin(ctx, group_id, member_lookup=True)
    group = await store.get_group(group_id)
    if group is None:
        raise record_not_found()
    if group.status == "dismissed":
        raise dismissed_already()
    if await _owner_of(ctx, group) == "":
        raise record_not_found()
    return group


async def _apply_info(ctx: Ctx, group: Group, changes: dict[str, Any],
                      notification: str | None) -> None:
    store = ctx.services.store
    now_ms = ctx.services.clock.now_ms()
    if notification is not None:
        changes["notification"] = notification
        changes["notification_user_id"] = caller_id(ctx)
    if "need_verification" in changes:
        changes["apply_join_option"] = apply_join_option(changes["need_verification"])
    await store.update_group_info(group.id, now_ms=now_ms, **changes)
    if notification is not None:
        await store.update_group(group.id, notification_update_time=now_ms)
    info = await n.group_tips(ctx, group.id)
    tips = {"opUser": await n.op_user(ctx, group.id), "group": info}
    if notification:
        await n.post(ctx, group.id, n.ANNOUNCEMENT_SET, await n.with_version(ctx, group.id, tips),
                     sender_name=True)
    if changes.get("name"):
        await n.post(ctx, group.id, n.NAME_SET, await n.with_version(ctx, group.id, tips))


async def set_group_info(ctx: Ctx) -> dict[str, Any]:
    """``SetGroupInfo``: an empty string leaves a field unchanged; ex and the three numbers
    are wrappers (``null`` = unchanged)."""
    info = ctx.body["groupInfoForSet"]
    group = await _set_info_rights(ctx, info["groupID"])
    changes: dict[str, Any] = {}
    for key, name in (("groupName", "name"), ("introduction", "introduction"),
                      ("faceURL", "face_url")):
        if info[key] != "":
            changes[name] = info[key]
    for key, name in (("needVerification", "need_verification"),
                      ("lookMemberInfo", "look_member_info"),
                      ("applyMemberFriend", "apply_member_friend"), ("ex", "ex")):
        if info[key] is not None:
            changes[name] = info[key]
    notification = info["notification"] if info["notification"] != "" else None
    if changes or notification is not None:
        await _apply_info(ctx, group, changes, notification)
    return {}


async def set_group_info_ex(ctx: Ctx) -> dict[str, Any]:
    """``SetGroupInfoEx``: every field a wrapper, ``null`` = unchanged; the notification is
    trimmed; a blank groupName makes the update map empty, which answers success with nothing
    changed (upstream returns before looking at the error)."""
    req = ctx.body
    group = await _set_info_rights(ctx, req["groupID"])
    if req["groupName"] is not None and req["groupName"].strip(" \t\n\r\v\f") == "":
        return {}
    changes: dict[str, Any] = {}
    for key, name in (("groupName", "name"), ("introduction", "introduction"),
                      ("faceURL", "face_url"), ("needVerification", "need_verification"),
                      ("lookMemberInfo", "look_member_info"),
                      ("applyMemberFriend", "apply_member_friend"), ("ex", "ex")):
        if req[key] is not None:
            changes[name] = req[key]
    notification = req["notification"]
    if notification is not None:
        notification = notification.strip(" \t\n\r\v\f")
    if changes or notification is not None:
        await _apply_info(ctx, group, changes, notification)
    return {}


async def transfer_group(ctx: Ctx) -> dict[str, Any]:
    """``TransferGroupOwner``: the old owner (or an admin token) hands the group to a member;
    the new owner's mute is lifted; the old owner becomes an ordinary member."""
    req = ctx.body
    store = ctx.services.store
    group = await store.get_group(req["groupID"])
    if group is None:
        raise record_not_found()
    if group.status == "dismissed":
        raise dismissed_already()
    old, new = req["oldOwnerUserID"], req["newOwnerUserID"]
    if old == new:
        raise e.oim_error(e.ARGS, "OldOwnerUserID == NewOwnerUserID")
    found = {uid: m for uid in (old, new) if (m := await store.member(group.id, uid))}
    missing = [uid for uid in (old, new) if uid not in found]
    if missing:
        raise e.oim_error(e.ARGS, "user not in group " + ",".join(missing))
    if not is_admin(ctx) and not (caller_id(ctx) == old and found[old].role == "owner"):
        raise e.oim_error(e.NO_PERMISSION, "no permission transfer group owner")
    now_ms = ctx.services.clock.now_ms()
    if found[new].muted(now_ms):
        await store.unmute_members(group.id, [new], now_ms=now_ms)
    await store.transfer_owner(group.id, new, now_ms=now_ms)
    tips = {"group": await n.group_tips(ctx, group.id),
            "opUser": await n.op_user(ctx, group.id),
            "newGroupOwner": await n.member_of(ctx, group.id, new),
            "oldGroupOwnerInfo": await n.member_of(ctx, group.id, old)}
    await n.post(ctx, group.id, n.OWNER_TRANSFERRED, await n.with_version(ctx, group.id, tips))
    return {}


async def _set_group_muted(ctx: Ctx, muted: bool) -> dict[str, Any]:
    group_id = ctx.body["groupID"]
    await check_group_admin(ctx, group_id)
    store = ctx.services.store
    group = await store.get_group(group_id)
    if group is None or group.status == "dismissed":
        # Upstream's UpdateGroup matches nothing (or writes a dismissed group's status);
        # the store takes no writes for a dismissed group (docs: differences).
        return {}
    now_ms = ctx.services.clock.now_ms()
    await store.mute_all(group_id, muted, now_ms=now_ms)
    await store.update_group(group_id, status="muted" if muted else "normal")
    tips = {"group": await n.group_tips(ctx, group_id), "opUser": await n.op_user(ctx, group_id)}
    await n.post(ctx, group_id, n.GROUP_MUTED if muted else n.GROUP_CANCEL_MUTED,
                 await n.with_version(ctx, group_id, tips))
    return {}


async def mute_group(ctx: Ctx) -> dict[str, Any]:
    """``MuteGroup``: status 3 (members may not speak; the owner and admins may)."""
    return await _set_group_muted(ctx, True)


async def cancel_mute_group(ctx: Ctx) -> dict[str, Any]:
    """``CancelMuteGroup``: status 0."""
    return await _set_group_muted(ctx, False)


async def get_groups(ctx: Ctx) -> dict[str, Any]:
    """``GetGroups`` (the CMS search; upstream checks no role, any valid token may call it):
    with ``groupID``, that group in any status (total 0 or 1, no paging); else every group
    not dismissed whose name matches ``groupName`` (a regex, "" matches all), newest first,
    paged with Mongo's skip/limit (a page past the end or showNumber 0 or less: no groups,
    the total filled in). Each is ``{groupInfo, groupOwnerUserName, groupOwnerUserID}``, the
    owner's name being the owner's group nickname as stored."""
    req = ctx.body
    store = ctx.services.store
    if req["groupID"] != "":
        group = await store.get_group(req["groupID"])
        found = [group] if group is not None else []
        total = len(found)
    else:
        search = keyword_matches(req["groupName"])
        matching: list[Group] = []
        after = 0
        while True:
            page = await store.group_page(after=after, limit=1000, include_dismissed=False)
            matching.extend(g for g in page.groups if search(g.name))
            if not page.next:
                break
            after = page.next
        matching.sort(key=lambda g: (-g.create_time_ms, g.id))
        total = len(matching)
        show = req["pagination"]["showNumber"]
        skip = (req["pagination"]["pageNumber"] - 1) * show
        found = matching[skip:skip + show] if 0 <= skip < total and show > 0 else []
    groups = []
    for group in found:
        owner = await ctx.services.store.member(group.id, group.owner) if group.owner else None
        if owner is not None and owner.role != "owner":
            owner = None
        owner_id = owner.user_id if owner is not None else ""
        groups.append({"groupInfo": render_group(ctx, group, owner_id),
                       "groupOwnerUserName": owner.nickname if owner is not None else "",
                       "groupOwnerUserID": owner_id})
    return {"total": total, "groups": groups or None}
