"""The envelope's ``RequestId`` (the ``tencent_request_id`` setting): off by default, as the
Chat group pages' samples show; on, every answer carries one after ``ErrorCode``, success or
failure, in the ``Id-<32 hex>-O-Seq-<n>`` shape of the REST pages that show it."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.vendors.tencent.helpers import OK, TencentClient, fail

pytestmark = pytest.mark.anyio

REQUEST_ID = re.compile(r"Id-[0-9a-f]{32}-O-Seq-(\d+)")
ON = pytest.mark.im_emulator_settings(tencent_request_id=True)


async def test_off_by_default(tencent: TencentClient) -> None:
    assert await tencent.post("group_open_http_svc/delete_group_member", {
        "GroupId": "g-hiking", "MemberToDel_Account": ["nobody"]}) == OK
    assert "RequestId" not in await tencent.post("group_open_http_svc/get_group_info", {})


@ON
async def test_every_answer_carries_a_new_one(tencent: TencentClient) -> None:
    answers = [
        await tencent.post("group_open_http_svc/delete_group_member",
                           {"GroupId": "g-hiking", "MemberToDel_Account": ["nobody"]}),
        await tencent.post("group_open_http_svc/get_appid_group_list", {"Limit": 1}),
        await tencent.post("group_open_http_svc/get_group_info", {}),
        await tencent.post("group_open_http_svc/no_such_command", {}),
        await tencent.post("group_open_http_svc/get_group_member_info", b"not json"),
    ]
    ids = [answer.pop("RequestId") for answer in answers]
    seqs = [int(REQUEST_ID.fullmatch(request_id).group(1))  # type: ignore[union-attr]
            for request_id in ids]
    assert len(set(ids)) == len(ids) and seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert answers[0] == OK
    assert answers[1]["GroupIdList"] and answers[1]["Next"] != 0
    assert answers[2] == fail(10004, "invalid parameter: GroupIdList is required")
    assert (answers[3]["ErrorCode"], answers[4]["ErrorCode"]) == (60009, 60003)


@ON
async def test_it_follows_error_code_in_the_envelope(im_emulator: Any,
                                                     tencent: TencentClient) -> None:
    for body in ({"GroupId": "g-hiking", "MemberToDel_Account": ["nobody"]}, {}):
        response = await im_emulator.client.post(
            "/v4/group_open_http_svc/delete_group_member", params=tencent.query(), json=body)
        assert list(response.json())[:4] == ["ActionStatus", "ErrorInfo", "ErrorCode",
                                              "RequestId"]


@ON
async def test_a_refused_usersig_gets_one_too(im_emulator: Any, tencent: TencentClient) -> None:
    response = await im_emulator.client.post("/v4/group_open_http_svc/get_group_info",
                                             params=tencent.query(usersig="garbage"), json={})
    answer = response.json()
    assert REQUEST_ID.fullmatch(answer.pop("RequestId"))
    assert answer["ActionStatus"] == "FAIL" and answer["ErrorCode"] == 70003
