"""Who may use the admin API: loopback or configured Host only, no cross-origin request, writes
declared as JSON, and the bearer token when one is set (both pytest fixtures send theirs)."""

from __future__ import annotations

import httpx
import pytest

from emulator.app import create_app
from emulator.settings import Settings
from tests.admin.helpers import snapshot

pytestmark = pytest.mark.anyio


async def test_both_fixtures_protect_the_admin_api_with_a_token(im_emulator) -> None:
    assert im_emulator.admin_token
    bare = httpx.AsyncClient(transport=httpx.ASGITransport(app=im_emulator.app),
                             base_url="http://127.0.0.1")
    async with bare:
        missing = await bare.get("/_emulator/state")
        wrong = await bare.get("/_emulator/state", headers={"Authorization": "Bearer nope"})
        right = await bare.get("/_emulator/state",
                               headers={"Authorization": f"Bearer {im_emulator.admin_token}"})
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert missing.json() == {"error": "the admin API needs 'Authorization: Bearer TOKEN' "
                                       "(--admin-token)"}
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert (await im_emulator.client.get("/_emulator/state")).status_code == 200


def test_the_server_fixture_sends_its_token(im_emulator_server) -> None:
    assert im_emulator_server.admin_token
    assert httpx.get(f"{im_emulator_server.url}/_emulator/health").status_code == 401
    assert im_emulator_server.admin.get("/_emulator/health").json() == {"status": "ok"}


@pytest.mark.im_emulator_settings(admin_token="")
async def test_without_a_token_the_admin_api_is_open_to_loopback(im_emulator) -> None:
    bare = httpx.AsyncClient(transport=httpx.ASGITransport(app=im_emulator.app),
                             base_url="http://localhost:8000")
    async with bare:
        assert (await bare.get("/_emulator/health")).status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]:8000",
                                  "127.9.9.9", "app.localhost:80", "im-emulator.test"])
async def test_loopback_hosts_are_served(im_emulator, host: str) -> None:
    response = await im_emulator.client.get("/_emulator/health", headers={"Host": host})
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "10.0.0.1", "0.0.0.0",
                                  "127.0.0.1.evil.example", "[::ffff:8.8.8.8]", ""])
async def test_other_hosts_are_refused(im_emulator, host: str) -> None:
    im_emulator.clock.freeze()
    before = await snapshot(im_emulator.client)
    for method, path, body in (("GET", "/_emulator/state", None),
                               ("POST", "/_emulator/reset", None),
                               ("POST", "/_emulator/faults", {"vendor": "tencent", "drop": True})):
        response = await im_emulator.client.request(method, path, json=body,
                                                    headers={"Host": host})
        assert response.status_code == 403
        assert "Host" in response.json()["error"]
    assert await snapshot(im_emulator.client) == before


@pytest.mark.im_emulator_settings(admin_hosts="emulator, ci-box:9000", host="0.0.0.0")
async def test_admin_hosts_adds_names(im_emulator) -> None:
    for host in ("emulator:8000", "ci-box", "127.0.0.1"):
        response = await im_emulator.client.get("/_emulator/health", headers={"Host": host})
        assert response.status_code == 200, host
    refused = await im_emulator.client.get("/_emulator/health", headers={"Host": "0.0.0.0:8000"})
    assert refused.status_code == 403


@pytest.mark.im_emulator_settings(host="devbox.lan")
async def test_the_configured_host_is_served(im_emulator) -> None:
    response = await im_emulator.client.get("/_emulator/health",
                                            headers={"Host": "devbox.lan:8000"})
    assert response.status_code == 200


@pytest.mark.im_emulator_settings(admin_hosts="*")
async def test_admin_hosts_star_takes_any(im_emulator) -> None:
    response = await im_emulator.client.get("/_emulator/health", headers={"Host": "a.b"})
    assert response.status_code == 200


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"}, {"Origin": "null"},
    {"Origin": "http://localhost:3000"}, {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"}])
@pytest.mark.parametrize("method, path, content_type", [
    ("POST", "/_emulator/seed", "text/plain"), ("POST", "/_emulator/faults", "text/plain"),
    ("POST", "/_emulator/reset", None), ("GET", "/_emulator/state", None),
    ("OPTIONS", "/_emulator/seed", None), ("DELETE", "/_emulator/faults", None)])
async def test_cross_origin_requests_are_refused(im_emulator, headers: dict, method: str,
                                                 path: str, content_type: str | None) -> None:
    im_emulator.clock.freeze()
    before = await snapshot(im_emulator.client)
    sent = dict(headers)
    body = None
    if content_type:
        sent["Content-Type"] = content_type
        body = (b'{"users": [{"id": "mallory", "name": "M"}]}' if path.endswith("seed")
                else b'{"vendor": "tencent", "drop": true}')
    response = await im_emulator.client.request(method, path, content=body, headers=sent)
    assert (response.status_code, response.json()) == (
        403, {"error": "cross-origin requests to the admin API are refused"})
    assert "access-control-allow-origin" not in response.headers
    assert await snapshot(im_emulator.client) == before


async def test_same_origin_requests_are_served(im_emulator) -> None:
    response = await im_emulator.client.get("/_emulator/health", headers={
        "Host": "127.0.0.1:8000", "Origin": "http://127.0.0.1:8000",
        "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x", None])
@pytest.mark.parametrize("path", ["/_emulator/seed", "/_emulator/faults", "/_emulator/clock",
                                  "/_emulator/reset"])
async def test_admin_writes_need_a_json_content_type(im_emulator, content_type: str | None,
                                                     path: str) -> None:
    im_emulator.clock.freeze()
    before = await snapshot(im_emulator.client)
    body = b'{"users": []}' if path.endswith("seed") else b'{"freeze": false}'
    headers = {"Content-Type": content_type} if content_type else {}
    response = await im_emulator.client.post(path, content=body, headers=headers)
    assert (response.status_code, response.json()) == (
        415, {"error": "admin writes need Content-Type: application/json"})
    assert await snapshot(im_emulator.client) == before


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON", "application/merge-patch+json"])
async def test_json_content_types_are_taken(im_emulator, content_type: str) -> None:
    response = await im_emulator.client.post("/_emulator/clock", content=b'{"freeze": true}',
                                             headers={"Content-Type": content_type})
    assert response.status_code == 200


async def test_bodiless_admin_writes_need_no_content_type(im_emulator) -> None:
    assert (await im_emulator.client.post("/_emulator/reset")).status_code == 200
    assert (await im_emulator.client.delete("/_emulator/faults")).status_code == 200


async def test_vendor_paths_are_not_guarded() -> None:
    app = create_app(Settings(admin_token="secret"))
    services = app.state.services
    await services.start()
    try:
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                   base_url="http://evil.example")
        async with client:
            response = await client.post("/v4/group_open_http_svc/get_joined_group_list",
                                         content=b"{}", headers={"Origin": "http://x",
                                                                 "Content-Type": "text/plain"})
        assert response.status_code == 200
        assert response.json()["ActionStatus"] == "FAIL"
    finally:
        await services.stop()
