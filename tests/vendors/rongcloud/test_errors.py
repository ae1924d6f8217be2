"""What RongCloud answers before an endpoint runs, and in which order it checks: an unknown
``.json`` path gets the 404 envelope before any check; then the signature; then the fault rules
and the rate limit, which also apply to a body that is not UTF-8 (1002) or empty (1003)."""

from __future__ import annotations

import pytest

from emulator.signing import RongCloudAuth

pytestmark = pytest.mark.anyio

QUERY = "/user/group/query.json"
NOT_FOUND = {"code": 404, "errorMessage": "Not Found"}
NOT_UTF8 = (400, {"code": 1002, "errorMessage": "The body is not valid UTF-8 form data."})
NO_POST_DATA = (400, {"code": 1003, "errorMessage": "No POST data."})
RATE_LIMITED = (429, {"code": 1008,
                      "errorMessage": "Too many requests: the limit is 100 per second."})


async def test_unknown_path_is_404(im_emulator) -> None:
    response = await im_emulator.client.post("/group/nothing.json", content=b"groupId=a")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


async def test_unknown_path_is_404_before_fault_rules_and_rate_limits(im_emulator,
                                                                      rongcloud) -> None:
    im_emulator.clock.freeze()
    im_emulator.fault(vendor="rongcloud", status=503)
    for _ in range(101):
        response = await rongcloud.post("/group/nothing.json", "groupId=a")
        assert (response.status_code, response.json()) == (404, NOT_FOUND)
        assert response.headers["content-type"] == "application/json; charset=utf-8"
    entry = im_emulator.journal()[-1]
    assert (entry["vendor"], entry["endpoint"], entry["app"], entry["user"]) == (
        "rongcloud", "", "", "")
    assert (entry["status"], entry["code"]) == (404, 404)
    assert [rule["fired"] for rule in
            (r.as_json() for r in im_emulator.services.faults.rules())] == [0]


async def test_body_that_is_not_utf8(rongcloud) -> None:
    assert await rongcloud.call(QUERY, b"userId=%ff%fe") == NOT_UTF8


async def test_empty_body(rongcloud) -> None:
    assert await rongcloud.call(QUERY, b"") == NO_POST_DATA


async def test_blank_body_is_empty_but_separators_are_not(rongcloud) -> None:
    assert await rongcloud.call(QUERY, b" \r\n ") == NO_POST_DATA
    assert await rongcloud.call(QUERY, b"&&") == rongcloud.required("userId")


async def test_get_without_body(im_emulator) -> None:
    response = await im_emulator.client.get("/user/group/query.json?userId=alice",
                                            auth=RongCloudAuth())
    assert response.status_code == 400
    assert response.json() == {"code": 1003, "errorMessage": "No POST data."}


@pytest.mark.parametrize("body", [b"", b"userId=%ff"])
async def test_signature_is_checked_before_the_body(rongcloud, signed, body: bytes) -> None:
    response = await rongcloud.post(QUERY, body, headers=signed(secret="wrong"))
    assert response.status_code == 401 and response.json()["code"] == 1004


@pytest.mark.parametrize("body,refused", [(b"userId=%ff", NOT_UTF8), (b"", NO_POST_DATA)])
async def test_rate_limit_applies_to_a_refused_body(im_emulator, rongcloud, body: bytes,
                                                    refused: tuple[int, dict[str, object]]
                                                    ) -> None:
    im_emulator.clock.freeze()
    for _ in range(100):
        assert await rongcloud.call(QUERY, body) == refused
    assert await rongcloud.call(QUERY, body) == RATE_LIMITED
    assert await rongcloud.call(QUERY, "userId=alice") == RATE_LIMITED


@pytest.mark.parametrize("body", [b"userId=%ff", b""])
async def test_fault_rules_apply_to_a_refused_body(im_emulator, rongcloud, body: bytes) -> None:
    im_emulator.fault(vendor="rongcloud", endpoint=QUERY, error={"code": 1000})
    assert await rongcloud.call(QUERY, body) == (
        500, {"code": 1000, "errorMessage": "Internal server error, please try again later."})


async def test_first_user_id_names_the_user_for_fault_rules(im_emulator, rongcloud) -> None:
    im_emulator.fault(vendor="rongcloud", user="bob", status=503)
    assert (await rongcloud.post(QUERY, "userId=alice&userId=bob")).status_code == 200
    assert (await rongcloud.post(QUERY, "userId=bob&userId=alice")).status_code == 503
    assert (await rongcloud.post(QUERY, "userId=bob&page=%ff")).status_code == 400
    assert [entry["user"] for entry in im_emulator.journal()] == ["alice", "bob", ""]


async def test_a_body_over_100_kb_gets_1508(rongcloud) -> None:
    body = "userId=alice&pad=" + "x" * 102_400
    assert await rongcloud.call(QUERY, body) == (
        400, {"code": 1508,
              "errorMessage": "The HTTP body is too large, it must be under 100 KB."})


@pytest.mark.parametrize("code,status,message", [
    (1015, 400, "The data to delete does not exist."),
    (1016, 403, "Too many kept-alive chatrooms."),
    (1005, 400, "Parameter length exceeded."),
    (1009, 430, "The service is not enabled."),
    (2007, 403, "The development environment allows at most 100 registered users."),
    (1234, 500, "Unknown error."),
])
async def test_fault_codes_answer_the_table(im_emulator, rongcloud, code: int, status: int,
                                            message: str) -> None:
    im_emulator.fault(vendor="rongcloud", endpoint=QUERY, error={"code": code})
    assert await rongcloud.call(QUERY, "userId=alice") == (
        status, {"code": code, "errorMessage": message})
