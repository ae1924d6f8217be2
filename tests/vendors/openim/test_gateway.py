"""OpenIM's gin gateway around the handlers: the envelope, Go's decode errors, gin's 404s and
trailing-slash redirect, OPTIONS, the CORS headers, gzip, the optional rate limiter (before every
header check), fault rules and what the journal records."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from emulator.vendors.openim.gin import CORS_HEADERS
from tests.vendors.openim.helpers import JOINED, NOW, SECRET, envelope, joined_body

pytestmark = pytest.mark.anyio

ADMIN_TOKEN_BODY = {"secret": SECRET, "userID": "imAdmin"}


def cors_count(response: Any) -> dict[str, int]:
    """How often each CORS header appears in an answer."""
    names = [name.lower() for name, _ in response.headers.multi_items()]
    return {name: names.count(name.lower()) for name in CORS_HEADERS}


def has_cors(response: Any) -> bool:
    """True when every CORS header appears once with its value."""
    return (all(count == 1 for count in cors_count(response).values())
            and all(response.headers[name] == value for name, value in CORS_HEADERS.items()))


def has_no_cors(response: Any) -> bool:
    return all(count == 0 for count in cors_count(response).values())


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
async def test_decode_errors_are_1001_with_the_go_error(openim, raw: bytes,
                                                        msg: str) -> None:
    response = await openim.post(JOINED, raw=raw,
                          token=await openim.admin_token())
    assert response.status_code == 200
    assert response.json() == envelope(1001, msg, "")


async def test_keys_match_in_any_case_and_null_is_zero(openim) -> None:
    body = b'{"FROMUSERID":"alice","Pagination":{"PAGENUMBER":1,"showNumber":2},"x":[1]}'
    response = await openim.post(JOINED, raw=body,
                          token=await openim.admin_token())
    assert response.json()["errCode"] == 0 and len(response.json()["data"]["groups"]) == 2
    null = await openim.post(JOINED, raw=b"null",
                      token=await openim.admin_token())
    assert null.json() == envelope(1001, "ArgsError", "pagination is empty")


async def test_get_is_a_plain_404_and_unknown_posts_run_the_header_checks(openim) -> None:
    for path in (JOINED, "/nowhere", "/"):
        response = await openim.client.get(path, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 404
        assert response.text == "404 page not found"
        assert response.headers["content-type"] == "text/plain"
    no_op = await openim.post("/nowhere", {}, op=None)
    assert no_op.json() == envelope(1001, "ArgsError", "header must have operationID")
    no_token = await openim.post("/nowhere", {})
    assert no_token.json() == envelope(1001, "ArgsError", "header must have token")
    plain = {"Accept-Encoding": "identity"}
    found = await openim.post("/nowhere", {}, token=await openim.admin_token(), headers=plain)
    assert found.status_code == 404 and found.text == "404 page not found"
    encoded = await openim.post("/group/get_joined_group_list%3F", {},
                                token=await openim.admin_token(), headers=plain)
    assert encoded.status_code == 404 and encoded.text == "404 page not found"


async def test_a_404_for_a_gzip_client_is_an_empty_gzip_stream_as_json(openim) -> None:
    """gin-contrib/gzip v1.0.1 writes its footer before gin's 404 text (issue 18)."""
    for response in (await openim.client.get("/nowhere", headers={"Accept-Encoding": "gzip"}),
                     await openim.post("/nowhere", {}, token=await openim.admin_token(),
                                       headers={"Accept-Encoding": "gzip"})):
        assert response.status_code == 404
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["content-type"] == "application/json"
        assert response.content == b""
        assert response.headers["access-control-allow-origin"] == "*"


async def test_options_and_cors(openim) -> None:
    response = await openim.client.options("/group/create_group")
    assert response.status_code == 200 and response.json() == "Options Request!"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["content-type"] == "application/json"


async def test_every_answer_carries_each_cors_header_once(openim) -> None:
    token = await openim.admin_token()
    answers = [
        await openim.client.options("/group/create_group"),
        await openim.post(JOINED, joined_body(), token=token),
        await openim.post(JOINED, joined_body(),
                   token=token, headers={"Accept-Encoding": "gzip"}),
        await openim.post(JOINED, {}, op=None),
        await openim.post(JOINED, raw=b"not json", token=token),
        await openim.post("/nowhere", {}, token=token),
    ]
    for response in answers:
        names = [name.lower() for name, _ in response.headers.multi_items()]
        for name, value in CORS_HEADERS.items():
            assert names.count(name.lower()) == 1, (response.request.url, name)
            assert response.headers[name] == value


async def test_trailing_slash_redirects(openim) -> None:
    response = await openim.client.post("/group/create_group/?a=1")
    assert response.status_code == 307
    assert response.headers["location"] == "/group/create_group?a=1"


async def test_gzip_when_asked(openim) -> None:
    token = await openim.admin_token()
    plain = await openim.post(JOINED, joined_body(), token=token,
                       headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = await openim.client.post(
        JOINED, content=json.dumps(joined_body()),
        headers={"operationID": "1", "token": token, "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json() == plain.json()
    error = await openim.client.post(JOINED, content=b"{}",
                                          headers={"Accept-Encoding": "gzip"})
    assert error.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(error.content) if error.content[:2] == b"\x1f\x8b"
                      else error.content)["errCode"] == 1001


async def test_no_rate_limit_by_default(openim, im_emulator) -> None:
    im_emulator.clock.freeze()
    for _ in range(60):
        response = await openim.post("/auth/get_admin_token",
                              {"secret": SECRET, "userID": "imAdmin"})
        assert response.status_code == 200


@pytest.mark.im_emulator_settings(openim_rate_limit=2)
async def test_optional_rate_limit_answers_429(openim, im_emulator) -> None:
    im_emulator.clock.set(NOW + 0.25)
    im_emulator.clock.freeze()
    body = {"secret": SECRET, "userID": "imAdmin"}
    for _ in range(2):
        assert (await openim.post("/auth/get_admin_token", body)).status_code == 200
    response = await openim.post("/auth/get_admin_token", body)
    assert response.status_code == 429
    assert response.json() == {"errCode": 429,
                               "errMsg": "too many requests, please try again later",
                               "errDlt": ""}
    assert response.headers["x-ratelimit-policy"] == "BBR"
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-ratelimit-limit"] == "2"
    assert response.headers["x-ratelimit-remaining"] == "0"
    im_emulator.clock.advance(1)
    assert (await openim.post("/auth/get_admin_token", body)).status_code == 200


@pytest.mark.im_emulator_settings(openim_rate_limit=1)
async def test_the_limiters_429_has_no_cors_headers_and_is_gzipped_when_asked(
        openim, im_emulator) -> None:
    im_emulator.clock.freeze()
    first = await openim.post("/auth/get_admin_token", ADMIN_TOKEN_BODY)
    assert first.status_code == 200 and has_cors(first)
    limited = await openim.post("/auth/get_admin_token", ADMIN_TOKEN_BODY)
    assert limited.status_code == 429 and has_no_cors(limited)
    zipped = await openim.post("/auth/get_admin_token", ADMIN_TOKEN_BODY,
                               headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 429 and has_no_cors(zipped)
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.json()["errCode"] == 429


@pytest.mark.im_emulator_settings(openim_rate_limit=1)
async def test_the_limiter_runs_before_the_header_checks_and_options(openim,
                                                                    im_emulator) -> None:
    im_emulator.clock.freeze()
    assert (await openim.client.options("/auth/get_admin_token")).status_code == 200
    options = await openim.client.options("/auth/get_admin_token")
    assert options.status_code == 429 and options.json()["errCode"] == 429
    assert (await openim.post(JOINED, joined_body(), op=None)).json()["errDlt"] == (
        "header must have operationID")
    no_op = await openim.post(JOINED, joined_body(), op=None)
    assert no_op.status_code == 429
    entry = im_emulator.journal(vendor="openim")[-1]
    assert (entry["status"], entry["code"], entry["user"]) == (429, 429, "alice")


async def test_a_trailing_slash_redirect_is_bare(openim, im_emulator) -> None:
    response = await openim.client.post("/group/create_group/", headers={
        "Accept-Encoding": "gzip"})
    assert response.status_code == 307 and response.content == b""
    assert response.headers["location"] == "/group/create_group"
    assert has_no_cors(response) and "content-encoding" not in response.headers
    get = await openim.client.get("/group/create_group/")
    assert get.status_code == 404 and has_cors(get)
    unknown = await openim.client.post("/nowhere/")
    assert unknown.status_code == 200
    assert unknown.json() == envelope(1001, "ArgsError", "header must have operationID")
    entry = im_emulator.journal(vendor="openim")[0]
    assert (entry["endpoint"], entry["status"], entry["code"]) == ("/group/create_group/", 307,
                                                                   None)


async def test_a_fault_rules_error_has_cors_headers_and_is_never_gzipped(openim,
                                                                         im_emulator) -> None:
    token = await openim.admin_token()
    im_emulator.fault(vendor="openim", endpoint=JOINED, error={"code": 1501})
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        response = await openim.post(JOINED, joined_body(), token=token, headers=headers)
        assert response.status_code == 200 and has_cors(response)
        assert "content-encoding" not in response.headers
        assert response.json() == envelope(1501, "TokenExpiredError")
    im_emulator.clear_faults()
    im_emulator.fault(vendor="openim", endpoint=JOINED, error={"code": 429})
    limited = await openim.post(JOINED, joined_body(), token=token)
    assert limited.status_code == 429 and has_cors(limited)
    assert limited.json() == {"errCode": 429,
                              "errMsg": "too many requests, please try again later",
                              "errDlt": ""}
    assert (limited.headers["x-ratelimit-policy"], limited.headers["retry-after"],
            limited.headers["x-ratelimit-limit"]) == ("BBR", "1", "0")


async def test_fault_rules_match_the_user_the_body_names_before_any_header_check(
        openim, im_emulator) -> None:
    im_emulator.fault(vendor="openim", user="carol", error={"code": 1002})
    for user_body in ({"fromUserID": "carol"}, {"ownerUserID": "carol"},
                      {"users": [{"userID": "carol"}]}):
        response = await openim.post("/anywhere", user_body, op=None)
        assert response.json() == envelope(1002, "NoPermissionError")
    get = await openim.client.request("GET", "/x", content=b'{"userID": "carol"}')
    assert get.status_code == 200 and get.json()["errCode"] == 1002
    other = await openim.post("/anywhere", {"fromUserID": "bob"}, op=None)
    assert other.json() == envelope(1001, "ArgsError", "header must have operationID")


async def test_an_internal_error_is_a_500_envelope_with_cors_never_gzipped(
        openim, im_emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    token = await openim.admin_token()

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(im_emulator.store, "joined", broken)
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        response = await openim.post(JOINED, joined_body(), token=token, headers=headers)
        assert response.status_code == 200 and has_cors(response)
        assert "content-encoding" not in response.headers
        assert response.json() == envelope(500, "ServerInternalError", "internal error")
        assert "secret internals" not in response.text
    entry = im_emulator.journal(vendor="openim")[-1]
    assert (entry["code"], entry["reason"]) == (500, "internal error: RuntimeError")


@pytest.mark.parametrize(("path", "query"), [
    ("/", ""), ("/", "NoAction=1"), ("/", "x=1&NoAction=1"), ("/", "Action%3Dx=1"),
    ("/group/get_joined_group_list", ""), ("/anything/else", "Action=x"),
])
async def test_every_path_no_other_vendor_claims_is_openims(openim, im_emulator, path: str,
                                                            query: str) -> None:
    response = await openim.client.get(path + ("?" + query if query else ""),
                                       headers={"Accept-Encoding": "identity"})
    assert response.status_code == 404 and response.text == "404 page not found"
    entry = im_emulator.journal()[-1]
    assert (entry["vendor"], entry["endpoint"], entry["reason"]) == ("openim", path, "no route")


async def test_the_journal_records_the_path_user_and_code(openim, im_emulator) -> None:
    token = await openim.admin_token()
    await openim.post(JOINED, joined_body("bob"), token=token)
    await openim.post("/nowhere", {}, token=token)
    await openim.post(JOINED, raw=b"x", token=token)
    entries = im_emulator.journal(vendor="openim")[-3:]
    assert [(e["endpoint"], e["user"], e["status"], e["code"]) for e in entries] == [
        (JOINED, "bob", 200, 0), ("/nowhere", "", 404, None), (JOINED, "", 200, 1001)]
    assert entries[1]["reason"] == "no route"
