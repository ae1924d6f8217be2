"""Groups: ``/user/group/query.json`` (required userId, unpaged (first 5000) and paged answers,
size defaults and caps, the join order, unknown users and dismissed groups),
``/group/create.json`` (encoded and unencoded bodies, its limits, the group it leaves in the
shared store) and ``/group/dismiss.json``."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.anyio

QUERY = "/user/group/query.json"
CREATE = "/group/create.json"
DISMISS = "/group/dismiss.json"
OK = {"code": 200}
BASE_MS = 1_700_000_000_000
COUNTS = (0, 50, 51, 250)


def paging_fixture(groups: int = 250) -> dict[str, Any]:
    """Users in 0, 50, 51 and 250 groups; group i is joined at BASE_MS + (groups - i), so the
    join order runs opposite to the id order."""
    users = [{"id": "rc-owner", "name": "Owner"}] + [{"id": f"rc-u{n}"} for n in COUNTS]
    rows = []
    for i in range(groups):
        joined = BASE_MS + (groups - i)
        members = [{"id": f"rc-u{n}", "joinTime": joined} for n in COUNTS if i < n]
        rows.append({"id": f"rc-g-{i:04d}", "name": f"RC {i:04d}", "type": "work",
                     "owner": "rc-owner", "createTime": BASE_MS, "members": members})
    return {"users": users, "groups": rows}


def expected(count: int) -> list[dict[str, str]]:
    """The first ``count`` groups in join order (the highest index joined first)."""
    return [{"name": f"RC {i:04d}", "id": f"rc-g-{i:04d}"} for i in reversed(range(count))]


@pytest.fixture
async def paged(im_emulator, rongcloud) -> Any:
    await im_emulator.seed(paging_fixture())
    return rongcloud


# --- /user/group/query.json -------------------------------------------------------------------

async def test_missing_user_id(rongcloud) -> None:
    for body in ("page=1", "userId=", "userId=&page=1"):
        status, answer = await rongcloud.call(QUERY, body)
        assert (status, answer) == (400, {"code": 1002,
                                          "errorMessage": "Paramer 'userId' is required"})


@pytest.mark.parametrize("field,value", [("page", "-1"), ("page", "x"), ("size", "1.5"),
                                         ("size", "-3"), ("page", "٣")])
async def test_bad_numbers(rongcloud, field: str, value: str) -> None:
    status, answer = await rongcloud.call(QUERY, f"userId=alice&{field}={value}")
    assert status == 400
    assert answer == {"code": 1002,
                      "errorMessage": f"Paramer '{field}' is invalid: must be a non-negative "
                                      "integer"}


async def test_seed_page_shape(rongcloud) -> None:
    status, answer = await rongcloud.call(QUERY, "userId=carol")
    assert status == 200 and list(answer) == ["code", "groups"] and answer["code"] == 200
    assert all(list(group) == ["name", "id"] for group in answer["groups"])


async def test_unknown_user(rongcloud) -> None:
    assert await rongcloud.call(QUERY, "userId=nobody-at-all") == (200, {"code": 200, "groups": []})
    assert await rongcloud.call(QUERY, "userId=nobody-at-all&page=1") == \
        (200, {"code": 200, "groups": []})


@pytest.mark.parametrize("count", COUNTS)
async def test_unpaged_and_page_zero(paged, count: int) -> None:
    for body in (f"userId=rc-u{count}", f"userId=rc-u{count}&page=0",
                 f"userId=rc-u{count}&page=0&size=1"):
        assert await paged.call(QUERY, body) == (200, {"code": 200, "groups": expected(count)})


@pytest.mark.parametrize("count", COUNTS)
async def test_pages_of_default_size(paged, count: int) -> None:
    everything = expected(count)
    collected: list[dict[str, str]] = []
    page = 1
    while True:
        status, answer = await paged.call(QUERY, f"userId=rc-u{count}&page={page}")
        assert status == 200
        if not answer["groups"]:
            break
        assert len(answer["groups"]) <= 50
        collected += answer["groups"]
        page += 1
    assert collected == everything
    assert page == -(-count // 50) + 1


async def test_page_edges_for_51(paged) -> None:
    first = await paged.call(QUERY, "userId=rc-u51&page=1")
    assert first == (200, {"code": 200, "groups": expected(51)[:50]})
    second = await paged.call(QUERY, "userId=rc-u51&page=2")
    assert second == (200, {"code": 200, "groups": expected(51)[50:]})
    assert await paged.call(QUERY, "userId=rc-u51&page=3") == (200, {"code": 200, "groups": []})
    assert await paged.call(QUERY, "userId=rc-u50&page=2") == (200, {"code": 200, "groups": []})


@pytest.mark.parametrize("size", ["1000", "1001", "5000", "999999999999999999"])
async def test_large_sizes_are_capped_at_1000(paged, size: str) -> None:
    assert await paged.call(QUERY, f"userId=rc-u250&page=1&size={size}") == \
        (200, {"code": 200, "groups": expected(250)})
    assert await paged.call(QUERY, f"userId=rc-u250&page=2&size={size}") == \
        (200, {"code": 200, "groups": []})


async def test_size_zero_means_default(paged) -> None:
    status, answer = await paged.call(QUERY, "userId=rc-u250&page=1&size=0")
    assert status == 200 and answer["groups"] == expected(250)[:50]


async def test_size_one_walks_every_group(paged) -> None:
    status, answer = await paged.call(QUERY, "userId=rc-u51&page=51&size=1")
    assert answer["groups"] == expected(51)[50:]
    assert await paged.call(QUERY, "userId=rc-u51&page=52&size=1") == \
        (200, {"code": 200, "groups": []})


async def test_huge_page_number(paged) -> None:
    assert await paged.call(QUERY, "userId=rc-u250&page=999999999999999999&size=1000") == \
        (200, {"code": 200, "groups": []})


async def test_size_without_page_is_ignored(paged) -> None:
    status, answer = await paged.call(QUERY, "userId=rc-u250&size=10")
    assert status == 200 and answer["groups"] == expected(250)


async def test_unpaged_returns_at_most_5000(im_emulator, rongcloud) -> None:
    await im_emulator.seed({"users": [{"id": "rc-many"}], "groups": [
        {"id": f"rc-g-{i:04d}", "name": f"RC {i:04d}", "type": "work", "owner": "rc-many",
         "createTime": BASE_MS} for i in range(5001)]})
    status, answer = await rongcloud.call(QUERY, "userId=rc-many")
    assert status == 200 and len(answer["groups"]) == 5000
    status, answer = await rongcloud.call(QUERY, "userId=rc-many&page=6&size=1000")
    assert status == 200 and len(answer["groups"]) == 1


async def test_dismissed_groups_are_invisible(im_emulator, rongcloud) -> None:
    status, answer = await rongcloud.call(QUERY, "userId=heavy")
    ids = [group["id"] for group in answer["groups"]]
    assert "g-old-project" not in ids
    assert "g-quiet" in ids and "g-pending" in ids
    state = (await im_emulator.client.get("/_emulator/state")).json()
    visible = {g["id"] for g in state["groups"] if g.get("status") != "dismissed"}
    expected_ids = {m["group_id"] for m in state["memberships"] if m["user_id"] == "heavy"}
    expected_ids &= visible
    assert set(ids) == expected_ids and len(ids) == len(expected_ids)


async def test_unicode_names(rongcloud) -> None:
    status, answer = await rongcloud.call(QUERY, "userId=li_lei")
    assert status == 200
    assert {"name": "中文群", "id": "g-chinese"} in answer["groups"]
    assert {"name": "Book Club 📚", "id": "g-book-club"} in answer["groups"]


# --- /group/create.json -----------------------------------------------------------------------

async def test_create_with_unencoded_body(rongcloud) -> None:
    body = "userId=rc-a&userId=rc-b&groupId=rc-grp&groupName=Group One 中文 ok".encode()
    assert await rongcloud.call(CREATE, body) == (200, OK)
    assert await rongcloud.groups_of("rc-a") == [{"name": "Group One 中文 ok", "id": "rc-grp"}]
    assert await rongcloud.members_of("rc-grp") == ["rc-a", "rc-b"]


async def test_create_with_encoded_body(rongcloud) -> None:
    body = "userId=rc%20a&userId=bob&groupId=rc-enc&groupName=Group+One%20%E4%B8%AD%E6%96%87"
    assert await rongcloud.call(CREATE, body) == (200, OK)
    assert await rongcloud.groups_of("rc%20a") == [{"name": "Group One 中文", "id": "rc-enc"}]


async def test_created_group_in_the_shared_store(im_emulator, rongcloud) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_750_000_000)
    assert await rongcloud.call(CREATE, "userId=rc-new&userId=alice&groupId=rc-store"
                                        "&groupName=Stored") == (200, OK)
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


async def test_create_on_existing_group_joins(rongcloud) -> None:
    await rongcloud.call(CREATE, "userId=rc-a&groupId=rc-twice&groupName=One")
    assert await rongcloud.call(CREATE, "userId=rc-b&userId=rc-a&groupId=rc-twice"
                                        "&groupName=Two") == (200, OK)
    assert await rongcloud.members_of("rc-twice") == ["rc-a", "rc-b"]
    assert await rongcloud.groups_of("rc-b") == [{"name": "Two", "id": "rc-twice"}]


async def test_create_repeated_user_ids_once(rongcloud) -> None:
    assert await rongcloud.call(CREATE, "userId=rc-a&userId=rc-a&groupId=rc-dup&groupName=D") == \
        (200, OK)
    assert await rongcloud.members_of("rc-dup") == ["rc-a"]


@pytest.mark.parametrize("body,name", [
    ("groupId=g&groupName=n", "userId"),
    ("userId=&groupId=g&groupName=n", "userId"),
    ("userId=a&groupName=n", "groupId"),
    ("userId=a&groupId=g", "groupName"),
    ("userId=a&groupId=g&groupName=", "groupName"),
])
async def test_create_required_fields(rongcloud, body: str, name: str) -> None:
    assert await rongcloud.call(CREATE, body) == rongcloud.required(name)


async def test_create_limits(im_emulator, rongcloud) -> None:
    long_id = "g" * 65
    assert await rongcloud.call(CREATE, f"userId=a&groupId={long_id}&groupName=n") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'groupId' must be at most 64."})
    assert await rongcloud.call(CREATE, f"userId=a&groupId=g&groupName={'n' * 65}") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'groupName' must be at most 64."})
    assert await rongcloud.call(CREATE, f"userId={'u' * 65}&groupId=g&groupName=n") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'userId' must be at most 64."})
    many = "&".join(f"userId=rc-{i}" for i in range(1001))
    assert await rongcloud.call(CREATE, f"{many}&groupId=g&groupName=n") == \
        (400, {"code": 1502,
               "errorMessage": "Paramer 'userId' takes at most 1000 values, got 1001."})
    assert await im_emulator.store.get_group("g") is None


# --- /group/dismiss.json ----------------------------------------------------------------------

async def test_dismiss_hides_and_recreate_starts_fresh(im_emulator, rongcloud) -> None:
    assert await rongcloud.call(DISMISS, "userId=anyone&groupId=g-hiking") == (200, OK)
    assert (await im_emulator.store.get_group("g-hiking")).status == "dismissed"
    assert "g-hiking" not in [g["id"] for g in await rongcloud.groups_of("alice")]
    assert await rongcloud.members_of("g-hiking") == []
    assert await rongcloud.call("/group/quit.json", "userId=alice&groupId=g-hiking") == (200, OK)
    assert await rongcloud.call(DISMISS, "userId=x&groupId=g-hiking") == (200, OK)
    assert await rongcloud.call(CREATE, "userId=rc-z&groupId=g-hiking&groupName=Hiking Again") == \
        (200, OK)
    assert await rongcloud.members_of("g-hiking") == ["rc-z"]
    assert await rongcloud.groups_of("rc-z") == [{"name": "Hiking Again", "id": "g-hiking"}]
    group = await im_emulator.store.get_group("g-hiking")
    assert group.status == "normal" and group.owner == "rc-z"


async def test_dismiss_unknown_and_required(rongcloud) -> None:
    assert await rongcloud.call(DISMISS, "userId=a&groupId=nowhere") == (200, OK)
    assert await rongcloud.call(DISMISS, "groupId=g-hiking") == rongcloud.required("userId")
    assert await rongcloud.call(DISMISS, "userId=a") == rongcloud.required("groupId")


REFRESH = "/group/refresh.json"
SYNC = "/group/sync.json"


async def test_refresh_renames(im_emulator, rongcloud) -> None:
    seq = (await im_emulator.store.get_group("g-hiking")).info_seq
    assert await rongcloud.call(REFRESH, "groupId=g-hiking&groupName=Hike %26 Bike") == \
        (200, {"code": 200})
    assert {"name": "Hike & Bike", "id": "g-hiking"} in await rongcloud.groups_of("alice")
    assert (await im_emulator.store.get_group("g-hiking")).info_seq == seq + 1


async def test_refresh_unknown_or_dismissed_group_creates_nothing(im_emulator,
                                                                  rongcloud) -> None:
    assert await rongcloud.call(REFRESH, "groupId=nowhere&groupName=X") == (200, {"code": 200})
    assert await im_emulator.store.get_group("nowhere") is None
    assert await rongcloud.call(REFRESH, "groupId=g-old-project&groupName=X") == \
        (200, {"code": 200})
    assert (await im_emulator.store.get_group("g-old-project")).name != "X"


async def test_refresh_fields(rongcloud) -> None:
    assert await rongcloud.call(REFRESH, "groupName=X") == rongcloud.required("groupId")
    assert await rongcloud.call(REFRESH, "groupId=g-hiking") == rongcloud.required("groupName")
    assert await rongcloud.call(REFRESH, "groupId=g-hiking&groupName=" + "n" * 65) == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'groupName' must be at most 64."})


async def test_sync_leaves_exactly_the_listed_groups(rongcloud) -> None:
    before = await rongcloud.groups_of("alice")
    assert len(before) > 2 and {"name": "Hiking", "id": "g-hiking"} in before
    assert await rongcloud.call(SYNC, "userId=alice&group[g-hiking]=Hiking"
                                      "&group[rc-synced]=Synced 中文") == (200, {"code": 200})
    assert await rongcloud.groups_of("alice") == [{"name": "Hiking", "id": "g-hiking"},
                                                  {"name": "Synced 中文", "id": "rc-synced"}]
    assert await rongcloud.members_of("rc-synced") == ["alice"]
    for gone in before:
        if gone["id"] != "g-hiking":
            assert "alice" not in await rongcloud.members_of(gone["id"])


async def test_sync_keeps_existing_names_and_is_idempotent(rongcloud) -> None:
    body = "userId=zoe&group[g-hiking]=Hiking!"
    assert await rongcloud.call(SYNC, body) == (200, {"code": 200})
    assert await rongcloud.call(SYNC, body) == (200, {"code": 200})
    assert await rongcloud.groups_of("zoe") == [{"name": "Hiking", "id": "g-hiking"}]


async def test_sync_fields(rongcloud) -> None:
    assert await rongcloud.call(SYNC, "group[g-hiking]=x") == rongcloud.required("userId")
    assert await rongcloud.call(SYNC, "userId=alice") == rongcloud.required("group")
    assert await rongcloud.call(SYNC, "userId=alice&group[]=x") == \
        (400, {"code": 1002,
               "errorMessage": "Paramer 'group[]' is invalid: must be written group[<groupId>]"})
    assert await rongcloud.call(SYNC, f"userId=alice&group[{'g' * 65}]=x") == \
        (400, {"code": 1005, "errorMessage": "Length of paramer 'groupId' must be at most 64."})
