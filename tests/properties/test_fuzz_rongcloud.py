"""Property: every RongCloud path (served or not), signed (plain or RC- headers) or not, with any
headers and a valid form body mutated a little or any body at all gets RongCloud's envelope
(code + errorMessage, or code 200) with the HTTP status of its code from the status table, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.properties.strategies import (RONGCLOUD_PATHS, Request, bodies, check_response, dumps,
                                         form_body, groups, headers, mutated_pairs, new_ids,
                                         rongcloud_headers, users)

pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_settings(rate_limits=False)]

names = st.text(max_size=20)
HISTORY = "/v3/message/group/query.json"
members = st.lists(users | new_ids, min_size=1, max_size=4)


def pairs_of(*fields: tuple[str, st.SearchStrategy[Any]]
             ) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Form pairs from named strategies; a strategy of lists gives a repeated key."""
    def flatten(values: tuple[Any, ...]) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for (name, _), value in zip(fields, values, strict=True):
            pairs += [(name, item) for item in (value if isinstance(value, list) else [value])]
        return pairs
    return st.tuples(*(strategy for _, strategy in fields)).map(flatten)


TEMPLATES: dict[str, st.SearchStrategy[list[tuple[str, str]]]] = {
    "/user/group/query.json": pairs_of(("userId", users), ("page", st.integers(0, 4).map(str)),
                                       ("size", st.integers(0, 20).map(str))),
    "/user/getToken.json": pairs_of(("userId", users | new_ids), ("name", names),
                                    ("portraitUri", names)),
    "/group/create.json": pairs_of(("userId", members), ("groupId", groups | new_ids),
                                   ("groupName", names)),
    "/group/join.json": pairs_of(("userId", members), ("groupId", groups | new_ids),
                                 ("groupName", names)),
    "/group/quit.json": pairs_of(("userId", members), ("groupId", groups)),
    "/group/dismiss.json": pairs_of(("userId", users), ("groupId", groups | new_ids)),
    "/group/user/query.json": pairs_of(("groupId", groups | new_ids)),
    "/group/refresh.json": pairs_of(("groupId", groups | new_ids), ("groupName", names)),
    "/group/sync.json": pairs_of(("userId", users | new_ids), ("group[g-hiking]", names),
                                 ("group[fz-new]", names)),
    "/message/group/publish.json": pairs_of(
        ("fromUserId", users | new_ids), ("toGroupId", st.lists(groups | new_ids, min_size=1,
                                                                max_size=4)),
        ("objectName", st.just("RC:TxtMsg")), ("content", names),
        ("isPersisted", st.sampled_from(["0", "1", "true"])),
        ("bindNotifyMsg", st.sampled_from(["true", "false"]))),
    "/group/user/gag/add.json": pairs_of(("userId", members), ("groupId", groups | new_ids),
                                         ("minute", st.integers(0, 50000).map(str))),
    "/group/user/gag/rollback.json": pairs_of(("userId", members), ("groupId", groups)),
    "/group/user/gag/list.json": pairs_of(("groupId", groups | new_ids)),
    "/group/ban/add.json": pairs_of(("groupId", st.lists(groups | new_ids, min_size=1,
                                                         max_size=3))),
    "/group/ban/rollback.json": pairs_of(("groupId", st.lists(groups, min_size=1, max_size=3))),
    "/group/ban/query.json": pairs_of(("groupId", st.lists(groups, max_size=3)),
                                      ("page", st.integers(0, 3).map(str)),
                                      ("size", st.integers(0, 300).map(str))),
    "/group/user/ban/whitelist/add.json": pairs_of(("userId", members), ("groupId", groups)),
    "/group/user/ban/whitelist/rollback.json": pairs_of(("userId", members),
                                                        ("groupId", groups)),
    "/group/user/ban/whitelist/query.json": pairs_of(("groupId", groups | new_ids)),
    **{f"/entrust/group/{name}.json": pairs_of(
        ("groupId", groups | new_ids), ("name", names), ("owner", users | new_ids),
        ("userIds", members.map(",".join)), ("newOwner", users),
        ("groupProfile", st.sampled_from(['{"introduction":"x"}', "{", "[]", ""])),
        ("permissions", st.sampled_from(['{"joinPerm":1}', '{"joinPerm":9}', "1"])),
        ("groupExtProfile", st.sampled_from(['{"ext_a":"1"}', '{"a":1}'])),
        ("isQuit", st.sampled_from(["0", "1"])), ("userId", users),
        ("pageToken", st.sampled_from(["", "WzAsIngiXQ==", "bad", "WyJ4IiwxXQ=="])),
        ("size", st.integers(0, 2000).map(str)), ("order", st.sampled_from(["0", "1", "2"])),
        ("type", st.integers(0, 4).map(str)))
       for name in ("create", "join", "quit", "member/kick", "member/kick/all", "dismiss",
                    "transfer/owner", "manager/add", "manager/remove", "member/query",
                    "member/specific/query", "member/set", "profile/update", "profile/query",
                    "import", "query")},
    "/entrust/joined/group/query.json": pairs_of(
        ("userId", users), ("role", st.integers(0, 4).map(str)),
        ("pageToken", st.sampled_from(["", "WzAsIngiXQ==", "bad"])),
        ("size", st.integers(0, 200).map(str)), ("order", st.sampled_from(["0", "1"]))),
    "/message/recall.json": pairs_of(
        ("fromUserId", users | new_ids), ("conversationType",
                                          st.sampled_from(["3", "1", "10", "2", "x", ""])),
        ("targetId", groups | new_ids),
        ("messageUID", st.sampled_from(["AAAA-BBBB-CCCC-DDDD", "", "x" * 65]) | names),
        ("sentTime", st.integers(0, 2**42).map(str) | names),
        ("isAdmin", st.sampled_from(["0", "1", "2"])), ("isDelete", st.sampled_from(["0", "1"])),
        ("extra", names)),
    "/statusmessage/group/publish.json": pairs_of(
        ("fromUserId", users | new_ids), ("toGroupId", st.lists(groups | new_ids, min_size=1,
                                                                max_size=4)),
        ("objectName", st.just("RC:TypSts")), ("content", names),
        ("verifyBlacklist", st.sampled_from(["0", "1", "2"]))),
    **{f"/entrust/group/{name}.json": pairs_of(
        ("groupId", groups | new_ids), ("userId", users | new_ids),
        ("followUserIds", members.map(",".join)), ("remarkName", names),
        ("isDelFollowed", st.sampled_from(["0", "1", "x"])))
       for name in ("member/follow", "member/unfollow", "member/followed/get",
                    "remarkname/set", "remarkname/delete", "remarkname/query")},
    **{f"/group/remarks/{name}.json": pairs_of(
        ("userId", users | new_ids), ("groupId", groups | new_ids), ("remark", names))
       for name in ("set", "del", "get")},
    HISTORY: pairs_of(
        ("userId", users), ("targetId", groups | new_ids),
        ("startTime", st.integers(0, 2**41).map(str)), ("endTime", st.integers(0, 2**42).map(str)),
        ("includeStart", st.sampled_from(["true", "false", "1", "x"])),
        ("pageSize", st.integers(0, 120).map(str)), ("busChannel", names)),
}
paths = st.sampled_from(RONGCLOUD_PATHS * 3 + ["/group/remarks/nothing.json", "/User/group/query.json",
                                               "/.json", "/user/group/query.json.json"])


def test_every_path_has_a_template() -> None:
    assert set(TEMPLATES) == set(RONGCLOUD_PATHS)


def with_body(path: str) -> st.SearchStrategy[tuple[str, bytes]]:
    """The path and a body: its template mutated a little, or anything."""
    template = TEMPLATES.get(path, TEMPLATES["/user/group/query.json"])
    encode = (lambda pairs: dumps(dict(pairs))) if path == HISTORY else form_body
    return st.tuples(st.just(path), st.one_of(*[mutated_pairs(template).map(encode)] * 3,
                                              bodies))


@given(call=paths.flatmap(with_body),
       auth=st.sampled_from(["good", "good", "good", "good-rc", "bad", "none"]),
       nonce=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1,
                     max_size=18),
       extra=headers, method=st.sampled_from(["POST", "POST", "POST", "POST", "GET", "PUT"]))
async def test_any_rongcloud_request_gets_the_envelope(im_emulator: Any,
                                                       call: tuple[str, bytes], auth: str,
                                                       nonce: str,
                                                       extra: list[tuple[str, Any]],
                                                       method: str) -> None:
    path, body = call
    now = im_emulator.clock.now()
    sent: list[tuple[str, Any]] = []
    if auth in ("good", "good-rc"):
        sent = rongcloud_headers(now, nonce, "RC-" if auth == "good-rc" else "")
    elif auth == "bad":
        sent = [(name, value if name != "Signature" else "0" * 40)
                for name, value in rongcloud_headers(now, nonce)]
    request = Request(method, path, headers=sent + extra, body=body)
    response = await request.send(im_emulator.client)
    check_response("rongcloud", request, response)
