"""The group notifications open-im-server posts into a group's conversation ``sg_<groupID>``
after a change (``internal/rpc/group/notification.go``, ``pkg/notification/msg.go``,
``config/notification.yml``; commit in docs/vendors/openim.md).

Each is a message of the group's log (the store's kind "system", vendor "openim", type
"notification") with the next seq, posted right after the change, as the real server posts
it right after its write (there through a queue and the message pipeline). Its body is the
``sdkws.MsgData`` the server stores: ``sendID`` the operator, ``recvID`` and ``groupID`` the
group, ``msgFrom`` 200, the content type (1501...), ``content`` ``{"detail": <tips JSON>}``,
``options`` ``{"offlinePush": false, "unreadCount": true}``, the configured
``offlinePushInfo``. The tips are the proto messages written by Go's ``encoding/json``
(``tips.shape``: the protocol's tags have no ``omitempty``, so every field is written, in the
proto's field order). The content is ``json.Marshal`` of the NotificationElem; a pull answers
it as MsgData's ``[]byte`` content, base64.

Only the notifications whose ``isSendMsg`` is true in the default configuration take a seq
in ``sg_``: those are the ones here. The others (group info set 1502, member info set 1516,
set to admin or ordinary 1517/1518, the join-request ones 1503/1505/1506) go to the
notification conversation ``n_<groupID>`` unstored (reliability level 1), and so leave no
trace in the history; a request's ``sendMessage`` false sends a notification there too.
"""

from __future__ import annotations

from typing import Any

from emulator.store.models import Group, Membership
from emulator.vendors.openim.auth import caller_id
from emulator.vendors.openim.gin import go_json
from emulator.vendors.openim.mapping import group_info, member_info
from emulator.vendors.openim.msg import READ_GROUP_CHAT, SYSTEM_MESSAGE, VENDOR, message_id
from emulator.vendors.openim.protocol import Ctx
from emulator.vendors.openim.tips import shape
from emulator.vendors.openim.versions import member_version

GROUP_CREATED = 1501
MEMBER_QUIT = 1504
OWNER_TRANSFERRED = 1507
MEMBER_KICKED = 1508
MEMBER_INVITED = 1509
MEMBER_ENTER = 1510
GROUP_DISMISSED = 1511
MEMBER_MUTED = 1512
MEMBER_CANCEL_MUTED = 1513
GROUP_MUTED = 1514
GROUP_CANCEL_MUTED = 1515
ANNOUNCEMENT_SET = 1519
NAME_SET = 1520
# Each stored notification's offlinePushInfo (title, desc, ex), as config/notification.yml
# sets it.
_PUSH_KEYS: dict[int, str] = {
    GROUP_CREATED: "create group", MEMBER_QUIT: "memberQuit",
    OWNER_TRANSFERRED: "groupOwnerTransferred", MEMBER_KICKED: "memberKicked",
    MEMBER_INVITED: "memberInvited", MEMBER_ENTER: "memberEnter",
    GROUP_DISMISSED: "groupDismissed", MEMBER_MUTED: "groupMemberMuted",
    MEMBER_CANCEL_MUTED: "groupMemberCancelMuted", GROUP_MUTED: "groupMuted",
    GROUP_CANCEL_MUTED: "groupCancelMuted", ANNOUNCEMENT_SET: "groupInfoSetAnnouncement",
    NAME_SET: "groupInfoSetName"}
GROUP_ADMIN_LEVEL = 60
APP_ADMIN = 2
NOTIFICATION_TYPE = "notification"


async def group_tips(ctx: Ctx, group_id: str) -> dict[str, Any] | None:
    """``getGroupInfo``: the group as GroupInfo, with its owner row's user (None: no group)."""
    store = ctx.services.store
    group = await store.get_group(group_id)
    if group is None:
        return None
    return await group_as_info(ctx, group)


async def group_as_info(ctx: Ctx, group: Group) -> dict[str, Any]:
    """A group as GroupInfo, with its owner row's user ("" when there is none)."""
    owner = await ctx.services.store.member(group.id, group.owner) if group.owner else None
    info = group_info(group)
    info["ownerUserID"] = owner.user_id if owner is not None and owner.role == "owner" else ""
    return info


async def member_tips(ctx: Ctx, member: Membership) -> dict[str, Any]:
    """A membership as GroupMemberFullInfo, its empty nickname or face the user's own."""
    user = None
    if member.nickname == "" or member.face_url == "":
        user = await ctx.services.store.get_user(member.user_id)
    return member_info(member, user)


async def member_of(ctx: Ctx, group_id: str, user_id: str) -> dict[str, Any] | None:
    """``getGroupMembers`` for one user: the member's info, or None."""
    member = await ctx.services.store.member(group_id, user_id)
    return await member_tips(ctx, member) if member is not None else None


async def op_user(ctx: Ctx, group_id: str, user_id: str | None = None) -> dict[str, Any]:
    """``fillUserByUserID``: an app admin as a group admin of app level 2; a member as their
    member info; anyone else as their user (operatorUserID themselves). The admin's nickname
    is its id (the default ``imAdminUser.nicknames``)."""
    user_id = caller_id(ctx) if user_id is None else user_id
    if ctx.protocol.tokens.is_admin(user_id):
        return {"groupID": group_id, "userID": user_id, "roleLevel": GROUP_ADMIN_LEVEL,
                "nickname": user_id, "appMangerLevel": APP_ADMIN}
    found = await member_of(ctx, group_id, user_id)
    if found is not None:
        return found
    user = await ctx.services.store.get_user(user_id)
    return {"groupID": group_id, "userID": user_id, "nickname": user.name if user else "",
            "faceURL": user.face_url if user else "", "operatorUserID": user_id}


async def with_version(ctx: Ctx, group_id: str, tips: dict[str, Any]) -> dict[str, Any]:
    """The tips with the group's member version after the change (``setVersion``)."""
    group = await ctx.services.store.get_group(group_id)
    if group is not None:
        version_id, version = await member_version(ctx, group)
        tips["groupMemberVersion"] = version
        tips["groupMemberVersionID"] = version_id
    return tips


async def post(ctx: Ctx, group_id: str, content_type: int, tips: dict[str, Any], *,
               send_message: bool | None = None, sender_name: bool = False) -> None:
    """Post a notification to the group's log (``send_message`` False: to the unstored
    notification conversation, so nothing is logged). ``sender_name`` fills the sender's
    nickname and face (``WithRpcGetUserName``)."""
    if send_message is False:
        return
    store = ctx.services.store
    now_ms = ctx.services.clock.now_ms()
    sender = caller_id(ctx)
    nickname = face_url = ""
    if sender_name:
        user = await store.get_user(sender)
        nickname, face_url = (user.name, user.face_url) if user else (sender, "")
    push = _PUSH_KEYS[content_type]
    detail = go_json(shape(content_type, tips)).decode()
    body = {
        "sendID": sender, "recvID": group_id, "groupID": group_id,
        "clientMsgID": message_id(sender, now_ms), "serverMsgID": message_id(sender, now_ms + 1),
        "senderPlatformID": 0, "senderNickname": nickname, "senderFaceURL": face_url,
        "sessionType": READ_GROUP_CHAT, "msgFrom": SYSTEM_MESSAGE, "contentType": content_type,
        "content": {"detail": detail}, "sendTime": now_ms, "createTime": now_ms, "status": 2,
        "isRead": False, "options": {"offlinePush": False, "unreadCount": True},
        "offlinePushInfo": {"title": f"{push} title", "desc": f"{push} desc",
                            "ex": f"{push} ext", "iOSPushSound": "", "iOSBadgeCount": False,
                            "signalInfo": ""},
        "atUserIDList": None, "attachedInfo": "", "ex": ""}
    await store.append_message(group_id, sender=sender, vendor=VENDOR, type=NOTIFICATION_TYPE,
                               body=body, now_ms=now_ms, client_id=body["clientMsgID"],
                               kind="system")
