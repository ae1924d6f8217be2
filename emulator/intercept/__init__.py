"""``intercept()``: route the vendors' real API hosts to an in-process emulator, with no socket.

Some official SDKs cannot be given a base URL (one writes its vendor's host into its URL
builder; others default to the real hosts). Inside ``with intercept() as emulator:`` (or under
``@intercept()``), every request that one of the covered HTTP clients sends to a vendor host,
over ``http`` or ``https``, is answered by a fresh emulator running in this process; a request
to any other host goes out untouched.

The covered clients, each hooked where it hands a request to the network:

- urllib3 (and so requests): ``HTTPConnectionPool.urlopen``;
- httpx, sync and async: ``HTTPTransport.handle_request``,
  ``AsyncHTTPTransport.handle_async_request``;
- aiohttp: ``TCPConnector._create_connection`` hands back a connection whose transport is the
  emulator (aiohttp writes and parses the HTTP/1.1 bytes itself, h11 reads them on our side);
- the standard library's ``urllib.request``: the ``http_open`` and ``https_open`` of its
  handlers.

A vendor host is answered by that vendor's pipeline alone: an unknown path there gets that
vendor's own error, never another vendor's answer and never a real network call. The default
hosts are each registered vendor's documented ones (``Vendor.hosts``, with their sources in
the vendor's registration; ``DEFAULT_HOSTS``); ``hosts={vendor: [...]}`` adds hosts (a
self-hosted vendor has none until the caller names them), ``replace=True`` keeps only those
given, and a host given with a port matches only that port.

Async callers run the emulator on their own loop (no thread hop); sync callers share the
emulator's loop on a background thread; one loop serves at a time. The handle is the
``im_emulator`` fixture's (``InProcessEmulator``: ``seed``, ``store``, ``clock``, ``journal``,
``messages``, ``fault``, ``reset``, ``.client``) with ``.sync`` for code that is not async:
``emulator.sync.seed(...)``, ``.sync.reset()``, ``.sync.wait_for_message(...)``,
``.sync.run(coroutine)``.

The package's modules: ``routing`` (which host goes to which vendor), ``runner``
(``Interceptor``: the emulator on its own loop and thread), ``gate`` (one loop serving at a
time), ``serving`` (one request as the app's ASGI call), ``handle`` (``InterceptedEmulator``),
``hooks`` (the running interceptors and the patches they share), one ``*_hook`` module per
client, ``wire`` (the request parts the clients hand over) and ``transport`` (the socketless
transport of an intercepted aiohttp connection).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Mapping
from typing import Any

from emulator.intercept import hooks
from emulator.intercept.handle import InterceptedEmulator
from emulator.intercept.routing import DEFAULT_HOSTS
from emulator.intercept.runner import Interceptor
from emulator.settings import Settings

__all__ = ["DEFAULT_HOSTS", "InterceptedEmulator", "Interceptor", "intercept"]

# The running interceptors, innermost last (empty while none runs and no client is patched).
_active = hooks.active


def intercept(*, hosts: Mapping[str, Iterable[str]] | None = None, replace: bool = False,
              settings: Settings | None = None, **overrides: Any) -> Interceptor:
    """Route the vendors' API hosts to a fresh in-process emulator, as a ``with`` (or
    ``async with``) block or a decorator.

    ``hosts`` adds hosts per vendor name (``{name: ["api.example.com", "10.0.0.5:8080"]}``;
    ``replace=True`` uses only the hosts given); ``settings`` or setting overrides
    (``rate_limits=False``, ...) configure the emulator, as the ``im_emulator_settings`` marker
    does.
    """
    return Interceptor(hosts=hosts, replace=replace, settings=settings, **overrides)


class _CallableModule(types.ModuleType):
    """``emulator.intercept`` is this package once it is imported (Python binds a submodule to
    its package's attribute), so the package itself calls ``intercept()``: ``emulator.intercept()``
    and ``from emulator import intercept`` work whichever was imported first."""

    def __call__(self, *args: Any, **kwargs: Any) -> Interceptor:
        return intercept(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
