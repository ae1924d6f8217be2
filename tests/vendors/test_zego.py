"""ZEGO ZIM: signature v2.0, the public-parameter checks, QueryGroupsInfoOfUser and its
pagination, the AppId-level rate limit and the envelope of every answer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from emulator.signing import ZegoAuth, zego_signature
from emulator.vendors.zego.client import signed_params

pytestmark = pytest.mark.anyio

APP_ID = 1234567890
SECRET = "0123456789abcdef0123456789abcdef"
QUERY = "QueryGroupsInfoOfUser"


def url(action: str, *, drop: tuple[str, ...] = (), now: float, **override: str) -> str:
    """A signed URL for ``action``, with public parameters dropped or overridden."""
    params: dict[str, str] = {"Action": action, **signed_params(APP_ID, SECRET, int(now))}
    params.update(override)
    for name in drop:
        params.pop(name)
    return "/?" + urlencode(params)


async def call(emulator: Any, action: str, body: Any = None, **kwargs: Any) -> dict[str, Any]:
    """POST a signed request and return its JSON, checking the envelope and HTTP 200."""
    response = await emulator.client.post(f"/?Action={action}", json=body, **kwargs,
                                          auth=ZegoAuth(APP_ID, SECRET, clock=emulator.clock))
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    assert list(data)[:3] == ["Code", "Message", "RequestId"]
    return data


async def query(emulator: Any, user: str, limit: Any = 10, next_: Any = "") -> dict[str, Any]:
    return await call(emulator, QUERY, {"FromUserId": user, "Limit": limit, "Next": next_})


def fixture_with(user: str, groups: int) -> dict[str, Any]:
    """A user in ``groups`` groups, joined one second apart in reverse id order."""
    return {"users": [{"id": user, "name": user}],
            "groups": [{"id": f"g-{user}-{i:04d}", "name": f"N{i}", "type": "work",
                        "owner": user, "createTime": 1_600_000_000_000,
                        "members": []} for i in range(groups)]}


# ---- signature ----------------------------------------------------------------------------

def test_official_vector() -> None:
    assert zego_signature(12345, "4fd24687296dd9f3", "9193cc662a4c0ec135ec71fb57194b38",
                          1615186943) == "43e5cfcca828314675f91b001390566a"


def test_own_vector() -> None:
    assert zego_signature(APP_ID, "a1b2c3d4e5f60718", SECRET,
                          1700000000) == "c90a56c08221a571fbf3007d1d7300d6"


async def test_docs_sample_request_shape(im_emulator) -> None:
    """The raw request captured from the ZEGO docs' sample, replayed byte for byte."""
    await im_emulator.seed({"users": [{"id": "user1"}], "groups": [
        {"id": "g-u1", "name": "U1", "type": "public", "owner": "user1"}]})
    im_emulator.clock.freeze()
    im_emulator.clock.set(1795374268)
    response = await im_emulator.client.post(
        "/?Action=QueryGroupsInfoOfUser&AppId=1234567890&Signature=8b2eb8eac66cfcce6eee04217c"
        "69348b&SignatureNonce=834022cf3584124c&SignatureVersion=2.0&Timestamp=1795374268",
        content=b'{"FromUserId": "user1", "Limit": 10, "Next": ""}',
        headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["RequestId"]) == 32
    del body["RequestId"]
    assert body == {"Code": 0, "Message": "success", "NextRsp": "0", "HasJoinGroupNum": 1,
                    "GroupInfoList": [{"GroupId": "g-u1", "GroupName": "U1", "GroupAvatar": ""}]}


async def test_limit_as_numeric_string_like_the_docs_sample(im_emulator) -> None:
    data = await query(im_emulator, "alice", "2")
    assert data["Code"] == 0 and len(data["GroupInfoList"]) == 2
    assert data["NextRsp"] != "0"


async def test_parameters_in_any_order_and_is_test(im_emulator) -> None:
    now = im_emulator.clock.now()
    params = {**signed_params(APP_ID, SECRET, int(now)), "IsTest": "False", "Action": QUERY}
    ordered = "/?" + urlencode(dict(reversed(list(params.items()))))
    response = await im_emulator.client.post(ordered, json={"FromUserId": "bob", "Limit": 1})
    assert response.json()["Code"] == 0


async def test_get_takes_business_parameters_from_the_query(im_emulator) -> None:
    now = im_emulator.clock.now()
    response = await im_emulator.client.get(
        url(QUERY, now=now) + "&FromUserId=alice&Limit=3&Next=")
    data = response.json()
    assert response.status_code == 200
    assert data["Code"] == 0 and len(data["GroupInfoList"]) == 3


async def test_request_ids_are_unique(im_emulator) -> None:
    ids = {(await query(im_emulator, "alice"))["RequestId"] for _ in range(5)}
    ids.add((await call(im_emulator, "NoSuchAction"))["RequestId"])
    assert len(ids) == 6


# ---- public-parameter checks --------------------------------------------------------------

AUTH_CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("empty Action", {"Action": ""}, 100000006, "Action is empty."),
    ("unknown Action", {"Action": "QueryGroups"}, 100000007, "Unsupported Action."),
    ("missing AppId", {"drop": ("AppId",)}, 100000001, "AppId field format error."),
    ("AppId not a number", {"AppId": "12ab"}, 100000001, "AppId field format error."),
    ("AppId over uint32", {"AppId": "4294967296"}, 100000001, "AppId field format error."),
    ("negative AppId", {"AppId": "-1"}, 100000001, "AppId field format error."),
    ("missing Timestamp", {"drop": ("Timestamp",)}, 100000002, "Timestamp field is empty."),
    ("Timestamp not an integer", {"Timestamp": "17e8"}, 100000003,
     "Timestamp field format error."),
    ("Timestamp in ms as float", {"Timestamp": "1700000000.5"}, 100000003,
     "Timestamp field format error."),
    ("missing SignatureNonce", {"drop": ("SignatureNonce",)}, 100000008,
     "SignatureNonce field is empty."),
    ("missing Signature", {"drop": ("Signature",)}, 100000009, "Signature field is empty."),
    ("missing SignatureVersion", {"drop": ("SignatureVersion",)}, 100000013,
     "SignatureVersion field is empty."),
    ("SignatureVersion 1.0", {"SignatureVersion": "1.0"}, 100000014,
     "Unsupported SignatureVersion."),
    ("unknown AppId", {"AppId": "1234567891"}, 100000010, "Get ServerSecret failed."),
    ("wrong Signature", {"Signature": "0" * 32}, 100000005, "Signature error."),
]


@pytest.mark.parametrize(("case", "change", "code", "message"), AUTH_CASES,
                         ids=[case[0] for case in AUTH_CASES])
async def test_public_parameter_errors(im_emulator, case: str, change: dict[str, Any], code: int,
                                       message: str) -> None:
    change = dict(change)
    drop = change.pop("drop", ())
    action = change.pop("Action", QUERY)
    target = url(action, drop=drop, now=im_emulator.clock.now(), **change)
    response = await im_emulator.client.post(target, json={"FromUserId": "alice", "Limit": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["Code"], body["Message"]) == (code, message)
    assert list(body) == ["Code", "Message", "RequestId"]


async def test_uppercase_signature_is_refused_and_explained(im_emulator) -> None:
    params = signed_params(APP_ID, SECRET, int(im_emulator.clock.now()))
    params["Signature"] = params["Signature"].upper()
    response = await im_emulator.client.post(f"/?Action={QUERY}&" + urlencode(params),
                                             json={"FromUserId": "alice", "Limit": 1})
    assert response.json()["Code"] == 100000005
    explain = response.headers["x-emulator-explain"]
    assert explain.startswith("Signature mismatch: expected lowercase hex md5 of AppId + "
                              "SignatureNonce + ServerSecret + Timestamp; got 32 hex chars "
                              "(uppercase hex is not accepted) for AppId 1234567890")
    assert SECRET not in explain


@pytest.mark.im_emulator_settings(explain=False)
async def test_explain_header_can_be_turned_off(im_emulator) -> None:
    target = url(QUERY, now=im_emulator.clock.now(), Signature="f" * 32)
    response = await im_emulator.client.post(target, json={})
    assert response.json()["Code"] == 100000005
    assert "x-emulator-explain" not in response.headers


@pytest.mark.im_emulator_settings(zego_unknown_app_code=100000011)
async def test_unknown_app_code_is_configurable(im_emulator) -> None:
    target = url(QUERY, now=im_emulator.clock.now(), AppId="42")
    body = (await im_emulator.client.post(target, json={})).json()
    assert (body["Code"], body["Message"]) == (100000011, "Get App configuration failed.")


@pytest.mark.parametrize(("skew", "code"), [(600, 0), (-600, 0), (601, 100000004),
                                            (-601, 100000004)])
async def test_timestamp_window_is_600_seconds_either_way(im_emulator, skew: int,
                                                          code: int) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000)
    target = url(QUERY, now=1_800_000_000 + skew)
    body = (await im_emulator.client.post(target, json={"FromUserId": "bob", "Limit": 1})).json()
    assert body["Code"] == code
    if code:
        assert body["Message"] == "Signature expired."


async def test_signature_is_checked_against_the_timestamp_sent(im_emulator) -> None:
    now = int(im_emulator.clock.now())
    params = signed_params(APP_ID, SECRET, now, "abc")
    params["Timestamp"] = str(now + 1)
    response = await im_emulator.client.post(f"/?Action={QUERY}&" + urlencode(params),
                                             json={"FromUserId": "bob", "Limit": 1})
    assert response.json()["Code"] == 100000005


async def test_other_methods_get_the_envelope(im_emulator) -> None:
    response = await im_emulator.client.put(url(QUERY, now=im_emulator.clock.now()), json={})
    body = response.json()
    assert response.status_code == 200
    assert (body["Code"], body["Message"]) == (2, "Input parameter error. method PUT is not "
                                                  "supported")


# ---- QueryGroupsInfoOfUser ----------------------------------------------------------------

PARAM_CASES: list[tuple[str, Any]] = [
    ("no FromUserId", {"Limit": 1}),
    ("empty FromUserId", {"FromUserId": "", "Limit": 1}),
    ("FromUserId 33 chars", {"FromUserId": "a" * 33, "Limit": 1}),
    ("FromUserId a number", {"FromUserId": 7, "Limit": 1}),
    ("no Limit", {"FromUserId": "alice"}),
    ("Limit 0", {"FromUserId": "alice", "Limit": 0}),
    ("Limit 101", {"FromUserId": "alice", "Limit": 101}),
    ("Limit '101'", {"FromUserId": "alice", "Limit": "101"}),
    ("Limit 'ten'", {"FromUserId": "alice", "Limit": "ten"}),
    ("Limit true", {"FromUserId": "alice", "Limit": True}),
    ("Limit 1.5", {"FromUserId": "alice", "Limit": 1.5}),
    ("Limit a list", {"FromUserId": "alice", "Limit": [1]}),
    ("Next a number", {"FromUserId": "alice", "Limit": 1, "Next": 3}),
    ("Next made up", {"FromUserId": "alice", "Limit": 1, "Next": "3"}),
    ("Next not base64", {"FromUserId": "alice", "Limit": 1, "Next": "!!!"}),
    ("body a list", [1, 2]),
]


@pytest.mark.parametrize(("case", "body"), PARAM_CASES, ids=[case[0] for case in PARAM_CASES])
async def test_parameter_errors(im_emulator, case: str, body: Any) -> None:
    data = await call(im_emulator, QUERY, body)
    assert data["Code"] == 660000002
    assert data["Message"].startswith("Parameter error. ")


async def test_malformed_json_body(im_emulator) -> None:
    data = await call(im_emulator, QUERY, content=b'{"FromUserId": "alice", "Limit": ')
    assert (data["Code"], data["Message"]) == (660000002,
                                               "Parameter error. the body is not valid JSON")


async def test_unregistered_user(im_emulator) -> None:
    data = await query(im_emulator, "nobody-here")
    assert (data["Code"], data["Message"]) == (660500002, "The operator user is not registered.")
    assert list(data) == ["Code", "Message", "RequestId"]


async def test_registered_user_without_visible_groups(im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "loner"}, {"id": "quitter"}], "groups": [
        {"id": "g-gone", "name": "Gone", "type": "work", "owner": "quitter",
         "status": "dismissed"}]})
    for user in ("loner", "quitter"):
        data = await query(im_emulator, user)
        assert (data["Code"], data["HasJoinGroupNum"], data["GroupInfoList"],
                data["NextRsp"]) == (0, 0, [], "0"), user


async def test_foreign_and_tampered_next(im_emulator) -> None:
    first = await query(im_emulator, "alice", 2)
    assert first["NextRsp"] != "0"
    foreign = await query(im_emulator, "heavy", 2, first["NextRsp"])
    assert foreign["Code"] == 660000002
    token = first["NextRsp"]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert (await query(im_emulator, "alice", 2, tampered))["Code"] == 660000002
    assert (await query(im_emulator, "alice", 2, token))["Code"] == 0


async def test_zero_next_means_the_first_page(im_emulator) -> None:
    first = await query(im_emulator, "alice", 3)
    for start in ("0", 0, None):
        again = await query(im_emulator, "alice", 3, start)
        assert again["GroupInfoList"] == first["GroupInfoList"]


async def test_dismissed_groups_are_invisible_and_avchatrooms_listed(im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "dana"}], "groups": [
        {"id": "g-d1", "name": "D1", "type": "work", "owner": "dana",
         "createTime": 1_600_000_000_000},
        {"id": "g-d2", "name": "D2", "type": "avchatroom", "owner": "dana",
         "createTime": 1_600_000_001_000},
        {"id": "g-d3", "name": "D3", "type": "public", "owner": "dana", "status": "dismissed",
         "createTime": 1_600_000_002_000},
        {"id": "g-d4", "name": "D4", "type": "work", "owner": "dana", "activated": False,
         "createTime": 1_600_000_003_000}]})
    data = await query(im_emulator, "dana")
    assert data["HasJoinGroupNum"] == 3
    assert [g["GroupId"] for g in data["GroupInfoList"]] == ["g-d1", "g-d2", "g-d4"]


async def test_heavy_user_total_leaves_out_the_dismissed_group(im_emulator) -> None:
    state = (await im_emulator.client.get("/_emulator/state")).json()
    dismissed = {g["id"] for g in state["groups"] if g["status"] == "dismissed"}
    mine = [m["group_id"] for m in state["memberships"] if m["user_id"] == "heavy"]
    expected = len([g for g in mine if g not in dismissed])
    assert (await query(im_emulator, "heavy", 1))["HasJoinGroupNum"] == expected


async def test_order_is_join_time_then_group_id(im_emulator) -> None:
    await im_emulator.seed({"users": [{"id": "owner"}, {"id": "joiner"}], "groups": [
        {"id": "g-c", "name": "A", "type": "work", "owner": "owner",
         "members": [{"id": "joiner", "joinTime": 3000}]},
        {"id": "g-a", "name": "B", "type": "work", "owner": "owner",
         "members": [{"id": "joiner", "joinTime": 5000}]},
        {"id": "g-b", "name": "C", "type": "work", "owner": "owner",
         "members": [{"id": "joiner", "joinTime": 3000}]}]})
    data = await query(im_emulator, "joiner")
    assert [g["GroupId"] for g in data["GroupInfoList"]] == ["g-b", "g-c", "g-a"]


@pytest.mark.im_emulator_settings(rate_limits=False)
@pytest.mark.parametrize("groups", [0, 1, 100, 101, 250])
@pytest.mark.parametrize("limit", [1, 7, 100])
async def test_walking_next_yields_every_group_once(im_emulator, groups: int, limit: int) -> None:
    if groups:
        await im_emulator.seed(fixture_with("walker", groups))
    else:
        await im_emulator.seed({"users": [{"id": "walker"}]})
    seen: list[str] = []
    next_ = ""
    pages = 0
    while True:
        data = await query(im_emulator, "walker", limit, next_)
        assert data["Code"] == 0
        assert data["HasJoinGroupNum"] == groups
        assert len(data["GroupInfoList"]) <= limit
        seen += [g["GroupId"] for g in data["GroupInfoList"]]
        pages += 1
        next_ = data["NextRsp"]
        if next_ == "0":
            break
    assert len(seen) == len(set(seen)) == groups
    assert pages == max(1, -(-groups // limit))
    assert set(seen) == {f"g-walker-{i:04d}" for i in range(groups)}


async def test_last_page_has_next_zero(im_emulator) -> None:
    await im_emulator.seed(fixture_with("pager", 4))
    first = await query(im_emulator, "pager", 2)
    second = await query(im_emulator, "pager", 2, first["NextRsp"])
    assert (len(second["GroupInfoList"]), second["NextRsp"]) == (2, "0")


async def test_cursor_past_the_end_after_leaving_groups(im_emulator) -> None:
    await im_emulator.seed(fixture_with("leaver", 4))
    first = await query(im_emulator, "leaver", 3)
    for i in range(3):
        await im_emulator.store.remove_members(f"g-leaver-{i:04d}", ["leaver"])
    after = await query(im_emulator, "leaver", 3, first["NextRsp"])
    assert (after["Code"], after["GroupInfoList"], after["NextRsp"],
            after["HasJoinGroupNum"]) == (0, [], "0", 1)


# ---- rate limit ---------------------------------------------------------------------------

async def test_twenty_one_requests_in_one_second(im_emulator) -> None:
    im_emulator.clock.freeze()
    im_emulator.clock.set(1_800_000_000.2)
    codes = [(await query(im_emulator, "bob", 1))["Code"] for _ in range(21)]
    assert codes == [0] * 20 + [660300005]
    limited = await query(im_emulator, "bob", 1)
    assert limited["Message"] == "Frequency limit: the AppID-level limit was exceeded."
    other_action = await call(im_emulator, "UserRegister", {"UserInfo": [{"UserId": "rl-user"}]})
    assert other_action["Code"] == 0
    im_emulator.clock.advance(0.8)
    assert (await query(im_emulator, "bob", 1))["Code"] == 0


async def test_rejected_credentials_do_not_count(im_emulator) -> None:
    im_emulator.clock.freeze()
    for _ in range(25):
        target = url(QUERY, now=im_emulator.clock.now(), Signature="0" * 32)
        assert (await im_emulator.client.post(target, json={})).json()["Code"] == 100000005
    assert (await query(im_emulator, "bob", 1))["Code"] == 0


async def test_journal_records_action_app_user_and_code(im_emulator) -> None:
    await query(im_emulator, "alice", 1)
    await query(im_emulator, "nobody-here", 1)
    entries = (await im_emulator.client.get("/_emulator/journal")).json()["entries"]
    assert [(e["vendor"], e["endpoint"], e["app"], e["user"], e["code"]) for e in entries] == [
        ("zego", QUERY, "1234567890", "alice", 0),
        ("zego", QUERY, "1234567890", "nobody-here", 660500002)]


async def test_signer_on_a_plain_client(im_emulator) -> None:
    transport = httpx.ASGITransport(app=im_emulator.app)
    auth = ZegoAuth(APP_ID, SECRET, clock=im_emulator.clock, nonce=lambda: "0011223344556677")
    async with httpx.AsyncClient(transport=transport, base_url="http://zim-api.zego.im",
                                 auth=auth) as client:
        response = await client.post("/", params={"Action": QUERY},
                                     json={"FromUserId": "carol", "Limit": 5})
    assert response.json()["Code"] == 0
    sent = response.request.url.params
    assert sent["SignatureNonce"] == "0011223344556677"
    assert sent["Signature"] == zego_signature(APP_ID, "0011223344556677", SECRET,
                                               sent["Timestamp"])
