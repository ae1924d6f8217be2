"""``/user/group/query.json``: required userId, unpaged (first 5000) and paged answers, size
defaults and caps, the join order, unknown users and dismissed groups."""

from __future__ import annotations

from typing import Any

import pytest

from emulator.signing import RongCloudAuth

pytestmark = pytest.mark.anyio

QUERY = "/user/group/query.json"
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


def expected(count: int, groups: int = 250) -> list[dict[str, str]]:
    """The first ``count`` groups in join order (the highest index joined first)."""
    return [{"name": f"RC {i:04d}", "id": f"rc-g-{i:04d}"} for i in reversed(range(count))]


async def query(emulator: Any, body: str | bytes) -> tuple[int, dict[str, Any]]:
    content = body.encode() if isinstance(body, str) else body
    response = await emulator.client.post(QUERY, content=content, auth=RongCloudAuth(),
                                          headers={"Content-Type":
                                                   "application/x-www-form-urlencoded"})
    return response.status_code, response.json()


@pytest.fixture
async def paged(im_emulator) -> Any:
    await im_emulator.seed(paging_fixture())
    return im_emulator


async def test_missing_user_id(im_emulator) -> None:
    for body in ("page=1", "userId=", "userId=&page=1"):
        status, answer = await query(im_emulator, body)
        assert (status, answer) == (400, {"code": 1002,
                                          "errorMessage": "Paramer 'userId' is required"})


async def test_empty_body(im_emulator) -> None:
    status, answer = await query(im_emulator, b"")
    assert (status, answer) == (400, {"code": 1003, "errorMessage": "No POST data."})


@pytest.mark.parametrize("field,value", [("page", "-1"), ("page", "x"), ("size", "1.5"),
                                         ("size", "-3"), ("page", "٣")])
async def test_bad_numbers(im_emulator, field: str, value: str) -> None:
    status, answer = await query(im_emulator, f"userId=alice&{field}={value}")
    assert status == 400
    assert answer == {"code": 1002,
                      "errorMessage": f"Paramer '{field}' is invalid: must be a non-negative "
                                      "integer"}


async def test_seed_page_shape(im_emulator) -> None:
    status, answer = await query(im_emulator, "userId=carol")
    assert status == 200 and list(answer) == ["code", "groups"] and answer["code"] == 200
    assert all(list(group) == ["name", "id"] for group in answer["groups"])


async def test_unknown_user(im_emulator) -> None:
    assert await query(im_emulator, "userId=nobody-at-all") == (200, {"code": 200, "groups": []})
    assert await query(im_emulator, "userId=nobody-at-all&page=1") == \
        (200, {"code": 200, "groups": []})


@pytest.mark.parametrize("count", COUNTS)
async def test_unpaged_and_page_zero(paged, count: int) -> None:
    for body in (f"userId=rc-u{count}", f"userId=rc-u{count}&page=0",
                 f"userId=rc-u{count}&page=0&size=1"):
        assert await query(paged, body) == (200, {"code": 200, "groups": expected(count)})


@pytest.mark.parametrize("count", COUNTS)
async def test_pages_of_default_size(paged, count: int) -> None:
    everything = expected(count)
    collected: list[dict[str, str]] = []
    page = 1
    while True:
        status, answer = await query(paged, f"userId=rc-u{count}&page={page}")
        assert status == 200
        if not answer["groups"]:
            break
        assert len(answer["groups"]) <= 50
        collected += answer["groups"]
        page += 1
    assert collected == everything
    assert page == -(-count // 50) + 1


async def test_page_edges_for_51(paged) -> None:
    first = await query(paged, "userId=rc-u51&page=1")
    assert first == (200, {"code": 200, "groups": expected(51)[:50]})
    second = await query(paged, "userId=rc-u51&page=2")
    assert second == (200, {"code": 200, "groups": expected(51)[50:]})
    assert await query(paged, "userId=rc-u51&page=3") == (200, {"code": 200, "groups": []})
    assert await query(paged, "userId=rc-u50&page=2") == (200, {"code": 200, "groups": []})


@pytest.mark.parametrize("size", ["1000", "1001", "5000", "999999999999999999"])
async def test_large_sizes_are_capped_at_1000(paged, size: str) -> None:
    assert await query(paged, f"userId=rc-u250&page=1&size={size}") == \
        (200, {"code": 200, "groups": expected(250)})
    assert await query(paged, f"userId=rc-u250&page=2&size={size}") == \
        (200, {"code": 200, "groups": []})


async def test_size_zero_means_default(paged) -> None:
    status, answer = await query(paged, "userId=rc-u250&page=1&size=0")
    assert status == 200 and answer["groups"] == expected(250)[:50]


async def test_size_one_walks_every_group(paged) -> None:
    status, answer = await query(paged, "userId=rc-u51&page=51&size=1")
    assert answer["groups"] == expected(51)[50:]
    assert await query(paged, "userId=rc-u51&page=52&size=1") == (200, {"code": 200, "groups": []})


async def test_huge_page_number(paged) -> None:
    assert await query(paged, "userId=rc-u250&page=999999999999999999&size=1000") == \
        (200, {"code": 200, "groups": []})


async def test_size_without_page_is_ignored(paged) -> None:
    status, answer = await query(paged, "userId=rc-u250&size=10")
    assert status == 200 and answer["groups"] == expected(250)


async def test_unpaged_returns_at_most_5000(im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "rc-many"}], "groups": [
        {"id": f"rc-g-{i:04d}", "name": f"RC {i:04d}", "type": "work", "owner": "rc-many",
         "createTime": BASE_MS} for i in range(5001)]})
    status, answer = await query(im_emulator, "userId=rc-many")
    assert status == 200 and len(answer["groups"]) == 5000
    status, answer = await query(im_emulator, "userId=rc-many&page=6&size=1000")
    assert status == 200 and len(answer["groups"]) == 1


async def test_dismissed_groups_are_invisible(im_emulator) -> None:
    status, answer = await query(im_emulator, "userId=heavy")
    ids = [group["id"] for group in answer["groups"]]
    assert "g-old-project" not in ids
    assert "g-quiet" in ids and "g-pending" in ids
    state = (await im_emulator.client.get("/_emulator/state")).json()
    visible = {g["id"] for g in state["groups"] if g.get("status") != "dismissed"}
    expected_ids = {m["group_id"] for m in state["memberships"] if m["user_id"] == "heavy"}
    expected_ids &= visible
    assert set(ids) == expected_ids and len(ids) == len(expected_ids)


async def test_unicode_names(im_emulator) -> None:
    status, answer = await query(im_emulator, "userId=li_lei")
    assert status == 200
    assert {"name": "中文群", "id": "g-chinese"} in answer["groups"]
    assert {"name": "Book Club 📚", "id": "g-book-club"} in answer["groups"]
