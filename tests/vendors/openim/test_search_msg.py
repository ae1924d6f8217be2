"""OpenIM's /msg/search_msg over the shared message log: the filters (recvID as receiver or
group, sendID, contentType, sessionType, sendTime as a UTC date), the document scan and its
paging, and the ChatLog each match reads as (open-im-server internal/rpc/msg/sync_msg.go
SearchMessage, pkg/common/storage/database/mgo/msg.go searchMessage, protocol msg/msg.proto)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from tests.vendors.openim.helpers import ADMIN
from tests.vendors.openim.test_members import make_group
from tests.vendors.openim.test_msg import send, text

pytestmark = pytest.mark.anyio

SEARCH = "/msg/search_msg"
PAGE = {"pageNumber": 1, "showNumber": 100}
CHAT_LOG_KEYS = ["serverMsgID", "clientMsgID", "sendID", "recvID", "groupID", "recvNickname",
                 "senderPlatformID", "senderNickname", "senderFaceURL", "groupName",
                 "sessionType", "msgFrom", "contentType", "content", "status", "sendTime",
                 "createTime", "ex", "groupFaceURL", "groupMemberCount", "seq", "groupOwner",
                 "groupType"]


async def search(openim, token: str | None = None, **body: Any) -> Any:
    answer = await openim.call(SEARCH, {"pagination": PAGE, **body},
                               token or await openim.admin_token())
    return answer


def words(answer: Any) -> list[str]:
    return [json.loads(log["chatLog"]["content"]).get("content", "")
            for log in answer["data"]["chatLogs"] or []]


async def chat(openim, *messages: tuple[str, str, str]) -> None:
    for group, sender, said in messages:
        status, answer = await send(openim, text(group, sender, said))
        assert (status, answer["errCode"]) == (200, 0), answer


async def test_search_by_group_sender_and_type(openim) -> None:
    await make_group(openim, "g-m", faceURL="http://face/g")
    await make_group(openim, "g-two", members=("erin",))
    await chat(openim, ("g-m", "carol", "one"), ("g-two", "alice", "two"),
               ("g-m", "alice", "three"))
    found = await search(openim, recvID="g-m", contentType=101)
    assert found["errCode"] == 0, found
    assert words(found) == ["one", "three"]
    assert found["data"]["chatLogsNum"] == 2
    by_alice = await search(openim, sendID="alice", sessionType=3, contentType=101)
    # Documents in the order they were created (g-m's first), each in seq order.
    assert words(by_alice) == ["three", "two"]
    # Every stored message matches no filter at all: the two creation notices too.
    everything = await search(openim)
    assert everything["data"]["chatLogsNum"] == 5
    assert [log["chatLog"]["contentType"] for log in everything["data"]["chatLogs"]] == [
        1501, 101, 101, 1501, 101]
    # Only group messages are stored, so a single-chat search finds nothing.
    assert (await search(openim, sessionType=1))["data"] == {"chatLogs": None, "chatLogsNum": 0}


async def test_a_chat_log_reads_the_group_and_the_sender(openim) -> None:
    await make_group(openim, "g-m", faceURL="http://face/g", groupName="Hikers")
    await chat(openim, ("g-m", "carol", "hello"))
    [log] = (await search(openim, contentType=101))["data"]["chatLogs"]
    assert list(log) == ["chatLog", "isRevoked"] and log["isRevoked"] is False
    entry = log["chatLog"]
    assert list(entry) == CHAT_LOG_KEYS
    [stored] = [m for m in openim.emulator.messages(group="g-m") if m["kind"] == "message"]
    assert entry["serverMsgID"] == stored["body"]["serverMsgID"]
    assert (entry["sendID"], entry["groupID"], entry["recvID"]) == ("carol", "g-m", "g-m")
    assert entry["content"] == '{"content":"hello"}'
    assert (entry["sessionType"], entry["contentType"], entry["msgFrom"], entry["status"]) == (
        3, 101, 200, 2)
    assert entry["seq"] == stored["seq"] == 2
    assert entry["sendTime"] == stored["time"]
    # The group's face replaces the sender's; groupFaceURL is never filled.
    assert (entry["senderFaceURL"], entry["groupFaceURL"]) == ("http://face/g", "")
    assert (entry["groupName"], entry["groupOwner"], entry["groupType"],
            entry["groupMemberCount"]) == ("Hikers", "alice", 2, 4)
    seeded = openim.emulator.services.store
    carol = await seeded.get_user("carol")
    assert entry["senderNickname"] == carol.name  # filled from the user when sent empty
    assert entry["recvNickname"] == ""


async def test_a_given_sender_nickname_is_kept(openim) -> None:
    await make_group(openim)
    status, _ = await send(openim, text(sender="carol", senderNickname="Caz"))
    assert status == 200
    [log] = (await search(openim, contentType=101))["data"]["chatLogs"]
    assert log["chatLog"]["senderNickname"] == "Caz"


async def test_search_by_send_date(openim) -> None:
    await make_group(openim)
    clock = openim.emulator.services.clock
    await chat(openim, ("g-m", ADMIN, "today"))
    today = datetime.datetime.fromtimestamp(clock.now(), datetime.timezone.utc).date()
    clock.advance(86400)
    await chat(openim, ("g-m", ADMIN, "tomorrow"))
    found = await search(openim, sendTime=today.isoformat(), contentType=101)
    assert words(found) == ["today"]
    later = today + datetime.timedelta(days=1)
    assert words(await search(openim, sendTime=later.isoformat(), contentType=101)) == [
        "tomorrow"]


@pytest.mark.parametrize(("value", "cause"), [
    ("2026/01/01", 'parsing time "2026/01/01" as "2006-01-02": cannot parse "/01/01" as "-"'),
    ("2026-1-01", 'parsing time "2026-1-01" as "2006-01-02": cannot parse "1-01" as "01"'),
    ("26-01-01", 'parsing time "26-01-01" as "2006-01-02": cannot parse "26-01-01" as "2006"'),
    ("2026-13-01", 'parsing time "2026-13-01": month out of range'),
    ("2025-02-29", 'parsing time "2025-02-29": day out of range'),
    ("2026-01-01T", 'parsing time "2026-01-01T": extra text: "T"'),
])
async def test_a_bad_send_time(openim, value: str, cause: str) -> None:
    answer = await search(openim, sendTime=value)
    assert answer == {"errCode": 1001, "errMsg": "ArgsError", "errDlt": (
        f"invalid sendTime, req={value}, format=2006-01-02, cause={cause}")}


async def test_search_pages(openim) -> None:
    await make_group(openim)
    await chat(openim, *[("g-m", ADMIN, f"m{i}") for i in range(7)])

    async def page(number: int, show: int) -> Any:
        return await search(openim, contentType=101,
                            pagination={"pageNumber": number, "showNumber": show})

    walked = []
    for number in (1, 2, 3):
        answer = await page(number, 3)
        assert answer["data"]["chatLogsNum"] == 7
        walked += words(answer)
    assert walked == [f"m{i}" for i in range(7)]
    assert (await page(4, 3))["data"] == {"chatLogs": None, "chatLogsNum": 7}
    # pageNumber 0 skips a negative count: the first page.
    assert words(await page(0, 2)) == ["m0", "m1"]
    # showNumber 0, or no pagination at all: nothing listed, the matches still counted.
    assert (await page(1, 0))["data"] == {"chatLogs": None, "chatLogsNum": 7}
    none = await openim.call(SEARCH, {"contentType": 101}, await openim.admin_token())
    assert none["data"] == {"chatLogs": None, "chatLogsNum": 7}


async def test_a_negative_show_number_is_the_servers_panic(openim) -> None:
    answer = await search(openim, pagination={"pageNumber": 1, "showNumber": -1})
    assert answer == {"errCode": 500, "errMsg": "ServerInternalError",
                      "errDlt": "runtime error: makeslice: cap out of range"}


async def test_seqs_past_a_hundred_are_another_document(openim) -> None:
    await make_group(openim, "g-a", members=("carol",))
    await make_group(openim, "g-b", members=("carol",))
    # g-a's first document (seqs 1-100) fills up, then g-b gets its first, then g-a its second.
    await chat(openim, *[("g-a", ADMIN, f"a{i}") for i in range(2, 101)])
    await chat(openim, ("g-b", ADMIN, "b"), ("g-a", ADMIN, "a101"))
    found = await search(openim, sendID=ADMIN, contentType=101,
                         pagination={"pageNumber": 1, "showNumber": 1000})
    said = words(found)
    assert said[-2:] == ["b", "a101"] and said[0] == "a2"


async def test_any_valid_token_may_search(openim) -> None:
    await make_group(openim, "g-two", members=("erin",))
    await chat(openim, ("g-two", "erin", "private"))
    outsider = await openim.user_token("frank")
    assert words(await search(openim, token=outsider, contentType=101)) == ["private"]


async def test_a_recalled_message_reads_revoked(openim) -> None:
    await make_group(openim)
    await chat(openim, ("g-m", "carol", "oops"))
    await openim.emulator.services.store.recall_message("g-m", 2)
    [log] = (await search(openim, contentType=101))["data"]["chatLogs"]
    assert log["isRevoked"] is True


async def test_a_document_matching_only_as_a_document_ends_the_scan_early(openim) -> None:
    # g-00: the admin's only message is the creation notice (1501) and carol's is the text,
    # so the document meets sendID and contentType with two different messages.
    await make_group(openim, "g-00")
    await chat(openim, ("g-00", "carol", "not the admin's"))
    for number in range(1, 51):
        await make_group(openim, f"g-{number:02}")
        await chat(openim, (f"g-{number:02}", ADMIN, f"t{number}"))
    found = await search(openim, sendID=ADMIN, contentType=101,
                         pagination={"pageNumber": 1, "showNumber": 100})
    # The first round's 50 documents bring back 49 with a match: fewer than 50 ends the scan,
    # so g-50's text is neither listed nor counted.
    assert found["data"]["chatLogsNum"] == 49
    assert words(found) == [f"t{number}" for number in range(1, 50)]
