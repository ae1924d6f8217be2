"""The admin API under /_emulator/: every route, its errors, and isolation between tests."""

from __future__ import annotations

import httpx
import pytest

from emulator.version import __version__

pytestmark = pytest.mark.anyio

NEW = {"users": [{"id": "zara", "name": "Zara"}],
       "groups": [{"id": "g-new", "name": "New", "type": "public", "owner": "zara",
                   "members": ["alice"]}]}


async def test_health_ready_version(im_emulator) -> None:
    client = im_emulator.client
    health = await client.get("/_emulator/health")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert health.headers["x-emulator-version"] == __version__
    assert (await client.get("/_emulator/ready")).json() == {"ready": True}
    version = (await client.get("/_emulator/version")).json()
    assert version["name"] == "im-emulator" and version["version"] == __version__


async def test_ready_is_503_until_seeded(im_emulator) -> None:
    im_emulator.services.ready = False
    response = await im_emulator.client.get("/_emulator/ready")
    assert (response.status_code, response.json()) == (503, {"ready": False})


async def test_state_shows_the_fixture(im_emulator) -> None:
    state = (await im_emulator.client.get("/_emulator/state")).json()
    assert set(state) == {"users", "groups", "memberships", "join_requests"}
    hiking = next(g for g in state["groups"] if g["id"] == "g-hiking")
    assert (hiking["name"], hiking["owner"], hiking["type"], hiking["member_count"]) == (
        "Hiking", "alice", "work", 5)
    assert {"group_id": "g-hiking", "user_id": "bob", "role": "admin"}.items() <= next(
        m for m in state["memberships"] if m["group_id"] == "g-hiking" and m["user_id"] == "bob"
    ).items()


async def test_seed_adds_and_reset_restores(im_emulator) -> None:
    client = im_emulator.client
    response = await client.post("/_emulator/seed", json=NEW)
    assert (response.status_code, response.json()) == (
        200, {"users": 1, "groups": 1, "memberships": 2})
    state = (await client.get("/_emulator/state")).json()
    assert any(g["id"] == "g-new" for g in state["groups"])
    assert (await client.post("/_emulator/reset")).json() == {"reset": True}
    state = (await client.get("/_emulator/state")).json()
    assert not any(g["id"] == "g-new" for g in state["groups"])
    assert not any(u["id"] == "zara" for u in state["users"])


async def test_seed_replaces_by_id(im_emulator) -> None:
    body = {"groups": [{"id": "g-hiking", "name": "Hiking 2", "type": "public", "owner": "bob"}]}
    assert (await im_emulator.client.post("/_emulator/seed", json=body)).status_code == 200
    group = await im_emulator.store.get_group("g-hiking")
    assert (group.name, group.owner, group.member_count) == ("Hiking 2", "bob", 1)


@pytest.mark.parametrize(("body", "error"), [
    (b"{", "the body is not JSON"),
    (b"", "the body must be a fixture object"),
    (b'{"groups": [{"id": "g", "name": "G", "type": "work", "owner": "ghost"}]}',
     "seed: groups[0].owner: user 'ghost' is not defined"),
    (b'{"users": [{"id": "x", "colour": "red"}]}',
     "seed: users[0].colour: unknown key 'colour' (allowed: createTime, ex, faceURL, id, name)"),
])
async def test_seed_errors_are_400_json(im_emulator, body: bytes, error: str) -> None:
    response = await im_emulator.client.post("/_emulator/seed", content=body,
                                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"].startswith(error)


async def test_seed_error_names_the_path(im_emulator) -> None:
    body = {"groups": [{"id": "g", "name": "G", "type": "work", "owner": "alice",
                        "members": ["bob", "nobody"]}]}
    response = await im_emulator.client.post("/_emulator/seed", json=body)
    assert response.json() == {
        "error": "seed: groups[0].members[1]: user 'nobody' is not defined", "source": "seed",
        "path": "groups[0].members[1]", "message": "user 'nobody' is not defined"}
    assert await im_emulator.store.get_group("g") is None


async def test_reset_to_a_given_fixture(im_emulator) -> None:
    client = im_emulator.client
    alone = {"users": NEW["users"], "groups": [{"id": "g-new", "name": "New", "type": "public",
                                                "owner": "zara"}]}
    response = await client.post("/_emulator/reset", json={"fixture": alone})
    assert response.status_code == 200
    state = (await client.get("/_emulator/state")).json()
    assert [u["id"] for u in state["users"]] == ["zara"]
    assert [g["id"] for g in state["groups"]] == ["g-new"]
    bad = await client.post("/_emulator/reset", json={"fixture": {"groups": 3}})
    assert (bad.status_code, bad.json()["path"]) == (400, "groups")
    assert (await client.post("/_emulator/reset", json={"other": 1})).status_code == 400
    await client.post("/_emulator/reset")
    state = (await client.get("/_emulator/state")).json()
    assert any(g["id"] == "g-hiking" for g in state["groups"])


async def test_clock_commands(im_emulator) -> None:
    client = im_emulator.client
    frozen = (await client.post("/_emulator/clock", json={"freeze": True})).json()
    assert frozen["frozen"] is True
    assert (await client.get("/_emulator/clock")).json() == frozen
    moved = (await client.post("/_emulator/clock", json={"advance": 90})).json()
    assert moved == {"now": frozen["now"] + 90, "frozen": True}
    assert (await client.post("/_emulator/clock", json={"set": 1700000000})).json() == {
        "now": 1700000000.0, "frozen": True}
    assert im_emulator.clock.now() == 1700000000.0
    running = (await client.post("/_emulator/clock", json={"freeze": False})).json()
    assert running["frozen"] is False and running["now"] >= 1700000000.0


@pytest.mark.parametrize("body", [{}, {"freeze": 1}, {"advance": "1"}, {"set": True},
                                  {"rewind": 3}, {"freeze": True, "advance": 1}, [1]])
async def test_clock_errors(im_emulator, body: object) -> None:
    response = await im_emulator.client.post("/_emulator/clock", json=body)
    assert response.status_code == 400 and "error" in response.json()


async def test_unknown_admin_route_and_method(im_emulator) -> None:
    missing = await im_emulator.client.get("/_emulator/nothing")
    assert (missing.status_code, missing.json()) == (404, {"error": "Not Found"})
    wrong = await im_emulator.client.post("/_emulator/health")
    assert (wrong.status_code, wrong.json()) == (405, {"error": "Method Not Allowed"})


async def test_isolation_write(im_emulator) -> None:
    await im_emulator.seed(NEW)
    assert await im_emulator.store.get_group("g-new") is not None


async def test_isolation_read(im_emulator) -> None:
    assert await im_emulator.store.get_group("g-new") is None


@pytest.mark.im_emulator_fixtures("../data/tiny.json")
async def test_marker_chooses_the_fixture_file(im_emulator) -> None:
    state = (await im_emulator.client.get("/_emulator/state")).json()
    assert [g["id"] for g in state["groups"]] == ["tiny"]


def test_server_fixture_is_a_real_socket(im_emulator_server) -> None:
    im_emulator_server.seed(NEW)
    assert im_emulator_server.admin.get("/_emulator/health").json() == {"status": "ok"}
    im_emulator_server.clock.freeze()
    im_emulator_server.clock.set(1700000000)
    im_emulator_server.clock.advance(5)
    assert im_emulator_server.clock.now() == 1700000005.0


def test_server_fixture_resets_between_tests(im_emulator_server) -> None:
    state = im_emulator_server.admin.get("/_emulator/state").json()
    assert not any(g["id"] == "g-new" for g in state["groups"])
    assert im_emulator_server.admin.get("/_emulator/clock").json()["frozen"] is False


@pytest.mark.im_emulator_fixtures("../data/tiny.json")
def test_server_fixture_marker(im_emulator_server) -> None:
    state = im_emulator_server.admin.get("/_emulator/state").json()
    assert [g["id"] for g in state["groups"]] == ["tiny"]
