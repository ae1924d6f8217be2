"""Group messages: ``/message/group/publish.json`` (fields kept as sent, up to 3 groups, targeted
messages, 20 messages a second where a call to 3 groups counts 3, mutes do not stop the Server
API) and the notify message ``bindNotifyMsg`` binds to create/join/quit/dismiss/refresh."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.anyio

PUBLISH = "/message/group/publish.json"
UID = re.compile(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")
CONTENT = '{"content":"hello 中文 & +1","extra":""}'


def publish_body(*groups: str, sender: str = "alice", extra: str = "") -> str:
    targets = "".join(f"&toGroupId={group}" for group in groups)
    return (f"fromUserId={sender}{targets}&objectName=RC:TxtMsg&content={quote(CONTENT)}"
            f"{extra}")


async def test_publish_logs_the_message_as_sent(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(PUBLISH, publish_body(
        "g-hiking", extra="&pushContent=hi&isPersisted=1&isIncludeSender=0"))
    assert status == 200 and list(answer) == ["code", "messageUIDs"]
    [entry] = answer["messageUIDs"]
    assert entry["groupId"] == "g-hiking" and UID.fullmatch(entry["messageUID"])
    [message] = im_emulator.messages(group="g-hiking", vendor="rongcloud")
    assert message["sender"] == "alice" and message["type"] == "RC:TxtMsg"
    assert message["body"] == {"fromUserId": "alice", "toGroupId": ["g-hiking"],
                               "objectName": "RC:TxtMsg", "content": CONTENT,
                               "pushContent": "hi", "isPersisted": "1", "isIncludeSender": "0"}


async def test_publish_to_three_groups_and_no_more(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(PUBLISH, publish_body("g-hiking", "g-book-club",
                                                                "g-standup"))
    assert status == 200
    assert [entry["groupId"] for entry in answer["messageUIDs"]] == \
        ["g-hiking", "g-book-club", "g-standup"]
    assert len({entry["messageUID"] for entry in answer["messageUIDs"]}) == 3
    for group in ("g-hiking", "g-book-club", "g-standup"):
        [message] = im_emulator.messages(group=group)
        assert message["body"]["toGroupId"] == [group]
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking", "g-book-club", "g-standup",
                                                      "g-chinese")) == \
        (400, {"code": 1502, "errorMessage": "Paramer 'toGroupId' takes at most 3 values, got 4."})


async def test_sender_need_not_be_a_member_and_seqs_are_dense(im_emulator, rongcloud) -> None:
    for _ in range(3):
        assert (await rongcloud.call(PUBLISH, publish_body("g-hiking", sender="stranger")))[0] \
            == 200
    assert [m["seq"] for m in im_emulator.messages(group="g-hiking")] == [1, 2, 3]


async def test_unknown_group_answers_a_uid_and_keeps_no_log(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(PUBLISH, publish_body("nowhere"))
    assert status == 200 and UID.fullmatch(answer["messageUIDs"][0]["messageUID"])
    assert im_emulator.messages(group="nowhere") == []


async def test_targeted_message_takes_one_group(im_emulator, rongcloud) -> None:
    status, _ = await rongcloud.call(PUBLISH, publish_body("g-hiking",
                                                           extra="&toUserId=bob&toUserId=alice"))
    assert status == 200
    assert im_emulator.messages(group="g-hiking")[0]["body"]["toUserId"] == ["bob", "alice"]
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking", "g-standup",
                                                      extra="&toUserId=bob")) == \
        (400, {"code": 1002, "errorMessage":
               "Paramer 'toGroupId' takes one group for a targeted message (toUserId)."})
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking",
                                                      extra="&toUserId=bob&disablePush=true")) \
        == (400, {"code": 1002,
                  "errorMessage": "Paramer 'disablePush' is not supported with toUserId."})


@pytest.mark.parametrize("missing", ["fromUserId", "toGroupId", "objectName", "content"])
async def test_publish_required_fields(rongcloud, missing: str) -> None:
    fields = {"fromUserId": "alice", "toGroupId": "g-hiking", "objectName": "RC:TxtMsg",
              "content": "{}"}
    del fields[missing]
    body = "&".join(f"{key}={value}" for key, value in fields.items())
    assert await rongcloud.call(PUBLISH, body) == rongcloud.required(missing)


async def test_publish_limits_and_switches(rongcloud) -> None:
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking").replace(
        "RC:TxtMsg", "X" * 33)) == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'objectName' must be at most 32."})
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking", sender="u" * 65)) == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'fromUserId' must be at most 64."})
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking", extra="&isPersisted=2")) == \
        (400, {"code": 1002,
               "errorMessage": "Paramer 'isPersisted' is invalid: must be 0, 1, true or false"})
    # The official Python SDK writes booleans the Python way.
    assert (await rongcloud.call(PUBLISH, publish_body(
        "g-hiking", extra="&expansion=True&disablePush=False")))[0] == 200


async def test_rate_limit_counts_messages_not_calls(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    for _ in range(6):
        assert (await rongcloud.call(PUBLISH, publish_body("g-hiking", "g-book-club",
                                                           "g-standup")))[0] == 200
    assert (await rongcloud.call(PUBLISH, publish_body("g-hiking")))[0] == 200   # the 19th
    assert (await rongcloud.call(PUBLISH, publish_body("g-hiking", "g-standup")))[0] == 429
    assert await rongcloud.call(PUBLISH, publish_body("g-hiking")) == \
        (429, {"code": 1008, "errorMessage": "Too many requests: the limit is 20 per second."})
    im_emulator.clock.advance(1)
    assert (await rongcloud.call(PUBLISH, publish_body("g-hiking")))[0] == 200


async def test_muted_senders_still_publish(im_emulator, rongcloud) -> None:
    """RongCloud: messages sent through the Server API rank above mutes."""
    assert await rongcloud.call("/group/user/gag/add.json",
                                "userId=alice&groupId=g-hiking&minute=10") == (200, {"code": 200})
    assert await rongcloud.call("/group/ban/add.json", "groupId=g-hiking") == \
        (200, {"code": 200})
    assert (await rongcloud.call(PUBLISH, publish_body("g-hiking")))[0] == 200
    assert len(im_emulator.messages(group="g-hiking")) == 1


NOTIFY = "&bindNotifyMsg=true&fromUserId=alice&objectName=RC:GrpNtf&content=" + quote(
    '{"operation":"Create"}')


async def test_create_with_a_bound_notify_message(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(
        "/group/create.json", "userId=n1&userId=n2&groupId=rc-notify&groupName=N" + NOTIFY)
    assert status == 200 and list(answer) == ["code", "messageUID", "memberCount"]
    assert answer["memberCount"] == 2 and UID.fullmatch(answer["messageUID"])
    [message] = im_emulator.messages(group="rc-notify")
    assert message["type"] == "RC:GrpNtf" and message["sender"] == "alice"
    assert message["body"] == {"fromUserId": "alice", "objectName": "RC:GrpNtf",
                               "content": '{"operation":"Create"}'}


async def test_join_quit_refresh_dismiss_with_notify_messages(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call("/group/join.json",
                                          "userId=zoe&groupId=g-hiking" + NOTIFY)
    assert status == 200 and answer["memberCount"] == len(await rongcloud.members_of("g-hiking"))
    status, answer = await rongcloud.call("/group/quit.json",
                                          "userId=zoe&groupId=g-hiking" + NOTIFY)
    assert status == 200 and answer["memberCount"] == len(await rongcloud.members_of("g-hiking"))
    assert (await rongcloud.call("/group/refresh.json",
                                 "groupId=g-hiking&groupName=Hike" + NOTIFY))[0] == 200
    status, answer = await rongcloud.call("/group/dismiss.json",
                                          "userId=alice&groupId=g-hiking" + NOTIFY)
    assert status == 200 and answer["memberCount"] == 0
    assert [m["seq"] for m in im_emulator.messages(group="g-hiking")] == [1, 2, 3, 4]


async def test_without_bind_nothing_is_logged(im_emulator, rongcloud) -> None:
    assert await rongcloud.call("/group/join.json",
                                "userId=zoe&groupId=g-hiking&bindNotifyMsg=false"
                                "&objectName=RC:GrpNtf") == (200, {"code": 200})
    assert im_emulator.messages(group="g-hiking") == []


@pytest.mark.parametrize("missing", ["fromUserId", "objectName", "content"])
async def test_bound_notify_needs_its_fields(im_emulator, rongcloud, missing: str) -> None:
    body = re.sub(rf"&{missing}=[^&]*", "", "userId=zoe&groupId=g-hiking" + NOTIFY)
    assert await rongcloud.call("/group/join.json", body) == rongcloud.required(missing)
    assert "zoe" not in await rongcloud.members_of("g-hiking")


STATUS = "/statusmessage/group/publish.json"


async def test_status_messages_are_answered_and_never_logged(im_emulator, rongcloud) -> None:
    """Online only: RongCloud neither counts nor stores them."""
    assert await rongcloud.call(STATUS, publish_body(
        "g-hiking", "g-standup", extra="&verifyBlacklist=1&isIncludeSender=0")) == (
        200, {"code": 200})
    assert im_emulator.messages() == []
    assert await rongcloud.call(STATUS, publish_body("g-hiking", "g-book-club", "g-standup",
                                                     "g-chinese")) == \
        (400, {"code": 1502, "errorMessage": "Paramer 'toGroupId' takes at most 3 values, got 4."})
    assert await rongcloud.call(STATUS, "fromUserId=alice&toGroupId=g-hiking&objectName=x") == \
        rongcloud.required("content")
    assert await rongcloud.call(STATUS, publish_body("g-hiking", extra="&verifyBlacklist=2")) == \
        (400, {"code": 1002,
               "errorMessage": "Paramer 'verifyBlacklist' is invalid: must be 0, 1, true or false"})


async def test_status_messages_count_against_20_a_second(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    for _ in range(6):
        assert (await rongcloud.call(STATUS, publish_body("g-hiking", "g-book-club",
                                                          "g-standup")))[0] == 200
    assert (await rongcloud.call(STATUS, publish_body("g-hiking", "g-standup")))[0] == 200
    assert await rongcloud.call(STATUS, publish_body("g-hiking")) == \
        (429, {"code": 1008, "errorMessage": "Too many requests: the limit is 20 per second."})
