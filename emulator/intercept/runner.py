"""``Interceptor``: one in-process emulator on its own loop and thread, the hosts routed to it,
and the client hooks installed while it runs; a ``with``/``async with`` block or a decorator."""

from __future__ import annotations

import asyncio
import functools
import inspect
import secrets
import threading
from collections.abc import Callable, Coroutine, Iterable, Mapping
from types import TracebackType
from typing import Any, TypeVar

from emulator.app import create_app
from emulator.intercept import aiohttp_hook, httpx_hook, hooks, urllib3_hook, urllib_hook
from emulator.intercept.gate import LoopGate
from emulator.intercept.handle import InterceptedEmulator
from emulator.intercept.routing import Routes
from emulator.intercept.serving import Answer, Server
from emulator.intercept.transport import abort_all
from emulator.services import Services
from emulator.settings import Settings

T = TypeVar("T")

# Each covered client's patcher, run when the first interceptor starts.
PATCHERS = (urllib3_hook.hook, httpx_hook.hook, urllib_hook.hook, aiohttp_hook.hook)


class Interceptor:
    """One running in-process emulator and the hosts routed to it (see ``emulator.intercept``)."""

    def __init__(self, *, hosts: Mapping[str, Iterable[str]] | None = None,
                 replace: bool = False, settings: Settings | None = None,
                 **overrides: Any) -> None:
        self._routes = Routes(hosts, replace)
        self.hosts = self._routes.hosts
        self._settings = settings
        self._overrides = overrides
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._services: Services | None = None
        self._server: Server | None = None
        self._gate = LoopGate(self._new_loop_serves)
        self.emulator: InterceptedEmulator | None = None

    def vendor_for(self, host: str | None, port: int | None, scheme: str) -> str | None:
        """The vendor whose host this is (``""`` for the in-process host), else None."""
        return self._routes.vendor_for(host, port, scheme)

    # -- life ----------------------------------------------------------------------------

    def start(self) -> InterceptedEmulator:
        """Start the emulator on its own loop and install the hooks; returns the handle."""
        if self.emulator is not None:
            raise RuntimeError("this intercept() is already running")
        settings = self._settings
        if settings is None:
            overrides = dict(self._overrides)
            overrides.setdefault("admin_token", secrets.token_urlsafe(16))
            settings = Settings(**overrides)
        elif self._overrides:
            raise TypeError("give settings= or setting overrides, not both")
        app = create_app(settings)
        services: Services = app.state.services
        self._services = services
        loop = asyncio.new_event_loop()
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.call_soon(ready.set)
            loop.run_forever()

        thread = threading.Thread(target=run, name="im-emulator-intercept", daemon=True)
        thread.start()
        ready.wait()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(services.start(), loop).result()
        except BaseException:
            try:  # what start opened before it failed (as the im_emulator fixture does)
                asyncio.run_coroutine_threadsafe(services.stop(), loop).result()
            finally:
                self._stop_loop()
            raise
        self._server = Server(app)
        self.emulator = InterceptedEmulator(app, services, self)
        hooks.install(self, PATCHERS)
        return self.emulator

    def stop(self) -> None:
        """Remove the hooks, close what the emulator opened and end its loop."""
        if self.emulator is None:
            return
        emulator, self.emulator = self.emulator, None
        hooks.uninstall(self)
        try:
            abort_all(self)
            self.run(emulator.client.aclose())
            self.run(emulator.services.stop())
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(10)
        if loop is not None:
            loop.close()

    def __enter__(self) -> InterceptedEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> InterceptedEmulator:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await asyncio.to_thread(self.stop)

    def __call__(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """As a decorator: the function runs inside a fresh ``intercept()``, and gets the
        handle as its ``im_emulator`` keyword when it has a parameter of that name."""
        wants = "im_emulator" in inspect.signature(func).parameters
        factory = self._copy

        if inspect.iscoroutinefunction(func):
            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                async with factory() as emulator:
                    if wants:
                        kwargs["im_emulator"] = emulator
                    return await func(*args, **kwargs)
            return _hide(async_wrapper, wants)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with factory() as emulator:
                if wants:
                    kwargs["im_emulator"] = emulator
                return func(*args, **kwargs)
        return _hide(wrapper, wants)

    def _copy(self) -> Interceptor:
        copy = Interceptor(settings=self._settings, **self._overrides)
        copy._routes, copy.hosts = self._routes, self.hosts
        return copy

    # -- serving -------------------------------------------------------------------------

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the emulator's own loop and wait for it (sync code, any thread
        but the emulator's)."""
        loop = self._loop
        if loop is None:
            coroutine.close()
            raise RuntimeError("the intercepted emulator is not running")
        try:
            calling: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            calling = None
        # Called from inside the loop that is serving (a sync client in an async test with
        # requests in flight there): that loop is blocked until this returns, so waiting for
        # it would never end; this request runs beside them.
        beside = calling is not None and self._gate.is_serving(calling)
        return asyncio.run_coroutine_threadsafe(
            coroutine if beside else self.run_async(coroutine), loop).result()

    async def run_async(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await a coroutine on the running loop once no other loop is serving."""
        if self._loop is None:
            coroutine.close()
            raise RuntimeError("the intercepted emulator is not running")
        return await self._gate.run(coroutine)

    def _new_loop_serves(self) -> None:
        if self._services is not None:
            self._services.store.renew_lock()

    async def serve(self, vendor: str, method: str, scheme: str, host: str, port: int | None,
                    target: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> Answer:
        """One request, on the running loop: the vendor's pipeline (the whole app for the
        in-process host, ``vendor`` ``""``)."""
        if self._server is None:
            raise RuntimeError("the intercepted emulator is not running")
        token = self.emulator.admin_token if self.emulator is not None else ""
        return await self._server.serve(vendor, method, scheme, host, port, target, headers,
                                        body, admin_token=token)

    def serve_sync(self, vendor: str, method: str, scheme: str, host: str, port: int | None,
                   target: bytes, headers: list[tuple[bytes, bytes]], body: bytes) -> Answer:
        """``serve`` from sync code, on the loop serving."""
        return self.run(self.serve(vendor, method, scheme, host, port, target, headers, body))


def _hide(wrapper: Callable[..., Any], wants: bool) -> Callable[..., Any]:
    """Hide the ``im_emulator`` parameter from pytest, which would look for a fixture."""
    if wants:
        signature = inspect.signature(wrapper)
        wrapper.__signature__ = signature.replace(parameters=[  # type: ignore[attr-defined]
            p for name, p in signature.parameters.items() if name != "im_emulator"])
    return wrapper
