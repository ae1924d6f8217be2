"""The message log seen from outside the store: ``/_emulator/messages``, the new fields in
``/_emulator/state``, reset restoring the fixture's messages, and the pytest helpers
``messages()`` and ``wait_for_message()`` on both fixtures."""

from __future__ import annotations

import threading
from typing import Any

import anyio
import pytest

from emulator.pytest_plugin import InProcessEmulator, ServerEmulator

FIXTURE = "data/notices.json"
CLUB = {"users": [{"id": "alice"}, {"id": "bob"}],
        "groups": [{"id": "g-club", "name": "Club", "type": "work", "owner": "alice",
                    "members": ["bob"]}],
        "messages": [{"group": "g-club", "sender": "alice", "time": 5, "body": "first"}]}


async def post_notice(emulator: InProcessEmulator, group: str, text: str) -> None:
    """A backend's "post a group notice" step. Until a vendor exposes its send endpoint, it
    writes through the store, as that endpoint will."""
    await emulator.store.append_message(group, sender="alice", vendor="tencent", type="notice",
                                        body={"text": text}, now_ms=emulator.clock.now_ms())


@pytest.mark.anyio
@pytest.mark.im_emulator_fixtures(FIXTURE)
async def test_get_and_delete_messages(im_emulator: InProcessEmulator) -> None:
    client = im_emulator.client
    answer = (await client.get("/_emulator/messages")).json()
    assert answer == {"messages": [
        {"group": "g-club", "seq": 1, "time": 1700000000000, "sender": "alice",
         "vendor": "fixture", "type": "text", "body": {"text": "welcome"}, "recalled": False,
             "kind": "message"},
        {"group": "g-club", "seq": 2, "time": 1700000001000, "sender": "bob",
         "vendor": "fixture", "type": "custom", "body": "hi", "recalled": False,
             "kind": "message"}]}
    await post_notice(im_emulator, "g-club", "meeting at 5")
    for query, seqs in (({"sender": "bob"}, [2]), ({"since_seq": "1"}, [2, 3]),
                        ({"vendor": "tencent"}, [3]), ({"group": "g-none"}, [])):
        got = (await client.get("/_emulator/messages", params=query)).json()["messages"]
        assert [m["seq"] for m in got] == seqs, query
    bad = await client.get("/_emulator/messages", params={"since_seq": "x"})
    assert bad.status_code == 400 and "since_seq" in bad.json()["error"]
    assert (await client.delete("/_emulator/messages")).json() == {"cleared": True, "deleted": 3}
    assert (await client.get("/_emulator/messages")).json() == {"messages": []}
    await client.post("/_emulator/reset")
    assert [m["seq"] for m in im_emulator.messages()] == [1, 2]


@pytest.mark.anyio
@pytest.mark.im_emulator_fixtures(FIXTURE)
async def test_state_shows_the_new_fields(im_emulator: InProcessEmulator) -> None:
    state = (await im_emulator.client.get("/_emulator/state")).json()
    club = state["groups"][0]
    assert (club["attributes"], club["whitelist"], club["mute_all"], club["next_msg_seq"],
            club["info_seq"]) == ({"topic": "chess"}, ["bob"], True, 3, 0)
    bob = next(m for m in state["memberships"] if m["user_id"] == "bob")
    assert (bob["nickname"], bob["mute_until_ms"]) == ("Bobby", 4102444800000)


@pytest.mark.anyio
@pytest.mark.im_emulator_fixtures(FIXTURE)
async def test_a_backend_posts_a_group_notice(im_emulator: InProcessEmulator) -> None:
    await post_notice(im_emulator, "g-club", "meeting at 5")
    assert im_emulator.messages(group="g-club", sender="alice")[-1]["body"] == {"text": "meeting at 5"}


@pytest.mark.anyio
@pytest.mark.im_emulator_fixtures(FIXTURE)
async def test_wait_for_message_in_process(im_emulator: InProcessEmulator) -> None:
    async def later() -> None:
        await anyio.sleep(0.05)
        await post_notice(im_emulator, "g-club", "late")

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(later)
        found = await im_emulator.wait_for_message(
            group="g-club", predicate=lambda m: m["body"] == {"text": "late"}, timeout=5)
    assert found["seq"] == 3
    first = await im_emulator.wait_for_message(group="g-club", timeout=0)
    assert first["seq"] == 1
    with pytest.raises(AssertionError, match="no matching message .group='g-club'"):
        await im_emulator.wait_for_message(group="g-club", predicate=lambda m: False,
                                           timeout=0.02)


def test_the_server_fixture_reads_and_waits(im_emulator_server: ServerEmulator) -> None:
    im_emulator_server.reset(CLUB)
    assert [m["body"] for m in im_emulator_server.messages(group="g-club")] == ["first"]
    assert im_emulator_server.messages(sender="nobody") == []

    def later(fixture: dict[str, Any]) -> None:
        threading.Event().wait(0.05)
        im_emulator_server.seed(fixture)

    second = {**CLUB, "messages": [*CLUB["messages"],  # type: ignore[list-item]
                                   {"group": "g-club", "sender": "bob", "body": "second"}]}
    thread = threading.Thread(target=later, args=(second,))
    thread.start()
    try:
        found = im_emulator_server.wait_for_message(
            group="g-club", predicate=lambda m: m["sender"] == "bob", timeout=5)
    finally:
        thread.join()
    assert (found["seq"], found["body"]) == (2, "second")
    with pytest.raises(AssertionError):
        im_emulator_server.wait_for_message(group="g-club", predicate=lambda m: False,
                                            timeout=0.05)
