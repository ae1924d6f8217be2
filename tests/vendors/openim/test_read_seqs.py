"""OpenIM's /msg/get_conversations_has_read_and_max_seq for group conversations sg_<groupID>:
maxSeq and maxSeqTime from the log, hasReadSeq the seq of the user's own newest message (what
msgtransfer writes for a sender), pinnedConversationIDs null (open-im-server
internal/rpc/msg/as_read.go, pkg/common/storage/controller/msg_transfer.go, protocol
msg/msg.proto and msg/msg.go Check())."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.openim.helpers import ADMIN
from tests.vendors.openim.test_members import make_group
from tests.vendors.openim.test_msg import send, text

pytestmark = pytest.mark.anyio

SEQS = "/msg/get_conversations_has_read_and_max_seq"


async def seqs(openim, body: dict[str, Any], token: str | None = None) -> Any:
    return await openim.call(SEQS, body, token or await openim.admin_token())


async def say(openim, group: str, sender: str) -> int:
    status, answer = await send(openim, text(group, sender))
    assert (status, answer["errCode"]) == (200, 0), answer
    return int(answer["data"]["sendTime"])


async def register(openim, user: str) -> None:
    answer = await openim.call("/user/user_register", {"users": [
        {"userID": user, "nickname": user}]}, await openim.admin_token())
    assert answer["errCode"] == 0, answer


async def test_a_users_group_conversations(openim) -> None:
    await register(openim, "rita")
    await make_group(openim, members=("rita",))  # seq 1: the creation notice, by the admin
    await make_group(openim, "g-calm", members=("rita",))
    openim.emulator.services.clock.advance(3)
    await say(openim, "g-m", "rita")
    last = await say(openim, "g-m", ADMIN)
    answer = await seqs(openim, {"userID": "rita"})
    assert answer == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {
        "seqs": {
            "sg_g-m": {"maxSeq": 3, "hasReadSeq": 2, "maxSeqTime": last},
            "sg_g-calm": {"maxSeq": 1, "hasReadSeq": 0,
                           "maxSeqTime": openim.emulator.messages(group="g-calm")[0]["time"]}},
        "pinnedConversationIDs": None}}
    newest = await openim.call("/msg/newest_seq", {"userID": "rita"},
                               await openim.admin_token())
    assert newest["data"]["maxSeqs"] == {"sg_g-m": 3, "sg_g-calm": 1}


async def test_given_conversation_ids(openim) -> None:
    await make_group(openim)
    await make_group(openim, "g-other", members=("erin",))
    await say(openim, "g-other", "erin")
    answer = await seqs(openim, {"userID": "carol", "returnPinned": True, "conversationIDs": [
        "sg_g-other", "si_carol_dave", "sg_nope", "sg_g-other"]})
    data = answer["data"]
    # Each id is answered, the user's or not (the server reads any conversation's seqs).
    assert list(data["seqs"]) == ["sg_g-other", "sg_nope", "si_carol_dave"]
    assert data["seqs"]["sg_g-other"]["maxSeq"] == 2
    assert data["seqs"]["sg_g-other"]["hasReadSeq"] == 0
    zero = {"maxSeq": 0, "hasReadSeq": 0, "maxSeqTime": 0}
    assert data["seqs"]["sg_nope"] == data["seqs"]["si_carol_dave"] == zero
    assert data["pinnedConversationIDs"] is None


async def test_nothing_to_answer(openim) -> None:
    answer = await seqs(openim, {"userID": "ghost"})
    assert answer["data"] == {"seqs": {}, "pinnedConversationIDs": None}


async def test_check_and_rights(openim) -> None:
    assert await seqs(openim, {}) == {"errCode": 1001, "errMsg": "ArgsError",
                                      "errDlt": "userID is empty"}
    await register(openim, "rita")
    await make_group(openim, members=("rita",))
    denied = await seqs(openim, {"userID": "rita"}, await openim.user_token("dave"))
    assert denied == {"errCode": 1002, "errMsg": "NoPermissionError",
                      "errDlt": "ownerUserID, rita=MISSING"}
    own = await seqs(openim, {"userID": "rita"}, await openim.user_token("rita"))
    assert list(own["data"]["seqs"]) == ["sg_g-m"]
