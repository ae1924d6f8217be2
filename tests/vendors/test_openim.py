"""OpenIM gateway: header checks and their order, tokens (admin, user, parse), every token
error, user registration, the envelope, decode errors, 404s, gzip, CORS and the rate limit."""

from __future__ import annotations

import gzip
import json
from typing import Any

import warnings

import jwt
import pytest
from jwt.warnings import InsecureKeyLengthWarning

from emulator.vendors.openim.wire import CORS_HEADERS

pytestmark = pytest.mark.anyio

SECRET = "openIM123"
NOW = 1_800_000_000


def envelope(code: int, msg: str, dlt: str = "") -> dict[str, Any]:
    return {"errCode": code, "errMsg": msg, "errDlt": dlt}


def sign(claims: dict[str, Any], key: str = SECRET, alg: str = "HS256") -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        return jwt.encode(claims, None if alg == "none" else key.encode(), algorithm=alg)


async def post(emu: Any, path: str, body: Any = None, *, token: str | None = None,
               op: str | None = "op-1", raw: bytes | None = None,
               headers: dict[str, str] | None = None) -> Any:
    sent: dict[str, str] = dict(headers or {})
    if op is not None:
        sent["operationID"] = op
    if token is not None:
        sent["token"] = token
    content = raw if raw is not None else json.dumps(body).encode()
    return await emu.client.post(path, content=content, headers=sent)


async def admin_token(emu: Any) -> str:
    response = await post(emu, "/auth/get_admin_token", {"secret": SECRET, "userID": "imAdmin"})
    return str(response.json()["data"]["token"])


async def user_token(emu: Any, user: str, platform: int = 1) -> str:
    response = await post(emu, "/auth/get_user_token", {"userID": user, "platformID": platform},
                          token=await admin_token(emu))
    return str(response.json()["data"]["token"])


def joined_body(user: str = "alice") -> dict[str, Any]:
    return {"fromUserID": user, "pagination": {"pageNumber": 1, "showNumber": 10}}


# ---- get_admin_token ----------------------------------------------------------------------

async def test_admin_token_is_an_hs256_jwt_with_openim_claims(im_emulator) -> None:
    im_emulator.clock.set(NOW)
    response = await post(im_emulator, "/auth/get_admin_token",
                          {"secret": SECRET, "userID": "imAdmin"})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["errCode", "errMsg", "errDlt", "data"]
    assert body["errCode"] == 0 and body["errMsg"] == "" and body["errDlt"] == ""
    assert body["data"]["expireTimeSeconds"] == 7776000
    token = body["data"]["token"]
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims == {"UserID": "imAdmin", "PlatformID": 10, "exp": NOW + 7776000,
                      "iat": NOW - 5}


@pytest.mark.parametrize(("body", "expected"), [
    ({"secret": SECRET}, envelope(1001, "ArgsError", "userID is empty")),
    ({"secret": "wrong", "userID": ""}, envelope(1001, "ArgsError", "userID is empty")),
    ({"secret": "wrong", "userID": "imAdmin"}, envelope(1002, "NoPermissionError",
                                                        "secret invalid")),
    ({"secret": SECRET, "userID": "alice"}, envelope(
        1001, "ArgsError", "userID is error., userID=alice, adminUserID=[imAdmin]")),
])
async def test_admin_token_checks_in_order(im_emulator, body: dict[str, Any],
                                           expected: dict[str, Any]) -> None:
    response = await post(im_emulator, "/auth/get_admin_token", body)
    assert response.status_code == 200
    assert response.json() == expected


async def test_wrong_secret_is_explained_without_the_secret(im_emulator) -> None:
    response = await post(im_emulator, "/auth/get_admin_token",
                          {"secret": "nope", "userID": "imAdmin"})
    explain = response.headers["x-emulator-explain"]
    assert "secret" in explain and SECRET not in explain


@pytest.mark.im_emulator_settings(openim_admin="root,imAdmin", openim_secret="s3cret")
async def test_admins_and_secret_come_from_settings(im_emulator) -> None:
    ok = await post(im_emulator, "/auth/get_admin_token", {"secret": "s3cret", "userID": "root"})
    assert ok.json()["errCode"] == 0
    wrong = await post(im_emulator, "/auth/get_admin_token", {"secret": "s3cret", "userID": "x"})
    assert wrong.json()["errDlt"] == "userID is error., userID=x, adminUserID=[root imAdmin]"


# ---- header checks ------------------------------------------------------------------------

async def test_operation_id_is_checked_before_the_token(im_emulator) -> None:
    response = await post(im_emulator, "/group/get_joined_group_list", joined_body(), op=None)
    assert response.status_code == 200
    assert response.json() == envelope(1001, "ArgsError", "header must have operationID")
    empty = await post(im_emulator, "/group/get_joined_group_list", joined_body(), op="")
    assert empty.json() == envelope(1001, "ArgsError", "header must have operationID")


async def test_missing_token(im_emulator) -> None:
    response = await post(im_emulator, "/group/get_joined_group_list", joined_body())
    assert response.json() == envelope(1001, "ArgsError", "header must have token")
    empty = await post(im_emulator, "/group/get_joined_group_list", joined_body(), token="")
    assert empty.json() == envelope(1001, "ArgsError", "header must have token")


async def test_header_names_in_any_case_and_extra_headers(im_emulator) -> None:
    token = await admin_token(im_emulator)
    response = await im_emulator.client.post(
        "/group/get_joined_group_list", content=json.dumps(joined_body()),
        headers={"OPERATIONID": "x", "Token": token, "reqFuncName": "GetJoinedGroupListPage",
                 "Content-Type": "text/plain"})
    assert response.json()["errCode"] == 0


# ---- token errors -------------------------------------------------------------------------

def claims(user: str = "imAdmin", **extra: Any) -> dict[str, Any]:
    return {"UserID": user, "PlatformID": 10, "exp": NOW + 3600, "iat": NOW - 5, **extra}


@pytest.mark.parametrize(("token", "expected"), [
    ("abc", envelope(1503, "TokenMalformedError")),
    ("a.b", envelope(1503, "TokenMalformedError")),
    ("a.b.c.d", envelope(1503, "TokenMalformedError")),
    ("!!!.???.***", envelope(1503, "TokenMalformedError")),
    (sign(claims(), "other-secret"), envelope(1505, "signature is invalid")),
    (sign(claims(exp=NOW - 10), "other-secret"), envelope(1505, "signature is invalid")),
    (sign(claims(), alg="none"), envelope(1505, "'none' signature type is not allowed")),
    (sign(claims(exp=NOW)), envelope(1501, "TokenExpiredError")),
    (sign(claims(nbf=NOW + 60)), envelope(1504, "TokenNotValidYetError")),
    (sign(claims(iat=NOW + 60)), envelope(1505, "token used before issued")),
    (sign(claims(UserID=7)), envelope(1503, "TokenMalformedError")),
    (sign(claims(exp="soon")), envelope(1503, "TokenMalformedError")),
    (sign(claims("alice", PlatformID=1)), envelope(1507, "TokenNotExistError")),
])
async def test_token_errors(im_emulator, token: str, expected: dict[str, Any]) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    response = await post(im_emulator, "/group/get_joined_group_list", joined_body(),
                          token=token)
    assert response.status_code == 200
    assert response.json() == expected


async def test_hs512_with_the_secret_is_accepted(im_emulator) -> None:
    im_emulator.clock.set(NOW)
    response = await post(im_emulator, "/group/get_joined_group_list", joined_body(),
                          token=sign(claims(), alg="HS512"))
    assert response.json()["errCode"] == 0


async def test_admin_token_expires_on_the_manual_clock(im_emulator) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    token = await admin_token(im_emulator)
    im_emulator.clock.advance(7776000 - 1)
    ok = await post(im_emulator, "/group/get_joined_group_list", joined_body(), token=token)
    assert ok.json()["errCode"] == 0
    im_emulator.clock.advance(1)
    expired = await post(im_emulator, "/group/get_joined_group_list", joined_body(), token=token)
    assert expired.json() == envelope(1501, "TokenExpiredError")


# ---- user tokens --------------------------------------------------------------------------

async def test_user_token_for_oneself_works_and_for_someone_else_is_1002(im_emulator) -> None:
    token = await user_token(im_emulator, "alice")
    own = await post(im_emulator, "/group/get_joined_group_list", joined_body("alice"),
                     token=token)
    assert own.json()["errCode"] == 0 and own.json()["data"]["total"] > 0
    other = await post(im_emulator, "/group/get_joined_group_list", joined_body("bob"),
                       token=token)
    assert other.json() == envelope(1002, "NoPermissionError", "ownerUserID, bob=MISSING")


async def test_a_new_user_token_kicks_the_older_one_on_that_platform(im_emulator) -> None:
    im_emulator.clock.freeze()
    first = await user_token(im_emulator, "alice", 1)
    other_platform = await user_token(im_emulator, "alice", 5)
    im_emulator.clock.advance(1)
    second = await user_token(im_emulator, "alice", 1)
    kicked = await post(im_emulator, "/group/get_joined_group_list", joined_body(), token=first)
    assert kicked.json() == envelope(1506, "TokenKickedError")
    for token in (second, other_platform):
        ok = await post(im_emulator, "/group/get_joined_group_list", joined_body(), token=token)
        assert ok.json()["errCode"] == 0


@pytest.mark.parametrize(("body", "expected"), [
    ({"userID": "imAdmin", "platformID": 1}, envelope(1002, "NoPermissionError",
                                                      "don't get Admin token")),
    ({"userID": "alice", "platformID": 10}, envelope(
        1002, "NoPermissionError", "platformID invalid. platformID must not be adminPlatformID")),
    ({"userID": "ghost", "platformID": 1}, envelope(1004, "RecordNotFoundError",
                                                    "user not found")),
])
async def test_get_user_token_errors(im_emulator, body: dict[str, Any],
                                     expected: dict[str, Any]) -> None:
    response = await post(im_emulator, "/auth/get_user_token", body,
                          token=await admin_token(im_emulator))
    assert response.json() == expected


async def test_get_user_token_needs_an_admin(im_emulator) -> None:
    token = await user_token(im_emulator, "alice")
    response = await post(im_emulator, "/auth/get_user_token",
                          {"userID": "bob", "platformID": 1}, token=token)
    assert response.json() == envelope(1002, "NoPermissionError",
                                       "user alice is not admin userID")


async def test_parse_token_needs_no_token_header(im_emulator) -> None:
    im_emulator.clock.set(NOW)
    im_emulator.clock.freeze()
    token = await user_token(im_emulator, "bob", 2)
    response = await post(im_emulator, "/auth/parse_token", {"token": token})
    assert response.json() == {"errCode": 0, "errMsg": "", "errDlt": "", "data": {
        "userID": "bob", "platformID": 2, "expireTimeSeconds": NOW + 7776000}}
    bad = await post(im_emulator, "/auth/parse_token", {"token": "x"})
    assert bad.json() == envelope(1503, "TokenMalformedError")


# ---- user_register ------------------------------------------------------------------------

async def test_user_register_then_1102(im_emulator) -> None:
    token = await admin_token(im_emulator)
    body = {"users": [{"userID": "newbie", "nickname": "New", "faceURL": "f"}]}
    response = await post(im_emulator, "/user/user_register", body, token=token)
    assert response.json() == envelope(0, "")
    user = await im_emulator.store.get_user("newbie")
    assert user is not None and user.name == "New" and user.face_url == "f"
    again = await post(im_emulator, "/user/user_register", body, token=token)
    assert again.json() == envelope(1102, "RegisteredAlreadyError", "userID registered already")


@pytest.mark.parametrize(("body", "expected"), [
    ({}, envelope(1001, "ArgsError", "users are empty")),
    ({"users": None}, envelope(1001, "ArgsError", "users are empty")),
    ({"users": []}, envelope(1001, "ArgsError", "users is empty")),
    ({"users": [None]}, envelope(1001, "ArgsError", "user is empty")),
    ({"users": [{"userID": "a:b", "nickname": "x"}]}, envelope(1001, "ArgsError",
                                                               "userID is legal")),
    ({"users": [{"userID": "ok"}]}, envelope(1001, "ArgsError", "user name is empty")),
    ({"users": [{"userID": "", "nickname": "x"}]}, envelope(1001, "ArgsError",
                                                           "userID is empty")),
    ({"users": [{"userID": "d", "nickname": "x"}, {"userID": "d", "nickname": "y"}]},
     envelope(1001, "ArgsError", "userID repeated")),
    ({"users": [{"userID": "imAdmin", "nickname": "x"}]},
     envelope(1102, "RegisteredAlreadyError", "userID registered already")),
    ({"users": [{"userID": "fresh", "nickname": "x"}, {"userID": "alice", "nickname": "y"}]},
     envelope(1102, "RegisteredAlreadyError", "userID registered already")),
])
async def test_user_register_errors(im_emulator, body: dict[str, Any],
                                    expected: dict[str, Any]) -> None:
    response = await post(im_emulator, "/user/user_register", body,
                          token=await admin_token(im_emulator))
    assert response.json() == expected
    assert await im_emulator.store.get_user("fresh") is None


async def test_user_register_is_admin_only(im_emulator) -> None:
    response = await post(im_emulator, "/user/user_register",
                          {"users": [{"userID": "x1", "nickname": "X"}]},
                          token=await user_token(im_emulator, "alice"))
    assert response.json() == envelope(1002, "NoPermissionError",
                                       "user alice is not admin userID")


# ---- envelope, decoding, routing ----------------------------------------------------------

@pytest.mark.parametrize(("raw", "msg"), [
    (b"", "Error: Error: unexpected end of JSON input"),
    (b"x", "Error: Error: invalid character 'x' looking for beginning of value"),
    (b'{"fromUserID": "alice",}',
     "Error: Error: invalid character '}' looking for beginning of object key string"),
    (b"[]", "Error: Error: json: cannot unmarshal array into Go value of type "
            "group.GetJoinedGroupListReq"),
    (b'{"fromUserID": 5}', "Error: Error: json: cannot unmarshal number into Go struct field "
                           "GetJoinedGroupListReq.fromUserID of type string"),
    (b'{"pagination": {"pageNumber": "1"}}', "Error: Error: json: cannot unmarshal string "
     "into Go struct field RequestPagination.pagination.pageNumber of type int32"),
    (b'{"pagination": {"pageNumber": 1.5}}', "Error: Error: json: cannot unmarshal number 1.5 "
     "into Go struct field RequestPagination.pagination.pageNumber of type int32"),
    (b'{"pagination": {"showNumber": 2147483648}}', "Error: Error: json: cannot unmarshal "
     "number 2147483648 into Go struct field RequestPagination.pagination.showNumber of type "
     "int32"),
    (b'{"pagination": []}', "Error: Error: json: cannot unmarshal array into Go struct field "
                            "GetJoinedGroupListReq.pagination of type sdkws.RequestPagination"),
])
async def test_decode_errors_are_1001_with_the_go_error(im_emulator, raw: bytes,
                                                        msg: str) -> None:
    response = await post(im_emulator, "/group/get_joined_group_list", raw=raw,
                          token=await admin_token(im_emulator))
    assert response.status_code == 200
    assert response.json() == envelope(1001, msg, "")


async def test_keys_match_in_any_case_and_null_is_zero(im_emulator) -> None:
    body = b'{"FROMUSERID":"alice","Pagination":{"PAGENUMBER":1,"showNumber":2},"x":[1]}'
    response = await post(im_emulator, "/group/get_joined_group_list", raw=body,
                          token=await admin_token(im_emulator))
    assert response.json()["errCode"] == 0 and len(response.json()["data"]["groups"]) == 2
    null = await post(im_emulator, "/group/get_joined_group_list", raw=b"null",
                      token=await admin_token(im_emulator))
    assert null.json() == envelope(1001, "ArgsError", "pagination is empty")


async def test_get_is_a_plain_404_and_unknown_posts_run_the_header_checks(im_emulator) -> None:
    for path in ("/group/get_joined_group_list", "/nowhere", "/"):
        response = await im_emulator.client.get(path)
        assert response.status_code == 404
        assert response.text == "404 page not found"
        assert response.headers["content-type"] == "text/plain"
    no_op = await post(im_emulator, "/nowhere", {}, op=None)
    assert no_op.json() == envelope(1001, "ArgsError", "header must have operationID")
    no_token = await post(im_emulator, "/nowhere", {})
    assert no_token.json() == envelope(1001, "ArgsError", "header must have token")
    found = await post(im_emulator, "/nowhere", {}, token=await admin_token(im_emulator))
    assert found.status_code == 404 and found.text == "404 page not found"
    encoded = await post(im_emulator, "/group/get_joined_group_list%3F", {},
                         token=await admin_token(im_emulator))
    assert encoded.status_code == 404 and encoded.text == "404 page not found"


async def test_options_and_cors(im_emulator) -> None:
    response = await im_emulator.client.options("/group/create_group")
    assert response.status_code == 200 and response.json() == "Options Request!"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"] == "application/json"


async def test_every_answer_carries_each_cors_header_once(im_emulator) -> None:
    token = await admin_token(im_emulator)
    answers = [
        await im_emulator.client.options("/group/create_group"),
        await post(im_emulator, "/group/get_joined_group_list", joined_body(), token=token),
        await post(im_emulator, "/group/get_joined_group_list", joined_body(),
                   token=token, headers={"Accept-Encoding": "gzip"}),
        await post(im_emulator, "/group/get_joined_group_list", {}, op=None),
        await post(im_emulator, "/group/get_joined_group_list", raw=b"not json", token=token),
        await post(im_emulator, "/nowhere", {}, token=token),
    ]
    for response in answers:
        names = [name.lower() for name, _ in response.headers.multi_items()]
        for name, value in CORS_HEADERS.items():
            assert names.count(name.lower()) == 1, (response.request.url, name)
            assert response.headers[name] == value


async def test_trailing_slash_redirects(im_emulator) -> None:
    response = await im_emulator.client.post("/group/create_group/?a=1")
    assert response.status_code == 307
    assert response.headers["location"] == "/group/create_group?a=1"


async def test_gzip_when_asked(im_emulator) -> None:
    token = await admin_token(im_emulator)
    plain = await post(im_emulator, "/group/get_joined_group_list", joined_body(), token=token,
                       headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = await im_emulator.client.post(
        "/group/get_joined_group_list", content=json.dumps(joined_body()),
        headers={"operationID": "1", "token": token, "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == plain.json()
    error = await im_emulator.client.post("/group/get_joined_group_list", content=b"{}",
                                          headers={"Accept-Encoding": "gzip"})
    assert error.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(error.content) if error.content[:2] == b"\x1f\x8b"
                      else error.content)["errCode"] == 1001


async def test_no_rate_limit_by_default(im_emulator) -> None:
    im_emulator.clock.freeze()
    for _ in range(60):
        response = await post(im_emulator, "/auth/get_admin_token",
                              {"secret": SECRET, "userID": "imAdmin"})
        assert response.status_code == 200


@pytest.mark.im_emulator_settings(openim_rate_limit=2)
async def test_optional_rate_limit_answers_429(im_emulator) -> None:
    im_emulator.clock.set(NOW + 0.25)
    im_emulator.clock.freeze()
    body = {"secret": SECRET, "userID": "imAdmin"}
    for _ in range(2):
        assert (await post(im_emulator, "/auth/get_admin_token", body)).status_code == 200
    response = await post(im_emulator, "/auth/get_admin_token", body)
    assert response.status_code == 429
    assert response.json() == {"errCode": 429,
                               "errMsg": "too many requests, please try again later",
                               "errDlt": ""}
    assert response.headers["x-ratelimit-policy"] == "BBR"
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-ratelimit-limit"] == "2"
    assert response.headers["x-ratelimit-remaining"] == "0"
    im_emulator.clock.advance(1)
    assert (await post(im_emulator, "/auth/get_admin_token", body)).status_code == 200
