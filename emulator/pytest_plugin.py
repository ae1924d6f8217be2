"""pytest fixtures for projects that test against the emulator (registered via ``pytest11``).

- ``im_emulator``: a fresh, seeded emulator per test, in-process with no socket: ``.client`` (an
  ``httpx.AsyncClient`` on the app), ``.store``, ``.clock``, ``await .seed(dict)``,
  ``await .reset()``. Use it from ``@pytest.mark.anyio`` tests.
- ``im_emulator_server``: one real uvicorn server per session on a free port, reset before each
  test, for synchronous clients: ``.url``, ``.seed(dict)``, ``.reset()``, ``.clock``.
- Both have ``.fault(**rule)``, ``.clear_faults()``, ``.journal(**filters)`` and
  ``.assert_called(vendor, endpoint, times=N)`` for fault injection and the request journal,
  and ``.messages(group=, sender=)`` and ``wait_for_message(group=, predicate=, timeout=)``
  (awaited on ``im_emulator``) for the group message log.
- ``im_emulator_intercept``: a fresh emulator that the vendors' real API hosts are routed to
  for the test (``emulator.intercept()``), the handle of ``im_emulator`` with ``.sync`` forms;
  ``@pytest.mark.im_emulator_intercept(hosts={vendor: [...]})`` routes more hosts.
- ``@pytest.mark.im_emulator_fixtures("path.json")`` picks the fixture file (relative paths are
  resolved against the test file's folder, then the rootdir);
  ``@pytest.mark.im_emulator_settings(**fields)`` overrides Settings for ``im_emulator`` and
  ``im_emulator_intercept``.

Each test's store is a copy of a template built once per fixture file, so isolation is cheap.
Both fixtures protect the admin API with a random ``--admin-token`` and send it themselves
(``.admin_token``; the in-process client adds it to every ``/_emulator/*`` request that has no
``Authorization`` header). Whatever fails while a fixture sets up, it closes what it opened, so
a broken fixture file fails the test and never hangs the run.
"""

from __future__ import annotations

import json
import secrets
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from emulator.admin import BodyError, check_value, parse_seed
from emulator.app import create_app, is_admin_path
from emulator.server import server_config
from emulator.clock import ManualClock
from emulator.faults import FaultSpecError
from emulator.pipeline import DROP_HEADER
from emulator.services import Services
from emulator.settings import Settings
from emulator.store import FixtureError, GroupStore
from emulator.store import messages as store_messages

BASE_URL = "http://im-emulator.test"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("im-emulator")
    group.addoption("--im-emulator-fixtures", default=None,
                    help="fixture file for the im_emulator fixtures (default: the bundled one)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "im_emulator_fixtures(path): fixture file for im_emulator")
    config.addinivalue_line("markers",
                            "im_emulator_settings(**fields): Settings overrides for im_emulator")
    config.addinivalue_line("markers",
                            "im_emulator_intercept(hosts={vendor: [...]}): hosts that "
                            "im_emulator_intercept routes, beside the vendors' own")


def _fixture_path(request: pytest.FixtureRequest) -> Path | None:
    marker = request.node.get_closest_marker("im_emulator_fixtures")
    if marker is not None:
        path = Path(marker.args[0])
        if not path.is_absolute():
            local = Path(str(request.node.path)).parent / path
            path = local if local.exists() else request.config.rootpath / path
        return path
    option = request.config.getoption("--im-emulator-fixtures")
    return Path(option) if option else None


class EmulatorTransport(httpx.ASGITransport):
    """httpx's ASGI transport, turning the drop fault into the error a real socket gives, and
    sending the admin token with every admin request that has no Authorization header."""

    def __init__(self, app: ASGIApp, admin_token: str = "") -> None:
        self.admin_token = admin_token

        async def completing(scope: Scope, receive: Receive, send: Send) -> None:
            dropped = False

            async def watch(message: Message) -> None:
                nonlocal dropped
                if message["type"] == "http.response.start":
                    dropped = DROP_HEADER in message.get("headers", [])
                await send(message)

            await app(scope, receive, watch)
            if dropped:
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        super().__init__(app=completing)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if (self.admin_token and is_admin_path(request.url.path)
                and "authorization" not in request.headers):
            request.headers["Authorization"] = f"Bearer {self.admin_token}"
        response = await super().handle_async_request(request)
        if response.headers.get("x-emulator-fault") == "drop":
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body", request=request)
        return response


def select_entries(entries: list[dict[str, Any]], filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The journal entries whose fields equal every filter."""
    return [entry for entry in entries
            if all(entry.get(key) == value for key, value in filters.items())]


def check_called(entries: list[dict[str, Any]], vendor: str, endpoint: str | None,
                 times: int | None) -> list[dict[str, Any]]:
    """Assert on a vendor's journal entries; returns the matching ones."""
    matching = [entry for entry in entries
                if endpoint is None or endpoint in (entry["endpoint"], entry["path"])]
    where = f"{vendor} {endpoint}" if endpoint else vendor
    if times is None:
        assert matching, f"no {where} call was made; journal: {entries}"
    else:
        assert len(matching) == times, (
            f"expected {times} {where} call(s), got {len(matching)}: {matching}")
    return matching


MessagePredicate = Callable[[dict[str, Any]], Any]


def message_filters(group: str | None, sender: str | None, vendor: str | None,
                    since_seq: int | None) -> dict[str, Any]:
    """The filters of a message-log read that were given."""
    given = {"group": group, "sender": sender, "vendor": vendor, "since_seq": since_seq}
    return {key: value for key, value in given.items() if value is not None}


def first_match(log: list[dict[str, Any]], predicate: MessagePredicate | None
                ) -> dict[str, Any] | None:
    """The oldest message of ``log`` that ``predicate`` accepts (any, without one)."""
    return next((m for m in log if predicate is None or predicate(m)), None)


def no_message(filters: dict[str, Any], timeout: float, log: list[dict[str, Any]]) -> str:
    """What a wait_for_message that timed out says."""
    where = ", ".join(f"{key}={value!r}" for key, value in filters.items()) or "any group"
    return (f"no matching message ({where}) within {timeout:g} s; the log had "
            f"{len(log)} message(s) under these filters: {log[-10:]}")


class InProcessEmulator:
    """A running in-process emulator for one test."""

    def __init__(self, app: Any, services: Services) -> None:
        self.app = app
        self.services = services
        self.client = httpx.AsyncClient(
            transport=EmulatorTransport(app=app, admin_token=services.settings.admin_token),
            base_url=BASE_URL)

    @property
    def admin_token(self) -> str:
        """The bearer token the admin API needs ("" when it needs none)."""
        return self.services.settings.admin_token

    @property
    def store(self) -> GroupStore:
        """The shared group store."""
        return self.services.store

    @property
    def clock(self) -> ManualClock:
        """The clock every check reads; freeze and advance it instead of sleeping."""
        return self.services.clock

    @property
    def settings(self) -> Settings:
        """The settings this emulator runs with."""
        return self.services.settings

    async def seed(self, fixture: dict[str, Any]) -> None:
        """Add users and groups (fixture format); raises FixtureError on a bad fixture."""
        _check_plain(fixture)
        data = await parse_seed(self.services, fixture)
        await self.services.store.seed(data)

    async def reset(self) -> None:
        """Back to the loaded fixtures, with rate-limit windows, fault rules and journal cleared."""
        await self.services.reset_store()
        self.services.reset_runtime()

    def fault(self, **rule: Any) -> dict[str, Any]:
        """Add a fault rule (the body of ``POST /_emulator/faults``); returns it with its id."""
        try:
            check_value(rule)
        except BodyError as exc:
            raise FaultSpecError(str(exc)) from None
        return self.services.faults.add(rule).as_json()

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self.services.faults.clear()

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first, whose fields equal every filter given."""
        return select_entries([entry.as_json() for entry in self.services.journal.entries()],
                              filters)

    def assert_called(self, vendor: str, endpoint: str | None = None, *, times: int | None = None,
                      **filters: Any) -> list[dict[str, Any]]:
        """Assert that matching vendor calls were made (exactly ``times`` if given)."""
        return check_called(self.journal(vendor=vendor, **filters), vendor, endpoint, times)

    def messages(self, group: str | None = None, sender: str | None = None,
                 vendor: str | None = None, since_seq: int | None = None) -> list[dict[str, Any]]:
        """The group message log, oldest first, as ``GET /_emulator/messages`` answers it
        (each ``{"group", "seq", "time", "sender", "vendor", "type", "body", "recalled",
        "kind"}``), under the filters given. Read between requests, not while one is in flight."""
        log = store_messages.log(self.services.store.raw, group=group, sender=sender,
                                 vendor=vendor, since_seq=since_seq)
        return [message.as_json() for message in log]

    async def wait_for_message(self, group: str | None = None,
                               predicate: MessagePredicate | None = None, *,
                               timeout: float = 5.0, sender: str | None = None,
                               vendor: str | None = None) -> dict[str, Any]:
        """The oldest message (already in the log, or sent while waiting) of ``group``
        (and ``sender``, ``vendor``) that ``predicate`` accepts; AssertionError after
        ``timeout`` seconds of real time, whatever the emulator's clock."""
        filters = message_filters(group, sender, vendor, None)
        deadline = time.monotonic() + timeout
        while True:
            log = self.messages(**filters)
            found = first_match(log, predicate)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(no_message(filters, timeout, log))
            await anyio.sleep(0.005)


def _check_plain(value: Any) -> None:
    """FixtureError unless ``value`` is data the admin API would take as JSON."""
    try:
        check_value(value)
    except BodyError as exc:
        raise FixtureError("seed", exc.path, exc.message) from None


def _setting_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The Settings fields the markers (and ``--im-emulator-fixtures``) give this test."""
    overrides: dict[str, Any] = {}
    marker = request.node.get_closest_marker("im_emulator_settings")
    if marker is not None:
        overrides.update(marker.kwargs)
    path = _fixture_path(request)
    if path is not None:
        overrides["fixtures"] = path
    overrides.setdefault("admin_token", secrets.token_urlsafe(16))
    return overrides


@pytest.fixture
async def im_emulator(request: pytest.FixtureRequest,
                      anyio_backend: str) -> AsyncIterator[InProcessEmulator]:
    """A fresh emulator seeded from the fixture file, with no socket."""
    overrides = _setting_overrides(request)
    app = create_app(Settings(**overrides))
    services: Services = app.state.services
    try:
        await services.start()
        emulator = InProcessEmulator(app, services)
    except BaseException:
        await services.stop()
        raise
    try:
        yield emulator
    finally:
        try:
            await emulator.client.aclose()
        finally:
            await services.stop()


@pytest.fixture
def im_emulator_intercept(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh emulator that the vendors' real API hosts are routed to for the test
    (``emulator.intercept()``), the same markers choosing its fixture file and settings;
    ``@pytest.mark.im_emulator_intercept(hosts={vendor: [...]})`` names more hosts.
    A plain (synchronous) fixture, so sync and ``anyio`` tests both use it."""
    from emulator.intercept import intercept

    routes: dict[str, Any] = {}
    marker = request.node.get_closest_marker("im_emulator_intercept")
    if marker is not None:
        routes.update(marker.kwargs)
    with intercept(**routes, **_setting_overrides(request)) as emulator:
        yield emulator


class ServerClock:
    """The server's clock, driven through ``/_emulator/clock``."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        response = self._client.post("/_emulator/clock", json=body)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def now(self) -> float:
        """The server's current time."""
        return float(self._client.get("/_emulator/clock").json()["now"])

    def freeze(self) -> None:
        """Stop the server's clock."""
        self._post({"freeze": True})

    def unfreeze(self) -> None:
        """Let the server's clock run again."""
        self._post({"freeze": False})

    def advance(self, seconds: float) -> None:
        """Move the server's clock forward."""
        self._post({"advance": seconds})

    def set(self, unix_seconds: float) -> None:
        """Set the server's clock."""
        self._post({"set": unix_seconds})


class ServerEmulator:
    """A real uvicorn server on a free loopback port."""

    def __init__(self, url: str, admin_token: str = "") -> None:
        self.url = url
        self.admin_token = admin_token
        self.admin_headers = {"Authorization": f"Bearer {admin_token}"} if admin_token else {}
        self.admin = httpx.Client(base_url=url, timeout=10, headers=self.admin_headers)
        self.clock = ServerClock(self.admin)

    def seed(self, fixture: dict[str, Any]) -> None:
        """Add users and groups (fixture format); raises httpx.HTTPStatusError on a bad one."""
        self.admin.post("/_emulator/seed", json=fixture).raise_for_status()

    def fault(self, **rule: Any) -> dict[str, Any]:
        """Add a fault rule (the body of ``POST /_emulator/faults``); returns it with its id."""
        response = self.admin.post("/_emulator/faults", json=rule)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self.admin.delete("/_emulator/faults").raise_for_status()

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        """Journal entries, oldest first, whose fields equal every filter given."""
        entries: list[dict[str, Any]] = self.admin.get("/_emulator/journal").json()["entries"]
        return select_entries(entries, filters)

    def assert_called(self, vendor: str, endpoint: str | None = None, *, times: int | None = None,
                      **filters: Any) -> list[dict[str, Any]]:
        """Assert that matching vendor calls were made (exactly ``times`` if given)."""
        return check_called(self.journal(vendor=vendor, **filters), vendor, endpoint, times)

    def messages(self, group: str | None = None, sender: str | None = None,
                 vendor: str | None = None, since_seq: int | None = None) -> list[dict[str, Any]]:
        """The group message log, oldest first (``GET /_emulator/messages``), filtered."""
        response = self.admin.get("/_emulator/messages",
                                  params=message_filters(group, sender, vendor, since_seq))
        response.raise_for_status()
        log: list[dict[str, Any]] = response.json()["messages"]
        return log

    def wait_for_message(self, group: str | None = None,
                         predicate: MessagePredicate | None = None, *, timeout: float = 5.0,
                         sender: str | None = None, vendor: str | None = None) -> dict[str, Any]:
        """The oldest message of ``group`` (and ``sender``, ``vendor``) that ``predicate``
        accepts, polling the server; AssertionError after ``timeout`` seconds."""
        filters = message_filters(group, sender, vendor, None)
        deadline = time.monotonic() + timeout
        while True:
            log = self.messages(**filters)
            found = first_match(log, predicate)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(no_message(filters, timeout, log))
            time.sleep(0.02)

    def reset(self, fixture: dict[str, Any] | None = None) -> None:
        """Back to the loaded fixtures (or to the given fixture object), clock and limits too."""
        body = None if fixture is None else {"fixture": fixture}
        self.admin.post("/_emulator/reset", json=body).raise_for_status()


@pytest.fixture(scope="session")
def _im_emulator_server_session() -> Iterator[ServerEmulator]:
    token = secrets.token_urlsafe(16)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    emulator: ServerEmulator | None = None
    try:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        settings = Settings(port=port, admin_token=token)
        server = uvicorn.Server(server_config(create_app(settings), settings,
                                              log_level="warning", access_log=False))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the im-emulator server did not start")
            thread.join(0.01)
        emulator = ServerEmulator(f"http://127.0.0.1:{port}", token)
        yield emulator
    finally:
        if emulator is not None:
            emulator.admin.close()
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(10)
        sock.close()


@pytest.fixture
def im_emulator_server(request: pytest.FixtureRequest,
                       _im_emulator_server_session: ServerEmulator) -> ServerEmulator:
    """The session's real server, reset to the chosen fixture file before the test."""
    path = _fixture_path(request)
    if path is None:
        _im_emulator_server_session.reset()
    else:
        _im_emulator_server_session.reset(json.loads(path.read_text(encoding="utf-8")))
    return _im_emulator_server_session
