"""``/msg/search_msg`` (``SearchMessage``): a search of the stored messages, as
open-im-server ``internal/rpc/msg/sync_msg.go`` and ``pkg/common/storage/database/mgo/msg.go``
(``searchMessage``, ``searchMessageIndex``) run it; commit in docs/vendors/openim.md.

The server keeps a conversation's messages in documents of 100 seqs (``sg_<groupID>:<n>``)
and scans the ``sg_``/``si_`` documents in the order they were created, 50 at a time: a
document matches when each filter is met by some message of it, then its messages that meet
them all are taken in seq order (a round ends the scan when fewer than 50 of its documents
have such a message). The page is ``skip`` = (pageNumber - 1) x showNumber, at most
showNumber messages; the scan stops ten rounds after the page is full, so ``chatLogsNum``
counts the matches in the documents scanned. Here the documents are the log's messages
grouped by group and seq block, ordered by their first logged message; only group messages
are in the log, so a search for single chats finds nothing. Any valid token may search (the
handler checks no rights).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from emulator.store.models import Message as StoredMessage
from emulator.vendors.openim import errors as e
from emulator.vendors.openim.dates import DAY_MS, LAYOUT, DateError, parse_date_only
from emulator.vendors.openim.groups import groups_info
from emulator.vendors.openim.messages import (NOTIFICATION_CHAT, READ_GROUP_CHAT,
                                              SINGLE_CHAT)
from emulator.vendors.openim.msg import msg_data
from emulator.vendors.openim.protocol import Ctx

DOC_SIZE = 100  # msgs per document (model.singleGocMsgNum)
SCAN_DOCS = 50  # documents per round (maxDoc)
ROUNDS_AFTER_FULL = 10
PANIC_NEGATIVE_CAP = "runtime error: makeslice: cap out of range"
PANIC_NIL_GROUP = "runtime error: invalid memory address or nil pointer dereference"
CHAT_LOG_KEYS = ("serverMsgID", "clientMsgID", "sendID", "recvID", "groupID", "recvNickname",
                 "senderPlatformID", "senderNickname", "senderFaceURL", "groupName",
                 "sessionType", "msgFrom", "contentType", "content", "status", "sendTime",
                 "createTime", "ex", "groupFaceURL", "groupMemberCount", "seq", "groupOwner",
                 "groupType")

Filter = Callable[[dict[str, Any]], bool]
Hit = tuple[StoredMessage, dict[str, Any]]  # a logged message and its MsgData


def _filters(req: dict[str, Any]) -> list[Filter]:
    """The conditions of ``searchMessage``'s filter (each on one MsgData)."""
    found: list[Filter] = []
    recv, send = req["recvID"], req["sendID"]
    if recv != "":
        found.append(lambda m: m["recvID"] == recv or m["groupID"] == recv)
    if send != "":
        found.append(lambda m: m["sendID"] == send)
    if req["contentType"] != 0:
        found.append(lambda m, wanted=req["contentType"]: m["contentType"] == wanted)
    if req["sessionType"] != 0:
        found.append(lambda m, wanted=req["sessionType"]: m["sessionType"] == wanted)
    if req["sendTime"] != "":
        try:
            start = parse_date_only(req["sendTime"])
        except DateError as exc:
            raise e.oim_error(e.ARGS, f"invalid sendTime, req={req['sendTime']}, "
                                      f"format={LAYOUT}, cause={exc}") from None
        found.append(lambda m: m["sendTime"] >= start)
        found.append(lambda m: m["sendTime"] < start + DAY_MS)
    return found


def _documents(log: list[StoredMessage]) -> list[list[Hit]]:
    """The log as the server's documents: by group and block of 100 seqs, in the order their
    first message was logged, each in seq order."""
    docs: dict[tuple[str, int], list[Hit]] = {}
    for message in log:
        docs.setdefault((message.group_id, (message.seq - 1) // DOC_SIZE), []).append(
            (message, msg_data(message)))
    return [sorted(doc, key=lambda pair: pair[0].seq) for doc in docs.values()]


def _scan(docs: list[list[Hit]], filters: list[Filter], skip: int,
          show: int) -> tuple[int, list[Hit]]:
    """``searchMessage``'s loop: the matches counted and the page taken. A round is the next
    ``SCAN_DOCS`` documents that match as documents, of which those with a matching message
    come back (``res``); the next round starts after the last of those, and a round that
    brings back fewer than ``SCAN_DOCS`` ends the scan."""
    candidates = [doc for doc in docs
                  if all(any(test(data) for _, data in doc) for test in filters)]
    count, push, start = 0, show, 0
    page: list[Hit] = []
    while True:
        found: list[tuple[int, list[Hit]]] = []
        for index in range(start, min(start + SCAN_DOCS, len(candidates))):
            hits = [(message, data) for message, data in candidates[index]
                    if all(test(data) for test in filters)]
            if hits:
                found.append((index, hits))
        if found:
            start = found[-1][0] + 1
        for _, hits in found:
            for hit in hits:
                if push > 0 and count >= skip:
                    page.append(hit)
                    push -= 1
                count += 1
        if push <= 0:
            push -= 1
        if len(found) < SCAN_DOCS or push < -ROUNDS_AFTER_FULL:
            return count, page


def _int32(value: int) -> int:
    """Go's int32 arithmetic: the value wrapped to 32 bits."""
    return (value + 2 ** 31) % 2 ** 32 - 2 ** 31


async def _nickname(ctx: Ctx, user_id: str) -> str:
    """A user's nickname ("" for an unknown user; an admin's is its id)."""
    user = await ctx.services.store.get_user(user_id)
    if user is not None:
        return user.name
    return user_id if ctx.protocol.tokens.is_admin(user_id) else ""


async def _chat_log(ctx: Ctx, data: dict[str, Any],
                    groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``msg.ChatLog``: the MsgData's fields (content as its JSON text), the sender's
    nickname when empty, and for a group chat (session 3) the group's."""
    log: dict[str, Any] = {key: data.get(key, "") for key in CHAT_LOG_KEYS}
    log["content"] = base64.b64decode(data["content"]).decode("utf-8", "replace") \
        if data["content"] else ""
    log.update(recvNickname="", groupName="", groupFaceURL="", groupMemberCount=0,
               groupOwner="", groupType=0)
    if data["senderNickname"] == "":
        log["senderNickname"] = await _nickname(ctx, data["sendID"])
    session = data["sessionType"]
    if session in (SINGLE_CHAT, NOTIFICATION_CHAT):
        log["recvNickname"] = await _nickname(ctx, data["recvID"])
    elif session == READ_GROUP_CHAT:
        info = groups.get(data["groupID"])
        if info is None:
            raise e.oim_error(e.SERVER_INTERNAL, PANIC_NIL_GROUP)
        log.update(senderFaceURL=info["faceURL"], groupMemberCount=info["memberCount"],
                   recvID=info["groupID"], groupName=info["groupName"],
                   groupOwner=info["ownerUserID"], groupType=info["groupType"])
    return log


async def _groups(ctx: Ctx, group_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The groups of the page, with ``memberCount`` the members there are now."""
    found = {}
    for info in await groups_info(ctx, list(dict.fromkeys(group_ids))) or []:
        info["memberCount"] = len(await ctx.services.store.members(info["groupID"]))
        found[info["groupID"]] = info
    return found


async def search_msg(ctx: Ctx) -> dict[str, Any]:
    """``SearchMessage``: ``{"chatLogs": [{"chatLog", "isRevoked"}] | null, "chatLogsNum"}``.
    A bad ``sendTime`` is 1001 (``invalid sendTime, ...``); a negative ``showNumber`` the
    server's panic on a negative capacity (500)."""
    req = ctx.body
    filters = _filters(req)
    pagination = req["pagination"] or {"pageNumber": 0, "showNumber": 0}
    show = pagination["showNumber"]
    if show < 0:
        raise e.oim_error(e.SERVER_INTERNAL, PANIC_NEGATIVE_CAP)
    skip = _int32((_int32(pagination["pageNumber"] - 1)) * show)
    docs = _documents(await ctx.services.store.message_log())
    total, page = _scan(docs, filters, skip, show)
    groups = await _groups(ctx, [data["groupID"] for _, data in page
                                 if data["sessionType"] == READ_GROUP_CHAT])
    logs = [{"chatLog": await _chat_log(ctx, data, groups), "isRevoked": message.recalled}
            for message, data in page]
    return {"chatLogs": logs or None, "chatLogsNum": total}
