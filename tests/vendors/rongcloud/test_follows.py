"""Hosted groups' follows (``/entrust/group/member/follow.json``, ``unfollow.json``,
``followed/get.json``) and remark names (``/entrust/group/remarkname/set.json``,
``delete.json``, ``query.json``): members only, the docs' limits (100 followed ids, 64
characters), and both leaving with the membership (``isDelFollowed``)."""

from __future__ import annotations

import pytest

from tests.vendors.rongcloud.test_entrust import OK, bad, create

pytestmark = pytest.mark.anyio

E = "/entrust/group/"


async def followed(rongcloud, user: str, group: str = "hg") -> list[str]:
    status, answer = await rongcloud.call(E + "member/followed/get.json",
                                          f"groupId={group}&userId={user}")
    assert status == 200 and list(answer) == ["code", "userId", "groupId", "members"]
    assert (answer["userId"], answer["groupId"]) == (user, group)
    return [member["userId"] for member in answer["members"]]


async def join(rongcloud, user: str) -> None:
    status, answer = await rongcloud.call(E + "join.json", f"groupId=hg&userIds={user}")
    assert (status, answer["code"]) == (200, 200)


async def test_follow_lists_and_unfollow(im_emulator, rongcloud) -> None:
    await create(rongcloud, users="u1,u2,u3")
    im_emulator.clock.freeze()
    assert await rongcloud.call(E + "member/follow.json",
                                "groupId=hg&userId=u1&followUserIds=u2,u3") == OK
    _, answer = await rongcloud.call(E + "member/followed/get.json", "groupId=hg&userId=u1")
    now = im_emulator.services.clock.now_ms()
    assert answer["members"] == [{"userId": "u2", "timestamp": now},
                                 {"userId": "u3", "timestamp": now}]
    # Repeated keys, as the docs' example sends them.
    assert await rongcloud.call(E + "member/unfollow.json",
                                "groupId=hg&userId=u1&followUserIds=u2&followUserIds=ho") == OK
    assert await followed(rongcloud, "u1") == ["u3"]
    assert await followed(rongcloud, "u2") == []


async def test_follow_needs_members_and_at_most_100_ids(rongcloud) -> None:
    await create(rongcloud)
    assert await rongcloud.call(E + "member/follow.json",
                                "groupId=hg&userId=u1&followUserIds=u2,stranger") == bad(
        "Paramer 'followUserIds' is invalid: stranger is not a member")
    assert await followed(rongcloud, "u1") == []
    assert await rongcloud.call(E + "member/follow.json",
                                "groupId=hg&userId=stranger&followUserIds=u2") == bad(
        "Paramer 'userId' is invalid: stranger is not a member")
    many = ",".join(f"x{i}" for i in range(101))
    assert await rongcloud.call(E + "member/follow.json",
                                f"groupId=hg&userId=u1&followUserIds={many}") == bad(
        "Paramer 'followUserIds' is invalid: takes at most 100 ids, got 101")
    assert await rongcloud.call(E + "member/follow.json", "groupId=hg&userId=u1") == \
        rongcloud.required("followUserIds")
    assert await rongcloud.call(E + "member/follow.json",
                                "groupId=nope&userId=u1&followUserIds=u2") == bad(
        "Paramer 'groupId' is invalid: group nope does not exist")


@pytest.mark.parametrize("path", ["quit.json", "member/kick.json"])
async def test_leaving_drops_follows_unless_isdelfollowed_is_0(rongcloud, path: str) -> None:
    await create(rongcloud, users="u1,u2,u3")
    for user, targets in (("u1", "u2,u3"), ("u2", "u1")):
        assert await rongcloud.call(E + "member/follow.json",
                                    f"groupId=hg&userId={user}&followUserIds={targets}") == OK
    assert await rongcloud.call(E + path, "groupId=hg&userIds=u2&isDelFollowed=0") == OK
    assert await followed(rongcloud, "u1") == ["u2", "u3"]      # kept for u2's return
    await join(rongcloud, "u2")
    assert await followed(rongcloud, "u2") == []                # u2's own follows left
    assert await rongcloud.call(E + path, "groupId=hg&userIds=u3") == OK
    assert await followed(rongcloud, "u1") == ["u2"]


async def test_an_old_owner_who_quits_takes_follows_along(rongcloud) -> None:
    await create(rongcloud, users="u1,u2")
    assert await rongcloud.call(E + "member/follow.json",
                                "groupId=hg&userId=u1&followUserIds=ho") == OK
    assert await rongcloud.call(E + "transfer/owner.json",
                                "groupId=hg&newOwner=u1&isQuit=1&isDelFollowed=0") == OK
    assert await followed(rongcloud, "u1") == ["ho"]
    await join(rongcloud, "ho")
    assert await rongcloud.call(E + "transfer/owner.json",
                                "groupId=hg&newOwner=ho&isQuit=1") == OK
    assert await followed(rongcloud, "ho") == []
    status, answer = await rongcloud.call(E + "member/followed/get.json",
                                          "groupId=hg&userId=u1")
    assert (status, answer["code"]) == (400, 1002)              # u1 left with the transfer


async def test_remark_names(rongcloud) -> None:
    await create(rongcloud)
    query = (E + "remarkname/query.json", "groupId=hg&userId=u1")
    assert await rongcloud.call(*query) == (200, {"code": 200, "remarkName": ""})
    assert await rongcloud.call(E + "remarkname/set.json",
                                "groupId=hg&userId=u1&remarkName=欢乐家长群") == OK
    assert await rongcloud.call(*query) == (200, {"code": 200, "remarkName": "欢乐家长群"})
    _, joined = await rongcloud.call("/entrust/joined/group/query.json", "userId=u1")
    assert [group["remarkName"] for group in joined["groups"]] == ["欢乐家长群"]
    assert await rongcloud.call(E + "remarkname/delete.json", "groupId=hg&userId=u1") == OK
    assert await rongcloud.call(E + "remarkname/delete.json", "groupId=hg&userId=u1") == OK
    assert await rongcloud.call(*query) == (200, {"code": 200, "remarkName": ""})


async def test_remark_name_limits_and_membership(rongcloud) -> None:
    await create(rongcloud)
    assert await rongcloud.call(E + "remarkname/set.json", "groupId=hg&userId=u1") == \
        rongcloud.required("remarkName")
    assert await rongcloud.call(E + "remarkname/set.json",
                                f"groupId=hg&userId=u1&remarkName={'x' * 65}") == (400, {
        "code": 1005, "errorMessage": "Length of paramer 'remarkName' must be at most 64."})
    assert await rongcloud.call(E + "remarkname/set.json",
                                "groupId=hg&userId=zed&remarkName=x") == bad(
        "Paramer 'userId' is invalid: zed is not a member")


async def test_a_remark_leaves_with_the_member_and_the_group(rongcloud) -> None:
    await create(rongcloud)
    for user in ("u1", "u2"):
        assert await rongcloud.call(E + "remarkname/set.json",
                                    f"groupId=hg&userId={user}&remarkName=R") == OK
    assert await rongcloud.call(E + "quit.json", "groupId=hg&userIds=u1") == OK
    await join(rongcloud, "u1")
    assert await rongcloud.call(E + "remarkname/query.json", "groupId=hg&userId=u1") == (
        200, {"code": 200, "remarkName": ""})
    assert await rongcloud.call(E + "dismiss.json", "groupId=hg") == OK
    await create(rongcloud)
    assert await rongcloud.call(E + "remarkname/query.json", "groupId=hg&userId=u2") == (
        200, {"code": 200, "remarkName": ""})


async def test_push_aliases_of_basic_group_members(rongcloud) -> None:
    """``/group/remarks/*``: the docs' fields; members only; apart from remark names."""
    get = ("/group/remarks/get.json", "userId=alice&groupId=g-hiking")
    assert await rongcloud.call(*get) == (200, {"code": 200, "remark": ""})
    assert await rongcloud.call("/group/remarks/set.json",
                                "userId=alice&groupId=g-hiking&remark=备注") == OK
    assert await rongcloud.call(*get) == (200, {"code": 200, "remark": "备注"})
    assert await rongcloud.call(E + "remarkname/query.json",
                                "groupId=g-hiking&userId=alice") == (
        200, {"code": 200, "remarkName": ""})
    assert await rongcloud.call("/group/remarks/del.json", "userId=alice&groupId=g-hiking") == OK
    assert await rongcloud.call(*get) == (200, {"code": 200, "remark": ""})
    assert await rongcloud.call("/group/remarks/set.json", "userId=alice&groupId=g-hiking") == \
        rongcloud.required("remark")
    assert await rongcloud.call("/group/remarks/set.json",
                                "userId=nobody&groupId=g-hiking&remark=x") == bad(
        "Paramer 'userId' is invalid: nobody is not a member")
    assert await rongcloud.call("/group/remarks/get.json", "userId=nobody&groupId=none") == (
        200, {"code": 200, "remark": ""})


async def test_a_push_alias_leaves_with_the_member(rongcloud) -> None:
    assert await rongcloud.call("/group/remarks/set.json",
                                "userId=alice&groupId=g-hiking&remark=A") == OK
    assert await rongcloud.call("/group/quit.json", "userId=alice&groupId=g-hiking") == OK
    assert await rongcloud.call("/group/remarks/get.json", "userId=alice&groupId=g-hiking") == (
        200, {"code": 200, "remark": ""})
