"""The member endpoints of ``/group/*``: invite, kick, quit, the member list and member info,
set member info, and the member mutes. Checks in open-im-server's order
(``internal/rpc/group/group.go``, see docs/vendors/openim.md for the commit); each change
posts the notification the server posts after it (``notices``), and join requests are the
store's."""

from __future__ import annotations

import re
from typing import Any

from emulator.store.errors import GroupDismissed, GroupNotFound, IsOwner, NotMember
from emulator.store.models import JoinRequest, Membership
from emulator.vendors.openim import errors as e
from emulator.vendors.openim import notices as n
from emulator.vendors.openim.auth import caller_id, check_access, is_admin
from emulator.vendors.openim.mapping import (JOIN_BY_INVITATION, JOIN_DIRECTLY, ROLE_LEVELS,
                                             dismissed_already, join_source_label,
                                             member_info, record_not_found, role_level)
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.users import registered

ALL_NEED_VERIFICATION = 1
INVITE_BATCH = 50  # InviteUserToGroup adds (and notifies) members 50 at a time
ROLE_OF_LEVEL = {level: role for role, level in ROLE_LEVELS.items()}


def no_permission(text: str) -> Exception:
    return e.oim_error(e.NO_PERMISSION, text)


async def take_group(ctx: Ctx, group_id: str) -> Any:
    """``TakeGroup``: the group in any status, else 1004 record not found."""
    group = await ctx.services.store.get_group(group_id)
    if group is None:
        raise record_not_found()
    return group


async def take_member(ctx: Ctx, group_id: str, user_id: str) -> Membership:
    """``TakeGroupMember``: the membership, else 1004 record not found."""
    member = await ctx.services.store.member(group_id, user_id)
    if member is None:
        raise record_not_found()
    return member


async def check_admin_or_in_group(ctx: Ctx, group_id: str) -> None:
    """``checkAdminOrInGroup``: an admin, or a member of the group, else 1002."""
    if is_admin(ctx):
        return
    if await ctx.services.store.member(group_id, caller_id(ctx)) is None:
        raise no_permission("op user not in group")


async def check_group_admin(ctx: Ctx, group_id: str, *, member_lookup: bool = False) -> None:
    """``CheckGroupAdmin``: an admin token, or the group's owner or an admin (1002). With
    ``member_lookup`` a caller who is not a member gets the member lookup's 1004 ``record not
    found``, as the paths that read the caller's member row first answer."""
    if is_admin(ctx):
        return
    member = await ctx.services.store.member(group_id, caller_id(ctx))
    if member is None:
        if member_lookup:
            raise record_not_found()
        raise e.oim_error(e.NO_PERMISSION, "op user not in group")
    if member.role not in ("owner", "admin"):
        raise e.oim_error(e.NO_PERMISSION, "no group owner or admin")


async def populate(ctx: Ctx, members: list[Membership]) -> list[dict[str, Any]]:
    """``PopulateGroupMember`` then ``Db2PbGroupMember``: an empty nickname or faceURL is the
    user's own."""
    store = ctx.services.store
    rendered = []
    for member in members:
        user = None
        if member.nickname == "" or member.face_url == "":
            user = await store.get_user(member.user_id)
        rendered.append(member_info(member, user))
    return rendered


async def invited_notice(ctx: Ctx, group_id: str, user_ids: list[str], inviter: str,
                         send_message: bool | None = None) -> None:
    """``MemberInvitedNotification``: the members who entered, the operator, and the inviter
    (the operator's own info when they are the inviter)."""
    entered = [info for uid in user_ids if (info := await n.member_of(ctx, group_id, uid))]
    op = await n.op_user(ctx, group_id)
    inviter_user = op if inviter == caller_id(ctx) else await n.op_user(ctx, group_id, inviter)
    tips = {"group": await n.group_tips(ctx, group_id), "opUser": op,
            "invitedUserList": entered, "inviterUser": inviter_user}
    await n.post(ctx, group_id, n.MEMBER_INVITED, await n.with_version(ctx, group_id, tips),
                 send_message=send_message)


async def entered_notice(ctx: Ctx, group_id: str, user_id: str) -> None:
    """``MemberEnterNotification``: the member who entered, and the time."""
    tips = {"group": await n.group_tips(ctx, group_id),
            "entrantUser": await n.member_of(ctx, group_id, user_id),
            "operationTime": ctx.services.clock.now_ms()}
    await n.post(ctx, group_id, n.MEMBER_ENTER, await n.with_version(ctx, group_id, tips))


async def invite_user_to_group(ctx: Ctx) -> dict[str, Any]:
    """``InviteUserToGroup``: an admin, the owner or an admin adds directly; an ordinary
    member's invitation to a group with needVerification 1 becomes join requests."""
    req = ctx.body
    invited = req["invitedUserIDs"]
    group_id = req["groupID"]
    if not invited:
        raise e.oim_error(e.ARGS, "user empty")
    if len(set(invited)) != len(invited):
        raise e.oim_error(e.ARGS, "userID duplicate")
    group = await take_group(ctx, group_id)
    if group.status == "dismissed":
        raise dismissed_already("group dismissed checking group status found it dismissed")
    await check_admin_or_in_group(ctx, group_id)
    if len(await registered(ctx, invited)) != len(invited):
        raise record_not_found("user not found")
    op = caller_id(ctx)
    now_ms = ctx.services.clock.now_ms()
    if not is_admin(ctx):
        op_member = await take_member(ctx, group_id, op)
        if (group.need_verification == ALL_NEED_VERIFICATION
                and op_member.role not in ("owner", "admin")):
            await ctx.services.store.record_join_requests([
                JoinRequest(group_id, user_id, inviter=op,
                            source=join_source_label(JOIN_BY_INVITATION), requested_at_ms=now_ms)
                for user_id in invited])
            return {}
    store = ctx.services.store
    if [uid for uid in invited if await store.member(group_id, uid) is not None]:
        # Mongo's unique (group, user) index refuses the insert; the server does not map that
        # error to a code, so it is the internal error.
        raise e.oim_error(e.SERVER_INTERNAL, "mongo insert many")
    source = join_source_label(JOIN_BY_INVITATION)
    for start in range(0, len(invited), INVITE_BATCH):
        batch = invited[start:start + INVITE_BATCH]
        await store.add_group_members(group_id, [
            Membership(group_id, uid, "member", now_ms, inviter=op, operator=op,
                       join_source=source) for uid in batch])
        await invited_notice(ctx, group_id, batch, op, req["sendMessage"])
    return {}


async def kick_group(ctx: Ctx) -> dict[str, Any]:
    """``KickGroupMember``: never the owner nor the caller; an admin token kicks anyone, the
    owner anyone else, an admin only ordinary members."""
    req = ctx.body
    group_id = req["groupID"]
    kicked = req["kickedUserIDs"]
    store = ctx.services.store
    group = await take_group(ctx, group_id)
    if not kicked:
        raise e.oim_error(e.ARGS, "KickedUserIDs empty")
    if len(set(kicked)) != len(kicked):
        raise e.oim_error(e.ARGS, "KickedUserIDs duplicate")
    op = caller_id(ctx)
    if op in kicked:
        raise e.oim_error(e.ARGS, "opUserID in KickedUserIDs")
    if group.owner == "" or await store.member(group_id, group.owner) is None:
        raise record_not_found()
    if group.owner in kicked:
        raise e.oim_error(e.ARGS, "ownerUID can not Kick")
    admin = is_admin(ctx)
    op_member = await store.member(group_id, op)
    for user_id in kicked:
        member = await store.member(group_id, user_id)
        if member is None:
            raise e.oim_error(e.USER_ID_NOT_FOUND, user_id)
        if admin:
            continue
        if op_member is None:
            raise no_permission("opUserID no in group")
        if op_member.role == "admin" and member.role in ("owner", "admin"):
            raise no_permission("group admins cannot remove the group owner and other admins")
        if op_member.role == "member":
            raise no_permission("opUserID no permission")
    if group.status == "dismissed":
        raise dismissed_already("group status is dismissed")
    # The kicked members as stored (upstream does not fill in their users' names here).
    kicked_rows = [member_info(m) for uid in kicked if (m := await store.member(group_id, uid))]
    await store.remove_group_members(group_id, kicked)
    tips = {"group": await n.group_tips(ctx, group_id), "opUser": await n.op_user(ctx, group_id),
            "kickedUserList": kicked_rows}
    await n.post(ctx, group_id, n.MEMBER_KICKED, await n.with_version(ctx, group_id, tips),
                 send_message=req["sendMessage"])
    return {}


async def quit_group(ctx: Ctx) -> dict[str, Any]:
    """``QuitGroup``: the caller (or, for an admin, ``userID``) leaves; the owner cannot."""
    req = ctx.body
    user_id = req["userID"]
    if user_id == "":
        user_id = caller_id(ctx)
    else:
        check_access(ctx, user_id)
    ctx.call.user = user_id
    member = await take_member(ctx, req["groupID"], user_id)
    if member.role == "owner":
        raise no_permission("group owner can't quit")
    quitting = await n.member_tips(ctx, member)
    try:
        await ctx.services.store.remove_group_members(req["groupID"], [user_id])
    except GroupDismissed:
        raise dismissed_already("group status is dismissed") from None
    tips = {"group": await n.group_tips(ctx, req["groupID"]), "quitUser": quitting}
    await n.post(ctx, req["groupID"], n.MEMBER_QUIT,
                 await n.with_version(ctx, req["groupID"], tips))
    return {}


def _page(items: list[Any], page_number: int, show: int) -> list[Any]:
    """``datautil.Paginate``."""
    if page_number <= 0 or show <= 0:
        return []
    start = (page_number - 1) * show
    return items[start:start + show]


def keyword_matches(keyword: str) -> Any:
    """Mongo's ``$regex`` on the stored nickname; a pattern Python cannot compile is matched
    literally."""
    try:
        pattern = re.compile(keyword)
    except (re.error, OverflowError):
        pattern = re.compile(re.escape(keyword))
    return pattern.search


async def get_group_member_list(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupMemberList``: every member ordered by role level (highest first), then join
    time; ``filter`` is validated but not applied (as upstream); a ``keyword`` searches the
    stored group nicknames (a regex) and pages with Mongo's skip/limit (showNumber 0: no
    limit)."""
    req = ctx.body
    group_id = req["groupID"]
    await check_admin_or_in_group(ctx, group_id)
    page_number = req["pagination"]["pageNumber"]
    show = req["pagination"]["showNumber"]
    store = ctx.services.store
    try:
        members = await store.members(group_id)
    except GroupNotFound:
        members = []
    if req["keyword"] == "":
        total = len(members)
        rows = _page(members, page_number, show)
    else:
        search = keyword_matches(req["keyword"])
        found = [m for m in members if search(m.nickname)]
        total = len(found)
        start = max(page_number - 1, 0) * max(show, 0)
        rows = found[start:start + show] if show > 0 else found[start:]
    return {"total": total, "members": await populate(ctx, rows) or None}


async def get_group_members_info(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupMembersInfo``: the named users that are members (others left out), in the
    store's role order."""
    req = ctx.body
    user_ids = req["userIDs"]
    if not user_ids:
        raise e.oim_error(e.ARGS, "userIDs empty")
    await check_admin_or_in_group(ctx, req["groupID"])
    wanted = set(user_ids)
    members = [m for m in await ctx.services.store.members(req["groupID"])
               if m.user_id in wanted]
    return {"members": await populate(ctx, members) or None}


async def get_group_member_user_ids(ctx: Ctx) -> dict[str, Any]:
    """``GetGroupMemberUserIDs``: an admin or a member; the ids in role order."""
    req = ctx.body
    await check_admin_or_in_group(ctx, req["groupID"])
    members = await ctx.services.store.members(req["groupID"])
    return {"userIDs": [m.user_id for m in members] or None}


async def _check_member_changes(ctx: Ctx, group_id: str, items: list[dict[str, Any]],
                                op: str, admin: bool) -> None:
    store = ctx.services.store
    seen: set[str] = set()
    user_ids = []
    for item in items:
        if item["userID"] in seen:
            raise e.oim_error(e.ARGS, f"repeat group {group_id} user {item['userID']}")
        seen.add(item["userID"])
        user_ids.append(item["userID"])
    if op not in seen:
        user_ids.append(op)
    found = {uid: m for uid in user_ids if (m := await store.member(group_id, uid)) is not None}
    missing = len(user_ids) - len(found)
    if missing == 0:
        if admin:
            return
        mine = found[op]
        level = role_level(mine.role)
        for member in found.values():
            if mine.role == "admin":
                if member.role == "owner":
                    raise no_permission("admin can not change group owner")
                if member.role == "admin" and member.user_id != op:
                    raise no_permission("admin can not change other group admin")
            elif mine.role == "member":
                if not (member.role == "member" and member.user_id == op):
                    raise no_permission("ordinary users can not change other role level")
        own = next((item for item in items if item["userID"] == op), None)
        if own is not None and own["roleLevel"] is not None:
            if own["roleLevel"] > level:
                raise no_permission("can not improve role level by self")
            if mine.role == "owner":
                raise e.oim_error(e.ARGS, "group owner can not change own role level")
    elif missing == 1:
        if op in found:
            raise e.oim_error(e.ARGS, "user not in group")
        if not admin:
            raise no_permission("user not in group")
    else:
        raise e.oim_error(e.ARGS, "user not in group")


async def set_group_member_info(ctx: Ctx) -> dict[str, Any]:
    """``SetGroupMemberInfo``: nickname, faceURL, ex and roleLevel (60 or 20) of members,
    each field a bare value or ``null`` (unchanged)."""
    items = [item for item in ctx.body["members"] or [] if item is not None]
    if not ctx.body["members"]:
        raise e.oim_error(e.ARGS, "members empty")
    op = caller_id(ctx)
    if op == "":
        raise no_permission("no op user id")
    admin = is_admin(ctx)
    for item in items:
        level = item["roleLevel"]
        if level is not None:
            if level == ROLE_LEVELS["owner"]:
                raise no_permission("cannot set ungroup owner")
            if level not in (ROLE_LEVELS["admin"], ROLE_LEVELS["member"]):
                raise e.oim_error(e.ARGS, "invalid role level")
    by_group: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_group.setdefault(item["groupID"], []).append(item)
    for group_id, group_items in by_group.items():
        await _check_member_changes(ctx, group_id, group_items, op, admin)
    store = ctx.services.store
    for item in items:
        changes = {name: item[key] for key, name in (("nickname", "nickname"),
                                                     ("faceURL", "face_url"), ("ex", "ex"))
                   if item[key] is not None}
        try:
            if changes:
                await store.update_member_info(item["groupID"], item["userID"], **changes)
            if item["roleLevel"] is not None:
                await store.set_role(item["groupID"], item["userID"],
                                     ROLE_OF_LEVEL[item["roleLevel"]])
        except (NotMember, IsOwner, GroupDismissed):
            # The real server updates what matches and answers success.
            continue
    return {}


async def _mute_rights(ctx: Ctx, group_id: str, member: Membership, verb: str) -> None:
    if is_admin(ctx):
        return
    op_member = await take_member(ctx, group_id, caller_id(ctx))
    texts = {"mute": ("set group owner mute", "set group admin mute",
                      "set group ordinary users mute"),
             "unmute": ("Can not set group owner unmute", "Can not set group admin unmute",
                        "Can not set group ordinary users unmute")}[verb]
    if member.role == "owner":
        raise no_permission(texts[0])
    if member.role == "admin" and op_member.role != "owner":
        raise no_permission(texts[1])
    if member.role == "member" and op_member.role not in ("owner", "admin"):
        raise no_permission(texts[2])


async def mute_group_member(ctx: Ctx) -> dict[str, Any]:
    """``MuteGroupMember``: muteEndTime = now + mutedSeconds."""
    req = ctx.body
    ctx.call.user = req["userID"]
    member = await take_member(ctx, req["groupID"], req["userID"])
    await _mute_rights(ctx, req["groupID"], member, "mute")
    now_ms = ctx.services.clock.now_ms()
    if await _set_mute(ctx, req["groupID"], req["userID"],
                       now_ms + req["mutedSeconds"] * 1000, now_ms):
        await _mute_notice(ctx, req["groupID"], req["userID"], req["mutedSeconds"])
    return {}


async def cancel_mute_group_member(ctx: Ctx) -> dict[str, Any]:
    """``CancelMuteGroupMember``: muteEndTime back to 0."""
    req = ctx.body
    ctx.call.user = req["userID"]
    member = await take_member(ctx, req["groupID"], req["userID"])
    await _mute_rights(ctx, req["groupID"], member, "unmute")
    if await _set_mute(ctx, req["groupID"], req["userID"], 0, ctx.services.clock.now_ms()):
        await _mute_notice(ctx, req["groupID"], req["userID"], None)
    return {}


async def _mute_notice(ctx: Ctx, group_id: str, user_id: str, seconds: int | None) -> None:
    """``GroupMemberMutedNotification`` (with the seconds) or its cancel."""
    tips: dict[str, Any] = {"group": await n.group_tips(ctx, group_id),
                            "opUser": await n.op_user(ctx, group_id),
                            "mutedUser": await n.member_of(ctx, group_id, user_id)}
    if seconds is not None:
        tips["mutedSeconds"] = seconds
    await n.post(ctx, group_id, n.MEMBER_MUTED if seconds is not None else n.MEMBER_CANCEL_MUTED,
                 await n.with_version(ctx, group_id, tips))


async def _set_mute(ctx: Ctx, group_id: str, user_id: str, until_ms: int, now_ms: int) -> bool:
    """Set the member's mute; False when the group is dismissed."""
    try:
        await ctx.services.store.mute_members(group_id, [user_id], until_ms, now_ms=now_ms)
    except GroupDismissed:
        # The store takes no writes for a dismissed group; the real server would update the
        # row. Answered as success with nothing changed (docs: differences).
        return False
    return True


async def join_group(ctx: Ctx) -> dict[str, Any]:
    """``JoinGroup``: the user joining is ``inviterUserID`` (what openim-sdk-core sends as the
    logged-in user; the server does not compare it with the token's user). Checks: the user
    (1004 record not found), the group (1004), dismissed (1204), a member already (1001, no
    detail); needVerification 2 (join directly) adds the member, anything else records a
    join request."""
    req = ctx.body
    user_id = req["inviterUserID"]
    ctx.call.user = user_id
    if not await registered(ctx, [user_id]) or user_id == "":
        raise record_not_found()
    group = await take_group(ctx, req["groupID"])
    if group.status == "dismissed":
        raise dismissed_already()
    store = ctx.services.store
    if await store.member(group.id, user_id) is not None:
        raise e.oim_error(e.ARGS)
    now_ms = ctx.services.clock.now_ms()
    if group.need_verification == JOIN_DIRECTLY:
        # Upstream sets no joinSource here, and the joining user as the inviter.
        await store.add_group_members(group.id, [Membership(
            group.id, user_id, "member", now_ms, inviter=user_id, operator=caller_id(ctx))])
        await entered_notice(ctx, group.id, user_id)
        return {}
    await store.record_join_requests([JoinRequest(
        group.id, user_id, message=req["reqMessage"],
        source=join_source_label(req["joinSource"]), ex=req["ex"], requested_at_ms=now_ms)])
    return {}
