"""The inspector's admin endpoints without a browser: the static shell loads without the
token (and nothing else does), /_emulator/overview counts the store, /_emulator/rate-limits
switches every limit."""

from __future__ import annotations

import httpx
import pytest

from emulator.app import create_app
from emulator.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["/_emulator/ui", "/_emulator/ui/", "/_emulator/ui/app.js",
                                  "/_emulator/ui/style.css", "/_emulator/ui/config.json"])
async def test_the_shell_loads_without_the_token(path: str) -> None:
    app = create_app(Settings(admin_token="secret"))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                     base_url="http://127.0.0.1") as client:
            answer = await client.get(path)
            assert answer.status_code == 200
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
            if path.endswith("config.json"):
                assert answer.json() == {"token_required": True}
            # Still only from a loopback Host and the page's own origin.
            assert (await client.get(path, headers={"Host": "evil.example"})).status_code == 403
            assert (await client.get(path, headers={"Origin": "http://evil.example"})
                    ).status_code == 403


@pytest.mark.parametrize("path", ["/_emulator/ui/nope.js", "/_emulator/overview",
                                  "/_emulator/rate-limits", "/_emulator/uix"])
async def test_everything_else_still_needs_the_token(path: str) -> None:
    app = create_app(Settings(admin_token="secret"))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                     base_url="http://127.0.0.1") as client:
            assert (await client.get(path)).status_code == 401
            assert (await client.post("/_emulator/ui", json={})).status_code == 401


async def test_overview_counts_the_store(im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "quinn"}],
                            "groups": [{"id": "g1", "name": "G", "type": "public", "owner": "quinn"}],
                            "messages": [{"group": "g1", "sender": "quinn", "body": "hi"}]})
    state = (await im_emulator.client.get("/_emulator/state")).json()
    info = (await im_emulator.client.get("/_emulator/overview")).json()
    assert info["counts"] == {"users": len(state["users"]), "groups": len(state["groups"]),
                              "memberships": len(state["memberships"]), "messages": 1}
    assert info["ready"] is True and info["rate_limits"] is True and info["faults"] == 0
    assert set(info["clock"]) == {"now", "frozen"}
    assert info["journal"]["size"] >= 1


async def test_rate_limits_switch(im_emulator) -> None:
    client = im_emulator.client
    assert (await client.get("/_emulator/rate-limits")).json() == {"enabled": True}
    assert (await client.post("/_emulator/rate-limits", json={"enabled": False})).json() == {
        "enabled": False}
    for bad in ({}, {"enabled": 1}, {"enabled": True, "x": 1}, []):
        answer = await client.post("/_emulator/rate-limits", json=bad)
        assert answer.status_code == 400
    assert (await client.get("/_emulator/rate-limits")).json() == {"enabled": False}
    answer = await client.post("/_emulator/rate-limits", content=b"enabled=true",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 415
