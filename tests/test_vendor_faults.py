"""Fault injection, the request journal and the auth explain header, vendor by vendor.

Each vendor's "list a user's groups" call is driven in-process through the ``im_emulator``
fixture (rules added with ``.fault()``, calls checked with ``.journal()`` / ``.assert_called()``)
and, for the transport faults, over the real socket of ``im_emulator_server`` through the
``/_emulator/faults`` and ``/_emulator/journal`` admin API.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest

from emulator.pytest_plugin import InProcessEmulator, ServerEmulator
from emulator.signing import OpenIMAuth, RongCloudAuth, TencentAuth, ZegoAuth

pytestmark = pytest.mark.anyio

OPENIM_SECRET = "openIM123"
ZEGO_SECRET = "0123456789abcdef0123456789abcdef"
RONGCLOUD_SECRET = "test-app-secret"
TENCENT_KEY = "test-secret-key"


@dataclass(frozen=True)
class Target:
    """How to ask one vendor for a user's groups, and what its journal entries say."""

    vendor: str
    endpoint: str
    path: str
    app: str
    success_code: int
    request: Callable[[httpx.AsyncClient, Any, str, httpx.Auth | None], Awaitable[httpx.Response]]
    auth: Callable[[Any], httpx.Auth]
    bad_auth: Callable[[Any], httpx.Auth]


async def _openim(client: httpx.AsyncClient, clock: Any, user: str,
                  auth: httpx.Auth | None) -> httpx.Response:
    return await client.post("/group/get_joined_group_list", auth=auth or httpx.USE_CLIENT_DEFAULT,
                             json={"fromUserID": user,
                                   "pagination": {"pageNumber": 1, "showNumber": 5}})


async def _zego(client: httpx.AsyncClient, clock: Any, user: str,
                auth: httpx.Auth | None) -> httpx.Response:
    return await client.post("/", params={"Action": "QueryGroupsInfoOfUser"},
                             auth=auth or httpx.USE_CLIENT_DEFAULT,
                             json={"FromUserId": user, "Limit": 5})


async def _rongcloud(client: httpx.AsyncClient, clock: Any, user: str,
                     auth: httpx.Auth | None) -> httpx.Response:
    return await client.post("/user/group/query.json", auth=auth or httpx.USE_CLIENT_DEFAULT,
                             data={"userId": user})


async def _tencent(client: httpx.AsyncClient, clock: Any, user: str,
                   auth: httpx.Auth | None) -> httpx.Response:
    return await client.post("/v4/group_open_http_svc/get_joined_group_list",
                             auth=auth or httpx.USE_CLIENT_DEFAULT,
                             json={"Member_Account": user, "Limit": 5})


TARGETS = {
    "openim": Target("openim", "/group/get_joined_group_list", "/group/get_joined_group_list",
                     "", 0, _openim, lambda clock: OpenIMAuth(OPENIM_SECRET),
                     lambda clock: OpenIMAuth(token="not-a-token")),
    "zego": Target("zego", "QueryGroupsInfoOfUser", "/", "1234567890", 0, _zego,
                   lambda clock: ZegoAuth(clock=clock),
                   lambda clock: ZegoAuth(server_secret="f" * 32, clock=clock)),
    "rongcloud": Target("rongcloud", "/user/group/query.json", "/user/group/query.json",
                        "test-app-key", 200, _rongcloud,
                        lambda clock: RongCloudAuth(clock=clock.now),
                        lambda clock: RongCloudAuth(app_secret="wrong-secret", clock=clock.now)),
    "tencent": Target("tencent", "group_open_http_svc/get_joined_group_list",
                      "/v4/group_open_http_svc/get_joined_group_list", "1400000000", 0, _tencent,
                      lambda clock: TencentAuth(clock=clock),
                      lambda clock: TencentAuth(key="wrong-key", clock=clock)),
}
VENDORS = list(TARGETS)

# A vendor error code for each vendor, as that vendor renders it: (HTTP status, body).
ERROR_RENDERING: dict[str, tuple[int, dict[str, Any], int]] = {
    "openim": (500, {"errCode": 500, "errMsg": "ServerInternalError", "errDlt": ""}, 200),
    "zego": (660300005, {"Code": 660300005,
                         "Message": "Frequency limit: the AppID-level limit was exceeded."}, 200),
    "rongcloud": (1000, {"code": 1000,
                         "errorMessage": "Internal server error, please try again later."}, 500),
    "tencent": (10002, {"ActionStatus": "FAIL", "ErrorCode": 10002,
                        "ErrorInfo": "internal server error, please try again"}, 200),
}
SECRETS = {"openim": OPENIM_SECRET, "zego": ZEGO_SECRET, "rongcloud": RONGCLOUD_SECRET,
           "tencent": TENCENT_KEY}


async def ask(emulator: InProcessEmulator, vendor: str, user: str = "alice",
              auth: httpx.Auth | None = None) -> httpx.Response:
    """One signed "groups of ``user``" call to ``vendor`` through the in-process client."""
    target = TARGETS[vendor]
    return await target.request(emulator.client, emulator.clock, user,
                                auth or target.auth(emulator.clock))


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if key != "RequestId"}


@pytest.mark.parametrize("vendor", VENDORS)
async def test_error_code_rendered_in_the_vendors_envelope(im_emulator: InProcessEmulator,
                                                           vendor: str) -> None:
    code, body, status = ERROR_RENDERING[vendor]
    target = TARGETS[vendor]
    rule = im_emulator.fault(vendor=vendor, endpoint=target.endpoint, times=2,
                             error={"code": code})
    assert rule["fired"] == 0 and rule["error"] == {"code": code}
    answers = [await ask(im_emulator, vendor) for _ in range(3)]
    for response in answers[:2]:
        assert response.status_code == status
        assert without_request_id(response.json()) == body
    assert answers[2].status_code == 200
    entries = im_emulator.assert_called(vendor, target.endpoint, times=3)
    assert [(e["status"], e["code"]) for e in entries] == [
        (status, code), (status, code), (200, target.success_code)]
    assert [e["reason"] for e in entries[:2]] == [f"fault rule {rule['id']}: error {code}"] * 2
    assert entries[2]["reason"] == ""


@pytest.mark.parametrize("vendor", VENDORS)
async def test_rule_matched_by_path_app_and_user(im_emulator: InProcessEmulator,
                                                 vendor: str) -> None:
    """The user is the one the request is about (known before the rule is checked)."""
    code, body, status = ERROR_RENDERING[vendor]
    target = TARGETS[vendor]
    im_emulator.fault(vendor=vendor, endpoint=target.path, app=target.app or None, user="bob",
                      error={"code": code})
    assert (await ask(im_emulator, vendor, "alice")).status_code == 200
    bob = await ask(im_emulator, vendor, "bob")
    assert (bob.status_code, without_request_id(bob.json())) == (status, body)
    assert (await ask(im_emulator, vendor, "carol")).status_code == 200
    users = [(e["user"], e["code"]) for e in im_emulator.journal(vendor=vendor,
                                                                   endpoint=target.endpoint)]
    assert users == [("alice", target.success_code), ("bob", code),
                     ("carol", target.success_code)]


@pytest.mark.parametrize("vendor", VENDORS)
async def test_rule_for_another_app_or_endpoint_does_not_fire(im_emulator: InProcessEmulator,
                                                              vendor: str) -> None:
    im_emulator.fault(vendor=vendor, app="another-app", status=503)
    im_emulator.fault(vendor=vendor, endpoint="no/such/endpoint", status=503)
    other = next(name for name in VENDORS if name != vendor)
    im_emulator.fault(vendor=other, status=503)
    assert (await ask(im_emulator, vendor)).status_code == 200
    assert [rule["fired"] for rule in
            (r.as_json() for r in im_emulator.services.faults.rules())] == [0, 0, 0]


@pytest.mark.parametrize("vendor", VENDORS)
async def test_seeded_probability_and_bare_status(im_emulator: InProcessEmulator,
                                                  vendor: str) -> None:
    im_emulator.services.limiter.enabled = False
    im_emulator.fault(vendor=vendor, endpoint=TARGETS[vendor].endpoint, probability=0.3,
                      seed=42, status=502)
    answers = [await ask(im_emulator, vendor) for _ in range(12)]
    draws = random.Random(42)
    expected = [502 if draws.random() < 0.3 else 200 for _ in range(12)]
    assert [r.status_code for r in answers] == expected
    assert 502 in expected and 200 in expected
    for response in answers:
        if response.status_code == 502:
            assert response.text == "Bad Gateway"
            assert response.headers["content-type"] == "text/plain; charset=utf-8"
    entries = im_emulator.journal(vendor=vendor, endpoint=TARGETS[vendor].endpoint)
    assert [e["status"] for e in entries] == expected
    assert all(e["code"] is None for e in entries if e["status"] == 502)


@pytest.mark.parametrize("vendor", VENDORS)
async def test_drop_in_process(im_emulator: InProcessEmulator, vendor: str) -> None:
    im_emulator.fault(vendor=vendor, endpoint=TARGETS[vendor].endpoint, times=1, drop=True)
    with pytest.raises(httpx.RemoteProtocolError):
        await ask(im_emulator, vendor)
    assert (await ask(im_emulator, vendor)).status_code == 200
    reasons = [e["reason"] for e in im_emulator.journal(vendor=vendor,
                                                         endpoint=TARGETS[vendor].endpoint)]
    assert reasons[0] == "fault rule 1: drop" and reasons[1] == ""


async def test_a_delay_holds_the_answer_even_when_the_timer_wakes_early(
        im_emulator: InProcessEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """An event loop's timer may wake a little early (uvloop rounds to the millisecond); a delay
    rule still holds the answer for at least its delay."""
    real_sleep = asyncio.sleep

    async def early(seconds: float) -> None:
        await real_sleep(seconds / 2)

    im_emulator.fault(vendor="tencent", endpoint=TARGETS["tencent"].endpoint, times=1,
                      delay_ms=40)
    monkeypatch.setattr(asyncio, "sleep", early)
    assert (await ask(im_emulator, "tencent")).status_code == 200
    [entry] = im_emulator.journal(vendor="tencent", endpoint=TARGETS["tencent"].endpoint)
    assert entry["duration_ms"] >= 40 and entry["reason"].endswith(": delay 40 ms")


# --- over the real socket, through the admin API -------------------------------------------


def sync_ask(server: ServerEmulator, vendor: str, user: str = "alice") -> httpx.Response:
    """One signed "groups of ``user``" call to ``vendor`` over the socket."""
    target = TARGETS[vendor]
    auth: httpx.Auth = target.auth(server.clock)
    with httpx.Client(base_url=server.url, auth=auth, timeout=10) as client:
        if vendor == "openim":
            return client.post(target.path, json={"fromUserID": user, "pagination": {
                "pageNumber": 1, "showNumber": 5}})
        if vendor == "zego":
            return client.post("/", params={"Action": target.endpoint},
                               json={"FromUserId": user, "Limit": 5})
        if vendor == "rongcloud":
            return client.post(target.path, data={"userId": user})
        return client.post(target.path, json={"Member_Account": user, "Limit": 5})


@pytest.mark.parametrize("vendor", VENDORS)
def test_socket_error_status_drop_and_delay(im_emulator_server: ServerEmulator,
                                            vendor: str) -> None:
    admin = im_emulator_server.admin
    target = TARGETS[vendor]
    code, body, status = ERROR_RENDERING[vendor]
    rules = [
        admin.post("/_emulator/faults", json={"vendor": vendor, "endpoint": target.endpoint,
                                              "times": 1, "error": {"code": code}}),
        admin.post("/_emulator/faults", json={"vendor": vendor, "endpoint": target.endpoint,
                                              "times": 1, "status": 503}),
        admin.post("/_emulator/faults", json={"vendor": vendor, "endpoint": target.endpoint,
                                              "times": 1, "drop": True}),
        admin.post("/_emulator/faults", json={"vendor": vendor, "endpoint": target.endpoint,
                                              "times": 1, "delay_ms": 30}),
    ]
    assert [r.status_code for r in rules] == [201] * 4
    listed = admin.get("/_emulator/faults").json()["faults"]
    assert [rule["id"] for rule in listed] == [r.json()["id"] for r in rules]
    error = sync_ask(im_emulator_server, vendor)
    assert (error.status_code, without_request_id(error.json())) == (status, body)
    bare = sync_ask(im_emulator_server, vendor)
    assert (bare.status_code, bare.text) == (503, "Service Unavailable")
    with pytest.raises(httpx.RemoteProtocolError):
        sync_ask(im_emulator_server, vendor)
    delayed_answer = sync_ask(im_emulator_server, vendor)
    assert delayed_answer.status_code == 200
    assert delayed_answer.elapsed.total_seconds() >= 0.03
    assert sync_ask(im_emulator_server, vendor).status_code == 200
    assert [rule["fired"] for rule in admin.get("/_emulator/faults").json()["faults"]] == [1] * 4
    journal = admin.get("/_emulator/journal", params={"vendor": vendor,
                                                      "endpoint": target.endpoint}).json()
    statuses = [(e["status"], e["code"]) for e in journal["entries"]]
    assert statuses[:3] == [(status, code), (503, None), (200, None)]
    assert statuses[3:] == [(200, target.success_code)] * 2
    delayed = journal["entries"][3]
    assert delayed["duration_ms"] >= 30 and delayed["reason"].endswith(": delay 30 ms")
    assert admin.delete("/_emulator/faults").json() == {"cleared": True}
    assert admin.get("/_emulator/faults").json() == {"faults": []}


def test_socket_rule_removed_by_id(im_emulator_server: ServerEmulator) -> None:
    admin = im_emulator_server.admin
    rule = im_emulator_server.fault(vendor="zego", status=502)
    assert sync_ask(im_emulator_server, "zego").status_code == 502
    assert admin.delete(f"/_emulator/faults/{rule['id']}").json() == {"removed": rule["id"]}
    assert admin.delete(f"/_emulator/faults/{rule['id']}").status_code == 404
    assert sync_ask(im_emulator_server, "zego").status_code == 200
    im_emulator_server.assert_called("zego", "QueryGroupsInfoOfUser", times=2)


@pytest.mark.parametrize("body", [
    {"vendor": "msn", "status": 502},
    {"vendor": "zego"},
    {"vendor": "zego", "status": 500},
    {"vendor": "zego", "status": 502, "drop": True},
    {"vendor": "zego", "status": 502, "probability": 2},
    {"vendor": "zego", "status": 502, "times": 0},
    {"vendor": "zego", "error": {"code": "x"}},
    {"vendor": "zego", "status": 502, "colour": "red"},
])
def test_socket_bad_rules_are_refused(im_emulator_server: ServerEmulator,
                                      body: dict[str, Any]) -> None:
    response = im_emulator_server.admin.post("/_emulator/faults", json=body)
    assert response.status_code == 400 and response.json()["error"]
    assert im_emulator_server.admin.get("/_emulator/faults").json() == {"faults": []}


# --- the request journal ---------------------------------------------------------------------


@pytest.mark.parametrize("vendor", VENDORS)
async def test_journal_records_success_with_its_code(im_emulator: InProcessEmulator,
                                                     vendor: str) -> None:
    target = TARGETS[vendor]
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_700_000_123.5)
    assert (await ask(im_emulator, vendor, "bob")).status_code == 200
    entry = im_emulator.journal(vendor=vendor, endpoint=target.endpoint)[-1]
    assert {key: entry[key] for key in ("time", "vendor", "method", "path", "endpoint", "app",
                                        "user", "status", "code", "reason")} == {
        "time": 1_700_000_123.5, "vendor": vendor, "method": "POST", "path": target.path,
        "endpoint": target.endpoint, "app": target.app, "user": "bob", "status": 200,
        "code": target.success_code, "reason": ""}
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0


@pytest.mark.parametrize("vendor", VENDORS)
async def test_journal_records_rejections_with_the_reason(im_emulator: InProcessEmulator,
                                                          vendor: str) -> None:
    target = TARGETS[vendor]
    response = await rejected(im_emulator, vendor)
    entry = im_emulator.journal(vendor=vendor)[-1]
    assert entry["code"] == REJECTION[vendor][0] and entry["status"] == response.status_code
    assert entry["reason"].startswith(EXPLAIN_START[vendor])
    assert entry["app"] == (target.app if vendor != "openim" else "")


@pytest.mark.im_emulator_settings(journal_size=3)
async def test_journal_is_a_bounded_ring(im_emulator: InProcessEmulator) -> None:
    for user in ("alice", "bob", "carol", "dave", "erin"):
        await ask(im_emulator, "zego", user)
    entries = im_emulator.journal()
    assert [e["user"] for e in entries] == ["carol", "dave", "erin"]
    assert [e["seq"] for e in entries] == [3, 4, 5]
    answer = (await im_emulator.client.get("/_emulator/journal")).json()
    assert answer["size"] == 3 and answer["entries"] == entries


async def test_journal_admin_filters_and_clear(im_emulator: InProcessEmulator) -> None:
    for vendor in VENDORS:
        await ask(im_emulator, vendor, "bob")
    await ask(im_emulator, "zego", "carol")
    await rejected(im_emulator, "rongcloud")
    client = im_emulator.client

    async def listed(**filters: str) -> list[tuple[str, str]]:
        answer = (await client.get("/_emulator/journal", params=filters)).json()
        return [(e["vendor"], e["user"]) for e in answer["entries"]]

    assert await listed(vendor="zego") == [("zego", "bob"), ("zego", "carol")]
    assert await listed(user="carol") == [("zego", "carol")]
    assert await listed(endpoint="group_open_http_svc/get_joined_group_list") == [
        ("tencent", "bob")]
    assert await listed(app="test-app-key", status="401") == [("rongcloud", "")]
    assert await listed(code="1004") == [("rongcloud", "")]
    assert await listed(code="200") == [("rongcloud", "bob")]
    assert await listed(vendor="zego", user="bob") == [("zego", "bob")]
    assert await listed(vendor="msn") == []
    assert len(await listed()) == 7
    cleared = await client.delete("/_emulator/journal")
    assert (cleared.status_code, cleared.json()) == (200, {"cleared": True})
    assert await listed() == []


async def test_fixture_helpers_journal_and_assert_called(im_emulator: InProcessEmulator) -> None:
    await ask(im_emulator, "tencent", "bob")
    await ask(im_emulator, "tencent", "carol")
    await ask(im_emulator, "rongcloud", "bob")
    assert [e["user"] for e in im_emulator.journal(vendor="tencent")] == ["bob", "carol"]
    assert im_emulator.journal(vendor="tencent", user="carol", code=0)[0]["status"] == 200
    im_emulator.assert_called("tencent", times=2)
    im_emulator.assert_called("tencent", "/v4/group_open_http_svc/get_joined_group_list",
                              times=1, user="bob")
    im_emulator.assert_called("rongcloud", "/user/group/query.json")
    with pytest.raises(AssertionError, match="expected 3 tencent call"):
        im_emulator.assert_called("tencent", times=3)
    with pytest.raises(AssertionError, match="no zego call was made"):
        im_emulator.assert_called("zego")
    with pytest.raises(AssertionError, match="no rongcloud /group/create.json call"):
        im_emulator.assert_called("rongcloud", "/group/create.json")
    await im_emulator.reset()
    assert im_emulator.journal() == []


def test_server_fixture_helpers(im_emulator_server: ServerEmulator) -> None:
    assert im_emulator_server.journal() == []
    sync_ask(im_emulator_server, "rongcloud", "bob")
    sync_ask(im_emulator_server, "openim", "carol")
    entries = im_emulator_server.assert_called("openim", "/group/get_joined_group_list", times=1)
    assert (entries[0]["user"], entries[0]["code"]) == ("carol", 0)
    im_emulator_server.assert_called("openim", "/auth/get_admin_token", times=1, code=0)
    im_emulator_server.assert_called("rongcloud", times=1, user="bob", status=200)
    with pytest.raises(AssertionError):
        im_emulator_server.assert_called("tencent")


# --- auth explain ----------------------------------------------------------------------------

# The vendor code of each rejection below, and what its explanation must mention: the check
# that failed and how the expected value is built.
REJECTION: dict[str, tuple[int, tuple[str, ...]]] = {
    "openim": (1505, ("signature mismatch", "HS256 HMAC", "--openim-secret")),
    "zego": (100000005, ("Signature mismatch",
                         "md5 of AppId + SignatureNonce + ServerSecret + Timestamp")),
    "rongcloud": (1004, ("Signature mismatch", "sha1 of AppSecret + Nonce + Timestamp")),
    "tencent": (70009, ("signature mismatch", "HMAC-SHA256",
                        "TLS.identifier:<identifier>")),
}
EXPLAIN_START = {"openim": "signature mismatch", "zego": "Signature mismatch",
                 "rongcloud": "Signature mismatch", "tencent": "UserSig signature mismatch"}
WRONG_OPENIM_SECRET = "another-openim-secret-of-32-bytes!"


async def rejected(emulator: InProcessEmulator, vendor: str) -> httpx.Response:
    """A call whose credential was made with the wrong secret."""
    if vendor == "openim":
        claims = {"UserID": "imAdmin", "PlatformID": 10, "exp": emulator.clock.now() + 600}
        token = jwt.encode(claims, WRONG_OPENIM_SECRET, algorithm="HS256")
        return await ask(emulator, vendor, auth=OpenIMAuth(token=token))
    return await ask(emulator, vendor, auth=TARGETS[vendor].bad_auth(emulator.clock))


@pytest.mark.parametrize("vendor", VENDORS)
async def test_rejected_credential_is_explained_without_the_secret(
        im_emulator: InProcessEmulator, vendor: str) -> None:
    code, mentions = REJECTION[vendor]
    response = await rejected(im_emulator, vendor)
    explain = response.headers["x-emulator-explain"]
    for words in mentions:
        assert words in explain, (words, explain)
    secret = SECRETS[vendor]
    assert secret not in explain and secret not in response.text
    assert secret not in im_emulator.journal(vendor=vendor)[-1]["reason"]
    assert explain.isascii() and "\n" not in explain


async def test_openim_wrong_secret_is_explained_without_the_secret(
        im_emulator: InProcessEmulator) -> None:
    response = await im_emulator.client.post(
        "/auth/get_admin_token", headers={"operationID": "op-1"},
        json={"secret": WRONG_OPENIM_SECRET, "userID": "imAdmin"})
    assert response.json() == {"errCode": 1002, "errMsg": "NoPermissionError",
                               "errDlt": "secret invalid"}
    explain = response.headers["x-emulator-explain"]
    assert explain.startswith("secret mismatch: expected the configured OpenIM secret")
    assert OPENIM_SECRET not in explain and WRONG_OPENIM_SECRET not in explain


@pytest.mark.im_emulator_settings(explain=False)
@pytest.mark.parametrize("vendor", VENDORS)
async def test_explain_setting_off_removes_the_header(im_emulator: InProcessEmulator,
                                                      vendor: str) -> None:
    response = await rejected(im_emulator, vendor)
    assert "x-emulator-explain" not in response.headers
    assert im_emulator.journal(vendor=vendor)[-1]["code"] == REJECTION[vendor][0]


def test_explain_over_the_socket(im_emulator_server: ServerEmulator) -> None:
    auth = ZegoAuth(server_secret="f" * 32, clock=im_emulator_server.clock)
    with httpx.Client(base_url=im_emulator_server.url, auth=auth, timeout=10) as client:
        response = client.post("/", params={"Action": "QueryGroupsInfoOfUser"},
                               json={"FromUserId": "alice", "Limit": 5})
    assert response.json()["Code"] == 100000005
    assert "md5 of AppId" in response.headers["x-emulator-explain"]
    assert ZEGO_SECRET not in response.headers["x-emulator-explain"]
    entry = im_emulator_server.assert_called("zego", "QueryGroupsInfoOfUser", times=1)[0]
    assert entry["reason"] == response.headers["x-emulator-explain"]
