"""How a test author checks a backend that posts group notices through OpenIM's
``/msg/send_msg``: the backend talks to the emulator as to the real server (``OpenIMAuth``
fetches the admin token), and the test asserts the notice in one line on the message log
(``im_emulator.messages`` / ``wait_for_message``)."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest

from emulator.signing import OpenIMAuth

pytestmark = pytest.mark.anyio


class NoticeBackend:
    """The code under test: posts a text notice to a group as its owner, as an app does."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def create_club(self, group_id: str) -> None:
        answer = (await self.client.post("/group/create_group", json={
            "ownerUserID": "alice", "memberUserIDs": ["bob", "carol"],
            "groupInfo": {"groupID": group_id, "groupName": "Club", "groupType": 2}})).json()
        assert answer["errCode"] == 0, answer

    async def post_notice(self, group_id: str, text: str) -> str:
        answer = (await self.client.post("/msg/send_msg", json={
            "sendID": "alice", "groupID": group_id, "sessionType": 3, "contentType": 101,
            "content": {"content": text}})).json()
        if answer["errCode"] != 0:
            raise RuntimeError(answer["errDlt"])
        return str(answer["data"]["serverMsgID"])


@pytest.fixture
def backend(im_emulator: Any) -> NoticeBackend:
    # The backend's own client, on the emulator's app (a real backend gets its base URL).
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=im_emulator.app),
                               base_url=str(im_emulator.client.base_url), auth=OpenIMAuth())
    return NoticeBackend(client)


async def test_the_backend_posts_a_group_notice(im_emulator: Any, backend: NoticeBackend) -> None:
    await backend.create_club("g-club")
    await backend.post_notice("g-club", "meeting at 5")
    assert im_emulator.messages(group="g-club", vendor="openim")[-1]["body"]["content"] == {
        "content": "meeting at 5"}


async def test_waiting_for_a_notice_posted_later(im_emulator: Any,
                                                 backend: NoticeBackend) -> None:
    await backend.create_club("g-club")

    async def later() -> None:
        await anyio.sleep(0.05)
        await backend.post_notice("g-club", "doors open")

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(later)
        found = await im_emulator.wait_for_message(
            group="g-club", predicate=lambda m: m["body"]["content"] == {"content": "doors open"})
    # Seq 1 is the group's creation notification, as on the real server.
    assert (found["sender"], found["type"], found["seq"]) == ("alice", "text", 2)


async def test_a_muted_group_refuses_the_notice_of_a_member(im_emulator: Any,
                                                            backend: NoticeBackend) -> None:
    await backend.create_club("g-club")
    await backend.client.post("/group/mute_group", json={"groupID": "g-club"})
    answer = (await backend.client.post("/msg/send_msg", json={
        "sendID": "bob", "groupID": "g-club", "sessionType": 3, "contentType": 101,
        "content": {"content": "hi"}})).json()
    assert answer["errCode"] == 1403
    # Only the server's own notifications: created (1501) and muted (1514).
    assert [(m["kind"], m["body"]["contentType"]) for m in im_emulator.messages(
        group="g-club")] == [("system", 1501), ("system", 1514)]
