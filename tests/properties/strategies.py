"""Shared pieces of the property suites: what each vendor serves, hypothesis strategies for
arbitrary requests, the credentials that let a fuzzed body reach past authentication, and the
check that a response is in its owner's envelope with the right HTTP status.

The served routes are read from the route tables, so a route added to a vendor is fuzzed too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import event
from hypothesis import strategies as st

from emulator import registry
from emulator.signing import rongcloud_signature, tencent_usersig
from emulator.vendors.rongcloud.errors import CODES as RONGCLOUD_CODES
from emulator.vendors.zego.client import signed_params

OPENIM_PATHS: list[str] = list(registry.get("openim").commands)
ZEGO_ACTION_NAMES: list[str] = list(registry.get("zego").commands)
RONGCLOUD_PATHS: list[str] = list(registry.get("rongcloud").commands)
TENCENT_PATHS: list[str] = [f"/v4/{command}" for command in registry.get("tencent").commands]

OPENIM_SECRET, OPENIM_ADMIN = "openIM123", "imAdmin"
ZEGO_APP_ID, ZEGO_SECRET = 1234567890, "0123456789abcdef0123456789abcdef"
RONGCLOUD_KEY, RONGCLOUD_SECRET = "test-app-key", "test-app-secret"
TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN = 1400000000, "test-secret-key", "administrator"

# Field names every vendor reads, in their own spelling, plus near misses.
FIELD_NAMES = [
    "fromUserID", "pagination", "pageNumber", "showNumber", "groupInfo", "groupType", "groupID",
    "groupName", "ownerUserID", "memberUserIDs", "adminUserIDs", "users", "userID", "nickname",
    "secret", "token", "platformID", "status", "memberCount", "FROMUSERID", "ſhowNumber",
    "FromUserId", "Limit", "Next", "GroupId", "GroupOwner", "GroupName", "GroupNotice",
    "GroupAvatar", "UserIds", "UserId", "UserInfo", "UserName", "UserAvatar",
    "GroupMemberInfos", "EnterGroupTime",
    "userId", "groupId", "page", "size", "name", "portraitUri",
    "Member_Account", "Offset", "GroupType", "WithHugeGroups", "WithNoActiveGroups",
    "ResponseFilter", "GroupBaseInfoFilter", "SelfInfoFilter", "Type", "Name", "Owner_Account",
    "MemberList", "Role", "UserID", "Identifier", "Nick", "FaceUrl", "Introduction",
    "Notification", "MaxMemberCount", "ApplyJoinOption", "Silence", "AppDefinedData",
]
IDS = ["alice", "bob", "heavy", "imAdmin", "administrator", "ghost", "g-hiking", "g-live",
       "g-old-project", "g-pending", "#x", "@TGS#2AAAAAAAA", "", "a:b", "中文", "x" * 65]
NUMBERS = [-2**63 - 1, -2**63, -2**31 - 1, -1, 0, 1, 2, 50, 100, 101, 1000, 1001, 3000, 5000,
           5001, 2**31 - 1, 2**31, 2**32, 2**63 - 1, 2**63, 2**64]
WORDS = ["Public", "Private", "Work", "ChatRoom", "Meeting", "AVChatRoom", "Community",
         "BChatRoom", "Admin", "Member", "Owner", "Name", "Role", "MsgSeq", "FreeAccess",
         "AAAAAr8EiFX_aw", "0", "2", "1.5", "-1", "%zz", "a+b", "a&b=c", "\u2028<&>", "\ud800"]

text = st.text(max_size=40)
ids = st.sampled_from(IDS) | text
scalars = (st.none() | st.booleans() | st.sampled_from(NUMBERS) | st.integers(-2**70, 2**70)
           | st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from(WORDS) | ids)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.sampled_from(FIELD_NAMES) | text, inner, max_size=6),
    max_leaves=20)
json_objects = st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=8)


USERS = ["alice", "bob", "carol", "dave", "heavy", "emoji", "li_lei"]
GROUPS = ["g-hiking", "g-book-club", "g-standup", "g-live", "g-community", "g-old-project",
          "g-quiet", "g-pending", "g-team-00"]
users = st.sampled_from(USERS)
groups = st.sampled_from(GROUPS)
new_ids = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


@st.composite
def mutated(draw: st.DrawFn, template: st.SearchStrategy[dict[str, Any]]) -> dict[str, Any]:
    """A valid body from ``template`` with zero to three mutations: a key dropped, a value
    replaced by any JSON value, or a stray key added (no mutation is the simplest case)."""
    body = dict(draw(template))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        if action == "add" or not body:
            body[draw(st.sampled_from(FIELD_NAMES) | text)] = draw(json_values)
        elif action == "drop":
            del body[draw(st.sampled_from(sorted(body)))]
        else:
            body[draw(st.sampled_from(sorted(body)))] = draw(json_values)
    return body


@st.composite
def mutated_pairs(draw: st.DrawFn,
                  template: st.SearchStrategy[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """Valid form pairs from ``template`` with zero to three mutations: a pair dropped,
    repeated or given any value, or a stray pair added."""
    pairs = list(draw(template))
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(["drop", "repeat", "replace", "add"]))
        if action == "add" or not pairs:
            pairs.append((draw(st.sampled_from(FIELD_NAMES) | text), draw(form_values)))
            continue
        index = draw(st.integers(0, len(pairs) - 1))
        if action == "drop":
            del pairs[index]
        elif action == "repeat":
            pairs.append(pairs[index])
        else:
            pairs[index] = (pairs[index][0], draw(form_values))
    return pairs


def dumps(value: Any) -> bytes:
    """JSON bytes as any client may write them (lone surrogates and big integers included)."""
    return json.dumps(value).encode()


def form_body(pairs: list[tuple[str, str]]) -> bytes:
    """A form body written raw (unencoded), the way RongCloud's official Python SDK writes it."""
    return "&".join(f"{key}={value}" for key, value in pairs).encode("utf-8", "surrogatepass")


form_values = (st.sampled_from(IDS + WORDS) | st.sampled_from([str(n) for n in NUMBERS])
               | st.sampled_from(["x" * 1025, "中文 群", "%ff"]) | text)
form_pairs = st.lists(st.tuples(st.sampled_from(FIELD_NAMES) | st.text(max_size=8),
                                form_values), max_size=10)
bodies = st.one_of(
    st.just(b""), st.binary(max_size=200), json_objects.map(dumps), json_objects.map(dumps),
    json_values.map(dumps), form_pairs.map(form_body), form_pairs.map(form_body),
    text.map(lambda value: value.encode("utf-8", "surrogatepass")))
methods = st.sampled_from(["POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH",
                           "OPTIONS"])

HEADER_NAMES = ["operationID", "OperationID", "token", "TOKEN", "Content-Type",
                "Content-Encoding", "Accept-Encoding", "App-Key", "Nonce", "Timestamp",
                "Signature", "RC-App-Key", "RC-Nonce", "RC-Timestamp", "RC-Signature",
                "app-key", "rc-signature", "X-Forwarded-For", "Authorization"]
header_names = st.sampled_from(HEADER_NAMES) | st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,15}",
                                                             fullmatch=True)
# Header values as a server can receive them: any byte but NUL, CR and LF.
header_values = (st.sampled_from(["gzip", "application/json", "deflate", "", " ", "e30.e30.x",
                                  RONGCLOUD_KEY, "1", "0" * 40])
                 | st.binary(max_size=40).map(
                     lambda raw: bytes(b for b in raw if b not in b"\0\r\n")))
headers = st.lists(st.tuples(header_names, header_values), max_size=5)

QUERY_NAMES = ["Action", "AppId", "SignatureNonce", "Timestamp", "SignatureVersion",
               "Signature", "IsTest", "FromUserId", "Limit", "Next", "UserIds", "UserIds[]",
               "sdkappid", "identifier", "usersig", "random", "contenttype", "userId"]
query_pairs = st.lists(st.tuples(st.sampled_from(QUERY_NAMES) | st.text(max_size=8),
                                 st.sampled_from(ZEGO_ACTION_NAMES + IDS + WORDS) | text),
                       max_size=8)
# Raw query-string tails that a URL library would not produce: bad escapes, lone separators.
raw_query_tails = st.sampled_from(["", "", "&", "&&=", "%zz", "%ff%fe", "a=%", "=x", "Action",
                                   "Action=%00", "Action=QueryGroupsInfoOfUser&Action=x", ";"])


def random_path(prefix: str = "", suffix: str = "") -> st.SearchStrategy[str]:
    """Percent-encoded paths of any characters, with an optional prefix and suffix; never a
    path of the admin API (``/_emulator``), which no vendor owns and has its own tests."""
    return st.text(max_size=30).map(
        lambda raw: "/" + (prefix + quote(raw.encode("utf-8", "surrogatepass"), safe="/")
                           + suffix).lstrip("/")).filter(
        lambda path: path != "/_emulator" and not path.startswith("/_emulator/"))


known_paths = st.sampled_from(OPENIM_PATHS + RONGCLOUD_PATHS + TENCENT_PATHS)
any_paths = st.one_of(
    known_paths, known_paths, known_paths.map(lambda path: path + "/"),
    known_paths.map(str.upper), st.sampled_from(["/", "/v4", "/v4/", "/.json", "/x/y"]),
    random_path(), random_path("v4/"), random_path(suffix=".json"),
    random_path("group/"), random_path("auth/"))


@dataclass
class Request:
    """One request to send: method, path, query pairs (plus a raw tail), headers and body."""

    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    raw_query: str = ""
    headers: list[tuple[str, Any]] = field(default_factory=list)
    body: bytes = b""

    def url(self) -> str:
        """The path and query string as sent."""
        pairs = "&".join(f"{quote(key.encode('utf-8', 'surrogatepass'), safe='[]')}="
                         f"{quote(value.encode('utf-8', 'surrogatepass'), safe='')}"
                         for key, value in self.query)
        query = "&".join(part for part in (pairs, self.raw_query) if part)
        return self.path + ("?" + query if query else "")

    async def send(self, client: httpx.AsyncClient) -> httpx.Response:
        """Send it through the in-process client."""
        content = None if self.method == "GET" and not self.body else self.body
        return await client.request(self.method, self.url(), headers=self.headers,
                                    content=content)


async def openim_admin_token(client: httpx.AsyncClient) -> str:
    """A fresh admin token from the emulator."""
    response = await client.post("/auth/get_admin_token", headers={"operationID": "prop"},
                                 json={"secret": OPENIM_SECRET, "userID": OPENIM_ADMIN})
    token: str = response.json()["data"]["token"]
    return token


def zego_query(now: float) -> list[tuple[str, str]]:
    """Valid ZEGO public parameters for the emulator's clock."""
    return [(key, str(value)) for key, value in
            signed_params(ZEGO_APP_ID, ZEGO_SECRET, int(now)).items()]


def rongcloud_headers(now: float, nonce: str = "14314", prefix: str = "") -> list[tuple[str, str]]:
    """Valid RongCloud signature headers for the emulator's clock."""
    timestamp = str(int(now))
    return [(f"{prefix}App-Key", RONGCLOUD_KEY), (f"{prefix}Nonce", nonce),
            (f"{prefix}Timestamp", timestamp),
            (f"{prefix}Signature", rongcloud_signature(RONGCLOUD_SECRET, nonce, timestamp))]


def tencent_query(clock: Any, usersig: str | None = None) -> list[tuple[str, str]]:
    """Valid Tencent credentials in the query string (a fresh UserSig unless one is given)."""
    usersig = usersig or tencent_usersig(TENCENT_APP, TENCENT_KEY, TENCENT_ADMIN, clock=clock)
    return [("sdkappid", str(TENCENT_APP)), ("identifier", TENCENT_ADMIN), ("usersig", usersig),
            ("random", "99999999"), ("contenttype", "json")]


def owner_for(request: Request) -> str:
    """Which vendor owns a request, by the rule the README gives (see emulator.edge)."""
    path = request.path.split("?")[0]
    if path.startswith("/v4/"):
        return "tencent"
    if path.endswith(".json"):
        return "rongcloud"
    names = [key for key, _ in request.query]
    names += [part.split("=")[0] for part in request.raw_query.split("&")]
    if path == "/" and "Action" in names:
        return "zego"
    return "openim"


def check_response(owner: str, request: Request, response: httpx.Response) -> Any:
    """Assert the response is in the owner's envelope with the right HTTP status; returns the
    decoded body (None for bodies that are not JSON, which only OpenIM's 404 and 307 have)."""
    assert response.status_code != 500, response.text
    assert "Traceback" not in response.text
    assert response.headers.get("x-emulator-version"), response.headers
    data = CHECKS[owner](request, response)
    code = data.get(CODE_KEYS[owner]) if isinstance(data, dict) else response.status_code
    event(f"{owner} {code}")
    return data


def _check_openim(request: Request, response: httpx.Response) -> Any:
    path = request.path
    if request.method == "OPTIONS":
        assert response.status_code == 200 and response.json() == "Options Request!"
        return response.json()
    if response.status_code == 307:
        assert request.method == "POST" and path.endswith("/")
        assert path.rstrip("/") in OPENIM_PATHS
        assert response.headers["location"].startswith(path.rstrip("/"))
        return None
    if response.status_code == 404:
        if response.headers.get("content-encoding") == "gzip":
            # gin-contrib/gzip's footer goes out before gin's 404 text: an empty stream.
            assert response.content == b""
            assert response.headers["content-type"] == "application/json"
        else:
            assert response.text == "404 page not found"
            assert response.headers["content-type"].startswith("text/plain")
        assert request.method != "POST" or path not in OPENIM_PATHS
        return None
    assert response.status_code == 200, response.text
    data = response.json()
    assert list(data)[:3] == ["errCode", "errMsg", "errDlt"], data
    # 500 is an internal failure, except the ones the real server answers too: the Go panics
    # of get_specified_user_group_request_info for a group without an owner row and of
    # search_msg for a negative showNumber.
    assert isinstance(data["errCode"], int), data
    assert data["errCode"] != 500 or (path, data["errDlt"]) in (
        ("/group/get_specified_user_group_request_info",
         "runtime error: index out of range [0] with length 0"),
        ("/msg/search_msg", "runtime error: makeslice: cap out of range")), data
    assert isinstance(data["errMsg"], str) and isinstance(data["errDlt"], str)
    if data["errCode"] == 0:
        assert request.method == "POST" and path in OPENIM_PATHS
        assert ("data" in data) == (path != "/user/user_register"), data
    else:
        assert "data" not in data and data["errMsg"], data
    return data


def _check_zego(request: Request, response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    data = response.json()
    assert list(data)[:3] == ["Code", "Message", "RequestId"], data
    assert isinstance(data["Code"], int) and data["Code"] != 1, data
    assert isinstance(data["Message"], str) and data["Message"]
    assert isinstance(data["RequestId"], str) and len(data["RequestId"]) == 32
    assert (data["Code"] == 0) == (data["Message"] == "success"), data
    return data


def _check_rongcloud(request: Request, response: httpx.Response) -> Any:
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    data = response.json()
    assert isinstance(data["code"], int), data
    if data["code"] == 200:
        assert response.status_code == 200 and "errorMessage" not in data, data
        assert request.path in RONGCLOUD_PATHS
        return data
    assert list(data) == ["code", "errorMessage"], data
    assert isinstance(data["errorMessage"], str) and data["errorMessage"]
    assert data["code"] != 1000, data
    expected = {RONGCLOUD_CODES[data["code"]][0]} | ({405} if data["code"] == 1502 else set())
    assert response.status_code in expected, (response.status_code, data)
    return data


def _check_tencent(request: Request, response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    data = response.json()
    assert list(data)[:3] == ["ActionStatus", "ErrorInfo", "ErrorCode"], data
    assert data["ActionStatus"] in ("OK", "FAIL")
    assert isinstance(data["ErrorInfo"], str) and isinstance(data["ErrorCode"], int)
    assert (data["ActionStatus"] == "OK") == (data["ErrorCode"] == 0), data
    assert data["ErrorCode"] != 10002, data
    if data["ErrorCode"] == 0:
        assert request.method == "POST" and request.path in TENCENT_PATHS
    return data


CODE_KEYS = {"openim": "errCode", "zego": "Code", "rongcloud": "code", "tencent": "ErrorCode"}
CHECKS = {"openim": _check_openim, "zego": _check_zego, "rongcloud": _check_rongcloud,
          "tencent": _check_tencent}
