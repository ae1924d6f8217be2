"""How every ZEGO answer looks and what the journal keeps: the envelope (HTTP 200, Code,
Message, a new RequestId each time), business parameters from the query string or the JSON
body, methods other than GET and POST, and the AppId-level rate limit of each Action."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio

QUERY = "QueryGroupsInfoOfUser"


async def test_get_takes_business_parameters_from_the_query(im_emulator, zego) -> None:
    response = await im_emulator.client.get(zego.url(QUERY) + "&FromUserId=alice&Limit=3&Next=")
    data = response.json()
    assert response.status_code == 200
    assert data["Code"] == 0 and len(data["GroupInfoList"]) == 3


async def test_limit_as_numeric_string_like_the_docs_sample(zego) -> None:
    data = await zego.query("alice", "2")
    assert data["Code"] == 0 and len(data["GroupInfoList"]) == 2
    assert data["NextRsp"] != "0"


async def test_request_ids_are_unique(zego) -> None:
    ids = {(await zego.query("alice"))["RequestId"] for _ in range(5)}
    ids.add((await zego.call("NoSuchAction"))["RequestId"])
    assert len(ids) == 6


async def test_other_methods_get_the_envelope(im_emulator, zego) -> None:
    response = await im_emulator.client.put(zego.url(QUERY), json={})
    body = response.json()
    assert response.status_code == 200
    assert (body["Code"], body["Message"]) == (2, "Input parameter error. method PUT is not "
                                                  "supported")


async def test_malformed_json_body(zego) -> None:
    data = await zego.call(QUERY, content=b'{"FromUserId": "alice", "Limit": ')
    assert (data["Code"], data["Message"]) == (660000002,
                                               "Parameter error. the body is not valid JSON")


async def test_journal_records_action_app_user_and_code(im_emulator, zego) -> None:
    await zego.query("alice", 1)
    await zego.query("nobody-here", 1)
    entries = (await im_emulator.client.get("/_emulator/journal")).json()["entries"]
    assert [(e["vendor"], e["endpoint"], e["app"], e["user"], e["code"]) for e in entries] == [
        ("zego", QUERY, "1234567890", "alice", 0),
        ("zego", QUERY, "1234567890", "nobody-here", 660500002)]


# ---- the AppId-level rate limit -----------------------------------------------------------

async def test_twenty_one_requests_in_one_second(im_emulator, zego) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.2)
    codes = [(await zego.query("bob", 1))["Code"] for _ in range(21)]
    assert codes == [0] * 20 + [660300005]
    limited = await zego.query("bob", 1)
    assert limited["Message"] == "Frequency limit: the AppID-level limit was exceeded."
    other_action = await zego.call("UserRegister", {"UserInfo": [{"UserId": "rl-user"}]})
    assert other_action["Code"] == 0
    im_emulator.clock.advance(0.8)
    assert (await zego.query("bob", 1))["Code"] == 0
