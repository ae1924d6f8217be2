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
MEMBER_FIELDS = ["Role", "JoinTime", "MsgSeq", "MsgFlag", "LastSendMsgTime", "ShutUpUntil",
                 "NameCard", "x"]
user_list = st.lists(users, max_size=3)
msg_body = st.lists(st.fixed_dictionaries({
    "MsgType": st.sampled_from(["TIMTextElem", "TIMCustomElem", "TIMBogus"]),
    "MsgContent": st.fixed_dictionaries({}, optional={"Text": text, "Data": text})}),
    max_size=2)
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
    "group_open_http_svc/delete_group_member": st.fixed_dictionaries(
        {"GroupId": groups, "MemberToDel_Account": user_list},
        optional={"Silence": st.integers(0, 1), "Reason": text}),
    "group_open_http_svc/get_group_info": st.fixed_dictionaries(
        {"GroupIdList": st.lists(groups | new_ids, max_size=4)}, optional={
            "ResponseFilter": st.fixed_dictionaries({}, optional={
                "GroupBaseInfoFilter": st.lists(st.sampled_from(BASE_FIELDS), max_size=6),
                "MemberInfoFilter": st.lists(st.sampled_from(MEMBER_FIELDS), max_size=4),
                "AppDefinedDataFilter_Group": st.lists(text, max_size=2),
                "AppDefinedDataFilter_GroupMember": st.lists(text, max_size=2)})}),
    "group_open_http_svc/get_appid_group_list": st.fixed_dictionaries({}, optional={
        "Limit": st.integers(0, 20), "Next": st.integers(0, 400),
        "GroupType": st.sampled_from(TYPES)}),
    "group_open_http_svc/modify_group_base_info": st.fixed_dictionaries(
        {"GroupId": groups}, optional={
            "Name": text, "Introduction": text, "Notification": text, "FaceUrl": text,
            "MaxMemberNum": st.integers(0, 3000), "ApplyJoinOption": st.sampled_from(
                ["FreeAccess", "NeedPermission", "DisableApply", "x"]),
            "AppDefinedData": st.lists(st.fixed_dictionaries({"Key": text, "Value": text}),
                                       max_size=2),
            "ShutUpAllMember": st.sampled_from(["On", "Off", "x"]),
            "MuteAllMember": st.sampled_from(["On", "Off"])}),
    "group_open_http_svc/change_group_owner": st.fixed_dictionaries(
        {"GroupId": groups, "NewOwner_Account": users}),
    "group_open_http_svc/get_group_member_info": st.fixed_dictionaries(
        {"GroupId": groups}, optional={
            "Limit": st.integers(0, 20), "Offset": st.integers(0, 30), "Next": text,
            "MemberInfoFilter": st.lists(st.sampled_from(MEMBER_FIELDS), max_size=4),
            "MemberRoleFilter": st.lists(st.sampled_from(["Owner", "Admin", "Member", "x"]),
                                         max_size=2),
            "AppDefinedDataFilter_GroupMember": st.lists(text, max_size=2)}),
    "group_open_http_svc/get_specified_group_member_info": st.fixed_dictionaries(
        {"GroupId": groups, "Member_List_Account": user_list}),
    "group_open_http_svc/modify_group_member_info": st.fixed_dictionaries(
        {"GroupId": groups, "Member_Account": users}, optional={
            "Role": st.sampled_from(["Admin", "Member", "Owner"]),
            "MsgFlag": st.sampled_from(["AcceptAndNotify", "Discard", "x"]),
            "NameCard": text, "MuteTime": st.integers(0, 100),
            "ShutUpTime": st.integers(0, 2 ** 32),
            "AppMemberDefinedData": st.lists(st.fixed_dictionaries(
                {"Key": text, "Value": text}), max_size=2)}),
    "group_open_http_svc/get_role_in_group": st.fixed_dictionaries(
        {"GroupId": groups, "User_Account": user_list}),
    "group_open_http_svc/forbid_send_msg": st.fixed_dictionaries(
        {"GroupId": groups, "Members_Account": user_list}, optional={
            "MuteTime": st.integers(0, 2 ** 32), "ShutUpTime": st.integers(0, 100)}),
    "group_open_http_svc/get_group_muted_account": st.fixed_dictionaries({"GroupId": groups}),
    "group_open_http_svc/get_group_shutted_uin": st.fixed_dictionaries({"GroupId": groups}),
    "group_open_http_svc/send_group_msg": st.fixed_dictionaries(
        {"GroupId": groups, "MsgBody": msg_body}, optional={
            "Random": st.integers(0, 5), "MsgRandom": st.integers(0, 5), "From_Account": users,
            "MsgPriority": st.sampled_from(["High", "Normal", "x"]),
            "OnlineOnlyFlag": st.integers(0, 1), "CloudCustomData": text,
            "SendMsgControl": st.lists(st.sampled_from(["NoLastMsg", "NoUnread"]), max_size=2)}),
    "group_open_http_svc/group_msg_get_simple": st.fixed_dictionaries(
        {"GroupId": groups, "ReqMsgNumber": st.integers(0, 21)}, optional={
            "ReqMsgSeq": st.integers(0, 10), "WithRecalledMsg": st.integers(0, 1)}),
    "group_open_http_svc/group_msg_recall": st.fixed_dictionaries(
        {"GroupId": groups, "MsgSeqList": st.lists(st.fixed_dictionaries(
            {"MsgSeq": st.integers(0, 5)}), max_size=3)}),
    "group_open_http_svc/send_group_system_notification": st.fixed_dictionaries(
        {"GroupId": groups, "Content": text}, optional={"ToMembers_Account": user_list}),
    "group_open_http_svc/import_group": st.fixed_dictionaries(
        {"Type": st.sampled_from(TYPES[:-1]), "Name": st.text(min_size=1, max_size=10)},
        optional={"Owner_Account": users, "GroupId": new_ids,
                  "CreateTime": st.integers(-1, 2 ** 32), "MaxMemberCount": st.integers(1, 9),
                  "AppDefinedData": st.lists(st.fixed_dictionaries(
                      {"Key": text, "Value": text}), max_size=2)}),
    "group_open_http_svc/import_group_member": st.fixed_dictionaries(
        {"GroupId": groups, "MemberList": st.lists(st.fixed_dictionaries(
            {"Member_Account": users}, optional={
                "Role": st.sampled_from(["Admin", "Member", "x"]),
                "JoinTime": st.integers(-1, 2 ** 32), "UnreadMsgNum": st.integers(-1, 9)}),
            max_size=3)}),
    "group_open_http_svc/import_group_msg": st.fixed_dictionaries(
        {"GroupId": groups, "MsgList": st.lists(st.fixed_dictionaries(
            {"From_Account": users, "MsgBody": msg_body}, optional={
                "SendTime": st.integers(-1, 2 ** 32), "Random": st.integers(0, 5)}),
            max_size=8)}, optional={"RecentContactFlag": st.integers(0, 2)}),
    "group_open_http_svc/set_unread_msg_num": st.fixed_dictionaries(
        {"GroupId": groups, "Member_Account": users},
        optional={"UnreadMsgNum": st.integers(-1, 9)}),
    "group_open_http_svc/get_online_member_num": st.fixed_dictionaries({"GroupId": groups}),
    "group_open_http_svc/delete_group_msg_by_sender": st.fixed_dictionaries(
        {"GroupId": groups, "Sender_Account": users}),
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
