"""Property: every Tencent command (served or not), with valid or fuzzed credentials in the query
string, any method and any body gets HTTP 200 and Tencent's envelope (ActionStatus, ErrorInfo,
ErrorCode first), never a 500 or an internal error."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.strategies import (TENCENT_PATHS, Request, bodies, check_response, dumps, groups, headers,
                        mutated, new_ids, query_pairs, tencent_query, text, users)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

BASE_FIELDS = ["Type", "Name", "Introduction", "Notification", "FaceUrl", "CreateTime",
               "Owner_Account", "LastInfoTime", "LastMsgTime", "NextMsgSeq", "MemberNum",
               "MaxMemberNum", "ApplyJoinOption", "ShutUpAllMember", "MuteAllMember", "x"]
SELF_FIELDS = ["Role", "JoinTime", "MsgFlag", "UnreadMsgNum", "MsgSeq", "x"]
TYPES = ["Public", "Private", "Work", "ChatRoom", "Meeting", "AVChatRoom", "Community",
         "BChatRoom"]
member_list = st.lists(st.fixed_dictionaries({"Member_Account": users}, optional={
    "Role": st.sampled_from(["Admin", "Member"])}), max_size=3, unique_by=lambda m: m[
        "Member_Account"])
TEMPLATES: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "group_open_http_svc/get_joined_group_list": st.fixed_dictionaries(
        {"Member_Account": users}, optional={
            "Limit": st.integers(0, 20), "Offset": st.integers(0, 30),
            "GroupType": st.sampled_from(TYPES), "WithHugeGroups": st.integers(0, 1),
            "WithNoActiveGroups": st.integers(0, 1),
            "ResponseFilter": st.fixed_dictionaries({}, optional={
                "GroupBaseInfoFilter": st.lists(st.sampled_from(BASE_FIELDS), max_size=6),
                "SelfInfoFilter": st.lists(st.sampled_from(SELF_FIELDS), max_size=4)})}),
    "group_open_http_svc/create_group": st.fixed_dictionaries(
        {"Type": st.sampled_from(TYPES[:-1]), "Name": st.text(min_size=1, max_size=10)},
        optional={"Owner_Account": users, "GroupId": new_ids, "Introduction": text,
                  "MemberList": member_list, "ApplyJoinOption": st.sampled_from(
                      ["FreeAccess", "NeedPermission", "DisableApply"]),
                  "MaxMemberCount": st.integers(1, 6000)}),
    "group_open_http_svc/add_group_member": st.fixed_dictionaries(
        {"GroupId": groups, "MemberList": member_list},
        optional={"Silence": st.integers(0, 1)}),
    "group_open_http_svc/destroy_group": st.fixed_dictionaries({"GroupId": groups | new_ids}),
    "im_open_login_svc/account_import": st.fixed_dictionaries(
        {"UserID": users | new_ids}, optional={"Nick": text, "FaceUrl": text,
                                               "Identifier": users}),
}
paths = st.sampled_from(TENCENT_PATHS * 3 + ["/v4/group_open_http_svc/get_group_info",
                                             "/v4/", "/v4/group_open_http_svc/"])


def test_every_command_has_a_template() -> None:
    assert {f"/v4/{command}" for command in TEMPLATES} == set(TENCENT_PATHS)


def with_body(path: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """The path and a body: its template mutated a little, or anything."""
    template = TEMPLATES.get(path[len("/v4/"):],
                             TEMPLATES["group_open_http_svc/get_joined_group_list"])
    return st.tuples(st.just(path), st.one_of(*[mutated(template).map(dumps)] * 3, bodies))


@given(call=paths.flatmap(with_body), signed=st.sampled_from([True, True, True, False]),
       extra=st.just([]) | query_pairs, sent=headers,
       method=st.sampled_from(["POST", "POST", "POST", "POST", "GET", "PUT"]))
async def test_any_tencent_request_gets_the_envelope(im_emulator: Any, call: tuple[str, bytes],
                                                     signed: bool,
                                                     extra: list[tuple[str, str]],
                                                     sent: list[tuple[str, Any]],
                                                     method: str) -> None:
    path, body = call
    query = (tencent_query(im_emulator.clock) if signed else []) + extra
    request = Request(method, path, query, headers=sent, body=body)
    response = await request.send(im_emulator.client)
    data = check_response("tencent", request, response)
    assert data["ErrorCode"] != 10018 or len(response.content) > 1024, data
