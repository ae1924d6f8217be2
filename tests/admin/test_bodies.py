"""Bodies the admin API refuses: a 400 (or 413) in the admin error shape that changes nothing.

Deep nesting, NaN and infinities, numbers out of range, lone surrogates (as ids, names and
fault-rule fields), UTF-16 bodies and bodies over the seed limit.
"""

from __future__ import annotations

import codecs
import json

import pytest

from emulator.clock import LATEST
from emulator.faults import FaultSpecError
from emulator.store import FixtureError
from tests.admin.helpers import JSON, snapshot

pytestmark = pytest.mark.anyio

ROUTES = ("/_emulator/seed", "/_emulator/reset", "/_emulator/clock", "/_emulator/faults")


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


async def refused(client, path: str, body: bytes, status: int = 400) -> str:
    await client.post("/_emulator/clock", json={"freeze": True})
    before = await snapshot(client)
    response = await client.post(path, content=body, headers=JSON)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert isinstance(error, str) and error
    assert await snapshot(client) == before
    return error


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
async def test_deep_nesting_is_400(im_emulator, path: str, depth: int) -> None:
    im_emulator.clock.freeze()
    body = b'{"fixture": ' + nested(depth) + b"}" if path.endswith("reset") else nested(depth)
    error = await refused(im_emulator.client, path, body)
    assert "deeper than 32" in error or "not" in error


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e999",
                                    b"9" * 30, b"9" * 5000])
async def test_non_finite_and_out_of_range_numbers_are_400(im_emulator, path: str,
                                                           number: bytes) -> None:
    im_emulator.clock.freeze()
    key = {"/_emulator/clock": b"set", "/_emulator/faults": b"times"}.get(path, b"users")
    await refused(im_emulator.client, path, b'{"' + key + b'": ' + number + b"}")


@pytest.mark.parametrize("surrogate", ["\\ud800", "\\udfff", "a\\udbff"])
@pytest.mark.parametrize("template", [
    '{{"users": [{{"id": "{s}", "name": "X"}}]}}',
    '{{"users": [{{"id": "x", "name": "{s}"}}]}}',
    '{{"groups": [{{"id": "{s}", "name": "G", "type": "work", "owner": "alice"}}]}}',
    '{{"{s}": 1}}',
])
async def test_lone_surrogates_in_a_seed_are_400(im_emulator, surrogate: str,
                                                 template: str) -> None:
    im_emulator.clock.freeze()
    body = template.format(s=surrogate).encode()
    error = await refused(im_emulator.client, "/_emulator/seed", body)
    assert "surrogate" in error
    reset = ('{"fixture": ' + template.format(s=surrogate) + "}").encode()
    await refused(im_emulator.client, "/_emulator/reset", reset)


@pytest.mark.parametrize("field", ["user", "app", "endpoint"])
async def test_a_fault_rule_with_a_surrogate_is_400_and_not_saved(im_emulator,
                                                                 field: str) -> None:
    im_emulator.clock.freeze()
    body = json.dumps({"vendor": "tencent", field: "\ud800", "status": 503}).encode()
    error = await refused(im_emulator.client, "/_emulator/faults", body)
    assert "surrogate" in error
    listed = await im_emulator.client.get("/_emulator/faults")
    assert (listed.status_code, listed.json()) == (200, {"faults": []})


def test_the_in_process_helpers_refuse_surrogates_too(im_emulator) -> None:
    with pytest.raises(FaultSpecError, match="surrogate"):
        im_emulator.fault(vendor="tencent", user="\udfff", status=503)


async def test_in_process_seed_refuses_surrogates(im_emulator) -> None:
    im_emulator.clock.freeze()
    before = await snapshot(im_emulator.client)
    with pytest.raises(FixtureError, match="surrogate"):
        await im_emulator.seed({"users": [{"id": "\ud800", "name": "x"}]})
    assert await snapshot(im_emulator.client) == before


@pytest.mark.parametrize("body", [
    {"set": -1e18}, {"set": -1}, {"set": LATEST + 1}, {"set": 1e308}, {"advance": 1e308},
    {"advance": -1e18}, {"advance": LATEST},
])
async def test_clock_values_outside_what_vendors_represent_are_400(im_emulator,
                                                                   body: dict) -> None:
    im_emulator.clock.freeze()
    error = await refused(im_emulator.client, "/_emulator/clock", json.dumps(body).encode())
    assert "2038" in error or "outside" in error


async def test_the_clock_takes_its_whole_range(im_emulator) -> None:
    client = im_emulator.client
    assert (await client.post("/_emulator/clock", json={"set": 0})).status_code == 200
    top = await client.post("/_emulator/clock", json={"set": LATEST})
    assert top.status_code == 200
    await client.post("/_emulator/clock", json={"freeze": True})
    assert (await client.post("/_emulator/clock", json={"advance": 1})).status_code == 400
    assert (await client.post("/_emulator/clock", json={"advance": -LATEST})).json()["now"] == 0


async def test_after_a_refused_clock_the_vendors_still_answer(im_emulator) -> None:
    client = im_emulator.client
    for body in (b'{"set": NaN}', b'{"set": Infinity}', b'{"advance": 1e999}'):
        assert (await client.post("/_emulator/clock", content=body,
                                  headers=JSON)).status_code == 400
    now = await client.get("/_emulator/clock")
    assert now.status_code == 200 and 1e9 < now.json()["now"] < LATEST
    assert (await client.post("/_emulator/clock", json={"freeze": False})).status_code == 200
    assert (await client.get("/_emulator/journal")).status_code == 200


@pytest.mark.parametrize("bom, name", [(codecs.BOM_UTF16_LE, "UTF-16"),
                                       (codecs.BOM_UTF16_BE, "UTF-16"),
                                       (codecs.BOM_UTF32_LE, "UTF-32")])
async def test_a_utf16_seed_says_it_is_not_utf8(im_emulator, bom: bytes, name: str) -> None:
    encoding = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be",
                codecs.BOM_UTF32_LE: "utf-32-le"}[bom]
    body = bom + '{"users": []}'.encode(encoding)
    error = await refused(im_emulator.client, "/_emulator/seed", body)
    assert error.startswith(f"the body is not UTF-8 JSON: it starts with a {name} byte-order")
    assert "codec" not in error


async def test_invalid_utf8_is_400_and_a_utf8_bom_is_ignored(im_emulator) -> None:
    error = await refused(im_emulator.client, "/_emulator/seed", b'{"users": ["\xff"]}')
    assert error.startswith("the body is not UTF-8 JSON")
    body = codecs.BOM_UTF8 + b'{"users": [{"id": "zed", "name": "Zed"}]}'
    response = await im_emulator.client.post("/_emulator/seed", content=body, headers=JSON)
    assert response.status_code == 200


@pytest.mark.im_emulator_settings(max_seed_body_bytes=1000, max_body_bytes=100)
async def test_seed_and_other_admin_bodies_have_their_own_caps(im_emulator) -> None:
    im_emulator.clock.freeze()
    users = [{"id": f"u{i}", "name": "x"} for i in range(10)]
    small = json.dumps({"users": users}).encode()
    assert 100 < len(small) <= 1000
    ok = await im_emulator.client.post("/_emulator/seed", content=small, headers=JSON)
    assert ok.status_code == 200
    big = json.dumps({"users": users * 10}).encode()
    error = await refused(im_emulator.client, "/_emulator/seed", big, status=413)
    assert "1000-byte limit" in error
    clock = json.dumps({"set": 1_700_000_000, "pad": "x" * 200}).encode()
    assert "100-byte limit" in await refused(im_emulator.client, "/_emulator/clock", clock, 413)


@pytest.mark.im_emulator_settings(max_seed_body_bytes=100_000)
async def test_a_chunked_seed_over_the_cap_is_413_and_read_no_further(im_emulator) -> None:
    sent = 0

    async def chunks():
        nonlocal sent
        yield b'{"users": ['
        for _ in range(1000):
            sent += 1
            yield b'{"id": "x", "name": "' + b"y" * 10_000 + b'"},'
        yield b"]}"

    response = await im_emulator.client.post("/_emulator/seed", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert sent < 20
