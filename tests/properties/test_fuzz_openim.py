"""Property: every OpenIM path (served or not), with an admin or user token, a bad token or
none, any extra headers and a valid body mutated a little or any body at all gets HTTP 200
with the envelope (errCode, errMsg, errDlt first), or gin's documented plain 404 / 307, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.strategies import (OPENIM_ADMIN, OPENIM_PATHS, OPENIM_SECRET, USERS, Request, bodies,
                        check_response, dumps, headers, mutated, new_ids, openim_admin_token,
                        text, users)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

group_info = st.fixed_dictionaries({"groupType": st.just(2), "groupName": text}, optional={
    "groupID": new_ids, "status": st.integers(0, 3), "needVerification": st.integers(0, 2),
    "introduction": text, "ex": text})
TEMPLATES: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "/auth/get_admin_token": st.fixed_dictionaries({
        "secret": st.sampled_from([OPENIM_SECRET, OPENIM_SECRET, "x"]),
        "userID": st.sampled_from([OPENIM_ADMIN, OPENIM_ADMIN, "alice"])}),
    "/auth/get_user_token": st.fixed_dictionaries({"userID": users | new_ids,
                                                   "platformID": st.integers(0, 12)}),
    "/auth/parse_token": st.fixed_dictionaries({"token": st.sampled_from(
        ["e30.e30.x", "", "a.b.c"]) | text}),
    "/user/user_register": st.fixed_dictionaries({"users": st.lists(st.fixed_dictionaries(
        {"userID": new_ids | users, "nickname": st.text(min_size=1, max_size=20)},
        optional={"faceURL": text, "ex": text}),
        min_size=1, max_size=3)}),
    "/group/get_joined_group_list": st.fixed_dictionaries({
        "fromUserID": users, "pagination": st.fixed_dictionaries({
            "pageNumber": st.integers(0, 4), "showNumber": st.integers(-1, 30)})}),
    "/group/create_group": st.permutations(USERS).flatmap(lambda people: st.fixed_dictionaries({
        "ownerUserID": st.just(people[0]), "memberUserIDs": st.just(people[1:4]),
        "adminUserIDs": st.just(people[4:5]), "groupInfo": group_info})),
}
groups = st.sampled_from(["g-fuzz-1", "g-fuzz-2", "nope", ""])
some_users = st.lists(users, max_size=3)
page = st.fixed_dictionaries({"pageNumber": st.integers(0, 3), "showNumber": st.integers(-1, 5)})
wrapped = st.none() | text
TEMPLATES.update({
    "/group/invite_user_to_group": st.fixed_dictionaries({
        "groupID": groups, "invitedUserIDs": some_users}),
    "/group/get_groups_info": st.fixed_dictionaries({"groupIDs": st.lists(groups)}),
    "/group/kick_group": st.fixed_dictionaries({"groupID": groups, "kickedUserIDs": some_users}),
    "/group/dismiss_group": st.fixed_dictionaries({"groupID": groups,
                                                   "deleteMember": st.booleans()}),
    "/group/get_group_member_list": st.fixed_dictionaries({
        "groupID": groups, "pagination": page, "filter": st.integers(-1, 6),
        "keyword": st.sampled_from(["", "a", "(", "[z-a]"])}),
    "/group/set_group_member_info": st.fixed_dictionaries({"members": st.lists(
        st.fixed_dictionaries({"groupID": groups, "userID": users}, optional={
            "nickname": wrapped, "roleLevel": st.sampled_from([None, 20, 60, 100, 7])}),
        max_size=3)}),
    "/group/get_group_members_info": st.fixed_dictionaries({"groupID": groups,
                                                            "userIDs": some_users}),
    "/group/set_group_info": st.fixed_dictionaries({"groupInfoForSet": st.fixed_dictionaries({
        "groupID": groups}, optional={"groupName": text, "notification": text,
                                       "ex": wrapped, "needVerification": st.integers(0, 2)})}),
    "/group/set_group_info_ex": st.fixed_dictionaries({"groupID": groups}, optional={
        "groupName": wrapped, "notification": wrapped, "lookMemberInfo": st.integers(0, 1)}),
    "/group/transfer_group": st.fixed_dictionaries({
        "groupID": groups, "oldOwnerUserID": users, "newOwnerUserID": users}),
    "/group/quit_group": st.fixed_dictionaries({"groupID": groups}, optional={"userID": users}),
    "/group/mute_group_member": st.fixed_dictionaries({
        "groupID": groups, "userID": users, "mutedSeconds": st.integers(0, 100)}),
    "/group/cancel_mute_group_member": st.fixed_dictionaries({"groupID": groups,
                                                              "userID": users}),
    "/group/mute_group": st.fixed_dictionaries({"groupID": groups}),
    "/group/cancel_mute_group": st.fixed_dictionaries({"groupID": groups}),
    "/group/get_group_member_user_id": st.fixed_dictionaries({"groupID": groups}),
    "/group/join_group": st.fixed_dictionaries({
        "groupID": groups, "joinSource": st.integers(0, 5), "inviterUserID": users | text},
        optional={"reqMessage": text, "ex": text}),
    "/group/get_groups": st.fixed_dictionaries({"pagination": page}, optional={
        "groupName": st.sampled_from(["", "g", "(", "[z-a]"]) | text, "groupID": groups}),
    "/group/get_full_join_group_ids": st.fixed_dictionaries({"userID": users}, optional={
        "idHash": st.integers(0, 2 ** 64 - 1)}),
    "/group/get_full_group_member_user_ids": st.fixed_dictionaries({"groupID": groups},
                                                                   optional={"idHash": st.integers(0, 9)}),
    "/group/get_incremental_join_groups": st.fixed_dictionaries({"userID": users}, optional={
        "versionID": st.sampled_from(["", "0" * 24, "a" * 24]) | text,
        "version": st.integers(0, 3)}),
    "/group/get_incremental_group_members": st.fixed_dictionaries({"groupID": groups},
                                                                  optional={"version": st.integers(0, 3)}),
    "/group/get_incremental_group_members_batch": st.fixed_dictionaries({
        "userID": users, "reqList": st.lists(st.fixed_dictionaries({"groupID": groups}),
                                             max_size=3)}),
    "/msg/send_msg": st.fixed_dictionaries({
        "sendID": users | st.just(OPENIM_ADMIN), "groupID": groups,
        "sessionType": st.sampled_from([3, 3, 1, 2, 4]),
        "contentType": st.sampled_from([101, 101, 110, 106, 102, 1400, 7]),
        "content": st.fixed_dictionaries({}, optional={
            "content": text | st.integers() | st.booleans(), "data": text,
            "atUserList": some_users})}, optional={
        "recvID": users, "sendTime": st.integers(0, 2 ** 40), "isOnlineOnly": st.booleans()}),
    "/msg/batch_send_msg": st.fixed_dictionaries({
        "sendID": users | st.just(OPENIM_ADMIN), "groupID": groups,
        "sessionType": st.sampled_from([3, 3, 1, 2, 4]),
        "contentType": st.sampled_from([101, 101, 110, 1400, 7]),
        "content": st.fixed_dictionaries({}, optional={"content": text | st.integers()}),
        "recvIDs": st.none() | some_users}, optional={"isSendAll": st.booleans()}),
    "/msg/send_simple_msg": st.fixed_dictionaries({"content": text}, optional={
        "sendID": users, "ex": text}),
    "/msg/pull_msg_by_seq": st.fixed_dictionaries({
        "userID": users, "order": st.integers(-1, 2), "seqRanges": st.lists(
            st.fixed_dictionaries({
                "conversationID": groups.map(lambda g: "sg_" + g) | text,
                "begin": st.integers(-2, 5), "end": st.integers(-2, 5),
                "num": st.integers(-1, 5)}), max_size=3)}),
    "/msg/newest_seq": st.fixed_dictionaries({"userID": users}),
    "/group/get_recv_group_applicationList": st.fixed_dictionaries({
        "fromUserID": users, "pagination": page}, optional={
        "groupIDs": st.lists(groups, max_size=2),
        "handleResults": st.lists(st.integers(-2, 2), max_size=2)}),
    "/group/get_user_req_group_applicationList": st.fixed_dictionaries({
        "userID": users, "pagination": page}, optional={
        "groupIDs": st.lists(groups, max_size=2),
        "handleResults": st.lists(st.integers(-2, 2), max_size=2)}),
    "/group/group_application_response": st.fixed_dictionaries({
        "groupID": groups, "fromUserID": users, "handleResult": st.integers(-2, 2)},
        optional={"handledMsg": text}),
    "/group/get_group_users_req_application_list": st.fixed_dictionaries({
        "groupID": groups, "userIDs": some_users}),
    "/group/get_specified_user_group_request_info": st.fixed_dictionaries({
        "groupID": groups, "userID": users}),
    "/group/get_group_application_unhandled_count": st.fixed_dictionaries({"userID": users},
                                                                          optional={
        "time": st.integers(-1, 2 ** 42)}),
    "/group/get_group_abstract_info": st.fixed_dictionaries({"groupIDs": st.lists(groups)}),
    "/statistics/group/create": st.fixed_dictionaries({
        "start": st.integers(-1, 2 ** 42), "end": st.integers(-1, 2 ** 42)}),
    "/auth/force_logout": st.fixed_dictionaries({"userID": users,
                                                 "platformID": st.integers(-1, 12)}),
    "/msg/search_msg": st.fixed_dictionaries({"pagination": page}, optional={
        "sendID": users, "recvID": groups | users, "contentType": st.sampled_from([0, 101, 1501]),
        "sessionType": st.integers(0, 4),
        "sendTime": st.sampled_from(["", "2027-01-15", "2027-02-30", "x"]) | text}),
    "/msg/get_conversations_has_read_and_max_seq": st.fixed_dictionaries({"userID": users},
                                                                         optional={
        "conversationIDs": st.lists(groups.map(lambda g: "sg_" + g) | text, max_size=3),
        "returnPinned": st.booleans()}),
})
paths = st.sampled_from(OPENIM_PATHS * 3 + [path + "/" for path in OPENIM_PATHS]
                        + ["/group/get_group_info", "/Group/create_group", "/auth"])


def test_every_path_has_a_template() -> None:
    assert set(TEMPLATES) == set(OPENIM_PATHS)


def with_body(path: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """The path and a body: its template mutated a little, or anything."""
    template = TEMPLATES.get(path.rstrip("/"), TEMPLATES["/group/get_joined_group_list"])
    return st.tuples(st.just(path), st.one_of(*[mutated(template).map(dumps)] * 3, bodies))


async def token_for(emulator: Any, kind: str) -> list[tuple[str, str]]:
    """The token header of one kind: admin, a user's own, a garbage one or none."""
    if kind == "admin":
        return [("token", await openim_admin_token(emulator.client))]
    if kind == "user":
        response = await emulator.client.post(
            "/auth/get_user_token", json={"userID": "alice", "platformID": 1},
            headers={"operationID": "prop",
                     "token": await openim_admin_token(emulator.client)})
        return [("token", response.json()["data"]["token"])]
    if kind == "garbage":
        return [("token", "e30.e30.x")]
    return []


@given(call=paths.flatmap(with_body),
       kind=st.sampled_from(["admin", "admin", "admin", "user", "garbage", "none"]),
       operation=st.sampled_from(["prop"] * 6 + ["", None]), extra=headers,
       method=st.sampled_from(["POST"] * 6 + ["GET", "PUT", "OPTIONS"]), gzip=st.booleans())
async def test_any_openim_request_gets_the_envelope(im_emulator: Any, call: tuple[str, bytes],
                                                    kind: str,
                                                    operation: str | None,
                                                    extra: list[tuple[str, Any]], method: str,
                                                    gzip: bool) -> None:
    path, body = call
    sent: list[tuple[str, Any]] = [] if operation is None else [("operationID", operation)]
    sent += await token_for(im_emulator, kind)
    sent += [("Accept-Encoding", "gzip")] if gzip else []
    request = Request(method, path, headers=sent + extra, body=body)
    response = await request.send(im_emulator.client)
    if not sends_a_documented_send_msg_error(request, response):
        check_response("openim", request, response)


def sends_a_documented_send_msg_error(request: Request, response: Any) -> bool:
    """send_msg's (and batch_send_msg's) two answers outside the usual envelope rules: gin's
    binding failure (1001 on HTTP 400) and a content that does not decode or validate (errCode
    500, the validator's or mapstructure's text)."""
    if request.method != "POST" or request.path not in ("/msg/send_msg", "/msg/batch_send_msg"):
        return False
    if response.status_code == 400:
        data = response.json()
        assert list(data) == ["errCode", "errMsg", "errDlt"], data
        assert (data["errCode"], data["errMsg"]) == (1001, "ArgsError"), data
        return True
    if response.status_code == 200 and response.json().get("errCode") == 500:
        data = response.json()
        assert data["errMsg"] == "ServerInternalError", data
        assert data["errDlt"].startswith("Key: '") or " error(s) decoding:" in data["errDlt"]
        return True
    return False
