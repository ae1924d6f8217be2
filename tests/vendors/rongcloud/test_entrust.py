"""Hosted groups (``/entrust/group/*``): owner, managers, profiles and permissions, member
profiles, keyed pages, and the shared store underneath."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.anyio

OK = (200, {"code": 200})
E = "/entrust/group/"


async def create(rongcloud, group_id: str = "hg", owner: str = "ho",
                 users: str = "u1,u2", extra: str = "") -> None:
    assert await rongcloud.call(E + "create.json", f"groupId={group_id}&name=Hosted"
                                f"&owner={owner}&userIds={users}{extra}") == OK


def bad(message: str) -> tuple[int, dict]:
    return 400, {"code": 1002, "errorMessage": message}


async def test_create_with_profile_and_permissions(im_emulator, rongcloud) -> None:
    profile = json.dumps({"introduction": "intro", "announcement": "notice",
                          "portraitUrl": "http://x/p.png"})
    await create(rongcloud, extra=f"&groupProfile={profile}&permissions="
                 '{"joinPerm":1,"memInvitePerm":1,"invitePerm":1}'
                 '&groupExtProfile={"ext_level":"3"}')
    group = await im_emulator.store.get_group("hg")
    assert (group.owner, group.creator, group.type) == ("ho", "ho", "work")
    assert (group.introduction, group.notification, group.face_url) == \
        ("intro", "notice", "http://x/p.png")
    assert (group.apply_join_option, group.inviter_role, group.invitee_must_accept) == \
        ("FreeAccess", "admin", True)
    assert await im_emulator.store.attributes("hg") == {"ext_level": "3"}
    assert await rongcloud.members_of("hg") == ["ho", "u1", "u2"]
    status, answer = await rongcloud.call(E + "profile/query.json", "groupIds=hg,nowhere")
    assert status == 200 and answer == {"code": 200, "profiles": [{
        "groupId": "hg", "groupName": "Hosted",
        "groupProfile": '{"introduction":"intro","announcement":"notice",'
                        '"portraitUrl":"http://x/p.png"}',
        "groupExtProfile": '{"ext_level":"3"}',
        "permissions": '{"joinPerm":1,"removePerm":0,"memInvitePerm":1,"invitePerm":1,'
                       '"profilePerm":0,"memProfilePerm":0}',
        "owner": "ho", "createTime": group.create_time_ms, "memberCount": 3}]}


async def test_create_defaults_and_errors(im_emulator, rongcloud) -> None:
    await create(rongcloud, users="")
    group = await im_emulator.store.get_group("hg")
    assert (group.apply_join_option, group.inviter_role) == ("NeedPermission", "owner")
    assert await rongcloud.call(E + "create.json", "groupId=hg&name=x&owner=ho") == \
        bad("Paramer 'groupId' is invalid: group hg already exists")
    assert await rongcloud.call(E + "create.json", "groupId=h2&owner=ho") == \
        rongcloud.required("name")
    assert await rongcloud.call(E + "create.json", "groupId=h2&name=x") == \
        rongcloud.required("owner")
    many = ",".join(f"u{i}" for i in range(31))
    assert await rongcloud.call(E + "create.json", f"groupId=h2&name=x&owner=o&userIds={many}") \
        == bad("Paramer 'userIds' is invalid: takes at most 30 ids, got 31")
    assert await rongcloud.call(E + "create.json",
                                "groupId=h2&name=x&owner=o&groupProfile={") == \
        bad("Paramer 'groupProfile' is invalid: must be a JSON object")
    assert await rongcloud.call(E + "create.json",
                                'groupId=h2&name=x&owner=o&permissions={"joinPerm":4}') == \
        bad("Paramer 'permissions' is invalid: 'joinPerm' must be from 0 to 3")
    assert await rongcloud.call(E + "create.json",
                                'groupId=h2&name=x&owner=o&groupExtProfile={"level":"1"}') == \
        bad("Paramer 'groupExtProfile' is invalid: key 'level' must start with 'ext_' and be "
            "at most 32 characters")
    assert await im_emulator.store.get_group("h2") is None


async def test_join_answers_the_profile_and_repeated_keys_work(rongcloud) -> None:
    await create(rongcloud)
    status, answer = await rongcloud.call(E + "join.json", "groupId=hg&userIds=u3&userIds=u1")
    assert status == 200
    assert list(answer) == ["code", "groupId", "name", "groupProfile", "groupExtProfile",
                            "permissions", "owner", "createTime", "memberCount"]
    assert answer["memberCount"] == 4 and answer["owner"] == "ho"
    assert await rongcloud.call(E + "join.json", "groupId=nowhere&userIds=u3") == \
        bad("Paramer 'groupId' is invalid: group nowhere does not exist")
    assert await rongcloud.call(E + "join.json", "groupId=hg") == rongcloud.required("userIds")


async def test_quit_kick_and_the_owner(im_emulator, rongcloud) -> None:
    await create(rongcloud, users="u1,u2,u3")
    await rongcloud.call("/group/user/ban/whitelist/add.json", "userId=u1&groupId=hg")
    assert await rongcloud.call(E + "quit.json", "groupId=hg&userIds=u1") == OK
    assert await im_emulator.store.whitelist("hg") == []
    assert await rongcloud.call(E + "member/kick.json", "groupId=hg&userIds=u2,not-in") == OK
    assert await rongcloud.members_of("hg") == ["ho", "u3"]
    assert await rongcloud.call(E + "quit.json", "groupId=hg&userIds=ho") == \
        bad("Paramer 'userIds' is invalid: ho is the owner; transfer the group first")


async def test_transfer_owner(im_emulator, rongcloud) -> None:
    await create(rongcloud)
    assert await rongcloud.call(E + "transfer/owner.json", "groupId=hg&newOwner=stranger") == \
        bad("Paramer 'userId' is invalid: stranger is not a member")
    assert await rongcloud.call(E + "transfer/owner.json", "groupId=hg&newOwner=u1") == OK
    assert (await im_emulator.store.get_group("hg")).owner == "u1"
    assert (await im_emulator.store.member("hg", "ho")).role == "member"
    assert await rongcloud.call(E + "transfer/owner.json",
                                "groupId=hg&newOwner=u2&isQuit=1") == OK
    assert await rongcloud.members_of("hg") == ["u2", "ho"]
    assert await rongcloud.call(E + "transfer/owner.json", "groupId=hg") == \
        rongcloud.required("newOwner")


async def test_managers(im_emulator, rongcloud) -> None:
    users = ",".join(f"m{i}" for i in range(12))
    await create(rongcloud, users=users)
    assert await rongcloud.call(E + "manager/add.json", "groupId=hg&userIds=m0,m1,out") == \
        (200, {"code": 200, "userIds": ["out"]})
    assert (await im_emulator.store.member("hg", "m0")).role == "admin"
    status, answer = await rongcloud.call(E + "member/query.json", "groupId=hg&type=2&order=0")
    assert [m["userId"] for m in answer["members"]] == ["m0", "m1"]
    assert all(m["role"] == 2 for m in answer["members"])
    more = ",".join(f"m{i}" for i in range(2, 11))
    assert await rongcloud.call(E + "manager/add.json", f"groupId=hg&userIds={more}") == \
        (200, {"code": 200, "managerCount": 2})
    assert (await im_emulator.store.member("hg", "m2")).role == "member"
    assert await rongcloud.call(E + "manager/remove.json", "groupId=hg&userIds=m0,ho") == OK
    assert (await im_emulator.store.member("hg", "m0")).role == "member"
    assert (await im_emulator.store.member("hg", "ho")).role == "owner"


async def test_member_pages_walk_every_member_once(im_emulator, rongcloud) -> None:
    await create(rongcloud, users="")
    for i in range(7):
        im_emulator.clock.advance(1)
        await rongcloud.call(E + "join.json", f"groupId=hg&userIds=p{i}")
    for order, expected in (("0", ["ho"] + [f"p{i}" for i in range(7)]),
                            ("1", [f"p{i}" for i in reversed(range(7))] + ["ho"])):
        seen, token = [], ""
        for _ in range(10):
            status, answer = await rongcloud.call(
                E + "member/query.json", f"groupId=hg&size=3&order={order}&pageToken={token}")
            assert status == 200 and answer["totalCount"] == 8 and len(answer["members"]) <= 3
            seen += [m["userId"] for m in answer["members"]]
            token = answer["pageToken"]
            if not token:
                break
        assert seen == expected
    status, answer = await rongcloud.call(E + "member/query.json", "groupId=hg&type=3")
    assert [m["userId"] for m in answer["members"]] == ["ho"] and answer["members"][0]["role"] == 3
    assert await rongcloud.call(E + "member/query.json", "groupId=hg&size=101") == \
        bad("Paramer 'size' is invalid: must be from 0 to 100")
    assert await rongcloud.call(E + "member/query.json", "groupId=hg&pageToken=zzz") == \
        bad("Paramer 'pageToken' is invalid: is not a token this API gave")


async def test_member_profiles(im_emulator, rongcloud) -> None:
    await create(rongcloud)
    assert await rongcloud.call(E + "member/set.json",
                                "groupId=hg&userId=u1&nickname=Nick&extra=x") == OK
    member = await im_emulator.store.member("hg", "u1")
    assert (member.nickname, member.ex) == ("Nick", "x")
    status, answer = await rongcloud.call(E + "member/specific/query.json",
                                          "groupId=hg&userIds=u1,nobody,ho")
    assert status == 200 and answer == {"code": 200, "members": [
        {"userId": "u1", "nickname": "Nick", "role": 1, "time": member.join_time_ms,
         "extra": "x"},
        {"userId": "ho", "nickname": "", "role": 3,
         "time": (await im_emulator.store.member("hg", "ho")).join_time_ms, "extra": ""}]}
    assert await rongcloud.call(E + "member/set.json", "groupId=hg&userId=nobody&nickname=N") \
        == bad("Paramer 'userId' is invalid: nobody is not a member")


async def test_profile_update(im_emulator, rongcloud) -> None:
    await create(rongcloud)
    seq = (await im_emulator.store.get_group("hg")).info_seq
    assert await rongcloud.call(E + "profile/update.json",
                                'groupId=hg&groupProfile={"name":"New","announcement":"A"}') == OK
    group = await im_emulator.store.get_group("hg")
    assert (group.name, group.notification, group.introduction) == ("New", "A", "")
    assert group.info_seq == seq + 1
    long = "x" * 513
    assert await rongcloud.call(E + "profile/update.json",
                                f'groupId=hg&groupProfile={{"introduction":"{long}"}}') == \
        (400, {"code": 1005,
               "errorMessage": "Length of paramer 'groupProfile.introduction' must be at most "
                               "512."})


async def test_dismiss_and_import(im_emulator, rongcloud) -> None:
    await create(rongcloud)
    assert await rongcloud.call(E + "dismiss.json", "groupId=hg") == OK
    assert (await im_emulator.store.get_group("hg")).status == "dismissed"
    assert await rongcloud.call(E + "dismiss.json", "groupId=hg") == \
        bad("Paramer 'groupId' is invalid: group hg does not exist")
    # A basic group becomes hosted, owned by the user named.
    assert await rongcloud.call("/group/create.json",
                                "userId=b1&userId=b2&groupId=basic&groupName=B") == OK
    assert await rongcloud.call(E + "import.json", "groupId=basic&name=Bee&owner=b2") == OK
    group = await im_emulator.store.get_group("basic")
    assert (group.owner, group.name) == ("b2", "Bee")
    assert await rongcloud.call(E + "import.json", "groupId=fresh&name=F&owner=f1") == OK
    assert await rongcloud.members_of("fresh") == ["f1"]


async def test_kick_all_spares_owned_groups(rongcloud) -> None:
    await create(rongcloud, group_id="k1", owner="ko", users="kx")
    await create(rongcloud, group_id="k2", owner="kx", users="ko")
    assert await rongcloud.call(E + "member/kick/all.json", "userId=kx") == OK
    assert [g["id"] for g in await rongcloud.groups_of("kx")] == ["k2"]


async def test_app_and_joined_group_pages(im_emulator, rongcloud) -> None:
    for i in range(5):
        im_emulator.clock.advance(1)
        await create(rongcloud, group_id=f"pg{i}", owner="po" if i % 2 else "pm",
                     users="po,pm")
    seen, token = [], ""
    for _ in range(100):
        status, answer = await rongcloud.call(E + "query.json", f"size=4&pageToken={token}")
        assert status == 200
        seen += [g["groupId"] for g in answer["groups"]]
        token = answer["pageToken"]
        if not token:
            break
    assert len(seen) == len(set(seen)) and seen[:5] == [f"pg{i}" for i in reversed(range(5))]
    status, answer = await rongcloud.call(E + "query.json", "size=1&order=0")
    assert list(answer["groups"][0]) == ["groupId", "owner", "creator", "name", "portraitUrl",
                                         "time"]
    status, answer = await rongcloud.call("/entrust/joined/group/query.json",
                                          "userId=po&role=3&order=0")
    assert status == 200 and answer["totalCount"] == 2
    assert [g["groupId"] for g in answer["groups"]] == ["pg1", "pg3"]
    assert all(g["role"] == 3 and g["owner"] == "po" for g in answer["groups"])
    walked, token = [], ""
    for _ in range(10):
        answer = (await rongcloud.call("/entrust/joined/group/query.json",
                                       f"userId=po&size=2&pageToken={token}"))[1]
        walked += [g["groupId"] for g in answer["groups"]]
        token = answer["pageToken"]
        if not token:
            break
    assert walked == [f"pg{i}" for i in reversed(range(5))]
    assert await rongcloud.call("/entrust/joined/group/query.json", "userId=po&size=101") == \
        bad("Paramer 'size' is invalid: must be from 0 to 100")
