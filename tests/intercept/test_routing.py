"""``intercept()``'s routing: which hosts reach the emulator, over which clients, and that
every other host is left alone (proved with a local server), with the hooks gone afterwards."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import urllib3

from emulator import intercept
from emulator.intercept import DEFAULT_HOSTS, Interceptor

TENCENT_HOSTS = DEFAULT_HOSTS["tencent"]
RONGCLOUD_HOSTS = DEFAULT_HOSTS["rongcloud"]
ZEGO_HOSTS = DEFAULT_HOSTS["zego"]

TENCENT_UNKNOWN = {"ActionStatus": "FAIL", "ErrorCode": 60012,
                   "ErrorInfo": "the request URL has no sdkappid"}
RONGCLOUD_404 = {"code": 404, "errorMessage": "Not Found"}


class Local:
    """A loopback HTTP server on a free port that records what reached it."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                outer.seen.append((self.command, self.path))
                body = json.dumps({"local": True, "path": self.path}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def local() -> Iterator[Local]:
    server = Local()
    try:
        yield server
    finally:
        server.close()


def test_other_hosts_pass_through_every_client(local: Local) -> None:
    with intercept() as emulator:
        assert requests.get(f"{local.url}/requests").json()["local"] is True
        assert urllib3.request("GET", f"{local.url}/urllib3").json()["local"] is True
        assert httpx.get(f"{local.url}/httpx").json()["local"] is True
        with urllib.request.urlopen(f"{local.url}/urllib") as response:
            assert json.loads(response.read())["local"] is True

        async def both() -> None:
            async with httpx.AsyncClient() as client:
                assert (await client.get(f"{local.url}/httpx-async")).json()["local"] is True
            async with aiohttp.ClientSession() as session:
                async with session.post(f"{local.url}/aiohttp", json={"a": 1}) as response:
                    assert (await response.json())["local"] is True

        asyncio.run(both())
        assert emulator.journal() == []
    assert [path for _, path in local.seen] == [
        "/requests", "/urllib3", "/httpx", "/urllib", "/httpx-async", "/aiohttp"]


def test_vendor_hosts_over_http_and_https_reach_the_emulator_with_no_socket(
        local: Local) -> None:
    with intercept() as emulator:
        for scheme in ("http", "https"):
            assert requests.post(f"{scheme}://console.tim.qq.com/v4/a/b").json() == \
                TENCENT_UNKNOWN
            answer = httpx.post(f"{scheme}://api-b.rong-api.com/nope.json")
            assert (answer.status_code, answer.json()) == (404, RONGCLOUD_404)
            assert answer.headers["x-emulator-version"]
        assert len(emulator.journal(vendor="tencent")) == 2
        assert len(emulator.journal(vendor="rongcloud")) == 2
    assert local.seen == []


@pytest.mark.parametrize("host", [TENCENT_HOSTS[0], "adminapisgp.im.qcloud.com",
                                  "adminapiidn.my-imcloud.com"])
def test_each_tencent_host_gets_tencents_own_answer_for_any_path(host: str) -> None:
    with intercept():
        for path in ("/", "/group/get_groups_info", "/x.json", "/_emulator/state"):
            assert requests.post(f"https://{host}{path}").json() == TENCENT_UNKNOWN


def test_an_unmatched_path_gets_the_host_vendors_answer_not_another_vendors() -> None:
    with intercept(hosts={"openim": ["openim.test"]}) as emulator:
        assert requests.get("https://api.sg-light-api.com/v4/x/y").json() == RONGCLOUD_404
        zego = requests.post("https://zim-api.zego.im/v4/a/b").json()
        assert zego["Code"] == 100000006
        assert requests.get("https://zim-api.zego.im/?Action=Nope").json()["Code"] == 100000007
        openim = requests.post("http://openim.test/x.json").json()
        assert openim["errCode"] == 1001  # OpenIM's header check, not RongCloud's 404
        admin = requests.get("https://console.tim.qq.com/_emulator/state")
        assert admin.json() == TENCENT_UNKNOWN  # no admin API on a vendor's host
        assert [e["vendor"] for e in emulator.journal()] == [
            "rongcloud", "zego", "zego", "openim", "tencent"]


def test_urllib_and_urllib3_and_async_clients_reach_the_emulator() -> None:
    with intercept() as emulator:
        assert urllib3.request("POST", "https://console.tim.qq.com/v4/a/b").json() == \
            TENCENT_UNKNOWN
        request = urllib.request.Request("http://api-cn.ronghub.com/nope.json", data=b"a=1")
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request)
        assert (caught.value.code, json.loads(caught.value.read())) == (404, RONGCLOUD_404)

        async def both() -> None:
            async with httpx.AsyncClient() as client:
                answer = await client.post("https://adminapiusa.im.qcloud.com/v4/a/b")
                assert answer.json() == TENCENT_UNKNOWN
            async with aiohttp.ClientSession() as session:
                async with session.get("https://zim-api-sgp.zego.im/") as response:
                    assert (await response.json())["Code"] == 100000006

        asyncio.run(both())
        assert len(emulator.journal()) == 4


def test_the_default_host_lists() -> None:
    assert {"console.tim.qq.com", "adminapisgp.im.qcloud.com", "adminapiger.im.qcloud.com",
            "adminapiusa.im.qcloud.com", "adminapikr.im.qcloud.com",
            "adminapiind.im.qcloud.com", "adminapiidn.im.qcloud.com"} <= set(TENCENT_HOSTS)
    assert {"api.rong-api.com", "api-b.rong-api.com", "api.sg-light-api.com",
            "api.us-light-api.com", "api-cn.ronghub.com"} <= set(RONGCLOUD_HOSTS)
    assert "zim-api.zego.im" in ZEGO_HOSTS
    assert DEFAULT_HOSTS["openim"] == ()  # self-hosted: the caller names its hosts


def test_hosts_are_extendable_and_ports_matter() -> None:
    routing = Interceptor(hosts={"tencent": ["tim.proxy.example"],
                                 "openim": ["openim.example:10002", "OpenIM.Other."]})
    assert routing.vendor_for("tim.proxy.example", None, "https") == "tencent"
    assert routing.vendor_for("console.tim.qq.com", 443, "https") == "tencent"
    assert routing.vendor_for("openim.example", 10002, "http") == "openim"
    assert routing.vendor_for("openim.example", 10003, "http") is None
    assert routing.vendor_for("openim.other", 80, "http") == "openim"
    assert routing.vendor_for("example.com", None, "https") is None
    only = Interceptor(hosts={"tencent": ["tim.proxy.example"]}, replace=True)
    assert only.vendor_for("console.tim.qq.com", None, "https") is None
    assert only.hosts["tencent"] == ("tim.proxy.example",)
    with pytest.raises(ValueError, match="unknown vendor"):
        Interceptor(hosts={"slack": ["slack.com"]})


def test_a_named_extra_host_is_served(local: Local) -> None:
    with intercept(hosts={"tencent": ["tim.proxy.example"]}):
        assert requests.post("https://tim.proxy.example/v4/a/b").json() == TENCENT_UNKNOWN


def test_the_hooks_are_removed_afterwards() -> None:
    originals = (httpx.HTTPTransport.handle_request,
                 httpx.AsyncHTTPTransport.handle_async_request,
                 urllib3.connectionpool.HTTPConnectionPool.urlopen,
                 urllib.request.HTTPHandler.http_open, urllib.request.HTTPSHandler.https_open,
                 aiohttp.TCPConnector._create_connection)
    with intercept():
        assert httpx.HTTPTransport.handle_request is not originals[0]
        with intercept():
            pass
        assert httpx.HTTPTransport.handle_request is not originals[0]
    assert (httpx.HTTPTransport.handle_request,
            httpx.AsyncHTTPTransport.handle_async_request,
            urllib3.connectionpool.HTTPConnectionPool.urlopen,
            urllib.request.HTTPHandler.http_open, urllib.request.HTTPSHandler.https_open,
            aiohttp.TCPConnector._create_connection) == originals


def test_nested_intercepts_the_inner_one_answers() -> None:
    with intercept() as outer:
        with intercept() as inner:
            requests.post("https://console.tim.qq.com/v4/a/b")
            assert len(inner.journal()) == 1 and outer.journal() == []
        requests.post("https://console.tim.qq.com/v4/a/b")
        assert len(outer.journal()) == 1


def test_no_socket_and_no_name_lookup_for_a_vendor_host(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket
    reached: list[str] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        reached.append(repr(args[:2]))
        raise OSError("the network was reached")

    with intercept(hosts={"openim": ["openim.test:10002"]}) as emulator:
        monkeypatch.setattr(socket, "getaddrinfo", refuse)
        monkeypatch.setattr(socket, "create_connection", refuse)
        monkeypatch.setattr(socket.socket, "connect", refuse)
        requests.post("https://console.tim.qq.com/v4/a/b")
        urllib3.request("POST", "http://api.rong-api.com/x.json")
        httpx.get("https://zim-api.zego.im/")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen("https://api.us-light-api.com/x.json")

        async def both() -> None:
            async with httpx.AsyncClient() as client:
                await client.post("http://openim.test:10002/group/get_groups_info")
            async with aiohttp.ClientSession() as session:
                async with session.post("https://adminapiger.im.qcloud.com/v4/a/b") as answer:
                    await answer.read()

        asyncio.run(both())
        monkeypatch.undo()
        assert reached == []
        assert len(emulator.journal()) == 6


def test_a_signed_unknown_command_gets_tencents_unknown_command_code() -> None:
    from emulator.signing import TencentAuth
    with intercept():
        answer = httpx.post("https://console.tim.qq.com/v4/nosuch/cmd", json={},
                            auth=TencentAuth()).json()
    assert answer["ErrorCode"] == 60009
