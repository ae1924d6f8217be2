"""A fake transport for clients that write HTTP/1.1 bytes themselves: what the client writes is
read with h11 and served by the emulator, and the answer's bytes are fed back to the client's
protocol, as a socket would (a dropped answer promises a body and closes the connection)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import h11

from emulator.intercept.routing import DEFAULT_PORTS

if TYPE_CHECKING:
    from emulator.intercept.runner import Interceptor


class SocketlessTransport(asyncio.Transport):
    """One intercepted connection to ``host``: its requests go to ``owner``'s ``vendor``."""

    def __init__(self, owner: Interceptor, vendor: str, scheme: str, host: str,
                 port: int | None, protocol: Any) -> None:
        super().__init__()
        self.owner, self.vendor, self.scheme, self.host, self.port = (owner, vendor, scheme,
                                                                      host, port)
        self.protocol = protocol
        self.conn = h11.Connection(h11.SERVER)
        self.closing = False
        self._request: Any = None
        self._body: list[bytes] = []
        self.loop = asyncio.get_running_loop()
        _live.add(self)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        if name == "peername":
            return (self.host, self.port or DEFAULT_PORTS.get(self.scheme, 80))
        if name == "sockname":
            return ("127.0.0.1", 50000)
        return default

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        if not self.closing:
            self.closing = True
            _live.discard(self)
            self.loop.call_soon(self.protocol.connection_lost, None)

    def abort(self) -> None:
        if not self.closing:
            self.closing = True
            _live.discard(self)
            try:
                self.loop.call_soon_threadsafe(self.protocol.connection_lost, None)
            except RuntimeError:  # the client's loop is closed already
                pass

    def is_reading(self) -> bool:
        return not self.closing

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def get_write_buffer_size(self) -> int:
        return 0

    def can_write_eof(self) -> bool:
        return False

    def writelines(self, chunks: Iterable[bytes]) -> None:  # type: ignore[override]
        self.write(b"".join(chunks))

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self.closing:
            return
        self.conn.receive_data(bytes(data))
        while True:
            event = self.conn.next_event()
            if event is h11.NEED_DATA or event is h11.PAUSED:
                return
            if isinstance(event, h11.Request):
                self._request, self._body = event, []
            elif isinstance(event, h11.Data):
                self._body.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                request, body = self._request, b"".join(self._body)
                self._request, self._body = None, []
                asyncio.ensure_future(self._answer(request, body))
                return
            elif isinstance(event, h11.ConnectionClosed):
                return

    async def _answer(self, request: Any, body: bytes) -> None:
        try:
            answer = await self.owner.run_async(self.owner.serve(
                self.vendor, request.method.decode("ascii"), self.scheme, self.host, self.port,
                bytes(request.target), [(bytes(k), bytes(v)) for k, v in request.headers],
                body))
        except BaseException as exc:  # noqa: BLE001 - handed to the client as a lost connection
            self.closing = True
            _live.discard(self)
            self.protocol.connection_lost(exc if isinstance(exc, Exception) else None)
            return
        if self.closing:
            return
        headers = [(k, v) for k, v in answer.headers
                   if k not in (b"content-length", b"transfer-encoding", b"connection")]
        # A dropped connection promises a body it never sends, as a real one cut short does.
        length = len(answer.body) or 1 if answer.dropped else len(answer.body)
        headers.append((b"content-length", str(length).encode()))
        out = self.conn.send(h11.Response(status_code=answer.status, headers=headers,
                                          reason=answer.reason.encode("ascii")))
        if answer.dropped:
            self.protocol.data_received(out)
            self.close()
            return
        out += self.conn.send(h11.Data(data=answer.body)) + self.conn.send(h11.EndOfMessage())
        self.protocol.data_received(out)
        if self.conn.our_state is h11.MUST_CLOSE or self.conn.their_state is h11.MUST_CLOSE:
            self.close()
            return
        try:
            self.conn.start_next_cycle()
        except h11.LocalProtocolError:
            self.close()


# The connections open now, each until it is closed or aborted.
_live: set[SocketlessTransport] = set()


def abort_all(owner: Interceptor) -> None:
    """Abort every open connection that ``owner`` serves (its client sees it lost)."""
    for transport in list(_live):
        if transport.owner is owner:
            transport.abort()
