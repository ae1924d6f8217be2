"""Recalling a group message, ``/message/recall.json`` (``conversationType`` 3): the message of
``targetId`` named by ``messageUID`` and sent by ``fromUserId`` is marked recalled in the shared
log, and leaves RongCloud's history; every well-formed call answers ``{"code":200}``, and one
that names no such message (another group's or sender's, an unknown UID, one already recalled)
changes nothing; no recall notice is logged; bad fields get 1002 / 1005 and change nothing."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.anyio

PUBLISH = "/message/group/publish.json"
RECALL = "/message/recall.json"
QUERY = "/v3/message/group/query.json"
OK = (200, {"code": 200})


async def send(im_emulator: Any, rongcloud: Any, text: str, sender: str = "bob",
               group: str = "g-hiking") -> tuple[int, str]:
    """Publish one message a second after the last; its time and UID."""
    im_emulator.clock.advance(1)
    content = quote(json.dumps({"content": text}))
    status, answer = await rongcloud.call(
        PUBLISH, f"fromUserId={sender}&toGroupId={group}&objectName=RC:TxtMsg&content={content}")
    assert status == 200
    return im_emulator.services.clock.now_ms(), answer["messageUIDs"][0]["messageUID"]


def recall_body(uid: str, sent: int | str = "", *, sender: str = "bob",
                group: str = "g-hiking", kind: str = "3", extra: str = "") -> str:
    body = f"fromUserId={sender}&conversationType={kind}&targetId={group}&messageUID={uid}"
    return body + (f"&sentTime={sent}" if sent != "" else "") + extra


def recalled(im_emulator: Any, group: str = "g-hiking") -> list[bool]:
    return [message["recalled"] for message in im_emulator.messages(group=group)]


async def history(rongcloud: Any, start: int, end: int) -> list[str]:
    body = {"userId": "alice", "targetId": "g-hiking", "startTime": str(start),
            "endTime": str(end), "includeStart": "true"}
    response = await rongcloud.emulator.client.post(
        QUERY, content=json.dumps(body), auth=rongcloud.auth,
        headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    return [item["messageUID"] for item in response.json()["data"]]


async def test_the_sender_recalls_and_history_leaves_it_out(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    first, first_uid = await send(im_emulator, rongcloud, "keep")
    sent, uid = await send(im_emulator, rongcloud, "oops")
    extra = "&isAdmin=1&isDelete=0&extra=why&disablePush=true&disableUpdateLastMsg=false"
    assert await rongcloud.call(RECALL, recall_body(uid, sent, extra=extra)) == OK
    assert recalled(im_emulator) == [False, True]
    assert await history(rongcloud, first, sent) == [first_uid]
    assert len(im_emulator.messages()) == 2          # no RC:RcCmd notice is logged


async def test_sent_time_is_optional_and_there_is_no_time_window(im_emulator,
                                                                 rongcloud) -> None:
    im_emulator.clock.freeze()
    _, uid = await send(im_emulator, rongcloud, "old")
    im_emulator.clock.advance(400 * 24 * 3600)
    assert await rongcloud.call(RECALL, recall_body(uid)) == OK       # the Java SDK may omit it
    assert recalled(im_emulator) == [True]


async def test_what_names_no_message_of_the_sender_changes_nothing(im_emulator,
                                                                   rongcloud) -> None:
    im_emulator.clock.freeze()
    sent, uid = await send(im_emulator, rongcloud, "bob's")
    other_sent, other_uid = await send(im_emulator, rongcloud, "standup", group="g-standup")
    for body in (recall_body(uid, sent, sender="alice"),          # another sender
                 recall_body(uid, sent, group="g-standup"),       # another group's message
                 recall_body(other_uid, other_sent),              # from hiking: not in it
                 recall_body("AAAA-BBBB-CCCC-DDDD", sent),        # an unknown UID
                 recall_body(uid, sent, group="no-such-group"),
                 recall_body(uid, sent, kind="1"), recall_body(uid, sent, kind="4"),
                 recall_body(uid, sent, kind="6"), recall_body(uid, sent, kind="10")):
        assert await rongcloud.call(RECALL, body) == OK, body
    assert recalled(im_emulator) == [False]
    assert recalled(im_emulator, "g-standup") == [False]


async def test_a_second_recall_answers_200_and_changes_nothing(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    sent, uid = await send(im_emulator, rongcloud, "twice")
    assert await rongcloud.call(RECALL, recall_body(uid, sent)) == OK
    before = im_emulator.messages()
    assert await rongcloud.call(RECALL, recall_body(uid, sent)) == OK
    assert im_emulator.messages() == before


async def test_another_vendors_message_is_recalled_by_its_history_uid(im_emulator,
                                                                      rongcloud) -> None:
    im_emulator.clock.freeze()
    now = im_emulator.services.clock.now_ms()
    await im_emulator.services.store.append_message(
        "g-hiking", sender="carol", vendor="elsewhere", type="text", body={"text": "hi"},
        now_ms=now)
    [uid] = await history(rongcloud, now, now)
    assert await rongcloud.call(RECALL, recall_body(uid, now, sender="carol")) == OK
    assert recalled(im_emulator) == [True]
    assert await history(rongcloud, now, now) == []


@pytest.mark.parametrize("missing", ["fromUserId", "conversationType", "targetId",
                                     "messageUID"])
async def test_required_fields(im_emulator, rongcloud, missing: str) -> None:
    im_emulator.clock.freeze()
    sent, uid = await send(im_emulator, rongcloud, "kept")
    fields = dict(part.split("=", 1) for part in recall_body(uid, sent).split("&"))
    fields[missing] = ""
    body = "&".join(f"{key}={value}" for key, value in fields.items())
    assert await rongcloud.call(RECALL, body) == rongcloud.required(missing)
    assert recalled(im_emulator) == [False]


@pytest.mark.parametrize("extra, field", [
    ("&conversationType=2", "conversationType"), ("&conversationType=x", "conversationType"),
    ("&sentTime=soon", "sentTime"), ("&isAdmin=2", "isAdmin"), ("&isDelete=yes", "isDelete"),
    ("&disablePush=maybe", "disablePush")])
async def test_invalid_fields_get_1002(im_emulator, rongcloud, extra: str, field: str) -> None:
    im_emulator.clock.freeze()
    _, uid = await send(im_emulator, rongcloud, "kept")
    body = f"fromUserId=bob&targetId=g-hiking&messageUID={uid}"
    body += extra if "conversationType" in extra else "&conversationType=3" + extra
    status, answer = await rongcloud.call(RECALL, body)
    assert status == 400 and answer["code"] == 1002 and field in answer["errorMessage"]
    assert recalled(im_emulator) == [False]


async def test_an_id_past_64_characters_gets_1005(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(RECALL, recall_body("X", sender="u" * 65))
    assert (status, answer) == (400, {
        "code": 1005, "errorMessage": "Length of paramer 'fromUserId' must be at most 64."})
