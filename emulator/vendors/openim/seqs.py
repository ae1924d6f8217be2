"""``/msg/get_conversations_has_read_and_max_seq`` (``GetConversationsHasReadAndMaxSeq``,
open-im-server ``internal/rpc/msg/as_read.go``; commit in docs/vendors/openim.md).

Only group conversations (``sg_<groupID>``) have messages here. Without ``conversationIDs``
the user's conversations are those of their groups (every membership row, dismissed groups
included, as ``newest_seq`` reads them); given ids are each answered, whoever asks (the
server reads the seqs of any conversation id). ``maxSeq`` is the group's newest seq and
``maxSeqTime`` the time of its newest logged message (0 when none). The store keeps no read
marks: ``hasReadSeq`` is what the server itself writes when it stores a message, the seq of
the user's own newest message there (msgtransfer's ``SetHasReadSeqs`` for the sender; the
read receipts that would move it further are not served), 0 when none.
"""

from __future__ import annotations

from typing import Any

from emulator.store.models import JoinedQuery
from emulator.vendors.openim.auth import check_access
from emulator.vendors.openim.msg import GROUP_CONVERSATION, max_seq
from emulator.vendors.openim.protocol import Ctx


async def _user_conversations(ctx: Ctx, user_id: str) -> list[str]:
    page = await ctx.services.store.joined(JoinedQuery(
        user_id, include_dismissed=True, group_fields=frozenset(), member_fields=frozenset()))
    return [GROUP_CONVERSATION + row.group.id for row in page.rows]


async def _seqs(ctx: Ctx, user_id: str, conversation_id: str) -> dict[str, int]:
    """``msg.Seqs`` of one conversation: ``maxSeq``, ``hasReadSeq``, ``maxSeqTime``."""
    store = ctx.services.store
    group = None
    if conversation_id.startswith(GROUP_CONVERSATION):
        group = await store.get_group(conversation_id[len(GROUP_CONVERSATION):])
    if group is None:
        return {"maxSeq": 0, "hasReadSeq": 0, "maxSeqTime": 0}
    newest = max_seq(group)
    last = await store.messages_by_seq(group.id, newest, newest, include_system=True)
    own = await store.message_log(group=group.id, sender=user_id)
    return {"maxSeq": newest, "hasReadSeq": max((m.seq for m in own), default=0),
            "maxSeqTime": last[0].time_ms if last else 0}


async def get_conversations_has_read_and_max_seq(ctx: Ctx) -> dict[str, Any]:
    """Self or an admin (1002); ``seqs`` by conversation id (``{}`` when none);
    ``pinnedConversationIDs`` null (no conversation is pinned here)."""
    req = ctx.body
    user_id = req["userID"]
    ctx.call.user = user_id
    check_access(ctx, user_id)
    ids = req["conversationIDs"] or await _user_conversations(ctx, user_id)
    seqs = {cid: await _seqs(ctx, user_id, cid) for cid in dict.fromkeys(ids)}
    return {"seqs": dict(sorted(seqs.items())), "pinnedConversationIDs": None}
