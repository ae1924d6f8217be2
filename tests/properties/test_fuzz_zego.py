"""Property: every ZEGO Action (served or not), signed or not, with a valid body mutated a
little or any body at all, any extra query parameters and any method gets HTTP 200 and the ZEGO
envelope (Code, Message, RequestId first), never a 500 or a traceback."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.strategies import (ZEGO_ACTION_NAMES, Request, bodies, check_response, dumps, groups,
                        headers, ids, mutated, new_ids, query_pairs, raw_query_tails, text,
                        users, zego_query)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

members = st.lists(users | ids, max_size=4)
TEMPLATES: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "QueryGroupsInfoOfUser": st.fixed_dictionaries({
        "FromUserId": users, "Limit": st.integers(1, 100) | st.sampled_from(["2", "100"]),
        "Next": st.sampled_from(["", "0"])}),
    "UserRegister": st.fixed_dictionaries({"UserInfo": st.lists(st.fixed_dictionaries(
        {"UserId": new_ids | users}, optional={"UserName": text, "UserAvatar": text}),
        min_size=1, max_size=3)}),
    "CreateGroup": st.fixed_dictionaries({"GroupOwner": users, "UserIds": members}, optional={
        "GroupId": new_ids, "GroupName": text, "GroupNotice": text, "GroupAvatar": text}),
    "InviteUsersIntoGroup": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups},
                                                  optional={
        "UserIds": members, "GroupMemberInfos": st.lists(st.fixed_dictionaries(
            {"UserId": users}, optional={"EnterGroupTime": st.integers(-5, 2**64)}),
            max_size=3)}),
    "KickoutGroupUser": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups,
                                               "UserId": members},
                                              optional={"CustomReason": text}),
    "DismissGroup": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups}),
    "QueryGroupMemberList": st.fixed_dictionaries({"GroupId": groups}, optional={
        "Limit": st.integers(-1, 2000) | st.sampled_from(["", "2"]),
        "Next": st.integers(-1, 2**40) | st.sampled_from(["", "0", "1"])}),
    "QueryGroupInfo": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups}),
    "UpdateGroupData": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups}, optional={
        "GroupName": text, "GroupNotice": text, "GroupAvatar": text}),
    "TransferGroupOwner": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups,
                                                 "NewOwner": users}),
    "SetGroupMemberRole": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups,
                                                 "ToUserId": users,
                                                 "Role": st.integers(-1, 300)}),
    "QueryAppGroupList": st.fixed_dictionaries({}, optional={
        "Limit": st.integers(-1, 20000) | st.sampled_from(["", "2"]),
        "Next": st.integers(-1, 2**40) | st.sampled_from(["", "0", "1"])}),
    "MuteGroup": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups}, optional={
        "IsAllMuted": st.booleans() | st.sampled_from(["true", "false", "x"]),
        "MuteRoleList": st.lists(st.integers(-1, 300) | st.sampled_from(["2", "x"]),
                                 max_size=22),
        "Duration": st.integers(-3, 2592001) | st.sampled_from(["", "-1", "60"])}),
    "MuteGroupMembers": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups,
                                               "UserIds": members}, optional={
        "Duration": st.integers(-3, 2592001) | st.sampled_from(["", "-1", "60"])}),
    "FetchForbidGroupList": st.fixed_dictionaries({"FromUserId": users, "StartFlag":
                                                   st.integers(-1, 2**64)}),
    "SendGroupMessage": st.fixed_dictionaries({
        "FromUserId": users, "GroupId": groups, "MessageType": st.sampled_from([1, 2, 10, 200, 20]),
        "Priority": st.integers(0, 4), "MessageBody": st.fixed_dictionaries(
            {"Message": text}, optional={"ExtendedData": text, "IsBase64": st.integers(0, 1),
                                         "OfflinePush": st.just({"Enable": 0})})}, optional={
        "SubMsgType": st.integers(-1, 201), "SearchedContent": text,
        "SendMsgOptions": st.fixed_dictionaries({}, optional={
            "NoUnread": st.booleans(), "TargetOption": st.fixed_dictionaries({}, optional={
                "Inclusive": st.booleans(), "ReceiverUserIds": members})})}),
    "SetGroupMembersNickname": st.fixed_dictionaries({
        "FromUserId": users, "GroupId": groups, "UserIds": st.lists(st.fixed_dictionaries(
            {"UserId": users | ids}, optional={"Nickname": text}), max_size=22)}),
    "ModifyGroupAttribute": st.fixed_dictionaries({
        "FromUserId": users, "GroupId": groups, "Attributes": st.lists(st.fixed_dictionaries(
            {"Key": text}, optional={"Value": text}), max_size=12)}, optional={
        "Action": st.integers(-1, 2)}),
    "ModifyGroupLimit": st.fixed_dictionaries({"FromUserId": users, "GroupId": groups},
                                              optional={
        "JoinMode": st.integers(-1, 3) | st.just(""), "InviteMode": st.integers(-1, 2),
        "BeInvitedMode": st.integers(-1, 2) | st.just(""),
        "MemberCountLimit": st.integers(-1, 2**40) | st.just("")}),
    "QueryGroupMsg": st.fixed_dictionaries({"GroupId": groups}, optional={
        "Limit": st.integers(-1, 200) | st.sampled_from(["", "2"]),
        "Next": st.integers(-1, 2**63) | st.sampled_from(["", "0", "1"]),
        "WithEmptyMsg": st.integers(-1, 2)}),
}


def test_every_action_has_a_template() -> None:
    assert set(TEMPLATES) == set(ZEGO_ACTION_NAMES)


def with_body(action: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """The action and a body: its template mutated a little, or anything."""
    template = TEMPLATES.get(action, TEMPLATES["QueryGroupsInfoOfUser"])
    return st.tuples(st.just(action), st.one_of(*[mutated(template).map(dumps)] * 3, bodies))


@given(call=st.sampled_from(ZEGO_ACTION_NAMES * 3 + ["", "queryGroupsInfoOfUser", "Query"]).flatmap(
           with_body),
       signed=st.sampled_from([True, True, True, False]), extra=st.just([]) | query_pairs,
       raw_query=raw_query_tails, sent=headers,
       method=st.sampled_from(["POST", "POST", "POST", "POST", "GET", "PUT", "DELETE"]))
async def test_any_zego_request_gets_the_envelope(im_emulator: Any, call: tuple[str, bytes],
                                                  signed: bool,
                                                  extra: list[tuple[str, str]], raw_query: str,
                                                  sent: list[tuple[str, Any]],
                                                  method: str) -> None:
    action, body = call
    query = [("Action", action)] + (zego_query(im_emulator.clock.now()) if signed else [])
    request = Request(method, "/", query + extra, raw_query, sent, body)
    response = await request.send(im_emulator.client)
    check_response("zego", request, response)
