"""RongCloud's writes: /group/create.json, join, quit, dismiss, /group/user/query.json and
/user/getToken.json, through encoded and unencoded form bodies, with their limits."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.signing import RongCloudAuth

pytestmark = pytest.mark.anyio

OK = {"code": 200}


async def call(emulator: Any, path: str, body: str | bytes) -> tuple[int, dict[str, Any]]:
    content = body.encode() if isinstance(body, str) else body
    response = await emulator.client.post(path, content=content, auth=RongCloudAuth(),
                                          headers={"Content-Type":
                                                   "application/x-www-form-urlencoded"})
    return response.status_code, response.json()


async def groups_of(emulator: Any, user_id: str) -> list[dict[str, str]]:
    status, answer = await call(emulator, "/user/group/query.json", f"userId={user_id}")
    assert status == 200
    groups: list[dict[str, str]] = answer["groups"]
    return groups


async def members_of(emulator: Any, group_id: str) -> list[str]:
    status, answer = await call(emulator, "/group/user/query.json", f"groupId={group_id}")
    assert status == 200 and list(answer) == ["code", "users"]
    return [user["id"] for user in answer["users"]]


def required(name: str) -> tuple[int, dict[str, Any]]:
    return 400, {"code": 1002, "errorMessage": f"Paramer '{name}' is required"}


async def test_create_with_unencoded_body(im_emulator) -> None:
    body = "userId=rc-a&userId=rc-b&groupId=rc-grp&groupName=Group One 中文 ok".encode()
    assert await call(im_emulator, "/group/create.json", body) == (200, OK)
    assert await groups_of(im_emulator, "rc-a") == [{"name": "Group One 中文 ok", "id": "rc-grp"}]
    assert await members_of(im_emulator, "rc-grp") == ["rc-a", "rc-b"]


async def test_create_with_encoded_body(im_emulator) -> None:
    body = "userId=rc%20a&userId=bob&groupId=rc-enc&groupName=Group+One%20%E4%B8%AD%E6%96%87"
    assert await call(im_emulator, "/group/create.json", body) == (200, OK)
    assert await groups_of(im_emulator, "rc%20a") == [{"name": "Group One 中文", "id": "rc-enc"}]


async def test_created_group_in_the_shared_store(im_emulator) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_750_000_000)
    assert await call(im_emulator, "/group/create.json",
                      "userId=rc-new&userId=alice&groupId=rc-store&groupName=Stored") == (200, OK)
    group = await im_emulator.store.get_group("rc-store")
    assert (group.name, group.type, group.owner, group.status) == ("Stored", "work", "rc-new",
                                                                   "normal")
    assert group.create_time_ms == 1_750_000_000_000 and group.member_count == 2
    roles = {m.user_id: m.role for m in await im_emulator.store.members("rc-store")}
    assert roles == {"rc-new": "owner", "alice": "member"}
    newcomer = await im_emulator.store.get_user("rc-new")
    assert newcomer is not None and newcomer.name == ""
    alice = await im_emulator.store.get_user("alice")
    assert alice is not None and alice.name


async def test_create_on_existing_group_joins(im_emulator) -> None:
    await call(im_emulator, "/group/create.json", "userId=rc-a&groupId=rc-twice&groupName=One")
    assert await call(im_emulator, "/group/create.json",
                      "userId=rc-b&userId=rc-a&groupId=rc-twice&groupName=Two") == (200, OK)
    assert await members_of(im_emulator, "rc-twice") == ["rc-a", "rc-b"]
    assert await groups_of(im_emulator, "rc-b") == [{"name": "Two", "id": "rc-twice"}]


async def test_create_repeated_user_ids_once(im_emulator) -> None:
    assert await call(im_emulator, "/group/create.json",
                      "userId=rc-a&userId=rc-a&groupId=rc-dup&groupName=D") == (200, OK)
    assert await members_of(im_emulator, "rc-dup") == ["rc-a"]


@pytest.mark.parametrize("body,name", [
    ("groupId=g&groupName=n", "userId"),
    ("userId=&groupId=g&groupName=n", "userId"),
    ("userId=a&groupName=n", "groupId"),
    ("userId=a&groupId=g", "groupName"),
    ("userId=a&groupId=g&groupName=", "groupName"),
])
async def test_create_required_fields(im_emulator, body: str, name: str) -> None:
    assert await call(im_emulator, "/group/create.json", body) == required(name)


async def test_create_limits(im_emulator) -> None:
    long_id = "g" * 65
    assert await call(im_emulator, "/group/create.json",
                      f"userId=a&groupId={long_id}&groupName=n") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'groupId' must be at most 64."})
    assert await call(im_emulator, "/group/create.json",
                      f"userId=a&groupId=g&groupName={'n' * 65}") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'groupName' must be at most 64."})
    assert await call(im_emulator, "/group/create.json",
                      f"userId={'u' * 65}&groupId=g&groupName=n") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'userId' must be at most 64."})
    many = "&".join(f"userId=rc-{i}" for i in range(1001))
    assert await call(im_emulator, "/group/create.json", f"{many}&groupId=g&groupName=n") == \
        (400, {"code": 1502,
               "errorMessage": "Paramer 'userId' takes at most 1000 values, got 1001."})
    assert await im_emulator.store.get_group("g") is None


async def test_group_capacity_3000(im_emulator) -> None:
    for batch in range(3):
        users = "&".join(f"userId=rc-{batch}-{i}" for i in range(1000))
        assert await call(im_emulator, "/group/join.json", f"{users}&groupId=rc-big") == (200, OK)
    assert len(await members_of(im_emulator, "rc-big")) == 3000
    assert await call(im_emulator, "/group/join.json", "userId=rc-0-5&groupId=rc-big") == (200, OK)
    assert await call(im_emulator, "/group/join.json", "userId=one-more&groupId=rc-big") == \
        (405, {"code": 1502,
               "errorMessage": "A group holds at most 3000 members; this would make 3001."})


async def test_join_creates_unknown_group_and_keeps_name(im_emulator) -> None:
    assert await call(im_emulator, "/group/join.json", "userId=rc-j&groupId=rc-joined") == (200, OK)
    assert await groups_of(im_emulator, "rc-j") == [{"name": "", "id": "rc-joined"}]
    await call(im_emulator, "/group/join.json", "userId=rc-k&groupId=rc-joined&groupName=Named")
    await call(im_emulator, "/group/join.json", "userId=rc-l&groupId=rc-joined")
    assert await groups_of(im_emulator, "rc-l") == [{"name": "Named", "id": "rc-joined"}]


async def test_join_existing_fixture_group(im_emulator) -> None:
    assert await call(im_emulator, "/group/join.json", "userId=zoe&groupId=g-hiking") == (200, OK)
    assert {"name": "Hiking", "id": "g-hiking"} in await groups_of(im_emulator, "zoe")
    assert (await im_emulator.store.get_group("g-hiking")).type == "work"


async def test_join_required_fields(im_emulator) -> None:
    assert await call(im_emulator, "/group/join.json", "groupId=g-hiking") == required("userId")
    assert await call(im_emulator, "/group/join.json", "userId=a") == required("groupId")


async def test_quit(im_emulator) -> None:
    before = await members_of(im_emulator, "g-hiking")
    assert "alice" in before
    assert await call(im_emulator, "/group/quit.json",
                      "userId=alice&userId=not-a-member&groupId=g-hiking") == (200, OK)
    assert await members_of(im_emulator, "g-hiking") == [m for m in before if m != "alice"]
    assert "g-hiking" not in [g["id"] for g in await groups_of(im_emulator, "alice")]
    assert await call(im_emulator, "/group/quit.json", "userId=alice&groupId=nowhere") == (200, OK)
    assert await call(im_emulator, "/group/quit.json", "groupId=g-hiking") == required("userId")
    assert await call(im_emulator, "/group/quit.json", "userId=alice") == required("groupId")


async def test_dismiss_hides_and_recreate_starts_fresh(im_emulator) -> None:
    assert await call(im_emulator, "/group/dismiss.json", "userId=anyone&groupId=g-hiking") == \
        (200, OK)
    assert (await im_emulator.store.get_group("g-hiking")).status == "dismissed"
    assert "g-hiking" not in [g["id"] for g in await groups_of(im_emulator, "alice")]
    assert await members_of(im_emulator, "g-hiking") == []
    assert await call(im_emulator, "/group/quit.json", "userId=alice&groupId=g-hiking") == (200, OK)
    assert await call(im_emulator, "/group/dismiss.json", "userId=x&groupId=g-hiking") == (200, OK)
    assert await call(im_emulator, "/group/create.json",
                      "userId=rc-z&groupId=g-hiking&groupName=Hiking Again") == (200, OK)
    assert await members_of(im_emulator, "g-hiking") == ["rc-z"]
    assert await groups_of(im_emulator, "rc-z") == [{"name": "Hiking Again", "id": "g-hiking"}]
    group = await im_emulator.store.get_group("g-hiking")
    assert group.status == "normal" and group.owner == "rc-z"


async def test_dismiss_unknown_and_required(im_emulator) -> None:
    assert await call(im_emulator, "/group/dismiss.json", "userId=a&groupId=nowhere") == (200, OK)
    assert await call(im_emulator, "/group/dismiss.json", "groupId=g-hiking") == required("userId")
    assert await call(im_emulator, "/group/dismiss.json", "userId=a") == required("groupId")


async def test_group_members_query(im_emulator) -> None:
    assert await members_of(im_emulator, "nowhere") == []
    assert await members_of(im_emulator, "g-old-project") == []
    members = await members_of(im_emulator, "g-book-club")
    assert members[0] == "carol" and set(members) == {"carol", "alice", "erin", "frank", "heavy",
                                                      "li_lei"}
    assert await call(im_emulator, "/group/user/query.json", "groupId=") == required("groupId")


async def test_get_token_registers_and_refreshes(im_emulator) -> None:
    status, answer = await call(im_emulator, "/user/getToken.json",
                                "userId=rc-t&name=Tee 中&portraitUri=http://x/y.png")
    assert status == 200 and list(answer) == ["code", "userId", "token"]
    assert answer["code"] == 200 and answer["userId"] == "rc-t"
    assert answer["token"].endswith("@emulator.cn.rongnav.com;emulator.cn.rongcfg.com")
    user = await im_emulator.store.get_user("rc-t")
    assert (user.name, user.face_url) == ("Tee 中", "http://x/y.png")
    _, again = await call(im_emulator, "/user/getToken.json", "userId=rc-t&name=&portraitUri=")
    assert again["token"] != answer["token"]
    user = await im_emulator.store.get_user("rc-t")
    assert (user.name, user.face_url) == ("Tee 中", "http://x/y.png")
    await call(im_emulator, "/user/getToken.json", "userId=rc-t&name=Renamed")
    assert (await im_emulator.store.get_user("rc-t")).name == "Renamed"


async def test_get_token_checks(im_emulator) -> None:
    assert await call(im_emulator, "/user/getToken.json", "name=x") == required("userId")
    assert await call(im_emulator, "/user/getToken.json", "userId=rc-t") == required("name")
    assert await call(im_emulator, "/user/getToken.json", f"userId=rc-t&name={'n' * 65}") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'name' must be at most 64."})
    assert await call(im_emulator, "/user/getToken.json",
                      f"userId=rc-t&name=n&portraitUri={'p' * 1025}") == \
        (400, {"code": 1005,
               "errorMessage": "Length of paramer 'portraitUri' must be at most 1024 bytes."})
    assert await im_emulator.store.get_user("rc-t") is None


async def test_unknown_path_is_404(im_emulator) -> None:
    response = await im_emulator.client.post("/group/nothing.json", content=b"groupId=a")
    assert response.status_code == 404
    assert response.json() == {"code": 404, "errorMessage": "Not Found"}


async def test_body_that_is_not_utf8(im_emulator) -> None:
    assert await call(im_emulator, "/user/group/query.json", b"userId=%ff%fe") == \
        (400, {"code": 1002, "errorMessage": "The body is not valid UTF-8 form data."})


async def test_get_without_body(im_emulator) -> None:
    response = await im_emulator.client.get("/user/group/query.json?userId=alice",
                                            auth=RongCloudAuth())
    assert response.status_code == 400
    assert response.json() == {"code": 1003, "errorMessage": "No POST data."}
