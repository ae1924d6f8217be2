"""Property: every admin route, fed arbitrary JSON (NaN, infinities, huge and tiny numbers,
deep nesting, lone surrogates, wrong types, fixture- and rule-shaped objects with any leaf),
never answers 5xx, always answers in the admin shape, and after any 4xx the store, the clock
and the fault rules are exactly as before."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.admin.helpers import JSON, snapshot

# A small store keeps each example's before/after snapshot cheap.
pytestmark = [pytest.mark.anyio, pytest.mark.im_emulator_fixtures("../data/tiny.json")]

surrogates = st.sampled_from(["\ud800", "\udfff", "a\udbff", "\udc00b"])
texts = st.text(max_size=12) | surrogates | st.sampled_from(["alice", "bob", "g-hiking", ""])
numbers = st.one_of(
    st.integers(), st.integers(-2**70, 2**70), st.floats(), st.floats(allow_nan=True,
                                                                     allow_infinity=True),
    st.sampled_from([0, -1, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -2**63 - 1, 10**400,
                     1e308, -1e308, 5e-324, 1e-400, 1_700_000_000, 1_700_000_000_000,
                     float("nan"), float("inf"), -float("inf")]))
leaves = st.none() | st.booleans() | numbers | texts
values = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(texts, inner, max_size=4), max_leaves=12)

USER_KEYS = ["id", "name", "faceURL", "ex", "createTime", "x"]
GROUP_KEYS = ["id", "name", "type", "status", "activated", "owner", "admins", "members",
              "createTime", "introduction", "notification", "faceURL", "ex", "maxMembers",
              "applyJoinOption", "muteAll", "x"]
MEMBER_KEYS = ["id", "joinTime", "msgFlag", "nickname", "x"]
ids = st.sampled_from(["solo", "tiny", "alice", "zed", "g-hiking"]) | texts


def shaped(keys: list[str], required: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[
        dict[str, Any]]:
    return st.fixed_dictionaries(required, optional={key: values | ids for key in keys
                                                     if key not in required})


members = st.lists(ids | shaped(MEMBER_KEYS, {"id": ids}), max_size=3)
users = shaped(USER_KEYS, {"id": ids, "name": texts})
groups = st.fixed_dictionaries(
    {"id": ids, "name": texts, "type": st.sampled_from(["work", "public", "meeting", "x"]),
     "owner": ids},
    optional={**{key: values for key in GROUP_KEYS if key not in ("id", "name", "type", "owner")},
              "members": members, "admins": members})
fixtures = st.fixed_dictionaries({}, optional={"users": st.lists(users, max_size=3) | values,
                                               "groups": st.lists(groups, max_size=2) | values,
                                               "messages": values, "x": values})
clock_bodies = st.dictionaries(st.sampled_from(["freeze", "advance", "set", "rewind"]),
                               values | numbers, min_size=0, max_size=2)
rules = st.fixed_dictionaries(
    {"vendor": st.sampled_from(["tencent", "openim", "nobody"]) | texts},
    optional={**{key: values for key in ["endpoint", "app", "times", "probability", "seed",
                                         "delay_ms", "drop", "x"]},
              "error": st.fixed_dictionaries({"code": numbers}) | values, "user": texts | values,
              "status": st.sampled_from([502, 503, 500, 502.0]) | values})


def deep(depth: int) -> Any:
    value: Any = 1
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


nested = st.integers(20, 3000).map(deep)
WRITES: dict[str, st.SearchStrategy[Any]] = {
    "/_emulator/seed": fixtures | values | nested,
    "/_emulator/reset": st.fixed_dictionaries({"fixture": fixtures | values}) | values | nested,
    "/_emulator/clock": clock_bodies | values | nested,
    "/_emulator/faults": rules | values | nested,
}
READS = ["/_emulator/health", "/_emulator/ready", "/_emulator/version", "/_emulator/journal"]


def encode(value: Any) -> bytes:
    """JSON text, with NaN/Infinity as Python writes them and lone surrogates escaped; a
    nesting too deep for the encoder is written by hand."""
    try:
        return json.dumps(value).encode()
    except RecursionError:
        return b"[" * 5000 + b"]" * 5000


def check_answer(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text)
    if response.status_code >= 400 or response.status_code < 300:
        assert response.headers["content-type"].startswith("application/json")
        data = response.json()
        assert isinstance(data, dict)
        if response.status_code >= 400:
            assert isinstance(data.get("error"), str) and data["error"]


# A third of the profile's examples per route: each example costs two snapshots of the store.
EXAMPLES = settings(max_examples=max(50, settings.default.max_examples // 3))


async def check_write(im_emulator: Any, path: str, value: Any) -> None:
    client = im_emulator.client
    await client.post("/_emulator/clock", json={"freeze": True})
    before = await snapshot(client)
    response = await client.post(path, content=encode(value), headers=JSON)
    check_answer(response)
    after = await snapshot(client)
    if response.status_code >= 400:
        assert after == before
    for read in READS:
        check_answer(await client.get(read))


@given(body=WRITES["/_emulator/seed"])
@EXAMPLES
async def test_seed_never_5xx_nor_keeps_damage(im_emulator: Any, body: Any) -> None:
    await check_write(im_emulator, "/_emulator/seed", body)


@given(body=WRITES["/_emulator/reset"])
@EXAMPLES
async def test_reset_never_5xx_nor_keeps_damage(im_emulator: Any, body: Any) -> None:
    await check_write(im_emulator, "/_emulator/reset", body)


@given(body=WRITES["/_emulator/clock"])
@EXAMPLES
async def test_clock_never_5xx_nor_keeps_damage(im_emulator: Any, body: Any) -> None:
    await check_write(im_emulator, "/_emulator/clock", body)


@given(body=WRITES["/_emulator/faults"])
@EXAMPLES
async def test_faults_never_5xx_nor_keeps_damage(im_emulator: Any, body: Any) -> None:
    await check_write(im_emulator, "/_emulator/faults", body)


@given(rule_id=st.integers(-2**70, 2**70) | st.text(max_size=8).map(lambda t: quote(
    t.encode("utf-8", "surrogatepass"), safe="")) | st.sampled_from(["%ed%a0%80", "%ff", "1%00"]),
       method=st.sampled_from(
    ["DELETE", "GET", "POST"]), path=st.sampled_from(["/_emulator/journal", "/_emulator/faults",
                                                      "/_emulator/faults/", "/_emulator/x"]))
async def test_other_admin_requests_never_answer_5xx(im_emulator: Any, rule_id: Any,
                                                     method: str, path: str) -> None:
    client = im_emulator.client
    for target in (path, f"/_emulator/faults/{rule_id}"):
        response = await client.request(method, target, headers=JSON)
        check_answer(response)
